use super::*;

/// Snapshots live with the report fixtures (`tests/fixtures/report/snapshots`), those of the
/// QGIS styles too.
pub(crate) fn snapshots() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/report/snapshots"
    ));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Asserts that `html` contains every fragment.
#[track_caller]
fn assert_has(html: &str, fragments: &[&str]) {
    for f in fragments {
        assert!(html.contains(f), "missing: {f}");
    }
}

/// About 1 km in degrees of latitude, and of longitude at 52.5° N.
const KM_LAT: f64 = 0.009;
const KM_LON: f64 = 0.009 / 0.6088;

/// A 1 km square with its south-west corner `(i, j)` km from (6.1, 52.5).
fn square(i: f64, j: f64) -> Vec<[f64; 2]> {
    let (x, y) = (6.1 + i * KM_LON, 52.5 + j * KM_LAT);
    vec![
        [x, y],
        [x + KM_LON, y],
        [x + KM_LON, y + KM_LAT],
        [x, y + KM_LAT],
        [x, y],
    ]
}

fn iv(id: &str, value: Option<f64>, z: Option<f64>) -> IndicatorValue {
    IndicatorValue {
        id: id.into(),
        value,
        z,
    }
}

/// The numbers of an area: care units, per 1,000, fair-share ratio, draagkracht, draaglast,
/// saldo, with its signal and typology code.
fn state(n: [f64; 6], signal: &str, typology: &str) -> ScenarioState {
    ScenarioState {
        care_units: Some(n[0]),
        care_units_per_1000: Some(n[1]),
        fair_share_ratio: Some(n[2]),
        draagkracht: Some(n[3]),
        draaglast: Some(n[4]),
        saldo: Some(n[5]),
        saldo_uncapped: None,
        signal: signal.into(),
        typology: Some(typology.into()),
    }
}

/// An area with its code, name and population, the numbers of [`state`] and its signal,
/// typology code and label; no lists.
fn area(
    (code, name, population): (&str, &str, f64),
    numbers: [f64; 6],
    (signal, typology, typology_label): (&str, &str, &str),
) -> AreaReport {
    AreaReport {
        code: code.into(),
        name: name.into(),
        population,
        state: state(numbers, signal, typology),
        typology_label: Some(typology_label.into()),
        ..AreaReport::default()
    }
}

/// A contribution to the saldo.
fn driver(id: &str, contribution: f64) -> SaldoDriver {
    SaldoDriver {
        id: id.into(),
        contribution,
    }
}

