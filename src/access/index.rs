//! One R-tree per facility type: nearest facility and counts within a radius, hemelsbreed.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::network::{Network, SourceTree};
use super::undefined::{distance, is_finite};
use crate::model::Facility;

/// A facility point in an R-tree, carrying its index in the input layer.
type Entry = GeomWithData<[f64; 2], usize>;

/// Facilities grouped by type, each type in its own R-tree, for hemelsbreed (straight-line)
/// nearest-facility and buffer-count queries.
///
/// d_i(k) = min_{j of type k} ‖p_i − f_j‖ (Euclidean, metres), found with an R-tree
/// nearest-neighbour query in O(log n) per point instead of a scan over all facilities.
///
/// Reference: docs/METHOD.md §5.1 (nearest facility) and §5.4 (buffer counts); the R reference
/// is `ipeaGIT/accessibility:R/cost_to_closest.R` and `R/cumulative_cutoff.R`. CBS publishes
/// road distances (`g_afs_hp`, `g_afs_gs`); these are hemelsbreed and must be labelled so.
/// Units: metres; the coordinates must be in a metric CRS (EPSG:28992), not lon/lat.
///
/// Facilities with a NaN or infinite coordinate are left out of every tree (see
/// [`FacilityIndex::skipped`]); a type whose facilities are all left out is absent.
///
/// # Example
/// Hand check: from (0, 0) the supermarket at (30, 40) is 50 m hemelsbreed, the one at
/// (0, 100) 100 m; only the first lies within 60 m.
/// ```
/// use wijkbalans::access::FacilityIndex;
/// let points = [[30.0, 40.0], [0.0, 100.0], [5.0, 5.0]];
/// let kinds = ["supermarkt".to_string(), "supermarkt".into(), "huisarts".into()];
/// let index = FacilityIndex::new(&points, &kinds);
/// assert_eq!(index.types(), vec!["huisarts", "supermarkt"]);
/// assert_eq!(index.nearest("supermarkt", [0.0, 0.0]), Some((0, 50.0)));
/// assert_eq!(index.count_within("supermarkt", [0.0, 0.0], 60.0), 1);
/// assert_eq!(index.nearest("apotheek", [0.0, 0.0]), None);
/// ```
///
/// # Over de weg
/// [`FacilityIndex::with_network`] switches [`FacilityIndex::nearest`] and
/// [`FacilityIndex::nearest_many`] (and so rings, ring shares and the Geroscoop distance) to
/// walking distances over a line network; [`FacilityIndex::distance_label`] says which
/// distance an index gives. [`FacilityIndex::count_within`] stays hemelsbreed.
#[derive(Debug, Clone)]
pub struct FacilityIndex {
    trees: BTreeMap<String, RTree<Entry>>,
    skipped: Vec<usize>,
    network: Option<Arc<NetworkDistances>>,
}

/// The over-de-weg form of an index: the network and, per type, one multi-source Dijkstra
/// tree with the facility index of each source.
#[derive(Debug)]
struct NetworkDistances {
    network: Network,
    trees: BTreeMap<String, (SourceTree, Vec<usize>)>,
}

/// Which distance a [`FacilityIndex`] measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistanceKind {
    /// Straight line ("hemelsbreed").
    Hemelsbreed,
    /// Over a walking network ("over de weg").
    OverDeWeg,
}

impl DistanceKind {
    /// The Dutch label used in outputs and reasons: `hemelsbreed` or `over de weg`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Hemelsbreed => "hemelsbreed",
            Self::OverDeWeg => "over de weg",
        }
    }
}

