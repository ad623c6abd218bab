//! Time axes: resolution (sub-daily, daily, monthly), checks, periods and
//! day numbers.

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use crate::error::{Error, Result};

/// The epoch of the day numbers used in arrays ([`day_number`]): 1970-01-01.
pub const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => panic!("valid epoch"),
};

/// Seconds per day.
pub(crate) const DAY_SECONDS: i64 = 86_400;

/// The time resolution of a series, inferred by [`resolution`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeResolution {
    /// Equally spaced steps shorter than a day that divide a day
    /// (hourly: `step_seconds = 3600`); gaps of whole steps are allowed.
    SubDaily {
        /// The step, in seconds.
        step_seconds: i64,
    },
    /// One value per day (any time of day; gaps of whole days allowed).
    Daily,
    /// One value per calendar month (stamped on the same day of month and
    /// time of day, e.g. the 1st at 00 UTC).
    Monthly,
    /// A single time step: the resolution cannot be inferred.
    Single,
}

impl TimeResolution {
    /// Steps per day for sub-daily series, 1 for daily ones, `None` else.
    pub fn steps_per_day(&self) -> Option<usize> {
        match *self {
            TimeResolution::SubDaily { step_seconds } => {
                usize::try_from(DAY_SECONDS / step_seconds).ok()
            }
            TimeResolution::Daily => Some(1),
            _ => None,
        }
    }
}

impl fmt::Display for TimeResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimeResolution::SubDaily { step_seconds: 3600 } => f.write_str("hourly"),
            TimeResolution::SubDaily { step_seconds } if step_seconds % 3600 == 0 => {
                write!(f, "{}-hourly", step_seconds / 3600)
            }
            TimeResolution::SubDaily { step_seconds } => write!(f, "sub-daily ({step_seconds} s)"),
            TimeResolution::Daily => f.write_str("daily"),
            TimeResolution::Monthly => f.write_str("monthly"),
            TimeResolution::Single => f.write_str("a single time step"),
        }
    }
}

/// Checks that `times` is strictly increasing.
pub fn check_increasing(input: &str, times: &[NaiveDateTime]) -> Result<()> {
    for (i, w) in times.windows(2).enumerate() {
        if w[1] <= w[0] {
            return Err(Error::NonMonotonicTime {
                input: input.to_string(),
                index: i + 1,
                time: w[1],
                previous: w[0],
            });
        }
    }
    Ok(())
}

/// Checks that `dates` are consecutive days.
pub fn check_consecutive(input: &str, dates: &[NaiveDate]) -> Result<()> {
    for (i, w) in dates.windows(2).enumerate() {
        if w[0].succ_opt() != Some(w[1]) {
            return Err(Error::NotConsecutive {
                input: input.to_string(),
                index: i + 1,
                date: w[1],
                previous: w[0],
            });
        }
    }
    Ok(())
}

/// Infers the resolution of a strictly increasing time axis.
///
/// Sub-daily: all differences are multiples of the smallest one, which
/// divides a day. Daily: all differences are whole days. Monthly: every step
/// falls on the same day of month and time of day as the first, and
/// differences are at least 28 days.
pub fn resolution(input: &str, times: &[NaiveDateTime]) -> Result<TimeResolution> {
    check_increasing(input, times)?;
    if times.is_empty() {
        return Err(Error::Empty {
            input: format!("{input} (time axis)"),
        });
    }
    if times.len() == 1 {
        return Ok(TimeResolution::Single);
    }
    let diffs: Vec<i64> = times
        .windows(2)
        .map(|w| (w[1] - w[0]).num_seconds())
        .collect();
    let step = diffs.iter().copied().min().unwrap_or(0);
    let irregular = |detail: String| Error::IrregularTime {
        input: input.to_string(),
        detail,
    };
    if step < DAY_SECONDS {
        if step <= 0 || DAY_SECONDS % step != 0 {
            return Err(irregular(format!(
                "smallest step {step} s does not divide a day"
            )));
        }
        if let Some(i) = diffs.iter().position(|d| d % step != 0) {
            return Err(irregular(format!(
                "step {} s at index {} is not a multiple of {step} s",
                diffs[i],
                i + 1
            )));
        }
        return Ok(TimeResolution::SubDaily { step_seconds: step });
    }
    if step < 28 * DAY_SECONDS {
        if let Some(i) = diffs.iter().position(|d| d % DAY_SECONDS != 0) {
            return Err(irregular(format!(
                "step {} s at index {} is not a whole number of days",
                diffs[i],
                i + 1
            )));
        }
        return Ok(TimeResolution::Daily);
    }
    let first = times[0];
    for (i, t) in times.iter().enumerate() {
        if t.day() != first.day() || t.time() != first.time() {
            return Err(irregular(format!(
                "steps of {} days or more but {t} (index {i}) is not on day {} at {} like the first",
                step / DAY_SECONDS,
                first.day(),
                first.time()
            )));
        }
    }
    Ok(TimeResolution::Monthly)
}

