//! Entry points for the fuzz targets in `fuzz/` and their stable regression test
//! (`tests/fuzz_corpus.rs`): each takes arbitrary bytes and runs them through the same readers
//! and parsers a user's file goes through. None may panic, hang or abort, whatever the bytes;
//! each also checks the invariants its reader promises for what it accepts.
//!
//! Not part of the supported API.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use crate::config::Config;
use crate::config::{LayerSpec, Role};
use crate::io::read::{self, ReadOptions};
use crate::io::{model, schema};
use crate::model::default_target_groups;
use crate::monitor::Opgave;
use crate::scenario::file::ScenarioFile;

/// The names of the targets, as in `fuzz/fuzz_targets/` and `fuzz/corpus/`.
pub const TARGETS: &[&str] = &[
    "geojson",
    "csv",
    "config",
    "scenario",
    "opgave",
    "columns",
    "flatgeobuf",
    "geopackage",
    "shapefile",
    "dbf",
    "address",
];

/// Run the target `name` on `data`. Panics on an unknown name.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "geojson" => geojson(data),
        "csv" => csv(data),
        "config" => config(data),
        "scenario" => scenario(data),
        "opgave" => opgave(data),
        "columns" => columns(data),
        "flatgeobuf" => flatgeobuf(data),
        "geopackage" => geopackage(data),
        "shapefile" => shapefile(data),
        "dbf" => dbf(data),
        "address" => address(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// The config parser: TOML → [`Config`] → validation; a valid config must serialise to TOML
/// (`wijkbalans config`) and JSON (`run.json`) and read back to the same config.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cfg) = Config::from_toml(text) else {
        return;
    };
    if cfg.validate().is_err() {
        return;
    }
    let toml = cfg.to_toml();
    let back = Config::from_toml(&toml).expect("a valid config reads back from its own TOML");
    assert!(back.validate().is_ok(), "{toml}");
    serde_json::to_string(&cfg).expect("a valid config serialises to JSON");
}

/// The scenario file parser.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(f) = ScenarioFile::from_toml(text) {
        assert!(!f.changes.is_empty());
        assert!(f.changes.iter().all(|c| c.units != Some(0)));
    }
}

/// The opgave parser, against the default target groups and data year 2022; an error's line
/// and column lie inside the text.
pub fn opgave(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let groups: Vec<String> = default_target_groups().into_iter().map(|g| g.id).collect();
    match Opgave::from_toml(text, &groups, 2022) {
        Ok(o) => {
            for t in &o.targets {
                assert!(
                    t.path.places > 0 && t.path.from <= t.path.to && t.path.to >= 2022,
                    "{t:?}"
                );
                assert!(groups.contains(&t.group));
            }
        }
        Err(e) => {
            let lines = text.split('\n').count();
            assert!(e.line >= 1 && e.line <= lines, "{e} in {lines} lines");
            assert!(e.column >= 1, "{e}");
        }
    }
}

/// The column-alias resolver: the first line holds the field names (comma separated), every
/// further line a `concept=column` override. Every resolved column is one of the fields, and
/// every suggestion too.
pub fn columns(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let fields: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect();
    let overrides: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    match schema::resolve(&fields, &overrides) {
        Ok(map) => {
            for column in map.values() {
                assert!(fields.contains(column), "{column} is not a field");
            }
        }
        Err(u) => {
            if let Some(s) = &u.suggestion {
                assert!(fields.contains(s), "suggestion {s} is not a field");
            }
        }
    }
    for c in crate::model::concepts::CONCEPTS {
        if let Some(s) = schema::closest_to_concept(c.id, &fields) {
            assert!(fields.contains(&s));
        }
    }
}

/// The GeoJSON reader: the bytes as a `.geojson` file, read as areas, sites, facilities,
/// candidates and dwellings; accepted areas are analysed.
pub fn geojson(data: &[u8]) {
    with_file(data, "geojson", |path| layer(path, None));
}

