//! Raster forms: identical to the per-pixel functions, identical for any
//! thread count, `NaN` pixels give `NaN` outputs with a status code, per-pixel
//! temperature stacks and r₀ rasters, `f32` input, the joint raster fit.

mod common;

use chrono::NaiveDate;
use common::{d, sar_dates, site, temperature, Gauss};
use ndarray::{Array2, Array3};
use permafrost_pecm::{
    displacement_to_phase, Criterion, DailyTemperatureRaster, Error, Forcing, ModelKind,
    OnsetParams, Pair, Params, PerPixel, PixelStatus, RatioField, StefanIndex,
    SENTINEL1_WAVELENGTH,
};

const ROWS: usize = 4;
const COLS: usize = 5;

fn scene() -> (Forcing, Vec<NaiveDate>, Array3<f64>) {
    let (start, t) = site(21);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let dates = sar_dates(d(2015, 11, 2), 120);
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&forcing, &dates, 1.3).unwrap();
    let mut g = Gauss::new(4);
    let mut stack = Array3::from_elem((dates.len(), ROWS, COLS), f64::NAN);
    for r in 0..ROWS {
        for c in 0..COLS {
            let v = -0.002 * r as f64;
            let amp = 0.01 + 0.005 * c as f64;
            let truth = pecm.model(&bases, v, amp).unwrap();
            for (k, x) in truth.iter().enumerate() {
                stack[[k, r, c]] = if k == 0 { 0.0 } else { x + 0.002 * g.next() };
            }
        }
    }
    // An all-NaN pixel, and one with a few dates only.
    stack.slice_mut(ndarray::s![.., 1, 2]).fill(f64::NAN);
    stack.slice_mut(ndarray::s![2.., 3, 4]).fill(f64::NAN);
    (forcing, dates, stack)
}

#[test]
fn raster_matches_the_pixel_functions() {
    let (forcing, dates, stack) = scene();
    let pecm = Params::new().with_residuals(true).build().unwrap();
    let out = pecm
        .fit_raster(&dates, stack.view(), None, &forcing, 1.3.into())
        .unwrap();
    let bases = pecm.bases(&forcing, &dates, 1.3).unwrap();
    let stefan = pecm
        .bases_with(&StefanIndex, &forcing, &dates, 1.3)
        .unwrap();
    for r in 0..ROWS {
        for c in 0..COLS {
            let y: Vec<f64> = stack.slice(ndarray::s![.., r, c]).to_vec();
            match (r, c) {
                (1, 2) => {
                    assert_eq!(out.status[[r, c]], PixelStatus::NoData as u8);
                    assert!(out.linear_rate[[r, c]].is_nan() && out.r2[[r, c]].is_nan());
                    assert_eq!(out.n_obs[[r, c]], 0);
                    assert_eq!(out.rivals.as_ref().unwrap().preferred[[r, c]], 0);
                }
                (3, 4) => {
                    assert_eq!(out.status[[r, c]], PixelStatus::TooFewObservations as u8);
                    assert!(out.seasonal_amplitude[[r, c]].is_nan());
                }
                _ => {
                    let cmp = pecm.compare_bases(&bases, Some(&stefan), &y, None).unwrap();
                    let fit = &cmp.pecm;
                    assert_eq!(out.status[[r, c]], 0);
                    assert_eq!(out.linear_rate[[r, c]], fit.linear_rate.value);
                    assert_eq!(out.linear_rate_std[[r, c]], fit.linear_rate.sigma);
                    assert_eq!(out.seasonal_amplitude[[r, c]], fit.seasonal_amplitude.value);
                    assert_eq!(
                        out.seasonal_amplitude_std[[r, c]],
                        fit.seasonal_amplitude.sigma
                    );
                    assert_eq!(
                        out.seasonal_coefficient_raw[[r, c]],
                        fit.seasonal_coefficient_raw.value
                    );
                    assert_eq!(out.residual_rms[[r, c]], fit.stats.residual_rms);
                    assert_eq!(out.r2[[r, c]], fit.stats.r2);
                    assert_eq!(out.n_obs[[r, c]] as usize, fit.stats.n_obs);
                    let res = out.residuals.as_ref().unwrap();
                    for k in 0..dates.len() {
                        assert_eq!(res[[k, r, c]].to_bits(), fit.residuals[k].to_bits());
                    }
                    let rv = out.rivals.as_ref().unwrap();
                    let sin = cmp.sinusoid.as_ref().unwrap();
                    assert_eq!(rv.sinusoid_amplitude[[r, c]], sin.amplitude.value);
                    assert_eq!(
                        rv.sinusoid_subsidence_day_of_year[[r, c]],
                        sin.subsidence_day_of_year.value
                    );
                    assert_eq!(
                        rv.stefan_amplitude[[r, c]],
                        cmp.stefan.as_ref().unwrap().seasonal_amplitude.value
                    );
                    assert_eq!(rv.aic[0][[r, c]], fit.stats.aic);
                    assert_eq!(rv.bic[1][[r, c]], sin.stats.bic);
                    assert_eq!(rv.preferred[[r, c]], cmp.preferred(Criterion::Aic).code());
                    assert_eq!(
                        ModelKind::from_code(rv.preferred[[r, c]]),
                        Some(ModelKind::Pecm)
                    );
                    // Planted values recovered within 3σ (20 pixels).
                    assert!(fit.linear_rate.within(-0.002 * r as f64, 3.0));
                    assert!(fit.seasonal_amplitude.within(0.01 + 0.005 * c as f64, 3.0));
                }
            }
        }
    }
    assert_eq!(out.n_fitted(), ROWS * COLS - 2);
}

