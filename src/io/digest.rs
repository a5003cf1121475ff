//! The BLAKE3 digest of every input file, for `run.json`.
//!
//! BLAKE3 (O'Connor, Aumasson, Neves & Wilcox-O'Hearn 2020, <https://github.com/BLAKE3-team/BLAKE3>)
//! is a cryptographic hash like SHA-256, computed here with the `blake3` crate of its authors;
//! `b3sum` (Debian package `b3sum`) prints the same hex digest for a file. It replaced SHA-256
//! because of the national dwellings file: 1 GB took 0.64 s of one core with SHA-256 (with
//! the CPU's SHA instructions, as fast as OpenSSL's) and takes about 0.15 s with BLAKE3 on one
//! core (the hash alone; reading the file adds about as much again), measured on the benchmark
//! machine (`BENCHMARKS.md`); on two cores the SHA-256 was the last thing the run waited for.
//!
//! Small layers are hashed when they are read. A large point layer is hashed on a thread of
//! its own in the idle scheduling class while the run goes on, and waited for when `run.json`
//! is rendered ([`FileDigest::wait`]): on two cores the hash then uses the time one core would
//! otherwise sit idle (between stages, while the run writes its outputs) instead of taking a
//! core from the reading and the assignment. The digest is the same either way.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use serde::{Serialize, Serializer};

use crate::error::{system_says, InputError};

/// The BLAKE3 digest of an input file (hex, as `b3sum` prints it): known, or being computed
/// in the background. Clones share the one computation.
#[derive(Debug, Clone)]
pub struct FileDigest(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    running: Mutex<Option<JoinHandle<std::io::Result<String>>>>,
    done: OnceLock<Result<String, String>>,
}

impl FileDigest {
    /// The digest of `path`, computed now.
    pub fn now(path: &Path) -> Result<Self, InputError> {
        let digest = FileDigest::new(path, None);
        digest.wait()?;
        Ok(digest)
    }

    /// The digest of `path`, computed on a background thread of the idle class; an error
    /// reading the file is reported by [`FileDigest::wait`].
    pub fn in_background(path: &Path) -> Self {
        let owned = path.to_path_buf();
        let handle = std::thread::spawn(move || {
            lowest_priority();
            blake3_file(&owned)
        });
        FileDigest::new(path, Some(handle))
    }

    /// A digest already known, e.g. for a layer built in memory (`hex` is taken as it is).
    pub fn known(path: &Path, hex: impl Into<String>) -> Self {
        let digest = FileDigest::new(path, None);
        let _ = digest.0.done.set(Ok(hex.into()));
        digest
    }

    fn new(path: &Path, running: Option<JoinHandle<std::io::Result<String>>>) -> Self {
        FileDigest(Arc::new(Inner {
            path: path.to_path_buf(),
            running: Mutex::new(running),
            done: OnceLock::new(),
        }))
    }

    /// The hex digest, waiting for the background computation if it still runs.
    pub fn wait(&self) -> Result<&str, InputError> {
        let done = self.0.done.get_or_init(|| {
            let running = self
                .0
                .running
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            let hashed = match running {
                Some(handle) => handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                None => blake3_file(&self.0.path),
            };
            hashed.map_err(|e| e.to_string())
        });
        done.as_deref().map_err(|e| {
            InputError::file(
                &self.0.path,
                format!("het bestand kan niet worden gelezen ({})", system_says(e)),
                "controleer of het bestand er nog is en gelezen mag worden",
            )
        })
    }
}

/// Serialised as the hex digest, waiting for it if needed. `report::run_record` waits for
/// every input first, so the error here is for a record serialised without that step.
impl Serialize for FileDigest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.wait() {
            Ok(hex) => serializer.serialize_str(hex),
            Err(e) => Err(serde::ser::Error::custom(e.to_string())),
        }
    }
}

/// Puts the calling thread in Linux's idle scheduling class (`SCHED_IDLE`): it then runs only
/// when no other thread wants the core, and gives way at once when one does (nice 19 was
/// tried first: it still took slices from the decoding and the permutations). Elsewhere, and
/// if the call fails, the thread keeps its priority, which changes only the timing.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: a system call on the calling thread (pid 0) with a valid parameter struct.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
    }
}

/// The BLAKE3 digest of a file, as `b3sum` prints it, on the calling thread (the SIMD code the
/// CPU supports, one core).
fn blake3_file(path: &Path) -> std::io::Result<String> {
    blake3_read(path, 1 << 20)
}

/// [`blake3_file`] reading `chunk` bytes at a time into one buffer.
///
/// Read rather than memory-mapped: the buffer stays in the CPU's cache, and the page faults of
/// a map of the national file cost more than the copy (`b3sum` alone on it: 0.39 s of CPU
/// mapped, 0.30 s read; in alternating national runs CPU 3.70 → 3.61 s and page faults
/// 112 k → 94 k).
fn blake3_read(path: &Path, chunk: usize) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; chunk.max(1)];
    let mut h = blake3::Hasher::new();
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                h.update(&buffer[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(h.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, bytes).unwrap();
        f
    }

    fn hex(bytes: &[u8]) -> String {
        blake3::hash(bytes).to_hex().to_string()
    }

    #[test]
    fn blake3_is_what_b3sum_prints() {
        // Test vectors of the BLAKE3 specification (test_vectors.json: input byte i is i mod
        // 251; the empty input and 1 024 bytes, one whole chunk), and a file of many pages
        // read in chunks of several sizes against the digest of the bytes in memory.
        let vector = |n: usize| -> Vec<u8> { (0..n).map(|i| (i % 251) as u8).collect() };
        for (n, expected) in [
            (
                0,
                "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
            ),
            (
                1024,
                "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
            ),
        ] {
            assert_eq!(blake3_file(temp_file(&vector(n)).path()).unwrap(), expected);
        }
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let f = temp_file(&bytes);
        for chunk in [4096, 10_000, 1 << 20] {
            assert_eq!(
                blake3_read(f.path(), chunk).unwrap(),
                hex(&bytes),
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn a_background_digest_equals_the_digest_now_and_serialises_as_hex() {
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();
        let f = temp_file(&bytes);
        let background = FileDigest::in_background(f.path());
        let copy = background.clone();
        assert_eq!(background.wait().unwrap(), hex(&bytes));
        assert_eq!(copy.wait().unwrap(), hex(&bytes));
        assert_eq!(
            FileDigest::now(f.path()).unwrap().wait().unwrap(),
            hex(&bytes)
        );
        assert_eq!(
            serde_json::to_value(&copy).unwrap(),
            serde_json::Value::String(hex(&bytes))
        );
    }

    #[test]
    fn a_file_that_cannot_be_read_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("woningen.fgb");
        let digest = FileDigest::in_background(&gone);
        let e = digest.wait().unwrap_err().to_string();
        assert!(
            e.contains("woningen.fgb") && e.contains("kan niet worden gelezen"),
            "{e}"
        );
        assert!(serde_json::to_value(&digest).is_err());
        assert!(FileDigest::now(&gone).is_err());
    }
}
