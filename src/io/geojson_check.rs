//! A second look at a JSON file GDAL could not read, or at a feature whose geometry GDAL left
//! empty: what exactly is wrong and where (line and column, feature, ring), in the words of the
//! GeoJSON format (RFC 7946); and what GDAL reads without a word or not at all (a key twice, a
//! boolean among numbers, the year a file declares in `metadata`). The file is parsed again
//! here, apart from GDAL.

use std::io::BufReader;
use std::path::Path;

use serde_json::Value;

use crate::error::quoted;

/// Files larger than this are not parsed into a tree for a diagnosis (the syntax check streams
/// and has no limit).
const MAX_TREE_BYTES: u64 = 256 << 20;

/// Whether the file is meant as JSON: a `.json`/`.geojson` extension, or a first non-blank
/// byte `{` or `[`.
pub fn looks_like_json(path: &Path, head: &[u8]) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(ext.as_deref(), Some("json" | "geojson"))
        || matches!(
            head.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[')
        )
}

/// The year a GeoJSON file declares for its statistics: a whole number `year` in a top-level
/// `metadata` member that stands before `features`, as the CBS wijken of
/// `data/cbs-kwb-2024/` carry it (`"metadata": {"type": "wijken", "year": 2024, …}`). RFC 7946
/// (§6.1) allows such foreign members, and GDAL does not read them, so the file is read here
/// up to `features` and no further.
///
/// `Ok(None)` for a file that is not a regular JSON file, has no such member, or cannot be read
/// (the layer reader then says why); `Err` (the problem, in Dutch) for a `year` that is not a whole
/// number from 1900 to 2100.
///
/// Example: `{"type": "FeatureCollection", "metadata": {"year": 2024}, "features": […]}` gives
/// `Ok(Some(2024))`; `"year": "2024"` and `"year": 2024.5` give an `Err`.
pub fn declared_year(path: &Path) -> Result<Option<i32>, String> {
    use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, Visitor};
    // Only a regular file: opening a named pipe would wait for a writer (the layer reader
    // refuses anything else with its own message).
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    use std::io::Read as _;
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(None);
    };
    let mut head = [0u8; 64];
    let n = file.read(&mut head).unwrap_or(0);
    if !looks_like_json(path, &head[..n]) {
        return Ok(None);
    }
    /// Reads the top level up to `features`, keeping `metadata`; `reached` is set when it
    /// stopped at `features`.
    struct Head<'a> {
        metadata: &'a mut Option<Value>,
        reached: &'a mut bool,
    }
    impl<'de> DeserializeSeed<'de> for Head<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Head<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a GeoJSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
            while let Some(key) = m.next_key::<String>()? {
                match key.as_str() {
                    // Stop before the features: what follows is not read.
                    "features" => {
                        *self.reached = true;
                        return Err(A::Error::custom("stopped at features"));
                    }
                    "metadata" => *self.metadata = Some(m.next_value()?),
                    _ => {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(())
        }
    }
    let (mut metadata, mut reached) = (None, false);
    // The bytes already read, then the rest of the file.
    let mut de = serde_json::Deserializer::from_reader(BufReader::new((&head[..n]).chain(file)));
    let head = Head {
        metadata: &mut metadata,
        reached: &mut reached,
    };
    if head.deserialize(&mut de).is_err() && !reached {
        // Not readable JSON: the layer reader says what is wrong.
        return Ok(None);
    }
    let Some(year) = metadata.as_ref().and_then(|m| m.get("year")) else {
        return Ok(None);
    };
    match year.as_i64().and_then(|y| i32::try_from(y).ok()) {
        Some(y) if (1900..=2100).contains(&y) => Ok(Some(y)),
        _ => Err(format!(
            "metadata.year is {year}, geen jaartal (een geheel getal van 1900 tot 2100)"
        )),
    }
}

