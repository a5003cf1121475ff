//! Facility categories: the ids that rings, Geroscoop weights, floating catchments and output
//! columns use, each with a Dutch label and the `type` values of input files that mean it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// A facility category (e.g. `huisarts`), the types that map to it and its label.
///
/// Config form (TOML; the whole list replaces the default list):
/// ```toml
/// [[access.category]]
/// id = "ontmoetingsruimte"
/// label = "Ontmoetingsruimte / buurthuis"
/// aliases = ["buurthuis", "wijkcentrum", "ontmoetingspunt"]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityCategory {
    /// Id used in outputs (`nearest_<id>_m`), rings and weights; lower case, `_` for spaces.
    pub id: String,
    /// Dutch label for reports and messages.
    pub label: String,
    /// Other `type` values in input files that mean this category (compared after
    /// [`normalise_type`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// A `type` value as compared with category ids and aliases: trimmed, lower case, spaces and
/// hyphens as `_` (so `24-uurs Zorgsteunpunt` → `24_uurs_zorgsteunpunt`).
///
/// # Example
/// ```
/// use wijkbalans::access::normalise_type;
/// assert_eq!(normalise_type(" OV-halte "), "ov_halte");
/// ```
pub fn normalise_type(value: &str) -> String {
    value.trim().to_lowercase().replace([' ', '-'], "_")
}

/// A facility type id as words for people: `ov_halte` → "ov-halte" (as Dutch writes it),
/// any other `_` a space (`24_uurs_zorgsteunpunt` → "24 uurs zorgsteunpunt").
///
/// # Example
/// ```
/// use wijkbalans::access::kind_words;
/// assert_eq!(kind_words("ov_halte"), "ov-halte");
/// assert_eq!(kind_words("supermarkt"), "supermarkt");
/// ```
pub fn kind_words(kind: &str) -> String {
    if kind == "ov_halte" {
        return "ov-halte".into();
    }
    kind.replace('_', " ")
}

/// The default categories: the facility types of docs/METHOD.md §5.7 (the "triple A" core arts,
/// apotheek, supermarkt; ontmoetingsruimte, wijkteam and 24-uurs zorgsteunpunt of a
/// woonservicegebied; OV stops and stations) and the other Geroscoop types (fysiotherapeut,
/// warenhuis, horeca), with common Dutch and OpenStreetMap-style English names as aliases.
pub fn default_categories() -> Vec<FacilityCategory> {
    let c = |id: &str, label: &str, aliases: &[&str]| FacilityCategory {
        id: id.into(),
        label: label.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
    };
    vec![
        c(
            "supermarkt",
            "Supermarkt",
            &["supermarket", "grote_supermarkt", "buurtsupermarkt"],
        ),
        c(
            "huisarts",
            "Huisarts",
            &["huisartsenpraktijk", "gezondheidscentrum", "doctors", "gp"],
        ),
        c("apotheek", "Apotheek", &["pharmacy"]),
        c(
            "ontmoetingsruimte",
            "Ontmoetingsruimte / buurthuis",
            &[
                "buurthuis",
                "buurtcentrum",
                "wijkcentrum",
                "ontmoetingspunt",
                "community_centre",
            ],
        ),
        c(
            "wijkteam",
            "Wijkteam",
            &["sociaal_wijkteam", "wijkteam_zorg"],
        ),
        c(
            "zorgsteunpunt_24u",
            "24-uurs zorgsteunpunt",
            &[
                "24_uurs_zorgsteunpunt",
                "zorgsteunpunt",
                "steunpunt_24_uurszorg",
            ],
        ),
        c(
            "ov_halte",
            "OV-halte (bus, tram, metro)",
            &["bushalte", "tramhalte", "metrohalte", "halte", "bus_stop"],
        ),
        c(
            "ov_station",
            "Treinstation",
            &["station", "treinstation", "railway_station"],
        ),
        c(
            "fysiotherapeut",
            "Fysiotherapeut",
            &["fysiotherapie", "physiotherapist"],
        ),
        c("warenhuis", "Warenhuis", &["department_store"]),
        c("horeca", "Horeca", &["cafe", "restaurant"]),
    ]
}

/// The category id a `type` value maps to: the category whose id or one of whose aliases
/// equals the [`normalise_type`]d value; `None` when no category claims it.
///
/// # Example
/// ```
/// use wijkbalans::access::{category_of, default_categories};
/// let cats = default_categories();
/// assert_eq!(category_of(&cats, "Buurthuis"), Some("ontmoetingsruimte"));
/// assert_eq!(category_of(&cats, "kapper"), None);
/// ```
pub fn category_of<'c>(categories: &'c [FacilityCategory], value: &str) -> Option<&'c str> {
    let v = normalise_type(value);
    categories
        .iter()
        .find(|c| c.id == v || c.aliases.iter().any(|a| normalise_type(a) == v))
        .map(|c| c.id.as_str())
}

/// Checks a category list: ids lower case without spaces, no id or alias used twice.
pub fn validate_categories(categories: &[FacilityCategory]) -> Result<(), String> {
    if categories.is_empty() {
        return Err("access.category is leeg: geef ten minste één voorzieningscategorie".into());
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for c in categories {
        if c.id.is_empty() || c.id != normalise_type(&c.id) {
            return Err(format!(
                "de id '{}' van een voorzieningscategorie moet in kleine letters zijn, met _ in plaats van spaties (bijvoorbeeld '{}')",
                c.id,
                normalise_type(&c.id)
            ));
        }
        for name in std::iter::once(&c.id).chain(&c.aliases) {
            if !seen.insert(normalise_type(name)) {
                return Err(format!(
                    "het voorzieningstype '{name}' wordt in access.category twee keer gebruikt (het laatst \
                     door '{}'); elk type mag bij één categorie horen",
                    c.id
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_cover_the_ring_and_geroscoop_types() {
        let cats = default_categories();
        validate_categories(&cats).unwrap();
        let ids: Vec<&str> = cats.iter().map(|c| c.id.as_str()).collect();
        for r in crate::access::Rings::default()
            .groups
            .values()
            .flatten()
            .chain(&crate::access::Rings::default().default)
        {
            for k in &r.any_of {
                assert!(ids.contains(&k.as_str()), "ring type {k} has no category");
            }
        }
        for k in crate::access::default_geroscoop_weights().keys() {
            assert!(
                ids.contains(&k.as_str()),
                "Geroscoop type {k} has no category"
            );
        }
    }

    #[test]
    fn aliases_map_and_duplicates_are_refused() {
        let cats = default_categories();
        assert_eq!(
            category_of(&cats, "24-uurs zorgsteunpunt"),
            Some("zorgsteunpunt_24u")
        );
        assert_eq!(category_of(&cats, "SUPERMARKT"), Some("supermarkt"));
        assert_eq!(category_of(&cats, "bakker"), None);
        let mut dup = cats.clone();
        dup[1].aliases.push("Super Market".into());
        dup[0].aliases.push("super_market".into());
        let err = validate_categories(&dup).unwrap_err();
        assert!(err.contains("twee keer gebruikt"), "{err}");
        let mut bad = cats;
        bad[0].id = "Super markt".into();
        assert!(validate_categories(&bad)
            .unwrap_err()
            .contains("super_markt"));
    }
}
