//! Reading vector layers with GDAL: GeoPackage, GeoJSON, Shapefile, FlatGeobuf and CSV with x/y
//! columns, reprojected to the compute CRS.
//!
//! GDAL datasets are `Send` but not `Sync`, so each layer is read on the thread that calls its
//! reader (which may spread the decoding over rayon, as `stream` and `fgb` do); the engine then
//! runs rayon over plain `geo` data.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use gdal::cpl::CslStringList;
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use gdal::vector::{FieldValue, LayerAccess, OGRwkbGeometryType};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};

use super::digest::FileDigest;
use super::error::InputError;
use super::fgb;
use super::gdal_env::{self, GdalMessage};
use super::geojson_check;
use super::stream;

/// The GDAL drivers wijkbalans reads with: GeoPackage, GeoJSON, Shapefile, FlatGeobuf and CSV.
/// No other driver is tried, so no format that refers to other (possibly remote) datasets, such
/// as VRT or WFS, is ever opened.
pub const DRIVERS: &[&str] = &["GPKG", "GeoJSON", "ESRI Shapefile", "FlatGeobuf", "CSV"];

/// What a layer is used for; decides the flag names in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Neighbourhood polygons with statistics.
    Areas,
    /// Dwelling points or building polygons.
    Dwellings,
    /// Care-housing sites.
    Sites,
    /// Facilities (shops, GP, …).
    Facilities,
    /// Candidate locations for a site search.
    Candidates,
    /// A walking network (lines).
    Network,
}

impl Role {
    /// The command-line flag that names the file.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Areas => "--areas",
            Self::Dwellings => "--dwellings",
            Self::Sites => "--sites",
            Self::Facilities => "--facilities",
            Self::Candidates => "--candidates",
            Self::Network => "--network",
        }
    }

    /// The id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Areas => "areas",
            Self::Dwellings => "dwellings",
            Self::Sites => "sites",
            Self::Facilities => "facilities",
            Self::Candidates => "candidates",
            Self::Network => "network",
        }
    }
}

/// Where to read a layer from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// File path.
    pub path: PathBuf,
    /// Layer name, needed when the file has several layers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// CRS to assume when the file declares none (CSV, a Shapefile without .prj), e.g.
    /// `EPSG:28992`. A file that declares a CRS keeps its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
}

impl LayerSpec {
    /// A spec for a path with no layer or CRS given.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            layer: None,
            crs: None,
        }
    }
}

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
            Attr::Number(v) => super::write::number(*v),
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
    /// [`super::digest`]).
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

/// Refuse anything that would make GDAL reach the network: the tool never does.
fn refuse_remote(path: &Path) -> Result<(), InputError> {
    let s = path.to_string_lossy().to_ascii_lowercase();
    let remote = [
        "/vsicurl",
        "/vsis3",
        "/vsigs",
        "/vsiaz",
        "/vsioss",
        "/vsiswift",
        "/vsihdfs",
    ];
    if s.contains("://") || remote.iter().any(|r| s.starts_with(r)) {
        return Err(InputError::file(
            path,
            "remote inputs are not read: wijkbalans never opens a network connection",
            "download the file first and pass its local path",
        ));
    }
    Ok(())
}

/// Parse a CRS given as `EPSG:nnnn` (or anything GDAL's SetFromUserInput accepts).
pub fn parse_crs(text: &str) -> Result<SpatialRef, String> {
    gdal_env::offline();
    let (srs, messages) = gdal_env::capturing(|| SpatialRef::from_definition(text));
    if messages
        .iter()
        .any(|m| m.text.starts_with(gdal_env::REFUSED))
    {
        return Err(format!(
            "the CRS '{text}' would have to be fetched from the network, which wijkbalans never does; use e.g. EPSG:28992"
        ));
    }
    let mut srs =
        srs.map_err(|e| format!("'{text}' is not a CRS GDAL knows ({e}); use e.g. EPSG:28992"))?;
    srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(srs)
}

/// Transform one point from `from` to `to` (both as accepted by [`parse_crs`]), checking that
/// the input is plausible for `from` (degrees for a geographic CRS, metres for a projected one).
///
/// `declare` says how the user gives the point's CRS, with `{}` for the code, e.g.
/// `--at-crs {}`; it makes the fix in the message.
pub fn transform_point(
    from: &str,
    to: &str,
    p: [f64; 2],
    declare: &str,
) -> Result<[f64; 2], String> {
    let src = parse_crs(from)?;
    let degrees = p[0].abs() <= 180.0 && p[1].abs() <= 90.0;
    if src.is_geographic() && !degrees {
        return Err(format!(
            "({}, {}) are not lon/lat degrees, yet the CRS is {from}; for RD coordinates give {}",
            p[0],
            p[1],
            declare.replace("{}", "EPSG:28992")
        ));
    }
    if !src.is_geographic() && degrees {
        return Err(format!(
            "({}, {}) look like lon/lat degrees, yet the CRS is {from} (metres); give {}",
            p[0],
            p[1],
            declare.replace("{}", "EPSG:4326")
        ));
    }
    if crs_name(&src) == crs_name(&parse_crs(to)?) {
        return Ok(p);
    }
    let dst = parse_crs(to)?;
    let t = CoordTransform::new(&src, &dst)
        .map_err(|e| format!("cannot transform {from} to {to}: {e}"))?;
    let (mut x, mut y) = ([p[0]], [p[1]]);
    t.transform_coords(&mut x, &mut y, &mut [])
        .map_err(|e| format!("cannot transform ({}, {}) from {from}: {e}", p[0], p[1]))?;
    Ok([x[0], y[0]])
}