#[test]
fn identical_for_any_thread_count() {
    let (forcing, dates, stack) = scene();
    let pecm = Params::new().with_residuals(true).build().unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                pecm.fit_raster(&dates, stack.view(), None, &forcing, 1.3.into())
                    .unwrap()
            })
    };
    let one = run(1);
    let three = run(3);
    let serial = Params::new()
        .with_residuals(true)
        .with_parallel(false)
        .build()
        .unwrap()
        .fit_raster(&dates, stack.view(), None, &forcing, 1.3.into())
        .unwrap();
    let bits = |a: &Array2<f64>| a.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for o in [&three, &serial] {
        assert_eq!(bits(&one.linear_rate), bits(&o.linear_rate));
        assert_eq!(
            bits(&one.seasonal_amplitude_std),
            bits(&o.seasonal_amplitude_std)
        );
        assert_eq!(one.status, o.status);
        let (a, b) = (
            one.residuals.as_ref().unwrap(),
            o.residuals.as_ref().unwrap(),
        );
        assert!(a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits()));
    }
}

#[test]
fn per_pixel_temperature_ratio_raster_and_f32() {
    let (_, dates, stack) = scene();
    let start = d(2015, 1, 1);
    let days = 6 * 365;
    // Each pixel its own temperature history; one pixel without temperature.
    let mut temp = Array3::from_elem((days, ROWS, COLS), f32::NAN);
    for r in 0..ROWS {
        for c in 0..COLS {
            if (r, c) == (0, 0) {
                continue;
            }
            let t = temperature(
                100 + (r * COLS + c) as u64,
                start,
                days,
                -3.0 - r as f64,
                13.0,
                2.0,
            );
            for (k, x) in t.iter().enumerate() {
                temp[[k, r, c]] = *x as f32;
            }
        }
    }
    let mut ratio = Array2::from_elem((ROWS, COLS), 1.4);
    ratio[[2, 1]] = f64::NAN;
    let source = DailyTemperatureRaster {
        start,
        temperature: temp.view(),
        params: OnsetParams::new(),
    };
    let stack32 = stack.mapv(|x| x as f32);
    let pecm = Params::new().with_rivals(false).build().unwrap();
    let out = pecm
        .fit_raster(
            &dates,
            stack32.view(),
            None,
            &source,
            RatioField::from(&ratio),
        )
        .unwrap();
    assert!(out.rivals.is_none() && out.residuals.is_none());
    assert_eq!(out.status[[0, 0]], PixelStatus::NoForcing as u8);
    assert_eq!(out.status[[2, 1]], PixelStatus::NoForcing as u8);
    // Pixel (2, 3) equals the pixel function with its own forcing.
    let series: Vec<f64> = temp
        .slice(ndarray::s![.., 2, 3])
        .iter()
        .map(|x| f64::from(*x))
        .collect();
    let forcing = Forcing::from_daily_temperature(start, &series, &OnsetParams::new()).unwrap();
    let bases = pecm.bases(&forcing, &dates, 1.4).unwrap();
    let y: Vec<f64> = stack32
        .slice(ndarray::s![.., 2, 3])
        .iter()
        .map(|x| f64::from(*x))
        .collect();
    let fit = pecm.fit_timeseries(&bases, &y, None).unwrap();
    assert_eq!(out.seasonal_amplitude[[2, 3]], fit.seasonal_amplitude.value);
    assert_eq!(out.normaliser[[2, 3]], bases.normaliser());
    // The closure form gives the same.
    let per_pixel = PerPixel(|r: usize, c: usize| {
        let s: Vec<f64> = temp
            .slice(ndarray::s![.., r, c])
            .iter()
            .map(|x| f64::from(*x))
            .collect();
        Forcing::from_daily_temperature(start, &s, &OnsetParams::new())
    });
    let again = pecm
        .fit_raster(
            &dates,
            stack32.view(),
            None,
            &per_pixel,
            RatioField::from(&ratio),
        )
        .unwrap();
    let bits = |a: &Array2<f64>| a.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        bits(&out.seasonal_amplitude),
        bits(&again.seasonal_amplitude)
    );
    assert_eq!(bits(&out.linear_rate_std), bits(&again.linear_rate_std));
    assert_eq!(out.status, again.status);
}

