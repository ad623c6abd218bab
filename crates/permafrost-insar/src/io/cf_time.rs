//! CF time units (`<unit> since <reference>`) and integer `YYYYMMDD` axes:
//! the parser of `era5-forcing` ([`era5_forcing::cf_time`]), which every
//! NetCDF time axis the facade reads goes through.

pub use era5_forcing::cf_time::{check_calendar, decode_yyyymmdd, TimeUnits};
