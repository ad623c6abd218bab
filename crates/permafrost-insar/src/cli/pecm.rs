//! `pecm fit (--timeseries F | --interferograms F) --temperature F.nc:VAR
//! [--kappa-ratio NUM|RASTER] --out DIR`: the PECM decomposition of every
//! pixel into linear rate and seasonal amplitude with their σ.
//!
//! Writes GeoTIFFs on the input's grid (MintPy `X_FIRST`/`Y_FIRST`/… and
//! `EPSG` attributes, else the κ-ratio raster's grid, else pixel
//! coordinates): `linear_rate`, `linear_rate_std` (m/yr), `seasonal_amplitude`,
//! `seasonal_amplitude_std` (m), `residual_rms` (m), `r2`, and
//! `preferred_model` (1 PECM, 2 sinusoid, 3 Stefan; time-series input only)
//! or `n_components` (connected components of each pixel's network;
//! interferogram input), plus `status` (the reason code of
//! `permafrost_pecm::PixelStatus`: 0 fitted, 1 no data, 2 no forcing,
//! 3 bases failed, 4 too few observations, 5 singular, 6 failed, 7 never
//! thaws, 8 no freeze season; `NaN` outputs where not 0).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use ndarray::{Array2, Array3, ArrayD, Axis, Ix1, Ix2, Ix3};
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::{h5, mintpy, nc, read_array, VarSpec};
use permafrost_insar::pecm::{
    Criterion, DailyTemperatureRaster, Forcing, ForcingSource, OnsetParams, Pair, Params,
    PixelStatus, RatioField, Reference,
};
use permafrost_insar::sbas::{subtract_reference, ReferencePoint};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{ensure_dir, print_json, Global};

#[derive(Debug, Subcommand)]
pub(crate) enum PecmCommand {
    /// Fit the PECM to a displacement time series or straight to interferograms.
    Fit(FitArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Choice {
    Aic,
    Aicc,
    Bic,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["timeseries", "interferograms"])))]
