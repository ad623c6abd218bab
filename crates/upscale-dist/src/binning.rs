//! Streaming binning of points into grid cells: per-cell count, stable
//! moments and histograms, with memory bounded by the chunk size and the
//! number of cells.
//!
//! # How a chunk is processed
//!
//! Points arrive through [`Binner::push_points`] or [`Binner::push_raster`]
//! and are cut into chunks of at most `chunk_size` points. Each chunk is cut
//! into one contiguous part per rayon thread, and:
//!
//! 1. *classify and sort* (parallel over the parts): drop non-finite
//!    values, values the [`PointFilter`] rejects, and points outside the
//!    grid; find the cell of the others; gather the kept values cell by
//!    cell with a stable counting sort (each cell's values in input order);
//! 2. *update* (parallel over ranges of cells): each cell's [`Moments`]
//!    takes its values one by one — part after part, each part in order, so
//!    in input order — and its histogram counts them.
//!
//! Every cell therefore sees exactly the sequence of updates it would see in
//! one sequential pass over all points, whatever the chunk size, the number
//! of parts and the number of threads: **results are bit-for-bit identical
//! for any `chunk_size`, any cut of the input into pushes and any rayon
//! thread count** (the only reduction across tasks, the drop counters, is an
//! integer sum). No floating-point merge happens inside a stream;
//! [`Binner::merge`] (Pébay's pairwise formulas) combines streams binned
//! separately, for example tiles on different machines, and agrees with a
//! single stream to rounding only.
//!
//! # Memory
//!
//! A [`Binner`] holds, independent of the number of points:
//!
//! * per chunk: `20 × chunk_size` bytes (cell index `u32`, value and sorted
//!   value `f64`);
//! * per cell: `48 + 8 × n_bins` bytes (moments, histogram counts `u64`),
//!   plus 16 bytes per thread (sort offsets).
//!
//! With the defaults (2¹⁸ points per chunk, 50 bins) that is 5 MiB plus
//! about 0.5 kB per cell: binning 10⁸ points costs no more memory than
//! binning 10⁶ (the ignored test `tests/memory.rs` streams 10⁸ points and
//! checks the peak resident set).

use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::filter::PointFilter;
use crate::grid::Grid;
use crate::histogram::HistogramBins;
use crate::moments::Moments;

/// Marks a dropped point in the chunk's cell buffer.
const NONE: u32 = u32::MAX;
/// Smallest number of points per part of a chunk (below it, fewer parts).
const MIN_PART: usize = 1 << 13;

/// Parameters of the binning, with defaults.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | histogram range `[min, max]` | — (required) | [`new`](BinningParams::new) |
/// | number of bins | 50 (S-UPSCALE) | [`with_bins`](BinningParams::with_bins) |
/// | validity threshold: a cell is valid when `count > threshold` (strictly) | 6000 points (S-UPSCALE) | [`with_threshold`](BinningParams::with_threshold) |
/// | points per chunk (memory, cache use and parallel granularity, never results) | 2¹⁸ | [`with_chunk_size`](BinningParams::with_chunk_size) |
/// | point filter | none (only non-finite values are dropped) | [`with_filter`](BinningParams::with_filter) |
///
/// S-UPSCALE filtered with [`PointFilter::default`] (values in \[−0.5, 0.5\]
/// m, `|x| ≥ 1e-5`) before binning; pass it with
/// `with_filter(Some(PointFilter::default()))` to reproduce that.
///
/// The setters do not fail; [`BinningParams::build`] checks everything.
#[derive(Debug, Clone, PartialEq)]
pub struct BinningParams {
    hist_min: f64,
    hist_max: f64,
    n_bins: usize,
    threshold: u64,
    chunk_size: usize,
    filter: Option<PointFilter>,
}

impl BinningParams {
    /// Histograms over `[hist_min, hist_max]`, other parameters at their
    /// defaults.
    pub fn new(hist_min: f64, hist_max: f64) -> Self {
        BinningParams {
            hist_min,
            hist_max,
            n_bins: 50,
            threshold: 6000,
            chunk_size: 1 << 18,
            filter: None,
        }
    }

    /// Number of histogram bins (≥ 1).
    #[must_use]
    pub fn with_bins(mut self, n_bins: usize) -> Self {
        self.n_bins = n_bins;
        self
    }

