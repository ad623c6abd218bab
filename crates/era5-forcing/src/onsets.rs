//! Thaw and freeze onsets of a daily temperature series.
//!
//! * Running mean R: the mean of the `window_days` (31) days centred on each
//!   day, defined when the whole window lies in the data and at least
//!   `min_window_fraction` (½) of it is valid.
//! * "Years": the thaw onset of a year follows its coldest period, so thaw
//!   years are cut at the climatological *warmest* day of year (the day of
//!   year where R averaged over the years peaks), and freeze years at the
//!   climatological *coldest* day. Each thaw year then holds one whole winter
//!   in either hemisphere, even when a cold spell makes late December the
//!   coldest period (calendar years would split such a winter).
//! * Coldest period of a thaw year: the day of minimum R (the first one on
//!   ties). Thaw onset: the first day, at or after it and before the next
//!   thaw year's coldest period (the end of the data for the last year),
//!   that starts a run of ≥ `min_run_days` (5) consecutive days with
//!   T > 0 °C and whose last valid predecessor has T ≤ 0 °C. Freeze onset:
//!   likewise after the warmest period, T < 0 °C after T ≥ 0 °C. Runs may
//!   extend past the end of the year; `NaN` days break runs. (On a site that
//!   barely thaws, the thaw comes around the climatological warmest day and
//!   may fall just after the cut of its thaw year; searching up to the next
//!   coldest period still finds it, and on other sites the first run after
//!   the coldest period lies well inside its year.)
//! * A thaw onset needs a frozen season before it: the coldest period must
//!   have R < 0 °C (and a freeze onset a warmest period with R > 0 °C), so a
//!   climate that never freezes (or never thaws) has no onsets, and a year
//!   cut short by the data edges keeps an onset only when the part in the
//!   data shows the season it needs. A series that starts inside a thaw
//!   season (warm at the start) therefore starts no thaw onset there — its
//!   first thaw onset is the one after its first winter.
//! * A thaw onset's cycle is closed by a freeze onset: on a site that barely
//!   thaws (a run of warm days, but the warmest 31-day mean at or below
//!   0 °C) the rule above finds the thaw onset and no freeze onset, and the
//!   whole following winter would count no freezing degree days. When the
//!   span from a thaw onset to the next one (or, for the last thaw onset, to
//!   the end of the data provided it reaches the climatological coldest day
//!   of year) holds no freeze onset, its first run of ≥ `min_run_days` days
//!   with T < 0 °C after T ≥ 0 °C becomes the freeze onset (as
//!   `permafrost-pecm` pairs them). Such onsets have no entry in
//!   [`Onsets::warmest`].
//! * Onsets per year are kept (by the calendar year they fall in), and their
//!   circular mean day of year (1 = 1 January) summarises them, as the S-PECM
//!   study assumes onsets constant in time.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::error::{Error, Result};
use crate::time::check_consecutive;

/// Parameters of the onset detection and of the permafrost years.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `min_run_days` | 5 | days of the run that starts an onset |
/// | `window_days` | 31 | running-mean window (odd) for the coldest/warmest period |
/// | `min_window_fraction` | 0.5 | valid fraction of a window for a running mean |
/// | `onset_timing` | [`OnsetTiming::PerYear`] | onsets that start permafrost years |
/// | `day_boundary` | [`DayBoundary::StartOfDay`] | whether ADDT/ADDF on a date include that day |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnsetParams {
    min_run_days: usize,
    window_days: usize,
    min_window_fraction: f64,
    onset_timing: OnsetTiming,
    day_boundary: DayBoundary,
}

/// Which instant of its day a date stands for in ADDT(τ) and ADDF(τ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayBoundary {
    /// 00:00 of the day (the default, as `permafrost-pecm`): the sums run
    /// over the days before τ, so ADDT is 0 on the thaw onset and ADDF 0 on
    /// the freeze onset, and a cycle's totals are reached at the next thaw
    /// onset.
    #[default]
    StartOfDay,
    /// 24:00 of the day: the sums include τ (running sums of the daily
    /// values, ADDT on the thaw onset = that day's temperature).
    EndOfDay,
}

/// Which onsets delimit permafrost years and seasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnsetTiming {
    /// Each year's own onsets (the default).
    #[default]
    PerYear,
    /// The per-pixel mean day of year of the onsets, in every year (the
    /// S-PECM study's assumption of onsets constant in time).
    MeanOverYears,
}

impl Default for OnsetParams {
    fn default() -> Self {
        OnsetParams {
            min_run_days: 5,
            window_days: 31,
            min_window_fraction: 0.5,
            onset_timing: OnsetTiming::PerYear,
            day_boundary: DayBoundary::StartOfDay,
        }
    }
}

