//! Exposure indices: isolation xPx, interaction xPy and the correlation ratio V.

use super::single_group::SingleGroup;
use super::undefined::Undefined;

/// Isolation index xPx: the share of care units in the area of the average care unit.
///
/// xPx = Σ_i (x_i/X)(x_i/t_i), with terms of areas with t_i = 0 dropped (PySAL `nansum`;
/// those areas have x_i = 0). Ranges from P (even) to 1.
///
/// Reference: Bell (1954), "A probability model for the measurement of ecological
/// segregation", Social Forces 32(4), doi:10.2307/2574118; implementation
/// `pysal/segregation@2aa26d81:segregation/singlegroup/isolation.py` (`_isolation`).
/// Units: counts per area; CRS-independent.
///
/// # Parameters
/// - `x`: care units per area (x_i ≥ 0), in area order.
/// - `t`: reference per area, with x_i ≤ t_i.
///
/// # Returns
/// `Err` when x_i > t_i somewhere, X = 0 or T = 0; never NaN.
///
/// # Panics
/// When `x` and `t` differ in length.
///
/// # Example
/// Hand check: (10/10)·(10/20) + 0 = ½.
/// ```
/// use wijkbalans::spread::isolation;
/// assert_eq!(isolation(&[10.0, 0.0], &[20.0, 20.0]), Ok(0.5));
/// ```
pub fn isolation(x: &[f64], t: &[f64]) -> Result<f64, Undefined> {
    let g = SingleGroup::new(x, t)?;
    Ok((0..g.n())
        .filter(|&i| t[i] > 0.0)
        .map(|i| (x[i] / g.total_x) * (x[i] / t[i]))
        .sum())
}

/// Interaction (exposure) index xPy: the share of other residents in the area of the average
/// care unit.
///
/// xPy = Σ_i (x_i/X)(y_i/t_i), y_i = t_i − x_i, with terms of areas with t_i = 0 dropped.
/// xPx + xPy = 1.
///
/// Reference: Bell (1954), doi:10.2307/2574118; implementation
/// `pysal/segregation@2aa26d81:segregation/singlegroup/interaction.py` (`_interaction`).
/// Units: counts per area; CRS-independent.
///
/// # Parameters
/// - `x`: care units per area (x_i ≥ 0), in area order.
/// - `t`: reference per area, with x_i ≤ t_i.
///
/// # Returns
/// `Err` when x_i > t_i somewhere, X = 0 or T = 0; never NaN.
///
/// # Panics
/// When `x` and `t` differ in length.
///
/// # Example
/// Hand check: (10/10)·(10/20) + 0 = ½.
/// ```
/// use wijkbalans::spread::exposure;
/// assert_eq!(exposure(&[10.0, 0.0], &[20.0, 20.0]), Ok(0.5));
/// ```
pub fn exposure(x: &[f64], t: &[f64]) -> Result<f64, Undefined> {
    let g = SingleGroup::new(x, t)?;
    Ok((0..g.n())
        .filter(|&i| t[i] > 0.0)
        .map(|i| (x[i] / g.total_x) * ((t[i] - x[i]) / t[i]))
        .sum())
}

/// Correlation ratio V (eta²): isolation corrected for the group's overall share.
///
/// V = (xPx − P)/(1 − P). 0 = even, 1 = complete separation.
///
/// Reference: White (1986), "Segregation and diversity measures in population distribution",
/// Population Index 52(2), doi:10.2307/3644339; implementation
/// `pysal/segregation@2aa26d81:segregation/singlegroup/correlationr.py` (`_correlationr`).
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
/// Hand check: xPx = ½, P = ¼: (½ − ¼)/(¾) = ⅓.
/// ```
/// use wijkbalans::spread::correlation_ratio;
/// let v = correlation_ratio(&[10.0, 0.0], &[20.0, 20.0]).unwrap();
/// assert!((v - 1.0 / 3.0).abs() < 1e-12);
/// ```
pub fn correlation_ratio(x: &[f64], t: &[f64]) -> Result<f64, Undefined> {
    let p = SingleGroup::new_mixed(x, t)?.p();
    Ok((isolation(x, t)? - p) / (1.0 - p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, T, X};
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        assert_appendix(isolation(&X, &T).unwrap(), 0.0717006660);
        assert_appendix(exposure(&X, &T).unwrap(), 0.9282993340);
        assert_appendix(correlation_ratio(&X, &T).unwrap(), 0.0233517424);
    }

    #[test]
    fn isolation_and_exposure_sum_to_one() {
        let sum = isolation(&X, &T).unwrap() + exposure(&X, &T).unwrap();
        assert_relative_eq!(sum, 1.0, max_relative = 1e-12);
    }

    #[test]
    fn empty_area_is_dropped() {
        assert_eq!(isolation(&[10.0, 0.0, 0.0], &[20.0, 20.0, 0.0]), Ok(0.5));
        assert_eq!(exposure(&[10.0, 0.0, 0.0], &[20.0, 20.0, 0.0]), Ok(0.5));
    }

    #[test]
    fn all_care_units_is_full_isolation() {
        assert_eq!(isolation(&[4.0, 2.0], &[4.0, 2.0]), Ok(1.0));
        assert_eq!(exposure(&[4.0, 2.0], &[4.0, 2.0]), Ok(0.0));
        assert_eq!(
            correlation_ratio(&[4.0, 2.0], &[4.0, 2.0]),
            Err(Undefined::OnlyCareUnits)
        );
    }

    #[test]
    fn degenerate() {
        assert_eq!(isolation(&[0.0], &[5.0]), Err(Undefined::NoCareUnits));
        assert_eq!(exposure(&[0.0], &[5.0]), Err(Undefined::NoCareUnits));
    }
}
