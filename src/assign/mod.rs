//! Points → areas: an R-tree of area envelopes plus an exact point-in-polygon test.
//!
//! # Rule for every point
//! 1. Candidates are the areas whose bounding box contains the point (`rstar` query).
//! 2. A point inside exactly one area's interior goes to that area.
//! 3. A point inside the interiors of several areas (overlapping input) goes to the one with the
//!    lowest index, i.e. the lowest area code, and is counted as `overlap`.
//! 4. A point on a boundary and in no interior (a shared border, a vertex) goes to the area with
//!    the lowest code among those whose boundary it lies on, and is counted as `border`.
//! 5. Any other point is `outside`: counted and listed, never dropped silently.
//!
//! The rule depends only on the point and the sorted areas, so the result is the same for any
//! thread count and any input order.

use geo::{
    coordinate_position::CoordPos, BoundingRect, Coord, CoordinatePosition, Distance, Euclidean,
    MultiPolygon, Point,
};
use rayon::prelude::*;
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, AABB};

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

type Envelope = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// A spatial index over area polygons (in area order). It owns the polygons, so it can be
/// built once and shared (e.g. in an `Arc`) by every what-if.
#[derive(Debug, Clone)]
pub struct AreaIndex {
    polygons: Vec<MultiPolygon<f64>>,
    tree: RTree<Envelope>,
}

impl AreaIndex {
    /// Build the index (bulk-loaded R-tree of envelopes). Empty polygons are not indexed.
    pub fn new(polygons: Vec<MultiPolygon<f64>>) -> Self {
        let envelopes = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let r = p.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i as u32,
                ))
            })
            .collect();
        Self {
            polygons,
            tree: RTree::bulk_load(envelopes),
        }
    }

    /// The polygons, in area order.
    pub fn polygons(&self) -> &[MultiPolygon<f64>] {
        &self.polygons
    }

    /// Locate one point under the rule in the module docs.
    pub fn locate(&self, p: [f64; 2]) -> Location {
        let coord = Coord { x: p[0], y: p[1] };
        let mut interior: Option<u32> = None;
        let mut overlap = false;
        let mut border: Option<u32> = None;
        for env in self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_point(p))
        {
            let i = env.data;
            match self.polygons[i as usize].coordinate_position(&coord) {
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
    pub fn locate_all(&self, points: &[[f64; 2]]) -> Vec<Location> {
        points.par_iter().map(|p| self.locate(*p)).collect()
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

    use proptest::prelude::*;

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
