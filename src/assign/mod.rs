//! Points → areas: a table of candidate areas per grid cell plus an exact point-in-polygon test.
//!
//! # Rule for every point
//! 1. Candidates are the areas whose bounding box contains the point (closed box).
//! 2. A point inside exactly one area's interior goes to that area.
//! 3. A point inside the interiors of several areas (overlapping input) goes to the one with the
//!    lowest index, i.e. the lowest area code, and is counted as `overlap`.
//! 4. A point on a boundary and in no interior (a shared border, a vertex) goes to the area with
//!    the lowest code among those whose boundary it lies on, and is counted as `border`.
//! 5. Any other point is `outside`: counted and listed, never dropped silently.
//!
//! The rule depends only on the point and the sorted areas, so the result is the same for any
//! thread count and any input order.
//!
//! # Speed: a candidate table, and a cell cache in front of the exact test
//! The candidates come from a uniform grid over all areas (`Candidates`, about 16 cells per
//! area): each cell lists the areas whose bounding box reaches it, so finding a point's
//! candidates is one division and a short scan of boxes instead of a tree query. The
//! candidates found are exactly those an R-tree of the boxes would return (tested).
//!
//! Each polygon's bounding box is cut into a grid of about 4√(vertices) × 4√(vertices) cells
//! (`CellGrid`). A cell that no edge touches (closed cell, with a margin) lies wholly inside or
//! wholly outside the polygon, which the parity of a crossing scan through its centre decides;
//! a point in such a cell gets that answer without testing the polygon's rings. A cell that
//! edges touch keeps the list of those edges and the side of its centre: a point there
//! switches sides at every edge that the segment from the centre to the point properly
//! crosses (robust orientation predicates, so the count is exact), which needs a few edges
//! instead of a walk around the rings. That holds for a valid polygon only (model areas are
//! validated when read, `AreaIndex::of_areas`; `AreaIndex::new` checks any other polygons), and
//! a point on an edge, a segment through a vertex or a centre within a hair of an edge goes to
//! geo's exact `CoordinatePosition`. The answer is the same as the exact test's for every point
//! (the property tests `cell_cache_agrees_with_the_exact_test` and
//! `local_test_agrees_with_the_exact_test` check it).
//!
//! An inside cell that no other area reaches (every other area whose box meets it lies wholly
//! outside it) is marked when the index is built: a point there is its area's interior point
//! under the rule, with no other candidate to test, and `locate_all` tries each thread's
//! previous area first, since neighbouring points in a file are often in the same area. The
//! property test `assignment_conserves_the_points` compares the result with the rule applied
//! with geo's exact test on every polygon.

use geo::{
    coordinate_position::CoordPos, BoundingRect, Coord, CoordinatePosition, Distance, Euclidean,
    MultiPolygon, Point,
};
use rayon::prelude::*;

/// Where a point landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the interior of exactly one area.
    Interior(u32),
    /// On the boundary of one or more areas, in no interior; the lowest-code area is chosen.
    Border(u32),
    /// In the interiors of several (overlapping) areas; the lowest-code area is chosen.
    Overlap(u32),
    /// In no area.
    Outside,
}

impl Location {
    /// The chosen area index, if any.
    pub fn area(self) -> Option<usize> {
        match self {
            Self::Interior(i) | Self::Border(i) | Self::Overlap(i) => Some(i as usize),
            Self::Outside => None,
        }
    }
}

/// A spatial index over area polygons (in area order). It owns the polygons, so it can be
/// built once and shared (e.g. in an `Arc`) by every what-if.
#[derive(Debug, Clone)]
pub struct AreaIndex {
    polygons: Vec<MultiPolygon<f64>>,
    candidates: Candidates,
    grids: Vec<Option<CellGrid>>,
}

/// Candidate areas per cell of a uniform grid over all areas' bounding boxes (see the module
/// docs). Written by hand: a point lookup in a fixed grid is a division, cheaper than the
/// `rstar` query it replaces (about half the time of `locate` went to the tree walk and its
/// result list), and no crate offers such a table.
#[derive(Debug, Clone)]
struct Candidates {
    /// Bounding box per area as `[min x, min y, max x, max y]` (NaN for an empty polygon, so
    /// no point is ever inside it).
    boxes: Vec<[f64; 4]>,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    size: f64,
    cols: usize,
    rows: usize,
    /// Cell `k` lists `areas[start[k]..start[k + 1]]`, ascending.
    start: Vec<u32>,
    areas: Vec<u32>,
}

/// Cells of the candidate grid per area.
const CELLS_PER_AREA: f64 = 16.0;

