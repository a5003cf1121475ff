//! Writing a GeoPackage with GDAL: several layers in the compute CRS, each with its QGIS styles
//! in the `layer_styles` table: the first is the layer's default style (QGIS opens the layer
//! with it), the others can be picked under *Layer Properties → Style → Load Style → From
//! Database*.
//!
//! The file is written to a temporary directory and returned as bytes, so that it takes part in
//! the all-or-nothing write of a run like every other output. GeoPackage stores timestamps
//! (`gpkg_contents.last_change`, `layer_styles.update_time`); both are set to the fixed
//! [`FIXED_TIME`] so that the same inputs give byte-identical files.

use gdal::vector::{
    FieldDefn, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType, ToGdal,
};
use gdal::DriverManager;
use serde_json::Value;

use super::crs::parse_crs;
use crate::error::{gdal_says, system_says};
use crate::table::Table;

/// The timestamp written into every GeoPackage (see the module docs).
pub const FIXED_TIME: &str = "2000-01-01T00:00:00Z";

/// One layer to write.
pub struct GpkgLayer<'a> {
    /// Layer (table) name, e.g. `areas`.
    pub name: &'a str,
    /// Attributes, one row per feature.
    pub table: &'a Table,
    /// Geometries in the compute CRS, one per row.
    pub geometries: &'a [geo::Geometry<f64>],
    /// QGIS styles as `(name, QML)`: the first is stored as the layer's default, the others as
    /// alternatives. Empty: no style.
    pub styles: Vec<(String, String)>,
}

fn column_type(table: &Table, c: usize) -> OGRFieldType::Type {
    let mut integral = true;
    let mut numeric = true;
    let mut any = false;
    for row in &table.rows {
        match &row[c] {
            Value::Null => {}
            Value::Number(n) => {
                any = true;
                if !(n.is_i64() || n.is_u64()) {
                    integral = false;
                }
            }
            Value::Bool(_) => {
                any = true;
            }
            _ => {
                numeric = false;
                any = true;
            }
        }
    }
    if !any || !numeric {
        OGRFieldType::OFTString
    } else if integral {
        OGRFieldType::OFTInteger64
    } else {
        OGRFieldType::OFTReal
    }
}

fn geometry_type(layer: &GpkgLayer) -> OGRwkbGeometryType::Type {
    match layer.geometries.first() {
        Some(geo::Geometry::Point(_)) => OGRwkbGeometryType::wkbPoint,
        _ => OGRwkbGeometryType::wkbMultiPolygon,
    }
}

/// Render the layers into a GeoPackage in `crs` and return its bytes.
pub fn gpkg_bytes(layers: &[GpkgLayer], crs: &str) -> Result<Vec<u8>, String> {
    let err = |what: &str, e: gdal::errors::GdalError| {
        format!(
            "GeoPackage schrijven mislukt bij {what} ({})",
            gdal_says(&e)
        )
    };
    gdal::config::set_config_option("OGR_CURRENT_DATE", FIXED_TIME)
        .map_err(|e| err("de vaste datum", e))?;
    let dir = tempfile::tempdir().map_err(|e| {
        format!(
            "GeoPackage: tijdelijke map kan niet worden gemaakt ({})",
            system_says(&e)
        )
    })?;
    let path = dir.path().join("out.gpkg");
    {
        let driver =
            DriverManager::get_driver_by_name("GPKG").map_err(|e| err("het stuurprogramma", e))?;
        let mut ds = driver
            .create_vector_only(&path)
            .map_err(|e| err("aanmaken", e))?;
        let srs = parse_crs(crs)?;
        for layer in layers {
            let mut tx = ds
                .start_transaction()
                .map_err(|e| err("de transactie", e))?;
            let lyr = tx
                .create_layer(LayerOptions {
                    name: layer.name,
                    srs: Some(&srs),
                    ty: geometry_type(layer),
                    options: Some(&["SPATIAL_INDEX=NO"]),
                })
                .map_err(|e| err(&format!("laag '{}'", layer.name), e))?;
            let types: Vec<OGRFieldType::Type> = (0..layer.table.columns.len())
                .map(|c| column_type(layer.table, c))
                .collect();
            for (name, ty) in layer.table.columns.iter().zip(&types) {
                FieldDefn::new(name, *ty)
                    .and_then(|f| f.add_to_layer(&lyr))
                    .map_err(|e| err(&format!("kolom '{name}'"), e))?;
            }
            for (row, geom) in layer.table.rows.iter().zip(layer.geometries) {
                let mut f = gdal::vector::Feature::new(lyr.defn())
                    .map_err(|e| err("een nieuw object", e))?;
                for (i, (v, ty)) in row.iter().zip(&types).enumerate() {
                    let r = match (v, *ty) {
                        (Value::Null, _) => f.set_field_null(i),
                        (Value::Bool(b), OGRFieldType::OFTString) => {
                            f.set_field_string(i, if *b { "true" } else { "false" })
                        }
                        (Value::Bool(b), _) => f.set_field_integer64(i, *b as i64),
                        (Value::Number(n), OGRFieldType::OFTInteger64) => {
                            f.set_field_integer64(i, n.as_i64().unwrap_or_default())
                        }
                        (Value::Number(n), OGRFieldType::OFTReal) => {
                            f.set_field_double(i, n.as_f64().unwrap_or_default())
                        }
                        (Value::String(s), _) => f.set_field_string(i, s),
                        (other, _) => f.set_field_string(i, &other.to_string()),
                    };
                    r.map_err(|e| err(&format!("kolom '{}'", layer.table.columns[i]), e))?;
                }
                let g = geom.to_gdal().map_err(|e| err("de geometrie", e))?;
                f.set_geometry(g).map_err(|e| err("de geometrie", e))?;
                f.create(&lyr).map_err(|e| err("een object schrijven", e))?;
            }
            tx.commit().map_err(|e| err("vastleggen", e))?;
        }
        write_styles(&mut ds, layers).map_err(|e| err("de tabel layer_styles", e))?;
    }
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("GeoPackage: teruglezen mislukt ({})", system_says(&e)))?;
    Ok(bytes)
}

