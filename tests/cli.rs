//! `wijkbalans analyse` and `synth` end to end on the shipped real data and on tiny_town, and
//! the command line itself in Dutch: the help of every command and clap's parse errors.

use std::collections::BTreeMap;

use crate::common::{
    argv, assert_files, assert_mentions, assert_same_files, csv_rows, items, json, ok, ok_fresh,
    out_dir, outputs_for_threads, refused, refused_fresh, s, wijkbalans, write, Fresh, TINY_AREAS,
    TINY_SITES,
};

fn by_code(rows: Vec<BTreeMap<String, String>>) -> BTreeMap<String, BTreeMap<String, String>> {
    rows.into_iter().map(|r| (r["code"].clone(), r)).collect()
}

fn f(v: &str) -> f64 {
    v.parse().unwrap_or_else(|_| panic!("not a number: {v:?}"))
}

#[test]
fn no_arguments_runs_on_the_shipped_zwolle_data() {
    // The shipped defaults with only --out changed.
    let out = ok_fresh("analyse");
    let r = &out.run;
    assert!(
        r.stdout.contains("16 gebieden, 130.665 inwoners"),
        "{}",
        r.stdout
    );
    assert_files(
        &out,
        &[
            "areas.geojson",
            "areas.csv",
            "sites.geojson",
            "summary.json",
            "run.json",
        ],
    );
    let summary = json(&out.join("summary.json"));
    // CBS kerncijfers 2022: Zwolle's 16 wijken sum to 130,665 inhabitants and 60,228 dwellings.
    assert_eq!(summary["study"]["areas"], 16);
    assert_eq!(summary["study"]["population"], 130665);
    assert_eq!(summary["study"]["dwellings"], 60228);
    // One synthetic point per CBS dwelling, all inside Zwolle.
    assert_eq!(summary["study"]["dwelling_points"], 60228);
    assert_eq!(summary["diagnostics"]["dwellings"]["outside"], 0);
    // Illustrative sites: 19 in all, 15 existing (counted) with 457 units, 40 planned.
    assert_eq!(summary["diagnostics"]["sites"]["input"], 19);
    assert_eq!(summary["study"]["care_units"], 457);
    assert_eq!(summary["study"]["care_units_planned"], 40);
    let used: Vec<&str> = items(&summary["indicators"]["used"])
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(used, ["DL2", "DL7", "DK1", "DK2", "DK3"]);
    let skipped = summary["indicators"]["skipped"].as_array().unwrap();
    assert!(skipped
        .iter()
        .all(|i| !i["reason"].as_str().unwrap().is_empty()));
    // Traceability: DL2 names the column it was read from and the year.
    let dl2 = &summary["indicators"]["used"][0];
    assert_eq!(dl2["columns"]["pct_low_income_persons"], "income_low");
    assert_eq!(dl2["source_year"], 2022);

    let rows = by_code(csv_rows(&out.join("areas.csv")));
    assert_eq!(rows.len(), 16);
    let pop: f64 = rows.values().map(|r| f(&r["population"])).sum();
    assert_eq!(pop, 130665.0);
    for r in rows.values() {
        let saldo = f(&r["saldo"]);
        let dk = f(&r["draagkracht"]);
        let dl = f(&r["draaglast"]);
        assert!((saldo - (dk - dl)).abs() < 2e-6, "{}", r["code"]);
        assert_eq!(
            f(&r["dwelling_points"]),
            f(&r["dwellings"]),
            "{}",
            r["code"]
        );
    }
    // The per-area care units add up to the study total.
    let units: f64 = rows.values().map(|r| f(&r["care_units"])).sum();
    assert_eq!(units, 457.0);
    // Synthetic facilities: 250 in five types, all inside Zwolle; accessibility per wijk.
    assert_eq!(summary["diagnostics"]["facilities"]["assigned"], 250);
    let facilities: f64 = rows.values().map(|r| f(&r["facilities_supermarkt"])).sum();
    assert_eq!(facilities, 50.0);
    // The facilities layer: each facility in input order, with its category and wijk; the
    // wijken counted there agree with facilities_<type> per wijk.
    let placed = csv_rows(&out.join("facilities.csv"));
    assert_eq!(placed.len(), 250);
    for r in rows.values() {
        let here = placed
            .iter()
            .filter(|p| p["area_code"] == r["code"] && p["wb_type"] == "supermarkt")
            .count();
        assert_eq!(here as f64, f(&r["facilities_supermarkt"]), "{}", r["code"]);
    }
    assert!(!placed[0].contains_key("bag_id"));
    assert_eq!(
        json(&out.join("facilities.geojson"))["features"]
            .as_array()
            .unwrap()
            .len(),
        250
    );
    for r in rows.values() {
        let share = f(&r["share_within_500m_supermarkt"]);
        assert!((0.0..=1.0).contains(&share), "{}", r["code"]);
        assert!(f(&r["share_within_300m_supermarkt"]) <= share);
        assert!(share <= f(&r["share_within_800m_supermarkt"]));
        assert!((0.0..=1.0).contains(&f(&r["access_score"])));
    }
}

