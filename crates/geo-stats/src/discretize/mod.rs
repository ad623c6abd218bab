//! Discretisation of continuous factors for the geographical detector.
//!
//! Every method produces interior breaks b₁ < … < b_{k−1}; the classes are
//! right-closed intervals: class 0 is x ≤ b₁, class i is b_i < x ≤ b_{i+1},
//! the last class is x > b_{k−1} (as R `cut(..., include.lowest = TRUE)`).
//! Breaks that would leave a class empty at either end of the data (a break
//! at or above the maximum, or below the minimum) and repeated breaks are
//! removed, so [`Breaks::n_classes`] can be smaller than requested (for
//! example quantiles of data with many ties).
//!
//! | method | breaks for k classes |
//! |---|---|
//! | [`EqualInterval`](DiscretizationMethod::EqualInterval) | min + i (max − min)/k |
//! | [`Quantile`](DiscretizationMethod::Quantile) | type-7 quantiles at i/k (R `quantile` default = numpy `linear`) |
//! | [`NaturalBreaks`](DiscretizationMethod::NaturalBreaks) | exact Fisher–Jenks optimum (minimum within-class sum of squares) |
//! | [`Geometric`](DiscretizationMethod::Geometric) | min·r^i with r = (max/min)^{1/k} if min > 0; otherwise the same on x − min + 1, shifted back |
//! | [`StandardDeviation`](DiscretizationMethod::StandardDeviation) | x̄ + (i − k/2)·h·s, h = min(1, 6/k), s the sample standard deviation |
//!
//! (i = 1, …, k − 1.) The standard-deviation scheme centres the classes on
//! the mean (a break at x̄ for even k, a class straddling x̄ for odd k) with
//! one-s steps up to six classes and narrower steps beyond, so that the
//! breaks span about ±3s whatever k.
//!
//! [`optimal_discretization`] tries methods × class counts and keeps the
//! highest q.

mod natural_breaks;
mod optimal;

pub use optimal::{
    optimal_discretization, Candidate, OptimalDiscretization, OptimalDiscretizationParams,
};

pub(crate) use natural_breaks::NaturalBreaksTable;

use crate::error::{GeoStatsError, Result};
use crate::quantile::quantile_sorted;

/// A discretisation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiscretizationMethod {
    /// Equal-width intervals between the minimum and the maximum.
    EqualInterval,
    /// Equal-count intervals (type-7 quantiles).
    Quantile,
    /// Exact Fisher–Jenks natural breaks.
    NaturalBreaks,
    /// Geometric progression of class limits.
    Geometric,
    /// Steps of a fraction of the standard deviation around the mean.
    StandardDeviation,
}

impl DiscretizationMethod {
    /// All methods, in the fixed order used to break ties.
    pub const ALL: [Self; 5] = [
        Self::EqualInterval,
        Self::Quantile,
        Self::NaturalBreaks,
        Self::Geometric,
        Self::StandardDeviation,
    ];

    /// Short name: `equal`, `quantile`, `natural`, `geometric`, `sd` (the
    /// names of R `GD`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EqualInterval => "equal",
            Self::Quantile => "quantile",
            Self::NaturalBreaks => "natural",
            Self::Geometric => "geometric",
            Self::StandardDeviation => "sd",
        }
    }

    /// Parses the short name (also `equal_interval`, `natural_breaks`,
    /// `jenks`, `std`, `standard_deviation`).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "equal" | "equal_interval" | "equal-interval" => Some(Self::EqualInterval),
            "quantile" | "quantiles" => Some(Self::Quantile),
            "natural" | "natural_breaks" | "natural-breaks" | "jenks" | "fisher" => {
                Some(Self::NaturalBreaks)
            }
            "geometric" => Some(Self::Geometric),
            "sd" | "std" | "standard_deviation" | "standard-deviation" => {
                Some(Self::StandardDeviation)
            }
            _ => None,
        }
    }
}

/// Class limits of a discretisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Breaks {
    /// The method that produced them.
    pub method: DiscretizationMethod,
    /// The number of classes asked for.
    pub requested_classes: usize,
    /// Interior breaks, strictly increasing.
    pub interior: Vec<f64>,
    /// Minimum of the data.
    pub min: f64,
    /// Maximum of the data.
    pub max: f64,
}

impl Breaks {
    /// Number of classes actually produced (`interior.len() + 1`).
    pub fn n_classes(&self) -> usize {
        self.interior.len() + 1
    }

    /// All class limits `[min, b₁, …, b_{k−1}, max]`.
    pub fn edges(&self) -> Vec<f64> {
        let mut e = Vec::with_capacity(self.interior.len() + 2);
        e.push(self.min);
        e.extend_from_slice(&self.interior);
        e.push(self.max);
        e
    }

    /// Class of a value: the number of interior breaks strictly below it.
    pub fn class_of(&self, x: f64) -> usize {
        self.interior.partition_point(|&b| b < x)
    }

    /// Classes of many values.
    pub fn classify(&self, xs: &[f64]) -> Vec<usize> {
        xs.iter().map(|&x| self.class_of(x)).collect()
    }
}

