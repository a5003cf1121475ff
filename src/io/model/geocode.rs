//! Sites and facilities given as addresses: a layer without geometry (a CSV without x/y, a
//! GeoPackage table) whose address columns are looked up in the BAG (docs/METHOD.md §6.1,
//! "Files of addresses").
//!
//! The address columns, matched without case like the CBS columns (first form found wins):
//! 1. postcode + huisnummer (+ huisletter, toevoeging): the concepts `postcode`,
//!    `number`, `letter`, `addition` of [`crate::model::address::ADDRESS_COLUMNS`]; a
//!    `street` column beside them must name the postcode's street (and a `place` column
//!    narrows the street's addresses named when it does not);
//! 2. one free-text column (`adres`, `address`): read by [`crate::model::address::parse`];
//! 3. street + huisnummer (+ woonplaats, huisletter, toevoeging).
//!
//! Nothing is guessed: a row with no address, one that is not in the BAG, or one that matches
//! addresses at different points is unmatched. A file with unmatched rows is refused with every
//! unmatched row listed ([`geocode`]), unless the run was asked to continue without them.

use crate::error::InputError;
use crate::io::read::{Attr, Bag, RawLayer};
#[cfg(doc)]
use crate::model::address::Beside;
use crate::model::address::{
    from_parts, normalise, number_and_suffix_fields, parse, AddressColumns,
};
use crate::model::address::{Geocoded, Key, Lookup, Query};

use super::text;

/// What a row gave (its cells joined by spaces, for messages) and the query read from it.
fn row_query(columns: &AddressColumns, attrs: &[Attr]) -> (String, Result<Query, String>) {
    let cell = |i: usize| text(&attrs[i]).unwrap_or_default();
    let opt = |i: Option<usize>| i.map(cell).unwrap_or_default();
    match *columns {
        AddressColumns::Free(i) => {
            let given = cell(i);
            let q = parse(&given);
            (given, q)
        }
        AddressColumns::Postcode {
            postcode,
            number,
            letter,
            addition,
            beside,
        } => {
            let parts = [cell(postcode), cell(number), opt(letter), opt(addition)];
            let (street, p) = (opt(beside.street), normalise(&opt(beside.place)));
            let mut given = joined(&parts);
            if given.is_empty() {
                return (given, Err("de adrescellen zijn leeg".into()));
            }
            // A street beside the postcode is checked against it (docs/METHOD.md §6.1).
            if !normalise(&street).is_empty() {
                given = format!("{}, {given}", street.trim());
            }
            let q = from_parts(&parts[0], &parts[1], &parts[2], &parts[3]).and_then(|q| {
                let (s, suffix) = beside_street(&street, q.number, &q.suffix)?;
                Ok(Query {
                    beside: (!s.is_empty()).then(|| (s, (!p.is_empty()).then_some(p))),
                    suffix,
                    ..q
                })
            });
            (given, q)
        }
        AddressColumns::Street {
            street,
            number,
            place,
            letter,
            addition,
        } => {
            let (s, n, l, a, p) = (
                cell(street),
                cell(number),
                opt(letter),
                opt(addition),
                opt(place),
            );
            let mut given = joined(&[s.clone(), n.clone(), l.clone(), a.clone()]);
            if !p.is_empty() {
                given = format!("{given}, {p}");
            }
            (given, street_query(&s, &n, &l, &a, &p))
        }
    }
}

