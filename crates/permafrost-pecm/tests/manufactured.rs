//! Manufactured solutions: plant v and d on a synthetic pixel with a
//! realistic temperature history (six years of daily temperature, an annual
//! cycle plus AR(1) weather noise) and Sentinel-1-like 12-day dates, build
//! D = v·L + d·Î, add noise, and recover v and d — exactly without noise,
//! within the reported 2σ with it — from the displacement series and
//! jointly from interferograms on a disconnected network.

mod common;

use common::{d, sar_dates, site, Gauss};
use permafrost_pecm::{
    displacement_to_phase, Bases, Error, Forcing, LeadIn, OnsetParams, Pair, Params, Pecm,
    Reference, SENTINEL1_WAVELENGTH,
};
use thermo_johansen::{Johansen, Soil};

const V: f64 = -0.006;
const DAMP: f64 = 0.032;

/// κ_f/κ_t of a silty soil, θ = 0.30 in both seasons.
fn johansen_ratio() -> f64 {
    Johansen::default()
        .conductivities(&Soil::new(1350.0, 0.35), 0.30, 0.30)
        .unwrap()
        .ratio
}

fn setup(r0: f64) -> (Pecm, Forcing, Vec<chrono::NaiveDate>, Bases) {
    let (start, t) = site(11);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let dates = sar_dates(d(2015, 10, 3), 150);
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&forcing, &dates, r0).unwrap();
    (pecm, forcing, dates, bases)
}

#[test]
fn noise_free_recovery_to_1e_9() {
    for r0 in [johansen_ratio(), 0.15] {
        let (pecm, _, _, bases) = setup(r0);
        let truth = pecm.model(&bases, V, DAMP).unwrap();
        assert_eq!(truth[0], 0.0, "the model is referred to the first date");
        let fit = pecm.fit_timeseries(&bases, &truth, None).unwrap();
        assert!(
            (fit.linear_rate.value - V).abs() < 1e-9,
            "{:?}",
            fit.linear_rate
        );
        assert!((fit.seasonal_amplitude.value - DAMP).abs() < 1e-9);
        assert!(fit.stats.residual_rms < 1e-12);
        assert!((fit.stats.r2 - 1.0).abs() < 1e-12);
        assert_eq!(
            fit.stats.n_obs, 149,
            "the reference date is not an observation"
        );
        let raw = fit.seasonal_coefficient_raw.value;
        assert!((raw * bases.normaliser() - DAMP).abs() < 1e-12);
        // The planted signal really spans tens of millimetres.
        let lowest = truth.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = truth.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(highest - lowest > 0.04, "{lowest} … {highest}");
    }
}

#[test]
fn johansen_ratio_closes_most_cycles_and_a_small_ratio_needs_adjusting() {
    let (_, _, _, bases) = setup(johansen_ratio());
    assert!(johansen_ratio() > 1.0);
    assert!(bases.adjusted_cycles().is_empty(), "{:?}", bases.cycles());
    let (_, _, _, bases) = setup(0.15);
    let complete = bases.cycles().iter().filter(|c| c.complete).count();
    assert!(complete >= 4);
    assert_eq!(bases.adjusted_cycles().len(), complete);
    for c in bases.cycles().iter().filter(|c| c.complete) {
        assert_eq!(c.end_index, 0.0);
        assert!(c.ratio > 0.15);
    }
}

#[test]
fn noisy_recovery_within_two_sigma() {
    let (pecm, _, _, bases) = setup(johansen_ratio());
    let truth = pecm.model(&bases, V, DAMP).unwrap();
    let mut g = Gauss::new(7);
    let obs: Vec<f64> = truth
        .iter()
        .enumerate()
        .map(|(i, t)| if i == 0 { 0.0 } else { t + 0.003 * g.next() })
        .collect();
    let fit = pecm.fit_timeseries(&bases, &obs, None).unwrap();
    assert!(fit.linear_rate.within(V, 2.0), "{:?}", fit.linear_rate);
    assert!(
        fit.seasonal_amplitude.within(DAMP, 2.0),
        "{:?}",
        fit.seasonal_amplitude
    );
    // Sizes one expects for 3 mm noise on 150 dates.
    assert!(fit.linear_rate.sigma > 1e-4 && fit.linear_rate.sigma < 1e-3);
    assert!(fit.seasonal_amplitude.sigma > 3e-4 && fit.seasonal_amplitude.sigma < 2e-3);
    assert!((fit.stats.residual_rms - 0.003).abs() < 0.0006);
    assert!(fit.stats.r2 > 0.9);
    // Residual series: observation − model on every date.
    for ((r, o), f) in fit.residuals.iter().zip(&obs).zip(&fit.fitted) {
        assert!((r - (o - f)).abs() < 1e-15);
    }
    assert_eq!(fit.residuals[0], 0.0);
}

