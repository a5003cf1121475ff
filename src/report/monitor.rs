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

use super::suppress::{is_small, suppress_small};

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
/// is "tekort 21,33"; a gap below 0 reads "geen tekort (5 voor op het doelpad)".
pub fn pace_lines(results: &[TargetOutcome], data_year: i32) -> Vec<String> {
    use crate::format::places;
    results
        .iter()
        .flat_map(|r| {
            let target = &r.target;
            let latest = r
                .pace
                .row(data_year.clamp(target.path.from, target.path.to));
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
                places(latest.map_or(0.0, |r| r.realised)),
                places(latest.map_or(0.0, |r| r.planned)),
                if gap > 0.0 {
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

/// For a public audience: suppress the counts from 1 to k − 1 in the two tables, with what is
/// derived from them (a gap reveals the counts it is computed from).
pub fn suppress_tables(pace: &mut Table, areas: &mut Table, k: u32) {
    suppress_small(pace, "realised", &["gap"], k);
    suppress_small(pace, "planned", &["gap"], k);
    suppress_small(pace, "planned_year_unknown", &[], k);
    suppress_small(pace, "proposed", &[], k);
    let prefixes: Vec<String> = areas
        .columns
        .iter()
        .filter_map(|c| c.strip_suffix("_current").map(str::to_string))
        .collect();
    for g in prefixes {
        suppress_small(
            areas,
            &format!("{g}_current"),
            &[&format!("{g}_gap_population"), &format!("{g}_gap_capacity")],
            k,
        );
    }
}

/// For a public audience: suppress the same counts in `monitor.json`'s targets.
fn suppress_targets(targets: &mut [Value], k: u32) {
    let small = |v: &Value| v.as_f64().is_some_and(|x| is_small(x, k));
    for t in targets {
        for row in t["pace"]["rows"].as_array_mut().into_iter().flatten() {
            for (count, derived) in [
                ("realised", Some("gap")),
                ("planned", Some("gap")),
                ("planned_year_unknown", None),
                ("proposed", None),
            ] {
                if small(&row[count]) {
                    row[count] = Value::Null;
                    if let Some(d) = derived {
                        row[d] = Value::Null;
                    }
                }
            }
        }
        let nc = &mut t["pace"]["not_counted"];
        for key in [
            "proposed",
            "realised_after_deadline",
            "planned_after_deadline",
        ] {
            if small(&nc[key]) {
                nc[key] = Value::Null;
            }
        }
        for method in ["population", "capacity"] {
            for row in t["fair_share"][method]["rows"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                if small(&row["current"]) {
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
    public_min: Option<u32>,
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
    if let Some(k) = public_min {
        suppress_targets(&mut targets, k);
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
