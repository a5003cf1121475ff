//! Atkinson index A(b).

use super::single_group::SingleGroup;
use super::undefined::Undefined;

/// Atkinson segregation index of care units over areas, with shape parameter b.
///
/// A = 1 − (P/(1 − P)) · |Σ_i (1 − p_i)^(1−b) p_i^b t_i / (P·T)|^(1/(1−b)), b ∈ [0, 1).
/// b weighs areas where the care units are under-represented (b < ½) or over-represented
/// (b > ½). 0 = even.
///
/// Reference: Atkinson (1970), "On the measurement of inequality", Journal of Economic Theory
/// 2(3), doi:10.1016/0022-0531(70)90039-6, in the segregation form of Massey & Denton (1988);
/// implementation `pysal/segregation@2aa26d81:segregation/singlegroup/atkinson.py`
/// (`_atkinson`). Units: counts per area; CRS-independent.
///
/// **PySAL quirk**: the class `Atkinson(data, x, t, b=…)` does not pass `b` on and always uses
/// b = 0.5 (b = 0.2 and b = 0.9 both give 0.13238 on docs/METHOD.md Appendix A). This function
/// matches the module function `_atkinson` for every b, so for b ≠ 0.5 it differs from the
/// class on purpose.
///
/// # Parameters
/// - `x`: care units per area (x_i ≥ 0), in area order.
/// - `t`: reference per area, with x_i ≤ t_i.
/// - `b`: shape parameter in [0, 1). (PySAL accepts b = 1 but then divides by zero.)
///
/// # Returns
/// `Err` when b is outside [0, 1), x_i > t_i somewhere, X = 0, T = 0 or P = 1; never NaN.
///
/// # Panics
/// When `x` and `t` differ in length.
///
/// # Example
/// Hand check, b = ½: p = (½, 0), P = ¼: Σ = √½·√½·20/(¼·40) = 1, so A = 1 − (¼/¾)·1 = ⅔.
/// ```
/// use wijkbalans::spread::atkinson;
/// let a = atkinson(&[10.0, 0.0], &[20.0, 20.0], 0.5).unwrap();
/// assert!((a - 2.0 / 3.0).abs() < 1e-12);
/// ```
pub fn atkinson(x: &[f64], t: &[f64], b: f64) -> Result<f64, Undefined> {
    if !(0.0..1.0).contains(&b) {
        return Err(Undefined::InvalidParameter {
            name: "atkinson b",
            value: b,
            range: "[0, 1)",
        });
    }
    let g = SingleGroup::new_mixed(x, t)?;
    let p = g.p();
    let sum: f64 = (0..g.n())
        .map(|i| {
            let p_i = g.p_i(i);
            (1.0 - p_i).powf(1.0 - b) * p_i.powf(b) * t[i] / (p * g.total_t)
        })
        .sum();
    Ok(1.0 - (p / (1.0 - p)) * sum.abs().powf(1.0 / (1.0 - b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, T, X};
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a() {
        assert_appendix(atkinson(&X, &T, 0.5).unwrap(), 0.1323772955);
        // `_atkinson(..., b=0.2)`, which the class would not give (see the quirk above)
        assert_relative_eq!(atkinson(&X, &T, 0.2).unwrap(), 0.05807, epsilon = 5e-6);
    }

    #[test]
    fn b_zero_is_zero() {
        // (1 − p_i)·t_i summed is Y, so A = 1 − (P/(1−P))·Y/(P T) = 0
        assert_relative_eq!(atkinson(&X, &T, 0.0).unwrap(), 0.0, epsilon = 1e-12);
    }

    #[test]
    fn parameter_out_of_range() {
        assert!(matches!(
            atkinson(&X, &T, 1.0),
            Err(Undefined::InvalidParameter { .. })
        ));
        assert!(matches!(
            atkinson(&X, &T, -0.1),
            Err(Undefined::InvalidParameter { .. })
        ));
        assert!(matches!(
            atkinson(&X, &T, f64::NAN),
            Err(Undefined::InvalidParameter { .. })
        ));
    }

    #[test]
    fn degenerate() {
        assert_eq!(atkinson(&[0.0], &[5.0], 0.5), Err(Undefined::NoCareUnits));
    }
}
