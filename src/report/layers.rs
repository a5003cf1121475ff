//! The layers `wijkbalans analyse` writes next to the areas and sites: the LISA layer (a subset
//! of the areas table) and one layer per user level (the union of its areas' polygons with
//! totals); and the class breaks of a graduated map style.

use geo::BooleanOps;
use serde_json::Value;

use crate::pipeline::{Loaded, Outcome};
use crate::table::{number, opt_number, Table};

/// Columns of the `lisa` layer, in this order, as far as the areas table has them.
pub const LISA_COLUMNS: &[&str] = &[
    "code",
    "name",
    "care_units_per_1000",
    "local_moran_i",
    "lisa_quadrant",
    "lisa_p",
    "lisa_label",
    "gi_star",
    "gi_star_z",
    "gi_star_p",
    "gi_star_p_norm",
    "saldo",
    "saldo_local_moran_i",
    "saldo_lisa_label",
];

/// The `lisa` layer: the [`LISA_COLUMNS`] of the areas table, or `None` when it has no LISA
/// labels (no care units, or the lisa metrics not requested).
pub fn lisa_table(areas: &Table) -> Option<Table> {
    let idx: Vec<usize> = LISA_COLUMNS
        .iter()
        .filter_map(|c| areas.columns.iter().position(|x| x == c))
        .collect();
    if !idx.iter().any(|i| areas.columns[*i] == "lisa_label") {
        return None;
    }
    Some(Table {
        columns: idx.iter().map(|i| areas.columns[*i].clone()).collect(),
        rows: areas
            .rows
            .iter()
            .map(|r| idx.iter().map(|i| r[*i].clone()).collect())
            .collect(),
    })
}

/// The layer of one user level (e.g. gebieden).
#[derive(Debug, Clone)]
pub struct LevelLayer {
    /// The level's name (the layer's name).
    pub level: String,
    /// Per level code, sorted: the code, the number of areas, their inhabitants and, with
    /// sites, their care units and care units per 1,000 inhabitants.
    pub table: Table,
    /// Per row the union of its areas' polygons.
    pub geometries: Vec<geo::Geometry<f64>>,
}

/// One layer per user level, in the order of the levels.
pub fn level_layers(loaded: &Loaded, out: &Outcome) -> Vec<LevelLayer> {
    let areas = &loaded.areas;
    loaded
        .levels
        .iter()
        .map(|level| {
            let mut codes: Vec<String> = areas
                .iter()
                .filter_map(|a| a.parents.get(level).cloned())
                .collect();
            codes.sort();
            codes.dedup();
            let mut rows = Vec::new();
            let mut geometries = Vec::new();
            for code in &codes {
                let members: Vec<usize> = (0..areas.len())
                    .filter(|i| areas[*i].parents.get(level) == Some(code))
                    .collect();
                let pop: f64 = members
                    .iter()
                    .map(|i| areas[*i].value("population").unwrap_or(0.0))
                    .sum();
                let units: Option<f64> = out
                    .care
                    .as_ref()
                    .map(|c| members.iter().map(|i| c.units[*i]).sum());
                let mut union = geo::MultiPolygon::<f64>(vec![]);
                for i in &members {
                    union = union.union(&areas[*i].geometry);
                }
                let mut row = vec![
                    Value::from(code.clone()),
                    Value::from(members.len()),
                    number(pop),
                ];
                if let Some(u) = units {
                    row.push(number(u));
                    row.push(opt_number((pop > 0.0).then(|| 1000.0 * u / pop)));
                }
                rows.push(row);
                geometries.push(geo::Geometry::MultiPolygon(union));
            }
            let mut columns: Vec<String> = ["code", "areas", "population"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            if out.care.is_some() {
                columns.extend(["care_units", "care_units_per_1000"].map(String::from));
            }
            LevelLayer {
                level: level.clone(),
                table: Table { columns, rows },
                geometries,
            }
        })
        .collect()
}

/// Quartile breaks of a numeric column, for a graduated style (None when the column is absent
/// or has fewer than 4 values).
pub fn rate_breaks(table: &Table, column: &str) -> Option<Vec<f64>> {
    let c = table.columns.iter().position(|x| x == column)?;
    let mut v: Vec<f64> = table.rows.iter().filter_map(|r| r[c].as_f64()).collect();
    if v.len() < 4 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| crate::indicators::balance::quantile(&v, p);
    Some(vec![q(0.25), q(0.5), q(0.75)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(columns: &[&str], rows: Vec<Vec<Value>>) -> Table {
        Table::new(columns, rows)
    }

    #[test]
    fn the_lisa_layer_keeps_its_columns_in_order_and_needs_labels() {
        let areas = table(
            &["saldo", "code", "population", "lisa_label"],
            vec![vec![1.into(), "A".into(), 10.into(), "HH".into()]],
        );
        let lisa = lisa_table(&areas).unwrap();
        assert_eq!(lisa.columns, ["code", "lisa_label", "saldo"]);
        assert_eq!(lisa.rows[0], [Value::from("A"), "HH".into(), 1.into()]);
        let without = table(&["code", "saldo"], vec![vec!["A".into(), 1.into()]]);
        assert!(lisa_table(&without).is_none());
    }

    #[test]
    fn rate_breaks_are_the_quartiles_of_four_or_more_values() {
        let rows = |n: usize| (1..=n).map(|i| vec![Value::from(i as f64)]).collect();
        let b = rate_breaks(&table(&["r"], rows(5)), "r").unwrap();
        assert_eq!(b, [2.0, 3.0, 4.0]);
        assert!(rate_breaks(&table(&["r"], rows(3)), "r").is_none());
        assert!(rate_breaks(&table(&["r"], rows(5)), "other").is_none());
    }
}
