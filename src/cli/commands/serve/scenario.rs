//! The scenario of the page: `POST /api/scenario`, `/api/scenario/toml` and
//! `/api/scenario/report` (docs/SERVE.md, "Een scenario bouwen").
//!
//! The server keeps no scenario: several tabs may use it at once, so the page holds its list
//! of changes and sends it whole with every request, in the keys of the scenario file's
//! `[[change]]` (docs/CONFIG.md). Each request applies the changes in order to its own copy of
//! the baseline through [`scenario_run::apply`], the function `wijkbalans scenario` uses, so the
//! answer is what that command writes for the exported file.

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use super::layers::rows;
use super::rejected::{limited, Body, BodyLimit};
use super::{error, json_response, messages, App};
use crate::cli::address::Located;
use crate::cli::files::{check_removal, named_site, resolve_located_changes};
use crate::cli::scenario_run::{self, Applied};
use crate::cli::terminal::eprint;
use crate::cli::Failure;
use crate::scenario::file::{ChangeSpec, ScenarioFile};

/// The most changes one scenario request may hold (a municipal programme has tens).
pub const MAX_CHANGES: usize = 200;

/// The largest scenario request body: [`MAX_CHANGES`] changes of at most about 300 bytes each.
pub const MAX_SCENARIO_BODY: usize = 64 * 1024;

/// The name of a scenario the page does not name.
const DEFAULT_NAME: &str = "Scenario van de kaart";

/// The routes of this file, each with the larger body limit.
pub(super) fn routes() -> Router<Arc<App>> {
    let routes = Router::new()
        .route("/api/scenario", post(scenario))
        .route("/api/scenario/toml", post(toml_file))
        .route("/api/scenario/report", post(report));
    limited(
        routes,
        BodyLimit {
            bytes: MAX_SCENARIO_BODY,
            advice: format!(
                "de kaart rekent met ten hoogste {MAX_CHANGES} wijzigingen; reken een groter \
                 programma door met `wijkbalans scenario` en een scenariobestand"
            ),
        },
    )
}

/// The body of the scenario requests: the scenario file's keys, its `[[change]]` as `changes`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioRequest {
    /// The scenario's name (default [`DEFAULT_NAME`]).
    #[serde(default)]
    name: Option<String>,
    /// CRS of every `at` (default: the compute CRS; the page sends EPSG:4326).
    #[serde(default)]
    crs: Option<String>,
    /// The changes, in order.
    changes: Vec<ChangeSpec>,
}

/// The scenario file that `body` describes, checked as the `scenario` command checks a file.
fn file(app: &App, body: &[u8]) -> Result<ScenarioFile, Failure> {
    let request: ScenarioRequest = serde_json::from_slice(body).map_err(|e| {
        Failure(format!(
            "het scenario is geen geldig JSON-object ({}); verwacht {{\"name\"?, \"crs\"?, \"changes\": [...]}}",
            messages::json(&e)
        ))
    })?;
    if request.changes.len() > MAX_CHANGES {
        return Err(Failure(format!(
            "het scenario heeft {} wijzigingen; de kaart rekent met ten hoogste {MAX_CHANGES} (gebruik `wijkbalans scenario` voor meer)",
            request.changes.len()
        )));
    }
    check_changes(app, &request.changes).map_err(Failure)?;
    let file = ScenarioFile {
        name: request.name.unwrap_or_else(|| DEFAULT_NAME.into()),
        crs: request.crs,
        changes: request.changes,
    };
    // The scenario computed is the file exported: read back from its TOML. serde_json reads a
    // decimal number to within one unit in the last place, Rust's own parser (TOML's, the
    // command line's) exactly; reading the written file makes both the same number.
    ScenarioFile::from_toml(&file.to_toml())
        .map_err(|e| Failure(format!("het scenario is niet geldig: {e}")))
}

