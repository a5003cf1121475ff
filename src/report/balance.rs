//! Fill the per-wijk balance report ([`super::html::ReportData`]) and its Markdown summary from
//! an analysis.

use super::html::{
    AreaReport, AreaShare, IndicatorInfo, IndicatorValue, Lang, MetricLine, OpgaveReport, PaceYear,
    ReportData, SaldoDriver, ScenarioState, ShareNote, Shown, SiteLine, TargetReport,
};
use crate::indicators::{typology_label, Block, Signal, Source, Uncapped};
use crate::model::TargetGroup;
use crate::monitor::{ShareOptions, ShareRow, TargetOutcome};
use crate::pipeline::{Loaded, Outcome};
use crate::spread::{Contiguity, SpatialWeights};

/// Turns compute-CRS coordinates into WGS84 lon/lat for the report's map (the CLI passes
/// `io::write::ToWgs84::coords`); an error is the transformation's message.
pub type ToLonLat<'a> = dyn Fn(&[[f64; 2]]) -> Result<Vec<[f64; 2]>, String> + 'a;

/// Study-level metrics shown in the report, in this order, with their values, and for a
/// value that is undefined its reason in `lang` ([`crate::spread::Undefined::dutch`]).
fn metric_lines(out: &Outcome, lang: Lang) -> Vec<MetricLine> {
    let m = &out.spreading.study;
    let line = |id: &str, value: Option<f64>, why: Option<&crate::spread::Undefined>| {
        let reason = why.filter(|_| value.is_none()).map(|r| match lang {
            Lang::Nl => r.dutch(),
            Lang::En => r.to_string(),
        });
        MetricLine {
            undefined_reason: reason,
            ..MetricLine::standard(id, value)
        }
    };
    let scalar =
        |id: &str, s: &crate::spread::Scalar| line(id, s.value, s.undefined_reason.as_ref());
    vec![
        scalar("fair_share_dissimilarity", &m.fair_share_dissimilarity),
        scalar("dissimilarity", &m.dissimilarity),
        scalar("gini", &m.gini),
        scalar("theil_h", &m.theil_h),
        scalar("hhi", &m.hhi),
        scalar("effective_areas", &m.effective_areas),
        scalar("spatial_dissimilarity", &m.spatial_dissimilarity),
        line(
            "morans_i",
            m.morans_i.care_units_per_1000.i,
            m.morans_i.care_units_per_1000.undefined_reason.as_ref(),
        ),
        line(
            "morans_i_saldo",
            m.morans_i.saldo.i,
            m.morans_i.saldo.undefined_reason.as_ref(),
        ),
        line(
            "getis_ord_g",
            m.getis_ord_g.g.value,
            m.getis_ord_g.undefined_reason.as_ref(),
        ),
    ]
}

