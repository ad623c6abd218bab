//! Raster forms: the fits over stacks with axes `(time, row, col)` (or
//! `(ifg, row, col)`), pixels in parallel with rayon (rows are the unit of
//! work; results are identical for any thread count because each pixel is
//! computed alone, in the same order of operations).
//!
//! Pixels whose displacement (or phase) series is entirely `NaN`, whose r₀
//! is `NaN`, or whose fit fails (no cycle in the forcing, too few dates, a
//! singular design, …) get `NaN` in every float output, 0 in the counts and
//! [`PixelStatus`] says why. Input errors that concern the whole raster
//! (shapes, lengths, dates, pairs, a uniform forcing that fails) are errors.

use chrono::NaiveDate;
use ndarray::{Array2, Array3, ArrayView2, ArrayView3};
use rayon::prelude::*;

use crate::basis::{Bases, StefanIndex};
use crate::error::{Error, Result};
use crate::fit::fitted_and_residuals;
use crate::forcing::Forcing;
use crate::joint::{check_pairs, components, Pair};
use crate::lsq::{solve, Design, FactorCache};
use crate::model::Pecm;
use crate::onset::OnsetParams;
use crate::rivals::{amplitude_phase, preferred, ModelKind};
use crate::time::check_increasing;
use crate::uncertainty::{estimates, FitStats};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// The element types of raster inputs (`f32`, `f64`); outputs are `f64`.
pub trait Sample: Copy + Send + Sync + sealed::Sealed {
    /// The value as `f64`.
    fn to_f64(self) -> f64;
}

impl Sample for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Sample for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

/// The Johansen ratio r₀ = κ_f/κ_t: one value for every pixel, or a raster
/// `(row, col)` (`NaN` pixels are skipped).
#[derive(Debug, Clone, Copy)]
pub enum RatioField<'a> {
    /// The same r₀ everywhere.
    Uniform(f64),
    /// r₀ per pixel.
    Raster(ArrayView2<'a, f64>),
}

impl From<f64> for RatioField<'_> {
    fn from(v: f64) -> Self {
        RatioField::Uniform(v)
    }
}

impl<'a> From<ArrayView2<'a, f64>> for RatioField<'a> {
    fn from(v: ArrayView2<'a, f64>) -> Self {
        RatioField::Raster(v)
    }
}

impl<'a> From<&'a Array2<f64>> for RatioField<'a> {
    fn from(v: &'a Array2<f64>) -> Self {
        RatioField::Raster(v.view())
    }
}

impl RatioField<'_> {
    fn at(&self, row: usize, col: usize) -> f64 {
        match self {
            RatioField::Uniform(v) => *v,
            RatioField::Raster(a) => a[[row, col]],
        }
    }
}

/// Where each pixel's forcing comes from.
///
/// Implemented by [`Forcing`] (the same forcing for every pixel, e.g. one
/// temperature series for a small scene), [`DailyTemperatureRaster`] (a
/// daily temperature stack) and [`PerPixel`] (any closure).
pub trait ForcingSource: Sync {
    /// The forcing of pixel `(row, col)`.
    ///
    /// # Errors
    /// Any error of building the forcing; the pixel is then skipped.
    fn forcing(&self, row: usize, col: usize) -> Result<Forcing>;

    /// `Some` when every pixel has this forcing (the bases are then built
    /// once when r₀ is uniform too).
    fn uniform(&self) -> Option<&Forcing> {
        None
    }

    /// The raster shape `(rows, cols)` the source covers, if it is a raster.
    fn shape(&self) -> Option<(usize, usize)> {
        None
    }
}

impl ForcingSource for Forcing {
    fn forcing(&self, _row: usize, _col: usize) -> Result<Forcing> {
        Ok(self.clone())
    }

    fn uniform(&self) -> Option<&Forcing> {
        Some(self)
    }
}

/// A daily temperature stack (°C, axes `(day, row, col)`, first day
/// `start`); each pixel's forcing is derived with
/// [`Forcing::from_daily_temperature`].
#[derive(Debug, Clone)]
pub struct DailyTemperatureRaster<'a, T> {
    /// The first day.
    pub start: NaiveDate,
    /// Temperatures, `(day, row, col)`.
    pub temperature: ArrayView3<'a, T>,
    /// Onset detection parameters.
    pub params: OnsetParams,
}

