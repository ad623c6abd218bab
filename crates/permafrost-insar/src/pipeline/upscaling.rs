//! The upscaling study (S-UPSCALE): geodesic km grid with per-cell
//! histograms and moments (`upscale-dist`) → k-means of the cell histograms
//! under the Wasserstein-2 geometry (`cluster-ts`) → Pearson correlation of
//! the cell means with ERA5-Land period products (per thaw year, Fisher-z
//! averaged) and terrain / soil factors (`era5-forcing`, `geo-stats`) → KS
//! robustness: two-sample KS tests between the pixel distributions of the
//! clusters → report.

use chrono::{Datelike, NaiveDate};
use ndarray::Array2;
use serde_json::{json, Value};

use super::config::UpscalingStudy;
use super::permafrost::{write_json, Grid};
use super::{Context, StageResult, StageSpec};
use crate::error::{Error, Result};
use crate::figures::{self, Colormap, MapStyle};
use crate::io::geotiff;
use crate::report::Report;

pub(crate) fn stage_spec(s: &UpscalingStudy, ctx: &Context<'_>, name: &str) -> Result<StageSpec> {
    let f = &s.file;
    let rates = s.src.path("input.rates", &f.input.rates, true)?;
    Ok(match name {
        "upscale" => StageSpec {
            settings: json!({ "input": f.input, "upscale": f.upscale }),
            inputs: std::iter::once(rates)
                .chain(
                    f.input
                        .exclude
                        .as_ref()
                        .and_then(|x| s.src.path("input.exclude", x, true).ok()),
                )
                .collect(),
        },
        "cluster" => StageSpec {
            settings: serde_json::to_value(&f.cluster).unwrap_or(Value::Null),
            inputs: vec![ctx.out.join("upscale").join("cells.json")],
        },
        "correlation" => {
            let mut inputs = vec![rates, s.src.path("input.era5", &f.input.era5, true)?];
            for (k, p) in &f.input.factors {
                inputs.push(s.src.path(&format!("input.factors.{k}"), p, true)?);
            }
            StageSpec {
                settings: json!({ "input": f.input }),
                inputs,
            }
        }
        _ => StageSpec {
            settings: Value::Null,
            inputs: vec![],
        },
    })
}

pub(crate) fn run_stage(s: &UpscalingStudy, ctx: &Context<'_>, name: &str) -> Result<StageResult> {
    match name {
        "upscale" => upscale(s, ctx),
        "cluster" => cluster(s, ctx),
        "correlation" => correlation(s, ctx),
        _ => report(s, ctx),
    }
}

fn uerr(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("upscaling: {e}"))
}

/// The rates raster, its lon/lat axes and its grid.
struct Field {
    values: Array2<f64>,
    lons: Vec<f64>,
    lats: Vec<f64>,
    grid: Grid,
}

fn read_field(s: &UpscalingStudy) -> Result<Field> {
    let f = &s.file.input;
    let path = s.src.path("input.rates", &f.rates, true)?;
    if let Some(want) = &f.units {
        let info = crate::io::describe(&path)?;
        let found = info
            .variables
            .first()
            .and_then(|v| v.units.clone())
            .unwrap_or_default();
        if found.trim() != want.get_ref() {
            return Err(s.src.error_at(
                "input.units",
                want.span(),
                format!(
                    "`{}` does not match {}, which is in `{}`",
                    want.get_ref(),
                    path.display(),
                    found.trim()
                ),
            ));
        }
    }
    let r = geotiff::read_raster(&path)?;
    let (rows, cols) = r.shape();
    let gt = r.geotransform;
    let mut values = r.band(0).to_owned();
    if let Some(x) = &f.exclude {
        let xp = s.src.path("input.exclude", x, true)?;
        let mask = geotiff::read_raster(&xp)?;
        if mask.shape() != (rows, cols) {
            return Err(s.src.error_at(
                "input.exclude",
                x.span(),
                format!(
                    "{} is {}×{}, the rates {rows}×{cols}",
                    xp.display(),
                    mask.shape().0,
                    mask.shape().1
                ),
            ));
        }
        for (v, m) in values.iter_mut().zip(mask.band(0).iter()) {
            if m.is_finite() && *m >= 0.0 {
                *v = f64::NAN;
            }
        }
    }
    if gt[1].abs() > 1.0 {
        return Err(Error::format(
            &path,
            "the upscaling study needs a geographic (longitude/latitude) grid",
        ));
    }
    let grid = Grid {
        gt,
        wkt: r.crs_wkt.clone(),
        rows,
        cols,
    };
    Ok(Field {
        values,
        lons: (0..cols).map(|c| grid.lon(c)).collect(),
        lats: (0..rows).map(|r| grid.lat(r)).collect(),
        grid,
    })
}

