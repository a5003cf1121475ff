//! Opgave monitor and comparison between vintages.
//!
//! The policies set a task (*opgave*) as places by a year: Zwolle 280 places beschermd thuis
//! by 2028 at 40 a year, West-Overijssel 1,855 geclusterde and 1,175 zorggeschikte homes for
//! older people by 2030; Groningen asks for a monitor of supply against expected demand, and
//! West-Overijssel to spread the burden "naar vermogen" (docs/METHOD.md §1.1 and §4). This
//! module holds the pure core of that monitor:
//!
//! - [`Opgave`]: the opgave file (TOML), validated against the configured groups and the data
//!   year;
//! - [`pace()`]: per target and year the target path against realised and planned places;
//! - [`fair_share()`]: a target distributed over areas by population or by capacity, in real
//!   and whole places;
//! - [`compare()`]: two vintages of the same areas matched by code, with changed boundaries
//!   flagged;
//! - [`evaluate()`]: one target's pace and both fair shares together, as the `monitor` command
//!   and the report's opgave section show them.
//!
//! Like the other engine modules it never opens a file, never prints and knows nothing of the
//! CLI: the caller parses the text, maps sites to [`SiteRecord`]s and areas to [`ShareArea`]s or
//! [`VintageArea`]s, and writes the results. Every output is sorted (by year, code or key),
//! and a value a formula cannot give is `None` with a note, never NaN.

#![deny(missing_docs)]

/// The opgave file: targets per target group with a deadline (TOML, validated).
pub mod opgave;
pub use opgave::{
    Opgave, OpgaveError, OpgaveErrorKind, PaceEnd, Target, TargetPath, MAX_YEAR, MIN_YEAR,
};

/// Pace of a target per year: target path, realised, planned, gap; the site `year` parser.
pub mod pace;
pub use pace::{
    pace, parse_year, target_path, NotCounted, PaceError, PaceRow, PaceTable, SiteRecord, YearError,
};

/// Fair share of a target over areas, by population or naar vermogen (by capacity).
pub mod fair_share;
pub use fair_share::{
    fair_share, largest_remainder, FairShare, ShareArea, ShareError, ShareMethod, ShareOptions,
    ShareRow,
};

/// Comparison of two vintages of the same areas, with boundary-change flags.
pub mod compare;
pub use compare::{
    compare, signal_move, AreaComparison, AreaRef, BoundaryCheck, BoundaryEvent, CompareError,
    CompareOptions, Comparison, ValueChange, VintageArea,
};

use serde::Serialize;

/// One target evaluated on a study: its pace per year and its fair share over the areas, by
/// population and naar vermogen. The `monitor` command writes it to `monitor.json`; the report
/// shows the same values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetOutcome {
    /// The target, as validated.
    pub target: Target,
    /// Target path, realised, planned, proposed and gap per year.
    pub pace: PaceTable,
    /// The target distributed in proportion to population.
    pub by_population: FairShare,
    /// The target distributed naar vermogen.
    pub by_capacity: FairShare,
    /// The site records of the target's group that the pace counts (not written: the pace
    /// holds their sums).
    #[serde(skip)]
    pub sites: Vec<SiteRecord>,
}

impl TargetOutcome {
    /// The pace of only the sites that `keep` selects, on the same years: which cells of
    /// [`TargetOutcome::pace`] hold units of those sites (a cell is positive here exactly
    /// when it counts one of them with units). A public version hides a total that holds a
    /// site whose units it hides.
    ///
    /// ```
    /// use wijkbalans::indicators::Signal;
    /// use wijkbalans::model::SiteStatus;
    /// use wijkbalans::monitor::{evaluate, ShareArea, ShareOptions, SiteRecord, Target, TargetPath};
    /// let area = ShareArea {
    ///     code: "WK01".into(), population: Some(1000.0), saldo: Some(0.0),
    ///     signal: Signal::Neutraal, current: 0.0, blocked: None,
    /// };
    /// let target = Target {
    ///     group: "g".into(), area: None, source: "voorbeeld".into(),
    ///     path: TargetPath { places: 40, from: 2022, to: 2025, per_year: None },
    /// };
    /// let site = |units, year| SiteRecord {
    ///     group: "g".into(), units, status: SiteStatus::Planned, year: Some(year),
    /// };
    /// let sites = [site(3.0, 2023), site(17.0, 2024)];
    /// let r = evaluate(&target, &sites, &[area], &ShareOptions::default()).unwrap();
    /// let small = r.pace_of(|s| s.units < 5.0);
    /// assert_eq!(r.pace.row(2024).unwrap().planned, 20.0);
    /// // 2024's 20 holds the 3 of 2023: shown beside the 17, it would give them back.
    /// assert_eq!(small.row(2024).unwrap().planned, 3.0);
    /// assert_eq!(small.row(2022).unwrap().planned, 0.0);
    /// ```
    pub fn pace_of(&self, keep: impl Fn(&SiteRecord) -> bool) -> PaceTable {
        let kept: Vec<&SiteRecord> = self.sites.iter().filter(|s| keep(s)).collect();
        pace::tally(&self.target, &kept)
    }
}

/// Why a target cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluateError {
    /// A site record is unusable.
    #[error(transparent)]
    Pace(#[from] PaceError),
    /// The target cannot be distributed over the areas.
    #[error(transparent)]
    Share(#[from] ShareError),
}

/// Evaluate one target: [`pace()`] over `sites` and [`fair_share()`] over `areas` by both
/// methods.
///
/// # Parameters
/// - `target`: a validated target.
/// - `sites`: the site records inside the target's area (see [`pace()`]).
/// - `areas`: the areas inside the target's area, with the current places of its group.
/// - `options`: β and `allow_rood` of the capacity method.
///
/// # Returns
/// The pace and both fair shares, or the first error of [`pace()`] or [`fair_share()`].
///
/// # Example
/// ```
/// use wijkbalans::indicators::Signal;
/// use wijkbalans::monitor::{evaluate, ShareArea, ShareOptions, Target, TargetPath};
/// let target = Target {
///     group: "jongeren".into(),
///     path: TargetPath { places: 10, from: 2022, to: 2026, per_year: None },
///     area: None, source: "voorbeeld".into(),
/// };
/// let area = |code: &str, saldo: f64, signal| ShareArea {
///     code: code.into(), population: Some(1000.0), saldo: Some(saldo), signal, current: 0.0,
///     blocked: None,
/// };
/// let areas = [area("WK01", -1.2, Signal::Rood), area("WK02", 0.0, Signal::Neutraal)];
/// let r = evaluate(&target, &[], &areas, &ShareOptions::default()).unwrap();
/// assert_eq!(r.pace.row(2024).unwrap().target, 5.0);
/// assert_eq!(r.by_population.rows[0].share_whole, Some(5));
/// assert_eq!(r.by_capacity.rows[0].share_whole, Some(0)); // rood: no share naar vermogen
/// ```
pub fn evaluate(
    target: &Target,
    sites: &[SiteRecord],
    areas: &[ShareArea],
    options: &ShareOptions,
) -> Result<TargetOutcome, EvaluateError> {
    let pace = pace(target, sites)?;
    let by_population = fair_share(target.path.places, areas, ShareMethod::Population, options)?;
    let by_capacity = fair_share(target.path.places, areas, ShareMethod::Capacity, options)?;
    Ok(TargetOutcome {
        target: target.clone(),
        pace,
        by_population,
        by_capacity,
        sites: sites
            .iter()
            .filter(|s| s.group == target.group)
            .cloned()
            .collect(),
    })
}
