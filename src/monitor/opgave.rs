//! The opgave file: targets (number of places or homes per target group, with a deadline) that
//! the monitor follows.
//!
//! Policies state their task as a number of places by a year: Zwolle "streeft naar in totaal 280
//! plekken beschermd thuis wonen tot 2028", at "8 jaar lang 40 plekken per jaar"; the
//! West-Overijssel woonzorgvisie sets 1,855 geclusterde and 1,175 zorggeschikte woningen for
//! older people "tot 2030" (docs/METHOD.md §1.1 and §4.1). An opgave file writes such targets
//! down so the monitor can set them against realised and planned sites (Groningen's ambitie 4:
//! a monitor of supply against expected demand).
//!
//! # Format
//! ```toml
//! title = "Zwolle: beschermd thuis"
//!
//! [[target]]
//! group = "beschermd_thuis" # a configured target-group id
//! places = 280              # target number of places or homes (> 0)
//! from = 2021               # start year; nothing counts as realised under the target then
//! to = 2028                 # deadline (≥ from, not before the data year)
//! per_year = 40             # optional yearly pace; without it the path is linear
//! area = "GM0193"           # optional area code; default: the whole study
//! source = "Zwolle, Voortgangsrapportage Wonen en Zorg 2022-2023: ..."
//! ```
//! Unknown keys are rejected. Every error carries the line and column in the file.
//!
//! # Example
//! ```
//! use wijkbalans::monitor::Opgave;
//! let text = r#"
//! title = "Zwolle"
//! [[target]]
//! group = "beschermd_thuis"
//! places = 280
//! from = 2021
//! to = 2028
//! per_year = 40
//! source = "Zwolle, 2023: 280 plekken beschermd thuis tot 2028"
//! "#;
//! let opgave = Opgave::from_toml(text, &["beschermd_thuis"], 2022).unwrap();
//! assert_eq!(opgave.targets[0].path.places, 280);
//! assert_eq!(opgave.targets[0].path.per_year, Some(40));
//!
//! let err = Opgave::from_toml(text, &["beschermd_thuis"], 2030).unwrap_err();
//! assert_eq!(err.line, 7);
//! assert!(err.to_string().contains("doeljaar voor het jaar van de gegevens"));
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::format::line_col;
use toml::Spanned;

/// The years accepted anywhere in the monitor: those of every year a planner gives.
pub use crate::model::{MAX_YEAR, MIN_YEAR};

/// A validated opgave file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opgave {
    /// Title for reports.
    pub title: String,
    /// The targets, in file order.
    pub targets: Vec<Target>,
}

/// One target: `places` places or homes for `group` between `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// Target-group id, one of the configured groups.
    pub group: String,
    /// How many places by when, at what pace (serialised flat: `places`, `from`, `to`,
    /// `per_year`).
    #[serde(flatten)]
    pub path: TargetPath,
    /// Area code the target is for; `None`: the whole study.
    pub area: Option<String>,
    /// Where the target comes from (document and sentence).
    pub source: String,
}

/// The path of a target: `places` places or homes by `to`, counted from 0 in `from`, at
/// `per_year` a year or linearly (docs/METHOD.md §4.2). The monitor's [`Target`], its pace
/// table and the report's target share it.
///
/// # Example
/// 280 places from 2021 to 2028 at 40 a year: [`TargetPath::at`] 2023 is 40·2 = 80; 40·7 =
/// 280 ends exactly at the target, so [`TargetPath::pace_end`] is `None`.
/// ```
/// use wijkbalans::monitor::{PaceEnd, TargetPath};
/// let path = TargetPath { places: 280, from: 2021, to: 2028, per_year: Some(40) };
/// assert_eq!(path.at(2023), 80.0);
/// assert_eq!(path.pace_end(), None);
/// let slow = TargetPath { per_year: Some(30), ..path };
/// assert_eq!(slow.pace_end(), Some(PaceEnd::Short { reached: 210 }));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TargetPath {
    /// Target number of places or homes at the deadline (> 0).
    pub places: u32,
    /// Start year: the target path is 0 in this year.
    pub from: i32,
    /// Deadline year (≥ `from`).
    pub to: i32,
    /// Yearly pace (> 0), when the policy gives one; `None`: a linear path from `from` to `to`.
    pub per_year: Option<u32>,
}

