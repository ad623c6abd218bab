//! Acceptance (2): thaw/freeze onsets of a noisy sinusoid recovered within
//! one day; ADDT/ADDF exact on a constructed integer series; permafrost
//! years; raster form (all-NaN pixel → NaN, thread-count invariance); errors.

use chrono::{Datelike, NaiveDate, TimeDelta};
use era5_forcing::degree_days::{freeze_thaw, freeze_thaw_raster, FreezeThawRaster};
use era5_forcing::onsets::{detect_onsets, DayBoundary, OnsetParams, OnsetTiming};
use era5_forcing::Error;
use ndarray::Array3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn days(start: NaiveDate, n: usize) -> Vec<NaiveDate> {
    (0..n).map(|i| start + TimeDelta::days(i as i64)).collect()
}

/// Noise-free annual cycle: −3 + 15 sin(2π(t − 100)/365.25) °C, t in days
/// since 1 January 2015.
fn truth(i: usize) -> f64 {
    -3.0 + 15.0 * (2.0 * std::f64::consts::PI * (i as f64 - 100.0) / 365.25).sin()
}

#[test]
fn noisy_sinusoid_onsets_within_one_day() {
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let n = 6 * 365;
    let d = days(start, n);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut t: Vec<f64> = (0..n)
        .map(|i| truth(i) + rng.random_range(-0.25..0.25))
        .collect();
    // A 4-day warm spell 40 days after each winter minimum: too short to count.
    let mut true_min = Vec::new();
    for i in 1..n - 1 {
        if truth(i) < truth(i - 1) && truth(i) <= truth(i + 1) {
            true_min.push(i);
        }
    }
    for &m in &true_min {
        t[m + 40..(m + 44).min(n)].fill(3.0);
    }
    let o = detect_onsets(&d, &t, &OnsetParams::new()).unwrap();

    // Expected: the first day with a positive (negative) noise-free value.
    let mut want_thaw = Vec::new();
    let mut want_freeze = Vec::new();
    for (i, &day) in d.iter().enumerate().skip(1) {
        if truth(i) > 0.0 && truth(i - 1) <= 0.0 {
            want_thaw.push(day);
        }
        if truth(i) < 0.0 && truth(i - 1) >= 0.0 {
            want_freeze.push(day);
        }
    }
    assert_eq!(
        o.thaw.len(),
        want_thaw.len(),
        "{:?} vs {want_thaw:?}",
        o.thaw
    );
    assert_eq!(
        o.freeze.len(),
        want_freeze.len(),
        "{:?} vs {want_freeze:?}",
        o.freeze
    );
    for (a, b) in o
        .thaw
        .iter()
        .zip(&want_thaw)
        .chain(o.freeze.iter().zip(&want_freeze))
    {
        assert!((*a - *b).num_days().abs() <= 1, "onset {a} vs true {b}");
    }
    // Coldest periods near the true minima.
    // (The first and last winters are cut by the data: their "coldest
    // period" is the first or last day with a running mean.)
    for c in o
        .coldest
        .iter()
        .filter(|c| (**c - d[0]).num_days() > 20 && (d[n - 1] - **c).num_days() > 20)
    {
        assert!(
            true_min.iter().any(|&m| (*c - d[m]).num_days().abs() <= 3),
            "coldest {c}"
        );
    }
    // Mean onsets: the thaw crossing of this cycle is at day of year ≈ 112.
    let mean_true = want_thaw
        .iter()
        .map(|x| f64::from(chrono::Datelike::ordinal(x)))
        .sum::<f64>()
        / want_thaw.len() as f64;
    assert!(
        (o.mean_thaw_doy - mean_true).abs() < 1.5,
        "{} vs {mean_true}",
        o.mean_thaw_doy
    );

    // Permafrost years: from one thaw onset to the next, the last incomplete.
    let ft = freeze_thaw(&d, &t, &[d[n - 1]], &OnsetParams::new()).unwrap();
    assert_eq!(ft.years.len(), o.thaw.len());
    assert!(ft.years[..ft.years.len() - 1].iter().all(|y| y.complete));
    assert!(!ft.years.last().unwrap().complete);
    for y in &ft.years {
        assert!(y.freeze_onset.is_some());
        assert!(
            !y.complete || (y.max_ddt > 1000.0 && y.max_ddf > 1000.0),
            "{y:?}"
        );
        assert!((y.ddt_ddf_ratio - y.max_ddt / y.max_ddf).abs() < 1e-12);
    }
}

