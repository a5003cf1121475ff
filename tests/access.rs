//! Accessibility end to end: facility categories, an empty facilities layer, the search reach,
//! floating catchments per area and distances over de weg with `--network`.
//!
//! The hand-made fixtures are written into a temporary directory: tiny_town's three 1 km
//! squares (RD New, x 200,000–203,000, y 500,000–501,000), a few facilities and an L-shaped
//! street network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{
    argv, assert_mentions, csv_rows, items, json, ok, ok_fresh, out_dir, refused, s, temp_file,
    write, TINY_AREAS as AREAS, TINY_SITES as SITES,
};

/// A GeoJSON FeatureCollection in RD New from `(properties, geometry)` pairs.
fn write_rd(path: &Path, features: &[(serde_json::Value, serde_json::Value)]) {
    let doc = serde_json::json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
        "features": features.iter().map(|(p, g)| serde_json::json!({
            "type": "Feature", "properties": p, "geometry": g
        })).collect::<Vec<_>>(),
    });
    std::fs::write(path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

fn point(kind: &str, x: f64, y: f64) -> (serde_json::Value, serde_json::Value) {
    (
        serde_json::json!({"type": kind}),
        serde_json::json!({"type": "Point", "coordinates": [x, y]}),
    )
}

/// Facilities around tiny_town: a supermarkt 400 m north of Huis A (200500, 500500), and a
/// huisarts with capacity 2 in the centre of Midden.
fn facilities(dir: &Path) -> PathBuf {
    let path = dir.join("voorzieningen.geojson");
    let mut huisarts = point("Huisartsenpraktijk", 201_500.0, 500_500.0);
    huisarts.0["capacity"] = 2.into();
    let mut supermarkt = point("supermarkt", 200_500.0, 500_900.0);
    supermarkt.0["capacity"] = serde_json::Value::Null;
    write_rd(&path, &[supermarkt, huisarts]);
    path
}

/// An L-shaped walk from Huis A to the supermarkt: east 300 m along y = 500,500, north 400 m
/// along x = 200,800, west 300 m along y = 500,900: 1,000 m over de weg, 400 m hemelsbreed.
fn network(dir: &Path) -> PathBuf {
    let path = dir.join("straten.geojson");
    let line = |coords: serde_json::Value| {
        (
            serde_json::json!({"naam": "straat"}),
            serde_json::json!({"type": "LineString", "coordinates": coords}),
        )
    };
    write_rd(
        &path,
        &[
            line(serde_json::json!([[200500, 500500], [200800, 500500]])),
            line(serde_json::json!([[200800, 500500], [200800, 500900]])),
            line(serde_json::json!([[200800, 500900], [200500, 500900]])),
        ],
    );
    path
}

fn by_code(path: &Path, key: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    csv_rows(path)
        .into_iter()
        .map(|r| (r[key].clone(), r))
        .collect()
}

/// `command` on tiny_town's areas and sites with the facilities `fac`, then `more`.
fn tiny_town<'a>(command: &'a str, fac: &'a Path, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        command,
        "--areas",
        AREAS,
        "--sites",
        SITES,
        "--facilities",
        s(fac),
    ];
    args.extend_from_slice(more);
    args
}

