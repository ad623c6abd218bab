//! Period products on constructed ERA5-Land-like hourly fields with known
//! answers, metadata, and the refusals (period outside the data, missing
//! input, monthly input where daily values are needed).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use era5_forcing::field::{Era5Field, Grid};
use era5_forcing::period::{period_product, period_products, PeriodParams, ProductKind};
use era5_forcing::time::Period;
use era5_forcing::Error;
use ndarray::Array3;

const DAYS: usize = 10;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 6, d).unwrap()
}

/// Hourly stamps 01 UTC of 1 June … 00 UTC of 11 June (complete days for
/// accumulations and, but for 00 UTC of 1 June, for states too).
fn hours() -> Vec<NaiveDateTime> {
    let t0 = day(1).and_hms_opt(1, 0, 0).unwrap();
    (0..24 * DAYS)
        .map(|h| t0 + TimeDelta::hours(h as i64))
        .collect()
}

fn grid() -> Grid {
    Grid::regular(vec![60.0, 60.1], vec![10.0, 10.1]).unwrap()
}

/// An instantaneous field from f(day index of the stamp, hour, row, col).
fn state(name: &str, units: &str, f: impl Fn(usize, u32, usize, usize) -> f64) -> Era5Field {
    let times = hours();
    let data = Array3::from_shape_fn((times.len(), 2, 2), |(k, r, c)| {
        let t = times[k];
        f(
            (t.date() - day(1)).num_days() as usize,
            chrono::Timelike::hour(&t),
            r,
            c,
        )
    });
    Era5Field::new(name, units, times, grid(), data).unwrap()
}

/// An ERA5-Land accumulated field (from 00 UTC) whose hourly increment on
/// day index d is rate(d, row, col).
fn accumulated(name: &str, units: &str, rate: impl Fn(usize, usize, usize) -> f64) -> Era5Field {
    let times = hours();
    let mut data = Array3::<f64>::zeros((times.len(), 2, 2));
    for r in 0..2 {
        for c in 0..2 {
            let mut acc = 0.0;
            for (k, t) in times.iter().enumerate() {
                let start = *t - TimeDelta::hours(1);
                if chrono::Timelike::hour(&start) == 0 {
                    acc = 0.0;
                }
                acc += rate((start.date() - day(1)).num_days() as usize, r, c);
                data[[k, r, c]] = acc;
            }
        }
    }
    Era5Field::new(name, units, times, grid(), data).unwrap()
}

fn inputs() -> Vec<Era5Field> {
    vec![
        // skt in K: +2 °C on days 0–4, −1 °C after; stl1 alternates ±3 °C by hour.
        state("skt", "K", |d, _, r, _| {
            273.15 + if d < 5 { 2.0 + r as f64 } else { -1.0 }
        }),
        state(
            "stl1",
            "degC",
            |_, h, _, _| if h % 2 == 0 { 3.0 } else { -3.0 },
        ),
        // snow: 0.05 m on days 0–2, 0 after (a daily mean of 0.005 on day 3).
        state("sd", "m of water equivalent", |d, h, _, _| match d {
            0..=2 => 0.05,
            3 if h < 3 => 0.04,
            _ => 0.0,
        }),
        state("swvl1", "m**3 m**-3", |d, _, _, c| {
            0.2 + 0.01 * d as f64 + 0.1 * c as f64
        }),
        accumulated("tp", "m", |_, _, _| 0.001),
        accumulated("sf", "m of water equivalent", |d, _, _| {
            if d < 2 {
                0.0005
            } else {
                0.0
            }
        }),
        accumulated("ro", "m", |d, r, _| {
            1e-4 * (d as f64 + 1.0) * (r as f64 + 1.0)
        }),
        accumulated(
            "ssr",
            "J m**-2",
            |d, _, _| if d == 4 { 0.0 } else { 1000.0 },
        ),
        accumulated("str", "J m**-2", |_, _, _| -300.0),
        accumulated("sshf", "J m**-2", |_, _, _| -200.0),
        accumulated("slhf", "J m**-2", |_, _, _| -100.0),
    ]
}

fn value(kind: ProductKind, period: &Period) -> ndarray::Array2<f64> {
    period_product(kind, &inputs(), period, &PeriodParams::new())
        .unwrap()
        .values
}

