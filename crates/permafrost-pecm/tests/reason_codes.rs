//! Acceptance 4 of issue #5 in the raster form: pixels whose temperatures
//! never cross 0 °C, pixels without a freeze season, and pixels with fewer
//! dates than parameters get `NaN` outputs and their documented reason code
//! ([`PixelStatus`]), in both the time-series and the joint fit, while the
//! other pixels are fitted; wrong shapes are errors.

mod common;

use common::{d, sar_dates, temperature};
use ndarray::{Array2, Array3};
use permafrost_pecm::{
    DailyTemperatureRaster, Error, Forcing, OnsetParams, Pair, Params, PixelStatus, RatioField,
};

const COLS: usize = 5;

/// One row of five pixels: normal, never thawing (always below 0 °C),
/// never thawing (always above 0 °C), thawing once and never freezing
/// again, and normal but with only two dates of data.
fn scene() -> (
    DailyTemperatureRaster<'static, f64>,
    Vec<chrono::NaiveDate>,
    Array3<f64>,
) {
    let start = d(2015, 1, 1);
    let days = 6 * 365;
    let normal = temperature(7, start, days, -4.0, 14.0, 2.0);
    let mut t = Array3::<f64>::zeros((days, 1, COLS));
    for i in 0..days {
        t[[i, 0, 0]] = normal[i];
        t[[i, 0, 1]] = -9.0 + 4.0 * (i as f64 / 40.0).sin();
        t[[i, 0, 2]] = 9.0 + 4.0 * (i as f64 / 40.0).sin();
        // Winter, then a thaw that never ends.
        t[[i, 0, 3]] = if i < 120 { -10.0 } else { 6.0 };
        t[[i, 0, 4]] = normal[i];
    }
    let dates = sar_dates(d(2015, 10, 3), 150);
    let pecm = Params::new().build().unwrap();
    let forcing = Forcing::from_daily_temperature(start, &normal, &OnsetParams::new()).unwrap();
    let bases = pecm.bases(&forcing, &dates, 1.2).unwrap();
    let model = pecm.model(&bases, -0.004, 0.03).unwrap();
    let mut y = Array3::<f64>::zeros((dates.len(), 1, COLS));
    for (k, m) in model.iter().enumerate() {
        for c in 0..COLS {
            y[[k, 0, c]] = *m;
        }
        if k != 0 && k != 40 {
            y[[k, 0, 4]] = f64::NAN;
        }
    }
    let t: &'static Array3<f64> = Box::leak(Box::new(t));
    (
        DailyTemperatureRaster {
            start,
            temperature: t.view(),
            params: OnsetParams::new(),
        },
        dates,
        y,
    )
}

fn expected() -> [PixelStatus; COLS] {
    [
        PixelStatus::Ok,
        PixelStatus::NeverThaws,
        PixelStatus::NeverThaws,
        PixelStatus::NoFreezeSeason,
        PixelStatus::TooFewObservations,
    ]
}

#[test]
fn time_series_fit_reason_codes() {
    let (forcing, dates, y) = scene();
    let pecm = Params::new().build().unwrap();
    let out = pecm
        .fit_raster(&dates, y.view(), None, &forcing, 1.2.into())
        .unwrap();
    for (c, want) in expected().into_iter().enumerate() {
        let got = PixelStatus::from_code(out.status[[0, c]]).unwrap();
        assert_eq!(got, want, "pixel {c}");
        let rivals = out.rivals.as_ref().unwrap();
        if want == PixelStatus::Ok {
            assert!((out.linear_rate[[0, c]] + 0.004).abs() < 1e-9);
            assert!((out.seasonal_amplitude[[0, c]] - 0.03).abs() < 1e-9);
            assert_eq!(rivals.preferred[[0, c]], 1);
        } else {
            for a in [
                &out.linear_rate,
                &out.linear_rate_std,
                &out.seasonal_amplitude,
                &out.seasonal_amplitude_std,
                &out.residual_rms,
                &out.r2,
            ] {
                assert!(a[[0, c]].is_nan(), "pixel {c}");
            }
            assert_eq!(out.n_obs[[0, c]], 0);
            assert_eq!(rivals.preferred[[0, c]], 0);
        }
    }
    // Codes and names are documented and round-trip.
    for (k, s) in PixelStatus::ALL.into_iter().enumerate() {
        assert_eq!(s as usize, k);
        assert_eq!(PixelStatus::from_code(k as u8), Some(s));
        assert!(!s.name().is_empty());
    }
    assert_eq!(PixelStatus::from_code(9), None);
    assert_eq!(PixelStatus::NeverThaws.name(), "never_thaws");
    assert_eq!(PixelStatus::NoFreezeSeason.name(), "no_freeze_season");
}

#[test]
fn joint_fit_reason_codes() {
    let (forcing, dates, y) = scene();
    let pecm = Params::new().build().unwrap();
    let pairs: Vec<Pair> = (0..dates.len() - 1).map(|i| Pair::new(i, i + 1)).collect();
    let phase = Array3::from_shape_fn((pairs.len(), 1, COLS), |(k, _, c)| {
        let p = pairs[k];
        if c == 4 && k != 0 {
            // Pixel 4: one interferogram, fewer than the 2 parameters.
            return f64::NAN;
        }
        pecm.displacement_to_phase(y[[p.secondary, 0, 0]] - y[[p.reference, 0, 0]])
    });
    let out = pecm
        .fit_interferograms_raster(&dates, &pairs, phase.view(), None, &forcing, 1.2.into())
        .unwrap();
    for (c, want) in expected().into_iter().enumerate() {
        assert_eq!(
            PixelStatus::from_code(out.status[[0, c]]),
            Some(want),
            "pixel {c}"
        );
        if want != PixelStatus::Ok {
            assert!(out.linear_rate[[0, c]].is_nan());
            assert!(out.seasonal_amplitude[[0, c]].is_nan());
        }
    }
}

#[test]
fn wrong_shapes_are_errors() {
    let (forcing, dates, y) = scene();
    let pecm = Params::new().build().unwrap();
    // Temperature raster of another (row, col).
    let other = y.slice(ndarray::s![.., .., 0..3]).to_owned();
    let err = pecm
        .fit_raster(&dates, other.view(), None, &forcing, 1.2.into())
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::ShapeMismatch {
                input: "temperature",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("[1, 5]"), "{err}");
    // Ratio raster of another shape.
    let ratio = Array2::from_elem((2, COLS), 1.0);
    let err = pecm
        .fit_raster(&dates, y.view(), None, &forcing, RatioField::from(&ratio))
        .unwrap_err();
    assert!(
        matches!(err, Error::ShapeMismatch { input: "r0", .. }),
        "{err}"
    );
    // Fewer time slices than dates.
    let err = pecm
        .fit_raster(&dates[1..], y.view(), None, &forcing, 1.2.into())
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
}
