//! A minimal daily-temperature path: thaw and freeze onsets and daily
//! ADDT/ADDF, following SCIENCE.md §2 (the `era5-forcing` crate offers the
//! full product set; this module lets the PECM run on a plain daily series).
//!
//! * Gaps: leading and trailing `NaN` days are dropped (the series starts
//!   at its first finite day); interior gaps are filled by linear
//!   interpolation.
//! * Thaw onset of a year: the first day of the first run of ≥ `min_run`
//!   consecutive days above 0 °C that starts on or after the coldest day
//!   (minimum of the centred `smoothing_days` running mean, truncated at the
//!   ends of the series) of the winter before, 1 July of the previous year
//!   to 30 June (so that a coldest period around New Year is not split), and
//!   before the year's end; a window whose coldest mean is not below 0 °C
//!   (no winter in the data, e.g. a series that starts in June) gives no
//!   thaw onset. Freeze onset: the first day of the first run of
//!   ≥ `min_run` days below 0 °C on or after the warmest day of the calendar
//!   year (if that day's mean is above 0 °C, or the year has a thaw onset)
//!   and after the year's thaw onset: on a site that barely thaws, the
//!   warmest mean can precede a late thaw onset or stay below 0 °C, and
//!   the thaw season would otherwise have no freeze onset. A run starts on a day whose predecessor is not part of it: a
//!   series that starts inside a thaw season does not start a cycle there.
//!   Runs must lie inside the data. The windows suit the northern
//!   hemisphere.
//! * [`OnsetMode::MeanDayOfYear`] replaces the per-year onsets by their mean
//!   day of year (the S-PECM study assumes constant onsets).
//! * Degree days are counted per whole day: ADDT on a date is the sum of
//!   max(T, 0) over the days from the cycle's thaw onset up to (not
//!   including) that date, ADDF the sum of max(−T, 0) from the freeze onset
//!   up to that date (0 before it). A date thus stands for 00:00 of its day;
//!   ADDT is 0 on the thaw onset, and the cycle's end values are the totals
//!   at the next thaw onset. Samples before the first thaw onset are `NaN`.

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, Result};
use crate::forcing::{Cycle, Forcing};
use crate::time::{date_of, day};

/// How onsets are placed in each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnsetMode {
    /// The onsets detected in each year (the default).
    #[default]
    PerYear,
    /// The mean day of year of the detected onsets, placed in every year the
    /// data cover (the S-PECM study's constant onsets).
    MeanDayOfYear,
}

/// Parameters of onset detection.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | minimum run of days above / below 0 °C | 5 | [`with_min_run`](OnsetParams::with_min_run) |
/// | running-mean window for the coldest / warmest period (days, odd) | 31 | [`with_smoothing_days`](OnsetParams::with_smoothing_days) |
/// | onset placement | per year | [`with_mode`](OnsetParams::with_mode) |
///
/// The setters do not fail; [`OnsetParams::validate`] (called by
/// [`Forcing::from_daily_temperature`]) checks the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OnsetParams {
    min_run: usize,
    smoothing_days: usize,
    mode: OnsetMode,
}

impl Default for OnsetParams {
    fn default() -> Self {
        Self::new()
    }
}

impl OnsetParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        OnsetParams {
            min_run: 5,
            smoothing_days: 31,
            mode: OnsetMode::PerYear,
        }
    }

    /// Minimum number of consecutive days above (below) 0 °C that starts a
    /// thaw (freeze) season; ≥ 1.
    #[must_use]
    pub fn with_min_run(mut self, days: usize) -> Self {
        self.min_run = days;
        self
    }

    /// Window of the centred running mean that locates the coldest and
    /// warmest period of each year; odd, ≥ 1.
    #[must_use]
    pub fn with_smoothing_days(mut self, days: usize) -> Self {
        self.smoothing_days = days;
        self
    }

    /// Per-year onsets or their mean day of year.
    #[must_use]
    pub fn with_mode(mut self, mode: OnsetMode) -> Self {
        self.mode = mode;
        self
    }

    /// Minimum run length (days).
    pub fn min_run(&self) -> usize {
        self.min_run
    }

    /// Running-mean window (days).
    pub fn smoothing_days(&self) -> usize {
        self.smoothing_days
    }

    /// Onset placement.
    pub fn mode(&self) -> OnsetMode {
        self.mode
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `min_run = 0` or an even or zero
    /// window.
    pub fn validate(&self) -> Result<()> {
        if self.min_run == 0 {
            return Err(Error::invalid_parameter(
                "min_run",
                self.min_run,
                "must be ≥ 1",
            ));
        }
        if self.smoothing_days == 0 || self.smoothing_days % 2 == 0 {
            return Err(Error::invalid_parameter(
                "smoothing_days",
                self.smoothing_days,
                "must be odd and ≥ 1",
            ));
        }
        Ok(())
    }
}

