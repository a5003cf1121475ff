//! The summary page of the report (page one in print): what the map says, the three wijken that
//! need attention and why ([`attention`], docs/METHOD.md §4.5), and what changed since the
//! previous vintage (`report --previous`). The same sentences go into `report.md`.
//!
//! Every number names where it comes from: the signal counts the thresholds of the run, care
//! per 1.000 the sites layer and the CBS year of the inhabitants, every reason the saldo, its
//! threshold and the indicators (id, label, source column, year) that drive it.

use std::fmt::Write as _;

use super::fmt::{count, esc, num, opt, signed, MISSING};
use super::text::{signal_index, signal_name};
use super::{AreaReport, Lang, ReportData};

/// How many wijken the summary names as needing attention.
pub const ATTENTION_COUNT: usize = 3;

/// The wijken that need attention, most urgent first: the indices (into `areas`) of at most
/// [`ATTENTION_COUNT`] areas.
///
/// # Rule (docs/METHOD.md §4.5)
/// Only areas in `rood`, `oranje` or `neutraal` are candidates (`ruimte` asks no attention,
/// `onbekend` cannot be ranked). They are ordered by
/// 1. the signal: `rood` before `oranje` before `neutraal`;
/// 2. the saldo, lowest first;
/// 3. the draaglast, highest first (unknown last);
/// 4. the area code, for a deterministic order.
///
/// # Example
/// Hand check: A is oranje with saldo −0,60, B rood with −1,20, C oranje with −0,60 and
/// draaglast 0,9 (A has 0,4), D ruimte, E onbekend. B comes first (rood), then C before A (same
/// signal and saldo, C's draaglast is higher); D and E are not named.
/// ```
/// use wijkbalans::report::html::{attention, AreaReport, ScenarioState};
/// let area = |code: &str, signal: &str, saldo: Option<f64>, draaglast: Option<f64>| AreaReport {
///     code: code.into(),
///     state: ScenarioState { signal: signal.into(), saldo, draaglast, ..Default::default() },
///     ..Default::default()
/// };
/// let areas = [
///     area("A", "oranje", Some(-0.6), Some(0.4)),
///     area("B", "rood", Some(-1.2), Some(1.0)),
///     area("C", "oranje", Some(-0.6), Some(0.9)),
///     area("D", "ruimte", Some(0.8), Some(-0.5)),
///     area("E", "onbekend", None, None),
/// ];
/// assert_eq!(attention(&areas), [1, 2, 0]);
/// ```
pub fn attention(areas: &[AreaReport]) -> Vec<usize> {
    let mut v: Vec<usize> = (0..areas.len())
        .filter(|&i| {
            signal_index(&areas[i].state.signal) <= 2 && areas[i].state.signal_saldo().is_some()
        })
        .collect();
    v.sort_by(|&i, &j| {
        let (a, b) = (&areas[i].state, &areas[j].state);
        signal_index(&a.signal)
            .cmp(&signal_index(&b.signal))
            .then(
                a.signal_saldo()
                    .unwrap_or(0.0)
                    .total_cmp(&b.signal_saldo().unwrap_or(0.0)),
            )
            .then(match (a.draaglast, b.draaglast) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then(areas[i].code.cmp(&areas[j].code))
    });
    v.truncate(ATTENTION_COUNT);
    v
}

/// The sentences of the summary, as plain text (escaped by the caller).
pub(super) struct SummaryText {
    /// Headings: summary, what the map says, attention, what changed.
    pub heads: [String; 4],
    /// What the map says.
    pub map: Vec<String>,
    /// One line per wijk that needs attention, then a line when fewer than three could be
    /// ranked, then the line on the order.
    pub attention: Vec<String>,
    /// How many lines of `attention` name a wijk.
    pub ranked: usize,
    /// What changed since the previous vintage (or how to get it).
    pub changed: Vec<String>,
}

/// "CBS 2022", or "CBS, jaar onbekend".
fn cbs(data: &ReportData, lang: Lang) -> String {
    match (data.source_year, lang) {
        (Some(y), _) => format!("CBS {y}"),
        (None, Lang::Nl) => "CBS, jaar onbekend".into(),
        (None, Lang::En) => "CBS, year unknown".into(),
    }
}

/// "WK019311 Diezerpoort".
fn label(a: &AreaReport) -> String {
    format!("{} {}", a.code, a.name)
}

/// The summary's sentences for `data` in `lang`.
pub(super) fn summary_text(data: &ReportData, lang: Lang) -> SummaryText {
    let nl = lang == Lang::Nl;
    let th = data.signal_thresholds;
    let f1 = |v: f64| signed(v, 1, lang);
    let f2 = |v: Option<f64>| v.map_or_else(|| MISSING.to_string(), |v| signed(v, 2, lang));
    let year = cbs(data, lang);
    let heads = if nl {
        [
            "Samenvatting",
            "Wat de kaart zegt",
            "Drie wijken die aandacht vragen",
            "Wat is veranderd",
        ]
    } else {
        [
            "Summary",
            "What the map says",
            "Three areas that need attention",
            "What changed",
        ]
    }
    .map(String::from);

    // What the map says.
    let mut counts = [0usize; 5];
    for a in &data.areas {
        counts[signal_index(&a.state.signal)] += 1;
    }
    let n = data.areas.len();
    let mut map = vec![if nl {
        format!(
            "Van de {n} wijken staan er {} op rood, {} op oranje, {} op neutraal, {} op ruimte en {} op onbekend. \
             Het signaal volgt uit het saldo = draagkracht − draaglast (gemiddelde z-scores van de indicatoren, {year}) \
             met de drempels rood ≤ {}, oranje ≤ {}, ruimte ≥ {} (rekenwijze in docs/METHOD.md).",
            counts[0], counts[1], counts[2], counts[3], counts[4],
            f1(th[0]), f1(th[1]), f1(th[2])
        )
    } else {
        format!(
            "Of the {n} areas, {} are red, {} orange, {} neutral, {} room and {} unknown. \
             The signal follows from balance = capacity − burden (mean z-scores of the indicators, {year}) \
             with thresholds red ≤ {}, orange ≤ {}, room ≥ {} (method in docs/METHOD.md).",
            counts[0], counts[1], counts[2], counts[3], counts[4],
            f1(th[0]), f1(th[1]), f1(th[2])
        )
    }];
    let with_care: Vec<&AreaReport> = data
        .areas
        .iter()
        .filter(|a| a.state.care_units.is_some())
        .collect();
    // Without a sites layer no area has care units; in a public version every area may have
    // its care units hidden.
    if !data.care_known || (with_care.is_empty() && data.suppressed_below.is_none()) {
        map.push(if nl {
            "Zonder zorglocatielaag zijn er geen zorgeenheden per wijk berekend.".into()
        } else {
            "Without a sites layer no care units per area are computed.".into()
        });
    } else {
        let units: f64 = with_care.iter().filter_map(|a| a.state.care_units).sum();
        let pop: f64 = with_care.iter().map(|a| a.population).sum();
        let rated: Vec<&&AreaReport> = with_care
            .iter()
            .filter(|a| a.state.care_units_per_1000.is_some())
            .collect();
        let rate = |a: &AreaReport| a.state.care_units_per_1000.unwrap_or(0.0);
        let lo = rated
            .iter()
            .min_by(|a, b| rate(a).total_cmp(&rate(b)).then(a.code.cmp(&b.code)));
        let hi = rated
            .iter()
            .max_by(|a, b| rate(a).total_cmp(&rate(b)).then(b.code.cmp(&a.code)));
        let study = (pop > 0.0).then(|| 1000.0 * units / pop);
        let fsd = data
            .spreading
            .iter()
            .find(|m| m.id == "fair_share_dissimilarity")
            .and_then(|m| m.value);
        // A public version that hid an area's care units hides the total too: the rest would
        // not be the gemeente's, and the total minus the areas shown gives the hidden back.
        let total_hidden = data.suppressed_below.is_some() && with_care.len() < data.areas.len();
        let mut s = if total_hidden {
            if nl {
                "Zorg: het totaal van de zorgeenheden staat niet in deze publieksversie, \
                 omdat het een weggelaten aantal bevat."
                    .to_string()
            } else {
                "Care: the total of care units is left out of this public version, as it holds \
                 a count that is left out."
                    .to_string()
            }
        } else if nl {
            format!(
                "Zorg: {} zorgeenheden op {} inwoners, {} per 1.000 inwoners in de gemeente \
                 (zorgeenheden uit de zorglocatielaag, inwoners {year}).",
                count(units, lang),
                count(pop, lang),
                opt(study, 2, lang)
            )
        } else {
            format!(
                "Care: {} care units for {} inhabitants, {} per 1,000 inhabitants in the municipality \
                 (care units from the sites layer, inhabitants {year}).",
                count(units, lang),
                count(pop, lang),
                opt(study, 2, lang)
            )
        };
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let _ = write!(
                s,
                " {} {} ({}) {} {} ({}) {}",
                // In a public version the hidden wijken are not in the range either.
                match (nl, total_hidden) {
                    (true, false) => "Per wijk van",
                    (true, true) => "Per wijk met een getoond aantal van",
                    (false, false) => "Per area from",
                    (false, true) => "Per area with a count shown from",
                },
                num(rate(lo), 2, lang),
                label(lo),
                if nl { "tot" } else { "to" },
                num(rate(hi), 2, lang),
                label(hi),
                if nl {
                    "per 1.000 inwoners."
                } else {
                    "per 1,000 inhabitants."
                }
            );
        }
        if let Some(v) = fsd {
            let _ = write!(
                s,
                " {} {} %{}",
                if nl {
                    "Te verplaatsen aandeel om elke wijk haar eerlijke deel naar inwoners te geven:"
                } else {
                    "Share to move to give every area its fair share by population:"
                },
                num(100.0 * v, 1, lang),
                if nl {
                    " (rekenwijze in docs/METHOD.md)."
                } else {
                    " (method in docs/METHOD.md)."
                }
            );
        }
        map.push(s);
    }

    // Three wijken that need attention.
    let info = |id: &str| data.indicators.iter().find(|i| i.id == id);
    let ranked = attention(&data.areas);
    let mut att: Vec<String> = ranked
        .iter()
        .map(|&i| {
            let a = &data.areas[i];
            let s = &a.state;
            let saldo = f2(s.signal_saldo());
            let (word, grens) = match (nl, s.saldo_uncapped.is_some()) {
                (true, false) => ("saldo", ["grens rood", "grens oranje"]),
                (true, true) => (
                    "saldo met de zorgeenheden niet afgekapt",
                    ["grens rood", "grens oranje"],
                ),
                (false, false) => ("balance", ["red threshold", "orange threshold"]),
                (false, true) => (
                    "balance with the care units not clamped",
                    ["red threshold", "orange threshold"],
                ),
            };
            let rule = match signal_index(&s.signal) {
                0 => format!("{word} {saldo} ≤ {} ({})", f1(th[0]), grens[0]),
                1 => format!(
                    "{} < {word} {saldo} ≤ {} ({})",
                    f1(th[0]),
                    f1(th[1]),
                    grens[1]
                ),
                _ => format!("{} < {word} {saldo} < {} (neutraal)", f1(th[1]), f1(th[2])),
            };
            let drivers: Vec<String> = a
                .saldo_drivers
                .iter()
                .map(|d| match info(&d.id) {
                    // The care rate is counted from the sites layer, not taken from CBS: its
                    // source is that layer, not a formula with a CBS year.
                    Some(i) if i.source.ends_with("(sites layer)") => format!(
                        "{} {} ({}) {}",
                        d.id,
                        i.label,
                        if nl {
                            "bron: de zorglocatielaag"
                        } else {
                            "source: the sites layer"
                        },
                        signed(d.contribution, 2, lang)
                    ),
                    Some(i) if !i.source.is_empty() => format!(
                        "{} {} ({} {}, {year}) {}",
                        d.id,
                        i.label,
                        if nl { "bron" } else { "source" },
                        if nl {
                            i.source
                                .replace("(sites layer)", "(zorglocatielaag)")
                                .replace("polygon area (km2)", "oppervlak van de polygoon (km²)")
                        } else {
                            i.source.clone()
                        },
                        signed(d.contribution, 2, lang)
                    ),
                    Some(i) => format!("{} {} {}", d.id, i.label, signed(d.contribution, 2, lang)),
                    None => format!("{} {}", d.id, signed(d.contribution, 2, lang)),
                })
                .collect();
            let (k, l, most) = if nl {
                (
                    "draagkracht",
                    "draaglast",
                    "grootste bijdragen aan het saldo",
                )
            } else {
                ("capacity", "burden", "largest contributions to the balance")
            };
            let drivers = if drivers.is_empty() {
                MISSING.to_string()
            } else {
                drivers.join("; ")
            };
            format!(
                "{}: {}; {rule} ({k} {} − {l} {}); {most}: {drivers}.",
                label(a),
                signal_name(&s.signal, lang),
                f2(s.draagkracht),
                f2(s.draaglast),
            )
        })
        .collect();
    if ranked.len() < ATTENTION_COUNT {
        let unknown = |f: fn(&AreaReport) -> bool| {
            data.areas
                .iter()
                .filter(|a| a.state.saldo.is_none() && f(a))
                .count()
        };
        let (no_dk, no_dl) = (
            unknown(|a| a.state.draagkracht.is_none()),
            unknown(|a| a.state.draaglast.is_none()),
        );
        // "16 wijken missen de draagkracht", "1 wijk mist de draaglast": only the blocks
        // that are missing somewhere, in the right number, in the report's language.
        let missing: Vec<String> = [
            (no_dk, "draagkracht", "capacity"),
            (no_dl, "draaglast", "burden"),
        ]
        .into_iter()
        .filter(|(k, _, _)| *k > 0)
        .map(|(k, block_nl, block_en)| match (nl, k) {
            (true, 1) => format!("1 wijk mist de {block_nl}"),
            (true, _) => format!("{k} wijken missen de {block_nl}"),
            (false, 1) => format!("1 area lacks the {block_en}"),
            (false, _) => format!("{k} areas lack the {block_en}"),
        })
        .collect();
        let why = match (missing.is_empty(), nl) {
            (true, _) => String::new(),
            (false, true) => format!(
                " Zonder saldo: {} (geen van de indicatoren van dat blok is berekend; de kanttekeningen noemen de ontbrekende kolommen).",
                missing.join(" en ")
            ),
            (false, false) => format!(
                " Without a balance: {} (none of that block's indicators was computed; the notes name the missing columns).",
                missing.join(" and ")
            ),
        };
        let k = ranked.len();
        let who = match (nl, k) {
            (true, 0) => format!("Geen van de {n} wijken staat"),
            (true, 1) => format!("Maar 1 van de {n} wijken staat"),
            (true, _) => format!("Maar {k} van de {n} wijken staan"),
            (false, 0) => format!("None of the {n} areas is"),
            (false, 1) => format!("Only 1 of the {n} areas is"),
            (false, _) => format!("Only {k} of the {n} areas are"),
        };
        let no_saldo = data.areas.iter().all(|a| a.state.saldo.is_none());
        att.push(if no_saldo && nl {
            format!(
                "Geen van de {n} wijken heeft een bekend saldo, dus geen wijk is als aandachtswijk aan te wijzen.{why}"
            )
        } else if no_saldo {
            format!(
                "None of the {n} areas has a known balance, so no area can be named as asking attention.{why}"
            )
        } else if nl {
            format!(
                "{who} op rood, oranje of neutraal met een bekend saldo; de andere staan op ruimte of hebben geen saldo.{why}"
            )
        } else {
            format!(
                "{who} rood, oranje or neutraal with a known balance; the others are ruimte or have no balance.{why}"
            )
        });
    }
    att.push(if nl {
        "Volgorde: eerst het signaal (rood, oranje, neutraal), dan het laagste saldo, dan de hoogste draaglast (rekenwijze in docs/METHOD.md).".into()
    } else {
        "Order: the signal first (red, orange, neutral), then the lowest balance, then the highest burden (method in docs/METHOD.md).".into()
    });

    SummaryText {
        heads,
        map,
        attention: att,
        ranked: ranked.len(),
        changed: changed(data, lang),
    }
}

