//! Bad input: every way an input can be wrong ends the run with exit code 2 and one message that
//! names the file (and the layer, feature and field where they apply) with a fix, and nothing is
//! written. The fixtures in `tests/bad_inputs/` describe a tiny town of three 1 km square wijken
//! in RD New (WK099901–WK099903, x 200,000–203,000, y 500,000–501,000) and a few care sites.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

const AREAS_OK: &str = "tests/bad_inputs/areas_ok.geojson";
const SITES_OK: &str = "tests/bad_inputs/sites_ok.geojson";

/// A fixture path relative to the repository root.
fn fixture(name: &str) -> String {
    format!("tests/bad_inputs/{name}")
}

/// Run `wijkbalans ARGS` in the repository root: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args(args)
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

/// `analyse ARGS` must exit 2, print every fragment in one `wijkbalans: error:` message and
/// write nothing. Returns stderr for further checks.
fn assert_rejected(args: &[&str], fragments: &[&str]) -> String {
    let r = analyse(args);
    assert_eq!(
        r.code, 2,
        "analyse {args:?} exited {}:\n{}",
        r.code, r.stderr
    );
    assert!(
        r.stderr.contains("wijkbalans: error: "),
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

// 1–4: the file itself.

#[test]
fn missing_file() {
    assert_rejected(
        &["--areas", &fixture("nosuch.geojson")],
        &["nosuch.geojson", "file not found", "--areas"],
    );
    assert_rejected(
        &["--areas", AREAS_OK, "--sites", &fixture("nosuch.gpkg")],
        &["nosuch.gpkg", "file not found", "--sites"],
    );
}

#[test]
fn directory_instead_of_file() {
    assert_rejected(
        &["--areas", "tests/bad_inputs"],
        &["tests/bad_inputs: ", "is a directory", "--areas"],
    );
    assert_rejected(
        &["--areas", AREAS_OK, "--sites", "tests/bad_inputs"],
        &["tests/bad_inputs: ", "is a directory", "--sites"],
    );
}

#[test]
fn zero_byte_file() {
    assert_rejected(
        &["--areas", &fixture("empty.geojson")],
        &["empty.geojson", "empty (0 bytes)", "export the layer again"],
    );
}

#[test]
fn broken_json() {
    assert_rejected(
        &["--areas", &fixture("broken.geojson")],
        &[
            "broken.geojson: ",
            "the JSON stops in the middle at line 2, column 169: the file is cut off",
            "export the layer again",
        ],
    );
}

// 5–8: the areas layer.

#[test]
fn areas_layer_of_points() {
    assert_rejected(
        &["--areas", &fixture("areas_points.geojson")],
        &[
            "areas_points.geojson, layer 'wijken', feature 0: ",
            "Point, not a polygon",
            "(multi)polygons",
        ],
    );
}

#[test]
fn self_intersecting_polygon() {
    assert_rejected(
        &["--areas", &fixture("areas_bowtie.geojson")],
        &[
            "areas_bowtie.geojson, layer 'wijken', feature 1: ",
            "invalid polygon",
            "self-intersection",
            "--repair-geometry",
        ],
    );
}

#[test]
fn self_intersecting_polygon_with_repair_geometry() {
    let r = assert_accepted(&[
        "--areas",
        &fixture("areas_bowtie.geojson"),
        "--repair-geometry",
    ]);
    let summary = json(&r.out.join("summary.json"));
    assert_eq!(
        summary["diagnostics"]["repaired_polygons"],
        serde_json::json!(["WK099902"]),
        "{summary:#}"
    );
    assert_eq!(areas_csv(&r.out).len(), 3);
}

#[test]
fn duplicate_area_codes() {
    assert_rejected(
        &["--areas", &fixture("areas_duplicate_code.geojson")],
        &[
            "areas_duplicate_code.geojson, layer 'wijken'",
            "field 'code'",
            "WK099901 occurs twice (features 0 and 2)",
            "must be unique",
        ],
    );
}

#[test]
fn missing_population_column_suggests_the_similar_one() {
    assert_rejected(
        &["--areas", &fixture("areas_populatoin.geojson")],
        &[
            "areas_populatoin.geojson, layer 'wijken'",
            "no column for population",
            "did you mean 'populatoin'?",
            "[columns] population",
        ],
    );
    // The suggested fix works.
    assert_accepted(&["--config", &fixture("config_populatoin.toml")]);
}

#[test]

fn list_value_in_a_number_column_names_its_own_feature() {
    // Only feature 1 holds a list ([5000, 120]); feature 0's population is a plain 3000.
    let stderr = assert_rejected(
        &["--areas", &fixture("areas_population_list.geojson")],
        &["areas_population_list.geojson, layer 'wijken', feature 1, field 'population': "],
    );
    assert!(!stderr.contains("ListValue"), "{stderr}");
}

// 9–11: the sites layer.

#[test]
fn non_positive_units() {
    assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            &fixture("sites_units_zero.geojson"),
        ],
        &[
            "sites_units_zero.geojson, layer 'zorglocaties', feature 1, field 'units': ",
            "units must be > 0, got 0",
            "give the number of places or homes",
        ],
    );
}

