use super::*;
use approx::assert_relative_eq;
use proptest::collection::vec;
use proptest::prelude::*;

fn input<'a>(
    x: &'a [f64],
    t: &'a [f64],
    caps: &'a [Option<u64>],
    places: u64,
    objective: Objective,
) -> AllocationInput<'a> {
    AllocationInput {
        current: x,
        reference: t,
        caps,
        places,
        objective,
    }
}

/// A problem as its parts: x, t, the limits, N and the objective.
type Parts<'a> = (&'a [f64], &'a [f64], &'a [Option<u64>], u64, Objective);

/// The parts of a problem, as the reference implementations below use them.
fn parts<'a>(p: &AllocationInput<'a>) -> Parts<'a> {
    (p.current, p.reference, p.caps, p.places, p.objective)
}

/// Whether area `i` may take places under `objective`.
fn can_take(t: &[f64], i: usize, objective: Objective) -> bool {
    objective == Objective::FairShare || t[i] > 0.0
}

/// The objective of an allocation, straight from its definition.
fn objective_of(x: &[f64], t: &[f64], a: &[u64], objective: Objective) -> f64 {
    match objective {
        // D_fs of the care units after the allocation, by the spreading metric's definition
        // (docs/METHOD.md §3.1); no care units at all is an even spread (0), as in `allocate`.
        Objective::FairShare => {
            let after: Vec<f64> = (0..x.len()).map(|i| x[i] + a[i] as f64).collect();
            match crate::spread::fair_share_dissimilarity(&after, t) {
                Err(crate::spread::Undefined::NoCareUnits) => 0.0,
                d => d.unwrap(),
            }
        }
        Objective::MinMaxRate => (0..x.len())
            .filter(|&i| t[i] > 0.0)
            .map(|i| 1000.0 * (x[i] + a[i] as f64) / t[i])
            .fold(0.0, f64::max),
    }
}

/// The smallest objective over every feasible integer allocation, or `None` if none exists.
fn brute_force(inp: &AllocationInput) -> Option<f64> {
    let (x, t, caps, places, objective) = parts(inp);
    fn walk(
        i: usize,
        left: u64,
        a: &mut Vec<u64>,
        limit: &dyn Fn(usize) -> u64,
        score: &dyn Fn(&[u64]) -> f64,
        best: &mut Option<f64>,
    ) {
        if i == a.len() {
            if left == 0 {
                let s = score(a);
                if best.is_none_or(|b| s < b) {
                    *best = Some(s);
                }
            }
            return;
        }
        for k in 0..=limit(i).min(left) {
            a[i] = k;
            walk(i + 1, left - k, a, limit, score, best);
        }
        a[i] = 0;
    }
    let limit = |i: usize| {
        if can_take(t, i, objective) {
            caps[i].unwrap_or(places)
        } else {
            0
        }
    };
    let score = |a: &[u64]| objective_of(x, t, a, objective);
    let mut best = None;
    walk(0, places, &mut vec![0; x.len()], &limit, &score, &mut best);
    best
}

/// The greedy one place at a time: scan all areas, smallest (cost, index) wins.
fn unit_greedy(inp: &AllocationInput) -> Vec<u64> {
    let (x, t, caps, places, objective) = parts(inp);
    let total_after = x.iter().sum::<f64>() + places as f64;
    let total_t: f64 = t.iter().sum();
    let mut a = vec![0u64; x.len()];
    for _ in 0..places {
        let mut best: Option<(f64, usize)> = None;
        for i in 0..x.len() {
            if !can_take(t, i, objective) || caps[i].is_some_and(|c| a[i] >= c) {
                continue;
            }
            let key = match objective {
                Objective::FairShare => {
                    fair_share_marginal(x[i], a[i], (t[i] / total_t) * total_after)
                }
                Objective::MinMaxRate => rate(x[i], a[i] + 1, t[i]),
            };
            if best.is_none_or(|(b, _)| key.total_cmp(&b) == Ordering::Less) {
                best = Some((key, i));
            }
        }
        a[best.expect("capacity").1] += 1;
    }
    a
}

