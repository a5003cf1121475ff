//! Population-weighted z-scores within a reference set, with frozen baseline parameters.
//!
//! z_ik = clamp(s_k · (v_ik − μ_k) / σ_k, −c, c) with
//! μ_k = Σ_i a_i v_ik / Σ_i a_i and σ_k = √(Σ_i a_i (v_ik − μ_k)² / Σ_i a_i),
//! a_i = the indicator's weighting concept (inhabitants, households or dwellings), c = 3.
//!
//! Reference: OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, "standardisation";
//! docs/METHOD.md §2.4 (population weighting, winsorising, freezing the parameters for what-if).
//! Only areas with at least `min_denominator` inhabitants and a value enter μ and σ; every area
//! is scored. An indicator is skipped when fewer than `min_coverage` of those areas have a value
//! or when σ = 0.
//!
//! Hand check: values [10, 20, 30] with weights [1, 1, 2] give μ = (10 + 20 + 60)/4 = 22.5 and
//! σ² = (12.5² + 2.5² + 2·7.5²)/4 = 68.75, so z(30) = 7.5/8.2916 = 0.9045.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::raw::IndicatorStatus;
use crate::model::Area;

/// Normalisation options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalisationOptions {
    /// Areas with fewer inhabitants are scored but do not enter μ and σ (docs/METHOD.md §2.2: 50).
    #[serde(default = "min_denominator")]
    pub min_denominator: f64,
    /// An indicator needs values for at least this share of reference areas (0.6).
    #[serde(default = "min_coverage")]
    pub min_coverage: f64,
    /// z-scores are clamped to ±this (3).
    #[serde(default = "winsor")]
    pub winsorise_at: f64,
    /// The reference set: all loaded areas, or each gemeente on its own.
    #[serde(default)]
    pub reference: Reference,
}

fn min_denominator() -> f64 {
    50.0
}
fn min_coverage() -> f64 {
    0.6
}
fn winsor() -> f64 {
    3.0
}

impl Default for NormalisationOptions {
    fn default() -> Self {
        Self {
            min_denominator: min_denominator(),
            min_coverage: min_coverage(),
            winsorise_at: winsor(),
            reference: Reference::default(),
        }
    }
}

/// Which areas each area is compared with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reference {
    /// All areas loaded together (a municipality, or a region such as West-Overijssel).
    #[default]
    Loaded,
    /// Each gemeente separately (for a file of many municipalities).
    Gemeente,
}

/// The reference-set key of an area.
pub fn reference_key(area: &Area, reference: Reference) -> String {
    match reference {
        Reference::Loaded => "all".to_string(),
        Reference::Gemeente => area
            .parents
            .get("gemeente")
            .cloned()
            .unwrap_or_else(|| "onbekend".to_string()),
    }
}

/// Frozen parameters of one indicator in one reference set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Weighted mean μ_k.
    pub mean: f64,
    /// Weighted standard deviation σ_k.
    pub sd: f64,
    /// Number of areas that entered μ and σ.
    pub n_reference: usize,
    /// Concept the weights a_i came from.
    pub weight_by: String,
}

/// Result of fitting one indicator: its parameters per reference set, or why it is skipped.
pub type Fit = Result<BTreeMap<String, Params>, super::Skip>;

/// Fit μ and σ of one indicator in every reference set.
pub fn fit(
    raw: &IndicatorStatus,
    areas: &[Area],
    concepts_present: &[String],
    opts: &NormalisationOptions,
) -> Fit {
    if let Some(reason) = &raw.skipped {
        return Err(reason.clone());
    }
    let weight_by = raw
        .def
        .weight_by
        .iter()
        .find(|c| concepts_present.iter().any(|p| p == *c))
        .cloned()
        .ok_or_else(|| super::Skip::NoWeightColumn(raw.def.weight_by.clone()))?;
    let mut sets: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let mut eligible: BTreeMap<String, usize> = BTreeMap::new();
    for (area, value) in areas.iter().zip(&raw.values) {
        if area.value("population").unwrap_or(0.0) < opts.min_denominator {
            continue;
        }
        let key = reference_key(area, opts.reference);
        *eligible.entry(key.clone()).or_default() += 1;
        if let (Ok(v), Some(a)) = (value, area.value(&weight_by)) {
            if a > 0.0 {
                sets.entry(key).or_default().push((*v, a));
            }
        }
    }
    if eligible.is_empty() {
        return Err(super::Skip::NoAreaLargeEnough {
            min_denominator: opts.min_denominator,
        });
    }
    let mut out = BTreeMap::new();
    for (key, n_eligible) in eligible {
        let pairs = sets.remove(&key).unwrap_or_default();
        let coverage = pairs.len() as f64 / n_eligible as f64;
        let set = (key != "all").then(|| key.clone());
        if coverage < opts.min_coverage {
            return Err(super::Skip::LowCoverage {
                with_value: pairs.len(),
                eligible: n_eligible,
                set,
                coverage,
                min_coverage: opts.min_coverage,
            });
        }
        let (mean, sd) = weighted_mean_sd(&pairs);
        if !(mean.is_finite() && sd.is_finite()) {
            let largest = pairs.iter().map(|p| p.0.abs()).fold(0.0, f64::max);
            return Err(super::Skip::NotFinite {
                set,
                mean,
                sd,
                largest,
            });
        }
        if pairs.len() < 2 || sd <= 0.0 {
            return Err(super::Skip::NoVariation { set, mean });
        }
        out.insert(
            key,
            Params {
                mean,
                sd,
                n_reference: pairs.len(),
                weight_by: weight_by.clone(),
            },
        );
    }
    Ok(out)
}

