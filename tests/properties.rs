//! Properties of the whole study on random inputs (proptest): the order of the features in the
//! input files does not change any per-area result, the saldo is the sum of its per-indicator
//! contributions, and a what-if that adds units and then removes them restores the baseline
//! exactly.
//!
//! The random studies are grids of square wijken in RD New with random statistics (some
//! suppressed, some areas without inhabitants) and random care sites (some outside every area,
//! some planned), built as raw layers so they go through the same validation as a file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proptest::prelude::*;
use wijkbalans::config::Config;
use wijkbalans::config::{LayerSpec, Role};
use wijkbalans::io::digest::FileDigest;
use wijkbalans::io::model;
use wijkbalans::io::read::{Attr, RawFeature, RawLayer};
use wijkbalans::model::default_target_groups;
use wijkbalans::pipeline::{self, Loaded, Outcome};
use wijkbalans::policy::Rules;
use wijkbalans::scenario::{Change, Scenario};

/// One random area: population, dwellings, % owner-occupied, % low income, % employment.
type AreaRow = (u32, u32, Option<u8>, Option<u8>, Option<u8>);
/// One random site: x, y (in cells of the grid), units, group index, planned.
type SiteRow = (f64, f64, u32, usize, bool);

const CELL: f64 = 1000.0;
const COLUMNS: usize = 4;

/// The cell of area `i`: (x0, y0).
fn origin(i: usize) -> (f64, f64) {
    (
        200_000.0 + CELL * (i % COLUMNS) as f64,
        500_000.0 + CELL * (i / COLUMNS) as f64,
    )
}

fn layer(role: Role, fields: &[&str], features: Vec<RawFeature>) -> RawLayer {
    let path = PathBuf::from(format!("{}.geojson", role.as_str()));
    RawLayer {
        role,
        blake3: FileDigest::known(&path, ""),
        spec: LayerSpec::new(path),
        layer_name: role.as_str().to_string(),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        features,
        source_crs: "EPSG:28992".to_string(),
        repaired: Vec::new(),
    }
}

fn number(v: Option<u8>) -> Attr {
    v.map_or(Attr::Null, |v| Attr::Number(f64::from(v.min(100))))
}

/// The areas layer with its features in the order `order` (a permutation of the rows).
fn areas_layer(rows: &[AreaRow], order: &[usize]) -> RawLayer {
    let features = order
        .iter()
        .enumerate()
        .map(|(index, &i)| {
            let (pop, dwellings, own, low, employment) = rows[i];
            let (x, y) = origin(i);
            let square = geo::Polygon::new(
                geo::LineString::from(vec![
                    (x, y),
                    (x + CELL, y),
                    (x + CELL, y + CELL),
                    (x, y + CELL),
                    (x, y),
                ]),
                vec![],
            );
            RawFeature {
                index,
                geometry: Some(geo::Geometry::Polygon(square)),
                attrs: vec![
                    Attr::Text(format!("WK0999{i:02}")),
                    Attr::Number(f64::from(pop)),
                    Attr::Number(f64::from(dwellings)),
                    number(own),
                    number(low),
                    number(employment),
                ],
            }
        })
        .collect();
    layer(
        Role::Areas,
        &[
            "code",
            "population",
            "dwelling_total",
            "dwelling_ownership",
            "income_low",
            "employment_rate",
        ],
        features,
    )
}

/// The sites layer with its features in the order `order`.
fn sites_layer(rows: &[SiteRow], order: &[usize]) -> RawLayer {
    let groups = default_target_groups();
    let features = order
        .iter()
        .enumerate()
        .map(|(index, &k)| {
            let (x, y, units, group, planned) = rows[k];
            RawFeature {
                index,
                geometry: Some(geo::Geometry::Point(geo::Point::new(
                    200_000.0 + CELL * x,
                    500_000.0 + CELL * y,
                ))),
                attrs: vec![
                    Attr::Text(format!("site {k}")),
                    Attr::Number(f64::from(units)),
                    Attr::Text(groups[group % groups.len()].id.clone()),
                    Attr::Text(if planned { "planned" } else { "existing" }.to_string()),
                ],
            }
        })
        .collect();
    layer(
        Role::Sites,
        &["name", "units", "target_group", "status"],
        features,
    )
}

