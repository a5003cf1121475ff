//! `wijkbalans synth`: write the synthetic dwellings and the illustrative Zwolle sites.

use serde_json::{json, Value};

use crate::cli::args::SynthArgs;
use crate::cli::session::{areas_config, set_threads};
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::config::Role;
use crate::io::outset::{check_outputs, Named};
use crate::io::read::Source;
use crate::io::write;
use crate::table::{number, Table};
use crate::{pipeline, synth};

fn rd_point(xy: [f64; 2]) -> geojson::Geometry {
    geojson::Geometry::new(geojson::GeometryValue::Point {
        coordinates: xy.into(),
    })
}

/// Run the command.
pub fn run(args: SynthArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    if args.dwellings_out.is_none() && args.sites_out.is_none() && args.facilities_out.is_none() {
        return Err(Failure(
            "niets te doen: geef --dwellings-out BESTAND, --sites-out BESTAND en/of \
             --facilities-out BESTAND"
                .into(),
        ));
    }
    let outs: Vec<Named> = [
        (&args.dwellings_out, "--dwellings-out"),
        (&args.sites_out, "--sites-out"),
        (&args.facilities_out, "--facilities-out"),
    ]
    .into_iter()
    .filter_map(|(p, flag)| p.as_ref().map(|p| Named::new(p, flag)))
    .collect();
    // Before anything is read or written: no output is the areas input or another output.
    check_outputs(&outs, &[Named::new(&args.areas, "--areas")]).map_err(Failure)?;
    let cfg = areas_config(&args.areas, args.areas_layer.clone())?;
    // synth reads no configuration file and has no --areas-crs.
    let options = pipeline::LoadOptions {
        areas: Source::flags(Role::Areas, "--areas", "--areas-layer", None),
        ..Default::default()
    };
    let loaded = pipeline::load_with(&cfg, options)?;
    let areas = &loaded.areas;
    let mut outputs = Vec::new();
    if let Some(path) = &args.dwellings_out {
        if !loaded.columns.contains_key("dwellings") {
            return Err(Failure(format!(
                "{}: de gebieden hebben geen kolom met woningen (a_woning); de generator zet één punt per woning",
                args.areas.display()
            )));
        }
        let d = synth::dwellings(areas, args.seed);
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if ext != "geojson" && ext != "json" {
            let coords: Vec<[f64; 2]> = d.iter().map(|x| x.xy).collect();
            let tenure = |i: usize| d[i].tenure.to_string();
            let synthetic = |_: usize| "true".to_string();
            write_large(
                path,
                &ext,
                "woningen_synthetisch",
                &coords,
                &[("eigendom", &tenure), ("synthetic", &synthetic)],
            )?;
            print(&format!(
                "wijkbalans: {} synthetische woningen geschreven naar {}",
                d.len(),
                path.display()
            ));
            if args.sites_out.is_none() {
                return Ok(Exit::Success);
            }
        } else {
            let table = Table {
                columns: vec!["eigendom".into(), "synthetic".into()],
                rows: d
                    .iter()
                    .map(|x| vec![Value::from(x.tenure), Value::Bool(true)])
                    .collect(),
            };
            let geoms = d.iter().map(|x| rd_point(x.xy)).collect();
            let name = format!(
            "SYNTHETISCH: woningpunten gegenereerd uit CBS-woningaantallen en % koopwoningen van {} (seed {}); posities zijn verzonnen",
            args.areas.display(),
            args.seed
        );
            outputs.push((path.clone(), rd_collection(&table, geoms, &name), d.len()));
        }
    }
    if let (Some(path), Some(n)) = (&args.sites_out, args.sites_count) {
        let pts = synth::points_by_population(areas, n, args.seed, 2_000_000_000);
        let groups: Vec<&str> = cfg.target_group.iter().map(|g| g.id.as_str()).collect();
        let coords: Vec<[f64; 2]> = pts.iter().map(|p| p.1).collect();
        let name = |i: usize| format!("synthetische locatie {}", i + 1);
        let units = |i: usize| (5 + (i * 7919) % 36).to_string();
        let group = |i: usize| groups[i % groups.len()].to_string();
        let status = |_: usize| "existing".to_string();
        let synthetic = |_: usize| "true".to_string();
        write_large(
            path,
            &extension(path),
            "zorglocaties_synthetisch",
            &coords,
            &[
                ("name", &name),
                ("units", &units),
                ("target_group", &group),
                ("status", &status),
                ("synthetic", &synthetic),
            ],
        )?;
        print(&format!(
            "wijkbalans: {} synthetische zorglocaties geschreven naar {}",
            coords.len(),
            path.display()
        ));
    } else if let Some(path) = &args.sites_out {
        let placed = synth::zwolle_sites(areas, args.seed).map_err(Failure)?;
        let columns = [
            "name",
            "units",
            "regular_units",
            "target_group",
            "status",
            "care_24h",
            "year",
            "wijk",
            "bron",
            "synthetic",
        ];
        let table = Table {
            columns: columns.iter().map(|s| s.to_string()).collect(),
            rows: placed
                .iter()
                .map(|p| {
                    let t = &p.template;
                    vec![
                        t.name.into(),
                        number(t.units as f64),
                        number(t.regular_units as f64),
                        t.target_group.into(),
                        t.status.into(),
                        Value::Bool(t.care_24h),
                        t.year.map_or(Value::Null, Value::from),
                        t.wijk.into(),
                        t.source.into(),
                        Value::Bool(true),
                    ]
                })
                .collect(),
        };
        let geoms = placed.iter().map(|p| rd_point(p.xy)).collect();
        let name = format!(
            "ILLUSTRATIEF: zorglocaties Zwolle; projecten en aantallen uit de beleidsstukken, wijk en positie verzonnen (seed {})",
            args.seed
        );
        outputs.push((
            path.clone(),
            rd_collection(&table, geoms, &name),
            placed.len(),
        ));
    }
    if let (Some(path), Some(n)) = (&args.facilities_out, args.facilities_count) {
        let pts = synth::points_by_population(areas, n, args.seed, 3_000_000_000);
        let coords: Vec<[f64; 2]> = pts.iter().map(|p| p.1).collect();
        let kind = |i: usize| synth::FACILITY_TYPES[i % synth::FACILITY_TYPES.len()].to_string();
        let synthetic = |_: usize| "true".to_string();
        write_large(
            path,
            &extension(path),
            "voorzieningen_synthetisch",
            &coords,
            &[("type", &kind), ("synthetic", &synthetic)],
        )?;
        print(&format!(
            "wijkbalans: {} synthetische voorzieningen geschreven naar {}",
            coords.len(),
            path.display()
        ));
    }
    for (path, bytes, n) in outputs {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let dir = dir.unwrap_or(std::path::Path::new("."));
        let name = path
            .file_name()
            .ok_or_else(|| Failure(format!("{}: dit is geen bestandsnaam", path.display())))?
            .to_string_lossy()
            .into_owned();
        write::write_all(dir, vec![(name, bytes)])
            .map_err(|e| Failure(format!("{}: niet te schrijven ({e})", path.display())))?;
        print(&format!(
            "wijkbalans: {n} synthetische objecten geschreven naar {}",
            path.display()
        ));
    }
    Ok(Exit::Success)
}

