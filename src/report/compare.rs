//! Two vintages of the same areas compared (e.g. CBS 2022 and 2024): what `wijkbalans compare`
//! writes. The matching and the changes are [`crate::monitor::compare()`]'s; this module takes
//! the values from each analysed vintage and lays out the result.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::indicators::Source;
use crate::model::code_key;
use crate::monitor::{signal_move, AreaComparison, CompareOptions, Comparison, VintageArea};
use crate::pipeline::{Loaded, Outcome};
use crate::table::{number, opt_number, Table};

/// One analysed vintage, as compared.
#[derive(Debug, Clone)]
pub struct Vintage {
    /// Per area the values compared: its counts, every computed indicator but C1 (lower-case
    /// id) and, when scored, draagkracht, draaglast and saldo.
    pub areas: Vec<VintageArea>,
    /// The signal of every area, by code.
    pub signals: BTreeMap<String, String>,
    /// Why an indicator was not computed in this vintage, by lower-case id (the skip reason
    /// of the analysis, e.g. the column the areas layer lacks).
    pub skipped: BTreeMap<String, String>,
    /// The year of the data, when known (for the reasons of [`not_compared`]).
    pub year: Option<i32>,
    /// How C2 (population density) was computed in this vintage: CBS's column (per km² land)
    /// or population / polygon area; `None` when not computed. See [`same_density`].
    pub density_source: Option<Source>,
    /// The ids of the indicators each block rests on in this vintage (`draagkracht`,
    /// `draaglast`), as [`crate::indicators::block_basis`] gives them. See [`unlike_block`].
    pub blocks: BTreeMap<String, Vec<String>>,
    /// The position in `areas` of every area by its code key ([`code_key`]): an area is looked
    /// up by code for every value, block and signal compared, which a search through `areas`
    /// made quadratic in the number of areas (all wijken of the Netherlands: 3,340).
    index: HashMap<String, usize>,
}

impl Vintage {
    /// The area with `code`, compared by [`code_key`] (a vintage may write `wk019301` where the
    /// other writes `WK019301`).
    pub fn area(&self, code: &str) -> Option<&VintageArea> {
        self.index.get(&code_key(code)).map(|&i| &self.areas[i])
    }

    /// The signal of the area with `code`; empty when there is no such area.
    fn signal(&self, code: &str) -> String {
        self.area(code)
            .and_then(|a| self.signals.get(&a.code))
            .cloned()
            .unwrap_or_default()
    }
}

/// The [`Vintage::index`] of `areas`.
fn index(areas: &[VintageArea]) -> HashMap<String, usize> {
    areas
        .iter()
        .enumerate()
        .map(|(i, a)| (code_key(&a.code), i))
        .collect()
}

/// The key of C2 when both vintages computed it from the polygons ([`same_density`]).
pub const DENSITY_COMPUTED: &str = "c2_berekend";

/// Give both vintages the same density definition (docs/METHOD.md §4.4): CBS's density (per
/// km² land, its column) when both vintages have it, otherwise population / polygon area in
/// km² in both, under the key [`DENSITY_COMPUTED`] ("berekend", computed). Returns the
/// definition used, in Dutch, or `None` when neither vintage has a density.
///
/// Why: CBS divides by land area, the polygon includes water, so mixing the two reads as a
/// change that is not there (Zwolle Binnenstad 2022 computed 6.730 against 2024 CBS 8.119 per
/// km², +21 %, while its population grew 5 %).
///
/// Example: 4020 inwoners on a polygon of 0,5974 km² give 6.729 inwoners per km² (berekend).
pub fn same_density(before: &mut Vintage, after: &mut Vintage) -> Option<String> {
    let cbs = |v: &Vintage| matches!(v.density_source, Some(Source::Value { .. }));
    if before.density_source.is_none() && after.density_source.is_none() {
        return None;
    }
    if cbs(before) && cbs(after) {
        return Some("c2: CBS-bevolkingsdichtheid (inwoners per km² land) in beide jaren".into());
    }
    for v in [before, after] {
        for a in &mut v.areas {
            a.values.remove("c2");
            let km2 = geo::Area::unsigned_area(&a.geometry) / 1.0e6;
            let d = a
                .values
                .get("population")
                .copied()
                .flatten()
                .filter(|_| km2 > 0.0)
                .map(|p| p / km2);
            a.values.insert(DENSITY_COMPUTED.to_string(), d);
        }
        v.skipped.remove("c2");
    }
    Some(
        "c2_berekend: inwoners / oppervlakte van de polygoon (km², inclusief water) in beide \
         jaren, omdat de CBS-dichtheid (per km² land) niet in beide bestanden staat"
            .into(),
    )
}

