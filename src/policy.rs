//! The one policy: the rules a proposal of n places of group g in area a is judged by, what a
//! failing rule does, the verdict, and the limits the allocation respects.
//!
//! Every command that decides about places asks this module: `test-site`, `scenario` and
//! `suggest` through [`judge`] (called by the what-if engine, [`crate::scenario`]), `allocate`
//! through [`judge`] and [`allocation_blocker`] on the same proposals, and the monitor and the
//! report through [`fair_share_targets`] (the one fair-share definition) and [`Hotspot`].
//!
//! Each rule has a threshold from the config, an effect (`blokkerend`: a failure means *past
//! niet*; `voorwaarde`: a failure means *past onder voorwaarden*), the statistic it compared
//! and one Dutch sentence a council member can read. The verdict is *past_niet* when any
//! blocking rule fails, else *past_onder_voorwaarden* when any conditional rule fails, else
//! *past*.
//!
//! Defaults (docs/METHOD.md §2.6): the receiving area may not turn `rood` (blocking) or `oranje`
//! (condition); fair-share ratio at most 1.5 (condition; a cap for the allocation);
//! beschermd wonen at most 0.46 places per 1,000 inhabitants (the historical national norm per
//! region, condition and cap: label it as old and regional); at least 250 m to the nearest
//! existing site (condition); not in a "kracht laag / last hoog" area (blocking); not in a
//! significant hot spot of care units by the analytic Gi* z with a Benjamini–Hochberg
//! correction over the areas (condition); the target group's required facilities within their
//! rings (condition; with a facilities layer).
//!
//! Every rule is deterministic: no rule reads a permutation p-value, so no verdict changes
//! with the seed or the number of permutations (docs/METHOD.md §2.6, "Stable verdicts").
//! Rules about concentration use unclamped numbers (units per 1,000, the fair-share ratio),
//! never a winsorised z (docs/METHOD.md §2.4).
//!
//! This module depends only on the signal bands of [`crate::indicators`] and on the number
//! style of [`crate::table`]: the configuration ([`crate::config`]) holds its [`Rules`], the
//! what-if engine ([`crate::scenario`]) gathers the facts of a proposal, and the commands and
//! reports show its [`Verdict`]s.

#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::indicators::Signal;
use crate::model::TargetGroup;
use crate::table::{nl, number};

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

impl Effect {
    /// The word readable text gives the effect: `blokkerend`, `voorwaarde`, `informatief`.
    pub fn label(self) -> &'static str {
        match self {
            Effect::Blokkerend => "blokkerend",
            Effect::Voorwaarde => "voorwaarde",
            Effect::Informatief => "informatief",
        }
    }
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
    /// Effect of receiving a site in a significant hot spot of care units (analytic Gi* z,
    /// Benjamini–Hochberg corrected over the areas).
    pub hotspot_effect: Effect,
    /// False-discovery rate q of the hot-spot test over all areas (Benjamini–Hochberg).
    pub hotspot_fdr: f64,
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
            hotspot_fdr: 0.05,
            access_effect: Effect::Voorwaarde,
        }
    }
}

/// What a rule looks at: the receiving area as a whole, or the exact location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The rule depends on the area only (signal, fair share, norm, typology, hot spot): the
    /// same n places give the same outcome anywhere in the area.
    Wijk,
    /// The rule depends on the point (distance to a site, facilities within reach).
    Locatie,
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// Rule id.
    pub rule: String,
    /// Dutch name of the rule for readable text.
    pub label: String,
    /// Area or location.
    pub scope: Scope,
    /// True for the concentration caps (fair-share ratio, per-1,000 norms) that the
    /// allocation never exceeds, whatever their effect.
    pub cap: bool,
    /// Whether the rule could be tested; `false` means "niet getoetst" (then `passed` is true
    /// and the explanation says why).
    pub tested: bool,
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

impl RuleResult {
    /// The rule's outcome as one line of readable text, the same wherever a verdict is
    /// explained (`test-site`, `scenario.md`): a mark (`✓` met, `✗` not met, `–` not tested),
    /// the rule's label, its effect and the explanation with the statistic and the threshold.
    ///
    /// Example: "✗ eerlijk aandeel (voorwaarde): De wijk heeft na de wijziging 1,61 keer haar
    /// eerlijke aandeel zorgeenheden naar inwoners (was 1,12); grens 1,50."
    pub fn line(&self) -> String {
        let mark = match (self.tested, self.passed) {
            (false, _) => "–",
            (true, true) => "✓",
            (true, false) => "✗",
        };
        format!(
            "{mark} {} ({}): {}",
            self.label,
            self.effect.label(),
            self.explanation
        )
    }
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
    /// The Dutch words of the verdict in readable text.
    pub fn label(self) -> &'static str {
        match self {
            Self::Past => "past",
            Self::PastOnderVoorwaarden => "past onder voorwaarden",
            Self::PastNiet => "past niet",
        }
    }

    /// The id used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Past => "past",
            Self::PastOnderVoorwaarden => "past_onder_voorwaarden",
            Self::PastNiet => "past_niet",
        }
    }
}

/// The verdict of a list of rule results: *past niet* when a blocking rule fails, *past onder
/// voorwaarden* when a conditional rule fails or a blocking rule could not be tested (it is
/// then not met: an unknown signal or typology is never a pass, docs/METHOD.md §2.6), else
/// *past*.
pub fn verdict(results: &[RuleResult]) -> Verdict {
    let failed = |e: Effect| {
        results
            .iter()
            .any(|r| !r.passed && r.tested && r.effect == e)
    };
    let unknown_block = results
        .iter()
        .any(|r| !r.passed && !r.tested && r.effect == Effect::Blokkerend);
    if failed(Effect::Blokkerend) {
        Verdict::PastNiet
    } else if failed(Effect::Voorwaarde) || unknown_block {
        Verdict::PastOnderVoorwaarden
    } else {
        Verdict::Past
    }
}

