//! The QGIS plugin in real headless QGIS: `scripts/qgis-plugin-zip` builds the plugin from this
//! binary's `describe --json`, and `qgis/tests/test_plugin.py` installs it from the zip and runs
//! it under QGIS's Python (test-site in Holtenbroek against `test-site --json`, analyse's layers
//! with their default styles, cancel, a missing or too old program).
//!
//! Runs by default: `scripts/setup` installs `python3-qgis` and `qgis-providers`, and without
//! them the test fails and says how to install them. `WIJKBALANS_SKIP_QGIS=1` skips it on
//! purpose; `WIJKBALANS_QGIS_PYTHON` names the interpreter (default `/usr/bin/python3`, where
//! Debian installs the bindings).

use std::process::Command;

use crate::common::root;

/// The interpreter with QGIS's Python bindings, when it can import `qgis.core`.
fn python_with_qgis() -> Option<String> {
    let python =
        std::env::var("WIJKBALANS_QGIS_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let probe = Command::new(&python)
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output();
    probe.is_ok_and(|o| o.status.success()).then_some(python)
}

#[test]
#[allow(clippy::print_stderr)]
fn the_qgis_plugin_runs_in_headless_qgis() {
    if std::env::var_os("WIJKBALANS_SKIP_QGIS").is_some_and(|v| v == "1") {
        eprintln!("the_qgis_plugin_runs_in_headless_qgis: skipped (WIJKBALANS_SKIP_QGIS=1)");
        return;
    }
    let python = python_with_qgis().expect(
        "no Python with QGIS's bindings (import qgis.core failed): run scripts/setup or \
         apt-get install python3-qgis qgis-providers; WIJKBALANS_QGIS_PYTHON names another \
         interpreter; WIJKBALANS_SKIP_QGIS=1 skips this test",
    );
    let tmp = tempfile::tempdir().unwrap();
    let binary = env!("CARGO_BIN_EXE_wijkbalans");
    let zip = Command::new(root().join("scripts/qgis-plugin-zip"))
        .args(["--binary", binary, "--out"])
        .arg(tmp.path())
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        zip.status.success(),
        "scripts/qgis-plugin-zip: {}",
        String::from_utf8_lossy(&zip.stderr)
    );
    let zip_path = String::from_utf8(zip.stdout).unwrap().trim().to_string();
    // QGIS keeps its settings (the program's path among them) under HOME: a fresh one.
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let runtime = tmp.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let run = Command::new(&python)
        .arg(root().join("qgis/tests/test_plugin.py"))
        .args(["--zip", &zip_path, "--binary", binary, "--root"])
        .arg(root())
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("HOME", &home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("WIJKBALANS_BINARY")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && stdout.contains("all plugin checks passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
