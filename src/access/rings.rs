//! Cirkels van bereikbaarheid: which facility types a target group needs within which
//! hemelsbreed radius, the check of one location, and per-area ring shares of dwellings.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::index::FacilityIndex;
use super::undefined::{is_finite, is_non_negative, Undefined};

/// Target groups with a small action radius, which get the 300/500 m rings by default:
/// older people (clustered and care-ready homes) and beschermd wonen / beschermd thuis.
pub const SMALL_RADIUS_GROUPS: [&str; 4] = [
    "ouderen_geclusterd",
    "ouderen_zorggeschikt",
    "beschermd_wonen",
    "beschermd_thuis",
];

/// One facility type within a radius: the simple form of a [`Requirement`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct RingRule {
    /// Facility type, e.g. `supermarkt`.
    pub kind: String,
    /// Radius in metres, hemelsbreed.
    pub radius_m: f64,
}

/// A facility need: at least one facility of any of the listed types within `radius_m`
/// metres, hemelsbreed (e.g. "huisarts of apotheek binnen 500 m").
///
/// In a config file a requirement is written either with `kind` (one type, as a
/// [`RingRule`]) or with `any_of` (a list), plus `radius_m` and an optional `label` (default:
/// the types joined by " of "). Unknown fields, an empty list, an empty type name and a
/// radius that is not a finite number ≥ 0 are refused.
///
/// # Example
/// ```
/// use wijkbalans::access::Requirement;
/// let r: Requirement =
///     serde_json::from_str(r#"{"any_of": ["huisarts", "apotheek"], "radius_m": 500}"#).unwrap();
/// assert_eq!(r.label, "huisarts of apotheek");
/// let r: Requirement = serde_json::from_str(r#"{"kind": "ov_halte", "radius_m": 300}"#).unwrap();
/// assert_eq!(r.any_of, vec!["ov_halte"]);
/// assert!(serde_json::from_str::<Requirement>(r#"{"kind": "ov_halte", "radius": 300}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RequirementSpec")]
pub struct Requirement {
    /// Facility types that each satisfy the need (any one of them is enough).
    pub any_of: Vec<String>,
    /// Radius in metres, hemelsbreed; a facility exactly at the radius counts.
    pub radius_m: f64,
    /// Label for reports, e.g. `huisarts of apotheek`.
    pub label: String,
}

/// A requirement as written in a config file, before validation.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
struct RequirementSpec {
    kind: Option<String>,
    any_of: Option<Vec<String>>,
    radius_m: f64,
    label: Option<String>,
}

/// Why a requirement in a config file is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RequirementError {
    /// Both `kind` and `any_of` were given.
    #[error("ongeldige eis: geef `kind` of `any_of`, niet allebei")]
    KindAndAnyOf,
    /// Neither `kind` nor `any_of` was given, or `any_of` is empty.
    #[error("ongeldige eis: geef `kind = \"supermarkt\"` of een `any_of = [\"huisarts\", \"apotheek\"]` die niet leeg is")]
    NoKind,
    /// A type name is empty.
    #[error("ongeldige eis: een voorzieningstype is leeg")]
    EmptyKind,
    /// The radius is negative, NaN or infinite.
    #[error("ongeldige eis: radius_m = {0} moet een eindig aantal meter van 0 of meer zijn")]
    InvalidRadius(f64),
}

impl TryFrom<RequirementSpec> for Requirement {
    type Error = RequirementError;

    fn try_from(spec: RequirementSpec) -> Result<Self, Self::Error> {
        let any_of = match (spec.kind, spec.any_of) {
            (Some(_), Some(_)) => return Err(RequirementError::KindAndAnyOf),
            (Some(kind), None) => vec![kind],
            (None, Some(list)) => list,
            (None, None) => return Err(RequirementError::NoKind),
        };
        let label = spec.label.unwrap_or_else(|| default_label(&any_of));
        let requirement = Requirement {
            any_of,
            radius_m: spec.radius_m,
            label,
        };
        requirement.validate()?;
        Ok(requirement)
    }
}

