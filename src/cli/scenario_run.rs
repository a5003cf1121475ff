//! One scenario as `scenario` and `serve` compute it: the changes of a scenario file applied
//! in order to the baseline, and the documents both answer with (`scenario.json`,
//! `scenario.md` and the `scenario_areas` table, docs/OUTPUTS.md). One function builds them,
//! so a scenario built on the map gives exactly what `wijkbalans scenario` writes for the same
//! changes (docs/SERVE.md).

use serde_json::Value;

use crate::cli::address::Located;
use crate::cli::files::{change_failure, GivenAt};
use crate::cli::Failure;
use crate::model::{Area, TargetGroup};
use crate::report::whatif;
use crate::scenario::{AreaState, Change, ChangeError, Evaluation, Scenario, StudyMetrics};
use crate::table::Table;

/// A scenario applied: every change's evaluation in order (each against the state after the
/// changes before it, docs/METHOD.md §4), and every area and the study before and after.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The scenario's name.
    pub name: String,
    /// The evaluation of each change, in order.
    pub evaluations: Vec<Evaluation>,
    /// Every area at the baseline.
    pub before: Vec<AreaState>,
    /// Every area after all the changes.
    pub after: Vec<AreaState>,
    /// The study at the baseline.
    pub study_before: StudyMetrics,
    /// The study after all the changes.
    pub study_after: StudyMetrics,
    /// Whether the care already there is known (the study has a sites layer,
    /// [`crate::scenario::Scenario::care_known`]).
    pub care_known: bool,
}

/// Apply `changes` in order to a copy of `base` (which is not changed). `label` names the
/// scenario in messages (the file's path); a refused change is named by its number and name.
pub fn apply(
    base: &Scenario,
    name: &str,
    label: &str,
    changes: &[Change],
    groups: &[TargetGroup],
) -> Result<Applied, Failure> {
    try_apply(base, name, changes).map_err(|(k, e)| {
        let f = change_failure(
            e,
            groups,
            GivenAt::Coordinates("de sleutel crs van het scenariobestand"),
        );
        Failure(format!(
            "{label}: wijziging {} ({}): {}",
            k + 1,
            changes[k].name,
            f.0
        ))
    })
}

/// [`apply`], with a refused change as its index (from 0) and the engine's typed reason, for a
/// caller that words it itself (the page of `serve`, in Dutch).
pub fn try_apply(
    base: &Scenario,
    name: &str,
    changes: &[Change],
) -> Result<Applied, (usize, ChangeError)> {
    let mut scenario = base.clone();
    let before = scenario.all_states("");
    let study_before = scenario.study_metrics();
    let mut evaluations = Vec::with_capacity(changes.len());
    for (k, change) in changes.iter().enumerate() {
        evaluations.push(scenario.apply(change).map_err(|e| (k, e))?);
    }
    Ok(Applied {
        name: name.to_string(),
        evaluations,
        before,
        after: scenario.all_states(""),
        study_before,
        study_after: scenario.study_metrics(),
        care_known: scenario.care_known(),
    })
}

impl Applied {
    /// `scenario.json` ([`whatif::scenario_json`]).
    pub fn json(&self, areas: &[Area]) -> Value {
        whatif::scenario_json(
            &self.name,
            areas,
            &self.evaluations,
            (&self.study_before, &self.study_after),
            self.care_known,
        )
    }

    /// `scenario.md` ([`whatif::scenario_markdown`]); `groups` give the target groups' labels.
    pub fn markdown(&self, areas: &[Area], groups: &[crate::model::TargetGroup]) -> String {
        whatif::scenario_markdown(
            &self.name,
            (areas, groups),
            &self.evaluations,
            (&self.before, &self.after),
            (&self.study_before, &self.study_after),
            self.care_known,
        )
    }

    /// [`Applied::json`] with, for each change given by address, the BAG address it was
    /// placed at (`located`, one entry per change; docs/OUTPUTS.md, "scenario").
    pub fn json_located(&self, areas: &[Area], located: &[Option<Located>]) -> Value {
        let mut doc = self.json(areas);
        for (k, a) in located.iter().enumerate() {
            if let Some(a) = a {
                doc["changes"][k]["address"] = a.json();
            }
        }
        doc
    }

    /// [`Applied::markdown`] with the section "Adressen": which BAG address each change given
    /// by address was placed at (none when no change was).
    pub fn markdown_located(
        &self,
        areas: &[Area],
        groups: &[crate::model::TargetGroup],
        located: &[Option<Located>],
    ) -> String {
        let mut md = self.markdown(areas, groups);
        if located.iter().all(Option::is_none) {
            return md;
        }
        let esc = crate::markup::markdown;
        md.push_str(
            "\n## Adressen\n\nWijzigingen die met een adres zijn opgegeven, opgezocht in de BAG:\n\n\
             | # | wijziging | opgegeven | BAG-adres | BAG-id |\n|---|---|---|---|---|\n",
        );
        for (k, (e, a)) in self.evaluations.iter().zip(located).enumerate() {
            if let Some(a) = a {
                md.push_str(&format!(
                    "| {} | {} | {} | {} | {:016} |\n",
                    k + 1,
                    esc(&e.change.name),
                    esc(&a.given),
                    esc(&a.found.text),
                    a.found.entry.id
                ));
            }
        }
        md
    }

    /// The per-area before/after table of `scenario_areas` ([`whatif::scenario_table`]).
    pub fn table(&self, areas: &[Area]) -> Table {
        whatif::scenario_table(areas, &self.before, &self.after, self.care_known)
    }
}
