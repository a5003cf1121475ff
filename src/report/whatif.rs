//! What-if results as JSON documents and as a readable Dutch table.

use serde_json::{json, Map, Value};

use crate::model::Area;
use crate::scenario::{AreaState, Evaluation, StudyMetrics};
use crate::table::{number, opt_number};

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
    json!({
        "population": number(s.population),
        "care_units": number(s.care_units),
        "group_units": number(s.group_units),
        "care_units_per_1000": opt_number(s.care_units_per_1000),
        "group_units_per_1000": opt_number(s.group_units_per_1000),
        "fair_share_ratio": opt_number(s.fair_share_ratio),
        "draagkracht": opt_number(s.draagkracht),
        "draaglast": opt_number(s.draaglast),
        "saldo": opt_number(s.saldo),
        "signal": s.signal.as_str(),
        "typology": s.typology,
        "indicators": indicators,
    })
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
    json!({
        "population": number(a.population - b.population),
        "care_units": number(a.care_units - b.care_units),
        "group_units": number(a.group_units - b.group_units),
        "care_units_per_1000": diff(b.care_units_per_1000, a.care_units_per_1000),
        "group_units_per_1000": diff(b.group_units_per_1000, a.group_units_per_1000),
        "fair_share_ratio": diff(b.fair_share_ratio, a.fair_share_ratio),
        "draagkracht": diff(b.draagkracht, a.draagkracht),
        "draaglast": diff(b.draaglast, a.draaglast),
        "saldo": diff(b.saldo, a.saldo),
        "signal": format!("{} → {}", b.signal.as_str(), a.signal.as_str()),
        "typology": format!(
            "{} → {}",
            b.typology.as_deref().unwrap_or("-"),
            a.typology.as_deref().unwrap_or("-")
        ),
        "indicators": indicators,
    })
}

fn study_json(m: &StudyMetrics) -> Value {
    json!({
        "care_units": number(m.care_units),
        "dissimilarity": opt_number(m.dissimilarity),
        "gini": opt_number(m.gini),
        "hhi": opt_number(m.hhi),
        "fair_share_dissimilarity": opt_number(m.fair_share_dissimilarity),
        "morans_i": opt_number(m.morans_i),
    })
}

