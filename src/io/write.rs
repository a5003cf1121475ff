//! Writing outputs: GeoJSON (RFC 7946, WGS84), CSV and JSON, all-or-nothing.
//!
//! Every output of a run is first rendered to bytes in memory; only then is each written to a
//! temporary file in the target directory and renamed over its final name. A failure before
//! the renames leaves the directory as it was; no file is ever half-written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use gdal::spatial_ref::CoordTransform;
use geo::{LineString, MultiPolygon, Polygon};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::crs::parse_crs;
use crate::error::gdal_says;
use crate::format::{self, Audience};
use crate::table::{round, Table};

/// Decimals kept for WGS84 coordinates (1e-7° ≈ 1 cm).
pub const COORD_DECIMALS: i32 = 7;

/// Transforms compute-CRS coordinates to WGS84 lon/lat.
pub struct ToWgs84(CoordTransform);

impl ToWgs84 {
    /// Build the transform from the compute CRS.
    pub fn new(compute_crs: &str) -> Result<Self, String> {
        let src = parse_crs(compute_crs)?;
        let dst = parse_crs("EPSG:4326")?;
        CoordTransform::new(&src, &dst).map(Self).map_err(|e| {
            format!(
                "{compute_crs} kan niet worden omgezet naar WGS84 ({})",
                gdal_says(&e)
            )
        })
    }

    /// Transform a list of coordinates, rounded to [`COORD_DECIMALS`].
    pub fn coords(&self, pts: &[[f64; 2]]) -> Result<Vec<[f64; 2]>, String> {
        let mut x: Vec<f64> = pts.iter().map(|p| p[0]).collect();
        let mut y: Vec<f64> = pts.iter().map(|p| p[1]).collect();
        self.0
            .transform_coords(&mut x, &mut y, &mut [])
            .map_err(|e| format!("omzetten van coördinaten mislukt ({})", gdal_says(&e)))?;
        Ok(x.iter()
            .zip(&y)
            .map(|(a, b)| [round(*a, COORD_DECIMALS), round(*b, COORD_DECIMALS)])
            .collect())
    }

    fn ring(&self, ring: &LineString<f64>) -> Result<Vec<geojson::Position>, String> {
        let pts: Vec<[f64; 2]> = ring.0.iter().map(|c| [c.x, c.y]).collect();
        Ok(self.coords(&pts)?.into_iter().map(Into::into).collect())
    }

    fn polygon(&self, p: &Polygon<f64>) -> Result<Vec<Vec<geojson::Position>>, String> {
        // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
        use geo::orient::{Direction, Orient};
        let p = p.orient(Direction::Default);
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(|r| self.ring(r))
            .collect()
    }

    /// A GeoJSON MultiPolygon geometry.
    pub fn multipolygon(&self, mp: &MultiPolygon<f64>) -> Result<geojson::Geometry, String> {
        let polys =
            mp.0.iter()
                .map(|p| self.polygon(p))
                .collect::<Result<Vec<_>, _>>()?;
        Ok(geojson::Geometry::new(
            geojson::GeometryValue::MultiPolygon { coordinates: polys },
        ))
    }

    /// A GeoJSON Point geometry.
    pub fn point(&self, p: [f64; 2]) -> Result<geojson::Geometry, String> {
        let c = self.coords(&[p])?.remove(0);
        Ok(geojson::Geometry::new(geojson::GeometryValue::Point {
            coordinates: c.into(),
        }))
    }
}

/// Rows rendered together by one rayon task in [`geojson_bytes`] and [`csv_bytes_with`].
const ROWS_PER_TASK: usize = 128;

