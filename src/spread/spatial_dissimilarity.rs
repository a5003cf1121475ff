//! Morrill's spatial dissimilarity D(adj).

use super::dissimilarity::dissimilarity;
use super::single_group::SingleGroup;
use super::undefined::Undefined;
use super::weights::{SpatialWeights, Transform};

/// Spatial dissimilarity D(adj): the index of dissimilarity minus the mean difference in care
/// proportion between neighbouring areas.
///
/// SD = D − Σ_i Σ_j c_ij |p_i − p_j| / Σ_i Σ_j c_ij, with c the contiguity weights: binary
/// (PySAL default, `standardize=False`) or row-standardised (`standardize=True`).
///
/// Reference: Morrill (1991), "On the measure of geographic segregation", Geography Research
/// Forum 11; implementation
/// `pysal/segregation@2aa26d81:segregation/singlegroup/spatial_dissim.py` (`_spatial_dissim`,
/// default weights `Queen.from_dataframe`). Units: counts per area; CRS-independent.
///
/// # Parameters
/// - `x`: care units per area (x_i ≥ 0), in area order.
/// - `t`: reference per area, with x_i ≤ t_i.
/// - `w`: contiguity weights in the same area order.
/// - `transform`: [`Transform::Binary`] as PySAL's default, or [`Transform::Row`]. With rows,
///   islands keep an all-zero row (PySAL divides 0 by 0 there and returns NaN).
///
/// # Returns
/// `Err` when D is undefined (see [`dissimilarity()`]) or no area has a neighbour; never NaN.
///
/// # Panics
/// When `x`, `t` and `w` differ in length.
///
/// # Example
/// Hand check: two neighbouring areas, p = (½, 0): D = ⅔, Σc|p_i − p_j| = 2·½, Σc = 2, so
/// SD = ⅔ − ½ = ⅙.
/// ```
/// use wijkbalans::spread::{spatial_dissimilarity, SpatialWeights, Transform};
/// let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0]]);
/// let sd = spatial_dissimilarity(&[10.0, 0.0], &[20.0, 20.0], &w, Transform::Binary).unwrap();
/// assert!((sd - 1.0 / 6.0).abs() < 1e-12);
/// ```
pub fn spatial_dissimilarity(
    x: &[f64],
    t: &[f64],
    w: &SpatialWeights,
    transform: Transform,
) -> Result<f64, Undefined> {
    assert_eq!(w.n(), x.len(), "weights and values need the same areas");
    let d = dissimilarity(x, t)?;
    let g = SingleGroup::new(x, t)?;
    let (mut numerator, mut denominator) = (0.0, 0.0);
    for i in 0..w.n() {
        let c = w.row_weight(i, transform);
        for &j in w.neighbours(i) {
            numerator += c * (g.p_i(i) - g.p_i(j)).abs();
            denominator += c;
        }
    }
    if denominator == 0.0 {
        return Err(Undefined::NoNeighbours);
    }
    Ok(d - numerator / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, T, X};
    use crate::spread::weights::tests::grid3x3;
    use crate::spread::weights::Contiguity;
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        let grid = grid3x3();
        let queen = SpatialWeights::contiguity(&grid, Contiguity::Queen, None);
        let rook = SpatialWeights::contiguity(&grid, Contiguity::Rook, None);
        let sd_queen = spatial_dissimilarity(&X, &T, &queen, Transform::Binary).unwrap();
        let sd_rook = spatial_dissimilarity(&X, &T, &rook, Transform::Binary).unwrap();
        assert_appendix(sd_queen, 0.2670495754);
        assert_appendix(sd_rook, 0.2625199106);
    }

    #[test]
    fn no_neighbours() {
        let w = SpatialWeights::from_neighbours(vec![vec![], vec![]]);
        assert_eq!(
            spatial_dissimilarity(&[10.0, 0.0], &[20.0, 20.0], &w, Transform::Binary),
            Err(Undefined::NoNeighbours)
        );
    }

    #[test]
    fn row_standardised_skips_islands() {
        // areas 0–1 neighbours, 2 an island: c = [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
        let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0], vec![]]);
        let (x, t) = ([10.0, 0.0, 0.0], [20.0, 20.0, 10.0]);
        let d = dissimilarity(&x, &t).unwrap();
        let sd = spatial_dissimilarity(&x, &t, &w, Transform::Row).unwrap();
        assert_relative_eq!(sd, d - 0.5, max_relative = 1e-12);
    }
}
