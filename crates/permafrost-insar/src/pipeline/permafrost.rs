//! The permafrost study: SBAS → forcing → PECM → statistics → report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use ndarray::{Array2, Array3, Axis};
use rayon::prelude::*;
use serde_json::{json, Value};

use super::config::{length_scale, PermafrostStudy};
use super::{Context, Progress, StageResult, StageSpec};
use crate::error::{Error, Result};
use crate::io::geotiff::{self, Raster, SampleType};
use crate::io::{h5, mintpy, nc, write_atomically};
use crate::pecm::{Forcing, OnsetParams, PerPixel};

/// A grid: geotransform and CRS.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    pub gt: [f64; 6],
    pub wkt: String,
    pub rows: usize,
    pub cols: usize,
}

impl Grid {
    /// From MintPy attributes (`X_FIRST`, `X_STEP`, `Y_FIRST`, `Y_STEP`, `EPSG`).
    pub fn from_attributes(
        path: &Path,
        attrs: &BTreeMap<String, String>,
        rows: usize,
        cols: usize,
    ) -> Result<Grid> {
        let get = |k: &str| {
            attrs
                .get(k)
                .and_then(|v| v.trim().parse::<f64>().ok())
                .ok_or_else(|| {
                    Error::format(
                        path,
                        format!("attribute {k} missing: the stack must be geocoded"),
                    )
                })
        };
        let epsg = attrs
            .get("EPSG")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(4326);
        Ok(Grid {
            gt: [
                get("X_FIRST")?,
                get("X_STEP")?,
                0.0,
                get("Y_FIRST")?,
                0.0,
                get("Y_STEP")?,
            ],
            wkt: geotiff::wkt_from_epsg(epsg)?,
            rows,
            cols,
        })
    }

    /// Pixel size in metres (geographic grids: at the centre latitude).
    pub fn pixel_size_m(&self) -> f64 {
        if self.gt[1].abs() < 1.0 {
            let lat = self.gt[3] + 0.5 * self.rows as f64 * self.gt[5];
            let (mx, my) = crate::terrain::metres_per_degree(lat);
            0.5 * (self.gt[1].abs() * mx + self.gt[5].abs() * my)
        } else {
            self.gt[1].abs()
        }
    }

    pub fn lat(&self, r: usize) -> f64 {
        self.gt[3] + (r as f64 + 0.5) * self.gt[5]
    }

    pub fn lon(&self, c: usize) -> f64 {
        self.gt[0] + (c as f64 + 0.5) * self.gt[1]
    }
}

/// Writes one band with a unit.
pub(crate) fn write_band(
    path: &Path,
    grid: &Grid,
    name: &str,
    units: &str,
    values: &Array2<f64>,
) -> Result<PathBuf> {
    let mut r = Raster::single(values.clone(), grid.gt, grid.wkt.clone());
    r.band_names = vec![name.to_string()];
    geotiff::write_geotiff_with_units(path, &r, SampleType::Float32, &[units.to_string()])?;
    Ok(path.to_path_buf())
}

/// Reads band 1 of a raster, requiring the grid's shape.
pub(crate) fn read_band(path: &Path, grid: &Grid, what: &str) -> Result<Array2<f64>> {
    let r = geotiff::read_raster(path)?;
    if r.shape() != (grid.rows, grid.cols) {
        return Err(Error::format(
            path,
            format!(
                "{what}: {}×{} pixels, but the study grid is {}×{}",
                r.shape().0,
                r.shape().1,
                grid.rows,
                grid.cols
            ),
        ));
    }
    Ok(r.band(0).to_owned())
}

/// Writes JSON atomically.
pub(crate) fn write_json(path: &Path, v: &Value) -> Result<PathBuf> {
    let text = serde_json::to_string_pretty(v)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    write_atomically(path, |tmp| {
        std::fs::write(tmp, &text).map_err(|e| Error::io(tmp, e))
    })?;
    Ok(path.to_path_buf())
}

/// Writes text atomically.
pub(crate) fn write_text(path: &Path, text: &str) -> Result<PathBuf> {
    write_atomically(path, |tmp| {
        std::fs::write(tmp, text).map_err(|e| Error::io(tmp, e))
    })?;
    Ok(path.to_path_buf())
}

fn stack_path(s: &PermafrostStudy) -> Result<PathBuf> {
    s.src.path("sbas.stack", &s.file.sbas.stack, true)
}