/// Onsets found in a daily series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onsets {
    /// The first day of the (gap-trimmed) series.
    pub first_day: NaiveDate,
    /// The last day of the series.
    pub last_day: NaiveDate,
    /// Thaw onsets, increasing.
    pub thaw: Vec<NaiveDate>,
    /// Freeze onsets, increasing.
    pub freeze: Vec<NaiveDate>,
}

/// Trims leading/trailing NaN and fills interior gaps linearly. Returns the
/// offset of the first kept day and the filled series.
fn fill(temperature: &[f64]) -> Result<(usize, Vec<f64>)> {
    let first = temperature.iter().position(|t| t.is_finite());
    let last = temperature.iter().rposition(|t| t.is_finite());
    let (Some(first), Some(last)) = (first, last) else {
        return Err(Error::AllMissing {
            input: "temperature",
        });
    };
    let mut out = temperature[first..=last].to_vec();
    let mut prev = 0usize;
    for i in 1..out.len() {
        if out[i].is_finite() {
            if i > prev + 1 {
                let (a, b) = (out[prev], out[i]);
                let span = (i - prev) as f64;
                for (j, slot) in out.iter_mut().enumerate().take(i).skip(prev + 1) {
                    let w = (j - prev) as f64 / span;
                    *slot = a + (b - a) * w;
                }
            }
            prev = i;
        }
    }
    Ok((first, out))
}

/// Centred running mean with the window truncated at the ends.
fn running_mean(x: &[f64], window: usize) -> Vec<f64> {
    let half = window / 2;
    let n = x.len();
    let mut prefix = vec![0.0; n + 1];
    for i in 0..n {
        prefix[i + 1] = prefix[i] + x[i];
    }
    (0..n)
        .map(|i| {
            let lo = i.saturating_sub(half);
            let hi = (i + half + 1).min(n);
            (prefix[hi] - prefix[lo]) / (hi - lo) as f64
        })
        .collect()
}

/// First start of a run of `run` days satisfying `pred`, searching starts in
/// `from..to`. A run starts on a day whose predecessor fails `pred` (a run
/// already under way at `from`, or at the start of the data, is not a
/// start); runs must end inside the data.
fn first_run(
    t: &[f64],
    from: usize,
    to: usize,
    run: usize,
    pred: impl Fn(f64) -> bool,
) -> Option<usize> {
    let mut i = from;
    // Skip a run already under way.
    if i == 0 || pred(t[i - 1]) {
        while i < t.len() && pred(t[i]) {
            i += 1;
        }
    }
    let mut count = 0usize;
    while i < t.len() {
        if pred(t[i]) {
            count += 1;
            if count == run {
                let start = i + 1 - run;
                return (start < to).then_some(start);
            }
        } else {
            count = 0;
            if i + 1 >= to {
                return None;
            }
        }
        i += 1;
    }
    None
}

fn argmin_max(x: &[f64], lo: usize, hi: usize) -> (usize, usize) {
    let (mut imin, mut imax) = (lo, lo);
    for i in lo..=hi {
        if x[i] < x[imin] {
            imin = i;
        }
        if x[i] > x[imax] {
            imax = i;
        }
    }
    (imin, imax)
}

