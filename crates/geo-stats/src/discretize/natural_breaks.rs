//! Exact natural breaks (Fisher 1958; Jenks 1977): the partition of the
//! sorted values into k contiguous classes with the smallest total
//! within-class sum of squares.
//!
//! The dynamic programme runs on the *distinct* values with their
//! multiplicities as weights (identical values never end up in different
//! classes), and each layer is solved by divide and conquer over the
//! monotone optimal split points (the within-class sum of squares satisfies
//! the quadrangle inequality; Wang & Song 2011, Grønlund et al. 2017):
//! O(k · m · log m) time and O(k · m) memory for m distinct values, exact.
//! One run for k_max yields the optimum for every k ≤ k_max.

/// Ranges smaller than this are solved sequentially.
const PARALLEL_MIN: usize = 1 << 14;

/// Prefix sums for O(1) weighted sums of squares of any run of values.
struct Prefix {
    w: Vec<f64>,
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl Prefix {
    fn new(values: &[f64], weights: &[f64]) -> Self {
        let total: f64 = weights.iter().sum();
        let center = values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
        let m = values.len();
        let (mut w, mut s1, mut s2) = (
            Vec::with_capacity(m + 1),
            Vec::with_capacity(m + 1),
            Vec::with_capacity(m + 1),
        );
        w.push(0.0);
        s1.push(0.0);
        s2.push(0.0);
        // Compensated running sums (Neumaier) keep every prefix accurate.
        let (mut a, mut ca, mut b, mut cb, mut c, mut cc) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        let add = |sum: &mut f64, comp: &mut f64, v: f64| {
            let t = *sum + v;
            if sum.abs() >= v.abs() {
                *comp += (*sum - t) + v;
            } else {
                *comp += (v - t) + *sum;
            }
            *sum = t;
        };
        for (&v, &wt) in values.iter().zip(weights) {
            let d = v - center;
            add(&mut a, &mut ca, wt);
            add(&mut b, &mut cb, wt * d);
            add(&mut c, &mut cc, wt * d * d);
            w.push(a + ca);
            s1.push(b + cb);
            s2.push(c + cc);
        }
        Self { w, s1, s2 }
    }

    /// Weighted sum of squares of values `j..=i`.
    #[inline]
    fn cost(&self, j: usize, i: usize) -> f64 {
        let w = self.w[i + 1] - self.w[j];
        let s = self.s1[i + 1] - self.s1[j];
        let s2 = self.s2[i + 1] - self.s2[j];
        (s2 - s * s / w).max(0.0)
    }
}

/// The solved programme for up to `k_max` classes.
#[derive(Debug, Clone)]
pub(crate) struct NaturalBreaksTable {
    values: Vec<f64>,
    /// `back[q - 2][i]`: first index of the last class in the optimal
    /// partition of values `0..=i` into `q` classes.
    back: Vec<Vec<u32>>,
}

impl NaturalBreaksTable {
    /// Solves the programme for the sorted sample `sorted` (duplicates allowed).
    pub(crate) fn new(sorted: &[f64], k_max: usize) -> Self {
        let mut values: Vec<f64> = Vec::new();
        let mut weights: Vec<f64> = Vec::new();
        for &v in sorted {
            if values.last() == Some(&v) {
                *weights.last_mut().expect("non-empty") += 1.0;
            } else {
                values.push(v);
                weights.push(1.0);
            }
        }
        let m = values.len();
        let k_max = k_max.min(m).max(1);
        let prefix = Prefix::new(&values, &weights);
        let mut prev: Vec<f64> = (0..m).map(|i| prefix.cost(0, i)).collect();
        let mut back = Vec::with_capacity(k_max.saturating_sub(1));
        for q in 2..=k_max {
            let mut cur = vec![f64::INFINITY; m];
            let mut arg = vec![0u32; m];
            let lo = q - 1;
            solve(
                &prefix,
                &prev,
                q,
                lo,
                m - 1,
                q - 1,
                m - 1,
                &mut cur[lo..],
                &mut arg[lo..],
            );
            back.push(arg);
            prev = cur;
        }
        Self { values, back }
    }

    /// Number of distinct values.
    #[cfg(test)]
    pub(crate) fn n_distinct(&self) -> usize {
        self.values.len()
    }

