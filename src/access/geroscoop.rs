//! Geroscoop weighted mean distance to daily facilities (weights = visits per year),
//! hemelsbreed, per point and per area.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::index::FacilityIndex;
use super::rings::AreaDwellings;
use super::undefined::{is_non_negative, Undefined};

/// The Geroscoop weights (visits per year): supermarkt 52, huisarts 12, apotheek 12,
/// ontmoetingsruimte 12 (Geroscoop: "ontmoetingspunt in zorginstelling"), fysiotherapeut 6,
/// warenhuis 6, horeca 6. Source: <https://www.geroscoop.nl/RechtsIntro_afs.html>, as in
/// docs/METHOD.md §5.5.
pub fn default_geroscoop_weights() -> BTreeMap<String, f64> {
    [
        ("supermarkt", 52.0),
        ("huisarts", 12.0),
        ("apotheek", 12.0),
        ("ontmoetingsruimte", 12.0),
        ("fysiotherapeut", 6.0),
        ("warenhuis", 6.0),
        ("horeca", 6.0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The Geroscoop weighted distance of many points; see [`geroscoop_distance`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedDistance {
    /// D_w in metres per point, in point order; `None` for a point with a NaN or infinite
    /// coordinate.
    pub distance_m: Vec<Option<f64>>,
    /// Types that entered both sums (weight > 0 and present in the facilities layer), sorted.
    pub used_kinds: Vec<String>,
    /// Types with a weight > 0 that are absent from the facilities layer, sorted. They are
    /// left out of both sums, so D_w covers only `used_kinds`; report them with the value.
    pub absent_kinds: Vec<String>,
    /// Σ v_k over `used_kinds`.
    pub weight_sum: f64,
}

/// The Geroscoop weighted distance averaged per area; see [`geroscoop_by_area`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaWeightedDistance {
    /// Dwelling-weighted mean D_w in metres per area, in area order; `None` for an area
    /// without dwellings (with finite coordinates).
    pub distance_m: Vec<Option<f64>>,
    /// Dwellings with finite coordinates per area, the denominators of `distance_m`.
    pub dwellings: Vec<usize>,
    /// As [`WeightedDistance::used_kinds`].
    pub used_kinds: Vec<String>,
    /// As [`WeightedDistance::absent_kinds`].
    pub absent_kinds: Vec<String>,
    /// Σ v_k over `used_kinds`.
    pub weight_sum: f64,
}

/// Geroscoop weighted mean distance from each point to the nearest facility of each weighted
/// type, hemelsbreed.
///
/// D_w(p) = Σ_k v_k d_k(p) / Σ_k v_k, over the types k with v_k > 0 that are present in the
/// facilities layer, with d_k(p) the hemelsbreed distance to the nearest facility of type k
/// ([`FacilityIndex::nearest_many`]). Reference: Geroscoop
/// (<https://www.geroscoop.nl/RechtsIntro_afs.html>, docs/METHOD.md §5.5), whose values range from
/// about 300 m to 5 km. Geroscoop mixes CBS road distances with hemelsbreed ones; here all
/// are hemelsbreed. The sum for each point runs over the types in sorted order, so the
/// result does not depend on the thread count.
///
/// # Parameters
/// - `index`: the facilities.
/// - `points`: `[x, y]` in metres (EPSG:28992).
/// - `weights`: v_k per type, e.g. [`default_geroscoop_weights`]; weights of 0 leave a type
///   out (neither used nor absent).
///
/// # Returns
/// [`WeightedDistance`]; [`Undefined::InvalidParameter`] for a negative, NaN or infinite
/// weight; [`Undefined::NoWeightedKind`] when no weighted type is present, so that
/// Σ_k v_k = 0.
///
/// # Example
/// Hand check: supermarkt 300 m, huisarts 1000 m, the other types absent:
/// D_w = (52·300 + 12·1000) / (52 + 12) = 27 600 / 64 = 431.25 m.
/// ```
/// use wijkbalans::access::{default_geroscoop_weights, geroscoop_distance, FacilityIndex};
/// let index = FacilityIndex::new(
///     &[[300.0, 0.0], [0.0, 1000.0]],
///     &["supermarkt".into(), "huisarts".into()],
/// );
/// let d = geroscoop_distance(&index, &[[0.0, 0.0]], &default_geroscoop_weights()).unwrap();
/// assert_eq!(d.distance_m, vec![Some(431.25)]);
/// assert_eq!(d.used_kinds, vec!["huisarts", "supermarkt"]);
/// assert_eq!(d.absent_kinds.len(), 5);
/// assert_eq!(d.weight_sum, 64.0);
/// ```
pub fn geroscoop_distance(
    index: &FacilityIndex,
    points: &[[f64; 2]],
    weights: &BTreeMap<String, f64>,
) -> Result<WeightedDistance, Undefined> {
    let (used, absent_kinds) = split_kinds(index, weights)?;
    let weight_sum: f64 = used.iter().map(|(_, v)| v).sum();
    // Σ_k v_k d_k per point, and whether every d_k was defined (false for non-finite points).
    let mut numerator = vec![0.0f64; points.len()];
    let mut defined = vec![true; points.len()];
    for (kind, v) in &used {
        let nearest = index.nearest_many(kind, points);
        numerator
            .par_iter_mut()
            .zip(defined.par_iter_mut())
            .zip(&nearest)
            .for_each(|((n, ok), d)| match d {
                Some(d) => *n += v * d,
                None => *ok = false,
            });
    }
    let distance_m = numerator
        .into_iter()
        .zip(defined)
        .map(|(n, ok)| ok.then_some(n / weight_sum))
        .collect();
    Ok(WeightedDistance {
        distance_m,
        used_kinds: used.into_iter().map(|(k, _)| k.to_string()).collect(),
        absent_kinds,
        weight_sum,
    })
}

/// Dwelling-weighted mean of the Geroscoop distance per area.
///
/// D̄_w(a) = Σ_{i ∈ D_a} D_w(i) / |D_a| over the dwellings i of area a with finite coordinates
/// ([`geroscoop_distance`] per dwelling). Equivalently Σ_k v_k d̄_k(a) / Σ_k v_k with d̄_k(a)
/// the area's mean nearest distance to type k. The sum runs sequentially in dwelling order.
///
/// # Parameters
/// - `index`, `weights`: as [`geroscoop_distance`].
/// - `dwellings`: the dwellings and the area of each.
///
/// # Returns
/// [`AreaWeightedDistance`], or the errors of [`geroscoop_distance`].
///
/// # Example
/// Hand check with only a supermarket weighted: dwellings 100 m and 300 m from it give a mean
/// of 200 m for area 0; area 1 has no dwellings.
/// ```
/// use std::collections::BTreeMap;
/// use wijkbalans::access::{geroscoop_by_area, AreaDwellings, FacilityIndex};
/// let index = FacilityIndex::new(&[[0.0, 0.0]], &["supermarkt".into()]);
/// let weights = BTreeMap::from([("supermarkt".to_string(), 52.0)]);
/// let dwellings = AreaDwellings::new(&[[100.0, 0.0], [0.0, 300.0]], &[Some(0), Some(0)], 2);
/// let areas = geroscoop_by_area(&index, dwellings, &weights).unwrap();
/// assert_eq!(areas.distance_m, vec![Some(200.0), None]);
/// assert_eq!(areas.dwellings, vec![2, 0]);
/// ```
pub fn geroscoop_by_area(
    index: &FacilityIndex,
    dwellings: AreaDwellings<'_>,
    weights: &BTreeMap<String, f64>,
) -> Result<AreaWeightedDistance, Undefined> {
    let per_dwelling = geroscoop_distance(index, dwellings.points, weights)?;
    let mut count = vec![0usize; dwellings.n_areas];
    let mut sum = vec![0.0f64; dwellings.n_areas];
    for (area, d) in dwellings.area.iter().zip(&per_dwelling.distance_m) {
        if let (Some(a), Some(d)) = (area, d) {
            count[*a] += 1;
            sum[*a] += d;
        }
    }
    Ok(AreaWeightedDistance {
        distance_m: sum
            .iter()
            .zip(&count)
            .map(|(s, &c)| (c > 0).then(|| s / c as f64))
            .collect(),
        dwellings: count,
        used_kinds: per_dwelling.used_kinds,
        absent_kinds: per_dwelling.absent_kinds,
        weight_sum: per_dwelling.weight_sum,
    })
}

/// Weighted types present in the layer with their weights, and the absent weighted types.
type SplitKinds<'w> = (Vec<(&'w str, f64)>, Vec<String>);

/// Validates the weights and splits the weighted types into present and absent.
fn split_kinds<'w>(
    index: &FacilityIndex,
    weights: &'w BTreeMap<String, f64>,
) -> Result<SplitKinds<'w>, Undefined> {
    let mut used = Vec::new();
    let mut absent = Vec::new();
    for (kind, &v) in weights {
        if !is_non_negative(v) {
            return Err(Undefined::InvalidParameter {
                name: "geroscoop_weights",
                value: v,
                range: "een eindig getal van 0 of meer",
            });
        }
        if v == 0.0 {
            continue;
        }
        if index.contains(kind) {
            used.push((kind.as_str(), v));
        } else {
            absent.push(kind.clone());
        }
    }
    if used.is_empty() {
        return Err(Undefined::NoWeightedKind { absent });
    }
    Ok((used, absent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;
    use approx::assert_relative_eq;

    /// Seven types, each on the x axis at a distance chosen so that the weighted mean is easy
    /// to compute by hand.
    fn all_types() -> FacilityIndex {
        FacilityIndex::new(
            &[
                [100.0, 0.0],  // supermarkt
                [400.0, 0.0],  // huisarts
                [500.0, 0.0],  // apotheek
                [600.0, 0.0],  // ontmoetingsruimte
                [1000.0, 0.0], // fysiotherapeut
                [2000.0, 0.0], // warenhuis
                [300.0, 0.0],  // horeca
            ],
            &strings(&[
                "supermarkt",
                "huisarts",
                "apotheek",
                "ontmoetingsruimte",
                "fysiotherapeut",
                "warenhuis",
                "horeca",
            ]),
        )
    }

    #[test]
    fn all_seven_types_by_hand() {
        // Σ v d = 52·100 + 12·(400 + 500 + 600) + 6·(1000 + 2000 + 300)
        //       = 5200 + 18000 + 19800 = 43 000; Σ v = 52 + 36 + 18 = 106.
        let d =
            geroscoop_distance(&all_types(), &[[0.0, 0.0]], &default_geroscoop_weights()).unwrap();
        assert_relative_eq!(d.distance_m[0].unwrap(), 43_000.0 / 106.0);
        assert_eq!(d.weight_sum, 106.0);
        assert!(d.absent_kinds.is_empty());
        assert_eq!(d.used_kinds.len(), 7);
    }

    #[test]
    fn absent_and_zero_weight_types_are_left_out() {
        let index = FacilityIndex::new(
            &[[300.0, 0.0], [0.0, 1000.0], [5.0, 0.0]],
            &strings(&["supermarkt", "huisarts", "kapper"]),
        );
        let mut weights = default_geroscoop_weights();
        weights.insert("huisarts".into(), 0.0);
        let d = geroscoop_distance(&index, &[[0.0, 0.0], [f64::NAN, 0.0]], &weights).unwrap();
        // Only the supermarket counts: 300 m. "kapper" has no weight, so it is not listed.
        assert_eq!(d.distance_m, vec![Some(300.0), None]);
        assert_eq!(d.used_kinds, vec!["supermarkt"]);
        assert_eq!(
            d.absent_kinds,
            strings(&[
                "apotheek",
                "fysiotherapeut",
                "horeca",
                "ontmoetingsruimte",
                "warenhuis"
            ])
        );
    }

    #[test]
    fn undefined_without_weighted_types_and_bad_weights() {
        let index = FacilityIndex::new(&[[0.0, 0.0]], &strings(&["kapper"]));
        let err = geroscoop_distance(&index, &[[1.0, 1.0]], &default_geroscoop_weights());
        assert!(matches!(err, Err(Undefined::NoWeightedKind { absent }) if absent.len() == 7));
        let weights = BTreeMap::from([("kapper".to_string(), -1.0)]);
        assert!(matches!(
            geroscoop_distance(&index, &[[1.0, 1.0]], &weights),
            Err(Undefined::InvalidParameter { .. })
        ));
    }

    #[test]
    fn area_means_equal_the_weighted_type_means() {
        let index = all_types();
        let dwellings = [
            [0.0, 0.0],
            [0.0, 300.0],
            [50.0, -80.0],
            [9e3, 9e3],
            [1.0, 1.0],
        ];
        let areas = [Some(0), Some(0), Some(0), Some(1), None];
        let weights = default_geroscoop_weights();
        let assigned = AreaDwellings::new(&dwellings, &areas, 3);
        let by_area = geroscoop_by_area(&index, assigned, &weights).unwrap();
        assert_eq!(by_area.dwellings, vec![3, 1, 0]);
        assert_eq!(by_area.distance_m[2], None);
        // Σ_k v_k d̄_k(a) / Σ_k v_k with d̄_k from the ring-share means.
        let kinds: Vec<String> = weights.keys().cloned().collect();
        let shares = super::super::rings::ring_shares(&index, assigned, &kinds, &[]).unwrap();
        for a in 0..2 {
            let expected: f64 = weights
                .iter()
                .map(|(k, v)| v * shares.mean_nearest_m[k][a].unwrap())
                .sum::<f64>()
                / 106.0;
            assert_relative_eq!(
                by_area.distance_m[a].unwrap(),
                expected,
                max_relative = 1e-12
            );
        }
    }
}
