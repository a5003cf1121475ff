//! Draagkracht/draaglast indicators per area: raw values, normalisation, blocks and signals.
//!
//! The pipeline is [`raw_values`] → [`fit_params`] (μ, σ per indicator) and the typology breaks,
//! together the frozen [`Baseline`] → [`score`]. [`analyse`] runs all of it. A what-if recomputes raw values and calls [`score`] with the *same*
//! baseline, so only the areas whose inputs changed move (docs/METHOD.md §2.4).
//!
//! This module never opens a file and knows no column names: it reads concept ids from
//! [`Area::values`](crate::model::Area).

pub mod balance;
pub mod care;
pub mod definition;
pub mod normalise;
pub mod raw;
pub mod skip;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use balance::{Signal, SignalThresholds};
pub use definition::{default_indicators, Block, Direction, IndicatorDef, Source};
pub use normalise::{NormalisationOptions, Params, Reference};
pub use raw::{raw_values, raw_values_here, IndicatorStatus, Inputs, Missing};
pub use skip::{MissingSource, Skip};

use crate::model::Area;

/// Typology breaks (tertiles of the block scores) of one reference set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypologyBreaks {
    /// [q(1/3), q(2/3)] of draagkracht, `None` with fewer than 3 scored areas.
    pub draagkracht: Option<[f64; 2]>,
    /// [q(1/3), q(2/3)] of draaglast.
    pub draaglast: Option<[f64; 2]>,
}

/// The frozen baseline: normalisation parameters and typology breaks, per reference set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Indicator id → reference-set key → (μ, σ).
    pub params: BTreeMap<String, BTreeMap<String, Params>>,
    /// Reference-set key → typology breaks.
    pub typology: BTreeMap<String, TypologyBreaks>,
}

impl IndicatorStatus {
    /// True when the indicator scores in a block in this run.
    pub fn scored(&self) -> bool {
        self.skipped.is_none() && self.def.block != Block::Context
    }
}

/// Per-area result.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaScore {
    /// z-score per indicator (same order as the statuses), `None` when not scored here.
    pub z: Vec<Option<f64>>,
    /// Ids of scored indicators without a value for this area (suppressed or undefined).
    pub missing: Vec<String>,
    /// DK_i.
    pub draagkracht: Option<f64>,
    /// DL_i.
    pub draaglast: Option<f64>,
    /// S_i = DK_i − DL_i.
    pub saldo: Option<f64>,
    /// The signal of the area: the band of S_i, or of the saldo with the care rate not
    /// clamped ([`AreaScore::uncapped`]) when that band is worse, so that concentration never
    /// hides behind the clamp (docs/METHOD.md §2.4). One signal for the map, the report, the
    /// monitor and the site test.
    pub signal: Signal,
    /// (DK tertile, DL tertile), 1 = laag … 3 = hoog.
    pub typology: Option<(u8, u8)>,
    /// The saldo and its band with the z of the care rate (the indicators of
    /// [`Source::CareUnitsPer1000`], DL7) not clamped, when the clamp at ±`winsorise_at` cuts
    /// it; `None` when it does not, or the saldo is not defined.
    pub uncapped: Option<Uncapped>,
    /// (position in the statuses, z not clamped) of every scored indicator whose z the clamp
    /// at ±`winsorise_at` cuts here: s·(v − μ)/σ with |z| > `winsorise_at` (docs/METHOD.md
    /// §2.4). The what-if reports them beside the clamped table value.
    pub beyond_clamp: Vec<(usize, f64)>,
}

/// The saldo and signal of an area with the z-score of its care rate not clamped
/// ([`AreaScore::uncapped`]).
///
/// Example: Wipstrik with 10,000 places: DL7 z = 305.05 instead of 3, DL2 z = −0.86,
/// draagkracht 0.25: draaglast (−0.86 + 305.05)/2 = 152.09, saldo 0.25 − 152.09 = −151.84,
/// `rood` (with DL7 clamped: draaglast 1.07, saldo −0.82, `oranje`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Uncapped {
    /// Saldo draagkracht − draaglast with the care rate's z not clamped.
    pub saldo: f64,
    /// Its signal band.
    pub signal: Signal,
    /// Whether this band is worse than the band of the clamped saldo, and so is the area's
    /// signal ([`AreaScore::signal`]).
    #[serde(skip)]
    pub decides: bool,
}

