//! GUIDE.md as a newcomer meets it: every ```sh block is run in order, from a fresh folder that
//! holds a copy of the repository's `data/`, with the built binary on `PATH` (as the guide's
//! first block does after `scripts/setup && cargo build --release`), and must exit as the guide
//! says.
//!
//! A block may be preceded by a marker line:
//! - `<!-- guide-test: skip: REASON -->`: not run (a command on the reader's own files, a
//!   server that runs until it is stopped); the reason is printed;
//! - `<!-- guide-test: setup -->`: its set-up lines (`scripts/setup`, `cargo build`,
//!   `export PATH=`) are what the test has done itself; the other lines run;
//! - `<!-- guide-test: exit N -->`: the block is meant to fail with exit code N.
//!
//! Without a marker a block must exit 0.

use std::path::Path;
use std::process::Command;

/// A shell block of the guide: its first line number, its marker and its text.
struct Block {
    line: usize,
    marker: Option<String>,
    text: String,
}

/// Every ```sh block of `guide`, with the `<!-- guide-test: … -->` line right above it.
fn blocks(guide: &str) -> Vec<Block> {
    let lines: Vec<&str> = guide.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "```sh" {
            let marker = i
                .checked_sub(1)
                .map(|k| lines[k].trim())
                .and_then(|l| l.strip_prefix("<!-- guide-test:"))
                .and_then(|l| l.strip_suffix("-->"))
                .map(|m| m.trim().to_string());
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && lines[end].trim() != "```" {
                end += 1;
            }
            out.push(Block {
                line: start + 1,
                marker,
                text: lines[start..end].join("\n"),
            });
            i = end;
        }
        i += 1;
    }
    out
}

/// Copy a folder tree.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_markers_are_read() {
    let b = blocks("text\n<!-- guide-test: exit 2 -->\n```sh\nwijkbalans x\nwijkbalans y\n```\n\n```sh\nls\n```\n");
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].marker.as_deref(), Some("exit 2"));
    assert_eq!(b[0].text, "wijkbalans x\nwijkbalans y");
    assert_eq!(b[0].line, 4);
    assert_eq!(b[1].marker, None);
}

#[test]
#[allow(clippy::print_stderr)] // the skipped blocks and why, in the test's output
fn every_command_block_of_the_guide_runs_as_written() {
    let root = crate::common::root();
    let guide = std::fs::read_to_string(root.join("GUIDE.md")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("wijkbalans");
    copy_dir(&root.join("data"), &dir.join("data"));
    let bin = Path::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (mut ran, mut skipped, mut problems) = (0, Vec::new(), Vec::new());
    for b in blocks(&guide) {
        let marker = b.marker.as_deref().unwrap_or("");
        if let Some(reason) = marker.strip_prefix("skip:") {
            skipped.push(format!("GUIDE.md line {}: {}", b.line, reason.trim()));
            continue;
        }
        assert!(
            marker.is_empty() || marker == "setup" || marker.starts_with("exit "),
            "GUIDE.md line {}: unknown marker {marker:?}",
            b.line
        );
        let expected: i32 = marker
            .strip_prefix("exit ")
            .map_or(0, |n| n.trim().parse().expect("exit N"));
        let script: String = b
            .text
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                marker != "setup"
                    || !(l.starts_with("scripts/setup")
                        || l.starts_with("cargo ")
                        || l.starts_with("export PATH="))
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            script.contains("wijkbalans"),
            "GUIDE.md line {}: nothing left to run",
            b.line
        );
        // `serve` runs until it is stopped: such a block must be marked skip, or the test
        // would wait for ever.
        assert!(
            !script.contains("wijkbalans serve"),
            "GUIDE.md line {}: `wijkbalans serve` runs until stopped; mark the block \
             <!-- guide-test: skip: REASON -->",
            b.line
        );
        let out = Command::new("bash")
            .args(["-e", "-o", "pipefail", "-c", &script])
            .current_dir(&dir)
            .env("PATH", &path)
            .env("SOURCE_DATE_EPOCH", crate::common::SOURCE_DATE_EPOCH)
            .output()
            .expect("bash runs");
        ran += 1;
        let code = out.status.code().unwrap_or(-1);
        if code != expected {
            problems.push(format!(
                "GUIDE.md line {}: exit {code}, the guide says {expected}:\n{script}\n{}",
                b.line,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    eprintln!("guide blocks skipped:\n  {}", skipped.join("\n  "));
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(ran >= 9, "only {ran} blocks ran");
    // The guide's own files of its examples: the first block's run and the config it writes.
    assert!(dir.join("out/areas.geojson").is_file());
    assert!(dir.join("wijkbalans.toml").is_file());
}