/// Build the report data. `title` and `run_date` (shown in the source line) come from the
/// caller; notes say which inputs are synthetic and which indicators were skipped, and the
/// warning repeats the synthetic ones on the map and every wijk page. The source line, the
/// warning and the notes of the analysis (why an indicator was skipped:
/// [`crate::indicators::Skip`]; what a block rests on: [`crate::indicators::BlockBasis`]) are
/// in `lang`.
pub fn report_data(
    loaded: &Loaded,
    out: &Outcome,
    title: &str,
    run_date: &str,
    lang: Lang,
    to_wgs84: &ToLonLat<'_>,
) -> Result<ReportData, String> {
    let en = lang == Lang::En;
    let cfg = &loaded.config;
    let areas = &loaded.areas;
    let a = &out.analysis;
    let geoms: Vec<_> = areas.iter().map(|x| x.geometry.clone()).collect();
    let weights = SpatialWeights::contiguity(&geoms, Contiguity::Queen, None);
    let sites = loaded.sites.as_deref().unwrap_or(&[]);
    let group_label = |id: &str| {
        cfg.target_group
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.label.clone())
    };
    let mut reports = Vec::with_capacity(areas.len());
    for (i, area) in areas.iter().enumerate() {
        let sc = &a.areas[i];
        let mut rings = Vec::new();
        for poly in &area.geometry.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                let pts: Vec<[f64; 2]> = ring.0.iter().map(|c| [c.x, c.y]).collect();
                rings.push(to_wgs84(&pts)?);
            }
        }
        let mut contributions = super::saldo_contributions(&a.indicators, &sc.z);
        contributions.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()).then(x.0.cmp(&y.0)));
        let pop = area.value("population").unwrap_or(0.0);
        let units = out.care.as_ref().map(|c| c.units[i]);
        let sp = &out.spreading.per_area[i];
        reports.push(AreaReport {
            code: area.code.clone(),
            name: area.name.clone(),
            rings,
            population: pop,
            state: ScenarioState {
                care_units: units,
                care_units_per_1000: units.and_then(|u| (pop > 0.0).then(|| 1000.0 * u / pop)),
                fair_share_ratio: sp.fair_share_ratio,
                draagkracht: sc.draagkracht,
                draaglast: sc.draaglast,
                saldo: sc.saldo,
                saldo_uncapped: Uncapped::deciding(sc.uncapped),
                signal: sc.signal.as_str().to_string(),
                typology: sc.typology.map(|t| typology_label(t).0),
            },
            typology_label: sc.typology.map(|t| typology_label(t).1),
            saldo_drivers: contributions
                .iter()
                .take(2)
                .map(|(k, c)| SaldoDriver {
                    id: a.indicators[*k].def.id.clone(),
                    contribution: *c,
                })
                .collect(),
            lisa_label: sp.rate.lisa_label.map(str::to_string),
            lisa_p: sp.rate.lisa_p,
            indicators: a
                .indicators
                .iter()
                .enumerate()
                .filter(|(_, s)| s.skipped.is_none() && s.def.block != Block::Context)
                .map(|(k, s)| IndicatorValue {
                    id: s.def.id.clone(),
                    value: s.values[i].ok(),
                    z: sc.z[k],
                })
                .collect(),
            sites: sites
                .iter()
                .zip(&out.site_areas)
                .filter(|(_, loc)| loc.area() == Some(i))
                .map(|(s, _)| SiteLine {
                    name: s
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("locatie {}", s.feature_index + 1)),
                    group: group_label(&s.target_group),
                    units: s.units,
                    status: s.status.as_str().to_string(),
                })
                .collect(),
            neighbours: weights
                .neighbours(i)
                .iter()
                .map(|j| areas[*j].code.clone())
                .collect(),
            scenario: None,
            opgave: Vec::new(),
            trend: None,
        });
    }
    let indicators = a
        .indicators
        .iter()
        .filter(|s| s.skipped.is_none() && s.def.block != Block::Context)
        .map(|s| IndicatorInfo {
            id: s.def.id.clone(),
            label: s.def.label.clone(),
            block: s.def.block.as_str().to_string(),
            mean: a
                .baseline
                .params
                .get(&s.def.id)
                .and_then(|p| p.get("all").or_else(|| p.values().next()))
                .map(|p| p.mean),
            unit: unit_of(s.source.as_ref()).0.to_string(),
            shown: unit_of(s.source.as_ref()).1,
            // The columns of the user's own file, which the report's reader can look up.
            source: s.source.as_ref().map_or_else(String::new, |x| {
                x.formula_in(&|concept| {
                    loaded
                        .columns
                        .get(concept)
                        .cloned()
                        .unwrap_or_else(|| concept.to_string())
                })
            }),
        })
        .collect();
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    if sites.iter().any(|s| marked_synthetic(&s.properties)) {
        warnings.push(if en {
            "The care sites are ILLUSTRATIVE/SYNTHETIC (see data/ATTRIBUTION.md): do not read the care units as real numbers per area.".to_string()
        } else {
            "De zorglocaties zijn ILLUSTRATIEF/SYNTHETISCH (zie data/ATTRIBUTION.md): lees de zorgeenheden niet als werkelijke aantallen per wijk.".to_string()
        });
    }
    if cfg
        .dwellings
        .as_ref()
        .is_some_and(|d| d.path.to_string_lossy().contains("synthetisch"))
    {
        warnings.push(if en {
            "The dwelling points are SYNTHETIC (generated from CBS counts).".to_string()
        } else {
            "De woningpunten zijn SYNTHETISCH (gegenereerd uit CBS-aantallen).".to_string()
        });
    }
    notes.extend(warnings.iter().cloned());
    let warning = (!warnings.is_empty()).then(|| warnings.join(" "));
    for b in crate::indicators::block_basis(&a.indicators) {
        notes.extend(if en { b.note_en } else { b.note });
    }
    for s in &a.indicators {
        if let Some(skip) = &s.skipped {
            notes.push(if en {
                format!(
                    "{} ({}) not computed: {}",
                    s.def.id,
                    s.def.label,
                    skip.english()
                )
            } else {
                format!("{} ({}) niet berekend: {skip}", s.def.id, s.def.label)
            });
        }
    }
    let file_name = std::path::Path::new(&loaded.inputs[0].path)
        .file_name()
        .map_or_else(
            || loaded.inputs[0].path.clone(),
            |n| n.to_string_lossy().into_owned(),
        );
    let year = match (cfg.source_year, en) {
        (Some(y), _) => format!(" {y}"),
        (None, false) => ", jaar onbekend".to_string(),
        (None, true) => ", year unknown".to_string(),
    };
    let subtitle = if en {
        format!(
            "Source: CBS Kerncijfers wijken en buurten{year} ({file_name}); computed on {run_date}"
        )
    } else {
        format!(
            "Bron: CBS Kerncijfers wijken en buurten{year} ({file_name}); berekend op {run_date}"
        )
    };
    Ok(ReportData {
        title: title.to_string(),
        subtitle,
        generated_by: format!("wijkbalans {}", super::VERSION),
        areas: reports,
        indicators,
        spreading: metric_lines(out, lang),
        signal_thresholds: [cfg.signal.rood, cfg.signal.oranje, cfg.signal.ruimte],
        notes,
        warning,
        opgave: None,
        sections: None,
        source_year: cfg.source_year,
        map_width_m: map_width_m(areas),
        previous: None,
        care_known: loaded.sites.is_some(),
        suppressed_below: None,
    })
}

