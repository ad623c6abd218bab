//! Network selection: temporal baseline, inter-annual windows, |B⊥| limit,
//! components, redundancy, dropped pairs.

mod common;

use chrono::{Duration, NaiveDate};
use common::regular_dates;
use insar_sbas::{NetworkParams, Pair};

#[test]
fn default_rule_on_a_twelve_day_schedule() {
    // 12-day revisits for two years: short pairs 12, 24, 36 days; windows
    // 350–380 (360, 372 days) and 725–735 (732 days).
    let dates = regular_dates(64, 12);
    let sel = NetworkParams::new()
        .build()
        .unwrap()
        .select(&dates, None)
        .unwrap();
    let net = &sel.network;
    let mut by_span = std::collections::BTreeMap::new();
    for p in net.pairs() {
        assert!(p.reference < p.secondary);
        *by_span.entry(12 * (p.secondary - p.reference)).or_insert(0) += 1;
    }
    let expected: Vec<(usize, usize)> =
        vec![(12, 63), (24, 62), (36, 61), (360, 34), (372, 33), (732, 3)];
    assert_eq!(by_span.into_iter().collect::<Vec<_>>(), expected);
    assert!(sel.dropped.is_empty());
    assert!(sel.components.is_connected());
    assert_eq!(sel.redundancy, net.redundancy());
    // The first date: 3 short pairs, 2 annual, 1 biennial.
    assert_eq!(sel.redundancy[0], 6);
    // Pairs are ordered by reference, then secondary date.
    assert_eq!(
        net.pairs()[0],
        Pair {
            reference: 0,
            secondary: 1
        }
    );
}

#[test]
fn perpendicular_baseline_limit_drops_pairs_and_reports_them() {
    let dates = regular_dates(6, 12);
    let bperp = [0.0, 40.0, -90.0, 10.0, 160.0, 20.0];
    let sel = NetworkParams::new()
        .with_max_perp_baseline_m(Some(100.0))
        .build()
        .unwrap()
        .select(&dates, Some(&bperp))
        .unwrap();
    for p in sel.network.pairs() {
        assert!((bperp[p.secondary] - bperp[p.reference]).abs() <= 100.0);
    }
    let dropped: Vec<(usize, usize, f64)> = sel
        .dropped
        .iter()
        .map(|d| {
            let i = dates.iter().position(|&x| x == d.reference).unwrap();
            let j = dates.iter().position(|&x| x == d.secondary).unwrap();
            (i, j, d.perp_baseline_m)
        })
        .collect();
    // Candidates (≤ 36 days) with |ΔB⊥| > 100 m; (2, 3) at exactly 100 m stays.
    assert_eq!(
        dropped,
        vec![
            (1, 2, -130.0),
            (1, 4, 120.0),
            (2, 4, 250.0),
            (2, 5, 110.0),
            (3, 4, 150.0),
            (4, 5, -140.0)
        ]
    );
    assert_eq!(
        sel.network.n_pairs() + sel.dropped.len(),
        NetworkParams::new()
            .build()
            .unwrap()
            .select(&dates, None)
            .unwrap()
            .network
            .n_pairs()
    );
    // Date 4 has lost every pair: the selection is disconnected.
    assert_eq!(sel.redundancy[4], 0);
    assert_eq!(sel.components.len(), 2);
    assert!(sel
        .network
        .check_connected()
        .unwrap_err()
        .to_string()
        .contains(&format!("date {} is joined to no other date", dates[4])));
}

#[test]
fn windows_are_inclusive_and_any_number() {
    let t0 = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    let dates: Vec<NaiveDate> = [0, 100, 200, 300, 400, 500]
        .iter()
        .map(|&d| t0 + Duration::days(d))
        .collect();
    let rule = NetworkParams::new()
        .with_max_temporal_baseline_days(99)
        .with_interannual_windows(vec![(100, 100), (400, 500)])
        .build()
        .unwrap();
    assert!(rule.is_candidate(99) && rule.is_candidate(100) && !rule.is_candidate(101));
    assert!(rule.is_candidate(400) && rule.is_candidate(500) && !rule.is_candidate(399));
    let sel = rule.select(&dates, None).unwrap();
    // 100-day pairs (5), 400-day (2), 500-day (1).
    assert_eq!(sel.network.n_pairs(), 8);
    // A gap wider than every window splits the network, and says where.
    let gap_dates: Vec<NaiveDate> = [0, 12, 24, 300, 312]
        .iter()
        .map(|&d| t0 + Duration::days(d))
        .collect();
    let sel = NetworkParams::new()
        .with_interannual_windows(vec![])
        .build()
        .unwrap()
        .select(&gap_dates, None)
        .unwrap();
    assert_eq!(sel.components.groups(), &[vec![0, 1, 2], vec![3, 4]]);
    assert_eq!(
        sel.network.check_connected().unwrap_err().to_string(),
        "disconnected network: 2 components: network splits between 2018-01-25 and 2018-10-28; \
         choose GapPolicy::MinNormVelocity, MinNormPhase or NsbasLinear to invert it anyway"
    );
}
