//! `upscale --input F… --resolution-km K --bins N --range MIN,MAX
//! --threshold T --out F.nc`: the geodesic km grid, per-cell histograms and
//! moments of high-resolution fields, streamed in blocks.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use ndarray::{Array1, Array2, Ix2};
use permafrost_insar::equal_area::equal_area_grid;
use permafrost_insar::io::nc::{self, LatLon, NcData, NcWriter};
use permafrost_insar::io::table::stream_numeric_columns;
use permafrost_insar::io::{detect, geotiff, write_atomically, Format, VarSpec};
use permafrost_insar::upscale::{
    cdo_griddes, BinnedCells, Binner, BinningParams, BoundingBox, GeodesicGridParams, Grid,
    GriddesKind, PointFilter,
};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct UpscaleArgs {
    /// High-resolution inputs: GeoTIFFs (any CRS), NetCDF `FILE:VAR` (1-D or
    /// 2-D lat/lon), or CSV point tables `FILE:VALUE_COLUMN` with `lon`/`lat` columns.
    #[arg(long = "input", required = true, num_args = 1..)]
    inputs: Vec<String>,
    /// Cell size of the grid (km): the side of the geodesic cells, or the
    /// side of the EPSG:6933 squares of the equal-area grid.
    #[arg(long, default_value_t = 10.0)]
    resolution_km: f64,
    /// Grid: `geodesic` (the study's km grid, WGS84 geodesic steps) or
    /// `equal-area` (cells of equal area, square in EPSG:6933 via PROJ).
    #[arg(long, value_enum, default_value_t = GridKind::Geodesic)]
    grid: GridKind,
    /// Number of histogram bins.
    #[arg(long, default_value_t = 50)]
    bins: usize,
    /// Histogram range `MIN,MAX` (also the point filter's range).
    #[arg(long, allow_hyphen_values = true)]
    range: String,
    /// A cell is valid when its count is strictly greater than this.
    #[arg(long, default_value_t = 6000)]
    threshold: u64,
    /// Drop values with |x| below this (0 is the products' fill value); 0 keeps all.
    #[arg(long, default_value_t = 1e-5)]
    near_zero: f64,
    /// Rows read per block from rasters and NetCDF fields, and 1,024 times
    /// as many lines per block from CSV tables (memory stays bounded by it;
    /// 2-D lat/lon of curvilinear NetCDF grids are read whole).
    #[arg(long, default_value_t = 512)]
    block_rows: usize,
    /// Also write the grid as a CDO grid description (`cdo griddes` text).
    #[arg(long)]
    griddes: Option<PathBuf>,
    /// Output CF-NetCDF.
    #[arg(long)]
    out: PathBuf,
}

/// The grid of `--grid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum GridKind {
    /// Geodesic km grid (SCIENCE.md §5).
    Geodesic,
    /// Equal-area grid, square cells in EPSG:6933.
    EqualArea,
}

impl GridKind {
    fn describe(self) -> &'static str {
        match self {
            GridKind::Geodesic => "geodesic (WGS84 forward geodesic steps)",
            GridKind::EqualArea => "equal-area (EPSG:6933 squares)",
        }
    }
}

/// Where the values of one input come from.
enum Source {
    /// A GDAL raster (coordinates transformed to lon/lat when projected).
    Raster { path: PathBuf, geographic: bool },
    /// A NetCDF variable on a regular or curvilinear lat/lon grid.
    NetCdf { path: PathBuf, var: String },
    /// A CSV point table.
    Points { path: PathBuf, column: String },
}

