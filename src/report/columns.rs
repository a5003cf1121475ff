//! A table defined as one list of columns: each column is its name and how its value is taken
//! from a row, so the names and the values of a [`Table`] cannot drift apart.
//!
//! ```
//! use serde_json::Value;
//! use wijkbalans::report::columns::Columns;
//!
//! let people = [("Ans", 71.0), ("Bram", 34.0)];
//! let with_age = true;
//! let mut columns: Columns<'_, (&str, f64)> = Columns::new();
//! columns.push("name", |p| Value::from(p.0));
//! if with_age {
//!     // a column present only with some inputs
//!     columns.push("age", |p| Value::from(p.1));
//! }
//! let table = columns.table(people);
//! assert_eq!(table.columns, ["name", "age"]);
//! assert_eq!(table.rows[1], [Value::from("Bram"), Value::from(34.0)]);
//! ```

use serde_json::Value;

use crate::table::Table;

/// How a column takes its value from a row of type `R`.
type ValueOf<'a, R> = Box<dyn Fn(&R) -> Value + 'a>;

/// The columns of a table over rows of type `R` (an area index, a prepared row record …), in
/// output order: pairs of a name and how the value is taken from a row. A column that exists
/// only with some inputs is pushed only then.
pub struct Columns<'a, R>(Vec<(String, ValueOf<'a, R>)>);

impl<R> Default for Columns<'_, R> {
    fn default() -> Self {
        Columns(Vec::new())
    }
}

impl<'a, R> Columns<'a, R> {
    /// No columns yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the column `name` after the others; `value` gives its value in a row.
    pub fn push(&mut self, name: impl Into<String>, value: impl Fn(&R) -> Value + 'a) {
        self.0.push((name.into(), Box::new(value)));
    }

    /// Adds every column of `other` after these, in its order.
    pub fn append(&mut self, other: Self) {
        self.0.extend(other.0);
    }

    /// The column names so far, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }

    /// Number of columns so far.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no columns.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The table of `rows`: one row per item, in order, with every column's value.
    pub fn table(&self, rows: impl IntoIterator<Item = R>) -> Table {
        let rows = rows
            .into_iter()
            .map(|row| self.0.iter().map(|(_, value)| value(&row)).collect())
            .collect();
        Table {
            columns: self.0.iter().map(|(name, _)| name.clone()).collect(),
            rows,
        }
    }
}