/// The `layer_styles` table as QGIS creates it: per styled layer one default style and any
/// alternatives, in the order given.
fn write_styles(ds: &mut gdal::Dataset, layers: &[GpkgLayer]) -> gdal::errors::Result<()> {
    if layers.iter().all(|l| l.styles.is_empty()) {
        return Ok(());
    }
    let mut tx = ds.start_transaction()?;
    let lyr = tx.create_layer(LayerOptions {
        name: "layer_styles",
        srs: None,
        ty: OGRwkbGeometryType::wkbNone,
        options: None,
    })?;
    for (name, value) in style_row("", "", "", false) {
        let ty = match value {
            StyleValue::Text(_) => OGRFieldType::OFTString,
            StyleValue::Integer(_) => OGRFieldType::OFTInteger,
        };
        FieldDefn::new(name, ty)?.add_to_layer(&lyr)?;
    }
    for layer in layers {
        for (k, (style_name, qml)) in layer.styles.iter().enumerate() {
            let mut f = gdal::vector::Feature::new(lyr.defn())?;
            for (i, (_, value)) in style_row(layer.name, style_name, qml, k == 0)
                .into_iter()
                .enumerate()
            {
                match value {
                    StyleValue::Text(t) => f.set_field_string(i, t)?,
                    StyleValue::Integer(n) => f.set_field_integer(i, n)?,
                }
            }
            f.create(&lyr)?;
        }
    }
    tx.commit()
}

/// A value of a `layer_styles` column.
enum StyleValue<'a> {
    Text(&'a str),
    Integer(i32),
}

/// One row of the `layer_styles` table, `(column, value)` in the order QGIS creates the
/// columns (the columns and their types are read from it too): the style `name` with its
/// `qml` for the layer `table` (geometry column `geom`), the default style when `default`.
fn style_row<'a>(
    table: &'a str,
    name: &'a str,
    qml: &'a str,
    default: bool,
) -> [(&'static str, StyleValue<'a>); 12] {
    use StyleValue::{Integer, Text};
    [
        ("f_table_catalog", Text("")),
        ("f_table_schema", Text("")),
        ("f_table_name", Text(table)),
        ("f_geometry_column", Text("geom")),
        ("styleName", Text(name)),
        ("styleQML", Text(qml)),
        ("styleSLD", Text("")),
        ("useAsDefault", Integer(i32::from(default))),
        ("description", Text("wijkbalans")),
        ("owner", Text("")),
        ("ui", Text("")),
        ("update_time", Text(FIXED_TIME)),
    ]
}

