//! Reading a whole layer into [`RawLayer`]: attributes as [`Attr`], geometries checked and
//! reprojected to the compute CRS (areas, sites, facilities, candidates, networks).

use std::path::Path;

use gdal::cpl::CslStringList;
use gdal::vector::{FieldValue, LayerAccess, OGRwkbGeometryType};

use crate::config::{LayerSpec, Role};
use crate::error::{gdal_says, InputError};
use crate::io::digest::FileDigest;
use crate::io::gdal_env::{self, GdalMessage};
use crate::io::geojson_check;

use super::open::*;
use super::source::Source;

/// One attribute value as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    /// Null or unset.
    Null,
    /// A number.
    Number(f64),
    /// A boolean (an integer field with GDAL's boolean subtype).
    Bool(bool),
    /// Text.
    Text(String),
}

impl Attr {
    /// As JSON, for passing properties through to outputs.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Attr::Null => serde_json::Value::Null,
            Attr::Number(v) => crate::table::number(*v),
            Attr::Bool(b) => serde_json::Value::Bool(*b),
            Attr::Text(s) => serde_json::Value::String(s.clone()),
        }
    }
}

/// A feature in the compute CRS.
#[derive(Debug, Clone)]
pub struct RawFeature {
    /// 0-based index in the layer.
    pub index: usize,
    /// Geometry in the compute CRS (`None` for a null geometry).
    pub geometry: Option<geo::Geometry<f64>>,
    /// Attribute values, aligned with [`RawLayer::fields`].
    pub attrs: Vec<Attr>,
}

/// A layer read into memory.
#[derive(Debug, Clone)]
pub struct RawLayer {
    /// Role of the layer.
    pub role: Role,
    /// The spec it was read from.
    pub spec: LayerSpec,
    /// The layer name in the file.
    pub layer_name: String,
    /// Field names.
    pub fields: Vec<String>,
    /// Features in file order.
    pub features: Vec<RawFeature>,
    /// The source CRS, as `AUTHORITY:CODE` when GDAL identifies one, else its name.
    pub source_crs: String,
    /// BLAKE3 digest of the file's bytes (hex), possibly still being computed (see
    /// [`crate::io::digest`]).
    pub blake3: FileDigest,
    /// Indices of polygons repaired with GEOS MakeValid (only with `repair`).
    pub repaired: Vec<usize>,
}

impl RawLayer {
    /// An error located in this layer.
    pub fn error(&self, problem: impl Into<String>, fix: impl Into<String>) -> InputError {
        InputError::file(&self.spec.path, problem, fix).in_layer(&self.layer_name)
    }

    /// Index of a field by exact name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

/// Options for reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The compute CRS, e.g. `EPSG:28992`.
    pub compute_crs: String,
    /// Repair invalid polygons with GEOS MakeValid instead of rejecting them.
    pub repair: bool,
}

