//! Indicator definitions: what each indicator measures and from which concepts, as configured.

use serde::{Deserialize, Serialize};

/// The block an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    /// Capacity to absorb and support vulnerable residents.
    Draagkracht,
    /// Burden already present.
    Draaglast,
    /// Shown for context, never scored.
    Context,
}

impl Block {
    /// The id used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draagkracht => "draagkracht",
            Self::Draaglast => "draaglast",
            Self::Context => "context",
        }
    }
}

/// Whether a higher raw value means more of the indicator's block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher raw value → more draagkracht (DK) or more draaglast (DL): s_k = +1.
    HigherIsMore,
    /// Higher raw value → less of the block: s_k = −1.
    HigherIsLess,
}

impl Direction {
    /// The sign s_k of docs/METHOD.md §2.4.
    pub fn sign(self) -> f64 {
        match self {
            Self::HigherIsMore => 1.0,
            Self::HigherIsLess => -1.0,
        }
    }
}

/// One way to compute an indicator from the concepts an area carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "formula", rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// v = column.
    Value {
        /// Concept id (see `model::concepts::CONCEPTS`).
        column: String,
    },
    /// v = ln(column), for skewed positive values such as WOZ; undefined when column ≤ 0.
    Ln {
        /// Concept id.
        column: String,
    },
    /// v = 1000 · numerator / population; undefined when population = 0.
    Per1000 {
        /// Concept id of the count.
        numerator: String,
    },
    /// v = 100 · numerator / denominator; undefined when the denominator is 0.
    Share {
        /// Concept id of the part.
        numerator: String,
        /// Concept id of the whole.
        denominator: String,
    },
    /// v = population / polygon area in km² (area includes inland water).
    DensityFromGeometry,
    /// DL7: v = 1000 · Σ_g w_g · units_g / population, from the sites layer (units of sites
    /// with a counted status; group weights w_g from the config).
    CareUnitsPer1000,
}

impl Source {
    /// The formula written out in concept ids, for the output's traceability (`summary.json`
    /// names the column each concept was read from).
    pub fn formula_text(&self) -> String {
        self.formula_in(&|concept| concept.to_string())
    }

    /// The formula written out with `name` for each concept: for people, the column of their
    /// own file that was read (`ln(dwelling_value)` where the concept is `mean_woz`).
    ///
    /// ```
    /// use wijkbalans::indicators::Source;
    /// let woz = Source::Ln { column: "mean_woz".into() };
    /// assert_eq!(woz.formula_text(), "ln(mean_woz)");
    /// let file = |c: &str| if c == "mean_woz" { "g_woz".to_string() } else { c.to_string() };
    /// assert_eq!(woz.formula_in(&file), "ln(g_woz)");
    /// ```
    pub fn formula_in(&self, name: &dyn Fn(&str) -> String) -> String {
        match self {
            Self::Value { column } => name(column),
            Self::Ln { column } => format!("ln({})", name(column)),
            Self::Per1000 { numerator } => {
                format!("1000 * {} / {}", name(numerator), name("population"))
            }
            Self::Share {
                numerator,
                denominator,
            } => format!("100 * {} / {}", name(numerator), name(denominator)),
            Self::DensityFromGeometry => "population / polygon area (km2)".to_string(),
            Self::CareUnitsPer1000 => {
                "1000 * sum_g(weight_g * units_g) / population (sites layer)".to_string()
            }
        }
    }

    /// The concept ids this source reads.
    pub fn concepts(&self) -> Vec<&str> {
        match self {
            Self::Value { column } | Self::Ln { column } => vec![column],
            Self::Per1000 { numerator } => vec![numerator, "population"],
            Self::Share {
                numerator,
                denominator,
            } => vec![numerator, denominator],
            Self::DensityFromGeometry | Self::CareUnitsPer1000 => vec!["population"],
        }
    }
}