/// Inhabitants t of the three areas in the hand-computed examples.
const INHABITANTS: [f64; 3] = [1000.0, 1000.0, 2000.0];

/// Checks an allocation against its hand computation: τ and the places added exactly, the
/// objective before and after to 1e-12.
#[track_caller]
fn assert_by_hand(out: &Allocation, targets: &[f64], added: &[u64], before: f64, after: f64) {
    assert_eq!(out.targets, targets, "targets τ");
    assert_eq!(out.added, added, "places added");
    assert_relative_eq!(out.objective_before, before, epsilon = 1e-12);
    assert_relative_eq!(out.objective_after, after, epsilon = 1e-12);
}

#[test]
fn fractional_example_by_hand() {
    // See the module documentation for the arithmetic.
    let x = [2.5, 0.0, 1.0];
    let t = INHABITANTS;
    let out = allocate(&input(&x, &t, &[None; 3], 4, Objective::FairShare)).unwrap();
    assert_by_hand(&out, &[1.875, 1.875, 3.75], &[0, 2, 2], 13.0 / 28.0, 0.1);
    assert!(out.at_cap.is_empty());
    // The runner-up (0, 1, 3) costs 0.625 + 0.875 + 0.25 = 1.75 > 1.5.
    let runner_up = objective_of(&x, &t, &[0, 1, 3], Objective::FairShare);
    assert_relative_eq!(runner_up, 1.75 / 15.0, epsilon = 1e-12);
}

#[test]
fn example_with_ties_goes_to_the_lowest_index() {
    // x = (10, 0, 0), t = (1000, 1000, 2000), N = 6: X + N = 16, T = 4000,
    // τ = 16·(¼, ¼, ½) = (4, 4, 8). d = x − τ = (6, −4, −8).
    // Area 0 costs +1 per place. Area 1 costs −1 for its first 4 places (d = −4 … −1), area 2
    // for its first 8. All six places cost −1 in areas 1 and 2; the tie goes to area 1 first,
    // which takes its 4, then area 2 takes 2: a = (0, 4, 2).
    // F = |10 − 4| + |4 − 4| + |2 − 8| = 12, D_fs = 12 / (2·16) = 0.375;
    // before: ½(|1 − ¼| + |0 − ¼| + |0 − ½|) = 0.75.
    let x = [10.0, 0.0, 0.0];
    let t = INHABITANTS;
    let out = allocate(&input(&x, &t, &[None; 3], 6, Objective::FairShare)).unwrap();
    assert_by_hand(&out, &[4.0, 4.0, 8.0], &[0, 4, 2], 0.75, 0.375);
    // (0, 2, 4) is equally good (F = 6 + 2 + 4 = 12): a tie, not a better allocation.
    let other = objective_of(&x, &t, &[0, 2, 4], Objective::FairShare);
    assert_relative_eq!(other, out.objective_after, epsilon = 1e-12);
}

#[test]
fn min_max_example_by_hand() {
    // x = (4, 1, 5), t = (2000, 1000, 0), N = 3. Area 2 has no inhabitants: no places.
    // Rates after one more place: area 0 (4+1)/2 = 2.5, area 1 (1+1)/1 = 2.0 → area 1.
    // Then area 0 2.5 against area 1 3.0 → area 0. Then 3.0 against 3.0 → area 0 (lower
    // index). a = (2, 1, 0); max rate before max(2.0, 1.0) = 2.0, after max(3.0, 2.0) = 3.0.
    let out = allocate(&input(
        &[4.0, 1.0, 5.0],
        &[2000.0, 1000.0, 0.0],
        &[None; 3],
        3,
        Objective::MinMaxRate,
    ))
    .unwrap();
    assert_eq!(out.added, vec![2, 1, 0]);
    assert_eq!(out.objective_before, 2.0);
    assert_eq!(out.objective_after, 3.0);
    assert_relative_eq!(out.targets[0], 13.0 * 2.0 / 3.0, epsilon = 1e-12);
    assert_relative_eq!(out.targets[1], 13.0 / 3.0, epsilon = 1e-12);
    assert_eq!(out.targets[2], 0.0);
}

