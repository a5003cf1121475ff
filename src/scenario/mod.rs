//! What-if: add or remove care units at a location and see what changes, with a verdict.
//!
//! A [`Scenario`] starts from the baseline analysis (its frozen normalisation, docs/METHOD.md
//! §2.4 and §2.6) and applies [`Change`]s in order. Each change adds (or removes) units of one
//! target group in the area that contains its location; the area's inhabitants change by
//! `occupancy_per_unit` per unit (default 1: residents of a care unit are registered
//! inhabitants). Raw values are recomputed and scored with the *frozen* μ/σ and typology
//! breaks, so only the receiving area's scores move. Study-level spreading metrics are
//! recomputed from the changed care units; nearest-site distances are measured against the
//! counted sites at that moment. The rules of [`crate::policy`] then give a verdict with reasons.
//!
//! This module never opens a file: the caller passes locations in the compute CRS.

pub mod allocate;
pub mod file;
pub mod suggest;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::assign::{AreaIndex, Location};
use crate::indicators::{
    self, care::CareTable, AreaScore, BalanceOptions, IndicatorStatus, Inputs, Signal,
};
use crate::model::{Area, ConceptValue, TargetGroup};
use crate::pipeline::{Loaded, Outcome};
use crate::policy::{self, Hotspot, Proposal, RuleResult, Rules, Verdict};
use crate::spread::{self, SpatialWeights, Transform};
use crate::table::nl;

/// One change to the care supply.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Name for reports.
    pub name: String,
    /// Location in the compute CRS.
    pub location: [f64; 2],
    /// Units added (> 0) or removed (< 0).
    pub units: f64,
    /// Target group id.
    pub group: String,
    /// Regular homes in the same project (reported only).
    pub regular_units: f64,
    /// Year of opening or closing, when known.
    pub year: Option<i32>,
}

/// Study-level spreading numbers compared before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StudyMetrics {
    /// Care units in the study.
    pub care_units: f64,
    /// Duncan's D of care units against inhabitants.
    pub dissimilarity: Option<f64>,
    /// Gini of care units against inhabitants.
    pub gini: Option<f64>,
    /// HHI of the shares of care units.
    pub hhi: Option<f64>,
    /// Share of care units that would have to move for every area to have its fair share.
    pub fair_share_dissimilarity: Option<f64>,
    /// Global Moran's I of care units per 1,000 inhabitants (Queen, row-standardised).
    pub morans_i: Option<f64>,
}

/// The state of one area for before/after tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaState {
    /// Inhabitants.
    pub population: f64,
    /// Care units (unweighted) of counted sites.
    pub care_units: f64,
    /// Units of the change's target group.
    pub group_units: f64,
    /// 1000 · care units / inhabitants.
    pub care_units_per_1000: Option<f64>,
    /// 1000 · group units / inhabitants.
    pub group_units_per_1000: Option<f64>,
    /// Fair-share ratio of care units against inhabitants.
    pub fair_share_ratio: Option<f64>,
    /// Draagkracht.
    pub draagkracht: Option<f64>,
    /// Draaglast.
    pub draaglast: Option<f64>,
    /// Saldo.
    pub saldo: Option<f64>,
    /// Signal.
    pub signal: Signal,
    /// Typology code, e.g. `K1-L3`.
    pub typology: Option<String>,
    /// Raw value and z-score per scored indicator id.
    pub indicators: BTreeMap<String, (Option<f64>, Option<f64>)>,
    /// The unclamped z, s·(v − μ)/σ, of every indicator whose z is clamped at ±`winsorise_at`
    /// here (docs/METHOD.md §2.4: the map uses the clamp, the outputs say so).
    pub clamped_z: BTreeMap<String, f64>,
    /// The saldo and signal with the care rate's z (DL7) not clamped, when the clamp cuts it:
    /// what the signal rule reads next to the map's signal ([`policy::AreaFacts::uncapped`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncapped: Option<policy::Uncapped>,
}

/// Totals of a parent level (gemeente, gebied, …) of the receiving area, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentChange {
    /// Level name.
    pub level: String,
    /// Code of the parent.
    pub code: String,
    /// Inhabitants before.
    pub population_before: f64,
    /// Inhabitants after.
    pub population_after: f64,
    /// Care units before.
    pub care_units_before: f64,
    /// Care units after.
    pub care_units_after: f64,
}

/// The result of applying one change: its effect on the receiving area and the study, judged
/// at its location. The same two parts `suggest` ranks candidates by.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The change.
    pub change: Change,
    /// Its effect on the receiving area (before and after), the study and the parent levels
    /// ([`Scenario::area_effect`]).
    pub effect: AreaEffect,
    /// The location's facts, the rule outcomes and the verdict ([`Scenario::judge`]).
    pub judged: Judged,
    /// What the blocks rest on; the fragile ones say why ([`indicators::block_basis`]).
    pub block_basis: Vec<indicators::BlockBasis>,
    /// The clamp c of the z-scores (`winsorise_at`), for the note on clamped values.
    pub winsorise_at: f64,
    /// The location lies on the receiving area's boundary ([`Location::Border`]): it counts for
    /// that area (the first by code), and a point a few metres away may fall in a
    /// neighbour, with another verdict; the text says so.
    pub on_border: bool,
    /// Whether the study counts the care that is already there (it has a sites layer).
    /// Without one the care units before the change, and every number made of them (per
    /// 1,000, the fair-share ratio, the study's spreading), are unknown, and the documents
    /// write them so, not as 0 (`report::whatif`); the change itself is known.
    pub care_known: bool,
}

/// The largest number of places [`Scenario::what_fits`] tries at one location.
pub const WHAT_FITS_MAX: u64 = 500;

/// How many other areas "what would fit" names where the requested number passes.
const NEAREST_AREAS: usize = 3;

/// Another area where the requested number passes by the area rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearbyArea {
    /// Area index.
    pub area: usize,
    /// Distance from the location to the area's boundary (0 inside), metres.
    pub distance_m: f64,
    /// The verdict of the area rules there.
    pub verdict: Verdict,
}

/// What would fit instead of a proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatFits {
    /// The largest number of places (≤ [`WHAT_FITS_MAX`]) that gets *past* here; `None` when
    /// not even 1 does.
    pub largest_past: Option<u64>,
    /// The largest that is not *past niet* here.
    pub largest_not_refused: Option<u64>,
    /// Up to three other areas where the requested number passes by the area rules: *past*
    /// before *past onder voorwaarden*, then nearest first.
    pub nearest_areas: Vec<NearbyArea>,
}

