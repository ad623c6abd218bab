//! MODIS land-surface temperature on arrays: decoding, daily mean of the
//! day/night Terra/Aqua observations, 8-day composites to daily values, and
//! values on SAR dates. Reading the HDF4 files is the caller's business
//! (the facade uses GDAL); the arrays here are `(time, row, col)`.

use chrono::{NaiveDate, TimeDelta};
use ndarray::{Array, Array3, ArrayView, ArrayView3, Axis, Dimension, Zip};

use crate::daily::DailySeries;
use crate::error::{Error, Result};
use crate::field::KELVIN_OFFSET;
use crate::time::{check_consecutive, day_number};

/// Scale of the MOD11/MYD11 `LST_Day_1km` / `LST_Night_1km` layers, K per count.
pub const MODIS_LST_SCALE: f64 = 0.02;

/// Centre of an 8-day composite relative to its first day, days.
pub const COMPOSITE_CENTRE_DAYS: f64 = 3.5;

/// Decodes MODIS LST counts (uint16, scale 0.02 K, fill 0) to °C; the fill
/// value becomes `NaN`.
pub fn decode_modis_lst<D: Dimension>(raw: ArrayView<'_, u16, D>) -> Array<f64, D> {
    raw.mapv(|x| {
        if x == 0 {
            f64::NAN
        } else {
            f64::from(x) * MODIS_LST_SCALE - KELVIN_OFFSET
        }
    })
}

/// How the daily mean LST follows from the available observations.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DailyLstMethod {
    /// The mean of the available (non-`NaN`) observations; `NaN` if none.
    MeanOfAvailable,
    /// A user regression `intercept + Σ weights[i]·obs[i]` (as the S-PECM
    /// study did, after Zou et al. 2014), `NaN` unless all observations are
    /// available.
    Linear {
        /// Intercept, °C.
        intercept: f64,
        /// One weight per observation array.
        weights: Vec<f64>,
    },
}