pub(crate) fn stage_spec(s: &PermafrostStudy, ctx: &Context<'_>, name: &str) -> Result<StageSpec> {
    let f = &s.file;
    let src = &s.src;
    let ts = ctx.out.join("sbas").join("timeseries.h5");
    let pecm_dir = ctx.out.join("pecm");
    Ok(match name {
        "sbas" => StageSpec {
            settings: serde_json::to_value(&f.sbas).unwrap_or(Value::Null),
            inputs: vec![stack_path(s)?],
        },
        "forcing" => StageSpec {
            settings: serde_json::to_value(&f.forcing).unwrap_or(Value::Null),
            inputs: vec![
                src.path("forcing.temperature", &f.forcing.temperature, true)?,
                ts,
            ],
        },
        "pecm" => StageSpec {
            settings: json!({ "pecm": f.pecm, "forcing": f.forcing }),
            inputs: vec![
                ts,
                src.path("forcing.temperature", &f.forcing.temperature, true)?,
                src.path("pecm.bulk_density", &f.pecm.bulk_density, true)?,
                src.path("pecm.sand", &f.pecm.sand, true)?,
                src.path("pecm.soil_moisture", &f.pecm.soil_moisture, true)?,
            ],
        },
        "statistics" => {
            let mut inputs = vec![
                pecm_dir.join("linear_rate.tif"),
                pecm_dir.join("seasonal_amplitude.tif"),
                pecm_dir.join("residual_rms.tif"),
            ];
            for (k, p) in f.statistics.factors.get_ref() {
                inputs.push(src.path(&format!("statistics.factors.{k}"), p, true)?);
            }
            StageSpec {
                settings: serde_json::to_value(&f.statistics).unwrap_or(Value::Null),
                inputs,
            }
        }
        _ => StageSpec {
            settings: serde_json::to_value(&f.report).unwrap_or(Value::Null),
            inputs: vec![],
        },
    })
}

pub(crate) fn run_stage(s: &PermafrostStudy, ctx: &Context<'_>, name: &str) -> Result<StageResult> {
    match name {
        "sbas" => sbas(s, ctx),
        "forcing" => forcing(s, ctx),
        "pecm" => pecm(s, ctx),
        "statistics" => statistics(s, ctx),
        _ => super::report::permafrost(s, ctx),
    }
}

fn sbas_err(e: crate::sbas::Error) -> Error {
    Error::Invalid(format!("sbas stage: {e}"))
}