/// The Dutch labels of the rules `pick` chooses, in order (for a line of text: the rules not
/// met, or not tested).
///
/// Example: the labels of the rules not tested in Groningen without sites: "eerlijk aandeel",
/// "afstand tot bestaande zorglocatie", "hot spot van zorgeenheden (Gi*)".
pub fn labels(results: &[RuleResult], pick: impl Fn(&RuleResult) -> bool) -> Vec<&str> {
    results
        .iter()
        .filter(|r| pick(r))
        .map(|r| r.label.as_str())
        .collect()
}

/// The ids of the rules that are not met, in order.
pub fn failed_rules(results: &[RuleResult]) -> Vec<&str> {
    ids(results, |r| !r.passed)
}

/// The ids of the rules that could not be tested, in order (a condition that could not be
/// tested leaves the verdict as it is, so it is not among [`failed_rules`]; a layer lists it
/// here, as the verdict line of `test-site` names it).
pub fn untested_rules(results: &[RuleResult]) -> Vec<&str> {
    ids(results, |r| !r.tested)
}

fn ids(results: &[RuleResult], pick: impl Fn(&RuleResult) -> bool) -> Vec<&str> {
    results
        .iter()
        .filter(|r| pick(r))
        .map(|r| r.rule.as_str())
        .collect()
}

impl Rules {
    /// Check the thresholds make sense.
    pub fn validate(&self) -> Result<(), String> {
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let non_negative = |v: f64| v.is_finite() && v >= 0.0;
        if !positive(self.fair_share_max) {
            let v = self.fair_share_max;
            return Err(format!(
                "rules.fair_share_max moet groter zijn dan 0, niet {v}"
            ));
        }
        if !(self.hotspot_fdr > 0.0 && self.hotspot_fdr < 1.0) {
            let v = self.hotspot_fdr;
            return Err(format!(
                "rules.hotspot_fdr moet tussen 0 en 1 liggen (0 en 1 zelf niet), niet {v}"
            ));
        }
        if !non_negative(self.min_distance_m) {
            let v = self.min_distance_m;
            return Err(format!(
                "rules.min_distance_m moet 0 of meer zijn, niet {v}"
            ));
        }
        if self.signal_condition_at.severity() > self.signal_blocks_at.severity() {
            return Err(
                "rules.signal_condition_at moet een mildere band zijn dan signal_blocks_at".into(),
            );
        }
        match self.per_1000.iter().find(|r| !non_negative(r.max)) {
            Some(r) => Err(format!(
                "rules.per_1000 voor {} moet 0 of meer zijn, niet {}",
                r.group, r.max
            )),
            None => Ok(()),
        }
    }

    /// Check that every per-1,000 norm names one of the configured target groups. A group id
    /// that differs from the norm's only in case is named, since that is the likely cause (a
    /// `[[target_group]]` written `Beschermd_Wonen`).
    pub fn check_groups(&self, groups: &[TargetGroup]) -> Result<(), String> {
        let unknown = self
            .per_1000
            .iter()
            .find(|r| !groups.iter().any(|g| g.id == r.group));
        match unknown {
            Some(r) => Err(format!(
                "rules.per_1000 noemt de onbekende doelgroep '{}'{}",
                r.group,
                groups
                    .iter()
                    .find(|g| g.id.to_lowercase() == r.group.to_lowercase())
                    .map_or(String::new(), |g| format!(
                        "; de doelgroep heet '{}' (ids zijn hoofdlettergevoelig): schrijf ze \
                         overal hetzelfde",
                        g.id
                    ))
            )),
            None => Ok(()),
        }
    }
}

/// The one fair-share definition: area i's fair share of `total` care units is
/// τ_i = total · t_i / T, with t_i its inhabitants and T = Σ t_i (docs/METHOD.md §2.6, "One
/// fair share", and §3.1).
///
/// The fair-share ratio of the site test is F_i = x_i / τ_i with `total` = X (the care units
/// now, so F_i = (x_i/t_i)/(X/T)); the allocation's targets are τ_i with `total` = X + N; the
/// monitor's opgave shares by population are τ_i with `total` = the opgave. An area without
/// inhabitants has a fair share of 0; with T = 0 every share is 0.
///
/// # Example
/// 30 units over areas of 1,000 and 2,000 inhabitants: τ = (10, 20).
/// ```
/// assert_eq!(wijkbalans::policy::fair_share_targets(30.0, &[1000.0, 2000.0]), vec![10.0, 20.0]);
/// ```
pub fn fair_share_targets(total: f64, inhabitants: &[f64]) -> Vec<f64> {
    let t: f64 = inhabitants.iter().sum();
    inhabitants
        .iter()
        .map(|ti| if t > 0.0 { total * ti / t } else { 0.0 })
        .collect()
}

/// The hot-spot statistic of one area: the analytic Gi* z of care units per 1,000 inhabitants
/// in the baseline (Ord & Getis 1995; docs/METHOD.md §3.8), its one-tailed normal p-value and
/// the Benjamini–Hochberg threshold over all areas tested (docs/METHOD.md §2.6).
///
/// Analytic, so the same for any seed and any number of permutations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspot {
    /// Gi* z (`None`: not tested, see `untested`).
    pub z: Option<f64>,
    /// One-tailed p = P(Z > |z|).
    pub p: Option<f64>,
    /// The largest p that is significant after the Benjamini–Hochberg correction; `None` when
    /// no area is significant.
    pub p_threshold: Option<f64>,
    /// Number of areas tested together (m of the correction).
    pub areas_tested: usize,
    /// The false-discovery rate q.
    pub fdr: f64,
    /// Why the area was not tested (island, no inhabitants, undefined Gi*).
    pub untested: Option<String>,
}

impl Hotspot {
    /// A significant high cluster: z > 0 and p at or below the corrected threshold.
    pub fn significant(&self) -> bool {
        matches!((self.z, self.p, self.p_threshold), (Some(z), Some(p), Some(t)) if z > 0.0 && p <= t)
    }
}

