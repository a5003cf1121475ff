//! The scenario file: an ordered list of additions and removals, in TOML.
//!
//! ```toml
//! name = "Beschermd thuis 2024-2026"
//! crs = "EPSG:28992"            # CRS of the `at` coordinates (default: the compute CRS)
//!
//! [[change]]
//! action = "add"                # add | remove
//! name = "De Tippe"
//! at = [200242.4, 503745.7]
//! units = 17
//! group = "beschermd_thuis"
//! regular_units = 8
//! year = 2024
//!
//! [[change]]
//! action = "remove"             # afbouw: close (part of) an existing site, by its name
//! site = "Beschermd wonen locatie A (illustratief)"
//! units = 20                    # default: all its units
//! year = 2025
//! ```

use serde::{Deserialize, Serialize};

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// New units at a location.
    Add,
    /// Fewer units: a closure or *afbouw*.
    Remove,
}

/// `at` as exactly two numbers, or the Dutch reason: `[204100, 503300, 5]` is refused
/// ("ongeldige plek: at heeft 3 getallen; geef er twee: [x, y]"), as `[204100]` is.
fn two_numbers<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<[f64; 2]>, D::Error> {
    let v: Option<Vec<f64>> = Option::deserialize(d)?;
    match v.as_deref() {
        None => Ok(None),
        Some(&[x, y]) => Ok(Some([x, y])),
        Some(other) => Err(serde::de::Error::custom(format!(
            "ongeldige plek: at heeft {} getallen; geef er twee: [x, y]",
            other.len()
        ))),
    }
}

/// One change as written in the file (and as `serve` takes it in JSON, with the same keys).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSpec {
    /// add or remove.
    pub action: Action,
    /// Name for reports (an addition needs one; a removal defaults to the site's name).
    pub name: Option<String>,
    /// Location `[x, y]` in the file's CRS (additions, or removals not tied to a named site):
    /// exactly two numbers (a third would be dropped without a word by the TOML reader).
    #[serde(default, deserialize_with = "two_numbers")]
    pub at: Option<[f64; 2]>,
    /// Address instead of `at`, looked up in the BAG of `--bag` or `[bag] path`
    /// (docs/METHOD.md §6.1): `"Barentszplein 1-H, Amsterdam"`, `"1013 NJ 1 H"`.
    pub address: Option<String>,
    /// An existing site by name (removals).
    pub site: Option<String>,
    /// Units (positive); for a removal of a named site, default all its units.
    pub units: Option<u64>,
    /// Target group (additions; removals of a named site take the site's group).
    pub group: Option<String>,
    /// Regular homes in the project (additions).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub regular_units: u64,
    /// Year of opening or closing.
    pub year: Option<i32>,
}

/// Whether a count is 0 (left out of a written file, as its default).
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A scenario file.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Name of the scenario.
    pub name: String,
    /// CRS of the `at` coordinates (default: the compute CRS).
    pub crs: Option<String>,
    /// The changes, applied in this order.
    #[serde(rename = "change")]
    pub changes: Vec<ChangeSpec>,
}

impl ChangeSpec {
    /// True when the change gives a location: `at` or `address`.
    pub fn located(&self) -> bool {
        self.at.is_some() || self.address.is_some()
    }
}

