//! The allocation of N places as a table and as one Dutch sentence per wijk.
//!
//! [`AllocationRow`] holds, per area, every number the sentence cites: the fair share
//! (docs/METHOD.md §2.6, "One fair share"), the need, the quota of the apportionment, the
//! limit and the policy rule that binds it, the places given and the state after. The sentence
//! ([`AllocationRow::sentence`]) says why the area got its number in words a planner can repeat
//! (docs/METHOD.md §2.8).

use serde_json::Value;

use super::columns::Columns;
use crate::indicators::Signal;
use crate::policy::RuleResult;
pub use crate::scenario::allocate::Limit;
use crate::scenario::allocate::{Basis, Objective};
use crate::table::{nl, number, opt_number, Table};

/// One area of an allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationRow {
    /// Area code.
    pub code: String,
    /// Area name.
    pub name: String,
    /// Inhabitants before.
    pub population: f64,
    /// Care units now (x_i).
    pub care_units_before: f64,
    /// Care units per 1,000 now.
    pub rate_before: Option<f64>,
    /// Saldo now.
    pub saldo_before: Option<f64>,
    /// Fair share τ_i = (X + N)·t_i/T.
    pub target: f64,
    /// max(0, τ_i − x_i).
    pub need: f64,
    /// The exact quota before rounding.
    pub quota: f64,
    /// What decided the quota.
    pub basis: Basis,
    /// The limit (places).
    pub cap: u64,
    /// Why the limit is what it is.
    pub limit: Limit,
    /// Whole places given.
    pub allocated: u64,
    /// The tie rule decided the last place at the cut.
    pub tie_decided: bool,
    /// Care units per 1,000 after the whole allocation.
    pub rate_after: Option<f64>,
    /// Fair-share ratio after the whole allocation.
    pub fair_share_ratio_after: Option<f64>,
    /// Signal now.
    pub signal_before: Signal,
    /// Signal after the places of this area.
    pub signal_after: Option<Signal>,
}

impl AllocationRow {
    /// One Dutch sentence: the number of places and why, by what the allocation optimised
    /// (`objective`: the sentence explains that, not the other).
    ///
    /// # Example
    /// "Wijk 13 Holtenbroek: 21 plaatsen. Eerlijk aandeel na de toewijzing 45,3
    /// zorgeenheden naar inwoners, nu 20,0: tekort 25,3; naar rato van de tekorten is dat
    /// 21,38 van de 277 plaatsen, afgerond met de grootste rest."
    pub fn sentence(&self, places: u64, objective: Objective) -> String {
        // "van de 277 plaatsen", "van de 1 plaats".
        let places = crate::format::counted(places, "plaats", "plaatsen");
        let who = format!("{} {}", self.code, self.name);
        let n = self.allocated;
        let count = |k: u64| crate::format::counted(k, "plaats", "plaatsen");
        let fair = format!(
            "Eerlijk aandeel na de toewijzing {} zorgeenheden naar inwoners, nu {}",
            nl(self.target, 1),
            nl(self.care_units_before, 1)
        );
        // A rule that fails, or a blocking rule that cannot be tested (an unknown signal or
        // typology is never a pass, docs/METHOD.md §2.6).
        let rule_text = |r: &RuleResult| {
            let why = r.explanation.trim_end_matches('.');
            if r.tested {
                format!("faalt de regel {} ({why})", r.label)
            } else {
                let why = why.strip_prefix("Niet getoetst: ").unwrap_or(why);
                let why = why.split("; zolang").next().unwrap_or(why);
                format!("is de regel {} niet te toetsen ({why})", r.label)
            }
        };
        if let Limit::NoInhabitants = self.limit {
            return format!("{who}: geen plaatsen, de wijk heeft geen inwoners.");
        }
        if self.cap == 0 {
            return match &self.limit {
                Limit::Rule(r) => format!(
                    "{who}: geen plaatsen, want al bij 1 plaats {}.",
                    rule_text(r)
                ),
                Limit::PerAreaMax => format!("{who}: geen plaatsen (--per-area-max 0)."),
                _ => format!("{who}: geen plaatsen."),
            };
        }
        if objective == Objective::MinMaxRate {
            return self.rate_sentence(&who, &rule_text);
        }
        if n == 0 {
            return if self.need <= 0.0 {
                format!(
                    "{who}: geen plaatsen. {fair}: de wijk heeft al minstens haar eerlijke aandeel."
                )
            } else {
                format!(
                    "{who}: geen plaatsen. {fair}: tekort {}; naar rato is dat {} van de {places}, te weinig voor een hele plaats bij de grootste-restmethode{}.",
                    nl(self.need, 1),
                    nl(self.quota, 2),
                    if self.tie_decided { " (gelijke rest; voorrang ging naar een wijk met een lager aantal per 1.000, dan een hoger saldo, dan de code)" } else { "" }
                )
            };
        }
        let why = match self.basis {
            Basis::Need => format!(
                "tekort {}; naar rato van de tekorten is dat {} van de {places}",
                nl(self.need, 1),
                nl(self.quota, 2)
            ),
            Basis::Cap => match self.limit_text(&rule_text) {
                Some(limit) => format!("tekort {}; {limit}", nl(self.need, 1)),
                None => format!("begrensd op {}", count(self.cap)),
            },
            Basis::Inhabitants => format!(
                "tekort {} gedekt; de plaatsen die daarna over waren (de wijken met een tekort zaten aan hun grens) gingen naar inwoners, samen {}",
                nl(self.need, 1),
                nl(self.quota, 2)
            ),
            // LowestRate comes only with min_max_rate, whose sentence is [`Self::rate_sentence`].
            Basis::None | Basis::LowestRate => format!("aandeel {}", nl(self.quota, 2)),
        };
        let rounding = if self.basis == Basis::Cap && (self.quota - self.cap as f64).abs() < 1e-9 {
            String::new()
        } else if self.tie_decided {
            ", afgerond met de grootste rest (bij gelijke rest voorrang voor het laagste aantal per 1.000, dan het hoogste saldo, dan de code)".to_string()
        } else {
            ", afgerond met de grootste rest".to_string()
        };
        format!("{who}: {}. {fair}: {why}{rounding}.", count(n))
    }

