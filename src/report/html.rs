//! A self-contained HTML report of the balance per wijk: one file, no network access.
//!
//! [`render`] turns a [`ReportData`] into one HTML5 document with inline CSS and inline SVG
//! only: no scripts, no web fonts, no external images or style sheets, so it opens offline
//! and can be mailed or archived as is. The only URL in it is the SVG namespace
//! `http://www.w3.org/2000/svg`. The same data and language give the same bytes.
//!
//! The page has four parts:
//!
//! 1. **Header**: title, the data sources line and the data warning.
//! 2. **Summary** (`id="samenvatting"`, page one in print; [`attention`] and the module
//!    `summary`): what the map says, the three wijken that need attention and why, what changed
//!    since the previous vintage ([`ReportData::previous`]). Then one paragraph on
//!    draagkracht, draaglast, the saldo and the signal bands (with the thresholds of the run):
//!    *een signaal, geen oordeel*.
//! 3. **Overview** (`id="overzicht"`): a choropleth of the saldo drawn from the area rings (an
//!    equirectangular projection, x scaled by the cosine of the middle latitude; one `<path>`
//!    per area with `data-code`, a `<title>` tooltip and a link to the area's section; fill =
//!    signal colour; a label per area inside it or with a leader line; a scale bar from
//!    [`ReportData::map_width_m`]; a legend of the bands), the typology scatter (draagkracht on x, draaglast
//!    on y, quadrant lines at 0 and the signal bands as diagonal tints), a table of all areas
//!    (with a trend column when there is a previous vintage),
//!    the spreading metrics with one-line explanations, the indicators with their municipal
//!    means, and the notes.
//! 4. **One `<section id="…">` per area** (the id is the area code): signal badge, saldo,
//!    typology, the indicators that drive the saldo, a locator map, every indicator as a
//!    horizontal bar of its z-score around 0 (the municipal mean) with the raw value, care
//!    units and fair share, the care sites, the neighbouring areas (linked), and a before/after
//!    table when the area carries a [`BeforeAfter`].
//!
//! With an opgave ([`ReportData::opgave`]) the overview gets the opgave monitor (`id="opgave"`):
//! per target its pace per year (target path, realised, planned, proposed, gap, and whether the
//! pace is met with a one-line reason), and every area section its fair share of each target by
//! population and naar vermogen against its current places ([`AreaReport::opgave`]), with the
//! reason when it gets no share. With [`ReportData::sections`] only the listed areas get a
//! section; the overview keeps every area and links only to the sections present.
//!
//! Fixed texts exist in Dutch ([`Lang::Nl`], the default) and English ([`Lang::En`]); numbers
//! have a decimal comma in Dutch and a point in English. Names, labels, notes and the source
//! line are shown as given and HTML-escaped. The print style sheet starts every area on a new
//! page.

pub(crate) mod fmt;
mod opgave;
mod summary;
mod svg;
mod text;

pub use opgave::opgave_markdown;
pub(crate) use opgave::pace_end_note;
pub use summary::{attention, summary_markdown, ATTENTION_COUNT};

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::monitor::TargetPath;
use fmt::{
    anchor, count, decimals_for, empty, esc, metric, num, opt, signed, table_end, table_start,
    th_num, th_text, MISSING,
};
use svg::{Projection, COLOUR_DRAAGKRACHT, COLOUR_DRAAGLAST};
use text::{block_name, lisa_name, signal_index, signal_name, status_name, texts, Texts};

/// The language of the fixed texts and the number format: `nl` or `en` (`--lang`, whose
/// `--help` lists the names only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch: `1,23`, headings such as "Overzicht van de gemeente".
    #[default]
    #[value(help = None::<&str>)]
    Nl,
    /// English: `1.23`, headings such as "Municipal overview".
    #[value(help = None::<&str>)]
    En,
}

impl Lang {
    /// `nl` or `en` (case-insensitive) to a language.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The ISO 639-1 code, as written in `<html lang="…">`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// Everything the report shows. Built by the caller from an analysis (and optionally a
/// scenario); [`render`] does no computation beyond formatting and drawing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// Page title, e.g. "Wijkbalans Zwolle".
    pub title: String,
    /// The data sources line, e.g. "CBS kerncijfers wijken en buurten 2022; zorglocaties:
    /// illustratief".
    pub subtitle: String,
    /// Tool and version for the footer, e.g. "wijkbalans 0.1.0". No timestamp, so the output
    /// stays deterministic.
    pub generated_by: String,
    /// The areas, in the order they are shown (the analysis sorts them by code).
    pub areas: Vec<AreaReport>,
    /// The indicators used, in the order they are listed (ids as in
    /// [`AreaReport::indicators`]).
    pub indicators: Vec<IndicatorInfo>,
    /// Study-level spreading metrics; [`MetricLine::standard`] fills names and explanations of
    /// the metrics wijkbalans computes.
    pub spreading: Vec<MetricLine>,
    /// Signal thresholds of the saldo: `[rood, oranje, ruimte]` (default −1.0, −0.5, 0.5):
    /// S ≤ rood is `rood`, S ≤ oranje `oranje`, S ≥ ruimte `ruimte`, else `neutraal`.
    pub signal_thresholds: [f64; 3],
    /// Caveats shown under the overview, e.g. "Zorglocaties zijn illustratief", suppressed
    /// values, skipped indicators.
    pub notes: Vec<String>,
    /// The data warning (synthetic or illustrative inputs), shown under the title, on the map
    /// and on every wijk page; `None` when all data is real.
    pub warning: Option<String>,
    /// The opgave monitor, when the report is made with an opgave file.
    pub opgave: Option<OpgaveReport>,
    /// The codes of the areas that get a section, in [`ReportData::areas`] order; `None`: every
    /// area. The overview always shows every area.
    pub sections: Option<Vec<String>>,
    /// Year of the area statistics (CBS vintage), when known: named with every number of the
    /// summary page.
    pub source_year: Option<i32>,
    /// East–west width of the areas' extent in metres, measured in the compute CRS
    /// (EPSG:28992): the scale bar of the map is computed from it. `None`: no scale bar.
    pub map_width_m: Option<f64>,
    /// The previous vintage (`report --previous`), when given: the summary says what changed
    /// and every area carries its [`AreaReport::trend`].
    pub previous: Option<PreviousReport>,
    /// Whether the care already there is known (the study has a sites layer): without one a
    /// wijk's page says its sites are unknown, not that it has none.
    pub care_known: bool,
    /// The smallest count shown, for a public audience
    /// ([`crate::report::suppress::suppress_report`]): an area whose care units are hidden
    /// leaves the study's total unknown, so the summary does not add up the rest.
    pub suppressed_below: Option<u32>,
}

/// The previous vintage a report is compared with (`report --previous FILE`), as matched by
/// [`crate::monitor::compare()`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PreviousReport {
    /// How the previous vintage is named in the report: its year ("2022") or its file name.
    pub label: String,
    /// Areas only in the previous vintage, as "code name".
    pub only_before: Vec<String>,
    /// Areas only in the current vintage, as "code name".
    pub only_after: Vec<String>,
}