#[test]
fn unknown_target_group() {
    let stderr = assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            &fixture("sites_unknown_group.geojson"),
        ],
        &[
            "sites_unknown_group.geojson, layer 'zorglocaties', feature 2, field 'target_group': ",
            "unknown target group 'senioren'",
            "[[target_group]]",
        ],
    );
    assert_mentions(
        &stderr,
        &[
            "beschermd_wonen",
            "beschermd_thuis",
            "maatschappelijke_opvang",
            "jongeren",
            "vg_lvb",
            "ouderen_geclusterd",
            "ouderen_zorggeschikt",
            "housing_first",
            "statushouders",
            "overig",
        ],
    );
}

#[test]
fn unknown_status() {
    assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            &fixture("sites_unknown_status.geojson"),
        ],
        &[
            "sites_unknown_status.geojson, layer 'zorglocaties', feature 0, field 'status': ",
            "unknown status 'gesloten'",
            "existing, planned or proposed",
        ],
    );
}

// 12–14: coordinates, CRS and empty layers.

#[test]
fn lon_lat_in_a_file_declaring_rd_new() {
    assert_rejected(
        &["--areas", &fixture("areas_lonlat_declared_rd.geojson")],
        &[
            "areas_lonlat_declared_rd.geojson, layer 'wijken', feature 0: ",
            "look like lon/lat degrees",
            "EPSG:28992",
            "declare EPSG:4326",
        ],
    );
}

#[test]
fn rd_coordinates_in_a_geojson_without_crs() {
    assert_rejected(
        &["--areas", &fixture("areas_rd_no_crs.geojson")],
        &[
            "areas_rd_no_crs.geojson, layer 'wijken', feature 0: ",
            "are not degrees",
            "EPSG:4326",
            "crs member with EPSG:28992",
        ],
    );
}

#[test]
fn empty_layer() {
    assert_rejected(
        &["--areas", &fixture("areas_empty_layer.geojson")],
        &[
            "areas_empty_layer.geojson, layer 'wijken': ",
            "the layer has no features",
        ],
    );
}

// 15: a GeoPackage with several layers.

/// A GeoPackage in RD New with two polygon layers, `wijken` and `buurten`, each holding two
/// squares of the tiny town with a code and a population.
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

#[test]
fn geopackage_with_several_layers_and_none_chosen() {
    let tmp = tempfile::tempdir().unwrap();
    let gpkg = tmp.path().join("wijkenbuurten.gpkg");
    two_layer_gpkg(&gpkg);
    let gpkg = gpkg.to_str().unwrap();

    assert_rejected(
        &["--areas", gpkg],
        &[
            "wijkenbuurten.gpkg: ",
            "2 layers",
            "wijken",
            "buurten",
            "--areas-layer",
        ],
    );
    assert_rejected(
        &["--areas", gpkg, "--areas-layer", "nosuch"],
        &[
            "wijkenbuurten.gpkg: ",
            "no layer 'nosuch'",
            "wijken",
            "buurten",
            "--areas-layer",
        ],
    );
    assert_rejected(
        &["--areas", AREAS_OK, "--sites", gpkg],
        &["wijkenbuurten.gpkg: ", "wijken", "buurten", "--sites-layer"],
    );
    // The suggested fix works.
    let r = assert_accepted(&["--areas", gpkg, "--areas-layer", "wijken"]);
    let codes: Vec<String> = areas_csv(&r.out).into_keys().collect();
    assert_eq!(codes, ["WK099901", "WK099902"]);
}

// 16: CSV sites.

#[test]
fn csv_sites_without_coordinate_columns() {
    assert_rejected(
        &["--areas", AREAS_OK, "--sites", &fixture("sites_no_xy.csv")],
        &[
            "sites_no_xy.csv, layer 'sites_no_xy': ",
            "no coordinate columns",
            "x and y",
        ],
    );
}

#[test]
fn csv_sites_without_sites_crs() {
    assert_rejected(
        &["--areas", AREAS_OK, "--sites", &fixture("sites_xy.csv")],
        &[
            "sites_xy.csv, layer 'sites_xy': ",
            "declares no CRS",
            "pass --sites-crs EPSG:28992",
        ],
    );
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

// 17: values out of range.

#[test]
fn percentage_above_100() {
    assert_rejected(
        &["--areas", &fixture("areas_pct_over_100.geojson")],
        &[
            "areas_pct_over_100.geojson, layer 'wijken', feature 1, field 'dwelling_ownership': ",
            "[0, 100], got 120",
            "fix the value",
        ],
    );
}

#[test]
fn negative_count() {
    assert_rejected(
        &["--areas", &fixture("areas_negative_count.geojson")],
        &[
            "areas_negative_count.geojson, layer 'wijken', feature 2, field 'dwelling_total': ",
            "cannot be negative (-5)",
            "fix the value",
        ],
    );
}

// 18–19: impossible coordinates.

#[test]
fn nan_coordinate() {
    // GDAL's GeoJSON reader accepts the token NaN and turns such a point into an empty one.
    assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            &fixture("sites_nan.geojson"),
        ],
        &[
            "sites_nan.geojson, layer 'zorglocaties', feature 1: ",
            "the geometry is empty",
        ],
    );
}

