//! The library entry point: load a study from a [`Config`] and analyse it.
//!
//! `load` is the only step that touches files (through [`crate::io`]); `analyse` is pure and
//! parallel. The CLI renders the result with [`crate::report`] and writes it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::assign::{self, AreaIndex, AssignCounts, Location};
use crate::config::Role;
use crate::config::{Config, ValidConfig};
use crate::error::InputError;
use crate::indicators::{self, care::CareTable, Analysis, BalanceOptions, Inputs};
use crate::io;
use crate::io::read::{ReadOptions, Source};
use crate::model::{Area, AreaSet, ColumnMap, Dwellings, Facility, Site};

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
    /// BLAKE3 digest of the file (computed in the background for a large point layer; see
    /// [`io::digest`]).
    pub blake3: io::digest::FileDigest,
}

/// A study loaded from files, validated and in the compute CRS.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The configuration it was loaded with.
    pub config: ValidConfig,
    /// Areas sorted by code (validated, in the compute CRS).
    pub areas: Vec<Area>,
    /// Concept → the source column it was read from.
    pub columns: ColumnMap,
    /// Text columns passed through to the output (e.g. `urbanity`), per area (area order).
    pub urbanity: Option<Vec<Option<String>>>,
    /// Dwellings, when given.
    pub dwellings: Option<Dwellings>,
    /// Sites, when given.
    pub sites: Option<Vec<Site>>,
    /// Facilities, when given.
    pub facilities: Option<Vec<Facility>>,
    /// The facilities indexed for nearest-distance queries (over de weg when a network was
    /// given), when the layer has at least one facility.
    pub facility_index: Option<std::sync::Arc<crate::access::FacilityIndex>>,
    /// The walking network's size (nodes, edges), when one was given and used.
    pub network_size: Option<(usize, usize)>,
    /// Broken dwelling features left out (the first ones listed).
    pub dwellings_skipped: SkippedFeatures,
    /// Provenance of every input.
    pub inputs: Vec<InputRecord>,
    /// Names of user-defined levels, in config order.
    pub levels: Vec<String>,
    /// What each level mapping leaves out or names in vain ([`io::levels::coverage`]).
    pub level_warnings: Vec<String>,
    /// Area codes whose polygons were repaired with MakeValid.
    pub repaired: Vec<String>,
    /// The BAG file the addresses of sites or facilities were looked up in, when one was
    /// (written to `run.json` as `bag`).
    pub bag: Option<BagUse>,
    /// Rows of address files left out because they have no single BAG point (only when the
    /// run was asked to continue without them: [`LoadOptions::skip_unmatched`]).
    pub unmatched: Vec<io::model::Unmatched>,
    /// The BAG itself, when the load read it and was asked to keep it
    /// ([`LoadOptions::keep_bag`]): a command that looks up more addresses after the load uses
    /// this one instead of reading (and hashing) the file again.
    pub bag_index: Option<std::sync::Arc<io::read::Bag>>,
}

/// The BAG file a run placed addresses with, for `run.json` (docs/OUTPUTS.md, "run.json").
#[derive(Debug, Clone, Serialize)]
pub struct BagUse {
    /// Path as given.
    pub path: String,
    /// BLAKE3 digest of the file (hex).
    pub blake3: String,
    /// Addresses in its index.
    pub addresses: usize,
    /// The address layers read.
    pub layers: Vec<String>,
    /// Rows placed at a BAG address, per layer flag (`--sites`, `--facilities`).
    pub placed: BTreeMap<String, usize>,
    /// Rows left out as unmatched, per layer flag (with `--unmatched`).
    pub unmatched: BTreeMap<String, usize>,
}

/// How [`load_with`] treats what it may leave out, and where the areas file was named.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Leave rows of address files without a single BAG point out (listed in
    /// [`Loaded::unmatched`]) instead of stopping with the list.
    pub skip_unmatched: bool,
    /// The flags that named the areas file, for its messages: `--areas` and the configuration
    /// file by default; `--previous` for `report --previous`, `--before` and `--after` for
    /// `compare`.
    pub areas: Source,
    /// Keep the BAG read for the address rows ([`Loaded::bag_index`]); otherwise it is dropped
    /// after the load, since only `suggest --candidates` by address needs it later.
    pub keep_bag: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            skip_unmatched: false,
            areas: Source::of(Role::Areas),
            keep_bag: false,
        }
    }
}

