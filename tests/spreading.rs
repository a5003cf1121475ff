//! Spreading metrics end to end: parity with PySAL on the real Zwolle wijken, the flags, and the
//! national layer's islands.

use crate::common::{csv_rows, items, json, ok_fresh, refused_fresh, root};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-12)
}

#[test]
fn zwolle_spreading_matches_pysal() {
    // tests/fixtures/reference/pysal_zwolle.json was computed by make_zwolle_reference.py with
    // libpysal 4.14.1, esda 2.9.0 and segregation 2.5.4 from the same polygons and counts.
    let reference = json(&root().join("tests/fixtures/reference/pysal_zwolle.json"));
    let out = ok_fresh("analyse");
    let m = json(&out.join("summary.json"))["spreading"]["metrics"].clone();
    let v = |x: &serde_json::Value| x.as_f64().unwrap();
    for key in ["dissimilarity", "gini", "theil_h"] {
        assert!(
            close(v(&m[key]["value"]), v(&reference[key]), 1e-9),
            "{key}: {} vs {}",
            m[key]["value"],
            reference[key]
        );
    }
    let moran = &m["morans_i"]["care_units_per_1000"];
    for key in ["I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand"] {
        assert!(
            close(v(&moran[key]), v(&reference["morans_i"][key]), 1e-9),
            "Moran {key}"
        );
    }
    for key in ["G", "EG", "VG", "z_norm"] {
        assert!(
            close(
                v(&m["getis_ord_g"][key]),
                v(&reference["getis_ord_g"][key]),
                1e-9
            ),
            "G {key}"
        );
    }
    // Local Moran: values (written with 6 decimals) and quadrants, area by area.
    let rows = csv_rows(&out.join("areas.csv"));
    let codes = reference["codes"].as_array().unwrap();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["code"], codes[i].as_str().unwrap());
        let is: f64 = r["local_moran_i"].parse().unwrap();
        assert!(
            (is - v(&reference["local_moran_i"][i])).abs() < 1e-6,
            "{}",
            r["code"]
        );
        assert_eq!(
            r["lisa_quadrant"],
            reference["lisa_quadrant"][i].to_string(),
            "{}",
            r["code"]
        );
    }
    // The fair-share gaps add up to zero: units only move between wijken.
    let gap: f64 = rows
        .iter()
        .map(|r| r["fair_share_gap"].parse::<f64>().unwrap())
        .sum();
    assert!(gap.abs() < 1e-4, "{gap}");
    for r in &rows {
        let label = r["lisa_label"].as_str();
        assert!(
            ["HH", "LH", "LL", "HL", "niet significant"].contains(&label),
            "{label}"
        );
    }
}

#[test]
fn site_distances_match_a_brute_force_on_the_input_coordinates() {
    let out = ok_fresh("analyse");
    // The input sites are in RD New (metres); counted sites are the existing ones.
    let input = json(&root().join("data/synthetic/zwolle_zorglocaties_illustratief.geojson"));
    let sites: Vec<([f64; 2], String, bool)> = items(&input["features"])
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            let p = &f["properties"];
            (
                [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()],
                p["target_group"].as_str().unwrap().to_string(),
                p["status"] == "existing",
            )
        })
        .collect();
    let written = json(&out.join("sites.geojson"));
    let feats = written["features"].as_array().unwrap();
    assert_eq!(feats.len(), sites.len());
    for (k, (xy, group, _)) in sites.iter().enumerate() {
        let nearest = |same: bool| {
            sites
                .iter()
                .enumerate()
                .filter(|(j, (_, g, counted))| *j != k && *counted && (!same || g == group))
                .map(|(_, (o, _, _))| ((o[0] - xy[0]).powi(2) + (o[1] - xy[1]).powi(2)).sqrt())
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))))
        };
        let p = &feats[k]["properties"];
        let any = p["nn_any_m"].as_f64();
        let same = p["nn_same_group_m"].as_f64();
        let check = |got: Option<f64>, want: Option<f64>, what: &str| match (got, want) {
            (Some(g), Some(w)) => assert!((g - w).abs() <= 0.051, "site {k} {what}: {g} vs {w}"),
            (None, None) => {}
            other => panic!("site {k} {what}: {other:?}"),
        };
        check(any, nearest(false), "any");
        check(same, nearest(true), "same group");
    }
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["spreading"]["sites_in_pattern"], 15);
}

#[test]
fn metric_flags_choose_families_weights_and_permutations() {
    let out = ok_fresh("analyse --metrics fair_share,moran --weights rook --permutations 0");
    let summary = json(&out.join("summary.json"));
    let sp = &summary["spreading"];
    assert_eq!(sp["contiguity"], "rook");
    assert_eq!(sp["permutations"], 0);
    let moran = &sp["metrics"]["morans_i"]["care_units_per_1000"];
    assert!(moran["I"].is_number());
    assert!(moran["p_sim"].is_null());
    assert!(sp["metrics"]["gini"]["value"].is_null());
    assert!(sp["metrics"]["gini"]["undefined_reason"].is_string());
    let rows = csv_rows(&out.join("areas.csv"));
    assert!(rows[0].contains_key("fair_share_ratio"));
    assert!(!rows[0].contains_key("lisa_label"));

    // The message lists the valid names.
    refused_fresh(
        "analyse --metrics fair_share,moranz",
        &["moranz", "nearest_neighbour"],
    );
}

#[test]
fn the_national_layer_runs_and_lists_its_two_islands() {
    let out =
        ok_fresh("analyse --areas data/cbs-kwb-2022/wijken_nederland.geojson --permutations 99");
    let summary = json(&out.join("summary.json"));
    // CBS kerncijfers 2022: 3,340 wijken, 17,588,925 inhabitants.
    assert_eq!(summary["study"]["areas"], 3340);
    assert_eq!(summary["study"]["population"], 17588925);
    let islands: Vec<&str> = items(&summary["spreading"]["islands"])
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(islands, ["WK006000", "WK008800"]);
    // Suppressed CBS values are counted per indicator, never silently imputed.
    let used = summary["indicators"]["used"].as_array().unwrap();
    let dk3 = used.iter().find(|i| i["id"] == "DK3").unwrap();
    assert_eq!(dk3["areas_suppressed"], 268);
}