/// A short name of a CRS: `EPSG:28992` when identifiable.
pub fn crs_name(srs: &SpatialRef) -> String {
    match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => format!("{a}:{c}"),
        _ => srs.name().unwrap_or_else(|| "unknown CRS".to_string()),
    }
}

/// A whole file mapped into memory, read-only and private.
///
/// The large inputs (the national dwellings file is 1 GB) are read twice, once for their
/// SHA-256 and once for their features; reading them through `read` copied every byte out of
/// the page cache both times (`BENCHMARKS.md`). A map reads the cached pages in place, and the
/// readers release the pages behind them ([`Mapped::release_before`]), so the resident size
/// stays that of the part being read, not of the file. The price of every mapped file: a
/// file that another program truncates while wijkbalans reads it ends the run with a bus error
/// instead of a message (wijkbalans itself never writes its inputs; ROBUSTNESS.md). Every read
/// of the bytes is bounds-checked against the length mapped, so a file changed in place gives
/// wrong values or an error, never a read outside the map.
pub(super) struct Mapped {
    map: memmap2::Mmap,
}

impl Mapped {
    pub(super) fn open(path: &Path) -> std::io::Result<Self> {
        let file = File::open(path)?;
        // SAFETY: the map is read-only and private, and its bytes are only read through
        // bounds-checked slices; a file changed by another program during the run is the
        // caveat above.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        Ok(Mapped { map })
    }

    /// The file's bytes (as long as the file was when it was mapped).
    pub(super) fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Let go of the pages wholly before byte `end`: they leave the process's resident set
    /// (the page cache keeps them). Reading them again is still correct, only slower.
    pub(super) fn release_before(&self, end: usize) {
        const PAGE: usize = 4096;
        let end = end.min(self.map.len()) / PAGE * PAGE;
        if end == 0 {
            return;
        }
        // SAFETY: MADV_DONTNEED on a read-only private file mapping that was never written
        // drops only the page-table entries; a later read maps the same file page again, so
        // no byte seen through the map changes. A failure only leaves the pages resident.
        #[cfg(unix)]
        let _ = unsafe {
            self.map
                .unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, end)
        };
    }
}

/// Open the file and choose the layer, with clear messages for every way this fails.
fn open(spec: &LayerSpec, role: Role) -> Result<Dataset, InputError> {
    let path = &spec.path;
    refuse_remote(path)?;
    gdal_env::offline();
    let meta = std::fs::metadata(path).map_err(|_| {
        InputError::file(
            path,
            "file not found",
            format!("check the path given to {} (or in the config)", role.flag()),
        )
    })?;
    if meta.is_dir() {
        return Err(InputError::file(
            path,
            "is a directory, not a file",
            format!(
                "pass a GeoPackage, GeoJSON, Shapefile, FlatGeobuf or CSV file to {}",
                role.flag()
            ),
        ));
    }
    if meta.len() == 0 {
        return Err(InputError::file(
            path,
            "the file is empty (0 bytes)",
            "export the layer again",
        ));
    }
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        check_csv_header(path)?;
    }
    let x_names = format!("X_POSSIBLE_NAMES={}", CSV_X_NAMES.join(","));
    let y_names = format!("Y_POSSIBLE_NAMES={}", CSV_Y_NAMES.join(","));
    let csv_options = [
        x_names.as_str(),
        y_names.as_str(),
        "KEEP_GEOM_COLUMNS=NO",
        "AUTODETECT_TYPE=YES",
    ];
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
        allowed_drivers: Some(DRIVERS),
        open_options: is_csv.then_some(&csv_options[..]),
        ..Default::default()
    };
    let (opened, messages) = gdal_env::capturing(|| Dataset::open_ex(path, options));
    match opened {
        Ok(ds) => {
            // Passed on to the caller's capture (see `read_layer`).
            gdal_env::reemit(&messages);
            Ok(ds)
        }
        Err(_) => Err(unreadable(path, &messages)),
    }
}

/// Column names of a CSV's x coordinate (or longitude), matched without regard to case.
pub const CSV_X_NAMES: &[&str] = &["x", "lon", "longitude", "lng", "rd_x", "x_rd", "xcoord"];
/// Column names of a CSV's y coordinate (or latitude).
pub const CSV_Y_NAMES: &[&str] = &["y", "lat", "latitude", "rd_y", "y_rd", "ycoord"];

