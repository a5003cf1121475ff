//! Opening a file: remote paths refused, the driver identified, the layer chosen and how its
//! coordinates reach the compute CRS decided, with a clear message for every way this fails.

use std::fs::File;
use std::io::Read as _;
use std::path::Path;

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform};
use gdal::vector::{LayerAccess, OGRwkbGeometryType};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};

use crate::config::{LayerSpec, Role};
use crate::error::{gdal_says, system_says, InputError};
use crate::io::crs::{crs_name, parse_crs, scale_in_the_netherlands, MAX_SCALE_ERROR};
use crate::io::gdal_env::{self, GdalMessage};
use crate::io::geojson_check;

use super::layer::ReadOptions;
use super::source::Source;

/// The GDAL drivers wijkbalans reads with: GeoPackage, GeoJSON, Shapefile, FlatGeobuf and CSV.
/// No other driver is tried, so no format that refers to other (possibly remote) datasets, such
/// as VRT or WFS, is ever opened.
pub const DRIVERS: &[&str] = &["GPKG", "GeoJSON", "ESRI Shapefile", "FlatGeobuf", "CSV"];

/// Refuse anything that would make GDAL reach the network: the tool never does.
pub(super) fn refuse_remote(path: &Path) -> Result<(), InputError> {
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
            "bestanden op afstand worden niet gelezen: wijkbalans maakt nooit een netwerkverbinding",
            "download het bestand eerst en geef het lokale pad op",
        ));
    }
    Ok(())
}

/// Open the file and choose the layer, with clear messages for every way this fails; they name
/// the flags of `source`.
pub(super) fn open(spec: &LayerSpec, source: Source) -> Result<Dataset, InputError> {
    let path = &spec.path;
    refuse_remote(path)?;
    gdal_env::offline();
    let meta = std::fs::metadata(path).map_err(|_| {
        InputError::file(
            path,
            "bestand niet gevonden",
            format!(
                "controleer het pad bij {}{}",
                source.file,
                if source.config {
                    " (of in het configuratiebestand)"
                } else {
                    ""
                }
            ),
        )
    })?;
    if meta.is_dir() {
        return Err(InputError::file(
            path,
            "is een map, geen bestand",
            format!(
                "geef een GeoPackage-, GeoJSON-, Shapefile-, FlatGeobuf- of CSV-bestand op bij {}",
                source.file
            ),
        ));
    }
    if !meta.is_file() {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        let what = if t.is_fifo() {
            "is een named pipe (FIFO), geen bestand: GDAL leest een laag door erin te zoeken, en dat kan niet in een pipe"
        } else if t.is_char_device() || t.is_block_device() {
            "is een apparaat, geen bestand"
        } else {
            "is geen gewoon bestand (een socket of een ander speciaal bestand)"
        };
        return Err(InputError::file(
            path,
            what,
            format!(
                "sla de laag op in een bestand en geef dat bestand op bij {}",
                source.file
            ),
        ));
    }
    if meta.len() == 0 {
        return Err(InputError::file(
            path,
            "het bestand is leeg (0 bytes)",
            "exporteer de laag opnieuw",
        ));
    }
    check_shapefile_parts(path)?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        check_csv_header(path)?;
        check_csv_rows(path)?;
    }
    let x_names = format!("X_POSSIBLE_NAMES={}", CSV_X_NAMES.join(","));
    let y_names = format!("Y_POSSIBLE_NAMES={}", CSV_Y_NAMES.join(","));
    let csv_options = [
        x_names.as_str(),
        y_names.as_str(),
        "KEEP_GEOM_COLUMNS=NO",
        // Every cell reaches the readers as the text written: GDAL's type guessing would read
        // `1.000` as 1 before `io::model::count` could refuse it as 1 or 1000, and `1,5` as
        // text beside `1.5` as a number (docs/METHOD.md §2.2, "Numbers as written").
        "AUTODETECT_TYPE=NO",
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

/// The file beside a Shapefile with extension `ext` (either case), if there is one.
fn shapefile_part(path: &Path, ext: &str) -> Option<std::path::PathBuf> {
    [ext.to_string(), ext.to_ascii_uppercase()]
        .iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.exists())
}

