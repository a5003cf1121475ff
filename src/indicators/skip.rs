//! Why an indicator is skipped in a run: not computable from the layers ([`super::raw_values`])
//! or not normalisable ([`super::fit_params`]). The reason is kept as what it is, so it can be
//! said in Dutch (every output: `summary.json`, `areas.csv`'s notes, the terminal) and in
//! English (`report --lang en`) from the same facts.

use std::fmt;

/// Why an indicator is skipped. [`fmt::Display`] gives the Dutch sentence that every output
/// writes; [`Skip::english`] the same in English.
///
/// Example: `Skip::NoColumn(vec![MissingSource { formula: "pct_corporation".into(), missing:
/// vec!["pct_corporation".into()] }])` reads "de gebiedenlaag mist voor elke bron een kolom:
/// pct_corporation (ontbreekt: pct_corporation)", and in English "the areas layer lacks a
/// column for every source: pct_corporation (missing: pct_corporation)".
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// The indicator is the care layer (units per 1,000) and no sites layer was given.
    NoSitesLayer,
    /// Every source of the indicator needs a column the areas layer does not have.
    NoColumn(Vec<MissingSource>),
    /// None of the columns to weight μ and σ by is in the areas layer.
    NoWeightColumn(Vec<String>),
    /// No area has at least `min_denominator` inhabitants, so there is no reference set.
    NoAreaLargeEnough {
        /// The configured minimum of inhabitants.
        min_denominator: f64,
    },
    /// Too few areas of a reference set have a value.
    LowCoverage {
        /// Areas with a value.
        with_value: usize,
        /// Areas that count (enough inhabitants).
        eligible: usize,
        /// The reference set, when it is not all areas (e.g. an urbanity class).
        set: Option<String>,
        /// Share with a value, 0–1.
        coverage: f64,
        /// The configured minimum share, 0–1.
        min_coverage: f64,
    },
    /// μ or σ overflowed: a value far beyond any real one.
    NotFinite {
        /// The reference set, when it is not all areas.
        set: Option<String>,
        /// The weighted mean as computed.
        mean: f64,
        /// The weighted standard deviation as computed.
        sd: f64,
        /// The largest absolute value of the set.
        largest: f64,
    },
    /// Every area of a reference set has the same value (or there is one), so z is undefined.
    NoVariation {
        /// The reference set, when it is not all areas.
        set: Option<String>,
        /// The one value.
        mean: f64,
    },
}

/// A source of an indicator and the columns it misses.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingSource {
    /// The source's formula (`ln(mean_woz)`).
    pub formula: String,
    /// The concepts it needs that the areas layer lacks.
    pub missing: Vec<String>,
}

impl Skip {
    /// The reason in English, for `report --lang en`.
    pub fn english(&self) -> String {
        self.say(true)
    }

