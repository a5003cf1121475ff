//! Issue 18, decisions a planner can defend, on the shipped Zwolle and Groningen data: the
//! allocation never gives places that the site test refuses (Groningen, without a sites layer,
//! gets no allocation at all), and no verdict changes with the seed or the number of
//! permutations (docs/METHOD.md §2.6 and §2.8).

use geo::{BoundingRect, InteriorPoint};
use wijkbalans::config::{Config, LayerSpec};
use wijkbalans::pipeline::{self, Loaded, Outcome};
use wijkbalans::policy::{AllocationRules, Judgement, RuleResult, Verdict};
use wijkbalans::scenario::allocate::Objective;
use wijkbalans::scenario::{AreaEffect, Change, Scenario};

const GROUP: &str = "beschermd_thuis";

/// The shipped Zwolle study (the README's default) or the Groningen wijken (no sites, no
/// dwellings), with this seed and number of permutations.
fn study(groningen: bool, seed: u64, permutations: usize) -> Loaded {
    let mut c = if groningen {
        let mut c = Config::for_areas(LayerSpec::new("data/cbs-kwb-2022/wijken_groningen.geojson"));
        c.source_year = Some(2022);
        c
    } else {
        Config::shipped()
    };
    c.seed = seed;
    c.spreading.permutations = permutations;
    pipeline::load(&c.validate().unwrap()).unwrap()
}

fn scenario<'a>(loaded: &'a Loaded, outcome: &'a Outcome) -> Scenario<'a> {
    Scenario::new(
        loaded,
        outcome,
        loaded.config.rules.clone(),
        loaded.config.occupancy_per_unit,
    )
}

fn change(at: [f64; 2], units: u64) -> Change {
    Change {
        name: "test".into(),
        location: at,
        units: units as f64,
        group: GROUP.into(),
        regular_units: 0.0,
        year: None,
    }
}

/// A residential point of area `i`: its first dwelling, or (without a dwellings layer) a point
/// inside its polygon.
fn residential_point(loaded: &Loaded, s: &Scenario, i: usize) -> [f64; 2] {
    if let Some(d) = &loaded.dwellings {
        if let Some(p) = d.coords.iter().find(|p| s.locate(**p) == Ok(i)) {
            return *p;
        }
    }
    let p = loaded.areas[i].geometry.interior_point().unwrap();
    [p.x(), p.y()]
}

/// 50 points inside the study: dwellings spread over the file, or a grid over the areas.
fn fifty_points(loaded: &Loaded, s: &Scenario) -> Vec<[f64; 2]> {
    if let Some(d) = &loaded.dwellings {
        let step = d.coords.len() / 50;
        return (0..50).map(|k| d.coords[k * step]).collect();
    }
    let mut rect = loaded.areas[0].geometry.bounding_rect().unwrap();
    for a in &loaded.areas {
        let r = a.geometry.bounding_rect().unwrap();
        rect = geo::Rect::new(
            (rect.min().x.min(r.min().x), rect.min().y.min(r.min().y)),
            (rect.max().x.max(r.max().x), rect.max().y.max(r.max().y)),
        );
    }
    let mut points = Vec::new();
    let steps = 40;
    for a in 0..steps {
        for b in 0..steps {
            let p = [
                rect.min().x + rect.width() * (a as f64 + 0.5) / steps as f64,
                rect.min().y + rect.height() * (b as f64 + 0.5) / steps as f64,
            ];
            if s.locate(p).is_ok() {
                points.push(p);
            }
        }
    }
    let step = points.len() / 50;
    (0..50).map(|k| points[k * step]).collect()
}

/// Verdict and reasons of 12 places at each point.
fn judgements(loaded: &Loaded, points: &[[f64; 2]]) -> Vec<Judgement> {
    let outcome = pipeline::analyse(loaded);
    let s = scenario(loaded, &outcome);
    points
        .iter()
        .map(|p| {
            let e = s.evaluate(&change(*p, 12)).unwrap();
            Judgement {
                reasons: e.judged.reasons,
                verdict: e.judged.verdict,
            }
        })
        .collect()
}

