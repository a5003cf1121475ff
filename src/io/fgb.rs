//! Reading a FlatGeobuf point layer in parallel, without GDAL's per-feature path.
//!
//! A FlatGeobuf file is a header, an optional packed R-tree and then the features, each a
//! size-prefixed FlatBuffers table (<https://flatgeobuf.org>). GDAL 3.6 reads them one at a time
//! and verifies each buffer with the FlatBuffers verifier, also when it fills its Arrow stream:
//! on the 8 M-point national file that is about 1.3 s on one core, the largest single cost of
//! the national run (`BENCHMARKS.md`). Here the file is mapped into memory ([`Mapped`]: no copy
//! out of the page cache, pages let go behind the reading); one thread cuts it into blocks of
//! whole features by their size prefixes while rayon decodes the features of the previous
//! block, so both cores decode.
//!
//! The header is read and verified with the [`flatgeobuf`] crate (georust). The features are
//! not: its reader verifies every feature with the same FlatBuffers verifier (about 150 ns a
//! feature, measured: more than everything else the reading does), and its unverified accessors
//! are unsound on a damaged file. [`Buffer`] and [`Table`] therefore read the three fields
//! wijkbalans needs (the geometry's `xy`, the `properties` bytes and whether the feature has
//! its own `columns`) with a bounds check on every read: a damaged feature is an error naming
//! it, never undefined behaviour. The field slots are the crate's generated `VT_*` constants.
//!
//! Only a plain file whose header declares points, with an attribute (if any) of the `String`
//! column type, takes this path; anything else (polygons, mixed geometry types, numeric
//! attributes) is read through GDAL's Arrow stream ([`super::stream`]). For every file GDAL
//! writes, both paths give the same features, locations and values
//! (`tests::equals_the_gdal_stream`). Features GDAL's writer never makes are named more
//! clearly here (`tests::features_gdal_does_not_write_are_read_and_named`): a null geometry is
//! "the geometry is empty" (GDAL's stream makes WKB it cannot read back), a point without
//! coordinates is listed like it (GDAL's stream stops there), a point with one NaN is left to
//! the caller's NaN check. A feature with its own column list (no writer known to us makes one)
//! is refused with its index rather than read against the header's columns.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use flatgeobuf::{ColumnType, Feature as FeatureTable, Geometry, GeometryType};
use rayon::prelude::*;

use super::mapped::Mapped;
use super::stream::{StreamError, Value};
use crate::error::system_says;

/// Bytes in one block (whole features; a larger feature gets a larger block).
const BLOCK: usize = 16 << 20;

/// The magic bytes of FlatGeobuf version 3, the version GDAL and the crate write; the fourth
/// byte (the minor version) is not checked, as the crate does not.
const MAGIC: [u8; 3] = [0x66, 0x67, 0x62];

/// The largest header accepted (the limit of the crate's own reader: 10 MiB).
const HEADER_MAX: usize = 10 << 20;

/// A FlatGeobuf point layer that can be read here (see the module documentation).
pub(super) struct PointFile<'a> {
    path: &'a Path,
    /// Offset of the first feature: magic, header and index skipped.
    first_feature: u64,
    /// The file's length when opened.
    len: u64,
    /// Features the header announces (`None`: unknown, read to the end of the file).
    features: Option<u64>,
    /// The column index of the attribute read.
    attribute: Option<u16>,
    /// The column type of every column, to step over the values not read.
    columns: Vec<ColumnType>,
    /// Bytes in one block ([`BLOCK`]; smaller in tests, to cross block boundaries).
    block: usize,
}

