//! Plain output tables and the number style of machine files.
//!
//! A [`Table`] is what every layer and CSV of a run is made of: named columns and rows of JSON
//! values, built by `report` and rendered to bytes by `io::write`. [`number`] decides how a
//! computed number appears in a machine file (GeoJSON, JSON, standard CSV): integral values as
//! integers, others rounded to [`DECIMALS`], never `-0`, never NaN. Nothing here reads or writes
//! a file.

use serde_json::Value;

use crate::format::Audience;

/// Decimals kept for computed numbers in every output (indicator values, z-scores, rates).
pub const DECIMALS: i32 = 6;

/// Round to `d` decimals.
pub fn round(v: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    let r = (v * f).round() / f;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}

/// A number as JSON: integral values as integers, others rounded to [`DECIMALS`]; non-finite
/// values become null (they never should occur; this keeps the file valid JSON).
pub fn number(v: f64) -> Value {
    if !v.is_finite() {
        return Value::Null;
    }
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        return Value::from(v as i64);
    }
    let r = round(v, DECIMALS);
    if r.fract() == 0.0 && r.abs() < 9.0e15 {
        Value::from(r as i64)
    } else {
        Value::from(r)
    }
}

/// An optional number as JSON (null when `None`).
pub fn opt_number(v: Option<f64>) -> Value {
    v.map_or(Value::Null, number)
}

/// A number for Dutch text: `decimals` decimals, a decimal comma, a dot between thousands and a
/// real minus sign, never `-0`; "onbekend" when not finite. For terminal, Markdown and HTML text,
/// never machine files: [`crate::format::number`] for [`Audience::Human`], which decides.
///
/// # Example
/// ```
/// use wijkbalans::table::nl;
/// assert_eq!(nl(-0.481, 2), "−0,48");
/// assert_eq!(nl(1.5, 1), "1,5");
/// assert_eq!(nl(-0.001, 2), "0,00");
/// assert_eq!(nl(1200.0, 0), "1.200");
/// ```
pub fn nl(v: f64, decimals: usize) -> String {
    crate::format::number(v, decimals, Audience::Human)
}

/// A table of named columns: one row per area or site, shared by GeoJSON and CSV.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names, in output order.
    pub columns: Vec<String>,
    /// Rows of values, aligned with the columns.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// A table with these column names and rows.
    ///
    /// Example: `Table::new(&["code", "saldo"], vec![vec!["WK01".into(), 0.5.into()]])` has
    /// two columns and one row.
    pub fn new(columns: &[&str], rows: Vec<Vec<Value>>) -> Table {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_and_integers_stay_integers() {
        assert_eq!(number(130665.0).to_string(), "130665");
        assert_eq!(number(0.1234567891).to_string(), "0.123457");
        assert_eq!(number(-0.0000001).to_string(), "0");
        assert_eq!(number(f64::NAN), Value::Null);
    }
}
