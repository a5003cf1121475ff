//! The decision rules: what a proposed site is tested against, what a failing rule does, and
//! the verdict.
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
//!
//! This module depends only on the signal bands of [`crate::indicators`]: the configuration
//! ([`crate::config`]) holds its [`Rules`], the what-if engine ([`crate::scenario`]) applies
//! them, and the commands and reports show its [`Verdict`]s.

#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

use crate::indicators::Signal;
use crate::model::TargetGroup;

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

/// Configurable rules. A field missing from a config file takes its value from
/// [`Rules::default`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rules {
    /// The receiving area's signal after the change: this band (or worse) blocks.
    pub signal_blocks_at: Signal,
    /// The receiving area's signal after the change: this band is a condition.
    pub signal_condition_at: Signal,
    /// Fair-share ratio (care units share / population share) above this fails.
    pub fair_share_max: f64,
    /// Effect of the fair-share rule.
    pub fair_share_effect: Effect,
    /// Per-group norms per 1,000 inhabitants.
    pub per_1000: Vec<Per1000Rule>,
    /// Minimum distance in metres to the nearest existing site of any group.
    pub min_distance_m: f64,
    /// Effect of the distance rule.
    pub min_distance_effect: Effect,
    /// Effect of receiving a site in a "kracht laag / last hoog" (K1-L3) area.
    pub typology_effect: Effect,
    /// Effect of receiving a site in a significant LISA high-high cluster of care units.
    pub hotspot_effect: Effect,
    /// Effect of a location where the target group's required facilities are not all within
    /// their rings (`[access.rings]`; only with a facilities layer).
    pub access_effect: Effect,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            signal_blocks_at: Signal::Rood,
            signal_condition_at: Signal::Oranje,
            fair_share_max: 1.5,
            fair_share_effect: Effect::Voorwaarde,
            per_1000: vec![Per1000Rule {
                group: "beschermd_wonen".into(),
                max: 0.46,
                effect: Effect::Voorwaarde,
                source: "historische landelijke norm: max. 0,46 plaatsen beschermd wonen per 1.000 inwoners per regio (oud en regionaal; ter oriëntatie)".into(),
            }],
            min_distance_m: 250.0,
            min_distance_effect: Effect::Voorwaarde,
            typology_effect: Effect::Blokkerend,
            hotspot_effect: Effect::Voorwaarde,
            access_effect: Effect::Voorwaarde,
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

/// The ids of the rules that are not met, in order.
pub fn failed_rules(results: &[RuleResult]) -> Vec<&str> {
    results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| r.rule.as_str())
        .collect()
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
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let non_negative = |v: f64| v.is_finite() && v >= 0.0;
        if !positive(self.fair_share_max) {
            let v = self.fair_share_max;
            return Err(format!("rules.fair_share_max must be > 0, got {v}"));
        }
        if !non_negative(self.min_distance_m) {
            let v = self.min_distance_m;
            return Err(format!("rules.min_distance_m must be ≥ 0, got {v}"));
        }
        if severity(self.signal_condition_at) > severity(self.signal_blocks_at) {
            return Err(
                "rules.signal_condition_at must be a milder band than signal_blocks_at".into(),
            );
        }
        match self.per_1000.iter().find(|r| !non_negative(r.max)) {
            Some(r) => Err(format!("rules.per_1000 for {} must be ≥ 0", r.group)),
            None => Ok(()),
        }
    }

    /// Check that every per-1,000 norm names one of the configured target groups.
    pub fn check_groups(&self, groups: &[TargetGroup]) -> Result<(), String> {
        let unknown = self
            .per_1000
            .iter()
            .find(|r| !groups.iter().any(|g| g.id == r.group));
        match unknown {
            Some(r) => Err(format!(
                "rules.per_1000 names unknown target group '{}'",
                r.group
            )),
            None => Ok(()),
        }
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
    fn failed_rules_are_listed_in_order() {
        let mut a = r(false, Effect::Voorwaarde);
        a.rule = "a".into();
        let mut c = r(false, Effect::Informatief);
        c.rule = "c".into();
        assert_eq!(
            failed_rules(&[a, r(true, Effect::Blokkerend), c]),
            ["a", "c"]
        );
        assert!(failed_rules(&[]).is_empty());
    }

    #[test]
    fn default_rules_are_valid_and_round_trip() {
        let d = Rules::default();
        assert!(d.validate().is_ok());
        let text = toml::to_string(&d).unwrap();
        assert_eq!(toml::from_str::<Rules>(&text).unwrap(), d);
    }

    #[test]
    fn missing_fields_take_the_defaults() {
        let r: Rules = toml::from_str("fair_share_max = 2.0\n").unwrap();
        assert_eq!(r.fair_share_max, 2.0);
        assert_eq!(
            Rules {
                fair_share_max: 1.5,
                ..r
            },
            Rules::default()
        );
        assert!(toml::from_str::<Rules>("fair_share = 2.0\n").is_err());
    }

    #[test]
    fn norms_must_name_a_configured_group() {
        let groups = crate::model::default_target_groups();
        assert!(Rules::default().check_groups(&groups).is_ok());
        let e = Rules::default().check_groups(&groups[..0]).unwrap_err();
        assert_eq!(
            e,
            "rules.per_1000 names unknown target group 'beschermd_wonen'"
        );
        let mut r = Rules::default();
        r.per_1000[0].max = -1.0;
        assert_eq!(
            r.validate().unwrap_err(),
            "rules.per_1000 for beschermd_wonen must be ≥ 0"
        );
    }
}
