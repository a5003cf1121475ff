//! Addresses instead of coordinates (issue 20) on the real BAG extract of postcode area 1013
//! (`data/bag/bag_amsterdam_1013.gpkg`) with the shipped Amsterdam wijken.

use std::process::Command;

use crate::common::root;

const AREAS: &str = "data/cbs-kwb-2022/wijken_amsterdam.geojson";
const BAG: &str = "data/bag/bag_amsterdam_1013.gpkg";

/// `test-site --json` with `location` flags and the index cache in `cache`: the document.
fn test_site(location: &[&str], cache: &std::path::Path) -> serde_json::Value {
    let mut args = vec![
        "test-site",
        "--areas",
        AREAS,
        "--units",
        "10",
        "--group",
        "jongeren",
    ];
    args.extend_from_slice(&["--json", "--bag", BAG]);
    args.extend_from_slice(location);
    let out = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args(&args)
        .env("WIJKBALANS_CACHE", cache)
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_typed_form_resolves_to_the_bag_point() {
    let cache = tempfile::tempdir().unwrap();
    // In the extract (ogr2ogr -f CSV … verblijfsobjecten -lco GEOMETRY=AS_XY):
    // 121223,489163,"0363200000039881",Barentszplein,"1",,H,Amsterdam,1013NJ
    let forms: &[&[&str]] = &[
        &["--address", "1013 NJ 1 H"],
        &["--address", "1013NJ 1-H"],
        &["--address", "1013nj 1h"],
        &["--address", "Barentszplein 1-H, Amsterdam"],
        &["--address", "barentszplein 1 h"],
        &["--address", "BARENTSZPLEIN 1 H, 1013 NJ AMSTERDAM"],
        &[
            "--postcode",
            "1013 NJ",
            "--huisnummer",
            "1",
            "--toevoeging",
            "H",
        ],
    ];
    for form in forms {
        let doc = test_site(form, cache.path());
        let a = &doc["address"];
        assert_eq!(a["bag_id"], "0363200000039881", "{form:?}");
        assert_eq!(
            a["matched"], "Barentszplein 1-H, 1013 NJ Amsterdam",
            "{form:?}"
        );
        assert_eq!(
            (a["x"].as_f64(), a["y"].as_f64()),
            (Some(121223.0), Some(489163.0))
        );
        assert_eq!(a["bag_file"], BAG);
        assert_eq!(a["bag_blake3"].as_str().unwrap().len(), 64);
    }
    // Without the toevoeging: no address 1 without one, all four (H, 1, 2, 3) on one point.
    let doc = test_site(&["--address", "1013 NJ 1"], cache.path());
    assert_eq!(doc["address"]["shared_point"], 4);
    assert_eq!(doc["address"]["bag_id"], "0363200000039881");
    // A huisletter typed apart and a place typed with an accent: both forgiven.
    let doc = test_site(&["--address", "Barentszplein 8 a, Amstérdam"], cache.path());
    assert_eq!(
        doc["address"]["matched"],
        "Barentszplein 8A, 1013 NJ Amsterdam"
    );
}

#[test]
fn test_site_by_address_equals_test_site_at_the_point() {
    let cache = tempfile::tempdir().unwrap();
    let mut by_address = test_site(
        &["--address", "Barentszstraat 234A, Amsterdam"],
        cache.path(),
    );
    let a = by_address["address"].clone();
    let at = format!("{},{}", a["x"], a["y"]);
    let at_point = test_site(&["--at", &at], cache.path());
    by_address.as_object_mut().unwrap().remove("address");
    assert_eq!(by_address, at_point);
    assert_eq!(at_point["area"]["code"], "WK036313");
}

#[test]
fn the_second_run_reads_the_cached_index_with_the_same_result() {
    let cache = tempfile::tempdir().unwrap();
    let first = test_site(&["--address", "1013 NT 234 B"], cache.path());
    let files: Vec<_> = std::fs::read_dir(cache.path()).unwrap().collect();
    assert_eq!(
        files.len(),
        1,
        "one index file, named by the BAG file's digest"
    );
    let name = files[0].as_ref().unwrap().file_name();
    let digest = first["address"]["bag_blake3"].as_str().unwrap();
    assert_eq!(name.to_string_lossy(), format!("bag-{digest}.idx"));
    let second = test_site(&["--address", "1013 NT 234 B"], cache.path());
    assert_eq!(first, second);
    // A damaged cache is not trusted: the BAG file is read again.
    std::fs::write(files[0].as_ref().unwrap().path(), b"WBBAGIX1 damaged").unwrap();
    assert_eq!(
        test_site(&["--address", "1013 NT 234 B"], cache.path()),
        first
    );
}

#[test]
fn the_bag_file_can_come_from_the_config() {
    let tmp = tempfile::tempdir().unwrap();
    let root = root();
    let config = tmp.path().join("amsterdam.toml");
    std::fs::write(
        &config,
        format!(
            "[areas]\npath = \"{}\"\n[bag]\npath = \"{}\"\n",
            root.join(AREAS).display(),
            root.join(BAG).display()
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wijkbalans"))
        .args([
            "test-site",
            "--config",
            config.to_str().unwrap(),
            "--address",
            "1013 NJ 1 H",
        ])
        .args(["--units", "10", "--group", "jongeren"])
        .env("WIJKBALANS_CACHE", tmp.path().join("cache"))
        .current_dir(&root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("Adres: 1013 NJ 1 H → Barentszplein 1-H, 1013 NJ Amsterdam (BAG 0363200000039881), RD (121223, 489163)\n"),
        "{stdout}"
    );
}
