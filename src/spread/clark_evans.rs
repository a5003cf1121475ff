//! Clark–Evans aggregation index R of care sites.

use geo::{Area, Coord, MultiPolygon};
use serde::Serialize;

use super::moran::two_tailed_p;
use super::nearest_neighbour::nearest_neighbour_distances;
use super::undefined::Undefined;
use super::weights::{ring_edges, rings};

/// Area and perimeter of the study window, in m² and m.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    /// Area in m².
    pub area: f64,
    /// Perimeter in m (all rings, holes included).
    pub perimeter: f64,
}

fn ring_length(coords: &[Coord<f64>]) -> f64 {
    coords
        .windows(2)
        .map(|s| (s[1].x - s[0].x).hypot(s[1].y - s[0].y))
        .sum()
}

impl Window {
    /// The window of one (multi)polygon: its area and the length of all its rings.
    ///
    /// # Example
    /// ```
    /// use geo::{polygon, MultiPolygon};
    /// use wijkbalans::spread::Window;
    /// let square = MultiPolygon::new(vec![polygon![
    ///     (x: 0.0, y: 0.0), (x: 1000.0, y: 0.0), (x: 1000.0, y: 1000.0), (x: 0.0, y: 1000.0)]]);
    /// assert_eq!(Window::of(&square), Window { area: 1e6, perimeter: 4000.0 });
    /// ```
    pub fn of(window: &MultiPolygon<f64>) -> Self {
        Window {
            area: window.unsigned_area(),
            perimeter: rings(window).map(|r| ring_length(&r.0)).sum(),
        }
    }

    /// The window formed by several areas that tile the plane without overlapping (e.g. the
    /// wijken with inhabitants): the sum of their areas, and the perimeter of their union.
    ///
    /// The union's perimeter is the total length of the edges that only one ring has: an edge
    /// two areas share (same two vertices, any direction) lies inside the union. This is exact
    /// when neighbouring areas share their border vertices (as in the CBS wijk files); where a
    /// shared border is digitised differently on both sides, both sides count and the
    /// perimeter comes out too long. Computed in a fixed order, so the sum is deterministic.
    pub fn union_of(areas: &[&MultiPolygon<f64>]) -> Self {
        let area = areas.iter().map(|mp| mp.unsigned_area()).sum();
        let mut edges: Vec<_> = areas
            .iter()
            .flat_map(|mp| rings(mp))
            .flat_map(|ring| ring_edges(ring, None))
            .map(|(key, segment)| (key, ring_length(&segment)))
            .collect();
        edges.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut perimeter = 0.0;
        for group in edges.chunk_by(|a, b| a.0 == b.0) {
            if group.len() == 1 {
                perimeter += group[0].1;
            }
        }
        Window { area, perimeter }
    }
}

/// Clark–Evans aggregation index with the asymptotic test and Donnelly's edge correction.
/// Field names serialise as in spatstat and docs/METHOD.md §3.10 (`D_obs`, `R`, …).
///
/// `Default` is every statistic `None` without a reason, for n = 0: the base that
/// [`ClarkEvans::undefined`] fills in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClarkEvans {
    /// Number of sites.
    pub n: usize,
    /// Window area in m².
    pub window_area: Option<f64>,
    /// Window perimeter in m.
    pub window_perimeter: Option<f64>,
    /// λ = n / area, sites per m².
    pub intensity: Option<f64>,
    /// Mean nearest-neighbour distance in m.
    #[serde(rename = "D_obs")]
    pub d_obs: Option<f64>,
    /// Expected mean distance under complete spatial randomness, 1/(2√λ), in m.
    #[serde(rename = "D_pois")]
    pub d_pois: Option<f64>,
    /// R = D_obs / D_pois: < 1 clustered, ≈ 1 random, > 1 regular.
    #[serde(rename = "R")]
    pub r: Option<f64>,
    /// Standard error of D_obs under CSR, in m.
    #[serde(rename = "SE")]
    pub se: Option<f64>,
    /// Z = (D_obs − D_pois)/SE.
    #[serde(rename = "Z")]
    pub z: Option<f64>,
    /// Two-tailed normal p-value of Z.
    pub p_norm: Option<f64>,
    /// Donnelly's edge-corrected expected distance, in m.
    #[serde(rename = "D_donnelly")]
    pub d_donnelly: Option<f64>,
    /// R with Donnelly's correction, D_obs / D_donnelly.
    #[serde(rename = "R_donnelly")]
    pub r_donnelly: Option<f64>,
    /// Why fields are `None`; `None` when everything is defined.
    pub undefined_reason: Option<Undefined>,
}