/// How an area changed since the previous vintage (docs/METHOD.md §4.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trend {
    /// The signal in the previous vintage.
    pub signal_before: String,
    /// The saldo in the previous vintage.
    pub saldo_before: Option<f64>,
    /// saldo now − saldo before; `None` when either is unknown or the boundary changed.
    pub saldo_change: Option<f64>,
    /// The boundary changed (ΔA > 5 % or the centroid moved > 250 m): the values are not
    /// compared as if the area were the same.
    pub boundary_changed: bool,
    /// The saldi of the two years rest on other indicators
    /// ([`crate::report::compare::signals_comparable`]): the signals are shown, not compared.
    pub saldo_unlike: bool,
    /// What could not be compared and why, in Dutch, one entry per value
    /// ([`crate::report::compare::not_compared`]).
    pub not_compared: Vec<String>,
}

impl ReportData {
    /// Whether the area with `code` gets a section (see [`ReportData::sections`]).
    pub fn has_section(&self, code: &str) -> bool {
        self.sections
            .as_ref()
            .is_none_or(|s| s.iter().any(|c| c == code))
    }
}

/// The opgave monitor of the report: the targets of an opgave file with their pace, as computed
/// by [`crate::monitor::evaluate`] (the numbers of `monitor.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OpgaveReport {
    /// Title of the opgave file.
    pub title: String,
    /// Year of the area statistics: the year whose pace the summary line reads (clamped to
    /// each target's years).
    pub data_year: i32,
    /// β of the capacity weighting.
    pub beta: f64,
    /// Whether areas in `rood` take a share naar vermogen.
    pub allow_rood: bool,
    /// The targets, in file order.
    pub targets: Vec<TargetReport>,
    /// Counts from 1 to this number minus 1 are not shown (audience publiek), when set.
    pub suppressed_below: Option<u32>,
}

/// One target of an opgave with its pace.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TargetReport {
    /// Target-group id, e.g. `beschermd_thuis`.
    pub group: String,
    /// Target-group label, e.g. "Beschermd thuis" (shown as given in both languages).
    pub group_label: String,
    /// Area code of the target, `None` for the whole study.
    pub area: Option<String>,
    /// The target's path: places by the deadline, from when, at what pace.
    #[serde(flatten)]
    pub path: TargetPath,
    /// Where the target comes from.
    pub source: String,
    /// One row per year, `from` to `to`.
    pub years: Vec<PaceYear>,
    /// Units planned without a year (in no gap); `None` when suppressed.
    pub planned_year_unknown: Option<f64>,
    /// Units of existing and planned sites dated after the deadline (in no gap); `None` when
    /// suppressed.
    pub after_deadline: Option<f64>,
    /// The methods by which no area can take a share (every weight 0,
    /// [`crate::monitor::FairShare::not_shared`]): their shares are unknown, and a note says
    /// why.
    pub not_shared: Vec<crate::monitor::ShareMethod>,
}

/// One year of a target's pace.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PaceYear {
    /// The year.
    pub year: i32,
    /// Cumulative target path.
    pub target: f64,
    /// Realised by this year; `None` when suppressed.
    pub realised: Option<f64>,
    /// Planned for this year or earlier; `None` when suppressed.
    pub planned: Option<f64>,
    /// Proposed for this year or earlier or without a year (not in the gap); `None` when
    /// suppressed.
    pub proposed: Option<f64>,
    /// target − realised − planned (negative: ahead); `None` when a count in it is suppressed.
    pub gap: Option<f64>,
    /// realised ≥ target.
    pub on_pace: bool,
}

/// One area's fair share of one target.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AreaShare {
    /// Index of the target in [`OpgaveReport::targets`].
    pub target: usize,
    /// `false` when the area lies outside the target's area: it has no share, the numbers
    /// below are empty.
    pub in_scope: bool,
    /// Current places of the target's group (counted sites); `None` when suppressed.
    pub current: Option<f64>,
    /// Whole share by population.
    pub share_population: Option<u32>,
    /// Whole share naar vermogen.
    pub share_capacity: Option<u32>,
    /// current − share by population (negative: places still to take); `None` when suppressed.
    pub gap_population: Option<f64>,
    /// current − share naar vermogen; `None` when suppressed.
    pub gap_capacity: Option<f64>,
    /// Why the share naar vermogen is 0 or not weighted by the saldo, when so.
    pub capacity_note: Option<ShareNote>,
}

/// Why an area's share naar vermogen is 0, or is weighted by population only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareNote {
    /// The area is in `rood` and rood areas take no share.
    Rood,
    /// The area is K1-L3, where the site test's typology rule refuses new places.
    Typology,
    /// 1 + β·saldo ≤ 0: the saldo is so low that the weight is 0.
    SaldoTooLow,
    /// The saldo is unknown: weighted by population only.
    SaldoUnknown,
    /// The population is unknown: weight 0.
    NoPopulation,
}

impl Default for ReportData {
    fn default() -> Self {
        ReportData {
            title: String::new(),
            subtitle: String::new(),
            generated_by: String::new(),
            areas: Vec::new(),
            indicators: Vec::new(),
            spreading: Vec::new(),
            signal_thresholds: [-1.0, -0.5, 0.5],
            notes: Vec::new(),
            warning: None,
            opgave: None,
            sections: None,
            source_year: None,
            map_width_m: None,
            previous: None,
            care_known: true,
            suppressed_below: None,
        }
    }
}

/// One indicator of the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicatorInfo {
    /// Id, e.g. `DK1`, `DL2`.
    pub id: String,
    /// Label as configured, e.g. "% koopwoningen" (shown as given in both languages).
    pub label: String,
    /// `draagkracht`, `draaglast` or `context` (translated in English; other values shown as
    /// given). Draagkracht indicators are listed first, then draaglast, then context.
    pub block: String,
    /// The municipal mean of the raw value (the weighted μ of the normalisation), if known.
    pub mean: Option<f64>,
    /// Unit of the value as shown, e.g. "%", "per 1.000 inwoners", "€"; may be empty.
    pub unit: String,
    /// The formula in the columns of the areas file, e.g. "ln(dwelling_value)"; may be empty.
    pub source: String,
    /// How a raw value is turned into the real-world value shown (the z-score is always that
    /// of the raw value).
    pub shown: Shown,
}

/// How the report shows an indicator's raw value: as computed, or back in euros when the
/// indicator is computed on thousands of euros or on their logarithm (docs/METHOD.md §2.3,
/// DK2 and DK4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    /// The raw value itself, with [`IndicatorInfo::unit`].
    #[default]
    AsIs,
    /// The raw value is in thousands of euros: shown as € v·1.000, rounded to whole euros
    /// (32,4 → € 32.400).
    ThousandEuros,
    /// The raw value is ln of thousands of euros (ln WOZ): shown as € e^v·1.000, rounded to
    /// € 1.000 (5,31 → € 202.000).
    LnThousandEuros,
}

