//! The temperature forcing of one pixel: freeze–thaw cycles (onsets and
//! end-of-cycle degree days) and ADDT/ADDF on sample dates.
//!
//! A [`Forcing`] is either built from precomputed values (for example the
//! onsets and ADDT/ADDF on the SAR dates that `era5-forcing` produces) with
//! [`Forcing::new`], or derived from a daily temperature series with
//! [`Forcing::from_daily_temperature`] (module [`onset`](crate::onset)).

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::time::check_increasing;

/// One permafrost year (freeze–thaw cycle): from a thaw onset to the next.
///
/// All dates stand for the instant 00:00 of the day. Degree days are in
/// °C·day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cycle {
    /// The thaw onset τ_t that starts the cycle.
    pub thaw_onset: NaiveDate,
    /// The freeze onset τ_f of the cycle, if known. When it is `None` the
    /// PECM estimates it from the mean thaw-season length of the other
    /// cycles (recorded in [`CycleRecord`](crate::CycleRecord)).
    pub freeze_onset: Option<NaiveDate>,
    /// The next thaw onset, which ends the cycle; `None` when the cycle runs
    /// past the end of the data (an *open* cycle).
    pub next_thaw_onset: Option<NaiveDate>,
    /// ADDT at the end of the cycle (the instant of the next thaw onset):
    /// the cycle's total thawing degree days. `NaN` for open cycles.
    pub addt_end: f64,
    /// ADDF at the end of the cycle: the freezing degree days from the
    /// freeze onset to the next thaw onset. `NaN` for open cycles.
    pub addf_end: f64,
}

impl Cycle {
    /// Whether both the cycle's thaw onset and the next one are known.
    pub fn is_complete(&self) -> bool {
        self.next_thaw_onset.is_some()
    }
}

/// ADDT and ADDF of one pixel on a sequence of sample dates, and the
/// pixel's freeze–thaw cycles.
///
/// * `dates`: strictly increasing sample dates (daily, or the SAR dates).
/// * `addt[k]`, `addf[k]`: accumulated thawing / freezing degree days
///   (°C·day) of the cycle that contains `dates[k]`, counted from that
///   cycle's thaw onset (ADDT) and freeze onset (ADDF, 0 before it) up to
///   the sample. `NaN` marks a missing sample (the basis is then `NaN` and
///   the date drops out of fits).
/// * `cycles`: consecutive cycles in time order; each but the last must end
///   at the next one's thaw onset.
///
/// The PECM's seasonal index is evaluated on these samples; for the exact
/// per-cycle peak that normalises it, give daily samples (as
/// [`Forcing::from_daily_temperature`] does). With samples only on the SAR
/// dates the peak is the largest sampled |I| of each cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Forcing {
    dates: Vec<NaiveDate>,
    addt: Vec<f64>,
    addf: Vec<f64>,
    cycles: Vec<Cycle>,
}

impl Forcing {
    /// A forcing from precomputed samples and cycles, checked.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `addt`/`addf` and `dates` differ in
    /// length, [`Error::NotIncreasing`] for dates or thaw onsets out of
    /// order, [`Error::OutOfRange`] for negative or infinite degree days,
    /// [`Error::InvalidCycle`] for an inconsistent cycle table.
    pub fn new(
        dates: Vec<NaiveDate>,
        addt: Vec<f64>,
        addf: Vec<f64>,
        cycles: Vec<Cycle>,
    ) -> Result<Self> {
        if addt.len() != dates.len() {
            return Err(Error::length("addt", addt.len(), "dates", dates.len()));
        }
        if addf.len() != dates.len() {
            return Err(Error::length("addf", addf.len(), "dates", dates.len()));
        }
        check_increasing("dates", &dates)?;
        for (input, values) in [("addt", &addt), ("addf", &addf)] {
            for (i, &v) in values.iter().enumerate() {
                let valid = v.is_nan() || (v.is_finite() && v >= 0.0);
                if !valid {
                    return Err(Error::out_of_range(
                        input,
                        Some(i),
                        v,
                        "degree days must be finite and ≥ 0 (NaN for missing)",
                    ));
                }
            }
        }
        check_cycles(&cycles)?;
        Ok(Forcing {
            dates,
            addt,
            addf,
            cycles,
        })
    }

