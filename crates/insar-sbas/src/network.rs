//! Interferogram networks: acquisition dates and the date pairs that form
//! interferograms.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::components::Components;
use crate::error::{Error, Result};

/// Days per year used for every conversion to years (as MintPy).
pub const DAYS_PER_YEAR: f64 = 365.25;

/// One interferogram: indices into the network's dates.
///
/// The phase of the interferogram is φ(secondary) − φ(reference). In a
/// regular network the reference is the earlier date; MintPy also accepts
/// the reverse order, and so does this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pair {
    /// Index of the reference (usually earlier) date.
    pub reference: usize,
    /// Index of the secondary (usually later) date.
    pub secondary: usize,
}

impl Pair {
    /// The earlier and the later date index.
    pub fn ordered(&self) -> (usize, usize) {
        if self.reference < self.secondary {
            (self.reference, self.secondary)
        } else {
            (self.secondary, self.reference)
        }
    }
}

/// A small-baseline network: strictly increasing acquisition dates and the
/// interferograms between them.
///
/// The first date is the reference date of every time series (its value is
/// 0), as in MintPy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    dates: Vec<NaiveDate>,
    pairs: Vec<Pair>,
}

pub(crate) fn check_dates(input: &'static str, dates: &[NaiveDate]) -> Result<()> {
    if dates.len() < 2 {
        return Err(Error::TooFewDates {
            input,
            found: dates.len(),
        });
    }
    for (i, w) in dates.windows(2).enumerate() {
        if w[1] <= w[0] {
            return Err(Error::DatesNotIncreasing {
                input,
                index: i + 1,
                previous: w[0],
                date: w[1],
            });
        }
    }
    Ok(())
}

impl Network {
    /// A network from dates and pairs of date indices `(reference, secondary)`.
    ///
    /// Errors: fewer than two dates, dates not strictly increasing, no pair,
    /// an index out of range, a date paired with itself, or the same two
    /// dates paired twice (in either order); each names the pair.
    pub fn new(dates: Vec<NaiveDate>, pairs: &[(usize, usize)]) -> Result<Network> {
        check_dates("dates", &dates)?;
        if pairs.is_empty() {
            return Err(Error::EmptyNetwork);
        }
        let n = dates.len();
        let mut seen: HashMap<(usize, usize), usize> = HashMap::with_capacity(pairs.len());
        let mut out = Vec::with_capacity(pairs.len());
        for (k, &(r, s)) in pairs.iter().enumerate() {
            for index in [r, s] {
                if index >= n {
                    return Err(Error::DateIndexOutOfRange {
                        pair: k,
                        index,
                        n_dates: n,
                    });
                }
            }
            if r == s {
                return Err(Error::SelfPair {
                    pair: k,
                    date: dates[r],
                });
            }
            let key = (r.min(s), r.max(s));
            if let Some(&first) = seen.get(&key) {
                return Err(Error::DuplicatePair {
                    pair: k,
                    first,
                    reference: dates[r],
                    secondary: dates[s],
                });
            }
            seen.insert(key, k);
            out.push(Pair {
                reference: r,
                secondary: s,
            });
        }
        Ok(Network { dates, pairs: out })
    }

    /// A network from acquisition dates and `(reference, secondary)` date
    /// pairs (e.g. MintPy's `date` dataset). Every pair date must be one of
    /// `dates`; the error names the pair and the date otherwise.
    pub fn from_date_pairs(
        dates: &[NaiveDate],
        pairs: &[(NaiveDate, NaiveDate)],
    ) -> Result<Network> {
        check_dates("dates", dates)?;
        let index: HashMap<NaiveDate, usize> =
            dates.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let lookup = |k: usize, d: NaiveDate| {
            index.get(&d).copied().ok_or(Error::UnknownDate {
                pair: k,
                date: d,
                n_dates: dates.len(),
            })
        };
        let idx = pairs
            .iter()
            .enumerate()
            .map(|(k, &(r, s))| Ok((lookup(k, r)?, lookup(k, s)?)))
            .collect::<Result<Vec<_>>>()?;
        Network::new(dates.to_vec(), &idx)
    }

    /// A network whose dates are the sorted union of the pair dates (what
    /// MintPy's `ifgramStack.get_date_list` returns).
    pub fn from_pairs(pairs: &[(NaiveDate, NaiveDate)]) -> Result<Network> {
        let mut dates: Vec<NaiveDate> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        dates.sort_unstable();
        dates.dedup();
        Network::from_date_pairs(&dates, pairs)
    }

    /// Acquisition dates.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// Interferograms, in input order.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Number of dates N.
    pub fn n_dates(&self) -> usize {
        self.dates.len()
    }

    /// Number of interferograms M.
    pub fn n_pairs(&self) -> usize {
        self.pairs.len()
    }

