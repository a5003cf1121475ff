//! Walking distances over de weg: a line network as a graph, and a multi-source Dijkstra
//! from facilities to homes.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::undefined::{distance, is_finite, is_non_negative, Undefined};

/// A network node in the snapping R-tree, carrying its node index.
type NodePoint = GeomWithData<[f64; 2], NodeIndex>;

/// A walking network built from lines (streets, paths), for distances over de weg.
///
/// Nodes are the line vertices; vertices within `snap_tolerance_m` of an existing node are
/// merged into it (found through a grid hash with cells of max(tolerance, 1 m)), so lines
/// that meet at (nearly) the same vertex are connected. Each pair of consecutive vertices of a
/// line becomes an edge weighted by its length in metres, measured between the nodes it
/// joins (a node keeps the position of the first vertex that created it).
///
/// # Approximation
/// Points are snapped to the nearest network *node* (a vertex), not projected onto the
/// nearest edge, and the straight snap distance is added at both ends. A point beside the
/// middle of a long straight segment therefore gets a detour to a segment end: the error is
/// at most the segment length, so densify long segments (e.g. every 25 m) for house-level
/// detail. Lines that cross without a shared vertex (a T-junction or crossing in the middle
/// of a segment, a bridge) are not connected; the network must be noded at its junctions,
/// as OSM ways and NWB wegvakken are. Distances follow the geometry only: no one-way
/// streets, slopes, crossings or barriers.
///
/// # Example
/// An L-shaped street from (0, 0) north to (0, 80) and east to (60, 80): the points
/// (0, 0) and (60, 80) are 100 m apart hemelsbreed and 80 + 60 = 140 m over de weg.
/// ```
/// use wijkbalans::access::Network;
/// let street = vec![vec![[0.0, 0.0], [0.0, 80.0]], vec![[0.0, 80.0], [60.0, 80.0]]];
/// let network = Network::from_lines(&street, 1.0).unwrap();
/// assert_eq!(network.node_count(), 3);
/// assert_eq!(network.distance_to_nearest(&[[0.0, 0.0]], &[[60.0, 80.0]]), vec![Some(140.0)]);
/// ```
#[derive(Debug, Clone)]
pub struct Network {
    graph: UnGraph<[f64; 2], f64>,
    snap_tree: RTree<NodePoint>,
}

impl Network {
    /// Builds the network graph from lines.
    ///
    /// # Parameters
    /// - `lines`: polylines of `[x, y]` vertices in metres (EPSG:28992). Vertices with a NaN
    ///   or infinite coordinate are dropped together with their two segments; lines with
    ///   fewer than two vertices add nothing.
    /// - `snap_tolerance_m`: vertices within this distance of an existing node are merged
    ///   into it (the nearest such node; the lowest node index on equal distances). 0 merges
    ///   only identical coordinates.
    ///
    /// # Returns
    /// The network; [`Undefined::InvalidParameter`] when the tolerance is negative, NaN or
    /// infinite. Segments whose ends merge into one node are dropped; repeated segments
    /// between the same two nodes give one edge.
    pub fn from_lines(lines: &[Vec<[f64; 2]>], snap_tolerance_m: f64) -> Result<Self, Undefined> {
        if !is_non_negative(snap_tolerance_m) {
            return Err(Undefined::InvalidParameter {
                name: "snap_tolerance_m",
                value: snap_tolerance_m,
                range: "een eindig aantal meter van 0 of meer",
            });
        }
        let mut builder = Builder {
            graph: UnGraph::default(),
            tolerance: snap_tolerance_m,
            cell: snap_tolerance_m.max(1.0),
            grid: HashMap::new(),
            edges: HashSet::new(),
        };
        for line in lines {
            for segment in line.windows(2) {
                let (a, b) = (segment[0], segment[1]);
                if !is_finite(&a) || !is_finite(&b) {
                    continue;
                }
                let (na, nb) = (builder.node_for(a), builder.node_for(b));
                builder.connect(na, nb);
            }
        }
        let graph = builder.graph;
        // Only nodes with an edge can be snapped to: a lone node (a line shorter than the
        // tolerance) would make a nearby point unreachable.
        let snap_tree = RTree::bulk_load(
            graph
                .node_indices()
                .filter(|&n| graph.edges(n).next().is_some())
                .map(|n| GeomWithData::new(graph[n], n))
                .collect(),
        );
        Ok(Network { graph, snap_tree })
    }

