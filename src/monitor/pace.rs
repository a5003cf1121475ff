//! Pace of a target: the cumulative target path per year against realised and planned places.
//!
//! For a [`Target`] with start year f, deadline t, total P and optional pace p, and for every
//! year y = f, …, t:
//!
//! - target(y) = min(p·(y − f), P) with a pace; P·(y − f)/(t − f) without (P when t = f);
//! - realised(y) = Σ units of sites with status `existing` and year ≤ y; an existing site
//!   without a year counts as realised from the start;
//! - planned(y) = Σ units of sites with status `planned` and year ≤ y; planned sites without a
//!   year go to the separate column `planned_year_unknown` and into no other number;
//! - gap(y) = target(y) − realised(y) − planned(y) (negative: ahead of the path);
//! - on_pace(y) = realised(y) ≥ target(y) (planned places do not count as on pace);
//! - proposed(y) = Σ units of sites with status `proposed` and year ≤ y, or without a year (a
//!   proposal without a year is on the table now). Shown for information only: a proposal is
//!   not decided, so it is part of neither the gap nor the pace.
//!
//! By construction realised(y) + planned(y) + gap(y) = target(y) for every year. Proposed
//! units (all of them, in [`NotCounted::proposed`]), and realised or planned sites dated after
//! the deadline, count in no gap; their units are reported in [`NotCounted`] so nothing
//! disappears silently.
//!
//! Reference: Zwolle, Voortgangsrapportage Wonen en Zorg 2022–2023 ("8 jaar lang 40 plekken per
//! jaar", "280 plekken beschermd thuis wonen tot 2028", "31 gerealiseerd en 43 gepland"), and
//! Groningen's ambitie 4, a monitor of supply against demand (docs/METHOD.md §1.1 and §4.2).
//!
//! # Example
//! Hand check with Zwolle's numbers: 280 places from 2021 to 2028 at 40 a year, 31 realised
//! and 43 planned for 2024. In 2023: target 40·2 = 80, realised 31, planned 0, gap 49, behind.
//! In 2024: target 120, realised 31, planned 43, gap 120 − 31 − 43 = 46.
//! ```
//! use wijkbalans::model::SiteStatus;
//! use wijkbalans::monitor::{pace, SiteRecord, Target, TargetPath};
//!
//! let target = Target {
//!     group: "beschermd_thuis".into(),
//!     path: TargetPath { places: 280, from: 2021, to: 2028, per_year: Some(40) },
//!     area: None, source: "Zwolle".into(),
//! };
//! let site = |units, status, year| SiteRecord {
//!     group: "beschermd_thuis".into(), units, status, year,
//! };
//! let sites = [
//!     site(31.0, SiteStatus::Existing, None),
//!     site(43.0, SiteStatus::Planned, Some(2024)),
//! ];
//! let table = pace(&target, &sites).unwrap();
//! let y2023 = table.row(2023).unwrap();
//! assert_eq!((y2023.target, y2023.realised, y2023.planned, y2023.gap), (80.0, 31.0, 0.0, 49.0));
//! assert!(!y2023.on_pace);
//! assert_eq!(table.row(2024).unwrap().gap, 46.0);
//! assert_eq!(table.row(2028).unwrap().target, 280.0);
//! ```

use serde::Serialize;

use super::opgave::{PaceEnd, Target, TargetPath, MAX_YEAR, MIN_YEAR};
use crate::model::SiteStatus;

/// A site as the monitor sees it: group, units, status and the year it was or will be ready.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteRecord {
    /// Target-group id.
    pub group: String,
    /// Places or homes (finite, ≥ 0).
    pub units: f64,
    /// Existing, planned or proposed.
    pub status: SiteStatus,
    /// Year of realisation (existing) or planned delivery (planned), when known; see
    /// [`parse_year`].
    pub year: Option<i32>,
}

