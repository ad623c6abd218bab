//! The demo scene: a synthetic permafrost landscape with planted deformation,
//! written in the real file formats, with the truth beside it.
//!
//! [`generate`] builds, from a fixed seed ([`SceneParams::seed`], ChaCha8),
//! a scene of `rows × cols` pixels of about 90 m on a geographic (EPSG:4326)
//! grid near 70.3° N:
//!
//! * **Factors** (GeoTIFF, one per file, with units): a synthetic DEM and its
//!   slope and aspect (Horn, [`crate::terrain`]), dry bulk density (kg m⁻³),
//!   sand fraction, soil moisture θ (m³ m⁻³), NDVI, ground-ice content
//!   (volume fraction) and ground temperature (°C). Each is an independent
//!   smooth random field, except θ = 0.15 + 0.35·NDVI′ (wetter under denser
//!   vegetation; NDVI′ is NDVI scaled to 0–1).
//! * **Daily temperature** (°C, NetCDF `temperature_daily.nc`, variable `t`)
//!   on a coarser grid (`temperature_block` pixels per cell) from 1 January
//!   of the first year to the end of August after the last acquisition: a
//!   mean and an annual cosine whose level and phase vary smoothly in space
//!   (so thaw and freeze onsets vary), plus regional AR(1) weather.
//! * **Planted deformation** exactly as the PECM models it (SCIENCE.md §3):
//!   each pixel's forcing from its daily temperature
//!   ([`Forcing::from_daily_temperature`](permafrost_pecm::Forcing::from_daily_temperature)),
//!   r₀ = κ_f/κ_t from `thermo-johansen` with the pixel's soil and θ, and
//!   D = v·L + d·Î ([`Pecm::model`](permafrost_pecm::Pecm::model)) with
//!   - v (m per permafrost year, negative = subsidence) controlled by the
//!     ground-ice content: v = −(0.002 + 0.010·ice′ + 0.0015·T′) (ice′, T′
//!     the factors scaled to 0–1);
//!   - d (m) the Stefan subsidence of the active layer
//!     ((ρ_w/ρ_i − 1)·θ·Z, `thermo-johansen`) for the pixel's θ, soil and mean
//!     thawing degree days: controlled by θ, i.e. by NDVI.
//!
//!   A 3 × 3 "bedrock" patch around the reference pixel is stable (v = d = 0).
//! * **Three hotspots** (discs) with distinct temporal behaviour added on top:
//!   accelerating subsidence, a sudden slump (step) in August 2017, and frost
//!   heave of 25 mm/yr from June 2017.
//! * **Sentinel-1 schedule** from 2014-10-07 every 24 days until 2016-09-30,
//!   then every 12 days until the end of 2019; the network of the S-PECM
//!   study ([`NetworkParams`](insar_sbas::NetworkParams) defaults: ≤ 40 days
//!   and the 350–380 / 725–735-day windows).
//! * **Interferograms** (MintPy `ifgramStack.h5`, radians, φ = −(4π/λ)·ΔD)
//!   with turbulent atmosphere per acquisition, decorrelation noise growing
//!   with the temporal baseline and vegetation, and a few unwrapping errors
//!   (±2π over a rectangle).
//! * **ERA5-Land-like hourly forcing** (`era5land_hourly.nc`, current CDS
//!   layout: `valid_time` in seconds since 1970, latitude descending) on a
//!   0.1° grid: `t2m`, `skt` (K), `sd` (m of water equivalent).
//! * **Truth** under `truth/`: `linear_rate.tif`, `seasonal_amplitude.tif`
//!   (m), `r0.tif`, `hotspots.tif` (−1 background, 0/1/2) and `truth.json`
//!   (planted controlling factors, hotspot kinds and centres, unwrapping
//!   errors, reference pixel, seed).
//!
//! # Example
//!
//! ```no_run
//! use permafrost_insar::demo::{generate, SceneParams};
//! let scene = generate(std::path::Path::new("demo"), &SceneParams::small())?;
//! println!("{} interferograms", scene.n_interferograms);
//! # Ok::<(), permafrost_insar::Error>(())
//! ```

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use ndarray::{Array1, Array2, Array3, ArrayD, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::json;

use crate::error::{Error, Result};
use crate::io::geotiff::{self, Raster, SampleType};
use crate::io::mintpy::{self, IfgramStack};
use crate::io::nc::{NcData, NcWriter};
use crate::io::write_atomically;
use crate::terrain::{metres_per_degree, slope_aspect, Spacing};

/// Sentinel-1 C-band wavelength (m).
pub const WAVELENGTH: f64 = permafrost_pecm::SENTINEL1_WAVELENGTH;

/// Names of the factor rasters under `inputs/factors/` (without `.tif`),
/// with their units.
pub const FACTORS: [(&str, &str); 9] = [
    ("dem", "m"),
    ("slope", "degrees"),
    ("aspect", "degrees"),
    ("bulk_density", "kg m-3"),
    ("sand", "1"),
    ("soil_moisture", "m3 m-3"),
    ("ndvi", "1"),
    ("ground_ice", "1"),
    ("ground_temperature", "degC"),
];

/// The factor that controls the planted linear rate.
pub const RATE_FACTOR: &str = "ground_ice";
/// The factor that controls the planted seasonal amplitude.
pub const AMPLITUDE_FACTOR: &str = "ndvi";

/// Size and seed of a scene.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneParams {
    /// Rows (north–south pixels).
    pub rows: usize,
    /// Columns.
    pub cols: usize,
    /// Seed of the ChaCha8 generator.
    pub seed: u64,
    /// Pixels per cell of the daily-temperature grid.
    pub temperature_block: usize,
    /// Hotspot radius in pixels.
    pub hotspot_radius: f64,
    /// Number of interferograms that get an unwrapping error.
    pub unwrapping_errors: usize,
}

