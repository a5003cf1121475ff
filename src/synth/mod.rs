//! Seeded generators of **synthetic** inputs, for where no open data exists.
//!
//! No open dwelling-point or care-site layer exists for Zwolle or Groningen, so the shipped
//! demo uses layers generated here. Everything they produce is labelled synthetic or
//! illustrative in file names, properties and docs.
//!
//! - [`dwellings`]: one point per CBS dwelling (`dwellings`, a_woning) of each area, uniformly
//!   random inside the area's polygon; round(n · p_koopw/100) of them get tenure `koop`, the
//!   rest `huur` (`onbekend` where the ownership share is suppressed). Positions are synthetic;
//!   the counts per area and the ownership share match CBS up to rounding.
//! - [`zwolle_sites`]: the projects the Zwolle policy documents name (docs/METHOD.md §1) with their
//!   real unit counts and target groups, plus illustrative existing beschermd-wonen and
//!   older-people locations. The wijk of each is chosen for illustration and the point is random
//!   inside it: **they are not the real addresses**.
//!
//! Each area draws from its own ChaCha8 stream (seed, area index), so the output does not depend
//! on the number of threads.

use geo::{BoundingRect, Contains, MultiPolygon, Point};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::model::Area;

/// A generated dwelling.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthDwelling {
    /// Position in the compute CRS, rounded to 0.1 m.
    pub xy: [f64; 2],
    /// `koop`, `huur` or `onbekend`.
    pub tenure: &'static str,
}

/// An independent RNG per (seed, stream): SplitMix64 mixes the stream index into the seed.
pub fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut z = seed ^ stream.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ChaCha8Rng::seed_from_u64(z ^ (z >> 31))
}

/// A uniformly random point inside `poly` (rejection sampling in its bounding box), `None` after
/// 100,000 misses (a degenerate polygon).
pub fn random_point_in(poly: &MultiPolygon<f64>, rng: &mut ChaCha8Rng) -> Option<[f64; 2]> {
    let r = poly.bounding_rect()?;
    for _ in 0..100_000 {
        // Round first, then test: the written point itself must lie inside.
        let x = (rng.random_range(r.min().x..=r.max().x) * 10.0).round() / 10.0;
        let y = (rng.random_range(r.min().y..=r.max().y) * 10.0).round() / 10.0;
        if poly.contains(&Point::new(x, y)) {
            return Some([x, y]);
        }
    }
    None
}