/// The street a street cell beside the postcode columns names, [`normalise`]d, and the
/// huisletter and toevoeging of the row: the cell as it is, or, when it holds a whole address
/// line as spreadsheets often do (`Barentszplein 1-H`), the street before its huisnummer. That
/// huisnummer must then be the row's `number`; its huisletter or toevoeging, when it gives
/// one, must be the row's `suffix` or completes a row that gives none (the line is the whole
/// address, the columns may leave the letter out). Anything else contradicts the row and is an
/// error naming both.
///
/// Example: `beside_street("Barentszplein 1-H", 1, "H")` = `Ok(("barentszplein", "H"))`;
/// `beside_street("Barentszstraat 234B", 234, "")` = `Ok(("barentszstraat", "B"))`;
/// `beside_street("Barentsz-plein", 1, "")` = `Ok(("barentsz plein", ""))`;
/// `beside_street("Barentszplein 3", 1, "")` and `beside_street("Barentszstraat 234B", 234,
/// "A")` are errors naming both.
fn beside_street(cell: &str, number: u32, suffix: &str) -> Result<(String, String), String> {
    match parse(cell) {
        Ok(Query {
            key: Key::Street { street, .. },
            number: n,
            suffix: s,
            ..
        }) => {
            if n != number || (!s.is_empty() && !suffix.is_empty() && s != suffix) {
                let row = if suffix.is_empty() {
                    format!("de kolom huisnummer {number}")
                } else {
                    format!("de kolommen huisnummer, huisletter en toevoeging {number}{suffix}")
                };
                return Err(format!(
                    "de straat '{}' noemt huisnummer {n}{s}, {row}; die spreken elkaar tegen: \
                     schrijf in de straatkolom alleen de straatnaam",
                    cell.trim()
                ));
            }
            let suffix = if suffix.is_empty() {
                s
            } else {
                suffix.to_string()
            };
            Ok((street, suffix))
        }
        _ => Ok((normalise(cell), suffix.to_string())),
    }
}

/// Why the address column beside the postcode columns ([`Beside::address`]) disagrees with the
/// address `found` by postcode and huisnummer, or `None` when it is empty or names the same
/// BAG address: the same object, the point it shares when it gives no huisletter or
/// toevoeging, or a list of addresses of which `found` is one. A typing error in either would
/// otherwise place the site at another, existing address without a word (docs/METHOD.md
/// §6.1).
///
/// Example: `postcode = 1013KW`, `huisnummer = 138`, `adres = "Barentszplein 8D, Amsterdam"`:
/// "postcode en huisnummer geven Realengracht 138, 1013 KW Amsterdam, de kolom adres geeft
/// Barentszplein 8D, 1013 NJ Amsterdam; controleer welke van de twee klopt".
///
fn beside_address(
    columns: &AddressColumns,
    attrs: &[Attr],
    found: &crate::model::address::Match,
    bag: &Bag,
) -> Option<String> {
    let AddressColumns::Postcode { beside, .. } = columns else {
        return None;
    };
    let line = text(&attrs[beside.address?]).unwrap_or_default();
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let given = &found.text;
    let disagree = |what: String| {
        Some(format!(
            "postcode en huisnummer geven {given}, de kolom adres {what}; controleer welke van de \
             twee klopt"
        ))
    };
    let query = match parse(line) {
        Ok(q) => q,
        Err(m) => {
            return disagree(format!(
                "'{line}' is niet te lezen ({})",
                m.strip_prefix(&format!("'{line}'"))
                    .map_or(m.as_str(), |r| r.trim_start_matches(':').trim_start())
            ))
        }
    };
    match bag.index.lookup(&query) {
        Lookup::Found(m)
            if m.entry.id == found.entry.id || (m.shared > 0 && m.entry.xy == found.entry.xy) =>
        {
            None
        }
        Lookup::Found(m) => disagree(format!("geeft {}", m.text)),
        Lookup::Ambiguous(list) if list.contains(given) => None,
        Lookup::Twice(list) => disagree(format!(
            "'{line}' staat {} keer in de BAG, op verschillende punten",
            crate::format::count(list.len())
        )),
        Lookup::Ambiguous(list) => disagree(format!(
            "'{line}' past bij {} andere adressen",
            crate::format::count(list.len())
        )),
        Lookup::NotFound(_) => disagree(format!("'{line}' staat niet in de BAG")),
        Lookup::Mismatch(m) => disagree(format!("'{line}': {}", m.reason())),
    }
}

fn joined(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Street, huisnummer, huisletter, toevoeging and woonplaats cells → a query.
fn street_query(
    street: &str,
    number: &str,
    letter: &str,
    addition: &str,
    place: &str,
) -> Result<Query, String> {
    let street = normalise(street);
    if street.is_empty() {
        return Err("de straat is leeg".into());
    }
    let (n, suffix) = number_and_suffix_fields(number, letter, addition)?;
    let place = normalise(place);
    Ok(Query {
        key: Key::Street {
            street,
            place: (!place.is_empty()).then_some(place),
        },
        number: n,
        suffix,
        beside: None,
    })
}

/// A row that was given an address the BAG does not answer with one point.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unmatched {
    /// The layer's flag (`--sites`, `--facilities`).
    pub layer: String,
    /// The row: 1 for the first row under the header (feature index + 1).
    pub row: usize,
    /// What the row gave, its address cells joined.
    pub given: String,
    /// Why it was not placed.
    pub reason: String,
    /// The closest or competing BAG addresses (at most five, or every one at different
    /// points for an ambiguous row).
    pub suggestions: Vec<String>,
    /// True when the row matched several addresses at different points (the suggestions are
    /// then every one of them).
    pub ambiguous: bool,
}