/// Three wijken as 1 km squares around (6.1, 52.5): Centrum (rood), Oost (neutraal) east of
/// it, Noord (ruimte, with a hole and a scenario) north of it.
fn fixture() -> ReportData {
    let mut hole = square(0.4, 1.4);
    for p in &mut hole {
        // Shrink to a 200 m square in the middle of Noord.
        p[0] = 6.1 + 0.4 * KM_LON + (p[0] - (6.1 + 0.4 * KM_LON)) * 0.2;
        p[1] = 52.5 + 1.4 * KM_LAT + (p[1] - (52.5 + 1.4 * KM_LAT)) * 0.2;
    }
    let centrum = AreaReport {
        rings: vec![square(0.0, 0.0)],
        saldo_drivers: vec![driver("DL2", -0.9), driver("DK1", -0.8)],
        lisa_label: Some("HH".into()),
        lisa_p: Some(0.029),
        indicators: vec![
            iv("DL2", Some(18.4), Some(0.9)),
            iv("DK1", Some(35.2), Some(-0.8)),
            iv("C2", Some(5432.1), None),
        ],
        sites: vec![
            SiteLine {
                name: "De Herberg".into(),
                group: "Maatschappelijke opvang".into(),
                units: 28.0,
                status: "existing".into(),
            },
            SiteLine {
                name: "Vriendenhuis".into(),
                group: "Beschermd wonen".into(),
                units: 12.0,
                status: "planned".into(),
            },
        ],
        neighbours: vec!["WK000102".into(), "WK000103".into()],
        ..area(
            ("WK000101", "Centrum", 12345.0),
            [40.0, 3.24, 1.85, -0.8, 0.9, -1.7],
            ("rood", "K1-L3", "kracht laag / last hoog"),
        )
    };
    let oost = AreaReport {
        rings: vec![square(1.0, 0.0)],
        saldo_drivers: vec![driver("DK1", 0.3)],
        lisa_label: Some("niet significant".into()),
        lisa_p: Some(0.374),
        indicators: vec![
            iv("DK1", Some(58.0), Some(0.3)),
            iv("DL2", Some(13.0), Some(0.1)),
            iv("C2", None, None),
        ],
        neighbours: vec!["WK000101".into()],
        ..area(
            ("WK000102", "Oost & <Zuid>", 4321.0),
            [6.0, 1.39, 0.79, 0.3, 0.1, 0.2],
            ("neutraal", "K2-L2", "kracht midden / last midden"),
        )
    };
    let noord_numbers = [0.0, 0.0, 0.0, 0.9, -0.4, 1.3];
    let noord = AreaReport {
        rings: vec![square(0.0, 1.0), hole],
        saldo_drivers: vec![driver("DK1", 0.9), driver("DL2", 0.4)],
        indicators: vec![
            iv("DK1", Some(71.5), Some(0.9)),
            iv("DL2", Some(8.2), Some(-0.4)),
            iv("C2", Some(2100.0), None),
        ],
        neighbours: vec!["WK000101".into(), "GM9999".into()],
        scenario: Some(BeforeAfter {
            before: state(noord_numbers, "ruimte", "K3-L1"),
            after: state([12.0, 1.5, 0.61, 0.9, -0.15, 1.05], "ruimte", "K3-L1"),
        }),
        ..area(
            ("WK000103", "Noord", 8000.0),
            noord_numbers,
            ("ruimte", "K3-L1", "kracht hoog / last laag"),
        )
    };
    ReportData {
        title: "Wijkbalans Voorbeeldstad".into(),
        subtitle: "CBS kerncijfers wijken en buurten 2022; zorglocaties: illustratief".into(),
        generated_by: "wijkbalans 0.1.0".into(),
        areas: vec![centrum, oost, noord],
        indicators: vec![
            IndicatorInfo {
                id: "DL2".into(),
                label: "% huishoudens met een laag inkomen".into(),
                block: "draaglast".into(),
                mean: Some(12.1),
                unit: "%".into(),
                shown: Shown::AsIs,
                source: "pct_low_income_households".into(),
            },
            IndicatorInfo {
                id: "DK1".into(),
                label: "% koopwoningen".into(),
                block: "draagkracht".into(),
                mean: Some(52.3),
                unit: "%".into(),
                shown: Shown::AsIs,
                source: "pct_owner_occupied".into(),
            },
            IndicatorInfo {
                id: "C2".into(),
                label: "inwoners per km²".into(),
                block: "context".into(),
                mean: Some(3456.7),
                unit: "inw./km²".into(),
                shown: Shown::AsIs,
                source: "density".into(),
            },
        ],
        spreading: vec![
            MetricLine::standard("fair_share_dissimilarity", Some(0.3127)),
            MetricLine::standard("gini", Some(0.45)),
            MetricLine {
                undefined_reason: Some("te weinig wijken".into()),
                ..MetricLine::standard("morans_i", None)
            },
            MetricLine::standard("effective_areas", Some(1.9)),
        ],
        signal_thresholds: [-1.0, -0.5, 0.5],
        notes: vec![
            "Zorglocaties zijn illustratief.".into(),
            "DL3 (bijstand) overgeslagen: kolom ontbreekt.".into(),
        ],
        warning: None,
        opgave: None,
        sections: None,
        source_year: Some(2022),
        map_width_m: None,
        previous: None,
        care_known: true,
        suppressed_below: None,
    }
}

/// The fixture with an opgave of two targets: 30 places beschermd thuis over the whole town
/// (2021–2023, 10 a year, data year 2022), and 6 places jongeren in Oost only. Centrum is
/// rood and has no share naar vermogen.
fn with_opgave() -> ReportData {
    let mut data = fixture();
    let year = |y, target, realised, planned, proposed| PaceYear {
        year: y,
        target,
        realised: Some(realised),
        planned: Some(planned),
        proposed: Some(proposed),
        gap: Some(target - realised - planned),
        on_pace: realised >= target,
    };
    // (group, label, area), places, (from, to), places a year, source, years, places planned
    // without a year; nothing is planned after the deadline.
    let target = |(group, group_label, area): (&str, &str, Option<&str>),
                  places,
                  (from, to),
                  per_year,
                  source: &str,
                  years,
                  planned_year_unknown| TargetReport {
        group: group.into(),
        group_label: group_label.into(),
        area: area.map(Into::into),
        path: TargetPath {
            places,
            from,
            to,
            per_year,
        },
        source: source.into(),
        years,
        planned_year_unknown: Some(planned_year_unknown),
        after_deadline: Some(0.0),
        not_shared: Vec::new(),
    };
    data.opgave = Some(OpgaveReport {
        title: "Voorbeeldstad: opgave".into(),
        data_year: 2022,
        beta: 0.5,
        allow_rood: false,
        targets: vec![
            target(
                ("beschermd_thuis", "Beschermd thuis", None),
                30,
                (2021, 2023),
                Some(10),
                "Voorbeeldbeleid 2021",
                vec![
                    year(2021, 0.0, 4.0, 0.0, 0.0),
                    year(2022, 10.0, 4.0, 3.0, 2.0),
                    year(2023, 20.0, 4.0, 19.0, 2.0),
                ],
                7.0,
            ),
            target(
                ("jongeren", "Jongeren", Some("WK000102")),
                6,
                (2022, 2024),
                None,
                "Voorbeeld",
                vec![
                    year(2022, 0.0, 0.0, 0.0, 0.0),
                    year(2023, 3.0, 0.0, 0.0, 0.0),
                    year(2024, 6.0, 0.0, 0.0, 0.0),
                ],
                0.0,
            ),
        ],
        suppressed_below: None,
    });
    let share = |target, current: f64, pop: u32, cap: u32, note| AreaShare {
        target,
        in_scope: true,
        current: Some(current),
        share_population: Some(pop),
        share_capacity: Some(cap),
        gap_population: Some(current - f64::from(pop)),
        gap_capacity: Some(current - f64::from(cap)),
        capacity_note: note,
    };
    let outside = |target| AreaShare {
        target,
        ..AreaShare::default()
    };
    data.areas[0].opgave = vec![share(0, 4.0, 15, 0, Some(ShareNote::Rood)), outside(1)];
    data.areas[1].opgave = vec![share(0, 0.0, 5, 9, None), share(1, 0.0, 6, 6, None)];
    data.areas[2].opgave = vec![share(0, 0.0, 10, 21, None), outside(1)];
    data
}