impl Uncapped {
    /// The saldo of `u` when its band is the area's signal ([`Uncapped::decides`]), else
    /// `None`: the number a signal that the clamp would hide is explained by.
    pub fn deciding(u: Option<Self>) -> Option<f64> {
        u.filter(|u| u.decides).map(|u| u.saldo)
    }
}

/// Options for scoring.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceOptions {
    /// Normalisation.
    #[serde(default)]
    pub normalisation: NormalisationOptions,
    /// Signal thresholds.
    #[serde(default)]
    pub signal: SignalThresholds,
}

/// The result of an analysis: indicator statuses, the frozen baseline and per-area scores.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// One per enabled indicator, in config order.
    pub indicators: Vec<IndicatorStatus>,
    /// The frozen baseline.
    pub baseline: Baseline,
    /// One per area, in area order.
    pub areas: Vec<AreaScore>,
}

/// What one block (draagkracht or draaglast) rests on in a run: its scored indicators, and
/// whether the care layer itself (DL7, [`Source::CareUnitsPer1000`]) is one of them.
///
/// A block is *fragile* when it rests on fewer than three indicators or on the care layer:
/// then one indicator, or one care project, can move the signal (docs/METHOD.md §2.5,
/// "Fragility"). Shown in `summary.json` (`block_basis`), the report and every verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockBasis {
    /// `draagkracht` or `draaglast`.
    pub block: String,
    /// Ids of the scored indicators in the block.
    pub indicators: Vec<String>,
    /// The care layer (units per 1,000 from the sites) is one of them.
    pub includes_care_layer: bool,
    /// Fewer than three indicators, or the care layer among them.
    pub fragile: bool,
    /// One Dutch sentence saying why it is fragile (`None` when it is not).
    pub note: Option<String>,
    /// The same sentence in English, for `report --lang en` (not in the JSON outputs).
    #[serde(skip)]
    pub note_en: Option<String>,
}

/// The [`BlockBasis`] of both blocks, draagkracht first.
///
/// # Example
/// With the shipped Zwolle data draaglast rests on DL2 and DL7: two indicators, one of which
/// is the care layer, so it is fragile.
pub fn block_basis(statuses: &[IndicatorStatus]) -> Vec<BlockBasis> {
    [Block::Draagkracht, Block::Draaglast]
        .into_iter()
        .map(|block| {
            let used: Vec<&IndicatorStatus> = statuses
                .iter()
                .filter(|s| s.scored() && s.def.block == block)
                .collect();
            let care: Vec<&str> = used
                .iter()
                .filter(|s| matches!(s.source, Some(Source::CareUnitsPer1000)))
                .map(|s| s.def.id.as_str())
                .collect();
            let ids: Vec<String> = used.iter().map(|s| s.def.id.clone()).collect();
            let few = ids.len() < 3;
            let fragile = few || !care.is_empty();
            let note = |en: bool| fragile.then(|| fragility_note(block, &ids, &care, en));
            let (note_nl, note_en) = (note(false), note(true));
            BlockBasis {
                block: block.as_str().to_string(),
                indicators: ids,
                includes_care_layer: !care.is_empty(),
                fragile,
                note: note_nl,
                note_en,
            }
        })
        .collect()
}

/// Run the whole pipeline on a baseline study.
pub fn analyse(
    areas: &[Area],
    defs: &[IndicatorDef],
    inputs: &Inputs,
    opts: &BalanceOptions,
) -> Analysis {
    let raw = raw_values(areas, defs, inputs);
    let (indicators, params) = fit_params(raw, areas, &inputs.concepts_present, opts);
    let mut baseline = Baseline {
        params,
        typology: BTreeMap::new(),
    };
    let provisional = score(areas, &indicators, &baseline, opts);
    baseline.typology = fit_typology(areas, &provisional, opts);
    let scores = score(areas, &indicators, &baseline, opts);
    Analysis {
        indicators,
        baseline,
        areas: scores,
    }
}

