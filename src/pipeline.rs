//! The library entry point: load a study from a [`Config`] and analyse it.
//!
//! `load` is the only step that touches files (through [`crate::io`]); `analyse` is pure and
//! parallel. The CLI renders the result with [`crate::report`] and writes it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::assign::{self, AreaIndex, AssignCounts, Location};
use crate::config::Config;
use crate::indicators::{self, care::CareTable, Analysis, BalanceOptions, Inputs};
use crate::io::{self, read::ReadOptions, read::Role, InputError};
use crate::model::{Dwellings, Facility, Site};

/// Provenance of one input layer, for `run.json`.
#[derive(Debug, Clone, Serialize)]
pub struct InputRecord {
    /// areas, dwellings or sites.
    pub role: Role,
    /// Path as given.
    pub path: String,
    /// Layer read.
    pub layer: String,
    /// Features read.
    pub features: usize,
    /// CRS the file declared (or was given).
    pub crs: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// A study loaded from files, validated and in the compute CRS.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The configuration it was loaded with.
    pub config: Config,
    /// Areas with the columns their concepts came from.
    pub areas: io::model::AreaLayer,
    /// Dwellings, when given.
    pub dwellings: Option<Dwellings>,
    /// Sites, when given.
    pub sites: Option<Vec<Site>>,
    /// Facilities, when given.
    pub facilities: Option<Vec<Facility>>,
    /// Provenance of every input.
    pub inputs: Vec<InputRecord>,
    /// Names of user-defined levels, in config order.
    pub levels: Vec<String>,
    /// Area codes whose polygons were repaired with MakeValid.
    pub repaired: Vec<String>,
}

fn record(raw: &io::read::RawLayer) -> InputRecord {
    InputRecord {
        role: raw.role,
        path: raw.spec.path.display().to_string(),
        layer: raw.layer_name.clone(),
        features: raw.features.len(),
        crs: raw.source_crs.clone(),
        sha256: raw.sha256.clone(),
    }
}

/// Read every input of the config. All reading happens here, on the calling thread.
pub fn load(config: &Config) -> Result<Loaded, InputError> {
    let opts = ReadOptions {
        compute_crs: config.crs.clone(),
        repair: config.repair_geometry,
    };
    let mut levels = BTreeMap::new();
    let mut level_names = Vec::new();
    for spec in &config.levels {
        let (name, map) = io::levels::read(&spec.path)?;
        level_names.push(name.clone());
        levels.insert(name, map);
    }
    let raw = io::read::read_layer(&config.areas, Role::Areas, &opts, None)?;
    let areas = io::model::areas(&raw, &config.columns, &levels)?;
    let repaired = raw
        .repaired
        .iter()
        .filter_map(|i| areas.areas.iter().find(|a| a.feature_index == *i))
        .map(|a| a.code.clone())
        .collect();
    let t = config.spreading.reference.concept();
    if !areas.columns.contains_key(t) {
        return Err(raw.error(
            format!("spreading.reference is {t}, but the layer has no {t} column"),
            "choose reference = \"population\" under [spreading], or map the column under [columns]",
        ));
    }
    let mut inputs = vec![record(&raw)];
    drop(raw);

    let dwellings = match &config.dwellings {
        None => None,
        Some(spec) => {
            let layer =
                io::read::read_points(spec, Role::Dwellings, &opts, io::model::TENURE_FIELDS)?;
            let mut rec = record(&layer.header);
            rec.features = layer.count;
            inputs.push(rec);
            Some(io::model::dwellings_from_points(layer))
        }
    };
    let sites = match &config.sites {
        None => None,
        Some(spec) => {
            let raw = io::read::read_layer(spec, Role::Sites, &opts, None)?;
            inputs.push(record(&raw));
            Some(io::model::sites(&raw, &config.target_group)?)
        }
    };
    let facilities = match &config.facilities {
        None => None,
        Some(spec) => {
            let raw = io::read::read_layer(spec, Role::Facilities, &opts, None)?;
            inputs.push(record(&raw));
            Some(io::model::facilities(&raw)?)
        }
    };
    Ok(Loaded {
        config: config.clone(),
        areas,
        dwellings,
        sites,
        facilities,
        inputs,
        levels: level_names,
        repaired,
    })
}

