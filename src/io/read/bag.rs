//! Reading a BAG file (PDOK's BAG GeoPackage or an extract with the same columns) into a
//! [`AddressIndex`], and the index's cache on disk, used while the file's BLAKE3 digest is the same
//! (docs/METHOD.md §6.1).
//!
//! The address layers are those named `verblijfsobject(en)`, `standplaats(en)` and
//! `ligplaats(en)`; a file with one layer of another name is read as one. Columns are matched
//! by the names in [`COLUMNS`] (PDOK's and the older extracts'), case-insensitively.
//!
//! The cache is a flat binary file (`bag-<key>.idx`, [`cache_key`]: a header with the BAG
//! file's BLAKE3 digest, the name table and the entries in index order) in the directory
//! `WIJKBALANS_CACHE` names, else `$XDG_CACHE_HOME/wijkbalans` or `~/.cache/wijkbalans`. It is
//! used only when its header carries the digest the BAG file has now and this format's
//! version, so a changed BAG is read again. Hand-written rather than serde: a fixed-width
//! record per address is mapped and decoded in one pass, with no allocation per entry.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform};
use gdal::vector::LayerAccess;
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};

use crate::error::{gdal_says, InputError};
use crate::io::crs::{crs_name, parse_crs};
use crate::io::digest::FileDigest;
use crate::io::gdal_env;
use crate::io::mapped::Mapped;
use crate::io::stream;
use crate::model::address::{
    normalise, suffix_bytes, suffix_key, AddressIndex, Entries, Entry, EntryStore,
};

use super::layer::not_utf8;
use super::open::{refuse_remote, unreadable};

/// The names a BAG column goes by, first PDOK's, then those of other extracts.
pub const COLUMNS: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "identificatie",
            "nummer_id",
            "nummeraanduiding_id",
            "bag_id",
        ],
    ),
    (
        "street",
        &[
            "openbare_ruimte_naam",
            "openbareruimtenaam",
            "straatnaam",
            "straat",
        ],
    ),
    ("number", &["huisnummer"]),
    ("letter", &["huisletter"]),
    ("addition", &["toevoeging", "huisnummertoevoeging"]),
    ("postcode", &["postcode"]),
    (
        "place",
        &["woonplaats_naam", "woonplaatsnaam", "woonplaats"],
    ),
    ("use", &["gebruiksdoel"]),
];

/// The layer names read as address layers, singular (PDOK) and plural (extracts).
const LAYERS: &[&str] = &[
    "verblijfsobject",
    "verblijfsobjecten",
    "standplaats",
    "standplaatsen",
    "ligplaats",
    "ligplaatsen",
];

/// A BAG file read for lookups.
#[derive(Debug, Clone)]
pub struct Bag {
    /// The file.
    pub path: PathBuf,
    /// Its BLAKE3 digest (hex).
    pub blake3: String,
    /// The address layers read.
    pub layers: Vec<String>,
    /// The addresses.
    pub index: AddressIndex,
    /// True when the index came from the cache.
    pub from_cache: bool,
}

const FIX_NOT_BAG: &str = "geef bij --bag de BAG-GeoPackage van PDOK op (laag verblijfsobject) \
                           of een uittreksel met de kolommen postcode/straatnaam en huisnummer";

/// Read `path` (or its cached index). `flag` names where the file was given (`--bag`).
///
/// The cache is found by the file's place (`cache_key`) and trusted only when it
/// records the BLAKE3 digest the file has now: the digest is computed on a second thread
/// while the cache is loaded, so a national BAG loads in the time of the longer of the two
/// rather than their sum (BENCHMARKS.md, "BAG address index").
pub fn read_bag(path: &Path, flag: &str) -> Result<Bag, InputError> {
    refuse_remote(path)?;
    if !path.is_file() {
        return Err(InputError::file(
            path,
            "bestand niet gevonden",
            format!("controleer het pad bij {flag}"),
        ));
    }
    let cache = cache_dir()
        .zip(cache_key(path))
        .map(|(d, key)| d.join(format!("bag-{key}.idx")));
    let (digest, cached) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| FileDigest::now(path));
        let cached = cache.as_deref().and_then(load_cache);
        let digest = hashing
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (digest, cached)
    });
    let blake3 = digest?.wait()?.to_string();
    if let Some(c) = cached.filter(|c| c.blake3 == blake3) {
        return Ok(Bag {
            path: path.to_path_buf(),
            blake3,
            layers: c.layers,
            index: c.index,
            from_cache: true,
        });
    }
    let (layers, index) = read_layers(path)?;
    if let Some(c) = cache {
        // A cache that cannot be written only costs the next run the reading time.
        let _ = save_cache(&c, &blake3, &layers, &index);
    }
    Ok(Bag {
        path: path.to_path_buf(),
        blake3,
        layers,
        index,
        from_cache: false,
    })
}

