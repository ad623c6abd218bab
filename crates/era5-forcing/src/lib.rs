//! ERA5 / ERA5-Land and MODIS land-surface-temperature processing: daily
//! means, thawing and freezing degree days, freeze–thaw onsets, ADDT/ADDF on
//! SAR dates, and the period products that the upscaling study correlates
//! with deformation (SCIENCE.md §2).
//!
//! # What it does
//!
//! * [`reader`] (feature `netcdf`): ERA5 and ERA5-Land NetCDF files of both
//!   CDS layouts (older: `time` in hours since 1900, packed `short`; newer:
//!   `valid_time` in seconds since 1970, `number`/`expver`), `days since`
//!   units and integer `YYYYMMDD` `date` axes, any dimension order, regular
//!   grids, point series and curvilinear grids, several files merged along
//!   time like `cdo mergetime` — into one normalised [`Era5Field`].
//! * [`accumulate`]: de-accumulation of accumulated variables (ERA5-Land:
//!   from 00 UTC; ERA5: per step) and its inverse.
//! * [`daily`]: daily means (Σ hourly / 24), daily totals of accumulated
//!   variables, daily positive/negative degree days (°C·day), monthly means;
//!   monthly input is refused where daily values are needed.
//! * [`period`]: the period products (TDD of skt and stl1–4, snow days,
//!   snowfall, runoff, precipitation, soil water, latent heat, net radiation)
//!   with names, units and attributes.
//! * [`regrid`]: nearest neighbour by great-circle distance (`cdo remapnn`),
//!   inverse-distance weighting of the 4 nearest (`cdo remapdis`), cell
//!   means; onto regular, curvilinear or point targets.
//! * [`lst`] and [`harmonic`]: MODIS LST decoding, daily mean of the
//!   day/night Terra/Aqua observations, harmonic gap filling with rejection of
//!   cloud-biased values, 8-day composites to daily values, values on SAR
//!   dates.
//! * [`onsets`] and [`degree_days`]: thaw and freeze onsets per year and
//!   their means, permafrost years, ADDT and ADDF on every requested date,
//!   max DDT, max DDF and their ratio — per pixel and over rasters.
//!
//! # Conventions
//!
//! * Arrays are `f64`; gridded values have the axes `(time, row, col)`
//!   (`(day, row, col)`, `(year, row, col)`, `(date, row, col)` for the
//!   products), single maps `(row, col)`. Missing data is `NaN`.
//! * Temperatures are in °C (the reader converts kelvin; units `degC`),
//!   degree days in °C·day, accumulations in the file's units (m, J m⁻²).
//! * Times are UTC `chrono::NaiveDateTime`, dates `chrono::NaiveDate`; raster
//!   outputs that hold dates use day numbers since 1970-01-01
//!   ([`time::EPOCH`]).
//! * Fields read from files have ascending latitude (row 0 is the southern
//!   edge) and ascending longitude in −180…180 ([`Era5Field`]); point series
//!   are one row of locations `(1, n)`.
//! * The day of an instantaneous value is the UTC date of its stamp; the day
//!   of an accumulated increment is that of the start of its step, so
//!   ERA5-Land's 00 UTC value closes the previous day ([`daily`]).
//! * Everything that does not exist for a pixel (no onset, no permafrost
//!   year, an all-`NaN` pixel, a pixel without enough LST for a fit) is
//!   `NaN` in raster outputs; inputs that are wrong as a whole (a missing
//!   variable, times that cannot be merged, a period or date outside the
//!   data, monthly data for degree days) are [`Error`]s naming the file,
//!   variable, index, time or value.
//! * Rasters are processed with rayon (rows or days in parallel); every
//!   result is computed in a fixed order and does not depend on the number of
//!   threads.
//!
//! # Algorithms and sources
//!
//! | algorithm | source |
//! |---|---|
//! | ERA5-Land accumulation from 00 UTC (01 UTC = first hour, 00 UTC = previous day's total) | Muñoz-Sabater, J. et al. (2021), ERA5-Land: a state-of-the-art global reanalysis dataset for land applications, *Earth Syst. Sci. Data* 13, 4349–4383; ECMWF ERA5-Land documentation |
//! | ERA5 per-step accumulations, file layouts | Hersbach, H. et al. (2020), The ERA5 global reanalysis, *Q. J. R. Meteorol. Soc.* 146, 1999–2049; Copernicus CDS documentation |
//! | daily means Σ/24, degree days Σ max(±T, 0)/24; period products (TDD, snow days, runoff, radiation) | the S-UPSCALE study's `ERAprocess.sh` (CDO), SCIENCE.md §2 |
//! | nearest neighbour and distance-weighted remapping | Schulzweida, U., *CDO User Guide* (`remapnn`, `remapdis`); Shepard, D. (1968), A two-dimensional interpolation function for irregularly-spaced data, *Proc. ACM National Conference*, 517–524 |
//! | harmonic analysis of time series with rejection of low (cloud) values | Roerink, G. J., Menenti, M., Verhoef, W. (2000), Reconstructing cloudfree NDVI composites using Fourier analysis of time series, *Int. J. Remote Sens.* 21, 1911–1917; Xu, Y., Shen, Y., Wu, Z. (2013), Spatial and temporal variations of land surface temperature over the Tibetan Plateau based on harmonic analysis, *Mt. Res. Dev.* 33, 85–94 |
//! | MODIS LST (scale 0.02 K, fill 0), daily mean of day/night Terra/Aqua | Wan, Z. (2014), New refinements and validation of the collection-6 MODIS land-surface temperature/emissivity product, *Remote Sens. Environ.* 140, 36–45; the S-PECM study (after Zou et al. 2014) |
//! | thaw/freeze onsets after the coldest/warmest 31-day period with ≥ 5-day runs, permafrost years, ADDT/ADDF | the S-PECM study (SCIENCE.md §2–3), after Chen et al. (2018) and the Stefan solution (Nelson et al. 1997) |
//! | k-d tree on unit vectors for nearest neighbours on the sphere | Bentley, J. L. (1975), Multidimensional binary search trees used for associative searching, *Commun. ACM* 18, 509–517 |
//!
//! Choices beyond the sources are documented where they are made: thaw
//! "years" cut at the climatological warmest day ([`onsets`]), a date
//! standing for 00:00 of its day in ADDT/ADDF ([`degree_days`]), the positive part of net
//! radiation taken day by day ([`period`]), missing steps ([`daily`]).
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `netcdf` | no | [`reader`]: NetCDF files through the system's libnetcdf (netCDF-4 needs HDF5) |
//!
//! Everything else is pure Rust and builds without any native library.
//!
//! # Performance
//!
//! `cargo bench -p era5-forcing --bench daily`, on a 2-core machine shared
//! with other builds (contended numbers; criterion, `sample_size(10)`):
//!
//! | group / function | input | time | throughput |
//! |---|---|---|---|
//! | `daily_year_hourly_500x500` / `mean_and_degree_days_25_row_blocks` | a year of hourly data (8760 h) on the full 500 × 500 grid, 2.19e9 cell·hours, streamed as 25 row blocks of 20 × 500 cells (700 MB of f64 each; the whole grid would be 17.5 GB); daily means **and** daily degree days of every block | 20.1 s (18.9–21.2 s) | 1.09e8 cell·hours/s |
//! | `daily_year_hourly_100x100` / `daily_mean` | a year of hourly data on 100 × 100 (8.76e7 cell·hours) | ≈ 0.18 s | ≈ 4.9e8 cell·hours/s |
//! | `daily_year_hourly_100x100` / `daily_degree_days` | same | ≈ 0.40 s | ≈ 2.2e8 cell·hours/s |
//!
//! The 500 × 500 run (2026-11-21, `cargo bench -p era5-forcing --bench
//! daily -- 500x500`) reuses one synthetic block for every block, so input
//! generation is not timed; the work does not depend on the values.
//!
//! Files are read the same way: `reader::ReadOptions::with_rows` (feature
//! `netcdf`) reads a block of grid rows, and the facade's `forcing era5`
//! goes through a file 32 rows at a time (`--block-rows`). Measured with `/usr/bin/time` on a
//! 795 MB NetCDF-4 file (2208 hourly float32 steps × 300 × 300 cells,
//! descending latitude): 612 MB peak and 6.5 s (8 rows per block: 374 MB,
//! 8.6 s), where reading each variable whole took 3.17 GB and 9.8 s; the
//! output is bit-identical.