impl<T: Sample> ForcingSource for DailyTemperatureRaster<'_, T> {
    fn forcing(&self, row: usize, col: usize) -> Result<Forcing> {
        let series: Vec<f64> = self
            .temperature
            .slice(ndarray::s![.., row, col])
            .iter()
            .map(|v| v.to_f64())
            .collect();
        Forcing::from_daily_temperature(self.start, &series, &self.params)
    }

    fn shape(&self) -> Option<(usize, usize)> {
        let s = self.temperature.shape();
        Some((s[1], s[2]))
    }
}

/// A forcing per pixel from a closure `(row, col) -> Result<Forcing>`
/// (e.g. onsets and ADDT/ADDF rasters from `era5-forcing`).
pub struct PerPixel<F>(pub F);

impl<F> ForcingSource for PerPixel<F>
where
    F: Fn(usize, usize) -> Result<Forcing> + Sync,
{
    fn forcing(&self, row: usize, col: usize) -> Result<Forcing> {
        (self.0)(row, col)
    }
}

/// Why a pixel has (or has no) results: the reason code written to the
/// `status` rasters. Every code but [`PixelStatus::Ok`] comes with `NaN` in
/// every float output and 0 in the counts.
///
/// | code | variant | when |
/// |---|---|---|
/// | 0 | [`Ok`](PixelStatus::Ok) | fitted |
/// | 1 | [`NoData`](PixelStatus::NoData) | every observation is `NaN` |
/// | 2 | [`NoForcing`](PixelStatus::NoForcing) | r₀ is `NaN`, the temperature is all `NaN`, or the cycle table is invalid |
/// | 3 | [`BasesFailed`](PixelStatus::BasesFailed) | the bases cannot be built for another reason (no seasonal signal on the dates, dates outside the forcing, reference undefined) |
/// | 4 | [`TooFewObservations`](PixelStatus::TooFewObservations) | fewer usable dates (or interferograms) than parameters |
/// | 5 | [`Singular`](PixelStatus::Singular) | rank-deficient design |
/// | 6 | [`Failed`](PixelStatus::Failed) | any other per-pixel error |
/// | 7 | [`NeverThaws`](PixelStatus::NeverThaws) | the temperatures never cross 0 °C upwards (always frozen, or always thawed): no thaw onset, so no permafrost year |
/// | 8 | [`NoFreezeSeason`](PixelStatus::NoFreezeSeason) | a cycle has no freeze season (no freeze onset and none to estimate it from, or no freezing degree days to close it) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PixelStatus {
    /// Fitted.
    Ok = 0,
    /// Every observation is `NaN`.
    NoData = 1,
    /// r₀ is `NaN` or the forcing could not be built (e.g. all-`NaN`
    /// temperature, an invalid cycle table).
    NoForcing = 2,
    /// The bases could not be built for a reason other than codes 7 and 8
    /// (no seasonal signal on the dates, dates outside the forcing, a
    /// reference date in an excluded lead-in, …).
    BasesFailed = 3,
    /// Fewer usable observations than parameters.
    TooFewObservations = 4,
    /// Singular design.
    Singular = 5,
    /// Any other per-pixel error.
    Failed = 6,
    /// The temperatures never cross 0 °C upwards, always frozen or always
    /// thawed ([`Error::NoCycle`]): no thaw onset, so no permafrost year
    /// starts.
    NeverThaws = 7,
    /// A cycle has no freeze season ([`Error::NoFreezeOnset`],
    /// [`Error::CannotClose`]).
    NoFreezeSeason = 8,
}

impl PixelStatus {
    /// Every status, in code order.
    pub const ALL: [PixelStatus; 9] = [
        PixelStatus::Ok,
        PixelStatus::NoData,
        PixelStatus::NoForcing,
        PixelStatus::BasesFailed,
        PixelStatus::TooFewObservations,
        PixelStatus::Singular,
        PixelStatus::Failed,
        PixelStatus::NeverThaws,
        PixelStatus::NoFreezeSeason,
    ];

    fn of(err: &Error) -> PixelStatus {
        match err {
            Error::TooFewObservations { .. } => PixelStatus::TooFewObservations,
            Error::Singular { .. } => PixelStatus::Singular,
            Error::NoCycle => PixelStatus::NeverThaws,
            Error::CannotClose { .. } | Error::NoFreezeOnset { .. } => PixelStatus::NoFreezeSeason,
            Error::NoSeasonalSignal { .. }
            | Error::DateNotInForcing { .. }
            | Error::ReferenceUndefined { .. } => PixelStatus::BasesFailed,
            Error::AllMissing { .. } | Error::InvalidCycle { .. } => PixelStatus::NoForcing,
            _ => PixelStatus::Failed,
        }
    }

