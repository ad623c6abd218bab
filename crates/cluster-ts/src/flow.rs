//! Exact size-constrained assignment as a minimum-cost flow.
//!
//! Network: source → sample (capacity 1, cost 0) → cluster (capacity 1,
//! cost `c[i][j]`) → sink, where each cluster reaches the sink through a
//! *required* arc of capacity `min` and an *optional* arc of capacity
//! `max − min` that passes through one shared overflow node of capacity
//! `n − Σ min`. A flow of value `n` must saturate every required arc, so it
//! is exactly an assignment with `min ≤ size ≤ max`.
//!
//! It is solved by successive shortest paths (Ford & Fulkerson; Busacker &
//! Gowen 1960), one unit per augmentation. Because every sample node has a
//! single entry and the residual graph only ever routes through a sample to
//! move it between clusters, the sample nodes are collapsed: the residual
//! arc cluster a → cluster b costs `min over samples i in a of c[i][b] −
//! c[i][a]` (kept in lazily updated heaps), source → b costs the cheapest
//! unassigned sample, and each shortest path is found by Bellman–Ford on the
//! `k + 3` collapsed nodes (residual costs may be negative; successive
//! shortest paths keep the residual graph free of negative cycles). Total
//! work is `O(n·k²·log n + n·k³)`, which handles tens of thousands of
//! samples for the handful of clusters used in practice.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64, usize);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

type MinHeap = BinaryHeap<Reverse<Key>>;

