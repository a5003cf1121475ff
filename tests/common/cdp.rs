//! A minimal client of the Chrome DevTools Protocol (CDP) over a WebSocket, enough to load a
//! page in headless Chromium, dispatch real mouse events, evaluate JavaScript and watch the
//! console and the network. Shared by `tests/serve.rs` and `benches/serve_click.rs`.
//!
//! Hand-written on `tungstenite` because the CDP crates (`chromiumoxide`, `headless_chrome`)
//! bring hundreds of thousands of lines of generated protocol types and an async runtime or a
//! download step into the test build; the six CDP methods used here fit in this file.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// The port a `wijkbalans serve --port 0` child prints on its first line of standard output
/// (`wijkbalans serve: http://127.0.0.1:PORT/ …`).
pub fn serve_port(child: &mut Child) -> u16 {
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout piped"))
        .read_line(&mut line)
        .unwrap();
    line.split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
}

/// The first Chromium on `PATH`, if any.
pub fn find_chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The arguments of every headless Chromium run of the tests and benches: no sandbox, GPU,
/// first-run screens, background networking or component updates.
pub const HEADLESS: [&str; 6] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
];

/// A headless Chromium with one page attached, killed when dropped.
pub struct Chromium {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    session: Option<String>,
    /// Every CDP event received so far (`{"method", "params"}`).
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Chromium {
    /// Start `browser` headless with a fresh profile, a 1280×800 page and every host name but
    /// 127.0.0.1 unresolvable (a request that tried to leave this computer fails and shows
    /// up in [`Chromium::foreign_requests`]).
    pub fn start(browser: &str) -> Chromium {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(browser)
            .args(HEADLESS)
            .args([
                "--disable-extensions",
                "--remote-debugging-port=0",
                "--window-size=1280,800",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Chromium runs");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut url = None;
        let mut seen = String::new();
        let mut line = String::new();
        while stderr.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(u) = line.trim().strip_prefix("DevTools listening on ") {
                url = Some(u.to_string());
                break;
            }
            seen.push_str(&line);
            line.clear();
        }
        let url = url.unwrap_or_else(|| panic!("Chromium printed no DevTools address:\n{seen}"));
        // Keep reading Chromium's log so that it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while stderr.read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        let (ws, _) = tungstenite::connect(url.as_str()).expect("the DevTools WebSocket");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        }
        let mut c = Chromium {
            child,
            ws,
            next_id: 1,
            session: None,
            events: Vec::new(),
            _profile: profile,
        };
        let target = c.call("Target.createTarget", json!({"url": "about:blank"}));
        let session = c.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        c.session = Some(session["sessionId"].as_str().unwrap().to_string());
        for domain in ["Page", "Runtime", "Network", "Log"] {
            c.call(&format!("{domain}.enable"), json!({}));
        }
        c.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false}),
        );
        c
    }

    /// Send one command to the page (or the browser before a page is attached) and wait for
    /// its result; events that arrive meanwhile are kept in [`Chromium::events`].
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session {
            msg["sessionId"] = s.clone().into();
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .expect("CDP send");
        loop {
            let text = match self.ws.read().expect("CDP read") {
                Message::Text(t) => t,
                _ => continue,
            };
            let v: Value = serde_json::from_str(text.as_str()).expect("CDP JSON");
            if v["id"].as_u64() == Some(id) {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
            if v.get("method").is_some() {
                self.events.push(v);
            }
        }
    }

    /// Load `url` in the page.
    pub fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
    }

    /// The value of the JavaScript `expression` (awaited when it is a promise).
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Evaluate `expression` until it is truthy (its value), at most `timeout`.
    pub fn wait_for(&mut self, expression: &str, timeout: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(expression);
            let truthy =
                !(v.is_null() || v == Value::Bool(false) || v == json!(0) || v == json!(""));
            if truthy {
                return v;
            }
            assert!(
                start.elapsed() < timeout,
                "waited {timeout:?} for {expression}; console: {:?}",
                self.console_errors()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// A real left click at the page position `(x, y)` (CSS pixels): the mouse moves there,
    /// is pressed and released, as a user's mouse would do it.
    pub fn click(&mut self, x: f64, y: f64) {
        for (kind, button) in [
            ("mouseMoved", "none"),
            ("mousePressed", "left"),
            ("mouseReleased", "left"),
        ] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": button, "clickCount": 1}),
            );
        }
    }

    /// Move the mouse to `(x, y)` without pressing.
    pub fn hover(&mut self, x: f64, y: f64) {
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x, "y": y, "button": "none"}),
        );
    }

    /// Console errors, uncaught exceptions and browser log errors (failed loads, CSP
    /// violations) seen so far.
    pub fn console_errors(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| {
                let p = &e["params"];
                match e["method"].as_str()? {
                    "Runtime.consoleAPICalled" if p["type"] == "error" => {
                        Some(p["args"].to_string())
                    }
                    "Runtime.exceptionThrown" => Some(p["exceptionDetails"].to_string()),
                    "Log.entryAdded" if p["entry"]["level"] == "error" => Some(format!(
                        "{} ({})",
                        p["entry"]["text"].as_str().unwrap_or(""),
                        p["entry"]["url"].as_str().unwrap_or("")
                    )),
                    _ => None,
                }
            })
            .collect()
    }

    /// The URL of every request the page made.
    pub fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// Requests that went anywhere but `origin` (`http://127.0.0.1:PORT`); `data:` URLs are
    /// in the page itself.
    pub fn foreign_requests(&self, origin: &str) -> Vec<String> {
        let prefix = format!("{origin}/");
        self.requests()
            .into_iter()
            .filter(|u| !u.starts_with(&prefix) && !u.starts_with("data:"))
            .collect()
    }
}

/// The page position (CSS pixels) of the point `lon, lat` on the `wijkbalans serve` map, and
/// the CSS class of the element Chromium finds there.
pub fn map_point(c: &mut Chromium, lon: f64, lat: f64) -> (f64, f64, String) {
    let v = c.eval(&format!(
        "(() => {{ const p = wb.map.latLngToContainerPoint([{lat}, {lon}]); \
         const r = wb.map.getContainer().getBoundingClientRect(); \
         const x = r.left + p.x, y = r.top + p.y; \
         const e = document.elementFromPoint(x, y); \
         return [x, y, e ? String(e.getAttribute('class')) : '']; }})()"
    ));
    (
        v[0].as_f64().unwrap(),
        v[1].as_f64().unwrap(),
        v[2].as_str().unwrap_or("").to_string(),
    )
}