/// The effect of a change on its receiving area and on the study: the same wherever in the
/// area the units go ([`Scenario::area_effect`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaEffect {
    /// The receiving area's index.
    pub area: usize,
    /// Its state before the change.
    pub before: AreaState,
    /// Its state after the change.
    pub after: AreaState,
    /// Study metrics before the change.
    pub study_before: StudyMetrics,
    /// Study metrics after the change.
    pub study_after: StudyMetrics,
    /// The receiving area's parent levels, before and after.
    pub parents: Vec<ParentChange>,
}

/// What a location brings to the rules ([`Scenario::facts_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct LocationFacts {
    /// Distance to the nearest counted site of any group, metres (None without sites).
    pub nearest_any_m: Option<f64>,
    /// Distance to the nearest counted site of the same group, metres.
    pub nearest_same_m: Option<f64>,
    /// The target group's facility rings at the location (None without a facilities layer).
    pub facilities: Option<Vec<crate::access::RequirementResult>>,
}

/// The rules and the verdict of a change at its location ([`Scenario::judge`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// The location's facts the rules used.
    pub facts: LocationFacts,
    /// Rule outcomes.
    pub reasons: Vec<RuleResult>,
    /// The verdict.
    pub verdict: Verdict,
}

/// The areas of a scenario other than one, nearest to a point first (distance to the polygon,
/// 0 inside; ties by index), measured as they are asked for: an area's exact distance is
/// computed only once no area can be nearer by its bounding box. The order is the one of
/// sorting every area by its exact distance (tested in `what_fits`'s tests), at the cost of
/// the few dozen areas a search reads instead of all (on a national study the 3,340 exact
/// distances took most of a click). Written by hand: rstar's nearest-neighbour iterator
/// orders by the distance to an envelope or needs the areas in a tree of their own geometry,
/// and the order here must be by exact distance with ties by index.
struct NearestFirst<'s, 'a> {
    scenario: &'s Scenario<'a>,
    point: geo::Point<f64>,
    /// (lower bound of the distance, area), by lower bound then area.
    bounds: Vec<(f64, usize)>,
    /// The next entry of `bounds` to measure.
    next: usize,
    /// (exact distance, area) of the areas measured and not yet returned.
    measured: Vec<(f64, usize)>,
}

impl<'s, 'a> NearestFirst<'s, 'a> {
    fn new(scenario: &'s Scenario<'a>, point: geo::Point<f64>, except: usize) -> Self {
        let (x, y) = (point.x(), point.y());
        let mut bounds: Vec<(f64, usize)> = (0..scenario.areas.len())
            .filter(|i| *i != except)
            .map(|i| {
                let b = scenario.index.bounding_box(i);
                // 0 inside the box, and for an empty polygon (NaN box, measured first).
                let dx = (b[0] - x).max(x - b[2]).max(0.0);
                let dy = (b[1] - y).max(y - b[3]).max(0.0);
                // Shrunk a little, so that rounding in the exact distance can never put an
                // area below its bound.
                let bound = (dx.hypot(dy) * (1.0 - 1e-9) - 1e-6).max(0.0);
                (bound, i)
            })
            .collect();
        bounds.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Self {
            scenario,
            point,
            bounds,
            next: 0,
            measured: Vec::new(),
        }
    }
}

impl Iterator for NearestFirst<'_, '_> {
    type Item = (f64, usize);

    fn next(&mut self) -> Option<(f64, usize)> {
        use geo::{Distance, Euclidean};
        let rank = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        loop {
            let nearest = self.measured.iter().copied().min_by(rank);
            // Every area not measured yet is at least its bound away: once the nearest
            // measured one is strictly nearer than the next bound, it comes first.
            match (nearest, self.bounds.get(self.next)) {
                (Some(m), Some(b)) if m.0 < b.0 => {}
                (None, None) => return None,
                (_, Some(&(_, i))) => {
                    let d = Euclidean.distance(&self.point, &self.scenario.areas[i].geometry);
                    self.measured.push((d, i));
                    self.next += 1;
                    continue;
                }
                (Some(_), None) => {}
            }
            let m = nearest.expect("measured");
            let k = self.measured.iter().position(|x| *x == m).expect("present");
            self.measured.swap_remove(k);
            return Some(m);
        }
    }
}

/// The receiving area after a change that is not kept ([`Scenario::after_in`]).
struct After {
    /// Its state.
    state: AreaState,
    /// The indicator statuses with its one value each.
    statuses: Vec<IndicatorStatus>,
    /// Its care units.
    units: f64,
    /// Its weighted care units.
    weighted: f64,
}

/// Why a change cannot be applied.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeError {
    /// The location lies in no area.
    Outside {
        /// Nearest area code and distance.
        nearest: Option<(String, f64)>,
    },
    /// The group is not configured.
    UnknownGroup(String),
    /// Units must be finite and not 0.
    BadUnits(f64),
    /// A removal of more units than the area holds for the group.
    RemovesTooMuch {
        /// Area code.
        area: String,
        /// Units there.
        present: f64,
    },
    /// A removal of more units than earlier changes added, in a study without a sites layer:
    /// what the area holds besides is unknown, not 0.
    RemovesUnknown {
        /// Area code.
        area: String,
        /// Units of the group that earlier changes added there.
        added: f64,
    },
}

