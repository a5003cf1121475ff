//! The layout ARCHITECTURE.md describes, checked on the source: which module may use which.
//!
//! A module "uses" another when its code (outside comments and test code) names a path
//! `crate::other…`, or, inside `io`, `super::other` / `crate::io::other`. The checks:
//! the crate's top-level modules form no cycle; the files of `io` form no cycle; the engine and
//! the report (`model`, `table`, `config`, `policy`, `scenario`, `monitor`, `report`, `spread`,
//! `access`, `assign`, `indicators`) never use `io`, so they can be driven from any source of
//! data; and no text in the repository points to files outside it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Modules that read and write nothing themselves.
const NO_IO: &[&str] = &[
    "access",
    "assign",
    "config",
    "indicators",
    "model",
    "monitor",
    "policy",
    "report",
    "scenario",
    "spread",
    "table",
];

/// Every `.rs` file under `path` (or `path` itself), sorted.
fn rust_files(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if path.is_file() {
        out.push(path.to_path_buf());
    } else if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            out.extend(rust_files(&e));
        }
    }
    out.retain(|p| p.extension().is_some_and(|x| x == "rs"));
    out
}

/// The code of a file without its comments and without its test code (`tests.rs` files, and
/// everything from the first `#[cfg(test)]`, which this crate keeps at the end of a file).
fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segments named after `prefix` (e.g. `crate::`): `crate::io::read` gives `io`,
/// `crate::{markup, palette::Rgb}` gives `markup` and `palette`.
fn named_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut item, mut end) = (0, String::new(), group.len());
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        end = k;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 || c != '{' {
                    item.push(c);
                }
            }
            out.insert(first_segment(&item));
            rest = &group[end..];
        } else {
            out.insert(first_segment(rest));
        }
    }
    out.remove("");
    out
}

fn first_segment(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The units (files or folders) directly inside `dir`, without `mod.rs`/`lib.rs`/`main.rs`.
fn units(dir: &Path) -> BTreeMap<String, PathBuf> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            (!["mod", "lib", "main", "bin"].contains(&name.as_str())).then_some((name, p))
        })
        .collect()
}

/// A cycle in `graph`, if there is one, as the path that closes it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let start = path.iter().position(|p| p == n).unwrap();
                let mut c = path[start..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut state, &mut Vec::new()))
}

/// The crate's top-level modules and the modules each uses.
fn crate_graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = units(&Path::new(ROOT).join("src"));
    modules
        .iter()
        .map(|(name, path)| {
            let used: BTreeSet<String> = rust_files(path)
                .iter()
                .flat_map(|f| named_after(&code(f), "crate::"))
                .filter(|m| m != name && modules.contains_key(m))
                .collect();
            (name.clone(), used)
        })
        .collect()
}

#[test]
fn the_parser_reads_paths_and_groups() {
    let names = named_after(
        "use crate::io::read;\nuse crate::{markup, palette::{Rgb, X}};\nx::crate::no;",
        "crate::",
    );
    assert_eq!(
        names,
        BTreeSet::from(["io", "markup", "palette"].map(String::from))
    );
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = crate_graph();
    assert!(graph.contains_key("io") && graph.contains_key("report"));
    if let Some(c) = cycle(&graph) {
        panic!("modules use each other in a circle: {}", c.join(" → "));
    }
}

#[test]
fn engine_and_report_do_not_use_io() {
    let graph = crate_graph();
    for m in NO_IO {
        let used = graph.get(*m).unwrap_or_else(|| panic!("no module {m}"));
        assert!(!used.contains("io"), "{m} uses io: {used:?}");
    }
}

#[test]
fn io_files_form_no_cycle() {
    let io = Path::new(ROOT).join("src/io");
    let parts = units(&io);
    let graph: BTreeMap<String, BTreeSet<String>> = parts
        .iter()
        .map(|(name, path)| {
            let mut used = BTreeSet::new();
            for f in rust_files(path) {
                let c = code(&f);
                used.extend(named_after(&c, "crate::io::"));
                // `super::` names a sibling in io's own files and in a folder's mod.rs; in a
                // folder's other files it names the folder, whose siblings are `super::super::`.
                let in_folder = path.is_dir() && f.file_name().is_some_and(|n| n != "mod.rs");
                if in_folder {
                    used.extend(named_after(&c, "super::super::"));
                } else {
                    used.extend(named_after(&c, "super::"));
                }
            }
            used.retain(|m| m != name && parts.contains_key(m));
            (name.clone(), used)
        })
        .collect();
    assert!(
        graph["read"].contains("fgb"),
        "the parser missed read → fgb"
    );
    if let Some(c) = cycle(&graph) {
        panic!("files of io use each other in a circle: {}", c.join(" → "));
    }
}

#[test]
fn no_text_points_outside_the_repository() {
    let root = Path::new(ROOT);
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                if !name.starts_with('.')
                    && !["target", "data", "fixtures", "bad_inputs"].contains(&name.as_str())
                {
                    stack.push(p);
                }
            } else if ["rs", "md", "toml", "sh", "py", "txt"]
                .iter()
                .any(|x| name.ends_with(&format!(".{x}")))
                || p.parent().is_some_and(|d| d.ends_with("scripts"))
            {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 50, "found only {} text files", files.len());
    let outside = ["../", "shared/"].concat();
    let research = ["DOMAIN", ".md"].concat();
    for f in files {
        let Ok(text) = fs::read_to_string(&f) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains(&outside) && !line.contains(&research),
                "{}:{}: points outside the repository: {line}",
                f.display(),
                n + 1
            );
        }
    }
}
