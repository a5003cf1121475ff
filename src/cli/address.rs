//! Locations given as addresses: the query parsed (`model::address`), looked up in the BAG
//! file the user named (`io::read::read_bag`), and the outcome as a point or a clear error with
//! the candidates (docs/METHOD.md §6.1).

use std::path::Path;

use crate::cli::Failure;
use crate::io::read::{read_bag, Bag};
use crate::model::address::{from_parts, parse, Lookup, Match, Query};

/// An address found in the BAG, with where it was looked up.
#[derive(Debug, Clone)]
pub struct Located {
    /// What the user gave.
    pub given: String,
    /// The match.
    pub found: Match,
    /// The BAG file's path.
    pub bag: String,
    /// Its BLAKE3 digest.
    pub blake3: String,
}

impl Located {
    /// The point in the compute CRS (EPSG:28992).
    pub fn xy(&self) -> [f64; 2] {
        self.found.entry.xy
    }

    /// As JSON for the machine output.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "given": self.given,
            "matched": self.found.text,
            "bag_id": format!("{:016}", self.found.entry.id),
            "x": crate::table::number(self.found.entry.xy[0]),
            "y": crate::table::number(self.found.entry.xy[1]),
            "shared_point": self.found.shared,
            "bag_file": self.bag,
            "bag_blake3": self.blake3,
        })
    }

    /// One line of Dutch text for the terminal: the address as given and as the BAG writes
    /// it, its BAG id, and its point in RD New to the metre, in the form `--at` takes (a
    /// point read from a GeoJSON extract in WGS84 has many decimals, which help no one).
    ///
    /// Example: "Adres: 1013 NJ 1 H → Barentszplein 1-H, 1013 NJ Amsterdam (BAG
    /// 0363200000039881), RD --at 121223,489163".
    pub fn text(&self) -> String {
        let e = &self.found.entry;
        let mut t = format!(
            "Adres: {} → {} (BAG {:016}), RD --at {:.0},{:.0}",
            self.given, self.found.text, e.id, e.xy[0], e.xy[1],
        );
        if self.found.shared > 0 {
            t.push_str(&format!(
                "; geen adres zonder huisletter/toevoeging: de {} adressen onder dit huisnummer \
                 liggen op één punt",
                self.found.shared
            ));
        }
        t
    }
}

/// Open the BAG file given with `flag`.
pub fn open_bag(bag: Option<&Path>, flag: &str) -> Result<Bag, Failure> {
    let path = bag.ok_or_else(|| {
        Failure(format!(
            "een adres wordt opgezocht in een BAG-bestand: geef {flag} BESTAND of zet [bag] path = \
             \"BESTAND\" in het configuratiebestand (de BAG-GeoPackage van PDOK, of \
             data/bag/bag_amsterdam_1013.gpkg voor postcodegebied 1013)"
        ))
    })?;
    Ok(read_bag(path, flag)?)
}

/// The query of `--address` or of `--postcode`/`--huisnummer`/`--huisletter`/`--toevoeging`.
pub fn query(
    address: Option<&str>,
    parts: Option<(&str, &str, &str, &str)>,
) -> Result<(String, Query), Failure> {
    match (address, parts) {
        (Some(a), _) => Ok((
            a.to_string(),
            parse(a).map_err(|m| Failure(format!("--address: {m}")))?,
        )),
        (None, Some((pc, n, l, t))) => {
            let given = [pc, n, l, t]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            Ok((
                given,
                from_parts(pc, n, l, t).map_err(|m| Failure(format!("--postcode: {m}")))?,
            ))
        }
        (None, None) => Err(Failure("geef --at, --address of --postcode".into())),
    }
}

/// Look `query` up: the match, or an error that lists the candidates.
pub fn locate(bag: &Bag, given: &str, query: &Query) -> Result<Located, Failure> {
    match bag.index.lookup(query) {
        Lookup::Found(found) => Ok(Located {
            given: given.to_string(),
            found,
            bag: bag.path.display().to_string(),
            blake3: bag.blake3.clone(),
        }),
        Lookup::Twice(list) => Err(Failure(format!(
                "'{given}' staat {} keer in {}, op verschillende punten:\n  {}\nhet BAG-bestand \
                 heeft dit adres dubbel, dus geen huisletter of toevoeging kiest; geef het punt zelf \
                 met --at X,Y",
                list.len(),
                bag.path.display(),
                list.join("\n  ")
        ))),
        Lookup::Ambiguous(list) => Err(Failure(format!(
            "'{given}' past bij {} adressen op verschillende punten in {}:\n  {}\nvoeg de huisletter \
             of toevoeging toe (bijvoorbeeld '{}')",
            list.len(),
            bag.path.display(),
            list.join("\n  "),
            list[0]
        ))),
        Lookup::NotFound(near) if near.is_empty() => Err(Failure(format!(
            "'{given}' staat niet in {} ({} adressen) en er ligt niets dat erop lijkt; controleer \
             het adres, of gebruik een BAG-bestand waar het in staat (de landelijke \
             BAG-GeoPackage van PDOK)",
            bag.path.display(),
            crate::format::count(bag.index.len())
        ))),
        Lookup::NotFound(near) => Err(Failure(format!(
            "'{given}' staat niet in {}; wat er het meest op lijkt:\n  {}\ncontroleer het adres{} (of geef --at X,Y)",
            bag.path.display(),
            near.join("\n  "),
            crate::model::address::place_hint(query).map_or(String::new(), |h| format!("; {h}"))
        ))),
        Lookup::Mismatch(m) => Err(Failure(format!(
            "'{given}': {} ({})",
            m.reason(),
            bag.path.display()
        ))),
    }
}