/// A CSV header with two columns for the same coordinate (`x` twice, or `x` and `lon`) is
/// ambiguous, and GDAL 3.6's CSV driver crashes on some of them when it drops the coordinate
/// columns (a segmentation fault on `x,x,y`; fuzz/regressions/csv/). Refuse it before GDAL
/// reads the file.
fn check_csv_header(path: &Path) -> Result<(), InputError> {
    let mut head = Vec::new();
    let read = File::open(path).and_then(|f| f.take(1 << 16).read_to_end(&mut head));
    if read.is_err() {
        return Ok(()); // GDAL reports an unreadable file
    }
    let head = String::from_utf8_lossy(&head);
    let line = head
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    let columns = csv_header_cells(line);
    for (axis, names) in [("x", CSV_X_NAMES), ("y", CSV_Y_NAMES)] {
        let found: Vec<&str> = columns
            .iter()
            .filter(|c| names.iter().any(|n| n.eq_ignore_ascii_case(c)))
            .map(String::as_str)
            .collect();
        if found.len() > 1 {
            return Err(InputError::file(
                path,
                format!(
                    "the header has {} columns for the {axis} coordinate ({})",
                    found.len(),
                    found.join(", ")
                ),
                "keep one of them, or rename the others",
            ));
        }
    }
    Ok(())
}

/// The cells of a CSV header line, split like GDAL does: on the first of `,`, `;` or tab found
/// outside quotes (a comma when they are mixed), else on spaces; quotes and blanks trimmed.
fn csv_header_cells(line: &str) -> Vec<String> {
    let mut in_quotes = false;
    let mut separator = None;
    let mut mixed = false;
    for c in line.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' | ';' | '\t' if !in_quotes => match separator {
                None => separator = Some(c),
                Some(s) if s != c => mixed = true,
                Some(_) => {}
            },
            _ => {}
        }
    }
    let separator = match (separator, mixed) {
        (_, true) => ',',
        (Some(s), false) => s,
        (None, false) if line.contains(' ') => ' ',
        (None, false) => ',',
    };
    let mut cells = vec![String::new()];
    let mut in_quotes = false;
    for c in line.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            c if c == separator && !in_quotes => cells.push(String::new()),
            c => cells.last_mut().expect("one cell at least").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The error for a file GDAL cannot open with any of [`DRIVERS`]: what is wrong with the JSON,
/// or the format GDAL recognises, or GDAL's own messages.
fn unreadable(path: &Path, messages: &[GdalMessage]) -> InputError {
    let formats = "a GeoPackage, GeoJSON, Shapefile, FlatGeobuf or CSV file";
    let mut head = [0u8; 64];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    if geojson_check::looks_like_json(path, &head[..n]) {
        if let Some((problem, fix)) = geojson_check::unreadable(path) {
            return InputError::file(path, problem, fix);
        }
    }
    if let Some(driver) = identify(path) {
        return InputError::file(
            path,
            format!("GDAL recognises the file as {driver}, which wijkbalans does not read"),
            format!(
                "convert it to {formats}, e.g. ogr2ogr -f GPKG out.gpkg {}",
                path.display()
            ),
        );
    }
    let said: Vec<&str> = messages
        .iter()
        .filter(|m| m.is_problem())
        .map(|m| m.text.as_str())
        .collect();
    let problem = if said.is_empty() {
        format!("GDAL cannot read it as {formats}")
    } else {
        format!(
            "GDAL cannot read it as {formats} (GDAL: {})",
            said.join("; ")
        )
    };
    InputError::file(
        path,
        problem,
        "check that the file is complete and has the right extension, or export it again",
    )
}

/// The long name of the driver GDAL would open the file with if every driver were allowed.
/// Identification only looks at the name and the first bytes; nothing is opened.
fn identify(path: &Path) -> Option<String> {
    let c_path = std::ffi::CString::new(path.to_str()?).ok()?;
    let (driver, _) = gdal_env::capturing(|| {
        // SAFETY: a valid C string; GDAL returns a borrowed driver handle or NULL.
        unsafe {
            gdal_sys::GDALIdentifyDriverEx(
                c_path.as_ptr(),
                GdalOpenFlags::GDAL_OF_VECTOR.bits(),
                std::ptr::null(),
                std::ptr::null(),
            )
        }
    });
    if driver.is_null() {
        return None;
    }
    let text = |p: *const std::os::raw::c_char| {
        // SAFETY: checked for NULL; a NUL-terminated string owned by the driver.
        (!p.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy())
    };
    // SAFETY: a live driver handle; GDAL owns the returned strings.
    let (short, long) = unsafe {
        (
            gdal_sys::GDALGetDriverShortName(driver),
            gdal_sys::GDALGetDriverLongName(driver),
        )
    };
    if DRIVERS.iter().any(|d| text(short).is_some_and(|s| s == *d)) {
        return None;
    }
    text(long).map(|l| l.into_owned())
}

fn layer_names(ds: &Dataset) -> Vec<String> {
    ds.layers().map(|l| l.name()).collect()
}