impl Loaded {
    /// Waits for the input digests still being computed (see [`io::digest`]); an input that
    /// can no longer be read is the error. Call before serialising [`Loaded::inputs`].
    pub fn wait_for_digests(&self) -> Result<(), InputError> {
        for input in &self.inputs {
            input.blake3.wait()?;
        }
        Ok(())
    }

    /// A study of validated areas alone: no other layer, no level, no input record. For
    /// analyses of areas built in memory (property tests, fuzzing); [`load`] reads files.
    pub fn from_areas(config: ValidConfig, set: AreaSet) -> Self {
        Loaded {
            config,
            areas: set.areas,
            columns: set.columns,
            urbanity: set.urbanity,
            dwellings: None,
            sites: None,
            facilities: None,
            facility_index: None,
            network_size: None,
            dwellings_skipped: SkippedFeatures::default(),
            inputs: Vec::new(),
            levels: Vec::new(),
            level_warnings: Vec::new(),
            repaired: Vec::new(),
            bag: None,
            unmatched: Vec::new(),
            bag_index: None,
        }
    }
}

/// The areas layer read and validated, with what [`load`] keeps of it.
struct AreasRead {
    areas: AreaSet,
    level_names: Vec<String>,
    level_warnings: Vec<String>,
    repaired: Vec<String>,
    record: InputRecord,
}

/// The level mappings and the areas layer of `config`, validated.
fn load_areas(
    config: &Config,
    opts: &ReadOptions,
    source: Source,
) -> Result<AreasRead, InputError> {
    let mut levels = BTreeMap::new();
    let mut level_names = Vec::new();
    let mut level_paths = Vec::new();
    let mut level_files: BTreeMap<String, &std::path::Path> = BTreeMap::new();
    for spec in &config.levels {
        let (name, map) = io::levels::read(&spec.path)?;
        if let Some(first) = level_files.insert(name.clone(), &spec.path) {
            return Err(InputError::file(
                &spec.path,
                format!(
                    "het niveau '{name}' is ook het niveau van {}; twee niveaus met één naam zouden één bestand schrijven",
                    first.display()
                ),
                "geef elk --level-bestand een eigen naam voor het niveau in de kopregel van de tweede kolom",
            ));
        }
        level_names.push(name.clone());
        level_paths.push((name.clone(), spec.path.clone()));
        levels.insert(name, map);
    }
    let raw = io::read::read_layer(&config.areas, source, opts, None)?;
    let areas = io::model::areas(&raw, &config.columns, &levels)?;
    let level_warnings = level_paths
        .iter()
        .map(|(name, path)| io::levels::coverage(path, name, &levels[name], &areas.areas))
        .filter_map(Result::transpose)
        .collect::<Result<_, _>>()?;
    let repaired = raw
        .repaired
        .iter()
        .filter_map(|i| areas.areas.iter().find(|a| a.feature_index == *i))
        .map(|a| a.code.clone())
        .collect();
    let t = config.spreading.reference.concept();
    if !areas.columns.contains_key(t) {
        return Err(raw.error(
            format!("spreading.reference is {t}, maar de laag heeft geen kolom {t}"),
            "kies reference = \"population\" onder [spreading], of koppel de kolom onder [columns]",
        ));
    }
    Ok(AreasRead {
        record: record(&raw),
        areas,
        level_names,
        level_warnings,
        repaired,
    })
}

fn record(raw: &io::read::RawLayer) -> InputRecord {
    InputRecord {
        role: raw.role,
        path: raw.spec.path.display().to_string(),
        layer: raw.layer_name.clone(),
        features: raw.features.len(),
        crs: raw.source_crs.clone(),
        blake3: raw.blake3.clone(),
    }
}

/// Read every input of a validated config ([`Config::validate`]). All reading happens here: the
/// dwellings on a second thread while this one reads the areas (each GDAL dataset stays on the
/// thread that opened it), then the other layers. Errors and GDAL's warnings come in the order
/// of the layers, areas first, whatever thread finishes first.
pub fn load(config: &ValidConfig) -> Result<Loaded, InputError> {
    load_with(config, LoadOptions::default())
}

