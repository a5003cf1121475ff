//! Command-line flags (clap derive; the doc comments are the `--help` text).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::MetricList;
use crate::spread::Contiguity;

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
    /// Test a proposed site: before/after per area and for the whole study, and a verdict with
    /// reasons (past / past onder voorwaarden / past niet).
    TestSite(Box<TestSiteArgs>),
    /// Apply a scenario file (proposals and removals, in order) and write before/after layers,
    /// the verdict of every proposal and a readable summary.
    Scenario(Box<ScenarioArgs>),
    /// Search for sites: test every candidate location (a file, or a grid over the residential
    /// part of the study area) and rank them; writes the top K and a suitability layer.
    Suggest(Box<SuggestArgs>),
    /// Distribute N places of a group over the areas as evenly as the objective says, within
    /// per-area limits and without turning any area `rood`; explains the binding constraints.
    Allocate(Box<AllocateArgs>),
    /// Opgave monitor: targets per target group and year against realised and planned places,
    /// and each area's fair share of the opgave by population and naar vermogen.
    Monitor(Box<MonitorArgs>),
    /// Compare two vintages of the same areas (e.g. CBS 2022 and 2024): the change of every
    /// indicator present in both, signal moves, and areas whose code or boundary changed.
    Compare(Box<CompareArgs>),
    /// Write the per-wijk balance report: a self-contained HTML file (map, typology, spreading,
    /// one section per wijk), a Markdown summary and the table for Dutch Excel.
    Report(Box<ReportArgs>),
    /// Generate the synthetic dwellings and illustrative sites (seeded, labelled synthetic).
    Synth(SynthArgs),
    /// Print the default configuration as TOML (a starting point for --config).
    Config,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; view with `man -l -`).
    Man,
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
    /// Walking network: lines (streets, paths; e.g. an OSM or NWB extract), noded at
    /// junctions. Facility distances are then measured over de weg instead of hemelsbreed.
    #[arg(long, value_name = "FILE")]
    pub network: Option<PathBuf>,
    /// Layer of the network file.
    #[arg(long, value_name = "NAME")]
    pub network_layer: Option<String>,
    /// CRS to assume when the network file declares none.
    #[arg(long, value_name = "CRS")]
    pub network_crs: Option<String>,
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
    pub metrics: Option<MetricList>,
    /// Permutations of every pseudo p-value (0 = none).
    #[arg(long, value_name = "N")]
    pub permutations: Option<usize>,
    /// Significance level of the LISA labels.
    #[arg(long, value_name = "ALPHA")]
    pub alpha: Option<f64>,
    /// Contiguity of the spatial weights: queen or rook.
    #[arg(long, value_name = "KIND", value_enum)]
    pub weights: Option<Contiguity>,
}

