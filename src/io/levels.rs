//! User-defined area levels from a CSV mapping, e.g. Groningen's gebieden:
//!
//! ```text
//! wijkcode,gebied
//! WK001400,Centrum
//! WK001401,Oude Wijken
//! ```
//! The first column holds an area code (or the wijk code of a buurt); the second column's
//! header names the level and its values are the level codes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::InputError;

/// Read a mapping: (level name, area code → level code).
pub fn read(path: &Path) -> Result<(String, BTreeMap<String, String>), InputError> {
    let fix = "give a CSV with a header such as wijkcode,gebied and one row per area";
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| InputError::file(path, format!("cannot read the mapping ({e})"), fix))?;
    let headers = rdr
        .headers()
        .map_err(|e| InputError::file(path, format!("cannot read the header ({e})"), fix))?
        .clone();
    if headers.len() < 2 || headers[1].is_empty() {
        return Err(InputError::file(
            path,
            format!("the header has {} column(s); need two", headers.len()),
            fix,
        ));
    }
    let level = headers[1].to_string();
    let mut map = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| InputError::file(path, format!("row {row}: {e}"), fix))?;
        let (code, value) = (rec[0].to_string(), rec[1].to_string());
        if code.is_empty() || value.is_empty() {
            return Err(InputError::file(
                path,
                format!("row {row} has an empty cell"),
                fix,
            ));
        }
        if let Some(prev) = map.insert(code.clone(), value) {
            return Err(InputError::file(
                path,
                format!("row {row}: {code} is mapped twice (first to {prev})"),
                "map every area once",
            ));
        }
    }
    Ok((level, map))
}