/// The opening tags named `name` (e.g. `"<path"`), each up to its `>`.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    html.match_indices(name)
        .filter(|(i, _)| {
            let next = html[i + name.len()..].chars().next();
            matches!(next, Some(' ') | Some('>') | Some('/'))
        })
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// Every non-void element is closed in order; comments and the doctype are skipped.
fn balanced(html: &str) -> Result<(), String> {
    const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let gt = rest[lt..].find('>').ok_or("unclosed <")? + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name => continue,
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            return Err(format!("bad tag <{tag}>"));
        }
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        stack.push(name);
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

/// The texts of all `<h2>`…`<h4>` headers.
fn headers(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for h in ["h2", "h3", "h4"] {
        let open = format!("<{h}>");
        let close = format!("</{h}>");
        for (i, _) in html.match_indices(&open) {
            let s = &html[i + open.len()..];
            out.push(s[..s.find(&close).unwrap()].to_string());
        }
    }
    out
}

#[test]
fn one_path_with_data_code_per_area() {
    let data = fixture();
    let html = render(&data, Lang::Nl);
    let codes: Vec<&str> = tags(&html, "<path")
        .into_iter()
        .filter_map(|t| attr(t, "data-code"))
        .collect();
    assert_eq!(codes, ["WK000101", "WK000102", "WK000103"]);
    // Noord has a hole: two sub-paths, drawn even-odd.
    let noord = tags(&html, "<path")
        .into_iter()
        .find(|t| attr(t, "data-code") == Some("WK000103"))
        .unwrap();
    assert_eq!(attr(noord, "d").unwrap().matches('M').count(), 2);
    assert!(html.contains("fill-rule=\"evenodd\""));
}

#[test]
fn one_section_per_area() {
    let html = render(&fixture(), Lang::Nl);
    let ids: Vec<&str> = tags(&html, "<section")
        .into_iter()
        .map(|t| attr(t, "id").unwrap())
        .collect();
    assert_eq!(ids, ["WK000101", "WK000102", "WK000103"]);
}

#[test]
fn no_network_references() {
    for lang in [Lang::Nl, Lang::En] {
        let html = render(&fixture(), lang);
        let cleaned = html.replace("http://www.w3.org/2000/svg", "");
        assert!(!cleaned.contains("http://"), "{lang:?}");
        assert!(!cleaned.contains("https://"), "{lang:?}");
        assert!(!cleaned.contains("<script"));
        assert!(!cleaned.contains("<link"));
        assert!(!cleaned.contains("url("));
        assert!(!cleaned.contains("@import"));
        assert!(!cleaned.contains("src="));
    }
}

#[test]
fn dutch_numbers_have_a_decimal_comma() {
    let html = render(&fixture(), Lang::Nl);
    for s in [
        "−1,70", "−0,80", "0,90", "3,24", "1,85", "18,4 %", "0,313", "12.345",
    ] {
        assert!(html.contains(s), "{s}");
    }
    for s in ["−1.70", "3.24", "1.85", "18.4 %", "0.313"] {
        assert!(!html.contains(s), "{s}");
    }
    let en = render(&fixture(), Lang::En);
    for s in ["−1.70", "3.24", "1.85", "18.4 %", "0.313", "12,345"] {
        assert!(en.contains(s), "{s}");
    }
    assert!(!en.contains("−1,70"));
}

#[test]
fn english_has_no_dutch_section_headers() {
    let nl = render(&with_opgave(), Lang::Nl);
    let en = render(&with_opgave(), Lang::En);
    let codes = ["WK000101", "WK000102", "WK000103"];
    let dutch: Vec<String> = headers(&nl)
        .into_iter()
        .filter(|h| !codes.iter().any(|c| h.contains(c)))
        .collect();
    assert!(dutch.len() >= 8, "{dutch:?}");
    let english = headers(&en);
    for h in &english {
        assert!(!dutch.contains(h), "Dutch header in English: {h}");
    }
    assert!(en.contains("<html lang=\"en\">"));
    assert!(nl.contains("<html lang=\"nl\">"));
    assert_has(
        &en,
        &[
            "Municipal overview",
            "capacity low / burden high",
            ">red</span>",
            "Share to move (fair share)",
        ],
    );
}