/// A configured indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Id, e.g. `DK1`; also the output column prefix (lower case).
    pub id: String,
    /// Dutch label for reports.
    pub label: String,
    /// Block it scores in.
    pub block: Block,
    /// Ways to compute it, in order of preference: the first whose concepts the input carries
    /// is used, and the output says which.
    pub sources: Vec<Source>,
    /// Orientation s_k.
    #[serde(default = "higher_is_more")]
    pub direction: Direction,
    /// Weight w_k within its block (≥ 0).
    #[serde(default = "one")]
    pub weight: f64,
    /// Concept ids to weight the z-score parameters by, first present wins (docs/METHOD.md §2.2:
    /// households for household shares, dwellings for dwelling shares and WOZ).
    #[serde(default = "by_population")]
    pub weight_by: Vec<String>,
    /// Set false to keep the definition but not compute it.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn higher_is_more() -> Direction {
    Direction::HigherIsMore
}
fn one() -> f64 {
    1.0
}
fn yes() -> bool {
    true
}
fn by_population() -> Vec<String> {
    vec!["population".to_string()]
}

/// The default indicator set of docs/METHOD.md §2.3 (DL1–DL7, DK1–DK4, context C1, C2, C4).
///
/// Indicators whose concepts the input does not carry are skipped at run time with a reason.
/// DL2 prefers the household share `p_hh_li` and falls back, explicitly, to the persons share
/// `p_ink_li` (the shipped 2022 data has only the latter); the output names the column used.
pub fn default_indicators() -> Vec<IndicatorDef> {
    let value = |c: &str| Source::Value {
        column: c.to_string(),
    };
    let def = |id: &str, label: &str, block: Block, sources: Vec<Source>, weight_by: &[&str]| {
        IndicatorDef {
            id: id.to_string(),
            label: label.to_string(),
            block,
            sources,
            direction: Direction::HigherIsMore,
            weight: 1.0,
            weight_by: weight_by.iter().map(|s| s.to_string()).collect(),
            enabled: true,
        }
    };
    use Block::*;
    vec![
        def(
            "DL1",
            "% corporatiewoningen",
            Draaglast,
            vec![value("pct_corporation")],
            &["dwellings", "population"],
        ),
        def(
            "DL2",
            "% laag inkomen",
            Draaglast,
            vec![value("pct_low_income_hh"), value("pct_low_income_persons")],
            &["households", "population"],
        ),
        def(
            "DL3",
            "bijstand per 1.000 inwoners",
            Draaglast,
            vec![Source::Per1000 {
                numerator: "bijstand".into(),
            }],
            &["population"],
        ),
        def(
            "DL4",
            "AO-uitkering per 1.000 inwoners",
            Draaglast,
            vec![Source::Per1000 {
                numerator: "ao_benefits".into(),
            }],
            &["population"],
        ),
        def(
            "DL5",
            "% eenpersoonshuishoudens",
            Draaglast,
            vec![
                value("pct_one_person_households"),
                Source::Share {
                    numerator: "one_person_households".into(),
                    denominator: "households".into(),
                },
            ],
            &["households", "population"],
        ),
        def(
            "DL6",
            "Wmo-cliënten per 1.000 inwoners",
            Draaglast,
            vec![value("wmo_per_1000")],
            &["population"],
        ),
        def(
            "DL7",
            "zorgeenheden per 1.000 inwoners",
            Draaglast,
            vec![Source::CareUnitsPer1000],
            &["population"],
        ),
        def(
            "DK1",
            "% koopwoningen",
            Draagkracht,
            vec![value("pct_owner_occupied")],
            &["dwellings", "population"],
        ),
        def(
            "DK2",
            "ln(gemiddelde WOZ-waarde)",
            Draagkracht,
            vec![Source::Ln {
                column: "mean_woz".into(),
            }],
            &["dwellings", "population"],
        ),
        def(
            "DK3",
            "netto arbeidsparticipatie",
            Draagkracht,
            vec![value("labour_participation")],
            &["population"],
        ),
        def(
            "DK4",
            "gestandaardiseerd huishoudinkomen",
            Draagkracht,
            vec![value("std_hh_income")],
            &["households", "population"],
        ),
        def(
            "C1",
            "inwoners",
            Context,
            vec![value("population")],
            &["population"],
        ),
        def(
            "C2",
            "inwoners per km²",
            Context,
            vec![value("density"), Source::DensityFromGeometry],
            &["population"],
        ),
        def(
            "C4",
            "% 65 jaar en ouder",
            Context,
            vec![value("pct_65plus")],
            &["population"],
        ),
    ]
}
