//! The piecewise elevation change model (PECM) of permafrost ground: the
//! long-term and seasonal bases driven by each pixel's own temperature history
//! and soil, their fits to InSAR displacement or straight to interferograms,
//! uncertainties, rival models, and the active-layer check against stations.
//! Pure Rust; the conventions are fixed in the workspace's `SCIENCE.md` §3.
//!
//! # What it does
//!
//! * **Forcing** ([`Forcing`]): a pixel's freeze–thaw cycles ([`Cycle`]:
//!   thaw onset, freeze onset, next thaw onset, ADDT/ADDF at the cycle's
//!   end) and ADDT/ADDF on sample dates — either precomputed (e.g. by
//!   `era5-forcing` on the SAR dates) or derived from a daily temperature
//!   series ([`Forcing::from_daily_temperature`], module [`onset`]).
//! * **Bases** ([`Pecm::bases`] → [`Bases`]) on the SAR dates, with T the
//!   permafrost year (from one thaw onset τ_t to the next) and τ_f its
//!   freeze onset:
//!   - long-term L(τ) = T − 1 + (τ − τ_t)/(τ_f − τ_t) in the thaw season,
//!     T after τ_f (the study's Eq. 3): v is in metres per permafrost year;
//!   - seasonal I(τ) = −max(0, √ADDT(τ) − √(r·ADDF(τ))) (Eq. 4), held at 0
//!     once refrozen, with per-cycle closure r = max(r₀, ADDT_end/ADDF_end)
//!     (r₀ = κ_f/κ_t from `thermo-johansen`; adjusted cycles are recorded in
//!     [`CycleRecord`]; see [`closing_ratio`] for our reading of the study's
//!     garbled text);
//!   - normalised Î = I/N, N the mean over complete cycles of each cycle's
//!     largest |I|, so that the seasonal coefficient d is the seasonal
//!     amplitude in metres (the raw coefficient d/N, m per √(°C·day), is
//!     reported too).
//! * **Model** D(τ) = v·L(τ) + d·Î(τ) referred to the reference date
//!   ([`Pecm::model`]); LOS displacement, negative = subsidence. Phase
//!   φ = −(4π/λ)·D ([`displacement_to_phase`], MintPy's convention), λ a
//!   parameter ([`SENTINEL1_WAVELENGTH`], [`PALSAR2_WAVELENGTH`]).
//! * **Fits**: weighted least squares per pixel from a displacement series
//!   ([`Pecm::fit_timeseries`] → [`PecmFit`]) or jointly from the
//!   interferograms, the PECM inserted into the SBAS system
//!   φ_ifg = −(4π/λ)·(D(τ_j) − D(τ_i)) ([`Pecm::fit_interferograms`] →
//!   [`JointFit`]), which needs no connected network.
//! * **Uncertainties** Cov = σ̂²(AᵀWA)⁻¹, σ̂² = WRSS/(n − p); σ_v, σ_d,
//!   residual RMS, R², residual series, AIC/AICc/BIC ([`FitStats`]).
//! * **Rivals** on the same observations ([`Pecm::compare`] →
//!   [`Comparison`]): the sinusoid c + v·t + a·cos 2πt + b·sin 2πt
//!   (amplitude and day of year of maximum subsidence with propagated σ)
//!   and the plain Stefan model (v·t + d·Ŝ, Ŝ = −√ADDT normalised,
//!   [`StefanIndex`]); the preferred model by AIC, AICc or BIC.
//! * **Rasters** ([`Pecm::fit_raster`], [`Pecm::fit_interferograms_raster`]):
//!   stacks with axes `(time, row, col)` / `(ifg, row, col)`, `f32` or
//!   `f64`, rows in parallel with rayon, results identical for any thread
//!   count; all-`NaN` pixels and failed fits give `NaN` outputs with a
//!   [`PixelStatus`] code.
//! * **Active-layer check** (module [`alt`]): Eq. 8
//!   ALT_cal = ALT·VWC_mean/0.3 with the depth-weighted VWC_mean,
//!   weighted 200 m × 200 m block averages of pixels around stations, RMSE
//!   and R²; a reader for CALM-type station tables that flags implausible
//!   coordinates ([`read_station_table`]).
//!
//! # Conventions
//!
//! * Dates are `chrono::NaiveDate`, each standing for 00:00 of its day.
//!   Degree days on a date count whole days before it, so ADDT is 0 on a
//!   thaw onset and the index is continuous across cycles.
//! * The reference date ([`Reference`], default the first date) carries a
//!   zero displacement by construction and is not counted as an observation.
//! * Dates before the first thaw onset: [`LeadIn`] (default: frozen, L = I
//!   = 0).
//!
//! # Algorithms and sources
//!
//! | algorithm | source |
//! |---|---|
//! | PECM: piecewise long-term basis and the composite seasonal index (Eqs. 2–4), inserted into the SBAS system (Eqs. 6–7), ALT calibration (Eq. 8), 200 m block averages | Chen, J. et al. (2022), *Remote Sensing of Environment* 268, 112778 (S-PECM); Chen, J., Liu, L., Zhang, T., Cao, B., Lin, H. (2018), *J. Geophys. Res. Earth Surf.* 123 (the original PECM) |
//! | Stefan thaw-depth scaling √ADDT | Nelson, F. E. et al. (1997), *Arctic and Alpine Research* 29 |
//! | plain Stefan deformation model (linear trend + √ADDT) | Liu, L., Zhang, T., Wahr, J. (2010), *J. Geophys. Res.* 115, F03023 |
//! | Johansen ratio κ_f/κ_t | `thermo-johansen` (Johansen 1975) |
//! | sinusoidal seasonal model | Li, Z. et al. (2015), *Scientific Reports* 5; Daout, S. et al. (2017), *Geophys. Res. Lett.* 44 |
//! | SBAS phase convention φ = −(4π/λ)D | Berardino, P. et al. (2002), *IEEE TGRS* 40; Yunjun, Z., Fattahi, H., Amelung, F. (2019), *Comput. Geosci.* 133 (MintPy) |
//! | weighted least squares by Householder QR; σ̂²(AᵀWA)⁻¹ | Golub, G. H., Van Loan, C. F., *Matrix Computations* |
//! | AIC, AICc, BIC | Akaike (1974), *IEEE TAC* 19; Hurvich & Tsai (1989), *Biometrika* 76; Schwarz (1978), *Ann. Stat.* 6 |
//! | onsets: runs of ≥ 5 days above/below 0 °C after the coldest/warmest 31-day mean | SCIENCE.md §2 (as `era5-forcing`) |
//!
//! # Performance
//!
//! Pixels per second, from `cargo bench -p permafrost-pecm --bench fit`
//! (criterion, 10 samples; median and its 95 % interval). Measured on
//! 2026-11-21 on a **shared 2-core machine with other builds running**, so
//! the numbers are contended lower bounds; repeat the command for yours.
//!
//! | fit | input | pixels/s |
//! |---|---|---|
//! | per-pixel WLS, PECM only | 500 × 500 px × 150 dates (`f32`), one forcing | 450 k (377–523 k) |
//! | per-pixel WLS, PECM + sinusoid + Stefan and the preferred model | same | 123 k (107–143 k) |
//! | per-pixel WLS, bases built per pixel (r₀ raster) | 100 × 100 px × 150 dates | 34 k (26–42 k) |
//! | joint fit from interferograms, one forcing | 100 × 100 px, 460 interferograms of 150 dates | 120 k (116–125 k) |
//!
//! At these rates a study-sized stack of 1 million pixels takes about 2 s
//! (PECM only) to 8 s (with rivals) per fit on 2 cores, and 8 s for the
//! joint fit.
//!
//! End to end against NumPy (`cargo xtask bench pecm`, group script
//! `xtask/bench/pecm.py`: files in, rasters out, both sides on 2 threads,
//! same contended machine): `pecm fit` on a 150-date × 160 000-pixel
//! `timeseries.h5` with rivals 3.5 s against 10.7 s for NumPy's `lstsq`
//! over all pixels at once; the joint fit of 460 interferograms × 40 000
//! pixels 2.2 s against 4.1 s; the rasters agree to 5·10⁻⁸ relative (our
//! `float32` GeoTIFFs), the preferred model on every pixel.
//!
//! # Features
//!
//! | feature | what it enables |
//! |---|---|
//! | *(none)* | the crate has no optional features; rayon is always used for rasters (switch off with [`Params::with_parallel`]) |
//!
//! # Example
//!
//! ```
//! use chrono::{Days, NaiveDate};
//! use permafrost_pecm::{Forcing, OnsetParams, Params};
//! use thermo_johansen::{Johansen, Soil};
//!
//! // Five years of daily temperature (°C) at a permafrost site.
//! let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
//! let days = 5 * 365;
//! let temperature: Vec<f64> = (0..days)
//!     .map(|i| -4.0 + 14.0 * (2.0 * std::f64::consts::PI * (i as f64 - 200.0) / 365.25).cos())
//!     .collect();
//! let forcing = Forcing::from_daily_temperature(start, &temperature, &OnsetParams::new())?;
//!
//! // κ_f/κ_t of the soil from thermo-johansen.
//! let k = Johansen::default()
//!     .conductivities(&Soil::new(1300.0, 0.3), 0.30, 0.30)
//!     .expect("valid soil");
//!
//! // Sentinel-1-like dates every 12 days, and the bases on them.
//! let dates: Vec<NaiveDate> = (0..140).map(|i| start + Days::new(30 + 12 * i)).collect();
//! let pecm = Params::new().build()?;
//! let bases = pecm.bases(&forcing, &dates, k.ratio)?;
//!
//! // A planted pixel: 6 mm per permafrost year of subsidence, 25 mm seasonal amplitude.
//! let truth = pecm.model(&bases, -0.006, 0.025)?;
//! let fit = pecm.fit_timeseries(&bases, &truth, None)?;
//! assert!((fit.linear_rate.value + 0.006).abs() < 1e-9);
//! assert!((fit.seasonal_amplitude.value - 0.025).abs() < 1e-9);
//! println!(
//!     "v = {:.4} ± {:.4} m/yr, d = {:.4} ± {:.4} m, adjusted cycles {:?}",
//!     fit.linear_rate.value,
//!     fit.linear_rate.sigma,
//!     fit.seasonal_amplitude.value,
//!     fit.seasonal_amplitude.sigma,
//!     bases.adjusted_cycles()
//! );
//! # Ok::<(), permafrost_pecm::Error>(())
//! ```

