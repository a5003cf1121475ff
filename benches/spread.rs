//! Spreading metrics on all 3,340 Dutch wijken (CBS Kerncijfers wijken en buurten 2022) with
//! 2,500 synthetic care sites and 999 permutations.
//!
//! Data: the file named by `WIJKBALANS_NL_WIJKEN`, else
//! `data/cbs-kwb-2022/wijken_nederland.geojson` in the repository. EPSG:28992 already, population from `population`.
//! The sites are SYNTHETIC: seeded random points, placed in wijken with probability
//! proportional to population (a random point in the wijk's bounding box, kept when inside).
//! The saldo is a stand-in: income_high − income_low per wijk (None where CBS suppressed it).
//!
//! Run: `cargo bench --bench spread`.

mod common;

use std::collections::BTreeMap;

use criterion::{criterion_group, criterion_main, Criterion};
use geo::{BoundingRect, Contains, MultiPolygon, Point};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wijkbalans::spread::{
    compute, Contiguity, SitePoint, SpatialWeights, SpreadInput, SpreadOptions,
};

/// Number of synthetic care sites.
const SITES: usize = 2_500;
/// Seed of the synthetic sites.
const SITE_SEED: u64 = 20_221_231;
/// Target groups of the synthetic sites.
const GROUPS: [&str; 4] = ["BW", "MO", "LVB", "ouderen"];

/// One wijk of the national layer.
struct Wijk {
    code: String,
    geometry: MultiPolygon<f64>,
    population: f64,
    saldo: Option<f64>,
}

/// The wijken sorted by code (the caller's area order).
fn load_wijken() -> Vec<Wijk> {
    let path = common::nl_wijken();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let collection: geojson::FeatureCollection = text.parse().unwrap_or_else(|e| {
        panic!(
            "{} is not a GeoJSON feature collection: {e}",
            path.display()
        )
    });
    let number = |f: &geojson::Feature, key: &str| f.property(key).and_then(|v| v.as_f64());
    let mut wijken: Vec<Wijk> = collection
        .features
        .iter()
        .map(|f| {
            let code = f
                .property("code")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let geometry = f.geometry.as_ref().expect("every wijk has a geometry");
            Wijk {
                code: code.to_string(),
                geometry: MultiPolygon::try_from(&geometry.value)
                    .unwrap_or_else(|e| panic!("wijk {code}: not a (multi)polygon: {e}")),
                population: number(f, "population").unwrap_or(0.0),
                saldo: number(f, "income_high")
                    .zip(number(f, "income_low"))
                    .map(|(high, low)| high - low),
            }
        })
        .collect();
    wijken.sort_by(|a, b| a.code.cmp(&b.code));
    wijken
}

/// Synthetic sites: wijk drawn proportional to population, then a uniform point inside it.
/// Returns the sites and the wijk index of each.
fn synthetic_sites(wijken: &[Wijk]) -> (Vec<SitePoint>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(SITE_SEED);
    let cumulative: Vec<f64> = wijken
        .iter()
        .scan(0.0, |total, w| {
            *total += w.population;
            Some(*total)
        })
        .collect();
    let total = *cumulative.last().expect("at least one wijk");
    let (mut sites, mut areas) = (Vec::with_capacity(SITES), Vec::with_capacity(SITES));
    while sites.len() < SITES {
        let draw = rng.random_range(0.0..total);
        let area = cumulative.partition_point(|&c| c <= draw);
        let geometry = &wijken[area].geometry;
        let Some(bounds) = geometry.bounding_rect() else {
            continue;
        };
        let point = loop {
            let x = rng.random_range(bounds.min().x..bounds.max().x);
            let y = rng.random_range(bounds.min().y..bounds.max().y);
            if geometry.contains(&Point::new(x, y)) {
                break (x, y);
            }
        };
        let group = GROUPS[rng.random_range(0..GROUPS.len())];
        sites.push(SitePoint {
            x: point.0,
            y: point.1,
            group: group.to_string(),
        });
        areas.push(area);
    }
    (sites, areas)
}

fn bench_spread(c: &mut Criterion) {
    let wijken = load_wijken();
    let (sites, site_areas) = synthetic_sites(&wijken);
    let n = wijken.len();
    let geometries: Vec<MultiPolygon<f64>> = wijken.iter().map(|w| w.geometry.clone()).collect();
    let reference: Vec<f64> = wijken.iter().map(|w| w.population).collect();
    let mut units_by_group: BTreeMap<String, Vec<f64>> = GROUPS
        .iter()
        .map(|g| (g.to_string(), vec![0.0; n]))
        .collect();
    let mut care_units = vec![0.0; n];
    for (site, &area) in sites.iter().zip(&site_areas) {
        care_units[area] += 1.0;
        units_by_group.get_mut(&site.group).expect("known group")[area] += 1.0;
    }
    let rate: Vec<Option<f64>> = (0..n)
        .map(|i| (reference[i] > 0.0).then(|| 1000.0 * care_units[i] / reference[i]))
        .collect();
    let saldo: Vec<Option<f64>> = wijken.iter().map(|w| w.saldo).collect();
    let input = SpreadInput {
        geometries: &geometries,
        care_units: Some(&care_units),
        reference: &reference,
        units_by_group: &units_by_group,
        rate: &rate,
        saldo: &saldo,
        sites: &sites,
        window: None,
    };
    let options = SpreadOptions::default();

    let mut group = c.benchmark_group("spread_nl_wijken");
    group.sample_size(10);
    group.bench_function("queen_weights_3340_wijken", |b| {
        b.iter(|| SpatialWeights::contiguity(&geometries, Contiguity::Queen, None))
    });
    group.bench_function("compute_all_metrics_999_permutations", |b| {
        b.iter(|| compute(&input, &options))
    });
    group.finish();
}

criterion_group!(benches, bench_spread);
criterion_main!(benches);
