//! Comparison of two vintages of the same areas (e.g. CBS wijken 2022 against 2024).
//!
//! Areas are matched by code, compared as everywhere in wijkbalans without case, surrounding
//! space and invisible characters ([`crate::model::code_key`]: `wk019301` matches `WK019301`;
//! two codes of one vintage that differ only so are an error). CBS redraws wijk and buurt boundaries between years while often
//! keeping the code, so a matching code does not prove the same area: every matched pair is
//! checked on its geometry, and a pair whose boundary changed is flagged and kept apart.
//!
//! - Relative area difference: ΔA = |A_after − A_before| / A_before.
//! - Centroid shift: d = ‖c_after − c_before‖ (Euclidean, in metres).
//! - Boundary changed when ΔA > `area_tol` (default 0.05) or d > `shift_tol_m` (default 250 m),
//!   or when either cannot be computed (an empty geometry, A_before = 0).
//!
//! For every matched area and every value key present in both vintages: before, after,
//! change = after − before and relative change = change / |before| (`None` with a note when
//! before is 0 or a value is missing). Areas with a changed boundary keep before and after but
//! get no change (`None`, note "grens gewijzigd: niet vergeleken"), and go to [`Comparison::boundary_changed`],
//! never to [`Comparison::matched`]: their change would mix a real change with a change of the
//! area itself.
//!
//! What happened to a boundary is named per area ([`Comparison::boundary_events`]): an earlier
//! area B and a later area A are linked when |B ∩ A| ≥ `overlap_tol` (default 0.10) × the
//! smaller of |B| and |A|. An earlier area linked to two or more later ones was split
//! (`gesplitst`), a later area linked to two or more earlier ones is a merger
//! (`samengevoegd`); their parts are `afgesplitst` and `opgegaan`; any other area whose boundary
//! changed or whose code is in one vintage only was redrawn (`grens_verlegd`, with the areas it
//! overlaps), is new (`nieuw`) or is gone (`vervallen`). Every area with a changed boundary or a code in one vintage only gets an event;
//! an unchanged matched area none.
//!
//! Both vintages must be in the same metric CRS (e.g. EPSG:28992); the tolerances are in m² and
//! m, and lon/lat degrees would make them meaningless.
//!
//! Reference: CBS, *Toelichting Wijk- en Buurtkaart* (yearly redrawn boundaries, codes that may
//! be kept); Groningen's ambitie 4, a monitor over time (docs/METHOD.md §1.1 and §4.4).
//!
//! # Example
//! Hand check: a 1000 m × 1000 m wijk moved 300 m east keeps its area (ΔA = 0) but its centroid
//! moves 300 m > 250 m, so it is flagged; its population 1000 → 1100 is a change of 100 (+10 %).
//! ```
//! use std::collections::BTreeMap;
//! use geo::{polygon, MultiPolygon};
//! use wijkbalans::monitor::{compare, signal_move, CompareOptions, VintageArea};
//!
//! let square = |x: f64| MultiPolygon::new(vec![polygon![
//!     (x: x, y: 0.0), (x: x + 1000.0, y: 0.0), (x: x + 1000.0, y: 1000.0), (x: x, y: 1000.0)]]);
//! let wijk = |code: &str, x: f64, pop: f64| VintageArea {
//!     code: code.into(), name: code.into(), geometry: square(x),
//!     values: BTreeMap::from([("population".to_string(), Some(pop))]),
//! };
//! let before = [wijk("WK019301", 0.0, 1000.0), wijk("WK019302", 5000.0, 800.0)];
//! let after = [wijk("WK019301", 300.0, 1100.0), wijk("WK019302", 5000.0, 800.0)];
//! let c = compare(&before, &after, &CompareOptions::default()).unwrap();
//! assert_eq!(c.matched[0].code, "WK019302");
//! let moved = &c.boundary_changed[0];
//! assert_eq!(moved.boundary.centroid_shift_m, Some(300.0));
//! assert_eq!(moved.values["population"].after, Some(1100.0));
//! assert_eq!(moved.values["population"].change, None); // not the same area: no change
//! assert_eq!(c.boundary_events[0].kind, "grens_verlegd");
//! assert_eq!(signal_move("neutraal", "oranje"), "neutraal → oranje");
//! ```

use std::collections::{BTreeMap, BTreeSet};

use geo::{Area, Centroid, MultiPolygon};
use serde::Serialize;

/// One area of one vintage, in a metric CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct VintageArea {
    /// Area code, e.g. `WK019311`; unique within the vintage.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Boundary in a metric CRS (the same for both vintages).
    pub geometry: MultiPolygon<f64>,
    /// Values by key (e.g. `population`), `None` when missing or suppressed.
    pub values: BTreeMap<String, Option<f64>>,
}

