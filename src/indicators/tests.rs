//! Hand-checked tests of the indicator pipeline on a three-area town.
//!
//! | area | population | dwellings | % koop (DK1) | % low income (DL2) |
//! |------|-----------:|----------:|-------------:|-------------------:|
//! | A    | 1000       | 500       | 20           | 40                 |
//! | B    | 1000       | 500       | 40           | 30                 |
//! | C    | 2000       | 1000      | 60           | 20                 |
//!
//! DK1 weighted by dwellings: μ = 90000/2000 = 45, σ² = (500·625 + 500·25 + 1000·225)/2000 = 275,
//! z = [−25, −5, 15]/16.5831 = [−1.50756, −0.30151, 0.90453].
//! DL2 weighted by population: μ = 110000/4000 = 27.5, σ² = 68.75, z = [1.50756, 0.30151, −0.90453].
//! Saldo = DK − DL = [−3.01511, −0.60302, 1.80907] → rood, oranje, ruimte.

use std::collections::BTreeMap;

use approx::assert_relative_eq;
use geo::{polygon, MultiPolygon};

use super::*;
use crate::model::ConceptValue;

pub(crate) fn area(code: &str, values: &[(&str, Option<f64>)]) -> Area {
    let x = code.len() as f64;
    Area {
        code: code.to_string(),
        name: code.to_string(),
        geometry: MultiPolygon(vec![polygon![
            (x: x, y: 0.0), (x: x + 1000.0, y: 0.0), (x: x + 1000.0, y: 1000.0), (x: x, y: 1000.0)
        ]]),
        values: values
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    ConceptValue {
                        value: *v,
                        suppressed: v.is_none(),
                    },
                )
            })
            .collect(),
        parents: BTreeMap::new(),
        feature_index: 0,
    }
}

/// An area of the town's table: population, dwellings, % koop (`None`: suppressed) and
/// % low income.
fn row(code: &str, pop: f64, dw: f64, own: Option<f64>, low: f64) -> Area {
    area(
        code,
        &[
            ("population", Some(pop)),
            ("dwellings", Some(dw)),
            ("pct_owner_occupied", own),
            ("pct_low_income_persons", Some(low)),
        ],
    )
}

fn town() -> Vec<Area> {
    vec![
        row("A", 1000.0, 500.0, Some(20.0), 40.0),
        row("B", 1000.0, 500.0, Some(40.0), 30.0),
        row("C", 2000.0, 1000.0, Some(60.0), 20.0),
    ]
}

fn present() -> Vec<String> {
    [
        "population",
        "dwellings",
        "pct_owner_occupied",
        "pct_low_income_persons",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The town's columns and, when given, the care units per area.
fn inputs(care: Option<&[f64]>) -> Inputs<'_> {
    Inputs {
        concepts_present: present(),
        care_units: care,
    }
}

fn run(areas: &[Area], care: Option<&[f64]>) -> Analysis {
    analyse(
        areas,
        &default_indicators(),
        &inputs(care),
        &BalanceOptions::default(),
    )
}

fn status<'a>(a: &'a Analysis, id: &str) -> (usize, &'a IndicatorStatus) {
    a.indicators
        .iter()
        .enumerate()
        .find(|(_, s)| s.def.id == id)
        .unwrap()
}

#[test]
fn three_area_town_matches_the_hand_computation() {
    let a = run(&town(), None);
    let (dk1, s) = status(&a, "DK1");
    assert!(s.scored());
    let p = &a.baseline.params["DK1"]["all"];
    assert_relative_eq!(p.mean, 45.0);
    assert_relative_eq!(p.sd, 275f64.sqrt());
    assert_eq!(p.weight_by, "dwellings");
    let (dl2, s) = status(&a, "DL2");
    assert_eq!(
        s.source,
        Some(Source::Value {
            column: "pct_low_income_persons".into()
        })
    );
    let expected_saldo = [-3.015113, -0.603023, 1.809068];
    let expected_signal = [Signal::Rood, Signal::Oranje, Signal::Ruimte];
    for (i, sc) in a.areas.iter().enumerate() {
        assert_relative_eq!(sc.z[dk1].unwrap(), -sc.z[dl2].unwrap(), epsilon = 1e-12);
        assert_relative_eq!(sc.saldo.unwrap(), expected_saldo[i], epsilon = 1e-6);
        assert_eq!(sc.signal, expected_signal[i]);
    }
    assert_eq!(a.areas[0].typology, Some((1, 3)));
    assert_eq!(a.areas[2].typology, Some((3, 1)));
    assert_eq!(typology_label((1, 3)).1, "kracht laag / last hoog");
}

