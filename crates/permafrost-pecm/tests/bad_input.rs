//! Bad input gives clear errors that name the input, index and value.

mod common;

use chrono::NaiveDate;
use common::{d, sar_dates, site};
use permafrost_pecm::{Cycle, Error, Forcing, OnsetParams, Pair, Params, Pecm, Reference};

fn setup() -> (Pecm, Forcing, Vec<NaiveDate>) {
    let (start, t) = site(1);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    (
        Params::new().build().unwrap(),
        forcing,
        sar_dates(d(2015, 10, 3), 100),
    )
}

#[test]
fn mismatched_lengths() {
    let (pecm, forcing, dates) = setup();
    let bases = pecm.bases(&forcing, &dates, 1.0).unwrap();
    let err = pecm.fit_timeseries(&bases, &[0.0; 99], None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "displacement has length 99, but dates has length 100"
    );
    let err = pecm
        .fit_timeseries(&bases, &[0.0; 100], Some(&[1.0; 3]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::LengthMismatch {
                input: "weights",
                found: 3,
                ..
            }
        ),
        "{err}"
    );
    let pairs = [Pair::new(0, 1), Pair::new(1, 2)];
    let err = pecm
        .fit_interferograms(&bases, &pairs, &[0.1], None)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("phase has length 1, but pairs has length 2"),
        "{err}"
    );
    let err = pecm.fit_sinusoid(&dates, &[0.0; 5], None).unwrap_err();
    assert!(matches!(err, Error::LengthMismatch { .. }));
    let err = Forcing::new(dates.clone(), vec![0.0; 100], vec![0.0; 7], vec![]).unwrap_err();
    assert!(err.to_string().contains("addf has length 7"), "{err}");
}

#[test]
fn dates_not_increasing() {
    let (pecm, forcing, mut dates) = setup();
    dates.swap(10, 11);
    let err = pecm.bases(&forcing, &dates, 1.0).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(
            err,
            Error::NotIncreasing {
                input: "dates",
                index: 11,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("dates[11] = 2016-01-31 does not follow dates[10] = 2016-02-12"),
        "{msg}"
    );
    dates.swap(10, 11);
    dates[20] = dates[19];
    assert!(matches!(
        pecm.fit_sinusoid(&dates, &[0.0; 100], None),
        Err(Error::NotIncreasing { index: 20, .. })
    ));
    let err = Forcing::new(
        vec![d(2016, 1, 2), d(2016, 1, 1)],
        vec![0.0; 2],
        vec![0.0; 2],
        vec![],
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotIncreasing { .. }), "{err}");
}

#[test]
fn non_positive_r0() {
    let (pecm, forcing, dates) = setup();
    for r0 in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = pecm.bases(&forcing, &dates, r0).unwrap_err();
        assert!(
            matches!(err, Error::OutOfRange { input: "r0", .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("r0 = "), "{err}");
    }
}

#[test]
fn fewer_observations_than_parameters() {
    let (pecm, forcing, dates) = setup();
    let bases = pecm.bases(&forcing, &dates, 1.0).unwrap();
    // Two finite values, one of them the reference date: one observation.
    let mut y = vec![f64::NAN; 100];
    y[0] = 0.0;
    y[50] = -0.01;
    let err = pecm.fit_timeseries(&bases, &y, None).unwrap_err();
    assert_eq!(
        err,
        Error::TooFewObservations {
            model: "pecm",
            found: 1,
            params: 2
        }
    );
    y[60] = -0.02;
    y[70] = -0.02;
    let err = pecm.fit_sinusoid(&dates, &y, None).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooFewObservations {
                model: "sinusoid",
                found: 3,
                params: 4
            }
        ),
        "{err}"
    );
    // Exactly p observations: a fit, but no σ.
    let fit = pecm
        .fit_timeseries(
            &bases,
            &{
                let mut z = vec![f64::NAN; 100];
                z[0] = 0.0;
                z[30] = -0.01;
                z[60] = -0.015;
                z
            },
            None,
        )
        .unwrap();
    assert_eq!(fit.stats.dof, 0);
    assert!(fit.linear_rate.sigma.is_nan());
    let err = pecm
        .fit_interferograms(&bases, &[Pair::new(0, 5)], &[1.0], None)
        .unwrap_err();
    assert!(
        matches!(err, Error::TooFewObservations { found: 1, .. }),
        "{err}"
    );
}