/// Tolerances for a boundary change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareOptions {
    /// Largest relative area difference |A_after − A_before| / A_before still counted as the
    /// same boundary. Default 0.05.
    pub area_tol: f64,
    /// Largest centroid shift in metres still counted as the same boundary. Default 250.
    pub shift_tol_m: f64,
    /// Smallest overlap |B ∩ A| / min(|B|, |A|) that links an earlier and a later area in a
    /// boundary event (split, merger, redrawn). Default 0.10: generalisation slivers between
    /// vintages stay below it, a real part of a wijk does not.
    pub overlap_tol: f64,
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            area_tol: 0.05,
            shift_tol_m: 250.0,
            overlap_tol: 0.10,
        }
    }
}

/// The geometry check of a matched pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundaryCheck {
    /// Area before, in m².
    pub area_before_m2: f64,
    /// Area after, in m².
    pub area_after_m2: f64,
    /// |A_after − A_before| / A_before, `None` when A_before = 0.
    pub relative_area_difference: Option<f64>,
    /// Distance between the centroids in metres, `None` when a geometry is empty.
    pub centroid_shift_m: Option<f64>,
    /// Whether the boundary counts as changed.
    pub changed: bool,
    /// Why it counts as changed, in Dutch (empty when it does not).
    pub reasons: Vec<String>,
}

/// One value key of a matched pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueChange {
    /// Value before (`None`: missing or not finite).
    pub before: Option<f64>,
    /// Value after.
    pub after: Option<f64>,
    /// after − before, when both are present.
    pub change: Option<f64>,
    /// (after − before) / |before|, when both are present and before ≠ 0.
    pub relative_change: Option<f64>,
    /// Why `change` or `relative_change` is missing.
    pub note: Option<String>,
}

/// A pair of areas with the same code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaComparison {
    /// Area code, as the later vintage writes it (the earlier one may differ in case or
    /// invisible characters, [`crate::model::code_key`]).
    pub code: String,
    /// Name in the earlier vintage.
    pub name_before: String,
    /// Name in the later vintage.
    pub name_after: String,
    /// The geometry check.
    pub boundary: BoundaryCheck,
    /// Changes per value key present in both vintages of this area.
    pub values: BTreeMap<String, ValueChange>,
}

/// An area present in one vintage only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRef {
    /// Area code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// The comparison of two vintages; every list is sorted by code ([`crate::model::code_key`]) or
/// key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Areas in both vintages with an unchanged boundary (within the tolerances).
    pub matched: Vec<AreaComparison>,
    /// Areas in both vintages whose boundary changed: not like-for-like, show separately.
    pub boundary_changed: Vec<AreaComparison>,
    /// Codes only in the earlier vintage.
    pub only_before: Vec<AreaRef>,
    /// Codes only in the later vintage.
    pub only_after: Vec<AreaRef>,
    /// Value keys found in the earlier vintage and in no area of the later one.
    pub keys_only_before: Vec<String>,
    /// Value keys found in the later vintage and in no area of the earlier one.
    pub keys_only_after: Vec<String>,
    /// What happened to every boundary that did not stay the same (split, merger, redrawn, new,
    /// gone), sorted by vintage (`before` first) and code.
    pub boundary_events: Vec<BoundaryEvent>,
}

/// What happened to one area's boundary between the vintages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundaryEvent {
    /// The area's code.
    pub code: String,
    /// The vintage the code is from: `before` or `after`.
    pub vintage: &'static str,
    /// `gesplitst` (an earlier area over ≥ 2 later ones) and `afgesplitst` (a later area that is
    /// one of those parts), `samengevoegd` (a later area from ≥ 2 earlier ones) and `opgegaan`
    /// (an earlier area that went into one), `grens_verlegd` (otherwise changed; a redrawn area
    /// that keeps its code is named once, on its earlier side), `nieuw` (a later code overlapping
    /// no earlier area), `vervallen` (an earlier code overlapping no later area).
    pub kind: &'static str,
    /// The areas of the other vintage it is linked to, with their overlap |B ∩ A| / |this
    /// area|, sorted by code.
    pub linked: Vec<(String, f64)>,
}

impl BoundaryEvent {
    /// The event in Dutch for a planner: "WK019399 (2022) is gesplitst in WK019398 (60 %),
    /// WK019399 (40 %)".
    pub fn text(&self, before: &str, after: &str) -> String {
        let (own, other) = if self.vintage == "before" {
            (before, after)
        } else {
            (after, before)
        };
        let linked: Vec<String> = self
            .linked
            .iter()
            .map(|(c, f)| format!("{c} ({} %)", crate::table::nl(100.0 * f, 0)))
            .collect();
        let list = linked.join(", ");
        match self.kind {
            "gesplitst" => format!("{} ({own}) is gesplitst in {list} ({other})", self.code),
            "samengevoegd" => {
                format!("{} ({own}) is samengevoegd uit {list} ({other})", self.code)
            }
            "afgesplitst" => format!("{} ({own}) is afgesplitst van {list} ({other})", self.code),
            "opgegaan" => format!("{} ({own}) is opgegaan in {list} ({other})", self.code),
            "nieuw" => format!(
                "{} ({own}) is nieuw: geen gebied van {other} overlapt",
                self.code
            ),
            "vervallen" => {
                format!(
                    "{} ({own}) is vervallen: geen gebied van {other} overlapt",
                    self.code
                )
            }
            _ => format!(
                "{} ({own}): grens verlegd; overlapt in {other} {list}",
                self.code
            ),
        }
    }
}