impl<'a> PointFile<'a> {
    /// The file at `path` as a point layer to read here, or `None` when it must go through GDAL
    /// (not a plain FlatGeobuf file of points, or an attribute that is not text). The header is
    /// verified; a header that fails is left to GDAL, which reports it.
    pub(super) fn open(path: &'a Path, attribute: Option<&str>) -> Option<Self> {
        if !path.is_file() {
            return None;
        }
        let mut file = File::open(path).ok()?;
        let mut start = [0u8; 12];
        file.read_exact(&mut start).ok()?;
        if start[..3] != MAGIC {
            return None;
        }
        let size = u32::from_le_bytes([start[8], start[9], start[10], start[11]]) as usize;
        if !(8..=HEADER_MAX).contains(&size) {
            return None;
        }
        let mut header_bytes = vec![0u8; size + 4];
        header_bytes[..4].copy_from_slice(&start[8..]);
        file.read_exact(&mut header_bytes[4..]).ok()?;
        let header = flatgeobuf::size_prefixed_root_as_header(&header_bytes).ok()?;
        if header.geometry_type() != GeometryType::Point {
            return None;
        }
        let columns: Vec<(&str, ColumnType)> = header
            .columns()
            .map(|c| c.iter().map(|c| (c.name(), c.type_())).collect())
            .unwrap_or_default();
        let attribute = match attribute {
            None => None,
            Some(name) => {
                let at = columns.iter().position(|(n, _)| *n == name)?;
                if columns[at].1 != ColumnType::String {
                    return None;
                }
                Some(u16::try_from(at).ok()?)
            }
        };
        let count = header.features_count();
        let len = file.metadata().ok()?.len();
        // A feature takes more than 8 bytes (size prefix, root offset, vtable): a larger count
        // is a damaged header, left to GDAL (and the index size below cannot overflow).
        if count > len / 8 {
            return None;
        }
        let index = match (count, header.index_node_size()) {
            (0, _) | (_, 0) => 0,
            (n, node) => {
                flatgeobuf::packed_r_tree::PackedRTree::index_size(usize::try_from(n).ok()?, node)
                    as u64
            }
        };
        Some(PointFile {
            path,
            first_feature: 12 + size as u64 + index,
            len,
            features: (count > 0).then_some(count),
            attribute,
            columns: columns.into_iter().map(|(_, t)| t).collect(),
            block: BLOCK,
        })
    }