impl FacilityIndex {
    /// Builds one R-tree per facility type (bulk loaded).
    ///
    /// # Parameters
    /// - `points`: `[x, y]` per facility in metres (EPSG:28992), in layer order.
    /// - `kinds`: the type of each facility (e.g. `supermarkt`), same order and length. Types
    ///   are compared exactly (the model stores them lower case with `_` for spaces).
    ///
    /// # Returns
    /// The index; the facility index reported by [`FacilityIndex::nearest`] is the position
    /// in `points`.
    ///
    /// # Panics
    /// When `points` and `kinds` differ in length.
    pub fn new(points: &[[f64; 2]], kinds: &[String]) -> Self {
        assert_eq!(
            points.len(),
            kinds.len(),
            "FacilityIndex::new: {} points but {} kinds",
            points.len(),
            kinds.len()
        );
        let mut by_kind: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
        let mut skipped = Vec::new();
        for (i, (p, kind)) in points.iter().zip(kinds).enumerate() {
            if is_finite(p) {
                by_kind
                    .entry(kind.as_str())
                    .or_default()
                    .push(GeomWithData::new(*p, i));
            } else {
                skipped.push(i);
            }
        }
        let trees = by_kind
            .into_iter()
            .map(|(kind, entries)| (kind.to_string(), RTree::bulk_load(entries)))
            .collect();
        FacilityIndex {
            trees,
            skipped,
            network: None,
        }
    }

    /// The same facilities measured over de weg on `network`: one multi-source Dijkstra per
    /// type, from all its facilities at once ([`Network::source_tree`]), so that each later
    /// query is a snap to the nearest network node and a lookup.
    ///
    /// # Example
    /// An L-shaped street: the huisarts at (60, 80) is 100 m hemelsbreed from (0, 0) and
    /// 140 m over de weg.
    /// ```
    /// use wijkbalans::access::{DistanceKind, FacilityIndex, Network};
    /// let street = vec![vec![[0.0, 0.0], [0.0, 80.0]], vec![[0.0, 80.0], [60.0, 80.0]]];
    /// let index = FacilityIndex::new(&[[60.0, 80.0]], &["huisarts".to_string()]);
    /// assert_eq!(index.nearest("huisarts", [0.0, 0.0]), Some((0, 100.0)));
    /// let index = index.with_network(Network::from_lines(&street, 1.0).unwrap());
    /// assert_eq!(index.distance_kind(), DistanceKind::OverDeWeg);
    /// assert_eq!(index.nearest("huisarts", [0.0, 0.0]), Some((0, 140.0)));
    /// ```
    pub fn with_network(mut self, network: Network) -> Self {
        let trees = self
            .trees
            .iter()
            .map(|(kind, tree)| {
                let mut entries: Vec<&Entry> = tree.iter().collect();
                entries.sort_by_key(|e| e.data);
                let points: Vec<[f64; 2]> = entries.iter().map(|e| *e.geom()).collect();
                let ids: Vec<usize> = entries.iter().map(|e| e.data).collect();
                (kind.clone(), (network.source_tree(&points), ids))
            })
            .collect();
        self.network = Some(Arc::new(NetworkDistances { network, trees }));
        self
    }

    /// Whether [`FacilityIndex::nearest`] measures hemelsbreed or over de weg.
    pub fn distance_kind(&self) -> DistanceKind {
        if self.network.is_some() {
            DistanceKind::OverDeWeg
        } else {
            DistanceKind::Hemelsbreed
        }
    }

