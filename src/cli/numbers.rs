//! Numbers typed on the command line, read as the planner means them or refused
//! (docs/METHOD.md §2.2, "Numbers as written").
//!
//! clap's own number parsers answer `--units 1.000` with Rust's English "invalid digit found in
//! string", and read `--spacing 1.000` as one metre where a Dutch planner typed a thousand.
//! These parsers apply the rules of numbers in files to the command line:
//! - [`whole`] (counts, seeds) and [`year`] (a whole number in 1900–2100): digits only; `1.000` or `1,000` is refused with the
//!   number to type (`1000`); `12,5` is not a whole number.
//! - [`decimal`] (metres, α, β): a decimal point or comma (`0,05` = `0.05`); text that looks
//!   like thousands separators (`1.000`, [`looks_grouped`]) is refused with both readings, and so
//!   is text with two kinds of separator (`1.234,5`).
//! - [`xy`] (`--at X,Y`, the comma between the two numbers): in a projected coordinate system a
//!   number with a dot between thousands (`203.500`) is refused (no RD coordinate in the
//!   Netherlands is below 1.000 m); in lon/lat degrees `52.510` is a decimal.
//!
//! Their messages follow clap's "invalid value 'X' for '--flag'", so they do not quote the
//! value again. Hand-written because clap's parsers (`value_parser!(u64)`) read numbers the
//! English way and cannot be given these rules.

use std::fmt;
use std::str::FromStr;

use crate::format::{looks_grouped, ungrouped};

/// Why a number on the command line is refused, in Dutch; the command line's parse error
/// says it after "ongeldige waarde 'X' bij --flag:" (`cli::dutch`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// A whole number of type `T` (u16, u32, u64, usize, i32), written with digits only.
///
/// Example: `whole::<u64>("12")` = 12; `whole::<u64>("1.000")` is refused with "schrijf 1000";
/// `whole::<u64>("12,5")` "is geen geheel getal"; `whole::<u64>("-3")` "mag niet negatief zijn".
pub fn whole<T: FromStr>(text: &str) -> Result<T, Refused> {
    let t = text.trim();
    if let Ok(v) = t.parse::<T>() {
        return Ok(v);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    Err(Refused(if looks_grouped(t) {
        format!(
            "een geheel getal wordt zonder scheidingsteken voor duizendtallen geschreven; schrijf {}",
            ungrouped(t)
        )
    } else if t.strip_prefix('-').is_some_and(digits) {
        "het getal mag niet negatief zijn".to_string()
    } else if digits(t) {
        "het getal is te groot".to_string()
    } else if decimal(t).is_ok() {
        "dit is geen geheel getal".to_string()
    } else {
        "dit is geen getal; schrijf een geheel getal, zoals 12".to_string()
    }))
}

/// A year: a [`whole`] number within [`crate::model::MIN_YEAR`]..=[`crate::model::MAX_YEAR`]
/// ([`crate::model::check_year`]).
///
/// Example: `year("2022")` = 2022; `year("22")` is refused: "het jaar ligt buiten 1900–2100;
/// schrijf een jaar met vier cijfers, zoals 2022"; `year("2.022")` "schrijf 2022"; `year("abc")`
/// "dit is geen jaartal".
pub fn year(text: &str) -> Result<i32, Refused> {
    let y = whole::<i32>(text).map_err(|e| {
        // Text that is no number at all gets a year as its example, not whole's "12".
        let t = text.trim();
        if decimal(t).is_err() && !looks_grouped(t) {
            Refused("dit is geen jaartal; schrijf een jaar met vier cijfers, zoals 2022".into())
        } else {
            e
        }
    })?;
    crate::model::check_year(y).map_err(|why| Refused(format!("het jaar ligt {why}")))?;
    Ok(y)
}

/// The smallest count a public version shows (`--min-count`): a [`whole`] number of at least
/// 2, since below 2 nothing from 1 to k − 1 is left to hide.
///
/// Example: `min_count("5")` = 5; `min_count("1")` is refused: "bij 0 of 1 wordt niets
/// weggelaten; geef minstens 2 (het CBS gebruikt 5)".
pub fn min_count(text: &str) -> Result<u32, Refused> {
    let k = whole::<u32>(text)?;
    if k < 2 {
        return Err(Refused(
            "bij 0 of 1 wordt niets weggelaten; geef minstens 2 (het CBS gebruikt 5)".into(),
        ));
    }
    Ok(k)
}

/// A decimal number, with a decimal point or a decimal comma.
///
/// Example: `decimal("0,05")` = 0.05; `decimal("62.5")` = 62.5; `decimal("0.050")` = 0.05;
/// `decimal("1.000")` is refused as "1 of 1000"; `decimal("1.234,5")` is refused; `inf` and
/// `NaN` are not numbers.
pub fn decimal(text: &str) -> Result<f64, Refused> {
    let t = text.trim();
    if t.contains('.') && t.contains(',') {
        // The last separator is the decimal mark, the other kind separates thousands.
        let (mark, group) = if t.rfind(',') > t.rfind('.') {
            (',', '.')
        } else {
            ('.', ',')
        };
        return Err(Refused(format!(
            "er staan twee soorten scheidingstekens in; schrijf het getal zonder scheidingsteken voor duizendtallen en met een decimale punt, zoals {}",
            t.replace(group, "").replace(mark, ".")
        )));
    }
    let read = t
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && t.bytes().any(|b| b.is_ascii_digit()));
    match read {
        Some(_) if looks_grouped(t) => Err(Refused(format!(
            "dubbelzinnig: {}; schrijf het getal zonder scheidingsteken voor duizendtallen",
            crate::format::grouped_readings(t)
        ))),
        Some(v) => Ok(v),
        None => Err(Refused(
            "dit is geen getal; schrijf bijvoorbeeld 12,5 of 12.5".to_string(),
        )),
    }
}

