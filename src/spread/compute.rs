//! The steps of [`super::compute`], one function per metric family.

use std::collections::BTreeMap;

use geo::MultiPolygon;

use std::sync::atomic::{AtomicU64, Ordering};

use super::clark_evans::{clark_evans_from_nearest, ClarkEvans, Window};
use super::getis_ord::{global_g_with, local_g_with, GlobalG, LocalG, LocalGTest};
use super::lisa::{local_moran_with, LocalMoran, LocalMoranTest};
use super::metric_set::MetricFamily;
use super::moran::{global_moran_with, GlobalMoran};
use super::nearest_neighbour::{nearest_neighbour_distances, nearest_same_group_distances};
use super::permutation::{conditional_randomisation_many, LocalTest};
use super::result::{
    AreaSpreading, AtkinsonValue, ClarkEvansSummary, GroupFairShare, LocalSpreading, MoransI,
    Multigroup, SiteSpreading, SpreadResult, StudySpreading, WeightsSummary, WindowSource,
};
use super::undefined::{Scalar, Undefined};
use super::weights::{SpatialWeights, Transform};
use super::{SpreadInput, SpreadOptions, REST_GROUP};
use crate::progress::{Progress, Stage};

/// Runs the requested families in a fixed order, reporting the permutation tests to
/// `progress` (see [`permutation_items`]).
pub(super) fn run(
    input: &SpreadInput,
    opts: &SpreadOptions,
    progress: &dyn Progress,
) -> SpreadResult {
    check_lengths(input);
    let wanted = |family| opts.metrics.contains(family);
    let mut study = not_requested(input, opts);
    let mut per_area = vec![AreaSpreading::default(); input.reference.len()];
    let mut per_site = vec![SiteSpreading::default(); input.sites.len()];

    if wanted(MetricFamily::FairShare) {
        match input.care_units {
            Some(c) => fair_share(c, input, &mut study, &mut per_area),
            None => fair_share_unknown(&mut study, &mut per_area),
        }
    }
    let spatial = [
        MetricFamily::Segregation,
        MetricFamily::Moran,
        MetricFamily::Lisa,
        MetricFamily::GetisOrd,
    ];
    if spatial.into_iter().any(wanted) {
        let weights = SpatialWeights::contiguity(input.geometries, opts.contiguity, None);
        study.weights = Some(WeightsSummary::new(&weights, opts.contiguity));
        if wanted(MetricFamily::Segregation) {
            match input.care_units {
                Some(x) => segregation(x, input, opts, &weights, &mut study),
                None => segregation_unknown(&mut study),
            }
        }
        // Without care units every area's rate is unknown for that reason.
        let no_rate = match input.care_units {
            Some(_) => Undefined::MissingValue,
            None => Undefined::CareUnknown,
        };
        let rate = Subset::new(input.rate, &weights, no_rate);
        let saldo = Subset::new(input.saldo, &weights, Undefined::MissingValue);
        let total = permutation_items(opts, rate.values.len(), saldo.values.len());
        if total > 0 {
            progress.start(Stage::Permutations, total);
        }
        let p = progress;
        let care_known = input.care_units.is_some();
        if wanted(MetricFamily::Moran) {
            study.morans_i = MoransI {
                care_units_per_1000: if care_known {
                    rate.global_moran(opts, p)
                } else {
                    GlobalMoran::undefined(Undefined::CareUnknown, 0, opts.draws())
                },
                saldo: saldo.global_moran(opts, p),
            };
        }
        if wanted(MetricFamily::GetisOrd) {
            study.getis_ord_g = if care_known {
                rate.global_g(opts, p)
            } else {
                GlobalG::undefined(Undefined::CareUnknown, 0, opts.draws())
            };
        }
        let (lisa, gi) = (wanted(MetricFamily::Lisa), wanted(MetricFamily::GetisOrd));
        for (subset, slots) in [(&rate, &RATE), (&saldo, &SALDO)] {
            let (lm, gs) = subset.local_tests(opts, p, lisa, gi);
            if let Some(lm) = lm {
                let reason = |lm: &LocalMoran| lm.undefined_reason.clone();
                subset.scatter(lm, &mut per_area, slots.lisa_key, reason, |area, lm| {
                    let r = (slots.record)(area);
                    (r.local_moran_i, r.lisa_quadrant, r.lisa_p, r.lisa_label) =
                        lisa_fields(&lm, opts.alpha);
                });
            }
            if let Some(gs) = gs {
                let reason = |gi: &LocalG| gi.undefined_reason.clone();
                subset.scatter(gs, &mut per_area, slots.gi_key, reason, |area, gi| {
                    let r = (slots.record)(area);
                    (r.gi_star, r.gi_star_z, r.gi_star_p, r.gi_star_p_norm) =
                        (gi.g.value, gi.z, gi.sim.p_sim, gi.p_norm);
                });
            }
        }
        if total > 0 {
            progress.finish();
        }
    }
    if wanted(MetricFamily::NearestNeighbour) {
        nearest_neighbour(input, &mut study, &mut per_site);
    }
    SpreadResult {
        study,
        per_area,
        per_site,
    }
}