/// A Shapefile is three files at least: without its `.dbf` GDAL reads the shapes with no
/// attributes at all (reported as a missing code column), without its `.shx` it cannot open
/// it. Name the missing part instead.
fn check_shapefile_parts(path: &Path) -> Result<(), InputError> {
    let is_shp = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if !is_shp {
        return Ok(());
    }
    for (ext, holds) in [
        ("dbf", "de attributen (codes, inwoners, elke kolom)"),
        ("shx", "de index van de vormen"),
    ] {
        if shapefile_part(path, ext).is_none() {
            return Err(InputError::file(
                path,
                format!(
                    "naast de Shapefile staat geen .{ext}-bestand ({}); dat bestand bevat {holds}",
                    path.with_extension(ext).display()
                ),
                format!("zet het .{ext}-bestand (zelfde naam) naast de .shp, of exporteer de laag als GeoPackage"),
            ));
        }
    }
    Ok(())
}

/// Why a layer declares no CRS when a `.prj` file lies beside it: the file cannot be read, or
/// GDAL understood nothing in it. `None` when there is no `.prj`.
fn prj_problem(path: &Path) -> Option<String> {
    let prj = shapefile_part(path, "prj")?;
    Some(match std::fs::read(&prj) {
        Err(e) => format!(
            "de laag geeft geen coördinatenstelsel op: het .prj-bestand {} kan niet worden \
             gelezen ({})",
            prj.display(),
            system_says(&e)
        ),
        Ok(bytes) => format!(
            "de laag geeft geen coördinatenstelsel op: GDAL begrijpt niets in het .prj-bestand {} ({} bytes, begint met '{}')",
            prj.display(),
            bytes.len(),
            String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).escape_debug()
        ),
    })
}

/// Column names of a CSV's x coordinate (or longitude), matched without regard to case.
pub const CSV_X_NAMES: &[&str] = &["x", "lon", "longitude", "lng", "rd_x", "x_rd", "xcoord"];
/// Column names of a CSV's y coordinate (or latitude).
pub const CSV_Y_NAMES: &[&str] = &["y", "lat", "latitude", "rd_y", "y_rd", "ycoord"];

/// A CSV header with two columns for the same coordinate (`x` twice, or `x` and `lon`) is
/// ambiguous, and GDAL 3.6's CSV driver crashes on some of them when it drops the coordinate
/// columns (a segmentation fault on `x,x,y`; fuzz/regressions/csv/). Refuse it before GDAL
/// reads the file.
pub(super) fn check_csv_header(path: &Path) -> Result<(), InputError> {
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
                    "de kopregel heeft {} kolommen voor de {axis}-coördinaat ({})",
                    found.len(),
                    found.join(", ")
                ),
                "houd er een over, of geef de andere een andere naam",
            ));
        }
    }
    Ok(())
}