/// The plan for 277 places of [`GROUP`] under the default rules, by `objective`.
fn plan_277(s: &Scenario, objective: Objective) -> wijkbalans::scenario::allocate::Plan {
    s.allocate_places(
        GROUP,
        277,
        None,
        AllocationRules::default(),
        objective,
        &|| {},
    )
    .unwrap()
}

#[test]
fn zwolle_allocate_277_gives_no_area_that_test_site_refuses() {
    let loaded = study(false, 20221115, 99);
    let outcome = pipeline::analyse(&loaded);
    let s = scenario(&loaded, &outcome);
    let plan = plan_277(&s, Objective::FairShare);
    let a = &plan.apportionment;
    assert_eq!(a.added.iter().sum::<u64>() + a.shortfall, 277);
    let mut given = 0;
    for (i, n) in a.added.iter().enumerate() {
        assert!(*n <= plan.caps[i]);
        if *n == 0 {
            continue;
        }
        given += 1;
        let e = s
            .evaluate(&change(residential_point(&loaded, &s, i), *n))
            .unwrap();
        let failed: Vec<&RuleResult> = e.judged.reasons.iter().filter(|r| !r.passed).collect();
        assert_ne!(
            e.judged.verdict,
            Verdict::PastNiet,
            "{}: allocate gives {n}, test-site refuses: {failed:?}",
            loaded.areas[i].code
        );
        // By the same rule: the fair-share cap holds for the places given.
        let fs = e
            .judged
            .reasons
            .iter()
            .find(|r| r.rule == "fair_share_ratio")
            .unwrap();
        assert!(fs.passed, "{}: {}", loaded.areas[i].code, fs.explanation);
    }
    assert!(given > 3, "only {given} areas got places");
}

/// Under min_max_rate the plan says what the greedy did, not the apportionment it replaced:
/// the quota is the places given, the basis `lowest_rate` (or the limit), and what the
/// sentence claims holds: one place more in an area below its limit would put its rate at or
/// above the highest rate the allocation reaches.
#[test]
fn zwolle_min_max_rate_plan_states_the_greedy_it_ran() {
    use wijkbalans::scenario::allocate::Basis;
    let loaded = study(false, 20221115, 99);
    let outcome = pipeline::analyse(&loaded);
    let s = scenario(&loaded, &outcome);
    let plan = plan_277(&s, Objective::MinMaxRate);
    let a = &plan.apportionment;
    let (x, t) = (&s.care().weighted, s.populations());
    let rate = |i: usize, k: u64| 1000.0 * (x[i] + k as f64) / t[i];
    let highest = (0..x.len())
        .filter(|&i| a.added[i] > 0)
        .map(|i| rate(i, a.added[i]))
        .fold(f64::NEG_INFINITY, f64::max);
    let mut by_rate = 0;
    for (i, &n) in a.added.iter().enumerate() {
        assert_eq!(a.quota[i], n as f64);
        assert!(!a.tie_decided[i]);
        match a.basis[i] {
            Basis::LowestRate => {
                by_rate += 1;
                assert!(n < plan.caps[i]);
                assert!(rate(i, n + 1) >= highest, "{}", loaded.areas[i].code);
            }
            Basis::Cap => assert_eq!(n, plan.caps[i]),
            Basis::None => assert_eq!(n, 0),
            other => panic!("{}: basis {other:?}", loaded.areas[i].code),
        }
    }
    assert!(by_rate >= 1);
}

/// Groningen has no sites layer: the care already there is unknown, so the library refuses to
/// allocate, as `allocate` and the map page do (no shortfall against care nobody counted).
#[test]
fn groningen_allocation_is_refused_without_a_sites_layer() {
    let loaded = study(true, 20221115, 99);
    let outcome = pipeline::analyse(&loaded);
    let s = scenario(&loaded, &outcome);
    let refused = s.allocate_places(
        GROUP,
        277,
        None,
        AllocationRules::default(),
        Objective::FairShare,
        &|| {},
    );
    assert!(matches!(
        refused,
        Err(wijkbalans::scenario::allocate::AllocationError::CareUnknown)
    ));
}

