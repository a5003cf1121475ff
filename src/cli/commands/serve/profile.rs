//! The profile of one wijk on the map of `wijkbalans serve`: its page of `wijkbalans report`
//! (key figures, every indicator with its unit and z, signal, saldo and its drivers, the
//! sites), rendered by the report's own code for that wijk alone (docs/SERVE.md, "Profile").

use crate::cli::Failure;
use crate::report::html::{render, Lang, ReportData};

/// The report data of the study, built once when the server starts.
pub struct Profiles {
    data: ReportData,
}

impl Profiles {
    /// Keep `data` (from `report::balance::report_data`, as `wijkbalans report` builds it).
    pub fn new(data: ReportData) -> Profiles {
        Profiles { data }
    }

    /// The report page of the wijk `code` (the overview map of the study and that wijk's
    /// section, as `wijkbalans report --wijk CODE` writes it), or an error naming the code
    /// when the study has no such wijk. Codes are compared without case, as everywhere
    /// (`wk019330` is WK019330).
    pub fn page(&self, code: &str) -> Result<String, Failure> {
        let Some(area) = self
            .data
            .areas
            .iter()
            .find(|a| a.code.eq_ignore_ascii_case(code.trim()))
        else {
            return Err(Failure(format!(
                "geen wijk met code '{code}' in deze studie"
            )));
        };
        let mut data = self.data.clone();
        data.sections = Some(vec![area.code.clone()]);
        Ok(render(&data, Lang::Nl))
    }
}
