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
use crate::model::{unknown_group, Site, SiteStatus, TargetGroup};
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

/// How the location of a change was given, for the advice when it lies outside every area.
#[derive(Debug, Clone, Copy)]
pub enum GivenAt<'a> {
    /// As coordinates, whose reference system is set where this names (`--at-crs` on the
    /// command line, the key `crs` in a scenario file).
    Coordinates(&'a str),
    /// As this BAG address (as the BAG writes it): it lies outside the study's areas, whatever
    /// its coordinates.
    Address(&'a str),
}

/// Turn a refused change into a message that says what to do.
///
/// Example: an address outside the areas gives "het adres Barentszplein 7, 1013 NJ Amsterdam:
/// het punt ligt buiten elke wijk; de dichtstbijzijnde is WK019322 op 77.716 m; geef een adres
/// in het gebied van de gebiedenlaag, of de gebiedenlaag van het adres (--areas)".
pub fn change_failure(e: ChangeError, groups: &[TargetGroup], given: GivenAt) -> Failure {
    match (e, given) {
        (ChangeError::UnknownGroup(g), _) => Failure(unknown_group(&g, &TargetGroup::ids(groups))),
        (e @ ChangeError::Outside { .. }, GivenAt::Coordinates(crs_by)) => Failure(format!(
            "{e}; controleer de coördinaten en hun coördinatenstelsel ({crs_by})"
        )),
        (e @ ChangeError::Outside { .. }, GivenAt::Address(address)) => Failure(format!(
            "het adres {address}: {e}; geef een adres in het gebied van de gebiedenlaag, of de \
             gebiedenlaag van het adres (--areas)"
        )),
        (other, _) => Failure(other.to_string()),
    }
}

/// The site of the sites layer named `name` (a removal by name), or a message (the command
/// line's and serve's): no site has the name (the names there are, with the closest as
/// "bedoeld"), or several have it (a name then chooses none).
///
/// Example: "er is geen zorglocatie met de naam 'de linde'; bedoeld: 'De Linde'? (zorglocaties:
/// De Linde, Het Anker, Oosterhof)"; two sites named "De Linde": "2 zorglocaties heten 'De
/// Linde' (op (200500, 500500) en (202500, 500500)), dus de naam kiest er geen; …" (the points
/// in the compute CRS).
pub fn named_site<'a>(sites: &'a [Site], name: &str) -> Result<&'a Site, String> {
    let named: Vec<&Site> = sites
        .iter()
        .filter(|s| s.name.as_deref() == Some(name))
        .collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => {
            let names: Vec<&str> = sites.iter().filter_map(|s| s.name.as_deref()).collect();
            let meant = crate::model::closest_above(name, &names, 0.8)
                .map(|n| format!("; bedoeld: '{n}'?"))
                .unwrap_or_default();
            Err(format!(
                "er is geen zorglocatie met de naam '{name}'{meant} (zorglocaties: {})",
                if names.is_empty() {
                    "geen".to_string()
                } else {
                    names.join(", ")
                }
            ))
        }
        more => {
            let places: Vec<String> = more
                .iter()
                .map(|s| format!("({:.0}, {:.0})", s.location.x, s.location.y))
                .collect();
            let (last, rest) = places.split_last().expect("two or more");
            Err(format!(
                "{} zorglocaties heten '{name}' (op {} en {last}), dus de naam kiest er geen; \
                 geef ze in het zorglocatiebestand elk een eigen naam, of verwijder met \
                 at = [x, y] (of address), units en group",
                more.len(),
                rest.join(", ")
            ))
        }
    }
}