/// The label of a requirement that has none: its types as words
/// ([`crate::access::kind_words`]) joined by " of ": "huisarts of apotheek", "ov-halte".
pub fn default_label(any_of: &[String]) -> String {
    let words: Vec<String> = any_of
        .iter()
        .map(|k| crate::access::kind_words(k))
        .collect();
    words.join(" of ")
}

impl From<RingRule> for Requirement {
    fn from(rule: RingRule) -> Self {
        Requirement {
            label: default_label(std::slice::from_ref(&rule.kind)),
            any_of: vec![rule.kind],
            radius_m: rule.radius_m,
        }
    }
}

impl Requirement {
    /// A requirement with the default label ([`default_label`]).
    pub fn new(any_of: &[&str], radius_m: f64) -> Self {
        let any_of: Vec<String> = any_of.iter().map(|s| s.to_string()).collect();
        Requirement {
            label: default_label(&any_of),
            any_of,
            radius_m,
        }
    }

    /// Checks the rules a config file must follow (see [`Requirement`]).
    pub fn validate(&self) -> Result<(), RequirementError> {
        if self.any_of.is_empty() {
            return Err(RequirementError::NoKind);
        }
        if self.any_of.iter().any(|k| k.is_empty()) {
            return Err(RequirementError::EmptyKind);
        }
        if !is_non_negative(self.radius_m) {
            return Err(RequirementError::InvalidRadius(self.radius_m));
        }
        Ok(())
    }
}

/// The default rings for target groups with a small action radius
/// ([`SMALL_RADIUS_GROUPS`]): supermarkt 500 m, huisarts of apotheek 500 m,
/// ontmoetingsruimte 500 m, ov_halte 300 m (docs/METHOD.md §5.2–5.3: service centre within
/// 400–500 m and a public transport stop within 300 m, invoorzorg.nl woonzorgzone; seniors
/// walk about 500 m, allesoversport.nl).
pub fn small_radius_requirements() -> Vec<Requirement> {
    vec![
        Requirement::new(&["supermarkt"], 500.0),
        Requirement::new(&["huisarts", "apotheek"], 500.0),
        Requirement::new(&["ontmoetingsruimte"], 500.0),
        Requirement::new(&["ov_halte"], 300.0),
    ]
}

/// The default rings for every other group: supermarkt 800 m, huisarts 800 m, ov_halte
/// 500 m (docs/METHOD.md §5.2–5.3: woonservicezone radius 800 m, oso-wonen.nl; an average
/// Dutch walking distance of 800 m).
pub fn general_requirements() -> Vec<Requirement> {
    vec![
        Requirement::new(&["supermarkt"], 800.0),
        Requirement::new(&["huisarts"], 800.0),
        Requirement::new(&["ov_halte"], 500.0),
    ]
}

/// Ring requirements per target group.
///
/// Config form (TOML shown; every field is optional, and a field that is given replaces the
/// built-in value as a whole):
/// ```toml
/// [[groups.beschermd_wonen]]
/// kind = "supermarkt"
/// radius_m = 500
///
/// [[groups.beschermd_wonen]]
/// any_of = ["huisarts", "apotheek"]
/// radius_m = 500
///
/// [[default]]
/// kind = "supermarkt"
/// radius_m = 800
/// ```
///
/// # Example
/// ```
/// use wijkbalans::access::Rings;
/// let rings = Rings::default();
/// assert_eq!(rings.for_group("beschermd_wonen").len(), 4);
/// assert_eq!(rings.for_group("statushouders")[0].radius_m, 800.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields, default)]
pub struct Rings {
    /// Requirements per target-group id (e.g. `beschermd_wonen`). Default: the
    /// [`small_radius_requirements`] for each of [`SMALL_RADIUS_GROUPS`].
    pub groups: BTreeMap<String, Vec<Requirement>>,
    /// Requirements for every group not in `groups`. Default: [`general_requirements`].
    pub default: Vec<Requirement>,
}

impl Default for Rings {
    fn default() -> Self {
        Rings {
            groups: SMALL_RADIUS_GROUPS
                .iter()
                .map(|g| (g.to_string(), small_radius_requirements()))
                .collect(),
            default: general_requirements(),
        }
    }
}

impl Rings {
    /// The requirements of a target group: its own list, or the default list.
    pub fn for_group(&self, group: &str) -> &[Requirement] {
        self.groups.get(group).unwrap_or(&self.default)
    }
}