/// The name of a BAG file's cache: the BLAKE3 hash (first 32 hex digits) of the file's
/// absolute path. One cache per BAG path: a file changed in place (PDOK's monthly BAG
/// downloaded over the last one) finds the same cache, refuses it because the digest it
/// records differs, and replaces it, so the cache folder holds no index of an earlier state
/// of the file. `None` when the path cannot be made absolute (then no cache is used).
///
/// Example: `data/bag/bag_amsterdam_1013.gpkg` read from `/work/main` and from
/// `/work/main/data` (as `bag/bag_amsterdam_1013.gpkg`) has one cache.
fn cache_key(path: &Path) -> Option<String> {
    let absolute = std::fs::canonicalize(path).ok()?;
    Some(blake3::hash(absolute.as_os_str().as_encoded_bytes()).to_hex()[..32].to_string())
}

fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("WIJKBALANS_CACHE") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("wijkbalans"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("wijkbalans"))
}

fn read_layers(path: &Path) -> Result<(Vec<String>, AddressIndex), InputError> {
    // A table of addresses with x and y columns is no layer of points to GDAL without the
    // columns named; say that, rather than that the file looks damaged.
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"))
    {
        return Err(InputError::file(
            path,
            "een BAG-bestand wordt niet als CSV gelezen: de adressen moeten punten zijn",
            "geef de BAG-GeoPackage van PDOK, of een uitsnede als GeoPackage of GeoJSON (in QGIS: \
             de CSV laden als tekstlaag met x en y, dan Exporteren → Objecten opslaan als)",
        ));
    }
    gdal_env::offline();
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
        allowed_drivers: Some(&["GPKG", "FlatGeobuf", "ESRI Shapefile", "GeoJSON"]),
        ..Default::default()
    };
    let (opened, messages) = gdal_env::capturing(|| Dataset::open_ex(path, options));
    let ds = opened.map_err(|_| unreadable(path, &messages))?;
    let all: Vec<String> = ds.layers().map(|l| l.name()).collect();
    let mut chosen: Vec<String> = all
        .iter()
        .filter(|n| LAYERS.contains(&n.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    if chosen.is_empty() && all.len() == 1 {
        chosen = all.clone();
    }
    if chosen.is_empty() {
        return Err(InputError::file(
            path,
            format!("geen BAG-adreslaag (lagen: {})", all.join(", ")),
            FIX_NOT_BAG,
        ));
    }
    let mut names = Names::default();
    let mut entries = Vec::new();
    for name in &chosen {
        read_one(&ds, path, name, &mut names, &mut entries)?;
    }
    Ok((chosen, AddressIndex::new(names.list, entries)))
}

/// The street and place names met so far, each once (ten million addresses share about
/// 250,000 names). Consecutive addresses mostly share their street, so the last name asked
/// for is answered without hashing.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    ids: std::collections::HashMap<String, u32>,
    last: Option<(String, u32)>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some((text, i)) = &self.last {
            if text == s {
                return *i;
            }
        }
        let i = match self.ids.get(s) {
            Some(&i) => i,
            None => {
                let i = self.list.len() as u32;
                self.list.push(s.to_string());
                self.ids.insert(s.to_string(), i);
                i
            }
        };
        self.last = Some((s.to_string(), i));
        i
    }
}

/// The concepts read from an address layer, in the order the stream hands their values over.
const READ: [&str; 8] = [
    "number", "letter", "addition", "postcode", "street", "place", "id", "use",
];