/// Read one layer completely, reprojected to the compute CRS.
///
/// `keep_fields`: when given, only these fields' values are read (the others stay `Null`),
/// which keeps large point layers small.
///
/// GDAL's messages while reading are collected: a request for a remote resource (refused) and
/// an unclosed polygon ring become this layer's error (with `repair`, the ring is closed and the
/// feature listed as repaired); other warnings are printed as GDAL prints them. GDAL's errors in
/// a layer it did read are not printed: they concern a geometry it could not build and left
/// empty, which the model reports for its feature with the cause.
///
/// `source`: where the file was named (a [`Role`] for the flags of its own layer, as
/// `analyse` takes it); the messages name its flags.
pub fn read_layer(
    spec: &LayerSpec,
    source: impl Into<Source>,
    opts: &ReadOptions,
    keep_fields: Option<&[&str]>,
) -> Result<RawLayer, InputError> {
    let source = source.into();
    let (read, messages) =
        gdal_env::capturing(|| read_layer_inner(spec, source, opts, keep_fields));
    if let Some(m) = messages
        .iter()
        .find(|m| m.text.starts_with(gdal_env::REFUSED))
    {
        return Err(remote_reference(&spec.path, &m.text));
    }
    let failures: Vec<&str> = messages
        .iter()
        .filter(|m| m.class >= gdal_sys::CPLErr::CE_Failure)
        .map(|m| m.text.as_str())
        .collect();
    let mut raw = match read {
        // A damaged file (a corrupt GeoPackage page) reads as a layer without features: GDAL's
        // own errors then say why, and are the real cause.
        Err(e) if e.problem == NO_FEATURES && !failures.is_empty() => {
            let mut damaged = InputError::file(
                &spec.path,
                format!(
                    "GDAL kan de objecten niet lezen, het bestand is beschadigd ({})",
                    gdal_says(gdal_env::cause(failures[0]))
                ),
                "exporteer de laag opnieuw uit de bron (in QGIS: Exporteren → Objecten opslaan als)",
            );
            if let Some(layer) = &e.layer {
                damaged = damaged.in_layer(layer);
            }
            return Err(damaged);
        }
        other => other?,
    };
    let json = spec
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("geojson"));
    if json {
        let scan = geojson_check::scan(&spec.path).unwrap_or_default();
        if let Some((index, key)) = scan.duplicate {
            return Err(raw
                .error(
                    format!("het object heeft de sleutel \"{key}\" twee keer; GDAL zou zonder melding de laatste waarde houden"),
                    "houd één waarde per sleutel (de sleutels van een JSON-object moeten uniek zijn om één ding te betekenen)",
                )
                .at_feature(index));
        }
        // A `true` among numbers: GDAL typed the property as a number and read it as 1. Put the
        // boolean back, so that a number column refuses it by name (`io::model::number`).
        for (index, key, b) in scan.booleans {
            let (Some(fi), Some(f)) = (raw.field_index(&key), raw.features.get_mut(index)) else {
                continue;
            };
            if f.index == index && matches!(f.attrs.get(fi), Some(Attr::Number(_))) {
                f.attrs[fi] = Attr::Bool(b);
            }
        }
    }
    if let Some(e) = duplicate_column(&raw) {
        return Err(e);
    }
    // GDAL's GeoJSON driver clamps integers beyond the 64-bit range to INT64_MIN/INT64_MAX,
    // with one warning for the whole file and none naming the feature. The warning is not
    // printed: a clamped cell is this layer's error, naming its feature and field.
    let (clamp, messages): (Vec<GdalMessage>, Vec<GdalMessage>) = messages
        .into_iter()
        .partition(|m| m.text.contains(INT64_CLAMP));
    if !clamp.is_empty() {
        if let Some(e) = clamped_cell(&raw) {
            return Err(e);
        }
    }
    let mut rest = Vec::new();
    for m in messages {
        if m.text.starts_with("Non closed ring") {
            unclosed_ring(&mut raw, opts)?;
        } else {
            rest.push(m);
        }
    }
    gdal_env::reemit(&warnings_only(rest));
    Ok(raw)
}

/// The error for the first column whose name another column has too, compared trimmed and
/// without case as every column is looked up (`units` and `Units`): GDAL keeps both, the tool
/// would read the first and write both through, so which one is meant cannot be known.
///
/// Example: the header `naam,units,target_group,status,units` is refused naming `units`,
/// columns 2 and 5; `adres,Adres` naming both.
fn duplicate_column(raw: &RawLayer) -> Option<InputError> {
    let key = |f: &String| f.trim().to_lowercase();
    raw.fields.iter().enumerate().find_map(|(j, f)| {
        let i = raw.fields[..j].iter().position(|g| key(g) == key(f))?;
        let (a, b) = (raw.fields[i].trim(), f.trim());
        let what = if a == b {
            format!("de kolom '{a}' staat twee keer in het bestand")
        } else {
            format!(
                "de kolommen '{a}' en '{b}' hebben dezelfde naam als hoofdletters niet meetellen"
            )
        };
        Some(
            raw.error(
                format!(
                    "{what} (kolom {} en {}), dus welke bedoeld is, is niet te weten",
                    i + 1,
                    j + 1
                ),
                "geef elke kolom een eigen naam, of verwijder de kolom die niet klopt",
            )
            .in_field(f),
        )
    })
}

/// What GDAL's warning says when it clamped an integer beyond the 64-bit range ("Integer
/// values probably ranging out of 64bit integer range have been found. Will be clamped to
/// INT64_MIN/INT64_MAX").
const INT64_CLAMP: &str = "Will be clamped to INT64_MIN/INT64_MAX";

/// The error for the first cell (in feature, then field order) that holds a clamped integer:
/// INT64_MAX or INT64_MIN, read as ±2⁶³. No count or statistic is that large, and the file's
/// own number is lost (GDAL keeps only the limit), so the cell is refused rather than read.
fn clamped_cell(raw: &RawLayer) -> Option<InputError> {
    raw.features.iter().find_map(|f| {
        let (k, v) = f.attrs.iter().enumerate().find_map(|(k, a)| match a {
            Attr::Number(v) if v.abs() >= i64::MAX as f64 => Some((k, *v)),
            _ => None,
        })?;
        let limit = if v > 0.0 { i64::MAX } else { i64::MIN };
        Some(
            raw.error(
                format!(
                    "het gehele getal ligt op of voorbij de 64-bitsgrens {limit}, waarop GDAL grotere gehele getallen afkapt, dus het getal in het bestand kan niet worden gelezen zoals het er staat; geen aantal of statistiek is zo groot"
                ),
                "verbeter de waarde, of laat het veld leeg als de waarde onbekend is",
            )
            .at_feature(f.index)
            .in_field(&raw.fields[k]),
        )
    })
}