/// [`load`], leaving unmatched address rows out when `options` say so.
pub fn load_with(config: &ValidConfig, options: LoadOptions) -> Result<Loaded, InputError> {
    let opts = ReadOptions {
        compute_crs: config.crs.clone(),
        repair: config.repair_geometry,
    };
    let read_dwellings = || {
        config.dwellings.as_ref().map(|spec| {
            io::gdal_env::capturing(|| {
                io::read::read_points(
                    spec,
                    Role::Dwellings,
                    &opts,
                    io::model::TENURE_FIELDS,
                    io::model::parse_tenure,
                )
            })
        })
    };
    let (areas, dwellings) = std::thread::scope(|scope| {
        let dwellings = scope.spawn(read_dwellings);
        let areas = load_areas(config, &opts, options.areas);
        let dwellings = dwellings
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (areas, dwellings)
    });
    let AreasRead {
        areas,
        level_names,
        level_warnings,
        repaired,
        record: areas_record,
    } = areas?;
    let mut inputs = vec![areas_record];
    let mut addresses = Addresses {
        config,
        bag: None,
        placed: BTreeMap::new(),
        unmatched: Vec::new(),
        skip: options.skip_unmatched,
    };

    let mut dwellings_skipped = SkippedFeatures::default();
    let dwellings = match dwellings {
        None => None,
        Some((layer, messages)) => {
            io::gdal_env::reemit(&messages);
            let layer = layer?;
            let mut rec = record(&layer.header);
            rec.features = layer.count;
            inputs.push(rec);
            dwellings_skipped = SkippedFeatures {
                count: layer.skipped.len(),
                listed: layer
                    .skipped
                    .iter()
                    .take(MAX_LISTED_OUTSIDE)
                    .cloned()
                    .collect(),
            };
            Some(io::model::dwellings_from_points(layer))
        }
    };
    let dwellings = match dwellings {
        Some(d) => Some(d),
        None if config.dwellings_from_bag => {
            let (dwellings, rec) = addresses.dwellings()?;
            inputs.push(rec);
            Some(dwellings)
        }
        None => None,
    };
    let sites = match &config.sites {
        None => None,
        Some(spec) => {
            let mut raw = io::read::read_layer(spec, Role::Sites, &opts, None)?;
            let rec = record(&raw);
            let placed = addresses.place(&mut raw)?;
            inputs.push(rec);
            let mut sites = io::model::sites(&raw, &config.target_group)?;
            if let Some(placed) = placed {
                for (site, address) in sites.iter_mut().zip(placed) {
                    site.address = Some(address);
                }
            }
            Some(sites)
        }
    };
    let facilities = match &config.facilities {
        None => None,
        Some(spec) => {
            let mut raw = io::read::read_layer(spec, Role::Facilities, &opts, None)?;
            let rec = record(&raw);
            let placed = addresses.place(&mut raw)?;
            inputs.push(rec);
            let mut facilities = io::model::facilities(&raw, &config.access.category)?;
            if let Some(placed) = placed {
                for (facility, address) in facilities.iter_mut().zip(placed) {
                    facility.address = Some(address);
                }
            }
            Some(facilities)
        }
    };
    let Addresses {
        bag,
        placed,
        unmatched,
        ..
    } = addresses;
    let use_of = |b: &io::read::Bag| {
        let mut left_out = BTreeMap::new();
        for u in &unmatched {
            *left_out.entry(u.layer.clone()).or_insert(0) += 1;
        }
        BagUse {
            path: b.path.display().to_string(),
            blake3: b.blake3.clone(),
            addresses: b.index.len(),
            layers: b.layers.clone(),
            placed: placed.clone(),
            unmatched: left_out,
        }
    };
    let bag_use = bag.as_ref().map(use_of);
    let bag_index = bag.filter(|_| options.keep_bag).map(std::sync::Arc::new);
    let facility_index = facilities
        .as_ref()
        .filter(|f| !f.is_empty())
        .map(|f| crate::access::FacilityIndex::from_facilities(f));
    let mut network_size = None;
    // The network is read only when there are facilities to measure to.
    let facility_index = match (facility_index, &config.network) {
        (Some(index), Some(spec)) => {
            let raw = io::read::read_layer(spec, Role::Network, &opts, Some(&[]))?;
            inputs.push(record(&raw));
            let lines = io::model::network_lines(&raw)?;
            let network = crate::access::Network::from_lines(&lines, config.access.network_snap_m)
                .map_err(|e| {
                    raw.error(
                        format!("het looproutenetwerk kan niet worden opgebouwd ({e})"),
                        "controleer access.network_snap_m in het configuratiebestand",
                    )
                })?;
            network_size = Some((network.node_count(), network.edge_count()));
            Some(index.with_network(network))
        }
        (index, _) => index,
    };
    Ok(Loaded {
        config: config.clone(),
        areas: areas.areas,
        columns: areas.columns,
        urbanity: areas.urbanity,
        dwellings,
        sites,
        facilities,
        facility_index: facility_index.map(std::sync::Arc::new),
        network_size,
        dwellings_skipped,
        inputs,
        levels: level_names,
        level_warnings,
        repaired,
        bag: bag_use,
        unmatched,
        bag_index,
    })
}