/// One year of a [`PaceTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaceRow {
    /// The year.
    pub year: i32,
    /// Cumulative target path in this year.
    pub target: f64,
    /// Units realised by this year (existing, year ≤ y or no year).
    pub realised: f64,
    /// Units planned for this year or earlier (planned, year ≤ y).
    pub planned: f64,
    /// Units planned without a year; the same in every row and not part of `gap`.
    pub planned_year_unknown: f64,
    /// Units proposed for this year or earlier, or without a year (not decided: not part of
    /// `gap` or `on_pace`).
    pub proposed: f64,
    /// target − realised − planned; negative means ahead of the path.
    pub gap: f64,
    /// realised ≥ target (with a tolerance of 1e-9 relative to the target for rounding).
    pub on_pace: bool,
}

/// Units of the group that are in no row of the table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NotCounted {
    /// Units of sites with status `proposed`, whatever their year: not decided, so not part of
    /// the gap (the rows show those dated up to each year in [`PaceRow::proposed`]).
    pub proposed: f64,
    /// Units of existing sites dated after the deadline.
    pub realised_after_deadline: f64,
    /// Units of planned sites dated after the deadline.
    pub planned_after_deadline: f64,
}

/// The pace of one target: one row per year from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaceTable {
    /// Target group.
    pub group: String,
    /// Area code of the target, `None` for the whole study.
    pub area: Option<String>,
    /// The target's path (serialised flat: `places`, `from`, `to`, `per_year`).
    #[serde(flatten)]
    pub path: TargetPath,
    /// One row per year, `from` to `to` in order.
    pub rows: Vec<PaceRow>,
    /// Units of the group left out of every row, by reason.
    pub not_counted: NotCounted,
    /// Remarks on the target path, e.g. a pace that does not reach `places` by the deadline.
    pub notes: Vec<String>,
}

impl PaceTable {
    /// The row of `year`, `None` outside `from..=to`.
    pub fn row(&self, year: i32) -> Option<&PaceRow> {
        self.rows.iter().find(|r| r.year == year)
    }
}

/// A site record the pace cannot use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PaceError {
    /// Units are negative or not finite.
    #[error("zorglocatie {index}: units moet een eindig getal van 0 of meer zijn, niet {units}")]
    Units {
        /// Position in the input slice (0-based).
        index: usize,
        /// The value.
        units: f64,
    },
    /// The year lies outside the accepted range.
    #[error("zorglocatie {index}: het jaar {year} ligt buiten {MIN_YEAR}–{MAX_YEAR}")]
    Year {
        /// Position in the input slice (0-based).
        index: usize,
        /// The value.
        year: i32,
    },
}

/// The cumulative target path of `target` in `year`.
///
/// target(y) = min(p·(y − f), P) with a pace p, P·(y − f)/(t − f) without (P when t = f), for
/// f ≤ y ≤ t; 0 before f and target(t) after t.
///
/// # Example
/// 1,855 homes linear from 2023 to 2030: target(2025) = 1855·2/7 = 530.
/// ```
/// use wijkbalans::monitor::{target_path, Target, TargetPath};
/// let t = Target {
///     group: "ouderen_geclusterd".into(),
///     path: TargetPath { places: 1855, from: 2023, to: 2030, per_year: None },
///     area: None, source: "West-Overijssel".into(),
/// };
/// assert_eq!(target_path(&t, 2025), 530.0);
/// assert_eq!(target_path(&t, 2030), 1855.0);
/// assert_eq!(target_path(&t, 2040), 1855.0);
/// assert_eq!(target_path(&t, 2020), 0.0);
/// ```
pub fn target_path(target: &Target, year: i32) -> f64 {
    target.path.at(year)
}

