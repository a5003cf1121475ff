//! Output options shared by the commands that write layers: formats, the GeoPackage, CSV
//! dialect, audience; and the output folder a run has claimed ([`OutputTarget`]). Everything
//! is collected in memory and swapped in as one set.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::cli::args::OutputArgs;
use crate::cli::Failure;
use crate::io::gpkg::{gpkg_bytes, GpkgLayer};
use crate::io::outset::{self, Named, OutputLock};
use crate::io::write::{self, CsvDialect, ToWgs84};
use crate::pipeline::Loaded;
use crate::table::Table;

/// Name of the GeoPackage written with `--format gpkg`.
pub const GPKG_NAME: &str = "wijkbalans.gpkg";

/// Name of the run record written with every run.
pub const RUN_JSON: &str = "run.json";

/// The formats `--format` takes, in the order of the help.
pub const FORMATS: [&str; 3] = ["geojson", "csv", "gpkg"];

/// The names of the layers and files the commands write (a layer becomes `<name>.geojson`,
/// `<name>.csv`, `<name>.qml` and a GeoPackage layer `<name>`, as `--format` asks). The
/// commands write under these names and `describe --json` lists them, so the two cannot drift.
pub mod names {
    /// `analyse`: the areas layer.
    pub const AREAS: &str = "areas";
    /// `analyse`: the care sites layer (with a sites layer).
    pub const SITES: &str = "sites";
    /// `analyse`: the facilities layer, where each facility lies (with a facilities layer).
    pub const FACILITIES: &str = "facilities";
    /// `analyse`: the LISA layer (when the LISA family is computed).
    pub const LISA: &str = "lisa";
    /// `analyse`: the summary with the frozen normalisation parameters.
    pub const SUMMARY_JSON: &str = "summary.json";
    /// `scenario`: before/after per area.
    pub const SCENARIO_AREAS: &str = "scenario_areas";
    /// `scenario`: every change's evaluation.
    pub const SCENARIO_JSON: &str = "scenario.json";
    /// `scenario`: the readable summary.
    pub const SCENARIO_MD: &str = "scenario.md";
    /// `suggest`: the top K candidates.
    pub const SUGGESTIONS: &str = "suggestions";
    /// `suggest`: every candidate.
    pub const SUITABILITY: &str = "suitability";
    /// `allocate`: the places per area.
    pub const ALLOCATION: &str = "allocation";
    /// `allocate`: the objective and the binding constraints.
    pub const ALLOCATION_JSON: &str = "allocation.json";
    /// `monitor`: the fair shares per area.
    pub const MONITOR_AREAS: &str = "monitor_areas";
    /// `monitor`: the whole monitor.
    pub const MONITOR_JSON: &str = "monitor.json";
    /// `monitor`: the pace per target and year, for Dutch Excel.
    pub const MONITOR_CSV: &str = "monitor.csv";
    /// `compare`: the change per area.
    pub const COMPARE_AREAS: &str = "compare_areas";
    /// `compare`: the comparison.
    pub const COMPARE_JSON: &str = "compare.json";
    /// `report`: the HTML report.
    pub const REPORT_HTML: &str = "report.html";
    /// `report`: the Markdown summary.
    pub const REPORT_MD: &str = "report.md";
    /// `report`: the areas table for Dutch Excel.
    pub const REPORT_WIJKEN_CSV: &str = "report_wijken.csv";
    /// `report --opgave`: the pace per target and year.
    pub const REPORT_OPGAVE_CSV: &str = "report_opgave.csv";
    /// `report --opgave`: the fair shares per wijk.
    pub const REPORT_OPGAVE_WIJKEN_CSV: &str = "report_opgave_wijken.csv";
}

/// The audience of a run as its record (`run.json` → `output`) gives it: `intern`, or
/// `publiek` with the smallest count shown and the rule (every command that takes
/// `--audience` records the same).
pub fn audience_record(public_min: Option<u32>) -> Value {
    match public_min {
        None => serde_json::json!({"audience": "intern"}),
        Some(k) => serde_json::json!({
            "audience": "publiek",
            "min_count": k,
            "rule": "care-unit counts from 1 to min_count - 1 are suppressed (null), with the rates derived from them",
        }),
    }
}

/// Parsed output options.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    geojson: bool,
    csv: bool,
    gpkg: bool,
    overwrite: bool,
    dialect: CsvDialect,
    /// Smallest count shown, when the audience is publiek.
    pub public_min: Option<u32>,
}

