//! `wijkbalans serve`: load and analyse the study once, then serve a local web page with the
//! map of the wijken and an API to test a proposed site by clicking (docs/SERVE.md).
//!
//! The HTTP layer is axum on tokio. Safety, in one place (`guard`): the server listens on
//! 127.0.0.1 unless `--host` says otherwise (then it warns); every request must name this
//! server in its `Host` header and, when it has one, its `Origin` (a page from another site
//! that resolves its own name to 127.0.0.1, DNS rebinding, is refused); request bodies are
//! limited to [`MAX_BODY`]; the browser never names a file, only a point, a number and a group.
//! Every page asset is built into the binary: nothing is fetched from the internet.

mod colourings;
mod layers;
mod lookup;
mod messages;
mod profile;
mod rejected;
mod scenario;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::cli::address;
use crate::cli::args::ServeArgs;
use crate::cli::proposal::{self, Proposal};
use crate::cli::session::Session;
use crate::cli::terminal::{eprint, print};
use crate::cli::{Exit, Failure};
use crate::io::read::Bag;
use crate::io::write::{geojson_bytes, ToWgs84};
use crate::pipeline::{Loaded, Outcome};
use crate::report;
use crate::scenario::{ChangeError, Scenario};
use rejected::{limited, Body, BodyLimit};

/// The largest request body accepted (a proposal is about 100 bytes).
pub const MAX_BODY: usize = 16 * 1024;

/// The body limit of every route but the scenario's, with what to do when a request is over it.
fn body_limit() -> BodyLimit {
    BodyLimit {
        bytes: MAX_BODY,
        advice: "een vraag van de kaart is een paar honderd bytes: stuur alleen de velden die \
                 docs/SERVE.md bij dit adres noemt"
            .into(),
    }
}

/// The page and its assets, built into the binary: `(path, content type, bytes)`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_bytes!("../../../../assets/serve/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../../assets/serve/app.js"),
    ),
    (
        "/scenario.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../../assets/serve/scenario.js"),
    ),
    (
        "/layers.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../../assets/serve/layers.js"),
    ),
    (
        "/leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../../assets/leaflet-1.9.4/leaflet.js"),
    ),
    (
        "/leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../../assets/leaflet-1.9.4/leaflet.css"),
    ),
];

/// What the page may load: only this server (no CDN, no tiles, no fonts from elsewhere), and
/// images (tiles) from the basemap's origin when one is configured.
fn csp(basemap_origin: Option<&str>) -> String {
    format!(
        "default-src 'self'; img-src 'self' data:{}; style-src 'self' 'unsafe-inline'; \
         connect-src 'self'; frame-ancestors 'none'",
        basemap_origin.map_or(String::new(), |o| format!(" {o}"))
    )
}

/// Everything a request reads: the analysed study and the layers rendered once.
struct App {
    loaded: &'static Loaded,
    scenario: Scenario<'static>,
    /// `/api/areas`: the areas layer of `analyse` (the same columns), in WGS84.
    areas_geojson: Vec<u8>,
    /// `/api/sites`: the sites layer of `analyse`, in WGS84 (empty without sites).
    sites_geojson: Vec<u8>,
    /// `/api/facilities`: the facilities layer in WGS84 (`kind` per point; empty without one).
    facilities_geojson: Vec<u8>,
    /// `/api/groups`: the configured target groups and the signal thresholds.
    groups_json: Vec<u8>,
    /// The BAG file of the address box (`--bag` or `[bag] path`), when given.
    bag: Option<Bag>,
    /// `/profiel/{code}`: the report page of each wijk.
    profiles: profile::Profiles,
    /// `/api/colourings`: the colourings of the map ([`colourings::colourings`]).
    colourings_json: Vec<u8>,
    /// The Content-Security-Policy of every page ([`csp`]).
    csp: HeaderValue,
    /// The `Host` values this server answers to (`127.0.0.1:PORT`, `localhost:PORT`, …).
    hosts: Vec<String>,
}

