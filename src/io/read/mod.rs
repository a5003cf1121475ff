//! Reading vector layers with GDAL: GeoPackage, GeoJSON, Shapefile, FlatGeobuf and CSV with x/y
//! columns, reprojected to the compute CRS.
//!
//! GDAL datasets are `Send` but not `Sync`, so each layer is read on the thread that calls its
//! reader (which may spread the decoding over rayon, as `stream` and `fgb` do); the engine then
//! runs rayon over plain `geo` data.
//!
//! `open` identifies the file and chooses the layer, `layer` reads a whole layer into a
//! [`RawLayer`], `points` reads a large point layer into coordinates.

mod bag;
mod layer;
mod open;
mod points;
mod source;
#[cfg(test)]
mod tests;

pub use bag::{read_bag, Bag, COLUMNS as BAG_COLUMNS};
pub(crate) use layer::not_utf8;
pub use layer::{read_layer, Attr, RawFeature, RawLayer, ReadOptions};
pub use open::{CSV_X_NAMES, CSV_Y_NAMES, DRIVERS};
pub use points::{read_points, PointLayer, SkippedFeature, MAX_SKIPPED_SHARE};
pub use source::Source;
