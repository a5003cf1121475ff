//! The fuzz corpora as regression tests on stable Rust: every file in `fuzz/corpus/<target>/`
//! (the minimised inputs the fuzzer kept) and `fuzz/regressions/<target>/` (inputs that once
//! crashed a target) goes through the same function as the fuzz target, which must not panic.
//! Running the fuzzers themselves needs nightly and `cargo fuzz`; see ROBUSTNESS.md.

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_and_regression_input_runs_without_a_panic() {
    let root = crate::common::root().join("fuzz");
    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for target in wijkbalans::fuzzing::TARGETS {
        let mut n = 0;
        for kind in ["corpus", "regressions"] {
            for path in files(&root.join(kind).join(target)) {
                let data = std::fs::read(&path).unwrap();
                n += 1;
                let run = std::panic::catch_unwind(|| wijkbalans::fuzzing::run(target, &data));
                if run.is_err() {
                    failures.push(path.display().to_string());
                }
            }
        }
        counts.push((target, n));
    }
    assert!(failures.is_empty(), "panicked on {failures:#?}");
    // Every target has a corpus: an empty directory would make this test pass for nothing.
    for (target, n) in counts {
        assert!(n > 0, "fuzz/corpus/{target}/ is empty");
    }
}

#[test]
fn the_targets_match_the_fuzz_crate() {
    let dir = crate::common::root().join("fuzz/fuzz_targets");
    let mut names: Vec<String> = files(&dir)
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut targets: Vec<&str> = wijkbalans::fuzzing::TARGETS.to_vec();
    targets.sort();
    assert_eq!(names, targets);
}