/// A CSV row with more cells than its header line is refused, naming the row: GDAL's CSV
/// driver drops the cells past the header without a word, so an unquoted Dutch number in a
/// comma-separated file (`…,jongeren,1,200`) would count 1 place, not 1,200 or 1.200
/// (docs/METHOD.md §2.2, "Numbers as written"). Read with the `csv` crate, which splits and
/// unquotes as GDAL does, on the separator of the header ([`csv_separator`]); a file split on
/// spaces, or one that cannot be read, is left to GDAL.
///
/// Example: the header `x,y,target_group,units` and the row `203500,503300,jongeren,1,200`:
/// "rij 1 onder de kopregel heeft 5 cellen en de kopregel 4 kolommen: units zou '1' krijgen en
/// '200' zou wegvallen; …".
fn check_csv_rows(path: &Path) -> Result<(), InputError> {
    let Ok(file) = File::open(path) else {
        return Ok(());
    };
    let mut head = String::new();
    let mut reader = std::io::BufReader::new(file);
    if std::io::BufRead::read_line(&mut reader, &mut head).is_err() {
        return Ok(());
    }
    let separator = csv_separator(head.trim_start_matches('\u{feff}'));
    if separator == ' ' {
        return Ok(());
    }
    let Ok(file) = File::open(path) else {
        return Ok(());
    };
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .flexible(true)
        .has_headers(false)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let mut header = csv::ByteRecord::new();
    if !matches!(rows.read_byte_record(&mut header), Ok(true)) {
        return Ok(());
    }
    let columns = header.len();
    let text = |c: &[u8]| String::from_utf8_lossy(c).trim().to_string();
    let mut record = csv::ByteRecord::new();
    let mut row = 0;
    while let Ok(true) = rows.read_byte_record(&mut record) {
        row += 1;
        if record.len() > columns {
            let last = text(&header[columns - 1]);
            let dropped: Vec<String> = record.iter().skip(columns).map(text).collect();
            return Err(InputError::file(
                path,
                format!(
                    "{} heeft {} cellen en de kopregel {columns} kolommen: {last} zou '{}' \
                     krijgen en '{}' zou wegvallen; een getal met een komma zonder \
                     aanhalingstekens ('1,200' of '2,5') wordt zo twee cellen",
                    crate::error::feature_place(path, row - 1),
                    record.len(),
                    text(&record[columns - 1]),
                    dropped.join("', '")
                ),
                "zet zo'n getal tussen aanhalingstekens (\"2,5\"), schrijf het zonder \
                 scheidingsteken (1200), of sla het bestand op met ; als scheidingsteken",
            ));
        }
    }
    Ok(())
}

/// The separator of a CSV header line as GDAL finds it: the first of `,`, `;` or tab outside
/// quotes (a comma when they are mixed), else a space when the line has one, else a comma.
fn csv_separator(line: &str) -> char {
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
    match (separator, mixed) {
        (_, true) => ',',
        (Some(s), false) => s,
        (None, false) if line.contains(' ') => ' ',
        (None, false) => ',',
    }
}

/// The cells of a CSV header line, split like GDAL does on its separator ([`csv_separator`]);
/// quotes and blanks trimmed.
pub(super) fn csv_header_cells(line: &str) -> Vec<String> {
    let separator = csv_separator(line);
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
pub(super) fn unreadable(path: &Path, messages: &[GdalMessage]) -> InputError {
    let formats = "GeoPackage-, GeoJSON-, Shapefile-, FlatGeobuf- of CSV-bestand";
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
            format!("GDAL herkent het bestand als {driver}, en dat leest wijkbalans niet"),
            format!(
                "zet het om naar een {formats}, bijvoorbeeld: ogr2ogr -f GPKG out.gpkg {}",
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
        format!("GDAL kan het niet lezen als {formats}")
    } else {
        format!(
            "GDAL kan het niet lezen als {formats} ({})",
            gdal_says(said.join("; "))
        )
    };
    InputError::file(
        path,
        problem,
        "controleer of het bestand compleet is en de juiste extensie heeft, of exporteer het opnieuw",
    )
}

/// The long name of the driver GDAL would open the file with if every driver were allowed.
/// Identification only looks at the name and the first bytes; nothing is opened.
pub(super) fn identify(path: &Path) -> Option<String> {
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

pub(super) fn layer_names(ds: &Dataset) -> Vec<String> {
    ds.layers().map(|l| l.name()).collect()
}

/// The chosen layer of an opened dataset, with its CRS handling decided.
pub(super) struct Prepared {
    pub(super) layer_index: usize,
    pub(super) layer_name: String,
    pub(super) fields: Vec<String>,
    pub(super) source_crs: String,
    pub(super) transform: Option<CoordTransform>,
    pub(super) source_geographic: bool,
    pub(super) rd_target: bool,
    /// Whether the CRS came from outside the file (it declares none: `source`'s CRS flag or the
    /// configuration file gave it). Decides the advice of a coordinate check
    /// (`layer::check_coordinates`).
    pub(super) crs_outside: bool,
    /// Where the file was named: the flags the advice names.
    pub(super) source: Source,
    /// Whether the layer is a CSV with coordinate columns (its advice names the x/y columns).
    pub(super) csv: bool,
}

/// Layer `index` of the dataset of `path` (the one [`prepare`] chose), or the error that GDAL
/// could not open it.
pub(super) fn layer_at<'a>(
    ds: &'a Dataset,
    index: usize,
    path: &Path,
) -> Result<gdal::vector::Layer<'a>, InputError> {
    ds.layer(index).map_err(|e| {
        InputError::file(
            path,
            format!("de laag kan niet worden geopend ({})", gdal_says(&e)),
            "",
        )
    })
}

