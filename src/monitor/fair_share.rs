//! Fair share of a target over areas: by population, or *naar vermogen* (by capacity).
//!
//! A target T (places for one group) is distributed over the areas of a study in two ways:
//!
//! - **By population**: w_i = pop_i, share_i = T·w_i/Σ_j w_j.
//! - **Naar vermogen**: w_i = pop_i · max(0, 1 + β·s_i), share_i = T·w_i/Σ_j w_j, with s_i the
//!   area's saldo (draagkracht − draaglast, a composite of z-scores, see
//!   [`crate::indicators::balance`]) and β ≥ 0 (default 0.5). An area whose signal is `rood`
//!   gets w_i = 0 unless `allow_rood`, and so does an area where the site test refuses every
//!   new place by another blocking area rule ([`ShareArea::blocked`]: typology K1-L3).
//!
//! Why: the West-Overijssel woonzorgvisie (opgave 4) asks to "de draaglast per gebied spreiden
//! naar vermogen", and opgave 7 asks for "de balans tussen draagkracht en vraagkracht in een
//! wijk". An area with more capacity (a higher saldo) takes a larger share, an area with less a
//! smaller one. The multiplicative form keeps population as the base: an average area (s = 0)
//! is weighted by its population exactly as in the first method, β sets how strongly capacity
//! moves shares away from that base, and β = 0 gives the population shares. A saldo of −1/β or
//! lower gives weight 0. An area without a saldo is weighted by population only (s = 0), with a
//! note; an area without a population gets weight 0, with a note.
//!
//! Whole places are found by the largest-remainder (Hamilton) method, see
//! [`largest_remainder`]: the whole shares sum exactly to T.
//!
//! Per area the result also holds the current places of the group and current − share
//! (≥ 0: at or above its share; < 0: below it).
//!
//! Reference: docs/METHOD.md §4.3 and §1.1 (West-Overijssel, regionale woonzorgvisie
//! 2024–2026, opgaven 4 and 7); Hamilton's method in M. L. Balinski and H. P. Young (1982),
//! *Fair Representation: Meeting the Ideal of One Man, One Vote*, Yale University Press.
//!
//! # Example
//! Hand check: T = 36; populations 2000, 1000, 1000; saldi −0.8, 0, 0.8; β = 0.5.
//! By population: 36·[2000, 1000, 1000]/4000 = [18, 9, 9].
//! Naar vermogen: factors 1 + 0.5·s = [0.6, 1.0, 1.4], weights [1200, 1000, 1400], Σ = 3600,
//! shares 36·w/3600 = [12, 10, 14]: six places move from the low-saldo area to the others.
//! ```
//! use wijkbalans::indicators::Signal;
//! use wijkbalans::monitor::{fair_share, ShareArea, ShareMethod, ShareOptions};
//!
//! let area = |code: &str, pop: f64, saldo: f64, signal| ShareArea {
//!     code: code.into(), population: Some(pop), saldo: Some(saldo), signal, current: 10.0,
//!     blocked: None,
//! };
//! let areas = [
//!     area("WK01", 2000.0, -0.8, Signal::Oranje),
//!     area("WK02", 1000.0, 0.0, Signal::Neutraal),
//!     area("WK03", 1000.0, 0.8, Signal::Ruimte),
//! ];
//! let opts = ShareOptions::default();
//! let pop = fair_share(36, &areas, ShareMethod::Population, &opts).unwrap();
//! let cap = fair_share(36, &areas, ShareMethod::Capacity, &opts).unwrap();
//! let whole = |f: &wijkbalans::monitor::FairShare| {
//!     f.rows.iter().map(|r| r.share_whole.unwrap()).collect::<Vec<_>>()
//! };
//! assert_eq!(whole(&pop), vec![18, 9, 9]);
//! assert_eq!(whole(&cap), vec![12, 10, 14]);
//! assert_eq!(cap.rows[0].current_minus_share, Some(10.0 - 12.0));
//! ```

