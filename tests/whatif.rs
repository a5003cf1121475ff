//! `test-site` and `scenario` end to end on the shipped Zwolle data.

use crate::common::{
    argv, assert_files, assert_same_files, column_sum, csv_rows, items, json, ok, ok_fresh,
    out_dir, outputs_for_threads, refused, s, write, SCENARIO,
};

#[test]
fn test_site_json_reports_the_receiving_wijk_before_after_and_a_verdict() {
    let r = ok(&[
        "test-site",
        "--at",
        "203500,502500",
        "--units",
        "12",
        "--group",
        "beschermd_thuis",
        "--json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["area"]["code"], "WK019313");
    assert_eq!(doc["delta"]["care_units"], 12);
    assert_eq!(doc["delta"]["group_units"], 12);
    // One inhabitant per unit by default (occupancy_per_unit).
    assert_eq!(doc["delta"]["population"], 12);
    // Draagkracht indicators do not move: only DL7 changes.
    assert_eq!(doc["delta"]["draagkracht"], 0);
    assert_eq!(doc["delta"]["indicators"]["dk1"]["z"], 0);
    assert!(doc["delta"]["indicators"]["dl7"]["z"].as_f64().unwrap() > 0.0);
    assert_eq!(doc["study"]["delta"]["care_units"], 12);
    let verdict = doc["verdict"].as_str().unwrap();
    assert!(["past", "past_onder_voorwaarden", "past_niet"].contains(&verdict));
    for r in doc["reasons"].as_array().unwrap() {
        for key in ["rule", "value", "threshold", "passed", "explanation"] {
            assert!(r.get(key).is_some(), "reason lacks {key}: {r}");
        }
    }
    // With the (synthetic) facilities layer, beschermd thuis needs four facility types in rings.
    let access = items(&doc["reasons"])
        .iter()
        .find(|r| r["rule"] == "voorzieningen_binnen_bereik")
        .expect("the accessibility rule is checked");
    let checks = access["value"].as_array().unwrap();
    assert_eq!(checks.len(), 4);
    for c in checks {
        let d = c["nearest_m"].as_f64().unwrap();
        assert_eq!(
            c["passed"].as_bool().unwrap(),
            d <= c["radius_m"].as_f64().unwrap()
        );
    }
    assert_eq!(doc["parents"][0]["level"], "gemeente");
    assert_eq!(doc["parents"][0]["code"], "GM0193");
}

#[test]
fn test_site_takes_wgs84_coordinates() {
    // RD (203500, 502500) is about 6.1021 E, 52.5077 N.
    let rd = ok(&[
        "test-site",
        "--at",
        "203500,502500",
        "--units",
        "5",
        "--group",
        "jongeren",
        "--json",
    ]);
    let ll = ok(&[
        "test-site",
        "--at",
        "6.10215,52.50775",
        "--at-crs",
        "EPSG:4326",
        "--units",
        "5",
        "--group",
        "jongeren",
        "--json",
    ]);
    let a: serde_json::Value = serde_json::from_str(&rd.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&ll.stdout).unwrap();
    assert_eq!(a["area"], b["area"]);
    assert_eq!(a["after"], b["after"]);
    let bx = b["change"]["at"][0].as_f64().unwrap();
    assert!((bx - 203500.0).abs() < 50.0, "{bx}");
}

#[test]
fn test_site_refuses_bad_proposals_with_a_reason() {
    for (line, fragments) in [
        (
            "test-site --at 150000,450000 --units 5 --group jongeren",
            &["outside every area", "nearest is WK0193"][..],
        ),
        (
            "test-site --at 203500,502500 --units 5 --group daklozen",
            &["beschermd_wonen, beschermd_thuis"],
        ),
        (
            "test-site --at 203500,502500 --units 0 --group jongeren",
            &[],
        ),
        // Degrees given as RD metres: the message points at EPSG:4326.
        (
            "test-site --at 6.1,52.5 --units 5 --group jongeren",
            &["EPSG:4326"],
        ),
    ] {
        refused(&argv(line, &[]), fragments);
    }
}

#[test]
fn the_illustrative_zwolle_scenario_applies_in_order() {
    let out = ok_fresh(&format!("scenario {SCENARIO}"));
    assert_files(
        &out,
        &[
            "scenario_areas.geojson",
            "scenario_areas.csv",
            "scenario.json",
            "scenario.md",
            "run.json",
        ],
    );
    let doc = json(&out.join("scenario.json"));
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 6);
    // +17 +15 +5 +3 −20 +12
    assert_eq!(doc["study"]["delta"]["care_units"], 32);
    // Each change starts where the previous one left off.
    for pair in changes.windows(2) {
        if pair[0]["area"] == pair[1]["area"] {
            assert_eq!(
                pair[1]["before"]["care_units"],
                pair[0]["after"]["care_units"]
            );
        }
    }
    // The Herberg units land in Diezerpoort, rood and "kracht laag / last hoog": past niet.
    assert_eq!(changes[2]["area"]["code"], "WK019311");
    assert_eq!(changes[2]["verdict"], "past_niet");
    // The per-area deltas add up to the study delta.
    let rows = csv_rows(&out.join("scenario_areas.csv"));
    assert_eq!(column_sum::<f64>(&rows, "care_units_delta"), 32.0);
}

#[test]
fn a_scenario_with_an_error_writes_nothing_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for (text, fragments) in [
        (
            "name = \"x\"\n\n[[change]]\naction = \"add\"\nunits = 5 5\n",
            &["line 5"][..],
        ),
        // The message lists the sites.
        (
            "name = \"x\"\n\n[[change]]\naction = \"remove\"\nsite = \"Bestaat niet\"\n",
            &["change 1", "De Tippe"],
        ),
        // A later change that cannot be applied: nothing is written either.
        (
            "name = \"x\"\n\n[[change]]\naction = \"add\"\nat = [203500, 502500]\nunits = 5\ngroup = \"jongeren\"\n\n[[change]]\naction = \"add\"\nat = [0, 300000]\nunits = 5\ngroup = \"jongeren\"\n",
            &["change 2", "outside every area"],
        ),
    ] {
        let bad = write(tmp.path(), "bad.toml", text);
        refused(&["scenario", s(&bad), "--out", s(&out)], fragments);
    }
}

