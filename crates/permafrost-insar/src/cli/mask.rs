//! `mask --target F [--exclude FILE=V,V…] [--min FILE=T] [--max FILE=T]
//! [--apply PRODUCT…] --out DIR`: build a keep-mask on the target grid and
//! apply it to products.

use std::path::{Path, PathBuf};

use clap::Args;
use ndarray::Array2;
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::warp::{self, Resampling, TargetGrid};
use permafrost_insar::mask::{apply_mask, build_mask, MaskRule};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{ensure_dir, print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct MaskArgs {
    /// Raster defining the output grid (CRS, geotransform, shape).
    #[arg(long)]
    target: PathBuf,
    /// `FILE=V,V,…`: drop cells whose class is one of the values (e.g. water, glacier).
    #[arg(long, value_name = "FILE=VALUES")]
    exclude: Vec<String>,
    /// `FILE=T`: keep cells with value ≥ T (e.g. coherence); NaN is dropped.
    #[arg(long, value_name = "FILE=T")]
    min: Vec<String>,
    /// `FILE=T`: keep cells with value ≤ T; NaN is dropped.
    #[arg(long, value_name = "FILE=T")]
    max: Vec<String>,
    /// Products to mask (written as `<name>_masked.tif` in --out).
    #[arg(long)]
    apply: Vec<PathBuf>,
    /// Output folder (mask.tif: 1 keep, 0 masked).
    #[arg(long)]
    out: PathBuf,
}

fn split_spec<'a>(flag: &str, s: &'a str) -> Result<(&'a str, &'a str)> {
    s.rsplit_once('=')
        .filter(|(f, v)| !f.is_empty() && !v.is_empty())
        .ok_or_else(|| Error::Invalid(format!("--{flag} `{s}`: expected FILE=VALUE")))
}

fn number(flag: &str, s: &str) -> Result<f64> {
    s.trim()
        .parse::<f64>()
        .map_err(|_| Error::Invalid(format!("--{flag}: `{s}` is not a number")))
}

/// Band 1 of `path` on the target grid (warped when the grids differ).
fn on_grid(path: &Path, target: &TargetGrid, resampling: Resampling) -> Result<Array2<f64>> {
    let raster = geotiff::read_raster(path)?;
    if TargetGrid::of(&raster) == *target {
        return Ok(raster.band(0).to_owned());
    }
    Ok(warp::warp_to(path, target, resampling)?.band(0).to_owned())
}

pub(crate) fn run(args: &MaskArgs, global: Global) -> Result<()> {
    let target = TargetGrid::of_raster(&args.target)?;
    let mut layers: Vec<(Array2<f64>, MaskRule)> = Vec::new();
    for s in &args.exclude {
        let (file, values) = split_spec("exclude", s)?;
        let classes = values
            .split(',')
            .map(|v| number("exclude", v))
            .collect::<Result<Vec<_>>>()?;
        layers.push((
            on_grid(Path::new(file), &target, Resampling::Nearest)?,
            MaskRule::ExcludeClasses(classes),
        ));
    }
    for (flag, list) in [("min", &args.min), ("max", &args.max)] {
        for s in list {
            let (file, t) = split_spec(flag, s)?;
            let t = number(flag, t)?;
            let rule = if flag == "min" {
                MaskRule::Min(t)
            } else {
                MaskRule::Max(t)
            };
            layers.push((
                on_grid(Path::new(file), &target, Resampling::Bilinear)?,
                rule,
            ));
        }
    }
    if layers.is_empty() {
        return Err(Error::Invalid(
            "mask: give at least one --exclude, --min or --max".into(),
        ));
    }
    let views: Vec<_> = layers.iter().map(|(a, r)| (a.view(), r.clone())).collect();
    let keep = build_mask(&views)?;
    ensure_dir(&args.out)?;
    let mask_path = args.out.join("mask.tif");
    let mut mask = Raster::single(
        keep.mapv(|k| if k { 1.0 } else { 0.0 }),
        target.geotransform,
        target.crs_wkt.clone(),
    );
    mask.band_names = vec!["keep (1) / masked (0)".into()];
    geotiff::write_geotiff(&mask_path, &mask, SampleType::Float32)?;
    let mut outputs = vec![mask_path.display().to_string()];
    for product in &args.apply {
        let mut values = on_grid(product, &target, Resampling::Bilinear)?;
        apply_mask(&mut values, &keep)?;
        let stem = product
            .file_stem()
            .map_or_else(|| "product".into(), |s| s.to_string_lossy().into_owned());
        let path = args.out.join(format!("{stem}_masked.tif"));
        geotiff::write_geotiff(
            &path,
            &Raster::single(values, target.geotransform, target.crs_wkt.clone()),
            SampleType::Float32,
        )?;
        outputs.push(path.display().to_string());
    }
    let n_kept = keep.iter().filter(|&&k| k).count();
    if global.json {
        print_json(&json!({"outputs": outputs, "n_kept": n_kept, "n_masked": keep.len() - n_kept}))
    } else {
        println!(
            "kept {n_kept} of {} cells; wrote {}",
            keep.len(),
            outputs.join(", ")
        );
        Ok(())
    }
}