/// Read one address layer through GDAL's Arrow stream (`io::stream`, columns in batches of
/// 65,536 features; with the feature-by-feature API the whole build of 10 M addresses took
/// 46 s instead of 19 s, BENCHMARKS.md) into `entries`. Stops at the first feature that is not a BAG
/// address, naming it.
fn read_one(
    ds: &Dataset,
    path: &Path,
    name: &str,
    names: &mut Names,
    entries: &mut Vec<Entry>,
) -> Result<(), InputError> {
    let mut layer = ds.layer_by_name(name).map_err(|e| {
        InputError::file(
            path,
            format!("laag '{name}' kan niet worden geopend ({})", gdal_says(&e)),
            "",
        )
    })?;
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let find = |concept: &str| -> Option<usize> {
        let aliases = COLUMNS.iter().find(|(c, _)| *c == concept)?.1;
        aliases
            .iter()
            .find_map(|a| fields.iter().position(|f| f.eq_ignore_ascii_case(a)))
    };
    let at = |p: String, fix: &str| InputError::file(path, p, fix).in_layer(name);
    let number = find("number").ok_or_else(|| {
        at(
            format!(
                "geen kolom huisnummer (kolommen: {}); dit lijkt geen BAG-adreslaag",
                fields.join(", ")
            ),
            FIX_NOT_BAG,
        )
    })?;
    let (postcode, street) = (find("postcode"), find("street"));
    if postcode.is_none() && street.is_none() {
        return Err(at(
            format!(
                "geen kolom voor postcode of straat (kolommen: {}); adressen kunnen niet \
                 worden opgezocht",
                fields.join(", ")
            ),
            FIX_NOT_BAG,
        ));
    }
    // The field of each concept in READ's order, and the names of those present for the
    // stream; `slot[k]` is where concept k's value is among the values of a row.
    let wanted: Vec<Option<usize>> = READ.iter().map(|c| find(c)).collect();
    let stream_fields: Vec<&str> = wanted
        .iter()
        .flatten()
        .map(|&i| fields[i].as_str())
        .collect();
    let mut slot = [None; READ.len()];
    let mut next = 0;
    for (k, w) in wanted.iter().enumerate() {
        if w.is_some() {
            slot[k] = Some(next);
            next += 1;
        }
    }
    let field_name = |k: usize| fields[wanted[k].unwrap_or(number)].clone();
    let srs = layer.spatial_ref().ok_or_else(|| {
        at(
            "de laag geeft geen coördinatenstelsel op".into(),
            "de BAG van PDOK is in EPSG:28992; exporteer de laag met haar coördinatenstelsel",
        )
    })?;
    let rd = parse_crs("EPSG:28992").map_err(|m| at(m, ""))?;
    let transform = if crs_name(&srs) == "EPSG:28992" {
        None
    } else {
        let mut from = srs.clone();
        from.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        Some(CoordTransform::new(&from, &rd).map_err(|e| {
            at(
                format!(
                    "{} kan niet worden omgezet naar EPSG:28992 ({})",
                    crs_name(&srs),
                    gdal_says(&e)
                ),
                "",
            )
        })?)
    };
    // Every feature takes at least one byte of the file (see `stream::for_each_point`); the
    // count a GeoPackage declares sizes the entries once (10 M entries doubling their vector
    // would hold 1.5 times their size twice).
    let max_features = std::fs::metadata(path).map_or(u64::MAX, |m| m.len());
    let start = entries.len();
    if let Some(count) = layer.try_feature_count() {
        entries.reserve(usize::try_from(count.min(max_features / 16)).unwrap_or(0));
    }
    let read = stream::for_each_row(&mut layer, max_features, &stream_fields, |row, values| {
        let index = row.index;
        let bad = |k: Option<usize>, p: String| {
            let field = k.map_or_else(|| "geometry".to_string(), field_name);
            at(
                p,
                "verbeter of verwijder dit object, of exporteer de BAG opnieuw",
            )
            .at_feature(index)
            .in_field(&field)
        };
        // The value of concept `k` as trimmed text ("" when absent or null).
        let text = |k: usize| -> Result<std::borrow::Cow<'_, str>, InputError> {
            Ok(match slot[k].map(|s| &values[s]) {
                None | Some(stream::Value::Null) => "".into(),
                Some(stream::Value::Text(bytes)) => std::str::from_utf8(bytes)
                    .map_err(|e| bad(Some(k), not_utf8(bytes, e.valid_up_to())))?
                    .trim()
                    .into(),
                Some(stream::Value::Other(t)) => t.trim().to_string().into(),
            })
        };
        let (x, y) = match row.location {
            Ok(xy) if row.point => (xy[0], xy[1]),
            Ok(_) => {
                return Err(bad(None, "het adres is geen punt".into()));
            }
            Err(_) => {
                return Err(at(
                    "het adres heeft geen punt".into(),
                    "exporteer de BAG opnieuw",
                )
                .at_feature(index));
            }
        };
        if !x.is_finite() || !y.is_finite() {
            return Err(bad(None, format!("het punt ({x}, {y}) is geen getal")));
        }
        let n_text = text(0)?;
        let n: u32 = n_text.parse().map_err(|_| {
            bad(
                Some(0),
                format!("huisnummer '{n_text}' is geen geheel getal"),
            )
        })?;
        let (l, a) = (text(1)?, text(2)?);
        let suffix = suffix_key(&l, &a);
        let suffix = suffix_bytes(&suffix).ok_or_else(|| {
            let k = if slot[2].is_some() { 2 } else { 1 };
            bad(
                Some(k),
                format!("huisletter '{l}' en toevoeging '{a}' zijn langer dan de BAG toestaat"),
            )
        })?;
        let pc = text(3)?;
        let pc_bytes = match crate::model::address::parse_postcode(&pc) {
            Some(p) => p,
            None if pc.is_empty() => [0; 6],
            None => {
                return Err(bad(
                    Some(3),
                    format!("postcode '{pc}' is geen Nederlandse postcode"),
                ))
            }
        };
        let id_num: u64 = if slot[6].is_none() {
            row.fid
                .and_then(|f| u64::try_from(f).ok())
                .unwrap_or(index as u64)
        } else {
            let id_text = text(6)?;
            id_text
                .parse()
                .map_err(|_| bad(Some(6), format!("BAG-id '{id_text}' is geen getal")))?
        };
        let usage = text(7)?;
        let dwelling = usage.eq_ignore_ascii_case("woonfunctie")
            || usage.split(',').any(|d| normalise(d) == "woonfunctie");
        let street = names.id(&text(4)?);
        let place = names.id(&text(5)?);
        entries.push(Entry {
            id: id_num,
            xy: [x, y],
            number: n,
            postcode: pc_bytes,
            suffix,
            flags: Entry::flags(!l.is_empty(), dwelling),
            street,
            place,
        });
        Ok(())
    });
    match read {
        Ok(_) => {}
        Err(stream::StreamError::Each(e)) => return Err(e),
        Err(stream::StreamError::Read(m)) => {
            return Err(at(
                format!("de objecten kunnen niet worden gelezen ({m})"),
                "controleer of het bestand opent in QGIS of met ogrinfo; exporteer de BAG opnieuw",
            ))
        }
    }
    // Points in another CRS than RD New are transformed here, on this thread (a GDAL
    // transformation is not shared with the stream's decoding thread); the layer's entries
    // are its features in order, so entry k is feature k.
    if let Some(t) = &transform {
        for (index, e) in entries[start..].iter_mut().enumerate() {
            let [x, y] = e.xy;
            let (mut xs, mut ys) = ([x], [y]);
            t.transform_coords(&mut xs, &mut ys, &mut [])
                .map_err(|err| {
                    at(
                        format!("({x}, {y}) kan niet worden omgezet ({})", gdal_says(&err)),
                        "verbeter of verwijder dit object, of exporteer de BAG opnieuw",
                    )
                    .at_feature(index)
                    .in_field("geometry")
                })?;
            if !xs[0].is_finite() || !ys[0].is_finite() {
                return Err(at(
                    format!("het punt ({x}, {y}) wordt na omzetten geen getal"),
                    "verbeter of verwijder dit object, of exporteer de BAG opnieuw",
                )
                .at_feature(index)
                .in_field("geometry"));
            }
            e.xy = [xs[0], ys[0]];
        }
    }
    Ok(())
}