/// One 365-day cycle of integers: −10 (days 0–119), +4 (120–269, +7 on
/// day 200), −6 (270–364). Thaw onset on day 120, freeze onset on day 270.
fn integer_cycle(i: usize) -> f64 {
    match i % 365 {
        0..=119 => -10.0,
        200 => 7.0,
        120..=269 => 4.0,
        _ => -6.0,
    }
}

/// ADDT and ADDF by hand at the end of day `i` (≥ 120) of the integer series.
fn expected_end_of_day(i: usize) -> (f64, f64) {
    let c = (i - 120) / 365; // cycle index
    let m = i - 120 - 365 * c; // days since the thaw onset
    let addt = if m < 150 {
        4.0 * (m + 1) as f64 + if m >= 80 { 3.0 } else { 0.0 }
    } else {
        603.0
    };
    let addf = if m < 150 {
        0.0
    } else if m < 245 {
        6.0 * (m - 149) as f64
    } else {
        570.0 + 10.0 * (m - 244) as f64
    };
    (addt, addf)
}

/// … and at 00:00 of day `i`: the end of the day before, 0 on a thaw onset.
fn expected_start_of_day(i: usize) -> (f64, f64) {
    if (i - 120) % 365 == 0 {
        (0.0, 0.0)
    } else {
        expected_end_of_day(i - 1)
    }
}

#[test]
fn constructed_integer_series_gives_exact_addt_addf() {
    let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    let n = 3 * 365;
    let d = days(start, n);
    let t: Vec<f64> = (0..n).map(integer_cycle).collect();
    // Every 5th day: onsets (days 120, 270, 485, …) are among them.
    let sar: Vec<NaiveDate> = (0..n).step_by(5).map(|i| d[i]).collect();
    for boundary in [DayBoundary::StartOfDay, DayBoundary::EndOfDay] {
        let p = OnsetParams::new().with_day_boundary(boundary);
        let ft = freeze_thaw(&d, &t, &sar, &p).unwrap();
        assert_eq!(ft.onsets.thaw, vec![d[120], d[485], d[850]]);
        assert_eq!(ft.onsets.freeze, vec![d[270], d[635], d[1000]]);
        for (k, &date) in sar.iter().enumerate() {
            let i = (date - start).num_days() as usize;
            if i < 120 {
                assert!(ft.on_dates.addt[k].is_nan() && ft.on_dates.addf[k].is_nan());
                assert_eq!(ft.on_dates.cycle[k], None);
                continue;
            }
            let (addt, addf) = match boundary {
                DayBoundary::StartOfDay => expected_start_of_day(i),
                _ => expected_end_of_day(i),
            };
            assert_eq!(ft.on_dates.addt[k], addt, "ADDT on {date} ({boundary:?})");
            assert_eq!(ft.on_dates.addf[k], addf, "ADDF on {date} ({boundary:?})");
            assert_eq!(ft.on_dates.cycle[k], Some((i - 120) / 365));
        }
        // The cycle totals do not depend on the convention.
        assert_eq!((ft.years[0].max_ddt, ft.years[0].max_ddf), (603.0, 1770.0));
    }
    let ft = freeze_thaw(&d, &t, &sar, &OnsetParams::new()).unwrap();
    assert_eq!(ft.addt[120], 0.0);
    assert_eq!(ft.addf[270], 0.0);
    let y = &ft.years[0];
    assert_eq!((y.max_ddt, y.max_ddf), (603.0, 1770.0));
    assert_eq!(y.ddt_ddf_ratio, 603.0 / 1770.0);
    assert_eq!(y.last_day, d[484]);
    assert_eq!(y.number, 1);
    assert_eq!(ft.years[1].number, 2);
    assert!(y.complete && ft.years[1].complete && !ft.years[2].complete);

    // Constant onsets (the study's assumption): identical for this series.
    let mean = freeze_thaw(
        &d,
        &t,
        &sar,
        &OnsetParams::new().with_onset_timing(OnsetTiming::MeanOverYears),
    )
    .unwrap();
    let offsets: Vec<i64> = mean
        .years
        .iter()
        .map(|y| (y.thaw_onset - start).num_days() % 365)
        .collect();
    assert!(offsets.iter().all(|&o| (o - 120).abs() <= 1), "{offsets:?}");
}