impl Candidates {
    fn new(polygons: &[MultiPolygon<f64>]) -> Self {
        let boxes: Vec<[f64; 4]> = polygons
            .iter()
            .map(|p| {
                p.bounding_rect().map_or([f64::NAN; 4], |r| {
                    [r.min().x, r.min().y, r.max().x, r.max().y]
                })
            })
            .collect();
        let finite = boxes.iter().filter(|b| b[0].is_finite());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for b in finite {
            x0 = x0.min(b[0]);
            y0 = y0.min(b[1]);
            x1 = x1.max(b[2]);
            y1 = y1.max(b[3]);
        }
        let mut table = Candidates {
            boxes,
            x0,
            y0,
            x1,
            y1,
            size: 1.0,
            cols: 0,
            rows: 0,
            start: vec![0],
            areas: Vec::new(),
        };
        if x0 > x1 {
            return table; // no area has a box: every point is outside
        }
        let (w, h) = ((x1 - x0).max(1e-9), (y1 - y0).max(1e-9));
        let target = (CELLS_PER_AREA * polygons.len() as f64).clamp(1.0, 4.0e6);
        let size = (w * h / target).sqrt().max(w.max(h) / 4096.0);
        table.size = size;
        table.cols = ((w / size).ceil() as usize).max(1);
        table.rows = ((h / size).ceil() as usize).max(1);
        // Count, then fill (CSR): each area goes into every cell its box reaches
        // (`cells_reached`, with its margin).
        let spans: Vec<Option<Span>> = table
            .boxes
            .iter()
            .map(|b| {
                b[0].is_finite().then(|| {
                    let (c0, c1) = cells_reached(b[0], b[2], table.x0, size, table.cols);
                    let (r0, r1) = cells_reached(b[1], b[3], table.y0, size, table.rows);
                    (c0, c1, r0, r1)
                })
            })
            .collect();
        (table.start, table.areas) = cell_lists(&spans, table.cols, table.rows);
        table
    }

    /// The other areas whose bounding box meets area `me`'s (with the cells' margin), from the
    /// cells its box reaches; ascending, without `me`.
    fn near(&self, me: usize) -> Vec<usize> {
        let b = self.boxes[me];
        if !b[0].is_finite() || self.cols == 0 {
            return Vec::new();
        }
        let (c0, c1) = cells_reached(b[0], b[2], self.x0, self.size, self.cols);
        let (r0, r1) = cells_reached(b[1], b[3], self.y0, self.size, self.rows);
        let mut near: Vec<usize> = (r0..=r1)
            .flat_map(|row| (c0..=c1).map(move |col| row * self.cols + col))
            .flat_map(|k| &self.areas[self.start[k] as usize..self.start[k + 1] as usize])
            .map(|&i| i as usize)
            .filter(|&i| i != me)
            .collect();
        near.sort_unstable();
        near.dedup();
        near
    }

    /// The areas whose closed bounding box contains `p`, ascending.
    fn of(&self, p: [f64; 2]) -> impl Iterator<Item = u32> + '_ {
        let listed: &[u32] =
            if p[0] >= self.x0 && p[0] <= self.x1 && p[1] >= self.y0 && p[1] <= self.y1 {
                // Non-negative, so truncation is the floor (and needs no libm call).
                let col = (((p[0] - self.x0) / self.size) as usize).min(self.cols - 1);
                let row = (((p[1] - self.y0) / self.size) as usize).min(self.rows - 1);
                let k = row * self.cols + col;
                &self.areas[self.start[k] as usize..self.start[k + 1] as usize]
            } else {
                &[]
            };
        listed.iter().copied().filter(move |&i| {
            let b = &self.boxes[i as usize];
            p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
        })
    }
}

/// The cell cache of one polygon (see the module docs). Written by hand: geo's prepared
/// geometries speed up relate predicates between geometries, not point-in-polygon lookups, and
/// no maintained crate offers a point-location cache over `geo` polygons.
#[derive(Debug, Clone)]
struct CellGrid {
    x0: f64,
    y0: f64,
    /// Cell width and height.
    w: f64,
    h: f64,
    /// Cells per CRS unit along x and y (the reciprocals of the cell sizes).
    per_x: f64,
    per_y: f64,
    cols: usize,
    rows: usize,
    /// Per cell: one of the `CELL_*` kinds.
    cells: Vec<u8>,
    /// The polygon's edges as `[ax, ay, bx, by]`, when the local test may be used (a valid
    /// polygon); empty otherwise.
    edges: Vec<[f64; 4]>,
    /// Cell `k` (of kind [`CELL_EDGE_IN`] or [`CELL_EDGE_OUT`]) lists the edges that may touch
    /// it: `edges[edge_ids[edge_start[k]..edge_start[k + 1]]]`.
    edge_start: Vec<u32>,
    edge_ids: Vec<u32>,
}

/// What a cell cache knows of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cached {
    /// Inside the polygon, in a cell no other area reaches.
    Alone,
    /// This position.
    Known(CoordPos),
    /// Nothing: the exact test must decide.
    Exact,
}

/// An edge touches the cell; the exact test decides.
const CELL_EDGE: u8 = 0;
/// No edge touches the cell, which lies inside the polygon.
const CELL_INSIDE: u8 = 1;
/// No edge touches the cell, which lies outside the polygon.
const CELL_OUTSIDE: u8 = 2;
/// Edges touch the cell, its centre lies inside: the local test decides.
const CELL_EDGE_IN: u8 = 3;
/// Edges touch the cell, its centre lies outside: the local test decides.
const CELL_EDGE_OUT: u8 = 4;
/// Like [`CELL_INSIDE`], and no other area reaches the cell: a point there is that area's
/// interior point under the rule, with no other candidate to look at.
const CELL_ALONE: u8 = 5;
/// Margin in cell units: an edge within it of a cell's border marks the cell.
const CELL_MARGIN: f64 = 1e-6;

/// The cells an item reaches in a grid: first and last column, first and last row.
type Span = (usize, usize, usize, usize);

