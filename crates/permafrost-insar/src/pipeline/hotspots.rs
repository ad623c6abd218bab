//! The hotspot study: time-series k-means → DBSCAN inside each temporal
//! cluster → dispersion filter (widespread clusters removed) → contrast
//! filter against the surrounding ground → classifier (the bidirectional
//! LSTM of `cluster-ts` trained on the hotspot labels; needs the facade
//! feature `lstm`, without it the stage writes a note) → report.

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
            settings: json!({ "classifier": f.classifier, "lstm": cfg!(feature = "lstm") }),
            inputs: vec![
                s.src.path("input.timeseries", &f.input.timeseries, true)?,
                ctx.out.join("cluster").join("hotspots.tif"),
            ],
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
        "classifier" => classifier(s, ctx),
        _ => report(s, ctx),
    }
}

/// Why the classifier stage does nothing in this build.
#[cfg(not(feature = "lstm"))]
const CLASSIFIER_NOTE: &str = "skipped: the LSTM hotspot classifier is not in this build \
     (build permafrost-insar with `--features lstm`)";

/// The classifier stage: writes `classifier/classifier.json` in every case
/// (`trained: false` and a note when disabled, not built or without
/// hotspots), and with the feature `lstm` the model and predicted labels.
fn classifier(s: &HotspotStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let dir = ctx.stage_dir("classifier")?;
    let skipped = |note: &str| -> Result<StageResult> {
        for stale in ["classifier.safetensors", "predicted_hotspots.tif"] {
            let p = dir.join(stale);
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
            }
        }
        let out = write_json(
            &dir.join("classifier.json"),
            &json!({ "trained": false, "note": note }),
        )?;
        Ok(StageResult {
            outputs: vec![out],
            note: Some(note.to_string()),
        })
    };
    if !s.file.classifier.enabled {
        return skipped("skipped: [classifier] enabled = false");
    }
    #[cfg(not(feature = "lstm"))]
    {
        let _ = ctx;
        skipped(CLASSIFIER_NOTE)
    }
    #[cfg(feature = "lstm")]
    {
        match lstm::train(s, ctx, &dir)? {
            Some(result) => Ok(result),
            None => skipped("skipped: the cluster stage found no hotspot to learn"),
        }
    }
}

#[cfg(feature = "lstm")]
mod lstm {
    use std::path::Path;

    use ndarray::Array2;
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use serde_json::json;

    use super::super::config::HotspotStudy;
    use super::super::permafrost::{read_band, read_timeseries, write_band, write_json};
    use super::super::{Context, StageResult};
    use crate::cluster::lstm::{Dataset, LstmClassifier, LstmConfig};
    use crate::error::{Error, Result};