/// Onsets as day indices into the filled series.
fn detect_indices(first_day: i64, t: &[f64], params: &OnsetParams) -> (Vec<usize>, Vec<usize>) {
    let n = t.len();
    let smooth = running_mean(t, params.smoothing_days);
    let first_year = date_of(first_day).year();
    let last_year = date_of(first_day + n as i64 - 1).year();
    let mut thaw = Vec::new();
    let mut freeze = Vec::new();
    let index = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).map_or(first_day, day) - first_day
    };
    let clip = |lo: i64, hi: i64| -> Option<(usize, usize)> {
        let (lo, hi) = (lo.max(0), hi.min(n as i64 - 1));
        (lo <= hi).then_some((lo as usize, hi as usize))
    };
    for year in first_year..=last_year {
        let dec31 = index(year, 12, 31);
        let mut thaw_this_year = None;
        // Thaw: after the coldest period of the winter before the summer
        // (1 July of the previous year to 30 June).
        if let Some((lo, hi)) = clip(index(year - 1, 7, 1), index(year, 6, 30)) {
            let (coldest, _) = argmin_max(&smooth, lo, hi);
            let end = (dec31 + 1).clamp(0, n as i64) as usize;
            // A window that holds no winter (its coldest mean is not below
            // 0 °C, e.g. the data start in summer) starts no cycle.
            if smooth[coldest] < 0.0 {
                if let Some(i) = first_run(t, coldest, end, params.min_run, |x| x > 0.0) {
                    thaw.push(i);
                    thaw_this_year = Some(i);
                }
            }
        }
        // Freeze: after the warmest period of the calendar year, and after
        // the year's thaw onset (on a site that barely thaws the warmest
        // mean can precede a late thaw onset, or stay below 0 °C, and the
        // thaw season would otherwise have no freeze onset).
        if let Some((lo, hi)) = clip(index(year, 1, 1), dec31) {
            let (_, warmest) = argmin_max(&smooth, lo, hi);
            let from = thaw_this_year.map_or(warmest, |t| warmest.max(t + 1));
            if (smooth[warmest] > 0.0 || thaw_this_year.is_some()) && from < n {
                if let Some(i) = first_run(t, from, n, params.min_run, |x| x < 0.0) {
                    freeze.push(i);
                }
            }
        }
    }
    thaw.sort_unstable();
    thaw.dedup();
    freeze.sort_unstable();
    freeze.dedup();
    (thaw, freeze)
}

/// Replaces onsets by their mean day of year (rounded), placed in every year
/// whose placed onset falls inside the data.
fn mean_day_of_year(
    first_day: i64,
    n: usize,
    thaw: &[usize],
    freeze: &[usize],
) -> (Vec<usize>, Vec<usize>) {
    let jan1_of = |idx: usize| {
        let d = date_of(first_day + idx as i64);
        NaiveDate::from_ymd_opt(d.year(), 1, 1).map_or(first_day, day)
    };
    if thaw.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let thaw_offset = thaw
        .iter()
        .map(|&i| (first_day + i as i64 - jan1_of(i)) as f64)
        .sum::<f64>()
        / thaw.len() as f64;
    // Freeze offsets relative to 1 January of the year of the cycle's thaw onset.
    let mut freeze_offsets = Vec::new();
    for (k, &t) in thaw.iter().enumerate() {
        let end = thaw.get(k + 1).copied().unwrap_or(n);
        if let Some(&f) = freeze.iter().find(|&&f| f > t && f < end) {
            freeze_offsets.push((first_day + f as i64 - jan1_of(t)) as f64);
        }
    }
    let first_year = date_of(first_day).year();
    let last_year = date_of(first_day + n as i64 - 1).year();
    let place = |offset: f64| -> Vec<usize> {
        let off = offset.round() as i64;
        (first_year..=last_year)
            .filter_map(|y| {
                let jan1 = day(NaiveDate::from_ymd_opt(y, 1, 1)?);
                let idx = jan1 + off - first_day;
                (idx >= 0 && (idx as usize) < n).then_some(idx as usize)
            })
            .collect()
    };
    let new_thaw = place(thaw_offset);
    let new_freeze = if freeze_offsets.is_empty() {
        Vec::new()
    } else {
        place(freeze_offsets.iter().sum::<f64>() / freeze_offsets.len() as f64)
    };
    (new_thaw, new_freeze)
}

