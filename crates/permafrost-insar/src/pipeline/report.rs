//! The report stages: figures (PNG, [`crate::figures`]) and one
//! self-contained HTML report ([`crate::report::Report`]) per study, with
//! the recovered-vs-true error tables when the study names a truth folder.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use serde_json::{json, Value};

use super::config::PermafrostStudy;
use super::permafrost::{cell_forcing, read_band, read_timeseries, write_json, Grid};
use super::{Context, StageResult};
use crate::error::{Error, Result};
use crate::figures::{self, Colormap, MapStyle, Series};
use crate::io::geotiff;
use crate::report::Report;

/// The error table (JSON) and the error maps (name, recovered − true).
pub(crate) type TruthErrors = (Value, Vec<(String, Array2<f64>)>);

/// Recovered-vs-true errors of the permafrost study against a truth folder
/// (`linear_rate.tif`, `seasonal_amplitude.tif` in m, `hotspots.tif`):
/// RMS, bias and max |error| over pixels outside the hotspots, in the
/// study's units.
pub(crate) fn truth_errors(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<Option<TruthErrors>> {
    let Some(t) = &s.file.report.truth else {
        return Ok(None);
    };
    let truth = s.src.path("report.truth", t, true)?;
    let pecm = ctx.out.join("pecm");
    let grid = grid_of(&pecm.join("linear_rate.tif"))?;
    let scale = super::config::length_scale(s.file.pecm.units.get_ref()).unwrap_or(1.0);
    let hot = read_band(&truth.join("hotspots.tif"), &grid, "truth hotspots")?;
    let mut out = serde_json::Map::new();
    let mut maps = Vec::new();
    for (name, units) in [
        ("linear_rate", format!("{}/yr", s.file.pecm.units.get_ref())),
        ("seasonal_amplitude", s.file.pecm.units.get_ref().clone()),
    ] {
        let rec = read_band(&pecm.join(format!("{name}.tif")), &grid, name)?;
        let tru = read_band(
            &truth.join(format!("{name}.tif")),
            &grid,
            &format!("truth {name}"),
        )? * scale;
        let diff = &rec - &tru;
        let errs: Vec<f64> = diff
            .iter()
            .zip(hot.iter())
            .filter(|(_, h)| **h < 0.0)
            .map(|(e, _)| *e)
            .collect();
        let finite: Vec<f64> = errs.iter().copied().filter(|e| e.is_finite()).collect();
        let n = finite.len().max(1) as f64;
        let rms = (finite.iter().map(|e| e * e).sum::<f64>() / n).sqrt();
        let bias = finite.iter().sum::<f64>() / n;
        let max = finite.iter().fold(0.0_f64, |m, e| m.max(e.abs()));
        out.insert(
            name.to_string(),
            json!({
                "units": units, "n": finite.len(), "n_not_fitted": errs.len() - finite.len(),
                "rms": rms, "bias": bias, "max_abs": max,
            }),
        );
        maps.push((
            name.to_string(),
            diff.mapv(|v| v) * hot.mapv(|h| if h < 0.0 { 1.0 } else { f64::NAN }),
        ));
    }
    Ok(Some((Value::Object(out), maps)))
}

fn grid_of(path: &Path) -> Result<Grid> {
    let r = geotiff::read_raster(path)?;
    Ok(Grid {
        gt: r.geotransform,
        wkt: r.crs_wkt.clone(),
        rows: r.shape().0,
        cols: r.shape().1,
    })
}

fn pretty(name: &str) -> String {
    name.replace('_', " ")
}

/// Adds a figure to the report and the outputs.
fn add(report: &mut Report, outputs: &mut Vec<PathBuf>, png: PathBuf, caption: &str) -> Result<()> {
    report.figure(&png, caption)?;
    outputs.push(png);
    Ok(())
}

pub(crate) fn permafrost(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let dir = ctx.stage_dir("report")?;
    let figs = dir.join("figures");
    std::fs::create_dir_all(&figs).map_err(|e| Error::io(&figs, e))?;
    let mut outputs = Vec::new();
    let units = s.file.pecm.units.get_ref().clone();
    let rate_units = format!("{units}/yr");
    let pecm_dir = ctx.out.join("pecm");
    let grid = grid_of(&pecm_dir.join("linear_rate.tif"))?;
    let px = Some(grid.pixel_size_m());
    let title = ctx.study.title();
    let mut report = Report::new(&title);

    // Maps.
    report.section("Deformation maps (PECM fit of the SBAS time series)");
    let band = |name: &str| read_band(&pecm_dir.join(format!("{name}.tif")), &grid, name);
    let rate = band("linear_rate")?;
    let amp = band("seasonal_amplitude")?;
    let rate_std = band("linear_rate_std")?;
    let resid = band("residual_rms")?;
    for (file, data, t, u, cmap, caption) in [
        (
            "linear_rate.png",
            &rate,
            "Long-term rate v",
            rate_units.as_str(),
            Colormap::Diverging,
            "Long-term rate v per permafrost year (negative = subsidence).",
        ),
        (
            "seasonal_amplitude.png",
            &amp,
            "Seasonal amplitude d",
            units.as_str(),
            Colormap::Viridis,
            "Seasonal amplitude d of the PECM.",
        ),
        (
            "linear_rate_std.png",
            &rate_std,
            "σ of v",
            rate_units.as_str(),
            Colormap::Viridis,
            "Formal uncertainty of v, σ̂²(AᵀWA)⁻¹.",
        ),
        (
            "residual_rms.png",
            &resid,
            "PECM residual RMS",
            units.as_str(),
            Colormap::Viridis,
            "Residual RMS of the PECM fit; pixels the model does not explain stand out (hotspots).",
        ),
    ] {
        let range = if matches!(cmap, Colormap::Diverging) {
            let m = data
                .iter()
                .filter(|v| v.is_finite())
                .fold(0.0_f64, |m, v| m.max(v.abs()));
            Some((-m, m))
        } else {
            None
        };
        let p = figs.join(file);
        figures::map(
            &p,
            data.view(),
            &MapStyle {
                title: t.into(),
                units: u.into(),
                colormap: cmap,
                range,
                pixel_size_m: px,
            },
        )?;
        add(&mut report, &mut outputs, p, caption)?;
    }

    // Statistics.
    let stats_dir = ctx.out.join("statistics");
    let gd: Value = serde_json::from_str(
        &std::fs::read_to_string(stats_dir.join("geodetector.json"))
            .map_err(|e| Error::io(&stats_dir.join("geodetector.json"), e))?,
    )
    .map_err(|e| Error::format(&stats_dir.join("geodetector.json"), e))?;
    let bx: Value = serde_json::from_str(
        &std::fs::read_to_string(stats_dir.join("boxstats.json"))
            .map_err(|e| Error::io(&stats_dir.join("boxstats.json"), e))?,
    )
    .map_err(|e| Error::format(&stats_dir.join("boxstats.json"), e))?;
    report.section("Controlling factors (geographical detector)");
    let mut rows = Vec::new();
    for (resp, resp_units) in [
        ("linear_rate", rate_units.as_str()),
        ("seasonal_amplitude", units.as_str()),
    ] {
        let factors = gd[resp]["factors"].as_array().cloned().unwrap_or_default();
        let names: Vec<String> = factors
            .iter()
            .map(|f| pretty(f["factor"].as_str().unwrap_or("")))
            .collect();
        let q: Vec<f64> = factors
            .iter()
            .map(|f| f["q"].as_f64().unwrap_or(f64::NAN))
            .collect();
        let sig: Vec<bool> = factors
            .iter()
            .map(|f| f["p_value"].as_f64().is_some_and(|p| p < 0.05))
            .collect();
        for (i, f) in factors.iter().enumerate() {
            rows.push(vec![
                pretty(resp),
                names[i].clone(),
                format!("{:.3}", q[i]),
                format!("{:.2e}", f["p_value"].as_f64().unwrap_or(f64::NAN)),
                (i + 1).to_string(),
            ]);
        }
        let p = figs.join(format!("q_{resp}.png"));
        figures::q_bars(
            &p,
            &format!("Geodetector q: {}", pretty(resp)),
            &names,
            &q,
            &sig,
        )?;
        add(
            &mut report,
            &mut outputs,
            p,
            &format!(
                "q statistic of each factor for the {} (pale/hatched: p ≥ 0.05).",
                pretty(resp)
            ),
        )?;
        // Box plots by the two strongest factors.
        for f in factors.iter().take(2) {
            let fname = f["factor"].as_str().unwrap_or("");
            let b = &bx[resp][fname];
            let edges: Vec<f64> = b["edges"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            let groups: Vec<Vec<f64>> = b["groups"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|g| {
                            g.as_array()
                                .map(|x| x.iter().filter_map(Value::as_f64).collect())
                                .unwrap_or_default()
                        })
                        .collect()
                })
                .unwrap_or_default();
            if edges.len() < 2 || groups.is_empty() {
                continue;
            }
            let classes: Vec<String> = edges
                .windows(2)
                .map(|w| format!("{}–{}", short(w[0]), short(w[1])))
                .collect();
            let funits = factor_units(s, fname);
            let p = figs.join(format!("box_{resp}_by_{fname}.png"));
            figures::binned_boxplot(
                &p,
                &format!("{} by {}", pretty(resp), pretty(fname)),
                &format!("{} ({funits})", pretty(fname)),
                &format!("{} ({resp_units})", pretty(resp)),
                &classes,
                &groups,
            )?;
            add(
                &mut report,
                &mut outputs,
                p,
                &format!(
                    "{} in classes of {} (median, IQR, 1.5 IQR whiskers).",
                    pretty(resp),
                    pretty(fname)
                ),
            )?;
        }
    }
    report.table(&["response", "factor", "q", "p", "rank"], &rows);

    // Correlation heat map of the responses and the factors.
    let mut names = vec!["linear rate".to_string(), "seasonal amplitude".to_string()];
    let mut cols: Vec<Array2<f64>> = vec![rate.clone(), amp.clone()];
    for (fname, p) in s.file.statistics.factors.get_ref() {
        let path = s
            .src
            .path(&format!("statistics.factors.{fname}"), p, true)?;
        cols.push(read_band(&path, &grid, fname)?);
        names.push(pretty(fname));
    }
    let n = grid.rows * grid.cols;
    let data = Array2::from_shape_fn((n, cols.len()), |(i, j)| {
        cols[j][[i / grid.cols, i % grid.cols]]
    });
    let cm = crate::stats::correlation::correlation_matrix(data.view())
        .map_err(|e| Error::Invalid(format!("report: correlation matrix: {e}")))?;
    let p = figs.join("correlation.png");
    figures::correlation_heatmap(&p, "Pearson correlation", &names, cm.r.view())?;
    report.section("Correlations");
    add(
        &mut report,
        &mut outputs,
        p,
        &format!(
            "Pearson r between the PECM parameters and the factors ({} pixels).",
            cm.n
        ),
    )?;

    // Time series of chosen pixels with the fitted model.
    report.section("Time series with the fitted model");
    let ts = read_timeseries(&ctx.out.join("sbas").join("timeseries.h5"))?;
    let pixels = chosen_pixels(s, &amp, &resid)?;
    let cf = cell_forcing(s, &grid)?;
    let r0 = band("r0")?;
    let scale = super::config::length_scale(&units).unwrap_or(1.0);
    let pecm = crate::pecm::Params::new()
        .build()
        .map_err(|e| Error::Invalid(format!("report: {e}")))?;
    let mut series = Vec::new();
    for &[r, c] in &pixels {
        let observed: Vec<f64> = ts
            .displacement
            .slice(ndarray::s![.., r, c])
            .iter()
            .map(|v| v * scale)
            .collect();
        let fitted = cf.forcings[cf.cell_of[[r, c]]].as_ref().and_then(|f| {
            let bases = pecm.bases(f, &ts.dates, r0[[r, c]]).ok()?;
            pecm.model(&bases, rate[[r, c]] / scale, amp[[r, c]] / scale)
                .ok()
        });
        series.push(Series {
            name: format!(
                "pixel ({r}, {c}): v {:.1} {rate_units}, d {:.1} {units}",
                rate[[r, c]],
                amp[[r, c]]
            ),
            observed,
            fitted: fitted.map(|f| f.iter().map(|v| v * scale).collect()),
        });
    }
    let p = figs.join("time_series.png");
    figures::time_series(
        &p,
        "Displacement and PECM fit",
        &format!("LOS displacement ({units})"),
        &ts.dates,
        &series,
    )?;
    add(
        &mut report,
        &mut outputs,
        p,
        "SBAS displacement (points) and the fitted PECM v·L + d·Î (lines) at chosen pixels.",
    )?;

    // Truth.
    let mut note = None;
    if let Some((errors, maps)) = truth_errors(s, ctx)? {
        report.section("Recovered vs true (demo truth)");
        report.paragraph("Errors of the recovered parameters against the planted truth, over the pixels outside the three hotspots (whose non-PECM signal is not part of the truth of v and d).");
        let mut rows = Vec::new();
        for name in ["linear_rate", "seasonal_amplitude"] {
            let e = &errors[name];
            rows.push(vec![
                pretty(name),
                e["units"].as_str().unwrap_or("").to_string(),
                format!("{:.3}", e["rms"].as_f64().unwrap_or(f64::NAN)),
                format!("{:.3}", e["bias"].as_f64().unwrap_or(f64::NAN)),
                format!("{:.3}", e["max_abs"].as_f64().unwrap_or(f64::NAN)),
                e["n"].to_string(),
            ]);
        }
        report.table(
            &[
                "parameter",
                "units",
                "RMS error",
                "bias",
                "max |error|",
                "pixels",
            ],
            &rows,
        );
        for (name, diff) in &maps {
            let m = diff
                .iter()
                .filter(|v| v.is_finite())
                .fold(0.0_f64, |m, v| m.max(v.abs()));
            let u = if name == "linear_rate" {
                rate_units.as_str()
            } else {
                units.as_str()
            };
            let p = figs.join(format!("error_{name}.png"));
            figures::map(
                &p,
                diff.view(),
                &MapStyle {
                    title: format!("Recovered − true {}", pretty(name)),
                    units: u.into(),
                    colormap: Colormap::Diverging,
                    range: Some((-m, m)),
                    pixel_size_m: px,
                },
            )?;
            add(
                &mut report,
                &mut outputs,
                p,
                &format!("Recovered minus true {} (hotspots grey).", pretty(name)),
            )?;
        }
        note = Some(format!(
            "recovered vs true (outside hotspots): linear rate RMS {:.3} {rate_units}, seasonal amplitude RMS {:.3} {units}",
            errors["linear_rate"]["rms"].as_f64().unwrap_or(f64::NAN),
            errors["seasonal_amplitude"]["rms"].as_f64().unwrap_or(f64::NAN),
        ));
        outputs.push(write_json(&dir.join("truth_errors.json"), &errors)?);
    }
    let html = dir.join("report.html");
    report.write(&html)?;
    outputs.push(html);
    Ok(StageResult { outputs, note })
}

