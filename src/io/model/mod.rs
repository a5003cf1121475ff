//! Raw layers → validated model: areas with concept values, sites, dwellings, facilities,
//! candidates and networks.
//!
//! `areas` builds the [`AreaSet`](crate::model::AreaSet) (columns resolved, values parsed,
//! geometry and codes checked, overlaps refused), `sites` the care sites, `other` every other
//! layer; the attribute parsing they share is here.

mod areas;
mod geocode;
mod other;
mod sites;
#[cfg(test)]
mod tests;

pub use areas::{areas, first_overlap, Overlap, OVERLAP_TOLERANCE};
pub use geocode::{geocode, unmatched_csv, Unmatched};
pub use other::{
    candidates, dwellings_from_points, facilities, network_lines, parse_tenure,
    FACILITY_CAPACITY_FIELDS, FACILITY_TYPE_FIELDS, TENURE_FIELDS,
};
pub use sites::{sites, SITE_FIELDS};

use crate::error::{shown, InputError};
use crate::format::{grouped_readings, looks_grouped};
use crate::io::read::{Attr, RawLayer};
use crate::model::concepts::Kind;
pub use crate::model::{clean_text, is_invisible};
use crate::model::{MAX_AREA_POPULATION, MAX_MAGNITUDE};

/// CBS secrecy sentinels: −99999999 (geheim) and the −9999999x family, and the StatLine codes
/// −99997 (geheim) and −99995 (niet beschikbaar) of the kerncijfers (docs/METHOD.md §2.2).
pub fn is_sentinel(v: f64) -> bool {
    v <= -99_999_990.0 || v == -99_997.0 || v == -99_995.0
}

/// CBS's text markers of a value it does not publish: `.` (onbekend/geheim), `x` (geheim),
/// `-` (nihil or n.v.t. in older tables), `n.v.t.` (niet van toepassing) and `?`, compared
/// without case and with or without the dots of "n.v.t.".
pub fn is_marker(t: &str) -> bool {
    let t = t.trim().to_lowercase();
    matches!(
        t.as_str(),
        "" | "." | "-" | "x" | "?" | "n.v.t." | "n.v.t" | "nvt" | "geheim"
    )
}

/// Read a number from an attribute: numbers as they are, text with a decimal comma or point;
/// null, empty, CBS's text markers ([`is_marker`]) and sentinels ([`is_sentinel`]) are
/// suppressed (`Ok(None)`); other text is an error, and so is text with thousands separators
/// where they cannot be told from a decimal separator (`1.234.567`, `4.020,5`).
pub fn number(attr: &Attr) -> Result<Option<f64>, String> {
    match attr {
        Attr::Null => Ok(None),
        Attr::Bool(b) => Err(format!("{b} is een ja/nee-waarde, geen getal")),
        // Not finite before the CBS marker: −∞ lies below the marker's bound, but it is an
        // error in the file, not a value kept secret.
        Attr::Number(v) if !v.is_finite() => Err(format!("{v} is geen eindig getal")),
        Attr::Number(v) if is_sentinel(*v) => Ok(None),
        Attr::Number(v) => Ok(Some(*v)),
        Attr::Text(t) => {
            let t = clean_text(t);
            if is_marker(&t) {
                return Ok(None);
            }
            let seps = t.matches(['.', ',']).count();
            if seps > 1 {
                return Err(format!(
                    "'{t}' is geschreven met scheidingstekens voor duizendtallen, en die zijn niet te onderscheiden van een decimaalteken"
                ));
            }
            match t.replace(',', ".").parse::<f64>() {
                Ok(v) if v.is_finite() && is_sentinel(v) => Ok(None),
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(format!("'{t}' is geen getal")),
            }
        }
    }
}

/// Read a count (the units of a site, the capacity of a facility) from an attribute, as
/// [`number`] does, except that text which looks like thousands separators (`"1.000"`,
/// [`looks_grouped`]) is refused with both readings: it is the Dutch way of writing 1000, and
/// read with a decimal point it is 1 (docs/METHOD.md §2.2, "Numbers as written").
///
/// Example: `"12"` → 12; `"1.000"` → refused ("'1.000' is dubbelzinnig: 1 als het
/// scheidingsteken een decimaalteken is, of 1000 als het duizendtallen scheidt"); `"0.500"`
/// → 0.5 (a first group 0 is never a thousands group).
pub fn count(attr: &Attr) -> Result<Option<f64>, String> {
    let v = number(attr)?;
    match (v, attr) {
        (Some(v), Attr::Text(t)) => not_grouped(&clean_text(t)).map(|()| Some(v)),
        _ => Ok(v),
    }
}

/// The refusal of count text `t` that looks like thousands separators.
fn not_grouped(t: &str) -> Result<(), String> {
    if looks_grouped(t) {
        return Err(format!("'{t}' is dubbelzinnig: {}", grouped_readings(t)));
    }
    Ok(())
}

