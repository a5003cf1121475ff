//! Progress of long computations, for whoever is watching.
//!
//! The engine never prints. Its few long loops (the permutation tests of the spreading metrics,
//! the site search) take a `&dyn` [`Progress`] and report how many work items are done; the
//! command line turns that into a progress bar, a library user can pass [`Silent`].
//!
//! Reporting only counts: no result depends on it. Items are reported from the worker threads
//! as they finish, so the order of the calls varies with the thread count and between runs;
//! the totals do not. Implementations must therefore be cheap and thread-safe (an atomic
//! counter, see [`Counter`]).

use std::sync::atomic::{AtomicU64, Ordering};

/// What a long computation is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The permutation tests of the spreading metrics (global Moran's I, LISA, Getis–Ord G and
    /// Gi*). One item is one permutation of a global test, or one area's permutations of a
    /// local test.
    Permutations,
    /// Evaluating candidate locations in the site search; one item per candidate.
    Candidates,
    /// Finding each area's cap for an allocation; one item per area.
    Caps,
}

/// Receives progress reports. Every method has a default that does nothing.
pub trait Progress: Sync {
    /// `stage` starts with `total` items.
    fn start(&self, _stage: Stage, _total: u64) {}
    /// `n` more items are done (called from any thread).
    fn advance(&self, _n: u64) {}
    /// The stage started last is over.
    fn finish(&self) {}
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Counts the items of the current stage with one atomic counter, and tells whether a report
/// crosses one of `steps` equal steps of the total, so that a display can update about `steps`
/// times per stage however many items there are.
///
/// # Example
/// ```
/// use wijkbalans::progress::Counter;
/// let c = Counter::new(100);
/// c.start(1000);
/// assert_eq!(c.add(5), None); // 5 of 1000: still in the first step
/// assert_eq!(c.add(5), Some(10)); // crosses 10: update the display to 10
/// assert_eq!(c.done(), 10);
/// ```
#[derive(Debug)]
pub struct Counter {
    done: AtomicU64,
    step: AtomicU64,
    total: AtomicU64,
    steps: u64,
}

impl Counter {
    /// A counter that signals about `steps` updates per stage (at least 1).
    pub fn new(steps: u64) -> Self {
        Counter {
            done: AtomicU64::new(0),
            step: AtomicU64::new(1),
            total: AtomicU64::new(0),
            steps: steps.max(1),
        }
    }

    /// Start a stage of `total` items.
    pub fn start(&self, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.step
            .store((total / self.steps).max(1), Ordering::Relaxed);
    }

    /// Add `n` items; `Some(done)` when the count crossed a step boundary or reached the total.
    pub fn add(&self, n: u64) -> Option<u64> {
        let before = self.done.fetch_add(n, Ordering::Relaxed);
        let after = before + n;
        let step = self.step.load(Ordering::Relaxed);
        let total = self.total.load(Ordering::Relaxed);
        (after / step != before / step || (after >= total && before < total)).then_some(after)
    }

    /// Items done in the current stage.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Items in the current stage.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn the_counter_signals_about_steps_times() {
        let c = Counter::new(10);
        c.start(1000);
        let signals = (0..1000).filter(|_| c.add(1).is_some()).count();
        assert_eq!(signals, 10);
        assert_eq!(c.done(), 1000);
        c.start(3);
        assert_eq!(c.add(1), Some(1));
        assert_eq!(c.add(2), Some(3));
    }

    #[test]
    fn parallel_reports_add_up() {
        let c = Counter::new(7);
        c.start(10_000);
        let signals: usize = (0..10_000u64)
            .into_par_iter()
            .map(|_| usize::from(c.add(1).is_some()))
            .sum();
        assert_eq!(c.done(), 10_000);
        // Step 1428: seven boundaries, and the last item reaches the total.
        assert_eq!(signals, 8);
    }
}