#[test]
fn scenario_outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = outputs_for_threads(tmp.path(), &["scenario", SCENARIO], &["1", "8"]);
    assert_same_files(
        &dirs,
        &[
            "scenario_areas.geojson",
            "scenario_areas.csv",
            "scenario.json",
            "scenario.md",
            "run.json",
        ],
    );
}

#[test]
fn suggest_ranks_a_grid_and_writes_the_top_and_the_suitability_layer() {
    let out = ok_fresh("suggest --units 12 --group beschermd_thuis --grid 250 --top 5");
    let top = json(&out.join("suggestions.geojson"));
    let feats = top["features"].as_array().unwrap();
    assert_eq!(feats.len(), 5);
    for (k, f) in feats.iter().enumerate() {
        assert_eq!(f["properties"]["rank"], k + 1);
    }
    let all = json(&out.join("suitability.geojson"));
    let n = all["features"].as_array().unwrap().len();
    assert!(n > 100, "{n} candidates");
    // Ranks are a permutation of 1..=n, and the best verdict comes first.
    let mut ranks: Vec<u64> = items(&all["features"])
        .iter()
        .map(|f| f["properties"]["rank"].as_u64().unwrap())
        .collect();
    ranks.sort();
    assert_eq!(ranks, (1..=n as u64).collect::<Vec<_>>());
    let order = ["past", "past_onder_voorwaarden", "past_niet"];
    let mut by_rank: Vec<(u64, usize)> = items(&all["features"])
        .iter()
        .map(|f| {
            let p = &f["properties"];
            let v = order.iter().position(|o| *o == p["verdict"]).unwrap();
            (p["rank"].as_u64().unwrap(), v)
        })
        .collect();
    by_rank.sort();
    assert!(
        by_rank.windows(2).all(|w| w[0].1 <= w[1].1),
        "verdicts are in order"
    );
    // No candidate is suggested in a wijk that is rood after the change.
    for f in feats {
        assert_ne!(f["properties"]["signal_after"], "rood");
    }
}

#[test]
fn suggest_reads_candidate_points_from_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cands = write(
        tmp.path(),
        "kandidaten.csv",
        "naam,x,y\nDiezerpoort,204200,503400\nStadshagen,200800,505400\nBuiten,150000,450000\n",
    );
    let out = out_dir(&tmp);
    ok(&argv(
        "suggest --units 10 --group beschermd_thuis --candidates-crs EPSG:28992 --candidates",
        &[s(&cands), "--out", s(&out)],
    ));
    let rows = csv_rows(&out.join("suggestions.csv"));
    assert_eq!(rows.len(), 2, "the candidate outside Zwolle is not ranked");
    assert_eq!(rows[0]["label"], "Stadshagen");
    assert_eq!(rows[1]["label"], "Diezerpoort");
    let run = json(&out.join("run.json"));
    assert_eq!(run["suggest"]["outside_every_area"], 1);
}

