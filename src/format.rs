//! How a number is written, per audience: the one place that decides the number style.
//!
//! - [`Audience::Human`]: terminal text, Markdown, HTML and the Dutch-Excel CSV files. Dutch:
//!   a decimal comma, a dot between thousands in text (`130.665`, `6.729,7`), a real minus
//!   sign (`−0,48`), `;` between CSV fields.
//! - [`Audience::Machine`]: GeoJSON, JSON and the standard CSV. A decimal point, no thousands
//!   separator, an ASCII minus, `,` between CSV fields; the values themselves are rounded by
//!   [`crate::table::number`] (docs/OUTPUTS.md, "Formats and audience").
//!
//! A CSV cell never gets a thousands separator, in either style: Dutch Excel reads `6729,7` as
//! a number, and a cell is read by a program as often as by a person.
//!
//! Nothing here reads or writes a file; the writers in `io`, `report` and `cli` call it.
//!
//! It also says serde's English errors in Dutch ([`serde_message`], [`toml_error`]): the
//! messages about a configuration, scenario or opgave file and serve's JSON requests.
//!
//! # Example
//! ```
//! use wijkbalans::format::{number, Audience};
//! assert_eq!(number(130665.0, 0, Audience::Human), "130.665");
//! assert_eq!(number(-6729.7284, 1, Audience::Human), "−6.729,7");
//! assert_eq!(number(-6729.7284, 1, Audience::Machine), "-6729.7");
//! assert_eq!(Audience::Human.csv_separator(), b';');
//! ```

/// Who reads a file or a text: a person (Dutch style) or a program (decimal point).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Terminal, Markdown, HTML, Dutch-Excel CSV: decimal comma, thousands dot, `;`.
    Human,
    /// GeoJSON, JSON, standard CSV: decimal point, no grouping, `,`.
    Machine,
}

impl Audience {
    /// The decimal mark: `,` for people, `.` for programs.
    pub fn decimal_mark(self) -> char {
        match self {
            Audience::Human => ',',
            Audience::Machine => '.',
        }
    }

    /// The field separator of a CSV file: `;` for people (Dutch Excel), `,` for programs.
    pub fn csv_separator(self) -> u8 {
        match self {
            Audience::Human => b';',
            Audience::Machine => b',',
        }
    }
}

/// `v` with `decimals` decimals in the audience's style. Human: `1.234,57`, `−0,48`, thousands
/// grouped from four digits on; Machine: `1234.57`, `-0.48`. A value that rounds to zero has
/// no sign; a value that is not finite is "onbekend" (Human) or empty (Machine).
///
/// Example: `number(1234.567, 2, Human)` = "1.234,57"; `number(-0.001, 2, Human)` = "0,00".
pub fn number(v: f64, decimals: usize, audience: Audience) -> String {
    match audience {
        Audience::Human => marked(v, decimals, Some('.'), ',', '−', "onbekend"),
        Audience::Machine => marked(v, decimals, None, '.', '-', ""),
    }
}

/// A number for Dutch text without thousands grouping, as in a sentence that quotes a setting
/// or a coordinate (`0,05`, `204100,5`): [`number`] for [`Audience::Human`] minus the dots.
///
/// Example: `plain_nl(204100.5, 1)` = "204100,5".
pub fn plain_nl(v: f64, decimals: usize) -> String {
    marked(v, decimals, None, ',', '−', "onbekend")
}

