//! Care sites: units, target group, status and the other site fields.

use crate::error::InputError;
use crate::io::read::RawLayer;
use crate::io::schema;
use crate::model::{
    unknown_group, yes_no, Site, SiteStatus, TargetGroup, MAX_AREA_POPULATION, MAX_SITE_UNITS,
};

use super::{count, point_of, text};

/// Field names recognised in a sites layer, most specific first.
pub const SITE_FIELDS: &[(&str, &[&str])] = &[
    (
        "units",
        &[
            "units",
            "eenheden",
            "plaatsen",
            "aantal_plaatsen",
            "capaciteit",
        ],
    ),
    ("target_group", &["target_group", "doelgroep", "group"]),
    ("status", &["status"]),
    ("name", &["name", "naam", "projectnaam"]),
    (
        "regular_units",
        &["regular_units", "reguliere_woningen", "regulier"],
    ),
    (
        "care_24h",
        &["care_24h", "zorg_24uur", "zorg_24u", "24h_care"],
    ),
    ("year", &["year", "jaar", "opleverjaar"]),
];

pub(super) fn site_field(raw: &RawLayer, key: &str) -> Option<usize> {
    let aliases = SITE_FIELDS.iter().find(|(k, _)| *k == key)?.1;
    aliases
        .iter()
        .find_map(|a| raw.fields.iter().position(|f| f.eq_ignore_ascii_case(a)))
}

