//! The opgave monitor in the report: the pace of every target in the overview, each area's fair
//! share in its section, and the same as Markdown. Only formatting: every number comes from
//! [`OpgaveReport`] and [`AreaShare`] as given.

use std::fmt::Write as _;

use super::fmt::{count, esc, num, signed, table_end, table_start, th_num, th_text, MISSING};
use super::{
    with_unit, AreaReport, Lang, OpgaveReport, PaceYear, ReportData, ShareNote, TargetReport, Unit,
};
use crate::monitor::{PaceEnd, ShareMethod, TargetPath};

/// The fixed texts of the opgave monitor in one language.
struct T {
    heading: &'static str,
    /// `{beta}` is replaced by β.
    caption: &'static str,
    caption_rood: &'static str,
    caption_allow_rood: &'static str,
    /// `{k}`: the smallest count shown.
    suppressed: &'static str,
    /// `{places}`, `{from}`, `{to}`.
    target: &'static str,
    /// `{n}`.
    per_year: &'static str,
    linear: &'static str,
    /// `{area}`.
    in_area: &'static str,
    source: &'static str,
    year: &'static str,
    path: &'static str,
    realised: &'static str,
    planned: &'static str,
    proposed: &'static str,
    gap: &'static str,
    on_pace: &'static str,
    yes: &'static str,
    no: &'static str,
    /// `{realised}`, `{target}`.
    yes_because: &'static str,
    /// `{behind}`, `{gap}`.
    no_gap: &'static str,
    /// `{behind}`.
    no_covered: &'static str,
    /// `{year}`, `{which}`, `{target}`, `{realised}`, `{planned}`, `{state}`, `{gap}`.
    summary: &'static str,
    summary_on: &'static str,
    summary_behind: &'static str,
    /// `{year}`, `{which}`, `{target}`, `{state}`.
    summary_suppressed: &'static str,
    /// `{which}` when the year is the year of the statistics.
    data_year: &'static str,
    /// `{which}` when the statistics are older than the target's start.
    first_year: &'static str,
    /// `{n}`.
    planned_unknown: &'static str,
    /// `{n}`.
    after_deadline: &'static str,
    /// `{reached}`, `{to}`, `{places}`.
    pace_short: &'static str,
    /// `{year}`, `{places}`.
    pace_early: &'static str,
    /// `{name}`: the area name.
    area_heading: &'static str,
    group: &'static str,
    current: &'static str,
    by_population: &'static str,
    by_capacity: &'static str,
    difference: &'static str,
    area_caption: &'static str,
    /// `{area}`.
    outside: &'static str,
    /// `{saldo}`.
    note_rood: &'static str,
    note_typology: &'static str,
    /// `{saldo}`, `{beta}`.
    note_low: &'static str,
    note_unknown: &'static str,
    note_population: &'static str,
    /// The target's areas have no known inhabitants: no share by population.
    not_shared_population: &'static str,
    /// Every area of the target has weight 0 naar vermogen.
    not_shared_capacity: &'static str,
    md_shares: &'static str,
    md_area: &'static str,
    md_note: &'static str,
}