/// Daily mean LST from several observation arrays of one shape
/// `(time, row, col)` (e.g. Terra day, Terra night, Aqua day, Aqua night).
pub fn daily_mean_lst(
    observations: &[ArrayView3<'_, f64>],
    method: &DailyLstMethod,
) -> Result<Array3<f64>> {
    let Some(first) = observations.first() else {
        return Err(Error::Empty {
            input: "list of LST observations".into(),
        });
    };
    for (i, o) in observations.iter().enumerate() {
        if o.dim() != first.dim() {
            return Err(Error::shape(
                format!("LST observations[{i}]"),
                first.shape(),
                o.shape(),
            ));
        }
    }
    let mut sum = Array3::<f64>::zeros(first.dim());
    match method {
        DailyLstMethod::MeanOfAvailable => {
            let mut cnt = Array3::<f64>::zeros(first.dim());
            for o in observations {
                Zip::from(&mut sum)
                    .and(&mut cnt)
                    .and(o)
                    .for_each(|s, c, &x| {
                        if !x.is_nan() {
                            *s += x;
                            *c += 1.0;
                        }
                    });
            }
            Zip::from(&mut sum).and(&cnt).for_each(|s, &c| {
                *s = if c > 0.0 { *s / c } else { f64::NAN };
            });
        }
        DailyLstMethod::Linear { intercept, weights } => {
            if weights.len() != observations.len() {
                return Err(Error::invalid_parameter(
                    "weights",
                    weights,
                    format!(
                        "need one weight per observation array ({})",
                        observations.len()
                    ),
                ));
            }
            sum.fill(*intercept);
            for (o, &w) in observations.iter().zip(weights) {
                Zip::from(&mut sum).and(o).for_each(|s, &x| *s += w * x);
            }
        }
    }
    Ok(sum)
}

/// Day numbers (days since 1970-01-01, fractional) of composite centres:
/// `start + centre_offset_days` (3.5 for 8-day composites).
pub fn composite_centres(starts: &[NaiveDate], centre_offset_days: f64) -> Vec<f64> {
    starts
        .iter()
        .map(|&d| day_number(d) as f64 + centre_offset_days)
        .collect()
}

/// Linearly interpolates composites (values `(composite, row, col)`, first
/// days `starts`, strictly increasing) to daily values. Each composite stands
/// at `start + centre_offset_days` ([`COMPOSITE_CENTRE_DAYS`] = 3.5: noon of
/// its 4th day) and each day at its noon, so with 3.5 a composite's value is
/// exactly that of its 4th day. The output covers the days between the first
/// and the last composite centre; no extrapolation. `NaN` propagates from
/// either neighbour.
pub fn composites_to_daily(
    starts: &[NaiveDate],
    values: ArrayView3<'_, f64>,
    centre_offset_days: f64,
) -> Result<DailySeries> {
    if values.len_of(Axis(0)) != starts.len() {
        let (_, r, c) = values.dim();
        return Err(Error::shape(
            "composites (composite, row, col)",
            &[starts.len(), r, c],
            values.shape(),
        ));
    }
    if starts.is_empty() {
        return Err(Error::Empty {
            input: "list of composites".into(),
        });
    }
    if !centre_offset_days.is_finite() {
        return Err(Error::invalid_parameter(
            "centre_offset_days",
            centre_offset_days,
            "must be finite",
        ));
    }
    for (i, w) in starts.windows(2).enumerate() {
        if w[1] <= w[0] {
            return Err(Error::NonMonotonicTime {
                input: "composite start dates".into(),
                index: i + 1,
                time: w[1].and_time(chrono::NaiveTime::MIN),
                previous: w[0].and_time(chrono::NaiveTime::MIN),
            });
        }
    }
    let centres = composite_centres(starts, centre_offset_days);
    let first_day = (centres[0] - 0.5).ceil() as i64;
    let last_day = (centres[centres.len() - 1] - 0.5).floor() as i64;
    let n = usize::try_from(last_day - first_day + 1).unwrap_or(0);
    let (_, rows, cols) = values.dim();
    let mut out = Array3::<f64>::zeros((n, rows, cols));
    let mut k = 0;
    let mut dates = Vec::with_capacity(n);
    for d in 0..n {
        let x = (first_day + d as i64) as f64 + 0.5;
        while k + 1 < centres.len() && centres[k + 1] < x {
            k += 1;
        }
        let mut o = out.index_axis_mut(Axis(0), d);
        if k + 1 >= centres.len() || centres[k] == x {
            o.assign(&values.index_axis(Axis(0), k));
        } else {
            let w = (x - centres[k]) / (centres[k + 1] - centres[k]);
            Zip::from(&mut o)
                .and(&values.index_axis(Axis(0), k))
                .and(&values.index_axis(Axis(0), k + 1))
                .for_each(|o, &a, &b| *o = a + w * (b - a));
        }
        dates.push(crate::time::EPOCH + TimeDelta::days(first_day + d as i64));
    }
    DailySeries::new(dates, out)
}

/// Values of a daily series on the given dates (e.g. SAR acquisitions),
/// `(date, row, col)`; a date outside the series is an error naming it.
pub fn sample_on_dates(daily: &DailySeries, dates: &[NaiveDate]) -> Result<Array3<f64>> {
    check_consecutive("daily series", &daily.dates)?;
    let (_, rows, cols) = daily.values.dim();
    let mut out = Array3::<f64>::zeros((dates.len(), rows, cols));
    for (i, &d) in dates.iter().enumerate() {
        let k = daily.index_of(d).ok_or_else(|| Error::DateOutsideData {
            input: if daily.name.is_empty() {
                "daily series".into()
            } else {
                format!("`{}`", daily.name)
            },
            date: d,
            index: i,
            first: daily.dates.first().copied().unwrap_or(d),
            last: daily.dates.last().copied().unwrap_or(d),
        })?;
        out.index_axis_mut(Axis(0), i)
            .assign(&daily.values.index_axis(Axis(0), k));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn decode_and_mean_of_available() {
        let raw = array![0u16, 13_658];
        let c = decode_modis_lst(raw.view());
        assert!(c[0].is_nan());
        assert!((c[1] - 0.01).abs() < 1e-9);
        let a = Array3::from_shape_vec((1, 1, 2), vec![1.0, f64::NAN]).unwrap();
        let b = Array3::from_shape_vec((1, 1, 2), vec![3.0, f64::NAN]).unwrap();
        let m = daily_mean_lst(&[a.view(), b.view()], &DailyLstMethod::MeanOfAvailable).unwrap();
        assert_eq!(m[[0, 0, 0]], 2.0);
        assert!(m[[0, 0, 1]].is_nan());
    }

    #[test]
    fn composite_value_lands_on_its_fourth_day() {
        let d0 = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        let starts = vec![d0, d0 + TimeDelta::days(8), d0 + TimeDelta::days(16)];
        let v = Array3::from_shape_vec((3, 1, 1), vec![0.0, 8.0, 0.0]).unwrap();
        let daily = composites_to_daily(&starts, v.view(), COMPOSITE_CENTRE_DAYS).unwrap();
        assert_eq!(daily.dates[0], d0 + TimeDelta::days(3));
        assert_eq!(daily.dates.len(), 17);
        assert_eq!(daily.values[[0, 0, 0]], 0.0);
        assert_eq!(daily.values[[4, 0, 0]], 4.0);
        assert_eq!(daily.values[[8, 0, 0]], 8.0);
        let on = sample_on_dates(&daily, &[d0 + TimeDelta::days(13)]).unwrap();
        assert_eq!(on[[0, 0, 0]], 6.0);
        assert!(sample_on_dates(&daily, &[d0]).is_err());
    }
}
