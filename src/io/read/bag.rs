//! Reading a BAG file (PDOK's BAG GeoPackage or an extract with the same columns) into a
//! [`AddressIndex`], and the index's cache on disk keyed by the file's BLAKE3 digest
//! (docs/METHOD.md §6.1).
//!
//! The address layers are those named `verblijfsobject(en)`, `standplaats(en)` and
//! `ligplaats(en)`; a file with one layer of another name is read as one. Columns are matched
//! by the names in [`COLUMNS`] (PDOK's and the older extracts'), case-insensitively.
//!
//! The cache is a flat binary file (`bag-<digest>.idx`, a header, the name table and the
//! entries in index order) in the directory `WIJKBALANS_CACHE` names, else
//! `$XDG_CACHE_HOME/wijkbalans` or `~/.cache/wijkbalans`. It is read only when its header
//! carries the BAG file's digest and this format's version, so a changed BAG is read again.
//! Hand-written rather than serde: a fixed-width record per address loads ten million entries
//! with one read and no per-field decoding.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform};
use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};

use crate::error::InputError;
use crate::io::crs::{crs_name, parse_crs};
use crate::io::digest::FileDigest;
use crate::io::gdal_env;
use crate::model::address::{normalise, suffix_bytes, suffix_key, AddressIndex, Entry};

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

const FIX_NOT_BAG: &str = "pass the BAG GeoPackage from PDOK (layer verblijfsobject) or an \
                           extract with postcode/straatnaam and huisnummer columns to --bag";

/// Read `path` (or its cached index). `flag` names where the file was given (`--bag`).
pub fn read_bag(path: &Path, flag: &str) -> Result<Bag, InputError> {
    refuse_remote(path)?;
    if !path.is_file() {
        return Err(InputError::file(
            path,
            "file not found",
            format!("check the path given to {flag}"),
        ));
    }
    let digest = FileDigest::now(path)?;
    let blake3 = digest.wait()?.to_string();
    let cache = cache_dir().map(|d| d.join(format!("bag-{blake3}.idx")));
    if let Some((layers, index)) = cache.as_deref().and_then(|c| load_cache(c, &blake3)) {
        return Ok(Bag {
            path: path.to_path_buf(),
            blake3,
            layers,
            index,
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
            format!("no BAG address layer (layers: {})", all.join(", ")),
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

#[derive(Default)]
struct Names {
    list: Vec<String>,
    ids: std::collections::HashMap<String, u32>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.ids.get(s) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(s.to_string());
        self.ids.insert(s.to_string(), i);
        i
    }
}

fn text(v: Option<FieldValue>) -> String {
    match v {
        Some(FieldValue::StringValue(s)) => s.trim().to_string(),
        Some(FieldValue::IntegerValue(i)) => i.to_string(),
        Some(FieldValue::Integer64Value(i)) => i.to_string(),
        Some(FieldValue::RealValue(r)) if r.fract() == 0.0 => format!("{r:.0}"),
        Some(FieldValue::StringListValue(v)) => v.join(","),
        _ => String::new(),
    }
}

fn read_one(
    ds: &Dataset,
    path: &Path,
    name: &str,
    names: &mut Names,
    entries: &mut Vec<Entry>,
) -> Result<(), InputError> {
    let mut layer = ds
        .layer_by_name(name)
        .map_err(|e| InputError::file(path, format!("cannot open layer '{name}' ({e})"), ""))?;
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
                "no huisnummer column (columns: {}); this does not look like a BAG address layer",
                fields.join(", ")
            ),
            FIX_NOT_BAG,
        )
    })?;
    let (postcode, street) = (find("postcode"), find("street"));
    if postcode.is_none() && street.is_none() {
        return Err(at(
            format!(
                "neither a postcode nor a street column (columns: {}); addresses cannot be \
                 looked up",
                fields.join(", ")
            ),
            FIX_NOT_BAG,
        ));
    }
    let (id, letter, addition, place, usage) = (
        find("id"),
        find("letter"),
        find("addition"),
        find("place"),
        find("use"),
    );
    let srs = layer.spatial_ref().ok_or_else(|| {
        at(
            "the layer declares no CRS".into(),
            "the PDOK BAG is in EPSG:28992; export the layer with its CRS",
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
                format!("cannot transform {} to EPSG:28992 ({e})", crs_name(&srs)),
                "",
            )
        })?)
    };
    let field = |f: &gdal::vector::Feature, i: Option<usize>| -> String {
        i.map(|i| text(f.field(i).ok().flatten()))
            .unwrap_or_default()
    };
    for (index, f) in layer.features().enumerate() {
        let bad = |field_name: &str, p: String| {
            at(p, "correct or remove this feature, or export the BAG again")
                .at_feature(index)
                .in_field(field_name)
        };
        let Some(g) = f.geometry() else {
            return Err(
                at("the address has no point".into(), "export the BAG again").at_feature(index),
            );
        };
        if g.point_count() != 1 {
            return Err(bad(
                "geometry",
                format!("the address is a {} and not a point", g.geometry_name()),
            ));
        }
        let (mut x, mut y, _) = g.get_point(0);
        if let Some(t) = &transform {
            let (mut xs, mut ys) = ([x], [y]);
            t.transform_coords(&mut xs, &mut ys, &mut [])
                .map_err(|e| bad("geometry", format!("cannot transform ({x}, {y}): {e}")))?;
            (x, y) = (xs[0], ys[0]);
        }
        if !x.is_finite() || !y.is_finite() {
            return Err(bad(
                "geometry",
                format!("the point ({x}, {y}) is not a number"),
            ));
        }
        let n_text = field(&f, Some(number));
        let n: u32 = n_text.parse().map_err(|_| {
            bad(
                &fields[number],
                format!("huisnummer '{n_text}' is not a whole number"),
            )
        })?;
        let (l, a) = (field(&f, letter), field(&f, addition));
        let suffix = suffix_key(&l, &a);
        let suffix = suffix_bytes(&suffix).ok_or_else(|| {
            bad(
                &fields[addition.or(letter).unwrap_or(number)],
                format!("huisletter '{l}' and toevoeging '{a}' are longer than the BAG allows"),
            )
        })?;
        let pc = field(&f, postcode);
        let pc_bytes = match crate::model::address::parse_postcode(&pc) {
            Some(p) => p,
            None if pc.is_empty() => [0; 6],
            None => {
                return Err(bad(
                    &fields[postcode.unwrap_or(number)],
                    format!("postcode '{pc}' is not a Dutch postcode"),
                ))
            }
        };
        let id_text = field(&f, id);
        let id_num: u64 = if id.is_none() {
            f.fid().unwrap_or(index as u64)
        } else {
            id_text.parse().map_err(|_| {
                bad(
                    &fields[id.unwrap_or(number)],
                    format!("BAG id '{id_text}' is not a number"),
                )
            })?
        };
        let dwelling = usage.is_some_and(|u| {
            field(&f, Some(u))
                .split(',')
                .any(|d| normalise(d) == "woonfunctie")
        });
        entries.push(Entry {
            id: id_num,
            xy: [x, y],
            number: n,
            postcode: pc_bytes,
            suffix,
            letter: !l.is_empty(),
            dwelling,
            street: names.id(&field(&f, street)),
            place: names.id(&field(&f, place)),
        });
    }
    Ok(())
}

