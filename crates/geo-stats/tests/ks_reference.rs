//! `ks_2samp` against scipy 1.17 `scipy.stats.ks_2samp` (tests/data/ks_2samp.json).
//!
//! Tolerances: statistic 1e-12 absolute; p-value 1e-10 relative (floor
//! 1e-300) in every regime (exact, asymptotic, ties, n1 = 1, constant
//! samples, n up to 20 000, one- and two-sided); the chosen method and the
//! fall-back flag must match exactly. At least one case of each fall-back
//! (exact p rounding above 1; one-sided path counting overflowing) is in
//! the table.

mod common;

use common::{load, num, rel_err, sample, Worst};
use geo_stats::ks::{ks_2samp, Alternative, KsMethod, KsParams};

#[test]
fn ks_2samp_matches_scipy() {
    let doc = load("ks_2samp.json");
    let mut stat = Worst::new("ks statistic");
    let mut p_two = Worst::new("ks p-value two-sided");
    let mut p_one = Worst::new("ks p-value one-sided");
    let cases = doc["cases"].as_array().unwrap();
    let mut n_fell_back = 0;
    assert!(cases.len() >= 20);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let x = sample(&c["x"]);
        let y = sample(&c["y"]);
        let method = match c["method"].as_str().unwrap() {
            "auto" => KsMethod::Auto,
            "exact" => KsMethod::Exact,
            "asymp" => KsMethod::Asymptotic,
            m => panic!("{m}"),
        };
        let alternative = match c["alternative"].as_str().unwrap() {
            "two-sided" => Alternative::TwoSided,
            "less" => Alternative::Less,
            "greater" => Alternative::Greater,
            a => panic!("{a}"),
        };
        let params = KsParams::new()
            .with_method(method)
            .with_alternative(alternative);
        let r = ks_2samp(&x, &y, &params).unwrap();
        let label = || format!("{name} [{method:?}, {alternative:?}]");
        assert_eq!(
            r.method.as_str(),
            c["method_used"].as_str().unwrap(),
            "{}",
            label()
        );
        assert_eq!(
            r.fell_back,
            c["fell_back"].as_bool().unwrap(),
            "{}",
            label()
        );
        n_fell_back += usize::from(r.fell_back);
        assert_eq!(
            r.statistic_sign as i64,
            c["statistic_sign"].as_i64().unwrap(),
            "{}",
            label()
        );
        assert_eq!(
            r.statistic_location,
            num(&c["statistic_location"]),
            "{}",
            label()
        );
        let want_d = num(&c["statistic"]);
        stat.update((r.statistic - want_d).abs(), || {
            format!("{}: {} vs {}", label(), r.statistic, want_d)
        });
        let want_p = num(&c["pvalue"]);
        let e = rel_err(r.p_value, want_p, 1e-300);
        let msg = || format!("{}: {:e} vs {:e}", label(), r.p_value, want_p);
        if alternative == Alternative::TwoSided {
            p_two.update(e, msg);
        } else {
            p_one.update(e, msg);
        }
    }
    stat.check(1e-12);
    p_two.check(1e-10);
    p_one.check(1e-10);
    assert!(n_fell_back >= 2, "fall-back cases missing from the table");
}