    /// The sample dates.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// ADDT (°C·day) on the sample dates.
    pub fn addt(&self) -> &[f64] {
        &self.addt
    }

    /// ADDF (°C·day) on the sample dates.
    pub fn addf(&self) -> &[f64] {
        &self.addf
    }

    /// The freeze–thaw cycles in time order.
    pub fn cycles(&self) -> &[Cycle] {
        &self.cycles
    }

    /// The index of the sample on `date`, if any.
    pub fn sample_index(&self, date: NaiveDate) -> Option<usize> {
        self.dates.binary_search(&date).ok()
    }

    /// Assembles without checks (for the daily path, whose construction
    /// guarantees the invariants).
    pub(crate) fn from_parts(
        dates: Vec<NaiveDate>,
        addt: Vec<f64>,
        addf: Vec<f64>,
        cycles: Vec<Cycle>,
    ) -> Self {
        debug_assert!(check_cycles(&cycles).is_ok());
        Forcing {
            dates,
            addt,
            addf,
            cycles,
        }
    }
}

fn check_cycles(cycles: &[Cycle]) -> Result<()> {
    let onsets: Vec<NaiveDate> = cycles.iter().map(|c| c.thaw_onset).collect();
    check_increasing("cycles.thaw_onset", &onsets)?;
    for (k, c) in cycles.iter().enumerate() {
        let bad = |problem: String| Error::InvalidCycle {
            cycle: k,
            thaw_onset: c.thaw_onset,
            problem,
        };
        if let Some(next) = cycles.get(k + 1) {
            if c.next_thaw_onset != Some(next.thaw_onset) {
                return Err(bad(format!(
                    "next_thaw_onset = {:?} but the next cycle starts on {}; cycles must be \
                     consecutive",
                    c.next_thaw_onset, next.thaw_onset
                )));
            }
        }
        if let Some(f) = c.freeze_onset {
            if f <= c.thaw_onset {
                return Err(bad(format!("freeze_onset {f} is not after the thaw onset")));
            }
            if let Some(next) = c.next_thaw_onset {
                if f >= next {
                    return Err(bad(format!(
                        "freeze_onset {f} is not before the next thaw onset {next}"
                    )));
                }
            }
        }
        if let Some(next) = c.next_thaw_onset {
            if next <= c.thaw_onset {
                return Err(bad(format!(
                    "next_thaw_onset {next} is not after the thaw onset"
                )));
            }
            for (name, v) in [("addt_end", c.addt_end), ("addf_end", c.addf_end)] {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(bad(format!(
                        "{name} = {v} must be finite and ≥ 0 for a complete cycle"
                    )));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cycle(t: NaiveDate, f: NaiveDate, n: Option<NaiveDate>) -> Cycle {
        Cycle {
            thaw_onset: t,
            freeze_onset: Some(f),
            next_thaw_onset: n,
            addt_end: if n.is_some() { 1000.0 } else { f64::NAN },
            addf_end: if n.is_some() { 2000.0 } else { f64::NAN },
        }
    }

    #[test]
    fn rejects_non_consecutive_cycles() {
        let cycles = vec![
            cycle(d(2016, 5, 1), d(2016, 10, 1), Some(d(2017, 5, 2))),
            cycle(d(2017, 5, 1), d(2017, 10, 1), None),
        ];
        let err = Forcing::new(vec![], vec![], vec![], cycles).unwrap_err();
        assert!(matches!(err, Error::InvalidCycle { cycle: 0, .. }), "{err}");
    }

    #[test]
    fn rejects_freeze_before_thaw() {
        let cycles = vec![cycle(d(2016, 5, 1), d(2016, 4, 1), None)];
        let err = Forcing::new(vec![], vec![], vec![], cycles).unwrap_err();
        assert!(err.to_string().contains("freeze_onset 2016-04-01"), "{err}");
    }

    #[test]
    fn rejects_negative_degree_days() {
        let err = Forcing::new(
            vec![d(2016, 5, 1), d(2016, 5, 2)],
            vec![0.0, -1.0],
            vec![0.0, 0.0],
            vec![],
        )
        .unwrap_err();
        assert!(err.to_string().contains("addt[1] = -1"), "{err}");
    }
}