/// The outcome of one requirement at one location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementResult {
    /// The requirement's label.
    pub label: String,
    /// True when the nearest facility of any listed type is within the radius
    /// (distance ≤ radius).
    pub passed: bool,
    /// Hemelsbreed distance in metres to the nearest facility of any listed type; `None`
    /// when no listed type is in the facilities layer or the location is not finite.
    pub nearest_m: Option<f64>,
    /// The type of that facility (the first listed type on equal distances).
    pub kind_used: Option<String>,
    /// Index of that facility in the facilities layer (the lowest on equal distances).
    pub facility: Option<usize>,
    /// The requirement's radius in metres.
    pub radius_m: f64,
    /// Listed types that are not in the facilities layer, in list order. A ✗ with every
    /// type absent means "not in the data", not "too far".
    pub absent_kinds: Vec<String>,
}

/// Checks a location against ring requirements, hemelsbreed.
///
/// For requirement q with types K_q and radius r_q: d_q = min_{k ∈ K_q} min_{j of type k}
/// ‖p − f_j‖, passed ⇔ d_q ≤ r_q. Reference: docs/METHOD.md §5.3 (a site fits its target
/// group when every required facility type is within its ring; each requirement is reported
/// ✓/✗ with the distance).
///
/// # Parameters
/// - `index`: the facilities.
/// - `p`: the location `[x, y]` in metres (EPSG:28992).
/// - `requirements`: e.g. [`Rings::for_group`].
///
/// # Returns
/// One result per requirement, in requirement order.
///
/// # Example
/// Hand check: a supermarket 400 m east passes the 500 m ring; the nearest of huisarts
/// (600 m north) and apotheek (450 m west) is the apotheek, which passes; there is no
/// ov_halte in the layer.
/// ```
/// use wijkbalans::access::{check, rings_ok, FacilityIndex, Requirement};
/// let index = FacilityIndex::new(
///     &[[400.0, 0.0], [0.0, 600.0], [-450.0, 0.0]],
///     &["supermarkt".into(), "huisarts".into(), "apotheek".into()],
/// );
/// let needs = [
///     Requirement::new(&["supermarkt"], 500.0),
///     Requirement::new(&["huisarts", "apotheek"], 500.0),
///     Requirement::new(&["ov_halte"], 300.0),
/// ];
/// let results = check(&index, [0.0, 0.0], &needs);
/// assert!(results[0].passed);
/// assert_eq!(results[1].nearest_m, Some(450.0));
/// assert_eq!(results[1].kind_used.as_deref(), Some("apotheek"));
/// assert!(!results[2].passed);
/// assert_eq!(results[2].absent_kinds, vec!["ov_halte"]);
/// assert!(!rings_ok(&results));
/// ```
pub fn check(
    index: &FacilityIndex,
    p: [f64; 2],
    requirements: &[Requirement],
) -> Vec<RequirementResult> {
    requirements
        .iter()
        .map(|q| {
            let mut best: Option<(f64, usize, &str)> = None;
            let mut absent_kinds = Vec::new();
            for kind in &q.any_of {
                if !index.contains(kind) {
                    absent_kinds.push(kind.clone());
                    continue;
                }
                if let Some((j, d)) = index.nearest(kind, p) {
                    // Strictly closer only: on equal distances the first listed type stays.
                    if best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, j, kind.as_str()));
                    }
                }
            }
            RequirementResult {
                label: q.label.clone(),
                passed: best.is_some_and(|(d, _, _)| d <= q.radius_m),
                nearest_m: best.map(|(d, _, _)| d),
                kind_used: best.map(|(_, _, k)| k.to_string()),
                facility: best.map(|(_, j, _)| j),
                radius_m: q.radius_m,
                absent_kinds,
            }
        })
        .collect()
}

/// [`check`] for many locations (e.g. candidate sites), in parallel.
///
/// # Returns
/// One list of results per location, in location order (independent of the thread count).
pub fn check_many(
    index: &FacilityIndex,
    points: &[[f64; 2]],
    requirements: &[Requirement],
) -> Vec<Vec<RequirementResult>> {
    points
        .par_iter()
        .map(|p| check(index, *p, requirements))
        .collect()
}

