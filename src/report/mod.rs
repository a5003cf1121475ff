//! Output tables and documents as plain data: the area and site tables (shared by GeoJSON and
//! CSV), `summary.json` and `run.json`. The column lists here are the documented output schema
//! (docs/OUTPUTS.md); rendering to bytes lives in [`crate::io::write`].

pub mod allocation;
pub mod balance;
pub mod columns;
pub mod compare;
pub mod headers;
pub mod html;
pub mod layers;
pub mod monitor;
pub mod suppress;
pub mod trend;
pub mod whatif;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::indicators::{typology_label, Block, IndicatorStatus, Missing};
use crate::pipeline::{Loaded, Outcome};
use crate::spread::LocalSpreading;
use crate::table::{number, opt_number, Table};
use columns::Columns;

/// Version of the tool, written into every run record.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn lower(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// Per-area contributions to the saldo: +w_k z_k/Σw_DK for draagkracht, −w_k z_k/Σw_DL for
/// draaglast, over the indicators present for the area. They add up to the saldo exactly.
pub fn saldo_contributions(indicators: &[IndicatorStatus], z: &[Option<f64>]) -> Vec<(usize, f64)> {
    let sum_w = |block: Block| -> f64 {
        indicators
            .iter()
            .zip(z)
            .filter(|(s, z)| s.def.block == block && z.is_some())
            .map(|(s, _)| s.def.weight)
            .sum()
    };
    let (wk, wl) = (sum_w(Block::Draagkracht), sum_w(Block::Draaglast));
    if wk <= 0.0 || wl <= 0.0 {
        return Vec::new();
    }
    indicators
        .iter()
        .zip(z)
        .enumerate()
        .filter_map(|(k, (s, z))| {
            let z = (*z)?;
            match s.def.block {
                Block::Draagkracht => Some((k, s.def.weight * z / wk)),
                Block::Draaglast => Some((k, -s.def.weight * z / wl)),
                Block::Context => None,
            }
        })
        .collect()
}

/// "DL2 (% laag inkomen) −0,84; DK1 (% koopwoningen) −0,61": the two largest contributions.
fn drivers(indicators: &[IndicatorStatus], z: &[Option<f64>]) -> Value {
    let mut c = saldo_contributions(indicators, z);
    if c.is_empty() {
        return Value::Null;
    }
    c.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    let parts: Vec<String> = c
        .iter()
        .take(2)
        .map(|(k, v)| {
            let d = &indicators[*k].def;
            // A phrase for people, as every text column: Dutch number style in every output
            // (the Dutch-Excel table shows it as it is), the sign always written.
            let size = crate::format::plain_nl(v.abs(), 2);
            let sign = if size == "0,00" {
                ""
            } else if *v > 0.0 {
                "+"
            } else {
                "−"
            };
            format!("{} ({}) {sign}{size}", d.id, d.label)
        })
        .collect();
    Value::from(parts.join("; "))
}

/// A text value, or null.
fn text(v: Option<impl Into<Value>>) -> Value {
    v.map_or(Value::Null, Into::into)
}

/// The parent levels that get a `{level}_code` column, in order: `wijk` and `gemeente` when any
/// area has them, then the user levels.
fn parent_levels(loaded: &Loaded) -> Vec<String> {
    let areas = &loaded.areas;
    let mut levels: Vec<String> = ["wijk", "gemeente"]
        .into_iter()
        .filter(|level| areas.iter().any(|x| x.parents.contains_key(*level)))
        .map(String::from)
        .collect();
    levels.extend(loaded.levels.iter().cloned());
    levels
}

