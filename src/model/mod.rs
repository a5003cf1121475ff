//! Domain types: areas, care sites, dwellings and target groups, as validated plain data.
//!
//! Everything here is already in the compute CRS (metres) and sorted by area code. The model
//! knows nothing of files, formats or CRS codes: `io` builds it, the engine modules (`assign`,
//! `indicators`, `spread`) read it. Its data dictionary ([`concepts`]) lists the column names a
//! concept goes by; only `io` matches them against a file.

pub mod address;
pub mod concepts;
mod names;

pub use names::closest_above;

use std::collections::BTreeMap;

use geo::{Coord, MultiPolygon};
use serde::{Deserialize, Serialize};

/// The largest count an area may hold: inhabitants, households, dwellings (docs/METHOD.md
/// §2.2, "Sane bounds"). The largest Dutch gemeente, Amsterdam, has about 0.93 million
/// inhabitants and the whole country 18 million in 342 gemeenten, so 10 million per area
/// leaves room for any region a user may load as one area and refuses 1e300, 2^63 and the like.
pub const MAX_AREA_POPULATION: f64 = 10_000_000.0;

/// The most care units (places or homes) one site may have (docs/METHOD.md §2.2, "Sane
/// bounds"): the largest Dutch care complexes have a few hundred places.
pub const MAX_SITE_UNITS: f64 = 10_000.0;

/// The largest magnitude of any other number read from a layer (a mean, a rate, a density):
/// no statistic of a Dutch area comes near 10¹²; beyond it a value is a corrupt cell, and
/// sums of such values overflow (docs/METHOD.md §2.2, "Sane bounds").
pub const MAX_MAGNITUDE: f64 = 1.0e12;

/// The earliest year a planner may give: the year of the statistics (`--year`, `source_year`,
/// `report --previous-year`), a change's year in a scenario, the years of an opgave and of the
/// sites the monitor counts (docs/METHOD.md §2.2, "Sane bounds"). Statistics of Dutch wijken
/// and buurten go back to the 1990s and policies plan a few decades ahead, so the range holds
/// every real year and refuses a year written with two digits (`22`) or a digit too many.
pub const MIN_YEAR: i32 = 1900;

/// The latest year a planner may give (see [`MIN_YEAR`]).
pub const MAX_YEAR: i32 = 2100;

/// The one range test of a year a planner gives: `year` as an `i32` when it lies within
/// [`MIN_YEAR`]..=[`MAX_YEAR`], else `None`. It takes an `i64`, so a number read from a file
/// that does not fit an `i32` is tested the same way.
///
/// Example: `plausible_year(2022)` = Some(2022); `plausible_year(22)` and
/// `plausible_year(20_222)` = None.
pub fn plausible_year(year: i64) -> Option<i32> {
    (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR))
        .contains(&year)
        .then_some(year as i32)
}

/// The check of a year a planner gives ([`plausible_year`]), or why not and what to write,
/// without the year itself (the caller names it with its key or flag).
///
/// Example: `check_year(2022)` is fine; `check_year(22)` = Err("buiten 1900–2100; schrijf een
/// jaar met vier cijfers, zoals 2022").
pub fn check_year(year: i32) -> Result<(), String> {
    match plausible_year(year.into()) {
        Some(_) => Ok(()),
        None => Err(format!(
            "buiten {MIN_YEAR}–{MAX_YEAR}; schrijf een jaar met vier cijfers, zoals 2022"
        )),
    }
}

