//! Reading a large point layer (dwellings) straight into coordinates, without a feature per
//! point: GDAL's Arrow stream, or the own FlatGeobuf reader.

use gdal::vector::LayerAccess;

use crate::config::LayerSpec;
use crate::error::{gdal_says, InputError};
use crate::io::digest::FileDigest;
use crate::io::fgb;
use crate::io::gdal_env;
use crate::io::stream;

use super::layer::*;
use super::open::*;
use super::source::Source;

/// How many lon/lat points whose lat and lon are swapped are kept as read, for their message:
/// as many as `summary.json` lists of the dwellings left out (`pipeline::MAX_LISTED_OUTSIDE`).
const SWAPPED_NAMED: usize = 1000;

/// A point layer read straight into coordinates (see [`read_points`]); `A` is the parsed
/// value of the one attribute read.
pub struct PointLayer<A> {
    /// Layer metadata (with no features kept).
    pub header: RawLayer,
    /// Number of features in the layer (kept and skipped).
    pub count: usize,
    /// Coordinates in the compute CRS, one per kept feature.
    pub coords: Vec<[f64; 2]>,
    /// Parsed values of the first of the wanted attribute fields present, per kept feature.
    pub attribute: Option<Vec<A>>,
    /// Broken features left out, ascending by feature index (see [`read_points`]).
    pub skipped: Vec<SkippedFeature>,
}

/// A broken feature of a large point layer, left out of the run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedFeature {
    /// Index of the feature in its layer (0-based).
    pub feature: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// The largest share of a point layer's features that may be broken and left out; above it
/// the file itself is wrong (a wrong CRS, a wrong layer) and the run stops.
pub const MAX_SKIPPED_SHARE: f64 = 0.01;

/// Read a large point layer (dwellings) straight into a `Vec<[f64; 2]>` in the compute CRS,
/// without building a feature or `geo` object per point: GDAL hands over column batches
/// through its Arrow stream (module `stream`), decoded on a second thread while GDAL fills the
/// next batch, and coordinates are reprojected in batches of 2^20. Building polygons count by their centroid, computed in the
/// source CRS (for a building the difference with a centroid in RD New is far below a metre).
/// Only the first field of `attribute_fields` present in the layer is read (it must hold text
/// or numbers; a list or date field is an error naming it), and each value is parsed at once
/// with `parse` (`None` for a null), so no string is kept per point.
///
/// The file's SHA-256 (for `run.json`) is computed on a second thread while GDAL reads, so
/// hashing a large file costs no wall-clock time on a machine with two or more cores.
///
/// # Broken features
/// A feature without a location, with a NaN or infinite coordinate, with a geometry that is
/// neither a point nor a polygon, with degrees in a metric CRS (or the reverse), or far
/// outside the Netherlands is left out and listed in [`PointLayer::skipped`] with its feature
/// index and the problem: one bad address among millions must not stop a national run, and
/// the totals show what was left out. When more than [`MAX_SKIPPED_SHARE`] of the features
/// are broken, the file itself is wrong and the first broken feature is the error.
pub fn read_points<A: Send>(
    spec: &LayerSpec,
    source: impl Into<Source>,
    opts: &ReadOptions,
    attribute_fields: &[&str],
    parse: impl Fn(Option<&str>) -> A + Sync,
) -> Result<PointLayer<A>, InputError> {
    let source = source.into();
    let (read, messages) =
        gdal_env::capturing(|| read_points_inner(spec, source, opts, attribute_fields, &parse));
    if let Some(m) = messages
        .iter()
        .find(|m| m.text.starts_with(gdal_env::REFUSED))
    {
        return Err(remote_reference(&spec.path, &m.text));
    }
    let layer = read?;
    gdal_env::reemit(&warnings_only(messages));
    Ok(layer)
}

