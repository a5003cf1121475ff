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

/// `n` and the Dutch noun for that many: `one` for exactly 1, else `more`; the number as
/// written, without thousands grouping.
///
/// Example: `counted(1, "doel", "doelen")` = "1 doel"; `counted(0, "doel", "doelen")` =
/// "0 doelen".
pub fn counted(n: u64, one: &str, more: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { more })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thing_or_more() {
        assert_eq!(counted(1, "doel", "doelen"), "1 doel");
        assert_eq!(counted(0, "doel", "doelen"), "0 doelen");
        assert_eq!(counted(2000, "plaats", "plaatsen"), "2000 plaatsen");
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
