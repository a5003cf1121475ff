//! The colours of the signals, shared by the QGIS styles ([`crate::io::styles`]) and the HTML
//! report's maps and badges ([`crate::report::html`]): a planner sees the same red for `rood`
//! in QGIS and in the report. Hex RGB, ColorBrewer RdYlGn.

/// Colour of `rood` (saldo at or below the rood threshold).
pub const ROOD: &str = "#d7191c";
/// Colour of `oranje`.
pub const ORANJE: &str = "#fdae61";
/// Colour of `neutraal`.
pub const NEUTRAAL: &str = "#ffffbf";
/// Colour of `ruimte` (saldo at or above the ruimte threshold).
pub const RUIMTE: &str = "#1a9641";
/// Colour of `onbekend` (a block without any indicator).
pub const ONBEKEND: &str = "#bdbdbd";
