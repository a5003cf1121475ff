//! The output set (issue 19): inputs are never overwritten, nothing is written outside `--out`,
//! the set changes as a whole (also when a run is killed between two renames), a second run
//! into the same folder is refused, and text is escaped for the program that reads it.
//!
//! Every refused run is checked for its exit code, its message, and that nothing in its
//! temporary directory (the inputs, `--out` and everything beside it) changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{assert_mentions, root, s, wijkbalans, Run};

const AREAS_OK: &str = "tests/bad_inputs/areas_ok.geojson";
const SITES_OK: &str = "tests/bad_inputs/sites_ok.geojson";

/// Every file under `dir` (recursively, hidden ones included) with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let kind = std::fs::symlink_metadata(&p).unwrap().file_type();
            if kind.is_symlink() {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                let target = std::fs::read_link(&p).unwrap();
                out.insert(rel, target.as_os_str().as_encoded_bytes().to_vec());
            } else if kind.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A temporary directory holding a copy of the good areas (`areas.geojson`) and sites; it
/// dereferences to its path and is removed when dropped.
struct Workspace(tempfile::TempDir);

impl std::ops::Deref for Workspace {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.0.path()
    }
}

fn workspace() -> Workspace {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(AREAS_OK), tmp.path().join("areas.geojson")).unwrap();
    std::fs::copy(root().join(SITES_OK), tmp.path().join("sites.geojson")).unwrap();
    Workspace(tmp)
}

/// Run `args` and require exit code 2, every fragment, and no change anywhere in `tmp`.
fn refused_untouched(tmp: &Path, args: &[&str], fragments: &[&str]) -> Run {
    let before = tree(tmp);
    let r = wijkbalans(args);
    assert_eq!(r.code, 2, "wijkbalans {args:?}:\n{}", r.stderr);
    assert_mentions(&r.stderr, fragments);
    assert_eq!(
        tree(tmp).keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "files appeared or went after wijkbalans {args:?}"
    );
    assert!(tree(tmp) == before, "a file changed after {args:?}");
    r
}

#[test]
fn an_output_onto_its_own_input_is_refused_and_nothing_changes() {
    let t = &workspace();
    let areas = t.join("areas.geojson");
    // The areas input in --out itself (areas.geojson would replace it): refused as a folder
    // that holds an input.
    refused_untouched(
        t,
        &["analyse", "--areas", s(&areas), "--out", s(t), "-q"],
        &[
            "(--out) bevat de invoer",
            "areas.geojson (--areas)",
            "wijkbalans vervangt de uitvoermap als geheel",
        ],
    );
    // The same, through a symbolic link to the folder and `..`.
    std::os::unix::fs::symlink(&**t, t.join("link")).unwrap();
    std::fs::create_dir(t.join("sub")).unwrap();
    let twisted = t.join("sub/../link");
    refused_untouched(
        t,
        &["analyse", "--areas", s(&areas), "--out", s(&twisted), "-q"],
        &["(--out) bevat de invoer", "(--areas)"],
    );
    // --timings onto the areas input, by another spelling.
    let out = t.join("out");
    let timings = t.join("sub/../areas.geojson");
    refused_untouched(
        t,
        &[
            "analyse",
            "--areas",
            s(&areas),
            "--timings",
            s(&timings),
            "--out",
            s(&out),
            "-q",
        ],
        &["(--timings) zou de invoer (--areas"],
    );
    // --timings onto an output of the same run, or anywhere in --out: the folder holds one
    // run's set, and a timings file beside it would outlive the run it belongs to.
    for timings in ["summary.json", "timings.json"] {
        refused_untouched(
            t,
            &[
                "analyse",
                "--areas",
                s(&areas),
                "--timings",
                s(&out.join(timings)),
                "--out",
                s(&out),
                "-q",
            ],
            &[
                &format!("{timings} (--timings) ligt in de uitvoermap"),
                "kies voor --timings een pad buiten --out",
            ],
        );
    }
    // synth writing its dwellings over the areas input.
    refused_untouched(
        t,
        &[
            "synth",
            "--areas",
            s(&areas),
            "--dwellings-out",
            s(&t.join("./areas.geojson")),
        ],
        &["(--dwellings-out) zou de invoer (--areas"],
    );
}