/// A site outside every area, with the nearest area.
#[derive(Debug, Clone, Serialize)]
pub struct OutsideSite {
    /// Feature index in the sites layer.
    pub feature: usize,
    /// Site name, when known.
    pub name: Option<String>,
    /// Code of the nearest area.
    pub nearest_area: Option<String>,
    /// Distance to it in metres.
    pub distance_m: Option<f64>,
}

/// How many dwelling indices outside every area are listed in the summary (all are counted).
pub const MAX_LISTED_OUTSIDE: usize = 1000;

/// Run diagnostics: never silent about what was left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diagnostics {
    /// Dwelling assignment counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dwellings: Option<AssignCounts>,
    /// Feature indices of dwellings outside every area (the first [`MAX_LISTED_OUTSIDE`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dwellings_outside_features: Vec<usize>,
    /// Site assignment counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sites: Option<AssignCounts>,
    /// Sites outside every area.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites_outside: Vec<OutsideSite>,
    /// Facility assignment counts (facilities outside every area are counted, not an error:
    /// they may serve residents near the border).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facilities: Option<AssignCounts>,
    /// Areas with 0 inhabitants (rates undefined).
    pub zero_population_areas: Vec<String>,
    /// Areas below `min_denominator` inhabitants (scored, not in the parameters).
    pub small_population_areas: Vec<String>,
    /// Areas whose polygon was repaired.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repaired_polygons: Vec<String>,
}

impl Diagnostics {
    /// Number of points outside every area (dwellings + sites).
    pub fn outside(&self) -> usize {
        self.dwellings.as_ref().map_or(0, |c| c.outside)
            + self.sites.as_ref().map_or(0, |c| c.outside)
    }
}

/// Wall-clock seconds of the analysis stages (for benchmarks; never written into the outputs,
/// which must not depend on timing).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    /// Point-in-area assignment of dwellings, sites and facilities.
    pub assign_s: f64,
    /// Indicators, normalisation and scores.
    pub indicators_s: f64,
    /// Spreading metrics with their permutation tests.
    pub spreading_s: f64,
}

/// Everything an analysis produces, before rendering.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Indicators, baseline and per-area scores.
    pub analysis: Analysis,
    /// Care units per area, when sites were given.
    pub care: Option<CareTable>,
    /// Dwelling points per area, when dwellings were given.
    pub dwelling_points: Option<Vec<usize>>,
    /// Area index of each site (None = outside).
    pub site_areas: Vec<Location>,
    /// Facilities per type (sorted) and area, when facilities were given.
    pub facility_counts: Option<BTreeMap<String, Vec<usize>>>,
    /// Spreading metrics across the areas.
    pub spreading: crate::spread::SpreadResult,
    /// For each site, its index in `spreading.per_site` (counted sites inside an area only).
    pub spread_sites: Vec<Option<usize>>,
    /// Diagnostics.
    pub diagnostics: Diagnostics,
    /// Stage timings.
    pub timings: Timings,
    /// Accessibility per area, when facilities and dwellings were given.
    pub access: Option<AccessResult>,
}

/// Accessibility per area ("hemelsbreed": straight-line distances).
#[derive(Debug, Clone)]
pub struct AccessResult {
    /// Share of dwellings within each radius of the nearest facility of each type, and the
    /// dwelling-weighted mean nearest distance per type.
    pub shares: crate::access::RingShares,
    /// The sorted radii.
    pub radii: Vec<f64>,
    /// Share of dwellings whose every requirement of the general rings is met (access_score).
    pub score: Vec<Option<f64>>,
    /// Geroscoop weighted mean distance per area.
    pub geroscoop: crate::access::AreaWeightedDistance,
}

/// Assign points, aggregate care units and score every area.
pub fn analyse(loaded: &Loaded) -> Outcome {
    analyse_with_progress(loaded, &crate::progress::Silent)
}

