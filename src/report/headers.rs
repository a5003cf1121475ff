//! Dutch column headers with units for the report's Excel table for people
//! (`report_wijken.csv`). The machine outputs (`areas.csv`, the GeoJSON, JSON) keep their
//! stable English keys; this table has the same columns in the same order, so a header here is
//! always the translation of the key at the same place (docs/OUTPUTS.md, "report").
//!
//! Example: `care_units_per_1000` → "Zorgeenheden per 1.000 inwoners";
//! `share_within_500m_huisarts` → "Aandeel woningen binnen 500 m van huisarts (0–1)";
//! `dk1_value` with DK1 "% koopwoningen" (unit %) → "DK1 % koopwoningen"; `c1_value` with
//! C1 "inwoners" (unit aantal) → "C1 inwoners (aantal)"; `dk1_z` → "DK1 % koopwoningen
//! (z-score)".

/// An indicator as a header shows it: lower-case id (`dk2`), label and unit ("%", "per 1.000
/// inwoners", …; empty when it has none).
#[derive(Debug, Clone)]
pub struct IndicatorHeader {
    /// Lower-case id, as in the column names (`dk2`).
    pub id: String,
    /// The indicator's label.
    pub label: String,
    /// Its unit as the report shows it ([`super::balance::unit_of`]).
    pub unit: String,
}

/// The Dutch header of a column of `report_wijken.csv`, or `None` when the key is not known
/// (the caller refuses to write an English header in a Dutch table: a test runs every column
/// of the Zwolle report through this). `levels` are the user levels of `--level` files, whose
/// `<level>_code` columns read `Code <level>` (`gebied_code` → "Code gebied").
pub fn dutch_header(
    key: &str,
    indicators: &[IndicatorHeader],
    levels: &[String],
) -> Option<String> {
    let fixed = match key {
        "code" => "Code",
        "name" => "Naam",
        "gemeente_code" => "Gemeentecode",
        "wijk_code" => "Wijkcode",
        "population" => "Inwoners (aantal)",
        "dwellings" => "Woningen (aantal)",
        "households" => "Huishoudens (aantal)",
        "dwelling_points" => "Woningen uit de woningenlaag (aantal)",
        "care_sites" => "Zorglocaties (aantal)",
        "care_units" => "Zorgeenheden (aantal)",
        "care_units_planned" => "Zorgeenheden gepland (aantal)",
        "regular_units" => "Reguliere woningen in gemengde projecten (aantal)",
        "care_units_per_1000" => "Zorgeenheden per 1.000 inwoners",
        "access_score" => "Bereikbaarheidsscore (0–1)",
        "geroscoop_m" => "Geroscoop-afstand (m)",
        "fair_share_ratio" => "Eerlijk aandeel: verhouding (1 = eerlijk)",
        "fair_share_gap" => "Eerlijk aandeel: verschil (zorgeenheden)",
        "local_moran_i" => "Lokale Moran's I zorgeenheden",
        "lisa_quadrant" => "LISA-kwadrant zorgeenheden",
        "lisa_p" => "LISA p-waarde zorgeenheden",
        "lisa_label" => "LISA-label zorgeenheden",
        "gi_star" => "Gi* zorgeenheden",
        "gi_star_z" => "Gi* z-score zorgeenheden",
        "gi_star_p" => "Gi* p-waarde zorgeenheden (permutaties)",
        "gi_star_p_norm" => "Gi* p-waarde zorgeenheden (analytisch, van de hotspotregel)",
        "saldo_local_moran_i" => "Lokale Moran's I saldo",
        "saldo_lisa_quadrant" => "LISA-kwadrant saldo",
        "saldo_lisa_p" => "LISA p-waarde saldo",
        "saldo_lisa_label" => "LISA-label saldo",
        "spreading_notes" => "Opmerkingen spreiding",
        "draagkracht" => "Draagkracht (z-score)",
        "draaglast" => "Draaglast (z-score)",
        "saldo" => "Saldo (z-score)",
        "saldo_uncapped" => "Saldo met de zorgeenheden niet afgekapt",
        "signal" => "Signaal",
        "typology" => "Typologie",
        "typology_label" => "Typologie (omschrijving)",
        "saldo_drivers" => "Grootste invloed op het saldo",
        "missing_indicators" => "Indicatoren zonder waarde",
        "small_population" => "Kleine bevolking (ja/nee)",
        "urbanity" => "Stedelijkheid (CBS-klasse 1–5)",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_string());
    }
    if let Some(level) = key
        .strip_suffix("_code")
        .filter(|l| levels.iter().any(|x| x == l))
    {
        return Some(format!("Code {}", words(level)));
    }
    if let Some(g) = key.strip_prefix("care_units_") {
        return Some(format!("Zorgeenheden {} (aantal)", words(g)));
    }
    if let Some(f) = key.strip_prefix("facilities_") {
        return Some(format!("Voorzieningen {} (aantal)", words(f)));
    }
    if let Some(rest) = key.strip_prefix("share_within_") {
        let (d, f) = rest.split_once("m_")?;
        d.parse::<u32>().ok()?;
        return Some(format!(
            "Aandeel woningen binnen {d} m van {} (0–1)",
            words(f)
        ));
    }
    if let Some(f) = key
        .strip_prefix("mean_distance_")
        .and_then(|r| r.strip_suffix("_m"))
    {
        return Some(format!("Gemiddelde afstand tot {} (m)", words(f)));
    }
    if let Some(f) = key
        .strip_prefix("fca_")
        .and_then(|r| r.strip_suffix("_per_1000"))
    {
        return Some(format!(
            "Aanbod {} binnen bereik per 1.000 inwoners (E2SFCA)",
            words(f)
        ));
    }
    if let Some(g) = key.strip_prefix("fair_share_ratio_") {
        return Some(format!(
            "Eerlijk aandeel {}: verhouding (1 = eerlijk)",
            words(g)
        ));
    }
    if let Some(g) = key.strip_prefix("fair_share_gap_") {
        return Some(format!(
            "Eerlijk aandeel {}: verschil (zorgeenheden)",
            words(g)
        ));
    }
    for (suffix, what) in [("_value", "waarde"), ("_z", "z-score")] {
        if let Some(id) = key.strip_suffix(suffix) {
            let i = indicators.iter().find(|i| i.id == id)?;
            let name = format!("{} {}", id.to_uppercase(), i.label);
            return Some(if what == "z-score" || i.unit.is_empty() {
                format!("{name} ({what})")
            } else if i.label.contains(&i.unit) {
                name // "DL7 zorgeenheden per 1.000 inwoners": the label has the unit
            } else {
                format!("{name} ({})", i.unit)
            });
        }
    }
    None
}