use serde::Serialize;

use crate::indicators::Signal;

/// One area as input to the fair share.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareArea {
    /// Area code; unique.
    pub code: String,
    /// Inhabitants (finite, ≥ 0), `None` when unknown.
    pub population: Option<f64>,
    /// Saldo draagkracht − draaglast, `None` when unknown.
    pub saldo: Option<f64>,
    /// Signal band of the saldo.
    pub signal: Signal,
    /// Current places of the group in the area (finite, ≥ 0).
    pub current: f64,
    /// Why the site test refuses every new place here by a blocking area rule other than the
    /// signal (`typology K1-L3`), when it does: the area then gets weight 0 naar vermogen, as a
    /// `rood` area does, so that the monitor never asks places of an area that the policy
    /// closes (docs/METHOD.md §4.3). `None`: not blocked.
    pub blocked: Option<String>,
}

/// How the target is distributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareMethod {
    /// In proportion to population.
    Population,
    /// In proportion to population × max(0, 1 + β·saldo), rood areas excluded (naar vermogen).
    Capacity,
}

impl ShareMethod {
    /// The id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Population => "population",
            Self::Capacity => "capacity",
        }
    }
}

/// What [`ShareArea::blocked`] says of an area of typology K1-L3 where the site test's typology
/// rule blocks; the row's note names it, and [`ShareRow::blocked`] is set.
pub const TYPOLOGY_BLOCKED: &str = "typology K1-L3";

/// Options of the capacity method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareOptions {
    /// β ≥ 0: how strongly the saldo moves shares (0 = by population only). Default 0.5.
    pub beta: f64,
    /// Give `rood` areas a weight like any other area instead of 0. Default false.
    pub allow_rood: bool,
}

impl Default for ShareOptions {
    fn default() -> Self {
        Self {
            beta: 0.5,
            allow_rood: false,
        }
    }
}

/// One area's share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareRow {
    /// Area code.
    pub code: String,
    /// Inhabitants, as given.
    pub population: Option<f64>,
    /// Saldo, as given.
    pub saldo: Option<f64>,
    /// Signal, as given.
    pub signal: Signal,
    /// Capacity factor max(0, 1 + β·s) (s = 0 when the saldo is unknown); `None` for the
    /// population method and for areas left out before the factor applies.
    pub factor: Option<f64>,
    /// Weight w_i.
    pub weight: f64,
    /// Real-valued share T·w_i/Σw; `None` when Σw = 0 ([`FairShare::not_shared`]).
    pub share: Option<f64>,
    /// Whole share by the largest-remainder method; `None` when Σw = 0.
    pub share_whole: Option<u32>,
    /// Current places of the group.
    pub current: f64,
    /// current − share (≥ 0: at or above its share); `None` when Σw = 0.
    pub current_minus_share: Option<f64>,
    /// current − whole share; `None` when Σw = 0.
    pub current_minus_share_whole: Option<f64>,
    /// Why the weight is 0 or the saldo was not used, when so.
    pub note: Option<String>,
    /// Whether the weight is 0 naar vermogen because the site test closes the area
    /// ([`ShareArea::blocked`]; the note says so too). For the texts that explain a share, not
    /// written to `monitor.json`.
    #[serde(skip)]
    pub blocked: bool,
}

/// The distribution of a target over areas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairShare {
    /// The method used.
    pub method: ShareMethod,
    /// The target T.
    pub target: u32,
    /// β for the capacity method, `None` for the population method.
    pub beta: Option<f64>,
    /// Whether rood areas took part (capacity method).
    pub allow_rood: bool,
    /// Σ w_i (≥ 0).
    pub total_weight: f64,
    /// One row per area, sorted by code.
    pub rows: Vec<ShareRow>,
    /// Why no area has a share, when Σw = 0: every weight is 0 (every area is `rood`, has a
    /// saldo of −1/β or lower, or has no inhabitants; each row's note says which). The shares
    /// are then unknown (`None`), not 0: the target still has to go somewhere, and the method
    /// names no area that could take it. `None` when the target is distributed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_shared: Option<&'static str>,
}

