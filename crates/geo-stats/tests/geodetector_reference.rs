//! Geographical detector against reference values (tests/data/geodetector.json):
//! the published formulas evaluated in numpy, p-values from scipy 1.17
//! `ncf.sf` and from mpmath at 60 digits, and py-geodetector 0.2.1 for the
//! R `geodetector` conventions.
//!
//! Tolerances: q 1e-12 absolute; F and λ 1e-10 relative; factor p-value
//! 1e-12 relative to the mpmath value and 1e-10 relative to scipy (whose
//! Boost evaluation itself drifts by up to ~3e-11 at df2 ≈ 10⁶); risk
//! detector t, df, p 1e-10 relative to scipy `ttest_ind(equal_var=False)`;
//! ecological F and p 1e-10 relative to scipy `f.sf`.

mod common;

use common::{load, num, nums, rel_err, Worst};
use geo_stats::geodetector::{
    GeodetectorParams, InteractionKind, SingletonStrata, Strata, VarianceConvention,
};
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn params(c: &Value) -> GeodetectorParams {
    let variance = match c["variance"].as_str().unwrap() {
        "population" => VarianceConvention::Population,
        "sample" => VarianceConvention::Sample,
        v => panic!("{v}"),
    };
    let singletons = match c["singletons"].as_str().unwrap() {
        "drop" => SingletonStrata::Drop,
        "keep" => SingletonStrata::Keep,
        v => panic!("{v}"),
    };
    GeodetectorParams::new()
        .with_variance(variance)
        .with_singletons(singletons)
}

#[test]
fn factor_detector_matches_reference() {
    let doc = load("geodetector.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut q = Worst::new("q");
    let mut f = Worst::new("F");
    let mut lam = Worst::new("lambda");
    let mut p_mp = Worst::new("p vs mpmath");
    let mut p_scipy = Worst::new("p vs scipy ncf");
    let mut p_py = Worst::new("p vs py-geodetector");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let y = nums(&c["y"]);
        let x = Strata::from_labels(&strings(&c["strata"])).unwrap();
        let gd = params(c).build().unwrap();
        let r = gd.factor(&y, &x).unwrap();
        let label = || format!("{name} [{} {}]", c["variance"], c["singletons"]);
        assert_eq!(r.n as u64, c["n"].as_u64().unwrap(), "{}", label());
        assert_eq!(
            r.n_strata as u64,
            c["n_strata"].as_u64().unwrap(),
            "{}",
            label()
        );
        q.update((r.q - num(&c["q"])).abs(), label);
        f.update(rel_err(r.f_statistic, num(&c["f"]), 1e-300), label);
        lam.update(rel_err(r.noncentrality, num(&c["lambda"]), 1e-300), label);
        p_mp.update(rel_err(r.p_value, num(&c["pvalue_mp"]), 1e-300), || {
            format!("{}: {:e} vs {:e}", label(), r.p_value, num(&c["pvalue_mp"]))
        });
        p_scipy.update(rel_err(r.p_value, num(&c["pvalue"]), 1e-300), label);
        if c.get("pvalue_py_geodetector").is_some() {
            p_py.update(
                rel_err(r.p_value, num(&c["pvalue_py_geodetector"]), 1e-300),
                label,
            );
            assert!(
                (r.q - num(&c["q_py_geodetector"])).abs() < 1e-12,
                "{}",
                label()
            );
        }
    }
    q.check(1e-12);
    f.check(1e-10);
    lam.check(1e-10);
    p_mp.check(1e-12);
    p_scipy.check(1e-10);
    p_py.check(1e-10);
}

#[test]
fn spec_test_vector() {
    // SCIENCE.md §7: y = 1..7, strata (a,b,b,b,c,c,c) → q = 0.771429, p = 0.0793648.
    let y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
    let x = Strata::from_labels(&["a", "b", "b", "b", "c", "c", "c"]).unwrap();
    let r = GeodetectorParams::new()
        .build()
        .unwrap()
        .factor(&y, &x)
        .unwrap();
    assert!((r.q - 0.771429).abs() < 5e-7, "{}", r.q);
    assert!((r.p_value - 0.0793648).abs() < 5e-8, "{}", r.p_value);
    assert_eq!(r.dropped_levels(), vec![0]);
    // R geodetector conventions on the same data (py-geodetector 0.2.1).
    let r = GeodetectorParams::r_geodetector()
        .build()
        .unwrap()
        .factor(&y, &x)
        .unwrap();
    assert!((r.q - 6.0 / 7.0).abs() < 1e-15);
    assert!((r.p_value - 0.047_838_294_052_299_42).abs() < 1e-15);
}

