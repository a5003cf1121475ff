pub mod spread;