impl Shown {
    /// The real-world value of raw value `v` in euros, or `v` itself for [`Shown::AsIs`].
    ///
    /// ```
    /// use wijkbalans::report::html::Shown;
    /// assert_eq!(Shown::ThousandEuros.real(32.4), 32_400.0);
    /// assert_eq!(Shown::LnThousandEuros.real(202f64.ln()), 202_000.0);
    /// assert_eq!(Shown::AsIs.real(5.31), 5.31);
    /// ```
    pub fn real(self, v: f64) -> f64 {
        match self {
            Shown::AsIs => v,
            Shown::ThousandEuros => (v * 1000.0).round(),
            Shown::LnThousandEuros => v.exp().round() * 1000.0,
        }
    }
}

/// One study-level spreading metric with a plain-language explanation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricLine {
    /// Metric id, e.g. `fair_share_dissimilarity`.
    pub id: String,
    /// Name in Dutch.
    pub name_nl: String,
    /// Name in English.
    pub name_en: String,
    /// The value; `None` when undefined.
    pub value: Option<f64>,
    /// One line in plain Dutch on what the number means.
    pub explanation_nl: String,
    /// The same in English.
    pub explanation_en: String,
    /// Why the value is undefined, shown instead of the value when it is `None`.
    pub undefined_reason: Option<String>,
}

impl MetricLine {
    /// A line with the built-in names and explanations of a metric wijkbalans computes:
    /// `fair_share_dissimilarity`, `dissimilarity`, `gini`, `theil_h`, `isolation`,
    /// `exposure`, `atkinson`, `spatial_dissimilarity`, `hhi`, `hhi_normalised`,
    /// `effective_areas`, `morans_i` (care units per 1,000), `morans_i_saldo`, `getis_ord_g`,
    /// `clark_evans`, `multigroup_dissimilarity`, `multigroup_h`. Another id gets itself as
    /// name and no explanation.
    ///
    /// ```
    /// use wijkbalans::report::html::MetricLine;
    /// let m = MetricLine::standard("gini", Some(0.41));
    /// assert_eq!(m.name_nl, "Gini-coëfficiënt");
    /// assert!(m.explanation_en.contains("all in one area"));
    /// ```
    pub fn standard(id: &str, value: Option<f64>) -> MetricLine {
        let known = text::METRICS.iter().find(|m| m.0 == id);
        let (name_nl, name_en, nl, en) = match known {
            Some(&(_, a, b, c, d)) => (a.into(), b.into(), c.into(), d.into()),
            None => (id.into(), id.into(), String::new(), String::new()),
        };
        MetricLine {
            id: id.into(),
            name_nl,
            name_en,
            value,
            explanation_nl: nl,
            explanation_en: en,
            undefined_reason: None,
        }
    }
}

/// One area (wijk or buurt) of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AreaReport {
    /// Area code, e.g. `WK019301`; also the `id` of its section.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Polygon rings in WGS84 `[lon, lat]`: exteriors and holes of all parts, in any order
    /// (holes are drawn with the even-odd rule). Empty: the area is left off the maps.
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Inhabitants.
    pub population: f64,
    /// Care units, the fair share, the block scores, the saldo, the signal and the typology
    /// code; care units (and what follows from them) are `None` without a sites layer.
    #[serde(flatten)]
    pub state: ScenarioState,
    /// Typology label, e.g. "kracht laag / last hoog"; in English the label is rebuilt from
    /// a `K{1..3}-L{1..3}` code.
    pub typology_label: Option<String>,
    /// The indicators that contribute most to the saldo, largest first (normally two).
    pub saldo_drivers: Vec<SaldoDriver>,
    /// LISA label of care units per 1,000: `HH`, `LL`, `LH`, `HL` or `niet significant`.
    pub lisa_label: Option<String>,
    /// The pseudo p-value (permutations) behind that label: shown beside it, since a label
    /// whose p lies near α can change with `--seed`.
    pub lisa_p: Option<f64>,
    /// Raw value and z-score of each indicator in this area.
    pub indicators: Vec<IndicatorValue>,
    /// Care sites in the area.
    pub sites: Vec<SiteLine>,
    /// Codes of the neighbouring areas (linked when they are in the report).
    pub neighbours: Vec<String>,
    /// Before and after a scenario, for scenario reports.
    pub scenario: Option<BeforeAfter>,
    /// Its fair share of every target of the opgave, in target order (empty without an
    /// opgave).
    pub opgave: Vec<AreaShare>,
    /// How it changed since the previous vintage; `None` without `--previous` or when the area
    /// is new.
    pub trend: Option<Trend>,
}

/// A signed contribution of one indicator to an area's saldo (+ for draagkracht above the
/// mean, − for draaglast above the mean; the contributions add up to the saldo).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SaldoDriver {
    /// Indicator id (its label is taken from [`ReportData::indicators`]).
    pub id: String,
    /// Contribution to the saldo.
    pub contribution: f64,
}

/// One indicator in one area.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicatorValue {
    /// Indicator id, as in [`IndicatorInfo::id`].
    pub id: String,
    /// Raw value; `None` when suppressed or undefined.
    pub value: Option<f64>,
    /// z-score (oriented: higher = more of the block); `None` for context indicators.
    pub z: Option<f64>,
}

/// One care site.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteLine {
    /// Site name.
    pub name: String,
    /// Target-group label, e.g. "Beschermd wonen".
    pub group: String,
    /// Units (places or homes).
    pub units: f64,
    /// `existing`, `planned` or `proposed` (translated), or another value shown as given.
    pub status: String,
}

/// An area before and after a scenario.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BeforeAfter {
    /// The baseline.
    pub before: ScenarioState,
    /// After the scenario.
    pub after: ScenarioState,
}

/// The saldo of `s` for the key figures: with the saldo whose band is the signal beside it
/// when the care rate's clamp hides it (docs/METHOD.md §2.4).
///
/// Example: Houthavens (Amsterdam, care rate z 11.09): "2,15 (met de zorgeenheden niet
/// afgekapt −1,89; het signaal volgt dat saldo)".
fn saldo_cell(s: &ScenarioState, lang: Lang) -> String {
    let saldo = opt(s.saldo, 2, lang);
    match s.saldo_uncapped {
        Some(u) => format!(
            "{saldo} ({} {}; {})",
            match lang {
                Lang::Nl => "met de zorgeenheden niet afgekapt",
                Lang::En => "with the care units not clamped",
            },
            opt(Some(u), 2, lang),
            match lang {
                Lang::Nl => "het signaal volgt dat saldo",
                Lang::En => "the signal follows that balance",
            }
        ),
        None => saldo,
    }
}

