//! `wijkbalans serve` as a planner uses it: the release binary serving Zwolle and all of the
//! Netherlands, the page in headless Chromium driven over the DevTools protocol.
//!
//! - click → verdict on screen: real mouse clicks (`Input.dispatchMouseEvent`) on wijken of
//!   the map; the page measures each with `performance.now()` from the click event's time
//!   stamp to the frame after the verdict was put in the page (`wb.timings`); median and p95;
//! - the server's peak RSS (`VmHWM` of `/proc/PID/status`) after loading and the clicks;
//! - a load test: 8 clients at once, each sending the same 200 proposals (in its own order),
//!   every answer compared with the one a single client got for it, one after another.
//!
//! Not a criterion bench (the measurement is in the browser, and this driver's own speed does
//! not count): `benches/serve_click.sh` builds the release binary and runs this driver against
//! it; `--clicks N` sets the number of clicks (default 50). Needs Chromium on `PATH`.

#![allow(clippy::print_stdout, missing_docs)]

#[path = "../tests/common/cdp.rs"]
mod cdp;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cdp::Chromium;

struct Server {
    child: Child,
    port: u16,
    started: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let t = Instant::now();
        // The release binary (`WIJKBALANS_BIN`, as benches/serve_click.sh sets it), else the
        // one cargo built with this bench.
        let bin = std::env::var("WIJKBALANS_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_wijkbalans").to_string());
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let port = cdp::serve_port(&mut child);
        Server {
            child,
            port,
            started: t.elapsed(),
        }
    }

    /// Peak resident set size so far, in MB.
    fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        kb / 1024.0
    }

    /// `POST /api/test-site` with `body`: the status line and the body.
    fn propose(&self, body: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let req = format!(
            "POST /api/test-site HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        );
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        format!("{}\n{body}", head.lines().next().unwrap())
    }
}

/// The `p` quantile (0..1) of sorted `v` (nearest rank).
fn quantile(v: &[f64], p: f64) -> f64 {
    let k = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    v[k]
}