/// The Benjamini–Hochberg threshold: with the m defined p-values sorted,
/// p_(1) ≤ … ≤ p_(m), the largest p_(k) with p_(k) ≤ k·q/m; `None` when there is none.
/// Every p at or below it is significant at false-discovery rate q (Benjamini & Hochberg 1995,
/// *Controlling the false discovery rate*, JRSS B 57(1); docs/METHOD.md §2.6).
///
/// # Example
/// p = (0.001, 0.02, 0.04, 0.3), q = 0.05, m = 4: the bounds k·q/m are 0.0125, 0.025, 0.0375,
/// 0.05; p_(2) = 0.02 ≤ 0.025 but p_(3) = 0.04 > 0.0375, so the threshold is 0.02.
/// ```
/// use wijkbalans::policy::benjamini_hochberg;
/// let p = [Some(0.04), Some(0.001), None, Some(0.3), Some(0.02)];
/// assert_eq!(benjamini_hochberg(&p, 0.05), Some(0.02));
/// assert_eq!(benjamini_hochberg(&[Some(0.5)], 0.05), None);
/// ```
pub fn benjamini_hochberg(p: &[Option<f64>], q: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = p.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .filter(|(k, pk)| **pk <= (*k as f64 + 1.0) * q / m)
        .map(|(_, pk)| *pk)
        .next_back()
}

/// The hot-spot statistic of every area from its Gi* z and p (in area order); `untested`
/// gives, per area, why Gi* is undefined there.
pub fn hotspots(
    z: &[Option<f64>],
    p: &[Option<f64>],
    untested: &[Option<String>],
    fdr: f64,
) -> Vec<Hotspot> {
    let threshold = benjamini_hochberg(p, fdr);
    let m = p.iter().flatten().count();
    (0..z.len())
        .map(|i| {
            let defined = z[i].is_some() && p[i].is_some();
            Hotspot {
                z: z[i].filter(|_| defined),
                p: p[i].filter(|_| defined),
                p_threshold: threshold,
                areas_tested: m,
                fdr,
                untested: if defined {
                    None
                } else {
                    Some(
                        untested[i]
                            .clone()
                            .unwrap_or_else(|| "Gi* is hier niet gedefinieerd".to_string()),
                    )
                },
            }
        })
        .collect()
}

/// What the policy needs to know of the receiving area, before or after a change.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaFacts {
    /// The area's signal ([`crate::indicators::AreaScore::signal`]): the worse of the band of
    /// the clamped saldo and that of the saldo with the care rate not clamped. The signal rule
    /// reads it.
    pub signal: Signal,
    /// Saldo draagkracht − draaglast.
    pub saldo: Option<f64>,
    /// Typology code, e.g. `K1-L3`.
    pub typology: Option<String>,
    /// Fair-share ratio of all care units (unclamped), [`fair_share_targets`].
    pub fair_share_ratio: Option<f64>,
    /// Units of the proposal's group per 1,000 inhabitants (unclamped).
    pub group_per_1000: Option<f64>,
    /// The saldo and signal with the z-score of the care rate (DL7) not clamped, when the
    /// map's clamp at ±`winsorise_at` cuts it (docs/METHOD.md §2.4); `None` when it does not.
    /// The signal rule quotes this saldo when its band is no milder than
    /// [`AreaFacts::signal`], so that the number it gives is the one the signal rests on.
    pub uncapped: Option<Uncapped>,
    /// Whether the area has inhabitants. One without has no balance
    /// ([`crate::indicators::score_area`]), and the rules that read it say so.
    pub inhabited: bool,
}

pub use crate::indicators::Uncapped;

/// Why the balance of `f` is unknown, for the sentence of a rule that could not read it: the
/// area has no inhabitants, or a block has no indicator with a value.
fn unknown_balance(f: &AreaFacts) -> &'static str {
    if f.inhabited {
        "draagkracht of draaglast heeft geen enkele indicator met een waarde"
    } else {
        "de wijk heeft geen inwoners, dus geen balans tussen draagkracht en draaglast"
    }
}

/// The outcome of the facility check at the location, prepared by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessFacts {
    /// Whether the check could be made: `false` when the group needs facilities but the run
    /// has no facilities layer (the rule is then "niet getoetst", never met or failed).
    pub tested: bool,
    /// The checks as JSON (one object per facility category; null when not tested).
    pub checks: Value,
    /// All required facilities within their rings (true when not tested).
    pub passed: bool,
    /// One Dutch sentence listing the checks, or saying why there are none.
    pub summary: String,
}

/// A proposal: n units of one group at one location, with the facts of its area.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal<'a> {
    /// Target group id.
    pub group: &'a str,
    /// Units added (> 0) or removed (< 0).
    pub units: f64,
    /// The receiving area before the change.
    pub before: AreaFacts,
    /// After the change.
    pub after: AreaFacts,
    /// Distance to the nearest counted site of any group before the change, metres.
    pub nearest_any_m: Option<f64>,
    /// Whether the study has a sites layer. Without one the care units already there are
    /// unknown, not 0: the fair-share and distance rules are then "niet getoetst" and say so.
    pub sites_layer: bool,
    /// The area's hot-spot statistic in the baseline.
    pub hotspot: &'a Hotspot,
    /// The facility check of the group's rings; `None` when the group needs no facilities.
    pub access: Option<AccessFacts>,
}

/// The rules' results and the verdict of one proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// One result per rule, in the order of docs/METHOD.md §2.6.
    pub reasons: Vec<RuleResult>,
    /// The verdict.
    pub verdict: Verdict,
}

fn opt_nl(v: Option<f64>, d: usize) -> String {
    v.map_or("onbekend".to_string(), |x| nl(x, d))
}

fn band(s: Signal) -> &'static str {
    s.as_str()
}