#[test]
fn text_is_escaped() {
    let html = render(&fixture(), Lang::Nl);
    assert!(html.contains("Oost &amp; &lt;Zuid&gt;"));
    assert!(!html.contains("<Zuid>"));
    let mut data = fixture();
    data.title = "<script>alert(1)</script>".into();
    data.areas[0].code = "WK\"1".into();
    let html = render(&data, Lang::Nl);
    assert!(!html.contains("<script>"));
    assert_has(
        &html,
        &[r#"<section id="WK_1""#, r#"data-code="WK&quot;1""#],
    );
    balanced(&html).unwrap();
}

#[test]
fn markup_is_balanced() {
    for lang in [Lang::Nl, Lang::En] {
        balanced(&render(&fixture(), lang)).unwrap();
        balanced(&render(&with_opgave(), lang)).unwrap();
    }
    assert!(balanced("<div><p></div></p>").is_err());
    assert!(balanced("<div>").is_err());
}

#[test]
fn output_is_deterministic() {
    assert_eq!(render(&fixture(), Lang::Nl), render(&fixture(), Lang::Nl));
}

#[test]
fn area_sections_carry_the_profile() {
    let html = render(&fixture(), Lang::Nl);
    let section = |code: &str| {
        let start = html.find(&format!("<section id=\"{code}\"")).unwrap();
        let end = start + html[start..].find("</section>").unwrap();
        html[start..end].to_string()
    };
    let centrum = section("WK000101");
    assert_has(
        &centrum,
        &[
            "<span class=\"badge sig-rood\">rood</span>",
            "K1-L3 · kracht laag / last hoog",
            "<span class=\"id\">DL2</span> % huishoudens met een laag inkomen <strong>−0,90</strong>",
            "HH: veel zorg, buren ook",
            "De Herberg",
            "gepland",
            "<a href=\"#WK000102\">WK000102 Oost &amp; &lt;Zuid&gt;</a>",
            "<use href=\"#wb-base\"/>",
        ],
    );
    assert_eq!(
        centrum.matches("class=\"zbar\"").count(),
        2,
        "no bar for context"
    );
    // Draagkracht first, then draaglast, then context.
    let bars = &centrum[centrum.find("class=\"bars\"").unwrap()..];
    let (dk, dl, c) = (
        bars.find(">DK1<").unwrap(),
        bars.find(">DL2<").unwrap(),
        bars.find(">C2<").unwrap(),
    );
    assert!(dk < dl && dl < c);
    assert!(!centrum.contains("Scenario"));
    let oost = section("WK000102");
    assert!(oost.contains("Geen zorglocaties in deze wijk."));
    let noord = section("WK000103");
    assert_has(&noord, &["Scenario: voor en na", "+12", "−0,25"]);
    assert!(
        noord.contains("<li>GM9999</li>"),
        "unknown neighbour unlinked"
    );
}

#[test]
fn overview_has_the_figures_and_tables() {
    let html = render(&fixture(), Lang::Nl);
    assert_eq!(html.matches("<circle ").count(), 3);
    assert!(html.contains("een signaal, geen oordeel") || html.contains("signaal, geen oordeel"));
    assert_has(
        &html,
        &[
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\"",
            "class=\"scatter\"",
            "rood: saldo ≤ −1,0",
            "neutraal: −0,5 &lt; saldo &lt; 0,5",
            "— <span class=\"reason\">(te weinig wijken)</span>",
            "Zorglocaties zijn illustratief.",
            "@media print",
            "section.area{break-before:page",
            // Map labels sit inside their square.
            ">Centrum</text>",
        ],
    );
}

#[test]
fn the_projection_keeps_squares_square() {
    let html = render(&fixture(), Lang::Nl);
    let d = tags(&html, "<path")
        .into_iter()
        .find(|t| attr(t, "data-code") == Some("WK000101"))
        .and_then(|t| attr(t, "d"))
        .unwrap()
        .to_string();
    let pts: Vec<[f64; 2]> = d
        .trim_end_matches('Z')
        .split(['M', 'L'])
        .filter(|s| !s.is_empty())
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            [x.parse().unwrap(), y.parse().unwrap()]
        })
        .collect();
    assert_eq!(pts.len(), 4);
    let w = (pts[1][0] - pts[0][0]).abs();
    let h = (pts[2][1] - pts[1][1]).abs();
    assert!((w / h - 1.0).abs() < 0.01, "w {w} h {h}");
}

#[test]
fn empty_and_partial_data_render() {
    let html = render(&ReportData::default(), Lang::Nl);
    assert_has(
        &html,
        &[
            "Er is geen geometrie om te tekenen.",
            "Geen spreidingsmaten berekend.",
        ],
    );
    balanced(&html).unwrap();
    let mut data = fixture();
    data.areas[1].state.draaglast = None;
    data.areas[1].state.signal = "iets anders".into();
    data.areas[2].rings.clear();
    let html = render(&data, Lang::Nl);
    assert_has(
        &html,
        &[
            "Wijken zonder draagkracht of draaglast, niet in de figuur: 1.",
            "sig-onbekend",
        ],
    );
    assert_eq!(html.matches("data-code=").count(), 2);
    assert_eq!(html.matches("<section ").count(), 3);
    balanced(&html).unwrap();
}