impl ClarkEvans {
    /// A result with every statistic undefined for `reason`.
    pub fn undefined(reason: Undefined, n: usize) -> Self {
        ClarkEvans {
            n,
            undefined_reason: Some(reason),
            ..Default::default()
        }
    }

    /// The same result with the window's area and perimeter filled in.
    fn in_window(self, window: Window) -> Self {
        ClarkEvans {
            window_area: Some(window.area),
            window_perimeter: Some(window.perimeter),
            ..self
        }
    }
}

/// Clark–Evans R of a point pattern in a window.
///
/// See [`clark_evans_from_distances`]; this computes the nearest-neighbour distances first.
///
/// # Example
/// ```
/// use wijkbalans::spread::{clark_evans, Window};
/// let points = [[100.0, 100.0], [150.0, 120.0], [800.0, 800.0], [820.0, 790.0], [500.0, 200.0]];
/// let ce = clark_evans(&points, Window { area: 1e6, perimeter: 4000.0 });
/// assert!((ce.r.unwrap() - 0.45746).abs() < 5e-6);
/// ```
pub fn clark_evans(points: &[[f64; 2]], window: Window) -> ClarkEvans {
    clark_evans_from_nearest(&nearest_neighbour_distances(points), window)
}

/// Clark–Evans R from the per-site results of [`nearest_neighbour_distances`].
pub(crate) fn clark_evans_from_nearest(
    nearest: &[Result<f64, Undefined>],
    window: Window,
) -> ClarkEvans {
    let n = nearest.len();
    match nearest
        .iter()
        .cloned()
        .collect::<Result<Vec<f64>, Undefined>>()
    {
        Ok(distances) => clark_evans_from_distances(&distances, window),
        Err(Undefined::NoOtherSite) => {
            ClarkEvans::undefined(Undefined::TooFewSites { n, min: 2 }, n).in_window(window)
        }
        Err(reason) => ClarkEvans::undefined(reason, n).in_window(window),
    }
}