/// Characters that are invisible in a viewer and never part of a value or a code: zero-width
/// space, non-joiner and joiner, word joiner, byte-order mark, soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// The first character of `t` that does not belong in a one-line name the user gives (a
/// scenario's, a change's, a report's or an opgave's title): a control character (line feed,
/// tab, escape), a line or paragraph separator (U+2028, U+2029), or a bidirectional override
/// or isolate (U+202A–U+202E, U+2066–U+2069), which turns the text after it around. With
/// whether it is a line break.
///
/// ```
/// use wijkbalans::model::unprintable;
/// assert_eq!(unprintable("De Tippe"), None);
/// assert_eq!(unprintable("Regel\nregel"), Some(('\n', true)));
/// assert_eq!(unprintable("De \u{202E}Tippe"), Some(('\u{202E}', false)));
/// ```
pub fn unprintable(t: &str) -> Option<(char, bool)> {
    t.chars()
        .find(|&c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || reorders(c))
        .map(|c| (c, matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')))
}

/// Whether `c` is a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069): it
/// reorders the text shown after it, so a name or a terminal line could read otherwise than
/// it is. Refused in a name ([`unprintable`]), escaped on the terminal.
pub fn reorders(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What [`unprintable`] found, in Dutch for a message: "bevat een regeleinde (U+000A);
/// schrijf … op één regel" or "bevat een stuurteken (U+202E); laat het weg".
pub fn unprintable_text(c: char, line_break: bool) -> String {
    if line_break {
        format!(
            "bevat een regeleinde (U+{:04X}); schrijf het op één regel",
            c as u32
        )
    } else {
        format!("bevat een stuurteken (U+{:04X}); laat het weg", c as u32)
    }
}

/// Text with invisible characters removed and surrounding space trimmed.
pub fn clean_text(t: &str) -> String {
    t.chars()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The key two area codes are compared by everywhere (the areas layer, level mappings,
/// `report --wijk`, opgave targets, `compare`): the code without invisible characters or
/// surrounding space ([`clean_text`]), in lower case (docs/METHOD.md §2.2, "Codes"). Two codes
/// with one key name one area.
///
/// ```
/// use wijkbalans::model::code_key;
/// assert_eq!(code_key(" wk019301\u{200B}"), code_key("WK019301"));
/// assert_ne!(code_key("WK019301"), code_key("WK019302"));
/// ```
pub fn code_key(code: &str) -> String {
    clean_text(code).to_lowercase()
}

/// A value of a statistical concept (population, % koopwoningen, …) for one area, with where it
/// came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ConceptValue {
    /// The value, `None` when the source marks it as suppressed or unavailable.
    pub value: Option<f64>,
    /// True when the source held a CBS secrecy marker (null, `.`, −99999999) rather than a value.
    pub suppressed: bool,
}

/// One neighbourhood (buurt, wijk, gemeente or any polygon the user loads).
#[derive(Debug, Clone)]
pub struct Area {
    /// Area code, e.g. `WK019311`. Unique within a study; areas are sorted by it.
    pub code: String,
    /// Display name, e.g. `Wijk 11 Diezerpoort`.
    pub name: String,
    /// Boundary in the compute CRS (metres).
    pub geometry: MultiPolygon<f64>,
    /// Statistical values keyed by concept id (see `io::schema`), e.g. `population`.
    pub values: BTreeMap<String, ConceptValue>,
    /// Codes of parent levels, keyed by level name (`gemeente`, `wijk`, or a user level such as
    /// `gebied`).
    pub parents: BTreeMap<String, String>,
    /// Index of the feature in its source layer (0-based), for messages.
    pub feature_index: usize,
}

impl Area {
    /// The value of a concept, `None` when absent or suppressed.
    pub fn value(&self, concept: &str) -> Option<f64> {
        self.values.get(concept).and_then(|v| v.value)
    }
}

/// Concept id → the source column it was read from (e.g. `population` → `a_inw`), for
/// `summary.json` and the traceability of every indicator.
pub type ColumnMap = BTreeMap<&'static str, String>;

/// The validated areas of a study, as `io` reads them from the areas layer.
#[derive(Debug, Clone)]
pub struct AreaSet {
    /// Areas sorted by code.
    pub areas: Vec<Area>,
    /// Concept → source column.
    pub columns: ColumnMap,
    /// Text columns passed through to the output (e.g. `urbanity`), per area (area order).
    pub urbanity: Option<Vec<Option<String>>>,
}

/// Status of a care-housing site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteStatus {
    /// In use now.
    Existing,
    /// Decided and being built or prepared.
    Planned,
    /// Under consideration; only counted in a site test or scenario.
    Proposed,
}

impl SiteStatus {
    /// All statuses, in the order used in outputs.
    pub const ALL: [SiteStatus; 3] = [Self::Existing, Self::Planned, Self::Proposed];

    /// The id used in files and config.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Existing => "existing",
            Self::Planned => "planned",
            Self::Proposed => "proposed",
        }
    }

    /// The Dutch word, as messages say it: `bestaand`, `gepland`, `voorgesteld`.
    pub fn dutch(self) -> &'static str {
        match self {
            Self::Existing => "bestaand",
            Self::Planned => "gepland",
            Self::Proposed => "voorgesteld",
        }
    }

    /// Parse the id used in files and config (also accepts the Dutch words).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "existing" | "bestaand" | "gerealiseerd" => Some(Self::Existing),
            "planned" | "gepland" | "in ontwikkeling" => Some(Self::Planned),
            "proposed" | "voorgesteld" | "initiatief" => Some(Self::Proposed),
            _ => None,
        }
    }
}

