//! ERA5 / ERA5-Land and MODIS land-surface-temperature processing: daily
//! means, thawing and freezing degree days, freeze–thaw onsets and the period
//! products that the upscaling study correlates with deformation.
//!
//! # What this crate owns
//!
//! * Readers for both ERA5(-Land) NetCDF layouts (the older `time` in hours
//!   since 1900 with packed `short` values, and the newer `valid_time` in
//!   seconds since 1970 with `number`/`expver`), any dimension order, either
//!   longitude convention, merged along time like `cdo mergetime`.
//! * De-accumulation of accumulated variables, daily statistics, degree days.
//! * Period products, regridding (nearest by great-circle distance as
//!   `cdo remapnn`, inverse-distance `cdo remapdis`, cell means).
//! * MODIS 8-day LST gap filling by harmonic analysis, thaw and freeze onsets,
//!   ADDT / ADDF on the SAR acquisition dates.
//!
//! The computations work on arrays and need no native library; reading
//! NetCDF files needs the `netcdf` feature (libnetcdf from the system).
//!
//! # Features
//!
//! | feature  | default | what it adds                                  |
//! |----------|---------|-----------------------------------------------|
//! | `netcdf` | no      | file readers through the system's libnetcdf   |
//!
//! *Status:* workspace skeleton; the API above is being built under the
//! issue "\[2\] thermo-johansen and era5-forcing".