/// The warnings among GDAL's messages. In a layer GDAL did read, its errors are about a
/// geometry it could not build ("Invalid Polygon object. Missing 'coordinates' member.") and
/// left empty; printing them would put GDAL's line before the one error wijkbalans gives for
/// that feature.
pub(super) fn warnings_only(mut messages: Vec<GdalMessage>) -> Vec<GdalMessage> {
    messages.retain(|m| m.class == gdal_sys::CPLErr::CE_Warning);
    messages
}

/// The error for a file that refers to a remote resource (a GeoJSON `crs` link).
pub(super) fn remote_reference(path: &Path, message: &str) -> InputError {
    let url = message.trim_start_matches(gdal_env::REFUSED);
    InputError::file(
        path,
        format!("het bestand verwijst naar {url}, en dat wordt niet opgehaald: wijkbalans maakt nooit een netwerkverbinding"),
        "geef het coördinatenstelsel in het bestand zelf op (een GeoJSON-member crs met name urn:ogc:def:crs:EPSG::28992, of geen crs voor lon/lat)",
    )
}

/// GDAL closed a polygon ring that did not end where it started. Without `repair` that is the
/// feature's error; with it, the feature is listed as repaired.
pub(super) fn unclosed_ring(raw: &mut RawLayer, opts: &ReadOptions) -> Result<(), InputError> {
    let fix = "laat de laatste positie van elke ring gelijk zijn aan de eerste (RFC 7946), of geef --repair-geometry op om de ringen te sluiten";
    let Some((index, problem)) = geojson_check::unclosed_ring(&raw.spec.path) else {
        if opts.repair {
            return Ok(());
        }
        return Err(raw.error("een ring van een polygoon is niet gesloten", fix));
    };
    if opts.repair {
        if let Err(i) = raw.repaired.binary_search(&index) {
            raw.repaired.insert(i, index);
        }
        return Ok(());
    }
    Err(raw.error(problem, fix).at_feature(index))
}

