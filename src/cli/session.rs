//! The prelude every command that analyses a study shares: the worker threads, the validated
//! configuration (the file or the shipped defaults, then the flags), reading the study and
//! analysing it with progress on the terminal; and the checks of flags against the
//! configuration.

use std::path::Path;

use crate::cli::args::{InputArgs, LayerFlags, StudyRunArgs, ThreadsArgs};
use crate::cli::output::{OutputOptions, OutputTarget};
use crate::cli::terminal::{stage, Bar};
use crate::cli::Failure;
use crate::config::{Config, LayerSpec, LevelSpec, SpreadingConfig, ValidConfig};
use crate::io::outset::Named;
use crate::model::{unknown_group, TargetGroup};
use crate::pipeline::{self, Loaded, Outcome};
use crate::scenario::Scenario;

/// A command's run on one study: the threads are set and the configuration is validated.
#[derive(Debug)]
pub struct Session {
    /// The effective configuration, validated.
    pub config: ValidConfig,
    /// Whether the analysis shows its progress (on a terminal only).
    progress: bool,
    /// The configuration file, when one was given.
    config_file: Option<std::path::PathBuf>,
    /// `--unmatched FILE`: continue without unmatched address rows and list them there.
    unmatched: Option<std::path::PathBuf>,
}

impl Session {
    /// Set the worker threads and build the validated configuration from the input flags.
    /// With `progress`, [`Session::analyse`] shows a spinner and a bar on a terminal.
    pub fn start(threads: ThreadsArgs, input: &InputArgs, progress: bool) -> Result<Self, Failure> {
        set_threads(threads)?;
        Ok(Session {
            config: effective_config(input)?,
            progress,
            config_file: input.config.clone(),
            unmatched: input.unmatched.clone(),
        })
    }

    /// The prelude of a command that writes an output directory ([`StudyRunArgs`]): the
    /// session ([`Session::start`], with progress unless `--quiet`), the claimed output folder
    /// ([`Session::claim`], `extra` being the command's own input files) and the checked output
    /// options, in that order, so the first error is always the same one.
    pub fn start_run(
        args: &StudyRunArgs,
        extra: &[Named],
    ) -> Result<(Self, OutputTarget, OutputOptions), Failure> {
        let session = Session::start(args.run.threads, &args.input, !args.run.quiet)?;
        let target = session.claim(&args.run.out, extra)?;
        let options = OutputOptions::from_args(&args.output)?;
        Ok((session, target, options))
    }

    /// Every file the run reads: the configuration file and the layers of the configuration,
    /// followed by `extra` (a scenario or opgave file).
    pub fn inputs(&self, extra: &[Named]) -> Vec<Named> {
        let mut out: Vec<Named> = self
            .config_file
            .iter()
            .map(|p| Named::new(p, "--config"))
            .collect();
        out.extend(config_inputs(&self.config));
        out.extend(extra.iter().cloned());
        out
    }

    /// Claim the output folder `out` ([`OutputTarget::claim`]) against every input
    /// ([`Session::inputs`]).
    pub fn claim(&self, out: &Path, extra: &[Named]) -> Result<OutputTarget, Failure> {
        OutputTarget::claim(out, self.inputs(extra))?.with_unmatched(self.unmatched.as_deref())
    }

    /// Refuse `--unmatched` in a command that writes no output folder (`test-site`, `serve`):
    /// the rows would be left out with nowhere to list them.
    pub fn refuse_unmatched(&self, command: &str) -> Result<(), Failure> {
        match &self.unmatched {
            None => Ok(()),
            Some(_) => Err(Failure(format!(
                "--unmatched: {command} schrijft geen uitvoermap om weggelaten adresregels naast \
                 te zetten; laat --unmatched weg (een bestand met niet gevonden adresregels stopt \
                 dan met de lijst), of gebruik analyse"
            ))),
        }
    }

    /// Read every input of the configuration.
    /// A level mapping that leaves areas out or names codes no area has is a warning.
    pub fn load(&self) -> Result<Loaded, Failure> {
        self.load_checked(false)
    }

    /// [`Session::load`], and with `strict` (`analyse --strict`) a level mapping that leaves
    /// areas out or names codes no area has is an error (exit code 2, nothing written) with the
    /// warning's text: a script that asks for strictness gets no layer of a partial level.
    pub fn load_checked(&self, strict: bool) -> Result<Loaded, Failure> {
        self.load_as(strict, false)
    }

