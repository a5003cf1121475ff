//! `wijkbalans analyse`: load, analyse, write the area, site and facility layers (GeoJSON, CSV and/or a
//! GeoPackage with styles), `summary.json` and `run.json`.

use crate::cli::args::AnalyseArgs;
use crate::cli::output::{names, Geometries, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::terminal::{eprint, print_summary, stage, warn_outside, Bar};
use crate::cli::{Exit, Failure};
use crate::io::styles;
use crate::io::write;
use crate::pipeline;
use crate::report::{self, layers, suppress};

/// Point geometries of a layer's features (sites, facilities), in their order.
fn points(locations: impl Iterator<Item = geo::Coord<f64>>) -> Vec<geo::Geometry<f64>> {
    locations
        .map(|c| geo::Geometry::Point(geo::Point(c)))
        .collect()
}

/// Run the command.
pub fn run(args: AnalyseArgs) -> Result<Exit, Failure> {
    let (session, target, opts) = Session::start_run(&args.study, &[])?;
    let opts = opts.for_audience(&args.audience);
    let cfg = &session.config;
    if let Some(path) = &args.timings {
        // Known before anything is read: the timings file is never an input.
        target.check_extra(path, "--timings", crate::cli::output::TIMINGS_START)?;
    }
    let pb = stage(args.study.run.quiet, "lezen van de lagen…");
    let start = std::time::Instant::now();
    let loaded = session.load_checked(args.strict)?;
    let read_s = start.elapsed().as_secs_f64();
    pb.set_message(format!(
        "toewijzen en berekenen ({} gebieden, {} permutaties)…",
        loaded.areas.len(),
        cfg.spreading.permutations
    ));
    let outcome = pipeline::analyse_with_progress(&loaded, &Bar::new(&pb));
    pb.set_message("schrijven…");
    let write_start = std::time::Instant::now();

    // Render everything in memory first; write only when all of it succeeded.
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let mut areas = report::areas_table(&loaded, &outcome);
    let mut sites = report::sites_table(&loaded, &outcome);
    let hidden = opts
        .public_min
        .map(|k| {
            let small = suppress::Hidden::small_sites(&loaded, &outcome, k);
            suppress::suppress_analyse_tables(&mut areas, sites.as_mut(), k, &small)
        })
        .unwrap_or_default();
    // One copy of the polygons for the areas and LISA layers (rendered to WGS84 once).
    let area_geoms: Geometries = std::sync::Arc::new(
        loaded
            .areas
            .iter()
            .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
            .collect(),
    );
    let lisa = layers::lisa_table(&areas);
    // Coloured by the signal itself, which the site test reads (with the care rate not
    // clamped, docs/METHOD.md §2.4), not by the clamped saldo; an unknown signal shows grey.
    outputs.layer(
        names::AREAS,
        areas,
        std::sync::Arc::clone(&area_geoms),
        Style::only(Some(styles::signal_categorised())),
    )?;
    if let (Some(table), Some(s)) = (sites, &loaded.sites) {
        let geoms = points(s.iter().map(|s| s.location));
        let groups: Vec<(String, String)> = cfg
            .target_group
            .iter()
            .map(|g| (g.id.clone(), g.label.clone()))
            .collect();
        let max_units = s.iter().map(|x| x.units).fold(1.0, f64::max);
        outputs.layer(
            names::SITES,
            table,
            geoms,
            Style::only(Some(styles::sites_by_group(&groups, max_units))),
        )?;
    }
    if let (Some(table), Some(f)) = (
        report::facilities_table(&loaded, &outcome),
        &loaded.facilities,
    ) {
        let geoms = points(f.iter().map(|f| f.location));
        let types: Vec<(String, String)> = cfg
            .access
            .category
            .iter()
            .map(|c| (c.id.clone(), c.label.clone()))
            .collect();
        outputs.layer(
            names::FACILITIES,
            table,
            geoms,
            Style::only(Some(styles::facilities_by_type(&types))),
        )?;
    }
    if let Some(table) = lisa {
        outputs.layer(
            names::LISA,
            table,
            area_geoms,
            Style::only(Some(styles::lisa_categorised("lisa_label"))),
        )?;
    }
    for mut level in layers::level_layers(&loaded, &outcome) {
        if let Some(k) = opts.public_min {
            let name = level.level.clone();
            suppress::suppress_level_table(&mut level.table, k, |code| {
                hidden.in_level("care_units", &loaded.areas, &name, code)
            });
        }
        let style = layers::rate_breaks(&level.table, "care_units_per_1000")
            .map(|b| styles::rate_graduated("care_units_per_1000", &b));
        outputs.layer(
            &level.level,
            level.table,
            level.geometries,
            Style::only(style),
        )?;
    }
    let spreading = report::spreading_summary(&loaded, &outcome);
    let summary = report::summary(&loaded, &outcome, Some(spreading));
    let summary = match opts.public_min {
        Some(k) => report::suppress_levels(summary, k, &hidden, &loaded),
        None => summary,
    };
    outputs.file(names::SUMMARY_JSON, write::json_bytes(&summary));
    let names = outputs.write_with_run(&target, "analyse", &loaded)?;
    pb.finish_and_clear();
    if let Some(path) = &args.timings {
        let t = &outcome.timings;
        let doc = serde_json::json!({
            "read_s": read_s,
            "assign_s": t.assign_s,
            "indicators_s": t.indicators_s,
            "spreading_s": t.spreading_s,
            "write_s": write_start.elapsed().as_secs_f64(),
            "total_s": start.elapsed().as_secs_f64(),
        });
        std::fs::write(path, write::json_bytes(&doc)).map_err(|e| {
            Failure(format!(
                "{}: de tijden zijn niet te schrijven ({e})",
                path.display()
            ))
        })?;
    }

    let d = &outcome.diagnostics;
    let outside = d.outside();
    warn_outside(
        d,
        "",
        &format!(
            "ze staan onder diagnostics in {}",
            args.study.run.out.join(names::SUMMARY_JSON).display()
        ),
    );
    let skipped = d.dwellings_skipped.as_ref().map_or(0, |k| k.count);
    if let Some(k) = d.dwellings_skipped.as_ref().filter(|k| k.count > 0) {
        let first = &k.listed[0];
        eprint(&format!(
            "wijkbalans: waarschuwing: {} onleesbare woning(en) weggelaten (de eerste: {}: {}); elk staat onder diagnostics.dwellings_skipped in {}",
            k.count,
            match &loaded.config.dwellings {
                Some(spec) => crate::error::feature_place(&spec.path, first.feature),
                None => format!("object {}", first.feature),
            },
            first.problem,
            args.study.run.out.join(names::SUMMARY_JSON).display()
        ));
    }
    if !d.zero_population_areas.is_empty() {
        let codes = &d.zero_population_areas;
        let shown: Vec<&str> = codes.iter().take(5).map(String::as_str).collect();
        eprint(&format!(
            "wijkbalans: waarschuwing: {} gebied(en) met 0 inwoners ({}{}); cijfers per inwoner zijn daar niet gedefinieerd en blijven leeg (er wordt nooit door nul gedeeld), en zonder inwoners is er geen balans: hun signaal is onbekend; ze staan onder diagnostics in {}",
            codes.len(),
            shown.join(", "),
            if codes.len() > shown.len() { ", …" } else { "" },
            args.study.run.out.join(names::SUMMARY_JSON).display()
        ));
    }
    if !args.study.run.quiet {
        for note in &d.access_notes {
            eprint(&format!("wijkbalans: let op: {note}"));
        }
        let signals = &summary["study"]["signals"];
        // rood, oranje, neutraal, ruimte first (worst first), then any other signal.
        let order = ["rood", "oranje", "neutraal", "ruimte"];
        let mut keys: Vec<&str> = order.to_vec();
        if let Some(o) = signals.as_object() {
            keys.extend(o.keys().map(String::as_str).filter(|k| !order.contains(k)));
        }
        let counts: Vec<String> = keys
            .iter()
            .filter_map(|k| {
                let n = signals.get(*k)?.as_u64()?;
                Some(format!("{k} {}", crate::format::count(n as usize)))
            })
            .collect();
        // Why signals are unknown when a block has no indicator at all (the CBS 2024 file
        // without sites): said once, not left to read in summary.json.
        let unknown = signals
            .get("onbekend")
            .and_then(|n| n.as_u64())
            .unwrap_or(0);
        let empty_blocks: Vec<&str> = summary["block_basis"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|b| b["indicators"].as_array().is_some_and(|i| i.is_empty()))
            .filter_map(|b| b["block"].as_str())
            .collect();
        if unknown > 0 && !empty_blocks.is_empty() {
            eprint(&format!(
                "wijkbalans: let op: signaal onbekend in {} gebieden: {} rust{} op geen enkele \
                 indicator: geen ervan kan worden berekend (de reden van elke staat bij \
                 indicators.skipped in summary.json)",
                crate::format::count(unknown as usize),
                empty_blocks.join(" en "),
                if empty_blocks.len() == 1 { "" } else { "en" }
            ));
        }
        let population = summary["study"]["population"]
            .as_f64()
            .map_or("onbekend".into(), |p| crate::table::nl(p, 0));
        print_summary(
            &format!(
                "{} gebieden, {population} inwoners; signalen: {}",
                crate::format::count(loaded.areas.len()),
                if counts.is_empty() {
                    "geen".to_string()
                } else {
                    counts.join(", ")
                }
            ),
            &[],
            &args.study.run.out,
            &names,
        );
    }
    Ok(if (outside > 0 || skipped > 0) && args.strict {
        Exit::Diagnostics
    } else {
        Exit::Success
    })
}
