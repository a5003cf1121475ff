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

use clap::Parser;

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

/// Parse the command line and run.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
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
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "wijkbalans", &mut out);
            print(&String::from_utf8_lossy(&out));
            Ok(Exit::Success)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut out) {
                Ok(()) => {
                    print(&String::from_utf8_lossy(&out));
                    Ok(Exit::Success)
                }
                Err(e) => Err(Failure(format!(
                    "de handleiding (man) is niet te maken ({e})"
                ))),
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(Failure(msg)) => {
            eprint(&format!("wijkbalans: fout: {msg}"));
            ExitCode::from(Exit::BadInput as u8)
        }
    }
}
