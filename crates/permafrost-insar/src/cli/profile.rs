//! `profile --line "LON,LAT;LON,LAT;…" --half-width M [--step M]
//! --input NAME=FILE … --out F.csv`: swath profiles along a polyline.

use std::path::PathBuf;

use clap::Args;
use permafrost_insar::io::geotiff;
use permafrost_insar::io::write_atomically;
use permafrost_insar::profile::{sample_profile, ProfileParams};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct ProfileArgs {
    /// Polyline vertices as `LON,LAT;LON,LAT;…` (WGS84 degrees).
    #[arg(long, allow_hyphen_values = true)]
    line: String,
    /// Half-width of the swath across the line (m).
    #[arg(long, default_value_t = 0.0)]
    half_width: f64,
    /// Distance between stations (and across-track samples), m.
    #[arg(long, default_value_t = 30.0)]
    step: f64,
    /// `NAME=FILE`: a raster to profile (band 1); repeat for deformation, elevation, …
    #[arg(long = "input", value_name = "NAME=FILE", required = true)]
    inputs: Vec<String>,
    /// Output CSV.
    #[arg(long)]
    out: PathBuf,
}

fn parse_line(s: &str) -> Result<Vec<(f64, f64)>> {
    s.split(';')
        .filter(|p| !p.trim().is_empty())
        .enumerate()
        .map(|(i, p)| {
            let (lon, lat) = p.split_once(',').ok_or_else(|| {
                Error::Invalid(format!("--line: vertex {} `{p}` is not LON,LAT", i + 1))
            })?;
            let parse = |v: &str| {
                v.trim().parse::<f64>().map_err(|_| {
                    Error::Invalid(format!("--line: vertex {} `{p}` is not LON,LAT", i + 1))
                })
            };
            Ok((parse(lon)?, parse(lat)?))
        })
        .collect()
}

pub(crate) fn run(args: &ProfileArgs, global: Global) -> Result<()> {
    let vertices = parse_line(&args.line)?;
    let params = ProfileParams::new(args.step, args.half_width)?;
    let mut rasters = Vec::new();
    for s in &args.inputs {
        let (name, file) = s
            .split_once('=')
            .filter(|(n, f)| !n.is_empty() && !f.is_empty())
            .ok_or_else(|| Error::Invalid(format!("--input `{s}`: expected NAME=FILE")))?;
        rasters.push((
            name.to_string(),
            geotiff::read_raster(std::path::Path::new(file))?,
        ));
    }
    let refs: Vec<(&str, &geotiff::Raster)> =
        rasters.iter().map(|(n, r)| (n.as_str(), r)).collect();
    let table = sample_profile(&vertices, &refs, &params)?;
    let csv = table.to_csv();
    write_atomically(&args.out, |tmp| {
        std::fs::write(tmp, &csv).map_err(|e| Error::io(&args.out, e))
    })?;
    let length = table.distance_m.last().copied().unwrap_or(0.0);
    if global.json {
        print_json(&json!({
            "outputs": [args.out.display().to_string()],
            "n_stations": table.distance_m.len(),
            "length_m": length,
            "columns": table.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        }))
    } else {
        println!(
            "wrote {} ({} stations over {length:.0} m)",
            args.out.display(),
            table.distance_m.len()
        );
        Ok(())
    }
}
