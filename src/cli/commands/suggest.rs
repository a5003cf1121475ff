//! `wijkbalans suggest`: rank candidate locations for N units of a group.

use serde_json::Value;

use crate::cli::args::SuggestArgs;
use crate::cli::output::{OutputOptions, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::terminal::{print, stage, Bar};
use crate::cli::{Exit, Failure};
use crate::config::{LayerSpec, Role};
use crate::io;
use crate::io::outset::Named;
use crate::io::read::{read_layer, ReadOptions};
use crate::io::styles;
use crate::model::Candidate;
use crate::report::layers::rate_breaks;
use crate::scenario::suggest::{self, Scored};
use crate::table::{number, opt_number, Table};

const COLUMNS: &[&str] = &[
    "rank",
    "score",
    "verdict",
    "failed_rules",
    "label",
    "area_code",
    "area_name",
    "signal_before",
    "signal_after",
    "saldo_after",
    "fair_share_ratio_after",
    "nearest_existing_m",
    "dwellings_within_500m",
    "x_rd",
    "y_rd",
];

fn row(s: &Scored, c: &Candidate, areas: &[crate::model::Area]) -> Vec<Value> {
    let e = s
        .evaluation
        .as_ref()
        .expect("only evaluated candidates are written");
    let failed = crate::policy::failed_rules(&e.reasons);
    vec![
        s.rank.map_or(Value::Null, Value::from),
        opt_number(s.score),
        e.verdict.as_str().into(),
        if failed.is_empty() {
            Value::Null
        } else {
            failed.join(",").into()
        },
        c.label.clone().map_or(Value::Null, Value::from),
        areas[e.area].code.clone().into(),
        areas[e.area].name.clone().into(),
        e.before.signal.as_str().into(),
        e.after.signal.as_str().into(),
        opt_number(e.after.saldo),
        opt_number(e.after.fair_share_ratio),
        opt_number(e.nearest_any_m.map(|d| d.round())),
        s.dwellings_nearby.map_or(Value::Null, Value::from),
        number(c.location[0]),
        number(c.location[1]),
    ]
}

/// Class breaks of the score map: 0 (better or worse spread) and the quartiles of the
/// candidates' scores, rounded to 0.01 percentage point for the legend.
fn score_breaks(table: &Table) -> Vec<f64> {
    let mut b = rate_breaks(table, "score").unwrap_or_default();
    b.push(0.0);
    let mut b: Vec<f64> = b.iter().map(|v| (v * 100.0).round() / 100.0).collect();
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

/// Run the command.
pub fn run(args: SuggestArgs) -> Result<Exit, Failure> {
    let session = Session::start(args.run.threads, &args.input, !args.run.quiet)?;
    let target = session.claim(&args.run.out, &Named::all(&args.candidates, "--candidates"))?;
    let cfg = &session.config;
    let opts = OutputOptions::from_args(&args.output)?;
    if args.units == 0 {
        return Err(Failure("--units must be at least 1".into()));
    }
    let group = session.target_group(&args.group)?;
    if let Some(g) = args.grid {
        if !(g.is_finite() && g >= 10.0) {
            return Err(Failure(format!(
                "--grid must be at least 10 metres, got {g}"
            )));
        }
    }
    let loaded = session.load()?;
    let candidates_raw = match &args.candidates {
        None => None,
        Some(path) => {
            let spec = LayerSpec {
                path: path.clone(),
                layer: args.candidates_layer.clone(),
                crs: args.candidates_crs.clone(),
            };
            let opts = ReadOptions {
                compute_crs: cfg.crs.clone(),
                repair: false,
            };
            let raw = read_layer(&spec, Role::Candidates, &opts, None)?;
            Some(io::model::candidates(&raw)?)
        }
    };
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let (candidates, source) = match candidates_raw {
        Some(c) => (
            c,
            format!(
                "file {}",
                args.candidates.as_ref().expect("given").display()
            ),
        ),
        None => {
            let cell = args.grid.unwrap_or(250.0);
            (
                suggest::grid(&scenario, loaded.dwellings.as_ref(), cell),
                format!(
                    "grid of {cell} m over {}",
                    if loaded.dwellings.is_some() {
                        "cells with dwellings"
                    } else {
                        "populated areas"
                    }
                ),
            )
        }
    };
    if candidates.is_empty() {
        return Err(Failure(
            "no candidate location lies in an area with inhabitants; check the candidates or the grid size".into(),
        ));
    }
    let pb = stage(args.run.quiet, "zoeken…");
    let scored = suggest::rank_with_progress(
        &scenario,
        &candidates,
        args.units as f64,
        &group,
        loaded.dwellings.as_ref(),
        &Bar::new(&pb),
    );
    pb.finish_and_clear();
    let areas = &loaded.areas;
    let columns: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
    let mut ranked: Vec<&Scored> = scored.iter().filter(|s| s.rank.is_some()).collect();
    ranked.sort_by_key(|s| s.rank);
    let top: Vec<&Scored> = ranked.iter().take(args.top).copied().collect();
    let build = |list: &[&Scored]| -> (Table, Vec<geo::Geometry<f64>>) {
        let rows = list
            .iter()
            .map(|s| row(s, &candidates[s.candidate], areas))
            .collect();
        let geoms = list
            .iter()
            .map(|s| {
                let p = candidates[s.candidate].location;
                geo::Geometry::Point(geo::Point::new(p[0], p[1]))
            })
            .collect();
        (
            Table {
                columns: columns.clone(),
                rows,
            },
            geoms,
        )
    };
    let (top_table, top_geoms) = build(&top);
    let all_in_order: Vec<&Scored> = scored.iter().filter(|s| s.rank.is_some()).collect();
    let (all_table, all_geoms) = build(&all_in_order);
    let outside = scored.len() - all_in_order.len();
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let breaks = score_breaks(&all_table);
    let (verdict, score) = (
        Style::new("verdict", styles::verdict_categorised("verdict")),
        Style::new("score", styles::score_graduated(&breaks)),
    );
    outputs.layer(
        "suggestions",
        top_table,
        top_geoms,
        vec![verdict.clone(), score.clone()],
    )?;
    outputs.layer("suitability", all_table, all_geoms, vec![score, verdict])?;
    outputs.run_key("suggest", serde_json::json!({
        "units": args.units,
        "group": group,
        "candidates": source,
        "evaluated": all_in_order.len(),
        "outside_every_area": outside,
        "top": args.top,
        "ranking": "verdict (past, past_onder_voorwaarden, past_niet), then score = -change in fair-share dissimilarity x 100 (higher first), then dwellings within 500 m (more first; residential core), then saldo after (higher first), then input order",
    }));
    let names = outputs.write_with_run(&target, "suggest", &loaded)?;
    if !args.run.quiet {
        let best = top.first().and_then(|s| s.evaluation.as_ref());
        print(&format!(
            "wijkbalans: {} candidates ({source}) for {} units {group}; best: {}; wrote {} to {}",
            all_in_order.len(),
            args.units,
            best.map_or("none".to_string(), |e| format!(
                "{} {} ({})",
                areas[e.area].code,
                areas[e.area].name,
                e.verdict.as_str()
            )),
            names.join(", "),
            args.run.out.display()
        ));
    }
    Ok(Exit::Success)
}
