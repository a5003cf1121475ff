//! Raw layers → validated model: areas with concept values, sites, dwellings.

use std::collections::BTreeMap;

use geo::{Area as _, BooleanOps, BoundingRect, Centroid, Validation};
use rayon::prelude::*;
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, RTreeObject};

use super::error::InputError;
use super::read::{Attr, RawLayer};
use super::schema::{self, ColumnMap, Kind};
use crate::model::{
    cbs_parent_codes, Area, Candidate, ConceptValue, Dwellings, Facility, Site, SiteStatus,
    TargetGroup, Tenure,
};

/// CBS secrecy sentinels: −99999999 (geheim) and the −9999999x family.
fn is_sentinel(v: f64) -> bool {
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

/// The areas of a study with the column each concept was read from.
#[derive(Debug, Clone)]
pub struct AreaLayer {
    /// Areas sorted by code.
    pub areas: Vec<Area>,
    /// Concept → source column.
    pub columns: ColumnMap,
    /// Text columns passed through to the output (e.g. `urbanity`), per area (area order).
    pub urbanity: Option<Vec<Option<String>>>,
}

/// Build areas from a raw layer: resolve columns, parse values, check geometry and codes.
pub fn areas(
    raw: &RawLayer,
    overrides: &BTreeMap<String, String>,
    levels: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<AreaLayer, InputError> {
    let columns = schema::resolve(&raw.fields, overrides).map_err(|u| {
        let hint = u
            .suggestion
            .map(|s| format!("did you mean '{s}'? "))
            .unwrap_or_default();
        raw.error(
            format!(
                "[columns] maps {} to '{}', which the layer does not have (fields: {})",
                u.concept,
                u.column,
                raw.fields.join(", ")
            ),
            format!("{hint}fix the [columns] section of the config"),
        )
    })?;
    for required in ["code", "population"] {
        if !columns.contains_key(required) {
            let c = schema::concept(required).expect("known concept");
            let hint = schema::closest_to_concept(required, &raw.fields)
                .map(|s| format!("did you mean '{s}'? map it with "))
                .unwrap_or_else(|| "map a column with ".to_string());
            return Err(raw.error(
                format!(
                    "no column for {required} ({}); looked for {} among the fields {}",
                    c.meaning,
                    c.aliases.join(", "),
                    raw.fields.join(", ")
                ),
                format!("{hint}[columns] {required} = \"COLUMN\" in the config"),
            ));
        }
    }
    let col_idx: Vec<(&'static str, usize)> = columns
        .iter()
        .map(|(c, f)| (*c, raw.field_index(f).expect("resolved from fields")))
        .collect();
    let mut out = Vec::with_capacity(raw.features.len());
    let mut urbanity = Vec::with_capacity(raw.features.len());
    for f in &raw.features {
        let at = |problem: String, fix: &str| raw.error(problem, fix).at_feature(f.index);
        let mut values = BTreeMap::new();
        let mut code = None;
        let mut name = None;
        let mut urb = None;
        for (concept, idx) in &col_idx {
            let field = &raw.fields[*idx];
            let attr = &f.attrs[*idx];
            let kind = schema::concept(concept).map_or(Kind::Number, |c| c.kind);
            match (*concept, kind) {
                ("code", _) => code = text(attr),
                ("name", _) => name = text(attr),
                ("urbanity", _) => urb = text(attr),
                (_, Kind::Text) => {}
                (_, kind) => {
                    let v = number(attr).map_err(|m| {
                        at(m, "give a number, or leave it empty when unknown").in_field(field)
                    })?;
                    if let Some(v) = v {
                        check_range(v, kind).map_err(|m| {
                            at(m, "fix the value, or leave it empty when unknown").in_field(field)
                        })?;
                    }
                    values.insert(
                        concept.to_string(),
                        ConceptValue {
                            value: v,
                            suppressed: v.is_none(),
                        },
                    );
                }
            }
        }
        let code_field = &columns["code"];
        let code = code.ok_or_else(|| {
            at("the area code is empty".into(), "every area needs a code").in_field(code_field)
        })?;
        if values.get("population").and_then(|v| v.value).is_none() {
            return Err(at(
                "the number of inhabitants is missing or suppressed".into(),
                "population is the denominator of every rate: give a value (0 is allowed)",
            )
            .in_field(&columns["population"]));
        }
        let geometry = match &f.geometry {
            Some(geo::Geometry::Polygon(p)) => geo::MultiPolygon(vec![p.clone()]),
            Some(geo::Geometry::MultiPolygon(mp)) => mp.clone(),
            Some(other) => {
                return Err(at(
                    format!("the geometry is a {}, not a polygon", geometry_name(other)),
                    "the areas layer must hold (multi)polygons",
                ))
            }
            None => {
                return Err(at(
                    no_geometry(raw, f.index),
                    "every area needs a polygon; remove or fix the feature",
                ))
            }
        };
        if let Err(problem) = geometry.check_validation() {
            return Err(at(
                format!("invalid polygon: {problem}"),
                "fix it in QGIS (Vector > Geometry Tools > Fix Geometries) or pass --repair-geometry to repair it with GEOS MakeValid",
            ));
        }
        let mut parents = cbs_parent_codes(&code);
        for (level, map) in levels {
            let key = parents.get("wijk").cloned().unwrap_or_else(|| code.clone());
            if let Some(v) = map.get(&code).or_else(|| map.get(&key)) {
                parents.insert(level.clone(), v.clone());
            }
        }
        urbanity.push(urb);
        out.push(Area {
            name: name.unwrap_or_else(|| code.clone()),
            code,
            geometry,
            values,
            parents,
            feature_index: f.index,
        });
    }
    // Sort by code; duplicates are an error naming both features.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|a, b| out[*a].code.cmp(&out[*b].code));
    for w in order.windows(2) {
        let (a, b) = (&out[w[0]], &out[w[1]]);
        if a.code == b.code {
            return Err(raw
                .error(
                    format!(
                        "area code {} occurs twice (features {} and {})",
                        a.code, a.feature_index, b.feature_index
                    ),
                    "area codes must be unique: remove the duplicate or dissolve the two polygons",
                )
                .at_feature(b.feature_index)
                .in_field(&columns["code"]));
        }
    }
    let areas: Vec<Area> = order.iter().map(|i| out[*i].clone()).collect();
    if let Some(o) = first_overlap(&areas) {
        let (a, b) = (&areas[o.first], &areas[o.second]);
        let (first, second) = if a.feature_index < b.feature_index {
            (a, b)
        } else {
            (b, a)
        };
        return Err(raw
            .error(
                format!(
                    "the polygons of {} (feature {}) and {} (feature {}) overlap by {:.0} m² ({} % of the smaller one)",
                    first.code,
                    first.feature_index,
                    second.code,
                    second.feature_index,
                    o.area_m2,
                    percent(o.share)
                ),
                "areas must not overlap: a dwelling or site in the overlap would belong to both; check that the layer holds one level only (wijken or buurten, not both) and fix the boundaries in QGIS (Vector > Geometry Tools > Check Validity, or the Topology Checker)",
            )
            .at_feature(second.feature_index));
    }
    let urbanity = columns
        .contains_key("urbanity")
        .then(|| order.iter().map(|i| urbanity[*i].clone()).collect());
    Ok(AreaLayer {
        areas,
        columns,
        urbanity,
    })
}

/// Overlaps below this share of the smaller polygon are tolerated as slivers of digitising or
/// rounding (coordinates in lon/lat with six decimals are 0.1 m apart).
pub const OVERLAP_TOLERANCE: f64 = 0.05;

/// Two areas whose interiors overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// Index of the first area (area order).
    pub first: usize,
    /// Index of the second area.
    pub second: usize,
    /// Overlap in m² (compute-CRS units squared).
    pub area_m2: f64,
    /// Overlap as a share of the smaller of the two polygons.
    pub share: f64,
}

/// The first pair of areas (in area order) whose polygons overlap by more than
/// [`OVERLAP_TOLERANCE`] of the smaller one. Candidate pairs come from an R-tree of the
/// bounding boxes; the overlap is the exact area of the polygons' intersection.
pub fn first_overlap(areas: &[Area]) -> Option<Overlap> {
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = areas
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let r = a.geometry.bounding_rect()?;
            Some(GeomWithData::new(
                Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                i,
            ))
        })
        .collect();
    let tree = RTree::bulk_load(boxes.clone());
    let mut pairs: Vec<(usize, usize)> = boxes
        .iter()
        .flat_map(|b| {
            tree.locate_in_envelope_intersecting(&b.envelope())
                .filter(|o| o.data > b.data)
                .map(|o| (b.data, o.data))
                .collect::<Vec<_>>()
        })
        .collect();
    pairs.sort_unstable();
    pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let (a, b) = (&areas[i].geometry, &areas[j].geometry);
            let smaller = a.unsigned_area().min(b.unsigned_area());
            let area = a.intersection(b).unsigned_area();
            (smaller > 0.0 && area > OVERLAP_TOLERANCE * smaller).then_some(Overlap {
                first: i,
                second: j,
                area_m2: area,
                share: area / smaller,
            })
        })
        .find_first(|_| true)
}

