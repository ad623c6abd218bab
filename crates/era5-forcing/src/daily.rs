//! Daily (and monthly) statistics: means, totals of accumulated variables,
//! positive and negative degree days.
//!
//! Sub-daily input: the day d of an instantaneous variable collects the
//! steps stamped `[d 00:00, d+1 00:00)`; the day of a de-accumulated
//! increment is that of the start of its step, so the increments stamped
//! `(d 00:00, d+1 00:00]` (ERA5-Land: 01 UTC … 00 UTC of the next day) make
//! up day d. A day is *complete* when all its steps are in the series. A
//! cell-day with more than [`DailyParams::max_missing_steps`] absent or `NaN`
//! steps is `NaN`; otherwise the statistic is the mean over its valid steps
//! (with no missing step: the sum of the steps / steps per day, e.g. / 24),
//! times the steps per day for totals.
//!
//! Daily input passes through (values of day d are the values stamped on
//! date d; for accumulated variables they are taken as the day's totals).
//! Monthly input is refused for every daily product (degree days cannot be
//! computed from monthly means) and passes through [`monthly_mean`].

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use ndarray::{Array3, ArrayView3, Axis};
use rayon::prelude::*;

use crate::accumulate::{deaccumulate, Accumulation};
use crate::error::{Error, Result};
use crate::field::{is_kelvin, Era5Field, VariableKind, KELVIN_OFFSET};
use crate::time::{self, days_in_month, month_start, TimeResolution};

/// Parameters of the daily statistics.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `max_missing_steps` | 0 | absent or `NaN` steps tolerated per cell-day |
/// | `accumulation` | [`Accumulation::SinceMidnight`] (ERA5-Land) | how accumulated variables are stored |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DailyParams {
    max_missing_steps: usize,
    accumulation: Accumulation,
}

impl DailyParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// Absent or `NaN` steps tolerated per cell and day (must be less than
    /// the steps per day of the data it is used on).
    #[must_use]
    pub fn with_max_missing_steps(mut self, n: usize) -> Self {
        self.max_missing_steps = n;
        self
    }

    /// How accumulated variables are stored.
    #[must_use]
    pub fn with_accumulation(mut self, accumulation: Accumulation) -> Self {
        self.accumulation = accumulation;
        self
    }

    /// Validates the parameters.
    pub fn build(self) -> Result<Self> {
        if self.max_missing_steps >= 24 * 60 {
            return Err(Error::invalid_parameter(
                "max_missing_steps",
                self.max_missing_steps,
                "must be less than the steps per day",
            ));
        }
        Ok(self)
    }

    /// Absent or `NaN` steps tolerated per cell-day.
    pub fn max_missing_steps(&self) -> usize {
        self.max_missing_steps
    }

    /// How accumulated variables are stored.
    pub fn accumulation(&self) -> Accumulation {
        self.accumulation
    }
}

/// A daily series on a grid: values `(day, row, col)` on consecutive dates.
#[derive(Debug, Clone, PartialEq)]
pub struct DailySeries {
    /// Short name of the product (`t2m`, …; empty from the array functions).
    pub name: String,
    /// Units of the values (empty from the array functions).
    pub units: String,
    /// Consecutive dates, one per `day` index.
    pub dates: Vec<NaiveDate>,
    /// Values `(day, row, col)`.
    pub values: Array3<f64>,
    /// Whether all steps of each day were in the input (independent of
    /// `NaN` values).
    pub complete: Vec<bool>,
}

impl DailySeries {
    /// A series from consecutive `dates` and values `(day, row, col)`, all
    /// days complete.
    pub fn new(dates: Vec<NaiveDate>, values: Array3<f64>) -> Result<Self> {
        time::check_consecutive("daily series", &dates)?;
        if values.len_of(Axis(0)) != dates.len() {
            let (_, r, c) = values.dim();
            return Err(Error::shape(
                "daily values (day, row, col)",
                &[dates.len(), r, c],
                values.shape(),
            ));
        }
        Ok(DailySeries {
            name: String::new(),
            units: String::new(),
            complete: vec![true; dates.len()],
            dates,
            values,
        })
    }

    /// Index of `date`, if in the series.
    pub fn index_of(&self, date: NaiveDate) -> Option<usize> {
        let first = *self.dates.first()?;
        let i = usize::try_from((date - first).num_days()).ok()?;
        (i < self.dates.len()).then_some(i)
    }

