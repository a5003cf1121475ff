//! Command-line flags (clap derive; the doc comments are the `--help` text).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Draagkracht, draaglast and the spreading of care housing per wijk.
///
/// Loads neighbourhood polygons with CBS statistics, dwellings and care-housing sites; computes
/// draagkracht/draaglast indicators per area; writes GeoJSON/CSV layers and a summary.
#[derive(Debug, Parser)]
#[command(name = "wijkbalans", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute draagkracht, draaglast, saldo and signal per area and write the layers.
    ///
    /// With no arguments it runs on the shipped Zwolle data (real CBS wijken 2022, synthetic
    /// dwellings, illustrative care sites) and writes ./out/.
    Analyse(Box<AnalyseArgs>),
    /// Generate the synthetic dwellings and illustrative sites (seeded, labelled synthetic).
    Synth(SynthArgs),
    /// Print the default configuration as TOML (a starting point for --config).
    Config,
}

/// Inputs shared by every command that analyses a study.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Configuration file (TOML). Flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Areas: polygons with CBS statistics (GeoPackage, GeoJSON, Shapefile, FlatGeobuf).
    #[arg(long, value_name = "FILE")]
    pub areas: Option<PathBuf>,
    /// Layer of the areas file (e.g. `wijken` in a CBS/PDOK wijkenbuurten GeoPackage).
    #[arg(long, value_name = "NAME")]
    pub areas_layer: Option<String>,
    /// CRS to assume when the areas file declares none.
    #[arg(long, value_name = "CRS")]
    pub areas_crs: Option<String>,
    /// Dwellings: address points or building polygons (centroids are used).
    #[arg(long, value_name = "FILE")]
    pub dwellings: Option<PathBuf>,
    /// Layer of the dwellings file.
    #[arg(long, value_name = "NAME")]
    pub dwellings_layer: Option<String>,
    /// CRS to assume when the dwellings file declares none (e.g. a CSV with x/y).
    #[arg(long, value_name = "CRS")]
    pub dwellings_crs: Option<String>,
    /// Care-housing sites: points with units, target_group, status, name, regular_units.
    #[arg(long, value_name = "FILE")]
    pub sites: Option<PathBuf>,
    /// Layer of the sites file.
    #[arg(long, value_name = "NAME")]
    pub sites_layer: Option<String>,
    /// CRS to assume when the sites file declares none (e.g. a CSV with x/y).
    #[arg(long, value_name = "CRS")]
    pub sites_crs: Option<String>,
    /// Facilities: points with a `type` (supermarkt, huisarts, …), counted per area.
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// Layer of the facilities file.
    #[arg(long, value_name = "NAME")]
    pub facilities_layer: Option<String>,
    /// CRS to assume when the facilities file declares none.
    #[arg(long, value_name = "CRS")]
    pub facilities_crs: Option<String>,
    /// Extra area level from a CSV mapping (header e.g. `wijkcode,gebied`); repeatable.
    #[arg(long = "level", value_name = "CSV")]
    pub levels: Vec<PathBuf>,
    /// Metric CRS to compute in.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// Year of the area statistics, written next to every indicator for traceability.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Repair invalid polygons with GEOS MakeValid (listed in the diagnostics) instead of
    /// rejecting them.
    #[arg(long)]
    pub repair_geometry: bool,
    /// Seed for everything random.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Spreading metric families: all, or a comma list of fair_share, segregation, moran, lisa,
    /// getis_ord, nearest_neighbour.
    #[arg(long, value_name = "LIST")]
    pub metrics: Option<String>,
    /// Permutations of every pseudo p-value (0 = none).
    #[arg(long, value_name = "N")]
    pub permutations: Option<usize>,
    /// Significance level of the LISA labels.
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// Contiguity of the spatial weights: queen or rook.
    #[arg(long, value_name = "KIND", value_parser = ["queen", "rook"])]
    pub weights: Option<String>,
}

/// `wijkbalans analyse`.
#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exit with code 1 when points fall outside every area (default: a warning, exit 0).
    #[arg(long)]
    pub strict: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wijkbalans synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Areas with a dwellings count (and ownership share) per area.
    #[arg(long, value_name = "FILE", default_value = crate::config::SHIPPED_AREAS)]
    pub areas: PathBuf,
    /// Layer of the areas file.
    #[arg(long, value_name = "NAME")]
    pub areas_layer: Option<String>,
    /// Seed.
    #[arg(long, value_name = "N", default_value_t = crate::config::DEFAULT_SEED)]
    pub seed: u64,
    /// Where to write the synthetic dwellings (GeoJSON, RD New).
    #[arg(long, value_name = "FILE")]
    pub dwellings_out: Option<PathBuf>,
    /// Where to write the illustrative Zwolle sites (GeoJSON, RD New).
    #[arg(long, value_name = "FILE")]
    pub sites_out: Option<PathBuf>,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn analyse_takes_no_required_arguments() {
        let cli = Cli::try_parse_from(["wijkbalans", "analyse"]).unwrap();
        let Command::Analyse(a) = cli.command else {
            panic!("not analyse")
        };
        assert_eq!(a.out, PathBuf::from("out"));
        assert!(a.input.areas.is_none());
    }

    #[test]
    fn levels_repeat() {
        let cli = Cli::try_parse_from([
            "wijkbalans",
            "analyse",
            "--level",
            "a.csv",
            "--level",
            "b.csv",
        ])
        .unwrap();
        let Command::Analyse(a) = cli.command else {
            panic!("not analyse")
        };
        assert_eq!(a.input.levels.len(), 2);
    }
}
