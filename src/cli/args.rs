//! Command-line flags (clap derive; the doc comments are the `--help` text).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::cli::numbers;
use crate::config::MetricList;
use crate::io::write::CsvDialect;
use crate::monitor::ShareOptions;
use crate::report::html::Lang;
use crate::report::suppress::Audience;
use crate::scenario::allocate::Objective;
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
    /// Distribute N places of a group over the areas short of their fair share, by need
    /// (largest remainder, a stated tie rule), never where `test-site` would refuse; one
    /// sentence per wijk explains its number.
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
    /// Describe every command: its parameters (type, default, choices, help in English and
    /// Dutch) and the files it writes; with --json for programs such as the QGIS plugin.
    Describe(DescribeArgs),
    /// Serve a local web page with the map of the study: wijken coloured by signal, click to
    /// test a proposed site (the same answer as `test-site --json`). Localhost only by default.
    Serve(Box<ServeArgs>),
}

/// `wijkbalans serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on; 0 picks a free port (the address is printed).
    #[arg(long, value_name = "N", default_value_t = 8642, value_parser = numbers::whole::<u16>, allow_negative_numbers = true)]
    pub port: u16,
    /// Address to listen on instead of 127.0.0.1 (an IP address); anything but a loopback
    /// address makes the study reachable from the network, with a warning.
    #[arg(long, value_name = "IP")]
    pub host: Option<String>,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Worker threads.
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
}

/// `wijkbalans describe`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// Print the description as JSON (docs/OUTPUTS.md, "describe").
    #[arg(long)]
    pub json: bool,
}

