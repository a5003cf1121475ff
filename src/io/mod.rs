//! The IO boundary: the only module that knows file formats, GDAL, CRS codes and column names.
//!
//! `read` opens layers with GDAL and reprojects them to the compute CRS (large point layers
//! through GDAL's Arrow stream, `stream`); `model` turns them into
//! validated [`crate::model`] types using the alias table in `schema`; `digest` hashes every
//! input for `run.json`; `write` renders tables to GeoJSON/CSV/JSON and writes them
//! all-or-nothing.

pub mod crs;
pub mod dbf;
pub mod digest;
mod fgb;
pub mod gdal_env;
pub mod geojson_check;
pub mod gpkg;
pub(crate) mod interrupt;
pub mod levels;
mod mapped;
pub mod model;
pub mod outset;
pub mod read;
pub mod schema;
mod stream;
pub mod styles;
pub mod write;
