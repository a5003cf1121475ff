//! Cross-cutting tests: the PySAL reference fixture, `compute` end to end, degenerate inputs,
//! thread-count independence and property tests.

use std::collections::BTreeMap;

use approx::assert_relative_eq;
use geo::MultiPolygon;
use proptest::prelude::*;
use serde_json::Value;

use super::single_group::tests::{rate, T, X};
use super::weights::tests::{grid3x3, square};
use super::*;

/// PySAL values for docs/METHOD.md Appendix A, written by
/// `tests/fixtures/reference/make_reference.py`.
const REFERENCE: &str = include_str!("../../tests/fixtures/reference/pysal_grid3x3.json");

/// Permutations of our own runs against the reference: enough that our Monte Carlo error
/// (sd ≤ 0.005 for a p-value) stays well inside the ±0.02 tolerance.
const OUR_PERMUTATIONS: usize = 9_999;
/// Tolerance for permutation p-values against the 99,999-permutation reference.
const P_SIM_TOLERANCE: f64 = 0.02;

/// The keys of a serialised result, in the order they are written.
pub(super) fn json_keys(json: &Value) -> Vec<&str> {
    json.as_object()
        .expect("a result serialises to an object")
        .keys()
        .map(|k| k.as_str())
        .collect()
}

fn reference() -> Value {
    serde_json::from_str(REFERENCE).expect("the reference fixture is valid JSON")
}

fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {value}"))
}

fn numbers(value: &Value) -> Vec<Option<f64>> {
    value
        .as_array()
        .expect("expected an array")
        .iter()
        .map(Value::as_f64)
        .collect()
}

/// Analytic values agree to 1e-9 (relative), or 1e-12 absolute near zero.
fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: undefined, expected {expected}"));
    assert!(
        (actual - expected).abs() <= 1e-12 || (actual - expected).abs() <= 1e-9 * expected.abs(),
        "{what}: {actual} vs PySAL {expected}"
    );
}

/// Each value against the PySAL reference `reference[key]`, named by its key.
fn assert_keys(reference: &Value, values: &[(&str, Option<f64>)]) {
    for (key, value) in values {
        assert_close(*value, number(&reference[*key]), key);
    }
}

/// Each of `keys` of `result`, serialised under esda's (or spatstat's) names, against the PySAL
/// reference under the same key: checks the value and the name it is written as.
#[track_caller]
fn assert_serialised_keys(reference: &Value, result: &impl serde::Serialize, keys: &[&str]) {
    let ours = serde_json::to_value(result).expect("a result serialises");
    for key in keys {
        assert_close(ours[*key].as_f64(), number(&reference[*key]), key);
    }
}

fn assert_p_sim(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: undefined, expected {expected}"));
    assert!(
        (actual - expected).abs() <= P_SIM_TOLERANCE,
        "{what}: p_sim {actual} vs PySAL {expected} (±{P_SIM_TOLERANCE})"
    );
}

fn grid_weights(kind: Contiguity) -> SpatialWeights {
    SpatialWeights::contiguity(&grid3x3(), kind, None)
}

#[test]
fn reference_weights() {
    let r = reference();
    for (name, kind) in [("queen", Contiguity::Queen), ("rook", Contiguity::Rook)] {
        let w = grid_weights(kind);
        let expected = &r["weights"][name];
        for i in 0..9 {
            let neighbours: Vec<usize> = expected["neighbours"][i]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect();
            assert_eq!(w.neighbours(i), neighbours.as_slice(), "{name} area {i}");
        }
        for (tr, transform) in [("B", Transform::Binary), ("R", Transform::Row)] {
            assert_keys(
                &expected[tr],
                &[
                    ("s0", Some(w.s0(transform))),
                    ("s1", Some(w.s1(transform))),
                    ("s2", Some(w.s2(transform))),
                ],
            );
        }
    }
}