    /// Every feature through `map(index, location, value)`, in parallel, and the results to
    /// `each` in file order: [`super::stream::for_each_point`] with the per-feature work
    /// split in two (same arguments to `map`, same messages for an empty geometry). Returns
    /// the number of features.
    ///
    /// The file is mapped into memory (no copy out of the page cache); a scanning thread cuts
    /// the features into blocks of about [`BLOCK`] bytes while this thread decodes and maps the
    /// previous block with rayon (the order of the results is the feature order whatever the
    /// number of threads) and then runs `each` over it, so only `each` runs one feature at a
    /// time.
    pub(super) fn map_each<T: Send, E: Send>(
        &self,
        map: impl Fn(usize, Result<[f64; 2], String>, Value<'_>) -> T + Sync,
        mut each: impl FnMut(T) -> Result<(), E> + Send,
    ) -> Result<usize, StreamError<E>> {
        let file = Mapped::open(self.path).map_err(|e| StreamError::Read(system_says(&e)))?;
        // A file that shrank since it was opened ends where it ends now; one that grew is read
        // as long as it was (the header's count decides anyway).
        let bytes = file.bytes();
        let len = bytes
            .len()
            .min(usize::try_from(self.len).unwrap_or(usize::MAX));
        let first = usize::try_from(self.first_feature).unwrap_or(usize::MAX);
        let features = bytes.get(first..len).unwrap_or(&[]);
        // One block waiting besides the one being decoded.
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<Block, String>>(1);
        let limit = self.features;
        let size = self.block;
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let mut blocks = Blocks::new(features, limit, size);
                loop {
                    let (message, last) = match blocks.next() {
                        Ok(None) => break,
                        Ok(Some(block)) => (Ok(block), false),
                        Err(e) => (Err(e), true),
                    };
                    // A closed channel means the decoding stopped at an error; it is reported.
                    if send.send(message).is_err() || last {
                        break;
                    }
                }
            });
            let mut index = 0usize;
            for block in receive {
                let block = block.map_err(StreamError::Read)?;
                let mapped: Vec<Result<T, Bad>> = block
                    .ends
                    .par_windows(2)
                    .enumerate()
                    .map(|(k, w)| {
                        let d = self.decode(&features[w[0]..w[1]])?;
                        let value = match d.value {
                            Some((from, to)) => Value::Text(&features[w[0] + from..w[0] + to]),
                            None => Value::Null,
                        };
                        Ok(map(index + k, d.location.map_err(str::to_string), value))
                    })
                    .collect();
                for item in mapped {
                    let item = item.map_err(|problem| {
                        StreamError::Read(format!(
                            "object {index} is geen geldig FlatGeobuf-object: {problem}"
                        ))
                    })?;
                    each(item).map_err(StreamError::Each)?;
                    index += 1;
                }
                file.release_before(first + block.ends[block.ends.len() - 1]);
            }
            if let Some(n) = limit.filter(|&n| n != index as u64) {
                return Err(StreamError::Read(format!(
                    "het bestand houdt op na {} van de {} objecten die de kop aankondigt",
                    crate::format::count(index),
                    crate::format::count(usize::try_from(n).unwrap_or(usize::MAX))
                )));
            }
            Ok(index)
        })
    }

    /// The location and the attribute's byte range (within `bytes`, one size-prefixed
    /// feature) of one feature, or why it cannot be read.
    fn decode(&self, bytes: &[u8]) -> Result<Decoded, Bad> {
        // The table offsets count from after the size prefix.
        let buf = Buffer(bytes.get(4..).ok_or(Bad::NoSizePrefix)?);
        let feature = buf.root()?;
        if feature.offset(FeatureTable::VT_COLUMNS)?.is_some() {
            return Err(Bad::OwnColumns);
        }
        let location = match feature.table(FeatureTable::VT_GEOMETRY)? {
            None => Err(EMPTY),
            Some(geometry) => {
                // The header's type (point) holds; GDAL reads no per-feature type either.
                match geometry.vector(Geometry::VT_XY, 8)? {
                    None => Err(EMPTY),
                    Some((_, 0)) => Err(EMPTY),
                    Some((at, 2)) => {
                        let x = buf.f64(at)?;
                        let y = buf.f64(at + 8)?;
                        // NaN, NaN is an empty point (as in WKB); GDAL's stream says so too.
                        if x.is_nan() && y.is_nan() {
                            Err(EMPTY)
                        } else {
                            Ok([x, y])
                        }
                    }
                    Some((_, n)) => return Err(Bad::Coordinates(n)),
                }
            }
        };
        let value = match (
            self.attribute,
            feature.vector(FeatureTable::VT_PROPERTIES, 1)?,
        ) {
            (Some(wanted), Some((at, len))) => {
                let properties = buf.slice(at, len)?;
                self.find(properties, wanted)?
                    .map(|(from, to)| (4 + at + from, 4 + at + to))
            }
            _ => None,
        };
        Ok(Decoded { location, value })
    }

    /// The byte range of column `wanted`'s string within `properties` (pairs of a `u16` column
    /// index and a value; a column that is absent is null).
    fn find(&self, properties: &[u8], wanted: u16) -> Result<Option<(usize, usize)>, Bad> {
        let mut at = 0;
        while at < properties.len() {
            let column = u16::from_le_bytes(take::<2>(properties, at)?);
            at += 2;
            let kind = self
                .columns
                .get(usize::from(column))
                .ok_or(Bad::NoSuchColumn(column))?;
            let size = match *kind {
                ColumnType::Byte | ColumnType::UByte | ColumnType::Bool => 1,
                ColumnType::Short | ColumnType::UShort => 2,
                ColumnType::Int | ColumnType::UInt | ColumnType::Float => 4,
                ColumnType::Long | ColumnType::ULong | ColumnType::Double => 8,
                ColumnType::String
                | ColumnType::Json
                | ColumnType::DateTime
                | ColumnType::Binary => {
                    let n = u32::from_le_bytes(take::<4>(properties, at)?) as usize;
                    at += 4;
                    n
                }
                other => return Err(Bad::UnknownType(column, other.0)),
            };
            let end = at
                .checked_add(size)
                .filter(|&end| end <= properties.len())
                .ok_or(Bad::ValuePastEnd)?;
            if column == wanted {
                return Ok(Some((at, end)));
            }
            at = end;
        }
        Ok(None)
    }
}

/// The message for a feature without a location, the same as GDAL's stream gives.
const EMPTY: &str = "de geometrie is leeg";

/// One decoded feature.
struct Decoded {
    location: Result<[f64; 2], &'static str>,
    /// Byte range of the attribute's text within the feature (size prefix included).
    value: Option<(usize, usize)>,
}

/// A block of whole features: where each ends (`ends[0]` is where the block starts; feature
/// `i` is `features[ends[i]..ends[i + 1]]`, size prefix included, as offsets into the mapped
/// features).
struct Block {
    ends: Vec<usize>,
}