    /// What stopped the area at its limit, for both objectives' sentences: the rule that fails
    /// at one place more, as the site test judges those places against the care there is now
    /// ("meer krijgt de wijk niet, want de locatietoets, die tegen de zorg van nu toetst, zegt
    /// bij 10 plaatsen: faalt de regel …"; the fair share of the sentence's start counts the
    /// whole allocation, so it says which base each number has), or `--per-area-max`; `None`
    /// for any other limit.
    fn limit_text(&self, rule_text: &dyn Fn(&RuleResult) -> String) -> Option<String> {
        match &self.limit {
            Limit::Rule(r) => Some(format!(
                "meer krijgt de wijk niet, want de locatietoets, die tegen de zorg van nu toetst, \
                 zegt bij {}: {}",
                crate::format::counted(self.cap + 1, "plaats", "plaatsen"),
                rule_text(r)
            )),
            Limit::PerAreaMax => Some(format!(
                "begrensd op {} per wijk (--per-area-max)",
                self.cap
            )),
            _ => None,
        }
    }

    /// The sentence under `--objective min_max_rate`: each place went to the area whose care
    /// units per 1,000 inhabitants (now) were lowest after it, so an area's number is where
    /// one place more would have raised its rate above that of the places given elsewhere, or
    /// its limit (docs/METHOD.md §2.8). The rates are the greedy's own: 1000 · (x_i + k) / t_i.
    ///
    /// # Example
    /// "WK01 Noord: 21 plaatsen. Met --objective min_max_rate ging elke plaats naar de wijk
    /// waar het aantal zorgeenheden per 1.000 inwoners na die plaats het laagst was; hier komt
    /// het op 10,25 (nu 5,00), en een plaats meer zou het 10,50 maken."
    fn rate_sentence(&self, who: &str, rule_text: &dyn Fn(&RuleResult) -> String) -> String {
        let n = self.allocated;
        let rate = |k: u64| {
            nl(
                1000.0 * (self.care_units_before + k as f64) / self.population,
                2,
            )
        };
        let greedy = "Met --objective min_max_rate ging elke plaats naar de wijk waar het aantal \
                      zorgeenheden per 1.000 inwoners na die plaats het laagst was";
        let stop = match self.limit_text(rule_text) {
            Some(limit) if self.basis == Basis::Cap => limit,
            _ => format!("een plaats meer zou het {} maken", rate(n + 1)),
        };
        if n == 0 {
            format!(
                "{who}: geen plaatsen. {greedy}, en hier zou één plaats het al op {} brengen (nu {}), \
                 hoger dan waar de plaatsen naartoe gingen.",
                rate(1),
                rate(0)
            )
        } else {
            format!(
                "{who}: {}. {greedy}; hier komt het op {} (nu {}), en {stop}.",
                crate::format::counted(n, "plaats", "plaatsen"),
                rate(n),
                rate(0)
            )
        }
    }
}