fn open_source(s: &str) -> Result<Source> {
    let spec = VarSpec::parse(s);
    match detect(&spec.path)? {
        Format::Geotiff | Format::Hdf4 => {
            let wkt = geotiff::RasterReader::open(&spec.path)?.crs_wkt();
            let srs = SpatialRef::from_wkt(&wkt)
                .map_err(|e| Error::format(&spec.path, format!("no usable CRS: {e}")))?;
            Ok(Source::Raster {
                path: spec.path,
                geographic: srs.is_geographic(),
            })
        }
        Format::Netcdf3 | Format::Netcdf4 => {
            let var = spec.variable.ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: name the variable as FILE:VAR",
                    spec.path.display()
                ))
            })?;
            Ok(Source::NetCdf {
                path: spec.path,
                var,
            })
        }
        Format::Csv => {
            let column = spec.variable.ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: name the value column as FILE:COLUMN",
                    spec.path.display()
                ))
            })?;
            Ok(Source::Points {
                path: spec.path,
                column,
            })
        }
        other => Err(Error::format(
            &spec.path,
            format!("{other} input is not supported by upscale"),
        )),
    }
}

fn lonlat_transform(wkt: &str, path: &Path) -> Result<CoordTransform> {
    let mut src =
        SpatialRef::from_wkt(wkt).map_err(|e| Error::format(path, format!("CRS: {e}")))?;
    let mut wgs =
        SpatialRef::from_epsg(4326).map_err(|e| Error::Invalid(format!("EPSG:4326: {e}")))?;
    src.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    wgs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    CoordTransform::new(&src, &wgs)
        .map_err(|e| Error::format(path, format!("no transformation to WGS84: {e}")))
}

/// CSV lines read per `--block-rows` row.
const CSV_LINES_PER_ROW: usize = 1024;