    /// The status of an error of building a pixel's forcing: no cycle →
    /// never thaws; anything else → no forcing.
    fn of_forcing(err: &Error) -> PixelStatus {
        match err {
            Error::NoCycle => PixelStatus::NeverThaws,
            _ => PixelStatus::NoForcing,
        }
    }

    /// The status of a raster code.
    pub fn from_code(code: u8) -> Option<PixelStatus> {
        PixelStatus::ALL.into_iter().find(|s| *s as u8 == code)
    }

    /// A short snake-case name (`ok`, `no_data`, `never_thaws`, …), e.g.
    /// for per-status counts in reports.
    pub fn name(self) -> &'static str {
        match self {
            PixelStatus::Ok => "ok",
            PixelStatus::NoData => "no_data",
            PixelStatus::NoForcing => "no_forcing",
            PixelStatus::BasesFailed => "bases_failed",
            PixelStatus::TooFewObservations => "too_few_observations",
            PixelStatus::Singular => "singular",
            PixelStatus::Failed => "failed",
            PixelStatus::NeverThaws => "never_thaws",
            PixelStatus::NoFreezeSeason => "no_freeze_season",
        }
    }
}

/// Rival-model rasters `(row, col)`.
#[derive(Debug, Clone, PartialEq)]
pub struct RivalRasters {
    /// Sinusoid amplitude √(a² + b²) (m).
    pub sinusoid_amplitude: Array2<f64>,
    /// Its σ (m).
    pub sinusoid_amplitude_std: Array2<f64>,
    /// Day of year of maximum subsidence of the sinusoid.
    pub sinusoid_subsidence_day_of_year: Array2<f64>,
    /// Sinusoid linear rate (m/yr).
    pub sinusoid_linear_rate: Array2<f64>,
    /// Stefan seasonal amplitude (m).
    pub stefan_amplitude: Array2<f64>,
    /// Its σ (m).
    pub stefan_amplitude_std: Array2<f64>,
    /// Stefan linear rate (m/yr).
    pub stefan_linear_rate: Array2<f64>,
    /// AIC of each model, indexed in [`ModelKind::ALL`] order (PECM,
    /// sinusoid, Stefan); `NaN` where a model was not fitted.
    pub aic: [Array2<f64>; 3],
    /// BIC of each model, same order.
    pub bic: [Array2<f64>; 3],
    /// The preferred model by the parameters' criterion
    /// ([`ModelKind::code`]; 0 where the PECM was not fitted).
    pub preferred: Array2<u8>,
}

/// PECM rasters `(row, col)` from [`Pecm::fit_raster`].
#[derive(Debug, Clone, PartialEq)]
pub struct PecmRasters {
    /// v (m per permafrost year ≈ m/yr).
    pub linear_rate: Array2<f64>,
    /// σ_v.
    pub linear_rate_std: Array2<f64>,
    /// d, the seasonal amplitude (m).
    pub seasonal_amplitude: Array2<f64>,
    /// σ_d.
    pub seasonal_amplitude_std: Array2<f64>,
    /// d/N (m per √(°C·day)).
    pub seasonal_coefficient_raw: Array2<f64>,
    /// σ of d/N.
    pub seasonal_coefficient_raw_std: Array2<f64>,
    /// Residual RMS (m).
    pub residual_rms: Array2<f64>,
    /// R².
    pub r2: Array2<f64>,
    /// The normaliser N (√(°C·day)).
    pub normaliser: Array2<f64>,
    /// Dates used in the fit.
    pub n_obs: Array2<u32>,
    /// Cycles whose ratio r was raised to close them.
    pub adjusted_cycles: Array2<u32>,
    /// [`PixelStatus`] codes.
    pub status: Array2<u8>,
    /// Residual series `(time, row, col)` (m), when
    /// [`Params::with_residuals`](crate::Params::with_residuals) is on.
    pub residuals: Option<Array3<f64>>,
    /// Rival models, when [`Params::with_rivals`](crate::Params::with_rivals) is on.
    pub rivals: Option<RivalRasters>,
}

impl PecmRasters {
    /// Number of pixels with [`PixelStatus::Ok`].
    pub fn n_fitted(&self) -> usize {
        self.status.iter().filter(|&&s| s == 0).count()
    }
}

