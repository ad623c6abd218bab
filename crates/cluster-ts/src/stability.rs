//! Seed stability: repeat k-means over seeds and compare the label sets
//! pairwise with an agreement index.
//!
//! The agreement indices are `geo-stats`' adjusted Rand index
//! ([`AdjustedRand`]) and normalised mutual information
//! ([`NormalizedMutualInfo`], arithmetic normaliser), both equal to
//! scikit-learn's to 1e-12; [`seed_stability`] runs the seeds and
//! summarises both. [`pairwise_agreement`] takes any [`Agreement`] — a
//! closure `Fn(&[usize], &[usize]) -> f64` works too:
//!
//! ```
//! use cluster_ts::{pairwise_agreement, AdjustedRand, NormalizedMutualInfo, RandIndex};
//! let runs = vec![vec![0, 0, 1, 1], vec![1, 1, 0, 0], vec![0, 1, 0, 1]];
//! let ari = pairwise_agreement(&runs, &AdjustedRand).unwrap();
//! assert!((ari.matrix[[0, 1]] - 1.0).abs() < 1e-12);
//! assert!((ari.matrix[[0, 2]] + 0.5).abs() < 1e-12); // sklearn: -0.5
//! let nmi = pairwise_agreement(&runs, &NormalizedMutualInfo).unwrap();
//! assert!(nmi.matrix[[0, 2]].abs() < 1e-12);
//! assert_eq!(pairwise_agreement(&runs, &RandIndex).unwrap().matrix[[0, 1]], 1.0);
//! let same = |a: &[usize], b: &[usize]| (a == b) as u8 as f64;
//! assert_eq!(pairwise_agreement(&runs, &same).unwrap().matrix[[0, 1]], 0.0);
//! ```

use ndarray::{Array2, ArrayView2};

use crate::error::{Error, Result};
use crate::kmeans::{pair::Pair, KMeansParams};

/// A symmetric agreement index between two labelings of the same samples
/// (1 = identical partitions for the usual indices).
pub trait Agreement {
    /// Agreement between labelings `a` and `b` (same length).
    fn agreement(&self, a: &[usize], b: &[usize]) -> f64;
}

impl<F: Fn(&[usize], &[usize]) -> f64> Agreement for F {
    fn agreement(&self, a: &[usize], b: &[usize]) -> f64 {
        self(a, b)
    }
}

/// The plain (unadjusted) Rand index (Rand 1971): the fraction of sample
/// pairs on which two partitions agree. Invariant to relabelling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RandIndex;

impl Agreement for RandIndex {
    fn agreement(&self, a: &[usize], b: &[usize]) -> f64 {
        let n = a.len().min(b.len());
        if n < 2 {
            return 1.0;
        }
        let ka = a.iter().copied().max().unwrap_or(0) + 1;
        let kb = b.iter().copied().max().unwrap_or(0) + 1;
        let mut table = vec![0u64; ka * kb];
        let mut ra = vec![0u64; ka];
        let mut rb = vec![0u64; kb];
        for i in 0..n {
            table[a[i] * kb + b[i]] += 1;
            ra[a[i]] += 1;
            rb[b[i]] += 1;
        }
        let c2 = |x: u64| (x * x.saturating_sub(1) / 2) as f64;
        let both: f64 = table.iter().map(|&x| c2(x)).sum();
        let sa: f64 = ra.iter().map(|&x| c2(x)).sum();
        let sb: f64 = rb.iter().map(|&x| c2(x)).sum();
        let total = c2(n as u64);
        (total + 2.0 * both - sa - sb) / total
    }
}

/// Adjusted Rand index (Hubert & Arabie 1985) from `geo-stats`.
///
/// Labelings of different lengths or empty labelings give NaN (use
/// [`pairwise_agreement`], which checks the lengths first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdjustedRand;

impl Agreement for AdjustedRand {
    fn agreement(&self, a: &[usize], b: &[usize]) -> f64 {
        geo_stats::agreement::adjusted_rand_index(a, b).unwrap_or(f64::NAN)
    }
}

/// Normalised mutual information with the arithmetic-mean normaliser
/// (scikit-learn's default) from `geo-stats`.
///
/// Labelings of different lengths or empty labelings give NaN (use
/// [`pairwise_agreement`], which checks the lengths first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormalizedMutualInfo;

impl Agreement for NormalizedMutualInfo {
    fn agreement(&self, a: &[usize], b: &[usize]) -> f64 {
        geo_stats::agreement::normalized_mutual_information(a, b).unwrap_or(f64::NAN)
    }
}