#[test]
fn interaction_detector_matches_reference() {
    let doc = load("geodetector.json");
    let cases = doc["interaction"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut q = Worst::new("interaction q");
    let mut p = Worst::new("interaction overlay p vs mpmath");
    let mut kinds = std::collections::BTreeSet::new();
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let y = nums(&c["y"]);
        let x1 = Strata::from_labels(&strings(&c["x1"])).unwrap();
        let x2 = Strata::from_labels(&strings(&c["x2"])).unwrap();
        let gd = params(c).build().unwrap();
        let r = gd.interaction(&y, &x1, &x2).unwrap();
        let label = || format!("{name} [{} {}]", c["variance"], c["singletons"]);
        for (got, key) in [(r.q1, "q1"), (r.q2, "q2"), (r.q12, "q12")] {
            q.update((got - num(&c[key])).abs(), label);
        }
        p.update(
            rel_err(r.overlay.p_value, num(&c["pvalue12_mp"]), 1e-300),
            label,
        );
        assert_eq!(r.kind.as_str(), c["kind"].as_str().unwrap(), "{}", label());
        kinds.insert(r.kind.as_str());
    }
    q.check(1e-12);
    p.check(1e-12);
    assert_eq!(
        kinds.len(),
        5,
        "all five interaction kinds are exercised: {kinds:?}"
    );
}

#[test]
fn interaction_kind_boundaries() {
    use InteractionKind::*;
    let t = 1e-10;
    assert_eq!(InteractionKind::classify(0.2, 0.3, 0.1, t), WeakenNonlinear);
    assert_eq!(InteractionKind::classify(0.2, 0.3, 0.2, t), WeakenUni);
    assert_eq!(InteractionKind::classify(0.2, 0.3, 0.25, t), WeakenUni);
    assert_eq!(InteractionKind::classify(0.2, 0.3, 0.3, t), WeakenUni);
    assert_eq!(InteractionKind::classify(0.2, 0.3, 0.4, t), EnhanceBi);
    assert_eq!(
        InteractionKind::classify(0.2, 0.3, 0.5 + 5e-11, t),
        Independent
    );
    assert_eq!(
        InteractionKind::classify(0.2, 0.3, 0.6, t),
        EnhanceNonlinear
    );
}

#[test]
fn risk_detector_matches_scipy_welch() {
    let doc = load("geodetector.json");
    let cases = doc["risk"].as_array().unwrap();
    let mut t = Worst::new("risk t");
    let mut df = Worst::new("risk df");
    let mut p = Worst::new("risk p");
    let mut n_pairs = 0;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let y = nums(&c["y"]);
        let labels = strings(&c["strata"]);
        let x = Strata::from_labels(&labels).unwrap();
        let singletons = match c["singletons"].as_str().unwrap() {
            "drop" => SingletonStrata::Drop,
            _ => SingletonStrata::Keep,
        };
        let gd = GeodetectorParams::new()
            .with_singletons(singletons)
            .build()
            .unwrap();
        let r = gd.risk(&y, &x).unwrap();
        let want = c["pairs"].as_array().unwrap();
        assert_eq!(r.pairs.len(), want.len(), "{name}");
        for (got, w) in r.pairs.iter().zip(want) {
            assert_eq!(x.labels()[got.a], w["a"].as_str().unwrap(), "{name}");
            assert_eq!(x.labels()[got.b], w["b"].as_str().unwrap(), "{name}");
            let label = || format!("{name} {}-{}", got.a, got.b);
            t.update(rel_err(got.t_statistic, num(&w["t"]), 1e-300), label);
            if !got.t_statistic.is_nan() {
                df.update(rel_err(got.df, num(&w["df"]), 1e-300), label);
            }
            p.update(rel_err(got.p_value, num(&w["pvalue"]), 1e-300), label);
            n_pairs += 1;
        }
    }
    assert!(n_pairs >= 20);
    t.check(1e-10);
    df.check(1e-10);
    p.check(1e-10);
}

#[test]
fn ecological_detector_matches_scipy_f() {
    let doc = load("geodetector.json");
    let cases = doc["ecological"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut f = Worst::new("ecological F");
    let mut p = Worst::new("ecological p");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let y = nums(&c["y"]);
        let x1 = Strata::from_labels(&strings(&c["x1"])).unwrap();
        let x2 = Strata::from_labels(&strings(&c["x2"])).unwrap();
        let r = params(c).build().unwrap().ecological(&y, &x1, &x2).unwrap();
        assert_eq!(r.df1, num(&c["df1"]), "{name}");
        assert_eq!(r.df2, num(&c["df2"]), "{name}");
        f.update(rel_err(r.f_statistic, num(&c["f"]), 1e-300), || {
            name.to_string()
        });
        p.update(rel_err(r.p_value, num(&c["pvalue"]), 1e-300), || {
            name.to_string()
        });
    }
    f.check(1e-10);
    p.check(1e-10);
}