/// Place every feature of a layer without geometry at its BAG address: its geometry becomes
/// the BAG point and the match is returned per remaining feature (in feature order).
///
/// Unmatched rows (no address, an address that does not parse, not in the BAG, or several
/// addresses at different points): with `keep_going` they are taken out of the layer and
/// returned; without, the error lists every one of them with its row, what it gave and the
/// closest BAG addresses (docs/METHOD.md §6.1).
///
/// Example on the Amsterdam 1013 extract: a row `postcode = 1013 NJ`, `huisnummer = 1`,
/// `toevoeging = H` becomes the point (121223, 489163) with `bag_id` 0363200000039881 and
/// `bag_address` "Barentszplein 1-H, 1013 NJ Amsterdam".
pub fn geocode(
    raw: &mut RawLayer,
    columns: &AddressColumns,
    bag: &Bag,
    keep_going: bool,
) -> Result<(Vec<Geocoded>, Vec<Unmatched>), InputError> {
    if let Some((a, b)) = AddressColumns::ambiguous(&raw.fields) {
        return Err(raw
            .error(
                format!(
                    "de kolommen '{a}' en '{b}' geven allebei hetzelfde deel van het adres, dus \
                     welke bedoeld is, is niet te weten"
                ),
                "houd er een over, of geef de andere een naam die geen adreskolom is (zoals \
                 'opmerking')",
            )
            .in_field(&b));
    }
    let flag = raw.role.flag();
    let mut found = Vec::with_capacity(raw.features.len());
    let mut unmatched = Vec::new();
    let mut kept = Vec::with_capacity(raw.features.len());
    for mut f in std::mem::take(&mut raw.features) {
        let (given, query) = row_query(columns, &f.attrs);
        let miss = |reason: String, suggestions: Vec<String>| Unmatched {
            layer: flag.to_string(),
            row: f.index + 1,
            given: given.clone(),
            reason,
            suggestions,
            ambiguous: false,
        };
        let query = match query {
            Ok(q) => q,
            Err(m) => {
                // The parser's message starts with the text it read, which the row line
                // already quotes: "rij 4: 'Straat': heeft geen huisnummer …".
                let reason = m
                    .strip_prefix(&format!("'{given}'"))
                    .map_or(m.as_str(), |r| r.trim_start_matches(':').trim_start());
                unmatched.push(miss(reason.to_string(), Vec::new()));
                continue;
            }
        };
        match bag.index.lookup(&query) {
            Lookup::Found(m) => {
                if let Some(reason) = beside_address(columns, &f.attrs, &m, bag) {
                    unmatched.push(miss(reason, Vec::new()));
                    continue;
                }
                f.geometry = Some(geo::Geometry::Point(geo::Point::new(
                    m.entry.xy[0],
                    m.entry.xy[1],
                )));
                found.push(Geocoded {
                    bag_id: m.entry.id,
                    matched: m.text,
                    shared: m.shared,
                });
                kept.push(f);
            }
            Lookup::Twice(list) => unmatched.push(Unmatched {
                ambiguous: true,
                ..miss(
                    format!(
                        "staat {} keer in de BAG, op verschillende punten, dus geen huisletter of \
                         toevoeging kiest; geef het punt in de kolommen x en y",
                        crate::format::count(list.len())
                    ),
                    list,
                )
            }),
            Lookup::Ambiguous(list) => unmatched.push(Unmatched {
                ambiguous: true,
                ..miss(
                    format!(
                        "past bij {} adressen op verschillende punten; vul de huisletter of \
                         toevoeging aan",
                        crate::format::count(list.len())
                    ),
                    list,
                )
            }),
            Lookup::NotFound(near) => unmatched.push(miss("niet in de BAG".into(), near)),
            Lookup::Mismatch(m) => unmatched.push(miss(m.reason(), m.candidates())),
        }
    }
    raw.features = kept;
    if unmatched.is_empty() || keep_going {
        return Ok((found, unmatched));
    }
    let total = found.len() + unmatched.len();
    let lines: Vec<String> = unmatched.iter().map(row_line).collect();
    Err(raw
        .error(
            format!(
                "{} van de {} adressen {} geen eenduidig punt in de BAG {} ({} adressen; \
                 rij 1 is de eerste rij onder de kopregel):\n  {}\ner is niets geplaatst",
                crate::format::count(unmatched.len()),
                crate::format::count(total),
                if unmatched.len() == 1 { "heeft" } else { "hebben" },
                bag.path.display(),
                crate::format::count(bag.index.len()),
                lines.join("\n  ")
            ),
            "verbeter deze adressen (vul de huisletter of toevoeging aan waar meerdere \
             adressen een huisnummer delen), of geef --unmatched BESTAND op om zonder deze adressen door te \
             gaan en ze in BESTAND te zetten",
        )
        .in_field(&columns.names(&raw.fields)))
}

