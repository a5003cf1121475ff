//! User-defined area levels from a CSV mapping, e.g. Groningen's gebieden:
//!
//! ```text
//! wijkcode,gebied
//! WK001400,Centrum
//! WK001401,Oude Wijken
//! ```
//! The first column holds an area code (or the wijk code of a buurt); the second column's
//! header names the level and its values are the level codes.
//!
//! The level name becomes a file name (`gebied.geojson`) and a column (`gebied_code`), so it
//! is made a safe file stem ([`level_name`]) and refused when it is the name of a built-in
//! output or level ([`RESERVED`]).

use std::collections::BTreeMap;
use std::path::Path;

use crate::bounded::{read_bounded, TEXT_LIMIT};
use crate::error::InputError;

/// Names a user level cannot have: the stems of the files every command writes, and the
/// levels and code columns wijkbalans makes itself (`wijk_code`, `gemeente_code`,
/// `area_code`).
pub const RESERVED: &[&str] = &[
    "allocation",
    "area",
    "areas",
    "buurt",
    "code",
    "compare",
    "compare_areas",
    "gemeente",
    "lisa",
    "monitor",
    "monitor_areas",
    "monitor_pace",
    "report",
    "report_opgave",
    "report_opgave_wijken",
    "report_wijken",
    "run",
    "scenario",
    "scenario_areas",
    "sites",
    "suggestions",
    "suitability",
    "summary",
    "wijk",
    "wijkbalans",
];

/// The level name a header gives, as a safe file stem: lower case; every character that is
/// not a letter, a digit, `-` or `_` (a slash, a dot, a space, a control or invisible
/// character) becomes `_`, runs of `_` become one, and `_`/`-` are trimmed from both ends.
/// `Err` says why the header cannot name a level: nothing is left, or the name is
/// [`RESERVED`].
///
/// Example: `"/../../tmp/x"` → `"tmp_x"`; `"Gebied"` → `"gebied"`; `"LISA"` → refused.
pub fn level_name(header: &str) -> Result<String, String> {
    let mut name = String::new();
    for c in header.chars().flat_map(char::to_lowercase) {
        let c = if c.is_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '_'
        };
        if !(c == '_' && name.ends_with('_')) {
            name.push(c);
        }
    }
    let name = name.trim_matches(['_', '-']).to_string();
    if name.is_empty() {
        return Err(format!(
            "the level name (the second column's header) '{}' holds no letter or digit",
            header.escape_debug()
        ));
    }
    if RESERVED.contains(&name.as_str()) {
        return Err(format!(
            "the level name '{name}' is the name of a built-in output or level ({}); its file or its {name}_code column would replace wijkbalans' own",
            RESERVED.join(", ")
        ));
    }
    Ok(name)
}

/// Read a mapping: (level name, area code → level code). The file is read whole with a size
/// limit ([`TEXT_LIMIT`]); the level name is made safe ([`level_name`]).
pub fn read(path: &Path) -> Result<(String, BTreeMap<String, String>), InputError> {
    let fix = "give a CSV with a header such as wijkcode,gebied and one row per area";
    let bytes = read_bounded(path, TEXT_LIMIT)
        .map_err(|e| InputError::file(path, format!("cannot read the mapping ({e})"), fix))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
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
    let level = level_name(&headers[1]).map_err(|problem| {
        InputError::file(
            path,
            problem,
            "name the level in the second column's header with letters, digits or _ (e.g. gebied, stadsdeel)",
        )
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names_become_safe_stems_or_are_refused() {
        assert_eq!(level_name("/../../../../tmp/x").unwrap(), "tmp_x");
        assert_eq!(level_name("Gebied").unwrap(), "gebied");
        assert_eq!(
            level_name("stads deel\u{200b}\u{1b}[31m").unwrap(),
            "stads_deel_31m"
        );
        assert!(level_name("../..")
            .unwrap_err()
            .contains("no letter or digit"));
        for reserved in ["lisa", "Areas", "gemeente", " sites "] {
            let e = level_name(reserved).unwrap_err();
            assert!(e.contains("built-in output or level"), "{e}");
        }
    }
}
