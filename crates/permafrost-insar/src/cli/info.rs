//! `info FILE[:VAR]`: describe a file, or one variable with value statistics.

use clap::Args;
use permafrost_insar::io::{describe, read_array, FileInfo, VarSpec};
use permafrost_insar::{Error, Result};
use serde::Serialize;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    /// The file (GeoTIFF, NetCDF, HDF5, MATLAB .mat, HDF4, CSV), or
    /// `FILE:VAR` for one variable (dataset, `band_N`, column) with statistics.
    file: String,
}

/// Summary statistics of one variable's values (`NaN` = missing).
#[derive(Debug, Serialize)]
struct ValueStats {
    n: usize,
    n_missing: usize,
    min: f64,
    max: f64,
    mean: f64,
}

fn stats(values: impl Iterator<Item = f64>) -> ValueStats {
    let (mut n, mut missing, mut sum) = (0usize, 0usize, 0.0f64);
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for x in values {
        n += 1;
        if x.is_nan() {
            missing += 1;
            continue;
        }
        sum += x;
        min = min.min(x);
        max = max.max(x);
    }
    let valid = n - missing;
    let nan_if_empty = |x: f64| if valid == 0 { f64::NAN } else { x };
    ValueStats {
        n,
        n_missing: missing,
        min: nan_if_empty(min),
        max: nan_if_empty(max),
        mean: nan_if_empty(sum / valid.max(1) as f64),
    }
}

pub(crate) fn run(args: &InfoArgs, global: Global) -> Result<()> {
    let spec = VarSpec::parse(&args.file);
    let mut info = describe(&spec.path)?;
    let value_stats = match &spec.variable {
        None => None,
        Some(var) => {
            let values = read_array(&spec.path, Some(var))?;
            info.variables.retain(|v| &v.name == var);
            if info.variables.is_empty() {
                // Band descriptions and similar aliases: describe by the data read.
                return Err(Error::Invalid(format!(
                    "{}: `{var}` was read but is not listed",
                    spec.path.display()
                )));
            }
            Some(stats(values.iter().copied()))
        }
    };
    if global.json {
        let mut value = serde_json::to_value(&info)
            .map_err(|e| Error::Invalid(format!("cannot encode JSON: {e}")))?;
        if let (Some(s), Some(map)) = (&value_stats, value.as_object_mut()) {
            map.insert(
                "stats".into(),
                serde_json::to_value(s)
                    .map_err(|e| Error::Invalid(format!("cannot encode JSON: {e}")))?,
            );
        }
        print_json(&value)
    } else {
        print_human(&info);
        if let Some(s) = value_stats {
            println!(
                "  values: n = {}, missing = {}, min = {}, max = {}, mean = {}",
                s.n, s.n_missing, s.min, s.max, s.mean
            );
        }
        Ok(())
    }
}

fn print_human(info: &FileInfo) {
    println!("{}: {} ({} bytes)", info.path, info.format, info.size_bytes);
    if let Some(crs) = &info.crs {
        let code = crs
            .epsg
            .map(|c| format!("EPSG:{c}"))
            .unwrap_or_else(|| "no EPSG code".into());
        println!(
            "  crs: {} {} (from {})",
            code,
            crs.name.as_deref().unwrap_or(""),
            crs.source
        );
    }
    if let Some(gt) = &info.geotransform {
        println!("  geotransform: {gt:?}");
    }
    if let Some(t) = &info.time {
        println!(
            "  time: {} steps from {} to {} ({}: {})",
            t.n, t.first, t.last, t.variable, t.units
        );
    }
    if !info.dimensions.is_empty() {
        let dims: Vec<String> = info
            .dimensions
            .iter()
            .map(|d| format!("{}={}", d.name, d.len))
            .collect();
        println!("  dimensions: {}", dims.join(", "));
    }
    println!("  variables:");
    for v in &info.variables {
        let shape: Vec<String> = v.shape.iter().map(usize::to_string).collect();
        let mut line = format!("    {:<24} {:<10} [{}]", v.name, v.dtype, shape.join(" × "));
        if !v.dims.is_empty() {
            line.push_str(&format!(" ({})", v.dims.join(", ")));
        }
        if let Some(u) = &v.units {
            line.push_str(&format!(" {u}"));
        }
        if v.packed {
            line.push_str(" packed");
        }
        println!("{line}");
    }
}
