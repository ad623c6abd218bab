//! External reference values from an independent NumPy transcription of
//! SCIENCE.md §3: `xtask/reference/permafrost-pecm/pecm_reference.py`
//! (CPython 3, NumPy 2.4; fits by `numpy.linalg.lstsq`, i.e. SVD, and the
//! covariance by explicit inversion of AᵀWA). The test needs no Python: the
//! digits below are that script's output.
//!
//! Inputs (as in the script): daily temperature from 2015-01-01 for 1461
//! days, T_i = −4 + 14·cos(2π(doy − 200)/365.25) + 3·sin(1.7 i)·cos(0.31 i);
//! r₀ = 0.4 (cycle 2 needs adjusting, cycles 0 and 1 do not); 110 SAR dates
//! every 12 days from 2015-03-02; observations = the planted PECM
//! (v = −4 mm/yr, d = 20 mm) + 0.002·sin(0.9 k)·cos(0.23 k), referred to
//! date 0, weights 1 + 0.5·cos(0.37 k).

// The literals are the script's 17-digit output, copied verbatim.
#![allow(clippy::excessive_precision)]

use approx::assert_relative_eq;
use chrono::{Datelike, Days, NaiveDate};
use permafrost_pecm::{
    displacement_to_phase, Forcing, OnsetParams, Pair, Params, StefanIndex, SENTINEL1_WAVELENGTH,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

struct Scene {
    forcing: Forcing,
    dates: Vec<NaiveDate>,
    y: Vec<f64>,
    w: Vec<f64>,
}

fn scene() -> Scene {
    let start = d(2015, 1, 1);
    let t: Vec<f64> = (0..1461)
        .map(|i| {
            let doy = f64::from((start + Days::new(i as u64)).ordinal());
            let i = i as f64;
            -4.0 + 14.0 * (2.0 * std::f64::consts::PI * (doy - 200.0) / 365.25).cos()
                + 3.0 * (1.7 * i).sin() * (0.31 * i).cos()
        })
        .collect();
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let dates: Vec<NaiveDate> = (0..110)
        .map(|k| d(2015, 3, 2) + Days::new(12 * k))
        .collect();
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&forcing, &dates, 0.4).unwrap();
    let model = pecm.model(&bases, -0.004, 0.02).unwrap();
    let y: Vec<f64> = model
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let k = k as f64;
            if k == 0.0 {
                0.0
            } else {
                m + 0.002 * (0.9 * k).sin() * (0.23 * k).cos()
            }
        })
        .collect();
    let w = (0..110)
        .map(|k| 1.0 + 0.5 * (0.37 * k as f64).cos())
        .collect();
    Scene {
        forcing,
        dates,
        y,
        w,
    }
}

#[test]
fn onsets_closure_and_normaliser() {
    let s = scene();
    let bases = Params::new()
        .build()
        .unwrap()
        .bases(&s.forcing, &s.dates, 0.4)
        .unwrap();
    let c = bases.cycles();
    assert_eq!(c.len(), 4);
    let expect = [
        (
            d(2015, 5, 16),
            d(2015, 10, 5),
            968.68846552421473,
            2425.0288219839204,
            0.40000000000000002,
            false,
            30.969923890446296,
        ),
        (
            d(2016, 5, 12),
            d(2016, 10, 5),
            974.54059795609328,
            2442.0323145271327,
            0.40000000000000002,
            false,
            31.057100703266634,
        ),
        (
            d(2017, 5, 13),
            d(2017, 10, 12),
            975.49403817250402,
            2415.8001858175639,
            0.40379748453507702,
            true,
            31.055497804509493,
        ),
        (
            d(2018, 5, 14),
            d(2018, 10, 9),
            f64::NAN,
            f64::NAN,
            0.40000000000000002,
            false,
            31.039999922446043,
        ),
    ];
    for (k, (thaw, freeze, aend, fend, r, adjusted, peak)) in expect.into_iter().enumerate() {
        let cy = s.forcing.cycles()[k];
        assert_eq!(c[k].thaw_onset, thaw, "cycle {k}");
        assert_eq!(c[k].freeze_onset, freeze, "cycle {k}");
        if aend.is_finite() {
            assert_relative_eq!(cy.addt_end, aend, max_relative = 1e-13);
            assert_relative_eq!(cy.addf_end, fend, max_relative = 1e-13);
        }
        assert_relative_eq!(c[k].ratio, r, max_relative = 1e-15);
        assert_eq!(c[k].adjusted, adjusted, "cycle {k}");
        assert_relative_eq!(c[k].peak, peak, max_relative = 1e-13);
    }
    assert_relative_eq!(bases.normaliser(), 31.027507466074141, max_relative = 1e-13);
    let l = [
        0.0,
        0.31690140845070425,
        1.0,
        1.0,
        1.2945205479452055,
        2.0,
        2.0,
        2.2434210526315788,
        3.0,
        3.0,
        3.2094594594594597,
    ];
    let ih = [
        0.0,
        -0.54206682680453333,
        -0.81574412326078505,
        -0.11990241422887862,
        -0.50352536661946889,
        -0.85313987477920594,
        -0.14158516786074316,
        -0.44522416256609376,
        -0.91853213038269144,
        -0.16318884880540013,
        -0.39635222565178146,
    ];
    for (j, k) in (0..110).step_by(10).enumerate() {
        assert_relative_eq!(
            bases.long_term()[k],
            l[j],
            max_relative = 1e-14,
            epsilon = 1e-300
        );
        assert_relative_eq!(
            bases.seasonal()[k],
            ih[j],
            max_relative = 1e-12,
            epsilon = 1e-300
        );
    }
}