/// The values of an analysed study to compare.
pub fn vintage(loaded: &Loaded, out: &Outcome) -> Vintage {
    let mut signals = BTreeMap::new();
    let areas: Vec<VintageArea> = loaded
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut values = BTreeMap::new();
            for key in ["population", "dwellings", "households"] {
                if loaded.columns.contains_key(key) {
                    values.insert(key.to_string(), a.value(key));
                }
            }
            for s in &out.analysis.indicators {
                if s.skipped.is_none() && !["C1"].contains(&s.def.id.as_str()) {
                    values.insert(s.def.id.to_ascii_lowercase(), s.values[i].ok());
                }
            }
            let sc = &out.analysis.areas[i];
            if sc.draagkracht.is_some() || sc.draaglast.is_some() {
                values.insert("draagkracht".into(), sc.draagkracht);
                values.insert("draaglast".into(), sc.draaglast);
                values.insert("saldo".into(), sc.saldo);
            }
            signals.insert(a.code.clone(), sc.signal.as_str().to_string());
            VintageArea {
                code: a.code.clone(),
                name: a.name.clone(),
                geometry: a.geometry.clone(),
                values,
            }
        })
        .collect();
    let skipped = out
        .analysis
        .indicators
        .iter()
        .filter_map(|s| {
            let r = s.skipped.as_ref()?;
            Some((s.def.id.to_ascii_lowercase(), r.to_string()))
        })
        .collect();
    let density_source = out
        .analysis
        .indicators
        .iter()
        .find(|s| s.def.id == "C2" && s.skipped.is_none())
        .and_then(|s| s.source.clone());
    let blocks = crate::indicators::block_basis(&out.analysis.indicators)
        .into_iter()
        .map(|b| (b.block, b.indicators))
        .collect();
    Vintage {
        index: index(&areas),
        areas,
        signals,
        skipped,
        year: loaded.config.source_year,
        density_source,
        blocks,
    }
}

/// The indicators the block `block` of area `code` rests on in vintage `v`: the block's
/// indicators ([`Vintage::blocks`]) that have a value there (a suppressed value leaves its
/// indicator out of the area's block score).
fn area_basis(v: &Vintage, code: &str, block: &str) -> Vec<String> {
    let area = v.area(code);
    let has = |id: &String| {
        area.and_then(|a| a.values.get(&id.to_ascii_lowercase()).copied().flatten())
            .is_some()
    };
    v.blocks
        .get(block)
        .map(|ids| ids.iter().filter(|id| has(id)).cloned().collect())
        .unwrap_or_default()
}

/// Why the block score `key` (`draagkracht`, `draaglast` or `saldo`) of area `code` is not
/// compared between the two vintages: it rests on other indicators in one than in the other,
/// so its difference would measure the change of method, not of the area (docs/METHOD.md
/// §4.4). The indicators are those with a value in this area (`area_basis`): a column one
/// file lacks, and a value suppressed in one year only. `None` for another key, or when the
/// indicators are the same. The saldo is draagkracht − draaglast, so it is unlike when either
/// block is.
///
/// Example: Zwolle's draaglast rests on DL2 and DL7 in CBS 2022 and on DL7 alone in CBS 2024
/// (the 2024 file has no income column): for `draaglast` "rust in 2022 op DL2, DL7 en in 2024
/// op DL7, dus het verschil meet de andere indicatoren, niet de wijk", for `saldo` the same
/// after "de draaglast ". Binnenstad's draaglast 0,73 → 2,47 is then no rise of +1,74.
pub fn unlike_block(key: &str, code: &str, before: &Vintage, after: &Vintage) -> Option<String> {
    let blocks: &[&str] = match key {
        "draagkracht" => &["draagkracht"],
        "draaglast" => &["draaglast"],
        "saldo" => &["draagkracht", "draaglast"],
        _ => return None,
    };
    let (nb, na) = vintage_names(before, after);
    let differ: Vec<String> = blocks
        .iter()
        .filter_map(|b| {
            let (ib, ia) = (area_basis(before, code, b), area_basis(after, code, b));
            if ib == ia {
                return None;
            }
            let list = |ids: Vec<String>| {
                if ids.is_empty() {
                    "geen indicator".to_string()
                } else {
                    ids.join(", ")
                }
            };
            // The key itself names its block; the saldo names the block that differs.
            let whose = if blocks.len() > 1 {
                format!("de {b} ")
            } else {
                String::new()
            };
            Some(format!(
                "{whose}rust in {nb} op {} en in {na} op {}",
                list(ib),
                list(ia)
            ))
        })
        .collect();
    (!differ.is_empty()).then(|| {
        format!(
            "{}, dus het verschil meet de andere indicatoren, niet de wijk",
            differ.join("; ")
        )
    })
}