/// The numbers of an area that a scenario changes: those of the report ([`AreaReport::state`])
/// and those compared in a [`BeforeAfter`] table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScenarioState {
    /// Care units of counted sites.
    pub care_units: Option<f64>,
    /// Care units per 1,000 inhabitants.
    pub care_units_per_1000: Option<f64>,
    /// Fair-share ratio: the area's share of care units over its share of inhabitants.
    pub fair_share_ratio: Option<f64>,
    /// Draagkracht block score.
    pub draagkracht: Option<f64>,
    /// Draaglast block score.
    pub draaglast: Option<f64>,
    /// Saldo = draagkracht − draaglast.
    pub saldo: Option<f64>,
    /// The saldo with the care rate's z not clamped, when its band is the signal (worse than
    /// the band of `saldo`, docs/METHOD.md §2.4); `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saldo_uncapped: Option<f64>,
    /// `rood`, `oranje`, `neutraal`, `ruimte` or `onbekend` (any other value is shown as
    /// `onbekend`).
    pub signal: String,
    /// Typology code, e.g. `K1-L3`.
    pub typology: Option<String>,
}

impl ScenarioState {
    /// The saldo whose band is the signal: [`ScenarioState::saldo_uncapped`] where it decides,
    /// else [`ScenarioState::saldo`].
    pub fn signal_saldo(&self) -> Option<f64> {
        self.saldo_uncapped.or(self.saldo)
    }
}

/// Renders the whole report as one HTML5 document (see the [module docs](self)).
///
/// # Example
/// ```
/// use wijkbalans::report::html::{render, AreaReport, Lang, ReportData, ScenarioState};
/// let data = ReportData {
///     title: "Wijkbalans Voorbeeld".into(),
///     areas: vec![AreaReport {
///         code: "WK000101".into(),
///         name: "Centrum".into(),
///         state: ScenarioState {
///             saldo: Some(-0.62),
///             signal: "oranje".into(),
///             ..Default::default()
///         },
///         ..Default::default()
///     }],
///     ..Default::default()
/// };
/// let html = render(&data, Lang::Nl);
/// assert!(html.contains(r#"<section id="WK000101""#));
/// assert!(html.contains("−0,62"));
/// ```
pub fn render(data: &ReportData, lang: Lang) -> String {
    let t = texts(lang);
    let proj = Projection::fit(&data.areas);
    let rings: Vec<Vec<Vec<[f64; 2]>>> = data
        .areas
        .iter()
        .map(|a| proj.as_ref().map_or_else(Vec::new, |p| p.rings(&a.rings)))
        .collect();
    let by_key = ByKey::of(data);

    let mut o = String::with_capacity(64 * 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(&data.generated_by),
        esc(&data.title),
        CSS
    );
    let _ = write!(
        o,
        "<header class=\"page\">\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>\n</header>\n<main>\n",
        esc(&data.title),
        esc(&data.subtitle)
    );
    warning(&mut o, data);
    summary::summary_html(&mut o, data, lang);
    overview(&mut o, data, lang, proj.as_ref(), &rings);
    for (a, r) in data.areas.iter().zip(&rings) {
        if data.has_section(&a.code) {
            area_section(&mut o, a, data, lang, proj.as_ref(), r, &by_key);
        }
    }
    let _ = write!(
        o,
        "</main>\n<footer>{} {}</footer>\n</body>\n</html>\n",
        esc(t.made_with),
        esc(&data.generated_by)
    );
    o
}

/// The explanation paragraph with the thresholds filled in.
fn explanation(t: &Texts, th: [f64; 3], lang: Lang) -> String {
    t.explanation
        .replace("{rood}", &num(th[0], 1, lang))
        .replace("{oranje}", &num(th[1], 1, lang))
        .replace("{ruimte}", &num(th[2], 1, lang))
}

/// The data warning of [`ReportData::warning`] as a marked paragraph, when there is one.
fn warning(o: &mut String, data: &ReportData) {
    if let Some(w) = &data.warning {
        let _ = writeln!(o, "<p class=\"warning\" role=\"note\">⚠ {}</p>", esc(w));
    }
}

/// A coloured badge with the signal name.
fn badge(signal: &str, lang: Lang) -> String {
    let i = signal_index(signal);
    format!(
        "<span class=\"badge sig-{}\">{}</span>",
        text::SIGNALS[i],
        esc(signal_name(signal, lang))
    )
}

/// A small square in a colour, as SVG so it prints.
fn swatch(colour: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swatch\" viewBox=\"0 0 14 14\" width=\"14\" height=\"14\" aria-hidden=\"true\"><rect x=\"0.5\" y=\"0.5\" width=\"13\" height=\"13\" fill=\"{colour}\" stroke=\"#555555\"/></svg>"
    )
}

/// The legend of the signal bands.
fn legend(t: &Texts, th: [f64; 3], lang: Lang) -> String {
    let f = |v: f64| num(v, 1, lang);
    let entries = [
        t.band_rood.replace("{a}", &f(th[0])),
        t.band_oranje
            .replace("{a}", &f(th[0]))
            .replace("{b}", &f(th[1])),
        t.band_neutraal
            .replace("{a}", &f(th[1]))
            .replace("{b}", &f(th[2])),
        t.band_ruimte.replace("{a}", &f(th[2])),
        t.band_onbekend.to_string(),
    ];
    let mut o = format!("<ul class=\"legend\" aria-label=\"{}\">\n", esc(t.legend));
    for (k, e) in entries.iter().enumerate() {
        let _ = writeln!(o, "<li>{} {}</li>", swatch(svg::SIGNAL_COLOURS[k]), esc(e));
    }
    o.push_str("</ul>\n");
    o
}

/// A signal (`rood`, …) as `lang` names it: "rood" in Dutch, "red" in English.
pub(crate) fn signal_word(signal: &str, lang: Lang) -> &'static str {
    text::signal_name(signal, lang)
}

/// The typology's words in `lang`: the label as given in Dutch ("kracht laag / last hoog"),
/// rebuilt from the code `K1-L3` in English ("capacity low / burden high").
pub(crate) fn typology_words(
    code: Option<&str>,
    label: Option<&str>,
    lang: Lang,
) -> Option<String> {
    match (code, lang) {
        (Some(c), Lang::En) => text::typology_words(c, lang),
        _ => None,
    }
    .or_else(|| label.map(str::to_string))
    .or_else(|| code.and_then(|c| text::typology_words(c, lang)))
}

/// How many dots of the typology scatter without a label the caption names; beyond it, it
/// counts them.
const UNLABELLED_NAMED: usize = 10;

/// The typology as "K1-L3 · kracht laag / last hoog" (English words rebuilt from the code).
fn typology_text(code: Option<&str>, label: Option<&str>, lang: Lang) -> String {
    let words = typology_words(code, label, lang);
    match (code, words) {
        (Some(c), Some(w)) => format!("{} · {}", esc(c), esc(&w)),
        (Some(c), None) => esc(c),
        (None, Some(w)) => esc(&w),
        (None, None) => MISSING.into(),
    }
}

