//! The output folder as a whole: where a run may write, the lock that keeps a second run out,
//! and the swap that replaces the output set in one step.
//!
//! - [`resolve`] turns a path into the absolute path it names (symbolic links and `..`
//!   followed; for a file that does not exist yet, its deepest existing folder is resolved).
//! - [`check_outputs`] compares every file a run will write with every input and its sidecar
//!   files ([`sidecars`]): a collision is an error naming both, before anything is written.
//! - [`OutputLock`] is held by a run from before it reads until it has written: a second run
//!   into the same folder is refused with a message.
//! - [`write_set`] builds the new set in a hidden folder beside `--out`, carries over whatever
//!   else the folder holds (files hard-linked, subfolders moved after the swap), and exchanges
//!   the two folders with one `renameat2(RENAME_EXCHANGE)`: a reader, or a run killed at any
//!   moment, sees either the complete old set or the complete new one. On a file system
//!   without that exchange (`EINVAL`, `ENOSYS`, `EOPNOTSUPP`: some network and FUSE file
//!   systems) it uses two renames instead ([`Swap::TwoRenames`]): a reader may then find no
//!   folder for a moment, but never a mixed set.
//!
//! The swap is hand-written because no crate does it: `tempfile` and `atomicwrites` replace
//! one file at a time, which leaves a folder of several files half old, half new when a run is
//! killed between two renames.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use crate::error::system_says;

/// Environment variable that makes a debug build stop (as if killed) right after step `k` of
/// [`write_set`]; used by the fault-injection test. Release builds ignore it.
pub const FAULT_ENV: &str = "WIJKBALANS_FAULT_AFTER_STEP";

/// Environment variable that makes a debug build swap with two renames, as on a file system
/// without `RENAME_EXCHANGE` ([`Swap::TwoRenames`]); used by the fault-injection test. Release
/// builds ignore it.
pub const NO_EXCHANGE_ENV: &str = "WIJKBALANS_NO_RENAME_EXCHANGE";

/// Infix of the hidden folders and the lock file beside an output folder `out`:
/// `.out.wijkbalans-new-…`, `.out.wijkbalans-lock`.
const INFIX: &str = "wijkbalans";

/// The longest file name the file systems wijkbalans writes to allow (NAME_MAX on Linux, and
/// on ext4, XFS, btrfs, APFS and NTFS alike).
const NAME_MAX: usize = 255;

/// How much longer than the output folder's name the longest folder beside it is:
/// `.{name}.wijkbalans-new-` and the six random characters of `tempfile`.
const COMPANION_EXTRA: usize = 1 + 1 + INFIX.len() + "-new-".len() + 6;

/// The absolute path `path` names: symbolic links and `..` resolved. For a path that does not
/// exist (an output not written yet), its deepest existing ancestor is canonicalised and the
/// rest appended, with `.` dropped and `..` applied.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    if let Ok(p) = abs.canonicalize() {
        return Ok(p);
    }
    // Walk up to the deepest existing ancestor; keep the rest.
    let mut rest: Vec<OsString> = Vec::new();
    let mut cur = abs.as_path();
    let base = loop {
        match cur.parent() {
            Some(parent) => {
                if let Some(name) = cur.file_name() {
                    rest.push(name.to_os_string());
                } else if cur.ends_with("..") {
                    rest.push("..".into());
                }
                if let Ok(p) = parent.canonicalize() {
                    break p;
                }
                cur = parent;
            }
            None => break cur.to_path_buf(),
        }
    };
    let mut out = base;
    for part in rest.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            Some(_) => out.push(part),
        }
    }
    Ok(out)
}

/// The files that belong to an input file: itself, and for a Shapefile its `.dbf`, `.shx`,
/// `.prj`, `.cpg` and index files; for a GeoPackage its `-wal`, `-shm` and `-journal`; for any
/// layer the QGIS style `.qml` next to it (QGIS loads it with the layer).
pub fn sidecars(input: &Path) -> Vec<PathBuf> {
    let mut out = vec![input.to_path_buf()];
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let with = |e: &str| input.with_extension(e);
    if ext == "shp" {
        for e in ["dbf", "shx", "prj", "cpg", "qix", "sbn", "sbx"] {
            out.push(with(e));
            out.push(with(&e.to_ascii_uppercase()));
        }
    }
    if ext == "gpkg" {
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut p = input.as_os_str().to_os_string();
            p.push(suffix);
            out.push(PathBuf::from(p));
        }
    }
    if !ext.is_empty() && ext != "qml" {
        out.push(with("qml"));
    }
    out
}

