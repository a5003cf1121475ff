//! Reading a large point layer through GDAL's Arrow C stream interface
//! (`OGR_L_GetArrowStream`, GDAL ≥ 3.6) instead of one OGR feature at a time.
//!
//! GDAL fills column batches of 65,536 features in C++ (the geometry as WKB, the one wanted
//! attribute as an Arrow column; every other field is ignored before reading), and the
//! [`arrow_array`] crate imports each batch without copying it. Per feature this saves the
//! feature handle, the geometry object and the attribute string the feature API hands to
//! Rust: on the 8 M-point national FlatGeobuf it reads in about half the time (see
//! `BENCHMARKS.md`). Points are decoded from WKB with the [`wkb`] crate without allocating;
//! any other geometry (a building polygon) is handed back to GDAL, so every format and
//! geometry type is located exactly as [`super::read::read_points`] documents.

use arrow_array::cast::AsArray;
use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{Array, RecordBatch, RecordBatchReader};
use arrow_schema::DataType;
use gdal::cpl::CslStringList;
use gdal::vector::{Layer, LayerAccess, OGRwkbGeometryType};
use geo_traits::{CoordTrait, GeometryTrait, GeometryType, PointTrait};

use super::gdal_env;
use crate::error::{gdal_says, quoted};

/// Features GDAL puts in one Arrow batch.
const BATCH: &str = "65536";

/// The value of the one attribute read, as the stream holds it.
pub(super) enum Value<'a> {
    /// No value (an Arrow null, or no attribute asked for).
    Null,
    /// Text, as bytes: UTF-8 is checked by the caller, which can name the feature.
    Text(&'a [u8]),
    /// A number or a boolean, written as text.
    Other(String),
}

