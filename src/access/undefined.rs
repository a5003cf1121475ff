//! Why an accessibility value has no value, or why an input was refused: the explicit
//! replacement for NaN and ±∞ in [`crate::access`].

use serde::{Serialize, Serializer};

/// The reason an accessibility value is missing, or a parameter is refused.
///
/// Serialises as its message (the `Display` text), like [`crate::spread::Undefined`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Undefined {
    /// An input coordinate or value is NaN or infinite.
    #[error("{input} {index} is geen eindig getal")]
    NotFinite {
        /// Which input (`demand`, `population`, `supply`, `capacity`).
        input: &'static str,
        /// Index within that input.
        index: usize,
    },
    /// A population or capacity that must be non-negative is negative.
    #[error("{input} {index}: negatieve waarde {value}; de maat vraagt waarden van 0 of meer")]
    NegativeValue {
        /// Which input (`population`, `capacity`).
        input: &'static str,
        /// Index within that input.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A parameter is outside its range.
    #[error("{name} = {value} moet {range} zijn")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        value: f64,
        /// Allowed range, in Dutch words that complete "{name} = {value} moet … zijn".
        range: &'static str,
    },
    /// A step decay whose weight rises with the distance: a farther facility would count more
    /// than a nearer one, which no distance decay means (the steps as written in the
    /// configuration, ordered by their bounds).
    #[error(
        "de stappen van het afstandsverval stijgen met de afstand (gewicht {near_weight} tot \
         {near_bound} m, {far_weight} tot {far_bound} m); een verval blijft gelijk of daalt"
    )]
    RisingDecay {
        /// The nearer step's bound (m).
        near_bound: f64,
        /// Its weight.
        near_weight: f64,
        /// The farther step's bound (m).
        far_bound: f64,
        /// Its weight, higher than the nearer one's.
        far_weight: f64,
    },
    /// None of the weighted facility types is in the facilities layer (with a weight above 0),
    /// so the Geroscoop weighted distance has an empty denominator.
    #[error(
        "geen van de gewogen voorzieningstypen staat in de laag met voorzieningen \
         (ontbreken: {}); voeg ze toe aan de laag of pas de gewichten aan",
        absent.join(", ")
    )]
    NoWeightedKind {
        /// The weighted types that are absent from the layer, sorted.
        absent: Vec<String>,
    },
    /// Floating catchment: no demand point lies within `max_cost` of this facility, so its
    /// supply-to-demand ratio R_j has no denominator.
    #[error("no demand point within max_cost of this facility (R_j has no denominator)")]
    NoDemandInReach,
    /// Floating catchment: demand points lie within `max_cost`, but their distance-weighted
    /// population is 0 (all populations 0, or all weights 0).
    #[error("the weighted demand within max_cost of this facility is 0 (R_j = S_j / 0)")]
    ZeroDemandInReach,
}

impl Serialize for Undefined {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Hemelsbreed (straight-line, Euclidean) distance in metres between two points.
///
/// Computed as √(Δx² + Δy²), the same expression the R-tree uses for its squared distances,
/// so a brute-force minimum over these values equals the R-tree's nearest distance exactly.
#[inline]
pub(crate) fn distance(a: &[f64; 2], b: &[f64; 2]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    (dx * dx + dy * dy).sqrt()
}

/// True when both coordinates are finite.
#[inline]
pub(crate) fn is_finite(p: &[f64; 2]) -> bool {
    p[0].is_finite() && p[1].is_finite()
}

/// True for a finite number ≥ 0 (a valid radius, weight, population or capacity).
#[inline]
pub(crate) fn is_non_negative(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_message() {
        let json = serde_json::to_string(&Undefined::NoDemandInReach).unwrap();
        assert_eq!(
            json,
            r#""no demand point within max_cost of this facility (R_j has no denominator)""#
        );
    }

    #[test]
    fn distance_is_euclidean() {
        assert_eq!(distance(&[0.0, 0.0], &[3.0, 4.0]), 5.0);
        assert!(is_finite(&[1.0, 2.0]));
        assert!(!is_finite(&[f64::NAN, 2.0]));
        assert!(!is_finite(&[1.0, f64::INFINITY]));
        assert!(is_non_negative(0.0) && is_non_negative(300.0));
        assert!(
            !is_non_negative(-1.0) && !is_non_negative(f64::NAN) && !is_non_negative(f64::INFINITY)
        );
    }
}