/// Minimum-cost assignment of `n` samples to `k` clusters with per-cluster
/// bounds. `cost` is row-major `n × k` and must be finite; bounds must be
/// feasible (`Σ min ≤ n ≤ Σ max`, `min ≤ max`) — checked by the caller.
/// Returns the label of every sample, or `None` if the flow could not be
/// completed (infeasible bounds).
pub(crate) fn min_cost_assignment(
    cost: &[f64],
    n: usize,
    k: usize,
    mins: &[usize],
    maxs: &[usize],
) -> Option<Vec<usize>> {
    let c = |i: usize, j: usize| cost[i * k + j];
    let overflow_cap = n - mins.iter().sum::<usize>();
    let mut label: Vec<Option<usize>> = vec![None; n];
    let mut required = vec![0usize; k];
    let mut optional = vec![0usize; k];
    let mut overflow_used = 0usize;
    // Heaps of unassigned samples keyed by c[i][b], and of members of a keyed
    // by c[i][b] − c[i][a].
    let mut unassigned: Vec<MinHeap> = (0..k)
        .map(|b| (0..n).map(|i| Reverse(Key(c(i, b), i))).collect())
        .collect();
    let mut moves: Vec<Vec<MinHeap>> = (0..k)
        .map(|_| (0..k).map(|_| MinHeap::new()).collect())
        .collect();

    let (s, o, t) = (k, k + 1, k + 2);
    let nv = k + 3;
    for _ in 0..n {
        // Clean stale heap tops and read the collapsed arc costs.
        let mut arc_cost = vec![vec![f64::INFINITY; nv]; nv];
        let mut arc_sample = vec![vec![usize::MAX; nv]; nv];
        for b in 0..k {
            while let Some(Reverse(Key(_, i))) = unassigned[b].peek() {
                if label[*i].is_some() {
                    unassigned[b].pop();
                } else {
                    break;
                }
            }
            if let Some(Reverse(Key(v, i))) = unassigned[b].peek() {
                arc_cost[s][b] = *v;
                arc_sample[s][b] = *i;
            }
            for a in 0..k {
                if a == b {
                    continue;
                }
                let h = &mut moves[a][b];
                while let Some(Reverse(Key(_, i))) = h.peek() {
                    if label[*i] != Some(a) {
                        h.pop();
                    } else {
                        break;
                    }
                }
                if let Some(Reverse(Key(v, i))) = h.peek() {
                    arc_cost[a][b] = *v;
                    arc_sample[a][b] = *i;
                }
            }
            if required[b] < mins[b] {
                arc_cost[b][t] = 0.0;
            }
            if optional[b] < maxs[b] - mins[b] {
                arc_cost[b][o] = 0.0;
            }
            if optional[b] > 0 {
                arc_cost[o][b] = 0.0;
            }
        }
        if overflow_used < overflow_cap {
            arc_cost[o][t] = 0.0;
        }
        // Bellman–Ford from the source.
        let mut dist = vec![f64::INFINITY; nv];
        let mut pred = vec![usize::MAX; nv];
        dist[s] = 0.0;
        for _ in 0..nv {
            let mut changed = false;
            for u in 0..nv {
                if !dist[u].is_finite() || u == t {
                    continue;
                }
                for v in 0..nv {
                    let w = arc_cost[u][v];
                    if !w.is_finite() || v == s {
                        continue;
                    }
                    let nd = dist[u] + w;
                    if nd < dist[v] - 1e-12 * (1.0 + nd.abs()) {
                        dist[v] = nd;
                        pred[v] = u;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if !dist[t].is_finite() {
            return None;
        }
        // Path from the source to the sink.
        let mut path = vec![t];
        let mut v = t;
        while v != s {
            v = pred[v];
            if v == usize::MAX || path.len() > nv {
                return None;
            }
            path.push(v);
        }
        path.reverse();
        // Which sample each hop moves, read before any change.
        let hops: Vec<(usize, usize, usize)> = path
            .windows(2)
            .map(|w| (w[0], w[1], arc_sample[w[0]][w[1]]))
            .collect();
        for (u, v, i) in hops {
            if u == s || (u < k && v < k) {
                label[i] = Some(v);
                push_member(&mut moves, &c, i, v, k);
            } else if u < k && v == t {
                required[u] += 1;
            } else if u < k && v == o {
                optional[u] += 1;
            } else if u == o && v < k {
                optional[v] -= 1;
            } else if u == o && v == t {
                overflow_used += 1;
            }
        }
    }
    label.into_iter().collect()
}

fn push_member(
    moves: &mut [Vec<MinHeap>],
    c: &impl Fn(usize, usize) -> f64,
    i: usize,
    a: usize,
    k: usize,
) {
    let base = c(i, a);
    for (b, heap) in moves[a].iter_mut().enumerate().take(k) {
        if b != a {
            heap.push(Reverse(Key(c(i, b) - base, i)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(cost: &[f64], n: usize, k: usize, lo: usize, hi: usize) -> f64 {
        let mut best = f64::INFINITY;
        let total = k.pow(n as u32);
        for code in 0..total {
            let mut x = code;
            let mut sizes = vec![0; k];
            let mut s = 0.0;
            for i in 0..n {
                let l = x % k;
                x /= k;
                sizes[l] += 1;
                s += cost[i * k + l];
            }
            if sizes.iter().all(|&z| z >= lo && z <= hi) {
                best = best.min(s);
            }
        }
        best
    }

    #[test]
    fn optimal_on_small_cases() {
        let mut state = 12345u64;
        let mut rnd = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64) / ((1u64 << 53) as f64)
        };
        for n in 1..=7usize {
            for k in 1..=3 {
                for lo in 0..=n.div_ceil(k) {
                    for hi in lo.max(1)..=n {
                        if lo * k > n || hi * k < n {
                            continue;
                        }
                        let cost: Vec<f64> =
                            (0..n * k).map(|_| (rnd() * 10.0).round() - 3.0).collect();
                        let labels =
                            min_cost_assignment(&cost, n, k, &vec![lo; k], &vec![hi; k]).unwrap();
                        let mut sizes = vec![0; k];
                        let mut s = 0.0;
                        for (i, &l) in labels.iter().enumerate() {
                            sizes[l] += 1;
                            s += cost[i * k + l];
                        }
                        assert!(
                            sizes.iter().all(|&z| z >= lo && z <= hi),
                            "{sizes:?} {lo} {hi}"
                        );
                        let b = brute(&cost, n, k, lo, hi);
                        assert!(
                            (s - b).abs() < 1e-9,
                            "n={n} k={k} lo={lo} hi={hi}: {s} vs {b}"
                        );
                    }
                }
            }
        }
    }
}
