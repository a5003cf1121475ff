//! The areas layer: concepts resolved to columns, values parsed and range-checked, geometry
//! and codes checked, overlaps refused.

use std::collections::BTreeMap;

use geo::{Area as _, BooleanOps, BoundingRect, Validation};
use rayon::prelude::*;
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, RTreeObject};

use crate::error::{quoted, InputError};
use crate::io::read::RawLayer;
use crate::io::schema;
use crate::model::concepts::{self, Kind};
use crate::model::{cbs_parent_codes, Area, AreaSet, ConceptValue};

use super::{check_concept, geometry_name, no_geometry, number, percent, text};

/// Build areas from a raw layer: resolve columns, parse values, check geometry and codes.
pub fn areas(
    raw: &RawLayer,
    overrides: &BTreeMap<String, String>,
    levels: &BTreeMap<String, BTreeMap<String, String>>,
) -> Result<AreaSet, InputError> {
    let columns = schema::resolve(&raw.fields, overrides).map_err(|u| {
        let hint = u
            .suggestion
            .map(|s| format!("bedoeld: '{s}'? "))
            .unwrap_or_default();
        raw.error(
            format!(
                "[columns] koppelt {} aan '{}', maar dat veld heeft de laag niet (velden: {})",
                u.concept,
                u.column,
                raw.fields.join(", ")
            ),
            format!("{hint}verbeter de sectie [columns] van het configuratiebestand"),
        )
    })?;
    for required in ["code", "population"] {
        if !columns.contains_key(required) {
            let c = concepts::concept(required).expect("known concept");
            let hint = schema::closest_to_concept(required, &raw.fields)
                .map(|s| format!("bedoeld: '{s}'? koppel het met "))
                .unwrap_or_else(|| "koppel een kolom met ".to_string());
            return Err(raw.error(
                format!(
                    "geen kolom voor {required} ({}); gezocht naar {} tussen de velden {}",
                    c.meaning,
                    c.aliases.join(", "),
                    raw.fields.join(", ")
                ),
                format!("{hint}[columns] {required} = \"KOLOM\" in het configuratiebestand"),
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
            let kind = concepts::concept(concept).map_or(Kind::Number, |c| c.kind);
            match (*concept, kind) {
                ("code", _) => code = text(attr),
                ("name", _) => name = text(attr),
                ("urbanity", _) => urb = text(attr),
                (_, Kind::Text) => {}
                (_, kind) => {
                    let v = number(attr).map_err(|m| {
                        at(
                            m,
                            "geef een getal, of laat het veld leeg als de waarde onbekend is",
                        )
                        .in_field(field)
                    })?;
                    if let Some(v) = v {
                        check_concept(v, attr, kind).map_err(|m| {
                            at(m, "verbeter de waarde, of laat het veld leeg als de waarde onbekend is")
                                .in_field(field)
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
            at(
                "de gebiedscode is leeg".into(),
                "elk gebied heeft een code nodig",
            )
            .in_field(code_field)
        })?;
        if values.get("population").and_then(|v| v.value).is_none() {
            return Err(at(
                "het aantal inwoners ontbreekt of is geheimgehouden".into(),
                "population is de noemer van elk aandeel: geef een waarde (0 mag)",
            )
            .in_field(&columns["population"]));
        }
        let geometry = match &f.geometry {
            Some(geo::Geometry::Polygon(p)) => geo::MultiPolygon(vec![p.clone()]),
            Some(geo::Geometry::MultiPolygon(mp)) => mp.clone(),
            Some(other) => {
                return Err(at(
                    format!(
                        "de geometrie is een {}, geen polygoon",
                        geometry_name(other)
                    ),
                    "de gebiedenlaag moet (multi)polygonen bevatten",
                ))
            }
            None => {
                return Err(at(
                    no_geometry(raw, f.index),
                    "elk gebied heeft een polygoon nodig; verwijder of verbeter het object",
                ))
            }
        };
        if let Err(problem) = geometry.check_validation() {
            return Err(at(
                format!("ongeldige polygoon ({})", quoted("geo", &problem)),
                "herstel de polygoon in QGIS (Vector > Geometrie gereedschappen > Geometrieën repareren) of geef --repair-geometry op om hem te laten herstellen met GEOS MakeValid",
            ));
        }
        let mut parents = cbs_parent_codes(&code);
        for (level, map) in levels {
            let key = parents.get("wijk").cloned().unwrap_or_else(|| code.clone());
            let found = |c: &str| {
                map.get(c).or_else(|| {
                    map.iter()
                        .find(|(k, _)| k.to_lowercase() == c.to_lowercase())
                        .map(|(_, v)| v)
                })
            };
            if let Some(v) = found(&code).or_else(|| found(&key)) {
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
    // Codes are compared without case (invisible characters were removed by `text`): two codes
    // that differ only so are one area written twice, an error naming both features.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (k, area) in out.iter().enumerate() {
        let Some(&first) = seen.get(&area.code.to_lowercase()) else {
            seen.insert(area.code.to_lowercase(), k);
            continue;
        };
        let (a, b) = (&out[first], area);
        let raw_code = |i: usize| match &raw.features[i].attrs
            [raw.field_index(&columns["code"]).expect("resolved")]
        {
            crate::io::read::Attr::Text(t) => t.clone(),
            other => text(other).unwrap_or_default(),
        };
        let (ra, rb) = (raw_code(a.feature_index), raw_code(b.feature_index));
        let problem = if ra == rb {
            format!(
                "gebiedscode {} komt twee keer voor (objecten {} en {})",
                a.code, a.feature_index, b.feature_index
            )
        } else {
            format!(
                "de gebiedscodes {:?} (object {}) en {:?} (object {}) verschillen alleen in hoofdletters, spaties of onzichtbare tekens, dus ze noemen hetzelfde gebied",
                ra, a.feature_index, rb, b.feature_index
            )
        };
        return Err(raw
            .error(
                problem,
                "gebiedscodes moeten uniek zijn: verwijder het dubbele object of voeg de twee polygonen samen",
            )
            .at_feature(b.feature_index)
            .in_field(&columns["code"]));
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by(|a, b| out[*a].code.cmp(&out[*b].code));
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
                    "de polygonen van {} (object {}) en {} (object {}) overlappen {} m² ({} % van de kleinste)",
                    first.code,
                    first.feature_index,
                    second.code,
                    second.feature_index,
                    crate::table::nl(o.area_m2, 0),
                    percent(o.share)
                ),
                "gebieden mogen niet overlappen: een woning of zorglocatie in de overlap zou bij beide horen; controleer of de laag maar één niveau bevat (wijken of buurten, niet allebei) en verbeter de grenzen in QGIS (Vector > Geometrie gereedschappen > Geldigheid controleren, of de Topologie-controle)",
            )
            .at_feature(second.feature_index));
    }
    let urbanity = columns
        .contains_key("urbanity")
        .then(|| order.iter().map(|i| urbanity[*i].clone()).collect());
    Ok(AreaSet {
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
