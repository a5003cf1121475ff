//! The data dictionary: every statistical concept wijkbalans knows (its id, meaning and how its
//! values are read) with the column names it goes by across CBS vintages.
//!
//! Plain data: `config` checks concept ids against it, `io::schema` matches its column names
//! against the fields of a layer (case-insensitive, first alias present wins) and records which
//! column was used. The vintages and names are described in docs/METHOD.md §2.1.

/// How the values of a concept must be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Identifier or label text.
    Text,
    /// A count of persons, households or dwellings (≥ 0).
    Count,
    /// A percentage in [0, 100].
    Percent,
    /// A mean, a rate or a density that cannot be negative (a mean WOZ value, Wmo clients per
    /// 1,000, a mean income, inhabitants per km²): a sign typo (`-5`) is refused, not read.
    Amount,
    /// Any other number (a column of the user's own, which may be negative).
    Number,
}

/// One statistical concept with its known column names.
#[derive(Debug, Clone, Copy)]
pub struct Concept {
    /// Concept id used in indicator definitions and config, e.g. `pct_owner_occupied`.
    pub id: &'static str,
    /// What it means, with the CBS definition, in Dutch (it is shown in error messages).
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
        meaning: "gebiedscode (BUaaaabbcc, WKaaaabb, GMaaaa of een eigen code)",
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
        meaning: "naam van het gebied",
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
        meaning: "inwoners op 1 januari (a_inw)",
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
        meaning: "particuliere huishoudens (a_hh)",
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
        meaning: "eenpersoonshuishoudens, aantal (a_1p_hh)",
        kind: Kind::Count,
        aliases: &["a_1p_hh", "aantal_eenpersoonshuishoudens"],
    },
    Concept {
        id: "pct_one_person_households",
        meaning: "% eenpersoonshuishoudens (P_EENP_HH)",
        kind: Kind::Percent,
        aliases: &["P_EENP_HH", "percentage_eenpersoonshuishoudens", "p_1p_hh"],
    },
    Concept {
        id: "dwellings",
        meaning: "woningvoorraad (a_woning)",
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
        meaning: "gemiddelde WOZ-waarde van woningen, × € 1.000 (g_wozbag)",
        kind: Kind::Amount,
        aliases: &[
            "dwelling_value",
            "g_wozbag",
            "WOZ",
            "gemiddelde_woningwaarde",
        ],
    },
    Concept {
        id: "pct_owner_occupied",
        meaning: "% koopwoningen (p_koopw)",
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
        meaning: "% huurwoningen (p_huurw)",
        kind: Kind::Percent,
        aliases: &["p_huurw", "P_HUURWON", "percentage_huurwoningen"],
    },
    Concept {
        id: "pct_corporation",
        meaning: "% woningen in bezit van woningcorporaties (p_wcorpw)",
        kind: Kind::Percent,
        aliases: &[
            "p_wcorpw",
            "P_HUURCORP",
            "perc_huurwoningen_in_bezit_woningcorporaties",
        ],
    },
    Concept {
        id: "pct_low_income_hh",
        meaning: "% huishoudens met een laag inkomen, laagste 40 % (p_hh_li)",
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
        meaning: "% huishoudens onder of rond het sociaal minimum (p_hh_osm)",
        kind: Kind::Percent,
        aliases: &[
            "p_hh_osm",
            "P_SOCMINH",
            "percentage_huishoudens_onder_of_rond_sociaal_minimum",
        ],
    },
    Concept {
        id: "bijstand",
        meaning: "personen met een bijstandsuitkering (a_soz_wb)",
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
        meaning: "personen met een arbeidsongeschiktheidsuitkering (AO) (a_soz_ao)",
        kind: Kind::Count,
        aliases: &[
            "a_soz_ao",
            "AO_UIT_TOT",
            "aantal_personen_met_een_ao_uitkering_totaal",
        ],
    },
    Concept {
        id: "wmo_per_1000",
        meaning: "Wmo-cliënten per 1.000 inwoners (p_wmo_t)",
        kind: Kind::Amount,
        aliases: &["p_wmo_t"],
    },
    Concept {
        id: "labour_participation",
        meaning: "nettoarbeidsparticipatie, % werkzamen van de bevolking van 15–75 jaar (p_arb_pp)",
        kind: Kind::Percent,
        aliases: &["employment_rate", "p_arb_pp", "nettoarbeidsparticipatie"],
    },
    Concept {
        id: "std_hh_income",
        meaning: "gemiddeld gestandaardiseerd inkomen van huishoudens, × € 1.000 (g_hh_sti)",
        kind: Kind::Amount,
        aliases: &["g_hh_sti"],
    },
    Concept {
        id: "pct_65plus",
        meaning: "% inwoners van 65 jaar of ouder (P_65_EO_JR)",
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
        meaning: "% van de mensen van 15–75 jaar met een hbo- of wo-diploma",
        kind: Kind::Percent,
        aliases: &["edu_appl_sci"],
    },
    Concept {
        id: "density",
        meaning: "inwoners per km² land (bev_dich)",
        kind: Kind::Amount,
        aliases: &[
            "bev_dich",
            "BEV_DICHTH",
            "bevolkingsdichtheid_inwoners_per_km2",
            "bevolkingsdichtheid",
        ],
    },
    Concept {
        id: "urbanity",
        meaning: "stedelijkheidsklasse 1–5 naar adressen per km² (ste_mvs)",
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