#[test]
fn weighted_fits_match_numpy() {
    let s = scene();
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&s.forcing, &s.dates, 0.4).unwrap();
    let f = pecm.fit_timeseries(&bases, &s.y, Some(&s.w)).unwrap();
    let tol = 1e-9;
    assert_relative_eq!(
        f.linear_rate.value,
        -0.0039939627614032462,
        max_relative = tol
    );
    assert_relative_eq!(
        f.seasonal_amplitude.value,
        0.020007094877665353,
        max_relative = tol
    );
    assert_relative_eq!(
        f.linear_rate.sigma,
        6.931596330304578e-05,
        max_relative = tol
    );
    assert_relative_eq!(
        f.seasonal_amplitude.sigma,
        0.00025671721746214774,
        max_relative = tol
    );
    assert_relative_eq!(
        f.covariance.get(0, 1),
        1.3686813497129072e-08,
        max_relative = tol
    );
    assert_relative_eq!(
        f.seasonal_coefficient_raw.value,
        0.00064481798608996739,
        max_relative = tol
    );
    assert_relative_eq!(f.stats.sigma2, 1.0144871780683404e-06, max_relative = tol);
    assert_relative_eq!(f.stats.r2, 0.98793677080893649, max_relative = tol);
    assert_relative_eq!(f.stats.aic, -1500.3414536976452, max_relative = tol);
    assert_relative_eq!(f.stats.bic, -1492.2674100509578, max_relative = tol);
    assert_relative_eq!(
        f.stats.residual_rms,
        0.00099880909706293931,
        max_relative = tol
    );

    let sn = pecm.fit_sinusoid(&s.dates, &s.y, Some(&s.w)).unwrap();
    let coef = [
        -0.0089037593685788678,
        -0.0040534270781033572,
        0.0011823946097236301,
        0.010550131504503495,
    ];
    let sig = [
        0.00030480469454556889,
        0.00013672488710373039,
        0.00020653283889828848,
        0.00019604608410756438,
    ];
    let got = [
        sn.offset,
        sn.linear_rate,
        sn.cos_coefficient,
        sn.sin_coefficient,
    ];
    for k in 0..4 {
        assert_relative_eq!(got[k].value, coef[k], max_relative = tol);
        assert_relative_eq!(got[k].sigma, sig[k], max_relative = tol);
    }
    assert_relative_eq!(sn.amplitude.value, 0.010616182542487704, max_relative = tol);
    assert_relative_eq!(
        sn.amplitude.sigma,
        0.00019790856350341966,
        max_relative = tol
    );
    assert_relative_eq!(
        sn.subsidence_day_of_year.value,
        268.44956607816857,
        max_relative = tol
    );
    assert_relative_eq!(
        sn.subsidence_day_of_year.sigma,
        1.1211491598067551,
        max_relative = tol
    );
    assert_relative_eq!(sn.stats.aic, -1415.543969490122, max_relative = tol);
    assert_relative_eq!(sn.stats.bic, -1402.0872300789763, max_relative = tol);

    let sb = pecm
        .bases_with(&StefanIndex, &s.forcing, &s.dates, 0.4)
        .unwrap();
    assert_relative_eq!(sb.normaliser(), 31.191431067654189, max_relative = 1e-13);
    let st = pecm.fit_stefan(&sb, &s.y, Some(&s.w)).unwrap();
    assert_relative_eq!(
        st.linear_rate.value,
        -0.0044606334153830772,
        max_relative = tol
    );
    assert_relative_eq!(
        st.seasonal_amplitude.value,
        0.010989026406049309,
        max_relative = tol
    );
    assert_relative_eq!(
        st.linear_rate.sigma,
        0.00061023794179518526,
        max_relative = tol
    );
    assert_relative_eq!(
        st.seasonal_amplitude.sigma,
        0.001502031057204443,
        max_relative = tol
    );
    assert_relative_eq!(st.stats.aic, -1068.9700293136048, max_relative = tol);
    assert_relative_eq!(st.stats.bic, -1060.8959856669173, max_relative = tol);
}

#[test]
fn joint_fit_matches_numpy() {
    let s = scene();
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&s.forcing, &s.dates, 0.4).unwrap();
    let n = s.dates.len();
    let pairs: Vec<Pair> = (0..n)
        .flat_map(|i| {
            [i + 1, i + 2, i + 30]
                .into_iter()
                .filter(move |&j| j < n)
                .map(move |j| Pair::new(i, j))
        })
        .collect();
    assert_eq!(pairs.len(), 297);
    let phase: Vec<f64> = pairs
        .iter()
        .enumerate()
        .map(|(m, p)| {
            displacement_to_phase(s.y[p.secondary] - s.y[p.reference], SENTINEL1_WAVELENGTH)
                + 0.05 * (1.3 * m as f64).sin()
        })
        .collect();
    let j = pecm
        .fit_interferograms(&bases, &pairs, &phase, None)
        .unwrap();
    let tol = 1e-9;
    assert_relative_eq!(
        j.linear_rate.value,
        -0.0040344784856418802,
        max_relative = tol
    );
    assert_relative_eq!(
        j.seasonal_amplitude.value,
        0.019837140457687665,
        max_relative = tol
    );
    assert_relative_eq!(
        j.linear_rate.sigma,
        0.00015345732860166662,
        max_relative = tol
    );
    assert_relative_eq!(
        j.seasonal_amplitude.sigma,
        0.00077162444237025105,
        max_relative = tol
    );
    assert_relative_eq!(j.stats.r2, 0.79765293832165174, max_relative = tol);
    assert_relative_eq!(
        j.stats.residual_rms,
        0.30602319301445924,
        max_relative = tol
    );
}
