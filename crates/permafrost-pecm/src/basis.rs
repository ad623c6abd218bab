//! The long-term basis L(τ) and the seasonal bases (the PECM index and the
//! plain Stefan index) of one pixel, evaluated on the SAR dates.

use chrono::NaiveDate;

use crate::closure::{closing_ratio, pecm_value, Closure};
use crate::error::{Error, Result};
use crate::forcing::Forcing;
use crate::time::{check_increasing, date_of, day};

/// A seasonal basis: the raw index of one freeze–thaw cycle from its
/// ADDT/ADDF samples. Implemented by the unit structs [`PecmIndex`] (the
/// PECM's composite index, the default) and [`StefanIndex`] (the plain
/// Stefan model, for comparison).
pub trait SeasonalBasis: Sync {
    /// A short name (`"pecm"`, `"stefan"`) for records and errors.
    fn name(&self) -> &'static str;

    /// The ratio r of a complete cycle with end values ADDT_end, ADDF_end
    /// given the Johansen ratio r₀; `None` when the cycle cannot be closed.
    fn close(&self, r0: f64, addt_end: f64, addf_end: f64) -> Option<Closure>;

    /// The raw index (units √(°C·day), ≤ 0) of one cycle's samples in time
    /// order, written into `out` (same length as `addt` and `addf`). `NaN`
    /// samples give `NaN`.
    fn evaluate(&self, addt: &[f64], addf: &[f64], ratio: f64, out: &mut [f64]);

    /// The raw index at the cycle's end values (the instant of the next thaw
    /// onset, before the next cycle restarts the count).
    fn end_value(&self, addt_end: f64, addf_end: f64, ratio: f64) -> f64;
}

/// The PECM composite index (the study's Eq. 4):
/// I(τ) = −max(0, √ADDT(τ) − √(r·ADDF(τ))), with per-cycle closure
/// r = max(r₀, ADDT_end/ADDF_end) (see [`closing_ratio`]).
///
/// Once, after the freeze onset (ADDF > 0), √(r·ADDF) reaches √ADDT, the
/// active layer counts as fully refrozen and the index is held at 0 until
/// the next thaw onset, even if a winter warm spell adds a little ADDT
/// later ("held at 0 once the active layer is fully refrozen", SCIENCE.md
/// §3). The hold is evaluated on the forcing's samples.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PecmIndex;

/// The plain Stefan index of Liu et al. (2010): I(τ) = −√ADDT(τ), with no
/// freeze term; it grows through each thaw season and restarts at 0 at the
/// next thaw onset. No closure is applied (r is not used).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StefanIndex;

impl SeasonalBasis for PecmIndex {
    fn name(&self) -> &'static str {
        "pecm"
    }

    fn close(&self, r0: f64, addt_end: f64, addf_end: f64) -> Option<Closure> {
        closing_ratio(r0, addt_end, addf_end)
    }

    fn evaluate(&self, addt: &[f64], addf: &[f64], ratio: f64, out: &mut [f64]) {
        let mut frozen = false;
        for ((o, &a), &f) in out.iter_mut().zip(addt).zip(addf) {
            if a.is_nan() || f.is_nan() {
                *o = f64::NAN;
                continue;
            }
            if !frozen && f > 0.0 && ratio * f >= a {
                frozen = true;
            }
            *o = if frozen { 0.0 } else { pecm_value(a, f, ratio) };
        }
    }

    fn end_value(&self, addt_end: f64, addf_end: f64, ratio: f64) -> f64 {
        pecm_value(addt_end, addf_end, ratio)
    }
}

impl SeasonalBasis for StefanIndex {
    fn name(&self) -> &'static str {
        "stefan"
    }

    fn close(&self, r0: f64, _addt_end: f64, _addf_end: f64) -> Option<Closure> {
        Some(Closure {
            ratio: r0,
            adjusted: false,
        })
    }

    fn evaluate(&self, addt: &[f64], _addf: &[f64], _ratio: f64, out: &mut [f64]) {
        for (o, &a) in out.iter_mut().zip(addt) {
            *o = if a > 0.0 { -a.sqrt() } else { a * 0.0 };
        }
    }

    fn end_value(&self, addt_end: f64, _addf_end: f64, _ratio: f64) -> f64 {
        -addt_end.sqrt()
    }
}