impl OnsetParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// Length of the run that starts an onset, days (≥ 1).
    #[must_use]
    pub fn with_min_run_days(mut self, days: usize) -> Self {
        self.min_run_days = days;
        self
    }

    /// Running-mean window, days (odd, ≥ 1).
    #[must_use]
    pub fn with_window_days(mut self, days: usize) -> Self {
        self.window_days = days;
        self
    }

    /// Valid fraction of a window needed for a running mean, in (0, 1].
    #[must_use]
    pub fn with_min_window_fraction(mut self, f: f64) -> Self {
        self.min_window_fraction = f;
        self
    }

    /// Which onsets delimit permafrost years.
    #[must_use]
    pub fn with_onset_timing(mut self, timing: OnsetTiming) -> Self {
        self.onset_timing = timing;
        self
    }

    /// Whether ADDT/ADDF on a date include that day.
    #[must_use]
    pub fn with_day_boundary(mut self, boundary: DayBoundary) -> Self {
        self.day_boundary = boundary;
        self
    }

    /// Validates the parameters.
    pub fn build(self) -> Result<Self> {
        if self.min_run_days == 0 {
            return Err(Error::invalid_parameter(
                "min_run_days",
                self.min_run_days,
                "must be ≥ 1",
            ));
        }
        if self.window_days == 0 || self.window_days % 2 == 0 {
            return Err(Error::invalid_parameter(
                "window_days",
                self.window_days,
                "must be odd and ≥ 1",
            ));
        }
        if !(self.min_window_fraction > 0.0 && self.min_window_fraction <= 1.0) {
            return Err(Error::invalid_parameter(
                "min_window_fraction",
                self.min_window_fraction,
                "must lie in (0, 1]",
            ));
        }
        Ok(self)
    }

    /// Length of the run that starts an onset, days.
    pub fn min_run_days(&self) -> usize {
        self.min_run_days
    }

    /// Running-mean window, days.
    pub fn window_days(&self) -> usize {
        self.window_days
    }

    /// Valid fraction of a window needed for a running mean.
    pub fn min_window_fraction(&self) -> f64 {
        self.min_window_fraction
    }

    /// Which onsets delimit permafrost years.
    pub fn onset_timing(&self) -> OnsetTiming {
        self.onset_timing
    }

    /// Whether ADDT/ADDF on a date include that day.
    pub fn day_boundary(&self) -> DayBoundary {
        self.day_boundary
    }
}

/// Onsets of one series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Onsets {
    /// Thaw onsets, in time order.
    pub thaw: Vec<NaiveDate>,
    /// Freeze onsets, in time order.
    pub freeze: Vec<NaiveDate>,
    /// Centre days of the coldest periods used (one per thaw year).
    pub coldest: Vec<NaiveDate>,
    /// Centre days of the warmest periods used (one per freeze year).
    pub warmest: Vec<NaiveDate>,
    /// Circular mean day of year of the thaw onsets (1 = 1 January, may be
    /// fractional), `NaN` when there is none.
    pub mean_thaw_doy: f64,
    /// Circular mean day of year of the freeze onsets, `NaN` when none.
    pub mean_freeze_doy: f64,
}

/// Running mean of `values` over `window` days (see the module docs).
pub fn running_mean(values: &[f64], window: usize, min_fraction: f64) -> Vec<f64> {
    let n = values.len();
    let half = window / 2;
    let mut s = vec![0.0; n + 1];
    let mut c = vec![0usize; n + 1];
    for (i, &v) in values.iter().enumerate() {
        let ok = v.is_finite();
        s[i + 1] = s[i] + if ok { v } else { 0.0 };
        c[i + 1] = c[i] + usize::from(ok);
    }
    let need = ((window as f64) * min_fraction).ceil().max(1.0) as usize;
    (0..n)
        .map(|i| {
            if i < half || i + half >= n {
                return f64::NAN;
            }
            let (a, b) = (i - half, i + half + 1);
            let k = c[b] - c[a];
            if k >= need {
                (s[b] - s[a]) / k as f64
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Day of year (1-based) of the climatological maximum and minimum of the
/// running mean, `None` when the running mean is all `NaN`.
fn climatological_extremes(dates: &[NaiveDate], r: &[f64]) -> Option<(u32, u32)> {
    let mut sum = [0.0f64; 366];
    let mut cnt = [0usize; 366];
    for (d, &v) in dates.iter().zip(r) {
        if v.is_finite() {
            let k = d.ordinal0() as usize;
            sum[k] += v;
            cnt[k] += 1;
        }
    }
    let clim: Vec<(usize, f64)> = (0..366)
        .filter(|&k| cnt[k] > 0)
        .map(|k| (k, sum[k] / cnt[k] as f64))
        .collect();
    let warm = clim
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?
        .0;
    let cold = clim
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))?
        .0;
    Some((warm as u32 + 1, cold as u32 + 1))
}

/// Index windows `[a, b)` of the data cut at day of year `doy` each year
/// (the first and last may be truncated by the data).
fn year_windows(dates: &[NaiveDate], doy: u32) -> Vec<(usize, usize)> {
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    let cut =
        |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).map(|d| d + TimeDelta::days(i64::from(doy) - 1));
    let mut bounds: Vec<NaiveDate> = (first.year() - 1..=last.year() + 1)
        .filter_map(cut)
        .collect();
    bounds.sort();
    let idx = |d: NaiveDate| (d - first).num_days();
    let n = dates.len() as i64;
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let (a, b) = (idx(w[0]), idx(w[1]));
        if b <= 0 || a >= n {
            continue;
        }
        out.push((a.max(0) as usize, b.min(n) as usize));
    }
    out
}