/// The CSV x/y reader: the bytes as a `.csv` file in RD New, read as every layer role.
pub fn csv(data: &[u8]) {
    with_file(data, "csv", |path| layer(path, Some("EPSG:28992")));
}

fn layer(path: &Path, crs: Option<&str>) {
    let mut spec = LayerSpec::new(path);
    spec.crs = crs.map(str::to_string);
    let mut opts = ReadOptions {
        compute_crs: "EPSG:28992".to_string(),
        repair: false,
    };
    let mut raw = read::read_layer(&spec, Role::Areas, &opts, None);
    if let Err(e) = &raw {
        if e.problem.starts_with("invalid polygon") {
            opts.repair = true;
            raw = read::read_layer(&spec, Role::Areas, &opts, None);
        }
    }
    if let Ok(raw) = raw {
        if let Ok(areas) = model::areas(&raw, &BTreeMap::new(), &BTreeMap::new()) {
            assert!(areas.areas.windows(2).all(|w| w[0].code < w[1].code));
            analyse(spec.clone(), opts.repair, areas);
        }
        if let Ok(sites) = model::sites(&raw, &default_target_groups()) {
            assert!(sites
                .iter()
                .all(|s| s.units > 0.0 && s.units.fract() == 0.0));
        }
        let _ = model::facilities(&raw, &crate::access::default_categories());
        let _ = model::candidates(&raw);
    }
    points(&spec, &opts);
}