/// Run the command.
pub fn run(args: ServeArgs) -> Result<Exit, Failure> {
    let ip: IpAddr = match &args.host {
        None => IpAddr::from([127, 0, 0, 1]),
        Some(h) => h.parse().map_err(|_| {
            Failure(format!(
                "--host '{h}' is geen IP-adres; geef er een zoals 127.0.0.1 of 0.0.0.0"
            ))
        })?,
    };
    let session = Session::start(args.threads, &args.input, true)?;
    session.refuse_unmatched("serve")?;
    // `--bag` (on every command that reads a study) or `[bag] path` of the config.
    let bag = match &session.config.bag {
        Some(spec) => Some(address::open_bag(
            Some(&spec.path),
            if args.input.bag.is_some() {
                "--bag"
            } else {
                "[bag] path in het configuratiebestand"
            },
        )?),
        None => None,
    };
    // The study lives as long as the server, which is the rest of the process: leaking it
    // gives the request handlers a `'static` borrow without copying it per request.
    let loaded: &'static Loaded = Box::leak(Box::new(session.load()?));
    let outcome: &'static Outcome = Box::leak(Box::new(session.analyse(loaded)));
    let cfg = &session.config;
    let to_wgs = ToWgs84::new(&cfg.crs).map_err(Failure)?;
    let area_geoms = loaded
        .areas
        .iter()
        .map(|a| to_wgs.multipolygon(&a.geometry))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure)?;
    let areas_table = report::areas_table(loaded, outcome);
    let areas_geojson = geojson_bytes(&areas_table, &area_geoms);
    let colourings_json =
        serde_json::to_vec(&colourings::colourings(&areas_table, cfg)).expect("serialises");
    let sites_geojson = match (report::sites_table(loaded, outcome), &loaded.sites) {
        (Some(table), Some(sites)) => {
            let geoms = sites
                .iter()
                .map(|s| to_wgs.point([s.location.x, s.location.y]))
                .collect::<Result<Vec<_>, _>>()
                .map_err(Failure)?;
            geojson_bytes(&table, &geoms)
        }
        _ => br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
    };
    let facilities_geojson =
        colourings::facilities_geojson(loaded.facilities.as_deref(), &to_wgs).map_err(Failure)?;
    let report_data = report::balance::report_data(
        loaded,
        outcome,
        "Wijkprofiel",
        &crate::cli::date::run_date(crate::report::html::Lang::Nl)?,
        crate::report::html::Lang::Nl,
        &|p| to_wgs.coords(p),
    )
    .map_err(Failure)?;
    let profiles = profile::Profiles::new(report_data);
    let groups_json = serde_json::to_vec(&json!({
        "groups": cfg.target_group.iter().map(|g| json!({"id": g.id, "label": g.label})).collect::<Vec<_>>(),
        "crs": cfg.crs,
        "address_box": bag.is_some(),
        "basemap": cfg.serve.as_ref().and_then(|s| s.basemap.as_ref().map(|url| json!({
            "url": url, "attribution": s.basemap_attribution,
        }))),
        "facilities": loaded.facilities.is_some(),
        // The facility rings of each group around a proposal (`access.rings`, METHOD §4).
        "rings": cfg.target_group.iter().map(|g| (g.id.clone(), json!(cfg.access.rings.for_group(&g.id)
            .iter().map(|r| json!({"label": r.label, "any_of": r.any_of, "radius_m": r.radius_m}))
            .collect::<Vec<_>>()))).collect::<serde_json::Map<_, _>>(),
    }))
    .expect("serialises");
    let basemap_origin = match &cfg.serve {
        Some(s) => s.basemap_origin().map_err(Failure)?,
        None => None,
    };
    let csp = HeaderValue::from_str(&csp(basemap_origin.as_deref()))
        .map_err(|e| Failure(format!("serve.basemap: {e}")))?;
    if let Some(origin) = &basemap_origin {
        eprint(&format!(
            "wijkbalans serve: achtergrondkaart van {origin}: de pagina haalt kaarttegels van internet"
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(format!("kan de webserver niet starten ({e})")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, args.port))
            .await
            .map_err(|e| {
                Failure(format!(
                    "kan niet luisteren op {ip}:{} ({e}); kies een andere --port (0 kiest een vrije)",
                    args.port
                ))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure(format!("kan het adres waarop geluisterd wordt niet lezen ({e})")))?;
        let app = Arc::new(App {
            loaded,
            scenario: session.scenario(loaded, outcome),
            areas_geojson,
            sites_geojson,
            facilities_geojson,
            groups_json,
            colourings_json,
            profiles,
            bag,
            csp,
            hosts: hosts(ip, addr.port()),
        });
        // Ctrl-C is caught from here on: tokio's `ctrl_c()` registers its handler only when
        // first polled, which axum does in a task of its own, so a Ctrl-C right after the URL
        // is printed (and a request answered) could still end the process by default.
        let stop = stop_signal()?;
        let url = format!("http://{}/", host_port(ip, addr.port()));
        if !ip.is_loopback() {
            eprint(&format!(
                "wijkbalans: waarschuwing: luistert op {ip}, niet alleen op deze computer: iedereen \
                 die dit adres bereikt, ziet de studie; stoppen met Ctrl-C"
            ));
        }
        print(&format!("wijkbalans serve: {url} (stoppen met Ctrl-C)"));
        if args.open {
            open_browser(&url);
        }
        let router = router(app);
        axum::serve(listener, router)
            // Ctrl-C (or SIGTERM's default) ends the process; on Ctrl-C open requests finish
            // first.
            .with_graceful_shutdown(stop)
            .await
            .map_err(|e| Failure(format!("de webserver is gestopt ({e})")))?;
        eprint("wijkbalans serve: gestopt");
        Ok::<_, Failure>(())
    })?;
    Ok(Exit::Success)
}