#[test]
fn products_with_known_values() {
    let p = Period::new(day(2), day(8)).unwrap(); // day indices 1..=7, 7 days
                                                  // TDD: days 1–4 at 2 + row °C, days 5–7 frozen.
    let tdd = value(ProductKind::TddSkt, &p);
    assert!((tdd[[0, 0]] - 8.0).abs() < 1e-9 && (tdd[[1, 1]] - 12.0).abs() < 1e-9);
    // Hourly degree days, not from the daily mean (which is 0): 1.5 °C·day per day.
    assert!((value(ProductKind::TddStl1, &p)[[0, 1]] - 10.5).abs() < 1e-9);
    // Snow days: days 1 and 2 (day 3 has a mean of 0.005 m < 0.01 m).
    assert_eq!(value(ProductKind::SnowDays, &p)[[1, 0]], 2.0);
    let lax = period_product(
        ProductKind::SnowDays,
        &inputs(),
        &p,
        &PeriodParams::new().with_snow_depth_threshold(0.001),
    )
    .unwrap();
    assert_eq!(lax.values[[1, 0]], 3.0);
    assert!((value(ProductKind::Precipitation, &p)[[0, 0]] - 7.0 * 0.024).abs() < 1e-12);
    assert!((value(ProductKind::Snowfall, &p)[[0, 0]] - 0.012).abs() < 1e-12);
    let ro = value(ProductKind::Runoff, &p);
    assert!((ro[[1, 0]] - 2.0 * 24.0 * 1e-4 * (2..=8).sum::<usize>() as f64).abs() < 1e-12);
    let romax = value(ProductKind::RunoffDailyMax, &p);
    assert!((romax[[0, 1]] - 24.0 * 1e-4 * 8.0).abs() < 1e-12);
    let sw = value(ProductKind::Swvl1Mean, &p);
    assert!((sw[[0, 1]] - (0.3 + 0.01 * 4.0)).abs() < 1e-12);
    assert!((value(ProductKind::LatentHeat, &p)[[0, 0]] + 7.0 * 2400.0).abs() < 1e-6);
    // Net radiation: +500 J/h except day 4 (−500 J/h).
    assert!((value(ProductKind::NetRadiation, &p)[[0, 0]] - 24.0 * 500.0 * 5.0).abs() < 1e-6);
    assert!(
        (value(ProductKind::NetRadiationPositive, &p)[[0, 0]] - 24.0 * 500.0 * 6.0).abs() < 1e-6
    );
    assert!(
        (value(ProductKind::NetRadiationLatent, &p)[[0, 0]] - 24.0 * (400.0 * 6.0 - 600.0)).abs()
            < 1e-6
    );
    assert!(
        (value(ProductKind::NetRadiationLatentPositive, &p)[[0, 0]] - 24.0 * 400.0 * 6.0).abs()
            < 1e-6
    );
}

#[test]
fn all_products_with_metadata() {
    let p = Period::new(day(2), day(10)).unwrap();
    let all = period_products(&inputs(), &p, &PeriodParams::new()).unwrap();
    let names: Vec<&str> = all.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "tdd_skt",
            "tdd_stl1",
            "snow_days",
            "sf_sum",
            "ro_daily_max",
            "ro_sum",
            "tp_sum",
            "swvl1_mean",
            "slhf_sum",
            "rnet_sum",
            "rnet_pos_sum",
            "rnet_lh_sum",
            "rnet_lh_pos_sum"
        ]
    );
    let tdd = &all[0];
    assert_eq!(tdd.units, "degC day");
    assert!(tdd
        .attributes
        .contains(&("period_start".into(), "2021-06-02".into())));
    assert!(tdd
        .attributes
        .contains(&("source_variables".into(), "skt".into())));
    assert_eq!(
        all[9]
            .attributes
            .iter()
            .find(|a| a.0 == "source_variables")
            .unwrap()
            .1,
        "ssr,str,sshf"
    );
    assert_eq!(tdd.grid, grid());
}

#[test]
fn refusals() {
    // 1 June is incomplete for instantaneous variables (no 00 UTC value) and
    // 11 June is outside the data.
    for p in [
        Period::new(day(1), day(3)).unwrap(),
        Period::new(day(9), day(11)).unwrap(),
    ] {
        let err =
            period_product(ProductKind::TddSkt, &inputs(), &p, &PeriodParams::new()).unwrap_err();
        assert!(matches!(err, Error::PeriodOutsideData { .. }), "{err}");
        let msg = err.to_string();
        assert!(
            msg.contains("skt") && msg.contains("2021-06-02 .. 2021-06-10"),
            "{msg}"
        );
    }
    let p = Period::new(day(2), day(3)).unwrap();
    let only_skt = vec![inputs().remove(0)];
    let err = period_product(
        ProductKind::NetRadiation,
        &only_skt,
        &p,
        &PeriodParams::new(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingInput {
                variable: "ssr",
                ..
            }
        ),
        "{err}"
    );
    assert!(Period::new(day(3), day(2)).is_err());
    assert!(PeriodParams::new()
        .with_snow_depth_threshold(-1.0)
        .build()
        .is_err());

    // Monthly input: time means pass (weighted by days), sums are refused.
    let months: Vec<NaiveDateTime> = (1..=3)
        .map(|m| {
            NaiveDate::from_ymd_opt(2021, m, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        })
        .collect();
    let g = Grid::regular(vec![0.0], vec![0.0]).unwrap();
    let sw = Era5Field::new(
        "swvl1",
        "m3 m-3",
        months.clone(),
        g.clone(),
        Array3::from_shape_vec((3, 1, 1), vec![0.1, 0.2, 0.4]).unwrap(),
    )
    .unwrap();
    let tp = Era5Field::new("tp", "m", months, g, Array3::zeros((3, 1, 1))).unwrap();
    let p = Period::new(
        NaiveDate::from_ymd_opt(2021, 1, 22).unwrap(),
        NaiveDate::from_ymd_opt(2021, 3, 2).unwrap(),
    )
    .unwrap();
    let m = period_product(
        ProductKind::Swvl1Mean,
        std::slice::from_ref(&sw),
        &p,
        &PeriodParams::new(),
    )
    .unwrap();
    assert!((m.values[[0, 0]] - (10.0 * 0.1 + 28.0 * 0.2 + 2.0 * 0.4) / 40.0).abs() < 1e-12);
    let err =
        period_product(ProductKind::Precipitation, &[tp], &p, &PeriodParams::new()).unwrap_err();
    assert!(matches!(err, Error::Resolution { .. }), "{err}");
    let late = Period::new(
        NaiveDate::from_ymd_opt(2021, 3, 20).unwrap(),
        NaiveDate::from_ymd_opt(2021, 4, 2).unwrap(),
    )
    .unwrap();
    assert!(matches!(
        period_product(ProductKind::Swvl1Mean, &[sw], &late, &PeriodParams::new()),
        Err(Error::PeriodOutsideData { .. })
    ));
}
