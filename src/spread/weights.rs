//! Contiguity spatial weights (Queen and Rook) from area polygons.

use std::collections::HashMap;
use std::hash::Hash;

use geo::{Coord, LineString, MultiPolygon};
use serde::{Deserialize, Serialize};

/// Which shared boundary makes two areas neighbours: `queen` or `rook` in a config file and on
/// the command line (whose `--help` lists the names only).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Contiguity {
    /// Neighbours share at least one vertex (libpysal `Queen`).
    #[default]
    #[value(help = None::<&str>)]
    Queen,
    /// Neighbours share at least one edge: two consecutive ring vertices, in either direction
    /// (libpysal `Rook`).
    #[value(help = None::<&str>)]
    Rook,
}

/// How the weights of a row are scaled (libpysal `W.transform`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Transform {
    /// "B": w_ij = 1 for every neighbour.
    Binary,
    /// "R": w_ij = 1 / (number of neighbours of i); an island's row stays all zero.
    Row,
}

/// Contiguity weights: a sorted neighbour list per area, in the input area order.
///
/// Built with [`SpatialWeights::contiguity`] from polygons (as libpysal's
/// `Queen/Rook.from_dataframe`) or with [`SpatialWeights::from_neighbours`]. Every weight in a
/// row is equal (1 for [`Transform::Binary`], 1/k_i for [`Transform::Row`]); the statistics in
/// this module rely on that.
///
/// Reference: `pysal/libpysal@300dc173:libpysal/weights/_contW_lists.py` (construction) and
/// `libpysal/weights/weights.py` (S0, S1, S2, transforms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpatialWeights {
    neighbours: Vec<Vec<usize>>,
}

/// Hash key of a vertex: its exact bit pattern, or its cell on the snapping grid.
type VertexKey = (i64, i64);

impl SpatialWeights {
    /// Queen or Rook contiguity of `geometries`, found by hashing vertices (Queen) or
    /// normalised edges (Rook); O(V) expected for V vertices, never pairwise.
    ///
    /// Two areas are Queen neighbours when they have a vertex with exactly the same
    /// coordinates, and Rook neighbours when they have an edge between the same two vertices
    /// (in either direction). Exterior and interior rings count; zero-length edges are
    /// ignored.
    ///
    /// # Parameters
    /// - `geometries`: one multipolygon per area, in area order, in a metric CRS.
    /// - `kind`: [`Contiguity::Queen`] or [`Contiguity::Rook`].
    /// - `snap`: `None` (default, as libpysal) compares exact coordinates. `Some(tol)` rounds
    ///   every coordinate to the nearest multiple of `tol` (same units as the data) before
    ///   hashing, which joins vertices that differ by rounding noise. It is a grid, not a
    ///   distance test: two points closer than `tol` can still fall in different cells.
    ///
    /// # Returns
    /// Sorted neighbour lists; areas without neighbours are islands (see
    /// [`SpatialWeights::islands`]).
    ///
    /// # Panics
    /// When `snap` is not a finite positive number.
    ///
    /// # Deviation from libpysal
    /// libpysal chains the rings of a multi-ring polygon into one vertex list for Rook and so
    /// also hashes a pseudo-edge from the end of one ring to the start of the next; here each
    /// ring's edges stand alone. Zero-length edges (repeated vertices) are skipped.
    ///
    /// # Example
    /// ```
    /// use geo::{polygon, MultiPolygon};
    /// use wijkbalans::spread::{Contiguity, SpatialWeights};
    /// let cell = |x: f64, y: f64| MultiPolygon::new(vec![polygon![
    ///     (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)]]);
    /// // a 2×2 grid: diagonal cells touch only at the centre vertex
    /// let grid = [cell(0., 0.), cell(1., 0.), cell(0., 1.), cell(1., 1.)];
    /// let queen = SpatialWeights::contiguity(&grid, Contiguity::Queen, None);
    /// let rook = SpatialWeights::contiguity(&grid, Contiguity::Rook, None);
    /// assert_eq!(queen.neighbours(0), &[1, 2, 3]);
    /// assert_eq!(rook.neighbours(0), &[1, 2]);
    /// ```
    pub fn contiguity(
        geometries: &[MultiPolygon<f64>],
        kind: Contiguity,
        snap: Option<f64>,
    ) -> Self {
        if let Some(tol) = snap {
            assert!(
                tol.is_finite() && tol > 0.0,
                "snapping tolerance must be a finite positive number, got {tol}"
            );
        }
        let n = geometries.len();
        match kind {
            Contiguity::Queen => {
                let keys = geometries.iter().enumerate().flat_map(|(area, mp)| {
                    rings(mp).flat_map(move |ring| {
                        ring.0.iter().map(move |&c| (vertex_key(c, snap), area))
                    })
                });
                Self::from_neighbours(shared_key_neighbours(n, keys))
            }
            Contiguity::Rook => {
                let keys = geometries.iter().enumerate().flat_map(|(area, mp)| {
                    rings(mp).flat_map(move |ring| {
                        ring_edges(ring, snap).map(move |(edge, _)| (edge, area))
                    })
                });
                Self::from_neighbours(shared_key_neighbours(n, keys))
            }
        }
    }