/// Cache format: magic, version, digest, then the layer names, the name table and the
/// entries (little-endian, 48 bytes each, then the street order as u32).
const MAGIC: &[u8; 8] = b"WBBAGIX1";

fn save_cache(
    path: &Path,
    blake3: &str,
    layers: &[String],
    index: &AddressIndex,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut buf = Vec::with_capacity(64 + index.len() * 52);
    buf.extend_from_slice(MAGIC);
    put_str(&mut buf, blake3);
    buf.extend_from_slice(&(layers.len() as u64).to_le_bytes());
    for l in layers {
        put_str(&mut buf, l);
    }
    buf.extend_from_slice(&(index.names.len() as u64).to_le_bytes());
    for n in &index.names {
        put_str(&mut buf, n);
    }
    buf.extend_from_slice(&(index.entries.len() as u64).to_le_bytes());
    for e in &index.entries {
        buf.extend_from_slice(&e.id.to_le_bytes());
        buf.extend_from_slice(&e.xy[0].to_le_bytes());
        buf.extend_from_slice(&e.xy[1].to_le_bytes());
        buf.extend_from_slice(&e.number.to_le_bytes());
        buf.extend_from_slice(&e.postcode);
        buf.extend_from_slice(&e.suffix);
        buf.push(u8::from(e.letter) | (u8::from(e.dwelling) << 1));
        buf.extend_from_slice(&e.street.to_le_bytes());
        buf.extend_from_slice(&e.place.to_le_bytes());
    }
    for i in index.street_order() {
        buf.extend_from_slice(&i.to_le_bytes());
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&buf)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

/// The cached index, or `None` when there is none, it is for another file or it is damaged
/// (then the BAG file is read again).
fn load_cache(path: &Path, blake3: &str) -> Option<(Vec<String>, AddressIndex)> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .read_to_end(&mut bytes)
        .ok()?;
    let mut r = Reader { b: &bytes, at: 0 };
    if r.take(8)? != MAGIC || r.string()? != blake3 {
        return None;
    }
    let layers = (0..r.u64()?)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let n_names = r.u64()? as usize;
    let names = (0..n_names)
        .map(|_| r.string())
        .collect::<Option<Vec<_>>>()?;
    let n = r.u64()? as usize;
    if r.b.len() - r.at != n.checked_mul(52)? {
        return None;
    }
    let mut entries = Vec::with_capacity(n);
    let (records, order) = r.b[r.at..].split_at(n * 48);
    for chunk in records.chunks_exact(48) {
        let u32_at = |i: usize| u32::from_le_bytes(chunk[i..i + 4].try_into().unwrap());
        let f64_at = |i: usize| f64::from_le_bytes(chunk[i..i + 8].try_into().unwrap());
        let e = Entry {
            id: u64::from_le_bytes(chunk[0..8].try_into().unwrap()),
            xy: [f64_at(8), f64_at(16)],
            number: u32_at(24),
            postcode: chunk[28..34].try_into().unwrap(),
            suffix: chunk[34..39].try_into().unwrap(),
            letter: chunk[39] & 1 != 0,
            dwelling: chunk[39] & 2 != 0,
            street: u32_at(40),
            place: u32_at(44),
        };
        if e.street as usize >= n_names || e.place as usize >= n_names {
            return None;
        }
        entries.push(e);
    }
    let order = order
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    Some((layers, AddressIndex::from_parts(names, entries, order)?))
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