/// Items of the permutation tests that `opts` asks for, with `rate_n` and `saldo_n` areas where
/// the rate and the saldo are defined: one item is one area in one permutation, so a global test
/// and a local test on n areas are both n · permutations items (about the same work each).
/// Global Moran's I on the rate and the saldo, LISA on both, global G on the rate, Gi* on both.
fn permutation_items(opts: &SpreadOptions, rate_n: usize, saldo_n: usize) -> u64 {
    let wanted = |family| opts.metrics.contains(family);
    let (r, s) = (rate_n as u64, saldo_n as u64);
    let mut areas = 0;
    if wanted(MetricFamily::Moran) {
        areas += r + s;
    }
    if wanted(MetricFamily::Lisa) {
        areas += r + s;
    }
    if wanted(MetricFamily::GetisOrd) {
        areas += 2 * r + s;
    }
    areas * opts.permutations as u64
}

/// Runs one permutation test that reports to `progress`, then reports whatever part of its
/// `items` it did not report itself (a test that is undefined stops before it permutes), so
/// that the stage always ends at its total.
fn counted<T>(progress: &dyn Progress, items: u64, test: impl FnOnce(&dyn Progress) -> T) -> T {
    let scoped = Scoped {
        inner: progress,
        done: AtomicU64::new(0),
    };
    let result = test(&scoped);
    let rest = items.saturating_sub(scoped.done.load(Ordering::Relaxed));
    if rest > 0 {
        progress.advance(rest);
    }
    result
}

/// Forwards reports and counts them.
struct Scoped<'a> {
    inner: &'a dyn Progress,
    done: AtomicU64,
}

impl Progress for Scoped<'_> {
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
        self.inner.advance(n);
    }
}

/// Panics with a clear message when the per-area slices differ in length.
fn check_lengths(input: &SpreadInput) {
    let n = input.reference.len();
    let lengths = [
        ("geometries", input.geometries.len()),
        ("care_units", input.care_units.map_or(n, <[f64]>::len)),
        ("rate", input.rate.len()),
        ("saldo", input.saldo.len()),
    ];
    for (name, len) in lengths {
        assert_eq!(len, n, "{name} has {len} areas, reference has {n}");
    }
    for (group, units) in input.units_by_group {
        assert_eq!(
            units.len(),
            n,
            "group {group} has {} areas, reference has {n}",
            units.len()
        );
    }
}

/// The study record with every family marked "not requested".
fn not_requested(input: &SpreadInput, opts: &SpreadOptions) -> StudySpreading {
    let none = || Scalar::undefined(Undefined::NotRequested);
    let moran = || GlobalMoran::undefined(Undefined::NotRequested, 0, opts.draws());
    StudySpreading {
        metrics: opts.metrics.families().collect(),
        dissimilarity: none(),
        gini: none(),
        theil_h: none(),
        isolation: none(),
        exposure: none(),
        correlation_ratio: none(),
        atkinson: AtkinsonValue {
            value: None,
            b: opts.atkinson_b,
            undefined_reason: Some(Undefined::NotRequested),
        },
        spatial_dissimilarity: none(),
        hhi: none(),
        hhi_normalised: none(),
        effective_areas: none(),
        fair_share_dissimilarity: none(),
        multigroup: Multigroup {
            dissimilarity: none(),
            information_theory_h: none(),
            groups: Vec::new(),
        },
        morans_i: MoransI {
            care_units_per_1000: moran(),
            saldo: moran(),
        },
        getis_ord_g: GlobalG::undefined(Undefined::NotRequested, 0, opts.draws()),
        clark_evans: ClarkEvansSummary {
            window_source: None,
            statistic: ClarkEvans::undefined(Undefined::NotRequested, input.sites.len()),
        },
        weights: None,
    }
}

/// The fair-share family when the care units are unknown: every value undefined for that
/// reason.
fn fair_share_unknown(study: &mut StudySpreading, per_area: &mut [AreaSpreading]) {
    for area in per_area.iter_mut() {
        for key in ["fair_share_ratio", "fair_share_gap"] {
            area.undefined_reasons.insert(key, Undefined::CareUnknown);
        }
    }
    for scalar in [
        &mut study.hhi,
        &mut study.hhi_normalised,
        &mut study.effective_areas,
        &mut study.fair_share_dissimilarity,
    ] {
        *scalar = Scalar::undefined(Undefined::CareUnknown);
    }
}