/// Write a point layer straight to a file with GDAL (GeoPackage, FlatGeobuf, or any vector
/// driver), without holding the whole layer in memory twice. For large synthetic layers.
/// `columns` are string attributes, one value per point.
pub fn write_points(
    path: &std::path::Path,
    driver_name: &str,
    layer_name: &str,
    crs: &str,
    coords: &[[f64; 2]],
    columns: &[(&str, &dyn Fn(usize) -> String)],
) -> Result<(), String> {
    let err = |what: &str, e: gdal::errors::GdalError| {
        format!(
            "{}: schrijven mislukt bij {what} ({})",
            path.display(),
            gdal_says(&e)
        )
    };
    gdal::config::set_config_option("OGR_CURRENT_DATE", FIXED_TIME)
        .map_err(|e| err("de vaste datum", e))?;
    let driver =
        DriverManager::get_driver_by_name(driver_name).map_err(|e| err("het stuurprogramma", e))?;
    let mut ds = driver
        .create_vector_only(path)
        .map_err(|e| err("aanmaken", e))?;
    let srs = parse_crs(crs)?;
    let fill = |ds: &mut gdal::Dataset| -> gdal::errors::Result<()> {
        let options: &[&str] = if driver_name == "GPKG" {
            &["SPATIAL_INDEX=NO"]
        } else {
            &[]
        };
        let lyr = ds.create_layer(LayerOptions {
            name: layer_name,
            srs: Some(&srs),
            ty: OGRwkbGeometryType::wkbPoint,
            options: Some(options),
        })?;
        for (name, _) in columns {
            FieldDefn::new(name, OGRFieldType::OFTString)?.add_to_layer(&lyr)?;
        }
        for (i, p) in coords.iter().enumerate() {
            let mut f = gdal::vector::Feature::new(lyr.defn())?;
            for (k, (_, value)) in columns.iter().enumerate() {
                f.set_field_string(k, &value(i))?;
            }
            let mut g = gdal::vector::Geometry::empty(OGRwkbGeometryType::wkbPoint)?;
            g.add_point_2d((p[0], p[1]));
            f.set_geometry(g)?;
            f.create(&lyr)?;
        }
        Ok(())
    };
    if driver_name == "GPKG" {
        // One transaction: without it SQLite commits every feature.
        let mut tx = ds
            .start_transaction()
            .map_err(|e| err("de transactie", e))?;
        fill(&mut tx).map_err(|e| err("schrijven", e))?;
        tx.commit().map_err(|e| err("vastleggen", e))
    } else {
        fill(&mut ds).map_err(|e| err("schrijven", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn table() -> Table {
        Table {
            columns: vec!["code".into(), "saldo".into(), "n".into(), "ok".into()],
            rows: vec![
                vec![
                    "WK1".into(),
                    serde_json::json!(-1.25),
                    3.into(),
                    true.into(),
                ],
                vec!["WK2".into(), Value::Null, 4.into(), false.into()],
            ],
        }
    }

    fn squares() -> Vec<geo::Geometry<f64>> {
        let sq = |x: f64| {
            geo::Geometry::MultiPolygon(geo::MultiPolygon(vec![polygon![
                (x: x, y: 500000.0), (x: x + 10.0, y: 500000.0), (x: x + 10.0, y: 500010.0), (x: x, y: 500000.0)
            ]]))
        };
        vec![sq(200000.0), sq(200010.0)]
    }

    fn layer<'a>(t: &'a Table, geometries: &'a [geo::Geometry<f64>]) -> GpkgLayer<'a> {
        GpkgLayer {
            name: "areas",
            table: t,
            geometries,
            styles: vec![
                ("wijkbalans".to_string(), "<qgis></qgis>".to_string()),
                ("wijkbalans: signal".to_string(), "<qgis/>".to_string()),
            ],
        }
    }

    #[test]
    fn a_geopackage_reads_back_with_its_fields_and_style() {
        let t = table();
        let bytes = gpkg_bytes(&[layer(&t, &squares())], "EPSG:28992").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.gpkg");
        std::fs::write(&p, &bytes).unwrap();
        let ds = gdal::Dataset::open(&p).unwrap();
        let mut l = ds.layer_by_name("areas").unwrap();
        assert_eq!(l.feature_count(), 2);
        let fields: Vec<String> = l.defn().fields().map(|f| f.name()).collect();
        assert_eq!(fields, ["code", "saldo", "n", "ok"]);
        let f = l.features().next().unwrap();
        assert_eq!(f.field_as_double(1).unwrap(), Some(-1.25));
        let mut styles = ds.layer_by_name("layer_styles").unwrap();
        let rows: Vec<(Option<String>, Option<String>, Option<i32>)> = styles
            .features()
            .map(|s| {
                (
                    s.field_as_string(2).unwrap(),
                    s.field_as_string(4).unwrap(),
                    s.field_as_integer(7).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (Some("areas".into()), Some("wijkbalans".into()), Some(1)),
                (
                    Some("areas".into()),
                    Some("wijkbalans: signal".into()),
                    Some(0)
                ),
            ],
            "the first style is the default"
        );
    }

    #[test]
    fn the_same_layers_give_the_same_bytes() {
        let t = table();
        let a = gpkg_bytes(&[layer(&t, &squares())], "EPSG:28992").unwrap();
        let b = gpkg_bytes(&[layer(&t, &squares())], "EPSG:28992").unwrap();
        assert!(a == b);
    }
}