/// Weighted mean and (population) standard deviation of (value, weight) pairs, summed in order.
pub fn weighted_mean_sd(pairs: &[(f64, f64)]) -> (f64, f64) {
    let w: f64 = pairs.iter().map(|p| p.1).sum();
    let mean = pairs.iter().map(|(v, a)| a * v).sum::<f64>() / w;
    let var = pairs
        .iter()
        .map(|(v, a)| a * (v - mean).powi(2))
        .sum::<f64>()
        / w;
    (mean, var.sqrt())
}

/// z = clamp(sign · (v − μ)/σ, −c, c), `None` when that is not a finite number (v − μ
/// overflowed): unknown stays unknown, never a clamped ±c (docs/METHOD.md §2.2).
///
/// Example: μ = 22.5, σ = √68.75 ≈ 8.29, v = 30 gives z = 7.5 / 8.29 ≈ 0.905; v = 1e308 with
/// μ = −1e308 gives v − μ = inf, so `None`.
pub fn z_score(value: f64, params: &Params, sign: f64, winsorise_at: f64) -> Option<f64> {
    let z = sign * (value - params.mean) / params.sd;
    (!z.is_nan() && value.is_finite() && (value - params.mean).is_finite())
        .then(|| z.clamp(-winsorise_at, winsorise_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn weighted_mean_and_sd_match_the_hand_check() {
        let (m, sd) = weighted_mean_sd(&[(10.0, 1.0), (20.0, 1.0), (30.0, 2.0)]);
        assert_relative_eq!(m, 22.5);
        assert_relative_eq!(sd, 68.75f64.sqrt());
        let p = Params {
            mean: m,
            sd,
            n_reference: 3,
            weight_by: "population".into(),
        };
        assert_relative_eq!(
            z_score(30.0, &p, 1.0, 3.0).unwrap(),
            0.904534,
            epsilon = 1e-6
        );
        assert_relative_eq!(
            z_score(30.0, &p, -1.0, 3.0).unwrap(),
            -0.904534,
            epsilon = 1e-6
        );
    }

    #[test]
    fn z_is_winsorised() {
        let p = Params {
            mean: 0.0,
            sd: 1.0,
            n_reference: 2,
            weight_by: "population".into(),
        };
        assert_eq!(z_score(7.0, &p, 1.0, 3.0), Some(3.0));
        assert_eq!(z_score(-7.0, &p, 1.0, 3.0), Some(-3.0));
    }

    #[test]
    fn a_value_that_overflows_has_no_z() {
        let p = Params {
            mean: -1e308,
            sd: 1.0,
            n_reference: 2,
            weight_by: "population".into(),
        };
        assert_eq!(z_score(1e308, &p, 1.0, 3.0), None);
        assert_eq!(z_score(f64::NAN, &p, 1.0, 3.0), None);
        assert_eq!(z_score(f64::INFINITY, &p, 1.0, 3.0), None);
    }

    #[test]
    fn parameters_that_overflow_skip_the_indicator_with_the_reason() {
        // 1e308 · 2 weights overflow Σ a·v: μ is inf, so the indicator cannot be normalised.
        let (m, _) = weighted_mean_sd(&[(1e308, 2.0), (1e308, 2.0)]);
        assert!(!m.is_finite());
    }
}