/// An id as words: `beschermd_thuis` → "beschermd thuis", `ov_halte` → "ov-halte".
fn words(id: &str) -> String {
    crate::access::kind_words(id)
}

/// The CBS stedelijkheidsklasse of an `urbanity` cell as the Dutch table shows it: the class
/// 1–5 with its Dutch name, from the class number or from CBS's Dutch or English label (the
/// shipped files have the English one, `extremely urbanised`); any other text as it is.
/// The classes are CBS's, by addresses per km²: 1 zeer sterk stedelijk (≥ 2.500), 2 sterk
/// (1.500–2.500), 3 matig (1.000–1.500), 4 weinig (500–1.000), 5 niet stedelijk (< 500).
///
/// Example: `extremely urbanised` → "1 (zeer sterk stedelijk)"; `3` → "3 (matig stedelijk)";
/// `niet stedelijk` → "5 (niet stedelijk)".
pub fn urbanity_nl(cell: &str) -> String {
    const CLASSES: [(&str, &str, &str); 5] = [
        ("1", "zeer sterk stedelijk", "extremely urbanised"),
        ("2", "sterk stedelijk", "strongly urbanised"),
        ("3", "matig stedelijk", "moderately urbanised"),
        ("4", "weinig stedelijk", "hardly urbanised"),
        ("5", "niet stedelijk", "not urbanised"),
    ];
    let t = cell.trim().to_lowercase().replace("urbanized", "urbanised");
    let t = t.trim_end_matches(".0");
    CLASSES
        .iter()
        .find(|(n, nl, en)| t == *n || t == *nl || t == *en)
        .map_or_else(|| cell.to_string(), |(n, nl, _)| format!("{n} ({nl})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cbs_urbanity_class_reads_in_dutch() {
        assert_eq!(
            urbanity_nl("extremely urbanised"),
            "1 (zeer sterk stedelijk)"
        );
        assert_eq!(urbanity_nl("Not urbanized"), "5 (niet stedelijk)");
        assert_eq!(urbanity_nl("3"), "3 (matig stedelijk)");
        assert_eq!(urbanity_nl("2.0"), "2 (sterk stedelijk)");
        assert_eq!(urbanity_nl("weinig stedelijk"), "4 (weinig stedelijk)");
        assert_eq!(urbanity_nl("onbekend"), "onbekend");
    }

    #[test]
    fn headers_are_dutch_with_units() {
        let ind = [IndicatorHeader {
            id: "dl7".into(),
            label: "Zorgeenheden".into(),
            unit: "per 1.000 inwoners".into(),
        }];
        let levels = ["gebied".to_string()];
        let h = |k: &str| dutch_header(k, &ind, &levels);
        for (key, header) in [
            ("care_units_per_1000", "Zorgeenheden per 1.000 inwoners"),
            (
                "share_within_500m_huisarts",
                "Aandeel woningen binnen 500 m van huisarts (0–1)",
            ),
            (
                "mean_distance_ov_halte_m",
                "Gemiddelde afstand tot ov-halte (m)",
            ),
            (
                "care_units_beschermd_thuis",
                "Zorgeenheden beschermd thuis (aantal)",
            ),
            ("dl7_value", "DL7 Zorgeenheden (per 1.000 inwoners)"),
            ("dl7_z", "DL7 Zorgeenheden (z-score)"),
            ("gebied_code", "Code gebied"),
            ("wijk_code", "Wijkcode"),
        ] {
            assert_eq!(h(key).as_deref(), Some(header), "{key}");
        }
        let woz = [IndicatorHeader {
            id: "dk2".into(),
            label: "gemiddelde WOZ-waarde per 1.000 inwoners".into(),
            unit: "per 1.000 inwoners".into(),
        }];
        assert_eq!(
            dutch_header("dk2_value", &woz, &[]).unwrap(),
            "DK2 gemiddelde WOZ-waarde per 1.000 inwoners",
            "a label that holds its unit is not repeated"
        );
        assert_eq!(h("dk9_value"), None, "an unknown indicator has no header");
        assert_eq!(h("something_else"), None);
    }
}