#[test]
fn ties_go_to_the_lowest_index() {
    for objective in [Objective::FairShare, Objective::MinMaxRate] {
        let x = [0.0; 3];
        let t = [1.0; 3];
        let one = allocate(&input(&x, &t, &[None; 3], 1, objective)).unwrap();
        assert_eq!(one.added, vec![1, 0, 0]);
        let two = allocate(&input(&x, &t, &[None; 3], 2, objective)).unwrap();
        assert_eq!(two.added, vec![1, 1, 0]);
    }
}

#[test]
fn same_input_gives_the_same_output() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let n = 300;
    let x: Vec<f64> = (0..n).map(|_| (next() % 40) as f64 / 4.0).collect();
    let t: Vec<f64> = (0..n)
        .map(|_| match next() % 10 {
            0 => 0.0,
            k => 500.0 * k as f64,
        })
        .collect();
    let caps: Vec<Option<u64>> = (0..n)
        .map(|_| match next() % 3 {
            0 => None,
            _ => Some(next() % 30),
        })
        .collect();
    for objective in [Objective::FairShare, Objective::MinMaxRate] {
        let inp = input(&x, &t, &caps, 3000, objective);
        let first = allocate(&inp).unwrap();
        let second = allocate(&inp).unwrap();
        assert_eq!(first, second);
        assert_eq!(first.added, unit_greedy(&inp));
        assert_eq!(first.added.iter().sum::<u64>(), 3000);
    }
}

#[test]
fn infeasible_says_how_many_fit() {
    // Three equal areas that may take 1, 2 and 0 places: 3 fit.
    let caps = [Some(1), Some(2), Some(0)];
    let try_places = |places| {
        allocate(&input(
            &[0.0; 3],
            &[100.0; 3],
            &caps,
            places,
            Objective::FairShare,
        ))
    };
    let err = try_places(5).unwrap_err();
    assert_eq!(
        err,
        AllocationError::Infeasible {
            places: 5,
            capacity: 3
        }
    );
    assert_eq!(
        err.to_string(),
        "maar 3 van de 5 plaatsen passen binnen de grenzen per gebied"
    );
    // Exactly enough is feasible, and every limit is then binding.
    let out = try_places(3).unwrap();
    assert_eq!(out.added, vec![1, 2, 0]);
    assert_eq!(out.at_cap, vec![0, 1, 2]);
}

#[test]
fn areas_without_inhabitants_take_no_places_under_min_max() {
    // Area 0 has no inhabitants and no limit: under fair share it is a fallback (its target
    // is 0, each place costs +1), under the rate it cannot take places at all.
    let x = [0.0, 0.0];
    let t = [0.0, 100.0];
    let caps = [None, Some(1)];
    let fair = allocate(&input(&x, &t, &caps, 3, Objective::FairShare)).unwrap();
    assert_eq!(fair.added, vec![2, 1]);
    assert_eq!(fair.at_cap, vec![1]);
    let err = allocate(&input(&x, &t, &caps, 3, Objective::MinMaxRate)).unwrap_err();
    assert_eq!(
        err,
        AllocationError::Infeasible {
            places: 3,
            capacity: 1
        }
    );
    let rate = allocate(&input(&x, &t, &[None, None], 3, Objective::MinMaxRate)).unwrap();
    assert_eq!(rate.added, vec![0, 3]);
    assert_eq!(rate.objective_after, 30.0);
}

#[test]
fn no_reference() {
    for objective in [Objective::FairShare, Objective::MinMaxRate] {
        let err = allocate(&input(&[1.0, 2.0], &[0.0, 0.0], &[None; 2], 1, objective));
        assert_eq!(err, Err(AllocationError::NoReference));
        let empty = allocate(&input(&[], &[], &[], 0, objective));
        assert_eq!(empty, Err(AllocationError::NoReference));
    }
    assert_eq!(
        AllocationError::NoReference.to_string(),
        "de referentie is overal 0: geen gebied heeft inwoners"
    );
}

