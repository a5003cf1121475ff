//! The report's trend (`report --previous FILE`): the previous vintage compared with the current
//! one by [`crate::monitor::compare()`] (matching by code, the boundary check of
//! docs/METHOD.md §4.4) and [`super::compare::not_compared_reasons`], laid into the report data as one
//! [`Trend`] per area and the [`PreviousReport`] of the summary. The computation is
//! `compare`'s; this module only carries its result into the report.

use super::compare::{not_compared_reasons, Vintage};
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
    let labels = key_labels(&data.indicators);
    for (changed, c) in all {
        let Some(area) = data.areas.iter_mut().find(|a| a.code == c.code) else {
            continue;
        };
        let saldo = c.values.get("saldo");
        let reasons = not_compared_reasons(c, before, after);
        area.trend = Some(Trend {
            signal_before: before.signals.get(&c.code).cloned().unwrap_or_default(),
            saldo_before: saldo.and_then(|v| v.before),
            saldo_change: if changed {
                None
            } else {
                saldo.and_then(|v| v.change)
            },
            boundary_changed: changed,
            saldo_unlike: !super::compare::signals_comparable(&c.code, before, after),
            not_compared: reasons
                .iter()
                .map(|(key, why)| format!("{}: {why}", name_of(key, &labels)))
                .collect(),
        });
    }
}

/// The name a reader knows for every key [`not_compared_reasons`] can give, by key: an indicator by its
/// id and label ("DK1 % koopwoningen": the report's own indicators, then the default set, for
/// one computed only in the other vintage), C2 computed from the polygons as such, a count
/// column by its Dutch header ("Woningen (aantal)", [`super::headers::dutch_header`]).
fn key_labels(shown: &[super::html::IndicatorInfo]) -> std::collections::BTreeMap<String, String> {
    let mut labels: std::collections::BTreeMap<String, String> =
        crate::indicators::default_indicators()
            .into_iter()
            .map(|d| (d.id.to_lowercase(), format!("{} {}", d.id, d.label)))
            .collect();
    for i in shown {
        labels.insert(i.id.to_lowercase(), format!("{} {}", i.id, i.label));
    }
    if let Some(c2) = labels.get("c2").cloned() {
        labels.insert(
            super::compare::DENSITY_COMPUTED.to_string(),
            format!("{c2} (berekend uit de oppervlakte)"),
        );
    }
    labels
}

/// The name of the key of a reason of [`not_compared_reasons`] as the report names it
/// ([`key_labels`]); a key without a name stays as it is.
///
/// Example: `dk1` → "DK1 % koopwoningen"; `dwellings` → "Woningen (aantal)".
fn name_of(key: &str, labels: &std::collections::BTreeMap<String, String>) -> String {
    labels
        .get(key)
        .cloned()
        .or_else(|| super::headers::dutch_header(key, &[], &[]))
        .unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_indicators_and_columns_as_the_report_does() {
        let labels = key_labels(&[]);
        assert_eq!(name_of("dk1", &labels), "DK1 % koopwoningen");
        assert_eq!(name_of("dwellings", &labels), "Woningen (aantal)");
        assert_eq!(name_of("saldo", &labels), "Saldo (z-score)");
        assert_eq!(
            name_of("c2_berekend", &labels),
            "C2 inwoners per km² (berekend uit de oppervlakte)"
        );
        assert_eq!(name_of("iets", &labels), "iets");
    }
}