/// Load and analyse a random study, with the target-group weights given (cycled).
fn study(
    areas: &[AreaRow],
    area_order: &[usize],
    sites: &[SiteRow],
    site_order: &[usize],
    weights: &[f64],
) -> (Loaded, Outcome) {
    let mut config = Config::for_areas(LayerSpec::new("areas.geojson"));
    config.spreading.permutations = 19;
    for (g, w) in config.target_group.iter_mut().zip(weights.iter().cycle()) {
        g.weight = *w;
    }
    let areas = model::areas(
        &areas_layer(areas, area_order),
        &BTreeMap::new(),
        &BTreeMap::new(),
    )
    .expect("the random areas are valid");
    let sites = model::sites(&sites_layer(sites, site_order), &config.target_group)
        .expect("the random sites are valid");
    let loaded = Loaded {
        sites: Some(sites),
        ..Loaded::from_areas(config.validate().expect("a valid config"), areas)
    };
    let outcome = pipeline::analyse(&loaded);
    (loaded, outcome)
}

fn area_rows() -> impl Strategy<Value = Vec<AreaRow>> {
    prop::collection::vec(
        (
            prop_oneof![1 => Just(0u32), 9 => 1u32..20_000],
            0u32..10_000,
            prop::option::weighted(0.9, 0u8..=100),
            prop::option::weighted(0.9, 0u8..=100),
            prop::option::weighted(0.9, 0u8..=100),
        ),
        3..12,
    )
}

/// Sites anywhere over the grid's bounding box and a little beyond (some land outside every
/// area, some on shared borders).
fn site_rows() -> impl Strategy<Value = Vec<SiteRow>> {
    prop::collection::vec(
        (
            prop_oneof![3 => -0.2f64..4.2, 1 => (0u32..=4).prop_map(f64::from)],
            prop_oneof![3 => -0.2f64..3.2, 1 => (0u32..=3).prop_map(f64::from)],
            1u32..60,
            0usize..10,
            prop::bool::weighted(0.2),
        ),
        0..25,
    )
}

fn weights() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![Just(1.0), Just(0.5), Just(0.1), Just(0.7), 0.0f64..3.0],
        1..5,
    )
}

/// A permutation of 0..n.
fn permutation(n: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..n).collect::<Vec<usize>>()).prop_shuffle()
}

fn areas_and_orders() -> impl Strategy<Value = (Vec<AreaRow>, Vec<usize>)> {
    area_rows().prop_flat_map(|rows| {
        let n = rows.len();
        (Just(rows), permutation(n))
    })
}

