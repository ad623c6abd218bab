//! `forcing lst (--lst F… | --temperature F.nc:VAR) --dates D --out F.nc`:
//! thaw/freeze onsets per year and their mean, permafrost years, ADDT/ADDF on
//! the SAR dates, max DDT, max DDF and their ratio (SCIENCE.md §2).
//!
//! Two sources of daily temperature:
//! * MODIS LST files (`MOD11A1`, `MYD11A1`: daily; `MOD11A2`, `MYD11A2`:
//!   8-day composites), HDF4 as distributed or GeoTIFFs named the same way
//!   (`MOD11A2.A2019001….tif`) with bands `LST_Day_1km` and `LST_Night_1km`
//!   in kelvin. The date is the `.AYYYYDDD` part of the file name. The daily
//!   mean is the mean of the available day/night Terra/Aqua values of a date;
//!   the series is gap-filled per pixel by harmonic analysis (rejecting values
//!   biased low by clouds); 8-day composites stand at start + 3.5 days and are
//!   interpolated linearly to days.
//! * A daily temperature NetCDF `F.nc:VAR` with dims (time, y, x) or (time),
//!   °C or K (by the `units` attribute), on consecutive days.
//!
//! Outputs (CF-NetCDF, dims `year`, `date`, `y`, `x`): see [`write_outputs`].
//! Everything that does not exist for a pixel (no onset, no permafrost year,
//! an all-`NaN` pixel, an LST pixel with too few observations to fit) is
//! `NaN`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeDelta};
use clap::Args;
use ndarray::{Array1, Array2, Array3, Axis, Ix3};
use permafrost_insar::forcing::harmonic::{gap_fill_raster, HarmonicParams};
use permafrost_insar::forcing::lst::{
    composite_centres, composites_to_daily, sample_on_dates, COMPOSITE_CENTRE_DAYS,
};
use permafrost_insar::forcing::time::{day_number, EPOCH};
use permafrost_insar::forcing::{freeze_thaw_raster, DailySeries, OnsetParams, KELVIN_OFFSET};
use permafrost_insar::io::geotiff::{write_geotiff_with_units, Raster, SampleType};
use permafrost_insar::io::nc::{self, quiet_hdf5, NcData, NcWriter};
use permafrost_insar::io::{detect, h5, read_layer, Format, VarSpec};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::super::{print_json, Global};

/// The LST layers averaged into the daily mean.
const LST_LAYERS: [&str; 2] = ["LST_Day_1km", "LST_Night_1km"];

#[derive(Debug, Args)]
pub(crate) struct LstArgs {
    /// MODIS LST files (MOD11A1/MYD11A1 daily, MOD11A2/MYD11A2 8-day; HDF4,
    /// or GeoTIFFs named the same way with bands LST_Day_1km, LST_Night_1km in K).
    #[arg(long = "lst", num_args = 1.., required_unless_present = "temperature", conflicts_with = "temperature")]
    lst: Vec<PathBuf>,
    /// Daily temperature as `F.nc:VAR` (°C or K), dims (time, y, x) or (time).
    #[arg(long)]
    temperature: Option<String>,
    /// SAR dates: a file of YYYYMMDD lines, a comma list, or a MintPy
    /// `timeseries.h5` (its `/date`).
    #[arg(long)]
    dates: String,
    /// Shortest run of days above (below) 0 °C that starts a thaw (freeze) season.
    #[arg(long, default_value_t = 5)]
    min_run_days: usize,
    /// LST gap filling: reject values this many K below the harmonic fit.
    #[arg(long, default_value_t = 5.0)]
    reject_below: f64,
    /// LST: read only the window `ROW,COL,ROWS,COLS` of each file.
    #[arg(long)]
    window: Option<String>,
    /// Output CF-NetCDF (LST input also writes `<stem>_mean_onsets.tif`).
    #[arg(long)]
    out: PathBuf,
}

/// Daily temperatures in °C on consecutive days, with the georeferencing of
/// raster inputs.
struct Daily {
    series: DailySeries,
    georef: Option<([f64; 6], String)>,
    source: &'static str,
    n_files: usize,
}

fn f_err(e: permafrost_insar::forcing::Error) -> Error {
    Error::Invalid(format!("forcing lst: {e}"))
}