impl OutputOptions {
    /// The CSV dialect of `--csv`: every CSV of a layer command follows it (`monitor.csv` as
    /// well as `monitor_areas.csv`).
    pub fn dialect(&self) -> CsvDialect {
        self.dialect
    }

    /// Validate the flags.
    pub fn from_args(a: &OutputArgs) -> Result<Self, Failure> {
        let mut o = OutputOptions {
            geojson: false,
            csv: false,
            gpkg: false,
            overwrite: a.overwrite,
            dialect: a.csv,
            public_min: None,
        };
        for f in a.format.split(',').map(str::trim).filter(|f| !f.is_empty()) {
            match FORMATS.iter().position(|known| *known == f) {
                Some(0) => o.geojson = true,
                Some(1) => o.csv = true,
                Some(_) => o.gpkg = true,
                None => {
                    return Err(Failure(format!(
                        "--format: onbekend formaat '{f}'; geef een lijst met komma's van {}",
                        FORMATS.join(", ")
                    )))
                }
            }
        }
        if !(o.geojson || o.csv || o.gpkg) {
            return Err(Failure(format!(
                "--format: geef ten minste een van {}",
                FORMATS.join(", ")
            )));
        }
        Ok(o)
    }

    /// For the commands that take `--audience` (`analyse`, `monitor`): who the outputs are for.
    /// The other commands show every count, and their run record says `intern`.
    pub fn for_audience(self, a: &crate::cli::args::AudienceArgs) -> Self {
        OutputOptions {
            public_min: a.public_min(),
            ..self
        }
    }

    /// The audience, for the run record ([`audience_record`]).
    pub fn audience(&self) -> Value {
        audience_record(self.public_min)
    }
}

/// Start, once, the thread that ends a run interrupted with Ctrl-C (SIGINT) or SIGTERM: it
/// removes what the run holds ([`crate::io::interrupt::remove_held`]: the lock files and the
/// folders created for them, after a set being written is in place), says whether the new set
/// was written, and exits with 128 + the signal (130, 143), as a shell does. The signal is
/// caught with `signal-hook`, which shares its registry with tokio's, so `serve` (which claims
/// no output folder) keeps its own Ctrl-C handling.
fn stop_on_interrupt() -> Result<(), Failure> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    static STARTED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    STARTED
        .get_or_init(|| {
            let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
                .map_err(|e| format!("Ctrl-C kan niet worden opgevangen ({e})"))?;
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    let written = crate::io::interrupt::remove_held();
                    crate::cli::terminal::eprint(&format!(
                        "wijkbalans: afgebroken door {}; {}",
                        if signal == SIGINT {
                            "Ctrl-C"
                        } else {
                            "een stopsignaal"
                        },
                        if written {
                            "de nieuwe uitvoer was al volledig geschreven"
                        } else {
                            "er is niets geschreven; de uitvoermap is zoals hij was"
                        }
                    ));
                    // `_exit`, not `exit`: the other threads may still be inside GDAL, and
                    // `exit` would run its destructors under them (a crash, not 130).
                    use std::io::Write as _;
                    let _ = std::io::stderr().flush();
                    // SAFETY: ends the process at once; nothing is used after it.
                    unsafe { libc::_exit(128 + signal) }
                }
            });
            Ok(())
        })
        .clone()
        .map_err(Failure)
}

/// The output folder of a run, claimed before the inputs are read: its lock is held until the
/// run ends, and every file written into it is checked against the run's inputs first.
#[derive(Debug)]
pub struct OutputTarget {
    dir: PathBuf,
    inputs: Vec<Named>,
    /// `--unmatched FILE`: where the address rows left out are listed.
    unmatched: Option<PathBuf>,
    _lock: OutputLock,
}

/// The first bytes of an `--unmatched` list ([`crate::io::model::unmatched_csv`]): an earlier
/// list may be replaced, another file may not ([`OutputTarget::check_extra`]).
pub const UNMATCHED_START: &[u8] = b"layer,row,given,reason,suggestions\n";

/// The first bytes of a `--timings` file (`analyse`): an earlier one may be replaced.
pub const TIMINGS_START: &[u8] = b"{\n  \"read_s\": ";

impl OutputTarget {
    /// Lock `dir` for this run ([`OutputLock`]); `inputs` are every file the run reads. A
    /// `dir` that holds an input is refused ([`outset::check_out_holds_no_input`]).
    pub fn claim(dir: &Path, inputs: Vec<Named>) -> Result<Self, Failure> {
        outset::check_out_holds_no_input(dir, &inputs).map_err(Failure)?;
        stop_on_interrupt()?;
        let lock = OutputLock::take(dir).map_err(Failure)?;
        Ok(OutputTarget {
            dir: dir.to_path_buf(),
            inputs,
            unmatched: None,
            _lock: lock,
        })
    }

