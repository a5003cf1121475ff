//! `wijkbalans suggest`: rank candidate locations for N units of a group.

use serde_json::{json, Value};

use crate::cli::args::SuggestArgs;
use crate::cli::output::{names, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::suggestion_run::{self, row, Ask};
use crate::cli::terminal::{print, stage, Bar};
use crate::cli::{Exit, Failure};
use crate::config::{LayerSpec, Role};
use crate::io;
use crate::io::outset::Named;
use crate::io::read::{read_layer, ReadOptions};
use crate::io::styles;
use crate::model::{Area, Candidate};
use crate::scenario::suggest::{self, Assessed, Prepared, Request, Search};
use crate::table::{number, opt_number};

/// Class breaks of the score map (0–100).
const SCORE_BREAKS: [f64; 4] = [20.0, 40.0, 60.0, 80.0];

/// A number for the terminal: `decimals` decimals with a decimal comma
/// ([`crate::format::number`] for people).
fn dutch(v: f64, decimals: usize) -> String {
    crate::format::number(v, decimals, crate::format::Audience::Human)
}

/// A count for the terminal with a dot between thousands (38.111).
fn dutch_count(n: usize) -> String {
    crate::format::count(n)
}

/// Run the command.
pub fn run(args: SuggestArgs) -> Result<Exit, Failure> {
    let (session, target, opts) = Session::start_run(
        &args.study,
        &Named::all(&args.candidates.file, "--candidates"),
    )?;
    let cfg = &session.config;
    let options = suggestion_run::options(
        &cfg.suggest,
        &Ask {
            units: args.units,
            top: args.top,
            grid: args.grid,
            spacing: args.spacing,
            max_per_area: args.max_per_area,
        },
    )?;
    let group = session.target_group(&args.group)?;
    // The BAG that placed sites or facilities given by address also places the candidates.
    let mut loaded = session.load_keeping_bag()?;
    let (candidates_raw, placed) = match &args.candidates.file {
        None => (None, None),
        Some(path) => {
            let spec = LayerSpec {
                path: path.clone(),
                layer: args.candidates.layer.clone(),
                crs: args.candidates.crs.clone(),
            };
            let opts = ReadOptions {
                compute_crs: cfg.crs.clone(),
                repair: false,
            };
            let mut raw = read_layer(&spec, Role::Candidates, &opts, None)?;
            let keep_going = args.study.input.unmatched.is_some();
            let placed = place_candidates(&mut raw, cfg, loaded.bag_index.take(), keep_going)?;
            let mut found = io::model::candidates(&raw)?;
            if let Some(p) = &placed {
                // Listed in the --unmatched file with the other address rows.
                loaded.unmatched.extend(p.unmatched.iter().cloned());
                // A candidate given by address carries the BAG object it was placed at; without a
                // name it is named by its BAG address.
                for (c, g) in found.iter_mut().zip(&p.found) {
                    c.label.get_or_insert_with(|| g.matched.clone());
                    c.address = Some(g.clone());
                }
            }
            (Some(found), placed)
        }
    };
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let (candidates, source) = match candidates_raw {
        Some(c) => {
            let file = args.candidates.file.as_ref().expect("given").display();
            let source = match &placed {
                Some(_) => format!("file {file}, addresses placed at their BAG points"),
                None => format!("file {file}"),
            };
            (c, source)
        }
        None => {
            let cell = args.grid.unwrap_or(suggestion_run::DEFAULT_GRID_M);
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
            "geen enkele kandidaat-locatie ligt in een gebied met inwoners; controleer de kandidaten of de rastermaat (--grid)".into(),
        ));
    }
    let areas = &loaded.areas;
    let addressed = suggestion_run::addressed(&candidates);
    let columns = suggestion_run::columns(addressed);
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let mut suitability = outputs.stream(names::SUITABILITY, columns.clone());
    let request = Request {
        units: args.units as f64,
        group: &group,
        top: args.top,
        options: &options,
    };
    let pb = stage(args.study.run.quiet, "zoeken…");
    let prepared = Prepared::new(&scenario, request, loaded.dwellings.as_ref());
    // The suitability layer is rendered block by block as the candidates are assessed.
    let mut written: Result<(), Failure> = Ok(());
    let search = prepared.search(&candidates, &Bar::new(&pb), &mut |block| {
        if written.is_err() {
            return;
        }
        let inside: Vec<&Assessed> = block.iter().filter(|a| a.assessment.is_some()).collect();
        let rows = inside
            .iter()
            .map(|a| row(a, &candidates[a.candidate], addressed, &prepared, areas))
            .collect();
        let points: Vec<[f64; 2]> = inside.iter().map(|a| a.location).collect();
        written = suitability.push(rows, &points);
    });
    pb.finish_and_clear();
    written?;
    let (top_table, points) = suggestion_run::top_table(&prepared, &search, &candidates, areas);
    let mut top = outputs.stream(names::SUGGESTIONS, top_table.columns);
    top.push(top_table.rows, &points)?;
    let (verdict, score) = (
        Style::new("verdict", styles::verdict_categorised("verdict")),
        Style::new("score", styles::score_graduated(&SCORE_BREAKS)),
    );
    outputs.finish_stream(top, vec![verdict.clone(), score.clone()]);
    outputs.finish_stream(suitability, vec![score, verdict]);
    let mut suggest_key = summary(&args, &group, &source, &options, &prepared, &search);
    if let Some(p) = placed {
        suggest_key["candidates_bag"] = json!({
            "path": p.bag.0,
            "blake3": p.bag.1,
            "placed": p.found.len(),
            "unmatched": p.unmatched.len(),
        });
    }
    outputs.run_key("suggest", suggest_key);
    let names = outputs.write_with_run(&target, "suggest", &loaded)?;
    if !args.study.run.quiet {
        // The inputs that would tell locations apart, when they are missing.
        let w = &prepared.weights;
        let missing: Vec<&str> = [
            (loaded.sites.is_none(), "zorglocaties (--sites)"),
            (w.facilities == 0.0, "voorzieningen (--facilities)"),
            (w.density == 0.0, "woningen (--dwellings)"),
        ]
        .into_iter()
        .filter_map(|(gone, what)| gone.then_some(what))
        .collect();
        print(&terminal_text(
            request,
            &args.study.run.out,
            &search,
            &candidates,
            areas,
            &missing,
            &names,
        ));
    }
    Ok(Exit::Success)
}