fn short(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn factor_units(s: &PermafrostStudy, name: &str) -> String {
    s.file
        .statistics
        .factors
        .get_ref()
        .get(name)
        .and_then(|p| s.src.path("", p, false).ok())
        .and_then(|p| geotiff_units(&p))
        .unwrap_or_else(|| "1".into())
}

fn geotiff_units(path: &Path) -> Option<String> {
    let info = crate::io::describe(path).ok()?;
    info.variables
        .first()
        .and_then(|v| v.units.clone())
        .filter(|u| !u.is_empty())
}

/// The study's pixels, or three chosen ones: smallest, median and largest
/// seasonal amplitude among well-fitted pixels.
fn chosen_pixels(
    s: &PermafrostStudy,
    amp: &Array2<f64>,
    resid: &Array2<f64>,
) -> Result<Vec<[usize; 2]>> {
    let (rows, cols) = amp.dim();
    if !s.file.report.pixels.is_empty() {
        for p in &s.file.report.pixels {
            if p[0] >= rows || p[1] >= cols {
                return Err(Error::Invalid(format!(
                    "{}: key `report.pixels`: pixel ({}, {}) is outside the {rows}×{cols} grid",
                    s.src.path.display(),
                    p[0],
                    p[1]
                )));
            }
        }
        return Ok(s.file.report.pixels.clone());
    }
    let mut ok: Vec<(f64, [usize; 2])> = Vec::new();
    let limit = s.file.statistics.max_residual_rms.unwrap_or(f64::INFINITY);
    for r in 0..rows {
        for c in 0..cols {
            if amp[[r, c]].is_finite() && resid[[r, c]] <= limit {
                ok.push((amp[[r, c]], [r, c]));
            }
        }
    }
    if ok.is_empty() {
        return Ok(vec![]);
    }
    ok.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = ok.len();
    Ok(vec![ok[n / 20].1, ok[n / 2].1, ok[n - 1 - n / 20].1])
}

/// The classifier stage's scores (`classifier.json`) as report tables, or
/// its note when it did not train.
fn classifier_section(report: &mut Report, path: &Path) -> Result<()> {
    report.section("Hotspot classifier (bidirectional LSTM)");
    if !path.exists() {
        report.paragraph("The classifier stage has not run.");
        return Ok(());
    }
    let c: Value =
        serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?)
            .map_err(|e| Error::format(path, e))?;
    if c["trained"] != Value::Bool(true) {
        report.paragraph(
            c["note"]
                .as_str()
                .unwrap_or("The classifier did not train."),
        );
        return Ok(());
    }
    let f = |v: &Value| v.as_f64().map_or("-".into(), |x| format!("{x:.3}"));
    let st = &c["settings"];
    let losses = c["loss_history"].as_array().cloned().unwrap_or_default();
    report.paragraph(&format!(
        "Trained on a class-balanced sample of {} of the {} valid pixels (class 0 = background, class h + 1 = hotspot h; at most {} per class), units {}, dropout {}, {} epochs (loss {} → {}); scores on the {} held-out samples, and agreement with the cluster-stage labels over all valid pixels.",
        c["n_samples"], c["n_valid_pixels"], st["max_samples_per_class"], st["units"], st["dropout"], st["epochs"],
        losses.first().map_or("-".into(), f), losses.last().map_or("-".into(), f), c["n_test"],
    ));
    let rows: Vec<Vec<String>> = [
        ("held-out", &c["test"]),
        ("training", &c["train"]),
        ("all valid pixels", &c["all_pixels"]),
    ]
    .iter()
    .map(|(name, s)| {
        vec![
            (*name).to_string(),
            f(&s["accuracy"]),
            f(&s["macro_precision"]),
            f(&s["macro_recall"]),
            f(&s["macro_f1"]),
        ]
    })
    .collect();
    report.table(
        &[
            "set",
            "accuracy",
            "macro precision",
            "macro recall",
            "macro F1",
        ],
        &rows,
    );
    let rows: Vec<Vec<String>> = c["per_class"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|k| {
            vec![
                k["class"].to_string(),
                if k["hotspot"].as_i64() == Some(-1) {
                    "background".into()
                } else {
                    format!("hotspot {}", k["hotspot"])
                },
                k["pixels"].to_string(),
                k["train"].to_string(),
                k["test"].to_string(),
                f(&k["test_recall"]),
            ]
        })
        .collect();
    report.table(
        &[
            "class",
            "label",
            "pixels",
            "train",
            "test",
            "held-out recall",
        ],
        &rows,
    );
    Ok(())
}

