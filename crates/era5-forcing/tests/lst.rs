//! Acceptance (3): harmonic gap filling recovers a planted LST series with
//! 40 % cloud gaps and low-biased cloudy values within 1 K RMS; the raster
//! form; and the LST chain composites → daily → SAR dates → onsets.

use chrono::{NaiveDate, TimeDelta};
use era5_forcing::degree_days::freeze_thaw;
use era5_forcing::harmonic::{gap_fill_raster, harmonic_fit, HarmonicParams};
use era5_forcing::lst::{
    composite_centres, composites_to_daily, daily_mean_lst, sample_on_dates, DailyLstMethod,
    COMPOSITE_CENTRE_DAYS,
};
use era5_forcing::onsets::OnsetParams;
use era5_forcing::Error;
use ndarray::Array3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Planted LST (°C) at fractional day t: mean, annual and semi-annual terms.
fn planted(t: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * t / 365.25;
    -4.0 + 16.0 * (w - 3.6).cos() + 2.5 * (2.0 * w - 0.8).cos()
}

/// 4 years of 8-day composites (46 per year), starting 1 January 2015.
fn composite_starts() -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for y in 2015..2019 {
        let d0 = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        out.extend((0..46).map(|k| d0 + TimeDelta::days(8 * k)));
    }
    out
}

/// Observations: noise σ = 0.5 K, 40 % gaps, and 15 % of the remaining
/// values cloud-contaminated (4–15 K too low).
fn observe(truth: &[f64], rng: &mut ChaCha8Rng) -> Vec<f64> {
    truth
        .iter()
        .map(|&x| {
            if rng.random_bool(0.4) {
                f64::NAN
            } else if rng.random_bool(0.15) {
                x - rng.random_range(4.0..15.0)
            } else {
                // Sum of uniforms: roughly normal, σ = 0.5.
                x + (0..3).map(|_| rng.random_range(-0.5..0.5)).sum::<f64>()
            }
        })
        .collect()
}

fn rms(a: &[f64], b: &[f64]) -> f64 {
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64).sqrt()
}

