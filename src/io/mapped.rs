//! An input file mapped read-only into memory, its pages let go behind the reader.

use std::fs::File;
use std::path::Path;

/// A whole file mapped into memory, read-only and private.
///
/// The large inputs (the national dwellings file is 1 GB) are read twice, once for their
/// SHA-256 and once for their features; reading them through `read` copied every byte out of
/// the page cache both times (`BENCHMARKS.md`). A map reads the cached pages in place, and the
/// readers release the pages behind them ([`Mapped::release_before`]), so the resident size
/// stays that of the part being read, not of the file. The price of every mapped file: a
/// file that another program truncates while wijkbalans reads it ends the run with a bus error
/// instead of a message (wijkbalans itself never writes its inputs; ROBUSTNESS.md). Every read
/// of the bytes is bounds-checked against the length mapped, so a file changed in place gives
/// wrong values or an error, never a read outside the map.
pub(crate) struct Mapped {
    map: memmap2::Mmap,
}

impl Mapped {
    pub(crate) fn open(path: &Path) -> std::io::Result<Self> {
        let file = File::open(path)?;
        // SAFETY: the map is read-only and private, and its bytes are only read through
        // bounds-checked slices; a file changed by another program during the run is the
        // caveat above.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        Ok(Mapped { map })
    }

    /// [`Mapped::open`], every page mapped at once (`MAP_POPULATE`): for a file that is read
    /// whole and kept (the BAG index cache), one call instead of a page fault per page.
    pub(crate) fn open_populated(path: &Path) -> std::io::Result<Self> {
        let file = File::open(path)?;
        // SAFETY: as in `open`.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }?;
        Ok(Mapped { map })
    }

    /// The file's bytes (as long as the file was when it was mapped).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// Let go of the pages wholly before byte `end`: they leave the process's resident set
    /// (the page cache keeps them). Reading them again is still correct, only slower.
    pub(crate) fn release_before(&self, end: usize) {
        const PAGE: usize = 4096;
        let end = end.min(self.map.len()) / PAGE * PAGE;
        if end == 0 {
            return;
        }
        // SAFETY: MADV_DONTNEED on a read-only private file mapping that was never written
        // drops only the page-table entries; a later read maps the same file page again, so
        // no byte seen through the map changes. A failure only leaves the pages resident.
        #[cfg(unix)]
        let _ = unsafe {
            self.map
                .unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, end)
        };
    }
}
