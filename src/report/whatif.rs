//! What-if results as JSON documents and as a readable Dutch table.

use serde_json::{json, Map, Value};

use super::columns::Columns;
use crate::io::write::{number, opt_number};
use crate::model::Area;
use crate::scenario::{AreaState, Evaluation, StudyMetrics};

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
        "te verplaatsen aandeel (fair share)",
        |m| m.fair_share_dissimilarity,
    ),
    ("morans_i", "Moran's I (per 1.000)", |m| m.morans_i),
];

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

fn study_json(m: &StudyMetrics) -> Value {
    study_numbers(|metric| opt_number(metric(m)))
}

fn study_delta(b: &StudyMetrics, a: &StudyMetrics) -> Value {
    study_numbers(|metric| diff(metric(b), metric(a)))
}

/// The JSON document of one evaluated change (the `test-site --json` schema).
pub fn evaluation_json(areas: &[Area], e: &Evaluation) -> Value {
    let area = &areas[e.area];
    let parents: Vec<Value> = e
        .parents
        .iter()
        .map(|p| {
            let rate = |u: f64, pop: f64| {
                opt_number((pop > 0.0).then(|| 1000.0 * u / pop))
            };
            json!({
                "level": p.level,
                "code": p.code,
                "before": {"population": number(p.population_before), "care_units": number(p.care_units_before), "care_units_per_1000": rate(p.care_units_before, p.population_before)},
                "after": {"population": number(p.population_after), "care_units": number(p.care_units_after), "care_units_per_1000": rate(p.care_units_after, p.population_after)},
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
        "area": {"code": area.code, "name": area.name},
        "before": state_json(&e.before),
        "after": state_json(&e.after),
        "delta": delta_json(&e.before, &e.after),
        "parents": parents,
        "study": {
            "before": study_json(&e.study_before),
            "after": study_json(&e.study_after),
            "delta": study_delta(&e.study_before, &e.study_after),
        },
        "nearest_existing_site_m": {
            "any_group": opt_number(e.nearest_any_m.map(|d| d.round())),
            "same_group": opt_number(e.nearest_same_m.map(|d| d.round())),
        },
        "verdict": e.verdict.as_str(),
        "reasons": e.reasons,
    })
}

fn f2(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |x| format!("{x:.2}"))
}

fn f4(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |x| format!("{x:.4}"))
}

fn d2(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:+.2}", b - a),
        _ => "-".to_string(),
    }
}

/// A readable Dutch before/after table with the verdict and its reasons.
pub fn evaluation_text(areas: &[Area], e: &Evaluation) -> String {
    let area = &areas[e.area];
    let (b, a) = (&e.before, &e.after);
    let mut out = String::new();
    let verb = if e.change.units > 0.0 {
        "erbij"
    } else {
        "eraf"
    };
    out.push_str(&format!(
        "{}: {} eenheden {} ({verb}) op ({:.0}, {:.0}) → {} {}\n\n",
        e.change.name,
        e.change.units.abs(),
        e.change.group,
        e.change.location[0],
        e.change.location[1],
        area.code,
        area.name
    ));
    out.push_str(&format!(
        "{:<34}{:>12}{:>12}{:>12}\n",
        "", "voor", "na", "verschil"
    ));
    let mut row = |label: &str, bv: String, av: String, dv: String| {
        out.push_str(&format!("{label:<34}{bv:>12}{av:>12}{dv:>12}\n"));
    };
    let counts = [
        ("inwoners".to_string(), b.population, a.population),
        ("zorgeenheden".to_string(), b.care_units, a.care_units),
        (
            format!("  waarvan {}", e.change.group),
            b.group_units,
            a.group_units,
        ),
    ];
    for (label, bv, av) in counts {
        row(
            &label,
            format!("{bv:.0}"),
            format!("{av:.0}"),
            format!("{:+.0}", av - bv),
        );
    }
    let number = |label: &str, n: StateNumber| (label.to_string(), n(b), n(a));
    let mut numbers = vec![
        number("zorgeenheden per 1.000 inwoners", |s| s.care_units_per_1000),
        number("fair-share ratio", |s| s.fair_share_ratio),
    ];
    for (id, (av, az)) in &a.indicators {
        let (bv, bz) = b.indicators.get(id).copied().unwrap_or((None, None));
        numbers.push((format!("{id} waarde"), bv, *av));
        numbers.push((format!("{id} z"), bz, *az));
    }
    numbers.extend([
        number("draagkracht", |s| s.draagkracht),
        number("draaglast", |s| s.draaglast),
        number("saldo", |s| s.saldo),
    ]);
    for (label, bv, av) in numbers {
        row(&label, f2(bv), f2(av), d2(bv, av));
    }
    row(
        "signaal",
        b.signal.as_str().to_string(),
        a.signal.as_str().to_string(),
        String::new(),
    );
    row(
        "typologie",
        b.typology.clone().unwrap_or_else(|| "-".into()),
        a.typology.clone().unwrap_or_else(|| "-".into()),
        String::new(),
    );
    for p in &e.parents {
        let rate = |u: f64, pop: f64| (pop > 0.0).then(|| 1000.0 * u / pop);
        let (rb, ra) = (
            rate(p.care_units_before, p.population_before),
            rate(p.care_units_after, p.population_after),
        );
        row(
            &format!("{} {}: per 1.000", p.level, p.code),
            f2(rb),
            f2(ra),
            d2(rb, ra),
        );
    }
    let (sb, sa) = (&e.study_before, &e.study_after);
    out.push_str("\nHele studiegebied\n");
    for (_, label, metric) in STUDY_METRICS {
        let (x, y) = (metric(sb), metric(sa));
        out.push_str(&format!(
            "{label:<34}{:>12}{:>12}{:>12}\n",
            f4(x),
            f4(y),
            match (x, y) {
                (Some(x), Some(y)) => format!("{:+.4}", y - x),
                _ => "-".into(),
            }
        ));
    }
    out.push_str(&format!(
        "\nDichtstbijzijnde bestaande zorglocatie (hemelsbreed): {} (elke doelgroep), {} (zelfde doelgroep)\n",
        e.nearest_any_m.map_or("geen".into(), |d| format!("{d:.0} m")),
        e.nearest_same_m.map_or("geen".into(), |d| format!("{d:.0} m")),
    ));
    let verdict = match e.verdict {
        crate::scenario::rules::Verdict::Past => "PAST",
        crate::scenario::rules::Verdict::PastOnderVoorwaarden => "PAST ONDER VOORWAARDEN",
        crate::scenario::rules::Verdict::PastNiet => "PAST NIET",
    };
    out.push_str(&format!("\nOordeel: {verdict}\n"));
    for r in &e.reasons {
        let mark = if r.passed { "✓" } else { "✗" };
        let effect = match r.effect {
            crate::scenario::rules::Effect::Blokkerend => "blokkerend",
            crate::scenario::rules::Effect::Voorwaarde => "voorwaarde",
            crate::scenario::rules::Effect::Informatief => "informatief",
        };
        out.push_str(&format!(
            "  {mark} {} ({effect}): {}\n",
            r.rule, r.explanation
        ));
    }
    out
}

