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
//! before is 0 or a value is missing). Areas with a changed boundary get the same numbers but go
//! to [`Comparison::boundary_changed`], never to [`Comparison::matched`]: their change mixes a
//! real change with a change of the area itself, so a report shows them separately.
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
//! assert_eq!(moved.values["population"].change, Some(100.0));
//! assert_eq!(moved.values["population"].relative_change, Some(0.1));
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
}

impl Default for CompareOptions {
    fn default() -> Self {
        Self {
            area_tol: 0.05,
            shift_tol_m: 250.0,
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
    /// Why it counts as changed (empty when it does not).
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
}

/// Why two vintages cannot be compared.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// Not one code is in both vintages.
    #[error(
        "no area codes in common between the two vintages ({before} areas before, {after} \
         after); check that both are the same level (wijken against wijken) of the same \
         municipality"
    )]
    NoCommonCodes {
        /// Number of areas before.
        before: usize,
        /// Number of areas after.
        after: usize,
    },
    /// A code appears twice in one vintage.
    #[error("area code {code} appears twice in the {vintage} vintage")]
    DuplicateCode {
        /// `before` or `after`.
        vintage: &'static str,
        /// The code.
        code: String,
    },
    /// Two codes of one vintage differ only in case, space or invisible characters
    /// ([`crate::model::code_key`]): one area written twice.
    #[error(
        "area codes {first:?} and {second:?} of the {vintage} vintage differ only in case, \
         spaces or invisible characters, so they name one area"
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
    #[error("{name} must be a finite number ≥ 0, got {value}")]
    Tolerance {
        /// `area_tol` or `shift_tol_m`.
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
                Some((key.clone(), value_change(*vb, *va)))
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
    Ok(Comparison {
        matched,
        boundary_changed,
        only_before: only(&b, &a),
        only_after: only(&a, &b),
        keys_only_before: keys_b.difference(&keys_a).cloned().collect(),
        keys_only_after: keys_a.difference(&keys_b).cloned().collect(),
    })
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
        reasons.push("the earlier boundary has no area; cannot compare".to_string());
        None
    };
    if let Some(d) = relative_area_difference.filter(|d| *d > options.area_tol) {
        reasons.push(format!(
            "area changed by {:.1} % ({:.0} m² → {:.0} m²), more than {:.1} %",
            100.0 * d,
            area_before_m2,
            area_after_m2,
            100.0 * options.area_tol
        ));
    }

    let centroid_shift_m = match (before.centroid(), after.centroid()) {
        (Some(cb), Some(ca)) => Some((ca.x() - cb.x()).hypot(ca.y() - cb.y())),
        _ => {
            reasons.push("a boundary is empty, so it has no centroid".to_string());
            None
        }
    };
    if let Some(d) = centroid_shift_m.filter(|d| *d > options.shift_tol_m) {
        reasons.push(format!(
            "centroid moved {d:.0} m, more than {:.0} m",
            options.shift_tol_m
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
            Some("before is 0: no relative change".to_string()),
        ),
        (Some(b), Some(a)) => (Some(a - b), Some((a - b) / b.abs()), None),
        (None, Some(_)) => (None, None, Some("no value before".to_string())),
        (Some(_), None) => (None, None, Some("no value after".to_string())),
        (None, None) => (None, None, Some("no value in either vintage".to_string())),
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
        assert!(zero.note.as_deref().unwrap().contains("before is 0"));
        let missing = &c.matched[1].values["income_low"];
        assert_eq!(missing.change, None);
        assert_eq!(missing.note.as_deref(), Some("no value in either vintage"));
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
            vec!["centroid moved 300 m, more than 250 m".to_string()]
        );
        // The numbers are there, flagged, not silently among the matched areas.
        assert_eq!(moved.values["population"].change, Some(250.0));
        assert_eq!(moved.values["population"].relative_change, Some(0.1));
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
            vec!["area changed by 10.0 % (1000000 m² → 1100000 m²), more than 5.0 %".to_string()]
        );
        // A looser tolerance accepts it.
        let loose = CompareOptions {
            area_tol: 0.15,
            shift_tol_m: 250.0,
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
        assert!(empty.boundary.reasons[1].contains("no centroid"));
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
        assert!(e.to_string().starts_with("no area codes in common"));
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
            "area code WK019303 appears twice in the after vintage"
        );
        let mut cased = zwolle();
        cased[1].code = cased[0].code.to_lowercase() + "\u{200B}";
        assert_eq!(
            compare(&cased, &zwolle(), &CompareOptions::default())
                .unwrap_err()
                .to_string(),
            format!(
                "area codes {:?} and {:?} of the before vintage differ only in case, spaces or \
                 invisible characters, so they name one area",
                cased[0].code, cased[1].code
            )
        );
        let bad = CompareOptions {
            area_tol: -0.1,
            shift_tol_m: 250.0,
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
        assert_eq!(v.note.as_deref(), Some("no value after"));
        let v = value_change(Some(-50.0), Some(-40.0));
        assert_eq!(v.relative_change, Some(0.2));
    }

    #[test]
    fn signal_moves_read_as_before_arrow_after() {
        assert_eq!(signal_move("neutraal", "oranje"), "neutraal → oranje");
        assert_eq!(signal_move("oranje", "oranje"), "=");
        assert_eq!(signal_move("onbekend", "ruimte"), "onbekend → ruimte");
    }
}