fn sbas(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<StageResult> {
    use crate::sbas::{
        subtract_reference, InversionParams, Network, Norm, ReferencePoint, Weighting,
    };
    let f = &s.file.sbas;
    let path = stack_path(s)?;
    let stack = mintpy::read_ifgram_stack(&path)?;
    if let Some(unit) = stack.attributes.get("UNIT") {
        if unit.trim() != f.units.get_ref() {
            return Err(s.src.error_at(
                "sbas.units",
                f.units.span(),
                format!(
                    "the stack {} is in {}, not {}",
                    path.display(),
                    unit.trim(),
                    f.units.get_ref()
                ),
            ));
        }
    }
    if f.units.get_ref() != "radian" {
        return Err(s.src.error_at(
            "sbas.units",
            f.units.span(),
            format!("`{}`: only radian phase is supported", f.units.get_ref()),
        ));
    }
    let keep: Vec<usize> = (0..stack.len()).filter(|&k| stack.keep[k]).collect();
    let pairs: Vec<(NaiveDate, NaiveDate)> = keep.iter().map(|&k| stack.date_pairs[k]).collect();
    let mut phase = stack.unwrap_phase.select(Axis(0), &keep);
    let coherence = stack.coherence.select(Axis(0), &keep);
    let (_, rows, cols) = phase.dim();
    let grid = Grid::from_attributes(&path, &stack.attributes, rows, cols)?;
    let wavelength = stack
        .attributes
        .get("WAVELENGTH")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .ok_or_else(|| Error::format(&path, "no WAVELENGTH attribute"))?;
    let reference = match &f.reference {
        Some(r) => {
            let [row, col] = *r.get_ref();
            if row >= rows || col >= cols {
                return Err(s.src.error_at(
                    "sbas.reference",
                    r.span(),
                    format!("pixel ({row}, {col}) is outside the {rows}×{cols} stack"),
                ));
            }
            Some((row, col))
        }
        None => match (stack.attributes.get("REF_Y"), stack.attributes.get("REF_X")) {
            (Some(y), Some(x)) => y.trim().parse().ok().zip(x.trim().parse().ok()),
            _ => None,
        },
    };
    if let Some((row, col)) = reference {
        subtract_reference(phase.view_mut(), ReferencePoint::Pixel { row, col })
            .map_err(sbas_err)?;
    }
    let network = Network::from_pairs(&pairs).map_err(sbas_err)?;
    let weighting: Weighting = match f.method.get_ref().as_str() {
        "l2" => Weighting::No,
        _ => f.weight.get_ref().parse().map_err(sbas_err)?,
    };
    let norm = if f.method.get_ref() == "l1" {
        Norm::L1
    } else {
        Norm::L2
    };
    let inverter = InversionParams::new()
        .with_weighting(weighting)
        .with_norm(norm)
        .build()
        .map_err(sbas_err)?;
    // Invert in row blocks to show progress (results do not depend on blocks).
    let block = (rows / 10).max(1);
    let mut prog = Progress::new("inversion", rows, ctx.progress);
    let nt = network.n_dates();
    let mut disp = Array3::<f32>::zeros((nt, rows, cols));
    let mut tcoh = Array2::<f64>::zeros((rows, cols));
    let mut dates = Vec::new();
    let mut r0 = 0;
    while r0 < rows {
        let r1 = (r0 + block).min(rows);
        let ts = inverter
            .invert(
                &network,
                phase.slice(ndarray::s![.., r0..r1, ..]),
                Some(coherence.slice(ndarray::s![.., r0..r1, ..])),
            )
            .map_err(sbas_err)?;
        disp.slice_mut(ndarray::s![.., r0..r1, ..])
            .assign(&ts.displacement(wavelength));
        tcoh.slice_mut(ndarray::s![r0..r1, ..])
            .assign(&ts.temporal_coherence.mapv(f64::from));
        dates = ts.dates.clone();
        r0 = r1;
        prog.set(r0);
    }
    let t: Vec<f64> = dates
        .iter()
        .map(|d| (*d - dates[0]).num_days() as f64 / 365.25)
        .collect();
    let velocity = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let ys = disp.slice(ndarray::s![.., r, c]);
        let n = t.len() as f64;
        let mx = t.iter().sum::<f64>() / n;
        let my = ys.iter().map(|&y| f64::from(y)).sum::<f64>() / n;
        let sxx: f64 = t.iter().map(|x| (x - mx).powi(2)).sum();
        let sxy: f64 = t
            .iter()
            .zip(ys.iter())
            .map(|(x, &y)| (x - mx) * (f64::from(y) - my))
            .sum();
        sxy / sxx
    });
    let dir = ctx.stage_dir("sbas")?;
    let mut attrs = stack.attributes.clone();
    attrs.remove("FILE_TYPE");
    attrs.insert("UNIT".into(), "m".into());
    attrs.insert("REF_DATE".into(), dates[0].format("%Y%m%d").to_string());
    if let Some((r, c)) = reference {
        attrs.insert("REF_Y".into(), r.to_string());
        attrs.insert("REF_X".into(), c.to_string());
    }
    let ts_path = dir.join("timeseries.h5");
    mintpy::write_timeseries(&ts_path, &dates, &disp, &attrs)?;
    let outputs = vec![
        ts_path,
        write_band(
            &dir.join("velocity.tif"),
            &grid,
            "velocity",
            "m/yr",
            &velocity,
        )?,
        write_band(
            &dir.join("temporal_coherence.tif"),
            &grid,
            "temporal_coherence",
            "1",
            &tcoh,
        )?,
    ];
    Ok(StageResult {
        outputs,
        note: Some(format!(
            "{} interferograms, {} dates, {}×{} pixels, {} inversion",
            pairs.len(),
            dates.len(),
            rows,
            cols,
            f.method.get_ref()
        )),
    })
}

/// A MintPy `timeseries.h5` read back: dates, displacement (m), grid.
pub(crate) struct SeriesFile {
    pub dates: Vec<NaiveDate>,
    pub displacement: Array3<f64>,
    pub grid: Grid,
    pub units: String,
}

