//! Silhouette coefficients (Rousseeuw 1987), matching
//! `sklearn.metrics.silhouette_samples` / `silhouette_score`.
//!
//! For sample i in cluster A: a = mean distance to the other members of A,
//! b = smallest mean distance to the members of another cluster,
//! s = (b − a)/max(a, b); s = 0 for members of singleton clusters (and when
//! a = b = 0). The score is the mean of s over all samples. Every distinct
//! label is a cluster (DBSCAN noise, −1, included), as in scikit-learn.

use std::collections::BTreeMap;

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::kmeans::check_data;

/// Dense cluster index `0..n_clusters` of every label.
fn dense_labels<L: Copy + Ord>(labels: &[L]) -> (Vec<usize>, usize) {
    let mut map = BTreeMap::new();
    for &l in labels {
        let next = map.len();
        map.entry(l).or_insert(next);
    }
    (labels.iter().map(|l| map[l]).collect(), map.len())
}

/// Silhouette of every sample under an arbitrary symmetric distance
/// `dist(i, j)` between samples `0..n`.
///
/// Errors when `labels.len() != n` or the number of distinct labels is not
/// in `2..=n−1` (scikit-learn's rule).
pub fn silhouette_samples_with<L, F>(n: usize, labels: &[L], dist: F) -> Result<Vec<f64>>
where
    L: Copy + Ord,
    F: Fn(usize, usize) -> f64 + Sync,
{
    if labels.len() != n {
        return Err(Error::ShapeMismatch {
            what: "labels",
            expected: n,
            found: labels.len(),
        });
    }
    let (dense, n_labels) = dense_labels(labels);
    if n_labels < 2 || n_labels > n.saturating_sub(1) {
        return Err(Error::InvalidLabels {
            what: "labels",
            reason: format!(
                "silhouette needs 2 ≤ number of labels ≤ n_samples − 1, got {n_labels} labels for {n} samples"
            ),
        });
    }
    let mut sizes = vec![0usize; n_labels];
    for &l in &dense {
        sizes[l] += 1;
    }
    Ok((0..n)
        .into_par_iter()
        .map(|i| {
            let mut sums = vec![0.0; n_labels];
            for j in 0..n {
                sums[dense[j]] += dist(i, j);
            }
            let own = dense[i];
            if sizes[own] <= 1 {
                return 0.0;
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..n_labels)
                .filter(|&c| c != own)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 {
                (b - a) / m
            } else {
                0.0
            }
        })
        .collect())
}

fn euclid(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Euclidean silhouette of every row of `data` (`(n_samples, n_features)`).
pub fn silhouette_samples<L: Copy + Ord>(
    data: ArrayView2<'_, f64>,
    labels: &[L],
) -> Result<Vec<f64>> {
    let data = check_data("data", data)?;
    let rows = crate::kmeans::rows_of(&data);
    silhouette_samples_with(rows.len(), labels, |i, j| euclid(rows[i], rows[j]))
}

/// Mean Euclidean silhouette, as `sklearn.metrics.silhouette_score(X, labels)`.
///
/// ```
/// use cluster_ts::silhouette_score;
/// use ndarray::array;
/// let x = array![[0.0], [0.1], [5.0], [5.1]];
/// let s = silhouette_score(x.view(), &[0, 0, 1, 1]).unwrap();
/// assert!(s > 0.95);
/// ```
pub fn silhouette_score<L: Copy + Ord>(data: ArrayView2<'_, f64>, labels: &[L]) -> Result<f64> {
    let s = silhouette_samples(data, labels)?;
    Ok(s.iter().sum::<f64>() / s.len() as f64)
}
