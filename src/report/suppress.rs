//! Small counts hidden for a public audience, as CBS does: a count of care units from 1 to
//! k − 1 becomes empty (null), with what is derived from it (a rate, a ratio, a gap reveals the
//! count it is computed from). Zero stays: it discloses nobody.

use serde::Serialize;
use serde_json::Value;

use crate::model::Area;
use crate::pipeline::Outcome;
use crate::report::html::ReportData;
use crate::table::Table;

/// Who the outputs are for: `intern` or `publiek` (`--audience`, whose `--help` lists the names
/// only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Every count is shown.
    #[default]
    #[value(help = None::<&str>)]
    Intern,
    /// Counts of care units below the smallest count shown are suppressed.
    #[value(help = None::<&str>)]
    Publiek,
}

/// Whether `v` is a count from 1 to k − 1.
pub fn is_small(v: f64, k: u32) -> bool {
    v > 0.0 && v < f64::from(k)
}

/// In every row whose `count_column` holds a value from 1 to k − 1, set that column and the
/// `derived` columns to null. Returns the number of rows suppressed.
pub fn suppress_small(table: &mut Table, count_column: &str, derived: &[&str], k: u32) -> usize {
    null_rows(table, count_column, derived, |count, _| is_small(count, k)).len()
}

/// In every row where `hide(count, row)` holds (`count` the row's `count_column` as a number, 0
/// when it is none), set `count_column` and the `derived` columns to null; the indices of those
/// rows. Nothing when the table has no `count_column`.
pub fn null_rows<S: AsRef<str>>(
    table: &mut Table,
    count_column: &str,
    derived: &[S],
    hide: impl Fn(f64, &[Value]) -> bool,
) -> Vec<usize> {
    let at = |name: &str| table.columns.iter().position(|x| x == name);
    let Some(c) = at(count_column) else {
        return Vec::new();
    };
    let others: Vec<usize> = derived.iter().filter_map(|d| at(d.as_ref())).collect();
    let mut hidden = Vec::new();
    for (i, row) in table.rows.iter_mut().enumerate() {
        if hide(row[c].as_f64().unwrap_or(0.0), row) {
            row[c] = Value::Null;
            for o in &others {
                row[*o] = Value::Null;
            }
            hidden.push(i);
        }
    }
    hidden
}

/// The cells of the areas table that [`suppress_analyse_tables`] hid. A total over areas that
/// holds such a cell would give the hidden count back (the total minus the cells shown), so
/// [`super::suppress_levels`] hides that total too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Per count column (such as `care_units_planned` or `care_units_jongeren`), the codes of
    /// the areas whose cell is hidden.
    pub cells: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
}

impl Hidden {
    /// The cells that hold a site of 1 to k − 1 units, whose units a public version hides: per
    /// count column, the codes of the areas with such a site: `care_units` and
    /// `care_units_<group>` for a counted site, `care_units_planned` for a planned one. A count
    /// that holds such a site would give its units back (the count minus the sites shown), so
    /// it is hidden too, wherever it stands (the areas layer, the report, the monitor).
    ///
    /// Example: Zwolle's planned site of 3 units in Ittersum (WK019351, beschermd thuis, not
    /// counted) gives `care_units_planned` → {WK019351}.
    pub fn small_sites(loaded: &crate::pipeline::Loaded, outcome: &Outcome, k: u32) -> Hidden {
        let mut hidden = Hidden::default();
        for (site, at) in loaded.sites.iter().flatten().zip(&outcome.site_areas) {
            let Some(area) = at.area() else {
                continue;
            };
            if !is_small(site.units, k) {
                continue;
            }
            let mut columns = Vec::new();
            if loaded.config.count_status.contains(&site.status) {
                columns.push("care_units".to_string());
                columns.push(format!("care_units_{}", site.target_group));
            }
            if site.status == crate::model::SiteStatus::Planned {
                columns.push("care_units_planned".to_string());
            }
            for column in columns {
                hidden
                    .cells
                    .entry(column)
                    .or_default()
                    .insert(loaded.areas[area].code.clone());
            }
        }
        hidden
    }

    /// Whether the cell of `column` in area `code` is hidden.
    pub fn holds(&self, column: &str, code: &str) -> bool {
        self.cells
            .get(column)
            .is_some_and(|codes| codes.contains(code))
    }

