//! The page's error messages in Dutch (docs/SERVE.md, "Errors on the page").
//!
//! The command line's messages are English; the page is for planners and speaks Dutch with
//! decimal commas. Every refusal the page's own controls (and the links it writes, which hold
//! what those controls sent) can cause is checked here first, or comes from a typed error of
//! the engine ([`ChangeError`]) that this file words: the units of a proposal, an unknown
//! target group, a point outside every wijk, an unknown site, a removal of more units than are
//! present, a request that is not the JSON expected. The engine's checks behind them stay; a
//! request made by hand that gets past these (a scenario change without its `group`, say)
//! keeps the command line's message after the Dutch lead of its route.

use serde_json::error::Category;

use crate::format::{number, Audience};
use crate::model::{TargetGroup, MAX_SITE_UNITS};
use crate::scenario::ChangeError;

/// An unknown target group, with the groups there are.
///
/// Example: `unknown_group("daklozen", groups)` = "onbekende doelgroep 'daklozen'; kies een van:
/// beschermd_wonen, beschermd_thuis, …".
pub fn unknown_group(given: &str, groups: &[TargetGroup]) -> String {
    let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    format!(
        "onbekende doelgroep '{given}'; kies een van: {}",
        ids.join(", ")
    )
}

/// The configured id of the group `given` names (in any case), or [`unknown_group`].
pub fn group_id(given: &str, groups: &[TargetGroup]) -> Result<String, String> {
    TargetGroup::id_in(groups, given).ok_or_else(|| unknown_group(given, groups))
}

/// Refuse a number of units or places no site has: 0, or more than [`MAX_SITE_UNITS`]
/// (as `proposal::check_units` does for the command line). `what` names the field in Dutch.
///
/// Example: `units(0, "het aantal plaatsen")` = "het aantal plaatsen moet minstens 1 zijn";
/// `units(10_001, …)` = "… is 10.001, meer dan een locatie ooit heeft (ten hoogste 10.000)".
pub fn units(n: u64, what: &str) -> Result<(), String> {
    if n == 0 {
        return Err(format!("{what} moet minstens 1 zijn"));
    }
    if n as f64 > MAX_SITE_UNITS {
        return Err(format!(
            "{what} is {}, meer dan een locatie ooit heeft (ten hoogste {})",
            nl(n as f64, 0),
            nl(MAX_SITE_UNITS, 0)
        ));
    }
    Ok(())
}

/// A change the engine refused ([`ChangeError`]), in Dutch with decimal commas.
///
/// Example: `RemovesTooMuch { area: "WK019330", present: 24.0 }` = "de verwijdering neemt meer
/// plaatsen weg dan WK019330 voor deze doelgroep heeft (24)"; `Outside { nearest:
/// Some(("WK019330", 1812.4)) }` = "het punt ligt buiten elke wijk; de dichtstbijzijnde is
/// WK019330 op 1.812 m".
pub fn change_error(e: &ChangeError, groups: &[TargetGroup]) -> String {
    match e {
        ChangeError::Outside {
            nearest: Some((code, d)),
        } => format!(
            "het punt ligt buiten elke wijk; de dichtstbijzijnde is {code} op {} m",
            nl(*d, 0)
        ),
        ChangeError::Outside { nearest: None } => "het punt ligt buiten elke wijk".into(),
        ChangeError::UnknownGroup(g) => unknown_group(g, groups),
        ChangeError::BadUnits(u) => format!(
            "het aantal plaatsen moet een geheel getal anders dan 0 zijn, niet {}",
            nl(*u, 2)
        ),
        ChangeError::RemovesTooMuch { area, present } => format!(
            "de verwijdering neemt meer plaatsen weg dan {area} voor deze doelgroep heeft ({})",
            places(*present)
        ),
    }
}

/// A number of places: whole without decimals, a part (a weighted count) with two.
///
/// Example: `places(24.0)` = "24"; `places(2.5)` = "2,50".
pub fn places(v: f64) -> String {
    nl(v, if v.fract() == 0.0 { 0 } else { 2 })
}

/// `v` for Dutch text: decimal comma, thousands grouped from four digits on (`77.579`).
fn nl(v: f64, decimals: usize) -> String {
    number(v, decimals, Audience::Human)
}