fn overview(
    o: &mut String,
    data: &ReportData,
    lang: Lang,
    proj: Option<&Projection>,
    rings: &[Vec<Vec<[f64; 2]>>],
) {
    let t = texts(lang);
    let th = data.signal_thresholds;
    o.push_str("<div class=\"overview\" id=\"overzicht\">\n");
    let _ = write!(
        o,
        "<h2>{}</h2>\n<p class=\"explain\">{}</p>\n",
        esc(t.about),
        explanation(t, th, lang)
    );
    let _ = writeln!(o, "<h2>{}</h2>", esc(t.overview));
    o.push_str("<div class=\"figures\">\n");
    // The choropleth.
    let _ = writeln!(
        o,
        "<figure class=\"map-figure\">\n<figcaption><strong>{}</strong></figcaption>",
        esc(t.map_title)
    );
    match proj {
        Some(p) => {
            o.push_str(&svg::choropleth(data, lang, p, rings));
            o.push('\n');
        }
        None => {
            empty(o, t.no_geometry);
        }
    }
    o.push_str(&legend(t, th, lang));
    warning(o, data);
    let _ = write!(
        o,
        "<p class=\"caption\">{}</p>\n</figure>\n",
        esc(t.map_caption)
    );
    // The scatter.
    let scatter = svg::scatter(data, lang);
    let _ = write!(
        o,
        "<figure class=\"scatter-figure\">\n<figcaption><strong>{}</strong></figcaption>\n{}\n<p class=\"caption\">{}",
        esc(t.scatter_title),
        scatter.svg,
        esc(t.scatter_caption)
    );
    if scatter.missing > 0 {
        let _ = write!(
            o,
            " {}",
            esc(&t
                .scatter_missing
                .replace("{n}", &scatter.missing.to_string()))
        );
    }
    // The dots without a label: named up to UNLABELLED_NAMED, counted beyond (a caption
    // listing the 3,104 of all wijken of the Netherlands helps no reader).
    let unlabelled = &scatter.unlabelled;
    if (1..=UNLABELLED_NAMED).contains(&unlabelled.len()) {
        let _ = write!(
            o,
            " {}",
            esc(&t
                .scatter_unlabelled
                // "Ten Post e.o." ends the sentence with its own full stop.
                .replace("{list}.", &{
                    let list = unlabelled.join("; ");
                    if list.ends_with('.') {
                        list
                    } else {
                        list + "."
                    }
                }))
        );
    } else if unlabelled.len() > UNLABELLED_NAMED {
        let _ = write!(
            o,
            " {}",
            esc(&t
                .scatter_unlabelled_many
                .replace("{n}", &num(unlabelled.len() as f64, 0, lang)))
        );
    }
    o.push_str("</p>\n</figure>\n</div>\n");

    // All areas.
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.all_areas));
    let with_care = data.areas.iter().any(|a| a.state.care_units.is_some());
    let mut heads = vec![
        th_text(&esc(t.code)),
        th_text(&esc(t.name)),
        th_num(&with_unit(t.population, Unit::Count, lang)),
        th_num(&with_unit(t.draagkracht, Unit::Z, lang)),
        th_num(&with_unit(t.draaglast, Unit::Z, lang)),
        th_num(&with_unit(t.saldo, Unit::Z, lang)),
        th_text(&esc(t.signal)),
        th_text(&esc(t.typology)),
    ];
    if with_care {
        heads.push(th_num(&with_unit(
            t.care_per_1000_short,
            Unit::CareUnits,
            lang,
        )));
        heads.push(th_num(&with_unit(t.fair_share, Unit::Ratio, lang)));
    }
    if let Some(p) = &data.previous {
        heads.push(format!(
            "<th class=\"trend\">{}</th>",
            esc(&trend_head(p, lang))
        ));
    }
    table_start(o, "areas", &heads);
    for a in &data.areas {
        let code = if data.has_section(&a.code) {
            format!(
                "<a href=\"#{}\">{}</a>",
                esc(&anchor(&a.code)),
                esc(&a.code)
            )
        } else {
            esc(&a.code)
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>",
            code,
            esc(&a.name),
            count(a.population, lang),
            opt(a.state.draagkracht, 2, lang),
            opt(a.state.draaglast, 2, lang),
            opt(a.state.saldo, 2, lang),
            badge(&a.state.signal, lang),
            a.state.typology.as_deref().map_or_else(|| MISSING.into(), esc)
        );
        if with_care {
            let _ = write!(
                o,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                opt(a.state.care_units_per_1000, 2, lang),
                opt(a.state.fair_share_ratio, 2, lang)
            );
        }
        if data.previous.is_some() {
            let _ = write!(o, "<td class=\"trend\">{}</td>", trend_cell(a, lang));
        }
        o.push_str("</tr>\n");
    }
    table_end(o);

    // Spreading.
    let _ = writeln!(o, "<div class=\"block\">\n<h3>{}</h3>", esc(t.spreading));
    if data.spreading.is_empty() {
        empty(o, t.no_spreading);
    } else {
        let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(t.spreading_caption));
        let heads = [
            th_text(&esc(t.measure)),
            th_num(&with_unit(t.value, Unit::SeeMeaning, lang)),
            th_text(&esc(t.meaning)),
        ];
        table_start(o, "spreading", &heads);
        for m in &data.spreading {
            let (name, explain) = match lang {
                Lang::Nl => (&m.name_nl, &m.explanation_nl),
                Lang::En => (&m.name_en, &m.explanation_en),
            };
            let value = match (m.value, &m.undefined_reason) {
                (Some(v), _) if v.is_finite() => metric(v, lang),
                (_, Some(r)) => format!("{MISSING} <span class=\"reason\">({})</span>", esc(r)),
                _ => MISSING.into(),
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(name),
                value,
                esc(explain)
            );
        }
        table_end(o);
    }
    o.push_str("</div>\n");

    // The opgave monitor.
    if let Some(m) = &data.opgave {
        opgave::overview(o, m, lang);
    }

    // Indicators.
    if !data.indicators.is_empty() {
        let _ = write!(
            o,
            "<div class=\"block\">\n<h3>{}</h3>\n<p class=\"caption\">{}</p>\n",
            esc(t.indicators),
            esc(t.indicators_caption)
        );
        let heads = [
            th_text(&esc(t.indicator)),
            th_text(&esc(t.block)),
            th_num(&with_unit(t.mean, Unit::NextColumn, lang)),
            th_text(&esc(t.unit)),
        ];
        table_start(o, "indicators", &heads);
        for i in ordered_indicators(data) {
            let _ = writeln!(
                o,
                "<tr><td><span class=\"id\">{}</span> {}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&i.id),
                esc(&i.label),
                esc(&block_name(&i.block, lang)),
                i.mean.map_or_else(|| MISSING.into(), |m| shown_value(m, i, decimals_for(m), lang)),
                esc(&i.unit)
            );
        }
        o.push_str("</tbody>\n</table>\n</div>\n");
    }

    // Notes.
    if !data.notes.is_empty() {
        let _ = writeln!(
            o,
            "<div class=\"block\">\n<h3>{}</h3>\n<ul class=\"notes\">",
            esc(t.notes)
        );
        for n in &data.notes {
            let _ = writeln!(o, "<li>{}</li>", esc(n));
        }
        o.push_str("</ul>\n</div>\n");
    }
    o.push_str("</div>\n");
}