/// Why a target cannot be distributed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShareError {
    /// There is no area to distribute the target over.
    #[error("er is geen gebied om het doel over te verdelen")]
    NoAreas,
    /// β is negative or not finite.
    #[error("β moet een eindig getal van 0 of meer zijn, niet {0}")]
    Beta(f64),
    /// A number of an area is negative or not finite.
    #[error("gebied {code}: {what} moet een eindig getal{} zijn, niet {value}", if *what == "saldo" { "" } else { " van 0 of meer" })]
    Value {
        /// Area code.
        code: String,
        /// Which input (`population`, `saldo`, `current`).
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// The same code appears twice.
    #[error("de gebiedscode {0} staat er twee keer in")]
    DuplicateCode(String),
}

/// Distribute `target` places over `areas` by `method`.
///
/// # Parameters
/// - `target`: T, the number of places to distribute.
/// - `areas`: the areas, in any order; codes must be unique.
/// - `method`: [`ShareMethod::Population`] or [`ShareMethod::Capacity`].
/// - `options`: β and `allow_rood` (used by the capacity method only; β is checked always).
///
/// # Returns
/// One row per area, sorted by code, with Σ share = T (up to rounding) and Σ share_whole = T
/// exactly; ties in the largest-remainder step go to the earlier code. When Σw = 0 no area can
/// take a share: every share is `None`, each row's note says why its weight is 0, and
/// [`FairShare::not_shared`] says so for the whole. `Err` when `areas` is empty, β < 0, a
/// population or current count is negative or not finite, a saldo is not finite, or a code is
/// repeated.
pub fn fair_share(
    target: u32,
    areas: &[ShareArea],
    method: ShareMethod,
    options: &ShareOptions,
) -> Result<FairShare, ShareError> {
    if !(options.beta.is_finite() && options.beta >= 0.0) {
        return Err(ShareError::Beta(options.beta));
    }
    if areas.is_empty() {
        return Err(ShareError::NoAreas);
    }
    let mut sorted: Vec<&ShareArea> = areas.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    for pair in sorted.windows(2) {
        if pair[0].code == pair[1].code {
            return Err(ShareError::DuplicateCode(pair[0].code.clone()));
        }
    }
    for a in &sorted {
        check(a, "population", a.population, false)?;
        check(a, "saldo", a.saldo, true)?;
        check(a, "current", Some(a.current), false)?;
    }

    let weighted: Vec<(Option<f64>, f64, Option<String>, bool)> =
        sorted.iter().map(|a| weigh(a, method, options)).collect();
    let total_weight: f64 = weighted.iter().map(|w| w.1).sum();
    let not_shared = (total_weight <= 0.0).then_some(NOT_SHARED);
    // The policy's one fair-share definition, share_i = T · w_i / Σw: with w = inhabitants it
    // is the fair share of the site test and the allocation (docs/METHOD.md §2.6).
    let (shares, whole): (Vec<Option<f64>>, Vec<Option<u32>>) = if not_shared.is_some() {
        (vec![None; sorted.len()], vec![None; sorted.len()])
    } else {
        let weights: Vec<f64> = weighted.iter().map(|w| w.1).collect();
        let shares = crate::policy::fair_share_targets(f64::from(target), &weights);
        let whole = largest_remainder(target, &shares);
        (
            shares.into_iter().map(Some).collect(),
            whole.into_iter().map(Some).collect(),
        )
    };

    let rows = sorted
        .iter()
        .zip(weighted)
        .zip(shares.into_iter().zip(whole))
        .map(
            |((a, (factor, weight, note, blocked)), (share, share_whole))| ShareRow {
                code: a.code.clone(),
                population: a.population,
                saldo: a.saldo,
                signal: a.signal,
                factor,
                weight,
                share,
                share_whole,
                current: a.current,
                current_minus_share: share.map(|s| a.current - s),
                current_minus_share_whole: share_whole.map(|w| a.current - f64::from(w)),
                note,
                blocked,
            },
        )
        .collect();
    Ok(FairShare {
        method,
        target,
        beta: (method == ShareMethod::Capacity).then_some(options.beta),
        allow_rood: method == ShareMethod::Capacity && options.allow_rood,
        total_weight,
        rows,
        not_shared,
    })
}