/// What the page can send wrong in its changes (a link's `?scenario=` holds anything), in
/// Dutch before the scenario file's own checks: no changes, units 0 or above the most a site
/// has, an unknown group, an unknown site, a removal of more units than the site has.
fn check_changes(app: &App, changes: &[ChangeSpec]) -> Result<(), String> {
    if changes.is_empty() {
        return Err("het scenario heeft geen wijzigingen".into());
    }
    let groups = &app.loaded.config.target_group;
    let sites = app.loaded.sites.as_deref().unwrap_or(&[]);
    for (k, c) in changes.iter().enumerate() {
        let lead = |m: String| format!("wijziging {}: {m}", k + 1);
        if let Some(u) = c.units {
            crate::scenario::file::check_units(u, "het aantal plaatsen").map_err(lead)?;
        }
        if let Some(g) = &c.group {
            messages::group_id(g, groups).map_err(lead)?;
        }
        let Some(name) = &c.site else { continue };
        let site = named_site(sites, name).map_err(lead)?;
        let units = c.units.map_or(site.units, |u| u as f64);
        check_removal(site, name, units, &app.loaded.config.count_status).map_err(lead)?;
    }
    Ok(())
}

/// A scenario computed: its file, the changes applied, and the BAG address of each change
/// given by address.
struct Computed {
    file: ScenarioFile,
    applied: Applied,
    located: Vec<Option<Located>>,
}

/// The changes of `body` applied to a copy of the baseline; a change the engine refuses in
/// Dutch, named by its number and name ([`messages::change_error`]).
fn applied(app: &App, body: &[u8]) -> Result<Computed, Failure> {
    let file = file(app, body)?;
    let label = Path::new("scenario");
    let (changes, located, _) = resolve_located_changes(label, &file, app.loaded)?;
    let applied =
        scenario_run::try_apply(&app.scenario, &file.name, &changes).map_err(|(k, e)| {
            Failure(format!(
                "wijziging {} ({}): {}",
                k + 1,
                changes[k].name,
                messages::change_error(&e, &app.loaded.config.target_group)
            ))
        })?;
    Ok(Computed {
        file,
        applied,
        located,
    })
}

/// What a scenario route answers with, from the scenario computed.
type Make = fn(&App, Computed) -> Response;

/// Run `make` on the request off the async threads; its failure as a Dutch error for the page,
/// and logged.
async fn answer(app: Arc<App>, body: Bytes, what: &'static str, make: Make) -> Response {
    let done = tokio::task::spawn_blocking(move || {
        applied(&app, &body).map(|computed| make(&app, computed))
    })
    .await;
    match done {
        Ok(Ok(response)) => response,
        Ok(Err(Failure(msg))) => {
            eprint(&format!("wijkbalans serve: {what}: {msg}"));
            error(
                StatusCode::BAD_REQUEST,
                format!("het scenario kan niet worden doorgerekend: {msg}"),
            )
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

/// A downloadable text file: `(content type, content disposition)` and the text.
fn download((kind, disposition): (&'static str, &'static str), text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static(disposition),
            ),
        ],
        text,
    )
        .into_response()
}

/// `POST /api/scenario`: `{"scenario": …, "areas": […]}`, the first exactly `scenario.json` of
/// `wijkbalans scenario` on the same changes, the second the properties of every feature of its
/// `scenario_areas.geojson`, in the same order.
async fn scenario(State(app): State<Arc<App>>, Body(body): Body) -> Response {
    answer(app, body, "scenario", |app, c| {
        let areas = &app.loaded.areas;
        let doc = json!({
            "scenario": c.applied.json_located(areas, &c.located),
            "areas": rows(&c.applied.table(areas)),
        });
        json_response(serde_json::to_vec_pretty(&doc).expect("serialises"))
    })
    .await
}

/// The content type and disposition of the exported scenario file.
const TOML_FILE: (&str, &str) = (
    "application/toml; charset=utf-8",
    "attachment; filename=\"scenario.toml\"",
);

/// The content type and disposition of the report.
const REPORT_FILE: (&str, &str) = (
    "text/markdown; charset=utf-8",
    "attachment; filename=\"scenario.md\"",
);

/// `POST /api/scenario/toml`: the scenario file `wijkbalans scenario` reads for these changes.
async fn toml_file(State(app): State<Arc<App>>, Body(body): Body) -> Response {
    let make: Make = |_, c| download(TOML_FILE, c.file.to_toml());
    answer(app, body, "scenario/toml", make).await
}

/// `POST /api/scenario/report`: the `scenario.md` that `wijkbalans scenario` writes.
async fn report(State(app): State<Arc<App>>, Body(body): Body) -> Response {
    let make: Make = |app, c| {
        let groups = &app.loaded.config.target_group;
        download(
            REPORT_FILE,
            c.applied
                .markdown_located(&app.loaded.areas, groups, &c.located),
        )
    };
    answer(app, body, "scenario/report", make).await
}