    /// List the address rows a run leaves out in `path` (`--unmatched`), checked at once
    /// against every input ([`OutputTarget::check_extra`]).
    pub fn with_unmatched(mut self, path: Option<&Path>) -> Result<Self, Failure> {
        if let Some(p) = path {
            self.check_extra(p, "--unmatched", UNMATCHED_START)?;
            self.unmatched = Some(p.to_path_buf());
        }
        Ok(self)
    }

    /// Write the address rows left out to the `--unmatched` file, after the output set was
    /// written (the file was checked when it was given, [`OutputTarget::with_unmatched`]). A
    /// run without `--unmatched` has none to write: it stopped on the first unmatched row.
    pub fn write_unmatched(&self, rows: &[crate::io::model::Unmatched]) -> Result<(), Failure> {
        let Some(path) = &self.unmatched else {
            return Ok(());
        };
        std::fs::write(path, crate::io::model::unmatched_csv(rows)).map_err(|e| {
            Failure(format!(
                "{}: de niet gevonden adressen zijn niet te schrijven ({e}); kies voor --unmatched een pad waar geschreven mag worden",
                path.display()
            ))
        })?;
        if !rows.is_empty() {
            crate::cli::terminal::eprint(&format!(
                "wijkbalans: waarschuwing: {} adresregel(s) zonder één BAG-punt weggelaten; ze staan in {}",
                rows.len(),
                path.display()
            ));
        }
        Ok(())
    }

    /// The folder, as given.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Refuse a file outside the output set (`--timings`, `--unmatched`) that is an input, one
    /// of its sidecars, or that lies in the output folder at all (so it is never one of the
    /// set's files either): the folder holds one run's set, and `run.json` lists it, so a file
    /// written beside the set would stay after the next run as a file no record describes
    /// (docs/OUTPUTS.md, "How files are written"). A file already at `path` is replaced only
    /// when it starts with `ours`, the first bytes of the file this flag writes: an earlier run's
    /// list or timings, never a file of the user's. Checked once, before anything is read.
    pub fn check_extra(&self, path: &Path, what: &str, ours: &[u8]) -> Result<(), Failure> {
        let extra = Named::new(path, what);
        outset::check_outputs(std::slice::from_ref(&extra), &self.inputs).map_err(Failure)?;
        let inside = outset::resolve(path)
            .ok()
            .zip(outset::resolve(&self.dir).ok())
            .is_some_and(|(p, dir)| p.starts_with(dir));
        if inside {
            return Err(Failure(format!(
                "{} ({what}) ligt in de uitvoermap {}; die map bevat alleen de bestanden van één \
                 run, zoals run.json ze noemt, en een volgende run zou dit bestand laten staan \
                 naast uitvoer die er niet bij hoort; kies voor {what} een pad buiten --out",
                path.display(),
                self.dir.display()
            )));
        }
        if std::fs::symlink_metadata(path).is_ok() {
            let start = std::fs::File::open(path).ok().and_then(|f| {
                use std::io::Read as _;
                let mut start = Vec::with_capacity(ours.len());
                f.take(ours.len() as u64).read_to_end(&mut start).ok()?;
                Some(start)
            });
            if !path.is_file() || start.as_deref() != Some(ours) {
                return Err(Failure(format!(
                    "{} ({what}) bestaat al en is geen bestand dat {what} eerder schreef; \
                     wijkbalans overschrijft geen ander bestand: kies een nieuw pad, of verwijder \
                     het eerst",
                    path.display()
                )));
            }
        }
        Ok(())
    }

    /// Write `files` as the new output set ([`outset::write_set`]) after checking that none of
    /// them is an input or an input's sidecar. The run records of other commands whose files
    /// stay in the folder are kept ([`kept_records`]); the outputs of an earlier
    /// run of this command that this run does not write again go ([`stale`]).
    pub fn write(&self, mut files: Vec<(String, Vec<u8>)>) -> Result<(), Failure> {
        let records = self.records();
        let stale = stale(&files, &records);
        let kept = kept_records(&files, &records);
        files.extend(kept);
        let named: Vec<Named> = files
            .iter()
            .map(|(n, _)| Named::new(self.dir.join(n), format!("uitvoer {n}")))
            .collect();
        outset::check_outputs(&named, &self.inputs).map_err(Failure)?;
        outset::write_set(&self.dir, files, &stale).map_err(|e| write_failure(&self.dir, &e))?;
        Ok(())
    }

