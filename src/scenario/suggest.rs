//! Search for sites: assess many candidate locations for N units of a group, rank them and
//! pick the best K at least a set distance apart (docs/METHOD.md §2.7).
//!
//! # Verdict
//!
//! A candidate's verdict is the one `test-site` gives at that point: the change's effect on
//! its area ([`Scenario::area_effect_in`], computed once per area, because it is the same
//! anywhere in the area) judged at the candidate's location by [`Scenario::judge`], the
//! function [`Scenario::apply`] uses (tested: `tests/whatif.rs`,
//! `suggest_verdicts_are_the_site_tests_verdicts`).
//!
//! # Score
//!
//! Within the verdict, candidates are ordered by a location score from 0 to 100 built from
//! what differs from place to place, each component c_k ∈ [0, 1]:
//!
//! | component | formula | reads |
//! |---|---|---|
//! | `spreading` | (f_a − f_min) / (f_max − f_min), f_a = 100 · (D_fs before − D_fs after) of the change in the candidate's area a, min and max over all areas (1 when they are equal) | the wijk's effect on the fair-share dissimilarity (§3.1) |
//! | `distance_any` | min(d_any / `distance_any_full_m`, 1); 1 without sites | nearest existing care site of any group |
//! | `distance_same` | min(d_same / `distance_same_full_m`, 1); 1 without a site of the group | nearest site of the same group |
//! | `facilities` | mean over the group's ring requirements of 1 when d ≤ r, 2 − d/r when r < d < 2r, else 0 (0 when none exists) | the rings of §5.3 |
//! | `density` | min(n / (π R² / 10,000) / `density_full_per_ha`, 1), n = dwellings within R = `density_radius_m` | dwellings per hectare around the location |
//!
//! score = 100 · Σ_k w_k c_k / Σ_k w_k over the available components (`facilities` needs a
//! facilities layer and requirements for the group, `density` a dwellings layer, `spreading` a
//! defined D_fs). Defaults: w = 0.3, 0.2, 0.15, 0.2, 0.15; 500 m, 1,000 m, R = 250 m,
//! 25 dwellings/ha ([`crate::config::SuggestConfig`]).
//!
//! Example (hand-checked in `tests::the_score_is_the_documented_weighted_mean`): a candidate in
//! the area with the largest fall (c = 1), 300 m from the nearest site (c = 0.6), 1,500 m from
//! the nearest of its group (c = 1), with requirements at 400 m (ring 500 m: 1) and 600 m (ring
//! 400 m: 2 − 1.5 = 0.5), so c = 0.75, and 392 dwellings within 250 m (392 / 19.635 ha =
//! 19.96/ha, c = 0.7986): score = 100 · (0.3 + 0.12 + 0.15 + 0.15 + 0.1198) = 83.98.
//!
//! # Order, spacing and memory
//!
//! Ranking: verdict (*past*, *past onder voorwaarden*, *past niet*), then the score (higher
//! first), then x, then y (lower first), then the input order. The suggestions are taken in
//! that order, skipping a candidate closer than `min_spacing_m` to one already taken or in a
//! wijk that has `max_per_area` suggestions already, until K are taken. Candidates are assessed in blocks of [`BLOCK`] in parallel and handed to the
//! caller block by block in input order (the suitability layer is rendered as it is
//! computed); only the ranking keys (verdict, score, x, y, index, area: 48 bytes) of the best
//! [`HEAP_PER_AREA`] candidates of every area are kept, in one bounded heap per area. Whether a
//! candidate is picked depends only on the candidates ranked before it, so the picks from the
//! kept keys are exact when, for every area whose heap dropped keys, the K-th pick ranks before
//! that area's worst kept key or the area has its `max_per_area` picks already; otherwise the
//! search is repeated with heaps four times as large. The result does not depend on the thread
//! count.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::{AreaEffect, Change, Scenario};
use crate::config::{SuggestConfig, SuggestWeights};
use crate::model::Dwellings;
use crate::policy::Verdict;
use crate::progress::{Progress, Silent, Stage};

pub use crate::model::Candidate;

/// Candidates assessed per parallel block (and handed to the caller's sink at once).
pub const BLOCK: usize = 4096;
/// Ranking keys kept per area in the bounded heaps (at first; see the module docs).
pub const HEAP_PER_AREA: usize = 1024;