/// One file a run reads or writes, with what it is for the message (`--areas`, `--timings`).
#[derive(Debug, Clone)]
pub struct Named {
    /// The path as given.
    pub path: PathBuf,
    /// What it is, as the user knows it: a flag or an output name.
    pub what: String,
}

impl Named {
    /// A path and what it is.
    pub fn new(path: impl Into<PathBuf>, what: impl Into<String>) -> Self {
        Named {
            path: path.into(),
            what: what.into(),
        }
    }

    /// Each of `paths` (an optional flag's value, say) named `what`.
    pub fn all<'a>(paths: impl IntoIterator<Item = &'a PathBuf>, what: &str) -> Vec<Self> {
        paths.into_iter().map(|p| Named::new(p, what)).collect()
    }
}

/// Refuse when a file the run will write is an input or one of its sidecar files
/// ([`sidecars`]), or when two outputs are one file. Both paths are compared resolved
/// ([`resolve`]); the message names both as given and the file they both are.
pub fn check_outputs(outputs: &[Named], inputs: &[Named]) -> Result<(), String> {
    let mut taken: Vec<(PathBuf, &Named, bool)> = Vec::new();
    for i in inputs {
        for s in sidecars(&i.path) {
            let r = resolve(&s).map_err(|e| format!("{}: {e}", s.display()))?;
            taken.push((r, i, s == i.path));
        }
    }
    let mut written: Vec<(PathBuf, &Named)> = Vec::new();
    for o in outputs {
        let r = resolve(&o.path).map_err(|e| format!("{}: {e}", o.path.display()))?;
        if let Some((_, i, itself)) = taken.iter().find(|(p, _, _)| *p == r) {
            let which = if *itself {
                "de invoer".to_string()
            } else {
                format!("een bestand dat hoort bij de invoer {}", i.path.display())
            };
            return Err(format!(
                "{} ({}) zou {which} ({}, {}) overschrijven; wijkbalans schrijft nooit in de invoer: kies een ander uitvoerpad",
                o.path.display(),
                o.what,
                i.what,
                r.display()
            ));
        }
        if let Some((_, other)) = written.iter().find(|(p, _)| *p == r) {
            return Err(format!(
                "{} ({}) en {} ({}) zijn hetzelfde bestand ({}); geef elke uitvoer een eigen pad",
                o.path.display(),
                o.what,
                other.path.display(),
                other.what,
                r.display()
            ));
        }
        written.push((r, o));
    }
    Ok(())
}

/// Refuse an output folder `out` that holds an input (in it or in a subfolder, compared
/// resolved, [`resolve`]): [`write_set`] replaces the folder as a whole and moves its
/// subfolders into the new one after the swap, so a run killed in that moment would leave an
/// input in the hidden folder beside `out`, where the next run cannot find it (`--out data`
/// with the inputs in `data/`).
///
/// Example: `--out data` with `--areas data/cbs-kwb-2022/wijken_zwolle.geojson` is refused,
/// naming the file; `--out out` is not.
pub fn check_out_holds_no_input(out: &Path, inputs: &[Named]) -> Result<(), String> {
    let dir = resolve(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for i in inputs {
        let Ok(r) = resolve(&i.path) else {
            continue;
        };
        if r.starts_with(&dir) {
            return Err(format!(
                "{} (--out) bevat de invoer {} ({}); wijkbalans vervangt de uitvoermap als \
                 geheel, dus geef een eigen map op die geen invoer bevat (bijvoorbeeld --out out)",
                out.display(),
                i.path.display(),
                i.what
            ));
        }
    }
    Ok(())
}

/// The folder an output folder `out` lives in and its name, both resolved.
fn parent_and_name(out: &Path) -> std::io::Result<(PathBuf, OsString)> {
    let r = resolve(out)?;
    match (r.parent(), r.file_name()) {
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name.to_os_string())),
        _ => Err(std::io::Error::other(
            "de hoofdmap (/) kan geen uitvoermap zijn; geef een eigen map op",
        )),
    }
}

