//! Small counts hidden for a public audience, as CBS does: a count of care units from 1 to
//! k − 1 becomes empty (null), with what is derived from it (a rate, a ratio, a gap reveals the
//! count it is computed from). Zero stays: it discloses nobody.

use serde::Serialize;
use serde_json::Value;

use crate::model::Area;
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
fn null_rows<S: AsRef<str>>(
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
/// include them: the area's total minus its other sites would give them back.
///
/// Example: a planned site of 3 units in Ittersum hides Ittersum's `care_units_planned`, and
/// with it the study's total of planned units.
pub fn suppress_analyse_tables(areas: &mut Table, sites: Option<&mut Table>, k: u32) -> Hidden {
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
    if let Some(sites) = sites {
        let col = |name: &str| sites.columns.iter().position(|c| c == name);
        if let (Some(units), Some(area), Some(status), Some(counted), Some(group)) = (
            col("wb_units"),
            col("area_code"),
            col("wb_status"),
            col("wb_counted"),
            col("wb_target_group"),
        ) {
            for row in &sites.rows {
                if !is_small(row[units].as_f64().unwrap_or(0.0), k) {
                    continue;
                }
                let Some(code) = row[area].as_str() else {
                    continue;
                };
                let mut columns = Vec::new();
                if row[counted].as_bool() == Some(true) {
                    columns.push("care_units".to_string());
                    if let Some(g) = row[group].as_str() {
                        columns.push(format!("care_units_{g}"));
                    }
                }
                if row[status].as_str() == Some("planned") {
                    columns.push("care_units_planned".to_string());
                }
                // The area's count includes the site's units (0 would disclose nothing).
                for column in columns {
                    let rows = null_rows(areas, &column, &derived_of(&column), |count, row| {
                        count > 0.0 && code_column.is_some_and(|i| row[i].as_str() == Some(code))
                    });
                    if !rows.is_empty() {
                        hidden
                            .cells
                            .entry(column)
                            .or_default()
                            .insert(code.to_string());
                    }
                }
            }
        }
        suppress_small(sites, "wb_units", &["units"], k);
    }
    for column in groups
        .iter()
        .map(|g| format!("care_units_{g}"))
        .chain(["care_units".to_string(), "care_units_planned".to_string()])
    {
        let rows = null_rows(areas, &column, &derived_of(&column), |count, _| {
            is_small(count, k)
        });
        let codes: Vec<String> = rows
            .iter()
            .filter_map(|&i| code_column.and_then(|c| areas.rows[i][c].as_str()))
            .map(str::to_string)
            .collect();
        if !codes.is_empty() {
            hidden.cells.entry(column).or_default().extend(codes);
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

/// The report's table of the areas (`report_wijken.csv`): the care units with their rate,
/// DL7 and fair share.
pub fn suppress_report_table(table: &mut Table, k: u32) {
    suppress_small(
        table,
        "care_units",
        &[
            "care_units_per_1000",
            "dl7_value",
            "dl7_z",
            "fair_share_ratio",
            "fair_share_gap",
        ],
        k,
    );
}

/// The report itself: every area's care units with their rate and fair-share ratio, the sites
/// below k, the opgave monitor's counts ([`super::balance::suppress_opgave`]), and a note that
/// says so.
pub fn suppress_report(data: &mut ReportData, k: u32) {
    for a in &mut data.areas {
        if a.state.care_units.is_some_and(|u| is_small(u, k)) {
            a.state.care_units = None;
            a.state.care_units_per_1000 = None;
            a.state.fair_share_ratio = None;
        }
        a.sites.retain(|s| s.units >= f64::from(k));
    }
    super::balance::suppress_opgave(data, k);
    data.notes.push(format!(
        "Publieksversie: aantallen zorgeenheden onder {k} zijn weggelaten."
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