/// Judge a proposal by the rules: the one code path behind every verdict (test-site, scenario,
/// suggest) and every allocation limit (see [`allocation_blocker`]).
///
/// A removal passes every rule; where its statistic alone would fail a rule, the explanation
/// ends with [`REMOVAL_MEETS`]. The rules, their statistics and thresholds are in the module
/// documentation and in docs/METHOD.md §2.6.
///
/// # Example
/// 12 places that turn a `neutraal` area `oranje` and bring it to 1.8 × its fair share: two
/// conditions fail, so the verdict is *past onder voorwaarden*.
/// ```
/// use wijkbalans::indicators::Signal;
/// use wijkbalans::policy::{judge, AreaFacts, Hotspot, Proposal, Rules, Verdict};
/// let facts = |signal, saldo, ratio| AreaFacts {
///     signal, saldo: Some(saldo), typology: Some("K2-L2".into()),
///     fair_share_ratio: Some(ratio), group_per_1000: Some(1.0), uncapped: None,
///     inhabited: true,
/// };
/// let hot = Hotspot { z: Some(0.4), p: Some(0.34), p_threshold: None, areas_tested: 16,
///                     fdr: 0.05, untested: None };
/// let j = judge(&Rules::default(), &Proposal {
///     group: "beschermd_thuis", units: 12.0,
///     before: facts(Signal::Neutraal, -0.3, 1.2), after: facts(Signal::Oranje, -0.6, 1.8),
///     nearest_any_m: Some(900.0), sites_layer: true, hotspot: &hot, access: None,
/// });
/// assert_eq!(j.verdict, Verdict::PastOnderVoorwaarden);
/// assert_eq!(wijkbalans::policy::failed_rules(&j.reasons), ["signaal_na", "fair_share_ratio"]);
/// assert!(j.reasons[0].explanation.contains("wordt oranje"));
/// ```
pub fn judge(rules: &Rules, p: &Proposal) -> Judgement {
    let r = rules;
    let num = |v: Option<f64>| v.map_or(Value::Null, number);
    let removal = p.units < 0.0;
    let (b, a) = (&p.before, &p.after);
    let mut out = Vec::new();
    let result = |rule: &str, label: &str, scope: Scope, cap: bool| RuleResult {
        rule: rule.to_string(),
        label: label.to_string(),
        scope,
        cap,
        tested: true,
        value: Value::Null,
        threshold: Value::Null,
        passed: true,
        effect: Effect::Informatief,
        explanation: String::new(),
    };

    // 1. Signal of the receiving area after the change: the area's one signal, which is already
    //    the worse of the band of the clamped saldo and that of the saldo with the care rate not
    //    clamped, so that concentration never hides behind the clamp ([`AreaScore::signal`],
    //    docs/METHOD.md §2.4). An unknown signal is no band: not tested, and not met.
    let (sb, sa) = (b.signal, a.signal);
    let sev = sa.severity();
    let tested = sa != Signal::Onbekend;
    // Untested: not met, as blocking (the verdict treats it as a condition).
    let (passed, effect) = if !tested || sev >= r.signal_blocks_at.severity() {
        (false, Effect::Blokkerend)
    } else if sev >= r.signal_condition_at.severity() {
        (false, Effect::Voorwaarde)
    } else {
        (true, Effect::Blokkerend)
    };
    // The saldo the rule reads: with the care rate not clamped wherever the clamp cuts it
    // and that band is not milder (in `rood` before and after, 12 places still move it).
    let read = |f: &AreaFacts| {
        f.uncapped
            .filter(|u| u.signal.severity() >= f.signal.severity())
            .map(|u| u.saldo)
    };
    let rule_saldo = |f: &AreaFacts| read(f).or(f.saldo);
    let saldi = format!(
        "saldo {} → {}",
        opt_nl(rule_saldo(b), 2),
        opt_nl(rule_saldo(a), 2)
    );
    let movement = if sa == sb {
        format!("was al {} en blijft {}", band(sb), band(sa))
    } else {
        format!("was {} en wordt {}", band(sb), band(sa))
    };
    let thresholds = format!(
        "{} blokkeert, {} is een voorwaarde",
        band(r.signal_blocks_at),
        band(r.signal_condition_at)
    );
    let uncapped = if read(a).is_some() || read(b).is_some() {
        format!(
            " Dat is met het volle aantal zorgeenheden: het signaal rekent met hun z-score zonder \
             de afkapping van de tabel; afgekapt is het saldo {} → {}.",
            opt_nl(b.saldo, 2),
            opt_nl(a.saldo, 2)
        )
    } else {
        String::new()
    };
    out.push(RuleResult {
        value: band(sa).into(),
        threshold: thresholds.clone().into(),
        passed,
        tested,
        effect,
        explanation: if tested {
            format!("De wijk {movement} ({saldi}); {thresholds}.{uncapped}")
        } else {
            format!(
                "Niet getoetst: het saldo van de wijk na de wijziging is onbekend ({}), dus of ze \
                 {} wordt, is niet te zeggen; zolang dat zo is, past de plek hooguit onder \
                 voorwaarden.",
                unknown_balance(a),
                band(r.signal_blocks_at)
            )
        },
        ..result("signaal_na", "signaal van de wijk", Scope::Wijk, false)
    });

    // 2. Fair-share ratio (unclamped). Without a ratio before the change (no care units in
    //    the study yet, or no inhabitants in the area) there is no fair share to compare with.
    //    Without a sites layer the units of earlier changes in a scenario are known but the
    //    units already there are not, so no ratio is known either.
    let fs = a.fair_share_ratio.filter(|_| p.sites_layer);
    let tested = p.sites_layer && b.fair_share_ratio.is_some();
    out.push(RuleResult {
        value: num(fs),
        threshold: number(r.fair_share_max),
        passed: !tested || fs.is_none_or(|f| f <= r.fair_share_max),
        tested,
        effect: r.fair_share_effect,
        explanation: if tested {
            format!(
                "De wijk heeft na de wijziging {} keer haar eerlijke aandeel zorgeenheden naar inwoners (was {}); grens {}.",
                opt_nl(fs, 2),
                opt_nl(b.fair_share_ratio, 2),
                nl(r.fair_share_max, 2)
            )
        } else if !p.sites_layer {
            "Niet getoetst: er is geen zorglocatielaag (geef --sites), dus hoeveel zorg er al is, is onbekend; zonder dat is er geen eerlijk aandeel om mee te vergelijken.".to_string()
        } else {
            "Niet getoetst: vóór de wijziging is er geen eerlijk aandeel om mee te vergelijken (geen zorgeenheden in het studiegebied, of geen inwoners in de wijk).".to_string()
        },
        ..result("fair_share_ratio", "eerlijk aandeel", Scope::Wijk, true)
    });

    // 3. Per-1,000 norms for the proposal's group (unclamped). Without a sites layer the
    //    value counts only the units of this change and of the scenario's earlier ones: a
    //    lower bound, since the units already there are unknown. Above the norm it fails all
    //    the same; at or below it, it is not tested.
    for norm in r.per_1000.iter().filter(|n| n.group == p.group) {
        let v = a.group_per_1000;
        let at_least = v.filter(|_| !p.sites_layer);
        let tested = v.is_some_and(|x| p.sites_layer || x > norm.max);
        out.push(RuleResult {
            value: num(v),
            threshold: number(norm.max),
            passed: if tested {
                v.is_some_and(|x| x <= norm.max)
            } else {
                untested_passes(norm.effect)
            },
            tested,
            effect: norm.effect,
            explanation: match (v, at_least) {
                (Some(x), Some(_)) if tested => format!(
                    "{} per 1.000 inwoners in de wijk na de wijziging: ten minste {}, want de \
                     zorg die er al is, is onbekend (er is geen zorglocatielaag; geteld zijn \
                     alleen deze wijziging en, in een scenario, de wijzigingen ervoor); norm {} ({}).",
                    norm.group,
                    nl(x, 2),
                    nl(norm.max, 2),
                    norm.source
                ),
                (Some(x), Some(_)) => format!(
                    "Niet getoetst: er is geen zorglocatielaag (geef --sites), dus hoeveel zorg \
                     er al is, is onbekend; deze wijziging (met, in een scenario, de \
                     wijzigingen ervoor) geeft {} {} per 1.000 inwoners; norm {} ({}).",
                    nl(x, 2),
                    norm.group,
                    nl(norm.max, 2),
                    norm.source
                ),
                (Some(_), None) => format!(
                    "{} per 1.000 inwoners in de wijk na de wijziging: {} (was {}); norm {} ({}).",
                    norm.group,
                    opt_nl(v, 2),
                    opt_nl(b.group_per_1000, 2),
                    nl(norm.max, 2),
                    norm.source
                ),
                (None, _) => format!(
                    "Niet getoetst: de wijk heeft geen inwoners, dus er is geen aantal per 1.000; \
                     norm {} ({}).",
                    nl(norm.max, 2),
                    norm.source
                ),
            },
            ..result(
                &format!("per_1000_{}", norm.group),
                "norm per 1.000 inwoners",
                Scope::Wijk,
                true,
            )
        });
    }

    // 4. Distance to the nearest existing site. Without a sites layer the only sites known
    //    are those a scenario added before this change: one nearer than the minimum fails the
    //    rule all the same; otherwise an unknown site could be nearer, so it is not tested.
    let d = p.nearest_any_m;
    let too_near = d.is_some_and(|d| d < r.min_distance_m);
    let tested = p.sites_layer || too_near;
    out.push(RuleResult {
        value: num(d.map(|d| d.round())),
        threshold: number(r.min_distance_m),
        passed: !too_near,
        tested,
        effect: r.min_distance_effect,
        explanation: match d {
            Some(d) if p.sites_layer => format!(
                "De dichtstbijzijnde bestaande zorglocatie ligt op {} m (hemelsbreed); minimaal {} m.",
                nl(d, 0),
                nl(r.min_distance_m, 0)
            ),
            Some(d) if too_near => format!(
                "Een zorglocatie die eerder in dit scenario is toegevoegd, ligt op {} m \
                 (hemelsbreed); minimaal {} m. Waar de bestaande zorglocaties liggen, is \
                 onbekend: er is geen zorglocatielaag.",
                nl(d, 0),
                nl(r.min_distance_m, 0)
            ),
            Some(d) => format!(
                "Niet getoetst: er is geen zorglocatielaag (geef --sites), dus waar de \
                 bestaande zorglocaties liggen, is onbekend; de dichtstbijzijnde locatie die \
                 eerder in dit scenario is toegevoegd, ligt op {} m (hemelsbreed).",
                nl(d, 0)
            ),
            None if !p.sites_layer => "Niet getoetst: er is geen zorglocatielaag (geef --sites), dus waar de bestaande zorglocaties liggen, is onbekend.".to_string(),
            None => "Er is nog geen bestaande zorglocatie.".to_string(),
        },
        ..result(
            "afstand_bestaande_locatie",
            "afstand tot bestaande zorglocatie",
            Scope::Locatie,
            false,
        )
    });

    // 5. Typology "kracht laag / last hoog". An unknown typology is no class: not tested, and
    //    not met when the rule blocks.
    let k1l3 = |f: &AreaFacts| f.typology.as_deref() == Some("K1-L3");
    let typ = |f: &AreaFacts| f.typology.clone().unwrap_or_else(|| "onbekend".into());
    let tested = a.typology.is_some();
    out.push(RuleResult {
        value: a.typology.clone().map_or(Value::Null, Value::from),
        threshold: "niet K1-L3 (kracht laag / last hoog)".into(),
        passed: if tested {
            !k1l3(a)
        } else {
            untested_passes(r.typology_effect)
        },
        tested,
        effect: r.typology_effect,
        explanation: match (k1l3(b), k1l3(a)) {
            _ if !tested => format!(
                "Niet getoetst: de typologie van de wijk na de wijziging is onbekend ({}), dus \
                 of ze K1-L3 (kracht laag / last hoog) is, is niet te zeggen{}.",
                unknown_balance(a),
                if r.typology_effect == Effect::Blokkerend {
                    "; zolang dat zo is, past de plek hooguit onder voorwaarden"
                } else {
                    ""
                }
            ),
            (true, true) => "De wijk was al K1-L3 (kracht laag / last hoog: laagste draagkracht, hoogste draaglast) en blijft dat.".into(),
            (false, true) => format!(
                "De wijk wordt K1-L3 (kracht laag / last hoog) door de wijziging; was {}.",
                typ(b)
            ),
            _ => format!(
                "De wijk is na de wijziging {}, niet K1-L3 (kracht laag / last hoog).",
                typ(a)
            ),
        },
        ..result("typologie", "typologie", Scope::Wijk, false)
    });

    // 6. Hot spot of care units: analytic Gi* z, Benjamini–Hochberg over the areas.
    let h = p.hotspot;
    let cut = match h.p_threshold {
        Some(t) => format!("p ≤ {}", nl(t, 4)),
        None => "geen enkele wijk significant".to_string(),
    };
    let correction = format!(
        "Benjamini–Hochberg over {} wijken, q = {}: {cut}",
        h.areas_tested,
        nl(h.fdr, 2)
    );
    let hot = h.significant();
    out.push(RuleResult {
        value: match (h.z, h.p) {
            (Some(z), Some(pv)) => serde_json::json!({"gi_star_z": number(z), "p": number(pv)}),
            _ => Value::Null,
        },
        threshold: serde_json::json!({
            "fdr": number(h.fdr),
            "p_max": h.p_threshold.map_or(Value::Null, number),
        }),
        passed: !hot,
        tested: h.untested.is_none(),
        effect: r.hotspot_effect,
        explanation: match (h.z, h.p, &h.untested) {
            (Some(z), Some(pv), None) if hot => format!(
                "De wijk ligt in een hot spot van zorgeenheden per 1.000 inwoners: Gi* z = {} (analytische p = {}), significant na correctie ({correction}).",
                nl(z, 2),
                nl(pv, 4)
            ),
            (Some(z), Some(pv), None) => format!(
                "Geen hot spot van zorgeenheden per 1.000 inwoners: Gi* z = {} (analytische p = {}); drempel na correctie ({correction}).",
                nl(z, 2),
                nl(pv, 4)
            ),
            (_, _, why) => format!(
                "Niet getoetst: {}.",
                why.clone().unwrap_or_else(|| "Gi* is hier niet gedefinieerd".into())
            ),
        },
        ..result(
            "hotspot_zorgeenheden",
            "hot spot van zorgeenheden (Gi*)",
            Scope::Wijk,
            false,
        )
    });

    // 7. Required facilities within the target group's rings.
    if let Some(acc) = &p.access {
        out.push(RuleResult {
            value: acc.checks.clone(),
            threshold: format!(
                "alle vereiste voorzieningen voor {} binnen hun ring",
                p.group
            )
            .into(),
            passed: acc.passed,
            tested: acc.tested,
            effect: r.access_effect,
            explanation: acc.summary.clone(),
            ..result(
                "voorzieningen_binnen_bereik",
                "voorzieningen binnen bereik",
                Scope::Locatie,
                false,
            )
        });
    }
    // A removal adds no care units, so it meets every rule; where the statistic alone would
    // fail the rule, the explanation says why it is met anyway.
    if removal {
        for rule in out.iter_mut().filter(|rule| !rule.passed) {
            rule.passed = true;
            rule.explanation.push_str(REMOVAL_MEETS);
        }
    }
    let verdict = verdict(&out);
    Judgement {
        reasons: out,
        verdict,
    }
}