/// A future that completes on Ctrl-C, with the handler installed now (on Unix; elsewhere when
/// the server first polls it).
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, Failure> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())
            .map_err(|e| Failure(format!("kan Ctrl-C niet opvangen ({e})")))?;
        Ok(async move {
            interrupt.recv().await;
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// `ip:port`, with brackets for IPv6.
fn host_port(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    }
}

/// The `Host` values the server answers to: the address listened on, and on a loopback
/// address also `localhost` and the other loopback spellings.
fn hosts(ip: IpAddr, port: u16) -> Vec<String> {
    let mut out = vec![host_port(ip, port)];
    if ip.is_loopback() || ip.is_unspecified() {
        out.push(format!("localhost:{port}"));
        out.push(format!("127.0.0.1:{port}"));
        out.push(format!("[::1]:{port}"));
    }
    out.sort();
    out.dedup();
    out
}

/// The routes, behind [`guard`], the body limit and the Dutch refusals of [`rejected`].
fn router(app: Arc<App>) -> Router {
    let mut r = Router::new();
    for &(path, kind, bytes) in ASSETS {
        let csp = app.csp.clone();
        r = r.route(
            path,
            get(move || async move { asset(kind, bytes.to_vec(), csp) }),
        );
    }
    let r = r
        .route("/api/areas", get(areas))
        .route("/api/sites", get(sites))
        .route("/api/groups", get(groups))
        .route("/api/facilities", get(facilities))
        .route("/api/colourings", get(colourings))
        .route("/api/test-site", post(test_site))
        .route("/profiel/{code}", get(profile_page))
        .merge(scenario::routes())
        .merge(layers::routes())
        .fallback(rejected::not_found);
    let routes = limited(r, body_limit()).with_state(Arc::clone(&app));
    // The routes as a whole are the fallback of an outer router, so that the 405 mapping
    // wraps them whole: axum sets a 405's `Allow` header around the route it matched, and a
    // layer on the router itself would wrap each route inside that step and never see it.
    Router::new()
        .fallback_service(routes)
        .layer(middleware::map_response(rejected::not_allowed))
        .layer(middleware::from_fn_with_state(app, guard))
}

/// Refuse a request whose `Host` is not this server, or whose `Origin` is another site (DNS
/// rebinding: a foreign page whose name resolves to 127.0.0.1 sends its own name as `Host`
/// and `Origin`).
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if let Err(why) = allowed(&app.hosts, headers) {
        eprint(&format!(
            "wijkbalans serve: geweigerd: {} {}: {why}",
            request.method(),
            request.uri().path()
        ));
        return error(StatusCode::FORBIDDEN, why);
    }
    next.run(request).await
}

/// Whether `headers` name this server (`hosts`): the reason when not.
fn allowed(hosts: &[String], headers: &HeaderMap) -> Result<(), String> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(format!(
            "Host '{host}' is niet deze server (verwacht: {}); open de kaart via het adres dat wijkbalans serve bij het starten toonde, of start serve met --host en het adres dat anderen intypen",
            hosts.join(", ")
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let ok = origin
            .strip_prefix("http://")
            .is_some_and(|o| hosts.iter().any(|h| h.eq_ignore_ascii_case(o)));
        if !ok {
            return Err(format!(
                "Origin '{origin}' is niet deze server: een pagina van een andere site mag de kaart niet bevragen; open de kaart zelf via het adres dat wijkbalans serve toonde"
            ));
        }
    }
    Ok(())
}

