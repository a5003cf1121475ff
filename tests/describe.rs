//! What a program that runs wijkbalans relies on (the QGIS plugin): `describe --json` against
//! the command line itself (every flag `--help` lists is described and nothing else, and the
//! binary accepts and refuses values as the described type says; every probe ends in a clap
//! error, so no command runs), and the progress lines of `WIJKBALANS_PROGRESS=lines`.

use std::collections::BTreeSet;

use crate::common::wijkbalans;
use serde_json::Value;

/// The description the binary prints.
fn description() -> Value {
    let r = wijkbalans(&["describe", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("describe --json prints JSON")
}

/// The flags and positional arguments `wijkbalans COMMAND --help` lists (without --help).
fn help_flags(command: &str) -> BTreeSet<String> {
    let r = wijkbalans(&[command, "--help"]);
    assert_eq!(r.code, 0, "{command} --help: {}", r.stderr);
    let mut flags = BTreeSet::new();
    for line in r.stdout.lines() {
        let t = line.trim_start();
        if !line.starts_with("  ") {
            continue;
        }
        let t = t.strip_prefix("-q, ").unwrap_or(t);
        let t = t.strip_prefix("-h, ").unwrap_or(t);
        let word = t.split_whitespace().next().unwrap_or("");
        let flag = word.starts_with("--") && word != "--help";
        let positional = word.starts_with('<') && word.ends_with('>');
        if flag || positional {
            flags.insert(word.to_string());
        }
    }
    flags
}

/// How a parameter is written on the command line: its flag, or `<VALUE_NAME>`.
fn shown(p: &Value) -> String {
    match p["flag"].as_str() {
        Some(f) => f.to_string(),
        None => format!("<{}>", p["value_name"].as_str().unwrap()),
    }
}

#[test]
fn every_flag_of_every_command_is_described_and_nothing_else() {
    let doc = description();
    assert_eq!(doc["wijkbalans_version"], env!("CARGO_PKG_VERSION"));
    let commands = doc["commands"].as_array().unwrap();
    let listed: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let top = wijkbalans(&["--help"]).stdout;
    for name in &listed {
        assert!(
            top.lines()
                .any(|l| l.trim_start().starts_with(&format!("{name} "))),
            "{name} not in wijkbalans --help"
        );
    }
    for line in top
        .lines()
        .skip_while(|l| !l.starts_with("Opdrachten:"))
        .skip(1)
    {
        let Some(name) = line.split_whitespace().next() else {
            break;
        };
        if !line.starts_with("  ") {
            break;
        }
        assert!(
            name == "help" || listed.contains(&name),
            "{name} is not described"
        );
    }
    for c in commands {
        let name = c["name"].as_str().unwrap();
        // `--help` is Dutch; the English stays the command-line definition's own.
        assert_ne!(c["about"]["en"], c["about"]["nl"], "{name}");
        assert!(
            top.contains(c["about"]["nl"].as_str().unwrap()),
            "{name}: {top}"
        );
        let described: BTreeSet<String> = c["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(shown)
            .collect();
        assert_eq!(described, help_flags(name), "{name}");
        for p in c["parameters"].as_array().unwrap() {
            for lang in ["en", "nl"] {
                let h = p["help"][lang].as_str().unwrap();
                assert!(!h.is_empty(), "{name} {}: no {lang} help", shown(p));
                assert!(!h.contains("[standaard:") && !h.contains("[keuzes:"), "{h}");
            }
        }
    }
}

/// The command line of one probe: `command`, the required positional (if any, unless it is
/// the probed one), the probed words, and `tail`.
fn probe(command: &Value, words: &[&str], tail: &[&str]) -> crate::common::Run {
    let mut args = vec![command["name"].as_str().unwrap().to_string()];
    args.extend(words.iter().map(|w| w.to_string()));
    args.extend(tail.iter().map(|w| w.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    wijkbalans(&refs)
}

#[test]
fn the_binary_takes_and_refuses_values_as_the_types_say() {
    let doc = description();
    let mut probed = 0;
    for c in doc["commands"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let params = c["parameters"].as_array().unwrap();
        for p in params {
            // Another integer flag whose bad value ends a probe that the probed value passed.
            let other = params
                .iter()
                .find(|o| o["type"] == "integer" && o["flag"].is_string() && o["name"] != p["name"])
                .and_then(|o| o["flag"].as_str());
            let sentinel = other.map(|f| [f, "x"]);
            let sentinel_error = format!("ongeldige waarde 'x' bij {}", other.unwrap_or("-"));
            let typ = p["type"].as_str().unwrap();
            let flag = shown(p);
            let with = |value: &str| -> Vec<String> {
                match p["flag"].as_str() {
                    Some(f) => vec![f.to_string(), value.to_string()],
                    None => vec![value.to_string()],
                }
            };
            let refused = |value: &str| {
                let words = with(value);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let r = probe(c, &words, &[]);
                assert_eq!(r.code, 2, "{name} {flag} {value}: {}", r.stderr);
                assert!(
                    r.stderr.contains(&format!("ongeldige waarde '{value}'")),
                    "{name} {flag} {value}: {}",
                    r.stderr
                );
                r.stderr
            };
            let accepted = |value: &str| {
                let Some(tail) = sentinel else { return };
                let words = with(value);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let r = probe(c, &words, &tail);
                assert!(
                    r.stderr.contains(&sentinel_error),
                    "{name} {flag} {value} was refused: {}",
                    r.stderr
                );
            };
            match typ {
                "integer" => {
                    refused("1.5");
                    match (p["minimum"].as_i64(), p["maximum"].as_i64()) {
                        (Some(min), Some(max)) => {
                            // A bounded whole number (a year) takes its bounds and no more.
                            accepted(&min.to_string());
                            accepted(&max.to_string());
                            refused(&(min - 1).to_string());
                            refused(&(max + 1).to_string());
                        }
                        _ => accepted("3"),
                    }
                }
                "number" => {
                    refused("x");
                    accepted("1.5");
                }
                "bool" => {
                    let r = probe(c, &[&format!("{flag}=x")], &[]);
                    assert!(
                        r.stderr.contains("onverwachte waarde 'x'"),
                        "{name} {flag}: {}",
                        r.stderr
                    );
                    if let Some(tail) = sentinel {
                        let r = probe(c, &[&flag], &tail);
                        assert!(
                            r.stderr.contains(&sentinel_error),
                            "{name} {flag}: {}",
                            r.stderr
                        );
                    }
                }
                "enum" if p.get("delimiter").is_none() => {
                    let stderr = refused("zzz");
                    let choices: Vec<&str> = p["choices"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap())
                        .collect();
                    assert!(
                        stderr.contains(&format!("; kies een van: {}", choices.join(", "))),
                        "{name} {flag}: described {choices:?}; clap says {stderr}"
                    );
                    for choice in &choices {
                        accepted(choice);
                    }
                }
                // A comma list of choices (--format) is checked by the command itself.
                "enum" => accepted(p["default"].as_str().unwrap()),
                "layer" | "file" | "folder" | "text" | "crs" | "point" | "field" => {
                    accepted("203500,502000")
                }
                other => panic!("{name} {flag}: unknown type {other}"),
            }
            probed += 1;
        }
    }
    assert!(probed > 200, "{probed} parameters probed");
}

#[test]
fn outputs_name_what_the_commands_write() {
    let doc = description();
    let analyse = doc["commands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "analyse")
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = wijkbalans(&[
        "analyse",
        "--permutations",
        "0",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let run = crate::common::json(&out.join(doc["run_record"].as_str().unwrap()));
    let written: BTreeSet<&str> = run["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    for o in analyse["outputs"].as_array().unwrap() {
        let Some(name) = o["name"].as_str() else {
            continue;
        };
        let file = if o["kind"] == "layer" {
            format!("{name}.geojson")
        } else {
            name.to_string()
        };
        // The shipped study has sites and computes LISA, so every named output is there.
        assert!(out.join(&file).exists(), "analyse did not write {file}");
        assert!(written.contains(file.as_str()), "run.json lacks {file}");
        if o["styled"] == true {
            assert!(
                out.join(format!("{name}.qml")).exists(),
                "{name} has no style"
            );
        }
    }
}

#[test]
fn progress_lines_are_printed_on_request_only_and_change_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |env: Option<&str>, out: &std::path::Path| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wijkbalans"));
        cmd.args([
            "analyse",
            "--permutations",
            "99",
            "--out",
            out.to_str().unwrap(),
        ])
        .current_dir(crate::common::root())
        .env_remove("WIJKBALANS_PROGRESS");
        if let Some(v) = env {
            cmd.env("WIJKBALANS_PROGRESS", v);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stderr).unwrap()
    };
    let (plain, lines) = (tmp.path().join("plain"), tmp.path().join("lines"));
    let quiet = run(None, &plain);
    assert!(
        !quiet.contains("fase:") && !quiet.contains("voortgang:"),
        "{quiet}"
    );
    let stderr = run(Some("lines"), &lines);
    assert!(
        stderr.contains("wijkbalans: fase: lezen van de lagen"),
        "{stderr}"
    );
    let percents: Vec<u64> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("wijkbalans: voortgang: permutatietoetsen "))
        .map(|p| p.trim_end_matches('%').parse().unwrap())
        .collect();
    assert_eq!(percents.first(), Some(&0), "{stderr}");
    assert_eq!(percents.last(), Some(&100), "{stderr}");
    assert!(percents.windows(2).all(|w| w[0] < w[1]), "{percents:?}");
    for f in ["areas.geojson", "lisa.geojson", "summary.json"] {
        assert_eq!(
            std::fs::read(plain.join(f)).unwrap(),
            std::fs::read(lines.join(f)).unwrap(),
            "{f}"
        );
    }
}

/// `wijkbalans describe --json | head -1`: a reader that closes standard output early makes no
/// panic ("failed printing to stdout: Broken pipe") and the command still exits 0.
#[test]
fn a_closed_standard_output_is_no_panic() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args(["describe", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wijkbalans starts");
    // Close the reading end before the command writes (it starts in milliseconds).
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wijkbalans ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