/// The heading of the trend column: "Sinds 2022 (signaal; saldo, z)".
fn trend_head(p: &PreviousReport, lang: Lang) -> String {
    match lang {
        Lang::Nl => format!("Sinds {} (signaal; saldo in z-score)", p.label),
        Lang::En => format!("Since {} (signal; balance in z-score)", p.label),
    }
}

/// An area's trend: "neutraal → oranje; −0,42", "= oranje; +0,05", "grens gewijzigd" or
/// "nieuw"; a † marks values that could not all be compared (named on the wijk page).
fn trend_cell(a: &AreaReport, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let Some(t) = &a.trend else {
        return esc(if nl {
            "nieuw (niet in het vorige jaar)"
        } else {
            "new (not in the previous year)"
        });
    };
    if t.boundary_changed {
        return esc(if nl {
            "grens gewijzigd: niet vergeleken"
        } else {
            "boundary changed: not compared"
        });
    }
    let signal = if t.saldo_unlike {
        let (then, now) = (
            signal_name(&t.signal_before, lang),
            signal_name(&a.state.signal, lang),
        );
        if nl {
            format!("toen {then}, nu {now} (niet vergeleken)")
        } else {
            format!("then {then}, now {now} (not compared)")
        }
    } else if signal_index(&t.signal_before) == signal_index(&a.state.signal) {
        format!("= {}", signal_name(&a.state.signal, lang))
    } else {
        format!(
            "{} → {}",
            signal_name(&t.signal_before, lang),
            signal_name(&a.state.signal, lang)
        )
    };
    let change = t
        .saldo_change
        .map_or_else(|| MISSING.to_string(), |c| signed(c, 2, lang));
    let dagger = if t.not_compared.is_empty() {
        ""
    } else {
        " †"
    };
    format!("{}; {}{}", esc(&signal), change, dagger)
}

/// The unit a numeric column header names (every numeric column of the report names one).
#[derive(Debug, Clone, Copy)]
pub(super) enum Unit {
    /// A count of people or things: "aantal".
    Count,
    /// A z-score: standard deviations from the municipal mean.
    Z,
    /// Care units (of the sites layer), as in "per 1.000 inw.".
    CareUnits,
    /// The fair-share ratio: 1 is exactly the share by population.
    Ratio,
    /// A spreading measure: index or share, as its row explains.
    SeeMeaning,
    /// Given in the unit column next to it.
    NextColumn,
    /// Each cell carries its unit (%, €, per 1.000 inwoners).
    InCell,
    /// Places or homes of a site or target.
    Places,
    /// The unit of the row's label.
    PerRow,
}

/// A numeric column header: the label and its unit, "Saldo (z-score)".
pub(super) fn with_unit(label: &str, unit: Unit, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let u = match unit {
        Unit::Count => {
            if nl {
                "aantal"
            } else {
                "number"
            }
        }
        Unit::Z => "z-score",
        Unit::CareUnits => {
            if nl {
                "zorgeenheden"
            } else {
                "care units"
            }
        }
        Unit::Ratio => {
            if nl {
                "verhouding, 1 = eerlijk"
            } else {
                "ratio, 1 = fair"
            }
        }
        Unit::SeeMeaning => {
            if nl {
                "index of aandeel, zie betekenis"
            } else {
                "index or share, see meaning"
            }
        }
        Unit::NextColumn => {
            if nl {
                "eenheid in de kolom ernaast"
            } else {
                "unit in the next column"
            }
        }
        Unit::InCell => {
            if nl {
                "eenheid in de cel"
            } else {
                "unit in the cell"
            }
        }
        Unit::Places => {
            if nl {
                "plaatsen of woningen"
            } else {
                "places or homes"
            }
        }
        Unit::PerRow => {
            if nl {
                "eenheid per rij"
            } else {
                "unit per row"
            }
        }
    };
    format!("{} <span class=\"unit\">({})</span>", esc(label), esc(u))
}

/// A raw value of indicator `i` as the reader knows it: euros as "€ 202.000", other values
/// with `decimals` decimals (the unit stands in its own column or is added by the caller).
fn shown_value(v: f64, i: &IndicatorInfo, decimals: usize, lang: Lang) -> String {
    match i.shown {
        Shown::AsIs => num(v, decimals, lang),
        euros => format!("€ {}", num(euros.real(v), 0, lang)),
    }
}

/// Position of a block in the listing order: draagkracht, draaglast, context, others.
fn block_rank(block: &str) -> usize {
    match block {
        "draagkracht" => 0,
        "draaglast" => 1,
        "context" => 2,
        _ => 3,
    }
}

/// The indicators by block, each block in the order given.
fn ordered_indicators(data: &ReportData) -> Vec<&IndicatorInfo> {
    let mut v: Vec<&IndicatorInfo> = data.indicators.iter().collect();
    v.sort_by_key(|i| block_rank(&i.block));
    v
}

/// The indicators of a report by id and the names of its areas by code, looked up by every
/// area's section.
struct ByKey<'a> {
    /// Indicator id → its description.
    info: BTreeMap<&'a str, &'a IndicatorInfo>,
    /// Area code → name.
    names: BTreeMap<&'a str, &'a str>,
}

impl<'a> ByKey<'a> {
    fn of(data: &'a ReportData) -> Self {
        ByKey {
            info: data.indicators.iter().map(|i| (i.id.as_str(), i)).collect(),
            names: data
                .areas
                .iter()
                .map(|a| (a.code.as_str(), a.name.as_str()))
                .collect(),
        }
    }
}

