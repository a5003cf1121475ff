//! Reading a dwellings layer (points with a tenure column) the way `analyse` does, from
//! FlatGeobuf (wijkbalans' own parallel reader) and from GeoPackage (GDAL's Arrow stream).
//!
//! ```text
//! cargo bench --bench read
//! ```
//! Points: the synthetic dwelling generator on the real 3,340 NL wijken (seed 1, one point per
//! CBS dwelling), every 8th point: about 1.0 M points, written once per run to a temporary
//! FlatGeobuf (with spatial index, as `synth` writes it) and GeoPackage. Each iteration is a
//! whole `read_points`: open, CRS checks, every feature, tenure parsed, and the BLAKE3 digest of
//! the file on a background thread, waited for before the iteration ends (as `analyse` waits
//! for it before writing `run.json`).

mod common;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use wijkbalans::config::Config;
use wijkbalans::config::{LayerSpec, Role};
use wijkbalans::io::read::{read_points, ReadOptions};

fn read(c: &mut Criterion) {
    let cfg = Config::for_areas(LayerSpec::new(common::nl_wijken()))
        .validate()
        .expect("the defaults are valid");
    let loaded = wijkbalans::pipeline::load(&cfg).expect("the NL wijken load");
    let dwellings: Vec<_> = wijkbalans::synth::dwellings(&loaded.areas, 1)
        .into_iter()
        .step_by(8)
        .collect();
    let coords: Vec<[f64; 2]> = dwellings.iter().map(|d| d.xy).collect();
    let tenure = |i: usize| dwellings[i].tenure.to_string();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let opts = ReadOptions {
        compute_crs: "EPSG:28992".to_string(),
        repair: false,
    };

    let mut group = c.benchmark_group("read_dwellings");
    group.sample_size(10);
    group.throughput(Throughput::Elements(coords.len() as u64));
    for (format, driver) in [("fgb", "FlatGeobuf"), ("gpkg", "GPKG")] {
        let path = dir.path().join(format!("woningen.{format}"));
        wijkbalans::io::gpkg::write_points(
            &path,
            driver,
            "woningen_synthetisch",
            "EPSG:28992",
            &coords,
            &[("eigendom", &tenure)],
        )
        .expect("the synthetic dwellings are written");
        let spec = LayerSpec::new(&path);
        group.bench_with_input(BenchmarkId::new(format, coords.len()), &spec, |b, spec| {
            b.iter(|| {
                let layer = read_points(
                    spec,
                    Role::Dwellings,
                    &opts,
                    wijkbalans::io::model::TENURE_FIELDS,
                    wijkbalans::io::model::parse_tenure,
                )
                .expect("the synthetic dwellings read");
                assert_eq!(layer.coords.len(), coords.len());
                layer.header.blake3.wait().expect("the file is hashed");
                layer
            })
        });
    }
    group.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