/// Joint-fit rasters `(row, col)` from [`Pecm::fit_interferograms_raster`].
#[derive(Debug, Clone, PartialEq)]
pub struct JointRasters {
    /// v (m per permafrost year).
    pub linear_rate: Array2<f64>,
    /// σ_v.
    pub linear_rate_std: Array2<f64>,
    /// d (m).
    pub seasonal_amplitude: Array2<f64>,
    /// σ_d.
    pub seasonal_amplitude_std: Array2<f64>,
    /// d/N (m per √(°C·day)).
    pub seasonal_coefficient_raw: Array2<f64>,
    /// Phase residual RMS (rad).
    pub residual_rms: Array2<f64>,
    /// Residual RMS as LOS displacement (m).
    pub residual_rms_m: Array2<f64>,
    /// R² of the phases.
    pub r2: Array2<f64>,
    /// Interferograms used.
    pub n_obs: Array2<u32>,
    /// Connected components of the used network.
    pub n_components: Array2<u32>,
    /// [`PixelStatus`] codes.
    pub status: Array2<u8>,
}

/// Bases and designs of one pixel (or of all, when uniform).
struct Prepared {
    bases: Bases,
    pecm: Design,
    stefan: Option<Design>,
}

/// Outputs of one pixel of the time-series fit.
struct PixelOut {
    status: PixelStatus,
    values: [f64; 9],
    n_obs: u32,
    adjusted: u32,
    rivals: [f64; 13],
    preferred: u8,
    residuals: Vec<f64>,
}

impl PixelOut {
    fn failed(status: PixelStatus) -> Self {
        PixelOut {
            status,
            values: [f64::NAN; 9],
            n_obs: 0,
            adjusted: 0,
            rivals: [f64::NAN; 13],
            preferred: 0,
            residuals: Vec::new(),
        }
    }
}

fn check_stack(
    input: &'static str,
    shape: &[usize],
    expected: &[usize],
    reference: &'static str,
) -> Result<()> {
    if shape != expected {
        return Err(Error::ShapeMismatch {
            input,
            found: shape.to_vec(),
            reference,
            expected: expected.to_vec(),
        });
    }
    Ok(())
}

fn check_sources<F: ForcingSource + ?Sized>(
    forcing: &F,
    r0: &RatioField<'_>,
    rows: usize,
    cols: usize,
) -> Result<()> {
    if let Some((r, c)) = forcing.shape() {
        if (r, c) != (rows, cols) {
            return Err(Error::ShapeMismatch {
                input: "temperature",
                found: vec![r, c],
                reference: "the displacement raster's (row, col)",
                expected: vec![rows, cols],
            });
        }
    }
    if let RatioField::Raster(a) = r0 {
        check_stack(
            "r0",
            a.shape(),
            &[rows, cols],
            "the displacement raster's (row, col)",
        )?;
    }
    if let RatioField::Uniform(v) = r0 {
        if !(v.is_finite() && *v > 0.0) {
            return Err(Error::out_of_range(
                "r0",
                None,
                *v,
                "the ratio κ_f/κ_t must be finite and > 0",
            ));
        }
    }
    Ok(())
}

/// Runs `f` over rows, in parallel or not, collecting in row order.
fn map_rows<R: Send>(rows: usize, parallel: bool, f: impl Fn(usize) -> R + Sync + Send) -> Vec<R> {
    if parallel {
        (0..rows).into_par_iter().map(f).collect()
    } else {
        (0..rows).map(f).collect()
    }
}

/// The series of every pixel of row `row`, pixel-major: pixel `c` is
/// `out[c * nt..(c + 1) * nt]`. Reads the stack along its contiguous axis.
fn row_slab<T: Sample>(stack: &ArrayView3<'_, T>, row: usize) -> Vec<f64> {
    let (nt, _, cols) = stack.dim();
    let mut out = vec![0.0; nt * cols];
    for t in 0..nt {
        for (c, v) in stack.slice(ndarray::s![t, row, ..]).iter().enumerate() {
            out[c * nt + t] = v.to_f64();
        }
    }
    out
}