fn km_grid(s: &UpscalingStudy, field: &Field) -> Result<crate::upscale::Grid> {
    let bbox = crate::upscale::BoundingBox::from_axes(&field.lons, &field.lats).map_err(uerr)?;
    crate::upscale::GeodesicGridParams::new(s.file.upscale.cell_km)
        .build(&bbox)
        .map_err(uerr)
}

fn upscale(s: &UpscalingStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let u = &s.file.upscale;
    let field = read_field(s)?;
    let grid = km_grid(s, &field)?;
    let [lo, hi] = *u.range.get_ref();
    let binning = crate::upscale::BinningParams::new(lo, hi)
        .with_bins(u.bins)
        .with_threshold(u.min_count)
        .build()
        .map_err(uerr)?;
    let mut binner = binning.binner(&grid);
    binner
        .push_raster(&field.lons, &field.lats, field.values.view())
        .map_err(uerr)?;
    let cells = binner.finish();
    let (lon_c, lat_c) = (grid.lon_centres(), grid.lat_centres());
    let nx = grid.nx();
    let valid = cells.valid_indices();
    let rows: Vec<Value> = valid
        .iter()
        .map(|&i| {
            json!({
                "cell": i, "iy": i / nx, "ix": i % nx,
                "lon": lon_c[i % nx], "lat": lat_c[i / nx],
                "count": cells.counts[i], "mean": cells.mean[i], "std": cells.std[i],
                "skewness": cells.skewness[i], "kurtosis": cells.kurtosis[i],
                "density": cells.density.row(i).to_vec(),
            })
        })
        .collect();
    let dir = ctx.stage_dir("upscale")?;
    let v = json!({
        "cell_km": u.cell_km, "shape": [grid.ny(), nx],
        "lon_edges": grid.lon_edges(), "lat_edges": grid.lat_edges(),
        "bin_edges": (0..=u.bins).map(|k| lo + (hi - lo) * k as f64 / u.bins as f64).collect::<Vec<_>>(),
        "min_count": u.min_count,
        "points_binned": cells.report.binned,
        "cells": rows,
    });
    let outputs = vec![write_json(&dir.join("cells.json"), &v)?];
    Ok(StageResult {
        outputs,
        note: Some(format!(
            "{} valid cells of {} ({} × {} cells of {} km)",
            valid.len(),
            grid.n_cells(),
            grid.ny(),
            nx,
            u.cell_km
        )),
    })
}

fn read_json(path: &std::path::Path) -> Result<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?)
        .map_err(|e| Error::format(path, e))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

fn cluster(s: &UpscalingStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let c = &s.file.cluster;
    let cells = read_json(&ctx.out.join("upscale").join("cells.json"))?;
    let list = cells["cells"].as_array().cloned().unwrap_or_default();
    let edges = floats(&cells["bin_edges"]);
    let nb = edges.len().saturating_sub(1);
    if list.len() < c.k {
        return Err(Error::Invalid(format!(
            "upscaling: {} valid cells, fewer than k = {} clusters (lower upscale.min_count or cell_km)",
            list.len(),
            c.k
        )));
    }
    let hist = Array2::from_shape_fn((list.len(), nb), |(i, j)| floats(&list[i]["density"])[j]);
    let bins = crate::cluster::HistogramBins::new(edges.clone()).map_err(uerr)?;
    let km = crate::cluster::KMeansParams::new(c.k)
        .with_seed(c.seed)
        .with_n_init(5)
        .build()
        .map_err(uerr)?;
    let res = crate::cluster::fit_histograms_wasserstein(
        hist.view(),
        &bins,
        crate::cluster::WassersteinOrder::W2,
        64,
        &km,
    )
    .map_err(uerr)?;
    let dir = ctx.stage_dir("cluster")?;
    let v = json!({
        "k": c.k,
        "labels": res.kmeans.labels,
        "cells": list.iter().map(|x| x["cell"].clone()).collect::<Vec<_>>(),
        "centroid_histograms": res.centroid_histograms.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "inertia": res.kmeans.inertia,
        "bin_edges": edges,
    });
    Ok(StageResult {
        outputs: vec![write_json(&dir.join("clusters.json"), &v)?],
        note: Some(format!(
            "{} cells in {} Wasserstein-2 clusters",
            list.len(),
            c.k
        )),
    })
}

