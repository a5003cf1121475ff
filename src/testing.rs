//! Helpers shared by the unit tests of several modules.

/// Runs `f` on a rayon pool of `threads` threads (the determinism tests compare 1 with more).
pub(crate) fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
        .install(f)
}

/// Owned strings from string literals: `strings(&["a", "b"])` = `vec!["a".to_string(), "b".to_string()]`.
pub(crate) fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