/// Fair share per area and per group of the care units `c`, and the concentration indices.
fn fair_share(
    c: &[f64],
    input: &SpreadInput,
    study: &mut StudySpreading,
    per_area: &mut [AreaSpreading],
) {
    let a = input.reference;
    for (area, share) in per_area.iter_mut().zip(area_fair_shares(c, a)) {
        area.fair_share_ratio = share.ratio;
        area.fair_share_gap = share.gap;
        if let Some(reason) = share.ratio_reason {
            area.undefined_reasons.insert("fair_share_ratio", reason);
        }
        if let Some(reason) = share.gap_reason {
            area.undefined_reasons.insert("fair_share_gap", reason);
        }
    }
    for (group, units) in input.units_by_group {
        for (area, share) in per_area.iter_mut().zip(area_fair_shares(units, a)) {
            let group_share = GroupFairShare {
                ratio: share.ratio,
                gap: share.gap,
                undefined_reason: share.ratio_reason.or(share.gap_reason),
            };
            area.fair_share_by_group.insert(group.clone(), group_share);
        }
    }
    study.hhi = super::hhi(c).into();
    study.hhi_normalised = super::hhi_normalised(c).into();
    study.effective_areas = super::effective_areas(c).into();
    study.fair_share_dissimilarity = super::fair_share_dissimilarity(c, a).into();
}

/// Ratio and gap of one area, each with its reason when undefined.
struct AreaShare {
    ratio: Option<f64>,
    gap: Option<f64>,
    ratio_reason: Option<Undefined>,
    gap_reason: Option<Undefined>,
}

fn area_fair_shares(c: &[f64], a: &[f64]) -> Vec<AreaShare> {
    let ratios = super::fair_share_ratio(c, a);
    let gaps = super::fair_share_gap(c, a);
    (0..c.len())
        .map(|i| {
            let ratio = match &ratios {
                Ok(r) => r[i].ok_or(Undefined::AreaWithoutReference),
                Err(reason) => Err(reason.clone()),
            };
            let gap = match &gaps {
                Ok(g) => Ok(g[i]),
                Err(reason) => Err(reason.clone()),
            };
            AreaShare {
                ratio: ratio.as_ref().ok().copied(),
                gap: gap.as_ref().ok().copied(),
                ratio_reason: ratio.err(),
                gap_reason: gap.err(),
            }
        })
        .collect()
}

/// The segregation family when the care units are unknown: every index undefined for that
/// reason.
fn segregation_unknown(study: &mut StudySpreading) {
    let unknown = || Scalar::undefined(Undefined::CareUnknown);
    for scalar in [
        &mut study.dissimilarity,
        &mut study.gini,
        &mut study.theil_h,
        &mut study.isolation,
        &mut study.exposure,
        &mut study.correlation_ratio,
        &mut study.spatial_dissimilarity,
    ] {
        *scalar = unknown();
    }
    study.atkinson.undefined_reason = Some(Undefined::CareUnknown);
    study.multigroup.dissimilarity = unknown();
    study.multigroup.information_theory_h = unknown();
}

/// The single-group, spatial and multigroup segregation indices of the care units `x`.
fn segregation(
    x: &[f64],
    input: &SpreadInput,
    opts: &SpreadOptions,
    weights: &SpatialWeights,
    study: &mut StudySpreading,
) {
    let t = input.reference;
    study.dissimilarity = super::dissimilarity(x, t).into();
    study.gini = super::gini(x, t).into();
    study.theil_h = super::theil_h(x, t).into();
    study.isolation = super::isolation(x, t).into();
    study.exposure = super::exposure(x, t).into();
    study.correlation_ratio = super::correlation_ratio(x, t).into();
    let atkinson = Scalar::from(super::atkinson(x, t, opts.atkinson_b));
    study.atkinson = AtkinsonValue {
        value: atkinson.value,
        b: opts.atkinson_b,
        undefined_reason: atkinson.undefined_reason,
    };
    study.spatial_dissimilarity =
        super::spatial_dissimilarity(x, t, weights, Transform::Binary).into();
    study.multigroup = multigroup(input);
}