/// The vintage `before` or `after` in a Dutch message: "eerdere" or "latere".
fn vintage_nl(vintage: &str) -> &'static str {
    if vintage == "before" {
        "eerdere"
    } else {
        "latere"
    }
}

/// Why two vintages cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// Not one code is in both vintages.
    #[error(
        "de twee jaargangen hebben geen gebiedscode gemeen ({} gebieden ervoor, {} \
         erna); controleer dat beide hetzelfde niveau (wijken tegen wijken) van dezelfde \
         gemeente zijn",
        crate::format::count(*before),
        crate::format::count(*after)
    )]
    NoCommonCodes {
        /// Number of areas before.
        before: usize,
        /// Number of areas after.
        after: usize,
    },
    /// A code appears twice in one vintage.
    #[error(
        "de gebiedscode {code} staat twee keer in de {} jaargang",
        vintage_nl(vintage)
    )]
    DuplicateCode {
        /// `before` or `after`.
        vintage: &'static str,
        /// The code.
        code: String,
    },
    /// Two codes of one vintage differ only in case, space or invisible characters
    /// ([`crate::model::code_key`]): one area written twice.
    #[error(
        "de gebiedscodes {first:?} en {second:?} van de {} jaargang verschillen alleen in \
         hoofdletters, spaties of onzichtbare tekens, dus ze noemen één gebied",
        vintage_nl(vintage)
    )]
    SameCode {
        /// `before` or `after`.
        vintage: &'static str,
        /// The first code, as written.
        first: String,
        /// The second code, as written.
        second: String,
    },
    /// A tolerance is negative or not finite.
    #[error("{name} moet een eindig getal van 0 of meer zijn, niet {value}")]
    Tolerance {
        /// `area_tol`, `shift_tol_m` or `overlap_tol`.
        name: &'static str,
        /// The value.
        value: f64,
    },
}

/// Compare two vintages of the same areas.
///
/// # Parameters
/// - `before`, `after`: the areas of each vintage, in any order, in the same metric CRS.
/// - `options`: the tolerances for a boundary change.
///
/// # Returns
/// Matched areas (unchanged boundary), flagged areas (changed boundary), codes in one vintage
/// only, and value keys in one vintage only, each sorted by code or key. Codes are compared
/// without case and invisible characters ([`crate::model::code_key`]). `Err` when no code is
/// in both vintages, a code repeats within a vintage (also differing only so), or a tolerance
/// is negative or not finite.
pub fn compare(
    before: &[VintageArea],
    after: &[VintageArea],
    options: &CompareOptions,
) -> Result<Comparison, CompareError> {
    for (name, value) in [
        ("area_tol", options.area_tol),
        ("shift_tol_m", options.shift_tol_m),
        ("overlap_tol", options.overlap_tol),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(CompareError::Tolerance { name, value });
        }
    }
    let b = by_code(before, "before")?;
    let a = by_code(after, "after")?;
    if !b.keys().any(|code| a.contains_key(code)) {
        return Err(CompareError::NoCommonCodes {
            before: before.len(),
            after: after.len(),
        });
    }

    let mut matched = Vec::new();
    let mut boundary_changed = Vec::new();
    for (code, area_b) in &b {
        let Some(area_a) = a.get(code) else {
            continue;
        };
        let boundary = boundary_check(&area_b.geometry, &area_a.geometry, options);
        let values = area_b
            .values
            .iter()
            .filter_map(|(key, vb)| {
                let va = area_a.values.get(key)?;
                let mut v = value_change(*vb, *va);
                if boundary.changed {
                    // Not the same area: before and after stay, the change does not.
                    v.change = None;
                    v.relative_change = None;
                    v.note = Some("grens gewijzigd: niet vergeleken".to_string());
                }
                Some((key.clone(), v))
            })
            .collect();
        let pair = AreaComparison {
            code: area_a.code.clone(),
            name_before: area_b.name.clone(),
            name_after: area_a.name.clone(),
            boundary,
            values,
        };
        if pair.boundary.changed {
            boundary_changed.push(pair);
        } else {
            matched.push(pair);
        }
    }

    let only = |x: &BTreeMap<String, &VintageArea>, y: &BTreeMap<String, &VintageArea>| {
        x.iter()
            .filter(|(key, _)| !y.contains_key(*key))
            .map(|(_, v)| AreaRef {
                code: v.code.clone(),
                name: v.name.clone(),
            })
            .collect()
    };
    let keys = |areas: &[VintageArea]| -> BTreeSet<String> {
        areas
            .iter()
            .flat_map(|v| v.values.keys().cloned())
            .collect()
    };
    let (keys_b, keys_a) = (keys(before), keys(after));
    let changed: BTreeSet<String> = boundary_changed
        .iter()
        .map(|p| crate::model::code_key(&p.code))
        .collect();
    let boundary_events = boundary_events(&b, &a, &changed, options.overlap_tol);
    Ok(Comparison {
        matched,
        boundary_changed,
        only_before: only(&b, &a),
        only_after: only(&a, &b),
        keys_only_before: keys_b.difference(&keys_a).cloned().collect(),
        keys_only_after: keys_a.difference(&keys_b).cloned().collect(),
        boundary_events,
    })
}