/// The per-area before/after table of a scenario (`scenario_areas.geojson`/`.csv`).
pub fn scenario_table(
    areas: &[Area],
    before: &[AreaState],
    after: &[AreaState],
) -> crate::io::write::Table {
    let mut c: Columns<usize> = Columns::new();
    c.push("code", |&i| areas[i].code.clone().into());
    c.push("name", |&i| areas[i].name.clone().into());
    for (key, number, _) in STATE_NUMBERS.into_iter().filter(|n| n.2) {
        let (b, a) = (
            move |i: usize| number(&before[i]),
            move |i: usize| number(&after[i]),
        );
        c.push(format!("{key}_before"), move |&i| opt_number(b(i)));
        c.push(format!("{key}_after"), move |&i| opt_number(a(i)));
        c.push(format!("{key}_delta"), move |&i| diff(b(i), a(i)));
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
    before: &StudyMetrics,
    after: &StudyMetrics,
) -> Value {
    let mut counts = std::collections::BTreeMap::new();
    for e in evaluations {
        *counts.entry(e.verdict.as_str()).or_insert(0usize) += 1;
    }
    json!({
        "wijkbalans_version": super::VERSION,
        "scenario": name,
        "changes": evaluations.iter().map(|e| evaluation_json(areas, e)).collect::<Vec<_>>(),
        "verdicts": counts,
        "study": {"before": study_json(before), "after": study_json(after), "delta": study_delta(before, after)},
    })
}

/// `scenario.md`: a readable summary for a policy officer.
pub fn scenario_markdown(
    name: &str,
    areas: &[Area],
    evaluations: &[Evaluation],
    before: &[AreaState],
    after: &[AreaState],
    study_before: &StudyMetrics,
    study_after: &StudyMetrics,
) -> String {
    let mut md = format!("# Scenario: {name}\n\n");
    md.push_str(
        "Wijzigingen in volgorde; elk oordeel houdt rekening met de wijzigingen ervoor.\n\n",
    );
    md.push_str("| # | wijziging | jaar | wijk | eenheden | doelgroep | signaal voor → na | oordeel | niet gehaald |\n");
    md.push_str("|---|---|---|---|---:|---|---|---|---|\n");
    for (k, e) in evaluations.iter().enumerate() {
        let a = &areas[e.area];
        let failed = e.failed_rules();
        md.push_str(&format!(
            "| {} | {} | {} | {} {} | {:+} | {} | {} → {} | {} | {} |\n",
            k + 1,
            e.change.name,
            e.change.year.map_or("-".to_string(), |y| y.to_string()),
            a.code,
            a.name,
            e.change.units,
            e.change.group,
            e.before.signal.as_str(),
            e.after.signal.as_str(),
            e.verdict.as_str(),
            if failed.is_empty() {
                "-".to_string()
            } else {
                failed.join(", ")
            }
        ));
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
                areas[i].code,
                areas[i].name,
                f2(before[i].saldo),
                f2(after[i].saldo),
                before[i].signal.as_str(),
                after[i].signal.as_str()
            ));
        }
    }
    md.push_str("\n## Spreiding over het hele gebied\n\n| maat | voor | na |\n|---|---:|---:|\n");
    md.push_str(&format!(
        "| zorgeenheden | {:.0} | {:.0} |\n",
        study_before.care_units, study_after.care_units
    ));
    for (_, label, metric) in STUDY_METRICS {
        let (b, a) = (metric(study_before), metric(study_after));
        md.push_str(&format!("| {label} | {} | {} |\n", f4(b), f4(a)));
    }
    md.push_str("\nSaldo = draagkracht − draaglast, met de normalisatie van de uitgangssituatie bevroren.\n");
    md
}