/// Fit (μ, σ) of every block indicator; indicators that cannot be normalised become skipped.
pub fn fit_params(
    raw: Vec<IndicatorStatus>,
    areas: &[Area],
    concepts_present: &[String],
    opts: &BalanceOptions,
) -> (
    Vec<IndicatorStatus>,
    BTreeMap<String, BTreeMap<String, Params>>,
) {
    let mut params = BTreeMap::new();
    let statuses = raw
        .into_iter()
        .map(|r| {
            let mut skipped = r.skipped.clone();
            if skipped.is_none() && r.def.block != Block::Context {
                match normalise::fit(&r, areas, concepts_present, &opts.normalisation) {
                    Ok(p) => {
                        params.insert(r.def.id.clone(), p);
                    }
                    Err(reason) => skipped = Some(reason),
                }
            }
            IndicatorStatus {
                source: if skipped.is_some() && r.skipped.is_some() {
                    None
                } else {
                    r.source
                },
                skipped,
                ..r
            }
        })
        .collect();
    (statuses, params)
}

fn fit_typology(
    areas: &[Area],
    scores: &[AreaScore],
    opts: &BalanceOptions,
) -> BTreeMap<String, TypologyBreaks> {
    let mut sets: BTreeMap<String, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for (area, s) in areas.iter().zip(scores) {
        if area.value("population").unwrap_or(0.0) < opts.normalisation.min_denominator {
            continue;
        }
        let key = normalise::reference_key(area, opts.normalisation.reference);
        let entry = sets.entry(key).or_default();
        if let Some(dk) = s.draagkracht {
            entry.0.push(dk);
        }
        if let Some(dl) = s.draaglast {
            entry.1.push(dl);
        }
    }
    sets.into_iter()
        .map(|(k, (dk, dl))| {
            (
                k,
                TypologyBreaks {
                    draagkracht: balance::tertile_breaks(&dk),
                    draaglast: balance::tertile_breaks(&dl),
                },
            )
        })
        .collect()
}

/// Score every area against a (frozen) baseline. Areas are independent, so this runs in
/// parallel with the order kept.
pub fn score(
    areas: &[Area],
    indicators: &[IndicatorStatus],
    baseline: &Baseline,
    opts: &BalanceOptions,
) -> Vec<AreaScore> {
    areas
        .par_iter()
        .enumerate()
        .map(|(i, area)| score_area(i, area, indicators, baseline, opts))
        .collect()
}

/// The score of one area, `areas[i]` of [`score`] (whose raw values are `values[i]` of the
/// statuses), in the calling thread: what [`score`] computes for each area.
///
/// An area without inhabitants (`population` 0) has no balance: its residents' indicators are
/// not defined there, so every z, the blocks, the saldo and the typology are empty and the
/// signal is `onbekend` (docs/METHOD.md §2.5). Without this, a wijk of 0 inhabitants with 25
/// care units would lose its care rate (25 / 0) and be scored on its other indicators alone:
/// a business park with a care site read `ruimte`.
pub fn score_area(
    i: usize,
    area: &Area,
    indicators: &[IndicatorStatus],
    baseline: &Baseline,
    opts: &BalanceOptions,
) -> AreaScore {
    let n = &opts.normalisation;
    let key = normalise::reference_key(area, n.reference);
    let inhabited = !uninhabited(area);
    let mut z = Vec::with_capacity(indicators.len());
    let mut missing = Vec::new();
    let mut beyond_clamp = Vec::new();
    for (k, ind) in indicators.iter().enumerate() {
        if !ind.scored() {
            z.push(None);
            continue;
        }
        let p = baseline.params.get(&ind.def.id).and_then(|m| m.get(&key));
        let (zi, real) = match (&ind.values[i], p) {
            (Ok(v), Some(p)) if inhabited => {
                let sign = ind.def.direction.sign();
                (
                    normalise::z_score(*v, p, sign, n.winsorise_at),
                    normalise::z_score(*v, p, sign, f64::INFINITY),
                )
            }
            _ => (None, None),
        };
        if zi.is_none() {
            missing.push(ind.def.id.clone());
        }
        z.push(zi);
        if let Some(r) = real.filter(|r| r.abs() > n.winsorise_at) {
            beyond_clamp.push((k, r));
        }
    }
    // The care rate's z not clamped, where the clamp cuts it.
    let cut: Vec<(usize, f64)> = beyond_clamp
        .iter()
        .copied()
        .filter(|&(k, _)| matches!(indicators[k].source, Some(Source::CareUnitsPer1000)))
        .collect();
    let (draagkracht, draaglast, saldo) = blocks(indicators, &z);
    let map_signal = balance::signal(saldo, &opts.signal);
    let uncapped = if cut.is_empty() {
        None
    } else {
        let mut cz = z.clone();
        for &(k, r) in &cut {
            cz[k] = Some(r);
        }
        blocks(indicators, &cz).2.map(|saldo| {
            let signal = balance::signal(Some(saldo), &opts.signal);
            Uncapped {
                saldo,
                signal,
                decides: signal.severity() > map_signal.severity(),
            }
        })
    };
    let signal = match uncapped {
        Some(u) if u.decides => u.signal,
        _ => map_signal,
    };
    let typology = baseline.typology.get(&key).and_then(|b| {
        let k = balance::tertile(draagkracht?, b.draagkracht.as_ref()?);
        let l = balance::tertile(draaglast?, b.draaglast.as_ref()?);
        Some((k, l))
    });
    AreaScore {
        z,
        missing,
        draagkracht,
        draaglast,
        saldo,
        signal,
        typology,
        uncapped,
        beyond_clamp,
    }
}