/// A hidden path beside `out`: `.{name}.wijkbalans-{tail}`.
fn beside(parent: &Path, name: &OsString, tail: &str) -> PathBuf {
    let mut n = OsString::from(".");
    n.push(name);
    n.push(format!(".{INFIX}-{tail}"));
    parent.join(n)
}

/// A lock on an output folder, held from before a run reads until it has written; released
/// and removed when dropped. It is an `flock` on the file `.{out}.wijkbalans-lock` beside the
/// folder. A run interrupted with Ctrl-C or SIGTERM removes it and the folders created for it
/// (`io::interrupt`); one that is killed outright releases it too (its file stays
/// behind, unlocked, and the next run takes it and removes it).
#[derive(Debug)]
pub struct OutputLock {
    file: std::fs::File,
    /// The lock file.
    pub path: PathBuf,
    /// The folders taking the lock created; dropped after the lock file is removed.
    _created: Created,
}

/// Folders a run created for its lock (the missing ancestors of `--out`), deepest last. When
/// dropped, each that is still empty is removed, deepest first: a run that stops before it
/// writes leaves no new folder behind, and a run that wrote keeps them (they hold `--out`).
#[derive(Debug, Default)]
struct Created(Vec<PathBuf>);

impl Created {
    /// `create_dir_all(dir)`, remembering which folders did not exist.
    fn dir_all(dir: &Path) -> std::io::Result<Self> {
        let mut missing: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
            .map(Path::to_path_buf)
            .collect();
        missing.reverse();
        let created = Created(missing);
        std::fs::create_dir_all(dir)?;
        Ok(created)
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        super::interrupt::remove_empty_folders(&self.0);
    }
}

impl OutputLock {
    /// Take the lock of output folder `out`, or say that another run holds it. A parent folder
    /// that does not exist yet is created for the lock file and removed again, if still empty,
    /// when the lock is dropped: a run that fails on its input leaves no new folder.
    pub fn take(out: &Path) -> Result<Self, String> {
        let fail = |e: std::io::Error| {
            format!(
                "{}: de uitvoermap kan niet worden klaargezet ({}); kies bij --out een map waarin \
                 geschreven mag worden",
                out.display(),
                system_says(&e)
            )
        };
        let (parent, name) = parent_and_name(out).map_err(fail)?;
        // The folders beside it (`.{name}.wijkbalans-new-XXXXXX`) must fit a file name too.
        let longest = name.len() + COMPANION_EXTRA;
        if longest > NAME_MAX {
            return Err(format!(
                "{}: de naam van de uitvoermap is {} bytes lang; wijkbalans zet er tijdelijk \
                 mappen naast (.NAAM.{INFIX}-new-…), en die naam wordt {longest} bytes, langer dan \
                 de {NAME_MAX} die een bestandsnaam mag hebben; kies bij --out een naam van \
                 hoogstens {} bytes",
                out.display(),
                name.len(),
                NAME_MAX - COMPANION_EXTRA
            ));
        }
        let here = std::env::current_dir().and_then(|d| d.canonicalize());
        if here.is_ok_and(|here| here.starts_with(parent.join(&name))) {
            return Err(format!(
                "{}: is de huidige map of bevat die; wijkbalans vervangt de uitvoermap als geheel, dus geef een eigen map op (bijvoorbeeld --out out)",
                out.display()
            ));
        }
        // From here until the lock is entered in the list an interrupt waits: the lock file
        // appears before the lock is known (`io::interrupt`).
        let mut holding = super::interrupt::holding();
        let mut created = Created::dir_all(&parent).map_err(fail)?;
        let path = beside(&parent, &name, "lock");
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(fail)?;
            if !try_lock(&file).map_err(fail)? {
                return Err(format!(
                    "{}: een andere run van wijkbalans schrijft in deze map (het slotbestand is {}); wacht tot die klaar is, of kies een andere --out",
                    out.display(),
                    path.display()
                ));
            }
            // The holder before us may have removed the file between our open and our lock:
            // then we hold a lock on a file nobody else will open; open it again.
            if same_file(&file, &path) {
                let created = std::mem::take(&mut created);
                holding.hold(path.clone(), created.0.clone());
                return Ok(OutputLock {
                    file,
                    path,
                    _created: created,
                });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        super::interrupt::release(&self.path);
        // Removed while still locked, so no other run can be holding it.
        if same_file(&self.file, &self.path) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Whether `path` still names the open `file`.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// An exclusive, non-blocking `flock`: `Ok(false)` when another process holds it.
fn try_lock(file: &std::fs::File) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor we own; no memory is passed.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(e)
    }
}

/// Counts the steps of [`write_set`] and, in a debug build with [`FAULT_ENV`] set to `k`, ends
/// the process right after step `k` without any clean-up, as a kill would.
struct Steps {
    done: usize,
    stop_after: Option<usize>,
}

impl Steps {
    fn new() -> Self {
        let stop_after = if cfg!(debug_assertions) {
            std::env::var(FAULT_ENV).ok().and_then(|v| v.parse().ok())
        } else {
            None
        };
        Steps {
            done: 0,
            stop_after,
        }
    }

