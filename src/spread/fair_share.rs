//! Fair share of care units per area, against a reference (inhabitants or dwellings).

use super::undefined::{check_values, Undefined};

/// Totals C = Σc and A = Σa after checking both are finite and non-negative.
fn totals(c: &[f64], a: &[f64]) -> Result<(f64, f64), Undefined> {
    assert_eq!(c.len(), a.len(), "c and a need one value per area each");
    check_values(c, true)?;
    check_values(a, true)?;
    Ok((c.iter().sum(), a.iter().sum()))
}

/// Fair-share ratio per area: the area's share of care units over its share of the reference.
///
/// F_i = s_i / r_i = (c_i/a_i)/(C/A) with s_i = c_i/C, r_i = a_i/A. F_i > 1: the area carries
/// more than its share. Identical to the two-group location quotient LQ_i = (x_i/t_i)/(X/T).
///
/// Reference: docs/METHOD.md §3.1; location quotient in Isard (1960), *Methods of Regional
/// Analysis*; implementation of the LQ in
/// `pysal/segregation@2aa26d81:segregation/local/local_multi_location_quotient.py`.
/// Units: dimensionless; CRS-independent.
///
/// # Parameters
/// - `c`: care units per area (≥ 0), in area order.
/// - `a`: reference per area (≥ 0), e.g. inhabitants.
///
/// # Returns
/// One entry per area, in area order: `None` for an area with a_i = 0
/// ([`Undefined::AreaWithoutReference`]). `Err` when C = 0, A = 0 or an input is negative or
/// not finite.
///
/// # Panics
/// When `c` and `a` differ in length.
///
/// # Example
/// Hand check: C = 4, A = 400, so C/A = 0.01; (2/100)/0.01 = 2, 0, (2/200)/0.01 = 1.
/// ```
/// use wijkbalans::spread::fair_share_ratio;
/// let f = fair_share_ratio(&[2.0, 0.0, 2.0], &[100.0, 100.0, 200.0]).unwrap();
/// assert_eq!(f, vec![Some(2.0), Some(0.0), Some(1.0)]);
/// ```
pub fn fair_share_ratio(c: &[f64], a: &[f64]) -> Result<Vec<Option<f64>>, Undefined> {
    let (total_c, total_a) = totals(c, a)?;
    if total_a == 0.0 {
        return Err(Undefined::NoReference);
    }
    if total_c == 0.0 {
        return Err(Undefined::NoCareUnits);
    }
    let overall = total_c / total_a;
    Ok((0..c.len())
        .map(|i| (a[i] > 0.0).then(|| (c[i] / a[i]) / overall))
        .collect())
}

/// Fair-share gap per area, in care units: how many units above (+) or below (−) its share.
///
/// g_i = c_i − C·a_i/A. Σ_i g_i = 0; the sum of the positive gaps is the least number of units
/// that would have to move for every area to have its fair share.
///
/// Reference: docs/METHOD.md §3.1. Units: care units; CRS-independent.
///
/// # Parameters
/// - `c`: care units per area (≥ 0), in area order.
/// - `a`: reference per area (≥ 0).
///
/// # Returns
/// One gap per area, in area order (all 0 when C = 0). `Err` when A = 0 or an input is
/// negative or not finite.
///
/// # Panics
/// When `c` and `a` differ in length.
///
/// # Example
/// Hand check: C = 4, shares of a = (¼, ¼, ½): 2 − 1, 0 − 1, 2 − 2.
/// ```
/// use wijkbalans::spread::fair_share_gap;
/// let g = fair_share_gap(&[2.0, 0.0, 2.0], &[100.0, 100.0, 200.0]).unwrap();
/// assert_eq!(g, vec![1.0, -1.0, 0.0]);
/// ```
pub fn fair_share_gap(c: &[f64], a: &[f64]) -> Result<Vec<f64>, Undefined> {
    let (total_c, total_a) = totals(c, a)?;
    if total_a == 0.0 {
        return Err(Undefined::NoReference);
    }
    Ok((0..c.len())
        .map(|i| c[i] - total_c * a[i] / total_a)
        .collect())
}

