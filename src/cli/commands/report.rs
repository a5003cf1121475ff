//! `wijkbalans report`: the per-wijk balance report as HTML (self-contained), Markdown and a CSV
//! for Dutch Excel; with `--opgave` also the opgave monitor (the computation of
//! `wijkbalans monitor`, shared through [`crate::report::monitor`]).

use crate::cli::args::ReportArgs;
use crate::cli::files::{change_failure, read_opgave, read_scenario, resolve_changes};
use crate::cli::output::{names, RUN_JSON};
use crate::cli::session::Session;
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::io::outset::Named;
use crate::io::write::{self, CsvDialect, ToWgs84};
use crate::pipeline::Loaded;
use crate::report::html::{render, BeforeAfter, ScenarioState};
use crate::report::{self, monitor, suppress};
use crate::table::Table;

/// The areas that get a section for the `--wijk` codes (`None` without `--wijk`): every area
/// whose code, or one of whose parent codes (wijk, gemeente, user level), is given, in area
/// order; codes are compared without case and invisible characters. A code that matches no
/// area is an error that lists the codes.
fn sections(codes: &[String], loaded: &Loaded) -> Result<Option<Vec<String>>, Failure> {
    if codes.is_empty() {
        return Ok(None);
    }
    let areas = &loaded.areas;
    // Compared as the areas' codes are (docs/METHOD.md §2.2, "Codes"): without case, space or
    // invisible characters.
    let same = |a: &str, b: &str| {
        crate::io::model::clean_text(a).to_lowercase()
            == crate::io::model::clean_text(b).to_lowercase()
    };
    let matches = |code: &str, a: &crate::model::Area| {
        same(&a.code, code) || a.parents.values().any(|p| same(p, code))
    };
    let unknown: Vec<&str> = codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !areas.iter().any(|a| matches(c, a)))
        .collect();
    if !unknown.is_empty() {
        let own: Vec<&str> = areas.iter().map(|a| a.code.as_str()).collect();
        let mut parents: Vec<&str> = areas
            .iter()
            .flat_map(|a| a.parents.values().map(String::as_str))
            .collect();
        parents.sort_unstable();
        parents.dedup();
        let parents = if parents.is_empty() {
            String::new()
        } else {
            format!("; or a parent code: {}", parents.join(", "))
        };
        return Err(Failure(format!(
            "--wijk {}: no such area in {}; give one of the area codes: {}{parents}",
            unknown.join(", "),
            loaded.inputs[0].path,
            own.join(", ")
        )));
    }
    Ok(Some(
        areas
            .iter()
            .filter(|a| codes.iter().any(|c| matches(c.trim(), a)))
            .map(|a| a.code.clone())
            .collect(),
    ))
}