    /// [`Session::load`], keeping the BAG that placed the address rows
    /// ([`Loaded::bag_index`]) for addresses looked up after the load.
    pub fn load_keeping_bag(&self) -> Result<Loaded, Failure> {
        self.load_as(false, true)
    }

    fn load_as(&self, strict: bool, keep_bag: bool) -> Result<Loaded, Failure> {
        let options = pipeline::LoadOptions {
            skip_unmatched: self.unmatched.is_some(),
            keep_bag,
            ..Default::default()
        };
        let loaded = pipeline::load_with(&self.config, options)?;
        if strict && !loaded.level_warnings.is_empty() {
            return Err(Failure(format!(
                "{} (--strict: een onvolledige indeling is een fout; maak de indeling volledig of laat --strict weg)",
                loaded.level_warnings.join("; ")
            )));
        }
        for w in &loaded.level_warnings {
            super::terminal::eprint(&format!("wijkbalans: waarschuwing: {w}"));
        }
        Ok(loaded)
    }

    /// Analyse the study: with progress, a spinner and a bar for the permutation tests (see
    /// [`Bar`]), cleared when done; nothing is drawn without, or when standard error is not a
    /// terminal.
    ///
    /// Points outside every area are warned of ([`super::terminal::warn_outside`]), as
    /// `analyse` does.
    pub fn analyse(&self, loaded: &Loaded) -> Outcome {
        let outcome = if self.progress {
            let pb = stage(false, "berekenen…");
            let outcome = pipeline::analyse_with_progress(loaded, &Bar::new(&pb));
            pb.finish_and_clear();
            outcome
        } else {
            pipeline::analyse(loaded)
        };
        super::terminal::warn_outside(
            &outcome.diagnostics,
            "",
            super::terminal::OUTSIDE_LISTED_BY_ANALYSE,
        );
        outcome
    }

    /// The what-if engine on the analysed study, with the configured rules and occupancy.
    pub fn scenario<'a>(&self, loaded: &'a Loaded, outcome: &'a Outcome) -> Scenario<'a> {
        Scenario::new(
            loaded,
            outcome,
            self.config.rules.clone(),
            self.config.occupancy_per_unit,
        )
    }

    /// The id of the configured target group `given` names (in any case), or an error that
    /// lists the configured groups.
    pub fn target_group(&self, given: &str) -> Result<String, Failure> {
        let groups = &self.config.target_group;
        TargetGroup::id_in(groups, given)
            .ok_or_else(|| Failure(unknown_group(given, &TargetGroup::ids(groups))))
    }
}

/// Set the size of rayon's global pool (once per process). More threads than the machine
/// has cores are capped to the cores, with a note on standard error: `--threads 10000` started
/// 10,000 OS threads that only slowed the run down (results are the same for any number).
pub fn set_threads(threads: ThreadsArgs) -> Result<(), Failure> {
    if let Some(n) = threads.threads {
        if n == 0 {
            return Err(Failure("--threads moet minstens 1 zijn".into()));
        }
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let n = capped_threads(n, cores);
        if n.1 {
            crate::cli::terminal::eprint(&format!(
                "wijkbalans: let op: --threads {} is meer dan de {cores} kernen van deze computer; er worden er {cores} gebruikt",
                threads.threads.unwrap_or(n.0)
            ));
        }
        let n = n.0;
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| Failure(format!("kan geen {n} threads starten ({e})")))?;
    }
    Ok(())
}

/// The layer files of a configuration, each with its flag.
pub fn config_inputs(cfg: &Config) -> Vec<Named> {
    let mut out = vec![Named::new(&cfg.areas.path, "--areas")];
    for (spec, flag) in [
        (&cfg.dwellings, "--dwellings"),
        (&cfg.sites, "--sites"),
        (&cfg.facilities, "--facilities"),
        (&cfg.network, "--network"),
        (&cfg.bag, "--bag"),
    ] {
        if let Some(s) = spec {
            out.push(Named::new(&s.path, flag));
        }
    }
    out.extend(cfg.levels.iter().map(|l| Named::new(&l.path, "--level")));
    out
}