#[test]
fn series_starting_inside_a_thaw_season_starts_no_cycle_there() {
    let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + TimeDelta::days(150);
    let n = 2 * 365;
    let d = days(start, n);
    let t: Vec<f64> = (150..150 + n).map(integer_cycle).collect();
    let ft = freeze_thaw(&d, &t, &[], &OnsetParams::new()).unwrap();
    // The first thaw onset is the one after the first winter (index 485 − 150).
    assert_eq!(ft.onsets.thaw.first(), Some(&d[335]));
    // The freeze onset of the partial first year is still found.
    assert_eq!(ft.onsets.freeze.first(), Some(&d[120]));
    assert!(ft.addt[..335].iter().all(|v| v.is_nan()));
}

/// A site that barely thaws: the annual cycle peaks at −2 °C, and a 7-day
/// warm spell of +2 °C from 10 July is the whole thaw season, so the warmest
/// 31-day mean stays below 0 °C. Each thaw onset's cycle must still be
/// closed by a freeze onset (the day after the spell), or the following
/// winter would count no freezing degree days.
#[test]
fn barely_thawing_site_closes_every_cycle() {
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    // Through February 2019: the last cycle's data reach its winter.
    let n = 4 * 365 + 1 + 59;
    let d = days(start, n);
    let mut t: Vec<f64> = d
        .iter()
        .map(|day| {
            let x = f64::from(day.ordinal0()) - 190.0;
            -12.0 + 10.0 * (2.0 * std::f64::consts::PI * x / 365.25).cos()
        })
        .collect();
    let spells: Vec<usize> = (2015..2019)
        .map(|y| (NaiveDate::from_ymd_opt(y, 7, 10).unwrap() - start).num_days() as usize)
        .collect();
    for &s in &spells {
        t[s..s + 7].fill(2.0);
    }
    let ft = freeze_thaw(&d, &t, &[], &OnsetParams::new()).unwrap();
    let thaw: Vec<NaiveDate> = spells.iter().map(|&s| d[s]).collect();
    let freeze: Vec<NaiveDate> = spells.iter().map(|&s| d[s + 7]).collect();
    assert_eq!(ft.onsets.thaw, thaw);
    assert_eq!(ft.onsets.freeze, freeze);
    // The warmest periods stayed below 0 °C: no freeze onset came from them.
    assert!(ft.onsets.warmest.is_empty(), "{:?}", ft.onsets.warmest);
    for y in &ft.years {
        assert_eq!(y.freeze_onset, Some(y.thaw_onset + TimeDelta::days(7)));
        assert!((y.max_ddt - 14.0).abs() < 1e-9, "{y:?}");
        if y.complete {
            // Every day from the freeze onset to the next thaw onset is below 0.
            let (a, b) = (
                (y.freeze_onset.unwrap() - start).num_days() as usize,
                (y.next_thaw_onset.unwrap() - start).num_days() as usize,
            );
            let expected: f64 = t[a..b].iter().map(|v| -v).sum();
            assert!((y.max_ddf - expected).abs() < 1e-9 * expected, "{y:?}");
            assert!(y.max_ddf > 3000.0);
        }
    }
    // The last cycle is open but its data reach the next winter's coldest
    // day; cut the data before that and it keeps no freeze onset.
    assert!(!ft.years.last().unwrap().complete);
    let cut = (NaiveDate::from_ymd_opt(2018, 12, 31).unwrap() - start).num_days() as usize;
    let short = freeze_thaw(&d[..cut], &t[..cut], &[], &OnsetParams::new()).unwrap();
    assert_eq!(short.onsets.thaw, thaw);
    assert_eq!(short.onsets.freeze, freeze[..3]);
}

