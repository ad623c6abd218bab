//! Raster inversion: blocks of whole rows in parallel (rayon), one pattern
//! cache per block, results written in place.

use std::collections::HashMap;
use std::f64::consts::PI;

use chrono::NaiveDate;
use ndarray::{s, Array2, Array3, ArrayView3, ArrayViewMut2, ArrayViewMut3, Axis};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::laplacian::NetworkData;
use crate::network::Network;
use crate::params::Inverter;
use crate::pixel::{pattern_of, solve_pixel, PixelSolution, PixelStatus};
use crate::real::Real;
use crate::solve_l2::{PatternEntry, Workspace};
use crate::stitch::GapPolicy;
use crate::weights::Weighting;

/// Largest number of validity patterns cached per block (bounds memory when
/// every pixel has its own pattern).
const MAX_PATTERNS_PER_BLOCK: usize = 256;

/// Factor from unwrapped phase (radians) to line-of-sight displacement
/// (metres): −λ/(4π), MintPy's `phase2range` (positive = towards the
/// satellite).
pub fn phase_to_displacement(wavelength_m: f64) -> f64 {
    -wavelength_m / (4.0 * PI)
}

/// The time series of a raster and its per-pixel quality.
///
/// Pixels that were not inverted (see [`PixelStatus`]) hold `NaN` in every
/// float output.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries<T> {
    /// Acquisition dates; the first is the reference date.
    pub dates: Vec<NaiveDate>,
    /// Phase relative to the first date, radians, axes (date, row, col).
    pub phase: Array3<T>,
    /// Temporal coherence, (row, col).
    pub temporal_coherence: Array2<T>,
    /// RMS of the interferogram residuals, radians, (row, col).
    pub residual_rms: Array2<T>,
    /// Numerical rank of the system solved, (row, col).
    pub rank: Array2<u32>,
    /// Interferograms used, (row, col).
    pub n_used: Array2<u32>,
    /// Connected components of each pixel's valid network, (row, col).
    pub components: Array2<u32>,
    /// IRLS iterations (0 for L2), (row, col).
    pub iterations: Array2<u32>,
    /// What happened at each pixel.
    pub status: Array2<PixelStatus>,
}

impl<T: Real> TimeSeries<T> {
    fn nan(dates: Vec<NaiveDate>, rows: usize, cols: usize) -> Self {
        let n = dates.len();
        TimeSeries {
            dates,
            phase: Array3::from_elem((n, rows, cols), T::nan()),
            temporal_coherence: Array2::from_elem((rows, cols), T::nan()),
            residual_rms: Array2::from_elem((rows, cols), T::nan()),
            rank: Array2::zeros((rows, cols)),
            n_used: Array2::zeros((rows, cols)),
            components: Array2::zeros((rows, cols)),
            iterations: Array2::zeros((rows, cols)),
            status: Array2::from_elem((rows, cols), PixelStatus::NoData),
        }
    }

    /// Line-of-sight displacement in metres, −λ/(4π)·phase (MintPy's
    /// convention), axes (date, row, col).
    pub fn displacement(&self, wavelength_m: f64) -> Array3<T> {
        let f = phase_to_displacement(wavelength_m);
        self.phase.mapv(|v| T::from_f64(v.to_f64() * f))
    }

    /// Number of pixels with this status.
    pub fn count(&self, status: PixelStatus) -> usize {
        self.status.iter().filter(|&&s| s == status).count()
    }
}

/// Mutable outputs of one block of rows.
struct BlockOut<'a, T> {
    phase: ArrayViewMut3<'a, T>,
    tcoh: ArrayViewMut2<'a, T>,
    rms: ArrayViewMut2<'a, T>,
    rank: ArrayViewMut2<'a, u32>,
    n_used: ArrayViewMut2<'a, u32>,
    components: ArrayViewMut2<'a, u32>,
    iterations: ArrayViewMut2<'a, u32>,
    status: ArrayViewMut2<'a, PixelStatus>,
}

impl Inverter {
    fn needs_coherence(&self) -> bool {
        self.params.weighting() != Weighting::No
    }