/// Whether `area` has no inhabitants: its `population` is given and 0 (a missing population
/// is unknown, not 0). Such an area gets no balance ([`score_area`]).
///
/// Example: a CBS wijk that is a business park, `population = 0`: `true`.
pub fn uninhabited(area: &Area) -> bool {
    area.value("population").is_some_and(|p| p <= 0.0)
}

/// The block scores and the saldo of one area from its z-scores `z` (one per indicator of
/// `indicators`, `None` where there is none): DK = Σ w·z / Σ w over the draagkracht indicators
/// with a z, DL likewise, S = DK − DL when both are defined and S is finite (docs/METHOD.md
/// §2.5). [`score_area`] gives them for the map's (clamped) z; the what-if gives them for the
/// care rate's z not clamped too (`scenario`'s uncapped signal).
///
/// Example: DK z 0.25 (one indicator), DL z −0.86 and 305.05: DL = 152.09, S = −151.84.
pub fn blocks(
    indicators: &[IndicatorStatus],
    z: &[Option<f64>],
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let (mut dk, mut dl) = (Vec::new(), Vec::new());
    for (ind, zi) in indicators.iter().zip(z) {
        match (zi, ind.def.block) {
            (Some(zv), Block::Draagkracht) => dk.push((*zv, ind.def.weight)),
            (Some(zv), Block::Draaglast) => dl.push((*zv, ind.def.weight)),
            _ => {}
        }
    }
    let draagkracht = balance::block_score(&dk);
    let draaglast = balance::block_score(&dl);
    let saldo = match (draagkracht, draaglast) {
        (Some(k), Some(l)) => Some(k - l).filter(|s| s.is_finite()),
        _ => None,
    };
    (draagkracht, draaglast, saldo)
}

/// Recompute raw values for a changed study (a what-if) and score them against the frozen
/// baseline. Each indicator keeps the status it had in the baseline: one skipped there stays
/// skipped (it has no frozen parameters), one computed there uses the same source.
pub fn rescore(
    areas: &[Area],
    base: &[IndicatorStatus],
    baseline: &Baseline,
    inputs: &Inputs,
    opts: &BalanceOptions,
) -> (Vec<IndicatorStatus>, Vec<AreaScore>) {
    let statuses = restatus(
        base,
        |def| raw_values(areas, def, inputs),
        IndicatorStatus::clone,
    );
    let scores = score(areas, &statuses, baseline, opts);
    (statuses, scores)
}

/// [`rescore`] of one area alone, in the calling thread: `area` is area `i` of the study
/// `base` was computed on, changed. The statuses returned hold its one value each (an indicator
/// skipped in the baseline keeps its baseline value of area `i`), and the score is what
/// [`rescore`] gives that area, bit for bit: a what-if that is not kept needs no more
/// (`scenario`), and handing one area to the thread pool costs more than scoring it.
pub fn rescore_area(
    i: usize,
    area: &Area,
    base: &[IndicatorStatus],
    baseline: &Baseline,
    inputs: &Inputs,
    opts: &BalanceOptions,
) -> (Vec<IndicatorStatus>, AreaScore) {
    let areas = std::slice::from_ref(area);
    let statuses = restatus(
        base,
        |def| raw_values_here(areas, def, inputs),
        |b| IndicatorStatus {
            values: b.values.get(i).cloned().into_iter().collect(),
            ..b.clone()
        },
    );
    let score = score_area(0, area, &statuses, baseline, opts);
    (statuses, score)
}