/// A care-housing site: a location with a number of units for one target group.
#[derive(Debug, Clone)]
pub struct Site {
    /// Index of the feature in its source layer (0-based).
    pub feature_index: usize,
    /// Location in the compute CRS.
    pub location: Coord<f64>,
    /// Places or homes for the target group (> 0).
    pub units: f64,
    /// Homes in the same project for residents without a care need (magic mix), ≥ 0.
    pub regular_units: f64,
    /// Target-group id, one of the configured groups.
    pub target_group: String,
    /// Existing, planned or proposed.
    pub status: SiteStatus,
    /// Whether the site offers 24-hour care, when the source says so.
    pub care_24h: Option<bool>,
    /// Display name, when the source has one.
    pub name: Option<String>,
    /// Year of opening (or closing, for removals), when the source has one.
    pub year: Option<i32>,
    /// Every input property, kept for the output layer.
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// The BAG address the site was placed at, when the file gave an address instead of a
    /// point (docs/METHOD.md §6.1).
    pub address: Option<address::Geocoded>,
}

/// Dwelling points (or building centroids) in a compact columnar form.
#[derive(Debug, Clone, Default)]
pub struct Dwellings {
    /// Coordinates in the compute CRS, one per dwelling.
    pub coords: Vec<[f64; 2]>,
    /// Tenure per dwelling when the source has an ownership attribute.
    pub tenure: Option<Vec<Tenure>>,
    /// Source feature indices of the features left out as broken, ascending (dwelling `i`
    /// is source feature `i` plus the number of skipped features before it).
    pub skipped_features: Vec<usize>,
}

impl Dwellings {
    /// The source feature index of dwelling `i` (its position in `coords`).
    ///
    /// # Example
    /// ```
    /// use wijkbalans::model::Dwellings;
    /// let d = Dwellings { coords: vec![[0.0, 0.0]; 3], tenure: None, skipped_features: vec![1, 2] };
    /// assert_eq!((d.feature_index(0), d.feature_index(1), d.feature_index(2)), (0, 3, 4));
    /// ```
    pub fn feature_index(&self, i: usize) -> usize {
        feature_of(&self.skipped_features, i)
    }
}

/// Source feature index of kept item `pos` when the ascending `skipped` features were left
/// out: the smallest f with f − |{s ∈ skipped : s ≤ f}| = pos and f not skipped.
pub fn feature_of(skipped: &[usize], pos: usize) -> usize {
    let mut f = pos;
    loop {
        let before = skipped.partition_point(|&s| s <= f);
        let next = pos + before;
        if next == f {
            return f;
        }
        f = next;
    }
}