/// Multigroup indices over the target groups plus the rest of the reference population.
fn multigroup(input: &SpreadInput) -> Multigroup {
    let mut groups: Vec<String> = input.units_by_group.keys().cloned().collect();
    let undefined = |reason: Undefined, groups: Vec<String>| Multigroup {
        dissimilarity: Scalar::undefined(reason.clone()),
        information_theory_h: Scalar::undefined(reason),
        groups,
    };
    if groups.is_empty() {
        return undefined(Undefined::NoGroups, groups);
    }
    if input.units_by_group.contains_key(REST_GROUP) {
        return undefined(Undefined::ReservedGroupName { name: REST_GROUP }, groups);
    }
    let rest: Vec<f64> = (0..input.reference.len())
        .map(|i| {
            let units: f64 = input.units_by_group.values().map(|u| u[i]).sum();
            input.reference[i] - units
        })
        .collect();
    groups.push(REST_GROUP.to_string());
    if let Some(area) = rest.iter().position(|r| *r < 0.0) {
        let x = input.reference[area] - rest[area];
        let t = input.reference[area];
        return undefined(Undefined::CareExceedsReference { area, x, t }, groups);
    }
    let mut columns: Vec<&[f64]> = input.units_by_group.values().map(Vec::as_slice).collect();
    columns.push(&rest);
    Multigroup {
        dissimilarity: super::multi_dissimilarity(&columns).into(),
        information_theory_h: super::multi_information_theory(&columns).into(),
        groups,
    }
}

/// One area value (rate or saldo) restricted to the areas where it is defined.
struct Subset {
    weights: SpatialWeights,
    /// Original index of every kept area.
    areas: Vec<usize>,
    values: Vec<f64>,
    /// Why each dropped area was dropped (input area order).
    dropped: BTreeMap<usize, Undefined>,
}

impl Subset {
    /// The areas of `values` with a finite value; an area without one is dropped with the
    /// reason `missing`.
    fn new(values: &[Option<f64>], weights: &SpatialWeights, missing: Undefined) -> Self {
        let mut dropped = BTreeMap::new();
        let keep: Vec<bool> = values
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Some(v) if v.is_finite() => true,
                Some(_) => {
                    dropped.insert(i, Undefined::NotFinite { index: i });
                    false
                }
                None => {
                    dropped.insert(i, missing.clone());
                    false
                }
            })
            .collect();
        let (weights, areas) = weights.subset(&keep);
        let values = areas
            .iter()
            .map(|&i| values[i].unwrap_or_default())
            .collect();
        Subset {
            weights,
            areas,
            values,
            dropped,
        }
    }

    /// Items of one permutation test on this subset.
    fn items(&self, opts: &SpreadOptions) -> u64 {
        self.values.len() as u64 * opts.permutations as u64
    }

    fn global_moran(&self, opts: &SpreadOptions, progress: &dyn Progress) -> GlobalMoran {
        let mut moran = counted(progress, self.items(opts), |p| {
            global_moran_with(&self.values, &self.weights, Transform::Row, opts.draws(), p)
        });
        moran.undefined_reason = self.in_original_order(moran.undefined_reason);
        moran
    }

    fn global_g(&self, opts: &SpreadOptions, progress: &dyn Progress) -> GlobalG {
        let mut g = counted(progress, self.items(opts), |p| {
            global_g_with(&self.values, &self.weights, opts.draws(), p)
        });
        g.undefined_reason = self.in_original_order(g.undefined_reason);
        g
    }

    /// A reason about a subset area, with the area's index in input order.
    fn in_original_order(&self, reason: Option<Undefined>) -> Option<Undefined> {
        reason.map(|r| r.in_original_order(&self.areas))
    }

    /// Local Moran (row-standardised) and Gi* (binary) on this subset, each when asked. With
    /// both, one set of conditional draws serves the two: each gets exactly the draws it would
    /// get on its own (same seed, same draw matrix), so the results are the same, and the
    /// random numbers are drawn once instead of twice.
    fn local_tests(
        &self,
        opts: &SpreadOptions,
        progress: &dyn Progress,
        lisa: bool,
        gi: bool,
    ) -> (Option<Vec<LocalMoran>>, Option<Vec<LocalG>>) {
        let (values, w, draws) = (&self.values, &self.weights, opts.draws());
        let (perms, seed) = (draws.permutations, draws.seed);
        let moran = |p: &dyn Progress| local_moran_with(values, w, Transform::Row, draws, p);
        let gi_star = |p: &dyn Progress| local_g_with(values, w, true, Transform::Binary, draws, p);
        let items = self.items(opts);
        match (lisa, gi) {
            (false, false) => (None, None),
            (true, false) => (Some(counted(progress, items, moran)), None),
            (false, true) => (None, Some(counted(progress, items, gi_star))),
            (true, true) => counted(progress, 2 * items, |p| {
                match (
                    LocalMoranTest::new(values, w, Transform::Row, perms),
                    LocalGTest::new(values, w, true, Transform::Binary, perms),
                ) {
                    (Ok(m), Ok(g)) => {
                        debug_assert_eq!(m.sizes(), g.sizes());
                        let (lm, gs) = conditional_randomisation_many(
                            [m.values(), g.values()],
                            m.sizes(),
                            perms,
                            seed,
                            |i, [a, b]| (m.finish(i, a), g.finish(i, b)),
                            p,
                        )
                        .into_iter()
                        .unzip();
                        (Some(lm), Some(gs))
                    }
                    // One of them is undefined throughout: each on its own.
                    _ => (Some(moran(p)), Some(gi_star(p))),
                }
            }),
        }
    }

    /// Writes per-area results back to input area order, with a reason under `key` for every
    /// dropped area and every result that has one.
    fn scatter<T>(
        &self,
        results: Vec<T>,
        per_area: &mut [AreaSpreading],
        key: &'static str,
        reason: impl Fn(&T) -> Option<Undefined>,
        fill: impl Fn(&mut AreaSpreading, T),
    ) {
        for (&i, why) in &self.dropped {
            per_area[i].undefined_reasons.insert(key, why.clone());
        }
        for (&i, result) in self.areas.iter().zip(results) {
            if let Some(why) = self.in_original_order(reason(&result)) {
                per_area[i].undefined_reasons.insert(key, why);
            }
            fill(&mut per_area[i], result);
        }
    }
}