#[test]
fn real_railway_stations_as_a_facilities_layer() {
    let out = ok_fresh("analyse --facilities data/ov/stations.geojson");
    let rows = by_code(csv_rows(&out.join("areas.csv")));
    // Zwolle (in Assendorp) and Zwolle Stadshagen; the other 403 Dutch stations lie outside
    // Zwolle and are counted, not dropped.
    let with_station: Vec<&str> = rows
        .values()
        .filter(|r| r["facilities_ov_station"] != "0")
        .map(|r| r["code"].as_str())
        .collect();
    assert_eq!(with_station, ["WK019313", "WK019322"]);
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["diagnostics"]["facilities"]["outside"], 403);
    // The facilities layer says which station lies where; those outside have no area.
    let placed = csv_rows(&out.join("facilities.csv"));
    assert_eq!(placed.len(), 405);
    let inside: Vec<&str> = placed
        .iter()
        .filter(|p| !p["area_code"].is_empty())
        .map(|p| p["area_code"].as_str())
        .collect();
    assert_eq!(inside.len(), 2, "{inside:?}");
    assert!(inside.contains(&"WK019313") && inside.contains(&"WK019322"));
}

fn ogr2ogr(args: &[&str]) {
    let st = std::process::Command::new("ogr2ogr")
        .args(args)
        .current_dir(crate::common::root())
        .status()
        .expect("ogr2ogr (gdal-bin, installed by scripts/setup) runs");
    assert!(st.success(), "ogr2ogr {args:?}");
}

#[test]
fn shapefile_and_flatgeobuf_inputs_give_the_same_result_as_geojson() {
    let tmp = tempfile::tempdir().unwrap();
    let (areas, sites) = (TINY_AREAS, TINY_SITES);
    let reference = tmp.path().join("ref");
    ok(&argv(
        "analyse --areas",
        &[areas, "--sites", sites, "--out", s(&reference)],
    ));

    let fgb = tmp.path().join("areas.fgb");
    ogr2ogr(&["-f", "FlatGeobuf", s(&fgb), areas]);
    let out = tmp.path().join("fgb");
    ok(&argv(
        "analyse --areas",
        &[s(&fgb), "--sites", sites, "--out", s(&out)],
    ));
    assert_same_files(&[reference.clone(), out], &["areas.csv"]);

    // A Shapefile truncates field names to 10 characters (dwelling_total → dwelling_t), as
    // planners meet it in practice; a [columns] mapping in the config restores the meaning.
    let shp = tmp.path().join("areas.shp");
    ogr2ogr(&["-f", "ESRI Shapefile", s(&shp), areas]);
    let cfg = write(
        tmp.path(),
        "shp.toml",
        &format!(
            "[areas]\npath = \"{}\"\n\n[sites]\npath = \"{sites}\"\n\n[columns]\ndwellings = \"dwelling_t\"\npct_owner_occupied = \"dwelling_o\"\n",
            s(&shp)
        ),
    );
    let out = tmp.path().join("shp");
    ok(&["analyse", "--config", s(&cfg), "--out", s(&out)]);
    assert_same_files(&[reference, out], &["areas.csv"]);
}

