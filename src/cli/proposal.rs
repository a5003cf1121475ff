//! One proposed site as `test-site` and `serve` take it: the change built from a point, a
//! number of units and a group, and the JSON document both answer with (docs/OUTPUTS.md,
//! "test-site --json"). One function builds that document, so a click on the map gives
//! exactly what `wijkbalans test-site --json` prints for the same point.

use serde_json::Value;

use crate::cli::files::{change_failure, GivenAt};
use crate::cli::Failure;
use crate::config::ValidConfig;
use crate::io::crs::{parse_crs, transform_point};
use crate::model::address::swapped_coordinates;
use crate::model::Area;
use crate::report::{self, whatif};
use crate::scenario::file::{check_name, check_units};
use crate::scenario::{Change, ChangeError, Evaluation, Scenario, WhatFits};

/// Whether a point given in `crs` (`None`: the compute CRS) is in degrees (a geographic
/// coordinate system) rather than metres; `at_flag` names the point in the message when the
/// CRS is not known.
pub fn in_degrees(crs: Option<&str>, cfg: &ValidConfig, at_flag: &str) -> Result<bool, Failure> {
    parse_crs(crs.unwrap_or(&cfg.crs))
        .map(|s| s.is_geographic())
        .map_err(|m| Failure(format!("{at_flag}: {m}")))
}

/// What a proposal is made of, as the user gave it.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Name of the proposal in the output.
    pub name: String,
    /// The location, in `crs`.
    pub at: [f64; 2],
    /// CRS of `at` (`None`: the compute CRS).
    pub crs: Option<String>,
    /// Care units for the group (at least 1, at most [`crate::model::MAX_SITE_UNITS`]).
    pub units: u64,
    /// Target group id, in any case.
    pub group: String,
    /// Regular homes in the same project, reported only.
    pub regular_units: u64,
}

impl Proposal {
    /// The change in the compute CRS; `at_flag` names the location in messages (`--at`,
    /// `--address`; a name without `--` is serve's field, and the units and name are then
    /// named as fields too).
    pub fn change(&self, cfg: &ValidConfig, at_flag: &str) -> Result<Change, Failure> {
        // On the command line the numbers and the name are flags; on the page, fields.
        let command_line = at_flag.starts_with("--");
        let (units, name) = if command_line {
            ("--units", "--name")
        } else {
            ("units", "name")
        };
        check_units(self.units, units).map_err(Failure)?;
        check_name(&self.name, name, true).map_err(Failure)?;
        let from = self.crs.clone().unwrap_or_else(|| cfg.crs.clone());
        // Numbers in the wrong order (lat,lon or y,x) are refused with the order to use
        // (docs/METHOD.md §6.1).
        let geographic = in_degrees(self.crs.as_deref(), cfg, at_flag)?;
        if let Some(m) = swapped_coordinates(self.at, geographic) {
            return Err(Failure(format!("{at_flag}: {m}")));
        }
        // On the page the CRS is the request's key `crs`, not the flag.
        let declare = if command_line {
            "--at-crs {}"
        } else {
            "\"crs\": \"{}\""
        };
        let location = transform_point(&from, &cfg.crs, self.at, declare)
            .map_err(|m| Failure(format!("{at_flag}: {m}")))?;
        Ok(Change {
            name: self.name.clone(),
            location,
            units: self.units as f64,
            group: self.group.to_ascii_lowercase(),
            regular_units: self.regular_units as f64,
            year: None,
        })
    }
}

/// `change` against the baseline `scenario` (which is not changed): its evaluation and what
/// would fit at its location. `address`: the BAG address the location is, when it was given
/// so (a location outside the areas is then the address's, not a matter of coordinates).
pub fn evaluate(
    scenario: &Scenario,
    change: &Change,
    cfg: &ValidConfig,
    address: Option<&crate::cli::address::Located>,
) -> Result<(Evaluation, WhatFits), Failure> {
    let given = match address {
        Some(a) => GivenAt::Address(&a.found.text),
        None => GivenAt::Coordinates("--at-crs"),
    };
    try_evaluate(scenario, change).map_err(|e| change_failure(e, &cfg.target_group, given))
}

/// [`evaluate`], with the engine's typed reason for a refusal, for a caller that words it
/// itself (the page of `serve`, in Dutch).
pub fn try_evaluate(
    scenario: &Scenario,
    change: &Change,
) -> Result<(Evaluation, WhatFits), ChangeError> {
    let fits = scenario.what_fits(change)?;
    Ok((scenario.evaluate(change)?, fits))
}

/// The `test-site --json` document: the evaluation ([`whatif::evaluation_json`]), the version
/// and what would fit ([`whatif::what_fits_json`]).
pub fn json(areas: &[Area], evaluation: &Evaluation, fits: &WhatFits) -> Value {
    let mut doc = whatif::evaluation_json(areas, evaluation);
    doc["wijkbalans_version"] = report::VERSION.into();
    doc["what_fits"] = whatif::what_fits_json(areas, fits);
    doc
}