/// Streams a source through `visit(lons, lats, values)`; rasters and
/// curvilinear grids go as point batches, regular grids as rows.
fn stream(
    source: &Source,
    block_rows: usize,
    visit: &mut dyn FnMut(Batch<'_>) -> Result<()>,
) -> Result<()> {
    match source {
        Source::Raster { path, geographic } => {
            let reader = geotiff::RasterReader::open(path)?;
            let gt = reader.geotransform();
            let transform = if *geographic {
                None
            } else {
                Some(lonlat_transform(&reader.crs_wkt(), path)?)
            };
            let (rows, cols) = reader.shape();
            let xs: Vec<f64> = (0..cols)
                .map(|c| gt[0] + (c as f64 + 0.5) * gt[1])
                .collect();
            let mut r0 = 0;
            while r0 < rows {
                let n = block_rows.min(rows - r0);
                let block = reader.read_rows(1, r0, n)?;
                let ys: Vec<f64> = (r0..r0 + n)
                    .map(|r| gt[3] + (r as f64 + 0.5) * gt[5])
                    .collect();
                match &transform {
                    None => visit(Batch::Rows {
                        lons: &xs,
                        lats: &ys,
                        values: block,
                    })?,
                    Some(t) => {
                        let mut px: Vec<f64> = (0..n * cols).map(|i| xs[i % cols]).collect();
                        let mut py: Vec<f64> = (0..n * cols).map(|i| ys[i / cols]).collect();
                        let mut pz = vec![0.0; n * cols];
                        t.transform_coords(&mut px, &mut py, &mut pz)
                            .map_err(|e| Error::format(path, format!("to lon/lat: {e}")))?;
                        visit(Batch::Points {
                            lons: px,
                            lats: py,
                            values: block.into_iter().collect(),
                        })?;
                    }
                }
                r0 += n;
            }
            Ok(())
        }
        Source::NetCdf { path, var } => {
            let shape = nc::variable_shape(path, var)?;
            let &[rows, cols] = shape.as_slice() else {
                return Err(Error::variable(
                    path,
                    var,
                    format!("expected a 2-D (lat, lon) field, found shape {shape:?}"),
                ));
            };
            // The field is read `block_rows` rows at a time.
            let block = |r0: usize| -> Result<Array2<f64>> {
                let r1 = (r0 + block_rows).min(rows);
                nc::read_variable_rows(path, var, r0..r1)?
                    .data
                    .into_dimensionality::<Ix2>()
                    .map_err(|_| Error::variable(path, var, "expected a 2-D (lat, lon) field"))
            };
            match nc::read_lat_lon(path)? {
                LatLon::Regular { lat, lon } => {
                    if (rows, cols) != (lat.len(), lon.len()) {
                        return Err(Error::Shape {
                            context: format!("{}: `{var}` against (lat, lon)", path.display()),
                            expected: vec![lat.len(), lon.len()],
                            found: shape,
                        });
                    }
                    for r0 in (0..rows).step_by(block_rows) {
                        let values = block(r0)?;
                        let lats = &lat[r0..r0 + values.nrows()];
                        visit(Batch::Rows {
                            lons: &lon,
                            lats,
                            values,
                        })?;
                    }
                    Ok(())
                }
                LatLon::Curvilinear { lat, lon } => {
                    if lat.shape() != shape.as_slice() {
                        return Err(Error::Shape {
                            context: format!("{}: `{var}` against 2-D lat/lon", path.display()),
                            expected: lat.shape().to_vec(),
                            found: shape,
                        });
                    }
                    // 2-D coordinates are read whole; the values stream.
                    let two_d = |a: ndarray::ArrayD<f64>| {
                        a.into_dimensionality::<Ix2>()
                            .map_err(|_| Error::format(path, "2-D latitude/longitude expected"))
                    };
                    let (lat, lon) = (two_d(lat)?, two_d(lon)?);
                    for r0 in (0..rows).step_by(block_rows) {
                        let values = block(r0)?;
                        let r = r0..r0 + values.nrows();
                        visit(Batch::Points {
                            lons: lon
                                .slice(ndarray::s![r.clone(), ..])
                                .iter()
                                .copied()
                                .collect(),
                            lats: lat.slice(ndarray::s![r, ..]).iter().copied().collect(),
                            values: values.iter().copied().collect(),
                        })?;
                    }
                    Ok(())
                }
                _ => Err(Error::format(path, "unsupported coordinates")),
            }
        }
        Source::Points { path, column } => {
            let pick = |header: &[String]| -> Result<Vec<usize>> {
                let find = |names: [&str; 2]| {
                    names
                        .iter()
                        .find_map(|n| header.iter().position(|c| c.eq_ignore_ascii_case(n)))
                        .ok_or_else(|| Error::missing(path, names[0], header))
                };
                let value = header
                    .iter()
                    .position(|c| c == column)
                    .ok_or_else(|| Error::missing(path, column, header))?;
                Ok(vec![
                    find(["lon", "longitude"])?,
                    find(["lat", "latitude"])?,
                    value,
                ])
            };
            stream_numeric_columns(
                path,
                pick,
                block_rows.saturating_mul(CSV_LINES_PER_ROW),
                |c| {
                    visit(Batch::Points {
                        lons: std::mem::take(&mut c[0]),
                        lats: std::mem::take(&mut c[1]),
                        values: std::mem::take(&mut c[2]),
                    })
                },
            )
        }
    }
}

/// The longitude and latitude axes of a source on a regular geographic grid
/// (read without its values), `None` for other sources.
fn axes(source: &Source) -> Result<Option<(Vec<f64>, Vec<f64>)>> {
    match source {
        Source::Raster {
            path,
            geographic: true,
        } => {
            let reader = geotiff::RasterReader::open(path)?;
            let gt = reader.geotransform();
            if gt[2] != 0.0 || gt[4] != 0.0 {
                return Ok(None);
            }
            let (rows, cols) = reader.shape();
            let xs = (0..cols)
                .map(|c| gt[0] + (c as f64 + 0.5) * gt[1])
                .collect();
            let ys = (0..rows)
                .map(|r| gt[3] + (r as f64 + 0.5) * gt[5])
                .collect();
            Ok(Some((xs, ys)))
        }
        Source::NetCdf { path, .. } => match nc::read_lat_lon(path)? {
            LatLon::Regular { lat, lon } => Ok(Some((lon, lat))),
            _ => Ok(None),
        },
        _ => Ok(None),
    }
}

/// One batch of values with coordinates.
enum Batch<'a> {
    Rows {
        lons: &'a [f64],
        lats: &'a [f64],
        values: Array2<f64>,
    },
    Points {
        lons: Vec<f64>,
        lats: Vec<f64>,
        values: Vec<f64>,
    },
}