#[test]
fn bad_input() {
    let fs = Objective::FairShare;
    type BadCase<'a> = (&'a [f64], &'a [f64], &'a [Option<u64>], &'a str);
    let cases: [BadCase; 6] = [
        (
            &[1.0],
            &[1.0, 2.0],
            &[None, None],
            "current heeft er 1, reference 2",
        ),
        (&[1.0, 2.0], &[1.0, 2.0], &[None], "caps 1"),
        (
            &[1.0, -0.5],
            &[1.0, 2.0],
            &[None; 2],
            "gebied 1: het aantal zorgeenheden is -0.5",
        ),
        (
            &[1.0, 2.0],
            &[f64::NAN, 2.0],
            &[None; 2],
            "gebied 0: de referentie is NaN",
        ),
        (
            &[f64::INFINITY],
            &[1.0],
            &[None],
            "gebied 0: het aantal zorgeenheden is inf",
        ),
        (
            &[f64::MAX, f64::MAX],
            &[1.0, 1.0],
            &[None; 2],
            "past niet in een getal",
        ),
    ];
    for (x, t, caps, message) in cases {
        match allocate(&input(x, t, caps, 1, fs)) {
            Err(AllocationError::BadInput(m)) => assert!(m.contains(message), "{m}"),
            other => panic!("expected BadInput for {x:?} {t:?}, got {other:?}"),
        }
    }
    let tiny = allocate(&input(&[1.0], &[1e-310], &[None], 1, Objective::MinMaxRate));
    assert!(
        matches!(tiny, Err(AllocationError::BadInput(_))),
        "{tiny:?}"
    );
}

#[test]
fn no_places_changes_nothing() {
    for objective in [Objective::FairShare, Objective::MinMaxRate] {
        let out = allocate(&input(
            &[3.0, 1.0],
            &[100.0, 300.0],
            &[Some(0), None],
            0,
            objective,
        ))
        .unwrap();
        assert_eq!(out.added, vec![0, 0]);
        assert_eq!(out.objective_before, out.objective_after);
        assert_eq!(out.at_cap, vec![0]);
    }
}

#[test]
fn no_care_units_before_counts_as_balanced() {
    let out = allocate(&input(
        &[0.0, 0.0],
        &[100.0, 300.0],
        &[None; 2],
        4,
        Objective::FairShare,
    ))
    .unwrap();
    assert_eq!(out.objective_before, 0.0);
    assert_eq!(out.added, vec![1, 3]);
    assert_eq!(out.objective_after, 0.0);
}

#[test]
fn serde_names() {
    assert_eq!(
        serde_json::to_string(&Objective::FairShare).unwrap(),
        "\"fair_share\""
    );
    assert_eq!(
        serde_json::from_str::<Objective>("\"min_max_rate\"").unwrap(),
        Objective::MinMaxRate
    );
    let out = allocate(&input(&[1.0], &[10.0], &[Some(2)], 2, Objective::FairShare)).unwrap();
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["added"], serde_json::json!([2]));
    assert_eq!(json["at_cap"], serde_json::json!([0]));
    assert_eq!(json["targets"], serde_json::json!([3.0]));
}

#[test]
fn largest_fitting_simple_predicates() {
    assert_eq!(largest_fitting(0, |_| true), Some(0));
    assert_eq!(largest_fitting(10, |_| true), Some(10));
    assert_eq!(largest_fitting(100, |k| k * k <= 50), Some(7));
    let mut calls = 0;
    assert_eq!(
        largest_fitting(100, |_| {
            calls += 1;
            false
        }),
        None
    );
    assert_eq!(calls, 1);
    let mut calls = 0;
    assert_eq!(
        largest_fitting(u64::MAX, |_| {
            calls += 1;
            true
        }),
        Some(u64::MAX)
    );
    assert!(calls <= 65, "{calls}");
}

