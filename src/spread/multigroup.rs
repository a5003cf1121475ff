//! Multigroup segregation: how unevenly the mix of target groups is spread over areas.

use super::undefined::{check_values, Undefined};

/// Validated K × n counts: per area total t_i, overall shares Π_k and total T.
struct Groups<'a> {
    columns: &'a [&'a [f64]],
    area_totals: Vec<f64>,
    shares: Vec<f64>,
    total: f64,
}

impl<'a> Groups<'a> {
    fn new(columns: &'a [&'a [f64]]) -> Result<Self, Undefined> {
        let Some(first) = columns.first() else {
            return Err(Undefined::NoGroups);
        };
        let n = first.len();
        for column in columns {
            assert_eq!(column.len(), n, "every group needs one count per area");
            check_values(column, true)?;
        }
        let area_totals: Vec<f64> = (0..n).map(|i| columns.iter().map(|c| c[i]).sum()).collect();
        let total: f64 = area_totals.iter().sum();
        if total == 0.0 {
            return Err(Undefined::NoReference);
        }
        let shares = columns
            .iter()
            .map(|c| c.iter().sum::<f64>() / total)
            .collect();
        Ok(Groups {
            columns,
            area_totals,
            shares,
            total,
        })
    }

    /// π_ik = n_ik / t_i, with π_ik := 0 when t_i = 0.
    fn proportion(&self, i: usize, k: usize) -> f64 {
        if self.area_totals[i] == 0.0 {
            0.0
        } else {
            self.columns[k][i] / self.area_totals[i]
        }
    }
}

/// Multigroup dissimilarity index (Sakoda's generalised D).
///
/// With K groups, n_ik per area, t_i = Σ_k n_ik, π_ik = n_ik/t_i, Π_k = Σ_i n_ik / T and
/// I = Σ_k Π_k(1 − Π_k):  D = Σ_i Σ_k t_i |π_ik − Π_k| / (2·T·I).
/// 0 = every area has the city's mix, 1 = every area holds one group only.
///
/// Reference: Sakoda (1981), "A generalized index of dissimilarity", Demography 18(2),
/// doi:10.2307/2061096; implementation
/// `pysal/segregation@2aa26d81:segregation/multigroup/multi_dissim.py` (`_multi_dissim`).
/// Units: counts per area; CRS-independent.
///
/// # Parameters
/// - `groups`: K columns (e.g. BW, MO, …, regulier), each with one count per area in area
///   order. The columns together make up the population of each area.
///
/// # Returns
/// `Err` when there are no groups, T = 0, fewer than two groups have members, or a count is
/// negative or not finite.
///
/// # Panics
/// When the columns differ in length.
///
/// # Example
/// Two areas each holding one group only: complete separation, D = 1.
/// ```
/// use wijkbalans::spread::multi_dissimilarity;
/// let d = multi_dissimilarity(&[&[5.0, 0.0], &[0.0, 15.0]]).unwrap();
/// assert!((d - 1.0).abs() < 1e-12);
/// ```
pub fn multi_dissimilarity(groups: &[&[f64]]) -> Result<f64, Undefined> {
    let g = Groups::new(groups)?;
    let spread: f64 = g.shares.iter().map(|s| s * (1.0 - s)).sum();
    if spread == 0.0 {
        return Err(Undefined::SingleGroup);
    }
    let mut sum = 0.0;
    for i in 0..g.area_totals.len() {
        for k in 0..groups.len() {
            sum += g.area_totals[i] * (g.proportion(i, k) - g.shares[k]).abs();
        }
    }
    Ok(sum / (2.0 * g.total * spread))
}

