//! The planner's what-if commands on the shipped Zwolle data (real CBS wijken 2022, synthetic
//! dwellings, illustrative sites), after loading:
//!
//! - `test_site`: one proposal evaluated against the frozen baseline;
//! - `suggest_10k`: 10,000 candidate locations (a seeded grid over Zwolle) ranked;
//! - `allocate_277`: 277 places beschermd thuis over the 16 wijken, with every wijk's limit by
//!   the policy (bisection on the what-if engine) and the apportionment.
//!
//! ```text
//! cargo bench --bench whatif
//! ```

use criterion::{criterion_group, criterion_main, Criterion};
use wijkbalans::config::Config;
use wijkbalans::model::Candidate;
use wijkbalans::policy::{AllocationRules, Rules};
use wijkbalans::scenario::allocate::Objective;
use wijkbalans::scenario::{suggest, Change, Scenario};

fn whatif(c: &mut Criterion) {
    let root = env!("CARGO_MANIFEST_DIR");
    std::env::set_current_dir(root).expect("the repository root");
    let config = Config::shipped()
        .validate()
        .expect("the defaults are valid");
    let loaded = wijkbalans::pipeline::load(&config).expect("the shipped data loads");
    let outcome = wijkbalans::pipeline::analyse(&loaded);
    let scenario = Scenario::new(&loaded, &outcome, Rules::default(), 1.0);
    let change = Change {
        name: "bench".into(),
        location: [203_500.0, 502_500.0],
        units: 12.0,
        group: "beschermd_thuis".into(),
        regular_units: 0.0,
        year: None,
    };
    c.bench_function("test_site_zwolle", |b| {
        b.iter(|| scenario.evaluate(&change).expect("inside Zwolle"))
    });

    // 10,000 candidates: grid cells of 85 m over Zwolle's residential part, repeated to 10,000.
    let mut cands = suggest::grid(&scenario, loaded.dwellings.as_ref(), 85.0);
    assert!(!cands.is_empty());
    let base: Vec<Candidate> = cands.clone();
    while cands.len() < 10_000 {
        cands.extend(base.iter().cloned());
    }
    cands.truncate(10_000);
    let mut group = c.benchmark_group("suggest");
    group.sample_size(10);
    group.bench_function("suggest_10k_zwolle", |b| {
        b.iter(|| {
            suggest::rank(
                &scenario,
                &cands,
                12.0,
                "beschermd_thuis",
                loaded.dwellings.as_ref(),
            )
        })
    });
    group.finish();

    c.bench_function("allocate_277_zwolle", |b| {
        b.iter(|| {
            scenario
                .allocate_places(
                    "beschermd_thuis",
                    277,
                    None,
                    AllocationRules::default(),
                    Objective::FairShare,
                    &|| {},
                )
                .expect("fits")
        })
    });
}

criterion_group!(benches, whatif);
criterion_main!(benches);
