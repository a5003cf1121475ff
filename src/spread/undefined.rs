//! Why a metric has no value: the explicit replacement for NaN and ±∞.
//!
//! Every function in [`crate::spread`] returns [`Undefined`] where a formula would divide by
//! zero or has no meaning (no care units, variance 0, an island, too few areas …). Results
//! never contain NaN or ±∞.

use serde::{Serialize, Serializer};

/// The reason a metric, or one part of it, has no value.
///
/// Serialises as its message (the `Display` text), so JSON output reads
/// `"value": null, "undefined_reason": "no care units (X = 0)"`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Undefined {
    /// The metric family was not requested in [`crate::spread::MetricSet`].
    #[error("not requested in the metric set")]
    NotRequested,
    /// There are fewer areas (or values) than the formula needs.
    #[error("too few areas: {n}, the formula needs at least {min}")]
    TooFewAreas {
        /// Number of areas with a value.
        n: usize,
        /// Minimum the formula needs.
        min: usize,
    },
    /// The total of the target group is zero.
    #[error("no care units (X = 0)")]
    NoCareUnits,
    /// The care units are unknown: the study has no sites layer. Not the same as
    /// [`Undefined::NoCareUnits`]: there may be care, it was not given.
    #[error("care units unknown: no sites layer")]
    CareUnknown,
    /// The total of the reference (inhabitants or dwellings) is zero.
    #[error("no reference population (T = 0)")]
    NoReference,
    /// The target group is the whole reference population (P = 1), so 1 − P = 0.
    #[error("care units make up the whole reference population (P = 1)")]
    OnlyCareUnits,
    /// PySAL's single-group indices require x_i ≤ t_i for every area.
    #[error(
        "area {area}: care units ({x}) exceed the reference ({t}); the index needs x ≤ t, \
         so use dwellings as the reference or include the care units in it"
    )]
    CareExceedsReference {
        /// Area index (input order).
        area: usize,
        /// The area's care units.
        x: f64,
        /// The area's reference value.
        t: f64,
    },
    /// A count, population or value that must be non-negative is negative.
    #[error("area {area}: negative value {value}; the metric needs values ≥ 0")]
    NegativeValue {
        /// Area index (input order).
        area: usize,
        /// The offending value.
        value: f64,
    },
    /// An input value is NaN or infinite.
    #[error("input {index} is not a finite number")]
    NotFinite {
        /// Index of the offending input (area or site, input order).
        index: usize,
    },
    /// The area's own reference value is zero, so its share ratio has no denominator.
    #[error("this area has no reference population (t = 0)")]
    AreaWithoutReference,
    /// The caller gave no value for this area (`None`), so it is left out of the statistic.
    #[error("no value for this area (input was undefined)")]
    MissingValue,
    /// All values are equal: the variance is 0.
    #[error("all values are equal (variance 0)")]
    ZeroVariance,
    /// The statistic itself has variance 0 under the null hypothesis, so it has no z-score.
    #[error("the statistic has variance 0 under the null hypothesis, so no z-score")]
    ZeroVarianceOfStatistic,
    /// Fewer than two areas have a value above zero, so global G is 0/0.
    #[error("fewer than two areas have a value above 0")]
    FewerThanTwoPositive,
    /// The values sum to zero (e.g. Getis–Ord with only zeros).
    #[error("the values sum to 0")]
    ZeroSum,
    /// No area has a neighbour (S0 = 0).
    #[error("no area has a neighbour (S0 = 0)")]
    NoNeighbours,
    /// The area has no neighbours under the chosen contiguity.
    #[error("island: the area has no neighbours")]
    Island,
    /// The area neighbours every other area: its local statistic cannot vary under the null
    /// (VG_i = 0 for Gi*, a constant conditional-randomisation distribution).
    #[error(
        "the area neighbours every other area, so its local statistic cannot vary (variance 0)"
    )]
    NeighboursAllOthers,
    /// Every permutation gave the observed value: the reference distribution has no spread.
    #[error("every permutation gives the observed value, so no pseudo p-value")]
    DegenerateNull,
    /// No permutations were asked for.
    #[error("permutations = 0")]
    NoPermutations,
    /// A parameter is outside its range.
    #[error("parameter {name} = {value} is outside {range}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        value: f64,
        /// Allowed range, in words.
        range: &'static str,
    },
    /// Fewer than two groups have members, so a multigroup index has nothing to compare.
    #[error("fewer than two groups have members")]
    SingleGroup,
    /// No target groups were given.
    #[error("no target groups given")]
    NoGroups,
    /// A target group has the name reserved for the rest of the reference population.
    #[error(
        "a target group is called \"{name}\", the name reserved for the rest of the reference"
    )]
    ReservedGroupName {
        /// The reserved name.
        name: &'static str,
    },
    /// There are fewer sites than the statistic needs.
    #[error("too few sites: {n}, the statistic needs at least {min}")]
    TooFewSites {
        /// Number of sites.
        n: usize,
        /// Minimum needed.
        min: usize,
    },
    /// There is no other site (of the same group, for the same-group distance).
    #[error("no other site")]
    NoOtherSite,
    /// The study window has no area.
    #[error("the study window has no area")]
    EmptyWindow,
}

