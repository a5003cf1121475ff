//! Validated input of the single-group indices (x = care units, t = reference per area).

use super::undefined::Undefined;

/// x and t per area with their totals, checked as PySAL's `SingleGroupIndex` does.
///
/// Reference: `pysal/segregation@2aa26d81:segregation/_base.py` (`SingleGroupIndex`) and the
/// notation of docs/METHOD.md §3: X = Σx, T = Σt, P = X/T, p_i = x_i/t_i with p_i := 0 when
/// t_i = 0.
pub(crate) struct SingleGroup<'a> {
    pub x: &'a [f64],
    pub t: &'a [f64],
    /// X = Σ x_i.
    pub total_x: f64,
    /// T = Σ t_i.
    pub total_t: f64,
}

impl<'a> SingleGroup<'a> {
    /// Checks that x and t are finite, non-negative, x_i ≤ t_i, and X > 0, T > 0.
    ///
    /// # Panics
    /// When `x` and `t` differ in length.
    pub fn new(x: &'a [f64], t: &'a [f64]) -> Result<Self, Undefined> {
        assert_eq!(x.len(), t.len(), "x and t need one value per area each");
        if x.is_empty() {
            return Err(Undefined::TooFewAreas { n: 0, min: 1 });
        }
        super::undefined::check_values(x, true)?;
        super::undefined::check_values(t, true)?;
        if let Some(area) = (0..x.len()).find(|&i| x[i] > t[i]) {
            return Err(Undefined::CareExceedsReference {
                area,
                x: x[area],
                t: t[area],
            });
        }
        let total_x: f64 = x.iter().sum();
        let total_t: f64 = t.iter().sum();
        if total_t == 0.0 {
            return Err(Undefined::NoReference);
        }
        if total_x == 0.0 {
            return Err(Undefined::NoCareUnits);
        }
        Ok(SingleGroup {
            x,
            t,
            total_x,
            total_t,
        })
    }

    /// Like [`SingleGroup::new`], and also requires P < 1 (indices that divide by 1 − P).
    pub fn new_mixed(x: &'a [f64], t: &'a [f64]) -> Result<Self, Undefined> {
        let group = Self::new(x, t)?;
        if group.total_x >= group.total_t {
            return Err(Undefined::OnlyCareUnits);
        }
        Ok(group)
    }

    /// P = X / T.
    pub fn p(&self) -> f64 {
        self.total_x / self.total_t
    }

    /// p_i = x_i / t_i, with p_i := 0 when t_i = 0.
    pub fn p_i(&self, i: usize) -> f64 {
        if self.t[i] == 0.0 {
            0.0
        } else {
            self.x[i] / self.t[i]
        }
    }

    /// Number of areas.
    pub fn n(&self) -> usize {
        self.x.len()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// docs/METHOD.md Appendix A: reference t (inhabitants) per area W00..W22.
    pub(crate) const T: [f64; 9] = [
        1200.0, 800.0, 1500.0, 600.0, 2000.0, 900.0, 700.0, 1100.0, 1300.0,
    ];
    /// docs/METHOD.md Appendix A: care units x per area W00..W22.
    pub(crate) const X: [f64; 9] = [60.0, 10.0, 120.0, 5.0, 200.0, 30.0, 15.0, 40.0, 20.0];

    /// docs/METHOD.md Appendix A: rate = 100 · x / t per area, the values of its Moran, LISA
    /// and Getis–Ord rows.
    pub(crate) fn rate() -> Vec<f64> {
        (0..9).map(|i| 100.0 * X[i] / T[i]).collect()
    }

    /// Compares with a value printed in docs/METHOD.md Appendix A (10 decimals): equal within
    /// 5e-11 absolute (the printed precision) or 1e-9 relative.
    #[track_caller]
    pub(crate) fn assert_appendix(actual: f64, printed: f64) {
        let difference = (actual - printed).abs();
        assert!(
            difference <= 5e-11 || difference <= 1e-9 * printed.abs(),
            "{actual} differs from the appendix value {printed}"
        );
    }

    /// A single-group index of x against t.
    type Index = fn(&[f64], &[f64]) -> Result<f64, Undefined>;

    /// The indices that divide by P(1 − P), by name.
    const MIXED: [(&str, Index); 3] = [
        ("D", crate::spread::dissimilarity),
        ("Gini", crate::spread::gini),
        ("H", crate::spread::theil_h),
    ];

    #[test]
    fn mixed_indices_go_from_even_to_complete_separation() {
        for (name, index) in MIXED {
            // complete separation: every area has p_i ∈ {0, 1}
            let separated = index(&[10.0, 0.0], &[10.0, 30.0]).unwrap();
            assert_relative_eq!(separated, 1.0, epsilon = 1e-15);
            // even: every p_i = P
            let even = index(&[1.0, 3.0], &[10.0, 30.0]).unwrap();
            assert!(even.abs() <= 1e-15, "{name}: {even}");
        }
    }

    #[test]
    fn mixed_indices_are_undefined_where_pysal_refuses() {
        for (name, index) in MIXED {
            let no_care = index(&[0.0, 0.0], &[5.0, 5.0]);
            assert_eq!(no_care, Err(Undefined::NoCareUnits), "{name}");
            let only_care = index(&[5.0, 5.0], &[5.0, 5.0]);
            assert_eq!(only_care, Err(Undefined::OnlyCareUnits), "{name}");
            let nobody = index(&[0.0, 0.0], &[0.0, 0.0]);
            assert_eq!(nobody, Err(Undefined::NoReference), "{name}");
            assert!(
                matches!(
                    index(&[6.0, 0.0], &[5.0, 5.0]),
                    Err(Undefined::CareExceedsReference { area: 0, .. })
                ),
                "{name}"
            );
            let none = Err(Undefined::TooFewAreas { n: 0, min: 1 });
            assert_eq!(index(&[], &[]), none, "{name}");
        }
    }

    #[test]
    fn validates_like_pysal() {
        assert!(matches!(
            SingleGroup::new(&[5.0, 1.0], &[4.0, 2.0]),
            Err(Undefined::CareExceedsReference { area: 0, .. })
        ));
        assert_eq!(
            SingleGroup::new(&[0.0, 0.0], &[4.0, 2.0]).err(),
            Some(Undefined::NoCareUnits)
        );
        assert_eq!(
            SingleGroup::new(&[0.0], &[0.0]).err(),
            Some(Undefined::NoReference)
        );
        assert_eq!(
            SingleGroup::new_mixed(&[4.0, 2.0], &[4.0, 2.0]).err(),
            Some(Undefined::OnlyCareUnits)
        );
        let g = SingleGroup::new(&[0.0, 1.0], &[0.0, 2.0]).unwrap();
        assert_eq!(g.p_i(0), 0.0);
        assert_eq!(g.p_i(1), 0.5);
    }
}
