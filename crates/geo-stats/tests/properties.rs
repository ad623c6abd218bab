//! Invariants checked on random inputs (proptest).

use geo_stats::agreement::{adjusted_rand_index, normalized_mutual_information};
use geo_stats::correlation::{fisher_z_average, pearson};
use geo_stats::discretize::{discretize, DiscretizationMethod};
use geo_stats::geodetector::{GeodetectorParams, SingletonStrata, Strata};
use geo_stats::ks::{ks_2samp, KsMethod, KsParams};
use geo_stats::quantile::quantile_sorted;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    }
}

fn sample(max_len: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![(-50i32..50).prop_map(|v| v as f64 / 4.0), -100.0..100.0f64],
        1..max_len,
    )
}

fn within_ss(x: &[f64], classes: &[usize], k: usize) -> f64 {
    let mut sum = vec![0.0; k];
    let mut cnt = vec![0.0; k];
    for (&v, &c) in x.iter().zip(classes) {
        sum[c] += v;
        cnt[c] += 1.0;
    }
    x.iter()
        .zip(classes)
        .map(|(&v, &c)| (v - sum[c] / cnt[c]).powi(2))
        .sum()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn ks_is_symmetric_under_swapping(a in sample(40), b in sample(40), exact in any::<bool>()) {
        let p = KsParams::new().with_method(if exact { KsMethod::Exact } else { KsMethod::Asymptotic });
        let ab = ks_2samp(&a, &b, &p).unwrap();
        let ba = ks_2samp(&b, &a, &p).unwrap();
        prop_assert_eq!(ab.statistic, ba.statistic);
        prop_assert!((0.0..=1.0).contains(&ab.statistic));
        prop_assert!((ab.p_value - ba.p_value).abs() <= 1e-12 || (ab.p_value.is_nan() && ba.p_value.is_nan()));
        if !ab.p_value.is_nan() {
            prop_assert!((0.0..=1.0).contains(&ab.p_value));
        }
    }

    #[test]
    fn ks_of_a_sample_with_itself_is_zero(a in sample(60)) {
        let r = ks_2samp(&a, &a, &KsParams::new()).unwrap();
        prop_assert_eq!(r.statistic, 0.0);
        prop_assert_eq!(r.p_value, 1.0);
    }

    #[test]
    fn q_lies_in_unit_interval_and_ignores_label_names(
        y in prop::collection::vec(-10.0..10.0f64, 6..60),
        seed in 0u64..1000,
        k in 2usize..6,
        keep in any::<bool>(),
    ) {
        let labels: Vec<usize> = (0..y.len()).map(|i| ((i as u64 * 7 + seed) % k as u64) as usize).collect();
        let renamed: Vec<String> = labels.iter().map(|l| format!("z{}", k - l)).collect();
        let params = GeodetectorParams::new().with_singletons(if keep { SingletonStrata::Keep } else { SingletonStrata::Drop });
        let gd = params.build().unwrap();
        let a = gd.factor(&y, &Strata::from_codes(&labels).unwrap());
        let b = gd.factor(&y, &Strata::from_labels(&renamed).unwrap());
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!((-1e-12..=1.0 + 1e-12).contains(&a.q), "q = {}", a.q);
                prop_assert!((a.q - b.q).abs() < 1e-12);
                prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
                prop_assert!((0.0..=1.0).contains(&a.p_value));
            }
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "labels changed the outcome"),
        }
    }

    #[test]
    fn q_is_one_for_piecewise_constant_y(levels in prop::collection::vec(-5.0..5.0f64, 2..6), reps in 2usize..6) {
        prop_assume!(levels.windows(2).any(|w| w[0] != w[1]));
        let y: Vec<f64> = levels.iter().flat_map(|&v| std::iter::repeat_n(v, reps)).collect();
        let s: Vec<usize> = (0..levels.len()).flat_map(|i| std::iter::repeat_n(i, reps)).collect();
        let r = GeodetectorParams::new().build().unwrap().factor(&y, &Strata::from_codes(&s).unwrap()).unwrap();
        prop_assert!((r.q - 1.0).abs() < 1e-12);
        prop_assert_eq!(r.p_value, 0.0);
    }

    #[test]
    fn ari_and_nmi_are_one_for_identical_and_permuted_labels(
        labels in prop::collection::vec(0usize..5, 2..80),
        shift in 1usize..5,
    ) {
        prop_assert_eq!(adjusted_rand_index(&labels, &labels).unwrap(), 1.0);
        let permuted: Vec<usize> = labels.iter().map(|l| (l + shift) % 5).collect();
        prop_assert!((adjusted_rand_index(&labels, &permuted).unwrap() - 1.0).abs() < 1e-12);
        prop_assert!((normalized_mutual_information(&labels, &permuted).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ari_is_symmetric(a in prop::collection::vec(0u8..4, 3..60), b_seed in 0u64..500) {
        let b: Vec<u8> = a.iter().enumerate().map(|(i, &v)| ((v as u64 + i as u64 * b_seed) % 3) as u8).collect();
        let ab = adjusted_rand_index(&a, &b).unwrap();
        let ba = adjusted_rand_index(&b, &a).unwrap();
        prop_assert!((ab - ba).abs() < 1e-12);
        prop_assert!(ab <= 1.0 + 1e-12);
    }

    #[test]
    fn discretisation_is_monotone_and_bounded(x in sample(80), k in 2usize..10, m in 0usize..5) {
        let method = DiscretizationMethod::ALL[m];
        let d = discretize(&x, method, k).unwrap();
        prop_assert!(d.breaks.n_classes() <= k.max(1));
        prop_assert!(d.breaks.interior.windows(2).all(|w| w[0] < w[1]));
        let mut idx: Vec<usize> = (0..x.len()).collect();
        idx.sort_by(|&i, &j| x[i].total_cmp(&x[j]));
        prop_assert!(idx.windows(2).all(|w| d.classes[w[0]] <= d.classes[w[1]]));
        prop_assert!(d.classes.iter().all(|&c| c < d.breaks.n_classes()));
    }

    #[test]
    fn natural_breaks_minimise_within_class_variance(x in sample(60), k in 2usize..7) {
        let nb = discretize(&x, DiscretizationMethod::NaturalBreaks, k).unwrap();
        let ssq = within_ss(&x, &nb.classes, nb.breaks.n_classes());
        for m in [DiscretizationMethod::EqualInterval, DiscretizationMethod::Quantile, DiscretizationMethod::StandardDeviation] {
            let other = discretize(&x, m, k).unwrap();
            if other.breaks.n_classes() <= nb.breaks.n_classes() {
                let o = within_ss(&x, &other.classes, other.breaks.n_classes());
                prop_assert!(ssq <= o * (1.0 + 1e-9) + 1e-9, "{:?}: {} > {}", m, ssq, o);
            }
        }
    }

    #[test]
    fn pearson_is_symmetric_and_scale_invariant(
        xy in prop::collection::vec((-10.0..10.0f64, -10.0..10.0f64), 3..50),
        scale in 0.1..100.0f64,
        offset in -1e3..1e3f64,
    ) {
        let (x, y): (Vec<f64>, Vec<f64>) = xy.into_iter().unzip();
        let a = pearson(&x, &y).unwrap();
        let b = pearson(&y, &x).unwrap();
        let xs: Vec<f64> = x.iter().map(|v| v * scale + offset).collect();
        let c = pearson(&xs, &y).unwrap();
        if a.r.is_nan() {
            prop_assert!(b.r.is_nan());
        } else {
            prop_assert!((-1.0..=1.0).contains(&a.r));
            prop_assert!((a.r - b.r).abs() < 1e-12);
            prop_assert!((a.r - c.r).abs() < 1e-9);
            prop_assert!((0.0..=1.0).contains(&a.p_value));
        }
    }

    #[test]
    fn fisher_average_of_equal_correlations_is_that_correlation(r in -0.99..0.99f64, ns in prop::collection::vec(2usize..500, 1..6)) {
        let items: Vec<(f64, usize)> = ns.iter().map(|&n| (r, n)).collect();
        prop_assert!((fisher_z_average(&items).unwrap() - r).abs() < 1e-12);
    }

    #[test]
    fn quantiles_are_monotone(mut x in sample(50), p1 in 0.0..1.0f64, p2 in 0.0..1.0f64) {
        x.sort_by(f64::total_cmp);
        let (lo, hi) = if p1 <= p2 { (p1, p2) } else { (p2, p1) };
        prop_assert!(quantile_sorted(&x, lo) <= quantile_sorted(&x, hi));
        prop_assert!(quantile_sorted(&x, lo) >= x[0] && quantile_sorted(&x, hi) <= x[x.len() - 1]);
    }
}
