//! Bad input: every way an input can be wrong ends the run with exit code 2 and one message that
//! names the file (and the layer, feature and field where they apply) with a fix, and nothing is
//! written.
//!
//! The corpus is data: `tests/bad_inputs/cases.toml` lists every case with its command line,
//! exit code and the fragments its message must hold, and [`every_bad_input_case`] runs them all
//! through the real binary, with a snapshot of each message in `tests/bad_inputs/snapshots/`.
//! The tests below it check what a message cannot show: what a run that is accepted (a repair,
//! a warning) writes, and that a failed run leaves an earlier output alone. The fixtures describe
//! a tiny town of three 1 km square wijken in RD New (WK099901–WK099903, x 200,000–203,000,
//! y 500,000–501,000) and a few care sites.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

const AREAS_OK: &str = "tests/bad_inputs/areas_ok.geojson";
const SITES_OK: &str = "tests/bad_inputs/sites_ok.geojson";
const DIR: &str = "tests/bad_inputs";

/// A fixture path relative to the repository root.
fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// Run `wijkbalans ARGS` in the repository root: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args(args)
        // The BAG index cache of the address cases stays out of the user's home.
        .env(
            "WIJKBALANS_CACHE",
            std::env::temp_dir().join("wijkbalans-bad-input-cache"),
        )
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exited, not killed by a signal"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fails unless `dir` does not exist or is empty.
fn assert_no_output(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        let names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.is_empty(),
            "{} holds {names:?} after a failed run",
            dir.display()
        );
    }
}

/// Fails unless every fragment occurs in `stderr`.
fn assert_mentions(stderr: &str, fragments: &[&str]) {
    for f in fragments {
        assert!(stderr.contains(f), "stderr lacks {f:?}:\n{stderr}");
    }
}

/// One `analyse` run into a fresh, not yet existing output directory.
struct Analysed {
    code: i32,
    stderr: String,
    out: PathBuf,
    _tmp: TempDir,
}

fn analyse(args: &[&str]) -> Analysed {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut all = vec!["analyse"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    let (code, _stdout, stderr) = run(&all);
    Analysed {
        code,
        stderr,
        out,
        _tmp: tmp,
    }
}

/// `analyse ARGS` must exit 2, print every fragment in one `wijkbalans: fout:` message and
/// write nothing. Returns stderr for further checks.
fn assert_rejected(args: &[&str], fragments: &[&str]) -> String {
    let r = analyse(args);
    assert_eq!(
        r.code, 2,
        "analyse {args:?} exited {}:\n{}",
        r.code, r.stderr
    );
    assert!(
        r.stderr.contains("wijkbalans: fout: "),
        "no error line:\n{}",
        r.stderr
    );
    assert_mentions(&r.stderr, fragments);
    assert_no_output(&r.out);
    r.stderr
}

/// `analyse ARGS` must exit 0; returns the run for inspecting its outputs.
fn assert_accepted(args: &[&str]) -> Analysed {
    let r = analyse(args);
    assert_eq!(
        r.code, 0,
        "analyse {args:?} exited {}:\n{}",
        r.code, r.stderr
    );
    r
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// `areas.csv` as code → (column → value).
fn areas_csv(out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(out.join("areas.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let row: BTreeMap<String, String> = headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (row["code"].clone(), row)
        })
        .collect()
}

/// Every file in `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// One case of `tests/bad_inputs/cases.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Name of the case and of its snapshot.
    name: String,
    /// The command line, with {dir}, {out} and {tmp}.
    args: Vec<String>,
    /// Expected exit code.
    #[serde(default = "bad_input_exit")]
    exit: i32,
    /// Fragments stderr must hold.
    stderr: Vec<String>,
    /// A file to build in {tmp} first.
    #[serde(default)]
    build: Option<String>,
}

fn bad_input_exit() -> i32 {
    2
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    case: Vec<Case>,
}

fn manifest() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture("cases.toml")).unwrap();
    toml::from_str::<Manifest>(&text).unwrap().case
}