/// Cache format: magic (with the version), the BAG file's digest, then the layer names, the
/// name table, the number of entries, zero bytes up to a multiple of 8 from the start, the
/// entries (little-endian, 48 bytes each), then the street order as u32.
const MAGIC: &[u8; 8] = b"WBBAGIX3";

/// Bytes of one entry in the cache.
const RECORD: usize = 48;

/// Write the cache through a buffer (not built whole in memory first: for 10 M addresses
/// that was another 520 MB at the peak of the build), to a temporary file renamed at the
/// end, so a cache is either whole or absent.
fn save_cache(
    path: &Path,
    blake3: &str,
    layers: &[String],
    index: &AddressIndex,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        let mut head = Vec::new();
        head.extend_from_slice(MAGIC);
        put_str(&mut head, blake3);
        head.extend_from_slice(&(layers.len() as u64).to_le_bytes());
        for l in layers {
            put_str(&mut head, l);
        }
        head.extend_from_slice(&(index.names.len() as u64).to_le_bytes());
        for n in &index.names {
            put_str(&mut head, n);
        }
        head.extend_from_slice(&(index.entries.len() as u64).to_le_bytes());
        head.resize(head.len().next_multiple_of(8), 0);
        w.write_all(&head)?;
        for e in index.entries.iter() {
            let mut r = [0u8; RECORD];
            r[0..8].copy_from_slice(&e.id.to_le_bytes());
            r[8..16].copy_from_slice(&e.xy[0].to_le_bytes());
            r[16..24].copy_from_slice(&e.xy[1].to_le_bytes());
            r[24..28].copy_from_slice(&e.number.to_le_bytes());
            r[28..34].copy_from_slice(&e.postcode);
            r[34..39].copy_from_slice(&e.suffix);
            r[39] = e.flags;
            r[40..44].copy_from_slice(&e.street.to_le_bytes());
            r[44..48].copy_from_slice(&e.place.to_le_bytes());
            w.write_all(&r)?;
        }
        for i in index.street_order() {
            w.write_all(&i.to_le_bytes())?;
        }
        w.flush()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

/// A cache as loaded: the digest it records, the layers and the index.
struct Cached {
    blake3: String,
    layers: Vec<String>,
    index: AddressIndex,
}

/// The cached index, or `None` when there is none or it is damaged (then the BAG file is
/// read again). The file is mapped with all its pages at once and its entries are read in
/// place ([`MappedEntries`]): loading a national index copies none of its 480 MB of entries
/// (loading with the copy took 0.9 s of CPU, in place 0.7 s, most of it the BAG file's
/// digest on the other thread). A machine that is not little-endian decodes
/// them into memory instead.
fn load_cache(path: &Path) -> Option<Cached> {
    let map = Mapped::open_populated(path).ok()?;
    let bytes = map.bytes();
    let mut r = Reader { b: bytes, at: 0 };
    if r.take(8)? != MAGIC {
        return None;
    }
    let blake3 = r.string()?;
    let layers = (0..r.u64()?)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let n_names = r.u64()? as usize;
    let names = (0..n_names)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let n = r.u64()? as usize;
    if r.take(r.at.next_multiple_of(8) - r.at)?
        .iter()
        .any(|&b| b != 0)
    {
        return None;
    }
    if r.b.len() - r.at != n.checked_mul(RECORD + 4)? {
        return None;
    }
    let start = r.at;
    let (records, order) = r.b[start..].split_at(n * RECORD);
    let order: Vec<u32> = order
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let aligned = records.as_ptr().align_offset(std::mem::align_of::<Entry>()) == 0;
    let entries = if cfg!(target_endian = "little") && aligned {
        Entries::new(MappedEntries {
            map,
            offset: start,
            n,
        })
    } else {
        Entries::new(decode_records(records, |done| {
            map.release_before(start + done)
        })?)
    };
    let flags = Entry::LETTER | Entry::DWELLING;
    let valid = entries.iter().all(|e| {
        (e.street as usize) < n_names && (e.place as usize) < n_names && e.flags & !flags == 0
    });
    if !valid {
        return None;
    }
    let index = AddressIndex::from_parts(names, entries, order)?;
    Some(Cached {
        blake3,
        layers,
        index,
    })
}

// The cache's record is an `Entry` as laid out in memory (`repr(C)`, little-endian).
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(size_of::<Entry>() == RECORD);
    assert!(offset_of!(Entry, id) == 0 && offset_of!(Entry, xy) == 8);
    assert!(offset_of!(Entry, number) == 24 && offset_of!(Entry, postcode) == 28);
    assert!(offset_of!(Entry, suffix) == 34 && offset_of!(Entry, flags) == 39);
    assert!(offset_of!(Entry, street) == 40 && offset_of!(Entry, place) == 44);
};

