//! Greedy k-means++ seeding (Arthur & Vassilvitskii 2007), as scikit-learn
//! implements it: each new centre is the best of `2 + ⌊ln k⌋` candidates
//! drawn by D² sampling.

use rand::Rng;
use rayon::prelude::*;

use super::pair::Pair;

/// Indices of `k` seeds chosen among `rows`.
pub(crate) fn kmeans_plus_plus<P: Pair, R: Rng>(
    rows: &[&[f64]],
    k: usize,
    pair: &P,
    rng: &mut R,
) -> Vec<usize> {
    let n = rows.len();
    let n_trials = 2 + (k as f64).ln().floor() as usize;
    let first = rng.random_range(0..n);
    let mut chosen = vec![first];
    let mut closest: Vec<f64> = rows
        .par_iter()
        .map(|x| pair.seeding_cost(x, rows[first]))
        .collect();
    let mut pot: f64 = closest.iter().sum();
    while chosen.len() < k {
        let mut cum = Vec::with_capacity(n);
        let mut s = 0.0;
        for c in &closest {
            s += c;
            cum.push(s);
        }
        let candidates: Vec<usize> = (0..n_trials)
            .map(|_| {
                if pot > 0.0 && pot.is_finite() {
                    let r = rng.random::<f64>() * pot;
                    // numpy.searchsorted(side="left"), clipped to n − 1.
                    cum.partition_point(|&c| c < r).min(n - 1)
                } else {
                    rng.random_range(0..n)
                }
            })
            .collect();
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for cand in candidates {
            let new: Vec<f64> = rows
                .par_iter()
                .zip(closest.par_iter())
                .map(|(x, &c)| c.min(pair.seeding_cost(x, rows[cand])))
                .collect();
            let p: f64 = new.iter().sum();
            if best.as_ref().is_none_or(|(bp, _, _)| p < *bp) {
                best = Some((p, cand, new));
            }
        }
        let (p, cand, new) = best.expect("at least two candidates");
        chosen.push(cand);
        closest = new;
        pot = p;
    }
    chosen
}