/// Whether a feature's properties mark it synthetic: a `synthetic` property that is true, 1,
/// or text that says yes ([`crate::model::yes_no`]: a CSV has no booleans, its cells arrive
/// as text, docs/OUTPUTS.md "Input properties").
///
/// Example: `{"synthetic": true}` and `{"synthetic": "1"}` are marked; `{"synthetic": 0}`
/// and no `synthetic` property are not.
fn marked_synthetic(props: &serde_json::Map<String, serde_json::Value>) -> bool {
    use serde_json::Value;
    match props.get("synthetic") {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() == Some(1.0),
        Some(Value::String(t)) => crate::model::yes_no(t) == Some(true),
        _ => false,
    }
}

/// East–west width in metres of the extent of `areas` (compute CRS, EPSG:28992), for the
/// report's scale bar; `None` without any finite coordinate.
fn map_width_m(areas: &[crate::model::Area]) -> Option<f64> {
    use geo::BoundingRect;
    let xs = areas
        .iter()
        .filter_map(|a| a.geometry.bounding_rect())
        .map(|r| (r.min().x, r.max().x))
        .filter(|(a, b)| a.is_finite() && b.is_finite());
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
        (lo.min(a), hi.max(b))
    });
    (hi > lo).then_some(hi - lo)
}

