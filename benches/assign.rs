//! Point-in-area assignment on the real 3,340 NL wijken (CBS 2022) with seeded synthetic points.
//!
//! ```text
//! cargo bench --bench assign
//! ```
//! The wijken are read from `data/cbs-kwb-2022/wijken_nederland.geojson` (or the file named by
//! `WIJKBALANS_NL_WIJKEN`). Points: the synthetic dwelling generator places one point per
//! CBS dwelling (8.0 M, seed 1); the 100 k and 1 M sets take every k-th of them.

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wijkbalans::assign::AreaIndex;
use wijkbalans::config::Config;
use wijkbalans::config::LayerSpec;

fn assign(c: &mut Criterion) {
    let cfg = Config::for_areas(LayerSpec::new(common::nl_wijken()))
        .validate()
        .expect("the defaults are valid");
    let loaded = wijkbalans::pipeline::load(&cfg).expect("the NL wijken load");
    let areas = &loaded.areas;
    let all: Vec<[f64; 2]> = wijkbalans::synth::dwellings(areas, 1)
        .into_iter()
        .map(|d| d.xy)
        .collect();
    let geoms: Vec<_> = areas.iter().map(|a| a.geometry.clone()).collect();
    let index = AreaIndex::new(geoms);

    let mut group = c.benchmark_group("assign_nl_wijken");
    group.sample_size(10);
    for n in [100_000usize, 1_000_000, all.len()] {
        let step = (all.len() / n).max(1);
        let pts: Vec<[f64; 2]> = all.iter().step_by(step).take(n).copied().collect();
        group.throughput(Throughput::Elements(pts.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(pts.len()), &pts, |b, pts| {
            b.iter(|| index.locate_all(pts))
        });
    }
    group.finish();
}

criterion_group!(benches, assign);
criterion_main!(benches);
