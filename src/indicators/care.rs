//! Care units per area from the sites layer: the input of DL7 and of the spreading metrics.
//!
//! Units of a site count in its area when its status is one of the counted statuses (default:
//! `existing`). The weighted total is Σ_g w_g · units_g with the configured group weights
//! (default 1: weights are a policy choice, docs/METHOD.md §2.3). Regular homes in a mixed
//! project (`regular_units`) are reported but never count as care units.
//!
//! Units are whole numbers, so their sums are exact in any order. The weighted total is
//! computed from the per-group sums, in config group order ([`weighted_units`]), never summed
//! site by site: with a weight such as 0.7 a running sum would depend on the order of the sites
//! in the file, and a what-if that adds and removes units would not return to the same bits.

use std::collections::BTreeMap;

use crate::model::{Site, SiteStatus, TargetGroup};

/// Care units per area (area order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CareTable {
    /// Units of counted sites per target group, for the groups that occur (config order).
    pub units_by_group: BTreeMap<String, Vec<f64>>,
    /// Σ units of counted sites (unweighted).
    pub units: Vec<f64>,
    /// Σ_g w_g · units_g of counted sites (the DL7 numerator).
    pub weighted: Vec<f64>,
    /// Units of sites with status `planned` (whether or not planned sites are counted).
    pub planned: Vec<f64>,
    /// Number of counted sites.
    pub sites: Vec<usize>,
    /// Regular (no care need) homes in counted mixed projects.
    pub regular_units: Vec<f64>,
}

/// Aggregate sites to areas. `area_of[k]` is the area index of site k (None = outside).
pub fn aggregate(
    sites: &[Site],
    area_of: &[Option<usize>],
    n_areas: usize,
    groups: &[TargetGroup],
    counted: &[SiteStatus],
) -> CareTable {
    let mut t = CareTable {
        units: vec![0.0; n_areas],
        weighted: vec![0.0; n_areas],
        planned: vec![0.0; n_areas],
        sites: vec![0; n_areas],
        regular_units: vec![0.0; n_areas],
        ..Default::default()
    };
    for (site, area) in sites.iter().zip(area_of) {
        let Some(i) = *area else { continue };
        if site.status == SiteStatus::Planned {
            t.planned[i] += site.units;
        }
        if !counted.contains(&site.status) {
            continue;
        }
        t.units[i] += site.units;
        t.sites[i] += 1;
        t.regular_units[i] += site.regular_units;
        t.units_by_group
            .entry(site.target_group.clone())
            .or_insert_with(|| vec![0.0; n_areas])[i] += site.units;
    }
    for i in 0..n_areas {
        t.weighted[i] = weighted_units(&t.units_by_group, groups, i);
    }
    t
}

/// Σ_g w_g · units_g of area `i`, over the configured groups in config order, then any other
/// group with weight 1 (in name order). A function of the per-group sums only, so the same for
/// any order of the sites.
pub fn weighted_units(
    units_by_group: &BTreeMap<String, Vec<f64>>,
    groups: &[TargetGroup],
    i: usize,
) -> f64 {
    weighted_units_with(units_by_group, groups, i, None)
}

/// [`weighted_units`] of area `i` as if group `replaced.0` (a configured group, or one in the
/// table) had `replaced.1` units there (a what-if without changing the table; the same sum in the same order, so the same bits as
/// changing the table and calling [`weighted_units`]).
///
/// # Example
/// Zorg 12 units (weight 1) and beschermd thuis 6 (weight 1) with beschermd thuis replaced by
/// 10: 12 + 10 = 22.
pub fn weighted_units_with(
    units_by_group: &BTreeMap<String, Vec<f64>>,
    groups: &[TargetGroup],
    i: usize,
    replaced: Option<(&str, f64)>,
) -> f64 {
    let units = |id: &str| match replaced {
        Some((g, u)) if g == id => u,
        _ => units_by_group.get(id).map_or(0.0, |u| u[i]),
    };
    let configured: f64 = groups.iter().map(|g| g.weight * units(&g.id)).sum();
    let other: f64 = units_by_group
        .iter()
        .filter(|(id, _)| !groups.iter().any(|g| g.id == **id))
        .map(|(id, _)| units(id))
        .sum();
    configured + other
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::default_target_groups;

    fn site(units: f64, group: &str, status: SiteStatus) -> Site {
        Site {
            feature_index: 0,
            location: geo::Coord { x: 0.0, y: 0.0 },
            units,
            regular_units: 2.0,
            target_group: group.to_string(),
            status,
            care_24h: None,
            name: None,
            year: None,
            properties: Default::default(),
            address: None,
        }
    }

    #[test]
    fn weights_statuses_and_outside_sites() {
        let mut groups = default_target_groups();
        groups[0].weight = 2.0; // beschermd_wonen
        let sites = vec![
            site(10.0, "beschermd_wonen", SiteStatus::Existing),
            site(5.0, "housing_first", SiteStatus::Existing),
            site(7.0, "housing_first", SiteStatus::Planned),
            site(3.0, "housing_first", SiteStatus::Existing),
        ];
        let t = aggregate(
            &sites,
            &[Some(0), Some(0), Some(1), None],
            2,
            &groups,
            &[SiteStatus::Existing],
        );
        assert_eq!(t.units, vec![15.0, 0.0]);
        assert_eq!(t.weighted, vec![25.0, 0.0]);
        assert_eq!(t.planned, vec![0.0, 7.0]);
        assert_eq!(t.sites, vec![2, 0]);
        assert_eq!(t.regular_units, vec![4.0, 0.0]);
        assert_eq!(t.units_by_group["housing_first"], vec![5.0, 0.0]);
    }

    #[test]
    fn the_weighted_total_does_not_depend_on_the_site_order() {
        let mut groups = default_target_groups();
        for (g, w) in groups.iter_mut().zip([0.7, 0.1, 0.3]) {
            g.weight = w;
        }
        let mut sites = vec![
            site(1.0, "maatschappelijke_opvang", SiteStatus::Existing),
            site(8.0, "maatschappelijke_opvang", SiteStatus::Existing),
            site(16.0, "beschermd_thuis", SiteStatus::Existing),
            site(8.0, "maatschappelijke_opvang", SiteStatus::Existing),
        ];
        let all = |sites: &[Site]| {
            aggregate(sites, &[Some(0); 4], 1, &groups, &[SiteStatus::Existing]).weighted
        };
        let forward = all(&sites);
        sites.reverse();
        assert_eq!(all(&sites), forward);
        // Summed site by site this was 6.699999999999999 in one order and 6.7 in the other.
        assert_eq!(forward, vec![0.1 * 16.0 + 0.3 * 17.0]);
    }
}