/// Declares the flags of one input layer, `--NAME FILE`, `--NAME-layer NAME` and
/// `--NAME-crs CRS`, as a clap argument group with the fields `file`, `layer` and `crs`, from
/// one template: every layer's trio is the same but for its name and help, and clap cannot
/// flatten one struct under several flag prefixes. The clap ids stay the field names they
/// were (`areas`, `areas_layer`, `areas_crs`), which `help_nl` keys on; `describe` types the
/// three flags from the ids and the layer's `geometry` (polygon, point, line or any).
macro_rules! layer_flags {
    (
        $(#[$doc:meta])*
        $name:ident {
            flag: $flag:tt,
            ids: [$file_id:tt, $layer_id:tt, $crs_id:tt],
            geometry: $geometry:tt,
            file: $file_help:tt,
            $(file_conflicts_with: $conflict:tt,)?
            layer: $layer_help:tt,
            crs: $crs_help:tt $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Args)]
        pub struct $name {
            #[doc = $file_help]
            #[arg(long = $flag, id = $file_id, value_name = "FILE" $(, conflicts_with = $conflict)?)]
            pub file: Option<PathBuf>,
            #[doc = $layer_help]
            #[arg(long = concat!($flag, "-layer"), id = $layer_id, value_name = "NAME")]
            pub layer: Option<String>,
            #[doc = $crs_help]
            #[arg(long = concat!($flag, "-crs"), id = $crs_id, value_name = "CRS")]
            pub crs: Option<String>,
        }

        impl LayerFlags for $name {
            const FLAG: &'static str = concat!("--", $flag);
            const IDS: [&'static str; 3] = [$file_id, $layer_id, $crs_id];
            const GEOMETRY: &'static str = $geometry;
            fn given(&self) -> (&Option<PathBuf>, &Option<String>, &Option<String>) {
                (&self.file, &self.layer, &self.crs)
            }
        }
    };
}

/// The three flags of one input layer, whichever layer (`layer_flags!` declares them).
pub trait LayerFlags {
    /// The file flag, e.g. `--sites`, for messages.
    const FLAG: &'static str;
    /// The clap ids of the file, layer and CRS flags, e.g. `sites`, `sites_layer`, `sites_crs`.
    const IDS: [&'static str; 3];
    /// The geometry the layer holds: `polygon`, `point`, `line` or `any`.
    const GEOMETRY: &'static str;
    /// The values given: file, layer and CRS.
    fn given(&self) -> (&Option<PathBuf>, &Option<String>, &Option<String>);
}

layer_flags! {
    /// The areas layer flags.
    AreasArgs {
        flag: "areas",
        ids: ["areas", "areas_layer", "areas_crs"],
        geometry: "polygon",
        file: "Areas: polygons with CBS statistics (GeoPackage, GeoJSON, Shapefile, FlatGeobuf).",
        layer: "Layer of the areas file (e.g. `wijken` in a CBS/PDOK wijkenbuurten GeoPackage).",
        crs: "CRS to assume when the areas file declares none.",
    }
}

layer_flags! {
    /// The dwellings layer flags.
    DwellingsArgs {
        flag: "dwellings",
        ids: ["dwellings", "dwellings_layer", "dwellings_crs"],
        geometry: "any",
        file: "Dwellings: address points or building polygons (centroids are used).",
        layer: "Layer of the dwellings file.",
        crs: "CRS to assume when the dwellings file declares none (e.g. a CSV with x/y).",
    }
}

layer_flags! {
    /// The care-sites layer flags, shared by every command that analyses a study and `compare`.
    SitesArgs {
        flag: "sites",
        ids: ["sites", "sites_layer", "sites_crs"],
        geometry: "point",
        file: "Care-housing sites: points with units, target_group, status, name, regular_units.",
        layer: "Layer of the sites file.",
        crs: "CRS to assume when the sites file declares none (e.g. a CSV with x/y).",
    }
}

layer_flags! {
    /// The facilities layer flags.
    FacilitiesArgs {
        flag: "facilities",
        ids: ["facilities", "facilities_layer", "facilities_crs"],
        geometry: "point",
        file: "Facilities: points with a `type` (supermarkt, huisarts, …), counted per area.",
        layer: "Layer of the facilities file.",
        crs: "CRS to assume when the facilities file declares none.",
    }
}

layer_flags! {
    /// The candidate locations of `suggest` (instead of a grid).
    CandidatesArgs {
        flag: "candidates",
        ids: ["candidates", "candidates_layer", "candidates_crs"],
        geometry: "any",
        file: "Candidate locations: points, or parcels/buildings (centroids are used), or addresses looked up in the BAG of --bag (as a sites file may give them).",
        file_conflicts_with: "grid",
        layer: "Layer of the candidates file.",
        crs: "CRS to assume when the candidates file declares none.",
    }
}

layer_flags! {
    /// The walking-network layer flags.
    NetworkArgs {
        flag: "network",
        ids: ["network", "network_layer", "network_crs"],
        geometry: "line",
        file: "Walking network: lines (streets, paths; e.g. an OSM or NWB extract), noded at \
               junctions. Facility distances are then measured over de weg instead of hemelsbreed.",
        layer: "Layer of the network file.",
        crs: "CRS to assume when the network file declares none.",
    }
}

/// Inputs shared by every command that analyses a study.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Invoer")]
pub struct InputArgs {
    /// Configuration file (TOML). Flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The areas layer.
    #[command(flatten)]
    pub areas: AreasArgs,
    /// The dwellings layer.
    #[command(flatten)]
    pub dwellings: DwellingsArgs,
    /// The care-sites layer.
    #[command(flatten)]
    pub site: SitesArgs,
    /// The facilities layer.
    #[command(flatten)]
    pub facilities: FacilitiesArgs,
    /// The walking-network layer.
    #[command(flatten)]
    pub network: NetworkArgs,
    /// BAG file to look addresses up in: the BAG GeoPackage from PDOK or an extract with the
    /// same columns (its index is cached, and used while the file's BLAKE3 digest is the same).
    #[arg(long, value_name = "FILE")]
    pub bag: Option<PathBuf>,
    /// Take the dwellings from the BAG file of `--bag`: its verblijfsobjecten with gebruiksdoel
    /// woonfunctie, instead of a dwellings layer.
    #[arg(long)]
    pub dwellings_from_bag: bool,
    /// Continue without the rows of an address file (sites, facilities) that have no single
    /// BAG point, and list them in this CSV (row, given, reason, suggestions).
    #[arg(long, value_name = "FILE")]
    pub unmatched: Option<PathBuf>,
    /// Extra area level from a CSV mapping (header e.g. `wijkcode,gebied`); repeatable.
    #[arg(long = "level", value_name = "CSV")]
    pub levels: Vec<PathBuf>,
    /// Metric CRS to compute in.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// Year of the area statistics (1900–2100), written next to every indicator for traceability.
    #[arg(long, value_name = "YEAR", value_parser = numbers::year, allow_negative_numbers = true)]
    pub year: Option<i32>,
    /// Repair invalid polygons with GEOS MakeValid (listed in the diagnostics) instead of
    /// rejecting them.
    #[arg(long)]
    pub repair_geometry: bool,
    /// Seed for everything random.
    #[arg(long, help_heading = "Spreiding", value_name = "N", value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Spreading metric families: all, or a comma list of fair_share, segregation, moran, lisa,
    /// getis_ord, nearest_neighbour.
    #[arg(long, help_heading = "Spreiding", value_name = "LIST")]
    pub metrics: Option<MetricList>,
    /// Permutations of every pseudo p-value (0 = none, at most 99,999).
    #[arg(long, help_heading = "Spreiding", value_name = "N", value_parser = numbers::whole::<usize>, allow_negative_numbers = true)]
    pub permutations: Option<usize>,
    /// Significance level of the LISA labels.
    #[arg(long, help_heading = "Spreiding", value_name = "ALPHA", value_parser = numbers::decimal, allow_negative_numbers = true)]
    pub alpha: Option<f64>,
    /// Contiguity of the spatial weights: queen or rook.
    #[arg(long, help_heading = "Spreiding", value_name = "KIND", value_enum)]
    pub weights: Option<Contiguity>,
}

/// Worker threads: a flag of every command that computes.
#[derive(Debug, Clone, Copy, Args)]
pub struct ThreadsArgs {
    /// Worker threads (default: all cores). Results are identical for any value.
    #[arg(long, value_name = "N", value_parser = numbers::whole::<usize>, allow_negative_numbers = true)]
    pub threads: Option<usize>,
}

/// Where a command writes, its worker threads and how much it prints: the last flags of every
/// command that writes an output directory.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Uitvoer")]
pub struct RunArgs {
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Worker threads.
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Who the outputs are for: a flag of the commands that can hide small counts (`analyse`,
/// `monitor`, `report`). The others (`scenario`, `suggest`, `allocate`, `compare`) write
/// their counts inside sentences and ratios for the people who decide, and have no public
/// version: they do not take the flag, so no run records "publiek" over counts it shows.
#[derive(Debug, Clone, Copy, Args)]
#[command(next_help_heading = "Uitvoer")]
pub struct AudienceArgs {
    /// Audience: intern shows every count; publiek suppresses counts of care units below
    /// --min-count (and the rates derived from them), as CBS does for small numbers.
    #[arg(long, value_name = "AUDIENCE", default_value = "intern", value_enum)]
    pub audience: Audience,
    /// Smallest count shown with --audience publiek.
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = numbers::min_count, allow_negative_numbers = true)]
    pub min_count: u32,
}

impl AudienceArgs {
    /// The smallest count shown, for a public audience; `None` for an internal one.
    pub fn public_min(&self) -> Option<u32> {
        (self.audience == Audience::Publiek).then_some(self.min_count)
    }
}

/// Output flags of the commands that write layers.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Uitvoer")]
pub struct OutputArgs {
    /// Output formats, a comma list of geojson, csv, gpkg. GeoJSON layers get a QGIS style
    /// (.qml) next to them; the GeoPackage holds every layer with its style embedded.
    #[arg(long, value_name = "LIST", default_value = "geojson,csv")]
    pub format: String,
    /// Replace an existing wijkbalans.gpkg in the output directory (it may hold your own
    /// layers; it is never replaced silently).
    #[arg(long)]
    pub overwrite: bool,
    /// CSV dialect: standard (comma, decimal point) or excel-nl (semicolon, decimal comma,
    /// UTF-8 BOM: opens directly in Dutch Excel).
    #[arg(long, value_name = "DIALECT", default_value = "standard", value_enum)]
    pub csv: CsvDialect,
}

/// The flags of every command that analyses a study and writes an output directory (analyse,
/// scenario, suggest, allocate, monitor), flattened as one group after the command's own
/// flags: the inputs, the output formats, and where the run writes, its threads and how much
/// it prints. [`crate::cli::session::Session::start_run`] does their prelude.
#[derive(Debug, Args)]
pub struct StudyRunArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Outputs.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output directory, threads, quiet.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `wijkbalans analyse`.
#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// Exit with code 1 when points fall outside every area or broken dwelling features were
    /// left out (default: a warning, exit 0); refuse a --level mapping that leaves areas out
    /// or names codes no area has (exit 2, nothing written).
    #[arg(long)]
    pub strict: bool,
    /// Write the wall-clock seconds of each stage (read, assign, indicators, spreading, write)
    /// to this JSON file, for benchmarks. Kept out of the outputs, which never depend on timing.
    #[arg(long, value_name = "FILE")]
    pub timings: Option<PathBuf>,
    /// Inputs, outputs, output directory, threads, quiet.
    #[command(flatten)]
    pub study: StudyRunArgs,
    /// Audience.
    #[command(flatten)]
    pub audience: AudienceArgs,
}

/// `wijkbalans test-site`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("location").required(true).args(["at", "address", "postcode"])))]
pub struct TestSiteArgs {
    /// Location of the proposed site, `X,Y` (RD metres by default; lon,lat with
    /// `--at-crs EPSG:4326`).
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// CRS of `--at` (default: the compute CRS, EPSG:28992).
    #[arg(long, value_name = "CRS")]
    pub at_crs: Option<String>,
    /// Address of the proposed site, looked up in `--bag`: "Straat 12a, Plaats",
    /// "1013 NJ 1 H", "1013NJ 1-H", or an address line "Straat 12a 1013 NJ Plaats".
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// Postcode of the proposed site (with `--huisnummer`), looked up in `--bag`.
    #[arg(long, value_name = "PC", requires = "huisnummer")]
    pub postcode: Option<String>,
    /// Huisnummer (with `--postcode`).
    #[arg(long, value_name = "N", requires = "postcode")]
    pub huisnummer: Option<String>,
    /// Huisletter (with `--postcode`).
    #[arg(long, value_name = "A", requires = "postcode")]
    pub huisletter: Option<String>,
    /// Huisnummertoevoeging (with `--postcode`).
    #[arg(long, value_name = "T", requires = "postcode")]
    pub toevoeging: Option<String>,
    /// Care units (places or homes) for the target group.
    #[arg(long, value_name = "N", value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub units: u64,
    /// Target group id (see `wijkbalans config` for the configured groups).
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// Regular homes in the same project (no care need), reported only.
    #[arg(long, value_name = "M", default_value_t = 0, value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub regular_units: u64,
    /// Name of the proposal in the output.
    #[arg(long, value_name = "NAME", default_value = "voorstel")]
    pub name: String,
    /// Print the result as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Worker threads.
    #[command(flatten)]
    pub threads: ThreadsArgs,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
}

/// `wijkbalans scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The scenario file (TOML; see docs/CONFIG.md, "Scenario file").
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Inputs, outputs, output directory, threads, quiet.
    #[command(flatten)]
    pub study: StudyRunArgs,
}