/// What the bases are on dates before the first thaw onset of the forcing
/// (a SAR series that starts before the temperature record shows a thaw
/// onset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LeadIn {
    /// The ground is taken as frozen and the seasonal index as closed:
    /// L = 0 and I = 0 (the default). Right when the series starts in
    /// winter or spring; for a series that starts in summer, give
    /// temperatures from the spring before so that the cycle starts in the
    /// data.
    #[default]
    Frozen,
    /// The bases are `NaN`: those dates drop out of every fit, and a
    /// reference date among them is an error.
    Exclude,
}

/// What the PECM knows about one cycle of a pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CycleRecord {
    /// The permafrost year T (1 for the first cycle).
    pub number: usize,
    /// Thaw onset τ_t.
    pub thaw_onset: NaiveDate,
    /// Freeze onset τ_f (estimated when the forcing does not give one).
    pub freeze_onset: NaiveDate,
    /// Whether `freeze_onset` was estimated from the mean thaw-season length
    /// of the other cycles.
    pub freeze_onset_estimated: bool,
    /// The next thaw onset (`None` for the open last cycle).
    pub next_thaw_onset: Option<NaiveDate>,
    /// Both onsets are known (the closure could be checked).
    pub complete: bool,
    /// Complete and sampled over its whole length by the forcing; only
    /// covered cycles set the normaliser.
    pub covered: bool,
    /// The ratio r used (r₀ or the closing ratio).
    pub ratio: f64,
    /// Whether r₀ did not close the cycle and r was raised.
    pub adjusted: bool,
    /// The raw index at the cycle's end (0 for every closed PECM cycle;
    /// `NaN` for open cycles).
    pub end_index: f64,
    /// The cycle's largest |I| over the forcing's samples (raw units; `NaN`
    /// when no finite sample falls in the cycle).
    pub peak: f64,
}

/// The PECM (or rival) bases of one pixel on its SAR dates.
///
/// * [`long_term`](Bases::long_term): L(τ), the study's Eq. 3, in permafrost
///   years (continuous, non-decreasing; rises from T − 1 to T over the thaw
///   season of year T and stays at T until the next thaw onset).
/// * [`seasonal_raw`](Bases::seasonal_raw): the raw index I(τ) in
///   √(°C·day).
/// * [`seasonal`](Bases::seasonal): Î = I / N with N the
///   [`normaliser`](Bases::normaliser): the mean, over covered complete
///   cycles, of each cycle's largest |I|, so that a typical cycle reaches
///   −1 and the fitted coefficient is the seasonal amplitude in metres.
///
/// When no cycle is covered, N is the mean peak of the cycles that have
/// samples (recorded by [`normaliser_from_complete`](Bases::normaliser_from_complete)
/// being `false`).
///
/// Dates before the first thaw onset follow [`LeadIn`]; dates on or after
/// the end of the last complete cycle when no cycle follows it (the cycle
/// table ends there) and samples with `NaN` ADDT/ADDF have `NaN` bases and
/// drop out of the fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Bases {
    basis: &'static str,
    dates: Vec<NaiveDate>,
    long_term: Vec<f64>,
    seasonal_raw: Vec<f64>,
    seasonal: Vec<f64>,
    normaliser: f64,
    normaliser_cycles: usize,
    normaliser_from_complete: bool,
    r0: f64,
    cycles: Vec<CycleRecord>,
}