/// The areas table (one row per area, sorted by code).
pub fn areas_table(loaded: &Loaded, out: &Outcome) -> Table {
    let areas = &loaded.areas;
    let a = &out.analysis;
    let groups: Vec<String> = match &out.care {
        Some(c) => loaded
            .config
            .target_group
            .iter()
            .filter(|g| c.units_by_group.contains_key(&g.id))
            .map(|g| g.id.clone())
            .collect(),
        None => Vec::new(),
    };
    let population = |i: usize| areas[i].value("population").unwrap_or(0.0);
    let mut c: Columns<usize> = Columns::new();
    c.push("code", |&i| areas[i].code.clone().into());
    c.push("name", |&i| areas[i].name.clone().into());
    for level in parent_levels(loaded) {
        c.push(format!("{level}_code"), move |&i| {
            text(areas[i].parents.get(&level).cloned())
        });
    }
    c.push("population", move |&i| number(population(i)));
    c.push("dwellings", |&i| {
        let points = out.dwelling_points.as_ref().map(|d| d[i] as f64);
        opt_number(areas[i].value("dwellings").or(points))
    });
    if loaded.columns.contains_key("households") {
        c.push("households", |&i| opt_number(areas[i].value("households")));
    }
    if let Some(d) = &out.dwelling_points {
        c.push("dwelling_points", |&i| number(d[i] as f64));
    }
    if let Some(care) = &out.care {
        c.push("care_sites", |&i| number(care.sites[i] as f64));
        c.push("care_units", |&i| number(care.units[i]));
        c.push("care_units_planned", |&i| number(care.planned[i]));
        c.push("regular_units", |&i| number(care.regular_units[i]));
        c.push("care_units_per_1000", move |&i| {
            let pop = population(i);
            opt_number((pop > 0.0).then(|| 1000.0 * care.units[i] / pop))
        });
        for g in &groups {
            let units = &care.units_by_group[g];
            c.push(format!("care_units_{g}"), |&i| number(units[i]));
        }
    }
    if let Some(fc) = &out.facility_counts {
        for (kind, counts) in fc {
            c.push(format!("facilities_{kind}"), |&i| number(counts[i] as f64));
        }
    }
    access_columns(&mut c, out);
    spreading_columns(&mut c, out, &groups);
    let score = |i: usize| &a.areas[i];
    c.push("draagkracht", move |&i| opt_number(score(i).draagkracht));
    c.push("draaglast", move |&i| opt_number(score(i).draaglast));
    c.push("saldo", move |&i| opt_number(score(i).saldo));
    // The saldo with the care rate's z not clamped, where the clamp cuts it: the signal is the
    // worse of its band and the band of `saldo` (docs/METHOD.md §2.4).
    c.push("saldo_uncapped", move |&i| {
        opt_number(score(i).uncapped.map(|u| u.saldo))
    });
    c.push("signal", move |&i| score(i).signal.as_str().into());
    let typology = move |i: usize| score(i).typology.map(typology_label);
    c.push("typology", move |&i| text(typology(i).map(|t| t.0)));
    c.push("typology_label", move |&i| text(typology(i).map(|t| t.1)));
    c.push("saldo_drivers", move |&i| {
        drivers(&a.indicators, &score(i).z)
    });
    for (k, s) in a.indicators.iter().enumerate() {
        if s.skipped.is_some() {
            continue;
        }
        let id = lower(&s.def.id);
        c.push(format!("{id}_value"), |&i| {
            s.values[i].ok().map_or(Value::Null, number)
        });
        if s.def.block != Block::Context {
            c.push(format!("{id}_z"), move |&i| opt_number(score(i).z[k]));
        }
    }
    c.push("missing_indicators", move |&i| {
        let missing = &score(i).missing;
        text((!missing.is_empty()).then(|| missing.join(",")))
    });
    let min_den = loaded.config.normalisation.min_denominator;
    c.push("small_population", move |&i| {
        Value::Bool(population(i) < min_den)
    });
    if let Some(u) = &loaded.urbanity {
        c.push("urbanity", |&i| text(u[i].clone()));
    }
    c.table(0..areas.len())
}

/// The accessibility columns, when computed: per facility type the share of dwellings within
/// each ring and the mean nearest distance, the access score and the geroscoop (with rings),
/// then the floating-catchment access per 1,000.
fn access_columns<'a>(c: &mut Columns<'a, usize>, out: &'a Outcome) {
    let Some(acc) = &out.access else {
        return;
    };
    if let Some(rings) = &acc.rings {
        for (kind, means) in &rings.shares.mean_nearest_m {
            for r in &rings.radii {
                if let Some(share) = rings.shares.share(kind, *r) {
                    c.push(format!("share_within_{r}m_{kind}"), |&i| {
                        opt_number(share[i])
                    });
                }
            }
            c.push(format!("mean_distance_{kind}_m"), |&i| {
                opt_number(means[i].map(|d| d.round()))
            });
        }
        c.push("access_score", |&i| opt_number(rings.score[i]));
        c.push("geroscoop_m", |&i| {
            opt_number(rings.geroscoop.distance_m[i].map(|d| d.round()))
        });
    }
    for (kind, values) in &acc.fca {
        c.push(format!("fca_{kind}_per_1000"), |&i| {
            opt_number(values[i].map(|v| (v * 1000.0).round() / 1000.0))
        });
    }
}

/// Per-area spreading columns, for the families computed (fair share, LISA and Gi* of the care
/// rate only with sites), and the reasons for their empty values.
fn spreading_columns<'a>(c: &mut Columns<'a, usize>, out: &'a Outcome, groups: &'a [String]) {
    use crate::spread::MetricFamily as F;
    let m = &out.spreading.study.metrics;
    let sp = |i: usize| &out.spreading.per_area[i];
    let care = out.care.is_some();
    let first = c.len();
    if m.contains(&F::FairShare) && care {
        c.push("fair_share_ratio", move |&i| {
            opt_number(sp(i).fair_share_ratio)
        });
        c.push("fair_share_gap", move |&i| opt_number(sp(i).fair_share_gap));
        for g in groups {
            let group = move |i: usize| sp(i).fair_share_by_group.get(g);
            c.push(format!("fair_share_ratio_{g}"), move |&i| {
                opt_number(group(i).and_then(|f| f.ratio))
            });
            c.push(format!("fair_share_gap_{g}"), move |&i| {
                opt_number(group(i).and_then(|f| f.gap))
            });
        }
    }
    if m.contains(&F::Lisa) && care {
        lisa_columns(c, "", move |i| &sp(i).rate);
    }
    if m.contains(&F::GetisOrd) && care {
        let rate = move |i: usize| &sp(i).rate;
        c.push("gi_star", move |&i| opt_number(rate(i).gi_star));
        c.push("gi_star_z", move |&i| opt_number(rate(i).gi_star_z));
        c.push("gi_star_p", move |&i| opt_number(rate(i).gi_star_p));
        // The analytic one-tailed p the site test's hot-spot rule compares (docs/METHOD.md
        // §2.6), beside the permutation p above.
        c.push("gi_star_p_norm", move |&i| {
            opt_number(rate(i).gi_star_p_norm)
        });
    }
    if m.contains(&F::Lisa) {
        lisa_columns(c, "saldo_", move |i| &sp(i).saldo);
    }
    if c.len() > first {
        c.push("spreading_notes", move |&i| spreading_notes(sp(i)));
    }
}

