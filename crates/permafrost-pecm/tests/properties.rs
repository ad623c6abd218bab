//! Properties of the bases over random temperature histories and ratios:
//! "the PECM index closes every cycle", the normalised index reaches −1 on
//! average over complete cycles, L is continuous, non-decreasing and
//! piecewise linear (linear over each thaw season, flat after it), and
//! noise-free planted models are recovered.

mod common;

use chrono::{Days, NaiveDate};
use common::{d, temperature};
use permafrost_pecm::{Bases, Error, Forcing, OnsetMode, OnsetParams, Params, StefanIndex};
use proptest::prelude::*;

struct Case {
    forcing: Forcing,
    dates: Vec<NaiveDate>,
    bases: Bases,
    r0: f64,
}

/// A random site; `None` only when its climate has no thaw season at all
/// (any other failure fails the test).
#[allow(clippy::too_many_arguments)]
fn case(
    seed: u64,
    offset: u64,
    years: usize,
    mean: f64,
    amp: f64,
    noise: f64,
    r0: f64,
    mean_doy: bool,
) -> Option<Case> {
    let start = d(2014, 1, 1) + Days::new(offset);
    let t = temperature(seed, start, years * 365, mean, amp, noise);
    let mode = if mean_doy {
        OnsetMode::MeanDayOfYear
    } else {
        OnsetMode::PerYear
    };
    let forcing =
        match Forcing::from_daily_temperature(start, &t, &OnsetParams::new().with_mode(mode)) {
            Err(Error::NoCycle) => return None,
            other => other.unwrap(),
        };
    // Bases on every daily sample.
    let dates = forcing.dates().to_vec();
    let bases = Params::new()
        .build()
        .unwrap()
        .bases(&forcing, &dates, r0)
        .unwrap();
    Some(Case {
        forcing,
        dates,
        bases,
        r0,
    })
}

