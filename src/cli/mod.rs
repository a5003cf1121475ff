//! The command line: flags → validated [`Config`] → a command. The only module that prints.

pub mod args;
pub mod commands;

use std::process::ExitCode;

use clap::Parser;

use crate::config::{Config, LevelSpec, ValidConfig};
use crate::io::read::LayerSpec;
use args::{Cli, Command, InputArgs};

/// Exit codes, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Success = 0,
    /// Done, with diagnostics that `--strict` turns into a failure (points outside all areas).
    Diagnostics = 1,
    /// Bad input or configuration: nothing was written.
    BadInput = 2,
}

/// An error that ends the run with a message and exit code 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Parse the command line and run.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyse(a) => commands::analyse::run(*a),
        Command::TestSite(t) => commands::test_site::run(*t),
        Command::Scenario(a) => commands::scenario::run(*a),
        Command::Suggest(a) => commands::suggest::run(*a),
        Command::Allocate(a) => commands::allocate::run(*a),
        Command::Monitor(a) => commands::monitor::run(*a),
        Command::Compare(a) => commands::compare::run(*a),
        Command::Report(a) => commands::report::run(*a),
        Command::Synth(s) => commands::synth::run(s),
        Command::Config => {
            commands::print(&Config::shipped().to_toml());
            Ok(Exit::Success)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "wijkbalans", &mut out);
            commands::print(&String::from_utf8_lossy(&out));
            Ok(Exit::Success)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut out) {
                Ok(()) => {
                    commands::print(&String::from_utf8_lossy(&out));
                    Ok(Exit::Success)
                }
                Err(e) => Err(Failure(format!("cannot render the manual page: {e}"))),
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(Failure(msg)) => {
            commands::eprint(&format!("wijkbalans: error: {msg}"));
            ExitCode::from(Exit::BadInput as u8)
        }
    }
}

/// Build the effective config: the file (or the shipped defaults), then the flags; validated.
///
/// Without `--config` and without `--areas`, the shipped Zwolle data is used whole. With
/// `--areas` but no config, only the layers given on the command line are read: the shipped
/// Zwolle dwellings and sites are never mixed into another study.
pub fn effective_config(a: &InputArgs) -> Result<ValidConfig, Failure> {
    let mut cfg = match (&a.config, &a.areas) {
        (Some(path), _) => Config::from_file(path).map_err(Failure)?,
        (None, None) => Config::shipped(),
        (None, Some(p)) => Config::for_areas(LayerSpec::new(p)),
    };
    if let Some(p) = &a.areas {
        cfg.areas.path = p.clone();
    }
    if a.areas_layer.is_some() {
        cfg.areas.layer = a.areas_layer.clone();
    }
    if a.areas_crs.is_some() {
        cfg.areas.crs = a.areas_crs.clone();
    }
    let layer = |slot: &mut Option<LayerSpec>,
                 path: &Option<std::path::PathBuf>,
                 layer: &Option<String>,
                 crs: &Option<String>,
                 flag: &str|
     -> Result<(), Failure> {
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
                    "{flag}-layer/{flag}-crs given without {flag} FILE"
                )))
            }
            None => {}
        }
        Ok(())
    };
    layer(
        &mut cfg.dwellings,
        &a.dwellings,
        &a.dwellings_layer,
        &a.dwellings_crs,
        "--dwellings",
    )?;
    layer(
        &mut cfg.sites,
        &a.sites,
        &a.sites_layer,
        &a.sites_crs,
        "--sites",
    )?;
    layer(
        &mut cfg.facilities,
        &a.facilities,
        &a.facilities_layer,
        &a.facilities_crs,
        "--facilities",
    )?;
    layer(
        &mut cfg.network,
        &a.network,
        &a.network_layer,
        &a.network_crs,
        "--network",
    )?;
    cfg.levels
        .extend(a.levels.iter().map(|p| LevelSpec { path: p.clone() }));
    if let Some(c) = &a.crs {
        cfg.crs = c.clone();
    }
    if a.year.is_some() {
        cfg.source_year = a.year;
    }
    if a.repair_geometry {
        cfg.repair_geometry = true;
    }
    if let Some(s) = a.seed {
        cfg.seed = s;
    }
    if let Some(m) = &a.metrics {
        cfg.spreading.metrics = m.clone();
    }
    if let Some(p) = a.permutations {
        cfg.spreading.permutations = p;
    }
    if let Some(al) = a.alpha {
        cfg.spreading.alpha = al;
    }
    if let Some(w) = a.weights {
        cfg.spreading.weights = w;
    }
    cfg.validate().map_err(|e| match &a.config {
        Some(path) => Failure(format!("{}: {e}; fix the config file", path.display())),
        None => Failure(format!("configuration: {e}")),
    })
}

/// Set the size of rayon's global pool (once per process).
pub fn set_threads(threads: Option<usize>) -> Result<(), Failure> {
    if let Some(n) = threads {
        if n == 0 {
            return Err(Failure("--threads must be at least 1".into()));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| Failure(format!("cannot start {n} threads: {e}")))?;
    }
    Ok(())
}
