//! Binned box statistics: a response binned by one factor (e.g. slope in
//! 1° bins) or by two factors jointly, with the count and the 2, 25, 50,
//! 75 and 98 % percentiles of every bin — the box plots of S-PECM.
//!
//! Percentiles use linear interpolation between order statistics (numpy's
//! default, R type 7; see [`crate::quantile`]). Observations where the
//! response or a factor is `NaN` are skipped and counted.

use crate::error::{check_len, GeoStatsError, Result};
use crate::quantile::percentile_sorted;

/// The percentiles reported by default.
pub const DEFAULT_PERCENTILES: [f64; 5] = [2.0, 25.0, 50.0, 75.0, 98.0];

/// How a factor is cut into bins.
#[derive(Debug, Clone, PartialEq)]
pub enum BinSpec {
    /// Bins `[origin + k·width, origin + (k+1)·width)` for every integer k
    /// between the lowest and highest occupied bin (empty bins in between
    /// are reported with count 0).
    Width {
        /// Bin width (> 0).
        width: f64,
        /// A bin edge.
        origin: f64,
    },
    /// Explicit, strictly increasing edges: bins `[e_i, e_{i+1})`, the last
    /// one closed (`numpy.histogram` convention). Values outside
    /// `[e_0, e_last]` are skipped.
    Edges(Vec<f64>),
}