/// The unit of an indicator computed from `source` as the report shows it, and how its raw
/// value is shown: percentages (concepts of kind percent and shares 100·a/b) in "%", rates
/// per 1.000 inwoners, WOZ (× €1.000, or its ln) and income (× €1.000) back in euros, density
/// per km² (docs/METHOD.md §2.3). An unknown concept of kind number has no unit.
///
/// Example: `Ln { column: "mean_woz" }` is ("€", [`Shown::LnThousandEuros`]), so a raw 5,31 is
/// shown as € 202.000.
pub fn unit_of(source: Option<&Source>) -> (&'static str, Shown) {
    use crate::model::concepts::{Kind, CONCEPTS};
    let thousand_euros = |c: &str| c == "mean_woz" || c == "std_hh_income";
    match source {
        None => ("", Shown::AsIs),
        Some(Source::Per1000 { .. }) | Some(Source::CareUnitsPer1000) => {
            ("per 1.000 inwoners", Shown::AsIs)
        }
        Some(Source::Share { .. }) => ("%", Shown::AsIs),
        Some(Source::DensityFromGeometry) => ("inwoners per km²", Shown::AsIs),
        Some(Source::Ln { column }) if thousand_euros(column) => ("€", Shown::LnThousandEuros),
        Some(Source::Ln { .. }) => ("ln", Shown::AsIs),
        Some(Source::Value { column }) if thousand_euros(column) => ("€", Shown::ThousandEuros),
        Some(Source::Value { column }) => match column.as_str() {
            "wmo_per_1000" => ("per 1.000 inwoners", Shown::AsIs),
            "density" => ("inwoners per km²", Shown::AsIs),
            c => match CONCEPTS.iter().find(|k| k.id == c).map(|k| k.kind) {
                Some(Kind::Percent) => ("%", Shown::AsIs),
                Some(Kind::Count) => ("aantal", Shown::AsIs),
                _ => ("", Shown::AsIs),
            },
        },
    }
}

/// Add the opgave monitor to `data`: the targets with their pace to the overview, and to every
/// area its share of each target. `results` are the evaluated targets in file order (from
/// [`crate::monitor::evaluate`], as for `monitor.json`), `options` the β and rood rule they
/// were evaluated with, `groups` the configured target groups (for the labels).
pub fn add_opgave(
    data: &mut ReportData,
    title: &str,
    data_year: i32,
    options: &ShareOptions,
    results: &[TargetOutcome],
    groups: &[TargetGroup],
) {
    let label = |id: &str| {
        groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.label.clone())
    };
    let targets = results
        .iter()
        .map(|r| {
            let nc = &r.pace.not_counted;
            TargetReport {
                group: r.target.group.clone(),
                group_label: label(&r.target.group),
                area: r.target.area.clone(),
                path: r.target.path,
                source: r.target.source.clone(),
                years: r
                    .pace
                    .rows
                    .iter()
                    .map(|p| PaceYear {
                        year: p.year,
                        target: p.target,
                        realised: Some(p.realised),
                        planned: Some(p.planned),
                        proposed: Some(p.proposed),
                        gap: Some(p.gap),
                        on_pace: p.on_pace,
                    })
                    .collect(),
                planned_year_unknown: r.pace.rows.first().map(|p| p.planned_year_unknown),
                after_deadline: Some(nc.realised_after_deadline + nc.planned_after_deadline),
                not_shared: [&r.by_population, &r.by_capacity]
                    .into_iter()
                    .filter(|s| s.not_shared.is_some())
                    .map(|s| s.method)
                    .collect(),
            }
        })
        .collect();
    data.opgave = Some(OpgaveReport {
        title: title.to_string(),
        data_year,
        beta: options.beta,
        allow_rood: options.allow_rood,
        targets,
        suppressed_below: None,
    });
    for area in &mut data.areas {
        area.opgave = results
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let p = r.by_population.rows.iter().find(|x| x.code == area.code);
                let c = r.by_capacity.rows.iter().find(|x| x.code == area.code);
                match (p, c) {
                    (Some(p), Some(c)) => AreaShare {
                        target: k,
                        in_scope: true,
                        current: Some(p.current),
                        share_population: p.share_whole,
                        share_capacity: c.share_whole,
                        gap_population: p.current_minus_share_whole,
                        gap_capacity: c.current_minus_share_whole,
                        capacity_note: share_note(c, options),
                    },
                    _ => AreaShare {
                        target: k,
                        ..AreaShare::default()
                    },
                }
            })
            .collect();
    }
}