/// Thaw and freeze onsets of a daily temperature series (°C) starting on
/// `start`; see the module documentation for the rules.
///
/// # Errors
/// [`Error::InvalidParameter`] for invalid parameters,
/// [`Error::AllMissing`] when every value is `NaN`.
pub fn detect_onsets(
    start: NaiveDate,
    temperature: &[f64],
    params: &OnsetParams,
) -> Result<Onsets> {
    params.validate()?;
    let (offset, t) = fill(temperature)?;
    let first_day = day(start) + offset as i64;
    let (thaw, freeze) = onset_indices(first_day, &t, params);
    Ok(Onsets {
        first_day: date_of(first_day),
        last_day: date_of(first_day + t.len() as i64 - 1),
        thaw: thaw
            .iter()
            .map(|&i| date_of(first_day + i as i64))
            .collect(),
        freeze: freeze
            .iter()
            .map(|&i| date_of(first_day + i as i64))
            .collect(),
    })
}

fn onset_indices(first_day: i64, t: &[f64], params: &OnsetParams) -> (Vec<usize>, Vec<usize>) {
    let (thaw, freeze) = detect_indices(first_day, t, params);
    match params.mode {
        OnsetMode::PerYear => (thaw, freeze),
        OnsetMode::MeanDayOfYear => mean_day_of_year(first_day, t.len(), &thaw, &freeze),
    }
}

