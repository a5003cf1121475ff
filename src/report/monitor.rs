//! The opgave monitor of an analysed study: every target evaluated on the study's sites and
//! areas, and what `wijkbalans monitor` writes of it (`monitor.json`, `monitor.csv`, the
//! `monitor_areas` layer). `wijkbalans report --opgave` shows the same numbers.

use serde_json::{json, Value};

use crate::indicators::Signal;
use crate::monitor::fair_share::TYPOLOGY_BLOCKED;
use crate::monitor::{
    evaluate, EvaluateError, Opgave, ShareArea, ShareMethod, ShareOptions, SiteRecord,
    TargetOutcome,
};
use crate::pipeline::{Loaded, Outcome};
use crate::table::{number, Table};

use super::suppress::{is_small, null_rows, Hidden};

/// The formula of the capacity weighting, as written to `monitor.json` and the report notes.
pub const CAPACITY_FORMULA: &str = "weight_i = inhabitants_i * max(0, 1 + beta * saldo_i); areas in rood get 0 unless --allow-rood, and so do areas of typology K1-L3 where the site test's typology rule blocks; shares = target * weight_i / sum(weight); whole shares by largest remainder";

/// How sites are counted, as written to `monitor.json`.
pub const COUNTING: &str = "realised = existing sites of the group in the target's area with year <= Y (no year: realised from the start); planned = planned sites with year <= Y; planned without a year are listed apart; proposed = proposed sites with year <= Y or without a year, shown for information and not part of the gap";

/// Why a target of the opgave cannot be evaluated on the study (`n` counts from 1, in file
/// order).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    /// The target's area is no loaded area and no parent code of one.
    #[error(
        "doel {n} ({group}) is voor gebied {area}, maar dat is geen ingelezen gebied en geen \
         bovenliggende code daarvan; geef bij area een code uit deze studie ({known}), of laat \
         area weg voor de hele studie"
    )]
    UnknownArea {
        /// The target's number.
        n: usize,
        /// Its target group.
        group: String,
        /// Its area code.
        area: String,
        /// Codes the study does hold, for the message: its gemeenten (at most three) and its
        /// first area, e.g. "gemeente GM0014, of een gebied zoals WK001400".
        known: String,
    },
    /// The monitor cannot evaluate it.
    #[error("doel {n} ({group}): {error}")]
    Evaluate {
        /// The target's number.
        n: usize,
        /// Its target group.
        group: String,
        /// Why.
        error: EvaluateError,
    },
}