    fn step(&mut self) {
        self.done += 1;
        if self.stop_after == Some(self.done) {
            // Like SIGKILL: no destructor runs, no temporary folder is removed.
            std::process::exit(99);
        }
    }
}

/// Write `files` as the new contents of output folder `out`, in one step for a reader.
///
/// 1. Leftovers of an interrupted earlier run beside `out` are cleared ([`recover`]).
/// 2. Every file is written into a new hidden folder `.{out}.wijkbalans-new-…` beside `out`
///    and synced; every other file `out` holds (the user's own, another command's) is
///    hard-linked into it (copied where a link is not possible), symbolic links recreated,
///    except the files named in `stale` (an earlier run's outputs that this run does not write
///    again): they go with the old set.
/// 3. The two folders are exchanged with `renameat2(RENAME_EXCHANGE)` (a folder that did not
///    exist yet is renamed into place). Before this step `out` is the old set, after it the
///    new one. Where the file system cannot exchange, two renames do it ([`Swap::TwoRenames`]).
/// 4. Subfolders of `out` are moved from the old folder into the new one, and the old folder
///    is removed. A run killed during this step leaves a subfolder in the hidden folder; the
///    next run moves it back (step 1).
///
/// Returns the number of steps taken (for the fault-injection test).
pub fn write_set(
    out: &Path,
    files: Vec<(String, Vec<u8>)>,
    stale: &[String],
) -> std::io::Result<usize> {
    let forced = cfg!(debug_assertions) && std::env::var_os(NO_EXCHANGE_ENV).is_some();
    // An interrupt waits until the set is in place or the write has failed.
    let writing = super::interrupt::writing();
    let steps = write_set_with(
        out,
        files,
        stale,
        if forced {
            Swap::TwoRenames
        } else {
            Swap::Exchange
        },
    )?;
    writing.done();
    Ok(steps)
}

/// How [`write_set`] puts the new folder in the place of the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// One `renameat2(RENAME_EXCHANGE)`, falling back to [`Swap::TwoRenames`] when the file
    /// system answers that it cannot (`EINVAL`, `ENOSYS`, `EOPNOTSUPP`).
    Exchange,
    /// Two renames: the old folder to `.{out}.wijkbalans-old-…` beside it, then the new
    /// folder to `out`; when the second fails, the old folder is renamed back. Between the
    /// two, `out` does not exist: a reader finds no folder (never a mixed set), and a run
    /// killed there leaves the complete old set in the hidden folder, which the next run into
    /// `out` puts back first ([`recover`]).
    TwoRenames,
}

