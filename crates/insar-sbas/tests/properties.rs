//! Properties over random networks and data (proptest).

mod common;

use common::{normal, regular_dates};
use insar_sbas::{
    GapPolicy, InversionParams, Inverter, Network, NetworkParams, Norm, PixelStatus, Solver,
    Weighting,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random connected network: irregular dates, a chain, extra pairs up to
/// four dates apart, random orientation of each pair.
fn random_network(n: usize, rng: &mut ChaCha8Rng) -> Network {
    let t0 = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    let mut day = 0i64;
    let dates: Vec<_> = (0..n)
        .map(|_| {
            day += rng.random_range(6..30);
            t0 + chrono::Duration::days(day)
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..(i + 5).min(n) {
            if j == i + 1 || rng.random::<f64>() < 0.5 {
                pairs.push(if rng.random::<f64>() < 0.2 {
                    (j, i)
                } else {
                    (i, j)
                });
            }
        }
    }
    Network::new(dates, &pairs).unwrap()
}

/// Noise-free phases of a history `x`, plus noise and outliers if asked.
fn phases(net: &Network, x: &[f64], noise: f64, outliers: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut y: Vec<f64> = net
        .pairs()
        .iter()
        .map(|p| x[p.secondary] - x[p.reference] + noise * normal(rng))
        .collect();
    for _ in 0..outliers {
        let k = rng.random_range(0..y.len());
        y[k] += 2.0 * std::f64::consts::PI;
    }
    y
}

fn inverter(norm: Norm, w: Weighting, solver: Solver, policy: GapPolicy) -> Inverter {
    InversionParams::new()
        .with_norm(norm)
        .with_weighting(w)
        .with_solver(solver)
        .with_gap_policy(policy)
        .with_looks(4.0)
        .with_irls_tolerance(1e-10)
        .with_irls_max_iterations(300)
        .build()
        .unwrap()
}

fn history(n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    (0..n).map(|_| 20.0 * (rng.random::<f64>() - 0.5)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn noise_free_data_is_recovered(n in 4usize..16, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let net = random_network(n, &mut rng);
        let x = history(n, &mut rng);
        let y = phases(&net, &x, 0.0, 0, &mut rng);
        let coh: Vec<f64> = (0..y.len()).map(|_| rng.random_range(0.1..0.95)).collect();
        for norm in [Norm::L2, Norm::L1] {
            for w in [Weighting::No, Weighting::Coherence, Weighting::Fisher] {
                let sol = inverter(norm, w, Solver::Laplacian, GapPolicy::Error)
                    .invert_pixel(&net, &y, Some(&coh)).unwrap();
                prop_assert_eq!(sol.status, PixelStatus::Inverted);
                for d in 0..n {
                    prop_assert!((sol.phase[d] - (x[d] - x[0])).abs() < 1e-8,
                        "{} {}: date {}: {} vs {}", norm, w, d, sol.phase[d], x[d] - x[0]);
                }
                prop_assert!((sol.temporal_coherence - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn result_does_not_depend_on_interferogram_order(n in 4usize..14, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let net = random_network(n, &mut rng);
        let x = history(n, &mut rng);
        let y = phases(&net, &x, 0.5, 1, &mut rng);
        let coh: Vec<f64> = (0..y.len()).map(|_| rng.random_range(0.1..0.95)).collect();
        // A random permutation of the interferograms.
        let m = y.len();
        let mut perm: Vec<usize> = (0..m).collect();
        for i in (1..m).rev() {
            perm.swap(i, rng.random_range(0..=i));
        }
        let pairs: Vec<(usize, usize)> = perm.iter().map(|&k| {
            let p = net.pairs()[k];
            (p.reference, p.secondary)
        }).collect();
        let net2 = Network::new(net.dates().to_vec(), &pairs).unwrap();
        let y2: Vec<f64> = perm.iter().map(|&k| y[k]).collect();
        let coh2: Vec<f64> = perm.iter().map(|&k| coh[k]).collect();
        for norm in [Norm::L2, Norm::L1] {
            let inv = inverter(norm, Weighting::Coherence, Solver::Laplacian, GapPolicy::Error);
            let a = inv.invert_pixel(&net, &y, Some(&coh)).unwrap();
            let b = inv.invert_pixel(&net2, &y2, Some(&coh2)).unwrap();
            for d in 0..n {
                prop_assert!((a.phase[d] - b.phase[d]).abs() < 1e-7 * (1.0 + a.phase[d].abs()),
                    "{}: date {}: {} vs {}", norm, d, a.phase[d], b.phase[d]);
            }
            prop_assert!((a.temporal_coherence - b.temporal_coherence).abs() < 1e-7);
        }
    }

    #[test]
    fn laplacian_solver_agrees_with_svd(n in 4usize..16, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let net = random_network(n, &mut rng);
        let x = history(n, &mut rng);
        let mut y = phases(&net, &x, 0.8, 0, &mut rng);
        // Drop a few values (the network may split: minimum norm then).
        for v in y.iter_mut() {
            if rng.random::<f64>() < 0.1 {
                *v = f64::NAN;
            }
        }
        let coh: Vec<f64> = (0..y.len()).map(|_| rng.random_range(0.05..0.99)).collect();
        for w in [Weighting::No, Weighting::Variance] {
            for policy in [GapPolicy::MinNormVelocity, GapPolicy::MinNormPhase, GapPolicy::NsbasLinear] {
                let inv = |s| inverter(Norm::L2, w, s, policy).with_min_redundancy_off();
                let a = inv(Solver::Laplacian).invert_pixel(&net, &y, Some(&coh)).unwrap();
                let b = inv(Solver::Svd).invert_pixel(&net, &y, Some(&coh)).unwrap();
                prop_assert_eq!(a.status, b.status);
                prop_assert_eq!(a.rank, b.rank);
                for d in 0..n {
                    prop_assert!((a.phase[d] - b.phase[d]).abs() < 1e-8 * (1.0 + a.phase[d].abs()),
                        "{} {}: date {}: {} vs {}", w, policy, d, a.phase[d], b.phase[d]);
                }
            }
        }
    }

    /// With a large rcond the Laplacian path must fall back to its
    /// truncated eigen-solver and give MintPy's truncated-SVD answer.
    #[test]
    fn rank_revealing_fallback_matches_truncated_svd(n in 6usize..16, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let net = random_network(n, &mut rng);
        let x = history(n, &mut rng);
        let y = phases(&net, &x, 0.5, 0, &mut rng);
        let coh: Vec<f64> = (0..y.len()).map(|_| rng.random_range(0.05..0.99)).collect();
        for rcond in [0.05, 0.2] {
            let inv = |s| {
                inverter(Norm::L2, Weighting::Fisher, s, GapPolicy::Error)
                    .params()
                    .clone()
                    .with_rcond(rcond)
                    .build()
                    .unwrap()
            };
            let a = inv(Solver::Laplacian).invert_pixel(&net, &y, Some(&coh)).unwrap();
            let b = inv(Solver::Svd).invert_pixel(&net, &y, Some(&coh)).unwrap();
            prop_assert_eq!(a.rank, b.rank);
            for d in 0..n {
                prop_assert!((a.phase[d] - b.phase[d]).abs() < 1e-8 * (1.0 + a.phase[d].abs()),
                    "rcond {}: date {}: {} vs {}", rcond, d, a.phase[d], b.phase[d]);
            }
        }
    }

    #[test]
    fn quality_is_bounded_and_l1_is_optimal(n in 5usize..14, seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let net = random_network(n, &mut rng);
        let x = history(n, &mut rng);
        let y = phases(&net, &x, 0.3, 2, &mut rng);
        let sol = inverter(Norm::L1, Weighting::No, Solver::Laplacian, GapPolicy::Error)
            .invert_pixel(&net, &y, None).unwrap();
        prop_assert!((0.0..=1.0 + 1e-12).contains(&sol.temporal_coherence));
        prop_assert!(sol.residual_rms >= 0.0);
        let misfit = |h: &[f64]| -> f64 {
            net.pairs().iter().zip(&y).map(|(p, v)| (v - (h[p.secondary] - h[p.reference])).abs()).sum()
        };
        // The truth is one candidate: the L1 solution fits no worse (up to ε).
        let l1 = misfit(&sol.phase);
        prop_assert!(l1 <= misfit(&x) + 1e-3 * y.len() as f64, "{} > {}", l1, misfit(&x));
        let l2 = inverter(Norm::L2, Weighting::No, Solver::Laplacian, GapPolicy::Error)
            .invert_pixel(&net, &y, None).unwrap();
        prop_assert!(l1 <= misfit(&l2.phase) + 1e-3 * y.len() as f64);
    }

    #[test]
    fn selection_follows_the_rule(
        n in 2usize..40,
        step in 5i64..40,
        max_days in 1u32..60,
        lo in 300u32..400,
        width in 0u32..40,
        limit in 20.0f64..200.0,
        seed in any::<u64>(),
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let dates = regular_dates(n, step);
        let bperp: Vec<f64> = (0..n).map(|_| 100.0 * normal(&mut rng)).collect();
        let rule = NetworkParams::new()
            .with_max_temporal_baseline_days(max_days)
            .with_interannual_windows(vec![(lo, lo + width)])
            .with_max_perp_baseline_m(Some(limit))
            .build().unwrap();
        let candidate = |i: usize, j: usize| {
            let days = (dates[j] - dates[i]).num_days();
            days <= i64::from(max_days) || (i64::from(lo)..=i64::from(lo + width)).contains(&days)
        };
        match rule.select(&dates, Some(&bperp)) {
            Ok(sel) => {
                let mut kept = std::collections::HashSet::new();
                for p in sel.network.pairs() {
                    prop_assert!(candidate(p.reference, p.secondary));
                    prop_assert!((bperp[p.secondary] - bperp[p.reference]).abs() <= limit);
                    kept.insert((p.reference, p.secondary));
                }
                let n_cand = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                    .filter(|&(i, j)| candidate(i, j)).count();
                prop_assert_eq!(kept.len() + sel.dropped.len(), n_cand);
                for dp in &sel.dropped {
                    prop_assert!(dp.perp_baseline_m.abs() > limit);
                }
                let total: usize = sel.redundancy.iter().sum();
                prop_assert_eq!(total, 2 * sel.network.n_pairs());
            }
            Err(e) => {
                // Only when no candidate survives.
                prop_assert_eq!(e, insar_sbas::Error::EmptyNetwork);
            }
        }
    }
}

#[test]
fn large_rcond_truncates() {
    // The property above is only meaningful if truncation happens: it does
    // for this network (a chain of 12 dates with a few extra pairs).
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let net = random_network(12, &mut rng);
    let x = history(12, &mut rng);
    let y = phases(&net, &x, 0.5, 0, &mut rng);
    let coh: Vec<f64> = (0..y.len()).map(|_| rng.random_range(0.05..0.99)).collect();
    for solver in [Solver::Laplacian, Solver::Svd] {
        let sol = inverter(Norm::L2, Weighting::Fisher, solver, GapPolicy::Error)
            .params()
            .clone()
            .with_rcond(0.2)
            .build()
            .unwrap()
            .invert_pixel(&net, &y, Some(&coh))
            .unwrap();
        assert!(sol.rank < 11, "{solver:?}: rank {}", sol.rank);
    }
}

/// The SVD and Laplacian paths only agree on pixels both invert; switch off
/// the redundancy check so that dates left without data go to the policy.
trait NoRedundancy {
    fn with_min_redundancy_off(self) -> Inverter;
}

impl NoRedundancy for Inverter {
    fn with_min_redundancy_off(self) -> Inverter {
        self.params()
            .clone()
            .with_min_redundancy(0)
            .build()
            .unwrap()
    }
}