/// The pace of `target` from the sites of its group.
///
/// # Parameters
/// - `target`: a validated target.
/// - `sites`: site records; only those with `group == target.group` are used. The caller
///   passes only the sites inside `target.area` when the target has one. Existing sites dated
///   before `from` count as realised, so pass only the sites that belong to the opgave.
///
/// # Returns
/// One row per year from `from` to `to` (see the module docs for the formulas), the units left
/// out of every row, and notes on the path. `Err` when a record of the group has units that are
/// negative or not finite, or a year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn pace(target: &Target, sites: &[SiteRecord]) -> Result<PaceTable, PaceError> {
    let mut used = Vec::new();
    for (index, s) in sites.iter().enumerate() {
        if s.group != target.group {
            continue;
        }
        if !(s.units.is_finite() && s.units >= 0.0) {
            return Err(PaceError::Units {
                index,
                units: s.units,
            });
        }
        if let Some(year) = s
            .year
            .filter(|y| crate::model::plausible_year((*y).into()).is_none())
        {
            return Err(PaceError::Year { index, year });
        }
        used.push(s);
    }
    Ok(tally(target, &used))
}

/// The table of [`pace()`] over records it accepted (of the target's group, with usable units
/// and years).
pub(super) fn tally(target: &Target, used: &[&SiteRecord]) -> PaceTable {
    let mut not_counted = NotCounted::default();
    let mut planned_year_unknown = 0.0;
    for s in used {
        match (s.status, s.year) {
            (SiteStatus::Proposed, _) => not_counted.proposed += s.units,
            (SiteStatus::Existing, Some(y)) if y > target.path.to => {
                not_counted.realised_after_deadline += s.units
            }
            (SiteStatus::Planned, Some(y)) if y > target.path.to => {
                not_counted.planned_after_deadline += s.units
            }
            (SiteStatus::Planned, None) => planned_year_unknown += s.units,
            _ => {}
        }
    }

    let rows = (target.path.from..=target.path.to)
        .map(|year| {
            let mut realised = 0.0;
            let mut planned = 0.0;
            let mut proposed = 0.0;
            for s in used {
                match (s.status, s.year) {
                    (SiteStatus::Existing, None) => realised += s.units,
                    (SiteStatus::Existing, Some(y)) if y <= year => realised += s.units,
                    (SiteStatus::Planned, Some(y)) if y <= year => planned += s.units,
                    (SiteStatus::Proposed, None) => proposed += s.units,
                    (SiteStatus::Proposed, Some(y)) if y <= year => proposed += s.units,
                    _ => {}
                }
            }
            let t = target_path(target, year);
            PaceRow {
                year,
                target: t,
                realised,
                planned,
                planned_year_unknown,
                proposed,
                gap: t - realised - planned,
                on_pace: realised >= t - 1e-9 * t.max(1.0),
            }
        })
        .collect();

    PaceTable {
        group: target.group.clone(),
        area: target.area.clone(),
        path: target.path,
        rows,
        not_counted,
        notes: path_notes(target),
    }
}

fn path_notes(target: &Target) -> Vec<String> {
    let TargetPath {
        places, from, to, ..
    } = target.path;
    let p = target.path.per_year.unwrap_or_default();
    match target.path.pace_end() {
        Some(PaceEnd::Short { reached }) => vec![format!(
            "{p} a year from {from} reaches {reached} by {to}, not the {places} places of the \
             target; the path ends at {reached}"
        )],
        Some(PaceEnd::Early { year }) => vec![format!(
            "{p} a year from {from} reaches the {places} places in {year}, before the deadline \
             {to}; the path stays at {places} after that"
        )],
        None => Vec::new(),
    }
}