#[test]
fn absent_columns_are_skipped_with_a_reason() {
    let a = run(&town(), None);
    let (_, dl1) = status(&a, "DL1");
    assert!(
        matches!(&dl1.skipped, Some(Skip::NoColumn(s)) if s[0].missing == ["pct_corporation"]),
        "{:?}",
        dl1.skipped
    );
    let (_, dl7) = status(&a, "DL7");
    assert_eq!(dl7.skipped, Some(Skip::NoSitesLayer));
}

#[test]
fn care_units_per_1000_scores_in_draaglast() {
    let a = run(&town(), Some(&[10.0, 0.0, 0.0]));
    let (dl7, s) = status(&a, "DL7");
    assert!(s.scored(), "{:?}", s.skipped);
    assert_eq!(s.values[0], Ok(10.0));
    assert!(a.areas[0].z[dl7].unwrap() > 0.0);
    assert!(a.areas[1].z[dl7].unwrap() < 0.0);
}

#[test]
fn equal_values_everywhere_skip_the_indicator_rather_than_divide_by_zero() {
    let a = run(&town(), Some(&[0.0, 0.0, 0.0]));
    let (_, s) = status(&a, "DL7");
    assert!(
        matches!(s.skipped, Some(Skip::NoVariation { set: None, mean }) if mean == 0.0),
        "{:?}",
        s.skipped
    );
}

#[test]
fn a_suppressed_value_is_flagged_and_the_block_uses_what_is_there() {
    let mut areas = town();
    areas.push(row("D", 1500.0, 700.0, None, 25.0));
    let a = run(&areas, None);
    let d = &a.areas[3];
    assert_eq!(d.missing, vec!["DK1".to_string()]);
    assert_eq!(d.draagkracht, None);
    assert!(d.draaglast.is_some());
    assert_eq!(d.signal, Signal::Onbekend);
}

#[test]
fn frozen_baseline_leaves_untouched_areas_unchanged() {
    let areas = town();
    let opts = BalanceOptions::default();
    let base = analyse(
        &areas,
        &default_indicators(),
        &inputs(Some(&[5.0, 1.0, 0.0])),
        &opts,
    );
    let after_units = [5.0, 1.0, 40.0];
    let raw = raw_values(&areas, &default_indicators(), &inputs(Some(&after_units)));
    let (statuses, _) = fit_params(raw, &areas, &present(), &opts);
    let after = score(&areas, &statuses, &base.baseline, &opts);
    assert_eq!(after[0], base.areas[0]);
    assert_eq!(after[1], base.areas[1]);
    assert!(after[2].draaglast.unwrap() > base.areas[2].draaglast.unwrap());
}

#[test]
fn small_areas_are_scored_but_do_not_shape_the_parameters() {
    let mut areas = town();
    areas.push(row("E", 20.0, 10.0, Some(100.0), 0.0));
    let a = run(&areas, None);
    assert_relative_eq!(a.baseline.params["DK1"]["all"].mean, 45.0);
    assert_eq!(a.baseline.params["DK1"]["all"].n_reference, 3);
    // (100 − 45)/16.58 = 3.3 → winsorised to 3
    let (dk1, _) = status(&a, "DK1");
    assert_eq!(a.areas[3].z[dk1], Some(3.0));
}