/// Why a JSON file is not a readable GeoJSON layer: (problem, fix), or `None` when no JSON-level
/// reason is found.
pub fn unreadable(path: &Path) -> Option<(String, String)> {
    let file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let syntax = serde_json::from_reader::<_, serde::de::IgnoredAny>(BufReader::new(file));
    if let Err(e) = syntax {
        use serde_json::error::Category;
        let again = "exporteer de laag opnieuw (QGIS: Exporteren > Objecten opslaan als…, indeling GeoJSON)";
        let bytes = std::fs::read(path).ok()?;
        let end = last_content(&bytes);
        let cut_off = match e.classify() {
            Category::Eof => true,
            // An error after the last content (in the final line break): a cut inside a text.
            Category::Syntax => end.is_some_and(|(line, _)| e.line() > line),
            Category::Io | Category::Data => false,
        };
        return Some(match (e.classify(), end) {
            (_, None) => (
                "het bestand bevat geen JSON, alleen witruimte".to_string(),
                again.to_string(),
            ),
            (_, Some((line, column))) if cut_off => (
                format!(
                    "de JSON houdt halverwege op, op regel {line}, kolom {column}: het bestand is afgebroken"
                ),
                format!("{again}; het bestand is waarschijnlijk niet helemaal geschreven of gekopieerd"),
            ),
            (Category::Syntax, _) => (
                format!(
                    "de JSON is ongeldig op regel {}, kolom {} ({})",
                    e.line(),
                    e.column(),
                    quoted("serde_json", syntax_message(&e))
                ),
                format!("herstel het daar, of {again}"),
            ),
            _ => return None,
        });
    }
    if size > MAX_TREE_BYTES {
        return None;
    }
    let value: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let fix = "geef een GeoJSON-FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [ … ]} (QGIS: Exporteren > Objecten opslaan als…, indeling GeoJSON)".to_string();
    let problem = match &value {
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            None => format!(
                "het bestand is JSON maar geen GeoJSON: het object op het hoogste niveau heeft geen \"type\" (de sleutels: {})",
                o.keys().take(8).cloned().collect::<Vec<_>>().join(", ")
            ),
            Some(t) if t.eq_ignore_ascii_case("FeatureCollection") => {
                match o.get("features") {
                    Some(Value::Array(_)) => return None,
                    Some(_) => "\"features\" van de FeatureCollection is geen lijst".to_string(),
                    None => "de FeatureCollection heeft geen member \"features\"".to_string(),
                }
            }
            Some(t) => format!(
                "het bestand is JSON met \"type\": \"{t}\", geen GeoJSON-FeatureCollection"
            ),
        },
        Value::Array(_) => {
            "het bestand is JSON maar geen GeoJSON: het hoogste niveau is een lijst, geen FeatureCollection-object"
                .to_string()
        }
        _ => "het bestand is JSON maar geen GeoJSON: het hoogste niveau is één losse waarde".to_string(),
    };
    Some((problem, fix))
}

/// Line and column (1-based, in characters) of the last character that is not blank space;
/// `None` for a blank file.
fn last_content(bytes: &[u8]) -> Option<(usize, usize)> {
    let at = bytes.iter().rposition(|b| !b.is_ascii_whitespace())?;
    let line_start = bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&bytes[line_start..=at])
        .chars()
        .count();
    Some((line, column))
}