/// An unusable value in a site's `year` attribute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "het jaar {value} is niet bruikbaar: {reason}; schrijf een jaar met vier cijfers, zoals 2024"
)]
pub struct YearError {
    /// The value as found in the source (JSON notation).
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

/// Parse a site's `year` attribute.
///
/// Accepts a whole number (`2024`, `2024.0`) or a text holding one (`"2024"`, `" 2024.0 "`)
/// within [`MIN_YEAR`]..=[`MAX_YEAR`]. `null` and an empty or blank text mean "no year" and
/// give `Ok(None)`. Anything else is an error that names the value: words (`"volgend jaar"`),
/// two-digit or out-of-range years (`24`, `3024`), fractions (`2024.5`), booleans, lists.
///
/// # Example
/// ```
/// use serde_json::json;
/// use wijkbalans::monitor::parse_year;
/// assert_eq!(parse_year(&json!(2024)), Ok(Some(2024)));
/// assert_eq!(parse_year(&json!("2024.0")), Ok(Some(2024)));
/// assert_eq!(parse_year(&json!(null)), Ok(None));
/// assert!(parse_year(&json!("volgend jaar")).is_err());
/// assert!(parse_year(&json!(3024)).unwrap_err().to_string().contains("1900"));
/// ```
pub fn parse_year(value: &serde_json::Value) -> Result<Option<i32>, YearError> {
    use serde_json::Value;
    let fail = |reason: &str| YearError {
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let whole = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => parse_year_text(s.trim()).ok_or_else(|| fail("geen getal"))?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i
            } else {
                match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 1e9 => f as i64,
                    _ => return Err(fail("geen geheel getal")),
                }
            }
        }
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => {
            return Err(fail("geen getal"));
        }
    };
    match crate::model::plausible_year(whole) {
        Some(year) => Ok(Some(year)),
        None => Err(fail(&format!("buiten {MIN_YEAR}–{MAX_YEAR}"))),
    }
}