pub(crate) fn read_timeseries(path: &Path) -> Result<SeriesFile> {
    let data = h5::read_f64(path, "timeseries")?;
    let data = data
        .into_dimensionality::<ndarray::Ix3>()
        .map_err(|e| Error::format(path, format!("timeseries: {e}")))?;
    let dates: Vec<NaiveDate> = h5::read_strings(path, "date")?
        .iter()
        .map(|s| {
            NaiveDate::parse_from_str(s.trim(), "%Y%m%d")
                .map_err(|e| Error::format(path, format!("date `{s}`: {e}")))
        })
        .collect::<Result<_>>()?;
    let attrs: BTreeMap<String, String> = h5::read_attributes(path, "/")?
        .into_iter()
        .map(|(k, v)| (k, v.as_text().map_or_else(|| v.display(), str::to_string)))
        .collect();
    let (_, rows, cols) = data.dim();
    let grid = Grid::from_attributes(path, &attrs, rows, cols)?;
    let units = attrs.get("UNIT").cloned().unwrap_or_else(|| "m".into());
    Ok(SeriesFile {
        dates,
        displacement: data,
        grid,
        units,
    })
}

/// The daily temperature file: forcing per cell and each pixel's cell.
pub(crate) struct CellForcing {
    pub forcings: Vec<Option<Forcing>>,
    pub cell_of: Array2<usize>,
}

pub(crate) fn cell_forcing(s: &PermafrostStudy, grid: &Grid) -> Result<CellForcing> {
    let f = &s.file.forcing;
    let path = s.src.path("forcing.temperature", &f.temperature, true)?;
    let var = nc::read_variable(&path, f.variable.get_ref())?;
    let declared = f.units.get_ref().as_str();
    let found = var.units().unwrap_or("").trim().to_string();
    if !super::config::temperature_units_match(declared, &found) {
        return Err(s.src.error_at(
            "forcing.units",
            f.units.span(),
            format!(
                "{}: variable `{}` is in `{found}`, not {declared}",
                path.display(),
                f.variable.get_ref()
            ),
        ));
    }
    let offset = if declared == "K" { -273.15 } else { 0.0 };
    let time = nc::read_time(&path)?.ok_or_else(|| Error::format(&path, "no time axis"))?;
    let start = time
        .values
        .first()
        .ok_or_else(|| Error::format(&path, "empty time axis"))?
        .date();
    for (k, w) in time.values.windows(2).enumerate() {
        if (w[1] - w[0]).num_days() != 1 {
            return Err(Error::format(
                &path,
                format!("time step {k}: the temperature must be daily without gaps"),
            ));
        }
    }
    let data = var
        .data
        .into_dimensionality::<ndarray::Ix3>()
        .map_err(|_| Error::variable(&path, f.variable.get_ref(), "expected (time, lat, lon)"))?;
    let lat = nc::read_variable(&path, "lat").or_else(|_| nc::read_variable(&path, "latitude"))?;
    let lon = nc::read_variable(&path, "lon").or_else(|_| nc::read_variable(&path, "longitude"))?;
    let lat: Vec<f64> = lat.data.iter().copied().collect();
    let lon: Vec<f64> = lon.data.iter().copied().collect();
    let (_, nlat, nlon) = data.dim();
    if lat.len() != nlat || lon.len() != nlon {
        return Err(Error::variable(
            &path,
            f.variable.get_ref(),
            "lat / lon lengths differ from the variable's shape",
        ));
    }
    let params = OnsetParams::new().with_min_run(f.min_run_days);
    let forcings: Vec<Option<Forcing>> = (0..nlat * nlon)
        .into_par_iter()
        .map(|k| {
            let series: Vec<f64> = data
                .slice(ndarray::s![.., k / nlon, k % nlon])
                .iter()
                .map(|v| v + offset)
                .collect();
            Forcing::from_daily_temperature(start, &series, &params).ok()
        })
        .collect();
    let nearest = |xs: &[f64], x: f64| {
        xs.iter()
            .enumerate()
            .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
            .map_or(0, |p| p.0)
    };
    let cell_of = Array2::from_shape_fn((grid.rows, grid.cols), |(r, c)| {
        nearest(&lat, grid.lat(r)) * nlon + nearest(&lon, grid.lon(c))
    });
    Ok(CellForcing { forcings, cell_of })
}