/// Render a FeatureCollection (one feature per table row) to pretty-free, stable JSON bytes.
///
/// The features are serialised straight from the table's rows and the geometries, in the
/// member order the `geojson` crate writes (`type`, `geometry`, `properties`; the bytes are
/// the same, `tests::streamed_features_are_what_the_geojson_crate_writes`): building a
/// `geojson::Feature` per row would copy every column name and value into a map of its own
/// first, about 40 MB for the national areas layer. Runs of `ROWS_PER_TASK` (128) features are
/// serialised in parallel and joined in row order, so the bytes do not depend on the threads.
pub fn geojson_bytes(table: &Table, geometries: &[geojson::Geometry]) -> Vec<u8> {
    assert_eq!(
        table.rows.len(),
        geometries.len(),
        "one geometry per table row"
    );
    debug_assert!(
        {
            let mut names: Vec<&String> = table.columns.iter().collect();
            names.sort();
            names.windows(2).all(|w| w[0] != w[1])
        },
        "column names are unique: {:?}",
        table.columns
    );
    let features = geojson_features(&table.columns, &table.rows, geometries);
    let mut bytes = Vec::with_capacity(features.len() + 64);
    bytes.extend_from_slice(GEOJSON_OPEN);
    bytes.extend_from_slice(&features);
    bytes.extend_from_slice(GEOJSON_CLOSE);
    bytes
}

/// What serde_json writes for `{"type": "FeatureCollection", "features": [` …
pub const GEOJSON_OPEN: &[u8] = br#"{"type":"FeatureCollection","features":["#;
/// … `]}` and a newline: the end of [`geojson_bytes`].
pub const GEOJSON_CLOSE: &[u8] = b"]}\n";

/// The features of [`geojson_bytes`] without the collection around them, separated by
/// commas: a layer written in blocks is [`GEOJSON_OPEN`], the blocks joined by a comma, and
/// [`GEOJSON_CLOSE`], byte for byte what [`geojson_bytes`] writes for all the rows at once.
pub fn geojson_features(
    columns: &[String],
    rows: &[Vec<Value>],
    geometries: &[geojson::Geometry],
) -> Vec<u8> {
    use rayon::prelude::*;
    assert_eq!(rows.len(), geometries.len(), "one geometry per table row");
    let runs: Vec<Vec<u8>> = rows
        .par_chunks(ROWS_PER_TASK)
        .zip(geometries.par_chunks(ROWS_PER_TASK))
        .map(|(rows, geometries)| {
            let mut bytes = Vec::new();
            for (k, (row, geometry)) in rows.iter().zip(geometries).enumerate() {
                if k > 0 {
                    bytes.push(b',');
                }
                let feature = Feature {
                    geometry,
                    properties: Properties { columns, row },
                };
                serde_json::to_writer(&mut bytes, &feature).expect("a Feature serialises");
            }
            bytes
        })
        .collect();
    let mut bytes = Vec::with_capacity(runs.iter().map(Vec::len).sum::<usize>() + runs.len());
    for (k, run) in runs.iter().enumerate() {
        if k > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(run);
    }
    bytes
}

/// One feature: its geometry and its row as properties.
struct Feature<'a> {
    geometry: &'a geojson::Geometry,
    properties: Properties<'a>,
}

impl Serialize for Feature<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("type", "Feature")?;
        m.serialize_entry("geometry", self.geometry)?;
        m.serialize_entry("properties", &self.properties)?;
        m.end()
    }
}

/// A row as a JSON object, in column order.
struct Properties<'a> {
    columns: &'a [String],
    row: &'a [Value],
}

impl Serialize for Properties<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.columns.len()))?;
        for (name, value) in self.columns.iter().zip(self.row) {
            m.serialize_entry(name, value)?;
        }
        m.end()
    }
}

/// How CSV files are written: `standard` or `excel-nl` (`--csv`, whose `--help` lists the names
/// only).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum CsvDialect {
    /// Comma separator, decimal point, UTF-8 without BOM (for scripts and GIS).
    #[default]
    #[value(help = None::<&str>)]
    Standard,
    /// What Dutch Excel opens directly: `;` separator, decimal comma, UTF-8 with BOM.
    #[value(help = None::<&str>)]
    ExcelNl,
}

/// Render a table as CSV (comma separator, `.` decimals, empty for null, UTF-8).
pub fn csv_bytes(table: &Table) -> Vec<u8> {
    csv_bytes_with(table, CsvDialect::Standard)
}

