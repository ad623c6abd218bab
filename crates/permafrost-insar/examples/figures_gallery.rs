//! Writes every figure kind of `permafrost_insar::figures` from synthetic data,
//! plus an HTML report embedding them, into a folder, so that they can be
//! looked at:
//!
//! ```sh
//! cargo run -p permafrost-insar --example figures_gallery -- /tmp/gallery
//! ```
//!
//! The data are deterministic (no random numbers): a deformation-rate map
//! with a NaN hole, an elevation map, a label map with three hotspots,
//! box plots by slope class, q bars, a correlation matrix, three histogram
//! centroids and two fitted pixel time series.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ndarray::Array2;
use permafrost_insar::figures::{self, Colormap, MapStyle, Series};
use permafrost_insar::report::Report;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "figures_gallery".into()),
    );
    std::fs::create_dir_all(&out)?;
    let written = gallery(&out)?;
    let mut report = Report::new("Figure gallery (synthetic data)");
    report.section("Figures");
    report.paragraph(
        "Every figure kind of permafrost_insar::figures, drawn from deterministic synthetic data.",
    );
    for (png, caption) in &written {
        report.figure(png, caption)?;
    }
    report.section("A table");
    report.table(
        &["quantity", "RMS error", "unit"],
        &[
            vec!["linear rate v".into(), "0.42".into(), "mm/yr".into()],
            vec!["seasonal amplitude d".into(), "3.1".into(), "mm".into()],
        ],
    );
    report.write(&out.join("report.html"))?;
    for (png, _) in &written {
        println!("{}", png.display());
    }
    println!("{}", out.join("report.html").display());
    Ok(())
}

