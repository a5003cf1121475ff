//! Reading a small input file whole (the configuration, a scenario, an opgave, a level
//! mapping), with a size limit, and from whatever kind of file the path names.
//!
//! A regular file larger than the limit is refused before it is read; a FIFO (a named pipe,
//! or `<(…)` in a shell) is read as a stream up to the limit; a device (`/dev/zero`), a socket
//! or a folder is refused with what it is. Without this, `--config /dev/zero` read until memory
//! ran out. `std` offers `Read::take`, which this uses; no crate adds the file-type check.

use std::io::Read as _;
use std::path::Path;

use crate::error::system_says;

/// The largest configuration, scenario, opgave or level file read: 16 MiB (the national
/// buurt-to-gebied mapping of 14,000 rows is about 0.5 MB).
pub const TEXT_LIMIT: u64 = 16 * 1024 * 1024;

/// What kind of file `meta` describes, for a message ("een tekenapparaat": a character device).
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "een map"
    } else if t.is_char_device() {
        "een tekenapparaat"
    } else if t.is_block_device() {
        "een blokapparaat"
    } else if t.is_socket() {
        "een socket"
    } else if t.is_fifo() {
        "een named pipe (FIFO)"
    } else {
        "een bestand"
    }
}

/// Read `path` whole, at most `limit` bytes. The error says what the path is or how large,
/// without the path (the caller names the file and the flag); the system's own text of an
/// error in reading is quoted as it stands.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| system_says(&e))?;
    let t = meta.file_type();
    if !(t.is_file() || std::os::unix::fs::FileTypeExt::is_fifo(&t)) {
        return Err(format!("het is {}, geen bestand", kind(&meta)));
    }
    if t.is_file() && meta.len() > limit {
        return Err(format!(
            "het bestand is {} bytes, meer dan de {} bytes die wijkbalans van zo'n bestand leest",
            crate::format::count(meta.len() as usize),
            crate::format::count(limit as usize)
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| system_says(&e))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{} levert meer dan de {} bytes die wijkbalans van zo'n bestand leest",
            kind(&meta),
            crate::format::count(limit as usize)
        ));
    }
    Ok(bytes)
}

/// [`read_bounded`] as UTF-8 text.
pub fn read_bounded_text(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "de tekst is geen UTF-8 (byte {} is ongeldig); sla het bestand op als UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_large_files_are_refused_with_what_they_are() {
        let e = read_bounded(Path::new("/dev/zero"), 10).unwrap_err();
        assert_eq!(e, "het is een tekenapparaat, geen bestand");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_bounded(dir.path(), 10).unwrap_err(),
            "het is een map, geen bestand"
        );
        let big = dir.path().join("big.toml");
        std::fs::write(&big, [b'#'; 11]).unwrap();
        assert!(read_bounded(&big, 10)
            .unwrap_err()
            .contains("11 bytes, meer dan de 10 bytes"));
        assert_eq!(read_bounded(&big, 11).unwrap().len(), 11);
    }

    #[test]
    fn a_fifo_is_read_as_a_stream_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, b"seed = 7\n").unwrap())
        };
        assert_eq!(read_bounded_text(&fifo, 100).unwrap(), "seed = 7\n");
        writer.join().unwrap();
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let _ = std::fs::write(fifo, [b'#'; 50]);
            })
        };
        let e = read_bounded(&fifo, 10).unwrap_err();
        assert!(
            e.starts_with("een named pipe (FIFO) levert meer dan de 10"),
            "{e}"
        );
        writer.join().unwrap();
    }
}
