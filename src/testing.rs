//! Helpers shared by the unit tests of several modules.

/// Runs `f` on a rayon pool of `threads` threads (the determinism tests compare 1 with more).
pub(crate) fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
        .install(f)
}