/// A request body that is not the JSON object expected, in Dutch: where (line and column) and
/// what was wrong. serde_json words its errors in English from a few fixed templates
/// (`unknown field`, `missing field`, `invalid type`, `invalid value`); no crate words them in
/// Dutch, so the field named in them is taken over and the rest said here.
///
/// Example: `{"units": null}` for a whole number gives "regel 1, kolom 14: een waarde heeft het
/// verkeerde soort (null; verwacht: een geheel getal van 0 of meer)".
pub fn json(e: &serde_json::Error) -> String {
    let place = format!("regel {}, kolom {}", e.line(), e.column());
    let text = e.to_string();
    // The text without serde_json's own " at line L column C".
    let text = text.split(" at line ").next().unwrap_or("");
    let quoted = |t: &str| t.split('`').nth(1).unwrap_or("").to_string();
    let what = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => "dit is geen geldige JSON".into(),
        Category::Data => {
            if text.starts_with("unknown field") {
                format!("onbekend veld '{}'", quoted(text))
            } else if text.starts_with("missing field") {
                format!("het veld '{}' ontbreekt", quoted(text))
            } else if text.starts_with("unknown variant") {
                format!("onbekende waarde '{}'", quoted(text))
            } else if let Some(rest) = text
                .strip_prefix("invalid type: ")
                .or_else(|| text.strip_prefix("invalid value: "))
            {
                let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
                format!(
                    "een waarde heeft het verkeerde soort ({}; verwacht: {})",
                    got.replace('`', "")
                        .replace("integer ", "")
                        .replace("floating point ", ""),
                    expected_nl(expected)
                )
            } else {
                "een waarde is niet wat hier verwacht wordt".into()
            }
        }
    };
    format!("{place}: {what}")
}

/// serde's wording of an expected type, in Dutch (the types the page's requests hold).
fn expected_nl(expected: &str) -> &'static str {
    match expected {
        "u64" | "usize" | "u32" => "een geheel getal van 0 of meer",
        "f64" => "een getal",
        "a string" => "tekst",
        "a boolean" => "true of false",
        "a sequence" => "een lijst",
        e if e.starts_with("struct") || e.starts_with("a map") => "een object {…}",
        e if e.starts_with("one of") || e.starts_with("variant") => "een van de toegestane waarden",
        _ => "een andere soort waarde",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Ask {
        units: u64,
        group: String,
    }

    fn parse(text: &str) -> String {
        json(&serde_json::from_str::<Ask>(text).unwrap_err())
    }

    #[test]
    fn json_errors_are_dutch() {
        assert_eq!(
            parse(r#"{"units": null, "group": "ggz"}"#),
            "regel 1, kolom 14: een waarde heeft het verkeerde soort (null; verwacht: een \
             geheel getal van 0 of meer)"
        );
        assert_eq!(
            parse(r#"{"units": -1, "group": "ggz"}"#),
            "regel 1, kolom 12: een waarde heeft het verkeerde soort (-1; verwacht: een \
             geheel getal van 0 of meer)"
        );
        assert_eq!(
            parse(r#"{"units": 1, "group": "ggz", "file": "/etc/passwd"}"#),
            "regel 1, kolom 35: onbekend veld 'file'"
        );
        assert_eq!(
            parse(r#"{"group": "ggz"}"#),
            "regel 1, kolom 16: het veld 'units' ontbreekt"
        );
        assert_eq!(parse("{"), "regel 1, kolom 1: dit is geen geldige JSON");
    }

    #[test]
    fn change_errors_are_dutch_with_decimal_commas() {
        let e = ChangeError::Outside {
            nearest: Some(("WK019330".into(), 1812.4)),
        };
        assert_eq!(
            change_error(&e, &[]),
            "het punt ligt buiten elke wijk; de dichtstbijzijnde is WK019330 op 1.812 m"
        );
        let e = ChangeError::RemovesTooMuch {
            area: "WK019330".into(),
            present: 2.5,
        };
        assert_eq!(
            change_error(&e, &[]),
            "de verwijdering neemt meer plaatsen weg dan WK019330 voor deze doelgroep heeft (2,50)"
        );
        let e = ChangeError::BadUnits(0.5);
        assert_eq!(
            change_error(&e, &[]),
            "het aantal plaatsen moet een geheel getal anders dan 0 zijn, niet 0,50"
        );
        assert_eq!(
            units(10_001, "het aantal plaatsen"),
            Err(
                "het aantal plaatsen is 10.001, meer dan een locatie ooit heeft (ten hoogste \
                 10.000)"
                    .into()
            )
        );
    }
}