/// Where a yearly pace ends when it does not end at the target ([`TargetPath::pace_end`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceEnd {
    /// p·(to − from) < places: the path ends at `reached` places at the deadline.
    Short {
        /// p·(to − from), the places the pace reaches by the deadline.
        reached: i64,
    },
    /// p·(to − from) > places: the pace reaches the places in `year`, before the deadline.
    Early {
        /// from + ⌈places/p⌉.
        year: i64,
    },
}

impl TargetPath {
    /// The cumulative target in `year`: min(p·(y − f), P) with a pace p, P·(y − f)/(t − f)
    /// without (P when t = f), for f ≤ y ≤ t; 0 before f and the value of t after t
    /// (docs/METHOD.md §4.2).
    pub fn at(&self, year: i32) -> f64 {
        let places = f64::from(self.places);
        let y = year.clamp(self.from, self.to);
        let elapsed = f64::from(y - self.from);
        match self.per_year {
            Some(p) => (f64::from(p) * elapsed).min(places),
            None if self.to == self.from => places,
            None => places * elapsed / f64::from(self.to - self.from),
        }
    }

    /// Where the yearly pace ends when it is not at the target by the deadline; `None` for a
    /// linear path or a pace that ends exactly at the target.
    pub fn pace_end(&self) -> Option<PaceEnd> {
        let p = i64::from(self.per_year?);
        let reached = p * i64::from(self.to - self.from);
        let places = i64::from(self.places);
        match reached.cmp(&places) {
            std::cmp::Ordering::Less => Some(PaceEnd::Short { reached }),
            std::cmp::Ordering::Greater => Some(PaceEnd::Early {
                year: i64::from(self.from) + (places + p - 1) / p,
            }),
            std::cmp::Ordering::Equal => None,
        }
    }
}

/// An error in an opgave file, with its position (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("regel {line}, kolom {column}: {kind}")]
pub struct OpgaveError {
    /// Line in the file (1-based).
    pub line: usize,
    /// Column in the line (1-based, counted in characters).
    pub column: usize,
    /// What is wrong.
    pub kind: OpgaveErrorKind,
}

