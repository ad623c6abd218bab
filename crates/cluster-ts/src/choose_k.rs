//! Choosing the number of clusters: the elbow of the inertia curve and the
//! silhouette.

use ndarray::ArrayView2;

use crate::error::{ensure_param, Result};
use crate::kmeans::{check_data, pair::Pair, rows_of, KMeansParams};
use crate::silhouette::silhouette_samples_with;

/// Knee of a decreasing inertia curve: the `k` farthest below the chord
/// joining the first and last points, both axes scaled to \[0, 1\].
///
/// On normalised axes this is the maximum of Kneedle's difference curve
/// (Satopää, Albrecht, Irwin & Raghavan 2011) for a decreasing convex curve,
/// without its smoothing and threshold steps. Returns `None` with fewer than
/// three points, a flat curve, or no point strictly below the chord.
///
/// ```
/// use cluster_ts::elbow;
/// let ks = [1, 2, 3, 4, 5, 6];
/// let inertia = [100.0, 40.0, 12.0, 10.0, 9.0, 8.5];
/// assert_eq!(elbow(&ks, &inertia), Some(3));
/// ```
pub fn elbow(ks: &[usize], inertias: &[f64]) -> Option<usize> {
    let n = ks.len().min(inertias.len());
    if n < 3 {
        return None;
    }
    let (k0, k1) = (ks[0] as f64, ks[n - 1] as f64);
    let lo = inertias[..n].iter().copied().fold(f64::INFINITY, f64::min);
    let hi = inertias[..n]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if k1 <= k0 || hi <= lo || !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let x = |i: usize| (ks[i] as f64 - k0) / (k1 - k0);
    let y = |i: usize| (inertias[i] - lo) / (hi - lo);
    let (x0, y0, x1, y1) = (x(0), y(0), x(n - 1), y(n - 1));
    let mut best: Option<(f64, usize)> = None;
    for (i, &k) in ks.iter().enumerate().take(n - 1).skip(1) {
        // Vertical distance below the chord (∝ perpendicular distance).
        let chord = y0 + (y1 - y0) * (x(i) - x0) / (x1 - x0);
        let below = chord - y(i);
        if below > 1e-12 && best.is_none_or(|(b, _)| below > b) {
            best = Some((below, k));
        }
    }
    best.map(|(_, k)| k)
}

/// Inertia (and silhouette) for each candidate `k`.
#[derive(Debug, Clone, PartialEq)]
pub struct KSweep {
    /// Candidate numbers of clusters, in the order given.
    pub ks: Vec<usize>,
    /// Best inertia for each `k`.
    pub inertias: Vec<f64>,
    /// Mean silhouette for each `k` under the pair's distance (`None` for
    /// `k = 1` or `k ≥ n`, or when not requested).
    pub silhouettes: Vec<Option<f64>>,
    /// `k` at the elbow of the inertia curve ([`elbow`]).
    pub elbow: Option<usize>,
    /// `k` with the highest silhouette.
    pub best_silhouette: Option<usize>,
}

/// Runs k-means for every `k` in `ks` with the other parameters of
/// `template` and reports inertias, silhouettes (under `pair.distance`,
/// i.e. Euclidean for [`crate::Euclidean`], matching scikit-learn) and the
/// suggested `k` by both criteria.
pub fn sweep_k<P: Pair>(
    data: ArrayView2<'_, f64>,
    pair: &P,
    ks: &[usize],
    template: &KMeansParams,
    with_silhouette: bool,
) -> Result<KSweep> {
    ensure_param(!ks.is_empty(), "ks", "[]", "need at least one k")?;
    let owned = check_data("data", data)?;
    let rows = rows_of(&owned);
    let n = rows.len();
    let mut inertias = Vec::with_capacity(ks.len());
    let mut silhouettes = Vec::with_capacity(ks.len());
    for &k in ks {
        let km = KMeansParams {
            k,
            ..template.clone()
        }
        .build()?;
        let r = km.fit(owned.view(), pair)?;
        inertias.push(r.inertia);
        let s = if with_silhouette && k >= 2 && k < n {
            let dist = |i: usize, j: usize| pair.distance(rows[i], rows[j]);
            silhouette_samples_with(n, &r.labels, dist)
                .ok()
                .map(|s| s.iter().sum::<f64>() / n as f64)
        } else {
            None
        };
        silhouettes.push(s);
    }
    let mut best_silhouette: Option<(f64, usize)> = None;
    for (k, s) in ks.iter().zip(&silhouettes) {
        if let Some(s) = s {
            if best_silhouette.is_none_or(|(b, _)| *s > b) {
                best_silhouette = Some((*s, *k));
            }
        }
    }
    Ok(KSweep {
        elbow: elbow(ks, &inertias),
        ks: ks.to_vec(),
        inertias,
        silhouettes,
        best_silhouette: best_silhouette.map(|(_, k)| k),
    })
}
