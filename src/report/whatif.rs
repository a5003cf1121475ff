//! What-if results as JSON documents and as a readable Dutch table.

use serde_json::{json, Map, Value};

use super::columns::Columns;
use crate::model::Area;
use std::collections::BTreeMap;

use crate::scenario::{AreaState, Evaluation, StudyMetrics, WhatFits, WHAT_FITS_MAX};
use crate::table::{nl, number, opt_number};

/// An area state's value as a number, `None` when undefined.
type StateNumber = fn(&AreaState) -> Option<f64>;

/// The numbers of an area state in the what-if documents, in their order: the key, the value,
/// and whether the scenario table ([`scenario_table`]) has it (the units of the change's own
/// group mean nothing in a table of every area).
const STATE_NUMBERS: [(&str, StateNumber, bool); 9] = [
    ("population", |s| Some(s.population), true),
    ("care_units", |s| Some(s.care_units), true),
    ("group_units", |s| Some(s.group_units), false),
    ("care_units_per_1000", |s| s.care_units_per_1000, true),
    ("group_units_per_1000", |s| s.group_units_per_1000, false),
    ("fair_share_ratio", |s| s.fair_share_ratio, true),
    ("draagkracht", |s| s.draagkracht, true),
    ("draaglast", |s| s.draaglast, true),
    ("saldo", |s| s.saldo, true),
];

/// A study's metric as a number, `None` when undefined.
type StudyNumber = fn(&StudyMetrics) -> Option<f64>;

/// The spreading metrics of the study in the what-if documents, in their order: the key, the
/// Dutch label of the readable tables, the value. The documents put the care units first.
const STUDY_METRICS: [(&str, &str, StudyNumber); 5] = [
    ("dissimilarity", "dissimilariteit D", |m| m.dissimilarity),
    ("gini", "Gini", |m| m.gini),
    ("hhi", "HHI", |m| m.hhi),
    (
        "fair_share_dissimilarity",
        "te verplaatsen aandeel (eerlijk deel)",
        |m| m.fair_share_dissimilarity,
    ),
    ("morans_i", "Moran's I (per 1.000)", |m| m.morans_i),
];

/// A number of the care already there, in the readable text, without a sites layer.
const UNKNOWN: &str = "onbekend";

/// The keys of [`STATE_NUMBERS`] made of the care already there, unknown without a sites
/// layer ([`Evaluation::care_known`]); of these the counts' changes stay known (the change
/// itself), the ratios' do not.
const CARE_NUMBERS: [(&str, bool); 5] = [
    ("care_units", true),
    ("group_units", true),
    ("care_units_per_1000", false),
    ("group_units_per_1000", false),
    ("fair_share_ratio", false),
];

/// `doc` (a state, or with `delta` its change) with the numbers of [`CARE_NUMBERS`] unknown
/// when the care already there is (`known` false).
fn care_unknown(mut doc: Value, known: bool, delta: bool) -> Value {
    if !known {
        for (key, change_known) in CARE_NUMBERS {
            if !(delta && change_known) {
                doc[key] = Value::Null;
            }
        }
    }
    doc
}

/// The numbers of an area state, each as `value` gives it (the value, or a change).
fn state_numbers(value: impl Fn(StateNumber) -> Value) -> Map<String, Value> {
    STATE_NUMBERS
        .iter()
        .map(|(key, number, _)| (key.to_string(), value(*number)))
        .collect()
}

/// The study document (care units, then [`STUDY_METRICS`]), each number as `value` gives it.
fn study_numbers(value: impl Fn(StudyNumber) -> Value) -> Value {
    let mut doc = Map::new();
    doc.insert("care_units".into(), value(|m| Some(m.care_units)));
    for (key, _, metric) in STUDY_METRICS {
        doc.insert(key.into(), value(metric));
    }
    Value::Object(doc)
}

