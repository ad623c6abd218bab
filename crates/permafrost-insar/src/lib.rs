//! # permafrost-insar
//!
//! The facade of the permafrost-insar workspace: one dependency that brings
//! the algorithm crates, the file I/O they leave out on purpose (GeoTIFF,
//! NetCDF, HDF5 / MintPy, MATLAB), the study pipelines and the
//! `permafrost-insar` command line.
//!
//! | re-export | crate | what it owns |
//! |---|---|---|
//! | [`thermo`] | `thermo-johansen` | Johansen soil thermal conductivity, Stefan solution |
//! | [`forcing`] | `era5-forcing` | ERA5(-Land) and MODIS LST processing, degree days, onsets |
//! | [`pecm`] | `permafrost-pecm` | the piecewise elevation change model |
//! | [`sbas`] | `insar-sbas` | small-baseline networks and time-series inversion |
//! | [`upscale`] | `upscale-dist` | geodesic grids and per-cell distributions |
//! | [`cluster`] | `cluster-ts` | k-means, DBSCAN, hotspots, LSTM classifier |
//! | [`stats`] | `geo-stats` | geographical detector, correlation, KS tests |
//!
//! File formats ([`io`]) are recognised by content, not by extension:
//!
//! | format | read | write | through |
//! |---|---|---|---|
//! | GeoTIFF | bands, CRS, geotransform, nodata → `NaN` | Float32 / Float64, atomic | GDAL |
//! | NetCDF 3 / 4 | CF decoding (packing, fill values, time units, 1-D / 2-D lat-lon) | CF-NetCDF, atomic | netCDF-C |
//! | HDF5 | datasets, attributes, MintPy `ifgramStack.h5` | MintPy `ifgramStack.h5` | HDF5 |
//! | MATLAB v7.3 | numeric / logical / char arrays, MATLAB orientation | — | HDF5 |
//! | MATLAB v5 | numeric / logical / char arrays, compressed elements | `double` arrays | pure Rust |
//! | HDF4 (MODIS) | subdatasets | — | GDAL |
//! | CSV | numeric columns, blanks → `NaN` | — | `csv` |
//!
//! # Features: choosing a LAPACK
//!
//! `ndarray-linalg` lets the *application* pick the LAPACK; the algorithm
//! crates enable none. This crate forwards the choice:
//!
//! | feature | default | LAPACK |
//! |---|---|---|
//! | `openblas-system` | yes | the system's OpenBLAS (Debian: `libopenblas-dev`) |
//! | `netlib-system` | no | the system's reference LAPACK (`liblapack-dev`) |
//! | `intel-mkl-static` | no | Intel MKL, linked statically |
//!
//! The three are mutually exclusive: use `default-features = false` with one
//! of the others.
//!
//! The feature `lstm` (off by default) forwards `cluster-ts/lstm`: the
//! bidirectional-LSTM hotspot classifier (candle, pure Rust) and the
//! command-line option `hotspots --classify`.
//!
//! # Example
//!
//! ```
//! use permafrost_insar::io::{describe, Format};
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("stations.csv");
//! std::fs::write(&path, "ID,LAT,LON,2019\nU1,71.32,-156.60,45\nU2,71.32,-156.58,\n")?;
//! let info = describe(&path)?;
//! assert_eq!(info.format, Format::Csv);
//! assert_eq!(info.variables[3].name, "2019");
//! assert_eq!(info.variables[3].n_missing, Some(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod demo;
pub mod equal_area;
pub mod error;
pub mod figures;
pub mod io;
pub mod mask;
pub mod pipeline;
pub mod profile;
pub mod progress;
pub mod report;
pub mod terrain;

pub use error::{Error, Result};

pub use cluster_ts as cluster;
pub use era5_forcing as forcing;
pub use geo_stats as stats;
pub use insar_sbas as sbas;
pub use permafrost_pecm as pecm;
pub use thermo_johansen as thermo;
pub use upscale_dist as upscale;
