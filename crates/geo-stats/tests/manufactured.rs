//! Manufactured data with known answers: planted structure is recovered,
//! and parallel results do not depend on the number of threads.

use approx::assert_abs_diff_eq;
use geo_stats::discretize::{
    discretize, optimal_discretization, DiscretizationMethod, OptimalDiscretizationParams,
};
use geo_stats::geodetector::{GeodetectorParams, Strata};
use geo_stats::ks::{ks_bootstrap, KsBootstrapParams, KsMethod};
use geo_stats::silhouette::silhouette_samples;
use geo_stats::spatial::{correlation_length, empirical_variogram, VariogramParams};
use ndarray::Array2;

fn lcg(seed: u64) -> impl FnMut() -> f64 {
    let mut s = seed;
    move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn with_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn natural_breaks_recover_planted_clusters() {
    let mut u = lcg(1);
    let centres = [0.0, 10.0, 25.0, 60.0];
    let x: Vec<f64> = (0..400).map(|i| centres[i % 4] + u()).collect();
    let d = discretize(&x, DiscretizationMethod::NaturalBreaks, 4).unwrap();
    for (i, &c) in d.classes.iter().enumerate() {
        assert_eq!(c, i % 4);
    }
}

#[test]
fn optimal_discretization_finds_the_planted_threshold() {
    let mut u = lcg(2);
    let x: Vec<f64> = (0..3000).map(|_| u() * 100.0).collect();
    let y: Vec<f64> = x
        .iter()
        .map(|&v| if v < 40.0 { 0.0 } else { 10.0 } + 0.01 * u())
        .collect();
    let params = OptimalDiscretizationParams::new();
    let a = with_threads(1, || optimal_discretization(&y, &x, &params).unwrap());
    let b = with_threads(2, || optimal_discretization(&y, &x, &params).unwrap());
    assert_eq!(a, b, "result depends on the thread count");
    assert_abs_diff_eq!(a.factor.q, 1.0, epsilon = 1e-4);
    // The winner puts a class limit at the threshold.
    assert!(
        a.breaks.interior.iter().any(|&b| (b - 40.0).abs() < 0.5),
        "{:?}",
        a.breaks
    );
}

#[test]
fn geodetector_recovers_a_planted_effect_and_its_absence() {
    let mut u = lcg(3);
    let n = 600;
    let s: Vec<usize> = (0..n).map(|i| i % 3).collect();
    let strata = Strata::from_codes(&s).unwrap();
    let gd = GeodetectorParams::new().build().unwrap();
    let strong: Vec<f64> = s.iter().map(|&k| 5.0 * k as f64 + u()).collect();
    let r = gd.factor(&strong, &strata).unwrap();
    assert!(r.q > 0.95 && r.p_value < 1e-10, "{r:?}");
    let noise: Vec<f64> = (0..n).map(|_| u()).collect();
    let r = gd.factor(&noise, &strata).unwrap();
    assert!(r.q < 0.05 && r.p_value > 0.01, "q={} p={}", r.q, r.p_value);
    // Risk detector: strata means differ in the strong case.
    let risk = gd.risk(&strong, &strata).unwrap();
    assert_eq!(risk.pairs.len(), 3);
    assert!(risk.pairs.iter().all(|p| p.is_significant(1e-6)));
}

#[test]
fn bootstrap_is_reproducible_and_thread_independent() {
    let mut u = lcg(4);
    let a: Vec<f64> = (0..500).map(|_| u()).collect();
    let b: Vec<f64> = (0..300).map(|_| u() + 0.02).collect();
    let params = KsBootstrapParams::new()
        .with_replicates(64)
        .with_noise_sigma(0.05)
        .with_seed(11)
        .with_method(KsMethod::Auto);
    let r1 = with_threads(1, || ks_bootstrap(&a, &b, &params).unwrap());
    let r2 = with_threads(2, || ks_bootstrap(&a, &b, &params).unwrap());
    assert_eq!(r1, r2);
    assert_eq!(r1.size, 300);
    let r3 = ks_bootstrap(&a, &b, &params.clone().with_seed(12)).unwrap();
    assert_ne!(r1.p_values, r3.p_values);
    // Very different distributions are rejected in every replicate.
    let c: Vec<f64> = (0..300).map(|_| u() + 3.0).collect();
    let r = ks_bootstrap(&a, &c, &params).unwrap();
    assert_abs_diff_eq!(r.fraction_below_alpha, 1.0);
    // Identical samples without noise, subsampled, are never rejected.
    let p = KsBootstrapParams::new().with_replicates(32).with_size(300);
    let r = ks_bootstrap(&a, &a, &p).unwrap();
    assert!(
        r.mean_p_value > 0.2 && r.fraction_below_alpha < 0.25,
        "{} {}",
        r.mean_p_value,
        r.fraction_below_alpha
    );
}

#[test]
fn correlogram_of_a_smooth_field_decays() {
    let mut u = lcg(5);
    let n = 400;
    let x: Vec<f64> = (0..n).map(|_| u() * 20.0).collect();
    let y: Vec<f64> = (0..n).map(|_| u() * 20.0).collect();
    let z: Vec<f64> = x
        .iter()
        .zip(&y)
        .map(|(a, b)| (a / 3.0).sin() + (b / 3.0).cos())
        .collect();
    let params = VariogramParams::new(1.0).with_max_distance(12.0);
    let full = with_threads(1, || empirical_variogram(&x, &y, &z, &params).unwrap());
    let full2 = with_threads(2, || empirical_variogram(&x, &y, &z, &params).unwrap());
    assert_eq!(full, full2);
    assert!(full.bins[0].correlation > 0.8);
    assert!(full.bins[0].semivariance < full.bins[5].semivariance);
    let l = correlation_length(&full, (-1f64).exp()).unwrap();
    assert!(l > 1.0 && l < 8.0, "{l}");
    // Random pairs approximate the all-pairs correlogram.
    let sampled =
        empirical_variogram(&x, &y, &z, &params.with_max_pairs(40_000).with_seed(3)).unwrap();
    assert_eq!(sampled.pairs, 40_000);
    for b in 0..6 {
        let (s, f) = (&sampled.bins[b], &full.bins[b]);
        let tol = 4.0 / (s.count as f64).sqrt();
        assert!(
            (s.correlation - f.correlation).abs() < tol,
            "bin {b}: {} vs {} ({} pairs)",
            s.correlation,
            f.correlation,
            s.count
        );
    }
}

#[test]
fn silhouette_is_thread_independent() {
    let mut u = lcg(6);
    let pts = Array2::from_shape_fn((300, 3), |(i, _)| (i % 3) as f64 * 4.0 + u());
    let labels: Vec<usize> = (0..300).map(|i| i % 3).collect();
    let a = with_threads(1, || silhouette_samples(pts.view(), &labels).unwrap());
    let b = with_threads(2, || silhouette_samples(pts.view(), &labels).unwrap());
    assert_eq!(a, b);
    assert!(a.iter().all(|&s| s > 0.5));
}