#[test]
fn allocate_meets_its_constraints_and_improves_the_balance() {
    let out = ok_fresh("allocate --places 277 --group beschermd_thuis");
    let rows = csv_rows(&out.join("allocation.csv"));
    assert_eq!(column_sum::<u64>(&rows, "allocated"), 277);
    for r in &rows {
        let a: u64 = r["allocated"].parse().unwrap();
        assert!(a <= r["cap"].parse::<u64>().unwrap(), "{}", r["code"]);
        assert!(
            r["explanation"].starts_with(&r["code"]),
            "{}",
            r["explanation"]
        );
        if a > 0 {
            assert_ne!(
                r["signal_after"], "rood",
                "{} got places and is rood",
                r["code"]
            );
            let ratio: f64 = r["fair_share_ratio_after"].parse().unwrap();
            assert!(
                ratio <= 1.5,
                "{} ends at {ratio} × its fair share",
                r["code"]
            );
        }
        if r["signal_before"] == "rood" {
            assert_eq!(a, 0, "{}", r["code"]);
            assert_eq!(r["limit_rule"], "signaal_na");
        }
    }
    // Issue 18: Kamperpoort-Veerallee is K1-L3, which test-site refuses, and Binnenstad is at
    // 2.49 × its fair share: neither gets places, and each says why.
    let by_code = |code: &str| rows.iter().find(|r| r["code"] == code).unwrap();
    assert_eq!(by_code("WK019314")["allocated"], "0");
    assert_eq!(by_code("WK019314")["limit_rule"], "typologie");
    assert_eq!(by_code("WK019310")["allocated"], "0");
    assert_eq!(by_code("WK019310")["limit_rule"], "fair_share_ratio");
    assert!(by_code("WK019310")["explanation"].contains("2,49"));
    let summary = json(&out.join("allocation.json"));
    assert_eq!(summary["shortfall"], 0);
    let before = summary["fair_share_dissimilarity_before"].as_f64().unwrap();
    let after = summary["fair_share_dissimilarity_after"].as_f64().unwrap();
    assert!(after < before, "{before} → {after}");
}

#[test]
fn allocate_states_the_shortfall_and_the_binding_rules_when_places_do_not_fit() {
    let out = ok_fresh("allocate --places 277 --group beschermd_thuis --per-area-max 5");
    let summary = json(&out.join("allocation.json"));
    let rows = csv_rows(&out.join("allocation.csv"));
    let placed = column_sum::<u64>(&rows, "allocated");
    assert!(placed < 277);
    assert_eq!(summary["shortfall"], 277 - placed);
    let rules: Vec<&str> = items(&summary["binding_constraints"])
        .iter()
        .map(|b| b["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"per_area_max"), "{rules:?}");
    assert!(
        out.run
            .stdout
            .contains("passen nergens meer binnen de regels"),
        "{}",
        out.run.stdout
    );
}

#[test]
fn the_planning_commands_work_on_groningen_without_a_sites_layer() {
    let g = "--areas data/cbs-kwb-2022/wijken_groningen.geojson \
             --level data/groningen_gebieden_illustratief.csv";
    let r = ok(&argv(
        &format!(
            "test-site {g} --at 6.5665,53.2194 --at-crs EPSG:4326 --units 10 \
             --group beschermd_thuis --json"
        ),
        &[],
    ));
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["area"]["code"], "WK001400");
    assert_eq!(doc["delta"]["care_units"], 10);
    let levels: Vec<&str> = items(&doc["parents"])
        .iter()
        .map(|p| p["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["gebied", "gemeente"]);

    let out = ok_fresh(&format!(
        "allocate {g} --places 120 --group beschermd_thuis"
    ));
    let summary = json(&out.join("allocation.json"));
    assert!(
        summary["fair_share_dissimilarity_before"].is_null(),
        "no care units yet: undefined, not 0"
    );
    assert!(summary["fair_share_dissimilarity_before_note"].is_string());
    let rows = csv_rows(&out.join("allocation.csv"));
    assert_eq!(column_sum::<u64>(&rows, "allocated"), 120);
}