    /// Weights from explicit neighbour lists (one per area). Lists are sorted, duplicates and
    /// self-references are dropped. The relation need not be symmetric.
    ///
    /// # Panics
    /// When a neighbour index is ≥ the number of lists.
    pub fn from_neighbours(mut neighbours: Vec<Vec<usize>>) -> Self {
        let n = neighbours.len();
        for (i, list) in neighbours.iter_mut().enumerate() {
            list.sort_unstable();
            list.dedup();
            list.retain(|&j| j != i);
            if let Some(&j) = list.last() {
                assert!(
                    j < n,
                    "area {i} has neighbour {j}, but there are only {n} areas"
                );
            }
        }
        SpatialWeights { neighbours }
    }

    /// Number of areas.
    pub fn n(&self) -> usize {
        self.neighbours.len()
    }

    /// Sorted neighbours of area `i`.
    pub fn neighbours(&self, i: usize) -> &[usize] {
        &self.neighbours[i]
    }

    /// Number of neighbours of area `i` (k_i).
    pub fn cardinality(&self, i: usize) -> usize {
        self.neighbours[i].len()
    }

    /// Areas without neighbours, ascending.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.n())
            .filter(|&i| self.cardinality(i) == 0)
            .collect()
    }

    /// Mean number of neighbours per area (0 for no areas).
    pub fn mean_neighbours(&self) -> f64 {
        if self.n() == 0 {
            return 0.0;
        }
        let links: usize = self.neighbours.iter().map(Vec::len).sum();
        links as f64 / self.n() as f64
    }

    /// The weight w_ij of every neighbour j of area `i` under `transform` (0 for an island).
    pub fn row_weight(&self, i: usize, transform: Transform) -> f64 {
        match (transform, self.cardinality(i)) {
            (_, 0) => 0.0,
            (Transform::Binary, _) => 1.0,
            (Transform::Row, k) => 1.0 / k as f64,
        }
    }

    /// Spatial lag (Wv)_i = Σ_j w_ij v_j, in area order.
    ///
    /// # Panics
    /// When `values.len() != self.n()`.
    pub fn lag(&self, values: &[f64], transform: Transform) -> Vec<f64> {
        assert_eq!(values.len(), self.n(), "one value per area is needed");
        (0..self.n())
            .map(|i| self.row_weight(i, transform) * self.neighbour_sum(i, values))
            .collect()
    }

    /// Σ_{j ∈ N(i)} v_j (unweighted).
    pub(crate) fn neighbour_sum(&self, i: usize, values: &[f64]) -> f64 {
        self.neighbours[i].iter().map(|&j| values[j]).sum()
    }

    /// S0 = Σ_i Σ_j w_ij.
    pub fn s0(&self, transform: Transform) -> f64 {
        (0..self.n())
            .map(|i| self.row_weight(i, transform) * self.cardinality(i) as f64)
            .sum()
    }

    /// S1 = ½ Σ_i Σ_j (w_ij + w_ji)².
    pub fn s1(&self, transform: Transform) -> f64 {
        let mut twice = 0.0;
        for i in 0..self.n() {
            let w_ij = self.row_weight(i, transform);
            for &j in &self.neighbours[i] {
                if self.neighbours[j].binary_search(&i).is_ok() {
                    // the ordered pair (j, i) is visited from j's row
                    twice += (w_ij + self.row_weight(j, transform)).powi(2);
                } else {
                    // (i, j) and (j, i) both equal w_ij², and j's row does not list i
                    twice += 2.0 * w_ij * w_ij;
                }
            }
        }
        twice / 2.0
    }

    /// S2 = Σ_i (Σ_j w_ij + Σ_j w_ji)².
    pub fn s2(&self, transform: Transform) -> f64 {
        let mut column = vec![0.0; self.n()];
        for i in 0..self.n() {
            let w = self.row_weight(i, transform);
            for &j in &self.neighbours[i] {
                column[j] += w;
            }
        }
        (0..self.n())
            .map(|i| {
                let row = self.row_weight(i, transform) * self.cardinality(i) as f64;
                (row + column[i]).powi(2)
            })
            .sum()
    }

    /// The weights restricted to the areas where `keep[i]` is true, re-indexed 0..m, with the
    /// original index of each kept area. Links to dropped areas disappear, so new islands can
    /// appear.
    ///
    /// # Panics
    /// When `keep.len() != self.n()`.
    pub fn subset(&self, keep: &[bool]) -> (SpatialWeights, Vec<usize>) {
        assert_eq!(keep.len(), self.n(), "one flag per area is needed");
        let kept: Vec<usize> = (0..self.n()).filter(|&i| keep[i]).collect();
        let mut new_index = vec![usize::MAX; self.n()];
        for (new, &old) in kept.iter().enumerate() {
            new_index[old] = new;
        }
        let neighbours = kept
            .iter()
            .map(|&i| {
                self.neighbours[i]
                    .iter()
                    .filter(|&&j| keep[j])
                    .map(|&j| new_index[j])
                    .collect()
            })
            .collect();
        (SpatialWeights { neighbours }, kept)
    }
}