/// The four LISA columns of one value, named with `prefix`: local Moran's I, the quadrant, the
/// pseudo p-value and the label, from the value's statistics in area `i`, `local(i)`.
fn lisa_columns<'a>(
    c: &mut Columns<'a, usize>,
    prefix: &str,
    local: impl Fn(usize) -> &'a LocalSpreading + Copy + 'a,
) {
    c.push(format!("{prefix}local_moran_i"), move |&i| {
        opt_number(local(i).local_moran_i)
    });
    c.push(format!("{prefix}lisa_quadrant"), move |&i| {
        text(local(i).lisa_quadrant)
    });
    c.push(format!("{prefix}lisa_p"), move |&i| {
        opt_number(local(i).lisa_p)
    });
    c.push(format!("{prefix}lisa_label"), move |&i| {
        text(local(i).lisa_label)
    });
}

/// The reasons for the spreading columns written (saldo Gi* is not written: it needs
/// non-negative values, and a saldo is negative by design for half the areas).
fn spreading_notes(sp: &crate::spread::AreaSpreading) -> Value {
    let shown = [
        "fair_share_ratio",
        "fair_share_gap",
        "lisa",
        "gi_star",
        "saldo_lisa",
    ];
    // Columns with the same reason share one note, in the order of their first column:
    // "fair_share_gap, fair_share_ratio, gi_star, lisa: zorgeenheden onbekend: …".
    let mut notes: Vec<(Vec<&str>, String)> = Vec::new();
    for (k, v) in sp
        .undefined_reasons
        .iter()
        .filter(|(k, _)| shown.contains(k))
    {
        let reason = v.dutch();
        match notes.iter_mut().find(|(_, r)| *r == reason) {
            Some((keys, _)) => keys.push(k),
            None => notes.push((vec![k], reason)),
        }
    }
    let notes: Vec<String> = notes
        .into_iter()
        .map(|(keys, reason)| format!("{}: {reason}", keys.join(", ")))
        .collect();
    text((!notes.is_empty()).then(|| notes.join("; ")))
}

/// Distances from site `k` to the nearest other counted site (any group, same group), in
/// metres rounded to 0.1 m. Counted sites take them from the spreading result; other sites
/// (planned, proposed, outside) are measured against the counted sites directly.
fn site_distances(loaded: &Loaded, out: &Outcome, k: usize) -> (Option<f64>, Option<f64>) {
    let round = |v: f64| (v * 10.0).round() / 10.0;
    if let Some(j) = out.spread_sites[k] {
        let p = &out.spreading.per_site[j];
        return (p.nn_any_m.map(round), p.nn_same_group_m.map(round));
    }
    let sites = loaded.sites.as_ref().expect("a site table has sites");
    let me = &sites[k];
    let mut any: Option<f64> = None;
    let mut same: Option<f64> = None;
    for (other, idx) in sites.iter().zip(&out.spread_sites) {
        if idx.is_none() {
            continue;
        }
        let d = ((other.location.x - me.location.x).powi(2)
            + (other.location.y - me.location.y).powi(2))
        .sqrt();
        any = Some(any.map_or(d, |a| a.min(d)));
        if other.target_group == me.target_group {
            same = Some(same.map_or(d, |a| a.min(d)));
        }
    }
    (any.map(round), same.map(round))
}

/// What a sites-table row needs beyond the site: its index and the distances and ring checks
/// that take a search (made once per site, used by several columns).
struct SiteRow {
    k: usize,
    /// Distances to the nearest counted site (any group, same group), with the nearest-
    /// neighbour family.
    nearest_sites: (Option<f64>, Option<f64>),
    /// The ring requirements of the site's group, checked, with a facility index.
    checks: Vec<crate::access::RequirementResult>,
}

/// The prefix that keeps an input property apart from the tool's own columns.
pub const INPUT_PREFIX: &str = "in_";

