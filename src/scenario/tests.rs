//! Scenario tests on tests/fixtures/tiny_town (three 1 km wijken side by side at
//! x = 200,000–203,000, y = 500,000–501,000; 10 units in WK099901, 5 in WK099902).

use super::*;
use crate::config::Config;
use crate::config::LayerSpec;
use crate::pipeline;

/// A file of tests/fixtures/tiny_town.
pub(super) fn fixture(name: &str) -> LayerSpec {
    LayerSpec::new(format!(
        "{}/tests/fixtures/tiny_town/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

pub(super) fn baseline() -> (Loaded, Outcome) {
    with_sites(99)
}

/// The tiny town with its care sites, loaded and analysed with `permutations`.
pub(super) fn with_sites(permutations: usize) -> (Loaded, Outcome) {
    let mut cfg = Config::for_areas(fixture("areas.geojson"));
    cfg.sites = Some(fixture("sites.geojson"));
    cfg.spreading.permutations = permutations;
    let loaded = pipeline::load(&cfg.validate().unwrap()).unwrap();
    let outcome = pipeline::analyse(&loaded);
    (loaded, outcome)
}

fn add(x: f64, units: f64, group: &str) -> Change {
    Change {
        name: "test".into(),
        location: [x, 500_500.0],
        units,
        group: group.into(),
        regular_units: 0.0,
        year: None,
    }
}

#[test]
fn adding_units_changes_only_the_receiving_area() {
    let (loaded, base) = baseline();
    let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
    let e = s.apply(&add(202_500.0, 12.0, "beschermd_thuis")).unwrap();
    assert_eq!(loaded.areas[e.effect.area].code, "WK099903");
    assert_eq!(e.effect.after.care_units - e.effect.before.care_units, 12.0);
    assert_eq!(e.effect.after.population - e.effect.before.population, 12.0);
    let care = s.care();
    let base_care = base.care.as_ref().unwrap();
    for i in 0..3 {
        if i != e.effect.area {
            assert_eq!(care.units[i], base_care.units[i]);
            assert_eq!(s.scores()[i], base.analysis.areas[i], "area {i} moved");
        }
    }
    assert!(e.effect.after.draaglast.unwrap() > e.effect.before.draaglast.unwrap());
    assert_eq!(
        e.effect.study_after.care_units,
        e.effect.study_before.care_units + 12.0
    );
}

#[test]
fn adding_then_removing_the_same_units_restores_the_baseline_exactly() {
    let (loaded, base) = baseline();
    let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
    let before = s.study_metrics();
    s.apply(&add(201_500.0, 7.0, "housing_first")).unwrap();
    s.apply(&add(201_500.0, -7.0, "housing_first")).unwrap();
    assert_eq!(s.scores(), base.analysis.areas.as_slice());
    assert_eq!(s.care().units, base.care.as_ref().unwrap().units);
    assert_eq!(s.study_metrics(), before);
    for (a, b) in s.areas().iter().zip(&loaded.areas) {
        assert_eq!(a.value("population"), b.value("population"));
    }
}

#[test]
fn changes_apply_in_order_and_see_each_other() {
    let (loaded, base) = baseline();
    let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
    let first = s.apply(&add(202_400.0, 10.0, "jongeren")).unwrap();
    let second = s.apply(&add(202_600.0, 10.0, "jongeren")).unwrap();
    assert_eq!(second.effect.before, first.effect.after);
    // The first site is now an existing site 200 m away: the distance rule sees it.
    assert!((second.judged.facts.nearest_same_m.unwrap() - 200.0).abs() < 1e-9);
    let rule = second
        .judged
        .reasons
        .iter()
        .find(|r| r.rule == "afstand_bestaande_locatie")
        .unwrap();
    assert!(!rule.passed);
}

#[test]
fn a_site_in_a_rood_wijk_does_not_fit() {
    let (loaded, base) = baseline();
    let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
    // WK099901 is rood and K1-L3 in the baseline.
    let e = s.apply(&add(200_500.0, 5.0, "beschermd_wonen")).unwrap();
    assert_eq!(e.effect.after.signal, Signal::Rood);
    assert_eq!(e.judged.verdict, Verdict::PastNiet);
    let failed = crate::policy::failed_rules(&e.judged.reasons);
    assert!(failed.contains(&"signaal_na"), "{failed:?}");
    assert!(failed.contains(&"typologie"), "{failed:?}");
}

#[test]
fn without_facilities_the_facility_rule_is_not_tested_and_says_so() {
    // The tiny town has no facilities layer; every group needs facilities by default.
    let (loaded, base) = baseline();
    let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
    let e = s.apply(&add(202_500.0, 5.0, "jongeren")).unwrap();
    let rule = e
        .judged
        .reasons
        .iter()
        .find(|r| r.rule == "voorzieningen_binnen_bereik")
        .expect("the rule is listed, not left out");
    assert!(!rule.tested && rule.passed, "{rule:?}");
    assert!(
        rule.explanation.starts_with(
            "Niet getoetst: er is geen voorzieningenlaag (geef --facilities); jongeren vraagt \
             binnen bereik: supermarkt (800 m)"
        ),
        "{}",
        rule.explanation
    );
    assert!(
        !crate::policy::failed_rules(&e.judged.reasons).contains(&"voorzieningen_binnen_bereik")
    );
}

#[test]
fn bad_changes_are_refused_with_a_reason() {
    let (loaded, base) = baseline();
    let mut s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
    match s.apply(&add(210_000.0, 5.0, "jongeren")) {
        Err(ChangeError::Outside {
            nearest: Some((code, d)),
        }) => {
            assert_eq!(code, "WK099903");
            assert!((d - 7000.0).abs() < 1e-9);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.apply(&add(200_500.0, 5.0, "onbekend")).unwrap_err(),
        ChangeError::UnknownGroup("onbekend".into())
    );
    assert!(matches!(
        s.apply(&add(200_500.0, -50.0, "beschermd_wonen")),
        Err(ChangeError::RemovesTooMuch { .. })
    ));
    assert!(matches!(
        s.apply(&add(200_500.0, 2.5, "beschermd_wonen")),
        Err(ChangeError::BadUnits(_))
    ));
}

/// `NearestFirst` (what would fit's order of the other wijken) gives the order of sorting every
/// wijk by its exact distance, ties by index, bit for bit: on the Groningen wijken, from a grid
/// of points over the city and around it (inside wijken, on their edges' side and outside
/// every wijk), leaving each point's own wijk out.
#[test]
fn nearest_first_is_the_order_of_sorting_every_area_by_distance() {
    use geo::{Distance, Euclidean};
    let mut cfg = Config::for_areas(LayerSpec::new(format!(
        "{}/data/cbs-kwb-2022/wijken_groningen.geojson",
        env!("CARGO_MANIFEST_DIR")
    )));
    cfg.source_year = Some(2022);
    let loaded = pipeline::load(&cfg.validate().unwrap()).unwrap();
    let outcome = pipeline::analyse(&loaded);
    let s = Scenario::new(&loaded, &outcome, Rules::default(), 1.0);
    let n = loaded.areas.len();
    // The study's extent from the index's boxes.
    let extent = (0..n).map(|k| s.index.bounding_box(k)).fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |e, b| {
            [
                e[0].min(b[0]),
                e[1].min(b[1]),
                e[2].max(b[2]),
                e[3].max(b[3]),
            ]
        },
    );
    let rect = geo::Rect::new((extent[0], extent[1]), (extent[2], extent[3]));
    let mut points = 0;
    for i in 0..12 {
        for j in 0..12 {
            let p = geo::Point::new(
                rect.min().x - 2_000.0 + (rect.width() + 4_000.0) * f64::from(i) / 11.0,
                rect.min().y - 2_000.0 + (rect.height() + 4_000.0) * f64::from(j) / 11.0,
            );
            let except = s.locate([p.x(), p.y()]).unwrap_or(n);
            let mut sorted: Vec<(f64, usize)> = (0..n)
                .filter(|k| *k != except)
                .map(|k| (Euclidean.distance(&p, &loaded.areas[k].geometry), k))
                .collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let lazy: Vec<(f64, usize)> = NearestFirst::new(&s, p, except).collect();
            assert_eq!(format!("{lazy:?}"), format!("{sorted:?}"), "point {i},{j}");
            points += 1;
        }
    }
    assert_eq!(points, 144);
}
