//! `wijkbalans compare --before A --after B`: the same analysis on two vintages, and what changed.

use serde_json::json;

use crate::cli::args::CompareArgs;
use crate::cli::output::{names, OutputOptions, OutputTarget, Outputs, Style, RUN_JSON};
use crate::cli::session::{config_inputs, set_threads, settle_source_year, validated};
use crate::cli::terminal::print_summary;
use crate::cli::{Exit, Failure};
use crate::config::{Config, LayerSpec, Role, ValidConfig};
use crate::io::outset::Named;
use crate::io::read::Source;
use crate::io::styles;
use crate::io::write;
use crate::monitor::CompareOptions;
use crate::pipeline::{self, Loaded, Outcome};
use crate::report::{
    self,
    compare::{
        boundary_lines, compare_json, compare_layer, compare_vintages, same_density, vintage,
        vintage_names, Side,
    },
};

/// Run the command.
pub fn run(args: CompareArgs) -> Result<Exit, Failure> {
    set_threads(args.run.threads)?;
    let opts = OutputOptions::from_args(&args.output)?;
    let mut inputs = vec![
        Named::new(&args.before, "--before"),
        Named::new(&args.after, "--after"),
    ];
    inputs.extend(Named::all(&args.config, "--config"));
    inputs.extend(Named::all(&args.site.file, "--sites"));
    // The configuration's own layers (its BAG file among them) are inputs too: no output may
    // overwrite one.
    if let Some(c) = &args.config {
        inputs.extend(config_inputs(&Config::from_file(c).map_err(Failure)?));
    }
    let target = OutputTarget::claim(&args.run.out, inputs)?;
    let before = VintageFlags {
        path: &args.before,
        layer: &args.before_layer,
        year: args.years.before_year,
        flags: ["--before", "--before-layer", "--before-year"],
    };
    let after = VintageFlags {
        path: &args.after,
        layer: &args.after_layer,
        year: args.years.after_year,
        flags: ["--after", "--after-layer", "--after-year"],
    };
    let (cb, said_b) = vintage_config(&args, &before)?;
    let (ca, said_a) = vintage_config(&args, &after)?;
    // The earlier vintage is of an earlier year than the later one, when both years are known:
    // otherwise every change would be read the wrong way round.
    if let (Some(yb), Some(ya)) = (cb.source_year, ca.source_year) {
        if yb >= ya {
            return Err(Failure(format!(
                "--before {}: de eerdere jaargang is van {yb} ({said_b}), niet van vóór {ya}, het jaar van --after {} ({said_a}); \
                 geef bij --before het eerdere jaar en bij --after het latere, of verbeter het jaar",
                args.before.display(),
                args.after.display()
            )));
        }
    }
    // Each vintage's messages name its own flags (neither has a CRS flag: a file without a CRS
    // keeps the configuration's [areas] crs).
    let load = |cfg: &ValidConfig, v: &VintageFlags| -> Result<(Loaded, Outcome), Failure> {
        let options = pipeline::LoadOptions {
            areas: Source::flags(Role::Areas, v.flags[0], v.flags[1], None),
            ..Default::default()
        };
        let loaded = pipeline::load_with(cfg, options)?;
        let out = pipeline::analyse(&loaded);
        crate::cli::terminal::warn_outside(
            &out.diagnostics,
            &format!("{}: ", v.flags[0]),
            crate::cli::terminal::OUTSIDE_LISTED_BY_ANALYSE,
        );
        Ok((loaded, out))
    };
    let (lb, ob) = load(&cb, &before)?;
    let (la, oa) = load(&ca, &after)?;
    let (mut vb, mut va) = (vintage(&lb, &ob), vintage(&la, &oa));
    let density = same_density(&mut vb, &mut va);
    let options = CompareOptions::default();
    let cmp = compare_vintages(&vb, &va, &options).map_err(|e| {
        Failure(format!(
            "{} en {}: {e}; vergelijk twee jaargangen met dezelfde gebiedscodes",
            args.before.display(),
            args.after.display()
        ))
    })?;
    let (table, geoms) = compare_layer(&cmp, &vb, &va);
    lb.wait_for_digests()?;
    la.wait_for_digests()?;
    // One file given as two years: every change would be 0 and read as "no change since".
    if let (Some(yb), Some(ya)) = (cb.source_year, ca.source_year) {
        if let Some(digest) = crate::cli::session::same_areas(&lb, &la) {
            return Err(Failure(format!(
                "--before {} en --after {}: dezelfde gebieden (dezelfde inhoud, BLAKE3 {}…) als {yb} ({said_b}) en als {ya} ({said_a}); \
                 geef bij --after de gebieden van {ya}, of verbeter het jaar",
                args.before.display(),
                args.after.display(),
                &digest[..12]
            )));
        }
    }
    let (before_path, after_path) = (
        args.before.display().to_string(),
        args.after.display().to_string(),
    );
    let mut doc = compare_json(
        &cmp,
        &options,
        Side {
            path: &before_path,
            loaded: &lb,
            vintage: &vb,
        },
        Side {
            path: &after_path,
            loaded: &la,
            vintage: &va,
        },
    );
    // Which density definition both vintages got (docs/METHOD.md §4.4).
    doc["density"] = json!(density);
    let mut outputs = Outputs::new(&opts, &lb.config.crs)?;
    // The later vintage's signal first (the map a planner opens), then which areas compare
    // like for like.
    let styles = vec![
        Style::new(
            "signal_after",
            styles::signal_categorised_on("signal_after"),
        ),
        Style::new("status", styles::boundary_status_categorised("status")),
    ];
    outputs.layer(names::COMPARE_AREAS, table, geoms, styles)?;
    outputs.file(names::COMPARE_JSON, write::json_bytes(&doc));
    let mut names = outputs.names();
    names.push(RUN_JSON.into());
    let run = json!({
        "tool": "wijkbalans",
        "version": report::VERSION,
        "command": "compare",
        "inputs": [lb.inputs, la.inputs],
        "outputs": names,
        "output": opts.audience(),
    });
    outputs.file(RUN_JSON, write::json_bytes(&run));
    let names = outputs.write(&target)?;
    if !args.run.quiet {
        // A vintage whose signals are unknown (no saldo: a block without indicators, as the
        // CBS 2024 file's draagkracht) makes every signal move "→ onbekend": said once.
        let (nb, na) = vintage_names(&vb, &va);
        let unknown: Vec<String> = [(&vb, &nb), (&va, &na)]
            .iter()
            .filter_map(|(v, name)| {
                let n = v.signals.values().filter(|s| *s == "onbekend").count();
                (n > 0).then(|| {
                    format!(
                        "  signaal: onbekend in {} van de {} gebieden van {name} (geen saldo); de kolom not_compared zegt waarom",
                        crate::format::count(n),
                        crate::format::count(v.signals.len())
                    )
                })
            })
            .collect();
        let body: Vec<String> = density
            .map(|d| format!("  dichtheid: {d}"))
            .into_iter()
            .chain(unknown)
            .chain(boundary_summary(&boundary_lines(&cmp, &vb, &va)))
            .collect();
        print_summary(
            &format!(
                "{} gebieden vergeleken; {} met een gewijzigde grens niet vergeleken; {} alleen in {nb}, {} alleen in {na}",
                crate::format::count(cmp.matched.len()),
                crate::format::count(cmp.boundary_changed.len()),
                crate::format::count(cmp.only_before.len()),
                crate::format::count(cmp.only_after.len())
            ),
            &body,
            &args.run.out,
            &names,
        );
    }
    Ok(Exit::Success)
}