const NL: T = T {
    heading: "Opgavemonitor",
    caption: "Per doel en jaar: het doelpad (hoeveel plekken er volgens de opgave in dat jaar \
moeten zijn), wat gerealiseerd is (bestaande locaties), wat gepland is (geplande locaties met \
een jaar tot en met dat jaar) en het tekort (doelpad − gerealiseerd − gepland; negatief: voor op \
het doelpad). Voorgestelde locaties zijn nog niet besloten en tellen niet mee in het tekort. Op \
koers betekent: gerealiseerd is minstens het doelpad. Het eerlijke deel per wijk staat in de \
wijkprofielen: naar inwoners, en naar vermogen (gewicht = inwoners × max(0, 1 + β·saldo), \
β = {beta}).",
    caption_rood: "Wijken in rood krijgen naar vermogen geen aandeel, en wijken waar de \
locatietoets nieuwe plaatsen weigert (K1-L3) ook niet.",
    caption_allow_rood: "Ook wijken in rood krijgen naar vermogen een aandeel; wijken waar de \
locatietoets nieuwe plaatsen weigert (K1-L3) niet.",
    suppressed: "Publieksversie: aantallen onder {k} zijn weggelaten, met wat ervan is afgeleid.",
    target: "{places} plekken van {from} tot {to}",
    per_year: "{n} per jaar",
    linear: "in gelijke stappen",
    in_area: "in {area}",
    source: "Bron",
    year: "Jaar",
    path: "Doelpad",
    realised: "Gerealiseerd",
    planned: "Gepland",
    proposed: "Voorgesteld",
    gap: "Tekort",
    on_pace: "Op koers?",
    yes: "ja",
    no: "nee",
    yes_because: "ja: {realised} gerealiseerd, het doelpad vraagt {target}",
    no_gap: "nee: {behind} achter; met wat gepland is blijft een tekort van {gap}",
    no_covered: "nee: {behind} achter, maar met wat gepland is op het doelpad",
    summary: "In {year} ({which}) vraagt het doelpad {target} plekken; \
gerealiseerd zijn er {realised}, gepland {planned}: {state}, tekort {gap}.",
    summary_on: "op koers",
    data_year: "het jaar van de cijfers",
    first_year: "het eerste jaar van het doel; de cijfers zijn van eerder",
    summary_behind: "achter op schema",
    summary_suppressed: "In {year} ({which}) vraagt het doelpad {target} \
plekken: {state}.",
    planned_unknown: "Gepland zonder jaar (in geen enkel jaar meegeteld): {n}.",
    after_deadline: "Gerealiseerd of gepland na de einddatum (niet meegeteld): {n}.",
    pace_short: "Het tempo haalt in {to} {reached} plekken, niet {places}: het doelpad eindigt \
op {reached}.",
    pace_early: "Het tempo haalt de {places} plekken al in {year}; daarna blijft het doelpad \
gelijk.",
    area_heading: "Opgave: het eerlijke deel van {name}",
    group: "Doel",
    current: "Nu",
    by_population: "Naar inwoners",
    by_capacity: "Naar vermogen",
    difference: "Verschil",
    area_caption: "Aandeel: het deel van de opgave dat naar deze weging bij de wijk hoort, in \
hele plekken; een planningsgetal, geen oordeel (de locatietoets en de verdeling kunnen er minder \
toestaan). \
Verschil = nu − aandeel: negatief is het aantal plekken dat de wijk nog zou opnemen, positief \
wat ze al meer heeft dan haar deel.",
    outside: "ligt buiten het gebied van dit doel ({area}): geen aandeel",
    note_rood: "Geen aandeel naar vermogen: de wijk staat op rood (saldo {saldo}), en wijken in \
rood krijgen naar vermogen geen plekken erbij.",
    note_typology: "Geen aandeel naar vermogen: de wijk is K1-L3 (kracht laag / last hoog), en \
daar weigert de locatietoets nieuwe plaatsen.",
    note_low: "Geen aandeel naar vermogen: het saldo ({saldo}) is zo laag dat \
1 + β·saldo ≤ 0 (β = {beta}).",
    note_unknown: "Geen aandeel naar vermogen: het saldo is onbekend, dus de locatietoets kan \
het signaal hier niet toetsen en plaatst er niets.",
    note_population: "Het aantal inwoners is onbekend: geen aandeel.",
    not_shared_population: "Naar inwoners krijgt geen wijk van dit doel een aandeel: geen \
ervan heeft inwoners. De aandelen naar inwoners zijn daarom onbekend, niet 0.",
    not_shared_capacity: "Naar vermogen krijgt geen wijk van dit doel een aandeel: elke wijk \
staat op rood, heeft een saldo waarbij 1 + β·saldo ≤ 0 of een onbekend saldo, of heeft geen \
inwoners (de toelichting \
per wijk zegt welke). De aandelen naar vermogen zijn daarom onbekend, niet 0: het doel moet \
ergens landen, en deze weging wijst geen wijk aan.",
    md_shares: "Eerlijk deel per wijk",
    md_area: "wijk",
    md_note: "toelichting",
};