    /// The reason in Dutch (`en` false) or English: one sentence per reason, both languages
    /// side by side.
    fn say(&self, en: bool) -> String {
        let pick = |nl: &'static str, english: &'static str| if en { english } else { nl };
        let num = |v: f64, d: usize| {
            if en {
                crate::format::marked(v, d, Some(','), '.', '−', "unknown")
            } else {
                crate::table::nl(v, d)
            }
        };
        let set = |s: &Option<String>| s.as_ref().map_or_else(String::new, |k| format!(" in {k}"));
        match self {
            Skip::NoSitesLayer => pick(
                "geen zorglocatielaag opgegeven (geef --sites)",
                "no sites layer given (give --sites)",
            )
            .to_string(),
            Skip::NoColumn(sources) => format!(
                "{}: {}",
                pick(
                    "de gebiedenlaag mist voor elke bron een kolom",
                    "the areas layer lacks a column for every source"
                ),
                sources
                    .iter()
                    .map(|s| format!(
                        "{} ({}: {})",
                        s.formula,
                        pick("ontbreekt", "missing"),
                        s.missing.join(", ")
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Skip::NoWeightColumn(wanted) => format!(
                "{} {})",
                pick(
                    "geen kolom om mee te wegen (gezocht: een van",
                    "no column to weight by (looked for one of"
                ),
                wanted.join(", ")
            ),
            Skip::NoAreaLargeEnough { min_denominator } => format!(
                "{} {} {} (min_denominator)",
                pick("geen gebied heeft minstens", "no area has at least"),
                num(*min_denominator, 0),
                pick("inwoners", "inhabitants")
            ),
            Skip::LowCoverage {
                with_value,
                eligible,
                set: s,
                coverage,
                min_coverage,
            } => {
                let (only, of, areas, have) = if en {
                    ("only", "of", "areas", "have a value")
                } else {
                    ("slechts", "van", "gebieden", "hebben een waarde")
                };
                format!(
                    "{only} {with_value} {of} {eligible} {areas}{} {have} ({:.0} % < min_coverage {:.0} %)",
                    set(s),
                    coverage * 100.0,
                    min_coverage * 100.0
                )
            }
            Skip::NotFinite {
                set: s,
                mean,
                sd,
                largest,
            } => format!(
                "{}{} {} (μ = {mean}, σ = {sd}): {} {largest:e}); {}",
                pick("μ of σ", "μ or σ"),
                set(s),
                pick("is geen eindig getal", "is not a finite number"),
                pick(
                    "de waarden lopen buiten het rekenbereik (grootste |waarde|",
                    "the values run beyond the range of computation (largest |value|"
                ),
                pick(
                    "controleer de kolom op een beschadigde waarde",
                    "check the column for a damaged value"
                )
            ),
            Skip::NoVariation { set: s, mean } => format!(
                "{}{}: {} ({}), {}",
                pick("geen variatie", "no variation"),
                set(s),
                pick(
                    "elk gebied heeft dezelfde waarde",
                    "every area has the same value"
                ),
                num(*mean, 2),
                pick("dus z is niet gedefinieerd", "so z is undefined")
            ),
        }
    }
}

impl fmt::Display for Skip {
    /// The reason in Dutch, as every output writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_dutch_and_an_english_sentence() {
        let cases = [
            (
                Skip::NoColumn(vec![
                    MissingSource {
                        formula: "ln(mean_woz)".into(),
                        missing: vec!["mean_woz".into()],
                    },
                    MissingSource {
                        formula: "100 * a / b".into(),
                        missing: vec!["a".into(), "b".into()],
                    },
                ]),
                "de gebiedenlaag mist voor elke bron een kolom: ln(mean_woz) (ontbreekt: mean_woz); 100 * a / b (ontbreekt: a, b)",
                "the areas layer lacks a column for every source: ln(mean_woz) (missing: mean_woz); 100 * a / b (missing: a, b)",
            ),
            (
                Skip::NoSitesLayer,
                "geen zorglocatielaag opgegeven (geef --sites)",
                "no sites layer given (give --sites)",
            ),
            (
                Skip::LowCoverage {
                    with_value: 3,
                    eligible: 16,
                    set: Some("urbanity 2".into()),
                    coverage: 0.1875,
                    min_coverage: 0.5,
                },
                "slechts 3 van 16 gebieden in urbanity 2 hebben een waarde (19 % < min_coverage 50 %)",
                "only 3 of 16 areas in urbanity 2 have a value (19 % < min_coverage 50 %)",
            ),
            (
                Skip::NoVariation {
                    set: None,
                    mean: 1234.5,
                },
                "geen variatie: elk gebied heeft dezelfde waarde (1.234,50), dus z is niet gedefinieerd",
                "no variation: every area has the same value (1,234.50), so z is undefined",
            ),
            (
                Skip::NoAreaLargeEnough {
                    min_denominator: 1000.0,
                },
                "geen gebied heeft minstens 1.000 inwoners (min_denominator)",
                "no area has at least 1,000 inhabitants (min_denominator)",
            ),
            (
                Skip::NoWeightColumn(vec!["population".into(), "households".into()]),
                "geen kolom om mee te wegen (gezocht: een van population, households)",
                "no column to weight by (looked for one of population, households)",
            ),
            (
                Skip::NotFinite {
                    set: None,
                    mean: f64::INFINITY,
                    sd: f64::NAN,
                    largest: 1e308,
                },
                "μ of σ is geen eindig getal (μ = inf, σ = NaN): de waarden lopen buiten het rekenbereik (grootste |waarde| 1e308); controleer de kolom op een beschadigde waarde",
                "μ or σ is not a finite number (μ = inf, σ = NaN): the values run beyond the range of computation (largest |value| 1e308); check the column for a damaged value",
            ),
        ];
        for (skip, nl, en) in cases {
            assert_eq!(skip.to_string(), nl);
            assert_eq!(skip.english(), en);
        }
    }
}