/// Multigroup information theory index H (Theil's entropy index for K groups).
///
/// E = Σ_k Π_k ln(1/Π_k);  H = Σ_i Σ_k t_i π_ik ln(π_ik/Π_k) / (T·E), with 0·ln 0 := 0.
/// 0 = every area has the city's mix, 1 = every area holds one group only.
///
/// Reference: Reardon & Firebaugh (2002), "Measures of multigroup segregation", Sociological
/// Methodology 32, doi:10.1111/1467-9531.00110; implementation
/// `pysal/segregation@2aa26d81:segregation/multigroup/multi_info_theory.py`
/// (`_multi_information_theory`). Units: counts per area; CRS-independent.
///
/// Deviation: a group with no members at all contributes 0 to E here; PySAL's E becomes NaN
/// (0·ln(1/0)).
///
/// # Parameters
/// - `groups`: K columns, each with one count per area in area order.
///
/// # Returns
/// `Err` when there are no groups, T = 0, fewer than two groups have members, or a count is
/// negative or not finite.
///
/// # Panics
/// When the columns differ in length.
///
/// # Example
/// Two areas each holding one group only: complete separation, H = 1.
/// ```
/// use wijkbalans::spread::multi_information_theory;
/// let h = multi_information_theory(&[&[5.0, 0.0], &[0.0, 15.0]]).unwrap();
/// assert!((h - 1.0).abs() < 1e-12);
/// ```
pub fn multi_information_theory(groups: &[&[f64]]) -> Result<f64, Undefined> {
    let g = Groups::new(groups)?;
    let entropy: f64 = g
        .shares
        .iter()
        .filter(|&&s| s > 0.0)
        .map(|s| s * (1.0 / s).ln())
        .sum();
    if entropy == 0.0 {
        return Err(Undefined::SingleGroup);
    }
    let mut sum = 0.0;
    for i in 0..g.area_totals.len() {
        for k in 0..groups.len() {
            let pi = g.proportion(i, k);
            if pi > 0.0 {
                sum += g.area_totals[i] * pi * (pi / g.shares[k]).ln();
            }
        }
    }
    Ok(sum / (g.total * entropy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{T, X};
    use approx::assert_relative_eq;

    fn grid_groups() -> [Vec<f64>; 3] {
        // x, mo and the rest t − x − mo, as in tests/fixtures/reference/make_reference.py
        let mo = [5.0, 20.0, 0.0, 10.0, 15.0, 0.0, 30.0, 5.0, 10.0];
        let rest = (0..9).map(|i| T[i] - X[i] - mo[i]).collect();
        [X.to_vec(), mo.to_vec(), rest]
    }

    #[test]
    fn pysal_reference_values() {
        // segregation 2.5.4, tests/fixtures/reference/pysal_grid3x3.json
        let [x, mo, rest] = grid_groups();
        let columns = [x.as_slice(), mo.as_slice(), rest.as_slice()];
        assert_relative_eq!(
            multi_dissimilarity(&columns).unwrap(),
            0.2834923877449928,
            max_relative = 1e-9
        );
        assert_relative_eq!(
            multi_information_theory(&columns).unwrap(),
            0.07074783917391024,
            max_relative = 1e-9
        );
    }

    #[test]
    fn two_groups_reduce_to_single_group_indices() {
        let y: Vec<f64> = (0..9).map(|i| T[i] - X[i]).collect();
        let columns = [&X[..], y.as_slice()];
        assert_relative_eq!(
            multi_dissimilarity(&columns).unwrap(),
            crate::spread::dissimilarity(&X, &T).unwrap(),
            max_relative = 1e-12
        );
        assert_relative_eq!(
            multi_information_theory(&columns).unwrap(),
            crate::spread::theil_h(&X, &T).unwrap(),
            max_relative = 1e-12
        );
    }

    #[test]
    fn empty_group_is_ignored() {
        let d = multi_information_theory(&[&[5.0, 0.0], &[0.0, 15.0], &[0.0, 0.0]]).unwrap();
        assert_relative_eq!(d, 1.0, max_relative = 1e-12);
    }

    #[test]
    fn degenerate() {
        assert_eq!(multi_dissimilarity(&[]), Err(Undefined::NoGroups));
        assert_eq!(
            multi_dissimilarity(&[&[5.0, 3.0], &[0.0, 0.0]]),
            Err(Undefined::SingleGroup)
        );
        assert_eq!(
            multi_information_theory(&[&[0.0, 0.0], &[0.0, 0.0]]),
            Err(Undefined::NoReference)
        );
    }
}