/// Whether the signals of area `code` in the two vintages can be compared: not when both are
/// known and the saldi they come from rest on other indicators ([`unlike_block`]), since a
/// move between them is a change of method, not of the area: `compare` writes no
/// `signal_move` for it and the report does not count it as a changed signal. A move to or
/// from `onbekend` is shown as it is: it says that the signal became, or was, unknown.
pub fn signals_comparable(code: &str, before: &Vintage, after: &Vintage) -> bool {
    let known = |v: &Vintage| {
        let s = v.signal(code);
        !s.is_empty() && s != "onbekend"
    };
    !(known(before) && known(after)) || unlike_block("saldo", code, before, after).is_none()
}

/// [`crate::monitor::compare()`] of two analysed vintages, with no change given for a block
/// score that rests on other indicators in the two ([`unlike_block`], per area): its `change`
/// and `relative_change` are `None` and its `note` says why. The one comparison behind
/// `compare` and `report --previous`.
pub fn compare_vintages(
    before: &Vintage,
    after: &Vintage,
    options: &CompareOptions,
) -> Result<Comparison, crate::monitor::CompareError> {
    let mut cmp = crate::monitor::compare(&before.areas, &after.areas, options)?;
    for c in cmp
        .matched
        .iter_mut()
        .chain(cmp.boundary_changed.iter_mut())
    {
        for key in ["draagkracht", "draaglast", "saldo"] {
            let Some(why) = unlike_block(key, &c.code, before, after) else {
                continue;
            };
            if let Some(v) = c.values.get_mut(key) {
                v.change = None;
                v.relative_change = None;
                v.note = Some(why);
            }
        }
    }
    Ok(cmp)
}

/// The names of the two vintages in a reason or a line of the terminal: each its year
/// ("2022", "2024"), else "het eerdere bestand" and "het latere bestand".
///
/// Example: the shipped CBS 2022 file (no year declared) given with `--before-year 2022`,
/// and the 2024 file (`metadata.year` 2024): ("2022", "2024"); without `--before-year`:
/// ("het eerdere bestand", "2024").
pub fn vintage_names(before: &Vintage, after: &Vintage) -> (String, String) {
    let name = |v: &Vintage, fallback: &str| {
        v.year
            .map_or_else(|| fallback.to_string(), |y| y.to_string())
    };
    (
        name(before, "het eerdere bestand"),
        name(after, "het latere bestand"),
    )
}