#[test]
fn flatgeobuf_dwellings_give_the_same_result_as_geojson() {
    // The shipped synthetic dwellings (GeoJSON, read by GDAL) against the same points as
    // FlatGeobuf (read by wijkbalans' own point reader), with and without a spatial index
    // (with one, GDAL writes the points in another order).
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("ref");
    ok(&["analyse", "--out", s(&reference)]);
    let run = json(&reference.join("run.json"));
    let dwellings = items(&run["inputs"])
        .iter()
        .find(|i| i["role"] == "dwellings")
        .expect("the default run reads dwellings");
    let source = dwellings["path"].as_str().unwrap().to_string();
    for index in ["YES", "NO"] {
        let fgb = tmp.path().join(format!("woningen_{index}.fgb"));
        let option = format!("SPATIAL_INDEX={index}");
        ogr2ogr(&["-f", "FlatGeobuf", "-lco", &option, s(&fgb), &source]);
        for threads in ["1", "3"] {
            let out = tmp.path().join(format!("fgb_{index}_{threads}"));
            let tail = [s(&fgb), "--threads", threads, "--out", s(&out)];
            ok(&argv("analyse --dwellings", &tail));
            assert_same_files(&[reference.clone(), out], &["areas.csv"]);
        }
    }
}

#[test]
fn areas_geojson_is_rfc7946_wgs84_with_the_documented_properties() {
    let out = ok_fresh("analyse");
    let gj = json(&out.join("areas.geojson"));
    assert_eq!(gj["type"], "FeatureCollection");
    assert!(gj.get("crs").is_none(), "RFC 7946 has no crs member");
    let features = gj["features"].as_array().unwrap();
    let codes: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["code"].as_str().unwrap())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted, "features are sorted by area code");
    for f in features {
        let p = &f["properties"];
        for key in [
            "code",
            "name",
            "population",
            "dwellings",
            "care_units",
            "care_units_per_1000",
            "draagkracht",
            "draaglast",
            "saldo",
            "signal",
            "typology",
            "dl2_value",
            "dl2_z",
            "dk1_value",
            "dk1_z",
        ] {
            assert!(p.get(key).is_some(), "property {key} missing");
        }
        assert!(["rood", "oranje", "neutraal", "ruimte"].contains(&p["signal"].as_str().unwrap()));
        // Zwolle lies around 6.1°E, 52.5°N.
        let ring = &f["geometry"]["coordinates"][0][0];
        for c in ring.as_array().unwrap() {
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!(
                (5.9..6.3).contains(&lon) && (52.4..52.7).contains(&lat),
                "{c}"
            );
        }
    }
    // Every site keeps its input properties and gets the area it fell in.
    let sites = json(&out.join("sites.geojson"));
    for f in sites["features"].as_array().unwrap() {
        let p = &f["properties"];
        assert_eq!(p["synthetic"], true);
        assert_eq!(p["area_code"], p["wijk"], "{}", p["name"]);
        assert_eq!(p["gemeente_code"], "GM0193");
    }
}

/// `analyse` on tiny_town's areas and sites.
fn tiny_town() -> Fresh {
    ok_fresh(&format!(
        "analyse --areas {TINY_AREAS} --sites {TINY_SITES}"
    ))
}

#[test]
fn tiny_town_matches_the_hand_computation() {
    let out = tiny_town();
    // Values from tests/fixtures/tiny_town/README.md.
    let rows = by_code(csv_rows(&out.join("areas.csv")));
    let expect = [
        ("WK099901", -1.507557, 1.507557, -3.015113, "rood", 10.0),
        ("WK099902", -0.301511, 0.301511, -0.603023, "oranje", 5.0),
        ("WK099903", 0.904534, -0.904534, 1.809068, "ruimte", 0.0),
    ];
    for (code, dk, dl, saldo, signal, rate) in expect {
        let r = &rows[code];
        assert!((f(&r["draagkracht"]) - dk).abs() < 1e-6, "{code}");
        assert!((f(&r["draaglast"]) - dl).abs() < 1e-6, "{code}");
        assert!((f(&r["saldo"]) - saldo).abs() < 1e-6, "{code}");
        assert_eq!(r["signal"], signal);
        assert_eq!(f(&r["care_units_per_1000"]), rate);
    }
    assert_eq!(rows["WK099903"]["care_units_planned"], "3");
    let summary = json(&out.join("summary.json"));
    let p = &summary["normalisation"]["parameters"];
    assert_eq!(p["DK1"]["all"]["mean"], 45);
    assert_eq!(p["DL7"]["all"]["mean"], 3.75);
}