    /// The graph: node weights are positions `[x, y]`, edge weights lengths in metres.
    pub fn graph(&self) -> &UnGraph<[f64; 2], f64> {
        &self.graph
    }

    /// Number of nodes (merged vertices).
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges (segments).
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The network node nearest to `p` (hemelsbreed) among nodes with at least one edge, and
    /// the distance to it; the lowest node index on equal distances. `None` for an empty
    /// network or a point that is not finite.
    pub fn snap(&self, p: [f64; 2]) -> Option<(NodeIndex, f64)> {
        if !is_finite(&p) {
            return None;
        }
        let best = self
            .snap_tree
            .nearest_neighbors(&p)
            .into_iter()
            .min_by_key(|entry| entry.data)?;
        Some((best.data, distance(best.geom(), &p)))
    }

    /// Walking distance over de weg from every target to its nearest source.
    ///
    /// d(t) = min_s [ ‖s − n(s)‖ + D(n(s), n(t)) ] + ‖t − n(t)‖, with n(·) the snapped node
    /// ([`Network::snap`]) and D the shortest-path length over the graph. One Dijkstra run
    /// from all sources at once (Dijkstra 1959, "A note on two problems in connexion with
    /// graphs", Numerische Mathematik 1, doi:10.1007/BF01386390) gives D for every target, so
    /// the cost is O((V + E) log V) for any number of sources and targets. See
    /// [`Network`] for the approximation.
    ///
    /// # Parameters
    /// - `sources`: e.g. the facilities of one type, `[x, y]` in metres; points that are not
    ///   finite are ignored.
    /// - `targets`: e.g. dwellings or candidate sites.
    ///
    /// # Returns
    /// One distance in metres per target, in target order; `None` when no source is
    /// connected to the target's node, when there are no (finite) sources, the network is
    /// empty, or the target is not finite.
    ///
    /// # Example
    /// Two sources on a straight 300 m street; the target at 250 m is 50 m from the second.
    /// ```
    /// use wijkbalans::access::Network;
    /// let street = vec![vec![[0.0, 0.0], [100.0, 0.0], [200.0, 0.0], [250.0, 0.0], [300.0, 0.0]]];
    /// let network = Network::from_lines(&street, 0.5).unwrap();
    /// let d = network.distance_to_nearest(&[[0.0, 0.0], [300.0, 0.0]], &[[250.0, 0.0], [100.0, 5.0]]);
    /// assert_eq!(d, vec![Some(50.0), Some(105.0)]);
    /// ```
    pub fn distance_to_nearest(
        &self,
        sources: &[[f64; 2]],
        targets: &[[f64; 2]],
    ) -> Vec<Option<f64>> {
        let tree = self.source_tree(sources);
        targets
            .par_iter()
            .map(|t| self.nearest_source(&tree, *t).map(|(_, d)| d))
            .collect()
    }

    /// One multi-source Dijkstra from `sources`: for every node the distance over de weg
    /// from its nearest source (snap distance included) and which source that is. Query it
    /// with [`Network::nearest_source`] as often as needed.
    ///
    /// Sources that are not finite are ignored. On equal distances the source with the lowest
    /// index wins at a shared start node, and otherwise the path settled first (heap order:
    /// cost, then node index), so the tree does not depend on the thread count.
    pub fn source_tree(&self, sources: &[[f64; 2]]) -> SourceTree {
        let starts: Vec<Option<(NodeIndex, f64)>> =
            sources.par_iter().map(|s| self.snap(*s)).collect();
        let (dist, origin) = self.multi_source_dijkstra(
            starts
                .into_iter()
                .enumerate()
                .filter_map(|(i, s)| s.map(|(n, d)| (n, d, i as u32))),
        );
        SourceTree { dist, origin }
    }

    /// The nearest source of a [`SourceTree`] to `p` over de weg: `(source index, metres)`,
    /// the snap distance of `p` included; `None` when `p` is not finite, the network is empty
    /// or no source is connected to `p`'s node.
    pub fn nearest_source(&self, tree: &SourceTree, p: [f64; 2]) -> Option<(usize, f64)> {
        let (node, snap) = self.snap(p)?;
        let d = tree.dist[node.index()];
        d.is_finite()
            .then(|| (tree.origin[node.index()] as usize, d + snap))
    }