    /// Indices of the days of `period`, or an error when a day of it is not
    /// a complete day of the series.
    pub fn period_indices(&self, period: &time::Period) -> Result<std::ops::Range<usize>> {
        let covered = || match (
            self.complete.iter().position(|&c| c),
            self.complete.iter().rposition(|&c| c),
        ) {
            (Some(a), Some(b)) => format!("{} .. {}", self.dates[a], self.dates[b]),
            _ => "none".to_string(),
        };
        let err = || Error::PeriodOutsideData {
            input: if self.name.is_empty() {
                "daily series".into()
            } else {
                format!("`{}`", self.name)
            },
            start: period.start(),
            end: period.end(),
            covered: covered(),
        };
        let a = self.index_of(period.start()).ok_or_else(err)?;
        let b = self.index_of(period.end()).ok_or_else(err)?;
        if self.complete[a..=b].iter().any(|&c| !c) {
            return Err(err());
        }
        Ok(a..b + 1)
    }
}

/// Daily positive and negative degree days, °C·day, `(day, row, col)`.
#[derive(Debug, Clone, PartialEq)]
pub struct DegreeDays {
    /// Consecutive dates.
    pub dates: Vec<NaiveDate>,
    /// Positive part Σ max(T, 0)/steps per day (thawing degree days).
    pub thawing: Array3<f64>,
    /// Negative part Σ max(−T, 0)/steps per day (freezing degree days).
    pub freezing: Array3<f64>,
    /// Whether all steps of each day were in the input.
    pub complete: Vec<bool>,
}

/// A monthly series on a grid: values `(month, row, col)`.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlySeries {
    /// First day of each month (consecutive months).
    pub months: Vec<NaiveDate>,
    /// Values `(month, row, col)`.
    pub values: Array3<f64>,
}

/// Days of a sub-daily or daily series and the steps each collects.
struct DayGroups {
    dates: Vec<NaiveDate>,
    steps: Vec<Vec<usize>>,
    expected: usize,
}

fn group_days(
    input: &str,
    times: &[NaiveDateTime],
    increments: bool,
    operation: &'static str,
) -> Result<DayGroups> {
    let res = time::resolution(input, times)?;
    let (expected, shift) = match res {
        TimeResolution::SubDaily { step_seconds } => (
            res.steps_per_day().unwrap_or(1),
            if increments {
                TimeDelta::seconds(step_seconds)
            } else {
                TimeDelta::zero()
            },
        ),
        TimeResolution::Daily => (1, TimeDelta::zero()),
        other => {
            return Err(Error::Resolution {
                operation,
                input: input.to_string(),
                found: other.to_string(),
                needs: "sub-daily (e.g. hourly) or daily",
            })
        }
    };
    let day_of = |t: NaiveDateTime| (t - shift).date();
    let first = day_of(times[0]);
    let last = day_of(times[times.len() - 1]);
    let n = (last - first).num_days() as usize + 1;
    let mut steps = vec![Vec::with_capacity(expected); n];
    for (i, &t) in times.iter().enumerate() {
        steps[(day_of(t) - first).num_days() as usize].push(i);
    }
    let dates = (0..n).map(|k| first + TimeDelta::days(k as i64)).collect();
    Ok(DayGroups {
        dates,
        steps,
        expected,
    })
}

/// Per day and cell: mean over the valid steps of `f(x)` (K outputs) times
/// `scale`; `NaN` where more than `max_missing` steps are absent or `NaN`.
fn reduce_days<const K: usize>(
    values: ArrayView3<'_, f64>,
    groups: &DayGroups,
    max_missing: usize,
    scale: f64,
    f: impl Fn(f64) -> [f64; K] + Sync,
) -> [Array3<f64>; K] {
    let (_, rows, cols) = values.dim();
    let n = rows * cols;
    let per_day: Vec<Vec<[f64; K]>> = groups
        .steps
        .par_iter()
        .map(|steps| {
            let mut acc = vec![[0.0; K]; n];
            let mut cnt = vec![0usize; n];
            for &i in steps {
                let slice = values.index_axis(Axis(0), i);
                let body = |(x, (a, c)): (&f64, (&mut [f64; K], &mut usize))| {
                    if !x.is_nan() {
                        let v = f(*x);
                        for k in 0..K {
                            a[k] += v[k];
                        }
                        *c += 1;
                    }
                };
                match slice.as_slice() {
                    Some(s) => s
                        .iter()
                        .zip(acc.iter_mut().zip(cnt.iter_mut()))
                        .for_each(body),
                    None => slice
                        .iter()
                        .zip(acc.iter_mut().zip(cnt.iter_mut()))
                        .for_each(body),
                }
            }
            acc.iter()
                .zip(&cnt)
                .map(|(a, &c)| {
                    if c == 0 || groups.expected.saturating_sub(c) > max_missing {
                        [f64::NAN; K]
                    } else {
                        let w = scale / c as f64;
                        a.map(|x| x * w)
                    }
                })
                .collect()
        })
        .collect();
    std::array::from_fn(|k| {
        let mut out = Array3::<f64>::zeros((groups.dates.len(), rows, cols));
        for (d, day) in per_day.iter().enumerate() {
            for (o, v) in out.index_axis_mut(Axis(0), d).iter_mut().zip(day) {
                *o = v[k];
            }
        }
        out
    })
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
    if times.is_empty() {
        return Err(Error::Empty {
            input: "time axis".into(),
        });
    }
    Ok(())
}