    fn check_network(&self, network: &Network) -> Result<()> {
        if self.params.gap_policy() == GapPolicy::Error {
            network.check_connected()?;
        }
        Ok(())
    }

    /// Inverts one pixel: `phase` holds one unwrapped phase per
    /// interferogram (radians, `NaN` = missing), `coherence` one coherence
    /// per interferogram (needed for weighted inversions, ignored otherwise).
    pub fn invert_pixel(
        &self,
        network: &Network,
        phase: &[f64],
        coherence: Option<&[f64]>,
    ) -> Result<PixelSolution> {
        let m = network.n_pairs();
        if phase.len() != m {
            return Err(Error::LengthMismatch {
                input: "phase",
                found: phase.len(),
                expected: m,
                what: "one value per interferogram of the network",
            });
        }
        let weights = if self.needs_coherence() {
            let coh = coherence.ok_or(Error::MissingCoherence {
                weighting: self.params.weighting().mintpy_name(),
            })?;
            if coh.len() != m {
                return Err(Error::LengthMismatch {
                    input: "coherence",
                    found: coh.len(),
                    expected: m,
                    what: "one value per interferogram of the network",
                });
            }
            Some(
                coh.iter()
                    .map(|&g| self.model.weight(g))
                    .collect::<Vec<_>>(),
            )
        } else {
            None
        };
        self.check_network(network)?;
        let net = NetworkData::new(network);
        let mut entry = pattern_of(&net, phase);
        let mut ws = Workspace::default();
        solve_pixel(self, &net, &mut entry, phase, weights.as_deref(), &mut ws).map_err(|message| {
            Error::Linalg {
                row: 0,
                col: 0,
                message,
            }
        })
    }

    /// Inverts a stack of unwrapped interferograms.
    ///
    /// * `phase`: radians, axes (ifg, row, col), one slice per pair of
    ///   `network` in the same order; `NaN` marks missing values, which are
    ///   dropped per pixel.
    /// * `coherence`: same shape; needed for weighted inversions, ignored
    ///   by unweighted ones.
    ///
    /// Errors: a stack that does not match the network (number of
    /// interferograms) or the coherence shape, a missing coherence stack,
    /// a disconnected network under [`GapPolicy::Error`], or a LAPACK
    /// failure (naming the pixel). Pixels that cannot be inverted get `NaN`
    /// and a [`PixelStatus`] instead of an error.
    ///
    /// Work is split into blocks of whole rows (about
    /// [`block_pixels`](crate::InversionParams::with_block_pixels) pixels)
    /// processed in parallel; every pixel's result is independent of the
    /// block and of the number of threads. To bound memory on scenes larger
    /// than memory, call this on windows of rows and write each result out.
    pub fn invert<T: Real>(
        &self,
        network: &Network,
        phase: ArrayView3<'_, T>,
        coherence: Option<ArrayView3<'_, T>>,
    ) -> Result<TimeSeries<T>> {
        let (m, rows, cols) = phase.dim();
        if m != network.n_pairs() {
            return Err(Error::ShapeMismatch {
                input: "phase",
                found: phase.shape().to_vec(),
                expected: vec![network.n_pairs(), rows, cols],
                what: "one interferogram per pair of the network",
            });
        }
        let coherence = if self.needs_coherence() {
            let coh = coherence.ok_or(Error::MissingCoherence {
                weighting: self.params.weighting().mintpy_name(),
            })?;
            if coh.dim() != (m, rows, cols) {
                return Err(Error::ShapeMismatch {
                    input: "coherence",
                    found: coh.shape().to_vec(),
                    expected: vec![m, rows, cols],
                    what: "the shape of the phase stack",
                });
            }
            Some(coh)
        } else {
            None
        };
        self.check_network(network)?;
        let net = NetworkData::new(network);
        let mut out = TimeSeries::<T>::nan(network.dates().to_vec(), rows, cols);
        if rows == 0 || cols == 0 {
            return Ok(out);
        }
        let rows_per_block = (self.params.block_pixels() / cols).max(1);
        let blocks: Vec<BlockOut<'_, T>> = out
            .phase
            .axis_chunks_iter_mut(Axis(1), rows_per_block)
            .zip(
                out.temporal_coherence
                    .axis_chunks_iter_mut(Axis(0), rows_per_block),
            )
            .zip(
                out.residual_rms
                    .axis_chunks_iter_mut(Axis(0), rows_per_block),
            )
            .zip(out.rank.axis_chunks_iter_mut(Axis(0), rows_per_block))
            .zip(out.n_used.axis_chunks_iter_mut(Axis(0), rows_per_block))
            .zip(out.components.axis_chunks_iter_mut(Axis(0), rows_per_block))
            .zip(out.iterations.axis_chunks_iter_mut(Axis(0), rows_per_block))
            .zip(out.status.axis_chunks_iter_mut(Axis(0), rows_per_block))
            .map(
                |(((((((phase, tcoh), rms), rank), n_used), components), iterations), status)| {
                    BlockOut {
                        phase,
                        tcoh,
                        rms,
                        rank,
                        n_used,
                        components,
                        iterations,
                        status,
                    }
                },
            )
            .collect();
        let results: Vec<Result<()>> = blocks
            .into_par_iter()
            .enumerate()
            .map(|(b, block)| self.invert_block(&net, b * rows_per_block, phase, coherence, block))
            .collect();
        results.into_iter().collect::<Result<()>>()?;
        Ok(out)
    }

