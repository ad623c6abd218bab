//! Network selection: which date pairs become interferograms.

use chrono::NaiveDate;

use crate::components::Components;
use crate::error::{Error, Result};
use crate::network::{check_dates, Network};

/// Parameters of the small-baseline network, with defaults from the S-PECM
/// study (SCIENCE.md §4).
///
/// | parameter | default | setter |
/// |---|---|---|
/// | max temporal baseline | 40 days | [`with_max_temporal_baseline_days`](NetworkParams::with_max_temporal_baseline_days) |
/// | inter-annual windows (inclusive) | 350–380 and 725–735 days | [`with_interannual_windows`](NetworkParams::with_interannual_windows) |
/// | max \|B⊥\| | none | [`with_max_perp_baseline_m`](NetworkParams::with_max_perp_baseline_m) |
///
/// A pair is a candidate when its temporal baseline is at most the maximum
/// or lies in one of the windows; a candidate is kept when its |B⊥| is
/// within the limit (if any, and if baselines are given), and *dropped*
/// (reported in [`NetworkSelection::dropped`]) otherwise.
///
/// ```
/// use insar_sbas::NetworkParams;
/// let rule = NetworkParams::new()
///     .with_max_temporal_baseline_days(48)
///     .with_interannual_windows(vec![(355, 375)])
///     .with_max_perp_baseline_m(Some(150.0))
///     .build()?;
/// assert_eq!(rule.params().max_temporal_baseline_days(), 48);
/// assert!(NetworkParams::new().with_interannual_windows(vec![(380, 350)]).build().is_err());
/// # Ok::<(), insar_sbas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkParams {
    max_temporal_baseline_days: u32,
    interannual_windows: Vec<(u32, u32)>,
    max_perp_baseline_m: Option<f64>,
}

impl Default for NetworkParams {
    fn default() -> Self {
        NetworkParams {
            max_temporal_baseline_days: 40,
            interannual_windows: vec![(350, 380), (725, 735)],
            max_perp_baseline_m: None,
        }
    }
}

impl NetworkParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// Largest temporal baseline of a short pair, days (> 0).
    #[must_use]
    pub fn with_max_temporal_baseline_days(mut self, days: u32) -> Self {
        self.max_temporal_baseline_days = days;
        self
    }

    /// Inter-annual windows `(min, max)` of temporal baseline, days,
    /// inclusive; any number (an empty list keeps only short pairs).
    #[must_use]
    pub fn with_interannual_windows(mut self, windows: Vec<(u32, u32)>) -> Self {
        self.interannual_windows = windows;
        self
    }

    /// Largest |B⊥| in metres, or `None` for no limit.
    #[must_use]
    pub fn with_max_perp_baseline_m(mut self, limit: Option<f64>) -> Self {
        self.max_perp_baseline_m = limit;
        self
    }

    /// Largest temporal baseline of a short pair, days.
    pub fn max_temporal_baseline_days(&self) -> u32 {
        self.max_temporal_baseline_days
    }

    /// Inter-annual windows, days.
    pub fn interannual_windows(&self) -> &[(u32, u32)] {
        &self.interannual_windows
    }

    /// |B⊥| limit, metres.
    pub fn max_perp_baseline_m(&self) -> Option<f64> {
        self.max_perp_baseline_m
    }

    /// Checks the parameters.
    pub fn build(self) -> Result<NetworkRule> {
        if self.max_temporal_baseline_days == 0 {
            return Err(Error::invalid_parameter(
                "max_temporal_baseline_days",
                0,
                "must be > 0",
            ));
        }
        for &(lo, hi) in &self.interannual_windows {
            if lo > hi {
                return Err(Error::invalid_parameter(
                    "interannual_windows",
                    (lo, hi),
                    "each window must be (min, max) with min ≤ max",
                ));
            }
        }
        if let Some(b) = self.max_perp_baseline_m {
            if !(b.is_finite() && b > 0.0) {
                return Err(Error::invalid_parameter(
                    "max_perp_baseline_m",
                    b,
                    "must be finite and > 0",
                ));
            }
        }
        Ok(NetworkRule { params: self })
    }
}

/// Checked network parameters; [`NetworkRule::select`] builds networks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkRule {
    params: NetworkParams,
}

/// A candidate pair left out because of its perpendicular baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DroppedPair {
    /// Earlier date.
    pub reference: NaiveDate,
    /// Later date.
    pub secondary: NaiveDate,
    /// Temporal baseline, days.
    pub temporal_baseline_days: i64,
    /// Perpendicular baseline B⊥(secondary) − B⊥(reference), m.
    pub perp_baseline_m: f64,
}

/// The outcome of [`NetworkRule::select`].
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkSelection {
    /// The selected network (pairs ordered by reference date, then by
    /// secondary date).
    pub network: Network,
    /// Candidates dropped by the |B⊥| limit.
    pub dropped: Vec<DroppedPair>,
    /// Connected components of the selected network.
    pub components: Components,
    /// Interferograms per date.
    pub redundancy: Vec<usize>,
}

impl NetworkRule {
    /// The parameters.
    pub fn params(&self) -> &NetworkParams {
        &self.params
    }

    /// True when a temporal baseline (days, ≥ 0) makes a candidate pair.
    pub fn is_candidate(&self, days: i64) -> bool {
        let p = &self.params;
        (days > 0 && days <= i64::from(p.max_temporal_baseline_days))
            || p.interannual_windows
                .iter()
                .any(|&(lo, hi)| (i64::from(lo)..=i64::from(hi)).contains(&days))
    }

    /// Selects pairs among `dates` (strictly increasing). `perp_baselines_m`
    /// are per-date perpendicular baselines (relative to any common
    /// reference), one per date, used only when a |B⊥| limit is set.
    ///
    /// Errors: bad dates, baselines of the wrong length or not finite, or no
    /// pair at all. A disconnected selection is *not* an error here: see
    /// [`NetworkSelection::components`].
    pub fn select(
        &self,
        dates: &[NaiveDate],
        perp_baselines_m: Option<&[f64]>,
    ) -> Result<NetworkSelection> {
        check_dates("dates", dates)?;
        if let Some(b) = perp_baselines_m {
            if b.len() != dates.len() {
                return Err(Error::LengthMismatch {
                    input: "perp_baselines_m",
                    found: b.len(),
                    expected: dates.len(),
                    what: "one baseline per date",
                });
            }
            if let Some((i, &v)) = b.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(Error::NonFinite {
                    input: "perp_baselines_m",
                    index: i,
                    value: v,
                });
            }
        }
        let mut pairs = Vec::new();
        let mut dropped = Vec::new();
        for i in 0..dates.len() {
            for j in i + 1..dates.len() {
                let days = (dates[j] - dates[i]).num_days();
                if !self.is_candidate(days) {
                    continue;
                }
                match (self.params.max_perp_baseline_m, perp_baselines_m) {
                    (Some(limit), Some(b)) if (b[j] - b[i]).abs() > limit => {
                        dropped.push(DroppedPair {
                            reference: dates[i],
                            secondary: dates[j],
                            temporal_baseline_days: days,
                            perp_baseline_m: b[j] - b[i],
                        });
                    }
                    _ => pairs.push((i, j)),
                }
            }
        }
        let network = Network::new(dates.to_vec(), &pairs)?;
        let components = network.components();
        let redundancy = network.redundancy();
        Ok(NetworkSelection {
            network,
            dropped,
            components,
            redundancy,
        })
    }
}
