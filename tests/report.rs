//! The balance report and the QGIS styles in the GeoPackage, on the shipped Zwolle data.

use crate::common::{
    argv, assert_mentions, assert_same_files, chromium, csv_rows_excel, headless, json, ok,
    ok_fresh, out_dir, outputs_for_threads, refused, refused_fresh, s, wijkbalans, write, OPGAVE,
    OPGAVE_DAKLOZEN, SCENARIO, TINY_AREAS, TINY_OPGAVE, TINY_SITES,
};

/// The label of the group `beschermd_thuis`, as the report names it.
const BESCHERMD_THUIS: &str = "Beschermd thuis (geclusterd, met begeleiding)";

#[test]
fn the_html_report_is_self_contained_with_one_map_path_per_wijk() {
    let out = ok_fresh("report");
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
    // A table for people: Dutch headers with units, no machine key (docs/OUTPUTS.md, report).
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let headers: Vec<&str> = text.lines().next().unwrap().split(';').collect();
    assert_eq!(headers.len(), 96, "the columns of areas.csv");
    assert_eq!(
        headers[..4],
        ["Code", "Naam", "Gemeentecode", "Inwoners (aantal)"]
    );
    assert!(headers.contains(&"Zorgeenheden per 1.000 inwoners"));
    assert!(headers.contains(&"Aandeel woningen binnen 500 m van huisarts (0–1)"));
    assert!(headers.contains(&"DK1 % koopwoningen"));
    for h in &headers {
        assert!(!h.contains('_'), "a machine key in a table for people: {h}");
    }
}

/// English words that a Dutch note, reason or summary line must not contain.
const ENGLISH: &[&str] = &[
    "the", "has", "have", "no", "not", "any", "column", "missing", "source", "layer", "given",
    "only", "value", "every", "areas", "because", "with", "and", "pass",
];

/// The text of every `<li>` of `<ul class="notes">` and every `<p class="warning">`.
/// The numbers of the attribute `name="…"` in each element `tag` of `svg`, in order.
fn attrs(svg: &str, tag: &str, names: &[&str]) -> Vec<(Vec<f64>, String)> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .map(|e| {
            let nums = names
                .iter()
                .map(|n| {
                    let at = e.find(&format!("{n}=\"")).unwrap() + n.len() + 2;
                    e[at..at + e[at..].find('"').unwrap()].parse().unwrap()
                })
                .collect();
            let text = e.split_once('>').map_or("", |(_, t)| t);
            (nums, text[..text.find('<').unwrap_or(0)].to_string())
        })
        .collect()
}

/// On the Zwolle map no leader line runs through the name of another wijk: the dot at its end
/// would read as that wijk's (14 Kamperpoort-Veerallee's leader crossed "10 Binnenstad"). A
/// label's box is estimated as the placement does: 0,56 × 12 per character, 12 high.
#[test]
fn no_leader_line_runs_through_another_wijks_name() {
    let out = ok_fresh("report");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let map = &html[html.find("<g class=\"leaders\"").unwrap()..];
    let map = &map[..map.find("</svg>").unwrap()];
    let lines = attrs(map, "line", &["x1", "y1", "x2", "y2"]);
    let texts = attrs(map, "text", &["x", "y"]);
    let outside: Vec<usize> = (0..texts.len())
        .filter(|&i| map.contains(&format!("class=\"outside\">{}<", texts[i].1)))
        .collect();
    assert_eq!(lines.len(), outside.len());
    assert!(lines.len() >= 5, "{}", lines.len());
    for (l, &own) in lines.iter().zip(&outside) {
        let [x1, y1, x2, y2] = l.0[..] else { panic!() };
        for (j, (at, name)) in texts.iter().enumerate() {
            let w = name.chars().count() as f64 * 12.0 * 0.56;
            let cy = at[1] - 12.0 * 0.35;
            let through = (1..100).any(|k| {
                let u = f64::from(k) / 100.0;
                let (x, y) = (x1 + u * (x2 - x1), y1 + u * (y2 - y1));
                (at[0] - w / 2.0 < x && x < at[0] + w / 2.0) && (cy - 6.0 < y && y < cy + 6.0)
            });
            assert!(
                j == own || !through,
                "the leader of {} runs through {name}",
                texts[own].1
            );
        }
    }
}

fn notes_and_warnings(html: &str) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    if let Some(start) = html.find("<ul class=\"notes\">") {
        let list = &html[start..start + html[start..].find("</ul>").unwrap()];
        texts.extend(
            list.split("<li>")
                .skip(1)
                .map(|li| li.split("</li>").next().unwrap().to_string()),
        );
    }
    texts.extend(
        html.split("<p class=\"warning\"")
            .skip(1)
            .map(|p| p[..p.find("</p>").unwrap()].to_string()),
    );
    texts
}