const EN: T = T {
    heading: "Opgave monitor",
    caption: "Per target and year: the target path (how many places the opgave asks for by \
that year), what is realised (existing sites), what is planned (planned sites dated up to that \
year) and the gap (target path − realised − planned; negative: ahead of the path). Proposed \
sites are not decided and do not count in the gap. On pace means: realised is at least the \
target path. Each area's fair share is in its profile: by population, and naar vermogen \
(by capacity: weight = inhabitants × max(0, 1 + β·balance), β = {beta}).",
    caption_rood: "Areas in red take no share naar vermogen, nor do areas where the site test \
refuses new places (K1-L3).",
    caption_allow_rood: "Areas in red take a share naar vermogen too; areas where the site test \
refuses new places (K1-L3) do not.",
    suppressed: "Public version: counts below {k} are left out, with what is derived from them.",
    target: "{places} places from {from} to {to}",
    per_year: "{n} a year",
    linear: "in equal steps",
    in_area: "in {area}",
    source: "Source",
    year: "Year",
    path: "Target path",
    realised: "Realised",
    planned: "Planned",
    proposed: "Proposed",
    gap: "Gap",
    on_pace: "On pace?",
    yes: "yes",
    no: "no",
    yes_because: "yes: {realised} realised, the path asks for {target}",
    no_gap: "no: {behind} behind; with what is planned a gap of {gap} remains",
    no_covered: "no: {behind} behind, but with what is planned on the path",
    summary: "In {year} ({which}) the target path asks for {target} \
places; {realised} are realised, {planned} planned: {state}, gap {gap}.",
    summary_on: "on pace",
    data_year: "the year of the statistics",
    first_year: "the first year of the target; the statistics are older",
    summary_behind: "behind",
    summary_suppressed: "In {year} ({which}) the target path asks for \
{target} places: {state}.",
    planned_unknown: "Planned without a year (counted in no year): {n}.",
    after_deadline: "Realised or planned after the deadline (not counted): {n}.",
    pace_short: "The pace reaches {reached} places by {to}, not {places}: the path ends at \
{reached}.",
    pace_early: "The pace reaches the {places} places in {year}; the path stays level after \
that.",
    area_heading: "Opgave: the fair share of {name}",
    group: "Target",
    current: "Now",
    by_population: "By population",
    by_capacity: "Naar vermogen",
    difference: "Difference",
    area_caption: "Share: the part of the opgave that falls to this area under this weighting, \
in whole places; a planning number, no verdict (the site test and the allocation may allow \
fewer). \
Difference = now − share: negative is the number of places the area would still take, positive \
what it has above its share.",
    outside: "lies outside the area of this target ({area}): no share",
    note_rood: "No share naar vermogen: the area is red (balance {saldo}), and areas in red \
take no extra places naar vermogen.",
    note_typology: "No share naar vermogen: the area is K1-L3 (capacity low / burden high), \
where the site test refuses new places.",
    note_low: "No share naar vermogen: the balance ({saldo}) is so low that 1 + β·balance ≤ 0 \
(β = {beta}).",
    note_unknown: "No share naar vermogen: the balance is unknown, so the site test cannot test \
the signal here and places nothing.",
    note_population: "The number of inhabitants is unknown: no share.",
    not_shared_population: "By population no area of this target takes a share: none of them \
has inhabitants. The shares by population are therefore unknown, not 0.",
    not_shared_capacity: "Naar vermogen no area of this target takes a share: every area is \
red, has a balance at which 1 + β·balance ≤ 0 or an unknown balance, or has no inhabitants \
(the note per area says \
which). The shares naar vermogen are therefore unknown, not 0: the target has to land \
somewhere, and this weighting points to no area.",
    md_shares: "Fair share per area",
    md_area: "area",
    md_note: "note",
};

fn t(lang: Lang) -> &'static T {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// A count or [`MISSING`].
fn c(v: Option<f64>, lang: Lang) -> String {
    v.map_or_else(|| MISSING.into(), |v| count(v, lang))
}

/// A signed count (`+3`, `−12`, `0`) or [`MISSING`].
fn d(v: Option<f64>, lang: Lang) -> String {
    v.map_or_else(
        || MISSING.into(),
        |v| signed(v, if v.fract() == 0.0 { 0 } else { 1 }, lang),
    )
}

