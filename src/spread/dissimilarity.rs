//! Index of dissimilarity D (Duncan & Duncan).

use super::single_group::SingleGroup;
use super::undefined::Undefined;

/// Index of dissimilarity D of care units over areas, against the reference population.
///
/// D = Σ_i t_i·|p_i − P| / (2·T·P·(1 − P)), which equals ½ Σ_i |x_i/X − y_i/Y| with
/// y_i = t_i − x_i: the share of care units that would have to move for every area to have the
/// same proportion P. 0 = even, 1 = complete separation.
///
/// Reference: Duncan & Duncan (1955), "A methodological analysis of segregation indexes",
/// American Sociological Review 20(2), doi:10.2307/2088328; implementation
/// `pysal/segregation@2aa26d81:segregation/singlegroup/dissim.py` (`_dissim`).
/// Units: counts per area; CRS-independent.
///
/// # Parameters
/// - `x`: care units per area (x_i ≥ 0), in area order.
/// - `t`: reference per area (inhabitants or dwellings), with x_i ≤ t_i.
///
/// # Returns
/// `Err` when x_i > t_i somewhere (as PySAL), X = 0, T = 0 or P = 1; never NaN.
///
/// # Panics
/// When `x` and `t` differ in length.
///
/// # Example
/// Hand check: X = 10, T = 40, P = ¼, p = (½, 0): D = (20·¼ + 20·¼)/(2·40·¼·¾) = 10/15.
/// ```
/// use wijkbalans::spread::dissimilarity;
/// let d = dissimilarity(&[10.0, 0.0], &[20.0, 20.0]).unwrap();
/// assert!((d - 2.0 / 3.0).abs() < 1e-12);
/// ```
pub fn dissimilarity(x: &[f64], t: &[f64]) -> Result<f64, Undefined> {
    let g = SingleGroup::new_mixed(x, t)?;
    let p = g.p();
    let numerator: f64 = (0..g.n()).map(|i| t[i] * (g.p_i(i) - p).abs()).sum();
    Ok(numerator / (2.0 * g.total_t * p * (1.0 - p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, T, X};
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        assert_appendix(dissimilarity(&X, &T).unwrap(), 0.31);
    }

    #[test]
    fn equals_half_sum_of_share_differences() {
        let (big_x, big_y) = (500.0, 10_100.0 - 500.0);
        let half_sum: f64 = (0..9)
            .map(|i| (X[i] / big_x - (T[i] - X[i]) / big_y).abs())
            .sum::<f64>()
            / 2.0;
        assert_relative_eq!(
            dissimilarity(&X, &T).unwrap(),
            half_sum,
            max_relative = 1e-12
        );
    }

    #[test]
    fn zero_population_area_counts_as_p_zero() {
        // an empty area changes nothing
        let with_empty = dissimilarity(&[10.0, 0.0, 0.0], &[20.0, 20.0, 0.0]).unwrap();
        assert_relative_eq!(with_empty, 2.0 / 3.0, max_relative = 1e-12);
    }
}