    /// The run records in the folder, read once for [`stale`] and [`kept_records`]: `run.json`
    /// and every `run.<command>.json` that is a file, by name, with their bytes when they can
    /// be read ([`crate::bounded::TEXT_LIMIT`]).
    fn records(&self) -> Vec<(String, Option<Vec<u8>>)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n == RUN_JSON || (n.starts_with("run.") && n.ends_with(".json")))
            .filter(|n| self.dir.join(n).is_file())
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|name| {
                let path = self.dir.join(&name);
                let bytes = crate::bounded::read_bounded(&path, crate::bounded::TEXT_LIMIT).ok();
                (name, bytes)
            })
            .collect()
    }
}

/// The files an earlier run of this command wrote into the folder that this run does not
/// write again: the outputs listed by the folder's `run.json` when it is this command's, and
/// by this command's kept `run.<command>.json`, less those that a record of another command
/// kept in the folder lists and those this run writes (`files`; `records` are the folder's,
/// [`OutputTarget::records`]). They are left out of the new set, so the folder never holds an
/// old output beside a new run that no record describes (docs/OUTPUTS.md, "How files are
/// written"). Only plain file names count.
///
/// Example: `analyse` with sites writes `sites.geojson`; `analyse` again without sites into the
/// same folder leaves `sites.geojson` out, while `report`'s `report.html` (listed by
/// `run.report.json`) stays.
fn stale(files: &[(String, Vec<u8>)], records: &[(String, Option<Vec<u8>>)]) -> Vec<String> {
    let Some(current) = files
        .iter()
        .find(|(n, _)| n == RUN_JSON)
        .and_then(|(_, record)| command_of(record))
    else {
        return Vec::new();
    };
    let own_record = format!("run.{current}.json");
    let (mut own, mut others) = (Vec::new(), Vec::new());
    for (name, bytes) in records {
        let Some(bytes) = bytes else {
            continue;
        };
        let Some(command) = command_of(bytes) else {
            continue;
        };
        let listed = outputs_of(bytes);
        if command == current && (*name == RUN_JSON || *name == own_record) {
            own.extend(listed);
        } else {
            others.extend(listed);
        }
    }
    own.sort();
    own.dedup();
    own.retain(|n| {
        !others.contains(n)
            && !files.iter().any(|(f, _)| f == n)
            && n != RUN_JSON
            && !n.starts_with("run.")
    });
    own
}

/// The run records to write beside this run's `run.json`, so that every command whose files
/// are in the folder keeps the record of the run that wrote them (docs/OUTPUTS.md, "How files
/// are written"); `records` are the folder's ([`OutputTarget::records`]):
/// - the folder's `run.json` of another command `X` (its files stay in the folder, carried
///   over) becomes `run.X.json`;
/// - this command's own `run.<command>.json`, left by an earlier run, is rewritten with this
///   run's record, so it never describes files that are gone.
///
/// A record kept under `run.X.json` lists itself under that name among its outputs
/// ([`renamed_record`]): `run.json` is then another run's record.
///
/// Example: `analyse`, then `report` into the same folder: `run.json` is the report's and
/// `run.analyse.json` the analysis's; `analyse` again: `run.json` and `run.analyse.json` are
/// the new analysis's and `run.report.json` the report's.
fn kept_records(
    files: &[(String, Vec<u8>)],
    records: &[(String, Option<Vec<u8>>)],
) -> Vec<(String, Vec<u8>)> {
    let Some((_, record)) = files.iter().find(|(n, _)| n == RUN_JSON) else {
        return Vec::new();
    };
    let Some(current) = command_of(record) else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    let earlier = records
        .iter()
        .find(|(n, _)| n == RUN_JSON)
        .and_then(|(_, b)| b.as_ref());
    if let Some((other, bytes)) = earlier
        .and_then(|b| command_of(b).map(|c| (c, b)))
        .filter(|(c, _)| *c != current)
    {
        let name = format!("run.{other}.json");
        let bytes = renamed_record(bytes, &name);
        kept.push((name, bytes));
    }
    let own = format!("run.{current}.json");
    if records.iter().any(|(n, _)| *n == own) {
        let bytes = renamed_record(record, &own);
        kept.push((own, bytes));
    }
    kept.retain(|(n, _)| !files.iter().any(|(f, _)| f == n));
    kept
}