/// Per cell of a `cols` × `rows` grid, the items whose span reaches it, ascending (CSR: cell
/// `k` lists `ids[start[k]..start[k + 1]]`); `spans[i]` is item `i`'s, `None` for an item in
/// no cell. Counted, then filled. Shared by the candidate table (areas per cell) and the cell
/// caches (edges per cell).
fn cell_lists(spans: &[Option<Span>], cols: usize, rows: usize) -> (Vec<u32>, Vec<u32>) {
    let cells = cols * rows;
    let mut start = vec![0u32; cells + 1];
    for &(c0, c1, r0, r1) in spans.iter().flatten() {
        for row in r0..=r1 {
            for col in c0..=c1 {
                start[row * cols + col + 1] += 1;
            }
        }
    }
    for k in 0..cells {
        start[k + 1] += start[k];
    }
    let mut next = start.clone();
    let mut ids = vec![0u32; start[cells] as usize];
    for (i, span) in spans.iter().enumerate() {
        if let Some((c0, c1, r0, r1)) = *span {
            for row in r0..=r1 {
                for col in c0..=c1 {
                    let k = row * cols + col;
                    ids[next[k] as usize] = i as u32;
                    next[k] += 1;
                }
            }
        }
    }
    (start, ids)
}

/// The first and last of `count` cells of `size` from `origin` that an interval [lo, hi]
/// reaches, with [`CELL_MARGIN`] on both sides (so rounding can only add a cell, never lose
/// one), clamped to the grid. Shared by the candidate table and the cell caches.
fn cells_reached(lo: f64, hi: f64, origin: f64, size: f64, count: usize) -> (usize, usize) {
    // Clamped at 0 first, so truncation is the floor.
    let clamp = |v: f64| (v.max(0.0) as usize).min(count - 1);
    (
        clamp((lo - origin) / size - CELL_MARGIN),
        clamp((hi - origin) / size + CELL_MARGIN),
    )
}

