//! Raw layers → validated model: areas with concept values, sites, dwellings, facilities,
//! candidates and networks.
//!
//! `areas` builds the [`AreaSet`](crate::model::AreaSet) (columns resolved, values parsed,
//! geometry and codes checked, overlaps refused), `sites` the care sites, `other` every other
//! layer; the attribute parsing they share is here.

mod areas;
mod other;
mod sites;
#[cfg(test)]
mod tests;

pub use areas::{areas, first_overlap, Overlap, OVERLAP_TOLERANCE};
pub use other::{
    candidates, dwellings_from_points, facilities, network_lines, parse_tenure,
    FACILITY_CAPACITY_FIELDS, FACILITY_TYPE_FIELDS, TENURE_FIELDS,
};
pub use sites::{sites, SITE_FIELDS};

use crate::error::InputError;
use crate::io::read::{Attr, RawLayer};
use crate::model::concepts::Kind;

/// CBS secrecy sentinels: −99999999 (geheim) and the −9999999x family.
pub(super) fn is_sentinel(v: f64) -> bool {
    v <= -99_999_990.0
}

/// Read a number from an attribute: numbers as they are, text with a decimal comma or point;
/// null, empty, `.` and CBS sentinels are suppressed (`Ok(None)`); other text is an error.
pub fn number(attr: &Attr) -> Result<Option<f64>, String> {
    match attr {
        Attr::Null => Ok(None),
        Attr::Bool(b) => Err(format!("{b} is a yes/no value, not a number")),
        Attr::Number(v) if is_sentinel(*v) => Ok(None),
        Attr::Number(v) if !v.is_finite() => Err(format!("{v} is not a finite number")),
        Attr::Number(v) => Ok(Some(*v)),
        Attr::Text(t) => {
            let t = t.trim();
            if t.is_empty() || t == "." || t == "-" || t == "x" {
                return Ok(None);
            }
            match t.replace(',', ".").parse::<f64>() {
                Ok(v) if is_sentinel(v) => Ok(None),
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(format!("'{t}' is not a number")),
            }
        }
    }
}

/// Text of an attribute (numbers formatted without a trailing `.0`).
pub fn text(attr: &Attr) -> Option<String> {
    match attr {
        Attr::Null => None,
        Attr::Bool(b) => Some(b.to_string()),
        Attr::Text(t) if t.trim().is_empty() => None,
        Attr::Text(t) => Some(t.trim().to_string()),
        Attr::Number(v) if v.fract() == 0.0 => Some(format!("{}", *v as i64)),
        Attr::Number(v) => Some(v.to_string()),
    }
}

/// A share as a percentage with at most one decimal ("50", "0.4").
pub(super) fn percent(share: f64) -> String {
    let p = (share * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// Why a feature has no usable geometry, as precisely as the file says.
pub(super) fn no_geometry(raw: &RawLayer, index: usize) -> String {
    let path = &raw.spec.path;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => "the coordinate columns are empty or not numbers".to_string(),
        Some("json" | "geojson") => super::geojson_check::geometry_problem(path, index)
            .unwrap_or_else(|| "the geometry is empty".to_string()),
        _ => "the geometry is empty".to_string(),
    }
}

pub(super) fn check_range(v: f64, kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Count if v < 0.0 => Err(format!("a count cannot be negative ({v})")),
        Kind::Percent if !(0.0..=100.0).contains(&v) => {
            Err(format!("a percentage must lie in [0, 100], got {v}"))
        }
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
                format!("the geometry is a {}, not a point", geometry_name(other)),
                not_point_fix,
            )
            .at_feature(f.index)),
        None => Err(raw
            .error(no_geometry(raw, f.index), empty_fix)
            .at_feature(f.index)),
    }
}