/// What the search is asked.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Care units to place.
    pub units: f64,
    /// Target group id.
    pub group: &'a str,
    /// How many suggestions (K).
    pub top: usize,
    /// Spacing and score options.
    pub options: &'a SuggestConfig,
}

/// The components of a candidate's score, each in [0, 1]; `None` where the component is not
/// available (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Components {
    /// The area's effect on the spreading, normalised over the areas.
    pub spreading: Option<f64>,
    /// Distance to the nearest existing site of any group.
    pub distance_any: f64,
    /// Distance to the nearest existing site of the same group.
    pub distance_same: f64,
    /// The group's facility rings.
    pub facilities: Option<f64>,
    /// Dwelling density.
    pub density: Option<f64>,
}

/// The assessment of a candidate inside an area.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The receiving area's index.
    pub area: usize,
    /// The verdict ([`Scenario::judge`]).
    pub verdict: Verdict,
    /// The rules that failed, in rule order.
    pub failed_rules: Vec<String>,
    /// The rules that could not be tested, in rule order ([`crate::policy::untested_rules`]).
    pub untested_rules: Vec<String>,
    /// Distance to the nearest counted site of any group, metres.
    pub nearest_any_m: Option<f64>,
    /// Distance to the nearest counted site of the group, metres.
    pub nearest_same_m: Option<f64>,
    /// Facility requirements met and asked (with a facilities layer).
    pub facilities_met: Option<(usize, usize)>,
    /// Dwellings within `density_radius_m` (with a dwellings layer).
    pub dwellings_nearby: Option<usize>,
    /// The components of the score.
    pub components: Components,
    /// The score, 0–100.
    pub score: f64,
}

/// One assessed candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessed {
    /// Index in the candidate list.
    pub candidate: usize,
    /// Location in the compute CRS.
    pub location: [f64; 2],
    /// The assessment; `None` when the candidate lies outside every area.
    pub assessment: Option<Assessment>,
}

/// The outcome of a search.
#[derive(Debug, Clone)]
pub struct Search {
    /// The suggestions in order, at least `min_spacing_m` apart (at most K).
    pub top: Vec<Assessed>,
    /// Candidates inside an area.
    pub evaluated: usize,
    /// Candidates outside every area.
    pub outside: usize,
    /// Passes over the candidates (1 unless the heap had to grow).
    pub passes: usize,
}

/// A ranking key; `Ord` is the ranking order (better first).
#[derive(Debug, Clone, Copy)]
struct Key {
    verdict: u8,
    score: f64,
    x: f64,
    y: f64,
    candidate: usize,
    /// The receiving area (not part of the order).
    area: usize,
}

impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        self.verdict
            .cmp(&o.verdict)
            .then(o.score.total_cmp(&self.score))
            .then(self.x.total_cmp(&o.x))
            .then(self.y.total_cmp(&o.y))
            .then(self.candidate.cmp(&o.candidate))
    }
}

crate::order::order_from_cmp!(Key);

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Past => 0,
        Verdict::PastOnderVoorwaarden => 1,
        Verdict::PastNiet => 2,
    }
}

/// The facilities component of one location: the mean over the requirements of 1 within the
/// ring r, 2 − d/r between r and 2r, 0 beyond or when no listed facility exists; `None`
/// without requirements.
///
/// Example: d = 400 m in a ring of 500 m gives 1, d = 600 m in a ring of 400 m gives 0.5;
/// the mean is 0.75.
pub fn facilities_component(checks: &[crate::access::RequirementResult]) -> Option<f64> {
    if checks.is_empty() {
        return None;
    }
    let sum: f64 = checks
        .iter()
        .map(|c| match c.nearest_m {
            Some(d) if d <= c.radius_m => 1.0,
            Some(d) => (2.0 - d / c.radius_m).max(0.0),
            None => 0.0,
        })
        .sum();
    Some(sum / checks.len() as f64)
}

