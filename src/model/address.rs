//! Dutch addresses: parsing what people type and spreadsheets hold, and an in-memory index of
//! BAG address points to look them up in (docs/METHOD.md §6.1).
//!
//! Pure: no file access. `io::bag` reads a BAG file into [`Entry`]s; [`AddressIndex::new`]
//! sorts them; [`AddressIndex::lookup`] answers a [`Query`] with one match, the list of
//! candidates when it is ambiguous, the two addresses when a postcode and the street beside it
//! disagree, or the closest candidates when nothing matches. Nothing is guessed: a query
//! without huisletter/toevoeging matches the address without them, and only when there is none
//! and every address under that number shares one point is that point taken (said so in
//! [`Match::shared`]).
//!
//! Forms understood by [`parse`] (case, spaces and diacritics forgiven):
//! `Straat 12a, Plaats`, `Straat 12-2`, `Straat 12 A 2`, `1013 NJ 1 H`, `1013NJ 1-H`,
//! `Straat 12, 1013 NJ Plaats`, `Straat 12, 1013NJ, Plaats`, and without commas
//! `Straat 12 Plaats`, `Straat 12 A 1013 NJ Plaats` (docs/METHOD.md §6.1, "Forms").

use std::cmp::Ordering;
use std::fmt;

/// Highest huisnummer the BAG allows.
pub const MAX_NUMBER: u32 = 99_999;
/// Longest huisletter + toevoeging, in characters (1 + 4 in the BAG).
pub const MAX_SUFFIX: usize = 5;

/// What to look up: a postcode or a street (with an optional place), a huisnummer, and the
/// huisletter and toevoeging run together (`A2` for `12A-2`, empty when none was given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Postcode or street.
    pub key: Key,
    /// Huisnummer, 1..=[`MAX_NUMBER`].
    pub number: u32,
    /// Huisletter and toevoeging: uppercase ASCII letters and digits only.
    pub suffix: String,
    /// The street (and place, when given) written beside a postcode key, both [`normalise`]d:
    /// `Straat 12, 1013 NJ Plaats`, or a street column beside the postcode columns. The
    /// postcode decides, and the address it names must lie on this street, else the answer is
    /// a [`Mismatch`] ([`AddressIndex::lookup`]). `None` for a street key or a postcode alone.
    pub beside: Option<(String, Option<String>)>,
}

/// The part of a [`Query`] before the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A postcode, `1013NJ`.
    Postcode([u8; 6]),
    /// A street name and optionally a place, both [`normalise`]d.
    Street {
        /// Normalised street name.
        street: String,
        /// Normalised woonplaats, when given.
        place: Option<String>,
    },
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Key::Postcode(p) => write!(f, "{} {}", postcode_text(p), self.number)?,
            Key::Street { street, .. } => write!(f, "{street} {}", self.number)?,
        }
        if !self.suffix.is_empty() {
            write!(f, " {}", self.suffix)?;
        }
        if let Key::Street {
            place: Some(place), ..
        } = &self.key
        {
            write!(f, ", {place}")?;
        }
        Ok(())
    }
}

/// `1013NJ` → `1013 NJ`.
pub fn postcode_text(p: &[u8; 6]) -> String {
    format!(
        "{} {}",
        String::from_utf8_lossy(&p[..4]),
        String::from_utf8_lossy(&p[4..])
    )
}

/// Fold a letter with a diacritic to its base letter (é → e, Ĳ → IJ is left as is).
///
/// Hand-written: the BAG's names are Latin script, and this table of the Latin-1 and
/// Latin Extended-A letters Dutch and Frisian names use is all that is needed; a general
/// transliteration crate would add a large table for no gain.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        other => other,
    }
}

/// A name as compared: lowercase, diacritics folded (é → e), every run of characters
/// that are not letters or digits (spaces, `-`, `'`, `.`) made one space, trimmed.
///
/// Example: `"  Van  Diemen-straat "` → `"van diemen straat"`, `"Rijnstraße"` stays
/// `"rijnstraße"`, `"Café 't Hoekje"` → `"cafe t hoekje"`.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase).map(fold) {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// Huisletter and toevoeging run together as compared: uppercase ASCII letters and digits,
/// everything else dropped (`"a"`, `"-2"` → `"A2"`).
pub fn suffix_key(letter: &str, addition: &str) -> String {
    letter
        .chars()
        .chain(addition.chars())
        .map(fold)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A postcode `1013NJ` / `1013 nj` as six bytes, or `None` when it is not one (four digits,
/// the first not 0, then two letters).
pub fn parse_postcode(text: &str) -> Option<[u8; 6]> {
    let squeezed: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let ok = squeezed.len() == 6
        && squeezed[0] != b'0'
        && squeezed[..4].iter().all(u8::is_ascii_digit)
        && squeezed[4..].iter().all(u8::is_ascii_alphabetic);
    ok.then(|| {
        let mut p = [0u8; 6];
        for (slot, b) in p.iter_mut().zip(squeezed) {
            *slot = b.to_ascii_uppercase();
        }
        p
    })
}

/// Read a typed address (the forms in the module docs). The error says what was missing and
/// shows, with `bijvoorbeeld`, how to write it: the address box of `serve` shows it as it is.
pub fn parse(text: &str) -> Result<Query, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(
            "het adres is leeg; geef bijvoorbeeld 'Barentszplein 1, Amsterdam' of '1013 NJ 1'"
                .into(),
        );
    }
    if let Some(q) = parse_postcode_form(text)? {
        return Ok(q);
    }
    let (street_part, place_part) = match text.split_once(',') {
        Some((s, p)) => (s.trim(), Some(p.trim())),
        None => (text, None),
    };
    let tokens: Vec<&str> = street_part.split_whitespace().collect();
    let at = tokens
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, t)| t.starts_with(|c: char| c.is_ascii_digit()))
        .map(|(i, _)| i)
        .ok_or_else(|| {
            format!("'{text}' heeft geen huisnummer na de straatnaam; geef bijvoorbeeld 'Barentszplein 1'")
        })?;
    let street = normalise(&tokens[..at].join(" "));
    if street.is_empty() {
        return Err(format!(
            "'{text}' heeft geen straatnaam vóór het huisnummer; schrijf bijvoorbeeld 'Barentszplein 1, Amsterdam' of '1013 NJ 1'"
        ));
    }
    // A number glued to the street by punctuation ("Straat[40 12") becomes a word of its own
    // once normalised ("straat 40"), and the address would then read as huisnummer 40
    // (found by the `address` fuzz target). Only the first word may start with a digit
    // ("1e Jacob van Campenstraat").
    if let Some(word) = street
        .split(' ')
        .skip(1)
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Err(format!(
            "'{text}': de straatnaam bevat het getal '{word}' vast aan andere tekens, dus het huisnummer is onduidelijk; schrijf de straatnaam, een spatie en het huisnummer (bijvoorbeeld 'Barentszplein 1')"
        ));
    }
    // A street name that begins like a postcode ("1013\u{17}NJ013 NJ 1" gives the street
    // "1013 nj013 nj") would be read as the postcode form once written out (found by the
    // `address` fuzz target): the text is neither form cleanly, so it is refused.
    if !matches!(parse_postcode_form(&format!("{street} 1")), Ok(None)) {
        return Err(format!(
            "'{text}' begint als een postcode maar is geen 'postcode huisnummer'; schrijf bijvoorbeeld '1013 NJ 1' of 'Barentszplein 1, Amsterdam'"
        ));
    }
    // Without a comma the postcode or place may follow the huisletter/toevoeging directly.
    let (end, tail) = match place_part {
        Some(p) => (tokens.len(), Some(p.replace(',', " "))),
        None => {
            let end = at + 1 + split_tail(&tokens[at + 1..]);
            (end, (end < tokens.len()).then(|| tokens[end..].join(" ")))
        }
    };
    let (number, suffix) = number_and_suffix(&tokens[at..end].join(" "), text)?;
    let tail: Vec<&str> = tail.as_deref().unwrap_or("").split_whitespace().collect();
    // "Straat 12, 1013 NJ Plaats", or the place first ("Straat 12, Plaats, 1013 NJ", as on an
    // envelope abroad): the postcode decides; the street must agree with it.
    let postcode = postcode_at(&tail)
        .map(|(pc, n)| (pc, n..tail.len()))
        .or_else(|| postcode_at_end(&tail).map(|(pc, n)| (pc, 0..tail.len() - n)));
    if let Some((pc, place)) = postcode {
        let place = Some(normalise(&tail[place].join(" "))).filter(|p| !p.is_empty());
        return Ok(Query {
            key: Key::Postcode(pc),
            number,
            suffix,
            beside: Some((street, place)),
        });
    }
    let place = Some(normalise(&tail.join(" "))).filter(|p| !p.is_empty());
    Ok(Query {
        key: Key::Street { street, place },
        number,
        suffix,
        beside: None,
    })
}

/// The postcode the words start with (`1013NJ` or `1013 NJ`) and how many words it takes.
fn postcode_at(words: &[&str]) -> Option<([u8; 6], usize)> {
    (1..=2.min(words.len())).find_map(|n| parse_postcode(&words[..n].join("")).map(|pc| (pc, n)))
}

