//! The BAG address index at national scale: built once from a BAG GeoPackage, loaded from its
//! cache afterwards, and 10,000 lookups of typed addresses (docs/METHOD.md §6.1).
//!
//! ```text
//! benches/bag_10m.sh            # generates a SYNTHETIC 10 M-address BAG, then runs this
//! WIJKBALANS_BAG_BENCH=FILE.gpkg cargo bench --bench bag
//! ```
//! Not a criterion benchmark: building the index is a one-time cost that cannot be repeated
//! ten times on a shared machine, so each step runs once and prints its wall time. The index
//! cache goes to a fresh folder next to the BAG file (`<file>.bench-cache/`), so the first
//! step always reads the BAG through GDAL. Each step prints its wall time and the CPU time of
//! the process (all threads) it took: on a shared machine the wall time also holds the time
//! other programs had the cores. The peak resident size is printed after each step (Linux's
//! `VmHWM`, the high-water mark so far); `/usr/bin/time -v` (the script runs the bench under
//! it) gives the whole run's. Results and the command are in BENCHMARKS.md.

use std::time::Instant;

use wijkbalans::io::read::read_bag;
use wijkbalans::model::address::{parse, postcode_text, Lookup};

// A benchmark binary reports on the terminal; it has no other output.
#[allow(clippy::print_stdout, clippy::print_stderr)]
fn main() {
    let Some(path) = std::env::var_os("WIJKBALANS_BAG_BENCH") else {
        eprintln!("bag: set WIJKBALANS_BAG_BENCH to a BAG GeoPackage (benches/bag_10m.sh makes one); skipped");
        return;
    };
    let path = std::path::PathBuf::from(path);
    let cache = path.with_extension("bench-cache");
    let _ = std::fs::remove_dir_all(&cache);
    std::fs::create_dir_all(&cache).expect("a cache folder");
    std::env::set_var("WIJKBALANS_CACHE", &cache);

    let (t, c) = (Instant::now(), cpu_s());
    let built = read_bag(&path, "--bag").expect("the BAG reads");
    let (build_s, build_cpu) = (t.elapsed().as_secs_f64(), cpu_s() - c);
    assert!(!built.from_cache);
    let n = built.index.len();
    let build_peak = peak_mb();
    drop(built);

    let (t, c) = (Instant::now(), cpu_s());
    let bag = read_bag(&path, "--bag").expect("the cached index loads");
    let (load_s, load_cpu) = (t.elapsed().as_secs_f64(), cpu_s() - c);
    assert!(bag.from_cache, "the second read uses the cache");
    println!(
        "bag: build {build_s:.1} s wall, {build_cpu:.1} s CPU, peak {build_peak} MB so far; \
         load {load_s:.2} s wall, {load_cpu:.2} s CPU, peak {} MB so far",
        peak_mb()
    );

    // 10,000 addresses spread over the index, typed as a person would: "1013 NJ 12 A".
    let step = (n / 10_000).max(1);
    let typed: Vec<(String, u64)> = bag
        .index
        .entries
        .iter()
        .step_by(step)
        .take(10_000)
        .map(|e| {
            let suffix = e.suffix_text();
            let text = format!("{} {} {suffix}", postcode_text(&e.postcode), e.number);
            (text.trim_end().to_string(), e.id)
        })
        .collect();
    let (t, c) = (Instant::now(), cpu_s());
    let mut found = 0;
    for (text, id) in &typed {
        let query = parse(text).expect("a typed address");
        if let Lookup::Found(m) = bag.index.lookup(&query) {
            found += usize::from(m.entry.id == *id);
        }
    }
    let lookups_ms = t.elapsed().as_secs_f64() * 1000.0;
    let lookups_cpu_ms = (cpu_s() - c) * 1000.0;
    println!(
        "bag: {n} addresses; index built in {build_s:.1} s; loaded from the cache in {load_s:.2} s; \
         {} lookups in {lookups_ms:.1} ms ({lookups_cpu_ms:.1} ms CPU; {found} found at their own address)",
        typed.len()
    );
    assert_eq!(found, typed.len(), "every address finds itself");
}

/// CPU time of the process so far (every thread), seconds.
fn cpu_s() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// The peak resident size so far (`VmHWM` of /proc/self/status), MB; 0 where there is none.
fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