#[test]
fn tiny_town_outputs_match_their_snapshots() {
    let out = tiny_town();
    let read = |n: &str| std::fs::read_to_string(out.join(n)).unwrap();
    insta::assert_snapshot!("tiny_town_areas_csv", read("areas.csv"));
    insta::assert_snapshot!("tiny_town_areas_geojson", read("areas.geojson"));
    insta::assert_snapshot!("tiny_town_sites_geojson", read("sites.geojson"));
    insta::assert_snapshot!("tiny_town_summary_json", read("summary.json"));
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = outputs_for_threads(tmp.path(), &["analyse"], &["1", "2", "8"]);
    assert_same_files(
        &dirs,
        &[
            "areas.geojson",
            "areas.csv",
            "sites.geojson",
            "facilities.csv",
            "summary.json",
            "run.json",
        ],
    );
}

#[test]
fn groningen_with_its_gebieden_level() {
    let out = ok_fresh(
        "analyse --areas data/cbs-kwb-2022/wijken_groningen.geojson \
         --level data/groningen_gebieden_illustratief.csv",
    );
    let summary = json(&out.join("summary.json"));
    // CBS kerncijfers 2022: Groningen's 20 wijken sum to 234,930 inhabitants.
    assert_eq!(summary["study"]["areas"], 20);
    assert_eq!(summary["study"]["population"], 234930);
    let gebieden = summary["levels"]["gebied"].as_array().unwrap();
    assert_eq!(gebieden.len(), 7);
    let total: i64 = gebieden
        .iter()
        .map(|g| g["population"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 234930);
    let rows = by_code(csv_rows(&out.join("areas.csv")));
    assert_eq!(rows["WK001400"]["gebied_code"], "Centrum");
    assert_eq!(rows["WK001417"]["gebied_code"], "Haren");
    // No sites given: DL7 is skipped, and no Zwolle data leaks in.
    assert!(!rows["WK001400"].contains_key("care_units"));
    let dl7 = items(&summary["indicators"]["skipped"])
        .iter()
        .find(|i| i["id"] == "DL7")
        .unwrap();
    assert!(dl7["reason"].as_str().unwrap().contains("--sites"));
}

#[test]
fn wgs84_input_is_reprojected_and_dutch_pdok_names_are_recognised() {
    // CBS 2024 wijken in lon/lat with PDOK column names, and the RD sites layer.
    let out = ok_fresh(
        "analyse --areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson \
         --sites data/synthetic/zwolle_zorglocaties_illustratief.geojson",
    );
    let run = json(&out.join("run.json"));
    assert_eq!(run["inputs"][0]["crs"], "EPSG:4326");
    assert_eq!(run["inputs"][1]["crs"], "EPSG:28992");
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["columns"]["population"], "aantal_inwoners");
    assert_eq!(summary["columns"]["households"], "huishoudens");
    assert_eq!(summary["study"]["population"], 133135);
    // The sites were placed in the 2022 wijken; the same codes hold in 2024.
    let sites = json(&out.join("sites.geojson"));
    for f in sites["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["area_code"], f["properties"]["wijk"]);
    }
    // Measured in metres: density from the polygon area is of the order of the CBS figure.
    let rows = by_code(csv_rows(&out.join("areas.csv")));
    let binnenstad = &rows["WK019310"];
    let cbs_density = f(&binnenstad["c2_value"]);
    assert_eq!(
        cbs_density, 8119.0,
        "bevolkingsdichtheid is read, not computed"
    );
    // No draagkracht column in this vintage: the saldo is unknown, and said so.
    assert_eq!(binnenstad["signal"], "onbekend");
}

#[test]
fn a_geopackage_layer_of_real_bag_addresses_is_assigned_to_amsterdam_wijken() {
    let out = ok_fresh(
        "analyse --areas data/cbs-kwb-2022/wijken_amsterdam.geojson \
         --dwellings data/bag/bag_amsterdam_1013.gpkg --dwellings-layer verblijfsobjecten",
    );
    let summary = json(&out.join("summary.json"));
    let d = &summary["diagnostics"]["dwellings"];
    assert_eq!(d["input"], 1836);
    assert_eq!(d["assigned"], 1836);
    let rows = by_code(csv_rows(&out.join("areas.csv")));
    let sum: f64 = rows.values().map(|r| f(&r["dwelling_points"])).sum();
    assert_eq!(sum, 1836.0);
    // Postcode 1013 lies in the west of the centre: Haarlemmerbuurt, Houthavens,
    // Spaarndammer- en Zeeheldenbuurt.
    let with_points: Vec<&str> = rows
        .values()
        .filter(|r| r["dwelling_points"] != "0")
        .map(|r| r["code"].as_str())
        .collect();
    assert_eq!(with_points, ["WK036305", "WK036312", "WK036313"]);
}