/// The section of area `a`: key figures with the locator map (`rings`: the area's outline on
/// the page's projection `proj`), indicators as z-score bars, care and sites, neighbours, the
/// scenario and the opgave.
fn area_section(
    o: &mut String,
    a: &AreaReport,
    data: &ReportData,
    lang: Lang,
    proj: Option<&Projection>,
    rings: &[Vec<[f64; 2]>],
    by_key: &ByKey,
) {
    let ByKey { info, names } = by_key;
    let t = texts(lang);
    let _ = write!(
        o,
        "<section id=\"{}\" class=\"area\">\n<h2><span class=\"code\">{}</span> {} {}</h2>\n",
        esc(&anchor(&a.code)),
        esc(&a.code),
        esc(&a.name),
        badge(&a.state.signal, lang)
    );
    warning(o, data);

    // Key figures and the locator.
    o.push_str("<div class=\"head\">\n<div>\n");
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.key_figures));
    table_start(o, "kv", &[]);
    let row = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), v);
    };
    row(o, t.signal, badge(&a.state.signal, lang));
    row(o, t.saldo, saldo_cell(&a.state, lang));
    row(o, t.draagkracht, opt(a.state.draagkracht, 2, lang));
    row(o, t.draaglast, opt(a.state.draaglast, 2, lang));
    row(
        o,
        t.typology,
        typology_text(
            a.state.typology.as_deref(),
            a.typology_label.as_deref(),
            lang,
        ),
    );
    let drivers = if a.saldo_drivers.is_empty() {
        MISSING.to_string()
    } else {
        a.saldo_drivers
            .iter()
            .map(|d| {
                let label = info.get(d.id.as_str()).map_or("", |i| i.label.as_str());
                format!(
                    "<span class=\"id\">{}</span> {} <strong>{}</strong>",
                    esc(&d.id),
                    esc(label),
                    signed(d.contribution, 2, lang)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    row(o, t.drivers, drivers);
    row(o, t.population, count(a.population, lang));
    if let Some(l) = &a.lisa_label {
        let p = a
            .lisa_p
            .map(|p| format!(" ({})", t.lisa_p.replace("{p}", &num(p, 3, lang))))
            .unwrap_or_default();
        row(o, t.lisa, esc(&format!("{}{p}", lisa_name(l, lang))));
    }
    if let Some(p) = &data.previous {
        row(o, &trend_head(p, lang), trend_cell(a, lang));
    }
    table_end(o);
    if let Some(tr) = a.trend.as_ref().filter(|t| !t.not_compared.is_empty()) {
        let _ = writeln!(
            o,
            "<p class=\"caption\">{}</p>\n<ul class=\"not-compared\">",
            esc(match lang {
                Lang::Nl => "Niet vergeleken met het vorige jaar, en waarom:",
                Lang::En => "Not compared with the previous year, and why:",
            })
        );
        for n in &tr.not_compared {
            let _ = writeln!(o, "<li>{}</li>", esc(n));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</div>\n");
    if let (Some(p), false) = (proj, rings.is_empty()) {
        let _ = writeln!(
            o,
            "<figure class=\"locator-figure\">{}</figure>",
            svg::locator(p, rings, &a.state.signal, &a.name)
        );
    }
    o.push_str("</div>\n");

    // Indicators as z-score bars.
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.area_indicators));
    if a.indicators.is_empty() {
        empty(o, t.no_indicators);
    } else {
        let mut rows: Vec<(usize, usize, &IndicatorValue)> = a
            .indicators
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let (rank, pos) = match data.indicators.iter().position(|i| i.id == v.id) {
                    Some(p) => (block_rank(&data.indicators[p].block), p),
                    None => (4, data.indicators.len() + k),
                };
                (rank, pos, v)
            })
            .collect();
        rows.sort_by_key(|r| (r.0, r.1));
        let heads = [
            th_text(&esc(t.indicator)),
            th_num(&with_unit(t.raw_value, Unit::InCell, lang)),
            th_num(&with_unit(t.mean, Unit::InCell, lang)),
            th_num(&with_unit(t.z, Unit::Z, lang)),
            th_text("−3 · 0 · +3"),
        ];
        table_start(o, "bars", &heads);
        for (_, _, v) in rows {
            let i = info.get(v.id.as_str());
            let label = i.map_or("", |i| i.label.as_str());
            let unit = i.map_or("", |i| i.unit.as_str());
            // One number of decimals per indicator, from the municipal mean when known.
            let d = decimals_for(i.and_then(|i| i.mean).or(v.value).unwrap_or(0.0));
            let with_unit = |x: Option<f64>| match (x, i) {
                (Some(x), Some(i)) if i.shown != Shown::AsIs => shown_value(x, i, d, lang),
                (Some(x), _) if !unit.is_empty() => format!("{} {}", num(x, d, lang), esc(unit)),
                (Some(x), _) => num(x, d, lang),
                (None, _) => MISSING.into(),
            };
            let colour = match i.map(|i| i.block.as_str()) {
                Some("draaglast") => COLOUR_DRAAGLAST,
                _ => COLOUR_DRAAGKRACHT,
            };
            let bar = v.z.map_or_else(String::new, |z| svg::zbar(z, colour));
            let _ = writeln!(
                o,
                "<tr><td><span class=\"id\">{}</span> {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&v.id),
                esc(label),
                with_unit(v.value),
                with_unit(i.and_then(|i| i.mean)),
                v.z.map_or_else(|| MISSING.into(), |z| signed(z, 2, lang)),
                bar
            );
        }
        table_end(o);
        let _ = writeln!(o, "<p class=\"caption\">{}</p>", esc(t.bars_caption));
    }

    // Care.
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.care));
    table_start(o, "kv", &[]);
    row(
        o,
        t.care_units,
        a.state
            .care_units
            .map_or_else(|| MISSING.into(), |u| count(u, lang)),
    );
    row(
        o,
        t.care_per_1000,
        opt(a.state.care_units_per_1000, 2, lang),
    );
    row(
        o,
        t.fair_share,
        format!(
            "{} <span class=\"help\">({})</span>",
            opt(a.state.fair_share_ratio, 2, lang),
            esc(t.fair_share_help)
        ),
    );
    table_end(o);
    let _ = writeln!(o, "<h4>{}</h4>", esc(t.sites));
    if !data.care_known {
        empty(o, t.sites_unknown);
    } else if a.sites.is_empty() {
        empty(o, t.no_sites);
    } else {
        let heads = [
            th_text(&esc(t.site_name)),
            th_text(&esc(t.site_group)),
            th_num(&with_unit(t.site_units, Unit::Places, lang)),
            th_text(&esc(t.site_status)),
        ];
        table_start(o, "sites", &heads);
        for s in &a.sites {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&s.name),
                esc(&s.group),
                count(s.units, lang),
                esc(&status_name(&s.status, lang))
            );
        }
        table_end(o);
    }

    // Neighbours.
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.neighbours));
    if a.neighbours.is_empty() {
        empty(o, t.no_neighbours);
    } else {
        o.push_str("<ul class=\"neighbours\">\n");
        for n in &a.neighbours {
            match names.get(n.as_str()) {
                Some(name) if data.has_section(n) => {
                    let _ = writeln!(
                        o,
                        "<li><a href=\"#{}\">{} {}</a></li>",
                        esc(&anchor(n)),
                        esc(n),
                        esc(name)
                    );
                }
                Some(name) => {
                    let _ = writeln!(o, "<li>{} {}</li>", esc(n), esc(name));
                }
                None => {
                    let _ = writeln!(o, "<li>{}</li>", esc(n));
                }
            }
        }
        o.push_str("</ul>\n");
    }

    // Scenario.
    if let Some(s) = &a.scenario {
        scenario_table(o, s, lang);
    }

    // Opgave.
    if let Some(m) = &data.opgave {
        opgave::area(o, a, m, lang);
    }
    let _ = write!(
        o,
        "<p class=\"back\"><a href=\"#overzicht\">{}</a></p>\n</section>\n",
        esc(t.back_to_overview)
    );
}