/// The density component: min(n / (π R² / 10,000) / full, 1) for n dwellings within R metres
/// and `full` dwellings per hectare. Example: 392 dwellings within 250 m (19.635 ha) at
/// full = 25 gives 19.96 / 25 = 0.7986.
pub fn density_component(n: usize, radius_m: f64, full_per_ha: f64) -> f64 {
    let ha = std::f64::consts::PI * radius_m * radius_m / 10_000.0;
    (n as f64 / ha / full_per_ha).min(1.0)
}

/// The score, 0–100: 100 · Σ w_k c_k / Σ w_k over the components with a weight (a missing
/// component has weight 0 in `w`).
pub fn score(c: &Components, w: &SuggestWeights) -> f64 {
    let sum = c.spreading.unwrap_or(0.0) * w.spreading
        + c.distance_any * w.distance_any
        + c.distance_same * w.distance_same
        + c.facilities.unwrap_or(0.0) * w.facilities
        + c.density.unwrap_or(0.0) * w.density;
    100.0 * sum / w.sum()
}

/// The search's fixed parts ([`Prepared::new`]): the change's effect per area, the spreading
/// normalisation and the weights used; then [`Prepared::search`] assesses the candidates.
pub struct Prepared<'s, 'a> {
    scenario: &'s Scenario<'a>,
    request: Request<'s>,
    /// The change's effect per area (None where it cannot be computed).
    pub effects: Vec<Option<AreaEffect>>,
    /// f_a = 100 · fall of D_fs per area (the spreading component's input).
    pub spreading_fall: Vec<Option<f64>>,
    /// The least and largest f_a over the areas (the spreading normalisation).
    pub spreading_range: Option<(f64, f64)>,
    /// The weights the score used: the configured weights of the available components, the
    /// others 0 (see the module docs).
    pub weights: SuggestWeights,
    spreading: Vec<Option<f64>>,
    tree: Option<rstar::RTree<[f64; 2]>>,
}

impl<'s, 'a> Prepared<'s, 'a> {
    /// The spacing and score options of the search.
    pub fn options(&self) -> &SuggestConfig {
        self.request.options
    }

    /// Compute the change's effect in every area and the score's normalisation.
    pub fn new(
        scenario: &'s Scenario<'a>,
        request: Request<'s>,
        dwellings: Option<&Dwellings>,
    ) -> Self {
        let n = scenario.areas().len();
        let change = |area: usize| Change {
            name: format!("area {area}"),
            location: [f64::NAN, f64::NAN],
            units: request.units,
            group: request.group.to_string(),
            regular_units: 0.0,
            year: None,
        };
        let effects: Vec<Option<AreaEffect>> = (0..n)
            .into_par_iter()
            .map(|a| scenario.area_effect_in(a, &change(a)).ok())
            .collect();
        let fall: Vec<Option<f64>> = effects
            .iter()
            .map(|e| {
                let e = e.as_ref()?;
                let b = e.study_before.fair_share_dissimilarity?;
                let a = e.study_after.fair_share_dissimilarity?;
                Some(100.0 * (b - a))
            })
            .collect();
        let range = fall
            .iter()
            .flatten()
            .fold(None, |r: Option<(f64, f64)>, f| {
                Some(r.map_or((*f, *f), |(lo, hi)| (lo.min(*f), hi.max(*f))))
            });
        let spreading = fall
            .iter()
            .map(|f| {
                let (lo, hi) = range?;
                Some(match f {
                    Some(f) if hi > lo => (f - lo) / (hi - lo),
                    Some(_) => 1.0,
                    None => 0.0,
                })
            })
            .collect();
        let o = request.options;
        let has_requirements = !scenario
            .loaded
            .config
            .access
            .rings
            .for_group(request.group)
            .is_empty();
        let weights = SuggestWeights {
            spreading: if range.is_some() {
                o.weights.spreading
            } else {
                0.0
            },
            distance_any: o.weights.distance_any,
            distance_same: o.weights.distance_same,
            facilities: if scenario.facilities.is_some() && has_requirements {
                o.weights.facilities
            } else {
                0.0
            },
            density: if dwellings.is_some() {
                o.weights.density
            } else {
                0.0
            },
        };
        Self {
            scenario,
            request,
            effects,
            spreading_fall: fall,
            spreading_range: range,
            weights,
            spreading,
            tree: dwellings.map(|d| rstar::RTree::bulk_load(d.coords.clone())),
        }
    }