impl BinSpec {
    fn validate(&self, what: &'static str) -> Result<()> {
        match self {
            Self::Width { width, origin } => {
                if !(*width > 0.0 && width.is_finite()) {
                    return Err(GeoStatsError::invalid(
                        what,
                        width,
                        "bin width must be finite and > 0",
                    ));
                }
                if !origin.is_finite() {
                    return Err(GeoStatsError::invalid(
                        what,
                        origin,
                        "bin origin must be finite",
                    ));
                }
            }
            Self::Edges(e) => {
                if e.len() < 2 {
                    return Err(GeoStatsError::invalid(
                        what,
                        e.len(),
                        "at least two bin edges are needed",
                    ));
                }
                if e.iter().any(|v| !v.is_finite()) || e.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(GeoStatsError::invalid(
                        what,
                        format!("{e:?}"),
                        "bin edges must be finite and strictly increasing",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Concrete edges covering the finite values of `x`.
    fn edges_for(&self, x: &[f64]) -> Vec<f64> {
        match self {
            Self::Edges(e) => e.clone(),
            Self::Width { width, origin } => {
                let idx = |v: f64| ((v - origin) / width).floor() as i64;
                let (lo, hi) = x
                    .iter()
                    .filter(|v| v.is_finite())
                    .fold((i64::MAX, i64::MIN), |(lo, hi), &v| {
                        (lo.min(idx(v)), hi.max(idx(v)))
                    });
                if lo > hi {
                    return Vec::new();
                }
                (lo..=hi + 1).map(|k| origin + k as f64 * width).collect()
            }
        }
    }

    /// Bin index of `v` given concrete `edges`.
    fn bin_of(&self, v: f64, edges: &[f64]) -> Option<usize> {
        if !v.is_finite() || edges.len() < 2 {
            return None;
        }
        let nb = edges.len() - 1;
        match self {
            Self::Width { width, origin } => {
                let k = ((v - origin) / width).floor();
                let k0 = ((edges[0] - origin) / width).round();
                let i = (k - k0) as i64;
                (0..nb as i64).contains(&i).then_some(i as usize)
            }
            Self::Edges(_) => {
                if v < edges[0] || v > edges[nb] {
                    return None;
                }
                if v == edges[nb] {
                    return Some(nb - 1);
                }
                Some(edges.partition_point(|&e| e <= v) - 1)
            }
        }
    }
}

/// Statistics of one bin (or one cell of a two-factor grid).
#[derive(Debug, Clone, PartialEq)]
pub struct BinBox {
    /// Lower edge(s): one per factor.
    pub lower: Vec<f64>,
    /// Upper edge(s): one per factor.
    pub upper: Vec<f64>,
    /// Bin index per factor.
    pub index: Vec<usize>,
    /// Number of responses in the bin.
    pub count: usize,
    /// Mean response (`NaN` for an empty bin).
    pub mean: f64,
    /// The requested percentiles of the response (`NaN` for an empty bin).
    pub percentiles: Vec<f64>,
}

/// Result of a binned box-statistics run.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// The percentiles that were computed (in %).
    pub percentiles: Vec<f64>,
    /// Bins (row-major over the factors for two factors), including empty
    /// ones.
    pub bins: Vec<BinBox>,
    /// Observations skipped because of a `NaN`.
    pub missing: usize,
    /// Observations skipped because a factor fell outside the edges.
    pub outside: usize,
}

/// Parameters of the box statistics: the percentiles to report
/// (default [`DEFAULT_PERCENTILES`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStatsParams {
    /// Percentiles in % (each in [0, 100]).
    pub percentiles: Vec<f64>,
}

impl Default for BoxStatsParams {
    fn default() -> Self {
        Self {
            percentiles: DEFAULT_PERCENTILES.to_vec(),
        }
    }
}

impl BoxStatsParams {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the percentiles (in %).
    pub fn with_percentiles(mut self, percentiles: &[f64]) -> Self {
        self.percentiles = percentiles.to_vec();
        self
    }

    fn validate(&self) -> Result<()> {
        if self.percentiles.is_empty() {
            return Err(GeoStatsError::invalid(
                "percentiles",
                "[]",
                "at least one percentile",
            ));
        }
        if let Some(p) = self
            .percentiles
            .iter()
            .find(|p| !(0.0..=100.0).contains(*p))
        {
            return Err(GeoStatsError::invalid(
                "percentiles",
                p,
                "must lie in [0, 100]",
            ));
        }
        Ok(())
    }
}

fn summarize(values: &mut [f64], percentiles: &[f64]) -> (f64, Vec<f64>) {
    if values.is_empty() {
        return (f64::NAN, vec![f64::NAN; percentiles.len()]);
    }
    values.sort_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (
        mean,
        percentiles
            .iter()
            .map(|&p| percentile_sorted(values, p))
            .collect(),
    )
}

fn check_response(response: &[f64]) -> Result<()> {
    if response.is_empty() {
        return Err(GeoStatsError::EmptyInput {
            what: "response".into(),
        });
    }
    if response.iter().all(|v| v.is_nan()) {
        return Err(GeoStatsError::AllNan {
            what: "response".into(),
        });
    }
    Ok(())
}

fn check_factor(what: &str, factor: &[f64], n: usize) -> Result<()> {
    check_len(what, n, factor.len())?;
    if factor.iter().all(|v| v.is_nan()) {
        return Err(GeoStatsError::AllNan { what: what.into() });
    }
    Ok(())
}

/// Box statistics of `response` binned by one `factor`.
///
/// ```
/// use geo_stats::boxstats::{box_stats, BinSpec, BoxStatsParams};
/// let slope = [0.2, 0.7, 1.1, 1.5, 1.9, 2.5];
/// let subsidence = [10.0, 12.0, 20.0, 22.0, 24.0, 40.0];
/// let b = box_stats(&subsidence, &slope, &BinSpec::Width { width: 1.0, origin: 0.0 },
///                   &BoxStatsParams::new()).unwrap();
/// assert_eq!(b.bins.len(), 3);
/// assert_eq!(b.bins[1].count, 3);
/// assert_eq!(b.bins[1].percentiles[2], 22.0); // median
/// ```
pub fn box_stats(
    response: &[f64],
    factor: &[f64],
    bins: &BinSpec,
    params: &BoxStatsParams,
) -> Result<BoxStats> {
    params.validate()?;
    bins.validate("bins")?;
    check_response(response)?;
    check_factor("factor", factor, response.len())?;
    let usable: Vec<f64> = factor
        .iter()
        .zip(response)
        .filter(|(f, r)| !f.is_nan() && !r.is_nan())
        .map(|(&f, _)| f)
        .collect();
    let edges = bins.edges_for(&usable);
    let nb = edges.len().saturating_sub(1);
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); nb];
    let (mut missing, mut outside) = (0, 0);
    for (&f, &r) in factor.iter().zip(response) {
        if f.is_nan() || r.is_nan() {
            missing += 1;
            continue;
        }
        match bins.bin_of(f, &edges) {
            Some(b) => groups[b].push(r),
            None => outside += 1,
        }
    }
    let out = groups
        .iter_mut()
        .enumerate()
        .map(|(i, g)| {
            let (mean, percentiles) = summarize(g, &params.percentiles);
            BinBox {
                lower: vec![edges[i]],
                upper: vec![edges[i + 1]],
                index: vec![i],
                count: g.len(),
                mean,
                percentiles,
            }
        })
        .collect();
    Ok(BoxStats {
        percentiles: params.percentiles.clone(),
        bins: out,
        missing,
        outside,
    })
}

/// Box statistics of `response` binned jointly by two factors; cells are
/// listed row-major (factor 1 outer, factor 2 inner).
pub fn box_stats_2d(
    response: &[f64],
    factor1: &[f64],
    factor2: &[f64],
    bins1: &BinSpec,
    bins2: &BinSpec,
    params: &BoxStatsParams,
) -> Result<BoxStats> {
    params.validate()?;
    bins1.validate("bins1")?;
    bins2.validate("bins2")?;
    check_response(response)?;
    check_factor("factor1", factor1, response.len())?;
    check_factor("factor2", factor2, response.len())?;
    let complete = |i: usize| !response[i].is_nan() && !factor1[i].is_nan() && !factor2[i].is_nan();
    let u1: Vec<f64> = (0..response.len())
        .filter(|&i| complete(i))
        .map(|i| factor1[i])
        .collect();
    let u2: Vec<f64> = (0..response.len())
        .filter(|&i| complete(i))
        .map(|i| factor2[i])
        .collect();
    let e1 = bins1.edges_for(&u1);
    let e2 = bins2.edges_for(&u2);
    let (n1, n2) = (e1.len().saturating_sub(1), e2.len().saturating_sub(1));
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); n1 * n2];
    let (mut missing, mut outside) = (0, 0);
    for i in 0..response.len() {
        if !complete(i) {
            missing += 1;
            continue;
        }
        match (bins1.bin_of(factor1[i], &e1), bins2.bin_of(factor2[i], &e2)) {
            (Some(a), Some(b)) => groups[a * n2 + b].push(response[i]),
            _ => outside += 1,
        }
    }
    let out = groups
        .iter_mut()
        .enumerate()
        .map(|(c, g)| {
            let (a, b) = (c / n2, c % n2);
            let (mean, percentiles) = summarize(g, &params.percentiles);
            BinBox {
                lower: vec![e1[a], e2[b]],
                upper: vec![e1[a + 1], e2[b + 1]],
                index: vec![a, b],
                count: g.len(),
                mean,
                percentiles,
            }
        })
        .collect();
    Ok(BoxStats {
        percentiles: params.percentiles.clone(),
        bins: out,
        missing,
        outside,
    })
}