/// The threads to start for `asked` on a machine of `cores` cores, and whether that is fewer
/// than asked.
fn capped_threads(asked: usize, cores: usize) -> (usize, bool) {
    if asked > cores {
        (cores, true)
    } else {
        (asked, false)
    }
}

/// Whether two paths name one file: the same text, or the same file once made absolute
/// (`data/x.geojson`, `./data/x.geojson` and its absolute path are one). Used where a
/// configuration's `source_year` applies only to its own areas file.
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The BLAKE3 digest of the areas file when two studies read the same areas: the same layer
/// of files with the same digest (two layers of one GeoPackage are two vintages); `None`
/// otherwise. Waits for the digests.
pub fn same_areas(a: &Loaded, b: &Loaded) -> Option<String> {
    let areas = |l: &Loaded| {
        l.inputs
            .iter()
            .find(|i| i.role == crate::config::Role::Areas)
            .and_then(|i| Some((i.blake3.wait().ok()?.to_string(), i.layer.clone())))
    };
    match (areas(a), areas(b)) {
        (Some(x), Some(y)) if x == y => Some(x.0),
        _ => None,
    }
}

/// A config of one areas layer (`synth`), validated.
pub fn areas_config(path: &std::path::Path, layer: Option<String>) -> Result<ValidConfig, Failure> {
    let mut spec = LayerSpec::new(path);
    spec.layer = layer;
    let mut cfg = Config::for_areas(spec);
    settle_source_year(&mut cfg, "", None)?;
    Ok(cfg.validate()?)
}

/// The year of the area statistics, as the areas file declares it
/// ([`crate::io::geojson_check::declared_year`]: `metadata.year` of a GeoJSON file): taken
/// when the configuration gives none; a configured year that differs is refused, since every
/// indicator would carry the wrong year. `said` names where the configured year comes from
/// ("--year", "source_year in studie.toml").
///
/// Example: `--areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson` gives the year 2024, and
/// with `--year 2022` it is refused.
pub fn settle_source_year(
    cfg: &mut Config,
    said: &str,
    year_flag: Option<&str>,
) -> Result<(), Failure> {
    let path = &cfg.areas.path;
    let declared = crate::io::geojson_check::declared_year(path).map_err(|why| {
        let instead = year_flag
            .map(|f| format!(" en geef het jaar met {f}"))
            .unwrap_or_default();
        Failure(format!(
            "{}: {why}; verbeter metadata.year in het bestand, of haal het weg{instead}",
            path.display()
        ))
    })?;
    match (declared, cfg.source_year) {
        (Some(d), None) => cfg.source_year = Some(d),
        (Some(d), Some(y)) if d != y => {
            return Err(Failure(format!(
                "{}: het bestand noemt zelf {d} als jaar van de cijfers (metadata.year), maar {said} zegt {y}; \
                 geef het jaar van dit bestand, of de gebieden van {y}",
                path.display()
            )))
        }
        _ => {}
    }
    Ok(())
}

/// Apply an optional layer's flags to its slot in the config: `--<role> FILE` replaces the
/// layer, `--<role>-layer` and `--<role>-crs` change the one there is (an error without one).
fn override_layer<F: LayerFlags>(slot: &mut Option<LayerSpec>, flags: &F) -> Result<(), Failure> {
    let (path, layer, crs) = flags.given();
    let flag = F::FLAG;
    if let Some(p) = path {
        *slot = Some(LayerSpec::new(p));
    }
    match slot {
        Some(s) => {
            if layer.is_some() {
                s.layer = layer.clone();
            }
            if crs.is_some() {
                s.crs = crs.clone();
            }
        }
        None if layer.is_some() || crs.is_some() => {
            return Err(Failure(format!(
                "{flag}-layer/{flag}-crs gegeven zonder {flag} BESTAND; geef ook {flag} BESTAND of laat deze opties weg"
            )))
        }
        None => {}
    }
    Ok(())
}