/// Run one case; returns what is wrong with it (empty when it passes) and the normalised output
/// for its snapshot.
fn run_case(case: &Case) -> (Vec<String>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    match case.build.as_deref() {
        None => {}
        Some("two_layer_gpkg") => two_layer_gpkg(&tmp.path().join("wijkenbuurten.gpkg")),
        Some("gpkg_population_dot") => {
            gpkg_with_text_in_integer(&tmp.path().join("wijken.gpkg"), ".")
        }
        Some("gpkg_population_letter_o") => {
            gpkg_with_text_in_integer(&tmp.path().join("wijken.gpkg"), "2O00")
        }
        Some("large_config") => {
            // One byte more than wijkbalans reads (16 MiB), all of it a TOML comment.
            let mut text = vec![b'#'; 16 * 1024 * 1024];
            text.push(b'\n');
            std::fs::write(tmp.path().join("large.toml"), text).unwrap();
        }
        Some("fifo") => {
            let status = Command::new("mkfifo")
                .arg(tmp.path().join("pipe.geojson"))
                .status()
                .unwrap();
            assert!(status.success());
        }
        Some("shapefile_without_dbf") => {
            shapefile(tmp.path());
            std::fs::remove_file(tmp.path().join("wijken.dbf")).unwrap();
        }
        Some("damaged_gpkg") => damaged_gpkg(&tmp.path().join("wijken.gpkg")),
        Some("existing_notes") => {
            std::fs::write(tmp.path().join("notities.txt"), "mijn notities\n").unwrap();
        }
        Some("damaged_bag") => {
            let bag = tmp.path().join("bag.gpkg");
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bag/bag_amsterdam_1013.gpkg"),
                &bag,
            )
            .unwrap();
            damage_root_page(&bag, "verblijfsobjecten");
        }
        Some("damaged_dwellings_gpkg") => {
            let dwellings = tmp.path().join("woningen.gpkg");
            let status = Command::new("ogr2ogr")
                .args(["-f", "GPKG", "-nln", "woningen"])
                .arg(&dwellings)
                .arg("data/synthetic/zwolle_woningen_synthetisch.geojson")
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .expect("ogr2ogr runs (apt-get install gdal-bin)");
            assert!(status.success());
            damage_root_page(&dwellings, "woningen");
        }
        Some("shapefile_with_bad_prj") => {
            shapefile(tmp.path());
            std::fs::write(tmp.path().join("wijken.prj"), "geen CRS").unwrap();
        }
        Some(other) => panic!("{}: unknown build {other}", case.name),
    }
    let tmp_s = tmp.path().to_str().unwrap();
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| {
            a.replace("{dir}", DIR)
                .replace("{out}", out.to_str().unwrap())
                .replace("{tmp}", tmp_s)
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(&args);
    let normalise = |text: &str| text.replace(tmp_s, "[TMP]");
    let mut problems = Vec::new();
    if code != case.exit {
        problems.push(format!("exit code {code}, expected {}", case.exit));
    }
    for f in &case.stderr {
        if !stderr.contains(f.as_str()) {
            problems.push(format!("stderr lacks {f:?}"));
        }
    }
    let errors = stderr.matches("wijkbalans: fout: ").count();
    if case.exit == 2 {
        if errors != 1 || !stderr.starts_with("wijkbalans: fout: ") {
            problems.push(format!(
                "stderr is not one wijkbalans error ({errors} error lines)"
            ));
        }
        if let Ok(entries) = std::fs::read_dir(&out) {
            let names: Vec<String> = entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            if !names.is_empty() {
                problems.push(format!("the failed run wrote {names:?}"));
            }
        }
    } else if !out.join("summary.json").is_file() {
        problems.push("an accepted run wrote no summary.json".to_string());
    }
    let mut shown = format!(
        "$ wijkbalans {}\nexit code: {code}\n--- stderr\n{}",
        normalise(&case.args.join(" ")),
        normalise(&stderr)
    );
    if !stdout.is_empty() {
        shown.push_str(&format!("--- stdout\n{}", normalise(&stdout)));
    }
    (problems, shown)
}