/// Stream every feature of `layer` to `each(index, location, value)`, in feature order.
/// `index` counts features from 0 (as the feature API would); `location` is the point (or a
/// polygon's centroid) in the layer's own CRS, or why the feature has none. `attribute` names
/// the one field read (its value is [`Value::Null`] when `None`). Returns the number of
/// features; an error is either the stream's (as a message) or the first error of `each`.
///
/// GDAL fills the next batch on this thread while `each` runs over the previous one on a
/// second thread (one consumer, so the order stays the feature order); on two cores the
/// decoding costs no wall-clock time.
///
/// `max_features` is the most features the file can hold: its size in bytes, since every
/// feature takes at least one byte in any format. A stream that gives more rows (or more
/// batches) than that is a damaged file's: a GeoPackage whose pages the `geopackage` fuzz
/// target had changed made GDAL 3.6.2's stream repeat its batches without end, so the stream
/// is stopped there with that reason.
pub(super) fn for_each_point<E: Send>(
    layer: &mut Layer,
    max_features: u64,
    attribute: Option<&str>,
    mut each: impl FnMut(usize, Result<[f64; 2], String>, Value<'_>) -> Result<(), E> + Send,
) -> Result<usize, StreamError<E>> {
    let attributes: Vec<&str> = attribute.into_iter().collect();
    for_each_row(layer, max_features, &attributes, |row, values| {
        let value = match values.first() {
            Some(Value::Text(t)) => Value::Text(t),
            Some(Value::Other(o)) => Value::Other(o.clone()),
            Some(Value::Null) | None => Value::Null,
        };
        each(row.index, row.location, value)
    })
}

/// One feature of [`for_each_row`]: its index (from 0, in feature order), its FID when the
/// stream carries one, and its location as [`for_each_point`] describes it.
pub(super) struct Row {
    /// Feature index, from 0.
    pub index: usize,
    /// The feature's FID (GeoPackage `fid`), when the stream has an integer FID column.
    pub fid: Option<i64>,
    /// The point in the layer's own CRS, or why the feature has none.
    pub location: Result<[f64; 2], String>,
    /// True when the geometry is a point (the location of anything else is its centroid or
    /// its one point, see [`for_each_point`]).
    pub point: bool,
}

/// [`for_each_point`] with several attributes: `each(row, values)` gets the values of
/// `attributes`, in that order (a field the layer lacks is not allowed: the caller chose the
/// names from the layer's fields). The BAG reader reads its eight columns this way.
///
/// GDAL's GeoPackage driver fills the stream on a thread of its own; a failure there (a
/// damaged page) reaches the stream only as an error code, so GDAL's message from that thread
/// is the stream's error instead ([`gdal_env::from_workers`]). Other messages of GDAL's
/// threads are emitted again on this thread, for the caller's handler.
pub(super) fn for_each_row<E: Send>(
    layer: &mut Layer,
    max_features: u64,
    attributes: &[&str],
    each: impl FnMut(Row, &[Value<'_>]) -> Result<(), E> + Send,
) -> Result<usize, StreamError<E>> {
    let (read, workers) =
        gdal_env::from_workers(|| stream_rows(layer, max_features, attributes, each));
    if let Err(StreamError::Read(_)) = &read {
        if let Some(failure) = workers
            .iter()
            .find(|m| m.class >= gdal_sys::CPLErr::CE_Failure)
        {
            return Err(StreamError::Read(gdal_says(gdal_env::cause(&failure.text))));
        }
    }
    gdal_env::reemit(&workers);
    read
}

/// [`for_each_row`] without the messages of GDAL's threads.
fn stream_rows<E: Send>(
    layer: &mut Layer,
    max_features: u64,
    attributes: &[&str],
    each: impl FnMut(Row, &[Value<'_>]) -> Result<(), E> + Send,
) -> Result<usize, StreamError<E>> {
    ignore_fields_except(layer, attributes)?;
    // GDAL names the stream's FID column after the layer's (GeoPackage: `fid`), else OGC_FID.
    // SAFETY: the layer handle is valid for the borrow; GDAL returns a NUL-terminated string
    // it owns (never NULL for a valid layer), copied at once.
    let fid_name = unsafe {
        let name = gdal_sys::OGR_L_GetFIDColumn(layer.c_layer());
        if name.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(name)
                .to_string_lossy()
                .into_owned()
        }
    };
    let fid_name = if fid_name.is_empty() {
        "OGC_FID".to_string()
    } else {
        fid_name
    };
    // The FID column is kept although it is not used: GDAL 3.6.2's GeoPackage driver returns
    // empty geometries when the stream carries the geometry alone (GDAL PR 7106, fixed in
    // 3.6.3; Debian 12 ships 3.6.2).
    let mut options = CslStringList::new();
    options
        .set_name_value("INCLUDE_FID", "YES")
        .and_then(|()| options.set_name_value("MAX_FEATURES_IN_BATCH", BATCH))
        .map_err(|e| StreamError::Read(gdal_says(&e)))?;
    let mut stream = FFI_ArrowArrayStream::empty();
    // SAFETY: `stream` is an empty, properly aligned `ArrowArrayStream` (the C Data Interface
    // struct, the same layout in both crates); GDAL fills it and `RecordBatchStreamReader`
    // takes ownership of it, calling its release callback when dropped. The layer outlives
    // the reader (both are dropped before this function returns).
    unsafe {
        layer
            .read_arrow_stream(
                (&mut stream as *mut FFI_ArrowArrayStream).cast::<gdal_sys::ArrowArrayStream>(),
                &options,
            )
            .map_err(|e| StreamError::Read(gdal_says(&e)))?;
    }
    let reader = RecordBatchStreamReader::try_new(stream)
        .map_err(|e| StreamError::Read(quoted("de Arrow-stroom van GDAL", &e)))?;
    let schema = reader.schema();
    let geometry = schema
        .fields()
        .iter()
        .position(|f| {
            f.metadata()
                .get("ARROW:extension:name")
                .is_some_and(|n| n == "ogc.wkb")
        })
        .ok_or_else(|| {
            StreamError::Read("de Arrow-stroom van GDAL heeft geen geometriekolom".into())
        })?;
    // The caller has checked the fields hold text or numbers (with the field named in its
    // error); a column of another Arrow type still stops at its first value.
    let value_columns = attributes
        .iter()
        .map(|name| {
            schema.index_of(name).map_err(|_| {
                StreamError::Read(format!(
                    "de Arrow-stroom van GDAL heeft geen kolom '{name}'"
                ))
            })
        })
        .collect::<Result<Vec<usize>, _>>()?;
    let fid_column = schema
        .index_of(&fid_name)
        .ok()
        .filter(|&i| schema.field(i).data_type() == &DataType::Int64);
    // Three batches in memory at most: the one GDAL fills, one waiting, one being decoded.
    let (send, receive) = std::sync::mpsc::sync_channel::<RecordBatch>(1);
    std::thread::scope(|scope| {
        // GDAL's messages on the consumer thread (a polygon handed back to GDAL) are
        // collected there and emitted again on this thread, where the caller collects them.
        let consumer = scope.spawn(move || {
            gdal_env::capturing(|| {
                let mut each = each;
                let mut index = 0usize;
                for batch in receive {
                    decode(
                        &batch,
                        geometry,
                        fid_column,
                        &value_columns,
                        &mut index,
                        &mut each,
                    )?;
                }
                Ok(index)
            })
        });
        let mut produced = Ok(());
        let (mut rows, mut batches) = (0u64, 0u64);
        for batch in reader {
            match batch {
                Ok(batch) => {
                    rows = rows.saturating_add(batch.num_rows() as u64);
                    batches += 1;
                    if rows > max_features || batches > max_features.saturating_add(1) {
                        produced = Err(StreamError::Read(format!(
                            "de Arrow-stroom van GDAL geeft meer objecten dan een bestand van {} bytes kan bevatten: het bestand is beschadigd",
                            crate::format::count(usize::try_from(max_features).unwrap_or(usize::MAX))
                        )));
                        break;
                    }
                    // A closed channel means the consumer stopped at an error; it is reported.
                    if send.send(batch).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    produced = Err(StreamError::Read(quoted("de Arrow-stroom van GDAL", &e)));
                    break;
                }
            }
        }
        drop(send);
        let (consumed, messages) = consumer
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        gdal_env::reemit(&messages);
        // The consumer's error is about an earlier feature than GDAL's, so it comes first.
        let features = consumed?;
        produced.map(|()| features)
    })
}

/// Run `each` over the rows of one batch, counting features in `index`.
fn decode<E>(
    batch: &RecordBatch,
    geometry: usize,
    fid_column: Option<usize>,
    value_columns: &[usize],
    index: &mut usize,
    each: &mut impl FnMut(Row, &[Value<'_>]) -> Result<(), E>,
) -> Result<(), StreamError<E>> {
    // The C Data Interface import trusts the producer: a damaged file once made GDAL 3.6.2
    // hand over geometry offsets that run backwards (found by the `flatgeobuf` fuzz target),
    // which `BinaryArray::value` would read out of bounds. Every offset is checked here.
    let column = batch.column(geometry);
    column.to_data().validate_full().map_err(|e| {
        StreamError::Read(format!(
            "de Arrow-stroom van GDAL geeft ongeldige geometrieën ({})",
            quoted("Arrow", &e)
        ))
    })?;
    let wkb = column.as_binary_opt::<i32>().ok_or_else(|| {
        StreamError::Read(format!(
            "de Arrow-stroom van GDAL geeft de geometrie als {}, niet als WKB",
            column.data_type()
        ))
    })?;
    let columns = value_columns
        .iter()
        .map(|&c| Values::of(batch.column(c).as_ref()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(StreamError::Read)?;
    let fids = fid_column.map(|c| {
        batch
            .column(c)
            .as_primitive::<arrow_array::types::Int64Type>()
    });
    let mut values: Vec<Value<'_>> = Vec::with_capacity(columns.len());
    for row in 0..batch.num_rows() {
        let (location, point) = if wkb.is_null(row) {
            (Err("de geometrie is leeg".to_string()), false)
        } else {
            match locate_kind(wkb.value(row)) {
                Ok((xy, point)) => (Ok(xy), point),
                Err(e) => (Err(e), false),
            }
        };
        values.clear();
        for column in &columns {
            values.push(column.at(row).map_err(StreamError::Read)?);
        }
        let fid = fids.filter(|f| !f.is_null(row)).map(|f| f.value(row));
        let r = Row {
            index: *index,
            fid,
            location,
            point,
        };
        each(r, &values).map_err(StreamError::Each)?;
        *index += 1;
    }
    Ok(())
}

/// Why [`for_each_point`] stopped.
pub(super) enum StreamError<E> {
    /// Reading failed: GDAL, the Arrow import or the FlatGeobuf reader (the message says
    /// which and where).
    Read(String),
    /// The callback returned an error.
    Each(E),
}

/// Tell GDAL to skip every field but those in `keep` (and the style string), so the stream
/// carries the geometry and only the attributes asked for.
fn ignore_fields_except<E>(layer: &mut Layer, keep: &[&str]) -> Result<(), StreamError<E>> {
    let mut ignored = CslStringList::new();
    for name in layer.defn().fields().map(|f| f.name()) {
        if !keep.contains(&name.as_str()) {
            ignored
                .add_string(&name)
                .map_err(|e| StreamError::Read(gdal_says(&e)))?;
        }
    }
    ignored
        .add_string("OGR_STYLE")
        .map_err(|e| StreamError::Read(gdal_says(&e)))?;
    // SAFETY: the layer handle is valid for the borrow; GDAL copies the NULL-terminated list.
    let rc = unsafe {
        gdal_sys::OGR_L_SetIgnoredFields(layer.c_layer(), ignored.as_ptr() as *mut *const _)
    };
    if rc != gdal_sys::OGRErr::OGRERR_NONE {
        return Err(StreamError::Read(format!(
            "de te lezen velden kunnen niet worden gekozen (OGR-foutcode {rc})"
        )));
    }
    Ok(())
}

/// The location of one feature from its WKB: a point directly, anything else through GDAL.
#[cfg(test)]
fn locate(bytes: &[u8]) -> Result<[f64; 2], String> {
    locate_kind(bytes).map(|(xy, _)| xy)
}

/// [`locate`], and whether the geometry is a point (not a multipoint or a polygon's centroid).
fn locate_kind(bytes: &[u8]) -> Result<([f64; 2], bool), String> {
    if let Ok(geometry) = wkb::reader::read_wkb(bytes) {
        if let GeometryType::Point(point) = geometry.as_type() {
            return point
                .coord()
                .map(|c| ([c.x(), c.y()], true))
                .ok_or_else(|| "de geometrie is leeg".to_string());
        }
    }
    let geometry = gdal::vector::Geometry::from_wkb(bytes)
        .map_err(|e| format!("de geometrie kan niet worden gelezen ({})", gdal_says(&e)))?;
    let point = gdal::vector::geometry_type_flatten(geometry.geometry_type())
        == OGRwkbGeometryType::wkbPoint;
    locate_ogr(&geometry).map(|xy| (xy, point))
}

/// The location of an OGR geometry: a point, a multipoint of one point, or the centroid of a
/// (multi)polygon (computed in the source CRS).
fn locate_ogr(g: &gdal::vector::Geometry) -> Result<[f64; 2], String> {
    use geo::{Centroid, CoordsIter};
    if g.is_empty() {
        return Err("de geometrie is leeg".to_string());
    }
    match gdal::vector::geometry_type_flatten(g.geometry_type()) {
        OGRwkbGeometryType::wkbPoint => {
            let (x, y, _) = g.get_point(0);
            Ok([x, y])
        }
        OGRwkbGeometryType::wkbMultiPoint if g.geometry_count() == 1 => {
            let (x, y, _) = g.get_geometry(0).get_point(0);
            Ok([x, y])
        }
        OGRwkbGeometryType::wkbPolygon | OGRwkbGeometryType::wkbMultiPolygon => {
            let polygon = g
                .to_geo()
                .map_err(|_| "de polygoon heeft geen zwaartepunt".to_string())?;
            // A ring with a NaN never closes (NaN ≠ NaN), which geo's centroid asserts; such a
            // polygon (found by the `shapefile` fuzz target) has no location.
            if !polygon
                .coords_iter()
                .all(|c| c.x.is_finite() && c.y.is_finite())
            {
                return Err("de polygoon heeft een coördinaat die geen eindig getal is".to_string());
            }
            polygon
                .centroid()
                .map(|c| [c.x(), c.y()])
                .ok_or_else(|| "de polygoon heeft geen zwaartepunt".to_string())
        }
        other => Err(format!(
            "de geometrie is een {}, geen punt of polygoon",
            gdal::vector::geometry_type_to_name(other)
        )),
    }
}

/// The attribute column of one batch, downcast once (not per row).
enum Values<'a> {
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    Other(&'a dyn Array),
}

impl<'a> Values<'a> {
    /// The column, its structure and its text offsets checked (not its UTF-8: a value that
    /// is not UTF-8 is named with its feature by the caller).
    fn of(column: &'a dyn Array) -> Result<Self, String> {
        let invalid = |e: &dyn std::fmt::Display| {
            format!("de Arrow-stroom van GDAL geeft een ongeldige kolom ({e})")
        };
        column.to_data().validate().map_err(|e| invalid(&e))?;
        fn ordered<O: arrow_array::OffsetSizeTrait>(o: &[O], len: usize) -> bool {
            o.first().is_some_and(|f| f.as_usize() <= len)
                && o.windows(2).all(|w| w[0] <= w[1])
                && o.last().is_some_and(|l| l.as_usize() <= len)
        }
        Ok(match column.data_type() {
            DataType::Utf8 => {
                let a = column.as_string::<i32>();
                if !ordered(a.value_offsets(), a.values().len()) {
                    return Err(invalid(&"tekstposities in de verkeerde volgorde"));
                }
                Values::Utf8(a)
            }
            DataType::LargeUtf8 => {
                let a = column.as_string::<i64>();
                if !ordered(a.value_offsets(), a.values().len()) {
                    return Err(invalid(&"tekstposities in de verkeerde volgorde"));
                }
                Values::LargeUtf8(a)
            }
            _ => Values::Other(column),
        })
    }

    /// The value of `row`. Text stays bytes (no UTF-8 check here, so a bad value can be named
    /// with its feature); numbers and booleans are written as the feature API writes them.
    fn at(&self, row: usize) -> Result<Value<'a>, String> {
        let column: &dyn Array = match self {
            Values::Utf8(a) => *a,
            Values::LargeUtf8(a) => *a,
            Values::Other(a) => *a,
        };
        if column.is_null(row) {
            return Ok(Value::Null);
        }
        Ok(match self {
            Values::Utf8(a) => {
                let o = a.value_offsets();
                Value::Text(&a.values()[o[row] as usize..o[row + 1] as usize])
            }
            Values::LargeUtf8(a) => {
                let o = a.value_offsets();
                Value::Text(&a.values()[o[row] as usize..o[row + 1] as usize])
            }
            Values::Other(column) => Value::Other(number_text(*column, row)?),
        })
    }
}

/// A number or boolean of a non-text attribute column, as text.
fn number_text(column: &dyn Array, row: usize) -> Result<String, String> {
    use arrow_array::types::{Float32Type, Float64Type, Int16Type, Int32Type, Int64Type};
    Ok(match column.data_type() {
        DataType::Int16 => column.as_primitive::<Int16Type>().value(row).to_string(),
        DataType::Int32 => column.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => column.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::Float32 => column.as_primitive::<Float32Type>().value(row).to_string(),
        DataType::Float64 => column.as_primitive::<Float64Type>().value(row).to_string(),
        DataType::Boolean => column.as_boolean().value(row).to_string(),
        other => {
            return Err(format!(
                "het veld is van het type {other}, geen tekst, getal of waarde true/false"
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point_wkb(x: f64, y: f64) -> Vec<u8> {
        let mut b = vec![1u8, 1, 0, 0, 0];
        b.extend_from_slice(&x.to_le_bytes());
        b.extend_from_slice(&y.to_le_bytes());
        b
    }

    #[test]
    fn a_wkb_point_is_read_without_gdal_and_equals_gdals_reading() {
        let b = point_wkb(203_412.5, 503_771.25);
        assert_eq!(locate(&b), Ok([203_412.5, 503_771.25]));
        let g = gdal::vector::Geometry::from_wkb(&b).unwrap();
        assert_eq!(locate_ogr(&g), Ok([203_412.5, 503_771.25]));
    }

    #[test]
    fn an_empty_point_and_a_line_are_named() {
        assert_eq!(
            locate(&point_wkb(f64::NAN, f64::NAN)),
            Err("de geometrie is leeg".to_string())
        );
        let line = gdal::vector::Geometry::from_wkt("LINESTRING (0 0, 1 1)").unwrap();
        assert_eq!(
            locate(&line.wkb().unwrap()),
            Err("de geometrie is een Line String, geen punt of polygoon".to_string())
        );
    }

    #[test]
    fn text_offsets_that_run_backwards_are_refused() {
        use arrow_array::StringArray;
        use arrow_buffer::{Buffer, OffsetBuffer, ScalarBuffer};
        let good = StringArray::from(vec!["koop", "huur"]);
        assert!(matches!(Values::of(&good), Ok(Values::Utf8(_))));
        // SAFETY (test only): deliberately invalid offsets, as a damaged producer could hand
        // over through the C Data Interface; `Values::of` must refuse them before any read.
        let bad = unsafe {
            let offsets = OffsetBuffer::new_unchecked(ScalarBuffer::from(vec![0i32, 4, 2]));
            StringArray::new_unchecked(offsets, Buffer::from(b"koophuur"), None)
        };
        let e = Values::of(&bad).err().expect("refused");
        assert!(
            e.starts_with("de Arrow-stroom van GDAL geeft een ongeldige kolom"),
            "{e}"
        );
    }

    #[test]
    fn a_polygon_counts_by_its_centroid() {
        let square = gdal::vector::Geometry::from_wkt("POLYGON ((0 0, 4 0, 4 2, 0 2, 0 0))")
            .unwrap()
            .wkb()
            .unwrap();
        assert_eq!(locate(&square), Ok([2.0, 1.0]));
    }

    /// Found by the `shapefile` fuzz target: a ring with a NaN never closes, and geo's
    /// centroid asserted that it does (a panic in a build with debug assertions).
    #[test]
    fn a_polygon_with_a_nan_coordinate_has_no_location() {
        let mut wkb = gdal::vector::Geometry::from_wkt("POLYGON ((0 0, 4 0, 4 2, 0 2, 0 0))")
            .unwrap()
            .wkb()
            .unwrap();
        // Byte order, type, ring count, point count, then x of the third point.
        let at = 1 + 4 + 4 + 4 + 2 * 16;
        wkb[at..at + 8].copy_from_slice(&f64::NAN.to_le_bytes());
        assert_eq!(
            locate(&wkb),
            Err("de polygoon heeft een coördinaat die geen eindig getal is".to_string())
        );
    }
}