impl Forcing {
    /// The forcing of a daily temperature series (°C, one value per day from
    /// `start`, `NaN` for missing days): onsets, cycles and daily ADDT/ADDF
    /// on every day from the first finite day to the day after the last one
    /// (see the [module documentation](crate::onset) for the conventions).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for invalid onset parameters,
    /// [`Error::AllMissing`] when every value is `NaN`, [`Error::NoCycle`]
    /// when no thaw onset is found.
    pub fn from_daily_temperature(
        start: NaiveDate,
        temperature: &[f64],
        params: &OnsetParams,
    ) -> Result<Forcing> {
        params.validate()?;
        let (offset, t) = fill(temperature)?;
        let first_day = day(start) + offset as i64;
        let n = t.len();
        let (thaw, freeze) = onset_indices(first_day, &t, params);
        if thaw.is_empty() {
            return Err(Error::NoCycle);
        }
        // Cycle k runs over instants thaw[k] ..= thaw[k+1] (the end instant
        // is the next cycle's start).
        let freeze_of = |k: usize| {
            let end = thaw.get(k + 1).copied().unwrap_or(n);
            freeze.iter().copied().find(|&f| f > thaw[k] && f < end)
        };
        let mut addt = vec![f64::NAN; n + 1];
        let mut addf = vec![f64::NAN; n + 1];
        let mut cycles = Vec::with_capacity(thaw.len());
        for k in 0..thaw.len() {
            let start_i = thaw[k];
            let end_i = thaw.get(k + 1).copied();
            let f = freeze_of(k);
            let stop = end_i.unwrap_or(n);
            let (mut a, mut fdd) = (0.0f64, 0.0f64);
            for i in start_i..=stop {
                addt[i] = a;
                addf[i] = fdd;
                if i < stop {
                    a += t[i].max(0.0);
                    if f.is_some_and(|f| i >= f) {
                        fdd += (-t[i]).max(0.0);
                    }
                }
            }
            let (addt_end, addf_end) = if end_i.is_some() {
                (a, fdd)
            } else {
                (f64::NAN, f64::NAN)
            };
            cycles.push(Cycle {
                thaw_onset: date_of(first_day + start_i as i64),
                freeze_onset: f.map(|f| date_of(first_day + f as i64)),
                next_thaw_onset: end_i.map(|e| date_of(first_day + e as i64)),
                addt_end,
                addf_end,
            });
        }
        let dates = (0..=n as i64).map(|i| date_of(first_day + i)).collect();
        Ok(Forcing::from_parts(dates, addt, addf, cycles))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A clean seasonal cycle: −5 + 15·cos(2π(doy − 200)/365.25).
    fn clean(start: NaiveDate, days: usize) -> Vec<f64> {
        (0..days)
            .map(|i| {
                let doy = f64::from((start + chrono::Days::new(i as u64)).ordinal());
                -5.0 + 15.0 * (2.0 * std::f64::consts::PI * (doy - 200.0) / 365.25).cos()
            })
            .collect()
    }

    #[test]
    fn fills_interior_gaps_and_trims_ends() {
        let (off, t) = fill(&[f64::NAN, 1.0, f64::NAN, f64::NAN, 4.0, f64::NAN]).unwrap();
        assert_eq!(off, 1);
        assert_eq!(t, vec![1.0, 2.0, 3.0, 4.0]);
        assert!(matches!(
            fill(&[f64::NAN; 3]),
            Err(Error::AllMissing { .. })
        ));
    }

    #[test]
    fn onsets_of_a_clean_cycle() {
        let start = d(2015, 1, 1);
        let t = clean(start, 3 * 365);
        let on = detect_onsets(start, &t, &OnsetParams::new()).unwrap();
        // T > 0 where cos(·) > 1/3: doy within 200 ± 71.5 → thaw ≈ doy 129, freeze ≈ doy 272.
        assert_eq!(on.thaw.len(), 3);
        assert_eq!(on.freeze.len(), 3);
        for th in &on.thaw {
            assert!((128..=130).contains(&th.ordinal()), "{th}");
        }
        for fr in &on.freeze {
            assert!((271..=273).contains(&fr.ordinal()), "{fr}");
        }
    }

    #[test]
    fn daily_forcing_accumulates_from_onsets() {
        let start = d(2015, 1, 1);
        let t = clean(start, 3 * 365);
        let f = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
        assert_eq!(f.dates().len(), t.len() + 1);
        let c0 = f.cycles()[0];
        assert!(c0.is_complete());
        let i0 = f.sample_index(c0.thaw_onset).unwrap();
        assert_eq!(f.addt()[i0], 0.0);
        assert!(f.addt()[i0 - 1].is_nan());
        // ADDT at the next day is that onset day's positive temperature.
        assert!((f.addt()[i0 + 1] - t[i0].max(0.0)).abs() < 1e-12);
        // End values are the totals over the cycle.
        let i1 = f.sample_index(c0.next_thaw_onset.unwrap()).unwrap();
        let total: f64 = t[i0..i1].iter().map(|x| x.max(0.0)).sum();
        assert!((c0.addt_end - total).abs() < 1e-9);
        let ifr = f.sample_index(c0.freeze_onset.unwrap()).unwrap();
        let fdd: f64 = t[ifr..i1].iter().map(|x| (-x).max(0.0)).sum();
        assert!((c0.addf_end - fdd).abs() < 1e-9);
        assert_eq!(f.addf()[ifr], 0.0);
        assert!(!f.cycles().last().unwrap().is_complete());
    }

    #[test]
    fn mean_day_of_year_places_constant_onsets() {
        let start = d(2015, 1, 1);
        let t = clean(start, 4 * 365);
        let p = OnsetParams::new().with_mode(OnsetMode::MeanDayOfYear);
        let on = detect_onsets(start, &t, &p).unwrap();
        let offsets: Vec<i64> = on
            .thaw
            .iter()
            .map(|x| day(*x) - day(d(x.year(), 1, 1)))
            .collect();
        assert!(offsets.windows(2).all(|w| w[0] == w[1]), "{offsets:?}");
    }

    #[test]
    fn rejects_bad_parameters() {
        let p = OnsetParams::new().with_smoothing_days(30);
        assert!(matches!(p.validate(), Err(Error::InvalidParameter { .. })));
        let p = OnsetParams::new().with_min_run(0);
        assert!(p.validate().is_err());
    }

    #[test]
    fn always_frozen_has_no_cycle() {
        let t = vec![-10.0; 800];
        let err =
            Forcing::from_daily_temperature(d(2015, 1, 1), &t, &OnsetParams::new()).unwrap_err();
        assert_eq!(err, Error::NoCycle);
    }
}