impl Undefined {
    /// The reason in Dutch, for the outputs people read (the areas table's `spreading_notes`,
    /// the report); the JSON outputs keep the English message ([`Display`](std::fmt::Display)),
    /// as esda names them.
    ///
    /// Example: `Undefined::NoCareUnits.dutch()` = "geen zorgeenheden (X = 0)";
    /// `Undefined::MissingValue.dutch()` = "geen waarde voor dit gebied (de invoer is onbekend)".
    pub fn dutch(&self) -> String {
        use Undefined::*;
        match self {
            NotRequested => "niet gevraagd in de set maten".into(),
            TooFewAreas { n, min } => {
                format!("te weinig gebieden: {n}, de formule vraagt er minstens {min}")
            }
            NoCareUnits => "geen zorgeenheden (X = 0)".into(),
            CareUnknown => {
                "zorgeenheden onbekend: er is geen zorglocatielaag (geef --sites)".into()
            }
            NoReference => "geen referentiebevolking (T = 0)".into(),
            OnlyCareUnits => "de zorgeenheden zijn de hele referentiebevolking (P = 1)".into(),
            CareExceedsReference { area, x, t } => format!(
                "gebied {area}: meer zorgeenheden ({}) dan de referentie ({}); de index vraagt \
                 x ≤ t, dus neem woningen als referentie of tel de zorgeenheden erin mee",
                crate::format::plain_nl(*x, 0),
                crate::format::plain_nl(*t, 0)
            ),
            NegativeValue { area, value } => format!(
                "gebied {area}: negatieve waarde {}; de maat vraagt waarden ≥ 0",
                crate::format::plain_nl(*value, 2)
            ),
            NotFinite { index } => format!("invoer {index} is geen eindig getal"),
            AreaWithoutReference => "dit gebied heeft geen referentiebevolking (t = 0)".into(),
            MissingValue => "geen waarde voor dit gebied (de invoer is onbekend)".into(),
            ZeroVariance => "alle waarden zijn gelijk (variantie 0)".into(),
            ZeroVarianceOfStatistic => {
                "de maat heeft onder de nulhypothese variantie 0, dus geen z-score".into()
            }
            FewerThanTwoPositive => "minder dan twee gebieden hebben een waarde boven 0".into(),
            ZeroSum => "de waarden tellen op tot 0".into(),
            NoNeighbours => "geen gebied heeft een buur (S0 = 0)".into(),
            Island => "eiland: het gebied heeft geen buren".into(),
            NeighboursAllOthers => "het gebied grenst aan alle andere, dus de lokale maat kan \
                                    niet variëren (variantie 0)"
                .into(),
            DegenerateNull => {
                "elke permutatie geeft de waargenomen waarde, dus geen pseudo-p-waarde".into()
            }
            NoPermutations => "permutaties = 0".into(),
            InvalidParameter { name, value, range } => format!(
                "parameter {name} = {} ligt buiten {range}",
                crate::format::plain_nl(*value, 2)
            ),
            SingleGroup => "minder dan twee groepen hebben leden".into(),
            NoGroups => "geen doelgroepen gegeven".into(),
            ReservedGroupName { name } => {
                format!("een doelgroep heet \"{name}\", de naam voor de rest van de referentie")
            }
            TooFewSites { n, min } => {
                format!("te weinig zorglocaties: {n}, de maat vraagt er minstens {min}")
            }
            NoOtherSite => "geen andere zorglocatie".into(),
            EmptyWindow => "het studiegebied heeft geen oppervlak".into(),
        }
    }

    /// The same reason with its area (or input) index translated through `original`, for a
    /// statistic computed on a subset of the areas: index k of the subset is area
    /// `original[k]`.
    pub(crate) fn in_original_order(self, original: &[usize]) -> Self {
        match self {
            Undefined::CareExceedsReference { area, x, t } => Undefined::CareExceedsReference {
                area: original[area],
                x,
                t,
            },
            Undefined::NegativeValue { area, value } => Undefined::NegativeValue {
                area: original[area],
                value,
            },
            Undefined::NotFinite { index } => Undefined::NotFinite {
                index: original[index],
            },
            other => other,
        }
    }
}

