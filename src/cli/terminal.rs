//! What the commands show on the terminal: lines on standard output and standard error, and
//! the progress of the long stages. The only module that prints.

use crate::progress::{Counter, Progress, Stage};

/// The environment variable that asks for progress as lines on standard error, for a program
/// that runs wijkbalans (the QGIS plugin): `WIJKBALANS_PROGRESS=lines`.
pub const PROGRESS_ENV: &str = "WIJKBALANS_PROGRESS";

/// Whether progress goes to standard error as lines ([`PROGRESS_ENV`]): `wijkbalans: fase:
/// <stage>` when a stage starts and `wijkbalans: voortgang: <engine stage> <p>%` about 100
/// times per engine stage, whether standard error is a terminal or not.
fn progress_lines() -> bool {
    std::env::var_os(PROGRESS_ENV).is_some_and(|v| v == "lines")
}

/// The line of an engine stage at `percent`.
fn progress_line(stage: Stage, percent: u64) -> String {
    format!("wijkbalans: voortgang: {} {percent}%", stage_message(stage))
}

/// Set once standard output has been closed by its reader (`wijkbalans describe | head`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The last line of a command's summary: the folder and the files written into it, in Dutch
/// ("geschreven naar out: areas.geojson, run.json").
pub fn written(out: &std::path::Path, names: &[String]) -> String {
    format!("geschreven naar {}: {}", out.display(), names.join(", "))
}

/// A command's summary on standard output: `wijkbalans: <head>`, then every line of `body`,
/// then [`written`].
pub fn print_summary(head: &str, body: &[String], out: &std::path::Path, names: &[String]) {
    let mut text = format!("wijkbalans: {head}\n");
    for line in body {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(&written(out, names));
    print(&text);
}

/// Print a line to standard output.
///
/// When the reader has closed standard output (a broken pipe), the line and every later one are
/// dropped and the command carries on: its files are still written and its exit code still
/// says how it went (`println!` would panic here). Any other write error (a full disk behind a
/// redirection) is said once on standard error and the later lines are dropped too.
pub fn print(s: &str) {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{}", safe(s)).and_then(|()| out.flush()) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprint(&format!(
                "wijkbalans: de standaarduitvoer kon niet worden geschreven ({e}); \
                 verdere regels vervallen"
            ));
        }
    }
}

/// Print a line to standard error.
#[allow(clippy::print_stderr)]
pub fn eprint(s: &str) {
    eprintln!("{}", safe(s));
}

/// Warn, when any dwelling or site lies outside every area, how many; `prefix` names the
/// vintage where a command reads two ("--before: "), `listed` says where they are listed.
///
/// Example: the Zwolle sites with the Groningen wijken: "wijkbalans: waarschuwing: 19 punten
/// liggen buiten elk gebied (0 woningen, 19 zorglocaties); `wijkbalans analyse` noemt ze
/// onder diagnostics in summary.json"; one site: "1 punt ligt buiten elk gebied (0 woningen,
/// 1 zorglocatie)".
pub fn warn_outside(d: &crate::pipeline::Diagnostics, prefix: &str, listed: &str) {
    use crate::format::counted;
    let outside = d.outside();
    if outside > 0 {
        let dw = d.dwellings.as_ref().map_or(0, |c| c.outside);
        let st = d.sites.as_ref().map_or(0, |c| c.outside);
        eprint(&format!(
            "wijkbalans: waarschuwing: {prefix}{} {} buiten elk gebied ({}, {}); {listed}",
            counted(outside as u64, "punt", "punten"),
            if outside == 1 { "ligt" } else { "liggen" },
            counted(dw as u64, "woning", "woningen"),
            counted(st as u64, "zorglocatie", "zorglocaties"),
        ));
    }
}

/// Where [`warn_outside`] sends a command that writes no `summary.json`.
pub const OUTSIDE_LISTED_BY_ANALYSE: &str =
    "`wijkbalans analyse` noemt ze onder diagnostics in summary.json";