pub(super) fn read_layer_inner(
    spec: &LayerSpec,
    source: Source,
    opts: &ReadOptions,
    keep_fields: Option<&[&str]>,
) -> Result<RawLayer, InputError> {
    let ds = open(spec, source)?;
    let path = &spec.path;
    let prepared = prepare(&ds, spec, source, opts)?;
    let mut layer = layer_at(&ds, prepared.layer_index, path)?;
    let in_layer = |e: InputError| e.in_layer(&prepared.layer_name);

    let boolean: Vec<bool> = (0..prepared.fields.len())
        .map(|i| field_is_boolean(layer.defn(), i))
        .collect();
    let types: Vec<_> = layer.defn().fields().map(|f| f.field_type()).collect();
    let keep: Vec<bool> = prepared
        .fields
        .iter()
        .map(|f| keep_fields.is_none_or(|k| k.iter().any(|w| w.eq_ignore_ascii_case(f))))
        .collect();
    // A Shapefile's table is read again as bytes: GDAL reads `4O20` in a number field as 4 and
    // `6.395` in an integer field as 6 without a word, and recodes UTF-8 text as 1252 when the
    // .cpg says so (io::dbf).
    let shapefile = ds.driver().short_name() == "ESRI Shapefile";
    let dbf = if shapefile {
        crate::io::dbf::Dbf::beside(path)
    } else {
        None
    };
    let code_page = shapefile
        .then(|| crate::io::dbf::declared_code_page(path))
        .flatten()
        .filter(|c| crate::io::dbf::single_byte(c));
    let gpkg_text = if ds.driver().short_name() == "GPKG" {
        gpkg_text_in_number_fields(
            &ds,
            &layer,
            &prepared.layer_name,
            &prepared.fields,
            &types,
            &keep,
        )
    } else {
        std::collections::HashMap::new()
    };
    // The count a header announces is not trusted for the allocation: a damaged FlatGeobuf
    // header made it ask for 8.3 TB and abort (found by the `flatgeobuf` fuzz corpus read as
    // areas). No feature takes less than 16 bytes of the file.
    let file_bound = std::fs::metadata(path).map_or(0, |m| m.len() / 16);
    let mut features = Vec::with_capacity(layer.feature_count().min(file_bound) as usize);
    let mut repaired = Vec::new();
    for (index, feature) in layer.features().enumerate() {
        let at = |problem: String, fix: &str| {
            in_layer(InputError::file(path, problem, fix)).at_feature(index)
        };
        let mut attrs = Vec::with_capacity(prepared.fields.len());
        for (fi, k) in keep.iter().enumerate() {
            // A property the feature does not have is unset: Null, where the `gdal` crate would
            // read 0 for a number.
            if !k || !field_is_set(&feature, fi) {
                attrs.push(Attr::Null);
                continue;
            }
            if let Some(values) = number_list(&feature, fi, types[fi]) {
                attrs.push(match values[..] {
                    [v] => Attr::Number(v),
                    _ => {
                        return Err(at(
                            "de waarde is een lijst, geen enkele waarde".to_string(),
                            "geef één waarde per veld",
                        )
                        .in_field(&prepared.fields[fi]))
                    }
                });
                continue;
            }
            let v = feature.field(fi).map_err(|e| {
                at(
                    format!("de waarde kan niet worden gelezen ({})", gdal_says(&e)),
                    "controleer of de tekstcodering UTF-8 is",
                )
                .in_field(&prepared.fields[fi])
            })?;
            attrs.push(match v {
                None => Attr::Null,
                Some(FieldValue::IntegerValue(i)) if boolean[fi] => Attr::Bool(i != 0),
                Some(FieldValue::IntegerValue(i)) => Attr::Number(i as f64),
                Some(FieldValue::Integer64Value(i)) => Attr::Number(i as f64),
                Some(FieldValue::RealValue(r)) => Attr::Number(r),
                Some(FieldValue::StringValue(s)) => {
                    if s.contains(char::REPLACEMENT_CHARACTER) {
                        check_utf8(&feature, fi)
                            .map_err(|p| at(p, NOT_UTF8_FIX).in_field(&prepared.fields[fi]))?;
                    }
                    Attr::Text(s)
                }
                // One list value anywhere makes GDAL type the whole GeoJSON column as a list:
                // a one-element list is that element; a longer one is this feature's error.
                Some(FieldValue::IntegerListValue(v)) if v.len() == 1 => Attr::Number(v[0] as f64),
                Some(FieldValue::Integer64ListValue(v)) if v.len() == 1 => {
                    Attr::Number(v[0] as f64)
                }
                Some(FieldValue::RealListValue(v)) if v.len() == 1 => Attr::Number(v[0]),
                Some(FieldValue::StringListValue(mut v)) if v.len() == 1 => Attr::Text(v.remove(0)),
                Some(FieldValue::IntegerListValue(_))
                | Some(FieldValue::Integer64ListValue(_))
                | Some(FieldValue::RealListValue(_))
                | Some(FieldValue::StringListValue(_)) => {
                    return Err(at(
                        "de waarde is een lijst, geen enkele waarde".to_string(),
                        "geef één waarde per veld",
                    )
                    .in_field(&prepared.fields[fi]))
                }
                Some(FieldValue::DateValue(d)) => Attr::Text(d.to_string()),
                Some(FieldValue::DateTimeValue(d)) => Attr::Text(d.to_string()),
            });
        }
        if !gpkg_text.is_empty() {
            let fid = feature.fid().map(|f| f as i64);
            for (fi, attr) in attrs.iter_mut().enumerate() {
                if let Some(text) = fid.and_then(|f| gpkg_text.get(&(fi, f))) {
                    *attr = Attr::Text(text.clone());
                }
            }
        }
        if let (Some(dbf), Some(record)) = (&dbf, feature.fid()) {
            shapefile_cells(
                dbf,
                record as usize,
                &prepared.fields,
                &keep,
                code_page.as_deref(),
                &mut attrs,
            )
            .map_err(|(fi, problem, fix)| at(problem, fix).in_field(&prepared.fields[fi]))?;
        }
        let geometry = match feature.geometry() {
            None => None,
            // SAFETY: `Feature::geometry` has just set the handle (possibly to NULL, for a null
            // geometry); reading it does not transfer ownership. Checking here keeps GDAL from
            // printing "Pointer 'hGeom' is NULL" on `is_empty`.
            Some(g) if unsafe { g.c_geometry() }.is_null() => None,
            Some(g) if g.is_empty() => None,
            Some(g) => {
                let mut g = g.clone();
                g.flatten_to_2d();
                check_coordinates(&g, &prepared).map_err(|(p, f)| at(p, &f))?;
                let polygonal = matches!(
                    gdal::vector::geometry_type_flatten(g.geometry_type()),
                    OGRwkbGeometryType::wkbPolygon | OGRwkbGeometryType::wkbMultiPolygon
                );
                if polygonal && opts.repair {
                    // GDAL keeps a ring that does not end where it starts; GEOS cannot use it.
                    // SAFETY: `g` is an owned clone; closing its rings changes only it.
                    unsafe { gdal_sys::OGR_G_CloseRings(g.c_geometry()) };
                }
                if polygonal && opts.repair && !g.is_valid() {
                    g = g.make_valid(&CslStringList::new()).map_err(|e| {
                        at(
                            format!(
                                "GEOS MakeValid kan de polygoon niet herstellen ({})",
                                gdal_says(&e)
                            ),
                            "herstel de polygoon in QGIS",
                        )
                    })?;
                    repaired.push(index);
                }
                if let Some(t) = &prepared.transform {
                    g.transform_inplace(t).map_err(|e| {
                        at(
                            format!(
                                "omzetten vanuit {} lukt niet ({})",
                                prepared.source_crs,
                                gdal_says(&e)
                            ),
                            "controleer het coördinatenstelsel dat het bestand opgeeft",
                        )
                    })?;
                }
                let geo = g.to_geo().map_err(|e| {
                    at(
                        format!("geometrie niet ondersteund ({})", gdal_says(&e)),
                        "exporteer enkelvoudige geometrieën (simple features)",
                    )
                })?;
                if prepared.rd_target {
                    check_in_netherlands(&geo).map_err(|p| {
                        at(
                            p,
                            "controleer het coördinatenstelsel dat het bestand opgeeft; wijkbalans werkt met Nederlandse gegevens in RD New",
                        )
                    })?;
                }
                Some(geo)
            }
        };
        features.push(RawFeature {
            index,
            geometry,
            attrs,
        });
    }
    // An empty facilities layer is not an error: accessibility is skipped with a reason.
    if features.is_empty() && source.role != Role::Facilities {
        return Err(in_layer(InputError::file(
            path,
            NO_FEATURES,
            "controleer de export of kies een andere laag",
        )));
    }
    let blake3 = FileDigest::now(path)?;
    Ok(RawLayer {
        role: source.role,
        spec: spec.clone(),
        layer_name: prepared.layer_name,
        fields: prepared.fields,
        features,
        source_crs: prepared.source_crs,
        blake3,
        repaired,
    })
}

