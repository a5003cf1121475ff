//! One number style per audience (issue 21): a full Zwolle run of every command that writes for
//! people (analyse, report, scenario, monitor, compare, allocate, suggest) is scanned. Human
//! text (terminal, Markdown, HTML, the Dutch-Excel CSVs) must hold no number with a decimal
//! point; machine files (GeoJSON, JSON, standard CSV) no number with a decimal comma.

use std::path::Path;

use serde_json::Value;

use crate::common::{argv, ok, s, wijkbalans, OPGAVE, SCENARIO};

const SITES: &str = "data/synthetic/zwolle_zorglocaties_illustratief.geojson";

/// Every number in `text` written with a decimal point: a run of digits and dots between
/// characters that are not letters, digits, `_` or `/`, with exactly one dot that has digits on
/// both sides and not exactly three digits after it (`130.665` is a Dutch thousands dot, and a
/// run with more dots, such as a version `0.1.0` or `1.234.567`, is not a decimal number).
fn decimal_points(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let boundary =
        |c: Option<&char>| c.is_none_or(|c| !(c.is_alphanumeric() || *c == '_' || *c == '/'));
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let mut run: String = chars[start..i].iter().collect();
        while run.ends_with('.') {
            run.pop(); // the end of a sentence
        }
        if !boundary(start.checked_sub(1).and_then(|k| chars.get(k))) || !boundary(chars.get(i)) {
            continue;
        }
        let parts: Vec<&str> = run.split('.').collect();
        if parts.len() == 2 && !parts[0].is_empty() && !parts[1].is_empty() && parts[1].len() != 3 {
            let from = start.saturating_sub(40);
            let to = (i + 20).min(chars.len());
            found.push(chars[from..to].iter().collect());
        }
    }
    found
}

/// Every negative number in `text` written with an ASCII hyphen-minus (`-12`) where people read
/// a real minus sign (`−12`): a `-` right before a digit, after the start, a space, `|`, `(`,
/// `[`, `;`, `:` or `=`. A range or a code (`2023-2025`, `K1-L3`) has a digit or a letter
/// before its `-`; a flag (`--out`) has no digit after it.
fn ascii_minus(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for i in 0..chars.len() {
        let before = i.checked_sub(1).map(|k| chars[k]);
        let at_boundary = before.is_none_or(|c| c.is_whitespace() || "|([;:=".contains(c));
        if chars[i] == '-' && at_boundary && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            let from = i.saturating_sub(40);
            let to = (i + 20).min(chars.len());
            found.push(chars[from..to].iter().collect());
        }
    }
    found
}

