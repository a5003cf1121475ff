//! Helpers shared by the integration tests: run the real binary from the repository root.

#![allow(dead_code)]

pub mod cdp;

use std::path::{Path, PathBuf};
use std::process::Command;

/// tiny_town's areas: three 1 km square wijken in RD New (tests/fixtures/tiny_town/README.md).
pub const TINY_AREAS: &str = "tests/fixtures/tiny_town/areas.geojson";
/// tiny_town's care sites.
pub const TINY_SITES: &str = "tests/fixtures/tiny_town/sites.geojson";
/// tiny_town's opgave.
pub const TINY_OPGAVE: &str = "tests/fixtures/tiny_town/opgave.toml";
/// The shipped illustrative opgave for Zwolle.
pub const OPGAVE: &str = "data/opgave_zwolle_illustratief.toml";
/// The shipped illustrative scenario for Zwolle.
pub const SCENARIO: &str = "data/scenario_zwolle_illustratief.toml";

/// An opgave for a target group that is not configured (`daklozen`).
pub const OPGAVE_DAKLOZEN: &str = "title = \"x\"\n[[target]]\ngroup = \"daklozen\"\nplaces = 10\nfrom = 2021\nto = 2025\nsource = \"x\"\n";

/// The repository root (where `data/` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The run date every test run reports (2026-01-01, "1 januari 2026"), so snapshots of the
/// report's source line stay the same from day to day.
pub const SOURCE_DATE_EPOCH: &str = "1767225600";

/// Run `wijkbalans ARGS` in the repository root, dated [`SOURCE_DATE_EPOCH`].
pub fn wijkbalans(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A command line: the words of `line` (split at whitespace: flags and fixed values), then
/// `tail` (paths, kept whole).
pub fn argv<'a>(line: &'a str, tail: &[&'a str]) -> Vec<&'a str> {
    let mut args: Vec<&str> = line.split_whitespace().collect();
    args.extend_from_slice(tail);
    args
}

/// Run and require exit code 2 (bad input), every fragment in stderr and, when `args` name an
/// `--out` directory, nothing written there. Returns the run for further checks.
pub fn refused(args: &[&str], fragments: &[&str]) -> Run {
    let r = wijkbalans(args);
    assert_eq!(r.code, 2, "wijkbalans {args:?}:\n{}", r.stderr);
    assert_mentions(&r.stderr, fragments);
    if let Some(k) = args.iter().position(|a| *a == "--out") {
        let out = Path::new(args[k + 1]);
        assert!(!out.exists(), "wijkbalans {args:?} wrote {}", out.display());
    }
    r
}

/// Run the words of `line` (flags and paths without spaces) with `--out` a fresh directory and
/// require what [`refused`] requires.
pub fn refused_fresh(line: &str, fragments: &[&str]) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    refused(&argv(line, &["--out", s(&out_dir(&tmp))]), fragments)
}

/// Fails unless every fragment occurs in `text` (a run's stderr or stdout).
pub fn assert_mentions(text: &str, fragments: &[&str]) {
    for f in fragments {
        assert!(text.contains(f), "lacks {f:?}:\n{text}");
    }
}

/// Fails unless every file of `names` exists in `dir`.
pub fn assert_files(dir: &Path, names: &[&str]) {
    for name in names {
        assert!(
            dir.join(name).is_file(),
            "{name} missing in {}",
            dir.display()
        );
    }
}

/// The sum of column `col` over `rows`, each value parsed as a `T`.
pub fn column_sum<T>(rows: &[std::collections::BTreeMap<String, String>], col: &str) -> T
where
    T: std::str::FromStr + std::iter::Sum,
    T::Err: std::fmt::Debug,
{
    rows.iter().map(|r| r[col].parse::<T>().unwrap()).sum()
}

/// Write `text` to `dir/name` and return the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A fresh temporary directory holding one file `name` with `text`, and the file's path; the
/// directory lives as long as the returned value (a test's outputs go beside the file).
pub fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let path = write(tmp.path(), name, text);
    (tmp, path)
}