/// Text stored in the number fields of a GeoPackage table, by (field index, feature id). SQLite
/// keeps a value its column's type cannot hold as it was given, so CBS's `.` or `n.v.t.` can sit
/// in an INTEGER column, and GDAL reads it as 0 without a word. One query per number field
/// finds them (`typeof(...) = 'text'`); the model then reads them as text: a CBS marker is
/// suppressed, other text refused. Empty when the table cannot be queried (a view, a name
/// GDAL maps differently): nothing is lost but this check.
fn gpkg_text_in_number_fields(
    ds: &gdal::Dataset,
    layer: &gdal::vector::Layer,
    table: &str,
    fields: &[String],
    types: &[gdal::vector::OGRFieldType::Type],
    keep: &[bool],
) -> std::collections::HashMap<(usize, i64), String> {
    use gdal::vector::OGRFieldType;
    let mut out = std::collections::HashMap::new();
    // SAFETY: a live layer handle; GDAL returns a NUL-terminated string it owns ("" when the
    // table has no FID column).
    let fid_column = unsafe {
        let p = gdal_sys::OGR_L_GetFIDColumn(layer.c_layer());
        if p.is_null() {
            return out;
        }
        std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
    };
    if fid_column.is_empty() {
        return out;
    }
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    for (fi, field) in fields.iter().enumerate() {
        let number = matches!(
            types[fi],
            OGRFieldType::OFTInteger | OGRFieldType::OFTInteger64 | OGRFieldType::OFTReal
        );
        if !number || !keep[fi] {
            continue;
        }
        let sql = format!(
            // `+ 0`: an expression, so GDAL does not take the column as the result's FID.
            "SELECT {fid} + 0 AS wb_fid, CAST({f} AS TEXT) AS wb_text FROM {t} WHERE typeof({f}) = 'text'",
            fid = quote(&fid_column),
            f = quote(field),
            t = quote(table),
        );
        let Ok(Some(mut rows)) = ds.execute_sql(&sql, None, gdal::vector::sql::Dialect::DEFAULT)
        else {
            continue;
        };
        for row in rows.features() {
            let value = |name: &str| row.field_index(name).ok();
            let fid = value("wb_fid").and_then(|i| row.field_as_integer64(i).ok().flatten());
            let text = value("wb_text").and_then(|i| row.field_as_string(i).ok().flatten());
            if let (Some(fid), Some(text)) = (fid, text) {
                out.insert((fi, fid), text);
            }
        }
    }
    out
}