/// A distance to the nearest area beyond which a point is not near the study at all (1,000 km,
/// more than the Netherlands is long): the message then gives no distance.
const FAR_M: f64 = 1_000_000.0;

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Farther than the Netherlands is long: the coordinates or their system are wrong,
            // and 300 digits of metres would say nothing more.
            Self::Outside {
                nearest: Some((code, d)),
            } if *d > FAR_M => write!(
                f,
                "het punt ligt buiten elke wijk; de dichtstbijzijnde is {code}, op meer dan {} km",
                nl(FAR_M / 1000.0, 0)
            ),
            Self::Outside {
                nearest: Some((code, d)),
            } => write!(
                f,
                "het punt ligt buiten elke wijk; de dichtstbijzijnde is {code} op {} m",
                nl(*d, 0)
            ),
            Self::Outside { nearest: None } => write!(f, "het punt ligt buiten elke wijk"),
            Self::UnknownGroup(g) => write!(f, "onbekende doelgroep '{g}'"),
            Self::BadUnits(u) => write!(
                f,
                "het aantal plaatsen moet een geheel getal anders dan 0 zijn, niet {}",
                nl(*u, 2)
            ),
            Self::RemovesTooMuch { area, present } => write!(
                f,
                "de verwijdering neemt meer plaatsen weg dan {area} voor deze doelgroep heeft ({})",
                crate::format::places(*present)
            ),
            Self::RemovesUnknown { area, added } => write!(
                f,
                "de verwijdering neemt plaatsen weg in {area}, maar er is geen zorglocatielaag, \
                 dus welke plaatsen er al zijn, is onbekend (eerdere wijzigingen voegden er {} \
                 toe voor deze doelgroep); geef --sites met de zorglocaties",
                crate::format::places(*added)
            ),
        }
    }
}

/// A what-if session on a baseline. Cloning is cheap apart from the per-area state: the index
/// and the weights are shared.
#[derive(Clone)]
pub struct Scenario<'a> {
    loaded: &'a Loaded,
    base: &'a Outcome,
    index: std::sync::Arc<AreaIndex>,
    weights: std::sync::Arc<SpatialWeights>,
    facilities: Option<std::sync::Arc<crate::access::FacilityIndex>>,
    opts: BalanceOptions,
    rules: Rules,
    occupancy: f64,
    /// Current areas (inhabitants change with occupancy).
    areas: Vec<Area>,
    /// Current care table.
    care: CareTable,
    /// Current counted site points with their group.
    sites: Vec<([f64; 2], String)>,
    /// The hot-spot statistic of every area in the baseline (analytic, seed-free).
    hotspots: std::sync::Arc<Vec<Hotspot>>,
    /// Current indicator statuses and scores.
    statuses: Vec<IndicatorStatus>,
    scores: Vec<AreaScore>,
}

impl<'a> Scenario<'a> {
    /// Start from the baseline.
    pub fn new(loaded: &'a Loaded, base: &'a Outcome, rules: Rules, occupancy: f64) -> Self {
        let cfg = &loaded.config;
        let areas = loaded.areas.clone();
        let index = AreaIndex::of_areas(&areas);
        let weights = SpatialWeights::contiguity(index.polygons(), spread::Contiguity::Queen, None);
        let n = areas.len();
        let care = base.care.clone().unwrap_or_else(|| CareTable {
            units: vec![0.0; n],
            weighted: vec![0.0; n],
            planned: vec![0.0; n],
            sites: vec![0; n],
            regular_units: vec![0.0; n],
            units_by_group: BTreeMap::new(),
        });
        let mut sites = Vec::new();
        if let Some(s) = &loaded.sites {
            for (site, idx) in s.iter().zip(&base.spread_sites) {
                if idx.is_some() {
                    sites.push((
                        [site.location.x, site.location.y],
                        site.target_group.clone(),
                    ));
                }
            }
        }
        let pops: Vec<f64> = areas
            .iter()
            .map(|a| a.value("population").unwrap_or(0.0))
            .collect();
        let mut hotspots = baseline_hotspots(&care.weighted, &pops, &weights, rules.hotspot_fdr);
        if loaded.sites.is_none() {
            // Without a sites layer the care units are unknown, not 0 (docs/METHOD.md §2.6).
            for h in hotspots.iter_mut().filter(|h| h.untested.is_some()) {
                h.untested = Some(NO_SITES_LAYER.to_string());
            }
        }
        Self {
            loaded,
            base,
            hotspots: std::sync::Arc::new(hotspots),
            index: std::sync::Arc::new(index),
            weights: std::sync::Arc::new(weights),
            facilities: loaded.facility_index.clone(),
            opts: BalanceOptions {
                normalisation: cfg.normalisation.clone(),
                signal: cfg.signal.clone(),
            },
            rules,
            occupancy,
            areas,
            care,
            sites,
            statuses: base.analysis.indicators.clone(),
            scores: base.analysis.areas.clone(),
        }
    }

    /// The area polygons (compute CRS), in area order.
    pub fn geometries(&self) -> &[geo::MultiPolygon<f64>] {
        self.index.polygons()
    }

    /// The current inhabitants of every area (0 where unknown), in area order.
    pub fn populations(&self) -> Vec<f64> {
        self.areas
            .iter()
            .map(|a| a.value("population").unwrap_or(0.0))
            .collect()
    }

    /// The current state of area `i` for group `group`.
    pub fn area_state(&self, i: usize, group: &str) -> AreaState {
        self.area_state_with(i, group, &self.populations())
    }

    /// [`Scenario::area_state`] with the current inhabitants `pops` read already.
    fn area_state_with(&self, i: usize, group: &str, pops: &[f64]) -> AreaState {
        // Without a sites layer the care already there is unknown, so is any share of it
        // (the units a scenario added are not all the care).
        let fair = self
            .care_known()
            .then(|| spread::fair_share_ratio(&self.care.weighted, pops).ok())
            .flatten()
            .and_then(|v| v[i]);
        let group_units = self.care.units_by_group.get(group).map_or(0.0, |v| v[i]);
        self.state_of(
            &self.areas[i],
            &self.statuses,
            i,
            &self.scores[i],
            (self.care.units[i], group_units),
            fair,
        )
    }

    /// The state of `area`, whose raw values are `values[j]` of `statuses` and whose score is
    /// `sc`, with `units` = (care units, group units) and fair-share ratio `fair`: the one
    /// place an [`AreaState`] is built, for the current state ([`Scenario::area_state`]) and
    /// for the state after a change that is not kept ([`Scenario::after_in`]).
    fn state_of(
        &self,
        area: &Area,
        statuses: &[IndicatorStatus],
        j: usize,
        sc: &AreaScore,
        units: (f64, f64),
        fair: Option<f64>,
    ) -> AreaState {
        let (units, group_units) = units;
        let pop = area.value("population").unwrap_or(0.0);
        let per_1000 = |u: f64| (pop > 0.0).then(|| 1000.0 * u / pop);
        let clamped_z = sc
            .beyond_clamp
            .iter()
            .map(|&(k, z)| (statuses[k].def.id.clone(), z))
            .collect();
        let indicators = statuses
            .iter()
            .enumerate()
            .filter(|(_, s)| s.scored())
            .map(|(k, s)| (s.def.id.clone(), (s.values[j].ok(), sc.z[k])))
            .collect();
        AreaState {
            population: pop,
            care_units: units,
            group_units,
            care_units_per_1000: per_1000(units),
            group_units_per_1000: per_1000(group_units),
            fair_share_ratio: fair,
            draagkracht: sc.draagkracht,
            draaglast: sc.draaglast,
            saldo: sc.saldo,
            signal: sc.signal,
            typology: sc.typology.map(|t| indicators::typology_label(t).0),
            indicators,
            clamped_z,
            uncapped: sc.uncapped,
        }
    }

