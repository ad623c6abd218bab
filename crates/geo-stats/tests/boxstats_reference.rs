//! Binned box statistics against numpy 2.4 `percentile` (linear) over
//! numpy-binned data (tests/data/boxstats.json). Tolerance: 1e-12 relative
//! on percentiles and means, counts exact.

mod common;

use common::{load, num, nums, Worst};
use geo_stats::boxstats::{box_stats, box_stats_2d, BinSpec, BoxStatsParams};

#[test]
fn one_factor_bins_match_numpy() {
    let doc = load("boxstats.json");
    let mut worst = Worst::new("box percentiles");
    let mut n_bins = 0;
    for c in doc["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let spec = if let Some(e) = c.get("edges") {
            BinSpec::Edges(nums(e))
        } else {
            BinSpec::Width {
                width: num(&c["width"]),
                origin: num(&c["origin"]),
            }
        };
        let r = box_stats(
            &nums(&c["response"]),
            &nums(&c["factor"]),
            &spec,
            &BoxStatsParams::new(),
        )
        .unwrap();
        assert_eq!(r.missing as u64, c["missing"].as_u64().unwrap(), "{name}");
        if let Some(o) = c.get("outside") {
            assert_eq!(r.outside as u64, o.as_u64().unwrap(), "{name}");
        }
        let want = c["bins"].as_array().unwrap();
        assert_eq!(r.bins.len(), want.len(), "{name}");
        for (g, w) in r.bins.iter().zip(want) {
            assert_eq!(g.count as u64, w["count"].as_u64().unwrap(), "{name}");
            assert!((g.lower[0] - num(&w["lower"])).abs() < 1e-12, "{name}");
            assert!((g.upper[0] - num(&w["upper"])).abs() < 1e-12, "{name}");
            for (gp, wp) in g.percentiles.iter().zip(nums(&w["percentiles"])) {
                let e = if gp.is_nan() && wp.is_nan() {
                    0.0
                } else {
                    (gp - wp).abs() / wp.abs().max(1.0)
                };
                worst.update(e, || format!("{name} bin {:?}", g.index));
            }
            let wm = num(&w["mean"]);
            let e = if g.mean.is_nan() && wm.is_nan() {
                0.0
            } else {
                (g.mean - wm).abs() / wm.abs().max(1.0)
            };
            worst.update(e, || format!("{name} mean {:?}", g.index));
            n_bins += 1;
        }
    }
    assert!(n_bins >= 20);
    worst.check(1e-12);
}

#[test]
fn two_factor_cells_match_numpy() {
    let doc = load("boxstats.json");
    let mut worst = Worst::new("2-D box percentiles");
    for c in doc["two_factor"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let r = box_stats_2d(
            &nums(&c["response"]),
            &nums(&c["factor1"]),
            &nums(&c["factor2"]),
            &BinSpec::Edges(nums(&c["edges1"])),
            &BinSpec::Edges(nums(&c["edges2"])),
            &BoxStatsParams::new(),
        )
        .unwrap();
        let want = c["cells"].as_array().unwrap();
        assert_eq!(r.bins.len(), want.len(), "{name}");
        for (g, w) in r.bins.iter().zip(want) {
            let idx: Vec<u64> = w["index"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            assert_eq!(
                g.index.iter().map(|&v| v as u64).collect::<Vec<_>>(),
                idx,
                "{name}"
            );
            assert_eq!(g.count as u64, w["count"].as_u64().unwrap(), "{name}");
            for (gp, wp) in g.percentiles.iter().zip(nums(&w["percentiles"])) {
                let e = if gp.is_nan() && wp.is_nan() {
                    0.0
                } else {
                    (gp - wp).abs() / wp.abs().max(1.0)
                };
                worst.update(e, || format!("{name} cell {:?}", g.index));
            }
        }
    }
    worst.check(1e-12);
}