#[test]
fn aliases_map_to_categories_and_capacity_feeds_the_floating_catchment() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    let fac = facilities(tmp.path());
    let r = ok(&tiny_town("analyse", &fac, &["--out", s(&out)]));
    // No dwellings: the dwelling-based measures are skipped, and the run says so.
    assert_mentions(&r.stderr, &["geen woningenlaag"]);
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["access"]["distance"], "hemelsbreed");
    // "Huisartsenpraktijk" is an alias of huisarts.
    assert_eq!(
        summary["access"]["categories_found"]["huisarts"]["facilities"],
        1
    );
    let areas = by_code(&out.join("areas.csv"), "code");
    assert_eq!(areas["WK099902"]["facilities_huisarts"], "1");
    // E2SFCA, default steps (400 m: 1, 800 m: 0.68, 1200 m: 0.22). Demand: each square's
    // interior point (its centre) with its inhabitants: 1000 at 1000 m, 1000 at 0 m, 2000 at
    // 1000 m from the huisarts. R = 2 / (0.22·1000 + 1·1000 + 0.22·2000) = 2/1660;
    // A·1000 = 0.22·2/1660·1000 = 0.265 (Oost, West) and 2/1660·1000 = 1.205 (Midden).
    let fca = |code: &str| areas[code]["fca_huisarts_per_1000"].parse::<f64>().unwrap();
    assert_eq!(fca("WK099901"), 0.265);
    assert_eq!(fca("WK099902"), 1.205);
    assert_eq!(fca("WK099903"), 0.265);
    // Supply is conserved: Σ population · A = Σ capacity = 2.
    let total = 1000.0 * fca("WK099901") + 1000.0 * fca("WK099902") + 2000.0 * fca("WK099903");
    assert!((total / 1000.0 - 2.0).abs() < 0.002, "{total}");
    // Sites get their nearest distances hemelsbreed: Huis A is 400 m from the supermarkt.
    let sites = by_code(&out.join("sites.csv"), "name");
    assert_eq!(sites["Huis A"]["nearest_supermarkt_m"], "400");
}

#[test]
fn floating_catchment_conserves_supply_on_zwolle() {
    // Shipped data: 50 synthetic huisartsen (capacity 1) inside Zwolle, synthetic dwellings.
    let out = ok_fresh("analyse");
    let areas = csv_rows(&out.join("areas.csv"));
    let mut total = 0.0;
    for a in &areas {
        let pop: f64 = a["population"].parse().unwrap();
        let v: f64 = a["fca_huisarts_per_1000"].parse().unwrap();
        total += pop * v / 1000.0;
    }
    // Every huisarts has demand within 1200 m, so Σ P·A = Σ S = 50 (rounding of the per-area
    // values to 0.001 per 1,000 allows 130,665 · 0.0005 / 1000 ≈ 0.07).
    assert!((total - 50.0).abs() < 0.07, "Σ P·A = {total}");
}

#[test]
fn over_de_weg_with_a_network_and_labelled_so() {
    let tmp = tempfile::tempdir().unwrap();
    let fac = facilities(tmp.path());
    let net = network(tmp.path());
    let out = out_dir(&tmp);
    ok(&tiny_town(
        "analyse",
        &fac,
        &["--network", s(&net), "--out", s(&out)],
    ));
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["access"]["distance"], "over de weg");
    assert_eq!(summary["access"]["network"]["nodes"], 4);
    assert_eq!(summary["access"]["network"]["edges"], 3);
    let sites = by_code(&out.join("sites.csv"), "name");
    // 300 + 400 + 300 m along the streets, against 400 m hemelsbreed.
    assert_eq!(sites["Huis A"]["nearest_supermarkt_m"], "1000");
    let run = json(&out.join("run.json"));
    assert!(items(&run["inputs"]).iter().any(|i| i["role"] == "network"));

    // The site test's accessibility rule measures over de weg and says so.
    let site = argv(
        "--at 200500,500500 --units 4 --group beschermd_wonen --json --network",
        &[s(&net)],
    );
    let r = ok(&tiny_town("test-site", &fac, &site));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rule = items(&doc["reasons"])
        .iter()
        .find(|r| r["rule"] == "voorzieningen_binnen_bereik")
        .expect("the accessibility rule is checked")
        .clone();
    assert!(
        rule["explanation"]
            .as_str()
            .unwrap()
            .contains("over de weg"),
        "{rule}"
    );
    let supermarkt = &rule["value"][0];
    assert_eq!(supermarkt["label"], "supermarkt");
    assert_eq!(supermarkt["nearest_m"], 1000.0);
    assert_eq!(supermarkt["passed"], false);
}