fn sites_and_orders() -> impl Strategy<Value = (Vec<SiteRow>, Vec<usize>)> {
    site_rows().prop_flat_map(|rows| {
        let n = rows.len();
        (Just(rows), permutation(n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Shuffling the features of both input layers changes no per-area result, not even in the
    /// last bit: scores, care units and the spreading metrics per area.
    #[test]
    fn per_area_results_do_not_depend_on_the_feature_order(
        (areas, area_order) in areas_and_orders(),
        (sites, site_order) in sites_and_orders(),
        weights in weights(),
    ) {
        let identity: Vec<usize> = (0..areas.len()).collect();
        let site_identity: Vec<usize> = (0..sites.len()).collect();
        let (la, a) = study(&areas, &identity, &sites, &site_identity, &weights);
        let (lb, b) = study(&areas, &area_order, &sites, &site_order, &weights);
        let codes = |l: &Loaded| l.areas.iter().map(|a| a.code.clone()).collect::<Vec<_>>();
        prop_assert_eq!(codes(&la), codes(&lb));
        prop_assert_eq!(&a.analysis.areas, &b.analysis.areas);
        prop_assert_eq!(&a.analysis.baseline, &b.analysis.baseline);
        let (ca, cb) = (a.care.as_ref().unwrap(), b.care.as_ref().unwrap());
        prop_assert_eq!(&ca.units, &cb.units);
        prop_assert_eq!(&ca.weighted, &cb.weighted);
        prop_assert_eq!(&ca.units_by_group, &cb.units_by_group);
        prop_assert_eq!(&ca.sites, &cb.sites);
        prop_assert_eq!(&a.diagnostics.sites, &b.diagnostics.sites);
        prop_assert_eq!(&a.spreading.per_area, &b.spreading.per_area);
    }

    /// The saldo of every area is the sum of its per-indicator contributions
    /// (`report::saldo_contributions`: +w_k z_k / Σw over draagkracht, −w_k z_k / Σw over
    /// draaglast), and an area has contributions exactly when it has a saldo.
    #[test]
    fn the_saldo_is_the_sum_of_its_contributions(
        (areas, order) in areas_and_orders(),
        (sites, site_order) in sites_and_orders(),
        weights in weights(),
    ) {
        let (_, out) = study(&areas, &order, &sites, &site_order, &weights);
        let indicators = &out.analysis.indicators;
        for score in &out.analysis.areas {
            let parts = wijkbalans::report::saldo_contributions(indicators, &score.z);
            match score.saldo {
                None => prop_assert!(parts.is_empty(), "{parts:?} without a saldo"),
                Some(saldo) => {
                    let sum: f64 = parts.iter().map(|(_, c)| c).sum();
                    prop_assert!(
                        (sum - saldo).abs() <= 1e-12 * saldo.abs().max(1.0),
                        "Σ contributions {sum} vs saldo {saldo}"
                    );
                    let block = |b: wijkbalans::indicators::Block| -> f64 {
                        parts
                            .iter()
                            .filter(|(k, _)| indicators[*k].def.block == b)
                            .map(|(_, c)| c)
                            .sum()
                    };
                    let dk = block(wijkbalans::indicators::Block::Draagkracht);
                    let dl = -block(wijkbalans::indicators::Block::Draaglast);
                    prop_assert!((dk - score.draagkracht.unwrap()).abs() <= 1e-12 * dk.abs().max(1.0));
                    prop_assert!((dl - score.draaglast.unwrap()).abs() <= 1e-12 * dl.abs().max(1.0));
                }
            }
        }
    }

    /// Adding units at random places (as test-site and scenario do) and then removing them again
    /// restores the baseline exactly: every score, the care units and the study metrics.
    #[test]
    fn adding_then_removing_units_restores_the_baseline_exactly(
        (areas, order) in areas_and_orders(),
        (sites, site_order) in sites_and_orders(),
        weights in weights(),
        changes in prop::collection::vec((0.01f64..3.99, 0.01f64..2.99, 1u32..200, 0usize..10), 1..5),
        remove_in_reverse in any::<bool>(),
    ) {
        let (loaded, base) = study(&areas, &order, &sites, &site_order, &weights);
        let groups = default_target_groups();
        let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        let before = s.study_metrics();
        let n = loaded.areas.len();
        let rows = n.div_ceil(COLUMNS) as f64;
        let changes: Vec<Change> = changes
            .iter()
            .filter(|c| {
                // Inside the grid's filled cells.
                let i = (c.1 as usize) * COLUMNS + c.0 as usize;
                c.1 < rows && i < n
            })
            .map(|&(x, y, units, g)| Change {
                name: "voorstel".into(),
                location: [200_000.0 + CELL * x, 500_000.0 + CELL * y],
                units: f64::from(units),
                group: groups[g].id.clone(),
                regular_units: 0.0,
                year: None,
            })
            .collect();
        for c in &changes {
            s.apply(c).expect("an addition inside the study applies");
        }
        let mut removals: Vec<&Change> = changes.iter().collect();
        if remove_in_reverse {
            removals.reverse();
        }
        for c in removals {
            let removal = Change { units: -c.units, ..c.clone() };
            s.apply(&removal).expect("removing what was added applies");
        }
        prop_assert_eq!(s.scores(), base.analysis.areas.as_slice());
        let (care, base_care) = (s.care(), base.care.as_ref().unwrap());
        prop_assert_eq!(&care.units, &base_care.units);
        prop_assert_eq!(&care.weighted, &base_care.weighted);
        for (group, units) in &care.units_by_group {
            match base_care.units_by_group.get(group) {
                Some(b) => prop_assert_eq!(units, b),
                None => prop_assert!(units.iter().all(|u| *u == 0.0)),
            }
        }
        prop_assert_eq!(s.study_metrics(), before);
        for (a, b) in s.areas().iter().zip(&loaded.areas) {
            prop_assert_eq!(a.value("population"), b.value("population"));
        }
    }
}