/// The allocation layer's table, one row per area, with the sentence in `explanation`.
pub fn allocation_table(rows: &[AllocationRow], places: u64, objective: Objective) -> Table {
    let mut c: Columns<&AllocationRow> = Columns::new();
    c.push("code", |r| r.code.clone().into());
    c.push("name", |r| r.name.clone().into());
    c.push("population", |r| number(r.population));
    c.push("care_units_before", |r| number(r.care_units_before));
    c.push("care_units_per_1000_before", |r| opt_number(r.rate_before));
    c.push("saldo_before", |r| opt_number(r.saldo_before));
    c.push("fair_share_target", |r| number(r.target));
    c.push("need", |r| number(r.need));
    c.push("quota", |r| number(r.quota));
    c.push("basis", |r| {
        serde_json::to_value(r.basis).unwrap_or(Value::Null)
    });
    c.push("cap", |r| Value::from(r.cap));
    c.push("limit_rule", |r| {
        r.limit.id().map_or(Value::Null, Value::from)
    });
    c.push("allocated", |r| Value::from(r.allocated));
    c.push("tie_decided", |r| Value::Bool(r.tie_decided));
    c.push("care_units_after", |r| {
        number(r.care_units_before + r.allocated as f64)
    });
    c.push("care_units_per_1000_after", |r| opt_number(r.rate_after));
    c.push("fair_share_ratio_after", |r| {
        opt_number(r.fair_share_ratio_after)
    });
    c.push("signal_before", |r| r.signal_before.as_str().into());
    c.push("signal_after", |r| {
        r.signal_after.map_or(Value::Null, |s| s.as_str().into())
    });
    c.push("explanation", move |r| r.sentence(places, objective).into());
    c.table(rows.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Scope;

    fn row() -> AllocationRow {
        AllocationRow {
            code: "WK01".into(),
            name: "Noord".into(),
            population: 4000.0,
            care_units_before: 20.0,
            rate_before: Some(5.0),
            saldo_before: Some(0.2),
            target: 45.3,
            need: 25.3,
            quota: 21.38,
            basis: Basis::Need,
            cap: 277,
            limit: Limit::None,
            allocated: 21,
            tie_decided: false,
            rate_after: Some(10.2),
            fair_share_ratio_after: Some(0.9),
            signal_before: Signal::Neutraal,
            signal_after: Some(Signal::Neutraal),
        }
    }

    #[test]
    fn the_sentence_cites_the_fair_share_the_need_and_the_quota() {
        assert_eq!(
            row().sentence(277, Objective::FairShare),
            "WK01 Noord: 21 plaatsen. Eerlijk aandeel na de toewijzing 45,3 zorgeenheden naar \
             inwoners, nu 20,0: tekort 25,3; naar rato van de tekorten is dat 21,38 van de 277 \
             plaatsen, afgerond met de grootste rest."
        );
    }

    #[test]
    fn a_blocked_area_names_the_rule_and_its_statistic() {
        let rule = RuleResult {
            rule: "typologie".into(),
            label: "typologie".into(),
            scope: Scope::Wijk,
            cap: false,
            tested: true,
            value: "K1-L3".into(),
            threshold: "niet K1-L3".into(),
            passed: false,
            effect: crate::policy::Effect::Blokkerend,
            explanation: "De wijk was al K1-L3.".into(),
        };
        let r = AllocationRow {
            cap: 0,
            allocated: 0,
            quota: 0.0,
            basis: Basis::None,
            limit: Limit::Rule(Box::new(rule)),
            ..row()
        };
        assert_eq!(
            r.sentence(277, Objective::FairShare),
            "WK01 Noord: geen plaatsen, want al bij 1 plaats faalt de regel typologie (De wijk \
             was al K1-L3)."
        );
        let full = AllocationRow {
            need: 0.0,
            allocated: 0,
            quota: 0.0,
            basis: Basis::None,
            ..row()
        };
        assert!(full
            .sentence(277, Objective::FairShare)
            .ends_with("de wijk heeft al minstens haar eerlijke aandeel."));
    }

    /// Under min_max_rate the sentence explains the greedy with its own rates, not the
    /// fair-share quota and its rounding (which gave "41,68 … afgerond met de grootste rest"
    /// for 41 places).
    #[test]
    fn under_min_max_rate_the_sentence_explains_the_lowest_rate() {
        let by_rate = Objective::MinMaxRate;
        let r = AllocationRow {
            basis: Basis::LowestRate,
            quota: 21.0,
            ..row()
        };
        // 1000 · (20 + 21) / 4000 = 10.25; one more: 10.50; now 5.00.
        assert_eq!(
            r.sentence(277, by_rate),
            "WK01 Noord: 21 plaatsen. Met --objective min_max_rate ging elke plaats naar de wijk \
             waar het aantal zorgeenheden per 1.000 inwoners na die plaats het laagst was; hier \
             komt het op 10,25 (nu 5,00), en een plaats meer zou het 10,50 maken."
        );
        let none = AllocationRow {
            allocated: 0,
            quota: 0.0,
            ..r.clone()
        };
        assert!(none
            .sentence(277, by_rate)
            .contains("hier zou één plaats het al op 5,25 brengen (nu 5,00)"));
        let capped = AllocationRow {
            basis: Basis::Cap,
            cap: 21,
            limit: Limit::PerAreaMax,
            ..r
        };
        assert!(capped
            .sentence(277, by_rate)
            .ends_with("(nu 5,00), en begrensd op 21 per wijk (--per-area-max)."));
    }
}