    /// `(reference, secondary)` dates of every interferogram.
    pub fn date_pairs(&self) -> Vec<(NaiveDate, NaiveDate)> {
        self.pairs
            .iter()
            .map(|p| (self.dates[p.reference], self.dates[p.secondary]))
            .collect()
    }

    /// Temporal baseline of each interferogram, secondary − reference, days
    /// (negative for reversed pairs).
    pub fn temporal_baselines_days(&self) -> Vec<i64> {
        self.pairs
            .iter()
            .map(|p| (self.dates[p.secondary] - self.dates[p.reference]).num_days())
            .collect()
    }

    /// Time of each date since the first, years (days / 365.25).
    pub fn years(&self) -> Vec<f64> {
        self.dates
            .iter()
            .map(|d| (*d - self.dates[0]).num_days() as f64 / DAYS_PER_YEAR)
            .collect()
    }

    /// Duration of each interval between consecutive dates, years.
    pub fn interval_years(&self) -> Vec<f64> {
        self.dates
            .windows(2)
            .map(|w| (w[1] - w[0]).num_days() as f64 / DAYS_PER_YEAR)
            .collect()
    }

    /// Connected components (union–find over the pairs).
    pub fn components(&self) -> Components {
        Components::from_pairs(
            self.n_dates(),
            self.pairs.iter().map(|p| (p.reference, p.secondary)),
        )
    }

    /// Number of interferograms that involve each date.
    pub fn redundancy(&self) -> Vec<usize> {
        let mut r = vec![0; self.n_dates()];
        for p in &self.pairs {
            r[p.reference] += 1;
            r[p.secondary] += 1;
        }
        r
    }

    /// `Ok` when the network is connected; otherwise
    /// [`Error::DisconnectedNetwork`] naming where it splits.
    pub fn check_connected(&self) -> Result<()> {
        let c = self.components();
        if c.is_connected() {
            Ok(())
        } else {
            Err(Error::DisconnectedNetwork {
                n_components: c.len(),
                description: self.describe_components(&c),
            })
        }
    }

    pub(crate) fn describe_components(&self, c: &Components) -> String {
        let pairs: Vec<(usize, usize)> = self
            .pairs
            .iter()
            .map(|p| (p.reference, p.secondary))
            .collect();
        c.describe(&self.dates, &pairs)
    }

    /// The network without the interferograms where `keep` is false (e.g.
    /// MintPy's `dropIfgram`). Dates are kept, so dropping can disconnect it.
    pub fn subset(&self, keep: &[bool]) -> Result<Network> {
        if keep.len() != self.n_pairs() {
            return Err(Error::LengthMismatch {
                input: "keep",
                found: keep.len(),
                expected: self.n_pairs(),
                what: "one flag per interferogram",
            });
        }
        let pairs: Vec<(usize, usize)> = self
            .pairs
            .iter()
            .zip(keep)
            .filter(|(_, &k)| k)
            .map(|(p, _)| (p.reference, p.secondary))
            .collect();
        Network::new(self.dates.clone(), &pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn rejects_bad_pairs_naming_them() {
        let dates = vec![d(2017, 1, 1), d(2017, 1, 13), d(2017, 1, 25)];
        let e = Network::new(dates.clone(), &[(0, 1), (1, 0)]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::DuplicatePair {
                    pair: 1,
                    first: 0,
                    ..
                }
            ),
            "{e}"
        );
        let e = Network::new(dates.clone(), &[(0, 3)]).unwrap_err();
        assert!(matches!(
            e,
            Error::DateIndexOutOfRange {
                pair: 0,
                index: 3,
                ..
            }
        ));
        let e = Network::new(dates.clone(), &[(2, 2)]).unwrap_err();
        assert!(matches!(e, Error::SelfPair { pair: 0, .. }));
        let e = Network::from_date_pairs(&dates, &[(d(2017, 1, 1), d(2017, 1, 14))]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pair 0: date 2017-01-14 is not among the 3 acquisition dates"
        );
        let e = Network::new(vec![d(2017, 1, 13), d(2017, 1, 1)], &[(0, 1)]).unwrap_err();
        assert!(matches!(e, Error::DatesNotIncreasing { index: 1, .. }));
    }

    #[test]
    fn from_pairs_sorts_the_dates() {
        let n = Network::from_pairs(&[(d(2017, 2, 1), d(2017, 1, 1))]).unwrap();
        assert_eq!(n.dates(), &[d(2017, 1, 1), d(2017, 2, 1)]);
        assert_eq!(
            n.pairs()[0],
            Pair {
                reference: 1,
                secondary: 0
            }
        );
        assert_eq!(n.temporal_baselines_days(), vec![-31]);
    }
}