fn forcing(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let ts = read_timeseries(&ctx.out.join("sbas").join("timeseries.h5"))?;
    let grid = ts.grid.clone();
    let cf = cell_forcing(s, &grid)?;
    let summary = |fo: &Forcing| -> [f64; 4] {
        let complete: Vec<_> = fo.cycles().iter().filter(|c| c.is_complete()).collect();
        if complete.is_empty() {
            return [f64::NAN; 4];
        }
        let n = complete.len() as f64;
        let thaw = complete
            .iter()
            .map(|c| f64::from(c.thaw_onset.ordinal()))
            .sum::<f64>()
            / n;
        let freeze: Vec<f64> = complete
            .iter()
            .filter_map(|c| c.freeze_onset.map(|d| f64::from(d.ordinal())))
            .collect();
        let freeze = freeze.iter().sum::<f64>() / freeze.len().max(1) as f64;
        let ddt = complete.iter().map(|c| c.addt_end).sum::<f64>() / n;
        let ddf = complete.iter().map(|c| c.addf_end).sum::<f64>() / n;
        [thaw, freeze, ddt, ddf]
    };
    let per_cell: Vec<[f64; 4]> = cf
        .forcings
        .iter()
        .map(|f| f.as_ref().map_or([f64::NAN; 4], summary))
        .collect();
    let dir = ctx.stage_dir("forcing")?;
    let mut outputs = Vec::new();
    for (i, (name, units)) in [
        ("thaw_onset_doy", "day of year"),
        ("freeze_onset_doy", "day of year"),
        ("ddt_mean", "degC day"),
        ("ddf_mean", "degC day"),
    ]
    .iter()
    .enumerate()
    {
        let values = cf.cell_of.mapv(|k| per_cell[k][i]);
        outputs.push(write_band(
            &dir.join(format!("{name}.tif")),
            &grid,
            name,
            units,
            &values,
        )?);
    }
    let n_ok = cf.forcings.iter().filter(|f| f.is_some()).count();
    Ok(StageResult {
        outputs,
        note: Some(format!(
            "{n_ok} of {} temperature cells with freeze–thaw cycles",
            cf.forcings.len()
        )),
    })
}

fn pecm(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let f = &s.file;
    let ts = read_timeseries(&ctx.out.join("sbas").join("timeseries.h5"))?;
    let grid = ts.grid.clone();
    let cf = cell_forcing(s, &grid)?;
    let bd = read_band(
        &s.src
            .path("pecm.bulk_density", &f.pecm.bulk_density, true)?,
        &grid,
        "bulk density",
    )?;
    let sand = read_band(&s.src.path("pecm.sand", &f.pecm.sand, true)?, &grid, "sand")?;
    let theta = read_band(
        &s.src
            .path("pecm.soil_moisture", &f.pecm.soil_moisture, true)?,
        &grid,
        "soil moisture",
    )?;
    let johansen = crate::thermo::Johansen::default();
    let r0 = Array2::from_shape_fn((grid.rows, grid.cols), |(r, c)| {
        johansen
            .conductivities(
                &crate::thermo::Soil::new(bd[[r, c]], sand[[r, c]]),
                theta[[r, c]],
                theta[[r, c]],
            )
            .map_or(f64::NAN, |k| k.ratio)
    });
    let wavelength = crate::pecm::SENTINEL1_WAVELENGTH;
    let pecm = crate::pecm::Params::new()
        .with_wavelength(wavelength)
        .with_rivals(false)
        .build()
        .map_err(|e| Error::Invalid(format!("pecm stage: {e}")))?;
    let source = PerPixel(|r: usize, c: usize| {
        cf.forcings[cf.cell_of[[r, c]]]
            .clone()
            .ok_or(crate::pecm::Error::NoCycle)
    });
    // Fit in row blocks for progress; each pixel is independent.
    let rows = grid.rows;
    let block = (rows / 10).max(1);
    let mut prog = Progress::new("PECM fit", rows, ctx.progress);
    let mut parts = Vec::new();
    let mut a = 0;
    while a < rows {
        let b = (a + block).min(rows);
        let disp = ts.displacement.slice(ndarray::s![.., a..b, ..]);
        let r0b = r0.slice(ndarray::s![a..b, ..]);
        let shifted = PerPixel(|r: usize, c: usize| source.0(r + a, c));
        let out = pecm
            .fit_raster(&ts.dates, disp, None, &shifted, r0b.into())
            .map_err(|e| Error::Invalid(format!("pecm stage: {e}")))?;
        parts.push(out);
        a = b;
        prog.set(a);
    }
    let cat = |get: &dyn Fn(&crate::pecm::PecmRasters) -> Array2<f64>| -> Array2<f64> {
        let views: Vec<Array2<f64>> = parts.iter().map(get).collect();
        let v: Vec<_> = views.iter().map(|x| x.view()).collect();
        ndarray::concatenate(Axis(0), &v).unwrap_or_else(|_| Array2::zeros((0, 0)))
    };
    let units = f.pecm.units.get_ref().clone();
    let scale = length_scale(&units).unwrap_or(1.0);
    let dir = ctx.stage_dir("pecm")?;
    let mut outputs = Vec::new();
    let rate_units = format!("{units}/yr");
    let products: Vec<(&str, &str, Array2<f64>)> = vec![
        (
            "linear_rate",
            rate_units.as_str(),
            cat(&|p| p.linear_rate.clone()) * scale,
        ),
        (
            "linear_rate_std",
            rate_units.as_str(),
            cat(&|p| p.linear_rate_std.clone()) * scale,
        ),
        (
            "seasonal_amplitude",
            units.as_str(),
            cat(&|p| p.seasonal_amplitude.clone()) * scale,
        ),
        (
            "seasonal_amplitude_std",
            units.as_str(),
            cat(&|p| p.seasonal_amplitude_std.clone()) * scale,
        ),
        (
            "residual_rms",
            units.as_str(),
            cat(&|p| p.residual_rms.clone()) * scale,
        ),
        ("r2", "1", cat(&|p| p.r2.clone())),
        ("status", "1", cat(&|p| p.status.mapv(f64::from))),
        ("r0", "1", r0.clone()),
    ];
    let n_fit: usize = parts.iter().map(|p| p.n_fitted()).sum();
    for (name, u, values) in &products {
        outputs.push(write_band(
            &dir.join(format!("{name}.tif")),
            &grid,
            name,
            u,
            values,
        )?);
    }
    Ok(StageResult {
        outputs,
        note: Some(format!(
            "{n_fit} of {} pixels fitted",
            grid.rows * grid.cols
        )),
    })
}