/// Digits, optionally followed by a point and zeros only: "2024", "2024.0", "2024.00".
fn parse_year_text(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits_only = !int.is_empty() && int.len() <= 9 && int.bytes().all(|b| b.is_ascii_digit());
    if digits_only && frac.bytes().all(|b| b == b'0') {
        int.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;
    use serde_json::json;

    fn target(places: u32, from: i32, to: i32, per_year: Option<u32>) -> Target {
        Target {
            group: "beschermd_thuis".into(),
            path: TargetPath {
                places,
                from,
                to,
                per_year,
            },
            area: None,
            source: "test".into(),
        }
    }

    fn site(units: f64, status: SiteStatus, year: Option<i32>) -> SiteRecord {
        SiteRecord {
            group: "beschermd_thuis".into(),
            units,
            status,
            year,
        }
    }

    #[test]
    fn zwolle_path_is_40_a_year_to_280() {
        let t = target(280, 2021, 2028, Some(40));
        let path: Vec<f64> = (2020..=2029).map(|y| target_path(&t, y)).collect();
        assert_eq!(
            path,
            vec![0.0, 0.0, 40.0, 80.0, 120.0, 160.0, 200.0, 240.0, 280.0, 280.0]
        );
        assert!(pace(&t, &[]).unwrap().notes.is_empty());
    }

    #[test]
    fn a_pace_is_capped_at_places_and_a_short_pace_is_noted() {
        let t = target(100, 2020, 2025, Some(30));
        assert_eq!(target_path(&t, 2023), 90.0);
        assert_eq!(target_path(&t, 2024), 100.0);
        let notes = pace(&t, &[]).unwrap().notes;
        assert!(
            notes[0].contains("reaches the 100 places in 2024"),
            "{notes:?}"
        );

        let slow = target(280, 2021, 2028, Some(30));
        assert_eq!(target_path(&slow, 2028), 210.0);
        let notes = pace(&slow, &[]).unwrap().notes;
        assert!(
            notes[0].contains("reaches 210 by 2028, not the 280"),
            "{notes:?}"
        );
    }

    #[test]
    fn linear_path_and_one_year_target() {
        let t = target(1175, 2023, 2030, None);
        assert_relative_eq!(target_path(&t, 2024), 1175.0 / 7.0);
        assert_eq!(target_path(&t, 2030), 1175.0);
        let one = target(10, 2026, 2026, None);
        assert_eq!(target_path(&one, 2026), 10.0);
        assert_eq!(pace(&one, &[]).unwrap().rows.len(), 1);
    }

    #[test]
    fn realised_planned_and_unknown_years_are_counted_apart() {
        let t = target(280, 2021, 2028, Some(40));
        let sites = [
            site(20.0, SiteStatus::Existing, None),
            site(11.0, SiteStatus::Existing, Some(2023)),
            site(17.0, SiteStatus::Planned, Some(2024)),
            site(26.0, SiteStatus::Planned, Some(2026)),
            site(9.0, SiteStatus::Planned, None),
            site(12.0, SiteStatus::Proposed, Some(2025)),
            site(4.0, SiteStatus::Proposed, None),
            site(7.0, SiteStatus::Proposed, Some(2031)),
            site(5.0, SiteStatus::Planned, Some(2030)),
            site(99.0, SiteStatus::Existing, Some(2022)).with_group("jongeren"),
        ];
        let table = pace(&t, &sites).unwrap();
        assert_eq!(table.rows.len(), 8);
        let r = |y| table.row(y).unwrap();
        assert_eq!(
            (r(2021).realised, r(2021).planned, r(2021).gap),
            (20.0, 0.0, -20.0)
        );
        assert!(r(2021).on_pace);
        assert_eq!((r(2023).realised, r(2023).gap), (31.0, 49.0));
        assert!(!r(2023).on_pace);
        assert_eq!((r(2024).planned, r(2024).gap), (17.0, 72.0));
        assert_eq!(
            (r(2028).realised, r(2028).planned, r(2028).gap),
            (31.0, 43.0, 206.0)
        );
        assert!(table.rows.iter().all(|r| r.planned_year_unknown == 9.0));
        // Proposals: the undated 4 in every year, the 12 from 2025; never in the gap.
        assert_eq!((r(2024).proposed, r(2025).proposed), (4.0, 16.0));
        assert_eq!(r(2028).proposed, 16.0);
        assert_eq!(
            table.not_counted,
            NotCounted {
                proposed: 23.0,
                realised_after_deadline: 0.0,
                planned_after_deadline: 5.0,
            }
        );
        assert_eq!(table.row(2029), None);
    }

    #[test]
    fn on_pace_compares_realised_only() {
        let t = target(10, 2020, 2021, None);
        let ahead = [site(10.0, SiteStatus::Existing, Some(2021))];
        let r = pace(&t, &ahead).unwrap();
        assert!(r.rows[1].on_pace);
        let planned = [site(10.0, SiteStatus::Planned, Some(2021))];
        let r = pace(&t, &planned).unwrap();
        assert_eq!(r.rows[1].gap, 0.0);
        assert!(!r.rows[1].on_pace);
        // Rounding in the sum of units does not flip the verdict: 10 × 0.1 sums to
        // 0.9999999999999999 in floating point.
        let tenths: Vec<_> = (0..10)
            .map(|_| site(0.1, SiteStatus::Existing, None))
            .collect();
        let sum: f64 = tenths.iter().map(|s| s.units).sum();
        assert!(sum < 1.0);
        assert!(pace(&target(1, 2020, 2020, None), &tenths).unwrap().rows[0].on_pace);
        assert!(!pace(&target(2, 2020, 2020, None), &tenths).unwrap().rows[0].on_pace);
    }

    #[test]
    fn bad_records_are_errors_with_their_index() {
        let t = target(10, 2020, 2025, None);
        let bad = [
            site(1.0, SiteStatus::Existing, None),
            site(f64::NAN, SiteStatus::Existing, None),
        ];
        assert!(matches!(
            pace(&t, &bad),
            Err(PaceError::Units { index: 1, .. })
        ));
        let e = pace(&t, &[site(-2.0, SiteStatus::Planned, None)]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "zorglocatie 0: units moet een eindig getal van 0 of meer zijn, niet -2"
        );
        assert_eq!(
            pace(&t, &[site(1.0, SiteStatus::Planned, Some(24))]),
            Err(PaceError::Year { index: 0, year: 24 })
        );
        // Records of other groups are not checked.
        let other = [site(f64::NAN, SiteStatus::Existing, None).with_group("jongeren")];
        assert!(pace(&t, &other).is_ok());
    }

    #[test]
    fn year_parser_accepts_numbers_and_number_texts() {
        assert_eq!(parse_year(&json!(2024)), Ok(Some(2024)));
        assert_eq!(parse_year(&json!(2024.0)), Ok(Some(2024)));
        assert_eq!(parse_year(&json!("2024")), Ok(Some(2024)));
        assert_eq!(parse_year(&json!(" 2024.0 ")), Ok(Some(2024)));
        assert_eq!(parse_year(&json!("2024.00")), Ok(Some(2024)));
        assert_eq!(parse_year(&json!(null)), Ok(None));
        assert_eq!(parse_year(&json!("  ")), Ok(None));
    }

    #[test]
    fn year_parser_rejects_with_a_clear_message() {
        let msg = |v: serde_json::Value| parse_year(&v).unwrap_err().to_string();
        assert_eq!(
            msg(json!("volgend jaar")),
            "het jaar \"volgend jaar\" is niet bruikbaar: geen getal; schrijf een jaar met vier \
             cijfers, zoals 2024"
        );
        assert_eq!(
            msg(json!(24)),
            "het jaar 24 is niet bruikbaar: buiten 1900–2100; schrijf een jaar met vier cijfers, zoals 2024"
        );
        assert!(msg(json!(3024)).contains("3024 is niet bruikbaar: buiten 1900–2100"));
        assert!(msg(json!("3024")).contains("buiten"));
        assert!(msg(json!(2024.5)).contains("geen geheel getal"));
        assert!(msg(json!("2024.5")).contains("geen getal"));
        assert!(msg(json!("-2024")).contains("geen getal"));
        assert!(msg(json!("2e3")).contains("geen getal"));
        assert!(msg(json!(true)).contains("geen getal"));
        assert!(msg(json!([2024])).contains("geen getal"));
        assert!(msg(json!(-2024)).contains("buiten"));
        assert!(msg(json!(1e300)).contains("geen geheel getal"));
    }

    impl SiteRecord {
        fn with_group(mut self, g: &str) -> Self {
            self.group = g.into();
            self
        }
    }

    fn arb_site() -> impl Strategy<Value = SiteRecord> {
        (
            0u32..60,
            0usize..3,
            proptest::option::of(2015i32..2035),
            any::<bool>(),
        )
            .prop_map(|(u, s, year, other)| SiteRecord {
                group: if other { "jongeren" } else { "beschermd_thuis" }.into(),
                units: f64::from(u) * 0.5,
                status: SiteStatus::ALL[s],
                year,
            })
    }

    proptest! {
        #[test]
        fn realised_plus_planned_plus_gap_is_the_target(
            places in 1u32..2000,
            from in 2018i32..2026,
            len in 0i32..10,
            per_year in proptest::option::of(1u32..300),
            sites in proptest::collection::vec(arb_site(), 0..40),
        ) {
            let t = target(places, from, from + len, per_year);
            let table = pace(&t, &sites).unwrap();
            prop_assert_eq!(table.rows.len() as i32, len + 1);
            let mut previous: Option<&PaceRow> = None;
            for r in &table.rows {
                prop_assert!((r.realised + r.planned + r.gap - r.target).abs() <= 1e-9 * places as f64);
                prop_assert!(r.target >= 0.0 && r.target <= places as f64);
                if let Some(p) = previous {
                    prop_assert!(r.target >= p.target && r.realised >= p.realised && r.planned >= p.planned);
                }
                previous = Some(r);
            }
            if len > 0 || per_year.is_some() {
                prop_assert_eq!(table.rows[0].target, 0.0);
            }
            if per_year.is_none() {
                prop_assert_eq!(table.rows.last().unwrap().target, places as f64);
            }
        }
    }
}