/// [`FairShare::not_shared`] as `monitor.json` writes it.
pub const NOT_SHARED: &str =
    "every weight is 0, so no area can take a share and the shares are unknown; each row's note says why its weight is 0";

fn check(
    a: &ShareArea,
    what: &'static str,
    value: Option<f64>,
    may_be_negative: bool,
) -> Result<(), ShareError> {
    match value {
        Some(v) if !v.is_finite() || (!may_be_negative && v < 0.0) => Err(ShareError::Value {
            code: a.code.clone(),
            what,
            value: v,
        }),
        _ => Ok(()),
    }
}

/// (factor, weight, note, whether the site test closes the area) of one area.
fn weigh(
    a: &ShareArea,
    method: ShareMethod,
    options: &ShareOptions,
) -> (Option<f64>, f64, Option<String>, bool) {
    let zero = |why: &str| (None, 0.0, Some(why.to_string()), false);
    let Some(pop) = a.population else {
        return zero("no population: weight 0");
    };
    if method == ShareMethod::Population {
        return (None, pop, None, false);
    }
    let rood = a.signal == Signal::Rood && !options.allow_rood;
    let why = match (rood, &a.blocked) {
        (false, None) => None,
        (true, None) => Some("signal rood: weight 0 (allow_rood is off)".to_string()),
        (false, Some(b)) => Some(format!(
            "{b}: weight 0 (the site test refuses new places here)"
        )),
        (true, Some(b)) => Some(format!(
            "signal rood (allow_rood is off) and {b} (the site test refuses new places here): \
             weight 0"
        )),
    };
    if why.is_some() {
        return (None, 0.0, why, a.blocked.is_some());
    }
    // An unknown saldo is no average one: the site test cannot test the signal there, and
    // `allocate` places nothing (docs/METHOD.md §4.3).
    let Some(s) = a.saldo else {
        return zero("saldo unknown: weight 0 (the site test cannot test the signal here)");
    };
    let mut note = None;
    let factor = (1.0 + options.beta * s).max(0.0);
    if factor == 0.0 {
        note = Some(format!(
            "1 + β·s = 1 + {}·({s}) ≤ 0: weight 0",
            options.beta
        ));
    }
    (Some(factor), pop * factor, note, false)
}