/// [`analyse`], reporting the permutation tests of the spreading metrics to `progress` (see
/// [`crate::spread::compute_with_progress`]). The outcome is the same as [`analyse`]'s.
pub fn analyse_with_progress(loaded: &Loaded, progress: &dyn crate::progress::Progress) -> Outcome {
    let cfg = &loaded.config;
    let areas = &loaded.areas.areas;
    let t0 = std::time::Instant::now();
    let index = AreaIndex::new(areas.iter().map(|a| a.geometry.clone()).collect());
    let mut diagnostics = Diagnostics {
        repaired_polygons: loaded.repaired.clone(),
        ..Default::default()
    };

    let mut dwelling_area: Option<Vec<Option<usize>>> = None;
    let dwelling_points = loaded.dwellings.as_ref().map(|d| {
        let locs = index.locate_all(&d.coords);
        if loaded.facilities.is_some() {
            dwelling_area = Some(locs.iter().map(|l| l.area()).collect());
        }
        diagnostics.dwellings = Some(assign::count(&locs));
        diagnostics.dwellings_outside_features = locs
            .iter()
            .enumerate()
            .filter(|(_, l)| **l == Location::Outside)
            .map(|(i, _)| i)
            .take(MAX_LISTED_OUTSIDE)
            .collect();
        assign::per_area(&locs, areas.len())
    });

    let (site_areas, care) = match &loaded.sites {
        None => (Vec::new(), None),
        Some(sites) => {
            let pts: Vec<[f64; 2]> = sites.iter().map(|s| [s.location.x, s.location.y]).collect();
            let locs = index.locate_all(&pts);
            diagnostics.sites = Some(assign::count(&locs));
            diagnostics.sites_outside = sites
                .iter()
                .zip(&locs)
                .filter(|(_, l)| **l == Location::Outside)
                .map(|(s, _)| {
                    let nearest = index.nearest([s.location.x, s.location.y]);
                    OutsideSite {
                        feature: s.feature_index,
                        name: s.name.clone(),
                        nearest_area: nearest.map(|(i, _)| areas[i].code.clone()),
                        distance_m: nearest.map(|(_, d)| d.round()),
                    }
                })
                .collect();
            let area_of: Vec<Option<usize>> = locs.iter().map(|l| l.area()).collect();
            let care = indicators::care::aggregate(
                sites,
                &area_of,
                areas.len(),
                &cfg.target_group,
                &cfg.count_status,
            );
            (locs, Some(care))
        }
    };

    let facility_counts = loaded.facilities.as_ref().map(|fs| {
        let pts: Vec<[f64; 2]> = fs.iter().map(|f| [f.location.x, f.location.y]).collect();
        let locs = index.locate_all(&pts);
        diagnostics.facilities = Some(assign::count(&locs));
        let mut counts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (f, l) in fs.iter().zip(&locs) {
            if let Some(i) = l.area() {
                counts
                    .entry(f.kind.clone())
                    .or_insert_with(|| vec![0; areas.len()])[i] += 1;
            }
        }
        counts
    });

    let concepts_present: Vec<String> =
        loaded.areas.columns.keys().map(|k| k.to_string()).collect();
    let inputs = Inputs {
        concepts_present,
        care_units: care.as_ref().map(|c| c.weighted.as_slice()),
    };
    let opts = BalanceOptions {
        normalisation: cfg.normalisation.clone(),
        signal: cfg.signal.clone(),
    };
    let access = match (&loaded.facilities, &loaded.dwellings, &dwelling_area) {
        (Some(fs), Some(d), Some(area_of)) if !fs.is_empty() => {
            let fi = crate::access::FacilityIndex::from_facilities(fs);
            let kinds: Vec<String> = fi.types().iter().map(|s| s.to_string()).collect();
            let mut radii = cfg.access.radii.clone();
            radii.sort_by(f64::total_cmp);
            radii.dedup();
            let n = areas.len();
            let shares = crate::access::ring_shares(&fi, &d.coords, area_of, n, &kinds, &radii);
            let geroscoop = crate::access::geroscoop_by_area(
                &fi,
                &d.coords,
                area_of,
                n,
                &cfg.access.geroscoop_weights,
            );
            let (score, _) = crate::access::rings_ok_shares(
                &fi,
                &d.coords,
                area_of,
                n,
                &cfg.access.rings.default,
            );
            match (shares, geroscoop) {
                (Ok(shares), Ok(geroscoop)) => Some(AccessResult {
                    shares,
                    radii,
                    score,
                    geroscoop,
                }),
                _ => None,
            }
        }
        _ => None,
    };
    drop(dwelling_area);
    let t1 = std::time::Instant::now();
    let analysis = indicators::analyse(areas, &cfg.indicator, &inputs, &opts);
    let t2 = std::time::Instant::now();
    let (spreading, spread_sites) = spreading(
        loaded,
        index.polygons(),
        care.as_ref(),
        &site_areas,
        &analysis,
        progress,
    );
    let t3 = std::time::Instant::now();
    for a in areas {
        let pop = a.value("population").unwrap_or(0.0);
        if pop <= 0.0 {
            diagnostics.zero_population_areas.push(a.code.clone());
        } else if pop < cfg.normalisation.min_denominator {
            diagnostics.small_population_areas.push(a.code.clone());
        }
    }
    Outcome {
        analysis,
        care,
        dwelling_points,
        site_areas,
        facility_counts,
        spreading,
        spread_sites,
        diagnostics,
        access,
        timings: Timings {
            assign_s: (t1 - t0).as_secs_f64(),
            indicators_s: (t2 - t1).as_secs_f64(),
            spreading_s: t3.duration_since(t2).as_secs_f64(),
        },
    }
}