/// A share as a percentage with at most one decimal ("50", "0.4").
fn percent(share: f64) -> String {
    let p = (share * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.1}")
    }
}

/// Why a feature has no usable geometry, as precisely as the file says.
fn no_geometry(raw: &RawLayer, index: usize) -> String {
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

fn check_range(v: f64, kind: Kind) -> Result<(), String> {
    match kind {
        Kind::Count if v < 0.0 => Err(format!("a count cannot be negative ({v})")),
        Kind::Percent if !(0.0..=100.0).contains(&v) => {
            Err(format!("a percentage must lie in [0, 100], got {v}"))
        }
        _ => Ok(()),
    }
}

fn geometry_name(g: &geo::Geometry<f64>) -> &'static str {
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

/// Field names recognised in a sites layer, most specific first.
pub const SITE_FIELDS: &[(&str, &[&str])] = &[
    (
        "units",
        &[
            "units",
            "eenheden",
            "plaatsen",
            "aantal_plaatsen",
            "capaciteit",
        ],
    ),
    ("target_group", &["target_group", "doelgroep", "group"]),
    ("status", &["status"]),
    ("name", &["name", "naam", "projectnaam"]),
    (
        "regular_units",
        &["regular_units", "reguliere_woningen", "regulier"],
    ),
    (
        "care_24h",
        &["care_24h", "zorg_24uur", "zorg_24u", "24h_care"],
    ),
    ("year", &["year", "jaar", "opleverjaar"]),
];

fn site_field(raw: &RawLayer, key: &str) -> Option<usize> {
    let aliases = SITE_FIELDS.iter().find(|(k, _)| *k == key)?.1;
    aliases
        .iter()
        .find_map(|a| raw.fields.iter().position(|f| f.eq_ignore_ascii_case(a)))
}

/// Build sites from a raw layer (input order kept).
pub fn sites(raw: &RawLayer, groups: &[TargetGroup]) -> Result<Vec<Site>, InputError> {
    let units_idx = site_field(raw, "units").ok_or_else(|| {
        let hint = ["units", "plaatsen"]
            .iter()
            .find_map(|a| schema::closest(a, &raw.fields))
            .map(|s| format!("did you mean '{s}'? rename it to units"))
            .unwrap_or_else(|| "add a column units with the number of places or homes".into());
        raw.error(
            format!(
                "no units column (looked for units, eenheden, plaatsen, aantal_plaatsen, capaciteit among the fields {})",
                raw.fields.join(", ")
            ),
            hint,
        )
    })?;
    let group_idx = site_field(raw, "target_group");
    let status_idx = site_field(raw, "status");
    let name_idx = site_field(raw, "name");
    let regular_idx = site_field(raw, "regular_units");
    let care_idx = site_field(raw, "care_24h");
    let year_idx = site_field(raw, "year");
    let group_ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let mut out = Vec::with_capacity(raw.features.len());
    for f in &raw.features {
        let at = |problem: String, fix: String, field: usize| {
            raw.error(problem, fix)
                .at_feature(f.index)
                .in_field(&raw.fields[field])
        };
        let location = point_of(
            raw,
            f,
            "sites must be points: use the building's entrance or centroid",
            "give every site a location, or remove it",
        )?;
        let units = match number(&f.attrs[units_idx]) {
            Ok(Some(u)) if u > 0.0 && u.fract() == 0.0 => u,
            Ok(Some(u)) if u > 0.0 => {
                return Err(at(
                    format!("units must be a whole number of places or homes, got {u}"),
                    "round it to the number of places or homes".into(),
                    units_idx,
                ))
            }
            Ok(Some(u)) => {
                return Err(at(
                    format!("units must be > 0, got {u}"),
                    "give the number of places or homes; remove closed sites or model them as removals in a scenario".into(),
                    units_idx,
                ))
            }
            Ok(None) => {
                return Err(at(
                    "units is empty".into(),
                    "give the number of places or homes".into(),
                    units_idx,
                ))
            }
            Err(m) => return Err(at(m, "give a whole number".into(), units_idx)),
        };
        let target_group = match group_idx.and_then(|i| text(&f.attrs[i])) {
            None => "overig".to_string(),
            Some(g) => {
                let id = g.to_ascii_lowercase();
                if !group_ids.contains(&id.as_str()) {
                    return Err(at(
                        format!("unknown target group '{g}'"),
                        format!(
                            "use one of the configured groups: {} (or add it under [[target_group]] in the config)",
                            group_ids.join(", ")
                        ),
                        group_idx.expect("read from it"),
                    ));
                }
                id
            }
        };
        let status = match status_idx.and_then(|i| text(&f.attrs[i])) {
            None => SiteStatus::Existing,
            Some(s) => SiteStatus::parse(&s).ok_or_else(|| {
                at(
                    format!("unknown status '{s}'"),
                    "use existing, planned or proposed".into(),
                    status_idx.expect("read from it"),
                )
            })?,
        };
        let regular_units = match regular_idx.map(|i| number(&f.attrs[i])) {
            None | Some(Ok(None)) => 0.0,
            Some(Ok(Some(r))) if r >= 0.0 => r,
            Some(Ok(Some(r))) => {
                return Err(at(
                    format!("regular_units cannot be negative ({r})"),
                    "give 0 or more".into(),
                    regular_idx.expect("read"),
                ))
            }
            Some(Err(m)) => {
                return Err(at(
                    m,
                    "give a whole number".into(),
                    regular_idx.expect("read"),
                ))
            }
        };
        let care_24h = match care_idx.and_then(|i| text(&f.attrs[i])) {
            None => None,
            Some(t) => match t.to_ascii_lowercase().as_str() {
                "1" | "true" | "ja" | "yes" | "j" | "y" => Some(true),
                "0" | "false" | "nee" | "no" | "n" => Some(false),
                _ => {
                    return Err(at(
                        format!("care_24h '{t}' is not yes/no"),
                        "use true/false, ja/nee or 1/0".into(),
                        care_idx.expect("read"),
                    ))
                }
            },
        };
        let year = match year_idx {
            None => None,
            Some(i) => crate::monitor::parse_year(&f.attrs[i].to_json()).map_err(|e| {
                at(
                    format!("year {} is not usable: {}", e.value, e.reason),
                    "give the year as four digits, e.g. 2025, or leave it empty".into(),
                    i,
                )
            })?,
        };
        let properties = raw
            .fields
            .iter()
            .zip(&f.attrs)
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        out.push(Site {
            feature_index: f.index,
            location,
            units,
            regular_units,
            target_group,
            status,
            care_24h,
            name: name_idx.and_then(|i| text(&f.attrs[i])),
            year,
            properties,
        });
    }
    Ok(out)
}

/// The location of a point feature (a point, or a multipoint of one), or the error naming the
/// feature: `not_point_fix` for another geometry, `empty_fix` for none.
fn point_of(
    raw: &RawLayer,
    f: &super::read::RawFeature,
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

/// Field names recognised for dwelling tenure.
pub const TENURE_FIELDS: &[&str] = &["eigendom", "tenure", "ownership", "eigenaar"];

/// Field names recognised for the facility type.
pub const FACILITY_TYPE_FIELDS: &[&str] = &["type", "soort", "categorie", "category", "kind"];

/// Field names recognised for a facility's capacity (supply in the floating catchments).
pub const FACILITY_CAPACITY_FIELDS: &[&str] = &["capacity", "capaciteit", "fte"];

/// Build facilities: points with a type (input order kept), each type mapped to its
/// configured category ([`crate::access::category_of`]).
///
/// Every type value that no category claims is an error: all of them are listed with their
/// number of features and the first feature, together with the configured categories.
pub fn facilities(
    raw: &RawLayer,
    categories: &[crate::access::FacilityCategory],
) -> Result<Vec<Facility>, InputError> {
    if raw.features.is_empty() {
        // An empty layer is allowed: accessibility is then skipped with a reason.
        return Ok(Vec::new());
    }
    let type_idx = FACILITY_TYPE_FIELDS
        .iter()
        .find_map(|a| raw.fields.iter().position(|f| f.eq_ignore_ascii_case(a)))
        .ok_or_else(|| {
            raw.error(
                format!(
                    "no type column (looked for {} among the fields {})",
                    FACILITY_TYPE_FIELDS.join(", "),
                    raw.fields.join(", ")
                ),
                "add a column type with values such as supermarkt, huisarts, apotheek",
            )
        })?;
    let capacity_idx = FACILITY_CAPACITY_FIELDS
        .iter()
        .find_map(|a| raw.fields.iter().position(|f| f.eq_ignore_ascii_case(a)));
    // Unknown types: value → (features, first feature index), reported together.
    let mut unknown: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut out = Vec::with_capacity(raw.features.len());
    for f in &raw.features {
        let location = point_of(
            raw,
            f,
            "facilities must be points (an entrance or a centroid)",
            "give every facility a location",
        )?;
        let value = text(&f.attrs[type_idx]).ok_or_else(|| {
            raw.error("the type is empty", "give every facility a type")
                .at_feature(f.index)
                .in_field(&raw.fields[type_idx])
        })?;
        let capacity = match capacity_idx {
            None => None,
            Some(c) => {
                let field = &raw.fields[c];
                let bad = |problem: String| {
                    raw.error(
                        problem,
                        "give the capacity as a number ≥ 0 (e.g. the number of huisartsen), or leave it empty for 1",
                    )
                    .at_feature(f.index)
                    .in_field(field)
                };
                match number(&f.attrs[c]).map_err(bad)? {
                    Some(v) if v < 0.0 => return Err(bad(format!("the capacity is {v}, below 0"))),
                    v => v,
                }
            }
        };
        match crate::access::category_of(categories, &value) {
            Some(kind) => out.push(Facility {
                feature_index: f.index,
                location,
                kind: kind.to_string(),
                capacity,
            }),
            None => {
                let e = unknown
                    .entry(value.trim().to_string())
                    .or_insert((0, f.index));
                e.0 += 1;
            }
        }
    }
    if let Some(first) = unknown.values().map(|(_, i)| *i).min() {
        let listed: Vec<String> = unknown
            .iter()
            .map(|(v, (n, i))| {
                format!(
                    "'{v}' ({n} feature{}, first {i})",
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        let cats: Vec<String> = categories
            .iter()
            .map(|c| {
                if c.aliases.is_empty() {
                    c.id.clone()
                } else {
                    format!("{} (also {})", c.id, c.aliases.join(", "))
                }
            })
            .collect();
        return Err(raw
            .error(
                format!(
                    "{} unknown facility type{}: {}; the configured categories are: {}",
                    unknown.len(),
                    if unknown.len() == 1 { "" } else { "s" },
                    listed.join(", "),
                    cats.join("; ")
                ),
                "correct the type, or map it in the config: add it to the aliases of a \
                 category, or add a category ([[access.category]] with id, label, aliases; \
                 see `wijkbalans config`)",
            )
            .at_feature(first)
            .in_field(&raw.fields[type_idx]));
    }
    Ok(out)
}

/// A walking network: the lines of a layer as vertex lists (multi-lines split into their
/// parts, input order kept). Any other geometry is an error naming the feature.
pub fn network_lines(raw: &RawLayer) -> Result<Vec<Vec<[f64; 2]>>, InputError> {
    let mut out = Vec::with_capacity(raw.features.len());
    for f in &raw.features {
        let line = |l: &geo::LineString<f64>| l.0.iter().map(|c| [c.x, c.y]).collect::<Vec<_>>();
        match &f.geometry {
            Some(geo::Geometry::LineString(l)) => out.push(line(l)),
            Some(geo::Geometry::MultiLineString(ml)) => out.extend(ml.0.iter().map(line)),
            Some(other) => {
                return Err(raw
                    .error(
                        format!("the geometry is a {}, not a line", geometry_name(other)),
                        "give a network of street or path centre lines (LineString), noded at junctions",
                    )
                    .at_feature(f.index))
            }
            None => {} // an empty geometry adds no street
        }
    }
    if out.is_empty() {
        return Err(raw.error(
            "the network has no lines",
            "pass a layer of street or path lines, or leave out --network for hemelsbreed distances",
        ));
    }
    Ok(out)
}

/// Candidate locations: points as they are, parcels or buildings by their centroid; a label
/// from a `name`, `naam` or `id` field when present.
pub fn candidates(raw: &RawLayer) -> Result<Vec<Candidate>, InputError> {
    let label_idx = ["name", "naam", "id", "identificatie"]
        .iter()
        .find_map(|a| raw.fields.iter().position(|f| f.eq_ignore_ascii_case(a)));
    raw.features
        .iter()
        .map(|f| {
            let c = match &f.geometry {
                Some(geo::Geometry::Point(p)) => Some(p.0),
                Some(geo::Geometry::MultiPoint(mp)) if mp.0.len() == 1 => Some(mp.0[0].0),
                Some(g @ (geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_))) => {
                    g.centroid().map(|p| p.0)
                }
                _ => None,
            };
            let c = c.ok_or_else(|| {
                raw.error(
                    "the geometry is empty or not a point or polygon",
                    "candidates must be points or parcels (polygons)",
                )
                .at_feature(f.index)
            })?;
            Ok(Candidate {
                location: [c.x, c.y],
                label: label_idx.and_then(|i| text(&f.attrs[i])),
            })
        })
        .collect()
}

/// Dwellings from a streamed point layer (see [`super::read::read_points`]).
pub fn dwellings_from_points(layer: super::read::PointLayer<Tenure>) -> Dwellings {
    Dwellings {
        coords: layer.coords,
        tenure: layer.attribute,
        skipped_features: layer.skipped.iter().map(|s| s.feature).collect(),
    }
}

/// The tenure of one dwelling from its ownership value (`koop`, `huur`, `corporatie`, …);
/// [`Tenure::Unknown`] for a null, empty or unrecognised value.
///
/// Case-insensitive (ASCII) without allocating: it runs once per dwelling of a national file,
/// so the three values `synth` and most exports write are matched first as they are.
pub fn parse_tenure(t: Option<&str>) -> Tenure {
    match t {
        Some("koop") => return Tenure::Owner,
        Some("huur") => return Tenure::OtherRent,
        Some("corporatie") => return Tenure::Corporation,
        _ => {}
    }
    let Some(s) = t.map(str::trim).filter(|s| !s.is_empty()) else {
        return Tenure::Unknown;
    };
    let is = |w: &str| s.eq_ignore_ascii_case(w);
    let has = |w: &str| {
        s.as_bytes()
            .windows(w.len())
            .any(|part| part.eq_ignore_ascii_case(w.as_bytes()))
    };
    if ["koop", "owner", "eigenaar-bewoner", "eigen woning"]
        .iter()
        .any(|w| is(w))
    {
        Tenure::Owner
    } else if has("corporatie") || is("social") || is("sociale huur") {
        Tenure::Corporation
    } else if has("huur") || is("rent") || is("rented") {
        Tenure::OtherRent
    } else {
        Tenure::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_suppression_and_decimal_commas() {
        assert_eq!(number(&Attr::Number(12.0)), Ok(Some(12.0)));
        assert_eq!(number(&Attr::Number(-99999999.0)), Ok(None));
        assert_eq!(number(&Attr::Text(" . ".into())), Ok(None));
        assert_eq!(number(&Attr::Text("".into())), Ok(None));
        assert_eq!(number(&Attr::Text("12,5".into())), Ok(Some(12.5)));
        assert_eq!(number(&Attr::Null), Ok(None));
        assert!(number(&Attr::Text("veel".into())).is_err());
    }

    #[test]
    fn ranges_per_kind() {
        assert!(check_range(101.0, Kind::Percent).is_err());
        assert!(check_range(-1.0, Kind::Count).is_err());
        assert!(check_range(-1.0, Kind::Number).is_ok());
    }

    #[test]
    fn tenure_words() {
        assert_eq!(parse_tenure(Some("Koop")), Tenure::Owner);
        assert_eq!(parse_tenure(Some("huur corporatie")), Tenure::Corporation);
        assert_eq!(parse_tenure(Some("huur")), Tenure::OtherRent);
        assert_eq!(parse_tenure(None), Tenure::Unknown);
        assert_eq!(parse_tenure(Some(" Sociale HUUR ")), Tenure::Corporation);
        assert_eq!(parse_tenure(Some("Corporatiewoning")), Tenure::Corporation);
        assert_eq!(parse_tenure(Some("particuliere HUUR")), Tenure::OtherRent);
        assert_eq!(parse_tenure(Some("Rented")), Tenure::OtherRent);
        assert_eq!(parse_tenure(Some("Eigen woning")), Tenure::Owner);
        assert_eq!(parse_tenure(Some("hu")), Tenure::Unknown);
        assert_eq!(parse_tenure(Some("  ")), Tenure::Unknown);
        // The values matched first as they are give what the general rule gives them.
        for word in ["koop", "huur", "corporatie"] {
            let padded = format!(" {word} ");
            assert_eq!(
                parse_tenure(Some(word)),
                parse_tenure(Some(&padded)),
                "{word}"
            );
            assert_ne!(parse_tenure(Some(word)), Tenure::Unknown, "{word}");
        }
    }

    /// An area with a square polygon [x0, x1] × [0, 1000].
    fn area(code: &str, x0: f64, x1: f64) -> Area {
        let p = geo::Polygon::new(
            geo::LineString::from(vec![(x0, 0.0), (x1, 0.0), (x1, 1000.0), (x0, 1000.0)]),
            vec![],
        );
        Area {
            code: code.into(),
            name: code.into(),
            geometry: geo::MultiPolygon(vec![p]),
            values: BTreeMap::new(),
            parents: BTreeMap::new(),
            feature_index: 0,
        }
    }

    #[test]
    fn overlaps_beyond_the_tolerance_are_found_and_slivers_are_not() {
        // Neighbours that share an edge do not overlap.
        let touching = [
            area("A", 0.0, 1000.0),
            area("B", 1000.0, 2000.0),
            area("C", 2000.0, 3000.0),
        ];
        assert_eq!(first_overlap(&touching), None);
        // 10 m into the neighbour: 1 % of it, as generalised CBS boundaries do.
        let sliver = [area("A", 0.0, 1010.0), area("B", 1000.0, 2000.0)];
        assert_eq!(first_overlap(&sliver), None);
        // Half of B lies in A, and all of D lies in C (a buurt in its wijk).
        let overlapping = [
            area("A", 0.0, 1500.0),
            area("B", 1000.0, 2000.0),
            area("C", 3000.0, 5000.0),
            area("D", 3500.0, 4000.0),
        ];
        let o = first_overlap(&overlapping).unwrap();
        assert_eq!((o.first, o.second), (0, 1));
        assert!((o.area_m2 - 500_000.0).abs() < 1e-6, "{o:?}");
        assert!((o.share - 0.5).abs() < 1e-12, "{o:?}");
        let o = first_overlap(&overlapping[2..]).unwrap();
        assert_eq!(o.share, 1.0);
        assert_eq!(percent(0.5), "50");
        assert_eq!(percent(0.0042), "0.4");
    }
}
