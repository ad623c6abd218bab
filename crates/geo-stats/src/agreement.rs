//! Agreement between two labelings: the adjusted Rand index (Hubert &
//! Arabie 1985) and normalised mutual information with the arithmetic-mean
//! normaliser (Vinh, Epps & Bailey 2010), computed as scikit-learn 1.9
//! computes `adjusted_rand_score` and `normalized_mutual_info_score`.
//!
//! Labels are any hashable values; a noise label such as −1 is treated as
//! an ordinary cluster, as scikit-learn does.

use std::collections::HashMap;
use std::hash::Hash;

use crate::error::{check_len, GeoStatsError, Result};

/// Contingency table of two labelings: (row code, column code) → count.
struct Contingency {
    cells: Vec<(usize, usize, u64)>,
    rows: Vec<u64>,
    cols: Vec<u64>,
    n: u64,
}

fn encode<T: Eq + Hash + Clone>(labels: &[T]) -> (Vec<usize>, usize) {
    let mut map: HashMap<T, usize> = HashMap::new();
    let codes = labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(l.clone()).or_insert(next)
        })
        .collect();
    (codes, map.len())
}

fn contingency<T: Eq + Hash + Clone, U: Eq + Hash + Clone>(
    a: &[T],
    b: &[U],
) -> Result<Contingency> {
    check_len("labels_pred", a.len(), b.len())?;
    if a.is_empty() {
        return Err(GeoStatsError::EmptyInput {
            what: "labels_true".into(),
        });
    }
    let (ca, na) = encode(a);
    let (cb, nb) = encode(b);
    let mut counts: HashMap<(usize, usize), u64> = HashMap::new();
    for (&i, &j) in ca.iter().zip(&cb) {
        *counts.entry((i, j)).or_insert(0) += 1;
    }
    let mut cells: Vec<(usize, usize, u64)> =
        counts.into_iter().map(|((i, j), c)| (i, j, c)).collect();
    cells.sort_unstable();
    let mut rows = vec![0u64; na];
    let mut cols = vec![0u64; nb];
    for &(i, j, c) in &cells {
        rows[i] += c;
        cols[j] += c;
    }
    Ok(Contingency {
        cells,
        rows,
        cols,
        n: a.len() as u64,
    })
}

/// Adjusted Rand index of two labelings (1 for identical partitions, about
/// 0 for independent ones, possibly negative).
///
/// Errors: length mismatch; empty labelings.
///
/// ```
/// use geo_stats::agreement::adjusted_rand_index;
/// let a = [0, 0, 1, 1, 2, 2];
/// let b = ["x", "x", "y", "y", "z", "z"];
/// assert_eq!(adjusted_rand_index(&a, &b).unwrap(), 1.0);
/// ```
pub fn adjusted_rand_index<T, U>(labels_true: &[T], labels_pred: &[U]) -> Result<f64>
where
    T: Eq + Hash + Clone,
    U: Eq + Hash + Clone,
{
    let c = contingency(labels_true, labels_pred)?;
    // Pair confusion matrix (scikit-learn's pair_confusion_matrix), exact in i128.
    let n = c.n as i128;
    let sum_squares: i128 = c
        .cells
        .iter()
        .map(|&(_, _, v)| (v as i128) * (v as i128))
        .sum();
    let mut dot_rows: i128 = 0; // Σ_ij n_ij · (column total of j)
    let mut dot_cols: i128 = 0; // Σ_ij n_ij · (row total of i)
    for &(i, j, v) in &c.cells {
        dot_rows += v as i128 * c.cols[j] as i128;
        dot_cols += v as i128 * c.rows[i] as i128;
    }
    let tp = sum_squares - n;
    let fp = dot_rows - sum_squares;
    let fn_ = dot_cols - sum_squares;
    let tn = n * n - fp - fn_ - sum_squares;
    if fn_ == 0 && fp == 0 {
        return Ok(1.0);
    }
    let num = (tp * tn - fn_ * fp) as f64;
    let den = ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64;
    Ok(2.0 * num / den)
}

fn entropy(counts: &[u64]) -> f64 {
    let nz: Vec<f64> = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| c as f64)
        .collect();
    if nz.len() <= 1 {
        return 0.0;
    }
    let total: f64 = nz.iter().sum();
    let lt = total.ln();
    -nz.iter().map(|&p| (p / total) * (p.ln() - lt)).sum::<f64>()
}

/// Mutual information (natural log) of two labelings, as
/// `sklearn.metrics.mutual_info_score`.
pub fn mutual_information<T, U>(labels_true: &[T], labels_pred: &[U]) -> Result<f64>
where
    T: Eq + Hash + Clone,
    U: Eq + Hash + Clone,
{
    let c = contingency(labels_true, labels_pred)?;
    Ok(mutual_information_of(&c))
}

fn mutual_information_of(c: &Contingency) -> f64 {
    if c.rows.len() == 1 || c.cols.len() == 1 {
        return 0.0;
    }
    let total = c.n as f64;
    let log_total = total.ln();
    let log_pi_sum = (c.rows.iter().sum::<u64>() as f64).ln();
    let log_pj_sum = (c.cols.iter().sum::<u64>() as f64).ln();
    let mut mi = 0.0;
    for &(i, j, v) in &c.cells {
        let nm = v as f64 / total;
        let outer = (c.rows[i] as i128 * c.cols[j] as i128) as f64;
        let log_outer = -outer.ln() + log_pi_sum + log_pj_sum;
        let term = nm * ((v as f64).ln() - log_total) + nm * log_outer;
        if term.abs() >= f64::EPSILON {
            mi += term;
        }
    }
    mi.max(0.0)
}

/// Normalised mutual information with the arithmetic-mean normaliser
/// (scikit-learn's default `average_method="arithmetic"`): 1 for identical
/// partitions, 0 for independent ones.
///
/// Errors: length mismatch; empty labelings.
pub fn normalized_mutual_information<T, U>(labels_true: &[T], labels_pred: &[U]) -> Result<f64>
where
    T: Eq + Hash + Clone,
    U: Eq + Hash + Clone,
{
    let c = contingency(labels_true, labels_pred)?;
    if c.rows.len() == 1 && c.cols.len() == 1 {
        return Ok(1.0);
    }
    let mi = mutual_information_of(&c);
    if mi == 0.0 {
        return Ok(0.0);
    }
    let h_true = entropy(&c.rows);
    let h_pred = entropy(&c.cols);
    let normalizer = (h_true + h_pred) / 2.0;
    Ok(mi / normalizer)
}