/// A run into a fresh output directory inside a temporary directory that lives as long as this
/// value; it dereferences to the output directory.
pub struct Fresh {
    /// The run itself.
    pub run: Run,
    out: PathBuf,
    _tmp: tempfile::TempDir,
}

impl std::ops::Deref for Fresh {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.out
    }
}

/// Run the words of `line` (flags and paths without spaces) with `--out` a fresh directory;
/// require exit code 0.
pub fn ok_fresh(line: &str) -> Fresh {
    let tmp = tempfile::tempdir().unwrap();
    let out = out_dir(&tmp);
    let args = argv(line, &["--out", s(&out)]);
    let run = ok(&args);
    Fresh {
        run,
        out,
        _tmp: tmp,
    }
}

/// Run and require exit code 0.
pub fn ok(args: &[&str]) -> Run {
    let r = wijkbalans(args);
    assert_eq!(r.code, 0, "wijkbalans {args:?} failed:\n{}", r.stderr);
    r
}

/// Parse a JSON file.
pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The elements of a JSON array; fails when `v` is not one.
pub fn items(v: &serde_json::Value) -> &[serde_json::Value] {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

/// Read a CSV file as rows of (column → value).
pub fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    rows(csv::Reader::from_path(path).unwrap())
}

/// Read a CSV file for Dutch Excel (UTF-8 BOM, `;`) as rows of (column → value); fails without
/// the BOM.
pub fn csv_rows_excel(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "Dutch Excel: UTF-8 BOM");
    rows(
        csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]),
    )
}

/// The records of a CSV reader as rows of (column → value).
fn rows<R: std::io::Read>(
    mut r: csv::Reader<R>,
) -> Vec<std::collections::BTreeMap<String, String>> {
    let headers = r.headers().unwrap().clone();
    r.records()
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

/// A fresh output directory path (not yet created) inside a temp dir.
pub fn out_dir(tmp: &tempfile::TempDir) -> PathBuf {
    tmp.path().join("out")
}

/// Path as &str.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run `cmd` once per thread count, each with `--threads T --out DIR -q` into its own directory
/// in `tmp`; returns the directories.
pub fn outputs_for_threads(tmp: &Path, cmd: &[&str], threads: &[&str]) -> Vec<PathBuf> {
    threads
        .iter()
        .map(|t| {
            let d = tmp.join(format!("t{t}"));
            let mut a = cmd.to_vec();
            a.extend(["--threads", t, "--out", s(&d), "-q"]);
            ok(&a);
            d
        })
        .collect()
}

/// Fails unless every file of `names` has the same bytes in every directory of `dirs`.
pub fn assert_same_files(dirs: &[PathBuf], names: &[&str]) {
    for name in names {
        let first = std::fs::read(dirs[0].join(name)).unwrap();
        for d in &dirs[1..] {
            assert!(
                first == std::fs::read(d.join(name)).unwrap(),
                "{name} differs between {} and {}",
                dirs[0].display(),
                d.display()
            );
        }
    }
}

/// Chromium under its usual names, or `None` ([`cdp::find_chromium`]).
pub fn chromium() -> Option<&'static str> {
    cdp::find_chromium()
}

pub use cdp::HEADLESS;

/// Headless Chromium with networking off and a fresh profile on `file` with `args`; its
/// standard output. Killed after two minutes.
pub fn headless(
    browser: &str,
    dir: &std::path::Path,
    file: &std::path::Path,
    args: &[&str],
) -> Vec<u8> {
    let out = dir.join("stdout");
    let mut child = std::process::Command::new(browser)
        .args(HEADLESS)
        .args(["--disable-sync", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .arg(format!("file://{}", file.display()))
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{browser} does not start: {e}"));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!(
                "{browser} did not finish within two minutes on {}",
                file.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{browser} {args:?} failed");
    std::fs::read(out).unwrap()
}