/// `v` with `decimals` decimals, `group` between thousands (from four digits on), `point` as
/// decimal mark and `minus` for a negative value that does not round to zero; `missing` when
/// not finite. The shared body of every style (the HTML report's English page uses
/// `,`/`.`).
///
/// Example: `marked(-1234.5, 1, Some(','), '.', '−', "—")` = "−1,234.5".
pub fn marked(
    v: f64,
    decimals: usize,
    group: Option<char>,
    point: char,
    minus: char,
    missing: &str,
) -> String {
    if !v.is_finite() {
        return missing.to_string();
    }
    let body = format!("{:.*}", decimals, v.abs());
    let negative = v < 0.0 && body.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body.as_str(), None),
    };
    let mut out = String::new();
    if negative {
        out.push(minus);
    }
    match group {
        Some(g) if int.len() >= 4 => {
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    out.push(g);
                }
                out.push(c);
            }
        }
        _ => out.push_str(int),
    }
    if let Some(f) = frac {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// A whole count for people: `38.111`.
///
/// Example: `count(38111)` = "38.111"; `count(12)` = "12".
pub fn count(n: usize) -> String {
    number(n as f64, 0, Audience::Human)
}

/// A JSON number as a CSV cell: as JSON writes it (decimal point, no grouping) for programs,
/// with a decimal comma for people (`6729,728576`), never grouped.
///
/// Example: `csv_number(&serde_json::Number::from_f64(-0.5).unwrap(), Audience::Human)` = "-0,5".
/// The ASCII minus stays: Excel reads "−0,5" with a real minus sign as text.
pub fn csv_number(n: &serde_json::Number, audience: Audience) -> String {
    let s = n.to_string();
    match audience {
        Audience::Human => s.replace('.', ","),
        Audience::Machine => s,
    }
}

/// A number of care places for people: whole without decimals, a part (a weighted count) with
/// two, Dutch style ([`number`] for [`Audience::Human`]).
///
/// Example: `places(24.0)` = "24"; `places(2.5)` = "2,50"; `places(1200.0)` = "1.200".
pub fn places(v: f64) -> String {
    number(v, if v.fract() == 0.0 { 0 } else { 2 }, Audience::Human)
}

/// `n` and the Dutch noun for that many: `one` for exactly 1, else `more`; the number grouped
/// as [`count`] writes it.
///
/// Example: `counted(1, "doel", "doelen")` = "1 doel"; `counted(0, "doel", "doelen")` =
/// "0 doelen"; `counted(1200, "plaats", "plaatsen")` = "1.200 plaatsen".
pub fn counted(n: u64, one: &str, more: &str) -> String {
    let noun = if n == 1 { one } else { more };
    format!("{} {noun}", number(n as f64, 0, Audience::Human))
}

/// True for number text a person wrote with separators between thousands: a first group of
/// one to three digits that does not start with 0, then groups of exactly three digits, with
/// one kind of separator (`.` or `,`) between them, and an optional leading minus. Such text is
/// ambiguous where a decimal mark may stand: `4.020` is 4020 in Dutch and 4.02 in English.
/// A first group `0` is never a thousands group (`0.050` is a decimal). The readers of numbers
/// in files and on the command line refuse or question it (docs/METHOD.md §2.2, "Numbers as
/// written").
///
/// Example: `4.020`, `1.234.567`, `12,345` and `-1.000` look grouped; `4.02`, `0.050`,
/// `4020`, `203500.125` and `1.234,5` (two kinds) do not.
pub fn looks_grouped(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let Some(sep) = t.chars().find(|c| *c == '.' || *c == ',') else {
        return false;
    };
    let groups: Vec<&str> = t.split(sep).collect();
    groups.len() >= 2
        && (1..=3).contains(&groups[0].len())
        && !groups[0].starts_with('0')
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// Both readings of number text `t` that looks grouped ([`looks_grouped`]) and holds one
/// kind of separator, for a message: the separator as a decimal mark (written the Dutch way)
/// and as thousands separators.
///
/// Example: `grouped_readings("6.395")` = "6,395 als het scheidingsteken een decimaalteken
/// is, of 6395 als het duizendtallen scheidt"; `grouped_readings("5.000")` begins "5 als".
pub fn grouped_readings(t: &str) -> String {
    let decimal = t.replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
    let decimal = plain_nl(decimal, 3);
    let decimal = match decimal.split_once(',') {
        Some((int, frac)) if frac.trim_end_matches('0').is_empty() => int.to_string(),
        Some((int, frac)) => format!("{int},{}", frac.trim_end_matches('0')),
        None => decimal,
    };
    format!(
        "{decimal} als het scheidingsteken een decimaalteken is, of {} als het duizendtallen scheidt",
        ungrouped(t)
    )
}

/// `t` without its separators: the number a person meant who wrote thousands separators
/// ([`looks_grouped`]).
///
/// Example: `ungrouped("4.020")` = "4020"; `ungrouped("1,234,567")` = "1234567".
pub fn ungrouped(t: &str) -> String {
    t.replace(['.', ','], "")
}

/// serde's English wording of a data error in Dutch, for the messages about a configuration,
/// scenario or opgave file (TOML) and serve's requests (JSON): `unknown field`, `missing
/// field`, `unknown variant`, `duplicate field`, `invalid type`, `invalid value` and `invalid
/// length`. serde words its errors from these fixed templates and no crate words them in
/// Dutch, so the names and values quoted in them are taken over and the rest said here.
/// `None` for any other text (a syntax error, a message of the format's own).
///
/// Example: "unknown variant `hexagon`, expected `queen` or `rook`" = "onbekende waarde
/// 'hexagon'; kies een van: queen, rook"; "invalid type: string \"twintig\", expected u64" =
/// "een waarde heeft het verkeerde soort (tekst \"twintig\"; verwacht: een geheel getal van 0
/// of meer)".
pub fn serde_message(text: &str) -> Option<String> {
    let quoted = |t: &str| t.split('`').nth(1).unwrap_or("").to_string();
    // The names in serde's "expected one of `a`, `b`" / "expected `a` or `b`".
    let choices = |t: &str| match t.split_once(", expected ") {
        Some((_, list)) => {
            let names = backticked(list);
            if names.is_empty() {
                String::new()
            } else {
                format!("; kies een van: {}", names.join(", "))
            }
        }
        None => String::new(),
    };
    let said = if text.starts_with("unknown field") {
        format!("onbekend veld '{}'{}", quoted(text), choices(text))
    } else if text.starts_with("missing field") {
        format!("het veld '{}' ontbreekt", quoted(text))
    } else if text.starts_with("duplicate field") {
        format!("het veld '{}' staat er twee keer", quoted(text))
    } else if text.starts_with("unknown variant") {
        format!("onbekende waarde '{}'{}", quoted(text), choices(text))
    } else if let Some(rest) = text
        .strip_prefix("invalid type: ")
        .or_else(|| text.strip_prefix("invalid value: "))
    {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let got = got
            .replace('`', "")
            .replace("integer ", "")
            .replace("floating point ", "")
            .replace("string ", "tekst ")
            .replace("boolean ", "");
        // serde writes a float in full: 1e300 as 301 digits. A number that long is given
        // as the file can write it.
        let got = match got.parse::<f64>() {
            Ok(v) if got.len() > 20 => format!("{v:e}"),
            _ => got,
        };
        format!(
            "een waarde heeft het verkeerde soort ({}; verwacht: {})",
            match got.as_str() {
                "sequence" => "een lijst",
                "map" => "een tabel",
                g => g,
            },
            expected_nl(expected)
        )
    } else if let Some(rest) = text.strip_prefix("invalid length ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let got = got.parse::<u64>().map_or(format!("{got} elementen"), |n| {
            counted(n, "element", "elementen")
        });
        // serde's "an array of length 2", "struct X with 8 elements" (a list where an object
        // was asked), in Dutch.
        let expected = match expected.strip_prefix("an array of length ") {
            Some(n) => format!("{n} elementen"),
            None if expected.starts_with("struct") => {
                "een object {…} met sleutels, geen lijst".into()
            }
            None => expected_nl(expected),
        };
        format!("een lijst heeft {got}; verwacht: {expected}")
    } else {
        return None;
    };
    Some(said)
}