/// The squared distance from `p` to the segment `a`–`b`.
fn distance2_to_segment(p: [f64; 2], e: &[f64; 4]) -> f64 {
    let (dx, dy) = (e[2] - e[0], e[3] - e[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - e[0]) * dx + (p[1] - e[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (e[0] + t * dx - p[0], e[1] + t * dy - p[1]);
    qx * qx + qy * qy
}

impl CellGrid {
    /// The cache of `poly`; `valid`: the polygon is known to be valid (else it is checked).
    fn new(poly: &MultiPolygon<f64>, valid: bool) -> Option<Self> {
        let r = poly.bounding_rect()?;
        let vertices: usize = poly
            .0
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|i| i.0.len()).sum::<usize>())
            .sum();
        let n = ((4.0 * (vertices as f64).sqrt()).ceil() as usize).clamp(8, 512);
        let (w, h) = (r.width() / n as f64, r.height() / n as f64);
        if !(w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
            return None;
        }
        let (x0, y0) = (r.min().x, r.min().y);
        let edges: Vec<[f64; 4]> = poly
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.lines())
            .map(|l| [l.start.x, l.start.y, l.end.x, l.end.y])
            .collect();
        // Every cell an edge's bounding box reaches (with the margin): conservative, so a cell
        // an edge passes through is always listed for it.
        let spans: Vec<Option<Span>> = edges
            .iter()
            .map(|e| {
                let (c0, c1) = cells_reached(e[0].min(e[2]), e[0].max(e[2]), x0, w, n);
                let (r0, r1) = cells_reached(e[1].min(e[3]), e[1].max(e[3]), y0, h, n);
                Some((c0, c1, r0, r1))
            })
            .collect();
        let (edge_start, edge_ids) = cell_lists(&spans, n, n);
        // The local test counts boundary crossings, which gives geo's answer only for a valid
        // polygon (simple rings, holes inside their shell, parts that do not overlap).
        let local = valid || geo::Validation::is_valid(poly);
        // A cell centre closer than this to a listed edge is not trusted as a reference point:
        // far above the rounding of the crossings below (a few ulps of the coordinates).
        let near = 1e-6 * w.min(h) + 1e-11 * (x0.abs() + y0.abs() + r.width() + r.height());
        let near2 = near * near;
        // Classify the cells row by row: the crossings of the horizontal line through the
        // row's cell centres with every edge (half-open rule, so a vertex on the line counts
        // once), then even–odd parity left of each centre. No edge passes near the centre of a
        // cell whose parity is used (untouched cells; edge cells checked against their edges),
        // so no crossing lies near that centre and the parity is exact.
        let mut cells = vec![CELL_EDGE; n * n];
        let mut crossings: Vec<f64> = Vec::new();
        for row in 0..n {
            let y = y0 + (row as f64 + 0.5) * h;
            crossings.clear();
            crossings.extend(
                edges
                    .iter()
                    .filter(|e| (e[1] > y) != (e[3] > y))
                    .map(|e| e[0] + (y - e[1]) * (e[2] - e[0]) / (e[3] - e[1])),
            );
            crossings.sort_by(f64::total_cmp);
            let mut left = 0;
            for col in 0..n {
                let k = row * n + col;
                let x = x0 + (col as f64 + 0.5) * w;
                while left < crossings.len() && crossings[left] < x {
                    left += 1;
                }
                let inside = left % 2 == 1;
                let listed = &edge_ids[edge_start[k] as usize..edge_start[k + 1] as usize];
                cells[k] = if listed.is_empty() {
                    if inside {
                        CELL_INSIDE
                    } else {
                        CELL_OUTSIDE
                    }
                } else if local
                    && listed
                        .iter()
                        .all(|&i| distance2_to_segment([x, y], &edges[i as usize]) > near2)
                {
                    if inside {
                        CELL_EDGE_IN
                    } else {
                        CELL_EDGE_OUT
                    }
                } else {
                    CELL_EDGE
                };
            }
        }
        // Keep the edge lists of the cells the local test serves only.
        let (edges, edge_start, edge_ids) = if local {
            let mut start = Vec::with_capacity(n * n + 1);
            let mut ids = Vec::new();
            start.push(0u32);
            for k in 0..n * n {
                if matches!(cells[k], CELL_EDGE_IN | CELL_EDGE_OUT) {
                    ids.extend_from_slice(
                        &edge_ids[edge_start[k] as usize..edge_start[k + 1] as usize],
                    );
                }
                start.push(ids.len() as u32);
            }
            (edges, start, ids)
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        Some(CellGrid {
            x0,
            y0,
            w,
            h,
            per_x: 1.0 / w,
            per_y: 1.0 / h,
            cols: n,
            rows: n,
            cells,
            edges,
            edge_start,
            edge_ids,
        })
    }

    /// The cached answer for a point, or [`Cached::Exact`] when the exact test must decide
    /// (also outside the grid).
    ///
    /// The cell is found by multiplying with the reciprocal of the cell size: that can put a
    /// point within a few ulps of a cell line into the neighbouring cell, which is still
    /// right, since an edge marks every cell within [`CELL_MARGIN`] of it.
    fn lookup(&self, p: Coord<f64>) -> Cached {
        let Some((col, row)) = self.cell_of([p.x, p.y]) else {
            return Cached::Exact;
        };
        let k = row * self.cols + col;
        let local = |inside| {
            self.local(k, col, row, p, inside)
                .map_or(Cached::Exact, Cached::Known)
        };
        match self.cells[k] {
            CELL_ALONE => Cached::Alone,
            CELL_INSIDE => Cached::Known(CoordPos::Inside),
            CELL_OUTSIDE => Cached::Known(CoordPos::Outside),
            CELL_EDGE_IN => local(true),
            CELL_EDGE_OUT => local(false),
            _ => Cached::Exact,
        }
    }

    /// The column and row of the cell holding `p`, `None` outside the grid. Found by
    /// multiplying with the reciprocal of the cell size (see [`CellGrid::lookup`]).
    fn cell_of(&self, p: [f64; 2]) -> Option<(usize, usize)> {
        let col = (p[0] - self.x0) * self.per_x;
        let row = (p[1] - self.y0) * self.per_y;
        if !(col >= 0.0 && row >= 0.0) {
            return None;
        }
        // Non-negative, so truncation is the floor (and needs no libm call).
        let (col, row) = (col as usize, row as usize);
        (col < self.cols && row < self.rows).then_some((col, row))
    }

    /// The kind of the cell holding `p` (`None` outside the grid).
    fn kind_at(&self, p: [f64; 2]) -> Option<u8> {
        self.cell_of(p)
            .map(|(col, row)| self.cells[row * self.cols + col])
    }

    /// Whether the rectangle `[x0, y0, x1, y1]` lies wholly outside the polygon: every cell it
    /// reaches (with the margin) is an outside cell that no edge touches. The part of the
    /// rectangle beyond the grid lies outside the polygon's bounding box.
    fn wholly_outside(&self, r: [f64; 4]) -> bool {
        let (c0, c1) = cells_reached(r[0], r[2], self.x0, self.w, self.cols);
        let (r0, r1) = cells_reached(r[1], r[3], self.y0, self.h, self.rows);
        (r0..=r1).all(|row| {
            self.cells[row * self.cols + c0..=row * self.cols + c1]
                .iter()
                .all(|&c| c == CELL_OUTSIDE)
        })
    }

    /// The inside cells of this polygon (area `me`) that no other area reaches: every other
    /// area whose box meets the cell (with a margin) lies wholly outside it.
    fn cells_alone(
        &self,
        me: usize,
        grids: &[Option<CellGrid>],
        candidates: &Candidates,
    ) -> Vec<usize> {
        let others = candidates.near(me);
        let mut alone = Vec::new();
        for row in 0..self.rows {
            for col in 0..self.cols {
                let k = row * self.cols + col;
                if self.cells[k] != CELL_INSIDE {
                    continue;
                }
                let (mx, my) = (CELL_MARGIN * self.w, CELL_MARGIN * self.h);
                let r = [
                    self.x0 + col as f64 * self.w - mx,
                    self.y0 + row as f64 * self.h - my,
                    self.x0 + (col + 1) as f64 * self.w + mx,
                    self.y0 + (row + 1) as f64 * self.h + my,
                ];
                let clear = others.iter().all(|&j| {
                    let b = &candidates.boxes[j];
                    let apart = b[2] < r[0] || b[0] > r[2] || b[3] < r[1] || b[1] > r[3];
                    // An area without a grid (empty or flat) is never taken as apart unless
                    // its box is: the cell is then conservatively not alone.
                    apart || grids[j].as_ref().is_some_and(|g| g.wholly_outside(r))
                });
                if clear {
                    alone.push(k);
                }
            }
        }
        alone
    }

    /// The local test in edge cell `k`: from the cell's centre, whose side is known, to the
    /// point, every proper crossing of a listed edge switches sides (the segment stays in the
    /// cell, so no other edge can cross it). With robust orientation predicates this is
    /// exact; a point on an edge, or a segment that touches an edge or a vertex without
    /// crossing it properly, is left to the exact test (`None`).
    fn local(
        &self,
        k: usize,
        col: usize,
        row: usize,
        p: Coord<f64>,
        inside: bool,
    ) -> Option<CoordPos> {
        use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
        // The centre exactly as `new` classified it.
        let c = Coord {
            x: self.x0 + (col as f64 + 0.5) * self.w,
            y: self.y0 + (row as f64 + 0.5) * self.h,
        };
        let orient = |a: Coord<f64>, b: Coord<f64>, q: Coord<f64>| {
            <RobustKernel as Kernel<f64>>::orient2d(a, b, q)
        };
        let mut inside = inside;
        for &i in &self.edge_ids[self.edge_start[k] as usize..self.edge_start[k + 1] as usize] {
            let e = &self.edges[i as usize];
            // Boxes apart: no contact (exact comparisons).
            if e[0].max(e[2]) < c.x.min(p.x)
                || e[0].min(e[2]) > c.x.max(p.x)
                || e[1].max(e[3]) < c.y.min(p.y)
                || e[1].min(e[3]) > c.y.max(p.y)
            {
                continue;
            }
            let (a, b) = (Coord { x: e[0], y: e[1] }, Coord { x: e[2], y: e[3] });
            let (o1, o2) = (orient(c, p, a), orient(c, p, b));
            if o1 == o2 && o1 != Orientation::Collinear {
                continue; // the edge lies wholly on one side of the segment's line
            }
            let (o3, o4) = (orient(a, b, c), orient(a, b, p));
            if o3 == o4 && o3 != Orientation::Collinear {
                continue; // the segment lies wholly on one side of the edge's line
            }
            if [o1, o2, o3, o4].contains(&Orientation::Collinear) {
                return None; // contact without a proper crossing
            }
            inside = !inside;
        }
        Some(if inside {
            CoordPos::Inside
        } else {
            CoordPos::Outside
        })
    }
}

impl AreaIndex {
    /// Build the index (candidate table and cell caches). Empty polygons are not indexed.
    pub fn new(polygons: Vec<MultiPolygon<f64>>) -> Self {
        Self::build(polygons, false)
    }

    /// The index of model areas, in their order. Their polygons are valid (the model's
    /// invariant: `io::model` checks every polygon when it reads it), so the check that
    /// [`AreaIndex::new`] makes before using the local test is not repeated (about 0.1 s of
    /// CPU for the 3,340 national wijken).
    pub fn of_areas(areas: &[crate::model::Area]) -> Self {
        Self::build(areas.iter().map(|a| a.geometry.clone()).collect(), true)
    }

    fn build(polygons: Vec<MultiPolygon<f64>>, valid: bool) -> Self {
        let mut grids: Vec<Option<CellGrid>> = polygons
            .par_iter()
            .map(|p| CellGrid::new(p, valid))
            .collect();
        let candidates = Candidates::new(&polygons);
        let alone: Vec<Vec<usize>> = (0..grids.len())
            .into_par_iter()
            .map(|i| {
                grids[i]
                    .as_ref()
                    .map_or_else(Vec::new, |g| g.cells_alone(i, &grids, &candidates))
            })
            .collect();
        for (grid, alone) in grids.iter_mut().zip(alone) {
            if let Some(g) = grid {
                for k in alone {
                    g.cells[k] = CELL_ALONE;
                }
            }
        }
        Self {
            candidates,
            polygons,
            grids,
        }
    }

    /// Whether `p` lies in a cell of area `i` that no other area reaches (so it is area `i`'s
    /// interior point).
    fn alone_in(&self, i: usize, p: [f64; 2]) -> bool {
        self.grids[i]
            .as_ref()
            .is_some_and(|g| g.kind_at(p) == Some(CELL_ALONE))
    }

    /// What the cell cache of polygon `i` knows of `coord` (nothing for a polygon without one).
    fn cached(&self, i: usize, coord: &Coord<f64>) -> Cached {
        self.grids[i]
            .as_ref()
            .map_or(Cached::Exact, |g| g.lookup(*coord))
    }

    /// The position of `coord` relative to polygon `i`, from what the cell cache knows
    /// (`known`) or else by geo's exact test.
    fn resolve(&self, i: usize, coord: &Coord<f64>, known: Cached) -> CoordPos {
        match known {
            Cached::Alone => CoordPos::Inside,
            Cached::Known(at) => at,
            Cached::Exact => self.polygons[i].coordinate_position(coord),
        }
    }

    /// The position of `coord` relative to polygon `i`: from the cell cache when it knows,
    /// otherwise by geo's exact test (what the property tests compare with geo).
    #[cfg(test)]
    fn position(&self, i: usize, coord: &Coord<f64>) -> CoordPos {
        self.resolve(i, coord, self.cached(i, coord))
    }

    /// The polygons, in area order.
    pub fn polygons(&self) -> &[MultiPolygon<f64>] {
        &self.polygons
    }

    /// The bounding box of area `i` as `[min x, min y, max x, max y]` (NaN for an empty
    /// polygon).
    pub fn bounding_box(&self, i: usize) -> [f64; 4] {
        self.candidates.boxes[i]
    }

    /// Locate one point under the rule in the module docs.
    pub fn locate(&self, p: [f64; 2]) -> Location {
        let coord = Coord { x: p[0], y: p[1] };
        let mut interior: Option<u32> = None;
        let mut overlap = false;
        let mut border: Option<u32> = None;
        for i in self.candidates.of(p) {
            let known = self.cached(i as usize, &coord);
            if known == Cached::Alone {
                return Location::Interior(i);
            }
            match self.resolve(i as usize, &coord, known) {
                CoordPos::Inside => match interior {
                    None => interior = Some(i),
                    Some(j) => {
                        overlap = true;
                        interior = Some(j.min(i));
                    }
                },
                CoordPos::OnBoundary => border = Some(border.map_or(i, |b| b.min(i))),
                CoordPos::Outside => {}
            }
        }
        match (interior, overlap, border) {
            (Some(i), false, _) => Location::Interior(i),
            (Some(i), true, _) => Location::Overlap(i),
            (None, _, Some(b)) => Location::Border(b),
            (None, _, None) => Location::Outside,
        }
    }

    /// Locate many points in parallel; the result keeps the input order.
    ///
    /// Each thread first tries the area its previous point went to: a point in a cell of that
    /// area that no other area reaches is its interior point without looking at the
    /// candidates (points in file order are often neighbours). The answer is the rule's
    /// either way, so it depends neither on the order nor on how rayon splits the points.
    pub fn locate_all(&self, points: &[[f64; 2]]) -> Vec<Location> {
        points
            .par_iter()
            .map_init(
                || None::<u32>,
                |last, p| {
                    if let Some(i) = *last {
                        if self.alone_in(i as usize, *p) {
                            return Location::Interior(i);
                        }
                    }
                    let found = self.locate(*p);
                    if let Location::Interior(i) = found {
                        *last = Some(i);
                    }
                    found
                },
            )
            .collect()
    }

    /// The nearest area to a point and the distance to it in CRS units (for messages about a
    /// point outside every area). Exact: every area's boundary distance is measured.
    pub fn nearest(&self, p: [f64; 2]) -> Option<(usize, f64)> {
        let pt = Point::new(p[0], p[1]);
        self.polygons
            .iter()
            .enumerate()
            .map(|(i, poly)| (i, Euclidean.distance(&pt, poly)))
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
    }
}

/// Counts of how points were assigned.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AssignCounts {
    /// Points given to the layer.
    pub input: usize,
    /// Points assigned to an area (interior + border + overlap).
    pub assigned: usize,
    /// Of those, on a shared border.
    pub border: usize,
    /// Of those, inside several overlapping areas.
    pub overlap: usize,
    /// Points in no area.
    pub outside: usize,
}