/// What is wrong in an opgave file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OpgaveErrorKind {
    /// The TOML does not parse or does not fit the format (unknown key, missing key, wrong
    /// type), in Dutch ([`crate::format::toml_message`]).
    #[error("{0}")]
    Toml(String),
    /// The file has no `[[target]]` table.
    #[error("het opgavebestand heeft geen [[target]]; voeg ten minste één doel toe")]
    NoTargets,
    /// A text field that must say something is empty.
    #[error("`{0}` is leeg; zeg wat de opgave is en waar die vandaan komt")]
    Empty(&'static str),
    /// A text holds a line break, a control character or a bidirectional override
    /// ([`crate::model::unprintable`]).
    #[error("`{key}` {what}")]
    Unprintable {
        /// The key.
        key: &'static str,
        /// What it holds, in Dutch ([`crate::model::unprintable_text`]).
        what: String,
    },
    /// The group is not one of the configured target groups.
    #[error("{}", crate::model::unknown_group(group, known))]
    UnknownGroup {
        /// The group in the file.
        group: String,
        /// The configured group ids.
        known: Vec<String>,
    },
    /// `places` is zero or negative, or too large.
    #[error("places moet een geheel getal groter dan 0 zijn, niet {0}")]
    Places(i64),
    /// `per_year` is zero or negative, or too large.
    #[error(
        "per_year moet een geheel getal groter dan 0 zijn, niet {0}; laat het weg voor een rechte lijn"
    )]
    PerYear(i64),
    /// A year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    #[error("het jaar {0} ligt buiten {MIN_YEAR}–{MAX_YEAR}; schrijf een jaar met vier cijfers, zoals 2028")]
    YearRange(i64),
    /// `to` is before `from`.
    #[error("het eindjaar to = {to} ligt voor het beginjaar from = {from}")]
    YearOrder {
        /// Start year.
        from: i32,
        /// Deadline year.
        to: i32,
    },
    /// The deadline lies before the year of the data the monitor is run on.
    #[error(
        "doeljaar voor het jaar van de gegevens: doelgroep '{group}' heeft to = {to}, maar de \
         gegevens zijn van {data_year}; verschuif het eindjaar of laat het doel weg"
    )]
    BeforeDataYear {
        /// Target group.
        group: String,
        /// Deadline year.
        to: i32,
        /// Year of the data.
        data_year: i32,
    },
    /// The same group and area are targeted twice.
    #[error(
        "doelgroep '{group}' ({}) heeft een tweede doel (het eerste staat op regel {first_line}); \
         voeg ze samen tot één",
        area.as_deref().unwrap_or("hele studie")
    )]
    Duplicate {
        /// Target group.
        group: String,
        /// Area code, `None` for the whole study.
        area: Option<String>,
        /// Line of the first target.
        first_line: usize,
    },
    /// Two targets of one group whose area codes differ only in case, space or invisible
    /// characters ([`crate::model::code_key`]): one area targeted twice.
    #[error(
        "doelgroep '{group}' heeft een tweede doel voor gebied {area}, dat alleen in hoofdletters, \
         spaties of onzichtbare tekens verschilt van het gebied {first_area} van het doel op \
         regel {first_line}, dus beide noemen één gebied; voeg ze samen tot één"
    )]
    SameArea {
        /// Target group.
        group: String,
        /// Area code of this target, as written.
        area: String,
        /// Area code of the first target, as written.
        first_area: String,
        /// Line of the first target.
        first_line: usize,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOpgave {
    title: Spanned<String>,
    #[serde(default)]
    target: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    group: Spanned<String>,
    places: Spanned<i64>,
    from: Spanned<i64>,
    to: Spanned<i64>,
    #[serde(default)]
    per_year: Option<Spanned<i64>>,
    #[serde(default)]
    area: Option<Spanned<String>>,
    source: Spanned<String>,
}

impl Opgave {
    /// Parse and validate an opgave file.
    ///
    /// # Parameters
    /// - `text`: the TOML text.
    /// - `groups`: the configured target-group ids; a target for any other group is an error
    ///   that lists these.
    /// - `data_year`: year of the data the monitor runs on; a deadline before it is an error.
    ///
    /// # Returns
    /// The targets in file order, or the first error with its line and column. Checks: known
    /// group, 0 < places, 0 < per_year, years in [`MIN_YEAR`]..=[`MAX_YEAR`], from ≤ to,
    /// data_year ≤ to, non-empty title, source and area, one target per (group, area).
    pub fn from_toml<S: AsRef<str>>(
        text: &str,
        groups: &[S],
        data_year: i32,
    ) -> Result<Self, OpgaveError> {
        let raw: RawOpgave = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            error(
                text,
                &(at..at),
                OpgaveErrorKind::Toml(crate::format::toml_message_in(text, &e)),
            )
        })?;
        let title = nonempty(text, raw.title, "title")?;
        if raw.target.is_empty() {
            return Err(error(text, &(0..0), OpgaveErrorKind::NoTargets));
        }
        let known: Vec<String> = groups.iter().map(|g| g.as_ref().to_string()).collect();
        let mut targets = Vec::with_capacity(raw.target.len());
        let mut seen: Vec<(String, Option<String>, usize)> = Vec::new();
        for spanned in raw.target {
            let table_span = spanned.span();
            let t = spanned.into_inner();
            let target = validate_target(text, t, &known, data_year)?;
            let line = line_col(text, table_span.start).0;
            let key = target.area.as_deref().map(crate::model::code_key);
            if let Some((_, first_area, first_line)) = seen.iter().find(|(g, a, _)| {
                *g == target.group && a.as_deref().map(crate::model::code_key) == key
            }) {
                let kind = match (&target.area, first_area) {
                    (Some(area), Some(first_area)) if area != first_area => {
                        OpgaveErrorKind::SameArea {
                            group: target.group.clone(),
                            area: area.clone(),
                            first_area: first_area.clone(),
                            first_line: *first_line,
                        }
                    }
                    _ => OpgaveErrorKind::Duplicate {
                        group: target.group.clone(),
                        area: target.area.clone(),
                        first_line: *first_line,
                    },
                };
                return Err(error(text, &table_span, kind));
            }
            seen.push((target.group.clone(), target.area.clone(), line));
            targets.push(target);
        }
        Ok(Self { title, targets })
    }
}