/// serde_json's message without its own " at line L column C" suffix.
fn syntax_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The features of a GeoJSON file, in the order GDAL reads them (a FeatureCollection's list, or
/// a single Feature).
fn features(path: &Path) -> Option<Vec<Value>> {
    if std::fs::metadata(path).ok()?.len() > MAX_TREE_BYTES {
        return None;
    }
    let value: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    match value {
        Value::Object(mut o) => match o.remove("features") {
            Some(Value::Array(list)) => Some(list),
            _ if o.get("type").and_then(Value::as_str) == Some("Feature") => {
                Some(vec![Value::Object(o)])
            }
            _ => None,
        },
        _ => None,
    }
}

/// Why feature `index` of a GeoJSON file has no usable geometry, when the file says so plainly.
pub fn geometry_problem(path: &Path, index: usize) -> Option<String> {
    let features = features(path)?;
    let feature = features.get(index)?.as_object()?;
    let Some(geometry) = feature.get("geometry") else {
        return Some("het object heeft geen member \"geometry\"".to_string());
    };
    let g = match geometry {
        Value::Null => return Some("de geometrie is null".to_string()),
        Value::Object(g) => g,
        other => {
            return Some(format!(
                "de geometrie is {}, geen GeoJSON-geometrieobject",
                kind(other)
            ))
        }
    };
    let t = match g.get("type") {
        Some(Value::String(t)) => t.as_str(),
        _ => return Some("de geometrie heeft geen \"type\"".to_string()),
    };
    const TYPES: [&str; 7] = [
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ];
    if !TYPES.contains(&t) {
        return Some(format!(
            "het geometrietype \"{t}\" is geen GeoJSON-type (kies een van: {})",
            TYPES.join(", ")
        ));
    }
    if t == "GeometryCollection" {
        return None;
    }
    match g.get("coordinates") {
        None => Some(format!("de {t} heeft geen \"coordinates\"")),
        Some(Value::Array(c)) if c.is_empty() => {
            Some(format!("de {t} is leeg (\"coordinates\": [])"))
        }
        Some(c) if !well_nested(c, depth(t)) => Some(format!(
            "de coördinaten van de {t} zijn niet genest zoals GeoJSON vraagt (elke positie is [x, y] met twee getallen)"
        )),
        Some(_) => None,
    }
}

/// Nesting depth of a type's coordinates: 0 for a position.
fn depth(t: &str) -> usize {
    match t {
        "Point" => 0,
        "MultiPoint" | "LineString" => 1,
        "MultiLineString" | "Polygon" => 2,
        _ => 3,
    }
}

fn well_nested(v: &Value, depth: usize) -> bool {
    match v.as_array() {
        None => false,
        Some(a) if depth == 0 => a.len() >= 2 && a.iter().all(|n| n.as_f64().is_some()),
        Some(a) => a.iter().all(|x| well_nested(x, depth - 1)),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "een waarde true/false",
        Value::Number(_) => "een getal",
        Value::String(_) => "een tekst",
        Value::Array(_) => "een lijst",
        Value::Object(_) => "een object",
    }
}

/// The first polygon ring that does not end where it starts: (feature index, description).
/// RFC 7946 §3.1.6: "The first and last positions are equivalent".
pub fn unclosed_ring(path: &Path) -> Option<(usize, String)> {
    let features = features(path)?;
    features.iter().enumerate().find_map(|(i, f)| {
        let g = f.get("geometry")?;
        unclosed_in(g).map(|d| (i, d))
    })
}

fn unclosed_in(g: &Value) -> Option<String> {
    let polygons: Vec<&Value> = match g.get("type")?.as_str()? {
        "Polygon" => vec![g.get("coordinates")?],
        "MultiPolygon" => g.get("coordinates")?.as_array()?.iter().collect(),
        "GeometryCollection" => {
            return g
                .get("geometries")?
                .as_array()?
                .iter()
                .find_map(unclosed_in)
        }
        _ => return None,
    };
    for (p, polygon) in polygons.iter().enumerate() {
        for (r, ring) in polygon.as_array()?.iter().enumerate() {
            let ring = ring.as_array()?;
            let (first, last) = (ring.first()?, ring.last()?);
            let xy = |v: &Value| -> Option<(f64, f64)> {
                let a = v.as_array()?;
                Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?))
            };
            let (a, b) = (xy(first)?, xy(last)?);
            if a != b {
                let which = match (polygons.len(), r) {
                    (1, 0) => "de buitenring".to_string(),
                    (1, r) => format!("gat {r}"),
                    (_, 0) => format!("de buitenring van polygoon {}", p + 1),
                    (_, r) => format!("gat {r} van polygoon {}", p + 1),
                };
                return Some(format!(
                    "{which} is niet gesloten: begint bij ({}, {}) en eindigt bij ({}, {})",
                    a.0, a.1, b.0, b.1
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new()
            .suffix(".geojson")
            .tempfile()
            .unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn the_year_a_file_declares_is_read_up_to_the_features() {
        let year = |text: &str| declared_year(file(text).path());
        assert_eq!(
            year(
                r#"{"type":"FeatureCollection","metadata":{"type":"wijken","year":2024},"features":[]}"#
            ),
            Ok(Some(2024))
        );
        // Nothing after `features` is read: a broken tail does not matter, a later metadata
        // member is not seen.
        assert_eq!(
            year(r#"{"metadata":{"year":2022},"features":[{"type": oops"#),
            Ok(Some(2022))
        );
        assert_eq!(
            year(r#"{"features":[],"metadata":{"year":2022}}"#),
            Ok(None)
        );
        assert_eq!(
            year(r#"{"type":"FeatureCollection","features":[]}"#),
            Ok(None)
        );
        assert_eq!(
            year(r#"{"metadata":{"type":"wijken"},"features":[]}"#),
            Ok(None)
        );
        // Not JSON, or JSON that does not parse: the layer reader says what is wrong.
        assert_eq!(year("code;name\n"), Ok(None));
        assert_eq!(year(r#"{"metadata": {"year": 20"#), Ok(None));
        for bad in [r#""2024""#, "2024.5", "24", "null"] {
            let e = year(&format!(r#"{{"metadata":{{"year":{bad}}},"features":[]}}"#)).unwrap_err();
            assert_eq!(
                e,
                format!(
                    "metadata.year is {bad}, geen jaartal (een geheel getal van 1900 tot 2100)"
                )
            );
        }
    }

    #[test]
    fn cut_off_and_malformed_json_give_line_and_column() {
        let f = file("{\"type\": \"FeatureCollection\",\n \"features\": [{\"type\"");
        let (p, _) = unreadable(f.path()).unwrap();
        assert_eq!(
            p,
            "de JSON houdt halverwege op, op regel 2, kolom 21: het bestand is afgebroken"
        );
        // Cut inside a text, with a line break after it.
        let f = file("{\"type\": \"FeatureCollection\",\n \"features\": [{\"na\n");
        let (p, _) = unreadable(f.path()).unwrap();
        assert_eq!(
            p,
            "de JSON houdt halverwege op, op regel 2, kolom 18: het bestand is afgebroken"
        );
        let f = file("{\"type\": \"FeatureCollection\",\n \"features\": [}");
        let (p, _) = unreadable(f.path()).unwrap();
        assert!(
            p.starts_with("de JSON is ongeldig op regel 2, kolom 15 (serde_json meldt: \""),
            "{p}"
        );
        let f = file(" \n ");
        assert_eq!(
            unreadable(f.path()).unwrap().0,
            "het bestand bevat geen JSON, alleen witruimte"
        );
    }

    #[test]
    fn json_that_is_not_geojson_says_what_it_is() {
        let p = |t: &str| unreadable(file(t).path()).unwrap().0;
        assert!(p("[1, 2]").contains("het hoogste niveau is een lijst"));
        assert!(p("{\"wijken\": []}").contains("heeft geen \"type\" (de sleutels: wijken)"));
        assert!(p("{\"type\": \"FeatureCollection\"}").contains("geen member \"features\""));
        assert!(p("{\"type\": \"Topology\"}").contains("\"type\": \"Topology\""));
        assert_eq!(
            unreadable(file("{\"type\": \"FeatureCollection\", \"features\": []}").path()),
            None
        );
    }

    #[test]
    fn geometry_problems_name_the_cause() {
        let f = file(
            r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}},
            {"type": "Feature", "properties": {}, "geometry": null},
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygonn", "coordinates": []}},
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": []}},
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[1, 2], [3]]]}},
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}
            ]}"#,
        );
        let p = |i| geometry_problem(f.path(), i);
        assert_eq!(p(0).unwrap(), "het object heeft geen member \"geometry\"");
        assert_eq!(p(1).unwrap(), "de geometrie is null");
        assert!(p(2).unwrap().contains("\"Polygonn\" is geen GeoJSON-type"));
        assert_eq!(p(3).unwrap(), "de Point is leeg (\"coordinates\": [])");
        assert!(p(4).unwrap().contains("niet genest zoals GeoJSON vraagt"));
        assert_eq!(p(5), None);
        assert_eq!(p(6), None);
    }

    #[test]
    fn the_first_unclosed_ring_is_found() {
        let f = file(
            r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
            {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                [[[5, 5], [6, 5], [6, 6], [5, 5]], [[5.1, 5.1], [5.2, 5.1], [5.2, 5.2]]]]}}
            ]}"#,
        );
        assert_eq!(
            unclosed_ring(f.path()),
            Some((
                1,
                "gat 1 van polygoon 2 is niet gesloten: begint bij (5.1, 5.1) en eindigt bij (5.2, 5.2)"
                    .to_string()
            ))
        );
    }
}