fn check_missing(params: &DailyParams, groups: &DayGroups) -> Result<()> {
    if params.max_missing_steps > 0 && params.max_missing_steps >= groups.expected {
        return Err(Error::invalid_parameter(
            "max_missing_steps",
            params.max_missing_steps,
            format!(
                "must be less than the {} steps per day of the data",
                groups.expected
            ),
        ));
    }
    Ok(())
}

fn completeness(groups: &DayGroups) -> Vec<bool> {
    groups
        .steps
        .iter()
        .map(|s| s.len() == groups.expected)
        .collect()
}

/// Daily means of an instantaneous variable, values `(time, row, col)` at
/// `times` (sub-daily or daily, strictly increasing). See the module docs
/// for the day boundaries and missing steps.
pub fn daily_mean(
    values: ArrayView3<'_, f64>,
    times: &[NaiveDateTime],
    params: &DailyParams,
) -> Result<DailySeries> {
    let params = params.build()?;
    check_len(values, times)?;
    let groups = group_days("values", times, false, "daily mean")?;
    check_missing(&params, &groups)?;
    let [mean] = reduce_days(values, &groups, params.max_missing_steps, 1.0, |x| [x]);
    Ok(DailySeries {
        name: String::new(),
        units: String::new(),
        complete: completeness(&groups),
        dates: groups.dates,
        values: mean,
    })
}

/// Daily totals of an accumulated variable, values `(time, row, col)` as
/// stored (accumulated per `params.accumulation`): de-accumulated first,
/// then summed per day (increments stamped 01 UTC … 00 UTC of the next day
/// for hourly data). Daily input is taken as daily totals.
pub fn daily_total(
    values: ArrayView3<'_, f64>,
    times: &[NaiveDateTime],
    params: &DailyParams,
) -> Result<DailySeries> {
    let params = params.build()?;
    check_len(values, times)?;
    let groups = group_days("values", times, true, "daily total")?;
    let increments;
    let view = if groups.expected > 1 {
        increments = deaccumulate(values, times, params.accumulation)?;
        increments.view()
    } else {
        values
    };
    check_missing(&params, &groups)?;
    let scale = groups.expected as f64;
    let [total] = reduce_days(view, &groups, params.max_missing_steps, scale, |x| [x]);
    Ok(DailySeries {
        name: String::new(),
        units: String::new(),
        complete: completeness(&groups),
        dates: groups.dates,
        values: total,
    })
}

/// Daily positive and negative degree days (°C·day) of temperatures in °C,
/// values `(time, row, col)` (sub-daily or daily): Σ max(T, 0)/n and
/// Σ max(−T, 0)/n over the n steps of each day. Monthly input is an error.
pub fn daily_degree_days(
    celsius: ArrayView3<'_, f64>,
    times: &[NaiveDateTime],
    params: &DailyParams,
) -> Result<DegreeDays> {
    let params = params.build()?;
    check_len(celsius, times)?;
    let groups = group_days("temperatures", times, false, "degree days")?;
    check_missing(&params, &groups)?;
    let [thawing, freezing] = reduce_days(celsius, &groups, params.max_missing_steps, 1.0, |x| {
        [x.max(0.0), (-x).max(0.0)]
    });
    Ok(DegreeDays {
        complete: completeness(&groups),
        dates: groups.dates,
        thawing,
        freezing,
    })
}

