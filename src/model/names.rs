//! Names compared for a "did you mean" in a message: a column, a target group.

/// The name among `names` closest to `wanted`, compared without case: the highest normalised
/// Levenshtein similarity, counted as at least 0.75 when one contains the other, if it is at
/// least `min`; the first of equals. Columns ask for 0.5 (`io::schema::closest`); an unknown
/// target group asks for 0.8, one edit in five ([`crate::model::unknown_group`]).
///
/// Example: `closest_above("beschermdwonen", &["beschermd_wonen", "jongeren"], 0.8)` =
/// `Some("beschermd_wonen")`; `closest_above("senioren", &["jongeren"], 0.8)` = `None`.
pub fn closest_above<'n, S: AsRef<str>>(wanted: &str, names: &'n [S], min: f64) -> Option<&'n str> {
    let w = wanted.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for f in names {
        let f = f.as_ref();
        let l = f.to_ascii_lowercase();
        let mut score = strsim::normalized_levenshtein(&w, &l);
        if l.contains(&w) || w.contains(&l) {
            score = score.max(0.75);
        }
        if score >= min && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, f));
        }
    }
    best.map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_name_above_a_bound() {
        let groups = ["beschermd_wonen", "beschermd_thuis", "jongeren"];
        assert_eq!(
            closest_above("Beschermdwonen", &groups, 0.8),
            Some("beschermd_wonen")
        );
        assert_eq!(closest_above("senioren", &groups, 0.8), None);
        // Columns take less: a substring counts as 0.75.
        assert_eq!(
            closest_above("wonen", &groups, 0.5),
            Some("beschermd_wonen")
        );
        assert_eq!(closest_above("wonen", &groups, 0.8), None);
    }
}