/// Clark–Evans R from the sites' nearest-neighbour distances.
///
/// λ = n/area; D_obs = mean(d_i); D_pois = 1/(2√λ); R = D_obs/D_pois;
/// SE = √((4 − π)·area/(4π))/n; Z = (D_obs − D_pois)/SE (asymptotic test, two-tailed p).
/// Donnelly: D_donnelly = D_pois + (0.0514 + 0.0412/√n)·perimeter/n, R_donnelly =
/// D_obs/D_donnelly. R < 1 clustered, ≈ 1 random, > 1 regular (hexagonal maximum ≈ 2.15).
///
/// Reference: Clark & Evans (1954), doi:10.2307/1931034; Donnelly (1978), "Simulations to
/// determine the variance and edge effect of total nearest neighbour distance", in Hodder (ed.),
/// *Simulation Methods in Archaeology*; implementation
/// `spatstat/spatstat.explore@104a23cd:R/clarkevans.R` (`clarkevansCalc`). Units: metres.
///
/// Donnelly's correction was fitted for **rectangular** windows; here it is applied to any
/// window through its area and perimeter, which is an approximation for wijk-shaped windows.
/// Use the built-up or populated area as the window, not the whole municipality, or R leans
/// towards "clustered".
///
/// # Parameters
/// - `distances`: nearest-neighbour distance of every site (m), e.g. from
///   [`nearest_neighbour_distances`].
/// - `window`: study window area (m²) and perimeter (m).
///
/// # Returns
/// All `None` with a reason when n < 2, a distance is not finite, or the window has no area.
///
/// # Example
/// Hand check (docs/METHOD.md Appendix A): n = 5 in 1 km², λ = 5·10⁻⁶, D_pois = 1/(2√λ) ≈ 223.607,
/// D_obs ≈ 102.290, R ≈ 0.45746.
/// ```
/// use wijkbalans::spread::{clark_evans_from_distances, Window};
/// let d = [53.851648, 53.851648, 22.360680, 22.360680, 359.026461];
/// let ce = clark_evans_from_distances(&d, Window { area: 1e6, perimeter: 4000.0 });
/// assert!((ce.d_pois.unwrap() - 223.6068).abs() < 1e-4);
/// assert!((ce.r_donnelly.unwrap() - 0.36602).abs() < 5e-6);
/// ```
pub fn clark_evans_from_distances(distances: &[f64], window: Window) -> ClarkEvans {
    let n = distances.len();
    if n < 2 {
        return ClarkEvans::undefined(Undefined::TooFewSites { n, min: 2 }, n).in_window(window);
    }
    if let Some(index) = distances.iter().position(|d| !d.is_finite()) {
        return ClarkEvans::undefined(Undefined::NotFinite { index }, n).in_window(window);
    }
    if !(window.area.is_finite() && window.area > 0.0) {
        return ClarkEvans::undefined(Undefined::EmptyWindow, n);
    }
    let nf = n as f64;
    let intensity = nf / window.area;
    let d_obs = distances.iter().sum::<f64>() / nf;
    let d_pois = 1.0 / (2.0 * intensity.sqrt());
    let se =
        ((4.0 - std::f64::consts::PI) * window.area / (4.0 * std::f64::consts::PI)).sqrt() / nf;
    let z = (d_obs - d_pois) / se;
    let d_donnelly = d_pois + (0.0514 + 0.0412 / nf.sqrt()) * window.perimeter / nf;
    ClarkEvans {
        n,
        window_area: Some(window.area),
        window_perimeter: Some(window.perimeter),
        intensity: Some(intensity),
        d_obs: Some(d_obs),
        d_pois: Some(d_pois),
        r: Some(d_obs / d_pois),
        se: Some(se),
        z: Some(z),
        p_norm: Some(two_tailed_p(z)),
        d_donnelly: Some(d_donnelly),
        r_donnelly: Some(d_obs / d_donnelly),
        undefined_reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::weights::tests::{grid3x3, square};
    use approx::assert_relative_eq;

    const POINTS: [[f64; 2]; 5] = [
        [100.0, 100.0],
        [150.0, 120.0],
        [800.0, 800.0],
        [820.0, 790.0],
        [500.0, 200.0],
    ];

    #[test]
    fn appendix_a() {
        let window = Window::of(&square(0.0, 0.0, 1000.0));
        assert_eq!(
            window,
            Window {
                area: 1e6,
                perimeter: 4000.0
            }
        );
        let ce = clark_evans(&POINTS, window);
        // the appendix prints 4 decimals for distances, 5 for R and Z
        assert_relative_eq!(ce.d_obs.unwrap(), 102.2902, epsilon = 5e-5);
        assert_relative_eq!(ce.d_pois.unwrap(), 223.6068, epsilon = 5e-5);
        assert_relative_eq!(ce.r.unwrap(), 0.45746, epsilon = 5e-6);
        assert_relative_eq!(ce.se.unwrap(), 52.2723, epsilon = 5e-5);
        assert_relative_eq!(ce.z.unwrap(), -2.32086, epsilon = 5e-6);
        assert_relative_eq!(ce.r_donnelly.unwrap(), 0.36602, epsilon = 5e-6);
        assert!(ce.undefined_reason.is_none());
    }

    #[test]
    fn too_few_sites_and_empty_window() {
        let window = Window {
            area: 1e6,
            perimeter: 4000.0,
        };
        assert_eq!(
            clark_evans(&[[1.0, 1.0]], window).undefined_reason,
            Some(Undefined::TooFewSites { n: 1, min: 2 })
        );
        assert_eq!(
            clark_evans(&[], window).undefined_reason,
            Some(Undefined::TooFewSites { n: 0, min: 2 })
        );
        let empty = Window {
            area: 0.0,
            perimeter: 0.0,
        };
        assert_eq!(
            clark_evans(&POINTS, empty).undefined_reason,
            Some(Undefined::EmptyWindow)
        );
    }

    #[test]
    fn union_perimeter_drops_shared_edges() {
        let grid = grid3x3();
        let all: Vec<&MultiPolygon<f64>> = grid.iter().collect();
        let window = Window::union_of(&all);
        assert_relative_eq!(window.area, 9e6);
        assert_relative_eq!(window.perimeter, 12_000.0);
        // the top row only: 3 km × 1 km
        let top = Window::union_of(&all[0..3]);
        assert_relative_eq!(top.perimeter, 8_000.0);
        // two diagonal cells share only a vertex: both perimeters count
        let diagonal = Window::union_of(&[&grid[0], &grid[4]]);
        assert_relative_eq!(diagonal.perimeter, 8_000.0);
    }
}