#[derive(Clone, Copy)]
enum Season {
    Thaw,
    Freeze,
}

fn find_onsets(
    dates: &[NaiveDate],
    t: &[f64],
    r: &[f64],
    boundary_doy: u32,
    season: Season,
    run: usize,
) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    // sign: +1 for thaw (look for T > 0 after the minimum of R).
    let s = match season {
        Season::Thaw => 1.0,
        Season::Freeze => -1.0,
    };
    let mut onsets = Vec::new();
    let mut extremes = Vec::new();
    let windows = year_windows(dates, boundary_doy);
    // Extremum of s·R per year: the minimum for thaw, the maximum for freeze.
    let ext_of: Vec<Option<usize>> = windows
        .iter()
        .map(|&(a, b)| {
            (a..b)
                .filter(|&i| r[i].is_finite())
                .min_by(|&i, &j| (s * r[i]).total_cmp(&(s * r[j])).then(i.cmp(&j)))
        })
        .collect();
    for (k, &(_, b)) in windows.iter().enumerate() {
        let Some(ext) = ext_of[k] else {
            continue;
        };
        // A thaw needs a frozen season before it (R < 0 at the coldest
        // period), a freeze a thawed one (R > 0 at the warmest period).
        if s * r[ext] >= 0.0 {
            continue;
        }
        extremes.push(dates[ext]);
        // Search up to the next year's extremum (its end when it has none).
        let stop = match windows.get(k + 1) {
            Some(&(_, b_next)) => ext_of[k + 1].unwrap_or(b_next),
            None => b,
        };
        let mut last_finite: Option<f64> = (0..ext).rev().map(|i| t[i]).find(|v| v.is_finite());
        for j in ext..stop {
            let starts_run = j + run <= t.len()
                && last_finite.is_some_and(|p| s * p <= 0.0)
                && t[j..j + run].iter().all(|&v| v.is_finite() && s * v > 0.0);
            if starts_run {
                onsets.push(dates[j]);
                break;
            }
            if t[j].is_finite() {
                last_finite = Some(t[j]);
            }
        }
    }
    (onsets, extremes)
}

/// Adds a freeze onset to every thaw onset's cycle that has none (see the
/// module docs): the first run of ≥ `run` days below 0 °C after the thaw
/// onset whose last valid predecessor is ≥ 0 °C.
fn close_cycles(
    dates: &[NaiveDate],
    t: &[f64],
    thaw: &[NaiveDate],
    freeze: &mut Vec<NaiveDate>,
    cold_doy: u32,
    run: usize,
) {
    let first = dates[0];
    let idx = |d: NaiveDate| (d - first).num_days() as usize;
    let mut added = Vec::new();
    for (k, &onset) in thaw.iter().enumerate() {
        let next = thaw.get(k + 1).copied();
        let end = next.map_or(t.len(), idx);
        if freeze
            .iter()
            .any(|&f| f > onset && next.is_none_or(|n| f < n))
        {
            continue;
        }
        // The last, open cycle only when its data reach a winter.
        let start = idx(onset);
        if next.is_none() && !dates[start..end].iter().any(|d| d.ordinal() == cold_doy) {
            continue;
        }
        let mut last_finite = t[start];
        for j in start + 1..end {
            let starts_run = j + run <= t.len()
                && last_finite >= 0.0
                && t[j..j + run].iter().all(|&v| v.is_finite() && v < 0.0);
            if starts_run {
                added.push(dates[j]);
                break;
            }
            if t[j].is_finite() {
                last_finite = t[j];
            }
        }
    }
    if !added.is_empty() {
        freeze.extend(added);
        freeze.sort_unstable();
    }
}