/// `X,Y`: two numbers with a comma between them (a decimal point in each). `geographic` says
/// whether the coordinate system of the point is in degrees: there `52.510` is a decimal; in
/// metres a number that looks grouped (`203.500`) is refused with the number meant, unless the
/// pair read with decimals is a longitude and a latitude (|x| ≤ 180, |y| ≤ 90): that is
/// returned as read, for the check against the coordinate system to name the CRS flag. No
/// point in the Netherlands in RD New has a y below 300.000, so a grouped RD pair never reads
/// as degrees.
///
/// Example: `xy("203500, 502000.5", false)` = [203500.0, 502000.5]; `xy("203.500,503.000",
/// false)` is refused ("schrijf 203500"); `xy("6.090,52.510", true)` = [6.09, 52.51]; `xy("6.096,
/// 52.51276", false)` = [6.096, 52.51276] (degrees, not "schrijf 6096").
pub fn xy(text: &str, geographic: bool) -> Result<[f64; 2], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != 2 {
        return Err(format!(
            "'{text}' is geen X,Y (twee getallen met een komma ertussen, elk met een decimale punt)"
        ));
    }
    let as_read: Option<Vec<f64>> = parts.iter().map(|s| s.parse::<f64>().ok()).collect();
    let degrees = matches!(as_read.as_deref(), Some([x, y]) if x.abs() <= 180.0 && y.abs() <= 90.0);
    let num = |s: &str| {
        if !geographic && !degrees && looks_grouped(s) {
            return Err(format!(
                "'{s}' in '{text}' heeft een punt tussen duizendtallen; schrijf {} (meters, zonder scheidingsteken voor duizendtallen)",
                ungrouped(s)
            ));
        }
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("'{s}' in '{text}' is geen getal"))
    };
    Ok([num(parts[0])?, num(parts[1])?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_digits_only() {
        assert_eq!(whole::<u64>("12"), Ok(12));
        assert_eq!(whole::<u64>(" 277 "), Ok(277));
        assert_eq!(whole::<i32>("2022"), Ok(2022));
        for (text, says) in [
            ("1.000", "schrijf 1000"),
            ("10,000", "schrijf 10000"),
            ("12,5", "geen geheel getal"),
            ("12.5", "geen geheel getal"),
            ("-3", "negatief"),
            ("twaalf", "geen getal"),
            ("", "geen getal"),
        ] {
            let e = whole::<u64>(text).unwrap_err().0;
            assert!(e.contains(says), "{text}: {e}");
        }
        assert!(whole::<u16>("70000").unwrap_err().0.contains("te groot"));
    }

    #[test]
    fn a_min_count_hides_something() {
        assert_eq!(min_count("5"), Ok(5));
        assert_eq!(min_count("2"), Ok(2));
        for nothing in ["0", "1"] {
            assert!(min_count(nothing)
                .unwrap_err()
                .0
                .contains("wordt niets weggelaten"));
        }
        assert!(min_count("-3").is_err());
    }

    #[test]
    fn a_year_is_whole_and_within_the_years_a_planner_gives() {
        assert_eq!(year("2022"), Ok(2022));
        assert_eq!(year("1900"), Ok(1900));
        assert_eq!(year("2100"), Ok(2100));
        for text in ["22", "1899", "2101", "20222"] {
            let e = year(text).unwrap_err().0;
            assert!(e.contains("buiten 1900–2100"), "{text}: {e}");
        }
        assert!(year("2.022").unwrap_err().0.contains("schrijf 2022"));
        assert_eq!(
            year("abc").unwrap_err().0,
            "dit is geen jaartal; schrijf een jaar met vier cijfers, zoals 2022"
        );
    }

    #[test]
    fn decimals_take_a_point_or_a_comma_and_refuse_what_is_ambiguous() {
        assert_eq!(decimal("0,05"), Ok(0.05));
        assert_eq!(decimal("0.05"), Ok(0.05));
        assert_eq!(decimal("0.050"), Ok(0.05));
        assert_eq!(decimal("62,5"), Ok(62.5));
        assert_eq!(decimal("250"), Ok(250.0));
        assert_eq!(decimal("1e3"), Ok(1000.0));
        let e = decimal("1.000").unwrap_err().0;
        assert!(e.contains("1 als") && e.contains("of 1000 als"), "{e}");
        let e = decimal("12.125").unwrap_err().0;
        assert!(
            e.contains("12,125 als") && e.contains("of 12125 als"),
            "{e}"
        );
        assert!(decimal("1.234,5").unwrap_err().0.ends_with("zoals 1234.5"));
        assert!(decimal("1,234.5").unwrap_err().0.ends_with("zoals 1234.5"));
        for t in ["inf", "NaN", "abc", "", ",", "."] {
            assert!(decimal(t).unwrap_err().0.contains("geen getal"), "{t}");
        }
    }

    #[test]
    fn coordinates_in_metres_refuse_thousands_separators_and_degrees_keep_their_decimals() {
        assert_eq!(xy("203500, 502000.5", false), Ok([203500.0, 502000.5]));
        assert_eq!(xy("203500.125,502000", false), Ok([203500.125, 502000.0]));
        let e = xy("203.500,503.000", false).unwrap_err();
        assert!(
            e.contains("'203.500'") && e.contains("schrijf 203500"),
            "{e}"
        );
        assert_eq!(xy("6.090,52.510", true), Ok([6.09, 52.51]));
        // Degrees given without their CRS are read as degrees, for the CRS check to name
        // --at-crs, never as "6096".
        assert_eq!(xy("6.096,52.51276", false), Ok([6.096, 52.51276]));
        assert_eq!(xy("6.096,52.512", false), Ok([6.096, 52.512]));
        // A grouped RD x with a real RD y is still refused.
        let e = xy("121.223,489163", false).unwrap_err();
        assert!(e.contains("schrijf 121223"), "{e}");
        assert!(xy("203500", false).unwrap_err().contains("X,Y"));
        assert!(xy("a,1", false).unwrap_err().contains("'a'"));
        assert!(xy("1,inf", false).is_err());
    }
}