#[test]
fn joint_raster_matches_the_pixel_function() {
    let (forcing, dates, stack) = scene();
    let pecm = Params::new().build().unwrap();
    let pairs: Vec<Pair> = (0..dates.len() - 1)
        .flat_map(|i| (i + 1..(i + 4).min(dates.len())).map(move |j| Pair::new(i, j)))
        .collect();
    let mut phase = Array3::from_elem((pairs.len(), ROWS, COLS), f64::NAN);
    for r in 0..ROWS {
        for c in 0..COLS {
            for (k, p) in pairs.iter().enumerate() {
                let dd = stack[[p.secondary, r, c]] - stack[[p.reference, r, c]];
                phase[[k, r, c]] = displacement_to_phase(dd, SENTINEL1_WAVELENGTH);
            }
        }
    }
    let out = pecm
        .fit_interferograms_raster(&dates, &pairs, phase.view(), None, &forcing, 1.3.into())
        .unwrap();
    let bases = pecm.bases(&forcing, &dates, 1.3).unwrap();
    let y: Vec<f64> = phase.slice(ndarray::s![.., 2, 2]).to_vec();
    let fit = pecm.fit_interferograms(&bases, &pairs, &y, None).unwrap();
    assert_eq!(out.linear_rate[[2, 2]], fit.linear_rate.value);
    assert_eq!(
        out.seasonal_amplitude_std[[2, 2]],
        fit.seasonal_amplitude.sigma
    );
    assert_eq!(out.n_components[[2, 2]], 1);
    assert_eq!(out.status[[1, 2]], PixelStatus::NoData as u8);
    assert!(out.linear_rate[[1, 2]].is_nan());

    // Every pixel, bit for bit, also where interferograms are missing (the
    // raster reuses factorisations and component counts between pixels):
    // pixel (0, 1) loses every pair bridging dates 29 → 30 (two components),
    // pixel (0, 2) a few pairs, pixel (0, 3) is back to the full network.
    for (k, p) in pairs.iter().enumerate() {
        if p.reference < 30 && p.secondary >= 30 {
            phase[[k, 0, 1]] = f64::NAN;
        }
        if k % 7 == 3 {
            phase[[k, 0, 2]] = f64::NAN;
        }
    }
    let out = pecm
        .fit_interferograms_raster(&dates, &pairs, phase.view(), None, &forcing, 1.3.into())
        .unwrap();
    assert_eq!(out.n_components[[0, 1]], 2);
    let w = Array3::from_shape_fn(phase.dim(), |(k, r, c)| 1.0 + ((k + r + c) % 5) as f64);
    let weighted = pecm
        .fit_interferograms_raster(
            &dates,
            &pairs,
            phase.view(),
            Some(w.view()),
            &forcing,
            1.3.into(),
        )
        .unwrap();
    for (o, weights) in [(&out, None), (&weighted, Some(&w))] {
        for r in 0..ROWS {
            for c in 0..COLS {
                let y: Vec<f64> = phase.slice(ndarray::s![.., r, c]).to_vec();
                let wv: Option<Vec<f64>> = weights.map(|w| w.slice(ndarray::s![.., r, c]).to_vec());
                match pecm.fit_interferograms(&bases, &pairs, &y, wv.as_deref()) {
                    Ok(f) => {
                        let want = [
                            f.linear_rate.value,
                            f.linear_rate.sigma,
                            f.seasonal_amplitude.value,
                            f.seasonal_amplitude.sigma,
                            f.seasonal_coefficient_raw.value,
                            f.stats.residual_rms,
                            f.residual_rms_m,
                            f.stats.r2,
                        ];
                        let got = [
                            o.linear_rate[[r, c]],
                            o.linear_rate_std[[r, c]],
                            o.seasonal_amplitude[[r, c]],
                            o.seasonal_amplitude_std[[r, c]],
                            o.seasonal_coefficient_raw[[r, c]],
                            o.residual_rms[[r, c]],
                            o.residual_rms_m[[r, c]],
                            o.r2[[r, c]],
                        ];
                        for (a, b) in got.iter().zip(&want) {
                            assert_eq!(a.to_bits(), b.to_bits(), "({r}, {c})");
                        }
                        assert_eq!(o.n_components[[r, c]] as usize, f.n_components);
                        assert_eq!(o.n_obs[[r, c]] as usize, f.stats.n_obs);
                    }
                    Err(_) => assert_ne!(o.status[[r, c]], PixelStatus::Ok as u8),
                }
            }
        }
    }
}

#[test]
fn raster_shape_errors() {
    let (forcing, dates, stack) = scene();
    let pecm = Params::new().build().unwrap();
    let err = pecm
        .fit_raster(&dates[1..], stack.view(), None, &forcing, 1.3.into())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ShapeMismatch {
                input: "displacement",
                ..
            }
        ),
        "{err}"
    );
    let w = Array3::<f64>::ones((3, ROWS, COLS));
    let err = pecm
        .fit_raster(&dates, stack.view(), Some(w.view()), &forcing, 1.3.into())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("raster weights has shape [3, 4, 5]"),
        "{err}"
    );
    let ratio = Array2::from_elem((2, 2), 1.0);
    let err = pecm
        .fit_raster(
            &dates,
            stack.view(),
            None,
            &forcing,
            RatioField::from(&ratio),
        )
        .unwrap_err();
    assert!(
        matches!(err, Error::ShapeMismatch { input: "r0", .. }),
        "{err}"
    );
    let err = pecm
        .fit_raster(&dates, stack.view(), None, &forcing, (-1.0).into())
        .unwrap_err();
    assert!(
        matches!(err, Error::OutOfRange { input: "r0", .. }),
        "{err}"
    );
}