fn validate_target(
    text: &str,
    t: RawTarget,
    known: &[String],
    data_year: i32,
) -> Result<Target, OpgaveError> {
    let group_span = t.group.span();
    // Ids are compared in any case, as on the command line (`Jongeren` is `jongeren`).
    let group = t.group.into_inner();
    let Some(group) = crate::model::group_in(known, &group) else {
        return Err(error(
            text,
            &group_span,
            OpgaveErrorKind::UnknownGroup {
                group,
                known: known.to_vec(),
            },
        ));
    };
    let places = match u32::try_from(*t.places.get_ref()) {
        Ok(p) if p > 0 => p,
        _ => {
            let v = *t.places.get_ref();
            return Err(error(text, &t.places.span(), OpgaveErrorKind::Places(v)));
        }
    };
    let per_year = match t.per_year {
        None => None,
        Some(p) => match u32::try_from(*p.get_ref()) {
            Ok(v) if v > 0 => Some(v),
            _ => {
                let v = *p.get_ref();
                return Err(error(text, &p.span(), OpgaveErrorKind::PerYear(v)));
            }
        },
    };
    let from = year(text, &t.from)?;
    let to = year(text, &t.to)?;
    if to < from {
        return Err(error(
            text,
            &t.to.span(),
            OpgaveErrorKind::YearOrder { from, to },
        ));
    }
    if to < data_year {
        return Err(error(
            text,
            &t.to.span(),
            OpgaveErrorKind::BeforeDataYear {
                group,
                to,
                data_year,
            },
        ));
    }
    // Codes are read as the areas' codes are: without invisible characters or surrounding
    // space (docs/METHOD.md §2.2, "Codes").
    let area = t
        .area
        .map(|a| {
            let span = a.span();
            let code = crate::model::clean_text(a.get_ref());
            nonempty(text, Spanned::new(span, code), "area")
        })
        .transpose()?;
    let source = nonempty(text, t.source, "source")?;
    Ok(Target {
        group,
        path: TargetPath {
            places,
            from,
            to,
            per_year,
        },
        area,
        source,
    })
}

fn year(text: &str, y: &Spanned<i64>) -> Result<i32, OpgaveError> {
    let v = *y.get_ref();
    crate::model::plausible_year(v)
        .ok_or_else(|| error(text, &y.span(), OpgaveErrorKind::YearRange(v)))
}

fn nonempty(text: &str, s: Spanned<String>, key: &'static str) -> Result<String, OpgaveError> {
    let span = s.span();
    let v = s.into_inner();
    if v.trim().is_empty() {
        Err(error(text, &span, OpgaveErrorKind::Empty(key)))
    } else if let Some((c, line_break)) = crate::model::unprintable(&v) {
        let kind = OpgaveErrorKind::Unprintable {
            key,
            what: crate::model::unprintable_text(c, line_break),
        };
        Err(error(text, &span, kind))
    } else {
        Ok(v.trim().to_string())
    }
}