    /// Study-level spreading numbers of the current state.
    pub fn study_metrics(&self) -> StudyMetrics {
        self.metrics_of(&self.care.units, &self.care.weighted, &self.populations())
    }

    /// The study metrics of care units `units` (weighted `x`) and inhabitants `t`, in area
    /// order: [`Scenario::study_metrics`] of any state, kept or not.
    fn metrics_of(&self, units: &[f64], x: &[f64], t: &[f64]) -> StudyMetrics {
        let rate: Vec<Option<f64>> = x
            .iter()
            .zip(t)
            .map(|(xi, ti)| (*ti > 0.0).then(|| 1000.0 * xi / ti))
            .collect();
        let keep: Vec<bool> = rate.iter().map(|r| r.is_some()).collect();
        let morans_i = if keep.iter().all(|k| *k) {
            let y: Vec<f64> = rate.iter().map(|r| r.expect("kept")).collect();
            spread::global_moran(&y, &self.weights, Transform::Row, 0, 0).i
        } else {
            let (w, idx) = self.weights.subset(&keep);
            let y: Vec<f64> = idx.iter().map(|i| rate[*i].expect("kept")).collect();
            spread::global_moran(&y, &w, Transform::Row, 0, 0).i
        };
        StudyMetrics {
            care_units: units.iter().sum(),
            dissimilarity: spread::dissimilarity(x, t).ok(),
            gini: spread::gini(x, t).ok(),
            hhi: spread::hhi(x).ok(),
            fair_share_dissimilarity: spread::fair_share_dissimilarity(x, t).ok(),
            morans_i,
        }
    }

    /// Inhabitants and care units of every parent of area `i`.
    fn parent_totals(&self, i: usize) -> Vec<(String, String, f64, f64)> {
        self.parent_totals_of(i, &self.populations(), &self.care.units)
    }

    /// [`Scenario::parent_totals`] with inhabitants `pops` and care units `units` per area.
    fn parent_totals_of(
        &self,
        i: usize,
        pops: &[f64],
        units_of: &[f64],
    ) -> Vec<(String, String, f64, f64)> {
        self.areas[i]
            .parents
            .iter()
            .map(|(level, code)| {
                let (mut pop, mut units) = (0.0, 0.0);
                for (k, a) in self.areas.iter().enumerate() {
                    if a.parents.get(level) == Some(code) {
                        pop += pops[k];
                        units += units_of[k];
                    }
                }
                (level.clone(), code.clone(), pop, units)
            })
            .collect()
    }

    fn nearest(&self, p: [f64; 2], group: &str) -> (Option<f64>, Option<f64>) {
        let mut any: Option<f64> = None;
        let mut same: Option<f64> = None;
        for (q, g) in &self.sites {
            let d = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
            any = Some(any.map_or(d, |a| a.min(d)));
            if g == group {
                same = Some(same.map_or(d, |a| a.min(d)));
            }
        }
        (any, same)
    }

    /// Whether the study counts the care already there: it has a sites layer
    /// ([`Evaluation::care_known`]).
    pub fn care_known(&self) -> bool {
        self.loaded.sites.is_some()
    }

    /// Locate a point (for callers that need the area before applying).
    pub fn locate(&self, p: [f64; 2]) -> Result<usize, ChangeError> {
        self.located(p).map(|(i, _)| i)
    }

    /// [`Scenario::locate`], and whether the point lies on the area's boundary
    /// ([`Location::Border`], for [`Evaluation::on_border`]): one lookup for both.
    fn located(&self, p: [f64; 2]) -> Result<(usize, bool), ChangeError> {
        match self.index.locate(p) {
            Location::Outside => Err(ChangeError::Outside {
                nearest: self
                    .index
                    .nearest(p)
                    .map(|(i, d)| (self.areas[i].code.clone(), d)),
            }),
            loc => Ok((
                loc.area().expect("inside"),
                matches!(loc, Location::Border(_)),
            )),
        }
    }

    /// Apply a change: update the state, and return the before/after evaluation with its
    /// verdict. The state keeps the change (later changes see it).
    ///
    /// The evaluation is the change's effect on its area ([`Scenario::area_effect`]: the
    /// receiving area and the study, the same anywhere in that area) judged at its location
    /// ([`Scenario::judge`]: nearest sites, facility rings, the rules and the verdict).
    /// `suggest` takes the same two steps, so its verdict for a candidate is this one.
    pub fn apply(&mut self, change: &Change) -> Result<Evaluation, ChangeError> {
        self.check_change(change)?;
        let (i, on_border) = self.located(change.location)?;
        let effect = self.change_area_in(i, change)?;
        // Judged against the sites before the change: a site is not its own neighbour.
        let judged = self.judge(
            change,
            &effect,
            &self.facts_at(change.location, &change.group),
        );
        let du = change.units;
        if du > 0.0 {
            self.sites.push((change.location, change.group.clone()));
        } else if effect.after.group_units == 0.0 {
            // A removal at a site's own location that empties it closes that site for the
            // distance rule.
            if let Some(k) = self
                .sites
                .iter()
                .position(|(q, g)| *q == change.location && *g == change.group)
            {
                self.sites.remove(k);
            }
        }
        Ok(self.evaluation(change, (effect, on_border), judged, &self.statuses))
    }

    /// The evaluation of `change` from its area effect (and whether the location lies on the
    /// area's boundary), its judgement and the indicator statuses after it (for the block
    /// basis).
    fn evaluation(
        &self,
        change: &Change,
        (effect, on_border): (AreaEffect, bool),
        judged: Judged,
        statuses: &[IndicatorStatus],
    ) -> Evaluation {
        Evaluation {
            change: change.clone(),
            effect,
            judged,
            block_basis: indicators::block_basis(statuses),
            winsorise_at: self.opts.normalisation.winsorise_at,
            on_border,
            care_known: self.care_known(),
        }
    }

