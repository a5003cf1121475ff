//! Hemelsbreed nearest-facility distance per type for many dwellings.
//!
//! Data: SYNTHETIC and seeded. Dwellings are uniform in a 40 km × 40 km box in RD coordinates
//! (EPSG:28992) centred on (155000, 463000); 100,000 facilities in the same box, 20,000 of
//! each of 5 types. One iteration runs one `FacilityIndex::nearest_many` per type, so it
//! answers 5 × (number of dwellings) dwelling-queries; criterion's throughput line counts
//! those queries.
//!
//! Run: `cargo bench --bench access`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wijkbalans::access::FacilityIndex;

/// Seed of the dwelling points.
const DWELLING_SEED: u64 = 28_992;
/// Seed of the facilities.
const FACILITY_SEED: u64 = 463_000;
/// Facility types, 20,000 facilities each.
const TYPES: [&str; 5] = [
    "supermarkt",
    "huisarts",
    "apotheek",
    "ontmoetingsruimte",
    "ov_halte",
];
/// Facilities per type.
const PER_TYPE: usize = 20_000;
/// Dwelling counts to bench.
const SIZES: [usize; 2] = [1_000_000, 8_000_000];
/// Centre of the box (RD New, metres).
const CENTRE: [f64; 2] = [155_000.0, 463_000.0];
/// Half the side of the box (40 km square).
const HALF_SIDE: f64 = 20_000.0;

/// `n` seeded points uniform in the box.
fn uniform_points(rng: &mut ChaCha8Rng, n: usize) -> Vec<[f64; 2]> {
    (0..n)
        .map(|_| {
            [
                CENTRE[0] + rng.random_range(-HALF_SIDE..HALF_SIDE),
                CENTRE[1] + rng.random_range(-HALF_SIDE..HALF_SIDE),
            ]
        })
        .collect()
}

fn nearest_per_type(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(FACILITY_SEED);
    let facilities = uniform_points(&mut rng, PER_TYPE * TYPES.len());
    let kinds: Vec<String> = (0..facilities.len())
        .map(|i| TYPES[i % TYPES.len()].to_string())
        .collect();
    let index = FacilityIndex::new(&facilities, &kinds);
    let mut rng = ChaCha8Rng::seed_from_u64(DWELLING_SEED);
    let all_dwellings = uniform_points(&mut rng, SIZES[SIZES.len() - 1]);

    let mut group = c.benchmark_group("nearest_per_type");
    group.sample_size(10);
    for n in SIZES {
        let dwellings = &all_dwellings[..n];
        group.throughput(Throughput::Elements((n * TYPES.len()) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), dwellings, |b, dwellings| {
            b.iter(|| {
                TYPES
                    .iter()
                    .map(|kind| index.nearest_many(kind, dwellings))
                    .collect::<Vec<_>>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, nearest_per_type);
criterion_main!(benches);
