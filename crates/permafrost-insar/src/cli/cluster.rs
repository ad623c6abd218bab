//! `cluster kmeans`, `cluster dbscan` and `cluster histograms`: time-series
//! k-means, DBSCAN on point tables and histogram clustering of the
//! `upscale` output.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use ndarray::{Array2, ArrayD, Ix2, Ix3};
use permafrost_insar::cluster::{
    fit_histograms_wasserstein, DbscanMetric, DbscanParams, DtwDba, Euclidean, HistogramBins, Init,
    KMeansParams, KMeansResult, Shape, SoftDtw, WassersteinOrder,
};
use permafrost_insar::io::nc::{self, NcData, NcWriter};
use permafrost_insar::io::table::Table;
use permafrost_insar::io::{detect, read_array, write_atomically, Format, VarSpec};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Subcommand)]
pub(crate) enum ClusterCommand {
    /// k-means of time series (CSV rows, a MintPy `timeseries.h5`, or a MATLAB matrix).
    Kmeans(KmeansArgs),
    /// DBSCAN on the coordinates of a point table (scikit-learn semantics).
    Dbscan(DbscanArgs),
    /// k-means of per-cell histograms from the `upscale` output.
    Histograms(HistogramsArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeriesMetric {
    Euclidean,
    Dtw,
    Softdtw,
}

#[derive(Debug, Args)]
pub(crate) struct KmeansArgs {
    /// Series: a CSV (one series per row, every column a date), a MintPy
    /// `timeseries.h5` (one series per pixel; `FILE:DATASET`, default
    /// `timeseries`), or a MATLAB `FILE.mat:VAR` matrix (one series per row).
    #[arg(long)]
    series: String,
    /// Number of clusters.
    #[arg(long)]
    k: usize,
    /// Distance and barycentre: squared Euclidean/mean, DTW²/DBA, soft-DTW/its barycentre.
    #[arg(long, value_enum, default_value = "euclidean")]
    metric: SeriesMetric,
    /// Sakoe–Chiba radius for dtw and softdtw (dates); none by default.
    #[arg(long)]
    radius: Option<usize>,
    /// Soft-DTW smoothing γ.
    #[arg(long, default_value_t = 1.0)]
    gamma: f64,
    /// Seed of k-means++.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Restarts (the lowest inertia is kept).
    #[arg(long, default_value_t = 1)]
    n_init: usize,
    /// Lloyd iterations per restart.
    #[arg(long, default_value_t = 50)]
    max_iter: usize,
    /// Stop when the centroid shift is at most this times the mean per-date
    /// variance (0: only when no label changes).
    #[arg(long, default_value_t = 1e-4)]
    tol: f64,
    /// Barycentre iterations per update (DBA for dtw, L-BFGS for softdtw).
    #[arg(long, default_value_t = 100)]
    max_iter_barycenter: usize,
    /// Start from these centroids (CSV, one centroid per row, k rows) instead of k-means++.
    #[arg(long)]
    init_centroids: Option<PathBuf>,
    /// Output label table (CSV).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PointMetric {
    Euclidean,
    Haversine,
}

#[derive(Debug, Args)]
pub(crate) struct DbscanArgs {
    /// Point table (CSV with a header line).
    #[arg(long)]
    points: PathBuf,
    /// Column of the first coordinate (x, or longitude ° for haversine).
    #[arg(long)]
    x: String,
    /// Column of the second coordinate (y, or latitude ° for haversine).
    #[arg(long)]
    y: String,
    /// Neighbourhood radius (coordinate units; km for haversine).
    #[arg(long)]
    eps: f64,
    /// Points within eps (the point itself included) that make a core point.
    #[arg(long, default_value_t = 5)]
    min_samples: usize,
    /// Euclidean on the coordinates or great-circle km on lon/lat degrees.
    #[arg(long, value_enum, default_value = "euclidean")]
    metric: PointMetric,
    /// Output label table (CSV).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum HistDistance {
    Wasserstein,
    Shape,
    Euclidean,
}

#[derive(Debug, Args)]
pub(crate) struct HistogramsArgs {
    /// The `upscale` output (NetCDF with `histogram` (y, x, bin), `bin_edges`, `valid`).
    #[arg(long)]
    input: PathBuf,
    /// Number of clusters.
    #[arg(long)]
    k: usize,
    /// Wasserstein-2 between quantile functions, the "shape" distance, or Euclidean on bins.
    #[arg(long, value_enum, default_value = "wasserstein")]
    distance: HistDistance,
    /// Quantile levels for the Wasserstein distance.
    #[arg(long, default_value_t = 201)]
    n_quantiles: usize,
    /// Seed of k-means++.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Restarts (the lowest inertia is kept).
    #[arg(long, default_value_t = 10)]
    n_init: usize,
    /// Lloyd iterations per restart.
    #[arg(long, default_value_t = 100)]
    max_iter: usize,
    /// Output labels: a CSV (`row,col,label` per valid cell) or a NetCDF (`label` (y, x), −1 where invalid).
    #[arg(long)]
    out: PathBuf,
}

pub(crate) fn run(cmd: &ClusterCommand, global: Global) -> Result<()> {
    match cmd {
        ClusterCommand::Kmeans(args) => kmeans(args, global),
        ClusterCommand::Dbscan(args) => dbscan(args, global),
        ClusterCommand::Histograms(args) => histograms(args, global),
    }
}

pub(crate) fn cluster_err(what: &str, e: permafrost_insar::cluster::Error) -> Error {
    Error::Invalid(format!("{what}: {e}"))
}

/// `(row, col)` of each pixel series and the raster size `(rows, cols)`.
pub(crate) type PixelIndex = (Vec<(usize, usize)>, (usize, usize));

/// Series to cluster and where each came from.
pub(crate) struct Series {
    /// `(series, date)`.
    pub data: Array2<f64>,
    /// For a raster input, `(row, col)` of each series, and the raster size.
    pub pixels: Option<PixelIndex>,
    /// Pixels dropped because they hold NaN (raster inputs only).
    pub n_skipped: usize,
}

/// Reads series from a CSV, a MintPy time-series HDF5 or a MATLAB matrix.
pub(crate) fn read_series(spec: &str) -> Result<Series> {
    let v = VarSpec::parse(spec);
    let path = &v.path;
    match detect(path)? {
        Format::Csv => {
            let t = Table::read(path)?;
            let mut data = Array2::zeros((t.rows.len(), t.columns.len()));
            for (j, name) in t.columns.iter().enumerate() {
                let col = t.numeric_column(path, name)?;
                for (i, x) in col.into_iter().enumerate() {
                    data[[i, j]] = x;
                }
            }
            if data.nrows() == 0 {
                return Err(Error::format(path, "the table has no rows"));
            }
            Ok(Series {
                data,
                pixels: None,
                n_skipped: 0,
            })
        }
        Format::Hdf5 | Format::Netcdf4 => {
            let name = v.variable.as_deref().unwrap_or("timeseries");
            let a = read_array(path, Some(name))?;
            let cube = a.into_dimensionality::<Ix3>().map_err(|_| {
                Error::variable(path, name, "expected a (date, row, col) cube".to_string())
            })?;
            let (nt, ny, nx) = cube.dim();
            let mut keep = Vec::new();
            for r in 0..ny {
                for c in 0..nx {
                    if (0..nt).all(|t| cube[[t, r, c]].is_finite()) {
                        keep.push((r, c));
                    }
                }
            }
            if keep.is_empty() {
                return Err(Error::variable(path, name, "no pixel without NaN"));
            }
            let data = Array2::from_shape_fn((keep.len(), nt), |(i, t)| {
                let (r, c) = keep[i];
                cube[[t, r, c]]
            });
            let n_skipped = ny * nx - keep.len();
            Ok(Series {
                data,
                pixels: Some((keep, (ny, nx))),
                n_skipped,
            })
        }
        Format::MatlabV5 | Format::MatlabV73 => {
            let name = v.variable.as_deref().ok_or_else(|| {
                Error::Invalid(format!(
                    "{}: name the matrix as `{}:VAR`",
                    path.display(),
                    path.display()
                ))
            })?;
            let a = read_array(path, Some(name))?;
            let data = matrix(a, path, name)?;
            Ok(Series {
                data,
                pixels: None,
                n_skipped: 0,
            })
        }
        other => Err(Error::format(
            path,
            format!("{other:?} is not a series input (CSV, timeseries.h5 or MATLAB)"),
        )),
    }
}

fn matrix(a: ArrayD<f64>, path: &Path, name: &str) -> Result<Array2<f64>> {
    let shape = a.shape().to_vec();
    a.into_dimensionality::<Ix2>().map_err(|_| {
        Error::variable(
            path,
            name,
            format!("expected a 2-D matrix (series × dates), found shape {shape:?}"),
        )
    })
}

/// Writes a CSV atomically from a header and rows of cells.
pub(crate) fn write_csv(
    path: &Path,
    header: &str,
    rows: impl Iterator<Item = String>,
) -> Result<()> {
    write_atomically(path, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::new(f);
        writeln!(w, "{header}").map_err(|e| Error::io(path, e))?;
        for r in rows {
            writeln!(w, "{r}").map_err(|e| Error::io(path, e))?;
        }
        w.flush().map_err(|e| Error::io(path, e))
    })
}

fn kmeans(args: &KmeansArgs, global: Global) -> Result<()> {
    let s = read_series(&args.series)?;
    let mut params = KMeansParams::new(args.k)
        .with_n_init(args.n_init)
        .with_max_iter(args.max_iter)
        .with_tol(args.tol)
        .with_seed(args.seed);
    if let Some(p) = &args.init_centroids {
        let t = Table::read(p)?;
        let mut c = Array2::zeros((t.rows.len(), t.columns.len()));
        for (j, name) in t.columns.iter().enumerate() {
            for (i, x) in t.numeric_column(p, name)?.into_iter().enumerate() {
                c[[i, j]] = x;
            }
        }
        if c.dim() != (args.k, s.data.ncols()) {
            return Err(Error::Shape {
                context: format!("{}: initial centroids (k × dates)", p.display()),
                expected: vec![args.k, s.data.ncols()],
                found: vec![c.nrows(), c.ncols()],
            });
        }
        params = params.with_init(Init::Given(c));
    }
    let km = params
        .build()
        .map_err(|e| cluster_err("cluster kmeans", e))?;
    let x = s.data.view();
    let r: KMeansResult = match args.metric {
        SeriesMetric::Euclidean => km.fit(x, &Euclidean),
        SeriesMetric::Dtw => {
            let mut p = DtwDba::default().with_max_iter_barycenter(args.max_iter_barycenter);
            if let Some(radius) = args.radius {
                p = p.with_radius(radius);
            }
            km.fit(x, &p)
        }
        SeriesMetric::Softdtw => km.fit(
            x,
            &SoftDtw {
                radius: args.radius,
                max_iter_barycenter: args.max_iter_barycenter,
                ..SoftDtw::new(args.gamma)
            },
        ),
    }
    .map_err(|e| cluster_err(&format!("cluster kmeans {}", args.series), e))?;
    match &s.pixels {
        Some((pix, _)) => write_csv(
            &args.out,
            "index,row,col,label",
            pix.iter()
                .zip(&r.labels)
                .enumerate()
                .map(|(i, ((row, col), l))| format!("{i},{row},{col},{l}")),
        )?,
        None => write_csv(
            &args.out,
            "index,label",
            r.labels.iter().enumerate().map(|(i, l)| format!("{i},{l}")),
        )?,
    }
    let sizes = sizes(&r.labels, args.k);
    if global.json {
        print_json(&json!({
            "labels_file": args.out,
            "n_clusters": args.k,
            "n_series": s.data.nrows(),
            "n_skipped": s.n_skipped,
            "inertia": r.inertia,
            "n_iter": r.n_iter,
            "converged": r.converged,
            "cluster_sizes": sizes,
        }))
    } else {
        println!(
            "{} series in {} clusters (sizes {:?}), inertia {}, {} iterations → {}",
            s.data.nrows(),
            args.k,
            sizes,
            r.inertia,
            r.n_iter,
            args.out.display()
        );
        Ok(())
    }
}

fn sizes(labels: &[usize], k: usize) -> Vec<usize> {
    let mut s = vec![0; k];
    for &l in labels {
        s[l] += 1;
    }
    s
}

fn dbscan(args: &DbscanArgs, global: Global) -> Result<()> {
    let t = Table::read(&args.points)?;
    let xs = t.numeric_column(&args.points, &args.x)?;
    let ys = t.numeric_column(&args.points, &args.y)?;
    if xs.is_empty() {
        return Err(Error::format(&args.points, "the table has no rows"));
    }
    for (name, col) in [(&args.x, &xs), (&args.y, &ys)] {
        if let Some(i) = col.iter().position(|v| !v.is_finite()) {
            return Err(Error::variable(
                &args.points,
                name,
                format!("row {}: missing or non-finite coordinate", i + 1),
            ));
        }
    }
    let pts = Array2::from_shape_fn((xs.len(), 2), |(i, j)| if j == 0 { xs[i] } else { ys[i] });
    let metric = match args.metric {
        PointMetric::Euclidean => DbscanMetric::Euclidean,
        PointMetric::Haversine => DbscanMetric::HaversineKm,
    };
    let r = DbscanParams::new(args.eps)
        .with_min_samples(args.min_samples)
        .with_metric(metric)
        .build()
        .and_then(|d| d.fit(pts.view()))
        .map_err(|e| cluster_err(&format!("cluster dbscan {}", args.points.display()), e))?;
    let n_clusters = r.cluster_sizes().len();
    let (jx, jy) = (
        t.column_index(&args.points, &args.x)?,
        t.column_index(&args.points, &args.y)?,
    );
    write_csv(
        &args.out,
        &format!("index,{},{},label", args.x, args.y),
        r.labels
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{i},{},{},{l}", t.rows[i][jx], t.rows[i][jy])),
    )?;
    if global.json {
        print_json(&json!({
            "labels_file": args.out,
            "n_clusters": n_clusters,
            "n_noise": r.n_noise(),
            "n_points": xs.len(),
            "cluster_sizes": r.cluster_sizes(),
        }))
    } else {
        println!(
            "{} points: {} clusters, {} noise → {}",
            xs.len(),
            n_clusters,
            r.n_noise(),
            args.out.display()
        );
        Ok(())
    }
}

fn histograms(args: &HistogramsArgs, global: Global) -> Result<()> {
    let path = &args.input;
    let hist = nc::read_variable(path, "histogram")?.data;
    let hist = hist
        .into_dimensionality::<Ix3>()
        .map_err(|_| Error::variable(path, "histogram", "expected (y, x, bin)"))?;
    let edges: Vec<f64> = nc::read_variable(path, "bin_edges")?
        .data
        .iter()
        .copied()
        .collect();
    let valid = nc::read_variable(path, "valid")?.data;
    let (ny, nx, nb) = hist.dim();
    if valid.shape() != [ny, nx] {
        return Err(Error::Shape {
            context: format!("{}: `valid` against `histogram`", path.display()),
            expected: vec![ny, nx],
            found: valid.shape().to_vec(),
        });
    }
    if edges.len() != nb + 1 {
        return Err(Error::Shape {
            context: format!(
                "{}: `bin_edges` against the `bin` dimension",
                path.display()
            ),
            expected: vec![nb + 1],
            found: vec![edges.len()],
        });
    }
    let bins = HistogramBins::new(edges)
        .map_err(|e| cluster_err(&format!("{}: bin_edges", path.display()), e))?;
    let mut cells = Vec::new();
    for r in 0..ny {
        for c in 0..nx {
            let v = valid[[r, c]];
            if v.is_finite() && v != 0.0 {
                if let Some(b) = (0..nb).find(|&b| !hist[[r, c, b]].is_finite()) {
                    return Err(Error::variable(
                        path,
                        "histogram",
                        format!("valid cell (y {r}, x {c}) has a non-finite value in bin {b}"),
                    ));
                }
                cells.push((r, c));
            }
        }
    }
    if cells.is_empty() {
        return Err(Error::variable(path, "valid", "no valid cell"));
    }
    let h = Array2::from_shape_fn((cells.len(), nb), |(i, b)| {
        hist[[cells[i].0, cells[i].1, b]]
    });
    let km = KMeansParams::new(args.k)
        .with_n_init(args.n_init)
        .with_max_iter(args.max_iter)
        .with_seed(args.seed)
        .build()
        .map_err(|e| cluster_err("cluster histograms", e))?;
    let what = format!("cluster histograms {}", path.display());
    let r = match args.distance {
        HistDistance::Wasserstein => {
            fit_histograms_wasserstein(h.view(), &bins, WassersteinOrder::W2, args.n_quantiles, &km)
                .map(|r| r.kmeans)
        }
        HistDistance::Shape => km.fit(h.view(), &Shape),
        HistDistance::Euclidean => km.fit(h.view(), &Euclidean),
    }
    .map_err(|e| cluster_err(&what, e))?;
    let is_nc = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("nc"));
    if is_nc {
        let mut grid = ndarray::Array2::<i32>::from_elem((ny, nx), -1);
        for (&(row, col), &l) in cells.iter().zip(&r.labels) {
            grid[[row, col]] = l as i32;
        }
        let mut w = NcWriter::new();
        w.dimension("y", ny)
            .dimension("x", nx)
            .variable("label", &["y", "x"], NcData::I32(grid.into_dyn()))
            .attr("label", "long_name", "histogram cluster (-1: invalid cell)")
            .global("Conventions", "CF-1.8")
            .global("source", "permafrost-insar cluster histograms");
        for name in ["lat", "lon"] {
            if let Ok(v) = nc::read_variable(path, name) {
                if v.data.shape() == [ny, nx] {
                    w.variable(name, &["y", "x"], NcData::F64(v.data));
                }
            }
        }
        w.write(&args.out)?;
    } else {
        write_csv(
            &args.out,
            "index,row,col,label",
            cells
                .iter()
                .zip(&r.labels)
                .enumerate()
                .map(|(i, ((row, col), l))| format!("{i},{row},{col},{l}")),
        )?;
    }
    let sizes = sizes(&r.labels, args.k);
    if global.json {
        print_json(&json!({
            "labels_file": args.out,
            "n_clusters": args.k,
            "n_cells": cells.len(),
            "inertia": r.inertia,
            "cluster_sizes": sizes,
        }))
    } else {
        println!(
            "{} valid cells in {} clusters (sizes {:?}), inertia {} → {}",
            cells.len(),
            args.k,
            sizes,
            r.inertia,
            args.out.display()
        );
        Ok(())
    }
}