    /// Validity threshold: a cell is valid when its count is strictly
    /// greater.
    #[must_use]
    pub fn with_threshold(mut self, threshold: u64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Points per chunk (≥ 1). Affects memory and speed, never results.
    /// Each chunk costs `O(points + cells × threads)`: for grids of more
    /// than about 10⁵ cells, use chunks of a few times the number of cells;
    /// much larger chunks than the default leave the CPU caches (2²⁰ costs
    /// about 30 % more time per point than 2¹⁸ in the crate's bench).
    #[must_use]
    pub fn with_chunk_size(mut self, chunk_size: usize) -> Self {
        self.chunk_size = chunk_size;
        self
    }

    /// The point filter applied before binning (`None`: keep every finite
    /// value).
    #[must_use]
    pub fn with_filter(mut self, filter: Option<PointFilter>) -> Self {
        self.filter = filter;
        self
    }

    /// Checks the parameters: a valid histogram range (`min < max`, both
    /// finite), `n_bins ≥ 1`, `chunk_size ≥ 1`.
    pub fn build(&self) -> Result<Binning> {
        let bins = HistogramBins::new(self.hist_min, self.hist_max, self.n_bins)?;
        if self.chunk_size == 0 {
            return Err(Error::invalid_parameter(
                "chunk_size",
                self.chunk_size,
                "must be ≥ 1",
            ));
        }
        Ok(Binning {
            bins,
            threshold: self.threshold,
            chunk_size: self.chunk_size,
            filter: self.filter,
        })
    }
}

/// Checked binning parameters (from [`BinningParams::build`]): start a
/// streaming [`Binner`] or bin whole inputs at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Binning {
    bins: HistogramBins,
    threshold: u64,
    chunk_size: usize,
    filter: Option<PointFilter>,
}

impl Binning {
    /// The histogram bins.
    pub fn bins(&self) -> &HistogramBins {
        &self.bins
    }

    /// The validity threshold (valid when `count > threshold`).
    pub fn threshold(&self) -> u64 {
        self.threshold
    }

    /// Points per chunk.
    pub fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// The point filter, if any.
    pub fn filter(&self) -> Option<&PointFilter> {
        self.filter.as_ref()
    }

    /// A streaming binner on `grid` with no points yet.
    pub fn binner(&self, grid: &Grid) -> Binner {
        Binner::new(grid, self)
    }

    /// Bins scattered points at once (see [`Binner::push_points`]).
    pub fn bin_points<T: Value>(
        &self,
        grid: &Grid,
        lons: &[f64],
        lats: &[f64],
        values: &[T],
    ) -> Result<BinnedCells> {
        let mut b = self.binner(grid);
        b.push_points(lons, lats, values)?;
        Ok(b.finish())
    }

    /// Bins a regular raster at once (see [`Binner::push_raster`]).
    pub fn bin_raster<T: Value>(
        &self,
        grid: &Grid,
        lons: &[f64],
        lats: &[f64],
        values: ArrayView2<'_, T>,
    ) -> Result<BinnedCells> {
        let mut b = self.binner(grid);
        b.push_raster(lons, lats, values)?;
        Ok(b.finish())
    }
}

/// A value type the binner and the aggregator accept: anything that widens
/// to `f64` losslessly (`f32`, `f64`, and the integer types up to 32 bits);
/// values are compared and accumulated as `f64`.
pub trait Value: Copy + Send + Sync + Into<f64> {}
impl<T: Copy + Send + Sync + Into<f64>> Value for T {}

/// What happened to the points pushed so far. Invariant:
/// `points_seen = binned + dropped_non_finite + dropped_by_filter +
/// dropped_outside_grid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BinningReport {
    /// Points pushed.
    pub points_seen: u64,
    /// Points counted in a cell (moments and count).
    pub binned: u64,
    /// Points dropped because the value is `NaN` or infinite (checked first).
    pub dropped_non_finite: u64,
    /// Points the [`PointFilter`] rejected (checked second).
    pub dropped_by_filter: u64,
    /// Points outside the grid, or with a non-finite coordinate (checked
    /// last).
    pub dropped_outside_grid: u64,
    /// Binned points whose value lies outside the histogram range: they
    /// count in the cell's count and moments but in no histogram bin.
    pub outside_histogram: u64,
}

