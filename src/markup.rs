//! Escaping text for the markup wijkbalans writes: the HTML report and the QGIS styles (QML,
//! an XML dialect). Both escape the same four characters; each adds its own apostrophe, and
//! QML attribute values keep line breaks and tabs as character references.

/// The characters every markup escapes here, with their entities.
const MARKUP: [(char, &str); 4] = [
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('"', "&quot;"),
];

/// `s` for HTML text and attribute values: `& < > "` and the apostrophe as `&#39;`.
pub(crate) fn html(s: &str) -> String {
    escape(s, &[('\'', "&#39;")])
}

/// `s` for an XML attribute value: `& < > "`, the apostrophe as `&apos;`, and newline, tab and
/// carriage return as character references (an XML parser would turn them into spaces).
pub(crate) fn xml_attribute(s: &str) -> String {
    escape(
        s,
        &[
            ('\'', "&apos;"),
            ('\n', "&#10;"),
            ('\t', "&#9;"),
            ('\r', "&#13;"),
        ],
    )
}

/// `s` with every character of [`MARKUP`] and of `own` replaced by its entity.
fn escape(s: &str, own: &[(char, &str)]) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match MARKUP.iter().chain(own).find(|(k, _)| *k == c) {
            Some((_, entity)) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_and_xml_differ_in_the_apostrophe_and_whitespace() {
        assert_eq!(html("a<b>&\"'\n"), "a&lt;b&gt;&amp;&quot;&#39;\n");
        assert_eq!(
            xml_attribute("a<b>&\"'\n\t\r"),
            "a&lt;b&gt;&amp;&quot;&apos;&#10;&#9;&#13;"
        );
        assert_eq!(html("Diezerpoort – één"), "Diezerpoort – één");
    }
}