/// Exterior and interior rings of every part.
pub(crate) fn rings(mp: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// The key of a vertex: exact bits (with −0 = +0), or the cell index on a `snap` grid.
pub(crate) fn vertex_key(c: Coord<f64>, snap: Option<f64>) -> VertexKey {
    match snap {
        None => (exact_bits(c.x), exact_bits(c.y)),
        Some(tol) => ((c.x / tol).round() as i64, (c.y / tol).round() as i64),
    }
}

fn exact_bits(v: f64) -> i64 {
    // +0.0 and −0.0 are the same coordinate
    if v == 0.0 {
        0
    } else {
        v.to_bits() as i64
    }
}

/// Key of an undirected edge: its two vertex keys, the smaller first.
pub(crate) type EdgeKey = (VertexKey, VertexKey);

/// The edges of a ring with their undirected keys, skipping zero-length edges.
pub(crate) fn ring_edges(
    ring: &LineString<f64>,
    snap: Option<f64>,
) -> impl Iterator<Item = (EdgeKey, [Coord<f64>; 2])> + '_ {
    ring.0.windows(2).filter_map(move |pair| {
        let a = vertex_key(pair[0], snap);
        let b = vertex_key(pair[1], snap);
        let key = match a.cmp(&b) {
            std::cmp::Ordering::Less => (a, b),
            std::cmp::Ordering::Greater => (b, a),
            std::cmp::Ordering::Equal => return None,
        };
        Some((key, [pair[0], pair[1]]))
    })
}