/// The first feature of a GeoJSON FeatureCollection with a key twice, in the feature itself or
/// in its `properties`: (feature index, key). GDAL silently keeps the last of two values for one
/// key (RFC 8259 leaves it to the reader), so `{"population": 100, "population": 9000}` would be
/// read as 9000 without a word. The file is streamed once; only the keys are kept.
///
/// Written with serde visitors because `serde_json::Value` keeps the last value too, and no
/// crate reports duplicate keys with the feature they are in.
pub fn duplicate_key(path: &Path) -> Option<(usize, String)> {
    scan(path)?.duplicate
}

/// What one streaming pass over a GeoJSON FeatureCollection finds that GDAL reads without a
/// word: the first key twice ([`duplicate_key`]), and every property holding a JSON `true` or
/// `false` (feature index, key, value). GDAL types a property with numbers and one boolean as
/// a number and reads `true` as 1, so `"units": true` would count one place; the reader puts
/// the boolean back for that cell, and a number column refuses it
/// (`io::model::number`: "true is een ja/nee-waarde, geen getal").
#[derive(Debug, Default, PartialEq)]
pub struct Scan {
    /// The first feature with a key twice, and the key.
    pub duplicate: Option<(usize, String)>,
    /// The properties that hold a boolean: (feature index, key, value), in file order.
    pub booleans: Vec<(usize, String, bool)>,
}