fn state_json(s: &AreaState) -> Value {
    let indicators: Map<String, Value> = s
        .indicators
        .iter()
        .map(|(id, (v, z))| {
            (
                id.to_ascii_lowercase(),
                json!({"value": opt_number(*v), "z": opt_number(*z)}),
            )
        })
        .collect();
    let mut doc = state_numbers(|number| opt_number(number(s)));
    doc.insert("signal".into(), s.signal.as_str().into());
    doc.insert("typology".into(), json!(s.typology));
    doc.insert("indicators".into(), Value::Object(indicators));
    let clamped: Map<String, Value> = s
        .clamped_z
        .iter()
        .map(|(id, z)| (id.to_ascii_lowercase(), number(*z)))
        .collect();
    doc.insert("clamped_z".into(), Value::Object(clamped));
    // The saldo and signal with the care rate's z not clamped, which the signal rule reads
    // (docs/METHOD.md §2.6, "Concentration never hidden"); only when the clamp cuts it.
    if let Some(u) = &s.uncapped {
        doc.insert(
            "uncapped".into(),
            json!({"saldo": number(u.saldo), "signal": u.signal.as_str()}),
        );
    }
    Value::Object(doc)
}

fn diff(a: Option<f64>, b: Option<f64>) -> Value {
    match (a, b) {
        (Some(a), Some(b)) => number(b - a),
        _ => Value::Null,
    }
}

fn delta_json(b: &AreaState, a: &AreaState) -> Value {
    let indicators: Map<String, Value> = a
        .indicators
        .iter()
        .map(|(id, (v, z))| {
            let (bv, bz) = b.indicators.get(id).copied().unwrap_or((None, None));
            (
                id.to_ascii_lowercase(),
                json!({"value": diff(bv, *v), "z": diff(bz, *z)}),
            )
        })
        .collect();
    let mut doc = state_numbers(|number| diff(number(b), number(a)));
    let signal = format!("{} → {}", b.signal.as_str(), a.signal.as_str());
    let typology = |s: &AreaState| s.typology.clone().unwrap_or_else(|| "-".into());
    doc.insert("signal".into(), signal.into());
    doc.insert(
        "typology".into(),
        format!("{} → {}", typology(b), typology(a)).into(),
    );
    doc.insert("indicators".into(), Value::Object(indicators));
    Value::Object(doc)
}

/// The study before and after and its change; all unknown without a sites layer (every study
/// number is made of the care already there).
fn study_doc(before: &StudyMetrics, after: &StudyMetrics, care_known: bool) -> Value {
    if care_known {
        json!({
            "before": study_json(before),
            "after": study_json(after),
            "delta": study_delta(before, after),
        })
    } else {
        let none = study_numbers(|_| Value::Null);
        json!({"before": none, "after": none, "delta": none})
    }
}

fn study_json(m: &StudyMetrics) -> Value {
    study_numbers(|metric| opt_number(metric(m)))
}

fn study_delta(b: &StudyMetrics, a: &StudyMetrics) -> Value {
    study_numbers(|metric| diff(metric(b), metric(a)))
}

/// The JSON document of one evaluated change (the `test-site --json` schema).
pub fn evaluation_json(areas: &[Area], e: &Evaluation) -> Value {
    let area = &areas[e.effect.area];
    let parents: Vec<Value> = e
        .effect.parents
        .iter()
        .map(|p| {
            let known = |v: Option<f64>| opt_number(v.filter(|_| e.care_known));
            let rate = |u: f64, pop: f64| known((pop > 0.0).then(|| 1000.0 * u / pop));
            json!({
                "level": p.level,
                "code": p.code,
                "before": {"population": number(p.population_before), "care_units": known(Some(p.care_units_before)), "care_units_per_1000": rate(p.care_units_before, p.population_before)},
                "after": {"population": number(p.population_after), "care_units": known(Some(p.care_units_after)), "care_units_per_1000": rate(p.care_units_after, p.population_after)},
            })
        })
        .collect();
    json!({
        "change": {
            "name": e.change.name,
            "at": [number(e.change.location[0]), number(e.change.location[1])],
            "units": number(e.change.units),
            "group": e.change.group,
            "regular_units": number(e.change.regular_units),
            "year": e.change.year,
        },
        "area": {"code": area.code, "name": area.name, "on_border": e.on_border},
        "before": care_unknown(state_json(&e.effect.before), e.care_known, false),
        "after": care_unknown(state_json(&e.effect.after), e.care_known, false),
        "delta": care_unknown(delta_json(&e.effect.before, &e.effect.after), e.care_known, true),
        "parents": parents,
        "study": study_doc(&e.effect.study_before, &e.effect.study_after, e.care_known),
        "nearest_existing_site_m": {
            "any_group": opt_number(e.judged.facts.nearest_any_m.map(|d| d.round())),
            "same_group": opt_number(e.judged.facts.nearest_same_m.map(|d| d.round())),
        },
        "verdict": e.judged.verdict.as_str(),
        "reasons": e.judged.reasons,
        "block_basis": e.block_basis,
    })
}