/// The names serde writes between backticks, in order: "one of `a`, `b`" = ["a", "b"].
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// serde's wording of an expected type, in Dutch; a wording not listed here is quoted as
/// serde gives it.
fn expected_nl(expected: &str) -> String {
    match expected {
        "u64" | "usize" | "u32" | "u16" | "u8" => "een geheel getal dat niet negatief is".into(),
        "i64" | "i32" | "i16" | "i8" => "een geheel getal".into(),
        "f64" | "f32" => "een getal".into(),
        "a string" | "string" => "tekst".into(),
        "a boolean" | "bool" => "true of false".into(),
        e if e.starts_with("a sequence") => "een lijst".into(),
        e if e.starts_with("struct") || e.starts_with("a map") || e.starts_with("a table") => {
            "een object {…}".into()
        }
        e if e.starts_with("one of") || e.starts_with("variant") || e.starts_with('`') => {
            let names = backticked(e);
            if names.is_empty() {
                "een van de toegestane waarden".into()
            } else {
                format!("een van: {}", names.join(", "))
            }
        }
        e => format!("\"{e}\" (zoals serde het noemt)"),
    }
}

/// The Dutch text of a TOML error (no position; [`toml_error`] adds it): serde's templates via
/// [`serde_message`], any other text (a syntax error, a message of wijkbalans' own reader)
/// quoted as the toml crate gives it.
///
/// Example: "unknown field `foo`, expected `path`" = "onbekend veld 'foo'; kies een van: path";
/// the syntax error "invalid basic string, expected `\"`" = "dit is geen geldige TOML (toml
/// meldt: \"invalid basic string, expected `\"`\")".
pub fn toml_message(e: &toml::de::Error) -> String {
    let text = e.message().trim_end();
    serde_message(text).unwrap_or_else(|| {
        if OWN_LEADS.iter().any(|lead| text.starts_with(lead)) {
            text.to_string()
        } else {
            format!(
                "dit is geen geldige TOML ({})",
                crate::error::quoted("toml", text)
            )
        }
    })
}