fn correlation(s: &UpscalingStudy, ctx: &Context<'_>) -> Result<StageResult> {
    use crate::forcing::period::{period_products, PeriodParams};
    let f = &s.file.input;
    let field = read_field(s)?;
    let grid = km_grid(s, &field)?;
    let cells = read_json(&ctx.out.join("upscale").join("cells.json"))?;
    let clusters = read_json(&ctx.out.join("cluster").join("clusters.json"))?;
    let list = cells["cells"].as_array().cloned().unwrap_or_default();
    let index: Vec<usize> = list
        .iter()
        .map(|c| c["cell"].as_u64().unwrap_or(0) as usize)
        .collect();
    let labels: Vec<usize> = clusters["labels"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0) as usize).collect())
        .unwrap_or_default();
    let pos = |cell: usize| index.iter().position(|&c| c == cell);
    // Cell means of the factors, and each pixel's cell.
    let mut factor_means: Vec<(String, Vec<f64>)> = Vec::new();
    let mut pixel_cell = Array2::<i64>::from_elem((field.grid.rows, field.grid.cols), -1);
    for r in 0..field.grid.rows {
        for c in 0..field.grid.cols {
            if let Some(cell) = grid.locate(field.lons[c], field.lats[r]) {
                pixel_cell[[r, c]] = pos(cell).map_or(-1, |p| p as i64);
            }
        }
    }
    for (name, p) in &f.factors {
        let path = s.src.path(&format!("input.factors.{name}"), p, true)?;
        let r = geotiff::read_raster(&path)?;
        if r.shape() != (field.grid.rows, field.grid.cols) {
            return Err(Error::format(
                &path,
                format!("factor {name}: grid differs from input.rates"),
            ));
        }
        let (mut sum, mut n) = (vec![0.0; index.len()], vec![0usize; index.len()]);
        for (&k, v) in pixel_cell.iter().zip(r.band(0).iter()) {
            if k >= 0 && v.is_finite() {
                sum[k as usize] += v;
                n[k as usize] += 1;
            }
        }
        factor_means.push((
            name.clone(),
            sum.iter()
                .zip(&n)
                .map(|(s, n)| s / (*n).max(1) as f64)
                .collect(),
        ));
    }
    // ERA5-Land period products per thaw year (1 Oct – 30 Sep).
    let era5 = s.src.path("input.era5", &f.era5, true)?;
    let opts = crate::forcing::reader::ReadOptions::new().with_to_celsius(true);
    let names =
        crate::forcing::reader::list_variables(&era5).map_err(|e| Error::format(&era5, e))?;
    let mut fields = Vec::new();
    for v in ["skt", "sd", "stl1", "tp", "sf", "ro", "swvl1"] {
        if names.iter().any(|x| x.name == v) {
            fields.push(
                crate::forcing::reader::read_fields(&[&era5], v, &opts)
                    .map_err(|e| Error::format(&era5, e))?,
            );
        }
    }
    if fields.is_empty() {
        return Err(Error::format(
            &era5,
            "none of skt, sd, stl1, tp, sf, ro, swvl1 is in the file",
        ));
    }
    let t0 = fields[0]
        .times
        .first()
        .map(|t| t.date())
        .ok_or_else(|| Error::format(&era5, "empty time axis"))?;
    let t1 = fields[0]
        .times
        .last()
        .map(|t| t.date())
        .ok_or_else(|| Error::format(&era5, "empty time axis"))?;
    let (elat, elon) = match &fields[0].grid {
        crate::forcing::Grid::Regular { lat, lon } => (lat.clone(), lon.clone()),
        _ => {
            return Err(Error::format(
                &era5,
                "the upscaling study needs a regular ERA5 grid",
            ))
        }
    };
    let nearest = |xs: &[f64], x: f64| {
        xs.iter()
            .enumerate()
            .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
            .map_or(0, |p| p.0)
    };
    let rate: Vec<f64> = list
        .iter()
        .map(|c| c["mean"].as_f64().unwrap_or(f64::NAN))
        .collect();
    let mut matrices = Vec::new();
    let mut var_names = Vec::new();
    let mut years = Vec::new();
    for year in (t0.year() + 1)..=t1.year() {
        let (a, b) = (
            NaiveDate::from_ymd_opt(year - 1, 10, 1),
            NaiveDate::from_ymd_opt(year, 9, 30),
        );
        let (Some(a), Some(b)) = (a, b) else { continue };
        if a < t0 || b > t1 {
            continue;
        }
        let period = crate::forcing::time::Period::new(a, b).map_err(uerr)?;
        let products = period_products(&fields, &period, &PeriodParams::new())
            .map_err(|e| Error::format(&era5, e))?;
        let mut columns: Vec<(String, Vec<f64>)> =
            vec![("deformation (cell mean)".into(), rate.clone())];
        for p in &products {
            let vals: Vec<f64> = list
                .iter()
                .map(|c| {
                    let (lat, lon) = (
                        c["lat"].as_f64().unwrap_or(0.0),
                        c["lon"].as_f64().unwrap_or(0.0),
                    );
                    p.values[[nearest(&elat, lat), nearest(&elon, lon)]]
                })
                .collect();
            columns.push((p.name.clone(), vals));
        }
        columns.extend(factor_means.iter().cloned());
        let data = Array2::from_shape_fn((list.len(), columns.len()), |(i, j)| columns[j].1[i]);
        let m = crate::stats::correlation::correlation_matrix(data.view()).map_err(uerr)?;
        var_names = columns.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
        matrices.push(m);
        years.push(year);
    }
    if matrices.is_empty() {
        return Err(Error::format(
            &era5,
            "no complete thaw year (1 Oct – 30 Sep) in the ERA5 file",
        ));
    }
    let avg = crate::stats::correlation::fisher_z_average_matrices(&matrices).map_err(uerr)?;
    // KS between the pixel distributions of every pair of clusters.
    let k = labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut pooled: Vec<Vec<f64>> = vec![Vec::new(); k];
    for ((r, c), &p) in pixel_cell.indexed_iter() {
        let v = field.values[[r, c]];
        if p >= 0 && v.is_finite() {
            pooled[labels[p as usize]].push(v);
        }
    }
    let mut ks = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            if pooled[a].is_empty() || pooled[b].is_empty() {
                continue;
            }
            let r = crate::stats::ks::ks_2samp(
                &pooled[a],
                &pooled[b],
                &crate::stats::ks::KsParams::new(),
            )
            .map_err(uerr)?;
            ks.push(json!({ "clusters": [a, b], "n": [pooled[a].len(), pooled[b].len()], "statistic": r.statistic, "p_value": r.p_value }));
        }
    }
    let dir = ctx.stage_dir("correlation")?;
    let v = json!({
        "names": var_names,
        "years": years,
        "per_year": matrices.iter().map(|m| m.r.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "fisher_z_average": avg.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "ks_between_clusters": ks,
    });
    Ok(StageResult {
        outputs: vec![write_json(&dir.join("correlation.json"), &v)?],
        note: Some(format!(
            "{} thaw years, {} variables, {} KS pairs",
            years.len(),
            var_names.len(),
            ks.len()
        )),
    })
}