/// Per area, the values that could not be compared and why, as (key, reason in Dutch), keys
/// sorted: a key computed in one vintage only ("dk2: niet in 2024: (the skip reason)"), or a
/// value unknown in one vintage for this area ("dl2: geen waarde in 2022 (onderdrukt of
/// onbekend)"), a count column present in one vintage only ("households: niet in 2022: de
/// kolom ontbreekt"), a block score or saldo unknown in one vintage because its indicators are
/// missing there. Empty when everything was compared. [`not_compared`] writes them as one
/// cell; the report names each key as it names the value (`report::trend`).
///
/// Example: DK2 (WOZ) is computed in 2022 but skipped in 2024 because the 2024 file has no
/// WOZ column: ("dk2", "niet in 2024: de gebiedenlaag mist voor elke bron een kolom:
/// ln(mean_woz) (ontbreekt: mean_woz)").
pub fn not_compared_reasons(
    c: &AreaComparison,
    before: &Vintage,
    after: &Vintage,
) -> Vec<(String, String)> {
    let find = |v: &Vintage| {
        v.area(&c.code)
            .map(|a| a.values.clone())
            .unwrap_or_default()
    };
    let (vb, va) = (find(before), find(after));
    let (nb, na) = vintage_names(before, after);
    let mut keys: Vec<&String> = vb.keys().chain(va.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        let block = ["draagkracht", "draaglast", "saldo"].contains(&k.as_str());
        let reason = |missing_in: &Vintage, name: &str| match missing_in.skipped.get(k) {
            Some(r) => format!("niet in {name}: {r}"),
            None if block => format!("niet in {name}: geen enkele indicator van het blok berekend"),
            None => format!("niet in {name}: de kolom ontbreekt"),
        };
        let unknown = |name: &str| {
            if block {
                format!(
                    "onbekend in {name}: de indicatoren van het blok ontbreken of zijn onbekend"
                )
            } else {
                format!("geen waarde in {name} (onderdrukt of onbekend)")
            }
        };
        let why = match (vb.get(k), va.get(k)) {
            (Some(_), None) => reason(after, &na),
            (None, Some(_)) => reason(before, &nb),
            (Some(None), Some(Some(_))) => unknown(&nb),
            (Some(Some(_)), Some(None)) => unknown(&na),
            (Some(None), Some(None)) => unknown(&format!("{nb} en {na}")),
            (Some(Some(_)), Some(Some(_))) => match unlike_block(k, &c.code, before, after) {
                Some(why) => why,
                None => continue,
            },
            _ => continue,
        };
        out.push((k.clone(), why));
    }
    // Two known signals of unlike saldi: their move is not the area's.
    if !signals_comparable(&c.code, before, after) {
        out.push((
            "signaal".to_string(),
            "niet vergeleken: het saldo rust in de twee jaren op andere indicatoren (zie saldo)"
                .to_string(),
        ));
    }
    out
}

/// [`not_compared_reasons`] as one cell: "key: reason", " | "-separated, e.g. "dk2: niet in
/// 2024: de gebiedenlaag mist voor elke bron een kolom: ln(mean_woz) (ontbreekt: mean_woz)".
pub fn not_compared(c: &AreaComparison, before: &Vintage, after: &Vintage) -> String {
    let reasons: Vec<String> = not_compared_reasons(c, before, after)
        .into_iter()
        .map(|(k, why)| format!("{k}: {why}"))
        .collect();
    reasons.join(" | ")
}

