//! The hotspot study: time-series k-means → DBSCAN inside each temporal
//! cluster → dispersion filter (widespread clusters removed) → contrast
//! filter against the surrounding ground → (classifier: needs the LSTM of
//! `cluster-ts`, not in this build; the stage notes it).

use ndarray::{Array2, Axis};
use serde_json::{json, Value};

use super::config::{length_scale, HotspotStudy};
use super::permafrost::{read_timeseries, write_band, write_json};
use super::{Context, StageResult, StageSpec};
use crate::cluster::{
    AreaMethod, Euclidean, Geometry, HotspotParams, KMeansParams, SdThreshold, WidespreadFilter,
};
use crate::error::{Error, Result};

pub(crate) fn stage_spec(s: &HotspotStudy, ctx: &Context<'_>, name: &str) -> Result<StageSpec> {
    let f = &s.file;
    Ok(match name {
        "cluster" => StageSpec {
            settings: json!({ "input": f.input, "cluster": f.cluster }),
            inputs: vec![s.src.path("input.timeseries", &f.input.timeseries, true)?],
        },
        "classifier" => StageSpec {
            settings: json!({ "classifier": CLASSIFIER_NOTE }),
            inputs: vec![ctx.out.join("cluster").join("hotspots.json")],
        },
        _ => StageSpec {
            settings: serde_json::to_value(&f.report).unwrap_or(Value::Null),
            inputs: vec![ctx.out.join("cluster").join("hotspots.json")],
        },
    })
}

pub(crate) fn run_stage(s: &HotspotStudy, ctx: &Context<'_>, name: &str) -> Result<StageResult> {
    match name {
        "cluster" => cluster(s, ctx),
        "classifier" => Ok(StageResult {
            outputs: vec![],
            note: Some(CLASSIFIER_NOTE.into()),
        }),
        _ => report(s, ctx),
    }
}

/// Why the classifier stage does nothing in this build.
const CLASSIFIER_NOTE: &str =
    "skipped: the LSTM hotspot classifier of cluster-ts is not in this build";

fn cerr(e: crate::cluster::Error) -> Error {
    Error::Invalid(format!("hotspots: {e}"))
}