/// Cuts the mapped features into blocks of whole features by their size prefixes.
struct Blocks<'f> {
    features: &'f [u8],
    /// Where the next block starts.
    at: usize,
    /// Features still to read (`None`: to the end of the file).
    left: Option<u64>,
    /// Features handed out so far.
    read: u64,
    /// Bytes in one block (a larger feature makes a larger block).
    size: usize,
}

impl<'f> Blocks<'f> {
    fn new(features: &'f [u8], left: Option<u64>, size: usize) -> Self {
        Blocks {
            features,
            at: 0,
            left,
            read: 0,
            size: size.max(1),
        }
    }

    /// The next block, `None` at the end (of the file, or of the features the header
    /// announces: bytes after those are not read, as GDAL does not).
    fn next(&mut self) -> Result<Option<Block>, String> {
        let bytes = self.features;
        let start = self.at;
        let mut ends = vec![start];
        let mut at = start;
        while at < bytes.len()
            && at - start < self.size
            && self.left.is_none_or(|n| n > ends.len() as u64 - 1)
        {
            let end = take::<4>(bytes, at)
                .ok()
                .and_then(|size| (at + 4).checked_add(u32::from_le_bytes(size) as usize))
                .unwrap_or(usize::MAX);
            if end > bytes.len() {
                if ends.len() == 1 {
                    return Err(format!(
                        "object {} is afgebroken: het bestand houdt halverwege op",
                        self.read
                    ));
                }
                // Reported with the next block, after the whole features before it.
                break;
            }
            ends.push(end);
            at = end;
        }
        if ends.len() == 1 {
            return Ok(None);
        }
        let features = ends.len() as u64 - 1;
        self.read += features;
        if let Some(n) = self.left.as_mut() {
            *n -= features;
        }
        self.at = at;
        Ok(Some(Block { ends }))
    }
}

/// Why a feature cannot be read: small and `Copy`, so the bounds-checked reads below stay
/// cheap enough to inline (a `String` error made every one of them a call); the message is
/// made only when a feature fails ([`std::fmt::Display`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    NoSizePrefix,
    /// A read at this byte runs past the end.
    ReadPastEnd(usize),
    VtableBefore,
    VtableLength(usize),
    VectorPastEnd,
    OffsetOverflow,
    VectorLengthOverflow,
    OwnColumns,
    Coordinates(usize),
    NoSuchColumn(u16),
    UnknownType(u16, u8),
    ValuePastEnd,
}

impl std::fmt::Display for Bad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Bad::NoSizePrefix => f.write_str("de lengte vooraan ontbreekt"),
            Bad::ReadPastEnd(at) => {
                write!(
                    f,
                    "lezen bij byte {at} gaat voorbij het einde van het object"
                )
            }
            Bad::VtableBefore => f.write_str("een vtable-verwijzing wijst naar vóór het object"),
            Bad::VtableLength(n) => write!(f, "een vtable van {n} bytes"),
            Bad::VectorPastEnd => f.write_str("een vector loopt voorbij het einde van het object"),
            Bad::OffsetOverflow => f.write_str("een verwijzing loopt over"),
            Bad::VectorLengthOverflow => f.write_str("de lengte van een vector loopt over"),
            Bad::OwnColumns => f.write_str(
                "het object heeft een eigen kolomlijst; schrijf het bestand met GDAL (ogr2ogr)",
            ),
            Bad::Coordinates(n) => write!(f, "een punt met {n} coördinaten"),
            Bad::NoSuchColumn(c) => {
                write!(f, "een waarde voor kolom {c}, die in de kop ontbreekt")
            }
            Bad::UnknownType(c, t) => write!(f, "kolom {c} heeft het onbekende type {t}"),
            Bad::ValuePastEnd => {
                f.write_str("een waarde loopt voorbij het einde van de attributen")
            }
        }
    }
}

/// `N` bytes at `at`, or an error.
#[inline]
fn take<const N: usize>(bytes: &[u8], at: usize) -> Result<[u8; N], Bad> {
    at.checked_add(N)
        .and_then(|end| bytes.get(at..end))
        .and_then(|b| b.try_into().ok())
        .ok_or(Bad::ReadPastEnd(at))
}

