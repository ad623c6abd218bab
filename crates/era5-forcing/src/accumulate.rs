//! De-accumulation of accumulated ERA5 / ERA5-Land variables.
//!
//! ERA5-Land accumulates fluxes (`tp`, `sf`, `ro`, `ssr`, `str`, `slhf`,
//! `sshf`, …) from 00 UTC: the value stamped 01 UTC is the first hour, the
//! value stamped `h` holds hours 00–`h`, and the value stamped 00 UTC of day
//! d+1 is the total of day d ([`Accumulation::SinceMidnight`]). ERA5 single
//! levels (and other products) store the accumulation over each step already
//! ([`Accumulation::PerStep`]). In both cases an increment stamped `t`
//! covers the interval `(t − step, t]`, so the 00 UTC increment belongs to
//! the previous day; [`crate::daily`] uses this.

use chrono::{NaiveDateTime, TimeDelta};
use ndarray::{Array3, ArrayView3, Axis, Zip};

use crate::error::{Error, Result};
use crate::time::{self, is_midnight, TimeResolution};

/// How an accumulated variable is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Accumulation {
    /// Accumulated from 00 UTC, the 01 UTC value being the first step
    /// (ERA5-Land hourly; the default).
    #[default]
    SinceMidnight,
    /// Each value is already the accumulation over the step ending at its
    /// time stamp (ERA5 single levels hourly).
    PerStep,
}

/// The step of a sub-daily series, or an error naming `input`.
fn sub_daily_step(input: &str, times: &[NaiveDateTime], operation: &'static str) -> Result<i64> {
    match time::resolution(input, times)? {
        TimeResolution::SubDaily { step_seconds } => Ok(step_seconds),
        other => Err(Error::Resolution {
            operation,
            input: input.to_string(),
            found: other.to_string(),
            needs: "sub-daily (e.g. hourly)",
        }),
    }
}

/// De-accumulates values `(time, row, col)` into per-step increments
/// stamped at the end of their step.
///
/// [`Accumulation::SinceMidnight`]: at the first step after 00 UTC the
/// increment is the value itself; otherwise it is the difference to the
/// value one step earlier, and `NaN` when that step is not in the series
/// (e.g. the first time step of a file starting at 00 UTC).
/// [`Accumulation::PerStep`]: the values are returned unchanged.
/// Negative increments (round-off of packed values) are kept as they are.
///
/// The time axis must be sub-daily and strictly increasing.
pub fn deaccumulate(
    values: ArrayView3<'_, f64>,
    times: &[NaiveDateTime],
    convention: Accumulation,
) -> Result<Array3<f64>> {
    check_len(values, times)?;
    let step = sub_daily_step("accumulated values", times, "de-accumulation")?;
    let mut out = values.to_owned();
    if convention == Accumulation::PerStep {
        return Ok(out);
    }
    let step = TimeDelta::seconds(step);
    for i in 0..times.len() {
        let start = times[i] - step;
        if is_midnight(start) {
            continue;
        }
        let mut o = out.index_axis_mut(Axis(0), i);
        if i > 0 && times[i - 1] == start {
            let prev = values.index_axis(Axis(0), i - 1);
            Zip::from(&mut o).and(&prev).for_each(|x, &p| *x -= p);
        } else {
            o.fill(f64::NAN);
        }
    }
    Ok(out)
}

/// The inverse of [`deaccumulate`]: running sums of increments restarted at
/// the first step after 00 UTC ([`Accumulation::SinceMidnight`]); `NaN`
/// until the first restart when the series does not begin with one.
/// [`Accumulation::PerStep`]: unchanged.
pub fn reaccumulate(
    increments: ArrayView3<'_, f64>,
    times: &[NaiveDateTime],
    convention: Accumulation,
) -> Result<Array3<f64>> {
    check_len(increments, times)?;
    let step = sub_daily_step("increments", times, "re-accumulation")?;
    let mut out = increments.to_owned();
    if convention == Accumulation::PerStep {
        return Ok(out);
    }
    let step = TimeDelta::seconds(step);
    for i in 0..times.len() {
        let start = times[i] - step;
        if is_midnight(start) {
            continue;
        }
        if i > 0 && times[i - 1] == start {
            let (done, mut rest) = out.view_mut().split_at(Axis(0), i);
            let prev = done.index_axis(Axis(0), i - 1);
            Zip::from(rest.index_axis_mut(Axis(0), 0))
                .and(&prev)
                .for_each(|x, &p| *x += p);
        } else {
            out.index_axis_mut(Axis(0), i).fill(f64::NAN);
        }
    }
    Ok(out)
}

fn check_len(values: ArrayView3<'_, f64>, times: &[NaiveDateTime]) -> Result<()> {
    if values.len_of(Axis(0)) != times.len() {
        let (_, r, c) = values.dim();
        return Err(Error::shape(
            "values (time, row, col)",
            &[times.len(), r, c],
            values.shape(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn hours(start_hour: u32, n: usize) -> Vec<NaiveDateTime> {
        let t0 = NaiveDate::from_ymd_opt(2020, 3, 1)
            .unwrap()
            .and_hms_opt(start_hour, 0, 0)
            .unwrap();
        (0..n).map(|h| t0 + TimeDelta::hours(h as i64)).collect()
    }

    #[test]
    fn era5_land_rule() {
        // Two days of 1 mm per hour, accumulated from 00 UTC.
        let times = hours(1, 48);
        let acc = Array3::from_shape_fn((48, 1, 1), |(h, _, _)| ((h % 24) + 1) as f64);
        let inc = deaccumulate(acc.view(), &times, Accumulation::SinceMidnight).unwrap();
        assert!(inc.iter().all(|&x| (x - 1.0).abs() < 1e-12));
        // The 00 UTC value (index 23) is the day total; its increment is one hour.
        assert_eq!(acc[[23, 0, 0]], 24.0);
        let back = reaccumulate(inc.view(), &times, Accumulation::SinceMidnight).unwrap();
        assert_eq!(back, acc);
    }

    #[test]
    fn first_step_without_predecessor_is_nan() {
        let times = hours(0, 3);
        let acc = Array3::from_shape_fn((3, 1, 1), |(h, _, _)| h as f64);
        let inc = deaccumulate(acc.view(), &times, Accumulation::SinceMidnight).unwrap();
        assert!(inc[[0, 0, 0]].is_nan());
        assert_eq!(inc[[1, 0, 0]], 1.0);
        assert_eq!(inc[[2, 0, 0]], 1.0);
    }

    #[test]
    fn daily_input_is_refused() {
        let t0 = NaiveDate::from_ymd_opt(2020, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let times: Vec<_> = (0..3).map(|d| t0 + TimeDelta::days(d)).collect();
        let acc = Array3::zeros((3, 1, 1));
        let e = deaccumulate(acc.view(), &times, Accumulation::SinceMidnight).unwrap_err();
        assert!(e.to_string().contains("daily"), "{e}");
    }
}
