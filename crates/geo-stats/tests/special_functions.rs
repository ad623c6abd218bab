//! Distribution functions against scipy 1.17 and mpmath (60 digits)
//! (`tests/data/special_functions.json`).
//!
//! Tolerances (relative, floor 1e-300):
//! * non-central F, incomplete beta, Student t: 1e-12 against mpmath; against
//!   scipy 1e-10 (scipy's Boost evaluation is itself off by up to ~3e-11 at
//!   b ≈ 5·10⁵, and by far more in extreme tails below 1e-100, which are
//!   therefore compared with mpmath only);
//! * kstwo: 1e-10 against scipy (same algorithms, scipy is the reference);
//! * smirnov: 1e-12, kolmogorov: 1e-13 against scipy.
//!
//! Sample sizes above 50 000 (the Smirnov sums then run over up to 10⁶
//! double-double terms) are checked only in optimised builds
//! (`cargo test --release`), to keep the debug test run short.

mod common;

use common::{load, num, rel_err, Worst};
use geo_stats::distributions as d;

/// Above this sample size the exact Kolmogorov–Smirnov sums are slow in
/// unoptimised builds.
const LARGE_N: u64 = 50_000;

#[test]
fn noncentral_f_sf_matches_mpmath_and_scipy() {
    let doc = load("special_functions.json");
    let mut vs_mp = Worst::new("ncf.sf vs mpmath");
    let mut vs_scipy = Worst::new("ncf.sf vs scipy (sf >= 1e-100)");
    for c in doc["ncf"].as_array().unwrap() {
        let (x, dfn, dfd, nc) = (num(&c["f"]), num(&c["dfn"]), num(&c["dfd"]), num(&c["nc"]));
        let got = d::noncentral_f_sf(x, dfn, dfd, nc);
        let want = num(&c["sf_mp"]);
        vs_mp.update(rel_err(got, want, 1e-300), || {
            format!("f={x} dfn={dfn} dfd={dfd} nc={nc}: {got:e} vs {want:e}")
        });
        let scipy = num(&c["sf"]);
        if scipy >= 1e-100 {
            vs_scipy.update(rel_err(got, scipy, 1e-300), || {
                format!("f={x} dfn={dfn} dfd={dfd} nc={nc}: {got:e} vs {scipy:e}")
            });
        }
    }
    vs_mp.check(1e-12);
    vs_scipy.check(1e-10);
}

#[test]
fn student_t_sf_matches_scipy() {
    let doc = load("special_functions.json");
    let mut worst = Worst::new("t.sf vs scipy");
    let mut vs_mp = Worst::new("t.sf vs mpmath");
    for c in doc["t"].as_array().unwrap() {
        let (t, df) = (num(&c["t"]), num(&c["df"]));
        let got = d::student_t_sf(t, df);
        let want = num(&c["sf"]);
        worst.update(rel_err(got, want, 1e-300), || {
            format!("t={t} df={df}: {got:e} vs {want:e}")
        });
        let want = num(&c["sf_mp"]);
        vs_mp.update(rel_err(got, want, 1e-300), || {
            format!("t={t} df={df}: {got:e} vs {want:e}")
        });
    }
    worst.check(1e-12);
    vs_mp.check(1e-12);
}

#[test]
fn incomplete_beta_matches_scipy() {
    let doc = load("special_functions.json");
    let mut lower = Worst::new("betainc vs mpmath");
    let mut upper = Worst::new("betaincc vs mpmath");
    let mut vs_scipy = Worst::new("betainc/betaincc vs scipy");
    for c in doc["beta"].as_array().unwrap() {
        let (a, b, x) = (num(&c["a"]), num(&c["b"]), num(&c["x"]));
        let lo = d::beta_reg(a, b, x);
        let up = d::beta_reg_complement(a, b, x);
        let (wl, wu) = (num(&c["lower_mp"]), num(&c["upper_mp"]));
        lower.update(rel_err(lo, wl, 1e-300), || {
            format!("a={a} b={b} x={x}: {lo:e} vs {wl:e}")
        });
        upper.update(rel_err(up, wu, 1e-300), || {
            format!("a={a} b={b} x={x}: {up:e} vs {wu:e}")
        });
        let (sl, su) = (num(&c["lower"]), num(&c["upper"]));
        vs_scipy.update(rel_err(lo, sl, 1e-300).max(rel_err(up, su, 1e-300)), || {
            format!("a={a} b={b} x={x}")
        });
    }
    lower.check(1e-12);
    upper.check(1e-12);
    vs_scipy.check(1e-10);
}

#[test]
fn kstwo_sf_matches_scipy() {
    // Tolerance 1e-10 relative with a 1e-300 floor.
    let doc = load("special_functions.json");
    let mut worst = Worst::new("kstwo.sf");
    for c in doc["kstwo"].as_array().unwrap() {
        let n = c["n"].as_u64().unwrap();
        if cfg!(debug_assertions) && n > LARGE_N {
            continue;
        }
        let x = num(&c["x"]);
        let got = d::kstwo_sf(n, x);
        let want = num(&c["sf"]);
        worst.update(rel_err(got, want, 1e-300), || {
            format!("n={n} x={x}: {got:e} vs {want:e}")
        });
    }
    worst.check(1e-10);
}

#[test]
fn smirnov_and_kolmogorov_match_scipy() {
    let doc = load("special_functions.json");
    let mut worst = Worst::new("smirnov");
    for c in doc["smirnov"].as_array().unwrap() {
        let n = c["n"].as_u64().unwrap();
        if cfg!(debug_assertions) && n > LARGE_N && n <= 1_000_000 {
            continue;
        }
        let x = num(&c["x"]);
        let got = d::smirnov_sf(n, x);
        let want = num(&c["sf"]);
        worst.update(rel_err(got, want, 1e-300), || {
            format!("n={n} x={x}: {got:e} vs {want:e}")
        });
    }
    worst.check(1e-12);
    let mut worst = Worst::new("kolmogorov");
    for c in doc["kolmogorov"].as_array().unwrap() {
        let x = num(&c["x"]);
        let got = d::kolmogorov_sf(x);
        let want = num(&c["sf"]);
        worst.update(rel_err(got, want, 1e-300), || {
            format!("x={x}: {got:e} vs {want:e}")
        });
    }
    worst.check(1e-13);
}