impl SceneParams {
    /// The demo scene of `cargo xtask demo`: 200 × 200 pixels.
    pub fn demo() -> Self {
        SceneParams {
            rows: 200,
            cols: 200,
            seed: 20_141_007,
            temperature_block: 10,
            hotspot_radius: 9.0,
            unwrapping_errors: 4,
        }
    }

    /// The smaller version of the same scene the CI tests use: 48 × 48.
    pub fn small() -> Self {
        SceneParams {
            rows: 48,
            cols: 48,
            seed: 20_141_007,
            temperature_block: 6,
            hotspot_radius: 4.5,
            unwrapping_errors: 2,
        }
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone)]
pub struct Scene {
    /// The scene folder.
    pub dir: PathBuf,
    /// Acquisition dates.
    pub dates: Vec<NaiveDate>,
    /// Number of interferograms.
    pub n_interferograms: usize,
    /// Reference pixel `(row, col)`.
    pub reference: (usize, usize),
    /// Planted linear rate (m per permafrost year), `(row, col)`.
    pub linear_rate: Array2<f64>,
    /// Planted seasonal amplitude (m).
    pub seasonal_amplitude: Array2<f64>,
    /// Hotspot labels (−1 background, 0, 1, 2).
    pub hotspots: Array2<i64>,
    /// Every file written.
    pub files: Vec<PathBuf>,
}

/// Hotspot kinds, in label order.
pub const HOTSPOT_KINDS: [&str; 3] = [
    "accelerating subsidence",
    "slump (step in August 2017)",
    "frost heave (from June 2017)",
];

/// The acquisition dates: every 24 days from 2014-10-07 to 2016-09-30, then
/// every 12 days to the end of 2019.
pub fn sentinel1_schedule() -> Vec<NaiveDate> {
    let mut d = NaiveDate::from_ymd_opt(2014, 10, 7).expect("valid date");
    let switch = NaiveDate::from_ymd_opt(2016, 9, 30).expect("valid date");
    let end = NaiveDate::from_ymd_opt(2019, 12, 31).expect("valid date");
    let mut out = Vec::new();
    while d <= end {
        out.push(d);
        d = d + Days::new(if d < switch { 24 } else { 12 });
    }
    out
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * PI * u2).cos()
}

/// A smooth random field scaled to [0, 1]: white noise on a coarse grid
/// (`scale` pixels per node), bilinear to full resolution, min–max scaled.
fn smooth_field(rng: &mut ChaCha8Rng, rows: usize, cols: usize, scale: f64) -> Array2<f64> {
    let nr = (rows as f64 / scale).ceil() as usize + 2;
    let nc = (cols as f64 / scale).ceil() as usize + 2;
    let coarse = Array2::from_shape_simple_fn((nr, nc), || normal(rng));
    let mut out = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let y = r as f64 / scale;
        let x = c as f64 / scale;
        let (i, j) = (y.floor() as usize, x.floor() as usize);
        let (fy, fx) = (y - i as f64, x - j as f64);
        // Smoothstep weights give a continuous gradient.
        let (wy, wx) = (fy * fy * (3.0 - 2.0 * fy), fx * fx * (3.0 - 2.0 * fx));
        (1.0 - wy) * ((1.0 - wx) * coarse[[i, j]] + wx * coarse[[i, j + 1]])
            + wy * ((1.0 - wx) * coarse[[i + 1, j]] + wx * coarse[[i + 1, j + 1]])
    });
    let (lo, hi) = out
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    out.mapv_inplace(|v| (v - lo) / span);
    out
}