/// Per-cell results, in the grid's flat order (latitude outer, longitude
/// inner; reshape with `into_shape_with_order(shape)`).
#[derive(Debug, Clone)]
pub struct BinnedCells {
    /// `(ny, nx)` of the grid.
    pub shape: (usize, usize),
    /// The histogram bins.
    pub bins: HistogramBins,
    /// The validity threshold used.
    pub threshold: u64,
    /// Binned points per cell.
    pub counts: Array1<u64>,
    /// `counts > threshold`.
    pub valid: Array1<bool>,
    /// Mean per cell; `NaN` where not valid.
    pub mean: Array1<f64>,
    /// Population standard deviation; `NaN` where not valid.
    pub std: Array1<f64>,
    /// Skewness; `NaN` where not valid or the variance is zero.
    pub skewness: Array1<f64>,
    /// Pearson kurtosis (not excess); `NaN` where not valid or the variance
    /// is zero.
    pub kurtosis: Array1<f64>,
    /// Histogram counts, shape `(n_cells, n_bins)`, for every cell.
    pub histogram_counts: Array2<u64>,
    /// Row sums of `histogram_counts` (the binned points inside the
    /// histogram range).
    pub histogram_totals: Array1<u64>,
    /// Densities `count / total / width`, shape `(n_cells, n_bins)`; rows of
    /// `NaN` where the cell is not valid or its histogram total is zero.
    pub density: Array2<f64>,
    /// The raw accumulator of every cell (statistics for any cell,
    /// whatever its validity).
    pub moments: Vec<Moments>,
    /// Point accounting.
    pub report: BinningReport,
}

impl BinnedCells {
    /// Flat indices of the valid cells, increasing.
    pub fn valid_indices(&self) -> Vec<usize> {
        self.valid
            .iter()
            .enumerate()
            .filter_map(|(i, &v)| v.then_some(i))
            .collect()
    }
}

/// One part of a chunk: a contiguous range of its points, classified and
/// sorted by cell (stable) by one task. Buffers are reused between chunks.
#[derive(Debug, Clone, Default)]
struct Part {
    cells: Vec<u32>,
    values: Vec<f64>,
    sorted: Vec<f64>,
    /// `starts[c]..starts[c + 1]` is cell `c`'s range in `sorted`.
    starts: Vec<usize>,
    cursor: Vec<usize>,
}

impl Part {
    /// Classifies points `start .. start + len` and sorts the kept values
    /// by cell, keeping input order within a cell.
    fn fill<S: Source>(
        &mut self,
        src: &S,
        filter: Option<&PointFilter>,
        n_cells: usize,
        start: usize,
        len: usize,
    ) -> Drops {
        self.cells.resize(len, NONE);
        self.values.resize(len, 0.0);
        let drops = src.fill(start, filter, &mut self.cells, &mut self.values);
        let kept = len - (drops.non_finite + drops.filtered + drops.outside) as usize;
        self.starts.clear();
        self.starts.resize(n_cells + 1, 0);
        self.sorted.clear();
        if kept == 0 {
            return drops;
        }
        for &c in &self.cells {
            if c != NONE {
                self.starts[c as usize + 1] += 1;
            }
        }
        for i in 0..n_cells {
            self.starts[i + 1] += self.starts[i];
        }
        self.cursor.clear();
        self.cursor.extend_from_slice(&self.starts[..n_cells]);
        self.sorted.resize(kept, 0.0);
        for (&c, &v) in self.cells.iter().zip(&self.values) {
            if c != NONE {
                let p = &mut self.cursor[c as usize];
                self.sorted[*p] = v;
                *p += 1;
            }
        }
        drops
    }

    /// Cell `c`'s kept values, in input order.
    #[inline]
    fn cell(&self, c: usize) -> &[f64] {
        if self.sorted.is_empty() {
            &[]
        } else {
            &self.sorted[self.starts[c]..self.starts[c + 1]]
        }
    }
}

/// The streaming binner: push points in any number of calls, then
/// [`finish`](Binner::finish). See the [module docs](self) for the order of
/// operations, determinism and memory.
#[derive(Clone)]
pub struct Binner {
    grid: Grid,
    binning: Binning,
    state: State,
}

