//! Coordinate reference systems: parsing a CRS offline, naming it, and transforming one point
//! with a check that its numbers fit the CRS.

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};

use super::gdal_env;
use crate::error::gdal_says;

/// Parse a CRS given as `EPSG:nnnn` (or anything GDAL's SetFromUserInput accepts).
pub fn parse_crs(text: &str) -> Result<SpatialRef, String> {
    gdal_env::offline();
    let (srs, messages) = gdal_env::capturing(|| SpatialRef::from_definition(text));
    if messages
        .iter()
        .any(|m| m.text.starts_with(gdal_env::REFUSED))
    {
        return Err(format!(
            "het coördinatenstelsel '{text}' zou van het netwerk moeten komen, en dat doet wijkbalans nooit; gebruik bijvoorbeeld EPSG:28992"
        ));
    }
    let mut srs = srs.map_err(|e| {
        format!(
            "'{text}' is geen coördinatenstelsel dat GDAL kent ({}); gebruik bijvoorbeeld \
             EPSG:28992",
            gdal_says(&e)
        )
    })?;
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
            "de coördinaten ({}, {}) zijn geen lon/lat-graden, maar het coördinatenstelsel is {from}; geef voor RD-coördinaten {} op",
            crate::error::shown(p[0]),
            crate::error::shown(p[1]),
            declare.replace("{}", "EPSG:28992")
        ));
    }
    if !src.is_geographic() && degrees {
        return Err(format!(
            "de coördinaten ({}, {}) lijken op lon/lat-graden, maar het coördinatenstelsel is {from} (meters); geef {} op",
            p[0],
            p[1],
            declare.replace("{}", "EPSG:4326")
        ));
    }
    if crs_name(&src) == crs_name(&parse_crs(to)?) {
        return Ok(p);
    }
    let dst = parse_crs(to)?;
    let t = CoordTransform::new(&src, &dst).map_err(|e| {
        format!(
            "{from} kan niet worden omgezet naar {to} ({})",
            gdal_says(&e)
        )
    })?;
    let (mut x, mut y) = ([p[0]], [p[1]]);
    t.transform_coords(&mut x, &mut y, &mut []).map_err(|e| {
        format!(
            "({}, {}) kan niet worden omgezet vanuit {from} ({})",
            p[0],
            p[1],
            gdal_says(&e)
        )
    })?;
    Ok([x[0], y[0]])
}

/// A short name of a CRS: `EPSG:28992` when identifiable.
pub fn crs_name(srs: &SpatialRef) -> String {
    match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => format!("{a}:{c}"),
        _ => srs.name().unwrap_or_else(|| "unknown CRS".to_string()),
    }
}

/// The largest error of distances measured in a projected CRS around the middle of the
/// Netherlands (52.1° N, 5.3° E) that a run accepts: 1 %. RD New is off by less than 0.01 %
/// there, UTM zones 31 and 32 by less than 0.1 %; Web Mercator (EPSG:3857) stretches every
/// distance by 1/cos 52.1° ≈ 1.63, so a 500 m ring would be 307 m on the ground.
pub const MAX_SCALE_ERROR: f64 = 0.01;

/// Scale factors (north–south, east–west) of `srs` at 52.1° N, 5.3° E: projected distance over
/// the distance on the WGS84 ellipsoid of a step of 0.01°, times the CRS's metres per unit.
///
/// On the ellipsoid (a = 6,378,137 m, e² = 0.00669438) the meridian radius is
/// M = a(1 − e²)/(1 − e² sin²φ)^1.5 and the prime-vertical radius N = a/(1 − e² sin²φ)^0.5; a
/// step of Δ radians is M·Δ to the north and N·cos φ·Δ to the east. Example: for EPSG:3857 both
/// factors are about 1.63 (1/cos 52.1° = 1.629); for EPSG:28992 both are within 0.0002 of 1.
pub fn scale_in_the_netherlands(srs: &SpatialRef) -> Result<(f64, f64), String> {
    let wgs84 = parse_crs("EPSG:4326")?;
    let t = CoordTransform::new(&wgs84, srs).map_err(|e| {
        format!(
            "omzetten naar dit coördinatenstelsel lukt niet ({})",
            gdal_says(&e)
        )
    })?;
    let (lon, lat, d) = (5.3_f64, 52.1_f64, 0.01_f64);
    let mut xs = [lon, lon, lon + d];
    let mut ys = [lat, lat + d, lat];
    t.transform_coords(&mut xs, &mut ys, &mut []).map_err(|e| {
        format!(
            "een punt in Nederland kan niet naar dit coördinatenstelsel worden omgezet ({})",
            gdal_says(&e)
        )
    })?;
    let unit = srs.linear_units();
    let (a, e2) = (6_378_137.0_f64, 0.006_694_379_990_14_f64);
    let phi = (lat + d / 2.0).to_radians();
    let w = 1.0 - e2 * phi.sin().powi(2);
    let m = a * (1.0 - e2) / w.powf(1.5);
    let n = a / w.sqrt();
    let step = d.to_radians();
    let north = unit * (xs[1] - xs[0]).hypot(ys[1] - ys[0]) / (m * step);
    let east = unit * (xs[2] - xs[0]).hypot(ys[2] - ys[0]) / (n * lat.to_radians().cos() * step);
    Ok((north, east))
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    #[test]
    fn rd_new_measures_true_and_web_mercator_stretches_by_1_63() {
        let (n, e) = scale_in_the_netherlands(&parse_crs("EPSG:28992").unwrap()).unwrap();
        assert!(
            (n - 1.0).abs() < 0.001 && (e - 1.0).abs() < 0.001,
            "{n} {e}"
        );
        let (n, e) = scale_in_the_netherlands(&parse_crs("EPSG:3857").unwrap()).unwrap();
        assert!(
            (n - 1.63).abs() < 0.01 && (e - 1.63).abs() < 0.01,
            "{n} {e}"
        );
        let (n, e) = scale_in_the_netherlands(&parse_crs("EPSG:32631").unwrap()).unwrap();
        assert!(
            (n - 1.0).abs() < 0.002 && (e - 1.0).abs() < 0.002,
            "{n} {e}"
        );
    }
}