/// `what_fits` of the `test-site --json` document: the largest numbers that pass here and the
/// nearest areas where the requested number passes.
pub fn what_fits_json(areas: &[Area], w: &WhatFits) -> Value {
    json!({
        "searched_up_to": WHAT_FITS_MAX,
        "largest_past": w.largest_past,
        "largest_not_past_niet": w.largest_not_refused,
        "nearest_areas": w.nearest_areas.iter().map(|a| json!({
            "code": areas[a.area].code,
            "name": areas[a.area].name,
            "distance_m": number(a.distance_m.round()),
            "verdict_area_rules": a.verdict.as_str(),
        })).collect::<Vec<_>>(),
    })
}

fn f2(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |x| nl(x, 2))
}

fn f4(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |x| nl(x, 4))
}

fn d2(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => signed(b - a, 2),
        _ => "-".to_string(),
    }
}

/// A change with its sign, in Dutch notation.
fn signed(v: f64, d: usize) -> String {
    let t = nl(v, d);
    if t.starts_with('−') || t.chars().all(|c| c == '0' || c == ',') {
        t
    } else {
        format!("+{t}")
    }
}

/// A z-score for the text, with a `*` when it is clamped (the note below the table gives the
/// real value).
fn z_text(z: Option<f64>, real: Option<&f64>) -> String {
    match (z, real) {
        (Some(z), Some(_)) => format!("{}*", nl(z, 2)),
        (z, _) => f2(z),
    }
}