/// Generates the scene into `dir` (`inputs/`, `truth/`), deterministically.
///
/// # Errors
/// Any error of writing the files, or of the model libraries (which would
/// be a bug in the generator).
pub fn generate(dir: &Path, params: &SceneParams) -> Result<Scene> {
    let (rows, cols) = (params.rows, params.cols);
    if rows < 24 || cols < 24 {
        return Err(Error::Invalid(format!(
            "demo scene: {rows}×{cols} pixels is too small (at least 24×24)"
        )));
    }
    let inputs = dir.join("inputs");
    let factors_dir = inputs.join("factors");
    let truth_dir = dir.join("truth");
    for d in [&inputs, &factors_dir, &truth_dir] {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut files = Vec::new();

    // Grid: geographic, ~90 m pixels near 70.3° N.
    let lat0 = 70.35;
    let (m_lon, m_lat) = metres_per_degree(lat0 - 0.5 * rows as f64 * 90.0 / 111_000.0);
    let (dx, dy) = (90.0 / m_lon, -90.0 / m_lat);
    let lon0 = -148.90;
    let gt = [lon0, dx, 0.0, lat0, 0.0, dy];
    let wkt = geotiff::wkt_from_epsg(4326)?;
    let lat_of = |r: f64| lat0 + (r + 0.5) * dy;
    let lon_of = |c: f64| lon0 + (c + 0.5) * dx;

    // Factors.
    let s = rows.min(cols) as f64;
    let dem = smooth_field(&mut rng, rows, cols, s / 4.0) * 250.0
        + smooth_field(&mut rng, rows, cols, s / 12.0) * 40.0
        + 120.0;
    let sa = slope_aspect(dem.view(), gt, Spacing::Geographic)?;
    let aspect = sa.aspect_deg.mapv(|a| if a.is_nan() { 0.0 } else { a });
    let bulk_density = smooth_field(&mut rng, rows, cols, s / 5.0) * 400.0 + 1100.0;
    let sand = smooth_field(&mut rng, rows, cols, s / 5.0) * 0.4 + 0.2;
    let ndvi_n = smooth_field(&mut rng, rows, cols, s / 5.0);
    let ndvi = ndvi_n.mapv(|v| 0.2 + 0.6 * v);
    let theta = ndvi_n.mapv(|v| 0.15 + 0.35 * v);
    let ice_n = smooth_field(&mut rng, rows, cols, s / 5.0);
    let ground_ice = ice_n.mapv(|v| 0.05 + 0.55 * v);
    let gt_n = smooth_field(&mut rng, rows, cols, s / 5.0);
    let ground_temperature = gt_n.mapv(|v| -6.0 + 5.0 * v);
    let factor_values: Vec<(&str, &str, &Array2<f64>)> = vec![
        ("dem", "m", &dem),
        ("slope", "degrees", &sa.slope_deg),
        ("aspect", "degrees", &aspect),
        ("bulk_density", "kg m-3", &bulk_density),
        ("sand", "1", &sand),
        ("soil_moisture", "m3 m-3", &theta),
        ("ndvi", "1", &ndvi),
        ("ground_ice", "1", &ground_ice),
        ("ground_temperature", "degC", &ground_temperature),
    ];
    for (name, units, values) in &factor_values {
        let p = factors_dir.join(format!("{name}.tif"));
        let mut r = Raster::single((*values).clone(), gt, wkt.clone());
        r.band_names = vec![(*name).to_string()];
        geotiff::write_geotiff_with_units(&p, &r, SampleType::Float32, &[(*units).to_string()])?;
        files.push(p);
    }

    // Daily temperature on a coarse grid.
    let dates = sentinel1_schedule();
    let t_start = NaiveDate::from_ymd_opt(dates[0].year(), 1, 1).expect("valid date");
    let t_end =
        NaiveDate::from_ymd_opt(dates[dates.len() - 1].year() + 1, 8, 31).expect("valid date");
    let n_days = (t_end - t_start).num_days() as usize + 1;
    let block = params.temperature_block.max(1);
    let (tr, tc) = (rows.div_ceil(block), cols.div_ceil(block));
    let level = smooth_field(&mut rng, tr, tc, 3.0_f64.max(tr as f64 / 2.0));
    let phase = smooth_field(&mut rng, tr, tc, 3.0_f64.max(tr as f64 / 2.0));
    let mut weather = vec![0.0; n_days];
    let mut w = 0.0;
    for x in &mut weather {
        w = 0.75 * w + 2.0 * normal(&mut rng);
        *x = w;
    }
    let mut temperature = Array3::<f32>::zeros((n_days, tr, tc));
    for i in 0..tr {
        for j in 0..tc {
            let mean = -8.5 + 1.5 * level[[i, j]];
            let peak = 192.0 + 16.0 * phase[[i, j]];
            for (k, wk) in weather.iter().enumerate() {
                let day = t_start + Days::new(k as u64);
                let doy = f64::from(day.ordinal());
                let local = 0.6 * normal(&mut rng);
                let t = mean + 17.0 * (2.0 * PI * (doy - peak) / 365.25).cos() + wk + local;
                temperature[[k, i, j]] = t as f32;
            }
        }
    }
    let t_lat: Vec<f64> = (0..tr)
        .map(|i| lat_of((i * block) as f64 + 0.5 * (block as f64 - 1.0)))
        .collect();
    let t_lon: Vec<f64> = (0..tc)
        .map(|j| lon_of((j * block) as f64 + 0.5 * (block as f64 - 1.0)))
        .collect();
    let t_path = inputs.join("temperature_daily.nc");
    NcWriter::new()
        .dimension("time", n_days)
        .dimension("lat", tr)
        .dimension("lon", tc)
        .variable(
            "time",
            &["time"],
            NcData::F64(
                ArrayD::from_shape_vec(vec![n_days], (0..n_days).map(|k| k as f64).collect())
                    .map_err(shape_err)?,
            ),
        )
        .attr(
            "time",
            "units",
            format!("days since {} 00:00:00", t_start.format("%Y-%m-%d")).as_str(),
        )
        .attr("time", "calendar", "standard")
        .variable(
            "lat",
            &["lat"],
            NcData::F64(Array1::from(t_lat.clone()).into_dyn()),
        )
        .attr("lat", "units", "degrees_north")
        .variable(
            "lon",
            &["lon"],
            NcData::F64(Array1::from(t_lon.clone()).into_dyn()),
        )
        .attr("lon", "units", "degrees_east")
        .variable(
            "t",
            &["time", "lat", "lon"],
            NcData::F32(temperature.clone().into_dyn()),
        )
        .attr("t", "units", "degC")
        .attr("t", "long_name", "daily mean ground-surface temperature")
        .global("Conventions", "CF-1.8")
        .global("source", "permafrost-insar demo scene (synthetic)")
        .write(&t_path)?;
    files.push(t_path);

    // Forcing per temperature cell, r0 and the planted model per pixel.
    let onset = permafrost_pecm::OnsetParams::new();
    let cell_forcing: Vec<permafrost_pecm::Forcing> = (0..tr * tc)
        .into_par_iter()
        .map(|k| {
            let series: Vec<f64> = temperature
                .slice(ndarray::s![.., k / tc, k % tc])
                .iter()
                .map(|&v| f64::from(v))
                .collect();
            permafrost_pecm::Forcing::from_daily_temperature(t_start, &series, &onset)
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::Invalid(format!("demo scene: temperature forcing: {e}")))?;
    let johansen = thermo_johansen::Johansen::default();
    let pecm = permafrost_pecm::Params::new()
        .build()
        .map_err(|e| Error::Invalid(format!("demo scene: {e}")))?;
    let reference = (3usize, 3usize);
    let stable = |r: usize, c: usize| r.abs_diff(reference.0) <= 1 && c.abs_diff(reference.1) <= 1;
    let pixels: Vec<(f64, f64, f64, Vec<f64>)> = (0..rows * cols)
        .into_par_iter()
        .map(|k| -> Result<(f64, f64, f64, Vec<f64>)> {
            let (r, c) = (k / cols, k % cols);
            let forcing = &cell_forcing[(r / block) * tc + c / block];
            let soil = thermo_johansen::Soil::new(bulk_density[[r, c]], sand[[r, c]]);
            let th = theta[[r, c]];
            let kk = johansen
                .conductivities(&soil, th, th)
                .map_err(|e| Error::Invalid(format!("demo scene: pixel ({r}, {c}): {e}")))?;
            let complete: Vec<f64> = forcing
                .cycles()
                .iter()
                .filter(|cy| cy.is_complete())
                .map(|cy| cy.addt_end)
                .collect();
            let ddt = complete.iter().sum::<f64>() / complete.len().max(1) as f64;
            let stefan = johansen
                .stefan(&soil, th, ddt)
                .map_err(|e| Error::Invalid(format!("demo scene: pixel ({r}, {c}): {e}")))?;
            let (v, d) = if stable(r, c) {
                (0.0, 0.0)
            } else {
                (
                    -(0.002 + 0.010 * ice_n[[r, c]] + 0.0015 * gt_n[[r, c]]),
                    stefan.subsidence,
                )
            };
            let bases = pecm
                .bases(forcing, &dates, kk.ratio)
                .map_err(|e| Error::Invalid(format!("demo scene: pixel ({r}, {c}): {e}")))?;
            let model = pecm
                .model(&bases, v, d)
                .map_err(|e| Error::Invalid(format!("demo scene: pixel ({r}, {c}): {e}")))?;
            Ok((v, d, kk.ratio, model))
        })
        .collect::<Result<_>>()?;
    let nt = dates.len();
    let mut displacement = Array3::<f64>::zeros((nt, rows, cols));
    let mut linear_rate = Array2::<f64>::zeros((rows, cols));
    let mut amplitude = Array2::<f64>::zeros((rows, cols));
    let mut r0 = Array2::<f64>::zeros((rows, cols));
    for (k, (v, d, ratio, model)) in pixels.iter().enumerate() {
        let (r, c) = (k / cols, k % cols);
        linear_rate[[r, c]] = *v;
        amplitude[[r, c]] = *d;
        r0[[r, c]] = *ratio;
        for (t, m) in model.iter().enumerate() {
            displacement[[t, r, c]] = *m;
        }
    }

    // Hotspots.
    let years: Vec<f64> = dates
        .iter()
        .map(|d| (*d - dates[0]).num_days() as f64 / 365.25)
        .collect();
    let span = years[nt - 1];
    let slump = NaiveDate::from_ymd_opt(2017, 8, 1).expect("valid date");
    let heave_start = (NaiveDate::from_ymd_opt(2017, 6, 1).expect("valid date") - dates[0])
        .num_days() as f64
        / 365.25;
    let centres = [
        (0.30 * rows as f64, 0.70 * cols as f64),
        (0.72 * rows as f64, 0.28 * cols as f64),
        (0.70 * rows as f64, 0.74 * cols as f64),
    ];
    let radius = params.hotspot_radius;
    let mut hotspots = Array2::<i64>::from_elem((rows, cols), -1);
    for (h, &(cy, cx)) in centres.iter().enumerate() {
        for r in 0..rows {
            for c in 0..cols {
                let dist = ((r as f64 - cy).powi(2) + (c as f64 - cx).powi(2)).sqrt();
                if dist > radius {
                    continue;
                }
                let wgt = 1.0;
                hotspots[[r, c]] = h as i64;
                for t in 0..nt {
                    let extra = match h {
                        0 => -0.08 * (years[t] / span).powi(2),
                        1 => {
                            if dates[t] >= slump {
                                -0.05
                            } else {
                                0.0
                            }
                        }
                        _ => 0.025 * (years[t] - heave_start).max(0.0),
                    };
                    displacement[[t, r, c]] += wgt * extra;
                }
            }
        }
    }

    // Network and interferograms.
    let selection = insar_sbas::NetworkParams::new()
        .build()
        .and_then(|rule| rule.select(&dates, None))
        .map_err(|e| Error::Invalid(format!("demo scene: network: {e}")))?;
    let pairs: Vec<(usize, usize)> = selection
        .network
        .pairs()
        .iter()
        .map(|p| p.ordered())
        .collect();
    let m = pairs.len();
    // Turbulent atmosphere per acquisition (rad), zero at the reference.
    let mut atmosphere = Array3::<f64>::zeros((nt, rows, cols));
    for t in 0..nt {
        let f = smooth_field(&mut rng, rows, cols, s / 6.0);
        let sd = 0.25 + 0.25 * rng.random::<f64>();
        let mean = f.mean().unwrap_or(0.0);
        atmosphere
            .index_axis_mut(Axis(0), t)
            .assign(&f.mapv(|v| (v - mean) * 4.0 * sd));
    }
    let k4 = -4.0 * PI / WAVELENGTH;
    // Coherence falls with vegetation; the bedrock patch at the reference is
    // coherent.
    let mut base_coherence = ndvi_n.mapv(|v| 0.92 - 0.35 * v);
    for r in 0..rows {
        for c in 0..cols {
            if stable(r, c) {
                base_coherence[[r, c]] = 0.99;
            }
        }
    }
    let mut unwrap = Array3::<f32>::zeros((m, rows, cols));
    let mut coherence = Array3::<f32>::zeros((m, rows, cols));
    let seeds: Vec<u64> = (0..m).map(|_| rng.random()).collect();
    let ifgs: Vec<(Array2<f32>, Array2<f32>)> = (0..m)
        .into_par_iter()
        .map(|k| {
            let (i, j) = pairs[k];
            let days = (dates[j] - dates[i]).num_days() as f64;
            let mut local = ChaCha8Rng::seed_from_u64(seeds[k]);
            let mut ph = Array2::<f32>::zeros((rows, cols));
            let mut co = Array2::<f32>::zeros((rows, cols));
            for r in 0..rows {
                for c in 0..cols {
                    let g = if stable(r, c) {
                        0.99
                    } else {
                        (base_coherence[[r, c]] * (-days / 400.0).exp()).max(0.25)
                    };
                    let sigma = 0.6 * (1.0 - g * g).sqrt() / g;
                    let phase = k4 * (displacement[[j, r, c]] - displacement[[i, r, c]])
                        + atmosphere[[j, r, c]]
                        - atmosphere[[i, r, c]]
                        + sigma.min(0.9) * normal(&mut local);
                    ph[[r, c]] = phase as f32;
                    co[[r, c]] = g as f32;
                }
            }
            (ph, co)
        })
        .collect();
    for (k, (ph, co)) in ifgs.into_iter().enumerate() {
        unwrap.index_axis_mut(Axis(0), k).assign(&ph);
        coherence.index_axis_mut(Axis(0), k).assign(&co);
    }
    // Unwrapping errors: ±2π over a rectangle away from the reference.
    let mut unwrapping = Vec::new();
    for _ in 0..params.unwrapping_errors {
        let k = rng.random_range(0..m);
        let r0_ = rng.random_range(rows / 3..rows - rows / 4);
        let c0_ = rng.random_range(cols / 3..cols - cols / 4);
        let (h, w) = (rows / 6, cols / 5);
        let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
        for r in r0_..(r0_ + h).min(rows) {
            for c in c0_..(c0_ + w).min(cols) {
                unwrap[[k, r, c]] += (sign * 2.0 * PI) as f32;
            }
        }
        unwrapping.push(json!({
            "interferogram": k,
            "pair": [dates[pairs[k].0].to_string(), dates[pairs[k].1].to_string()],
            "rows": [r0_, (r0_ + h).min(rows)],
            "cols": [c0_, (c0_ + w).min(cols)],
            "cycles": sign,
        }));
    }
    let mut attributes = BTreeMap::new();
    for (k, v) in [
        ("WAVELENGTH", format!("{WAVELENGTH}")),
        ("X_FIRST", format!("{lon0}")),
        ("Y_FIRST", format!("{lat0}")),
        ("X_STEP", format!("{dx}")),
        ("Y_STEP", format!("{dy}")),
        ("X_UNIT", "degrees".to_string()),
        ("Y_UNIT", "degrees".to_string()),
        ("EPSG", "4326".to_string()),
        ("REF_Y", reference.0.to_string()),
        ("REF_X", reference.1.to_string()),
        ("UNIT", "radian".to_string()),
        ("PLATFORM", "Sen".to_string()),
        ("PROCESSOR", "permafrost-insar demo".to_string()),
    ] {
        attributes.insert(k.to_string(), v);
    }
    let stack = IfgramStack {
        date_pairs: pairs.iter().map(|&(i, j)| (dates[i], dates[j])).collect(),
        unwrap_phase: unwrap,
        coherence,
        bperp: vec![0.0; m],
        keep: vec![true; m],
        attributes,
    };
    let stack_path = inputs.join("ifgramStack.h5");
    mintpy::write_ifgram_stack(&stack_path, &stack)?;
    files.push(stack_path);

    // ERA5-Land-like hourly forcing on a 0.1° grid covering the scene.
    let era5 = write_era5(
        &inputs, &mut rng, &gt, rows, cols, t_start, &dates, &weather,
    )?;
    files.push(era5);

    // Truth.
    for (name, units, values) in [
        ("linear_rate", "m/yr", &linear_rate),
        ("seasonal_amplitude", "m", &amplitude),
        ("r0", "1", &r0),
        ("hotspots", "1", &hotspots.mapv(|v| v as f64)),
    ] {
        let p = truth_dir.join(format!("{name}.tif"));
        let mut r = Raster::single(values.clone(), gt, wkt.clone());
        r.band_names = vec![name.to_string()];
        geotiff::write_geotiff_with_units(&p, &r, SampleType::Float64, &[units.to_string()])?;
        files.push(p);
    }
    let truth = json!({
        "seed": params.seed,
        "rows": rows,
        "cols": cols,
        "geotransform": gt,
        "wavelength_m": WAVELENGTH,
        "dates": dates.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "n_interferograms": m,
        "reference_pixel": [reference.0, reference.1],
        "stable_patch": "3 × 3 pixels around the reference (v = d = 0)",
        "controlling_factor": { "linear_rate": RATE_FACTOR, "seasonal_amplitude": AMPLITUDE_FACTOR },
        "linear_rate_model": "v = -(0.002 + 0.010 ice' + 0.0015 T') m/yr, ice' and T' scaled to 0-1",
        "seasonal_amplitude_model": "Stefan subsidence (rho_w/rho_i - 1) theta Z of thermo-johansen with theta = 0.15 + 0.35 NDVI' and the mean complete-cycle ADDT",
        "hotspots": centres.iter().enumerate().map(|(h, (cy, cx))| json!({
            "label": h, "kind": HOTSPOT_KINDS[h], "centre_row": cy, "centre_col": cx, "radius_px": radius,
        })).collect::<Vec<_>>(),
        "unwrapping_errors": unwrapping,
    });
    let tj = truth_dir.join("truth.json");
    let text = serde_json::to_string_pretty(&truth)
        .map_err(|e| Error::Invalid(format!("truth.json: {e}")))?;
    write_atomically(&tj, |tmp| {
        std::fs::write(tmp, &text).map_err(|e| Error::io(tmp, e))
    })?;
    files.push(tj);

    Ok(Scene {
        dir: dir.to_path_buf(),
        dates,
        n_interferograms: m,
        reference,
        linear_rate,
        seasonal_amplitude: amplitude,
        hotspots,
        files,
    })
}

fn shape_err(e: ndarray::ShapeError) -> Error {
    Error::Invalid(format!("demo scene: {e}"))
}

#[allow(clippy::too_many_arguments)]
fn write_era5(
    inputs: &Path,
    rng: &mut ChaCha8Rng,
    gt: &[f64; 6],
    rows: usize,
    cols: usize,
    t_start: NaiveDate,
    dates: &[NaiveDate],
    weather: &[f64],
) -> Result<PathBuf> {
    let lat_top = (gt[3] * 10.0).ceil() / 10.0 + 0.1;
    let lat_bottom = ((gt[3] + rows as f64 * gt[5]) * 10.0).floor() / 10.0 - 0.1;
    let lon_left = (gt[0] * 10.0).floor() / 10.0 - 0.1;
    let lon_right = ((gt[0] + cols as f64 * gt[1]) * 10.0).ceil() / 10.0 + 0.1;
    let nlat = ((lat_top - lat_bottom) * 10.0).round() as usize + 1;
    let nlon = ((lon_right - lon_left) * 10.0).round() as usize + 1;
    let lat: Vec<f64> = (0..nlat)
        .map(|i| ((lat_top - 0.1 * i as f64) * 10.0).round() / 10.0)
        .collect();
    let lon: Vec<f64> = (0..nlon)
        .map(|j| ((lon_left + 0.1 * j as f64) * 10.0).round() / 10.0)
        .collect();
    let end = NaiveDate::from_ymd_opt(dates[dates.len() - 1].year(), 12, 31).expect("valid date");
    let n_hours = ((end - t_start).num_days() as usize + 1) * 24;
    let offsets: Vec<f64> = (0..nlat * nlon).map(|_| normal(rng)).collect();
    let mut t2m = Array3::<f32>::zeros((n_hours, nlat, nlon));
    let mut skt = Array3::<f32>::zeros((n_hours, nlat, nlon));
    let mut sd = Array3::<f32>::zeros((n_hours, nlat, nlon));
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let t0 = (t_start - epoch).num_seconds();
    let mut time = Vec::with_capacity(n_hours);
    for h in 0..n_hours {
        time.push((t0 + 3600 * h as i64) as f64);
        let day = h / 24;
        let date = t_start + Days::new(day as u64);
        let doy = f64::from(date.ordinal());
        let hour = (h % 24) as f64;
        let w = weather.get(day).copied().unwrap_or(0.0);
        for i in 0..nlat {
            for j in 0..nlon {
                let off = offsets[i * nlon + j];
                let seasonal =
                    -9.0 + 0.8 * off + 18.0 * (2.0 * PI * (doy - 198.0 - 3.0 * off) / 365.25).cos();
                let diurnal = 3.0 * (2.0 * PI * (hour - 14.0) / 24.0).cos();
                let t = seasonal + diurnal + w;
                t2m[[h, i, j]] = (t + 273.15) as f32;
                skt[[h, i, j]] = (t + 273.15 + 0.5 * diurnal + 1.0) as f32;
                // Snow from the first sustained frost to the thaw.
                let snow = if !((120.0 + 8.0 * off)..=(290.0 - 8.0 * off)).contains(&doy) {
                    0.05 + 0.1
                        * (1.0 + off.tanh())
                        * (if doy > 290.0 { doy - 290.0 } else { doy + 75.0 })
                        / 195.0
                } else {
                    0.0
                };
                sd[[h, i, j]] = snow as f32;
            }
        }
    }
    let path = inputs.join("era5land_hourly.nc");
    NcWriter::new()
        .dimension("valid_time", n_hours)
        .dimension("latitude", nlat)
        .dimension("longitude", nlon)
        .variable(
            "valid_time",
            &["valid_time"],
            NcData::F64(Array1::from(time).into_dyn()),
        )
        .attr("valid_time", "units", "seconds since 1970-01-01")
        .attr("valid_time", "calendar", "proleptic_gregorian")
        .variable(
            "latitude",
            &["latitude"],
            NcData::F64(Array1::from(lat).into_dyn()),
        )
        .attr("latitude", "units", "degrees_north")
        .variable(
            "longitude",
            &["longitude"],
            NcData::F64(Array1::from(lon).into_dyn()),
        )
        .attr("longitude", "units", "degrees_east")
        .variable(
            "t2m",
            &["valid_time", "latitude", "longitude"],
            NcData::F32(t2m.into_dyn()),
        )
        .attr("t2m", "units", "K")
        .attr("t2m", "long_name", "2 metre temperature")
        .variable(
            "skt",
            &["valid_time", "latitude", "longitude"],
            NcData::F32(skt.into_dyn()),
        )
        .attr("skt", "units", "K")
        .attr("skt", "long_name", "Skin temperature")
        .variable(
            "sd",
            &["valid_time", "latitude", "longitude"],
            NcData::F32(sd.into_dyn()),
        )
        .attr("sd", "units", "m of water equivalent")
        .attr("sd", "long_name", "Snow depth")
        .global("Conventions", "CF-1.7")
        .global(
            "source",
            "permafrost-insar demo scene (synthetic ERA5-Land-like)",
        )
        .write(&path)?;
    Ok(path)
}

/// The permafrost study file of the demo (paths relative to the scene folder).
pub const PERMAFROST_STUDY: &str = r#"# The S-PECM study on the demo scene: SBAS -> forcing -> PECM -> statistics.
kind = "permafrost"
title = "Demo scene: permafrost deformation (SBAS + PECM)"
output = "out/permafrost"

[sbas]
stack = "inputs/ifgramStack.h5"
units = "radian"
method = "l2"

[forcing]
temperature = "inputs/temperature_daily.nc"
variable = "t"
units = "degC"

[pecm]
bulk_density = "inputs/factors/bulk_density.tif"
sand = "inputs/factors/sand.tif"
soil_moisture = "inputs/factors/soil_moisture.tif"
units = "mm"

[statistics]
classes = 5
method = "quantile"
max_residual_rms = 6.0

[statistics.factors]
slope = "inputs/factors/slope.tif"
aspect = "inputs/factors/aspect.tif"
bulk_density = "inputs/factors/bulk_density.tif"
sand = "inputs/factors/sand.tif"
ndvi = "inputs/factors/ndvi.tif"
ground_ice = "inputs/factors/ground_ice.tif"
ground_temperature = "inputs/factors/ground_temperature.tif"

[report]
truth = "truth"
"#;

/// The hotspot study file of the demo (runs on the permafrost study's SBAS
/// time series).
pub const HOTSPOT_STUDY: &str = r#"# The S-HOTSPOT study on the demo scene's SBAS time series.
kind = "hotspots"
title = "Demo scene: deformation hotspots"
output = "out/hotspots"

[input]
timeseries = "out/permafrost/sbas/timeseries.h5"
units = "m"

[cluster]
k = 6
eps_px = 1.5
min_samples = 5
min_size = 10
min_displacement = 0.03

# The bidirectional LSTM (needs `--features lstm`, which `cargo xtask demo`
# turns on): small but real settings so that the demo stays fast.
[classifier]
epochs = 5
units = [32, 16]
dropout = 0.2
max_samples_per_class = 300
test_fraction = 0.2
seed = 1

[report]
truth = "truth"
"#;

/// The upscaling study file of the demo (runs on the permafrost study's
/// linear rate, leaving out the hotspot study's hotspots).
pub const UPSCALING_STUDY: &str = r#"# The S-UPSCALE study on the demo scene's recovered linear rate.
kind = "upscaling"
title = "Demo scene: distribution-based upscaling"
output = "out/upscaling"

[input]
rates = "out/permafrost/pecm/linear_rate.tif"
units = "mm/yr"
era5 = "inputs/era5land_hourly.nc"
exclude = "out/hotspots/cluster/hotspots.tif"

[input.factors]
slope = "inputs/factors/slope.tif"
ground_ice = "inputs/factors/ground_ice.tif"
ndvi = "inputs/factors/ndvi.tif"

[upscale]
cell_km = 1.0
bins = 20
range = [-16.0, 0.0]
min_count = 30

[cluster]
k = 3
seed = 1
"#;

/// Writes the demo's study files into `dir`: `permafrost.toml`,
/// `hotspots.toml`, `upscaling.toml`.
///
/// # Errors
/// Any error of writing.
pub fn write_study_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for (name, text) in [
        ("permafrost.toml", PERMAFROST_STUDY),
        ("hotspots.toml", HOTSPOT_STUDY),
        ("upscaling.toml", UPSCALING_STUDY),
    ] {
        let p = dir.join(name);
        write_atomically(&p, |tmp| {
            std::fs::write(tmp, text).map_err(|e| Error::io(tmp, e))
        })?;
        out.push(p);
    }
    Ok(out)
}
