//! The page's error messages in Dutch (docs/SERVE.md, "Errors on the page").
//!
//! The page is for planners and speaks Dutch with decimal commas, as the command line's
//! messages do: the units ([`crate::scenario::file::check_units`]), an unknown target group
//! ([`crate::model::unknown_group`]) and the engine's refusals ([`ChangeError`]: a point
//! outside every wijk, a removal of more units than are present) are worded once for both, and
//! serde's English in a request that is not the JSON expected is said in Dutch by
//! [`crate::format::serde_message`]. This file checks what the page's own controls (and the
//! links it writes, which hold what those controls sent) can get wrong before the command
//! line's checks run. The engine's checks behind them stay; a request made by hand that gets
//! past these (a scenario change without its `group`, say) gets the command line's message
//! after the Dutch lead of its route.

use serde_json::error::Category;

use crate::format::serde_message;
use crate::model::{unknown_group, TargetGroup};
use crate::scenario::ChangeError;

/// The configured id of the group `given` names (in any case), or the message of
/// [`unknown_group`] (the command line's).
pub fn group_id(given: &str, groups: &[TargetGroup]) -> Result<String, String> {
    TargetGroup::id_in(groups, given).ok_or_else(|| unknown_group(given, &TargetGroup::ids(groups)))
}

/// A change the engine refused ([`ChangeError`]), in Dutch with decimal commas.
///
/// Example: `RemovesTooMuch { area: "WK019330", present: 24.0 }` = "de verwijdering neemt meer
/// plaatsen weg dan WK019330 voor deze doelgroep heeft (24)"; `Outside { nearest:
/// Some(("WK019330", 1812.4)) }` = "het punt ligt buiten elke wijk; de dichtstbijzijnde is
/// WK019330 op 1.812 m".
pub fn change_error(e: &ChangeError, groups: &[TargetGroup]) -> String {
    match e {
        ChangeError::UnknownGroup(g) => unknown_group(g, &TargetGroup::ids(groups)),
        // The engine's own text is Dutch with decimal commas already.
        other => other.to_string(),
    }
}

/// A request body that is not the JSON object expected, in Dutch: where (line and column) and
/// what was wrong. serde_json words its errors in English from a few fixed templates
/// (`unknown field`, `missing field`, `invalid type`, `invalid value`); no crate words them in
/// Dutch, so the field named in them is taken over and the rest said here.
///
/// Example: `{"units": null}` for a whole number gives "regel 1, kolom 14: een waarde heeft het
/// verkeerde soort (null; verwacht: een geheel getal dat niet negatief is)".
pub fn json(e: &serde_json::Error) -> String {
    let place = format!("regel {}, kolom {}", e.line(), e.column());
    let text = e.to_string();
    // The text without serde_json's own " at line L column C".
    let text = text.split(" at line ").next().unwrap_or("");
    let what = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => "dit is geen geldige JSON".into(),
        Category::Data => serde_message(text)
            .unwrap_or_else(|| "een waarde is niet wat hier verwacht wordt".into()),
    };
    format!("{place}: {what}")
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
             geheel getal dat niet negatief is)"
        );
        assert_eq!(
            parse(r#"{"units": -1, "group": "ggz"}"#),
            "regel 1, kolom 12: een waarde heeft het verkeerde soort (-1; verwacht: een \
             geheel getal dat niet negatief is)"
        );
        assert_eq!(
            parse(r#"{"units": 1, "group": "ggz", "file": "/etc/passwd"}"#),
            "regel 1, kolom 35: onbekend veld 'file'; kies een van: units, group"
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
        // Far beyond the Netherlands: no distance of 300 digits.
        let e = ChangeError::Outside {
            nearest: Some(("WK019330".into(), 1.4e308)),
        };
        assert_eq!(
            change_error(&e, &[]),
            "het punt ligt buiten elke wijk; de dichtstbijzijnde is WK019330, op meer dan 1.000 km"
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
    }
}
