//! Accessibility: nearest facilities, rings, floating catchment areas.