/// One feature's FlatBuffers bytes (after the size prefix); every read is bounds-checked.
#[derive(Clone, Copy)]
struct Buffer<'b>(&'b [u8]);

/// A table within a [`Buffer`]: its position and its vtable's.
struct Table<'b> {
    buf: Buffer<'b>,
    at: usize,
    vtable: usize,
    vtable_len: usize,
}

impl<'b> Buffer<'b> {
    #[inline]
    fn u16(self, at: usize) -> Result<u16, Bad> {
        take::<2>(self.0, at).map(u16::from_le_bytes)
    }

    #[inline]
    fn u32(self, at: usize) -> Result<usize, Bad> {
        take::<4>(self.0, at).map(|b| u32::from_le_bytes(b) as usize)
    }

    #[inline]
    fn f64(self, at: usize) -> Result<f64, Bad> {
        take::<8>(self.0, at).map(f64::from_le_bytes)
    }

    #[inline]
    fn slice(self, at: usize, len: usize) -> Result<&'b [u8], Bad> {
        at.checked_add(len)
            .and_then(|end| self.0.get(at..end))
            .ok_or(Bad::VectorPastEnd)
    }

    /// The root table (a `u32` offset at the start).
    #[inline]
    fn root(self) -> Result<Table<'b>, Bad> {
        self.table_at(self.u32(0)?)
    }

    /// The table at `at`: an `i32` back to its vtable, which starts with its own length.
    #[inline]
    fn table_at(self, at: usize) -> Result<Table<'b>, Bad> {
        let back = i32::from_le_bytes(take::<4>(self.0, at)?) as i64;
        let vtable = usize::try_from(at as i64 - back).map_err(|_| Bad::VtableBefore)?;
        let vtable_len = usize::from(self.u16(vtable)?);
        if vtable_len < 4 || vtable_len % 2 != 0 {
            return Err(Bad::VtableLength(vtable_len));
        }
        self.slice(vtable, vtable_len)?;
        Ok(Table {
            buf: self,
            at,
            vtable,
            vtable_len,
        })
    }
}

impl<'b> Table<'b> {
    /// The position of field `slot` (a `VT_*` constant), `None` when the field is absent.
    #[inline]
    fn offset(&self, slot: u16) -> Result<Option<usize>, Bad> {
        let slot = usize::from(slot);
        if slot + 2 > self.vtable_len {
            return Ok(None);
        }
        match self.buf.u16(self.vtable + slot)? {
            0 => Ok(None),
            field => Ok(Some(self.at + usize::from(field))),
        }
    }

    /// The target of an offset field (a table or a vector): the field's position plus its
    /// `u32` value.
    #[inline]
    fn follow(&self, slot: u16) -> Result<Option<usize>, Bad> {
        self.offset(slot)?
            .map(|at| self.buf.u32(at)?.checked_add(at).ok_or(Bad::OffsetOverflow))
            .transpose()
    }

