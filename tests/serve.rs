//! `wijkbalans serve` over real HTTP: the server started on a free port (`--port 0`), called
//! with a plain TCP client (HTTP/1.1, one request per connection).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use std::time::Duration;

use crate::common::cdp::{self, Chromium};
use crate::common::{argv, ok, root};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `wijkbalans serve --port 0 ARGS` and read the address it prints.
fn start(args: &[&str]) -> Server {
    start_with(args, &[])
}

/// [`start`] with extra environment variables.
fn start_with(args: &[&str], env: &[(&str, &std::path::Path)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args(["serve", "--port", "0"])
        .args(args)
        .envs(env.iter().copied())
        .env("SOURCE_DATE_EPOCH", crate::common::SOURCE_DATE_EPOCH)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let port = cdp::serve_port(&mut child);
    Server { child, port }
}

/// One HTTP request; the status and the body.
fn request(port: u16, method: &str, path: &str, headers: &[String], body: &str) -> (u16, String) {
    let (status, _, body) = request_head(port, method, path, headers, body);
    (status, body)
}

/// One HTTP request; the status, the head (lower case) and the body.
fn request_head(
    port: u16,
    method: &str,
    path: &str,
    headers: &[String],
    body: &str,
) -> (u16, String, String) {
    let mut with_type = headers.to_vec();
    with_type.push("Content-Type: application/json".into());
    raw_request(port, method, path, &with_type, body.as_bytes())
}

/// One HTTP request of any bytes, with only `headers` and its `Content-Length`; the status,
/// the head (lower case) and the body.
fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[String],
    body: &[u8],
) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for h in headers {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut req = req.into_bytes();
    req.extend_from_slice(body);
    s.write_all(&req).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "a plain body: {head}"
    );
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn host(port: u16) -> String {
    format!("Host: 127.0.0.1:{port}")
}

/// `POST /api/test-site` with `body` and `headers`; the status and the body.
fn propose(port: u16, headers: &[String], body: &str) -> (u16, String) {
    request(port, "POST", "/api/test-site", headers, body)
}

#[test]
fn a_click_answers_what_test_site_json_prints_and_foreign_pages_are_refused() {
    let server = start(&[]);
    let p = server.port;
    // 12 beschermd-thuis places in RD New (the point of tests/decisions.rs).
    let cli = ok(&argv(
        "test-site --at 203200,502900 --units 12 --group beschermd_thuis --json",
        &[],
    ));
    let (status, body) = propose(
        p,
        &[host(p)],
        r#"{"x": 203200, "y": 502900, "units": 12, "group": "beschermd_thuis"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.trim_end(), cli.stdout.trim_end());
    // A point in WGS84, as the page sends it (in Holtenbroek), against the command line with
    // the same lon/lat.
    let cli = ok(&argv(
        "test-site --at 6.0918,52.5286 --at-crs EPSG:4326 --units 12 --group beschermd_thuis --json",
        &[],
    ));
    let (status, body) = propose(
        p,
        &[host(p), format!("Origin: http://localhost:{p}")],
        r#"{"x": 6.0918, "y": 52.5286, "crs": "EPSG:4326", "units": 12, "group": "beschermd_thuis"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.trim_end(), cli.stdout.trim_end());
    assert!(body.contains("Wijk 30 Holtenbroek"), "{body}");

    // The areas layer: every wijk with its signal, saldo, rate and fair-share ratio.
    let (status, body) = request(p, "GET", "/api/areas", &[host(p)], "");
    assert_eq!(status, 200);
    let areas: serde_json::Value = serde_json::from_str(&body).unwrap();
    let features = areas["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for key in ["signal", "saldo", "care_units_per_1000", "fair_share_ratio"] {
        assert!(features[0]["properties"].get(key).is_some(), "{key}");
    }
    let (status, _) = request(p, "GET", "/api/sites", &[host(p)], "");
    assert_eq!(status, 200);
    // The facilities, each with its category.
    let (status, body) = request(p, "GET", "/api/facilities", &[host(p)], "");
    assert_eq!(status, 200);
    let facilities: serde_json::Value = serde_json::from_str(&body).unwrap();
    let kinds: std::collections::BTreeSet<&str> = facilities["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains("supermarkt") && kinds.contains("huisarts"),
        "{kinds:?}"
    );
    // The colourings: the classes and legend of each, from the same areas layer.
    let (status, body) = request(p, "GET", "/api/colourings", &[host(p)], "");
    assert_eq!(status, 200);
    let colourings: serde_json::Value = serde_json::from_str(&body).unwrap();
    let fields: Vec<&str> = colourings["colourings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for field in &fields {
        assert!(features[0]["properties"].get(*field).is_some(), "{field}");
    }
    assert_eq!(fields.len(), 6, "{fields:?}");
    // A wijk's profile is its page of the report.
    let (status, page) = request(p, "GET", "/profiel/WK019330", &[host(p)], "");
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"<section id="WK019330" class="area">"#),
        "{page}"
    );
    assert!(!page.contains(r#"<section id="WK019310" class="area">"#));
    // The same bytes as `report --wijk WK019330` writes (same title and date).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    ok(&argv(
        "report -q --wijk WK019330 --title Wijkprofiel --out",
        &[out.to_str().unwrap()],
    ));
    let written = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(written == page, "the profile differs from report --wijk");
    // A code in lower case is the same wijk, as everywhere; an unknown one is a page (it opens
    // in a browser tab) with the message and the way back, not JSON.
    let (status, lower) = request(p, "GET", "/profiel/wk019330", &[host(p)], "");
    assert_eq!((status, lower == page), (200, true));
    let (status, body) = request(p, "GET", "/profiel/WK999999", &[host(p)], "");
    assert_eq!(status, 404);
    assert!(
        body.starts_with("<!DOCTYPE html>")
            && body.contains("geen wijk met code &#39;WK999999&#39; in deze studie")
            && body.contains("<a href=\"/\">Terug naar de kaart</a>"),
        "{body}"
    );
    let (status, page) = request(p, "GET", "/", &[host(p)], "");
    assert_eq!(status, 200);
    assert!(
        page.contains("/leaflet.js") && !page.contains("https://"),
        "{page}"
    );

    // DNS rebinding: a foreign Host or Origin is refused, with a readable reason.
    let (status, body) = request(
        p,
        "GET",
        "/api/areas",
        &[format!("Host: evil.example:{p}")],
        "",
    );
    assert_eq!(status, 403);
    assert!(
        body.contains("niet deze server") && body.contains("open de kaart via het adres"),
        "{body}"
    );
    let (status, body) = request(
        p,
        "POST",
        "/api/test-site",
        &[host(p), "Origin: http://evil.example".into()],
        r#"{"x": 203200, "y": 502900, "units": 12, "group": "beschermd_thuis"}"#,
    );
    assert_eq!(status, 403);
    assert!(
        body.contains(
            "Origin 'http://evil.example' is niet deze server: een pagina van een andere site"
        ),
        "{body}"
    );

    // Bad proposals are readable errors, and the server keeps serving.
    let (status, body) = request(
        p,
        "POST",
        "/api/test-site",
        &[host(p)],
        r#"{"x": 203200, "y": 502900, "units": 12, "group": "daklozen"}"#,
    );
    assert_eq!(status, 400);
    assert!(body.contains("onbekende doelgroep 'daklozen'"), "{body}");
    let (status, body) = request(
        p,
        "POST",
        "/api/test-site",
        &[host(p)],
        r#"{"x": 203200, "y": 502900, "units": 12, "group": "beschermd_thuis", "file": "/etc/passwd"}"#,
    );
    assert_eq!(status, 400, "{body}");
    let big = format!(
        r#"{{"x": 1, "y": 2, "units": 1, "group": "{}"}}"#,
        "a".repeat(40_000)
    );
    let (status, _) = request(p, "POST", "/api/test-site", &[host(p)], &big);
    assert_eq!(status, 413);
    let (status, _) = request(p, "GET", "/api/groups", &[host(p)], "");
    assert_eq!(status, 200);
}

const AMSTERDAM: &str = "data/cbs-kwb-2022/wijken_amsterdam.geojson";
const BAG: &str = "data/bag/bag_amsterdam_1013.gpkg";

/// `serve` on the Amsterdam wijken with the BAG extract, its address index cached in `cache`.
fn amsterdam_with_bag(cache: &std::path::Path) -> Server {
    start_with(
        &["--areas", AMSTERDAM, "--bag", BAG],
        &[("WIJKBALANS_CACHE", cache)],
    )
}

/// `wijkbalans HEAD --areas AMSTERDAM --bag BAG TAIL` with the same cache; fails unless it
/// exits 0; its standard output.
fn amsterdam_cli(head: &[&str], tail: &[&str], cache: &std::path::Path) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args(head)
        .args(["--areas", AMSTERDAM, "--bag", BAG])
        .args(tail)
        .env("WIJKBALANS_CACHE", cache)
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "wijkbalans {head:?} {tail:?}: {stderr}"
    );
    String::from_utf8(run.stdout).unwrap()
}