/// The GeoPackage table of layer styles (QGIS's *Save Style → In Database*, and the styles of
/// `wijkbalans.gpkg`): never a layer of data.
const STYLES_TABLE: &str = "layer_styles";

/// Choose the layer and decide how its coordinates reach the compute CRS, with a clear message
/// for every way this fails.
pub(super) fn prepare(
    ds: &Dataset,
    spec: &LayerSpec,
    source: Source,
    opts: &ReadOptions,
) -> Result<Prepared, InputError> {
    let path = &spec.path;
    let all = layer_names(ds);
    // A GeoPackage saved from QGIS with its style keeps it in the table `layer_styles` (as
    // wijkbalans.gpkg does): a table of styles, never the data, so it does not count as a
    // second layer to choose from.
    let names: Vec<String> = all
        .iter()
        .filter(|n| !n.eq_ignore_ascii_case(STYLES_TABLE))
        .cloned()
        .collect();
    let flag = source.layer;
    let layer = match &spec.layer {
        Some(name) => ds.layer_by_name(name).map_err(|_| {
            InputError::file(
                path,
                format!("laag '{name}' niet gevonden (lagen: {})", names.join(", ")),
                format!("kies er een van met {flag}"),
            )
        })?,
        None if all.len() == 1 => layer_at(ds, 0, path)?,
        None if names.len() == 1 => {
            let index = all.iter().position(|n| *n == names[0]).expect("one of all");
            layer_at(ds, index, path)?
        }
        None if names.is_empty() => {
            return Err(InputError::file(
                path,
                "het bestand heeft geen vectorlaag",
                "exporteer de gegevens als vectorlaag",
            ))
        }
        None => {
            return Err(InputError::file(
                path,
                format!(
                    "het bestand heeft {} lagen ({})",
                    crate::format::count(names.len()),
                    names.join(", ")
                ),
                format!("kies er een met {flag} NAAM"),
            ))
        }
    };
    let layer_name = layer.name();
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let in_layer = |e: InputError| e.in_layer(&layer_name);

    let no_geometry = layer.defn().geometry_type() == OGRwkbGeometryType::wkbNone;
    // Sites, facilities and candidates may be addresses instead of points: a layer without
    // geometry with address columns is placed through the BAG after reading
    // (io::model::geocode).
    let addressed = matches!(
        source.role,
        Role::Sites | Role::Facilities | Role::Candidates
    ) && crate::model::address::AddressColumns::find(&fields).is_some();
    if no_geometry && addressed {
        let target = parse_crs(&opts.compute_crs)
            .map_err(|m| InputError::file(path, m, "verbeter --crs"))?;
        let layer_index = names.iter().position(|n| *n == layer_name).unwrap_or(0);
        return Ok(Prepared {
            layer_index,
            layer_name,
            fields,
            source_crs: crs_name(&target),
            transform: None,
            source_geographic: false,
            rd_target: crs_name(&target) == "EPSG:28992",
            // Addresses are placed in the compute CRS: no coordinates, no CRS to advise on.
            crs_outside: false,
            source,
            csv: false,
        });
    }
    if no_geometry {
        let problem = if spec
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            format!(
                "de CSV heeft geen kolommen met coördinaten (kolommen: {})",
                fields.join(", ")
            )
        } else {
            "de laag heeft geen geometrie".to_string()
        };
        return Err(in_layer(InputError::file(
            path,
            problem,
            "geef de coördinaten als kolommen x en y (of lon en lat), of geef voor zorglocaties, \
             voorzieningen en kandidaatlocaties de adressen als kolommen postcode en huisnummer \
             (of adres) met --bag",
        )));
    }

    // Source CRS: the file's own, else the spec's, else an error.
    let crs_outside = layer.spatial_ref().is_none();
    let csv = spec
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let source_srs = match layer.spatial_ref() {
        Some(mut s) => {
            s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            s
        }
        None => match &spec.crs {
            Some(text) => parse_crs(text).map_err(|m| {
                in_layer(InputError::file(
                    path,
                    m,
                    match (source.crs, source.config) {
                        (Some(f), true) => {
                            format!(
                                "verbeter {f}, of de crs van deze laag in het configuratiebestand"
                            )
                        }
                        (Some(f), false) => format!("verbeter {f}"),
                        (None, _) => {
                            "verbeter de crs van deze laag in het configuratiebestand".to_string()
                        }
                    },
                ))
            })?,
            None => {
                if let Some(problem) = prj_problem(path) {
                    return Err(in_layer(InputError::file(
                        path,
                        problem,
                        match source.crs {
                            Some(f) => format!(
                                "maak het .prj-bestand leesbaar, vervang het door een dat QGIS schrijft, of geef {f} EPSG:28992 (RD New) op"
                            ),
                            None => "maak het .prj-bestand leesbaar of vervang het door een dat QGIS schrijft".to_string(),
                        },
                    )));
                }
                return Err(in_layer(InputError::file(
                    path,
                    "de laag geeft geen coördinatenstelsel op",
                    match source.crs {
                        Some(f) => format!(
                            "geef {f} EPSG:28992 (RD New) of EPSG:4326 (lon/lat) op, of voeg een .prj-bestand toe"
                        ),
                        None => "voeg een .prj-bestand toe dat het coördinatenstelsel opgeeft, of sla de laag op als GeoPackage (daarin staat het)".to_string(),
                    },
                )));
            }
        },
    };
    let source_crs = crs_name(&source_srs);
    let target =
        parse_crs(&opts.compute_crs).map_err(|m| InputError::file(path, m, "verbeter --crs"))?;
    if !target.is_projected() {
        return Err(InputError::file(
            path,
            format!(
                "het rekencoördinatenstelsel {} is in graden; afstanden en dichtheden vragen om meters",
                opts.compute_crs
            ),
            "geef bij --crs een geprojecteerd coördinatenstelsel op, zoals EPSG:28992",
        ));
    }
    let (north, east) = scale_in_the_netherlands(&target).map_err(|m| {
        InputError::file(
            path,
            format!("het rekencoördinatenstelsel {}: {m}", opts.compute_crs),
            "verbeter --crs",
        )
    })?;
    if (north - 1.0).abs().max((east - 1.0).abs()) > MAX_SCALE_ERROR {
        return Err(InputError::file(
            path,
            format!(
                "het rekencoördinatenstelsel {} meet in Nederland geen ware afstanden: op 52,1° N is een meter daarin {} m op de grond noord–zuid en {} m oost–west (meer dan {} % ernaast), dus elke afstand, ring en dichtheid zou fout zijn",
                opts.compute_crs,
                crate::table::nl(1.0 / north, 3),
                crate::table::nl(1.0 / east, 3),
                crate::table::nl(MAX_SCALE_ERROR * 100.0, 0)
            ),
            "geef --crs EPSG:28992 (RD New) op, of een UTM-zone (EPSG:32631 of EPSG:32632)",
        ));
    }
    let same = source_crs == crs_name(&target);
    let transform = if same {
        None
    } else {
        Some(CoordTransform::new(&source_srs, &target).map_err(|e| {
            in_layer(InputError::file(
                path,
                format!(
                    "{source_crs} kan niet worden omgezet naar {} ({})",
                    opts.compute_crs,
                    gdal_says(&e)
                ),
                "",
            ))
        })?)
    };
    let source_geographic = source_srs.is_geographic();
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
        crs_outside,
        source,
        csv,
    })
}