/// The output names of a layer's input properties, in order: a property keeps its name unless
/// that name, compared without case, is one of `own` (the tool's columns of the table), an
/// earlier output name, or starts with [`INPUT_PREFIX`]; then [`INPUT_PREFIX`] is put before it
/// (again, until the name is free). So an input property can never take the place of a column
/// the tool writes, also not in a GeoPackage, whose column names ignore case
/// (docs/OUTPUTS.md, "Input properties").
///
/// Example: with `own` = [`wb_units`, `area_code`], the inputs `name`, `WB_UNITS`, `in_x`
/// become `name`, `in_WB_UNITS`, `in_in_x`.
pub fn input_column_names<'n>(
    inputs: impl IntoIterator<Item = &'n str>,
    own: &[&str],
) -> Vec<String> {
    let mut taken: std::collections::BTreeSet<String> =
        own.iter().map(|n| n.to_lowercase()).collect();
    let mut out = Vec::new();
    for name in inputs {
        let mut written = name.to_string();
        if written.to_lowercase().starts_with(INPUT_PREFIX) {
            written = format!("{INPUT_PREFIX}{written}");
        }
        while taken.contains(&written.to_lowercase()) {
            written = format!("{INPUT_PREFIX}{written}");
        }
        taken.insert(written.to_lowercase());
        out.push(written);
    }
    out
}

/// The columns `own` of a point layer, preceded by every input property any row has (in the
/// order first seen), each under its name from [`input_column_names`]; `properties` gives a
/// row's input properties, `all` those of every row.
fn with_inputs<'a, R>(
    all: impl Iterator<Item = &'a Map<String, Value>>,
    properties: impl Fn(&R) -> &'a Map<String, Value> + Copy + 'a,
    own: Columns<'a, R>,
) -> Columns<'a, R> {
    let mut input_cols: Vec<&String> = Vec::new();
    for p in all {
        for k in p.keys() {
            if !input_cols.contains(&k) {
                input_cols.push(k);
            }
        }
    }
    let names: Vec<&str> = own.names().collect();
    let written = input_column_names(input_cols.iter().map(|n| n.as_str()), &names);
    let mut inputs: Columns<R> = Columns::new();
    for (name, written) in input_cols.into_iter().zip(written) {
        inputs.push(written, move |r| {
            properties(r).get(name).cloned().unwrap_or(Value::Null)
        });
    }
    inputs.append(own);
    inputs
}

/// The sites table: every input property (kept apart from the tool's columns by
/// [`input_column_names`]), then the area each site fell in.
pub fn sites_table(loaded: &Loaded, out: &Outcome) -> Option<Table> {
    let sites = loaded.sites.as_ref()?;
    let areas = &loaded.areas;
    let site = |r: &SiteRow| &sites[r.k];
    let area = |r: &SiteRow| out.site_areas[r.k].area().map(|i| &areas[i]);
    let mut c: Columns<SiteRow> = Columns::new();
    c.push("wb_target_group", move |r| {
        site(r).target_group.clone().into()
    });
    c.push("wb_units", move |r| number(site(r).units));
    c.push("wb_status", move |r| site(r).status.as_str().into());
    c.push("wb_counted", move |r| {
        Value::Bool(loaded.config.count_status.contains(&site(r).status))
    });
    c.push("area_code", move |r| text(area(r).map(|a| a.code.clone())));
    c.push("area_name", move |r| text(area(r).map(|a| a.name.clone())));
    for level in parent_levels(loaded) {
        c.push(format!("{level}_code"), move |r| {
            text(area(r).and_then(|a| a.parents.get(&level).cloned()))
        });
    }
    c.push("location", |r| {
        match out.site_areas[r.k] {
            crate::assign::Location::Interior(_) => "inside",
            crate::assign::Location::Border(_) => "border",
            crate::assign::Location::Overlap(_) => "overlap",
            crate::assign::Location::Outside => "outside",
        }
        .into()
    });
    // A site placed at its BAG address: the object and the address it matched
    // (docs/OUTPUTS.md, "sites"; docs/METHOD.md §6.1).
    if sites.iter().any(|s| s.address.is_some()) {
        c.push("bag_id", move |r| {
            text(site(r).address.as_ref().map(|a| a.id_text()))
        });
        c.push("bag_address", move |r| {
            text(site(r).address.as_ref().map(|a| a.matched.clone()))
        });
    }
    let nn = out
        .spreading
        .study
        .metrics
        .contains(&crate::spread::MetricFamily::NearestNeighbour);
    if nn {
        c.push("nn_any_m", |r| opt_number(r.nearest_sites.0));
        c.push("nn_same_group_m", |r| opt_number(r.nearest_sites.1));
    }
    let facility_index = loaded.facility_index.as_deref();
    let location = |r: &SiteRow| [site(r).location.x, site(r).location.y];
    if let Some(fi) = facility_index {
        for kind in fi.types() {
            c.push(format!("nearest_{kind}_m"), move |r| {
                opt_number(fi.nearest(kind, location(r)).map(|(_, d)| d.round()))
            });
        }
        c.push("rings_ok", |r| {
            Value::Bool(crate::access::rings_ok(&r.checks))
        });
        c.push("rings_failed", |r| {
            let failed: Vec<String> = r
                .checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| c.label.clone())
                .collect();
            text((!failed.is_empty()).then(|| failed.join("; ")))
        });
        c.push("distance_measured", |_| fi.distance_label().into());
    }
    let c = with_inputs(
        sites.iter().map(|s| &s.properties),
        move |r| &site(r).properties,
        c,
    );
    let rows = (0..sites.len()).map(|k| {
        let s = &sites[k];
        let requirements = loaded.config.access.rings.for_group(&s.target_group);
        let p = [s.location.x, s.location.y];
        SiteRow {
            k,
            nearest_sites: if nn {
                site_distances(loaded, out, k)
            } else {
                (None, None)
            },
            checks: facility_index
                .map_or_else(Vec::new, |fi| crate::access::check(fi, p, requirements)),
        }
    });
    Some(c.table(rows))
}

