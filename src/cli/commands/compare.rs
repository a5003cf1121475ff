//! `wijkbalans compare --before A --after B`: the same analysis on two vintages, and what changed.

use serde_json::json;

use crate::cli::args::CompareArgs;
use crate::cli::output::{names, OutputOptions, OutputTarget, Outputs, Style, RUN_JSON};
use crate::cli::session::{areas_config, config_inputs, set_threads};
use crate::cli::terminal::print_summary;
use crate::cli::{Exit, Failure};
use crate::config::{Config, LayerSpec, Role, ValidConfig};
use crate::io::outset::Named;
use crate::io::read::Source;
use crate::io::styles;
use crate::io::write;
use crate::monitor::{compare, CompareOptions};
use crate::pipeline::{self, Loaded, Outcome};
use crate::report::{
    self,
    compare::{boundary_lines, compare_json, compare_layer, same_density, vintage, Side},
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
    // Each vintage's messages name its own flags (neither has a CRS flag: a file without a CRS
    // keeps the configuration's [areas] crs).
    let load = |path: &std::path::PathBuf,
                layer: &Option<String>,
                areas: Source|
     -> Result<(Loaded, Outcome), Failure> {
        let options = pipeline::LoadOptions {
            areas,
            ..Default::default()
        };
        let loaded = pipeline::load_with(&vintage_config(&args, path, layer)?, options)?;
        let out = pipeline::analyse(&loaded);
        Ok((loaded, out))
    };
    let (lb, ob) = load(
        &args.before,
        &args.before_layer,
        Source::flags(Role::Areas, "--before", "--before-layer", None),
    )?;
    let (la, oa) = load(
        &args.after,
        &args.after_layer,
        Source::flags(Role::Areas, "--after", "--after-layer", None),
    )?;
    let (mut vb, mut va) = (vintage(&lb, &ob), vintage(&la, &oa));
    let density = same_density(&mut vb, &mut va);
    let options = CompareOptions::default();
    let cmp = compare(&vb.areas, &va.areas, &options).map_err(|e| {
        Failure(format!(
            "{} en {}: {e}; vergelijk twee jaargangen met dezelfde gebiedscodes",
            args.before.display(),
            args.after.display()
        ))
    })?;
    let (table, geoms) = compare_layer(&cmp, &vb, &va);
    lb.wait_for_digests()?;
    la.wait_for_digests()?;
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
        let body: Vec<String> = density
            .map(|d| format!("  dichtheid: {d}"))
            .into_iter()
            .chain(
                boundary_lines(&cmp, &vb, &va)
                    .iter()
                    .map(|l| format!("  grens: {l}")),
            )
            .collect();
        print_summary(
            &format!(
                "{} gebieden vergeleken, {} met een gewijzigde grens, {} alleen in het eerdere bestand, {} alleen in het latere",
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

/// The configuration of one vintage: `--config` (or the defaults) with its areas layer
/// replaced by `path` (and `layer`), and `--sites` over the config's sites, so both vintages
/// are analysed as `analyse` analyses them. The config's `source_year` is kept only for the
/// vintage that is the config's own areas file (it describes that file, not the other year).
fn vintage_config(
    args: &CompareArgs,
    path: &std::path::Path,
    layer: &Option<String>,
) -> Result<ValidConfig, Failure> {
    if args.config.is_none() && args.site.file.is_none() {
        if args.site.layer.is_some() || args.site.crs.is_some() {
            return Err(Failure(
                "--sites-layer/--sites-crs gegeven zonder --sites BESTAND".into(),
            ));
        }
        return areas_config(path, layer.clone());
    }
    let mut cfg = match &args.config {
        Some(c) => Config::from_file(c).map_err(Failure)?,
        None => Config::for_areas(LayerSpec::new(path)),
    };
    let said = match &args.config {
        Some(c) if cfg.areas.path == path => format!("source_year in {}", c.display()),
        _ => String::new(),
    };
    if cfg.areas.path != path {
        cfg.source_year = None;
        cfg.areas.path = path.to_path_buf();
        cfg.areas.layer = None;
    }
    if layer.is_some() {
        cfg.areas.layer = layer.clone();
    }
    crate::cli::session::settle_source_year(&mut cfg, &said)?;
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
    crate::cli::session::validated(&cfg, args.config.as_deref())
}