fn cluster(s: &HotspotStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let f = &s.file;
    let path = s.src.path("input.timeseries", &f.input.timeseries, true)?;
    let ts = read_timeseries(&path)?;
    if ts.units.trim() != f.input.units.get_ref() {
        return Err(s.src.error_at(
            "input.units",
            f.input.units.span(),
            format!(
                "{} is in {}, not {}",
                path.display(),
                ts.units.trim(),
                f.input.units.get_ref()
            ),
        ));
    }
    let grid = &ts.grid;
    let (nt, rows, cols) = ts.displacement.dim();
    // Pixels with a complete series.
    let pixels: Vec<(usize, usize)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .filter(|&(r, c)| (0..nt).all(|t| ts.displacement[[t, r, c]].is_finite()))
        .collect();
    if pixels.is_empty() {
        return Err(Error::format(&path, "no pixel has a complete time series"));
    }
    let series = Array2::from_shape_fn((pixels.len(), nt), |(i, t)| {
        ts.displacement[[t, pixels[i].0, pixels[i].1]]
    });
    // Three steps: k-means, DBSCAN + dispersion, contrast filter.
    let mut prog = super::Progress::new("hotspots", 3, ctx.progress);
    let c = &f.cluster;
    let km = KMeansParams::new(c.k)
        .with_seed(c.seed)
        .with_n_init(3)
        .build()
        .map_err(cerr)?
        .fit(series.view(), &Euclidean)
        .map_err(cerr)?;
    prog.set(1);
    let px_km = grid_pixel_km(grid);
    let coords = Array2::from_shape_fn((pixels.len(), 2), |(i, j)| {
        if j == 0 {
            pixels[i].1 as f64 * px_km
        } else {
            -(pixels[i].0 as f64) * px_km
        }
    });
    let velocity: Vec<f64> = {
        let t: Vec<f64> = ts
            .dates
            .iter()
            .map(|d| (*d - ts.dates[0]).num_days() as f64 / 365.25)
            .collect();
        let mt = t.iter().sum::<f64>() / nt as f64;
        let sxx: f64 = t.iter().map(|x| (x - mt).powi(2)).sum();
        series
            .axis_iter(Axis(0))
            .map(|y| {
                let my = y.mean().unwrap_or(0.0);
                t.iter()
                    .zip(y.iter())
                    .map(|(x, v)| (x - mt) * (v - my))
                    .sum::<f64>()
                    / sxx
            })
            .collect()
    };
    let hs = HotspotParams::new(c.eps_px * px_km, c.min_samples)
        .with_geometry(Geometry::PlanarKm)
        .with_correlation(None)
        .with_area(AreaMethod::PixelCount {
            pixel_area_km2: px_km * px_km,
        })
        .with_filter(WidespreadFilter {
            max_standard_distance: SdThreshold::Km(c.max_standard_distance_km),
            min_relative_standard_distance: None,
            max_area_km2: Some(c.max_area_km2),
        })
        .build()
        .map_err(cerr)?
        .run(series.view(), coords.view(), Some(&velocity), &km.labels)
        .map_err(cerr)?;
    prog.set(2);
    // Contrast filter: a hotspot's mean series must depart from the mean of
    // the ring of pixels around it by more than `min_displacement`.
    let scale = length_scale(f.input.units.get_ref()).unwrap_or(1.0);
    let threshold = c.min_displacement;
    let mut label_map = Array2::<i64>::from_elem((rows, cols), -1);
    for (i, &(r, cc)) in pixels.iter().enumerate() {
        label_map[[r, cc]] = hs.labels[i];
    }
    let n_kept = hs.n_kept();
    let mut rows_out = Vec::new();
    let mut final_map = Array2::<i64>::from_elem((rows, cols), -1);
    let mut next = 0i64;
    for l in 0..n_kept as i64 {
        let members: Vec<(usize, usize)> = pixels
            .iter()
            .zip(&hs.labels)
            .filter(|(_, &x)| x == l)
            .map(|(p, _)| *p)
            .collect();
        if members.len() < c.min_size {
            continue;
        }
        let ring: Vec<(usize, usize)> = ring_of(&label_map, &members, 3);
        let mean = |ps: &[(usize, usize)]| -> Vec<f64> {
            (0..nt)
                .map(|t| {
                    ps.iter()
                        .map(|&(r, cc)| ts.displacement[[t, r, cc]])
                        .sum::<f64>()
                        / ps.len().max(1) as f64
                })
                .collect()
        };
        let mc = mean(&members);
        let mr = mean(&ring);
        let contrast = mc
            .iter()
            .zip(&mr)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        let keep = !ring.is_empty() && contrast > threshold;
        let (cr, ccol) = (
            members.iter().map(|p| p.0 as f64).sum::<f64>() / members.len() as f64,
            members.iter().map(|p| p.1 as f64).sum::<f64>() / members.len() as f64,
        );
        let label = if keep {
            for &(r, cc) in &members {
                final_map[[r, cc]] = next;
            }
            next += 1;
            Some(next - 1)
        } else {
            None
        };
        rows_out.push(json!({
            "cluster": l, "label": label, "size": members.len(),
            "centre_row": cr, "centre_col": ccol,
            "contrast": contrast, "contrast_units": f.input.units.get_ref(),
            "mean_series": mc, "ring_series": mr,
        }));
    }
    prog.set(3);
    let dir = ctx.stage_dir("cluster")?;
    let mut outputs = Vec::new();
    outputs.push(write_band(
        &dir.join("temporal_clusters.tif"),
        grid,
        "temporal_cluster",
        "1",
        &{
            let mut m = Array2::<f64>::from_elem((rows, cols), f64::NAN);
            for (i, &(r, cc)) in pixels.iter().enumerate() {
                m[[r, cc]] = km.labels[i] as f64;
            }
            m
        },
    )?);
    outputs.push(write_band(
        &dir.join("hotspots.tif"),
        grid,
        "hotspot",
        "1",
        &final_map.mapv(|v| v as f64),
    )?);
    let summary = json!({
        "dates": ts.dates.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "k": c.k,
        "temporal_centroids": km.centroids.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "dbscan_clusters": hs.table.len(),
        "kept_by_dispersion": n_kept,
        "hotspots": rows_out,
        "n_hotspots": next,
        "metres_per_unit": 1.0 / scale,
        "classifier": CLASSIFIER_NOTE,
    });
    outputs.push(write_json(&dir.join("hotspots.json"), &summary)?);
    Ok(StageResult {
        outputs,
        note: Some(format!(
            "{next} hotspots ({} DBSCAN clusters, {n_kept} compact)",
            hs.table.len()
        )),
    })
}

fn grid_pixel_km(grid: &super::permafrost::Grid) -> f64 {
    grid.pixel_size_m() / 1000.0
}

/// Pixels within `width` of the members that belong to no DBSCAN cluster.
fn ring_of(labels: &Array2<i64>, members: &[(usize, usize)], width: usize) -> Vec<(usize, usize)> {
    let (rows, cols) = labels.dim();
    let mut seen = Array2::<bool>::from_elem((rows, cols), false);
    for &(r, c) in members {
        seen[[r, c]] = true;
    }
    let mut out = Vec::new();
    for &(r, c) in members {
        for rr in r.saturating_sub(width)..(r + width + 1).min(rows) {
            for cc in c.saturating_sub(width)..(c + width + 1).min(cols) {
                if !seen[[rr, cc]] && labels[[rr, cc]] < 0 {
                    seen[[rr, cc]] = true;
                    out.push((rr, cc));
                }
            }
        }
    }
    out
}

fn report(s: &HotspotStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let dir = ctx.stage_dir("report")?;
    let cluster_dir = ctx.out.join("cluster");
    let found = crate::io::geotiff::read_raster(&cluster_dir.join("hotspots.tif"))?;
    let grid = super::permafrost::Grid {
        gt: found.geotransform,
        wkt: found.crs_wkt.clone(),
        rows: found.shape().0,
        cols: found.shape().1,
    };
    let truth = match &s.file.report.truth {
        Some(t) => Some(s.src.path("report.truth", t, true)?),
        None => None,
    };
    let (mut outputs, truth_v) = super::report::hotspots(
        &ctx.study.title(),
        &dir,
        &cluster_dir,
        &grid,
        truth.as_deref(),
    )?;
    let mut note = None;
    if let Some(v) = truth_v {
        note = Some(format!(
            "{} hotspots found, {} planted",
            v["found_hotspots"], v["true_hotspots"]
        ));
        outputs.push(write_json(&dir.join("truth_errors.json"), &v)?);
    }
    Ok(StageResult { outputs, note })
}
