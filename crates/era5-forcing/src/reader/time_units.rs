//! CF time units (`<unit> since <reference>`) and integer `YYYYMMDD` axes.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// A parsed CF time unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TimeUnits {
    seconds_per_unit: f64,
    reference: NaiveDateTime,
}

impl TimeUnits {
    /// Parses `"<unit> since <date>[ <time>][ <zone>]"`.
    pub fn parse(units: &str) -> Result<Self, String> {
        let lower = units.trim().to_ascii_lowercase();
        let (unit, rest) = lower
            .split_once(" since ")
            .ok_or_else(|| format!("time units `{units}` are not `<unit> since <date>`"))?;
        let seconds_per_unit = match unit.trim() {
            "days" | "day" | "d" => 86_400.0,
            "hours" | "hour" | "hrs" | "hr" | "h" => 3_600.0,
            "minutes" | "minute" | "mins" | "min" => 60.0,
            "seconds" | "second" | "secs" | "sec" | "s" => 1.0,
            other => return Err(format!("unsupported time unit `{other}` in `{units}`")),
        };
        let reference = parse_reference(rest.trim())
            .ok_or_else(|| format!("cannot read the reference date in `{units}`"))?;
        Ok(TimeUnits {
            seconds_per_unit,
            reference,
        })
    }

    /// The instant `value` units after the reference, rounded to the
    /// millisecond.
    pub fn decode(&self, value: f64) -> Option<NaiveDateTime> {
        if !value.is_finite() {
            return None;
        }
        let millis = (value * self.seconds_per_unit * 1e3).round();
        if millis.abs() > 1e17 {
            return None;
        }
        self.reference
            .checked_add_signed(TimeDelta::milliseconds(millis as i64))
    }
}

/// Checks a CF `calendar` attribute.
pub(crate) fn check_calendar(calendar: &str) -> Result<(), String> {
    match calendar.trim().to_ascii_lowercase().as_str() {
        "" | "standard" | "gregorian" | "proleptic_gregorian" => Ok(()),
        other => Err(format!(
            "calendar `{other}` is not supported (only standard / gregorian / proleptic_gregorian)"
        )),
    }
}

/// Decodes an integer `YYYYMMDD` value to 00:00 of that day.
pub(crate) fn decode_yyyymmdd(value: f64) -> Option<NaiveDateTime> {
    if !value.is_finite() || value.fract() != 0.0 || !(1e7..1e8).contains(&value) {
        return None;
    }
    let v = value as i64;
    let date = NaiveDate::from_ymd_opt(
        (v / 10_000) as i32,
        ((v / 100) % 100) as u32,
        (v % 100) as u32,
    )?;
    Some(date.and_time(NaiveTime::MIN))
}

fn parse_reference(s: &str) -> Option<NaiveDateTime> {
    let s = s
        .trim_end_matches(" utc")
        .trim_end_matches(" +00:00")
        .trim_end_matches("+00:00")
        .trim_end_matches(" 0:00")
        .trim_end_matches('z');
    let (date_part, time_part) = match s.split_once(['t', ' ']) {
        Some((d, t)) => (d, t.trim()),
        None => (s, ""),
    };
    let mut f = date_part.splitn(3, '-');
    let year: i32 = f.next()?.trim().parse().ok()?;
    let month: u32 = f.next()?.trim().parse().ok()?;
    let day: u32 = f.next()?.trim().parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = if time_part.is_empty() {
        NaiveTime::MIN
    } else {
        let mut hms = time_part.splitn(3, ':');
        let h: u32 = hms.next()?.trim().parse().ok()?;
        let m: u32 = hms.next().unwrap_or("0").trim().parse().ok()?;
        let sec: f64 = hms.next().unwrap_or("0").trim().parse().ok()?;
        let milli = ((sec - sec.trunc()) * 1e3).round() as u32;
        NaiveTime::from_hms_milli_opt(h, m, sec.trunc() as u32, milli)?
    };
    Some(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn era5_units() {
        let u = TimeUnits::parse("hours since 1900-01-01 00:00:00.0").unwrap();
        assert_eq!(u.decode(1_041_432.0), Some(dt(2018, 10, 22, 0)));
        let u = TimeUnits::parse("seconds since 1970-01-01").unwrap();
        assert_eq!(u.decode(1_556_409_600.0), Some(dt(2019, 4, 28, 0)));
        let u = TimeUnits::parse("days since 1858-11-17 00:00:00").unwrap();
        assert_eq!(u.decode(57_754.25), Some(dt(2017, 1, 1, 6)));
        assert!(TimeUnits::parse("months since 2000-01-01").is_err());
        assert_eq!(decode_yyyymmdd(20_100_201.0), Some(dt(2010, 2, 1, 0)));
        assert_eq!(decode_yyyymmdd(20_100_231.0), None);
        assert!(check_calendar("noleap").is_err());
    }
}