#[test]
fn the_report_speaks_dutch_with_units_euros_a_dated_source_and_a_warning_on_every_page() {
    let out = ok_fresh("report");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Notes and warnings: no English words (the shipped 2022 data skips six indicators, so
    // their reasons are among the notes).
    let notes = notes_and_warnings(&html);
    assert!(notes.len() >= 6, "notes and warnings: {notes:?}");
    assert!(
        notes.iter().any(|n| n.contains("niet berekend")),
        "{notes:?}"
    );
    for n in &notes {
        for word in n.split(|c: char| !c.is_alphanumeric() && c != '_') {
            assert!(
                !ENGLISH.contains(&word.to_lowercase().as_str()),
                "English word {word:?} in note {n:?}"
            );
        }
    }
    // The warning on the map and on every wijk page (16 wijken, + title + map).
    let sections = html.split("<section id=\"").skip(1).collect::<Vec<_>>();
    assert_eq!(sections.len(), 16);
    for s in &sections {
        assert!(
            s.contains("<p class=\"warning\""),
            "no warning in {}",
            &s[..8]
        );
        assert!(s.contains("ILLUSTRATIEF"));
    }
    let map = &html[html.find("<figure class=\"map-figure\">").unwrap()..];
    let map = &map[..map.find("</figure>").unwrap()];
    assert!(
        map.contains("<p class=\"warning\""),
        "the warning on the map"
    );
    // Every indicator has a unit; WOZ is shown in euros, not as ln(WOZ).
    let table = &html[html.find("<table class=\"indicators\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    for row in table.split("<tr>").skip(2) {
        let unit = row
            .trim_end()
            .trim_end_matches("</tr>")
            .rsplit("<td>")
            .next()
            .unwrap();
        assert!(unit.len() > "</td>".len(), "a unit for {row}");
    }
    let woz = table.split("<tr>").find(|r| r.contains(">DK2<")).unwrap();
    assert!(
        woz.contains("€ ") && woz.contains(".000<"),
        "WOZ in euros: {woz}"
    );
    // The source line: data name, year and the run's date.
    let subtitle = &html[html.find("<p class=\"subtitle\">").unwrap()..];
    let subtitle = &subtitle[..subtitle.find("</p>").unwrap()];
    assert!(
        subtitle.contains("CBS Kerncijfers wijken en buurten 2022"),
        "{subtitle}"
    );
    assert!(
        subtitle.contains("berekend op 1 januari 2026"),
        "{subtitle}"
    );
}

#[test]
fn a_report_for_an_unknown_wijk_lists_the_codes() {
    refused_fresh("report --wijk WK999999", &["WK019310"]);
    // One unknown code among known ones is enough to stop, and it is named.
    refused_fresh(
        "report --wijk WK019311,WK01931 --wijk GM0193",
        &["--wijk WK01931:", "bovenliggende code: GM0193"],
    );
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
    // Codes are compared without case, as everywhere (issue 19).
    let out = ok_fresh(&format!(
        "report --wijk wk019322 --wijk WK019311 --opgave {OPGAVE}"
    ));
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
        .filter(|l| {
            l.starts_with("| WK0193")
                && l.contains("| Beschermd thuis (geclusterd, met begeleiding) |")
        })
        .collect();
    assert_eq!(share_rows.len(), 2, "{share_rows:?}");
    assert_eq!(
        json(&out.join("run.json"))["output"]["sections"],
        serde_json::json!(["WK019311", "WK019322"])
    );
    // A parent code selects its areas: the gemeente gives every wijk.
    let all = ok_fresh("report --wijk GM0193");
    let html = std::fs::read_to_string(all.join("report.html")).unwrap();
    assert_eq!(section_ids(&html).len(), 16);
}

#[test]
fn a_wijk_code_selects_its_buurten() {
    // tiny_town's three wijken as buurten of two wijken: BU09990101 and BU09990102 in
    // WK099901, BU09990201 in WK099902.
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(crate::common::root().join(TINY_AREAS))
        .unwrap()
        .replace("WK099901", "BU09990101")
        .replace("WK099902", "BU09990102")
        .replace("WK099903", "BU09990201");
    let areas = write(tmp.path(), "buurten.geojson", &text);
    let (out, none) = (out_dir(&tmp), tmp.path().join("none"));
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
    // A wijk without buurten is refused; the message lists the area and parent codes.
    refused(
        &[
            "report",
            "--areas",
            s(&areas),
            "--wijk",
            "WK099903",
            "--out",
            s(&none),
        ],
        &["BU09990101, BU09990102, BU09990201", "WK099901, WK099902"],
    );
}

/// A number of `report.md` read back: Dutch style, `−` for negatives, `.` between thousands.
fn num(v: &str) -> f64 {
    v.trim()
        .replace('−', "-")
        .replace('.', "")
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
    // The report's tables are for Dutch Excel; monitor.csv follows --csv.
    let excel = ["--csv", "excel-nl"];
    ok(&[
        &["monitor", "--opgave", OPGAVE, "--out", s(&mon)][..],
        &excel,
    ]
    .concat());
    ok(&["report", "--opgave", OPGAVE, "--out", s(&rep)]);
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
    let shares: Vec<&Vec<&str>> = shares.iter().filter(|r| r[1] == BESCHERMD_THUIS).collect();
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
    let shares = csv_rows_excel(&rep.join("report_opgave_wijken.csv"));
    let monitor_areas = csv_rows_excel(&mon.join("monitor_areas.csv"));
    for (row, m) in shares.iter().zip(&monitor_areas) {
        for (h, v) in row {
            match h.as_str() {
                "signal" => assert!(["rood", "oranje", "neutraal", "ruimte"].contains(&v.as_str())),
                "code" | "name" => assert_eq!(v, &m[h]),
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
    // With --min-count 13 the 12 places in Assendorp and the 3 planned for 2023 are small.
    let out = ok_fresh(&format!(
        "report --audience publiek --min-count 13 --opgave {OPGAVE}"
    ));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let row = |prefix: &str| {
        md_rows(&md, prefix)
            .into_iter()
            .find(|r| prefix.starts_with("| 20") || r[1] == BESCHERMD_THUIS)
            .unwrap()
    };
    let y2023 = row("| 2023 |");
    assert_eq!((y2023[2], y2023[3], y2023[5]), ("-", "-", "-"), "{y2023:?}");
    assert_eq!(y2023[6], "nee");
    // 2024's 20 planned hold 2023's 3: hidden, as in monitor.json.
    let y2024 = row("| 2024 |");
    assert_eq!((y2024[2], y2024[3], y2024[5]), ("-", "-", "-"));
    // Assendorp's care units hold its 12 places: the gemeente's total is not added up from the
    // other wijken, and the report's table hides what the areas layer hides.
    assert!(md.contains(
        "Zorg: het totaal van de zorgeenheden staat niet in deze publieksversie, omdat het een \
         weggelaten aantal bevat. Per wijk met een getoond aantal van "
    ));
    let wijken = csv_rows_excel(&out.join("report_wijken.csv"));
    let ittersum = wijken.iter().find(|r| r["Code"] == "WK019351").unwrap();
    assert_eq!(
        ittersum["Zorgeenheden gepland (aantal)"], "",
        "Het Vriendenhuis's 3 planned"
    );
    let assendorp_units = wijken.iter().find(|r| r["Code"] == "WK019313").unwrap();
    assert_eq!(assendorp_units["DL7 zorgeenheden per 1.000 inwoners"], "");
    let assendorp = row("| WK019313 ");
    assert_eq!(
        (assendorp[2], assendorp[4], assendorp[6]),
        ("-", "-", "-"),
        "{assendorp:?}"
    );
    assert_ne!(assendorp[3], "-", "the share stays");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Publieksversie: aantallen onder 13 zijn weggelaten"));
    // The record says which counts were hidden, as analyse's and monitor's do.
    let output = &crate::common::json(&out.join("run.json"))["output"];
    assert_eq!(
        (&output["audience"], &output["min_count"]),
        (&serde_json::json!("publiek"), &serde_json::json!(13))
    );
    // DL7's municipal mean is the gemeente's care units per 1,000: hidden with the total.
    assert!(html.contains(
        "<tr><td><span class=\"id\">DL7</span> zorgeenheden per 1.000 inwoners</td>\
         <td>draaglast</td><td class=\"num\">—</td>"
    ));
    assert!(!html.contains("gerealiseerd zijn er 12"));
    let areas = csv_rows_excel(&out.join("report_opgave_wijken.csv"));
    let a = areas.iter().find(|r| r["code"] == "WK019313").unwrap();
    assert_eq!(a["beschermd_thuis_current"], "");
    assert_eq!(a["beschermd_thuis_gap_population"], "");
}

/// `report` on tiny_town with `extra` flags into `out`; returns report.md.
fn tiny_town_report(extra: &[&str], out: &std::path::Path) -> String {
    let mut args = vec!["report", "--areas", TINY_AREAS, "--sites", TINY_SITES];
    args.extend_from_slice(extra);
    args.extend(["--out", s(out)]);
    ok(&args);
    std::fs::read_to_string(out.join("report.md")).unwrap()
}

#[test]
fn report_md_with_an_opgave_matches_its_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    let with_opgave = ["--year", "2022", "--opgave", TINY_OPGAVE];
    let md = tiny_town_report(&with_opgave, &out);
    insta::assert_snapshot!("tiny_town_report_md_opgave", md);
    // The English labels of the same report.
    let en = tmp.path().join("en");
    let md = tiny_town_report(&[&with_opgave[..], &["--lang", "en"]].concat(), &en);
    assert!(md.contains("## Opgave monitor: Tiny town: opgave"));
    assert!(md.contains(
        "| 2022 | 12 | 10 | 0 | 0 | 2 | no: 2 behind; with what is planned a gap of 2 remains |"
    ));
    assert!(
        md.contains("| WK099903 West | Beschermd wonen (24/7, GGZ) | 0 | 15 | −15 | 25 | −25 |  |")
    );
    assert!(md.contains("## Spreading") && !md.contains("## Spreiding"));
    // The source line, the warning, the signal and typology words are English too (they were
    // "Bron: … berekend op", "De zorglocaties zijn ILLUSTRATIEF", "rood", "kracht laag").
    let html = std::fs::read_to_string(en.join("report.html")).unwrap();
    for text in [&md, &html] {
        assert!(text.contains("Source: CBS Kerncijfers wijken en buurten 2022"));
        assert!(text.contains("computed on") && !text.contains("berekend op"));
        assert!(!text.contains("ILLUSTRATIEF") && !text.contains("SYNTHETISCH"));
        // The analysis's notes: why an indicator was skipped, what a block rests on.
        assert!(text.contains(
            "DL1 (% corporatiewoningen) not computed: the areas layer lacks a column for every source: pct_corporation (missing: pct_corporation)"
        ));
        assert!(text.contains(" rests on ") && text.contains("Read the signal with that caveat."));
        assert!(!text.contains("niet berekend") && !text.contains(" rust op "));
    }
    let table = &md[md.find("## All areas").unwrap()..md.find("## Spreading").unwrap()];
    for dutch in [
        "| rood |",
        "| oranje |",
        "| neutraal |",
        "| ruimte |",
        "kracht ",
        "last ",
    ] {
        assert!(!table.contains(dutch), "{dutch} in {table}");
    }
    assert!(table.contains(" | capacity ") && table.contains(" / burden "));
}

#[test]
fn a_report_with_a_bad_opgave_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(tmp.path(), "opgave.toml", OPGAVE_DAKLOZEN);
    let out = out_dir(&tmp);
    refused(
        &["report", "--opgave", s(&bad), "--out", s(&out)],
        &["opgave.toml", "daklozen"],
    );
}

#[test]
fn the_geopackage_carries_a_default_qgis_style_per_layer() {
    let out = ok_fresh("analyse --format gpkg");
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
        found["areas"].contains("type=\"categorizedSymbol\"")
            && found["areas"].contains("attr=\"signal\"")
    );
    assert!(
        found["lisa"].contains("type=\"categorizedSymbol\"")
            && found["lisa"].contains("attr=\"lisa_label\"")
    );
    assert!(found["sites"].contains("attr=\"wb_target_group\""));
    assert!(found["facilities"].contains("attr=\"wb_type\""));
    for layer in ["areas", "sites", "facilities", "lisa"] {
        assert!(ds.layer_by_name(layer).is_ok(), "{layer}");
    }
    // Every style classifies on a field its layer has.
    assert_eq!(gpkg_styles(&out.join("wijkbalans.gpkg")).len(), 4);
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
    let sc = ok_fresh(&format!("scenario {SCENARIO} --format gpkg,geojson"));
    check_layer_styles(
        &sc,
        "scenario_areas",
        &[
            ("saldo_delta", "graduatedSymbol", "saldo_delta"),
            ("signal_after", "categorizedSymbol", "signal_after"),
        ],
    );
    let sg =
        ok_fresh("suggest --units 12 --group beschermd_thuis --grid 500 --format gpkg,geojson");
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
    // The score map (0–100) has fixed classes, white around 50.
    let qml = std::fs::read_to_string(sg.join("suitability.qml")).unwrap();
    assert!(qml.contains("label=\"≤ 20,0\""), "{qml}");
    assert!(qml.contains("label=\"40,0 tot 60,0\""), "{qml}");
    let al = ok_fresh("allocate --places 277 --group beschermd_thuis --format gpkg,geojson");
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
    let out = ok_fresh(&format!("report --scenario {SCENARIO}"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let sections: Vec<&str> = html.split("<section id=\"WK0193").skip(1).collect();
    assert_eq!(sections.len(), 16);
    for sec in sections {
        assert!(sec.contains("Scenario"), "every wijk has its before/after");
    }
}

#[test]
fn report_md_matches_its_snapshot() {
    let md = tiny_town_report(&[], &out_dir(&tempfile::tempdir().unwrap()));
    insta::assert_snapshot!("tiny_town_report_md", md);
}

#[test]
fn an_existing_geopackage_is_not_replaced_without_overwrite() {
    let out = ok_fresh("analyse --format gpkg");
    let before = std::fs::read(out.join("wijkbalans.gpkg")).unwrap();
    let r = wijkbalans(&argv("analyse --format gpkg --seed 2 --out", &[s(&out)]));
    assert_eq!(r.code, 2);
    assert_mentions(&r.stderr, &["--overwrite"]);
    assert!(std::fs::read(out.join("wijkbalans.gpkg")).unwrap() == before);
    ok(&argv(
        "analyse --format gpkg --seed 2 --overwrite --out",
        &[s(&out)],
    ));
    assert!(std::fs::read(out.join("wijkbalans.gpkg")).unwrap() != before);
}

#[test]
fn a_report_with_an_opgave_is_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let cmd = ["report", "--opgave", OPGAVE, "--scenario", SCENARIO];
    let dirs = outputs_for_threads(tmp.path(), &cmd, &["1", "3"]);
    let mut names: Vec<String> = std::fs::read_dir(&dirs[0])
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_same_files(&dirs, &names.iter().map(String::as_str).collect::<Vec<_>>());
}

/// The numbers in `text` written with a decimal point: a digit, `.`, one or two digits and no
/// further digit ("0.58", "−1.2"), the machine style; Dutch grouping ("4.020") has three.
fn decimal_points(text: &str) -> Vec<String> {
    // The version ("wijkbalans 0.1.0") is a name, not a number; site names of the shipped
    // data keep their points ("Oosterenk 2.0").
    let text = text
        .replace(
            concat!("wijkbalans ", env!("CARGO_PKG_VERSION")),
            "wijkbalans",
        )
        .replace("Oosterenk 2.0", "Oosterenk")
        .replace("Community 4.2", "Community");
    let b: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for i in 1..b.len().saturating_sub(1) {
        if b[i] == '.' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() {
            let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits < 3 {
                let from = i.saturating_sub(12);
                found.push(b[from..(i + 6).min(b.len())].iter().collect());
            }
        }
    }
    found
}

#[test]
fn human_facing_files_write_decimal_commas() {
    // report.md, report.html (outside the SVG coordinates and CSS), scenario.md: the Dutch
    // files of one run use decimal commas only.
    let out = ok_fresh("report");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert_eq!(decimal_points(&md), Vec::<String>::new(), "report.md");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let body = &html[html.find("<body>").unwrap()..];
    // Only the text between tags; SVG attributes and styles are machine text.
    let text: String = body
        .split('<')
        .filter_map(|part| part.split_once('>').map(|(_, t)| t))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(decimal_points(&text), Vec::<String>::new(), "report.html");
    let sc = ok_fresh(&format!("scenario {SCENARIO}"));
    let md = std::fs::read_to_string(sc.join("scenario.md")).unwrap();
    assert_eq!(decimal_points(&md), Vec::<String>::new(), "scenario.md");
}

/// The CBS 2024 files name their year in a `metadata` member: without `--year` every indicator
/// carries 2024, the report's source line names it, and `compare` names the later vintage by it.
#[test]
fn the_2024_file_declares_its_year() {
    let out = ok_fresh("analyse --areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson");
    let summary = json(&out.join("summary.json"));
    let context = summary["indicators"]["context"].as_array().unwrap();
    assert!(!context.is_empty());
    for i in context {
        assert_eq!(i["source_year"], 2024, "{i}");
    }
    let run = json(&out.join("run.json"));
    assert_eq!(run["config"]["source_year"], 2024, "{run}");
    let report = ok_fresh("report --areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson");
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(
        html.contains("Bron: CBS Kerncijfers wijken en buurten 2024 (wijken_zwolle_wgs84.geojson)")
    );
    // The 2022 file declares nothing: its year stays unknown without --year.
    let report = ok_fresh("report --areas data/cbs-kwb-2022/wijken_zwolle.geojson");
    let html = std::fs::read_to_string(report.join("report.html")).unwrap();
    assert!(html.contains("Bron: CBS Kerncijfers wijken en buurten, jaar onbekend"));
}

/// Zwolle: CBS 2024 with the illustrative sites, compared with CBS 2022 as the previous vintage.
const ZWOLLE_2024_SINCE_2022: &str =
    "report --areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson \
     --sites data/synthetic/zwolle_zorglocaties_illustratief.geojson \
     --previous data/cbs-kwb-2022/wijken_zwolle.geojson --previous-year 2022";

#[test]
fn a_report_with_a_previous_vintage_has_a_trend_column_and_names_what_was_not_compared() {
    let out = ok_fresh(ZWOLLE_2024_SINCE_2022);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = &html[html.find("<table class=\"areas\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<th class=\"trend\">Sinds 2022 (signaal; saldo in z-score)</th>"));
    // One trend cell per wijk: the 2024 file has no income, WOZ or ownership, so no saldo in
    // 2024 and every wijk is marked † (values not compared, named on its page).
    let cells: Vec<&str> = table.matches("<td class=\"trend\">").collect();
    assert_eq!(cells.len(), 16);
    assert_eq!(table.matches(" †</td>").count(), 16);
    for s in html.split("<section id=").skip(1) {
        assert!(s.contains("Niet vergeleken met het vorige jaar, en waarom:"));
        assert!(
            s.contains("<li>Saldo (z-score): "),
            "the saldo's reason on every wijk page"
        );
        // Values named as the report names them, not by their keys.
        assert!(s.contains("<li>DK1 % koopwoningen: niet in 2024: "));
        assert!(!s.contains("<li>dk1:") && !s.contains("<li>dwellings:"));
    }
    assert!(html.contains("Wat is veranderd sinds 2022"));
    assert!(html.contains("0 van de 16 wijken hebben in beide jaren een bekend signaal"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("### Wat is veranderd sinds 2022"));
}

#[test]
fn a_previous_vintage_of_other_areas_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = wijkbalans(&[
        "report",
        "--previous",
        TINY_AREAS,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--previous"), "{}", r.stderr);
    assert!(!out.exists());
}

/// The pages of `html` printed to PDF by Chromium (A4 by the report's `@page`): the number of
/// `/Type /Page` objects (not `/Pages`) in the file.
fn printed_pages(browser: &str, dir: &std::path::Path, name: &str, html: &str) -> usize {
    let file = dir.join(format!("{name}.html"));
    std::fs::write(&file, html).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    headless(
        browser,
        dir,
        &file,
        &[&format!("--print-to-pdf={}", pdf.display())],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let needle = b"/Type /Page";
    bytes
        .windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && !w[needle.len()].is_ascii_alphanumeric())
        .count()
}

/// The texts of the `<li>` between `start` and the next `end`.
fn items<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start)
        .skip(1)
        .flat_map(|part| part[..part.find(end).unwrap()].split("<li>").skip(1))
        .map(|li| li.split("</li>").next().unwrap())
        .collect()
}

/// The council report in headless Chromium, on Zwolle with the illustrative sites, and on 2024
/// against 2022. Checks the parsed DOM (no English word in any note, reason or summary line; a
/// unit in every numeric column header; the warning on every wijk page; a scale bar; three
/// wijken named in the summary, each with a page) and the print: page one is the summary
/// alone, and every wijk adds exactly one A4 page, so pages = 1 summary + K overview pages +
/// 16 wijken, with K the pages of the report without its wijk pages less one. Set
/// `WIJKBALANS_SKIP_CHROMIUM=1` to skip it; `WIJKBALANS_REPORT_OUT=DIR` keeps the files.
#[test]
#[allow(clippy::print_stderr)]
fn chromium_shows_and_prints_the_council_report() {
    if std::env::var_os("WIJKBALANS_SKIP_CHROMIUM").is_some_and(|v| v == "1") {
        eprintln!(
            "chromium_shows_and_prints_the_council_report: skipped (WIJKBALANS_SKIP_CHROMIUM=1)"
        );
        return;
    }
    let browser = chromium().expect(
        "no Chromium on PATH: run scripts/setup or apt-get install chromium; \
         WIJKBALANS_SKIP_CHROMIUM=1 skips this test",
    );
    let tmp = tempfile::tempdir().unwrap();
    let now = ok_fresh("report --title Zwolle");
    let trend = ok_fresh(ZWOLLE_2024_SINCE_2022);
    for (name, out) in [("report", &now), ("report_2024", &trend)] {
        let file = out.join("report.html");
        let dom = String::from_utf8(headless(browser, tmp.path(), &file, &["--dump-dom"])).unwrap();
        let sections: Vec<&str> = dom.split("<section id=\"").skip(1).collect();
        assert_eq!(sections.len(), 16, "{name}");
        // No English word in a note, warning, summary line or reason for what was not compared.
        let mut texts = notes_and_warnings(&dom);
        texts.extend(
            items(&dom, "<div class=\"summary\"", "</div>")
                .into_iter()
                .map(String::from),
        );
        texts.extend(
            items(&dom, "<ul class=\"not-compared\">", "</ul>")
                .into_iter()
                .map(String::from),
        );
        assert!(texts.len() > 10, "{name}: {texts:?}");
        for t in &texts {
            for word in t.split(|c: char| !c.is_alphanumeric() && c != '_') {
                assert!(
                    !ENGLISH.contains(&word.to_lowercase().as_str()),
                    "{name}: English {word:?} in {t:?}"
                );
            }
        }
        // Every numeric column names its unit.
        let heads: Vec<&str> = dom
            .split("<th class=\"num\">")
            .skip(1)
            .map(|h| &h[..h.find("</th>").unwrap()])
            .collect();
        assert!(heads.len() > 30, "{name}");
        for h in &heads {
            assert!(
                h.contains("<span class=\"unit\">("),
                "{name}: no unit in {h:?}"
            );
        }
        // The illustrative sites: the warning on every wijk page.
        for s in &sections {
            assert!(
                s.contains(
                    "<p class=\"warning\" role=\"note\">⚠ De zorglocaties zijn ILLUSTRATIEF"
                ),
                "{name}: {}",
                &s[..8]
            );
        }
        // A scale bar of a round length.
        let bar = dom
            .split("<g class=\"scale-bar\" data-metres=\"")
            .nth(1)
            .expect("a scale bar");
        let metres: f64 = bar[..bar.find('"').unwrap()].parse().unwrap();
        assert!(
            [500.0, 1000.0, 2000.0, 5000.0].contains(&metres),
            "{metres}"
        );
        if let Some(k) = std::env::var_os("WIJKBALANS_REPORT_OUT").map(std::path::PathBuf::from) {
            std::fs::create_dir_all(&k).unwrap();
            std::fs::copy(&file, k.join(format!("{name}.html"))).unwrap();
        }
    }
    // 2022: three wijken need attention, each named with its code, and each has its page.
    let html = std::fs::read_to_string(now.join("report.html")).unwrap();
    // On a phone (400 px) nothing runs off the page: a wide table scrolls inside it.
    let probe = tmp.path().join("narrow.html");
    std::fs::write(
        &probe,
        html.replace(
            "</body>",
            "<script>document.body.dataset.beyond=[...document.querySelectorAll('body *')]\
             .filter(e=>e.getBoundingClientRect().right>window.innerWidth+1\
             &&!(e.parentElement&&e.parentElement.closest('table')))\
             .map(e=>e.tagName+'.'+e.className).join(' ')</script></body>",
        ),
    )
    .unwrap();
    let narrow = String::from_utf8(headless(
        browser,
        tmp.path(),
        &probe,
        &["--window-size=400,900", "--dump-dom"],
    ))
    .unwrap();
    assert!(narrow.contains("data-beyond=\"\""), "{}", {
        let at = narrow.find("data-beyond=").expect("the probe ran");
        &narrow[at..narrow[at..].find('>').map_or(narrow.len(), |e| at + e)]
    });
    // The typology scatter, as the browser lays out its text: every dot of Zwolle has a label,
    // and no label covers another label, another wijk's dot or a quadrant name (boxes of the
    // font, 1 unit of slack for the font's line box above the capitals).
    assert!(
        !html.contains("Zonder naam in de figuur"),
        "every dot has a label"
    );
    let probe = tmp.path().join("scatter.html");
    std::fs::write(
        &probe,
        html.replace(
            "</body>",
            "<script>const s=document.querySelector('svg.scatter');\
             const t=[...s.querySelectorAll('.dots text')],c=[...s.querySelectorAll('.dots circle')],\
             q=[...s.querySelectorAll('text.quadrant')];\
             const hit=(a,b)=>a.x<b.x+b.width-1&&b.x<a.x+a.width-1&&a.y<b.y+b.height-1&&b.y<a.y+a.height-1;\
             const bad=[];t.forEach((e,i)=>{const a=e.getBBox();\
             t.forEach((f,j)=>{if(j>i&&hit(a,f.getBBox()))bad.push(e.textContent+' on '+f.textContent)});\
             c.forEach(d=>{if(d.parentElement!==e.parentElement&&hit(a,d.getBBox()))\
             bad.push(e.textContent+' on the dot of '+d.parentElement.textContent)});\
             q.forEach(f=>{if(hit(a,f.getBBox()))bad.push(e.textContent+' on '+f.textContent)})});\
             document.body.dataset.labels=t.length;document.body.dataset.overlaps=bad.join(' | ')</script></body>",
        ),
    )
    .unwrap();
    let laid_out =
        String::from_utf8(headless(browser, tmp.path(), &probe, &["--dump-dom"])).unwrap();
    assert!(laid_out.contains("data-labels=\"16\""), "16 labels");
    assert!(laid_out.contains("data-overlaps=\"\""), "{}", {
        let at = laid_out.find("data-overlaps=").expect("the probe ran");
        &laid_out[at..laid_out[at..].find('>').map_or(laid_out.len(), |e| at + e)]
    });
    let named = items(&html, "<ol class=\"attention\">", "</ol>");
    assert_eq!(named.len(), 3, "{named:?}");
    for (li, code) in named.iter().zip(["WK019330", "WK019311", "WK019331"]) {
        assert!(li.starts_with(code) && li.contains("rood; saldo"), "{li}");
        assert!(html.contains(&format!("<section id=\"{code}\"")));
    }
    // Print: the summary alone fills page one; the report without wijk pages has the summary
    // and K overview pages; the whole report has exactly 16 pages more.
    let summary_only = format!(
        "{}</main></body></html>",
        &html[..html.find("<div class=\"overview\"").unwrap()]
    );
    let mut without_wijken = html.clone();
    while let Some(a) = without_wijken.find("<section id=") {
        let b = a + without_wijken[a..].find("</section>\n").unwrap() + "</section>\n".len();
        without_wijken.replace_range(a..b, "");
    }
    let p_summary = printed_pages(browser, tmp.path(), "summary", &summary_only);
    let p_overview = printed_pages(browser, tmp.path(), "overview", &without_wijken);
    let p_all = printed_pages(browser, tmp.path(), "all", &html);
    assert_eq!(p_summary, 1, "the summary fills page one");
    assert!(p_overview >= 2, "{p_overview}");
    assert_eq!(
        p_all,
        p_overview + 16,
        "1 summary + {} overview + 16 wijk pages",
        p_overview - 1
    );
}

/// The report of tiny town with its opgave (two targets) in headless Chromium, in Dutch and
/// English: the browser parsed one map path and one section per wijk, the headings of the
/// language, the opgave tables as tables, and a screenshot of the page is made.
#[test]
#[allow(clippy::print_stderr)]
fn chromium_renders_the_report_with_an_opgave_in_both_languages() {
    if std::env::var_os("WIJKBALANS_SKIP_CHROMIUM").is_some_and(|v| v == "1") {
        eprintln!("chromium_renders_the_report_with_an_opgave_in_both_languages: skipped (WIJKBALANS_SKIP_CHROMIUM=1)");
        return;
    }
    let browser = chromium().expect(
        "no Chromium on PATH: run scripts/setup or apt-get install chromium; \
         WIJKBALANS_SKIP_CHROMIUM=1 skips this test",
    );
    let tmp = tempfile::tempdir().unwrap();
    for (lang, heading, opgave) in [
        ("nl", "Overzicht van de gemeente", "Opgavemonitor"),
        ("en", "Municipal overview", "Opgave monitor"),
    ] {
        let out = ok_fresh(&format!(
            "report --areas {TINY_AREAS} --sites {TINY_SITES} --year 2022 --opgave {TINY_OPGAVE} --lang {lang}"
        ));
        let file = out.join("report.html");
        let dom = String::from_utf8(headless(browser, tmp.path(), &file, &["--dump-dom"])).unwrap();
        let codes: Vec<&str> = dom
            .split("data-code=\"")
            .skip(1)
            .map(|p| &p[..p.find('"').unwrap()])
            .collect();
        assert_eq!(codes, ["WK099901", "WK099902", "WK099903"], "{lang}");
        assert_eq!(dom.matches("<section id=").count(), 3, "{lang}");
        assert!(dom.contains(heading) && dom.contains(opgave), "{lang}");
        // Two targets: one pace table each (with the data year marked) and one share table
        // per wijk.
        assert_eq!(dom.matches("<table class=\"opgave\"").count(), 2, "{lang}");
        assert_eq!(
            dom.matches("<table class=\"opgave-share\"").count(),
            3,
            "{lang}"
        );
        assert_eq!(dom.matches("<tr class=\"data-year\"").count(), 2, "{lang}");
        let png = tmp.path().join(format!("report_{lang}.png"));
        headless(
            browser,
            tmp.path(),
            &file,
            &[
                &format!("--screenshot={}", png.display()),
                "--window-size=1200,2000",
            ],
        );
        assert!(std::fs::metadata(&png).unwrap().len() > 10_000, "{lang}");
    }
}

#[test]
fn a_report_with_a_user_level_heads_its_code_column_in_dutch() {
    // Groningen with its gebieden (a --level file): every column of report_wijken.csv has a
    // Dutch header, the level's code column too.
    let out = ok_fresh(
        "report --areas data/cbs-kwb-2022/wijken_groningen.geojson \
         --level data/groningen_gebieden_illustratief.csv --permutations 0",
    );
    let rows = csv_rows_excel(&out.join("report_wijken.csv"));
    assert_eq!(rows.len(), 20);
    assert!(
        rows.iter().all(|r| !r["Code gebied"].is_empty()),
        "{:?}",
        rows[0]
    );
    // Without a sites layer every care metric is undefined: the spreading table says why, in
    // Dutch, where it showed a bare "—"; the Dutch Excel table's notes are Dutch too.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(
            "— <span class=\"reason\">(zorgeenheden onbekend: er is geen zorglocatielaag (geef --sites))</span>"
        ),
        "the spreading table names why a metric is undefined"
    );
    for r in &rows {
        let notes = &r["Opmerkingen spreiding"];
        assert!(
            !notes.contains("no care") && !notes.contains("undefined"),
            "{notes}"
        );
    }
}

#[test]
fn illustrative_sites_from_a_csv_are_flagged_as_from_a_geojson() {
    // A CSV has no booleans: the `synthetic` column arrives as the text "1" or "true".
    for (mark, flagged) in [("1", true), ("true", true), ("0", false)] {
        let tmp = tempfile::tempdir().unwrap();
        let sites = write(
            tmp.path(),
            "zorglocaties.csv",
            &format!(
                "name,units,target_group,status,x,y,synthetic\n\
                 De Tippe,17,beschermd_thuis,existing,200242.4,503745.7,{mark}\n"
            ),
        );
        let out = out_dir(&tmp);
        ok(&[
            "report",
            "--sites",
            s(&sites),
            "--sites-crs",
            "EPSG:28992",
            "--out",
            s(&out),
            "-q",
        ]);
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        assert_eq!(md.contains("ILLUSTRATIEF"), flagged, "synthetic = {mark}");
    }
}