/// Build sites from a raw layer (input order kept).
pub fn sites(raw: &RawLayer, groups: &[TargetGroup]) -> Result<Vec<Site>, InputError> {
    let units_idx = site_field(raw, "units").ok_or_else(|| {
        let hint = ["units", "plaatsen"]
            .iter()
            .find_map(|a| schema::closest(a, &raw.fields))
            .map(|s| format!("bedoeld: '{s}'? hernoem die kolom naar units"))
            .unwrap_or_else(|| "voeg een kolom units toe met het aantal plaatsen of woningen".into());
        raw.error(
            format!(
                "geen kolom units (gezocht naar units, eenheden, plaatsen, aantal_plaatsen, capaciteit tussen de velden {})",
                raw.fields.join(", ")
            ),
            hint,
        )
    })?;
    let group_idx = site_field(raw, "target_group");
    let status_idx = site_field(raw, "status");
    let name_idx = site_field(raw, "name");
    let regular_idx = site_field(raw, "regular_units");
    let care_idx = site_field(raw, "care_24h");
    let year_idx = site_field(raw, "year");
    let mut out = Vec::with_capacity(raw.features.len());
    for f in &raw.features {
        let at = |problem: String, fix: String, field: usize| {
            raw.error(problem, fix)
                .at_feature(f.index)
                .in_field(&raw.fields[field])
        };
        let location = point_of(
            raw,
            f,
            "zorglocaties moeten punten zijn: gebruik de ingang of het zwaartepunt van het gebouw",
            "geef elke zorglocatie een ligging, of verwijder haar",
        )?;
        let units = match count(&f.attrs[units_idx]) {
            Ok(Some(u)) if u > MAX_SITE_UNITS => {
                return Err(at(
                    format!(
                        "units is {}, meer dan een zorglocatie heeft (hoogstens {})",
                        crate::error::shown(u),
                        crate::table::nl(MAX_SITE_UNITS, 0)
                    ),
                    "geef het aantal plaatsen of woningen van deze zorglocatie; verdeel een heel programma over de zorglocaties".into(),
                    units_idx,
                ))
            }
            Ok(Some(u)) if u > 0.0 && u.fract() == 0.0 => u,
            Ok(Some(u)) if u > 0.0 => {
                // As the file wrote it: `12,5` in a Dutch CSV, not 12.5.
                let written = match &f.attrs[units_idx] {
                    crate::io::read::Attr::Text(t) => t.trim().to_string(),
                    _ => crate::error::shown(u),
                };
                return Err(at(
                    format!("units moet een geheel aantal plaatsen of woningen zijn, niet {written}"),
                    "rond af op het aantal plaatsen of woningen".into(),
                    units_idx,
                ))
            }
            Ok(Some(u)) => {
                return Err(at(
                    format!("units moet groter zijn dan 0, niet {u}"),
                    "geef het aantal plaatsen of woningen; verwijder gesloten zorglocaties of neem ze als opheffing op in een scenario".into(),
                    units_idx,
                ))
            }
            Ok(None) => {
                return Err(at(
                    "units is leeg".into(),
                    "geef het aantal plaatsen of woningen".into(),
                    units_idx,
                ))
            }
            Err(m) => return Err(at(m, "geef een geheel getal, zonder scheidingsteken voor duizendtallen (1000, niet 1.000)".into(), units_idx)),
        };
        let target_group = match group_idx.and_then(|i| text(&f.attrs[i])) {
            None => "overig".to_string(),
            Some(g) => TargetGroup::id_in(groups, &g).ok_or_else(|| {
                at(
                    unknown_group(&g, &TargetGroup::ids(groups)),
                    "of voeg de doelgroep toe onder [[target_group]] in het configuratiebestand"
                        .into(),
                    group_idx.expect("read from it"),
                )
            })?,
        };
        let status = match status_idx.and_then(|i| text(&f.attrs[i])) {
            None => SiteStatus::Existing,
            Some(s) => SiteStatus::parse(&s).ok_or_else(|| {
                at(
                    format!("onbekende status '{s}'"),
                    "kies een van: existing, planned, proposed".into(),
                    status_idx.expect("read from it"),
                )
            })?,
        };
        let regular_units = match regular_idx.map(|i| count(&f.attrs[i])) {
            None | Some(Ok(None)) => 0.0,
            Some(Ok(Some(r))) if r >= 0.0 && r.fract() == 0.0 && r <= MAX_AREA_POPULATION => r,
            Some(Ok(Some(r))) if r >= 0.0 => {
                return Err(at(
                    format!(
                    "regular_units moet een geheel aantal woningen zijn van hoogstens {}, niet {r}",
                    crate::table::nl(MAX_AREA_POPULATION, 0)
                ),
                    "geef het aantal reguliere woningen van het project".into(),
                    regular_idx.expect("read"),
                ))
            }
            Some(Ok(Some(r))) => {
                return Err(at(
                    format!("regular_units kan niet negatief zijn ({r})"),
                    "geef 0 of meer".into(),
                    regular_idx.expect("read"),
                ))
            }
            Some(Err(m)) => {
                return Err(at(
                    m,
                    "geef een geheel getal, zonder scheidingsteken voor duizendtallen (1000, niet 1.000)".into(),
                    regular_idx.expect("read"),
                ))
            }
        };
        let care_24h = match care_idx.and_then(|i| text(&f.attrs[i])) {
            None => None,
            Some(t) => match yes_no(&t) {
                Some(yes) => Some(yes),
                None => {
                    return Err(at(
                        format!("care_24h '{t}' is geen ja/nee-waarde"),
                        "gebruik true/false, ja/nee of 1/0".into(),
                        care_idx.expect("read"),
                    ))
                }
            },
        };
        let year = match year_idx {
            None => None,
            Some(i) => crate::monitor::parse_year(&f.attrs[i].to_json()).map_err(|e| {
                at(
                    format!("jaar {} is onbruikbaar: {}", e.value, e.reason),
                    "geef het jaar als vier cijfers, bijvoorbeeld 2025, of laat het veld leeg"
                        .into(),
                    i,
                )
            })?,
        };
        let properties = raw
            .fields
            .iter()
            .zip(&f.attrs)
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        out.push(Site {
            feature_index: f.index,
            location,
            units,
            regular_units,
            target_group,
            status,
            care_24h,
            name: name_idx.and_then(|i| text(&f.attrs[i])),
            year,
            properties,
            address: None,
        });
    }
    if let Some((first, again)) = row_twice(&out) {
        return Err(raw
            .error(
                format!(
                    "een kopie van {}: elk veld en het punt zijn gelijk, dus de zorglocatie zou \
                     twee keer meetellen ({} eenheden in plaats van {})",
                    crate::error::feature_place(&raw.spec.path, out[first].feature_index),
                    crate::table::nl(2.0 * out[first].units, 0),
                    crate::table::nl(out[first].units, 0)
                ),
                "verwijder de dubbele rij; zijn het echt twee projecten op één plek, tel de \
                 eenheden dan op in één rij of geef ze elk een eigen naam",
            )
            .at_feature(out[again].feature_index));
    }
    Ok(out)
}

/// The first site that repeats an earlier one in every field and in its point (a row copied
/// twice in a spreadsheet), as (earlier, later) positions; `None` when every row differs.
/// Such a copy would count the site twice in the care units, the fair share and the signal.
fn row_twice(sites: &[Site]) -> Option<(usize, usize)> {
    let key = |s: &Site| {
        (
            s.location.x.to_bits(),
            s.location.y.to_bits(),
            serde_json::to_string(&s.properties).unwrap_or_default(),
        )
    };
    let mut seen = std::collections::HashMap::new();
    for (k, s) in sites.iter().enumerate() {
        if let Some(&first) = seen.get(&key(s)) {
            return Some((first, k));
        }
        seen.insert(key(s), k);
    }
    None
}