    /// The effect of `change` on its receiving area and on the study, without keeping it: the
    /// part of an evaluation that does not depend on where in the area the units go.
    ///
    /// Computed without changing (or copying) the scenario: the scores are frozen-baseline
    /// scores, so the receiving area's score depends on its own values only, and the study
    /// figures (totals for the fair share, the study metrics, the parent totals) are computed
    /// on the area vectors with the receiving area's entry replaced. The same bits as
    /// [`Scenario::apply`] on a copy (tests/decisions.rs proves it for every wijk of Zwolle and
    /// Groningen), at a fraction of the cost on a national study (docs/METHOD.md §2.6).
    pub fn area_effect(&self, change: &Change) -> Result<AreaEffect, ChangeError> {
        self.check_change(change)?;
        let i = self.locate(change.location)?;
        self.area_effect_in(i, change)
    }

    /// [`Scenario::area_effect`] in area `area` (index in area order), for a caller that has
    /// located the change already (`change.location` is not looked at).
    pub fn area_effect_in(&self, area: usize, change: &Change) -> Result<AreaEffect, ChangeError> {
        self.effect_in(area, change).map(|(effect, _)| effect)
    }

    /// [`Scenario::area_effect_in`] and the indicator statuses of the receiving area after the
    /// change (one value per status, for the block basis).
    fn effect_in(
        &self,
        i: usize,
        change: &Change,
    ) -> Result<(AreaEffect, Vec<IndicatorStatus>), ChangeError> {
        let pops = self.populations();
        let after = self.after_in(i, change, &pops)?;
        let before = self.area_state_with(i, &change.group, &pops);
        let (units, weighted) = (&self.care.units, &self.care.weighted);
        let study_before = self.metrics_of(units, weighted, &pops);
        let parents_before = self.parent_totals_of(i, &pops, units);
        let replaced = |v: &[f64], x: f64| {
            let mut v = v.to_vec();
            v[i] = x;
            v
        };
        let units_after = replaced(units, after.units);
        let weighted_after = replaced(weighted, after.weighted);
        let pops_after = replaced(&pops, after.state.population);
        let study_after = self.metrics_of(&units_after, &weighted_after, &pops_after);
        let parents = parent_changes(
            parents_before,
            self.parent_totals_of(i, &pops_after, &units_after),
        );
        let effect = AreaEffect {
            area: i,
            before,
            after: after.state,
            study_before,
            study_after,
            parents,
        };
        Ok((effect, after.statuses))
    }

    /// The state of area `i` after `change` (validated as [`Scenario::change_area_in`] does),
    /// without keeping it: the area with its new inhabitants, its raw values recomputed and
    /// scored against the frozen baseline by [`indicators::rescore_area`] (what
    /// [`indicators::rescore`] gives this area), and its fair-share ratio from the study totals
    /// with its own entry replaced. `pops` are the
    /// current inhabitants ([`Scenario::populations`]), which a caller that tries many changes
    /// reads once. Everything runs in the calling thread: handing a single area to the thread
    /// pool costs more than scoring it, and much more on a busy machine.
    fn after_in(&self, i: usize, change: &Change, pops: &[f64]) -> Result<After, ChangeError> {
        let present = self.present_units(i, change)?;
        let groups: &[TargetGroup] = &self.loaded.config.target_group;
        let du = change.units;
        let units = self.care.units[i] + du;
        let group_units = present + du;
        let weighted = indicators::care::weighted_units_with(
            &self.care.units_by_group,
            groups,
            i,
            Some((&change.group, group_units)),
        );
        let mut area = self.areas[i].clone();
        let pop = area.value("population").unwrap_or(0.0);
        area.values.insert(
            "population".to_string(),
            ConceptValue {
                value: Some((pop + self.occupancy * du).max(0.0)),
                suppressed: false,
            },
        );
        let one = [weighted];
        let inputs = Inputs {
            concepts_present: self.loaded.columns.keys().map(|k| k.to_string()).collect(),
            care_units: Some(&one),
        };
        let (statuses, score) = indicators::rescore_area(
            i,
            &area,
            &self.base.analysis.indicators,
            &self.base.analysis.baseline,
            &inputs,
            &self.opts,
        );
        let mut pops = pops.to_vec();
        pops[i] = area.value("population").unwrap_or(0.0);
        let mut care = self.care.weighted.clone();
        care[i] = weighted;
        let fair = self
            .care_known()
            .then(|| spread::fair_share_ratio(&care, &pops).ok())
            .flatten()
            .and_then(|v| v[i]);
        let state = self.state_of(&area, &statuses, 0, &score, (units, group_units), fair);
        Ok(After {
            state,
            statuses,
            units,
            weighted,
        })
    }

    /// What a location brings to the rules, measured on the current state (before a change
    /// there): the distance to the nearest counted site of any group and of `group`, and the
    /// facility rings of `group` (only with a facilities layer).
    pub fn facts_at(&self, location: [f64; 2], group: &str) -> LocationFacts {
        let (nearest_any_m, nearest_same_m) = self.nearest(location, group);
        let facilities = self.facilities.as_ref().map(|fi| {
            let reqs = self.loaded.config.access.rings.for_group(group);
            crate::access::check(fi, location, reqs)
        });
        LocationFacts {
            nearest_any_m,
            nearest_same_m,
            facilities,
        }
    }

    /// The rules and the verdict of `change`, given its area effect and the facts of its
    /// location ([`Scenario::facts_at`] on the state before the change). The one place a
    /// verdict is made: [`Scenario::apply`] (test-site, scenario) and `suggest` both call it.
    pub fn judge(&self, change: &Change, effect: &AreaEffect, facts: &LocationFacts) -> Judged {
        self.judge_states(change, effect.area, (&effect.before, &effect.after), facts)
    }