/// The Shapefile attribute reader (target `dbf`): the bytes as the `.dbf` of the tiny town's three squares
/// (`fuzz/seeds/tiny_town.shp` and `.shx`, RD New), read as every layer role through GDAL with
/// the cells read again by `io::dbf`; the first byte chooses a `.cpg` (none, `UTF-8` or
/// `1252`). Every cell of a table `io::dbf` accepts lies inside the bytes.
pub fn dbf(data: &[u8]) {
    const SHP: &[u8] = include_bytes!("../fuzz/seeds/tiny_town.shp");
    const SHX: &[u8] = include_bytes!("../fuzz/seeds/tiny_town.shx");
    let Some((&choice, dbf)) = data.split_first() else {
        return;
    };
    if let Some(table) = crate::io::dbf::Dbf::from_bytes(dbf.to_vec()) {
        for record in 0..4 {
            for field in 0..table.fields.len() {
                if let Some(cell) = table.cell(record, field) {
                    let _ = crate::io::dbf::not_a_plain_number(cell);
                    let _ = crate::io::dbf::utf8_beyond_ascii(cell);
                }
            }
        }
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("wijken.shp");
    let write = |ext: &str, bytes: &[u8]| {
        std::fs::write(path.with_extension(ext), bytes).expect("the temporary file is written")
    };
    write("shp", SHP);
    write("shx", SHX);
    write("dbf", dbf);
    match choice % 3 {
        1 => write("cpg", b"UTF-8"),
        2 => write("cpg", b"1252"),
        _ => {}
    }
    layer(&path, Some("EPSG:28992"));
}

/// A FlatGeobuf file: as a dwellings file, a file of points (with a text tenure column) is
/// read by wijkbalans' own feature reader (`io::fgb`), any other by GDAL; and as every other
/// layer (areas, sites, facilities, candidates) through GDAL's FlatGeobuf driver.
pub fn flatgeobuf(data: &[u8]) {
    with_file(data, "fgb", |path| layer(path, Some("EPSG:28992")));
}

/// The GeoPackage reader (GDAL's driver over SQLite): the bytes as a `.gpkg` file, read as
/// every layer role; accepted areas are analysed.
pub fn geopackage(data: &[u8]) {
    with_file(data, "gpkg", |path| layer(path, None));
}

/// The Shapefile reader: the bytes are split into the three files of a Shapefile. The first
/// eight bytes are two little-endian lengths, of the `.shp` and of the `.shx` part (each cut
/// to what is left); the rest is the `.dbf`. There is no `.prj`: the layer is read as RD New.
/// A length of `u32::MAX` leaves that part out, so a missing `.shx` or `.dbf` is tried too.
pub fn shapefile(data: &[u8]) {
    let length = |at: usize| -> Option<usize> {
        let b = data.get(at..at + 4)?;
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        (n != u32::MAX).then_some(n as usize)
    };
    let (shp_len, shx_len) = (length(0), length(4));
    let mut rest = data.get(8..).unwrap_or(&[]);
    let mut take = |n: Option<usize>| -> Option<&[u8]> {
        let n = n?.min(rest.len());
        let (part, tail) = rest.split_at(n);
        rest = tail;
        Some(part)
    };
    let shp = take(shp_len).unwrap_or(&[]);
    let shx = take(shx_len);
    let dbf = (!rest.is_empty() || data.len() <= 8).then_some(rest);
    let dir = tempfile::Builder::new()
        .prefix("wijkbalans-fuzz-")
        .tempdir_in(fuzz_dir())
        .expect("a temporary folder");
    let shp_path = dir.path().join("wijken.shp");
    std::fs::write(&shp_path, shp).expect("the .shp is written");
    for (ext, part) in [("shx", shx), ("dbf", dbf)] {
        if let Some(bytes) = part {
            std::fs::write(shp_path.with_extension(ext), bytes).expect("a part is written");
        }
    }
    layer(&shp_path, Some("EPSG:28992"));
}

/// The dwellings reader: whatever it accepts has finite coordinates, and every feature is
/// either kept or listed.
fn points(spec: &LayerSpec, opts: &ReadOptions) {
    if let Ok(points) = read::read_points(
        spec,
        Role::Dwellings,
        opts,
        model::TENURE_FIELDS,
        model::parse_tenure,
    ) {
        // Broken features are left out and listed: kept + skipped = read.
        assert_eq!(points.coords.len() + points.skipped.len(), points.count);
        assert!(points
            .coords
            .iter()
            .all(|c| c[0].is_finite() && c[1].is_finite()));
    }
}

/// The whole analysis of accepted areas (no sites), with few permutations.
fn analyse(spec: LayerSpec, repair: bool, areas: crate::model::AreaSet) {
    let mut config = Config::for_areas(spec);
    config.repair_geometry = repair;
    config.spreading.permutations = 19;
    let config = config
        .validate()
        .expect("the defaults with 19 permutations are valid");
    let loaded = crate::pipeline::Loaded::from_areas(config, areas);
    let out = crate::pipeline::analyse(&loaded);
    assert_eq!(out.analysis.areas.len(), loaded.areas.len());
}

/// Where the fuzz targets write their files: memory (`/dev/shm`) where there is one.
fn fuzz_dir() -> std::path::PathBuf {
    if Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    }
}

/// Write `data` to a fresh temporary file with extension `ext` and call `f` with its path.
fn with_file(data: &[u8], ext: &str, f: impl FnOnce(&Path)) {
    let dir = fuzz_dir();
    let mut file = tempfile::Builder::new()
        .prefix("wijkbalans-fuzz-")
        .suffix(&format!(".{ext}"))
        .tempfile_in(dir)
        .expect("a temporary file");
    file.write_all(data).expect("the temporary file is written");
    file.flush().expect("the temporary file is flushed");
    f(file.path());
}

/// The address parser (`model::address::parse`): whatever it accepts has a huisnummer within
/// the BAG's range, a suffix of at most five uppercase letters or digits, and prints back
/// (`Display`) to a text that parses to the same query.
pub fn address(data: &[u8]) {
    use crate::model::address::{parse, MAX_NUMBER, MAX_SUFFIX};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(q) = parse(text) else {
        return;
    };
    assert!((1..=MAX_NUMBER).contains(&q.number), "{text:?}");
    assert!(q.suffix.len() <= MAX_SUFFIX, "{text:?}");
    let back = parse(&q.to_string()).unwrap_or_else(|e| panic!("{text:?} → {q} → {e}"));
    assert_eq!(back.number, q.number, "{text:?}");
}