/// The boundary events of [`compare`]: for every area whose boundary changed or whose code is in
/// one vintage only, the areas of the other vintage it overlaps by at least `tol` × the smaller
/// area, and what that makes it (see the module documentation). Polygon overlay by
/// `geo::BooleanOps`, after a bounding-box test.
///
/// The maps are keyed by [`crate::model::code_key`], as is `changed`; the events name each
/// code as its vintage writes it.
fn boundary_events(
    b: &BTreeMap<String, &VintageArea>,
    a: &BTreeMap<String, &VintageArea>,
    changed: &BTreeSet<String>,
    tol: f64,
) -> Vec<BoundaryEvent> {
    use geo::{BooleanOps, BoundingRect, Intersects};
    let involved = |code: &str, other: &BTreeMap<String, &VintageArea>| {
        changed.contains(code) || !other.contains_key(code)
    };
    // Overlaps of every involved earlier area with every later area and the reverse.
    let mut links: Vec<(&str, &str, f64)> = Vec::new(); // (before, after, |B ∩ A|)
    for (cb, vb) in b {
        for (ca, va) in a {
            if !(involved(cb, a) || involved(ca, b)) {
                continue;
            }
            let (Some(rb), Some(ra)) = (vb.geometry.bounding_rect(), va.geometry.bounding_rect())
            else {
                continue;
            };
            if !rb.intersects(&ra) {
                continue;
            }
            let shared = vb.geometry.intersection(&va.geometry).unsigned_area();
            let smaller = vb.geometry.unsigned_area().min(va.geometry.unsigned_area());
            if smaller > 0.0 && shared >= tol * smaller {
                links.push((cb.as_str(), ca.as_str(), shared));
            }
        }
    }
    // A split or merger creates or removes a code: an earlier area over two or more later
    // ones is split when its code is gone or one of them is new; a later area from two or more
    // earlier ones is a merger when its code is new or one of them is gone. Otherwise the
    // boundaries between existing areas were redrawn.
    let after_of =
        |cb: &str| -> Vec<&str> { links.iter().filter(|l| l.0 == cb).map(|l| l.1).collect() };
    let before_of =
        |ca: &str| -> Vec<&str> { links.iter().filter(|l| l.1 == ca).map(|l| l.0).collect() };
    let is_split = |cb: &str| {
        let parts = after_of(cb);
        parts.len() >= 2 && (!a.contains_key(cb) || parts.iter().any(|ca| !b.contains_key(*ca)))
    };
    let is_merged = |ca: &str| {
        let parts = before_of(ca);
        parts.len() >= 2 && (!b.contains_key(ca) || parts.iter().any(|cb| !a.contains_key(*cb)))
    };
    let fractions = |own: &VintageArea,
                     linked: Vec<(&str, f64)>,
                     other: &BTreeMap<String, &VintageArea>|
     -> Vec<(String, f64)> {
        let own_area = own.geometry.unsigned_area();
        linked
            .into_iter()
            .map(|(c, shared)| {
                let f = if own_area > 0.0 {
                    shared / own_area
                } else {
                    0.0
                };
                let written = other.get(c).map_or(c, |v| v.code.as_str());
                (written.to_string(), crate::table::round(f, 4))
            })
            .collect()
    };
    // The areas of the other vintage linked to `code` (of the earlier vintage when `before`),
    // with the shared area.
    let linked_to = |code: &str, before: bool| -> Vec<(&str, f64)> {
        links
            .iter()
            .filter(|l| if before { l.0 == code } else { l.1 == code })
            .map(|l| (if before { l.1 } else { l.0 }, l.2))
            .collect()
    };
    let mut events = Vec::new();
    for (cb, vb) in b {
        if !involved(cb, a) {
            continue;
        }
        let linked = linked_to(cb, true);
        let kind = match linked.as_slice() {
            [] => "vervallen",
            [(ca, _)] if is_merged(ca) => "opgegaan",
            _ if is_split(cb) => "gesplitst",
            _ => "grens_verlegd",
        };
        events.push(BoundaryEvent {
            code: vb.code.clone(),
            vintage: "before",
            kind,
            linked: fractions(vb, linked, a),
        });
    }
    for (ca, va) in a {
        if !involved(ca, b) {
            continue;
        }
        let linked = linked_to(ca, false);
        let kind = match linked.as_slice() {
            [] => "nieuw",
            _ if is_merged(ca) => "samengevoegd",
            [(cb, _)] if is_split(cb) => "afgesplitst",
            // A redrawn area that keeps its code is named once, on its earlier side.
            _ if b.contains_key(ca) => continue,
            _ => "grens_verlegd",
        };
        events.push(BoundaryEvent {
            code: va.code.clone(),
            vintage: "after",
            kind,
            linked: fractions(va, linked, b),
        });
    }
    events
}