/// `wijkbalans suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Care units (places or homes) to place.
    #[arg(long, value_name = "N", value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub units: u64,
    /// Target group id.
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// Candidate locations.
    #[command(flatten)]
    pub candidates: CandidatesArgs,
    /// Grid cell size in metres: the candidates are the centres of cells with dwellings (or,
    /// without a dwellings layer, cells in populated areas). Default 250 without --candidates.
    #[arg(long, value_name = "METRES", value_parser = numbers::decimal, allow_negative_numbers = true)]
    pub grid: Option<f64>,
    /// How many of the best candidates to write to suggestions.geojson.
    #[arg(long, value_name = "K", default_value_t = 10, value_parser = numbers::whole::<usize>, allow_negative_numbers = true)]
    pub top: usize,
    /// Suggested locations lie at least this many metres apart, so the top K spreads over the
    /// study area; 0 for none. Default: `suggest.min_spacing_m` of the configuration (250).
    #[arg(long, value_name = "METRES", value_parser = numbers::decimal, allow_negative_numbers = true)]
    pub spacing: Option<f64>,
    /// At most this many suggestions in one area, so the top K shows alternatives in several
    /// wijken; 0 for no limit. Default: `suggest.max_per_area` of the configuration (3).
    #[arg(long, value_name = "N", value_parser = numbers::whole::<usize>, allow_negative_numbers = true)]
    pub max_per_area: Option<usize>,
    /// Inputs, outputs, output directory, threads, quiet.
    #[command(flatten)]
    pub study: StudyRunArgs,
}

