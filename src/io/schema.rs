//! Column aliases: which source column carries which statistical concept.
//!
//! CBS renamed its *kerncijfers wijken en buurten* columns over the years. This table recognises
//! the old shapefile names (`AANT_INW`), the KWB short codes (`a_inw`), the PDOK/OGC names
//! (`aantal_inwoners`) and the English names of the shipped 2022 data (`population`), as listed
//! in docs/METHOD.md §2.1 and docs/CONFIG.md (Columns). Matching is case-insensitive; the first
//! alias present wins, and the output records which column was used. Users override any
//! concept in the config (`[columns] population = "inw_totaal"`).

use std::collections::BTreeMap;

/// How the values of a concept must be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Identifier or label text.
    Text,
    /// A count of persons, households or dwellings (≥ 0).
    Count,
    /// A percentage in [0, 100].
    Percent,
    /// Any other number (a mean, a rate, a density).
    Number,
}

/// One statistical concept with its known column names.
#[derive(Debug, Clone, Copy)]
pub struct Concept {
    /// Concept id used in indicator definitions and config, e.g. `pct_owner_occupied`.
    pub id: &'static str,
    /// What it means, with the CBS definition.
    pub meaning: &'static str,
    /// How to read it.
    pub kind: Kind,
    /// Known column names, most specific first.
    pub aliases: &'static [&'static str],
}

/// Every concept wijkbalans knows, with its aliases across CBS vintages.
pub const CONCEPTS: &[Concept] = &[
    Concept {
        id: "code",
        meaning: "area code (BUaaaabbcc, WKaaaabb, GMaaaa or a user code)",
        kind: Kind::Text,
        aliases: &[
            "code",
            "wijkcode",
            "buurtcode",
            "gemeentecode",
            "statcode",
            "gwb_code",
            "WK_CODE",
            "BU_CODE",
            "GM_CODE",
            "regio_code",
        ],
    },
    Concept {
        id: "name",
        meaning: "area name",
        kind: Kind::Text,
        aliases: &[
            "name",
            "wijknaam",
            "buurtnaam",
            "gemeentenaam",
            "statnaam",
            "WK_NAAM",
            "BU_NAAM",
            "GM_NAAM",
            "naam",
            "regio",
        ],
    },
    Concept {
        id: "population",
        meaning: "inhabitants on 1 January (a_inw)",
        kind: Kind::Count,
        aliases: &[
            "population",
            "a_inw",
            "AANT_INW",
            "aantal_inwoners",
            "inwoners",
        ],
    },
    Concept {
        id: "households",
        meaning: "private households (a_hh)",
        kind: Kind::Count,
        aliases: &[
            "households",
            "a_hh",
            "AANTAL_HH",
            "aantal_huishoudens",
            "huishoudens",
        ],
    },
    Concept {
        id: "one_person_households",
        meaning: "one-person households, count (a_1p_hh)",
        kind: Kind::Count,
        aliases: &["a_1p_hh", "aantal_eenpersoonshuishoudens"],
    },
    Concept {
        id: "pct_one_person_households",
        meaning: "% one-person households (P_EENP_HH)",
        kind: Kind::Percent,
        aliases: &["P_EENP_HH", "percentage_eenpersoonshuishoudens", "p_1p_hh"],
    },
    Concept {
        id: "dwellings",
        meaning: "dwelling stock (a_woning)",
        kind: Kind::Count,
        aliases: &[
            "dwelling_total",
            "a_woning",
            "WONINGEN",
            "woningvoorraad",
            "dwellings",
        ],
    },
    Concept {
        id: "mean_woz",
        meaning: "mean WOZ value of dwellings, × €1,000 (g_wozbag)",
        kind: Kind::Number,
        aliases: &[
            "dwelling_value",
            "g_wozbag",
            "WOZ",
            "gemiddelde_woningwaarde",
        ],
    },
    Concept {
        id: "pct_owner_occupied",
        meaning: "% owner-occupied dwellings, koopwoningen (p_koopw)",
        kind: Kind::Percent,
        aliases: &[
            "dwelling_ownership",
            "p_koopw",
            "P_KOOPWON",
            "percentage_koopwoningen",
        ],
    },
    Concept {
        id: "pct_rented",
        meaning: "% rented dwellings (p_huurw)",
        kind: Kind::Percent,
        aliases: &["p_huurw", "P_HUURWON", "percentage_huurwoningen"],
    },
    Concept {
        id: "pct_corporation",
        meaning: "% dwellings owned by housing corporations (p_wcorpw)",
        kind: Kind::Percent,
        aliases: &[
            "p_wcorpw",
            "P_HUURCORP",
            "perc_huurwoningen_in_bezit_woningcorporaties",
        ],
    },
    Concept {
        id: "pct_low_income_hh",
        meaning: "% households with a low income, lowest 40 % (p_hh_li)",
        kind: Kind::Percent,
        aliases: &[
            "p_hh_li",
            "P_LINK_HH",
            "P_LAAGINKH",
            "percentage_huishoudens_met_een_laag_inkomen",
        ],
    },
    Concept {
        id: "pct_low_income_persons",
        meaning:
            "% persons in private households in the lowest 40 % of personal incomes (p_ink_li)",
        kind: Kind::Percent,
        aliases: &["income_low", "p_ink_li", "P_LAAGINKP"],
    },
    Concept {
        id: "pct_high_income_persons",
        meaning:
            "% persons in private households in the highest 20 % of personal incomes (p_ink_hi)",
        kind: Kind::Percent,
        aliases: &["income_high", "p_ink_hi", "P_HOOGINKP"],
    },
    Concept {
        id: "pct_social_minimum_hh",
        meaning: "% households under or around the social minimum (p_hh_osm)",
        kind: Kind::Percent,
        aliases: &[
            "p_hh_osm",
            "P_SOCMINH",
            "percentage_huishoudens_onder_of_rond_sociaal_minimum",
        ],
    },
    Concept {
        id: "bijstand",
        meaning: "persons with a general social-assistance benefit (a_soz_wb)",
        kind: Kind::Count,
        aliases: &[
            "a_soz_wb",
            "WWB_UITTOT",
            "A_BIJSTAND",
            "aantal_personen_met_een_alg_bijstandsuitkering_tot",
        ],
    },
    Concept {
        id: "ao_benefits",
        meaning: "persons with a disability (AO) benefit (a_soz_ao)",
        kind: Kind::Count,
        aliases: &[
            "a_soz_ao",
            "AO_UIT_TOT",
            "aantal_personen_met_een_ao_uitkering_totaal",
        ],
    },
    Concept {
        id: "wmo_per_1000",
        meaning: "Wmo clients per 1,000 inhabitants (p_wmo_t)",
        kind: Kind::Number,
        aliases: &["p_wmo_t"],
    },
    Concept {
        id: "labour_participation",
        meaning: "net labour participation, % of population 15–75 employed (p_arb_pp)",
        kind: Kind::Percent,
        aliases: &["employment_rate", "p_arb_pp", "nettoarbeidsparticipatie"],
    },
    Concept {
        id: "std_hh_income",
        meaning: "mean standardised household income, × €1,000 (g_hh_sti)",
        kind: Kind::Number,
        aliases: &["g_hh_sti"],
    },
    Concept {
        id: "pct_65plus",
        meaning: "% inhabitants aged 65 or older (P_65_EO_JR)",
        kind: Kind::Percent,
        aliases: &[
            "pop_65plus",
            "P_65_EO_JR",
            "percentage_personen_65_jaar_en_ouder",
            "65plus",
        ],
    },
    Concept {
        id: "pct_higher_education",
        meaning: "% of people 15–75 with an HBO or WO degree",
        kind: Kind::Percent,
        aliases: &["edu_appl_sci"],
    },
    Concept {
        id: "density",
        meaning: "inhabitants per km² of land (bev_dich)",
        kind: Kind::Number,
        aliases: &[
            "bev_dich",
            "BEV_DICHTH",
            "bevolkingsdichtheid_inwoners_per_km2",
            "bevolkingsdichtheid",
        ],
    },
    Concept {
        id: "urbanity",
        meaning: "urbanity class 1–5 by addresses per km² (ste_mvs)",
        kind: Kind::Text,
        aliases: &[
            "urbanity",
            "ste_mvs",
            "STED",
            "stedelijkheid_adressen_per_km2",
        ],
    },
];

