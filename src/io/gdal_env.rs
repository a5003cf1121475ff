//! How wijkbalans runs GDAL: never on the network, and with GDAL's own messages collected while
//! a layer is read, so that a bad file gives one message from wijkbalans instead of GDAL's lines
//! followed by ours.
//!
//! # No network
//! A file can make GDAL fetch a URL: a GeoJSON `crs` member of type `link` is downloaded, a CRS
//! given as `http://…` is fetched, and PROJ downloads transformation grids when its network
//! option is on. [`offline`] installs an HTTP fetch callback that answers every request with a
//! failed result without connecting, and switches PROJ's network access off. Remote paths (`/vsicurl/…`) are refused before GDAL sees them (`read.rs`), and
//! only the drivers in [`super::read::DRIVERS`] are tried, so no format that references other
//! datasets (VRT, WFS, …) is opened.
//!
//! # GDAL's own threads
//! GDAL's GeoPackage driver fills an Arrow stream on a worker thread of its own (GDAL 3.6).
//! A thread of GDAL's has no handler of ours, so a damaged page met there would print
//! `ERROR 1: database disk image is malformed` before wijkbalans's message. While a stream
//! runs ([`from_workers`]) such messages are collected instead, and the stream names them as
//! the cause of its failure (`io::stream`).

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// Text that starts GDAL's error message when wijkbalans refused a network request.
pub const REFUSED: &str = "wijkbalans weigert een netwerkverzoek naar ";

/// One message GDAL emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct GdalMessage {
    /// CPLErr class (1 debug, 2 warning, 3 failure, 4 fatal).
    pub class: u32,
    /// CPLErrorNum.
    pub number: i32,
    /// The text.
    pub text: String,
}

impl GdalMessage {
    /// True for warnings and errors (not debug output).
    pub fn is_problem(&self) -> bool {
        self.class >= gdal_sys::CPLErr::CE_Warning
    }
}

/// `CPLHTTPResult` of cpl_http.h, unchanged since GDAL 1.x; not in the gdal-sys bindings.
#[repr(C)]
struct HttpResult {
    status: c_int,
    content_type: *mut c_char,
    error: *mut c_char,
    data_len: c_int,
    data_alloc: c_int,
    data: *mut u8,
    headers: *mut *mut c_char,
    mime_part_count: c_int,
    mime_parts: *mut c_void,
}

extern "C" {
    // cpl_http.h (GDAL ≥ 3.2); not in the gdal-sys bindings. The function pointer types are
    // passed as `*mut c_void`, which has the same size and representation on every platform
    // GDAL supports.
    fn CPLHTTPSetFetchCallback(func: *mut c_void, user_data: *mut c_void) -> c_int;
}

/// A C string from GDAL as text (lossy for bytes that are not UTF-8; empty for NULL).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for the call.
unsafe fn c_text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: not NULL, and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Refuse a network request: raise a GDAL error naming the URL and return a failed result
/// (status 1, the message as curl's error text, no data). The result must not be NULL: GDAL then
/// falls through to curl.
unsafe extern "C" fn refuse_fetch(
    url: *const c_char,
    _options: *const *const c_char,
    _progress: *mut c_void,
    _progress_arg: *mut c_void,
    _write: *mut c_void,
    _write_arg: *mut c_void,
    _user_data: *mut c_void,
) -> *mut c_void {
    // SAFETY: GDAL passes the URL as a NUL-terminated string that lives during the call.
    let url = unsafe { c_text(url) };
    let text =
        CString::new(format!("{REFUSED}{url}").replace('\0', "")).expect("NUL bytes were removed");
    // SAFETY: a constant format string with one `%s` argument, a valid C string. The result is
    // allocated with GDAL's allocator, zeroed, and freed by the caller with CPLHTTPDestroyResult,
    // which frees the error text with CPLFree (it comes from CPLStrdup).
    unsafe {
        gdal_sys::CPLError(
            gdal_sys::CPLErr::CE_Failure,
            1, // CPLE_AppDefined
            c"%s".as_ptr(),
            text.as_ptr(),
        );
        let result = gdal_sys::CPLCalloc(1, std::mem::size_of::<HttpResult>()).cast::<HttpResult>();
        (*result).status = 1;
        (*result).error = gdal_sys::CPLStrdup(text.as_ptr());
        result.cast()
    }
}