/// A facility (supermarket, GP, meeting place, …) as a point with a type.
#[derive(Debug, Clone, PartialEq)]
pub struct Facility {
    /// Index of the feature in its source layer (0-based).
    pub feature_index: usize,
    /// Location in the compute CRS.
    pub location: Coord<f64>,
    /// Category id (e.g. `supermarkt`, `huisarts`): the input `type` mapped through the
    /// configured facility categories.
    pub kind: String,
    /// Supply S_j for the floating catchments (e.g. huisartsen or FTE), from a `capacity`
    /// column; `None` when the layer has none (each facility then counts as 1).
    pub capacity: Option<f64>,
    /// Every input property, kept for the facilities output layer.
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// The BAG address the facility was placed at, when the file gave an address instead of
    /// a point (docs/METHOD.md §6.1).
    pub address: Option<address::Geocoded>,
}

/// A candidate location for a site search.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Location in the compute CRS.
    pub location: [f64; 2],
    /// A label from the candidates file (name or id), when there is one.
    pub label: Option<String>,
    /// The BAG address the candidate was placed at, when the file gave an address instead of
    /// a point (docs/METHOD.md §6.1); written as `bag_id` and `bag_address`.
    pub address: Option<address::Geocoded>,
}

/// Tenure of a dwelling, from an ownership attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tenure {
    /// Owner-occupied (koop).
    Owner,
    /// Rented from a housing corporation.
    Corporation,
    /// Rented from another landlord, or rented with the landlord unknown.
    OtherRent,
    /// Not known.
    Unknown,
}

/// A configured target group (doelgroep).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    /// Id used in site files, e.g. `beschermd_wonen`.
    pub id: String,
    /// Dutch label for reports.
    pub label: String,
    /// Weight of one unit of this group in the draaglast indicator DL7 (policy choice).
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

impl TargetGroup {
    /// The configured id that `given` names: ids are compared in any case (`Jongeren` is
    /// `jongeren`), or `None`. The one lookup behind the command line's and the page's group
    /// checks, which word the refusal each in their own language.
    pub fn id_in(groups: &[TargetGroup], given: &str) -> Option<String> {
        group_in(&TargetGroup::ids(groups), given)
    }

    /// The ids of `groups`, in order.
    pub fn ids(groups: &[TargetGroup]) -> Vec<&str> {
        groups.iter().map(|g| g.id.as_str()).collect()
    }
}

/// A yes/no cell as people write it, in any case: `1`, `true`, `ja`, `yes`, `j`, `y` are yes;
/// `0`, `false`, `nee`, `no`, `n` are no; anything else is `None`. A site's `care_24h` and
/// the `synthetic` mark of a layer are read with it.
///
/// Example: `yes_no(" Ja ")` = `Some(true)`; `yes_no("0")` = `Some(false)`; `yes_no("soms")`
/// = `None`.
pub fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "ja" | "yes" | "j" | "y" => Some(true),
        "0" | "false" | "nee" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// The message for a target group that is not configured, the same wherever a group is
/// named (the command line, the page, a sites file, an opgave): the name as given, the
/// closest configured id when one is close (a typing error such as `beschermdwonen`, or a
/// space for the `_` in `beschermd thuis`), and the configured ids.
///
/// Close means at most one edit in five ([`closest_above`] at 0.8): a missing `_` or one
/// wrong letter, not another group (`senioren` is not `jongeren`).
///
/// Example: `unknown_group("daklozen", ids)` = "onbekende doelgroep 'daklozen'; kies een van:
/// beschermd_wonen, beschermd_thuis, …"; `unknown_group("beschermdwonen", ids)` = "onbekende
/// doelgroep 'beschermdwonen'; bedoeld: 'beschermd_wonen'? kies een van: …".
pub fn unknown_group<S: AsRef<str>>(given: &str, ids: &[S]) -> String {
    let meant = closest_above(given, ids, 0.8)
        .map(|id| format!("bedoeld: '{id}'? "))
        .unwrap_or_default();
    let ids: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    format!(
        "onbekende doelgroep '{given}'; {meant}kies een van: {}",
        ids.join(", ")
    )
}