/// Whether a rule with `effect` that cannot be tested counts as met: not when it blocks (an
/// unknown is never a pass; [`verdict`] then treats it as a condition), else yes (a condition
/// that cannot be tested leaves the verdict as it is). docs/METHOD.md §2.6, "Unknown is never
/// a pass".
fn untested_passes(effect: Effect) -> bool {
    effect != Effect::Blokkerend
}

/// What a rule's explanation adds when a removal meets it although its statistic alone would
/// not (docs/METHOD.md §2.6: a removal passes every rule).
pub const REMOVAL_MEETS: &str =
    " Voldaan, want dit is een afbouw: die voegt geen zorgeenheden toe.";

/// Options of the allocation on top of the rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocationRules {
    /// No area may be pushed into the condition band (`oranje` by default) either.
    pub no_oranje: bool,
}

/// The rule that forbids an allocation of these places to this area, if any: the first area
/// rule ([`Scope::Wijk`]) that fails and is blocking; else the first that fails and is a
/// concentration cap ([`RuleResult::cap`]: the fair-share ratio and the per-1,000 norms), or,
/// with [`AllocationRules::no_oranje`], the signal rule as a condition.
///
/// Location rules (distance, facilities) are not checked: they depend on the exact site, which
/// the allocation does not choose. Hence an area that the allocation gives n places receives
/// from the site test, for n places at any point of that area, at worst *past onder
/// voorwaarden* as long as the location rules are not blocking (the default).
pub fn allocation_blocker(reasons: &[RuleResult], opts: AllocationRules) -> Option<&RuleResult> {
    let failing = |r: &&RuleResult| !r.passed && r.scope == Scope::Wijk;
    // A blocking rule first: it refuses any number, so relaxing a cap would not help (a K1-L3
    // wijk above its fair share is named for its typology, not for the cap).
    reasons
        .iter()
        .filter(failing)
        .find(|r| r.effect == Effect::Blokkerend)
        .or_else(|| {
            reasons
                .iter()
                .filter(failing)
                .find(|r| r.cap || (opts.no_oranje && r.rule == "signaal_na"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(passed: bool, effect: Effect) -> RuleResult {
        RuleResult {
            rule: "x".into(),
            label: "x".into(),
            scope: Scope::Wijk,
            cap: false,
            tested: true,
            value: 1.into(),
            threshold: 1.into(),
            passed,
            effect,
            explanation: String::new(),
        }
    }

    #[test]
    fn a_removal_meets_every_rule_and_says_why_where_its_statistic_would_not() {
        // 20 places taken from a site in a rood K1-L3 wijk, at 0 m from that site, still 1.6 ×
        // its fair share and above the beschermd_wonen norm after the removal.
        let facts = |saldo: f64, ratio: f64, per_1000: f64| AreaFacts {
            signal: Signal::Rood,
            saldo: Some(saldo),
            typology: Some("K1-L3".into()),
            fair_share_ratio: Some(ratio),
            group_per_1000: Some(per_1000),
            uncapped: None,
            inhabited: true,
        };
        let hot = hot();
        let proposal = |units: f64| Proposal {
            group: "beschermd_wonen",
            units,
            before: facts(-2.7, 2.0, 5.5),
            after: facts(-2.2, 1.6, 3.7),
            nearest_any_m: Some(0.0),
            sites_layer: true,
            hotspot: &hot,
            access: None,
        };
        let removal = judge(&Rules::default(), &proposal(-20.0));
        assert_eq!(removal.verdict, Verdict::Past);
        // The same numbers as an addition fail exactly the rules the removal explains.
        let addition = judge(&Rules::default(), &proposal(20.0));
        assert_eq!(addition.verdict, Verdict::PastNiet);
        for (gone, added) in removal.reasons.iter().zip(&addition.reasons) {
            assert!(gone.passed, "{}", gone.rule);
            assert_eq!(
                gone.explanation.ends_with(REMOVAL_MEETS),
                !added.passed,
                "{}: {}",
                gone.rule,
                gone.explanation
            );
        }
        let explained: Vec<&str> = removal
            .reasons
            .iter()
            .filter(|r| r.explanation.ends_with(REMOVAL_MEETS))
            .map(|r| r.rule.as_str())
            .collect();
        assert_eq!(
            explained,
            [
                "signaal_na",
                "fair_share_ratio",
                "per_1000_beschermd_wonen",
                "afstand_bestaande_locatie",
                "typologie"
            ]
        );
    }

    fn hot() -> Hotspot {
        Hotspot {
            z: Some(0.4),
            p: Some(0.34),
            p_threshold: None,
            areas_tested: 16,
            fdr: 0.05,
            untested: None,
        }
    }

    fn neutral(signal: Signal, saldo: Option<f64>, typology: Option<&str>) -> AreaFacts {
        AreaFacts {
            signal,
            saldo,
            typology: typology.map(Into::into),
            fair_share_ratio: Some(1.0),
            group_per_1000: Some(1.0),
            uncapped: None,
            inhabited: true,
        }
    }

    /// `f`, whose signal is the band of its clamped saldo, with the saldo `saldo` and its band
    /// `signal` of the care rate not clamped: the area's signal is the worse of the two, as
    /// [`crate::indicators::score_area`] gives it.
    fn with_uncapped(f: AreaFacts, saldo: f64, signal: Signal) -> AreaFacts {
        let decides = signal.severity() > f.signal.severity();
        AreaFacts {
            signal: if decides { signal } else { f.signal },
            uncapped: Some(Uncapped {
                saldo,
                signal,
                decides,
            }),
            ..f
        }
    }

    /// Judge `units` places of `group` from `before` to `after`, 1,000 m from the nearest site,
    /// with `rules`.
    fn judged(
        rules: &Rules,
        group: &str,
        units: f64,
        before: AreaFacts,
        after: AreaFacts,
    ) -> Judgement {
        let h = hot();
        judge(
            rules,
            &Proposal {
                group,
                units,
                before,
                after,
                nearest_any_m: Some(1000.0),
                sites_layer: true,
                hotspot: &h,
                access: None,
            },
        )
    }

    #[test]
    fn without_a_sites_layer_only_what_is_known_to_fail_is_tested() {
        // A scenario without sites: an earlier change put units in the study, so a ratio can be
        // computed (0 → 80.3), but the units already there are unknown. The per-1,000 value
        // (8 places in 4,400 inhabitants: 1.82) counts only the scenario's places, a lower
        // bound; the earlier change's site at 172 m is a known site.
        let h = hot();
        let facts = |ratio: f64, per_1000: f64| AreaFacts {
            fair_share_ratio: Some(ratio),
            group_per_1000: Some(per_1000),
            ..neutral(Signal::Ruimte, Some(5.0), Some("K3-L1"))
        };
        let judge_at = |per_1000: f64, nearest: f64| {
            judge(
                &Rules::default(),
                &Proposal {
                    group: "beschermd_wonen",
                    units: 8.0,
                    before: facts(0.0, 0.0),
                    after: facts(80.33, per_1000),
                    nearest_any_m: Some(nearest),
                    sites_layer: false,
                    hotspot: &h,
                    access: None,
                },
            )
        };
        let rule =
            |j: &Judgement, id: &str| j.reasons.iter().find(|r| r.rule == id).cloned().unwrap();
        let known = judge_at(1.82, 172.0);
        // (rule, tested, passed, what its reason says)
        let expect = |j: &Judgement, id: &str, tested: bool, passed: bool, says: &str| {
            let r = rule(j, id);
            assert!(
                r.tested == tested && r.passed == passed && r.explanation.contains(says),
                "{r:?}"
            );
        };
        expect(&known, "fair_share_ratio", false, true, "Niet getoetst");
        assert!(rule(&known, "fair_share_ratio").value.is_null());
        expect(
            &known,
            "per_1000_beschermd_wonen",
            true,
            false,
            "ten minste 1,82",
        );
        expect(
            &known,
            "afstand_bestaande_locatie",
            true,
            false,
            "eerder in dit scenario",
        );
        assert_eq!(known.verdict, Verdict::PastOnderVoorwaarden);
        // At or below the norm, and farther than the minimum, an unknown site or unit could
        // still fail the rule: not tested, and not a failure.
        let open = judge_at(0.46, 250.0);
        for id in ["per_1000_beschermd_wonen", "afstand_bestaande_locatie"] {
            expect(&open, id, false, true, "Niet getoetst");
        }
        assert_eq!(open.verdict, Verdict::Past);
    }

    #[test]
    fn a_wijk_without_inhabitants_is_not_tested_and_says_why() {
        // 10,000 places in a wijk of 0 inhabitants, whose occupancy adds none: no balance before
        // or after, so neither the signal nor the typology rule is met, and both name the cause.
        let empty = AreaFacts {
            fair_share_ratio: None,
            group_per_1000: None,
            inhabited: false,
            ..neutral(Signal::Onbekend, None, None)
        };
        let j = judged(
            &Rules::default(),
            "beschermd_thuis",
            10_000.0,
            empty.clone(),
            empty,
        );
        assert_ne!(j.verdict, Verdict::Past);
        for rule in ["signaal_na", "typologie"] {
            let r = j.reasons.iter().find(|r| r.rule == rule).unwrap();
            assert!(!r.tested && !r.passed, "{rule}");
            assert!(
                r.explanation.contains("de wijk heeft geen inwoners"),
                "{}",
                r.explanation
            );
        }
    }

    #[test]
    fn an_unknown_signal_or_typology_is_not_tested_and_never_a_pass() {
        // A wijk without draagkracht (the 2024 CBS file has no income, WOZ or ownership): its
        // signal is onbekend and it has no typology. Both blocking rules are "niet getoetst"
        // and not met, so the verdict is at best past onder voorwaarden, and the allocation
        // places nothing there.
        let unknown = neutral(Signal::Onbekend, None, None);
        let j = judged(&Rules::default(), "jongeren", 2.0, unknown.clone(), unknown);
        assert_eq!(j.verdict, Verdict::PastOnderVoorwaarden);
        for id in ["signaal_na", "typologie"] {
            let r = j.reasons.iter().find(|r| r.rule == id).unwrap();
            assert!(!r.tested && !r.passed, "{id}");
            assert_eq!(r.effect, Effect::Blokkerend, "{id}");
            assert!(r.explanation.starts_with("Niet getoetst: "), "{id}");
            assert!(r.line().starts_with("– "), "{id}");
        }
        assert_eq!(failed_rules(&j.reasons), ["signaal_na", "typologie"]);
        assert_eq!(
            allocation_blocker(&j.reasons, AllocationRules::default()).map(|r| r.rule.as_str()),
            Some("signaal_na")
        );
        // With the typology as a condition only, its unknown value leaves the verdict alone.
        let rules = Rules {
            typology_effect: Effect::Voorwaarde,
            ..Rules::default()
        };
        let j = judged(
            &rules,
            "jongeren",
            2.0,
            neutral(Signal::Neutraal, Some(0.0), None),
            neutral(Signal::Neutraal, Some(0.0), None),
        );
        assert_eq!(j.verdict, Verdict::Past);
        let typ = j.reasons.iter().find(|r| r.rule == "typologie").unwrap();
        assert!(!typ.tested && typ.passed);
    }

    #[test]
    fn concentration_does_not_hide_behind_the_clamped_care_rate() {
        // 10,000 places in a wijk of 6,395: with its care rate's z clamped at 3 the saldo is
        // −0.82 (oranje); with the z not clamped (305) it is −151.8, rood, which is the wijk's
        // signal and blocks (docs/METHOD.md §2.4).
        let before = neutral(Signal::Ruimte, Some(0.58), Some("K2-L2"));
        let after = with_uncapped(
            neutral(Signal::Oranje, Some(-0.82), Some("K2-L3")),
            -151.84,
            Signal::Rood,
        );
        let j = judged(&Rules::default(), "beschermd_thuis", 1e4, before, after);
        assert_eq!(j.verdict, Verdict::PastNiet);
        let s = &j.reasons[0];
        assert_eq!(s.value, "rood");
        assert_eq!(
            s.explanation,
            "De wijk was ruimte en wordt rood (saldo 0,58 → −151,84); rood blokkeert, oranje is \
             een voorwaarde. Dat is met het volle aantal zorgeenheden: het signaal rekent met hun \
             z-score zonder de afkapping van de tabel; afgekapt is het saldo 0,58 → −0,82."
        );
        // An uncapped signal milder than the map's (a care rate far below the mean) is not the
        // area's signal, and the rule quotes the clamped saldo.
        let oranje = neutral(Signal::Oranje, Some(-0.7), Some("K2-L2"));
        let mild = with_uncapped(oranje.clone(), 1.2, Signal::Ruimte);
        let j = judged(&Rules::default(), "beschermd_thuis", 2.0, oranje, mild);
        assert_eq!(j.reasons[0].value, "oranje");
        assert!(
            j.reasons[0].explanation.contains("saldo −0,70 → −0,70")
                && !j.reasons[0].explanation.contains("afgekapt"),
            "{}",
            j.reasons[0].explanation
        );
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
            "rules.per_1000 noemt de onbekende doelgroep 'beschermd_wonen'"
        );
        // One written in other case is named: it is the likely cause.
        let mut upper = groups.clone();
        upper[0].id = "Beschermd_Wonen".into();
        let e = Rules::default().check_groups(&upper).unwrap_err();
        assert!(
            e.ends_with("de doelgroep heet 'Beschermd_Wonen' (ids zijn hoofdlettergevoelig): schrijf ze overal hetzelfde"),
            "{e}"
        );
        let mut r = Rules::default();
        r.per_1000[0].max = -1.0;
        assert_eq!(
            r.validate().unwrap_err(),
            "rules.per_1000 voor beschermd_wonen moet 0 of meer zijn, niet -1"
        );
    }
}