/// The facilities table, one row per facility in input order: every input property (kept
/// apart from the tool's columns by [`input_column_names`]), the category it counts as
/// (`wb_type`, after the aliases of `[[access.category]]`), its capacity (`wb_capacity`, empty
/// when the layer has none), the area it lies in (empty when outside every area) and, when
/// the file gave addresses, the BAG object and address it was placed at (docs/OUTPUTS.md,
/// "facilities"; docs/METHOD.md §6.1).
///
/// Example: the row `naam = Buurtsuper, type = buurtsupermarkt, capaciteit = (empty),
/// adres = "Barentszplein 8D, Amsterdam"` becomes `wb_type = supermarkt`, `wb_capacity`
/// empty, the wijk it lies in as `area_code`, `bag_id` 0363200000537113 and `bag_address`
/// "Barentszplein 8D, 1013 NJ Amsterdam" (tests/address.rs).
pub fn facilities_table(loaded: &Loaded, out: &Outcome) -> Option<Table> {
    let facilities = loaded.facilities.as_ref()?;
    let areas = &loaded.areas;
    let area = |k: &usize| out.facility_areas[*k].area().map(|i| &areas[i]);
    let mut c: Columns<usize> = Columns::new();
    c.push("wb_type", |k| facilities[*k].kind.clone().into());
    c.push("wb_capacity", |k| opt_number(facilities[*k].capacity));
    c.push("area_code", move |k| text(area(k).map(|a| a.code.clone())));
    c.push("area_name", move |k| text(area(k).map(|a| a.name.clone())));
    if facilities.iter().any(|f| f.address.is_some()) {
        c.push("bag_id", |k| {
            text(facilities[*k].address.as_ref().map(|a| a.id_text()))
        });
        c.push("bag_address", |k| {
            text(facilities[*k].address.as_ref().map(|a| a.matched.clone()))
        });
    }
    let c = with_inputs(
        facilities.iter().map(|f| &f.properties),
        |k| &facilities[*k].properties,
        c,
    );
    Some(c.table(0..facilities.len()))
}

fn columns_used(loaded: &Loaded, s: &IndicatorStatus) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(src) = &s.source {
        for c in src.concepts() {
            let col = loaded
                .columns
                .get(c)
                .cloned()
                .unwrap_or_else(|| "(sites layer)".into());
            m.insert(c.to_string(), col.into());
        }
        if matches!(src, crate::indicators::Source::CareUnitsPer1000) {
            m.insert(
                "units".into(),
                "sites layer: units × target-group weight, counted statuses".into(),
            );
        }
    }
    m
}

/// Totals of population, dwellings and care units per code of a level.
fn level_totals(loaded: &Loaded, out: &Outcome, level: &str) -> Vec<Value> {
    let mut agg: BTreeMap<String, (usize, f64, f64, f64)> = BTreeMap::new();
    for (i, a) in loaded.areas.iter().enumerate() {
        let Some(code) = a.parents.get(level) else {
            continue;
        };
        let e = agg.entry(code.clone()).or_default();
        e.0 += 1;
        e.1 += a.value("population").unwrap_or(0.0);
        e.2 += a.value("dwellings").unwrap_or(0.0);
        e.3 += out.care.as_ref().map_or(0.0, |c| c.units[i]);
    }
    agg.into_iter()
        .map(|(code, (n, pop, dw, units))| {
            let mut m = Map::new();
            m.insert("code".into(), code.into());
            m.insert("areas".into(), n.into());
            m.insert("population".into(), number(pop));
            if loaded.columns.contains_key("dwellings") {
                m.insert("dwellings".into(), number(dw));
            }
            if out.care.is_some() {
                m.insert("care_units".into(), number(units));
                m.insert(
                    "care_units_per_1000".into(),
                    opt_number((pop > 0.0).then(|| 1000.0 * units / pop)),
                );
            }
            Value::Object(m)
        })
        .collect()
}