/// The `compare_areas` layer: per area in both vintages (by code; `gelijk`, or
/// `grens_gewijzigd` when the boundary changed) every value before, after and its change, and
/// the signal before, after and how it moved; with the polygons of the later vintage.
pub fn compare_layer(
    cmp: &Comparison,
    before: &Vintage,
    after: &Vintage,
) -> (Table, Vec<geo::Geometry<f64>>) {
    let mut keys: Vec<String> = cmp
        .matched
        .iter()
        .chain(&cmp.boundary_changed)
        .flat_map(|c| c.values.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    let mut columns: Vec<String> = vec!["code".into(), "name".into(), "status".into()];
    for k in &keys {
        columns.extend([
            format!("{k}_before"),
            format!("{k}_after"),
            format!("{k}_change"),
        ]);
    }
    columns.extend(
        [
            "signal_before",
            "signal_after",
            "signal_move",
            "boundary",
            "not_compared",
        ]
        .map(String::from),
    );
    let mut rows = Vec::new();
    let mut geoms = Vec::new();
    let mut all: Vec<(&str, &AreaComparison)> = cmp
        .matched
        .iter()
        .map(|c| ("gelijk", c))
        .chain(cmp.boundary_changed.iter().map(|c| ("grens_gewijzigd", c)))
        .collect();
    all.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    for (status, c) in all {
        let mut row = vec![
            Value::from(c.code.clone()),
            Value::from(c.name_after.clone()),
            Value::from(status),
        ];
        for k in &keys {
            match c.values.get(k) {
                Some(v) => {
                    row.push(opt_number(v.before));
                    row.push(opt_number(v.after));
                    row.push(opt_number(v.change));
                }
                None => row.extend([Value::Null, Value::Null, Value::Null]),
            }
        }
        let (b, a) = (before.signal(&c.code), after.signal(&c.code));
        row.push(Value::from(b.clone()));
        row.push(Value::from(a.clone()));
        // A move is the area's only when it is the same area on the same indicators (a
        // changed boundary is not compared, as the report's trend says).
        row.push(Value::from(
            if !c.boundary.changed && signals_comparable(&c.code, before, after) {
                signal_move(&b, &a)
            } else {
                String::new()
            },
        ));
        row.push(Value::from(boundary_text(cmp, &c.code, before, after)));
        let mut skipped = not_compared(c, before, after);
        if c.boundary.changed {
            let all = format!(
                "alle waarden: de grens is gewijzigd ({}); voor en na staan er, het verschil niet",
                c.boundary.reasons.join("; ")
            );
            skipped = if skipped.is_empty() {
                all
            } else {
                format!("{all} | {skipped}")
            };
        }
        row.push(Value::from(skipped));
        rows.push(row);
        let g = after
            .area(&c.code)
            .map(|x| x.geometry.clone())
            .expect("matched codes exist after");
        geoms.push(geo::Geometry::MultiPolygon(g));
    }
    (Table { columns, rows }, geoms)
}

/// What happened to the boundary of `code` in Dutch ([`crate::monitor::BoundaryEvent::text`]),
/// " | "-separated; empty when it stayed the same.
pub fn boundary_text(cmp: &Comparison, code: &str, before: &Vintage, after: &Vintage) -> String {
    let (nb, na) = vintage_names(before, after);
    cmp.boundary_events
        .iter()
        .filter(|e| e.code == code)
        .map(|e| e.text(&nb, &na))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Every boundary event in Dutch, one line each, for the terminal.
pub fn boundary_lines(cmp: &Comparison, before: &Vintage, after: &Vintage) -> Vec<String> {
    let (nb, na) = vintage_names(before, after);
    cmp.boundary_events
        .iter()
        .map(|e| e.text(&nb, &na))
        .collect()
}

/// One side of a comparison for `compare.json`: the areas file as given, the study read from
/// it and its vintage.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The path as given on the command line.
    pub path: &'a str,
    /// The study (its inputs are recorded; wait for their digests first,
    /// [`Loaded::wait_for_digests`]).
    pub loaded: &'a Loaded,
    /// Its values.
    pub vintage: &'a Vintage,
}

/// `compare.json`: the inputs of both vintages, the tolerances, the matched and unmatched
/// areas and keys, the signal moves and the change of the population of the matched areas.
pub fn compare_json(
    cmp: &Comparison,
    options: &CompareOptions,
    before: Side,
    after: Side,
) -> Value {
    json!({
        "wijkbalans_version": super::VERSION,
        "before": {"path": before.path, "year": before.vintage.year, "inputs": before.loaded.inputs},
        "after": {"path": after.path, "year": after.vintage.year, "inputs": after.loaded.inputs},
        "tolerances": options,
        "matched": cmp.matched.len(),
        "boundary_changed": cmp.boundary_changed,
        "only_before": cmp.only_before,
        "only_after": cmp.only_after,
        "boundary_events": cmp.boundary_events.iter().map(|e| json!({
            "code": e.code, "vintage": e.vintage, "kind": e.kind,
            "linked": e.linked.iter().map(|(c, f)| json!({"code": c, "overlap": number(*f)})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "keys_only_before": cmp.keys_only_before,
        "keys_only_after": cmp.keys_only_after,
        // Only areas with the same boundary: a redrawn wijk's signal is not its own move.
        "signal_moves": before.vintage.signals.iter().filter_map(|(code, b)| {
            let a = after.vintage.signal(code);
            let key = crate::model::code_key(code);
            let same_area = cmp.matched.iter().any(|c| crate::model::code_key(&c.code) == key);
            (same_area
                && !a.is_empty()
                && a != *b
                && signals_comparable(code, before.vintage, after.vintage))
            .then(|| json!({"code": code, "move": signal_move(b, &a)}))
        }).collect::<Vec<_>>(),
        "population_change": number(
            cmp.matched.iter().filter_map(|c| c.values.get("population").and_then(|v| v.change)).sum()
        ),
        "population_total_before": population_total(before.vintage),
        "population_total_after": population_total(after.vintage),
    })
}

/// The inhabitants of every area of a vintage, whatever its boundary did (a wijk redrawn
/// within the municipality moves people, not the total); null when an area has no
/// population. `population_change` counts only the areas compared like for like.
///
/// Example: Groningen, CBS 2022 234.930 and CBS 2024 243.750 inhabitants: +8.820, of which
/// the 17 wijken with the same boundary account for +6.690.
fn population_total(v: &Vintage) -> Value {
    v.areas
        .iter()
        .map(|a| a.values.get("population").copied().flatten())
        .sum::<Option<f64>>()
        .map_or(Value::Null, number)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vintage of `year` whose blocks rest on `draagkracht` and `draaglast`.
    /// Its one area, WK019310, has a value for every indicator of both blocks.
    fn vintage(year: Option<i32>, draagkracht: &[&str], draaglast: &[&str]) -> Vintage {
        let ids = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        let values = draagkracht
            .iter()
            .chain(draaglast)
            .map(|id| (id.to_ascii_lowercase(), Some(1.0)))
            .collect();
        let areas = vec![VintageArea {
            code: "WK019310".into(),
            name: "Wijk 10 Binnenstad".into(),
            geometry: geo::MultiPolygon::new(Vec::new()),
            values,
        }];
        Vintage {
            index: index(&areas),
            areas,
            signals: BTreeMap::new(),
            skipped: BTreeMap::new(),
            year,
            density_source: None,
            blocks: BTreeMap::from([
                ("draagkracht".to_string(), ids(draagkracht)),
                ("draaglast".to_string(), ids(draaglast)),
            ]),
        }
    }

    #[test]
    fn a_block_on_other_indicators_is_not_compared_and_neither_is_the_saldo() {
        // Zwolle: CBS 2022 has DK1–DK3 and DL2, DL7; CBS 2024 no draagkracht and DL7 alone.
        let before = vintage(Some(2022), &["DK1", "DK2", "DK3"], &["DL2", "DL7"]);
        let after = vintage(Some(2024), &[], &["DL7"]);
        assert_eq!(
            unlike_block("draaglast", "WK019310", &before, &after).as_deref(),
            Some(
                "rust in 2022 op DL2, DL7 en in 2024 op DL7, dus het verschil meet de andere \
                 indicatoren, niet de wijk"
            )
        );
        assert_eq!(
            unlike_block("saldo", "WK019310", &before, &after).as_deref(),
            Some(
                "de draagkracht rust in 2022 op DK1, DK2, DK3 en in 2024 op geen indicator; \
                 de draaglast rust in 2022 op DL2, DL7 en in 2024 op DL7, dus het verschil meet \
                 de andere indicatoren, niet de wijk"
            )
        );
        // The same indicators: compared; another key: never a block.
        let same = vintage(None, &["DK1", "DK2", "DK3"], &["DL2", "DL7"]);
        assert_eq!(unlike_block("draaglast", "WK019310", &before, &same), None);
        assert_eq!(unlike_block("saldo", "WK019310", &before, &same), None);
        assert_eq!(unlike_block("dl7", "WK019310", &before, &after), None);
        // Signals: oranje then rood is no move of the wijk; to onbekend is shown as it is.
        let mut before = before;
        let mut after = after;
        before.signals.insert("WK019310".into(), "oranje".into());
        after.signals.insert("WK019310".into(), "rood".into());
        assert!(!signals_comparable("WK019310", &before, &after));
        after.signals.insert("WK019310".into(), "onbekend".into());
        assert!(signals_comparable("WK019310", &before, &after));
        assert!(signals_comparable("WK019310", &before, &same));
    }

    #[test]
    fn a_value_suppressed_in_one_year_makes_that_areas_block_unlike() {
        // The same columns in both years, but Binnenstad's WOZ (DK2) suppressed in the later.
        let before = vintage(Some(2022), &["DK1", "DK2", "DK3"], &["DL2", "DL7"]);
        let mut after = vintage(Some(2023), &["DK1", "DK2", "DK3"], &["DL2", "DL7"]);
        after.areas[0].values.insert("dk2".into(), None);
        assert_eq!(
            unlike_block("draagkracht", "WK019310", &before, &after).as_deref(),
            Some(
                "rust in 2022 op DK1, DK2, DK3 en in 2023 op DK1, DK3, dus het verschil meet de \
                 andere indicatoren, niet de wijk"
            )
        );
        assert_eq!(unlike_block("draaglast", "WK019310", &before, &after), None);
        assert!(unlike_block("saldo", "WK019310", &before, &after).is_some());
    }
}
