//! Silhouette coefficient (Rousseeuw 1987) with Euclidean distances, as
//! `sklearn.metrics.silhouette_samples` / `silhouette_score`.
//!
//! s(i) = (b − a) / max(a, b) with a the mean distance to the other members
//! of its cluster and b the smallest mean distance to another cluster;
//! s(i) = 0 for members of single-point clusters (and wherever a = b = 0).
//! O(n² d) time, O(n + k) memory; rows are processed in parallel, each
//! with a fixed summation order, so results do not depend on the thread
//! count.

use std::collections::HashMap;
use std::hash::Hash;

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::error::{check_len, GeoStatsError, Result};

/// Silhouette value of every sample. `points` has one row per sample.
///
/// Errors: length mismatch; non-finite coordinates; fewer than 2 or more
/// than n − 1 distinct labels (scikit-learn's rule).
pub fn silhouette_samples<T: Eq + Hash + Clone + Sync>(
    points: ArrayView2<'_, f64>,
    labels: &[T],
) -> Result<Vec<f64>> {
    let (n, d) = points.dim();
    check_len("labels", n, labels.len())?;
    if let Some(((i, j), &v)) = points.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(GeoStatsError::NonFinite {
            what: format!("points (column {j})"),
            index: i,
            value: v,
        });
    }
    let mut map: HashMap<T, usize> = HashMap::new();
    let codes: Vec<usize> = labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(l.clone()).or_insert(next)
        })
        .collect();
    let k = map.len();
    if !(k > 1 && k < n) {
        return Err(GeoStatsError::invalid(
            "labels",
            format!("{k} distinct labels for {n} samples"),
            "the number of labels must lie in 2..=n-1",
        ));
    }
    let mut freq = vec![0usize; k];
    for &c in &codes {
        freq[c] += 1;
    }
    let rows: Vec<Vec<f64>> = (0..n).map(|i| points.row(i).to_vec()).collect();
    let out = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut sums = vec![0.0f64; k];
            let pi = &rows[i];
            for (j, pj) in rows.iter().enumerate() {
                if j == i {
                    continue;
                }
                let mut s = 0.0;
                for t in 0..d {
                    let diff = pi[t] - pj[t];
                    s += diff * diff;
                }
                sums[codes[j]] += s.sqrt();
            }
            let own = codes[i];
            if freq[own] < 2 {
                return 0.0;
            }
            let a = sums[own] / (freq[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own)
                .map(|c| sums[c] / freq[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let s = (b - a) / a.max(b);
            if s.is_nan() {
                0.0
            } else {
                s
            }
        })
        .collect();
    Ok(out)
}

/// Mean silhouette over all samples (`sklearn.metrics.silhouette_score`).
///
/// ```
/// use ndarray::array;
/// use geo_stats::silhouette::silhouette_score;
/// let x = array![[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]];
/// let s = silhouette_score(x.view(), &[0, 0, 1, 1]).unwrap();
/// assert!(s > 0.95);
/// ```
pub fn silhouette_score<T: Eq + Hash + Clone + Sync>(
    points: ArrayView2<'_, f64>,
    labels: &[T],
) -> Result<f64> {
    let s = silhouette_samples(points, labels)?;
    Ok(s.iter().sum::<f64>() / s.len() as f64)
}