impl ScenarioFile {
    /// Parse TOML; errors carry the line and column.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let f: Self = toml::from_str(text).map_err(|e| crate::format::toml_error(text, &e))?;
        f.check()?;
        Ok(f)
    }

    /// The file as TOML that [`ScenarioFile::from_toml`] reads back as the same value (numbers
    /// are written in their shortest form that reads back as the same `f64`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a scenario file is a TOML document")
    }

    /// Refuse a scenario that no file may hold: no changes, a change without what its action
    /// needs, 0 or too many units, a location that is not a number, a year outside
    /// [`crate::model::MIN_YEAR`]..=[`crate::model::MAX_YEAR`]. The message names the change.
    pub fn check(&self) -> Result<(), String> {
        let f = self;
        check_name(&f.name, "name", false)?;
        if f.changes.is_empty() {
            return Err(
                "het scenario heeft geen [[change]]; voeg ten minste één wijziging toe".into(),
            );
        }
        for (k, c) in f.changes.iter().enumerate() {
            let n = k + 1;
            match c.action {
                Action::Add => {
                    if !c.located() || c.units.is_none() || c.group.is_none() {
                        return Err(format!(
                            "wijziging {n} (add) vraagt at = [x, y] (of address = \"…\"), units en group"
                        ));
                    }
                    if c.site.is_some() {
                        return Err(format!(
                            "wijziging {n} (add) kan geen site noemen; geef at = [x, y] of address = \"…\""
                        ));
                    }
                }
                Action::Remove => {
                    if c.site.is_none() && (!c.located() || c.units.is_none() || c.group.is_none())
                    {
                        return Err(format!(
                            "wijziging {n} (remove) vraagt site = \"naam van een bestaande zorglocatie\", of at (of address), units en group"
                        ));
                    }
                }
            }
            if c.at.is_some() && c.address.is_some() {
                return Err(format!(
                    "wijziging {n} heeft zowel at als address; geef een van de twee (een adres wordt in de BAG opgezocht, at wordt genomen zoals het er staat)"
                ));
            }
            if c.site.is_some() && c.address.is_some() {
                return Err(format!(
                    "wijziging {n} noemt een site én een address; een verwijdering van een genoemde zorglocatie neemt de plek van die zorglocatie, dus laat address weg"
                ));
            }
            if let Some(u) = c.units {
                check_units(u, "units").map_err(|m| format!("wijziging {n}: {m}"))?;
            }
            if let Some(name) = &c.name {
                check_name(name, "name", true).map_err(|m| format!("wijziging {n}: {m}"))?;
            }
            if let Some(year) = c.year {
                crate::model::check_year(year)
                    .map_err(|why| format!("wijziging {n}: year {year} ligt {why}"))?;
            }
            if let Some(at) = c.at.filter(|at| !at.iter().all(|v| v.is_finite())) {
                return Err(format!(
                    "wijziging {n}: at = [{}, {}] is geen plek (nan en inf van TOML zijn geen coördinaten); geef x en y als getallen",
                    at[0], at[1]
                ));
            }
        }
        Ok(())
    }
}

/// The one range check of a number of units or places a site can have: at least 1, at most
/// [`crate::model::MAX_SITE_UNITS`] (the bound every reader of sites keeps). Used for the
/// scenario file, the command line (`--units`, `--places`) and serve's requests; `what`
/// names the number in the message (`units`, `--units`, "het aantal plaatsen").
///
/// The number given is quoted as given (`10001`), the bound wijkbalans states the Dutch way.
///
/// Example: `check_units(0, "--units")` = Err("--units moet minstens 1 zijn");
/// `check_units(10_001, "units")` = Err("units is 10001, meer dan een locatie ooit heeft
/// (ten hoogste 10.000)").
pub fn check_units(n: u64, what: &str) -> Result<(), String> {
    if n == 0 {
        return Err(format!("{what} moet minstens 1 zijn"));
    }
    if n as f64 > crate::model::MAX_SITE_UNITS {
        return Err(format!(
            "{what} is {n}, meer dan een locatie ooit heeft (ten hoogste {})",
            crate::format::number(
                crate::model::MAX_SITE_UNITS,
                0,
                crate::format::Audience::Human
            )
        ));
    }
    Ok(())
}