#[test]
fn standard_metric_lines() {
    let m = MetricLine::standard("clark_evans", Some(0.8));
    assert_eq!(m.name_en, "Clark-Evans R");
    assert!(m.explanation_nl.contains("geclusterd"));
    let other = MetricLine::standard("iets", None);
    assert_eq!(other.name_nl, "iets");
    assert!(other.explanation_nl.is_empty());
    for (id, ..) in text::METRICS {
        let m = MetricLine::standard(id, None);
        assert!(!m.explanation_nl.is_empty() && !m.explanation_en.is_empty());
    }
    assert_eq!(Lang::from_code("EN"), Some(Lang::En));
    assert_eq!(Lang::Nl.code(), "nl");
    assert_eq!(Lang::from_code("de"), None);
}

/// The HTML of the element that starts at `start` (e.g. `<section id="WK000101"`) up to its
/// closing tag `end`.
fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let j = i + html[i..].find(end).unwrap();
    &html[i..j]
}

#[test]
fn the_opgave_overview_shows_the_pace_per_year() {
    let html = render(&with_opgave(), Lang::Nl);
    let block = part(&html, "<div class=\"block\" id=\"opgave\">", "</div>");
    assert_has(
        block,
        &[
            "Opgavemonitor: Voorbeeldstad: opgave",
            "Beschermd thuis: 30 plekken van 2021 tot 2023, 10 per jaar",
        ],
    );
    assert!(
        block.contains("Jongeren: 6 plekken van 2022 tot 2024, in gelijke stappen, in WK000102")
    );
    let table = part(block, "<table class=\"opgave\">", "</table>");
    assert_eq!(table.matches("<tr").count(), 4, "a header and three years");
    // 2022 is the data year: highlighted, behind, with the gap after the planned places.
    assert!(table.contains(
        "<tr class=\"data-year\"><td>2022</td><td class=\"num\">10</td><td class=\"num\">4</td>\
         <td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">3</td>\
         <td><span class=\"pace-no\">nee: 6 achter; met wat gepland is blijft een tekort van 3</span></td></tr>"
    ));
    assert_has(
        table,
        &[
            "ja: 4 gerealiseerd, het doelpad vraagt 0",
            "nee: 16 achter, maar met wat gepland is op het doelpad",
        ],
    );
    assert!(
        table.contains("<td class=\"num\">−3</td>"),
        "ahead: a negative gap"
    );
    assert!(block.contains(
        "In 2022 (het jaar van de cijfers) vraagt het doelpad 10 plekken; gerealiseerd zijn er 4, \
         gepland 3: achter op schema, tekort 3."
    ));
    // 10 a year from 2021 reaches 20 by 2023, not 30; 7 planned without a year.
    assert_has(
        block,
        &[
            "Het tempo haalt in 2023 20 plekken, niet 30",
            "Gepland zonder jaar (in geen enkel jaar meegeteld): 7.",
            "Bron: Voorbeeldbeleid 2021",
            "β = 0,5",
        ],
    );
    balanced(&html).unwrap();
}

#[test]
fn every_area_section_has_its_fair_share_and_the_reason_for_none() {
    let html = render(&with_opgave(), Lang::Nl);
    let centrum = part(&html, "<section id=\"WK000101\"", "</section>");
    let table = part(centrum, "<table class=\"opgave-share\">", "</table>");
    assert!(table.contains(
        "<tr><th>Beschermd thuis</th><td class=\"num\">4</td><td class=\"num\">15</td>\
         <td class=\"num\">−11</td><td class=\"num\">0</td><td class=\"num\">+4</td></tr>"
    ));
    assert_has(
        table,
        &[
            "Jongeren (WK000102)",
            "ligt buiten het gebied van dit doel (WK000102): geen aandeel",
        ],
    );
    assert!(centrum.contains(
        "Beschermd thuis: Geen aandeel naar vermogen: de wijk staat op rood (saldo −1,70)"
    ));
    let oost = part(&html, "<section id=\"WK000102\"", "</section>");
    assert!(oost.contains("<td class=\"num\">9</td><td class=\"num\">−9</td>"));
    assert!(
        !oost.contains("class=\"note\""),
        "no reason where there is a share"
    );
    assert!(!oost.contains("buiten het gebied"));
    // Without an opgave there is no opgave block and no opgave table.
    let plain = render(&fixture(), Lang::Nl);
    assert!(!plain.contains("id=\"opgave\"") && !plain.contains("<table class=\"opgave-share\">"));
}

#[test]
fn the_opgave_has_english_labels() {
    let en = render(&with_opgave(), Lang::En);
    assert_has(
        &en,
        &[
            "Opgave monitor: Voorbeeldstad: opgave",
            "On pace?",
            "no: 6 behind; with what is planned a gap of 3 remains",
            "lies outside the area of this target (WK000102): no share",
            "No share naar vermogen: the area is red (balance −1.70)",
        ],
    );
    for dutch in [
        "Gerealiseerd",
        "Tekort",
        "Naar inwoners",
        "gepland is",
        "het eerlijke deel",
    ] {
        assert!(!en.contains(dutch), "{dutch}");
    }
}