    /// [`Scenario::judge`] from area `area`'s states before and after the change (all the area
    /// effect the rules look at).
    fn judge_states(
        &self,
        change: &Change,
        area: usize,
        states: (&AreaState, &AreaState),
        facts: &LocationFacts,
    ) -> Judged {
        let judgement = policy::judge(
            &self.rules,
            &Proposal {
                group: &change.group,
                units: change.units,
                before: Self::facts(states.0),
                after: Self::facts(states.1),
                nearest_any_m: facts.nearest_any_m,
                sites_layer: self.loaded.sites.is_some(),
                hotspot: &self.hotspots[area],
                access: self.access_facts(facts, &change.group),
            },
        );
        Judged {
            facts: facts.clone(),
            reasons: judgement.reasons,
            verdict: judgement.verdict,
        }
    }

    /// The checks of a change that do not depend on its area.
    fn check_change(&self, change: &Change) -> Result<(), ChangeError> {
        let groups: &[TargetGroup] = &self.loaded.config.target_group;
        if !groups.iter().any(|g| g.id == change.group) {
            return Err(ChangeError::UnknownGroup(change.group.clone()));
        }
        if !change.units.is_finite() || change.units == 0.0 || change.units.fract() != 0.0 {
            return Err(ChangeError::BadUnits(change.units));
        }
        Ok(())
    }

    /// The units of the change's group in area `i` now, once the change is checked
    /// ([`Scenario::check_change`]) and, for a removal, found to take no more than that.
    fn present_units(&self, i: usize, change: &Change) -> Result<f64, ChangeError> {
        self.check_change(change)?;
        let present = self
            .care
            .units_by_group
            .get(&change.group)
            .map_or(0.0, |v| v[i]);
        if change.units < 0.0 && present + change.units < 0.0 {
            let area = self.areas[i].code.clone();
            return Err(if self.care_known() {
                ChangeError::RemovesTooMuch { area, present }
            } else {
                ChangeError::RemovesUnknown {
                    area,
                    added: present,
                }
            });
        }
        Ok(present)
    }

    /// Update area `i`, which receives the validated `change`: its care units and scores (not
    /// the site list, see [`Scenario::apply`]); return the area effect.
    fn change_area_in(&mut self, i: usize, change: &Change) -> Result<AreaEffect, ChangeError> {
        self.present_units(i, change)?;
        let groups: &[TargetGroup] = &self.loaded.config.target_group;
        let n = self.areas.len();
        let before = self.area_state(i, &change.group);
        let study_before = self.study_metrics();
        let parents_before = self.parent_totals(i);

        // Update the state.
        let du = change.units;
        self.care.units[i] += du;
        self.care
            .units_by_group
            .entry(change.group.clone())
            .or_insert_with(|| vec![0.0; n])[i] += du;
        // From the per-group sums, as in the baseline: adding and then removing units returns
        // to the same bits whatever the weights.
        self.care.weighted[i] =
            indicators::care::weighted_units(&self.care.units_by_group, groups, i);
        if du > 0.0 {
            self.care.sites[i] += 1;
            self.care.regular_units[i] += change.regular_units;
        }
        let pop = self.areas[i].value("population").unwrap_or(0.0);
        self.areas[i].values.insert(
            "population".to_string(),
            ConceptValue {
                value: Some((pop + self.occupancy * du).max(0.0)),
                suppressed: false,
            },
        );
        let inputs = Inputs {
            concepts_present: self.loaded.columns.keys().map(|k| k.to_string()).collect(),
            care_units: Some(&self.care.weighted),
        };
        let (statuses, scores) = indicators::rescore(
            &self.areas,
            &self.base.analysis.indicators,
            &self.base.analysis.baseline,
            &inputs,
            &self.opts,
        );
        self.statuses = statuses;
        self.scores = scores;

        let after = self.area_state(i, &change.group);
        let study_after = self.study_metrics();
        let parents = parent_changes(parents_before, self.parent_totals(i));
        Ok(AreaEffect {
            area: i,
            before,
            after,
            study_before,
            study_after,
            parents,
        })
    }

    /// The facts of area state `s` that the policy judges.
    fn facts(s: &AreaState) -> policy::AreaFacts {
        policy::AreaFacts {
            signal: s.signal,
            saldo: s.saldo,
            typology: s.typology.clone(),
            fair_share_ratio: s.fair_share_ratio,
            group_per_1000: s.group_units_per_1000,
            uncapped: s.uncapped,
            inhabited: s.population > 0.0,
        }
    }

    /// The facility check at the location (rings hemelsbreed, or over de weg when the index
    /// has a walking network); without a facilities layer, for a `group` that needs
    /// facilities, the check "niet getoetst" naming what it would look for; `None` when the
    /// group needs none.
    fn access_facts(&self, facts: &LocationFacts, group: &str) -> Option<policy::AccessFacts> {
        let Some(fi) = self.facilities.as_ref() else {
            let needs = self.loaded.config.access.rings.for_group(group);
            let labels: Vec<String> = needs
                .iter()
                .map(|q| format!("{} ({} m)", q.label, nl(q.radius_m, 0)))
                .collect();
            return (!labels.is_empty()).then(|| policy::AccessFacts {
                tested: false,
                checks: serde_json::Value::Null,
                passed: true,
                summary: format!(
                    "Niet getoetst: er is geen voorzieningenlaag (geef --facilities); {group} \
                     vraagt binnen bereik: {}.",
                    labels.join(", ")
                ),
            });
        };
        let checks = facts.facilities.as_ref()?;
        let parts: Vec<String> = checks
            .iter()
            .map(|c| {
                format!(
                    "{} {} ({}, ring {} m)",
                    c.label,
                    if c.passed { "✓" } else { "✗" },
                    c.nearest_m
                        .map_or("geen".to_string(), |d| format!("{} m", nl(d, 0))),
                    nl(c.radius_m, 0)
                )
            })
            .collect();
        Some(policy::AccessFacts {
            tested: true,
            checks: serde_json::to_value(checks).unwrap_or(serde_json::Value::Null),
            passed: crate::access::rings_ok(checks),
            summary: format!(
                "Voorzieningen {} vanaf de locatie: {}.",
                fi.distance_label(),
                parts.join("; ")
            ),
        })
    }

    /// The hot-spot statistic of area `i` in the baseline (the same for every change).
    pub fn hotspot(&self, i: usize) -> &Hotspot {
        &self.hotspots[i]
    }