/// Build the effective config: the file (or the shipped defaults), then the flags; validated.
///
/// Without `--config` and without `--areas`, the shipped Zwolle data is used whole. With
/// `--areas` but no config, only the layers given on the command line are read: the shipped
/// Zwolle dwellings and sites are never mixed into another study.
pub fn effective_config(a: &InputArgs) -> Result<ValidConfig, Failure> {
    let mut cfg = match (&a.config, &a.areas.file) {
        (Some(path), _) => Config::from_file(path).map_err(Failure)?,
        (None, None) => Config::shipped(),
        (None, Some(p)) => Config::for_areas(LayerSpec::new(p)),
    };
    // The config's source_year describes its own areas file: a file given with --areas instead
    // that declares its year keeps that year (CBS 2024 with the starter config of 2022 is 2024,
    // not a conflict); one that declares none keeps the configured year (`fallback`, put back
    // after the file's year is settled).
    let replaced = a
        .areas
        .file
        .as_ref()
        .is_some_and(|p| !same_file(p, &cfg.areas.path));
    let fallback = if replaced && a.year.is_none() {
        cfg.source_year.take()
    } else {
        None
    };
    if let Some(p) = &a.areas.file {
        cfg.areas.path = p.clone();
    }
    if a.areas.layer.is_some() {
        cfg.areas.layer = a.areas.layer.clone();
    }
    if a.areas.crs.is_some() {
        cfg.areas.crs = a.areas.crs.clone();
    }
    override_layer(&mut cfg.dwellings, &a.dwellings)?;
    override_layer(&mut cfg.sites, &a.site)?;
    override_layer(&mut cfg.facilities, &a.facilities)?;
    override_layer(&mut cfg.network, &a.network)?;
    if let Some(p) = &a.bag {
        cfg.bag = Some(LayerSpec::new(p));
    }
    if a.dwellings_from_bag {
        if a.dwellings.file.is_some() {
            return Err(Failure(
                "--dwellings-from-bag en --dwellings geven allebei de woningen; laat een van de twee weg"
                    .into(),
            ));
        }
        // The flag replaces a dwellings layer of the config file.
        cfg.dwellings = None;
        cfg.dwellings_from_bag = true;
    }
    cfg.levels
        .extend(a.levels.iter().map(|p| LevelSpec { path: p.clone() }));
    if let Some(c) = &a.crs {
        cfg.crs = c.clone();
    }
    if a.year.is_some() {
        cfg.source_year = a.year;
    }
    let said = match (a.year, &a.config) {
        (Some(_), _) => "--year".to_string(),
        (None, Some(c)) => format!("source_year in {}", c.display()),
        (None, None) => "het jaar van de meegeleverde gegevens".to_string(),
    };
    settle_source_year(&mut cfg, &said, Some("--year"))?;
    cfg.source_year = cfg.source_year.or(fallback);
    if a.repair_geometry {
        cfg.repair_geometry = true;
    }
    if let Some(s) = a.seed {
        cfg.seed = s;
    }
    // A flag's value is checked here, under the flag's name: checked with the configuration,
    // its refusal would send the planner to the configuration file (the same checks).
    let spreading = &mut cfg.spreading;
    if let Some(m) = &a.metrics {
        m.set().map_err(|e| Failure(format!("--metrics: {e}")))?;
        spreading.metrics = m.clone();
    }
    if let Some(p) = a.permutations {
        SpreadingConfig::check_permutations(p)
            .map_err(|m| Failure(format!("--permutations {m}")))?;
        spreading.permutations = p;
    }
    if let Some(al) = a.alpha {
        SpreadingConfig::check_alpha(al).map_err(|m| Failure(format!("--alpha {m}")))?;
        spreading.alpha = al;
    }
    if let Some(w) = a.weights {
        spreading.weights = w;
    }
    validated(&cfg, a.config.as_deref())
}