/// Fair-share dissimilarity: the share of care units that would have to move for every area
/// to have its fair share.
///
/// D_fs = ½ Σ_i |c_i/C − a_i/A|. 0 = every area exactly its share. Unlike
/// [`crate::spread::dissimilarity()`] (which compares c with a − c, as PySAL's `Dissim`) this
/// compares c with a itself and does not need c ⊂ a.
///
/// Reference: docs/METHOD.md §3.1; Duncan & Duncan (1955), doi:10.2307/2088328.
/// Units: dimensionless; CRS-independent.
///
/// # Parameters
/// - `c`: care units per area (≥ 0), in area order.
/// - `a`: reference per area (≥ 0).
///
/// # Returns
/// `Err` when C = 0, A = 0 or an input is negative or not finite; never NaN.
///
/// # Panics
/// When `c` and `a` differ in length.
///
/// # Example
/// Hand check: s = (½, 0, ½), r = (¼, ¼, ½): ½(¼ + ¼ + 0) = ¼.
/// ```
/// use wijkbalans::spread::fair_share_dissimilarity;
/// let d = fair_share_dissimilarity(&[2.0, 0.0, 2.0], &[100.0, 100.0, 200.0]);
/// assert_eq!(d, Ok(0.25));
/// ```
pub fn fair_share_dissimilarity(c: &[f64], a: &[f64]) -> Result<f64, Undefined> {
    let (total_c, total_a) = totals(c, a)?;
    if total_a == 0.0 {
        return Err(Undefined::NoReference);
    }
    if total_c == 0.0 {
        return Err(Undefined::NoCareUnits);
    }
    let sum: f64 = (0..c.len())
        .map(|i| (c[i] / total_c - a[i] / total_a).abs())
        .sum();
    Ok(sum / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{T, X};
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a_equals_location_quotient() {
        let expected = [
            1.01, 0.2525, 1.616, 0.168333, 2.02, 0.673333, 0.432857, 0.734545, 0.310769,
        ];
        let ratio = fair_share_ratio(&X, &T).unwrap();
        for (f, e) in ratio.iter().zip(expected) {
            // the appendix prints 6 significant digits
            assert_relative_eq!(f.unwrap(), e, max_relative = 5e-6);
        }
    }

    #[test]
    fn gaps_sum_to_zero() {
        let gaps = fair_share_gap(&X, &T).unwrap();
        assert!(gaps.iter().sum::<f64>().abs() < 1e-9 * 500.0);
        // the positive gaps are the units to move: D_fs · C
        let positive: f64 = gaps.iter().filter(|g| **g > 0.0).sum();
        let d = fair_share_dissimilarity(&X, &T).unwrap();
        assert_relative_eq!(positive, d * 500.0, max_relative = 1e-12);
    }

    #[test]
    fn zero_reference_area() {
        let f = fair_share_ratio(&[0.0, 2.0], &[0.0, 100.0]).unwrap();
        assert_eq!(f, vec![None, Some(1.0)]);
        assert_eq!(
            fair_share_gap(&[0.0, 2.0], &[0.0, 100.0]),
            Ok(vec![0.0, 0.0])
        );
    }

    #[test]
    fn degenerate() {
        assert_eq!(
            fair_share_ratio(&[0.0, 0.0], &[1.0, 1.0]),
            Err(Undefined::NoCareUnits)
        );
        assert_eq!(fair_share_gap(&[0.0, 0.0], &[1.0, 1.0]), Ok(vec![0.0, 0.0]));
        assert_eq!(
            fair_share_gap(&[1.0, 0.0], &[0.0, 0.0]),
            Err(Undefined::NoReference)
        );
        assert_eq!(
            fair_share_dissimilarity(&[0.0, 0.0], &[1.0, 1.0]),
            Err(Undefined::NoCareUnits)
        );
        assert!(matches!(
            fair_share_ratio(&[-1.0, 2.0], &[1.0, 1.0]),
            Err(Undefined::NegativeValue { area: 0, .. })
        ));
    }
}
