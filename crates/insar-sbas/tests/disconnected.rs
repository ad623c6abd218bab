//! Acceptance: networks with two disconnected groups. The default errors
//! out naming the gap; each explicit policy gives its documented solution.

mod common;

use approx::assert_abs_diff_eq;
use chrono::{Duration, NaiveDate};
use common::regular_dates;
use insar_sbas::{Error, GapPolicy, InversionParams, Network, PixelStatus, Solver, Weighting};
use ndarray::Array3;

/// 8 + 8 dates (12-day spacing) with a 72-day gap between 2017-03-28 and
/// 2017-06-08; all pairs ≤ 36 days inside each group.
fn two_groups() -> Network {
    let t0 = NaiveDate::from_ymd_opt(2017, 1, 3).unwrap();
    let mut dates: Vec<NaiveDate> = (0..8).map(|i| t0 + Duration::days(12 * i)).collect();
    let t1 = dates[7] + Duration::days(72);
    dates.extend((0..8).map(|i| t1 + Duration::days(12 * i)));
    let mut pairs = Vec::new();
    for i in 0..16 {
        for j in i + 1..16 {
            if (dates[j] - dates[i]).num_days() <= 36 {
                pairs.push((i, j));
            }
        }
    }
    Network::new(dates, &pairs).unwrap()
}

/// Phases of every pair for a pixel whose phase history is `x`.
fn stack_from(net: &Network, x: &[f64], noise: f64) -> Array3<f64> {
    let mut s = Array3::zeros((net.n_pairs(), 1, 1));
    for (k, p) in net.pairs().iter().enumerate() {
        s[[k, 0, 0]] = x[p.secondary] - x[p.reference] + noise * ((k * 37 % 11) as f64 - 5.0) / 5.0;
    }
    s
}

fn invert(net: &Network, stack: &Array3<f64>, policy: GapPolicy, solver: Solver) -> Vec<f64> {
    let ts = InversionParams::new()
        .with_gap_policy(policy)
        .with_solver(solver)
        .build()
        .unwrap()
        .invert(net, stack.view(), None)
        .unwrap();
    assert_eq!(ts.status[[0, 0]], PixelStatus::Inverted);
    assert_eq!(ts.components[[0, 0]], 2);
    assert_eq!(ts.rank[[0, 0]] as usize, net.n_dates() - 2);
    ts.phase.iter().copied().collect()
}