    /// Assess candidate `k`.
    fn assess(&self, k: usize, c: &Candidate) -> Assessed {
        let assessment = self.scenario.locate(c.location).ok().and_then(|area| {
            let effect = self.effects[area].as_ref()?;
            let change = Change {
                name: c
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("kandidaat {}", k + 1)),
                location: c.location,
                units: self.request.units,
                group: self.request.group.to_string(),
                regular_units: 0.0,
                year: None,
            };
            let facts = self.scenario.facts_at(c.location, self.request.group);
            let judged = self.scenario.judge(&change, effect, &facts);
            let o = self.request.options;
            let dwellings_nearby = self.tree.as_ref().map(|t| {
                t.locate_within_distance(c.location, o.density_radius_m * o.density_radius_m)
                    .count()
            });
            let full = |d: Option<f64>, full: f64| d.map_or(1.0, |d| (d / full).min(1.0));
            let components = Components {
                spreading: self.spreading[area],
                distance_any: full(facts.nearest_any_m, o.distance_any_full_m),
                distance_same: full(facts.nearest_same_m, o.distance_same_full_m),
                facilities: facts.facilities.as_deref().and_then(facilities_component),
                density: dwellings_nearby
                    .map(|n| density_component(n, o.density_radius_m, o.density_full_per_ha)),
            };
            Some(Assessment {
                area,
                verdict: judged.verdict,
                failed_rules: crate::policy::failed_rules(&judged.reasons)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                untested_rules: crate::policy::untested_rules(&judged.reasons)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                nearest_any_m: facts.nearest_any_m,
                nearest_same_m: facts.nearest_same_m,
                facilities_met: facts
                    .facilities
                    .as_ref()
                    .map(|f| (f.iter().filter(|r| r.passed).count(), f.len())),
                dwellings_nearby,
                score: score(&components, &self.weights),
                components,
            })
        });
        Assessed {
            candidate: k,
            location: c.location,
            assessment,
        }
    }

    /// One pass over the candidates: every block to `sink` (in input order), the best `cap`
    /// keys kept. Returns the kept keys in ranking order, whether any key was dropped, and
    /// the counts inside and outside.
    /// One pass over the candidates: every block to `sink` (in input order), the best `cap`
    /// keys of every area kept. Returns the kept keys in ranking order, the worst kept key
    /// of every area that had keys dropped, and the counts inside and outside.
    fn pass(
        &self,
        candidates: &[Candidate],
        cap: usize,
        progress: &dyn Progress,
        sink: &mut dyn FnMut(&[Assessed]),
    ) -> (Vec<Key>, Vec<Key>, usize, usize) {
        let mut heaps: Vec<BinaryHeap<Key>> = vec![BinaryHeap::new(); self.effects.len()];
        let mut dropped = vec![false; self.effects.len()];
        let (mut inside, mut outside) = (0, 0);
        for (b, block) in candidates.chunks(BLOCK).enumerate() {
            let assessed: Vec<Assessed> = block
                .par_iter()
                .enumerate()
                .map(|(j, c)| {
                    let a = self.assess(b * BLOCK + j, c);
                    progress.advance(1);
                    a
                })
                .collect();
            sink(&assessed);
            for a in &assessed {
                let Some(s) = &a.assessment else {
                    outside += 1;
                    continue;
                };
                inside += 1;
                let heap = &mut heaps[s.area];
                heap.push(Key {
                    verdict: verdict_rank(s.verdict),
                    score: s.score,
                    x: a.location[0],
                    y: a.location[1],
                    candidate: a.candidate,
                    area: s.area,
                });
                if heap.len() > cap {
                    heap.pop();
                    dropped[s.area] = true;
                }
            }
        }
        let truncated: Vec<Key> = heaps
            .iter()
            .zip(&dropped)
            .filter(|(_, d)| **d)
            .filter_map(|(h, _)| h.peek().copied())
            .collect();
        let mut keys: Vec<Key> = heaps.into_iter().flat_map(|h| h.into_vec()).collect();
        keys.sort_unstable();
        (keys, truncated, inside, outside)
    }

    /// Assess every candidate, hand them to `sink` block by block in input order, and return
    /// the K suggestions (see the module docs).
    pub fn search(
        &self,
        candidates: &[Candidate],
        progress: &dyn Progress,
        sink: &mut dyn FnMut(&[Assessed]),
    ) -> Search {
        self.search_from(candidates, HEAP_PER_AREA, progress, sink)
    }

    /// [`Prepared::search`] starting with heaps of `cap` keys (for testing the growth).
    #[cfg(test)]
    fn search_with_heap(
        &self,
        candidates: &[Candidate],
        cap: usize,
        sink: &mut dyn FnMut(&[Assessed]),
    ) -> Search {
        self.search_from(candidates, cap, &Silent, sink)
    }

    fn search_from(
        &self,
        candidates: &[Candidate],
        mut cap: usize,
        progress: &dyn Progress,
        sink: &mut dyn FnMut(&[Assessed]),
    ) -> Search {
        let o = self.request.options;
        let (top_k, spacing, per_area) = (self.request.top, o.min_spacing_m, o.max_per_area);
        progress.start(Stage::Candidates, candidates.len() as u64);
        let (mut keys, mut truncated, evaluated, outside) =
            self.pass(candidates, cap, progress, sink);
        progress.finish();
        let mut passes = 1;
        let mut picks = pick(&keys, top_k, spacing, per_area);
        while !exact(&picks, top_k, per_area, &truncated) {
            cap *= 4;
            passes += 1;
            (keys, truncated, _, _) = self.pass(candidates, cap, &Silent, &mut |_| {});
            picks = pick(&keys, top_k, spacing, per_area);
        }
        let top = picks
            .iter()
            .map(|key| self.assess(key.candidate, &candidates[key.candidate]))
            .collect();
        Search {
            top,
            evaluated,
            outside,
            passes,
        }
    }
}