    /// Trains the BiLSTM on a class-balanced subsample of the valid pixels
    /// (class 0 = background, class h + 1 = hotspot h), scores it on the
    /// held-out part, and predicts every valid pixel. `None` when the
    /// cluster stage kept no hotspot (one class: nothing to learn).
    pub(super) fn train(
        s: &HotspotStudy,
        ctx: &Context<'_>,
        dir: &Path,
    ) -> Result<Option<StageResult>> {
        let f = &s.file;
        let c = &f.classifier;
        let path = s.src.path("input.timeseries", &f.input.timeseries, true)?;
        let ts = read_timeseries(&path)?;
        let (nt, rows, cols) = ts.displacement.dim();
        let labels_path = ctx.out.join("cluster").join("hotspots.tif");
        let labels = read_band(&labels_path, &ts.grid, "hotspot labels")?;
        // Valid pixels: a complete series and a label.
        let mut pixels = Vec::new();
        let mut classes = Vec::new();
        for r in 0..rows {
            for cc in 0..cols {
                let l = labels[[r, cc]];
                if l.is_finite() && (0..nt).all(|t| ts.displacement[[t, r, cc]].is_finite()) {
                    if l < -1.0 || l.fract() != 0.0 {
                        return Err(Error::format(
                            &labels_path,
                            format!(
                                "pixel (row {r}, col {cc}): label {l} is not −1 or a hotspot id"
                            ),
                        ));
                    }
                    pixels.push((r, cc));
                    classes.push((l + 1.0) as usize);
                }
            }
        }
        let n_classes = classes.iter().copied().max().map_or(0, |m| m + 1);
        if n_classes < 2 {
            return Ok(None);
        }
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
        for (i, &k) in classes.iter().enumerate() {
            members[k].push(i);
        }
        if let Some(k) = members.iter().position(|m| m.len() < 2) {
            return Err(Error::format(
                &labels_path,
                format!(
                    "hotspot {} has {} valid pixels; the classifier needs at least 2 per class",
                    k as i64 - 1,
                    members[k].len()
                ),
            ));
        }
        // Balanced subsample with the classifier seed.
        let mut rng = ChaCha8Rng::seed_from_u64(c.seed);
        let mut chosen = Vec::new();
        for m in &members {
            let mut m = m.clone();
            m.shuffle(&mut rng);
            m.truncate(c.max_samples_per_class);
            m.sort_unstable();
            chosen.extend(m);
        }
        let series_of = |idx: &[usize]| {
            Array2::from_shape_fn((idx.len(), nt), |(i, t)| {
                let (r, cc) = pixels[idx[i]];
                ts.displacement[[t, r, cc]]
            })
        };
        let x = series_of(&chosen);
        let y: Vec<usize> = chosen.iter().map(|&i| classes[i]).collect();
        let cfg = LstmConfig {
            hidden: (c.units[0], c.units[1]),
            dropout: c.dropout,
            learning_rate: c.learning_rate,
            epochs: c.epochs,
            test_fraction: c.test_fraction,
            seed: c.seed,
            ..LstmConfig::default()
        };
        let model_path = dir.join("classifier.safetensors");
        let lerr = |e: crate::cluster::Error| {
            Error::Invalid(format!("classifier ({}): {e}", model_path.display()))
        };
        let mut prog = super::super::Progress::new("classifier", 2, ctx.progress);
        let (model, report) =
            LstmClassifier::train(&Dataset::new(x.view(), &y), &cfg).map_err(lerr)?;
        prog.set(1);
        model.save(&model_path).map_err(lerr)?;
        // Every valid pixel, in batches inside `predict`.
        let all: Vec<usize> = (0..pixels.len()).collect();
        let predicted = model.predict(series_of(&all).view(), None).map_err(lerr)?;
        prog.set(2);
        let all_scores =
            crate::cluster::classification_scores(&classes, &predicted).map_err(lerr)?;
        let mut map = Array2::<f64>::from_elem((rows, cols), f64::NAN);
        for (&(r, cc), &p) in pixels.iter().zip(&predicted) {
            map[[r, cc]] = p as f64 - 1.0;
        }
        let raster = write_band(
            &dir.join("predicted_hotspots.tif"),
            &ts.grid,
            "predicted_hotspot",
            "1",
            &map,
        )?;
        let per_class: Vec<_> = (0..n_classes)
            .map(|k| {
                let sampled = y.iter().filter(|&&v| v == k).count();
                let test = report.test_indices.iter().filter(|&&i| y[i] == k).count();
                let conf = &report.test.confusion;
                let (tp, row_sum) = if k < conf.nrows() {
                    (conf[[k, k]], conf.row(k).sum())
                } else {
                    (0, 0)
                };
                json!({
                    "class": k,
                    "hotspot": k as i64 - 1,
                    "pixels": members[k].len(),
                    "sampled": sampled,
                    "train": sampled - test,
                    "test": test,
                    "test_recall": if row_sum > 0 { tp as f64 / row_sum as f64 } else { f64::NAN },
                })
            })
            .collect();
        let scores = |sc: &crate::cluster::ClassificationScores| {
            json!({
                "accuracy": sc.accuracy,
                "macro_precision": sc.macro_precision,
                "macro_recall": sc.macro_recall,
                "macro_f1": sc.macro_f1,
                "confusion": sc.confusion.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
            })
        };
        let summary = json!({
            "trained": true,
            "model_file": "classifier.safetensors",
            "predicted_raster": "predicted_hotspots.tif",
            "settings": c,
            "n_classes": n_classes,
            "n_dates": nt,
            "n_valid_pixels": pixels.len(),
            "n_samples": y.len(),
            "n_test": report.test_indices.len(),
            "test": scores(&report.test),
            "train": scores(&report.train),
            "all_pixels": scores(&all_scores),
            "per_class": per_class,
            "loss_history": report.loss_history,
        });
        let js = write_json(&dir.join("classifier.json"), &summary)?;
        Ok(Some(StageResult {
            outputs: vec![model_path.clone(), raster, js],
            note: Some(format!(
                "held-out accuracy {:.3}, macro F1 {:.3} ({} test of {} samples, {} classes); all {} valid pixels: accuracy {:.3}",
                report.test.accuracy,
                report.test.macro_f1,
                report.test_indices.len(),
                y.len(),
                n_classes,
                pixels.len(),
                all_scores.accuracy
            )),
        }))
    }
}

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
        &ctx.out.join("classifier").join("classifier.json"),
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
