//! One file per subcommand. Printing happens only here.

pub mod allocate;
pub mod analyse;
pub mod compare;
pub mod monitor;
pub mod output;
pub mod report;
pub mod scenario;
pub mod suggest;
pub mod synth;
pub mod test_site;

/// Print a line to standard output.
#[allow(clippy::print_stdout)]
pub fn print(s: &str) {
    println!("{s}");
}

/// Print a line to standard error.
#[allow(clippy::print_stderr)]
pub fn eprint(s: &str) {
    eprintln!("{s}");
}

/// A spinner on standard error for a long stage; hidden with `--quiet` and whenever standard
/// error is not a terminal (indicatif's own check), so scripts and CI see nothing.
pub fn stage(quiet: bool, message: &str) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_message(message.to_string());
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}