#[test]
fn reference_aspatial_and_fair_share() {
    let r = reference();
    let a = &r["aspatial"];
    assert_keys(
        a,
        &[
            ("dissimilarity", dissimilarity(&X, &T).ok()),
            ("gini", gini(&X, &T).ok()),
            ("theil_h", theil_h(&X, &T).ok()),
            ("isolation", isolation(&X, &T).ok()),
            ("exposure", exposure(&X, &T).ok()),
            ("correlation_ratio", correlation_ratio(&X, &T).ok()),
        ],
    );
    for (b, expected) in a["atkinson"].as_object().unwrap() {
        let b: f64 = b.parse().unwrap();
        assert_close(atkinson(&X, &T, b).ok(), number(expected), "Atkinson");
    }
    // the PySAL class ignores b: its b = 0.9 value is our b = 0.5 value
    assert_close(
        atkinson(&X, &T, 0.5).ok(),
        number(&a["atkinson_class_b_0_9"]),
        "Atkinson class",
    );

    let sd = &r["spatial_dissimilarity"];
    for (name, kind) in [("queen", Contiguity::Queen), ("rook", Contiguity::Rook)] {
        let value = spatial_dissimilarity(&X, &T, &grid_weights(kind), Transform::Binary);
        assert_close(value.ok(), number(&sd[name]), name);
    }

    let fs = &r["fair_share"];
    let ratio = fair_share_ratio(&X, &T).unwrap();
    for (f, lq) in ratio.iter().zip(numbers(&fs["location_quotient"])) {
        assert_close(*f, lq.unwrap(), "fair share = LQ");
    }
    assert_close(hhi(&X).ok(), number(&fs["hhi"]), "HHI");

    let mg = &r["multigroup"];
    let mo = numbers(&r["input"]["mo"]);
    let mo: Vec<f64> = mo.into_iter().map(Option::unwrap).collect();
    let rest: Vec<f64> = (0..9).map(|i| T[i] - X[i] - mo[i]).collect();
    let columns = [&X[..], &mo, &rest];
    assert_close(
        multi_dissimilarity(&columns).ok(),
        number(&mg["dissimilarity"]),
        "multigroup D",
    );
    assert_close(
        multi_information_theory(&columns).ok(),
        number(&mg["information_theory_h"]),
        "multigroup H",
    );
}

#[test]
fn reference_global_moran() {
    let r = reference();
    let cases = [
        ("queen_r", Contiguity::Queen, Transform::Row),
        ("rook_r", Contiguity::Rook, Transform::Row),
        ("queen_b", Contiguity::Queen, Transform::Binary),
    ];
    for (name, kind, transform) in cases {
        let e = &r["moran"][name];
        let m = global_moran(&rate(), &grid_weights(kind), transform, OUR_PERMUTATIONS, 1);
        let analytic = [
            "I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand", "p_norm", "p_rand",
        ];
        assert_serialised_keys(e, &m, &analytic);
        assert_p_sim(m.sim.p_sim, number(&e["p_sim_tie_tolerant"]), name);
        // means and spreads of 9,999 draws: standard errors ≈ 0.003
        assert_relative_eq!(m.sim.mean.unwrap(), number(&e["EI_sim"]), epsilon = 0.01);
        assert_relative_eq!(m.sim.sd.unwrap(), number(&e["seI_sim"]), epsilon = 0.01);
        assert_eq!(m.undefined_reason, None);
    }
}

#[test]
fn reference_local_moran() {
    let r = reference();
    let e = &r["local_moran"]["queen_r"];
    let lisa = local_moran(
        &rate(),
        &grid_weights(Contiguity::Queen),
        Transform::Row,
        OUR_PERMUTATIONS,
        2,
    );
    let (is, ei, vi) = (numbers(&e["Is"]), numbers(&e["EI"]), numbers(&e["VI"]));
    let p_sim = numbers(&e["p_sim_tie_tolerant"]);
    for (i, area) in lisa.iter().enumerate() {
        assert_close(area.i, is[i].unwrap(), "I_i");
        assert_close(area.ei, ei[i].unwrap(), "EI_i");
        assert_close(area.vi, vi[i].unwrap(), "VI_i");
        assert_eq!(
            u64::from(area.quadrant.unwrap().code()),
            e["q"][i].as_u64().unwrap(),
            "quadrant of area {i}"
        );
        if i == 4 {
            // the centre neighbours all others: esda's p_sim there is rounding noise
            assert_eq!(area.sim.p_sim, None);
            assert_eq!(area.undefined_reason, Some(Undefined::NeighboursAllOthers));
        } else {
            assert_p_sim(area.sim.p_sim, p_sim[i].unwrap(), &format!("LISA area {i}"));
        }
    }
}

