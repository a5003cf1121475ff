//! Rank the wijken of the shipped Zwolle data by saldo, using the library instead of the CLI.
//!
//! ```text
//! cargo run --example rank_wijken
//! ```
//! Run from the repository root (the shipped data paths are relative to it).

use wijkbalans::config::Config;
use wijkbalans::pipeline;

#[allow(clippy::print_stdout)] // an example program prints its result
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let loaded = pipeline::load(&Config::shipped().validate()?)?;
    let outcome = pipeline::analyse(&loaded);
    let mut ranked: Vec<_> = loaded
        .areas
        .iter()
        .zip(&outcome.analysis.areas)
        .filter_map(|(area, score)| Some((score.saldo?, area, score.signal)))
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    for (saldo, area, signal) in ranked {
        println!(
            "{:<10} {:<32} saldo {:+.2}  {}",
            area.code,
            area.name,
            saldo,
            signal.as_str()
        );
    }
    Ok(())
}