/// The cycle index of each date (`None` before the first thaw onset).
fn cycle_of(c: &Case) -> Vec<Option<usize>> {
    let cycles = c.forcing.cycles();
    c.dates
        .iter()
        .map(|date| {
            let k = cycles.partition_point(|cy| cy.thaw_onset <= *date);
            (k > 0).then(|| k - 1)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn the_pecm_index_closes_every_cycle(
        seed in 0u64..10_000, offset in 0u64..365, years in 3usize..7,
        mean in -8.0f64..-1.0, amp in 9.0f64..18.0, noise in 0.5f64..4.0,
        r0 in 0.05f64..4.0, mean_doy in any::<bool>(),
    ) {
        let Some(c) = case(seed, offset, years, mean, amp, noise, r0, mean_doy) else {
            return Ok(());
        };
        let raw = c.bases.seasonal_raw();
        let of = cycle_of(&c);
        for (k, (cy, rec)) in c.forcing.cycles().iter().zip(c.bases.cycles()).enumerate() {
            if !cy.is_complete() {
                prop_assert!(!rec.adjusted);
                continue;
            }
            // Closed exactly at the cycle's end, adjusted exactly when r₀ fails.
            prop_assert_eq!(rec.end_index, 0.0);
            prop_assert_eq!(rec.adjusted, c.r0 * cy.addf_end < cy.addt_end);
            if rec.adjusted {
                let needed = cy.addt_end / cy.addf_end;
                prop_assert!(rec.ratio >= needed && (rec.ratio - needed) / needed < 1e-15);
            } else {
                prop_assert_eq!(rec.ratio, c.r0);
            }
            // Zero at the next thaw onset; once refrozen, held at zero.
            let next = c.forcing.sample_index(cy.next_thaw_onset.unwrap()).unwrap();
            prop_assert_eq!(raw[next], 0.0);
            let idx: Vec<usize> = (0..c.dates.len()).filter(|&i| of[i] == Some(k)).collect();
            let mut closed = false;
            for &i in &idx {
                prop_assert!(raw[i] <= 0.0, "index {} > 0 on {}", raw[i], c.dates[i]);
                if closed {
                    prop_assert_eq!(raw[i], 0.0);
                }
                if raw[i] == 0.0 && c.dates[i] > rec.freeze_onset {
                    closed = true;
                }
            }
            prop_assert_eq!(raw[idx[0]], 0.0, "zero at the thaw onset");
        }
    }

    #[test]
    fn normalised_index_reaches_minus_one_on_average(
        seed in 0u64..10_000, offset in 0u64..365, years in 3usize..7,
        mean in -8.0f64..-1.0, amp in 9.0f64..18.0, noise in 0.5f64..4.0,
        r0 in 0.05f64..4.0,
    ) {
        let Some(c) = case(seed, offset, years, mean, amp, noise, r0, false) else {
            return Ok(());
        };
        let s = c.bases.seasonal();
        let of = cycle_of(&c);
        let mut minima = Vec::new();
        for (k, rec) in c.bases.cycles().iter().enumerate() {
            if rec.covered {
                let m = (0..s.len()).filter(|&i| of[i] == Some(k)).map(|i| s[i]).fold(f64::INFINITY, f64::min);
                prop_assert!((m + rec.peak / c.bases.normaliser()).abs() < 1e-12);
                minima.push(m);
            }
        }
        prop_assert!(c.bases.normaliser_from_complete());
        prop_assert_eq!(minima.len(), c.bases.normaliser_cycles());
        let mean_min = minima.iter().sum::<f64>() / minima.len() as f64;
        prop_assert!((mean_min + 1.0).abs() < 1e-12, "mean minimum {}", mean_min);
        // The Stefan index is normalised the same way.
        let st = Params::new().build().unwrap().bases_with(&StefanIndex, &c.forcing, &c.dates, c.r0).unwrap();
        let mut mins = Vec::new();
        for (k, rec) in st.cycles().iter().enumerate() {
            if rec.covered {
                mins.push((0..s.len()).filter(|&i| of[i] == Some(k)).map(|i| st.seasonal()[i]).fold(f64::INFINITY, f64::min));
            }
        }
        prop_assert!((mins.iter().sum::<f64>() / mins.len() as f64 + 1.0).abs() < 1e-12);
    }

    #[test]
    fn long_term_basis_is_continuous_and_non_decreasing(
        seed in 0u64..10_000, offset in 0u64..365, years in 3usize..7,
        mean in -8.0f64..-1.0, amp in 9.0f64..18.0, noise in 0.5f64..4.0,
        mean_doy in any::<bool>(),
    ) {
        let Some(c) = case(seed, offset, years, mean, amp, noise, 1.0, mean_doy) else {
            return Ok(());
        };
        let l = c.bases.long_term();
        let shortest = c.bases.cycles().iter()
            .map(|r| (r.freeze_onset - r.thaw_onset).num_days())
            .min().unwrap() as f64;
        for i in 1..l.len() {
            let step = l[i] - l[i - 1];
            prop_assert!(step >= 0.0, "L decreases on {}", c.dates[i]);
            prop_assert!(step <= 1.0 / shortest + 1e-12, "L jumps by {} on {}", step, c.dates[i]);
        }
        for rec in c.bases.cycles() {
            let i = c.forcing.sample_index(rec.thaw_onset).unwrap();
            prop_assert!((l[i] - (rec.number - 1) as f64).abs() < 1e-12);
            if let Some(j) = c.forcing.sample_index(rec.freeze_onset) {
                prop_assert!((l[j] - rec.number as f64).abs() < 1e-12);
            }
        }
        // Piecewise linear: one slope over each thaw season (zero second
        // differences on the daily samples), flat at T from the freeze onset
        // to the next thaw onset.
        let recs = c.bases.cycles();
        for (k, rec) in recs.iter().enumerate() {
            let next = recs.get(k + 1).map(|r| r.thaw_onset);
            for i in 1..l.len() - 1 {
                let (a, b, e) = (c.dates[i - 1], c.dates[i], c.dates[i + 1]);
                if a >= rec.thaw_onset && e <= rec.freeze_onset {
                    let second = l[i + 1] - 2.0 * l[i] + l[i - 1];
                    prop_assert!(second.abs() < 1e-12, "L bends on {} inside a thaw season", b);
                }
                if b >= rec.freeze_onset && next.is_none_or(|n| b <= n) {
                    prop_assert!((l[i] - rec.number as f64).abs() < 1e-12, "L not flat on {}", b);
                }
            }
        }
        // Before the first thaw onset (lead-in) L = 0.
        let first = c.forcing.cycles()[0].thaw_onset;
        for (i, date) in c.dates.iter().enumerate() {
            if *date < first {
                prop_assert_eq!(l[i], 0.0);
            }
        }
    }

    #[test]
    fn planted_models_are_recovered(
        seed in 0u64..10_000, offset in 0u64..365, years in 3usize..7,
        r0 in 0.05f64..4.0, v in -0.02f64..0.02, amp in 0.0f64..0.08,
        first in 0u64..200,
    ) {
        let start = d(2014, 1, 1) + Days::new(offset);
        let t = temperature(seed, start, years * 365, -4.0, 14.0, 2.5);
        let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
        let n = ((years * 365 - first as usize - 5) / 12).min(150);
        let dates: Vec<NaiveDate> = (0..n as u64).map(|i| start + Days::new(first + 12 * i)).collect();
        let pecm = Params::new().build().unwrap();
        let bases = pecm.bases(&forcing, &dates, r0).unwrap();
        let truth = pecm.model(&bases, v, amp).unwrap();
        let fit = pecm.fit_timeseries(&bases, &truth, None).unwrap();
        prop_assert!((fit.linear_rate.value - v).abs() < 1e-9);
        prop_assert!((fit.seasonal_amplitude.value - amp).abs() < 1e-9);
    }
}

/// Regression (found by `planted_models_are_recovered`): a series that
/// starts in summer (15 June) once produced a spurious autumn "thaw onset"
/// from the partial winter window, and a cycle that could not close.
#[test]
fn regression_series_starting_in_summer() {
    let start = d(2014, 1, 1) + Days::new(165);
    let t = temperature(736, start, 3 * 365, -4.0, 14.0, 2.5);
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    assert!(
        forcing.cycles()[0].thaw_onset > d(2015, 3, 1),
        "{:?}",
        forcing.cycles()[0]
    );
    let dates: Vec<NaiveDate> = (0..80u64).map(|i| start + Days::new(12 * i)).collect();
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&forcing, &dates, 0.05).unwrap();
    let truth = pecm.model(&bases, 0.01, 0.03).unwrap();
    let fit = pecm.fit_timeseries(&bases, &truth, None).unwrap();
    assert!((fit.seasonal_amplitude.value - 0.03).abs() < 1e-9);
}

/// Regression (found by `normalised_index_reaches_minus_one_on_average`): on
/// a site that barely thaws, the warmest 31-day mean of 2015 stays below
/// 0 °C although weather gives a 5-day thaw run in July; the thaw season had
/// no freeze onset and its cycle could not be closed. The freeze onset is
/// now the first 5-day run below 0 °C after the thaw onset.
#[test]
fn regression_cold_site_that_barely_thaws() {
    let start = d(2014, 1, 1) + Days::new(310);
    let t = temperature(
        3209,
        start,
        3 * 365,
        -7.887_997_694_183_976,
        9.0,
        3.378_254_192_026_125,
    );
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    for cy in forcing.cycles() {
        let f = cy
            .freeze_onset
            .expect("every thaw season has a freeze onset");
        assert!(f > cy.thaw_onset);
        if cy.is_complete() {
            assert!(cy.addf_end > 0.0, "{cy:?}");
        }
    }
    let dates: Vec<NaiveDate> = (0..80u64).map(|i| start + Days::new(12 * i)).collect();
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(&forcing, &dates, 0.05).unwrap();
    let truth = pecm.model(&bases, -0.003, 0.01).unwrap();
    let fit = pecm.fit_timeseries(&bases, &truth, None).unwrap();
    assert!((fit.seasonal_amplitude.value - 0.01).abs() < 1e-9);
}
