//! Raw indicator values per area, with the source each one was computed from.

use geo::Area as _;
use rayon::prelude::*;

use super::definition::{IndicatorDef, Source};
use crate::model::Area;

/// Why an indicator has no value for an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// An input value is suppressed by CBS (null, `.`, −99999999) or absent for this area.
    Suppressed,
    /// The formula is undefined here (a zero denominator, ln of a value ≤ 0, a result that is
    /// not a finite number).
    Undefined,
}

/// The status of one configured indicator in a run: the source it was computed from and its
/// raw value per area. [`raw_values`] skips an indicator that is not computable from the
/// layers; [`super::fit_params`] also skips one that is not normalisable (coverage, no
/// variation).
#[derive(Debug, Clone)]
pub struct IndicatorStatus {
    /// The definition.
    pub def: IndicatorDef,
    /// The source used, or `None` when the indicator is skipped as not computable.
    pub source: Option<Source>,
    /// Why it is skipped, when it is.
    pub skipped: Option<super::Skip>,
    /// Value per area (area order), or why there is none (empty when not computable).
    pub values: Vec<Result<f64, Missing>>,
}

/// What the engine knows about the layers besides the areas themselves.
#[derive(Debug, Clone, Default)]
pub struct Inputs<'a> {
    /// Concept ids the areas layer carries as columns (even where a value is suppressed).
    pub concepts_present: Vec<String>,
    /// Weighted care units per area (Σ_g w_g · units_g of counted sites), when a sites layer
    /// was given.
    pub care_units: Option<&'a [f64]>,
}

/// Compute the raw values of every enabled indicator (areas in parallel, order kept).
pub fn raw_values(areas: &[Area], defs: &[IndicatorDef], inputs: &Inputs) -> Vec<IndicatorStatus> {
    raw_values_in(areas, defs, inputs, true)
}

/// [`raw_values`] in the calling thread: for a few areas (the one area of a what-if that is
/// not kept), where handing the work to the thread pool costs more than the work.
pub fn raw_values_here(
    areas: &[Area],
    defs: &[IndicatorDef],
    inputs: &Inputs,
) -> Vec<IndicatorStatus> {
    raw_values_in(areas, defs, inputs, false)
}

/// [`raw_values`], the areas in parallel or not (the same values in the same order).
fn raw_values_in(
    areas: &[Area],
    defs: &[IndicatorDef],
    inputs: &Inputs,
    parallel: bool,
) -> Vec<IndicatorStatus> {
    defs.iter()
        .filter(|d| d.enabled)
        .map(|def| {
            let chosen = def.sources.iter().find(|s| available(s, inputs));
            match chosen {
                None => IndicatorStatus {
                    def: def.clone(),
                    source: None,
                    skipped: Some(skip_reason(def, inputs)),
                    values: Vec::new(),
                },
                Some(source) => IndicatorStatus {
                    def: def.clone(),
                    source: Some(source.clone()),
                    skipped: None,
                    values: if parallel {
                        areas
                            .par_iter()
                            .enumerate()
                            .map(|(i, a)| evaluate(source, a, i, inputs))
                            .collect()
                    } else {
                        areas
                            .iter()
                            .enumerate()
                            .map(|(i, a)| evaluate(source, a, i, inputs))
                            .collect()
                    },
                },
            }
        })
        .collect()
}

fn available(source: &Source, inputs: &Inputs) -> bool {
    let has = |c: &str| inputs.concepts_present.iter().any(|p| p == c);
    match source {
        Source::CareUnitsPer1000 => inputs.care_units.is_some() && has("population"),
        Source::DensityFromGeometry => has("population"),
        other => other.concepts().iter().all(|c| has(c)),
    }
}

fn skip_reason(def: &IndicatorDef, inputs: &Inputs) -> super::Skip {
    if def
        .sources
        .iter()
        .any(|s| matches!(s, Source::CareUnitsPer1000))
        && inputs.care_units.is_none()
    {
        return super::Skip::NoSitesLayer;
    }
    super::Skip::NoColumn(
        def.sources
            .iter()
            .map(|s| super::MissingSource {
                formula: s.formula_text(),
                missing: s
                    .concepts()
                    .into_iter()
                    .filter(|c| !inputs.concepts_present.iter().any(|p| p == c))
                    .map(String::from)
                    .collect(),
            })
            .collect(),
    )
}

/// The raw value of `source` for one area. A result that is not a finite number (a sum or
/// product that overflowed) is [`Missing::Undefined`], never a value (docs/METHOD.md §2.2,
/// "Unknown stays unknown").
fn evaluate(source: &Source, area: &Area, i: usize, inputs: &Inputs) -> Result<f64, Missing> {
    let v = evaluate_formula(source, area, i, inputs)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Missing::Undefined)
    }
}

fn evaluate_formula(
    source: &Source,
    area: &Area,
    i: usize,
    inputs: &Inputs,
) -> Result<f64, Missing> {
    let get = |c: &str| area.value(c).ok_or(Missing::Suppressed);
    match source {
        Source::Value { column } => get(column),
        Source::Ln { column } => {
            let v = get(column)?;
            if v > 0.0 {
                Ok(v.ln())
            } else {
                Err(Missing::Undefined)
            }
        }
        Source::Per1000 { numerator } => ratio(get(numerator)?, get("population")?, 1000.0),
        Source::Share {
            numerator,
            denominator,
        } => ratio(get(numerator)?, get(denominator)?, 100.0),
        Source::DensityFromGeometry => {
            let km2 = area.geometry.unsigned_area() / 1.0e6;
            ratio(get("population")?, km2, 1.0)
        }
        Source::CareUnitsPer1000 => {
            let units = inputs.care_units.map(|u| u[i]).unwrap_or(0.0);
            ratio(units, get("population")?, 1000.0)
        }
    }
}

fn ratio(num: f64, den: f64, scale: f64) -> Result<f64, Missing> {
    if den > 0.0 {
        Ok(scale * num / den)
    } else {
        Err(Missing::Undefined)
    }
}