/// The postcode the words end with (`1013NJ` or `1013 NJ`) and how many words it takes, when
/// words come before it (the place).
fn postcode_at_end(words: &[&str]) -> Option<([u8; 6], usize)> {
    (1..=2.min(words.len().saturating_sub(1)))
        .find_map(|n| parse_postcode(&words[words.len() - n..].join("")).map(|pc| (pc, n)))
}

/// Where, in the words after the huisnummer of an address typed without a comma, the
/// huisletter and toevoeging end and the postcode or place begins: at the first word that
/// starts a postcode (`1013 NJ`, `1013NJ`) or that is longer than a huisletter and toevoeging
/// can be together ([`MAX_SUFFIX`] letters and digits); `words.len()` when there is none.
///
/// Nothing is guessed: such a word cannot belong to the huisletter or toevoeging, so what
/// follows the huisnummer is read the same as with a comma before it. A short place name
/// (`Ee`, `Oss`) is not told from a toevoeging this way and needs the comma.
///
/// Example: `["H", "Amsterdam"]` → 1 (`Barentszplein 1 H Amsterdam`: huisletter H, place
/// Amsterdam); `["A", "1013", "NJ"]` → 1; `["A", "2"]` → 2.
fn split_tail(words: &[&str]) -> usize {
    (0..words.len())
        .find(|&k| {
            let alnum = words[k].chars().filter(|c| c.is_alphanumeric()).count();
            postcode_at(&words[k..]).is_some() || alnum > MAX_SUFFIX
        })
        .unwrap_or(words.len())
}

/// `1013 NJ 1 H`, `1013NJ 1-H`, `1013NJ 12a, Amsterdam` (the place is ignored: a postcode is
/// unique), or `None` when the text does not start with a postcode.
fn parse_postcode_form(text: &str) -> Result<Option<Query>, String> {
    let head = text.split(',').next().unwrap_or("");
    let squeezed: String = head.split_whitespace().collect::<Vec<_>>().join(" ");
    let bytes = squeezed.as_bytes();
    if bytes.len() < 6 || !bytes[..4].iter().all(u8::is_ascii_digit) {
        return Ok(None);
    }
    let rest = squeezed[4..].trim_start();
    let letters: String = rest.chars().take(2).collect();
    let Some(pc) = parse_postcode(&format!("{}{letters}", &squeezed[..4])) else {
        return Ok(None);
    };
    let after = &rest[letters.len()..];
    if after.starts_with(|c: char| c.is_alphabetic()) {
        return Ok(None);
    }
    let after: Vec<&str> = after.split_whitespace().collect();
    if after.is_empty() {
        return Err(format!(
            "'{text}' heeft een postcode maar geen huisnummer; geef bijvoorbeeld '{} 1'",
            postcode_text(&pc)
        ));
    }
    // A place after the huisletter/toevoeging, without a comma, is ignored as after one.
    let end = 1 + split_tail(&after[1..]);
    let (number, suffix) = number_and_suffix(&after[..end].join(" "), text)?;
    Ok(Some(Query {
        key: Key::Postcode(pc),
        number,
        suffix,
        beside: None,
    }))
}

/// `12`, `12a`, `12-2`, `12 A 2`, `12 bis` → number and suffix.
fn number_and_suffix(part: &str, text: &str) -> Result<(u32, String), String> {
    let part = part.trim();
    let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        let word = part.split_whitespace().next().unwrap_or("");
        return Err(format!(
            "'{text}': hier hoort het huisnummer, maar er staat '{word}'; schrijf bijvoorbeeld '1013 NJ 1' of 'Barentszplein 1, Amsterdam'"
        ));
    }
    let number: u32 = digits
        .parse()
        .ok()
        .filter(|n| (1..=MAX_NUMBER).contains(n))
        .ok_or_else(|| {
            format!(
                "'{text}': huisnummer '{digits}' is geen getal van 1 tot en met {}; schrijf het \
                 huisnummer zoals het op de gevel staat, bijvoorbeeld 'Barentszplein 1'",
                crate::format::count(MAX_NUMBER as usize)
            )
        })?;
    let rest = &part[digits.len()..];
    if let Some(c) = rest
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.')))
    {
        return Err(format!(
            "'{text}': '{c}' na het huisnummer hoort niet bij een huisletter of toevoeging; \
             schrijf bijvoorbeeld 'Barentszplein 1-H' of '1013 NJ 1 H'"
        ));
    }
    let suffix = suffix_key(rest, "");
    let foreign = rest
        .chars()
        .any(|c| c.is_alphanumeric() && !fold(c).is_ascii_alphanumeric());
    if suffix.len() > MAX_SUFFIX || foreign {
        return Err(format!(
            "'{text}': '{}' na het huisnummer is langer dan een huisletter en toevoeging \
             (hoogstens {MAX_SUFFIX} letters of cijfers); staat er een plaatsnaam achter, zet \
             er dan een komma voor, bijvoorbeeld 'Barentszplein 1, Amsterdam'",
            rest.trim()
        ));
    }
    Ok((number, suffix))
}

/// Separate fields (`--postcode`, `--huisnummer`, `--huisletter`, `--toevoeging`, or columns of
/// those names) → a [`Query`].
pub fn from_parts(
    postcode: &str,
    number: &str,
    letter: &str,
    addition: &str,
) -> Result<Query, String> {
    let pc = parse_postcode(postcode).ok_or_else(|| {
        format!("postcode '{postcode}' is geen Nederlandse postcode (vier cijfers, twee letters: 1013 NJ)")
    })?;
    let (n, suffix) = number_and_suffix_fields(number, letter, addition)?;
    Ok(Query {
        key: Key::Postcode(pc),
        number: n,
        suffix,
        beside: None,
    })
}

/// What follows an address that the BAG holds more than once at different points, before its
/// BAG id, in the lists of [`Lookup::Twice`] and [`Lookup::Ambiguous`]: `Silodam 219, 1013 AS
/// Amsterdam (BAG-object 0363200000476146 op RD 121229 489335)`.
const DUPLICATE_MARK: &str = " (BAG-object ";

/// A hint for an address that was not found whose huisletter and toevoeging read as a word of
/// two or more letters (`Barentszplein 1 Ede`: suffix `EDE`): a short place name after the
/// number needs a comma before it. `None` otherwise.
///
/// Example: the query of `Barentszplein 1 Ede` gives "staat er een plaatsnaam achter het
/// huisnummer, zet er dan een komma voor: 'Barentszplein 1, Ede'".
pub fn place_hint(q: &Query) -> Option<String> {
    let word = &q.suffix;
    let Key::Street { street, .. } = &q.key else {
        return None;
    };
    (word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic())).then(|| {
        let place = titled(&word.to_lowercase());
        format!(
            "staat er een plaatsnaam achter het huisnummer, zet er dan een komma voor: '{} {}, \
             {place}'",
            titled(street),
            q.number
        )
    })
}

/// A normalised street name with a capital at the start of each word, for a message.
fn titled(name: &str) -> String {
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The names an address column goes by in a sites or facilities file, compared without case.
pub const ADDRESS_COLUMNS: &[(&str, &[&str])] = &[
    (
        "address",
        &["adres", "address", "volledig_adres", "adresregel"],
    ),
    ("postcode", &["postcode", "pc6"]),
    ("number", &["huisnummer", "huisnr", "house_number"]),
    ("letter", &["huisletter"]),
    ("addition", &["toevoeging", "huisnummertoevoeging"]),
    (
        "street",
        &["straat", "straatnaam", "openbare_ruimte_naam", "street"],
    ),
    (
        "place",
        &["woonplaats", "plaats", "woonplaats_naam", "city"],
    ),
];

/// Which columns of a layer hold its addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressColumns {
    /// Postcode and huisnummer columns (indices), with huisletter and toevoeging when present.
    Postcode {
        /// Postcode column.
        postcode: usize,
        /// Huisnummer column.
        number: usize,
        /// Huisletter column.
        letter: Option<usize>,
        /// Toevoeging column.
        addition: Option<usize>,
        /// Street and woonplaats columns beside them, checked against the postcode.
        beside: Beside,
    },
    /// One column of typed addresses.
    Free(usize),
    /// Street and huisnummer columns, with woonplaats, huisletter and toevoeging when present.
    Street {
        /// Street column.
        street: usize,
        /// Huisnummer column.
        number: usize,
        /// Woonplaats column.
        place: Option<usize>,
        /// Huisletter column.
        letter: Option<usize>,
        /// Toevoeging column.
        addition: Option<usize>,
    },
}

/// The street, woonplaats and address columns of a file beside its postcode columns: the
/// postcode's address must lie on that street ([`Query::beside`]); the woonplaats narrows the
/// street's addresses named when it does not; a whole address in the address column must be
/// the same BAG address (a display column that disagrees would otherwise be ignored).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Beside {
    /// Street column.
    pub street: Option<usize>,
    /// Woonplaats column.
    pub place: Option<usize>,
    /// Address column (`adres`).
    pub address: Option<usize>,
}