/// A page or script with its content type and the page's security headers.
fn asset(kind: &'static str, bytes: Vec<u8>, csp: HeaderValue) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// A JSON body.
fn json_response(bytes: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// An error the page shows: `{"error": message}` with `status`.
fn error(status: StatusCode, message: String) -> Response {
    (status, axum::Json(json!({ "error": message }))).into_response()
}

async fn areas(State(app): State<Arc<App>>) -> Response {
    json_response(app.areas_geojson.clone())
}

async fn sites(State(app): State<Arc<App>>) -> Response {
    json_response(app.sites_geojson.clone())
}

async fn groups(State(app): State<Arc<App>>) -> Response {
    json_response(app.groups_json.clone())
}

async fn facilities(State(app): State<Arc<App>>) -> Response {
    json_response(app.facilities_geojson.clone())
}

async fn colourings(State(app): State<Arc<App>>) -> Response {
    json_response(app.colourings_json.clone())
}

/// `GET /profiel/{code}`: the report page of one wijk ([`profile::Profiles::page`]), with the
/// page's Content-Security-Policy (it loads nothing).
async fn profile_page(
    State(app): State<Arc<App>>,
    code: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Response {
    let Path(code) = match code {
        Ok(code) => code,
        Err(rejection) => return rejected::path_refused(&rejection, &uri),
    };
    let csp = app.csp.clone();
    let page = tokio::task::spawn_blocking(move || app.profiles.page(&code)).await;
    match page {
        Ok(Ok(html)) => asset("text/html; charset=utf-8", html.into_bytes(), csp),
        Ok(Err(Failure(msg))) => {
            eprint(&format!("wijkbalans serve: profiel: {msg}"));
            // The profile opens in a browser tab: a page with the message, not JSON.
            let page = format!(
                "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Geen \
                 wijkprofiel</title></head><body><p>{}.</p><p><a href=\"/\">Terug naar de \
                 kaart</a></p></body></html>\n",
                crate::markup::html(&msg)
            );
            let mut r = asset("text/html; charset=utf-8", page.into_bytes(), csp);
            *r.status_mut() = StatusCode::NOT_FOUND;
            r
        }
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("interne fout: {e}"),
        ),
    }
}

/// The body of `POST /api/test-site` (docs/SERVE.md).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestSiteRequest {
    /// X (or longitude with `crs` EPSG:4326); with `y`, or `address`.
    x: Option<f64>,
    /// Y (or latitude).
    y: Option<f64>,
    /// An address to look up in the BAG file instead of `x, y`.
    address: Option<String>,
    /// CRS of `x, y` (default: the compute CRS).
    crs: Option<String>,
    units: u64,
    group: String,
    #[serde(default)]
    regular_units: u64,
    name: Option<String>,
}

/// What a test-site request gives: the document, or a refusal with the message, the candidate
/// addresses (for an address with no or several matches) and whether the server failed.
enum Answer {
    /// The document, and for an address its point in WGS84 (lon, lat) for the map's marker.
    Document(Vec<u8>, Option<[f64; 2]>),
    Refused(String, Vec<String>),
}

/// `POST /api/test-site`: exactly the document `wijkbalans test-site --json` prints for the
/// same point (or address, with its `address` part), units and group ([`proposal::json`]).
async fn test_site(State(app): State<Arc<App>>, Body(body): Body) -> Response {
    let request: TestSiteRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let msg = format!("het voorstel is geen geldig JSON-object ({}); verwacht {{\"x\", \"y\", \"crs\"?, \"units\", \"group\"}} of {{\"address\", \"units\", \"group\"}}", messages::json(&e));
            eprint(&format!("wijkbalans serve: {msg}"));
            return error(StatusCode::BAD_REQUEST, msg);
        }
    };
    let answer = tokio::task::spawn_blocking(move || answer(&app, request)).await;
    match answer {
        Ok(Answer::Document(bytes, lonlat)) => {
            let mut r = json_response(bytes);
            if let Some([lon, lat]) = lonlat {
                // Beside the body, which stays test-site's document byte for byte.
                if let Ok(v) = HeaderValue::from_str(&format!("{lon:.7},{lat:.7}")) {
                    r.headers_mut().insert("x-wijkbalans-lonlat", v);
                }
            }
            r
        }
        Ok(Answer::Refused(msg, candidates)) => {
            eprint(&format!("wijkbalans serve: test-site: {msg}"));
            if candidates.is_empty() {
                error(StatusCode::BAD_REQUEST, msg)
            } else {
                let body = json!({ "error": msg, "candidates": candidates });
                (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
            }
        }
        Err(e) => {
            eprint(&format!("wijkbalans serve: test-site mislukt: {e}"));
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("interne fout: {e}"),
            )
        }
    }
}