#[test]
fn other_bad_input() {
    let (pecm, forcing, dates) = setup();
    let bases = pecm.bases(&forcing, &dates, 1.0).unwrap();
    // Weights.
    let mut w = vec![1.0; 100];
    w[7] = -2.0;
    let err = pecm
        .fit_timeseries(&bases, &[0.0; 100], Some(&w))
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("weights[7] = -2 is out of range"),
        "{err}"
    );
    // Pairs.
    let err = pecm
        .fit_interferograms(
            &bases,
            &[Pair::new(0, 1), Pair::new(3, 100)],
            &[0.0, 0.0],
            None,
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("pairs[1] = (3, 100) is invalid: date index out of range"),
        "{err}"
    );
    // Wavelength.
    for bad in [0.0, -0.05, f64::NAN] {
        assert!(matches!(
            Params::new().with_wavelength(bad).build(),
            Err(Error::InvalidParameter {
                name: "wavelength",
                ..
            })
        ));
    }
    // Reference.
    let p = Params::new()
        .with_reference(Reference::Date(d(2014, 1, 1)))
        .build()
        .unwrap();
    let err = p.fit_timeseries(&bases, &[0.0; 100], None).unwrap_err();
    assert!(
        err.to_string()
            .contains("reference date 2014-01-01 is not among the 100 dates"),
        "{err}"
    );
    let p = Params::new()
        .with_reference(Reference::Index(100))
        .build()
        .unwrap();
    assert!(matches!(
        p.fit_timeseries(&bases, &[0.0; 100], None),
        Err(Error::ReferenceNotFound { .. })
    ));
    // Dates outside the forcing.
    let late = sar_dates(d(2020, 6, 1), 60);
    let err = pecm.bases(&forcing, &late, 1.0).unwrap_err();
    assert!(matches!(err, Error::DateNotInForcing { .. }), "{err}");
    // A forcing whose complete cycle never freezes cannot be closed.
    let cycles = vec![
        Cycle {
            thaw_onset: d(2016, 5, 1),
            freeze_onset: None,
            next_thaw_onset: Some(d(2017, 5, 1)),
            addt_end: 900.0,
            addf_end: 0.0,
        },
        Cycle {
            thaw_onset: d(2017, 5, 1),
            freeze_onset: None,
            next_thaw_onset: None,
            addt_end: f64::NAN,
            addf_end: f64::NAN,
        },
    ];
    let sdates = vec![d(2016, 6, 1), d(2016, 12, 1), d(2017, 6, 1)];
    let f = Forcing::new(
        sdates.clone(),
        vec![100.0, 900.0, 50.0],
        vec![0.0; 3],
        cycles,
    )
    .unwrap();
    let err = pecm.bases(&f, &sdates, 1.0).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cycles[0] (thaw onset 2016-05-01) cannot be closed"),
        "{err}"
    );
    // An incomplete cycle table entry.
    let bad = vec![Cycle {
        thaw_onset: d(2016, 5, 1),
        freeze_onset: Some(d(2016, 10, 1)),
        next_thaw_onset: Some(d(2017, 5, 1)),
        addt_end: f64::NAN,
        addf_end: 10.0,
    }];
    let err = Forcing::new(vec![], vec![], vec![], bad).unwrap_err();
    assert!(
        err.to_string().contains("addt_end = NaN must be finite"),
        "{err}"
    );
    // No thaw at all.
    let cold = Forcing::from_daily_temperature(d(2015, 1, 1), &[-5.0; 1000], &OnsetParams::new());
    assert_eq!(cold.unwrap_err(), Error::NoCycle);
    assert!(matches!(
        Forcing::from_daily_temperature(d(2015, 1, 1), &[f64::NAN; 10], &OnsetParams::new()),
        Err(Error::AllMissing {
            input: "temperature"
        })
    ));
}