/// Checks value `v`, read from `attr`, against `kind` ([`check_range`]); a number of any kind
/// written as text that looks like thousands separators (`"4.020"`, `"1.156"`) is refused
/// first with both readings: it is the Dutch way of writing 4020, and 4.02 with a decimal
/// point, and nothing in the file says which (a WOZ value of `"1.156"` × € 1.000 read as 1,156
/// turned a wijk's z-score from +3 to −3). A JSON number, or text with another number of
/// decimals (`"12.5"`, `"0.123"`, `"1.15"`), is read as it stands.
pub fn check_concept(v: f64, attr: &Attr, kind: Kind) -> Result<(), String> {
    if let Attr::Text(t) = attr {
        not_grouped(&clean_text(t))?;
    }
    check_range(v, kind)
}

/// Text of an attribute (numbers formatted without a trailing `.0`), with invisible
/// characters removed and surrounding space trimmed ([`clean_text`]).
pub fn text(attr: &Attr) -> Option<String> {
    match attr {
        Attr::Null => None,
        Attr::Bool(b) => Some(b.to_string()),
        Attr::Text(t) => Some(clean_text(t)).filter(|t| !t.is_empty()),
        Attr::Number(v) if v.fract() == 0.0 => Some(format!("{}", *v as i64)),
        Attr::Number(v) => Some(v.to_string()),
    }
}

/// A share as a percentage with at most one decimal, written the Dutch way ("50", "0,4").
pub(super) fn percent(share: f64) -> String {
    let p = (share * 1000.0).round() / 10.0;
    crate::table::nl(p, if p.fract() == 0.0 { 0 } else { 1 })
}

/// Why a feature has no usable geometry, as precisely as the file says.
pub(super) fn no_geometry(raw: &RawLayer, index: usize) -> String {
    let path = &raw.spec.path;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => {
            "de kolommen met coördinaten zijn leeg of bevatten geen getallen".to_string()
        }
        Some("json" | "geojson") => super::geojson_check::geometry_problem(path, index)
            .unwrap_or_else(|| "de geometrie is leeg".to_string()),
        _ => "de geometrie is leeg".to_string(),
    }
}

/// Checks a value against its kind (docs/METHOD.md §2.2, "Sane bounds"): a count is whole and
/// in [0, [`MAX_AREA_POPULATION`]], a percentage in [0, 100], any other number at most
/// [`MAX_MAGNITUDE`] in size.
pub fn check_range(v: f64, kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Count if v < 0.0 => Err(format!("een aantal kan niet negatief zijn ({})", shown(v))),
        Kind::Count if v.fract() != 0.0 => {
            Err(format!("een aantal moet een geheel getal zijn, niet {v}"))
        }
        Kind::Count if v > MAX_AREA_POPULATION => Err(format!(
            "{} is meer dan een gebied kan bevatten (hoogstens {} per gebied)",
            shown(v),
            crate::table::nl(MAX_AREA_POPULATION, 0)
        )),
        Kind::Percent if !(0.0..=100.0).contains(&v) => Err(format!(
            "een percentage moet tussen 0 en 100 liggen, niet {}",
            shown(v)
        )),
        Kind::Amount if v < 0.0 => Err(format!(
            "een gemiddelde, dichtheid of aantal per inwoner kan niet negatief zijn ({})",
            shown(v)
        )),
        Kind::Number | Kind::Amount if v.abs() > MAX_MAGNITUDE => Err(format!(
            "{} is groter dan elke statistiek van een gebied (hoogstens {MAX_MAGNITUDE:e} groot)",
            shown(v)
        )),
        _ => Ok(()),
    }
}

pub(super) fn geometry_name(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) => "Point",
        geo::Geometry::Line(_) => "Line",
        geo::Geometry::LineString(_) => "LineString",
        geo::Geometry::Polygon(_) => "Polygon",
        geo::Geometry::MultiPoint(_) => "MultiPoint",
        geo::Geometry::MultiLineString(_) => "MultiLineString",
        geo::Geometry::MultiPolygon(_) => "MultiPolygon",
        geo::Geometry::GeometryCollection(_) => "GeometryCollection",
        geo::Geometry::Rect(_) => "Rect",
        geo::Geometry::Triangle(_) => "Triangle",
    }
}

/// The location of a point feature (a point, or a multipoint of one), or the error naming the
/// feature: `not_point_fix` for another geometry, `empty_fix` for none.
pub(super) fn point_of(
    raw: &RawLayer,
    f: &crate::io::read::RawFeature,
    not_point_fix: &str,
    empty_fix: &str,
) -> Result<geo::Coord<f64>, InputError> {
    match &f.geometry {
        Some(geo::Geometry::Point(p)) => Ok(p.0),
        Some(geo::Geometry::MultiPoint(mp)) if mp.0.len() == 1 => Ok(mp.0[0].0),
        Some(other) => Err(raw
            .error(
                format!("de geometrie is een {}, geen punt", geometry_name(other)),
                not_point_fix,
            )
            .at_feature(f.index)),
        None => Err(raw
            .error(no_geometry(raw, f.index), empty_fix)
            .at_feature(f.index)),
    }
}
