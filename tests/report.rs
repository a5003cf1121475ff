//! The balance report and the QGIS styles in the GeoPackage, on the shipped Zwolle data.

use crate::common::{csv_rows, json, ok, out_dir, s, wijkbalans};

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
    // One unknown code among known ones is enough to stop, and it is named.
    let r = wijkbalans(&[
        "report",
        "--wijk",
        "WK019311,WK01931",
        "--wijk",
        "GM0193",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--wijk WK01931:") && r.stderr.contains("parent code: GM0193"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

/// The ids of the area sections of a report.
fn section_ids(html: &str) -> Vec<String> {
    html.split("<section id=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn a_report_for_chosen_wijken_has_only_their_sections() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&[
        "report",
        "--wijk",
        "WK019322",
        "--wijk",
        "WK019311",
        "--opgave",
        "data/opgave_zwolle_illustratief.toml",
        "--out",
        s(&out),
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(
        section_ids(&html),
        ["WK019311", "WK019322"],
        "in area order"
    );
    // The overview keeps all 16 wijken, linking only to the two sections.
    assert_eq!(html.matches("data-code=\"WK0193").count(), 16);
    assert!(!html.contains("href=\"#WK019310\""));
    assert!(html.contains("href=\"#WK019311\""));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let share_rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| WK0193") && l.contains("| beschermd_thuis |"))
        .collect();
    assert_eq!(share_rows.len(), 2, "{share_rows:?}");
    assert_eq!(
        json(&out.join("run.json"))["output"]["sections"],
        serde_json::json!(["WK019311", "WK019322"])
    );
    // A parent code selects its areas: the gemeente gives every wijk.
    let all = tmp.path().join("all");
    ok(&["report", "--wijk", "GM0193", "--out", s(&all)]);
    let html = std::fs::read_to_string(all.join("report.html")).unwrap();
    assert_eq!(section_ids(&html).len(), 16);
}

#[test]
fn a_wijk_code_selects_its_buurten() {
    // tiny_town's three wijken as buurten of two wijken: BU09990101 and BU09990102 in
    // WK099901, BU09990201 in WK099902.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        crate::common::root().join("tests/fixtures/tiny_town/areas.geojson"),
    )
    .unwrap()
    .replace("WK099901", "BU09990101")
    .replace("WK099902", "BU09990102")
    .replace("WK099903", "BU09990201");
    let areas = tmp.path().join("buurten.geojson");
    std::fs::write(&areas, text).unwrap();
    let out = out_dir(&tmp);
    ok(&[
        "report",
        "--areas",
        s(&areas),
        "--wijk",
        "WK099901",
        "--out",
        s(&out),
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(section_ids(&html), ["BU09990101", "BU09990102"]);
    let r = wijkbalans(&[
        "report",
        "--areas",
        s(&areas),
        "--wijk",
        "WK099903",
        "--out",
        s(&tmp.path().join("none")),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("BU09990101, BU09990102, BU09990201")
            && r.stderr.contains("WK099901, WK099902"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("none").exists());
}

fn num(v: &str) -> f64 {
    v.trim()
        .replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {v:?}"))
}

/// The cells of the Markdown table rows that start with `prefix`.
fn md_rows<'a>(md: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    md.lines()
        .filter(|l| l.starts_with(prefix))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect()
}

#[test]
fn the_report_shows_the_numbers_of_monitor_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (mon, rep) = (tmp.path().join("monitor"), tmp.path().join("report"));
    let opgave = "data/opgave_zwolle_illustratief.toml";
    ok(&["monitor", "--opgave", opgave, "--out", s(&mon)]);
    ok(&["report", "--opgave", opgave, "--out", s(&rep)]);
    let doc = json(&mon.join("monitor.json"));
    let target = &doc["targets"][0];
    let md = std::fs::read_to_string(rep.join("report.md")).unwrap();

    // The pace, year by year.
    let years = md_rows(&md, "| 20");
    let pace = target["pace"]["rows"].as_array().unwrap();
    assert_eq!(years.len(), pace.len());
    for (row, p) in years.iter().zip(pace) {
        assert_eq!(num(row[0]), p["year"].as_f64().unwrap());
        for (k, key) in ["target", "realised", "planned", "proposed", "gap"]
            .iter()
            .enumerate()
        {
            assert_eq!(num(row[k + 1]), p[key].as_f64().unwrap(), "{key} {row:?}");
        }
        let on_pace = p["on_pace"].as_bool().unwrap();
        assert!(
            row[6].starts_with(if on_pace { "ja" } else { "nee" }),
            "{row:?}"
        );
    }

    // The fair shares, wijk by wijk, both ways.
    let shares = md_rows(&md, "| WK0193");
    let shares: Vec<&Vec<&str>> = shares
        .iter()
        .filter(|r| r[1] == "beschermd_thuis")
        .collect();
    let by_pop = target["fair_share"]["population"]["rows"]
        .as_array()
        .unwrap();
    let by_cap = target["fair_share"]["capacity"]["rows"].as_array().unwrap();
    assert_eq!(shares.len(), 16);
    for ((row, p), c) in shares.iter().zip(by_pop).zip(by_cap) {
        assert!(row[0].starts_with(p["code"].as_str().unwrap()));
        assert_eq!(num(row[2]), p["current"].as_f64().unwrap());
        assert_eq!(num(row[3]), p["share_whole"].as_f64().unwrap());
        assert_eq!(
            num(row[4]),
            p["current_minus_share_whole"].as_f64().unwrap()
        );
        assert_eq!(num(row[5]), c["share_whole"].as_f64().unwrap());
        assert_eq!(
            num(row[6]),
            c["current_minus_share_whole"].as_f64().unwrap()
        );
        // A rood wijk says why it gets no share naar vermogen.
        assert_eq!(
            row[7].contains("de wijk staat op rood"),
            c["signal"] == "rood",
            "{row:?}"
        );
    }
    assert_eq!(
        shares.iter().filter(|r| r[7].contains("op rood")).count(),
        3,
        "Diezerpoort, Holtenbroek, Aa-landen"
    );

    // The tables: the pace is monitor.csv byte for byte; the shares are monitor_areas's.
    assert!(
        std::fs::read(rep.join("report_opgave.csv")).unwrap()
            == std::fs::read(mon.join("monitor.csv")).unwrap()
    );
    let bytes = std::fs::read(rep.join("report_opgave_wijken.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "Dutch Excel: BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let monitor_areas = csv_rows(&mon.join("monitor_areas.csv"));
    for (rec, m) in rdr.records().zip(&monitor_areas) {
        let rec = rec.unwrap();
        for (h, v) in headers.iter().zip(rec.iter()) {
            match h {
                "signal" => assert!(["rood", "oranje", "neutraal", "ruimte"].contains(&v)),
                "code" | "name" => assert_eq!(v, m[h]),
                _ => assert_eq!(num(v), num(&m[h]), "{h}"),
            }
        }
    }

    // The HTML: the pace block in the overview and the share table in every wijk section.
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    assert!(html.contains("<div class=\"block\" id=\"opgave\">"));
    assert!(html.contains("In 2022 (het jaar van de cijfers) vraagt het doelpad 40 plekken"));
    for sec in html.split("<section id=\"WK0193").skip(1) {
        assert!(sec.contains("<table class=\"opgave-share\">"));
    }
}

#[test]
fn a_public_report_leaves_out_small_opgave_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    // With --min-count 13 the 12 places in Assendorp and the 3 planned for 2023 are small.
    ok(&[
        "report",
        "--opgave",
        "data/opgave_zwolle_illustratief.toml",
        "--audience",
        "publiek",
        "--min-count",
        "13",
        "--out",
        s(&out),
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let row = |prefix: &str| {
        md_rows(&md, prefix)
            .into_iter()
            .find(|r| prefix.starts_with("| 20") || r[1] == "beschermd_thuis")
            .unwrap()
    };
    let y2023 = row("| 2023 |");
    assert_eq!((y2023[2], y2023[3], y2023[5]), ("-", "-", "-"), "{y2023:?}");
    assert_eq!(y2023[6], "nee");
    let y2024 = row("| 2024 |");
    assert_eq!((y2024[2], y2024[3], y2024[5]), ("-", "20", "-"));
    let assendorp = row("| WK019313 ");
    assert_eq!(
        (assendorp[2], assendorp[4], assendorp[6]),
        ("-", "-", "-"),
        "{assendorp:?}"
    );
    assert_ne!(assendorp[3], "-", "the share stays");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Publieksversie: aantallen onder 13 zijn weggelaten"));
    assert!(!html.contains("gerealiseerd zijn er 12"));
    let areas = csv_rows_excel(&out.join("report_opgave_wijken.csv"));
    let a = areas.iter().find(|r| r["code"] == "WK019313").unwrap();
    assert_eq!(a["beschermd_thuis_current"], "");
    assert_eq!(a["beschermd_thuis_gap_population"], "");
}

/// Read a Dutch-Excel CSV (BOM, `;`) as rows of (column → value).
fn csv_rows_excel(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn report_md_with_an_opgave_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    ok(&[
        "report",
        "--areas",
        "tests/fixtures/tiny_town/areas.geojson",
        "--sites",
        "tests/fixtures/tiny_town/sites.geojson",
        "--year",
        "2022",
        "--opgave",
        "tests/fixtures/tiny_town/opgave.toml",
        "--out",
        s(&out),
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    insta::assert_snapshot!("tiny_town_report_md_opgave", md);
    // The English labels of the same report.
    let en = tmp.path().join("en");
    ok(&[
        "report",
        "--areas",
        "tests/fixtures/tiny_town/areas.geojson",
        "--sites",
        "tests/fixtures/tiny_town/sites.geojson",
        "--year",
        "2022",
        "--opgave",
        "tests/fixtures/tiny_town/opgave.toml",
        "--lang",
        "en",
        "--out",
        s(&en),
    ]);
    let md = std::fs::read_to_string(en.join("report.md")).unwrap();
    assert!(md.contains("## Opgave monitor: Tiny town: opgave"));
    assert!(md.contains(
        "| 2022 | 12 | 10 | 0 | 0 | 2 | no: 2 behind; with what is planned a gap of 2 remains |"
    ));
    assert!(md.contains("| WK099903 West | beschermd_wonen | 0 | 15 | -15 | 25 | -25 |  |"));
    assert!(md.contains("## Spreading") && !md.contains("## Spreiding"));
}

#[test]
fn a_report_with_a_bad_opgave_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("opgave.toml");
    std::fs::write(
        &bad,
        "title = \"x\"\n[[target]]\ngroup = \"daklozen\"\nplaces = 10\nfrom = 2021\nto = 2025\nsource = \"x\"\n",
    )
    .unwrap();
    let out = out_dir(&tmp);
    let r = wijkbalans(&["report", "--opgave", s(&bad), "--out", s(&out)]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("opgave.toml") && r.stderr.contains("daklozen"),
        "{}",
        r.stderr
    );
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
    // Every style classifies on a field its layer has.
    assert_eq!(gpkg_styles(&out.join("wijkbalans.gpkg")).len(), 3);
}

/// One row of a GeoPackage's `layer_styles`.
struct StyleRow {
    table: String,
    name: String,
    default: bool,
    qml: String,
}

/// The `layer_styles` of a GeoPackage, checked against its layers: every style's classified
/// field (`attr`) is a field of its layer.
fn gpkg_styles(path: &std::path::Path) -> Vec<StyleRow> {
    use gdal::vector::LayerAccess;
    let ds = gdal::Dataset::open(path).unwrap();
    let mut styles = ds.layer_by_name("layer_styles").unwrap();
    let get = |f: &gdal::vector::Feature, k: &str| {
        f.field_as_string(f.field_index(k).unwrap())
            .unwrap()
            .unwrap_or_default()
    };
    let rows: Vec<StyleRow> = styles
        .features()
        .map(|f| StyleRow {
            table: get(&f, "f_table_name"),
            name: get(&f, "styleName"),
            default: f
                .field_as_integer(f.field_index("useAsDefault").unwrap())
                .unwrap()
                == Some(1),
            qml: get(&f, "styleQML"),
        })
        .collect();
    for r in &rows {
        assert!(r.qml.starts_with("<!DOCTYPE qgis"), "{}", r.table);
        let layer = ds.layer_by_name(&r.table).unwrap();
        let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
        let attr = qml_attr(&r.qml, "attr");
        assert!(
            fields.contains(&attr),
            "{} style '{}' classifies on {attr}, not a field of the layer ({fields:?})",
            r.table,
            r.name
        );
        let defaults = rows
            .iter()
            .filter(|x| x.table == r.table && x.default)
            .count();
        assert_eq!(defaults, 1, "one default style for {}", r.table);
    }
    rows
}

/// An attribute of the `<renderer-v2>` element of a QML document.
fn qml_attr(qml: &str, name: &str) -> String {
    let renderer = &qml[qml.find("<renderer-v2").unwrap()..];
    let key = format!(" {name}=\"");
    let start = renderer.find(&key).unwrap() + key.len();
    renderer[start..start + renderer[start..].find('"').unwrap()].to_string()
}

/// Checks the styles of `layer` in the GeoPackage and next to the GeoJSON in `out`: in this
/// order `(style id, renderer type, field)`, the first the default.
fn check_layer_styles(out: &std::path::Path, layer: &str, expected: &[(&str, &str, &str)]) {
    let rows = gpkg_styles(&out.join("wijkbalans.gpkg"));
    let rows: Vec<&StyleRow> = rows.iter().filter(|r| r.table == layer).collect();
    assert_eq!(rows.len(), expected.len(), "{layer}");
    for (k, (row, (id, kind, field))) in rows.iter().zip(expected).enumerate() {
        assert_eq!(row.default, k == 0, "{layer} {id}");
        let name = if k == 0 {
            "wijkbalans".to_string()
        } else {
            format!("wijkbalans: {id}")
        };
        assert_eq!(row.name, name);
        assert_eq!(qml_attr(&row.qml, "type"), *kind, "{layer} {id}");
        assert_eq!(qml_attr(&row.qml, "attr"), *field, "{layer} {id}");
        // The same QML next to the GeoJSON: the default as <layer>.qml (QGIS loads it with
        // the layer), the others as <layer>.<id>.qml.
        let file = if k == 0 {
            format!("{layer}.qml")
        } else {
            format!("{layer}.{id}.qml")
        };
        assert_eq!(
            std::fs::read_to_string(out.join(&file)).unwrap(),
            row.qml,
            "{file}"
        );
    }
}

#[test]
fn scenario_suggest_and_allocate_layers_carry_qgis_styles() {
    let tmp = tempfile::tempdir().unwrap();
    let sc = tmp.path().join("scenario");
    ok(&[
        "scenario",
        "data/scenario_zwolle_illustratief.toml",
        "--format",
        "gpkg,geojson",
        "--out",
        s(&sc),
    ]);
    check_layer_styles(
        &sc,
        "scenario_areas",
        &[
            ("saldo_delta", "graduatedSymbol", "saldo_delta"),
            ("signal_after", "categorizedSymbol", "signal_after"),
        ],
    );
    let sg = tmp.path().join("suggest");
    ok(&[
        "suggest",
        "--units",
        "12",
        "--group",
        "beschermd_thuis",
        "--grid",
        "500",
        "--format",
        "gpkg,geojson",
        "--out",
        s(&sg),
    ]);
    check_layer_styles(
        &sg,
        "suggestions",
        &[
            ("verdict", "categorizedSymbol", "verdict"),
            ("score", "graduatedSymbol", "score"),
        ],
    );
    check_layer_styles(
        &sg,
        "suitability",
        &[
            ("score", "graduatedSymbol", "score"),
            ("verdict", "categorizedSymbol", "verdict"),
        ],
    );
    // The score map has a class edge at 0: better spread green, worse red.
    let qml = std::fs::read_to_string(sg.join("suitability.qml")).unwrap();
    assert!(qml.contains("label=\"≤ 0,0\""), "{qml}");
    let al = tmp.path().join("allocate");
    ok(&[
        "allocate",
        "--places",
        "277",
        "--group",
        "beschermd_thuis",
        "--format",
        "gpkg,geojson",
        "--out",
        s(&al),
    ]);
    check_layer_styles(
        &al,
        "allocation",
        &[
            ("allocated", "graduatedSymbol", "allocated"),
            (
                "care_units_per_1000_after",
                "graduatedSymbol",
                "care_units_per_1000_after",
            ),
        ],
    );
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

#[test]
fn a_report_with_an_opgave_is_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let d = tmp.path().join(format!("t{threads}"));
        ok(&[
            "report",
            "--opgave",
            "data/opgave_zwolle_illustratief.toml",
            "--scenario",
            "data/scenario_zwolle_illustratief.toml",
            "--threads",
            threads,
            "--out",
            s(&d),
            "-q",
        ]);
        d
    };
    let (one, three) = (run("1"), run("3"));
    let mut names: Vec<String> = std::fs::read_dir(&one)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    for name in names {
        assert!(
            std::fs::read(one.join(&name)).unwrap() == std::fs::read(three.join(&name)).unwrap(),
            "{name} differs"
        );
    }
}