pub(crate) fn run(args: &UpscaleArgs, global: Global) -> Result<()> {
    let (min, max) = args
        .range
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
        .ok_or_else(|| Error::Invalid(format!("--range `{}`: expected MIN,MAX", args.range)))?;
    let up = |e: permafrost_insar::upscale::Error| Error::Invalid(format!("upscale: {e}"));
    let filter = PointFilter::new(min, max, args.near_zero).map_err(up)?;
    let binning = BinningParams::new(min, max)
        .with_bins(args.bins)
        .with_threshold(args.threshold)
        .with_filter(Some(filter))
        .build()
        .map_err(up)?;
    if args.block_rows == 0 {
        return Err(Error::Invalid("--block-rows must be at least 1".into()));
    }
    let sources: Vec<Source> = args
        .inputs
        .iter()
        .map(|s| open_source(s))
        .collect::<Result<_>>()?;
    // Pass 1: the bounding box of every coordinate.
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for s in &sources {
        if let Some((xs, ys)) = axes(s)? {
            // Regular geographic grids: the coordinate axes suffice.
            for x in xs.into_iter().filter(|x| x.is_finite()) {
                lo_x = lo_x.min(x);
                hi_x = hi_x.max(x);
            }
            for y in ys.into_iter().filter(|y| y.is_finite()) {
                lo_y = lo_y.min(y);
                hi_y = hi_y.max(y);
            }
            continue;
        }
        stream(s, args.block_rows, &mut |b| {
            let (xs, ys): (Vec<f64>, Vec<f64>) = match &b {
                Batch::Rows { lons, lats, .. } => (lons.to_vec(), lats.to_vec()),
                Batch::Points { lons, lats, .. } => (lons.clone(), lats.clone()),
            };
            for x in xs.into_iter().filter(|x| x.is_finite()) {
                lo_x = lo_x.min(x);
                hi_x = hi_x.max(x);
            }
            for y in ys.into_iter().filter(|y| y.is_finite()) {
                lo_y = lo_y.min(y);
                hi_y = hi_y.max(y);
            }
            Ok(())
        })?;
    }
    let bbox = BoundingBox::new(lo_x, hi_x, lo_y, hi_y).map_err(up)?;
    let grid = match args.grid {
        GridKind::Geodesic => GeodesicGridParams::new(args.resolution_km)
            .build(&bbox)
            .map_err(up)?,
        GridKind::EqualArea => equal_area_grid(&bbox, args.resolution_km)?,
    };
    log::info!(
        "{} grid {} × {} cells of {} km",
        args.grid.describe(),
        grid.ny(),
        grid.nx(),
        args.resolution_km
    );
    // Pass 2: stream the values.
    let mut binner: Binner = binning.binner(&grid);
    for s in &sources {
        stream(s, args.block_rows, &mut |b| match b {
            Batch::Rows { lons, lats, values } => {
                binner.push_raster(lons, lats, values.view()).map_err(up)
            }
            Batch::Points { lons, lats, values } => {
                binner.push_points(&lons, &lats, &values).map_err(up)
            }
        })?;
    }
    let cells = binner.finish();
    write_netcdf(&args.out, &grid, &cells, args)?;
    let mut outputs = vec![args.out.display().to_string()];
    if let Some(path) = &args.griddes {
        let text = cdo_griddes(&grid, GriddesKind::LonLat);
        write_atomically(path, |tmp| {
            std::fs::write(tmp, &text).map_err(|e| Error::io(path, e))
        })?;
        outputs.push(path.display().to_string());
    }
    let n_valid = cells.valid.iter().filter(|&&v| v).count();
    if global.json {
        print_json(&json!({
            "n_cells": grid.n_cells(),
            "n_valid_cells": n_valid,
            "grid_shape": [grid.ny(), grid.nx()],
            "grid": args.grid.describe(),
            "points_seen": cells.report.points_seen,
            "points_binned": cells.report.binned,
            "dropped_by_filter": cells.report.dropped_by_filter,
            "dropped_non_finite": cells.report.dropped_non_finite,
            "outputs": outputs,
        }))
    } else {
        println!(
            "{} of {} cells valid; wrote {}",
            n_valid,
            grid.n_cells(),
            outputs.join(", ")
        );
        Ok(())
    }
}