/// The entries of a mapped cache, read in place: the map lives as long as the index.
struct MappedEntries {
    map: Mapped,
    /// Where the records start (a multiple of 8, checked aligned for `Entry`).
    offset: usize,
    /// How many records (checked to fit in the map).
    n: usize,
}

impl std::fmt::Debug for MappedEntries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MappedEntries({} entries)", self.n)
    }
}

impl EntryStore for MappedEntries {
    fn entries(&self) -> &[Entry] {
        let bytes = &self.map.bytes()[self.offset..self.offset + self.n * RECORD];
        // SAFETY: `load_cache` made this store only on a little-endian machine and with the
        // records aligned for `Entry`; `Entry` is `repr(C)`, `RECORD` bytes with no padding
        // (asserted above) and made only of integers, floats and byte arrays, for which every
        // bit pattern is a valid value, so the `n` records are `n` entries. The map is
        // read-only and lives as long as `self`; a cache file changed by another program
        // while it is mapped is the caveat of `Mapped`.
        unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<Entry>(), self.n) }
    }
}

/// The entries of the cache's records, copied in blocks of 65,536 (`released(bytes)` is told
/// how many bytes are done, to let their pages go). On a little-endian machine a record is
/// the entry's own bytes, so a block is one copy: no decoding per field. Used where the
/// entries cannot be read in place ([`MappedEntries`]). `None` when the bytes are not whole
/// records.
fn decode_records(records: &[u8], released: impl Fn(usize)) -> Option<Vec<Entry>> {
    if records.len() % RECORD != 0 {
        return None;
    }
    let n = records.len() / RECORD;
    let mut entries: Vec<Entry> = Vec::with_capacity(n);
    for (k, block) in records.chunks(RECORD << 16).enumerate() {
        let count = block.len() / RECORD;
        #[cfg(target_endian = "little")]
        // SAFETY: `Entry` is `repr(C)`, `RECORD` bytes with no padding (asserted above), and
        // made only of integers, floats and byte arrays, for which every bit pattern is a
        // valid value; its in-memory bytes on a little-endian machine are the record's
        // bytes. The vector has room for `n` entries and holds `len()` so far; the block
        // holds `count` whole records and does not overlap the vector.
        unsafe {
            let at = entries.len();
            std::ptr::copy_nonoverlapping(
                block.as_ptr(),
                entries.as_mut_ptr().add(at).cast::<u8>(),
                count * RECORD,
            );
            entries.set_len(at + count);
        }
        #[cfg(not(target_endian = "little"))]
        entries.extend(block.chunks_exact(RECORD).map(decode_one));
        released((k << 16) * RECORD + block.len());
    }
    Some(entries)
}