/// The answer to one test-site request, built as `test-site --json` builds it.
fn answer(app: &App, request: TestSiteRequest) -> Answer {
    let cfg = &app.loaded.config;
    let refuse = |Failure(m)| Answer::Refused(m, Vec::new());
    // What the page's form can send wrong, in Dutch before the command line's checks.
    let checked = crate::scenario::file::check_units(request.units, "het aantal plaatsen")
        .and_then(|()| messages::group_id(&request.group, &cfg.target_group));
    if let Err(m) = checked {
        return Answer::Refused(m, Vec::new());
    }
    let (at, crs, located, flag) = match (request.x, request.y, request.address) {
        (Some(x), Some(y), None) => ([x, y], request.crs, None, "x, y"),
        (None, None, Some(a)) => {
            let Some(bag) = &app.bag else {
                return Answer::Refused(
                    "deze kaart heeft geen BAG-bestand om adressen in op te zoeken: start \
                     wijkbalans serve met --bag FILE (of [bag] path in de configuratie), of \
                     klik op de kaart"
                        .into(),
                    Vec::new(),
                );
            };
            match lookup::locate(bag, &a) {
                Ok(l) => (l.xy(), Some("EPSG:28992".to_string()), Some(l), "address"),
                Err(n) => return Answer::Refused(n.message, n.candidates),
            }
        }
        _ => {
            return Answer::Refused(
                "geef een punt (x en y) of een adres (address), niet allebei".into(),
                Vec::new(),
            )
        }
    };
    let change = Proposal {
        name: request.name.unwrap_or_else(|| "voorstel".into()),
        at,
        crs,
        units: request.units,
        group: request.group,
        regular_units: request.regular_units,
    }
    .change(cfg, flag);
    let change = match change {
        Ok(c) => c,
        Err(f) => return refuse(f),
    };
    let (evaluation, fits) = match proposal::try_evaluate(&app.scenario, &change) {
        Ok(e) => e,
        Err(e) => {
            let mut m = messages::change_error(&e, &cfg.target_group);
            // An address outside the map's areas: which address, and what to do, as
            // `test-site --address` says it.
            if let (Some(l), ChangeError::Outside { .. }) = (&located, &e) {
                m = format!(
                    "het adres {}: {m}; geef een adres in het gebied van deze kaart",
                    l.found.text
                );
            }
            return Answer::Refused(m, Vec::new());
        }
    };
    let mut doc = proposal::json(&app.loaded.areas, &evaluation, &fits);
    let mut lonlat = None;
    if let Some(l) = &located {
        doc["address"] = l.json();
        lonlat = crate::io::crs::transform_point(&cfg.crs, "EPSG:4326", change.location, "{}").ok();
    }
    Answer::Document(serde_json::to_vec_pretty(&doc).expect("serialises"), lonlat)
}

/// Start the default browser on `url`; a failure is a warning (the address is printed).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprint(&format!(
            "wijkbalans: waarschuwing: kan geen browser openen ({opener}: {e}); open {url} zelf"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_this_server_is_a_host_or_origin() {
        let hosts = hosts(IpAddr::from([127, 0, 0, 1]), 8642);
        assert!(allowed(&hosts, &headers(&[("host", "127.0.0.1:8642")])).is_ok());
        assert!(allowed(&hosts, &headers(&[("host", "localhost:8642")])).is_ok());
        assert!(allowed(
            &hosts,
            &headers(&[
                ("host", "localhost:8642"),
                ("origin", "http://localhost:8642")
            ])
        )
        .is_ok());
        // DNS rebinding: the attacker's name as Host.
        assert!(allowed(&hosts, &headers(&[("host", "evil.example:8642")])).is_err());
        // Another port is another origin.
        assert!(allowed(&hosts, &headers(&[("host", "localhost:8643")])).is_err());
        assert!(allowed(&hosts, &headers(&[])).is_err());
        assert!(allowed(
            &hosts,
            &headers(&[
                ("host", "127.0.0.1:8642"),
                ("origin", "http://evil.example")
            ])
        )
        .is_err());
        assert!(allowed(
            &hosts,
            &headers(&[("host", "127.0.0.1:8642"), ("origin", "null")])
        )
        .is_err());
    }
}