/// Whether a text is a number with a decimal comma (`0,58`, `-1,5`, `−1,5`).
fn comma_number(t: &str) -> bool {
    let t = t.trim_start_matches(['-', '−']);
    match t.split_once(',') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The visible text of an HTML page: without `<style>`, `<script>` and tags (SVG coordinates
/// and CSS are for the browser).
fn html_text(page: &str) -> String {
    let mut s = page.to_string();
    for tag in ["style", "script"] {
        while let Some(a) = s.find(&format!("<{tag}")) {
            let end = format!("</{tag}>");
            let b = s[a..].find(&end).map_or(s.len(), |k| a + k + end.len());
            s.replace_range(a..b, " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Names from the inputs that hold a digit-dot-digit ("Oosterenk 2.0"): names, not numbers.
fn input_names() -> Vec<String> {
    let mut names = Vec::new();
    let sites: Value =
        serde_json::from_str(&std::fs::read_to_string(crate::common::root().join(SITES)).unwrap())
            .unwrap();
    let scenario: toml::Value =
        toml::from_str(&std::fs::read_to_string(crate::common::root().join(SCENARIO)).unwrap())
            .unwrap();
    let scenario = serde_json::to_value(scenario).unwrap();
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(t) if !decimal_points(t).is_empty() => out.push(t.clone()),
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&sites, &mut names);
    walk(&scenario, &mut names);
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    names
}

/// Problems of a human text: every decimal point outside the input names.
fn human_problems(name: &str, text: &str, names: &[String]) -> Vec<String> {
    let mut t = text.to_string();
    for n in names {
        t = t.replace(n.as_str(), " ");
    }
    let points = decimal_points(&t)
        .into_iter()
        .map(|m| format!("{name}: decimal point in {m:?}"));
    let minus = ascii_minus(&t)
        .into_iter()
        .map(|m| format!("{name}: ASCII minus in {m:?}"));
    points.chain(minus).collect()
}

/// Problems of a JSON document: a string that is a number with a decimal comma.
fn json_problems(name: &str, v: &Value) -> Vec<String> {
    match v {
        Value::String(t) if comma_number(t) => vec![format!("{name}: {t:?}")],
        Value::Array(a) => a.iter().flat_map(|x| json_problems(name, x)).collect(),
        Value::Object(o) => o.values().flat_map(|x| json_problems(name, x)).collect(),
        _ => Vec::new(),
    }
}

/// Check every file of `dir`: `.md`, `.html` and a CSV with a BOM (Dutch Excel) for people,
/// `.geojson`, `.json` and a CSV without a BOM for programs. Returns the problems and the
/// number of human and machine files seen.
fn scan(dir: &Path, names: &[String]) -> (Vec<String>, usize, usize) {
    let (mut problems, mut human, mut machine) = (Vec::new(), 0, 0);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let name = f.display().to_string();
        let bytes = std::fs::read(&f).unwrap();
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "md" => {
                human += 1;
                problems.extend(human_problems(
                    &name,
                    &String::from_utf8(bytes).unwrap(),
                    names,
                ));
            }
            "html" => {
                human += 1;
                let page = String::from_utf8(bytes).unwrap();
                problems.extend(human_problems(&name, &html_text(&page), names));
            }
            "json" | "geojson" => {
                machine += 1;
                let v: Value = serde_json::from_slice(&bytes).unwrap();
                problems.extend(json_problems(&name, &v));
            }
            "csv" => {
                let excel = bytes.starts_with(b"\xEF\xBB\xBF");
                let mut r = csv::ReaderBuilder::new()
                    .delimiter(if excel { b';' } else { b',' })
                    .from_reader(&bytes[if excel { 3 } else { 0 }..]);
                let width = r.headers().unwrap().len();
                if excel {
                    human += 1;
                } else {
                    machine += 1;
                }
                for rec in r.records() {
                    let rec = rec.unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(rec.len(), width, "{name}: a row of another width");
                    for cell in rec.iter() {
                        if excel && !decimal_points(cell).is_empty() && cell.parse::<f64>().is_ok()
                        {
                            problems.push(format!("{name}: decimal point in cell {cell:?}"));
                        }
                        if !excel && comma_number(cell) {
                            problems.push(format!("{name}: decimal comma in cell {cell:?}"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (problems, human, machine)
}

#[test]
fn the_scanner_finds_what_it_should() {
    assert_eq!(decimal_points("saldo 0.58 en 130.665 inwoners").len(), 1);
    assert!(decimal_points("versie 0.1.0, 1.234.567 inwoners, zin eindigt op 12.").is_empty());
    assert!(decimal_points("WK019310 areas.geojson EPSG:28992 0,58 −1,5").is_empty());
    assert_eq!(decimal_points("−0.5;").len(), 1);
    assert!(comma_number("0,58") && comma_number("−1,5") && !comma_number("a,b"));
    assert_eq!(ascii_minus("| 0 | -12 | saldo -0,5 (was -1)").len(), 3);
    assert!(ascii_minus("2023-2025, K1-L3, --out, −12, 2026-12-05, a -b").is_empty());
    assert_eq!(
        html_text("<style>a{b:0.5}</style><p x=\"1.5\">2,5</p>"),
        "  2,5 "
    );
}

#[test]
fn people_get_decimal_commas_and_programs_decimal_points() {
    let tmp = tempfile::tempdir().unwrap();
    let names = input_names();
    let out = |n: &str| tmp.path().join(n).display().to_string();
    let compare = [
        "compare",
        "--before",
        "data/cbs-kwb-2022/wijken_zwolle.geojson",
        "--after",
        "data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson",
        "--sites",
        SITES,
    ];
    let runs: Vec<(String, Vec<&str>)> = vec![
        ("analyse".into(), vec!["analyse", "--csv", "excel-nl"]),
        ("analyse_standard".into(), vec!["analyse"]),
        ("report".into(), vec!["report"]),
        (
            "report_opgave_scenario".into(),
            vec!["report", "--opgave", OPGAVE, "--scenario", SCENARIO],
        ),
        (
            "scenario".into(),
            vec!["scenario", SCENARIO, "--csv", "excel-nl"],
        ),
        (
            "monitor".into(),
            vec!["monitor", "--opgave", OPGAVE, "--csv", "excel-nl"],
        ),
        (
            "monitor_standard".into(),
            vec!["monitor", "--opgave", OPGAVE],
        ),
        (
            "compare".into(),
            [&compare[..], &["--csv", "excel-nl"]].concat(),
        ),
        (
            "allocate".into(),
            vec![
                "allocate",
                "--places",
                "277",
                "--group",
                "beschermd_thuis",
                "--csv",
                "excel-nl",
            ],
        ),
        (
            "suggest".into(),
            vec![
                "suggest",
                "--units",
                "12",
                "--group",
                "beschermd_thuis",
                "--grid",
                "250",
                "--csv",
                "excel-nl",
            ],
        ),
    ];
    let (mut problems, mut human, mut machine) = (Vec::new(), 0, 0);
    for (name, args) in &runs {
        let dir = out(name);
        let mut args = args.clone();
        args.extend(["--out", s(Path::new(&dir))]);
        let r = wijkbalans(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        human += 2;
        problems.extend(human_problems(&format!("{name} stdout"), &r.stdout, &names));
        problems.extend(human_problems(&format!("{name} stderr"), &r.stderr, &names));
        let (p, h, m) = scan(Path::new(&dir), &names);
        problems.extend(p);
        human += h;
        machine += m;
        if name.ends_with("_standard") {
            // Without --csv excel-nl every CSV of the command is for programs, monitor.csv too.
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "csv") && !f.ends_with("report_wijken.csv") {
                    assert!(
                        !std::fs::read(&f).unwrap().starts_with(b"\xEF\xBB\xBF"),
                        "{}",
                        f.display()
                    );
                }
            }
        } else if name != "report" {
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|e| e == "csv") {
                    assert!(
                        std::fs::read(&f).unwrap().starts_with(b"\xEF\xBB\xBF"),
                        "{}",
                        f.display()
                    );
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // report.md, report.html, report_wijken.csv, scenario.md, the excel-nl CSVs, the terminal.
    assert!(human >= 30, "only {human} human texts scanned");
    assert!(machine >= 25, "only {machine} machine files scanned");
}

/// Counts in the terminal's sentences group thousands, as every other number for people does:
/// `1.200 plaatsen`, nowhere `1200`.
#[test]
fn counts_of_a_thousand_and_more_are_grouped_for_people() {
    // Into a folder of its own: the default `out/` is the checkout's.
    let tmp = tempfile::tempdir().unwrap();
    let quiet = tmp.path().join("quiet");
    let r = ok(&argv(
        "allocate --places 1200 --group beschermd_thuis --permutations 0 --quiet --out",
        &[s(&quiet)],
    ));
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let out = tmp.path().join("out");
    let r = ok(&argv(
        "allocate --places 1200 --group beschermd_thuis --permutations 0 --out",
        &[s(&out)],
    ));
    assert!(
        r.stdout
            .contains(" van 1.200 plaatsen beschermd_thuis toegewezen"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("1200"), "{}", r.stdout);
}

/// Numbers typed on the command line are read as the planner means them (docs/METHOD.md §2.2,
/// "Numbers as written"): in lon/lat degrees `52.529` is a decimal, the same point as
/// `52.5290`, while in RD metres `203.500` is refused (the bad-input corpus holds that case).
#[test]
fn lon_lat_with_three_decimals_are_decimals_on_the_command_line() {
    let at = |xy: &str| {
        let line = "test-site --at-crs EPSG:4326 --units 12 --group beschermd_thuis --json \
                    --permutations 0 --at";
        ok(&argv(line, &[xy])).stdout
    };
    let three = at("6.092,52.529");
    assert_eq!(three, at("6.0920,52.5290"));
    let doc: Value = serde_json::from_str(&three).unwrap();
    assert_eq!(doc["area"]["code"], "WK019330", "{three}");
}