#[test]
fn reference_local_g() {
    let r = reference();
    let cases = [
        ("queen_r_gi", false, Transform::Row),
        ("queen_b_gi_star", true, Transform::Binary),
    ];
    for (name, star, transform) in cases {
        let e = &r["local_g"][name];
        let gi = local_g(
            &rate(),
            &grid_weights(Contiguity::Queen),
            star,
            transform,
            OUR_PERMUTATIONS,
            3,
        );
        let (gs, egs, vgs) = (numbers(&e["Gs"]), numbers(&e["EGs"]), numbers(&e["VGs"]));
        let (zs, p_norm) = (numbers(&e["Zs"]), numbers(&e["p_norm"]));
        let p_sim = numbers(&e["p_sim_tie_tolerant"]);
        for (i, area) in gi.iter().enumerate() {
            let what = format!("{name} area {i}");
            assert_close(area.g.value, gs[i].unwrap(), &what);
            assert_close(area.g.expected, egs[i].unwrap(), &what);
            assert_close(area.g.variance, vgs[i].unwrap(), &what);
            match zs[i] {
                Some(z) => {
                    assert_close(area.z, z, &what);
                    assert_close(area.p_norm, p_norm[i].unwrap(), &what);
                }
                // esda: Z = −inf at the centre (VG = 0)
                None => {
                    assert_eq!((area.z, area.p_norm), (None, None), "{what}");
                    assert_eq!(area.undefined_reason, Some(Undefined::NeighboursAllOthers));
                }
            }
            if i == 4 {
                assert_eq!(area.sim.p_sim, None, "{what}");
            } else {
                assert_p_sim(area.sim.p_sim, p_sim[i].unwrap(), &what);
            }
        }
    }
}

#[test]
fn reference_global_g() {
    let r = reference();
    let e = &r["global_g"]["queen_b"];
    let g = global_g(
        &rate(),
        &grid_weights(Contiguity::Queen),
        OUR_PERMUTATIONS,
        4,
    );
    assert_serialised_keys(e, &g, &["G", "EG", "VG", "z_norm", "p_norm"]);
    assert_p_sim(g.sim.p_sim, number(&e["p_sim_tie_tolerant"]), "G");
}

#[test]
fn reference_clark_evans() {
    let r = reference();
    let e = &r["clark_evans"];
    let points: Vec<[f64; 2]> = e["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| [number(&p[0]), number(&p[1])])
        .collect();
    let window = Window {
        area: number(&e["window_area"]),
        perimeter: number(&e["window_perimeter"]),
    };
    for (d, expected) in nearest_neighbour_distances(&points)
        .into_iter()
        .zip(numbers(&e["nnd"]))
    {
        assert_close(d.ok(), expected.unwrap(), "nnd");
    }
    let ce = clark_evans(&points, window);
    assert_serialised_keys(e, &ce, &["D_obs", "D_pois", "R", "SE", "Z", "R_donnelly"]);
    // spatstat's two-sided p-value, written as `p_norm`
    assert_close(ce.p_norm, number(&e["p_norm_two_sided"]), "p_norm");
}

/// Owned inputs for [`compute`].
struct Study {
    geometries: Vec<MultiPolygon<f64>>,
    care_units: Vec<f64>,
    reference: Vec<f64>,
    groups: BTreeMap<String, Vec<f64>>,
    rate: Vec<Option<f64>>,
    saldo: Vec<Option<f64>>,
    sites: Vec<SitePoint>,
}

impl Study {
    /// The Appendix A grid with two groups, a saldo and a few sites.
    fn grid() -> Self {
        let bw: Vec<f64> = X.iter().map(|x| x - 5.0_f64.min(*x)).collect();
        let mo: Vec<f64> = X.iter().map(|x| 5.0_f64.min(*x)).collect();
        let site = |x: f64, y: f64, group: &str| SitePoint {
            x,
            y,
            group: group.into(),
        };
        Study {
            geometries: grid3x3(),
            care_units: X.to_vec(),
            reference: T.to_vec(),
            groups: BTreeMap::from([("BW".to_string(), bw), ("MO".to_string(), mo)]),
            rate: rate().into_iter().map(Some).collect(),
            saldo: [0.4, -0.2, 1.1, 0.0, -1.3, 0.7, 0.2, -0.5, 0.9]
                .map(Some)
                .to_vec(),
            sites: vec![
                site(200_100.0, 499_900.0, "BW"),
                site(200_150.0, 499_880.0, "MO"),
                site(201_500.0, 498_500.0, "BW"),
                site(202_700.0, 497_300.0, "BW"),
            ],
        }
    }

    fn input(&self) -> SpreadInput<'_> {
        SpreadInput {
            geometries: &self.geometries,
            care_units: Some(&self.care_units),
            reference: &self.reference,
            units_by_group: &self.groups,
            rate: &self.rate,
            saldo: &self.saldo,
            sites: &self.sites,
            window: None,
        }
    }
}

fn options(permutations: usize) -> SpreadOptions {
    SpreadOptions {
        permutations,
        ..SpreadOptions::default()
    }
}