impl Bases {
    /// The seasonal basis's name.
    pub fn basis(&self) -> &'static str {
        self.basis
    }

    /// The SAR dates the bases are evaluated on.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// L(τ) on the dates (permafrost years).
    pub fn long_term(&self) -> &[f64] {
        &self.long_term
    }

    /// The raw seasonal index I(τ) on the dates (√(°C·day)).
    pub fn seasonal_raw(&self) -> &[f64] {
        &self.seasonal_raw
    }

    /// The normalised seasonal index Î(τ) = I(τ)/N on the dates.
    pub fn seasonal(&self) -> &[f64] {
        &self.seasonal
    }

    /// The normaliser N (√(°C·day)).
    pub fn normaliser(&self) -> f64 {
        self.normaliser
    }

    /// How many cycles set the normaliser.
    pub fn normaliser_cycles(&self) -> usize {
        self.normaliser_cycles
    }

    /// Whether the normaliser comes from covered complete cycles (`false`:
    /// from partial cycles, as no complete cycle was covered).
    pub fn normaliser_from_complete(&self) -> bool {
        self.normaliser_from_complete
    }

    /// The Johansen ratio r₀ = κ_f/κ_t the bases were built with.
    pub fn r0(&self) -> f64 {
        self.r0
    }

    /// Every cycle of the forcing.
    pub fn cycles(&self) -> &[CycleRecord] {
        &self.cycles
    }

    /// Indices (0-based) of the cycles whose ratio was adjusted to close them.
    pub fn adjusted_cycles(&self) -> Vec<usize> {
        self.cycles
            .iter()
            .enumerate()
            .filter_map(|(k, c)| c.adjusted.then_some(k))
            .collect()
    }
}

