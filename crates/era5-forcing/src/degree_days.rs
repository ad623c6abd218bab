//! Permafrost years, accumulated degree days of thawing (ADDT) and freezing
//! (ADDF), and the per-year products of SCIENCE.md §2.
//!
//! * A permafrost year (cycle) runs from a thaw onset to the day before the
//!   next one; it is *complete* when the next thaw onset is in the data. The
//!   data before the first thaw onset belong to no cycle.
//! * Its freeze onset is the first freeze onset after its thaw onset and
//!   before the next thaw onset (none: ADDF stays 0 in that cycle; the
//!   onset rules give a cycle that lacks one its first cold run, see
//!   [`crate::onsets`]).
//! * ADDT(τ) = Σ max(T, 0) over the days d of the cycle with
//!   thaw onset ≤ d < τ, ADDF(τ) = Σ max(−T, 0) over freeze onset ≤ d < τ
//!   (0 until the freeze onset); °C·day. A date stands for 00:00 of its day
//!   ([`DayBoundary::StartOfDay`], the default, as `permafrost-pecm`
//!   counts): ADDT is 0 on the thaw onset, ADDF 0 on the freeze onset. With
//!   [`DayBoundary::EndOfDay`] the day τ is included (d ≤ τ). A `NaN` day
//!   makes the sums `NaN` from there to the end of the cycle. Outside any
//!   cycle (before the first thaw onset) both are `NaN`.
//! * Per cycle: max DDT and max DDF are the cycle's totals — ADDT and ADDF
//!   at the next thaw onset (for the last, open cycle: through the last day
//!   of the data) — and their ratio DDT/DDF (`NaN` when DDF is 0).

use chrono::{Datelike, NaiveDate, TimeDelta};
use ndarray::{Array2, Array3, ArrayView3};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::onsets::{
    check_series, detect_unchecked, DayBoundary, OnsetParams, OnsetTiming, Onsets,
};
use crate::time::day_number;

/// One permafrost year of a pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct PermafrostYear {
    /// Its number T = 1, 2, … from the first thaw onset.
    pub number: usize,
    /// The thaw onset that starts it.
    pub thaw_onset: NaiveDate,
    /// Its freeze onset, if any.
    pub freeze_onset: Option<NaiveDate>,
    /// The next thaw onset (the end, exclusive), if in the data.
    pub next_thaw_onset: Option<NaiveDate>,
    /// Its last day in the data.
    pub last_day: NaiveDate,
    /// Whether the next thaw onset is in the data.
    pub complete: bool,
    /// Total thawing degree days of the cycle (ADDT at the next thaw onset;
    /// for an open cycle through the last day of the data), °C·day.
    pub max_ddt: f64,
    /// Total freezing degree days of the cycle (ADDF at the next thaw onset),
    /// °C·day.
    pub max_ddf: f64,
    /// max DDT / max DDF (`NaN` when max DDF is 0).
    pub ddt_ddf_ratio: f64,
}

/// Freeze–thaw analysis of one pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct FreezeThaw {
    /// The onsets detected per year, and their means.
    pub onsets: Onsets,
    /// The permafrost years (from the onsets chosen by
    /// [`OnsetParams::onset_timing`]).
    pub years: Vec<PermafrostYear>,
    /// ADDT on every day of the data, °C·day (`NaN` outside cycles).
    pub addt: Vec<f64>,
    /// ADDF on every day of the data, °C·day (`NaN` outside cycles).
    pub addf: Vec<f64>,
    /// Index into `years` of every day of the data (`None` outside cycles).
    pub cycle: Vec<Option<usize>>,
    /// The requested dates and the values on them.
    pub on_dates: OnDates,
}

/// ADDT, ADDF and the cycle on requested (SAR) dates.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDates {
    /// The requested dates.
    pub dates: Vec<NaiveDate>,
    /// ADDT, °C·day.
    pub addt: Vec<f64>,
    /// ADDF, °C·day.
    pub addf: Vec<f64>,
    /// Index into [`FreezeThaw::years`] (`None` before the first thaw onset).
    pub cycle: Vec<Option<usize>>,
}