#[test]
fn reported_sigmas_have_the_right_coverage() {
    // Over many noise realisations, |estimate − truth| ≤ 2σ about 95 % of the
    // time and σ̂² is unbiased: a wrong covariance would fail.
    let (pecm, _, _, bases) = setup(johansen_ratio());
    let truth = pecm.model(&bases, V, DAMP).unwrap();
    let mut g = Gauss::new(2024);
    let (mut inside_v, mut inside_d, mut s2) = (0usize, 0usize, 0.0);
    let runs = 400;
    let sigma = 0.004;
    for _ in 0..runs {
        let obs: Vec<f64> = truth.iter().map(|t| t + sigma * g.next()).collect();
        let fit = pecm.fit_timeseries(&bases, &obs, None).unwrap();
        inside_v += usize::from(fit.linear_rate.within(V, 2.0));
        inside_d += usize::from(fit.seasonal_amplitude.within(DAMP, 2.0));
        s2 += fit.stats.sigma2;
    }
    let (fv, fd) = (inside_v as f64 / runs as f64, inside_d as f64 / runs as f64);
    assert!((0.92..=0.98).contains(&fv), "coverage of v {fv}");
    assert!((0.92..=0.98).contains(&fd), "coverage of d {fd}");
    let ratio = s2 / runs as f64 / (sigma * sigma);
    assert!((ratio - 1.0).abs() < 0.03, "σ̂²/σ² = {ratio}");
}

#[test]
fn weighted_fit_with_heteroscedastic_noise() {
    let (pecm, _, _, bases) = setup(johansen_ratio());
    let truth = pecm.model(&bases, V, DAMP).unwrap();
    let mut g = Gauss::new(99);
    let sig: Vec<f64> = (0..truth.len())
        .map(|_| 0.001 + 0.006 * g.uniform())
        .collect();
    let obs: Vec<f64> = truth
        .iter()
        .zip(&sig)
        .map(|(t, s)| t + s * g.next())
        .collect();
    let w: Vec<f64> = sig.iter().map(|s| 1.0 / (s * s)).collect();
    let fit = pecm.fit_timeseries(&bases, &obs, Some(&w)).unwrap();
    assert!(fit.linear_rate.within(V, 2.0), "{:?}", fit.linear_rate);
    assert!(
        fit.seasonal_amplitude.within(DAMP, 2.0),
        "{:?}",
        fit.seasonal_amplitude
    );
    // Weights are exact inverse variances: the variance of unit weight ≈ 1.
    assert!((fit.stats.sigma2 - 1.0).abs() < 0.3, "{}", fit.stats.sigma2);
    // The unweighted fit is less precise.
    let plain = pecm.fit_timeseries(&bases, &obs, None).unwrap();
    assert!(plain.seasonal_amplitude.sigma > fit.seasonal_amplitude.sigma);
}

/// Pairs with temporal baseline ≤ 40 days plus ~1-year pairs, inside each
/// group of date indices only.
fn network(groups: &[Vec<usize>], dates: &[chrono::NaiveDate]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for g in groups {
        for (a, &i) in g.iter().enumerate() {
            for &j in &g[a + 1..] {
                let dt = (dates[j] - dates[i]).num_days();
                if dt <= 40 || (350..=380).contains(&dt) {
                    pairs.push(Pair::new(i, j));
                }
            }
        }
    }
    pairs
}

#[test]
fn joint_fit_on_a_disconnected_network() {
    let (pecm, _, dates, bases) = setup(johansen_ratio());
    let n = dates.len();
    let truth = pecm.model(&bases, V, DAMP).unwrap();
    // Two groups split by a gap in time: no pair bridges dates 74 → 75.
    let groups = vec![(0..75).collect::<Vec<_>>(), (75..n).collect::<Vec<_>>()];
    let pairs = network(&groups, &dates);
    assert!(pairs
        .iter()
        .all(|p| (p.reference < 75) == (p.secondary < 75)));
    let phase: Vec<f64> = pairs
        .iter()
        .map(|p| {
            displacement_to_phase(
                truth[p.secondary] - truth[p.reference],
                SENTINEL1_WAVELENGTH,
            )
        })
        .collect();
    let joint = pecm
        .fit_interferograms(&bases, &pairs, &phase, None)
        .unwrap();
    assert_eq!(joint.n_components, 2);
    assert!(
        (joint.linear_rate.value - V).abs() < 1e-9,
        "{:?}",
        joint.linear_rate
    );
    assert!((joint.seasonal_amplitude.value - DAMP).abs() < 1e-9);
    assert!(joint.stats.residual_rms < 1e-9);

    // Noisy: per-date noise, interferograms as differences; both fits agree
    // with the truth within their reported 2σ.
    let mut g = Gauss::new(5);
    let noisy: Vec<f64> = truth.iter().map(|t| t + 0.003 * g.next()).collect();
    let phase: Vec<f64> = pairs
        .iter()
        .map(|p| {
            displacement_to_phase(
                noisy[p.secondary] - noisy[p.reference],
                SENTINEL1_WAVELENGTH,
            )
        })
        .collect();
    let joint = pecm
        .fit_interferograms(&bases, &pairs, &phase, None)
        .unwrap();
    let relative: Vec<f64> = noisy.iter().map(|x| x - noisy[0]).collect();
    let series = pecm.fit_timeseries(&bases, &relative, None).unwrap();
    for fit in [&joint.linear_rate, &series.linear_rate] {
        assert!(fit.within(V, 2.0), "{fit:?}");
    }
    for fit in [&joint.seasonal_amplitude, &series.seasonal_amplitude] {
        assert!(fit.within(DAMP, 2.0), "{fit:?}");
    }
    // The residual RMS in metres is the phase RMS scaled by λ/4π.
    let k = SENTINEL1_WAVELENGTH / (4.0 * std::f64::consts::PI);
    assert!((joint.residual_rms_m - joint.stats.residual_rms * k).abs() < 1e-15);
}

