//! The rules a proposed site is tested against, and the verdict.
//!
//! Each rule has a threshold from the config, an effect (`blokkerend`: a failure means *past
//! niet*; `voorwaarde`: a failure means *past onder voorwaarden*) and a sentence a council member
//! can read. The verdict is *past_niet* when any blocking rule fails, else
//! *past_onder_voorwaarden* when any conditional rule fails, else *past*.
//!
//! Defaults (docs/METHOD.md §2.6): the receiving area may not turn `rood` (blocking) or `oranje`
//! (condition); fair-share ratio at most 1.5 (condition); beschermd wonen at most 0.46 places
//! per 1,000 inhabitants (the historical national norm per region, condition: label it as old
//! and regional); at least 250 m to the nearest existing site (condition); not in a "kracht laag /
//! last hoog" area (blocking); not in a LISA high-high cluster of care units (condition); the
//! target group's required facilities within their rings (condition; with a facilities layer).

use serde::{Deserialize, Serialize};

use crate::indicators::Signal;

/// What a failing rule does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// A failure means the site does not fit (*past niet*).
    Blokkerend,
    /// A failure means the site fits under conditions (*past onder voorwaarden*).
    Voorwaarde,
    /// The rule is reported but does not change the verdict.
    Informatief,
}

/// A maximum of care units per 1,000 inhabitants for one target group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Per1000Rule {
    /// Target group id.
    pub group: String,
    /// Maximum units of this group per 1,000 inhabitants in the receiving area.
    pub max: f64,
    /// Effect of exceeding it.
    pub effect: Effect,
    /// Where the norm comes from.
    pub source: String,
}

/// Configurable rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The receiving area's signal after the change: this band (or worse) blocks.
    #[serde(default = "rood")]
    pub signal_blocks_at: Signal,
    /// The receiving area's signal after the change: this band is a condition.
    #[serde(default = "oranje")]
    pub signal_condition_at: Signal,
    /// Fair-share ratio (care units share / population share) above this fails.
    #[serde(default = "fair_share_max")]
    pub fair_share_max: f64,
    /// Effect of the fair-share rule.
    #[serde(default = "voorwaarde")]
    pub fair_share_effect: Effect,
    /// Per-group norms per 1,000 inhabitants.
    #[serde(default = "per_1000_default")]
    pub per_1000: Vec<Per1000Rule>,
    /// Minimum distance in metres to the nearest existing site of any group.
    #[serde(default = "min_distance")]
    pub min_distance_m: f64,
    /// Effect of the distance rule.
    #[serde(default = "voorwaarde")]
    pub min_distance_effect: Effect,
    /// Effect of receiving a site in a "kracht laag / last hoog" (K1-L3) area.
    #[serde(default = "blokkerend")]
    pub typology_effect: Effect,
    /// Effect of receiving a site in a significant LISA high-high cluster of care units.
    #[serde(default = "voorwaarde")]
    pub hotspot_effect: Effect,
    /// Effect of a location where the target group's required facilities are not all within
    /// their rings (`[access.rings]`; only with a facilities layer).
    #[serde(default = "voorwaarde")]
    pub access_effect: Effect,
}

