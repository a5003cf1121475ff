//! Which metric families [`crate::spread::compute`] runs.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// A family of spreading metrics that can be switched on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricFamily {
    /// Fair-share ratio and gap per area and per group, fair-share dissimilarity, HHI,
    /// normalised HHI, effective number of areas.
    FairShare,
    /// Aspatial single-group indices (D, Gini, Theil H, isolation, exposure, Atkinson,
    /// correlation ratio), spatial dissimilarity and the multigroup indices.
    Segregation,
    /// Global Moran's I on the care rate and on the saldo.
    Moran,
    /// Local Moran's I (LISA) on the care rate and on the saldo.
    Lisa,
    /// Global Getis–Ord G on the care rate; local Gi* on the care rate and on the saldo.
    GetisOrd,
    /// Nearest-neighbour distances between sites and Clark–Evans R.
    NearestNeighbour,
}

impl MetricFamily {
    /// Every family, in the order they are listed and computed.
    pub const ALL: [MetricFamily; 6] = [
        MetricFamily::FairShare,
        MetricFamily::Segregation,
        MetricFamily::Moran,
        MetricFamily::Lisa,
        MetricFamily::GetisOrd,
        MetricFamily::NearestNeighbour,
    ];

    /// The name used in metric lists: `fair_share`, `segregation`, `moran`, `lisa`,
    /// `getis_ord`, `nearest_neighbour`.
    pub fn name(self) -> &'static str {
        match self {
            MetricFamily::FairShare => "fair_share",
            MetricFamily::Segregation => "segregation",
            MetricFamily::Moran => "moran",
            MetricFamily::Lisa => "lisa",
            MetricFamily::GetisOrd => "getis_ord",
            MetricFamily::NearestNeighbour => "nearest_neighbour",
        }
    }
}

impl fmt::Display for MetricFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The names accepted by [`MetricSet::from_str`], for error messages.
const VALID_NAMES: &str = "all, fair_share, segregation, moran, lisa, getis_ord, nearest_neighbour";

/// A metric list that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetricSetError {
    /// A name is not a metric family.
    #[error("onbekende familie van spreidingsmaten '{name}'; kies een van: {VALID_NAMES}")]
    Unknown {
        /// The name as given.
        name: String,
    },
    /// The list is empty.
    #[error("geen familie van spreidingsmaten opgegeven; kies een van: {VALID_NAMES}")]
    Empty,
}

/// The set of metric families to compute. Defaults to all of them.
///
/// Parses from `"all"` or a comma-separated list such as `"fair_share,moran,lisa"` (spaces
/// around names are ignored).
///
/// # Example
/// ```
/// use wijkbalans::spread::{MetricFamily, MetricSet};
/// let set: MetricSet = "fair_share, lisa".parse().unwrap();
/// assert!(set.contains(MetricFamily::Lisa) && !set.contains(MetricFamily::Moran));
/// assert_eq!("all".parse::<MetricSet>().unwrap(), MetricSet::all());
/// let err = "gini".parse::<MetricSet>().unwrap_err().to_string();
/// assert!(err.contains("kies een van: all, fair_share"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricSet {
    families: BTreeSet<MetricFamily>,
}

impl MetricSet {
    /// Every family.
    pub fn all() -> Self {
        MetricSet {
            families: MetricFamily::ALL.into_iter().collect(),
        }
    }

    /// Exactly the given families.
    pub fn only(families: impl IntoIterator<Item = MetricFamily>) -> Self {
        MetricSet {
            families: families.into_iter().collect(),
        }
    }

    /// Whether `family` is in the set.
    pub fn contains(&self, family: MetricFamily) -> bool {
        self.families.contains(&family)
    }

    /// The families in the set, in [`MetricFamily::ALL`] order.
    pub fn families(&self) -> impl Iterator<Item = MetricFamily> + '_ {
        self.families.iter().copied()
    }
}

impl Default for MetricSet {
    fn default() -> Self {
        MetricSet::all()
    }
}

impl FromStr for MetricSet {
    type Err = MetricSetError;

    fn from_str(list: &str) -> Result<Self, Self::Err> {
        let mut families = BTreeSet::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if name == "all" {
                families.extend(MetricFamily::ALL);
                continue;
            }
            let family = MetricFamily::ALL
                .into_iter()
                .find(|f| f.name() == name)
                .ok_or_else(|| MetricSetError::Unknown { name: name.into() })?;
            families.insert(family);
        }
        if families.is_empty() {
            return Err(MetricSetError::Empty);
        }
        Ok(MetricSet { families })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        let set: MetricSet = "moran,getis_ord".parse().unwrap();
        assert_eq!(
            set.families().collect::<Vec<_>>(),
            vec![MetricFamily::Moran, MetricFamily::GetisOrd]
        );
        assert_eq!(" all ".parse::<MetricSet>(), Ok(MetricSet::all()));
        assert_eq!("all,lisa".parse::<MetricSet>(), Ok(MetricSet::all()));
        for family in MetricFamily::ALL {
            let set: MetricSet = family.name().parse().unwrap();
            assert_eq!(set, MetricSet::only([family]));
        }
    }

    #[test]
    fn errors_list_valid_names() {
        let err = "fair_share,morans".parse::<MetricSet>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "onbekende familie van spreidingsmaten 'morans'; kies een van: all, fair_share, \
             segregation, moran, lisa, getis_ord, nearest_neighbour"
        );
        assert_eq!(" , ".parse::<MetricSet>(), Err(MetricSetError::Empty));
    }
}
