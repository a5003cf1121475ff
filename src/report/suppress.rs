//! Small counts hidden for a public audience, as CBS does: a count of care units from 1 to
//! k − 1 becomes empty (null), with what is derived from it (a rate, a ratio, a gap reveals the
//! count it is computed from). Zero stays: it discloses nobody.

use serde::Serialize;
use serde_json::Value;

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
    let Some(c) = table.columns.iter().position(|x| x == count_column) else {
        return 0;
    };
    let others: Vec<usize> = derived
        .iter()
        .filter_map(|d| table.columns.iter().position(|x| x == d))
        .collect();
    let mut n = 0;
    for row in &mut table.rows {
        if is_small(row[c].as_f64().unwrap_or(0.0), k) {
            row[c] = Value::Null;
            for o in &others {
                row[*o] = Value::Null;
            }
            n += 1;
        }
    }
    n
}

/// The `analyse` layers: in the areas table the care units (all, per group and planned) with
/// their rates, fair-share ratios and gaps, DL7 and the regular units; in the sites table the
/// units of a site.
pub fn suppress_analyse_tables(areas: &mut Table, sites: Option<&mut Table>, k: u32) {
    let groups: Vec<String> = areas
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix("care_units_").map(str::to_string))
        .filter(|g| !["planned", "per_1000"].contains(&g.as_str()))
        .collect();
    for g in &groups {
        let ratio = format!("fair_share_ratio_{g}");
        let gap = format!("fair_share_gap_{g}");
        suppress_small(areas, &format!("care_units_{g}"), &[&ratio, &gap], k);
    }
    suppress_small(
        areas,
        "care_units",
        &[
            "care_units_per_1000",
            "dl7_value",
            "fair_share_ratio",
            "fair_share_gap",
            "regular_units",
        ],
        k,
    );
    suppress_small(areas, "care_units_planned", &[], k);
    if let Some(sites) = sites {
        suppress_small(sites, "wb_units", &["units"], k);
    }
}

/// A level layer (its care units and their rate).
pub fn suppress_level_table(table: &mut Table, k: u32) {
    suppress_small(table, "care_units", &["care_units_per_1000"], k);
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
