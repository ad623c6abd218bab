//! Distribution-based upscaling: geodesic kilometre grids and streaming
//! per-cell distributions of high-resolution deformation fields (the
//! S-UPSCALE study, `SCIENCE.md` §5).
//!
//! This crate is pure Rust and links no native library: file reading, the
//! equal-area grid through PROJ and the CF-NetCDF export belong to the
//! facade, which gets from here the grid description (edges, centres, CF
//! bounds, a CDO grid-description text) and the per-cell results as arrays.
//!
//! # What it does
//!
//! * **Grids** ([`Grid`]): rectilinear longitude–latitude grids with
//!   arbitrary strictly increasing edges (so a facade can build equal-area
//!   or any other grids: `permafrost_insar::equal_area` inverse-projects
//!   the square cells of the cylindrical equal-area EPSG:6933 through PROJ,
//!   which are rectangles in longitude–latitude, `upscale --grid
//!   equal-area`), and the **geodesic km grid** of the study
//!   ([`GeodesicGridParams`]): from the data's [`BoundingBox`], edges
//!   stepped by `resolution_km` with WGS84 forward geodesics along the
//!   meridian at the reference longitude and along the parallel at the
//!   reference latitude; the first edge at the box's minimum, steps until
//!   an edge lies strictly beyond the maximum. Cells are half-open and
//!   ordered **latitude outer, longitude inner** (flat index `iy·nx + ix`,
//!   south-west first).
//! * **Point filter** ([`PointFilter`]): keep values in `[min, max]`, drop
//!   `|x| < 1e-5` (0 is the fill value of the deformation products).
//! * **Streaming binning** ([`BinningParams`] → [`Binning`] → [`Binner`]):
//!   per cell the count, mean, population standard deviation, skewness and
//!   Pearson kurtosis (not excess) by a numerically stable update, and a
//!   histogram over global bins `[min, max]` (`n` bins, a value equal to
//!   `max` in the last bin, bin for bin as `numpy.histogram`); validity
//!   `count > threshold` (strictly, default 6000); densities
//!   `count / total / width`. Input arrives in any number of pushes of
//!   scattered points or raster blocks, `f32` or `f64`, and is processed in
//!   chunks: memory is bounded by the chunk size and the number of cells,
//!   never by the number of points. Points outside the grid, non-finite
//!   values and filtered values are dropped and counted
//!   ([`BinningReport`]).
//! * **Determinism**: binning results are bit-for-bit identical for any
//!   chunk size, any cut of the input into pushes and any rayon thread
//!   count — each cell's accumulator takes its values one by one in input
//!   order (see [`binning`]); aggregation targets are independent.
//! * **Aggregation** of a fine field to the grid ([`AggregationParams`]):
//!   cell mean, inverse-distance weighting of the k nearest points by
//!   great-circle distance (`cdo remapdis`, k = 4), nearest point.
//! * **CDO grid descriptions** ([`cdo_griddes`], [`parse_cdo_griddes`]):
//!   `gridtype = lonlat` or `curvilinear` with `xvals/yvals/xbounds/ybounds`,
//!   as `cdo griddes` prints them, and back (bit-exact round trip).
//!
//! # Algorithms and sources
//!
//! | algorithm | source |
//! |---|---|
//! | geodesic km grid (cell edges by forward geodesic steps), point filter, validity threshold, density histograms, cell order | S-UPSCALE: Liu, Z., *Distribution-based upscaling on high-resolution InSAR permafrost deformation* (anALPAKKA/permafrostdeformstat, `functions.py`: `create_km_grid`, `prepare_subsidence_data`, `bin_valid_data_with_stats`) |
//! | WGS84 direct geodesic problem | Karney, C. F. F. (2013), Algorithms for geodesics, *J. Geodesy* 87, 43–55 (via `geographiclib-rs`) |
//! | one-value update of mean and M₂ | Welford, B. P. (1962), *Technometrics* 4, 419–420 |
//! | one-value update of M₃, M₄ | Terriberry, T. B. (2007), *Computing higher-order moments online* |
//! | pairwise merge of count, mean, M₂ | Chan, T. F., Golub, G. H., LeVeque, R. J. (1979), *Updating formulae and a pairwise algorithm for computing sample variances*, Stanford STAN-CS-79-773 |
//! | pairwise merge of M₃, M₄ | Pébay, P. (2008), *Formulas for robust, one-pass parallel computation of covariances and arbitrary-order statistical moments*, Sandia SAND2008-6212 |
//! | shifted data (updates on `x − K`, `K` the first value) | Chan, T. F., Golub, G. H., LeVeque, R. J. (1983), *Am. Stat.* 37, 242–247 |
//! | histogram bin rule and edges | `numpy.histogram` / `numpy.linspace` (numpy 2.x) |
//! | inverse-distance weighting of the k nearest neighbours | Shepard, D. (1968), *Proc. 23rd ACM National Conference*, 517–524; rules of CDO `remapdis` (Schulzweida, U., *CDO User Guide*) |
//! | k-d tree neighbour search | Bentley, J. L. (1975), *Commun. ACM* 18, 509–517; Friedman, J. H., Bentley, J. L., Finkel, R. A. (1977), *ACM TOMS* 3, 209–226 |
//!
//! # Verification and measurements
//!
//! * **numpy** (acceptance 1): `tests/numpy_reference.rs` (synthetic raster
//!   plus scattered points; the real DEM at 1 km in the facade's
//!   `tests/upscale_dem_numpy.rs`) and `tests/numpy_synthetic.rs` (10⁶ and
//!   10⁷ points at 10 km, generated bit-identically on both sides from
//!   splitmix64): identical counts, histograms and point accounting;
//!   moments within 1e-9 relative (largest measured difference 4e-13).
//! * **Memory** (acceptance 3), measured with `/usr/bin/time -v` on the
//!   shared 2-core machine:
//!   * 10⁸ generated points streamed in pushes of 10⁶ through one binner:
//!     **peak RSS 40 MB** for the whole test process
//!     (`cargo test -p upscale-dist --release --test memory -- --ignored
//!     --nocapture`);
//!   * 10⁸ pixels read from disk: a 10 000 × 10 000 Float32 GeoTIFF
//!     (400 MB, written block by block by
//!     `python3 xtask/reference/upscale-dist/write_big_geotiff.py
//!     /tmp/big.tif`) through the facade's CLI, `/usr/bin/time -v
//!     target/release/permafrost-insar upscale --input /tmp/big.tif --range
//!     -0.05,0.05 --out /tmp/big.nc` (2070 cells of 10 km, 94.9 M points
//!     binned): **peak RSS 492 MB**, 7 s wall; most of it is GDAL's block
//!     cache (`GDAL_CACHEMAX`, 5 % of RAM by default): with
//!     `GDAL_CACHEMAX=64` the peak is **163 MB**, 5 s wall;
//!   * 10⁸ points in a NetCDF-4 field (10 000 × 10 000 float32 on 1-D
//!     lat/lon, 400 MB) through the same command: **peak RSS 139 MB**,
//!     2.6 s wall, read `--block-rows` rows at a time (reading the variable
//!     whole, as before, took 1.24 GB; the output is bit-identical);
//!   * 10⁷ points in a CSV table (`lon,lat,v`, 332 MB): **peak RSS 60 MB**,
//!     6.6 s wall, read 1,024 × `--block-rows` lines at a time (the earlier
//!     whole-table read took 2.7 GB and 16.8 s; bit-identical output).
//! * **Throughput** (acceptance 4): `cargo bench -p upscale-dist --bench
//!   binning` (4 M points, 40 × 40 cells, 50 bins, 2 rayon threads), run on
//!   the 2-core machine with nothing else running (load average 1.0, AMD
//!   EPYC, 2026-11-21): **110–118 M points/s** for scattered points and
//!   **82–99 M points/s** for a raster at chunk sizes 2¹⁶ and 2¹⁸, 87–91 M
//!   points/s for scattered points at 2²⁰ — above the 50 M points/s target.
//!   (Runs while six other builds shared the cores gave 24–39 M points/s.)
//!   The whole-process comparison with the study-style numpy implementation
//!   is `cargo xtask bench upscale` (table in `docs/benchmarks.md`: 10⁷
//!   points read from NetCDF and binned 4.8× faster than numpy on the idle
//!   machine, 0.24 s against 1.14 s, with an eighth of its memory).
//!
//! # Features
//!
//! | feature | what it enables |
//! |---|---|
//! | *(none)* | the crate has no optional features; rayon is always used (run inside a `rayon::ThreadPool` to choose the thread count — results do not depend on it) |
//!
//! # Example
//!
//! ```
//! use ndarray::Array2;
//! use upscale_dist::{
//!     cdo_griddes, Aggregation, AggregationParams, BinningParams, BoundingBox,
//!     GeodesicGridParams, GriddesKind, PointFilter,
//! };
//!
//! // A fine raster (row, col) with one latitude per row (north-up) and one
//! // longitude per column, deformation in metres, 0 = fill value.
//! let lons: Vec<f64> = (0..200).map(|i| -134.5 + 0.005 * i as f64).collect();
//! let lats: Vec<f64> = (0..150).map(|i| 69.0 - 0.0025 * i as f64).collect();
//! let values = Array2::from_shape_fn((150, 200), |(r, c)| {
//!     if r < 10 { 0.0 } else { -0.01 + 1e-4 * ((r * 7 + c * 13) % 97) as f64 }
//! });
//!
//! // The 10 km geodesic grid over the data's bounding box.
//! let bbox = BoundingBox::from_axes(&lons, &lats)?;
//! let grid = GeodesicGridParams::new(10.0).build(&bbox)?;
//! assert_eq!(grid.shape(), (5, 5)); // (lat, lon)
//!
//! // Stream the raster through the binner (here in one push).
//! let binning = BinningParams::new(-0.02, 0.02)
//!     .with_bins(40)
//!     .with_threshold(500)
//!     .with_filter(Some(PointFilter::default()))
//!     .build()?;
//! let mut binner = binning.binner(&grid);
//! binner.push_raster(&lons, &lats, values.view())?;
//! let cells = binner.finish();
//! assert_eq!(cells.report.dropped_by_filter, 10 * 200); // the fill rows
//! assert_eq!(cells.counts.sum(), cells.report.binned);
//! let valid = cells.valid_indices();
//! assert!(!valid.is_empty());
//! let c = valid[0];
//! assert!(cells.kurtosis[c] > 1.0 && cells.std[c] > 0.0);
//! // Per-cell arrays are in flat order; as a (lat, lon) raster:
//! let mean_2d = cells.mean.clone().into_shape_with_order(grid.shape()).unwrap();
//! assert_eq!(mean_2d.dim(), (5, 5));
//!
//! // cdo remapdis-like aggregation, and the grid description for CDO.
//! let idw = AggregationParams::new()
//!     .with_method(Aggregation::REMAPDIS)
//!     .with_filter(Some(PointFilter::default()))
//!     .build()?
//!     .aggregate_raster(&grid, &lons, &lats, values.view())?;
//! assert_eq!(idw.dim(), grid.shape());
//! let text = cdo_griddes(&grid, GriddesKind::LonLat);
//! assert!(text.contains("gridtype  = lonlat"));
//! # Ok::<(), upscale_dist::Error>(())
//! ```

pub mod aggregate;
pub mod binning;
mod error;
pub mod filter;
pub mod grid;
pub mod griddes;
pub mod histogram;
mod knn;
pub mod moments;

pub use aggregate::{Aggregation, AggregationParams, Aggregator};
pub use binning::{BinnedCells, Binner, Binning, BinningParams, BinningReport, Value};
pub use error::{Error, Result};
pub use filter::PointFilter;
pub use grid::{BoundingBox, Cell, GeodesicGridParams, Grid, MAX_CELLS};
pub use griddes::{cdo_griddes, parse_cdo_griddes, GriddesKind};
pub use histogram::HistogramBins;
pub use moments::Moments;