/// The address box: an address answers byte for byte what `test-site --address … --json`
/// prints (on the real BAG extract of postcode area 1013 and the shipped Amsterdam wijken); no
/// match or several give the Dutch message with the candidates.
#[test]
fn an_address_answers_what_test_site_address_json_prints() {
    let cache = tempfile::tempdir().unwrap();
    let server = amsterdam_with_bag(cache.path());
    let p = server.port;
    let (status, body) = request(p, "GET", "/api/groups", &[host(p)], "");
    assert_eq!(status, 200);
    assert!(body.contains(r#""address_box":true"#), "{body}");
    for address in ["Barentszplein 1-H, Amsterdam", "1013 NT 234 B"] {
        let cli = amsterdam_cli(
            &[
                "test-site",
                "--units",
                "10",
                "--group",
                "jongeren",
                "--json",
            ],
            &["--address", address],
            cache.path(),
        );
        let (status, head, body) = request_head(
            p,
            "POST",
            "/api/test-site",
            &[host(p)],
            &serde_json::json!({"address": address, "units": 10, "group": "jongeren"}).to_string(),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(body.trim_end(), cli.trim_end());
        // The point for the map's marker, in WGS84, beside the document.
        let lonlat = head
            .lines()
            .find_map(|l| l.strip_prefix("x-wijkbalans-lonlat: "))
            .unwrap_or_else(|| panic!("{head}"));
        let ll: Vec<f64> = lonlat
            .split(',')
            .map(|v| v.trim().parse().unwrap())
            .collect();
        assert!(
            (4.88..4.91).contains(&ll[0]) && (52.37..52.40).contains(&ll[1]),
            "{ll:?}"
        );
    }
    let ask = |address: &str| {
        request(
            p,
            "POST",
            "/api/test-site",
            &[host(p)],
            &serde_json::json!({"address": address, "units": 10, "group": "jongeren"}).to_string(),
        )
    };
    // A refusal: its message and the addresses the page lists to choose from.
    let refused = |address: &str| -> (String, serde_json::Value) {
        let (status, body) = ask(address);
        assert_eq!(status, 400, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        (
            v["error"].as_str().unwrap().to_string(),
            v["candidates"].clone(),
        )
    };
    // Several addresses at different points, and a street beside the postcode that is not the
    // postcode's: the addresses to choose from.
    for (address, said, choices) in [
        (
            "1013 NT 234",
            "'1013 NT 234' past bij 2 adressen op verschillende plekken",
            [
                "Barentszstraat 234A, 1013 NT Amsterdam",
                "Barentszstraat 234B, 1013 NT Amsterdam",
            ],
        ),
        (
            "Barentszstraat 1, 1013 NJ",
            "controleer welke van de twee klopt",
            [
                "Barentszplein 1-H, 1013 NJ Amsterdam",
                "Barentszstraat 1, 1013 NL Amsterdam",
            ],
        ),
    ] {
        let (error, candidates) = refused(address);
        assert!(error.contains(said), "{address}: {error}");
        assert_eq!(candidates, serde_json::json!(choices), "{address}");
    }
    // One address that the BAG holds twice: choosing a text would ask the same again, so both
    // points are named and the map is to choose.
    let (error, candidates) = refused("1013 AS 219");
    assert_eq!(
        error,
        "'1013 AS 219' staat 2 keer in data/bag/bag_amsterdam_1013.gpkg, op verschillende punten \
         (BAG-object 0363200000476146 op RD 121229 489335; BAG-object 0363200012140306 op RD \
         121231 489337); geen huisletter of toevoeging kiest, klik de plek op de kaart"
    );
    assert_eq!(
        candidates,
        serde_json::Value::Null,
        "no candidates to choose"
    );
    let (error, candidates) = refused("Barentszplein 9, Amsterdam");
    assert!(error.contains("staat niet in"), "{error}");
    assert!(
        candidates
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("Barentszplein 8A, 1013 NJ Amsterdam")),
        "{candidates}"
    );
    // A street the BAG does not have, mistyped: the candidates are addresses on the most
    // similar streets, nearest the number asked, and the page tests each as it stands (street
    // names alone asked again for a house number). A street like none in the file (the
    // Kalverstraat, outside the 1013 extract) has no candidates.
    let (error, candidates) = refused("Kalverstraat 1, Amsterdam");
    assert!(
        error.contains("(1.904 adressen) en niets daarin lijkt erop"),
        "{error}"
    );
    assert_eq!(candidates.as_array().map_or(0, Vec::len), 0, "{candidates}");
    let (error, candidates) = refused("Barentsplein 1, Amsterdam");
    assert!(error.contains("staat niet in"), "{error}");
    let candidates = candidates.as_array().unwrap();
    assert!(!candidates.is_empty());
    for c in candidates {
        let (status, body) = ask(c.as_str().unwrap());
        assert_eq!(status, 200, "{c}: {body}");
    }
    let (status, body) = ask("Barentszplein 123456");
    assert_eq!(status, 400);
    assert!(body.contains("adres niet te lezen"), "{body}");
    assert!(
        body.contains("bijvoorbeeld 'Barentszplein 1'"),
        "how to write it: {body}"
    );
    // The reason's own example, once.
    let (status, body) = ask("Barentszplein 1 Den Haag");
    assert_eq!(status, 400);
    assert!(body.contains("zet er dan een komma voor"), "{body}");
    assert_eq!(body.matches("bijvoorbeeld").count(), 1, "{body}");
    // A point and an address at once is refused.
    let (status, body) = request(
        p,
        "POST",
        "/api/test-site",
        &[host(p)],
        r#"{"x": 121223, "y": 489163, "address": "1013 NJ 1 H", "units": 10, "group": "jongeren"}"#,
    );
    assert_eq!(status, 400);
    assert!(body.contains("niet allebei"), "{body}");
}

/// The address box in Chromium: an address with two matches lists both; choosing one (a real
/// click on it) shows its verdict.
#[test]
fn the_address_box_lists_the_candidates_in_chromium() {
    let Some(browser) = chromium("the_address_box_lists_the_candidates_in_chromium") else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let server = amsterdam_with_bag(cache.path());
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut c = Chromium::start(browser);
    c.navigate(&format!("{origin}/"));
    c.wait_for("window.wb && wb.ready", Duration::from_secs(60));
    c.eval(
        "document.getElementById('group').value = 'jongeren'; \
         document.getElementById('address').value = '1013 NT 234'; \
         document.getElementById('address-box').requestSubmit(); true",
    );
    let at = c.wait_for(
        "(() => { const b = document.querySelectorAll('.candidates button'); \
         if (b.length !== 2) return null; const r = b[1].getBoundingClientRect(); \
         return [b[1].textContent, r.left + r.width / 2, r.top + r.height / 2]; })()",
        Duration::from_secs(30),
    );
    assert_eq!(at[0], "Barentszstraat 234B, 1013 NT Amsterdam");
    c.click(at[1].as_f64().unwrap(), at[2].as_f64().unwrap());
    let shown = c.wait_for(VERDICT_SHOWN, Duration::from_secs(30));
    assert!(shown[1].as_str().unwrap().contains("WK036313"), "{shown}");
    // The browser logs the refusal of the ambiguous address (400) that the page showed; nothing
    // else.
    assert_eq!(
        c.console_errors(),
        [format!(
            "Failed to load resource: the server responded with a status of 400 (Bad Request) \
             ({origin}/api/test-site)"
        )]
    );
    assert_eq!(c.foreign_requests(&origin), Vec::<String>::new());
}

#[test]
fn an_address_without_a_bag_file_says_how_to_give_one() {
    let server = start(&[]);
    let p = server.port;
    let (_, body) = request(p, "GET", "/api/groups", &[host(p)], "");
    assert!(body.contains(r#""address_box":false"#), "{body}");
    let (status, body) = request(
        p,
        "POST",
        "/api/test-site",
        &[host(p)],
        r#"{"address": "Grote Markt 1, Zwolle", "units": 12, "group": "beschermd_thuis"}"#,
    );
    assert_eq!(status, 400);
    assert!(body.contains("--bag FILE"), "{body}");
}

/// An address outside the map's areas (Amsterdam's BAG on the Zwolle wijken): the page names
/// the address and says what to do, as `test-site --address` does.
#[test]
fn an_address_outside_the_map_is_named() {
    let cache = tempfile::tempdir().unwrap();
    let server = start_with(&["--bag", BAG], &[("WIJKBALANS_CACHE", cache.path())]);
    let p = server.port;
    let (status, body) = request(
        p,
        "POST",
        "/api/test-site",
        &[host(p)],
        r#"{"address": "Barentszplein 7", "units": 12, "group": "beschermd_thuis"}"#,
    );
    assert_eq!(status, 400, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let m = v["error"].as_str().unwrap();
    assert!(
        m.starts_with(
            "het adres Barentszplein 7, 1013 NJ Amsterdam: het punt ligt buiten elke wijk"
        ) && m.ends_with("; geef een adres in het gebied van deze kaart"),
        "{m}"
    );
}

/// Off by default: the page's Content-Security-Policy allows only this server; with
/// `[serve] basemap` it allows images from that one origin too.
#[test]
fn a_basemap_is_the_one_other_origin_and_only_when_configured() {
    let server = start(&[]);
    let p = server.port;
    let (_, head, _) = request_head(p, "GET", "/", &[host(p)], "");
    assert!(
        head.contains("content-security-policy: default-src 'self'; img-src 'self' data:; "),
        "{head}"
    );
    let (_, body) = request(p, "GET", "/api/groups", &[host(p)], "");
    assert!(body.contains(r#""basemap":null"#), "{body}");
    drop(server);
    let tmp = tempfile::tempdir().unwrap();
    let config = crate::common::write(
        tmp.path(),
        "serve.toml",
        &format!(
            "[areas]\npath = \"{}\"\n\n[serve]\nbasemap = \"https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png\"\n\
             basemap_attribution = \"© OpenStreetMap\"\n",
            root().join("data/cbs-kwb-2022/wijken_zwolle.geojson").display()
        ),
    );
    let server = start(&["--config", config.to_str().unwrap()]);
    let p = server.port;
    let (_, head, _) = request_head(p, "GET", "/", &[host(p)], "");
    assert!(
        head.contains("img-src 'self' data: https://tile.openstreetmap.org; "),
        "{head}"
    );
    let (_, body) = request(p, "GET", "/api/groups", &[host(p)], "");
    assert!(
        body.contains(r#""basemap":{"url":"https://tile.openstreetmap.org/{z}/{x}/{y}.png","attribution":"© OpenStreetMap"}"#),
        "{body}"
    );
}

#[test]
fn a_host_that_is_not_an_address_is_refused_before_loading() {
    let r = crate::common::wijkbalans(&["serve", "--host", "example.org"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--host 'example.org' is geen IP-adres"),
        "{}",
        r.stderr
    );
}

/// The first Chromium on `PATH`, or `None` (the test is skipped) with
/// `WIJKBALANS_SKIP_CHROMIUM=1`, like the report's Chromium test.
#[allow(clippy::print_stderr)]
fn chromium(test: &str) -> Option<&'static str> {
    if std::env::var_os("WIJKBALANS_SKIP_CHROMIUM").is_some() {
        eprintln!("{test}: skipped (WIJKBALANS_SKIP_CHROMIUM=1)");
        return None;
    }
    Some(cdp::find_chromium().expect(
        "no Chromium on PATH: run scripts/setup; WIJKBALANS_SKIP_CHROMIUM=1 skips this test",
    ))
}

/// The verdict text on the page once one is shown.
const VERDICT_SHOWN: &str = "(() => { const v = document.querySelector('#result .verdict'); \
                             return v ? [v.className, document.getElementById('result').innerText] : null; })()";

/// The page in real headless Chromium, driven over the DevTools protocol: a real mouse click
/// (pressed and released) at the screen position of a point inside Holtenbroek, with 12
/// beschermd-thuis places chosen, shows the verdict of `test-site --json` for the point the
/// page sent. No console errors; every request went to this server (every other host name
/// resolves to nothing, and the requests the page made are read from the Network events).
#[test]
fn a_real_click_in_chromium_shows_the_verdict() {
    let Some(browser) = chromium("a_real_click_in_chromium_shows_the_verdict") else {
        return;
    };
    let server = start(&[]);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut c = Chromium::start(browser);
    c.navigate(&format!("{origin}/"));
    c.wait_for("window.wb && wb.ready", Duration::from_secs(60));
    c.eval(
        "document.getElementById('group').value = 'beschermd_thuis'; \
         document.getElementById('units').value = '12'; true",
    );
    let (x, y, class) = cdp::map_point(&mut c, 6.0918, 52.5286);
    assert!(class.contains("leaflet-interactive"), "{class}");
    // Hovering shows the wijk's key numbers.
    c.hover(x, y);
    let tip = c.wait_for(
        "(() => { const t = document.querySelector('.leaflet-tooltip'); return t && t.innerText; })()",
        Duration::from_secs(10),
    );
    let tip = tip.as_str().unwrap();
    assert!(tip.contains("Wijk 30 Holtenbroek (WK019330)"), "{tip}");
    assert!(tip.contains("Signaal: rood; saldo −3,06"), "{tip}");
    // Every colouring colours the map and brings its legend; the signal stays chosen.
    let ids = c.eval("[...document.getElementById('colouring').options].map(o => o.value)");
    assert_eq!(
        ids,
        serde_json::json!([
            "signal",
            "saldo",
            "draaglast",
            "care_units_per_1000",
            "fair_share_ratio",
            "lisa"
        ])
    );
    for id in ids.as_array().unwrap().iter().rev() {
        let legend = c.eval(&format!(
            "(() => {{ const s = document.getElementById('colouring'); s.value = {id}; \
             s.dispatchEvent(new Event('change')); \
             return [document.querySelector('.legend-title').textContent, \
                     s.options[s.selectedIndex].text, \
                     document.querySelectorAll('#legend div').length, \
                     new Set([...document.querySelectorAll('path.leaflet-interactive')] \
                       .map(p => p.getAttribute('fill'))).size]; }})()"
        ));
        assert_eq!(legend[0], legend[1], "{legend}");
        assert!(legend[2].as_u64().unwrap() >= 3, "{legend}");
        assert!(
            legend[3].as_u64().unwrap() >= 2,
            "{id}: one colour for every wijk"
        );
    }
    c.click(x, y);
    let shown = c.wait_for(VERDICT_SHOWN, Duration::from_secs(60));
    let text = shown[1].as_str().unwrap();
    assert!(text.contains("12 plaatsen"), "{text}");
    assert!(text.contains("Wijk 30 Holtenbroek"), "{text}");
    assert!(text.contains("Redenen"), "{text}");
    // The page wrote the point it sent into its address: test-site for that point gives the
    // verdict the page shows, with the same reasons.
    let hash = c.eval("location.hash");
    let at = hash
        .as_str()
        .and_then(|h| h.strip_prefix("#voorstel="))
        .unwrap_or_else(|| panic!("{hash}"));
    let lonlat: Vec<&str> = at.split(',').take(2).collect();
    let cli = ok(&argv(
        "test-site --at-crs EPSG:4326 --units 12 --group beschermd_thuis --json --at",
        &[&lonlat.join(",")],
    ));
    let doc: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    let verdict = doc["verdict"].as_str().unwrap();
    assert_eq!(shown[0], format!("verdict {verdict}"));
    for r in doc["reasons"].as_array().unwrap() {
        let explanation = r["explanation"].as_str().unwrap();
        assert!(text.contains(explanation), "{explanation}\n{text}");
    }
    // The facility rings of beschermd thuis around the proposal, with the radii of the rules
    // (the verdict names them), and the facilities when switched on.
    let radii = c.eval("wb.rings.getLayers().map(r => r.getRadius())");
    let groups: serde_json::Value = serde_json::from_str(
        &request(server.port, "GET", "/api/groups", &[host(server.port)], "").1,
    )
    .unwrap();
    let expected: Vec<f64> = groups["rings"]["beschermd_thuis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["radius_m"].as_f64().unwrap())
        .collect();
    let radii: Vec<f64> = radii
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_f64().unwrap())
        .collect();
    assert_eq!(radii, expected);
    assert!(expected.len() >= 2, "{groups}");
    for r in groups["rings"]["beschermd_thuis"].as_array().unwrap() {
        let line = format!("ring {} m)", r["radius_m"].as_f64().unwrap());
        assert!(text.contains(&line), "{line}\n{text}");
    }
    let shown = c.eval(
        "(() => { const b = document.getElementById('show-facilities'); b.click(); \
         return [wb.map.hasLayer(wb.facilities), wb.facilities.getLayers().length, \
                 document.querySelectorAll('#facility-legend div').length]; })()",
    );
    assert_eq!(shown[0], true, "{shown}");
    assert!(
        shown[1].as_u64().unwrap() > 0 && shown[2].as_u64().unwrap() >= 3,
        "{shown}"
    );
    let profile = c.eval("document.querySelector('#result a.profile').getAttribute('href')");
    assert_eq!(profile, "/profiel/WK019330");
    // The click-to-screen time was measured in the page.
    c.wait_for("wb.timings.length === 1", Duration::from_secs(10));
    assert_eq!(c.console_errors(), Vec::<String>::new());
    assert_eq!(c.foreign_requests(&origin), Vec::<String>::new());
    let requests = c.requests();
    assert!(
        requests.iter().any(|u| u.ends_with("/api/test-site")),
        "{requests:?}"
    );
}

/// A shared link (`#voorstel=lon,lat,units,group`, what a click writes in the address) shows
/// the same test when opened.
#[test]
fn a_shared_link_shows_the_proposal_in_chromium() {
    let Some(browser) = chromium("a_shared_link_shows_the_proposal_in_chromium") else {
        return;
    };
    let server = start(&[]);
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut c = Chromium::start(browser);
    c.navigate(&format!(
        "{origin}/#voorstel=6.0918,52.5286,12,beschermd_thuis"
    ));
    let shown = c.wait_for(VERDICT_SHOWN, Duration::from_secs(60));
    let cli = ok(&argv(
        "test-site --at 6.0918,52.5286 --at-crs EPSG:4326 --units 12 --group beschermd_thuis --json",
        &[],
    ));
    let doc: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(
        shown[0],
        format!("verdict {}", doc["verdict"].as_str().unwrap())
    );
    assert!(shown[1].as_str().unwrap().contains("Wijk 30 Holtenbroek"));
    assert_eq!(c.console_errors(), Vec::<String>::new());
    assert_eq!(c.foreign_requests(&origin), Vec::<String>::new());
}

/// Console errors are logged as CONSOLE lines with --enable-logging.
fn assert_no_console_errors(log: &str) {
    assert!(
        !log.lines()
            .any(|l| l.contains("CONSOLE") && l.contains("rror")),
        "{log}"
    );
}

/// Whether the Chromium tests are skipped (`WIJKBALANS_SKIP_CHROMIUM=1`, like the report's
/// Chromium test); says so for `test`.
#[allow(clippy::print_stderr)]
fn skip_chromium(test: &str) -> bool {
    let skip = std::env::var_os("WIJKBALANS_SKIP_CHROMIUM").is_some();
    if skip {
        eprintln!("{test}: skipped (WIJKBALANS_SKIP_CHROMIUM=1)");
    }
    skip
}

/// The DOM headless Chromium builds for `url` within 20 s of virtual time, and its log. Every
/// host but 127.0.0.1 resolves to nothing, so a request that left this computer would fail the
/// page.
fn chromium_dom(url: &str) -> (String, String) {
    let browser = crate::common::chromium().expect(
        "no Chromium on PATH: run scripts/setup; WIJKBALANS_SKIP_CHROMIUM=1 skips this test",
    );
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args(crate::common::HEADLESS)
        .args([
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--enable-logging=stderr",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("Chromium runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The scenario panel in real headless Chromium: a scenario in the page address (`?scenario=`,
/// what the panel writes there: a removed site and a kept proposal) is computed and shown (each
/// change's verdict, the wijken that change, the study), and a click (`#voorstel=`) in a wijk is
/// offered to be kept and judged inside the scenario so far.
#[test]
fn the_page_shows_the_scenario_in_chromium() {
    if skip_chromium("the_page_shows_the_scenario_in_chromium") {
        return;
    }
    let server = start(&[]);
    let saved = serde_json::json!({
        "name": "proef",
        "steps": [
            {"label": "Beschermd wonen locatie A (illustratief) verwijderd",
             "changes": [{"action": "remove", "site": "Beschermd wonen locatie A (illustratief)"}],
             "marks": []},
            {"label": "5 plaatsen jongeren in Wijk 51 Ittersum",
             "changes": [{"action": "add", "name": "voorstel 2", "at": [6.1112, 52.4961], "units": 5, "group": "jongeren"}],
             "marks": [[52.4961, 6.1112]]},
        ],
    })
    .to_string();
    let query: String = saved
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let url = format!(
        "http://127.0.0.1:{}/?scenario={query}#voorstel=6.0918,52.5286,12,beschermd_thuis",
        server.port
    );
    let (dom, log) = chromium_dom(&url);
    for shown in [
        "id=\"scenario-step-2\"",
        "Oordeel per wijziging",
        "Wijk 11 Diezerpoort",
        "Het hele gebied",
        "id=\"scenario-keep\"",
        "Binnen het scenario tot nu toe",
    ] {
        assert!(dom.contains(shown), "{shown}:\n{dom}\n{log}");
    }
    assert!(!dom.contains("class=\"error\""), "{dom}");
    assert_no_console_errors(&log);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut server = start(&[]);
    let (status, _) = request(server.port, "GET", "/api/groups", &[host(server.port)], "");
    assert_eq!(status, 200);
    // SAFETY: kill(2) on the child's process id, which is ours until waited for.
    let sent = unsafe { libc::kill(server.child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0);
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_err());
    // Ctrl-C as soon as the address is printed, before any request: the handler is in place
    // by then (a handler registered on first poll left the default, which ends the process
    // by the signal, not with exit code 0).
    for _ in 0..5 {
        let mut server = start(&[]);
        // SAFETY: as above.
        let sent = unsafe { libc::kill(server.child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(sent, 0);
        let status = server.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{status:?}");
    }
}

/// The text of the `first` member of an answer written by `to_vec_pretty` (`{"first": …,
/// "second": …}`), one indent level less, is byte for byte the file `written` (a JSON file of
/// the command, with its final newline). The text is compared, not numbers read from it:
/// serde_json reads a decimal only to within one unit in the last place.
fn assert_member_is_file(answer: &str, first: &str, second: &str, written: &std::path::Path) {
    let written = std::fs::read_to_string(written).unwrap();
    let member = answer
        .strip_prefix(&format!("{{\n  \"{first}\": "))
        .and_then(|t| t.split_once(&format!(",\n  \"{second}\": ")))
        .expect("the answer starts with the member")
        .0
        .replace("\n  ", "\n");
    if let Some((k, (a, b))) = member
        .lines()
        .zip(written.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!("{first} line {}: server {a:?}, command {b:?}", k + 1);
    }
    assert_eq!(member + "\n", written);
}

/// The properties of every feature of a GeoJSON file.
fn properties(path: &std::path::Path) -> Vec<serde_json::Value> {
    let layer = crate::common::json(path);
    layer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect()
}

/// `POST /api/scenario…` with `body`; the status and the body.
fn scenario_request(port: u16, path: &str, body: &str) -> (u16, String) {
    request(port, "POST", path, &[host(port)], body)
}

/// The must-show of building a scenario on the map: a new site, a removed site and a moved site
/// sent as the page sends them (WGS84), exported as TOML; `wijkbalans scenario` on that file
/// writes exactly what the server answered: `scenario.json` byte for byte, the properties of
/// `scenario_areas.geojson` field by field (the server sends no geometry), `scenario.md` byte
/// for byte.
#[test]
fn an_exported_scenario_reproduces_the_scenario_command() {
    let server = start(&[]);
    let p = server.port;
    let body = r#"{"name": "Kaart: proef", "crs": "EPSG:4326", "changes": [
        {"action": "add", "name": "voorstel 1", "at": [6.0918, 52.5286], "units": 12, "group": "beschermd_thuis"},
        {"action": "remove", "site": "Beschermd wonen locatie A (illustratief)"},
        {"action": "remove", "site": "Beschermd wonen locatie C (illustratief)"},
        {"action": "add", "name": "Beschermd wonen locatie C (illustratief) (verplaatst)", "at": [6.1112, 52.4961], "units": 40, "group": "beschermd_wonen"}
    ]}"#;
    let (status, text) = scenario_request(p, "/api/scenario", body);
    assert_eq!(status, 200, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (status, toml) = scenario_request(p, "/api/scenario/toml", body);
    assert_eq!(status, 200, "{toml}");
    assert!(
        toml.contains("crs = \"EPSG:4326\"") && toml.matches("[[change]]").count() == 4,
        "{toml}"
    );
    let (status, report) = scenario_request(p, "/api/scenario/report", body);
    assert_eq!(status, 200, "{report}");

    let tmp = tempfile::tempdir().unwrap();
    let file = crate::common::write(tmp.path(), "kaart.toml", &toml);
    let out = tmp.path().join("out");
    ok(&[
        "scenario",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_member_is_file(&text, "scenario", "areas", &out.join("scenario.json"));
    let verdicts: Vec<&str> = answer["scenario"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts.len(), 4, "{answer}");
    let areas: Vec<serde_json::Value> = answer["areas"].as_array().unwrap().clone();
    assert_eq!(areas, properties(&out.join("scenario_areas.geojson")));
    // The removals and the move change the care units of the wijken they touch.
    assert!(
        areas
            .iter()
            .filter(|a| a["care_units_delta"].as_f64() != Some(0.0))
            .count()
            >= 3,
        "{answer}"
    );
    assert_eq!(
        report,
        std::fs::read_to_string(out.join("scenario.md")).unwrap()
    );
}

#[test]
fn a_scenario_that_cannot_be_computed_is_a_dutch_message_and_the_body_limit_is_documented() {
    let server = start(&[]);
    let p = server.port;
    // A site that does not exist: the message names the change and lists the sites.
    let (status, body) = scenario_request(
        p,
        "/api/scenario",
        r#"{"changes": [{"action": "remove", "site": "Nergens"}]}"#,
    );
    assert_eq!(status, 400);
    assert!(
        body.contains("het scenario kan niet worden doorgerekend")
            && body.contains("wijziging 1: er is geen zorglocatie met de naam 'Nergens'"),
        "{body}"
    );
    // The scenario file's own checks.
    let (status, body) = scenario_request(p, "/api/scenario/toml", r#"{"changes": []}"#);
    assert_eq!(status, 400);
    assert!(
        body.contains("het scenario heeft geen wijzigingen"),
        "{body}"
    );
    let (status, body) = scenario_request(
        p,
        "/api/scenario",
        r#"{"changes": [{"action": "add", "at": [6.0918, 52.5286], "units": 3, "group": "ggz", "path": "/etc/passwd"}]}"#,
    );
    assert_eq!(status, 400);
    assert!(body.contains("onbekend veld 'path'"), "{body}");
    // More than 16 KiB (the limit of a single proposal) is accepted for a scenario …
    let change = r#"{"action": "add", "name": "voorstel", "at": [203200.0, 502900.0], "units": 1, "group": "beschermd_thuis"}"#;
    let many = |n: usize| format!(r#"{{"changes": [{}]}}"#, vec![change; n].join(", "));
    let body = many(180);
    assert!(body.len() > 16 * 1024);
    let (status, answer) = scenario_request(p, "/api/scenario", &body);
    assert_eq!(status, 200, "{answer}");
    // … up to 200 changes …
    let (status, answer) = scenario_request(p, "/api/scenario", &many(201));
    assert_eq!(status, 400);
    assert!(
        answer.contains("201 wijzigingen; de kaart rekent met ten hoogste 200"),
        "{answer}"
    );
    // … and 64 KiB.
    let (status, _) = scenario_request(p, "/api/scenario", &many(700));
    assert_eq!(status, 413);
    let (status, _) = request(p, "GET", "/api/groups", &[host(p)], "");
    assert_eq!(status, 200);
}

/// A refusal axum's extractors or router would make (a body over the limit, a method or an
/// address the server does not have, a path that is not text, a body that breaks off): the
/// expected status, JSON `{"error"}` and nothing else, application/json; the message.
fn refusal(expected: u16, (status, head, body): (u16, String, String)) -> String {
    assert_eq!(status, expected, "{head}\n{body}");
    assert!(head.contains("content-type: application/json"), "{head}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["error"], "{body}");
    v["error"].as_str().unwrap().to_string()
}

/// Every request refused before a route's code runs is answered in the API's Dutch JSON with
/// axum's status: 413 for a body over the limit of its address (16 kB, a scenario 64 kB, the
/// limit written the Dutch way), 405 with the methods of `Allow`, 404 for an unknown address,
/// 400 for a path segment that is not text and for a body that breaks off. A body that is not
/// UTF-8 is a JSON error in Dutch; the `Content-Type` is not read, so a missing or other one is
/// no refusal.
#[test]
fn every_refused_request_is_dutch_json() {
    let server = start(&[]);
    let p = server.port;
    let post = |path: &str, body: &str| request_head(p, "POST", path, &[host(p)], body);
    let proposal = r#"{"x": 203200, "y": 502900, "units": 12, "group": "beschermd_thuis"}"#;

    // 413: over the limit of the address, which says what to do.
    let big = format!(
        r#"{{"x": 1, "y": 2, "units": 1, "group": "{}"}}"#,
        "a".repeat(40_000)
    );
    let small = "het verzoek is groter dan 16 kB (16.384 bytes), de grens van dit adres; een \
                 vraag van de kaart is een paar honderd bytes: stuur alleen de velden die \
                 docs/SERVE.md bij dit adres noemt";
    assert_eq!(refusal(413, post("/api/test-site", &big)), small);
    assert_eq!(refusal(413, post("/api/suggest", &big)), small);
    let change =
        r#"{"action": "add", "at": [203200.0, 502900.0], "units": 1, "group": "beschermd_thuis"}"#;
    let scenario = format!(r#"{{"changes": [{}]}}"#, vec![change; 800].join(", "));
    assert!(scenario.len() > 64 * 1024);
    assert_eq!(
        refusal(413, post("/api/scenario/toml", &scenario)),
        "het verzoek is groter dan 64 kB (65.536 bytes), de grens van dit adres; de kaart \
         rekent met ten hoogste 200 wijzigingen; reken een groter programma door met \
         `wijkbalans scenario` en een scenariobestand"
    );

    // 405: the method the address takes, from the `Allow` header, which stays.
    let (status, head, body) = request_head(p, "GET", "/api/test-site", &[host(p)], "");
    assert!(head.contains("\r\nallow: post"), "{head}");
    assert_eq!(
        refusal(405, (status, head, body)),
        "GET kan niet bij /api/test-site; stuur het verzoek met POST"
    );
    assert_eq!(
        refusal(405, post("/api/areas", "")),
        "POST kan niet bij /api/areas; stuur het verzoek met GET of HEAD"
    );
    assert_eq!(
        refusal(
            405,
            request_head(p, "DELETE", "/api/scenario", &[host(p)], "")
        ),
        "DELETE kan niet bij /api/scenario; stuur het verzoek met POST"
    );

    // 404: an address the server does not have.
    assert_eq!(
        refusal(404, request_head(p, "GET", "/api/area", &[host(p)], "")),
        "onbekend adres /api/area; de kaart staat op / en de adressen van de API staan in \
         docs/SERVE.md"
    );

    // 400: a wijk code that is not text once its %-escapes are decoded.
    assert_eq!(
        refusal(400, request_head(p, "GET", "/profiel/%FF", &[host(p)], "")),
        "het adres /profiel/%FF is geen geldige tekst na het decoderen van de %-tekens; geef \
         de code van een wijk, zoals de kolom code van /api/areas die noemt"
    );

    // 400: a body shorter than its Content-Length (the connection closed for writing).
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    write!(
        s,
        "POST /api/test-site HTTP/1.1\r\n{}\r\nConnection: close\r\nContent-Length: 500\r\n\r\n{{\"x\": 1",
        host(p)
    )
    .unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    assert_eq!(
        refusal(400, (status, head.to_ascii_lowercase(), body.to_string())),
        "het verzoek kan niet helemaal worden gelezen (de verbinding brak af of de opgegeven \
         lengte klopt niet); stuur het opnieuw"
    );

    // Not UTF-8: the JSON error in Dutch, where it is.
    let latin1 = b"{\"x\": 203200, \"y\": 502900, \"units\": 12, \"group\": \"\xe9\"}";
    let message = refusal(
        400,
        raw_request(p, "POST", "/api/test-site", &[host(p)], latin1),
    );
    assert!(
        message.starts_with(
            "het voorstel is geen geldig JSON-object (regel 1, kolom 51: dit is geen geldige JSON)"
        ),
        "{message}"
    );

    // No Content-Type, or another one: the body is read as JSON all the same.
    let (status, _, answer) =
        raw_request(p, "POST", "/api/test-site", &[host(p)], proposal.as_bytes());
    assert_eq!(status, 200, "{answer}");
    let plain = [host(p), "Content-Type: text/plain".into()];
    let (status, _, again) = raw_request(p, "POST", "/api/test-site", &plain, proposal.as_bytes());
    assert_eq!(status, 200, "{again}");
    assert_eq!(answer, again);
}

/// `POST path` with `body` (200 expected) and `wijkbalans LINE -q --out out`; the answer.
fn api_and_command(port: u16, path: &str, body: &str, line: &str, out: &std::path::Path) -> String {
    let (status, text) = request(port, "POST", path, &[host(port)], body);
    assert_eq!(status, 200, "{text}");
    ok(&argv(&format!("{line} -q --out {}", out.display()), &[]));
    text
}

/// `POST path` with `body` is refused with 400 and a message containing `fragment`.
fn refused_with(port: u16, path: &str, body: &str, fragment: &str) {
    let (status, text) = request(port, "POST", path, &[host(port)], body);
    assert_eq!(status, 400, "{text}");
    assert!(text.contains(fragment), "{text}");
}

/// The allocation layer: `POST /api/allocate` answers `allocation.json` of `wijkbalans allocate`
/// with the same flags byte for byte, and the properties of its `allocation.geojson` field by
/// field; the command's defaults hold when the page leaves a flag out.
#[test]
fn the_allocation_layer_is_what_allocate_writes() {
    let server = start(&[]);
    let p = server.port;
    let tmp = tempfile::tempdir().unwrap();
    for (body, flags, dir) in [
        (
            r#"{"group": "beschermd_thuis", "places": 40}"#,
            "--group beschermd_thuis --places 40",
            "a",
        ),
        (
            r#"{"group": "Jongeren", "places": 25, "per_area_max": 6, "objective": "min_max_rate", "no_oranje": true}"#,
            "--group Jongeren --places 25 --per-area-max 6 --objective min_max_rate --no-oranje",
            "b",
        ),
    ] {
        let out = tmp.path().join(dir);
        let text = api_and_command(p, "/api/allocate", body, &format!("allocate {flags}"), &out);
        assert_member_is_file(&text, "allocation", "areas", &out.join("allocation.json"));
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            answer["areas"].as_array().unwrap().clone(),
            properties(&out.join("allocation.geojson"))
        );
        assert!(
            answer["allocation"]["placed"].as_u64().unwrap() > 0,
            "{text}"
        );
    }
    let refused = |body, fragment| refused_with(p, "/api/allocate", body, fragment);
    refused(
        r#"{"group": "daklozen", "places": 4}"#,
        "verdelen: onbekende doelgroep 'daklozen'",
    );
    refused(
        r#"{"group": "jongeren", "places": 0}"#,
        "het aantal plaatsen moet minstens 1 zijn",
    );
}

/// The suggestions layer: `POST /api/suggest` answers byte for byte the `suggestions.geojson`
/// that `wijkbalans suggest` writes for the same group, units and grid (the default grid of
/// 250 m, and other flags given).
#[test]
fn the_suggestions_layer_is_what_suggest_writes() {
    let server = start(&[]);
    let p = server.port;
    let tmp = tempfile::tempdir().unwrap();
    for (body, flags) in [
        (
            r#"{"group": "beschermd_thuis", "units": 12}"#,
            "--group beschermd_thuis --units 12",
        ),
        (
            r#"{"group": "jongeren", "units": 8, "top": 4, "grid": 500, "spacing": 900, "max_per_area": 1}"#,
            "--group jongeren --units 8 --top 4 --grid 500 --spacing 900 --max-per-area 1",
        ),
    ] {
        let out = tmp.path().join(flags.replace(' ', "_"));
        let text = api_and_command(p, "/api/suggest", body, &format!("suggest {flags}"), &out);
        let written = std::fs::read_to_string(out.join("suggestions.geojson")).unwrap();
        assert_eq!(text, written);
        assert!(text.contains("\"rank\":1"), "{text}");
    }
    let refused = |body, fragment| refused_with(p, "/api/suggest", body, fragment);
    refused(
        r#"{"group": "jongeren", "units": 8, "grid": 5}"#,
        "--grid moet minstens 10 meter zijn",
    );
    refused(
        r#"{"group": "jongeren", "units": 8, "candidates": "/etc/passwd"}"#,
        "onbekend veld 'candidates'",
    );
}

/// Scroll the element `id` into view and press it with a real mouse click, once it stands still
/// (a popup may still be panning the map into view) and is the element under the mouse there.
/// An element on the map (a popup's button) is not scrolled: Leaflet undoes any scroll of the
/// map, which would move the element away from under the mouse again.
fn press(c: &mut Chromium, id: &str) {
    let at = |c: &mut Chromium| {
        c.eval(&format!(
            "(() => {{ const b = document.getElementById('{id}'); \
             if (!b.closest('.leaflet-container')) b.scrollIntoView({{block: 'center'}}); \
             const r = b.getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2; \
             return [x, y, document.elementFromPoint(x, y) === b]; }})()"
        ))
    };
    let mut was = at(c);
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(100));
        let now = at(c);
        if now == was {
            break;
        }
        was = now;
    }
    assert_eq!(was[2], true, "{id} is not under the mouse: {was}");
    c.click(was[0].as_f64().unwrap(), was[1].as_f64().unwrap());
}

/// A page condition: the open popup is that of the site `name` (a JSON string) and holds the
/// button `id`.
fn popup_of(name: &serde_json::Value, id: &str) -> String {
    format!(
        "(() => {{ const t = document.querySelector('.leaflet-popup-content strong'); \
         return t && t.textContent === {name} && document.getElementById('{id}') !== null; }})()"
    )
}

/// The page position of the site at `lon, lat`, checked to be the site's clickable marker
/// (in the map's pane of sites, above the wijken).
fn site_point(c: &mut Chromium, lon: f64, lat: f64) -> (f64, f64) {
    // The map may still be moving (a popup pans it into view, a refresh redraws): a point read
    // during the pan is clicked where another marker has arrived by then. Wait until the point
    // holds still for a quarter of a second.
    let mut at = cdp::map_point(c, lon, lat);
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        let now = cdp::map_point(c, lon, lat);
        if (now.0, now.1) == (at.0, at.1) {
            break;
        }
        at = now;
    }
    let (x, y) = (at.0, at.1);
    let on_site = c.eval(&format!(
        "(() => {{ const e = document.elementFromPoint({x}, {y}); \
         return e ? String(e.closest('.leaflet-sites-pane') !== null) : 'nothing'; }})()"
    ));
    assert_eq!(on_site, "true", "no site marker at {lon}, {lat}");
    (x, y)
}

/// Press the button `id` of the page and wait for `shown` (its result read from the page);
/// then the same request to the API, `(path, body, …)`, and the command `LINE` with `--out
/// out` ([`api_and_command`]). What the page showed and what the API answered.
fn press_and_compute(
    c: &mut Chromium,
    id: &str,
    shown: &str,
    port: u16,
    (path, body, line): (&str, &str, &str),
    out: &std::path::Path,
) -> (serde_json::Value, String) {
    press(c, id);
    let shown = c.wait_for(shown, Duration::from_secs(180));
    (shown, api_and_command(port, path, body, line, out))
}

/// `v` as the page writes numbers (its own `nl`: decimal comma, `decimals` places).
fn page_nl(c: &mut Chromium, v: &serde_json::Value, decimals: u32) -> String {
    c.eval(&format!("wb.nl({v}, {decimals})"))
        .as_str()
        .unwrap()
        .to_string()
}

/// The verdict words of the page (`VERDICT_TEXT` of layers.js and scenario.js).
fn verdict_word(verdict: &str, capital: bool) -> String {
    let w = match verdict {
        "past" => "past",
        "past_onder_voorwaarden" => "past onder voorwaarden",
        "past_niet" => "past niet",
        other => panic!("unknown verdict {other}"),
    };
    if capital {
        let mut s = w.to_string();
        s[..1].make_ascii_uppercase();
        s
    } else {
        w.to_string()
    }
}

/// The buttons of the page in real headless Chromium (real mouse clicks over the DevTools
/// protocol): "Zoek plekken" draws the ranked points and the list that `POST /api/suggest` and
/// `wijkbalans suggest` give for the same group and units; "Verdeel" fills and labels the wijken
/// and lists the places that `POST /api/allocate` and `wijkbalans allocate` give; a click on an
/// existing site moves it (a click on the new place) or removes it, and the scenario panel then
/// shows exactly the cumulative state `POST /api/scenario` answers for the changes the page
/// keeps, and every colouring colours each wijk by its value after those changes (LISA: as
/// loaded, its legend says so). No console errors; every request went to this server.
#[test]
fn suggest_allocate_and_moving_a_site_in_chromium() {
    let Some(browser) = chromium("suggest_allocate_and_moving_a_site_in_chromium") else {
        return;
    };
    let server = start(&[]);
    let p = server.port;
    let origin = format!("http://127.0.0.1:{p}");
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Chromium::start(browser);
    c.navigate(&format!("{origin}/"));
    c.wait_for(
        "window.wb && wb.ready && document.getElementById('suggest-group').options.length > 0",
        Duration::from_secs(60),
    );

    // Suggest: the page against the API and the command.
    c.eval(
        "document.getElementById('suggest-group').value = 'beschermd_thuis'; \
         document.getElementById('suggest-units').value = '12'; true",
    );
    let out = tmp.path().join("suggest");
    let (items, text) = press_and_compute(
        &mut c,
        "suggest-run",
        "(() => { const l = document.querySelectorAll('#suggest-result ol li'); \
         return l.length ? [...l].map(li => li.textContent) : null; })()",
        p,
        (
            "/api/suggest",
            r#"{"group": "beschermd_thuis", "units": 12}"#,
            "suggest --group beschermd_thuis --units 12",
        ),
        &out,
    );
    assert_eq!(
        text,
        std::fs::read_to_string(out.join("suggestions.geojson")).unwrap()
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let features = doc["features"].as_array().unwrap();
    assert_eq!(features.len(), 10);
    // Zwolle's scores differ: no note on equal scores.
    assert_eq!(
        c.eval("document.querySelector('#suggest-result .suggest-tie') === null"),
        true
    );
    let marks = c.eval(
        "wb.layers.suggest.getLayers().map(m => [m.getLatLng().lng, m.getLatLng().lat, \
         m.options.icon.options.html, m.getTooltip().getContent()])",
    );
    let marks = marks.as_array().unwrap();
    assert_eq!(marks.len(), features.len());
    assert_eq!(items.as_array().unwrap().len(), features.len());
    for (k, f) in features.iter().enumerate() {
        let props = &f["properties"];
        let xy = &f["geometry"]["coordinates"];
        let m = &marks[k];
        assert_eq!(m[0], xy[0], "suggestion {k}: {m}");
        assert_eq!(m[1], xy[1], "suggestion {k}: {m}");
        assert!(
            m[2].as_str()
                .unwrap()
                .ends_with(&format!(">{}</div>", props["rank"])),
            "{m}"
        );
        let score = page_nl(&mut c, &props["score"], 1);
        let verdict = verdict_word(props["verdict"].as_str().unwrap(), false);
        let area = props["area_name"].as_str().unwrap();
        assert_eq!(
            m[3],
            format!("#{} {area}: score {score}, {verdict}", props["rank"])
        );
        let failed = props["failed_rules"].as_str().unwrap_or("");
        let mut line = format!("{area}: score {score}, {verdict}");
        if !failed.is_empty() {
            line.push_str(&format!(" (niet gehaald: {})", failed.replace(',', ", ")));
        }
        assert_eq!(items[k], line);
    }

    // Allocate: the page against the API and the command.
    c.eval(
        "document.getElementById('allocate-group').value = 'beschermd_thuis'; \
         document.getElementById('allocate-places').value = '40'; true",
    );
    let out = tmp.path().join("allocate");
    let (shown, text) = press_and_compute(
        &mut c,
        "allocate-run",
        "(() => { const l = document.querySelectorAll('#allocate-result ul li'); \
         return l.length ? [document.querySelector('#allocate-result p').textContent, \
           [...l].map(li => li.textContent), \
           [...document.querySelectorAll('.allocate-label')].map(t => t.textContent)] : null; })()",
        p,
        (
            "/api/allocate",
            r#"{"group": "beschermd_thuis", "places": 40}"#,
            "allocate --group beschermd_thuis --places 40",
        ),
        &out,
    );
    assert_member_is_file(&text, "allocation", "areas", &out.join("allocation.json"));
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let areas = properties(&out.join("allocation.geojson"));
    assert_eq!(answer["areas"].as_array().unwrap(), &areas);
    let given: Vec<&serde_json::Value> = areas
        .iter()
        .filter(|a| a["allocated"].as_u64().unwrap() > 0)
        .collect();
    assert!(given.len() >= 2, "{text}");
    let lines: Vec<String> = given
        .iter()
        .map(|a| format!("{}: {}", a["name"].as_str().unwrap(), a["allocated"]))
        .collect();
    assert_eq!(shown[1], serde_json::json!(lines));
    let mut labels: Vec<String> = shown[2]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let mut numbers: Vec<String> = given.iter().map(|a| a["allocated"].to_string()).collect();
    labels.sort();
    numbers.sort();
    assert_eq!(labels, numbers, "one label per wijk that gets places");
    let s = &answer["allocation"];
    let summary = shown[0].as_str().unwrap();
    assert!(
        summary.starts_with(&format!(
            "{} van {} plaatsen beschermd_thuis toegewezen",
            s["placed"], s["places"]
        )),
        "{summary}"
    );
    let d_before = page_nl(&mut c, &s["fair_share_dissimilarity_before"], 4);
    let d_after = page_nl(&mut c, &s["fair_share_dissimilarity_after"], 4);
    assert!(
        summary.ends_with(&format!("Te verplaatsen aandeel {d_before} → {d_after}.")),
        "{summary}"
    );

    // Move a site (a click on it, "Verplaatsen", a click on the new place), then remove
    // another (a click on it, "Bestaande locatie verwijderen").
    let sites: serde_json::Value =
        serde_json::from_str(&request(p, "GET", "/api/sites", &[host(p)], "").1).unwrap();
    let counted: Vec<&serde_json::Value> = sites["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["wb_counted"] == true)
        .collect();
    let site_at = |f: &serde_json::Value| {
        let xy = &f["geometry"]["coordinates"];
        (xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap())
    };
    let moved = &counted[0]["properties"];
    let removed = &counted[1]["properties"];
    let (lon, lat) = site_at(counted[0]);
    let (x, y) = site_point(&mut c, lon, lat);
    c.click(x, y);
    c.wait_for(
        &popup_of(&moved["name"], "scenario-move-site"),
        Duration::from_secs(10),
    );
    press(&mut c, "scenario-move-site");
    let (x, y, class) = cdp::map_point(&mut c, 6.1112, 52.4961);
    assert!(class.contains("leaflet-interactive"), "{class}");
    c.click(x, y);
    c.wait_for(
        "document.querySelectorAll('#scenario-effect li.verdict-line').length === 2 && \
         !document.getElementById('scenario-status').textContent",
        Duration::from_secs(60),
    );
    let (lon, lat) = site_at(counted[1]);
    let (x, y) = site_point(&mut c, lon, lat);
    c.click(x, y);
    c.wait_for(
        &popup_of(&removed["name"], "scenario-remove-site"),
        Duration::from_secs(10),
    );
    press(&mut c, "scenario-remove-site");
    let page = c.wait_for(
        "(() => { if (document.querySelectorAll('#scenario-effect li.verdict-line').length !== 3 || \
           document.getElementById('scenario-status').textContent) return null; \
         const e = document.getElementById('scenario-effect'); \
         return [[...e.querySelectorAll('li.verdict-line')].map(li => [li.className, li.textContent]), \
           [...e.querySelectorAll('tr')].slice(1).map(tr => [...tr.children].map(td => td.textContent)), \
           [...e.querySelectorAll('ul li')].map(li => li.textContent), \
           [...document.querySelectorAll('#scenario-list li')].map(li => li.firstChild.textContent), \
           JSON.parse(new URLSearchParams(location.search).get('scenario'))]; })()",
        Duration::from_secs(60),
    );
    // The changes the page keeps (in its address): the move as the removal and the same units
    // of the same group at the clicked place, then the removal.
    let changes: Vec<serde_json::Value> = page[4]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["changes"].as_array().unwrap().clone())
        .collect();
    let name = moved["name"].as_str().unwrap();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(
        changes[0],
        serde_json::json!({"action": "remove", "site": name})
    );
    assert_eq!(changes[1]["action"], "add");
    assert_eq!(changes[1]["name"], format!("{name} (verplaatst)"));
    assert_eq!(changes[1]["units"], moved["wb_units"]);
    assert_eq!(changes[1]["group"], moved["wb_target_group"]);
    let at = &changes[1]["at"];
    assert!(
        (at[0].as_f64().unwrap() - 6.1112).abs() < 3e-4
            && (at[1].as_f64().unwrap() - 52.4961).abs() < 3e-4,
        "{at}"
    );
    assert_eq!(
        changes[2],
        serde_json::json!({"action": "remove", "site": removed["name"]})
    );
    assert_eq!(
        page[3],
        serde_json::json!([
            format!("{name} verplaatst naar Wijk 51 Ittersum "),
            format!("{} verwijderd ", removed["name"].as_str().unwrap()),
        ])
    );
    // What the API answers for those changes is what the panel shows.
    let body = serde_json::json!({"crs": "EPSG:4326", "changes": changes}).to_string();
    let (status, text) = scenario_request(p, "/api/scenario", &body);
    assert_eq!(status, 200, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut verdicts = Vec::new();
    for e in answer["scenario"]["changes"].as_array().unwrap() {
        let failed: Vec<&str> = e["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["passed"] == false)
            // The rules by their Dutch labels, as the verdict box names them.
            .map(|r| r["label"].as_str().unwrap())
            .collect();
        let verdict = e["verdict"].as_str().unwrap();
        let mut line = format!(
            "{} ({}, {}): {}",
            e["change"]["name"].as_str().unwrap(),
            page_nl(&mut c, &e["change"]["units"], 0),
            e["area"]["name"].as_str().unwrap(),
            verdict_word(verdict, true)
        );
        if !failed.is_empty() {
            line.push_str(&format!("; niet gehaald: {}", failed.join(", ")));
        }
        verdicts.push(serde_json::json!([format!("verdict-line {verdict}"), line]));
    }
    assert_eq!(page[0], serde_json::json!(verdicts));
    let mut rows = Vec::new();
    for a in answer["areas"].as_array().unwrap() {
        if a["care_units_delta"].as_f64() == Some(0.0) && a["signal_changed"] != true {
            continue;
        }
        let pair = |c: &mut Chromium, key: &str, d| {
            format!(
                "{} → {}",
                page_nl(c, &a[format!("{key}_before")], d),
                page_nl(c, &a[format!("{key}_after")], d)
            )
        };
        rows.push(serde_json::json!([
            a["name"],
            pair(&mut c, "care_units_per_1000", 2),
            pair(&mut c, "saldo", 2),
            format!(
                "{} → {}",
                a["signal_before"].as_str().unwrap(),
                a["signal_after"].as_str().unwrap()
            ),
        ]));
    }
    assert!(
        rows.len() >= 3,
        "the move touches two wijken, the removal one"
    );
    assert_eq!(page[1], serde_json::json!(rows));
    let study = &answer["scenario"]["study"];
    let mut lines = Vec::new();
    for (key, label, d) in [
        ("care_units", "Zorgeenheden", 0),
        ("dissimilarity", "Dissimilariteit D", 4),
        ("gini", "Gini", 4),
        (
            "fair_share_dissimilarity",
            "Te verplaatsen aandeel (eerlijk deel)",
            4,
        ),
        ("morans_i", "Moran's I (per 1.000)", 4),
    ] {
        lines.push(format!(
            "{label}: {} → {}",
            page_nl(&mut c, &study["before"][key], d),
            page_nl(&mut c, &study["after"][key], d)
        ));
    }
    assert_eq!(page[2], serde_json::json!(lines));
    // The map is coloured by the wijken after the scenario, in every colouring but LISA (as
    // loaded, and its legend says so).
    let colourings: serde_json::Value =
        serde_json::from_str(&request(p, "GET", "/api/colourings", &[host(p)], "").1).unwrap();
    let loaded: serde_json::Value =
        serde_json::from_str(&request(p, "GET", "/api/areas", &[host(p)], "").1).unwrap();
    let by_code = |rows: &[serde_json::Value], code: &serde_json::Value| {
        rows.iter().find(|r| &r["code"] == code).unwrap().clone()
    };
    let loaded: Vec<serde_json::Value> = loaded["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect();
    let after = answer["areas"].as_array().unwrap();
    for col in colourings["colourings"].as_array().unwrap() {
        let shown = c.eval(&format!(
            "(() => {{ const s = document.getElementById('colouring'); s.value = {}; \
             s.dispatchEvent(new Event('change')); \
             return [document.querySelector('.legend-title').textContent, \
               wb.areas.getLayers().map(l => [l.feature.properties.code, l.options.fillColor])]; }})()",
            col["id"]
        ));
        assert_eq!(shown[0], col["scenario_label"]);
        for area in shown[1].as_array().unwrap() {
            let value = match col["scenario_field"].as_str() {
                Some(f) => by_code(after, &area[0])[f].clone(),
                None => by_code(&loaded, &area[0])[col["field"].as_str().unwrap()].clone(),
            };
            assert_eq!(
                area[1],
                colour_of(&colourings, col, &value),
                "{} of {}",
                col["id"],
                area[0]
            );
        }
    }
    // Hovering adds the wijk's values after the scenario.
    let (x, y, _) = cdp::map_point(&mut c, 6.0918, 52.5286);
    c.hover(x, y);
    let tip = c.wait_for(
        "(() => { const t = [...document.querySelectorAll('.leaflet-tooltip')] \
           .find(t => t.innerText.includes('WK019330')); return t && t.innerText; })()",
        Duration::from_secs(10),
    );
    let h = by_code(after, &serde_json::json!("WK019330"));
    let line = format!(
        "Na het scenario: signaal {}; saldo {}; zorgeenheden {} ({} per 1.000); eerlijk-aandeelratio {}",
        h["signal_after"].as_str().unwrap(),
        page_nl(&mut c, &h["saldo_after"], 2),
        page_nl(&mut c, &h["care_units_after"], 0),
        page_nl(&mut c, &h["care_units_per_1000_after"], 2),
        page_nl(&mut c, &h["fair_share_ratio_after"], 2),
    );
    assert!(tip.as_str().unwrap().contains(&line), "{line}\n{tip}");
    assert_eq!(c.console_errors(), Vec::<String>::new());
    assert_eq!(c.foreign_requests(&origin), Vec::<String>::new());
}

/// A refusal's message (the `error` key), checked to be Dutch: none of the English words of the
/// command line's messages (the JSON keys it may name, such as `units`, stay as they are).
fn dutch_error(status_and_body: (u16, String)) -> String {
    let (status, body) = status_and_body;
    assert_eq!(status, 400, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let msg = v["error"].as_str().unwrap().to_string();
    for english in [
        "the ", "unknown", "must", "change ", "expected", "field", "no site", "removes", "invalid",
        "outside",
    ] {
        assert!(!msg.contains(english), "{english:?} in {msg}");
    }
    msg
}

/// Every refusal the page's controls (and the links it writes) can cause reaches the page in
/// Dutch with decimal commas, with the JSON key `error`: units 0 or not a number, an unknown
/// group, a point outside every wijk, an unknown site, a removal of more units than a site has
/// or than are left, in a proposal, a scenario, suggest and allocate.
#[test]
fn the_page_gets_its_errors_in_dutch() {
    let server = start(&[]);
    let p = server.port;
    let site = |p| {
        let (_, body) = request(p, "GET", "/api/sites", &[host(p)], "");
        let sites: serde_json::Value = serde_json::from_str(&body).unwrap();
        sites["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["wb_counted"] == true)
            .unwrap()["properties"]
            .clone()
    };
    let site = site(p);
    let name = site["name"].as_str().unwrap();
    let units = site["wb_units"].as_f64().unwrap();
    let test = |body: &str| dutch_error(propose(p, &[host(p)], body));
    let msg = test(
        r#"{"x": 6.0918, "y": 52.5286, "crs": "EPSG:4326", "units": 12, "group": "daklozen"}"#,
    );
    assert!(
        msg.starts_with("onbekende doelgroep 'daklozen'; kies een van: ")
            && msg.contains("beschermd_thuis"),
        "{msg}"
    );
    let msg =
        test(r#"{"x": 6.0918, "y": 52.5286, "crs": "EPSG:4326", "units": 0, "group": "jongeren"}"#);
    assert_eq!(msg, "het aantal plaatsen moet minstens 1 zijn");
    // Degrees without `crs`: the fix names the request's key, not the command line's flag.
    let msg = test(r#"{"x": 6.0918, "y": 52.5286, "units": 3, "group": "jongeren"}"#);
    assert!(
        msg.ends_with("geef \"crs\": \"EPSG:4326\" op") && !msg.contains("--at-crs"),
        "{msg}"
    );
    let msg = test(
        r#"{"x": 6.0918, "y": 52.5286, "crs": "EPSG:4326", "units": 10001, "group": "jongeren"}"#,
    );
    assert!(
        msg.contains("is 10001, meer dan een locatie ooit heeft (ten hoogste 10.000)"),
        "{msg}"
    );
    // An empty number box sends null.
    let msg = test(
        r#"{"x": 6.0918, "y": 52.5286, "crs": "EPSG:4326", "units": null, "group": "jongeren"}"#,
    );
    assert!(
        msg.starts_with("het voorstel is geen geldig JSON-object (regel 1, kolom ")
            && msg
                .contains("een waarde heeft het verkeerde soort (null; verwacht: een geheel getal"),
        "{msg}"
    );
    // Amersfoort: outside every wijk of Zwolle, with the nearest and its distance.
    let msg = test(
        r#"{"x": 5.3872, "y": 52.1561, "crs": "EPSG:4326", "units": 12, "group": "jongeren"}"#,
    );
    assert!(
        msg.starts_with("het punt ligt buiten elke wijk; de dichtstbijzijnde is WK0193")
            && msg.ends_with(" m"),
        "{msg}"
    );

    let scenario = |changes: serde_json::Value| {
        let body = serde_json::json!({"crs": "EPSG:4326", "changes": changes}).to_string();
        let msg = dutch_error(scenario_request(p, "/api/scenario", &body));
        msg.strip_prefix("het scenario kan niet worden doorgerekend: ")
            .unwrap_or_else(|| panic!("{msg}"))
            .to_string()
    };
    let msg = scenario(serde_json::json!([
        {"action": "remove", "site": name, "units": units as u64 + 5}
    ]));
    assert_eq!(
        msg,
        format!(
            "wijziging 1: verwijdert {} plaatsen, maar '{name}' heeft er {units}",
            units as u64 + 5
        )
    );
    // The same site removed twice: the second takes more than is left in its wijk.
    let msg = scenario(serde_json::json!([
        {"action": "remove", "site": name}, {"action": "remove", "site": name}
    ]));
    assert!(
        msg.starts_with(&format!(
            "wijziging 2 ({name}): de verwijdering neemt meer plaatsen weg dan WK0193"
        )) && msg.ends_with(" voor deze doelgroep heeft (0)"),
        "{msg}"
    );
    let msg = scenario(serde_json::json!([
        {"action": "add", "at": [6.0918, 52.5286], "units": 5, "group": "daklozen"}
    ]));
    assert!(
        msg.starts_with("wijziging 1: onbekende doelgroep 'daklozen'"),
        "{msg}"
    );
    let msg = scenario(serde_json::json!([
        {"action": "add", "name": "in Amersfoort", "at": [5.3872, 52.1561], "units": 5, "group": "jongeren"}
    ]));
    assert!(
        msg.starts_with("wijziging 1 (in Amersfoort): het punt ligt buiten elke wijk"),
        "{msg}"
    );
    let msg = scenario(serde_json::json!([{"action": "remove", "site": "Nergens"}]));
    assert!(
        msg.starts_with(
            "wijziging 1: er is geen zorglocatie met de naam 'Nergens' (zorglocaties: "
        ),
        "{msg}"
    );

    let layer = |path: &str, body: &str| dutch_error(request(p, "POST", path, &[host(p)], body));
    let msg = layer("/api/suggest", r#"{"group": "jongeren", "units": 0}"#);
    assert_eq!(
        msg,
        "plekken zoeken: het aantal plaatsen moet minstens 1 zijn"
    );
    let msg = layer("/api/allocate", r#"{"group": "jongeren", "places": -3}"#);
    assert!(
        msg.starts_with("verdelen: de vraag is geen geldig JSON-object (regel 1, kolom ")
            && msg.contains("(-3; verwacht: een geheel getal dat niet negatief is)"),
        "{msg}"
    );
}

/// The colour a colouring of `/api/colourings` gives `value` (as the page computes it): a
/// category by its value, a range the first whose `max` is above it (or equal, when
/// inclusive); no value is `onbekend`.
fn colour_of(
    colourings: &serde_json::Value,
    c: &serde_json::Value,
    v: &serde_json::Value,
) -> String {
    let unknown = colourings["unknown"]["colour"]
        .as_str()
        .unwrap()
        .to_string();
    if v.is_null() || v == "" {
        return unknown;
    }
    if let Some(categories) = c["categories"].as_array() {
        return categories
            .iter()
            .find(|k| &k["value"] == v)
            .map_or(unknown, |k| k["colour"].as_str().unwrap().to_string());
    }
    let v = v.as_f64().unwrap();
    let r = c["ranges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| match r["max"].as_f64() {
            None => true,
            Some(m) => v < m || (r["inclusive"] == true && v == m),
        })
        .unwrap();
    r["colour"].as_str().unwrap().to_string()
}

/// The colourings of a scenario, through the API: every colouring but LISA names the column of
/// `POST /api/scenario`'s `areas` with the wijk's value after the changes, whose `_before` is
/// the value the map shows for the study as loaded (`/api/areas`), and after kept changes
/// (a large addition in Holtenbroek, a site removed) the receiving wijk's rate, share and
/// saldo change and some wijk changes colour; LISA, not recomputed per change, says in its legend that it shows
/// the uitgangssituatie.
#[test]
fn the_colourings_follow_the_scenario() {
    let server = start(&[]);
    let p = server.port;
    let get = |path: &str| -> serde_json::Value {
        let (status, body) = request(p, "GET", path, &[host(p)], "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let colourings = get("/api/colourings");
    let baseline: Vec<serde_json::Value> = get("/api/areas")["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect();
    let body = r#"{"crs": "EPSG:4326", "changes": [
        {"action": "add", "name": "groot", "at": [6.0918, 52.5286], "units": 150, "group": "beschermd_thuis"},
        {"action": "remove", "site": "Beschermd wonen locatie A (illustratief)"}
    ]}"#;
    let (status, text) = scenario_request(p, "/api/scenario", body);
    assert_eq!(status, 200, "{text}");
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    let after = answer["areas"].as_array().unwrap();
    assert_eq!(after.len(), baseline.len());
    let holtenbroek = after.iter().position(|a| a["code"] == "WK019330").unwrap();
    let mut recoloured = 0;
    for c in colourings["colourings"].as_array().unwrap() {
        let field = c["field"].as_str().unwrap();
        let label = c["scenario_label"].as_str().unwrap();
        let Some(scenario_field) = c["scenario_field"].as_str() else {
            assert_eq!(field, "lisa_label");
            assert!(label.contains("uitgangssituatie"), "{label}");
            continue;
        };
        assert_eq!(scenario_field, format!("{field}_after"));
        assert!(label.ends_with("na het scenario"), "{label}");
        let before_field = format!("{field}_before");
        for (a, b) in after.iter().zip(&baseline) {
            assert_eq!(a["code"], b["code"]);
            let (x, y) = (&a[&before_field], &b[field]);
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => assert!(
                    (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                    "{field} of {}: {x} before the scenario, {y} on the map",
                    a["code"]
                ),
                _ => assert_eq!(x, y, "{field} of {}", a["code"]),
            }
            assert!(a.get(scenario_field).is_some(), "{scenario_field}");
        }
        let h = &after[holtenbroek];
        if ["care_units_per_1000", "fair_share_ratio", "saldo"].contains(&field) {
            // 150 more places: Holtenbroek's rate, share and saldo move (its signal was rood
            // and stays so).
            assert_ne!(h[scenario_field], h[&before_field], "{field}");
        }
        recoloured += after
            .iter()
            .filter(|a| {
                colour_of(&colourings, c, &a[scenario_field])
                    != colour_of(&colourings, c, &a[&before_field])
            })
            .count();
    }
    assert!(recoloured >= 1, "the scenario changes no wijk's colour");
}

/// Suggestions that all have the same score (Groningen without sites, facilities or
/// dwellings: every location scores 100) say on the page, as on the terminal, that their
/// order is then the tie rule's and not suitability.
#[test]
fn equal_scores_are_said_on_the_page() {
    let Some(browser) = chromium("equal_scores_are_said_on_the_page") else {
        return;
    };
    let server = start(&["--areas", "data/cbs-kwb-2022/wijken_groningen.geojson"]);
    let mut c = Chromium::start(browser);
    c.navigate(&format!("http://127.0.0.1:{}/", server.port));
    c.wait_for(
        "window.wb && wb.ready && document.getElementById('suggest-group').options.length > 0",
        Duration::from_secs(60),
    );
    c.eval("document.getElementById('suggest-group').value = 'beschermd_thuis'; true");
    press(&mut c, "suggest-run");
    let note = c.wait_for(
        "(() => { const n = document.querySelector('#suggest-result .suggest-tie'); \
         return n ? n.textContent : null; })()",
        Duration::from_secs(180),
    );
    assert_eq!(
        note,
        "Let op: deze 10 voorstellen hebben dezelfde score, dus hun volgorde is die bij gelijke \
         score (eerst het westen, dan het zuiden) en zegt niets over geschiktheid."
    );
}

/// A scenario of changes given by address, built on the map: the server's `scenario.json`
/// and `scenario.md` are those of `wijkbalans scenario` on the exported file, with the BAG
/// address of each change (its `address` block, the section "Adressen").
#[test]
fn a_scenario_of_addresses_answers_what_the_scenario_command_writes() {
    let cache = tempfile::tempdir().unwrap();
    let server = amsterdam_with_bag(cache.path());
    let p = server.port;
    let body = r#"{"name": "Twee initiatieven op adres", "changes": [
        {"action": "add", "name": "Jongerenhuis Barentszplein", "address": "Barentszplein 1-H, Amsterdam", "units": 12, "group": "jongeren"},
        {"action": "add", "name": "Beschermd wonen Silodam", "address": "1013 AS 233", "units": 8, "group": "beschermd_wonen"}
    ]}"#;
    let (status, text) = scenario_request(p, "/api/scenario", body);
    assert_eq!(status, 200, "{text}");
    let (status, toml) = scenario_request(p, "/api/scenario/toml", body);
    assert_eq!(status, 200, "{toml}");
    let (status, report) = scenario_request(p, "/api/scenario/report", body);
    assert_eq!(status, 200, "{report}");
    assert!(
        report.contains("| 2 | Beschermd wonen Silodam | 1013 AS 233 | Silodam 233, 1013 AS Amsterdam | 0363200000476153 |"),
        "{report}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let file = crate::common::write(tmp.path(), "kaart.toml", &toml);
    let out = tmp.path().join("out");
    amsterdam_cli(
        &["scenario", file.to_str().unwrap(), "-q"],
        &["--out", out.to_str().unwrap()],
        cache.path(),
    );
    assert_member_is_file(&text, "scenario", "areas", &out.join("scenario.json"));
    assert!(text.contains(r#""bag_id": "0363200000039881""#), "{text}");
    assert_eq!(
        report,
        std::fs::read_to_string(out.join("scenario.md")).unwrap()
    );
}