/// The accumulators and scratch buffers of a [`Binner`].
#[derive(Debug, Clone)]
struct State {
    moments: Vec<Moments>,
    hist: Vec<u64>,
    report: BinningReport,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Drops {
    non_finite: u64,
    filtered: u64,
    outside: u64,
}

impl Drops {
    fn add(self, o: Drops) -> Drops {
        Drops {
            non_finite: self.non_finite + o.non_finite,
            filtered: self.filtered + o.filtered,
            outside: self.outside + o.outside,
        }
    }
}

/// Classifies one point: its cell as `u32`, or [`NONE`].
#[inline(always)]
fn classify(
    v: f64,
    filter: Option<&PointFilter>,
    drops: &mut Drops,
    locate: impl FnOnce() -> Option<usize>,
) -> u32 {
    if !v.is_finite() {
        drops.non_finite += 1;
        return NONE;
    }
    if let Some(f) = filter {
        if !f.keeps(v) {
            drops.filtered += 1;
            return NONE;
        }
    }
    match locate() {
        Some(c) => c as u32,
        None => {
            drops.outside += 1;
            NONE
        }
    }
}

/// A source of points addressed by a running index.
trait Source: Sync {
    fn len(&self) -> usize;
    /// Classifies points `start .. start + cells.len()`.
    fn fill(
        &self,
        start: usize,
        filter: Option<&PointFilter>,
        cells: &mut [u32],
        values: &mut [f64],
    ) -> Drops;
}

struct PointsSource<'a, T> {
    grid: &'a Grid,
    lons: &'a [f64],
    lats: &'a [f64],
    values: &'a [T],
}

impl<T: Value> Source for PointsSource<'_, T> {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn fill(
        &self,
        start: usize,
        filter: Option<&PointFilter>,
        cells: &mut [u32],
        values: &mut [f64],
    ) -> Drops {
        let mut d = Drops::default();
        let end = start + cells.len();
        let it = self.values[start..end]
            .iter()
            .zip(&self.lons[start..end])
            .zip(&self.lats[start..end]);
        for (((&v, &lon), &lat), (c, out)) in it.zip(cells.iter_mut().zip(values.iter_mut())) {
            let v: f64 = v.into();
            *out = v;
            *c = classify(v, filter, &mut d, || self.grid.locate(lon, lat));
        }
        d
    }
}

struct RasterSource<'a, T> {
    values: ArrayView2<'a, T>,
    /// Longitude cell of each column (`NONE` outside).
    ix: Vec<u32>,
    /// `iy * nx` of each row (`NONE` outside).
    row_base: Vec<u32>,
}

impl<T: Value> Source for RasterSource<'_, T> {
    fn len(&self) -> usize {
        self.values.len()
    }

    fn fill(
        &self,
        start: usize,
        filter: Option<&PointFilter>,
        cells: &mut [u32],
        values: &mut [f64],
    ) -> Drops {
        let mut d = Drops::default();
        let ncols = self.values.ncols();
        let (mut r, mut c) = (start / ncols, start % ncols);
        let mut k = 0;
        while k < cells.len() {
            let row = self.values.row(r);
            let take = (ncols - c).min(cells.len() - k);
            let base = self.row_base[r];
            for j in 0..take {
                let v: f64 = row[c + j].into();
                values[k + j] = v;
                cells[k + j] = classify(v, filter, &mut d, || {
                    let ix = self.ix[c + j];
                    (base != NONE && ix != NONE).then(|| (base + ix) as usize)
                });
            }
            k += take;
            r += 1;
            c = 0;
        }
        d
    }
}

impl State {
    fn push<S: Source>(&mut self, binning: &Binning, src: &S) {
        let total = src.len();
        let mut start = 0;
        while start < total {
            let len = binning.chunk_size.min(total - start);
            self.process_chunk(binning, src, start, len);
            start += len;
        }
    }