/// One unmatched row for a message: `rij 3: 'Damrak 999': niet in de BAG; dichtstbij: …`.
/// Suggestions the reason already names (a postcode and a street that disagree) are not
/// repeated.
fn row_line(u: &Unmatched) -> String {
    let given = if u.given.is_empty() {
        "(leeg)".to_string()
    } else {
        format!("'{}'", u.given)
    };
    let mut line = format!("rij {}: {given}: {}", u.row, u.reason);
    let others: Vec<&str> = u
        .suggestions
        .iter()
        .map(String::as_str)
        .filter(|s| !u.reason.contains(s))
        .collect();
    if !others.is_empty() {
        let label = if u.ambiguous {
            "kandidaten"
        } else {
            "dichtstbij"
        };
        line.push_str(&format!("; {label}: {}", others.join(" | ")));
    }
    line
}

/// The unmatched rows as a standard CSV (`layer,row,given,reason,suggestions`; the
/// suggestions joined by ` | `), for `--unmatched FILE` (docs/OUTPUTS.md, "--unmatched").
pub fn unmatched_csv(rows: &[Unmatched]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["layer", "row", "given", "reason", "suggestions"])
        .expect("writing to memory");
    for r in rows {
        w.write_record([
            r.layer.as_str(),
            &r.row.to_string(),
            r.given.as_str(),
            r.reason.as_str(),
            &r.suggestions.join(" | "),
        ])
        .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::Beside;
    use crate::testing::strings;

    #[test]
    fn the_address_form_is_found_from_the_columns() {
        assert_eq!(
            AddressColumns::find(&strings(&["naam", "Postcode", "HUISNUMMER", "toevoeging"])),
            Some(AddressColumns::Postcode {
                postcode: 1,
                number: 2,
                letter: None,
                addition: Some(3),
                beside: Beside::default(),
            })
        );
        // A street and a place beside the postcode are kept, to be checked against it.
        assert!(matches!(
            AddressColumns::find(&strings(&["straat", "postcode", "huisnummer", "plaats"])),
            Some(AddressColumns::Postcode {
                postcode: 1,
                beside: Beside {
                    street: Some(0),
                    place: Some(3),
                    address: None,
                },
                ..
            })
        ));
        // Postcode + huisnummer wins over a free-text column.
        assert!(matches!(
            AddressColumns::find(&strings(&["adres", "postcode", "huisnummer"])),
            Some(AddressColumns::Postcode { .. })
        ));
        assert_eq!(
            AddressColumns::find(&strings(&["naam", "Adres", "units"])),
            Some(AddressColumns::Free(1))
        );
        assert!(matches!(
            AddressColumns::find(&strings(&["straat", "huisnummer", "woonplaats"])),
            Some(AddressColumns::Street { place: Some(2), .. })
        ));
        // A postcode alone is not an address.
        assert_eq!(AddressColumns::find(&strings(&["postcode", "units"])), None);
    }

    #[test]
    fn a_row_gives_its_cells_and_query() {
        let cols =
            AddressColumns::find(&strings(&["postcode", "huisnummer", "toevoeging"])).unwrap();
        let attrs = [
            Attr::Text("1013 nj".into()),
            Attr::Number(1.0),
            Attr::Text("h".into()),
        ];
        let (given, q) = row_query(&cols, &attrs);
        assert_eq!(given, "1013 nj 1 h");
        assert_eq!(q.unwrap(), from_parts("1013NJ", "1", "", "H").unwrap());
        let (given, q) = row_query(&cols, &[Attr::Null, Attr::Null, Attr::Null]);
        assert_eq!(given, "");
        assert!(q.unwrap_err().contains("leeg"));
        let cols = AddressColumns::find(&strings(&["straat", "postcode", "huisnummer"])).unwrap();
        let (given, q) = row_query(
            &cols,
            &[
                Attr::Text("Barentsz-straat".into()),
                Attr::Text("1013NJ".into()),
                Attr::Number(1.0),
            ],
        );
        assert_eq!(given, "Barentsz-straat, 1013NJ 1");
        assert_eq!(
            q.unwrap().beside,
            Some(("barentsz straat".to_string(), None))
        );
        // A whole address line in the street column: its street, when its huisnummer is the
        // row's.
        let line = |street: &str| {
            row_query(
                &cols,
                &[
                    Attr::Text(street.into()),
                    Attr::Text("1013NJ".into()),
                    Attr::Number(1.0),
                ],
            )
            .1
        };
        assert_eq!(
            line("Barentszplein 1-H").unwrap().beside,
            Some(("barentszplein".to_string(), None))
        );
        assert!(line("Barentszplein 3")
            .unwrap_err()
            .contains("noemt huisnummer 3, de kolom huisnummer 1"));
        // The line's huisletter or toevoeging completes a row that gives none, and must be the
        // row's when it gives one: Barentszstraat 234A and 234B are two BAG objects.
        assert_eq!(line("Barentszplein 1-H").unwrap().suffix, "H");
        assert_eq!(
            beside_street("Barentszstraat 234B", 234, ""),
            Ok(("barentszstraat".to_string(), "B".to_string()))
        );
        assert_eq!(
            beside_street("Barentszstraat 234B", 234, "B"),
            Ok(("barentszstraat".to_string(), "B".to_string()))
        );
        assert_eq!(
            beside_street("Barentszstraat", 234, "A"),
            Ok(("barentszstraat".to_string(), "A".to_string()))
        );
        assert_eq!(
            beside_street("Barentszstraat 234B", 234, "A").unwrap_err(),
            "de straat 'Barentszstraat 234B' noemt huisnummer 234B, de kolommen huisnummer, \
             huisletter en toevoeging 234A; die spreken elkaar tegen: schrijf in de straatkolom \
             alleen de straatnaam"
        );
        let cols = AddressColumns::find(&strings(&["straat", "huisnummer", "woonplaats"])).unwrap();
        let (given, q) = row_query(
            &cols,
            &[
                Attr::Text("Barentszplein".into()),
                Attr::Text("8a".into()),
                Attr::Text("Amsterdam".into()),
            ],
        );
        assert_eq!(given, "Barentszplein 8a, Amsterdam");
        // "8a" in a huisnummer column without a huisletter column: huisnummer 8, huisletter a
        // (docs/METHOD.md §6.1).
        assert_eq!(
            q.unwrap(),
            street_query("Barentszplein", "8", "a", "", "Amsterdam").unwrap()
        );
        // "8,5" is no huisnummer: said, not guessed.
        let (_, q) = row_query(
            &cols,
            &[
                Attr::Text("Barentszplein".into()),
                Attr::Text("8,5".into()),
                Attr::Text("Amsterdam".into()),
            ],
        );
        assert!(q.unwrap_err().contains("huisnummer '8,5'"));
    }

    #[test]
    fn unmatched_rows_are_written_as_csv() {
        let rows = [Unmatched {
            layer: "--sites".into(),
            row: 3,
            given: "1013 NJ 1".into(),
            reason: "past bij 2 adressen op verschillende punten".into(),
            suggestions: vec!["A 1, X".into(), "A 1-2, X".into()],
            ambiguous: true,
        }];
        assert_eq!(
            String::from_utf8(unmatched_csv(&rows)).unwrap(),
            "layer,row,given,reason,suggestions\n--sites,3,1013 NJ 1,past bij 2 adressen op verschillende punten,\"A 1, X | A 1-2, X\"\n"
        );
    }
}