fn extension(path: &std::path::Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Large point layers: CSV (`x,y,eigendom,synthetic`, RD New), FlatGeobuf or GeoPackage,
/// written to a temporary file next to the target and renamed.
fn write_large(
    path: &std::path::Path,
    ext: &str,
    layer_name: &str,
    coords: &[[f64; 2]],
    columns: &[(&str, &dyn Fn(usize) -> String)],
) -> Result<(), Failure> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure(format!("{}: de map is niet te maken ({e})", dir.display())))?;
    let tmp = tempfile::Builder::new()
        .prefix(".synth.")
        .suffix(&format!(".{ext}"))
        .tempfile_in(dir)
        .map_err(|e| {
            Failure(format!(
                "{}: er is hier geen tijdelijk bestand te maken ({e})",
                dir.display()
            ))
        })?;
    let tmp_path = tmp.path().to_path_buf();
    match ext {
        "csv" => {
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(tmp.as_file()));
            let mut header = vec!["x".to_string(), "y".to_string()];
            header.extend(columns.iter().map(|c| c.0.to_string()));
            w.write_record(&header)
                .and_then(|_| {
                    coords.iter().enumerate().try_for_each(|(i, p)| {
                        let mut rec = vec![p[0].to_string(), p[1].to_string()];
                        rec.extend(columns.iter().map(|c| (c.1)(i)));
                        w.write_record(&rec)
                    })
                })
                .and_then(|_| w.flush().map_err(csv::Error::from))
                .map_err(|e| Failure(format!("{}: niet te schrijven ({e})", path.display())))?;
        }
        "fgb" | "gpkg" | "geojson" => {
            // GDAL creates the file itself: remove the placeholder first.
            std::fs::remove_file(&tmp_path).map_err(|e| {
                Failure(format!("{}: niet te verwijderen ({e})", tmp_path.display()))
            })?;
            crate::io::gpkg::write_points(
                &tmp_path,
                match ext {
                    "fgb" => "FlatGeobuf",
                    "gpkg" => "GPKG",
                    _ => "GeoJSON",
                },
                layer_name,
                "EPSG:28992",
                coords,
                columns,
            )
            .map_err(Failure)?;
        }
        other => {
            return Err(Failure(format!(
                "{}: onbekende extensie '{other}'; gebruik .geojson, .csv, .fgb of .gpkg",
                path.display()
            )))
        }
    }
    let (_, kept) = tmp
        .keep()
        .map_err(|e| Failure(format!("{}: niet te bewaren ({e})", tmp_path.display())))?;
    let _ = kept;
    std::fs::rename(&tmp_path, path)
        .map_err(|e| Failure(format!("{}: niet te schrijven ({e})", path.display())))?;
    Ok(())
}

/// A GeoJSON FeatureCollection in RD New, with the (pre-RFC 7946) `crs` member that GDAL and QGIS
/// read, and a `name` that says the data is synthetic.
fn rd_collection(table: &Table, geoms: Vec<geojson::Geometry>, name: &str) -> Vec<u8> {
    let bytes = write::geojson_bytes(table, &geoms);
    let mut fc: serde_json::Map<String, Value> =
        serde_json::from_slice(&bytes).expect("just written");
    let features = fc.remove("features").expect("has features");
    let mut out = serde_json::Map::new();
    out.insert("type".into(), "FeatureCollection".into());
    out.insert("name".into(), name.into());
    out.insert(
        "crs".into(),
        json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}),
    );
    out.insert("features".into(), features);
    let mut b = serde_json::to_vec(&Value::Object(out)).expect("serialises");
    b.push(b'\n');
    b
}