/// The check of a name that stands in the outputs (a proposal's, a change's, a scenario's, a
/// report's title): when given, it holds a visible character, and no line break, tab, other
/// control character or bidirectional override (it is one line in the terminal, a table cell,
/// a layer's attribute).
/// `what` names it in the message (`--name`, `name`); `optional` says whether it may be left
/// out (then it has a default), which the message offers as the other way out.
///
/// Example: `check_name("De Tippe", "--name", true)` is fine; `check_name(" ", "--name",
/// true)` = Err("--name is leeg; geef een naam (die staat in de uitvoer) of laat --name weg");
/// a scenario file's own `name` is required: `check_name("", "name", false)` = Err("name is
/// leeg; geef een naam (die staat in de uitvoer)"); `check_name("Regel een\nregel twee",
/// "name", false)` = Err("name bevat een regeleinde (U+000A); schrijf het op één regel")
/// ([`crate::model::unprintable`]).
pub fn check_name(name: &str, what: &str, optional: bool) -> Result<(), String> {
    if let Some((c, line_break)) = crate::model::unprintable(name) {
        return Err(format!(
            "{what} {}",
            crate::model::unprintable_text(c, line_break)
        ));
    }
    if crate::model::clean_text(name).is_empty() {
        let omit = if optional {
            format!(" of laat {what} weg")
        } else {
            String::new()
        };
        return Err(format!(
            "{what} is leeg; geef een naam (die staat in de uitvoer){omit}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_holds_a_visible_character() {
        assert_eq!(check_name("De Tippe", "--name", true), Ok(()));
        assert_eq!(
            check_name("Regel een\nregel twee", "name", false),
            Err("name bevat een regeleinde (U+000A); schrijf het op één regel".into())
        );
        assert_eq!(
            check_name("a\tb", "--title", true),
            Err("--title bevat een stuurteken (U+0009); laat het weg".into())
        );
        assert_eq!(
            check_name("De\u{2028}Tippe", "--name", true),
            Err("--name bevat een regeleinde (U+2028); schrijf het op één regel".into())
        );
        assert!(check_name("De \u{202E}Tippe", "--name", true)
            .unwrap_err()
            .contains("stuurteken (U+202E)"));
        assert_eq!(
            check_name("", "name", false),
            Err("name is leeg; geef een naam (die staat in de uitvoer)".into())
        );
        for empty in ["", " ", "\u{200B}"] {
            assert_eq!(
                check_name(empty, "--name", true),
                Err(
                    "--name is leeg; geef een naam (die staat in de uitvoer) of laat --name weg"
                        .into()
                )
            );
        }
    }

    #[test]
    fn units_outside_what_a_site_can_have_are_refused() {
        assert_eq!(
            check_units(0, "--units"),
            Err("--units moet minstens 1 zijn".into())
        );
        assert_eq!(check_units(10_000, "units"), Ok(()));
        assert_eq!(
            check_units(10_001, "het aantal plaatsen"),
            Err(
                "het aantal plaatsen is 10001, meer dan een locatie ooit heeft (ten hoogste \
                 10.000)"
                    .into()
            )
        );
    }

    #[test]
    fn a_location_that_is_not_a_number_is_refused() {
        let text = "name = \"s\"\n\n[[change]]\naction = \"add\"\nat = [nan, 500000]\nunits = 3\ngroup = \"ggz\"\n";
        let e = ScenarioFile::from_toml(text).unwrap_err();
        assert!(
            e.starts_with("wijziging 1: at = [NaN, 500000] is geen plek"),
            "{e}"
        );
    }

    #[test]
    fn the_documented_example_parses() {
        let text = r#"
name = "Beschermd thuis 2024-2026"
crs = "EPSG:28992"

[[change]]
action = "add"
name = "De Tippe"
at = [200242.4, 503745.7]
units = 17
group = "beschermd_thuis"
regular_units = 8
year = 2024

[[change]]
action = "remove"
site = "Beschermd wonen locatie A (illustratief)"
units = 20
year = 2025
"#;
        let f = ScenarioFile::from_toml(text).unwrap();
        assert_eq!(f.changes.len(), 2);
        assert_eq!(f.changes[1].action, Action::Remove);
    }

    #[test]
    fn a_written_file_reads_back_as_the_same_scenario() {
        let f = ScenarioFile {
            name: "Kaart \"proef\"".into(),
            crs: Some("EPSG:4326".into()),
            changes: vec![
                ChangeSpec {
                    action: Action::Add,
                    name: Some("nieuw".into()),
                    at: Some([6.091812345678901, 52.5286]),
                    address: None,
                    site: None,
                    units: Some(12),
                    group: Some("beschermd_thuis".into()),
                    regular_units: 0,
                    year: None,
                },
                ChangeSpec {
                    action: Action::Remove,
                    name: None,
                    at: None,
                    address: None,
                    site: Some("Locatie A".into()),
                    units: None,
                    group: None,
                    regular_units: 0,
                    year: Some(2025),
                },
            ],
        };
        let text = f.to_toml();
        assert!(text.contains("[[change]]"), "{text}");
        assert!(!text.contains("regular_units"), "{text}");
        assert_eq!(ScenarioFile::from_toml(&text).unwrap(), f);
    }

    #[test]
    fn errors_name_the_line_or_the_change() {
        let e =
            ScenarioFile::from_toml("name = \"x\"\n[[change]]\naction = \"add\"\nunits = 5 5\n")
                .unwrap_err();
        assert!(e.starts_with("regel 4, kolom "), "{e}");
        let e = ScenarioFile::from_toml("name = \"x\"\n[[change]]\naction = \"add\"\nunits = 5\n")
            .unwrap_err();
        assert!(e.contains("wijziging 1 (add) vraagt"), "{e}");
        let e =
            ScenarioFile::from_toml("name = \"x\"\n[[change]]\naction = \"move\"\n").unwrap_err();
        assert!(
            e.contains("onbekende waarde 'move'; kies een van: add, remove"),
            "{e}"
        );
    }
}