/// `wijkbalans allocate`.
#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// Number of places to distribute.
    #[arg(long, value_name = "N", value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub places: u64,
    /// Target group id.
    #[arg(long, value_name = "GROUP")]
    pub group: String,
    /// At most this many new places per area.
    #[arg(long, value_name = "K", value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub per_area_max: Option<u64>,
    /// What to balance: fair_share (minimise the share of care units that would have to move)
    /// or min_max_rate (minimise the highest care units per 1,000 inhabitants).
    #[arg(
        long,
        value_name = "OBJECTIVE",
        default_value = "fair_share",
        value_enum
    )]
    pub objective: Objective,
    /// Push no area into `oranje` either (the signal rule's condition band becomes a limit).
    /// The other limits always hold: every blocking rule and the caps of `[rules]`.
    #[arg(long)]
    pub no_oranje: bool,
    /// Inputs, outputs, output directory, threads, quiet.
    #[command(flatten)]
    pub study: StudyRunArgs,
}

/// `wijkbalans monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The opgave file (TOML; see `data/opgave_zwolle_illustratief.toml`).
    #[arg(long, value_name = "FILE")]
    pub opgave: PathBuf,
    /// How the opgave is shared naar vermogen: options of monitor's own.
    #[command(flatten)]
    pub share: ShareArgs,
    /// Inputs, outputs, output directory, threads, quiet.
    #[command(flatten)]
    pub study: StudyRunArgs,
    /// Audience.
    #[command(flatten)]
    pub audience: AudienceArgs,
}