/// Geodetector q of every factor for one response.
#[derive(Debug, Clone)]
pub(crate) struct FactorQ {
    pub name: String,
    pub q: f64,
    pub p: f64,
}

fn statistics(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<StageResult> {
    use crate::stats::boxstats::{box_stats, BinSpec, BoxStatsParams};
    use crate::stats::geodetector::{GeodetectorParams, Strata};
    let f = &s.file.statistics;
    let pecm_dir = ctx.out.join("pecm");
    let rate = geotiff::read_raster(&pecm_dir.join("linear_rate.tif"))?;
    let grid = Grid {
        gt: rate.geotransform,
        wkt: rate.crs_wkt.clone(),
        rows: rate.shape().0,
        cols: rate.shape().1,
    };
    let responses = [
        ("linear_rate", rate.band(0).to_owned()),
        (
            "seasonal_amplitude",
            read_band(
                &pecm_dir.join("seasonal_amplitude.tif"),
                &grid,
                "seasonal amplitude",
            )?,
        ),
    ];
    let residual = read_band(&pecm_dir.join("residual_rms.tif"), &grid, "residual RMS")?;
    let max_rms = f.max_residual_rms.unwrap_or(f64::INFINITY);
    let mut factors = Vec::new();
    for (name, p) in f.factors.get_ref() {
        let path = s.src.path(&format!("statistics.factors.{name}"), p, true)?;
        factors.push((
            name.clone(),
            read_band(&path, &grid, &format!("factor {name}"))?,
        ));
    }
    let method = crate::stats::discretize::DiscretizationMethod::parse(f.method.get_ref())
        .unwrap_or(crate::stats::discretize::DiscretizationMethod::Quantile);
    let detector = GeodetectorParams::new()
        .build()
        .map_err(|e| Error::Invalid(format!("statistics stage: {e}")))?;
    let dir = ctx.stage_dir("statistics")?;
    let mut gd = serde_json::Map::new();
    let mut bx = serde_json::Map::new();
    let mut csv = String::from("response,factor,q,p_value,rank\n");
    let mut table = String::new();
    for (rname, resp) in &responses {
        // Pixels where the response and every factor are finite.
        let idx: Vec<(usize, usize)> = (0..grid.rows)
            .flat_map(|r| (0..grid.cols).map(move |c| (r, c)))
            .filter(|&(r, c)| {
                resp[[r, c]].is_finite()
                    && residual[[r, c]] <= max_rms
                    && factors.iter().all(|(_, x)| x[[r, c]].is_finite())
            })
            .collect();
        let y: Vec<f64> = idx.iter().map(|&(r, c)| resp[[r, c]]).collect();
        if table.is_empty() {
            // The table of the pixels that enter the statistics (first response's set).
            table.push_str("row,col,linear_rate,seasonal_amplitude");
            for (fname, _) in &factors {
                table.push_str(&format!(",{fname}"));
            }
            table.push('\n');
            for &(r, c) in &idx {
                table.push_str(&format!(
                    "{r},{c},{},{}",
                    responses[0].1[[r, c]],
                    responses[1].1[[r, c]]
                ));
                for (_, x) in &factors {
                    table.push_str(&format!(",{}", x[[r, c]]));
                }
                table.push('\n');
            }
        }
        let mut qs = Vec::new();
        let mut boxes = serde_json::Map::new();
        for (fname, x) in &factors {
            let xs: Vec<f64> = idx.iter().map(|&(r, c)| x[[r, c]]).collect();
            let disc = crate::stats::discretize::discretize(&xs, method, f.classes)
                .map_err(|e| Error::Invalid(format!("statistics stage: factor {fname}: {e}")))?;
            let codes = disc.breaks.classify(&xs);
            let strata = Strata::from_codes(&codes)
                .map_err(|e| Error::Invalid(format!("statistics stage: factor {fname}: {e}")))?;
            let det = detector
                .factor(&y, &strata)
                .map_err(|e| Error::Invalid(format!("statistics stage: {rname} ~ {fname}: {e}")))?;
            qs.push(FactorQ {
                name: fname.clone(),
                q: det.q,
                p: det.p_value,
            });
            let edges = disc.breaks.edges();
            let b = box_stats(
                &y,
                &xs,
                &BinSpec::Edges(edges.clone()),
                &BoxStatsParams::new(),
            )
            .map_err(|e| {
                Error::Invalid(format!(
                    "statistics stage: box statistics {rname} by {fname}: {e}"
                ))
            })?;
            let groups: Vec<Vec<f64>> = (0..edges.len() - 1)
                .map(|k| {
                    codes
                        .iter()
                        .zip(&y)
                        .filter(|(c, _)| **c == k)
                        .map(|(_, v)| *v)
                        .collect()
                })
                .collect();
            boxes.insert(
                fname.clone(),
                json!({
                    "edges": edges,
                    "percentiles": b.percentiles,
                    "bins": b.bins.iter().map(|bb| json!({"lower": bb.lower, "upper": bb.upper, "count": bb.count, "mean": bb.mean, "percentiles": bb.percentiles})).collect::<Vec<_>>(),
                    "groups": groups,
                }),
            );
        }
        qs.sort_by(|a, b| b.q.total_cmp(&a.q));
        for (rank, q) in qs.iter().enumerate() {
            csv.push_str(&format!(
                "{rname},{},{},{},{}\n",
                q.name,
                q.q,
                q.p,
                rank + 1
            ));
        }
        gd.insert(
            (*rname).to_string(),
            json!({
                "n": y.len(),
                "factors": qs.iter().map(|q| json!({"factor": q.name, "q": q.q, "p_value": q.p})).collect::<Vec<_>>(),
                "first": qs.first().map(|q| q.name.clone()),
            }),
        );
        bx.insert((*rname).to_string(), Value::Object(boxes));
    }
    let outputs = vec![
        write_json(&dir.join("geodetector.json"), &Value::Object(gd.clone()))?,
        write_text(&dir.join("geodetector.csv"), &csv)?,
        write_text(&dir.join("table.csv"), &table)?,
        write_json(&dir.join("boxstats.json"), &Value::Object(bx))?,
    ];
    let firsts: Vec<String> = gd
        .iter()
        .map(|(k, v)| format!("{k}: {}", v["first"].as_str().unwrap_or("-")))
        .collect();
    Ok(StageResult {
        outputs,
        note: Some(format!("strongest factor — {}", firsts.join("; "))),
    })
}