/// One record, field by field (machines that are not little-endian).
#[cfg(any(test, not(target_endian = "little")))]
fn decode_one(chunk: &[u8]) -> Entry {
    let u32_at = |i: usize| u32::from_le_bytes(chunk[i..i + 4].try_into().unwrap());
    let f64_at = |i: usize| f64::from_le_bytes(chunk[i..i + 8].try_into().unwrap());
    Entry {
        id: u64::from_le_bytes(chunk[0..8].try_into().unwrap()),
        xy: [f64_at(8), f64_at(16)],
        number: u32_at(24),
        postcode: chunk[28..34].try_into().unwrap(),
        suffix: chunk[34..39].try_into().unwrap(),
        flags: chunk[39],
        street: u32_at(40),
        place: u32_at(44),
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let n = self.u64()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record copied as bytes is the entry written field by field (as `save_cache` does).
    #[test]
    fn a_record_copied_whole_equals_the_record_read_field_by_field() {
        let e = Entry {
            id: 363_200_000_039_881,
            xy: [121_223.125, 489_163.5],
            number: 234,
            postcode: *b"1013NT",
            suffix: *b"B\0\0\0\0",
            flags: Entry::LETTER | Entry::DWELLING,
            street: 7,
            place: 70_000,
        };
        let mut bytes = Vec::new();
        for _ in 0..3 {
            bytes.extend_from_slice(&e.id.to_le_bytes());
            bytes.extend_from_slice(&e.xy[0].to_le_bytes());
            bytes.extend_from_slice(&e.xy[1].to_le_bytes());
            bytes.extend_from_slice(&e.number.to_le_bytes());
            bytes.extend_from_slice(&e.postcode);
            bytes.extend_from_slice(&e.suffix);
            bytes.push(e.flags);
            bytes.extend_from_slice(&e.street.to_le_bytes());
            bytes.extend_from_slice(&e.place.to_le_bytes());
        }
        assert_eq!(decode_one(&bytes[..RECORD]), e);
        let released = std::cell::Cell::new(0);
        assert_eq!(
            decode_records(&bytes, |n| released.set(n)),
            Some(vec![e, e, e])
        );
        assert_eq!(released.get(), 3 * RECORD);
        assert_eq!(decode_records(&bytes[1..], |_| ()), None);
    }
}