/// Neighbour lists (unsorted, with repeats) of areas that share at least one key.
fn shared_key_neighbours<K: Hash + Eq>(
    n: usize,
    keys: impl Iterator<Item = (K, usize)>,
) -> Vec<Vec<usize>> {
    let mut owners: HashMap<K, Vec<usize>> = HashMap::new();
    for (key, area) in keys {
        let list = owners.entry(key).or_default();
        if !list.contains(&area) {
            list.push(area);
        }
    }
    let mut neighbours = vec![Vec::new(); n];
    for areas in owners.values().filter(|a| a.len() > 1) {
        for &a in areas {
            neighbours[a].extend(areas.iter().copied().filter(|&b| b != a));
        }
    }
    neighbours
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{polygon, Polygon};

    /// The 3×3 grid of 1 km squares of docs/METHOD.md Appendix A, ids row-major W00..W22, with its
    /// top-left corner at RD (200000, 500000) as in the reference fixture.
    pub(crate) fn grid3x3() -> Vec<MultiPolygon<f64>> {
        let (x0, y0, size) = (200_000.0, 500_000.0, 1_000.0);
        let mut cells = Vec::new();
        for r in 0..3 {
            for c in 0..3 {
                let (x, y) = (x0 + c as f64 * size, y0 - (r + 1) as f64 * size);
                cells.push(square(x, y, size));
            }
        }
        cells
    }

    pub(crate) fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size)
        ]])
    }

    #[test]
    fn grid_queen_and_rook() {
        let grid = grid3x3();
        let queen = SpatialWeights::contiguity(&grid, Contiguity::Queen, None);
        let rook = SpatialWeights::contiguity(&grid, Contiguity::Rook, None);
        assert_eq!(queen.neighbours(0), &[1, 3, 4]);
        assert_eq!(queen.neighbours(4), &[0, 1, 2, 3, 5, 6, 7, 8]);
        assert_eq!(queen.neighbours(1), &[0, 2, 3, 4, 5]);
        assert_eq!(rook.neighbours(0), &[1, 3]);
        assert_eq!(rook.neighbours(4), &[1, 3, 5, 7]);
        assert_eq!(rook.neighbours(1), &[0, 2, 4]);
        assert!(queen.islands().is_empty());
        assert_relative_eq!(queen.mean_neighbours(), 40.0 / 9.0);
        assert_relative_eq!(rook.mean_neighbours(), 24.0 / 9.0);
    }

    #[test]
    fn grid_moments_match_libpysal() {
        // libpysal 4.14.1 (tests/fixtures/reference/pysal_grid3x3.json)
        let queen = SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None);
        assert_relative_eq!(queen.s0(Transform::Binary), 40.0);
        assert_relative_eq!(queen.s1(Transform::Binary), 80.0);
        assert_relative_eq!(queen.s2(Transform::Binary), 800.0);
        assert_relative_eq!(queen.s0(Transform::Row), 9.0, max_relative = 1e-12);
        assert_relative_eq!(
            queen.s1(Transform::Row),
            4.178333333333333,
            max_relative = 1e-12
        );
        assert_relative_eq!(
            queen.s2(Transform::Row),
            38.333888888888886,
            max_relative = 1e-12
        );
    }

    #[test]
    fn asymmetric_moments() {
        // 0 → 1 only: W = [[0, 1], [0, 0]]; S1 = ½((0+1)² + (1+0)²) = 1; S2 = 1² + 1² = 2
        let w = SpatialWeights::from_neighbours(vec![vec![1], vec![]]);
        assert_relative_eq!(w.s0(Transform::Binary), 1.0);
        assert_relative_eq!(w.s1(Transform::Binary), 1.0);
        assert_relative_eq!(w.s2(Transform::Binary), 2.0);
        assert_eq!(w.islands(), vec![1]);
    }

    #[test]
    fn corner_touch_is_queen_only() {
        let a = square(0.0, 0.0, 1.0);
        let b = square(1.0, 1.0, 1.0);
        let queen = SpatialWeights::contiguity(&[a.clone(), b.clone()], Contiguity::Queen, None);
        let rook = SpatialWeights::contiguity(&[a, b], Contiguity::Rook, None);
        assert_eq!(queen.neighbours(0), &[1]);
        assert_eq!(rook.islands(), vec![0, 1]);
    }

    #[test]
    fn reversed_edge_direction_is_shared() {
        // b's ring runs clockwise, a's counter-clockwise: the shared edge is reversed
        let a = square(0.0, 0.0, 1.0);
        let b: Polygon<f64> =
            polygon![(x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 0.0)];
        let rook = SpatialWeights::contiguity(&[a, b.into()], Contiguity::Rook, None);
        assert_eq!(rook.neighbours(0), &[1]);
    }

    #[test]
    fn islands_are_reported() {
        let cells = [
            square(0.0, 0.0, 1.0),
            square(1.0, 0.0, 1.0),
            square(5.0, 5.0, 1.0),
        ];
        let w = SpatialWeights::contiguity(&cells, Contiguity::Queen, None);
        assert_eq!(w.islands(), vec![2]);
        assert_eq!(w.row_weight(2, Transform::Row), 0.0);
        assert_eq!(w.lag(&[1.0, 2.0, 3.0], Transform::Row), vec![2.0, 1.0, 0.0]);
    }

    #[test]
    fn snapping_joins_near_vertices() {
        let a = square(0.0, 0.0, 1.0);
        let b = square(1.000_000_1, 0.0, 1.0);
        let exact = SpatialWeights::contiguity(&[a.clone(), b.clone()], Contiguity::Rook, None);
        assert_eq!(exact.islands(), vec![0, 1]);
        let snapped = SpatialWeights::contiguity(&[a, b], Contiguity::Rook, Some(0.001));
        assert_eq!(snapped.neighbours(0), &[1]);
    }

    #[test]
    fn subset_reindexes_and_creates_islands() {
        let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1]]);
        let (sub, kept) = w.subset(&[true, false, true]);
        assert_eq!(kept, vec![0, 2]);
        assert_eq!(sub.islands(), vec![0, 1]);
    }
}