/// [`write_set`] with the swap chosen.
pub fn write_set_with(
    out: &Path,
    files: Vec<(String, Vec<u8>)>,
    stale: &[String],
    swap: Swap,
) -> std::io::Result<usize> {
    use std::io::Write as _;
    let mut steps = Steps::new();
    let (parent, name) = parent_and_name(out)?;
    let target = parent.join(&name);
    std::fs::create_dir_all(&parent)?;
    recover(&parent, &name)?;
    let exists = match std::fs::symlink_metadata(&target) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => {
            return Err(std::io::Error::other(
                "het bestaat al en is geen map; geef bij --out een map op",
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    if exists {
        for (file, _) in &files {
            let taken = target.join(file);
            if taken.is_dir() {
                return Err(std::io::Error::other(format!(
                    "{} is een map, op de plek waar deze run het bestand {file} schrijft; verplaats die map",
                    taken.display()
                )));
            }
        }
    }
    let mut prefix = OsString::from(".");
    prefix.push(&name);
    prefix.push(format!(".{INFIX}-new-"));
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(&parent)?
        .keep();
    steps.step();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if exists {
            std::fs::metadata(&target)?.permissions().mode()
        } else {
            0o755
        };
        std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(mode))?;
    }
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    for (file, bytes) in files {
        let path = staging.join(&file);
        let mut f = std::fs::File::create(&path)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        steps.step();
    }
    let mut subfolders = Vec::new();
    if exists {
        let mut entries: Vec<_> = std::fs::read_dir(&target)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let file = entry.file_name();
            if names.iter().any(|n| file.as_os_str() == n.as_str())
                || is_stale_temporary(&file, &names)
            {
                continue;
            }
            let kind = entry.file_type()?;
            if !kind.is_dir() && stale.iter().any(|n| file.as_os_str() == n.as_str()) {
                continue;
            }
            let (from, to) = (entry.path(), staging.join(&file));
            if kind.is_dir() {
                subfolders.push(file);
                continue;
            }
            if kind.is_symlink() {
                std::os::unix::fs::symlink(std::fs::read_link(&from)?, &to)?;
            } else if std::fs::hard_link(&from, &to).is_err() {
                std::fs::copy(&from, &to)?;
            }
            steps.step();
        }
    }
    std::fs::File::open(&staging)?.sync_all()?;
    let sync_parent = || std::fs::File::open(&parent)?.sync_all();
    if !exists {
        std::fs::rename(&staging, &target)?;
        sync_parent()?;
        steps.step();
        return Ok(steps.done);
    }
    let exchanged = match swap {
        Swap::Exchange => match exchange(&staging, &target) {
            Ok(()) => true,
            Err(e) if cannot_exchange(&e) => false,
            Err(e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!(
                        "de nieuwe uitvoermap kan niet met de oude worden verwisseld ({})",
                        system_says(&e)
                    ),
                ))
            }
        },
        Swap::TwoRenames => false,
    };
    // Where the old set is now: in the hidden folder after an exchange, else in `-old-`.
    let old = if exchanged {
        sync_parent()?;
        steps.step();
        staging
    } else {
        // `.{out}.wijkbalans-old-` with the random tail of the hidden new folder.
        let tail = &staging
            .file_name()
            .expect("a named folder")
            .as_encoded_bytes()[prefix.as_encoded_bytes().len()..];
        let backup = beside(
            &parent,
            &name,
            &format!("old-{}", String::from_utf8_lossy(tail)),
        );
        std::fs::rename(&target, &backup)?;
        sync_parent()?;
        steps.step();
        if let Err(e) = std::fs::rename(&staging, &target) {
            // Put the old set back; the new one stays hidden and is cleared by the next run.
            std::fs::rename(&backup, &target)?;
            return Err(e);
        }
        sync_parent()?;
        steps.step();
        backup
    };
    let after = |error: std::io::Error| {
        std::io::Error::other(AfterSwap {
            hidden: old.clone(),
            error,
        })
    };
    for sub in subfolders {
        std::fs::rename(old.join(&sub), target.join(&sub)).map_err(after)?;
        steps.step();
    }
    std::fs::remove_dir_all(&old).map_err(after)?;
    steps.step();
    Ok(steps.done)
}

/// A failure of [`write_set`] after the swap: the new set is in place, but a subfolder of the
/// user's could not be moved back from the old set, or the old set could not be removed. The
/// subfolder then waits in `hidden`, and the next run into the folder moves it back
/// ([`recover`]). Carried inside the `io::Error`, so that the message can say that the new set
/// was written rather than that nothing changed.
#[derive(Debug)]
pub struct AfterSwap {
    /// The hidden folder that holds the old set.
    pub hidden: PathBuf,
    /// What failed.
    pub error: std::io::Error,
}

impl std::fmt::Display for AfterSwap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", system_says(&self.error))
    }
}

