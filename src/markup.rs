//! Escaping text for the markup wijkbalans writes: the HTML report and the QGIS styles (QML,
//! an XML dialect). Both escape the same four characters; each adds its own apostrophe, and
//! QML attribute values keep line breaks and tabs as character references. Markdown text
//! (`report.md`) gets its own escaping ([`markdown`]).

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

/// `s` as literal Markdown text on one line, safe in a heading and in a table cell: a line
/// break, a tab or another control character becomes a space (a newline in an area name ended
/// the table row and began a line of its own); the characters that start a construct inside a
/// CommonMark line or split a GFM table cell (`` \ ` * [ ] | ~ ``, `_` where it is not inside a
/// word, `<` before a letter, `/`, `!` or `?`, `&` before a letter, digit or `#`) are escaped
/// with a backslash, so `[x](http://…)`, `<b>` and `&amp;` stay text and `|` does not split a
/// cell; and `>` only where it begins the text (a quote in a list item).
/// `(`, `)`, `!` and `#` need no escape once `[` and `]` are escaped and no cell or heading
/// begins with the text. A backslash rather than an entity (`&gt;`), so that the file also
/// reads as plain text: "oppervlak > 5 %".
///
/// Example: `"Zuid | [klik](http://x)\nA"` → `"Zuid \| \[klik\](http://x) A"`.
pub(crate) fn markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let next_is = |i: usize, f: fn(char) -> bool| chars.get(i + 1).is_some_and(|&c| f(c));
    for (i, &c) in chars.iter().enumerate() {
        let in_word = |k: Option<usize>| {
            k.and_then(|k| chars.get(k))
                .is_some_and(|c| c.is_alphanumeric())
        };
        match c {
            '_' if in_word(i.checked_sub(1)) && in_word(Some(i + 1)) => out.push('_'),
            '>' if i > 0 => out.push('>'),
            // `<` opens HTML or an autolink only before a letter, `/`, `!` or `?`; `&` an
            // entity only before a letter, digit or `#`: elsewhere they stay as written.
            '<' if !next_is(i, |c| c.is_ascii_alphabetic() || "/!?".contains(c)) => out.push('<'),
            '&' if !next_is(i, |c| c.is_ascii_alphanumeric() || c == '#') => out.push('&'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '<' | '&' | '>' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
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

    #[test]
    fn markdown_text_stays_text_on_one_line() {
        assert_eq!(
            markdown("Zuid | [klik](http://x)\nA"),
            "Zuid \\| \\[klik\\](http://x) A"
        );
        assert_eq!(
            markdown("<b>a_b</b> _c_ *d*"),
            "\\<b>a_b\\</b> \\_c\\_ \\*d\\*"
        );
        assert_eq!(
            markdown("oppervlak > 5 % & meer; −1,0 < saldo; &amp; <3"),
            "oppervlak > 5 % & meer; −1,0 < saldo; \\&amp; <3"
        );
        assert_eq!(markdown("> quote"), "\\> quote");
        assert_eq!(markdown("Diezerpoort – één"), "Diezerpoort – één");
    }
}
