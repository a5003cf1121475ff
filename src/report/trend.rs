//! The report's trend (`report --previous FILE`): the previous vintage compared with the current
//! one by [`crate::monitor::compare()`] (matching by code, the boundary check of
//! docs/METHOD.md §4.4) and [`super::compare::not_compared`], laid into the report data as one
//! [`Trend`] per area and the [`PreviousReport`] of the summary. The computation is
//! `compare`'s; this module only carries its result into the report.

use super::compare::{not_compared, Vintage};
use super::html::{PreviousReport, ReportData, Trend};
use crate::monitor::Comparison;

/// Sets [`ReportData::previous`] and every area's [`super::html::AreaReport::trend`] from the
/// comparison `cmp` of `before` (the previous vintage, named `label`) with `after` (the
/// report's own vintage). An area whose boundary changed gets a trend with
/// `boundary_changed` and no saldo change; an area new since the previous vintage gets none.
///
/// Example: a wijk `oranje` with saldo −0,60 now and `neutraal` with −0,20 before gets
/// `signal_before = "neutraal"`, `saldo_change = −0,40`.
pub fn add_trend(
    data: &mut ReportData,
    cmp: &Comparison,
    before: &Vintage,
    after: &Vintage,
    label: &str,
) {
    let names = |list: &[crate::monitor::AreaRef]| -> Vec<String> {
        list.iter()
            .map(|a| format!("{} {}", a.code, a.name))
            .collect()
    };
    data.previous = Some(PreviousReport {
        label: label.to_string(),
        only_before: names(&cmp.only_before),
        only_after: names(&cmp.only_after),
    });
    let all = cmp
        .matched
        .iter()
        .map(|c| (false, c))
        .chain(cmp.boundary_changed.iter().map(|c| (true, c)));
    for (changed, c) in all {
        let Some(area) = data.areas.iter_mut().find(|a| a.code == c.code) else {
            continue;
        };
        let saldo = c.values.get("saldo");
        let text = not_compared(c, before, after);
        area.trend = Some(Trend {
            signal_before: before.signals.get(&c.code).cloned().unwrap_or_default(),
            saldo_before: saldo.and_then(|v| v.before),
            saldo_change: if changed {
                None
            } else {
                saldo.and_then(|v| v.change)
            },
            boundary_changed: changed,
            not_compared: if text.is_empty() {
                Vec::new()
            } else {
                text.split(" | ").map(String::from).collect()
            },
        });
    }
}