/// Puts what a Shapefile's cells hold in place of what GDAL parsed: a number cell whose text is
/// not a plain number becomes that text (`4O20`, then refused where a number is wanted), and
/// so does a number cell whose text says another number than GDAL read (`6.395`, where GDAL
/// gave 6 for an integer field), so the model reads it as written. With a single-byte `code_page` declared by the `.cpg`, a text cell in UTF-8 beyond
/// ASCII is the error (field index, problem, fix): GDAL has recoded it into mojibake.
fn shapefile_cells(
    dbf: &crate::io::dbf::Dbf,
    record: usize,
    fields: &[String],
    keep: &[bool],
    code_page: Option<&str>,
    attrs: &mut [Attr],
) -> Result<(), (usize, String, &'static str)> {
    use crate::io::dbf::{cell_number, not_a_plain_number, utf8_beyond_ascii};
    for (fi, field) in fields.iter().enumerate() {
        let Some(df) = dbf
            .fields
            .get(fi)
            .filter(|f| f.name.eq_ignore_ascii_case(field))
        else {
            continue;
        };
        let Some(cell) = dbf.cell(record, fi).filter(|_| keep[fi]) else {
            continue;
        };
        match df.kind {
            b'N' | b'F' => {
                if let Some(text) = not_a_plain_number(cell) {
                    attrs[fi] = Attr::Text(text);
                } else if let (Some(v), Attr::Number(read)) = (cell_number(cell), &attrs[fi]) {
                    if v != *read {
                        // As text, so the message can say how it was written.
                        attrs[fi] = Attr::Text(String::from_utf8_lossy(cell).trim().to_string());
                    }
                }
            }
            b'C' => {
                if let (Some(cp), Some(text)) = (code_page, utf8_beyond_ascii(cell)) {
                    let read = match &attrs[fi] {
                        Attr::Text(t) => t.trim().to_string(),
                        _ => String::new(),
                    };
                    return Err((
                        fi,
                        format!(
                            "het .cpg-bestand geeft codetabel {cp} op, maar de tekst is UTF-8: '{text}' zou worden gelezen als '{read}'"
                        ),
                        "schrijf UTF-8 in het .cpg-bestand (één regel), of exporteer de laag opnieuw met codering UTF-8 (QGIS: Exporteren > Objecten opslaan als…, Codering UTF-8)",
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether field `i` of the feature has a value (set and not null).
pub(super) fn field_is_set(feature: &gdal::vector::Feature, i: usize) -> bool {
    // SAFETY: `feature` is a live feature and `i` one of its field indices.
    unsafe {
        gdal_sys::OGR_F_IsFieldSetAndNotNull(feature.c_feature(), i as std::os::raw::c_int) != 0
    }
}

/// The numbers of an integer, 64-bit integer or real list field (`None` for other types), read
/// here because the `gdal` crate builds a slice from the null pointer GDAL returns for an empty
/// list, which is undefined behaviour (and a panic in a debug build).
pub(super) fn number_list(
    feature: &gdal::vector::Feature,
    i: usize,
    ty: gdal::vector::OGRFieldType::Type,
) -> Option<Vec<f64>> {
    use gdal::vector::OGRFieldType;
    let i = i as std::os::raw::c_int;
    let mut len: std::os::raw::c_int = 0;
    fn to_vec<T: Copy>(p: *const T, len: std::os::raw::c_int, f: impl Fn(T) -> f64) -> Vec<f64> {
        if p.is_null() || len <= 0 {
            return Vec::new();
        }
        // SAFETY: GDAL returned a non-null array of `len` values owned by the feature, valid
        // until the next call on it; it is copied at once.
        unsafe { std::slice::from_raw_parts(p, len as usize) }
            .iter()
            .map(|v| f(*v))
            .collect()
    }
    // SAFETY: `feature` is a live feature, `i` one of its field indices of the matching type.
    unsafe {
        let f = feature.c_feature();
        match ty {
            OGRFieldType::OFTIntegerList => {
                let p = gdal_sys::OGR_F_GetFieldAsIntegerList(f, i, &mut len);
                Some(to_vec(p, len, f64::from))
            }
            OGRFieldType::OFTInteger64List => {
                let p = gdal_sys::OGR_F_GetFieldAsInteger64List(f, i, &mut len);
                Some(to_vec(p, len, |v: i64| v as f64))
            }
            OGRFieldType::OFTRealList => {
                let p = gdal_sys::OGR_F_GetFieldAsDoubleList(f, i, &mut len);
                Some(to_vec(p, len, |v: f64| v))
            }
            _ => None,
        }
    }
}

pub(super) const NOT_UTF8_FIX: &str =
    "sla het bestand op met codering UTF-8 (QGIS: Exporteren > Objecten opslaan als…, Codering UTF-8)";

/// The problem of a layer without features (also how `read_layer` recognises it).
pub(super) const NO_FEATURES: &str = "de laag heeft geen objecten";

/// Fails when the raw text of field `i` is not UTF-8 (the `gdal` crate replaces such bytes with
/// U+FFFD, which would silently change names and codes).
pub(super) fn check_utf8(feature: &gdal::vector::Feature, i: usize) -> Result<(), String> {
    // SAFETY: `feature` is a live feature and `i` one of its field indices; OGR returns a
    // NUL-terminated string owned by the feature, valid until the next call on it.
    let raw = unsafe {
        let p = gdal_sys::OGR_F_GetFieldAsString(feature.c_feature(), i as std::os::raw::c_int);
        if p.is_null() {
            return Ok(());
        }
        std::ffi::CStr::from_ptr(p).to_bytes().to_vec()
    };
    match std::str::from_utf8(&raw) {
        Ok(_) => Ok(()),
        Err(e) => Err(not_utf8(&raw, e.valid_up_to())),
    }
}

/// The problem of text that stops being UTF-8 at byte `at`, with the text before it.
pub(crate) fn not_utf8(raw: &[u8], at: usize) -> String {
    let before = String::from_utf8_lossy(&raw[at.saturating_sub(24)..at]);
    format!(
        "de tekst is geen geldige UTF-8: byte 0x{:02X} na '{before}' (het bestand is waarschijnlijk in Latin-1 of Windows-1252)",
        raw[at]
    )
}

/// Whether field `i` is an integer with GDAL's boolean subtype (JSON `true`/`false`, GeoPackage
/// BOOLEAN). Written with `gdal-sys` because the `gdal` crate does not expose field subtypes;
/// without it booleans would be passed through as 0/1.
pub(super) fn field_is_boolean(defn: &gdal::vector::Defn, i: usize) -> bool {
    // SAFETY: `defn` is a live feature definition owned by the open layer, and `i` is below its
    // field count (the caller iterates over the layer's fields); OGR returns a borrowed handle.
    unsafe {
        let fd = gdal_sys::OGR_FD_GetFieldDefn(defn.c_defn(), i as std::os::raw::c_int);
        !fd.is_null() && gdal_sys::OGR_Fld_GetSubType(fd) == gdal_sys::OGRFieldSubType::OFSTBoolean
    }
}

/// Catch coordinates in the wrong unit before they are measured: lon/lat declared as metres,
/// metres declared as degrees, NaN or infinite values, and a point in lon/lat or RD New whose
/// x and y are swapped ([`crate::model::address::is_swapped`]). The advice fits where the CRS
/// came from: a CSV's x/y columns or a file without a CRS given one by the CRS flag of its
/// [`Source`] (or the configuration file), or a file that declares the CRS itself (e.g. RD metres in a CSV given `--sites-crs EPSG:4326` are told to
/// pass `--sites-crs EPSG:28992`, not to add a GeoJSON crs member).
pub(super) fn check_coordinates(
    g: &gdal::vector::Geometry,
    prepared: &super::open::Prepared,
) -> Result<(), (String, String)> {
    let (source_geographic, source_crs) = (prepared.source_geographic, &prepared.source_crs);
    let source = &prepared.source;
    let given = |crs: &str, what: &str| {
        if !prepared.crs_outside {
            return None;
        }
        Some(match (prepared.csv, source.crs, source.config) {
            (true, Some(_), true) => format!(
                "de kolommen x en y bevatten {what}: {} (of crs = \"{crs}\" bij deze laag in het configuratiebestand)",
                source.give_crs(crs)
            ),
            (true, _, _) => format!("de kolommen x en y bevatten {what}: {}", source.give_crs(crs)),
            (false, Some(_), _) => format!(
                "ze lijken op {what}: {}, of voeg een .prj-bestand toe dat het opgeeft",
                source.give_crs(crs)
            ),
            (false, None, _) => {
                format!("ze lijken op {what}: {}", source.give_crs(crs))
            }
        })
    };
    let origin = if prepared.crs_outside {
        format!("lon/lat, zoals {} zegt", source.crs_places())
    } else if prepared.csv {
        "lon/lat, zoals het bestand zegt".to_string()
    } else {
        "lon/lat; een GeoJSON-bestand zonder member crs is lon/lat volgens RFC 7946".to_string()
    };
    let e = g.envelope();
    // The envelope skips NaN, so every coordinate is looked at.
    if !all_finite(g) {
        return Err((
            "een coördinaat is NaN of oneindig".to_string(),
            "verbeter of verwijder het object".to_string(),
        ));
    }
    let within_degrees = e.MinX >= -180.0 && e.MaxX <= 180.0 && e.MinY >= -90.0 && e.MaxY <= 90.0;
    if source_geographic && !within_degrees {
        return Err((
            format!(
                "de coördinaten ({:.0}, {:.0}) zijn geen graden, maar het coördinatenstelsel van de laag is {source_crs} ({origin})",
                e.MinX, e.MinY
            ),
            given("EPSG:28992", "meters in RD New").unwrap_or_else(|| {
                "ze lijken op meters: geef het juiste coördinatenstelsel op in het bestand (voor RD New een member crs met EPSG:28992, of exporteer opnieuw uit QGIS)"
                    .to_string()
            }),
        ));
    }
    if !source_geographic && within_degrees {
        return Err((
            format!(
                "de coördinaten ({}, {}) lijken op lon/lat-graden, maar {}",
                e.MinX,
                e.MinY,
                if prepared.crs_outside {
                    format!(
                        "het coördinatenstelsel van de laag is {source_crs} (meters, zoals {} zegt)",
                        source.crs_places()
                    )
                } else {
                    format!("het bestand geeft {source_crs} op (meters)")
                }
            ),
            given("EPSG:4326", "lon/lat-graden").unwrap_or_else(|| {
                "geef EPSG:4326 op in het bestand (of exporteer het opnieuw uit QGIS als lon/lat)".to_string()
            }),
        ));
    }
    // A point whose x and y are each other's: a spreadsheet's columns swapped, or lat/lon
    // written for lon/lat; and so a polygon, whose extent's two corners are both swapped (an
    // areas layer exported lat/lon). Checked in lon/lat and in RD New, whose extents are known.
    let point = [e.MinX, e.MinY];
    let swapped = |p: [f64; 2]| crate::model::address::is_swapped(p, source_geographic);
    if (source_geographic || source_crs == "EPSG:28992")
        && swapped(point)
        && swapped([e.MaxX, e.MaxY])
    {
        return Err((
            crate::model::address::swapped_problem(point),
            if prepared.csv {
                "zet x en y van deze rij in de goede volgorde (staat elke rij zo, wissel dan de \
                 kopjes van de twee kolommen)"
                    .into()
            } else if source_geographic {
                "zet x (lengtegraad) vóór y (breedtegraad) (staat elk object zo, exporteer het \
                 bestand dan opnieuw met die volgorde)"
                    .into()
            } else {
                "zet x vóór y (staat elk object zo, exporteer het bestand dan opnieuw met die \
                 volgorde)"
                    .into()
            },
        ));
    }
    Ok(())
}

/// True when every coordinate of the geometry is finite.
pub(super) fn all_finite(g: &gdal::vector::Geometry) -> bool {
    match g.geometry_count() {
        0 => {
            let mut points = Vec::new();
            g.get_points(&mut points);
            points
                .iter()
                .all(|(x, y, _)| x.is_finite() && y.is_finite())
        }
        n => (0..n).all(|i| all_finite(&g.get_geometry(i))),
    }
}

/// RD New is defined for the Netherlands: x in about [−7,000, 300,000] and y in about
/// [289,000, 629,000] (EPSG area of use plus the sea). Anything else is a wrong CRS, or, when
/// the point a thousand times further out lies in the Netherlands, a number written with a
/// point between thousands (`"203.500"` read as 203.5): the message then says so.
///
/// Example: (203.5, 503.3) is refused with "… ver buiten Nederland; staat er een punt tussen
/// duizendtallen, zoals 203.500 voor 203500? schrijf de meters zonder scheidingsteken".
pub(super) fn check_in_netherlands(g: &geo::Geometry<f64>) -> Result<(), String> {
    use geo::BoundingRect;
    let inside = |x0: f64, x1: f64, y0: f64, y1: f64| {
        x0 >= -50_000.0 && x1 <= 350_000.0 && y0 >= 250_000.0 && y1 <= 700_000.0
    };
    if let Some(r) = g.bounding_rect() {
        let (lo, hi) = (r.min(), r.max());
        if !inside(lo.x, hi.x, lo.y, hi.y) {
            let thousands = inside(1e3 * lo.x, 1e3 * hi.x, 1e3 * lo.y, 1e3 * hi.y);
            // Whole metres without a separator, as the fix asks them to be written; a decimal
            // (comma) only where it tells (203,5); an absurd number short.
            let shown = |v: f64| match v.abs() {
                a if a >= 1e9 => format!("{v:e}"),
                a if a >= 1e3 => format!("{v:.0}"),
                _ => crate::format::number(v, 1, crate::format::Audience::Human),
            };
            return Err(format!(
                "de coördinaten ({}, {}) in RD New liggen ver buiten Nederland{}",
                shown(lo.x),
                shown(lo.y),
                if thousands {
                    format!(
                        "; staat er een punt tussen duizendtallen, zoals {} voor {}? schrijf de \
                         meters zonder scheidingsteken",
                        crate::format::number(lo.x, 3, crate::format::Audience::Human)
                            .replace(',', "."),
                        (1e3 * lo.x).round()
                    )
                } else {
                    String::new()
                }
            ));
        }
    }
    Ok(())
}