impl std::error::Error for AfterSwap {}

/// True for the errors with which `renameat2` says that it cannot exchange on this file system
/// or kernel (rather than that something is wrong with the folders).
fn cannot_exchange(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP)
    )
}

/// A temporary file that the per-file writes of earlier versions left for one of these
/// outputs (`.<output>.<random>.tmp`): not carried over.
fn is_stale_temporary(name: &std::ffi::OsStr, outputs: &[String]) -> bool {
    let n = name.to_string_lossy();
    outputs.iter().any(|f| {
        n.strip_prefix(&format!(".{f}."))
            .is_some_and(|rest| rest.ends_with(".tmp"))
    })
}

/// Clear what an interrupted [`write_set`] left beside output folder `name` in `parent`.
/// First a hidden `.{name}.wijkbalans-old-…` folder (the old set, set aside by
/// [`Swap::TwoRenames`]) is renamed back to `name` when `name` does not exist (the run was
/// killed between the two renames). Then, for the `-old-` and `.{name}.wijkbalans-new-…`
/// folders: subfolders that `name` lacks are moved back into it, and the hidden folder is
/// removed. A hidden folder whose subfolder `name` also has is left alone (nothing of the
/// user's is ever deleted).
pub fn recover(parent: &Path, name: &OsString) -> std::io::Result<()> {
    let target = parent.join(name);
    for kind in ["old", "new"] {
        recover_hidden(parent, name, &target, kind)?;
    }
    Ok(())
}

/// [`recover`] for the hidden folders `.{name}.wijkbalans-{kind}-…`, in name order.
fn recover_hidden(
    parent: &Path,
    name: &OsString,
    target: &Path,
    kind: &str,
) -> std::io::Result<()> {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(format!(".{INFIX}-{kind}-"));
    let prefix = prefix.to_string_lossy().into_owned();
    let mut entries: Vec<_> = std::fs::read_dir(parent)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if !entry.file_name().to_string_lossy().starts_with(&prefix) || !entry.file_type()?.is_dir()
        {
            continue;
        }
        let hidden = entry.path();
        if kind == "old" && std::fs::symlink_metadata(target).is_err() {
            std::fs::rename(&hidden, target)?;
            continue;
        }
        let mut keep = false;
        for sub in std::fs::read_dir(&hidden)? {
            let sub = sub?;
            if !sub.file_type()?.is_dir() {
                continue;
            }
            let back = target.join(sub.file_name());
            if target.is_dir() && !back.exists() {
                std::fs::rename(sub.path(), back)?;
            } else {
                keep = true;
            }
        }
        if !keep {
            std::fs::remove_dir_all(&hidden)?;
        }
    }
    Ok(())
}