pub mod alt;
mod basis;
mod closure;
mod error;
mod fit;
mod forcing;
mod joint;
mod lsq;
mod model;
pub mod onset;
pub mod raster;
mod rivals;
pub mod stations;
mod time;
mod uncertainty;

pub use alt::{
    alt_agreement, block_average, calibrate_alt, calibrate_alt_layers, calibrate_alt_with,
    mean_vwc, AltAgreement, BlockAverage, BlockParams, BlockWeighting, GeoGrid, GridCrs, Layer,
};
pub use basis::{Bases, CycleRecord, LeadIn, PecmIndex, SeasonalBasis, StefanIndex};
pub use closure::{closing_ratio, Closure};
pub use error::{Error, Result};
pub use fit::PecmFit;
pub use forcing::{Cycle, Forcing};
pub use joint::{JointFit, Pair};
pub use model::{
    displacement_to_phase, phase_to_displacement, Criterion, Params, Pecm, Reference,
    PALSAR2_WAVELENGTH, SENTINEL1_WAVELENGTH,
};
pub use onset::{detect_onsets, OnsetMode, OnsetParams, Onsets};
pub use raster::{
    DailyTemperatureRaster, ForcingSource, JointRasters, PecmRasters, PerPixel, PixelStatus,
    RatioField, RivalRasters, Sample,
};
pub use rivals::{Comparison, ModelKind, SinusoidFit, StefanFit};
pub use stations::{
    read_station_table, read_station_table_path, CoordinateCheck, CoordinateFlag, Station,
    StationTable,
};
pub use time::{years_since_first_january, DAYS_PER_YEAR};
pub use uncertainty::{Covariance, Estimate, FitStats};
