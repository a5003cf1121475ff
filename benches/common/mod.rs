//! What the benches share: where the national wijk layer is.

use std::path::PathBuf;

/// The real 3,340 NL wijken (CBS 2022): the file named by `WIJKBALANS_NL_WIJKEN`, else
/// `data/cbs-kwb-2022/wijken_nederland.geojson` in the repository. Panics with what to set
/// when the file is not there.
pub fn nl_wijken() -> PathBuf {
    let path = std::env::var_os("WIJKBALANS_NL_WIJKEN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("data/cbs-kwb-2022/wijken_nederland.geojson")
        });
    assert!(
        path.exists(),
        "{} not found; set WIJKBALANS_NL_WIJKEN to the path of wijken_nederland.geojson",
        path.display()
    );
    path
}
