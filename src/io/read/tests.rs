use crate::config::{LayerSpec, Role};
use crate::error::InputError;
use crate::io::mapped::Mapped;

use super::layer::*;
use super::open::*;

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
    assert!(
        e.problem.starts_with("de buitenring is niet gesloten"),
        "{e}"
    );
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
    assert_eq!(e.problem, "de waarde is een lijst, geen enkele waarde");
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
            "de kopregel heeft 2 kolommen voor de x-coördinaat (x, x)",
        ),
        (
            "name;LON;x;lat",
            "de kopregel heeft 2 kolommen voor de x-coördinaat (LON, x)",
        ),
        (
            "\"y\",a,\"Lat\",x",
            "de kopregel heeft 2 kolommen voor de y-coördinaat (y, Lat)",
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
    let e = read_rd_csv(b"name,x,y\nDe Linde,200500,500500\nCaf\xe9,200600,500500\n").unwrap_err();
    assert_eq!((e.feature, e.field.as_deref()), (Some(1), Some("name")));
    assert!(e.problem.contains("byte 0xE9 na 'Caf'"), "{e}");
    // A real U+FFFD in UTF-8 text is text, not an encoding error.
    assert!(read_rd_csv("name,x,y\nCaf\u{FFFD},200500,500500\n".as_bytes()).is_ok());
}

#[test]
fn nan_inside_a_polygon_is_named_as_such() {
    let nan = r#"{"type":"Polygon","coordinates":[[[200000,500000],[201000,500000],[NaN,501000],[200000,501000],[200000,500000]]]}"#;
    let e = read(&geojson(&[("{}", SQUARE), ("{}", nan)]), true).unwrap_err();
    assert_eq!(e.feature, Some(1));
    assert_eq!(e.problem, "een coördinaat is NaN of oneindig");
}

#[test]
fn formats_outside_the_five_drivers_are_named_not_opened() {
    let f = temp_file(
        ".vrt",
        b"<OGRVRTDataSource><OGRVRTLayer name=\"w\"><SrcDataSource>/vsicurl/http://127.0.0.1:9/w.geojson</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>",
    );
    let e = read(&f, false).unwrap_err();
    assert!(e.problem.contains("als VRT"), "{e}");
    assert!(e.problem.contains("en dat leest wijkbalans niet"), "{e}");
}

#[test]
fn a_crs_link_is_an_error_not_a_download() {
    let text = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"link","properties":{{"href":"http://127.0.0.1:9/crs.wkt","type":"ogcwkt"}}}},"features":[{{"type":"Feature","properties":{{}},"geometry":{SQUARE}}}]}}"#
    );
    let f = temp_file(".geojson", text.as_bytes());
    let e = read(&f, false).unwrap_err();
    assert!(
        e.problem.starts_with(
            "het bestand verwijst naar http://127.0.0.1:9/crs.wkt, en dat wordt niet opgehaald"
        ),
        "{e}"
    );
}