/// A period of whole days, `start ..= end` (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

impl Period {
    /// The days `start ..= end`; `end` must not precede `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self> {
        if end < start {
            return Err(Error::invalid_parameter(
                "period",
                format!("{start} .. {end}"),
                "the end must not precede the start",
            ));
        }
        Ok(Period { start, end })
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Number of days.
    pub fn days(&self) -> usize {
        ((self.end - self.start).num_days() + 1) as usize
    }

    /// Whether `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} .. {}", self.start, self.end)
    }
}

/// Days since [`EPOCH`] (1970-01-01) of a date.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - EPOCH).num_days()
}

/// The date `days` days after [`EPOCH`].
pub fn date_from_day_number(days: i64) -> Option<NaiveDate> {
    EPOCH.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// Fractional days since [`EPOCH`] of an instant.
pub fn fractional_day(t: NaiveDateTime) -> f64 {
    let secs = (t - EPOCH.and_time(NaiveTime::MIN)).num_milliseconds() as f64 / 1e3;
    secs / DAY_SECONDS as f64
}

/// The first day of the month of `t`.
pub(crate) fn month_start(t: NaiveDate) -> NaiveDate {
    t.with_day(1).unwrap_or(t)
}

/// Number of days of the month starting at `first` (a 1st of month).
pub(crate) fn days_in_month(first: NaiveDate) -> i64 {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.map_or(30, |n| (n - first).num_days())
}

/// Whether `t` is exactly midnight.
pub(crate) fn is_midnight(t: NaiveDateTime) -> bool {
    t.hour() == 0 && t.minute() == 0 && t.second() == 0 && t.nanosecond() == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, 0, 0))
            .unwrap()
    }

    #[test]
    fn classifies_hourly_daily_monthly() {
        let hourly: Vec<_> = (0..30).map(|h| dt(2020, 1, 1 + h / 24, h % 24)).collect();
        assert_eq!(
            resolution("x", &hourly).unwrap(),
            TimeResolution::SubDaily { step_seconds: 3600 }
        );
        let daily: Vec<_> = (1..10).map(|d| dt(2020, 1, d, 6)).collect();
        assert_eq!(resolution("x", &daily).unwrap(), TimeResolution::Daily);
        let monthly: Vec<_> = (1..=12).map(|m| dt(2020, m, 1, 0)).collect();
        assert_eq!(resolution("x", &monthly).unwrap(), TimeResolution::Monthly);
        let odd = vec![dt(2020, 1, 1, 0), dt(2020, 1, 1, 7)];
        assert!(matches!(
            resolution("x", &odd),
            Err(Error::IrregularTime { .. })
        ));
        let back = vec![dt(2020, 1, 2, 0), dt(2020, 1, 1, 0)];
        let e = resolution("x", &back).unwrap_err();
        assert!(e.to_string().contains("index 1"), "{e}");
    }

    #[test]
    fn period_checks() {
        let a = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let b = NaiveDate::from_ymd_opt(2020, 12, 31).unwrap();
        assert_eq!(Period::new(a, b).unwrap().days(), 366);
        assert!(Period::new(b, a).is_err());
        assert_eq!(day_number(EPOCH), 0);
        assert_eq!(date_from_day_number(day_number(b)), Some(b));
        assert_eq!(
            days_in_month(NaiveDate::from_ymd_opt(2020, 2, 1).unwrap()),
            29
        );
    }
}