fn error(text: &str, span: &Range<usize>, kind: OpgaveErrorKind) -> OpgaveError {
    let (line, column) = line_col(text, span.start);
    OpgaveError { line, column, kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUPS: [&str; 3] = ["beschermd_thuis", "ouderen_geclusterd", "jongeren"];

    const ZWOLLE: &str = r#"title = "Zwolle"

[[target]]
group = "beschermd_thuis"
places = 280
from = 2021
to = 2028
per_year = 40
area = "GM0193"
source = "Zwolle: 280 plekken beschermd thuis tot 2028"
"#;

    fn with(line: &str, replacement: &str) -> String {
        ZWOLLE.replace(line, replacement)
    }

    fn kind(text: &str) -> (usize, usize, OpgaveErrorKind) {
        let e = Opgave::from_toml(text, &GROUPS, 2022).unwrap_err();
        (e.line, e.column, e.kind)
    }

    #[test]
    fn the_example_parses() {
        let o = Opgave::from_toml(ZWOLLE, &GROUPS, 2022).unwrap();
        assert_eq!(o.title, "Zwolle");
        assert_eq!(
            o.targets,
            vec![Target {
                group: "beschermd_thuis".into(),
                path: TargetPath {
                    places: 280,
                    from: 2021,
                    to: 2028,
                    per_year: Some(40),
                },
                area: Some("GM0193".into()),
                source: "Zwolle: 280 plekken beschermd thuis tot 2028".into(),
            }]
        );
    }

    #[test]
    fn optional_keys_may_be_left_out() {
        let text = with("per_year = 40\narea = \"GM0193\"\n", "");
        let o = Opgave::from_toml(&text, &GROUPS, 2022).unwrap();
        assert_eq!(o.targets[0].path.per_year, None);
        assert_eq!(o.targets[0].area, None);
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_position() {
        let (line, column, k) = kind(&with("per_year = 40", "per_jaar = 40"));
        assert_eq!((line, column), (8, 1));
        let OpgaveErrorKind::Toml(msg) = k else {
            panic!("{k:?}")
        };
        assert!(
            msg.starts_with("onbekend veld 'per_jaar'; kies een van: "),
            "{msg}"
        );
    }

    #[test]
    fn a_syntax_error_reports_line_and_column() {
        let e = Opgave::from_toml(&with("places = 280", "places = "), &GROUPS, 2022).unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.to_string().starts_with("regel 5, kolom"), "{e}");
    }

    #[test]
    fn a_missing_key_is_an_error() {
        let (_, _, k) = kind(&with("places = 280\n", ""));
        let OpgaveErrorKind::Toml(msg) = k else {
            panic!("{k:?}")
        };
        assert_eq!(msg, "het veld 'places' ontbreekt");
    }

    #[test]
    fn an_unknown_group_lists_the_configured_groups() {
        let e = Opgave::from_toml(
            &with("\"beschermd_thuis\"", "\"beschermd_wonen\""),
            &GROUPS,
            2022,
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 9));
        assert_eq!(
            e.to_string(),
            "regel 4, kolom 9: onbekende doelgroep 'beschermd_wonen'; kies een van: \
             beschermd_thuis, ouderen_geclusterd, jongeren"
        );
        // A group is named in any case, as on the command line; a close one is named.
        let o = Opgave::from_toml(
            &with("\"beschermd_thuis\"", "\"Beschermd_Thuis\""),
            &GROUPS,
            2022,
        )
        .unwrap();
        assert_eq!(o.targets[0].group, "beschermd_thuis");
        let e = Opgave::from_toml(
            &with("\"beschermd_thuis\"", "\"beschermd thuis\""),
            &GROUPS,
            2022,
        )
        .unwrap_err();
        assert!(e.to_string().contains("bedoeld: 'beschermd_thuis'?"), "{e}");
    }

    #[test]
    fn places_and_pace_must_be_positive() {
        assert_eq!(
            kind(&with("places = 280", "places = 0")),
            (5, 10, OpgaveErrorKind::Places(0))
        );
        assert_eq!(
            kind(&with("places = 280", "places = -3")).2,
            OpgaveErrorKind::Places(-3)
        );
        assert_eq!(
            kind(&with("per_year = 40", "per_year = 0")),
            (8, 12, OpgaveErrorKind::PerYear(0))
        );
        // A fractional number is a type error from toml.
        assert!(matches!(
            kind(&with("places = 280", "places = 280.5")).2,
            OpgaveErrorKind::Toml(_)
        ));
    }

    #[test]
    fn years_must_be_in_order_and_four_digits() {
        assert_eq!(
            kind(&with("to = 2028", "to = 2020")),
            (
                7,
                6,
                OpgaveErrorKind::YearOrder {
                    from: 2021,
                    to: 2020
                }
            )
        );
        assert_eq!(
            kind(&with("from = 2021", "from = 21")).2,
            OpgaveErrorKind::YearRange(21)
        );
        // from = to is a one-year target.
        let o = Opgave::from_toml(&with("from = 2021", "from = 2028"), &GROUPS, 2022).unwrap();
        assert_eq!((o.targets[0].path.from, o.targets[0].path.to), (2028, 2028));
    }

    #[test]
    fn a_deadline_before_the_data_year_is_an_error() {
        let e = Opgave::from_toml(ZWOLLE, &GROUPS, 2029).unwrap_err();
        assert_eq!((e.line, e.column), (7, 6));
        assert!(e.to_string().contains(
            "doeljaar voor het jaar van de gegevens: doelgroep 'beschermd_thuis' heeft to = 2028"
        ));
        // The deadline year itself is fine.
        assert!(Opgave::from_toml(ZWOLLE, &GROUPS, 2028).is_ok());
    }

    #[test]
    fn empty_texts_and_no_targets_are_errors() {
        assert_eq!(
            kind(&with("title = \"Zwolle\"", "title = \" \"")),
            (1, 9, OpgaveErrorKind::Empty("title"))
        );
        assert_eq!(
            kind(&with("area = \"GM0193\"", "area = \"\"")).2,
            OpgaveErrorKind::Empty("area")
        );
        assert_eq!(
            kind("title = \"Leeg\"\n"),
            (1, 1, OpgaveErrorKind::NoTargets)
        );
        // A terminal escape or a bell in a text that the report and monitor.json show.
        let (_, _, escape) = kind(&with("title = \"Zwolle\"", "title = \"Zwolle\\u001b[2J\""));
        assert_eq!(
            escape.to_string(),
            "`title` bevat een stuurteken (U+001B); laat het weg"
        );
        let (_, _, bell) = kind(&with(
            "source = \"Zwolle: 280",
            "source = \"Zwolle\\u0007: 280",
        ));
        assert!(matches!(
            bell,
            OpgaveErrorKind::Unprintable { key: "source", .. }
        ));
    }

    #[test]
    fn the_same_group_and_area_twice_is_an_error() {
        let text = format!(
            "{ZWOLLE}\n{}",
            &ZWOLLE[ZWOLLE.find("[[target]]").unwrap()..]
        );
        let e = Opgave::from_toml(&text, &GROUPS, 2022).unwrap_err();
        assert_eq!(e.line, 12);
        assert!(
            e.to_string()
                .contains("(GM0193) heeft een tweede doel (het eerste staat op regel 3)"),
            "{e}"
        );
        // Another area for the same group is fine.
        let other = text.replacen("area = \"GM0193\"", "area = \"WK019311\"", 1);
        assert_eq!(
            Opgave::from_toml(&other, &GROUPS, 2022)
                .unwrap()
                .targets
                .len(),
            2
        );
    }

    #[test]
    fn the_shipped_illustrative_file_is_valid() {
        let text = include_str!("../../data/opgave_zwolle_illustratief.toml");
        let groups: Vec<String> = crate::model::default_target_groups()
            .into_iter()
            .map(|g| g.id)
            .collect();
        let o = Opgave::from_toml(text, &groups, 2022).unwrap();
        assert!(o.title.contains("ILLUSTRATIEF"));
        let summary: Vec<_> = o
            .targets
            .iter()
            .map(|t| {
                (
                    t.group.as_str(),
                    t.path.places,
                    t.path.from,
                    t.path.to,
                    t.path.per_year,
                )
            })
            .collect();
        // Only Zwolle's own target: the regional West-Overijssel targets belong in a regional
        // opgave (the file explains why).
        assert_eq!(
            summary,
            vec![("beschermd_thuis", 280, 2021, 2028, Some(40))]
        );
        assert_eq!(o.targets[0].area.as_deref(), Some("GM0193"));
        assert!(o.targets[0].source.contains("280 plekken"));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\nçd", 0), (1, 1));
        assert_eq!(line_col("ab\nçd", 3), (2, 1));
        assert_eq!(line_col("ab\nçd", 5), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
