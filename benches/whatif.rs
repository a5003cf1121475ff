//! The planner's what-if commands on the shipped Zwolle data (real CBS wijken 2022, synthetic
//! dwellings, illustrative sites), after loading:
//!
//! - `test_site`: one proposal evaluated against the frozen baseline;
//! - `suggest_40k`: 40,000 candidate locations (a grid of 23 m over Zwolle's dwellings)
//!   assessed, ranked and the best 10 picked at least 250 m apart;
//! - `allocate_277`: 277 places beschermd thuis over the 16 wijken, with every wijk's limit by
//!   the policy (bisection on the what-if engine) and the apportionment.
//!
//! ```text
//! cargo bench --bench whatif
//! ```

use criterion::{criterion_group, criterion_main, Criterion};
use wijkbalans::config::Config;
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

    // 40,000 candidates: grid cells of 23 m over Zwolle's residential part (40,437),
    // the first 40,000; every assessment goes to a sink that drops it, as the command renders
    // and drops each block.
    let mut cands = suggest::grid(&scenario, loaded.dwellings.as_ref(), 23.0);
    assert!(cands.len() >= 40_000, "{} candidates", cands.len());
    cands.truncate(40_000);
    let options = wijkbalans::config::SuggestConfig::default();
    let request = suggest::Request {
        units: 12.0,
        group: "beschermd_thuis",
        top: 10,
        options: &options,
    };
    let mut group = c.benchmark_group("suggest");
    group.sample_size(10);
    group.bench_function("suggest_40k_zwolle", |b| {
        b.iter(|| {
            let prepared = suggest::Prepared::new(&scenario, request, loaded.dwellings.as_ref());
            prepared.search(&cands, &wijkbalans::progress::Silent, &mut |_| {})
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