#[test]
fn an_output_onto_a_sidecar_of_an_input_or_an_input_in_out_is_refused() {
    let t = &workspace();
    std::fs::create_dir(t.join("in")).unwrap();
    std::fs::rename(t.join("areas.geojson"), t.join("in/wijken.geojson")).unwrap();
    let areas = t.join("in/wijken.geojson");
    // --timings onto the QGIS style that QGIS loads with the areas input.
    refused_untouched(
        t,
        &[
            "analyse",
            "--areas",
            s(&areas),
            "--timings",
            s(&t.join("in/wijken.qml")),
            "--out",
            s(&t.join("out")),
            "-q",
        ],
        &["(--timings) zou een bestand dat hoort bij de invoer"],
    );
    // A level mapping kept in --out under the name of an output: an --out that holds an input
    // is refused as such, before any output is compared with it.
    std::fs::copy(
        root().join("tests/bad_inputs/levels_gebied.csv"),
        t.join("areas.csv"),
    )
    .unwrap();
    refused_untouched(
        t,
        &[
            "analyse",
            "--areas",
            s(&areas),
            "--level",
            s(&t.join("areas.csv")),
            "--out",
            s(t),
            "-q",
        ],
        &[
            "(--out) bevat de invoer",
            "wijkbalans vervangt de uitvoermap als geheel",
        ],
    );
}

