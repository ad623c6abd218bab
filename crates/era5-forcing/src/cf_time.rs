//! CF time coordinates: `"<unit> since <reference>"` decoded to dates.
//!
//! Handles the units ERA5 files use (`hours since 1900-01-01 00:00:00.0`,
//! `seconds since 1970-01-01`, `days since 1858-11-17 00:00:00`) and the
//! integer `YYYYMMDD` axes some converters write. Only the standard
//! (proleptic) Gregorian calendar is supported; other calendars are refused
//! rather than decoded wrongly. Pure Rust (no `netcdf` feature needed): the
//! `permafrost-insar` facade decodes every NetCDF time axis with it too.
//!
//! ```
//! use era5_forcing::cf_time::{decode_yyyymmdd, TimeUnits};
//! let u = TimeUnits::parse("hours since 1900-01-01 00:00:00.0").unwrap();
//! let t = u.decode(1_040_928.0).unwrap();
//! assert_eq!(t.to_string(), "2018-10-01 00:00:00");
//! assert_eq!(u.encode(t), 1_040_928.0);
//! let d = decode_yyyymmdd(20_100_201.0).unwrap();
//! assert_eq!(d.to_string(), "2010-02-01 00:00:00");
//! ```

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// A parsed CF time unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeUnits {
    /// Seconds per unit step.
    pub seconds_per_unit: f64,
    /// The reference instant (UTC).
    pub reference: NaiveDateTime,
}

impl TimeUnits {
    /// Parses `"<unit> since <date>[ <time>][ <zone>]"`.
    pub fn parse(units: &str) -> Result<Self, String> {
        let lower = units.trim().to_ascii_lowercase();
        let (unit, rest) = lower.split_once(" since ").ok_or_else(|| {
            format!("time units `{units}` are not of the form `<unit> since <date>`")
        })?;
        let seconds_per_unit = match unit.trim() {
            "days" | "day" | "d" => 86_400.0,
            "hours" | "hour" | "hrs" | "hr" | "h" => 3_600.0,
            "minutes" | "minute" | "mins" | "min" => 60.0,
            "seconds" | "second" | "secs" | "sec" | "s" => 1.0,
            "milliseconds" | "millisecond" | "msec" | "ms" => 1e-3,
            other => return Err(format!("unsupported time unit `{other}` in `{units}`")),
        };
        let reference = parse_reference(rest.trim())
            .ok_or_else(|| format!("cannot read the reference date in `{units}`"))?;
        Ok(TimeUnits {
            seconds_per_unit,
            reference,
        })
    }

    /// The instant `value` units after the reference, to the millisecond.
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

    /// The value, in these units, of the instant `t`.
    pub fn encode(&self, t: NaiveDateTime) -> f64 {
        let delta = t - self.reference;
        delta.num_milliseconds() as f64 / 1e3 / self.seconds_per_unit
    }
}

/// Checks that a CF `calendar` attribute names a calendar we decode exactly.
pub fn check_calendar(calendar: &str) -> Result<(), String> {
    match calendar.trim().to_ascii_lowercase().as_str() {
        "" | "standard" | "gregorian" | "proleptic_gregorian" => Ok(()),
        other => Err(format!(
            "calendar `{other}` is not supported (only standard / gregorian / proleptic_gregorian)"
        )),
    }
}

/// Decodes an integer `YYYYMMDD` value (as written for a `date` axis).
pub fn decode_yyyymmdd(value: f64) -> Option<NaiveDateTime> {
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
    // Accept "YYYY-M-D", "YYYY-MM-DD hh:mm:ss(.f)", "YYYY-MM-DDThh:mm:ssZ",
    // optionally followed by a UTC zone marker.
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
    let mut fields = date_part.splitn(3, '-');
    let year: i32 = fields.next()?.trim().parse().ok()?;
    let month: u32 = fields.next()?.trim().parse().ok()?;
    let day: u32 = fields.next()?.trim().parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let time = if time_part.is_empty() {
        NaiveTime::MIN
    } else {
        let mut hms = time_part.splitn(3, ':');
        let h: u32 = hms.next()?.trim().parse().ok()?;
        let m: u32 = hms.next().unwrap_or("0").trim().parse().ok()?;
        let sec: f64 = hms.next().unwrap_or("0").trim().parse().ok()?;
        let whole = sec.trunc() as u32;
        let milli = ((sec - sec.trunc()) * 1e3).round() as u32;
        NaiveTime::from_hms_milli_opt(h, m, whole, milli)?
    };
    Some(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, 0, 0))
            .expect("valid date")
    }

    #[test]
    fn era5_older_layout_hours_since_1900() {
        let u = TimeUnits::parse("hours since 1900-01-01 00:00:00.0").expect("parses");
        // 2018-10-01 00:00 is 1_040_928 hours after 1900-01-01 (first step of the ERA5 Finse file).
        assert_eq!(u.decode(1_040_928.0), Some(dt(2018, 10, 1, 0)));
        assert_eq!(u.encode(dt(2018, 10, 1, 0)), 1_040_928.0);
    }

    #[test]
    fn era5_newer_layout_seconds_since_1970() {
        let u = TimeUnits::parse("seconds since 1970-01-01").expect("parses");
        assert_eq!(u.decode(1_577_836_800.0), Some(dt(2020, 1, 1, 0)));
    }

    #[test]
    fn modified_julian_days() {
        let u = TimeUnits::parse("days since 1858-11-17 00:00:00").expect("parses");
        // MJD 57754.25 = 2017-01-01 06:00.
        assert_eq!(u.decode(57_754.25), Some(dt(2017, 1, 1, 6)));
    }

    #[test]
    fn iso_reference_with_zone() {
        let u = TimeUnits::parse("minutes since 2000-01-01T00:00:00Z").expect("parses");
        assert_eq!(u.decode(60.0), Some(dt(2000, 1, 1, 1)));
    }

    #[test]
    fn refuses_what_it_cannot_decode() {
        assert!(TimeUnits::parse("fortnights since 2000-01-01").is_err());
        assert!(TimeUnits::parse("days after 2000-01-01").is_err());
        assert!(TimeUnits::parse("days since 2000-13-01").is_err());
        assert!(check_calendar("noleap").is_err());
        assert!(check_calendar("proleptic_gregorian").is_ok());
    }

    #[test]
    fn yyyymmdd_axis() {
        assert_eq!(decode_yyyymmdd(20_100_101.0), Some(dt(2010, 1, 1, 0)));
        assert_eq!(decode_yyyymmdd(20_101_301.0), None);
        assert_eq!(decode_yyyymmdd(2010.0), None);
    }

    #[test]
    fn more_steps_and_refusals() {
        // Later steps of the two ERA5 layouts; months have no fixed length.
        let hours = TimeUnits::parse("hours since 1900-01-01 00:00:00.0").expect("parses");
        let seconds = TimeUnits::parse("seconds since 1970-01-01").expect("parses");
        assert_eq!(hours.decode(1_041_432.0), Some(dt(2018, 10, 22, 0)));
        assert_eq!(seconds.decode(1_556_409_600.0), Some(dt(2019, 4, 28, 0)));
        assert!(TimeUnits::parse("months since 2000-01-01").is_err());
        assert_eq!(decode_yyyymmdd(20_100_231.0), None);
    }
}
