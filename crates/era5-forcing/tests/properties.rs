//! Properties: de-/re-accumulation are inverse; degree days are ≥ 0 and
//! their difference is the daily mean; ADDT and ADDF never decrease within
//! a permafrost year; merging does not depend on the input order; remapping
//! onto the source grid is the identity and IDW stays within its inputs.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use era5_forcing::accumulate::{deaccumulate, reaccumulate, Accumulation};
use era5_forcing::daily::{daily_degree_days, daily_mean, DailyParams};
use era5_forcing::degree_days::freeze_thaw;
use era5_forcing::field::{Era5Field, Grid};
use era5_forcing::merge::merge_time;
use era5_forcing::onsets::OnsetParams;
use era5_forcing::regrid::{RegridMethod, Regridder};
use ndarray::{Array2, Array3};
use proptest::prelude::*;

fn hourly_from(hour: u32, n: usize) -> Vec<NaiveDateTime> {
    let t0 = NaiveDate::from_ymd_opt(2020, 2, 27)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap();
    (0..n).map(|h| t0 + TimeDelta::hours(h as i64)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deaccumulation_and_reaccumulation_are_inverse(inc in prop::collection::vec(0.0f64..0.01, 1..120)) {
        let n = inc.len();
        let times = hourly_from(1, n.max(2));
        let mut inc = inc;
        inc.resize(times.len(), 0.0);
        let x = Array3::from_shape_vec((times.len(), 1, 1), inc).unwrap();
        let acc = reaccumulate(x.view(), &times, Accumulation::SinceMidnight).unwrap();
        let back = deaccumulate(acc.view(), &times, Accumulation::SinceMidnight).unwrap();
        for (a, b) in back.iter().zip(x.iter()) {
            prop_assert!((a - b).abs() < 1e-12);
        }
        let again = reaccumulate(back.view(), &times, Accumulation::SinceMidnight).unwrap();
        for (a, b) in again.iter().zip(acc.iter()) {
            prop_assert!((a - b).abs() < 1e-12);
        }
        // The value stamped 00 UTC is the total of the 24 increments before it.
        if times.len() >= 24 {
            let s: f64 = x.iter().take(24).sum();
            prop_assert!((acc[[23, 0, 0]] - s).abs() < 1e-12);
        }
    }

    #[test]
    fn degree_days_are_nonnegative_and_differ_by_the_mean(t in prop::collection::vec(-30.0f64..30.0, 48)) {
        let times = hourly_from(0, 48);
        let x = Array3::from_shape_vec((48, 1, 1), t).unwrap();
        let dd = daily_degree_days(x.view(), &times, &DailyParams::new()).unwrap();
        let m = daily_mean(x.view(), &times, &DailyParams::new()).unwrap();
        for d in 0..2 {
            let (a, b) = (dd.thawing[[d, 0, 0]], dd.freezing[[d, 0, 0]]);
            prop_assert!(a >= 0.0 && b >= 0.0);
            prop_assert!((a - b - m.values[[d, 0, 0]]).abs() < 1e-9);
            prop_assert!(a >= m.values[[d, 0, 0]].max(0.0) - 1e-12);
        }
    }

    #[test]
    fn addt_and_addf_never_decrease_within_a_year(
        amp in 5.0f64..25.0,
        mean in -8.0f64..4.0,
        noise in prop::collection::vec(-3.0f64..3.0, 3 * 365),
    ) {
        let start = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
        let n = noise.len();
        let dates: Vec<NaiveDate> = (0..n).map(|i| start + TimeDelta::days(i as i64)).collect();
        let t: Vec<f64> = (0..n)
            .map(|i| mean + amp * (2.0 * std::f64::consts::PI * (i as f64 - 110.0) / 365.25).sin() + noise[i])
            .collect();
        let ft = freeze_thaw(&dates, &t, &[], &OnsetParams::new()).unwrap();
        for (i, &date) in dates.iter().enumerate().skip(1) {
            if ft.cycle[i].is_some() && ft.cycle[i] == ft.cycle[i - 1] {
                prop_assert!(ft.addt[i] >= ft.addt[i - 1]);
                prop_assert!(ft.addf[i] >= ft.addf[i - 1]);
            }
            if let Some(k) = ft.cycle[i] {
                prop_assert!(ft.addt[i] >= 0.0);
                prop_assert_eq!(ft.addt[i] == 0.0, date == ft.years[k].thaw_onset);
                let y = &ft.years[k];
                if y.freeze_onset.is_none_or(|f| date < f) {
                    prop_assert_eq!(ft.addf[i], 0.0);
                }
            }
        }
        for y in &ft.years {
            prop_assert!(y.thaw_onset < y.next_thaw_onset.unwrap_or(dates[n - 1] + TimeDelta::days(1)));
        }
    }

    #[test]
    fn merging_does_not_depend_on_the_order(split in 1usize..47, overlap in 0usize..5, swap in any::<bool>()) {
        let times = hourly_from(0, 48);
        let data = Array3::from_shape_fn((48, 1, 2), |(h, _, c)| h as f64 * 0.5 - c as f64);
        let g = Grid::regular(vec![0.0], vec![0.0, 1.0]).unwrap();
        let piece = |a: usize, b: usize| {
            Era5Field::new("t2m", "degC", times[a..b].to_vec(), g.clone(), data.slice(ndarray::s![a..b, .., ..]).to_owned()).unwrap()
        };
        let (p, q) = (piece(0, (split + overlap).min(48)), piece(split, 48));
        let m = if swap { merge_time(&[q, p], 0.0) } else { merge_time(&[p, q], 0.0) }.unwrap();
        prop_assert_eq!(&m.times, &times);
        prop_assert_eq!(&m.data, &data);
    }

    #[test]
    fn remap_onto_the_source_grid_and_idw_bounds(vals in prop::collection::vec(-50.0f64..50.0, 12), lat in 40.0f64..70.0, lon in -20.0f64..20.0) {
        let src = Grid::regular(vec![40.0, 50.0, 60.0, 70.0], vec![-20.0, 0.0, 20.0]).unwrap();
        let x = Array2::from_shape_vec((4, 3), vals).unwrap();
        let nn = Regridder::new(&src, &src, RegridMethod::Nearest).unwrap();
        prop_assert_eq!(nn.apply_2d(x.view()).unwrap(), x.clone());
        let tgt = Grid::points(vec![lat], vec![lon]).unwrap();
        let idw = Regridder::new(&src, &tgt, RegridMethod::REMAPDIS).unwrap();
        let w = idw.weights_of(0, 0);
        prop_assert_eq!(w.len(), 4);
        prop_assert!((w.iter().map(|x| x.1).sum::<f64>() - 1.0).abs() < 1e-12);
        let v = idw.apply_2d(x.view()).unwrap()[[0, 0]];
        let used: Vec<f64> = w.iter().map(|((r, c), _)| x[[*r, *c]]).collect();
        let (lo, hi) = used.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &y| (a.min(y), b.max(y)));
        prop_assert!(v >= lo - 1e-9 && v <= hi + 1e-9);
    }
}
