//! `wijkbalans report`: the per-wijk balance report as HTML (self-contained), Markdown and a CSV
//! for Dutch Excel; with `--opgave` also the opgave monitor (the computation of
//! `wijkbalans monitor`, shared through [`crate::report::monitor`]).

use crate::cli::args::ReportArgs;
use crate::cli::date::run_date;
use crate::cli::files::{change_failure, read_opgave, read_scenario, resolve_changes, GivenAt};
use crate::cli::output::{names, RUN_JSON};
use crate::cli::session::Session;
use crate::cli::terminal::print_summary;
use crate::cli::{Exit, Failure};
use crate::config::Role;
use crate::io::outset::Named;
use crate::io::read::Source;
use crate::io::write::{self, CsvDialect, ToWgs84};
use crate::pipeline::Loaded;
use crate::report::html::{render, BeforeAfter, ScenarioState};
use crate::report::{self, monitor, suppress};
use crate::scenario::file::check_name;
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
    let same = |a: &str, b: &str| crate::model::code_key(a) == crate::model::code_key(b);
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
            format!("; of een bovenliggende code: {}", parents.join(", "))
        };
        return Err(Failure(format!(
            "--wijk {}: dit gebied staat niet in {}; geef een van de gebiedscodes: {}{parents}",
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
    check_name(&args.title, "--title", true).map_err(Failure)?;
    if args.scenario.is_some() && args.audience.public_min().is_some() {
        // As `scenario` itself: its before/after shows the care units of every change.
        return Err(Failure(
            "--scenario en --audience publiek gaan niet samen: een scenario heeft geen \
             publieksversie (het voor en na van elke wijk toont de zorgeenheden van elke \
             wijziging); maak het rapport met --scenario voor intern gebruik, of zonder \
             --scenario voor publiek"
                .to_string(),
        ));
    }
    let session = Session::start(args.run.threads, &args.input, !args.run.quiet)?;
    let mut extra = Named::all(&args.scenario, "--scenario");
    extra.extend(Named::all(&args.opgave, "--opgave"));
    extra.extend(Named::all(&args.previous, "--previous"));
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
    let mut data = report::balance::report_data(
        &loaded,
        &outcome,
        &args.title,
        &run_date(lang)?,
        lang,
        &|p| to_wgs84.coords(p),
    )?;
    if let Some(path) = &args.scenario {
        let file = read_scenario(path)?;
        let changes = resolve_changes(path, &file, &loaded)?;
        let mut sc = session.scenario(&loaded, &outcome);
        let before = sc.all_states("");
        for (k, change) in changes.iter().enumerate() {
            sc.apply(change).map_err(|e| {
                let f = change_failure(
                    e,
                    &cfg.target_group,
                    GivenAt::Coordinates("de sleutel crs van het scenariobestand"),
                );
                Failure(format!("{}: wijziging {}: {}", path.display(), k + 1, f.0))
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
            saldo_uncapped: crate::indicators::Uncapped::deciding(s.uncapped),
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
    if let Some(path) = &args.previous {
        add_previous(&mut data, path, &args, &session, &loaded, &outcome)?;
    }
    let mut opgave_tables: Option<(Table, Table)> = None;
    let mut opgave_results = None;
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
        opgave_results = Some(results);
    }
    data.sections = sections.clone();
    let public_min = args.audience.public_min();
    let small_sites = public_min.map(|k| suppress::Hidden::small_sites(&loaded, &outcome, k));
    if let (Some(k), Some(small_sites)) = (public_min, &small_sites) {
        suppress::suppress_report(&mut data, k, small_sites, opgave_results.as_deref());
        if let (Some((pace, areas)), Some(results)) = (&mut opgave_tables, &opgave_results) {
            monitor::suppress_tables(pace, areas, results, k, small_sites);
        }
    }
    let html = render(&data, lang);
    let md = report::balance::report_markdown(&data, lang);
    let mut table = report::areas_table(&loaded, &outcome);
    if let (Some(k), Some(small_sites)) = (public_min, &small_sites) {
        // The areas layer of `analyse --audience publiek`, hidden as there.
        suppress::suppress_analyse_tables(&mut table, None, k, small_sites);
    }
    // A table for people: Dutch headers with units, the same columns as areas.csv.
    let headers: Vec<report::headers::IndicatorHeader> = outcome
        .analysis
        .indicators
        .iter()
        .map(|s| report::headers::IndicatorHeader {
            id: s.def.id.to_ascii_lowercase(),
            label: s.def.label.clone(),
            // The CSV holds the raw value: WOZ in € 1.000 or its logarithm, not euros.
            unit: match report::balance::unit_of(s.source.as_ref()) {
                (_, report::html::Shown::ThousandEuros) => "× € 1.000".to_string(),
                (_, report::html::Shown::LnThousandEuros) => "ln van × € 1.000".to_string(),
                (u, report::html::Shown::AsIs) => u.to_string(),
            },
        })
        .collect();
    // The CBS class in Dutch (the shipped files name it in English).
    if let Some(u) = table.columns.iter().position(|c| c == "urbanity") {
        for row in &mut table.rows {
            if let Some(cell) = row[u].as_str() {
                row[u] = report::headers::urbanity_nl(cell).into();
            }
        }
    }
    for c in &mut table.columns {
        *c = report::headers::dutch_header(c, &headers, &loaded.levels).ok_or_else(|| {
            Failure(format!(
                "report_wijken.csv: de kolom {c} heeft geen Nederlandse kopregel; dit is een \
                 fout in wijkbalans zelf; meld deze fout"
            ))
        })?;
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
    let mut output = crate::cli::output::audience_record(args.audience.public_min());
    output["lang"] = serde_json::json!(args.lang);
    output["sections"] = serde_json::json!(sections);
    run["output"] = output;
    if let Some((path, (opgave, _))) = &opgave {
        run["opgave"] = serde_json::json!({
            "path": path.display().to_string(),
            "title": opgave.title,
            "beta": args.share.beta,
            "allow_rood": args.share.allow_rood,
        });
    }
    files.push((RUN_JSON.to_string(), write::json_bytes(&run)));
    target.write(files)?;
    target.write_unmatched(&loaded.unmatched)?;
    if !args.run.quiet {
        print_summary(
            &format!(
                "balansrapport voor {} gebieden ({} met een eigen pagina)",
                crate::format::count(loaded.areas.len()),
                crate::format::count(
                    data.areas
                        .iter()
                        .filter(|a| data.has_section(&a.code))
                        .count()
                )
            ),
            &[],
            &args.run.out,
            &names,
        );
    }
    Ok(Exit::Success)
}

/// Analyse the previous vintage `path` with the run's configuration and sites (its areas file
/// replaced; the config's `source_year` kept only when it names that file) and lay the
/// comparison with the current vintage into `data` ([`report::trend::add_trend`]). The
/// previous vintage is named by `--previous-year`, else its config year, else its file name;
/// a previous year that is not before the run's year is refused.
fn add_previous(
    data: &mut crate::report::html::ReportData,
    path: &std::path::Path,
    args: &ReportArgs,
    session: &Session,
    loaded: &Loaded,
    outcome: &crate::pipeline::Outcome,
) -> Result<(), Failure> {
    let mut cfg = session.config.clone().into_config();
    let now = loaded.config.source_year;
    let same_file = crate::cli::session::same_file(&cfg.areas.path, path);
    if !same_file {
        cfg.source_year = None;
        cfg.areas.path = path.to_path_buf();
        cfg.areas.layer = None;
    }
    // The previous vintage's year: --previous-year, else the run's when it is the same file,
    // else the year the file declares.
    let said = match args.previous_year {
        Some(y) => {
            cfg.source_year = Some(y);
            "--previous-year"
        }
        None if same_file => "het jaar van --areas: het is hetzelfde bestand",
        None => "metadata.year van het bestand",
    };
    crate::cli::session::settle_source_year(&mut cfg, said, Some("--previous-year"))
        .map_err(|e| Failure(format!("--previous {}", e.0)))?;
    // The previous vintage is an earlier year than this run's, when both years are known.
    if let (Some(before), Some(now)) = (cfg.source_year, now) {
        if before >= now {
            return Err(Failure(format!(
                "--previous {}: de vorige jaargang is van {before} ({said}), niet van vóór {now}, \
                 het jaar van de cijfers van dit rapport; geef bij --previous de gebieden van een \
                 eerder jaar, of verbeter het jaar",
                path.display()
            )));
        }
    }
    if args.previous_layer.is_some() {
        cfg.areas.layer = args.previous_layer.clone();
    }
    let cfg = cfg
        .validate()
        .map_err(|e| Failure(format!("--previous {}: {e}", path.display())))?;
    // The areas file's messages name it, --previous and --previous-layer (there is no CRS
    // flag: a file without a CRS keeps the configuration's [areas] crs); one about another
    // file, read again for this vintage, says which vintage it was read for.
    let options = crate::pipeline::LoadOptions {
        areas: Source::flags(Role::Areas, "--previous", "--previous-layer", None),
        ..Default::default()
    };
    let before_loaded = crate::pipeline::load_with(&cfg, options).map_err(|e| {
        if e.path == path {
            Failure::from(e)
        } else {
            Failure(format!("--previous {}: {e}", path.display()))
        }
    })?;
    // One file given as two years: every change would be 0 and read as "no change since".
    if let (Some(before), Some(now)) = (before_loaded.config.source_year, now) {
        if crate::cli::session::same_areas(&before_loaded, loaded).is_some() {
            return Err(Failure(format!(
                "--previous {}: dezelfde gebieden (dezelfde inhoud) als --areas, maar als {before} ({said}) naast {now}; \
                 geef bij --previous de gebieden van {before}, of verbeter het jaar",
                path.display()
            )));
        }
    }
    let before_outcome = crate::pipeline::analyse(&before_loaded);
    let before = report::compare::vintage(&before_loaded, &before_outcome);
    let after = report::compare::vintage(loaded, outcome);
    let cmp = report::compare::compare_vintages(
        &before,
        &after,
        &crate::monitor::CompareOptions::default(),
    )
    .map_err(|e| {
        Failure(format!(
            "--previous {} en {}: {e}; geef de vorige jaargang van dezelfde gebieden",
            path.display(),
            loaded.inputs[0].path
        ))
    })?;
    let label = args.previous_year.or(before.year).map_or_else(
        || {
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        },
        |y| y.to_string(),
    );
    report::trend::add_trend(data, &cmp, &before, &after, &label);
    Ok(())
}