    /// A table field.
    #[inline]
    fn table(&self, slot: u16) -> Result<Option<Table<'b>>, Bad> {
        self.follow(slot)?
            .map(|at| self.buf.table_at(at))
            .transpose()
    }

    /// A vector field of `width`-byte elements: where its elements start and how many there
    /// are (checked to lie within the feature).
    #[inline]
    fn vector(&self, slot: u16, width: usize) -> Result<Option<(usize, usize)>, Bad> {
        let Some(at) = self.follow(slot)? else {
            return Ok(None);
        };
        let len = self.buf.u32(at)?;
        let bytes = len.checked_mul(width).ok_or(Bad::VectorLengthOverflow)?;
        self.buf.slice(at + 4, bytes)?;
        Ok(Some((at + 4, len)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gdal::vector::{FieldDefn, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType};

    /// What a reader hands to `each`, owned.
    type Seen = Vec<(usize, Result<[f64; 2], String>, Option<Vec<u8>>)>;

    /// A value as owned bytes.
    fn owned(value: Value<'_>) -> Option<Vec<u8>> {
        match value {
            Value::Null => None,
            Value::Text(b) => Some(b.to_vec()),
            Value::Other(t) => Some(t.into_bytes()),
        }
    }

    fn collect(
        read: impl FnOnce(
            &mut (dyn FnMut(usize, Result<[f64; 2], String>, Option<Vec<u8>>) -> Result<(), ()>
                      + Send),
        ) -> Result<usize, StreamError<()>>,
    ) -> Result<Seen, String> {
        let mut seen = Seen::new();
        let n = read(&mut |i, location, value| {
            seen.push((i, location, value));
            Ok(())
        })
        .map_err(|e| match e {
            StreamError::Read(m) => m,
            StreamError::Each(()) => unreachable!("each never fails here"),
        })?;
        assert_eq!(n, seen.len());
        Ok(seen)
    }

    fn native(path: &Path, attribute: Option<&str>, block: usize) -> Result<Seen, String> {
        let mut file = PointFile::open(path, attribute).expect("read here, not through GDAL");
        file.block = block;
        collect(|each| {
            file.map_each(
                |i, location, value| (i, location, owned(value)),
                |(i, location, value)| each(i, location, value),
            )
        })
    }

    fn through_gdal(path: &Path, attribute: Option<&str>) -> Seen {
        let ds = gdal::Dataset::open(path).unwrap();
        let mut layer = ds.layer(0).unwrap();
        collect(|each| {
            let size = std::fs::metadata(path).unwrap().len();
            super::super::stream::for_each_point(
                &mut layer,
                size,
                attribute,
                |i, location, value| each(i, location, owned(value)),
            )
        })
        .unwrap()
    }

    /// A test file written by GDAL's FlatGeobuf driver: numeric and date columns before and
    /// after the text column `eigendom`, a null geometry, an empty point, a missing and an
    /// empty value.
    fn write(path: &Path, spatial_index: bool, features: usize) {
        use OGRFieldType::*;
        let driver = gdal::DriverManager::get_driver_by_name("FlatGeobuf").unwrap();
        let mut ds = driver.create_vector_only(path).unwrap();
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(28992).unwrap();
        let index = format!("SPATIAL_INDEX={}", if spatial_index { "YES" } else { "NO" });
        let layer = ds
            .create_layer(LayerOptions {
                name: "woningen",
                srs: Some(&srs),
                ty: OGRwkbGeometryType::wkbPoint,
                options: Some(&[index.as_str()]),
            })
            .unwrap();
        let columns = [
            ("n", OFTInteger),
            ("d", OFTReal),
            ("big", OFTInteger64),
            ("dag", OFTDateTime),
            ("eigendom", OFTString),
            ("na", OFTString),
        ];
        for (name, ty) in columns {
            FieldDefn::new(name, ty)
                .unwrap()
                .add_to_layer(&layer)
                .unwrap();
        }
        let tenures = ["huur", "koop", "corporatie é", ""];
        for i in 0..features {
            let mut f = gdal::vector::Feature::new(layer.defn()).unwrap();
            f.set_field_integer(0, i as i32).unwrap();
            f.set_field_double(1, i as f64 / 3.0).unwrap();
            f.set_field_integer64(2, (i as i64) << 40).unwrap();
            f.set_field_string(3, "2022-11-15T12:00:00").unwrap();
            if i % 5 != 2 {
                f.set_field_string(4, tenures[i % tenures.len()]).unwrap();
            }
            f.set_field_string(5, &"x".repeat(i % 7)).unwrap();
            match i % 9 {
                // A null geometry.
                4 => {}
                // An empty point.
                7 => f
                    .set_geometry(
                        gdal::vector::Geometry::empty(OGRwkbGeometryType::wkbPoint).unwrap(),
                    )
                    .unwrap(),
                _ => {
                    let mut g =
                        gdal::vector::Geometry::empty(OGRwkbGeometryType::wkbPoint).unwrap();
                    g.add_point_2d((200_000.0 + i as f64 * 10.25, 500_000.0 - i as f64 * 3.5));
                    f.set_geometry(g).unwrap();
                }
            }
            f.create(&layer).unwrap();
        }
    }

    #[test]
    fn equals_the_gdal_stream() {
        let dir = tempfile::tempdir().unwrap();
        for index in [true, false] {
            let path = dir.path().join(format!("w_{index}.fgb"));
            write(&path, index, 40);
            for attribute in [Some("eigendom"), None] {
                let expected = through_gdal(&path, attribute);
                // GDAL's writer leaves features without a geometry out (they are tested below).
                assert_eq!(expected.len(), 32);
                if attribute.is_some() {
                    assert!(expected.iter().any(|e| e.2.is_none()));
                    assert!(expected.iter().any(|e| e.2.as_deref() == Some(b"")));
                    assert!(expected.iter().any(|e| e.2 == Some("corporatie é".into())));
                }
                // One block, a block per few features, and blocks smaller than a feature.
                for block in [BLOCK, 300, 16] {
                    assert_eq!(
                        native(&path, attribute, block).unwrap(),
                        expected,
                        "spatial index {index}, attribute {attribute:?}, block {block}"
                    );
                }
            }
        }
    }

    /// One size-prefixed feature built with the crate's generated builders: `xy` (none: a null
    /// geometry) and the raw bytes of `eigendom` (column 4 of [`write`]'s files).
    fn feature(xy: Option<&[f64]>, eigendom: Option<&[u8]>) -> Vec<u8> {
        let mut fbb = flatbuffers::FlatBufferBuilder::new();
        let geometry = xy.map(|xy| {
            let xy = fbb.create_vector(xy);
            Geometry::create(
                &mut fbb,
                &flatgeobuf::GeometryArgs {
                    xy: Some(xy),
                    ..Default::default()
                },
            )
        });
        let mut properties = Vec::new();
        if let Some(text) = eigendom {
            properties.extend(4u16.to_le_bytes());
            properties.extend((text.len() as u32).to_le_bytes());
            properties.extend(text);
        }
        let properties = Some(fbb.create_vector(&properties));
        let f = FeatureTable::create(
            &mut fbb,
            &flatgeobuf::FeatureArgs {
                geometry,
                properties,
                columns: None,
            },
        );
        fbb.finish_size_prefixed(f, None);
        fbb.finished_data().to_vec()
    }

    /// A file whose six features are made here (GDAL's writer makes none of these).
    fn made(dir: &Path, last: Vec<u8>) -> std::path::PathBuf {
        let path = dir.join("made.fgb");
        // Seven features written, six in the header (GDAL leaves feature 4 out: no geometry).
        write(&path, false, 7);
        assert_eq!(PointFile::open(&path, None).unwrap().features, Some(6));
        let (mut bytes, ends) = feature_ends(&path);
        bytes.truncate(ends[0]);
        for f in [
            feature(None, Some(b"huur")),
            feature(Some(&[f64::NAN, f64::NAN]), None),
            feature(Some(&[1.5, f64::NAN]), Some(b"")),
            feature(Some(&[12.5, 7.25]), Some(b"caf\xe9")),
            feature(Some(&[3.0, 4.0]), Some(b"koop")),
            last,
        ] {
            bytes.extend(f);
        }
        std::fs::write(&path, &bytes).unwrap();
        path
    }

    #[test]
    fn features_gdal_does_not_write_are_read_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = made(dir.path(), feature(Some(&[5.0, 6.0]), Some(b"huur")));
        let empty = Err(EMPTY.to_string());
        let seen = native(&path, Some("eigendom"), BLOCK).unwrap();
        let text = |t: &[u8]| Some(t.to_vec());
        let expected: Seen = vec![
            (0, empty.clone(), text(b"huur")),
            (1, empty.clone(), None),
            // The caller names the NaN, and the text that is not UTF-8.
            (2, Ok([1.5, f64::NAN]), text(b"")),
            (3, Ok([12.5, 7.25]), text(b"caf\xe9")),
            (4, Ok([3.0, 4.0]), text(b"koop")),
            (5, Ok([5.0, 6.0]), text(b"huur")),
        ];
        // Compared as printed, so that a NaN equals itself (`{:?}` of an f64 round-trips).
        assert_eq!(format!("{seen:?}"), format!("{expected:?}"));
        // GDAL's stream agrees on the values and on every location but two: a null geometry
        // becomes WKB it cannot read back, a point with one NaN an empty one.
        let gdal = through_gdal(&path, Some("eigendom"));
        assert_eq!(gdal.len(), 6);
        for (g, n) in gdal.iter().zip(&seen) {
            assert_eq!((g.0, &g.2), (n.0, &n.2));
            match g.0 {
                0 => assert!(g
                    .1
                    .as_ref()
                    .unwrap_err()
                    .starts_with("de geometrie kan niet worden gelezen")),
                2 => assert_eq!(g.1, empty),
                _ => assert_eq!(g.1, n.1),
            }
        }

        // A point without coordinates stops GDAL's stream ("Invalid length detected: XY
        // data"); here it is a feature without a location, listed with the others.
        let path = made(dir.path(), feature(Some(&[]), Some(b"huur")));
        assert_eq!(native(&path, Some("eigendom"), BLOCK).unwrap()[5].1, empty);
    }

    #[test]
    fn other_layers_and_attributes_are_left_to_gdal() {
        let dir = tempfile::tempdir().unwrap();
        let points = dir.path().join("w.fgb");
        write(&points, false, 3);
        assert!(PointFile::open(&points, Some("eigendom")).is_some());
        // A numeric attribute is formatted by GDAL's stream; a missing one is GDAL's error.
        assert!(PointFile::open(&points, Some("n")).is_none());
        assert!(PointFile::open(&points, Some("absent")).is_none());
        assert!(PointFile::open(dir.path(), None).is_none());
        let polygons = dir.path().join("p.fgb");
        let driver = gdal::DriverManager::get_driver_by_name("FlatGeobuf").unwrap();
        let mut ds = driver.create_vector_only(&polygons).unwrap();
        ds.create_layer(LayerOptions {
            name: "p",
            ty: OGRwkbGeometryType::wkbPolygon,
            ..Default::default()
        })
        .unwrap();
        drop(ds);
        assert!(PointFile::open(&polygons, None).is_none());
        let csv = dir.path().join("w.csv");
        std::fs::write(&csv, "x,y\n1,2\n").unwrap();
        assert!(PointFile::open(&csv, None).is_none());
    }

    /// The bytes of a file without index and where its features end (`ends[0]` is where the
    /// first one starts).
    fn feature_ends(path: &Path) -> (Vec<u8>, Vec<usize>) {
        let bytes = std::fs::read(path).unwrap();
        let mut at = PointFile::open(path, None).unwrap().first_feature as usize;
        let mut ends = vec![at];
        while at < bytes.len() {
            at += 4 + u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            ends.push(at);
        }
        (bytes, ends)
    }

    #[test]
    fn a_damaged_feature_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.fgb");
        write(&path, false, 3);
        let (mut bytes, ends) = feature_ends(&path);
        // Feature 1's root offset points far past its end.
        bytes[ends[1] + 4..ends[1] + 8].copy_from_slice(&0x7fff_ff00u32.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let e = native(&path, Some("eigendom"), BLOCK).unwrap_err();
        assert!(
            e.starts_with("object 1 is geen geldig FlatGeobuf-object: lezen bij byte"),
            "{e}"
        );
    }

    #[test]
    fn a_cut_off_file_is_an_error_that_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.fgb");
        write(&path, false, 3);
        let (bytes, ends) = feature_ends(&path);
        std::fs::write(&path, &bytes[..ends[3] - 5]).unwrap();
        assert_eq!(
            native(&path, None, BLOCK).unwrap_err(),
            "object 2 is afgebroken: het bestand houdt halverwege op"
        );
        std::fs::write(&path, &bytes[..ends[2]]).unwrap();
        assert_eq!(
            native(&path, None, BLOCK).unwrap_err(),
            "het bestand houdt op na 2 van de 3 objecten die de kop aankondigt"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(256))]
        /// Any byte of the features changed to any value: the reading ends with the features
        /// or an error, never a panic (every read is bounds-checked).
        #[test]
        fn damaged_bytes_never_panic(
            at in 0usize..10_000,
            value in 0u8..=255,
            second in 0usize..10_000,
        ) {
            static FILE: std::sync::OnceLock<(Vec<u8>, usize, usize)> = std::sync::OnceLock::new();
            let (bytes, first, span) = FILE.get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("w.fgb");
                write(&path, false, 12);
                let (bytes, ends) = feature_ends(&path);
                (bytes, ends[0], ends[ends.len() - 1] - ends[0])
            });
            let (first, span) = (*first, *span);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("w.fgb");
            let mut bytes = bytes.clone();
            bytes[first + at % span] = value;
            bytes[first + second % span] ^= 0xff;
            std::fs::write(&path, &bytes).unwrap();
            let _ = native(&path, Some("eigendom"), 64);
        }
    }
}
