//! Coordinate reference systems: parsing a CRS offline, naming it, and transforming one point
//! with a check that its numbers fit the CRS.

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};

use super::gdal_env;

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