/// The chosen layer of an opened dataset, with its CRS handling decided.
struct Prepared {
    layer_index: usize,
    layer_name: String,
    fields: Vec<String>,
    source_crs: String,
    transform: Option<CoordTransform>,
    source_geographic: bool,
    rd_target: bool,
}

/// Choose the layer and decide how its coordinates reach the compute CRS, with a clear message
/// for every way this fails.
fn prepare(
    ds: &Dataset,
    spec: &LayerSpec,
    role: Role,
    opts: &ReadOptions,
) -> Result<Prepared, InputError> {
    let path = &spec.path;
    let names = layer_names(ds);
    let flag = format!("{}-layer", role.flag());
    let layer = match &spec.layer {
        Some(name) => ds.layer_by_name(name).map_err(|_| {
            InputError::file(
                path,
                format!("there is no layer '{name}' (layers: {})", names.join(", ")),
                format!("pass {flag} with one of these"),
            )
        })?,
        None if names.len() == 1 => ds
            .layer(0)
            .map_err(|e| InputError::file(path, format!("cannot open its layer ({e})"), ""))?,
        None if names.is_empty() => {
            return Err(InputError::file(
                path,
                "the file has no vector layer",
                "export the data as a vector layer",
            ))
        }
        None => {
            return Err(InputError::file(
                path,
                format!("the file has {} layers ({})", names.len(), names.join(", ")),
                format!("choose one with {flag} NAME"),
            ))
        }
    };
    let layer_name = layer.name();
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let in_layer = |e: InputError| e.in_layer(&layer_name);

    if layer.defn().geometry_type() == OGRwkbGeometryType::wkbNone {
        let problem = if spec
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            format!(
                "the CSV has no coordinate columns (columns: {})",
                fields.join(", ")
            )
        } else {
            "the layer has no geometry".to_string()
        };
        return Err(in_layer(InputError::file(
            path,
            problem,
            "give the coordinates as columns named x and y (or lon and lat)",
        )));
    }

    // Source CRS: the file's own, else the spec's, else an error.
    let source = match layer.spatial_ref() {
        Some(mut s) => {
            s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            s
        }
        None => match &spec.crs {
            Some(text) => parse_crs(text).map_err(|m| {
                in_layer(InputError::file(
                    path,
                    m,
                    format!(
                        "fix {}-crs, or the crs of this layer in the config",
                        role.flag()
                    ),
                ))
            })?,
            None => {
                return Err(in_layer(InputError::file(
                    path,
                    "the layer declares no CRS",
                    format!(
                    "pass {}-crs EPSG:28992 (RD New) or EPSG:4326 (lon/lat), or add a .prj file",
                    role.flag()
                ),
                )))
            }
        },
    };
    let source_crs = crs_name(&source);
    let target =
        parse_crs(&opts.compute_crs).map_err(|m| InputError::file(path, m, "fix --crs"))?;
    if !target.is_projected() {
        return Err(InputError::file(
            path,
            format!(
                "the compute CRS {} is in degrees; distances and densities need metres",
                opts.compute_crs
            ),
            "pass --crs with a projected CRS such as EPSG:28992",
        ));
    }
    let same = source_crs == crs_name(&target);
    let transform = if same {
        None
    } else {
        Some(CoordTransform::new(&source, &target).map_err(|e| {
            in_layer(InputError::file(
                path,
                format!(
                    "cannot transform {source_crs} to {} ({e})",
                    opts.compute_crs
                ),
                "",
            ))
        })?)
    };
    let source_geographic = source.is_geographic();
    let rd_target = crs_name(&target) == "EPSG:28992";
    let layer_index = names.iter().position(|n| *n == layer_name).unwrap_or(0);
    Ok(Prepared {
        layer_index,
        layer_name,
        fields,
        source_crs,
        transform,
        source_geographic,
        rd_target,
    })
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
pub fn read_layer(
    spec: &LayerSpec,
    role: Role,
    opts: &ReadOptions,
    keep_fields: Option<&[&str]>,
) -> Result<RawLayer, InputError> {
    let (read, messages) = gdal_env::capturing(|| read_layer_inner(spec, role, opts, keep_fields));
    if let Some(m) = messages
        .iter()
        .find(|m| m.text.starts_with(gdal_env::REFUSED))
    {
        return Err(remote_reference(&spec.path, &m.text));
    }
    let mut raw = read?;
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

/// The warnings among GDAL's messages. In a layer GDAL did read, its errors are about a
/// geometry it could not build ("Invalid Polygon object. Missing 'coordinates' member.") and
/// left empty; printing them would put GDAL's line before the one error wijkbalans gives for
/// that feature.
fn warnings_only(mut messages: Vec<GdalMessage>) -> Vec<GdalMessage> {
    messages.retain(|m| m.class == gdal_sys::CPLErr::CE_Warning);
    messages
}

/// The error for a file that refers to a remote resource (a GeoJSON `crs` link).
fn remote_reference(path: &Path, message: &str) -> InputError {
    let url = message.trim_start_matches(gdal_env::REFUSED);
    InputError::file(
        path,
        format!("the file refers to {url}, which is not fetched: wijkbalans never opens a network connection"),
        "declare the CRS in the file itself (a GeoJSON crs member with name urn:ogc:def:crs:EPSG::28992, or none for lon/lat)",
    )
}

/// GDAL closed a polygon ring that did not end where it started. Without `repair` that is the
/// feature's error; with it, the feature is listed as repaired.
fn unclosed_ring(raw: &mut RawLayer, opts: &ReadOptions) -> Result<(), InputError> {
    let fix = "make the last position of every ring repeat the first (RFC 7946), or pass --repair-geometry to close the rings";
    let Some((index, problem)) = geojson_check::unclosed_ring(&raw.spec.path) else {
        if opts.repair {
            return Ok(());
        }
        return Err(raw.error("a polygon ring is not closed", fix));
    };
    if opts.repair {
        if let Err(i) = raw.repaired.binary_search(&index) {
            raw.repaired.insert(i, index);
        }
        return Ok(());
    }
    Err(raw.error(problem, fix).at_feature(index))
}

fn read_layer_inner(
    spec: &LayerSpec,
    role: Role,
    opts: &ReadOptions,
    keep_fields: Option<&[&str]>,
) -> Result<RawLayer, InputError> {
    let ds = open(spec, role)?;
    let path = &spec.path;
    let Prepared {
        layer_index,
        layer_name,
        fields,
        source_crs,
        transform,
        source_geographic,
        rd_target,
    } = prepare(&ds, spec, role, opts)?;
    let mut layer = ds
        .layer(layer_index)
        .map_err(|e| InputError::file(path, format!("cannot open its layer ({e})"), ""))?;
    let in_layer = |e: InputError| e.in_layer(&layer_name);

    let boolean: Vec<bool> = (0..fields.len())
        .map(|i| field_is_boolean(layer.defn(), i))
        .collect();
    let types: Vec<_> = layer.defn().fields().map(|f| f.field_type()).collect();
    let keep: Vec<bool> = fields
        .iter()
        .map(|f| keep_fields.is_none_or(|k| k.iter().any(|w| w.eq_ignore_ascii_case(f))))
        .collect();
    let mut features = Vec::with_capacity(layer.feature_count() as usize);
    let mut repaired = Vec::new();
    for (index, feature) in layer.features().enumerate() {
        let at = |problem: String, fix: &str| {
            in_layer(InputError::file(path, problem, fix)).at_feature(index)
        };
        let mut attrs = Vec::with_capacity(fields.len());
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
                            "the value is a list, not a single value".to_string(),
                            "give one value per field",
                        )
                        .in_field(&fields[fi]))
                    }
                });
                continue;
            }
            let v = feature.field(fi).map_err(|e| {
                at(
                    format!("cannot read the value ({e})"),
                    "check the text encoding is UTF-8",
                )
                .in_field(&fields[fi])
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
                            .map_err(|p| at(p, NOT_UTF8_FIX).in_field(&fields[fi]))?;
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
                        "the value is a list, not a single value".to_string(),
                        "give one value per field",
                    )
                    .in_field(&fields[fi]))
                }
                Some(FieldValue::DateValue(d)) => Attr::Text(d.to_string()),
                Some(FieldValue::DateTimeValue(d)) => Attr::Text(d.to_string()),
            });
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
                check_coordinates(&g, source_geographic, &source_crs)
                    .map_err(|(p, f)| at(p, &f))?;
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
                            format!("GEOS MakeValid could not repair the polygon ({e})"),
                            "fix it in QGIS",
                        )
                    })?;
                    repaired.push(index);
                }
                if let Some(t) = &transform {
                    g.transform_inplace(t).map_err(|e| {
                        at(
                            format!("cannot transform from {source_crs} ({e})"),
                            "check the CRS the file declares",
                        )
                    })?;
                }
                let geo = g.to_geo().map_err(|e| {
                    at(
                        format!("unsupported geometry ({e})"),
                        "export simple features",
                    )
                })?;
                if rd_target {
                    check_in_netherlands(&geo).map_err(|p| {
                        at(
                            p,
                            "check the CRS the file declares; this tool works on Dutch data in RD New",
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
    if features.is_empty() && role != Role::Facilities {
        return Err(in_layer(InputError::file(
            path,
            "the layer has no features",
            "check the export or pass another layer",
        )));
    }
    let blake3 = FileDigest::now(path)?;
    Ok(RawLayer {
        role,
        spec: spec.clone(),
        layer_name,
        fields,
        features,
        source_crs,
        blake3,
        repaired,
    })
}

/// Whether field `i` of the feature has a value (set and not null).
fn field_is_set(feature: &gdal::vector::Feature, i: usize) -> bool {
    // SAFETY: `feature` is a live feature and `i` one of its field indices.
    unsafe {
        gdal_sys::OGR_F_IsFieldSetAndNotNull(feature.c_feature(), i as std::os::raw::c_int) != 0
    }
}

/// The numbers of an integer, 64-bit integer or real list field (`None` for other types), read
/// here because the `gdal` crate builds a slice from the null pointer GDAL returns for an empty
/// list, which is undefined behaviour (and a panic in a debug build).
fn number_list(
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

const NOT_UTF8_FIX: &str =
    "save the file with UTF-8 encoding (QGIS: Export > Save Features As…, Encoding UTF-8)";

/// Fails when the raw text of field `i` is not UTF-8 (the `gdal` crate replaces such bytes with
/// U+FFFD, which would silently change names and codes).
fn check_utf8(feature: &gdal::vector::Feature, i: usize) -> Result<(), String> {
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
fn not_utf8(raw: &[u8], at: usize) -> String {
    let before = String::from_utf8_lossy(&raw[at.saturating_sub(24)..at]);
    format!(
        "the text is not valid UTF-8: byte 0x{:02X} after '{before}' (the file is probably in Latin-1 or Windows-1252)",
        raw[at]
    )
}

/// Whether field `i` is an integer with GDAL's boolean subtype (JSON `true`/`false`, GeoPackage
/// BOOLEAN). Written with `gdal-sys` because the `gdal` crate does not expose field subtypes;
/// without it booleans would be passed through as 0/1.
fn field_is_boolean(defn: &gdal::vector::Defn, i: usize) -> bool {
    // SAFETY: `defn` is a live feature definition owned by the open layer, and `i` is below its
    // field count (the caller iterates over the layer's fields); OGR returns a borrowed handle.
    unsafe {
        let fd = gdal_sys::OGR_FD_GetFieldDefn(defn.c_defn(), i as std::os::raw::c_int);
        !fd.is_null() && gdal_sys::OGR_Fld_GetSubType(fd) == gdal_sys::OGRFieldSubType::OFSTBoolean
    }
}

/// Catch coordinates in the wrong unit before they are measured: lon/lat declared as metres,
/// metres declared as degrees, NaN or infinite values.
fn check_coordinates(
    g: &gdal::vector::Geometry,
    source_geographic: bool,
    source_crs: &str,
) -> Result<(), (String, String)> {
    let e = g.envelope();
    // The envelope skips NaN, so every coordinate is looked at.
    if !all_finite(g) {
        return Err((
            "a coordinate is NaN or infinite".to_string(),
            "fix or remove the feature".to_string(),
        ));
    }
    let within_degrees = e.MinX >= -180.0 && e.MaxX <= 180.0 && e.MinY >= -90.0 && e.MaxY <= 90.0;
    if source_geographic && !within_degrees {
        return Err((
            format!(
                "coordinates ({:.0}, {:.0}) are not degrees, yet the layer's CRS is {source_crs} (lon/lat; a GeoJSON file without a crs member is lon/lat by RFC 7946)",
                e.MinX, e.MinY
            ),
            "they look like metres: declare the right CRS in the file (for RD New add a crs member with EPSG:28992, or re-export from QGIS)"
                .to_string(),
        ));
    }
    if !source_geographic && within_degrees {
        return Err((
            format!(
                "coordinates ({}, {}) look like lon/lat degrees, yet the file declares {source_crs} (metres)",
                e.MinX, e.MinY
            ),
            "declare EPSG:4326 in the file (or for a CSV pass the layer's crs as EPSG:4326)"
                .to_string(),
        ));
    }
    Ok(())
}

/// True when every coordinate of the geometry is finite.
fn all_finite(g: &gdal::vector::Geometry) -> bool {
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
/// [289,000, 629,000] (EPSG area of use plus the sea). Anything else is a wrong CRS.
fn check_in_netherlands(g: &geo::Geometry<f64>) -> Result<(), String> {
    use geo::BoundingRect;
    if let Some(r) = g.bounding_rect() {
        let ok = r.min().x >= -50_000.0
            && r.max().x <= 350_000.0
            && r.min().y >= 250_000.0
            && r.max().y <= 700_000.0;
        if !ok {
            return Err(format!(
                "coordinates ({:.0}, {:.0}) in RD New lie far outside the Netherlands",
                r.min().x,
                r.min().y
            ));
        }
    }
    Ok(())
}

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
    role: Role,
    opts: &ReadOptions,
    attribute_fields: &[&str],
    parse: impl Fn(Option<&str>) -> A + Sync,
) -> Result<PointLayer<A>, InputError> {
    let (read, messages) =
        gdal_env::capturing(|| read_points_inner(spec, role, opts, attribute_fields, &parse));
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

fn read_points_inner<A: Send>(
    spec: &LayerSpec,
    role: Role,
    opts: &ReadOptions,
    attribute_fields: &[&str],
    parse: &(dyn Fn(Option<&str>) -> A + Sync),
) -> Result<PointLayer<A>, InputError> {
    let ds = open(spec, role)?;
    let path = &spec.path;
    // Hashed in the background (idle class), waited for when run.json is rendered.
    let blake3 = FileDigest::in_background(path);
    let p = prepare(&ds, spec, role, opts)?;
    let mut layer = ds
        .layer(p.layer_index)
        .map_err(|e| InputError::file(path, format!("cannot open its layer ({e})"), ""))?;
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
                    "the field holds {} values, not one text or number per dwelling",
                    gdal::vector::field_type_to_name(t)
                ),
                "give one value per dwelling (koop, huur, corporatie), or rename the column so it is not read",
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
                return Err("a coordinate is NaN or infinite".to_string());
            }
            let degrees = xy[0].abs() <= 180.0 && xy[1].abs() <= 90.0;
            if p.source_geographic != degrees {
                return Err(if degrees {
                    format!(
                        "coordinates ({}, {}) look like lon/lat degrees, yet the layer's CRS is {} (metres)",
                        xy[0], xy[1], p.source_crs
                    )
                } else {
                    format!(
                        "coordinates ({:.0}, {:.0}) are not degrees, yet the layer's CRS is {} (lon/lat)",
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
            stream::for_each_point(&mut layer, attr_name, |i, located, value| {
                each(map(i, located, value))
            })
        }
    };
    let features = streamed.map_err(|e| match e {
        stream::StreamError::Each(e) => e,
        stream::StreamError::Read(m) => InputError::file(
            path,
            format!("cannot read the features ({m})"),
            "check the file opens in QGIS or with ogrinfo; convert it to GeoPackage or FlatGeobuf",
        )
        .in_layer(&p.layer_name),
    })?;
    if features == 0 {
        return Err(InputError::file(
            path,
            "the layer has no features",
            "check the export or pass another layer",
        )
        .in_layer(&p.layer_name));
    }
    if let Some(t) = &p.transform {
        for chunk in coords.chunks_mut(1 << 20) {
            let mut x: Vec<f64> = chunk.iter().map(|c| c[0]).collect();
            let mut y: Vec<f64> = chunk.iter().map(|c| c[1]).collect();
            t.transform_coords(&mut x, &mut y, &mut []).map_err(|e| {
                InputError::file(
                    path,
                    format!("cannot transform from {} ({e})", p.source_crs),
                    "check the CRS the file declares",
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
                    far.push(SkippedFeature {
                        feature: crate::model::feature_of(&before, pos),
                        problem: format!(
                            "coordinates ({:.0}, {:.0}) in RD New lie far outside the Netherlands",
                            c[0], c[1]
                        ),
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
                "{} ({} of {} features are broken; more than {} % means the file is wrong, not a few features)",
                first.problem,
                skipped.len(),
                features,
                MAX_SKIPPED_SHARE * 100.0
            ),
            "check the CRS the file declares and that this is the right layer; fix or remove the broken features",
        ));
    }
    Ok(PointLayer {
        header: RawLayer {
            role,
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

#[cfg(test)]
mod tests {
    use super::*;

    const RD: &str = r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}}"#;

    /// A GeoJSON file in RD New with one feature per (properties, geometry) pair.
    fn geojson(features: &[(&str, &str)]) -> tempfile::NamedTempFile {
        let body: Vec<String> = features
            .iter()
            .map(|(p, g)| format!(r#"{{"type":"Feature","properties":{p},"geometry":{g}}}"#))
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","name":"t",{RD},"features":[{}]}}"#,
            body.join(",")
        );
        temp_file(".geojson", text.as_bytes())
    }

    #[test]
    fn released_pages_read_back_the_same_bytes() {
        let bytes: Vec<u8> = (0..50_000u32).map(|i| (i % 253) as u8).collect();
        let f = temp_file(".bin", &bytes);
        let map = Mapped::open(f.path()).unwrap();
        assert_eq!(map.bytes(), &bytes[..]);
        map.release_before(30_000);
        map.release_before(usize::MAX);
        assert_eq!(map.bytes(), &bytes[..]);
    }

    /// A temporary file with this suffix (which chooses GDAL's driver) and content.
    fn temp_file(suffix: &str, bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
        std::io::Write::write_all(&mut f, bytes).unwrap();
        f
    }

    /// CSV text read as a sites layer in RD New.
    fn read_rd_csv(bytes: &[u8]) -> Result<RawLayer, InputError> {
        let f = temp_file(".csv", bytes);
        let mut spec = LayerSpec::new(f.path());
        spec.crs = Some("EPSG:28992".into());
        let opts = ReadOptions {
            compute_crs: "EPSG:28992".into(),
            repair: false,
        };
        read_layer(&spec, Role::Sites, &opts, None)
    }

    fn read(f: &tempfile::NamedTempFile, repair: bool) -> Result<RawLayer, InputError> {
        let opts = ReadOptions {
            compute_crs: "EPSG:28992".into(),
            repair,
        };
        read_layer(&LayerSpec::new(f.path()), Role::Areas, &opts, None)
    }

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[200000,500000],[201000,500000],[201000,501000],[200000,501000],[200000,500000]]]}"#;

    #[test]
    fn an_unclosed_ring_is_named_or_closed_with_repair() {
        let open = r#"{"type":"Polygon","coordinates":[[[201000,500000],[202000,500000],[202000,501000],[201000,501000]]]}"#;
        let f = geojson(&[("{}", SQUARE), ("{}", open)]);
        let e = read(&f, false).unwrap_err();
        assert_eq!(e.feature, Some(1));
        assert!(e.problem.starts_with("the outer ring is not closed"), "{e}");
        assert_eq!(read(&f, true).unwrap().repaired, vec![1]);
    }

    #[test]
    fn a_property_a_feature_lacks_is_null_not_zero() {
        // fuzz/regressions/geojson/crash-f55b884c…: a list property that one feature lacks
        // made the gdal crate build a slice from a null pointer (an abort in a debug build);
        // a number property that one feature lacks was read as 0.
        // An empty list next to a list of one number: GDAL returns it as a null pointer.
        let f = geojson(&[(r#"{"l":[7]}"#, SQUARE), (r#"{"l":[]}"#, SQUARE)]);
        let e = read(&f, false).unwrap_err();
        assert_eq!((e.feature, e.field.as_deref()), (Some(1), Some("l")));
        assert_eq!(e.problem, "the value is a list, not a single value");
        let f = geojson(&[(r#"{"n":12,"x":2.5,"l":[7]}"#, SQUARE), ("{}", SQUARE)]);
        let raw = read(&f, false).unwrap();
        assert_eq!(
            raw.features[0].attrs,
            [Attr::Number(12.0), Attr::Number(2.5), Attr::Number(7.0)]
        );
        assert_eq!(raw.features[1].attrs, [Attr::Null, Attr::Null, Attr::Null]);
    }

    #[test]
    fn two_columns_for_one_coordinate_are_refused_before_gdal_reads_them() {
        // fuzz/regressions/csv/crash-aedbcc98…: GDAL 3.6 crashed on a header with x twice.
        for (header, problem) in [
            (
                "x,x,y",
                "the header has 2 columns for the x coordinate (x, x)",
            ),
            (
                "name;LON;x;lat",
                "the header has 2 columns for the x coordinate (LON, x)",
            ),
            (
                "\"y\",a,\"Lat\",x",
                "the header has 2 columns for the y coordinate (y, Lat)",
            ),
        ] {
            let e = read_rd_csv(format!("{header}\n1,2,3,4\n").as_bytes()).unwrap_err();
            assert_eq!(e.problem, problem);
        }
        assert_eq!(csv_header_cells("a;\"b,c\";d"), ["a", "b,c", "d"]);
        assert_eq!(csv_header_cells("a b"), ["a", "b"]);
        assert_eq!(csv_header_cells("a,b;c"), ["a", "b;c"]);
    }

    #[test]
    fn text_that_is_not_utf8_names_the_feature_and_field() {
        let e =
            read_rd_csv(b"name,x,y\nDe Linde,200500,500500\nCaf\xe9,200600,500500\n").unwrap_err();
        assert_eq!((e.feature, e.field.as_deref()), (Some(1), Some("name")));
        assert!(e.problem.contains("byte 0xE9 after 'Caf'"), "{e}");
        // A real U+FFFD in UTF-8 text is text, not an encoding error.
        assert!(read_rd_csv("name,x,y\nCaf\u{FFFD},200500,500500\n".as_bytes()).is_ok());
    }

    #[test]
    fn nan_inside_a_polygon_is_named_as_such() {
        let nan = r#"{"type":"Polygon","coordinates":[[[200000,500000],[201000,500000],[NaN,501000],[200000,501000],[200000,500000]]]}"#;
        let e = read(&geojson(&[("{}", SQUARE), ("{}", nan)]), true).unwrap_err();
        assert_eq!(e.feature, Some(1));
        assert_eq!(e.problem, "a coordinate is NaN or infinite");
    }

    #[test]
    fn formats_outside_the_five_drivers_are_named_not_opened() {
        let f = temp_file(
            ".vrt",
            b"<OGRVRTDataSource><OGRVRTLayer name=\"w\"><SrcDataSource>/vsicurl/http://127.0.0.1:9/w.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
        );
        let e = read(&f, false).unwrap_err();
        assert!(e.problem.contains("as VRT"), "{e}");
        assert!(e.problem.contains("which wijkbalans does not read"), "{e}");
    }

    #[test]
    fn a_crs_link_is_an_error_not_a_download() {
        let text = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"link","properties":{{"href":"http://127.0.0.1:9/crs.wkt","type":"ogcwkt"}}}},"features":[{{"type":"Feature","properties":{{}},"geometry":{SQUARE}}}]}}"#
        );
        let f = temp_file(".geojson", text.as_bytes());
        let e = read(&f, false).unwrap_err();
        assert!(
            e.problem
                .starts_with("the file refers to http://127.0.0.1:9/crs.wkt, which is not fetched"),
            "{e}"
        );
    }
}
