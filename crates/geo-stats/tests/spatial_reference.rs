//! Variogram / covariogram / correlogram and standard distance against
//! brute-force numpy (tests/data/spatial.json). Tolerance: 1e-10 relative
//! (absolute near zero), counts exact.

mod common;

use common::{load, num, nums, Worst};
use geo_stats::spatial::{empirical_variogram, standard_distance, VariogramParams};

#[test]
fn variogram_matches_brute_force() {
    let doc = load("spatial.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut worst = Worst::new("variogram");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let params =
            VariogramParams::new(num(&c["bin_width"])).with_max_distance(num(&c["max_distance"]));
        let v =
            empirical_variogram(&nums(&c["x"]), &nums(&c["y"]), &nums(&c["z"]), &params).unwrap();
        worst.update((v.mean - num(&c["mean"])).abs(), || name.into());
        worst.update(
            (v.variance - num(&c["variance"])).abs() / num(&c["variance"]),
            || name.into(),
        );
        let want = c["bins"].as_array().unwrap();
        assert_eq!(v.bins.len(), want.len(), "{name}");
        for (b, w) in v.bins.iter().zip(want) {
            assert_eq!(b.count, w["count"].as_u64().unwrap(), "{name}");
            for (g, key) in [
                (b.mean_distance, "mean_distance"),
                (b.semivariance, "semivariance"),
                (b.covariance, "covariance"),
                (b.correlation, "correlation"),
            ] {
                let e = num(&w[key]);
                let err = if g.is_nan() && e.is_nan() {
                    0.0
                } else {
                    (g - e).abs() / e.abs().max(1.0)
                };
                worst.update(err, || format!("{name} {key}"));
            }
        }
    }
    worst.check(1e-10);
}

#[test]
fn standard_distance_matches_formula() {
    let doc = load("spatial.json");
    let cases = doc["standard_distance"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut worst = Worst::new("standard distance");
    for (i, c) in cases.iter().enumerate() {
        let w = c["w"].as_array().map(|_| nums(&c["w"]));
        let sd = standard_distance(&nums(&c["x"]), &nums(&c["y"]), w.as_deref()).unwrap();
        worst.update(
            (sd - num(&c["sd"])).abs() / num(&c["sd"]).max(1e-300),
            || format!("case {i}"),
        );
    }
    worst.check(1e-10);
}