/// Switch GDAL's and PROJ's network access off for the whole process (idempotent).
pub fn offline() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        type Callback = unsafe extern "C" fn(
            *const c_char,
            *const *const c_char,
            *mut c_void,
            *mut c_void,
            *mut c_void,
            *mut c_void,
            *mut c_void,
        ) -> *mut c_void;
        let callback: Callback = refuse_fetch;
        // SAFETY: the callback has the C signature of `CPLHTTPFetchCallbackFunc` and lives for
        // the whole process; the user data is unused.
        unsafe {
            CPLHTTPSetFetchCallback(callback as *mut c_void, std::ptr::null_mut());
            gdal_sys::OSRSetPROJEnableNetwork(0);
        }
    });
}

thread_local! {
    static CAPTURED: RefCell<Vec<GdalMessage>> = const { RefCell::new(Vec::new()) };
}

/// Collects a GDAL message into this thread's buffer.
unsafe extern "C" fn collect(class: gdal_sys::CPLErr::Type, number: c_int, text: *const c_char) {
    // SAFETY: GDAL passes a NUL-terminated message that lives during the call.
    let text = unsafe { c_text(text) };
    let _ = CAPTURED.try_with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            c.push(GdalMessage {
                class,
                number,
                text,
            });
        }
    });
}

/// Pops the handler pushed by [`capturing`], also when the closure panics.
struct Pop;

impl Drop for Pop {
    fn drop(&mut self) {
        // SAFETY: pairs with the push in `capturing` on the same thread.
        unsafe { gdal_sys::CPLPopErrorHandler() };
    }
}

/// Run `f` with GDAL's messages on this thread collected instead of printed; returns them in
/// order. Calls nest: an inner call takes only the messages emitted during it.
pub fn capturing<T>(f: impl FnOnce() -> T) -> (T, Vec<GdalMessage>) {
    let outer = CAPTURED.with(|c| std::mem::take(&mut *c.borrow_mut()));
    // SAFETY: `collect` has the signature of `CPLErrorHandler`; the handler stack is
    // thread-local and `Pop` removes it again.
    unsafe { gdal_sys::CPLPushErrorHandler(Some(collect)) };
    let result = {
        let _pop = Pop;
        f()
    };
    let mine = CAPTURED.with(|c| std::mem::replace(&mut *c.borrow_mut(), outer));
    (result, mine)
}

/// Messages from threads without a handler of ours, collected while [`from_workers`] runs.
static WORKERS: Mutex<Vec<GdalMessage>> = Mutex::new(Vec::new());
/// How many [`from_workers`] calls are running.
static LISTENING: AtomicUsize = AtomicUsize::new(0);

/// GDAL's process-wide handler, used by threads that have pushed none: GDAL's worker threads,
/// and ours outside [`capturing`]. Collects while [`from_workers`] runs, else prints as GDAL
/// does.
unsafe extern "C" fn process_wide(
    class: gdal_sys::CPLErr::Type,
    number: c_int,
    text: *const c_char,
) {
    if LISTENING.load(Ordering::SeqCst) > 0 {
        // SAFETY: GDAL passes a NUL-terminated message that lives during the call.
        let text = unsafe { c_text(text) };
        let mut workers = WORKERS.lock().unwrap_or_else(|e| e.into_inner());
        workers.push(GdalMessage {
            class,
            number,
            text,
        });
    } else {
        // SAFETY: the arguments are GDAL's own, passed on unchanged.
        unsafe { gdal_sys::CPLDefaultErrorHandler(class, number, text) };
    }
}

/// Lowers [`LISTENING`] again, also when the closure panics.
struct Unlisten;