/// Asserts that `reasons` (an area's or a site's `undefined_reasons`) gives `expected` for
/// `key`.
#[track_caller]
fn assert_reason(reasons: &BTreeMap<&'static str, Undefined>, key: &str, expected: Undefined) {
    assert_eq!(reasons.get(key), Some(&expected), "reason for {key}");
}

/// Every `null` in the serialised result has a reason next to it: the JSON-level guarantee
/// that nothing undefined (NaN, ±∞, which serde_json would write as `null`) slips through.
fn assert_every_null_explained(result: &SpreadResult) {
    fn check(value: &Value, path: &str) {
        match value {
            Value::Object(map) => {
                if let Some(reason) = map.get("undefined_reason") {
                    let nulls: Vec<_> = map.iter().filter(|(_, v)| v.is_null()).collect();
                    let unexplained = nulls.iter().any(|(k, _)| *k != "undefined_reason");
                    assert!(
                        !unexplained || !reason.is_null(),
                        "{path}: null without a reason in {value}"
                    );
                }
                if let Some(reasons) = map.get("undefined_reasons") {
                    for (key, v) in map.iter().filter(|(_, v)| v.is_null()) {
                        let family = area_family(key);
                        assert!(
                            reasons.get(family).is_some(),
                            "{path}.{key}: null without a reason under \"{family}\""
                        );
                        let _ = v;
                    }
                }
                for (key, v) in map {
                    check(v, &format!("{path}.{key}"));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    check(v, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }
    check(&serde_json::to_value(result).unwrap(), "result");
}

/// The key of `undefined_reasons` that explains a per-area or per-site field.
fn area_family(field: &str) -> &str {
    match field {
        f if f.starts_with("saldo_gi_star") => "saldo_gi_star",
        f if f.starts_with("saldo_") => "saldo_lisa",
        f if f.starts_with("gi_star") => "gi_star",
        "local_moran_i" | "lisa_quadrant" | "lisa_p" | "lisa_label" => "lisa",
        other => other,
    }
}

#[test]
fn compute_matches_the_metric_functions() {
    let study = Study::grid();
    let result = compute(&study.input(), &options(99));
    let s = &result.study;
    assert_eq!(s.metrics, MetricFamily::ALL.to_vec());
    assert_relative_eq!(s.dissimilarity.value.unwrap(), 0.31, max_relative = 1e-9);
    assert_relative_eq!(s.atkinson.value.unwrap(), 0.1323772955, max_relative = 1e-9);
    assert_eq!(s.atkinson.b, 0.5);
    assert_relative_eq!(
        s.spatial_dissimilarity.value.unwrap(),
        0.2670495754,
        max_relative = 1e-9
    );
    assert_relative_eq!(s.hhi.value.unwrap(), 0.245, max_relative = 1e-12);
    assert_eq!(s.multigroup.groups, vec!["BW", "MO", REST_GROUP]);
    assert!(s.multigroup.dissimilarity.value.is_some());
    let moran = &s.morans_i.care_units_per_1000;
    assert_relative_eq!(moran.i.unwrap(), -0.1530963502, max_relative = 1e-9);
    assert_eq!(
        (moran.n, moran.draws.permutations, moran.draws.seed),
        (9, 99, DEFAULT_SEED)
    );
    assert!(s.morans_i.saldo.i.is_some());
    assert_relative_eq!(
        s.getis_ord_g.g.value.unwrap(),
        0.6545698661,
        max_relative = 1e-9
    );
    let weights = s.weights.as_ref().unwrap();
    assert_eq!((weights.kind, weights.n), (Contiguity::Queen, 9));
    assert!(weights.islands.is_empty());
    assert_eq!(
        s.clark_evans.window_source,
        Some(WindowSource::PopulatedAreas)
    );
    assert_relative_eq!(s.clark_evans.statistic.window_area.unwrap(), 9e6);
    assert_relative_eq!(s.clark_evans.statistic.window_perimeter.unwrap(), 12_000.0);

    let lq = fair_share_ratio(&X, &T).unwrap();
    let lisa = local_moran(
        &rate(),
        &grid_weights(Contiguity::Queen),
        Transform::Row,
        99,
        DEFAULT_SEED,
    );
    let gi = local_g(
        &rate(),
        &grid_weights(Contiguity::Queen),
        true,
        Transform::Binary,
        99,
        DEFAULT_SEED,
    );
    for (i, area) in result.per_area.iter().enumerate() {
        assert_eq!(area.fair_share_ratio, lq[i]);
        assert_eq!(area.rate.local_moran_i, lisa[i].i);
        assert_eq!(area.rate.lisa_p, lisa[i].sim.p_sim);
        assert_eq!(area.rate.lisa_label, lisa[i].label(0.05));
        assert_eq!(area.rate.gi_star, gi[i].g.value);
        assert_eq!(area.rate.gi_star_p, gi[i].sim.p_sim);
        assert_eq!(area.fair_share_by_group.len(), 2);
        // saldo has negative values: Gi* needs values ≥ 0
        assert_eq!(area.saldo.gi_star, None);
        assert!(matches!(
            area.undefined_reasons.get("saldo_gi_star"),
            Some(Undefined::NegativeValue { .. })
        ));
        assert!(area.saldo.local_moran_i.is_some());
    }
    assert_eq!(result.per_area[4].rate.lisa_label, None);
    assert_reason(
        &result.per_area[4].undefined_reasons,
        "lisa",
        Undefined::NeighboursAllOthers,
    );
    assert_relative_eq!(
        result.per_site[0].nn_any_m.unwrap(),
        (50.0f64).hypot(20.0),
        max_relative = 1e-12
    );
    assert_reason(
        &result.per_site[1].undefined_reasons,
        "nn_same_group_m",
        Undefined::NoOtherSite,
    );
    assert_every_null_explained(&result);
}

#[test]
fn compute_only_requested_families() {
    let study = Study::grid();
    let opts = SpreadOptions {
        metrics: "fair_share".parse().unwrap(),
        ..options(9)
    };
    let result = compute(&study.input(), &opts);
    assert_eq!(result.study.metrics, vec![MetricFamily::FairShare]);
    assert!(result.study.hhi.value.is_some());
    assert_eq!(
        result.study.dissimilarity.undefined_reason,
        Some(Undefined::NotRequested)
    );
    assert_eq!(
        result.study.morans_i.saldo.undefined_reason,
        Some(Undefined::NotRequested)
    );
    assert!(result.study.weights.is_none());
    assert!(result
        .per_area
        .iter()
        .all(|a| a.rate.local_moran_i.is_none()));
    assert!(result.per_site.iter().all(|s| s.nn_any_m.is_none()));
}

#[test]
fn compute_is_independent_of_thread_count() {
    let study = Study::grid();
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| compute(&study.input(), &options(199)))
    };
    let one = run(1);
    assert_eq!(one, run(4));
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&run(3)).unwrap()
    );
}

