//! `wijkbalans report`: the per-wijk balance report as HTML (self-contained), Markdown and a CSV
//! for Dutch Excel.

use crate::cli::args::ReportArgs;
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::io::write::{self, CsvDialect, ToWgs84};
use crate::report::html::{render, BeforeAfter, Lang, ScenarioState};
use crate::scenario::Scenario;
use crate::{pipeline, report};

use super::print;

/// Run the command.
pub fn run(args: ReportArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let lang = if args.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    let loaded = pipeline::load(&cfg)?;
    if let Some(code) = &args.wijk {
        if !loaded.areas.areas.iter().any(|a| a.code == *code) {
            let codes: Vec<&str> = loaded.areas.areas.iter().map(|a| a.code.as_str()).collect();
            return Err(Failure(format!(
                "--wijk {code}: no such area; the codes are {}",
                codes.join(", ")
            )));
        }
    }
    let outcome = pipeline::analyse(&loaded);
    let to_wgs84 = ToWgs84::new(&cfg.crs)?;
    let mut data = report::balance::report_data(&loaded, &outcome, &args.title, &to_wgs84)?;
    if let Some(path) = &args.scenario {
        let file = super::scenario::read_file(path)?;
        let changes = super::scenario::resolve(path, &file, &loaded)?;
        let mut sc = Scenario::new(&loaded, &outcome, cfg.rules.clone(), cfg.occupancy_per_unit);
        let before = sc.all_states("");
        for (k, change) in changes.iter().enumerate() {
            sc.apply(change).map_err(|e| {
                let f = super::test_site::change_failure(e, &cfg.target_group);
                Failure(format!("{}: change {}: {}", path.display(), k + 1, f.0))
            })?;
        }
        let after = sc.all_states("");
        let state = |s: &crate::scenario::AreaState| ScenarioState {
            care_units: Some(s.care_units),
            care_units_per_1000: s.care_units_per_1000,
            fair_share_ratio: s.fair_share_ratio,
            draagkracht: s.draagkracht,
            draaglast: s.draaglast,
            saldo: s.saldo,
            signal: s.signal.as_str().to_string(),
            typology: s.typology.clone(),
        };
        for (i, a) in data.areas.iter_mut().enumerate() {
            a.scenario = Some(BeforeAfter {
                before: state(&before[i]),
                after: state(&after[i]),
            });
        }
        data.notes.push(format!(
            "Scenario: {} ({} wijzigingen).",
            file.name,
            changes.len()
        ));
    }
    let public = args.audience == "publiek";
    if public {
        let k = args.min_count as f64;
        for a in &mut data.areas {
            if a.care_units.is_some_and(|u| u > 0.0 && u < k) {
                a.care_units = None;
                a.care_units_per_1000 = None;
                a.fair_share_ratio = None;
            }
            a.sites.retain(|s| s.units >= k);
        }
        data.notes.push(format!(
            "Publieksversie: aantallen zorgeenheden onder {} zijn weggelaten.",
            args.min_count
        ));
    }
    if let Some(code) = &args.wijk {
        for a in &mut data.areas {
            if a.code != *code {
                a.sites.clear();
            }
        }
    }
    let html = render(&data, lang);
    let md = report::balance::report_markdown(&data);
    let mut table = report::areas_table(&loaded, &outcome);
    if public {
        crate::cli::commands::output::suppress_small(
            &mut table,
            "care_units",
            &[
                "care_units_per_1000",
                "dl7_value",
                "fair_share_ratio",
                "fair_share_gap",
            ],
            args.min_count,
        );
    }
    let csv = write::csv_bytes_with(&table, CsvDialect::ExcelNl);
    let mut files = vec![
        ("report.html".to_string(), html.into_bytes()),
        ("report.md".to_string(), md.into_bytes()),
        ("report_wijken.csv".to_string(), csv),
    ];
    let mut names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    names.push("run.json".into());
    let mut run = report::run_record("report", &loaded, &names);
    run["output"] = serde_json::json!({"audience": args.audience, "lang": args.lang});
    files.push(("run.json".to_string(), write::json_bytes(&run)));
    write::write_all(&args.out, files).map_err(|e| {
        Failure(format!(
            "{}: cannot write the outputs ({e}); choose a writable --out directory",
            args.out.display()
        ))
    })?;
    if !args.quiet {
        print(&format!(
            "wijkbalans: balance report for {} areas; wrote {} to {}",
            loaded.areas.areas.len(),
            names.join(", "),
            args.out.display()
        ));
    }
    Ok(Exit::Success)
}