//! # Example
//!
//! ```
//! use chrono::{NaiveDate, TimeDelta};
//! use era5_forcing::{freeze_thaw, DailyParams, Era5Field, Grid, OnsetParams};
//! use ndarray::Array3;
//!
//! // Three days of hourly skin temperature (K) on a 1 × 2 grid.
//! let t0 = NaiveDate::from_ymd_opt(2019, 4, 28).unwrap().and_hms_opt(0, 0, 0).unwrap();
//! let times: Vec<_> = (0..72).map(|h| t0 + TimeDelta::hours(h)).collect();
//! let data = Array3::from_shape_fn((72, 1, 2), |(h, _, c)| {
//!     273.15 + (h % 24) as f64 - 12.0 + c as f64
//! });
//! let grid = Grid::regular(vec![65.0], vec![-91.8, -91.7])?;
//! let skt = Era5Field::new("skt", "K", times, grid, data)?.to_celsius();
//! let mean = skt.daily_mean(&DailyParams::new())?;
//! let dd = skt.daily_degree_days(&DailyParams::new())?;
//! assert_eq!(mean.dates.len(), 3);
//! assert!((mean.values[[0, 0, 0]] + 0.5).abs() < 1e-12); // (Σ(h − 12))/24
//! assert!((dd.thawing[[0, 0, 0]] - 66.0 / 24.0).abs() < 1e-12);
//! assert!((dd.freezing[[0, 0, 0]] - 78.0 / 24.0).abs() < 1e-12);
//!
//! // Onsets and ADDT/ADDF of a daily series (two years, cold then warm).
//! let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
//! let dates: Vec<_> = (0..730).map(|i| start + TimeDelta::days(i)).collect();
//! let temps: Vec<f64> = (0..730)
//!     .map(|i| if (120..270).contains(&(i % 365)) { 4.0 } else { -6.0 })
//!     .collect();
//! let sar = [start + TimeDelta::days(130)];
//! let ft = freeze_thaw(&dates, &temps, &sar, &OnsetParams::new())?;
//! assert_eq!(ft.onsets.thaw[0], start + TimeDelta::days(120));
//! assert_eq!(ft.onsets.freeze[0], start + TimeDelta::days(270));
//! assert_eq!(ft.on_dates.addt[0], 40.0); // 10 days at 4 °C before day 130
//! assert_eq!(ft.on_dates.addf[0], 0.0); // before the freeze onset
//! assert_eq!(ft.years[0].max_ddt, 600.0);
//! # Ok::<(), era5_forcing::Error>(())
//! ```

