//! Search for sites: evaluate many candidate locations for N units of a group and rank them.
//!
//! Every candidate is tested as a separate what-if on the same baseline (in parallel; each
//! evaluation is independent, so the ranking does not depend on the thread count). The ranking
//! is lexicographic, so each position can be explained:
//!
//! 1. the verdict: *past* before *past onder voorwaarden* before *past niet*;
//! 2. the change in the fair-share dissimilarity of the whole study (the share of care units that
//!    would have to move for every area to hold its fair share): the more it falls, the better the
//!    spreading;
//! 3. the number of dwellings within 500 m, more first: within a wijk the spreading measures
//!    are equal, and a location in the residential core keeps residents close to neighbours and
//!    facilities (a proxy until facility rings are part of the verdict); without a dwellings
//!    layer this key is skipped;
//! 4. the receiving area's saldo after the change, higher first;
//! 5. the candidate's input order.
//!
//! The minimum distance to existing sites is one of the rules, so a location next to an
//! existing site drops to *past onder voorwaarden* at best.
//!
//! `score` in the output is −Δ fair-share dissimilarity × 100: percentage points of care units
//! that no longer need to move.

use rayon::prelude::*;

use super::{Change, Evaluation, Scenario};
use crate::model::Dwellings;
use crate::policy::Verdict;
use crate::progress::{Progress, Silent, Stage};

pub use crate::model::Candidate;

/// One evaluated candidate.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Index in the candidate list.
    pub candidate: usize,
    /// The evaluation (None when the candidate lies outside every area).
    pub evaluation: Option<Evaluation>,
    /// −Δ fair-share dissimilarity × 100 (percentage points), when defined.
    pub score: Option<f64>,
    /// 1 = best; candidates outside every area are not ranked.
    pub rank: Option<usize>,
    /// Dwellings within [`CORE_RADIUS_M`] of the candidate (None without a dwellings layer).
    pub dwellings_nearby: Option<usize>,
}

/// Radius of the "residential core" key of the ranking, metres.
pub const CORE_RADIUS_M: f64 = 500.0;

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
            })
        })
        .collect()
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::Past => 0,
        Verdict::PastOnderVoorwaarden => 1,
        Verdict::PastNiet => 2,
    }
}

/// Evaluate every candidate for `units` of `group` and rank them (see the module docs).
pub fn rank(
    scenario: &Scenario,
    candidates: &[Candidate],
    units: f64,
    group: &str,
    dwellings: Option<&Dwellings>,
) -> Vec<Scored> {
    rank_with_progress(scenario, candidates, units, group, dwellings, &Silent)
}

