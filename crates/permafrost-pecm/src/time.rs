//! Dates as day numbers and years, and the checks on date sequences.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};

/// Days per year for every conversion of days to years (as MintPy and
/// `insar-sbas`).
pub const DAYS_PER_YEAR: f64 = 365.25;

/// The day number of a date (days since 0001-01-01, proleptic Gregorian).
/// A date stands for the instant 00:00 of that day.
pub(crate) fn day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The date of a day number (inverse of [`day`]).
pub(crate) fn date_of(day: i64) -> NaiveDate {
    // Day numbers handled here come from valid dates plus small offsets.
    NaiveDate::from_num_days_from_ce_opt(day as i32).unwrap_or(NaiveDate::MAX)
}

/// Time in years since 1 January of the first date's year (the sinusoid's
/// time axis), one value per date.
pub fn years_since_first_january(dates: &[NaiveDate]) -> Vec<f64> {
    let Some(first) = dates.first() else {
        return Vec::new();
    };
    let jan1 = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(*first);
    let origin = day(jan1);
    dates
        .iter()
        .map(|d| (day(*d) - origin) as f64 / DAYS_PER_YEAR)
        .collect()
}

/// Checks that `dates` increase strictly.
pub(crate) fn check_increasing(input: &'static str, dates: &[NaiveDate]) -> Result<()> {
    for (i, w) in dates.windows(2).enumerate() {
        if w[1] <= w[0] {
            return Err(Error::NotIncreasing {
                input,
                index: i + 1,
                value: w[1].to_string(),
                previous: w[0].to_string(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2017, 3, 1).unwrap();
        assert_eq!(date_of(day(d)), d);
        assert_eq!(
            day(d) - day(NaiveDate::from_ymd_opt(2017, 2, 28).unwrap()),
            1
        );
    }

    #[test]
    fn years_start_on_first_january() {
        let d = [
            NaiveDate::from_ymd_opt(2016, 7, 2).unwrap(),
            NaiveDate::from_ymd_opt(2017, 1, 1).unwrap(),
        ];
        let t = years_since_first_january(&d);
        assert!((t[0] - 183.0 / DAYS_PER_YEAR).abs() < 1e-15);
        assert!((t[1] - 366.0 / DAYS_PER_YEAR).abs() < 1e-15);
    }
}