/// Take keys in order, skipping one closer than `spacing` to a key already taken or in an
/// area that has `per_area` keys taken already (0: no limit), until `k` are taken. Whether a
/// key is taken depends only on the keys before it, so the picks from a prefix of the ranking
/// are the first picks from the whole ranking.
fn pick(keys: &[Key], k: usize, spacing: f64, per_area: usize) -> Vec<Key> {
    let mut taken: Vec<Key> = Vec::with_capacity(k);
    for key in keys {
        if taken.len() == k {
            break;
        }
        let far = taken
            .iter()
            .all(|t| (t.x - key.x).hypot(t.y - key.y) >= spacing);
        let room = per_area == 0 || taken.iter().filter(|t| t.area == key.area).count() < per_area;
        if far && room {
            taken.push(*key);
        }
    }
    taken
}

/// True when `picks` from the kept keys are the picks from all keys: for every area whose heap
/// dropped keys (`truncated`: its worst kept key), the area has its `per_area` picks, or K
/// picks were made and the K-th ranks before that key.
fn exact(picks: &[Key], k: usize, per_area: usize, truncated: &[Key]) -> bool {
    truncated.iter().all(|last| {
        let area_full =
            per_area > 0 && picks.iter().filter(|p| p.area == last.area).count() == per_area;
        let done_before = picks.len() == k && picks.last().is_some_and(|p| p <= last);
        area_full || done_before
    })
}

/// [`Prepared::search`] without progress, with every assessment returned in input order (for
/// tests, benches and small candidate sets).
pub fn search_all<'s, 'a>(
    scenario: &'s Scenario<'a>,
    candidates: &[Candidate],
    request: Request<'s>,
    dwellings: Option<&Dwellings>,
) -> (Prepared<'s, 'a>, Search, Vec<Assessed>) {
    let prepared = Prepared::new(scenario, request, dwellings);
    let mut all = Vec::with_capacity(candidates.len());
    let s = prepared.search(candidates, &Silent, &mut |b| all.extend_from_slice(b));
    (prepared, s, all)
}

