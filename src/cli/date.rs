//! The date of a run for the source line of the report and the wijk profiles of `serve`.

use crate::cli::Failure;

/// The date of the run for the report's source line, as "5 december 2026" (in English "5
/// December 2026"): the UTC day of
/// `SOURCE_DATE_EPOCH` (seconds) when set, so a rebuild gives the same file, else of now. Two
/// runs on one day give byte-identical reports. Hand-written (the civil-from-days conversion
/// of H. Hinnant's date algorithms): no date crate is a dependency for this one line.
pub fn run_date(lang: crate::report::html::Lang) -> Result<String, Failure> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| {
            Failure(format!(
                "SOURCE_DATE_EPOCH = {v:?} is geen aantal seconden sinds 1970; geef een geheel getal of verwijder de variabele"
            ))
        })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    };
    Ok(date_in(secs.div_euclid(86_400), lang))
}

/// Day `days` since 1970-01-01 as a date in `lang`, e.g. 20_427 → "5 december 2025" (Dutch),
/// "5 December 2025" (English).
fn date_in(days: i64, lang: crate::report::html::Lang) -> String {
    const DUTCH: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const ENGLISH: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let names = match lang {
        crate::report::html::Lang::Nl => DUTCH,
        crate::report::html::Lang::En => ENGLISH,
    };
    format!("{day} {} {year}", names[(month - 1) as usize])
}

#[cfg(test)]
mod date_tests {
    use super::date_in;
    use crate::report::html::Lang;

    #[test]
    fn days_since_1970_become_dutch_dates() {
        let dutch_date = |days| date_in(days, Lang::Nl);
        assert_eq!(dutch_date(0), "1 januari 1970");
        assert_eq!(dutch_date(20_427), "5 december 2025");
        // 2024-02-29: a leap day (19_782 days after 1970-01-01).
        assert_eq!(dutch_date(19_782), "29 februari 2024");
        // 2024-05-01 (19_844 days): "mei" is "May".
        assert_eq!(dutch_date(19_844), "1 mei 2024");
        assert_eq!(date_in(19_844, Lang::En), "1 May 2024");
        assert_eq!(date_in(20_427, Lang::En), "5 December 2025");
    }
}