fn report(s: &UpscalingStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let dir = ctx.stage_dir("report")?;
    let figs = dir.join("figures");
    std::fs::create_dir_all(&figs).map_err(|e| Error::io(&figs, e))?;
    let cells = read_json(&ctx.out.join("upscale").join("cells.json"))?;
    let clusters = read_json(&ctx.out.join("cluster").join("clusters.json"))?;
    let corr = read_json(&ctx.out.join("correlation").join("correlation.json"))?;
    let units = s
        .file
        .input
        .units
        .as_ref()
        .map_or_else(String::new, |u| u.get_ref().clone());
    let mut report = Report::new(&ctx.study.title());
    let mut outputs = Vec::new();
    let shape = cells["shape"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_u64().unwrap_or(0) as usize)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let (ny, nx) = (
        shape.first().copied().unwrap_or(0),
        shape.get(1).copied().unwrap_or(0),
    );
    let list = cells["cells"].as_array().cloned().unwrap_or_default();
    let labels: Vec<i64> = clusters["labels"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_i64().unwrap_or(-1)).collect())
        .unwrap_or_default();
    // Cells are ordered south first: flip rows for north-up maps.
    let mut mean = Array2::<f64>::from_elem((ny, nx), f64::NAN);
    let mut lab = Array2::<i64>::from_elem((ny, nx), -1);
    for (i, c) in list.iter().enumerate() {
        let (iy, ix) = (
            c["iy"].as_u64().unwrap_or(0) as usize,
            c["ix"].as_u64().unwrap_or(0) as usize,
        );
        if iy < ny && ix < nx {
            mean[[ny - 1 - iy, ix]] = c["mean"].as_f64().unwrap_or(f64::NAN);
            lab[[ny - 1 - iy, ix]] = labels.get(i).copied().unwrap_or(-1);
        }
    }
    let cell_m = Some(1000.0 * s.file.upscale.cell_km);
    report.section("Upscaled distributions");
    let p = figs.join("cell_mean.png");
    figures::map(
        &p,
        mean.view(),
        &MapStyle {
            title: format!("Cell mean ({} km)", s.file.upscale.cell_km),
            units: units.clone(),
            colormap: Colormap::Viridis,
            range: None,
            pixel_size_m: cell_m,
        },
    )?;
    report.figure(
        &p,
        "Mean of the high-resolution field in each valid cell of the geodesic grid.",
    )?;
    outputs.push(p);
    let p = figs.join("clusters_map.png");
    figures::labels_map(&p, lab.view(), "Histogram clusters", cell_m)?;
    report.figure(
        &p,
        "k-means clusters of the cell histograms (Wasserstein-2).",
    )?;
    outputs.push(p);
    let edges = floats(&clusters["bin_edges"]);
    let groups: Vec<(String, Vec<f64>)> = clusters["centroid_histograms"]
        .as_array()
        .map(|a| {
            a.iter()
                .enumerate()
                .map(|(k, h)| {
                    (
                        format!("cluster {k}"),
                        floats(h).iter().map(|v| v.max(0.0)).collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let p = figs.join("cluster_histograms.png");
    figures::histograms_cdf(
        &p,
        "Cluster centroids",
        &format!("deformation ({units})"),
        &edges,
        &groups,
    )?;
    report.figure(&p, "Centroid histograms and CDFs of the clusters.")?;
    outputs.push(p);
    report.section("Correlation with forcings and terrain");
    let names: Vec<String> = corr["names"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().unwrap_or("").replace('_', " "))
                .collect()
        })
        .unwrap_or_default();
    let rows: Vec<Vec<f64>> = corr["fisher_z_average"]
        .as_array()
        .map(|a| a.iter().map(floats).collect())
        .unwrap_or_default();
    let n = names.len();
    let m = Array2::from_shape_fn((n, n), |(i, j)| {
        rows.get(i)
            .and_then(|r| r.get(j))
            .copied()
            .unwrap_or(f64::NAN)
    });
    let p = figs.join("correlation.png");
    figures::correlation_heatmap(
        &p,
        "Pearson r (Fisher-z mean over thaw years)",
        &names,
        m.view(),
    )?;
    report.figure(&p, "Correlation of the cell mean deformation with ERA5-Land period products and factors, averaged over thaw years with Fisher's z.")?;
    outputs.push(p);
    report.section("KS robustness");
    let ks_rows: Vec<Vec<String>> = corr["ks_between_clusters"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    vec![
                        x["clusters"].to_string(),
                        x["n"].to_string(),
                        format!("{:.3}", x["statistic"].as_f64().unwrap_or(f64::NAN)),
                        format!("{:.2e}", x["p_value"].as_f64().unwrap_or(f64::NAN)),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    report.table(&["clusters", "pixels", "KS D", "p"], &ks_rows);
    let html = dir.join("report.html");
    report.write(&html)?;
    outputs.push(html);
    Ok(StageResult {
        outputs,
        note: None,
    })
}