/// The BAG of a run, read the first time a layer of addresses needs it, and what was placed.
struct Addresses<'c> {
    config: &'c Config,
    bag: Option<io::read::Bag>,
    placed: BTreeMap<String, usize>,
    unmatched: Vec<io::model::Unmatched>,
    skip: bool,
}

impl Addresses<'_> {
    /// The BAG file of the config, read on first use.
    fn bag(&mut self, why: impl FnOnce() -> InputError) -> Result<&io::read::Bag, InputError> {
        if self.bag.is_none() {
            let spec = self.config.bag.as_ref().ok_or_else(why)?;
            self.bag = Some(io::read::read_bag(&spec.path, "--bag")?);
        }
        Ok(self.bag.as_ref().expect("read above"))
    }

    /// The dwellings of the BAG: its addresses with gebruiksdoel woonfunctie, in index order
    /// (postcode, huisnummer, suffix, id), with their input record (docs/METHOD.md §6.1).
    fn dwellings(&mut self) -> Result<(Dwellings, InputRecord), InputError> {
        let bag = self.bag(|| {
            InputError::file(
                std::path::Path::new(""),
                "dwellings_from_bag zonder BAG-bestand",
                "geef --bag BESTAND op",
            )
        })?;
        let coords: Vec<[f64; 2]> = bag.index.dwellings().map(|e| e.xy).collect();
        if coords.is_empty() {
            return Err(InputError::file(
                &bag.path,
                format!(
                    "geen van de {} adressen heeft gebruiksdoel woonfunctie (lagen {}), dus het \
                     bestand levert geen woningen",
                    crate::format::count(bag.index.len()),
                    bag.layers.join(", ")
                ),
                "gebruik de BAG-GeoPackage van PDOK (de laag verblijfsobject daarin heeft de kolom \
                 gebruiksdoel), of geef een laag woningen op met --dwellings",
            ));
        }
        let record = InputRecord {
            role: Role::Dwellings,
            path: bag.path.display().to_string(),
            layer: format!("{} (gebruiksdoel woonfunctie)", bag.layers.join(", ")),
            features: coords.len(),
            crs: "EPSG:28992".to_string(),
            blake3: io::digest::FileDigest::known(&bag.path, bag.blake3.clone()),
        };
        let dwellings = Dwellings {
            coords,
            tenure: None,
            skipped_features: Vec::new(),
        };
        Ok((dwellings, record))
    }

    /// Place the features of `raw` at their BAG addresses when the layer has addresses and no
    /// points ([`io::model::geocode`]); `None` for a layer of points.
    fn place(
        &mut self,
        raw: &mut io::read::RawLayer,
    ) -> Result<Option<Vec<crate::model::address::Geocoded>>, InputError> {
        let Some(columns) = crate::model::address::AddressColumns::find(&raw.fields) else {
            return Ok(None);
        };
        if raw.features.is_empty() || raw.features.iter().any(|f| f.geometry.is_some()) {
            return Ok(None);
        }
        let skip = self.skip;
        let bag = self.bag(|| {
            raw.error(
                format!(
                    "de laag heeft adressen ({}) en geen punten, en er is geen BAG-bestand \
                     opgegeven om ze in op te zoeken",
                    columns.names(&raw.fields)
                ),
                "voeg --bag BESTAND of [bag] path = \"BESTAND\" toe aan het configuratiebestand \
                 (de BAG-GeoPackage van PDOK), of geef de punten als kolommen x en y",
            )
        })?;
        let (found, unmatched) = io::model::geocode(raw, &columns, bag, skip)?;
        self.placed.insert(raw.role.flag().to_string(), found.len());
        self.unmatched.extend(unmatched);
        Ok(Some(found))
    }
}