/// The areas of one vintage by [`crate::model::code_key`] of their codes.
fn by_code<'a>(
    areas: &'a [VintageArea],
    vintage: &'static str,
) -> Result<BTreeMap<String, &'a VintageArea>, CompareError> {
    let mut map = BTreeMap::new();
    for v in areas {
        if let Some(first) = map.insert(crate::model::code_key(&v.code), v) {
            return Err(if first.code == v.code {
                CompareError::DuplicateCode {
                    vintage,
                    code: v.code.clone(),
                }
            } else {
                CompareError::SameCode {
                    vintage,
                    first: first.code.clone(),
                    second: v.code.clone(),
                }
            });
        }
    }
    Ok(map)
}

fn boundary_check(
    before: &MultiPolygon<f64>,
    after: &MultiPolygon<f64>,
    options: &CompareOptions,
) -> BoundaryCheck {
    let area_before_m2 = before.unsigned_area();
    let area_after_m2 = after.unsigned_area();
    let mut reasons = Vec::new();

    let relative_area_difference = if area_before_m2 > 0.0 {
        Some((area_after_m2 - area_before_m2).abs() / area_before_m2)
    } else {
        reasons.push("de eerdere grens heeft geen oppervlakte; niet te vergelijken".to_string());
        None
    };
    if let Some(d) = relative_area_difference.filter(|d| *d > options.area_tol) {
        reasons.push(format!(
            "oppervlakte {} % veranderd ({} m² → {} m²), meer dan {} %",
            crate::table::nl(100.0 * d, 1),
            crate::table::nl(area_before_m2, 0),
            crate::table::nl(area_after_m2, 0),
            crate::table::nl(100.0 * options.area_tol, 1)
        ));
    }

    let centroid_shift_m = match (before.centroid(), after.centroid()) {
        (Some(cb), Some(ca)) => Some((ca.x() - cb.x()).hypot(ca.y() - cb.y())),
        _ => {
            reasons.push("een grens is leeg en heeft dus geen zwaartepunt".to_string());
            None
        }
    };
    if let Some(d) = centroid_shift_m.filter(|d| *d > options.shift_tol_m) {
        reasons.push(format!(
            "zwaartepunt {} m verschoven, meer dan {} m",
            crate::table::nl(d, 0),
            crate::table::nl(options.shift_tol_m, 0)
        ));
    }

    BoundaryCheck {
        area_before_m2,
        area_after_m2,
        relative_area_difference,
        centroid_shift_m,
        changed: !reasons.is_empty(),
        reasons,
    }
}

fn value_change(before: Option<f64>, after: Option<f64>) -> ValueChange {
    let before = before.filter(|v| v.is_finite());
    let after = after.filter(|v| v.is_finite());
    let (change, relative_change, note) = match (before, after) {
        (Some(b), Some(a)) if b == 0.0 => (
            Some(a - b),
            None,
            Some("voor is 0: geen relatieve verandering".to_string()),
        ),
        (Some(b), Some(a)) => (Some(a - b), Some((a - b) / b.abs()), None),
        (None, Some(_)) => (
            None,
            None,
            Some("geen waarde in het eerdere jaar".to_string()),
        ),
        (Some(_), None) => (
            None,
            None,
            Some("geen waarde in het latere jaar".to_string()),
        ),
        (None, None) => (None, None, Some("geen waarde in beide jaren".to_string())),
    };
    ValueChange {
        before,
        after,
        change,
        relative_change,
        note,
    }
}