/// Records what [`compute_with_progress`] reports.
#[derive(Default)]
struct Recorder {
    started: std::sync::Mutex<Vec<(crate::progress::Stage, u64)>>,
    done: std::sync::atomic::AtomicU64,
    finished: std::sync::atomic::AtomicUsize,
}

impl crate::progress::Progress for Recorder {
    fn start(&self, stage: crate::progress::Stage, total: u64) {
        self.started.lock().unwrap().push((stage, total));
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
    fn finish(&self) {
        self.finished
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn progress_counts_every_permutation_and_changes_nothing() {
    use std::sync::atomic::Ordering;
    let mut study = Study::grid();
    // Rates all equal: the rate tests stop before they permute, and still count as done.
    study.rate = vec![Some(4.2); 9];
    for threads in [1, 3] {
        let recorder = Recorder::default();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let with = pool.install(|| compute_with_progress(&study.input(), &options(99), &recorder));
        assert_eq!(with, compute(&study.input(), &options(99)));
        // 9 areas with a rate and 9 with a saldo: Moran 9 + 9, LISA 9 + 9, G 9, Gi* 9 + 9;
        // each is one area in one of 99 permutations.
        let total = 63 * 99;
        assert_eq!(
            *recorder.started.lock().unwrap(),
            [(crate::progress::Stage::Permutations, total)]
        );
        assert_eq!(recorder.done.load(Ordering::Relaxed), total);
        assert_eq!(recorder.finished.load(Ordering::Relaxed), 1);
    }
    // No permutations: no stage.
    let recorder = Recorder::default();
    compute_with_progress(&study.input(), &options(0), &recorder);
    assert!(recorder.started.lock().unwrap().is_empty());
    assert_eq!(recorder.done.load(Ordering::Relaxed), 0);
}

/// The study metrics of the care units that every degenerate case leaves without a value.
fn care_scalars(s: &crate::spread::StudySpreading) -> [&Scalar; 9] {
    [
        &s.dissimilarity,
        &s.gini,
        &s.theil_h,
        &s.isolation,
        &s.exposure,
        &s.hhi,
        &s.effective_areas,
        &s.fair_share_dissimilarity,
        &s.spatial_dissimilarity,
    ]
}

#[test]
fn degenerate_no_care_units_and_no_sites() {
    let mut study = Study::grid();
    study.care_units = vec![0.0; 9];
    study.groups.clear();
    study.rate = vec![Some(0.0); 9];
    study.sites.clear();
    let result = compute(&study.input(), &options(99));
    let s = &result.study;
    for scalar in care_scalars(s) {
        assert_eq!(scalar.value, None);
        assert_eq!(scalar.undefined_reason, Some(Undefined::NoCareUnits));
    }
    assert_eq!(
        s.multigroup.dissimilarity.undefined_reason,
        Some(Undefined::NoGroups)
    );
    assert_eq!(
        s.morans_i.care_units_per_1000.undefined_reason,
        Some(Undefined::ZeroVariance)
    );
    assert_eq!(
        s.getis_ord_g.undefined_reason,
        Some(Undefined::FewerThanTwoPositive)
    );
    assert_eq!(
        s.clark_evans.statistic.undefined_reason,
        Some(Undefined::TooFewSites { n: 0, min: 2 })
    );
    assert_eq!(s.clark_evans.statistic.window_area, Some(9e6));
    assert!(result.per_site.is_empty());
    for area in &result.per_area {
        assert_eq!(area.fair_share_ratio, None);
        assert_eq!(area.fair_share_gap, Some(0.0));
        assert_reason(
            &area.undefined_reasons,
            "fair_share_ratio",
            Undefined::NoCareUnits,
        );
        assert_reason(&area.undefined_reasons, "lisa", Undefined::ZeroVariance);
    }
    assert_every_null_explained(&result);
}

#[test]
fn unknown_care_units_are_unknown_not_zero_and_the_saldo_is_still_tested() {
    // A study without a sites layer: no care metric has a value, each says why ("care units
    // unknown", not "X = 0"), and Moran's I and LISA of the saldo are those of the full study.
    let mut study = Study::grid();
    study.groups.clear();
    study.rate = vec![None; 9];
    study.sites.clear();
    let known = compute(&study.input(), &options(99));
    let input = SpreadInput {
        care_units: None,
        ..study.input()
    };
    let result = compute(&input, &options(99));
    let s = &result.study;
    let more = [
        &s.correlation_ratio,
        &s.hhi_normalised,
        &s.multigroup.dissimilarity,
    ];
    for scalar in care_scalars(s).into_iter().chain(more) {
        assert_eq!(scalar.value, None);
        assert_eq!(scalar.undefined_reason, Some(Undefined::CareUnknown));
    }
    assert_eq!(s.atkinson.undefined_reason, Some(Undefined::CareUnknown));
    assert_eq!(
        s.morans_i.care_units_per_1000.undefined_reason,
        Some(Undefined::CareUnknown)
    );
    assert_eq!(s.getis_ord_g.undefined_reason, Some(Undefined::CareUnknown));
    assert_eq!(
        s.clark_evans.statistic.undefined_reason,
        Some(Undefined::CareUnknown)
    );
    assert_eq!(s.morans_i.saldo, known.study.morans_i.saldo);
    for (area, was) in result.per_area.iter().zip(&known.per_area) {
        assert_eq!((area.fair_share_ratio, area.fair_share_gap), (None, None));
        for key in ["fair_share_ratio", "fair_share_gap", "lisa", "gi_star"] {
            assert_reason(&area.undefined_reasons, key, Undefined::CareUnknown);
        }
        assert_eq!(area.saldo, was.saldo);
    }
    assert_every_null_explained(&result);
}

#[test]
fn degenerate_one_area_with_everything() {
    let mut study = Study::grid();
    study.care_units = vec![0.0; 9];
    study.care_units[2] = 120.0;
    study.groups.clear();
    let result = compute(&study.input(), &options(0));
    let s = &result.study;
    assert_eq!(s.hhi.value, Some(1.0));
    assert_eq!(s.hhi_normalised.value, Some(1.0));
    assert_eq!(s.effective_areas.value, Some(1.0));
    assert_relative_eq!(
        s.fair_share_dissimilarity.value.unwrap(),
        1.0 - 1500.0 / 10_100.0
    );
    assert!(s.dissimilarity.value.is_some() && s.gini.value.is_some());
    assert_eq!(
        result.per_area[2].fair_share_gap,
        Some(120.0 - 120.0 * 1500.0 / 10_100.0)
    );
    // without permutations every p_sim is undefined, with the reason
    assert_eq!(
        s.morans_i.care_units_per_1000.undefined_reason,
        Some(Undefined::NoPermutations)
    );
    assert_every_null_explained(&result);
}

#[test]
fn degenerate_areas_without_inhabitants() {
    let mut study = Study::grid();
    study.reference[8] = 0.0;
    study.care_units[8] = 0.0;
    study.groups.clear();
    study.rate[8] = None;
    study.saldo[8] = None;
    let result = compute(&study.input(), &options(99));
    let area = &result.per_area[8];
    assert_eq!(area.fair_share_ratio, None);
    assert_eq!(area.fair_share_gap, Some(0.0));
    assert_reason(
        &area.undefined_reasons,
        "fair_share_ratio",
        Undefined::AreaWithoutReference,
    );
    for key in ["lisa", "gi_star", "saldo_lisa"] {
        assert_reason(&area.undefined_reasons, key, Undefined::MissingValue);
    }
    assert_eq!(area.rate.local_moran_i, None);
    assert_eq!(result.study.morans_i.care_units_per_1000.n, 8);

    // p_i := 0 for the empty area, so D is defined
    assert!(result.study.dissimilarity.value.is_some());
    assert!(result.per_area[0].rate.local_moran_i.is_some());
    assert_every_null_explained(&result);
}

#[test]
fn reasons_name_areas_in_input_order() {
    let mut study = Study::grid();
    // area 0 is left out of the saldo statistics, so area 1 is the subset's first area
    study.saldo[0] = None;
    let result = compute(&study.input(), &options(9));
    for area in &result.per_area[1..] {
        assert!(matches!(
            area.undefined_reasons.get("saldo_gi_star"),
            Some(Undefined::NegativeValue { area: 1, .. })
        ));
    }
    assert_reason(
        &result.per_area[0].undefined_reasons,
        "saldo_gi_star",
        Undefined::MissingValue,
    );
}

#[test]
fn degenerate_all_rates_equal() {
    let mut study = Study::grid();
    study.rate = vec![Some(4.2); 9];
    let result = compute(&study.input(), &options(99));
    let moran = &result.study.morans_i.care_units_per_1000;
    assert_eq!(moran.i, None);
    assert_eq!(moran.undefined_reason, Some(Undefined::ZeroVariance));
    // serde_json would write NaN as null; the reason shows it is a deliberate "undefined"
    let json = serde_json::to_value(moran).unwrap();
    assert_eq!(json["I"], Value::Null);
    assert_eq!(
        json["undefined_reason"],
        "all values are equal (variance 0)"
    );
    assert_eq!(
        result.study.getis_ord_g.undefined_reason,
        Some(Undefined::ZeroVariance)
    );
    for area in &result.per_area {
        assert_eq!(area.rate.local_moran_i, None);
        assert_eq!(area.rate.gi_star_z, None);
        assert_reason(&area.undefined_reasons, "lisa", Undefined::ZeroVariance);
        assert_reason(&area.undefined_reasons, "gi_star", Undefined::ZeroVariance);
    }
    assert_every_null_explained(&result);
}

#[test]
fn degenerate_islands() {
    let mut study = Study::grid();
    // a tenth area far away from the grid
    study.geometries.push(square(300_000.0, 400_000.0, 1_000.0));
    study.care_units.push(12.0);
    study.reference.push(800.0);
    for units in study.groups.values_mut() {
        units.push(6.0);
    }
    study.rate.push(Some(15.0));
    study.saldo.push(Some(0.3));
    let result = compute(&study.input(), &options(99));
    assert_eq!(result.study.weights.as_ref().unwrap().islands, vec![9]);
    let island = &result.per_area[9];
    assert_eq!(island.rate.local_moran_i, None);
    assert_reason(&island.undefined_reasons, "lisa", Undefined::Island);
    // Gi*: the island is its own window, so G and Z exist but no permutation test
    assert!(island.rate.gi_star.is_some() && island.rate.gi_star_z.is_some());
    assert_eq!(island.rate.gi_star_p, None);
    assert_reason(&island.undefined_reasons, "gi_star", Undefined::Island);
    // the window now includes the island: 10 km² and 16 km of border
    let ce = &result.study.clark_evans.statistic;
    assert_relative_eq!(ce.window_area.unwrap(), 10e6);
    assert_relative_eq!(ce.window_perimeter.unwrap(), 16_000.0);
    assert!(result.study.morans_i.care_units_per_1000.i.is_some());
    assert_every_null_explained(&result);
}

/// A 4×4 grid of squares with the given values, areas listed in `order`.
fn shuffled_study(values: &[(f64, f64, f64)], order: &[usize]) -> Study {
    let cells: Vec<MultiPolygon<f64>> = (0..16)
        .map(|i| square((i % 4) as f64 * 100.0, (i / 4) as f64 * 100.0, 100.0))
        .collect();
    let pick = |f: &dyn Fn(usize) -> f64| order.iter().map(|&i| f(i)).collect::<Vec<f64>>();
    let care_units = pick(&|i| values[i].0);
    let reference = pick(&|i| values[i].0 + values[i].1);
    let mo = pick(&|i| values[i].2.min(values[i].1));
    Study {
        geometries: order.iter().map(|&i| cells[i].clone()).collect(),
        rate: (0..16)
            .map(|k| (reference[k] > 0.0).then(|| 1000.0 * care_units[k] / reference[k]))
            .collect(),
        saldo: pick(&|i| values[i].2 - values[i].1 / 2.0)
            .into_iter()
            .map(Some)
            .collect(),
        groups: BTreeMap::from([("MO".to_string(), mo)]),
        care_units,
        reference,
        sites: Vec::new(),
    }
}

/// The study-level values that do not depend on random draws.
fn analytic_study_values(result: &SpreadResult) -> Vec<Option<f64>> {
    let s = &result.study;
    let m = &s.morans_i.care_units_per_1000;
    let ms = &s.morans_i.saldo;
    vec![
        s.dissimilarity.value,
        s.gini.value,
        s.theil_h.value,
        s.isolation.value,
        s.exposure.value,
        s.correlation_ratio.value,
        s.atkinson.value,
        s.spatial_dissimilarity.value,
        s.hhi.value,
        s.hhi_normalised.value,
        s.effective_areas.value,
        s.fair_share_dissimilarity.value,
        s.multigroup.dissimilarity.value,
        s.multigroup.information_theory_h.value,
        m.i,
        m.vi_norm,
        m.vi_rand,
        m.z_norm,
        ms.i,
        ms.z_rand,
        s.getis_ord_g.g.value,
        s.getis_ord_g.g.variance,
        s.getis_ord_g.z_norm,
        s.clark_evans.statistic.window_perimeter,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn indices_stay_in_unit_interval(
        areas in prop::collection::vec((0.0f64..500.0, 0.0f64..5_000.0), 2..40)
    ) {
        let x: Vec<f64> = areas.iter().map(|a| a.0).collect();
        let t: Vec<f64> = areas.iter().map(|a| a.0 + a.1).collect();
        let eps = 1e-12;
        for value in [dissimilarity(&x, &t), gini(&x, &t), theil_h(&x, &t), hhi_normalised(&x)]
            .into_iter()
            .flatten()
        {
            prop_assert!((-eps..=1.0 + eps).contains(&value), "{value}");
        }
    }

    #[test]
    fn fair_share_gaps_sum_to_zero(
        areas in prop::collection::vec((0.0f64..500.0, 0.0f64..5_000.0), 1..60)
    ) {
        let c: Vec<f64> = areas.iter().map(|a| a.0).collect();
        let a: Vec<f64> = areas.iter().map(|a| a.1).collect();
        if let Ok(gaps) = fair_share_gap(&c, &a) {
            let total: f64 = c.iter().sum();
            prop_assert!(gaps.iter().sum::<f64>().abs() <= 1e-9 * total.max(1.0));
        }
    }

    #[test]
    fn area_order_does_not_change_study_values(
        values in prop::collection::vec((0.0f64..60.0, 1.0f64..900.0, 0.0f64..40.0), 16),
        order in Just((0..16).collect::<Vec<usize>>()).prop_shuffle()
    ) {
        let identity: Vec<usize> = (0..16).collect();
        let opts = options(0);
        let base = compute(&shuffled_study(&values, &identity).input(), &opts);
        let shuffled = compute(&shuffled_study(&values, &order).input(), &opts);
        for (a, b) in analytic_study_values(&base)
            .into_iter()
            .zip(analytic_study_values(&shuffled))
        {
            match (a, b) {
                (Some(a), Some(b)) => prop_assert!(
                    (a - b).abs() <= 1e-9 * a.abs().max(1e-3),
                    "{a} vs {b}"
                ),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
        // per-area values travel with their area
        for (k, &i) in order.iter().enumerate() {
            match (shuffled.per_area[k].fair_share_ratio, base.per_area[i].fair_share_ratio) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0)),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }
}
