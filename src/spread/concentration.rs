//! Concentration of care units over areas: Herfindahl–Hirschman index and its relatives.

use super::undefined::{check_values, Undefined};

/// Shares s_i = c_i / C after checking the input.
fn shares(c: &[f64]) -> Result<Vec<f64>, Undefined> {
    check_values(c, true)?;
    if c.is_empty() {
        return Err(Undefined::TooFewAreas { n: 0, min: 1 });
    }
    let total: f64 = c.iter().sum();
    if total == 0.0 {
        return Err(Undefined::NoCareUnits);
    }
    Ok(c.iter().map(|v| v / total).collect())
}

/// Herfindahl–Hirschman index of care units over areas.
///
/// H = Σ_i s_i², s_i = c_i / C, in [1/n, 1]: 1/n when every area has the same number of units,
/// 1 when one area has them all. Equals Simpson's concentration λ computed over the areas.
///
/// Reference: Hirschman (1964), "The paternity of an index", American Economic Review 54(5);
/// docs/METHOD.md §3.4; cross-check `pysal/segregation@2aa26d81:segregation/multigroup/`
/// `simpsons_concentration.py` on a one-row frame whose columns are the areas.
/// Units: dimensionless; CRS-independent.
///
/// # Parameters
/// - `c`: care units per area (≥ 0), in area order.
///
/// # Returns
/// `Err` when there are no areas, C = 0 or a value is negative or not finite.
///
/// # Example
/// Hand check: s = (½, 0, ½): ¼ + 0 + ¼ = ½.
/// ```
/// use wijkbalans::spread::hhi;
/// assert_eq!(hhi(&[2.0, 0.0, 2.0]), Ok(0.5));
/// ```
pub fn hhi(c: &[f64]) -> Result<f64, Undefined> {
    Ok(shares(c)?.iter().map(|s| s * s).sum())
}

/// Normalised Herfindahl–Hirschman index, rescaled to [0, 1].
///
/// H* = (H − 1/n)/(1 − 1/n): 0 = evenly spread over all n areas, 1 = all in one area.
///
/// Reference: docs/METHOD.md §3.4. Units: dimensionless; CRS-independent.
///
/// # Parameters
/// - `c`: care units per area (≥ 0), in area order.
///
/// # Returns
/// `Err` when n < 2, C = 0 or a value is negative or not finite.
///
/// # Example
/// Hand check: H = ½, n = 3: (½ − ⅓)/(⅔) = ¼.
/// ```
/// use wijkbalans::spread::hhi_normalised;
/// let h = hhi_normalised(&[2.0, 0.0, 2.0]).unwrap();
/// assert!((h - 0.25).abs() < 1e-12);
/// ```
pub fn hhi_normalised(c: &[f64]) -> Result<f64, Undefined> {
    let n = c.len();
    if n < 2 {
        return Err(Undefined::TooFewAreas { n, min: 2 });
    }
    let inverse_n = 1.0 / n as f64;
    Ok((hhi(c)? - inverse_n) / (1.0 - inverse_n))
}

/// Effective number of areas carrying the care units.
///
/// n_eff = 1/H: the number of equally loaded areas that would give the same concentration.
///
/// Reference: Adelman (1969), "Comment on the 'H' concentration measure as a numbers-equivalent",
/// Review of Economics and Statistics 51(1), doi:10.2307/1926955; docs/METHOD.md §3.4.
/// Units: number of areas; CRS-independent.
///
/// # Parameters
/// - `c`: care units per area (≥ 0), in area order.
///
/// # Returns
/// `Err` when there are no areas, C = 0 or a value is negative or not finite.
///
/// # Example
/// Hand check: H = ½, so 2 areas.
/// ```
/// use wijkbalans::spread::effective_areas;
/// assert_eq!(effective_areas(&[2.0, 0.0, 2.0]), Ok(2.0));
/// ```
pub fn effective_areas(c: &[f64]) -> Result<f64, Undefined> {
    Ok(1.0 / hhi(c)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::X;
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        assert_relative_eq!(hhi(&X).unwrap(), 0.245, max_relative = 1e-12);
        assert_relative_eq!(
            effective_areas(&X).unwrap(),
            1.0 / 0.245,
            max_relative = 1e-12
        );
        assert_relative_eq!(
            hhi_normalised(&X).unwrap(),
            (0.245 - 1.0 / 9.0) / (1.0 - 1.0 / 9.0),
            max_relative = 1e-12
        );
    }

    #[test]
    fn one_area_with_everything() {
        assert_eq!(hhi(&[0.0, 7.0, 0.0]), Ok(1.0));
        assert_eq!(hhi_normalised(&[0.0, 7.0, 0.0]), Ok(1.0));
        assert_eq!(effective_areas(&[0.0, 7.0, 0.0]), Ok(1.0));
    }

    #[test]
    fn even_spread() {
        assert_relative_eq!(hhi(&[3.0; 4]).unwrap(), 0.25);
        assert_relative_eq!(hhi_normalised(&[3.0; 4]).unwrap(), 0.0, epsilon = 1e-15);
        assert_relative_eq!(effective_areas(&[3.0; 4]).unwrap(), 4.0);
    }

    #[test]
    fn degenerate() {
        assert_eq!(hhi(&[0.0, 0.0]), Err(Undefined::NoCareUnits));
        assert_eq!(hhi(&[]), Err(Undefined::TooFewAreas { n: 0, min: 1 }));
        assert_eq!(
            hhi_normalised(&[4.0]),
            Err(Undefined::TooFewAreas { n: 1, min: 2 })
        );
    }
}