#[test]
fn only_the_chosen_sections_are_rendered_and_linked() {
    let mut data = with_opgave();
    data.sections = Some(vec!["WK000102".into()]);
    let html = render(&data, Lang::Nl);
    let ids: Vec<&str> = tags(&html, "<section")
        .into_iter()
        .map(|t| attr(t, "id").unwrap())
        .collect();
    assert_eq!(ids, ["WK000102"]);
    // The overview keeps every area, and links only to the section present.
    let codes: Vec<&str> = tags(&html, "<path")
        .into_iter()
        .filter_map(|t| attr(t, "data-code"))
        .collect();
    assert_eq!(codes, ["WK000101", "WK000102", "WK000103"]);
    assert_eq!(html.matches("<tr><td>WK000101</td>").count(), 1);
    assert!(!html.contains("href=\"#WK000101\"") && !html.contains("href=\"#WK000103\""));
    assert!(
        html.matches("href=\"#WK000102\"").count() >= 3,
        "map, scatter, table"
    );
    let oost = part(&html, "<section id=\"WK000102\"", "</section>");
    assert!(
        oost.contains("<li>WK000101 Centrum</li>"),
        "neighbour without a section: no link"
    );
    balanced(&html).unwrap();
}

#[test]
fn the_opgave_markdown_lists_the_pace_and_every_area_with_a_section() {
    let mut data = with_opgave();
    let md = opgave_markdown(&data, Lang::Nl);
    assert_has(&md, &["| 2022 | 10 | 4 | 3 | 2 | 3 | nee: 6 achter;", "| WK000101 Centrum | Beschermd thuis | 4 | 15 | −11 | 0 | 4 | Geen aandeel naar vermogen: de wijk staat op rood (saldo −1,70)"]);
    assert!(
        md.contains("| WK000101 Centrum | Jongeren | - | - | - | - | - | ligt buiten het gebied")
    );
    data.sections = Some(vec!["WK000103".into()]);
    let md = opgave_markdown(&data, Lang::En);
    assert!(
        !md.contains("| WK000101 ")
            && md.contains("| WK000103 Noord | Beschermd thuis | 0 | 10 | −10 | 21 | −21 |  |")
    );
    assert!(md.contains("| year | target path | realised | planned | proposed | gap | on pace? |"));
    assert_eq!(opgave_markdown(&fixture(), Lang::Nl), "");
}

#[test]
fn snapshot_dutch() {
    snapshots().bind(|| insta::assert_snapshot!("report_html_nl", render(&fixture(), Lang::Nl)));
}

#[test]
fn the_warning_stands_under_the_title_on_the_map_and_on_every_wijk_page() {
    let data = ReportData {
        warning: Some("Zorglocaties zijn ILLUSTRATIEF.".into()),
        ..fixture()
    };
    let html = render(&data, Lang::Nl);
    let n = data.areas.len();
    assert_eq!(html.matches("<p class=\"warning\"").count(), 2 + n);
    for s in html.split("<section id=").skip(1) {
        assert!(s.contains("⚠ Zorglocaties zijn ILLUSTRATIEF."));
    }
    assert!(!render(&fixture(), Lang::Nl).contains("class=\"warning\""));
}

#[test]
fn woz_computed_on_its_logarithm_is_shown_in_euros() {
    let mut data = fixture();
    data.indicators.push(IndicatorInfo {
        id: "DK2".into(),
        label: "ln(gemiddelde WOZ-waarde)".into(),
        block: "draagkracht".into(),
        // ln(291) for € 291.000; a wijk with ln(202) = 5,308 shows € 202.000.
        mean: Some(291f64.ln()),
        unit: "€".into(),
        shown: Shown::LnThousandEuros,
        source: "ln(mean_woz)".into(),
    });
    data.areas[0].indicators.push(IndicatorValue {
        id: "DK2".into(),
        value: Some(202f64.ln()),
        z: Some(-0.5),
    });
    let html = render(&data, Lang::Nl);
    assert!(html.contains("<td class=\"num\">€ 291.000</td><td>€</td>"));
    assert!(html.contains("<td class=\"num\">€ 202.000</td><td class=\"num\">€ 291.000</td>"));
    assert!(!html.contains("5,31") && !html.contains("5,67"));
}

#[test]
fn the_summary_names_the_wijken_that_need_attention_with_their_reasons() {
    let data = fixture();
    let html = render(&data, Lang::Nl);
    let summary =
        &html[html.find("id=\"samenvatting\"").unwrap()..html.find("id=\"overzicht\"").unwrap()];
    let ranked = attention(&data.areas);
    // Every candidate is named in rank order, with its signal and saldo.
    let named: Vec<&str> = summary
        .split("<ol class=\"attention\">")
        .nth(1)
        .unwrap()
        .split("</ol>")
        .next()
        .unwrap()
        .matches("<li>")
        .collect();
    assert_eq!(named.len(), ranked.len());
    for &i in &ranked {
        let a = &data.areas[i];
        let named = format!("{} {}", a.code, esc(&a.name));
        assert!(summary.contains(&named), "{} not named", a.code);
    }
    assert!(summary.contains("Geen vorige jaargang opgegeven"));
    assert!(summary.contains("CBS 2022"));
    assert!(summary_markdown(&data, Lang::Nl).contains("### Drie wijken die aandacht vragen"));
}