/// Why a block is fragile, in Dutch or English: what it rests on, the care layer among it, and
/// that one indicator or project can move the signal (docs/METHOD.md §2.5, "Fragility").
///
/// Example (Zwolle 2022): "draaglast rust op 2 indicatoren (DL2, DL7), waarvan DL7 de zorglaag
/// zelf is: elk nieuw zorgproject verhoogt de draaglast van de wijk; één indicator of één
/// project kan het signaal verschuiven. Lees het signaal met die kanttekening." A block without
/// any indicator (CBS 2024 without income, WOZ or ownership columns) is not fragile but
/// unknown, and the note says that instead.
fn fragility_note(block: Block, ids: &[String], care: &[&str], en: bool) -> String {
    // No indicator at all: the block is unknown, not fragile, and so is every saldo.
    if ids.is_empty() {
        return if en {
            let block = match block {
                Block::Draagkracht => "capacity",
                _ => "burden",
            };
            format!(
                "{block} rests on no indicator: none of its indicators can be computed (the \
                 reason is given with each indicator not computed), so the block, the balance and the \
                 signal of every area are unknown"
            )
        } else {
            format!(
                "{} rust op geen enkele indicator: geen van zijn indicatoren kan worden berekend \
                 (de reden staat bij elke niet berekende indicator), dus het blok, het saldo en het \
                 signaal van elk gebied zijn onbekend",
                block.as_str()
            )
        };
    }
    let list = ids.join(", ");
    let mut t = if en {
        // As the English report names the blocks.
        let block = match block {
            Block::Draagkracht => "capacity",
            _ => "burden",
        };
        let s = if ids.len() == 1 { "" } else { "s" };
        format!("{block} rests on {} indicator{s} ({list})", ids.len())
    } else {
        let s = if ids.len() == 1 { "" } else { "en" };
        format!(
            "{} rust op {} indicator{s} ({list})",
            block.as_str(),
            ids.len()
        )
    };
    if !care.is_empty() {
        t.push_str(&if en {
            format!(
                ", of which {} is the care layer itself: every new care project raises the burden of the area",
                care.join(", ")
            )
        } else {
            format!(
                ", waarvan {} de zorglaag zelf is: elk nieuw zorgproject verhoogt de draaglast van de wijk",
                care.join(", ")
            )
        });
    }
    t.push_str(if en {
        "; one indicator or one project can shift the signal. Read the signal with that caveat."
    } else {
        "; één indicator of één project kan het signaal verschuiven. Lees het signaal met die kanttekening."
    });
    t
}

/// The statuses of [`rescore`]: an indicator computed in the baseline is recomputed from the
/// same source by `raw` (given the one definition), any other is `kept` as it was.
fn restatus(
    base: &[IndicatorStatus],
    raw: impl Fn(&[IndicatorDef]) -> Vec<IndicatorStatus>,
    kept: impl Fn(&IndicatorStatus) -> IndicatorStatus,
) -> Vec<IndicatorStatus> {
    base.iter()
        .map(|b| match (&b.skipped, &b.source) {
            (None, Some(source)) => {
                let def = IndicatorDef {
                    sources: vec![source.clone()],
                    ..b.def.clone()
                };
                let r = raw(std::slice::from_ref(&def))
                    .pop()
                    .expect("one definition in, one out");
                IndicatorStatus {
                    def: b.def.clone(),
                    source: b.source.clone(),
                    ..r
                }
            }
            _ => kept(b),
        })
        .collect()
}

/// Typology code and Dutch label, e.g. `("K1-L3", "kracht laag / last hoog")`.
pub fn typology_label(t: (u8, u8)) -> (String, String) {
    (
        format!("K{}-L{}", t.0, t.1),
        format!(
            "kracht {} / last {}",
            balance::tertile_word(t.0),
            balance::tertile_word(t.1)
        ),
    )
}

#[cfg(test)]
pub(crate) mod tests;