/// Candidates given by address, placed through the BAG ([`place_candidates`]).
struct PlacedCandidates {
    /// What each remaining row matched, in row order.
    found: Vec<crate::model::address::Geocoded>,
    /// The rows without a single BAG point (left out with `--unmatched`).
    unmatched: Vec<io::model::Unmatched>,
    /// The BAG file: its path as given and BLAKE3 digest, for `run.json`.
    bag: (String, String),
}

/// Place the candidates of `raw` at their BAG addresses when the file gives addresses and no
/// points (as a sites file may, docs/METHOD.md §6.1), in the BAG of `--bag` or `[bag] path`.
/// A candidate whose address has no single BAG point stops the run with the list, unless
/// `keep_going` (`--unmatched`). `None` for a file of points. `read` is the BAG the load read
/// for sites or facilities given by address (the same file), used instead of reading it again.
fn place_candidates(
    raw: &mut io::read::RawLayer,
    cfg: &crate::config::Config,
    read: Option<std::sync::Arc<io::read::Bag>>,
    keep_going: bool,
) -> Result<Option<PlacedCandidates>, Failure> {
    let Some(columns) = crate::model::address::AddressColumns::find(&raw.fields) else {
        return Ok(None);
    };
    if raw.features.is_empty() || raw.features.iter().any(|f| f.geometry.is_some()) {
        return Ok(None);
    }
    let bag = match read {
        Some(bag) => bag,
        None => std::sync::Arc::new(crate::cli::address::open_bag(
            cfg.bag.as_ref().map(|b| b.path.as_path()),
            "--bag",
        )?),
    };
    let (found, unmatched) = io::model::geocode(raw, &columns, &bag, keep_going)?;
    Ok(Some(PlacedCandidates {
        found,
        unmatched,
        bag: (bag.path.display().to_string(), bag.blake3.clone()),
    }))
}