impl AddressColumns {
    /// The address columns among `fields`, in the order of the module docs; `None` when the
    /// layer has none of the three forms.
    pub fn find(fields: &[String]) -> Option<Self> {
        let find = |concept: &str| {
            let aliases = ADDRESS_COLUMNS.iter().find(|(c, _)| *c == concept)?.1;
            aliases
                .iter()
                .find_map(|a| fields.iter().position(|f| f.trim().eq_ignore_ascii_case(a)))
        };
        let (letter, addition) = (find("letter"), find("addition"));
        if let (Some(postcode), Some(number)) = (find("postcode"), find("number")) {
            return Some(Self::Postcode {
                postcode,
                number,
                letter,
                addition,
                beside: Beside {
                    street: find("street"),
                    place: find("place"),
                    address: find("address"),
                },
            });
        }
        if let Some(free) = find("address") {
            return Some(Self::Free(free));
        }
        if let (Some(street), Some(number)) = (find("street"), find("number")) {
            return Some(Self::Street {
                street,
                number,
                place: find("place"),
                letter,
                addition,
            });
        }
        None
    }

    /// Two columns among `fields` that go by names of one concept (`adres` and
    /// `volledig_adres`, `postcode` and `pc6`): which of them holds the address cannot be
    /// known, so a file of addresses with such a pair is refused.
    ///
    /// Example: `["naam", "adres", "volledig_adres"]` gives `Some(("adres", "volledig_adres"))`.
    pub fn ambiguous(fields: &[String]) -> Option<(String, String)> {
        ADDRESS_COLUMNS.iter().find_map(|(_, aliases)| {
            let mut found = fields
                .iter()
                .filter(|f| aliases.iter().any(|a| f.trim().eq_ignore_ascii_case(a)));
            let first = found.next()?;
            let second = found.next()?;
            Some((first.trim().to_string(), second.trim().to_string()))
        })
    }