/// `summary.json`: totals, indicators used and skipped with reasons, the frozen baseline,
/// levels and diagnostics.
/// The `spreading` block of the summary: options, the islands by code, and every study-level
/// metric (full precision, as the engine computed it).
pub fn spreading_summary(loaded: &Loaded, out: &Outcome) -> Value {
    let cfg = &loaded.config;
    let areas = &loaded.areas;
    let mut study = serde_json::to_value(&out.spreading.study).expect("serialises");
    let mut islands = Vec::new();
    if let Some(w) = study.get_mut("weights").and_then(|w| w.as_object_mut()) {
        if let Some(Value::Array(ix)) = w.get("islands") {
            islands = ix
                .iter()
                .filter_map(|i| i.as_u64())
                .map(|i| Value::from(areas[i as usize].code.clone()))
                .collect();
        }
        w.insert("islands".into(), Value::Array(islands.clone()));
    }
    let counted = out.spread_sites.iter().filter(|s| s.is_some()).count();
    json!({
        "x": "care units of counted sites, sum over groups of weight_g * units_g",
        "t": cfg.spreading.reference.concept(),
        "rate": "care_units_per_1000 = 1000 * x / population (areas with 0 inhabitants left out)",
        "contiguity": cfg.spreading.weights,
        "permutations": cfg.spreading.permutations,
        "seed": cfg.seed,
        "alpha": cfg.spreading.alpha,
        "p_sim": "pseudo p-value in the observed direction, as esda 2.9: larger = #(sim >= obs); if permutations - larger < larger then larger = permutations - larger; p = (larger + 1) / (permutations + 1)",
        "areas": areas.len(),
        "sites_in_pattern": counted,
        "islands": islands,
        "note": "with few areas (10-30 wijken) the tests have little power: read p-values as indicative",
        "metrics": study,
    })
}

