//! The result layers of the page: `POST /api/suggest` and `POST /api/allocate` (docs/SERVE.md,
//! "Layers: suggest and allocate").
//!
//! Each runs through the functions its command uses ([`suggestion_run`] for `wijkbalans
//! suggest`, [`allocation_run::allocate`] for `wijkbalans allocate`) on the baseline loaded at
//! the start, with the command's defaults, so the layer on the map is what the command writes
//! for the same group and numbers. The browser names no candidates file: suggest searches the
//! grid.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::rejected::Body;
use super::{error, json_response, messages, App};
use crate::cli::allocation_run::{self, Ask};
use crate::cli::suggestion_run;
use crate::cli::terminal::eprint;
use crate::cli::Failure;
use crate::config::ValidConfig;
use crate::io::write::{geojson_bytes, ToWgs84};
use crate::progress::Silent;
use crate::scenario::allocate::Objective;
use crate::scenario::suggest::{self, Prepared, Request};
use crate::table::Table;

/// The routes of this file.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/suggest", post(suggest))
        .route("/api/allocate", post(allocate))
}

/// The body of `POST /api/suggest`: the flags of `wijkbalans suggest` but the candidates file,
/// with its defaults.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuggestRequest {
    /// `--group`.
    group: String,
    /// `--units`.
    units: u64,
    /// `--top` (default 10).
    #[serde(default = "ten")]
    top: usize,
    /// `--grid` (default 250 m).
    #[serde(default)]
    grid: Option<f64>,
    /// `--spacing`.
    #[serde(default)]
    spacing: Option<f64>,
    /// `--max-per-area`.
    #[serde(default)]
    max_per_area: Option<usize>,
}

/// `--top`'s default.
fn ten() -> usize {
    10
}

/// The configured id of the group `given` names (in any case); an unknown group in Dutch.
fn group_id(cfg: &ValidConfig, given: &str) -> Result<String, Failure> {
    messages::group_id(given, &cfg.target_group).map_err(Failure)
}

/// `POST /api/suggest`: exactly the `suggestions.geojson` that `wijkbalans suggest` writes for
/// the same group, units and grid (WGS84, one point per suggestion with `rank`, `score`,
/// `verdict`, …).
async fn suggest(State(app): State<Arc<App>>, Body(body): Body) -> Response {
    answer(app, body, "plekken zoeken", |app, r: SuggestRequest| {
        let cfg = &app.loaded.config;
        crate::scenario::file::check_units(r.units, "het aantal plaatsen").map_err(Failure)?;
        let ask = suggestion_run::Ask {
            units: r.units,
            top: r.top,
            grid: r.grid,
            spacing: r.spacing,
            max_per_area: r.max_per_area,
        };
        let options = suggestion_run::options(&cfg.suggest, &ask)?;
        let group = group_id(cfg, &r.group)?;
        let dwellings = app.loaded.dwellings.as_ref();
        let cell = r.grid.unwrap_or(suggestion_run::DEFAULT_GRID_M);
        let candidates = suggest::grid(&app.scenario, dwellings, cell);
        if candidates.is_empty() {
            return Err(Failure(
                "geen enkele plek van het raster ligt in een wijk met inwoners; kies een andere \
                 rastermaat"
                    .into(),
            ));
        }
        let request = Request {
            units: r.units as f64,
            group: &group,
            top: r.top,
            options: &options,
        };
        let prepared = Prepared::new(&app.scenario, request, dwellings);
        let search = prepared.search(&candidates, &Silent, &mut |_| {});
        let (table, points) =
            suggestion_run::top_table(&prepared, &search, &candidates, &app.loaded.areas);
        let to_wgs = ToWgs84::new(&cfg.crs).map_err(Failure)?;
        let geoms = points
            .iter()
            .map(|p| to_wgs.point(*p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Failure)?;
        Ok(geojson_bytes(&table, &geoms))
    })
    .await
}

/// The body of `POST /api/allocate`: the flags of `wijkbalans allocate`, with its defaults.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllocateRequest {
    /// `--group`.
    group: String,
    /// `--places`.
    places: u64,
    /// `--per-area-max`.
    #[serde(default)]
    per_area_max: Option<u64>,
    /// `--objective` (default `fair_share`).
    #[serde(default = "fair_share")]
    objective: Objective,
    /// `--no-oranje`.
    #[serde(default)]
    no_oranje: bool,
}

/// `--objective`'s default.
fn fair_share() -> Objective {
    Objective::FairShare
}

/// A table's rows as JSON objects (the properties of its GeoJSON features).
pub(super) fn rows(table: &Table) -> Vec<Value> {
    table
        .rows
        .iter()
        .map(|row| {
            Value::Object(
                table
                    .columns
                    .iter()
                    .cloned()
                    .zip(row.iter().cloned())
                    .collect::<Map<_, _>>(),
            )
        })
        .collect()
}

/// Run `make` on the parsed request off the async threads; its failure as an error for the
/// page, and logged.
pub(super) async fn answer<R, F>(
    app: Arc<App>,
    body: Bytes,
    what: &'static str,
    make: F,
) -> Response
where
    R: serde::de::DeserializeOwned + Send + 'static,
    F: FnOnce(&App, R) -> Result<Vec<u8>, Failure> + Send + 'static,
{
    let done = tokio::task::spawn_blocking(move || {
        let request: R = serde_json::from_slice(&body).map_err(|e| {
            Failure(format!(
                "de vraag is geen geldig JSON-object ({})",
                messages::json(&e)
            ))
        })?;
        make(&app, request)
    })
    .await;
    match done {
        Ok(Ok(bytes)) => json_response(bytes),
        Ok(Err(Failure(msg))) => {
            eprint(&format!("wijkbalans serve: {what}: {msg}"));
            error(StatusCode::BAD_REQUEST, format!("{what}: {msg}"))
        }
        Err(e) => {
            eprint(&format!("wijkbalans serve: {what} mislukt: {e}"));
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("interne fout: {e}"),
            )
        }
    }
}

/// `POST /api/allocate`: `{"allocation": …, "areas": […]}`, the first exactly `allocation.json`
/// of `wijkbalans allocate` with the same flags, the second the properties of every feature of
/// its `allocation.geojson`, in the order of the areas.
async fn allocate(State(app): State<Arc<App>>, Body(body): Body) -> Response {
    answer(app, body, "verdelen", |app, r: AllocateRequest| {
        let cfg = &app.loaded.config;
        crate::scenario::file::check_units(r.places, "het aantal plaatsen").map_err(Failure)?;
        let ask = Ask {
            group: group_id(cfg, &r.group)?,
            places: r.places,
            per_area_max: r.per_area_max,
            objective: r.objective,
            no_oranje: r.no_oranje,
        };
        let a = allocation_run::allocate(&app.scenario, cfg.occupancy_per_unit, &ask, &|| {})?;
        let doc = json!({"allocation": a.summary, "areas": rows(&a.table)});
        Ok(serde_json::to_vec_pretty(&doc).expect("serialises"))
    })
    .await
}