    /// The one rule of a public count, with `self` from [`Hidden::small_sites`]: the `count`
    /// of `column` in area `code` is hidden when it is from 1 to k − 1, or when it holds a
    /// site of such units (0 discloses nobody). `analyse`, `monitor` and `report` all ask this.
    pub fn hides(&self, column: &str, code: &str, count: f64, k: u32) -> bool {
        is_small(count, k) || (count > 0.0 && self.holds(column, code))
    }

    /// Whether a cell of `column` is hidden in any area.
    pub fn any(&self, column: &str) -> bool {
        self.cells
            .get(column)
            .is_some_and(|codes| !codes.is_empty())
    }

    /// Whether the total of `column` in the `level` row `code` (a gemeente, a user level)
    /// holds a hidden cell: one of `areas` with a hidden cell has that parent.
    pub fn in_level(&self, column: &str, areas: &[Area], level: &str, code: &str) -> bool {
        self.cells.get(column).is_some_and(|codes| {
            areas.iter().any(|a| {
                codes.contains(&a.code) && a.parents.get(level).map(String::as_str) == Some(code)
            })
        })
    }
}

/// The `analyse` layers: in the areas table the care units (all, per group and planned) with
/// their rates, fair-share ratios and gaps, DL7 and the regular units; in the sites table the
/// units of a site. A site whose units are hidden also hides the counts of its area that
/// include them (`small_sites`, from [`Hidden::small_sites`]): the area's total minus its other
/// sites would give them back.
///
/// Example: a planned site of 3 units in Ittersum hides Ittersum's `care_units_planned`, and
/// with it the study's total of planned units. A hidden cell of `care_units` (or of a group's)
/// hides the fair-share ratio and gap (of all care, or of that group) in every area: a fair
/// share is computed from the study's total.
pub fn suppress_analyse_tables(
    areas: &mut Table,
    sites: Option<&mut Table>,
    k: u32,
    small_sites: &Hidden,
) -> Hidden {
    let mut hidden = Hidden::default();
    let groups: Vec<String> = areas
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix("care_units_").map(str::to_string))
        .filter(|g| !["planned", "per_1000"].contains(&g.as_str()))
        .collect();
    let derived_of = |column: &str| -> Vec<String> {
        match column.strip_prefix("care_units_") {
            Some(g) if g != "planned" => {
                vec![
                    format!("fair_share_ratio_{g}"),
                    format!("fair_share_gap_{g}"),
                ]
            }
            Some(_) => Vec::new(),
            None => [
                "care_units_per_1000",
                "dl7_value",
                "dl7_z",
                "fair_share_ratio",
                "fair_share_gap",
                "regular_units",
            ]
            .map(String::from)
            .to_vec(),
        }
    };
    let code_column = areas.columns.iter().position(|c| c == "code");
    fn code_in(row: &[Value], column: Option<usize>) -> &str {
        column.and_then(|i| row[i].as_str()).unwrap_or_default()
    }
    for column in groups
        .iter()
        .map(|g| format!("care_units_{g}"))
        .chain(["care_units".to_string(), "care_units_planned".to_string()])
    {
        let rows = null_rows(areas, &column, &derived_of(&column), |count, row| {
            small_sites.hides(&column, code_in(row, code_column), count, k)
        });
        let codes: Vec<String> = rows
            .iter()
            .map(|&i| code_in(&areas.rows[i], code_column).to_string())
            .collect();
        if !codes.is_empty() {
            hidden.cells.entry(column).or_default().extend(codes);
        }
    }
    if let Some(sites) = sites {
        suppress_small(sites, "wb_units", &["units"], k);
    }
    // A fair share is the study's total times the area's share of the inhabitants, so with a
    // cell of the total hidden every area's fair-share ratio and gap would give the total back
    // (Binnenstad's 35 units at ratio 2,47 make 460, minus the 457 shown): all of them go.
    for column in hidden.cells.keys() {
        let suffix = match column.strip_prefix("care_units") {
            Some("_planned") | None => continue,
            Some(suffix) => suffix,
        };
        for name in [
            format!("fair_share_ratio{suffix}"),
            format!("fair_share_gap{suffix}"),
        ] {
            if let Some(c) = areas.columns.iter().position(|x| *x == name) {
                for row in &mut areas.rows {
                    row[c] = Value::Null;
                }
            }
        }
    }
    hidden
}