    /// The column names, for messages: `postcode, huisnummer`.
    pub fn names(&self, fields: &[String]) -> String {
        let cols: Vec<Option<usize>> = match *self {
            Self::Postcode {
                postcode,
                number,
                letter,
                addition,
                beside,
            } => vec![
                beside.street,
                Some(postcode),
                Some(number),
                letter,
                addition,
                beside.place,
                beside.address,
            ],
            Self::Free(i) => vec![Some(i)],
            Self::Street {
                street,
                number,
                place,
                letter,
                addition,
            } => vec![Some(street), Some(number), letter, addition, place],
        };
        cols.into_iter()
            .flatten()
            .map(|i| fields[i].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A row of a sites or facilities file placed at its BAG address (docs/METHOD.md §6.1): the
/// BAG object it matched and that address as the BAG writes it. Written next to the point in
/// the outputs (`bag_id`, `bag_address`).
#[derive(Debug, Clone, PartialEq)]
pub struct Geocoded {
    /// The BAG identificatie (16 digits) as a number.
    pub bag_id: u64,
    /// The address as written in the BAG: `Barentszplein 1-H, 1013 NJ Amsterdam`.
    pub matched: String,
    /// How many addresses share the point when no huisletter/toevoeging was given and every
    /// address under the number has one ([`Match::shared`]; 0 otherwise).
    pub shared: usize,
}

impl Geocoded {
    /// The BAG id as the BAG writes it: 16 digits with leading zeros.
    pub fn id_text(&self) -> String {
        format!("{:016}", self.bag_id)
    }
}

/// Huisnummer, huisletter and toevoeging as separate fields → the number and suffix of a
/// [`Query`]; the error says which field is wrong. Example: `("12", "a", "2")` → `(12, "A2")`.
///
/// A huisnummer cell that carries its huisletter or toevoeging (`"12a"`, `"12-2"`, `"12 A"`,
/// as spreadsheets often hold it) is read as number and suffix when the huisletter and
/// toevoeging fields are empty: `("12a", "", "")` → `(12, "A")`. With a toevoeging field and a
/// huisletter alone in the number cell, the two are joined: `("12a", "", "2")` → `(12, "A2")`.
/// When the cell and the fields say the same (`("12a", "a", "")`) that is taken; when they
/// disagree (`("12a", "b", "")`) the address is refused, naming both: nothing is guessed.
pub fn number_and_suffix_fields(
    number: &str,
    letter: &str,
    addition: &str,
) -> Result<(u32, String), String> {
    let trimmed = number.trim();
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let not_a_number = || {
        format!(
            "huisnummer '{number}' is geen getal van 1 tot en met {}",
            crate::format::count(MAX_NUMBER as usize)
        )
    };
    let n: u32 = trimmed[..digits_end]
        .parse()
        .ok()
        .filter(|n| (1..=MAX_NUMBER).contains(n))
        .ok_or_else(not_a_number)?;
    let glued = trimmed[digits_end..].trim();
    let given = suffix_key(letter, addition);
    let suffix = if glued.is_empty() {
        given
    } else {
        // What may follow a huisnummer in one cell: letters, digits and - / . or spaces
        // between them (as in a typed address); "12,5" is no huisnummer.
        let allowed = glued
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.'));
        let glued_key = suffix_key(glued, "");
        if !allowed || glued_key.is_empty() {
            return Err(not_a_number());
        }
        let only_letters = glued_key.chars().all(|c| c.is_ascii_alphabetic());
        if given.is_empty() || given == glued_key {
            glued_key
        } else if letter.trim().is_empty() && only_letters {
            format!("{glued_key}{given}")
        } else {
            return Err(format!(
                "huisnummer '{number}' bevat huisletter/toevoeging '{glued}', maar de \
                 velden huisletter en toevoeging geven '{}': die spreken elkaar tegen; schrijf \
                 de huisletter en toevoeging alleen in hun eigen velden",
                [letter.trim(), addition.trim()]
                    .iter()
                    .filter(|t| !t.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
    };
    if suffix.len() > MAX_SUFFIX {
        return Err(format!(
            "huisletter '{letter}' en toevoeging '{addition}' zijn langer dan de BAG toestaat"
        ));
    }
    Ok((n, suffix))
}

/// One BAG address point, as read by `io::bag`. Names are indices into the index's name
/// table so that ten million entries stay small.
///
/// `repr(C)`: 48 bytes without padding (id at 0, x 8, y 16, number 24, postcode 28, suffix
/// 34, flags 39, street 40, place 44), the layout of a record in the index cache, which is
/// then loaded with one copy (`io::read::bag`).
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct Entry {
    /// The BAG identificatie (16 digits) as a number.
    pub id: u64,
    /// Point in the compute CRS (EPSG:28992), metres.
    pub xy: [f64; 2],
    /// Huisnummer.
    pub number: u32,
    /// Postcode bytes (`1013NJ`), zeros when the BAG gives none.
    pub postcode: [u8; 6],
    /// Huisletter and toevoeging ([`suffix_key`]), zero-padded ASCII.
    pub suffix: [u8; MAX_SUFFIX],
    /// [`Entry::LETTER`] and [`Entry::DWELLING`], or-ed: one byte, so that an entry takes 48
    /// bytes (two `bool`s made it 56, 80 MB more for a national BAG).
    pub flags: u8,
    /// Street name: index into [`AddressIndex::names`].
    pub street: u32,
    /// Woonplaats: index into [`AddressIndex::names`].
    pub place: u32,
}

impl Entry {
    /// Flag: the suffix starts with a huisletter (`12A-2`); without it the suffix is all
    /// toevoeging (`1-H`). Only for writing the address as the BAG does.
    pub const LETTER: u8 = 1;
    /// Flag: a verblijfsobject with gebruiksdoel woonfunctie.
    pub const DWELLING: u8 = 2;

    /// The flags of an entry: whether its suffix starts with a huisletter, whether it is a
    /// dwelling.
    pub fn flags(letter: bool, dwelling: bool) -> u8 {
        (u8::from(letter) * Self::LETTER) | (u8::from(dwelling) * Self::DWELLING)
    }

    /// True when the suffix starts with a huisletter ([`Entry::LETTER`]).
    pub fn letter(&self) -> bool {
        self.flags & Self::LETTER != 0
    }

    /// True for a dwelling ([`Entry::DWELLING`]).
    pub fn dwelling(&self) -> bool {
        self.flags & Self::DWELLING != 0
    }

    /// The suffix as text.
    pub fn suffix_text(&self) -> &str {
        let end = self
            .suffix
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(MAX_SUFFIX);
        std::str::from_utf8(&self.suffix[..end]).unwrap_or("")
    }

    fn postcode_key(&self) -> ([u8; 6], u32, [u8; MAX_SUFFIX], u64) {
        (self.postcode, self.number, self.suffix, self.id)
    }
}

/// A suffix as the fixed bytes of an [`Entry`], or `None` when it is too long or not ASCII.
pub fn suffix_bytes(suffix: &str) -> Option<[u8; MAX_SUFFIX]> {
    if suffix.len() > MAX_SUFFIX || !suffix.is_ascii() {
        return None;
    }
    let mut b = [0u8; MAX_SUFFIX];
    b[..suffix.len()].copy_from_slice(suffix.as_bytes());
    Some(b)
}

/// Where the entries of an index are kept: in memory ([`AddressIndex::new`]) or in storage
/// that lives as long as the index, such as the mapped index cache (`io::read::bag`), which
/// then needs no copy of its 480 MB for a national BAG.
pub trait EntryStore: Send + Sync + fmt::Debug {
    /// The entries.
    fn entries(&self) -> &[Entry];
}

impl EntryStore for Vec<Entry> {
    fn entries(&self) -> &[Entry] {
        self
    }
}

/// The entries of an index, read as a slice; clones share one store.
#[derive(Clone, Debug)]
pub struct Entries(std::sync::Arc<dyn EntryStore>);

impl Entries {
    /// Entries kept in `store`.
    pub fn new(store: impl EntryStore + 'static) -> Self {
        Self(std::sync::Arc::new(store))
    }
}

impl std::ops::Deref for Entries {
    type Target = [Entry];
    fn deref(&self) -> &[Entry] {
        self.0.entries()
    }
}

impl PartialEq for Entries {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

/// The BAG addresses of one file, sorted for lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressIndex {
    /// Street and place names as in the BAG.
    pub names: Vec<String>,
    /// The same names [`normalise`]d.
    norm: Vec<String>,
    /// Entries sorted by postcode, number, suffix, id.
    pub entries: Entries,
    /// Entry positions sorted by normalised street, place, number, suffix, id.
    by_street: Vec<u32>,
}

/// The rank of each text in sorted order, equal texts sharing a rank: `["b", "a", "b"]` →
/// `[1, 0, 1]`. Comparing ranks orders as comparing the texts.
fn ranks(texts: &[String]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..texts.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| texts[a as usize].cmp(&texts[b as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; texts.len()];
    let mut r = 0u32;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 && texts[i as usize] != texts[order[k - 1] as usize] {
            r += 1;
        }
        rank[i as usize] = r;
    }
    rank
}

/// A found address.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The entry (the first by BAG id when several share one point).
    pub entry: Entry,
    /// The address as written in the BAG: `Barentszplein 1-H, 1013 NJ Amsterdam`.
    pub text: String,
    /// How many addresses share this point and number when the query gave no
    /// huisletter/toevoeging and the BAG has only addresses with one (0 otherwise).
    pub shared: usize,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// One address (or one point, see [`Match::shared`]).
    Found(Match),
    /// Several addresses at different points: their texts, sorted (one that the BAG holds at
    /// more than one of them listed once per point, as in [`Lookup::Twice`]). A huisletter or
    /// toevoeging chooses.
    Ambiguous(Vec<String>),
    /// One address that the BAG holds at several points (Silodam 219, 1013 AS: twice, about
    /// 2 m apart): per point the address with its BAG id and point, `Silodam 219, 1013 AS
    /// Amsterdam (BAG-object 0363200000476146 op RD 121229 489335)`, sorted. No huisletter or
    /// toevoeging can choose, only a point.
    Twice(Vec<String>),
    /// Nothing: the closest candidates (same postcode or street with nearby numbers, or
    /// the address nearest the number asked on each similar street name; or similar
    /// postcodes), at most five.
    NotFound(Vec<String>),
    /// A postcode and a street given together ([`Query::beside`]) that name different
    /// addresses, or a postcode the BAG does not have beside a street it has: nothing is
    /// chosen.
    Mismatch(Mismatch),
}

/// What the BAG has under a postcode and under the street given beside it, when they do not
/// agree ([`Lookup::Mismatch`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The address at the postcode and huisnummer (the one with the query's huisletter and
    /// toevoeging when there is one), on another street; `None` when the postcode has no such
    /// huisnummer.
    pub at_postcode: Option<String>,
    /// The addresses at the street (and place, when given), huisnummer, huisletter and
    /// toevoeging, at most five.
    pub on_street: Vec<String>,
}

impl Mismatch {
    /// Why nothing was chosen, in Dutch, without the address given (the caller quotes it).
    ///
    /// Example (Amsterdam 1013 extract): `Barentszstraat 1, 1013 NJ` gives "postcode en
    /// huisnummer horen bij Barentszplein 1-H, 1013 NJ Amsterdam, straat en huisnummer bij
    /// Barentszstraat 1, 1013 NL Amsterdam; controleer welke van de twee klopt";
    /// `Barentszplein 1-H, 9999 ZZ` gives "postcode en huisnummer staan niet in de BAG,
    /// straat en huisnummer wel: Barentszplein 1-H, 1013 NJ Amsterdam; controleer de
    /// postcode".
    pub fn reason(&self) -> String {
        let on_street = match self.on_street.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [first, more @ ..] => Some(format!(
                "{first} en {} andere",
                crate::format::count(more.len())
            )),
        };
        match (&self.at_postcode, on_street) {
            (Some(a), None) => format!(
                "postcode en huisnummer horen bij {a}, een andere straat; controleer de straat \
                 of de postcode"
            ),
            (Some(a), Some(b)) => format!(
                "postcode en huisnummer horen bij {a}, straat en huisnummer bij {b}; controleer \
                 welke van de twee klopt"
            ),
            (None, Some(b)) => format!(
                "postcode en huisnummer staan niet in de BAG, straat en huisnummer wel: {b}; \
                 controleer de postcode"
            ),
            (None, None) => "postcode en straat horen niet bij elkaar".into(),
        }
    }

    /// The addresses to choose from: the one at the postcode, then those on the street.
    pub fn candidates(&self) -> Vec<String> {
        self.at_postcode
            .iter()
            .chain(&self.on_street)
            .cloned()
            .collect()
    }
}

impl AddressIndex {
    /// Sort the entries of a BAG file. `names` holds every street and place name the entries
    /// point to.
    ///
    /// Both orders are sorted on integers: the names are ranked once by their normalised
    /// text (equal texts, equal ranks), so ten million entries are not compared as strings
    /// (about 230 million string comparisons through the name table for a national BAG). Sorting is parallel (rayon); the
    /// result does not depend on the thread count, since an entry's key decides its place
    /// and entries with equal keys are the same address.
    pub fn new(names: Vec<String>, mut entries: Vec<Entry>) -> Self {
        use rayon::slice::ParallelSliceMut as _;
        entries.par_sort_unstable_by_key(Entry::postcode_key);
        let norm: Vec<String> = names.iter().map(|n| normalise(n)).collect();
        let rank = ranks(&norm);
        let mut by_street: Vec<u32> = (0..entries.len() as u32).collect();
        by_street.par_sort_unstable_by_key(|&i| {
            let e = &entries[i as usize];
            (
                rank[e.street as usize],
                rank[e.place as usize],
                e.number,
                e.suffix,
                e.id,
                i,
            )
        });
        Self {
            names,
            norm,
            entries: Entries::new(entries),
            by_street,
        }
    }

    /// The entry positions in street order (for a cache of the index).
    pub fn street_order(&self) -> &[u32] {
        &self.by_street
    }

    /// An index from its parts as [`AddressIndex::new`] made them (a cache), or `None` when
    /// they do not fit together: entries out of order, a name or position out of range.
    pub fn from_parts(names: Vec<String>, entries: Entries, by_street: Vec<u32>) -> Option<Self> {
        let n = names.len();
        let ok = by_street.len() == entries.len()
            && entries
                .windows(2)
                .all(|w| w[0].postcode_key() <= w[1].postcode_key())
            && entries
                .iter()
                .all(|e| (e.street as usize) < n && (e.place as usize) < n)
            && by_street.iter().all(|&i| (i as usize) < entries.len());
        let norm = names.iter().map(|s| normalise(s)).collect();
        ok.then_some(Self {
            names,
            norm,
            entries,
            by_street,
        })
    }

    /// Number of addresses.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The address as written in the BAG: `Barentszplein 1-H, 1013 NJ Amsterdam`.
    pub fn text(&self, e: &Entry) -> String {
        let s = e.suffix_text();
        let (letter, addition) = if e.letter() && !s.is_empty() {
            s.split_at(1)
        } else {
            ("", s)
        };
        let sep = if addition.is_empty() { "" } else { "-" };
        let pc = if e.postcode == [0; 6] {
            String::new()
        } else {
            format!("{} ", postcode_text(&e.postcode))
        };
        format!(
            "{} {}{letter}{sep}{addition}, {pc}{}",
            self.names[e.street as usize], e.number, self.names[e.place as usize]
        )
    }

    /// The entries (positions into `entries`) with the query's postcode or street (and place).
    fn key_range(&self, key: &Key) -> Vec<usize> {
        match key {
            Key::Postcode(pc) => {
                // One binary search, then the few entries of the postcode (about 22) in turn:
                // a second search over ten million entries cost as much as the rest of a
                // lookup.
                let lo = self.entries.partition_point(|e| e.postcode < *pc);
                let n = self.entries[lo..]
                    .iter()
                    .take_while(|e| e.postcode == *pc)
                    .count();
                (lo..lo + n).collect()
            }
            Key::Street { street, place } => {
                let cmp = |i: &u32| -> Ordering {
                    let e = &self.entries[*i as usize];
                    self.norm[e.street as usize].as_str().cmp(street.as_str())
                };
                let lo = self.by_street.partition_point(|i| cmp(i) == Ordering::Less);
                let hi = self
                    .by_street
                    .partition_point(|i| cmp(i) != Ordering::Greater);
                self.by_street[lo..hi]
                    .iter()
                    .map(|&i| i as usize)
                    .filter(|&i| {
                        place
                            .as_ref()
                            .is_none_or(|p| self.norm[self.entries[i].place as usize] == *p)
                    })
                    .collect()
            }
        }
    }

    /// Look a query up (see the module docs for the rule). A street beside a postcode
    /// ([`Query::beside`]) is checked first: when the postcode's address is not on it, the
    /// answer is a [`Lookup::Mismatch`] (docs/METHOD.md §6.1, "A street beside a postcode").
    ///
    /// Example on the Amsterdam 1013 extract: `1013 NJ 1` has no address without
    /// toevoeging, and its four (`1-H`, `1-1`, `1-2`, `1-3`) share one point → found, the
    /// first by BAG id, `shared = 4`; `Barentszstraat 1, 1013 NJ` → a mismatch naming
    /// Barentszplein 1-H, 1013 NJ and Barentszstraat 1, 1013 NL.
    pub fn lookup(&self, q: &Query) -> Lookup {
        let mut keyed = self.key_range(&q.key);
        if let Some((street, _)) = &q.beside {
            let bare = bare_name(street);
            if let Some(mismatch) = self.beside_disagrees(q, &keyed, &bare) {
                return Lookup::Mismatch(mismatch);
            }
            // The street narrows the postcode to its addresses on that street (a postcode may
            // hold the same huisnummer on two streets).
            keyed.retain(|&i| self.on_street(i, &bare));
        }
        let same_number: Vec<usize> = keyed
            .iter()
            .copied()
            .filter(|&i| self.entries[i].number == q.number)
            .collect();
        let exact: Vec<usize> = same_number
            .iter()
            .copied()
            .filter(|&i| self.entries[i].suffix_text() == q.suffix)
            .collect();
        let found = |list: &[usize], shared: usize| {
            let e = self.entries[list[0]];
            Lookup::Found(Match {
                entry: e,
                text: self.text(&e),
                shared,
            })
        };
        if !exact.is_empty() {
            return self.one_or_list(&exact, |list| found(list, 0));
        }
        if q.suffix.is_empty() && !same_number.is_empty() {
            let first = self.entries[same_number[0]].xy;
            if same_number.iter().all(|&i| self.entries[i].xy == first) {
                let mut by_id = same_number.clone();
                by_id.sort_by_key(|&i| self.entries[i].id);
                return found(&by_id, same_number.len());
            }
            return self.several(&same_number);
        }
        Lookup::NotFound(self.suggestions(q, &keyed))
    }

    /// Whether entry `i` lies on the street `bare` ([`bare_name`]): `Barentsz-plein` is on
    /// Barentszplein.
    fn on_street(&self, i: usize, bare: &str) -> bool {
        bare_name(&self.norm[self.entries[i].street as usize]) == bare
    }

    /// The check of the street beside a postcode ([`Query::beside`]; `bare` is its
    /// [`bare_name`]), given the entries of the postcode, `keyed`: `None` when the postcode has
    /// the huisnummer on that street (the lookup goes on by the postcode), or when neither the
    /// postcode nor the street has the address (it goes on to the closest candidates); else
    /// what each of the two names.
    fn beside_disagrees(&self, q: &Query, keyed: &[usize], bare: &str) -> Option<Mismatch> {
        let (street, place) = q.beside.as_ref()?;
        let numbered: Vec<usize> = keyed
            .iter()
            .copied()
            .filter(|&i| self.entries[i].number == q.number)
            .collect();
        if numbered.iter().any(|&i| self.on_street(i, bare)) {
            return None;
        }
        let by_street = Query {
            key: Key::Street {
                street: street.clone(),
                place: place.clone(),
            },
            number: q.number,
            suffix: q.suffix.clone(),
            beside: None,
        };
        let mut on_street = match self.lookup(&by_street) {
            Lookup::Found(m) => vec![m.text],
            Lookup::Ambiguous(list) | Lookup::Twice(list) => list,
            Lookup::NotFound(_) | Lookup::Mismatch(_) => Vec::new(),
        };
        on_street.truncate(5);
        let at_postcode = numbered
            .iter()
            .min_by_key(|&&i| {
                let e = &self.entries[i];
                (e.suffix_text() != q.suffix, e.id)
            })
            .map(|&i| self.text(&self.entries[i]));
        (at_postcode.is_some() || !on_street.is_empty()).then_some(Mismatch {
            at_postcode,
            on_street,
        })
    }

    /// One address (or several of one street, number and suffix in different places, which
    /// is ambiguous unless they are one point).
    fn one_or_list(&self, list: &[usize], found: impl Fn(&[usize]) -> Lookup) -> Lookup {
        let first = self.entries[list[0]].xy;
        if list.iter().all(|&i| self.entries[i].xy == first) {
            let mut by_id = list.to_vec();
            by_id.sort_by_key(|&i| self.entries[i].id);
            return found(&by_id);
        }
        self.several(list)
    }

    /// Entries `list` at different points, which no lookup can choose between: one address
    /// that the BAG holds at each of them ([`Lookup::Twice`]), or several addresses
    /// ([`Lookup::Ambiguous`]).
    fn several(&self, list: &[usize]) -> Lookup {
        let first = self.text(&self.entries[list[0]]);
        let texts = self.texts(list, usize::MAX);
        if list[1..]
            .iter()
            .all(|&i| self.text(&self.entries[i]) == first)
        {
            Lookup::Twice(texts)
        } else {
            Lookup::Ambiguous(texts)
        }
    }

    /// The addresses of entries `list` as the BAG writes them, sorted, each once (at most
    /// `max`). An address the BAG holds more than once at different points (Silodam 219,
    /// 1013 AS, twice, about 2 m apart) is listed once per point with its BAG id and point
    /// ([`DUPLICATE_MARK`]), so that the list says why it cannot choose.
    fn texts(&self, list: &[usize], max: usize) -> Vec<String> {
        let plain: Vec<String> = list.iter().map(|&i| self.text(&self.entries[i])).collect();
        let mut t: Vec<String> = list
            .iter()
            .zip(&plain)
            .map(|(&i, text)| {
                let e = &self.entries[i];
                let twice = list
                    .iter()
                    .zip(&plain)
                    .any(|(&j, other)| other == text && self.entries[j].xy != e.xy);
                if twice {
                    format!(
                        "{text}{DUPLICATE_MARK}{:016} op RD {:.0} {:.0})",
                        e.id, e.xy[0], e.xy[1]
                    )
                } else {
                    text.clone()
                }
            })
            .collect();
        t.sort();
        t.dedup();
        t.truncate(max);
        t
    }

    /// The closest candidates: same postcode/street with the nearest numbers; otherwise
    /// postcodes with the same four digits, or the addresses nearest the number asked on the
    /// most similar street names (Jaro–Winkler).
    fn suggestions(&self, q: &Query, keyed: &[usize]) -> Vec<String> {
        if !keyed.is_empty() {
            let mut near = keyed.to_vec();
            near.sort_by_key(|&i| nearness(&self.entries[i], q.number));
            let mut out = Vec::new();
            for i in near {
                let t = self.text(&self.entries[i]);
                if !out.contains(&t) {
                    out.push(t);
                }
                if out.len() == 5 {
                    break;
                }
            }
            return out;
        }
        match &q.key {
            Key::Postcode(pc) => {
                let lo = self.entries.partition_point(|e| e.postcode[..4] < pc[..4]);
                let hi = self.entries.partition_point(|e| e.postcode[..4] <= pc[..4]);
                let mut codes: Vec<[u8; 6]> =
                    self.entries[lo..hi].iter().map(|e| e.postcode).collect();
                codes.dedup();
                // The same first letter first (the same street area), then the same second.
                codes.sort_by_key(|c| {
                    let same = 2 * u8::from(c[4] == pc[4]) + u8::from(c[5] == pc[5]);
                    (std::cmp::Reverse(same), *c)
                });
                codes.iter().take(5).map(postcode_text).collect()
            }
            Key::Street { street, place } => {
                // Per street and place, its address nearest the number asked (as for a known
                // street above): each suggestion is an address that can be looked up and
                // tested as it stands, not a street without a number.
                // The suffix asked counts first among equal numbers: "Barentszplein 1-H,
                // Rotterdam" suggests Barentszplein 1-H in Amsterdam, not 1-1.
                let close = |e: &Entry| {
                    let n = nearness(e, q.number);
                    (n.0, e.suffix_text() != q.suffix, n)
                };
                let mut nearest: std::collections::BTreeMap<(u32, u32), usize> =
                    std::collections::BTreeMap::new();
                for (i, e) in self.entries.iter().enumerate() {
                    let best = nearest.entry((e.street, e.place)).or_insert(i);
                    if close(e) < close(&self.entries[*best]) {
                        *best = i;
                    }
                }
                let in_place = |p: u32| place.as_ref().is_none_or(|w| self.norm[p as usize] == *w);
                // A place the file does not hold (a typo, or an extract of another place)
                // narrows nothing: each suggestion names its own place.
                let known_place = nearest.keys().any(|&(_, p)| in_place(p));
                let mut scored: Vec<(u64, String)> = nearest
                    .into_iter()
                    .filter(|&((_, p), _)| !known_place || in_place(p))
                    .filter_map(|((s, _), i)| {
                        let score = strsim::jaro_winkler(&self.norm[s as usize], street);
                        // A street that is not like the one asked is no suggestion: "Damrak 1"
                        // on an extract without the Damrak gets "niets dat erop lijkt", not
                        // Van Diemenkade.
                        (score >= SIMILAR_STREET)
                            .then(|| (((1.0 - score) * 1e9) as u64, self.text(&self.entries[i])))
                    })
                    .collect();
                scored.sort();
                scored.dedup();
                scored.into_iter().take(5).map(|(_, n)| n).collect()
            }
        }
    }

    /// The entries that are dwellings (gebruiksdoel woonfunctie), in index order.
    pub fn dwellings(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.dwelling())
    }
}

/// The least Jaro–Winkler similarity of a street name to the one asked for it to be suggested:
/// a typo ("Barenszplein" for "Barentszplein", 0.98) or a sister street ("Barentszstraat",
/// 0.84) is; an unrelated street ("Van Diemenkade" for "Damrak", 0.57) is not.
const SIMILAR_STREET: f64 = 0.8;

/// How near address `e` is to the house number `number` asked, for the candidates of a miss:
/// the difference in number first, then the lower number, the suffix and the BAG id, so the
/// order is total and the same in every run.
fn nearness(e: &Entry, number: u32) -> (u32, u32, [u8; MAX_SUFFIX], u64) {
    (e.number.abs_diff(number), e.number, e.suffix, e.id)
}

/// A [`normalise`]d street name without its spaces, as a street beside a postcode is compared
/// with the BAG's: `barentsz plein` and `barentszplein` are both `barentszplein`.
fn bare_name(normalised: &str) -> String {
    normalised.replace(' ', "")
}

/// The Netherlands' extent, generously: lon 3.0–7.5°, lat 50.5–53.8°; RD x 0–300 km,
/// y 289–629 km (the RD New area of use).
const LON: (f64, f64) = (3.0, 7.5);
const LAT: (f64, f64) = (50.5, 53.8);
const RD_X: (f64, f64) = (0.0, 300_000.0);
const RD_Y: (f64, f64) = (289_000.0, 629_000.0);

fn within(v: f64, r: (f64, f64)) -> bool {
    v >= r.0 && v <= r.1
}

/// Coordinates given in the wrong order: `Some(message)` when `p` lies outside the
/// Netherlands in the order given but inside it swapped. `geographic`: `p` is lon/lat
/// degrees (else RD metres). docs/METHOD.md §6.1.
///
/// Example: `(52.526911, 6.082565)` as lon/lat → swapped (52.5 is a latitude);
/// `(502000, 200000)` as RD → swapped (y is the larger one in the Netherlands).
pub fn swapped_coordinates(p: [f64; 2], geographic: bool) -> Option<String> {
    let what = if geographic {
        "lengtegraad,breedtegraad (lon,lat: in Nederland het kleinste getal eerst)"
    } else {
        "x,y (RD: x is het kleinste getal, y van 289.000 tot 629.000)"
    };
    is_swapped(p, geographic).then(|| {
        format!(
            "({}, {}) ligt buiten Nederland, maar ({}, {}) ligt erbinnen: de getallen zijn \
             verwisseld; geef {what}, hier {},{}",
            p[0], p[1], p[1], p[0], p[1], p[0]
        )
    })
}

/// Whether `p` lies outside the Netherlands in the order given but inside it swapped
/// (`geographic`: lon/lat degrees, else RD metres): the test of [`swapped_coordinates`], also
/// run on the points of a file (`io::read`).
///
/// Example: `is_swapped([503_745.7, 200_242.4], false)` is true; `[200_242.4, 503_745.7]` is
/// not.
pub fn is_swapped(p: [f64; 2], geographic: bool) -> bool {
    let (rx, ry) = if geographic { (LON, LAT) } else { (RD_X, RD_Y) };
    let fits = |a: f64, b: f64| within(a, rx) && within(b, ry);
    !fits(p[0], p[1]) && fits(p[1], p[0])
}

/// The problem of a point of a file whose x and y are swapped ([`is_swapped`]), with its
/// coordinates as read: the message of a sites, facilities, candidates or dwellings row.
///
/// Example: `swapped_problem([52.51, 6.09])` = "de coördinaten (52.51, 6.09) liggen buiten
/// Nederland, maar omgedraaid, (6.09, 52.51), erbinnen: x en y zijn verwisseld".
pub fn swapped_problem(p: [f64; 2]) -> String {
    format!(
        "de coördinaten ({}, {}) liggen buiten Nederland, maar omgedraaid, ({}, {}), erbinnen: \
         x en y zijn verwisseld",
        p[0], p[1], p[1], p[0]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_after_the_number_without_a_comma_gets_a_hint() {
        let hint = |t: &str| place_hint(&parse(t).unwrap());
        assert_eq!(
            hint("Barentszplein 1 Ede").as_deref(),
            Some(
                "staat er een plaatsnaam achter het huisnummer, zet er dan een komma voor: \
                 'Barentszplein 1, Ede'"
            )
        );
        // A huisletter, a toevoeging with a digit, a postcode key: no hint.
        assert_eq!(hint("Barentszplein 8D"), None);
        assert_eq!(hint("Barentszplein 1-1"), None);
        assert_eq!(hint("1013 NJ 1 H"), None);
    }
    use proptest::prelude::*;

    fn pc(s: &str) -> [u8; 6] {
        parse_postcode(s).unwrap()
    }

    fn q(key: Key, number: u32, suffix: &str) -> Query {
        Query {
            key,
            number,
            suffix: suffix.into(),
            beside: None,
        }
    }

    fn street(s: &str, place: Option<&str>) -> Key {
        Key::Street {
            street: s.into(),
            place: place.map(Into::into),
        }
    }

    #[test]
    fn the_forms_of_the_issue_parse() {
        let h = q(Key::Postcode(pc("1013NJ")), 1, "H");
        // A postcode with Barentszplein written beside it.
        let beside = |query: Query, place: Option<&str>| Query {
            beside: Some(("barentszplein".into(), place.map(Into::into))),
            ..query
        };
        for (text, query) in [
            ("1013 NJ 1 H", h.clone()),
            ("1013NJ 1-H", h.clone()),
            (" 1013nj  1h ", h),
            (
                "Straat 12a, Plaats",
                q(street("straat", Some("plaats")), 12, "A"),
            ),
            ("Straat 12-2", q(street("straat", None), 12, "2")),
            (
                "Van  Diemenstraat 12 A 2,  AMSTERDAM",
                q(street("van diemenstraat", Some("amsterdam")), 12, "A2"),
            ),
            (
                "2e Hugo de Grootstraat 3",
                q(street("2e hugo de grootstraat", None), 3, ""),
            ),
            (
                "Barentszplein 1, 1013 NJ Amsterdam",
                beside(q(Key::Postcode(pc("1013NJ")), 1, ""), Some("amsterdam")),
            ),
            // As an address is written on one line: commas between postcode and place, or
            // none at all.
            (
                "Barentszplein 1-H, 1013NJ, Amsterdam",
                beside(q(Key::Postcode(pc("1013NJ")), 1, "H"), Some("amsterdam")),
            ),
            (
                "Barentszplein 1 H 1013 NJ Amsterdam",
                beside(q(Key::Postcode(pc("1013NJ")), 1, "H"), Some("amsterdam")),
            ),
            (
                "Straat 12 1013NJ",
                Query {
                    beside: Some(("straat".into(), None)),
                    ..q(Key::Postcode(pc("1013NJ")), 12, "")
                },
            ),
            (
                "Barentszplein 1 Amsterdam",
                q(street("barentszplein", Some("amsterdam")), 1, ""),
            ),
            (
                "Van Diemenstraat 12 A 2 's-Hertogenbosch",
                q(
                    street("van diemenstraat", Some("s hertogenbosch")),
                    12,
                    "A2",
                ),
            ),
            (
                "1013 NJ 1 H Amsterdam",
                q(Key::Postcode(pc("1013NJ")), 1, "H"),
            ),
            // The place before the postcode, with or without commas.
            (
                "Barentszplein 1-H Amsterdam 1013 NJ",
                beside(q(Key::Postcode(pc("1013NJ")), 1, "H"), Some("amsterdam")),
            ),
            (
                "Barentszplein 1-H, Amsterdam, 1013NJ",
                beside(q(Key::Postcode(pc("1013NJ")), 1, "H"), Some("amsterdam")),
            ),
        ] {
            assert_eq!(parse(text).unwrap(), query, "{text}");
        }
    }

    #[test]
    fn diacritics_case_and_punctuation_are_forgiven() {
        assert_eq!(normalise("Café  't Hoekje"), "cafe t hoekje");
        assert_eq!(normalise("ÉÉNHOORN-straat"), "eenhoorn straat");
        assert_eq!(normalise("Frëlân"), "frelan");
        assert_eq!(suffix_key("a", "-2"), "A2");
    }

    #[test]
    fn bad_addresses_say_what_is_missing() {
        for (text, said) in [
            ("", "leeg"),
            ("Barentszplein", "geen huisnummer"),
            ("1013 NJ", "geen huisnummer"),
            ("Straat 0", "1 tot en met 99.999"),
            ("Straat 123456", "1 tot en met 99.999"),
            ("Straat 12 AB CDEF", "langer"),
            // "Den" and "Haag" could each be a toevoeging: a short place needs its comma.
            ("Straat 12 Den Haag", "zet er dan een komma voor"),
            (
                "1013 NJ Barentszplein 1",
                "hier hoort het huisnummer, maar er staat 'Barentszplein'",
            ),
            ("Straat 12 (a)", "'('"),
            ("- 12", "geen straatnaam"),
            ("1013 NJ 0", "1 tot en met 99.999"),
            ("1013 NJ 1 (a)", "'('"),
            ("Straat[40 12", "vast aan andere tekens"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(said), "{text:?}: {e}");
            assert!(e.contains("bijvoorbeeld '"), "{text:?} shows how: {e}");
        }
        // Found by the `address` fuzz target: "straat 40 12" would read as huisnummer 40.
        assert!(parse("Straat[40 12")
            .unwrap_err()
            .contains("bevat het getal '40' vast aan andere tekens"));
        // Found by the `address` fuzz target: a street "1013 nj013 nj" would read back as
        // postcode 1013 NJ, huisnummer 13.
        assert!(parse("1013\u{17}NJ013 NJ 1  1 H")
            .unwrap_err()
            .contains("begint als een postcode"));
        assert_eq!(
            parse("1e Jacob van Campenstraat 12").unwrap().number,
            12,
            "a street may start with a number"
        );
        assert!(from_parts("0123 AB", "1", "", "").is_err());
        assert_eq!(
            from_parts("1013 nj", "1", "", "h").unwrap(),
            q(Key::Postcode(pc("1013NJ")), 1, "H")
        );
    }

    /// A small index: number 1 has four addresses at one point, number 3 has two at two
    /// points, number 5 one plain address, and a second street with the same name
    /// elsewhere.
    fn index() -> AddressIndex {
        let names = vec![
            "Barentszplein".to_string(),
            "Amsterdam".to_string(),
            "Zwolle".to_string(),
        ];
        let e = |id, x, number, pc: &str, suffix: &str, place| Entry {
            id,
            xy: [x, 489_000.0],
            number,
            postcode: parse_postcode(pc).unwrap(),
            suffix: suffix_bytes(suffix).unwrap(),
            flags: Entry::flags(false, id % 2 == 0),
            street: 0,
            place,
        };
        AddressIndex::new(
            names,
            vec![
                e(14, 100.0, 1, "1013NJ", "3", 1),
                e(11, 100.0, 1, "1013NJ", "H", 1),
                e(12, 100.0, 1, "1013NJ", "1", 1),
                e(13, 100.0, 1, "1013NJ", "2", 1),
                e(21, 200.0, 3, "1013NJ", "H", 1),
                e(22, 210.0, 3, "1013NJ", "1", 1),
                e(31, 300.0, 5, "1013NJ", "", 1),
                e(41, 900.0, 5, "8011AA", "", 2),
            ],
        )
    }

    fn found(l: Lookup) -> Match {
        match l {
            Lookup::Found(m) => m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_street_beside_a_postcode_must_agree_with_it() {
        // Barentszplein 1-H (1013 NJ) and Barentszstraat 1 (1013 NL), as in the 1013 extract.
        let names = vec![
            "Barentszplein".to_string(),
            "Barentszstraat".to_string(),
            "Amsterdam".to_string(),
        ];
        let e = |id, x, pc: &str, suffix: &str, street| Entry {
            id,
            xy: [x, 489_000.0],
            number: 1,
            postcode: parse_postcode(pc).unwrap(),
            suffix: suffix_bytes(suffix).unwrap(),
            flags: Entry::flags(false, false),
            street,
            place: 2,
        };
        let ix = AddressIndex::new(
            names,
            vec![
                e(11, 100.0, "1013NJ", "H", 0),
                e(51, 500.0, "1013NL", "", 1),
            ],
        );
        let plein = "Barentszplein 1-H, 1013 NJ Amsterdam";
        let straat = "Barentszstraat 1, 1013 NL Amsterdam";
        // Agreeing, also written with other spaces and signs: the postcode decides.
        for agrees in [
            "Barentszplein 1-H, 1013 NJ",
            "barentsz-plein 1 h, 1013NJ, Amsterdam",
        ] {
            assert_eq!(found(ix.lookup(&parse(agrees).unwrap())).entry.id, 11);
        }
        let mismatch = |text: &str| match ix.lookup(&parse(text).unwrap()) {
            Lookup::Mismatch(m) => m,
            other => panic!("{text}: {other:?}"),
        };
        // The postcode names an address on another street, which has the number too.
        let m = mismatch("Barentszstraat 1-H, 1013 NJ Amsterdam");
        assert_eq!(m.at_postcode.as_deref(), Some(plein));
        assert!(m.on_street.is_empty(), "Barentszstraat has no 1-H");
        let m = mismatch("Barentszstraat 1, 1013 NJ");
        assert_eq!(
            (m.at_postcode.as_deref(), m.on_street.as_slice()),
            (Some(plein), [straat.to_string()].as_slice())
        );
        assert_eq!(m.candidates(), [plein, straat]);
        assert!(m.reason().contains("controleer welke van de twee klopt"));
        // A postcode the BAG does not have beside a street it has.
        let m = mismatch("Barentszplein 1-H, 9999 ZZ");
        assert_eq!(m.at_postcode, None);
        assert_eq!(m.on_street, [plein]);
        assert!(
            m.reason().ends_with("controleer de postcode"),
            "{}",
            m.reason()
        );
        // Neither has it: the closest candidates, as without a street.
        assert!(matches!(
            ix.lookup(&parse("Kerkstraat 7, 9999 ZZ").unwrap()),
            Lookup::NotFound(_)
        ));
        // A postcode on its own, or in separate fields, is not checked against a street.
        assert_eq!(
            found(ix.lookup(&parse("1013 NJ 1 H").unwrap())).entry.id,
            11
        );
    }

    #[test]
    fn one_address_at_two_points_is_twice_not_ambiguous() {
        // Silodam 219, 1013 AS: the BAG holds it as two objects about 2 m apart. Beside it a
        // number with two letters at two points, which a letter chooses between.
        let names = vec!["Silodam".into(), "Amsterdam".into()];
        let e = |id, x, number, suffix| Entry {
            id,
            xy: [x, 489_335.0],
            number,
            postcode: parse_postcode("1013AS").unwrap(),
            suffix: suffix_bytes(suffix).unwrap(),
            flags: Entry::flags(!suffix.is_empty(), false),
            street: 0,
            place: 1,
        };
        let ix = AddressIndex::new(
            names,
            vec![
                e(476_146, 121_229.0, 219, ""),
                e(12_140_306, 121_231.0, 219, ""),
                e(1, 121_300.0, 221, "A"),
                e(2, 121_310.0, 221, "B"),
            ],
        );
        assert_eq!(
            ix.lookup(&parse("1013 AS 219").unwrap()),
            Lookup::Twice(vec![
                "Silodam 219, 1013 AS Amsterdam (BAG-object 0000000000476146 op RD 121229 489335)"
                    .into(),
                "Silodam 219, 1013 AS Amsterdam (BAG-object 0000000012140306 op RD 121231 489335)"
                    .into(),
            ])
        );
        assert_eq!(
            ix.lookup(&parse("1013 AS 221").unwrap()),
            Lookup::Ambiguous(vec![
                "Silodam 221A, 1013 AS Amsterdam".into(),
                "Silodam 221B, 1013 AS Amsterdam".into(),
            ])
        );
    }

    #[test]
    fn a_street_beside_a_postcode_chooses_among_its_addresses() {
        // One postcode with huisnummer 1 on two streets, at two points.
        let names = vec!["Astraat".into(), "Bstraat".into(), "Plaats".into()];
        let e = |id, x, street| Entry {
            id,
            xy: [x, 489_000.0],
            number: 1,
            postcode: parse_postcode("1013NJ").unwrap(),
            suffix: suffix_bytes("").unwrap(),
            flags: Entry::flags(false, false),
            street,
            place: 2,
        };
        let ix = AddressIndex::new(names, vec![e(1, 100.0, 0), e(2, 200.0, 1)]);
        assert!(matches!(
            ix.lookup(&parse("1013 NJ 1").unwrap()),
            Lookup::Ambiguous(list) if list.len() == 2
        ));
        assert_eq!(
            found(ix.lookup(&parse("Bstraat 1, 1013 NJ").unwrap()))
                .entry
                .id,
            2
        );
    }

    #[test]
    fn exact_addresses_are_found_with_their_bag_text() {
        let ix = index();
        let m = found(ix.lookup(&parse("1013 NJ 1-2").unwrap()));
        assert_eq!((m.entry.id, m.shared), (13, 0));
        assert_eq!(m.text, "Barentszplein 1-2, 1013 NJ Amsterdam");
        let m = found(ix.lookup(&parse("barentszplein 1 h, amsterdam").unwrap()));
        assert_eq!(m.entry.id, 11);
        assert_eq!(m.text, "Barentszplein 1-H, 1013 NJ Amsterdam");
        let m = found(ix.lookup(&parse("Barentszplein 5, Zwolle").unwrap()));
        assert_eq!(m.entry.id, 41);
    }

    #[test]
    fn no_suffix_takes_the_shared_point_and_says_how_many() {
        let m = found(index().lookup(&parse("1013 NJ 1").unwrap()));
        assert_eq!((m.entry.id, m.shared), (11, 4));
    }

    #[test]
    fn ambiguity_gives_the_list() {
        let ix = index();
        let Lookup::Ambiguous(list) = ix.lookup(&parse("1013 NJ 3").unwrap()) else {
            panic!()
        };
        assert_eq!(list.len(), 2);
        // the same street and number in two places, no place given
        let Lookup::Ambiguous(list) = ix.lookup(&parse("Barentszplein 5").unwrap()) else {
            panic!()
        };
        assert_eq!(
            list,
            [
                "Barentszplein 5, 1013 NJ Amsterdam",
                "Barentszplein 5, 8011 AA Zwolle"
            ]
        );
    }

    #[test]
    fn misses_give_the_closest_candidates() {
        let ix = index();
        let Lookup::NotFound(near) = ix.lookup(&parse("1013 NJ 4").unwrap()) else {
            panic!()
        };
        assert_eq!(near[0], "Barentszplein 3-1, 1013 NJ Amsterdam");
        assert_eq!(near.len(), 5);
        let Lookup::NotFound(codes) = ix.lookup(&parse("1013 NK 1").unwrap()) else {
            panic!()
        };
        assert_eq!(codes, ["1013 NJ"]);
        let Lookup::NotFound(none) = ix.lookup(&parse("1014 NJ 1").unwrap()) else {
            panic!()
        };
        assert!(none.is_empty());
        let Lookup::NotFound(streets) = ix.lookup(&parse("Barentsplein 1, Amsterdam").unwrap())
        else {
            panic!()
        };
        // An address of the most similar street, nearest the number asked: one that can be
        // looked up and tested as it stands.
        assert_eq!(streets, ["Barentszplein 1-1, 1013 NJ Amsterdam"]);
        assert!(matches!(
            ix.lookup(&parse(&streets[0]).unwrap()),
            Lookup::Found(_)
        ));
        // A place the index does not hold narrows nothing: the street in every place.
        let Lookup::NotFound(streets) = ix.lookup(&parse("Barentszplein 1, Rotterdam").unwrap())
        else {
            panic!()
        };
        assert_eq!(
            streets[..2],
            [
                "Barentszplein 1-1, 1013 NJ Amsterdam",
                "Barentszplein 5, 8011 AA Zwolle"
            ]
        );
        let Lookup::NotFound(_) = ix.lookup(&parse("1013 NJ 1 X").unwrap()) else {
            panic!()
        };
    }

    #[test]
    fn a_huisnummer_cell_may_carry_its_huisletter_and_toevoeging() {
        let f = number_and_suffix_fields;
        assert_eq!(f("12", "a", "2"), Ok((12, "A2".into())));
        assert_eq!(f("12a", "", ""), Ok((12, "A".into())));
        assert_eq!(f(" 12 A ", "", ""), Ok((12, "A".into())));
        assert_eq!(f("12-2", "", ""), Ok((12, "2".into())));
        assert_eq!(f("12a", "", "2"), Ok((12, "A2".into())));
        assert_eq!(f("12a", "A", ""), Ok((12, "A".into())));
        let e = f("12a", "b", "").unwrap_err();
        assert!(
            e.contains("'12a' bevat huisletter/toevoeging 'a'")
                && e.contains("geven 'b': die spreken elkaar tegen"),
            "{e}"
        );
        assert!(f("12-2", "", "3")
            .unwrap_err()
            .contains("spreken elkaar tegen"));
        for bad in ["12,5", "a12", "", "0a", "12-", "12abcdef"] {
            assert!(f(bad, "", "").is_err(), "{bad}");
        }
    }

    #[test]
    fn an_entry_takes_48_bytes() {
        // 10 M entries of a national BAG: 480 MB (BENCHMARKS.md, "BAG address index").
        assert_eq!(std::mem::size_of::<Entry>(), 48);
        let e = Entry::flags(true, false);
        assert_eq!((e & Entry::LETTER, e & Entry::DWELLING), (1, 0));
    }

    #[test]
    fn names_rank_as_their_texts_sort() {
        let texts: Vec<String> = ["b", "a", "b", "", "ab"].map(String::from).to_vec();
        assert_eq!(ranks(&texts), [3, 1, 3, 0, 2]);
    }

    /// The street order sorted on ranks equals the order of the normalised texts themselves
    /// (as the index was first sorted), names that normalise alike ("Van Diemenstraat",
    /// "van  diemenstraat") counting as one street.
    #[test]
    fn the_street_order_is_that_of_the_normalised_names() {
        let names: Vec<String> = [
            "Zeestraat",
            "Van Diemenstraat",
            "Amsterdam",
            "van  diemenstraat",
            "Ääkade",
            "Haarlem",
        ]
        .map(String::from)
        .to_vec();
        let mut entries = Vec::new();
        for k in 0..40u32 {
            entries.push(Entry {
                id: u64::from(1000 - k),
                xy: [f64::from(k), 0.0],
                number: 1 + k % 3,
                postcode: parse_postcode(if k % 2 == 0 { "1013NJ" } else { "2011AB" }).unwrap(),
                suffix: suffix_bytes(if k % 5 == 0 { "A" } else { "" }).unwrap(),
                flags: Entry::flags(k % 5 == 0, true),
                street: [0, 1, 3, 4][k as usize % 4],
                place: [2, 5][k as usize % 2],
            });
        }
        let ix = AddressIndex::new(names.clone(), entries);
        let norm: Vec<String> = names.iter().map(|n| normalise(n)).collect();
        let key = |i: u32| {
            let e = &ix.entries[i as usize];
            (
                norm[e.street as usize].clone(),
                norm[e.place as usize].clone(),
                e.number,
                e.suffix,
                e.id,
            )
        };
        let order = ix.street_order();
        assert_eq!(order.len(), 40);
        assert!(order.windows(2).all(|w| key(w[0]) <= key(w[1])));
        let found = ix.lookup(&parse("Van Diemenstraat 2, Haarlem").unwrap());
        assert!(
            matches!(
                found,
                Lookup::Found(_) | Lookup::Ambiguous(_) | Lookup::Twice(_)
            ),
            "{found:?}"
        );
    }

    #[test]
    fn swapped_coordinates_are_recognised() {
        let m = swapped_coordinates([52.526911, 6.082565], true).unwrap();
        assert!(m.contains("hier 6.082565,52.526911"), "{m}");
        assert!(swapped_coordinates([6.082565, 52.526911], true).is_none());
        assert!(swapped_coordinates([502_000.0, 200_000.0], false).is_some());
        assert!(swapped_coordinates([200_000.0, 502_000.0], false).is_none());
        assert!(is_swapped([503_745.7, 200_242.4], false));
        assert!(!is_swapped([200_242.4, 503_745.7], false));
        // far away either way: not a swap, the ordinary error applies
        assert!(swapped_coordinates([-70.0, 40.0], true).is_none());
    }

    proptest! {
        /// Any address an index holds, written in the typed forms, is found at its own point.
        #[test]
        fn written_addresses_parse_back(
            number in 1u32..=MAX_NUMBER,
            letter in proptest::option::of("[A-Z]"),
            addition in proptest::option::of("[0-9]{1,3}"),
            digits in 1000u32..=9999,
            l in "[A-Z]{2}",
        ) {
            let code = format!("{digits}{l}");
            let suffix = format!("{}{}", letter.clone().unwrap_or_default(), addition.clone().unwrap_or_default());
            let sep = if addition.is_some() { "-" } else { "" };
            let typed = [
                format!("{digits} {l} {number}{}{sep}{}", letter.clone().unwrap_or_default(), addition.clone().unwrap_or_default()),
                format!("{} {number} {suffix}", code.to_lowercase()),
            ];
            for t in typed {
                let parsed = parse(&t).unwrap();
                prop_assert_eq!(parsed, q(Key::Postcode(pc(&code)), number, &suffix));
            }
            let s = parse(&format!("Straat {number}{sep}{suffix}, Plaats")).unwrap();
            prop_assert_eq!(s, q(street("straat", Some("plaats")), number, &suffix));
        }

        /// Parsing never panics, and what it accepts is within the BAG's limits.
        #[test]
        fn parse_accepts_only_bag_shaped_queries(text in "\\PC{0,40}") {
            if let Ok(q) = parse(&text) {
                prop_assert!((1..=MAX_NUMBER).contains(&q.number));
                prop_assert!(q.suffix.len() <= MAX_SUFFIX);
                prop_assert!(q.suffix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
            }
        }

        /// Normalising is idempotent.
        #[test]
        fn normalise_is_idempotent(text in "\\PC{0,40}") {
            let once = normalise(&text);
            prop_assert_eq!(normalise(&once), once.clone());
        }
    }
}
