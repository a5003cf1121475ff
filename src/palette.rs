//! The colours of the signals, shared by the QGIS styles ([`crate::io::styles`]) and the HTML
//! report's maps and badges ([`crate::report::html`]): a planner sees the same red for `rood`
//! in QGIS and in the report. Hex RGB, ColorBrewer RdYlGn; and the two colours of `compare`'s
//! boundary status.

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

/// Colour of an area whose boundary stayed the same between two vintages (`compare`): a light
/// grey, the background against which a changed boundary stands out.
pub const GRENS_GELIJK: &str = "#f0f0f0";
/// Colour of an area whose boundary changed between two vintages (`compare`): a purple outside
/// the signal colours, so it is never read as a signal.
pub const GRENS_GEWIJZIGD: &str = "#7b3294";