/// The fixture with a previous vintage named `label`, no area in one vintage only.
fn since(label: &str) -> ReportData {
    let mut data = fixture();
    data.previous = Some(PreviousReport {
        label: label.into(),
        only_before: vec![],
        only_after: vec![],
    });
    data
}

#[test]
fn the_trend_column_and_the_summary_say_what_changed() {
    let mut data = since("2020");
    let before = data.areas[0].state.saldo.unwrap() + 0.40;
    data.areas[0].trend = Some(Trend {
        signal_before: "ruimte".into(),
        saldo_before: Some(before),
        saldo_change: Some(-0.40),
        boundary_changed: false,
        saldo_unlike: false,
        not_compared: vec!["dl3: niet in 2020: de kolom ontbreekt".into()],
    });
    data.areas[1].trend = Some(Trend {
        signal_before: data.areas[1].state.signal.clone(),
        boundary_changed: true,
        ..Trend::default()
    });
    let html = render(&data, Lang::Nl);
    let a = &data.areas[0];
    assert!(html.contains(&format!(
        "ruimte → {}; −0,40 †",
        text::signal_name(&a.state.signal, Lang::Nl)
    )));
    assert!(html.contains("grens gewijzigd: niet vergeleken"));
    assert!(html.contains("nieuw (niet in het vorige jaar)"));
    assert!(html.contains("<li>dl3: niet in 2020: de kolom ontbreekt</li>"));
    assert!(html.contains("Wat is veranderd sinds 2020"));
    assert!(html.contains(&format!(
        "Grootste daling van het saldo: {} {} (−0,40)",
        a.code, a.name
    )));
    // A fall is a position within each year's gemeente: the summary says a wijk can move
    // because others did.
    assert!(html.contains(
        "Let op: een saldo is de plaats van een wijk ten opzichte van het \
         gemiddelde van de gemeente in dat jaar."
    ));
    // A list that ends on a name with a full stop gets no second one.
    if let Some(p) = &mut data.previous {
        p.only_before = vec!["WK001418 Haren-Oost e.o.".into()];
    }
    let md = summary_markdown(&data, Lang::Nl);
    assert!(
        md.contains("Alleen in 2020: WK001418 Haren-Oost e.o.\n"),
        "{md}"
    );
}

#[test]
fn the_map_has_a_scale_bar_from_the_rd_width() {
    let mut data = fixture();
    let proj = Projection::fit(&data.areas).unwrap();
    // 20 m per view-box unit: a quarter of the map is 0,25 · width · 20 m; the bar is the
    // largest 1, 2 or 5 × 10ⁿ m below it.
    data.map_width_m = Some(proj.drawn_width() * 20.0);
    let max_m = 0.25 * proj.width * 20.0;
    let expected = [10_000.0, 5_000.0, 2_000.0, 1_000.0, 500.0, 200.0, 100.0]
        .into_iter()
        .find(|m| *m <= max_m)
        .unwrap();
    let html = render(&data, Lang::Nl);
    let bar = html
        .split("<g class=\"scale-bar\"")
        .nth(1)
        .expect("a scale bar");
    assert!(
        bar.starts_with(&format!(" data-metres=\"{expected}\"")),
        "{bar}"
    );
    let width = format!("width=\"{}\"", fmt::coord(expected / 20.0));
    assert!(bar.contains(&width), "{width} in {bar}");
    // Without the RD width there is no bar, rather than a guessed one.
    assert!(!render(&fixture(), Lang::Nl).contains("scale-bar"));
}

#[test]
fn every_area_on_the_map_has_a_label_inside_or_with_a_leader() {
    let data = fixture();
    let proj = Projection::fit(&data.areas).unwrap();
    let rings: Vec<_> = data.areas.iter().map(|a| proj.rings(&a.rings)).collect();
    let labels = svg::place_map_labels(&data, &rings, [proj.width, proj.height]);
    for (a, l) in data.areas.iter().zip(&labels) {
        let l = l
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no label", a.code));
        assert_eq!(l.text, a.name);
    }
    // The same inputs give the same places.
    assert_eq!(
        labels,
        svg::place_map_labels(&data, &rings, [proj.width, proj.height])
    );
    // A name too wide for its 1 km square goes outside with a leader line.
    let mut long = data.clone();
    long.areas[2].name = "Noordelijke Uitbreidingswijk Buitengebied aan de Oostelijke Dijk".into();
    let labels = svg::place_map_labels(&long, &rings, [proj.width, proj.height]);
    let l = labels[2].as_ref().unwrap();
    assert!(l.from.is_some(), "{l:?}");
    assert!(
        render(&long, Lang::Nl).contains("<text x=")
            && render(&long, Lang::Nl).contains("class=\"outside\"")
    );
}