/// A level layer (its care units and their rate): a count below k, and a row whose total
/// holds an area cell that `holds_hidden` says is hidden (given the row's code).
pub fn suppress_level_table(table: &mut Table, k: u32, holds_hidden: impl Fn(&str) -> bool) {
    let code = table.columns.iter().position(|x| x == "code");
    null_rows(
        table,
        "care_units",
        &["care_units_per_1000"],
        |count, row| {
            is_small(count, k)
                || code
                    .and_then(|c| row[c].as_str())
                    .is_some_and(&holds_hidden)
        },
    );
}

/// The report itself, for a public audience: what `analyse --audience publiek` hides of an area
/// (its care units with their rate, fair-share ratio and DL7, when they are from 1 to k − 1
/// or hold a site of such units, `small_sites` from [`Hidden::small_sites`]), the sites below
/// k, the opgave monitor's counts as `monitor` hides them
/// ([`super::balance::suppress_opgave`], given the `opgave` targets the report was built
/// from), and a note that says so. The report's table (`report_wijken.csv`) is the areas
/// table and goes through [`suppress_analyse_tables`].
pub fn suppress_report(
    data: &mut ReportData,
    k: u32,
    small_sites: &Hidden,
    opgave: Option<&[crate::monitor::TargetOutcome]>,
) {
    data.suppressed_below = Some(k);
    let hides = |units: f64, code: &str| small_sites.hides("care_units", code, units, k);
    // A fair share is computed from the study's total: with one area's care units hidden,
    // every area's ratio would give the total back (as in the areas layer).
    let any_hidden = data
        .areas
        .iter()
        .any(|a| hides(a.state.care_units.unwrap_or(0.0), &a.code));
    for a in &mut data.areas {
        if any_hidden {
            a.state.fair_share_ratio = None;
        }
        if hides(a.state.care_units.unwrap_or(0.0), &a.code) {
            a.state.care_units = None;
            a.state.care_units_per_1000 = None;
            a.state.fair_share_ratio = None;
            // DL7 is the care units per 1,000 inhabitants (value · inhabitants / 1000 gives
            // them back), as in the areas layer.
            for i in a
                .indicators
                .iter_mut()
                .filter(|i| i.id.eq_ignore_ascii_case("DL7"))
            {
                i.value = None;
                i.z = None;
            }
        }
        a.sites.retain(|s| s.units >= f64::from(k));
    }
    // DL7's municipal mean is the gemeente's care units per 1,000 (`summary.json` hides it so).
    if any_hidden {
        for i in data
            .indicators
            .iter_mut()
            .filter(|i| i.id.eq_ignore_ascii_case("DL7"))
        {
            i.mean = None;
        }
    }
    if let Some(results) = opgave {
        super::balance::suppress_opgave(data, results, k, small_sites);
    }
    data.notes.push(format!(
        "Publieksversie: aantallen zorgeenheden onder {k} zijn weggelaten, met de cijfers die \
         er direct uit volgen en de aantallen en totalen die ze bevatten."
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_and_their_rates_are_suppressed() {
        let mut t = Table {
            columns: vec![
                "code".into(),
                "care_units".into(),
                "care_units_per_1000".into(),
            ],
            rows: vec![
                vec!["A".into(), 3.into(), serde_json::json!(0.5)],
                vec!["B".into(), 0.into(), serde_json::json!(0.0)],
                vec!["C".into(), 12.into(), serde_json::json!(2.5)],
            ],
        };
        assert_eq!(
            suppress_small(&mut t, "care_units", &["care_units_per_1000"], 5),
            1
        );
        assert_eq!(t.rows[0][1], Value::Null);
        assert_eq!(t.rows[0][2], Value::Null);
        assert_eq!(t.rows[1][1], Value::from(0));
        assert_eq!(t.rows[2][1], Value::from(12));
        assert_eq!(suppress_small(&mut t, "no_such_column", &[], 5), 0);
    }

    #[test]
    fn small_means_from_one_to_k_minus_one() {
        assert!(!is_small(0.0, 5));
        assert!(is_small(0.5, 5) && is_small(4.0, 5));
        assert!(!is_small(5.0, 5));
    }
}
