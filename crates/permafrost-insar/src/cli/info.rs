//! `info FILE`: describe a file.

use std::path::PathBuf;

use clap::Args;
use permafrost_insar::io::{describe, FileInfo};
use permafrost_insar::Result;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct InfoArgs {
    /// The file (GeoTIFF, NetCDF, HDF5, MATLAB .mat, HDF4, CSV).
    file: PathBuf,
}

pub(crate) fn run(args: &InfoArgs, global: Global) -> Result<()> {
    let info = describe(&args.file)?;
    if global.json {
        let value = serde_json::to_value(&info)
            .map_err(|e| permafrost_insar::Error::Invalid(format!("cannot encode JSON: {e}")))?;
        print_json(&value)
    } else {
        print_human(&info);
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