impl Pecm {
    fn prepare(
        &self,
        forcing: &Forcing,
        dates: &[NaiveDate],
        r0: f64,
        reference: usize,
        rivals: bool,
    ) -> Result<Prepared> {
        let bases = self.bases(forcing, dates, r0)?;
        let pecm = self.pecm_design(&bases, reference)?;
        let stefan = if rivals {
            self.bases_with(&StefanIndex, forcing, dates, r0)
                .and_then(|b| self.stefan_design(&b, reference))
                .ok()
        } else {
            None
        };
        Ok(Prepared {
            bases,
            pecm,
            stefan,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn fit_pixel(
        &self,
        p: &Prepared,
        sinusoid: &Design,
        y: &[f64],
        w: Option<&[f64]>,
        reference: usize,
        rivals: bool,
        keep: bool,
        mut caches: Option<&mut [FactorCache; 3]>,
    ) -> PixelOut {
        // Unweighted pixels of a shared design reuse the factorisation of
        // the previous pixel with the same valid dates (bit-identical).
        let mut run = |k: usize, design: &Design| match (caches.as_deref_mut(), w) {
            (Some(c), None) => c[k].solve(design, y, Some(reference)),
            _ => solve(design, y, w, Some(reference)),
        };
        let s = match run(0, &p.pecm) {
            Ok(s) => s,
            Err(e) => return PixelOut::failed(PixelStatus::of(&e)),
        };
        // The same arithmetic as `pecm_fit`, without building the series
        // that are not kept.
        let st = FitStats::from_solution(&s);
        let est = estimates(&s, st.sigma2);
        let raw = est[1].scaled(1.0 / p.bases.normaliser());
        let mut out = PixelOut::failed(PixelStatus::Ok);
        out.values = [
            est[0].value,
            est[0].sigma,
            est[1].value,
            est[1].sigma,
            raw.value,
            raw.sigma,
            st.residual_rms,
            st.r2,
            p.bases.normaliser(),
        ];
        out.n_obs = st.n_obs as u32;
        out.adjusted = p.bases.cycles().iter().filter(|c| c.adjusted).count() as u32;
        if keep {
            out.residuals = fitted_and_residuals(&p.pecm, &s, y).1;
        }
        if rivals {
            let mut scores = vec![(ModelKind::Pecm, st)];
            let mut r = [f64::NAN; 13];
            r[7] = st.aic;
            r[10] = st.bic;
            if let Ok(ss) = run(1, sinusoid) {
                let stats = FitStats::from_solution(&ss);
                let est = estimates(&ss, stats.sigma2);
                let v = |i: usize, j: usize| stats.sigma2 * ss.cov_unscaled[i][j];
                let (amp, doy) =
                    amplitude_phase(est[2].value, est[3].value, v(2, 2), v(3, 3), v(2, 3));
                r[0] = amp.value;
                r[1] = amp.sigma;
                r[2] = doy.value;
                r[3] = est[1].value;
                r[8] = stats.aic;
                r[11] = stats.bic;
                scores.push((ModelKind::Sinusoid, stats));
            }
            if let Some(design) = &p.stefan {
                if let Ok(ss) = run(2, design) {
                    let stats = FitStats::from_solution(&ss);
                    let est = estimates(&ss, stats.sigma2);
                    r[4] = est[1].value;
                    r[5] = est[1].sigma;
                    r[6] = est[0].value;
                    r[9] = stats.aic;
                    r[12] = stats.bic;
                    scores.push((ModelKind::Stefan, stats));
                }
            }
            out.rivals = r;
            out.preferred = preferred(&scores, self.params().criterion()).code();
        }
        out
    }

    /// Fits the PECM (and, by default, the rival models) to every pixel of
    /// a displacement stack.
    ///
    /// * `dates`: the SAR dates (strictly increasing), one per time slice.
    /// * `displacement`: LOS displacement (m), axes `(time, row, col)`,
    ///   referred to the reference date; `NaN` for missing.
    /// * `weights`: optional, same shape (e.g. 1/σ²); `NaN`/0 drops a value.
    /// * `forcing`: each pixel's forcing ([`ForcingSource`]).
    /// * `r0`: κ_f/κ_t, uniform or `(row, col)`.
    ///
    /// All-`NaN` pixels and pixels whose fit fails get `NaN` outputs and a
    /// [`PixelStatus`] code (see the [module docs](crate::raster)).
    ///
    /// ```
    /// use chrono::{Days, NaiveDate};
    /// use ndarray::Array3;
    /// use permafrost_pecm::{Forcing, ModelKind, OnsetParams, Params, PixelStatus};
    ///
    /// // One temperature series for a small scene (a `DailyTemperatureRaster`
    /// // gives each pixel its own).
    /// let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    /// let t: Vec<f64> = (0..5 * 365)
    ///     .map(|i| -4.0 + 14.0 * (2.0 * std::f64::consts::PI * (i as f64 - 200.0) / 365.25).cos())
    ///     .collect();
    /// let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new())?;
    /// let dates: Vec<NaiveDate> = (0..120).map(|i| start + Days::new(40 + 12 * i)).collect();
    ///
    /// // A (time, row, col) stack: pixel (0, 0) planted, pixel (0, 1) missing.
    /// let pecm = Params::new().build()?;
    /// let bases = pecm.bases(&forcing, &dates, 1.2)?;
    /// let planted = pecm.model(&bases, -0.005, 0.02)?;
    /// let mut stack = Array3::<f32>::from_elem((dates.len(), 1, 2), f32::NAN);
    /// for (k, v) in planted.iter().enumerate() {
    ///     stack[[k, 0, 0]] = *v as f32;
    /// }
    /// let out = pecm.fit_raster(&dates, stack.view(), None, &forcing, 1.2.into())?;
    /// assert!((out.seasonal_amplitude[[0, 0]] - 0.02).abs() < 1e-6);
    /// assert!(out.seasonal_amplitude[[0, 1]].is_nan());
    /// assert_eq!(out.status[[0, 1]], PixelStatus::NoData as u8);
    /// let rivals = out.rivals.as_ref().unwrap();
    /// assert_eq!(ModelKind::from_code(rivals.preferred[[0, 0]]), Some(ModelKind::Pecm));
    /// # Ok::<(), permafrost_pecm::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for inconsistent shapes,
    /// [`Error::NotIncreasing`] for dates out of order,
    /// [`Error::ReferenceNotFound`], [`Error::OutOfRange`] for a uniform r₀
    /// that is not finite and > 0, and any error of the bases when the
    /// forcing and r₀ are uniform (it would hit every pixel).
    pub fn fit_raster<T: Sample, F: ForcingSource + ?Sized>(
        &self,
        dates: &[NaiveDate],
        displacement: ArrayView3<'_, T>,
        weights: Option<ArrayView3<'_, T>>,
        forcing: &F,
        r0: RatioField<'_>,
    ) -> Result<PecmRasters> {
        check_increasing("dates", dates)?;
        let shape = displacement.shape().to_vec();
        let (nt, rows, cols) = (shape[0], shape[1], shape[2]);
        check_stack("displacement", &shape, &[dates.len(), rows, cols], "dates")?;
        if let Some(w) = &weights {
            check_stack("weights", w.shape(), &shape, "displacement")?;
        }
        check_sources(forcing, &r0, rows, cols)?;
        let reference = self.reference_index(dates)?;
        let rivals = self.params().rivals();
        let keep = self.params().residuals();
        let sinusoid = Self::sinusoid_design(dates);
        let shared = match (forcing.uniform(), &r0) {
            (Some(f), RatioField::Uniform(v)) => {
                Some(self.prepare(f, dates, *v, reference, rivals)?)
            }
            _ => None,
        };
        let row_fn = |r: usize| -> Vec<PixelOut> {
            let ys = row_slab(&displacement, r);
            let ws = weights.as_ref().map(|w| row_slab(w, r));
            let mut caches: [FactorCache; 3] = Default::default();
            (0..cols)
                .map(|c| {
                    let y = &ys[c * nt..(c + 1) * nt];
                    if y.iter().all(|v| v.is_nan()) {
                        return PixelOut::failed(PixelStatus::NoData);
                    }
                    let w = ws.as_ref().map(|w| &w[c * nt..(c + 1) * nt]);
                    let local;
                    let prepared = match &shared {
                        Some(p) => p,
                        None => {
                            let ratio = r0.at(r, c);
                            if ratio.is_nan() {
                                return PixelOut::failed(PixelStatus::NoForcing);
                            }
                            let f = match forcing.forcing(r, c) {
                                Ok(f) => f,
                                Err(e) => return PixelOut::failed(PixelStatus::of_forcing(&e)),
                            };
                            local = match self.prepare(&f, dates, ratio, reference, rivals) {
                                Ok(p) => p,
                                Err(e) => {
                                    let s = PixelStatus::of(&e);
                                    let s = if s == PixelStatus::Failed {
                                        PixelStatus::BasesFailed
                                    } else {
                                        s
                                    };
                                    return PixelOut::failed(s);
                                }
                            };
                            &local
                        }
                    };
                    let cache = shared.is_some().then_some(&mut caches);
                    self.fit_pixel(prepared, &sinusoid, y, w, reference, rivals, keep, cache)
                })
                .collect()
        };
        let rows_out = map_rows(rows, self.params().parallel(), row_fn);

        let nan2 = || Array2::from_elem((rows, cols), f64::NAN);
        let mut v: [Array2<f64>; 9] = std::array::from_fn(|_| nan2());
        let mut rv: [Array2<f64>; 13] = std::array::from_fn(|_| nan2());
        let mut n_obs = Array2::zeros((rows, cols));
        let mut adjusted = Array2::zeros((rows, cols));
        let mut status = Array2::zeros((rows, cols));
        let mut preferred_model = Array2::zeros((rows, cols));
        let mut residuals = keep.then(|| Array3::from_elem((nt, rows, cols), f64::NAN));
        for (r, row) in rows_out.into_iter().enumerate() {
            for (c, px) in row.into_iter().enumerate() {
                for (k, a) in v.iter_mut().enumerate() {
                    a[[r, c]] = px.values[k];
                }
                for (k, a) in rv.iter_mut().enumerate() {
                    a[[r, c]] = px.rivals[k];
                }
                n_obs[[r, c]] = px.n_obs;
                adjusted[[r, c]] = px.adjusted;
                status[[r, c]] = px.status as u8;
                preferred_model[[r, c]] = px.preferred;
                if let Some(res) = residuals.as_mut() {
                    if !px.residuals.is_empty() {
                        res.slice_mut(ndarray::s![.., r, c])
                            .iter_mut()
                            .zip(&px.residuals)
                            .for_each(|(o, v)| *o = *v);
                    }
                }
            }
        }
        let [linear_rate, linear_rate_std, seasonal_amplitude, seasonal_amplitude_std, seasonal_coefficient_raw, seasonal_coefficient_raw_std, residual_rms, r2, normaliser] =
            v;
        let rivals_out = rivals.then(|| {
            let [sa, sas, sdoy, slr, ta, tas, tlr, a0, a1, a2, b0, b1, b2] = rv;
            RivalRasters {
                sinusoid_amplitude: sa,
                sinusoid_amplitude_std: sas,
                sinusoid_subsidence_day_of_year: sdoy,
                sinusoid_linear_rate: slr,
                stefan_amplitude: ta,
                stefan_amplitude_std: tas,
                stefan_linear_rate: tlr,
                aic: [a0, a1, a2],
                bic: [b0, b1, b2],
                preferred: preferred_model,
            }
        });
        Ok(PecmRasters {
            linear_rate,
            linear_rate_std,
            seasonal_amplitude,
            seasonal_amplitude_std,
            seasonal_coefficient_raw,
            seasonal_coefficient_raw_std,
            residual_rms,
            r2,
            normaliser,
            n_obs,
            adjusted_cycles: adjusted,
            status,
            residuals,
            rivals: rivals_out,
        })
    }

    /// The joint interferogram fit ([`Pecm::fit_interferograms`]) over every
    /// pixel of an unwrapped-phase stack `(ifg, row, col)` (rad), one pair
    /// per slice; `weights` optional, same shape.
    ///
    /// # Errors
    /// As [`Pecm::fit_raster`], plus [`Error::InvalidPair`].
    pub fn fit_interferograms_raster<T: Sample, F: ForcingSource + ?Sized>(
        &self,
        dates: &[NaiveDate],
        pairs: &[Pair],
        phase: ArrayView3<'_, T>,
        weights: Option<ArrayView3<'_, T>>,
        forcing: &F,
        r0: RatioField<'_>,
    ) -> Result<JointRasters> {
        check_increasing("dates", dates)?;
        check_pairs(pairs, dates.len())?;
        let shape = phase.shape().to_vec();
        let (rows, cols) = (shape[1], shape[2]);
        check_stack("phase", &shape, &[pairs.len(), rows, cols], "pairs")?;
        if let Some(w) = &weights {
            check_stack("weights", w.shape(), &shape, "phase")?;
        }
        check_sources(forcing, &r0, rows, cols)?;
        let shared = match (forcing.uniform(), &r0) {
            (Some(f), RatioField::Uniform(v)) => {
                let b = self.bases(f, dates, *v)?;
                let design = self.joint_design(&b, pairs);
                Some((b, design))
            }
            _ => None,
        };
        type Out = (PixelStatus, [f64; 8], u32, u32);
        let failed = |s: PixelStatus| -> Out { (s, [f64::NAN; 8], 0, 0) };
        let m = pairs.len();
        let n_dates = dates.len();
        let wavelength = self.params().wavelength();
        let row_fn = |r: usize| -> Vec<Out> {
            let ys = row_slab(&phase, r);
            let ws = weights.as_ref().map(|w| row_slab(w, r));
            // Shared design: unweighted pixels reuse the factorisation of the
            // previous pixel with the same usable interferograms, and the
            // component count of the previous pixel with the same network
            // (the same arithmetic as `fit_interferograms`, bit for bit).
            let mut cache = FactorCache::default();
            let mut last_components: Option<(Vec<bool>, usize)> = None;
            (0..cols)
                .map(|c| {
                    let y = &ys[c * m..(c + 1) * m];
                    if y.iter().all(|v| v.is_nan()) {
                        return failed(PixelStatus::NoData);
                    }
                    let w = ws.as_ref().map(|w| &w[c * m..(c + 1) * m]);
                    if let Some((b, design)) = &shared {
                        let s = match w {
                            None => cache.solve(design, y, None),
                            Some(w) => solve(design, y, Some(w), None),
                        };
                        let s = match s {
                            Ok(s) => s,
                            Err(e) => return failed(PixelStatus::of(&e)),
                        };
                        let st = FitStats::from_solution(&s);
                        let est = estimates(&s, st.sigma2);
                        let raw = est[1].scaled(1.0 / b.normaliser());
                        let n_components = match &last_components {
                            Some((u, k)) if *u == s.used => *k,
                            _ => {
                                let k = components(n_dates, pairs, &s.used);
                                last_components = Some((s.used.clone(), k));
                                k
                            }
                        };
                        return (
                            PixelStatus::Ok,
                            [
                                est[0].value,
                                est[0].sigma,
                                est[1].value,
                                est[1].sigma,
                                raw.value,
                                st.residual_rms,
                                st.residual_rms * wavelength / (4.0 * std::f64::consts::PI),
                                st.r2,
                            ],
                            st.n_obs as u32,
                            n_components as u32,
                        );
                    }
                    let local;
                    let bases = match &shared {
                        Some((b, _)) => b,
                        None => {
                            let ratio = r0.at(r, c);
                            if ratio.is_nan() {
                                return failed(PixelStatus::NoForcing);
                            }
                            let f = match forcing.forcing(r, c) {
                                Ok(f) => f,
                                Err(e) => return failed(PixelStatus::of_forcing(&e)),
                            };
                            local = match self.bases(&f, dates, ratio) {
                                Ok(b) => b,
                                Err(e) => {
                                    let s = PixelStatus::of(&e);
                                    let s = if s == PixelStatus::Failed {
                                        PixelStatus::BasesFailed
                                    } else {
                                        s
                                    };
                                    return failed(s);
                                }
                            };
                            &local
                        }
                    };
                    match self.fit_interferograms(bases, pairs, y, w) {
                        Ok(j) => (
                            PixelStatus::Ok,
                            [
                                j.linear_rate.value,
                                j.linear_rate.sigma,
                                j.seasonal_amplitude.value,
                                j.seasonal_amplitude.sigma,
                                j.seasonal_coefficient_raw.value,
                                j.stats.residual_rms,
                                j.residual_rms_m,
                                j.stats.r2,
                            ],
                            j.stats.n_obs as u32,
                            j.n_components as u32,
                        ),
                        Err(e) => failed(PixelStatus::of(&e)),
                    }
                })
                .collect()
        };
        let rows_out = map_rows(rows, self.params().parallel(), row_fn);
        let mut v: [Array2<f64>; 8] =
            std::array::from_fn(|_| Array2::from_elem((rows, cols), f64::NAN));
        let mut n_obs = Array2::zeros((rows, cols));
        let mut n_components = Array2::zeros((rows, cols));
        let mut status = Array2::zeros((rows, cols));
        for (r, row) in rows_out.into_iter().enumerate() {
            for (c, (s, vals, n, k)) in row.into_iter().enumerate() {
                for (a, x) in v.iter_mut().zip(vals) {
                    a[[r, c]] = x;
                }
                n_obs[[r, c]] = n;
                n_components[[r, c]] = k;
                status[[r, c]] = s as u8;
            }
        }
        let [linear_rate, linear_rate_std, seasonal_amplitude, seasonal_amplitude_std, seasonal_coefficient_raw, residual_rms, residual_rms_m, r2] =
            v;
        Ok(JointRasters {
            linear_rate,
            linear_rate_std,
            seasonal_amplitude,
            seasonal_amplitude_std,
            seasonal_coefficient_raw,
            residual_rms,
            residual_rms_m,
            r2,
            n_obs,
            n_components,
            status,
        })
    }
}