/// What changed since the previous vintage, or how to get it.
fn changed(data: &ReportData, lang: Lang) -> Vec<String> {
    let nl = lang == Lang::Nl;
    let Some(p) = &data.previous else {
        return vec![if nl {
            "Geen vorige jaargang opgegeven: met report --previous BESTAND (het gebiedenbestand van het vorige jaar) staat hier wat sindsdien veranderde.".into()
        } else {
            "No previous vintage given: with report --previous FILE (the previous year's areas file) this says what changed since.".into()
        }];
    };
    let mut out = Vec::new();
    let known = |s: &str| signal_index(s) < 4;
    let with: Vec<&AreaReport> = data.areas.iter().filter(|a| a.trend.is_some()).collect();
    let comparable: Vec<&AreaReport> = with
        .iter()
        .copied()
        .filter(|a| {
            let t = a.trend.as_ref().expect("filtered");
            !t.boundary_changed
                && !t.saldo_unlike
                && known(&t.signal_before)
                && known(&a.state.signal)
        })
        .collect();
    let moved: Vec<String> = comparable
        .iter()
        .filter(|a| {
            a.trend.as_ref().expect("filtered").signal_before.as_str() != a.state.signal.as_str()
        })
        .map(|a| {
            let t = a.trend.as_ref().expect("filtered");
            format!(
                "{} {} → {} (saldo {} → {})",
                label(a),
                signal_name(&t.signal_before, lang),
                signal_name(&a.state.signal, lang),
                opt(t.saldo_before, 2, lang),
                opt(a.state.saldo, 2, lang)
            )
        })
        .collect();
    let (previous, known, areas, changed) =
        (&p.label, comparable.len(), data.areas.len(), moved.len());
    let tail = if moved.is_empty() {
        ".".to_string()
    } else {
        format!(": {}.", moved.join("; "))
    };
    out.push(if nl {
        format!("Vergeleken met {previous}: {known} van de {areas} wijken hebben in beide jaren een bekend signaal, dezelfde grens en een saldo op dezelfde indicatoren; in {changed} daarvan veranderde het signaal{tail}")
    } else {
        format!("Compared with {previous}: {known} of the {areas} areas have a known signal in both years, the same boundary and a balance on the same indicators; the signal changed in {changed} of them{tail}")
    });
    let mut falls: Vec<(&AreaReport, f64)> = comparable
        .iter()
        .filter_map(|a| Some((*a, a.trend.as_ref()?.saldo_change?)))
        .filter(|(_, c)| *c < 0.0)
        .collect();
    falls.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.code.cmp(&b.0.code)));
    if !falls.is_empty() {
        let list: Vec<String> = falls
            .iter()
            .take(3)
            .map(|(a, c)| format!("{} ({})", label(a), signed(*c, 2, lang)))
            .collect();
        out.push(format!(
            "{}: {}.",
            if nl {
                "Grootste daling van het saldo"
            } else {
                "Largest fall of the balance"
            },
            list.join("; ")
        ));
    }
    // Each year's z-scores are standardised on that year's gemeente (docs/METHOD.md §4.4):
    // a move can come from the other wijken.
    if !moved.is_empty() || !falls.is_empty() {
        out.push(if nl {
            "Let op: een saldo is de plaats van een wijk ten opzichte van het gemiddelde van de \
             gemeente in dat jaar. Een wijk kan van saldo of signaal veranderen doordat andere \
             wijken veranderen, ook als haar eigen cijfers gelijk bleven; wijkbalans compare \
             geeft per wijk de cijfers zelf in beide jaren."
                .to_string()
        } else {
            "Note: a balance is an area's position against the municipality's mean of that year. \
             An area's balance or signal can change because other areas changed, even when its \
             own numbers stayed the same; wijkbalans compare gives each area's numbers themselves \
             in both years."
                .to_string()
        });
    }
    let boundary: Vec<String> = with
        .iter()
        .filter(|a| a.trend.as_ref().is_some_and(|t| t.boundary_changed))
        .map(|a| label(a))
        .collect();
    if !boundary.is_empty() {
        out.push(format!(
            "{}: {}.",
            if nl {
                "Grens gewijzigd (oppervlak > 5 % of middelpunt > 250 m verschoven; niet als dezelfde wijk vergeleken)"
            } else {
                "Boundary changed (area > 5 % or centre moved > 250 m; not compared as the same area)"
            },
            boundary.join("; ")
        ));
    }
    let partial = with
        .iter()
        .filter(|a| a.trend.as_ref().is_some_and(|t| !t.not_compared.is_empty()))
        .count();
    if partial > 0 {
        out.push(if nl {
            format!(
                "In {} kon niet alles vergeleken worden (in report.html in de kolom 'Sinds {}' gemarkeerd met †): de wijkpagina's daar noemen per wijk welke waarden niet vergeleken zijn en waarom.",
                crate::format::counted(partial as u64, "wijk", "wijken"),
                p.label
            )
        } else {
            format!(
                "In {partial} {} not everything could be compared (marked † in report.html's column 'Since {}'): the area pages there name per area which values were not compared and why.",
                if partial == 1 { "area" } else { "areas" },
                p.label
            )
        });
    }
    for (list, nl_text, en_text) in [
        (&p.only_before, "Alleen in", "Only in"),
        (&p.only_after, "Nieuw sinds", "New since"),
    ] {
        if !list.is_empty() {
            out.push(format!(
                "{} {}: {}.",
                if nl { nl_text } else { en_text },
                p.label,
                list.join("; ")
            ));
        }
    }
    // A list that ends on a name with a full stop ("Haren-Oost e.o.") ends the sentence
    // with it, not with a second one.
    for line in &mut out {
        if line.ends_with("..") && !line.ends_with("...") {
            line.pop();
        }
    }
    out
}