/// The fair share of an opgave naar vermogen (shared by `monitor` and `report --opgave`).
#[derive(Debug, Clone, Args)]
pub struct ShareArgs {
    /// β of the capacity weighting: weight = inhabitants × max(0, 1 + β × saldo).
    #[arg(long, value_name = "BETA", default_value_t = 0.5, value_parser = numbers::decimal, allow_negative_numbers = true)]
    pub beta: f64,
    /// Give areas in `rood` a share naar vermogen too (default: none).
    #[arg(long)]
    pub allow_rood: bool,
}

impl ShareArgs {
    /// The options of the capacity method.
    pub fn options(&self) -> ShareOptions {
        ShareOptions {
            beta: self.beta,
            allow_rood: self.allow_rood,
        }
    }
}

/// The years of `compare`'s two vintages.
#[derive(Debug, Clone, Args)]
pub struct VintageYears {
    /// Year of the earlier file's statistics (1900–2100), for a file that does not declare it:
    /// the reasons and boundary changes then name it ("niet in 2022") instead of "het eerdere
    /// bestand".
    #[arg(long, value_name = "YEAR", value_parser = numbers::year, allow_negative_numbers = true)]
    pub before_year: Option<i32>,
    /// Year of the later file's statistics (1900–2100), for a file that does not declare it;
    /// it must be after the earlier file's year.
    #[arg(long, value_name = "YEAR", value_parser = numbers::year, allow_negative_numbers = true)]
    pub after_year: Option<i32>,
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
    /// Configuration file (TOML) for both vintages: indicators, thresholds, sites, as for
    /// analyse; its areas layer is replaced by --before and --after.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The years of the two vintages, for files that do not declare them.
    #[command(flatten)]
    pub years: VintageYears,
    /// The care sites for both vintages, as for analyse (replace the config's).
    #[command(flatten)]
    pub site: SitesArgs,
    /// Outputs.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Output directory, threads, quiet.
    #[command(flatten)]
    pub run: RunArgs,
}

