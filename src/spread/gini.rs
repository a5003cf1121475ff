//! Gini coefficient of segregation.

use super::single_group::SingleGroup;
use super::undefined::Undefined;

/// Gini segregation index of care units over areas, against the reference population.
///
/// G = Σ_i Σ_j t_i t_j |p_i − p_j| / (2·T²·P·(1 − P)): the mean absolute difference of the
/// area proportions, weighted by population. 0 = even, 1 = complete separation.
///
/// Computed in O(n log n): after sorting the areas by p_i, Σ_{i<j} t_i t_j (p_j − p_i) is a
/// running sum. PySAL loops over pairs; the result is the same up to rounding.
///
/// Reference: Massey & Denton (1988), "The dimensions of residential segregation", Social
/// Forces 67(2), doi:10.2307/2579183; implementation
/// `pysal/segregation@2aa26d81:segregation/singlegroup/gini.py` (`_gini_vecp`).
/// Units: counts per area; CRS-independent.
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
/// Hand check: p = (½, 0), t = (20, 20), P = ¼: 2·20·20·½ / (2·40²·¼·¾) = 400/600.
/// ```
/// use wijkbalans::spread::gini;
/// let g = gini(&[10.0, 0.0], &[20.0, 20.0]).unwrap();
/// assert!((g - 2.0 / 3.0).abs() < 1e-12);
/// ```
pub fn gini(x: &[f64], t: &[f64]) -> Result<f64, Undefined> {
    let g = SingleGroup::new_mixed(x, t)?;
    let p = g.p();
    let proportions: Vec<f64> = (0..g.n()).map(|i| g.p_i(i)).collect();
    let mut order: Vec<usize> = (0..g.n()).collect();
    order.sort_by(|&a, &b| proportions[a].total_cmp(&proportions[b]).then(a.cmp(&b)));
    // Σ_{i<j} t_i t_j (p_j − p_i) over the sorted order
    let (mut t_before, mut tp_before, mut half) = (0.0, 0.0, 0.0);
    for &k in &order {
        half += t[k] * (proportions[k] * t_before - tp_before);
        t_before += t[k];
        tp_before += t[k] * proportions[k];
    }
    Ok(2.0 * half / (2.0 * g.total_t * g.total_t * p * (1.0 - p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, T, X};
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        assert_appendix(gini(&X, &T).unwrap(), 0.3936458333);
    }

    #[test]
    fn matches_pairwise_definition() {
        let (big_x, big_t) = (500.0, 10_100.0);
        let p = big_x / big_t;
        let mut pairs = 0.0;
        for i in 0..9 {
            for j in 0..9 {
                pairs += T[i] * T[j] * (X[i] / T[i] - X[j] / T[j]).abs();
            }
        }
        let expected = pairs / (2.0 * big_t * big_t * p * (1.0 - p));
        assert_relative_eq!(gini(&X, &T).unwrap(), expected, max_relative = 1e-12);
    }
}