/// Grid candidates: the centres of square cells of `cell` metres over the study area that lie
/// in an area with inhabitants and, when dwellings are given, contain at least one dwelling
/// (the residential part). Row by row from the south-west corner.
pub fn grid(scenario: &Scenario, dwellings: Option<&Dwellings>, cell: f64) -> Vec<Candidate> {
    use geo::BoundingRect;
    let areas = scenario.areas();
    let populated: Vec<bool> = areas
        .iter()
        .map(|a| a.value("population").unwrap_or(0.0) > 0.0)
        .collect();
    let mut bounds: Option<geo::Rect<f64>> = None;
    for (a, p) in areas.iter().zip(&populated) {
        if let (true, Some(r)) = (*p, a.geometry.bounding_rect()) {
            bounds = Some(match bounds {
                None => r,
                Some(b) => geo::Rect::new(
                    geo::coord! { x: b.min().x.min(r.min().x), y: b.min().y.min(r.min().y) },
                    geo::coord! { x: b.max().x.max(r.max().x), y: b.max().y.max(r.max().y) },
                ),
            });
        }
    }
    let Some(b) = bounds else {
        return Vec::new();
    };
    let (x0, y0) = (
        (b.min().x / cell).floor() * cell,
        (b.min().y / cell).floor() * cell,
    );
    let nx = ((b.max().x - x0) / cell).ceil() as usize;
    let ny = ((b.max().y - y0) / cell).ceil() as usize;
    let occupied: Option<std::collections::HashSet<(usize, usize)>> = dwellings.map(|d| {
        d.coords
            .iter()
            .filter(|p| p[0] >= x0 && p[1] >= y0)
            .map(|p| (((p[0] - x0) / cell) as usize, ((p[1] - y0) / cell) as usize))
            .collect()
    });
    let cells: Vec<(usize, usize)> = (0..ny)
        .flat_map(|j| (0..nx).map(move |i| (i, j)))
        .filter(|c| occupied.as_ref().is_none_or(|o| o.contains(c)))
        .collect();
    cells
        .par_iter()
        .filter_map(|(i, j)| {
            let p = [x0 + (*i as f64 + 0.5) * cell, y0 + (*j as f64 + 0.5) * cell];
            let area = scenario.locate(p).ok()?;
            populated[area].then_some(Candidate {
                location: p,
                label: None,
                address: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::pipeline;
    use crate::policy::Rules;
    use crate::scenario::tests::{baseline as tiny_town, fixture};

    fn at(x: f64, y: f64, label: &str) -> Candidate {
        Candidate {
            location: [x, y],
            label: Some(label.into()),
            address: None,
        }
    }

    fn request<'a>(options: &'a SuggestConfig, top: usize) -> Request<'a> {
        Request {
            units: 5.0,
            group: "beschermd_thuis",
            top,
            options,
        }
    }

    #[test]
    fn a_clearly_better_location_ranks_above_a_clearly_worse_one() {
        let (loaded, base) = tiny_town();
        let s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        // West (WK099903) has capacity and no care units; Oost (WK099901) is rood with 10 units,
        // and the candidate there sits next to the existing site.
        let candidates = vec![
            at(200_510.0, 500_500.0, "oost"),
            at(202_500.0, 500_200.0, "west"),
            at(250_000.0, 500_500.0, "buiten"),
        ];
        let options = SuggestConfig::default();
        let (prepared, found, all) = search_all(&s, &candidates, request(&options, 3), None);
        let order: Vec<usize> = found.top.iter().map(|a| a.candidate).collect();
        assert_eq!(order, vec![1, 0], "west first, buiten is outside");
        assert_eq!((found.evaluated, found.outside, found.passes), (2, 1, 1));
        assert_eq!(all.len(), 3);
        assert!(all[2].assessment.is_none());
        let oost = all[0].assessment.as_ref().unwrap();
        assert_eq!(oost.verdict, Verdict::PastNiet);
        // West: D_fs falls from 0.5 to about 0.25 (hand check: shares [0.5, 0.25, 0.25] against
        // [1000, 1000, 2005]/4005 = [0.2497, 0.2497, 0.5006]: ½(0.2503 + 0.0003 + 0.2506)),
        // the largest fall, so c_spreading = 1; Oost's fall is about 0, the smallest.
        let west = all[1].assessment.as_ref().unwrap();
        assert!(prepared.spreading_fall[west.area].unwrap() > 15.0);
        assert_eq!(west.components.spreading, Some(1.0));
        assert_eq!(oost.components.spreading, Some(0.0));
        // 10 m from Huis A: c_distance_any = 10 / 500.
        assert!((oost.components.distance_any - 0.02).abs() < 1e-12);
        // With progress: one item per candidate, the same result.
        let counter = crate::progress::Counter::new(1);
        struct Count<'a>(&'a crate::progress::Counter);
        impl crate::progress::Progress for Count<'_> {
            fn start(&self, stage: crate::progress::Stage, total: u64) {
                assert_eq!(stage, crate::progress::Stage::Candidates);
                self.0.start(total);
            }
            fn advance(&self, n: u64) {
                self.0.add(n);
            }
        }
        let with = prepared.search(&candidates, &Count(&counter), &mut |_| {});
        assert_eq!(counter.done(), 3);
        assert_eq!(with.top, found.top);
    }

    #[test]
    fn the_grid_covers_the_populated_areas_only() {
        let cfg = Config::for_areas(fixture("areas.geojson"));
        let loaded = pipeline::load(&cfg.validate().unwrap()).unwrap();
        let base = pipeline::analyse(&loaded);
        let s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        let g = grid(&s, None, 250.0);
        // 3 km × 1 km at 250 m: 12 × 4 cells, all inside the three wijken.
        assert_eq!(g.len(), 48);
        assert_eq!(g[0].location, [200_125.0, 500_125.0]);
        let d = Dwellings {
            skipped_features: Vec::new(),
            coords: vec![[200_100.0, 500_100.0], [202_900.0, 500_900.0]],
            tenure: None,
        };
        assert_eq!(grid(&s, Some(&d), 250.0).len(), 2);
    }

    #[test]
    fn within_a_wijk_the_location_decides() {
        let (loaded, base) = tiny_town();
        let s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        let candidates = vec![
            at(202_100.0, 500_100.0, "rand"),
            at(202_800.0, 500_800.0, "kern"),
        ];
        // 30 dwellings within 100 m of (202800, 500800), 2 within 50 m of the other one.
        let mut coords: Vec<[f64; 2]> =
            (0..30).map(|k| [202_700.0 + k as f64, 500_800.0]).collect();
        coords.extend([[202_100.0, 500_150.0], [202_150.0, 500_100.0]]);
        let d = Dwellings {
            coords,
            tenure: None,
            skipped_features: Vec::new(),
        };
        let options = SuggestConfig::default();
        let (prepared, found, all) = search_all(&s, &candidates, request(&options, 2), Some(&d));
        assert_eq!(found.top[0].candidate, 1, "the denser location first");
        let (rand, kern) = (
            all[0].assessment.as_ref().unwrap(),
            all[1].assessment.as_ref().unwrap(),
        );
        assert_eq!(
            (rand.dwellings_nearby, kern.dwellings_nearby),
            (Some(2), Some(30))
        );
        // Both more than 500 m from Huis B (721 m and 1,334 m) and no site of the group:
        // c_distance_any = c_distance_same = 1; no facilities layer, so the weights used are
        // 0.3 + 0.2 + 0.15 + 0.15 = 0.8 and the scores differ by the density only:
        // 100 · 0.15 · (30 − 2) / 19.635 ha / 25 / 0.8 = 1.0695.
        assert_eq!(prepared.weights.facilities, 0.0);
        assert_eq!(rand.components.distance_any, 1.0);
        assert_eq!(kern.components.distance_same, 1.0);
        let expected = 100.0 * 0.15 * 28.0 / (std::f64::consts::PI * 6.25) / 25.0 / 0.8;
        assert!((kern.score - rand.score - expected).abs() < 1e-9);
        assert!((expected - 1.0695).abs() < 1e-4);
    }

    #[test]
    fn the_score_is_the_documented_weighted_mean() {
        // The module docs' example.
        let checks = |d: f64, r: f64| crate::access::RequirementResult {
            label: "x".into(),
            passed: d <= r,
            nearest_m: Some(d),
            kind_used: None,
            facility: None,
            radius_m: r,
            absent_kinds: Vec::new(),
        };
        let facilities = facilities_component(&[checks(400.0, 500.0), checks(600.0, 400.0)]);
        assert_eq!(facilities, Some(0.75));
        let density = density_component(392, 250.0, 25.0);
        assert!((density - 0.798_58).abs() < 1e-5, "{density}");
        let c = Components {
            spreading: Some(1.0),
            distance_any: 300.0 / 500.0,
            distance_same: 1.0,
            facilities,
            density: Some(density),
        };
        let used = SuggestConfig::default().weights;
        assert!(
            (score(&c, &used) - 83.98).abs() < 0.005,
            "{}",
            score(&c, &used)
        );
        // A missing component: its weight is 0 and the rest is rescaled.
        let without = SuggestWeights {
            facilities: 0.0,
            ..used
        };
        let expected = 100.0 * (0.3 + 0.12 + 0.15 + 0.15 * density) / 0.8;
        assert!((score(&c, &without) - expected).abs() < 1e-9);
        // Beyond twice the ring, or nothing of the kind: 0; no requirements: no component.
        assert_eq!(facilities_component(&[checks(900.0, 400.0)]), Some(0.0));
        assert_eq!(facilities_component(&[]), None);
        assert_eq!(density_component(10_000, 250.0, 25.0), 1.0);
    }

    fn key(score: f64, x: f64, candidate: usize) -> Key {
        Key {
            verdict: 0,
            score,
            x,
            y: 0.0,
            candidate,
            area: 0,
        }
    }

    #[test]
    fn picks_keep_their_distance_and_follow_the_ranking() {
        // C (11) at −200, A (10) at 0, B (9) at 200: A lies within 250 m of C, B does not.
        let mut keys = vec![key(10.0, 0.0, 0), key(9.0, 200.0, 1), key(11.0, -200.0, 2)];
        keys.sort();
        let p = pick(&keys, 3, 250.0, 0);
        assert_eq!(
            p.iter().map(|k| k.candidate).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(pick(&keys, 3, 0.0, 0).len(), 3);
        // At most 2 per area: the third of area 0 is skipped, the key in area 1 taken.
        let mut four = keys.clone();
        four.push(Key {
            area: 1,
            ..key(1.0, 5_000.0, 3)
        });
        four.sort();
        let p = pick(&four, 4, 0.0, 2);
        assert_eq!(
            p.iter().map(|k| k.candidate).collect::<Vec<_>>(),
            vec![2, 0, 3]
        );
        // Ties: the lower x first, then the lower y, then the input order.
        let mut tied = [key(5.0, 10.0, 0), key(5.0, 5.0, 1), key(5.0, 5.0, 2)];
        tied.sort();
        assert_eq!(
            tied.iter().map(|k| k.candidate).collect::<Vec<_>>(),
            vec![1, 2, 0]
        );
        // A worse verdict never goes before a better one, whatever the score.
        let mut v = [
            Key {
                verdict: 1,
                ..key(99.0, 0.0, 0)
            },
            key(1.0, 0.0, 1),
        ];
        v.sort();
        assert_eq!(v[0].candidate, 1);
    }

    #[test]
    fn a_heap_too_small_for_the_spacing_grows_and_gives_the_same_picks() {
        let (loaded, base) = tiny_town();
        let s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        let candidates = grid(&s, None, 50.0);
        assert_eq!(candidates.len(), 1200);
        let options = SuggestConfig {
            min_spacing_m: 400.0,
            max_per_area: 0,
            ..SuggestConfig::default()
        };
        let prepared = Prepared::new(&s, request(&options, 6), None);
        let mut blocks = 0;
        let big = prepared.search(&candidates, &Silent, &mut |_| blocks += 1);
        assert_eq!((big.passes, blocks), (1, 1));
        // The same search with room for 8 keys per area: the 8 best of the best wijk lie within
        // 400 m of each other, so the search is repeated with 32, 128, … keys per area.
        let small = prepared.search_with_heap(&candidates, 8, &mut |_| {});
        assert!(small.passes > 1, "{}", small.passes);
        assert_eq!(small.top, big.top);
        assert_eq!(big.top.len(), 6);
        for (i, a) in big.top.iter().enumerate() {
            for b in &big.top[..i] {
                let d = (a.location[0] - b.location[0]).hypot(a.location[1] - b.location[1]);
                assert!(d >= 400.0, "{d}");
            }
        }
    }
}