#[test]
fn default_policy_refuses_and_names_the_gap() {
    let net = two_groups();
    let x: Vec<f64> = net.years().iter().map(|t| 10.0 * t).collect();
    let stack = stack_from(&net, &x, 0.0);
    let inv = InversionParams::new().build().unwrap();
    let expected = "network splits between 2017-03-28 and 2017-06-08";
    for err in [
        inv.invert(&net, stack.view(), None).unwrap_err(),
        inv.invert_pixel(&net, &stack.iter().copied().collect::<Vec<_>>(), None)
            .unwrap_err(),
        net.check_connected().unwrap_err(),
    ] {
        assert!(
            matches!(
                err,
                Error::DisconnectedNetwork {
                    n_components: 2,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains(expected), "{err}");
    }
}

#[test]
fn minimum_norm_velocity_is_mintpys_lstsq_on_b() {
    let net = two_groups();
    let x: Vec<f64> = net
        .years()
        .iter()
        .map(|t| 25.0 * t + (6.0 * t).sin())
        .collect();
    let stack = stack_from(&net, &x, 0.3);
    let lap = invert(&net, &stack, GapPolicy::MinNormVelocity, Solver::Laplacian);
    let svd = invert(&net, &stack, GapPolicy::MinNormVelocity, Solver::Svd);
    for (a, b) in lap.iter().zip(&svd) {
        assert_abs_diff_eq!(a, b, epsilon = 1e-10);
    }
    // Minimum norm: the velocity is orthogonal to the null direction of B,
    // which shifts the second group (v_j changes by ±1/dt_j where the group
    // indicator changes).
    let dt = net.interval_years();
    let v: Vec<f64> = (0..dt.len())
        .map(|j| (lap[j + 1] - lap[j]) / dt[j])
        .collect();
    let gap = 7; // interval between date 7 and date 8
    let u: Vec<f64> = (0..dt.len())
        .map(|j| if j == gap { 1.0 / dt[j] } else { 0.0 })
        .collect();
    let dot: f64 = v.iter().zip(&u).map(|(a, b)| a * b).sum();
    assert_abs_diff_eq!(dot, 0.0, epsilon = 1e-9);
    // So the velocity across the gap is zero: the second group starts where
    // the first ends.
    assert_abs_diff_eq!(lap[8], lap[7], epsilon = 1e-9);
}

#[test]
fn minimum_norm_phase_centres_the_second_group() {
    let net = two_groups();
    let x: Vec<f64> = net.years().iter().map(|t| 25.0 * t).collect();
    let stack = stack_from(&net, &x, 0.3);
    let lap = invert(&net, &stack, GapPolicy::MinNormPhase, Solver::Laplacian);
    let svd = invert(&net, &stack, GapPolicy::MinNormPhase, Solver::Svd);
    for (a, b) in lap.iter().zip(&svd) {
        assert_abs_diff_eq!(a, b, epsilon = 1e-10);
    }
    let mean: f64 = lap[8..].iter().sum::<f64>() / 8.0;
    assert_abs_diff_eq!(mean, 0.0, epsilon = 1e-10);
    assert_abs_diff_eq!(lap[0], 0.0, epsilon = 0.0);
}

#[test]
fn nsbas_bridges_a_linear_history_exactly() {
    let net = two_groups();
    let x: Vec<f64> = net.years().iter().map(|t| -30.0 * t).collect();
    let stack = stack_from(&net, &x, 0.0);
    for solver in [Solver::Laplacian, Solver::Svd] {
        let got = invert(&net, &stack, GapPolicy::NsbasLinear, solver);
        for (a, b) in got.iter().zip(&x) {
            assert_abs_diff_eq!(a, b, epsilon = 1e-9);
        }
    }
    // The minimum-norm answers do not know the trend and miss it.
    let mn = invert(&net, &stack, GapPolicy::MinNormVelocity, Solver::Laplacian);
    assert!((mn[15] - x[15]).abs() > 1.0);
}

#[test]
fn nsbas_puts_an_unobserved_date_on_the_line() {
    // A date no interferogram touches, inside a connected run of dates.
    let dates = regular_dates(12, 12);
    let mut pairs = Vec::new();
    for i in 0..12 {
        for j in i + 1..12 {
            if j - i <= 3 && i != 6 && j != 6 {
                pairs.push((i, j));
            }
        }
    }
    let net = Network::new(dates, &pairs).unwrap();
    assert_eq!(net.components().len(), 2);
    assert!(net
        .check_connected()
        .unwrap_err()
        .to_string()
        .contains("is joined to no other date"));
    let x: Vec<f64> = net.years().iter().map(|t| 12.0 * t).collect();
    let stack = stack_from(&net, &x, 0.0);
    // MintPy's redundancy check would refuse the pixel; switch it off.
    let ts = InversionParams::new()
        .with_gap_policy(GapPolicy::NsbasLinear)
        .with_min_redundancy(0)
        .build()
        .unwrap()
        .invert(&net, stack.view(), None)
        .unwrap();
    assert_abs_diff_eq!(ts.phase[[6, 0, 0]], x[6], epsilon = 1e-9);
    // With the default redundancy the pixel is reported, not inverted.
    let ts = InversionParams::new()
        .with_gap_policy(GapPolicy::NsbasLinear)
        .build()
        .unwrap()
        .invert(&net, stack.view(), None)
        .unwrap();
    assert_eq!(ts.status[[0, 0]], PixelStatus::LowRedundancy);
    assert!(ts.phase[[6, 0, 0]].is_nan());
}

#[test]
fn pixels_split_by_missing_values_follow_the_policy() {
    // A connected network where one pixel loses the only pairs across a gap.
    let t0 = NaiveDate::from_ymd_opt(2017, 1, 3).unwrap();
    let dates: Vec<NaiveDate> = [0, 12, 24, 36, 96, 108, 120, 132]
        .iter()
        .map(|&d| t0 + Duration::days(d))
        .collect();
    let mut pairs = vec![
        (0, 1),
        (1, 2),
        (2, 3),
        (0, 2),
        (4, 5),
        (5, 6),
        (6, 7),
        (4, 6),
    ];
    pairs.extend([(3, 4), (2, 4)]); // the bridges
    let net = Network::new(dates, &pairs).unwrap();
    assert!(net.components().is_connected());
    let x: Vec<f64> = net.years().iter().map(|t| 8.0 * t).collect();
    let mut stack = Array3::zeros((net.n_pairs(), 1, 2));
    for (k, p) in net.pairs().iter().enumerate() {
        for c in 0..2 {
            stack[[k, 0, c]] = x[p.secondary] - x[p.reference];
        }
    }
    stack[[8, 0, 1]] = f64::NAN;
    stack[[9, 0, 1]] = f64::NAN;
    let coh = stack.mapv(|_| 0.7);
    for w in [Weighting::No, Weighting::Coherence] {
        let ts = InversionParams::new()
            .with_weighting(w)
            .build()
            .unwrap()
            .invert(&net, stack.view(), Some(coh.view()))
            .unwrap();
        assert_eq!(ts.status[[0, 0]], PixelStatus::Inverted);
        assert_eq!(ts.status[[0, 1]], PixelStatus::Disconnected);
        assert_eq!(ts.components[[0, 1]], 2);
        assert_eq!(ts.n_used[[0, 1]], 8);
        assert!(ts
            .phase
            .slice(ndarray::s![.., 0, 1])
            .iter()
            .all(|v| v.is_nan()));
        assert!(ts.temporal_coherence[[0, 1]].is_nan());
        let ts = InversionParams::new()
            .with_weighting(w)
            .with_gap_policy(GapPolicy::NsbasLinear)
            .build()
            .unwrap()
            .invert(&net, stack.view(), Some(coh.view()))
            .unwrap();
        assert_eq!(ts.status[[0, 1]], PixelStatus::Inverted);
        for (d, xd) in x.iter().enumerate() {
            assert_abs_diff_eq!(ts.phase[[d, 0, 1]], xd, epsilon = 1e-9);
        }
    }
}

#[test]
fn gap_policies_parse_from_text() {
    for (s, p) in [
        ("error", GapPolicy::Error),
        ("min-norm-velocity", GapPolicy::MinNormVelocity),
        ("min_norm_phase", GapPolicy::MinNormPhase),
        ("NSBAS", GapPolicy::NsbasLinear),
    ] {
        assert_eq!(s.parse::<GapPolicy>().unwrap(), p);
        assert_eq!(p.to_string().parse::<GapPolicy>().unwrap(), p);
    }
    assert!("bridge".parse::<GapPolicy>().is_err());
}
