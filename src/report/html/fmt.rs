//! Numbers and text for the page: decimal comma in Dutch, point in English, a real minus sign,
//! HTML escaping and anchors; and the frame every table of the page shares.

use std::fmt::Write as _;

use super::Lang;

/// Shown for a missing or undefined value.
pub(super) const MISSING: &str = "—";

/// `v` with `decimals` decimals: `1,23` (nl) or `1.23` (en), `−` for negatives, thousands
/// grouped (`1.234` / `1,234`). A value that rounds to zero has
/// no sign. Non-finite values are [`MISSING`].
pub(super) fn num(v: f64, decimals: usize, lang: Lang) -> String {
    match lang {
        Lang::Nl => crate::format::marked(v, decimals, Some('.'), ',', '−', MISSING),
        Lang::En => crate::format::marked(v, decimals, Some(','), '.', '−', MISSING),
    }
}

/// [`num`] of an optional value.
pub(super) fn opt(v: Option<f64>, decimals: usize, lang: Lang) -> String {
    v.map_or_else(|| MISSING.into(), |v| num(v, decimals, lang))
}

/// A change: `+0,12`, `−0,12` or `0,00`.
pub(super) fn signed(v: f64, decimals: usize, lang: Lang) -> String {
    let s = num(v, decimals, lang);
    if v > 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("+{s}")
    } else {
        s
    }
}

/// Decimals for a raw value of this magnitude: 0 from 100 on, 1 from 10, else 2.
pub(super) fn decimals_for(v: f64) -> usize {
    let a = v.abs();
    if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    }
}

/// A study metric: 3 decimals below 1, 2 below 100, else 0 (the report's HTML and Markdown
/// alike: 0,234 and 8,95).
pub(crate) fn metric(v: f64, lang: Lang) -> String {
    let a = v.abs();
    let d = if a < 1.0 {
        3
    } else if a < 100.0 {
        2
    } else {
        0
    };
    num(v, d, lang)
}

/// A count (inhabitants, units): no decimals when whole, else one.
pub(super) fn count(v: f64, lang: Lang) -> String {
    if v.fract() == 0.0 {
        num(v, 0, lang)
    } else {
        num(v, 1, lang)
    }
}

/// HTML text and attribute escaping.
pub(super) use crate::markup::html as esc;

/// The `id` of an area's section: the code, with every character other than ASCII letters,
/// digits, `-`, `_` and `.` replaced by `_` (CBS codes such as `WK019301` are unchanged), so the
/// same text works as `id` and as `href="#…"`.
pub(super) fn anchor(code: &str) -> String {
    let a: String = code
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if a.is_empty() {
        "_".into()
    } else {
        a
    }
}

/// The header cell of a text column: `<th>html</th>` (`html` is already escaped).
pub(super) fn th_text(html: &str) -> String {
    format!("<th>{html}</th>")
}

/// The header cell of a number column (right-aligned): `<th class="num">html</th>`.
pub(super) fn th_num(html: &str) -> String {
    format!("<th class=\"num\">{html}</th>")
}

/// Opens a table: `<table class="CLASS">`, the header row of `heads` ([`th_text`], [`th_num`]; none
/// for a key–value table, `&[]`) and `<tbody>`, each on its own line. [`table_end`] closes it.
///
/// `table_start(o, "sites", &[th_text("Naam"), th_num("Plaatsen")])` writes
/// `<table class="sites">\n<thead><tr><th>Naam</th><th class="num">Plaatsen</th></tr></thead>\n<tbody>\n`.
pub(super) fn table_start(o: &mut String, class: &str, heads: &[String]) {
    let _ = writeln!(o, "<table class=\"{class}\">");
    if !heads.is_empty() {
        let _ = writeln!(o, "<thead><tr>{}</tr></thead>", heads.concat());
    }
    o.push_str("<tbody>\n");
}

/// Closes a table opened by [`table_start`].
pub(super) fn table_end(o: &mut String) {
    o.push_str("</tbody>\n</table>\n");
}

/// What stands instead of an empty table or list: `<p class="empty">text</p>` (escaped).
pub(super) fn empty(o: &mut String, text: &str) {
    let _ = writeln!(o, "<p class=\"empty\">{}</p>", esc(text));
}

/// An SVG coordinate with one decimal.
pub(super) fn coord(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" {
        "0.0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_numbers() {
        assert_eq!(num(1.234, 2, Lang::Nl), "1,23");
        assert_eq!(num(1.234, 2, Lang::En), "1.23");
        assert_eq!(num(-0.5, 1, Lang::Nl), "−0,5");
        assert_eq!(num(-0.004, 2, Lang::Nl), "0,00");
        assert_eq!(num(12345.6, 0, Lang::Nl), "12.346");
        assert_eq!(num(12345.6, 0, Lang::En), "12,346");
        assert_eq!(num(1234.0, 0, Lang::Nl), "1.234");
        assert_eq!(num(999.5, 1, Lang::Nl), "999,5");
        assert_eq!(num(-1234567.0, 1, Lang::Nl), "−1.234.567,0");
        assert_eq!(num(f64::NAN, 2, Lang::Nl), MISSING);
        assert_eq!(signed(0.1, 2, Lang::Nl), "+0,10");
        assert_eq!(signed(-0.1, 2, Lang::En), "−0.10");
        assert_eq!(signed(0.001, 2, Lang::En), "0.00");
        assert_eq!(num(45.67, decimals_for(45.67), Lang::Nl), "45,7");
        assert_eq!(num(345.6, decimals_for(345.6), Lang::Nl), "346");
        assert_eq!(metric(0.12345, Lang::Nl), "0,123");
        assert_eq!(count(12.0, Lang::Nl), "12");
        assert_eq!(count(2.5, Lang::Nl), "2,5");
    }

    #[test]
    fn escaping_and_anchors() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(anchor("WK019301"), "WK019301");
        assert_eq!(anchor("wijk 1/\"x\""), "wijk_1__x_");
        assert_eq!(coord(-0.01), "0.0");
        assert_eq!(coord(12.345), "12.3");
    }
}
