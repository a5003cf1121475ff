//! The address box of `wijkbalans serve`: an address typed on the page, looked up in the BAG
//! file given at the start (`--bag` or `[bag] path`), as `test-site --address` looks it up
//! (`cli::address`, docs/METHOD.md §6.1). No match or several: a Dutch message with the
//! candidates, which the page lists to choose from; an address the BAG holds at two points
//! gives both points and no candidates (only the map can choose).

use crate::cli::address::{self, Located};
use crate::io::read::Bag;
use crate::model::address::Lookup;

/// Why an address gave no point: the message for the page and the candidate addresses.
#[derive(Debug, PartialEq)]
pub struct NotLocated {
    /// Dutch, one sentence.
    pub message: String,
    /// The addresses that match at different points, or the closest ones; may be empty.
    pub candidates: Vec<String>,
}

/// The BAG point of the address `given` in `bag`, or why there is none.
///
/// Example: in the Amsterdam extract "Barentszplein 1-H" is found (BAG 0363200000039881) and
/// "Barentszplein 1" gives the addresses with a letter or addition under number 1 as
/// candidates when they lie at different points.
pub fn locate(bag: &Bag, given: &str) -> Result<Located, NotLocated> {
    let given = given.trim();
    // The parser's reason shows how to write the address (`model::address::parse`).
    let (given, query) = address::query(Some(given), None).map_err(|f| NotLocated {
        message: format!(
            "adres niet te lezen: {}",
            f.0.trim_start_matches("--address: ")
        ),
        candidates: Vec::new(),
    })?;
    let file = bag.path.display();
    match bag.index.lookup(&query) {
        Lookup::Found(_) => address::locate(bag, &given, &query).map_err(|f| NotLocated {
            message: f.0,
            candidates: Vec::new(),
        }),
        Lookup::Ambiguous(list) => Err(NotLocated {
            message: format!(
                "'{given}' past bij {} adressen op verschillende plekken in {file}; kies er een \
                 (of voeg de huisletter of toevoeging toe)",
                list.len()
            ),
            candidates: list,
        }),
        // Choosing one of these texts would only look the same address up again: the page is
        // told to take the point from the map instead.
        Lookup::Twice(list) => Err(NotLocated {
            message: format!(
                "'{given}' staat {} keer in {file}, op verschillende punten ({}); geen huisletter \
                 of toevoeging kiest, klik de plek op de kaart",
                list.len(),
                list.iter()
                    .filter_map(|t| t.split_once(" (").map(|(_, at)| at.trim_end_matches(')')))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            candidates: Vec::new(),
        }),
        Lookup::Mismatch(m) => Err(NotLocated {
            message: format!("'{given}': {}", m.reason()),
            candidates: m.candidates(),
        }),
        Lookup::NotFound(near) if near.is_empty() => Err(NotLocated {
            message: format!(
                "'{given}' staat niet in {file} ({} adressen) en niets daarin lijkt erop; \
                 controleer het adres, of start met een BAG-bestand dat het gebied dekt",
                crate::format::count(bag.index.len())
            ),
            candidates: near,
        }),
        Lookup::NotFound(near) => Err(NotLocated {
            message: format!("'{given}' staat niet in {file}; bedoeld: een van deze?"),
            candidates: near,
        }),
    }
}