#[test]
fn rescore_with_unchanged_inputs_reproduces_the_baseline() {
    let areas = town();
    let care = [5.0, 1.0, 0.0];
    let unchanged = inputs(Some(&care));
    let opts = BalanceOptions::default();
    let base = analyse(&areas, &default_indicators(), &unchanged, &opts);
    let (_, again) = rescore(&areas, &base.indicators, &base.baseline, &unchanged, &opts);
    assert_eq!(again, base.areas);
    let more = [5.0, 1.0, 40.0];
    let changed = inputs(Some(&more));
    let (_, after) = rescore(&areas, &base.indicators, &base.baseline, &changed, &opts);
    assert_eq!(after[0], base.areas[0]);
    assert_eq!(after[1], base.areas[1]);
    assert_ne!(after[2], base.areas[2]);
}

#[test]
fn an_indicator_skipped_in_the_baseline_stays_skipped_in_a_what_if() {
    let areas = town();
    let opts = BalanceOptions::default();
    let base = analyse(&areas, &default_indicators(), &inputs(None), &opts);
    let care = [0.0, 0.0, 12.0];
    let (statuses, _) = rescore(
        &areas,
        &base.indicators,
        &base.baseline,
        &inputs(Some(&care)),
        &opts,
    );
    let dl7 = statuses.iter().find(|s| s.def.id == "DL7").unwrap();
    assert!(dl7.skipped.is_some());
}

/// Issue 19: one corrupt dwelling count of 1e308 made μ and σ of the dwelling-weighted DK1
/// infinite and every saldo NaN, and NaN fell through every threshold to `ruimte`. Now DK1
/// cannot be normalised (skipped with the reason) and the areas are scored on what is left;
/// no signal comes from a number that is not finite.
#[test]
fn a_value_that_overflows_is_unknown_never_a_class() {
    let mut areas = town();
    areas[1].values.get_mut("dwellings").unwrap().value = Some(1e308);
    let a = run(&areas, None);
    let (_, dk1) = status(&a, "DK1");
    let reason = dk1.skipped.as_ref().expect("DK1 skipped");
    assert!(matches!(reason, Skip::NotFinite { .. }), "{reason:?}");
    for s in &a.areas {
        assert!(s.saldo.is_none_or(f64::is_finite), "{s:?}");
        assert!(s.draagkracht.is_none_or(f64::is_finite), "{s:?}");
        // Draagkracht has no other indicator in this town: no saldo, so onbekend.
        assert_eq!(s.signal, Signal::Onbekend, "{s:?}");
    }
    // A value that overflows its formula (1e308 per 1,000 inhabitants) is undefined there.
    let mut areas = town();
    areas[0].values.get_mut("population").unwrap().value = Some(1e-300);
    let care = [1e308, 0.0, 0.0];
    let a = run(&areas, Some(&care));
    let (k, s) = status(&a, "DL7");
    assert_eq!(s.values.len(), 3, "DL7 computed");
    assert_eq!(s.values[0], Err(Missing::Undefined));
    assert!(a.areas.iter().all(|s| s.z[k].is_none_or(f64::is_finite)));
    assert_ne!(a.areas[0].signal, Signal::Ruimte);
}

/// An area of 0 inhabitants with care units and values for its other indicators: the care rate
/// 25 / 0 is undefined, and the balance is not scored on what is left (it read `ruimte`).
/// Its signal is `onbekend` and every scored indicator is listed as missing; the other areas
/// are scored as before.
#[test]
fn an_area_without_inhabitants_has_no_balance() {
    let mut areas = town();
    areas.push(row("D", 0.0, 500.0, Some(60.0), 20.0));
    let care = [5.0, 1.0, 0.0, 25.0];
    let a = run(&areas, Some(&care));
    let d = &a.areas[3];
    assert!(uninhabited(&areas[3]) && !uninhabited(&areas[0]));
    assert_eq!(d.signal, Signal::Onbekend);
    assert_eq!(
        (d.draagkracht, d.draaglast, d.saldo, d.typology),
        (None, None, None, None)
    );
    assert!(d.z.iter().all(Option::is_none) && d.uncapped.is_none());
    assert_eq!(d.missing, ["DL2", "DL7", "DK1"]);
    let without = run(&town(), Some(&care[..3]));
    assert_eq!(a.areas[..3], without.areas[..]);
    // A population that is not given is unknown, not 0: the area is scored on what it has.
    let mut areas = town();
    areas[0].values.get_mut("population").unwrap().value = None;
    assert!(!uninhabited(&areas[0]));
}