/// A run record as kept under `name`: the entry `run.json` of its outputs, the record
/// itself, becomes `name`; everything else stays as written (the key order is kept).
///
/// Example: the analysis's record kept as `run.analyse.json` lists `…, "summary.json",
/// "run.analyse.json"` where it listed `…, "summary.json", "run.json"`.
fn renamed_record(record: &[u8], name: &str) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(record) else {
        return record.to_vec();
    };
    let Some(outputs) = v.get_mut("outputs").and_then(Value::as_array_mut) else {
        return record.to_vec();
    };
    for entry in outputs.iter_mut().filter(|e| e.as_str() == Some(RUN_JSON)) {
        *entry = Value::from(name);
    }
    write::json_bytes(&v)
}

/// The command a run record was written by, when it is a record of wijkbalans with a command
/// name of lowercase letters and `-` (a safe part of a file name).
/// The message of a [`outset::write_set`] that failed on `dir`: before the swap nothing
/// changed; after it ([`outset::AfterSwap`]) the new set is in place and a subfolder of the
/// user's may wait in the hidden folder, which the next run moves back.
fn write_failure(dir: &Path, e: &std::io::Error) -> Failure {
    match e
        .get_ref()
        .and_then(|r| r.downcast_ref::<outset::AfterSwap>())
    {
        Some(after) => Failure(format!(
            "{}: de nieuwe uitvoer staat er, maar de vorige is niet helemaal opgeruimd ({after}): \
             een eigen map die in de uitvoermap stond, staat mogelijk nog in {}; de volgende run \
             naar deze map zet haar terug, of verplaats haar zelf",
            dir.display(),
            after.hidden.display()
        )),
        None => Failure(format!(
            "{}: de uitvoer is niet te schrijven ({e}); kies een uitvoermap (--out) waar \
             geschreven mag worden; eerdere uitvoer daar is niet veranderd",
            dir.display()
        )),
    }
}

/// The plain file names a run record lists under `outputs` (a name with a path separator or
/// `..` is passed over).
fn outputs_of(record: &[u8]) -> Vec<String> {
    let Ok(v) = serde_json::from_slice::<Value>(record) else {
        return Vec::new();
    };
    v.get("outputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\']) && *n != "." && *n != "..")
        .map(str::to_string)
        .collect()
}

fn command_of(record: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(record).ok()?;
    let command = v.get("command")?.as_str()?;
    let safe = !command.is_empty() && command.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    (v.get("tool")?.as_str()? == "wijkbalans" && safe).then(|| command.to_string())
}

/// Geometries of a layer, shared between the layers that have the same ones (areas, LISA).
pub type Geometries = Arc<Vec<geo::Geometry<f64>>>;

/// A layer waiting to be written.
struct PendingLayer {
    name: String,
    table: Table,
    geometries: Geometries,
    styles: Vec<Style>,
}

/// A QGIS style of an output layer.
#[derive(Debug, Clone)]
pub struct Style {
    /// A short id, e.g. `signal_after`: the alternative's `.qml` file is
    /// `<layer>.<id>.qml` and its GeoPackage style `wijkbalans: <id>`. Not used for the default.
    pub id: String,
    /// The QML document.
    pub qml: String,
}

impl Style {
    /// A style with an id.
    pub fn new(id: &str, qml: String) -> Self {
        Style {
            id: id.to_string(),
            qml,
        }
    }

    /// The styles of a layer with at most one (its default).
    pub fn only(qml: Option<String>) -> Vec<Style> {
        qml.map(|qml| Style::new("", qml)).into_iter().collect()
    }
}

/// Collects a run's outputs.
pub struct Outputs<'a> {
    opts: &'a OutputOptions,
    crs: String,
    files: Vec<(String, Vec<u8>)>,
    layers: Vec<PendingLayer>,
    /// The command's own keys of `run.json`, in order.
    run_keys: Vec<(String, Value)>,
    /// Geometries already rendered in WGS84, with the compute-CRS geometries they came from:
    /// the areas, LISA and scenario layers share their polygons, and the transformation is
    /// the costliest part of writing them.
    rendered: Vec<(Geometries, Arc<Vec<geojson::Geometry>>)>,
}

impl<'a> Outputs<'a> {
    /// Start collecting outputs computed in `crs`.
    pub fn new(opts: &'a OutputOptions, crs: &str) -> Result<Self, Failure> {
        // Fail before any work when the compute CRS cannot be brought to WGS84.
        ToWgs84::new(crs)?;
        Ok(Outputs {
            opts,
            crs: crs.to_string(),
            files: Vec::new(),
            layers: Vec::new(),
            run_keys: Vec::new(),
            rendered: Vec::new(),
        })
    }