/// Onsets starting the cycles under `timing`.
fn cycle_onsets(
    dates: &[NaiveDate],
    onsets: &Onsets,
    timing: OnsetTiming,
) -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    match timing {
        OnsetTiming::PerYear => (onsets.thaw.clone(), onsets.freeze.clone()),
        OnsetTiming::MeanOverYears => {
            let (first, last) = (dates[0], dates[dates.len() - 1]);
            let every_year = |doy: f64| -> Vec<NaiveDate> {
                if !doy.is_finite() {
                    return Vec::new();
                }
                (first.year()..=last.year())
                    .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
                    .map(|d| d + TimeDelta::days((doy - 1.0).round() as i64))
                    .filter(|d| (first..=last).contains(d))
                    .collect()
            };
            (
                every_year(onsets.mean_thaw_doy),
                every_year(onsets.mean_freeze_doy),
            )
        }
    }
}

/// max(x, 0), keeping `NaN`.
fn positive(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else {
        x.max(0.0)
    }
}

struct Cycles {
    years: Vec<PermafrostYear>,
    addt: Vec<f64>,
    addf: Vec<f64>,
    cycle: Vec<Option<usize>>,
}

fn build_cycles(
    dates: &[NaiveDate],
    t: &[f64],
    thaw: &[NaiveDate],
    freeze: &[NaiveDate],
    boundary: DayBoundary,
) -> Cycles {
    let n = dates.len();
    let first = dates[0];
    let idx = |d: NaiveDate| (d - first).num_days() as usize;
    let mut addt = vec![f64::NAN; n];
    let mut addf = vec![f64::NAN; n];
    let mut cycle = vec![None; n];
    let mut years = Vec::new();
    for (k, &onset) in thaw.iter().enumerate() {
        let next = thaw.get(k + 1).copied();
        let a = idx(onset);
        let b = next.map_or(n, idx);
        let fr = freeze
            .iter()
            .copied()
            .find(|&f| f > onset && next.is_none_or(|nx| f < nx));
        let fi = fr.map(idx);
        let (mut st, mut sf) = (0.0, 0.0);
        let start_of_day = boundary == DayBoundary::StartOfDay;
        for i in a..b {
            if start_of_day {
                addt[i] = st;
                addf[i] = sf;
            }
            st += positive(t[i]);
            if fi.is_some_and(|f| i >= f) {
                sf += positive(-t[i]);
            }
            if !start_of_day {
                addt[i] = st;
                addf[i] = sf;
            }
            cycle[i] = Some(k);
        }
        let (max_ddt, max_ddf) = (st, sf);
        years.push(PermafrostYear {
            number: k + 1,
            thaw_onset: onset,
            freeze_onset: fr,
            next_thaw_onset: next,
            last_day: dates[b - 1],
            complete: next.is_some(),
            max_ddt,
            max_ddf,
            ddt_ddf_ratio: if max_ddf > 0.0 {
                max_ddt / max_ddf
            } else {
                f64::NAN
            },
        });
    }
    Cycles {
        years,
        addt,
        addf,
        cycle,
    }
}

fn check_dates(dates: &[NaiveDate], requested: &[NaiveDate]) -> Result<Vec<usize>> {
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    requested
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if d < first || d > last {
                Err(Error::DateOutsideData {
                    input: "daily temperature series".into(),
                    date: d,
                    index: i,
                    first,
                    last,
                })
            } else {
                Ok((d - first).num_days() as usize)
            }
        })
        .collect()
}

/// Onsets, permafrost years and ADDT/ADDF of daily temperatures `celsius`
/// (°C) on consecutive `dates`, with the values on `requested` dates (e.g.
/// SAR acquisitions; each must lie within `dates`).
pub fn freeze_thaw(
    dates: &[NaiveDate],
    celsius: &[f64],
    requested: &[NaiveDate],
    params: &OnsetParams,
) -> Result<FreezeThaw> {
    let p = params.build()?;
    check_series(dates, celsius)?;
    let at = check_dates(dates, requested)?;
    Ok(analyse(dates, celsius, requested, &at, &p))
}

fn analyse(
    dates: &[NaiveDate],
    t: &[f64],
    requested: &[NaiveDate],
    at: &[usize],
    p: &OnsetParams,
) -> FreezeThaw {
    let onsets = detect_unchecked(dates, t, p);
    let (thaw, freeze) = cycle_onsets(dates, &onsets, p.onset_timing());
    let c = build_cycles(dates, t, &thaw, &freeze, p.day_boundary());
    let on_dates = OnDates {
        dates: requested.to_vec(),
        addt: at.iter().map(|&i| c.addt[i]).collect(),
        addf: at.iter().map(|&i| c.addf[i]).collect(),
        cycle: at.iter().map(|&i| c.cycle[i]).collect(),
    };
    FreezeThaw {
        onsets,
        years: c.years,
        addt: c.addt,
        addf: c.addf,
        cycle: c.cycle,
        on_dates,
    }
}