/// The input of the spreading metrics: x = weighted care units of counted sites (Σ_g w_g
/// units_g; the unit count with the default weights), t = the configured reference, the rate
/// 1000·x/population, the saldo, and the counted sites that lie in an area.
fn spreading(
    loaded: &Loaded,
    geoms: &[geo::MultiPolygon<f64>],
    care: Option<&CareTable>,
    site_areas: &[Location],
    analysis: &Analysis,
    progress: &dyn crate::progress::Progress,
) -> (crate::spread::SpreadResult, Vec<Option<usize>>) {
    let cfg = &loaded.config;
    let areas = &loaded.areas.areas;
    let n = areas.len();
    let zeros = vec![0.0; n];
    let x: &[f64] = care.map_or(&zeros, |c| c.weighted.as_slice());
    let t_concept = cfg.spreading.reference.concept();
    let t: Vec<f64> = areas
        .iter()
        .map(|a| a.value(t_concept).unwrap_or(0.0))
        .collect();
    let rate: Vec<Option<f64>> = areas
        .iter()
        .zip(x)
        .map(|(a, xi)| {
            let pop = a.value("population").unwrap_or(0.0);
            (care.is_some() && pop > 0.0).then(|| 1000.0 * xi / pop)
        })
        .collect();
    let saldo: Vec<Option<f64>> = analysis.areas.iter().map(|s| s.saldo).collect();
    let empty = BTreeMap::new();
    let by_group = care.map_or(&empty, |c| &c.units_by_group);
    let mut points = Vec::new();
    let mut index = vec![None; site_areas.len()];
    if let Some(sites) = &loaded.sites {
        for (k, (site, loc)) in sites.iter().zip(site_areas).enumerate() {
            if loc.area().is_some() && cfg.count_status.contains(&site.status) {
                index[k] = Some(points.len());
                points.push(crate::spread::SitePoint {
                    x: site.location.x,
                    y: site.location.y,
                    group: site.target_group.clone(),
                });
            }
        }
    }
    let input = crate::spread::SpreadInput {
        geometries: geoms,
        care_units: x,
        reference: &t,
        units_by_group: by_group,
        rate: &rate,
        saldo: &saldo,
        sites: &points,
        window: None,
    };
    let opts = cfg
        .spreading
        .options(cfg.seed)
        .expect("validated with the config");
    (
        crate::spread::compute_with_progress(&input, &opts, progress),
        index,
    )
}
