//! Opgave monitor and comparison between vintages.