/// A readable Dutch before/after table with the verdict, its reasons (each once, with the
/// statistic and threshold), what the blocks rest on and, when given, what would fit.
/// `labels` maps indicator ids to their Dutch labels (with units).
pub fn evaluation_text(
    areas: &[Area],
    e: &Evaluation,
    labels: &BTreeMap<String, String>,
    fits: Option<&WhatFits>,
) -> String {
    let area = &areas[e.effect.area];
    let (b, a) = (&e.effect.before, &e.effect.after);
    let mut out = String::new();
    let verb = if e.change.units > 0.0 {
        "erbij"
    } else {
        "eraf"
    };
    out.push_str(&format!(
        "{}: {} eenheden {} ({verb}) op ({:.0}, {:.0}) → {} {}\n\n",
        e.change.name,
        crate::format::places(e.change.units.abs()),
        e.change.group,
        e.change.location[0],
        e.change.location[1],
        area.code,
        area.name
    ));
    if let Some(note) = border_note(area, e) {
        out.push_str(&format!("{note}\n\n"));
    }
    let w = 46;
    out.push_str(&format!(
        "{:<w$}{:>12}{:>12}{:>12}\n",
        "", "voor", "na", "verschil"
    ));
    let mut lines: Vec<(String, String, String, String)> = Vec::new();
    let counts = [
        ("inwoners".to_string(), b.population, a.population),
        ("zorgeenheden".to_string(), b.care_units, a.care_units),
        (
            format!("  waarvan {}", e.change.group),
            b.group_units,
            a.group_units,
        ),
    ];
    // Without a sites layer the care already there is unknown: the change is known, the
    // totals and every ratio of them are not (docs/METHOD.md §2.6).
    let count = |v: f64| {
        if e.care_known {
            nl(v, 0)
        } else {
            UNKNOWN.to_string()
        }
    };
    for (k, (label, bv, av)) in counts.into_iter().enumerate() {
        let (bt, at) = if k == 0 {
            (nl(bv, 0), nl(av, 0))
        } else {
            (count(bv), count(av))
        };
        lines.push((label, bt, at, signed(av - bv, 0)));
    }
    let number = |label: &str, n: StateNumber| {
        let known = |s: &AreaState| n(s).filter(|_| e.care_known);
        (label.to_string(), known(b), known(a))
    };
    let numbers = [
        number("zorgeenheden per 1.000 inwoners", |s| s.care_units_per_1000),
        number("eerlijk-aandeelratio (× eerlijk aandeel)", |s| {
            s.fair_share_ratio
        }),
    ];
    for (label, bv, av) in numbers {
        lines.push((label, f2(bv), f2(av), d2(bv, av)));
    }
    for (id, (av, az)) in &a.indicators {
        let (bv, bz) = b.indicators.get(id).copied().unwrap_or((None, None));
        let label = labels.get(id).cloned().unwrap_or_else(|| id.clone());
        lines.push((format!("{label} ({id})"), f2(bv), f2(*av), d2(bv, *av)));
        lines.push((
            "  z-score".to_string(),
            z_text(bz, b.clamped_z.get(id)),
            z_text(*az, a.clamped_z.get(id)),
            d2(bz, *az),
        ));
    }
    for (label, n) in [
        ("draagkracht", (|s| s.draagkracht) as StateNumber),
        ("draaglast", |s| s.draaglast),
        ("saldo", |s| s.saldo),
    ] {
        lines.push((label.to_string(), f2(n(b)), f2(n(a)), d2(n(b), n(a))));
    }
    lines.push((
        "signaal".into(),
        b.signal.as_str().into(),
        a.signal.as_str().into(),
        String::new(),
    ));
    lines.push((
        "typologie".into(),
        b.typology.clone().unwrap_or_else(|| "-".into()),
        a.typology.clone().unwrap_or_else(|| "-".into()),
        String::new(),
    ));
    for p in &e.effect.parents {
        let rate = |u: f64, pop: f64| (pop > 0.0 && e.care_known).then(|| 1000.0 * u / pop);
        let (rb, ra) = (
            rate(p.care_units_before, p.population_before),
            rate(p.care_units_after, p.population_after),
        );
        lines.push((
            format!("{} {}: zorgeenheden per 1.000", p.level, p.code),
            f2(rb),
            f2(ra),
            d2(rb, ra),
        ));
    }
    for (label, bv, av, dv) in lines {
        // Pad by characters, not bytes: labels hold "×" and "ë".
        let pad = w.saturating_sub(label.chars().count());
        out.push_str(&format!(
            "{label}{}{bv:>12}{av:>12}{dv:>12}\n",
            " ".repeat(pad)
        ));
    }
    let ids: std::collections::BTreeSet<&String> =
        a.clamped_z.keys().chain(b.clamped_z.keys()).collect();
    for id in ids {
        let label = labels.get(id).cloned().unwrap_or_else(|| id.clone());
        let real = |s: &AreaState| {
            s.clamped_z
                .get(id)
                .copied()
                .or_else(|| s.indicators.get(id).and_then(|v| v.1))
                .map_or_else(|| "onbekend".to_string(), |z| nl(z, 2))
        };
        out.push_str(&format!(
            "* afgekapt op ±{}: de z-score van {label} ({id}) is werkelijk {} voor en {} na. De blokken en het saldo in de tabel gebruiken de grens; het signaal leest ook het saldo met de werkelijke z-score van de zorgeenheden, en de regels over concentratie gebruiken de ongeclampte aantallen per 1.000 en de eerlijk-aandeelratio.\n",
            nl(e.winsorise_at, 0),
            real(b),
            real(a)
        ));
    }
    let (sb, sa) = (&e.effect.study_before, &e.effect.study_after);
    out.push_str("\nHele studiegebied\n");
    for (_, label, metric) in STUDY_METRICS {
        let known = |m: &StudyMetrics| metric(m).filter(|_| e.care_known);
        let (x, y) = (known(sb), known(sa));
        out.push_str(&format!(
            "{label:<w$}{:>12}{:>12}{:>12}\n",
            f4(x),
            f4(y),
            match (x, y) {
                (Some(x), Some(y)) => signed(y - x, 4),
                _ => "-".into(),
            }
        ));
    }
    if e.care_known {
        out.push_str(&format!(
            "\nDichtstbijzijnde bestaande zorglocatie (hemelsbreed): {} (elke doelgroep), {} (zelfde doelgroep)\n",
            e.judged.facts.nearest_any_m.map_or("geen".into(), |d| format!("{} m", nl(d, 0))),
            e.judged.facts.nearest_same_m.map_or("geen".into(), |d| format!("{} m", nl(d, 0))),
        ));
    } else {
        out.push_str(
            "\nDe zorg die er al is, is onbekend: er is geen zorglocatielaag (geef --sites). De \
             tabel geeft de wijziging zelf; aantallen, aandelen en spreiding van alle zorg staan \
             er als onbekend.\n",
        );
    }
    // The rules that could not be tested stand next to the verdict, so that a `past` with
    // half its rules untested never reads as a clean pass.
    let untested = crate::policy::labels(&e.judged.reasons, |r| !r.tested);
    out.push_str(&format!(
        "\nOordeel: {}{}\n",
        e.judged.verdict.label().to_uppercase(),
        if untested.is_empty() {
            String::new()
        } else {
            format!(
                " ({} van de {} regels niet getoetst: {})",
                untested.len(),
                e.judged.reasons.len(),
                untested.join(", ")
            )
        }
    ));
    for r in &e.judged.reasons {
        out.push_str(&format!("  {}\n", r.line()));
    }
    let notes = fragile_notes(e);
    if !notes.is_empty() {
        out.push_str("\nLet op, kwetsbaar signaal:\n");
        for n in notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    if let Some(f) = fits {
        // "1 plaats past", "10.000 plaatsen passen" (an addition: whole and positive).
        let n = e.change.units;
        let places = crate::format::counted(n as u64, "plaats", "plaatsen");
        let fit = if n == 1.0 { "past" } else { "passen" };
        out.push_str("\nWat past wel\n");
        let g = &e.change.group;
        let past = match f.largest_past {
            Some(k) if k >= WHAT_FITS_MAX => {
                format!("zelfs {WHAT_FITS_MAX} plaatsen {g} (de grens van het zoeken) krijgen nog 'past'")
            }
            Some(1) => format!("hoogstens 1 plaats {g} krijgt 'past'"),
            Some(k) => format!("hoogstens {k} plaatsen {g} krijgen 'past'"),
            None => format!("geen enkel aantal plaatsen {g} krijgt 'past'"),
        };
        let not_refused = match f.largest_not_refused {
            // Past up to the limit says it all: nothing is refused below it either.
            _ if f.largest_past.is_some_and(|k| k >= WHAT_FITS_MAX) => String::new(),
            Some(k) if k >= WHAT_FITS_MAX => {
                format!("; zelfs {WHAT_FITS_MAX} krijgen nog 'past onder voorwaarden' of beter")
            }
            Some(k) => format!("; hoogstens {k} 'past onder voorwaarden' of beter"),
            None => "; al 1 plaats krijgt 'past niet' (een blokkerende regel)".to_string(),
        };
        out.push_str(&format!("  Op deze plek: {past}{not_refused}.\n"));
        if f.nearest_areas.is_empty() {
            out.push_str(&format!(
                "  In geen andere wijk {fit} {places} naar de wijkregels.\n"
            ));
        } else {
            let list: Vec<String> = f
                .nearest_areas
                .iter()
                .map(|n| {
                    format!(
                        "{} {} ({} m, {})",
                        areas[n.area].code,
                        areas[n.area].name,
                        nl(n.distance_m, 0),
                        n.verdict.label()
                    )
                })
                .collect();
            // When no listed wijk gets *past*, the heading says so: they pass only on conditions.
            let how = if f
                .nearest_areas
                .iter()
                .all(|n| n.verdict != crate::policy::Verdict::Past)
            {
                "alleen onder voorwaarden "
            } else {
                ""
            };
            out.push_str(&format!(
                "  Dichtstbijzijnde wijken waar {places} naar de wijkregels {how}{fit}: {}. Afstand en voorzieningen hangen af van de plek in die wijk: toets die plek met test-site.\n",
                list.join("; ")
            ));
        }
    }
    out
}

/// The per-area before/after table of a scenario (`scenario_areas.geojson`/`.csv`).
/// Without a sites layer (`care_known` false) the numbers of the care already there (care and
/// group units, their rates, the fair-share ratio) are empty; the change of a count stays.
pub fn scenario_table(
    areas: &[Area],
    before: &[AreaState],
    after: &[AreaState],
    care_known: bool,
) -> crate::table::Table {
    let mut c: Columns<usize> = Columns::new();
    c.push("code", |&i| areas[i].code.clone().into());
    c.push("name", |&i| areas[i].name.clone().into());
    for (key, number, _) in STATE_NUMBERS.into_iter().filter(|n| n.2) {
        let care = CARE_NUMBERS.iter().find(|c| c.0 == key);
        let known = care_known || care.is_none();
        let change_known = known || care.is_some_and(|c| c.1);
        let (b, a) = (
            move |i: usize| number(&before[i]),
            move |i: usize| number(&after[i]),
        );
        c.push(format!("{key}_before"), move |&i| {
            opt_number(b(i).filter(|_| known))
        });
        c.push(format!("{key}_after"), move |&i| {
            opt_number(a(i).filter(|_| known))
        });
        c.push(format!("{key}_delta"), move |&i| {
            if change_known {
                diff(b(i), a(i))
            } else {
                Value::Null
            }
        });
    }
    c.push("signal_before", |&i| before[i].signal.as_str().into());
    c.push("signal_after", |&i| after[i].signal.as_str().into());
    c.push("signal_changed", |&i| {
        Value::Bool(before[i].signal != after[i].signal)
    });
    c.push("typology_before", |&i| json!(before[i].typology));
    c.push("typology_after", |&i| json!(after[i].typology));
    c.table(0..areas.len())
}

/// `scenario.json`: every change's evaluation in order, and the study before/after.
pub fn scenario_json(
    name: &str,
    areas: &[Area],
    evaluations: &[Evaluation],
    (before, after): (&StudyMetrics, &StudyMetrics),
    care_known: bool,
) -> Value {
    let mut counts = std::collections::BTreeMap::new();
    for e in evaluations {
        *counts.entry(e.judged.verdict.as_str()).or_insert(0usize) += 1;
    }
    json!({
        "wijkbalans_version": super::VERSION,
        "scenario": name,
        "changes": evaluations.iter().map(|e| evaluation_json(areas, e)).collect::<Vec<_>>(),
        "verdicts": counts,
        "study": study_doc(before, after, care_known),
    })
}

/// The notes of the blocks a change's signal rests on that are fragile
/// ([`crate::indicators::block_basis`]).
fn fragile_notes(e: &Evaluation) -> Vec<&String> {
    e.block_basis
        .iter()
        .filter_map(|b| b.note.as_ref())
        .collect()
}

/// The note for a change whose location lies on the boundary of its area
/// ([`Evaluation::on_border`]): the change counts for that area (of the areas that share the
/// boundary, the first by code), and a point a few metres away can fall in a neighbouring area
/// with another verdict. `None` for a location inside its area. `test-site` prints it and
/// `scenario.md` lists it under the change.
fn border_note(area: &Area, e: &Evaluation) -> Option<String> {
    e.on_border.then(|| {
        format!(
            "Let op: de plek ligt op de grens van {} {}; ze telt mee voor die wijk (bij een \
             gedeelde grens de eerste op code), en een plek een paar meter verder kan in een \
             buurwijk vallen, met een ander oordeel.",
            area.code, area.name
        )
    })
}

/// `scenario.md`: a readable summary for a policy officer: the changes with their verdict and
/// the rules they did not meet, every change's rule outcomes (the lines `test-site` prints,
/// [`RuleResult::line`](crate::policy::RuleResult::line)), the wijken whose signal changes and
/// the spreading over the whole study.
pub fn scenario_markdown(
    name: &str,
    (areas, groups): (&[Area], &[crate::model::TargetGroup]),
    evaluations: &[Evaluation],
    (before, after): (&[AreaState], &[AreaState]),
    (study_before, study_after): (&StudyMetrics, &StudyMetrics),
    care_known: bool,
) -> String {
    // A group by its label, as people read it (`beschermd thuis`, not `beschermd_thuis`).
    let group = |id: &str| {
        groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.label.clone())
    };
    // Names from the scenario file and the areas file are text, never Markdown.
    let esc = crate::markup::markdown;
    let mut md = format!("# Scenario: {}\n\n", esc(name));
    md.push_str(
        "Wijzigingen in volgorde; elk oordeel houdt rekening met de wijzigingen ervoor. De \
         toestand na het scenario telt elke wijziging mee, ook een met het oordeel 'past niet': \
         het scenario rekent uit wat er gebeurt als alles doorgaat.\n\n",
    );
    md.push_str("| # | wijziging | jaar | wijk | eenheden | doelgroep | signaal voor → na | oordeel | niet gehaald |\n");
    md.push_str("|---|---|---|---|---:|---|---|---|---|\n");
    for (k, e) in evaluations.iter().enumerate() {
        let a = &areas[e.effect.area];
        let failed = crate::policy::labels(&e.judged.reasons, |r| !r.passed);
        md.push_str(&format!(
            "| {} | {} | {} | {} {} | {} | {} | {} → {} | {} | {} |\n",
            k + 1,
            esc(&e.change.name),
            e.change.year.map_or("-".to_string(), |y| y.to_string()),
            esc(&a.code),
            esc(&a.name),
            signed(e.change.units, 0),
            group(&e.change.group),
            e.effect.before.signal.as_str(),
            e.effect.after.signal.as_str(),
            e.judged.verdict.label(),
            if failed.is_empty() {
                "-".to_string()
            } else {
                failed.join(", ")
            }
        ));
    }
    md.push_str("\n## Waarom, per wijziging\n");
    for (k, e) in evaluations.iter().enumerate() {
        let a = &areas[e.effect.area];
        md.push_str(&format!(
            "\n### {}. {}: {}\n\n{} {}, {} {}.\n\n",
            k + 1,
            esc(&e.change.name),
            e.judged.verdict.label(),
            esc(&a.code),
            esc(&a.name),
            signed(e.change.units, 0),
            group(&e.change.group)
        ));
        for r in &e.judged.reasons {
            md.push_str(&format!("- {}\n", r.line()));
        }
        for n in fragile_notes(e) {
            md.push_str(&format!("- Let op, kwetsbaar signaal: {n}\n"));
        }
        if let Some(note) = border_note(a, e) {
            md.push_str(&format!("- {note}\n"));
        }
    }
    md.push_str("\n## Wijken waarvan het signaal verandert\n\n");
    let changed: Vec<usize> = (0..areas.len())
        .filter(|i| before[*i].signal != after[*i].signal)
        .collect();
    if changed.is_empty() {
        md.push_str("Geen.\n");
    } else {
        md.push_str("| wijk | saldo voor | saldo na | signaal voor → na |\n|---|---:|---:|---|\n");
        for i in changed {
            md.push_str(&format!(
                "| {} {} | {} | {} | {} → {} |\n",
                esc(&areas[i].code),
                esc(&areas[i].name),
                f2(before[i].saldo),
                f2(after[i].saldo),
                before[i].signal.as_str(),
                after[i].signal.as_str()
            ));
        }
    }
    md.push_str("\n## Spreiding over het hele gebied\n\n");
    if care_known {
        md.push_str("| maat | voor | na |\n|---|---:|---:|\n");
        md.push_str(&format!(
            "| zorgeenheden | {} | {} |\n",
            nl(study_before.care_units, 0),
            nl(study_after.care_units, 0)
        ));
        for (_, label, metric) in STUDY_METRICS {
            let (b, a) = (metric(study_before), metric(study_after));
            md.push_str(&format!("| {label} | {} | {} |\n", f4(b), f4(a)));
        }
        let refused: Vec<String> = evaluations
            .iter()
            .enumerate()
            .filter(|(_, e)| e.judged.verdict == crate::policy::Verdict::PastNiet)
            .map(|(k, e)| format!("{}. {}", k + 1, esc(&e.change.name)))
            .collect();
        if !refused.is_empty() {
            md.push_str(&format!(
                "\nDe kolom na telt ook {} mee, met het oordeel 'past niet'.\n",
                refused.join(", ")
            ));
        }
    } else {
        md.push_str(
            "Onbekend: er is geen zorglocatielaag (geef --sites), dus de zorg die er al is, en \
             hoe die over het gebied is gespreid, is onbekend.\n",
        );
    }
    md.push_str("\nSaldo = draagkracht − draaglast, met de normalisatie van de uitgangssituatie bevroren.\n");
    md
}