/// Broken features of a large point layer that were left out: how many, and the first ones
/// with their feature index and problem.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SkippedFeatures {
    /// Number of features left out.
    pub count: usize,
    /// The first [`MAX_LISTED_OUTSIDE`] of them.
    pub listed: Vec<io::read::SkippedFeature>,
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
    /// Broken dwelling features left out of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dwellings_skipped: Option<SkippedFeatures>,
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
    /// What each level mapping leaves out or names in vain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub level_coverage: Vec<String>,
    /// What the accessibility measures skipped and why, and how far the facility search
    /// reaches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub access_notes: Vec<String>,
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
    /// Area of each facility (`Outside` when it lies in none), in input order.
    pub facility_areas: Vec<Location>,
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

/// Accessibility per area, hemelsbreed or over de weg (see `distance`).
#[derive(Debug, Clone)]
pub struct AccessResult {
    /// Which distance the nearest-facility measures use.
    pub distance: crate::access::DistanceKind,
    /// Ring shares, access score and Geroscoop distance, when dwellings were given.
    pub rings: Option<RingResult>,
    /// Floating catchment per configured type present in the layer: per area the
    /// population-weighted mean accessibility × 1,000 (supply in reach per 1,000
    /// inhabitants), hemelsbreed.
    pub fca: BTreeMap<String, Vec<Option<f64>>>,
}