fn write_netcdf(out: &Path, grid: &Grid, cells: &BinnedCells, args: &UpscaleArgs) -> Result<()> {
    let (ny, nx) = grid.shape();
    let nb = cells.bins.n_bins();
    let to2 = |a: &Array1<f64>| {
        a.clone()
            .into_shape_with_order((ny, nx))
            .map(|x| x.into_dyn())
    };
    let shape_err = |e: ndarray::ShapeError| Error::Invalid(format!("upscale: {e}"));
    let density = cells
        .density
        .clone()
        .into_shape_with_order((ny, nx, nb))
        .map_err(shape_err)?;
    let (lon2, lat2) = grid.centres_2d();
    let mut w = NcWriter::new();
    w.dimension("y", ny)
        .dimension("x", nx)
        .dimension("bin", nb)
        .dimension("bin_edge", nb + 1)
        .dimension("nv", 2)
        .variable("lat", &["y"], NcData::F64(grid.lat_centres().into_dyn()))
        .attr("lat", "units", "degrees_north")
        .attr("lat", "standard_name", "latitude")
        .attr("lat", "bounds", "lat_bnds")
        .variable(
            "lat_bnds",
            &["y", "nv"],
            NcData::F64(grid.lat_bounds().into_dyn()),
        )
        .variable("lon", &["x"], NcData::F64(grid.lon_centres().into_dyn()))
        .attr("lon", "units", "degrees_east")
        .attr("lon", "standard_name", "longitude")
        .attr("lon", "bounds", "lon_bnds")
        .variable(
            "lon_bnds",
            &["x", "nv"],
            NcData::F64(grid.lon_bounds().into_dyn()),
        )
        .variable("cell_lon", &["y", "x"], NcData::F64(lon2.into_dyn()))
        .variable("cell_lat", &["y", "x"], NcData::F64(lat2.into_dyn()))
        .variable(
            "bin_edges",
            &["bin_edge"],
            NcData::F64(Array1::from(cells.bins.edges().to_vec()).into_dyn()),
        )
        .variable(
            "count",
            &["y", "x"],
            NcData::I64(
                cells
                    .counts
                    .mapv(|c| c as i64)
                    .into_shape_with_order((ny, nx))
                    .map_err(shape_err)?
                    .into_dyn(),
            ),
        )
        .attr(
            "count",
            "long_name",
            "high-resolution values binned in the cell",
        )
        .variable(
            "valid",
            &["y", "x"],
            NcData::I16(
                cells
                    .valid
                    .mapv(i16::from)
                    .into_shape_with_order((ny, nx))
                    .map_err(shape_err)?
                    .into_dyn(),
            ),
        )
        .attr("valid", "long_name", format!("count > {}", args.threshold))
        .variable(
            "histogram",
            &["y", "x", "bin"],
            NcData::F64(density.into_dyn()),
        )
        .attr(
            "histogram",
            "long_name",
            "density: count / total / bin width",
        )
        .global("Conventions", "CF-1.8")
        .global("resolution_km", args.resolution_km)
        .global("grid", args.grid.describe())
        .global("threshold", args.threshold as f64)
        .global("source", "permafrost-insar upscale");
    for (name, values, long) in [
        ("mean", &cells.mean, "cell mean"),
        ("std", &cells.std, "population standard deviation"),
        ("skewness", &cells.skewness, "skewness"),
        ("kurtosis", &cells.kurtosis, "Pearson kurtosis (not excess)"),
    ] {
        w.variable(
            name,
            &["y", "x"],
            NcData::F64(to2(values).map_err(shape_err)?),
        )
        .attr(name, "long_name", long)
        .attr(name, "_FillValue", f64::NAN);
    }
    w.write(out)
}