#[test]
fn largest_fitting_as_a_limit_from_a_norm() {
    // An area with 3 units and 2,000 inhabitants may reach 2.5 per 1,000 inhabitants:
    // 1000·(3 + k)/2000 ≤ 2.5 ⇔ k ≤ 2. With 6 units it is over the norm already.
    let norm = |x: f64| move |k: u64| 1000.0 * (x + k as f64) / 2000.0 <= 2.5;
    assert_eq!(largest_fitting(50, norm(3.0)), Some(2));
    assert_eq!(largest_fitting(1, norm(3.0)), Some(1));
    assert_eq!(largest_fitting(50, norm(6.0)), None);
    let cap = largest_fitting(50, norm(6.0)).unwrap_or(0);
    assert_eq!(cap, 0);
}

fn small_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..7).prop_map(f64::from),
        (0u32..28).prop_map(|k| f64::from(k) / 4.0),
        (0u32..21).prop_map(|k| f64::from(k) / 3.0),
    ]
}

fn small_reference() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        (1u32..6).prop_map(|k| 100.0 * f64::from(k)),
        (1u32..3000).prop_map(|k| f64::from(k) / 7.0),
    ]
}

/// A random problem: x, t, the limits, N and the objective.
type Case = (Vec<f64>, Vec<f64>, Vec<Option<u64>>, u64, Objective);

fn case(max_n: usize, max_places: u64, max_cap: u64) -> impl Strategy<Value = Case> {
    (1..=max_n).prop_flat_map(move |n| {
        (
            vec(small_value(), n),
            vec(small_reference(), n),
            vec(proptest::option::of(0..=max_cap), n),
            0..=max_places,
            objective_strategy(),
        )
    })
}