/// The `suggest` key of `run.json`: the request, the counts, and everything a planner needs to
/// recompute a score (docs/METHOD.md §2.7).
fn summary(
    args: &SuggestArgs,
    group: &str,
    source: &str,
    o: &crate::config::SuggestConfig,
    p: &Prepared,
    s: &Search,
) -> Value {
    let w = &p.weights;
    json!({
        "units": args.units,
        "group": group,
        "candidates": source,
        "evaluated": s.evaluated,
        "outside_every_area": s.outside,
        "top": args.top,
        "suggested": s.top.len(),
        "min_spacing_m": number(o.min_spacing_m),
        "max_per_area": o.max_per_area,
        "ranking": "verdict (past, past_onder_voorwaarden, past_niet), then score (higher first), then x_rd, then y_rd (lower first), then input order; suggestions taken in that order, skipping a candidate closer than min_spacing_m to one already taken or in an area with max_per_area suggestions already (0: no limit)",
        "score": {
            "formula": "score = 100 * (w_spreading*c_spreading + w_distance_any*c_distance_any + w_distance_same*c_distance_same + w_facilities*c_facilities + w_density*c_density) / (sum of the weights used)",
            "components": {
                "c_spreading": "(spreading_fall_pp - min) / (max - min) over the areas; spreading_fall_pp = 100 * (fair-share dissimilarity before - after) of the change in the candidate's area; 1 when min = max",
                "c_distance_any": "min(nearest_existing_m / distance_any_full_m, 1); 1 without sites",
                "c_distance_same": "min(nearest_same_group_m / distance_same_full_m, 1); 1 without a site of the group",
                "c_facilities": "mean over the group's ring requirements of 1 within the ring r, 2 - d/r between r and 2r, 0 beyond or when no facility of the kind exists",
                "c_density": "min(dwellings_per_ha / density_full_per_ha, 1); dwellings_per_ha = dwellings_nearby / (pi * density_radius_m^2 / 10000)",
            },
            "weights_configured": {
                "spreading": number(o.weights.spreading),
                "distance_any": number(o.weights.distance_any),
                "distance_same": number(o.weights.distance_same),
                "facilities": number(o.weights.facilities),
                "density": number(o.weights.density),
            },
            "weights_used": {
                "spreading": number(w.spreading),
                "distance_any": number(w.distance_any),
                "distance_same": number(w.distance_same),
                "facilities": number(w.facilities),
                "density": number(w.density),
            },
            "spreading_fall_pp_min": opt_number(p.spreading_range.map(|r| r.0)),
            "spreading_fall_pp_max": opt_number(p.spreading_range.map(|r| r.1)),
            "distance_any_full_m": number(o.distance_any_full_m),
            "distance_same_full_m": number(o.distance_same_full_m),
            "density_radius_m": number(o.density_radius_m),
            "density_full_per_ha": number(o.density_full_per_ha),
        },
    })
}

/// The Dutch summary on the terminal: what was asked (`request`) and searched, the
/// suggestions, and the files written into `out`. When every suggestion has the same score,
/// it says that their order is then the tie rule's (west first, then south; docs/METHOD.md
/// §2.7) and which `missing` inputs would tell them apart.
fn terminal_text(
    request: Request,
    out_dir: &std::path::Path,
    s: &Search,
    candidates: &[Candidate],
    areas: &[Area],
    missing: &[&str],
    names: &[String],
) -> String {
    let (o, group) = (request.options, request.group);
    let mut out = format!(
        "wijkbalans: {} kandidaten beoordeeld voor {} eenheden {group}",
        dutch_count(s.evaluated),
        crate::format::places(request.units),
    );
    if s.outside > 0 {
        out.push_str(&format!(" ({} buiten elke wijk)", dutch_count(s.outside)));
    }
    let per_area = if o.max_per_area == 0 {
        String::new()
    } else {
        format!(", hoogstens {} per wijk", o.max_per_area)
    };
    // The spacing and the limit per wijk speak of several suggestions.
    let apart = if s.top.len() > 1 {
        format!(
            ", onderling minstens {} m uit elkaar{per_area}",
            dutch(o.min_spacing_m, 0)
        )
    } else {
        String::new()
    };
    out.push_str(&format!(
        "; {}{apart}:\n",
        crate::format::counted(s.top.len() as u64, "voorstel", "voorstellen"),
    ));
    for (k, a) in s.top.iter().enumerate() {
        let x = a
            .assessment
            .as_ref()
            .expect("suggestions lie inside an area");
        let label = candidates[a.candidate]
            .label
            .as_deref()
            .map_or(String::new(), |l| format!("{l}, "));
        out.push_str(&format!(
            "  {:>2}. {label}{} {} ({:.0}, {:.0}): {}, score {}\n",
            k + 1,
            areas[x.area].code,
            areas[x.area].name,
            a.location[0],
            a.location[1],
            x.verdict.as_str().replace('_', " "),
            dutch(x.score, 1),
        ));
    }
    let scores: Vec<i64> = s
        .top
        .iter()
        .filter_map(|a| a.assessment.as_ref())
        .map(|x| (x.score * 10.0).round() as i64)
        .collect();
    if scores.len() > 1 && scores.iter().all(|&k| k == scores[0]) {
        let without = if missing.is_empty() {
            String::new()
        } else {
            let (last, rest) = missing.split_last().expect("not empty");
            let list = if rest.is_empty() {
                last.to_string()
            } else {
                format!("{} of {last}", rest.join(", "))
            };
            format!("; geef {list} om ze te onderscheiden")
        };
        out.push_str(&format!(
            "  let op: deze {} voorstellen hebben dezelfde score, dus hun volgorde is die bij gelijke score (eerst het westen, dan het zuiden) en zegt niets over geschiktheid{without}\n",
            scores.len()
        ));
    }
    out.push_str(&crate::cli::terminal::written(out_dir, names));
    out
}