/// Why a row of the capacity method has no share, or one by population only.
fn share_note(row: &ShareRow, options: &ShareOptions) -> Option<ShareNote> {
    if row.population.is_none() {
        Some(ShareNote::NoPopulation)
    } else if row.signal == Signal::Rood && !options.allow_rood {
        Some(ShareNote::Rood)
    } else if row.blocked {
        Some(ShareNote::Typology)
    } else if row.factor == Some(0.0) {
        Some(ShareNote::SaldoTooLow)
    } else if row.saldo.is_none() {
        Some(ShareNote::SaldoUnknown)
    } else {
        None
    }
}

/// For a public audience: hide of the opgave monitor what `monitor --audience publiek` hides
/// ([`crate::report::monitor::PublicPace`], [`crate::report::monitor::hides_current`]), with
/// what is derived from it (a gap is computed from the counts, so it goes with them; the
/// target path and the shares come from the opgave and the population). `results` are the
/// targets the opgave was built from, in the same order.
pub fn suppress_opgave(
    data: &mut ReportData,
    results: &[TargetOutcome],
    k: u32,
    small_sites: &crate::report::suppress::Hidden,
) {
    use crate::report::monitor::{hides_current, PublicPace};
    let Some(m) = &mut data.opgave else {
        return;
    };
    m.suppressed_below = Some(k);
    for (t, r) in m.targets.iter_mut().zip(results) {
        let public = PublicPace::new(r, k);
        for (i, (y, p)) in t.years.iter_mut().zip(&r.pace.rows).enumerate() {
            let [realised, planned, year_unknown, proposed] = public.row(i, p);
            for (v, hide) in [
                (&mut y.realised, realised),
                (&mut y.planned, planned),
                (&mut y.proposed, proposed),
                (&mut y.gap, realised || planned),
            ] {
                if hide {
                    *v = None;
                }
            }
            if i == 0 && year_unknown {
                t.planned_year_unknown = None;
            }
        }
        let [_, realised_after, planned_after] = public.not_counted(&r.pace.not_counted);
        let after = t.after_deadline.unwrap_or(0.0);
        if realised_after || planned_after || crate::report::suppress::is_small(after, k) {
            t.after_deadline = None;
        }
    }
    for a in &mut data.areas {
        for (s, r) in a.opgave.iter_mut().zip(results) {
            if hides_current(r, &a.code, s.current.unwrap_or(0.0), k, small_sites) {
                s.current = None;
                s.gap_population = None;
                s.gap_capacity = None;
            }
        }
    }
}