fn objective_strategy() -> impl Strategy<Value = Objective> {
    prop_oneof![Just(Objective::FairShare), Just(Objective::MinMaxRate)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn greedy_equals_brute_force((x, t, caps, places, objective) in case(4, 8, 4)) {
        let inp = input(&x, &t, &caps, places, objective);
        let result = allocate(&inp);
        if t.iter().sum::<f64>() == 0.0 {
            prop_assert_eq!(result, Err(AllocationError::NoReference));
            return Ok(());
        }
        match brute_force(&inp) {
            None => {
                let capacity: u64 = (0..x.len())
                    .filter(|&i| can_take(&t, i, objective))
                    .map(|i| caps[i].expect("a missing limit is always feasible"))
                    .sum();
                prop_assert_eq!(result, Err(AllocationError::Infeasible { places, capacity }));
            }
            Some(best) => {
                let out = result.expect("feasible");
                prop_assert_eq!(out.added.iter().sum::<u64>(), places);
                for (i, (cap, a)) in caps.iter().zip(&out.added).enumerate() {
                    prop_assert!(cap.is_none_or(|c| *a <= c));
                    prop_assert!(can_take(&t, i, objective) || *a == 0);
                    prop_assert_eq!(out.at_cap.contains(&i), *cap == Some(*a));
                }
                // D_fs lies in [0, 1]; rates can reach 10⁵, so compare those relatively.
                let tolerance = 1e-12 * best.abs().max(1.0);
                prop_assert!(
                    (out.objective_after - best).abs() <= tolerance,
                    "greedy {} vs brute force {} for {:?}", out.objective_after, best, out.added
                );
                let direct = objective_of(&x, &t, &out.added, objective);
                prop_assert!((out.objective_after - direct).abs() <= tolerance);
                let before = objective_of(&x, &t, &vec![0; x.len()], objective);
                prop_assert!((out.objective_before - before).abs() <= tolerance);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn batches_equal_one_place_at_a_time((x, t, caps, places, objective) in case(8, 200, 60)) {
        let inp = input(&x, &t, &caps, places, objective);
        match allocate(&inp) {
            Ok(out) => {
                prop_assert_eq!(out.added, unit_greedy(&inp));
            }
            Err(AllocationError::Infeasible { .. } | AllocationError::NoReference) => {}
            Err(e) => prop_assert!(false, "{}", e),
        }
    }

    #[test]
    fn largest_fitting_finds_the_threshold(upper in 0u64..300, threshold in 0u64..400) {
        let mut calls = 0u32;
        let got = largest_fitting(upper, |k| {
            assert!(k <= upper);
            calls += 1;
            k <= threshold
        });
        prop_assert_eq!(got, Some(threshold.min(upper)));
        prop_assert!(calls <= 1 + (u64::BITS - upper.leading_zeros()) + 1);
        prop_assert_eq!(gallop(upper, |k| k <= threshold), threshold.min(upper));
    }

    #[test]
    fn largest_fitting_stops_at_a_boundary(bits in vec(any::<bool>(), 1..40)) {
        let upper = bits.len() as u64 - 1;
        let fits = |k: u64| bits[k as usize];
        match largest_fitting(upper, fits) {
            None => prop_assert!(!bits[0]),
            Some(k) => {
                prop_assert!(fits(k));
                prop_assert!(k == upper || !fits(k + 1));
            }
        }
    }

}

/// Eight places apportioned over three areas with limits `caps`, equal remainders to the
/// lower index (priority 0, 1, 2): x = (0, 4, 0), t = (1000, 1000, 2000), N = 8:
/// τ = (3, 3, 6), need (3, 0, 6), quotas 8·(3, 0, 6)/9 = (2.667, 0, 5.333).
fn eight_places(caps: &[u64; 3]) -> Apportionment {
    apportion(&[0.0, 4.0, 0.0], &INHABITANTS, caps, 8, &[0, 1, 2])
}

#[test]
fn apportion_shares_places_in_proportion_to_need() {
    // With room everywhere the quotas (2.667, 0, 5.333) floor to (2, 0, 5), the last place to
    // area 0.
    let a = eight_places(&[8, 8, 8]);
    assert_eq!(a.added, vec![3, 0, 5]);
    assert_eq!(a.need, vec![3.0, 0.0, 6.0]);
    assert_eq!(a.basis, vec![Basis::Need, Basis::None, Basis::Need]);
    assert_eq!(a.shortfall, 0);
}

#[test]
fn apportion_respects_limits_and_shares_the_rest_again() {
    // Area 2 may take 2: quotas (2.667, 0, 5.333) → area 2 capped at 2, the other 6 go to
    // the remaining need: area 0 takes its need 3, the 3 left go by inhabitants to area 1 and 0
    // (area 0 has no room left beyond its limit 8 − 3 = 5; weights 1000 and 1000).
    let a = eight_places(&[8, 8, 2]);
    assert_eq!(a.added.iter().sum::<u64>(), 8);
    assert_eq!(a.added[2], 2);
    assert_eq!(a.basis[2], Basis::Cap);
    assert_eq!(a.basis[0], Basis::Inhabitants);
    assert!(a.added.iter().zip([8, 8, 2]).all(|(x, c)| *x <= c));
}

#[test]
fn apportion_breaks_equal_remainders_by_the_priority_and_reports_the_tie() {
    // Two equal areas with equal need and 1 place: quota 0.5 each; the priority decides.
    let first = apportion(&[0.0, 0.0], &[1000.0, 1000.0], &[1, 1], 1, &[1, 0]);
    assert_eq!(first.added, vec![0, 1]);
    assert_eq!(first.tie_decided, vec![true, true]);
    let other = apportion(&[0.0, 0.0], &[1000.0, 1000.0], &[1, 1], 1, &[0, 1]);
    assert_eq!(other.added, vec![1, 0]);
}

#[test]
fn apportion_states_a_shortfall_when_the_limits_are_too_small() {
    let a = apportion(
        &[0.0, 0.0, 0.0],
        &[1.0, 1.0, 1.0],
        &[2, 0, 3],
        10,
        &[0, 1, 2],
    );
    assert_eq!(a.added, vec![2, 0, 3]);
    assert_eq!(a.shortfall, 5);
}

#[test]
fn the_tie_order_is_lowest_rate_then_highest_saldo_then_code() {
    let codes: Vec<String> = ["C", "A", "B", "D"].iter().map(|c| c.to_string()).collect();
    let order = tie_order(
        &[Some(1.0), Some(1.0), Some(1.0), Some(0.5)],
        &[Some(0.2), Some(0.2), Some(0.9), None],
        &codes,
    );
    assert_eq!(order, vec![3, 2, 1, 0]);
}