/// `summary.json`: the study, the frozen normalisation parameters, every indicator used or
/// skipped (with the reason), the diagnostics and, when given, the spreading section.
pub fn summary(loaded: &Loaded, out: &Outcome, spreading: Option<Value>) -> Value {
    let areas = &loaded.areas;
    let cfg = &loaded.config;
    let a = &out.analysis;
    let pop: f64 = areas
        .iter()
        .map(|x| x.value("population").unwrap_or(0.0))
        .sum();
    let mut study = Map::new();
    study.insert("areas".into(), areas.len().into());
    study.insert("population".into(), number(pop));
    if loaded.columns.contains_key("dwellings") {
        let dw: f64 = areas
            .iter()
            .map(|x| x.value("dwellings").unwrap_or(0.0))
            .sum();
        study.insert("dwellings".into(), number(dw));
    }
    if let Some(d) = &out.dwelling_points {
        study.insert(
            "dwelling_points".into(),
            number(d.iter().sum::<usize>() as f64),
        );
        // Where the dwelling points came from (docs/OUTPUTS.md, "summary.json").
        let source = if cfg.dwellings_from_bag {
            "bag_woonfunctie"
        } else {
            "dwellings_layer"
        };
        study.insert("dwelling_points_source".into(), source.into());
    }
    if let Some(c) = &out.care {
        let units: f64 = c.units.iter().sum();
        study.insert(
            "care_sites".into(),
            number(c.sites.iter().sum::<usize>() as f64),
        );
        study.insert("care_units".into(), number(units));
        study.insert("care_units_planned".into(), number(c.planned.iter().sum()));
        study.insert(
            "care_units_per_1000".into(),
            opt_number((pop > 0.0).then(|| 1000.0 * units / pop)),
        );
        let by_group: Map<String, Value> = cfg
            .target_group
            .iter()
            .filter_map(|g| {
                c.units_by_group
                    .get(&g.id)
                    .map(|v| (g.id.clone(), number(v.iter().sum())))
            })
            .collect();
        study.insert("care_units_by_group".into(), Value::Object(by_group));
    }
    let mut signals: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &a.areas {
        *signals.entry(s.signal.as_str()).or_default() += 1;
    }
    study.insert("signals".into(), json!(signals));

    let mut used = Vec::new();
    let mut context = Vec::new();
    let mut skipped = Vec::new();
    for s in &a.indicators {
        let base = json!({
            "id": s.def.id,
            "label": s.def.label,
            "block": s.def.block.as_str(),
        });
        let Value::Object(mut m) = base else {
            unreachable!()
        };
        if let Some(reason) = &s.skipped {
            m.insert("reason".into(), reason.to_string().into());
            skipped.push(Value::Object(m));
            continue;
        }
        let src = s.source.as_ref().expect("not skipped");
        m.insert("formula".into(), src.formula_text().into());
        m.insert("columns".into(), Value::Object(columns_used(loaded, s)));
        m.insert(
            "source_year".into(),
            cfg.source_year.map_or(Value::Null, Value::from),
        );
        let with_value = s.values.iter().filter(|v| v.is_ok()).count();
        let suppressed = s
            .values
            .iter()
            .filter(|v| **v == Err(Missing::Suppressed))
            .count();
        let undefined = s
            .values
            .iter()
            .filter(|v| **v == Err(Missing::Undefined))
            .count();
        m.insert("areas_with_value".into(), with_value.into());
        m.insert("areas_suppressed".into(), suppressed.into());
        m.insert("areas_undefined".into(), undefined.into());
        if s.def.block == Block::Context {
            context.push(Value::Object(m));
            continue;
        }
        m.insert("weight".into(), number(s.def.weight));
        m.insert(
            "direction".into(),
            serde_json::to_value(s.def.direction).expect("serialises"),
        );
        if let Some(p) = a.baseline.params.get(&s.def.id) {
            let wb = p
                .values()
                .next()
                .map(|p| p.weight_by.clone())
                .unwrap_or_default();
            m.insert("weight_by".into(), wb.into());
        }
        used.push(Value::Object(m));
    }
    let params: Map<String, Value> = a
        .baseline
        .params
        .iter()
        .map(|(id, sets)| {
            let sets: Map<String, Value> = sets
                .iter()
                .map(|(k, p)| {
                    (
                        k.clone(),
                        json!({"mean": number(p.mean), "sd": number(p.sd), "n_reference": p.n_reference, "weight_by": p.weight_by}),
                    )
                })
                .collect();
            (id.clone(), Value::Object(sets))
        })
        .collect();
    let breaks: Map<String, Value> = a
        .baseline
        .typology
        .iter()
        .map(|(k, b)| {
            let f = |v: Option<[f64; 2]>| {
                v.map_or(Value::Null, |b| json!([number(b[0]), number(b[1])]))
            };
            (
                k.clone(),
                json!({"draagkracht": f(b.draagkracht), "draaglast": f(b.draaglast)}),
            )
        })
        .collect();
    let mut levels = Map::new();
    for level in ["gemeente"]
        .iter()
        .map(|s| s.to_string())
        .chain(loaded.levels.iter().cloned())
    {
        let rows = level_totals(loaded, out, &level);
        if !rows.is_empty() {
            levels.insert(level, Value::Array(rows));
        }
    }
    let mut doc = json!({
        "wijkbalans_version": VERSION,
        "study": study,
        "levels": levels,
        "columns": loaded.columns.iter().map(|(k, v)| (k.to_string(), Value::from(v.clone()))).collect::<Map<_, _>>(),
        "indicators": {"used": used, "context": context, "skipped": skipped},
        "block_basis": crate::indicators::block_basis(&out.analysis.indicators),
        "normalisation": {
            "method": "weighted z-score within the reference set, z = clamp(s*(v - mean)/sd, -c, c); blocks are weighted means of z; saldo = draagkracht - draaglast (docs/METHOD.md 2.4-2.5)",
            "reference": cfg.normalisation.reference,
            "min_denominator": number(cfg.normalisation.min_denominator),
            "min_coverage": number(cfg.normalisation.min_coverage),
            "winsorise_at": number(cfg.normalisation.winsorise_at),
            "parameters": params,
            "typology_breaks": breaks,
        },
        "signal_thresholds": cfg.signal,
        "target_groups": cfg.target_group,
        "count_status": cfg.count_status,
        "diagnostics": out.diagnostics,
    });
    if let Some(s) = spreading {
        doc["spreading"] = s;
    }
    if let Some(acc) = &out.access {
        doc["access"] = access_summary(loaded, acc);
    }
    doc
}

/// The `access` block of `summary.json`: which distance was measured, the categories found,
/// the rings and the floating-catchment settings, so every access column can be traced.
fn access_summary(loaded: &Loaded, acc: &crate::pipeline::AccessResult) -> Value {
    let cfg = &loaded.config.access;
    let mut found = Map::new();
    if let Some(fi) = &loaded.facility_index {
        for kind in fi.types() {
            let label = cfg
                .category
                .iter()
                .find(|c| c.id == kind)
                .map_or(kind, |c| c.label.as_str());
            found.insert(
                kind.to_string(),
                json!({"label": label, "facilities": fi.count(kind)}),
            );
        }
    }
    let mut doc = json!({
        "distance": acc.distance.label(),
        "distance_note": match acc.distance {
            crate::access::DistanceKind::Hemelsbreed => "straight-line distances; CBS publishes distances by road, which are longer",
            crate::access::DistanceKind::OverDeWeg => "walking distances over the given network; points snap to its nearest node and the snap distance is added",
        },
        "categories_found": found,
        "ring_radii_m": acc.rings.as_ref().map(|r| r.radii.iter().map(|x| number(*x)).collect::<Vec<_>>()),
        "access_score_rings": cfg.rings.default,
        "geroscoop_weights": cfg.geroscoop_weights,
    });
    if !acc.fca.is_empty() {
        doc["fca"] = json!({
            "method": "E2SFCA/2SFCA as pysal/access fca.py: R_j = S_j / sum_k f(d_kj) P_k, A_i = sum_j f(d_ij) R_j over d <= max_cost_m (hemelsbreed); per area the population-weighted mean A x 1000",
            "types": acc.fca.keys().collect::<Vec<_>>(),
            "max_cost_m": number(cfg.fca.max_cost_m),
            "decay": cfg.fca.decay,
            "demand": "dwellings carrying their area's inhabitants / dwellings; areas without dwellings by their interior point",
            "supply": "the facility's capacity column, or 1 per facility",
        });
    }
    if let Some((nodes, edges)) = loaded.network_size {
        doc["network"] =
            json!({"nodes": nodes, "edges": edges, "snap_tolerance_m": number(cfg.network_snap_m)});
    }
    doc
}