#[test]
fn joint_fit_on_interleaved_groups() {
    // Even and odd acquisitions in separate groups (two tracks of a 6-day
    // constellation never paired): a network SBAS cannot invert as one.
    let (pecm, _, dates, bases) = setup(0.15);
    let truth = pecm.model(&bases, V, DAMP).unwrap();
    let groups = vec![
        (0..dates.len()).step_by(2).collect::<Vec<_>>(),
        (1..dates.len()).step_by(2).collect::<Vec<_>>(),
    ];
    let pairs = network(&groups, &dates);
    let phase: Vec<f64> = pairs
        .iter()
        .map(|p| {
            displacement_to_phase(
                truth[p.secondary] - truth[p.reference],
                SENTINEL1_WAVELENGTH,
            )
        })
        .collect();
    let joint = pecm
        .fit_interferograms(&bases, &pairs, &phase, None)
        .unwrap();
    assert_eq!(joint.n_components, 2);
    assert!((joint.linear_rate.value - V).abs() < 1e-9);
    assert!((joint.seasonal_amplitude.value - DAMP).abs() < 1e-9);
}

#[test]
fn reference_in_the_middle_and_free_offset() {
    let (start, t) = site(11);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let dates = sar_dates(d(2015, 10, 3), 150);
    let r0 = johansen_ratio();
    let pecm = Params::new()
        .with_reference(Reference::Date(dates[60]))
        .build()
        .unwrap();
    let bases = pecm.bases(&forcing, &dates, r0).unwrap();
    let truth = pecm.model(&bases, V, DAMP).unwrap();
    assert_eq!(truth[60], 0.0);
    let fit = pecm.fit_timeseries(&bases, &truth, None).unwrap();
    assert_eq!(fit.reference, 60);
    assert!((fit.linear_rate.value - V).abs() < 1e-9);
    // A series referred to nothing in particular (+ 7 mm): the offset model
    // recovers v, d and the offset.
    let shifted: Vec<f64> = truth.iter().map(|x| x + 0.007).collect();
    let free = Params::new().with_offset(true).build().unwrap();
    let fit = free.fit_timeseries(&bases, &shifted, None).unwrap();
    assert!((fit.linear_rate.value - V).abs() < 1e-9);
    assert!((fit.seasonal_amplitude.value - DAMP).abs() < 1e-9);
    let c = fit.offset.unwrap().value;
    // D = c + v·L + d·Î with the truth referred to date 60.
    let l = bases.long_term()[60];
    let s = bases.seasonal()[60];
    assert!((c - (0.007 - V * l - DAMP * s)).abs() < 1e-9, "{c}");
    assert_eq!(
        fit.covariance.names(),
        &["linear_rate", "seasonal_amplitude", "offset"]
    );
}

#[test]
fn lead_in_before_the_first_thaw_onset() {
    let (start, t) = site(11);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let first_onset = forcing.cycles()[0].thaw_onset;
    let dates = sar_dates(d(2015, 1, 10), 150);
    let frozen = Params::new().build().unwrap();
    let bases = frozen.bases(&forcing, &dates, 1.5).unwrap();
    for (i, date) in dates.iter().enumerate().filter(|(_, x)| **x < first_onset) {
        assert_eq!(
            (bases.long_term()[i], bases.seasonal()[i]),
            (0.0, 0.0),
            "{date}"
        );
    }
    let truth = frozen.model(&bases, V, DAMP).unwrap();
    let fit = frozen.fit_timeseries(&bases, &truth, None).unwrap();
    assert!((fit.seasonal_amplitude.value - DAMP).abs() < 1e-9);

    let exclude = Params::new().with_lead_in(LeadIn::Exclude).build().unwrap();
    let bases = exclude.bases(&forcing, &dates, 1.5).unwrap();
    assert!(bases.long_term()[0].is_nan());
    assert!(matches!(
        exclude.fit_timeseries(&bases, &truth, None),
        Err(Error::ReferenceUndefined { .. })
    ));
    let late = Params::new()
        .with_lead_in(LeadIn::Exclude)
        .with_reference(Reference::Index(40))
        .build()
        .unwrap();
    let truth = late.model(&bases, V, DAMP).unwrap();
    let fit = late.fit_timeseries(&bases, &truth, None).unwrap();
    let excluded = dates.iter().filter(|x| **x < first_onset).count();
    assert_eq!(fit.stats.n_obs, 150 - 1 - excluded);
    assert!((fit.linear_rate.value - V).abs() < 1e-9);
}
