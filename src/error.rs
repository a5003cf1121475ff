//! The error of a bad input: what is wrong, where exactly (file, layer, feature, field), and
//! what to do. `io` raises it while reading; `config`, `monitor` and the commands raise it for
//! files they are handed.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with an input file. Its message names the file, and where known the layer, the
/// feature (`object 3`: its 0-based index in the layer; in a CSV `rij 4 onder de kopregel`, the
/// row as a spreadsheet shows it below the header) and the field, then the problem and the
/// fix.
///
/// Boxed, so that `Result<_, InputError>` stays small on the happy path.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError(Box<Detail>);

/// The parts of an [`InputError`].
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// The file.
    pub path: PathBuf,
    /// The layer, when the problem is inside one.
    pub layer: Option<String>,
    /// The feature index, when the problem is in one feature.
    pub feature: Option<usize>,
    /// The field, when the problem is in one field.
    pub field: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What the user can do about it.
    pub fix: String,
}

impl InputError {
    /// A problem with the file as a whole.
    pub fn file(path: &Path, problem: impl Into<String>, fix: impl Into<String>) -> Self {
        Self(Box::new(Detail {
            path: path.to_path_buf(),
            layer: None,
            feature: None,
            field: None,
            problem: problem.into(),
            fix: fix.into(),
        }))
    }

    /// Set the layer.
    pub fn in_layer(mut self, layer: &str) -> Self {
        self.0.layer = Some(layer.to_string());
        self
    }

    /// Set the feature index.
    pub fn at_feature(mut self, index: usize) -> Self {
        self.0.feature = Some(index);
        self
    }

    /// Set the field.
    pub fn in_field(mut self, field: &str) -> Self {
        self.0.field = Some(field.to_string());
        self
    }
}

impl std::ops::Deref for InputError {
    type Target = Detail;

    fn deref(&self) -> &Detail {
        &self.0
    }
}

/// How a message names feature `index` of a layer in file `path`: `object 3`, its 0-based
/// index as GDAL and QGIS count it; in a CSV, which is read in a spreadsheet by its rows,
/// `rij 4 onder de kopregel`.
///
/// Example: `feature_place(Path::new("woningen.csv"), 10)` = "rij 11 onder de kopregel";
/// `feature_place(Path::new("woningen.gpkg"), 10)` = "object 10".
pub fn feature_place(path: &Path, index: usize) -> String {
    let csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if csv {
        format!("rij {} onder de kopregel", index + 1)
    } else {
        format!("object {index}")
    }
}

/// A name from the user's files (a path, a layer or field name) on one line: control
/// characters, the line break included, written as `\u{…}`, so a name cannot begin a line of
/// its own that looks like another message.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", one_line(&self.path.display().to_string()))?;
        if let Some(l) = &self.layer {
            write!(f, ", laag '{}'", one_line(l))?;
        }
        if let Some(i) = self.feature {
            write!(f, ", {}", feature_place(&self.path, i))?;
        }
        if let Some(c) = &self.field {
            write!(f, ", veld '{}'", one_line(c))?;
        }
        write!(f, ": {}", self.problem)?;
        if !self.fix.is_empty() {
            write!(f, "; {}", self.fix)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// A number for a message: as written up to 10¹⁵, in scientific notation beyond (`1e308`, not
/// 309 digits).
pub fn shown(v: f64) -> String {
    if v.abs() < 1e15 {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Text another program gives (GDAL, PROJ through GDAL, geo, the operating system, a parser),
/// quoted as it gives it, in English, after who says it: `{who} meldt: "{text}"`. Every message
/// quotes foreign text this way, so a reader sees which words are wijkbalans's own.
///
/// Example: `quoted("geo", "exterior ring is not closed")` = `geo meldt: "exterior ring is not
/// closed"`.
pub fn quoted(who: &str, text: impl fmt::Display) -> String {
    format!("{who} meldt: \"{text}\"")
}

/// An error of GDAL (or of PROJ, which GDAL passes on) quoted: `GDAL meldt: "…"` ([`quoted`]).
///
/// Example: `gdal_says("Unable to open EPSG support file gcs.csv")` = `GDAL meldt: "Unable to
/// open EPSG support file gcs.csv"`.
pub fn gdal_says(e: impl fmt::Display) -> String {
    quoted("GDAL", e)
}

/// An error of the operating system quoted: `het systeem meldt: "…"` ([`quoted`]).
///
/// Example: for a missing file `het systeem meldt: "No such file or directory (os error 2)"`.
pub fn system_says(e: impl fmt::Display) -> String {
    quoted("het systeem", e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_every_location_part_and_the_fix() {
        let e = InputError::file(
            Path::new("sites.gpkg"),
            "units is 0",
            "units moet groter zijn dan 0",
        )
        .in_layer("sites")
        .at_feature(17)
        .in_field("units");
        assert_eq!(
            e.to_string(),
            "sites.gpkg, laag 'sites', object 17, veld 'units': units is 0; units moet groter zijn dan 0"
        );
        // In a CSV the feature is the row below the header, counted from 1.
        let e = InputError::file(Path::new("zorg.CSV"), "p", "f").at_feature(0);
        assert_eq!(e.to_string(), "zorg.CSV, rij 1 onder de kopregel: p; f");
        let e = InputError::file(Path::new("a\nb.gpkg"), "p", "f").in_layer("w\u{1b}[2K");
        assert_eq!(e.to_string(), "a\\u{a}b.gpkg, laag 'w\\u{1b}[2K': p; f");
    }

    #[test]
    fn foreign_text_is_quoted_after_who_says_it() {
        assert_eq!(
            gdal_says("Unable to open EPSG support file gcs.csv"),
            "GDAL meldt: \"Unable to open EPSG support file gcs.csv\""
        );
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            system_says(&missing),
            format!("het systeem meldt: \"{missing}\"")
        );
        assert_eq!(
            quoted("geo", "exterior ring is not closed"),
            "geo meldt: \"exterior ring is not closed\""
        );
    }
}