#[test]
fn run_record_traces_every_input_by_hash() {
    let out = ok_fresh("analyse --seed 7");
    let run = json(&out.join("run.json"));
    assert_eq!(run["command"], "analyse");
    assert_eq!(run["seed"], 7);
    let inputs = run["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    assert_eq!(inputs[3]["role"], "facilities");
    let areas_bytes = std::fs::read(crate::common::root().join(crate::common::s(
        std::path::Path::new("data/cbs-kwb-2022/wijken_zwolle.geojson"),
    )))
    .unwrap();
    let hex = blake3::hash(&areas_bytes).to_hex().to_string();
    assert_eq!(inputs[0]["blake3"], hex);
    assert!(inputs[0].get("sha256").is_none());
    assert_eq!(inputs[0]["features"], 16);
    assert_eq!(run["config"]["indicator"].as_array().unwrap().len(), 14);
}

#[test]
fn the_committed_synthetic_layers_are_what_the_generator_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("d.geojson");
    let st = tmp.path().join("s.geojson");
    ok(&["synth", "--dwellings-out", s(&d), "--sites-out", s(&st)]);
    for (made, shipped) in [
        (&d, "data/synthetic/zwolle_woningen_synthetisch.geojson"),
        (
            &st,
            "data/synthetic/zwolle_zorglocaties_illustratief.geojson",
        ),
    ] {
        let shipped = std::fs::read(crate::common::root().join(shipped)).unwrap();
        assert!(
            std::fs::read(made).unwrap() == shipped,
            "regenerate with the README's synth command"
        );
    }
    let text = std::fs::read_to_string(&st).unwrap();
    assert!(text.contains("ILLUSTRATIEF"));
}

#[test]
fn config_prints_a_default_that_parses_back() {
    let r = ok(&["config"]);
    let tmp = tempfile::tempdir().unwrap();
    let cfg = tmp.path().join("w.toml");
    std::fs::write(&cfg, &r.stdout).unwrap();
    let out = out_dir(&tmp);
    // The printed config points at data/ relative to the repository root, where tests run.
    ok(&["analyse", "--config", s(&cfg), "--out", s(&out)]);
    let direct = tmp.path().join("direct");
    ok(&["analyse", "--out", s(&direct)]);
    assert!(
        std::fs::read(out.join("areas.csv")).unwrap()
            == std::fs::read(direct.join("areas.csv")).unwrap()
    );
}

#[test]
fn the_example_config_in_data_is_valid() {
    ok_fresh("analyse --config data/wijkbalans.example.toml");
}

