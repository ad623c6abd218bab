//! Optimal discretisation: the method and class count with the highest q.

use rayon::prelude::*;

use super::{
    breaks_from_summary, check_classes, check_values, Breaks, DiscretizationMethod,
    NaturalBreaksTable, SortedSummary,
};
use crate::error::{check_len, GeoStatsError, Result};
use crate::geodetector::{core, FactorDetection, Geodetector, GeodetectorParams, Strata};

/// Parameters of [`optimal_discretization`].
///
/// | field | default |
/// |---|---|
/// | `methods` | all five, in [`DiscretizationMethod::ALL`] order |
/// | `min_classes` | 3 |
/// | `max_classes` | 15 |
/// | `tie_tolerance` | 1e-10 (absolute, on q) |
/// | `geodetector` | [`GeodetectorParams::default`] |
///
/// Tie-breaking: among the candidates whose q lies within `tie_tolerance`
/// of the best q, the one with the fewest classes (classes actually
/// produced) wins, then the earlier method in `methods`, then the smaller
/// requested class count.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimalDiscretizationParams {
    /// Methods to try, in tie-breaking order.
    pub methods: Vec<DiscretizationMethod>,
    /// Smallest class count tried (≥ 2).
    pub min_classes: usize,
    /// Largest class count tried.
    pub max_classes: usize,
    /// q values closer than this count as equal.
    pub tie_tolerance: f64,
    /// Conventions of the factor detector that scores the candidates.
    pub geodetector: GeodetectorParams,
}

impl Default for OptimalDiscretizationParams {
    fn default() -> Self {
        Self {
            methods: DiscretizationMethod::ALL.to_vec(),
            min_classes: 3,
            max_classes: 15,
            tie_tolerance: 1e-10,
            geodetector: GeodetectorParams::default(),
        }
    }
}

impl OptimalDiscretizationParams {
    /// The defaults (see the table on the type).
    pub fn new() -> Self {
        Self::default()
    }

    /// Methods to try (their order breaks ties).
    pub fn with_methods(mut self, methods: &[DiscretizationMethod]) -> Self {
        self.methods = methods.to_vec();
        self
    }

    /// Range of class counts tried, inclusive.
    pub fn with_class_range(mut self, min_classes: usize, max_classes: usize) -> Self {
        self.min_classes = min_classes;
        self.max_classes = max_classes;
        self
    }

    /// Tie tolerance on q.
    pub fn with_tie_tolerance(mut self, tolerance: f64) -> Self {
        self.tie_tolerance = tolerance;
        self
    }

    /// Factor-detector conventions used to score candidates.
    pub fn with_geodetector(mut self, params: GeodetectorParams) -> Self {
        self.geodetector = params;
        self
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<Geodetector> {
        if self.methods.is_empty() {
            return Err(GeoStatsError::invalid(
                "methods",
                "[]",
                "at least one method is needed",
            ));
        }
        check_classes(self.min_classes)?;
        if self.max_classes < self.min_classes {
            return Err(GeoStatsError::invalid(
                "max_classes",
                self.max_classes,
                "must be >= min_classes",
            ));
        }
        if !(self.tie_tolerance >= 0.0 && self.tie_tolerance.is_finite()) {
            return Err(GeoStatsError::invalid(
                "tie_tolerance",
                self.tie_tolerance,
                "must be finite and >= 0",
            ));
        }
        self.geodetector.build()
    }
}

/// One scored candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Method.
    pub method: DiscretizationMethod,
    /// Class count asked for.
    pub requested_classes: usize,
    /// Classes actually produced.
    pub n_classes: usize,
    /// q of the resulting stratification (`NaN` if it has fewer than two
    /// usable strata).
    pub q: f64,
}

/// Result of [`optimal_discretization`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimalDiscretization {
    /// The winning class limits.
    pub breaks: Breaks,
    /// Class of every observation under the winner, in input order.
    pub classes: Vec<usize>,
    /// Factor detection (q, F, p-value) of the winner.
    pub factor: FactorDetection,
    /// Every candidate, method-major in `methods` order, then by class count.
    pub candidates: Vec<Candidate>,
}