    /// A change of `k` places of `group` at a point inside area `i` (the area matters, not the
    /// point, for the wijk rules); `None` when the polygon has no interior point.
    pub fn change_in_area(&self, i: usize, group: &str, k: u64) -> Option<Change> {
        use geo::InteriorPoint;
        let p = self.areas[i].geometry.interior_point()?;
        Some(Change {
            name: "toewijzing".into(),
            location: [p.x(), p.y()],
            units: k as f64,
            group: group.to_string(),
            regular_units: 0.0,
            year: None,
        })
    }

    /// How many places of `group` area `i` can take by the policy, at most `upper`: the largest
    /// k ≤ `upper` for which no rule of [`policy::allocation_blocker`] fails after k places at a
    /// point inside the area, and the rule that fails at k + 1 (`None` when k = `upper` > 0).
    /// An area without inhabitants takes none (limit 0, no rule).
    ///
    /// Binary search ([`allocate::largest_fitting`]): the area rules only get worse as places are
    /// added (the frozen normalisation makes the care rate's z, the draaglast and the ratios
    /// rise), so the answer is exact for them; at most 1 + ⌈log₂(upper + 1)⌉ evaluations.
    pub fn allocation_limit(
        &self,
        i: usize,
        group: &str,
        upper: u64,
        opts: policy::AllocationRules,
    ) -> (u64, Option<RuleResult>) {
        let pop = self.areas[i].value("population").unwrap_or(0.0);
        if pop <= 0.0 {
            return (0, None);
        }
        let blocker = |k: u64| -> Option<RuleResult> {
            let change = self.change_in_area(i, group, k)?;
            match self.evaluate(&change) {
                Ok(e) => policy::allocation_blocker(&e.judged.reasons, opts).cloned(),
                Err(_) => None,
            }
        };
        let cap = allocate::largest_fitting(upper, |k| k == 0 || blocker(k).is_none()).unwrap_or(0);
        // With `upper` 0 (`--per-area-max 0`) a rule that refuses even 1 place is named before
        // the flag: the wijk would get none without it either.
        let rule = (cap < upper || cap == 0)
            .then(|| blocker(cap + 1))
            .flatten();
        (cap, rule)
    }

    /// Allocate `places` places of `group` by the policy: every area's limit from
    /// [`Scenario::allocation_limit`] (and `per_area_max`), then [`allocate::apportion`] in the
    /// tie order of [`allocate::tie_order`] (lowest current rate, highest saldo, code), or,
    /// for [`allocate::Objective::MinMaxRate`], the greedy of [`allocate::allocate`] on the
    /// places that fit. `progress` is called once per area while the limits are searched.
    /// [`allocate::AllocationError::CareUnknown`] without a sites layer. docs/METHOD.md §2.8.
    pub fn allocate_places(
        &self,
        group: &str,
        places: u64,
        per_area_max: Option<u64>,
        rules: policy::AllocationRules,
        objective: allocate::Objective,
        progress: &dyn Fn(),
    ) -> Result<allocate::Plan, allocate::AllocationError> {
        if !self.care_known() {
            return Err(allocate::AllocationError::CareUnknown);
        }
        let n = self.areas.len();
        let upper = per_area_max.unwrap_or(places).min(places);
        let mut caps = Vec::with_capacity(n);
        let mut limits = Vec::with_capacity(n);
        for i in 0..n {
            progress();
            let (cap, rule) = self.allocation_limit(i, group, upper, rules);
            let pop = self.areas[i].value("population").unwrap_or(0.0);
            limits.push(match rule {
                Some(r) => allocate::Limit::Rule(Box::new(r)),
                None if pop <= 0.0 => allocate::Limit::NoInhabitants,
                None if upper < places => allocate::Limit::PerAreaMax,
                None => allocate::Limit::None,
            });
            caps.push(cap);
        }
        let current = &self.care.weighted;
        let pops: Vec<f64> = self.populations();
        let rate: Vec<Option<f64>> = (0..n)
            .map(|i| (pops[i] > 0.0).then(|| 1000.0 * current[i] / pops[i]))
            .collect();
        let saldo: Vec<Option<f64>> = self.scores.iter().map(|s| s.saldo).collect();
        let codes: Vec<String> = self.areas.iter().map(|a| a.code.clone()).collect();
        let priority = allocate::tie_order(&rate, &saldo, &codes);
        let mut apportionment = allocate::apportion(current, &pops, &caps, places, &priority);
        if objective == allocate::Objective::MinMaxRate {
            let caps_opt: Vec<Option<u64>> = caps.iter().map(|c| Some(*c)).collect();
            let greedy = allocate::allocate(&allocate::AllocationInput {
                current,
                reference: &pops,
                caps: &caps_opt,
                places: places - apportionment.shortfall,
                objective,
            })?;
            // The greedy gives whole places and no quota: each area's basis is its limit when
            // it stopped there, else the lowest rate; the apportionment's rounding played no
            // part.
            for (i, &a) in greedy.added.iter().enumerate() {
                apportionment.quota[i] = a as f64;
                apportionment.tie_decided[i] = false;
                apportionment.basis[i] = if caps[i] == 0 || pops[i] <= 0.0 {
                    allocate::Basis::None
                } else if a == caps[i] && caps[i] < places {
                    allocate::Basis::Cap
                } else {
                    allocate::Basis::LowestRate
                };
            }
            apportionment.added = greedy.added;
        }
        Ok(allocate::Plan {
            caps,
            limits,
            apportionment,
        })
    }