/// [`freeze_thaw`] over a raster of daily temperatures `(time, row, col)`.
///
/// Year-indexed outputs use the calendar years of the data, `years`; a
/// permafrost year is filed under the calendar year of its thaw onset (the
/// first one when two fall in one year). Dates in outputs are day numbers
/// (days since 1970-01-01, [`crate::time::EPOCH`]). Everything that does not
/// exist for a pixel (no onset, no cycle, an all-`NaN` pixel) is `NaN`.
#[derive(Debug, Clone, PartialEq)]
pub struct FreezeThawRaster {
    /// The calendar years of the year axis.
    pub years: Vec<i32>,
    /// The requested dates of the date axis.
    pub dates: Vec<NaiveDate>,
    /// Day of year (1 = 1 January) of each year's thaw onset `(year, row, col)`.
    pub thaw_onset_doy: Array3<f64>,
    /// Day of year of each year's freeze onset `(year, row, col)`.
    pub freeze_onset_doy: Array3<f64>,
    /// Circular mean day of year of the thaw onsets `(row, col)`.
    pub mean_thaw_doy: Array2<f64>,
    /// Circular mean day of year of the freeze onsets `(row, col)`.
    pub mean_freeze_doy: Array2<f64>,
    /// Max DDT of the permafrost year starting in each year `(year, row, col)`, °C·day.
    pub max_ddt: Array3<f64>,
    /// Max DDF `(year, row, col)`, °C·day.
    pub max_ddf: Array3<f64>,
    /// DDT/DDF `(year, row, col)`.
    pub ddt_ddf_ratio: Array3<f64>,
    /// 1 where that permafrost year is complete, 0 where not, `NaN` where
    /// none starts `(year, row, col)`.
    pub complete: Array3<f64>,
    /// ADDT on the requested dates `(date, row, col)`, °C·day.
    pub addt: Array3<f64>,
    /// ADDF on the requested dates `(date, row, col)`, °C·day.
    pub addf: Array3<f64>,
    /// Permafrost-year number T (1, 2, …) on the requested dates `(date, row, col)`.
    pub cycle_number: Array3<f64>,
    /// Day number of the current cycle's thaw onset on the requested dates.
    pub thaw_onset_day: Array3<f64>,
    /// Day number of the current cycle's freeze onset on the requested dates
    /// (`NaN` when the cycle has none).
    pub freeze_onset_day: Array3<f64>,
}

