//! The k-means engine: k-means++ or given initialisation, `n_init` seeded
//! restarts keeping the lowest inertia, Lloyd iterations with a pluggable
//! (distance, barycentre) [`Pair`], optional size constraints.

mod init;
pub mod pair;

use ndarray::{Array2, ArrayView2};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::constrained::{assign_with_sizes, SizeBounds, SizeMethod};
use crate::error::{ensure_finite2, ensure_param, Error, Result};
use pair::Pair;

/// How the centroids of each run are initialised.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Init {
    /// Greedy k-means++ with D² sampling in the pair's seeding cost
    /// (scikit-learn's variant, `2 + ⌊ln k⌋` local trials). Default.
    #[default]
    KMeansPlusPlus,
    /// `k` distinct samples drawn uniformly (Forgy).
    Random,
    /// Given centroids `(k, d)`; every restart then starts from them, so
    /// use `n_init = 1`.
    Given(Array2<f64>),
}

/// Parameters of [`KMeans`] with documented defaults; validated by
/// [`KMeansParams::build`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    /// Number of clusters `k ≥ 1` (no default).
    pub k: usize,
    /// Independent restarts; the run with the lowest inertia is kept
    /// (default 10, scikit-learn's classic value).
    pub n_init: usize,
    /// Maximum Lloyd iterations per run (default 300).
    pub max_iter: usize,
    /// Relative tolerance on the centroid shift (default 1e-4): a run stops
    /// when `Σₖ‖cₖ_new − cₖ_old‖² ≤ tol · mean per-feature variance of the
    /// data` (scikit-learn's rule), or when no label changes.
    pub tol: f64,
    /// Seed of the ChaCha8 generator (default 0). Run `r` uses the `r`-th
    /// 64-bit draw of a generator seeded with `seed`.
    pub seed: u64,
    /// Initialisation (default k-means++).
    pub init: Init,
}

impl KMeansParams {
    /// Parameters for `k` clusters with the defaults above.
    pub fn new(k: usize) -> Self {
        Self {
            k,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 0,
            init: Init::KMeansPlusPlus,
        }
    }
    /// Sets the number of restarts.
    pub fn with_n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }
    /// Sets the iteration cap.
    pub fn with_max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Sets the shift tolerance.
    pub fn with_tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    /// Sets the RNG seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the initialisation.
    pub fn with_init(mut self, init: Init) -> Self {
        self.init = init;
        self
    }
    /// Validates the parameters.
    pub fn build(self) -> Result<KMeans> {
        ensure_param(self.k >= 1, "k", self.k, "must be ≥ 1")?;
        ensure_param(self.n_init >= 1, "n_init", self.n_init, "must be ≥ 1")?;
        ensure_param(self.max_iter >= 1, "max_iter", self.max_iter, "must be ≥ 1")?;
        ensure_param(
            self.tol >= 0.0 && self.tol.is_finite(),
            "tol",
            self.tol,
            "must be finite and ≥ 0",
        )?;
        if let Init::Given(c) = &self.init {
            ensure_param(
                c.nrows() == self.k,
                "init",
                c.nrows(),
                "given centroids must have k rows",
            )?;
            ensure_finite2("init", c.view())?;
        }
        Ok(KMeans { params: self })
    }
}

/// Result of a k-means fit (the best of the restarts).
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansResult {
    /// Cluster of each sample, `0..k`.
    pub labels: Vec<usize>,
    /// Centroids `(k, d)`.
    pub centroids: Array2<f64>,
    /// Sum of the pair's costs of the samples to their centroids.
    pub inertia: f64,
    /// Lloyd iterations of the kept run.
    pub n_iter: usize,
    /// Whether the kept run stopped on the tolerance or unchanged labels
    /// (rather than on `max_iter`).
    pub converged: bool,
    /// `Σₖ‖cₖ_new − cₖ_old‖²` (Euclidean, whatever the pair) after each
    /// update of the kept run.
    pub shift_history: Vec<f64>,
    /// Inertia after the initial assignment and after each iteration of the
    /// kept run (non-increasing for pairs whose barycentre minimises the
    /// cost, e.g. [`pair::Euclidean`]).
    pub inertia_history: Vec<f64>,
    /// Final inertia of every restart, in run order.
    pub run_inertias: Vec<f64>,
    /// Index of the kept run.
    pub best_run: usize,
}

/// A validated k-means configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    params: KMeansParams,
}

/// Rows of `data` as contiguous slices (copying only when needed).
pub(crate) fn rows_of(data: &Array2<f64>) -> Vec<&[f64]> {
    data.outer_iter()
        // `data` is in standard layout, so every row is contiguous.
        .map(|r| r.to_slice().expect("standard layout"))
        .collect()
}