/// Circular mean day of year (1-based) of dates, `NaN` for none.
pub fn mean_day_of_year(dates: &[NaiveDate]) -> f64 {
    if dates.is_empty() {
        return f64::NAN;
    }
    let (mut sx, mut sy) = (0.0, 0.0);
    for d in dates {
        let len = if NaiveDate::from_ymd_opt(d.year(), 12, 31).map_or(365, |x| x.ordinal()) == 366 {
            366.0
        } else {
            365.0
        };
        let a = 2.0 * std::f64::consts::PI * f64::from(d.ordinal0()) / len;
        sx += a.cos();
        sy += a.sin();
    }
    let a = sy.atan2(sx).rem_euclid(2.0 * std::f64::consts::PI);
    a / (2.0 * std::f64::consts::PI) * 365.25 + 1.0
}

/// Detects thaw and freeze onsets of daily temperatures `celsius` (°C) on
/// consecutive `dates` (see the module docs). `NaN` values are gaps; an
/// all-`NaN` series has no onsets (and `NaN` means).
pub fn detect_onsets(dates: &[NaiveDate], celsius: &[f64], params: &OnsetParams) -> Result<Onsets> {
    let p = params.build()?;
    check_series(dates, celsius)?;
    Ok(detect_unchecked(dates, celsius, &p))
}

pub(crate) fn check_series(dates: &[NaiveDate], celsius: &[f64]) -> Result<()> {
    if dates.len() != celsius.len() {
        return Err(Error::shape(
            "daily temperatures",
            &[dates.len()],
            &[celsius.len()],
        ));
    }
    if dates.is_empty() {
        return Err(Error::Empty {
            input: "daily temperature series".into(),
        });
    }
    check_consecutive("daily temperature dates", dates)
}

pub(crate) fn detect_unchecked(dates: &[NaiveDate], t: &[f64], p: &OnsetParams) -> Onsets {
    let r = running_mean(t, p.window_days, p.min_window_fraction);
    let Some((warm_doy, cold_doy)) = climatological_extremes(dates, &r) else {
        return Onsets {
            mean_thaw_doy: f64::NAN,
            mean_freeze_doy: f64::NAN,
            ..Onsets::default()
        };
    };
    let (thaw, coldest) = find_onsets(dates, t, &r, warm_doy, Season::Thaw, p.min_run_days);
    let (mut freeze, warmest) = find_onsets(dates, t, &r, cold_doy, Season::Freeze, p.min_run_days);
    close_cycles(dates, t, &thaw, &mut freeze, cold_doy, p.min_run_days);
    Onsets {
        mean_thaw_doy: mean_day_of_year(&thaw),
        mean_freeze_doy: mean_day_of_year(&freeze),
        thaw,
        freeze,
        coldest,
        warmest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(start: NaiveDate, n: usize, f: impl Fn(usize) -> f64) -> (Vec<NaiveDate>, Vec<f64>) {
        (
            (0..n).map(|i| start + TimeDelta::days(i as i64)).collect(),
            (0..n).map(f).collect(),
        )
    }

    #[test]
    fn short_warm_spell_is_not_an_onset() {
        // Cold −10 for 100 days with a 4-day warm spell, then warm +5 from day 150.
        let d0 = NaiveDate::from_ymd_opt(2018, 11, 1).unwrap();
        let (d, t) = series(d0, 365, |i| {
            if (60..64).contains(&i) {
                3.0
            } else if (150..300).contains(&i) {
                5.0
            } else {
                -10.0
            }
        });
        let o = detect_onsets(&d, &t, &OnsetParams::new()).unwrap();
        assert_eq!(o.thaw, vec![d0 + TimeDelta::days(150)]);
        assert_eq!(o.freeze, vec![d0 + TimeDelta::days(300)]);
    }

    #[test]
    fn all_nan_has_no_onsets() {
        let d0 = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
        let (d, t) = series(d0, 400, |_| f64::NAN);
        let o = detect_onsets(&d, &t, &OnsetParams::new()).unwrap();
        assert!(o.thaw.is_empty() && o.freeze.is_empty());
        assert!(o.mean_thaw_doy.is_nan());
    }

    #[test]
    fn circular_mean_across_new_year() {
        let a = NaiveDate::from_ymd_opt(2018, 12, 31).unwrap();
        let b = NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
        let m = mean_day_of_year(&[a, b]);
        assert!(!(3.0..364.0).contains(&m), "{m}");
    }
}