/// Monthly means, values `(time, row, col)`: monthly input passes through;
/// sub-daily and daily input is averaged to daily means (see
/// [`daily_mean`]) and then to calendar months, a month being `NaN` in a
/// cell unless every one of its days has a value.
pub fn monthly_mean(
    values: ArrayView3<'_, f64>,
    times: &[NaiveDateTime],
    params: &DailyParams,
) -> Result<MonthlySeries> {
    check_len(values, times)?;
    let res = time::resolution("values", times)?;
    if res == TimeResolution::Monthly {
        let first = month_start(times[0].date());
        let mut months = Vec::new();
        let mut m = first;
        let last = month_start(times[times.len() - 1].date());
        while m <= last {
            months.push(m);
            m += TimeDelta::days(days_in_month(m));
        }
        let (_, rows, cols) = values.dim();
        let mut out = Array3::from_elem((months.len(), rows, cols), f64::NAN);
        for (i, t) in times.iter().enumerate() {
            let k = months
                .iter()
                .position(|&mm| mm == month_start(t.date()))
                .unwrap_or(0);
            out.index_axis_mut(Axis(0), k)
                .assign(&values.index_axis(Axis(0), i));
        }
        return Ok(MonthlySeries {
            months,
            values: out,
        });
    }
    let daily = daily_mean(values, times, params)?;
    let (_, rows, cols) = daily.values.dim();
    let mut months: Vec<NaiveDate> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (d, date) in daily.dates.iter().enumerate() {
        let m = month_start(*date);
        if months.last() != Some(&m) {
            months.push(m);
            members.push(Vec::new());
        }
        if let Some(v) = members.last_mut() {
            v.push(d);
        }
    }
    let mut out = Array3::from_elem((months.len(), rows, cols), f64::NAN);
    for (k, (m, days)) in months.iter().zip(&members).enumerate() {
        if days.len() as i64 != days_in_month(*m) {
            continue;
        }
        let mut o = out.index_axis_mut(Axis(0), k);
        for ((r, c), o) in o.indexed_iter_mut() {
            let s: f64 = days.iter().map(|&d| daily.values[[d, r, c]]).sum();
            *o = s / days.len() as f64;
        }
    }
    Ok(MonthlySeries {
        months,
        values: out,
    })
}

impl Era5Field {
    fn refuse_kind(
        &self,
        wanted: VariableKind,
        operation: &'static str,
        hint: &'static str,
    ) -> Result<()> {
        if self.kind == wanted {
            Ok(())
        } else {
            Err(Error::WrongKind {
                variable: self.name.clone(),
                kind: self.kind.describe(),
                operation,
                hint,
            })
        }
    }

    /// Daily means ([`daily_mean`]) of an instantaneous variable; accumulated
    /// variables are refused (use [`Era5Field::daily_total`]).
    pub fn daily_mean(&self, params: &DailyParams) -> Result<DailySeries> {
        self.refuse_kind(
            VariableKind::Instantaneous,
            "a daily mean",
            "; use daily_total",
        )?;
        let mut d = daily_mean(self.data.view(), &self.times, params)
            .map_err(|e| relabel(e, &self.name))?;
        d.name.clone_from(&self.name);
        d.units.clone_from(&self.units);
        Ok(d)
    }

    /// Daily totals ([`daily_total`]) of an accumulated variable.
    pub fn daily_total(&self, params: &DailyParams) -> Result<DailySeries> {
        self.refuse_kind(
            VariableKind::Accumulated,
            "a daily total",
            "; use daily_mean",
        )?;
        let mut d = daily_total(self.data.view(), &self.times, params)
            .map_err(|e| relabel(e, &self.name))?;
        d.name.clone_from(&self.name);
        d.units.clone_from(&self.units);
        Ok(d)
    }

    /// Daily degree days ([`daily_degree_days`]) of a temperature; values in
    /// kelvin are converted to °C, other units are taken as °C.
    pub fn daily_degree_days(&self, params: &DailyParams) -> Result<DegreeDays> {
        self.refuse_kind(VariableKind::Instantaneous, "degree days", "")?;
        let r = if is_kelvin(&self.units) {
            let c = self.data.mapv(|x| x - KELVIN_OFFSET);
            daily_degree_days(c.view(), &self.times, params)
        } else {
            daily_degree_days(self.data.view(), &self.times, params)
        };
        r.map_err(|e| relabel(e, &self.name))
    }

    /// Monthly means ([`monthly_mean`]); monthly fields pass through.
    pub fn monthly_mean(&self, params: &DailyParams) -> Result<MonthlySeries> {
        self.refuse_kind(VariableKind::Instantaneous, "a monthly mean", "")?;
        monthly_mean(self.data.view(), &self.times, params).map_err(|e| relabel(e, &self.name))
    }
}