    fn invert_block<T: Real>(
        &self,
        net: &NetworkData,
        row0: usize,
        phase: ArrayView3<'_, T>,
        coherence: Option<ArrayView3<'_, T>>,
        mut out: BlockOut<'_, T>,
    ) -> Result<()> {
        let m = net.pairs.len();
        let (brows, cols) = out.tcoh.dim();
        let npx = brows * cols;
        // Pixel-major copies of the block: each pixel's interferograms contiguous.
        let mut y = vec![0.0f64; npx * m];
        for k in 0..m {
            let sl = phase.slice(s![k, row0..row0 + brows, ..]);
            for (p, v) in sl.iter().enumerate() {
                y[p * m + k] = v.to_f64();
            }
        }
        let w = coherence.map(|coh| {
            let mut w = vec![0.0f64; npx * m];
            for k in 0..m {
                let sl = coh.slice(s![k, row0..row0 + brows, ..]);
                for (p, v) in sl.iter().enumerate() {
                    w[p * m + k] = self.model.weight(v.to_f64());
                }
            }
            w
        });
        let words = m.div_ceil(64);
        let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut entries: Vec<PatternEntry> = Vec::new();
        let mut ws = Workspace::default();
        for p in 0..npx {
            let yp = &y[p * m..(p + 1) * m];
            let wp = w.as_ref().map(|w| &w[p * m..(p + 1) * m]);
            let mut key = vec![0u64; words];
            for (k, v) in yp.iter().enumerate() {
                if v.is_finite() {
                    key[k / 64] |= 1 << (k % 64);
                }
            }
            let (r, c) = (p / cols, p % cols);
            let mut temp;
            let entry = match index.get(&key) {
                Some(&i) => &mut entries[i],
                None if entries.len() < MAX_PATTERNS_PER_BLOCK => {
                    index.insert(key, entries.len());
                    entries.push(pattern_of(net, yp));
                    entries.last_mut().expect("just pushed")
                }
                None => {
                    temp = pattern_of(net, yp);
                    &mut temp
                }
            };
            let sol = solve_pixel(self, net, entry, yp, wp, &mut ws).map_err(|message| {
                Error::Linalg {
                    row: row0 + r,
                    col: c,
                    message,
                }
            })?;
            for (d, &v) in sol.phase.iter().enumerate() {
                out.phase[[d, r, c]] = T::from_f64(v);
            }
            out.tcoh[[r, c]] = T::from_f64(sol.temporal_coherence);
            out.rms[[r, c]] = T::from_f64(sol.residual_rms);
            out.rank[[r, c]] = sol.rank as u32;
            out.n_used[[r, c]] = sol.n_used as u32;
            out.components[[r, c]] = sol.components as u32;
            out.iterations[[r, c]] = sol.iterations as u32;
            out.status[[r, c]] = sol.status;
        }
        Ok(())
    }
}