fn scenario_table(o: &mut String, s: &BeforeAfter, lang: Lang) {
    let t = texts(lang);
    let _ = writeln!(o, "<h3>{}</h3>", esc(t.scenario));
    let heads = [
        th_text(""),
        th_num(&with_unit(t.before, Unit::PerRow, lang)),
        th_num(&with_unit(t.after, Unit::PerRow, lang)),
        th_num(&with_unit(t.change, Unit::PerRow, lang)),
    ];
    table_start(o, "scenario", &heads);
    let (b, a) = (&s.before, &s.after);
    let numbers: [(&str, Option<f64>, Option<f64>, usize); 6] = [
        (t.care_units, b.care_units, a.care_units, 0),
        (
            t.care_per_1000,
            b.care_units_per_1000,
            a.care_units_per_1000,
            2,
        ),
        (t.fair_share, b.fair_share_ratio, a.fair_share_ratio, 2),
        (t.draagkracht, b.draagkracht, a.draagkracht, 2),
        (t.draaglast, b.draaglast, a.draaglast, 2),
        (t.saldo, b.saldo, a.saldo, 2),
    ];
    for (label, before, after, d) in numbers {
        let show = |v: Option<f64>| match (v, d) {
            (Some(v), 0) => count(v, lang),
            (v, d) => opt(v, d, lang),
        };
        let change = match (before, after) {
            // Whole counts without decimals, a fractional change of a count with one.
            (Some(x), Some(y)) if d == 0 && (y - x).fract() != 0.0 => signed(y - x, 1, lang),
            (Some(x), Some(y)) => signed(y - x, d, lang),
            _ => MISSING.into(),
        };
        let _ = writeln!(
            o,
            "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(label),
            show(before),
            show(after),
            change
        );
    }
    let same_signal = signal_index(&b.signal) == signal_index(&a.signal);
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        esc(t.signal),
        badge(&b.signal, lang),
        badge(&a.signal, lang),
        if same_signal { "=" } else { "≠" }
    );
    let ty = |v: &Option<String>| v.as_deref().map_or_else(|| MISSING.into(), esc);
    let _ = writeln!(
        o,
        "<tr><th>{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        esc(t.typology),
        ty(&b.typology),
        ty(&a.typology),
        if b.typology == a.typology { "=" } else { "≠" }
    );
    table_end(o);
}

/// The style sheet: system fonts only, print rules with a page per area, and on a narrow
/// screen (a phone, a tablet upright: 640 px or less) tables that scroll sideways inside the
/// page instead of running off it.
const CSS: &str = r#"*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:15px;line-height:1.45;color:#222;background:#fff}
header.page,main,footer{max-width:1120px;margin:0 auto;padding:0 20px}
header.page{padding-top:24px;border-bottom:3px solid #222}
h1{font-size:1.9em;margin:0 0 4px}
h2{font-size:1.4em;margin:1.4em 0 .4em}
h3{font-size:1.1em;margin:1.2em 0 .4em}
h4{font-size:1em;margin:1em 0 .3em}
.subtitle{color:#555;margin:0 0 14px}
.warning{background:#fff3cd;border-left:5px solid #b8860b;padding:6px 10px;margin:.6em 0;font-weight:600;max-width:60em}
.explain{max-width:60em}
.figures{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
figure{margin:0;break-inside:avoid}
.map-figure{flex:1 1 560px;max-width:660px}
.scatter-figure{flex:1 1 440px;max-width:560px}
svg.map,svg.scatter{width:100%;height:auto;display:block}
svg.map text{font-size:12px;text-anchor:middle;fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;pointer-events:none}
svg.map a:hover path{stroke:#000;stroke-width:2}
svg.map text.scale{text-anchor:start;font-size:11px}
svg.scatter text{font-size:10px;fill:#222}
svg.scatter .dots text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
svg.scatter .leader{stroke:#555;stroke-width:0.8}
svg.scatter .tick{fill:#666}
svg.scatter .axis{font-size:12px;font-weight:600}
svg.scatter .quadrant{fill:#777;font-style:italic;font-size:9px}
svg.scatter .band-label{fill:#444;font-size:9px}
.caption{color:#555;font-size:.9em;margin:.3em 0}
ul.legend{list-style:none;padding:0;margin:.5em 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:.9em}
ul.legend li{display:flex;align-items:center;gap:6px}
table{border-collapse:collapse;margin:.4em 0 .8em;font-size:.92em}
th,td{padding:3px 8px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:middle}
thead th{border-bottom:2px solid #999}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
table.kv th,table.scenario tbody th{font-weight:normal;color:#555;padding-right:16px}
table.areas a,ul.neighbours a{text-decoration:none}
.id{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85em;color:#555}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:.85em;font-weight:600;border:1px solid #777;vertical-align:middle}
.sig-rood{background:#d7191c;color:#fff}
.sig-oranje{background:#fdae61;color:#222}
.sig-neutraal{background:#ffffbf;color:#222}
.sig-ruimte{background:#1a9641;color:#fff}
.sig-onbekend{background:#bdbdbd;color:#222}
section.area{border-top:3px solid #222;margin-top:2.4em;padding-top:.2em}
section.area h2 .code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.75em;color:#555;margin-right:.3em}
.head{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start;justify-content:space-between}
.locator-figure{width:220px}
svg.locator{width:220px;height:auto;display:block}
svg.zbar{display:block}
ul.neighbours{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
.help,.reason,.empty{color:#666;font-size:.9em}
table.opgave tr.data-year td{font-weight:600;background:#f4f4f4}
table.opgave-share tbody th{font-weight:normal;color:#555;padding-right:16px}
.pace-no{color:#a50f15}
.note{font-size:.92em;margin:.3em 0;padding-left:8px;border-left:3px solid #d7191c}
.back{font-size:.85em}
th .unit{font-weight:normal;color:#666;font-size:.85em;white-space:nowrap}
div.summary{max-width:60em}
div.summary li{margin:.25em 0}
ol.attention li{font-weight:500}
td.trend{white-space:nowrap}
ul.not-compared{font-size:.85em;color:#444;margin:.2em 0 .6em}
footer{color:#666;font-size:.85em;padding:24px 20px 40px}
@media screen and (max-width:640px){
header.page,main,footer{padding-left:10px;padding-right:10px}
h1{font-size:1.5em}
table{display:block;max-width:100%;overflow-x:auto}
th,td{padding:3px 6px}
.map-figure,.scatter-figure{flex-basis:100%}
}
@media print{
body{font-size:10.5pt}
header.page,main,footer{max-width:none;padding:0}
div.summary{break-after:page}
.overview h2:first-child{margin-top:0}
section.area{break-before:page;border-top:none;margin-top:0}
table,tr,figure,.head,.block{break-inside:avoid}
h2,h3,h4{break-after:avoid}
a{color:inherit;text-decoration:none}
.back{display:none}
}
@page{size:A4;margin:14mm}
"#;

#[cfg(test)]
pub(crate) mod tests;