fn verdicts_do_not_depend_on_seed_or_permutations(groningen: bool) {
    let base = study(groningen, 1, 99);
    let outcome = pipeline::analyse(&base);
    let points = fifty_points(&base, &scenario(&base, &outcome));
    let reference = judgements(&base, &points);
    for seed in 2..=20 {
        let other = judgements(&study(groningen, seed, 99), &points);
        assert_eq!(other, reference, "seed {seed} changes a verdict");
    }
    let many = judgements(&study(groningen, 1, 9_999), &points);
    assert_eq!(many, reference, "9,999 permutations change a verdict");
}

#[test]
fn zwolle_verdicts_are_the_same_for_seeds_1_to_20_and_99_or_9999_permutations() {
    verdicts_do_not_depend_on_seed_or_permutations(false);
}

#[test]
fn groningen_verdicts_are_the_same_for_seeds_1_to_20_and_99_or_9999_permutations() {
    verdicts_do_not_depend_on_seed_or_permutations(true);
}

#[test]
fn test_site_shows_the_real_z_behind_a_clamp_the_fragile_block_and_what_would_fit() {
    use crate::common::{argv, ok};
    let r = ok(&argv(
        "test-site --at 203200,502900 --units 12 --group beschermd_thuis",
        &[],
    ));
    let t = &r.stdout;
    // Binnenstad's care rate goes past the clamp: the table marks it, the note gives the value.
    assert!(t.contains("3,00*"), "{t}");
    assert!(t.contains("is werkelijk 2,61 voor en 4,09 na"), "{t}");
    // Each rule once, by its Dutch name, with its statistic.
    assert_eq!(t.matches("typologie (blokkerend)").count(), 1, "{t}");
    assert!(t.contains("3,25 keer haar eerlijke aandeel"), "{t}");
    assert!(t.contains("Gi* z = "), "{t}");
    assert!(
        t.contains("draaglast rust op 2 indicatoren (DL2, DL7), waarvan DL7 de zorglaag zelf is")
    );
    assert!(t.contains("Dichtstbijzijnde wijken waar 12 plaatsen naar de wijkregels passen:"));
    // On CBS 2024 (no draagkracht) no wijk's signal can be tested, so none gets *past*: the
    // heading says they pass only on conditions.
    let r24 = ok(&argv(
        "test-site --areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson \
         --sites data/synthetic/zwolle_zorglocaties_illustratief.geojson \
         --at 203484,503561 --units 12 --group beschermd_thuis",
        &[],
    ));
    assert!(
        r24.stdout.contains(
            "Dichtstbijzijnde wijken waar 12 plaatsen naar de wijkregels alleen onder voorwaarden passen: WK019310 Wijk 10 Binnenstad (249 m, past onder voorwaarden)"
        ),
        "{}",
        r24.stdout
    );
    let j = ok(&argv(
        "test-site --at 203200,502900 --units 12 --group beschermd_thuis --json",
        &[],
    ));
    let doc: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(
        doc["after"]["clamped_z"]["dl7"]
            .as_f64()
            .map(|z| (z * 100.0).round()),
        Some(409.0)
    );
    assert_eq!(doc["what_fits"]["largest_past"], serde_json::Value::Null);
    assert!(!doc["what_fits"]["nearest_areas"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(doc["block_basis"][1]["fragile"], true);
}

#[test]
fn the_hot_spot_rule_says_niet_getoetst_where_nothing_is_tested() {
    use crate::common::{argv, ok};
    // Groningen without a sites layer: the care already there is unknown, so neither Gi*, the
    // fair share nor the distance can be tested, and the verdict says so instead of "not in a
    // cluster" or "no site yet".
    let r = ok(&argv(
        "test-site --areas data/cbs-kwb-2022/wijken_groningen.geojson --at 6.5665,53.2194 \
         --at-crs EPSG:4326 --units 10 --group beschermd_thuis --permutations 0",
        &[],
    ));
    assert!(
        r.stdout.contains(
            "– hot spot van zorgeenheden (Gi*) (voorwaarde): Niet getoetst: er is geen \
             zorglocatielaag (geef --sites), dus hoeveel zorg er al is, is onbekend."
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("– eerlijk aandeel"), "{}", r.stdout);
    assert!(
        r.stdout.contains("– afstand tot bestaande zorglocatie"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "Oordeel: PAST NIET (4 van de 6 regels niet getoetst: eerlijk aandeel, afstand tot \
             bestaande zorglocatie, hot spot van zorgeenheden (Gi*), voorzieningen binnen bereik)"
        ),
        "{}",
        r.stdout
    );
    // Nor are the care units there, or any ratio or spreading of them: unknown, not 0 (a
    // fair-share ratio of 13 and a D of 0.92 would be artefacts of counting no care at all).
    // The change itself is known.
    assert!(
        r.stdout.contains(&format!(
            "zorgeenheden{:>46}{:>12}{:>12}",
            "onbekend", "onbekend", "+10"
        )),
        "{}",
        r.stdout
    );
    let doc: serde_json::Value = serde_json::from_str(
        &ok(&argv(
            "test-site --areas data/cbs-kwb-2022/wijken_groningen.geojson --at 6.5665,53.2194 \
             --at-crs EPSG:4326 --units 10 --group beschermd_thuis --permutations 0 --json",
            &[],
        ))
        .stdout,
    )
    .unwrap();
    for key in ["care_units", "care_units_per_1000", "fair_share_ratio"] {
        assert_eq!(doc["before"][key], serde_json::Value::Null, "{key}");
        assert_eq!(doc["after"][key], serde_json::Value::Null, "{key}");
    }
    assert_eq!(doc["delta"]["care_units"], 10);
    assert_eq!(doc["delta"]["fair_share_ratio"], serde_json::Value::Null);
    assert_eq!(
        doc["study"]["after"]["dissimilarity"],
        serde_json::Value::Null
    );
    assert_eq!(
        doc["parents"][0]["after"]["care_units"],
        serde_json::Value::Null
    );
}

#[test]
fn concentration_beyond_the_clamp_and_an_unknown_signal_are_never_a_pass() {
    use crate::common::{argv, ok};
    let json = |line: &str| -> serde_json::Value {
        serde_json::from_str(&ok(&argv(&format!("{line} --json"), &[])).stdout).unwrap()
    };
    let rule = |doc: &serde_json::Value, id: &str| {
        doc["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == id)
            .unwrap()
            .clone()
    };
    // 10,000 places in Wipstrik: with the care rate's z clamped at 3 the saldo is −0.82
    // (oranje); with the real z (305) it is −151.84, rood: the wijk's signal, and the proposal
    // past niet.
    let w = json("test-site --at 204427.7,502712.5 --units 10000 --group beschermd_thuis");
    assert_eq!(w["after"]["saldo"], -0.817358);
    assert_eq!(w["after"]["signal"], "rood");
    assert_eq!(w["after"]["uncapped"]["signal"], "rood");
    // Hand check: draagkracht 0.251501, DL2 z −0.862281, DL7 z 305.051824: draaglast
    // (−0.862281 + 305.051824)/2 = 152.094772, saldo 0.251501 − 152.094772 = −151.843271.
    assert_eq!(w["after"]["uncapped"]["saldo"], -151.84327);
    assert_eq!(w["verdict"], "past_niet");
    assert_eq!(rule(&w, "signaal_na")["value"], "rood");
    assert_eq!(w["what_fits"]["largest_not_past_niet"], 40);
    // 12 places, below the clamp: no `uncapped`, and the verdict of before.
    let small = json("test-site --at 204427.7,502712.5 --units 12 --group beschermd_thuis");
    assert!(small["after"].get("uncapped").is_none());
    assert_eq!(small["verdict"], "past_onder_voorwaarden");

    // The 2024 file has no draagkracht columns: every signal is onbekend and no wijk has a
    // typology. Kamperpoort-Veerallee is K1-L3 in 2022 (past niet); in 2024 neither blocking
    // rule can be tested, so it is not a pass either.
    let kamperpoort = "--at 201875,501875 --units 2 --group jongeren";
    let k22 = json(&format!("test-site {kamperpoort}"));
    assert_eq!(k22["verdict"], "past_niet");
    let k24 = json(&format!(
        "test-site --areas data/cbs-kwb-2024/wijken_zwolle_wgs84.geojson --sites \
         data/synthetic/zwolle_zorglocaties_illustratief.geojson {kamperpoort}"
    ));
    assert_eq!(k24["verdict"], "past_onder_voorwaarden");
    for id in ["signaal_na", "typologie"] {
        let r = rule(&k24, id);
        assert_eq!(
            (r["tested"].clone(), r["passed"].clone()),
            (false.into(), false.into())
        );
        assert!(r["explanation"]
            .as_str()
            .unwrap()
            .starts_with("Niet getoetst: "));
    }
}

#[test]
fn a_point_on_a_wijk_border_is_said_to_be_on_it() {
    use crate::common::{argv, ok};
    // The shared vertex of Diezerpoort and Wipstrik counts for Diezerpoort (the first by code);
    // one metre away lies in Wipstrik, with another verdict. The text says so on the border
    // only.
    let on = ok(&argv(
        "test-site --at 203988.0,503245.0 --units 12 --group beschermd_thuis",
        &[],
    ));
    assert!(
        on.stdout.contains(
            "Let op: de plek ligt op de grens van WK019311 Wijk 11 Diezerpoort; ze telt mee voor \
             die wijk"
        ),
        "{}",
        on.stdout
    );
    let off = ok(&argv(
        "test-site --at 203988.0,503244.0 --units 12 --group beschermd_thuis",
        &[],
    ));
    assert!(!off.stdout.contains("op de grens"), "{}", off.stdout);

    // The same two points as a scenario: scenario.md notes the border under the first change
    // only, and scenario.json says it per change (`area.on_border`).
    let (tmp, file) = crate::common::temp_file(
        "grens.toml",
        "name = \"grens\"\ncrs = \"EPSG:28992\"\n\n\
         [[change]]\naction = \"add\"\nname = \"Op de grens\"\nat = [203988.0, 503245.0]\n\
         units = 12\ngroup = \"beschermd_thuis\"\n\n\
         [[change]]\naction = \"add\"\nname = \"Een meter zuidelijker\"\n\
         at = [203988.0, 503244.0]\nunits = 12\ngroup = \"beschermd_thuis\"\n",
    );
    let out = tmp.path().join("out");
    ok(&argv(
        "scenario",
        &[crate::common::s(&file), "--out", crate::common::s(&out)],
    ));
    let md = std::fs::read_to_string(out.join("scenario.md")).unwrap();
    let under = |title: &str| {
        let start = md.find(title).unwrap_or_else(|| panic!("{title} in {md}"));
        let rest = &md[start..];
        rest[..rest[3..].find("\n### ").map_or(rest.len(), |k| k + 3)].to_string()
    };
    assert!(
        under("### 1. Op de grens").contains(
            "- Let op: de plek ligt op de grens van WK019311 Wijk 11 Diezerpoort; ze telt mee \
             voor die wijk"
        ),
        "{md}"
    );
    assert!(
        !under("### 2. Een meter zuidelijker").contains("op de grens"),
        "{md}"
    );
    let doc = crate::common::json(&out.join("scenario.json"));
    let on_border: Vec<_> = crate::common::items(&doc["changes"])
        .iter()
        .map(|c| (c["area"]["code"].clone(), c["area"]["on_border"].clone()))
        .collect();
    assert_eq!(
        on_border,
        [
            ("WK019311".into(), true.into()),
            ("WK019312".into(), false.into())
        ]
    );
}

/// "What would fit" stops testing other wijken once three nearer ones got *past*
/// (`Scenario::what_fits`); the answer must be the one of testing every wijk: here that
/// exhaustive search, for the residential point of every wijk and two sizes, on both cities.
fn what_fits_equals_testing_every_area(groningen: bool) {
    use wijkbalans::policy::{verdict, Scope};
    let loaded = study(groningen, 1, 99);
    let outcome = pipeline::analyse(&loaded);
    let s = scenario(&loaded, &outcome);
    for here in 0..loaded.areas.len() {
        let at = residential_point(&loaded, &s, here);
        for units in [12, 60] {
            let c = change(at, units);
            let Ok(fits) = s.what_fits(&c) else {
                continue;
            };
            let p = geo::Point::new(at[0], at[1]);
            let receiving = s.locate(at).unwrap();
            let mut all: Vec<(Verdict, f64, usize)> = Vec::new();
            for (i, area) in loaded.areas.iter().enumerate() {
                use geo::{Distance, Euclidean};
                if i == receiving {
                    continue;
                }
                let inside = area.geometry.interior_point().unwrap();
                let Ok(e) = s.evaluate(&change([inside.x(), inside.y()], units)) else {
                    continue;
                };
                let wijk: Vec<RuleResult> = e
                    .judged
                    .reasons
                    .into_iter()
                    .filter(|r| r.scope == Scope::Wijk)
                    .collect();
                let v = verdict(&wijk);
                if v != Verdict::PastNiet {
                    all.push((v, Euclidean.distance(&p, &area.geometry), i));
                }
            }
            all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
            all.truncate(3);
            let got: Vec<(Verdict, f64, usize)> = fits
                .nearest_areas
                .iter()
                .map(|n| (n.verdict, n.distance_m, n.area))
                .collect();
            assert_eq!(got, all, "wijk {here}, {units} places");
        }
    }
}

#[test]
fn what_fits_on_zwolle_equals_testing_every_wijk() {
    what_fits_equals_testing_every_area(false);
}

#[test]
fn what_fits_on_groningen_equals_testing_every_wijk() {
    what_fits_equals_testing_every_area(true);
}

/// `Scenario::evaluate` (and so `area_effect`, what would fit, suggest and allocate) computes
/// the state after a change without copying the scenario or rescoring the other areas; its
/// evaluation must be the one of applying the change to a copy, bit for bit (compared through
/// `{:?}`, which tells −0 from 0 and prints every f64 exactly): for every wijk, every group,
/// additions of 1, 12 and 60 places and removals, on the baseline and after a kept change.
fn evaluate_equals_applying_to_a_copy(groningen: bool) {
    let loaded = study(groningen, 1, 99);
    let outcome = pipeline::analyse(&loaded);
    let baseline = scenario(&loaded, &outcome);
    let mut changed = baseline.clone();
    let first = residential_point(&loaded, &baseline, 0);
    changed.apply(&change(first, 9)).unwrap();
    let groups: Vec<String> = loaded
        .config
        .target_group
        .iter()
        .map(|g| g.id.clone())
        .collect();
    let mut compared = 0;
    for s in [&baseline, &changed] {
        for i in 0..loaded.areas.len() {
            let at = residential_point(&loaded, s, i);
            for group in &groups {
                for units in [1.0, 12.0, 60.0, -1.0, -9.0] {
                    let c = Change {
                        group: group.clone(),
                        units,
                        ..change(at, 1)
                    };
                    let fast = s.evaluate(&c);
                    let full = s.clone().apply(&c);
                    assert_eq!(
                        format!("{fast:?}"),
                        format!("{full:?}"),
                        "wijk {i}, {group}, {units} places"
                    );
                    let effect = s.area_effect(&c);
                    let from_full = full.map(|e| AreaEffect {
                        area: e.effect.area,
                        before: e.effect.before,
                        after: e.effect.after,
                        study_before: e.effect.study_before,
                        study_after: e.effect.study_after,
                        parents: e.effect.parents,
                    });
                    assert_eq!(format!("{effect:?}"), format!("{from_full:?}"));
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 2 * 5 * loaded.areas.len());
}

#[test]
fn evaluate_on_zwolle_equals_applying_to_a_copy() {
    evaluate_equals_applying_to_a_copy(false);
}

#[test]
fn evaluate_on_groningen_equals_applying_to_a_copy() {
    evaluate_equals_applying_to_a_copy(true);
}