    /// Interior class limits (the largest value of every class but the
    /// last) of the optimal partition into `k` classes (`k` is capped at
    /// the number of distinct values and at the `k_max` solved).
    pub(crate) fn breaks(&self, k: usize) -> Vec<f64> {
        let m = self.values.len();
        let k = k.min(self.back.len() + 1).min(m);
        let mut out = Vec::with_capacity(k.saturating_sub(1));
        let mut i = m - 1;
        for q in (2..=k).rev() {
            let j = self.back[q - 2][i] as usize;
            out.push(self.values[j - 1]);
            i = j - 1;
        }
        out.reverse();
        out
    }
}

/// Fills `cost[i - lo]`, `arg[i - lo]` for `i` in `lo..=hi`, searching the
/// start `j` of the last class in `optlo..=min(i, opthi)`.
#[allow(clippy::too_many_arguments)]
fn solve(
    prefix: &Prefix,
    prev: &[f64],
    q: usize,
    lo: usize,
    hi: usize,
    optlo: usize,
    opthi: usize,
    cost: &mut [f64],
    arg: &mut [u32],
) {
    if lo > hi {
        return;
    }
    let mid = lo + (hi - lo) / 2;
    let mut best = f64::INFINITY;
    let mut best_j = optlo.max(q - 1);
    let start = optlo.max(q - 1);
    let end = mid.min(opthi);
    for j in start..=end {
        let v = prev[j - 1] + prefix.cost(j, mid);
        if v < best {
            best = v;
            best_j = j;
        }
    }
    let (left_cost, rest_cost) = cost.split_at_mut(mid - lo);
    let (mid_cost, right_cost) = rest_cost.split_first_mut().expect("mid in range");
    let (left_arg, rest_arg) = arg.split_at_mut(mid - lo);
    let (mid_arg, right_arg) = rest_arg.split_first_mut().expect("mid in range");
    *mid_cost = best;
    *mid_arg = best_j as u32;
    let left = |lc: &mut [f64], la: &mut [u32]| {
        if mid > lo {
            solve(prefix, prev, q, lo, mid - 1, optlo, best_j, lc, la);
        }
    };
    let right = |rc: &mut [f64], ra: &mut [u32]| {
        solve(prefix, prev, q, mid + 1, hi, best_j, opthi, rc, ra);
    };
    if hi - lo >= PARALLEL_MIN {
        rayon::join(
            || left(left_cost, left_arg),
            || right(right_cost, right_arg),
        );
    } else {
        left(left_cost, left_arg);
        right(right_cost, right_arg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive O(k n²) Fisher programme on the distinct values.
    fn brute(sorted: &[f64], k: usize) -> f64 {
        let t = NaturalBreaksTable::new(sorted, k);
        let b = t.breaks(k);
        ssq_of(sorted, &b)
    }

    fn ssq_of(sorted: &[f64], breaks: &[f64]) -> f64 {
        let mut total = 0.0;
        let mut start = 0;
        for h in 0..=breaks.len() {
            let end = if h < breaks.len() {
                sorted.partition_point(|&v| v <= breaks[h])
            } else {
                sorted.len()
            };
            let seg = &sorted[start..end];
            if !seg.is_empty() {
                let mean = seg.iter().sum::<f64>() / seg.len() as f64;
                total += seg.iter().map(|v| (v - mean).powi(2)).sum::<f64>();
            }
            start = end;
        }
        total
    }

    fn exhaustive(
        sorted: &[f64],
        distinct: &[f64],
        from: usize,
        left: usize,
        chosen: &mut Vec<f64>,
        best: &mut f64,
    ) {
        if left == 0 {
            *best = best.min(ssq_of(sorted, chosen));
            return;
        }
        for i in from..distinct.len() - 1 {
            chosen.push(distinct[i]);
            exhaustive(sorted, distinct, i + 1, left - 1, chosen, best);
            chosen.pop();
        }
    }

    #[test]
    fn matches_exhaustive_search() {
        let mut sorted: Vec<f64> = (0..40).map(|i| ((i * 37 % 23) as f64).powf(1.3)).collect();
        sorted.sort_by(f64::total_cmp);
        let mut distinct = sorted.clone();
        distinct.dedup();
        for k in 2..=5 {
            let got = brute(&sorted, k);
            let mut best = f64::INFINITY;
            exhaustive(&sorted, &distinct, 0, k - 1, &mut Vec::new(), &mut best);
            assert!(
                (got - best).abs() <= 1e-9 * best.max(1.0),
                "k={k}: {got} vs {best}"
            );
        }
    }

    #[test]
    fn more_classes_than_values() {
        let sorted = [1.0, 1.0, 2.0, 5.0];
        let t = NaturalBreaksTable::new(&sorted, 6);
        assert_eq!(t.n_distinct(), 3);
        assert_eq!(t.breaks(6), vec![1.0, 2.0]);
        assert_eq!(t.breaks(2), vec![2.0]);
    }
}