pub mod accumulate;
pub mod cf_time;
pub mod daily;
pub mod degree_days;
mod error;
pub mod field;
pub mod harmonic;
mod kdtree;
pub mod lst;
pub mod merge;
pub mod onsets;
pub mod period;
#[cfg(feature = "netcdf")]
pub mod reader;
pub mod regrid;
pub mod time;

pub use accumulate::{deaccumulate, reaccumulate, Accumulation};
pub use daily::{
    daily_degree_days, daily_mean, daily_total, monthly_mean, DailyParams, DailySeries, DegreeDays,
    MonthlySeries,
};
pub use degree_days::{
    freeze_thaw, freeze_thaw_raster, FreezeThaw, FreezeThawRaster, OnDates, PermafrostYear,
};
pub use error::{Error, Result};
pub use field::{Era5Field, Grid, VariableKind, KELVIN_OFFSET};
pub use harmonic::{gap_fill_raster, harmonic_fit, GapFilledRaster, HarmonicFit, HarmonicParams};
pub use kdtree::{great_circle_distance, EARTH_RADIUS_M};
pub use lst::{
    composite_centres, composites_to_daily, daily_mean_lst, decode_modis_lst, sample_on_dates,
    DailyLstMethod, COMPOSITE_CENTRE_DAYS, MODIS_LST_SCALE,
};
pub use merge::merge_time;
pub use onsets::{detect_onsets, DayBoundary, OnsetParams, OnsetTiming, Onsets};
pub use period::{period_product, period_products, PeriodParams, PeriodProduct, ProductKind};
pub use regrid::{regrid_field, RegridMethod, Regridder};
pub use time::{Period, TimeResolution};