#[test]
fn signals_of_saldi_on_other_indicators_are_shown_not_counted_as_a_change() {
    let mut data = since("2022");
    let before = if data.areas[0].state.signal == "rood" {
        "ruimte"
    } else {
        "rood"
    };
    data.areas[0].trend = Some(Trend {
        signal_before: before.into(),
        saldo_unlike: true,
        not_compared: vec!["saldo: de draaglast rust in 2022 op DL2, DL7 en in 2024 op DL7".into()],
        ..Trend::default()
    });
    let html = render(&data, Lang::Nl);
    let now = text::signal_name(&data.areas[0].state.signal, Lang::Nl);
    assert!(
        html.contains(&format!("toen {before}, nu {now} (niet vergeleken); — †")),
        "the cell shows both signals and says they are not compared"
    );
    let md = summary_markdown(&data, Lang::Nl);
    assert!(
        md.contains("0 van de "),
        "the area is not among those with a comparable signal: {md}"
    );
    assert!(md.contains("in 0 daarvan veranderde het signaal."), "{md}");
    assert!(
        !md.contains("Let op: een saldo"),
        "nothing moved, nothing to warn of: {md}"
    );
}

#[test]
fn without_any_saldo_the_summary_says_so_in_the_right_number() {
    let mut data = fixture();
    let n = data.areas.len();
    for a in &mut data.areas {
        a.state.saldo = None;
        a.state.draagkracht = None;
        a.state.signal = "onbekend".into();
    }
    let md = summary_markdown(&data, Lang::Nl);
    assert!(
        md.contains(&format!(
            "Geen van de {n} wijken heeft een bekend saldo, dus geen wijk is als aandachtswijk aan te wijzen."
        )),
        "{md}"
    );
    assert!(
        md.contains(&format!("Zonder saldo: {n} wijken missen de draagkracht (")),
        "{md}"
    );
    assert!(!md.contains("0 de draaglast"), "{md}");
    let en = summary_markdown(&data, Lang::En);
    assert!(
        en.contains(&format!("None of the {n} areas has a known balance")),
        "{en}"
    );
}

#[test]
fn a_signal_from_the_care_rate_not_clamped_is_ranked_and_explained_by_that_saldo() {
    // Noord is `ruimte` on its clamped saldo, but its care rate (z 11 instead of 3) makes the
    // saldo −1.89 and the wijk rood (docs/METHOD.md §2.4): it needs attention first, and the
    // report says which saldo its signal follows.
    let mut data = fixture();
    let k = data
        .areas
        .iter()
        .position(|a| a.code == "WK000103")
        .unwrap();
    let s = &mut data.areas[k].state;
    (s.saldo, s.saldo_uncapped, s.signal) = (Some(2.15), Some(-1.89), "rood".into());
    assert_eq!(attention(&data.areas)[0], k);
    let html = render(&data, Lang::Nl);
    assert!(html.contains("saldo met de zorgeenheden niet afgekapt −1,89 ≤ −1,0 (grens rood)"));
    assert!(html.contains(
        "<tr><th>Saldo</th><td>2,15 (met de zorgeenheden niet afgekapt −1,89; het signaal volgt \
         dat saldo)</td></tr>"
    ));
}

#[test]
fn a_scatter_dot_without_room_for_a_label_is_named_in_the_caption() {
    // Twelve wijken with the same scores are twelve dots on one spot: the first two get their
    // names, right and left beside it; the others have no place nearer their own dot than
    // another one.
    let mut data = fixture();
    let first = data.areas[0].clone();
    data.areas = (0..12)
        .map(|k| AreaReport {
            code: format!("WK0001{k:02}"),
            // The last one's name ends with a full stop, as "Ten Post e.o." does.
            name: if k == 11 {
                "Wijk 11 Gelijk e.o.".into()
            } else {
                format!("Wijk {k} Gelijk")
            },
            ..first.clone()
        })
        .collect();
    for lang in [Lang::Nl, Lang::En] {
        let html = render(&data, lang);
        let caption = part(&html, "<figure class=\"scatter-figure\">", "</figure>");
        let named = part(caption, "<p class=\"caption\">", "</p>");
        let words = match lang {
            Lang::Nl => {
                "Zonder naam in de figuur, want er was geen plaats: WK000102 Wijk 2 Gelijk; "
            }
            Lang::En => "Without a name in the figure, for lack of room: WK000102 Wijk 2 Gelijk; ",
        };
        assert!(named.contains(words), "{named}");
        assert!(
            named.ends_with("WK000111 Wijk 11 Gelijk e.o."),
            "one full stop: {named}"
        );
        assert!(
            !named.contains("WK000101 "),
            "the second has its label: {named}"
        );
        assert!(
            caption.contains(">Wijk 0 Gelijk</text>") && caption.contains(">Wijk 1 Gelijk</text>")
        );
    }
    // Beyond ten, they are counted, not listed (all wijken of the Netherlands leave 3,104).
    let one = data.areas[2].clone();
    data.areas.extend((12..14).map(|k| AreaReport {
        code: format!("WK0001{k:02}"),
        ..one.clone()
    }));
    let html = render(&data, Lang::Nl);
    let caption = part(&html, "<figure class=\"scatter-figure\">", "</figure>");
    let caption = part(caption, "<p class=\"caption\">", "</p>");
    assert!(
        caption.ends_with(
            " 12 wijken staan zonder naam in de figuur, want er was geen plaats; de tabel Alle \
             wijken noemt hun waarden."
        ),
        "{caption}"
    );
    assert!(!caption.contains("WK0001"), "{caption}");
}
