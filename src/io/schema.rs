//! Column aliases: which source column carries which statistical concept.
//!
//! CBS renamed its *kerncijfers wijken en buurten* columns over the years. This table recognises
//! the old shapefile names (`AANT_INW`), the KWB short codes (`a_inw`), the PDOK/OGC names
//! (`aantal_inwoners`) and the English names of the shipped 2022 data (`population`), as listed
//! in docs/METHOD.md §2.1 and docs/CONFIG.md (Columns). Matching is case-insensitive; the first
//! alias present wins, and the output records which column was used. Users override any
//! concept in the config (`[columns] population = "inw_totaal"`).

use std::collections::BTreeMap;

use crate::model::closest_above;
use crate::model::concepts::{concept, CONCEPTS};
use crate::model::ColumnMap;

/// Error from resolving a user-mapped column.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownColumn {
    /// The concept the user mapped.
    pub concept: String,
    /// The column name the user gave.
    pub column: String,
    /// The closest existing column, if any is close.
    pub suggestion: Option<String>,
}

/// Resolve every known concept against the fields of a layer.
///
/// `overrides` maps concept ids to column names from the config; an override naming a column
/// the layer does not have is an error (the user asked for something specific). A concept
/// without an override takes the first of its aliases present in `fields` (case-insensitive),
/// or is absent.
pub fn resolve(
    fields: &[String],
    overrides: &BTreeMap<String, String>,
) -> Result<ColumnMap, UnknownColumn> {
    let find = |name: &str| {
        fields
            .iter()
            .find(|f| f.eq_ignore_ascii_case(name))
            .cloned()
    };
    let mut map = ColumnMap::new();
    for c in CONCEPTS {
        if let Some(col) = overrides.get(c.id) {
            match find(col) {
                Some(f) => {
                    map.insert(c.id, f);
                }
                None => {
                    return Err(UnknownColumn {
                        concept: c.id.to_string(),
                        column: col.clone(),
                        suggestion: closest(col, fields),
                    })
                }
            }
        } else if let Some(f) = c.aliases.iter().find_map(|a| find(a)) {
            map.insert(c.id, f);
        }
    }
    Ok(map)
}

/// The existing column closest to `wanted` (normalised Levenshtein similarity ≥ 0.5, or a
/// case-insensitive substring match), for "did you mean" suggestions.
pub fn closest(wanted: &str, fields: &[String]) -> Option<String> {
    closest_above(wanted, fields, 0.5).map(str::to_string)
}

/// The closest column to any alias of a concept, for messages about a missing required column.
pub fn closest_to_concept(concept_id: &str, fields: &[String]) -> Option<String> {
    let c = concept(concept_id)?;
    c.aliases.iter().find_map(|a| closest(a, fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    #[test]
    fn recognises_three_vintages_of_the_population_column() {
        for name in ["AANT_INW", "a_inw", "aantal_inwoners", "population"] {
            let map = resolve(&strings(&["code", name]), &BTreeMap::new()).unwrap();
            assert_eq!(map["population"], name);
        }
    }

    #[test]
    fn matching_is_case_insensitive_and_keeps_the_file_spelling() {
        let map = resolve(&strings(&["WijkCode", "P_KOOPW"]), &BTreeMap::new()).unwrap();
        assert_eq!(map["code"], "WijkCode");
        assert_eq!(map["pct_owner_occupied"], "P_KOOPW");
    }

    #[test]
    fn shipped_2022_columns_map_to_the_domain_concepts() {
        let f = strings(&[
            "code",
            "name",
            "population",
            "pop_65plus",
            "dwelling_total",
            "dwelling_value",
            "dwelling_ownership",
            "employment_rate",
            "income_low",
            "income_high",
        ]);
        let map = resolve(&f, &BTreeMap::new()).unwrap();
        assert_eq!(map["dwellings"], "dwelling_total");
        assert_eq!(map["mean_woz"], "dwelling_value");
        assert_eq!(map["pct_low_income_persons"], "income_low");
        assert!(!map.contains_key("pct_low_income_hh"));
        assert!(!map.contains_key("pct_corporation"));
    }

    #[test]
    fn an_override_wins_and_a_bad_override_suggests_the_closest_column() {
        let f = strings(&["code", "inw_totaal", "a_inw"]);
        let mut o = BTreeMap::new();
        o.insert("population".to_string(), "INW_TOTAAL".to_string());
        assert_eq!(resolve(&f, &o).unwrap()["population"], "inw_totaal");
        o.insert("population".to_string(), "inw_total".to_string());
        let err = resolve(&f, &o).unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("inw_totaal"));
    }

    #[test]
    fn every_concept_has_unique_aliases() {
        let mut seen = std::collections::BTreeSet::new();
        for c in CONCEPTS {
            for a in c.aliases {
                assert!(seen.insert(a.to_ascii_lowercase()), "alias {a} used twice");
            }
        }
    }
}
