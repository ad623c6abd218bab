//! Property tests: DBSCAN permutation invariance, monotone k-means inertia,
//! size bounds and optimality of the constrained assignment.

use cluster_ts::{
    assign_with_sizes, DbscanParams, DtwDba, Euclidean, KMeansParams, SizeBounds, SizeMethod,
};
use ndarray::Array2;
use proptest::prelude::*;

fn points(max_n: usize) -> impl Strategy<Value = Vec<(f64, f64)>> {
    // Half-integer coordinates: many exact ties at eps.
    prop::collection::vec((0i32..24, 0i32..24), 2..max_n).prop_map(|v| {
        v.into_iter()
            .map(|(a, b)| (a as f64 * 0.5, b as f64 * 0.5))
            .collect()
    })
}

fn to_array(p: &[(f64, f64)]) -> Array2<f64> {
    Array2::from_shape_fn((p.len(), 2), |(i, j)| if j == 0 { p[i].0 } else { p[i].1 })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn dbscan_permutation_invariant(
        pts in points(60),
        eps_steps in 1u32..5,
        min_samples in 1usize..6,
        seed in any::<u64>(),
    ) {
        let n = pts.len();
        // A permutation from the seed (Fisher–Yates with an LCG).
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let permuted: Vec<(f64, f64)> = perm.iter().map(|&i| pts[i]).collect();
        let db = DbscanParams::new(eps_steps as f64 * 0.5).with_min_samples(min_samples).build().unwrap();
        let a = db.fit(to_array(&pts).view()).unwrap();
        let b = db.fit(to_array(&permuted).view()).unwrap();
        prop_assert_eq!(a.n_clusters, b.n_clusters);
        let mut map = std::collections::HashMap::new();
        for (pos, &orig) in perm.iter().enumerate() {
            // Core and noise status exactly invariant.
            prop_assert_eq!(a.core[orig], b.core[pos]);
            prop_assert_eq!(a.labels[orig] < 0, b.labels[pos] < 0);
            if a.core[orig] {
                // Core points: the same partition up to relabelling.
                let e = *map.entry(a.labels[orig]).or_insert(b.labels[pos]);
                prop_assert_eq!(e, b.labels[pos]);
            }
        }
        // Border points join the cluster of one of their core neighbours.
        let nb = db.neighbourhoods(to_array(&pts).view()).unwrap();
        for (i, nbi) in nb.iter().enumerate() {
            if a.labels[i] >= 0 && !a.core[i] {
                prop_assert!(nbi.iter().any(|&j| a.core[j as usize] && a.labels[j as usize] == a.labels[i]));
            }
        }
    }

    #[test]
    fn kmeans_inertia_never_increases(
        data in prop::collection::vec(-10.0f64..10.0, 24..96),
        k in 1usize..5,
        seed in any::<u64>(),
    ) {
        let d = 3;
        let n = data.len() / d;
        prop_assume!(n >= k);
        let x = Array2::from_shape_vec((n, d), data[..n * d].to_vec()).unwrap();
        let km = KMeansParams::new(k).with_n_init(2).with_seed(seed).build().unwrap();
        let r = km.fit(x.view(), &Euclidean).unwrap();
        for w in r.inertia_history.windows(2) {
            prop_assert!(w[1] <= w[0] * (1.0 + 1e-12) + 1e-12, "{:?}", r.inertia_history);
        }
        prop_assert_eq!(r.inertia, *r.inertia_history.last().unwrap());
        let r = km.fit(x.view(), &DtwDba::default().with_max_iter_barycenter(5)).unwrap();
        for w in r.inertia_history.windows(2) {
            prop_assert!(w[1] <= w[0] * (1.0 + 1e-9) + 1e-12, "{:?}", r.inertia_history);
        }
    }

    #[test]
    fn constrained_assignment_respects_bounds(
        costs in prop::collection::vec(-5.0f64..20.0, 6..180),
        k in 1usize..6,
        lo_frac in 0.0f64..1.0,
        slack in 0usize..4,
    ) {
        let n = costs.len() / k;
        prop_assume!(n >= 1);
        let c = Array2::from_shape_vec((n, k), costs[..n * k].to_vec()).unwrap();
        let min = ((n / k) as f64 * lo_frac).floor() as usize;
        let max = n.div_ceil(k) + slack;
        let bounds = SizeBounds::new(min, max).unwrap();
        let exact = assign_with_sizes(c.view(), bounds, SizeMethod::MinCostFlow).unwrap();
        let greedy = assign_with_sizes(c.view(), bounds, SizeMethod::GreedyRepair).unwrap();
        for a in [&exact, &greedy] {
            prop_assert!(a.sizes.iter().all(|&s| s >= min && s <= max), "{:?} not in {min}..={max}", a.sizes);
            prop_assert_eq!(a.sizes.iter().sum::<usize>(), n);
        }
        prop_assert!(exact.total_cost <= greedy.total_cost + 1e-9);
    }

    #[test]
    fn min_cost_flow_is_optimal_on_tiny_cases(
        costs in prop::collection::vec(-3.0f64..10.0, 9),
        n in 1usize..=6,
        k in 1usize..=3,
        min in 0usize..=2,
        extra in 0usize..=3,
    ) {
        let costs: Vec<f64> = (0..n * k).map(|i| costs[i % costs.len()] + 0.37 * ((i * 7) % 5) as f64).collect();
        let max = min.max(1) + extra;
        prop_assume!(min * k <= n && max * k >= n);
        let c = Array2::from_shape_vec((n, k), costs.clone()).unwrap();
        let a = assign_with_sizes(c.view(), SizeBounds::new(min, max).unwrap(), SizeMethod::MinCostFlow).unwrap();
        let mut best = f64::INFINITY;
        for code in 0..k.pow(n as u32) {
            let (mut x, mut sizes, mut s) = (code, vec![0usize; k], 0.0);
            for i in 0..n {
                let l = x % k;
                x /= k;
                sizes[l] += 1;
                s += costs[i * k + l];
            }
            if sizes.iter().all(|&z| z >= min && z <= max) {
                best = best.min(s);
            }
        }
        prop_assert!((a.total_cost - best).abs() < 1e-9, "{} vs brute force {}", a.total_cost, best);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Classification scores: perfect predictions score 1; scores lie in
    /// [0, 1]; relabelling classes consistently in truth and prediction
    /// changes nothing; accuracy is the confusion trace over n.
    #[test]
    fn classification_scores_properties(
        pairs in prop::collection::vec((0usize..4, 0usize..4), 1..80),
        shift in 1usize..4,
    ) {
        let truth: Vec<usize> = pairs.iter().map(|p| p.0).collect();
        let pred: Vec<usize> = pairs.iter().map(|p| p.1).collect();
        let perfect = cluster_ts::classification_scores(&truth, &truth).unwrap();
        prop_assert_eq!(perfect.accuracy, 1.0);
        prop_assert!((perfect.macro_f1 - 1.0).abs() < 1e-15);
        let s = cluster_ts::classification_scores(&truth, &pred).unwrap();
        for v in [s.accuracy, s.macro_precision, s.macro_recall, s.macro_f1] {
            prop_assert!((0.0..=1.0).contains(&v));
        }
        let trace: usize = (0..s.confusion.nrows()).map(|c| s.confusion[[c, c]]).sum();
        prop_assert!((s.accuracy - trace as f64 / truth.len() as f64).abs() < 1e-15);
        let perm = |c: usize| (c + shift) % 4;
        let t2: Vec<usize> = truth.iter().map(|&c| perm(c)).collect();
        let p2: Vec<usize> = pred.iter().map(|&c| perm(c)).collect();
        let s2 = cluster_ts::classification_scores(&t2, &p2).unwrap();
        prop_assert!((s2.accuracy - s.accuracy).abs() < 1e-15);
        prop_assert!((s2.macro_f1 - s.macro_f1).abs() < 1e-12);
        prop_assert!((s2.macro_precision - s.macro_precision).abs() < 1e-12);
        prop_assert!((s2.macro_recall - s.macro_recall).abs() < 1e-12);
    }
}