/// "Beschermd thuis: 280 plekken van 2021 tot 2028, 40 per jaar, in GM0193".
fn target_title(tr: &TargetReport, lang: Lang) -> String {
    let x = t(lang);
    let mut s = format!(
        "{}: {}",
        tr.group_label,
        x.target
            .replace("{places}", &count(f64::from(tr.path.places), lang))
            .replace("{from}", &tr.path.from.to_string())
            .replace("{to}", &tr.path.to.to_string())
    );
    s.push_str(", ");
    s.push_str(&match tr.path.per_year {
        Some(p) => x.per_year.replace("{n}", &count(f64::from(p), lang)),
        None => x.linear.to_string(),
    });
    if let Some(a) = &tr.area {
        s.push_str(", ");
        s.push_str(&x.in_area.replace("{area}", a));
    }
    s
}

/// The one-line reason of "on pace?" for a year.
fn pace_reason(y: &PaceYear, lang: Lang) -> String {
    let x = t(lang);
    match (y.on_pace, y.realised) {
        (true, Some(r)) => x
            .yes_because
            .replace("{realised}", &count(r, lang))
            .replace("{target}", &count(y.target, lang)),
        (true, None) => x.yes.to_string(),
        (false, Some(r)) => {
            let behind = count(y.target - r, lang);
            match y.gap {
                Some(g) if g > 0.0 => x
                    .no_gap
                    .replace("{behind}", &behind)
                    .replace("{gap}", &count(g, lang)),
                Some(_) => x.no_covered.replace("{behind}", &behind),
                None => x.no.to_string(),
            }
        }
        (false, None) => x.no.to_string(),
    }
}

/// The summary line of a target for the data year.
fn summary(tr: &TargetReport, data_year: i32, lang: Lang) -> Option<String> {
    let x = t(lang);
    let year = data_year.clamp(tr.path.from, tr.path.to);
    let y = tr.years.iter().find(|r| r.year == year)?;
    let state = if y.on_pace {
        x.summary_on
    } else {
        x.summary_behind
    };
    let which = if year == data_year {
        x.data_year
    } else {
        x.first_year
    };
    Some(match (y.realised, y.planned, y.gap) {
        (Some(r), Some(p), Some(g)) => x
            .summary
            .replace("{year}", &year.to_string())
            .replace("{which}", which)
            .replace("{target}", &count(y.target, lang))
            .replace("{realised}", &count(r, lang))
            .replace("{planned}", &count(p, lang))
            .replace("{state}", state)
            .replace("{gap}", &count(g, lang)),
        _ => x
            .summary_suppressed
            .replace("{year}", &year.to_string())
            .replace("{which}", which)
            .replace("{target}", &count(y.target, lang))
            .replace("{state}", state),
    })
}

/// The remark on a yearly pace that does not end at the target (`None` when it does), as the
/// report writes it under the target's table and `monitor` prints it.
///
/// Example: 100 a year from 2021 for 280 places by 2028 → "Het tempo haalt de 280 plekken al in
/// 2024; daarna blijft het doelpad gelijk."
pub(crate) fn pace_end_note(path: &TargetPath, lang: Lang) -> Option<String> {
    let x = t(lang);
    let places = f64::from(path.places);
    Some(match path.pace_end()? {
        PaceEnd::Short { reached } => x
            .pace_short
            .replace("{reached}", &count(reached as f64, lang))
            .replace("{to}", &path.to.to_string())
            .replace("{places}", &count(places, lang)),
        PaceEnd::Early { year } => x
            .pace_early
            .replace("{places}", &count(places, lang))
            .replace("{year}", &year.to_string()),
    })
}

/// Remarks under a target's table: units in no year, and a pace that does not end at the
/// target.
fn target_notes(tr: &TargetReport, lang: Lang) -> Vec<String> {
    let x = t(lang);
    let mut notes: Vec<String> = pace_end_note(&tr.path, lang).into_iter().collect();
    match tr.planned_year_unknown {
        Some(n) if n > 0.0 => notes.push(x.planned_unknown.replace("{n}", &count(n, lang))),
        _ => {}
    }
    match tr.after_deadline {
        Some(n) if n > 0.0 => notes.push(x.after_deadline.replace("{n}", &count(n, lang))),
        _ => {}
    }
    for method in &tr.not_shared {
        notes.push(
            match method {
                ShareMethod::Population => x.not_shared_population,
                ShareMethod::Capacity => x.not_shared_capacity,
            }
            .to_string(),
        );
    }
    notes
}