/// Run the command.
pub fn run(args: ReportArgs) -> Result<Exit, Failure> {
    let session = Session::start(args.run.threads, &args.input, !args.run.quiet)?;
    let mut extra = Named::all(&args.scenario, "--scenario");
    extra.extend(Named::all(&args.opgave, "--opgave"));
    let target = session.claim(&args.run.out, &extra)?;
    let cfg = &session.config;
    let lang = args.lang;
    // A bad opgave file stops the run before any layer is read.
    let opgave = match &args.opgave {
        Some(path) => Some((path, read_opgave(path, cfg)?)),
        None => None,
    };
    let loaded = session.load()?;
    let sections = sections(&args.wijk, &loaded)?;
    let outcome = session.analyse(&loaded);
    let to_wgs84 = ToWgs84::new(&cfg.crs)?;
    let mut data =
        report::balance::report_data(&loaded, &outcome, &args.title, &run_date()?, &|p| {
            to_wgs84.coords(p)
        })?;
    if let Some(path) = &args.scenario {
        let file = read_scenario(path)?;
        let changes = resolve_changes(path, &file, &loaded)?;
        let mut sc = session.scenario(&loaded, &outcome);
        let before = sc.all_states("");
        for (k, change) in changes.iter().enumerate() {
            sc.apply(change).map_err(|e| {
                let f = change_failure(e, &cfg.target_group);
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
    let mut opgave_tables: Option<(Table, Table)> = None;
    if let Some((path, (opgave, data_year))) = &opgave {
        let share_opts = args.share.options();
        let results = monitor::evaluate_opgave(opgave, &loaded, &outcome, &share_opts)
            .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        report::balance::add_opgave(
            &mut data,
            &opgave.title,
            *data_year,
            &share_opts,
            &results,
            &cfg.target_group,
        );
        data.notes.push(format!(
            "Opgave uit {}: dezelfde berekening als wijkbalans monitor (monitor.json), met β = {} en {}.",
            path.display(),
            share_opts.beta.to_string().replace('.', ","),
            if share_opts.allow_rood {
                "een aandeel naar vermogen ook voor wijken in rood"
            } else {
                "geen aandeel naar vermogen voor wijken in rood"
            }
        ));
        let pace = monitor::pace_table(&results);
        let areas = monitor::areas_table_with_signals(&results, &loaded, &outcome);
        opgave_tables = Some((pace, areas));
    }
    data.sections = sections.clone();
    let public_min = args.audience.public_min();
    if let Some(k) = public_min {
        suppress::suppress_report(&mut data, k);
        if let Some((pace, areas)) = &mut opgave_tables {
            monitor::suppress_tables(pace, areas, k);
        }
    }
    let html = render(&data, lang);
    let md = report::balance::report_markdown(&data, lang);
    let mut table = report::areas_table(&loaded, &outcome);
    if let Some(k) = public_min {
        suppress::suppress_report_table(&mut table, k);
    }
    let csv = write::csv_bytes_with(&table, CsvDialect::ExcelNl);
    let mut files = vec![
        (names::REPORT_HTML.to_string(), html.into_bytes()),
        (names::REPORT_MD.to_string(), md.into_bytes()),
        (names::REPORT_WIJKEN_CSV.to_string(), csv),
    ];
    if let Some((pace, areas)) = &opgave_tables {
        files.push((
            names::REPORT_OPGAVE_CSV.to_string(),
            write::csv_bytes_with(pace, CsvDialect::ExcelNl),
        ));
        files.push((
            names::REPORT_OPGAVE_WIJKEN_CSV.to_string(),
            write::csv_bytes_with(areas, CsvDialect::ExcelNl),
        ));
    }
    let mut names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    names.push(RUN_JSON.into());
    let mut run = report::run_record("report", &loaded, &names)?;
    run["output"] = serde_json::json!({
        "audience": args.audience.audience,
        "lang": args.lang,
        "sections": sections,
    });
    if let Some((path, (opgave, _))) = &opgave {
        run["opgave"] = serde_json::json!({
            "path": path.display().to_string(),
            "title": opgave.title,
            "beta": args.share.beta,
            "allow_rood": args.share.allow_rood,
        });
    }
    files.push((RUN_JSON.to_string(), write::json_bytes(&run)));
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    target.check_unmatched(&names)?;
    target.write(files)?;
    target.write_unmatched(&loaded.unmatched, &names)?;
    if !args.run.quiet {
        print(&format!(
            "wijkbalans: balance report for {} areas ({} with a section); wrote {} to {}",
            loaded.areas.len(),
            data.areas
                .iter()
                .filter(|a| data.has_section(&a.code))
                .count(),
            names.join(", "),
            args.run.out.display()
        ));
    }
    Ok(Exit::Success)
}

/// The date of the run for the report's source line, as "5 december 2026": the UTC day of
/// `SOURCE_DATE_EPOCH` (seconds) when set, so a rebuild gives the same file, else of now. Two
/// runs on one day give byte-identical reports. Hand-written (the civil-from-days conversion
/// of H. Hinnant's date algorithms): no date crate is a dependency for this one line.
fn run_date() -> Result<String, Failure> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| {
            Failure(format!(
                "SOURCE_DATE_EPOCH = {v:?} is geen aantal seconden sinds 1970; geef een geheel getal of verwijder de variabele"
            ))
        })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    Ok(dutch_date(secs.div_euclid(86_400)))
}

/// Day `days` since 1970-01-01 as a Dutch date, e.g. 20_427 → "5 december 2025".
fn dutch_date(days: i64) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

#[cfg(test)]
mod date_tests {
    use super::dutch_date;

    #[test]
    fn days_since_1970_become_dutch_dates() {
        assert_eq!(dutch_date(0), "1 januari 1970");
        assert_eq!(dutch_date(20_427), "5 december 2025");
        // 2024-02-29: a leap day (19_782 days after 1970-01-01).
        assert_eq!(dutch_date(19_782), "29 februari 2024");
    }
}