#[test]
fn cloud_gaps_and_low_bias_are_filled_within_one_kelvin() {
    let starts = composite_starts();
    let t = composite_centres(&starts, COMPOSITE_CENTRE_DAYS);
    let truth: Vec<f64> = t.iter().map(|&x| planted(x)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(2013);
    let obs = observe(&truth, &mut rng);
    let gaps = obs.iter().filter(|v| v.is_nan()).count() as f64 / obs.len() as f64;
    assert!((0.3..0.5).contains(&gaps), "gap fraction {gaps}");

    let fit = harmonic_fit(&t, &obs, &HarmonicParams::new()).unwrap();
    let err = rms(&fit.filled, &truth);
    eprintln!("harmonic gap filling: RMS {err:.3} K");
    assert!(err < 1.0, "RMS {err} K");
    assert!(fit.rejected.iter().filter(|&&r| r).count() > 5);
    assert!(fit.filled.iter().all(|v| v.is_finite()));
    // Kept observations are returned unchanged.
    for ((o, f), r) in obs.iter().zip(&fit.filled).zip(&fit.rejected) {
        if o.is_finite() && !r {
            assert_eq!(f, o);
        }
    }
    // Without the rejection the cloudy values drag the fit down: worse.
    let plain = harmonic_fit(
        &t,
        &obs,
        &HarmonicParams::new().with_reject_below(f64::INFINITY),
    )
    .unwrap();
    assert!(rms(&plain.fitted, &truth) > 1.5 * rms(&fit.fitted, &truth));
}

#[test]
fn raster_fill_with_an_all_nan_pixel() {
    let starts = composite_starts();
    let t = composite_centres(&starts, COMPOSITE_CENTRE_DAYS);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut cube = Array3::<f64>::zeros((t.len(), 2, 2));
    for r in 0..2 {
        for c in 0..2 {
            let truth: Vec<f64> = t
                .iter()
                .map(|&x| planted(x) + r as f64 - c as f64)
                .collect();
            for (k, v) in observe(&truth, &mut rng).into_iter().enumerate() {
                cube[[k, r, c]] = v;
            }
        }
    }
    cube.slice_mut(ndarray::s![.., 1, 1]).fill(f64::NAN);
    let out = gap_fill_raster(&t, cube.view(), &HarmonicParams::new()).unwrap();
    assert!(out
        .filled
        .slice(ndarray::s![.., 1, 1])
        .iter()
        .all(|v| v.is_nan()));
    assert_eq!(out.n_valid[[1, 1]], 0);
    let truth: Vec<f64> = t.iter().map(|&x| planted(x) + 1.0).collect();
    let got: Vec<f64> = out.filled.slice(ndarray::s![.., 1, 0]).to_vec();
    assert!(rms(&got, &truth) < 1.0);
    // The scalar error for a pixel without data.
    let err = harmonic_fit(&t, &vec![f64::NAN; t.len()], &HarmonicParams::new()).unwrap_err();
    assert!(
        matches!(err, Error::TooFewObservations { found: 0, .. }),
        "{err}"
    );
}

#[test]
fn lst_chain_to_degree_days_on_sar_dates() {
    // Day/night Terra/Aqua observations around the planted daily mean.
    let starts = composite_starts();
    let n = starts.len();
    let t = composite_centres(&starts, COMPOSITE_CENTRE_DAYS);
    let shape = (n, 1, 1);
    let day = Array3::from_shape_fn(shape, |(k, _, _)| planted(t[k]) + 6.0);
    let night = Array3::from_shape_fn(shape, |(k, _, _)| planted(t[k]) - 6.0);
    let mut aqua_day = day.clone();
    aqua_day[[3, 0, 0]] = f64::NAN; // unavailable: the mean of the others
    let obs = [day.view(), night.view(), aqua_day.view(), night.view()];
    let mean = daily_mean_lst(&obs, &DailyLstMethod::MeanOfAvailable).unwrap();
    assert!((mean[[0, 0, 0]] - planted(t[0])).abs() < 1e-12);
    assert!((mean[[3, 0, 0]] - (planted(t[3]) - 2.0)).abs() < 1e-12);
    let lin = daily_mean_lst(
        &obs,
        &DailyLstMethod::Linear {
            intercept: 1.0,
            weights: vec![0.25; 4],
        },
    )
    .unwrap();
    assert!(lin[[3, 0, 0]].is_nan() && (lin[[0, 0, 0]] - planted(t[0]) - 1.0).abs() < 1e-12);

    let daily = composites_to_daily(&starts, mean.view(), COMPOSITE_CENTRE_DAYS).unwrap();
    // Between composite centres the daily value is the linear interpolation.
    let d = NaiveDate::from_ymd_opt(2016, 6, 1).unwrap();
    let k = starts
        .iter()
        .rposition(|s| *s + TimeDelta::days(3) <= d)
        .unwrap();
    let x = era5_forcing::time::day_number(d) as f64 + 0.5;
    let w = (x - t[k]) / (t[k + 1] - t[k]);
    let want = mean[[k, 0, 0]] + w * (mean[[k + 1, 0, 0]] - mean[[k, 0, 0]]);
    let got = sample_on_dates(&daily, &[d]).unwrap();
    assert!((got[[0, 0, 0]] - want).abs() < 1e-12);

    // Onsets and ADDT from the daily LST (planted thaw crossing near day 100).
    let series: Vec<f64> = daily.values.iter().copied().collect();
    let sar = vec![NaiveDate::from_ymd_opt(2016, 8, 1).unwrap()];
    let ft = freeze_thaw(&daily.dates, &series, &sar, &OnsetParams::new()).unwrap();
    assert!(ft.onsets.thaw.len() >= 3);
    for o in &ft.onsets.thaw {
        let x = era5_forcing::time::day_number(*o);
        assert!(
            planted(x as f64 + 0.5) > -1.0 && planted(x as f64 - 1.5) < 1.0,
            "{o}"
        );
    }
    assert!(ft.on_dates.addt[0] > 0.0);
    let err = sample_on_dates(&daily, &[NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()]).unwrap_err();
    assert!(matches!(err, Error::DateOutsideData { .. }));
}