    /// Shortest distance from the nearest start to every node (∞ when unreachable), and the
    /// index of that start (`u32::MAX` when unreachable).
    ///
    /// Written out over petgraph's adjacency instead of calling `petgraph::algo::dijkstra`:
    /// that function takes a single start node and does not say which start a node was
    /// reached from, and a virtual super-source would need a mutable copy of the shared
    /// graph with an extra node and an edge per source (weighted by its snap distance).
    /// Seeding the heap with every start node at its snap distance is the same computation
    /// without the copy, and `Vec`s of distances and origins replace its `HashMap`. Heap ties
    /// are broken by node index, so the run is deterministic.
    fn multi_source_dijkstra(
        &self,
        starts: impl Iterator<Item = (NodeIndex, f64, u32)>,
    ) -> (Vec<f64>, Vec<u32>) {
        let mut dist = vec![f64::INFINITY; self.graph.node_count()];
        let mut origin = vec![u32::MAX; self.graph.node_count()];
        for (node, snap, source) in starts {
            if snap < dist[node.index()] {
                dist[node.index()] = snap;
                origin[node.index()] = source;
            }
        }
        let mut heap: BinaryHeap<Queued> = dist
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_finite())
            .map(|(node, &cost)| Queued { cost, node })
            .collect();
        while let Some(Queued { cost, node }) = heap.pop() {
            if cost > dist[node] {
                continue; // a stale entry: the node was reached more cheaply already
            }
            let here = NodeIndex::new(node);
            for edge in self.graph.edges(here) {
                let next = if edge.source() == here {
                    edge.target()
                } else {
                    edge.source()
                };
                let candidate = cost + edge.weight();
                if candidate < dist[next.index()] {
                    dist[next.index()] = candidate;
                    origin[next.index()] = origin[node];
                    heap.push(Queued {
                        cost: candidate,
                        node: next.index(),
                    });
                }
            }
        }
        (dist, origin)
    }
}

/// The result of one multi-source Dijkstra ([`Network::source_tree`]): per network node the
/// distance over de weg from the nearest source and which source it is.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceTree {
    dist: Vec<f64>,
    origin: Vec<u32>,
}

/// A node waiting in the Dijkstra heap; ordered so that `BinaryHeap` pops the lowest cost
/// first, then the lowest node index.
#[derive(Debug, Clone, Copy)]
struct Queued {
    cost: f64,
    node: usize,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.node.cmp(&self.node))
    }
}

crate::order::order_from_cmp!(Queued);

/// State while building a [`Network`].
struct Builder {
    graph: UnGraph<[f64; 2], f64>,
    tolerance: f64,
    cell: f64,
    /// Grid cell → nodes whose position lies in it.
    grid: HashMap<(i64, i64), Vec<NodeIndex>>,
    /// (lower node, higher node) of every edge.
    edges: HashSet<(NodeIndex, NodeIndex)>,
}

impl Builder {
    fn cell_of(&self, p: [f64; 2]) -> (i64, i64) {
        (
            (p[0] / self.cell).floor() as i64,
            (p[1] / self.cell).floor() as i64,
        )
    }