fn raster_input() -> (Vec<NaiveDate>, Array3<f64>) {
    let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    let n = 3 * 365;
    let d = days(start, n);
    let a = Array3::from_shape_fn((n, 2, 3), |(i, r, c)| match (r, c) {
        (1, 2) => f64::NAN,                // all-NaN pixel
        (0, 1) => integer_cycle(i + 10),   // onsets 10 days earlier
        (1, 0) => integer_cycle(i) + 20.0, // never freezes
        _ => integer_cycle(i) + 0.5 * r as f64 - 0.25 * c as f64,
    });
    (d, a)
}

#[test]
fn raster_matches_pixels_and_marks_nan_pixels() {
    let (d, a) = raster_input();
    let sar: Vec<NaiveDate> = (0..d.len()).step_by(24).map(|i| d[i]).collect();
    let p = OnsetParams::new();
    let r = freeze_thaw_raster(&d, a.view(), &sar, &p).unwrap();
    assert_eq!(r.years, vec![2018, 2019, 2020]);
    for row in 0..2 {
        for col in 0..3 {
            let series: Vec<f64> = a.slice(ndarray::s![.., row, col]).to_vec();
            let ft = freeze_thaw(&d, &series, &sar, &p).unwrap();
            for (k, (x, y)) in ft
                .on_dates
                .addt
                .iter()
                .zip(r.addt.slice(ndarray::s![.., row, col]))
                .enumerate()
            {
                assert!(
                    x == y || (x.is_nan() && y.is_nan()),
                    "({row},{col}) date {k}"
                );
            }
            assert_eq!(
                ft.years.len(),
                r.complete
                    .slice(ndarray::s![.., row, col])
                    .iter()
                    .filter(|v| !v.is_nan())
                    .count()
            );
        }
    }
    // All-NaN and never-freezing pixels: NaN everywhere.
    for (row, col) in [(1, 2), (1, 0)] {
        assert!(r.mean_thaw_doy[[row, col]].is_nan());
        assert!(r
            .addt
            .slice(ndarray::s![.., row, col])
            .iter()
            .all(|v| v.is_nan()));
        assert!(r
            .max_ddt
            .slice(ndarray::s![.., row, col])
            .iter()
            .all(|v| v.is_nan()));
    }
    assert_eq!(r.thaw_onset_doy[[0, 0, 0]], 121.0);
    assert_eq!(r.thaw_onset_doy[[0, 0, 1]], 111.0);
    assert_eq!(r.max_ddt[[0, 0, 0]], 603.0);
    assert_eq!(r.cycle_number[[sar.len() - 1, 0, 0]], 3.0);
}

#[test]
fn raster_results_do_not_depend_on_the_thread_count() {
    let (d, a) = raster_input();
    let sar = vec![d[300], d[700]];
    let run = |threads: usize| -> FreezeThawRaster {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| freeze_thaw_raster(&d, a.view(), &sar, &OnsetParams::new()).unwrap())
    };
    let (one, three) = (run(1), run(3));
    let bits = |x: &Array3<f64>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.addt), bits(&three.addt));
    assert_eq!(bits(&one.addf), bits(&three.addf));
    assert_eq!(bits(&one.max_ddf), bits(&three.max_ddf));
}

#[test]
fn bad_input_is_refused() {
    let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    let d = days(start, 400);
    let t = vec![1.0; 400];
    let err = freeze_thaw(&d, &t, &[start - TimeDelta::days(1)], &OnsetParams::new()).unwrap_err();
    assert!(
        matches!(err, Error::DateOutsideData { index: 0, .. }),
        "{err}"
    );
    let mut gap = d.clone();
    gap.remove(10);
    let err = detect_onsets(&gap, &t[..399], &OnsetParams::new()).unwrap_err();
    assert!(
        matches!(err, Error::NotConsecutive { index: 10, .. }),
        "{err}"
    );
    assert!(OnsetParams::new().with_window_days(30).build().is_err());
    assert!(detect_onsets(&d, &t[..3], &OnsetParams::new()).is_err());
}
