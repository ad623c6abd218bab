//! Discretisation against reference values (tests/data/discretize.json,
//! tests/data/optimal_discretization.json).
//!
//! Tolerances: breaks 1e-12 relative (absolute 1e-12 near zero); classes
//! exactly; natural breaks also exactly equal to jenkspy 0.4.1 where the
//! data have no ties; optimal discretisation: the same winner (method and
//! class count) and every candidate q within 1e-10.

mod common;

use common::{ints, load, num, nums, Worst};
use geo_stats::discretize::{
    discretize, optimal_discretization, DiscretizationMethod, OptimalDiscretizationParams,
};
use geo_stats::geodetector::{GeodetectorParams, SingletonStrata};

/// Total within-class sum of squares of `x` cut at `breaks` (right-closed).
fn within_ss(x: &[f64], breaks: &[f64]) -> f64 {
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); breaks.len() + 1];
    for &v in x {
        groups[breaks.partition_point(|&b| b < v)].push(v);
    }
    groups
        .iter()
        .filter(|g| !g.is_empty())
        .map(|g| {
            let m = g.iter().sum::<f64>() / g.len() as f64;
            g.iter().map(|v| (v - m) * (v - m)).sum::<f64>()
        })
        .sum()
}

#[test]
fn breaks_and_classes_match_reference() {
    let doc = load("discretize.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut worst = Worst::new("breaks");
    let mut jenks = 0;
    let mut jenks_ties = 0;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let method = DiscretizationMethod::parse(c["method"].as_str().unwrap()).unwrap();
        let k = c["k"].as_u64().unwrap() as usize;
        let x = nums(&c["x"]);
        let d = discretize(&x, method, k).unwrap();
        let want = nums(&c["interior"]);
        let label = || format!("{name} {method:?} k={k}");
        assert_eq!(
            d.breaks.interior.len(),
            want.len(),
            "{}: {:?} vs {:?}",
            label(),
            d.breaks.interior,
            want
        );
        for (g, w) in d.breaks.interior.iter().zip(&want) {
            worst.update((g - w).abs() / w.abs().max(1.0), label);
        }
        let classes: Vec<i64> = d.classes.iter().map(|&v| v as i64).collect();
        assert_eq!(classes, ints(&c["classes"]), "{}", label());
        if let Some(j) = c.get("jenkspy_interior") {
            let jb = nums(j);
            if d.breaks.interior == jb {
                jenks += 1;
            } else {
                // A different partition is acceptable only if it ties on the
                // objective (both optimal).
                let (a, b) = (within_ss(&x, &d.breaks.interior), within_ss(&x, &jb));
                assert!(
                    (a - b).abs() <= 1e-12 * a.max(1.0),
                    "{} vs jenkspy: {a} vs {b}",
                    label()
                );
                jenks_ties += 1;
            }
        }
    }
    worst.check(1e-12);
    println!("jenkspy: {jenks} identical, {jenks_ties} equally optimal");
    assert!(jenks >= 20, "only {jenks} jenkspy comparisons");
}

#[test]
fn optimal_discretization_matches_brute_force() {
    let doc = load("optimal_discretization.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut worst = Worst::new("candidate q");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let x = nums(&c["x"]);
        let y = nums(&c["y"]);
        let singletons = match c["singletons"].as_str().unwrap() {
            "drop" => SingletonStrata::Drop,
            _ => SingletonStrata::Keep,
        };
        let params = OptimalDiscretizationParams::new()
            .with_geodetector(GeodetectorParams::new().with_singletons(singletons));
        let r = optimal_discretization(&y, &x, &params).unwrap();
        let want = c["candidates"].as_array().unwrap();
        assert_eq!(r.candidates.len(), want.len(), "{name}");
        for (g, w) in r.candidates.iter().zip(want) {
            assert_eq!(g.method.as_str(), w["method"].as_str().unwrap(), "{name}");
            assert_eq!(
                g.requested_classes as u64,
                w["k"].as_u64().unwrap(),
                "{name}"
            );
            assert_eq!(
                g.n_classes as u64,
                w["n_classes"].as_u64().unwrap(),
                "{name} {:?}",
                g
            );
            let wq = num(&w["q"]);
            let e = if wq.is_nan() && g.q.is_nan() {
                0.0
            } else {
                (g.q - wq).abs()
            };
            worst.update(e, || {
                format!("{name} {:?} k={}", g.method, g.requested_classes)
            });
        }
        let best = &c["best"];
        assert_eq!(
            r.breaks.method.as_str(),
            best["method"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            r.breaks.requested_classes as u64,
            best["k"].as_u64().unwrap(),
            "{name}"
        );
        assert!((r.factor.q - num(&best["q"])).abs() < 1e-10, "{name}");
    }
    worst.check(1e-10);
}