/// The dwelling-based accessibility measures per area.
#[derive(Debug, Clone)]
pub struct RingResult {
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

/// Accessibility per area, and notes on what was skipped and how far the search reaches.
fn accessibility(
    loaded: &Loaded,
    dwelling_area: Option<&[Option<usize>]>,
    dwelling_counts: Option<&[usize]>,
    diagnostics: &Diagnostics,
) -> (Option<AccessResult>, Vec<String>) {
    let cfg = &loaded.config;
    let mut notes = Vec::new();
    let Some(facilities) = &loaded.facilities else {
        if cfg.network.is_some() {
            notes.push(
                "het wegennet is niet gelezen: er is geen voorzieningenlaag om naartoe te meten"
                    .to_string(),
            );
        }
        return (None, notes);
    };
    let Some(index) = &loaded.facility_index else {
        notes.push(
            "bereikbaarheid overgeslagen: de voorzieningenlaag is leeg (geen afstanden tot de \
             dichtstbijzijnde voorziening, ringaandelen, access_score, geroscoop_m of floating \
             catchments)"
                .to_string(),
        );
        return (None, notes);
    };
    let areas = &loaded.areas;
    let n = areas.len();
    let label = index.distance_label();
    let mut radii = cfg.access.radii.clone();
    radii.sort_by(f64::total_cmp);
    radii.dedup();
    let max_ring = radii.last().copied().unwrap_or(0.0);
    let outside = diagnostics.facilities.as_ref().map_or(0, |c| c.outside);
    notes.push(if outside > 0 {
        format!(
            "{outside} van de {} voorzieningen liggen buiten elk gebied; ze tellen mee voor \
             woningen en zorglocaties bij de grens: de zoektocht naar de dichtstbijzijnde \
             voorziening ({label}) kijkt naar elke voorziening in de laag, op elke afstand; \
             ringaandelen kijken {max_ring} m ver en de floating catchment {} m",
            facilities.len(),
            cfg.access.fca.max_cost_m
        )
    } else {
        format!(
            "geen voorziening ligt buiten het studiegebied: woningen bij de grens hebben misschien \
             een dichterbij gelegen voorziening aan de overkant die niet in de laag staat; neem \
             voorzieningen op tot minstens {max_ring} m buiten de grens om grensgebieden \
             eerlijk te meten"
        )
    });
    if let Some((nodes, edges)) = loaded.network_size {
        notes.push(format!(
            "afstanden tot voorzieningen zijn over de weg, op een netwerk van {nodes} knopen en \
             {edges} verbindingen (een punt springt naar de dichtstbijzijnde knoop; die afstand \
             telt mee); de floating catchments blijven hemelsbreed"
        ));
    }

    let rings = match (&loaded.dwellings, dwelling_area) {
        (Some(d), Some(area_of)) => {
            let kinds: Vec<String> = index.types().iter().map(|s| s.to_string()).collect();
            let dwellings = crate::access::AreaDwellings::new(&d.coords, area_of, n);
            let shares = crate::access::ring_shares(index, dwellings, &kinds, &radii);
            let geroscoop =
                crate::access::geroscoop_by_area(index, dwellings, &cfg.access.geroscoop_weights);
            let (score, _) =
                crate::access::rings_ok_shares(index, dwellings, &cfg.access.rings.default);
            match (shares, geroscoop) {
                (Ok(shares), Ok(geroscoop)) => Some(RingResult {
                    shares,
                    radii: radii.clone(),
                    score,
                    geroscoop,
                }),
                (Err(e), _) | (_, Err(e)) => {
                    notes.push(format!(
                        "ringaandelen, access_score en geroscoop_m overgeslagen: {e}"
                    ));
                    None
                }
            }
        }
        _ => {
            notes.push(
                "ringaandelen, access_score en geroscoop_m overgeslagen: geen woningenlaag (het zijn \
                 aandelen en gemiddelden over woningen); zorglocaties krijgen wel \
                 nearest_<type>_m en rings_ok"
                    .to_string(),
            );
            None
        }
    };

    let mut fca = BTreeMap::new();
    if !cfg.access.fca.types.is_empty() {
        let demand = fca_demand(loaded, dwelling_area, dwelling_counts);
        for kind in &cfg.access.fca.types {
            let supply: Vec<(&Facility, [f64; 2])> = facilities
                .iter()
                .filter(|f| &f.kind == kind)
                .map(|f| (f, [f.location.x, f.location.y]))
                .collect();
            if supply.is_empty() {
                notes.push(format!(
                    "fca_{kind}_per_1000 overgeslagen: de voorzieningenlaag heeft geen {kind}"
                ));
                continue;
            }
            let points: Vec<[f64; 2]> = supply.iter().map(|s| s.1).collect();
            let capacity: Vec<f64> = supply.iter().map(|s| s.0.capacity.unwrap_or(1.0)).collect();
            let input = crate::access::FcaInput {
                demand: &demand.points,
                population: &demand.population,
                supply: &points,
                capacity: &capacity,
            };
            match crate::access::fca(&input, cfg.access.fca.max_cost_m, &cfg.access.fca.decay) {
                Ok(result) => {
                    fca.insert(kind.clone(), demand.per_area(&result.access, n));
                }
                Err(e) => notes.push(format!("fca_{kind}_per_1000 overgeslagen: {e}")),
            }
        }
    }
    (
        Some(AccessResult {
            distance: index.distance_kind(),
            rings,
            fca,
        }),
        notes,
    )
}

/// Demand points of the floating catchments: dwellings carrying their area's inhabitants
/// per dwelling, and the interior point of each area without dwellings carrying its
/// inhabitants (dwellings outside every area carry 0).
struct FcaDemand {
    points: Vec<[f64; 2]>,
    population: Vec<f64>,
    area: Vec<Option<usize>>,
}

fn fca_demand(
    loaded: &Loaded,
    dwelling_area: Option<&[Option<usize>]>,
    dwelling_counts: Option<&[usize]>,
) -> FcaDemand {
    use geo::InteriorPoint;
    let areas = &loaded.areas;
    let pop: Vec<f64> = areas
        .iter()
        .map(|a| a.value("population").unwrap_or(0.0).max(0.0))
        .collect();
    let mut demand = FcaDemand {
        points: Vec::new(),
        population: Vec::new(),
        area: Vec::new(),
    };
    let none = vec![0usize; areas.len()];
    let count = dwelling_counts.unwrap_or(&none);
    if let (Some(d), Some(area_of)) = (&loaded.dwellings, dwelling_area) {
        demand.points.extend_from_slice(&d.coords);
        demand.population.extend(
            area_of
                .iter()
                .map(|a| a.map_or(0.0, |i| pop[i] / count[i] as f64)),
        );
        demand.area.extend_from_slice(area_of);
    }
    for (i, a) in areas.iter().enumerate() {
        if count[i] == 0 {
            if let Some(p) = a.geometry.interior_point() {
                demand.points.push([p.x(), p.y()]);
                demand.population.push(pop[i]);
                demand.area.push(Some(i));
            }
        }
    }
    demand
}

impl FcaDemand {
    /// Per area the population-weighted mean of A over its demand points, × 1,000 (the
    /// plain mean where the area has no inhabitants); sums run in point order.
    fn per_area(&self, access: &[f64], n: usize) -> Vec<Option<f64>> {
        let mut weighted = vec![0.0f64; n];
        let mut weight = vec![0.0f64; n];
        let mut plain = vec![0.0f64; n];
        let mut count = vec![0usize; n];
        for ((a, w), v) in self.area.iter().zip(&self.population).zip(access) {
            if let Some(i) = a {
                weighted[*i] += w * v;
                weight[*i] += w;
                plain[*i] += v;
                count[*i] += 1;
            }
        }
        (0..n)
            .map(|i| {
                if weight[i] > 0.0 {
                    Some(1000.0 * weighted[i] / weight[i])
                } else if count[i] > 0 {
                    Some(1000.0 * plain[i] / count[i] as f64)
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Assign points, aggregate care units and score every area.
pub fn analyse(loaded: &Loaded) -> Outcome {
    analyse_with_progress(loaded, &crate::progress::Silent)
}

/// [`analyse`], reporting the permutation tests of the spreading metrics to `progress` (see
/// [`crate::spread::compute_with_progress`]). The outcome is the same as [`analyse`]'s.
pub fn analyse_with_progress(loaded: &Loaded, progress: &dyn crate::progress::Progress) -> Outcome {
    let cfg = &loaded.config;
    let areas = &loaded.areas;
    let t0 = std::time::Instant::now();
    let index = AreaIndex::of_areas(areas);
    let mut diagnostics = Diagnostics {
        repaired_polygons: loaded.repaired.clone(),
        level_coverage: loaded.level_warnings.clone(),
        dwellings_skipped: (loaded.dwellings_skipped.count > 0)
            .then(|| loaded.dwellings_skipped.clone()),
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
            .map(|(i, _)| d.feature_index(i))
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

    let mut facility_areas = Vec::new();
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
        facility_areas = locs;
        counts
    });

    let concepts_present: Vec<String> = loaded.columns.keys().map(|k| k.to_string()).collect();
    let inputs = Inputs {
        concepts_present,
        care_units: care.as_ref().map(|c| c.weighted.as_slice()),
    };
    let opts = BalanceOptions {
        normalisation: cfg.normalisation.clone(),
        signal: cfg.signal.clone(),
    };
    let (access, access_notes) = accessibility(
        loaded,
        dwelling_area.as_deref(),
        dwelling_points.as_deref(),
        &diagnostics,
    );
    diagnostics.access_notes = access_notes;
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
        facility_areas,
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
/// units_g; the unit count with the default weights; unknown without a sites layer), t = the
/// configured reference, the rate
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
    let areas = &loaded.areas;
    let x: Option<&[f64]> = care.map(|c| c.weighted.as_slice());
    let t_concept = cfg.spreading.reference.concept();
    let t: Vec<f64> = areas
        .iter()
        .map(|a| a.value(t_concept).unwrap_or(0.0))
        .collect();
    let rate: Vec<Option<f64>> = areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let pop = a.value("population").unwrap_or(0.0);
            x.filter(|_| pop > 0.0).map(|x| 1000.0 * x[i] / pop)
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
    (
        crate::spread::compute_with_progress(&input, cfg.spread_options(), progress),
        index,
    )
}