/// The summary as the first part of the page (`id="samenvatting"`; in print page one).
pub(super) fn summary_html(o: &mut String, data: &ReportData, lang: Lang) {
    let s = summary_text(data, lang);
    let _ = writeln!(
        o,
        "<div class=\"summary\" id=\"samenvatting\">\n<h2>{}</h2>",
        esc(&s.heads[0])
    );
    let heading = match &data.previous {
        Some(p) => format!(
            "{} {} {}",
            s.heads[3],
            if lang == Lang::Nl { "sinds" } else { "since" },
            p.label
        ),
        None => s.heads[3].clone(),
    };
    let (named, notes) = s.attention.split_at(s.ranked);
    for (h, lines, tag) in [
        (&s.heads[1], &s.map[..], "ul"),
        (&s.heads[2], named, "ol"),
        (&heading, &s.changed[..], "ul"),
    ] {
        let class = if tag == "ol" {
            " class=\"attention\""
        } else {
            ""
        };
        let _ = writeln!(o, "<h3>{}</h3>\n<{tag}{class}>", esc(h));
        for l in lines {
            let _ = writeln!(o, "<li>{}</li>", esc(l));
        }
        let _ = writeln!(o, "</{tag}>");
        if tag == "ol" {
            for n in notes {
                let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(n));
            }
        }
    }
    o.push_str("</div>\n");
}

/// The summary in Markdown, for `report.md`.
pub fn summary_markdown(data: &ReportData, lang: Lang) -> String {
    let s = summary_text(data, lang);
    let esc = crate::markup::markdown;
    let mut md = format!("## {}\n\n### {}\n\n", s.heads[0], s.heads[1]);
    for l in &s.map {
        let _ = writeln!(md, "- {}", esc(l));
    }
    let _ = write!(md, "\n### {}\n\n", s.heads[2]);
    for (k, l) in s.attention.iter().enumerate() {
        if k < s.ranked {
            let _ = writeln!(md, "{}. {}", k + 1, esc(l));
        } else {
            let _ = write!(md, "\n{}\n", esc(l));
        }
    }
    let since = match &data.previous {
        Some(p) => format!(
            " {} {}",
            if lang == Lang::Nl { "sinds" } else { "since" },
            p.label
        ),
        None => String::new(),
    };
    let _ = write!(md, "\n### {}{since}\n\n", s.heads[3]);
    for l in &s.changed {
        let _ = writeln!(md, "- {}", esc(l));
    }
    md.push('\n');
    md
}