/// True when every requirement passed (also when there are none).
pub fn rings_ok(results: &[RequirementResult]) -> bool {
    results.iter().all(|r| r.passed)
}

/// A radius in metres as a map key, ordered by [`f64::total_cmp`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Metres(pub f64);

impl Ord for Metres {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

crate::order::order_from_cmp!(Metres);

/// Per-area ring shares and mean nearest distances; see [`ring_shares`].
#[derive(Debug, Clone, PartialEq)]
pub struct RingShares {
    /// Number of dwellings assigned to each area, in area order.
    pub dwellings: Vec<usize>,
    /// Keyed by (type, radius): per area, the share (0–1) of its dwellings whose nearest
    /// facility of that type is within the radius, hemelsbreed. `None` for an area without
    /// dwellings and for a type absent from the facilities layer.
    pub shares: BTreeMap<(String, Metres), Vec<Option<f64>>>,
    /// Keyed by type: per area, the dwelling-weighted mean hemelsbreed distance in metres to
    /// the nearest facility of that type; `None` as for `shares`.
    pub mean_nearest_m: BTreeMap<String, Vec<Option<f64>>>,
    /// Requested types absent from the facilities layer, sorted.
    pub absent_kinds: Vec<String>,
}

impl RingShares {
    /// The per-area shares of one type and radius, when requested.
    pub fn share(&self, kind: &str, radius_m: f64) -> Option<&[Option<f64>]> {
        self.shares
            .get(&(kind.to_string(), Metres(radius_m)))
            .map(Vec::as_slice)
    }
}

/// Per area, the share of its dwellings within each radius of the nearest facility of each
/// type, and the mean nearest distance (all hemelsbreed).
///
/// For area a with dwellings D_a, type k and radius r:
/// share_a(k, r) = |{i ∈ D_a : d_i(k) ≤ r}| / |D_a| and mean_a(k) = Σ_{i ∈ D_a} d_i(k) / |D_a|,
/// with d_i(k) the distance from dwelling i to the nearest facility of type k
/// ([`FacilityIndex::nearest_many`]). This is the buffer (cumulative-opportunities) measure
/// turned into "share of homes inside the ring" per area, for the rings r ∈ {300, 500, 800} m
/// (docs/METHOD.md §5.4). Dwellings with a NaN or infinite coordinate are counted in
/// `dwellings` but left out of D_a. The sums run sequentially in dwelling order, so the result
/// does not depend on the thread count.
///
/// # Parameters
/// - `index`: the facilities.
/// - `dwellings`: the dwellings and the area of each.
/// - `kinds`: facility types (duplicates are merged).
/// - `radii`: ring radii in metres (duplicates are merged).
///
/// # Returns
/// [`RingShares`]; [`Undefined::InvalidParameter`] when a radius is not a finite number ≥ 0.
///
/// # Example
/// Hand check: two dwellings of area 0 are 100 m and 600 m from the only supermarket, so half
/// of them live within 500 m and their mean distance is 350 m; area 1 has no dwellings.
/// ```
/// use wijkbalans::access::{ring_shares, AreaDwellings, FacilityIndex};
/// let index = FacilityIndex::new(&[[0.0, 0.0]], &["supermarkt".into()]);
/// let dwellings = AreaDwellings::new(&[[100.0, 0.0], [0.0, 600.0]], &[Some(0), Some(0)], 2);
/// let shares = ring_shares(&index, dwellings, &["supermarkt".into()], &[500.0]).unwrap();
/// assert_eq!(shares.share("supermarkt", 500.0).unwrap(), &[Some(0.5), None]);
/// assert_eq!(shares.mean_nearest_m["supermarkt"], vec![Some(350.0), None]);
/// ```
pub fn ring_shares(
    index: &FacilityIndex,
    dwellings: AreaDwellings<'_>,
    kinds: &[String],
    radii: &[f64],
) -> Result<RingShares, Undefined> {
    let AreaDwellings {
        points: dwellings,
        area: dwelling_area,
        n_areas,
    } = dwellings;
    for &r in radii {
        if !is_non_negative(r) {
            return Err(Undefined::InvalidParameter {
                name: "radius_m",
                value: r,
                range: "een eindig aantal meter van 0 of meer",
            });
        }
    }
    let mut radii: Vec<f64> = radii.to_vec();
    radii.sort_by(f64::total_cmp);
    radii.dedup();
    let mut kinds: Vec<&String> = kinds.iter().collect();
    kinds.sort();
    kinds.dedup();

    let mut counts = vec![0usize; n_areas];
    for a in dwelling_area.iter().flatten() {
        counts[*a] += 1;
    }
    let mut result = RingShares {
        dwellings: counts,
        shares: BTreeMap::new(),
        mean_nearest_m: BTreeMap::new(),
        absent_kinds: Vec::new(),
    };
    for kind in kinds {
        if !index.contains(kind) {
            result.absent_kinds.push(kind.clone());
        }
        let nearest = index.nearest_many(kind, dwellings);
        // Per area: dwellings with a distance, their sum, and how many lie within each radius.
        let mut defined = vec![0usize; n_areas];
        let mut sum = vec![0.0f64; n_areas];
        let mut within = vec![vec![0usize; n_areas]; radii.len()];
        for (area, d) in dwelling_area.iter().zip(&nearest) {
            if let (Some(a), Some(d)) = (*area, *d) {
                defined[a] += 1;
                sum[a] += d;
                for (r, count) in radii.iter().zip(within.iter_mut()) {
                    if d <= *r {
                        count[a] += 1;
                    }
                }
            }
        }
        let per_area = |numerator: &dyn Fn(usize) -> f64| -> Vec<Option<f64>> {
            (0..n_areas)
                .map(|a| (defined[a] > 0).then(|| numerator(a) / defined[a] as f64))
                .collect()
        };
        for (r, count) in radii.iter().zip(&within) {
            result
                .shares
                .insert((kind.clone(), Metres(*r)), per_area(&|a| count[a] as f64));
        }
        result
            .mean_nearest_m
            .insert(kind.clone(), per_area(&|a| sum[a]));
    }
    Ok(result)
}

/// Dwellings and the area each lies in: the input of the per-area access measures
/// ([`ring_shares`], [`rings_ok_shares`], [`super::geroscoop_by_area`]), checked once.
///
/// # Example
/// Two dwellings in area 0 and one outside every area, of two areas:
/// ```
/// use wijkbalans::access::AreaDwellings;
/// let d = AreaDwellings::new(&[[0.0, 0.0], [5.0, 5.0], [9.0, 9.0]], &[Some(0), Some(0), None], 2);
/// assert_eq!(d.n_areas(), 2);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AreaDwellings<'a> {
    pub(crate) points: &'a [[f64; 2]],
    pub(crate) area: &'a [Option<usize>],
    pub(crate) n_areas: usize,
}