/// How many boundary events the terminal lists one by one; the rest are counted (all are in
/// `compare.json` and the `boundary` column).
const BOUNDARY_LINES_SHOWN: usize = 20;

/// The terminal's lines of boundary events: the first [`BOUNDARY_LINES_SHOWN`], then one line
/// that counts the rest. Amsterdam's wijken against all of the Netherlands listed 3,244.
fn boundary_summary(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .take(BOUNDARY_LINES_SHOWN)
        .map(|l| format!("  grens: {l}"))
        .collect();
    if lines.len() > BOUNDARY_LINES_SHOWN {
        out.push(format!(
            "  grens: en nog {} wijzigingen; compare.json (boundary_events) en de kolom boundary noemen ze alle",
            crate::format::count(lines.len() - BOUNDARY_LINES_SHOWN)
        ));
    }
    out
}

/// One vintage as the command line gives it: its file, layer and year, and the names of
/// those three flags.
struct VintageFlags<'a> {
    path: &'a std::path::Path,
    layer: &'a Option<String>,
    year: Option<i32>,
    flags: [&'static str; 3],
}

/// The configuration of one vintage: `--config` (or the defaults) with its areas layer
/// replaced by the vintage's file (and layer), and `--sites` over the config's sites, so both
/// vintages are analysed as `analyse` analyses them; with where its year comes from.
///
/// The year of the statistics is the vintage's year flag, else the config's `source_year` when
/// the vintage is the config's own areas file (it describes that file, not the other year),
/// else the year the file declares ([`settle_source_year`]); a flag or config year that differs
/// from the declared one is refused.
fn vintage_config(args: &CompareArgs, v: &VintageFlags) -> Result<(ValidConfig, String), Failure> {
    let mut cfg = match &args.config {
        Some(c) => Config::from_file(c).map_err(Failure)?,
        None => Config::for_areas(LayerSpec::new(v.path)),
    };
    let own_file = crate::cli::session::same_file(&cfg.areas.path, v.path);
    if !own_file {
        cfg.source_year = None;
        cfg.areas.path = v.path.to_path_buf();
        cfg.areas.layer = None;
    }
    if v.layer.is_some() {
        cfg.areas.layer = v.layer.clone();
    }
    let said = match (v.year, &args.config) {
        (Some(y), _) => {
            cfg.source_year = Some(y);
            v.flags[2].to_string()
        }
        (None, Some(c)) if own_file && cfg.source_year.is_some() => {
            format!("source_year in {}", c.display())
        }
        _ => String::new(),
    };
    settle_source_year(&mut cfg, &said, Some(v.flags[2]))
        .map_err(|e| Failure(format!("{} {}", v.flags[0], e.0)))?;
    let said = if said.is_empty() {
        "metadata.year van het bestand".to_string()
    } else {
        said
    };
    if let Some(p) = &args.site.file {
        cfg.sites = Some(LayerSpec::new(p));
    }
    match cfg.sites.as_mut() {
        Some(s) => {
            if args.site.layer.is_some() {
                s.layer = args.site.layer.clone();
            }
            if args.site.crs.is_some() {
                s.crs = args.site.crs.clone();
            }
        }
        None if args.site.layer.is_some() || args.site.crs.is_some() => {
            return Err(Failure(
                "--sites-layer/--sites-crs gegeven zonder --sites BESTAND".into(),
            ))
        }
        None => {}
    }
    Ok((validated(&cfg, args.config.as_deref())?, said))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_boundary_events_are_counted_after_the_first_twenty() {
        let lines: Vec<String> = (0..23).map(|i| format!("WK{i:06} is nieuw")).collect();
        let shown = boundary_summary(&lines);
        assert_eq!(shown.len(), 21);
        assert_eq!(shown[0], "  grens: WK000000 is nieuw");
        assert_eq!(
            shown[20],
            "  grens: en nog 3 wijzigingen; compare.json (boundary_events) en de kolom boundary noemen ze alle"
        );
        assert_eq!(boundary_summary(&lines[..20]).len(), 20);
    }
}