    /// The node within the tolerance of `p` (nearest, then lowest index), or a new node at
    /// `p`. Because the cell side is at least the tolerance, such a node lies in one of the
    /// 3 × 3 cells around `p`'s cell.
    fn node_for(&mut self, p: [f64; 2]) -> NodeIndex {
        let (cx, cy) = self.cell_of(p);
        let mut best: Option<(f64, NodeIndex)> = None;
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(nodes) = self
                    .grid
                    .get(&(cx.saturating_add(dx), cy.saturating_add(dy)))
                else {
                    continue;
                };
                for &n in nodes {
                    let d = distance(&self.graph[n], &p);
                    let closer = best.is_none_or(|(bd, bn)| d < bd || (d == bd && n < bn));
                    if d <= self.tolerance && closer {
                        best = Some((d, n));
                    }
                }
            }
        }
        if let Some((_, n)) = best {
            return n;
        }
        let n = self.graph.add_node(p);
        self.grid.entry((cx, cy)).or_default().push(n);
        n
    }

    /// Adds the segment a–b, unless the two nodes are already joined (the length would be
    /// the same: it is measured between the node positions) or a and b are one node.
    fn connect(&mut self, a: NodeIndex, b: NodeIndex) {
        if a == b {
            return;
        }
        let key = (a.min(b), a.max(b));
        if !self.edges.contains(&key) {
            let length = distance(&self.graph[a], &self.graph[b]);
            self.graph.add_edge(a, b, length);
            self.edges.insert(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The network distance from one point to one other (`None`: not reachable).
    fn route(network: &Network, from: [f64; 2], to: [f64; 2]) -> Option<f64> {
        match network.distance_to_nearest(&[from], &[to])[..] {
            [d] => d,
            ref other => panic!("one target, {} distances: {other:?}", other.len()),
        }
    }

    fn l_street() -> Vec<Vec<[f64; 2]>> {
        vec![
            vec![[0.0, 0.0], [0.0, 80.0]],
            vec![[0.0, 80.0], [60.0, 80.0]],
        ]
    }

    #[test]
    fn l_shaped_street_by_hand() {
        let network = Network::from_lines(&l_street(), 1.0).unwrap();
        assert_eq!((network.node_count(), network.edge_count()), (3, 2));
        let straight = distance(&[0.0, 0.0], &[60.0, 80.0]);
        assert_eq!(straight, 100.0);
        let d = network.distance_to_nearest(&[[0.0, 0.0]], &[[60.0, 80.0], [0.0, 80.0]]);
        assert_eq!(d, vec![Some(140.0), Some(80.0)]);
        // Snap distances are added at both ends: source 5 m off (3-4-5), target 10 m off.
        assert_eq!(
            route(&network, [-3.0, -4.0], [70.0, 80.0]),
            Some(5.0 + 140.0 + 10.0)
        );
        // Symmetric.
        assert_eq!(route(&network, [60.0, 80.0], [0.0, 0.0]), Some(140.0));
    }

    #[test]
    fn tolerance_merges_nearby_ends() {
        let lines = vec![
            vec![[0.0, 0.0], [100.0, 0.0]],
            vec![[100.5, 0.0], [200.0, 0.0]],
        ];
        let merged = Network::from_lines(&lines, 1.0).unwrap();
        assert_eq!(merged.node_count(), 3);
        // The merged node stays at (100, 0); the second edge is 100 m long.
        assert_eq!(route(&merged, [0.0, 0.0], [200.0, 0.0]), Some(200.0));
        let apart = Network::from_lines(&lines, 0.1).unwrap();
        assert_eq!(apart.node_count(), 4);
        assert_eq!(
            apart.distance_to_nearest(&[[0.0, 0.0]], &[[200.0, 0.0], [100.0, 0.0]]),
            vec![None, Some(100.0)]
        );
        // Tolerance 0 merges identical coordinates only.
        let exact = Network::from_lines(&l_street(), 0.0).unwrap();
        assert_eq!(exact.node_count(), 3);
    }

    #[test]
    fn nearest_of_several_sources() {
        // A straight street 0–1000 m with vertices every 100 m; facilities at 0 and 1000.
        let line: Vec<[f64; 2]> = (0..=10).map(|i| [100.0 * i as f64, 0.0]).collect();
        let network = Network::from_lines(&[line], 1.0).unwrap();
        let targets: Vec<[f64; 2]> = (0..=10).map(|i| [100.0 * i as f64, 0.0]).collect();
        let d = network.distance_to_nearest(&[[0.0, 0.0], [1000.0, 0.0]], &targets);
        let expected: Vec<Option<f64>> = (0..=10)
            .map(|i| Some(100.0 * (i.min(10 - i)) as f64))
            .collect();
        assert_eq!(d, expected);
    }

    #[test]
    fn degenerate_inputs() {
        let network = Network::from_lines(&l_street(), 1.0).unwrap();
        assert_eq!(network.distance_to_nearest(&[], &[[0.0, 0.0]]), vec![None]);
        assert_eq!(route(&network, [f64::NAN, 0.0], [0.0, 0.0]), None);
        assert_eq!(route(&network, [0.0, 0.0], [f64::INFINITY, 0.0]), None);
        let empty = Network::from_lines(&[], 1.0).unwrap();
        assert_eq!(route(&empty, [0.0, 0.0], [1.0, 1.0]), None);
        // A NaN vertex drops its two segments; a one-vertex line and a line shorter than the
        // tolerance add no edge and cannot be snapped to.
        let lines = vec![
            vec![[0.0, 0.0], [f64::NAN, 5.0], [0.0, 10.0], [0.0, 20.0]],
            vec![[500.0, 500.0]],
            vec![[50.0, 0.0], [50.2, 0.0]],
        ];
        let network = Network::from_lines(&lines, 0.5).unwrap();
        assert_eq!(network.edge_count(), 1);
        // (50, 0) is a lone node; the nearest snappable node is (0, 10).
        let (node, d) = network.snap([50.0, 0.0]).unwrap();
        assert_eq!(network.graph()[node], [0.0, 10.0]);
        assert_relative_eq!(d, 2600f64.sqrt());
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(Network::from_lines(&l_street(), bad).is_err());
        }
    }

    #[test]
    fn repeated_segments_give_one_edge() {
        let lines = vec![
            vec![[0.0, 0.0], [0.0, 100.0], [100.0, 100.0], [100.0, 0.0]],
            vec![[0.0, 0.0], [100.0, 0.0]],
            vec![[100.0, 0.0], [0.0, 0.0]],
        ];
        let network = Network::from_lines(&lines, 0.0).unwrap();
        assert_eq!(network.edge_count(), 4);
        assert_eq!(route(&network, [0.0, 0.0], [100.0, 0.0]), Some(100.0));
    }

    /// A seeded random street network in a 2 km square: a jittered grid of streets, some of
    /// them missing, with vertices every 50–150 m, plus a few free lines sharing no vertex.
    fn random_network(seed: u64) -> Vec<Vec<[f64; 2]>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 8;
        let jitter: Vec<Vec<[f64; 2]>> = (0..=n)
            .map(|_| {
                (0..=n)
                    .map(|_| [rng.random_range(-20.0..20.0), rng.random_range(-20.0..20.0)])
                    .collect()
            })
            .collect();
        let at = |i: usize, j: usize| {
            [
                250.0 * i as f64 + jitter[i][j][0],
                250.0 * j as f64 + jitter[i][j][1],
            ]
        };
        let mut lines = Vec::new();
        for i in 0..=n {
            for j in 0..n {
                for (a, b) in [(at(i, j), at(i, j + 1)), (at(j, i), at(j + 1, i))] {
                    if rng.random_range(0.0..1.0) < 0.85 {
                        // Split the segment with a bent middle vertex.
                        let mid = [
                            (a[0] + b[0]) / 2.0 + rng.random_range(-30.0..30.0),
                            (a[1] + b[1]) / 2.0 + rng.random_range(-30.0..30.0),
                        ];
                        lines.push(vec![a, mid, b]);
                    }
                }
            }
        }
        for _ in 0..5 {
            let mut p = [rng.random_range(0.0..2000.0), rng.random_range(0.0..2000.0)];
            let mut line = vec![p];
            for _ in 0..4 {
                p = [
                    p[0] + rng.random_range(-150.0..150.0),
                    p[1] + rng.random_range(-150.0..150.0),
                ];
                line.push(p);
            }
            lines.push(line);
        }
        lines
    }

    #[test]
    fn over_de_weg_is_never_shorter_than_hemelsbreed() {
        for seed in 0..8 {
            let network = Network::from_lines(&random_network(seed), 2.0).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(seed + 50);
            let mut point = || {
                [
                    rng.random_range(-200.0..2200.0),
                    rng.random_range(-200.0..2200.0),
                ]
            };
            let sources: Vec<[f64; 2]> = (0..15).map(|_| point()).collect();
            let targets: Vec<[f64; 2]> = (0..200).map(|_| point()).collect();
            let mut best: Vec<Option<f64>> = vec![None; targets.len()];
            for s in &sources {
                let single = network.distance_to_nearest(&[*s], &targets);
                for ((t, d), b) in targets.iter().zip(&single).zip(&mut best) {
                    if let Some(d) = d {
                        let straight = distance(s, t);
                        assert!(
                            *d >= straight * (1.0 - 1e-12),
                            "seed {seed}: {d} < {straight}"
                        );
                        if b.is_none_or(|b| *d < b) {
                            *b = Some(*d);
                        }
                    }
                }
            }
            // One multi-source run equals the minimum of the single-source runs.
            let multi = network.distance_to_nearest(&sources, &targets);
            for (m, b) in multi.iter().zip(&best) {
                match (m, b) {
                    (Some(m), Some(b)) => assert_relative_eq!(*m, *b, max_relative = 1e-12),
                    _ => assert_eq!(m, b),
                }
            }
            assert!(multi.iter().filter(|d| d.is_some()).count() > 150);
        }
    }

    #[test]
    fn same_result_for_any_thread_count() {
        let network = Network::from_lines(&random_network(3), 2.0).unwrap();
        let sources: Vec<[f64; 2]> = (0..20).map(|i| [100.0 * i as f64, 900.0]).collect();
        let targets: Vec<[f64; 2]> = (0..3000)
            .map(|i| [(i * 37 % 2000) as f64, (i * 91 % 2000) as f64])
            .collect();
        let run = |threads: usize| {
            crate::testing::on_threads(threads, || network.distance_to_nearest(&sources, &targets))
        };
        assert_eq!(run(1), run(4));
    }
}