/// `s` safe for a terminal: every control character but the line break and the tab (an escape
/// sequence `ESC [ …` in a layer name or area code could move the cursor and overwrite an
/// error line with fake text), and the bidirectional overrides (U+202A–U+202E, U+2066–U+2069,
/// which reorder what is shown), is written as `\u{…}`.
///
/// Example: the code `WK01` followed by the escape character and `[2K` is printed as the
/// visible text `WK01\u{1b}[2K`.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n' && c != '\t') || crate::model::reorders(c);
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if bad(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A spinner on standard error for a long stage; hidden with `--quiet` and whenever standard
/// error is not a terminal, so scripts and CI see nothing.
pub fn stage(quiet: bool, message: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !quiet && progress_lines() {
        eprint(&format!("wijkbalans: fase: {message}"));
    }
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(message.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// The engine's progress reports drawn on a [`stage`] spinner: while a stage of the engine
/// runs, the spinner becomes a bar with a percentage and an estimate of the time left, and
/// turns back into the spinner with its message afterwards. The bar is redrawn about 100 times
/// per stage however many items it has (an atomic [`Counter`]); on a hidden spinner nothing is
/// drawn at all. With [`PROGRESS_ENV`] set to `lines`, the same updates are also printed as
/// lines on standard error, each percentage once and in increasing order.
pub struct Bar {
    pb: indicatif::ProgressBar,
    counter: Counter,
    spinner_message: std::sync::Mutex<String>,
    lines: bool,
    /// The engine stage and the last percentage printed as a line: locked while a line is
    /// printed, so that the lines of several threads come out in increasing order.
    printed: std::sync::Mutex<Option<(Stage, u64)>>,
}

impl Bar {
    /// Report on `pb` (a [`stage`] spinner).
    pub fn new(pb: &indicatif::ProgressBar) -> Self {
        Bar {
            pb: pb.clone(),
            counter: Counter::new(100),
            spinner_message: std::sync::Mutex::new(String::new()),
            lines: progress_lines(),
            printed: std::sync::Mutex::new(None),
        }
    }
}

/// The message of an engine stage.
fn stage_message(stage: Stage) -> &'static str {
    match stage {
        Stage::Permutations => "permutatietoetsen",
        Stage::Candidates => "kandidaatlocaties toetsen",
        Stage::Caps => "grenzen per gebied zoeken",
    }
}

impl Progress for Bar {
    fn start(&self, stage: Stage, total: u64) {
        self.counter.start(total);
        if self.lines {
            if let Ok(mut printed) = self.printed.lock() {
                *printed = Some((stage, 0));
                eprint(&progress_line(stage, 0));
            }
        }
        if self.pb.is_hidden() {
            return;
        }
        if let Ok(mut m) = self.spinner_message.lock() {
            *m = self.pb.message();
        }
        let style =
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {percent:>3}% (nog {eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> ");
        self.pb.set_style(style);
        self.pb.set_length(total);
        self.pb.set_position(0);
        self.pb.set_message(stage_message(stage));
    }

    fn advance(&self, n: u64) {
        if let Some(done) = self.counter.add(n) {
            self.pb.set_position(done);
            if self.lines {
                let percent = (done * 100 / self.counter.total().max(1)).min(100);
                // Several threads report at once: print a percentage only when it is higher
                // than every one printed before.
                if let Ok(mut printed) = self.printed.lock() {
                    if let Some((stage, last)) = *printed {
                        if percent > last {
                            eprint(&progress_line(stage, percent));
                            *printed = Some((stage, percent));
                        }
                    }
                }
            }
        }
    }

    fn finish(&self) {
        if self.pb.is_hidden() {
            return;
        }
        self.pb
            .set_style(indicatif::ProgressStyle::default_spinner());
        if let Ok(m) = self.spinner_message.lock() {
            self.pb.set_message(m.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(safe("WK01\u{1b}[2K\r"), "WK01\\u{1b}[2K\\u{d}");
        assert_eq!(safe("a\u{202e}b\u{9b}"), "a\\u{202e}b\\u{9b}");
        assert_eq!(safe("regel 1\n\tregel 2 – één"), "regel 1\n\tregel 2 – één");
    }
}
