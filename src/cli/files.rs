//! The scenario and opgave files named on the command line: read, parsed, checked against the
//! study and turned into engine inputs, with messages that name the file and say what to fix.

use std::path::Path;

use crate::bounded::{read_bounded_text, TEXT_LIMIT};
use crate::cli::address::{self, Located};
use crate::cli::Failure;
use crate::config::Config;
use crate::io::crs::transform_point;
use crate::io::read::Bag;
use crate::model::address::parse;
use crate::model::{unknown_group, Site, TargetGroup};
use crate::monitor::Opgave;
use crate::pipeline::Loaded;
use crate::scenario::file::{Action, ScenarioFile};
use crate::scenario::{Change, ChangeError};

/// Read the text of `path`, at most [`TEXT_LIMIT`] bytes ([`read_bounded_text`]); `what`
/// names the file in the message when it cannot be read ("het scenariobestand").
fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    read_bounded_text(path, TEXT_LIMIT)
        .map_err(|e| Failure(format!("{}: {what} is niet te lezen ({e})", path.display())))
}

/// Read and parse a scenario file; errors carry the line and column.
pub fn read_scenario(path: &Path) -> Result<ScenarioFile, Failure> {
    let text = read_text(path, "het scenariobestand")?;
    ScenarioFile::from_toml(&text).map_err(|e| Failure(format!("{}: {e}", path.display())))
}

/// Turn a refused change into a message that says what to do.
pub fn change_failure(e: ChangeError, groups: &[TargetGroup]) -> Failure {
    match e {
        ChangeError::UnknownGroup(g) => Failure(unknown_group(&g, &TargetGroup::ids(groups))),
        ChangeError::Outside { .. } => Failure(format!(
            "{e}; controleer de coördinaten en hun coördinatenstelsel (--at-crs)"
        )),
        other => Failure(other.to_string()),
    }
}

/// The site of the sites layer named `name` (a removal by name), or a message that lists the
/// names there are (the command line's and serve's).
///
/// Example: "er is geen zorglocatie met de naam 'De Lindeboom' (zorglocaties: De Linde, Het
/// Anker, Oosterhof)".
pub fn named_site<'a>(sites: &'a [Site], name: &str) -> Result<&'a Site, String> {
    sites
        .iter()
        .find(|s| s.name.as_deref() == Some(name))
        .ok_or_else(|| {
            let names: Vec<&str> = sites.iter().filter_map(|s| s.name.as_deref()).collect();
            format!(
                "er is geen zorglocatie met de naam '{name}' (zorglocaties: {})",
                if names.is_empty() {
                    "geen".to_string()
                } else {
                    names.join(", ")
                }
            )
        })
}

/// Refuse the removal of more `units` than the site `name` has.
///
/// Example: "verwijdert 20 plaatsen, maar 'De Linde' heeft er 12".
pub fn check_removal(site: &Site, name: &str, units: f64) -> Result<(), String> {
    if units > site.units {
        return Err(format!(
            "verwijdert {units} plaatsen, maar '{name}' heeft er {}",
            crate::format::places(site.units)
        ));
    }
    Ok(())
}

/// Turn the scenario file's changes into engine changes in the compute CRS. Every change is
/// resolved before any is applied, so a bad file writes nothing.
pub fn resolve_changes(
    path: &Path,
    file: &ScenarioFile,
    loaded: &Loaded,
) -> Result<Vec<Change>, Failure> {
    Ok(resolve_located_changes(path, file, loaded)?.0)
}

/// [`resolve_changes`], with the BAG address each change given by `address = "…"` was placed
/// at (`None` for the others) and the BAG file, when one was read (docs/METHOD.md §6.1).
pub fn resolve_located_changes(
    path: &Path,
    file: &ScenarioFile,
    loaded: &Loaded,
) -> Result<LocatedChanges, Failure> {
    let cfg = &loaded.config;
    let file_crs = file.crs.clone().unwrap_or_else(|| cfg.crs.clone());
    let mut changes = Vec::with_capacity(file.changes.len());
    let mut located = Vec::with_capacity(file.changes.len());
    let mut bag: Option<Bag> = None;
    for (k, c) in file.changes.iter().enumerate() {
        let at_change =
            |m: String| Failure(format!("{}: wijziging {}: {m}", path.display(), k + 1));
        let mut address = None;
        let change = match (c.action, &c.site) {
            (Action::Remove, Some(name)) => {
                let sites = loaded.sites.as_deref().unwrap_or(&[]);
                let site = named_site(sites, name).map_err(at_change)?;
                let units = c.units.map_or(site.units, |u| u as f64);
                check_removal(site, name, units).map_err(at_change)?;
                Change {
                    name: c.name.clone().unwrap_or_else(|| name.clone()),
                    location: [site.location.x, site.location.y],
                    units: -units,
                    group: site.target_group.clone(),
                    regular_units: 0.0,
                    year: c.year,
                }
            }
            _ => {
                let location = match &c.address {
                    Some(given) => {
                        if bag.is_none() {
                            let spec = cfg.bag.as_ref().map(|b| b.path.as_path());
                            bag =
                                Some(address::open_bag(spec, "--bag").map_err(|f| at_change(f.0))?);
                        }
                        let bag = bag.as_ref().expect("read above");
                        let query = parse(given).map_err(|m| at_change(format!("adres: {m}")))?;
                        let found = address::locate(bag, given, &query)
                            .map_err(|f| at_change(format!("adres: {}", f.0)))?;
                        // The BAG is in RD New; the point is brought to the compute CRS.
                        let xy = transform_point("EPSG:28992", &cfg.crs, found.xy(), "{}")
                            .map_err(at_change)?;
                        address = Some(found);
                        xy
                    }
                    None => {
                        let at = c.at.expect("checked when parsing");
                        transform_point(
                            &file_crs,
                            &cfg.crs,
                            at,
                            "crs = \"{}\" in het scenariobestand",
                        )
                        .map_err(at_change)?
                    }
                };
                let units = c.units.expect("checked when parsing") as f64;
                Change {
                    name: c
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("wijziging {}", k + 1)),
                    location,
                    units: if c.action == Action::Add {
                        units
                    } else {
                        -units
                    },
                    group: c
                        .group
                        .clone()
                        .expect("checked when parsing")
                        .to_ascii_lowercase(),
                    regular_units: c.regular_units as f64,
                    year: c.year,
                }
            }
        };
        changes.push(change);
        located.push(address);
    }
    Ok((changes, located, bag))
}

/// The changes of a scenario file, the BAG address of each change given by address, and the
/// BAG file those were looked up in.
pub type LocatedChanges = (Vec<Change>, Vec<Option<Located>>, Option<Bag>);

/// Read the opgave file at `path` and validate it against the configured target groups and
/// the year of the area statistics. Returns the opgave and that year.
pub fn read_opgave(path: &Path, cfg: &Config) -> Result<(Opgave, i32), Failure> {
    let data_year = cfg.source_year.ok_or_else(|| {
        Failure(format!(
            "{}: de monitor van een opgave vraagt het jaar van de gebiedsstatistieken: geef --year (bijvoorbeeld 2022)",
            path.display()
        ))
    })?;
    let text = read_text(path, "het opgavebestand")?;
    let groups: Vec<&str> = cfg.target_group.iter().map(|g| g.id.as_str()).collect();
    let opgave = Opgave::from_toml(&text, &groups, data_year)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    Ok((opgave, data_year))
}