/// How a signal moved between two vintages: `"neutraal → oranje"`, or `"="` when equal.
///
/// # Example
/// ```
/// use wijkbalans::monitor::signal_move;
/// assert_eq!(signal_move("ruimte", "neutraal"), "ruimte → neutraal");
/// assert_eq!(signal_move("rood", "rood"), "=");
/// ```
pub fn signal_move(before: &str, after: &str) -> String {
    if before == after {
        "=".to_string()
    } else {
        format!("{before} → {after}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{polygon, MultiPolygon};

    /// A w × h rectangle at (x, y) in RD-like coordinates.
    fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h)
        ]])
    }

    fn area(
        code: &str,
        geometry: MultiPolygon<f64>,
        values: &[(&str, Option<f64>)],
    ) -> VintageArea {
        VintageArea {
            code: code.into(),
            name: format!("Wijk {code}"),
            geometry,
            values: values.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    fn zwolle() -> Vec<VintageArea> {
        vec![
            area(
                "WK019303",
                rect(203_000.0, 502_000.0, 1500.0, 1000.0),
                &[("population", Some(4000.0)), ("income_low", Some(0.0))],
            ),
            area(
                "WK019301",
                rect(200_000.0, 500_000.0, 1000.0, 1000.0),
                &[("population", Some(2500.0)), ("income_low", Some(41.0))],
            ),
            area(
                "WK019302",
                rect(201_000.0, 500_000.0, 2000.0, 1000.0),
                &[("population", Some(3100.0)), ("income_low", None)],
            ),
        ]
    }

    #[test]
    fn identical_vintages_have_no_change_and_no_flags() {
        let c = compare(&zwolle(), &zwolle(), &CompareOptions::default()).unwrap();
        assert!(c.boundary_changed.is_empty());
        assert!(c.only_before.is_empty() && c.only_after.is_empty());
        assert!(c.keys_only_before.is_empty() && c.keys_only_after.is_empty());
        let codes: Vec<_> = c.matched.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(codes, ["WK019301", "WK019302", "WK019303"]);
        for m in &c.matched {
            assert_eq!(m.boundary.relative_area_difference, Some(0.0));
            assert_eq!(m.boundary.centroid_shift_m, Some(0.0));
            assert!(m.boundary.reasons.is_empty());
            assert_eq!(m.values.len(), 2);
            for v in m.values.values() {
                assert!(v.change.is_none() || v.change == Some(0.0));
                assert!(v.relative_change.is_none() || v.relative_change == Some(0.0));
            }
        }
        let wk1 = &c.matched[0];
        assert_eq!(wk1.boundary.area_before_m2, 1_000_000.0);
        assert_eq!(wk1.values["population"].relative_change, Some(0.0));
        // Before = 0 has no relative change, a missing value no change, each with a note.
        let zero = &c.matched[2].values["income_low"];
        assert_eq!((zero.change, zero.relative_change), (Some(0.0), None));
        assert!(zero.note.as_deref().unwrap().contains("voor is 0"));
        let missing = &c.matched[1].values["income_low"];
        assert_eq!(missing.change, None);
        assert_eq!(missing.note.as_deref(), Some("geen waarde in beide jaren"));
    }

    #[test]
    fn a_shifted_polygon_is_flagged_and_kept_apart() {
        let mut after = zwolle();
        after[1].geometry = rect(200_300.0, 500_000.0, 1000.0, 1000.0);
        after[1].values.insert("population".into(), Some(2750.0));
        let c = compare(&zwolle(), &after, &CompareOptions::default()).unwrap();
        assert_eq!(c.matched.len(), 2);
        assert_eq!(c.boundary_changed.len(), 1);
        let moved = &c.boundary_changed[0];
        assert_eq!(moved.code, "WK019301");
        assert!(moved.boundary.changed);
        assert_relative_eq!(moved.boundary.centroid_shift_m.unwrap(), 300.0);
        assert_eq!(moved.boundary.relative_area_difference, Some(0.0));
        assert_eq!(
            moved.boundary.reasons,
            vec!["zwaartepunt 300 m verschoven, meer dan 250 m".to_string()]
        );
        // The numbers are there, flagged, not compared as if the area were the same.
        assert_eq!(moved.values["population"].before, Some(2500.0));
        assert_eq!(moved.values["population"].after, Some(2750.0));
        assert_eq!(moved.values["population"].change, None);
        assert_eq!(moved.values["population"].relative_change, None);
        assert_eq!(
            moved.values["population"].note.as_deref(),
            Some("grens gewijzigd: niet vergeleken")
        );
        // Named once, on its earlier side: 70 % of it lies in its own later polygon (the 30 %
        // of the later polygon that reaches into WK019302 is not repeated on the later side).
        assert_eq!(c.boundary_events.len(), 1);
        let e = &c.boundary_events[0];
        assert_eq!((e.code.as_str(), e.kind), ("WK019301", "grens_verlegd"));
        assert_eq!(e.linked, vec![("WK019301".to_string(), 0.7)]);
        assert!(c.matched.iter().all(|m| m.code != "WK019301"));

        // A 100 m shift is within the tolerance.
        after[1].geometry = rect(200_100.0, 500_000.0, 1000.0, 1000.0);
        let c = compare(&zwolle(), &after, &CompareOptions::default()).unwrap();
        assert!(c.boundary_changed.is_empty());
        assert_relative_eq!(c.matched[0].boundary.centroid_shift_m.unwrap(), 100.0);
    }

    #[test]
    fn a_grown_polygon_is_flagged_on_its_area() {
        let mut after = zwolle();
        // 1000 × 1100 around the same centroid: +10 % area, no shift.
        after[1].geometry = rect(200_000.0, 499_950.0, 1000.0, 1100.0);
        let c = compare(&zwolle(), &after, &CompareOptions::default()).unwrap();
        let grown = &c.boundary_changed[0];
        assert_relative_eq!(grown.boundary.relative_area_difference.unwrap(), 0.1);
        assert_relative_eq!(grown.boundary.centroid_shift_m.unwrap(), 0.0);
        assert_eq!(
            grown.boundary.reasons,
            vec![
                "oppervlakte 10,0 % veranderd (1.000.000 m² → 1.100.000 m²), meer dan 5,0 %"
                    .to_string()
            ]
        );
        // A looser tolerance accepts it.
        let loose = CompareOptions {
            area_tol: 0.15,
            ..CompareOptions::default()
        };
        assert!(compare(&zwolle(), &after, &loose)
            .unwrap()
            .boundary_changed
            .is_empty());
    }

    #[test]
    fn an_empty_geometry_is_flagged() {
        let mut after = zwolle();
        after[0].geometry = MultiPolygon::new(vec![]);
        let c = compare(&zwolle(), &after, &CompareOptions::default()).unwrap();
        let empty = &c.boundary_changed[0];
        assert_eq!(empty.boundary.centroid_shift_m, None);
        assert_eq!(empty.boundary.relative_area_difference, Some(1.0));
        assert!(empty.boundary.reasons[1].contains("geen zwaartepunt"));
    }

    #[test]
    fn codes_and_keys_in_one_vintage_are_listed() {
        let mut after = zwolle();
        after.remove(2);
        after.push(area(
            "WK019304",
            rect(205_000.0, 500_000.0, 500.0, 500.0),
            &[("population", Some(900.0)), ("pop_65plus", Some(21.0))],
        ));
        after[0].values.remove("income_low");
        let c = compare(&zwolle(), &after, &CompareOptions::default()).unwrap();
        assert_eq!(
            c.only_before,
            vec![AreaRef {
                code: "WK019302".into(),
                name: "Wijk WK019302".into()
            }]
        );
        assert_eq!(c.only_after[0].code, "WK019304");
        assert_eq!(c.keys_only_before, Vec::<String>::new());
        assert_eq!(c.keys_only_after, vec!["pop_65plus".to_string()]);
        // WK019303 lost income_low in the later vintage: only population is compared.
        let wk3 = c.matched.iter().find(|m| m.code == "WK019303").unwrap();
        assert_eq!(wk3.values.keys().collect::<Vec<_>>(), ["population"]);
    }

    #[test]
    fn no_codes_in_common_is_an_error() {
        let after: Vec<_> = zwolle()
            .into_iter()
            .map(|mut v| {
                v.code = v.code.replace("WK0193", "BU0193");
                v
            })
            .collect();
        let e = compare(&zwolle(), &after, &CompareOptions::default()).unwrap_err();
        assert_eq!(
            e,
            CompareError::NoCommonCodes {
                before: 3,
                after: 3
            }
        );
        assert!(e
            .to_string()
            .starts_with("de twee jaargangen hebben geen gebiedscode gemeen"));
        assert!(matches!(
            compare(&[], &[], &CompareOptions::default()),
            Err(CompareError::NoCommonCodes { .. })
        ));
    }

    #[test]
    fn codes_are_matched_without_case_and_invisible_characters() {
        let mut before = zwolle();
        before[0].code = "wk019303\u{200B}".into();
        let c = compare(&before, &zwolle(), &CompareOptions::default()).unwrap();
        let codes: Vec<_> = c.matched.iter().map(|m| m.code.as_str()).collect();
        assert_eq!(
            codes,
            ["WK019301", "WK019302", "WK019303"],
            "the later spelling"
        );
        assert!(c.only_before.is_empty() && c.only_after.is_empty());
    }

    #[test]
    fn bad_inputs_are_rejected() {
        let mut twice = zwolle();
        twice.push(twice[0].clone());
        assert_eq!(
            compare(&zwolle(), &twice, &CompareOptions::default())
                .unwrap_err()
                .to_string(),
            "de gebiedscode WK019303 staat twee keer in de latere jaargang"
        );
        let mut cased = zwolle();
        cased[1].code = cased[0].code.to_lowercase() + "\u{200B}";
        assert_eq!(
            compare(&cased, &zwolle(), &CompareOptions::default())
                .unwrap_err()
                .to_string(),
            format!(
                "de gebiedscodes {:?} en {:?} van de eerdere jaargang verschillen alleen in \
                 hoofdletters, spaties of onzichtbare tekens, dus ze noemen één gebied",
                cased[0].code, cased[1].code
            )
        );
        let bad = CompareOptions {
            area_tol: -0.1,
            ..CompareOptions::default()
        };
        assert!(matches!(
            compare(&zwolle(), &zwolle(), &bad),
            Err(CompareError::Tolerance {
                name: "area_tol",
                ..
            })
        ));
    }

    #[test]
    fn non_finite_values_count_as_missing() {
        let mut after = zwolle();
        after[1].values.insert("population".into(), Some(f64::NAN));
        let c = compare(&zwolle(), &after, &CompareOptions::default()).unwrap();
        let v = &c.matched[0].values["population"];
        assert_eq!((v.before, v.after, v.change), (Some(2500.0), None, None));
        assert_eq!(v.note.as_deref(), Some("geen waarde in het latere jaar"));
        let v = value_change(Some(-50.0), Some(-40.0));
        assert_eq!(v.relative_change, Some(0.2));
    }

    #[test]
    fn signal_moves_read_as_before_arrow_after() {
        assert_eq!(signal_move("neutraal", "oranje"), "neutraal → oranje");
        assert_eq!(signal_move("oranje", "oranje"), "=");
        assert_eq!(signal_move("onbekend", "ruimte"), "onbekend → ruimte");
    }

    /// Hand check of a split: WK019301 (1000 m × 1000 m) is split in 2024 into WK019301 (the
    /// western 600 m) and a new WK019309 (the eastern 400 m). Both parts overlap 100 % of
    /// themselves with the old wijk, 60 % and 40 % of the old wijk: ≥ 10 % of the smaller, so
    /// linked. The old wijk is `gesplitst`, WK019309 `afgesplitst`; the kept code's area fell
    /// by 40 % (> 5 %), so its values are not compared.
    #[test]
    fn a_split_wijk_is_named_and_not_compared() {
        let before = zwolle();
        let mut after = zwolle();
        after[1].geometry = rect(200_000.0, 500_000.0, 600.0, 1000.0);
        after.push(area(
            "WK019309",
            rect(200_600.0, 500_000.0, 400.0, 1000.0),
            &[("population", Some(1000.0))],
        ));
        let c = compare(&before, &after, &CompareOptions::default()).unwrap();
        assert_eq!(c.boundary_changed.len(), 1);
        assert_eq!(c.boundary_changed[0].values["population"].change, None);
        assert_eq!(c.only_after[0].code, "WK019309");
        let kinds: Vec<(&str, &str, &str)> = c
            .boundary_events
            .iter()
            .map(|e| (e.code.as_str(), e.vintage, e.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("WK019301", "before", "gesplitst"),
                ("WK019301", "after", "afgesplitst"),
                ("WK019309", "after", "afgesplitst"),
            ]
        );
        assert_eq!(
            c.boundary_events[0].linked,
            vec![("WK019301".to_string(), 0.6), ("WK019309".to_string(), 0.4)]
        );
        assert_eq!(
            c.boundary_events[0].text("2022", "2024"),
            "WK019301 (2022) is gesplitst in WK019301 (60 %), WK019309 (40 %) (2024)"
        );
        // The unchanged wijken have no event.
        assert!(c.boundary_events.iter().all(|e| e.code != "WK019303"));
    }

    /// Hand check of a merger: WK019301 (x 200.000–201.000) and WK019302 (x 201.000–203.000)
    /// become one WK019305 (x 200.000–203.000). They cover 1/3 and 2/3 of it: `samengevoegd`;
    /// each old wijk is `opgegaan`.
    #[test]
    fn a_merger_is_named() {
        let before = zwolle();
        let mut after: Vec<VintageArea> = vec![zwolle().remove(0)];
        after.push(area(
            "WK019305",
            rect(200_000.0, 500_000.0, 3000.0, 1000.0),
            &[("population", Some(5600.0))],
        ));
        let c = compare(&before, &after, &CompareOptions::default()).unwrap();
        let e: Vec<(&str, &str)> = c
            .boundary_events
            .iter()
            .map(|e| (e.code.as_str(), e.kind))
            .collect();
        assert_eq!(
            e,
            vec![
                ("WK019301", "opgegaan"),
                ("WK019302", "opgegaan"),
                ("WK019305", "samengevoegd")
            ]
        );
        assert_eq!(
            c.boundary_events[2].linked,
            vec![
                ("WK019301".to_string(), 0.3333),
                ("WK019302".to_string(), 0.6667)
            ]
        );
        assert_eq!(
            c.boundary_events[0].text("2022", "2024"),
            "WK019301 (2022) is opgegaan in WK019305 (100 %) (2024)"
        );
        let overlap = CompareOptions {
            overlap_tol: -1.0,
            ..CompareOptions::default()
        };
        assert!(compare(&before, &after, &overlap).is_err());
    }
}