/// Scores every method × class count and returns the discretisation of `x`
/// with the highest q for `y` (see [`OptimalDiscretizationParams`] for
/// the tie rule).
///
/// The data are sorted once; each candidate is then scored in O(n) from
/// contiguous runs of the sorted data, in parallel (the result does not
/// depend on the number of threads). Natural breaks for all class counts
/// come from one run of the exact dynamic programme.
///
/// ```
/// use geo_stats::discretize::{optimal_discretization, OptimalDiscretizationParams};
/// let x: Vec<f64> = (0..200).map(|i| i as f64 / 10.0).collect();
/// let y: Vec<f64> = x.iter().map(|&v| if v < 7.0 { 1.0 } else { 5.0 } + (v * 3.1).sin()).collect();
/// let best = optimal_discretization(&y, &x, &OptimalDiscretizationParams::new()).unwrap();
/// assert!(best.factor.q > 0.8);
/// assert_eq!(best.candidates.len(), 5 * 13);
/// ```
pub fn optimal_discretization(
    y: &[f64],
    x: &[f64],
    params: &OptimalDiscretizationParams,
) -> Result<OptimalDiscretization> {
    let gd = params.validate()?;
    check_values("y", y)?;
    check_values("x", x)?;
    check_len("x", y.len(), x.len())?;
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let xs: Vec<f64> = order.iter().map(|&i| x[i]).collect();
    let ys: Vec<f64> = order.iter().map(|&i| y[i]).collect();
    let summary = SortedSummary::new(&xs);
    let natural = params
        .methods
        .contains(&DiscretizationMethod::NaturalBreaks)
        .then(|| NaturalBreaksTable::new(&xs, params.max_classes));
    let gp = gd.params();
    let jobs: Vec<(DiscretizationMethod, usize)> = params
        .methods
        .iter()
        .flat_map(|&m| (params.min_classes..=params.max_classes).map(move |k| (m, k)))
        .collect();
    let scored: Vec<(Candidate, Breaks)> = jobs
        .par_iter()
        .map(|&(method, k)| {
            let breaks = breaks_from_summary(&summary, method, k, natural.as_ref());
            let q = if breaks.n_classes() < 2 {
                f64::NAN
            } else {
                let groups = segment_groups(&xs, &ys, &breaks.interior);
                core("x", &groups, gp.variance, gp.singletons, false)
                    .map(|c| c.q)
                    .unwrap_or(f64::NAN)
            };
            (
                Candidate {
                    method,
                    requested_classes: k,
                    n_classes: breaks.n_classes(),
                    q,
                },
                breaks,
            )
        })
        .collect();
    let best_q = scored
        .iter()
        .map(|(c, _)| c.q)
        .filter(|q| !q.is_nan())
        .fold(f64::NEG_INFINITY, f64::max);
    if best_q == f64::NEG_INFINITY {
        return Err(GeoStatsError::TooFewStrata {
            what: "x (every candidate discretisation)".into(),
            found: 1,
            needed: 2,
        });
    }
    let method_rank = |m: DiscretizationMethod| {
        params
            .methods
            .iter()
            .position(|&p| p == m)
            .unwrap_or(usize::MAX)
    };
    let (_, winner) = scored
        .iter()
        .filter(|(c, _)| c.q >= best_q - params.tie_tolerance)
        .min_by_key(|(c, _)| (c.n_classes, method_rank(c.method), c.requested_classes))
        .expect("best candidate exists");
    let breaks = winner.clone();
    let classes = breaks.classify(x);
    let strata = Strata::from_codes(&classes)?;
    let factor = gd.factor(y, &strata)?;
    Ok(OptimalDiscretization {
        breaks,
        classes,
        factor,
        candidates: scored.into_iter().map(|(c, _)| c).collect(),
    })
}

/// Group summaries `(count, mean, ssw)` of `ys` over the runs of the sorted
/// `xs` cut at `interior` (right-closed classes).
fn segment_groups(xs: &[f64], ys: &[f64], interior: &[f64]) -> Vec<(usize, f64, f64)> {
    let mut groups = Vec::with_capacity(interior.len() + 1);
    let mut start = 0;
    for h in 0..=interior.len() {
        let end = if h < interior.len() {
            xs.partition_point(|&v| v <= interior[h])
        } else {
            xs.len()
        };
        let seg = &ys[start..end];
        if !seg.is_empty() {
            let mean = seg.iter().sum::<f64>() / seg.len() as f64;
            let ss: f64 = seg.iter().map(|v| (v - mean) * (v - mean)).sum();
            groups.push((seg.len(), mean, ss));
        }
        start = end;
    }
    groups
}