/// Evaluates the bases of `basis` on `dates` (a subset of the forcing's
/// sample dates).
pub(crate) fn compute<B: SeasonalBasis + ?Sized>(
    basis: &B,
    forcing: &Forcing,
    dates: &[NaiveDate],
    r0: f64,
    lead_in: LeadIn,
) -> Result<Bases> {
    if !(r0.is_finite() && r0 > 0.0) {
        return Err(Error::out_of_range(
            "r0",
            None,
            r0,
            "the ratio κ_f/κ_t must be finite and > 0",
        ));
    }
    check_increasing("dates", dates)?;
    let cycles = forcing.cycles();
    if cycles.is_empty() {
        return Err(Error::NoCycle);
    }
    // Mean thaw-season length, for cycles without a freeze onset.
    let lengths: Vec<i64> = cycles
        .iter()
        .filter_map(|c| c.freeze_onset.map(|f| day(f) - day(c.thaw_onset)))
        .collect();
    let mean_length = (!lengths.is_empty())
        .then(|| (lengths.iter().sum::<i64>() as f64 / lengths.len() as f64).round() as i64);

    let samples = forcing.dates();
    let (first_sample, last_sample) = match (samples.first(), samples.last()) {
        (Some(a), Some(b)) => (*a, *b),
        _ => {
            return Err(Error::AllMissing {
                input: "forcing samples",
            })
        }
    };
    let addt = forcing.addt();
    let addf = forcing.addf();
    let mut raw = vec![f64::NAN; samples.len()];
    let mut records = Vec::with_capacity(cycles.len());
    // Freeze onsets as day numbers (None: needs estimating, may fail later).
    let mut freeze_days: Vec<Option<i64>> = Vec::with_capacity(cycles.len());
    for (k, c) in cycles.iter().enumerate() {
        let (closure, end_index) = match c.next_thaw_onset {
            Some(_) => {
                let cl = basis
                    .close(r0, c.addt_end, c.addf_end)
                    .ok_or(Error::CannotClose {
                        cycle: k,
                        thaw_onset: c.thaw_onset,
                        addt_end: c.addt_end,
                        addf_end: c.addf_end,
                    })?;
                (cl, basis.end_value(c.addt_end, c.addf_end, cl.ratio))
            }
            None => (
                Closure {
                    ratio: r0,
                    adjusted: false,
                },
                f64::NAN,
            ),
        };
        // Samples of this cycle: [thaw_onset, next_thaw_onset).
        let lo = samples.partition_point(|d| *d < c.thaw_onset);
        let hi = match c.next_thaw_onset {
            Some(n) => samples.partition_point(|d| *d < n),
            None => samples.len(),
        };
        basis.evaluate(
            &addt[lo..hi],
            &addf[lo..hi],
            closure.ratio,
            &mut raw[lo..hi],
        );
        let peak = raw[lo..hi]
            .iter()
            .filter(|v| v.is_finite())
            .fold(f64::NAN, |m: f64, v| m.max(v.abs()));
        let (freeze_day, estimated) = match (c.freeze_onset, mean_length) {
            (Some(f), _) => (Some(day(f)), false),
            (None, Some(len)) => {
                let mut f = day(c.thaw_onset) + len.max(1);
                if let Some(n) = c.next_thaw_onset {
                    f = f.min(day(n) - 1).max(day(c.thaw_onset) + 1);
                }
                (Some(f), true)
            }
            (None, None) => (None, true),
        };
        freeze_days.push(freeze_day);
        let complete = c.next_thaw_onset.is_some();
        let covered = complete
            && first_sample <= c.thaw_onset
            && c.next_thaw_onset.is_some_and(|n| last_sample >= n);
        records.push(CycleRecord {
            number: k + 1,
            thaw_onset: c.thaw_onset,
            freeze_onset: freeze_day.map_or(c.thaw_onset, date_of),
            freeze_onset_estimated: estimated,
            next_thaw_onset: c.next_thaw_onset,
            complete,
            covered,
            ratio: closure.ratio,
            adjusted: closure.adjusted,
            end_index,
            peak,
        });
    }

    // Normaliser: mean peak over covered cycles, else over cycles with samples.
    let covered: Vec<f64> = records
        .iter()
        .filter(|r| r.covered && r.peak.is_finite())
        .map(|r| r.peak)
        .collect();
    let (peaks, from_complete) = if covered.is_empty() {
        let partial: Vec<f64> = records
            .iter()
            .filter(|r| r.peak.is_finite())
            .map(|r| r.peak)
            .collect();
        (partial, false)
    } else {
        (covered, true)
    };
    let normaliser = if peaks.is_empty() {
        f64::NAN
    } else {
        peaks.iter().sum::<f64>() / peaks.len() as f64
    };
    if !(normaliser.is_finite() && normaliser > 0.0) {
        return Err(Error::NoSeasonalSignal {
            basis: basis.name(),
            peak: normaliser,
        });
    }

    // Values on the SAR dates.
    let first_onset = cycles[0].thaw_onset;
    let n = dates.len();
    let mut long_term = Vec::with_capacity(n);
    let mut seasonal_raw = Vec::with_capacity(n);
    for (i, &date) in dates.iter().enumerate() {
        let s = forcing.sample_index(date).ok_or(Error::DateNotInForcing {
            input: "dates",
            index: i,
            date,
            first: first_sample,
            last: last_sample,
        })?;
        if date < first_onset {
            let v = match lead_in {
                LeadIn::Frozen => 0.0,
                LeadIn::Exclude => f64::NAN,
            };
            long_term.push(v);
            seasonal_raw.push(v);
            continue;
        }
        // The cycle containing the date: the last one starting on or before it.
        let k = cycles.partition_point(|c| c.thaw_onset <= date) - 1;
        let c = &cycles[k];
        if c.next_thaw_onset.is_some_and(|next| date >= next) {
            // Past the end of the cycle table: no permafrost year is defined.
            long_term.push(f64::NAN);
            seasonal_raw.push(f64::NAN);
            continue;
        }
        let t0 = day(c.thaw_onset);
        let f = freeze_days[k].ok_or(Error::NoFreezeOnset {
            cycle: k,
            thaw_onset: c.thaw_onset,
        })?;
        let frac = ((day(date) - t0) as f64 / (f - t0) as f64).clamp(0.0, 1.0);
        long_term.push(k as f64 + frac);
        seasonal_raw.push(raw[s]);
    }
    let seasonal = seasonal_raw.iter().map(|v| v / normaliser).collect();
    Ok(Bases {
        basis: basis.name(),
        dates: dates.to_vec(),
        long_term,
        seasonal_raw,
        seasonal,
        normaliser,
        normaliser_cycles: peaks.len(),
        normaliser_from_complete: from_complete,
        r0,
        cycles: records,
    })
}