#[test]
fn infinite_coordinate() {
    // 1e999 overflows to +inf when GDAL parses it.
    assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            &fixture("sites_inf.geojson"),
        ],
        &[
            "sites_inf.geojson, layer 'zorglocaties', feature 1: ",
            "NaN or infinite",
        ],
    );
}

#[test]
fn rd_coordinates_far_outside_the_netherlands() {
    assert_rejected(
        &["--areas", &fixture("areas_far_away.geojson")],
        &[
            "areas_far_away.geojson, layer 'wijken', feature 1: ",
            "far outside the Netherlands",
            "check the CRS",
        ],
    );
}

// 20: configuration.

#[test]
fn config_with_an_unknown_key() {
    assert_rejected(
        &["--config", &fixture("config_unknown_key.toml")],
        &[
            "config_unknown_key.toml: ",
            "line 2",
            "repair_geometrie",
            "repair_geometry",
        ],
    );
}

#[test]
fn config_with_thresholds_in_the_wrong_order() {
    assert_rejected(
        &["--config", &fixture("config_thresholds_order.toml")],
        &["rood < oranje < ruimte", "rood = -0.5", "oranje = -1"],
    );
}

#[test]
fn config_with_a_negative_target_group_weight() {
    assert_rejected(
        &["--config", &fixture("config_negative_weight.toml")],
        &["target group 'jongeren'", "-0.5", "weights must be ≥ 0"],
    );
}

#[test]

fn config_validation_errors_name_the_config_file() {
    for name in [
        "config_thresholds_order.toml",
        "config_negative_weight.toml",
    ] {
        assert_rejected(&["--config", &fixture(name)], &[&fixture(name)]);
    }
}

// 21: remote paths.

#[test]
fn remote_paths_are_refused_without_network() {
    for url in [
        "/vsicurl/http://example.com/a.geojson",
        "http://example.com/a.geojson",
    ] {
        assert_rejected(
            &["--areas", url],
            &[
                &format!("{url}: "),
                "never opens a network connection",
                "download the file first",
            ],
        );
    }
    assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            "https://example.com/sites.gpkg",
        ],
        &[
            "https://example.com/sites.gpkg: ",
            "never opens a network connection",
        ],
    );
}

// 22: points outside every area.

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
        &["wijkbalans: warning: ", "1 point(s) lie outside every area"],
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
    assert_mentions(&r.stderr, &["1 point(s) lie outside every area"]);
    // The outputs are complete, so the user can see which site it is.
    let summary = json(&r.out.join("summary.json"));
    assert_eq!(
        summary["diagnostics"]["sites_outside"][0]["nearest_area"],
        "WK099903"
    );
}

// 23: CBS suppression markers.

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
            "wijkbalans: warning: 1 area(s) have 0 inhabitants (WK099903)",
            "never divided by zero",
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
    // No NaN or infinity reaches any output.
    for entry in std::fs::read_dir(&r.out).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for token in ["NaN", "Infinity", "inf,", "nan,"] {
            assert!(!text.contains(token), "{} holds {token}", path.display());
        }
    }
}

#[test]
fn a_site_year_that_is_not_a_year_gives_its_fix_once() {
    let stderr = assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--sites",
            &fixture("sites_year_text.geojson"),
        ],
        &[
            "sites_year_text.geojson, layer 'zorglocaties', feature 1, field 'year': ",
            "year \"volgend jaar\" is not usable: not a number; give the year as four digits",
        ],
    );
    assert_eq!(stderr.matches("four-digit").count(), 0, "{stderr}");
}

#[test]
fn test_site_at_in_degrees_names_the_at_crs_flag() {
    let (code, _, stderr) = run(&[
        "test-site",
        "--areas",
        AREAS_OK,
        "--at",
        "6.1,52.5",
        "--units",
        "5",
        "--group",
        "jongeren",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert_mentions(
        &stderr,
        &[
            "--at: (6.1, 52.5) look like lon/lat degrees",
            "give --at-crs EPSG:4326",
        ],
    );
}

// 24: level mappings.

#[test]
fn level_mapping_with_a_duplicated_code() {
    assert_rejected(
        &[
            "--areas",
            AREAS_OK,
            "--level",
            &fixture("levels_duplicate.csv"),
        ],
        &[
            "levels_duplicate.csv: ",
            "row 4",
            "WK099901 is mapped twice",
            "map every area once",
        ],
    );
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