pub(super) fn read_points_inner<A: Send>(
    spec: &LayerSpec,
    source: Source,
    opts: &ReadOptions,
    attribute_fields: &[&str],
    parse: &(dyn Fn(Option<&str>) -> A + Sync),
) -> Result<PointLayer<A>, InputError> {
    let ds = open(spec, source)?;
    let path = &spec.path;
    // Hashed in the background (idle class), waited for when run.json is rendered.
    let blake3 = FileDigest::in_background(path);
    let p = prepare(&ds, spec, source, opts)?;
    let mut layer = layer_at(&ds, p.layer_index, path)?;
    let attr_idx = attribute_fields
        .iter()
        .find_map(|a| p.fields.iter().position(|f| f.eq_ignore_ascii_case(a)));
    if let Some(i) = attr_idx {
        use gdal::vector::OGRFieldType::{OFTInteger, OFTInteger64, OFTReal, OFTString};
        let t = layer.defn().fields().nth(i).map(|f| f.field_type());
        if let Some(t) = t.filter(|t| ![OFTString, OFTInteger, OFTInteger64, OFTReal].contains(t)) {
            return Err(InputError::file(
                path,
                format!(
                    "het veld bevat waarden van het type {}, niet één tekst of getal per woning",
                    gdal::vector::field_type_to_name(t)
                ),
                "geef één waarde per woning (koop, huur, corporatie), of geef de kolom een andere naam zodat die niet wordt gelezen",
            )
            .in_layer(&p.layer_name)
            .in_field(&p.fields[i]));
        }
    }
    let at = |index: usize, problem: String, fix: &str| {
        InputError::file(path, problem, fix)
            .in_layer(&p.layer_name)
            .at_feature(index)
    };
    // The count a file declares (a FlatGeobuf or GeoPackage header) sizes the vectors, but a
    // damaged one must not ask for terabytes: no format stores a point in fewer than 4 bytes.
    let file_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let capacity = layer.feature_count().min(file_bytes / 4);
    let mut coords: Vec<[f64; 2]> = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let mut attribute = attr_idx.map(|_| Vec::with_capacity(coords.capacity()));
    let mut skipped: Vec<SkippedFeature> = Vec::new();
    let attr_name = attr_idx.map(|i| p.fields[i].as_str());
    // What one feature becomes; worked out for many features at once where the reader allows.
    // The rare cases are boxed, so a block of items stays small (24 bytes a point).
    enum Item<A> {
        Point([f64; 2], Option<A>),
        Skipped(Box<SkippedFeature>),
        Failed(Box<InputError>),
    }
    let map = |index: usize, located: Result<[f64; 2], String>, value: stream::Value<'_>| {
        let located = located.and_then(|xy| {
            if !(xy[0].is_finite() && xy[1].is_finite()) {
                return Err("een coördinaat is NaN of oneindig".to_string());
            }
            let degrees = xy[0].abs() <= 180.0 && xy[1].abs() <= 90.0;
            if p.source_geographic != degrees {
                return Err(if degrees {
                    format!(
                        "de coördinaten ({}, {}) lijken op lon/lat-graden, maar het coördinatenstelsel van de laag is {} (meters)",
                        xy[0], xy[1], p.source_crs
                    )
                } else {
                    format!(
                        "de coördinaten ({:.0}, {:.0}) zijn geen graden, maar het coördinatenstelsel van de laag is {} (lon/lat)",
                        xy[0], xy[1], p.source_crs
                    )
                });
            }
            Ok(xy)
        });
        let xy = match located {
            Ok(xy) => xy,
            Err(problem) => {
                return Item::Skipped(Box::new(SkippedFeature {
                    feature: index,
                    problem,
                }))
            }
        };
        let Some(name) = attr_name else {
            return Item::Point(xy, None);
        };
        let text = match &value {
            stream::Value::Null => None,
            stream::Value::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Some(text),
                Err(e) => {
                    return Item::Failed(Box::new(
                        at(index, not_utf8(bytes, e.valid_up_to()), NOT_UTF8_FIX).in_field(name),
                    ))
                }
            },
            stream::Value::Other(text) => Some(text.as_str()),
        };
        Item::Point(xy, Some(parse(text)))
    };
    let each = |item: Item<A>| -> Result<(), InputError> {
        match item {
            Item::Point(xy, value) => {
                coords.push(xy);
                if let (Some(a), Some(value)) = (attribute.as_mut(), value) {
                    a.push(value);
                }
                Ok(())
            }
            Item::Skipped(s) => {
                skipped.push(*s);
                Ok(())
            }
            Item::Failed(e) => Err(*e),
        }
    };
    // A FlatGeobuf file of points is decoded and checked here in parallel (`fgb`); every other
    // layer goes through GDAL's Arrow stream, one feature at a time.
    let native = (ds.driver().short_name() == "FlatGeobuf")
        .then(|| fgb::PointFile::open(path, attr_name))
        .flatten();
    let streamed = match native {
        Some(file) => file.map_each(map, each),
        None => {
            let mut each = each;
            // Every feature takes at least one byte of the file (see `for_each_point`).
            let max_features = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
            stream::for_each_point(&mut layer, max_features, attr_name, |i, located, value| {
                each(map(i, located, value))
            })
        }
    };
    let features = streamed.map_err(|e| match e {
        stream::StreamError::Each(e) => e,
        stream::StreamError::Read(m) => InputError::file(
            path,
            format!("de objecten kunnen niet worden gelezen ({m})"),
            "controleer of het bestand opent in QGIS of met ogrinfo; exporteer de laag opnieuw uit de bron (in QGIS: Exporteren → Objecten opslaan als)",
        )
        .in_layer(&p.layer_name),
    })?;
    if features == 0 {
        return Err(InputError::file(
            path,
            NO_FEATURES,
            "controleer de export of kies een andere laag",
        )
        .in_layer(&p.layer_name));
    }
    // In lon/lat, a point whose lat and lon are swapped is known only before it is
    // transformed: the first of them are kept as read, by position, for the message of a point
    // that then lies far outside (as many as `summary.json` lists of the points left out).
    let swapped_lonlat: std::collections::BTreeMap<usize, [f64; 2]> =
        if p.rd_target && p.source_geographic {
            coords
                .iter()
                .enumerate()
                .filter(|(_, c)| crate::model::address::is_swapped(**c, true))
                .take(SWAPPED_NAMED)
                .map(|(i, c)| (i, *c))
                .collect()
        } else {
            Default::default()
        };
    if let Some(t) = &p.transform {
        for chunk in coords.chunks_mut(1 << 20) {
            let mut x: Vec<f64> = chunk.iter().map(|c| c[0]).collect();
            let mut y: Vec<f64> = chunk.iter().map(|c| c[1]).collect();
            t.transform_coords(&mut x, &mut y, &mut []).map_err(|e| {
                InputError::file(
                    path,
                    format!(
                        "omzetten vanuit {} lukt niet ({})",
                        p.source_crs,
                        gdal_says(&e)
                    ),
                    "controleer het coördinatenstelsel dat het bestand opgeeft",
                )
                .in_layer(&p.layer_name)
            })?;
            for (c, (a, b)) in chunk.iter_mut().zip(x.into_iter().zip(y)) {
                *c = [a, b];
            }
        }
    }
    if p.rd_target {
        let in_nl = |c: &[f64; 2]| {
            c[0] >= -50_000.0 && c[0] <= 350_000.0 && c[1] >= 250_000.0 && c[1] <= 700_000.0
        };
        if coords.iter().any(|c| !in_nl(c)) {
            let before: Vec<usize> = skipped.iter().map(|s| s.feature).collect();
            let mut far = Vec::new();
            let mut keep = Vec::with_capacity(coords.len());
            for (pos, c) in coords.iter().enumerate() {
                keep.push(in_nl(c));
                if !in_nl(c) {
                    // A point whose x and y are swapped is named so
                    // ([`crate::model::address::is_swapped`]): in lon/lat as read, in RD New
                    // as it is (nothing transformed).
                    let problem = match swapped_lonlat.get(&pos) {
                        Some(read) => crate::model::address::swapped_problem(*read),
                        None => format!(
                            "de coördinaten ({:.0}, {:.0}) in RD New liggen ver buiten \
                             Nederland{}",
                            c[0],
                            c[1],
                            if p.transform.is_none() && crate::model::address::is_swapped(*c, false)
                            {
                                "; omgedraaid liggen ze erbinnen: x en y zijn verwisseld"
                            } else {
                                ""
                            }
                        ),
                    };
                    far.push(SkippedFeature {
                        feature: crate::model::feature_of(&before, pos),
                        problem,
                    });
                }
            }
            let mut k = keep.iter();
            coords.retain(|_| *k.next().expect("one flag per point"));
            if let Some(a) = attribute.as_mut() {
                let mut k = keep.iter();
                a.retain(|_| *k.next().expect("one flag per point"));
            }
            skipped.extend(far);
            skipped.sort_by_key(|s| s.feature);
        }
    }
    if !skipped.is_empty() && skipped.len() as f64 > MAX_SKIPPED_SHARE * features as f64 {
        let first = &skipped[0];
        return Err(at(
            first.feature,
            format!(
                "{} ({} van de {} objecten onbruikbaar; bij meer dan {} % is het bestand fout, niet een paar objecten)",
                first.problem,
                crate::format::count(skipped.len()),
                crate::format::count(features),
                crate::table::nl(MAX_SKIPPED_SHARE * 100.0, 0)
            ),
            "controleer het coördinatenstelsel dat het bestand opgeeft en of dit de juiste laag is; verbeter of verwijder de onbruikbare objecten",
        ));
    }
    Ok(PointLayer {
        header: RawLayer {
            role: source.role,
            spec: spec.clone(),
            layer_name: p.layer_name,
            fields: p.fields,
            features: Vec::new(),
            source_crs: p.source_crs,
            blake3,
            repaired: Vec::new(),
        },
        count: features,
        coords,
        attribute,
        skipped,
    })
}
