//! Blocks, saldo, the 3×3 typology and the signal band (docs/METHOD.md §2.5).
//!
//! - Block score: DK_i = Σ_k w_k z_ik / Σ_k w_k over the draagkracht indicators with a value for
//!   area i; DL_i likewise. A linear mean, fully compensatory within the block.
//! - Saldo: S_i = DK_i − DL_i. A what-if change decomposes exactly into indicator contributions.
//! - Typology: DK tertile × DL tertile within the reference set (type-7 quantiles of the block
//!   scores of the reference areas), frozen with the baseline.
//! - Signal: S ≤ rood → `rood`; rood < S ≤ oranje → `oranje`; oranje < S < ruimte → `neutraal`;
//!   S ≥ ruimte → `ruimte` (defaults −1.0, −0.5, 0.5).
//!
//! Hand check: z(DK) = [1.0, −0.5] with weights [1, 1] gives DK = 0.25; z(DL) = [0.8] gives
//! DL = 0.8; S = −0.55 → `oranje`.

use serde::{Deserialize, Serialize};

/// Signal thresholds on the saldo. A configuration may give any of the three; the others keep
/// their defaults (−1.0, −0.5, 0.5), and the three must then be in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignalThresholds {
    /// S at or below this is `rood`.
    pub rood: f64,
    /// S at or below this (and above `rood`) is `oranje`.
    pub oranje: f64,
    /// S at or above this is `ruimte`.
    pub ruimte: f64,
}

impl Default for SignalThresholds {
    fn default() -> Self {
        Self {
            rood: -1.0,
            oranje: -0.5,
            ruimte: 0.5,
        }
    }
}

impl SignalThresholds {
    /// Check the thresholds are in order (rood < oranje < ruimte).
    pub fn validate(&self) -> Result<(), String> {
        let all_finite = [self.rood, self.oranje, self.ruimte]
            .iter()
            .all(|v| v.is_finite());
        if all_finite && self.rood < self.oranje && self.oranje < self.ruimte {
            Ok(())
        } else {
            Err(format!(
                "de drempels in [signal] moeten voldoen aan rood < oranje < ruimte; nu is rood = {}, oranje = {}, ruimte = {}",
                self.rood, self.oranje, self.ruimte
            ))
        }
    }
}

/// The signal band of a saldo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    /// Burden well above capacity.
    Rood,
    /// Burden above capacity.
    Oranje,
    /// In balance.
    Neutraal,
    /// Capacity to spare.
    Ruimte,
    /// No saldo (no indicator in one of the blocks).
    Onbekend,
}

impl Signal {
    /// Severity rank of the band for the rules (higher = worse); `onbekend` ranks with
    /// `neutraal`, and the rules treat it apart (it is no band).
    pub fn severity(self) -> u8 {
        match self {
            Signal::Ruimte => 0,
            Signal::Neutraal | Signal::Onbekend => 1,
            Signal::Oranje => 2,
            Signal::Rood => 3,
        }
    }

    /// The id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rood => "rood",
            Self::Oranje => "oranje",
            Self::Neutraal => "neutraal",
            Self::Ruimte => "ruimte",
            Self::Onbekend => "onbekend",
        }
    }
}

/// The band of saldo `s` under thresholds `t`; no saldo, or one that is not a finite number, is
/// `onbekend`, never a band (docs/METHOD.md §2.5: a NaN compares false with every threshold
/// and would otherwise fall through to `ruimte`).
pub fn signal(s: Option<f64>, t: &SignalThresholds) -> Signal {
    match s {
        None => Signal::Onbekend,
        Some(s) if !s.is_finite() => Signal::Onbekend,
        Some(s) if s <= t.rood => Signal::Rood,
        Some(s) if s <= t.oranje => Signal::Oranje,
        Some(s) if s < t.ruimte => Signal::Neutraal,
        Some(_) => Signal::Ruimte,
    }
}