/// Puts the variable's name into errors raised by the array functions.
pub(crate) fn relabel(e: Error, name: &str) -> Error {
    let label = format!("`{name}`");
    match e {
        Error::Resolution {
            operation,
            found,
            needs,
            ..
        } => Error::Resolution {
            operation,
            // The message quotes the input itself.
            input: name.to_string(),
            found,
            needs,
        },
        Error::IrregularTime { detail, .. } => Error::IrregularTime {
            input: label,
            detail,
        },
        Error::NonMonotonicTime {
            index,
            time,
            previous,
            ..
        } => Error::NonMonotonicTime {
            input: label,
            index,
            time,
            previous,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn hourly(n: usize) -> Vec<NaiveDateTime> {
        let t0 = NaiveDate::from_ymd_opt(2021, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        (0..n).map(|h| t0 + TimeDelta::hours(h as i64)).collect()
    }

    #[test]
    fn mean_and_degree_days_of_a_known_day() {
        // Hours 0..23: T = h − 12 (°C): mean −0.5, positive Σ(1..11)/24, negative Σ(1..12)/24.
        let times = hourly(24);
        let v = Array3::from_shape_fn((24, 1, 1), |(h, _, _)| h as f64 - 12.0);
        let m = daily_mean(v.view(), &times, &DailyParams::new()).unwrap();
        assert_eq!(m.dates.len(), 1);
        assert!((m.values[[0, 0, 0]] + 0.5).abs() < 1e-12);
        let dd = daily_degree_days(v.view(), &times, &DailyParams::new()).unwrap();
        assert!((dd.thawing[[0, 0, 0]] - 66.0 / 24.0).abs() < 1e-12);
        assert!((dd.freezing[[0, 0, 0]] - 78.0 / 24.0).abs() < 1e-12);
        assert!(dd.complete[0]);
    }

    #[test]
    fn missing_steps() {
        let times = hourly(48);
        let mut v = Array3::from_elem((48, 1, 2), 2.0);
        v[[5, 0, 0]] = f64::NAN;
        let strict = daily_mean(v.view(), &times, &DailyParams::new()).unwrap();
        assert!(strict.values[[0, 0, 0]].is_nan());
        assert_eq!(strict.values[[0, 0, 1]], 2.0);
        let lax = daily_mean(
            v.view(),
            &times,
            &DailyParams::new().with_max_missing_steps(1),
        )
        .unwrap();
        assert_eq!(lax.values[[0, 0, 0]], 2.0);
        // A partial last day is incomplete and NaN.
        let part = daily_mean(
            v.slice(ndarray::s![..30, .., ..]),
            &times[..30],
            &DailyParams::new(),
        )
        .unwrap();
        assert_eq!(part.complete, vec![true, false]);
        assert!(part.values[[1, 0, 1]].is_nan());
    }

    #[test]
    fn totals_use_the_00utc_value_for_the_previous_day() {
        // ERA5-Land: 1 mm/h from 01 UTC day 1 to 00 UTC day 3 (48 steps).
        let t0 = NaiveDate::from_ymd_opt(2021, 1, 1)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap();
        let times: Vec<_> = (0..48).map(|h| t0 + TimeDelta::hours(h)).collect();
        let acc = Array3::from_shape_fn((48, 1, 1), |(h, _, _)| ((h % 24) + 1) as f64 * 1e-3);
        let tot = daily_total(acc.view(), &times, &DailyParams::new()).unwrap();
        assert_eq!(
            tot.dates,
            vec![
                NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2021, 1, 2).unwrap()
            ]
        );
        assert!((tot.values[[0, 0, 0]] - 0.024).abs() < 1e-12);
        assert!((tot.values[[1, 0, 0]] - 0.024).abs() < 1e-12);
        assert_eq!(tot.complete, vec![true, true]);
    }

    #[test]
    fn monthly_input_refused_for_degree_days_and_passed_for_means() {
        let times: Vec<_> = (1..=3)
            .map(|m| {
                NaiveDate::from_ymd_opt(2010, m, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap()
            })
            .collect();
        let v = Array3::from_shape_fn((3, 1, 1), |(m, _, _)| m as f64);
        let e = daily_degree_days(v.view(), &times, &DailyParams::new()).unwrap_err();
        assert!(e.to_string().contains("monthly"), "{e}");
        let mm = monthly_mean(v.view(), &times, &DailyParams::new()).unwrap();
        assert_eq!(mm.values, v);
    }
}