/// I, quadrant code, p_sim and label of a local Moran result.
type LisaFields = (Option<f64>, Option<u8>, Option<f64>, Option<&'static str>);

/// Where the local statistics of one area value go in [`AreaSpreading`]: the keys of their
/// reasons, and the record they fill.
struct LocalSlots {
    lisa_key: &'static str,
    gi_key: &'static str,
    record: fn(&mut AreaSpreading) -> &mut LocalSpreading,
}

/// The local statistics of the care rate.
const RATE: LocalSlots = LocalSlots {
    lisa_key: "lisa",
    gi_key: "gi_star",
    record: |a| &mut a.rate,
};

/// The local statistics of the saldo.
const SALDO: LocalSlots = LocalSlots {
    lisa_key: "saldo_lisa",
    gi_key: "saldo_gi_star",
    record: |a| &mut a.saldo,
};

/// [`LisaFields`] of a local Moran result.
fn lisa_fields(lm: &LocalMoran, alpha: f64) -> LisaFields {
    (
        lm.i,
        lm.quadrant.map(|q| q.code()),
        lm.sim.p_sim,
        lm.label(alpha),
    )
}

/// Nearest-neighbour distances per site and Clark–Evans R.
fn nearest_neighbour(
    input: &SpreadInput,
    study: &mut StudySpreading,
    per_site: &mut [SiteSpreading],
) {
    let points: Vec<[f64; 2]> = input.sites.iter().map(|s| [s.x, s.y]).collect();
    let any = nearest_neighbour_distances(&points);
    let same = nearest_same_group_distances(input.sites);
    for ((site, any), same) in per_site.iter_mut().zip(&any).zip(same) {
        match any {
            Ok(d) => site.nn_any_m = Some(*d),
            Err(reason) => {
                site.undefined_reasons.insert("nn_any_m", reason.clone());
            }
        }
        match same {
            Ok(d) => site.nn_same_group_m = Some(d),
            Err(reason) => {
                site.undefined_reasons.insert("nn_same_group_m", reason);
            }
        }
    }
    // Without a sites layer the sites are unknown, not too few: Clark–Evans says so, without
    // building its window (on all of the Netherlands, the union of 3,340 wijken).
    if input.care_units.is_none() {
        let source = match input.window {
            Some(_) => WindowSource::Given,
            None => WindowSource::PopulatedAreas,
        };
        study.clark_evans = ClarkEvansSummary {
            window_source: Some(source),
            statistic: ClarkEvans::undefined(Undefined::CareUnknown, input.sites.len()),
        };
        return;
    }
    let (window, source) = match input.window {
        Some(window) => (Window::of(window), WindowSource::Given),
        None => {
            let populated: Vec<&MultiPolygon<f64>> = input
                .geometries
                .iter()
                .zip(input.reference)
                .filter(|(_, t)| **t > 0.0)
                .map(|(g, _)| g)
                .collect();
            (Window::union_of(&populated), WindowSource::PopulatedAreas)
        }
    };
    study.clark_evans = ClarkEvansSummary {
        window_source: Some(source),
        statistic: clark_evans_from_nearest(&any, window),
    };
}