/// The id among `ids` (configured target-group ids, lowercase) that `given` names, in any
/// case, or `None`: the lookup of [`TargetGroup::id_in`], and of an opgave, which holds only
/// the ids.
///
/// # Example
/// ```
/// use wijkbalans::model::group_in;
/// assert_eq!(group_in(&["jongeren"], "Jongeren").as_deref(), Some("jongeren"));
/// assert_eq!(group_in(&["jongeren"], "jongere"), None);
/// ```
pub fn group_in<S: AsRef<str>>(ids: &[S], given: &str) -> Option<String> {
    let id = given.to_ascii_lowercase();
    ids.iter().any(|k| k.as_ref() == id).then_some(id)
}

/// The default target groups (ids from the policies in docs/METHOD.md §1), each with weight 1.
pub fn default_target_groups() -> Vec<TargetGroup> {
    [
        ("beschermd_wonen", "Beschermd wonen (24/7, GGZ)"),
        (
            "beschermd_thuis",
            "Beschermd thuis (geclusterd, met begeleiding)",
        ),
        ("maatschappelijke_opvang", "Maatschappelijke opvang"),
        ("jongeren", "Jongeren (uitstroom jeugdzorg)"),
        ("vg_lvb", "Verstandelijke beperking (VG/LVB)"),
        ("ouderen_geclusterd", "Ouderen, geclusterd wonen"),
        ("ouderen_zorggeschikt", "Ouderen, zorggeschikte woning"),
        ("housing_first", "Housing First"),
        ("statushouders", "Statushouders"),
        ("overig", "Overige aandachtsgroepen"),
    ]
    .into_iter()
    .map(|(id, label)| TargetGroup {
        id: id.to_string(),
        label: label.to_string(),
        weight: 1.0,
    })
    .collect()
}

/// Derive the CBS parent codes of an area code: `BUaaaabbcc` → wijk `WKaaaabb` and gemeente
/// `GMaaaa`; `WKaaaabb` → gemeente `GMaaaa`. Other codes have no derivable parents.
pub fn cbs_parent_codes(code: &str) -> BTreeMap<String, String> {
    let mut parents = BTreeMap::new();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if let Some(rest) = code.strip_prefix("BU") {
        if rest.len() == 8 && digits(rest) {
            parents.insert("wijk".to_string(), format!("WK{}", &rest[..6]));
            parents.insert("gemeente".to_string(), format!("GM{}", &rest[..4]));
        }
    } else if let Some(rest) = code.strip_prefix("WK") {
        if rest.len() == 6 && digits(rest) {
            parents.insert("gemeente".to_string(), format!("GM{}", &rest[..4]));
        }
    }
    parents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_group_names_the_close_one_and_lists_them_all() {
        let groups = default_target_groups();
        let ids = TargetGroup::ids(&groups);
        let typo = unknown_group("beschermdwonen", &ids);
        assert!(
            typo.starts_with(
                "onbekende doelgroep 'beschermdwonen'; bedoeld: 'beschermd_wonen'? kies een van: \
                 beschermd_wonen, beschermd_thuis,"
            ),
            "{typo}"
        );
        // A space for the `_`, as a planner writes the group in a spreadsheet.
        assert!(unknown_group("Beschermd thuis", &ids).contains("bedoeld: 'beschermd_thuis'?"));
        let far = unknown_group("daklozen", &ids);
        assert!(
            far.starts_with("onbekende doelgroep 'daklozen'; kies een van: beschermd_wonen,"),
            "{far}"
        );
    }

    #[test]
    fn parent_codes_follow_the_cbs_code_structure() {
        let p = cbs_parent_codes("BU01931101");
        assert_eq!(p["wijk"], "WK019311");
        assert_eq!(p["gemeente"], "GM0193");
        let p = cbs_parent_codes("WK019311");
        assert_eq!(p.get("wijk"), None);
        assert_eq!(p["gemeente"], "GM0193");
        assert!(cbs_parent_codes("GM0193").is_empty());
        assert!(cbs_parent_codes("WK01A311").is_empty());
    }

    #[test]
    fn status_parses_english_and_dutch() {
        assert_eq!(SiteStatus::parse(" Planned"), Some(SiteStatus::Planned));
        assert_eq!(SiteStatus::parse("bestaand"), Some(SiteStatus::Existing));
        assert_eq!(SiteStatus::parse("closed"), None);
    }
}
