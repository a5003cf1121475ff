//! The balance report and the QGIS styles in the GeoPackage, on the shipped Zwolle data.

use crate::common::{ok, out_dir, s, wijkbalans};

#[test]
fn the_html_report_is_self_contained_with_one_map_path_per_wijk() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&["report", "--out", s(&out)]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let codes: Vec<String> = html
        .split("data-code=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect();
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 16, "one code per Zwolle wijk on the map");
    assert_eq!(html.matches("<section id=\"WK0193").count(), 16);
    // No network: the only URL is the SVG namespace.
    let urls = html.matches("http://").count() + html.matches("https://").count();
    let svg_ns = html.matches("http://www.w3.org/2000/svg").count();
    assert_eq!(urls, svg_ns, "only the SVG namespace");
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        html.contains("ILLUSTRATIEF"),
        "the illustrative sites are flagged"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("| WK019311 Wijk 11 Diezerpoort |"));
    let csv = std::fs::read(out.join("report_wijken.csv")).unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF", "Dutch Excel: UTF-8 BOM");
}

#[test]
fn a_report_for_an_unknown_wijk_lists_the_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    let r = wijkbalans(&["report", "--wijk", "WK999999", "--out", s(&out)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("WK019310"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn the_geopackage_carries_a_default_qgis_style_per_layer() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&["analyse", "--format", "gpkg", "--out", s(&out)]);
    let ds = gdal::Dataset::open(out.join("wijkbalans.gpkg")).unwrap();
    use gdal::vector::LayerAccess;
    let mut styles = ds.layer_by_name("layer_styles").unwrap();
    let mut found = std::collections::BTreeMap::new();
    for f in styles.features() {
        let table = f
            .field_as_string(f.field_index("f_table_name").unwrap())
            .unwrap()
            .unwrap();
        let qml = f
            .field_as_string(f.field_index("styleQML").unwrap())
            .unwrap()
            .unwrap();
        let default = f
            .field_as_integer(f.field_index("useAsDefault").unwrap())
            .unwrap();
        assert_eq!(default, Some(1));
        assert!(qml.starts_with("<!DOCTYPE qgis"), "{table}");
        found.insert(table, qml);
    }
    assert!(
        found["areas"].contains("type=\"graduatedSymbol\"")
            && found["areas"].contains("attr=\"saldo\"")
    );
    assert!(
        found["lisa"].contains("type=\"categorizedSymbol\"")
            && found["lisa"].contains("attr=\"lisa_label\"")
    );
    assert!(found["sites"].contains("attr=\"wb_target_group\""));
    for layer in ["areas", "sites", "lisa"] {
        assert!(ds.layer_by_name(layer).is_ok(), "{layer}");
    }
}

#[test]
fn a_report_with_a_scenario_shows_before_and_after_per_wijk() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&[
        "report",
        "--scenario",
        "data/scenario_zwolle_illustratief.toml",
        "--out",
        s(&out),
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let sections: Vec<&str> = html.split("<section id=\"WK0193").skip(1).collect();
    assert_eq!(sections.len(), 16);
    for sec in sections {
        assert!(sec.contains("Scenario"), "every wijk has its before/after");
    }
}

#[test]
fn report_md_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&[
        "report",
        "--areas",
        "tests/fixtures/tiny_town/areas.geojson",
        "--sites",
        "tests/fixtures/tiny_town/sites.geojson",
        "--out",
        s(&out),
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    insta::assert_snapshot!("tiny_town_report_md", md);
}

#[test]
fn an_existing_geopackage_is_not_replaced_without_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&["analyse", "--format", "gpkg", "--out", s(&out)]);
    let before = std::fs::read(out.join("wijkbalans.gpkg")).unwrap();
    let r = wijkbalans(&[
        "analyse",
        "--format",
        "gpkg",
        "--seed",
        "2",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--overwrite"), "{}", r.stderr);
    assert!(std::fs::read(out.join("wijkbalans.gpkg")).unwrap() == before);
    ok(&[
        "analyse",
        "--format",
        "gpkg",
        "--seed",
        "2",
        "--overwrite",
        "--out",
        s(&out),
    ]);
    assert!(std::fs::read(out.join("wijkbalans.gpkg")).unwrap() != before);
}