    /// What would fit instead of `change` (an addition): the largest number of places of its
    /// group that still gets *past* at its location (and the largest that is not *past niet*),
    /// searched up to [`WHAT_FITS_MAX`], and the nearest other areas where the requested number
    /// passes by the area rules (signal, fair share, norm, typology, hot spot; the location
    /// rules depend on the site chosen there). docs/METHOD.md §2.6, "What would fit".
    pub fn what_fits(&self, change: &Change) -> Result<WhatFits, ChangeError> {
        let here = self.locate(change.location)?;
        let with = |k: u64, at: [f64; 2]| Change {
            units: k as f64,
            location: at,
            ..change.clone()
        };
        // The location's facts and the area's state before: the same for every number tried,
        // so measured once; each number then costs one [`Scenario::after_in`] and the rules.
        let facts = self.facts_at(change.location, &change.group);
        let pops = self.populations();
        let before = self.area_state_with(here, &change.group, &pops);
        let verdict_at = |k: u64| -> Option<Verdict> {
            let c = with(k, change.location);
            let after = self.after_in(here, &c, &pops).ok()?;
            Some(
                self.judge_states(&c, here, (&before, &after.state), &facts)
                    .verdict,
            )
        };
        let largest = |ok: &dyn Fn(Verdict) -> bool| {
            allocate::largest_fitting(WHAT_FITS_MAX, |k| k == 0 || verdict_at(k).is_some_and(ok))
                .filter(|k| *k > 0)
        };
        let largest_past = largest(&|v| v == Verdict::Past);
        let largest_not_refused = largest(&|v| v != Verdict::PastNiet);
        let n = change.units.max(0.0);
        let p = geo::Point::new(change.location[0], change.location[1]);
        use geo::InteriorPoint;
        // The other areas nearest first (ties by index). The three kept rank by verdict, then
        // distance, then index, so once three areas got *past* no farther area can rank above
        // them: the search stops there, with the same answer as testing every area (a national
        // study tests a few dozen wijken instead of all 3,340).
        let order = NearestFirst::new(self, p, here);
        // The area rules (policy::Scope::Wijk) do not look at the location's facts, so these
        // wijken are judged without measuring any: the rules of the change at the wijk's
        // interior point, from its states before and after.
        let no_facts = LocationFacts {
            nearest_any_m: None,
            nearest_same_m: None,
            facilities: None,
        };
        let mut others: Vec<(f64, usize, Verdict)> = Vec::new();
        let mut passed = 0;
        for (distance, i) in order {
            if passed == NEAREST_AREAS {
                break;
            }
            let Some(inside) = self.areas[i].geometry.interior_point() else {
                continue;
            };
            let c = with(n as u64, [inside.x(), inside.y()]);
            let Ok(j) = self.check_change(&c).and_then(|()| self.locate(c.location)) else {
                continue;
            };
            let Ok(after) = self.after_in(j, &c, &pops) else {
                continue;
            };
            let before = self.area_state_with(j, &c.group, &pops);
            let judged = self.judge_states(&c, j, (&before, &after.state), &no_facts);
            let area_rules: Vec<RuleResult> = judged
                .reasons
                .into_iter()
                .filter(|r| r.scope == policy::Scope::Wijk)
                .collect();
            let v = policy::verdict(&area_rules);
            if v != Verdict::PastNiet {
                others.push((distance, i, v));
                passed += usize::from(v == Verdict::Past);
            }
        }
        others.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.total_cmp(&b.0)).then(a.1.cmp(&b.1)));
        others.truncate(NEAREST_AREAS);
        Ok(WhatFits {
            largest_past,
            largest_not_refused,
            nearest_areas: others
                .into_iter()
                .map(|(d, i, v)| NearbyArea {
                    area: i,
                    distance_m: d,
                    verdict: v,
                })
                .collect(),
        })
    }

    /// Evaluate a change without keeping it (for ranking many candidates): the evaluation
    /// [`Scenario::apply`] gives on a copy, from [`Scenario::area_effect`] (no copy, no
    /// rescoring of the other areas) judged at the location.
    pub fn evaluate(&self, change: &Change) -> Result<Evaluation, ChangeError> {
        self.check_change(change)?;
        let (i, on_border) = self.located(change.location)?;
        let (effect, statuses) = self.effect_in(i, change)?;
        let judged = self.judge(
            change,
            &effect,
            &self.facts_at(change.location, &change.group),
        );
        Ok(self.evaluation(change, (effect, on_border), judged, &statuses))
    }

    /// The current state of every area (group figures for `group`).
    pub fn all_states(&self, group: &str) -> Vec<AreaState> {
        (0..self.areas.len())
            .map(|i| self.area_state(i, group))
            .collect()
    }

    /// The current care table.
    pub fn care(&self) -> &CareTable {
        &self.care
    }

    /// The current scores per area.
    pub fn scores(&self) -> &[AreaScore] {
        &self.scores
    }

    /// The areas in their current state.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }
}

/// The parent totals of an area before and after a change, as [`ParentChange`]s
/// ([`Scenario::parent_totals`]: level, code, inhabitants, care units).
fn parent_changes(
    before: Vec<(String, String, f64, f64)>,
    after: Vec<(String, String, f64, f64)>,
) -> Vec<ParentChange> {
    before
        .into_iter()
        .zip(after)
        .map(|(b, a)| ParentChange {
            level: b.0,
            code: b.1,
            population_before: b.2,
            population_after: a.2,
            care_units_before: b.3,
            care_units_after: a.3,
        })
        .collect()
}

/// Why a rule about the care already there is not tested in a study without a sites layer.
pub const NO_SITES_LAYER: &str =
    "er is geen zorglocatielaag (geef --sites), dus hoeveel zorg er al is, is onbekend";

/// The hot-spot statistic of every area: Gi* (binary weights, the area its own neighbour) of
/// care units per 1,000 inhabitants, analytic z and one-tailed normal p, over the areas with
/// inhabitants, with the Benjamini–Hochberg threshold at rate `fdr` (docs/METHOD.md §2.6).
/// No permutations: the result does not depend on the seed.
fn baseline_hotspots(
    units: &[f64],
    pops: &[f64],
    weights: &SpatialWeights,
    fdr: f64,
) -> Vec<Hotspot> {
    let n = units.len();
    let keep: Vec<bool> = pops.iter().map(|p| *p > 0.0).collect();
    let (w, idx) = weights.subset(&keep);
    let y: Vec<f64> = idx.iter().map(|&i| 1000.0 * units[i] / pops[i]).collect();
    let gi = spread::local_g(&y, &w, true, Transform::Binary, 0, 0);
    let (mut z, mut p) = (vec![None; n], vec![None; n]);
    let mut why: Vec<Option<String>> = keep
        .iter()
        .map(|k| (!k).then(|| "de wijk heeft geen inwoners".to_string()))
        .collect();
    for (g, &i) in gi.iter().zip(&idx) {
        z[i] = g.z;
        p[i] = g.p_norm;
        if g.z.is_none() || g.p_norm.is_none() {
            why[i] = Some(if units.iter().all(|u| *u == 0.0) {
                "er zijn geen zorgeenheden".to_string()
            } else {
                "Gi* is voor deze wijk niet gedefinieerd (geen buren, of buur van alle andere wijken)".to_string()
            });
        }
    }
    policy::hotspots(&z, &p, &why, fdr)
}

#[cfg(test)]
mod tests;