    /// The geometries in WGS84 as GeoJSON: from [`Outputs::rendered`] when an earlier layer had
    /// the same geometries, else transformed in parallel ([`render_in_chunks`]).
    fn render_wgs84(
        &mut self,
        geometries: &Geometries,
    ) -> Result<Arc<Vec<geojson::Geometry>>, Failure> {
        if let Some((_, gj)) = self
            .rendered
            .iter()
            .find(|(g, _)| Arc::ptr_eq(g, geometries) || g == geometries)
        {
            return Ok(Arc::clone(gj));
        }
        let chunk = geometries
            .len()
            .div_ceil(2 * rayon::current_num_threads())
            .max(64);
        let gj = Arc::new(render_in_chunks(&self.crs, geometries, chunk)?);
        self.rendered
            .push((Arc::clone(geometries), Arc::clone(&gj)));
        Ok(gj)
    }

    /// Add a layer: `<name>.geojson`, `<name>.csv`, and a GeoPackage layer, as the formats ask.
    /// Geometries are in the compute CRS; layers given the same [`Geometries`] (or equal ones)
    /// share their WGS84 rendering. Of the QGIS styles, the first is the default
    /// (`<name>.qml` next to the GeoJSON, which QGIS loads with it, and the default in the
    /// GeoPackage); every other one is written as `<name>.<id>.qml` and stored in the
    /// GeoPackage as an alternative.
    pub fn layer(
        &mut self,
        name: &str,
        table: Table,
        geometries: impl Into<Geometries>,
        styles: Vec<Style>,
    ) -> Result<(), Failure> {
        let geometries = geometries.into();
        if self.opts.geojson {
            let gj = self.render_wgs84(&geometries)?;
            self.geojson_file(name, write::geojson_bytes(&table, &gj), &styles);
        }
        if self.opts.csv {
            self.files.push((
                format!("{name}.csv"),
                write::csv_bytes_with(&table, self.opts.dialect),
            ));
        }
        if self.opts.gpkg {
            self.layers.push(PendingLayer {
                name: name.to_string(),
                table,
                geometries,
                styles,
            });
        }
        Ok(())
    }

    /// Start a layer whose rows arrive in blocks ([`LayerStream::push`]); add it with
    /// [`Outputs::finish_stream`]. The files are the ones [`Outputs::layer`] writes for all
    /// the rows at once, byte for byte.
    pub fn stream(&self, name: &str, columns: Vec<String>) -> LayerStream {
        LayerStream {
            name: name.to_string(),
            crs: self.crs.clone(),
            dialect: self.opts.dialect,
            geojson: self.opts.geojson.then(|| write::GEOJSON_OPEN.to_vec()),
            csv: self
                .opts
                .csv
                .then(|| write::csv_header(&columns, self.opts.dialect)),
            gpkg: self.opts.gpkg.then(|| (Vec::new(), Vec::new())),
            columns,
            features: 0,
        }
    }

    /// Add a streamed layer, with its QGIS styles as in [`Outputs::layer`].
    pub fn finish_stream(&mut self, stream: LayerStream, styles: Vec<Style>) {
        let name = stream.name;
        if let Some(mut bytes) = stream.geojson {
            bytes.extend_from_slice(write::GEOJSON_CLOSE);
            self.geojson_file(&name, bytes, &styles);
        }
        if let Some(csv) = stream.csv {
            self.files.push((format!("{name}.csv"), csv));
        }
        if let Some((rows, geometries)) = stream.gpkg {
            self.layers.push(PendingLayer {
                name,
                table: Table {
                    columns: stream.columns,
                    rows,
                },
                geometries: Arc::new(geometries),
                styles,
            });
        }
    }

    /// Add `<name>.geojson` and its QGIS styles: the first as `<name>.qml`, which QGIS loads
    /// with the layer, every other one as `<name>.<id>.qml`.
    fn geojson_file(&mut self, name: &str, bytes: Vec<u8>, styles: &[Style]) {
        self.files.push((format!("{name}.geojson"), bytes));
        for (k, style) in styles.iter().enumerate() {
            let file = if k == 0 {
                format!("{name}.qml")
            } else {
                format!("{name}.{}.qml", style.id)
            };
            self.files.push((file, style.qml.clone().into_bytes()));
        }
    }

    /// Add a file as it is (JSON, Markdown, HTML).
    pub fn file(&mut self, name: &str, bytes: Vec<u8>) {
        self.files.push((name.to_string(), bytes));
    }