/// The leads of the Dutch messages of this crate's own `Deserialize` checks (the ring
/// requirements of `[access.rings]`, `access::RequirementError`; a scenario change's `at`),
/// which reach [`toml_message`] through toml and are shown as they are, not quoted as toml's.
pub const OWN_LEADS: [&str; 2] = ["ongeldige eis: ", "ongeldige plek: "];

/// A TOML error with its place in `text`: "regel L, kolom C: …" ([`toml_message`]). Where
/// the value as written looks like thousands separators ([`looks_grouped`]: `places = 1.000`,
/// which TOML reads as 1.0), the message quotes it and gives both readings, as the command
/// line does.
///
/// Example: `repair_geometrie = true` on line 2 of a configuration gives "regel 2, kolom 1:
/// onbekend veld 'repair_geometrie'; kies een van: crs, seed, …"; `places = 1.000` where a
/// whole number is asked gives "… (1.0; verwacht: een geheel getal); '1.000' is dubbelzinnig:
/// 1 als het scheidingsteken een decimaalteken is, of 1000 als het duizendtallen scheidt".
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
    format!("regel {line}, kolom {column}: {}", toml_message_in(text, e))
}

/// [`toml_message`] of an error in `text`, with both readings of the value as written when it
/// looks like thousands separators (see [`toml_error`]).
pub fn toml_message_in(text: &str, e: &toml::de::Error) -> String {
    let written = e
        .span()
        .and_then(|s| text.get(s))
        .map(str::trim)
        .filter(|w| looks_grouped(w));
    match written {
        Some(w) => format!(
            "{}; '{w}' is dubbelzinnig: {}",
            toml_message(e),
            grouped_readings(w)
        ),
        None => toml_message(e),
    }
}

