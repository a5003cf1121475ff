//! Facilities, walking networks, candidate locations and dwellings.

use std::collections::BTreeMap;

use geo::Centroid;

use crate::error::InputError;
use crate::io::read::RawLayer;
use crate::model::{Candidate, Dwellings, Facility, Tenure};

use super::{count, geometry_name, point_of, text};

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
                    "geen kolom type (gezocht naar {} tussen de velden {})",
                    FACILITY_TYPE_FIELDS.join(", "),
                    raw.fields.join(", ")
                ),
                "voeg een kolom type toe met waarden zoals supermarkt, huisarts, apotheek",
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
            "voorzieningen moeten punten zijn (een ingang of een zwaartepunt)",
            "geef elke voorziening een ligging",
        )?;
        let value = text(&f.attrs[type_idx]).ok_or_else(|| {
            raw.error("het type is leeg", "geef elke voorziening een type")
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
                        "geef de capaciteit als getal van 0 of meer (bijvoorbeeld het aantal huisartsen), of laat het veld leeg voor 1",
                    )
                    .at_feature(f.index)
                    .in_field(field)
                };
                match count(&f.attrs[c]).map_err(bad)? {
                    Some(v) if v < 0.0 => {
                        return Err(bad(format!("de capaciteit is {v}, minder dan 0")))
                    }
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
                properties: raw
                    .fields
                    .iter()
                    .zip(&f.attrs)
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
                address: None,
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
                if *n == 1 {
                    format!("'{v}' (object {i})")
                } else {
                    format!(
                        "'{v}' ({} objecten, het eerste is object {i})",
                        crate::format::count(*n)
                    )
                }
            })
            .collect();
        let cats: Vec<String> = categories
            .iter()
            .map(|c| {
                if c.aliases.is_empty() {
                    c.id.clone()
                } else {
                    format!("{} (ook {})", c.id, c.aliases.join(", "))
                }
            })
            .collect();
        return Err(raw
            .error(
                format!(
                    "{}: {}; de ingestelde categorieën zijn: {}",
                    crate::format::counted(
                        unknown.len() as u64,
                        "onbekend type voorziening",
                        "onbekende typen voorzieningen"
                    ),
                    listed.join(", "),
                    cats.join("; ")
                ),
                "verbeter het type, of koppel het in het configuratiebestand: voeg het toe aan \
                 de aliases van een categorie, of voeg een categorie toe ([[access.category]] \
                 met id, label, aliases; zie `wijkbalans config`)",
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
                        format!("de geometrie is een {}, geen lijn", geometry_name(other)),
                        "geef een netwerk van hartlijnen van straten of paden (LineString), met knopen op de kruisingen",
                    )
                    .at_feature(f.index))
            }
            None => {} // an empty geometry adds no street
        }
    }
    if out.is_empty() {
        return Err(raw.error(
            "het netwerk heeft geen lijnen",
            "geef een laag met lijnen van straten of paden, of laat --network weg voor hemelsbrede afstanden",
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
                    "de geometrie is leeg of geen punt of polygoon",
                    "kandidaatlocaties moeten punten of percelen (polygonen) zijn",
                )
                .at_feature(f.index)
            })?;
            Ok(Candidate {
                location: [c.x, c.y],
                label: label_idx.and_then(|i| text(&f.attrs[i])),
                address: None,
            })
        })
        .collect()
}

/// Dwellings from a streamed point layer (see [`crate::io::read::read_points`]).
pub fn dwellings_from_points(layer: crate::io::read::PointLayer<Tenure>) -> Dwellings {
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