    fn process_chunk<S: Source>(&mut self, binning: &Binning, src: &S, start: usize, len: usize) {
        let n_cells = self.moments.len();
        let filter = binning.filter;

        // 1. Classify and sort by cell, in parallel over contiguous parts of
        //    the chunk (one per thread; the number of parts never changes a
        //    result, because the update below reads the parts in order).
        let n_parts = rayon::current_num_threads().clamp(1, len.div_ceil(MIN_PART));
        let part_len = len.div_ceil(n_parts);
        self.parts.resize_with(n_parts, Part::default);
        let drops = self
            .parts
            .par_iter_mut()
            .enumerate()
            .map(|(p, part)| {
                let a = (p * part_len).min(len);
                let b = (a + part_len).min(len);
                part.fill(src, filter.as_ref(), n_cells, start + a, b - a)
            })
            .reduce(Drops::default, Drops::add);
        let kept = len as u64 - drops.non_finite - drops.filtered - drops.outside;
        self.report.points_seen += len as u64;
        self.report.dropped_non_finite += drops.non_finite;
        self.report.dropped_by_filter += drops.filtered;
        self.report.dropped_outside_grid += drops.outside;
        self.report.binned += kept;
        if kept == 0 {
            return;
        }

        // 2. Update every cell with its values in input order (parts in
        //    order, each part's values in order), in parallel over ranges
        //    of cells (each cell is independent).
        let bins = &binning.bins;
        let nb = bins.n_bins();
        let per_task = n_cells.div_ceil(4 * rayon::current_num_threads()).max(1);
        let parts = &self.parts;
        let outside: u64 = self
            .moments
            .par_chunks_mut(per_task)
            .zip(self.hist.par_chunks_mut(per_task * nb))
            .enumerate()
            .map(|(t, (ms, hs))| {
                let mut outside = 0u64;
                for (j, (m, h)) in ms.iter_mut().zip(hs.chunks_exact_mut(nb)).enumerate() {
                    let c = t * per_task + j;
                    for part in parts {
                        for &v in part.cell(c) {
                            m.push(v);
                            match bins.bin_of(v) {
                                Some(b) => h[b] += 1,
                                None => outside += 1,
                            }
                        }
                    }
                }
                outside
            })
            .sum();
        self.report.outside_histogram += outside;
    }
}

impl std::fmt::Debug for Binner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Binner")
            .field("grid_shape", &self.grid.shape())
            .field("binning", &self.binning)
            .field("report", &self.state.report)
            .finish_non_exhaustive()
    }
}

impl Binner {
    /// A binner with no points (same as [`Binning::binner`]).
    pub fn new(grid: &Grid, binning: &Binning) -> Self {
        let n = grid.n_cells();
        Binner {
            grid: grid.clone(),
            binning: binning.clone(),
            state: State {
                moments: vec![Moments::new(); n],
                hist: vec![0; n * binning.bins.n_bins()],
                report: BinningReport::default(),
                parts: Vec::new(),
            },
        }
    }

    /// The grid.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// The binning parameters.
    pub fn binning(&self) -> &Binning {
        &self.binning
    }

    /// Point accounting so far.
    pub fn report(&self) -> BinningReport {
        self.state.report
    }

    /// Pushes scattered points `(lons[i], lats[i], values[i])`, degrees,
    /// in this order. Points outside the grid (or with a non-finite
    /// coordinate) are dropped and counted in
    /// [`BinningReport::dropped_outside_grid`]; non-finite values in
    /// [`BinningReport::dropped_non_finite`]. An empty push does nothing.
    ///
    /// Errors: `lats` or `values` differ in length from `lons`.
    pub fn push_points<T: Value>(
        &mut self,
        lons: &[f64],
        lats: &[f64],
        values: &[T],
    ) -> Result<()> {
        if lats.len() != lons.len() {
            return Err(Error::length_mismatch(
                "lats",
                lats.len(),
                "lons",
                lons.len(),
            ));
        }
        if values.len() != lons.len() {
            return Err(Error::length_mismatch(
                "values",
                values.len(),
                "lons",
                lons.len(),
            ));
        }
        let src = PointsSource {
            grid: &self.grid,
            lons,
            lats,
            values,
        };
        self.state.push(&self.binning, &src);
        Ok(())
    }