/// [`Config::validate`], its refusal framed for the terminal: with the configuration file
/// (`config_file`, when one was given) and what to do, else as the configuration of the flags.
pub fn validated(
    cfg: &Config,
    config_file: Option<&std::path::Path>,
) -> Result<ValidConfig, Failure> {
    cfg.validate().map_err(|e| match config_file {
        Some(path) => Failure(format!(
            "{}: {e}; pas het configuratiebestand aan",
            path.display()
        )),
        None => Failure(format!("configuratie: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::{Cli, Command};
    use clap::Parser;

    fn input(flags: &[&str]) -> InputArgs {
        let mut all = vec!["wijkbalans", "analyse"];
        all.extend_from_slice(flags);
        match Cli::try_parse_from(all).unwrap().command {
            Command::Analyse(a) => a.study.input,
            _ => unreachable!(),
        }
    }

    #[test]
    fn without_flags_the_shipped_data_is_used_with_the_defaults() {
        let cfg = effective_config(&input(&[])).unwrap();
        assert_eq!(*cfg, Config::shipped());
        let spread = cfg.spread_options();
        assert_eq!(spread.seed, crate::spread::DEFAULT_SEED);
        assert_eq!(spread, &crate::spread::SpreadOptions::default());
    }

    #[test]
    fn flags_override_the_config_in_the_engine_types() {
        let cfg = effective_config(&input(&[
            "--areas",
            "a.gpkg",
            "--areas-layer",
            "wijken",
            "--sites-crs",
            "EPSG:4326",
            "--sites",
            "s.csv",
            "--seed",
            "7",
            "--weights",
            "rook",
            "--metrics",
            "moran, lisa",
            "--permutations",
            "99",
        ]))
        .unwrap();
        assert_eq!(cfg.areas.layer.as_deref(), Some("wijken"));
        assert!(
            cfg.dwellings.is_none(),
            "no shipped layer joins another study"
        );
        let sites = cfg.sites.as_ref().unwrap();
        assert_eq!(sites.crs.as_deref(), Some("EPSG:4326"));
        assert_eq!(cfg.spreading.metrics.as_str(), "moran, lisa");
        let spread = cfg.spread_options();
        assert_eq!(spread.contiguity, crate::spread::Contiguity::Rook);
        assert_eq!((spread.seed, spread.permutations), (7, 99));
        assert_eq!(
            spread.metrics.families().collect::<Vec<_>>(),
            [
                crate::spread::MetricFamily::Moran,
                crate::spread::MetricFamily::Lisa
            ]
        );
    }

    #[test]
    fn threads_are_capped_to_the_cores() {
        assert_eq!(capped_threads(10_000, 2), (2, true));
        assert_eq!(capped_threads(2, 2), (2, false));
        assert_eq!(capped_threads(1, 8), (1, false));
    }

    #[test]
    fn a_layer_option_without_its_layer_is_an_error() {
        let e =
            effective_config(&input(&["--areas", "a.gpkg", "--dwellings-layer", "x"])).unwrap_err();
        assert_eq!(
            e.0,
            "--dwellings-layer/--dwellings-crs gegeven zonder --dwellings BESTAND; geef ook \
             --dwellings BESTAND of laat deze opties weg"
        );
    }

    #[test]
    fn the_validation_error_names_the_flags() {
        let e = effective_config(&input(&["--metrics", "gini"])).unwrap_err();
        assert!(
            e.0.starts_with("--metrics: onbekende familie van spreidingsmaten 'gini'"),
            "{}",
            e.0
        );
        let e = effective_config(&input(&["--alpha", "1.5"])).unwrap_err();
        assert_eq!(
            e.0,
            "--alpha moet tussen 0 en 1 liggen (0 en 1 zelf niet), niet 1.5"
        );
        let e = effective_config(&input(&["--permutations", "100000000"])).unwrap_err();
        assert_eq!(
            e.0,
            "--permutations is hoogstens 99.999 (p op 0,00001 nauwkeurig), niet 100000000"
        );
        // With a configuration file, a flag's value is still the flag's: the message does not
        // send the planner to the file.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "[spreading]\nalpha = 0.1\n").unwrap();
        let config = file.to_str().unwrap();
        let areas = crate::config::SHIPPED_AREAS;
        let e = effective_config(&input(&[
            "--config", config, "--areas", areas, "--alpha", "3",
        ]))
        .unwrap_err();
        assert!(e.0.starts_with("--alpha moet tussen 0 en 1"), "{}", e.0);
    }

    #[test]
    fn the_target_group_check_ignores_case_and_lists_the_groups() {
        let session = Session {
            config: Config::shipped().validate().unwrap(),
            progress: false,
            config_file: None,
            unmatched: None,
        };
        assert_eq!(
            session.target_group("Beschermd_Wonen").unwrap(),
            "beschermd_wonen"
        );
        let e = session.target_group("Senioren").unwrap_err();
        assert!(
            e.0.starts_with("onbekende doelgroep 'Senioren'; kies een van: "),
            "{}",
            e.0
        );
        assert!(e.0.contains("beschermd_wonen"), "{}", e.0);
    }
}