/// Every case of the corpus, through the real binary: exit code, message fragments, nothing
/// written, and a snapshot of the whole message. All cases run; the failures are listed together.
#[test]
fn every_bad_input_case() {
    let cases = manifest();
    let mut names = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        assert!(names.insert(case.name.as_str()), "case {} twice", case.name);
        let (problems, shown) = run_case(case);
        for p in problems {
            failures.push(format!("{}: {p}\n{shown}", case.name));
        }
        let snapshot = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => "bad_inputs/snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(case.name.as_str(), shown);
            });
        });
        if snapshot.is_err() {
            failures.push(format!("{}: the snapshot differs", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Every fixture is used: by a case, by a test in this file or by another fixture (a config
/// naming its areas layer), so the corpus holds no dead files.
#[test]
fn every_fixture_is_used() {
    let mut used = std::fs::read_to_string(fixture("cases.toml")).unwrap();
    used.push_str(include_str!("bad_input.rs"));
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.file_name().unwrap() != "cases.toml" {
            if path.extension().is_some_and(|e| e == "toml") {
                used.push_str(&std::fs::read_to_string(&path).unwrap());
            }
            fixtures.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    let unused: Vec<&String> = fixtures
        .iter()
        .filter(|f| !used.contains(f.as_str()))
        .collect();
    assert!(unused.is_empty(), "unused fixtures: {unused:?}");
    assert!(fixtures.len() >= 60, "{} fixtures", fixtures.len());
}

// Accepted input: what the run writes.

/// `analyse --repair-geometry` on the areas fixture `name`: accepted, WK099902 listed as
/// repaired, and all three areas written.
fn assert_repaired(name: &str) {
    let r = assert_accepted(&["--areas", &fixture(name), "--repair-geometry"]);
    let summary = json(&r.out.join("summary.json"));
    assert_eq!(
        summary["diagnostics"]["repaired_polygons"],
        serde_json::json!(["WK099902"]),
        "{summary:#}"
    );
    assert_eq!(areas_csv(&r.out).len(), 3);
}

#[test]
fn self_intersecting_polygon_with_repair_geometry() {
    assert_repaired("areas_bowtie.geojson");
}

#[test]
fn unclosed_ring_with_repair_geometry() {
    assert_repaired("areas_unclosed_ring.geojson");
}

/// A GeoPackage in RD New with two polygon layers, `wijken` and `buurten`, each holding two
/// squares of the tiny town with a code and a population.
/// `areas_ok.geojson` as the Shapefile `dir/wijken.shp` (with `.dbf`, `.shx`, `.prj`), made
/// by `ogr2ogr` (gdal-bin, which `scripts/setup` installs).
fn shapefile(dir: &Path) {
    let status = Command::new("ogr2ogr")
        .args(["-f", "ESRI Shapefile"])
        .arg(dir.join("wijken.shp"))
        .arg(fixture("areas_ok.geojson"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::process::Stdio::null()) // its notes on shortened field names
        .status()
        .expect("ogr2ogr runs (apt-get install gdal-bin)");
    assert!(status.success());
}

/// `areas_ok.geojson` as a GeoPackage (layer `wijken`) whose table of features has its first
/// page overwritten: SQLite reports "database disk image is malformed" while the features are
/// read (GDAL itself opens the file and lists the layer).
fn damaged_gpkg(path: &Path) {
    let status = Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-nln", "wijken"])
        .arg(path)
        .arg(fixture("areas_ok.geojson"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("ogr2ogr runs (apt-get install gdal-bin)");
    assert!(status.success());
    damage_root_page(path, "wijken");
}

/// Overwrite the first page of `table`'s B-tree in the GeoPackage at `path` (4,096 bytes of
/// 0xde): SQLite then reports "database disk image is malformed" when the table is read.
fn damage_root_page(path: &Path, table: &str) {
    use gdal::vector::LayerAccess;
    let root_page = {
        let ds = gdal::Dataset::open(path).unwrap();
        let mut rows = ds
            .execute_sql(
                format!("SELECT rootpage FROM sqlite_master WHERE name = '{table}'"),
                None,
                gdal::vector::sql::Dialect::DEFAULT,
            )
            .unwrap()
            .unwrap();
        let f = rows.features().next().unwrap();
        f.field_as_integer(0).unwrap().unwrap() as usize
    };
    let mut bytes = std::fs::read(path).unwrap();
    let page = 4096 * (root_page - 1)..4096 * root_page;
    bytes[page].fill(0xde);
    std::fs::write(path, bytes).unwrap();
}

fn two_layer_gpkg(path: &Path) {
    use gdal::vector::{Feature, Geometry, LayerAccess, LayerOptions, OGRFieldType};

    let driver = gdal::DriverManager::get_driver_by_name("GPKG").unwrap();
    let mut ds = driver.create_vector_only(path).unwrap();
    let rd = gdal::spatial_ref::SpatialRef::from_epsg(28992).unwrap();
    for (name, prefix) in [("wijken", "WK0999"), ("buurten", "BU0999")] {
        let layer = ds
            .create_layer(LayerOptions {
                name,
                srs: Some(&rd),
                ty: gdal::vector::OGRwkbGeometryType::wkbPolygon,
                options: None,
            })
            .unwrap();
        layer
            .create_defn_fields(&[
                ("code", OGRFieldType::OFTString),
                ("population", OGRFieldType::OFTInteger),
            ])
            .unwrap();
        for (i, x) in [200_000, 201_000].into_iter().enumerate() {
            let wkt = format!(
                "POLYGON (({x} 500000, {e} 500000, {e} 501000, {x} 501000, {x} 500000))",
                e = x + 1000
            );
            let mut f = Feature::new(layer.defn()).unwrap();
            f.set_field_string(0, &format!("{prefix}{:02}", i + 1))
                .unwrap();
            f.set_field_integer(1, 1000 * (i as i32 + 2)).unwrap();
            f.set_geometry(Geometry::from_wkt(&wkt).unwrap()).unwrap();
            f.create(&layer).unwrap();
        }
    }
}

/// The wijken of [`two_layer_gpkg`] as one layer `wijken`, with `text` stored in the INTEGER
/// column `population` of WK099902 (SQLite keeps text a column's type cannot hold; GDAL read
/// it as 0).
fn gpkg_with_text_in_integer(path: &Path, text: &str) {
    two_layer_gpkg(path);
    let ds = gdal::Dataset::open_ex(
        path,
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_UPDATE | gdal::GdalOpenFlags::GDAL_OF_VECTOR,
            ..Default::default()
        },
    )
    .unwrap();
    for sql in [
        "DROP TABLE buurten".to_string(),
        format!("UPDATE wijken SET population = '{text}' WHERE code = 'WK099902'"),
    ] {
        ds.execute_sql(sql, None, gdal::vector::sql::Dialect::DEFAULT)
            .unwrap();
    }
}

#[test]
fn the_suggested_fixes_work() {
    // --areas-layer for a GeoPackage with several layers.
    let tmp = tempfile::tempdir().unwrap();
    let gpkg = tmp.path().join("wijkenbuurten.gpkg");
    two_layer_gpkg(&gpkg);
    let r = assert_accepted(&["--areas", gpkg.to_str().unwrap(), "--areas-layer", "wijken"]);
    let codes: Vec<String> = areas_csv(&r.out).into_keys().collect();
    assert_eq!(codes, ["WK099901", "WK099902"]);
    // [columns] population = "populatoin" for a misspelt column.
    assert_accepted(&["--config", &fixture("config_populatoin.toml")]);
}

#[test]
fn csv_sites_with_sites_crs() {
    let r = assert_accepted(&[
        "--areas",
        AREAS_OK,
        "--sites",
        &fixture("sites_xy.csv"),
        "--sites-crs",
        "EPSG:28992",
    ]);
    let summary = json(&r.out.join("summary.json"));
    assert_eq!(summary["diagnostics"]["sites"]["input"], 2, "{summary:#}");
    assert_eq!(summary["diagnostics"]["sites"]["outside"], 0, "{summary:#}");
}

#[test]
fn site_outside_every_area_warns() {
    let r = assert_accepted(&[
        "--areas",
        AREAS_OK,
        "--sites",
        &fixture("sites_outside.geojson"),
    ]);
    assert_mentions(
        &r.stderr,
        &[
            "wijkbalans: waarschuwing: ",
            "1 punt ligt buiten elk gebied",
        ],
    );
    let summary = json(&r.out.join("summary.json"));
    let outside = &summary["diagnostics"]["sites_outside"];
    assert_eq!(outside.as_array().map(Vec::len), Some(1), "{summary:#}");
    assert_eq!(outside[0]["feature"], 3);
    assert_eq!(outside[0]["name"], "Buitenhof");
    assert_eq!(outside[0]["nearest_area"], "WK099903");
    // (205000, 500500) is 2 km east of WK099903's eastern edge at x = 203000.
    assert_eq!(outside[0]["distance_m"].as_f64(), Some(2000.0));
}

#[test]
fn site_outside_every_area_with_strict() {
    let r = analyse(&[
        "--areas",
        AREAS_OK,
        "--sites",
        &fixture("sites_outside.geojson"),
        "--strict",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_mentions(&r.stderr, &["1 punt ligt buiten elk gebied"]);
    // The outputs are complete, so the user can see which site it is.
    let summary = json(&r.out.join("summary.json"));
    assert_eq!(
        summary["diagnostics"]["sites_outside"][0]["nearest_area"],
        "WK099903"
    );
}

#[test]
fn cbs_suppression_markers_are_missing_values() {
    // WK099901 has `.` for dwelling_ownership (DK1), WK099902 null for income_low (DL2),
    // WK099903 −99999999 for employment_rate (DK3).
    let r = assert_accepted(&["--areas", &fixture("areas_suppressed.geojson")]);
    let rows = areas_csv(&r.out);
    for (code, indicator, column) in [
        ("WK099901", "DK1", "dk1_value"),
        ("WK099902", "DL2", "dl2_value"),
        ("WK099903", "DK3", "dk3_value"),
    ] {
        let row = &rows[code];
        let missing: Vec<&str> = row["missing_indicators"].split(',').collect();
        assert!(missing.contains(&indicator), "{code}: {row:?}");
        assert_eq!(row[column], "", "{code}: {row:?}");
    }
    // The markers never become numbers: the other areas keep their real values.
    assert_eq!(rows["WK099902"]["dk1_value"], "60");
    assert_eq!(rows["WK099901"]["dk3_value"], "66");
}

// Areas with 0 inhabitants: rates per inhabitant are undefined, never a division by zero.

#[test]
fn an_area_with_0_inhabitants_gets_no_rates_and_a_warning() {
    // WK099903 has 0 inhabitants and 0 dwellings; Oosterhof (24 units) lies in it.
    let r = assert_accepted(&[
        "--areas",
        &fixture("areas_zero_population.geojson"),
        "--sites",
        SITES_OK,
    ]);
    assert_mentions(
        &r.stderr,
        &[
            "wijkbalans: waarschuwing: 1 gebied(en) met 0 inwoners (WK099903)",
            "er wordt nooit door nul gedeeld",
            "hun signaal is onbekend",
        ],
    );
    let summary = json(&r.out.join("summary.json"));
    assert_eq!(
        summary["diagnostics"]["zero_population_areas"],
        serde_json::json!(["WK099903"])
    );
    let rows = areas_csv(&r.out);
    let row = &rows["WK099903"];
    assert_eq!(row["care_units"], "24");
    assert_eq!(row["care_units_per_1000"], "", "{row:?}");
    assert!(
        row["missing_indicators"].split(',').any(|m| m == "DL7"),
        "{row:?}"
    );
    assert_ne!(rows["WK099901"]["care_units_per_1000"], "");
    // No inhabitants, no balance: the signal is unknown, not a class scored on what is left.
    assert_eq!(
        (
            row["signal"].as_str(),
            row["saldo"].as_str(),
            row["typology"].as_str()
        ),
        ("onbekend", "", ""),
        "{row:?}"
    );
    // No NaN or infinity reaches any output.
    for entry in std::fs::read_dir(&r.out).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for token in ["NaN", "Infinity", "inf,", "nan,"] {
            assert!(!text.contains(token), "{} holds {token}", path.display());
        }
    }
}

// Nothing written, nothing fetched.

/// A GeoJSON whose `crs` links to a URL on this machine: the run fails with a message and the
/// address is never contacted.
#[test]
fn a_crs_link_is_never_fetched() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/rd_new.wkt", listener.local_addr().unwrap());
    let text = std::fs::read_to_string(fixture("areas_crs_link.geojson"))
        .unwrap()
        .replace("http://127.0.0.1:9/rd_new.wkt", &url);
    assert!(text.contains(&url));
    let tmp = tempfile::tempdir().unwrap();
    let areas = tmp.path().join("areas.geojson");
    std::fs::write(&areas, text).unwrap();
    let stderr = assert_rejected(
        &["--areas", areas.to_str().unwrap()],
        &[&format!(
            "het bestand verwijst naar {url}, en dat wordt niet opgehaald"
        )],
    );
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the URL was contacted: {other:?}\n{stderr}"),
    }
}

// A failed run never touches an earlier good output.

#[test]
fn previous_good_output_is_left_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_s = out.to_str().unwrap();
    let (code, _, stderr) = run(&[
        "analyse", "--areas", AREAS_OK, "--sites", SITES_OK, "--out", out_s,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let before = snapshot(&out);
    assert!(before.contains_key("summary.json"), "{:?}", before.keys());

    for bad in [
        vec!["--areas", "tests/bad_inputs/areas_bowtie.geojson"],
        vec![
            "--areas",
            AREAS_OK,
            "--sites",
            "tests/bad_inputs/sites_units_zero.geojson",
        ],
        vec!["--config", "tests/bad_inputs/config_thresholds_order.toml"],
    ] {
        let mut args = vec!["analyse"];
        args.extend(bad.iter().copied());
        args.extend(["--out", out_s]);
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        let after = snapshot(&out);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "{args:?} changed the file list"
        );
        assert!(after == before, "{args:?} changed an output file");
    }
}

// Issue 19: numbers mean what the file says; input fields never take a tool column's place.

/// CBS's markers `n.v.t.`, `-99997` and `x` are suppressed values, never 0: the indicator has
/// no value in that area, the area lists it as missing, and an area without a draaglast
/// indicator gets no saldo and the signal `onbekend`.
#[test]
fn cbs_markers_in_text_and_statline_codes_are_suppressed_not_zero() {
    let r = assert_accepted(&["--areas", &fixture("areas_cbs_markers.geojson")]);
    let areas = areas_csv(&r.out);
    let (w1, w2, w3) = (&areas["WK099901"], &areas["WK099902"], &areas["WK099903"]);
    assert_eq!(w1["dk1_value"], "", "n.v.t. is suppressed: {w1:?}");
    assert_eq!(w1["missing_indicators"], "DK1");
    assert_eq!(w2["dl2_value"], "", "-99997 is suppressed: {w2:?}");
    assert_eq!(w2["saldo"], "");
    assert_eq!(w2["signal"], "onbekend");
    assert_eq!(w3["dk3_value"], "", "x is suppressed: {w3:?}");
    let summary = json(&r.out.join("summary.json"));
    for used in summary["indicators"]["used"].as_array().unwrap() {
        if ["DK1", "DL2", "DK3"].contains(&used["id"].as_str().unwrap()) {
            assert_eq!(used["areas_suppressed"], 1, "{used:#}");
        }
    }
}

/// 2^63 − 1 and 2^63 in a GeoJSON integer: GDAL clamps integers beyond the 64-bit range to
/// INT64_MAX with a warning for the whole file; the run stops naming the feature and field,
/// and GDAL's own warning is not printed before it (one message), also for a field the run
/// does not use as a number.
#[test]
fn population_of_2_to_the_63_is_refused() {
    for (file, at) in [
        (
            "areas_population_2_to_the_63.geojson",
            "object 1, veld 'population'",
        ),
        (
            "areas_population_beyond_2_to_the_63.geojson",
            "object 1, veld 'population'",
        ),
        (
            "areas_field_beyond_int64.geojson",
            "object 2, veld 'bag_id'",
        ),
    ] {
        let stderr = assert_rejected(
            &["--areas", &fixture(file)],
            &[
                at,
                "het gehele getal ligt op of voorbij de 64-bitsgrens 9223372036854775807",
            ],
        );
        assert_eq!(stderr.lines().count(), 1, "one message:\n{stderr}");
        assert!(!stderr.contains("INT64"), "GDAL's warning:\n{stderr}");
    }
}

/// A sites layer with properties named like the tool's own columns (`area_code`, `wb_units`,
/// `location`, `nn_any_m`, `Area_Name` in another case, and an `in_` name) gets them as `in_…`:
/// no key twice in `sites.geojson`, no column twice in `sites.csv`, and the GeoPackage is
/// written (its column names ignore case); the tool's columns hold the tool's values.
#[test]
fn input_fields_never_collide_with_output_fields() {
    let r = assert_accepted(&[
        "--areas",
        AREAS_OK,
        "--sites",
        &fixture("sites_colliding_fields.geojson"),
        "--format",
        "geojson,csv,gpkg",
    ]);
    let text = std::fs::read_to_string(r.out.join("sites.geojson")).unwrap();
    assert_eq!(text.matches("\"area_code\":").count(), 3, "one per site");
    let sites = json(&r.out.join("sites.geojson"));
    let p = &sites["features"][0]["properties"];
    assert_eq!(p["area_code"], "WK099901", "{p:#}");
    assert_eq!(p["in_area_code"], "NEP");
    assert_eq!(p["wb_units"], 12);
    assert_eq!(p["in_wb_units"], 999);
    assert_eq!(p["location"], "inside");
    assert_eq!(p["in_location"], "fake");
    assert_eq!(p["in_nn_any_m"], 1);
    assert_eq!(p["in_Area_Name"], "x");
    assert_eq!(p["in_in_note"], "mine");
    let mut csv = csv::Reader::from_path(r.out.join("sites.csv")).unwrap();
    let headers: Vec<String> = csv
        .headers()
        .unwrap()
        .iter()
        .map(str::to_lowercase)
        .collect();
    let unique: std::collections::BTreeSet<&String> = headers.iter().collect();
    assert_eq!(unique.len(), headers.len(), "{headers:?}");
    assert!(r.out.join("wijkbalans.gpkg").is_file());
}

/// Codes in a level mapping are compared without case, surrounding space and invisible
/// characters, with the areas' codes cleaned the same way: every area gets its gebied and
/// nothing is warned.
#[test]
fn level_codes_match_without_case_or_invisible_characters() {
    let r = assert_accepted(&[
        "--areas",
        &fixture("areas_lower_case_codes.geojson"),
        "--level",
        &fixture("levels_lower_case.csv"),
    ]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let areas = areas_csv(&r.out);
    let gebied: Vec<(&str, &str)> = areas
        .iter()
        .map(|(code, row)| (code.as_str(), row["gebied_code"].as_str()))
        .collect();
    assert_eq!(
        gebied,
        [
            ("WK099901", "Binnen"),
            ("WK099903", "Buiten"),
            ("wk099902", "Buiten")
        ]
    );
}