/// The caption of the monitor with β and the rood rule filled in.
fn caption(m: &OpgaveReport, lang: Lang) -> String {
    let x = t(lang);
    let mut s = x.caption.replace("{beta}", &beta(m.beta, lang));
    s.push(' ');
    s.push_str(if m.allow_rood {
        x.caption_allow_rood
    } else {
        x.caption_rood
    });
    if let Some(k) = m.suppressed_below {
        s.push(' ');
        s.push_str(&x.suppressed.replace("{k}", &k.to_string()));
    }
    s
}

/// β with as many decimals as it needs (at least one).
fn beta(b: f64, lang: Lang) -> String {
    let decimals = (1..=6)
        .find(|&k| (b * 10f64.powi(k as i32)).fract().abs() < 1e-9)
        .unwrap_or(6);
    num(b, decimals, lang)
}

/// Why an area has no share naar vermogen (or one by population only), in a sentence.
fn note_text(note: ShareNote, a: &AreaReport, m: &OpgaveReport, lang: Lang) -> String {
    let x = t(lang);
    let saldo = a
        .state
        .saldo
        .map_or_else(|| MISSING.into(), |s| num(s, 2, lang));
    match note {
        ShareNote::Rood => x.note_rood.replace("{saldo}", &saldo),
        ShareNote::Typology => x.note_typology.to_string(),
        ShareNote::SaldoTooLow => x
            .note_low
            .replace("{saldo}", &saldo)
            .replace("{beta}", &beta(m.beta, lang)),
        ShareNote::SaldoUnknown => x.note_unknown.to_string(),
        ShareNote::NoPopulation => x.note_population.to_string(),
    }
}

/// The overview block (`id="opgave"`): per target a title, the summary line, the pace table
/// and the source.
pub(super) fn overview(o: &mut String, m: &OpgaveReport, lang: Lang) {
    let x = t(lang);
    let _ = write!(
        o,
        "<div class=\"block\" id=\"opgave\">\n<h3>{}: {}</h3>\n<p class=\"caption\">{}</p>\n",
        esc(x.heading),
        esc(&m.title),
        esc(&caption(m, lang))
    );
    for tr in &m.targets {
        let _ = writeln!(o, "<h4>{}</h4>", esc(&target_title(tr, lang)));
        if let Some(s) = summary(tr, m.data_year, lang) {
            let _ = writeln!(o, "<p>{}</p>", esc(&s));
        }
        let mut heads = vec![th_text(&esc(x.year))];
        heads.extend(places_heads(
            &[x.path, x.realised, x.planned, x.proposed, x.gap],
            lang,
        ));
        heads.push(th_text(&esc(x.on_pace)));
        table_start(o, "opgave", &heads);
        let year = m.data_year.clamp(tr.path.from, tr.path.to);
        for y in &tr.years {
            let _ = writeln!(
                o,
                "<tr{}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"pace-{}\">{}</span></td></tr>",
                if y.year == year {
                    " class=\"data-year\""
                } else {
                    ""
                },
                y.year,
                count(y.target, lang),
                c(y.realised, lang),
                c(y.planned, lang),
                c(y.proposed, lang),
                c(y.gap, lang),
                if y.on_pace { "yes" } else { "no" },
                esc(&pace_reason(y, lang))
            );
        }
        table_end(o);
        for n in target_notes(tr, lang) {
            let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(&n));
        }
        let _ = writeln!(
            o,
            "<p class=\"caption\">{}: {}</p>",
            esc(x.source),
            esc(&tr.source)
        );
    }
    o.push_str("</div>\n");
}

/// The header cells of columns that count places, each label with its unit.
fn places_heads(labels: &[&str], lang: Lang) -> Vec<String> {
    labels
        .iter()
        .map(|l| th_num(&with_unit(l, Unit::Places, lang)))
        .collect()
}

