//! Small-baseline (SBAS) InSAR: interferogram networks and the time-series
//! inversion of unwrapped interferograms into phase and displacement
//! histories, with MintPy's conventions so results can be compared.
//!
//! # What it does
//!
//! * **Networks** ([`NetworkParams`] → [`NetworkRule::select`]): all pairs
//!   with temporal baseline ≤ 40 days plus inter-annual windows (350–380
//!   and 725–735 days by default, any number), optionally |B⊥| ≤ a limit;
//!   connected components (union–find), redundancy per date, dropped pairs.
//!   Networks can also come from a stack's date pairs
//!   ([`Network::from_pairs`], [`Network::from_date_pairs`]).
//! * **Design matrices** ([`Network::phase_design`],
//!   [`Network::velocity_design`]): phase form A (−1 at the reference
//!   date, +1 at the secondary date of each pair) and velocity form B
//!   (interval durations in years, days/365.25), reference (first) date
//!   column removed, as MintPy's `ifgramStack.get_design_matrix4timeseries`.
//! * **Inversion** ([`InversionParams`] → [`Inverter::invert`] for rasters,
//!   [`Inverter::invert_pixel`] for one pixel), per pixel with rows holding
//!   `NaN` dropped: L2 (unweighted or weighted with MintPy's `coh`, `fim`,
//!   `var` weights, [`Weighting`]) or L1 by IRLS ([`Norm`]); disconnected
//!   networks by an explicit [`GapPolicy`] (error by default, naming the
//!   gap; MintPy's minimum norm in velocity or phase form; NSBAS linear
//!   bridging).
//! * **Quality** per pixel ([`TimeSeries`]): temporal coherence
//!   |Σ exp(j·eₖ)|/M over the interferogram residuals eₖ, residual RMS,
//!   rank, interferograms used, components, IRLS iterations and a
//!   [`PixelStatus`].
//! * **Preparation**: spatial reference pixel or window
//!   ([`subtract_reference`], [`subtract_reference_mintpy`]), coherence
//!   masking ([`mask_low_coherence`]), plane or quadratic deramping on a
//!   mask ([`deramp`]), subtraction of an external delay stack
//!   ([`subtract_delay`]).
//! * **Units**: phases in radians; LOS displacement = −λ/(4π)·phase
//!   ([`phase_to_displacement`], [`TimeSeries::displacement`]), MintPy's
//!   sign (positive towards the satellite).
//!
//! Rasters are `ndarray` arrays of `f32` or `f64` ([`Real`]) with axes
//! (ifg, row, col) for stacks and (date, row, col) for time series.
//!
//! # Conventions that matter when comparing with MintPy
//!
//! * Reference date: the first date (phase 0). MintPy's default
//!   `min_norm_velocity=True` is [`GapPolicy::MinNormVelocity`]; for a
//!   connected network every policy gives the same, unique solution.
//! * MintPy turns exactly-zero phase into no-data and does not invert its
//!   reference pixel; [`subtract_reference_mintpy`] reproduces that.
//! * Pixels MintPy skips (all `NaN`, or a date without interferogram) are
//!   `NaN` here with a [`PixelStatus`], where MintPy writes 0.
//! * MintPy computes in `float32`; this crate in `f64`.
//!
//! # Algorithms and sources
//!
//! | algorithm | source |
//! |---|---|
//! | SBAS network inversion, minimum-norm velocity by SVD | Berardino, P., Fornaro, G., Lanari, R., Sansosti, E. (2002), IEEE TGRS 40(11), 2375–2383 |
//! | design matrices, weights, minimum redundancy, temporal coherence as implemented | Yunjun, Z., Fattahi, H., Amelung, F. (2019), *Small baseline InSAR time series analysis: unwrapping error correction and noise reduction*, Computers & Geosciences 133, 104331 (MintPy 1.6) |
//! | temporal coherence | Pepe, A., Lanari, R. (2006), IEEE TGRS 44(9), 2374–2383 |
//! | `fim` weights | Seymour, M. S., Cumming, I. G. (1994), IGARSS, 2272–2275 |
//! | `var` weights: phase PDF of distributed scatterers | Tough, R. J. A., Blacknell, D., Quegan, S. (1995), Proc. R. Soc. A 449, 567–589; Hanssen, R. F. (2001), *Radar Interferometry*, eq. 4.2.23 |
//! | L1 by iteratively reweighted least squares | Beaton, A. E., Tukey, J. W. (1974), Technometrics 16(2); Lauknes, T. R. et al. (2011), Remote Sens. Environ. 115, 2135–2144 (L1-norm SBAS) |
//! | NSBAS bridging of gaps with a linear-in-time constraint | López-Quiroz, P. et al. (2009), J. Appl. Geophys. 69, 1–15; Doin, M.-P. et al. (2011), FRINGE; Morishita, Y. et al. (2020), Remote Sens. 12(3), 424 (LiCSBAS) |
//! | graph-Laplacian normal equations, skyline Cholesky | this crate; George, A., Liu, J. W. (1981), *Computer Solution of Large Sparse Positive Definite Systems*, ch. 4 |
//! | condition estimate guarding the Cholesky path | Hager, W. W. (1984), SIAM J. Sci. Stat. Comput. 5(2); Higham, N. J. (1988), ACM TOMS 14(4) |
//! | reverse Cuthill–McKee ordering | Cuthill, E., McKee, J. (1969), Proc. 24th ACM National Conference, 157–172; George & Liu (1981), §4.3 |
//! | connected components | Tarjan, R. E. (1975), J. ACM 22(2), 215–225 (union–find) |
//!
//! # Speed
//!
//! The phase-form normal matrix AᵀWA is the weighted Laplacian of the
//! network: it is assembled in O(M) per pixel and factored by a skyline
//! Cholesky whose cost follows the envelope of the network rather than N³;
//! the dates are renumbered by reverse Cuthill–McKee when that narrows the
//! envelope (inter-annual pairs make a time-ordered envelope two years
//! wide; on the study's network of 466 pairs over 140 dates RCM cuts the
//! factorisation work Σbᵢ² about 7×). Unweighted pixels with the same validity share one factorisation.
//! Every connected component is solved on its own; a rank-revealing
//! eigen-decomposition truncated at `rcond` (equivalent to MintPy's
//! truncated SVD) takes over whenever the condition number cannot be shown
//! to stay below rcond⁻². Pixels are processed in parallel blocks of rows
//! ([`rayon`]); memory is bounded by the block size, and results do not
//! depend on the number of threads.
//!
//! # Features
//!
//! | feature | what it enables |
//! |---|---|
//! | *(none)* | no optional features. Linear algebra goes through `ndarray-linalg` with **no** LAPACK backend selected here: the application (or the `permafrost-insar` facade's `openblas-system` / `netlib-system` / `intel-mkl-static` features) chooses one |
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use insar_sbas::{phase_to_displacement, InversionParams, NetworkParams, PixelStatus};
//! use ndarray::Array3;
//!
//! // Twelve-day acquisitions over a year; the default network rule.
//! let t0 = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
//! let dates: Vec<NaiveDate> = (0..31).map(|i| t0 + chrono::Duration::days(12 * i)).collect();
//! let selection = NetworkParams::new().build()?.select(&dates, None)?;
//! let net = &selection.network;
//! assert!(selection.components.is_connected());
//!
//! // A 2 × 3 raster subsiding at 2 cm/yr: phase = displacement / (−λ/4π).
//! let wavelength = 0.0555;
//! let years = net.years();
//! let truth = |d: usize| -0.02 * years[d] / phase_to_displacement(wavelength);
//! let mut stack = Array3::<f32>::zeros((net.n_pairs(), 2, 3));
//! for (k, p) in net.pairs().iter().enumerate() {
//!     stack.index_axis_mut(ndarray::Axis(0), k)
//!         .fill((truth(p.secondary) - truth(p.reference)) as f32);
//! }
//! stack[[3, 1, 2]] = f32::NAN; // a missing value is dropped for that pixel
//!
//! let ts = InversionParams::new().build()?.invert(net, stack.view(), None)?;
//! let disp = ts.displacement(wavelength);
//! assert!((disp[[30, 1, 2]] - (-0.02 * years[30]) as f32).abs() < 1e-6);
//! assert_eq!(ts.n_used[[1, 2]] as usize, net.n_pairs() - 1);
//! assert_eq!(ts.count(PixelStatus::Inverted), 6);
//! # Ok::<(), insar_sbas::Error>(())
//! ```

mod components;
mod delay;
mod deramp;
mod design;
mod error;
mod invert;
mod irls;
mod laplacian;
mod mask;
mod network;
mod params;
mod pixel;
mod quality;
mod real;
mod reference;
mod selection;
mod skyline;
mod solve_l2;
mod solve_svd;
mod stitch;
mod weights;

pub use components::Components;
pub use delay::{subtract_delay, DelayUnit};
pub use deramp::{deramp, Ramp};
pub use error::{Error, Result};
pub use invert::{phase_to_displacement, TimeSeries};
pub use mask::mask_low_coherence;
pub use network::{Network, Pair, DAYS_PER_YEAR};
pub use params::{InversionParams, Inverter, Norm, Solver};
pub use pixel::{PixelSolution, PixelStatus};
pub use real::Real;
pub use reference::{subtract_reference, subtract_reference_mintpy, ReferencePoint};
pub use selection::{DroppedPair, NetworkParams, NetworkRule, NetworkSelection};
pub use stitch::GapPolicy;
pub use weights::{mintpy_looks, WeightModel, Weighting, COHERENCE_FLOOR};