/// Whole numbers that sum exactly to `total`, as close as possible to real `quotas` whose sum is
/// `total` (largest-remainder or Hamilton method).
///
/// Each entry first gets ⌊q_i⌋; the R = total − Σ⌊q_i⌋ places left go one each to the entries
/// with the largest fractional parts q_i − ⌊q_i⌋, ties to the lowest index. Fractional parts
/// are compared rounded to 1e-9, so that rounding noise in the quotas (12.6 − 12 =
/// 0.5999999999999996 against 3.6 − 3 = 0.6000000000000001) does not decide a tie. Should
/// the quotas be inconsistent so that Σ⌊q_i⌋ exceeds `total`, the excess is taken one each
/// from the entries with the smallest fractional parts (ties to the highest index) that have a
/// place to give.
///
/// Reference: Balinski and Young (1982), *Fair Representation*, Hamilton's method.
///
/// # Parameters
/// - `total`: the sum the result must have.
/// - `quotas`: real-valued shares (finite, ≥ 0; a negative or non-finite quota counts as 0),
///   summing to `total` up to rounding.
///
/// # Returns
/// One whole number per quota, in the same order, summing to `total` when `quotas` is not
/// empty (an empty input gives an empty result).
///
/// # Example
/// Hand check: 10 over three equal quotas 3⅓: floors 3, 3, 3, one place left, tie → index 0.
/// ```
/// use wijkbalans::monitor::largest_remainder;
/// let q = 10.0 / 3.0;
/// assert_eq!(largest_remainder(10, &[q, q, q]), vec![4, 3, 3]);
/// assert_eq!(largest_remainder(7, &[1.4, 2.5, 3.1]), vec![1, 3, 3]);
/// ```
pub fn largest_remainder(total: u32, quotas: &[f64]) -> Vec<u32> {
    if quotas.is_empty() {
        return Vec::new();
    }
    let clean: Vec<f64> = quotas
        .iter()
        .map(|&q| if q.is_finite() && q > 0.0 { q } else { 0.0 })
        .collect();
    let mut whole: Vec<u32> = clean
        .iter()
        .map(|q| q.floor().min(f64::from(total)) as u32)
        .collect();
    // Fractional parts on a 1e-9 grid: equal fractions compare equal despite rounding noise.
    let frac: Vec<i64> = clean
        .iter()
        .zip(&whole)
        .map(|(q, &w)| ((q - f64::from(w)) * 1e9).round() as i64)
        .collect();
    let assigned: i64 = whole.iter().map(|&w| i64::from(w)).sum();
    let mut left = i64::from(total) - assigned;

    let mut order: Vec<usize> = (0..clean.len()).collect();
    if left > 0 {
        // Largest fraction first, ties to the lowest index.
        order.sort_by(|&a, &b| frac[b].cmp(&frac[a]).then(a.cmp(&b)));
        for &i in order.iter().cycle() {
            if left == 0 {
                break;
            }
            whole[i] += 1;
            left -= 1;
        }
    } else if left < 0 {
        // Smallest fraction first, ties to the highest index.
        order.sort_by(|&a, &b| frac[a].cmp(&frac[b]).then(b.cmp(&a)));
        while left < 0 {
            for &i in &order {
                if left == 0 {
                    break;
                }
                if whole[i] > 0 {
                    whole[i] -= 1;
                    left += 1;
                }
            }
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn area(code: &str, pop: f64, saldo: Option<f64>, signal: Signal, current: f64) -> ShareArea {
        ShareArea {
            code: code.into(),
            population: Some(pop),
            saldo,
            signal,
            current,
            blocked: None,
        }
    }

    /// Three areas from the module docs plus a rood area.
    fn fixture() -> Vec<ShareArea> {
        vec![
            area("WK03", 1000.0, Some(0.8), Signal::Ruimte, 2.0),
            area("WK01", 2000.0, Some(-0.8), Signal::Oranje, 20.0),
            area("WK02", 1000.0, Some(0.0), Signal::Neutraal, 9.0),
        ]
    }

    fn whole(f: &FairShare) -> Vec<u32> {
        f.rows.iter().map(|r| r.share_whole.unwrap()).collect()
    }

    fn reals(f: &FairShare) -> Vec<f64> {
        f.rows.iter().map(|r| r.share.unwrap()).collect()
    }

    #[test]
    fn population_shares_follow_population_sorted_by_code() {
        let f = fair_share(
            36,
            &fixture(),
            ShareMethod::Population,
            &ShareOptions::default(),
        )
        .unwrap();
        let codes: Vec<_> = f.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["WK01", "WK02", "WK03"]);
        assert_eq!(reals(&f), vec![18.0, 9.0, 9.0]);
        assert_eq!(whole(&f), vec![18, 9, 9]);
        assert_eq!(f.total_weight, 4000.0);
        assert_eq!(f.beta, None);
        assert!(f.rows.iter().all(|r| r.factor.is_none()));
        assert_eq!(f.rows[0].current_minus_share, Some(2.0));
        assert_eq!(f.rows[2].current_minus_share, Some(-7.0));
    }

    #[test]
    fn capacity_moves_share_from_low_to_high_saldo() {
        let opts = ShareOptions::default();
        let pop = fair_share(36, &fixture(), ShareMethod::Population, &opts).unwrap();
        let cap = fair_share(36, &fixture(), ShareMethod::Capacity, &opts).unwrap();
        // Factors 0.6, 1.0, 1.4; weights 1200, 1000, 1400; Σ = 3600.
        let factors: Vec<_> = cap.rows.iter().map(|r| r.factor.unwrap()).collect();
        assert_relative_eq!(factors[0], 0.6);
        assert_eq!(factors[1..], [1.0, 1.4]);
        assert_relative_eq!(cap.total_weight, 3600.0);
        let r = reals(&cap);
        assert_relative_eq!(r[0], 12.0, epsilon = 1e-12);
        assert_relative_eq!(r[1], 10.0, epsilon = 1e-12);
        assert_relative_eq!(r[2], 14.0, epsilon = 1e-12);
        assert_eq!(whole(&cap), vec![12, 10, 14]);
        assert!(cap.rows[0].share < pop.rows[0].share);
        assert!(cap.rows[2].share > pop.rows[2].share);
        assert_eq!(cap.beta, Some(0.5));
        // β = 0 gives the population shares.
        let flat = ShareOptions {
            beta: 0.0,
            allow_rood: false,
        };
        let zero = fair_share(36, &fixture(), ShareMethod::Capacity, &flat).unwrap();
        assert_eq!(whole(&zero), whole(&pop));
    }

    #[test]
    fn rood_areas_get_nothing_unless_allowed() {
        let mut areas = fixture();
        areas.push(area("WK04", 1000.0, Some(-1.2), Signal::Rood, 30.0));
        let f = fair_share(36, &areas, ShareMethod::Capacity, &ShareOptions::default()).unwrap();
        let rood = &f.rows[3];
        assert_eq!(
            (rood.weight, rood.share, rood.share_whole),
            (0.0, Some(0.0), Some(0))
        );
        assert_eq!(rood.current_minus_share, Some(30.0));
        assert!(rood.note.as_deref().unwrap().contains("rood"));
        assert_eq!(whole(&f), vec![12, 10, 14, 0]);

        let allow = ShareOptions {
            beta: 0.5,
            allow_rood: true,
        };
        let f = fair_share(36, &areas, ShareMethod::Capacity, &allow).unwrap();
        // Factor 1 − 0.6 = 0.4, weight 400, Σ = 4000: shares 10.8, 9, 12.6, 3.6; floors sum to
        // 34, the two places left go to .8 (WK01) and the tie .6/.6 to the earlier code (WK03).
        assert_relative_eq!(f.rows[3].share.unwrap(), 3.6, epsilon = 1e-12);
        assert_eq!(whole(&f), vec![11, 9, 13, 3]);
        // The population method ignores the signal.
        let p = fair_share(36, &areas, ShareMethod::Population, &allow).unwrap();
        assert_relative_eq!(p.rows[3].share.unwrap(), 7.2);
    }

    #[test]
    fn missing_values_and_negative_factors_are_explained() {
        let areas = vec![
            area("A", 1000.0, None, Signal::Onbekend, 0.0),
            area("B", 1000.0, Some(-2.5), Signal::Oranje, 0.0),
            ShareArea {
                population: None,
                ..area("C", 0.0, Some(1.0), Signal::Ruimte, 0.0)
            },
        ];
        let f = fair_share(5, &areas, ShareMethod::Capacity, &ShareOptions::default()).unwrap();
        // An unknown saldo is no average one: weight 0, and with no other weight the shares
        // are unknown, not 0.
        assert_eq!((f.rows[0].factor, f.rows[0].weight), (None, 0.0));
        assert!(f.rows[0]
            .note
            .as_deref()
            .unwrap()
            .contains("saldo unknown: weight 0"));
        assert_eq!(f.rows[1].weight, 0.0);
        assert!(f.rows[1].note.as_deref().unwrap().contains("≤ 0"));
        assert!(f.rows[2].note.as_deref().unwrap().contains("no population"));
        assert!(f.not_shared.is_some());
        assert!(f.rows.iter().all(|r| r.share.is_none()));
    }

    #[test]
    fn zero_total_weight_leaves_every_share_unknown() {
        // A: no inhabitants; B: rood. Naar vermogen no area can take a share: the shares are
        // unknown, not 0, and each row says why its weight is 0.
        let areas = vec![
            area("A", 0.0, Some(0.0), Signal::Neutraal, 3.0),
            area("B", 500.0, Some(-1.5), Signal::Rood, 4.0),
        ];
        let f = fair_share(10, &areas, ShareMethod::Capacity, &ShareOptions::default()).unwrap();
        assert_eq!(f.total_weight, 0.0);
        assert_eq!(f.not_shared, Some(NOT_SHARED));
        for r in &f.rows {
            assert_eq!(r.share, None);
            assert_eq!(r.share_whole, None);
            assert_eq!(r.current_minus_share, None);
            assert_eq!(r.current_minus_share_whole, None);
        }
        assert_eq!(f.rows[1].current, 4.0, "the current places stay known");
        assert!(f.rows[1].note.as_deref().unwrap().contains("rood"));
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["not_shared"], NOT_SHARED);
        assert_eq!(json["rows"][0]["share_whole"], serde_json::Value::Null);

        // By population the same areas do share: B has inhabitants, and no `not_shared`.
        let p = fair_share(
            10,
            &areas,
            ShareMethod::Population,
            &ShareOptions::default(),
        )
        .unwrap();
        assert_eq!(whole(&p), vec![0, 10]);
        assert_eq!(p.not_shared, None);
        assert!(serde_json::to_value(&p)
            .unwrap()
            .get("not_shared")
            .is_none());
        // Allowing rood gives B its weight back.
        let allow = ShareOptions {
            allow_rood: true,
            ..ShareOptions::default()
        };
        let c = fair_share(10, &areas, ShareMethod::Capacity, &allow).unwrap();
        assert_eq!(whole(&c), vec![0, 10]);

        let e = fair_share(10, &[], ShareMethod::Population, &ShareOptions::default());
        assert_eq!(e, Err(ShareError::NoAreas));
    }

    #[test]
    fn bad_inputs_are_rejected() {
        let opts = ShareOptions::default();
        let bad_beta = ShareOptions {
            beta: -0.1,
            allow_rood: false,
        };
        assert_eq!(
            fair_share(1, &fixture(), ShareMethod::Population, &bad_beta),
            Err(ShareError::Beta(-0.1))
        );
        let mut twice = fixture();
        twice.push(twice[0].clone());
        assert_eq!(
            fair_share(1, &twice, ShareMethod::Population, &opts),
            Err(ShareError::DuplicateCode("WK03".into()))
        );
        let mut neg = fixture();
        neg[1].population = Some(-5.0);
        assert_eq!(
            fair_share(1, &neg, ShareMethod::Population, &opts)
                .unwrap_err()
                .to_string(),
            "gebied WK01: population moet een eindig getal van 0 of meer zijn, niet -5"
        );
        let mut nan = fixture();
        nan[0].saldo = Some(f64::NAN);
        assert!(matches!(
            fair_share(1, &nan, ShareMethod::Capacity, &opts),
            Err(ShareError::Value { what: "saldo", .. })
        ));
        let mut cur = fixture();
        cur[2].current = f64::INFINITY;
        assert!(matches!(
            fair_share(1, &cur, ShareMethod::Capacity, &opts),
            Err(ShareError::Value {
                what: "current",
                ..
            })
        ));
    }

    #[test]
    fn largest_remainder_breaks_ties_to_the_lowest_index() {
        let q = 10.0 / 3.0;
        assert_eq!(largest_remainder(10, &[q, q, q]), vec![4, 3, 3]);
        assert_eq!(
            largest_remainder(2, &[0.5, 0.5, 0.5, 0.5]),
            vec![1, 1, 0, 0]
        );
        assert_eq!(largest_remainder(7, &[1.4, 2.5, 3.1]), vec![1, 3, 3]);
        assert_eq!(largest_remainder(0, &[0.0, 0.0]), vec![0, 0]);
        assert_eq!(largest_remainder(3, &[]), Vec::<u32>::new());
    }

    #[test]
    fn largest_remainder_repairs_quotas_that_overshoot() {
        // Quotas whose floors sum to more than the total: take from the smallest fraction,
        // ties from the highest index.
        assert_eq!(largest_remainder(2, &[1.0, 1.0, 1.0]), vec![1, 1, 0]);
        assert_eq!(largest_remainder(2, &[2.0, 1.3, 0.5]), vec![1, 1, 0]);
        // Quotas that fall short are filled up.
        assert_eq!(largest_remainder(3, &[0.0, 0.0, f64::NAN]), vec![1, 1, 1]);
    }

    fn arb_area() -> impl Strategy<Value = ShareArea> {
        (
            proptest::option::of(0.0f64..20_000.0),
            proptest::option::of(-3.0f64..3.0),
            0.0f64..50.0,
        )
            .prop_map(|(population, saldo, current)| ShareArea {
                code: String::new(),
                population,
                saldo,
                signal: match saldo {
                    None => Signal::Onbekend,
                    Some(s) if s <= -1.0 => Signal::Rood,
                    Some(s) if s <= -0.5 => Signal::Oranje,
                    Some(s) if s < 0.5 => Signal::Neutraal,
                    Some(_) => Signal::Ruimte,
                },
                current,
                blocked: None,
            })
    }

    proptest! {
        #[test]
        fn both_methods_sum_to_the_target(
            target in 0u32..5000,
            mut areas in proptest::collection::vec(arb_area(), 1..30),
            beta in 0.0f64..2.0,
            allow_rood in any::<bool>(),
        ) {
            for (i, a) in areas.iter_mut().enumerate() {
                a.code = format!("WK{i:04}");
            }
            let opts = ShareOptions { beta, allow_rood };
            for method in [ShareMethod::Population, ShareMethod::Capacity] {
                match fair_share(target, &areas, method, &opts) {
                    Ok(f) if f.not_shared.is_some() => {
                        prop_assert_eq!(f.total_weight, 0.0);
                        prop_assert!(f.rows.iter().all(|r| r.weight == 0.0 && r.share.is_none()));
                    }
                    Ok(f) => {
                        let real: f64 = f.rows.iter().filter_map(|r| r.share).sum();
                        prop_assert!((real - f64::from(target)).abs() <= 1e-9 * f64::from(target.max(1)));
                        let whole: u32 = f.rows.iter().filter_map(|r| r.share_whole).sum();
                        prop_assert_eq!(whole, target);
                        for r in &f.rows {
                            let (Some(share), Some(share_whole)) = (r.share, r.share_whole) else {
                                prop_assert!(false, "a distributed target has every share");
                                continue;
                            };
                            prop_assert!((f64::from(share_whole) - share).abs() < 1.0 + 1e-9);
                            prop_assert!(share.is_finite() && r.weight >= 0.0);
                        }
                    }
                    Err(e) => prop_assert!(false, "{e}"),
                }
            }
        }

        #[test]
        fn largest_remainder_sums_exactly(
            total in 0u32..10_000,
            weights in proptest::collection::vec(0.0f64..1000.0, 1..40),
        ) {
            let sum: f64 = weights.iter().sum();
            prop_assume!(sum > 0.0);
            let quotas: Vec<f64> = weights.iter().map(|w| f64::from(total) * w / sum).collect();
            let whole = largest_remainder(total, &quotas);
            prop_assert_eq!(whole.iter().sum::<u32>(), total);
            for (w, q) in whole.iter().zip(&quotas) {
                prop_assert!((f64::from(*w) - q).abs() < 1.0 + 1e-9);
            }
        }
    }
}