    /// Pushes a regular raster: `values` has axes `(row, col)`, `lons` one
    /// longitude per column, `lats` one latitude per row (pixel centres, any
    /// order, as `numpy.meshgrid(lons, lats)`). Points go in row-major
    /// order, so this equals [`push_points`](Binner::push_points) on the
    /// flattened mesh.
    ///
    /// Errors: `lons.len() ≠ ncols` or `lats.len() ≠ nrows`.
    pub fn push_raster<T: Value>(
        &mut self,
        lons: &[f64],
        lats: &[f64],
        values: ArrayView2<'_, T>,
    ) -> Result<()> {
        let (nrows, ncols) = values.dim();
        if lons.len() != ncols {
            return Err(Error::length_mismatch(
                "lons",
                lons.len(),
                "values (columns)",
                ncols,
            ));
        }
        if lats.len() != nrows {
            return Err(Error::length_mismatch(
                "lats",
                lats.len(),
                "values (rows)",
                nrows,
            ));
        }
        let nx = self.grid.nx();
        let ix = lons
            .iter()
            .map(|&lon| self.grid.locate_lon(lon).map_or(NONE, |i| i as u32))
            .collect();
        let row_base = lats
            .iter()
            .map(|&lat| {
                self.grid
                    .locate_lat(lat)
                    .map_or(NONE, |iy| (iy * nx) as u32)
            })
            .collect();
        let src = RasterSource {
            values,
            ix,
            row_base,
        };
        self.state.push(&self.binning, &src);
        Ok(())
    }

    /// Merges a binner of the same grid and parameters into this one, cell
    /// by cell with Pébay's pairwise formulas ([`Moments::merge`]); counts
    /// and histograms add exactly. Moments then agree with a single stream
    /// to rounding (not bit for bit); merge in a fixed order for
    /// reproducible results.
    ///
    /// Errors: different grids or binning parameters.
    pub fn merge(&mut self, other: &Binner) -> Result<()> {
        if other.grid != self.grid {
            return Err(Error::invalid_parameter(
                "other (grid)",
                other.grid.shape(),
                "must be the same grid as this binner's",
            ));
        }
        if other.binning != self.binning {
            return Err(Error::invalid_parameter(
                "other (binning)",
                &other.binning,
                "must have the same parameters as this binner",
            ));
        }
        let (st, ot) = (&mut self.state, &other.state);
        st.moments
            .iter_mut()
            .zip(&ot.moments)
            .for_each(|(a, b)| a.merge(b));
        st.hist.iter_mut().zip(&ot.hist).for_each(|(a, b)| *a += b);
        let (r, o) = (&mut st.report, ot.report);
        r.points_seen += o.points_seen;
        r.binned += o.binned;
        r.dropped_non_finite += o.dropped_non_finite;
        r.dropped_by_filter += o.dropped_by_filter;
        r.dropped_outside_grid += o.dropped_outside_grid;
        r.outside_histogram += o.outside_histogram;
        Ok(())
    }

    /// The per-cell results of the points pushed so far (the binner can go
    /// on taking points).
    pub fn result(&self) -> BinnedCells {
        let n = self.grid.n_cells();
        let nb = self.binning.bins.n_bins();
        let thr = self.binning.threshold;
        let st = &self.state;
        let counts: Array1<u64> = st.moments.iter().map(Moments::count).collect();
        let valid: Array1<bool> = counts.iter().map(|&c| c > thr).collect();
        let stat = |f: fn(&Moments) -> f64| -> Array1<f64> {
            st.moments
                .iter()
                .zip(&valid)
                .map(|(m, &ok)| if ok { f(m) } else { f64::NAN })
                .collect()
        };
        let histogram_counts = Array2::from_shape_vec((n, nb), st.hist.clone())
            .expect("histogram buffer has n_cells × n_bins entries");
        let histogram_totals: Array1<u64> = histogram_counts
            .rows()
            .into_iter()
            .map(|r| r.sum())
            .collect();
        let width = self.binning.bins.width();
        let mut density = Array2::from_elem((n, nb), f64::NAN);
        for (i, mut row) in density.rows_mut().into_iter().enumerate() {
            let total = histogram_totals[i];
            if valid[i] && total > 0 {
                row.iter_mut()
                    .zip(histogram_counts.row(i))
                    .for_each(|(d, &c)| *d = c as f64 / total as f64 / width);
            }
        }
        BinnedCells {
            shape: self.grid.shape(),
            bins: self.binning.bins.clone(),
            threshold: thr,
            mean: stat(Moments::mean),
            std: stat(Moments::std),
            skewness: stat(Moments::skewness),
            kurtosis: stat(Moments::kurtosis),
            counts,
            valid,
            histogram_counts,
            histogram_totals,
            density,
            moments: st.moments.clone(),
            report: st.report,
        }
    }

    /// The per-cell results (consumes the binner).
    pub fn finish(self) -> BinnedCells {
        self.result()
    }
}