/// Validated standard-layout copy of the samples.
pub(crate) fn check_data(what: &'static str, data: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
    if data.nrows() == 0 || data.ncols() == 0 {
        return Err(Error::EmptyInput { what });
    }
    ensure_finite2(what, data)?;
    Ok(data.as_standard_layout().into_owned())
}

/// Cost of every sample to every centroid, `(n, k)`, computed in parallel.
pub fn cost_matrix<P: Pair>(
    data: ArrayView2<'_, f64>,
    centroids: ArrayView2<'_, f64>,
    pair: &P,
) -> Result<Array2<f64>> {
    let data = check_data("data", data)?;
    let cents = check_data("centroids", centroids)?;
    Ok(costs_of(&rows_of(&data), &rows_of(&cents), pair))
}

fn costs_of<P: Pair>(rows: &[&[f64]], cents: &[&[f64]], pair: &P) -> Array2<f64> {
    let k = cents.len();
    let flat: Vec<f64> = rows
        .par_iter()
        .flat_map_iter(|x| cents.iter().map(move |c| pair.cost(x, c)))
        .collect();
    Array2::from_shape_vec((rows.len(), k), flat).expect("n × k")
}

/// Label of the cheapest centroid for every sample (ties: lowest index).
pub fn predict<P: Pair>(
    data: ArrayView2<'_, f64>,
    centroids: ArrayView2<'_, f64>,
    pair: &P,
) -> Result<Vec<usize>> {
    let c = cost_matrix(data, centroids, pair)?;
    Ok(c.outer_iter()
        .map(|r| argmin(r.iter().copied()).0)
        .collect())
}

fn argmin(it: impl Iterator<Item = f64>) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (j, v) in it.enumerate() {
        if v < best.1 {
            best = (j, v);
        }
    }
    best
}

/// How a run assigns samples to centroids.
enum Assigner {
    Nearest,
    Sized(SizeBounds, SizeMethod),
}

impl KMeans {
    /// The parameters.
    pub fn params(&self) -> &KMeansParams {
        &self.params
    }

    /// Clusters the rows of `data` (`(n_samples, n_features)`, e.g. series ×
    /// dates or cells × bins) with the given pair.
    ///
    /// Errors: empty data, non-finite values (naming row and column),
    /// `k > n_samples`, given centroids of the wrong width.
    pub fn fit<P: Pair>(&self, data: ArrayView2<'_, f64>, pair: &P) -> Result<KMeansResult> {
        self.fit_with(data, pair, Assigner::Nearest)
    }

    /// As [`KMeans::fit`] but every assignment step respects the cluster
    /// size bounds (constrained k-means, Bradley, Bennett & Demiriz 2000),
    /// solved by `method` on the cost matrix of the current centroids.
    pub fn fit_constrained<P: Pair>(
        &self,
        data: ArrayView2<'_, f64>,
        pair: &P,
        bounds: SizeBounds,
        method: SizeMethod,
    ) -> Result<KMeansResult> {
        bounds.check(data.nrows(), self.params.k)?;
        self.fit_with(data, pair, Assigner::Sized(bounds, method))
    }

    fn fit_with<P: Pair>(
        &self,
        data: ArrayView2<'_, f64>,
        pair: &P,
        assigner: Assigner,
    ) -> Result<KMeansResult> {
        let p = &self.params;
        let data = check_data("data", data)?;
        let (n, d) = data.dim();
        if p.k > n {
            return Err(Error::TooManyClusters {
                what: "data",
                k: p.k,
                n,
            });
        }
        if let Init::Given(c) = &p.init {
            if c.ncols() != d {
                return Err(Error::ShapeMismatch {
                    what: "init (columns)",
                    expected: d,
                    found: c.ncols(),
                });
            }
        }
        let rows = rows_of(&data);
        let threshold = p.tol * mean_variance(&data);
        let mut master = ChaCha8Rng::seed_from_u64(p.seed);
        let mut best: Option<KMeansResult> = None;
        let mut run_inertias = Vec::with_capacity(p.n_init);
        for run in 0..p.n_init {
            let mut rng = ChaCha8Rng::seed_from_u64(master.next_u64());
            let init = self.initial_centroids(&data, &rows, pair, &mut rng);
            let res = lloyd(&rows, init, pair, p.max_iter, threshold, &assigner)?;
            run_inertias.push(res.inertia);
            if best.as_ref().is_none_or(|b| res.inertia < b.inertia) {
                best = Some(KMeansResult {
                    best_run: run,
                    ..res
                });
            }
        }
        let mut best = best.expect("n_init ≥ 1");
        best.run_inertias = run_inertias;
        Ok(best)
    }