#[test]
fn completions_and_the_man_page_come_from_the_dutch_cli_definition() {
    let page = ok(&["man"]).stdout;
    assert!(
        page.contains(".TH wijkbalans"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert_mentions(
        &page,
        &[".SH NAAM", ".SH OPTIES", ".SH OPDRACHTEN", "Toon de hulp"],
    );
    let man_english = [".SH NAME", ".SH OPTIONS", ".SH SUBCOMMANDS"];
    for english in man_english
        .iter()
        .chain(wijkbalans::cli::dutch::CLAP_ENGLISH)
    {
        assert!(!page.contains(english), "man: {english}");
    }
    for shell in ["bash", "zsh", "fish"] {
        let script = ok(&["completions", shell]).stdout;
        assert!(
            script.contains("test-site"),
            "{shell}: subcommands are completed"
        );
        assert!(script.contains("areas-layer"), "{shell}");
        if shell != "bash" {
            // zsh and fish show the help next to each flag.
            assert!(script.contains("Toon de hulp"), "{shell}");
            assert!(!script.contains("Print help"), "{shell}");
        }
    }
}

#[test]
fn broken_dwelling_features_are_left_out_listed_and_counted() {
    // 2,000 dwellings in tiny_town, four of them broken in four ways.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("woningen.csv");
    let mut rows = vec!["x,y,eigendom".to_string()];
    for i in 0..2000 {
        rows.push(format!(
            "{},{},koop",
            200_050 + (i * 37) % 2900,
            500_050 + (i * 53) % 900
        ));
    }
    rows[1 + 10] = "nan,500500,koop".into(); // GDAL reads no point: empty geometry
    rows[1 + 20] = ",,huur".into();
    rows[1 + 30] = "6.1,52.5,koop".into(); // lon/lat in an RD file
    rows[1 + 1999] = "900000,500500,koop".into(); // far outside the Netherlands
    std::fs::write(&path, rows.join("\n") + "\n").unwrap();
    let out = out_dir(&tmp);
    let args = [
        "analyse",
        "--areas",
        "tests/fixtures/tiny_town/areas.geojson",
        "--dwellings",
        s(&path),
        "--dwellings-crs",
        "EPSG:28992",
        "--out",
        s(&out),
    ];
    let r = ok(&args);
    assert_mentions(
        &r.stderr,
        &["4 onleesbare woning(en) weggelaten (de eerste: rij 11 onder de kopregel"],
    );
    let summary = json(&out.join("summary.json"));
    let d = &summary["diagnostics"];
    assert_eq!(d["dwellings_skipped"]["count"], 4);
    let listed: Vec<u64> = items(&d["dwellings_skipped"]["listed"])
        .iter()
        .map(|k| k["feature"].as_u64().unwrap())
        .collect();
    assert_eq!(listed, [10, 20, 30, 1999]);
    assert!(d["dwellings_skipped"]["listed"][3]["problem"]
        .as_str()
        .unwrap()
        .contains("ver buiten Nederland"));
    // The totals show what was left out: read + skipped = the features of the file.
    assert_eq!(d["dwellings"]["input"], 1996);
    assert_eq!(summary["study"]["dwelling_points"], 1996);
    let run = json(&out.join("run.json"));
    assert_eq!(run["inputs"][1]["features"], 2000);
    // --strict turns the warning into exit code 1.
    let mut strict = args.to_vec();
    strict.push("--strict");
    strict.push("--overwrite");
    assert_eq!(wijkbalans(&strict).code, 1);

    // More than 1 % broken: the file is wrong, and the run stops before writing.
    for row in rows.iter_mut().skip(100).take(30) {
        *row = "5.9,52.1,koop".into();
    }
    std::fs::write(&path, rows.join("\n") + "\n").unwrap();
    let out2 = tmp.path().join("out2");
    let mut args2 = args.to_vec();
    let last = args2.len() - 1;
    args2[last] = s(&out2);
    refused(
        &args2,
        &[
            "rij 11 onder de kopregel",
            "34 van de 2.000 objecten onbruikbaar",
        ],
    );
}

#[test]
fn the_help_of_every_command_is_dutch() {
    let doc = {
        let r = ok(&["describe", "--json"]);
        serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap()
    };
    let top = ok(&["--help"]).stdout;
    assert_mentions(
        &top,
        &["Gebruik: wijkbalans <OPDRACHT>", "Opdrachten:", "Opties:"],
    );
    assert_mentions(
        &top,
        &[
            "-h, --help     Toon de hulp",
            "-V, --version  Toon de versie",
        ],
    );
    let (mut defaults, mut enums) = (0, 0);
    for c in doc["commands"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        // -h and --help show the same: the Dutch help has no longer text for --help.
        let help = ok(&[name, "--help"]).stdout;
        assert_eq!(help, ok(&[name, "-h"]).stdout, "{name}");
        assert_eq!(help, ok(&["help", name]).stdout, "{name}");
        for english in wijkbalans::cli::dutch::CLAP_ENGLISH {
            assert!(
                !help.contains(english),
                "{name} --help has {english:?}:\n{help}"
            );
        }
        assert_mentions(
            &help,
            &[c["about"]["nl"].as_str().unwrap(), "Gebruik: wijkbalans"],
        );
        for p in c["parameters"].as_array().unwrap() {
            // The text is help_nl's, as describe gives it to the QGIS plugin.
            let text = p["help"]["nl"].as_str().unwrap();
            let line = help
                .lines()
                .find(|l| l.contains(text))
                .unwrap_or_else(|| panic!("{name} --help lacks {text:?}:\n{help}"));
            let takes_value = p["type"] != "bool";
            match &p["default"] {
                serde_json::Value::Null | serde_json::Value::Bool(_) => {
                    assert!(!line.contains("[standaard:"), "{name}: {line}")
                }
                d if takes_value => {
                    let shown = d.as_str().map(str::to_string).unwrap_or(d.to_string());
                    assert!(
                        line.contains(&format!("[standaard: {shown}]")),
                        "{name}: {line}"
                    );
                    defaults += 1;
                }
                _ => {}
            }
            if let Some(choices) = p["choices"].as_array().filter(|_| p["type"] == "enum") {
                let choices: Vec<&str> = choices.iter().map(|v| v.as_str().unwrap()).collect();
                let keuzes = format!("[keuzes: {}]", choices.join(", "));
                // A comma list of choices (--format) is text to clap: it has no keuzes of its own.
                assert_eq!(
                    line.contains(&keuzes),
                    p.get("delimiter").is_none(),
                    "{name}: {line}"
                );
                enums += 1;
            }
        }
    }
    assert!(
        defaults > 20 && enums > 20,
        "{defaults} defaults, {enums} enums"
    );
}

#[test]
fn the_help_without_a_command_goes_to_standard_error_with_code_2() {
    let r = wijkbalans(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_mentions(
        &r.stderr,
        &["Gebruik: wijkbalans <OPDRACHT>", "Opdrachten:"],
    );
    let version = ok(&["--version"]).stdout;
    assert_eq!(
        version.trim(),
        format!("wijkbalans {}", env!("CARGO_PKG_VERSION"))
    );
}

/// Every parse error clap reports, with `--out` a fresh folder: exit code 2, one Dutch
/// sentence on the `wijkbalans: fout:` line, the Dutch usage and where to read more, no
/// English of clap's, and nothing written.
#[test]
fn parse_errors_are_dutch_and_write_nothing() {
    for (line, sentence, more) in [
        // Unknown flag, without and with a suggestion.
        (
            "analyse --zzz",
            "wijkbalans: fout: onbekende optie '--zzz'\n",
            "analyse",
        ),
        (
            "analyse --fromat csv",
            "wijkbalans: fout: onbekende optie '--fromat'; bedoeld: '--format'?\n",
            "analyse",
        ),
        // Unknown command with a suggestion.
        (
            "analyze",
            "wijkbalans: fout: onbekende opdracht 'analyze'; bedoeld: 'analyse'?\n",
            "",
        ),
        // A value outside the choices.
        (
            "report --lang de",
            "wijkbalans: fout: ongeldige waarde 'de' bij --lang; kies een van: nl, en\n",
            "report",
        ),
        // Not a number.
        (
            "analyse --threads abc",
            "wijkbalans: fout: ongeldige waarde 'abc' bij --threads: dit is geen getal; schrijf een \
             geheel getal, zoals 12\n",
            "analyse",
        ),
        (
            "suggest --units 12 --group ouderen_geclusterd --spacing 1.000",
            "wijkbalans: fout: ongeldige waarde '1.000' bij --spacing: dubbelzinnig: 1 als het \
             scheidingsteken een decimaalteken is, of 1000 als het duizendtallen scheidt; schrijf \
             het getal zonder scheidingsteken voor duizendtallen\n",
            "suggest",
        ),
        // The zeros of the whole part stay in the decimal reading: ten, not one.
        (
            "suggest --units 12 --group ouderen_geclusterd --spacing 10.000",
            "wijkbalans: fout: ongeldige waarde '10.000' bij --spacing: dubbelzinnig: 10 als het \
             scheidingsteken een decimaalteken is, of 10000 als het duizendtallen scheidt; schrijf \
             het getal zonder scheidingsteken voor duizendtallen\n",
            "suggest",
        ),
        // A required flag missing.
        (
            "suggest --group ouderen",
            "wijkbalans: fout: --units ontbreekt (verplicht bij suggest)\n",
            "suggest",
        ),
        // Two flags that exclude each other.
        (
            "suggest --units 5 --group ouderen --grid 100 --candidates data/x.geojson",
            "wijkbalans: fout: --grid en --candidates gaan niet samen; kies er een\n",
            "suggest",
        ),
        // A flag given twice.
        (
            "analyse --csv standard --csv excel-nl",
            "wijkbalans: fout: --csv staat er twee keer; geef het één keer\n",
            "analyse",
        ),
        // A value too many: a flag without a value given one.
        (
            "analyse --strict=ja",
            "wijkbalans: fout: onverwachte waarde 'ja' bij --strict: daar hoort geen (verdere) \
             waarde bij\n",
            "analyse",
        ),
        // A word where no argument fits.
        (
            "monitor --opgave o.toml extra",
            "wijkbalans: fout: onverwacht argument 'extra'\n",
            "monitor",
        ),
    ] {
        let r = refused_fresh(line, &[sentence, "\nGebruik: wijkbalans"]);
        let more = format!(
            "\nMeer uitleg: wijkbalans {more}{}--help\n",
            if more.is_empty() { "" } else { " " }
        );
        assert!(r.stderr.ends_with(&more), "{line}:\n{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 3, "{line}:\n{}", r.stderr);
        for english in [
            "error:",
            "Usage",
            "For more information",
            "[OPTIONS]",
            "clap merkt op",
        ] {
            assert!(!r.stderr.contains(english), "{line}:\n{}", r.stderr);
        }
    }
}

/// The value of --at is read by test-site itself; its message is Dutch too, and names the flag.
#[test]
fn a_location_that_is_no_x_y_is_refused_in_dutch() {
    refused(
        &[
            "test-site",
            "--at",
            "abc",
            "--units",
            "1",
            "--group",
            "ouderen",
        ],
        &["wijkbalans: fout: --at: 'abc' is geen X,Y (twee getallen met een komma ertussen, elk met een decimale punt)"],
    );
}

#[test]
fn suggestions_that_the_score_cannot_tell_apart_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let suggest = |extra: &[&str], out: &str| {
        let out = tmp.path().join(out);
        let mut args = vec!["suggest", "--units", "12", "--group", "beschermd_thuis"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--out", s(&out)]);
        ok(&args).stdout
    };
    // Groningen without sites, facilities or dwellings: every location scores 100.
    let tied = suggest(
        &["--areas", "data/cbs-kwb-2022/wijken_groningen.geojson"],
        "groningen",
    );
    assert_mentions(
        &tied,
        &[
            "let op: deze 10 voorstellen hebben dezelfde score",
            "(eerst het westen, dan het zuiden) en zegt niets over geschiktheid",
            "geef zorglocaties (--sites), voorzieningen (--facilities) of woningen (--dwellings)",
        ],
    );
    // Zwolle with its sites, facilities and dwellings: the scores differ, no such line.
    let scored = suggest(&[], "zwolle");
    assert!(!scored.contains("dezelfde score"), "{scored}");
    assert!(scored.contains("; 10 voorstellen, onderling minstens 250 m uit elkaar"));
    // One suggestion is "1 voorstel", without a spacing between suggestions.
    let one = suggest(&["--top", "1"], "one");
    assert!(one.contains("beschermd_thuis; 1 voorstel:\n"), "{one}");
}

#[test]
fn a_geopackage_with_its_styles_reads_as_its_one_layer_of_data() {
    // QGIS keeps a saved style in the GeoPackage's `layer_styles` table, as wijkbalans.gpkg
    // does: a table of styles, not a second layer to choose between.
    use crate::common::{ok, ok_fresh, s};
    let first = ok_fresh("analyse --areas tests/bad_inputs/areas_ok.geojson --format gpkg");
    let tmp = tempfile::tempdir().unwrap();
    let styled = tmp.path().join("wijken.gpkg");
    std::fs::copy(first.join("wijkbalans.gpkg"), &styled).unwrap();
    let layers = gdal::Dataset::open(&styled).unwrap().layer_count();
    assert_eq!(layers, 2, "areas and layer_styles");
    let out = tmp.path().join("out");
    let again = ok(&["analyse", "--areas", s(&styled), "--out", s(&out)]);
    assert!(again.stdout.contains("3 gebieden"), "{}", again.stdout);
}

/// The starter configuration (`wijkbalans config`) says `source_year = 2022` for its own
/// areas file (CBS 2022 Zwolle). Given another file with --areas, a file that declares its
/// year keeps it (CBS 2024: not a conflict with the config); one that declares none keeps the
/// configured year.
#[test]
fn a_configured_year_is_for_the_configs_own_areas_file() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("studie.toml");
    std::fs::write(&config, ok(&["config"]).stdout).unwrap();
    for (areas, year) in [
        ("data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson", 2024),
        ("data/cbs-kwb-2022/wijken_groningen.geojson", 2022),
    ] {
        let out = ok_fresh(&format!(
            "analyse --config {} --areas {areas}",
            config.display()
        ));
        let run = json(&out.join("run.json"));
        assert_eq!(run["config"]["source_year"], year, "{areas}: {run}");
    }
}
