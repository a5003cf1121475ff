//! One file per subcommand. Printing happens only here.

pub mod allocate;
pub mod analyse;
pub mod output;
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
