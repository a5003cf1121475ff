//! Crash safety and determinism across the commands.

use std::process::Command;
use std::time::Duration;

use crate::common::{argv, assert_same_files, ok, outputs_for_threads, root, s};

/// A run killed with SIGKILL at any moment leaves every output either as the earlier run wrote
/// it or as the new run completed it: never partial. The two runs differ (another seed), so an
/// old and a new file can be told apart.
#[test]
fn a_killed_run_never_leaves_a_partial_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let args = |seed: &str| {
        vec![
            "analyse".to_string(),
            "--areas".into(),
            "data/cbs-kwb-2022/wijken_nederland.geojson".into(),
            "--permutations".into(),
            "99".into(),
            "--format".into(),
            "geojson,csv,gpkg".into(),
            "--overwrite".into(),
            "--seed".into(),
            seed.into(),
            "--out".into(),
            s(&out).into(),
            "-q".into(),
        ]
    };
    let a: Vec<String> = args("1");
    ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let old: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    // The complete new outputs, for comparison, from a separate directory.
    let fresh = tmp.path().join("fresh");
    let mut b = args("2");
    let n = b.len();
    b[n - 2] = s(&fresh).into();
    ok(&b.iter().map(String::as_str).collect::<Vec<_>>());

    for delay_ms in [50u64, 300, 700, 1200, 1800, 2600, 3500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
            .args(args("2"))
            .current_dir(root())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        for (name, old_bytes) in &old {
            let now = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name} lost: {e}"));
            let new_bytes = std::fs::read(fresh.join(name)).unwrap();
            assert!(
                now == *old_bytes || now == new_bytes,
                "{name} is partial after a kill at {delay_ms} ms"
            );
        }
    }
}

/// Runs the words of `line` with 1, 2 and 8 threads and fails unless every file of `names` is
/// the same.
fn same_outputs(line: &str, names: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    assert_same_files(
        &outputs_for_threads(tmp.path(), &argv(line, &[]), &["1", "2", "8"]),
        names,
    );
}

#[test]
fn suggest_is_identical_for_any_thread_count() {
    same_outputs(
        "suggest --units 12 --group beschermd_thuis --grid 250",
        &[
            "suggestions.geojson",
            "suggestions.csv",
            "suitability.geojson",
            "run.json",
        ],
    );
}

#[test]
fn allocate_is_identical_for_any_thread_count() {
    same_outputs(
        "allocate --places 277 --group beschermd_thuis --format geojson,csv,gpkg",
        &[
            "allocation.geojson",
            "allocation.csv",
            "allocation.json",
            "wijkbalans.gpkg",
            "run.json",
        ],
    );
}