/// Count locations (sequentially, so the counts are exact and order-free).
pub fn count(locations: &[Location]) -> AssignCounts {
    let mut c = AssignCounts {
        input: locations.len(),
        ..Default::default()
    };
    for l in locations {
        match l {
            Location::Interior(_) => c.assigned += 1,
            Location::Border(_) => {
                c.assigned += 1;
                c.border += 1
            }
            Location::Overlap(_) => {
                c.assigned += 1;
                c.overlap += 1
            }
            Location::Outside => c.outside += 1,
        }
    }
    c
}

/// Number of points per area (area order).
pub fn per_area(locations: &[Location], n_areas: usize) -> Vec<usize> {
    let mut counts = vec![0; n_areas];
    for l in locations {
        if let Some(i) = l.area() {
            counts[i] += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;
    use proptest::prelude::*;

    /// A star-shaped polygon around (cx, cy) with the given radii (one vertex per radius,
    /// evenly spread angles), coordinates rounded to 0.5 m so vertices fall on grid lines
    /// often, with a square hole around the centre when `hole`.
    fn star(cx: f64, cy: f64, radii: &[f64], hole: bool) -> MultiPolygon<f64> {
        let n = radii.len();
        let ring: Vec<Coord<f64>> = radii
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let a = std::f64::consts::TAU * k as f64 / n as f64;
                Coord {
                    x: ((cx + r * a.cos()) * 2.0).round() / 2.0,
                    y: ((cy + r * a.sin()) * 2.0).round() / 2.0,
                }
            })
            .collect();
        let interiors = if hole {
            vec![geo::LineString::from(vec![
                (cx - 2.0, cy - 2.0),
                (cx + 2.0, cy - 2.0),
                (cx + 2.0, cy + 2.0),
                (cx - 2.0, cy + 2.0),
                (cx - 2.0, cy - 2.0),
            ])]
        } else {
            vec![]
        };
        MultiPolygon(vec![geo::Polygon::new(
            geo::LineString::from(ring),
            interiors,
        )])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn cell_cache_agrees_with_the_exact_test(
            radii in prop::collection::vec(5.0f64..60.0, 3..80),
            hole in any::<bool>(),
            points in prop::collection::vec((-70.0f64..70.0, -70.0f64..70.0), 1..200),
        ) {
            let poly = star(0.0, 0.0, &radii, hole);
            let index = AreaIndex::new(vec![poly.clone()]);
            // Random points, every vertex, every edge midpoint and points on the cell lines.
            let mut probes: Vec<Coord<f64>> =
                points.iter().map(|(x, y)| Coord { x: *x, y: *y }).collect();
            for line in poly.0[0].exterior().lines() {
                probes.push(line.start);
                probes.push(Coord { x: (line.start.x + line.end.x) / 2.0, y: (line.start.y + line.end.y) / 2.0 });
            }
            if let Some(g) = &index.grids[0] {
                for k in 0..=g.cols {
                    probes.push(Coord { x: g.x0 + k as f64 * g.w, y: points[0].1 });
                    probes.push(Coord { x: points[0].0, y: g.y0 + k as f64 * g.h });
                }
            }
            for c in probes {
                prop_assert_eq!(index.position(0, &c), poly.coordinate_position(&c), "at {:?}", c);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The local test in edge cells agrees with geo's exact test for a valid multipolygon
        /// with a hole and an island in it: at random points, cell centres, vertices, edge
        /// midpoints and points a hair's breadth either side of every edge.
        #[test]
        fn local_test_agrees_with_the_exact_test(
            outer in prop::collection::vec(30.0f64..60.0, 8..60),
            island in prop::collection::vec(2.0f64..8.0, 3..20),
            points in prop::collection::vec((-70.0f64..70.0, -70.0f64..70.0), 1..200),
        ) {
            let shell = star(0.0, 0.0, &outer, false).0.remove(0).into_inner().0;
            let hole = geo::LineString::from(vec![
                (-10.0, -10.0), (-10.0, 10.0), (10.0, 10.0), (10.0, -10.0), (-10.0, -10.0),
            ]);
            let mut poly = star(0.0, 0.0, &island, false);
            poly.0.insert(0, geo::Polygon::new(shell, vec![hole]));
            prop_assume!(geo::Validation::is_valid(&poly));
            let index = AreaIndex::new(vec![poly.clone()]);
            let g = index.grids[0].as_ref().unwrap();
            prop_assert!(g.cells.iter().any(|&c| c == CELL_EDGE_IN || c == CELL_EDGE_OUT));
            let mut probes: Vec<Coord<f64>> =
                points.iter().map(|(x, y)| Coord { x: *x, y: *y }).collect();
            for row in 0..g.rows {
                for col in 0..g.cols {
                    probes.push(Coord {
                        x: g.x0 + (col as f64 + 0.5) * g.w,
                        y: g.y0 + (row as f64 + 0.5) * g.h,
                    });
                }
            }
            for line in poly.0.iter().flat_map(|p| p.exterior().lines().chain(p.interiors().iter().flat_map(|r| r.lines()))) {
                let (a, b) = (line.start, line.end);
                let m = Coord { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
                let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
                let normal = Coord { x: -(b.y - a.y) / len, y: (b.x - a.x) / len };
                probes.push(a);
                probes.push(m);
                for d in [1e-9, -1e-9, 1e-3, -1e-3] {
                    probes.push(Coord { x: m.x + d * normal.x, y: m.y + d * normal.y });
                }
            }
            for c in probes {
                prop_assert_eq!(index.position(0, &c), poly.coordinate_position(&c), "at {:?}", c);
            }
        }

        /// The candidate table returns exactly the areas whose closed box holds the point,
        /// as the R-tree it replaced did: for random squares (some far apart, some sharing
        /// edges) and points on their corners, edges and the table's cell lines.
        #[test]
        fn candidate_table_finds_every_box_holding_the_point(
            squares in prop::collection::vec((-5i32..40, -5i32..40, 1i32..12), 1..60),
            far in any::<bool>(),
            points in prop::collection::vec((-80.0f64..500.0, -80.0f64..500.0), 1..200),
        ) {
            let polys: Vec<MultiPolygon<f64>> = squares
                .iter()
                .enumerate()
                .map(|(k, &(x, y, s))| {
                    let shift = if far && k % 7 == 0 { 400.0 } else { 0.0 };
                    square(f64::from(x) * 2.5 + shift, f64::from(y) * 2.5, f64::from(s) * 2.5)
                })
                .collect();
            let index = AreaIndex::new(polys.clone());
            let table = &index.candidates;
            let mut probes: Vec<[f64; 2]> = points.iter().map(|&(x, y)| [x, y]).collect();
            for p in &polys {
                let r = p.bounding_rect().unwrap();
                for (x, y) in [(r.min().x, r.min().y), (r.max().x, r.max().y), (r.min().x, r.max().y)] {
                    probes.push([x, y]);
                    probes.push([x, (r.min().y + r.max().y) / 2.0]);
                }
            }
            for k in 0..=table.cols.max(table.rows) {
                let at = k as f64 * table.size;
                probes.push([table.x0 + at, table.y0 + at]);
                probes.push([table.x0 + at, points[0].1]);
            }
            let tree = rstar::RTree::bulk_load(
                polys
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let r = p.bounding_rect().unwrap();
                        rstar::primitives::GeomWithData::new(
                            rstar::primitives::Rectangle::from_corners(
                                [r.min().x, r.min().y],
                                [r.max().x, r.max().y],
                            ),
                            i as u32,
                        )
                    })
                    .collect(),
            );
            for p in probes {
                let found: Vec<u32> = table.of(p).collect();
                let mut expected: Vec<u32> = tree
                    .locate_in_envelope_intersecting(&rstar::AABB::from_point(p))
                    .map(|e| e.data)
                    .collect();
                expected.sort_unstable();
                prop_assert_eq!(found, expected, "at {:?}", p);
            }
        }
    }

    #[test]
    fn most_cells_of_a_large_polygon_need_no_exact_test() {
        let radii: Vec<f64> = (0..400)
            .map(|k| 1000.0 + 50.0 * ((k as f64) * 0.3).sin())
            .collect();
        let index = AreaIndex::new(vec![star(0.0, 0.0, &radii, false)]);
        let g = index.grids[0].as_ref().unwrap();
        let decided = g.cells.iter().filter(|c| **c != CELL_EDGE).count();
        assert_eq!(g.cols, 81); // ⌈4·√401⌉ (400 vertices and the closing one)
        assert!(
            decided * 10 >= g.cells.len() * 7,
            "{decided} of {}",
            g.cells.len()
        );
    }

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size)
        ]])
    }

    #[test]
    fn interior_border_vertex_overlap_and_outside() {
        // Areas 0 and 1 share the edge x = 10; area 2 overlaps area 1.
        let polys = vec![
            square(0.0, 0.0, 10.0),
            square(10.0, 0.0, 10.0),
            square(15.0, 0.0, 10.0),
        ];
        let idx = AreaIndex::new(polys);
        assert_eq!(idx.locate([5.0, 5.0]), Location::Interior(0));
        assert_eq!(idx.locate([10.0, 5.0]), Location::Border(0));
        assert_eq!(idx.locate([10.0, 10.0]), Location::Border(0));
        assert_eq!(idx.locate([17.0, 5.0]), Location::Overlap(1));
        assert_eq!(idx.locate([22.0, 5.0]), Location::Interior(2));
        assert_eq!(idx.locate([50.0, 5.0]), Location::Outside);
        let (area, d) = idx.nearest([50.0, 5.0]).unwrap();
        assert_eq!((area, d), (2, 25.0));
    }

    #[test]
    fn counts_add_up() {
        let polys = vec![square(0.0, 0.0, 10.0), square(10.0, 0.0, 10.0)];
        let idx = AreaIndex::new(polys);
        let locs = idx.locate_all(&[[1.0, 1.0], [10.0, 1.0], [11.0, 1.0], [99.0, 1.0]]);
        let c = count(&locs);
        assert_eq!(c.input, c.assigned + c.outside);
        assert_eq!((c.assigned, c.border, c.outside), (3, 1, 1));
        assert_eq!(per_area(&locs, 2), vec![2, 1]);
    }

    /// Squares on a 10 m grid, some of them missing (holes in the study) and some shifted by
    /// half a cell (overlapping their neighbour).
    fn areas() -> impl Strategy<Value = Vec<MultiPolygon<f64>>> {
        prop::collection::vec((0u8..6, 0u8..6, prop::bool::weighted(0.15)), 1..20).prop_map(
            |cells| {
                cells
                    .into_iter()
                    .map(|(cx, cy, shift)| {
                        let x = 10.0 * f64::from(cx) + if shift { 5.0 } else { 0.0 };
                        square(x, 10.0 * f64::from(cy), 10.0)
                    })
                    .collect()
            },
        )
    }

    /// Points anywhere around the grid; a third of them on grid lines and vertices.
    fn points() -> impl Strategy<Value = Vec<[f64; 2]>> {
        let coordinate =
            prop_oneof![2 => -5.0f64..70.0, 1 => (0u8..8).prop_map(|k| 10.0 * f64::from(k))];
        prop::collection::vec((coordinate.clone(), coordinate), 0..200)
            .prop_map(|v| v.into_iter().map(|(x, y)| [x, y]).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every point is assigned or outside, never lost or counted twice; the per-area counts
        /// add up to the assigned points; the parallel result equals one point at a time.
        #[test]
        fn assignment_conserves_the_points(polys in areas(), pts in points()) {
            let n = polys.len();
            let idx = AreaIndex::new(polys);
            let locs = idx.locate_all(&pts);
            let c = count(&locs);
            prop_assert_eq!(c.input, pts.len());
            prop_assert_eq!(c.assigned + c.outside, c.input);
            prop_assert!(c.border + c.overlap <= c.assigned);
            prop_assert_eq!(per_area(&locs, n).iter().sum::<usize>(), c.assigned);
            let one_by_one: Vec<Location> = pts.iter().map(|p| idx.locate(*p)).collect();
            prop_assert_eq!(&locs, &one_by_one);
            // The rule applied with geo's exact test on every polygon, no index, no cache.
            let by_rule: Vec<Location> = pts
                .iter()
                .map(|p| {
                    let c = Coord { x: p[0], y: p[1] };
                    let at: Vec<CoordPos> =
                        idx.polygons().iter().map(|poly| poly.coordinate_position(&c)).collect();
                    let inside: Vec<u32> = (0..n as u32).filter(|&i| at[i as usize] == CoordPos::Inside).collect();
                    let border = (0..n as u32).find(|&i| at[i as usize] == CoordPos::OnBoundary);
                    match (inside.as_slice(), border) {
                        ([i], _) => Location::Interior(*i),
                        ([i, ..], _) => Location::Overlap(*i),
                        ([], Some(b)) => Location::Border(b),
                        ([], None) => Location::Outside,
                    }
                })
                .collect();
            prop_assert_eq!(&locs, &by_rule);
            for (p, l) in pts.iter().zip(&locs) {
                // An outside point is in no polygon; an assigned one is in (or on) its area.
                let coord = Coord { x: p[0], y: p[1] };
                match l.area() {
                    None => prop_assert!(idx
                        .polygons()
                        .iter()
                        .all(|poly| poly.coordinate_position(&coord) == CoordPos::Outside)),
                    Some(i) => prop_assert_ne!(
                        idx.polygons()[i].coordinate_position(&coord),
                        CoordPos::Outside
                    ),
                }
            }
        }
    }
}