/// Render a table as CSV in a dialect. Runs of `ROWS_PER_TASK` (128) rows are rendered in
/// parallel and joined in row order (each record's bytes depend on the record alone).
pub fn csv_bytes_with(table: &Table, dialect: CsvDialect) -> Vec<u8> {
    let mut bytes = csv_header(&table.columns, dialect);
    bytes.extend_from_slice(&csv_records(&table.rows, dialect));
    bytes
}

impl CsvDialect {
    /// Who the file is for: `excel-nl` for people, `standard` for programs; the number style
    /// and separator follow from it ([`crate::format`]).
    pub fn audience(self) -> Audience {
        match self {
            CsvDialect::Standard => Audience::Machine,
            CsvDialect::ExcelNl => Audience::Human,
        }
    }
}

fn csv_writer(bytes: Vec<u8>, dialect: CsvDialect) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(dialect.audience().csv_separator())
        .from_writer(bytes)
}

/// The header line of [`csv_bytes_with`] (with the BOM of `excel-nl`).
pub fn csv_header(columns: &[String], dialect: CsvDialect) -> Vec<u8> {
    let prefix: &[u8] = match dialect {
        CsvDialect::Standard => b"",
        CsvDialect::ExcelNl => b"\xEF\xBB\xBF",
    };
    let mut header = csv_writer(prefix.to_vec(), dialect);
    header.write_record(columns).expect("in-memory write");
    header.into_inner().expect("in-memory flush")
}

/// The records of [`csv_bytes_with`] after its header: a layer written in blocks is the
/// header followed by the blocks' records.
pub fn csv_records(rows: &[Vec<Value>], dialect: CsvDialect) -> Vec<u8> {
    use rayon::prelude::*;
    let runs: Vec<Vec<u8>> = rows
        .par_chunks(ROWS_PER_TASK)
        .map(|rows| {
            let mut w = csv_writer(Vec::new(), dialect);
            for row in rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|v| match v {
                        Value::Null => String::new(),
                        Value::String(s) if dialect == CsvDialect::ExcelNl => {
                            excel_text(s).into_owned()
                        }
                        Value::String(s) => s.clone(),
                        Value::Number(n) => format::csv_number(n, dialect.audience()),
                        // A yes/no column for people reads as the header says: "(ja/nee)".
                        Value::Bool(b) if dialect == CsvDialect::ExcelNl => {
                            if *b { "ja" } else { "nee" }.to_string()
                        }
                        other => other.to_string(),
                    })
                    .collect();
                w.write_record(&cells).expect("in-memory write");
            }
            w.into_inner().expect("in-memory flush")
        })
        .collect();
    runs.concat()
}

/// A text cell for a spreadsheet: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read by Excel as a formula (CSV injection, e.g.
/// `=HYPERLINK(…)` in a site name), so it gets a leading apostrophe, as the OWASP "CSV
/// Injection" page recommends; Excel shows the text without the apostrophe. Only the
/// `excel-nl` dialect does this: the standard dialect is for scripts and GIS, which read the
/// text as it is. Numbers are never text cells, so a negative number stays a number.
///
/// Example: `"=1+1"` → `"'=1+1"`; `"Zwolle-Zuid"` → unchanged.
pub fn excel_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Render JSON with two-space indentation and a final newline.
pub fn json_bytes(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON serialises");
    bytes.push(b'\n');
    bytes
}

/// Write a set of files into `dir` all-or-nothing: each is written to a temporary file in `dir`
/// first; only when all are written are they renamed to their names. Returns the final paths.
pub fn write_all(dir: &Path, files: Vec<(String, Vec<u8>)>) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    remove_stale_temporaries(dir, &files)?;
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            // Outputs are ordinary files for the user and their GIS, not private temp files.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder.tempfile_in(dir)?;
        tmp.write_all(&bytes)?;
        tmp.as_file().sync_all()?;
        staged.push((tmp, dir.join(name)));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, path) in staged {
        tmp.persist(&path).map_err(|e| e.error)?;
        written.push(path);
    }
    Ok(written)
}