/// Renders all figures into `out`; returns (path, caption) pairs.
fn gallery(out: &Path) -> Result<Vec<(PathBuf, String)>, Box<dyn std::error::Error>> {
    let mut written = Vec::new();
    let (rows, cols) = (240, 320);

    // Deformation rate: a subsiding basin, a gradient, a NaN lake.
    let rate = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let (y, x) = (r as f64 / rows as f64, c as f64 / cols as f64);
        let lake = (x - 0.75).powi(2) + (y - 0.3).powi(2) < 0.006;
        if lake {
            f64::NAN
        } else {
            -12.0 * (-((x - 0.35).powi(2) + (y - 0.55).powi(2)) / 0.02).exp()
                + 3.0 * (x - 0.5)
                + 0.8 * (17.0 * x).sin() * (11.0 * y).cos()
        }
    });
    let p = out.join("map_rate.png");
    figures::map(
        &p,
        rate.view(),
        &MapStyle {
            title: "Linear deformation rate v".into(),
            units: "mm/yr".into(),
            colormap: Colormap::Diverging,
            range: None,
            pixel_size_m: Some(90.0),
        },
    )?;
    written.push((
        p,
        "Linear rate (diverging, 2–98 % range, NaN lake in grey, 90 m pixels).".into(),
    ));

    let dem = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let (y, x) = (r as f64 / rows as f64, c as f64 / cols as f64);
        400.0 + 600.0 * (1.0 - y) * x + 150.0 * (6.0 * x).sin() * (4.0 * y).cos()
    });
    let p = out.join("map_dem.png");
    figures::map(
        &p,
        dem.view(),
        &MapStyle {
            title: "Elevation".into(),
            units: "m a.s.l.".into(),
            colormap: Colormap::Terrain,
            range: None,
            pixel_size_m: Some(90.0),
        },
    )?;
    written.push((p, "Elevation (terrain colours).".into()));

    let coherence = Array2::from_shape_fn((120, 90), |(r, c)| ((r * c) as f64 / 10_800.0).sqrt());
    let p = out.join("map_pixels.png");
    figures::map(
        &p,
        coherence.view(),
        &MapStyle {
            title: "Temporal coherence (no pixel size: pixel axes)".into(),
            units: "–".into(),
            colormap: Colormap::Viridis,
            range: Some((0.0, 1.0)),
            pixel_size_m: None,
        },
    )?;
    written.push((p, "Temporal coherence, tall raster, pixel axes.".into()));

    let labels = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let spots = [
            (60.0, 80.0, 18.0),
            (150.0, 230.0, 25.0),
            (190.0, 60.0, 12.0),
        ];
        for (k, (sr, sc, rad)) in spots.iter().enumerate() {
            if (r as f64 - sr).powi(2) + (c as f64 - sc).powi(2) < rad * rad {
                return k as i64;
            }
        }
        -1
    });
    let p = out.join("labels_hotspots.png");
    figures::labels_map(
        &p,
        labels.view(),
        "Deformation hotspots (DBSCAN labels)",
        Some(90.0),
    )?;
    written.push((p, "Three hotspots on background.".into()));

    let classes: Vec<String> = ["0–2", "2–4", "4–6", "6–8", "8–10", "10–15", "15–20", "> 20"]
        .iter()
        .map(|s| format!("{s}°"))
        .collect();
    let groups: Vec<Vec<f64>> = (0..classes.len())
        .map(|k| {
            let n = 40 + 25 * k;
            (0..n)
                .map(|i| {
                    let t = i as f64 / n as f64;
                    -2.0 - 0.8 * k as f64 + 4.0 * (t - 0.5) + if i % 17 == 0 { 6.0 } else { 0.0 }
                })
                .collect()
        })
        .collect();
    let p = out.join("boxplot_slope.png");
    figures::binned_boxplot(
        &p,
        "Linear rate by slope class",
        "slope (°)",
        "linear rate v (mm/yr)",
        &classes,
        &groups,
    )?;
    written.push((p, "Box plots by slope class.".into()));

    let long: Vec<String> = [
        "ground ice content",
        "soil organic carbon stock",
        "normalised difference vegetation index",
        "bulk density",
        "sand fraction",
        "slope",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let long_groups: Vec<Vec<f64>> = (0..long.len())
        .map(|k| {
            (0..60)
                .map(|i| (i as f64 * 0.37 + k as f64).sin() * (1.0 + k as f64))
                .collect()
        })
        .collect();
    let p = out.join("boxplot_long_names.png");
    figures::binned_boxplot(
        &p,
        "Long class names",
        "factor",
        "seasonal amplitude d (mm)",
        &long,
        &long_groups,
    )?;
    written.push((p, "Box plots with long class names.".into()));

    let names: Vec<String> = [
        "ground ice",
        "NDVI",
        "slope",
        "aspect",
        "bulk density",
        "sand",
        "ground temperature",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let q = [0.12, 0.31, 0.05, 0.02, 0.18, 0.09, 0.44];
    let sig = [true, true, true, false, true, false, true];
    let p = out.join("q_bars.png");
    figures::q_bars(&p, "Geographical detector: linear rate", &names, &q, &sig)?;
    written.push((p, "q statistics, sorted; non-significant hatched.".into()));

    let n = names.len();
    let corr = Array2::from_shape_fn((n, n), |(i, j)| {
        if i == j {
            1.0
        } else {
            let a = (i * 7 + j * 7 + i * j) as f64;
            (a * 0.61).sin() * 0.9
        }
    });
    let corr = (&corr + &corr.t()) / 2.0;
    let mut corr = corr;
    for i in 0..n {
        corr[(i, i)] = 1.0;
    }
    let p = out.join("correlation.png");
    figures::correlation_heatmap(&p, "Pearson correlation of factors", &names, corr.view())?;
    written.push((p, "Lower-triangle correlation matrix.".into()));

    let edges: Vec<f64> = (0..=40).map(|k| -40.0 + 2.0 * k as f64).collect();
    let centroid = |mu: f64, sd: f64| -> Vec<f64> {
        (0..40)
            .map(|k| {
                let x = -39.0 + 2.0 * k as f64;
                (-(x - mu).powi(2) / (2.0 * sd * sd)).exp()
            })
            .collect()
    };
    let hist = vec![
        ("cluster 1 (stable)".to_string(), centroid(-2.0, 3.0)),
        ("cluster 2 (subsiding)".to_string(), centroid(-12.0, 6.0)),
        (
            "cluster 3 (strongly subsiding)".to_string(),
            centroid(-25.0, 5.0),
        ),
    ];
    let p = out.join("histograms_cdf.png");
    figures::histograms_cdf(
        &p,
        "Cluster centroids of 10 km histograms",
        "linear rate v (mm/yr)",
        &edges,
        &hist,
    )?;
    written.push((p, "Histogram centroids and CDFs.".into()));

    let start = NaiveDate::from_ymd_opt(2015, 1, 3).ok_or("date")?;
    let dates: Vec<NaiveDate> = (0..120)
        .map(|k| start + chrono::Duration::days(12 * k))
        .collect();
    let series: Vec<Series> = [
        (-8.0, 12.0, "pixel (120, 85)"),
        (-2.0, 5.0, "pixel (30, 200)"),
    ]
    .iter()
    .enumerate()
    .map(|(s, &(v, d, name))| {
        let fitted: Vec<f64> = dates
            .iter()
            .map(|t| {
                let years = (*t - start).num_days() as f64 / 365.25;
                v * years - d * (2.0 * std::f64::consts::PI * (years - 0.2)).sin().max(0.0)
            })
            .collect();
        let observed = fitted
            .iter()
            .enumerate()
            .map(|(k, f)| {
                if k % 29 == 7 + s {
                    f64::NAN
                } else {
                    f + 2.5 * ((k * (s + 3)) as f64).sin()
                }
            })
            .collect();
        Series {
            name: name.to_string(),
            observed,
            fitted: Some(fitted),
        }
    })
    .collect();
    let p = out.join("time_series.png");
    figures::time_series(
        &p,
        "Displacement of two pixels with the fitted PECM",
        "LOS displacement (mm)",
        &dates,
        &series,
    )?;
    written.push((
        p,
        "Observed (points) and fitted (lines) time series.".into(),
    ));

    // Edge cases: crowded inputs and no data at all.
    let many_classes: Vec<String> = (0..40).map(|k| format!("class {k}")).collect();
    let many_groups: Vec<Vec<f64>> = (0..40)
        .map(|k| {
            (0..30)
                .map(|i| (k as f64 * 0.3).sin() * 5.0 + (i as f64 * 0.7).cos())
                .collect()
        })
        .collect();
    let p = out.join("edge_boxplot_40_classes.png");
    figures::binned_boxplot(
        &p,
        "40 classes",
        "class",
        "value (m)",
        &many_classes,
        &many_groups,
    )?;
    written.push((p, "Edge case: 40 classes (labels rotated, thinned).".into()));
    let many_names: Vec<String> = (0..30).map(|k| format!("factor number {k}")).collect();
    let big = Array2::from_shape_fn((30, 30), |(i, j)| {
        if i == j {
            1.0
        } else {
            ((i * j) as f64 * 0.13).cos()
        }
    });
    let p = out.join("edge_correlation_30.png");
    figures::correlation_heatmap(
        &p,
        "30 factors (values hidden in small cells)",
        &many_names,
        big.view(),
    )?;
    written.push((p, "Edge case: 30 × 30 correlation matrix.".into()));
    let many_labels = Array2::from_shape_fn((60, 60), |(r, c)| ((r / 6) * 10 + c / 6) as i64);
    let p = out.join("edge_labels_100.png");
    figures::labels_map(
        &p,
        many_labels.view(),
        "100 labels (legend shortened)",
        None,
    )?;
    written.push((p, "Edge case: 100 labels.".into()));
    let p = out.join("edge_map_nan.png");
    figures::map(
        &p,
        Array2::from_elem((50, 50), f64::NAN).view(),
        &MapStyle {
            title: "All NaN".into(),
            units: "mm".into(),
            ..MapStyle::default()
        },
    )?;
    written.push((p, "Edge case: no finite values.".into()));
    let strip = Array2::from_shape_fn((3, 2000), |(r, c)| (c as f64 * 0.01).sin() + r as f64);
    let p = out.join("edge_map_strip.png");
    figures::map(
        &p,
        strip.view(),
        &MapStyle {
            title: "3 × 2000 strip".into(),
            units: "m".into(),
            pixel_size_m: Some(20.0),
            ..MapStyle::default()
        },
    )?;
    written.push((p, "Edge case: extreme aspect ratio.".into()));
    let groups60: Vec<(String, Vec<f64>)> = (0..60)
        .map(|k| {
            (
                format!("cluster with a long name {k}"),
                centroid(-30.0 + k as f64, 4.0),
            )
        })
        .collect();
    let p = out.join("edge_histograms_60.png");
    figures::histograms_cdf(
        &p,
        "60 groups (legend shortened)",
        "linear rate v (mm/yr)",
        &edges,
        &groups60,
    )?;
    written.push((p, "Edge case: 60 histogram groups.".into()));
    Ok(written)
}