pub(crate) struct FitArgs {
    /// A MintPy-layout `timeseries.h5` (`/timeseries` (date, row, col) in
    /// metres LOS, `/date` YYYYMMDD): per-pixel weighted least squares.
    #[arg(long)]
    timeseries: Option<PathBuf>,
    /// A MintPy `ifgramStack.h5` (`unwrapPhase`, rad): the joint fit, the
    /// PECM inserted into the SBAS system (unweighted; works on disconnected
    /// networks). `dropIfgram` and `REF_Y`/`REF_X` are honoured. Writes `n_components`
    /// instead of `preferred_model` (the rivals are fitted to time series).
    #[arg(long)]
    interferograms: Option<PathBuf>,
    /// Daily temperature in °C (kelvin is converted) as `FILE:VAR`, dims
    /// (time, y, x) on the grid of the input (same rows and columns), or
    /// (time) for one series used by every pixel.
    #[arg(long)]
    temperature: String,
    /// κ_f/κ_t: a number, or a raster (`FILE` or `FILE:VAR`) on the input's
    /// grid (e.g. `ratio.tif` from `thermal`). Each cycle is closed with
    /// r = max(r₀, ADDT_end/ADDF_end).
    #[arg(long, default_value = "1.0", allow_hyphen_values = true)]
    kappa_ratio: String,
    /// Radar wavelength (m) for --interferograms when the stack has no
    /// WAVELENGTH attribute.
    #[arg(long)]
    wavelength: Option<f64>,
    /// Criterion of the preferred model (PECM, sinusoid, Stefan).
    #[arg(long, value_enum, default_value = "aic")]
    criterion: Choice,
    /// Refer the time-series model to the reference date (D = v·L + d·Î,
    /// zero there) instead of fitting a free offset c (D = c + v·L + d·Î,
    /// the default). An SBAS time series carries the reference date's noise
    /// in every date; without the offset the estimates absorb it and the σ's
    /// miss it (permafrost-pecm's `scene` test: 25 % instead of 93 % of the
    /// true rates within 2σ).
    #[arg(long)]
    no_offset: bool,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// An output raster: file stem, values, unit.
type Grid = (&'static str, Array2<f64>, &'static str);

fn pecm_err(context: impl std::fmt::Display, e: permafrost_insar::pecm::Error) -> Error {
    Error::Invalid(format!("pecm fit: {context}: {e}"))
}

/// The daily temperature: first day, values `(day, pixel…)`, and where it
/// came from (for messages).
struct Temperature {
    start: NaiveDate,
    last: NaiveDate,
    data: ArrayD<f64>,
    what: String,
}

fn read_temperature(spec: &str) -> Result<Temperature> {
    let vs = VarSpec::parse(spec);
    let name = vs.variable.clone().ok_or_else(|| {
        Error::Invalid(format!(
            "--temperature {spec}: name the variable as FILE:VAR"
        ))
    })?;
    let path = vs.path.as_path();
    let var = nc::read_variable(path, &name)?;
    let time = nc::read_time(path)?
        .ok_or_else(|| Error::variable(path, &name, "the file has no time coordinate"))?;
    let days: Vec<NaiveDate> = time.values.iter().map(|t| t.date()).collect();
    if days.is_empty() {
        return Err(Error::variable(
            path,
            &time.variable,
            "the time axis is empty",
        ));
    }
    for (i, w) in days.windows(2).enumerate() {
        if (w[1] - w[0]).num_days() != 1 {
            return Err(Error::variable(
                path,
                &time.variable,
                format!(
                    "daily values are required: time[{}] = {} does not follow time[{i}] = {} by one day",
                    i + 1,
                    w[1],
                    w[0]
                ),
            ));
        }
    }
    let shape = var.data.shape().to_vec();
    if !(shape.len() == 1 || shape.len() == 3) || shape[0] != days.len() {
        return Err(Error::variable(
            path,
            &name,
            format!(
                "expected dims (time) or (time, y, x) with {} times, found {:?} with shape {shape:?}",
                days.len(),
                var.dims
            ),
        ));
    }
    let kelvin = matches!(var.units(), Some("K" | "kelvin" | "Kelvin"));
    let data = if kelvin {
        var.data.mapv(|t| t - 273.15)
    } else {
        var.data
    };
    Ok(Temperature {
        start: days[0],
        last: days[days.len() - 1],
        data,
        what: format!("{}:{name}", path.display()),
    })
}

/// κ_f/κ_t as a number or a raster on `(rows, cols)`.
enum Ratio {
    Number(f64),
    Raster(Array2<f64>, PathBuf),
}

fn read_ratio(s: &str, rows: usize, cols: usize) -> Result<Ratio> {
    if let Ok(x) = s.trim().parse::<f64>() {
        if !(x.is_finite() && x > 0.0) {
            return Err(Error::Invalid(format!(
                "--kappa-ratio {s}: κ_f/κ_t must be finite and > 0"
            )));
        }
        return Ok(Ratio::Number(x));
    }
    let spec = VarSpec::parse(s);
    let a = read_array(&spec.path, spec.variable.as_deref())?
        .into_dimensionality::<Ix2>()
        .map_err(|_| Error::Invalid(format!("--kappa-ratio {s}: expected a 2-D raster")))?;
    if a.dim() != (rows, cols) {
        return Err(Error::Shape {
            context: format!("--kappa-ratio {s} against the input's (row, col)"),
            expected: vec![rows, cols],
            found: a.shape().to_vec(),
        });
    }
    if let Some(((r, c), v)) = a.indexed_iter().find(|(_, v)| !v.is_nan() && **v <= 0.0) {
        return Err(Error::Invalid(format!(
            "--kappa-ratio {s}: value {v} at (row {r}, col {c}) is not > 0"
        )));
    }
    Ok(Ratio::Raster(a, spec.path))
}

/// The input: dates, the stack, its attributes; pairs for interferograms.
struct Input {
    path: PathBuf,
    dates: Vec<NaiveDate>,
    pairs: Option<Vec<Pair>>,
    stack: Array3<f64>,
    attributes: BTreeMap<String, String>,
}

fn read_timeseries(path: &Path) -> Result<Input> {
    let attributes: BTreeMap<String, String> = h5::read_attributes(path, "")?
        .into_iter()
        .map(|(k, v)| (k, v.display()))
        .collect();
    let dates = h5::read_strings(path, "date")?
        .iter()
        .enumerate()
        .map(|(i, s)| {
            NaiveDate::parse_from_str(s.trim(), "%Y%m%d").map_err(|_| {
                Error::variable(path, "date", format!("date[{i}] = `{s}` is not YYYYMMDD"))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let stack = h5::read_f64(path, "timeseries")?
        .into_dimensionality::<Ix3>()
        .map_err(|_| Error::variable(path, "timeseries", "expected dims (date, row, col)"))?;
    if stack.shape()[0] != dates.len() {
        return Err(Error::Shape {
            context: format!("{}: /timeseries against /date", path.display()),
            expected: vec![dates.len(), stack.shape()[1], stack.shape()[2]],
            found: stack.shape().to_vec(),
        });
    }
    if let Some(i) = (1..dates.len()).find(|&i| dates[i] <= dates[i - 1]) {
        return Err(Error::variable(
            path,
            "date",
            format!(
                "dates must increase: date[{i}] = {} follows date[{}] = {}",
                dates[i],
                i - 1,
                dates[i - 1]
            ),
        ));
    }
    Ok(Input {
        path: path.to_path_buf(),
        dates,
        pairs: None,
        stack,
        attributes,
    })
}

fn read_interferograms(path: &Path) -> Result<Input> {
    let stack = mintpy::read_ifgram_stack(path)?;
    let keep: Vec<usize> = (0..stack.len()).filter(|&k| stack.keep[k]).collect();
    if keep.is_empty() {
        return Err(Error::variable(
            path,
            "dropIfgram",
            "every interferogram is dropped",
        ));
    }
    let mut phase = stack.unwrap_phase.select(Axis(0), &keep);
    let attr = |k: &str| {
        stack
            .attributes
            .get(k)
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    if let (Some(r), Some(c)) = (attr("REF_Y"), attr("REF_X")) {
        subtract_reference(
            phase.view_mut(),
            ReferencePoint::Pixel {
                row: r as usize,
                col: c as usize,
            },
        )
        .map_err(|e| Error::Invalid(format!("{}: REF_Y/REF_X: {e}", path.display())))?;
    }
    let mut dates: Vec<NaiveDate> = keep
        .iter()
        .flat_map(|&k| [stack.date_pairs[k].0, stack.date_pairs[k].1])
        .collect();
    dates.sort();
    dates.dedup();
    let index = |d: &NaiveDate| dates.binary_search(d).unwrap_or(0);
    let pairs = keep
        .iter()
        .map(|&k| Pair::new(index(&stack.date_pairs[k].0), index(&stack.date_pairs[k].1)))
        .collect();
    Ok(Input {
        path: path.to_path_buf(),
        dates,
        pairs: Some(pairs),
        stack: phase.mapv(f64::from),
        attributes: stack.attributes,
    })
}

/// The grid of the outputs: the input's MintPy geocoding attributes, else
/// the κ ratio raster's, else pixel coordinates without a CRS.
fn output_grid(input: &Input, ratio: &Ratio) -> ([f64; 6], String) {
    let attr = |k: &str| {
        input
            .attributes
            .get(k)
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    if let (Some(x0), Some(dx), Some(y0), Some(dy)) = (
        attr("X_FIRST"),
        attr("X_STEP"),
        attr("Y_FIRST"),
        attr("Y_STEP"),
    ) {
        let epsg = attr("EPSG").map_or(4326, |e| e as u32);
        if let Ok(wkt) = geotiff::wkt_from_epsg(epsg) {
            return ([x0, dx, 0.0, y0, 0.0, dy], wkt);
        }
    }
    if let Ratio::Raster(_, p) = ratio {
        if let Ok(r) = geotiff::read_raster(p) {
            return (r.geotransform, r.crs_wkt);
        }
    }
    ([0.0, 1.0, 0.0, 0.0, 0.0, 1.0], String::new())
}

pub(crate) fn run(cmd: &PecmCommand, global: Global) -> Result<()> {
    let PecmCommand::Fit(args) = cmd;
    let input = match (&args.timeseries, &args.interferograms) {
        (Some(p), None) => read_timeseries(p)?,
        (None, Some(p)) => read_interferograms(p)?,
        _ => {
            return Err(Error::Invalid(
                "pecm fit: give exactly one of --timeseries and --interferograms".into(),
            ))
        }
    };
    let (_, rows, cols) = input.stack.dim();
    let temperature = read_temperature(&args.temperature)?;
    // Every SAR date must lie inside the temperature record.
    if let Some((i, d)) = input
        .dates
        .iter()
        .enumerate()
        .find(|(_, d)| **d < temperature.start || **d > temperature.last)
    {
        return Err(Error::Invalid(format!(
            "pecm fit: {} date[{i}] = {d} lies outside the temperature record {} ({} … {})",
            input.path.display(),
            temperature.what,
            temperature.start,
            temperature.last
        )));
    }
    let ratio = read_ratio(&args.kappa_ratio, rows, cols)?;
    let r0 = match &ratio {
        Ratio::Number(x) => RatioField::Uniform(*x),
        Ratio::Raster(a, _) => RatioField::Raster(a.view()),
    };
    let mut params =
        Params::new()
            .with_offset(!args.no_offset)
            .with_criterion(match args.criterion {
                Choice::Aic => Criterion::Aic,
                Choice::Aicc => Criterion::Aicc,
                Choice::Bic => Criterion::Bic,
            });
    if input.pairs.is_none() {
        if let Some(d) = input
            .attributes
            .get("REF_DATE")
            .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y%m%d").ok())
        {
            params = params.with_reference(Reference::Date(d));
        }
    } else {
        let wavelength = args
            .wavelength
            .or_else(|| {
                input
                    .attributes
                    .get("WAVELENGTH")
                    .and_then(|v| v.trim().parse::<f64>().ok())
            })
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: no WAVELENGTH attribute; give --wavelength",
                    input.path.display()
                ))
            })?;
        params = params.with_wavelength(wavelength);
    }
    let pecm = params.build().map_err(|e| pecm_err("parameters", e))?;

    // The forcing: one series for every pixel, or a (time, y, x) raster.
    let onset = OnsetParams::new();
    let uniform;
    let raster;
    let forcing: &dyn ForcingSource = match temperature.data.ndim() {
        1 => {
            let series = temperature
                .data
                .view()
                .into_dimensionality::<Ix1>()
                .map_err(|e| Error::Invalid(e.to_string()))?
                .to_vec();
            uniform = Forcing::from_daily_temperature(temperature.start, &series, &onset)
                .map_err(|e| pecm_err(&temperature.what, e))?;
            &uniform
        }
        _ => {
            let view = temperature
                .data
                .view()
                .into_dimensionality::<Ix3>()
                .map_err(|e| Error::Invalid(e.to_string()))?;
            let (_, ty, tx) = view.dim();
            if (ty, tx) != (rows, cols) {
                return Err(Error::Shape {
                    context: format!(
                        "pecm fit: {} (y, x) against {} (row, col)",
                        temperature.what,
                        input.path.display()
                    ),
                    expected: vec![rows, cols],
                    found: vec![ty, tx],
                });
            }
            raster = DailyTemperatureRaster {
                start: temperature.start,
                temperature: view,
                params: onset,
            };
            &raster
        }
    };

    let context = input.path.display().to_string();
    let (grids, status): (Vec<Grid>, Array2<u8>) = match &input.pairs {
        None => {
            let out = pecm
                .fit_raster(&input.dates, input.stack.view(), None, forcing, r0)
                .map_err(|e| pecm_err(&context, e))?;
            let preferred = out
                .rivals
                .as_ref()
                .map(|r| {
                    r.preferred
                        .mapv(|c| if c == 0 { f64::NAN } else { f64::from(c) })
                })
                .unwrap_or_else(|| Array2::from_elem((rows, cols), f64::NAN));
            (
                vec![
                    ("linear_rate", out.linear_rate, "m/yr"),
                    ("linear_rate_std", out.linear_rate_std, "m/yr"),
                    ("seasonal_amplitude", out.seasonal_amplitude, "m"),
                    ("seasonal_amplitude_std", out.seasonal_amplitude_std, "m"),
                    ("residual_rms", out.residual_rms, "m"),
                    ("r2", out.r2, ""),
                    ("preferred_model", preferred, ""),
                ],
                out.status,
            )
        }
        Some(pairs) => {
            let out = pecm
                .fit_interferograms_raster(
                    &input.dates,
                    pairs,
                    input.stack.view(),
                    None,
                    forcing,
                    r0,
                )
                .map_err(|e| pecm_err(&context, e))?;
            (
                vec![
                    ("linear_rate", out.linear_rate, "m/yr"),
                    ("linear_rate_std", out.linear_rate_std, "m/yr"),
                    ("seasonal_amplitude", out.seasonal_amplitude, "m"),
                    ("seasonal_amplitude_std", out.seasonal_amplitude_std, "m"),
                    ("residual_rms", out.residual_rms_m, "m"),
                    ("r2", out.r2, ""),
                    ("n_components", out.n_components.mapv(f64::from), ""),
                ],
                out.status,
            )
        }
    };

    ensure_dir(&args.out)?;
    let (gt, wkt) = output_grid(&input, &ratio);
    let mut outputs = Vec::new();
    let status_f = status.mapv(f64::from);
    for (name, values, unit) in grids
        .iter()
        .map(|(n, v, u)| (*n, v, *u))
        .chain(std::iter::once(("status", &status_f, "")))
    {
        let p = args.out.join(format!("{name}.tif"));
        let mut r = Raster::single(values.clone(), gt, wkt.clone());
        r.band_names = vec![name.to_string()];
        geotiff::write_geotiff_with_units(&p, &r, SampleType::Float32, &[unit.to_string()])?;
        outputs.push(p.display().to_string());
    }
    let mut counts = serde_json::Map::new();
    for s in PixelStatus::ALL {
        let n = status.iter().filter(|&&c| c == s as u8).count();
        counts.insert(s.name().to_string(), json!(n));
    }
    let n_fitted = status.iter().filter(|&&c| c == 0).count();
    if global.json {
        print_json(&json!({
            "outputs": outputs,
            "n_pixels": rows * cols,
            "n_fitted": n_fitted,
            "status_counts": counts,
            "mode": if input.pairs.is_some() { "interferograms" } else { "timeseries" },
            "n_dates": input.dates.len(),
        }))
    } else {
        println!(
            "fitted {n_fitted} of {} pixels; wrote {}",
            rows * cols,
            outputs.join(", ")
        );
        Ok(())
    }
}