/// Remove temporary files an earlier, interrupted run left behind for these outputs (they are
/// named `.<output>.<random>.tmp`; nothing else is touched).
fn remove_stale_temporaries(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let ours = files.iter().any(|(f, _)| {
            name.strip_prefix(&format!(".{f}."))
                .is_some_and(|rest| rest.ends_with(".tmp") && !rest.contains('/'))
        });
        if ours {
            std::fs::remove_file(dir.join(&name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::number;

    #[test]
    fn stale_temporaries_of_our_outputs_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".a.txt.x1y2.tmp"), b"half").unwrap();
        std::fs::write(dir.path().join(".notes.x1y2.tmp"), b"mine").unwrap();
        write_all(dir.path(), vec![("a.txt".into(), b"1".to_vec())]).unwrap();
        assert!(!dir.path().join(".a.txt.x1y2.tmp").exists());
        assert!(dir.path().join(".notes.x1y2.tmp").exists());
    }

    #[test]
    fn streamed_features_are_what_the_geojson_crate_writes() {
        // More rows than one rayon task renders, so the runs are joined too.
        let n = 2 * ROWS_PER_TASK + 5;
        let table = Table {
            columns: vec!["code".into(), "n".into(), "rate".into(), "note".into()],
            rows: (0..n)
                .map(|i| match i % 2 {
                    0 => vec![
                        format!("WK{i}").into(),
                        i.into(),
                        number(0.125),
                        Value::Null,
                    ],
                    _ => vec!["WK \"ü\"".into(), 0.into(), number(-2.5), "a\nb".into()],
                })
                .collect(),
        };
        let geometries: Vec<geojson::Geometry> = (0..n)
            .map(|i| match i % 3 {
                0 => geojson::Geometry::new(geojson::GeometryValue::Point {
                    coordinates: vec![5.387_2 + i as f64 * 1e-4, 52.155_1].into(),
                }),
                _ => geojson::Geometry::new(geojson::GeometryValue::MultiPolygon {
                    coordinates: vec![vec![vec![
                        vec![0.0, 0.0].into(),
                        vec![1.0, i as f64].into(),
                        vec![1.0, 1.0].into(),
                        vec![0.0, 0.0].into(),
                    ]]],
                }),
            })
            .collect();
        let crate_written = geojson::FeatureCollection {
            bbox: None,
            features: geometries
                .iter()
                .enumerate()
                .map(|(i, g)| geojson::Feature {
                    bbox: None,
                    geometry: Some(g.clone()),
                    id: None,
                    properties: Some(
                        table
                            .columns
                            .iter()
                            .cloned()
                            .zip(table.rows[i].iter().cloned())
                            .collect(),
                    ),
                    foreign_members: None,
                })
                .collect(),
            foreign_members: None,
        };
        let mut expected = serde_json::to_vec(&crate_written).unwrap();
        expected.push(b'\n');
        assert_eq!(
            String::from_utf8(geojson_bytes(&table, &geometries)).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        let empty = Table {
            columns: table.columns.clone(),
            rows: vec![],
        };
        assert_eq!(
            geojson_bytes(&empty, &[]),
            b"{\"type\":\"FeatureCollection\",\"features\":[]}\n"
        );
    }

    #[test]
    fn rd_origin_point_goes_to_the_known_wgs84_position() {
        // Checked against cs2cs/pyproj (STACK.md): RD (155000, 463000) → 5.38720351, 52.15517230.
        let t = ToWgs84::new("EPSG:28992").unwrap();
        let c = t.coords(&[[155000.0, 463000.0]]).unwrap();
        assert!((c[0][0] - 5.3872035).abs() < 2e-7, "{c:?}");
        assert!((c[0][1] - 52.1551723).abs() < 2e-7, "{c:?}");
    }

    #[test]
    fn write_all_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_all(
            dir.path(),
            vec![
                ("a.txt".into(), b"1".to_vec()),
                ("b.txt".into(), b"2".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(paths.len(), 2);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(std::fs::read(dir.path().join("b.txt")).unwrap(), b"2");
    }

    #[test]
    fn excel_nl_csv_has_a_bom_semicolons_and_decimal_commas() {
        let t = Table {
            columns: vec!["code".into(), "saldo".into(), "small".into()],
            rows: vec![vec![
                Value::from("WK1"),
                Value::from(-1.25),
                Value::Bool(true),
            ]],
        };
        let b = csv_bytes_with(&t, CsvDialect::ExcelNl);
        assert_eq!(&b[..3], b"\xEF\xBB\xBF");
        assert_eq!(
            std::str::from_utf8(&b[3..]).unwrap(),
            "code;saldo;small\nWK1;-1,25;ja\n"
        );
        // The standard dialect keeps what a script reads.
        assert!(csv_bytes(&t).ends_with(b"-1.25,true\n"));
    }

    #[test]
    fn excel_nl_text_that_excel_would_run_as_a_formula_is_escaped() {
        let t = Table {
            columns: vec!["naam".into(), "saldo".into()],
            rows: [
                "=HYPERLINK(\"http://x\")",
                "+1",
                "-a",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "Zuid-Oost",
            ]
            .iter()
            .map(|n| vec![Value::from(*n), Value::from(-1.5)])
            .collect(),
        };
        let b = csv_bytes_with(&t, CsvDialect::ExcelNl);
        let text = std::str::from_utf8(&b[3..]).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let cells: Vec<(String, String)> = r
            .records()
            .map(|x| {
                let x = x.unwrap();
                (x[0].to_string(), x[1].to_string())
            })
            .collect();
        let names: Vec<&str> = cells.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "'=HYPERLINK(\"http://x\")",
                "'+1",
                "'-a",
                "'@SUM(A1)",
                "'\tx",
                "'\rx",
                "Zuid-Oost"
            ]
        );
        assert!(cells.iter().all(|c| c.1 == "-1,5"), "{cells:?}");
        // The standard dialect keeps the text as it is.
        assert!(String::from_utf8(csv_bytes(&t))
            .unwrap()
            .contains("\n+1,-1.5\n"));
    }

    #[test]
    fn csv_writes_nulls_as_empty_cells() {
        let t = Table {
            columns: vec!["code".into(), "z".into()],
            rows: vec![vec![Value::from("WK1"), Value::Null]],
        };
        assert_eq!(String::from_utf8(csv_bytes(&t)).unwrap(), "code,z\nWK1,\n");
    }

    #[test]
    fn csv_rendered_in_runs_is_one_csv_of_every_row_in_order() {
        // More rows than one rayon task renders; quoting and every kind of cell included.
        let t = Table {
            columns: vec!["code".into(), "naam".into(), "v".into()],
            rows: (0..3 * ROWS_PER_TASK + 1)
                .map(|i| {
                    vec![
                        Value::from(format!("WK{i:04}")),
                        Value::from(if i % 7 == 0 { "a, \"b\"\nc" } else { "x" }),
                        if i % 5 == 0 {
                            Value::Null
                        } else {
                            Value::from(i as f64 / 8.0)
                        },
                    ]
                })
                .collect(),
        };
        let b = String::from_utf8(csv_bytes(&t)).unwrap();
        let mut r = csv::Reader::from_reader(b.as_bytes());
        assert_eq!(r.headers().unwrap(), vec!["code", "naam", "v"]);
        let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), t.rows.len());
        for (i, rec) in records.iter().enumerate() {
            assert_eq!(&rec[0], format!("WK{i:04}"));
            let expected = if i % 5 == 0 {
                String::new()
            } else {
                Value::from(i as f64 / 8.0).to_string()
            };
            assert_eq!(&rec[2], expected);
        }
        assert_eq!(&records[7][1], "a, \"b\"\nc");
    }
}
