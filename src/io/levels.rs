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
use crate::error::{quoted, InputError};

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
    "facilities",
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
            "de naam van het niveau (de kopregel van de tweede kolom) '{}' bevat geen letter of cijfer",
            header.escape_debug()
        ));
    }
    if RESERVED.contains(&name.as_str()) {
        return Err(format!(
            "de naam van het niveau '{name}' is de naam van een ingebouwde uitvoer of een ingebouwd niveau ({}); het bestand of de kolom {name}_code ervan zou die van wijkbalans vervangen",
            RESERVED.join(", ")
        ));
    }
    Ok(name)
}

/// The separator of a mapping's columns, from its header line outside quotes: `,` when the
/// line has one; else `;` when it has one (Excel's CSV in a Dutch locale, where the comma is
/// the decimal mark); else a tab when it has one; else `,`.
///
/// Example: `wijkcode;gebied` → `;`; `wijkcode,gebied` → `,`; `wijkcode\tgebied` → tab;
/// `code;"naam, lang"` → `;`.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut quoted = false;
    let mut seen = [false; 3];
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => seen[0] = true,
            b';' if !quoted => seen[1] = true,
            b'\t' if !quoted => seen[2] = true,
            _ => {}
        }
    }
    match seen {
        [false, true, _] => b';',
        [false, false, true] => b'\t',
        _ => b',',
    }
}