/// Evaluate every target of `opgave` on the analysed study, in file order: the sites of the
/// target's group inside its area (assigned as in the analysis) and the areas inside it, with
/// the counted places of the group as their current places. The target's area is matched
/// against the areas' codes and parent codes without case and invisible characters
/// ([`crate::model::code_key`]).
pub fn evaluate_opgave(
    opgave: &Opgave,
    loaded: &Loaded,
    outcome: &Outcome,
    options: &ShareOptions,
) -> Result<Vec<TargetOutcome>, TargetError> {
    let areas = &loaded.areas;
    let sites = loaded.sites.as_deref().unwrap_or(&[]);
    let typology_blocks = loaded.config.rules.typology_effect == crate::policy::Effect::Blokkerend;
    let mut results = Vec::with_capacity(opgave.targets.len());
    for (k, target) in opgave.targets.iter().enumerate() {
        let n = k + 1;
        // Codes compared as everywhere (docs/METHOD.md §2.2, "Codes"): `gm0193` is `GM0193`.
        let key = target.area.as_deref().map(crate::model::code_key);
        let same = |code: &str| key.as_deref() == Some(crate::model::code_key(code).as_str());
        let in_scope: Vec<bool> = areas
            .iter()
            .map(|a| key.is_none() || same(&a.code) || a.parents.values().any(|p| same(p)))
            .collect();
        if !in_scope.iter().any(|x| *x) {
            let mut gemeenten: Vec<&str> = areas
                .iter()
                .filter_map(|a| a.parents.get("gemeente").map(String::as_str))
                .collect();
            gemeenten.sort_unstable();
            gemeenten.dedup();
            let mut known: Vec<String> = gemeenten
                .iter()
                .take(3)
                .map(|g| format!("gemeente {g}"))
                .collect();
            known.extend(
                areas
                    .first()
                    .map(|a| format!("een gebied zoals {}", a.code)),
            );
            return Err(TargetError::UnknownArea {
                n,
                group: target.group.clone(),
                area: target.area.clone().unwrap_or_default(),
                known: known.join(", of "),
            });
        }
        let records: Vec<SiteRecord> = sites
            .iter()
            .zip(&outcome.site_areas)
            .filter(|(s, loc)| {
                s.target_group == target.group && loc.area().is_some_and(|i| in_scope[i])
            })
            .map(|(s, _)| SiteRecord {
                group: s.target_group.clone(),
                units: s.units,
                status: s.status,
                year: s.year,
            })
            .collect();
        let current = |i: usize| -> f64 {
            outcome
                .care
                .as_ref()
                .and_then(|c| c.units_by_group.get(&target.group))
                .map_or(0.0, |v| v[i])
        };
        let share_areas: Vec<ShareArea> = (0..areas.len())
            .filter(|i| in_scope[*i])
            .map(|i| ShareArea {
                code: areas[i].code.clone(),
                population: areas[i].value("population"),
                // The saldo whose band is the signal (docs/METHOD.md §2.4).
                saldo: crate::indicators::Uncapped::deciding(outcome.analysis.areas[i].uncapped)
                    .or(outcome.analysis.areas[i].saldo),
                signal: outcome.analysis.areas[i].signal,
                current: current(i),
                // The site test's other blocking area rule: K1-L3 (docs/METHOD.md §2.6).
                blocked: (typology_blocks && outcome.analysis.areas[i].typology == Some((1, 3)))
                    .then(|| TYPOLOGY_BLOCKED.to_string()),
            })
            .collect();
        let result = evaluate(target, &records, &share_areas, options).map_err(|error| {
            TargetError::Evaluate {
                n,
                group: target.group.clone(),
                error,
            }
        })?;
        results.push(result);
    }
    Ok(results)
}

/// One line per target for the terminal: the target, and at the data year (within the
/// target's years) whether it is on pace, with the realised and planned places and the gap,
/// numbers in Dutch ([`crate::format::places`]).
///
/// Example: "beschermd_thuis: 280 plekken in 2028; in 2022 achter op schema: gerealiseerd 12,
/// gepland 0, tekort 28"; a path of 100 places over 2021–2024 asks 33,33 in 2022, so its gap
/// is "tekort 21,33"; a gap below 0 reads "geen tekort (5 voor op het doelpad)". With
/// `public_min` a count the files hide ([`PublicPace`]) is "weggelaten" here too, and so is the
/// gap made from it: "gerealiseerd weggelaten, gepland 0, tekort weggelaten".
pub fn pace_lines(
    results: &[TargetOutcome],
    data_year: i32,
    public_min: Option<u32>,
) -> Vec<String> {
    use crate::format::places;
    results
        .iter()
        .flat_map(|r| {
            let target = &r.target;
            let year = data_year.clamp(target.path.from, target.path.to);
            let at = r.pace.rows.iter().position(|p| p.year == year);
            let latest = at.map(|i| &r.pace.rows[i]);
            let hidden = match (public_min, at, latest) {
                (Some(k), Some(i), Some(row)) => PublicPace::new(r, k).row(i, row),
                _ => [false; 4],
            };
            let count = |hide: bool, v: f64| {
                if hide {
                    "weggelaten".to_string()
                } else {
                    places(v)
                }
            };
            let gap = latest.map_or(0.0, |r| r.gap);
            let line = format!(
                "{}: {} plekken in {}; in {} {}: gerealiseerd {}, gepland {}, {}",
                target.group,
                places(f64::from(target.path.places)),
                target.path.to,
                latest.map_or(target.path.from, |r| r.year),
                if latest.is_some_and(|r| r.on_pace) {
                    "op koers"
                } else {
                    "achter op schema"
                },
                count(hidden[0], latest.map_or(0.0, |r| r.realised)),
                count(hidden[1], latest.map_or(0.0, |r| r.planned)),
                if hidden[0] || hidden[1] {
                    "tekort weggelaten".to_string()
                } else if gap > 0.0 {
                    format!("tekort {}", places(gap))
                } else if gap < 0.0 {
                    format!("geen tekort ({} voor op het doelpad)", places(-gap))
                } else {
                    "geen tekort".to_string()
                }
            );
            let unshared = [ShareMethod::Population, ShareMethod::Capacity]
                .into_iter()
                .filter_map(|m| not_shared_line(r, m))
                .map(|l| format!("  {l}"));
            // A pace that does not end at the target, as the report says it under the table.
            let pace_end = super::html::pace_end_note(&target.path, super::html::Lang::Nl)
                .map(|note| format!("  {note}"));
            std::iter::once(line).chain(pace_end).chain(unshared)
        })
        .collect()
}