impl Drop for Unlisten {
    fn drop(&mut self) {
        LISTENING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Run `f`, which drives a GDAL reader that may work on threads of its own, with the messages
/// of those threads collected instead of printed; returns them in the order they came. The
/// messages of the calling thread are not among them (they go to its own handler, see
/// [`capturing`]). When two readers run at once, the first to finish takes the messages of
/// both: both belong to the same run, and a message is never lost or printed twice.
pub fn from_workers<T>(f: impl FnOnce() -> T) -> (T, Vec<GdalMessage>) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: `process_wide` has the signature of `CPLErrorHandler` and lives for the
        // whole process; it replaces GDAL's default handler, which it calls when not
        // collecting.
        unsafe { gdal_sys::CPLSetErrorHandler(Some(process_wide)) };
    });
    LISTENING.fetch_add(1, Ordering::SeqCst);
    let result = {
        let _unlisten = Unlisten;
        f()
    };
    let mine = std::mem::take(&mut *WORKERS.lock().unwrap_or_else(|e| e.into_inner()));
    (result, mine)
}

/// The cause in one of GDAL's error messages, without the driver's call and its SQL: the text
/// after the last `:` when that is a phrase of a few words, else the whole message.
///
/// Example: "In ExecuteSQL(): sqlite3_step(SELECT …):\n  database disk image is malformed" →
/// "database disk image is malformed".
pub fn cause(message: &str) -> &str {
    let message = message.trim();
    match message.rsplit_once(':') {
        Some((_, cause)) if cause.split_whitespace().count() >= 3 => cause.trim(),
        _ => message,
    }
}

/// Emit messages again through GDAL's handler (printed as GDAL prints them), for messages that
/// wijkbalans did not turn into its own error. Debug messages are dropped.
pub fn reemit(messages: &[GdalMessage]) {
    for m in messages.iter().filter(|m| m.is_problem()) {
        let Ok(text) = CString::new(m.text.replace('\0', "")) else {
            continue;
        };
        // SAFETY: a constant format string with one `%s` argument, a valid C string.
        unsafe { gdal_sys::CPLError(m.class, m.number, c"%s".as_ptr(), text.as_ptr()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_collected_not_printed_and_nest() {
        let emit = |text: &str| {
            let text = CString::new(text).unwrap();
            unsafe {
                gdal_sys::CPLError(
                    gdal_sys::CPLErr::CE_Warning,
                    1,
                    c"%s".as_ptr(),
                    text.as_ptr(),
                )
            };
        };
        let ((), outer) = capturing(|| {
            emit("before");
            let ((), inner) = capturing(|| emit("inside"));
            assert_eq!(inner.len(), 1);
            assert_eq!(inner[0].text, "inside");
            emit("after");
        });
        let texts: Vec<&str> = outer.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["before", "after"]);
        assert!(outer.iter().all(GdalMessage::is_problem));
    }

    #[test]
    fn the_cause_is_kept_not_the_sql() {
        assert_eq!(
            cause(
                "In ExecuteSQL(): sqlite3_step(SELECT \"fid\" FROM \"wijken\" WHERE typeof(\"population\") = 'text'):\n  database disk image is malformed"
            ),
            "database disk image is malformed"
        );
        assert_eq!(
            cause("In GetNextRawFeature(): sqlite3_step() : database disk image is malformed"),
            "database disk image is malformed"
        );
        assert_eq!(cause("  file not found "), "file not found");
    }

    #[test]
    fn a_crs_url_is_not_fetched() {
        offline();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/crs.wkt", listener.local_addr().unwrap());
        let (r, messages) = capturing(|| gdal::spatial_ref::SpatialRef::from_definition(&url));
        assert!(r.is_err());
        assert!(
            messages.iter().any(|m| m.text == format!("{REFUSED}{url}")),
            "{messages:?}"
        );
        match listener.accept() {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("{url} was contacted: {other:?}"),
        }
    }
}