/// Seed stability of a k-means configuration: the runs and the pairwise
/// adjusted Rand index and NMI between their label sets.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedStability {
    /// The runs, one per seed.
    pub runs: SeedRuns,
    /// Pairwise adjusted Rand index.
    pub ari: PairwiseAgreement,
    /// Pairwise normalised mutual information.
    pub nmi: PairwiseAgreement,
}

/// Runs k-means once per seed and summarises the agreement of the label
/// sets by pairwise ARI and NMI (`geo-stats`).
///
/// ```
/// use cluster_ts::{seed_stability, Euclidean, KMeansParams};
/// use ndarray::Array2;
/// let x = Array2::from_shape_fn((30, 3), |(i, j)| (i / 10) as f64 * 10.0 + 0.01 * (i * 3 + j) as f64);
/// let s = seed_stability(x.view(), &Euclidean, &KMeansParams::new(3), &[1, 2, 3]).unwrap();
/// assert!((s.ari.min - 1.0).abs() < 1e-12 && (s.nmi.mean - 1.0).abs() < 1e-12);
/// ```
pub fn seed_stability<P: Pair>(
    data: ArrayView2<'_, f64>,
    pair: &P,
    params: &KMeansParams,
    seeds: &[u64],
) -> Result<SeedStability> {
    let runs = seed_runs(data, pair, params, seeds)?;
    let ari = pairwise_agreement(&runs.labels, &AdjustedRand)?;
    let nmi = pairwise_agreement(&runs.labels, &NormalizedMutualInfo)?;
    Ok(SeedStability { runs, ari, nmi })
}

/// Labels of k-means runs that differ only in their seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedRuns {
    /// Seeds used, in order.
    pub seeds: Vec<u64>,
    /// Labels of each run.
    pub labels: Vec<Vec<usize>>,
    /// Inertia of each run.
    pub inertias: Vec<f64>,
}

/// Runs k-means once per seed (other parameters from `params`).
pub fn seed_runs<P: Pair>(
    data: ArrayView2<'_, f64>,
    pair: &P,
    params: &KMeansParams,
    seeds: &[u64],
) -> Result<SeedRuns> {
    if seeds.is_empty() {
        return Err(Error::EmptyInput { what: "seeds" });
    }
    let mut labels = Vec::with_capacity(seeds.len());
    let mut inertias = Vec::with_capacity(seeds.len());
    for &seed in seeds {
        let r = params.clone().with_seed(seed).build()?.fit(data, pair)?;
        labels.push(r.labels);
        inertias.push(r.inertia);
    }
    Ok(SeedRuns {
        seeds: seeds.to_vec(),
        labels,
        inertias,
    })
}

/// Pairwise agreement between label sets.
#[derive(Debug, Clone, PartialEq)]
pub struct PairwiseAgreement {
    /// Symmetric matrix of agreements (diagonal: agreement of a set with
    /// itself).
    pub matrix: Array2<f64>,
    /// Mean over the pairs `i < j`.
    pub mean: f64,
    /// Minimum over the pairs `i < j`.
    pub min: f64,
}

/// Agreement of every pair of label sets (all of the same length).
pub fn pairwise_agreement<A: Agreement + ?Sized>(
    label_sets: &[Vec<usize>],
    agreement: &A,
) -> Result<PairwiseAgreement> {
    let m = label_sets.len();
    if m == 0 {
        return Err(Error::EmptyInput { what: "label_sets" });
    }
    let n = label_sets[0].len();
    for s in label_sets {
        if s.len() != n {
            return Err(Error::ShapeMismatch {
                what: "label_sets",
                expected: n,
                found: s.len(),
            });
        }
    }
    let mut matrix = Array2::zeros((m, m));
    let (mut sum, mut min, mut count) = (0.0, f64::INFINITY, 0usize);
    for i in 0..m {
        for j in i..m {
            let v = agreement.agreement(&label_sets[i], &label_sets[j]);
            matrix[[i, j]] = v;
            matrix[[j, i]] = v;
            if j > i {
                sum += v;
                min = min.min(v);
                count += 1;
            }
        }
    }
    let mean = if count > 0 {
        sum / count as f64
    } else {
        f64::NAN
    };
    Ok(PairwiseAgreement {
        matrix,
        mean,
        min: if count > 0 { min } else { f64::NAN },
    })
}
