//! `factors --target F --input NAME=FILE[:method] … --out F.tif|F.nc`: align
//! factor rasters onto one grid and stack them with their names.

use std::path::{Path, PathBuf};

use clap::Args;
use ndarray::{Array1, Array3, Axis};
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::nc::{NcData, NcWriter};
use permafrost_insar::io::warp::{self, Resampling, TargetGrid};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct FactorsArgs {
    /// Raster whose CRS, geotransform and shape every factor is put on.
    #[arg(long)]
    target: PathBuf,
    /// `NAME=FILE[:nearest|bilinear|average|mode]`; repeat for each factor.
    /// Default: nearest for categorical rasters (integer type), bilinear otherwise.
    #[arg(long = "input", value_name = "NAME=FILE[:METHOD]", required = true)]
    inputs: Vec<String>,
    /// `NAME=UNIT` for a factor (default: the source band's unit, if any).
    #[arg(long = "unit", value_name = "NAME=UNIT")]
    units: Vec<String>,
    /// Treat these factors as continuous even if stored as integers.
    #[arg(long, value_delimiter = ',')]
    continuous: Vec<String>,
    /// Output: a multi-band GeoTIFF (`.tif`) or CF-NetCDF (`.nc`).
    #[arg(long)]
    out: PathBuf,
}

struct Factor {
    name: String,
    path: PathBuf,
    method: Option<Resampling>,
}

fn parse_input(s: &str) -> Result<Factor> {
    let (name, rest) = s
        .split_once('=')
        .ok_or_else(|| Error::Invalid(format!("--input `{s}`: expected NAME=FILE[:METHOD]")))?;
    if name.is_empty() {
        return Err(Error::Invalid(format!("--input `{s}`: empty factor name")));
    }
    let (path, method) = match rest.rsplit_once(':') {
        Some((p, m)) if Resampling::parse(m).is_ok() => (p, Some(Resampling::parse(m)?)),
        _ => (rest, None),
    };
    Ok(Factor {
        name: name.to_string(),
        path: PathBuf::from(path),
        method,
    })
}

/// Whether the raster is categorical (integer-typed), and its band unit.
fn kind_and_unit(path: &Path) -> Result<(bool, Option<String>)> {
    let info = permafrost_insar::io::describe(path)?;
    let first = info.variables.first();
    Ok((
        first.is_some_and(|v| v.dtype.starts_with("int") || v.dtype.starts_with("uint")),
        first.and_then(|v| v.units.clone()),
    ))
}

pub(crate) fn run(args: &FactorsArgs, global: Global) -> Result<()> {
    let target = TargetGrid::of_raster(&args.target)?;
    let factors: Vec<Factor> = args
        .inputs
        .iter()
        .map(|s| parse_input(s))
        .collect::<Result<_>>()?;
    for (i, f) in factors.iter().enumerate() {
        if factors[..i].iter().any(|g| g.name == f.name) {
            return Err(Error::Invalid(format!(
                "--input: factor name `{}` given twice",
                f.name
            )));
        }
    }
    let mut data = Array3::<f64>::from_elem((factors.len(), target.rows, target.cols), f64::NAN);
    let mut methods = Vec::new();
    let mut units = Vec::new();
    for u in &args.units {
        let (name, _) = u
            .split_once('=')
            .ok_or_else(|| Error::Invalid(format!("--unit `{u}`: expected NAME=UNIT")))?;
        if !factors.iter().any(|f| f.name == name) {
            return Err(Error::Invalid(format!(
                "--unit `{u}`: no factor named `{name}`"
            )));
        }
    }
    for (k, f) in factors.iter().enumerate() {
        let (integer, source_unit) = kind_and_unit(&f.path)?;
        let categorical = integer && !args.continuous.contains(&f.name);
        let unit = args
            .units
            .iter()
            .find_map(|u| {
                u.split_once('=')
                    .filter(|(n, _)| *n == f.name)
                    .map(|(_, v)| v.to_string())
            })
            .or(source_unit)
            .unwrap_or_default();
        units.push(unit);
        let method = f.method.unwrap_or(if categorical {
            Resampling::Nearest
        } else {
            Resampling::Bilinear
        });
        if categorical && !method.is_categorical() {
            return Err(Error::Invalid(format!(
                "factor `{}` ({}): a categorical raster (integer values) cannot be resampled with {method:?}; use nearest or mode, or pass --continuous {}",
                f.name,
                f.path.display(),
                f.name
            )));
        }
        log::info!("{} ← {} ({method:?})", f.name, f.path.display());
        let warped = warp::warp_to(&f.path, &target, method)?;
        data.index_axis_mut(Axis(0), k).assign(&warped.band(0));
        methods.push(format!("{method:?}").to_lowercase());
    }
    let names: Vec<String> = factors.iter().map(|f| f.name.clone()).collect();
    let is_nc = args.out.extension().is_some_and(|e| e == "nc");
    if is_nc {
        write_netcdf(&args.out, &target, &names, &data, &factors, &units)?;
    } else {
        let raster = Raster {
            data,
            geotransform: target.geotransform,
            crs_wkt: target.crs_wkt.clone(),
            band_names: names.clone(),
        };
        geotiff::write_geotiff_with_units(&args.out, &raster, SampleType::Float32, &units)?;
    }
    if global.json {
        print_json(&json!({
            "bands": names,
            "resampling": methods,
            "units": units,
            "outputs": [args.out.display().to_string()],
        }))
    } else {
        println!(
            "wrote {} ({} bands: {})",
            args.out.display(),
            names.len(),
            names.join(", ")
        );
        Ok(())
    }
}

fn write_netcdf(
    out: &Path,
    target: &TargetGrid,
    names: &[String],
    data: &Array3<f64>,
    factors: &[Factor],
    units: &[String],
) -> Result<()> {
    let gt = target.geotransform;
    let x = Array1::from_shape_fn(target.cols, |c| gt[0] + (c as f64 + 0.5) * gt[1]);
    let y = Array1::from_shape_fn(target.rows, |r| gt[3] + (r as f64 + 0.5) * gt[5]);
    let mut w = NcWriter::new();
    w.dimension("y", target.rows)
        .dimension("x", target.cols)
        .variable("x", &["x"], NcData::F64(x.into_dyn()))
        .attr("x", "long_name", "x coordinate of cell centre (target CRS)")
        .variable("y", &["y"], NcData::F64(y.into_dyn()))
        .attr("y", "long_name", "y coordinate of cell centre (target CRS)")
        .global("Conventions", "CF-1.8")
        .global("crs_wkt", target.crs_wkt.as_str())
        .global("geotransform", gt.to_vec());
    for (k, (name, f)) in names.iter().zip(factors).enumerate() {
        w.variable(
            name,
            &["y", "x"],
            NcData::F32(data.index_axis(Axis(0), k).mapv(|v| v as f32).into_dyn()),
        )
        .attr(name, "_FillValue", f32::NAN)
        .attr(name, "long_name", name.as_str())
        .attr(name, "source", f.path.display().to_string());
        if !units[k].is_empty() {
            w.attr(name, "units", units[k].as_str());
        }
    }
    w.write(out)
}