/// Weighted mean of the z-scores present: Σ w z / Σ w, `None` when none is present, Σ w = 0
/// or the result is not a finite number (docs/METHOD.md §2.2, "Unknown stays unknown").
pub fn block_score(zw: &[(f64, f64)]) -> Option<f64> {
    let w: f64 = zw.iter().map(|p| p.1).sum();
    if zw.is_empty() || w.is_nan() || w <= 0.0 {
        return None;
    }
    Some(zw.iter().map(|(z, w)| z * w).sum::<f64>() / w).filter(|b| b.is_finite())
}

/// Type-7 quantile (linear interpolation, as numpy's default) of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Tertile breaks [q(1/3), q(2/3)] of the given values, `None` for fewer than 3 values.
pub fn tertile_breaks(values: &[f64]) -> Option<[f64; 2]> {
    if values.len() < 3 {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    Some([quantile(&v, 1.0 / 3.0), quantile(&v, 2.0 / 3.0)])
}

/// Tertile class 1 (laag), 2 (midden) or 3 (hoog) of `v` given breaks: below the lower break is
/// laag, above the upper break is hoog.
pub fn tertile(v: f64, breaks: &[f64; 2]) -> u8 {
    if v < breaks[0] {
        1
    } else if v > breaks[1] {
        3
    } else {
        2
    }
}

/// Dutch word of a tertile class.
pub fn tertile_word(class: u8) -> &'static str {
    match class {
        1 => "laag",
        2 => "midden",
        _ => "hoog",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn block_and_signal_match_the_hand_check() {
        let dk = block_score(&[(1.0, 1.0), (-0.5, 1.0)]).unwrap();
        let dl = block_score(&[(0.8, 1.0)]).unwrap();
        assert_relative_eq!(dk, 0.25);
        assert_relative_eq!(dk - dl, -0.55);
        assert_eq!(
            signal(Some(dk - dl), &SignalThresholds::default()),
            Signal::Oranje
        );
        assert_eq!(block_score(&[]), None);
    }

    #[test]
    fn signal_band_edges_follow_domain_2_5() {
        let t = SignalThresholds::default();
        assert_eq!(signal(Some(-1.0), &t), Signal::Rood);
        assert_eq!(signal(Some(-0.99), &t), Signal::Oranje);
        assert_eq!(signal(Some(-0.5), &t), Signal::Oranje);
        assert_eq!(signal(Some(-0.49), &t), Signal::Neutraal);
        assert_eq!(signal(Some(0.49), &t), Signal::Neutraal);
        assert_eq!(signal(Some(0.5), &t), Signal::Ruimte);
        assert_eq!(signal(None, &t), Signal::Onbekend);
        assert_eq!(signal(Some(f64::NAN), &t), Signal::Onbekend);
        assert_eq!(signal(Some(f64::INFINITY), &t), Signal::Onbekend);
        assert_eq!(signal(Some(f64::NEG_INFINITY), &t), Signal::Onbekend);
    }

    #[test]
    fn a_block_that_overflows_is_unknown() {
        assert_eq!(block_score(&[(3.0, 1e308), (3.0, 1e308)]), None);
        assert_eq!(block_score(&[(f64::NAN, 1.0)]), None);
        assert_eq!(block_score(&[(1.0, f64::NAN)]), None);
    }

    #[test]
    fn thresholds_in_the_wrong_order_are_rejected() {
        let t = SignalThresholds {
            rood: -0.5,
            oranje: -1.0,
            ruimte: 0.5,
        };
        assert!(t.validate().unwrap_err().contains("rood < oranje < ruimte"));
        assert!(SignalThresholds::default().validate().is_ok());
    }

    #[test]
    fn tertiles_use_type_7_quantiles() {
        // numpy.quantile([1,2,3,4,5,6,7], [1/3, 2/3]) = [3.0, 5.0]
        let b = tertile_breaks(&[7.0, 1.0, 3.0, 2.0, 5.0, 4.0, 6.0]).unwrap();
        assert_relative_eq!(b[0], 3.0);
        assert_relative_eq!(b[1], 5.0);
        assert_eq!(tertile(2.9, &b), 1);
        assert_eq!(tertile(3.0, &b), 2);
        assert_eq!(tertile(5.0, &b), 2);
        assert_eq!(tertile(5.1, &b), 3);
        assert_eq!(tertile_breaks(&[1.0, 2.0]), None);
    }
}