    /// The label of [`FacilityIndex::distance_kind`]: `hemelsbreed` or `over de weg`.
    pub fn distance_label(&self) -> &'static str {
        self.distance_kind().label()
    }

    /// The walking network, when the index measures over de weg.
    pub fn network(&self) -> Option<&Network> {
        self.network.as_ref().map(|n| &n.network)
    }

    /// Builds the index from model facilities; the facility index is the position in
    /// `facilities` (not `feature_index`).
    pub fn from_facilities(facilities: &[Facility]) -> Self {
        let points: Vec<[f64; 2]> = facilities
            .iter()
            .map(|f| [f.location.x, f.location.y])
            .collect();
        let kinds: Vec<String> = facilities.iter().map(|f| f.kind.clone()).collect();
        Self::new(&points, &kinds)
    }

    /// The facility types present (with at least one facility with finite coordinates),
    /// sorted.
    pub fn types(&self) -> Vec<&str> {
        self.trees.keys().map(String::as_str).collect()
    }

    /// True when at least one facility of `kind` is indexed.
    pub fn contains(&self, kind: &str) -> bool {
        self.trees.contains_key(kind)
    }

    /// Number of indexed facilities of `kind` (0 when absent).
    pub fn count(&self, kind: &str) -> usize {
        self.trees.get(kind).map_or(0, RTree::size)
    }

    /// Input positions of the facilities left out because a coordinate is NaN or infinite.
    pub fn skipped(&self) -> &[usize] {
        &self.skipped
    }

    /// The nearest facility of `kind` to `p`, hemelsbreed.
    ///
    /// # Parameters
    /// - `kind`: facility type.
    /// - `p`: query point `[x, y]` in metres.
    ///
    /// # Returns
    /// `(facility index, distance in metres)`; among facilities at exactly the same distance,
    /// the lowest facility index. `None` when the type is absent or `p` is not finite.
    pub fn nearest(&self, kind: &str, p: [f64; 2]) -> Option<(usize, f64)> {
        if !is_finite(&p) {
            return None;
        }
        if let Some(net) = &self.network {
            let (tree, ids) = net.trees.get(kind)?;
            return net
                .network
                .nearest_source(tree, p)
                .map(|(source, d)| (ids[source], d));
        }
        let tree = self.trees.get(kind)?;
        let best = tree
            .nearest_neighbors(&p)
            .into_iter()
            .min_by_key(|entry| entry.data)?;
        Some((best.data, distance(best.geom(), &p)))
    }

    /// Hemelsbreed distance from every point to the nearest facility of `kind`, in parallel.
    ///
    /// # Algorithm
    /// A batch form of [`FacilityIndex::nearest`] for millions of dwellings. The points are
    /// grouped (by a counting sort) into square tiles whose side is the mean spacing of the
    /// facilities of the type, √(bounding-box area / count). For a tile with at least 8 points, let c be the centre and h
    /// the half-diagonal of the bounding box of its points, and d_c the distance from c to its
    /// nearest facility (one R-tree query). Every point p of the tile has its nearest facility
    /// f* within d_c + 2h of c, because ‖c − f*‖ ≤ ‖c − p‖ + ‖p − f*‖ ≤ h + (h + d_c); one
    /// R-tree within-distance query gives those candidates and each point takes the minimum
    /// over them. Smaller tiles query the R-tree once per point. The minimum is taken over
    /// the same squared distances the R-tree uses, so the result equals the per-point query
    /// bit for bit, whatever the tiling.
    ///
    /// # Parameters
    /// - `kind`: facility type.
    /// - `points`: query points `[x, y]` in metres.
    ///
    /// # Returns
    /// One distance in metres per point, in point order (rayon ordered collect, so the result
    /// does not depend on the thread count). `None` for a point that is not finite, and for
    /// every point when the type is absent.
    pub fn nearest_many(&self, kind: &str, points: &[[f64; 2]]) -> Vec<Option<f64>> {
        if let Some(net) = &self.network {
            return match net.trees.get(kind) {
                None => vec![None; points.len()],
                Some((tree, _)) => points
                    .par_iter()
                    .map(|p| net.network.nearest_source(tree, *p).map(|(_, d)| d))
                    .collect(),
            };
        }
        match self.trees.get(kind) {
            None => vec![None; points.len()],
            Some(tree) => nearest_many_tiled(tree, points),
        }
    }

    /// Number of facilities of `kind` within `r` metres of `p`, hemelsbreed, boundary
    /// included (squared distance ≤ r²).
    ///
    /// # Returns
    /// The count; 0 when the type is absent, `p` is not finite, or `r` is negative or NaN.
    pub fn count_within(&self, kind: &str, p: [f64; 2], r: f64) -> usize {
        if !is_finite(&p) || r.is_nan() || r < 0.0 {
            return 0;
        }
        self.trees
            .get(kind)
            .map_or(0, |tree| tree.locate_within_distance(p, r * r).count())
    }
}