/// Hotspot report: maps, series, table.
pub(crate) fn hotspots(
    title: &str,
    dir: &Path,
    cluster_dir: &Path,
    classifier_json: &Path,
    grid: &Grid,
    truth: Option<&Path>,
) -> Result<(Vec<PathBuf>, Option<Value>)> {
    let figs = dir.join("figures");
    std::fs::create_dir_all(&figs).map_err(|e| Error::io(&figs, e))?;
    let mut outputs = Vec::new();
    let mut report = Report::new(title);
    let px = Some(grid.pixel_size_m());
    let found = read_band(&cluster_dir.join("hotspots.tif"), grid, "hotspots")?.mapv(|v| {
        if v.is_finite() {
            v as i64
        } else {
            -1
        }
    });
    let temporal = read_band(
        &cluster_dir.join("temporal_clusters.tif"),
        grid,
        "temporal clusters",
    )?
    .mapv(|v| if v.is_finite() { v as i64 } else { -1 });
    let hs_path = cluster_dir.join("hotspots.json");
    let hs: Value = serde_json::from_str(
        &std::fs::read_to_string(&hs_path).map_err(|e| Error::io(&hs_path, e))?,
    )
    .map_err(|e| Error::format(&hs_path, e))?;
    report.section("Temporal clusters and hotspots");
    let p = figs.join("temporal_clusters.png");
    figures::labels_map(&p, temporal.view(), "Temporal clusters (k-means)", px)?;
    add(
        &mut report,
        &mut outputs,
        p,
        "k-means clusters of the displacement time series.",
    )?;
    let p = figs.join("hotspots.png");
    figures::labels_map(&p, found.view(), "Hotspots", px)?;
    add(&mut report, &mut outputs, p, "Hotspots: DBSCAN clusters inside each temporal cluster that are compact (dispersion filter) and stand out from the ground around them.")?;
    let dates: Vec<chrono::NaiveDate> = hs["dates"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d.as_str().and_then(|s| s.parse().ok()))
                .collect()
        })
        .unwrap_or_default();
    let mut series = Vec::new();
    let mut rows = Vec::new();
    for h in hs["hotspots"].as_array().cloned().unwrap_or_default() {
        rows.push(vec![
            h["cluster"].to_string(),
            h["label"].to_string(),
            h["size"].to_string(),
            format!(
                "{:.1}, {:.1}",
                h["centre_row"].as_f64().unwrap_or(f64::NAN),
                h["centre_col"].as_f64().unwrap_or(f64::NAN)
            ),
            format!(
                "{:.1} mm",
                1000.0 * h["contrast"].as_f64().unwrap_or(f64::NAN)
            ),
        ]);
        if h["label"].is_null() {
            continue;
        }
        let to_mm = |v: &Value| -> Vec<f64> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| 1000.0 * x.as_f64().unwrap_or(f64::NAN))
                        .collect()
                })
                .unwrap_or_default()
        };
        series.push(Series {
            name: format!(
                "hotspot {} (mean of {} px; line: ground around it)",
                h["label"], h["size"]
            ),
            observed: to_mm(&h["mean_series"]),
            fitted: Some(to_mm(&h["ring_series"])),
        });
    }
    if !series.is_empty() && !dates.is_empty() {
        let p = figs.join("hotspot_series.png");
        figures::time_series(
            &p,
            "Hotspot time series",
            "LOS displacement (mm)",
            &dates,
            &series,
        )?;
        add(
            &mut report,
            &mut outputs,
            p,
            "Mean displacement of each hotspot (points) and of the ground around it (line).",
        )?;
    }
    report.table(
        &[
            "DBSCAN cluster",
            "hotspot",
            "pixels",
            "centre (row, col)",
            "contrast",
        ],
        &rows,
    );
    classifier_section(&mut report, classifier_json)?;
    let mut truth_v = None;
    if let Some(t) = truth {
        let tr = read_band(&t.join("hotspots.tif"), grid, "truth hotspots")?.mapv(|v| v as i64);
        let n_true = tr.iter().copied().max().unwrap_or(-1) + 1;
        let found_n = found.iter().copied().max().unwrap_or(-1) + 1;
        let mut matches = Vec::new();
        let mut trows = Vec::new();
        for h in 0..n_true {
            let (mut n, mut hit) = (0usize, 0usize);
            let mut labels = std::collections::BTreeMap::new();
            for (a, b) in tr.iter().zip(found.iter()) {
                if *a == h {
                    n += 1;
                    if *b >= 0 {
                        hit += 1;
                        *labels.entry(*b).or_insert(0usize) += 1;
                    }
                }
            }
            let recall = hit as f64 / n.max(1) as f64;
            let best = labels.iter().max_by_key(|(_, c)| **c).map(|(l, _)| *l);
            trows.push(vec![
                h.to_string(),
                crate::demo::HOTSPOT_KINDS
                    .get(h as usize)
                    .unwrap_or(&"")
                    .to_string(),
                n.to_string(),
                format!("{:.2}", recall),
                best.map_or("-".into(), |b| b.to_string()),
            ]);
            matches.push(
                json!({ "true_hotspot": h, "pixels": n, "recall": recall, "found_label": best }),
            );
        }
        let p = figs.join("hotspots_truth.png");
        figures::labels_map(&p, tr.view(), "Planted hotspots (truth)", px)?;
        report.section("Recovered vs true (demo truth)");
        add(&mut report, &mut outputs, p, "The three planted hotspots.")?;
        report.table(&["planted", "kind", "pixels", "recall", "found as"], &trows);
        truth_v =
            Some(json!({ "true_hotspots": n_true, "found_hotspots": found_n, "matches": matches }));
    }
    let html = dir.join("report.html");
    report.write(&html)?;
    outputs.push(html);
    Ok((outputs, truth_v))
}
