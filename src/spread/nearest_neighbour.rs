//! Nearest-neighbour distances between care sites.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::Serialize;

use super::undefined::Undefined;

/// A care site: a point in a metric CRS (metres, e.g. EPSG:28992) with its target group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SitePoint {
    /// Easting in metres.
    pub x: f64,
    /// Northing in metres.
    pub y: f64,
    /// Target group (e.g. "BW", "MO").
    pub group: String,
}

/// Distance from every point to the nearest *other* point.
///
/// d_i = min_{j ≠ i} ‖s_i − s_j‖ (Euclidean), found with an R-tree nearest-neighbour query,
/// O(n log n). Two sites at the same location are 0 m apart.
///
/// Reference: Clark & Evans (1954), "Distance to nearest neighbor as a measure of spatial
/// relationships in populations", Ecology 35(4), doi:10.2307/1931034; docs/METHOD.md §3.10;
/// `pysal/pointpats@524296c5:pointpats/pointpattern.py` (`nnd`). Units: metres; needs a
/// metric CRS, not lon/lat.
///
/// # Parameters
/// - `points`: `[x, y]` per site, in site order.
///
/// # Returns
/// One distance per point, in point order: [`Undefined::NoOtherSite`] when there is no other
/// point, [`Undefined::NotFinite`] for a point with a NaN or infinite coordinate (left out of
/// everyone else's search too).
///
/// # Example
/// Hand check: (0,0)–(3,4) is 5 m; (10,0) is √(7² + 4²) ≈ 8.062 m from (3,4).
/// ```
/// use wijkbalans::spread::nearest_neighbour_distances;
/// let d = nearest_neighbour_distances(&[[0.0, 0.0], [3.0, 4.0], [10.0, 0.0]]);
/// assert_eq!(d[0], Ok(5.0));
/// assert_eq!(d[1], Ok(5.0));
/// assert_eq!(d[2], Ok(65f64.sqrt()));
/// ```
pub fn nearest_neighbour_distances(points: &[[f64; 2]]) -> Vec<Result<f64, Undefined>> {
    let finite = |p: &[f64; 2]| p[0].is_finite() && p[1].is_finite();
    let tree = RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .filter(|(_, p)| finite(p))
            .map(|(i, p)| GeomWithData::new(*p, i))
            .collect(),
    );
    points
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if !finite(p) {
                return Err(Undefined::NotFinite { index: i });
            }
            tree.nearest_neighbor_iter(p)
                .find(|other| other.data != i)
                .map(|other| {
                    let q = other.geom();
                    (q[0] - p[0]).hypot(q[1] - p[1])
                })
                .ok_or(Undefined::NoOtherSite)
        })
        .collect()
}

/// Distance from every site to the nearest other site of the *same group*.
///
/// As [`nearest_neighbour_distances`], within each group separately.
///
/// # Parameters
/// - `sites`: the sites, in site order.
///
/// # Returns
/// One distance per site, in site order; [`Undefined::NoOtherSite`] when the site is the only
/// one of its group.
///
/// # Example
/// ```
/// use wijkbalans::spread::{nearest_same_group_distances, SitePoint};
/// let site = |x: f64, group: &str| SitePoint { x, y: 0.0, group: group.into() };
/// let d = nearest_same_group_distances(&[site(0.0, "BW"), site(1.0, "MO"), site(5.0, "BW")]);
/// assert_eq!(d[0], Ok(5.0));
/// assert!(d[1].is_err());
/// ```
pub fn nearest_same_group_distances(sites: &[SitePoint]) -> Vec<Result<f64, Undefined>> {
    let mut by_group: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, site) in sites.iter().enumerate() {
        by_group.entry(site.group.as_str()).or_default().push(i);
    }
    let mut distances = vec![Err(Undefined::NoOtherSite); sites.len()];
    for members in by_group.values() {
        let points: Vec<[f64; 2]> = members.iter().map(|&i| [sites[i].x, sites[i].y]).collect();
        for (&i, d) in members.iter().zip(nearest_neighbour_distances(&points)) {
            distances[i] = d.map_err(|reason| match reason {
                Undefined::NotFinite { .. } => Undefined::NotFinite { index: i },
                other => other,
            });
        }
    }
    distances
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn clark_evans_points() {
        let points = [
            [100.0, 100.0],
            [150.0, 120.0],
            [800.0, 800.0],
            [820.0, 790.0],
            [500.0, 200.0],
        ];
        let expected = [53.85, 53.85, 22.36, 22.36, 359.03];
        for (d, e) in nearest_neighbour_distances(&points).iter().zip(expected) {
            assert_relative_eq!(*d.as_ref().unwrap(), e, epsilon = 0.005);
        }
    }

    #[test]
    fn none_without_others() {
        assert_eq!(
            nearest_neighbour_distances(&[[1.0, 1.0]]),
            vec![Err(Undefined::NoOtherSite)]
        );
        assert!(nearest_neighbour_distances(&[]).is_empty());
    }

    #[test]
    fn duplicates_are_zero_apart() {
        let d = nearest_neighbour_distances(&[[1.0, 1.0], [1.0, 1.0], [9.0, 9.0]]);
        assert_eq!(d[0], Ok(0.0));
        assert_eq!(d[1], Ok(0.0));
    }

    #[test]
    fn non_finite_points_are_left_out() {
        let d = nearest_neighbour_distances(&[[0.0, 0.0], [f64::NAN, 0.0], [3.0, 4.0]]);
        assert_eq!(
            d,
            vec![Ok(5.0), Err(Undefined::NotFinite { index: 1 }), Ok(5.0)]
        );
    }

    #[test]
    fn same_group() {
        let site = |x: f64, group: &str| SitePoint {
            x,
            y: 0.0,
            group: group.into(),
        };
        let sites = [
            site(0.0, "a"),
            site(1.0, "b"),
            site(3.0, "a"),
            site(10.0, "b"),
        ];
        let d = nearest_same_group_distances(&sites);
        assert_eq!(d, vec![Ok(3.0), Ok(9.0), Ok(3.0), Ok(9.0)]);
    }
}