/// Tiles with fewer points than this query the R-tree once per point.
const MIN_TILE_POINTS: usize = 8;

/// The batch nearest-distance algorithm of [`FacilityIndex::nearest_many`].
pub(crate) fn nearest_many_tiled(tree: &RTree<Entry>, points: &[[f64; 2]]) -> Vec<Option<f64>> {
    let mut out = vec![None; points.len()];
    if tree.size() == 0 {
        return out;
    }
    let (order, tiles) = group_by_tile(points, tile_side(tree), points.len().max(1 << 16));
    let distances: Vec<f64> = tiles
        .par_iter()
        .flat_map_iter(|range| tile_distances(tree, points, &order[range.clone()]))
        .collect();
    for (&i, d) in order.iter().zip(distances) {
        out[i] = Some(d);
    }
    out
}

/// Side of a tile: the mean spacing of the tree's facilities, √(w·h / n), or w / n for
/// facilities along a line (w ≥ h), kept between 10 m and 10 km.
fn tile_side(tree: &RTree<Entry>) -> f64 {
    let envelope = tree.root().envelope();
    let (lower, upper) = (envelope.lower(), envelope.upper());
    let (w, h) = (upper[0] - lower[0], upper[1] - lower[1]);
    let n = tree.size() as f64;
    (w * h / n).sqrt().max(w.max(h) / n).clamp(10.0, 10_000.0)
}

