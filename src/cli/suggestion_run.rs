//! One search for sites as `suggest` and `serve` run it: the options checked, and the rows of
//! the `suggestions` and `suitability` layers (docs/OUTPUTS.md, "suggest"). One function builds
//! them, so the suggestions on the map are what `wijkbalans suggest` writes for the same group,
//! units and grid (docs/SERVE.md).

use serde_json::Value;

use crate::cli::Failure;
use crate::config::SuggestConfig;
use crate::model::{Area, Candidate};
use crate::scenario::file::check_units;
use crate::scenario::suggest::{Assessed, Prepared, Search};
use crate::table::{number, opt_number, Table};

/// What a search is asked for: the flags of `suggest` that are not files.
#[derive(Debug, Clone)]
pub struct Ask {
    /// Units of the project (`--units`, at least 1).
    pub units: u64,
    /// Suggestions to keep (`--top`, at least 1).
    pub top: usize,
    /// Grid cell in metres (`--grid`, at least 10; `None`: a candidates file, or 250 m).
    pub grid: Option<f64>,
    /// Least distance between suggestions (`--spacing`; `None`: the configured one).
    pub spacing: Option<f64>,
    /// Most suggestions per area (`--max-per-area`; `None`: the configured one).
    pub max_per_area: Option<usize>,
}

/// The grid cell when neither a candidates file nor `--grid` is given, in metres.
pub const DEFAULT_GRID_M: f64 = 250.0;

/// The configured search options with the flags of `ask` applied, or the flag that is out of
/// range and what to give.
pub fn options(configured: &SuggestConfig, ask: &Ask) -> Result<SuggestConfig, Failure> {
    check_units(ask.units, "--units").map_err(Failure)?;
    if ask.top == 0 {
        return Err(Failure("--top moet minstens 1 zijn".into()));
    }
    if let Some(g) = ask.grid {
        if !(g.is_finite() && g >= 10.0) {
            return Err(Failure(format!(
                "--grid moet minstens 10 meter zijn, niet {g}"
            )));
        }
    }
    let mut options = configured.clone();
    if let Some(sp) = ask.spacing {
        if !(sp.is_finite() && sp >= 0.0) {
            return Err(Failure(format!(
                "--spacing moet een afstand van 0 meter of meer zijn, niet {sp}"
            )));
        }
        options.min_spacing_m = sp;
    }
    if let Some(m) = ask.max_per_area {
        options.max_per_area = m;
    }
    Ok(options)
}

/// The columns of both layers; `suggestions` has `rank` in front.
pub const COLUMNS: &[&str] = &[
    "score",
    "verdict",
    "failed_rules",
    "untested_rules",
    "label",
    "area_code",
    "area_name",
    "signal_before",
    "signal_after",
    "saldo_after",
    "fair_share_ratio_after",
    "spreading_fall_pp",
    "nearest_existing_m",
    "nearest_same_group_m",
    "facilities_met",
    "facilities_required",
    "dwellings_nearby",
    "dwellings_per_ha",
    "c_spreading",
    "c_distance_any",
    "c_distance_same",
    "c_facilities",
    "c_density",
    "x_rd",
    "y_rd",
];

/// The columns of the candidates placed at their BAG address, after [`COLUMNS`]: the BAG
/// object and its address, as the sites and facilities tables write them (docs/OUTPUTS.md,
/// "suggest").
pub const ADDRESS_COLUMNS: &[&str] = &["bag_id", "bag_address"];

/// Whether any candidate was placed at its BAG address: the layers then have the
/// [`ADDRESS_COLUMNS`].
pub fn addressed(candidates: &[Candidate]) -> bool {
    candidates.iter().any(|c| c.address.is_some())
}

/// The columns (without `rank`) of the suitability and suggestions layers: [`COLUMNS`], and
/// [`ADDRESS_COLUMNS`] when `addressed` ([`addressed()`]).
pub fn columns(addressed: bool) -> Vec<String> {
    COLUMNS
        .iter()
        .chain(addressed.then_some(ADDRESS_COLUMNS).into_iter().flatten())
        .map(|s| s.to_string())
        .collect()
}

/// One row (without `rank`) of an assessed candidate inside an area, with the BAG columns when
/// `addressed` ([`columns()`]).
pub fn row(
    a: &Assessed,
    candidate: &Candidate,
    addressed: bool,
    prepared: &Prepared,
    areas: &[Area],
) -> Vec<Value> {
    let label = candidate.label.as_deref();
    let s = a
        .assessment
        .as_ref()
        .expect("only candidates inside an area are written");
    let e = prepared.effects[s.area]
        .as_ref()
        .expect("an assessed candidate's area has an effect");
    let c = &s.components;
    let radius = prepared.options().density_radius_m;
    let ha = std::f64::consts::PI * radius * radius / 10_000.0;
    vec![
        number(s.score),
        s.verdict.as_str().into(),
        listed(&s.failed_rules),
        listed(&s.untested_rules),
        label.map_or(Value::Null, Value::from),
        areas[s.area].code.clone().into(),
        areas[s.area].name.clone().into(),
        e.before.signal.as_str().into(),
        e.after.signal.as_str().into(),
        opt_number(e.after.saldo),
        opt_number(e.after.fair_share_ratio),
        opt_number(prepared.spreading_fall[s.area]),
        opt_number(s.nearest_any_m.map(|d| d.round())),
        opt_number(s.nearest_same_m.map(|d| d.round())),
        s.facilities_met.map_or(Value::Null, |(m, _)| m.into()),
        s.facilities_met.map_or(Value::Null, |(_, r)| r.into()),
        s.dwellings_nearby.map_or(Value::Null, Value::from),
        opt_number(s.dwellings_nearby.map(|n| n as f64 / ha)),
        opt_number(c.spreading),
        number(c.distance_any),
        number(c.distance_same),
        opt_number(c.facilities),
        opt_number(c.density),
        number(a.location[0]),
        number(a.location[1]),
    ]
    .into_iter()
    .chain(
        addressed
            .then(|| {
                let g = candidate.address.as_ref();
                [
                    g.map_or(Value::Null, |g| g.id_text().into()),
                    g.map_or(Value::Null, |g| g.matched.clone().into()),
                ]
            })
            .into_iter()
            .flatten(),
    )
    .collect()
}

/// The `suggestions` layer: `rank` and [`COLUMNS`] for every suggestion of `search` in order,
/// and their points in the compute CRS.
pub fn top_table(
    prepared: &Prepared,
    search: &Search,
    candidates: &[Candidate],
    areas: &[Area],
) -> (Table, Vec<[f64; 2]>) {
    let mut columns = vec!["rank".to_string()];
    let addressed = addressed(candidates);
    columns.extend(self::columns(addressed));
    let rows = search
        .top
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let mut r = vec![Value::from(k + 1)];
            r.extend(row(a, &candidates[a.candidate], addressed, prepared, areas));
            r
        })
        .collect();
    let points = search.top.iter().map(|a| a.location).collect();
    (Table { columns, rows }, points)
}

/// A list of rule ids as one cell: `signaal_na,fair_share_ratio`, or empty.
fn listed(ids: &[String]) -> Value {
    if ids.is_empty() {
        Value::Null
    } else {
        ids.join(",").into()
    }
}