/// The terminal line of a target whose fair share cannot be distributed by `method` (every
/// weight is 0, [`crate::monitor::FairShare::not_shared`]), naming each area's reason (at most
/// five, then how many more) and what would give an area a share; `None` when the target is
/// distributed.
///
/// Naar vermogen an area in `rood` has weight 0 unless `--allow-rood`, an area of typology
/// K1-L3 while the typology rule blocks, and an area with saldo s < 0 while 1 + β·s ≤ 0, i.e.
/// for β ≥ −1/s; so the line names `--allow-rood` when an area is rood, "--beta onder b" with
/// b = max(−1/s) over the areas with inhabitants and s < 0, rounded down to two decimals, when
/// 1 + β·s ≤ 0 for them all, and `typology_effect = "voorwaarde"` when an area is K1-L3.
///
/// Example: a target for Diezerpoort alone, rood and K1-L3 with saldo −2,57 (β = 0,5:
/// 1 + 0,5·−2,57 < 0, and −1/−2,57 = 0,389): "naar vermogen krijgt geen gebied een deel:
/// WK019311 staat op rood (saldo −2,57) en is K1-L3; de delen naar vermogen zijn onbekend;
/// alleen met --allow-rood, --beta onder 0,38 (nu 0,50) en typology_effect = "voorwaarde" in
/// \[rules\] van de configuratie krijgt een gebied hier een deel".
pub fn not_shared_line(r: &TargetOutcome, method: ShareMethod) -> Option<String> {
    use crate::format::plain_nl;
    const LISTED: usize = 5;
    let share = match method {
        ShareMethod::Population => &r.by_population,
        ShareMethod::Capacity => &r.by_capacity,
    };
    share.not_shared?;
    let beta = share.beta.unwrap_or_default();
    let (mut rood, mut low, mut k1l3) = (false, false, false);
    let mut bound = 0.0_f64;
    let mut unknown = Vec::new();
    let mut reasons: Vec<String> = share
        .rows
        .iter()
        .filter_map(|row| {
            let inhabited = row.population.is_some_and(|p| p > 0.0);
            if let (true, ShareMethod::Capacity, Some(s)) = (inhabited, method, row.saldo) {
                if 1.0 + beta * s <= 0.0 {
                    low = true;
                    bound = bound.max(-1.0 / s);
                }
            }
            let saldo = row.saldo.map(|s| plain_nl(s, 2));
            let rood_saldo = saldo
                .as_ref()
                .map_or(String::new(), |s| format!(" (saldo {s})"));
            let low_saldo = saldo.as_ref().map_or(String::new(), |s| format!(" ({s})"));
            let typology = row.blocked;
            k1l3 |= typology;
            Some(match row.population {
                None => format!("{} heeft geen bekend aantal inwoners", row.code),
                Some(_) if !inhabited => format!("{} heeft geen inwoners", row.code),
                _ if row.signal == Signal::Rood && !share.allow_rood => {
                    rood = true;
                    let also = if typology { " en is K1-L3" } else { "" };
                    format!("{} staat op rood{rood_saldo}{also}", row.code)
                }
                _ if typology => format!(
                    "{} is K1-L3, waar de locatietoets nieuwe plaatsen weigert",
                    row.code
                ),
                _ if row.saldo.is_none() => {
                    unknown.push(row.code.as_str());
                    return None;
                }
                _ => format!("{} heeft een te laag saldo{low_saldo}", row.code),
            })
        })
        .collect();
    if !unknown.is_empty() {
        // One reason for them all: on a file without draagkracht columns it is every area.
        let n = unknown.len();
        let mut codes: Vec<String> = unknown.iter().take(LISTED).map(|c| c.to_string()).collect();
        if n > LISTED {
            codes.push(format!("{} meer", crate::format::count(n - LISTED)));
        }
        let list = match codes.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} en {last}", rest.join(", ")),
            _ => codes.join(""),
        };
        let has = if n == 1 { "heeft" } else { "hebben" };
        reasons.insert(
            0,
            format!(
                "{list} {has} een onbekend saldo, dus de locatietoets kan daar het signaal niet \
                 toetsen"
            ),
        );
    }
    let more = reasons.len().saturating_sub(LISTED);
    reasons.truncate(LISTED);
    if more > 0 {
        reasons.push(format!("en {} meer", crate::format::count(more)));
    }
    let (how, what) = match method {
        ShareMethod::Population => ("naar inwoners", "de delen naar inwoners"),
        ShareMethod::Capacity => ("naar vermogen", "de delen naar vermogen"),
    };
    let mut line = format!(
        "{how} krijgt geen gebied een deel: {}; {what} zijn onbekend",
        reasons.join(", ")
    );
    let mut needs = Vec::new();
    if rood {
        needs.push("--allow-rood".to_string());
    }
    if low {
        needs.push(format!(
            "--beta onder {} (nu {})",
            plain_nl((bound * 100.0).floor() / 100.0, 2),
            plain_nl(beta, 2)
        ));
    }
    if k1l3 {
        needs.push("typology_effect = \"voorwaarde\" in [rules] van de configuratie".to_string());
    }
    if let Some((last, rest)) = needs.split_last() {
        let list = if rest.is_empty() {
            last.clone()
        } else {
            format!("{} en {last}", rest.join(", "))
        };
        line.push_str(&format!(
            "; alleen met {list} krijgt een gebied hier een deel"
        ));
    }
    Some(line)
}