fn study_delta(b: &StudyMetrics, a: &StudyMetrics) -> Value {
    json!({
        "care_units": number(a.care_units - b.care_units),
        "dissimilarity": diff(b.dissimilarity, a.dissimilarity),
        "gini": diff(b.gini, a.gini),
        "hhi": diff(b.hhi, a.hhi),
        "fair_share_dissimilarity": diff(b.fair_share_dissimilarity, a.fair_share_dissimilarity),
        "morans_i": diff(b.morans_i, a.morans_i),
    })
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
    row(
        "inwoners",
        format!("{:.0}", b.population),
        format!("{:.0}", a.population),
        format!("{:+.0}", a.population - b.population),
    );
    row(
        "zorgeenheden",
        format!("{:.0}", b.care_units),
        format!("{:.0}", a.care_units),
        format!("{:+.0}", a.care_units - b.care_units),
    );
    row(
        &format!("  waarvan {}", e.change.group),
        format!("{:.0}", b.group_units),
        format!("{:.0}", a.group_units),
        format!("{:+.0}", a.group_units - b.group_units),
    );
    row(
        "zorgeenheden per 1.000 inwoners",
        f2(b.care_units_per_1000),
        f2(a.care_units_per_1000),
        d2(b.care_units_per_1000, a.care_units_per_1000),
    );
    row(
        "fair-share ratio",
        f2(b.fair_share_ratio),
        f2(a.fair_share_ratio),
        d2(b.fair_share_ratio, a.fair_share_ratio),
    );
    for (id, (av, az)) in &a.indicators {
        let (bv, bz) = b.indicators.get(id).copied().unwrap_or((None, None));
        row(&format!("{id} waarde"), f2(bv), f2(*av), d2(bv, *av));
        row(&format!("{id} z"), f2(bz), f2(*az), d2(bz, *az));
    }
    row(
        "draagkracht",
        f2(b.draagkracht),
        f2(a.draagkracht),
        d2(b.draagkracht, a.draagkracht),
    );
    row(
        "draaglast",
        f2(b.draaglast),
        f2(a.draaglast),
        d2(b.draaglast, a.draaglast),
    );
    row("saldo", f2(b.saldo), f2(a.saldo), d2(b.saldo, a.saldo));
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
    let mut srow = |label: &str, x: Option<f64>, y: Option<f64>| {
        out.push_str(&format!(
            "{label:<34}{:>12}{:>12}{:>12}\n",
            x.map_or("-".into(), |v| format!("{v:.4}")),
            y.map_or("-".into(), |v| format!("{v:.4}")),
            match (x, y) {
                (Some(x), Some(y)) => format!("{:+.4}", y - x),
                _ => "-".into(),
            }
        ));
    };
    srow("dissimilariteit D", sb.dissimilarity, sa.dissimilarity);
    srow("Gini", sb.gini, sa.gini);
    srow("HHI", sb.hhi, sa.hhi);
    srow(
        "te verplaatsen aandeel (fair share)",
        sb.fair_share_dissimilarity,
        sa.fair_share_dissimilarity,
    );
    srow("Moran's I (per 1.000)", sb.morans_i, sa.morans_i);
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
) -> crate::table::Table {
    let mut columns: Vec<String> = vec!["code".into(), "name".into()];
    for key in [
        "population",
        "care_units",
        "care_units_per_1000",
        "fair_share_ratio",
        "draagkracht",
        "draaglast",
        "saldo",
    ] {
        for suffix in ["before", "after", "delta"] {
            columns.push(format!("{key}_{suffix}"));
        }
    }
    columns.extend(
        [
            "signal_before",
            "signal_after",
            "signal_changed",
            "typology_before",
            "typology_after",
        ]
        .map(String::from),
    );
    let rows = areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (b, f) = (&before[i], &after[i]);
            let mut row: Vec<Value> = vec![a.code.clone().into(), a.name.clone().into()];
            let mut triple = |x: Option<f64>, y: Option<f64>| {
                row.push(opt_number(x));
                row.push(opt_number(y));
                row.push(diff(x, y));
            };
            triple(Some(b.population), Some(f.population));
            triple(Some(b.care_units), Some(f.care_units));
            triple(b.care_units_per_1000, f.care_units_per_1000);
            triple(b.fair_share_ratio, f.fair_share_ratio);
            triple(b.draagkracht, f.draagkracht);
            triple(b.draaglast, f.draaglast);
            triple(b.saldo, f.saldo);
            row.push(b.signal.as_str().into());
            row.push(f.signal.as_str().into());
            row.push(Value::Bool(b.signal != f.signal));
            row.push(b.typology.clone().map_or(Value::Null, Value::from));
            row.push(f.typology.clone().map_or(Value::Null, Value::from));
            row
        })
        .collect();
    crate::table::Table { columns, rows }
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
        let failed: Vec<&str> = e
            .reasons
            .iter()
            .filter(|r| !r.passed)
            .map(|r| r.rule.as_str())
            .collect();
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
    let f4 = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.4}"));
    md.push_str(&format!(
        "| zorgeenheden | {:.0} | {:.0} |\n",
        study_before.care_units, study_after.care_units
    ));
    for (label, b, a) in [
        (
            "dissimilariteit D",
            study_before.dissimilarity,
            study_after.dissimilarity,
        ),
        ("Gini", study_before.gini, study_after.gini),
        ("HHI", study_before.hhi, study_after.hhi),
        (
            "te verplaatsen aandeel (fair share)",
            study_before.fair_share_dissimilarity,
            study_after.fair_share_dissimilarity,
        ),
        (
            "Moran's I (per 1.000)",
            study_before.morans_i,
            study_after.morans_i,
        ),
    ] {
        md.push_str(&format!("| {label} | {} | {} |\n", f4(b), f4(a)));
    }
    md.push_str("\nSaldo = draagkracht − draaglast, met de normalisatie van de uitgangssituatie bevroren.\n");
    md
}