/// `wijkbalans analyse`.
#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Outputs.
    #[command(flatten)]
    pub output: crate::cli::commands::output::OutputArgs,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exit with code 1 when points fall outside every area or broken dwelling features were
    /// left out (default: a warning, exit 0).
    #[arg(long)]
    pub strict: bool,
    /// Write the wall-clock seconds of each stage (read, assign, indicators, spreading, write)
    /// to this JSON file, for benchmarks. Kept out of the outputs, which never depend on timing.
    #[arg(long, value_name = "FILE")]
    pub timings: Option<PathBuf>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wijkbalans test-site`.
#[derive(Debug, Args)]
pub struct TestSiteArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Location of the proposed site, `X,Y` (RD metres by default; lon,lat with
    /// `--at-crs EPSG:4326`).
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub at: String,
    /// CRS of `--at` (default: the compute CRS, EPSG:28992).
    #[arg(long, value_name = "CRS")]
    pub at_crs: Option<String>,
    /// Care units (places or homes) for the target group.
    #[arg(long, value_name = "N")]
    pub units: u64,
    /// Target group id (see `wijkbalans config` for the configured groups).
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// Regular homes in the same project (no care need), reported only.
    #[arg(long, value_name = "M", default_value_t = 0)]
    pub regular_units: u64,
    /// Name of the proposal in the output.
    #[arg(long, value_name = "NAME", default_value = "voorstel")]
    pub name: String,
    /// Print the result as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// `wijkbalans scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Outputs.
    #[command(flatten)]
    pub output: crate::cli::commands::output::OutputArgs,
    /// The scenario file (TOML; see README, "Scenarios").
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wijkbalans suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Outputs.
    #[command(flatten)]
    pub output: crate::cli::commands::output::OutputArgs,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Care units (places or homes) to place.
    #[arg(long, value_name = "N")]
    pub units: u64,
    /// Target group id.
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// Candidate locations: points, or parcels/buildings (centroids are used).
    #[arg(long, value_name = "FILE", conflicts_with = "grid")]
    pub candidates: Option<PathBuf>,
    /// Layer of the candidates file.
    #[arg(long, value_name = "NAME")]
    pub candidates_layer: Option<String>,
    /// CRS to assume when the candidates file declares none.
    #[arg(long, value_name = "CRS")]
    pub candidates_crs: Option<String>,
    /// Grid cell size in metres: the candidates are the centres of cells with dwellings (or,
    /// without a dwellings layer, cells in populated areas). Default 250 without --candidates.
    #[arg(long, value_name = "METRES")]
    pub grid: Option<f64>,
    /// How many of the best candidates to write to suggestions.geojson.
    #[arg(long, value_name = "K", default_value_t = 10)]
    pub top: usize,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wijkbalans allocate`.
#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// Outputs.
    #[command(flatten)]
    pub output: crate::cli::commands::output::OutputArgs,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Number of places to distribute.
    #[arg(long, value_name = "N")]
    pub places: u64,
    /// Target group id.
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// At most this many new places per area.
    #[arg(long, value_name = "K")]
    pub per_area_max: Option<u64>,
    /// What to balance: fair_share (minimise the share of care units that would have to move)
    /// or min_max_rate (minimise the highest care units per 1,000 inhabitants).
    #[arg(long, value_name = "OBJECTIVE", default_value = "fair_share", value_parser = ["fair_share", "min_max_rate"])]
    pub objective: String,
    /// Allow places in areas that are or would turn `rood` (default: they get none).
    #[arg(long)]
    pub allow_rood: bool,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wijkbalans monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The opgave file (TOML; see `data/opgave_zwolle_illustratief.toml`).
    #[arg(long, value_name = "FILE")]
    pub opgave: PathBuf,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Outputs.
    #[command(flatten)]
    pub output: crate::cli::commands::output::OutputArgs,
    /// How the opgave is shared naar vermogen.
    #[command(flatten)]
    pub share: ShareArgs,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The fair share of an opgave naar vermogen (shared by `monitor` and `report --opgave`).
#[derive(Debug, Clone, Args)]
pub struct ShareArgs {
    /// β of the capacity weighting: weight = inhabitants × max(0, 1 + β × saldo).
    #[arg(long, value_name = "BETA", default_value_t = 0.5)]
    pub beta: f64,
    /// Give areas in `rood` a share naar vermogen too (default: none).
    #[arg(long)]
    pub allow_rood: bool,
}

/// `wijkbalans compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The earlier vintage (areas layer).
    #[arg(long, value_name = "FILE")]
    pub before: PathBuf,
    /// Layer of the earlier file.
    #[arg(long, value_name = "NAME")]
    pub before_layer: Option<String>,
    /// The later vintage (areas layer).
    #[arg(long, value_name = "FILE")]
    pub after: PathBuf,
    /// Layer of the later file.
    #[arg(long, value_name = "NAME")]
    pub after_layer: Option<String>,
    /// Outputs.
    #[command(flatten)]
    pub output: crate::cli::commands::output::OutputArgs,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `wijkbalans report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Title of the report.
    #[arg(long, value_name = "TEXT", default_value = "Wijkbalans")]
    pub title: String,
    /// Language of the fixed texts: nl or en.
    #[arg(long, value_name = "LANG", default_value = "nl", value_parser = ["nl", "en"])]
    pub lang: String,
    /// Only these areas get a section (the overview keeps every area): an area code, or a
    /// parent code such as a wijk (for buurten), a gemeente or a user level. Repeatable or a
    /// comma list; an unknown code is an error that lists the codes.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub wijk: Vec<String>,
    /// A scenario file: every wijk section gets its before/after under the scenario.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// An opgave file (as for `monitor --opgave`): the overview gets the pace per target group
    /// and year, every wijk section its fair share by population and naar vermogen.
    #[arg(long, value_name = "FILE")]
    pub opgave: Option<PathBuf>,
    /// How the opgave is shared naar vermogen (with --opgave).
    #[command(flatten)]
    pub share: ShareArgs,
    /// Audience: intern, or publiek (care-unit counts below --min-count suppressed).
    #[arg(long, value_name = "AUDIENCE", default_value = "intern", value_parser = ["intern", "publiek"])]
    pub audience: String,
    /// Smallest count shown with --audience publiek.
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub min_count: u32,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads. Results are identical for any value.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parse `X,Y` into two finite numbers.
pub fn parse_xy(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != 2 {
        return Err(format!(
            "'{text}' is not X,Y (two numbers with a comma between)"
        ));
    }
    let num = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("'{s}' in '{text}' is not a number"))
    };
    Ok([num(parts[0])?, num(parts[1])?])
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
    /// Where to write the illustrative Zwolle sites (GeoJSON, RD New); with --sites-count,
    /// that many synthetic sites over all areas instead (.geojson, .csv, .fgb or .gpkg).
    #[arg(long, value_name = "FILE")]
    pub sites_out: Option<PathBuf>,
    /// Number of synthetic sites, placed in proportion to population (for benchmarks).
    #[arg(long, value_name = "N")]
    pub sites_count: Option<usize>,
    /// Where to write synthetic facilities (types supermarkt, huisarts, apotheek,
    /// ontmoetingsruimte, ov_halte in turn), placed in proportion to population.
    #[arg(long, value_name = "FILE", requires = "facilities_count")]
    pub facilities_out: Option<PathBuf>,
    /// Number of synthetic facilities.
    #[arg(long, value_name = "N")]
    pub facilities_count: Option<usize>,
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
    fn xy_parses_two_numbers() {
        assert_eq!(parse_xy("203500, 502000.5").unwrap(), [203500.0, 502000.5]);
        assert!(parse_xy("203500").unwrap_err().contains("X,Y"));
        assert!(parse_xy("a,1").unwrap_err().contains("'a'"));
        assert!(parse_xy("1,inf").is_err());
    }

    #[test]
    fn report_wijk_repeats_and_splits_on_commas() {
        let cli = Cli::try_parse_from([
            "wijkbalans",
            "report",
            "--wijk",
            "WK019311,WK019322",
            "--wijk",
            "GM0193",
            "--opgave",
            "o.toml",
            "--beta",
            "0.25",
        ])
        .unwrap();
        let Command::Report(r) = cli.command else {
            panic!("not report")
        };
        assert_eq!(r.wijk, ["WK019311", "WK019322", "GM0193"]);
        assert_eq!(r.opgave, Some(PathBuf::from("o.toml")));
        assert_eq!(r.share.beta, 0.25);
        assert!(!r.share.allow_rood);
        let plain = Cli::try_parse_from(["wijkbalans", "report"]).unwrap();
        let Command::Report(r) = plain.command else {
            panic!("not report")
        };
        assert!(r.wijk.is_empty() && r.opgave.is_none());
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