/// Read a mapping: (level name, area code → level code). The columns are separated by `,`, or
/// by `;` or a tab as the header line shows (docs/CONFIG.md, levels). The file
/// is read whole with a size limit ([`TEXT_LIMIT`]); the level name is made safe
/// ([`level_name`]); codes and values have invisible characters and surrounding space removed
/// ([`crate::io::model::clean_text`]).
/// Codes are matched to areas without case, so `wk001400` maps the area `WK001400`; two rows
/// for one code so compared are an error.
pub fn read(path: &Path) -> Result<(String, BTreeMap<String, String>), InputError> {
    let fix = "geef een CSV met een kopregel zoals wijkcode,gebied en één rij per gebied";
    let bytes = read_bounded(path, TEXT_LIMIT).map_err(|e| {
        InputError::file(
            path,
            format!("de koppeltabel kan niet worden gelezen ({e})"),
            fix,
        )
    })?;
    // Text that is not UTF-8 (a table saved by Excel in Windows-1252) is named with its row and
    // the byte, as in the layers, before the CSV reader gets it.
    if let Err(e) = std::str::from_utf8(&bytes) {
        let at = e.valid_up_to();
        let row = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let start = bytes[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        return Err(InputError::file(
            path,
            format!(
                "regel {row}: {}",
                crate::io::read::not_utf8(&bytes[start..], at - start)
            ),
            "sla de tabel op met codering UTF-8 (Excel: Opslaan als, 'CSV UTF-8 (door \
             lijstscheidingsteken gescheiden)')",
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(delimiter(&bytes))
        .from_reader(bytes.as_slice());
    let headers = rdr
        .headers()
        .map_err(|e| {
            InputError::file(
                path,
                format!(
                    "de kopregel kan niet worden gelezen ({})",
                    quoted("de CSV-lezer", &e)
                ),
                fix,
            )
        })?
        .clone();
    if headers.len() < 2 || headers[1].is_empty() {
        return Err(InputError::file(
            path,
            format!(
                "de kopregel heeft {}; er zijn er twee nodig",
                crate::format::counted(headers.len() as u64, "kolom", "kolommen")
            ),
            fix,
        ));
    }
    if headers.len() > 2 {
        let names: Vec<&str> = headers.iter().collect();
        return Err(InputError::file(
            path,
            format!(
                "de kopregel heeft {} ({}); een koppeltabel heeft er twee, de code van de wijk \
                 en die van het niveau, en een derde zou zonder een woord worden overgeslagen",
                crate::format::counted(headers.len() as u64, "kolom", "kolommen"),
                names.join(", ")
            ),
            "laat de andere kolommen weg, en geef een tweede niveau (bijvoorbeeld stadsdeel) \
             een eigen bestand met nog een --level",
        ));
    }
    let level = level_name(&headers[1]).map_err(|problem| {
        InputError::file(
            path,
            problem,
            "geef het niveau in de kopregel van de tweede kolom een naam met letters, cijfers of _ (bijvoorbeeld gebied, stadsdeel)",
        )
    })?;
    let mut map = BTreeMap::new();
    let mut lower = BTreeMap::new();
    // The level's own codes (the second column), first spelling and row: `Oude Wijken` and
    // `OUDE WIJKEN` would be two gebieden, each with part of the areas.
    let mut spellings: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| {
            InputError::file(
                path,
                format!("rij {row}: {}", quoted("de CSV-lezer", &e)),
                fix,
            )
        })?;
        // Codes are compared without case and invisible characters, as the areas' codes.
        let code = crate::io::model::clean_text(&rec[0]);
        let value = crate::io::model::clean_text(&rec[1]);
        if let Some(first) = lower.insert(code.to_lowercase(), code.clone()) {
            if first != code {
                return Err(InputError::file(
                    path,
                    format!("rij {row}: {code} en {first} verschillen alleen in hoofdletters of onzichtbare tekens, dus ze zijn één gebied dat twee keer is gekoppeld"),
                    "koppel elk gebied één keer",
                ));
            }
        }
        if code.is_empty() || value.is_empty() {
            return Err(InputError::file(
                path,
                format!("rij {row} heeft een lege cel"),
                fix,
            ));
        }
        let (first, at) = spellings
            .entry(value.to_lowercase())
            .or_insert_with(|| (value.clone(), row));
        if *first != value {
            return Err(InputError::file(
                path,
                format!(
                    "rij {row}: {value} en {first} (rij {at}) verschillen alleen in hoofdletters, \
                     en zouden twee gebieden worden met elk een deel van de wijken"
                ),
                "schrijf de code van een gebied overal hetzelfde",
            ));
        }
        if let Some(prev) = map.insert(code.clone(), value) {
            return Err(InputError::file(
                path,
                format!("rij {row}: {code} is twee keer gekoppeld (eerst aan {prev})"),
                "koppel elk gebied één keer",
            ));
        }
    }
    if map.is_empty() {
        return Err(InputError::file(
            path,
            format!(
                "de koppeltabel heeft alleen een kopregel: geen enkele wijk is aan een {level} \
                 gekoppeld, dus de laag {level} zou leeg zijn"
            ),
            format!("zet onder de kopregel één rij per wijk (wijkcode,{level})"),
        ));
    }
    Ok((level, map))
}

/// What a level mapping leaves out or names in vain, as a warning (docs/CONFIG.md, "Levels"):
/// the areas it gives no level code (they stay out of the level's layer) and the codes it maps
/// that match no area and no area's wijk (a typo, or a mapping of another vintage or another
/// municipality). `None` when it covers every area and every code it names is used.
///
/// Example: a mapping of WK01 and WK09 against the areas WK01, WK02 and WK03 gives "dekt 1 van
/// de 3 gebieden (zonder gebied: WK02, WK03); …; 1 code(s) in de indeling horen bij geen gebied
/// en bij de wijk van geen gebied (WK09)" (the warning is for the planner, in Dutch).
///
/// A mapping that covers none of the areas (one of another municipality, or with the codes in
/// the wrong column) is an error: the level's layer would be empty.
pub fn coverage(
    path: &Path,
    level: &str,
    map: &BTreeMap<String, String>,
    areas: &[crate::model::Area],
) -> Result<Option<String>, InputError> {
    let key = |c: &str| c.to_lowercase();
    let lower: BTreeMap<String, &str> = map.keys().map(|k| (key(k), k.as_str())).collect();
    let mut used = std::collections::BTreeSet::new();
    let mut without = Vec::new();
    for a in areas {
        let wijk = a.parents.get("wijk").map(|w| key(w));
        let hit = [Some(key(&a.code)), wijk]
            .into_iter()
            .flatten()
            .find_map(|k| lower.get(&k).copied());
        match hit {
            Some(k) => {
                used.insert(k);
            }
            None => without.push(a.code.as_str()),
        }
    }
    let unused: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !used.contains(k))
        .collect();
    if without.is_empty() && unused.is_empty() {
        return Ok(None);
    }
    if used.is_empty() && !areas.is_empty() {
        let first: Vec<&str> = map.keys().take(3).map(String::as_str).collect();
        let area: Vec<&str> = areas.iter().take(3).map(|a| a.code.as_str()).collect();
        return Err(InputError::file(
            path,
            format!(
                "geen van de {} codes in de koppeltabel ({}, …) hoort bij een gebied van --areas \
                 of bij de wijk van een gebied (zoals {}), dus de laag {level} zou leeg zijn",
                map.len(),
                first.join(", "),
                area.join(", ")
            ),
            "geef de koppeltabel van deze gemeente en dit jaar, met de wijkcodes in de eerste kolom",
        ));
    }
    let examples = |codes: &[&str]| {
        let shown: Vec<&str> = codes.iter().take(5).copied().collect();
        format!(
            "{}{}",
            shown.join(", "),
            if codes.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        )
    };
    let mut parts = Vec::new();
    if !without.is_empty() {
        parts.push(format!(
            "dekt {} van de {} gebieden (zonder {level}: {}); die blijven buiten de laag {level}",
            areas.len() - without.len(),
            areas.len(),
            examples(&without)
        ));
    }
    if !unused.is_empty() {
        parts.push(format!(
            "{} code(s) in de indeling horen bij geen gebied en bij de wijk van geen gebied ({})",
            unused.len(),
            examples(&unused)
        ));
    }
    Ok(Some(format!(
        "{}: de indeling naar {level} {}; controleer of die bij deze gebieden hoort",
        path.display(),
        parts.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str) -> crate::model::Area {
        crate::model::Area {
            code: code.into(),
            name: code.into(),
            geometry: geo::MultiPolygon(vec![]),
            values: BTreeMap::new(),
            parents: BTreeMap::new(),
            feature_index: 0,
        }
    }

    #[test]
    fn coverage_counts_areas_left_out_and_codes_named_in_vain() {
        let areas = [area("WK01"), area("WK02"), area("WK03")];
        let mapping = |rows: &[(&str, &str)]| -> BTreeMap<String, String> {
            rows.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let map = mapping(&[("wk01", "A"), ("WK09", "B")]);
        let w = coverage(Path::new("g.csv"), "gebied", &map, &areas)
            .unwrap()
            .unwrap();
        assert_eq!(
            w,
            "g.csv: de indeling naar gebied dekt 1 van de 3 gebieden (zonder gebied: WK02, WK03); \
             die blijven buiten de laag gebied; 1 code(s) in de indeling horen bij geen gebied en \
             bij de wijk van geen gebied (WK09); controleer of die bij deze gebieden hoort"
        );
        let full = mapping(&[("WK01", "A"), ("WK02", "A"), ("WK03", "A")]);
        assert_eq!(
            coverage(Path::new("g.csv"), "gebied", &full, &areas).unwrap(),
            None
        );
        // A mapping of another municipality covers none: the level's layer would be empty.
        let other = mapping(&[("WK07", "A"), ("WK09", "B")]);
        let e = coverage(Path::new("g.csv"), "gebied", &other, &areas)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(
                "geen van de 2 codes in de koppeltabel (WK07, WK09, …) hoort bij een gebied"
            ) && e.contains("de laag gebied zou leeg zijn"),
            "{e}"
        );
    }

    #[test]
    fn a_dutch_excel_csv_reads_as_a_comma_separated_one() {
        let dir = tempfile::tempdir().unwrap();
        let comma = dir.path().join("komma.csv");
        std::fs::write(&comma, "wijkcode,gebied\nWK001400,Centrum\n").unwrap();
        let excel = dir.path().join("excel.csv");
        std::fs::write(&excel, "\u{feff}wijkcode;gebied\r\nWK001400;Centrum\r\n").unwrap();
        let tab = dir.path().join("tab.csv");
        std::fs::write(&tab, "wijkcode\tgebied\nWK001400\tCentrum\n").unwrap();
        let expected = read(&comma).unwrap();
        assert_eq!(expected.0, "gebied");
        assert_eq!(read(&excel).unwrap(), expected);
        assert_eq!(read(&tab).unwrap(), expected);
        assert_eq!(
            delimiter(b"code;\"naam, lang\"\n"),
            b';',
            "a quoted comma is text"
        );
        assert_eq!(delimiter(b"code,naam;lang\n"), b',', "a comma decides");
    }

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
            .contains("geen letter of cijfer"));
        for reserved in ["lisa", "Areas", "gemeente", " sites "] {
            let e = level_name(reserved).unwrap_err();
            assert!(
                e.contains("ingebouwde uitvoer of een ingebouwd niveau"),
                "{e}"
            );
        }
    }
}