/// Synthetic dwellings for every area, in area order.
pub fn dwellings(areas: &[Area], seed: u64) -> Vec<SynthDwelling> {
    areas
        .par_iter()
        .enumerate()
        .map(|(i, a)| {
            let n = a.value("dwellings").unwrap_or(0.0).round().max(0.0) as usize;
            let owner = a.value("pct_owner_occupied");
            let n_koop = owner.map(|p| (n as f64 * p / 100.0).round() as usize);
            let mut r = rng(seed, i as u64);
            (0..n)
                .filter_map(|k| {
                    let xy = random_point_in(&a.geometry, &mut r)?;
                    let tenure = match n_koop {
                        None => "onbekend",
                        Some(nk) if k < nk => "koop",
                        Some(_) => "huur",
                    };
                    Some(SynthDwelling { xy, tenure })
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// An illustrative care site: a named project (real unit counts where the policy documents give
/// them) in a wijk chosen for illustration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteTemplate {
    /// Name.
    pub name: &'static str,
    /// Units for the target group.
    pub units: u32,
    /// Regular homes in the same project.
    pub regular_units: u32,
    /// Target group id.
    pub target_group: &'static str,
    /// existing / planned.
    pub status: &'static str,
    /// 24-hour care on site.
    pub care_24h: bool,
    /// Wijk it is placed in (illustrative).
    pub wijk: &'static str,
    /// Year of opening from the policy documents, when they give one.
    pub year: Option<i32>,
    /// Where the numbers come from.
    pub source: &'static str,
}

const SEED_DOC: &str = "Gemeente Zwolle: Voortgangsrapportage Wonen en Zorg sep 2022-sep 2023 en Lokaal uitvoeringsplan beschermd wonen naar beschermd thuis (2021); wijk en positie illustratief";
const ILLUSTRATIVE: &str =
    "illustratief: aantal en wijk verzonnen voor de demo, geen echte locatie";

/// The illustrative Zwolle sites (docs/METHOD.md §1; the seeds' projects, and illustrative
/// existing locations so that the demo has a spread to measure).
pub const ZWOLLE_SITES: &[SiteTemplate] = &[
    SiteTemplate {
        name: "De Tippe",
        units: 17,
        regular_units: 8,
        target_group: "beschermd_thuis",
        status: "planned",
        care_24h: false,
        wijk: "WK019321",
        year: Some(2024),
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Oosterenk 2.0 (flexwonen, jongeren)",
        units: 15,
        regular_units: 0,
        target_group: "jongeren",
        status: "planned",
        care_24h: false,
        wijk: "WK019340",
        year: Some(2024),
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Geert Grootestraat",
        units: 12,
        regular_units: 0,
        target_group: "beschermd_thuis",
        status: "existing",
        care_24h: false,
        wijk: "WK019313",
        year: None,
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Community 4.2 Talentenplein",
        units: 10,
        regular_units: 0,
        target_group: "jongeren",
        status: "existing",
        care_24h: false,
        wijk: "WK019350",
        year: Some(2020),
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Housing First Jongeren",
        units: 5,
        regular_units: 0,
        target_group: "housing_first",
        status: "existing",
        care_24h: false,
        wijk: "WK019330",
        year: None,
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Woonunits naast de Herberg",
        units: 5,
        regular_units: 0,
        target_group: "maatschappelijke_opvang",
        status: "planned",
        care_24h: false,
        wijk: "WK019311",
        year: Some(2024),
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Het Vriendenhuis",
        units: 3,
        regular_units: 0,
        target_group: "beschermd_thuis",
        status: "planned",
        care_24h: false,
        wijk: "WK019351",
        year: Some(2023),
        source: SEED_DOC,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie A (illustratief)",
        units: 60,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: true,
        wijk: "WK019311",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie B (illustratief)",
        units: 50,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: true,
        wijk: "WK019330",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie C (illustratief)",
        units: 40,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: true,
        wijk: "WK019313",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie D (illustratief)",
        units: 35,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: true,
        wijk: "WK019310",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie E (illustratief)",
        units: 30,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: true,
        wijk: "WK019331",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie F (illustratief)",
        units: 25,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: false,
        wijk: "WK019312",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie G (illustratief)",
        units: 20,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: false,
        wijk: "WK019314",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Beschermd wonen locatie H (illustratief)",
        units: 20,
        regular_units: 0,
        target_group: "beschermd_wonen",
        status: "existing",
        care_24h: false,
        wijk: "WK019322",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Ouderen geclusterd 1 (illustratief)",
        units: 45,
        regular_units: 0,
        target_group: "ouderen_geclusterd",
        status: "existing",
        care_24h: false,
        wijk: "WK019331",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Ouderen geclusterd 2 (illustratief)",
        units: 40,
        regular_units: 0,
        target_group: "ouderen_geclusterd",
        status: "existing",
        care_24h: false,
        wijk: "WK019351",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Ouderen geclusterd 3 (illustratief)",
        units: 35,
        regular_units: 0,
        target_group: "ouderen_geclusterd",
        status: "existing",
        care_24h: false,
        wijk: "WK019350",
        year: None,
        source: ILLUSTRATIVE,
    },
    SiteTemplate {
        name: "Ouderen zorggeschikt (illustratief)",
        units: 30,
        regular_units: 0,
        target_group: "ouderen_zorggeschikt",
        status: "existing",
        care_24h: true,
        wijk: "WK019322",
        year: None,
        source: ILLUSTRATIVE,
    },
];

/// A placed illustrative site.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedSite {
    /// The template.
    pub template: SiteTemplate,
    /// Position in the compute CRS.
    pub xy: [f64; 2],
}

/// Place the illustrative Zwolle sites; `Err` names a wijk code the areas do not contain.
pub fn zwolle_sites(areas: &[Area], seed: u64) -> Result<Vec<PlacedSite>, String> {
    ZWOLLE_SITES
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let area = areas.iter().find(|a| a.code == t.wijk).ok_or_else(|| {
                format!(
                    "the illustrative sites are Zwolle's (GM0193); the areas have no wijk {}",
                    t.wijk
                )
            })?;
            let mut r = rng(seed, 1_000_000 + k as u64);
            let xy = random_point_in(&area.geometry, &mut r)
                .ok_or_else(|| format!("cannot place a point in {}", area.code))?;
            Ok(PlacedSite { template: *t, xy })
        })
        .collect()
}

/// `n` synthetic points over all areas, each area chosen with probability proportional to its
/// inhabitants, the point uniform inside it. Point k draws from its own stream (seed, base + k),
/// so the result does not depend on the thread count. Returns (area index, position).
pub fn points_by_population(
    areas: &[Area],
    n: usize,
    seed: u64,
    base: u64,
) -> Vec<(usize, [f64; 2])> {
    let mut cumulative = Vec::with_capacity(areas.len());
    let mut total = 0.0;
    for a in areas {
        total += a.value("population").unwrap_or(0.0).max(0.0);
        cumulative.push(total);
    }
    if total <= 0.0 {
        return Vec::new();
    }
    (0..n)
        .into_par_iter()
        .filter_map(|k| {
            let mut r = rng(seed, base + k as u64);
            let u = r.random_range(0.0..total);
            let i = cumulative.partition_point(|c| *c <= u).min(areas.len() - 1);
            random_point_in(&areas[i].geometry, &mut r).map(|p| (i, p))
        })
        .collect()
}

/// Facility types of the synthetic national facilities layer, assigned in turn.
pub const FACILITY_TYPES: &[&str] = &[
    "supermarkt",
    "huisarts",
    "apotheek",
    "ontmoetingsruimte",
    "ov_halte",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::tests::area;

    #[test]
    fn counts_and_ownership_follow_the_area_values() {
        let areas = vec![area(
            "WK000101",
            &[
                ("dwellings", Some(10.0)),
                ("pct_owner_occupied", Some(34.0)),
            ],
        )];
        let d = dwellings(&areas, 7);
        assert_eq!(d.len(), 10);
        assert_eq!(d.iter().filter(|x| x.tenure == "koop").count(), 3);
        assert!(d
            .iter()
            .all(|x| areas[0].geometry.contains(&Point::new(x.xy[0], x.xy[1]))));
        assert_eq!(dwellings(&areas, 7), d, "same seed, same points");
        assert_ne!(dwellings(&areas, 8), d, "another seed, other points");
    }

    #[test]
    fn points_follow_population_and_the_seed() {
        let areas = vec![
            area("WK000101", &[("population", Some(0.0))]),
            area("WK000102", &[("population", Some(100.0))]),
        ];
        let p = points_by_population(&areas, 50, 3, 0);
        assert_eq!(p.len(), 50);
        assert!(p.iter().all(|(i, _)| *i == 1), "no points in an empty area");
        assert_eq!(points_by_population(&areas, 50, 3, 0), p);
    }

    #[test]
    fn zwolle_sites_need_zwolle_wijken() {
        let areas = vec![area("WK001400", &[])];
        assert!(zwolle_sites(&areas, 1).unwrap_err().contains("WK0193"));
    }
}