/// A Markdown summary of the report: the overview table, the spreading metrics, the opgave
/// monitor (with an opgave) and the notes. Dutch with a decimal comma, or English with a point.
pub fn report_markdown(data: &ReportData, lang: Lang) -> String {
    let en = lang == Lang::En;
    // The number style is crate::format's: Dutch (1.234,56, −0,48) or English (1,234.56).
    let num = |x: f64, d: usize| {
        if en {
            crate::format::marked(x, d, Some(','), '.', '−', "-")
        } else {
            crate::format::number(x, d, crate::format::Audience::Human)
        }
    };
    let f = |v: Option<f64>| v.map_or("-".to_string(), |x| num(x, 2));
    // Text from the user's files and flags is escaped (crate::markup::markdown).
    let esc = crate::markup::markdown;
    let mut md = format!("# {}\n\n{}\n\n", esc(&data.title), esc(&data.subtitle));
    md.push_str(if en {
        "Balance = capacity − burden (draagkracht − draaglast: mean z-scores within the \
         municipality). The signal is a signal, not a verdict: a start for the conversation about \
         the area.\n\n"
    } else {
        "Saldo = draagkracht − draaglast (gemiddelde z-scores binnen de gemeente). Het signaal is een \
         signaal, geen oordeel: een startpunt voor het gesprek over de wijk.\n\n"
    });
    md.push_str(&super::html::summary_markdown(data, lang));
    md.push_str(if en {
        "## All areas\n\n"
    } else {
        "## Alle wijken\n\n"
    });
    md.push_str(if en {
        "| area | inhabitants | care units per 1,000 | capacity | burden | balance | signal | typology |\n"
    } else {
        "| wijk | inwoners | zorgeenheden per 1.000 | draagkracht | draaglast | saldo | signaal | typologie |\n"
    });
    md.push_str("|---|---:|---:|---:|---:|---:|---|---|\n");
    for a in &data.areas {
        md.push_str(&format!(
            "| {} {} | {} | {} | {} | {} | {} | {} | {} |\n",
            esc(&a.code),
            esc(&a.name),
            num(a.population, 0),
            f(a.state.care_units_per_1000),
            f(a.state.draagkracht),
            f(a.state.draaglast),
            f(a.state.saldo),
            super::html::signal_word(&a.state.signal, lang),
            super::html::typology_words(
                a.state.typology.as_deref(),
                a.typology_label.as_deref(),
                lang
            )
            .unwrap_or_else(|| "-".into())
        ));
    }
    md.push_str(if en {
        "\n## Spreading\n\n| measure | value | meaning |\n|---|---:|---|\n"
    } else {
        "\n## Spreiding\n\n| maat | waarde | betekenis |\n|---|---:|---|\n"
    });
    for m in &data.spreading {
        let (name, explanation) = if en {
            (&m.name_en, &m.explanation_en)
        } else {
            (&m.name_nl, &m.explanation_nl)
        };
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            name,
            match (m.value, &m.undefined_reason) {
                // Rounded as in the HTML table.
                (Some(v), _) => super::html::fmt::metric(v, lang),
                // The reason in the report's language, as the HTML table gives it.
                (None, Some(why)) => format!("- ({})", crate::markup::markdown(why)),
                (None, None) => "-".to_string(),
            },
            explanation
        ));
    }
    md.push_str(&super::html::opgave_markdown(data, lang));
    if !data.notes.is_empty() {
        md.push_str(if en {
            "\n## Notes\n\n"
        } else {
            "\n## Opmerkingen\n\n"
        });
        for n in &data.notes {
            md.push_str(&format!("- {}\n", esc(n)));
        }
    }
    md.push_str(&format!("\n_{}_\n", data.generated_by));
    md
}

#[cfg(test)]
mod tests {
    use super::marked_synthetic;

    #[test]
    fn a_synthetic_mark_is_read_from_a_boolean_a_number_or_csv_text() {
        let props = |v: serde_json::Value| {
            serde_json::json!({ "synthetic": v })
                .as_object()
                .unwrap()
                .clone()
        };
        for v in [
            serde_json::json!(true),
            serde_json::json!(1),
            serde_json::json!("1"),
            serde_json::json!(" True "),
        ] {
            assert!(marked_synthetic(&props(v.clone())), "{v}");
        }
        for v in [
            serde_json::json!(false),
            serde_json::json!(0),
            serde_json::json!("0"),
            serde_json::json!(null),
        ] {
            assert!(!marked_synthetic(&props(v.clone())), "{v}");
        }
        assert!(!marked_synthetic(&serde_json::Map::new()));
    }
}
