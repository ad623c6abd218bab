//! `terrain --dem F --out DIR`: slope and aspect by Horn's method.

use std::path::PathBuf;

use clap::Args;
use gdal::spatial_ref::SpatialRef;
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::terrain::{slope_aspect, Spacing};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{ensure_dir, print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct TerrainArgs {
    /// The DEM (any GDAL raster with a CRS; band 1 is used).
    #[arg(long)]
    dem: PathBuf,
    /// Output folder for slope.tif and aspect.tif.
    #[arg(long)]
    out: PathBuf,
}

pub(crate) fn run(args: &TerrainArgs, global: Global) -> Result<()> {
    let dem = geotiff::read_raster(&args.dem)?;
    if dem.crs_wkt.trim().is_empty() {
        return Err(Error::format(
            &args.dem,
            "has no CRS: the pixel size in metres is unknown",
        ));
    }
    let srs = SpatialRef::from_wkt(&dem.crs_wkt)
        .map_err(|e| Error::format(&args.dem, format!("unknown CRS: {e}")))?;
    let spacing = if srs.is_geographic() {
        Spacing::Geographic
    } else {
        Spacing::Projected {
            metres_per_unit: srs.linear_units(),
        }
    };
    log::info!(
        "{}: {:?} grid, {} × {}",
        args.dem.display(),
        spacing,
        dem.shape().0,
        dem.shape().1
    );
    let sa = slope_aspect(dem.band(0), dem.geotransform, spacing)?;
    ensure_dir(&args.out)?;
    let mut outputs = Vec::new();
    for (name, values) in [("slope", &sa.slope_deg), ("aspect", &sa.aspect_deg)] {
        let mut raster = Raster::single(values.clone(), dem.geotransform, dem.crs_wkt.clone());
        raster.band_names = vec![format!("{name} (degrees)")];
        let path = args.out.join(format!("{name}.tif"));
        geotiff::write_geotiff(&path, &raster, SampleType::Float32)?;
        outputs.push(path.display().to_string());
    }
    let n_flat = sa.flat.iter().filter(|&&f| f).count();
    if global.json {
        print_json(&json!({
            "outputs": outputs,
            "spacing": if matches!(spacing, Spacing::Geographic) { "geographic" } else { "projected" },
            "n_flat": n_flat,
        }))
    } else {
        for o in &outputs {
            println!("wrote {o}");
        }
        println!("{n_flat} flat cells (aspect NaN)");
        Ok(())
    }
}