    fn initial_centroids<P: Pair, R: Rng>(
        &self,
        data: &Array2<f64>,
        rows: &[&[f64]],
        pair: &P,
        rng: &mut R,
    ) -> Array2<f64> {
        let k = self.params.k;
        let idx: Vec<usize> = match &self.params.init {
            Init::Given(c) => return c.clone(),
            Init::KMeansPlusPlus => init::kmeans_plus_plus(rows, k, pair, rng),
            Init::Random => rand::seq::index::sample(rng, rows.len(), k).into_vec(),
        };
        data.select(ndarray::Axis(0), &idx)
    }
}

fn mean_variance(data: &Array2<f64>) -> f64 {
    let n = data.nrows() as f64;
    let mut total = 0.0;
    for col in data.columns() {
        let m = col.sum() / n;
        total += col.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n;
    }
    total / data.ncols() as f64
}

/// Assigns and returns (labels, costs), relocating centroids of empty
/// clusters (nearest assignment only).
fn assign<P: Pair>(
    rows: &[&[f64]],
    centroids: &mut Array2<f64>,
    pair: &P,
    assigner: &Assigner,
) -> Result<(Vec<usize>, Vec<f64>)> {
    let k = centroids.nrows();
    let cmat = {
        let cents = rows_of(centroids);
        costs_of(rows, &cents, pair)
    };
    match assigner {
        Assigner::Nearest => {
            let (mut labels, mut costs): (Vec<usize>, Vec<f64>) =
                cmat.outer_iter().map(|r| argmin(r.iter().copied())).unzip();
            relocate_empty(rows, centroids, pair, &mut labels, &mut costs, k);
            Ok((labels, costs))
        }
        Assigner::Sized(bounds, method) => {
            let a = assign_with_sizes(cmat.view(), *bounds, *method)?;
            let costs = a
                .labels
                .iter()
                .enumerate()
                .map(|(i, &l)| cmat[[i, l]])
                .collect();
            Ok((a.labels, costs))
        }
    }
}

/// Moves the sample with the largest cost (taken from a cluster with ≥ 2
/// members) into each empty cluster and makes it that cluster's centroid.
fn relocate_empty<P: Pair>(
    rows: &[&[f64]],
    centroids: &mut Array2<f64>,
    pair: &P,
    labels: &mut [usize],
    costs: &mut [f64],
    k: usize,
) {
    let mut sizes = vec![0usize; k];
    for &l in labels.iter() {
        sizes[l] += 1;
    }
    for c in 0..k {
        if sizes[c] > 0 {
            continue;
        }
        let mut far: Option<usize> = None;
        for i in 0..rows.len() {
            if sizes[labels[i]] >= 2 && far.is_none_or(|f| costs[i] > costs[f]) {
                far = Some(i);
            }
        }
        let Some(i) = far else { break };
        sizes[labels[i]] -= 1;
        sizes[c] += 1;
        labels[i] = c;
        centroids
            .row_mut(c)
            .assign(&ndarray::ArrayView1::from(rows[i]));
        costs[i] = pair.cost(rows[i], rows[i]);
    }
}

fn lloyd<P: Pair>(
    rows: &[&[f64]],
    mut centroids: Array2<f64>,
    pair: &P,
    max_iter: usize,
    threshold: f64,
    assigner: &Assigner,
) -> Result<KMeansResult> {
    let k = centroids.nrows();
    let (mut labels, costs) = assign(rows, &mut centroids, pair, assigner)?;
    let mut inertia_history = vec![costs.iter().sum::<f64>()];
    let mut shift_history = Vec::new();
    let mut n_iter = 0;
    let mut converged = false;
    while n_iter < max_iter {
        n_iter += 1;
        let mut members: Vec<Vec<&[f64]>> = vec![Vec::new(); k];
        for (i, &l) in labels.iter().enumerate() {
            members[l].push(rows[i]);
        }
        let new: Vec<Vec<f64>> = {
            let old = rows_of(&centroids);
            (0..k)
                .into_par_iter()
                .map(|c| {
                    if members[c].is_empty() {
                        old[c].to_vec()
                    } else {
                        pair.barycentre(&members[c], old[c])
                    }
                })
                .collect()
        };
        let mut shift = 0.0;
        for (c, v) in new.iter().enumerate() {
            for (j, &x) in v.iter().enumerate() {
                let dlt = x - centroids[[c, j]];
                shift += dlt * dlt;
                centroids[[c, j]] = x;
            }
        }
        shift_history.push(shift);
        let (new_labels, costs) = assign(rows, &mut centroids, pair, assigner)?;
        inertia_history.push(costs.iter().sum::<f64>());
        let unchanged = new_labels == labels;
        labels = new_labels;
        if unchanged || shift <= threshold {
            converged = true;
            break;
        }
    }
    let inertia = *inertia_history.last().expect("non-empty");
    Ok(KMeansResult {
        labels,
        centroids,
        inertia,
        n_iter,
        converged,
        shift_history,
        inertia_history,
        run_inertias: Vec::new(),
        best_run: 0,
    })
}