#[test]
fn an_out_folder_that_holds_an_input_is_refused() {
    // `--out data` with the inputs in data/: the swap replaces the folder as a whole and moves
    // its subfolders back after it, so a run killed then would leave the inputs hidden.
    let t = &workspace();
    std::fs::create_dir_all(t.join("data/cbs")).unwrap();
    std::fs::rename(t.join("areas.geojson"), t.join("data/cbs/wijken.geojson")).unwrap();
    let areas = t.join("data/cbs/wijken.geojson");
    for out in [
        t.join("data"),
        t.join("data/cbs"),
        t.join("data/cbs/../cbs"),
    ] {
        refused_untouched(
            t,
            &["analyse", "--areas", s(&areas), "--out", s(&out), "-q"],
            &[
                &format!(
                    "{} (--out) bevat de invoer {}",
                    out.display(),
                    areas.display()
                ),
                "(--areas)",
            ],
        );
    }
    // A sibling folder is fine.
    let r = wijkbalans(&[
        "analyse",
        "--areas",
        s(&areas),
        "--out",
        s(&t.join("data/out")),
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_level_name_cannot_write_outside_out() {
    let t = &workspace();
    let level = t.join("levels.csv");
    std::fs::write(
        &level,
        "wijkcode,/../../../../tmp/x\nWK099901,A\nWK099902,A\nWK099903,B\n",
    )
    .unwrap();
    let out = t.join("out");
    let before = tree(t);
    let r = wijkbalans(&[
        "analyse",
        "--areas",
        s(&t.join("areas.geojson")),
        "--level",
        s(&level),
        "--out",
        s(&out),
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut after = tree(t);
    after.retain(|p, _| !p.starts_with("out"));
    assert!(after == before, "a file outside --out changed");
    let written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        written.contains(&"tmp_x.geojson".to_string()),
        "{written:?}"
    );
    let areas = std::fs::read_to_string(out.join("areas.csv")).unwrap();
    assert!(areas.lines().next().unwrap().contains(",tmp_x_code,"));
    assert_eq!(areas.lines().count(), 4, "three areas and the header");
}

/// The files of one output folder, without the user's files.
fn set(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut t = tree(out);
    t.retain(|p, _| !p.starts_with("mine.txt") && !p.starts_with("sub"));
    t
}

/// The analyse run of the fault-injection test with `seed`, into `out`, optionally stopped
/// after step `k` of the swap, with `two_renames` as on a file system without
/// `RENAME_EXCHANGE` (`WIJKBALANS_NO_RENAME_EXCHANGE`, honoured by debug builds).
fn analyse_swapping(out: &Path, seed: &str, stop_after: Option<usize>, two_renames: bool) -> i32 {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wijkbalans"));
    cmd.args([
        "analyse",
        "--areas",
        AREAS_OK,
        "--sites",
        SITES_OK,
        "--permutations",
        "19",
        "--seed",
        seed,
        "--format",
        "geojson,csv,gpkg",
        "--overwrite",
        "-q",
        "--out",
    ])
    .arg(out)
    .current_dir(root());
    if let Some(k) = stop_after {
        cmd.env("WIJKBALANS_FAULT_AFTER_STEP", k.to_string());
    }
    if two_renames {
        cmd.env("WIJKBALANS_NO_RENAME_EXCHANGE", "1");
    }
    cmd.status().unwrap().code().unwrap()
}

/// Fails unless every file `run.json` lists is in `files` and no other: one run's set.
fn consistent_with_run_json(files: &BTreeMap<PathBuf, Vec<u8>>) {
    let run: serde_json::Value = serde_json::from_slice(&files[Path::new("run.json")]).unwrap();
    let mut listed: Vec<PathBuf> = run["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| PathBuf::from(v.as_str().unwrap()))
        .collect();
    listed.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), listed);
}

/// A run stopped (as if killed) after every step of the swap leaves `--out` holding one
/// complete set: all of the old run or all of the new one, matching its `run.json`; the
/// user's own file and subfolder are there at every step (the subfolder, at the latest, once
/// the next run has recovered it); and the next run completes the new set and leaves nothing
/// beside `--out`.
#[test]
fn a_run_killed_at_every_step_of_the_swap_leaves_one_complete_set() {
    killed_at_every_step(false);
}

/// The same with two renames instead of one exchange, as on a file system without
/// `RENAME_EXCHANGE`: stopped between the two renames, `--out` is missing and the complete old
/// set (with the user's file) waits in the hidden `-old-` folder beside it, never a mix; the
/// next run puts it back first and then completes the new set.
#[test]
fn a_run_with_two_renames_killed_at_every_step_leaves_one_complete_set() {
    killed_at_every_step(true);
}

/// The fault-injection loop of the two tests above.
fn killed_at_every_step(two_renames: bool) {
    let analyse_into =
        |out: &Path, seed: &str, k: Option<usize>| analyse_swapping(out, seed, k, two_renames);
    let tmp = tempfile::tempdir().unwrap();
    let (old_dir, new_dir, out) = (
        tmp.path().join("old"),
        tmp.path().join("new"),
        tmp.path().join("out"),
    );
    assert_eq!(analyse_into(&old_dir, "1", None), 0);
    assert_eq!(analyse_into(&new_dir, "2", None), 0);
    let (old, new) = (set(&old_dir), set(&new_dir));
    assert!(old != new && old.keys().eq(new.keys()));
    consistent_with_run_json(&old);
    let mut k = 1;
    loop {
        std::fs::remove_dir_all(&out).ok();
        assert_eq!(analyse_into(&out, "1", None), 0);
        std::fs::write(out.join("mine.txt"), b"notes").unwrap();
        std::fs::create_dir_all(out.join("sub")).unwrap();
        std::fs::write(out.join("sub/kept.csv"), b"a,b").unwrap();
        let code = analyse_into(&out, "2", Some(k));
        // Between two renames `--out` is missing; the old set is then set aside whole.
        let holder = if two_renames && !out.exists() {
            let aside: Vec<PathBuf> = std::fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.to_string_lossy().contains("/.out.wijkbalans-old-"))
                .collect();
            assert_eq!(aside.len(), 1, "stopped after step {k}: {aside:?}");
            let held = set(&aside[0]);
            assert!(
                held == old,
                "stopped after step {k}: the set aside is not the old set"
            );
            aside[0].clone()
        } else {
            out.clone()
        };
        let now = set(&holder);
        assert!(
            now == old || now == new,
            "stopped after step {k}: a mix of two runs ({:?})",
            now.keys().collect::<Vec<_>>()
        );
        consistent_with_run_json(&now);
        assert_eq!(std::fs::read(holder.join("mine.txt")).unwrap(), b"notes");
        // The next run recovers whatever the killed one left and completes the new set.
        assert_eq!(analyse_into(&out, "2", None), 0);
        assert!(set(&out) == new, "after step {k} and a new run");
        assert_eq!(std::fs::read(out.join("sub/kept.csv")).unwrap(), b"a,b");
        let beside: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(beside.is_empty(), "left beside --out: {beside:?}");
        if code == 0 {
            assert!(k > 8, "the swap has a step per file: {k}");
            break;
        }
        assert_eq!(code, 99, "stopped after step {k}");
        k += 1;
    }
}

/// `analyse` of the workspace's areas into `t/out`, done once: the folder and the command line.
fn analysed_once(t: &Path) -> (PathBuf, Vec<String>) {
    let out = t.join("out");
    let args: Vec<String> = [
        "analyse",
        "--areas",
        s(&t.join("areas.geojson")),
        "--out",
        s(&out),
        "-q",
    ]
    .map(String::from)
    .to_vec();
    let r = wijkbalans(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(r.code, 0, "{}", r.stderr);
    (out, args)
}

#[test]
fn a_second_run_into_a_locked_folder_is_refused() {
    let t = &workspace();
    let (out, args) = analysed_once(t);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Another run holds the lock (this test process, through the library).
    let lock = wijkbalans::io::outset::OutputLock::take(&out).unwrap();
    let r = refused_untouched(
        t,
        &args,
        &[
            "een andere run van wijkbalans schrijft in deze map",
            "wacht tot die klaar is, of kies een andere --out",
        ],
    );
    assert!(r.stderr.starts_with("wijkbalans: fout: "));
    drop(lock);
    assert_eq!(wijkbalans(&args).code, 0);
}

#[test]
fn two_real_runs_into_one_folder_do_not_interleave() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let lock = tmp.path().join(".out.wijkbalans-lock");
    let mut first = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args([
            "analyse",
            "--areas",
            "data/cbs-kwb-2022/wijken_nederland.geojson",
            "--permutations",
            "99",
            "-q",
            "--out",
        ])
        .arg(&out)
        .current_dir(root())
        .spawn()
        .unwrap();
    wait_for(&lock);
    let r = wijkbalans(&["analyse", "--areas", AREAS_OK, "-q", "--out", s(&out)]);
    let still_running = first.try_wait().unwrap().is_none();
    assert!(first.wait().unwrap().success());
    if still_running {
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_mentions(
            &r.stderr,
            &["een andere run van wijkbalans schrijft in deze map"],
        );
    }
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    let areas = std::fs::read_to_string(out.join("areas.csv")).unwrap();
    assert!(areas.lines().count() > 3000, "the national set, whole");
    assert!(run["inputs"].to_string().contains("wijken_nederland"));
    assert!(!lock.exists(), "the lock file is removed after the run");
}

#[test]
fn a_folder_where_an_output_goes_fails_the_run_and_keeps_the_earlier_set() {
    let t = &workspace();
    let (out, args) = analysed_once(t);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    std::fs::remove_file(out.join("areas.qml")).unwrap();
    std::fs::create_dir(out.join("areas.qml")).unwrap();
    refused_untouched(
        t,
        &args,
        &[
            "areas.qml is een map, op de plek waar deze run het bestand areas.qml schrijft",
            "eerdere uitvoer daar is niet veranderd",
        ],
    );
}

#[test]
fn text_cells_that_excel_would_run_are_escaped_and_markdown_stays_text() {
    let t = &workspace();
    let sites = std::fs::read_to_string(t.join("sites.geojson"))
        .unwrap()
        .replace("De Linde", "=HYPERLINK(\\\"http://x\\\",\\\"klik\\\")");
    std::fs::write(t.join("sites.geojson"), sites).unwrap();
    let areas = std::fs::read_to_string(t.join("areas.geojson"))
        .unwrap()
        .replace("Wijk 01 Centrum", "Centrum | [klik](http://x)\\nregel 2");
    std::fs::write(t.join("areas.geojson"), areas).unwrap();
    let out = t.join("out");
    let (areas, sites) = (t.join("areas.geojson"), t.join("sites.geojson"));
    let base = [
        "--areas",
        s(&areas),
        "--sites",
        s(&sites),
        "-q",
        "--out",
        s(&out),
    ];
    let r = wijkbalans(&[&["analyse", "--csv", "excel-nl"][..], &base[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = std::fs::read_to_string(out.join("sites.csv")).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\""),
        "{csv}"
    );
    let r = wijkbalans(&[&["report"][..], &base[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let row = md
        .lines()
        .find(|l| l.starts_with("| WK099901 "))
        .expect("one table row for WK099901");
    assert!(
        row.contains("Centrum \\| \\[klik\\](http://x) regel 2 |"),
        "{row}"
    );
    // The name stays one line wherever it stands (the table row, the summary page): no line
    // holds its second line alone.
    let lines: Vec<&str> = md.lines().filter(|l| l.contains("regel 2")).collect();
    assert!(!lines.is_empty());
    for l in lines {
        assert!(
            l.contains("Centrum \\| \\[klik\\](http://x) regel 2"),
            "{l}"
        );
    }
}

/// A run that fails on its input leaves no folder it created for `--out` (the lock file's
/// folder is removed again); a run that succeeds keeps them.
#[test]
fn a_failing_run_leaves_no_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("new/deeper/out");
    let r = wijkbalans(&[
        "analyse",
        "--areas",
        "tests/bad_inputs/areas_duplicate_code.geojson",
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_mentions(&r.stderr, &["areas_duplicate_code.geojson"]);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    let r = wijkbalans(&["analyse", "--areas", AREAS_OK, "-q", "--out", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("areas.geojson").is_file());
}

/// Wait until the lock file `lock` of a run started in the background is there (at most a
/// minute).
fn wait_for(lock: &Path) {
    let start = std::time::Instant::now();
    while !lock.exists() {
        assert!(
            start.elapsed().as_secs() < 60,
            "no lock file {}",
            lock.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Run `analyse` of the national wijken (long enough to read that a signal comes mid-run) into
/// `out`, send it `signal` as soon as its lock file `lock` is there, and return its exit code
/// and stderr.
fn interrupted(out: &Path, lock: &Path, signal: libc::c_int) -> (Option<i32>, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args([
            "analyse",
            "--areas",
            "data/cbs-kwb-2022/wijken_nederland.geojson",
            "-q",
            "--out",
        ])
        .arg(out)
        .current_dir(root())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(lock);
    // SAFETY: a signal to the child we spawned and have not waited for yet.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
    let done = child.wait_with_output().unwrap();
    (
        done.status.code(),
        String::from_utf8_lossy(&done.stderr).into_owned(),
    )
}

/// A run interrupted with Ctrl-C (SIGINT) or SIGTERM while it reads removes its lock file and
/// the folders it created for `--out`, says that nothing was written, and ends with 128 + the
/// signal (130, 143); an earlier set in `--out` stays as it was.
#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let out = tmp.path().join("new/deeper/out");
        let lock = tmp.path().join("new/deeper/.out.wijkbalans-lock");
        let (exit, stderr) = interrupted(&out, &lock, signal);
        assert_eq!(exit, Some(code), "{stderr}");
        assert_mentions(
            &stderr,
            &["wijkbalans: afgebroken door", "er is niets geschreven"],
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
    // Into a folder with an earlier set: the set and the folder stay, the lock file goes.
    let out = tmp.path().join("out");
    let r = wijkbalans(&["analyse", "--areas", AREAS_OK, "-q", "--out", s(&out)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = tree(tmp.path());
    let lock = tmp.path().join(".out.wijkbalans-lock");
    let (exit, stderr) = interrupted(&out, &lock, libc::SIGINT);
    assert_eq!(exit, Some(130), "{stderr}");
    assert_eq!(tree(tmp.path()), before);
}

/// Found by the `geopackage` fuzz target: a GeoPackage whose pages were changed made GDAL's
/// Arrow stream repeat its batches without end (the run hung); it now stops at more features
/// than the file's bytes can hold, with that reason, and writes nothing.
#[test]
fn a_damaged_geopackage_that_makes_gdal_repeat_itself_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let gpkg = tmp.path().join("woningen.gpkg");
    std::fs::copy(
        root().join("fuzz/regressions/geopackage/timeout-2bdcb472728e12a03e33608a73b804d4de9d56a9"),
        &gpkg,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let r = wijkbalans(&[
        "analyse",
        "--areas",
        AREAS_OK,
        "--dwellings",
        s(&gpkg),
        "--out",
        s(&out),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_mentions(
        &r.stderr,
        &[
            "woningen.gpkg",
            "de Arrow-stroom van GDAL geeft meer objecten dan een bestand van 12.800 bytes kan bevatten: het bestand is beschadigd",
        ],
    );
    assert!(!out.exists());
}

#[test]
fn every_command_whose_files_stay_in_the_folder_keeps_its_run_record() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = |cmd: &str| {
        let r = wijkbalans(&[
            cmd,
            "--areas",
            AREAS_OK,
            "--sites",
            SITES_OK,
            "--out",
            s(&out),
            "-q",
        ]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
    };
    let record = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap()
    };
    run("analyse");
    assert!(
        !out.join("run.analyse.json").exists(),
        "one command, one record"
    );
    // A record kept as `name` is the record as written, listing itself under that name.
    let kept_as = |mut written: serde_json::Value, name: &str| {
        for entry in written["outputs"].as_array_mut().unwrap() {
            if entry == "run.json" {
                *entry = name.into();
            }
        }
        written
    };
    let analysis = record("run.json");
    // The report replaces run.json; the analysis's layers stay, and so does their record.
    run("report");
    assert_eq!(record("run.json")["command"], "report");
    assert_eq!(
        record("run.analyse.json"),
        kept_as(analysis, "run.analyse.json")
    );
    assert!(out.join("areas.geojson").is_file() && out.join("report.html").is_file());
    // The analysis again: its own earlier record is rewritten, never left stale.
    run("analyse");
    assert_eq!(record("run.json")["command"], "analyse");
    assert_eq!(
        record("run.analyse.json"),
        kept_as(record("run.json"), "run.analyse.json")
    );
    assert_eq!(record("run.report.json")["command"], "report");
    // Every file of each record is in the folder, and no record lists another's.
    for name in ["run.json", "run.analyse.json", "run.report.json"] {
        let outputs = record(name)["outputs"].as_array().unwrap().clone();
        assert!(outputs.iter().any(|f| f == name), "{name} lists itself");
        for file in outputs {
            let file = file.as_str().unwrap();
            assert!(out.join(file).is_file(), "{name}: {file}");
            assert!(!file.starts_with("run.") || file == name, "{name}: {file}");
        }
    }
}

#[test]
fn an_output_the_next_run_of_the_command_does_not_write_goes_with_the_old_set() {
    // `analyse` with sites writes sites.* and lisa.*; `analyse` again without sites into the
    // same folder writes neither: the old ones go, so no layer stays that no record describes.
    // The user's own file and another command's files (the report, listed by its kept record)
    // stay.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--areas", AREAS_OK, "--out", s(&out), "-q"]);
        let r = wijkbalans(&all);
        assert_eq!(r.code, 0, "{all:?}: {}", r.stderr);
    };
    run(&["analyse", "--sites", SITES_OK]);
    assert!(out.join("sites.geojson").is_file() && out.join("lisa.geojson").is_file());
    run(&["report", "--sites", SITES_OK]);
    std::fs::write(out.join("notities.txt"), "van de planner").unwrap();
    run(&["analyse"]);
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    for gone in ["sites.geojson", "sites.csv", "lisa.geojson", "lisa.csv"] {
        assert!(!files.iter().any(|f| f == gone), "{gone} stayed: {files:?}");
    }
    assert_eq!(
        std::fs::read_to_string(out.join("notities.txt")).unwrap(),
        "van de planner"
    );
    assert!(out.join("report.html").is_file(), "the report's files stay");
    // Every file in the folder is the user's or listed by a record in it.
    let mut listed: Vec<String> = vec!["notities.txt".into()];
    for name in files.iter().filter(|f| f.starts_with("run")) {
        let record: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(name)).unwrap()).unwrap();
        for f in record["outputs"].as_array().unwrap() {
            listed.push(f.as_str().unwrap().to_string());
        }
    }
    for f in &files {
        assert!(listed.contains(f), "{f} is in no record: {files:?}");
    }

    // The same for a GeoPackage run followed by one in GeoJSON: the old wijkbalans.gpkg goes.
    let out2 = tmp.path().join("gpkg");
    for format in ["gpkg", "geojson,csv"] {
        let r = wijkbalans(&[
            "analyse",
            "--areas",
            AREAS_OK,
            "--format",
            format,
            "--out",
            s(&out2),
            "-q",
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
    }
    assert!(!out2.join("wijkbalans.gpkg").exists());
    assert!(out2.join("areas.geojson").is_file());
}

/// `--audience publiek` on the shipped Zwolle study: a planned site of 3 units (Het
/// Vriendenhuis, Ittersum) is hidden, with Ittersum's planned units, and with every total that
/// would give them back (the study's 40 planned units minus the 37 shown).
#[test]
fn a_public_analyse_hides_every_total_that_gives_a_small_count_back() {
    let out = crate::common::ok_fresh("analyse --audience publiek -q --format csv");
    let summary = crate::common::json(&out.join("summary.json"));
    assert_eq!(
        summary["study"]["care_units_planned"],
        serde_json::Value::Null
    );
    assert_eq!(
        summary["suppressed_totals"],
        serde_json::json!(["care_units_planned"])
    );
    // No care_units cell is hidden, so that total stays, and so does DL7's mean.
    assert_eq!(summary["study"]["care_units"], 457);
    assert!(summary["normalisation"]["parameters"]["DL7"]["all"]["mean"].is_number());
    // With --min-count 13 Assendorp's 12 care units are hidden: DL7's mean is the study's
    // care units per 1,000 (3,50 × 130.665 / 1000 = 457, minus the cells shown), so it goes
    // with the total.
    let thirteen =
        crate::common::ok_fresh("analyse --audience publiek --min-count 13 -q --format csv");
    let summary = crate::common::json(&thirteen.join("summary.json"));
    assert_eq!(summary["study"]["care_units"], serde_json::Value::Null);
    let dl7 = &summary["normalisation"]["parameters"]["DL7"]["all"];
    assert_eq!(
        (&dl7["mean"], &dl7["sd"]),
        (&serde_json::Value::Null, &serde_json::Value::Null)
    );
    assert!(summary["suppressed_totals"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("normalisation.parameters.DL7")));
    // Every fair share is computed from that total: no area's ratio or gap is shown, while
    // the groups without a hidden cell keep theirs.
    let areas = crate::common::csv_rows(&thirteen.join("areas.csv"));
    for a in &areas {
        assert_eq!(
            (a["fair_share_ratio"].as_str(), a["fair_share_gap"].as_str()),
            ("", "")
        );
    }
    assert!(areas
        .iter()
        .any(|a| !a["fair_share_ratio_ouderen_geclusterd"].is_empty()));
    let areas = crate::common::csv_rows(&out.join("areas.csv"));
    let ittersum = areas.iter().find(|r| r["code"] == "WK019351").unwrap();
    assert_eq!(ittersum["care_units_planned"], "");
    let sites = crate::common::csv_rows(&out.join("sites.csv"));
    let site = sites
        .iter()
        .find(|r| r["name"] == "Het Vriendenhuis")
        .unwrap();
    assert_eq!(
        (site["wb_units"].as_str(), site["units"].as_str()),
        ("", "")
    );
    // The same run for an internal audience shows them all.
    let inside = crate::common::ok_fresh("analyse -q --format csv");
    let summary = crate::common::json(&inside.join("summary.json"));
    assert_eq!(summary["study"]["care_units_planned"], 40);
    assert!(summary.get("suppressed_totals").is_none());
}