/// For a public audience: null the care units (and their rate) of every level total below k,
/// and every total that holds a cell the areas table hid ([`suppress::Hidden`]): a level row
/// over such an area, and the study's total of that column (all care units, planned, or one
/// group's), and DL7's normalisation mean and standard deviation (the mean is the study's care
/// units per 1,000). `suppressed_totals` lists the totals of the study hidden so.
///
/// Example: the shipped Zwolle study hides Ittersum's 3 planned units, so the study's
/// `care_units_planned` (40) is null too: 40 minus the cells shown gave the 3 back.
pub fn suppress_levels(
    mut summary: Value,
    k: u32,
    hidden: &suppress::Hidden,
    loaded: &Loaded,
) -> Value {
    if let Some(levels) = summary.get_mut("levels").and_then(|l| l.as_object_mut()) {
        for (level, rows) in levels.iter_mut() {
            for row in rows.as_array_mut().into_iter().flatten() {
                let v = row["care_units"].as_f64().unwrap_or(0.0);
                let code = row["code"].as_str().unwrap_or_default();
                let holds_hidden = hidden.in_level("care_units", &loaded.areas, level, code);
                if (v > 0.0 && v < k as f64) || holds_hidden {
                    row["care_units"] = Value::Null;
                    row["care_units_per_1000"] = Value::Null;
                }
            }
        }
    }
    let mut totals = Vec::new();
    if let Some(study) = summary.get_mut("study").and_then(|s| s.as_object_mut()) {
        for (column, dependent) in [
            ("care_units", &["care_units", "care_units_per_1000"][..]),
            ("care_units_planned", &["care_units_planned"][..]),
        ] {
            if hidden.any(column) {
                for d in dependent {
                    study.insert((*d).to_string(), Value::Null);
                }
                totals.push(column.to_string());
            }
        }
        if let Some(groups) = study
            .get_mut("care_units_by_group")
            .and_then(|g| g.as_object_mut())
        {
            for (group, value) in groups.iter_mut() {
                if hidden.any(&format!("care_units_{group}")) {
                    *value = Value::Null;
                    totals.push(format!("care_units_by_group.{group}"));
                }
            }
        }
    }
    // DL7's μ is the study's care units per 1,000 inhabitants (weighted by population): a
    // total by another name; its σ goes with it.
    if hidden.any("care_units") {
        let dl7 = summary["normalisation"]["parameters"]
            .as_object_mut()
            .and_then(|p| p.iter_mut().find(|(id, _)| id.eq_ignore_ascii_case("DL7")));
        if let Some((id, subsets)) = dl7 {
            for params in subsets
                .as_object_mut()
                .into_iter()
                .flat_map(|s| s.values_mut())
            {
                params["mean"] = Value::Null;
                params["sd"] = Value::Null;
            }
            totals.push(format!("normalisation.parameters.{id}"));
        }
    }
    if let Some(object) = summary.as_object_mut() {
        object.insert("suppressed_totals".into(), json!(totals));
    }
    summary
}

/// `run.json`: tool version, command, effective config, inputs with hashes, outputs, seed.
/// No timestamps: the same inputs give the same bytes. Waits for the digests still being
/// computed; an input that can no longer be read is the error.
pub fn run_record(
    command: &str,
    loaded: &Loaded,
    outputs: &[String],
) -> Result<Value, crate::error::InputError> {
    loaded.wait_for_digests()?;
    let mut run = json!({
        "tool": "wijkbalans",
        "version": VERSION,
        "command": command,
        "seed": loaded.config.seed,
        "config": loaded.config,
        "inputs": loaded.inputs,
        "outputs": outputs,
    });
    if let Some(bag) = &loaded.bag {
        run["bag"] = json!(bag);
    }
    Ok(run)
}

#[cfg(test)]
mod input_column_tests {
    use super::input_column_names;

    #[test]
    fn input_names_step_aside_for_the_tools_columns() {
        let own = ["wb_units", "area_code", "location"];
        assert_eq!(
            input_column_names(
                ["name", "WB_UNITS", "in_x", "Location", "location", "units"],
                &own
            ),
            [
                "name",
                "in_WB_UNITS",
                "in_in_x",
                "in_Location",
                "in_in_location",
                "units"
            ]
        );
        // An input that already holds the prefixed name keeps it only when it is free.
        assert_eq!(
            input_column_names(["in_area_code", "area_code"], &own),
            ["in_in_area_code", "in_area_code"]
        );
    }
}