impl Serialize for Undefined {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A study-level number that may be undefined.
///
/// Serialises as `{"value": 0.31, "undefined_reason": null}` or
/// `{"value": null, "undefined_reason": "no care units (X = 0)"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scalar {
    /// The value, or `None` when undefined.
    pub value: Option<f64>,
    /// Why `value` is `None`; `None` when the value is defined.
    pub undefined_reason: Option<Undefined>,
}

impl Scalar {
    /// An undefined value with its reason.
    pub fn undefined(reason: Undefined) -> Self {
        Scalar {
            value: None,
            undefined_reason: Some(reason),
        }
    }
}

impl From<Result<f64, Undefined>> for Scalar {
    fn from(result: Result<f64, Undefined>) -> Self {
        match result {
            Ok(value) => Scalar {
                value: Some(value),
                undefined_reason: None,
            },
            Err(reason) => Scalar::undefined(reason),
        }
    }
}

/// Checks that every value is finite and, when `non_negative`, ≥ 0.
pub(crate) fn check_values(values: &[f64], non_negative: bool) -> Result<(), Undefined> {
    for (index, &value) in values.iter().enumerate() {
        if !value.is_finite() {
            return Err(Undefined::NotFinite { index });
        }
        if non_negative && value < 0.0 {
            return Err(Undefined::NegativeValue { area: index, value });
        }
    }
    Ok(())
}

/// `Err(ZeroVariance)` when all values are equal (or there are none).
pub(crate) fn check_variance(values: &[f64]) -> Result<(), Undefined> {
    match values.split_first() {
        Some((first, rest)) if rest.iter().any(|v| v != first) => Ok(()),
        _ => Err(Undefined::ZeroVariance),
    }
}

/// The checks a local statistic (local Moran, local G) makes before anything else: at least 3
/// areas, every value finite (and ≥ 0 when `non_negative`), not all values equal. The reason
/// is then every area's.
///
/// # Panics
/// When `values` and the weights (`areas` areas) differ in length.
pub(crate) fn check_local(
    values: &[f64],
    areas: usize,
    non_negative: bool,
) -> Result<(), Undefined> {
    assert_eq!(
        values.len(),
        areas,
        "one value per area of the weights is needed"
    );
    let n = values.len();
    if n < 3 {
        return Err(Undefined::TooFewAreas { n, min: 3 });
    }
    check_values(values, non_negative).and_then(|_| check_variance(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_value_and_reason() {
        let ok = serde_json::to_string(&Scalar::from(Ok(0.5))).unwrap();
        assert_eq!(ok, r#"{"value":0.5,"undefined_reason":null}"#);
        let err = serde_json::to_string(&Scalar::from(Err(Undefined::NoCareUnits))).unwrap();
        assert_eq!(
            err,
            r#"{"value":null,"undefined_reason":"no care units (X = 0)"}"#
        );
    }

    #[test]
    fn the_dutch_reason_has_decimal_commas_and_no_english() {
        assert_eq!(Undefined::NoCareUnits.dutch(), "geen zorgeenheden (X = 0)");
        assert_eq!(
            Undefined::NegativeValue {
                area: 3,
                value: -1.5
            }
            .dutch(),
            "gebied 3: negatieve waarde −1,50; de maat vraagt waarden ≥ 0"
        );
        assert_eq!(
            Undefined::TooFewAreas { n: 2, min: 3 }.dutch(),
            "te weinig gebieden: 2, de formule vraagt er minstens 3"
        );
    }

    #[test]
    fn reindexes_subset_areas() {
        let original = [0, 2, 5];
        let negative = Undefined::NegativeValue {
            area: 2,
            value: -1.0,
        };
        assert_eq!(
            negative.in_original_order(&original),
            Undefined::NegativeValue {
                area: 5,
                value: -1.0
            }
        );
        assert_eq!(
            Undefined::Island.in_original_order(&original),
            Undefined::Island
        );
    }

    #[test]
    fn checks_values() {
        assert_eq!(check_values(&[1.0, 0.0], true), Ok(()));
        assert_eq!(
            check_values(&[1.0, -2.0], true),
            Err(Undefined::NegativeValue {
                area: 1,
                value: -2.0
            })
        );
        assert_eq!(check_values(&[-2.0], false), Ok(()));
        assert_eq!(
            check_values(&[f64::NAN], false),
            Err(Undefined::NotFinite { index: 0 })
        );
        assert_eq!(check_variance(&[2.0, 2.0]), Err(Undefined::ZeroVariance));
        assert_eq!(check_variance(&[]), Err(Undefined::ZeroVariance));
        assert_eq!(check_variance(&[2.0, 3.0]), Ok(()));
    }
}