/// The 1-based line and column (counted in characters) of byte offset `at` in `text`.
///
/// Example: `line_col("a = 1\nb = 2", 6)` = (2, 1).
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_number_text() {
        for t in ["4.020", "1.234.567", "12,345", "-1.000", "203.500"] {
            assert!(looks_grouped(t), "{t}");
        }
        for t in [
            "4.02",
            "0.050",
            "4020",
            "203500.125",
            "1.234,5",
            "1.2345",
            ".500",
            "1.",
            "a.bcd",
        ] {
            assert!(!looks_grouped(t), "{t}");
        }
    }

    #[test]
    fn both_readings_of_grouped_text_are_written_the_dutch_way() {
        let decimal = |t: &str| {
            let r = grouped_readings(t);
            r[..r.find(" als").unwrap()].to_string()
        };
        assert_eq!(decimal("6.395"), "6,395");
        assert_eq!(decimal("1.500"), "1,5");
        assert_eq!(decimal("5.000"), "5");
        // The zeros of the integer part stay: 10.000 is ten, not one.
        assert_eq!(decimal("10.000"), "10");
        assert_eq!(decimal("-2,500"), "−2,5");
        assert!(grouped_readings("10.000").ends_with("of 10000 als het duizendtallen scheidt"));
    }

    #[test]
    fn one_thing_or_more() {
        assert_eq!(counted(1, "doel", "doelen"), "1 doel");
        assert_eq!(counted(0, "doel", "doelen"), "0 doelen");
        assert_eq!(counted(2000, "plaats", "plaatsen"), "2.000 plaatsen");
        assert_eq!(places(24.0), "24");
        assert_eq!(places(2.5), "2,50");
        assert_eq!(places(1200.0), "1.200");
    }

    #[test]
    fn human_and_machine_styles() {
        assert_eq!(number(130665.0, 0, Audience::Human), "130.665");
        assert_eq!(number(130665.0, 0, Audience::Machine), "130665");
        assert_eq!(number(0.583, 2, Audience::Human), "0,58");
        assert_eq!(number(0.583, 2, Audience::Machine), "0.58");
        assert_eq!(number(-0.481, 2, Audience::Human), "−0,48");
        assert_eq!(number(-0.001, 2, Audience::Human), "0,00");
        assert_eq!(number(-0.001, 2, Audience::Machine), "0.00");
        assert_eq!(number(999.5, 1, Audience::Human), "999,5");
        assert_eq!(number(1000.0, 1, Audience::Human), "1.000,0");
        assert_eq!(number(1234567.891, 2, Audience::Human), "1.234.567,89");
        assert_eq!(number(f64::NAN, 2, Audience::Human), "onbekend");
        assert_eq!(number(f64::INFINITY, 2, Audience::Machine), "");
        assert_eq!(plain_nl(204100.5, 1), "204100,5");
        assert_eq!(count(38111), "38.111");
        assert_eq!(marked(-1234.5, 1, Some(','), '.', '−', "—"), "−1,234.5");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Section {
        seed: u64,
        weights: Kind,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Queen,
        Rook,
    }

    fn toml_of(text: &str) -> String {
        toml_error(text, &toml::from_str::<Section>(text).unwrap_err())
    }

    #[test]
    fn toml_errors_are_dutch_with_their_place() {
        assert_eq!(
            toml_of("seed = 1\nweights = \"queen\"\nfoo = 1\n"),
            "regel 3, kolom 1: onbekend veld 'foo'; kies een van: seed, weights"
        );
        assert_eq!(
            toml_of("seed = \"twintig\"\nweights = \"rook\"\n"),
            "regel 1, kolom 8: een waarde heeft het verkeerde soort (tekst \"twintig\"; \
             verwacht: een geheel getal dat niet negatief is)"
        );
        assert_eq!(
            toml_of("seed = 1\nweights = \"hexagon\"\n"),
            "regel 2, kolom 11: onbekende waarde 'hexagon'; kies een van: queen, rook"
        );
        assert_eq!(
            toml_of("seed = 1\n"),
            "regel 1, kolom 1: het veld 'weights' ontbreekt"
        );
        let syntax = toml_of("seed = \"1\n");
        assert!(
            syntax.starts_with(
                "regel 1, kolom 10: dit is geen geldige TOML (toml meldt: \"invalid basic"
            ),
            "{syntax}"
        );
    }

    #[test]
    fn serde_text_outside_its_templates_is_not_guessed() {
        assert_eq!(serde_message("expected `]`"), None);
        assert_eq!(
            serde_message("invalid value: integer `-5`, expected u64").as_deref(),
            Some("een waarde heeft het verkeerde soort (-5; verwacht: een geheel getal dat niet negatief is)")
        );
        assert_eq!(line_col("a = 1\nb = 2", 6), (2, 1));
        // A float serde writes in full (places = 1e300) is given as the file can write it.
        let huge = format!(
            "invalid type: floating point `1{}.0`, expected i64",
            "0".repeat(300)
        );
        assert_eq!(
            serde_message(&huge).as_deref(),
            Some("een waarde heeft het verkeerde soort (1e300; verwacht: een geheel getal)")
        );
    }

    #[test]
    fn a_list_of_the_wrong_length_is_said_in_dutch() {
        assert_eq!(
            serde_message("invalid length 1, expected an array of length 2").as_deref(),
            Some("een lijst heeft 1 element; verwacht: 2 elementen")
        );
        assert_eq!(
            serde_message("invalid length 3, expected struct TestSiteRequest with 8 elements")
                .as_deref(),
            Some("een lijst heeft 3 elementen; verwacht: een object {…} met sleutels, geen lijst")
        );
    }

    #[test]
    fn csv_cells_are_never_grouped() {
        let n = serde_json::Number::from_f64(6729.728576).unwrap();
        assert_eq!(csv_number(&n, Audience::Human), "6729,728576");
        assert_eq!(csv_number(&n, Audience::Machine), "6729.728576");
        assert_eq!(Audience::Human.csv_separator(), b';');
        assert_eq!(Audience::Machine.csv_separator(), b',');
        assert_eq!(Audience::Human.decimal_mark(), ',');
    }
}