    /// The names of everything that will be written (run.json included by the caller).
    pub fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = self.files.iter().map(|f| f.0.clone()).collect();
        if !self.layers.is_empty() {
            n.push(GPKG_NAME.to_string());
        }
        n
    }

    /// Add a key of the command's own to `run.json` (e.g. the scenario file it applied).
    pub fn run_key(&mut self, key: &str, value: Value) {
        self.run_keys.push((key.to_string(), value));
    }

    /// Add `run.json` and write everything into `dir` ([`Outputs::write`]). The run record is
    /// [`crate::report::run_record`] of `loaded` for `command`, listing every output, followed
    /// by the command's keys ([`Outputs::run_key`]) and the audience.
    pub fn write_with_run(
        mut self,
        dir: &OutputTarget,
        command: &str,
        loaded: &Loaded,
    ) -> Result<Vec<String>, Failure> {
        let mut names = self.names();
        names.push(RUN_JSON.to_string());
        let mut run = crate::report::run_record(command, loaded, &names)?;
        for (key, value) in std::mem::take(&mut self.run_keys) {
            run[key.as_str()] = value;
        }
        run["output"] = self.opts.audience();
        self.file(RUN_JSON, write::json_bytes(&run));
        let written = self.write(dir)?;
        dir.write_unmatched(&loaded.unmatched)?;
        Ok(written)
    }

    /// Render the GeoPackage (if any) and write everything into the claimed folder as one set
    /// ([`OutputTarget::write`]).
    pub fn write(mut self, dir: &OutputTarget) -> Result<Vec<String>, Failure> {
        if !self.layers.is_empty() {
            let target = dir.dir().join(GPKG_NAME);
            if target.exists() && !self.opts.overwrite {
                return Err(Failure(format!(
                    "{}: bestaat al; geef --overwrite om het te vervangen (er kunnen eigen lagen in staan)",
                    target.display()
                )));
            }
            let layers: Vec<GpkgLayer> = self
                .layers
                .iter()
                .map(|l| GpkgLayer {
                    name: &l.name,
                    table: &l.table,
                    geometries: &l.geometries,
                    styles: l
                        .styles
                        .iter()
                        .enumerate()
                        .map(|(k, s)| {
                            let name = if k == 0 {
                                "wijkbalans".to_string()
                            } else {
                                format!("wijkbalans: {}", s.id)
                            };
                            (name, s.qml.clone())
                        })
                        .collect(),
                })
                .collect();
            let bytes = gpkg_bytes(&layers, &self.crs).map_err(Failure)?;
            self.files.push((GPKG_NAME.to_string(), bytes));
        }
        let names: Vec<String> = self.files.iter().map(|f| f.0.clone()).collect();
        dir.write(self.files)?;
        Ok(names)
    }
}

/// The geometries of a layer in row order.
type GeometryList = Vec<geo::Geometry<f64>>;

/// A point layer written in blocks ([`Outputs::stream`]): each block is rendered to its
/// GeoJSON features and CSV records when it arrives, so the rows themselves are not kept
/// (except for a GeoPackage, which is written from the whole table at the end).
pub struct LayerStream {
    name: String,
    columns: Vec<String>,
    crs: String,
    dialect: CsvDialect,
    /// The collection's opening and the features so far, comma-separated.
    geojson: Option<Vec<u8>>,
    csv: Option<Vec<u8>>,
    /// With `gpkg`: the rows and their points so far.
    gpkg: Option<(Vec<Vec<Value>>, GeometryList)>,
    features: usize,
}

impl LayerStream {
    /// Add a block of rows with their points (compute CRS), in order.
    pub fn push(&mut self, rows: Vec<Vec<Value>>, points: &[[f64; 2]]) -> Result<(), Failure> {
        assert_eq!(rows.len(), points.len(), "one point per row");
        if rows.is_empty() {
            return Ok(());
        }
        let geometries: Vec<geo::Geometry<f64>> = points
            .iter()
            .map(|p| geo::Geometry::Point(geo::Point::new(p[0], p[1])))
            .collect();
        if let Some(bytes) = &mut self.geojson {
            let chunk = points
                .len()
                .div_ceil(2 * rayon::current_num_threads())
                .max(64);
            let gj = render_in_chunks(&self.crs, &geometries, chunk)?;
            if self.features > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(&write::geojson_features(&self.columns, &rows, &gj));
        }
        if let Some(bytes) = &mut self.csv {
            bytes.extend_from_slice(&write::csv_records(&rows, self.dialect));
        }
        self.features += rows.len();
        if let Some((all, geoms)) = &mut self.gpkg {
            all.extend(rows);
            geoms.extend(geometries);
        }
        Ok(())
    }
}