/// The finite points grouped by square tile of side `side`: `order` lists point indices tile
/// by tile (ascending within a tile) and `tiles` the range of `order` of each non-empty tile.
///
/// A counting sort over the grid spanned by the points when it has at most `max_cells`
/// cells (two sequential passes), otherwise a parallel sort of (tile, index) pairs. The pairs
/// are unique, so both are deterministic.
fn group_by_tile(
    points: &[[f64; 2]],
    side: f64,
    max_cells: usize,
) -> (Vec<usize>, Vec<Range<usize>>) {
    let tile = |p: &[f64; 2]| ((p[0] / side).floor() as i64, (p[1] / side).floor() as i64);
    let Some((c0, r0, c1, r1)) = points
        .par_iter()
        .filter(|p| is_finite(p))
        .map(|p| {
            let (c, r) = tile(p);
            (c, r, c, r)
        })
        .reduce_with(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
    else {
        return (Vec::new(), Vec::new());
    };
    // i128: the span of two saturated i64 tile numbers does not overflow.
    let columns = i128::from(c1) - i128::from(c0) + 1;
    let rows = i128::from(r1) - i128::from(r0) + 1;
    if columns * rows <= max_cells as i128 {
        let rows = rows as usize;
        let cells = columns as usize * rows;
        let cell_of: Vec<usize> = points
            .par_iter()
            .map(|p| {
                if is_finite(p) {
                    let (c, r) = tile(p);
                    (c - c0) as usize * rows + (r - r0) as usize
                } else {
                    usize::MAX
                }
            })
            .collect();
        // start[c] .. start[c + 1] is the range of cell c in `order`.
        let mut start = vec![0usize; cells + 1];
        for &c in cell_of.iter().filter(|&&c| c != usize::MAX) {
            start[c + 1] += 1;
        }
        for c in 1..=cells {
            start[c] += start[c - 1];
        }
        let mut next = start.clone();
        let mut order = vec![0usize; start[cells]];
        for (i, &c) in cell_of.iter().enumerate() {
            if c != usize::MAX {
                order[next[c]] = i;
                next[c] += 1;
            }
        }
        let tiles = start
            .windows(2)
            .filter(|w| w[1] > w[0])
            .map(|w| w[0]..w[1])
            .collect();
        (order, tiles)
    } else {
        // Far-away points may share a key here (the casts wrap); that only makes a tile's
        // bounding box larger, never a result wrong.
        let mut keyed: Vec<(u64, usize)> = points
            .par_iter()
            .enumerate()
            .filter(|(_, p)| is_finite(p))
            .map(|(i, p)| {
                let (c, r) = tile(p);
                (((c as u32 as u64) << 32) | r as u32 as u64, i)
            })
            .collect();
        keyed.par_sort_unstable();
        let mut tiles = Vec::new();
        let mut first = 0;
        for k in 1..=keyed.len() {
            if k == keyed.len() || keyed[k].0 != keyed[first].0 {
                tiles.push(first..k);
                first = k;
            }
        }
        (keyed.into_iter().map(|(_, i)| i).collect(), tiles)
    }
}

/// Nearest distances for the points of one tile (`members` are point indices), in tile
/// order.
fn tile_distances<'a>(
    tree: &'a RTree<Entry>,
    points: &'a [[f64; 2]],
    members: &'a [usize],
) -> Box<dyn Iterator<Item = f64> + 'a> {
    let point = move |&i: &usize| &points[i];
    let nearest = move |p: &[f64; 2]| {
        // The tree is not empty and p is finite, so there is a nearest entry.
        tree.nearest_neighbor(p)
            .map_or(f64::INFINITY, |e| distance(e.geom(), p))
    };
    if members.len() < MIN_TILE_POINTS {
        return Box::new(members.iter().map(move |m| nearest(point(m))));
    }
    let mut lower = [f64::INFINITY; 2];
    let mut upper = [f64::NEG_INFINITY; 2];
    for p in members.iter().map(point) {
        for axis in 0..2 {
            lower[axis] = lower[axis].min(p[axis]);
            upper[axis] = upper[axis].max(p[axis]);
        }
    }
    let centre = [
        lower[0] + (upper[0] - lower[0]) / 2.0,
        lower[1] + (upper[1] - lower[1]) / 2.0,
    ];
    let half_diagonal = distance(&lower, &upper) / 2.0;
    // The relative and absolute slack cover rounding in the bound; extra candidates are
    // harmless.
    let reach = (nearest(&centre) + 2.0 * half_diagonal) * (1.0 + 1e-9) + 1e-6;
    let candidates: Vec<[f64; 2]> = tree
        .locate_within_distance(centre, reach * reach)
        .map(|e| *e.geom())
        .collect();
    Box::new(members.iter().map(move |m| {
        let p = point(m);
        let mut best = f64::INFINITY;
        for f in &candidates {
            let dx = f[0] - p[0];
            let dy = f[1] - p[1];
            let d2 = dx * dx + dy * dy;
            if d2 < best {
                best = d2;
            }
        }
        best.sqrt()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;
    use approx::assert_relative_eq;
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn hand_checked_distances() {
        let points = [[30.0, 40.0], [0.0, 100.0], [5.0, 5.0], [300.0, 400.0]];
        let index = FacilityIndex::new(
            &points,
            &strings(&["supermarkt", "supermarkt", "huisarts", "huisarts"]),
        );
        assert_eq!(index.types(), vec!["huisarts", "supermarkt"]);
        assert_eq!(index.count("huisarts"), 2);
        assert_eq!(index.nearest("supermarkt", [0.0, 0.0]), Some((0, 50.0)));
        let (i, d) = index.nearest("huisarts", [0.0, 0.0]).unwrap();
        assert_eq!(i, 2);
        assert_relative_eq!(d, 50f64.sqrt());
        assert_eq!(
            index.nearest_many("supermarkt", &[[0.0, 0.0], [0.0, 90.0], [f64::NAN, 0.0]]),
            vec![Some(50.0), Some(10.0), None]
        );
    }

    #[test]
    fn ties_go_to_the_lowest_index() {
        // Four facilities 10 m from the origin, given in scrambled order.
        let points = [[0.0, 10.0], [10.0, 0.0], [-10.0, 0.0], [0.0, -10.0]];
        let index = FacilityIndex::new(&points, &strings(&["a"; 4]));
        assert_eq!(index.nearest("a", [0.0, 0.0]), Some((0, 10.0)));
        let index = FacilityIndex::new(&points[1..], &strings(&["a"; 3]));
        assert_eq!(index.nearest("a", [0.0, 0.0]), Some((0, 10.0)));
    }

    #[test]
    fn absent_types_and_bad_points() {
        let index = FacilityIndex::new(
            &[[0.0, 0.0], [f64::NAN, 1.0]],
            &strings(&["supermarkt", "apotheek"]),
        );
        assert_eq!(index.types(), vec!["supermarkt"]);
        assert_eq!(index.skipped(), &[1]);
        assert!(!index.contains("apotheek"));
        assert_eq!(index.nearest("apotheek", [0.0, 0.0]), None);
        assert_eq!(index.nearest("supermarkt", [f64::INFINITY, 0.0]), None);
        assert_eq!(index.nearest_many("apotheek", &[[0.0, 0.0]]), vec![None]);
        assert_eq!(index.count_within("apotheek", [0.0, 0.0], 1e9), 0);
        assert_eq!(index.count_within("supermarkt", [0.0, 0.0], f64::NAN), 0);
        assert_eq!(index.count_within("supermarkt", [0.0, 0.0], -1.0), 0);
        let empty = FacilityIndex::new(&[], &[]);
        assert!(empty.types().is_empty());
    }

    #[test]
    fn count_includes_the_boundary() {
        let points = [[300.0, 0.0], [0.0, 500.0], [0.0, 500.1], [-300.0, -400.0]];
        let index = FacilityIndex::new(&points, &strings(&["ov_halte"; 4]));
        assert_eq!(index.count_within("ov_halte", [0.0, 0.0], 300.0), 1);
        assert_eq!(index.count_within("ov_halte", [0.0, 0.0], 500.0), 3);
        assert_eq!(index.count_within("ov_halte", [0.0, 0.0], 501.0), 4);
        assert_eq!(index.count_within("ov_halte", [0.0, 0.0], 0.0), 0);
    }

    #[test]
    fn from_model_facilities() {
        let facility = |x: f64, kind: &str| Facility {
            feature_index: 7,
            location: geo::Coord { x, y: 0.0 },
            kind: kind.into(),
            capacity: None,
            properties: serde_json::Map::new(),
            address: None,
        };
        let index = FacilityIndex::from_facilities(&[facility(5.0, "a"), facility(2.0, "a")]);
        assert_eq!(index.nearest("a", [0.0, 0.0]), Some((1, 2.0)));
    }

    /// A seeded random layer: `n` facilities of 3 types in a 2 km square, coordinates rounded
    /// to whole metres so that exact ties and duplicates occur.
    fn random_layer(seed: u64, n: usize) -> (Vec<[f64; 2]>, Vec<String>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let types = ["supermarkt", "huisarts", "apotheek"];
        (0..n)
            .map(|_| {
                let p = [
                    rng.random_range(0..2000) as f64,
                    rng.random_range(0..2000) as f64,
                ];
                (p, types[rng.random_range(0..types.len())].to_string())
            })
            .unzip()
    }

    /// Brute force: (lowest index, distance) of the nearest facility of `kind`.
    fn brute_nearest(
        points: &[[f64; 2]],
        kinds: &[String],
        kind: &str,
        p: &[f64; 2],
    ) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for (j, (q, k)) in points.iter().zip(kinds).enumerate() {
            if k == kind {
                let d = distance(q, p);
                if best.is_none_or(|(_, b)| d < b) {
                    best = Some((j, d));
                }
            }
        }
        best
    }

    #[test]
    fn seeded_layers_match_brute_force() {
        for seed in 0..20 {
            let (points, layer_kinds) = random_layer(seed, 5 + 15 * seed as usize);
            let index = FacilityIndex::new(&points, &layer_kinds);
            let mut rng = ChaCha8Rng::seed_from_u64(1000 + seed);
            let queries: Vec<[f64; 2]> = (0..200)
                .map(|_| {
                    [
                        rng.random_range(-500..2500) as f64,
                        rng.random_range(-500..2500) as f64,
                    ]
                })
                .collect();
            for kind in ["supermarkt", "huisarts", "apotheek", "horeca"] {
                let many = index.nearest_many(kind, &queries);
                for (q, d) in queries.iter().zip(&many) {
                    let expected = brute_nearest(&points, &layer_kinds, kind, q);
                    assert_eq!(
                        index.nearest(kind, *q),
                        expected,
                        "seed {seed} {kind} {q:?}"
                    );
                    assert_eq!(*d, expected.map(|(_, d)| d));
                    let r = 300.0;
                    let count = points
                        .iter()
                        .zip(&layer_kinds)
                        .filter(|(f, k)| *k == kind && distance(f, q) <= r)
                        .count();
                    assert_eq!(index.count_within(kind, *q, r), count);
                }
            }
        }
    }

    #[test]
    fn tiled_batch_equals_per_point_queries() {
        // Dense queries (many points per tile) and sparse ones, around and far outside the
        // facilities, compared bit for bit with the per-point query.
        for (seed, facilities) in [(7, 1), (8, 3), (9, 40), (10, 400)] {
            let (points, layer_kinds) = random_layer(seed, facilities);
            let layer_kinds: Vec<String> = layer_kinds.iter().map(|_| "a".to_string()).collect();
            let index = FacilityIndex::new(&points, &layer_kinds);
            let mut rng = ChaCha8Rng::seed_from_u64(seed + 100);
            let mut queries: Vec<[f64; 2]> = (0..20_000)
                .map(|_| [rng.random_range(-1e3..3e3), rng.random_range(-1e3..3e3)])
                .collect();
            queries.extend((0..50).map(|i| [1e6 + i as f64, -5e5]));
            queries.push([f64::NAN, 0.0]);
            let many = index.nearest_many("a", &queries);
            for (q, d) in queries.iter().zip(&many) {
                assert_eq!(*d, index.nearest("a", *q).map(|(_, d)| d), "{q:?}");
            }
        }
    }

    #[test]
    fn counting_and_sorting_group_the_same_tiles() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut points: Vec<[f64; 2]> = (0..5000)
            .map(|_| [rng.random_range(-3e3..3e3), rng.random_range(0.0..1e3)])
            .collect();
        points.push([f64::NAN, 1.0]);
        let tiles = |points: &[[f64; 2]], max_cells: usize| {
            let (order, ranges) = group_by_tile(points, 100.0, max_cells);
            let mut groups: Vec<Vec<usize>> =
                ranges.into_iter().map(|r| order[r].to_vec()).collect();
            groups.sort();
            groups
        };
        // 60 × 10 tiles: counted with room to spare, sorted with no room.
        let by_count = tiles(&points, 600);
        let by_sort = tiles(&points, 599);
        assert_eq!(by_count, by_sort);
        assert_eq!(by_count.len(), 600);
        assert_eq!(by_count.iter().map(Vec::len).sum::<usize>(), 5000);
        assert!(by_count.iter().all(|g| g.windows(2).all(|w| w[0] < w[1])));
        // A point far away makes the grid too large to count; it still gets a tile.
        points.push([-1e300, 1e300]);
        let far = tiles(&points, usize::MAX);
        assert_eq!(far.iter().map(Vec::len).sum::<usize>(), 5001);
    }

    proptest! {
        #[test]
        fn nearest_is_the_minimum_over_the_type(
            layer in prop::collection::vec(
                ((-1e4f64..1e4, -1e4f64..1e4), 0usize..3), 0..60),
            query in (-2e4f64..2e4, -2e4f64..2e4),
        ) {
            let names = ["supermarkt", "huisarts", "ov_halte"];
            let points: Vec<[f64; 2]> = layer.iter().map(|((x, y), _)| [*x, *y]).collect();
            let layer_kinds: Vec<String> =
                layer.iter().map(|(_, k)| names[*k].to_string()).collect();
            let index = FacilityIndex::new(&points, &layer_kinds);
            let q = [query.0, query.1];
            for kind in names {
                let expected = brute_nearest(&points, &layer_kinds, kind, &q);
                prop_assert_eq!(index.nearest(kind, q), expected);
                prop_assert_eq!(index.nearest_many(kind, &[q])[0], expected.map(|(_, d)| d));
            }
        }
    }

    #[test]
    fn same_result_for_any_thread_count() {
        let (points, layer_kinds) = random_layer(42, 500);
        let index = FacilityIndex::new(&points, &layer_kinds);
        let queries: Vec<[f64; 2]> = (0..5000)
            .map(|i| [(i * 37 % 2000) as f64, (i * 91 % 2000) as f64])
            .collect();
        let run = |threads: usize| {
            crate::testing::on_threads(threads, || index.nearest_many("huisarts", &queries))
        };
        assert_eq!(run(1), run(4));
    }

    /// A 10 × 10 street grid with 100 m blocks, noded at every crossing.
    fn grid() -> Network {
        let mut lines = Vec::new();
        for i in 0..10 {
            let c = 100.0 * i as f64;
            lines.push(vec![[c, 0.0], [c, 900.0]]);
            lines.push(vec![[0.0, c], [900.0, c]]);
        }
        // Node the crossings: split every line at each 100 m.
        let lines: Vec<Vec<[f64; 2]>> = lines
            .iter()
            .flat_map(|l| {
                let (a, b) = (l[0], l[1]);
                (0..9).map(move |k| {
                    let t0 = k as f64 / 9.0;
                    let t1 = (k + 1) as f64 / 9.0;
                    vec![
                        [a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0],
                        [a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1],
                    ]
                })
            })
            .collect();
        Network::from_lines(&lines, 0.5).unwrap()
    }

    #[test]
    fn over_de_weg_nearest_is_the_minimum_over_the_type_and_never_below_hemelsbreed() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let kinds = ["supermarkt", "huisarts"];
        let points: Vec<[f64; 2]> = (0..12)
            .map(|_| [rng.random_range(0.0..900.0), rng.random_range(0.0..900.0)])
            .collect();
        let layer_kinds: Vec<String> = (0..12).map(|i| kinds[i % 2].to_string()).collect();
        let straight = FacilityIndex::new(&points, &layer_kinds);
        let network = grid();
        let index = straight.clone().with_network(network.clone());
        assert_eq!(index.distance_label(), "over de weg");
        assert_eq!(straight.distance_label(), "hemelsbreed");
        let queries: Vec<[f64; 2]> = (0..200)
            .map(|_| [rng.random_range(0.0..900.0), rng.random_range(0.0..900.0)])
            .collect();
        for kind in kinds {
            let many = index.nearest_many(kind, &queries);
            for (q, from_many) in queries.iter().zip(&many) {
                let (j, d) = index.nearest(kind, *q).unwrap();
                assert_eq!(*from_many, Some(d));
                // Brute force: each facility of the type on its own.
                let best = (0..points.len())
                    .filter(|&i| layer_kinds[i] == kind)
                    .map(|i| network.distance_to_nearest(&[points[i]], &[*q])[0].unwrap())
                    .fold(f64::INFINITY, f64::min);
                assert_eq!(d, best);
                assert_eq!(layer_kinds[j], kind);
                assert_eq!(network.distance_to_nearest(&[points[j]], &[*q])[0], Some(d));
                let (_, h) = straight.nearest(kind, *q).unwrap();
                assert!(d >= h - 1e-9, "over de weg {d} < hemelsbreed {h}");
            }
        }
    }
}
