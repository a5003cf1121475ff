use std::process::ExitCode;

fn main() -> ExitCode {
    wijkbalans::cli::run()
}
