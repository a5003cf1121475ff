//! The SHA-256 of every input file, for `run.json`.
//!
//! Small layers are hashed when they are read. A large point layer (the national dwellings
//! file is 1 GB: about 0.6 s of one core with SHA-NI) is hashed on a thread of its own in the
//! idle scheduling class while the run goes on, and waited for when `run.json` is
//! rendered ([`FileDigest::wait`]): on two cores the hash then uses the time one core would
//! otherwise sit idle (while the run writes its outputs, between stages) instead of taking a
//! core from the reading and the assignment. The digest is the same either way: the one
//! `sha256sum` prints.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use super::error::InputError;
use super::read::Mapped;

/// The SHA-256 of an input file (hex, as `sha256sum` prints it): known, or being computed in
/// the background. Clones share the one computation.
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
            sha256_file(&owned)
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
                None => sha256_file(&self.0.path),
            };
            hashed.map_err(|e| e.to_string())
        });
        done.as_deref().map_err(|e| {
            InputError::file(
                &self.0.path,
                format!("cannot read the file ({e})"),
                "check permissions",
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

/// The SHA-256 of a file, as `sha256sum` prints it, hashed from a memory map of the file.
fn sha256_file(path: &Path) -> std::io::Result<String> {
    sha256_mapped(path, 32 << 20)
}

/// [`sha256_file`] hashing `chunk` bytes at a time, each let go once hashed.
fn sha256_mapped(path: &Path, chunk: usize) -> std::io::Result<String> {
    let map = Mapped::open(path)?;
    let mut h = Sha256::new();
    for (k, bytes) in map.bytes().chunks(chunk).enumerate() {
        h.update(bytes);
        map.release_before((k + 1) * chunk);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
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
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    #[test]
    fn sha256_is_what_sha256sum_prints() {
        // FIPS 180-2 test vectors, and a file of many pages hashed in page-sized chunks (each
        // let go before the next is read) against the digest of the bytes in memory.
        for (bytes, expected) in [
            (
                &b""[..],
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ] {
            assert_eq!(sha256_file(temp_file(bytes).path()).unwrap(), expected);
        }
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let f = temp_file(&bytes);
        for chunk in [4096, 10_000, 1 << 20] {
            assert_eq!(
                sha256_mapped(f.path(), chunk).unwrap(),
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
            e.contains("woningen.fgb") && e.contains("cannot read the file"),
            "{e}"
        );
        assert!(serde_json::to_value(&digest).is_err());
        assert!(FileDigest::now(&gone).is_err());
    }
}