fn parse_yyyymmdd(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

/// `--dates`: a MintPy `timeseries.h5`, a text file of YYYYMMDD lines (blank
/// lines and `#` comments skipped), or a comma list.
pub(crate) fn parse_dates(spec: &str) -> Result<Vec<NaiveDate>> {
    let path = Path::new(spec);
    let dates = if path.is_file() {
        if matches!(detect(path), Ok(Format::Hdf5)) {
            let raw = h5::read_strings(path, "date")?;
            raw.iter()
                .enumerate()
                .map(|(i, s)| {
                    parse_yyyymmdd(s).ok_or_else(|| {
                        Error::variable(path, "date", format!("index {i}: `{s}` is not YYYYMMDD"))
                    })
                })
                .collect::<Result<Vec<_>>>()?
        } else {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let mut out = Vec::new();
            for (i, line) in text.lines().enumerate() {
                let t = line.split('#').next().unwrap_or("").trim();
                if t.is_empty() {
                    continue;
                }
                out.push(parse_yyyymmdd(t).ok_or_else(|| {
                    Error::format(path, format!("line {}: `{t}` is not YYYYMMDD", i + 1))
                })?);
            }
            out
        }
    } else {
        spec.split(',')
            .enumerate()
            .map(|(i, s)| {
                parse_yyyymmdd(s).ok_or_else(|| {
                    Error::Invalid(format!(
                        "--dates: item {i} `{}` is not YYYYMMDD (and `{spec}` is not a file)",
                        s.trim()
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?
    };
    if dates.is_empty() {
        return Err(Error::Invalid(format!("--dates `{spec}`: no date")));
    }
    Ok(dates)
}

/// The product (`MOD11A2`, …) and first day of a MODIS file, from its name.
fn modis_name(path: &Path) -> Result<(String, NaiveDate)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bad = |what: &str| {
        Error::format(
            path,
            format!("{what}; expected a MODIS name like MOD11A2.A2019001.h11v05.061.….hdf"),
        )
    };
    let product = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    if !["MOD11A1", "MYD11A1", "MOD11A2", "MYD11A2"].contains(&product.as_str()) {
        return Err(bad(&format!(
            "product `{product}` is not MOD11A1/MYD11A1/MOD11A2/MYD11A2"
        )));
    }
    let stamp = name
        .split('.')
        .find(|p| p.len() == 8 && p.starts_with('A') && p[1..].bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| bad("no `.AYYYYDDD.` date in the name"))?;
    let year: i32 = stamp[1..5].parse().map_err(|_| bad("bad year"))?;
    let doy: u32 = stamp[5..8].parse().map_err(|_| bad("bad day of year"))?;
    let date = NaiveDate::from_yo_opt(year, doy)
        .ok_or_else(|| bad(&format!("day {doy} does not exist in {year}")))?;
    Ok((product, date))
}

fn parse_window(s: &str) -> Result<[usize; 4]> {
    let v: Vec<usize> = s
        .split(',')
        .map(|x| x.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| Error::Invalid(format!("--window `{s}`: expected ROW,COL,ROWS,COLS")))?;
    match v[..] {
        [r, c, nr, nc] if nr > 0 && nc > 0 => Ok([r, c, nr, nc]),
        _ => Err(Error::Invalid(format!(
            "--window `{s}`: expected ROW,COL,ROWS,COLS with ROWS, COLS > 0"
        ))),
    }
}

fn read_lst(args: &LstArgs) -> Result<Daily> {
    let window = args.window.as_deref().map(parse_window).transpose()?;
    let mut by_date: BTreeMap<NaiveDate, (Array2<f64>, Array2<f64>)> = BTreeMap::new();
    let mut kind: Option<(String, PathBuf)> = None;
    let mut georef: Option<([f64; 6], String)> = None;
    let mut shape: Option<(usize, usize)> = None;
    for path in &args.lst {
        let (product, date) = modis_name(path)?;
        let composite = &product[5..];
        match &kind {
            None => kind = Some((composite.to_string(), path.clone())),
            Some((k, first)) if k != composite => {
                return Err(Error::format(
                    path,
                    format!(
                        "is a {product} ({}) file but {} is {k} ({}): daily and 8-day files cannot be mixed",
                        if composite == "A1" { "daily" } else { "8-day" },
                        first.display(),
                        if k == "A1" { "daily" } else { "8-day" }
                    ),
                ))
            }
            Some(_) => {}
        }
        for layer in LST_LAYERS {
            let mut r = read_layer(path, layer)?;
            let (rows, cols) = r.shape();
            let mut gt = r.geotransform;
            let band = if let Some([r0, c0, nr, nc]) = window {
                if r0 + nr > rows || c0 + nc > cols {
                    return Err(Error::format(
                        path,
                        format!(
                            "`{layer}` is {rows}×{cols}; the window {r0},{c0},{nr},{nc} does not fit"
                        ),
                    ));
                }
                gt[0] += c0 as f64 * gt[1] + r0 as f64 * gt[2];
                gt[3] += c0 as f64 * gt[4] + r0 as f64 * gt[5];
                r.data
                    .slice(ndarray::s![0, r0..r0 + nr, c0..c0 + nc])
                    .to_owned()
            } else {
                r.data.index_axis_move(Axis(0), 0)
            };
            let band = band.mapv(|k| k - KELVIN_OFFSET);
            match shape {
                None => shape = Some(band.dim()),
                Some(s) if s != band.dim() => {
                    return Err(Error::format(
                        path,
                        format!(
                            "`{layer}` is {}×{}, the first file's layers are {}×{}",
                            band.dim().0,
                            band.dim().1,
                            s.0,
                            s.1
                        ),
                    ))
                }
                Some(_) => {}
            }
            if georef.is_none() {
                georef = Some((gt, std::mem::take(&mut r.crs_wkt)));
            }
            let entry = by_date
                .entry(date)
                .or_insert_with(|| (Array2::zeros(band.dim()), Array2::zeros(band.dim())));
            ndarray::Zip::from(&mut entry.0)
                .and(&mut entry.1)
                .and(&band)
                .for_each(|s, n, &x| {
                    if !x.is_nan() {
                        *s += x;
                        *n += 1.0;
                    }
                });
        }
    }
    let (Some((composite, _)), Some((rows, cols))) = (kind, shape) else {
        return Err(Error::Invalid("forcing lst: no LST file".into()));
    };
    // Mean of the available day/night Terra/Aqua values of each date.
    let starts: Vec<NaiveDate> = by_date.keys().copied().collect();
    let (first, last) = (starts[0], starts[starts.len() - 1]);
    let daily_files = composite == "A1";
    // Daily files: every day from the first to the last, NaN where no file.
    let steps: Vec<NaiveDate> = if daily_files {
        (0..=(last - first).num_days())
            .map(|d| first + TimeDelta::days(d))
            .collect()
    } else {
        starts.clone()
    };
    let mut values = Array3::from_elem((steps.len(), rows, cols), f64::NAN);
    for (i, d) in steps.iter().enumerate() {
        if let Some((s, n)) = by_date.get(d) {
            ndarray::Zip::from(values.index_axis_mut(Axis(0), i))
                .and(s)
                .and(n)
                .for_each(|v, &s, &n| *v = if n > 0.0 { s / n } else { f64::NAN });
        }
    }
    let times: Vec<f64> = if daily_files {
        steps.iter().map(|&d| day_number(d) as f64 + 0.5).collect()
    } else {
        composite_centres(&steps, COMPOSITE_CENTRE_DAYS)
    };
    let hp = HarmonicParams::new()
        .with_reject_below(args.reject_below)
        .build()
        .map_err(f_err)?;
    let filled = gap_fill_raster(&times, values.view(), &hp)
        .map_err(f_err)?
        .filled;
    let series = if daily_files {
        DailySeries::new(steps, filled).map_err(f_err)?
    } else {
        composites_to_daily(&steps, filled.view(), COMPOSITE_CENTRE_DAYS).map_err(f_err)?
    };
    Ok(Daily {
        series,
        georef,
        source: if daily_files {
            "MODIS LST daily"
        } else {
            "MODIS LST 8-day"
        },
        n_files: args.lst.len(),
    })
}

fn read_temperature(spec: &str) -> Result<Daily> {
    let vs = VarSpec::parse(spec);
    let path = &vs.path;
    let var = vs.variable.as_deref().ok_or_else(|| {
        Error::Invalid(format!(
            "--temperature `{spec}`: name the variable as F.nc:VAR"
        ))
    })?;
    let v = nc::read_variable(path, var)?;
    let time = nc::read_time(path)?
        .ok_or_else(|| Error::format(path, "no time coordinate (time, valid_time, … since …)"))?;
    let nt = time.values.len();
    if v.data.ndim() == 0 || v.data.shape()[0] != nt || !(v.data.ndim() == 1 || v.data.ndim() == 3)
    {
        return Err(Error::variable(
            path,
            var,
            format!(
                "dims ({}) shape {:?}: expected (time, y, x) or (time) with time first ({nt} steps of `{}`)",
                v.dims.join(", "),
                v.data.shape(),
                time.variable
            ),
        ));
    }
    let data = if v.data.ndim() == 1 {
        v.data
            .clone()
            .into_shape_with_order((nt, 1, 1))
            .map_err(|e| Error::variable(path, var, e))?
    } else {
        v.data
            .clone()
            .into_dimensionality::<Ix3>()
            .map_err(|e| Error::variable(path, var, e))?
    };
    let units = v.units().unwrap_or("").trim().to_string();
    let data = match units.as_str() {
        "K" | "kelvin" | "Kelvin" => data.mapv(|x| x - KELVIN_OFFSET),
        "degC" | "degree_Celsius" | "degrees_Celsius" | "celsius" | "Celsius" | "C" | "°C"
        | "deg_C" => data,
        "" => {
            return Err(Error::variable(
                path,
                var,
                "has no `units` attribute; expected degC or K",
            ))
        }
        u => {
            return Err(Error::variable(
                path,
                var,
                format!("units `{u}` are not a temperature (degC or K)"),
            ))
        }
    };
    let dates: Vec<NaiveDate> = time.values.iter().map(|t| t.date()).collect();
    for (i, w) in dates.windows(2).enumerate() {
        if (w[1] - w[0]).num_days() != 1 {
            return Err(Error::variable(
                path,
                &time.variable,
                format!(
                    "index {}: {} follows {}; daily values on consecutive days are needed",
                    i + 1,
                    time.values[i + 1],
                    time.values[i]
                ),
            ));
        }
    }
    let series = DailySeries::new(dates, data).map_err(f_err)?;
    Ok(Daily {
        series,
        georef: None,
        source: "daily temperature NetCDF",
        n_files: 1,
    })
}

pub(crate) fn run(args: &LstArgs, global: Global) -> Result<()> {
    quiet_hdf5();
    let sar = parse_dates(&args.dates)?;
    let params = OnsetParams::new()
        .with_min_run_days(args.min_run_days)
        .build()
        .map_err(f_err)?;
    let daily = match &args.temperature {
        Some(spec) => read_temperature(spec)?,
        None => read_lst(args)?,
    };
    let s = &daily.series;
    let (first, last) = (s.dates[0], s.dates[s.dates.len() - 1]);
    if s.dates.len() < 365 {
        return Err(Error::Invalid(format!(
            "forcing lst: the temperature covers {} day(s) ({first} .. {last}); onsets need at least a year of days",
            s.dates.len()
        )));
    }
    let ft = freeze_thaw_raster(&s.dates, s.values.view(), &sar, &params).map_err(f_err)?;
    let on_dates = sample_on_dates(s, &sar).map_err(f_err)?;
    let outputs = write_outputs(args, &daily, &ft, &on_dates)?;
    if global.json {
        print_json(&json!({
            "outputs": outputs,
            "years": ft.years,
            "n_dates": sar.len(),
            "n_days": s.dates.len(),
            "first_day": first.to_string(),
            "last_day": last.to_string(),
            "source": daily.source,
            "n_files": daily.n_files,
        }))
    } else {
        println!(
            "{} days ({first} .. {last}), {} years, {} SAR dates; wrote {}",
            s.dates.len(),
            ft.years.len(),
            sar.len(),
            outputs.join(", ")
        );
        Ok(())
    }
}

/// Writes the NetCDF (and, for georeferenced LST input, a GeoTIFF of the mean
/// onsets). Variables: `thaw_onset_doy`, `freeze_onset_doy`, `max_ddt`,
/// `max_ddf`, `ddt_ddf_ratio`, `permafrost_year_complete` (year, y, x);
/// `mean_thaw_doy`, `mean_freeze_doy` (y, x); `addt`, `addf`,
/// `cycle_number`, `temperature` (date, y, x).
fn write_outputs(
    args: &LstArgs,
    daily: &Daily,
    ft: &permafrost_insar::forcing::FreezeThawRaster,
    on_dates: &Array3<f64>,
) -> Result<Vec<String>> {
    let (_, rows, cols) = daily.series.values.dim();
    let mut w = NcWriter::new();
    w.dimension("year", ft.years.len())
        .dimension("date", ft.dates.len())
        .dimension("y", rows)
        .dimension("x", cols);
    w.variable(
        "year",
        &["year"],
        NcData::I32(Array1::from(ft.years.clone()).into_dyn()),
    )
    .attr(
        "year",
        "long_name",
        "calendar year of the thaw onset that starts a permafrost year",
    );
    w.variable(
        "date",
        &["date"],
        NcData::F64(
            Array1::from_iter(ft.dates.iter().map(|d| (*d - EPOCH).num_days() as f64)).into_dyn(),
        ),
    )
    .attr("date", "units", "days since 1970-01-01")
    .attr("date", "calendar", "standard")
    .attr("date", "long_name", "SAR acquisition date");
    let mut put = |name: &str, dims: &[&str], a: ndarray::ArrayD<f64>, units: &str, long: &str| {
        w.variable(name, dims, NcData::F64(a))
            .attr(name, "units", units)
            .attr(name, "long_name", long)
            .attr(name, "_FillValue", f64::NAN);
    };
    let yd = ["year", "y", "x"];
    let dd = ["date", "y", "x"];
    put(
        "thaw_onset_doy",
        &yd,
        ft.thaw_onset_doy.clone().into_dyn(),
        "1",
        "day of year (1 = 1 January) of the thaw onset",
    );
    put(
        "freeze_onset_doy",
        &yd,
        ft.freeze_onset_doy.clone().into_dyn(),
        "1",
        "day of year (1 = 1 January) of the freeze onset",
    );
    put(
        "mean_thaw_doy",
        &["y", "x"],
        ft.mean_thaw_doy.clone().into_dyn(),
        "1",
        "circular mean day of year of the thaw onsets",
    );
    put(
        "mean_freeze_doy",
        &["y", "x"],
        ft.mean_freeze_doy.clone().into_dyn(),
        "1",
        "circular mean day of year of the freeze onsets",
    );
    put(
        "max_ddt",
        &yd,
        ft.max_ddt.clone().into_dyn(),
        "degC day",
        "maximum accumulated thawing degree days of the permafrost year",
    );
    put(
        "max_ddf",
        &yd,
        ft.max_ddf.clone().into_dyn(),
        "degC day",
        "maximum accumulated freezing degree days of the permafrost year",
    );
    put(
        "ddt_ddf_ratio",
        &yd,
        ft.ddt_ddf_ratio.clone().into_dyn(),
        "1",
        "max DDT / max DDF",
    );
    put(
        "permafrost_year_complete",
        &yd,
        ft.complete.clone().into_dyn(),
        "1",
        "1 where the permafrost year is complete, 0 where not",
    );
    put(
        "addt",
        &dd,
        ft.addt.clone().into_dyn(),
        "degC day",
        "accumulated thawing degree days since the thaw onset",
    );
    put(
        "addf",
        &dd,
        ft.addf.clone().into_dyn(),
        "degC day",
        "accumulated freezing degree days since the freeze onset (0 before it)",
    );
    put(
        "cycle_number",
        &dd,
        ft.cycle_number.clone().into_dyn(),
        "1",
        "permafrost-year number (1, 2, …)",
    );
    put(
        "temperature",
        &dd,
        on_dates.clone().into_dyn(),
        "degC",
        "daily temperature on the date",
    );
    w.global("Conventions", "CF-1.8")
        .global(
            "source",
            format!("permafrost-insar forcing lst ({})", daily.source),
        )
        .global("first_day", daily.series.dates[0].to_string())
        .global(
            "last_day",
            daily.series.dates[daily.series.dates.len() - 1].to_string(),
        )
        .global(
            "missing_values",
            "NaN: no onset, no permafrost year, an all-NaN pixel, or too few LST values to fit",
        );
    w.write(&args.out)?;
    let mut outputs = vec![args.out.display().to_string()];
    if let Some((gt, wkt)) = &daily.georef {
        let stem = args.out.with_extension("");
        let tif = PathBuf::from(format!("{}_mean_onsets.tif", stem.display()));
        let mut data = Array3::<f64>::zeros((2, rows, cols));
        data.index_axis_mut(Axis(0), 0).assign(&ft.mean_thaw_doy);
        data.index_axis_mut(Axis(0), 1).assign(&ft.mean_freeze_doy);
        let raster = Raster {
            data,
            geotransform: *gt,
            crs_wkt: wkt.clone(),
            band_names: vec!["mean_thaw_doy".into(), "mean_freeze_doy".into()],
        };
        write_geotiff_with_units(
            &tif,
            &raster,
            SampleType::Float32,
            &["day of year".into(), "day of year".into()],
        )?;
        outputs.push(tif.display().to_string());
    }
    Ok(outputs)
}
