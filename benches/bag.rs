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
//! step always reads the BAG through GDAL. Peak memory: run under `/usr/bin/time -v` (the
//! script does). Results and the command are in BENCHMARKS.md.

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

    let t = Instant::now();
    let built = read_bag(&path, "--bag").expect("the BAG reads");
    let build_s = t.elapsed().as_secs_f64();
    assert!(!built.from_cache);
    let n = built.index.len();
    drop(built);

    let t = Instant::now();
    let bag = read_bag(&path, "--bag").expect("the cached index loads");
    let load_s = t.elapsed().as_secs_f64();
    assert!(bag.from_cache, "the second read uses the cache");

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
    let t = Instant::now();
    let mut found = 0;
    for (text, id) in &typed {
        let query = parse(text).expect("a typed address");
        if let Lookup::Found(m) = bag.index.lookup(&query) {
            found += usize::from(m.entry.id == *id);
        }
    }
    let lookups_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "bag: {n} addresses; index built in {build_s:.1} s; loaded from the cache in {load_s:.2} s; \
         {} lookups in {lookups_ms:.1} ms ({found} found at their own address)",
        typed.len()
    );
    assert_eq!(found, typed.len(), "every address finds itself");
}