/// Exchange two folders atomically (`renameat2` with `RENAME_EXCHANGE`, Linux 3.15 or newer).
/// The error is the system's, so that [`cannot_exchange`] can tell an unsupported file system.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: two NUL-terminated paths that live for the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_dot_dot_and_links_of_paths_that_do_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("a")).unwrap();
        std::os::unix::fs::symlink(base.join("a"), base.join("link")).unwrap();
        assert_eq!(
            resolve(&base.join("link/x/../y.csv")).unwrap(),
            base.join("a/y.csv")
        );
        assert_eq!(resolve(&base.join("a/../a/./z")).unwrap(), base.join("a/z"));
    }

    #[test]
    fn an_output_onto_an_input_or_its_sidecar_is_refused_naming_both() {
        let dir = tempfile::tempdir().unwrap();
        let shp = dir.path().join("w.shp");
        std::fs::write(&shp, b"x").unwrap();
        let inputs = [Named::new(&shp, "--areas")];
        let e = check_outputs(
            &[Named::new(dir.path().join("sub/../w.dbf"), "--timings")],
            &inputs,
        )
        .unwrap_err();
        assert!(e.contains("--timings") && e.contains("--areas"), "{e}");
        assert!(e.contains("hoort bij de invoer"), "{e}");
        let e = check_outputs(&[Named::new(&shp, "areas.shp")], &inputs).unwrap_err();
        assert!(e.contains("zou de invoer (--areas"), "{e}");
        assert!(check_outputs(&[Named::new(dir.path().join("x.csv"), "x")], &inputs).is_ok());
    }

    /// Two sets written into `out` (named `name`) with `swap`, the user's file and subfolder
    /// between them: ours replaced, the rest kept, nothing left beside. The steps of the second.
    fn replace_twice(name: &str, swap: Swap) -> usize {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join(name);
        write_set_with(&out, vec![("a.txt".into(), b"1".to_vec())], &[], swap).unwrap();
        std::fs::write(out.join("mine.txt"), b"m").unwrap();
        std::fs::create_dir(out.join("sub")).unwrap();
        std::fs::write(out.join("sub/k"), b"k").unwrap();
        let steps = write_set_with(&out, vec![("a.txt".into(), b"2".to_vec())], &[], swap).unwrap();
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"2");
        assert_eq!(std::fs::read(out.join("mine.txt")).unwrap(), b"m");
        assert_eq!(std::fs::read(out.join("sub/k")).unwrap(), b"k");
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(beside.len(), 1, "{beside:?}");
        steps
    }

    #[test]
    fn the_set_replaces_ours_keeps_the_rest_and_leaves_nothing_beside() {
        // New folder, a.txt, mine.txt linked, exchange, sub moved, old folder removed.
        assert_eq!(replace_twice("out", Swap::Exchange), 6);
    }

    #[test]
    fn two_renames_replace_the_set_as_the_exchange_does() {
        // New folder, a.txt, mine.txt linked, old → -old-, new → out, sub moved, -old- removed;
        // a name holding "-new-" does not confuse the hidden names.
        assert_eq!(replace_twice("out-new-x", Swap::TwoRenames), 7);
    }

    #[test]
    fn an_old_set_set_aside_by_a_killed_run_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        // Killed between the two renames: no `out`, the old set and the new one hidden.
        let old = dir.path().join(".out.wijkbalans-old-abc");
        let new = dir.path().join(".out.wijkbalans-new-abc");
        std::fs::create_dir_all(old.join("sub")).unwrap();
        std::fs::write(old.join("areas.csv"), b"old").unwrap();
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("areas.csv"), b"new").unwrap();
        recover(dir.path(), &"out".into()).unwrap();
        let out = dir.path().join("out");
        assert_eq!(std::fs::read(out.join("areas.csv")).unwrap(), b"old");
        assert!(out.join("sub").is_dir());
        assert!(!old.exists() && !new.exists());
    }

    #[test]
    fn a_lock_removes_the_folders_it_created_unless_they_were_written_to() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b/out");
        let lock = OutputLock::take(&out).unwrap();
        assert!(dir.path().join("a/b").is_dir());
        drop(lock);
        assert!(
            !dir.path().join("a").exists(),
            "a failed run leaves no folder"
        );
        let lock = OutputLock::take(&out).unwrap();
        write_set(&out, vec![("x".into(), b"1".to_vec())], &[]).unwrap();
        drop(lock);
        assert_eq!(std::fs::read(out.join("x")).unwrap(), b"1");
        // A folder that existed before is never removed, even when empty.
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        drop(OutputLock::take(&dir.path().join("empty/out")).unwrap());
        assert!(dir.path().join("empty").is_dir());
    }

    #[test]
    fn a_second_lock_on_one_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = OutputLock::take(&out).unwrap();
        // flock locks belong to the open file: a second open in this process conflicts too.
        let e = OutputLock::take(&out).unwrap_err();
        assert!(e.contains("een andere run van wijkbalans"), "{e}");
        let lock = first.path.clone();
        drop(first);
        assert!(!lock.exists(), "the lock file is removed");
        assert!(OutputLock::take(&out).is_ok());
    }

    #[test]
    fn a_subfolder_left_in_a_hidden_folder_is_moved_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let hidden = dir.path().join(".out.wijkbalans-new-abc");
        std::fs::create_dir_all(hidden.join("groningen")).unwrap();
        std::fs::write(hidden.join("groningen/areas.csv"), b"g").unwrap();
        std::fs::write(hidden.join("areas.csv"), b"old").unwrap();
        recover(dir.path(), &"out".into()).unwrap();
        assert_eq!(
            std::fs::read(out.join("groningen/areas.csv")).unwrap(),
            b"g"
        );
        assert!(!hidden.exists());
    }
}