/// A discretised factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Discretization {
    /// The class limits.
    pub breaks: Breaks,
    /// Class of every observation, in input order.
    pub classes: Vec<usize>,
}

pub(crate) fn check_values(what: &str, x: &[f64]) -> Result<()> {
    if x.is_empty() {
        return Err(GeoStatsError::EmptyInput { what: what.into() });
    }
    if x.iter().all(|v| v.is_nan()) {
        return Err(GeoStatsError::AllNan { what: what.into() });
    }
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(GeoStatsError::NonFinite {
            what: what.into(),
            index,
            value,
        });
    }
    Ok(())
}

pub(crate) fn check_classes(k: usize) -> Result<()> {
    if k < 2 {
        return Err(GeoStatsError::invalid(
            "classes",
            k,
            "at least 2 classes are needed",
        ));
    }
    Ok(())
}

/// Summary statistics of sorted data shared by the break rules.
pub(crate) struct SortedSummary<'a> {
    pub sorted: &'a [f64],
    pub mean: f64,
    pub sd: f64,
}

impl<'a> SortedSummary<'a> {
    pub(crate) fn new(sorted: &'a [f64]) -> Self {
        let n = sorted.len() as f64;
        let mean = sorted.iter().sum::<f64>() / n;
        let ss: f64 = sorted.iter().map(|v| (v - mean) * (v - mean)).sum();
        let sd = if sorted.len() > 1 {
            (ss / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        Self { sorted, mean, sd }
    }

    fn min(&self) -> f64 {
        self.sorted[0]
    }

    fn max(&self) -> f64 {
        self.sorted[self.sorted.len() - 1]
    }
}

/// Raw breaks of one method (before clean-up).
fn raw_breaks(
    s: &SortedSummary<'_>,
    method: DiscretizationMethod,
    k: usize,
    natural: Option<&NaturalBreaksTable>,
) -> Vec<f64> {
    let (min, max) = (s.min(), s.max());
    let kf = k as f64;
    match method {
        DiscretizationMethod::EqualInterval => {
            let w = (max - min) / kf;
            (1..k).map(|i| min + i as f64 * w).collect()
        }
        DiscretizationMethod::Quantile => (1..k)
            .map(|i| quantile_sorted(s.sorted, i as f64 / kf))
            .collect(),
        DiscretizationMethod::NaturalBreaks => match natural {
            Some(t) => t.breaks(k),
            None => NaturalBreaksTable::new(s.sorted, k).breaks(k),
        },
        DiscretizationMethod::Geometric => {
            let shift = if min > 0.0 { 0.0 } else { 1.0 - min };
            let (lo, hi) = (min + shift, max + shift);
            let r = (hi / lo).powf(1.0 / kf);
            (1..k).map(|i| lo * r.powi(i as i32) - shift).collect()
        }
        DiscretizationMethod::StandardDeviation => {
            let h = (6.0 / kf).min(1.0);
            (1..k)
                .map(|i| s.mean + (i as f64 - kf / 2.0) * h * s.sd)
                .collect()
        }
    }
}

/// Removes non-finite, repeated and empty-class-producing breaks.
fn clean_breaks(raw: Vec<f64>, min: f64, max: f64) -> Vec<f64> {
    let mut b: Vec<f64> = raw
        .into_iter()
        .filter(|v| v.is_finite() && *v >= min && *v < max)
        .collect();
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

pub(crate) fn breaks_from_summary(
    s: &SortedSummary<'_>,
    method: DiscretizationMethod,
    k: usize,
    natural: Option<&NaturalBreaksTable>,
) -> Breaks {
    let (min, max) = (s.min(), s.max());
    let interior = if min == max {
        Vec::new()
    } else {
        clean_breaks(raw_breaks(s, method, k, natural), min, max)
    };
    Breaks {
        method,
        requested_classes: k,
        interior,
        min,
        max,
    }
}

/// Class limits of `x` for `k` classes by `method`.
///
/// Errors: empty or non-finite `x`, `k < 2`.
pub fn compute_breaks(x: &[f64], method: DiscretizationMethod, k: usize) -> Result<Breaks> {
    check_values("x", x)?;
    check_classes(k)?;
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let s = SortedSummary::new(&sorted);
    Ok(breaks_from_summary(&s, method, k, None))
}

/// Discretises `x` into (at most) `k` classes by `method`.
///
/// ```
/// use geo_stats::discretize::{discretize, DiscretizationMethod};
/// let x = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0, 31.0, 50.0];
/// let d = discretize(&x, DiscretizationMethod::NaturalBreaks, 3).unwrap();
/// assert_eq!(d.breaks.interior, vec![12.0, 31.0]);
/// assert_eq!(d.classes, vec![0, 0, 0, 0, 0, 0, 1, 1, 2]);
/// ```
pub fn discretize(x: &[f64], method: DiscretizationMethod, k: usize) -> Result<Discretization> {
    let breaks = compute_breaks(x, method, k)?;
    let classes = breaks.classify(x);
    Ok(Discretization { breaks, classes })
}