impl<'a> AreaDwellings<'a> {
    /// `points`: dwelling points `[x, y]` in metres; `area`: the area index of each dwelling
    /// (`None`: outside every area, ignored); `n_areas`: the number of areas.
    ///
    /// # Panics
    /// When `area` differs in length from `points`, or holds an area ≥ `n_areas`.
    pub fn new(points: &'a [[f64; 2]], area: &'a [Option<usize>], n_areas: usize) -> Self {
        assert_eq!(
            points.len(),
            area.len(),
            "{} dwellings but {} area assignments",
            points.len(),
            area.len()
        );
        if let Some((i, a)) = area
            .iter()
            .enumerate()
            .find_map(|(i, a)| a.filter(|a| *a >= n_areas).map(|a| (i, a)))
        {
            panic!("dwelling {i} is assigned to area {a}, but there are {n_areas} areas");
        }
        AreaDwellings {
            points,
            area,
            n_areas,
        }
    }

    /// The number of areas.
    pub fn n_areas(&self) -> usize {
        self.n_areas
    }
}

/// Per area, the share of its dwellings that meet every requirement, hemelsbreed.
///
/// share_a = |{i ∈ D_a : ∀q  min_{k ∈ K_q} d_i(k) ≤ r_q}| / |D_a|: the share of homes in a
/// "woonservicegebied" as defined by the rings (docs/METHOD.md §5.4: Zwolle aims at ≥ 50 %
/// of households in a woonservicegebied). A requirement whose types are all absent from the
/// facilities layer is met by no dwelling (as in [`check`]); such types are listed.
/// Dwellings with a NaN or infinite coordinate are left out of D_a.
///
/// # Parameters
/// As [`ring_shares`], with `requirements` instead of kinds and radii.
///
/// # Returns
/// One share per area (`None` for an area without dwellings), and the absent types.
///
/// # Example
/// ```
/// use wijkbalans::access::{rings_ok_shares, AreaDwellings, FacilityIndex, Requirement};
/// let index = FacilityIndex::new(
///     &[[0.0, 0.0], [0.0, 200.0]],
///     &["supermarkt".into(), "ov_halte".into()],
/// );
/// let needs = [Requirement::new(&["supermarkt"], 500.0), Requirement::new(&["ov_halte"], 300.0)];
/// // (0, 400): supermarkt 400 m, halte 200 m → ok; (0, -400): halte 600 m → not ok.
/// let dwellings = AreaDwellings::new(&[[0.0, 400.0], [0.0, -400.0]], &[Some(0), Some(0)], 1);
/// let (shares, absent) = rings_ok_shares(&index, dwellings, &needs);
/// assert_eq!(shares, vec![Some(0.5)]);
/// assert!(absent.is_empty());
/// ```
pub fn rings_ok_shares(
    index: &FacilityIndex,
    dwellings: AreaDwellings<'_>,
    requirements: &[Requirement],
) -> (Vec<Option<f64>>, Vec<String>) {
    let AreaDwellings {
        points: dwellings,
        area: dwelling_area,
        n_areas,
    } = dwellings;
    let mut ok: Vec<bool> = dwellings.iter().map(is_finite).collect();
    let mut absent = Vec::new();
    for q in requirements {
        let mut met = vec![false; dwellings.len()];
        for kind in &q.any_of {
            if !index.contains(kind) {
                absent.push(kind.clone());
                continue;
            }
            let nearest = index.nearest_many(kind, dwellings);
            met.par_iter_mut()
                .zip(&nearest)
                .for_each(|(m, d)| *m = *m || d.is_some_and(|d| d <= q.radius_m));
        }
        ok.par_iter_mut().zip(&met).for_each(|(o, m)| *o = *o && *m);
    }
    absent.sort();
    absent.dedup();
    let mut defined = vec![0usize; n_areas];
    let mut passing = vec![0usize; n_areas];
    for ((area, p), o) in dwelling_area.iter().zip(dwellings).zip(&ok) {
        if let Some(a) = area {
            if is_finite(p) {
                defined[*a] += 1;
                passing[*a] += usize::from(*o);
            }
        }
    }
    let shares = (0..n_areas)
        .map(|a| (defined[a] > 0).then(|| passing[a] as f64 / defined[a] as f64))
        .collect();
    (shares, absent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;
    use approx::assert_relative_eq;

    const FIXTURE: &str = include_str!("../../tests/fixtures/access/ring_shares.json");

    #[test]
    fn defaults_follow_domain_4_2() {
        let rings = Rings::default();
        for group in SMALL_RADIUS_GROUPS {
            let q = rings.for_group(group);
            let summary: Vec<(Vec<&str>, f64)> = q
                .iter()
                .map(|r| (r.any_of.iter().map(String::as_str).collect(), r.radius_m))
                .collect();
            assert_eq!(
                summary,
                vec![
                    (vec!["supermarkt"], 500.0),
                    (vec!["huisarts", "apotheek"], 500.0),
                    (vec!["ontmoetingsruimte"], 500.0),
                    (vec!["ov_halte"], 300.0),
                ]
            );
            assert_eq!(q[1].label, "huisarts of apotheek");
        }
        let other = rings.for_group("statushouders");
        let summary: Vec<(&str, f64)> = other
            .iter()
            .map(|r| (r.any_of[0].as_str(), r.radius_m))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("supermarkt", 800.0),
                ("huisarts", 800.0),
                ("ov_halte", 500.0)
            ]
        );
        for q in rings.groups.values().flatten().chain(&rings.default) {
            q.validate().unwrap();
        }
    }

    #[test]
    fn config_round_trip_and_refusals() {
        let rings = Rings::default();
        let json = serde_json::to_string(&rings).unwrap();
        let back: Rings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rings);

        // A given field replaces the built-in one; an omitted field keeps it.
        let custom: Rings = serde_json::from_str(
            r#"{"groups": {"jongeren": [{"kind": "ov_halte", "radius_m": 400, "label": "OV"}]}}"#,
        )
        .unwrap();
        assert_eq!(custom.groups.len(), 1);
        assert_eq!(custom.for_group("jongeren")[0].label, "OV");
        assert_eq!(custom.for_group("beschermd_wonen"), general_requirements());

        let refused = [
            r#"{"default": [], "extra": 1}"#,
            r#"{"default": [{"kind": "a", "any_of": ["b"], "radius_m": 1}]}"#,
            r#"{"default": [{"radius_m": 1}]}"#,
            r#"{"default": [{"any_of": [], "radius_m": 1}]}"#,
            r#"{"default": [{"any_of": [""], "radius_m": 1}]}"#,
            r#"{"default": [{"kind": "a", "radius_m": -5}]}"#,
            r#"{"default": [{"kind": "a", "radius_m": 1, "colour": "red"}]}"#,
        ];
        for text in refused {
            assert!(serde_json::from_str::<Rings>(text).is_err(), "{text}");
        }
        let rule = RingRule {
            kind: "supermarkt".into(),
            radius_m: 500.0,
        };
        assert_eq!(
            Requirement::from(rule),
            Requirement::new(&["supermarkt"], 500.0)
        );
        assert!(matches!(
            Requirement::new(&["a"], f64::NAN).validate(),
            Err(RequirementError::InvalidRadius(_))
        ));
    }

    #[test]
    fn check_boundary_ties_and_bad_points() {
        // huisarts and apotheek both exactly 500 m away: passed (≤), first listed type used.
        let index = FacilityIndex::new(
            &[[0.0, 500.0], [500.0, 0.0], [300.0, 400.0]],
            &strings(&["apotheek", "huisarts", "huisarts"]),
        );
        let needs = [Requirement::new(&["huisarts", "apotheek"], 500.0)];
        let r = &check(&index, [0.0, 0.0], &needs)[0];
        assert!(r.passed);
        assert_eq!(r.nearest_m, Some(500.0));
        assert_eq!(r.kind_used.as_deref(), Some("huisarts"));
        assert_eq!(r.facility, Some(1));
        assert!(r.absent_kinds.is_empty());

        let r = &check(&index, [0.0, -0.5], &needs)[0];
        assert!(!r.passed);

        let r = &check(&index, [f64::NAN, 0.0], &needs)[0];
        assert_eq!(
            (r.passed, r.nearest_m, r.kind_used.clone()),
            (false, None, None)
        );
        assert!(rings_ok(&[]));

        let many = check_many(&index, &[[0.0, 0.0], [0.0, -0.5]], &needs);
        assert_eq!(many.len(), 2);
        assert!(many[0][0].passed && !many[1][0].passed);
    }

    #[test]
    fn result_serialises() {
        let index = FacilityIndex::new(&[[0.0, 300.0]], &strings(&["ov_halte"]));
        let r = check(
            &index,
            [0.0, 0.0],
            &[Requirement::new(&["ov_halte"], 300.0)],
        );
        let json = serde_json::to_string(&r[0]).unwrap();
        assert_eq!(
            json,
            r#"{"label":"ov-halte","passed":true,"nearest_m":300.0,"kind_used":"ov_halte","facility":0,"radius_m":300.0,"absent_kinds":[]}"#
        );
    }

    /// The hand-checked fixture: 3 areas (the last without dwellings), 6 dwellings (one
    /// outside every area), 2 facilities, 3 radii; `apotheek` is absent.
    #[test]
    fn fixture_shares_by_hand() {
        let fixture: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        let point = |v: &serde_json::Value| [v[0].as_f64().unwrap(), v[1].as_f64().unwrap()];
        // Every entry of a list of the fixture, read by `read`.
        fn each<T>(list: &serde_json::Value, read: impl Fn(&serde_json::Value) -> T) -> Vec<T> {
            list.as_array().unwrap().iter().map(read).collect()
        }
        let facilities = each(&fixture["facilities"], |f| point(&f["xy"]));
        let kinds = each(&fixture["facilities"], |f| {
            f["kind"].as_str().unwrap().to_string()
        });
        let dwellings = each(&fixture["dwellings"], |d| point(&d["xy"]));
        let areas = each(&fixture["dwellings"], |d| {
            d["area"].as_u64().map(|a| a as usize)
        });
        let n_areas = fixture["n_areas"].as_u64().unwrap() as usize;
        let asked: Vec<String> = serde_json::from_value(fixture["kinds"].clone()).unwrap();
        let radii: Vec<f64> = serde_json::from_value(fixture["radii"].clone()).unwrap();

        let index = FacilityIndex::new(&facilities, &kinds);
        let assigned = AreaDwellings::new(&dwellings, &areas, n_areas);
        let shares = ring_shares(&index, assigned, &asked, &radii).unwrap();

        let expected = &fixture["expected"];
        let as_options = |v: &serde_json::Value| -> Vec<Option<f64>> {
            v.as_array().unwrap().iter().map(|x| x.as_f64()).collect()
        };
        let close = |got: &[Option<f64>], want: &[Option<f64>]| {
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want) {
                match (g, w) {
                    (Some(g), Some(w)) => assert_relative_eq!(*g, *w, max_relative = 1e-6),
                    _ => assert_eq!(g, w),
                }
            }
        };
        let dwelling_counts: Vec<usize> =
            serde_json::from_value(expected["dwellings"].clone()).unwrap();
        assert_eq!(shares.dwellings, dwelling_counts);
        for (kind, by_radius) in expected["shares"].as_object().unwrap() {
            for (radius, want) in by_radius.as_object().unwrap() {
                let got = shares.share(kind, radius.parse().unwrap()).unwrap();
                close(got, &as_options(want));
            }
        }
        for (kind, want) in expected["mean_nearest_m"].as_object().unwrap() {
            close(&shares.mean_nearest_m[kind], &as_options(want));
        }
        let absent: Vec<String> = serde_json::from_value(expected["absent_kinds"].clone()).unwrap();
        assert_eq!(shares.absent_kinds, absent);
        assert_eq!(shares.shares.len(), asked.len() * radii.len());

        // All rings of the fixture at once: supermarkt ≤ 500 m and huisarts ≤ 800 m holds for
        // no dwelling of area 0 (the huisarts is ≥ 806 m away) and none of area 1.
        let needs = [
            Requirement::new(&["supermarkt"], 500.0),
            Requirement::new(&["huisarts"], 800.0),
        ];
        let (all, absent) = rings_ok_shares(&index, assigned, &needs);
        assert_eq!(all, vec![Some(0.0), Some(0.0), None]);
        assert!(absent.is_empty());
        // huisarts ≤ 1000 m: area 1 has both dwellings (300 m and 1000 m).
        let (all, _) =
            rings_ok_shares(&index, assigned, &[Requirement::new(&["huisarts"], 1000.0)]);
        assert_eq!(all, vec![Some(2.0 / 3.0), Some(1.0), None]);
    }

    #[test]
    fn invalid_radius_and_absent_requirement() {
        let index = FacilityIndex::new(&[[0.0, 0.0]], &strings(&["supermarkt"]));
        let err = ring_shares(
            &index,
            AreaDwellings::new(&[[0.0, 0.0]], &[Some(0)], 1),
            &strings(&["supermarkt"]),
            &[-1.0],
        );
        assert!(matches!(err, Err(Undefined::InvalidParameter { .. })));
        let (all, absent) = rings_ok_shares(
            &index,
            AreaDwellings::new(&[[0.0, 0.0], [f64::NAN, 0.0]], &[Some(0), Some(0)], 1),
            &[Requirement::new(&["apotheek"], 500.0)],
        );
        assert_eq!(all, vec![Some(0.0)]);
        assert_eq!(absent, vec!["apotheek"]);
    }

    #[test]
    #[should_panic(expected = "assigned to area 3")]
    fn area_out_of_range_panics() {
        let _ = AreaDwellings::new(&[[0.0, 0.0]], &[Some(3)], 2);
    }
}