/// [`rank`], reporting one item per evaluated candidate to `progress` as
/// [`Stage::Candidates`]. The ranking is the same as [`rank`]'s.
pub fn rank_with_progress(
    scenario: &Scenario,
    candidates: &[Candidate],
    units: f64,
    group: &str,
    dwellings: Option<&Dwellings>,
    progress: &dyn Progress,
) -> Vec<Scored> {
    progress.start(Stage::Candidates, candidates.len() as u64);
    let tree = dwellings.map(|d| rstar::RTree::bulk_load(d.coords.clone()));
    let mut scored: Vec<Scored> = candidates
        .par_iter()
        .enumerate()
        .map(|(k, c)| {
            let change = Change {
                name: c
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("kandidaat {}", k + 1)),
                location: c.location,
                units,
                group: group.to_string(),
                regular_units: 0.0,
                year: None,
            };
            let evaluation = scenario.evaluate(&change).ok();
            let score = evaluation.as_ref().and_then(|e| {
                let b = e.study_before.fair_share_dissimilarity?;
                let a = e.study_after.fair_share_dissimilarity?;
                Some((b - a) * 100.0)
            });
            let dwellings_nearby = tree.as_ref().map(|t| {
                t.locate_within_distance(c.location, CORE_RADIUS_M * CORE_RADIUS_M)
                    .count()
            });
            progress.advance(1);
            Scored {
                candidate: k,
                evaluation,
                score,
                rank: None,
                dwellings_nearby,
            }
        })
        .collect();
    progress.finish();
    let mut order: Vec<usize> = (0..scored.len())
        .filter(|i| scored[*i].evaluation.is_some())
        .collect();
    let key = |s: &Scored| {
        let e = s.evaluation.as_ref().expect("filtered");
        (
            verdict_rank(e.verdict),
            -s.score.unwrap_or(f64::NEG_INFINITY),
            std::cmp::Reverse(s.dwellings_nearby.unwrap_or(0)),
            -e.after.saldo.unwrap_or(f64::NEG_INFINITY),
        )
    };
    order.sort_by(|a, b| {
        let (ka, kb) = (key(&scored[*a]), key(&scored[*b]));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(ka.2.cmp(&kb.2))
            .then(ka.3.total_cmp(&kb.3))
            .then(a.cmp(b))
    });
    for (r, i) in order.into_iter().enumerate() {
        scored[i].rank = Some(r + 1);
    }
    scored
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::pipeline;
    use crate::policy::Rules;
    use crate::scenario::tests::{fixture, with_sites};

    /// Labelled candidates at the given RD locations.
    fn candidates(list: &[([f64; 2], &str)]) -> Vec<Candidate> {
        list.iter()
            .map(|(location, label)| Candidate {
                location: *location,
                label: Some(label.to_string()),
            })
            .collect()
    }

    #[test]
    fn a_clearly_better_location_ranks_above_a_clearly_worse_one() {
        let (loaded, base) = with_sites(0);
        let s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        // West (WK099903) has capacity and no care units; Oost (WK099901) is rood with 10 units,
        // and the candidate there sits next to the existing site.
        let candidates = candidates(&[
            ([200_510.0, 500_500.0], "oost"),
            ([202_500.0, 500_200.0], "west"),
            ([250_000.0, 500_500.0], "buiten"),
        ]);
        let ranked = rank(&s, &candidates, 5.0, "beschermd_thuis", None);
        assert_eq!(ranked[1].rank, Some(1));
        assert_eq!(ranked[0].rank, Some(2));
        assert_eq!(ranked[2].rank, None);
        // With progress: one item per candidate, the same ranking.
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
        let with = rank_with_progress(
            &s,
            &candidates,
            5.0,
            "beschermd_thuis",
            None,
            &Count(&counter),
        );
        assert_eq!(counter.done(), 3);
        assert_eq!(
            with.iter().map(|x| (x.rank, x.score)).collect::<Vec<_>>(),
            ranked.iter().map(|x| (x.rank, x.score)).collect::<Vec<_>>()
        );
        // West: D_fs falls from 0.5 to about 0.25 (hand check: shares [0.5, 0.25, 0.25] against
        // [1000, 1000, 2005]/4005 = [0.2497, 0.2497, 0.5006]: ½(0.2503 + 0.0003 + 0.2506)). Oost: D_fs stays about 0.5 (West still has none).
        assert!(ranked[1].score.unwrap() > 15.0, "{:?}", ranked[1].score);
        assert!(
            ranked[0].score.unwrap().abs() < 0.1,
            "{:?}",
            ranked[0].score
        );
        assert_eq!(
            ranked[0].evaluation.as_ref().unwrap().verdict,
            Verdict::PastNiet
        );
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
    fn within_a_wijk_the_residential_core_ranks_first() {
        let (loaded, base) = with_sites(0);
        let s = Scenario::new(&loaded, &base, Rules::default(), 1.0);
        let candidates = candidates(&[
            ([202_100.0, 500_100.0], "rand"),
            ([202_800.0, 500_800.0], "kern"),
        ]);
        // 30 dwellings around (202800, 500800), 2 near the other candidate.
        let mut coords: Vec<[f64; 2]> =
            (0..30).map(|k| [202_700.0 + k as f64, 500_800.0]).collect();
        coords.extend([[202_100.0, 500_150.0], [202_150.0, 500_100.0]]);
        let d = Dwellings {
            coords,
            tenure: None,
            skipped_features: Vec::new(),
        };
        let ranked = rank(&s, &candidates, 5.0, "beschermd_thuis", Some(&d));
        assert_eq!(ranked[1].rank, Some(1));
        assert_eq!(ranked[1].dwellings_nearby, Some(30));
        assert_eq!(ranked[0].dwellings_nearby, Some(2));
        assert_eq!(
            ranked[0].score, ranked[1].score,
            "same wijk, same spreading effect"
        );
    }
}