/// `clicks` real clicks on wijken of the map of `server`; the click-to-screen times (ms).
fn click_times(browser: &str, server: &Server, clicks: usize) -> Vec<f64> {
    let origin = format!("http://127.0.0.1:{}", server.port);
    let mut c = Chromium::start(browser);
    c.navigate(&format!("{origin}/"));
    c.wait_for("window.wb && wb.ready", Duration::from_secs(300));
    c.eval("document.getElementById('units').value = '12'; true");
    // Screen points on a grid over the map that hit a wijk (not a site drawn over it, whose
    // click opens the site's popup), visited in a fixed order.
    let points = c.eval(
        "(() => { const r = wb.map.getContainer().getBoundingClientRect(); const out = [];\
         for (let y = r.top + 15; y < r.bottom - 15; y += 23) for (let x = r.left + 15; x < r.right - 15; x += 29) {\
         const e = document.elementFromPoint(x, y);\
         if (e && e.classList.contains('leaflet-interactive') && e.tagName === 'path' && !e.closest('.leaflet-sites-pane')) out.push([x, y]); }\
         return out; })()",
    );
    let points = points.as_array().unwrap();
    assert!(
        points.len() >= clicks,
        "only {} points on wijken",
        points.len()
    );
    let step = points.len() / clicks;
    // A click on a wijk the policy cannot judge (no inhabitants, say) shows a refusal
    // instead of a verdict: it is not timed, and the next grid point is clicked instead.
    let mut refused = 0;
    let mut k = 0;
    while c.eval("wb.timings.length").as_u64().unwrap() < clicks as u64 {
        let p = &points[(k * step + refused) % points.len()];
        k += 1;
        c.eval("document.getElementById('result').replaceChildren(); true");
        let before = c.eval("wb.timings.length").as_u64().unwrap();
        c.click(p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
        let shown = c.wait_for(
            &format!(
                "document.querySelector('#result .error') ? 'refused' : \
                 (wb.timings.length > {before} ? 'verdict' : null)"
            ),
            Duration::from_secs(900),
        );
        if shown == "refused" {
            refused += 1;
            k -= 1;
        }
    }
    println!("({refused} clicks refused, not timed)");
    let errors = c.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
    let foreign = c.foreign_requests(&origin);
    assert!(foreign.is_empty(), "{foreign:?}");
    let v = c.eval("wb.timings");
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect()
}

/// 8 clients × the 200 `proposals` at once; every answer must equal the sequential one.
fn load_test(server: &Server, proposals: &[String]) -> (Duration, Duration) {
    let t = Instant::now();
    let sequential: Vec<String> = proposals.iter().map(|p| server.propose(p)).collect();
    let one = t.elapsed();
    let t = Instant::now();
    std::thread::scope(|s| {
        for client in 0..8 {
            let sequential = &sequential;
            s.spawn(move || {
                // Each client in its own order (a rotation), so that different proposals run
                // at the same time.
                for k in 0..proposals.len() {
                    let i = (k + client * 25) % proposals.len();
                    let answer = server.propose(&proposals[i]);
                    assert_eq!(answer, sequential[i], "client {client}, proposal {i}");
                }
            });
        }
    });
    (one, t.elapsed())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let clicks = args
        .iter()
        .position(|a| a == "--clicks")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    // Clicks on the NL map only when asked (`--nl-clicks N`): one proposal on the 3,340 NL
    // wijken takes about a minute of CPU in the engine (BENCHMARKS.md), in the command line too.
    let nl_clicks: usize = args
        .iter()
        .position(|a| a == "--nl-clicks")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let browser = cdp::find_chromium().expect("no Chromium on PATH");
    let nl = std::env::var("WIJKBALANS_NL_WIJKEN")
        .unwrap_or_else(|_| "data/cbs-kwb-2022/wijken_nederland.geojson".into());
    println!("| study | server start | clicks | median | p95 | max | server peak RSS |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    for (name, study, n) in [
        ("Zwolle (shipped)", vec![], clicks),
        ("NL, 3,340 wijken", vec!["--areas", nl.as_str()], nl_clicks),
    ] {
        let server = Server::start(&study);
        if n == 0 {
            // The page loaded in Chromium, no clicks: the server's memory with the study.
            let mut c = Chromium::start(browser);
            c.navigate(&format!("http://127.0.0.1:{}/", server.port));
            c.wait_for("window.wb && wb.ready", Duration::from_secs(300));
            println!(
                "| {name} | {:.2} s | 0 | - | - | - | {:.0} MB |",
                server.started.as_secs_f64(),
                server.peak_rss_mb()
            );
            continue;
        }
        let mut t = click_times(browser, &server, n);
        t.sort_by(f64::total_cmp);
        println!(
            "| {name} | {:.2} s | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} MB |",
            server.started.as_secs_f64(),
            t.len(),
            quantile(&t, 0.5),
            quantile(&t, 0.95),
            t[t.len() - 1],
            server.peak_rss_mb()
        );
    }
    // The load test on Zwolle: 200 proposals on a 20 × 10 grid over the city in RD New (some
    // fall outside every wijk and get the same refusal each time), groups alternating.
    let server = Server::start(&[]);
    let proposals: Vec<String> = (0..200)
        .map(|k| {
            let (i, j) = (k % 20, k / 20);
            let group = ["beschermd_thuis", "jongeren", "ouderen_geclusterd"][k % 3];
            format!(
                r#"{{"x": {}, "y": {}, "units": {}, "group": "{group}"}}"#,
                197_000 + i * 500,
                498_000 + j * 900,
                4 + k % 20
            )
        })
        .collect();
    let (one, eight) = load_test(&server, &proposals);
    println!(
        "\nload test (Zwolle): 200 proposals one after another {:.2} s ({:.2} ms each); \
         8 clients × 200 at once {:.2} s ({:.0} answers/s), every answer equal to the sequential one",
        one.as_secs_f64(),
        one.as_secs_f64() * 1000.0 / 200.0,
        eight.as_secs_f64(),
        1600.0 / eight.as_secs_f64()
    );
    println!(
        "load average: {}, cores: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
}