/// [`Scan`] of the file at `path`; `None` when it is not a readable FeatureCollection (GDAL's
/// reading then says what is wrong).
pub fn scan(path: &Path) -> Option<Scan> {
    let file = std::fs::File::open(path).ok()?;
    let features = serde_json::from_reader::<_, TopLevel>(BufReader::new(file))
        .ok()?
        .features?;
    let mut scan = Scan::default();
    for (i, k) in features.into_iter().enumerate() {
        if scan.duplicate.is_none() {
            scan.duplicate = k.duplicate.map(|key| (i, key));
        }
        scan.booleans
            .extend(k.booleans.into_iter().map(|(key, b)| (i, key, b)));
    }
    Some(scan)
}

/// The top level: only `features` is looked at (serde's derive skips the other keys).
#[derive(serde::Deserialize)]
struct TopLevel {
    features: Option<Vec<Keys>>,
}

/// One feature (or its properties object): its first duplicate key, looking into
/// `properties`, and the properties that hold a boolean.
#[derive(Default)]
struct Keys {
    duplicate: Option<String>,
    booleans: Vec<(String, bool)>,
}

/// The keys and booleans of a `properties` object.
struct Properties(Keys);

impl<'de> serde::Deserialize<'de> for Properties {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Properties;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the properties of a feature")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Properties, A::Error> {
                let mut seen = std::collections::HashSet::new();
                let mut keys = Keys::default();
                while let Some(key) = m.next_key::<String>()? {
                    // A property's value is small (a number, a text): read it whole.
                    if let Some(b) = m.next_value::<serde_json::Value>()?.as_bool() {
                        keys.booleans.push((key.clone(), b));
                    }
                    if !seen.insert(key.clone()) && keys.duplicate.is_none() {
                        keys.duplicate = Some(key);
                    }
                }
                Ok(Properties(keys))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a feature")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Keys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                let mut keys = Keys::default();
                while let Some(key) = m.next_key::<String>()? {
                    if key == "properties" {
                        if let Some(Properties(inner)) = m.next_value::<Option<Properties>>()? {
                            keys.duplicate = keys.duplicate.or(inner.duplicate);
                            keys.booleans = inner.booleans;
                        }
                    } else {
                        m.next_value::<serde::de::IgnoredAny>()?;
                    }
                    if !seen.insert(key.clone()) && keys.duplicate.is_none() {
                        keys.duplicate = Some(key);
                    }
                }
                Ok(keys)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod duplicate_key_tests {
    use super::*;

    fn check(text: &str) -> Option<(usize, String)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.geojson");
        std::fs::write(&path, text).unwrap();
        duplicate_key(&path)
    }

    #[test]
    fn a_key_twice_in_properties_or_in_the_feature_is_found_with_its_feature() {
        let ok = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1,"b":{"a":2}},"geometry":null}]}"#;
        assert_eq!(check(ok), None);
        let twice = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"geometry":null},{"type":"Feature","properties":{"a":1,"b":2,"a":3},"geometry":null}]}"#;
        assert_eq!(check(twice), Some((1, "a".to_string())));
        let feature = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"properties":{},"geometry":null}]}"#;
        assert_eq!(check(feature), Some((0, "properties".to_string())));
    }

    #[test]
    fn booleans_are_found_with_their_feature_and_key() {
        // One `true` among numbers (GDAL reads it as 1), a nested boolean that is no property,
        // and a boolean beside a key twice.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.geojson");
        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"units":12,"x":{"open":true}},"geometry":null},
              {"type":"Feature","properties":{"units":true,"name":"A"},"geometry":null},
              {"type":"Feature","properties":{"open":false,"a":1,"a":2},"geometry":null}]}"#,
        )
        .unwrap();
        assert_eq!(
            scan(&path).unwrap(),
            Scan {
                duplicate: Some((2, "a".into())),
                booleans: vec![(1, "units".into(), true), (2, "open".into(), false)],
            }
        );
    }
}