fn rood() -> Signal {
    Signal::Rood
}
fn oranje() -> Signal {
    Signal::Oranje
}
fn fair_share_max() -> f64 {
    1.5
}
fn voorwaarde() -> Effect {
    Effect::Voorwaarde
}
fn blokkerend() -> Effect {
    Effect::Blokkerend
}
fn min_distance() -> f64 {
    250.0
}
fn per_1000_default() -> Vec<Per1000Rule> {
    vec![Per1000Rule {
        group: "beschermd_wonen".into(),
        max: 0.46,
        effect: Effect::Voorwaarde,
        source: "historische landelijke norm: max. 0,46 plaatsen beschermd wonen per 1.000 inwoners per regio (oud en regionaal; ter oriëntatie)".into(),
    }]
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            signal_blocks_at: rood(),
            signal_condition_at: oranje(),
            fair_share_max: fair_share_max(),
            fair_share_effect: voorwaarde(),
            per_1000: per_1000_default(),
            min_distance_m: min_distance(),
            min_distance_effect: voorwaarde(),
            typology_effect: blokkerend(),
            hotspot_effect: voorwaarde(),
            access_effect: voorwaarde(),
        }
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// Rule id.
    pub rule: String,
    /// The measured value (JSON: a number, a band or a label).
    pub value: serde_json::Value,
    /// The threshold it was compared with.
    pub threshold: serde_json::Value,
    /// Whether the rule is met.
    pub passed: bool,
    /// What a failure does.
    pub effect: Effect,
    /// One Dutch sentence saying what was checked and what came out.
    pub explanation: String,
}

/// The verdict on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every rule is met.
    Past,
    /// Only conditional rules fail.
    PastOnderVoorwaarden,
    /// A blocking rule fails.
    PastNiet,
}

impl Verdict {
    /// The id used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Past => "past",
            Self::PastOnderVoorwaarden => "past_onder_voorwaarden",
            Self::PastNiet => "past_niet",
        }
    }
}

/// The verdict of a list of rule results.
pub fn verdict(results: &[RuleResult]) -> Verdict {
    let failed = |e: Effect| results.iter().any(|r| !r.passed && r.effect == e);
    if failed(Effect::Blokkerend) {
        Verdict::PastNiet
    } else if failed(Effect::Voorwaarde) {
        Verdict::PastOnderVoorwaarden
    } else {
        Verdict::Past
    }
}

/// Severity rank of a signal band for the rules (higher = worse).
pub fn severity(s: Signal) -> u8 {
    match s {
        Signal::Ruimte => 0,
        Signal::Neutraal | Signal::Onbekend => 1,
        Signal::Oranje => 2,
        Signal::Rood => 3,
    }
}

impl Rules {
    /// Check the thresholds make sense.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.fair_share_max.is_finite() && self.fair_share_max > 0.0) {
            return Err(format!(
                "rules.fair_share_max must be > 0, got {}",
                self.fair_share_max
            ));
        }
        if !(self.min_distance_m.is_finite() && self.min_distance_m >= 0.0) {
            return Err(format!(
                "rules.min_distance_m must be ≥ 0, got {}",
                self.min_distance_m
            ));
        }
        if severity(self.signal_condition_at) > severity(self.signal_blocks_at) {
            return Err(
                "rules.signal_condition_at must be a milder band than signal_blocks_at".into(),
            );
        }
        for r in &self.per_1000 {
            if !(r.max.is_finite() && r.max >= 0.0) {
                return Err(format!("rules.per_1000 for {} must be ≥ 0", r.group));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(passed: bool, effect: Effect) -> RuleResult {
        RuleResult {
            rule: "x".into(),
            value: 1.into(),
            threshold: 1.into(),
            passed,
            effect,
            explanation: String::new(),
        }
    }

    #[test]
    fn verdict_follows_the_worst_failing_effect() {
        assert_eq!(verdict(&[r(true, Effect::Blokkerend)]), Verdict::Past);
        assert_eq!(
            verdict(&[r(false, Effect::Informatief), r(true, Effect::Blokkerend)]),
            Verdict::Past
        );
        assert_eq!(
            verdict(&[r(false, Effect::Voorwaarde)]),
            Verdict::PastOnderVoorwaarden
        );
        assert_eq!(
            verdict(&[r(false, Effect::Voorwaarde), r(false, Effect::Blokkerend)]),
            Verdict::PastNiet
        );
    }

    #[test]
    fn default_rules_are_valid_and_round_trip() {
        let d = Rules::default();
        assert!(d.validate().is_ok());
        let text = toml::to_string(&d).unwrap();
        assert_eq!(toml::from_str::<Rules>(&text).unwrap(), d);
    }
}