/// [`freeze_thaw`] for every pixel of daily temperatures `celsius`
/// `(time, row, col)` on consecutive `dates`, rows in parallel (results
/// independent of the thread count). See [`FreezeThawRaster`].
pub fn freeze_thaw_raster(
    dates: &[NaiveDate],
    celsius: ArrayView3<'_, f64>,
    requested: &[NaiveDate],
    params: &OnsetParams,
) -> Result<FreezeThawRaster> {
    let p = params.build()?;
    let (nt, rows, cols) = celsius.dim();
    if nt != dates.len() {
        return Err(Error::shape(
            "daily temperatures (time, row, col)",
            &[dates.len(), rows, cols],
            celsius.shape(),
        ));
    }
    check_series(dates, &vec![0.0; nt])?;
    let at = check_dates(dates, requested)?;
    let (y0, y1) = (dates[0].year(), dates[nt - 1].year());
    let years: Vec<i32> = (y0..=y1).collect();
    let ny = years.len();
    let nd = requested.len();
    let nan3 = |a| Array3::from_elem(a, f64::NAN);
    let mut out = FreezeThawRaster {
        years,
        dates: requested.to_vec(),
        thaw_onset_doy: nan3((ny, rows, cols)),
        freeze_onset_doy: nan3((ny, rows, cols)),
        mean_thaw_doy: Array2::from_elem((rows, cols), f64::NAN),
        mean_freeze_doy: Array2::from_elem((rows, cols), f64::NAN),
        max_ddt: nan3((ny, rows, cols)),
        max_ddf: nan3((ny, rows, cols)),
        ddt_ddf_ratio: nan3((ny, rows, cols)),
        complete: nan3((ny, rows, cols)),
        addt: nan3((nd, rows, cols)),
        addf: nan3((nd, rows, cols)),
        cycle_number: nan3((nd, rows, cols)),
        thaw_onset_day: nan3((nd, rows, cols)),
        freeze_onset_day: nan3((nd, rows, cols)),
    };
    let per_row: Vec<Vec<FreezeThaw>> = (0..rows)
        .into_par_iter()
        .map(|r| {
            (0..cols)
                .map(|c| {
                    let t: Vec<f64> = celsius.slice(ndarray::s![.., r, c]).to_vec();
                    analyse(dates, &t, requested, &at, &p)
                })
                .collect()
        })
        .collect();
    let yi = |d: NaiveDate| (d.year() - y0) as usize;
    for (r, row) in per_row.into_iter().enumerate() {
        for (c, ft) in row.into_iter().enumerate() {
            for &d in &ft.onsets.thaw {
                let v = &mut out.thaw_onset_doy[[yi(d), r, c]];
                if v.is_nan() {
                    *v = f64::from(d.ordinal());
                }
            }
            for &d in &ft.onsets.freeze {
                let v = &mut out.freeze_onset_doy[[yi(d), r, c]];
                if v.is_nan() {
                    *v = f64::from(d.ordinal());
                }
            }
            out.mean_thaw_doy[[r, c]] = ft.onsets.mean_thaw_doy;
            out.mean_freeze_doy[[r, c]] = ft.onsets.mean_freeze_doy;
            for y in &ft.years {
                let k = yi(y.thaw_onset);
                if out.complete[[k, r, c]].is_nan() {
                    out.max_ddt[[k, r, c]] = y.max_ddt;
                    out.max_ddf[[k, r, c]] = y.max_ddf;
                    out.ddt_ddf_ratio[[k, r, c]] = y.ddt_ddf_ratio;
                    out.complete[[k, r, c]] = f64::from(u8::from(y.complete));
                }
            }
            for (i, cyc) in ft.on_dates.cycle.iter().enumerate() {
                out.addt[[i, r, c]] = ft.on_dates.addt[i];
                out.addf[[i, r, c]] = ft.on_dates.addf[i];
                if let Some(k) = *cyc {
                    let y = &ft.years[k];
                    out.cycle_number[[i, r, c]] = y.number as f64;
                    out.thaw_onset_day[[i, r, c]] = day_number(y.thaw_onset) as f64;
                    if let Some(f) = y.freeze_onset {
                        out.freeze_onset_day[[i, r, c]] = day_number(f) as f64;
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_series_gives_exact_sums() {
        // Two identical 100-day years: 40 days at −3, 30 days at +2, 30 days at −1.
        let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let one = |i: usize| match i % 100 {
            0..=39 => -3.0,
            40..=69 => 2.0,
            _ => -1.0,
        };
        let n = 300;
        let dates: Vec<_> = (0..n).map(|i| d0 + TimeDelta::days(i as i64)).collect();
        let t: Vec<f64> = (0..n).map(one).collect();
        let (thaw, freeze) = ([dates[40], dates[140]], [dates[70], dates[170]]);
        let c = build_cycles(&dates, &t, &thaw, &freeze, DayBoundary::EndOfDay);
        assert_eq!(c.years.len(), 2);
        assert_eq!(c.years[0].max_ddt, 60.0);
        assert_eq!(c.years[0].max_ddf, 30.0 + 40.0 * 3.0);
        assert_eq!(c.addt[40], 2.0);
        assert_eq!(c.addf[69], 0.0);
        assert_eq!(c.addf[70], 1.0);
        assert!(c.addt[39].is_nan());
        assert!(c.years[0].complete && !c.years[1].complete);
        let s = build_cycles(&dates, &t, &thaw, &freeze, DayBoundary::StartOfDay);
        assert_eq!(
            (s.addt[40], s.addt[41], s.addf[70], s.addf[71]),
            (0.0, 2.0, 0.0, 1.0)
        );
        assert_eq!(s.addt[139], 60.0);
        assert_eq!(s.addt[140], 0.0);
        assert_eq!((s.years[0].max_ddt, s.years[0].max_ddf), (60.0, 150.0));
    }
}
