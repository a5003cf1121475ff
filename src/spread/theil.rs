//! Theil's entropy index H.

use super::single_group::SingleGroup;
use super::undefined::Undefined;

/// Binary entropy E(p) = p ln(1/p) + (1 − p) ln(1/(1 − p)), with 0·ln(1/0) := 0.
fn entropy(p: f64) -> f64 {
    let term = |q: f64| if q > 0.0 { q * (1.0 / q).ln() } else { 0.0 };
    term(p) + term(1.0 - p)
}

/// Theil's entropy index H of care units over areas (information theory index).
///
/// E = P ln(1/P) + (1−P) ln(1/(1−P)); E_i the same with p_i (0·ln(1/0) := 0);
/// H = Σ_i t_i (E − E_i) / (E·T). Natural logarithm. 0 = even, 1 = complete separation.
///
/// Reference: Theil & Finizza (1971), "A note on the measurement of racial integration of
/// schools", Journal of Mathematical Sociology 1(2), doi:10.1080/0022250X.1971.9989795;
/// implementation `pysal/segregation@2aa26d81:segregation/singlegroup/entropy.py`
/// (`_entropy`). Units: counts per area; CRS-independent.
///
/// # Parameters
/// - `x`: care units per area (x_i ≥ 0), in area order.
/// - `t`: reference per area, with x_i ≤ t_i.
///
/// # Returns
/// `Err` when x_i > t_i somewhere, X = 0, T = 0 or P = 1; never NaN.
///
/// # Panics
/// When `x` and `t` differ in length.
///
/// # Example
/// Complete separation: every area has p_i ∈ {0, 1}, so every E_i = 0 and H = Σ t_i E/(E T) = 1.
/// ```
/// use wijkbalans::spread::theil_h;
/// let h = theil_h(&[10.0, 0.0], &[10.0, 30.0]).unwrap();
/// assert!((h - 1.0).abs() < 1e-12);
/// ```
pub fn theil_h(x: &[f64], t: &[f64]) -> Result<f64, Undefined> {
    let g = SingleGroup::new_mixed(x, t)?;
    let e = entropy(g.p());
    let sum: f64 = (0..g.n())
        .map(|i| t[i] * (e - entropy(g.p_i(i))) / (e * g.total_t))
        .sum();
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, T, X};
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        assert_appendix(theil_h(&X, &T).unwrap(), 0.0612308867);
    }

    #[test]
    fn hand_computed_two_areas() {
        // p = (½, 0), P = ¼: E = ¼ ln 4 + ¾ ln(4/3), E_1 = ln 2, E_2 = 0
        let e = 0.25 * 4f64.ln() + 0.75 * (4.0f64 / 3.0).ln();
        let expected = (20.0 * (e - 2f64.ln()) + 20.0 * e) / (e * 40.0);
        assert_relative_eq!(
            theil_h(&[10.0, 0.0], &[20.0, 20.0]).unwrap(),
            expected,
            max_relative = 1e-12
        );
    }
}