/// Refuse the removal of the site `name`: of more `units` than it has, or of a site whose
/// status the balance does not count (`counted`, the configuration's `count_status`). Its
/// units are in no area's care units, so a removal would take them from the counted sites of
/// its area and group (docs/METHOD.md §2.6).
///
/// Example: "verwijdert 20 plaatsen, maar 'De Linde' heeft er 12"; a planned site with the
/// default `count_status`: "'De Tippe' is gepland (status planned) en telt niet mee in de
/// balans, die alleen bestaand telt (count_status); …".
pub fn check_removal(
    site: &Site,
    name: &str,
    units: f64,
    counted: &[SiteStatus],
) -> Result<(), String> {
    if !counted.contains(&site.status) {
        let counts: Vec<&str> = counted.iter().map(|s| s.dutch()).collect();
        return Err(format!(
            "'{name}' is {} (status {}) en telt niet mee in de balans, die alleen {} telt \
             (count_status); een verwijdering zou plaatsen van de getelde zorglocaties in die \
             wijk wegnemen: laat de wijziging weg, of tel {} mee met count_status",
            site.status.dutch(),
            site.status.as_str(),
            counts.join(" en "),
            site.status.as_str()
        ));
    }
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
                check_removal(site, name, units, &cfg.count_status).map_err(at_change)?;
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
/// the year of the area statistics. Returns the opgave and that year. Refused without a sites
/// layer: the realised and planned places it counts are then unknown.
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
    // Realised and planned places are counted in the sites layer: without one they are
    // unknown, and a monitor of 0 realised places would report a shortfall never measured.
    if cfg.sites.is_none() {
        return Err(Failure(format!(
            "{}: de monitor telt de gerealiseerde en geplande plaatsen in de zorglocatielaag, \
             maar er is geen zorglocatielaag; zonder die laag zijn ze onbekend, niet 0; geef \
             --sites (de zorglocaties met doelgroep, status en jaar)",
            path.display()
        )));
    }
    Ok((opgave, data_year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str, x: f64, status: SiteStatus) -> Site {
        Site {
            feature_index: 0,
            location: geo::Coord { x, y: 500_500.0 },
            units: 12.0,
            regular_units: 0.0,
            target_group: "beschermd_wonen".into(),
            status,
            care_24h: None,
            name: Some(name.into()),
            year: None,
            properties: Default::default(),
            address: None,
        }
    }

    #[test]
    fn a_removal_names_one_counted_site() {
        let sites = [
            site("De Linde", 200_500.0, SiteStatus::Existing),
            site("Het Anker", 201_500.0, SiteStatus::Planned),
        ];
        let linde = named_site(&sites, "De Linde").unwrap();
        assert_eq!(linde.location.x, 200_500.0);
        // Another spelling is not taken, but named.
        assert_eq!(
            named_site(&sites, "de linde").unwrap_err(),
            "er is geen zorglocatie met de naam 'de linde'; bedoeld: 'De Linde'? \
             (zorglocaties: De Linde, Het Anker)"
        );
        let counted = [SiteStatus::Existing];
        assert_eq!(check_removal(linde, "De Linde", 12.0, &counted), Ok(()));
        assert!(check_removal(linde, "De Linde", 13.0, &counted)
            .unwrap_err()
            .starts_with("verwijdert 13 plaatsen"));
        // A planned site is in no area's care units: refused unless planned sites count.
        let anker = named_site(&sites, "Het Anker").unwrap();
        assert!(check_removal(anker, "Het Anker", 12.0, &counted)
            .unwrap_err()
            .starts_with("'Het Anker' is gepland (status planned) en telt niet mee"));
        let with_planned = [SiteStatus::Existing, SiteStatus::Planned];
        assert_eq!(
            check_removal(anker, "Het Anker", 12.0, &with_planned),
            Ok(())
        );
        // A name two sites share chooses none.
        let shared = [
            sites[0].clone(),
            site("De Linde", 202_500.0, SiteStatus::Existing),
        ];
        assert!(named_site(&shared, "De Linde").unwrap_err().starts_with(
            "2 zorglocaties heten 'De Linde' (op (200500, 500500) en (202500, 500500))"
        ));
    }
}