/// The opgave table of an area section (its heading has the id `opgave-<code>`): per target its
/// current places, its shares and the differences, then the reasons for a missing share.
pub(super) fn area(o: &mut String, a: &AreaReport, m: &OpgaveReport, lang: Lang) {
    let x = t(lang);
    let _ = writeln!(
        o,
        "<h3 id=\"opgave-{}\">{}</h3>",
        esc(&super::fmt::anchor(&a.code)),
        esc(&x.area_heading.replace("{name}", &a.name))
    );
    let mut heads = vec![th_text(&esc(x.group))];
    heads.extend(places_heads(
        &[
            x.current,
            x.by_population,
            x.difference,
            x.by_capacity,
            x.difference,
        ],
        lang,
    ));
    table_start(o, "opgave-share", &heads);
    let mut notes = Vec::new();
    for s in &a.opgave {
        let Some(tr) = m.targets.get(s.target) else {
            continue;
        };
        let label = tr.group_label.clone()
            + &tr
                .area
                .as_ref()
                .map_or(String::new(), |ar| format!(" ({ar})"));
        if !s.in_scope {
            let _ = writeln!(
                o,
                "<tr><th>{}</th><td colspan=\"5\" class=\"empty\">{}</td></tr>",
                esc(&label),
                esc(&x
                    .outside
                    .replace("{area}", tr.area.as_deref().unwrap_or("")))
            );
            continue;
        }
        let _ = writeln!(
            o,
            "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&label),
            c(s.current, lang),
            c(s.share_population.map(f64::from), lang),
            d(s.gap_population, lang),
            c(s.share_capacity.map(f64::from), lang),
            d(s.gap_capacity, lang)
        );
        if let Some(n) = s.capacity_note {
            notes.push(format!("{}: {}", label, note_text(n, a, m, lang)));
        }
    }
    table_end(o);
    for n in notes {
        let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(&n));
    }
    let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(x.area_caption));
}

/// A number for Markdown: a count in the report's style, as the other tables of `report.md`
/// write it (`−12`, `1.234`, `12,5`), or `-` when missing. Programs read the same numbers from
/// `report_opgave.csv` and `report_opgave_wijken.csv`.
fn md(v: Option<f64>, lang: Lang) -> String {
    v.map_or_else(|| "-".into(), |v| count(v, lang))
}

/// A Markdown table row: `| a | b | c |`.
fn md_row(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells.into_iter().collect();
    format!("| {} |", cells.join(" | "))
}

