//! Rival models: each is recovered from its own planted data, and AIC, AICc
//! and BIC prefer the model that generated the data (PECM, sinusoid, plain
//! Stefan), over several noise realisations.

mod common;

use std::f64::consts::PI;

use chrono::NaiveDate;
use common::{d, sar_dates, site, Gauss};
use permafrost_pecm::{
    years_since_first_january, Bases, Criterion, Forcing, ModelKind, OnsetParams, Params, Pecm,
    StefanIndex, DAYS_PER_YEAR,
};

struct Scene {
    pecm: Pecm,
    dates: Vec<NaiveDate>,
    bases: Bases,
    stefan: Bases,
}

fn scene() -> Scene {
    let (start, t) = site(3);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let dates = sar_dates(d(2015, 10, 3), 150);
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&forcing, &dates, 1.6).unwrap();
    let stefan = pecm
        .bases_with(&StefanIndex, &forcing, &dates, 1.6)
        .unwrap();
    Scene {
        pecm,
        dates,
        bases,
        stefan,
    }
}

/// c + v·t + a·cos 2πt + b·sin 2πt, referred to the first date.
fn sinusoid(dates: &[NaiveDate], v: f64, a: f64, b: f64) -> Vec<f64> {
    let t = years_since_first_january(dates);
    let f = |t: f64| v * t + a * (2.0 * PI * t).cos() + b * (2.0 * PI * t).sin();
    t.iter().map(|&x| f(x) - f(t[0])).collect()
}

/// v·(t − t0) + d·(Ŝ − Ŝ0).
fn stefan(s: &Scene, v: f64, amp: f64) -> Vec<f64> {
    let d0 = s.dates[0];
    let sh = s.stefan.seasonal();
    s.dates
        .iter()
        .zip(sh)
        .map(|(x, y)| v * (*x - d0).num_days() as f64 / DAYS_PER_YEAR + amp * (y - sh[0]))
        .collect()
}

fn noisy(truth: &[f64], g: &mut Gauss, sigma: f64) -> Vec<f64> {
    truth
        .iter()
        .enumerate()
        .map(|(i, t)| if i == 0 { 0.0 } else { t + sigma * g.next() })
        .collect()
}

#[test]
fn each_model_recovers_its_own_planted_parameters() {
    let s = scene();
    // Sinusoid: amplitude 12 mm, maximum subsidence on day 250 (early September).
    let (amp, day) = (0.012, 250.0);
    let phi = 2.0 * PI * (day - 1.0) / DAYS_PER_YEAR - PI;
    let (a, b) = (amp * phi.cos(), amp * phi.sin());
    let truth = sinusoid(&s.dates, -0.004, a, b);
    let fit = s.pecm.fit_sinusoid(&s.dates, &truth, None).unwrap();
    assert!(
        (fit.amplitude.value - amp).abs() < 1e-10,
        "{:?}",
        fit.amplitude
    );
    assert!(
        (fit.subsidence_day_of_year.value - day).abs() < 1e-6,
        "{:?}",
        fit.subsidence_day_of_year
    );
    assert!((fit.linear_rate.value + 0.004).abs() < 1e-10);
    // The seasonal term is lowest on that day.
    let t = (day - 1.0) / DAYS_PER_YEAR;
    let seasonal = |t: f64| a * (2.0 * PI * t).cos() + b * (2.0 * PI * t).sin();
    assert!((seasonal(t) + amp).abs() < 1e-12);
    // With noise: within 2σ, and σ propagated sensibly.
    let mut g = Gauss::new(8);
    let fit = s
        .pecm
        .fit_sinusoid(&s.dates, &noisy(&truth, &mut g, 0.002), None)
        .unwrap();
    assert!(fit.amplitude.within(amp, 2.0), "{:?}", fit.amplitude);
    assert!(
        fit.subsidence_day_of_year.within(day, 2.0),
        "{:?}",
        fit.subsidence_day_of_year
    );
    assert!(fit.amplitude.sigma > 1e-4 && fit.amplitude.sigma < 1e-3);

    // Stefan: v = −3 mm/yr, d = 20 mm.
    let truth = stefan(&s, -0.003, 0.02);
    let fit = s.pecm.fit_stefan(&s.stefan, &truth, None).unwrap();
    assert!((fit.linear_rate.value + 0.003).abs() < 1e-10);
    assert!((fit.seasonal_amplitude.value - 0.02).abs() < 1e-10);
    assert!((fit.seasonal_coefficient_raw.value * s.stefan.normaliser() - 0.02).abs() < 1e-12);
}

#[test]
fn information_criteria_prefer_the_true_model() {
    let s = scene();
    let truths = [
        (
            ModelKind::Pecm,
            s.pecm.model(&s.bases, -0.005, 0.03).unwrap(),
        ),
        (
            ModelKind::Sinusoid,
            sinusoid(&s.dates, -0.005, -0.012, -0.008),
        ),
        (ModelKind::Stefan, stefan(&s, -0.005, 0.03)),
    ];
    let mut g = Gauss::new(31);
    for (kind, truth) in &truths {
        for _ in 0..10 {
            let obs = noisy(truth, &mut g, 0.003);
            let cmp = s
                .pecm
                .compare_bases(&s.bases, Some(&s.stefan), &obs, None)
                .unwrap();
            assert!(cmp.sinusoid.is_some() && cmp.stefan.is_some());
            for criterion in [Criterion::Aic, Criterion::Aicc, Criterion::Bic] {
                let got = cmp.preferred(criterion);
                assert_eq!(got, *kind, "{criterion:?}: {:?}", cmp.stats());
            }
        }
    }
}

#[test]
fn compare_from_forcing_matches_compare_from_bases() {
    let (start, t) = site(3);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let s = scene();
    let truth = s.pecm.model(&s.bases, -0.005, 0.03).unwrap();
    let a = s
        .pecm
        .compare(&forcing, &s.dates, 1.6, &truth, None)
        .unwrap();
    let b = s
        .pecm
        .compare_bases(&s.bases, Some(&s.stefan), &truth, None)
        .unwrap();
    assert_eq!(a, b);
    // Same observations and parameter counts as the criteria assume.
    let stats = a.stats();
    assert!(stats.iter().all(|(_, st)| st.n_obs == 149));
    assert_eq!(
        stats.iter().map(|(_, st)| st.n_params).collect::<Vec<_>>(),
        vec![2, 4, 2]
    );
}