/// `wijkbalans report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Title of the report.
    #[arg(long, value_name = "TEXT", default_value = "Wijkbalans")]
    pub title: String,
    /// Language of the fixed texts: nl or en.
    #[arg(long, value_name = "LANG", default_value = "nl", value_enum)]
    pub lang: Lang,
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
    /// The previous vintage's areas file (e.g. CBS 2022 when the run reads 2024), analysed with
    /// the same configuration and sites: the summary says what changed and the overview gets a
    /// trend column (as `compare`).
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Layer of the --previous file.
    #[arg(long, value_name = "NAME")]
    pub previous_layer: Option<String>,
    /// Year of the --previous file's statistics (1900–2100), as the report names it ("sinds 2022");
    /// without it, the file name.
    #[arg(long, value_name = "YEAR", requires = "previous", value_parser = numbers::year, allow_negative_numbers = true)]
    pub previous_year: Option<i32>,
    /// How the opgave is shared naar vermogen (with --opgave): options of report's own.
    #[command(flatten)]
    pub share: ShareArgs,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Audience.
    #[command(flatten)]
    pub audience: AudienceArgs,
    /// Output directory, threads, quiet.
    #[command(flatten)]
    pub run: RunArgs,
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
    #[arg(long, value_name = "N", default_value_t = crate::config::DEFAULT_SEED, value_parser = numbers::whole::<u64>, allow_negative_numbers = true)]
    pub seed: u64,
    /// Where to write the synthetic dwellings (GeoJSON, RD New).
    #[arg(long, value_name = "FILE")]
    pub dwellings_out: Option<PathBuf>,
    /// Where to write the illustrative Zwolle sites (GeoJSON, RD New); with --sites-count,
    /// that many synthetic sites over all areas instead (.geojson, .csv, .fgb or .gpkg).
    #[arg(long, value_name = "FILE")]
    pub sites_out: Option<PathBuf>,
    /// Number of synthetic sites, placed in proportion to population (for benchmarks).
    #[arg(long, value_name = "N", value_parser = numbers::whole::<usize>, allow_negative_numbers = true)]
    pub sites_count: Option<usize>,
    /// Where to write synthetic facilities (types supermarkt, huisarts, apotheek,
    /// ontmoetingsruimte, ov_halte in turn), placed in proportion to population.
    #[arg(long, value_name = "FILE", requires = "facilities_count")]
    pub facilities_out: Option<PathBuf>,
    /// Number of synthetic facilities.
    #[arg(long, value_name = "N", value_parser = numbers::whole::<usize>, allow_negative_numbers = true)]
    pub facilities_count: Option<usize>,
    /// Worker threads.
    #[command(flatten)]
    pub threads: ThreadsArgs,
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
        assert_eq!(a.study.run.out, PathBuf::from("out"));
        assert!(!a.study.run.quiet && a.study.run.threads.threads.is_none());
        assert!(a.study.input.areas.file.is_none());
        assert_eq!(a.study.output.csv, CsvDialect::Standard);
        assert_eq!(a.audience.audience, Audience::Intern);
        assert_eq!(a.audience.public_min(), None);
    }

    fn parse(args: &[&str]) -> Command {
        match Cli::try_parse_from([&["wijkbalans"][..], args].concat()) {
            Ok(cli) => cli.command,
            Err(e) => panic!("{args:?}: {e}"),
        }
    }

    /// `allocate` with its required flags.
    const ALLOCATE: &[&str] = &["allocate", "--places", "1", "--group", "g"];

    /// The commands that write an output directory, each with its required flags.
    const WRITERS: &[&[&str]] = &[
        &["analyse"],
        &["scenario", "s.toml"],
        &["suggest", "--units", "5", "--group", "g"],
        ALLOCATE,
        &["monitor", "--opgave", "o.toml"],
        &["compare", "--before", "a.gpkg", "--after", "b.gpkg"],
        &["report"],
    ];

    fn run_args(command: &Command) -> &RunArgs {
        match command {
            Command::Analyse(a) => &a.study.run,
            Command::Scenario(a) => &a.study.run,
            Command::Suggest(a) => &a.study.run,
            Command::Allocate(a) => &a.study.run,
            Command::Monitor(a) => &a.study.run,
            Command::Compare(a) => &a.run,
            Command::Report(a) => &a.run,
            other => panic!("{other:?} writes no output directory"),
        }
    }

    #[test]
    fn every_writing_command_takes_out_threads_and_quiet() {
        for args in WRITERS {
            let plain = parse(args);
            let run = run_args(&plain);
            assert_eq!(run.out, PathBuf::from("out"), "{args:?}");
            assert!(!run.quiet && run.threads.threads.is_none(), "{args:?}");
            let mut all = args.to_vec();
            all.extend(["--out", "elders", "--threads", "3", "-q"]);
            let given = parse(&all);
            let run = run_args(&given);
            assert_eq!(run.out, PathBuf::from("elders"), "{args:?}");
            assert!(run.quiet && run.threads.threads == Some(3), "{args:?}");
        }
    }

    #[test]
    fn test_site_and_synth_take_threads() {
        let Command::TestSite(t) = parse(&[
            "test-site",
            "--at",
            "1,2",
            "--units",
            "3",
            "--group",
            "g",
            "--threads",
            "2",
        ]) else {
            panic!("not test-site")
        };
        assert_eq!(t.threads.threads, Some(2));
        let Command::Synth(s) = parse(&["synth", "--threads", "4"]) else {
            panic!("not synth")
        };
        assert_eq!(s.threads.threads, Some(4));
        assert_eq!(s.seed, crate::spread::DEFAULT_SEED);
    }

    #[test]
    fn the_audience_is_a_flag_of_the_commands_that_hide_small_counts() {
        let public = ["--audience", "publiek", "--min-count", "3"];
        let Command::Analyse(a) = parse(&[&["analyse"][..], &public].concat()) else {
            panic!("not analyse")
        };
        assert_eq!(a.audience.public_min(), Some(3));
        let Command::Monitor(m) =
            parse(&[&["monitor", "--opgave", "o.toml"][..], &public].concat())
        else {
            panic!("not monitor")
        };
        assert_eq!(m.audience.public_min(), Some(3));
        // The commands without a public version refuse the flag instead of recording
        // "publiek" over the counts they show.
        for cmd in [
            &["scenario", "s.toml"][..],
            &["suggest", "--units", "3", "--group", "g"],
            &["allocate", "--places", "3", "--group", "g"],
            &["compare", "--before", "a", "--after", "b"],
        ] {
            let e = Cli::try_parse_from([&["wijkbalans"][..], cmd, &public].concat()).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument, "{cmd:?}");
        }
        let Command::Report(r) = parse(&[&["report"][..], &public].concat()) else {
            panic!("not report")
        };
        assert_eq!(r.audience.audience, Audience::Publiek);
        assert_eq!(r.audience.public_min(), Some(3));
        let Command::Report(r) = parse(&["report", "--min-count", "3"]) else {
            panic!("not report")
        };
        assert_eq!(r.audience.public_min(), None, "intern shows every count");
    }

    #[test]
    fn choices_parse_into_the_engine_types() {
        let Command::Analyse(a) = parse(&["analyse", "--weights", "rook", "--csv", "excel-nl"])
        else {
            panic!("not analyse")
        };
        assert_eq!(a.study.input.weights, Some(Contiguity::Rook));
        assert_eq!(a.study.output.csv, CsvDialect::ExcelNl);
        for (extra, objective) in [
            (&[][..], Objective::FairShare),
            (&["--objective", "min_max_rate"][..], Objective::MinMaxRate),
        ] {
            let Command::Allocate(a) = parse(&[ALLOCATE, extra].concat()) else {
                panic!("not allocate")
            };
            assert_eq!(a.objective, objective);
        }
        let Command::Report(r) = parse(&["report"]) else {
            panic!("not report")
        };
        assert_eq!(r.lang, Lang::Nl);
        let Command::Report(r) = parse(&["report", "--lang", "en"]) else {
            panic!("not report")
        };
        assert_eq!(r.lang, Lang::En);
    }

    #[test]
    fn a_choice_outside_the_list_is_refused_with_the_list() {
        let bad_objective = [ALLOCATE, &["--objective", "max"]].concat();
        for (args, list) in [
            (&["analyse", "--weights", "hexagon"][..], "queen, rook"),
            (&["analyse", "--csv", "excel"][..], "standard, excel-nl"),
            (&["report", "--audience", "iedereen"][..], "intern, publiek"),
            (&["report", "--lang", "de"][..], "nl, en"),
            (&bad_objective[..], "fair_share, min_max_rate"),
        ] {
            let e = Cli::try_parse_from([&["wijkbalans"][..], args].concat()).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue, "{args:?}");
            assert!(
                e.to_string()
                    .contains(&format!("[possible values: {list}]")),
                "{args:?}: {e}"
            );
        }
    }

    #[test]
    fn help_lists_the_choices_by_name_only() {
        let mut cmd = Cli::command();
        let help = cmd
            .find_subcommand_mut("analyse")
            .unwrap()
            .render_long_help()
            .to_string();
        assert!(help.contains("[possible values: queen, rook]"), "{help}");
        assert!(!help.contains("Possible values:"), "{help}");
    }

    #[test]
    fn metrics_keep_the_list_as_written() {
        let Command::Analyse(a) = parse(&["analyse", "--metrics", "moran, lisa"]) else {
            panic!("not analyse")
        };
        let m = a.study.input.metrics.unwrap();
        assert_eq!(m.as_str(), "moran, lisa");
        assert!(m.set().is_ok());
        // An unknown family is reported when the configuration is validated.
        let Command::Analyse(a) = parse(&["analyse", "--metrics", "gini"]) else {
            panic!("not analyse")
        };
        assert!(a.study.input.metrics.unwrap().set().is_err());
    }

    #[test]
    fn every_number_flag_reads_numbers_as_a_planner_writes_them() {
        let Command::Analyse(a) = parse(&["analyse", "--alpha", "0,05", "--year", "2024"]) else {
            panic!("not analyse")
        };
        assert_eq!(
            (a.study.input.alpha, a.study.input.year),
            (Some(0.05), Some(2024))
        );
        // Every number flag of every command goes through cli::numbers: a Dutch thousands
        // separator is refused with the number meant, never read as a decimal point.
        let mut cmd = Cli::command();
        cmd.build();
        let mut checked = 0;
        for sub in cmd.get_subcommands() {
            for arg in sub.get_arguments() {
                let Some(long) = arg.get_long() else { continue };
                let name = sub.get_name();
                let flag = format!("--{long}");
                let r = Cli::try_parse_from(["wijkbalans", name, &flag, "1.000"]);
                let typed = crate::cli::commands::describe::clap_type(arg);
                let number = typed.is_some_and(|t| t["type"] == "integer" || t["type"] == "number");
                if number {
                    let e = r.expect_err(&flag).to_string();
                    assert!(e.contains("duizendtallen"), "{name} {flag}: {e}");
                    // A negative number is the flag's value, for its reader to judge, and
                    // never an unknown flag `-2`.
                    if let Err(e) = Cli::try_parse_from(["wijkbalans", name, &flag, "-2"]) {
                        assert_ne!(e.kind(), clap::error::ErrorKind::UnknownArgument, "{flag}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 21, "{checked} number flags");
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
        assert_eq!(a.study.input.levels.len(), 2);
    }
}