/// The opgave monitor as Markdown (empty without an opgave): the caption, per target its pace
/// table, then one table with every area that has a section and every target.
pub fn opgave_markdown(data: &ReportData, lang: Lang) -> String {
    let Some(m) = &data.opgave else {
        return String::new();
    };
    let x = t(lang);
    let esc = crate::markup::markdown;
    let mut s = format!(
        "\n## {}: {}\n\n{}\n",
        x.heading,
        esc(&m.title),
        caption(m, lang)
    );
    for tr in &m.targets {
        let _ = write!(s, "\n### {}\n\n", target_title(tr, lang));
        if let Some(line) = summary(tr, m.data_year, lang) {
            let _ = write!(s, "{line}\n\n");
        }
        let names = [
            x.year, x.path, x.realised, x.planned, x.proposed, x.gap, x.on_pace,
        ];
        let _ = writeln!(
            s,
            "{}\n|---:|---:|---:|---:|---:|---:|---|",
            md_row(names.map(str::to_lowercase))
        );
        for y in &tr.years {
            let numbers = [Some(y.target), y.realised, y.planned, y.proposed, y.gap];
            let mut cells = vec![y.year.to_string()];
            cells.extend(numbers.map(|v| md(v, lang)));
            cells.push(pace_reason(y, lang));
            let _ = writeln!(s, "{}", md_row(cells));
        }
        s.push('\n');
        for n in target_notes(tr, lang) {
            let _ = writeln!(s, "{n}\n");
        }
        let _ = writeln!(s, "{}: {}", x.source, esc(&tr.source));
    }
    let names = [
        x.group,
        x.current,
        x.by_population,
        x.difference,
        x.by_capacity,
        x.difference,
    ];
    let mut header = vec![x.md_area.to_string()];
    header.extend(names.map(str::to_lowercase));
    header.push(x.md_note.to_string());
    let _ = write!(
        s,
        "\n### {}\n\n{}\n\n{}\n|---|---|---:|---:|---:|---:|---:|---|\n",
        x.md_shares,
        x.area_caption,
        md_row(header)
    );
    for a in data.areas.iter().filter(|a| data.has_section(&a.code)) {
        for sh in &a.opgave {
            let Some(tr) = m.targets.get(sh.target) else {
                continue;
            };
            let (numbers, note) = if sh.in_scope {
                (
                    format!(
                        "{} | {} | {} | {} | {}",
                        md(sh.current, lang),
                        md(sh.share_population.map(f64::from), lang),
                        md(sh.gap_population, lang),
                        md(sh.share_capacity.map(f64::from), lang),
                        md(sh.gap_capacity, lang)
                    ),
                    sh.capacity_note
                        .map_or(String::new(), |n| note_text(n, a, m, lang)),
                )
            } else {
                (
                    "- | - | - | - | -".to_string(),
                    x.outside
                        .replace("{area}", tr.area.as_deref().unwrap_or("")),
                )
            };
            let _ = writeln!(
                s,
                "| {} {} | {} | {numbers} | {note} |",
                esc(&a.code),
                esc(&a.name),
                esc(&tr.group_label)
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::TargetPath;

    fn year(y: i32, target: f64, realised: f64, planned: f64) -> PaceYear {
        PaceYear {
            year: y,
            target,
            realised: Some(realised),
            planned: Some(planned),
            proposed: Some(0.0),
            gap: Some(target - realised - planned),
            on_pace: realised >= target,
        }
    }

    #[test]
    fn the_pace_reason_says_why() {
        let nl = |y: &PaceYear| pace_reason(y, Lang::Nl);
        assert_eq!(
            nl(&year(2022, 40.0, 52.0, 0.0)),
            "ja: 52 gerealiseerd, het doelpad vraagt 40"
        );
        assert_eq!(
            nl(&year(2023, 80.0, 52.0, 3.0)),
            "nee: 28 achter; met wat gepland is blijft een tekort van 25"
        );
        assert_eq!(
            nl(&year(2023, 80.0, 52.0, 40.0)),
            "nee: 28 achter, maar met wat gepland is op het doelpad"
        );
        let mut hidden = year(2023, 80.0, 3.0, 0.0);
        hidden.realised = None;
        hidden.gap = None;
        assert_eq!(nl(&hidden), "nee");
        assert_eq!(
            pace_reason(&year(2022, 40.0, 52.0, 0.0), Lang::En),
            "yes: 52 realised, the path asks for 40"
        );
    }

    #[test]
    fn the_summary_reads_the_data_year_or_the_first_year() {
        let target = TargetReport {
            group_label: "Jongeren".into(),
            path: TargetPath {
                places: 10,
                from: 2024,
                to: 2026,
                per_year: None,
            },
            years: vec![year(2024, 0.0, 2.0, 0.0), year(2025, 5.0, 2.0, 1.0)],
            ..TargetReport::default()
        };
        assert_eq!(
            summary(&target, 2025, Lang::Nl).unwrap(),
            "In 2025 (het jaar van de cijfers) vraagt het doelpad 5 plekken; gerealiseerd zijn \
             er 2, gepland 1: achter op schema, tekort 2."
        );
        // Statistics of 2022 for a target from 2024: the first year, said so.
        assert!(summary(&target, 2022, Lang::Nl)
            .unwrap()
            .starts_with("In 2024 (het eerste jaar van het doel; de cijfers zijn van eerder)"));
    }

    #[test]
    fn markdown_numbers_are_the_report_s() {
        assert_eq!(md(Some(-12.0), Lang::Nl), "−12");
        assert_eq!(md(Some(-0.0), Lang::Nl), "0");
        assert_eq!(md(Some(1234.5), Lang::Nl), "1.234,5");
        assert_eq!(md(Some(1234.5), Lang::En), "1,234.5");
        assert_eq!(md(None, Lang::Nl), "-");
        assert_eq!(beta(0.5, Lang::Nl), "0,5");
        assert_eq!(beta(0.25, Lang::En), "0.25");
        assert_eq!(beta(1.0, Lang::Nl), "1,0");
    }
}