#[test]
fn an_empty_facilities_layer_skips_accessibility_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("leeg.geojson");
    write_rd(&empty, &[]);
    let out = out_dir(&tmp);
    let r = ok(&["analyse", "--facilities", s(&empty), "--out", s(&out)]);
    assert_mentions(
        &r.stderr,
        &["bereikbaarheid overgeslagen: de voorzieningenlaag is leeg"],
    );
    let summary = json(&out.join("summary.json"));
    assert!(summary.get("access").is_none());
    let notes = summary["diagnostics"]["access_notes"].as_array().unwrap();
    assert!(notes[0]
        .as_str()
        .unwrap()
        .contains("de voorzieningenlaag is leeg"));
    let header = std::fs::read_to_string(out.join("areas.csv")).unwrap();
    let header = header.lines().next().unwrap();
    assert!(!header.contains("share_within"), "{header}");
    assert!(!header.contains("fca_"), "{header}");
}

#[test]
fn facilities_outside_the_study_area_count_and_the_reach_is_stated() {
    // The real railway stations: 2 in Zwolle, 403 elsewhere; the nearest station of a home
    // near the border may lie outside Zwolle, and the run says how far the search reaches.
    let r = ok_fresh("analyse --facilities data/ov/stations.geojson").run;
    assert_mentions(
        &r.stderr,
        &[
            "403 van de 405 voorzieningen liggen buiten elk gebied",
            "op elke afstand",
        ],
    );
    // Shipped synthetic facilities lie inside Zwolle only: the run warns about the border.
    let r = ok_fresh("analyse").run;
    assert_mentions(
        &r.stderr,
        &["geen voorziening ligt buiten het studiegebied"],
    );
}

#[test]
fn an_unknown_facility_type_lists_every_unknown_value_and_the_categories() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("voorzieningen.geojson");
    write_rd(
        &path,
        &[
            point("supermarkt", 200_500.0, 500_500.0),
            point("bakker", 200_600.0, 500_500.0),
            point("Kapper", 200_700.0, 500_500.0),
            point("bakker", 200_800.0, 500_500.0),
        ],
    );
    let out = out_dir(&tmp);
    refused(
        &[
            "analyse",
            "--areas",
            AREAS,
            "--facilities",
            s(&path),
            "--out",
            s(&out),
        ],
        &[
            "voorzieningen.geojson",
            "object 1",
            "veld 'type'",
            "2 onbekende typen voorzieningen",
            "'bakker' (2 objecten, het eerste is object 1)",
            "'Kapper' (object 2)",
            "supermarkt (ook supermarket",
            "[[access.category]]",
        ],
    );

    // Mapped in the config, the same file is accepted; the defaults stay.
    let config = write(
        tmp.path(),
        "wijkbalans.toml",
        &format!(
            "[areas]\npath = \"{AREAS}\"\n\n[[access.category]]\nid = \"bakker\"\nlabel = \"Bakker\"\n\n\
             [[access.category]]\nid = \"kapper\"\nlabel = \"Kapper\"\n"
        ),
    );
    ok(&[
        "analyse",
        "--config",
        s(&config),
        "--facilities",
        s(&path),
        "--out",
        s(&out),
    ]);
    let areas = csv_rows(&out.join("areas.csv"));
    let oost = areas.iter().find(|a| a["code"] == "WK099901").unwrap();
    assert_eq!(oost["facilities_bakker"], "2");
    assert_eq!(oost["facilities_kapper"], "1");
    assert_eq!(oost["facilities_supermarkt"], "1");
}

#[test]
fn a_ring_naming_an_unknown_category_is_a_config_error() {
    let (tmp, config) = temp_file(
        "wijkbalans.toml",
        &format!(
            "[areas]\npath = \"{AREAS}\"\n\n[[access.rings.default]]\nkind = \"supermarket_xl\"\nradius_m = 800\n"
        ),
    );
    let out = out_dir(&tmp);
    refused(
        &["analyse", "--config", s(&config), "--out", s(&out)],
        &[
            "access.rings.default noemt het voorzieningstype 'supermarket_xl'",
            "categorieën: supermarkt, huisarts",
        ],
    );
}

#[test]
fn a_network_of_polygons_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let fac = facilities(tmp.path());
    let out = out_dir(&tmp);
    let args = [
        "--facilities",
        s(&fac),
        "--network",
        AREAS,
        "--out",
        s(&out),
    ];
    refused(
        &argv(&format!("analyse --areas {AREAS}"), &args),
        &["object 0", "geen lijn"],
    );
}