/// Look up a concept by id.
pub fn concept(id: &str) -> Option<&'static Concept> {
    CONCEPTS.iter().find(|c| c.id == id)
}

/// The column each concept was read from, after aliases and overrides.
pub type ColumnMap = BTreeMap<&'static str, String>;

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
    let w = wanted.to_ascii_lowercase();
    let mut best: Option<(f64, &String)> = None;
    for f in fields {
        let l = f.to_ascii_lowercase();
        let mut score = strsim::normalized_levenshtein(&w, &l);
        if l.contains(&w) || w.contains(&l) {
            score = score.max(0.75);
        }
        if score >= 0.5 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, f));
        }
    }
    best.map(|(_, f)| f.clone())
}

/// The closest column to any alias of a concept, for messages about a missing required column.
pub fn closest_to_concept(concept_id: &str, fields: &[String]) -> Option<String> {
    let c = concept(concept_id)?;
    c.aliases.iter().find_map(|a| closest(a, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn recognises_three_vintages_of_the_population_column() {
        for name in ["AANT_INW", "a_inw", "aantal_inwoners", "population"] {
            let map = resolve(&fields(&["code", name]), &BTreeMap::new()).unwrap();
            assert_eq!(map["population"], name);
        }
    }

    #[test]
    fn matching_is_case_insensitive_and_keeps_the_file_spelling() {
        let map = resolve(&fields(&["WijkCode", "P_KOOPW"]), &BTreeMap::new()).unwrap();
        assert_eq!(map["code"], "WijkCode");
        assert_eq!(map["pct_owner_occupied"], "P_KOOPW");
    }

    #[test]
    fn shipped_2022_columns_map_to_the_domain_concepts() {
        let f = fields(&[
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
        let f = fields(&["code", "inw_totaal", "a_inw"]);
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