/// Render geometries in WGS84 as GeoJSON, `chunk` geometries per rayon task with one
/// transformation per task (a GDAL transformation must not be shared between threads). Each
/// point's result does not depend on the split, so the output is the same for any chunk size
/// and thread count (tested).
fn render_in_chunks(
    crs: &str,
    geometries: &[geo::Geometry<f64>],
    chunk: usize,
) -> Result<Vec<geojson::Geometry>, String> {
    use rayon::prelude::*;
    let parts = geometries
        .par_chunks(chunk.max(1))
        .map(|part| {
            let t = ToWgs84::new(crs)?;
            part.iter()
                .map(|g| match g {
                    geo::Geometry::Point(p) => t.point([p.x(), p.y()]),
                    geo::Geometry::MultiPolygon(mp) => t.multipolygon(mp),
                    geo::Geometry::Polygon(p) => {
                        t.multipolygon(&geo::MultiPolygon(vec![p.clone()]))
                    }
                    other => Err(format!(
                        "deze geometrie kan niet naar de uitvoer: {other:?}"
                    )),
                })
                .collect()
        })
        .collect::<Result<Vec<Vec<_>>, String>>()?;
    Ok(parts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_the_swap_says_the_new_set_is_written() {
        let dir = Path::new("out");
        let before = write_failure(dir, &std::io::Error::other("schijf vol"));
        assert!(
            before.0.ends_with("eerdere uitvoer daar is niet veranderd"),
            "{}",
            before.0
        );
        let after = std::io::Error::other(outset::AfterSwap {
            hidden: PathBuf::from(".out.wijkbalans-new-abc"),
            error: std::io::Error::from_raw_os_error(5),
        });
        let after = write_failure(dir, &after);
        assert!(
            after.0.starts_with("out: de nieuwe uitvoer staat er"),
            "{}",
            after.0
        );
        assert!(after.0.contains(".out.wijkbalans-new-abc"), "{}", after.0);
        assert!(!after.0.contains("niet veranderd"), "{}", after.0);
    }

    #[test]
    fn a_record_lists_only_plain_file_names_as_outputs() {
        let record = br#"{"outputs": ["areas.geojson", "../x", "sub/y", "", "..", "run.json"]}"#;
        assert_eq!(outputs_of(record), ["areas.geojson", "run.json"]);
        assert!(outputs_of(b"not json").is_empty());
    }

    #[test]
    fn wgs84_rendering_is_the_same_for_any_chunk_size() {
        let geometries: Vec<geo::Geometry<f64>> = (0..150)
            .map(|k| {
                let (x, y) = (150_000.0 + 37.5 * k as f64, 450_000.0 + 11.25 * k as f64);
                if k % 3 == 0 {
                    geo::Geometry::Point(geo::Point::new(x, y))
                } else {
                    geo::Geometry::Polygon(geo::Polygon::new(
                        vec![(x, y), (x + 80.0, y), (x + 80.0, y + 45.5), (x, y)].into(),
                        vec![],
                    ))
                }
            })
            .collect();
        let whole = render_in_chunks("EPSG:28992", &geometries, geometries.len()).unwrap();
        assert_eq!(whole.len(), 150);
        for chunk in [1, 7, 64] {
            assert_eq!(
                render_in_chunks("EPSG:28992", &geometries, chunk).unwrap(),
                whole
            );
        }
        // A point of Amersfoort's RD origin lands near 5.387° E, 52.155° N.
        let origin = render_in_chunks(
            "EPSG:28992",
            &[geo::Geometry::Point(geo::Point::new(155_000.0, 463_000.0))],
            1,
        )
        .unwrap();
        let geojson::GeometryValue::Point { coordinates } = &origin[0].value else {
            panic!("a point");
        };
        assert!((coordinates[0] - 5.387).abs() < 0.001 && (coordinates[1] - 52.155).abs() < 0.001);
    }

    #[test]
    fn formats_are_validated() {
        let mut a = OutputArgs {
            format: "geojson,gpkg".into(),
            overwrite: false,
            csv: CsvDialect::Standard,
        };
        assert!(OutputOptions::from_args(&a).is_ok());
        a.format = "geojson,shp".into();
        assert!(OutputOptions::from_args(&a).unwrap_err().0.contains("shp"));
    }
}
