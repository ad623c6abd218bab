//! Stratifications (categorical factors).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use crate::error::{GeoStatsError, Result};

/// A stratification of `n` observations into levels (strata).
///
/// Levels are numbered `0..n_levels()` in sorted order of the original
/// labels; every level has at least one member (there are no empty
/// strata by construction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strata {
    codes: Vec<u32>,
    labels: Vec<String>,
    counts: Vec<usize>,
}

impl Strata {
    /// Builds a stratification from arbitrary ordered labels (strings,
    /// integers, …). Levels are the distinct labels in sorted order.
    ///
    /// Errors: [`GeoStatsError::EmptyInput`] for an empty slice.
    pub fn from_labels<T: Ord + Clone + Display>(labels: &[T]) -> Result<Self> {
        if labels.is_empty() {
            return Err(GeoStatsError::EmptyInput {
                what: "strata labels".into(),
            });
        }
        let mut levels: BTreeMap<T, u32> = BTreeMap::new();
        for l in labels {
            levels.entry(l.clone()).or_insert(0);
        }
        let mut names = Vec::with_capacity(levels.len());
        for (i, (k, v)) in levels.iter_mut().enumerate() {
            *v = i as u32;
            names.push(k.to_string());
        }
        let codes: Vec<u32> = labels.iter().map(|l| levels[l]).collect();
        Ok(Self::from_parts(codes, names))
    }

    /// Builds a stratification from integer class codes (for example the
    /// output of a discretisation). Levels are the distinct codes in
    /// increasing order, labelled by their value.
    pub fn from_codes(codes: &[usize]) -> Result<Self> {
        Self::from_labels(codes)
    }

    fn from_parts(codes: Vec<u32>, labels: Vec<String>) -> Self {
        let mut counts = vec![0usize; labels.len()];
        for &c in &codes {
            counts[c as usize] += 1;
        }
        Self {
            codes,
            labels,
            counts,
        }
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether there are no observations (never true for a constructed value).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Number of strata.
    pub fn n_strata(&self) -> usize {
        self.labels.len()
    }

    /// Level index of each observation.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Label of each level.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Number of observations in each level.
    pub fn counts(&self) -> &[usize] {
        &self.counts
    }

    /// The overlay (intersection) of two stratifications: one stratum per
    /// observed pair of levels, labelled `"a|b"`, ordered by (a, b).
    ///
    /// Errors: [`GeoStatsError::LengthMismatch`] when the lengths differ.
    pub fn overlay(&self, other: &Strata) -> Result<Strata> {
        if self.len() != other.len() {
            return Err(GeoStatsError::LengthMismatch {
                what: "second stratification of the overlay".into(),
                expected: self.len(),
                found: other.len(),
            });
        }
        let mut pairs: Vec<(u32, u32)> = self
            .codes
            .iter()
            .zip(&other.codes)
            .map(|(&a, &b)| (a, b))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let index: HashMap<(u32, u32), u32> = pairs
            .iter()
            .enumerate()
            .map(|(i, &p)| (p, i as u32))
            .collect();
        let codes = self
            .codes
            .iter()
            .zip(&other.codes)
            .map(|(&a, &b)| index[&(a, b)])
            .collect();
        let labels = pairs
            .iter()
            .map(|&(a, b)| format!("{}|{}", self.labels[a as usize], other.labels[b as usize]))
            .collect();
        Ok(Self::from_parts(codes, labels))
    }
}