/// The column prefix of a target in [`areas_table`]: its group, or `<group>_<area>` when the
/// opgave has more than one target for the group.
pub fn column_prefix(results: &[TargetOutcome], k: usize) -> String {
    let t = &results[k].target;
    let same_group = results.iter().filter(|r| r.target.group == t.group).count();
    match (&t.area, same_group > 1) {
        (Some(a), true) => format!("{}_{a}", t.group),
        (None, true) => format!("{}_alle", t.group),
        _ => t.group.clone(),
    }
}

/// `monitor.csv`: one row per target and year.
pub fn pace_table(results: &[TargetOutcome]) -> Table {
    let columns = [
        "group",
        "area",
        "year",
        "target",
        "realised",
        "planned",
        "planned_year_unknown",
        "proposed",
        "gap",
        "on_pace",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = results
        .iter()
        .flat_map(|r| {
            r.pace.rows.iter().map(move |p| {
                vec![
                    Value::from(r.target.group.clone()),
                    r.target.area.clone().map_or(Value::Null, Value::from),
                    Value::from(p.year),
                    number(p.target),
                    number(p.realised),
                    number(p.planned),
                    number(p.planned_year_unknown),
                    number(p.proposed),
                    number(p.gap),
                    Value::Bool(p.on_pace),
                ]
            })
        })
        .collect();
    Table { columns, rows }
}

/// The `monitor_areas` table: code, name, then per target (see [`column_prefix`]) the current
/// places, the whole shares by population and naar vermogen, and current − share for both.
/// Areas outside a target's area are empty in its columns.
pub fn areas_table(results: &[TargetOutcome], loaded: &Loaded) -> Table {
    let areas = &loaded.areas;
    let mut columns: Vec<String> = vec!["code".into(), "name".into()];
    let mut rows: Vec<Vec<Value>> = areas
        .iter()
        .map(|a| vec![Value::from(a.code.clone()), Value::from(a.name.clone())])
        .collect();
    for (k, r) in results.iter().enumerate() {
        let g = column_prefix(results, k);
        columns.extend([
            format!("{g}_current"),
            format!("{g}_share_population"),
            format!("{g}_share_capacity"),
            format!("{g}_gap_population"),
            format!("{g}_gap_capacity"),
        ]);
        for (a, row) in areas.iter().zip(&mut rows) {
            let p = r.by_population.rows.iter().find(|x| x.code == a.code);
            let c = r.by_capacity.rows.iter().find(|x| x.code == a.code);
            match (p, c) {
                (Some(p), Some(c)) => row.extend([
                    number(p.current),
                    Value::from(p.share_whole),
                    Value::from(c.share_whole),
                    p.current_minus_share_whole.map_or(Value::Null, number),
                    c.current_minus_share_whole.map_or(Value::Null, number),
                ]),
                _ => row.extend(std::iter::repeat_n(Value::Null, 5)),
            }
        }
    }
    Table { columns, rows }
}

/// [`areas_table`] with each area's signal as the third column, which explains a zero share
/// naar vermogen (the report's `report_opgave_wijken.csv`).
pub fn areas_table_with_signals(
    results: &[TargetOutcome],
    loaded: &Loaded,
    outcome: &Outcome,
) -> Table {
    let mut areas = areas_table(results, loaded);
    areas.columns.insert(2, "signal".into());
    for (row, score) in areas.rows.iter_mut().zip(&outcome.analysis.areas) {
        row.insert(2, Value::from(score.signal.as_str()));
    }
    areas
}

/// The counts of a pace row, in the order [`PublicPace::row`] answers for them.
pub const PACE_COUNTS: [&str; 4] = ["realised", "planned", "planned_year_unknown", "proposed"];

/// The units left out of every row, in the order [`PublicPace::not_counted`] answers for them
/// (the keys of `not_counted` in `monitor.json`).
pub const NOT_COUNTED: [&str; 3] = [
    "proposed",
    "realised_after_deadline",
    "planned_after_deadline",
];

/// What a public version hides of one target's pace: a count from 1 to k − 1, and a count that
/// holds a site of 1 to k − 1 units ([`TargetOutcome::pace_of`]). The pace is cumulative, and
/// the report lists the larger sites with their year: a later total minus the sites shown, or
/// minus the year before, would give the small site's units back. The gap goes with realised
/// and planned (it is computed from them).
///
/// Example (Zwolle's illustrative sites, k = 5): Het Vriendenhuis, 3 places beschermd thuis
/// planned for 2023, and De Tippe, 17 planned for 2024. Planned 2023 (3) is small; planned 2024
/// (20) holds the 3, and 20 − 17 = 3, so it is hidden too, as is every later year.
#[derive(Debug, Clone)]
pub struct PublicPace {
    small: crate::monitor::PaceTable,
    k: u32,
}

impl PublicPace {
    /// The pace of `r`'s sites of 1 to k − 1 units, to compare with.
    pub fn new(r: &TargetOutcome, k: u32) -> Self {
        PublicPace {
            small: r.pace_of(|s| is_small(s.units, k)),
            k,
        }
    }

    fn hides(&self, count: f64, of_small_sites: f64) -> bool {
        is_small(count, self.k) || of_small_sites > 0.0
    }

    /// Whether each of [`PACE_COUNTS`] of row `i` of the pace (`row`) is hidden.
    pub fn row(&self, i: usize, row: &crate::monitor::PaceRow) -> [bool; 4] {
        let s = &self.small.rows[i];
        [
            self.hides(row.realised, s.realised),
            self.hides(row.planned, s.planned),
            self.hides(row.planned_year_unknown, s.planned_year_unknown),
            self.hides(row.proposed, s.proposed),
        ]
    }

    /// Whether each of [`NOT_COUNTED`] is hidden.
    pub fn not_counted(&self, nc: &crate::monitor::NotCounted) -> [bool; 3] {
        let s = &self.small.not_counted;
        [
            self.hides(nc.proposed, s.proposed),
            self.hides(nc.realised_after_deadline, s.realised_after_deadline),
            self.hides(nc.planned_after_deadline, s.planned_after_deadline),
        ]
    }
}

/// Whether a public version hides the current places of `r`'s group in area `code`: a count
/// from 1 to k − 1, or one that holds a counted site of 1 to k − 1 units of the group
/// (`small_sites`, [`Hidden::small_sites`]).
pub fn hides_current(
    r: &TargetOutcome,
    code: &str,
    current: f64,
    k: u32,
    small_sites: &Hidden,
) -> bool {
    small_sites.hides(&format!("care_units_{}", r.target.group), code, current, k)
}

/// For a public audience: hide in the two tables what [`PublicPace`] and [`hides_current`] hide,
/// with what is derived from it (a gap reveals the counts it is computed from).
pub fn suppress_tables(
    pace: &mut Table,
    areas: &mut Table,
    results: &[TargetOutcome],
    k: u32,
    small_sites: &Hidden,
) {
    let at = |t: &Table, name: &str| t.columns.iter().position(|c| c == name);
    let counts: Vec<Option<usize>> = PACE_COUNTS.iter().map(|c| at(pace, c)).collect();
    let gap = at(pace, "gap");
    let mut rows = pace.rows.iter_mut();
    for r in results {
        let public = PublicPace::new(r, k);
        for (i, p) in r.pace.rows.iter().enumerate() {
            let Some(row) = rows.next() else {
                return;
            };
            let hidden = public.row(i, p);
            for (column, hide) in counts.iter().zip(hidden) {
                if let (Some(c), true) = (column, hide) {
                    row[*c] = Value::Null;
                }
            }
            if let (Some(g), true) = (gap, hidden[0] || hidden[1]) {
                row[g] = Value::Null;
            }
        }
    }
    let code = at(areas, "code");
    for (t, r) in results.iter().enumerate() {
        let g = column_prefix(results, t);
        null_rows(
            areas,
            &format!("{g}_current"),
            &[format!("{g}_gap_population"), format!("{g}_gap_capacity")],
            |current, row| {
                let code = code.and_then(|c| row[c].as_str()).unwrap_or_default();
                hides_current(r, code, current, k, small_sites)
            },
        );
    }
}

/// For a public audience: hide the same counts in `monitor.json`'s targets.
fn suppress_targets(
    targets: &mut [Value],
    results: &[TargetOutcome],
    k: u32,
    small_sites: &Hidden,
) {
    for (t, r) in targets.iter_mut().zip(results) {
        let public = PublicPace::new(r, k);
        let rows = t["pace"]["rows"].as_array_mut().into_iter().flatten();
        for (i, (row, p)) in rows.zip(&r.pace.rows).enumerate() {
            let hidden = public.row(i, p);
            for (count, hide) in PACE_COUNTS.iter().zip(hidden) {
                if hide {
                    row[*count] = Value::Null;
                }
            }
            if hidden[0] || hidden[1] {
                row["gap"] = Value::Null;
            }
        }
        let nc = &mut t["pace"]["not_counted"];
        for (key, hide) in NOT_COUNTED
            .iter()
            .zip(public.not_counted(&r.pace.not_counted))
        {
            if hide {
                nc[*key] = Value::Null;
            }
        }
        for method in ["population", "capacity"] {
            for row in t["fair_share"][method]["rows"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                let current = row["current"].as_f64().unwrap_or(0.0);
                let code = row["code"].as_str().unwrap_or_default();
                if hides_current(r, code, current, k, small_sites) {
                    for key in [
                        "current",
                        "current_minus_share",
                        "current_minus_share_whole",
                    ] {
                        row[key] = Value::Null;
                    }
                }
            }
        }
    }
}

/// `monitor.json`: the opgave's title and data year, the capacity weighting and the counting
/// rule, and per target its pace and both fair shares; with `public_min`, the counts below it
/// suppressed.
pub fn monitor_json(
    opgave: &Opgave,
    data_year: i32,
    options: &ShareOptions,
    results: &[TargetOutcome],
    public: Option<(u32, &Hidden)>,
) -> Value {
    let mut targets: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({
                "target": r.target,
                "pace": r.pace,
                "fair_share": {"population": r.by_population, "capacity": r.by_capacity},
            })
        })
        .collect();
    if let Some((k, small_sites)) = public {
        suppress_targets(&mut targets, results, k, small_sites);
    }
    json!({
        "wijkbalans_version": super::VERSION,
        "title": opgave.title,
        "data_year": data_year,
        "capacity_weighting": {
            "formula": CAPACITY_FORMULA,
            "beta": options.beta,
            "allow_rood": options.allow_rood,
        },
        "counting": COUNTING,
        "targets": targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::{evaluate, Target, TargetPath};

    fn target() -> Target {
        Target {
            group: "jongeren".into(),
            path: TargetPath {
                places: 6,
                from: 2022,
                to: 2024,
                per_year: None,
            },
            area: None,
            source: "test".into(),
        }
    }

    fn area(code: &str, population: Option<f64>, saldo: f64, signal: Signal) -> ShareArea {
        ShareArea {
            code: code.into(),
            population,
            saldo: Some(saldo),
            signal,
            current: 0.0,
            blocked: None,
        }
    }

    #[test]
    fn a_public_pace_hides_every_total_that_holds_a_small_site() {
        use crate::model::SiteStatus;
        let site = |units, status, year| SiteRecord {
            group: "jongeren".into(),
            units,
            status,
            year,
        };
        let mut current = area("WK01", Some(1000.0), 0.0, Signal::Neutraal);
        current.current = 20.0;
        let sites = [
            site(3.0, SiteStatus::Planned, Some(2023)),
            site(17.0, SiteStatus::Planned, Some(2024)),
            site(20.0, SiteStatus::Existing, None),
            site(2.0, SiteStatus::Proposed, None),
        ];
        let r = evaluate(&target(), &sites, &[current], &ShareOptions::default()).unwrap();
        let mut pace = pace_table(std::slice::from_ref(&r));
        let mut small_sites = Hidden::default();
        let mut areas = Table {
            columns: vec![
                "code".into(),
                "jongeren_current".into(),
                "jongeren_gap_population".into(),
            ],
            rows: vec![vec![
                Value::from("WK01"),
                Value::from(20.0),
                Value::from(18.0),
            ]],
        };
        suppress_tables(
            &mut pace,
            &mut areas,
            std::slice::from_ref(&r),
            5,
            &small_sites,
        );
        let cell = |year: i32, column: &str| {
            let c = pace.columns.iter().position(|x| x == column).unwrap();
            let row = pace.rows.iter().find(|row| row[2] == year).unwrap();
            row[c].as_f64()
        };
        // 2022: nothing planned yet (0 discloses nobody); 2023: the 3 itself; 2024: 3 + 17.
        assert_eq!(cell(2022, "planned"), Some(0.0));
        assert_eq!(cell(2022, "gap"), Some(-20.0));
        assert_eq!(cell(2023, "planned"), None);
        assert_eq!(cell(2024, "planned"), None);
        assert_eq!(cell(2024, "gap"), None);
        // The realised 20 hold no small site; the proposed 2 is small in every year.
        assert_eq!(cell(2024, "realised"), Some(20.0));
        assert_eq!(cell(2022, "proposed"), None);
        assert_eq!(
            areas.rows[0][1].as_f64(),
            Some(20.0),
            "20 current, no small site in them"
        );
        // The same 20 holding a counted site of 2 units are hidden with their gap.
        small_sites
            .cells
            .entry("care_units_jongeren".into())
            .or_default()
            .insert("WK01".into());
        suppress_tables(
            &mut pace,
            &mut areas,
            std::slice::from_ref(&r),
            5,
            &small_sites,
        );
        assert_eq!(areas.rows[0][1..], [Value::Null, Value::Null]);
    }

    #[test]
    fn a_target_that_is_distributed_has_no_line() {
        let areas = [area("WK01", Some(100.0), 0.0, Signal::Neutraal)];
        let r = evaluate(&target(), &[], &areas, &ShareOptions::default()).unwrap();
        assert_eq!(not_shared_line(&r, ShareMethod::Population), None);
        assert_eq!(not_shared_line(&r, ShareMethod::Capacity), None);
    }

    #[test]
    fn areas_without_inhabitants_share_by_no_method() {
        // No inhabitants anywhere: neither method has a weight, and neither option would help.
        let areas = [
            area("WK01", Some(0.0), 0.0, Signal::Neutraal),
            area("WK02", None, 0.0, Signal::Neutraal),
        ];
        let r = evaluate(&target(), &[], &areas, &ShareOptions::default()).unwrap();
        assert_eq!(
            not_shared_line(&r, ShareMethod::Population).unwrap(),
            "naar inwoners krijgt geen gebied een deel: WK01 heeft geen inwoners, WK02 heeft geen \
             bekend aantal inwoners; de delen naar inwoners zijn onbekend"
        );
        assert!(not_shared_line(&r, ShareMethod::Capacity)
            .unwrap()
            .ends_with("de delen naar vermogen zijn onbekend"));
    }

    #[test]
    fn the_beta_bound_is_the_largest_of_minus_one_over_the_saldo() {
        // Seven areas, all with 1 + 0,5·s ≤ 0: s = −2 gives −1/s = 0,5 as the bound (β = 0,5
        // itself still gives 0, hence "onder"); five are named, then how many more.
        let areas: Vec<ShareArea> = (0..7)
            .map(|i| {
                let s = -2.0 - f64::from(i);
                area(&format!("WK0{i}"), Some(100.0), s, Signal::Oranje)
            })
            .collect();
        let r = evaluate(&target(), &[], &areas, &ShareOptions::default()).unwrap();
        assert_eq!(
            not_shared_line(&r, ShareMethod::Capacity).unwrap(),
            "naar vermogen krijgt geen gebied een deel: WK00 heeft een te laag saldo (−2,00), \
             WK01 heeft een te laag saldo (−3,00), WK02 heeft een te laag saldo (−4,00), WK03 \
             heeft een te laag saldo (−5,00), WK04 heeft een te laag saldo (−6,00), en 2 meer; de \
             delen naar vermogen zijn onbekend; alleen met --beta onder 0,50 (nu 0,50) krijgt \
             een gebied hier een deel"
        );
        assert_eq!(not_shared_line(&r, ShareMethod::Population), None);
    }

    #[test]
    fn areas_without_a_saldo_are_named_once_together() {
        // A file without draagkracht columns (CBS 2024): no saldo anywhere, so no share naar
        // vermogen; one reason names the areas, and no option would help.
        let areas: Vec<ShareArea> = (0..7)
            .map(|i| ShareArea {
                saldo: None,
                ..area(&format!("WK0{i}"), Some(100.0), 0.0, Signal::Onbekend)
            })
            .collect();
        let r = evaluate(&target(), &[], &areas, &ShareOptions::default()).unwrap();
        assert_eq!(
            not_shared_line(&r, ShareMethod::Capacity).unwrap(),
            "naar vermogen krijgt geen gebied een deel: WK00, WK01, WK02, WK03, WK04 en 2 meer \
             hebben een onbekend saldo, dus de locatietoets kan daar het signaal niet toetsen; de \
             delen naar vermogen zijn onbekend"
        );
        assert_eq!(not_shared_line(&r, ShareMethod::Population), None);
    }
}
