//! What a run that is interrupted (Ctrl-C, SIGINT; or SIGTERM, as `timeout` and service
//! managers send) leaves behind: nothing of its own.
//!
//! Without a handler the process dies on the spot, and the lock file beside `--out` and any
//! parent folder created for it stay behind (the lock is released, but its file is not
//! removed: docs/OUTPUTS.md §"How files are written", step 1). This module keeps the list of
//! what a run holds: every [`crate::io::outset::OutputLock`] enters its lock file and the
//! folders created for it while it takes the lock ([`holding`]), and
//! [`crate::io::outset::write_set`] holds the list while it writes ([`writing`]). On a signal, the command line's handler
//! (`cli::output::OutputTarget::claim` starts it) calls [`remove_held`], which waits until a
//! set being written is in place (a set is never left half exchanged), removes the lock files
//! and the still empty folders, and says whether the new set was written; the handler then
//! says so and ends the process with 128 + the signal's number (130 for SIGINT, 143 for
//! SIGTERM), as a shell does.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

/// The locks a run holds, and whether an output set has been written.
#[derive(Debug, Default)]
struct Held {
    /// (lock file, folders created for it, deepest last) of every lock held.
    locks: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Whether an output set was exchanged into place in this run.
    written: bool,
}

static HELD: Mutex<Held> = Mutex::new(Held {
    locks: Vec::new(),
    written: false,
});

fn held() -> MutexGuard<'static, Held> {
    // A panic while holding it leaves the list as it was; it is still the truth.
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The list of what the run holds, locked while a lock is being taken: an interrupt waits
/// until the lock file and the folders made for it are entered ([`Holding::hold`]) or the
/// taking has failed, so it never finds a lock file of this run that it does not know of.
pub(crate) fn holding() -> Holding {
    Holding(held())
}

/// The guard of [`holding`].
pub(crate) struct Holding(MutexGuard<'static, Held>);

impl Holding {
    /// Remember lock file `path` and the folders created for it (deepest last).
    pub(crate) fn hold(&mut self, path: PathBuf, created: Vec<PathBuf>) {
        self.0.locks.push((path, created));
    }
}

/// Forget lock file `path`: its holder removes it itself.
pub(crate) fn release(path: &std::path::Path) {
    held().locks.retain(|(p, _)| p != path);
}

/// Held while an output set is written and exchanged: an interrupt waits for it, so the
/// folder holds the complete old set or the complete new one, never a half-moved one. Call
/// [`Writing::done`] once the new set is in place.
pub(crate) fn writing() -> Writing {
    Writing(held())
}

/// The guard of [`writing`].
pub(crate) struct Writing(MutexGuard<'static, Held>);

impl Writing {
    /// The new set is in place.
    pub(crate) fn done(mut self) {
        self.0.written = true;
    }
}

/// Remove every lock file the run holds and the still empty folders created for them, after
/// waiting for an output set that is being written to be in place. Returns whether a new set
/// was written in this run. The caller ends the process next: the list stays locked, so no
/// other thread of the run writes after this.
pub(crate) fn remove_held() -> bool {
    let held = held();
    for (lock, created) in &held.locks {
        let _ = std::fs::remove_file(lock);
        remove_empty_folders(created);
    }
    let written = held.written;
    std::mem::forget(held);
    written
}

/// Remove the folders `dirs` (deepest last) that are still empty, deepest first, stopping at
/// the first that is not: the folders a run created for its lock, when it stops before
/// writing (`outset::Created`) or is interrupted ([`remove_held`]).
pub(crate) fn remove_empty_folders(dirs: &[PathBuf]) {
    for dir in dirs.iter().rev() {
        // Fails, and so keeps the folder, when it is not empty.
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
    }
}
