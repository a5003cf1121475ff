pub mod assign;
pub mod indicators;
pub mod io;
pub mod model;
pub mod spread;
