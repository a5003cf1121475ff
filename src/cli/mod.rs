//! The command line: flags → a validated [`Config`] ([`session`]) → a command. The only module
//! that prints ([`terminal`]).
//!
//! The flags are declared once ([`args`]; the groups every command shares are flattened into
//! it); every command lives in its own file under [`commands`] and uses the shared parts here,
//! never another command.

pub mod address;
pub mod allocation_run;
pub mod args;
pub mod commands;
pub mod date;
pub mod dutch;
pub mod files;
pub mod help_nl;
pub mod numbers;
pub mod output;
pub mod proposal;
pub mod scenario_run;
pub mod session;
pub mod suggestion_run;
pub mod terminal;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::config::Config;
use args::{Cli, Command};
use terminal::{eprint, print};

/// Exit codes, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Success = 0,
    /// Done, with diagnostics that `--strict` turns into a failure (points outside all areas).
    Diagnostics = 1,
    /// Bad input or configuration: nothing was written.
    BadInput = 2,
}

/// An error that ends the run with a message and exit code 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// Parse the command line (with the Dutch command of [`dutch`]) and run.
pub fn run() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cmd = dutch::command();
    let parsed = cmd
        .clone()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return parse_failure(&e, &cmd, &args),
    };
    let result = match cli.command {
        Command::Analyse(a) => commands::analyse::run(*a),
        Command::TestSite(t) => commands::test_site::run(*t),
        Command::Scenario(a) => commands::scenario::run(*a),
        Command::Suggest(a) => commands::suggest::run(*a),
        Command::Allocate(a) => commands::allocate::run(*a),
        Command::Monitor(a) => commands::monitor::run(*a),
        Command::Compare(a) => commands::compare::run(*a),
        Command::Report(a) => commands::report::run(*a),
        Command::Synth(s) => commands::synth::run(s),
        Command::Describe(d) => commands::describe::run(d),
        Command::Serve(s) => commands::serve::run(*s),
        Command::Config => {
            print(&Config::shipped().to_toml());
            Ok(Exit::Success)
        }
        Command::Completions { shell } => {
            let mut cmd = dutch::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "wijkbalans", &mut out);
            print(&String::from_utf8_lossy(&out));
            Ok(Exit::Success)
        }
        Command::Man => match dutch::man(dutch::command()) {
            Ok(page) => {
                print(&page);
                Ok(Exit::Success)
            }
            Err(e) => Err(Failure(format!(
                "de handleiding (man) is niet te maken ({e})"
            ))),
        },
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(Failure(msg)) => {
            eprint(&format!("wijkbalans: fout: {msg}"));
            ExitCode::from(Exit::BadInput as u8)
        }
    }
}

/// A parse error of the command line: help and the version as clap shows them (`--help`, `-V`,
/// and the help clap shows with code 2 for `wijkbalans` alone); every other error as one Dutch
/// `wijkbalans: fout: …` message ([`dutch::parse_error`]), exit code 2, nothing written.
fn parse_failure(e: &clap::Error, cmd: &clap::Command, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::ErrorKind::*;
    match e.kind() {
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {
            // A reader that closed its end early (`wijkbalans --help | head -1`) is no error.
            let _ = e.print();
            ExitCode::from(e.exit_code() as u8)
        }
        _ => {
            eprint(&dutch::parse_error(e, cmd, args));
            ExitCode::from(Exit::BadInput as u8)
        }
    }
}
