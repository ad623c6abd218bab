//! `hotspots --timeseries timeseries.h5 --k K … --out DIR`: temporal
//! k-means of the pixels' series, DBSCAN inside each temporal cluster,
//! removal of widespread clusters (standard distance against the spatial
//! correlation length or a fixed limit), a labels raster and a per-cluster
//! table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use ndarray::Array2;
use permafrost_insar::cluster::{
    CorrelationParams, DtwDba, Euclidean, Geometry, HotspotParams, KMeansParams, Removal,
    SdThreshold, SoftDtw, WidespreadFilter,
};
use permafrost_insar::io::{h5, mintpy};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::cluster::{cluster_err, read_series, write_csv};
use super::{ensure_dir, print_json, Global};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TemporalMetric {
    Euclidean,
    Dtw,
    Softdtw,
}

#[derive(Debug, Args)]
pub(crate) struct HotspotsArgs {
    /// MintPy `timeseries.h5` (`FILE:DATASET`, default `timeseries`), metres.
    #[arg(long)]
    timeseries: String,
    /// Number of temporal clusters.
    #[arg(long)]
    k: usize,
    /// Distance of the temporal k-means.
    #[arg(long, value_enum, default_value = "euclidean")]
    metric: TemporalMetric,
    /// Seed of k-means++ (and of the covariogram's pixel pairs).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// k-means restarts.
    #[arg(long, default_value_t = 4)]
    n_init: usize,
    /// DBSCAN radius, km.
    #[arg(long)]
    eps_km: f64,
    /// DBSCAN core-point count (the point itself included).
    #[arg(long, default_value_t = 5)]
    min_samples: usize,
    /// Remove clusters with a standard distance above this (km); by default
    /// the limit is the spatial correlation length of the deformation.
    #[arg(long)]
    max_sd_km: Option<f64>,
    /// Pixel spacing (km) for files without geocoding (`X_FIRST` … attributes);
    /// distances are then planar.
    #[arg(long)]
    pixel_km: Option<f64>,
    /// Output folder: `labels.h5` (raster), `labels.csv` (per pixel), `clusters.csv`.
    #[arg(long)]
    out: PathBuf,
    /// Also train the bidirectional-LSTM classifier on the hotspot labels
    /// (class 0 = no hotspot) for this many epochs; writes `classifier.safetensors`.
    #[cfg(feature = "lstm")]
    #[arg(long, value_name = "EPOCHS")]
    classify: Option<usize>,
    /// Units of the two bidirectional LSTM layers, per direction.
    #[cfg(feature = "lstm")]
    #[arg(long, value_name = "H1,H2", default_value = "128,64")]
    lstm_units: String,
}

fn attr_f64(attrs: &BTreeMap<String, permafrost_insar::io::AttrValue>, key: &str) -> Option<f64> {
    let v = attrs.get(key)?;
    v.as_f64()
        .or_else(|| v.as_text().and_then(|t| t.trim().parse().ok()))
}

pub(crate) fn run(args: &HotspotsArgs, global: Global) -> Result<()> {
    let spec = permafrost_insar::io::VarSpec::parse(&args.timeseries);
    let path = spec.path.clone();
    let series = read_series(&args.timeseries)?;
    let Some((pixels, (ny, nx))) = &series.pixels else {
        return Err(Error::format(
            &path,
            "hotspots needs a MintPy timeseries.h5 (date, row, col)",
        ));
    };
    let attrs = h5::read_attributes(&path, "/")?;
    // Coordinates of each pixel centre.
    let geo = match (
        attr_f64(&attrs, "X_FIRST"),
        attr_f64(&attrs, "X_STEP"),
        attr_f64(&attrs, "Y_FIRST"),
        attr_f64(&attrs, "Y_STEP"),
    ) {
        (Some(x0), Some(dx), Some(y0), Some(dy)) if args.pixel_km.is_none() => {
            Some((x0, dx, y0, dy))
        }
        _ => None,
    };
    let (geometry, coords) = match (geo, args.pixel_km) {
        (Some((x0, dx, y0, dy)), _) => (
            Geometry::LonLatDeg,
            Array2::from_shape_fn((pixels.len(), 2), |(i, j)| {
                let (r, c) = pixels[i];
                if j == 0 {
                    x0 + (c as f64 + 0.5) * dx
                } else {
                    y0 + (r as f64 + 0.5) * dy
                }
            }),
        ),
        (None, Some(p)) if p.is_finite() && p > 0.0 => (
            Geometry::PlanarKm,
            Array2::from_shape_fn((pixels.len(), 2), |(i, j)| {
                let (r, c) = pixels[i];
                if j == 0 {
                    c as f64 * p
                } else {
                    r as f64 * p
                }
            }),
        ),
        (None, Some(p)) => {
            return Err(Error::Invalid(format!(
                "--pixel-km must be a positive number, got {p}"
            )))
        }
        (None, None) => {
            return Err(Error::format(
                &path,
                "no X_FIRST/X_STEP/Y_FIRST/Y_STEP attributes (not geocoded): give --pixel-km",
            ))
        }
    };
    // Dates → days → per-pixel velocity (m/yr, least squares).
    let dates = h5::read_strings(&path, "date")?;
    let days: Vec<f64> = dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            NaiveDate::parse_from_str(d.trim(), "%Y%m%d")
                .map(|x| (x - NaiveDate::default()).num_days() as f64)
                .map_err(|e| Error::variable(&path, "date", format!("entry {i} `{d}`: {e}")))
        })
        .collect::<Result<_>>()?;
    if days.len() != series.data.ncols() {
        return Err(Error::Shape {
            context: format!("{}: `date` against the time-series cube", path.display()),
            expected: vec![series.data.ncols()],
            found: vec![days.len()],
        });
    }
    let tm = days.iter().sum::<f64>() / days.len() as f64;
    let sxx: f64 = days.iter().map(|d| (d - tm).powi(2)).sum();
    let velocity: Vec<f64> = series
        .data
        .outer_iter()
        .map(|row| {
            if sxx > 0.0 {
                row.iter()
                    .zip(&days)
                    .map(|(v, d)| v * (d - tm))
                    .sum::<f64>()
                    / sxx
                    * 365.25
            } else {
                0.0
            }
        })
        .collect();
    // Temporal clusters.
    let km = KMeansParams::new(args.k)
        .with_n_init(args.n_init)
        .with_seed(args.seed)
        .build()
        .map_err(|e| cluster_err("hotspots", e))?;
    let x = series.data.view();
    let temporal = match args.metric {
        TemporalMetric::Euclidean => km.fit(x, &Euclidean),
        TemporalMetric::Dtw => km.fit(x, &DtwDba::default()),
        TemporalMetric::Softdtw => km.fit(x, &SoftDtw::default()),
    }
    .map_err(|e| cluster_err(&format!("hotspots {}", path.display()), e))?;
    let filter = WidespreadFilter {
        max_standard_distance: match args.max_sd_km {
            Some(v) => SdThreshold::Km(v),
            None => SdThreshold::CorrelationLength(1.0),
        },
        ..WidespreadFilter::default()
    };
    let correlation = args.max_sd_km.is_none().then(|| CorrelationParams {
        seed: args.seed,
        ..CorrelationParams::default()
    });
    let hs = HotspotParams::new(args.eps_km, args.min_samples)
        .with_geometry(geometry)
        .with_filter(filter)
        .with_correlation(correlation)
        .build()
        .map_err(|e| cluster_err("hotspots", e))?;
    let r = hs
        .run(x, coords.view(), Some(&velocity), &temporal.labels)
        .map_err(|e| cluster_err(&format!("hotspots {}", path.display()), e))?;
    // Outputs.
    ensure_dir(&args.out)?;
    let mut raster = Array2::<f32>::from_elem((*ny, *nx), f32::NAN);
    for (&(row, col), &l) in pixels.iter().zip(&r.labels) {
        raster[[row, col]] = l as f32;
    }
    let mut out_attrs: BTreeMap<String, String> = attrs
        .iter()
        .filter(|(k, _)| k.as_str() != "FILE_TYPE")
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_text().map_or_else(|| v.display(), str::to_string),
            )
        })
        .collect();
    out_attrs.insert("hotspot_eps_km".into(), args.eps_km.to_string());
    let labels_h5 = args.out.join("labels.h5");
    mintpy::write_single(&labels_h5, "label", &raster, "1", &out_attrs)?;
    let labels_csv = args.out.join("labels.csv");
    write_csv(
        &labels_csv,
        "index,row,col,temporal_cluster,dbscan_cluster,label",
        pixels.iter().enumerate().map(|(i, (row, col))| {
            format!(
                "{i},{row},{col},{},{},{}",
                temporal.labels[i], r.dbscan_labels[i], r.labels[i]
            )
        }),
    )?;
    let table_csv = args.out.join("clusters.csv");
    let fmt_opt = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    write_csv(
        &table_csv,
        "cluster,temporal_cluster,label,size,centroid_x,centroid_y,mean_velocity_m_per_yr,standard_distance_km,area_km2,relative_standard_distance,removed",
        r.table.iter().map(|row| {
            format!(
                "{},{},{},{},{},{},{},{},{},{},{}",
                row.id,
                row.temporal_cluster,
                row.final_label.map_or(-1, |l| l as i64),
                row.size,
                row.dispersion.centroid.0,
                row.dispersion.centroid.1,
                fmt_opt(row.mean_velocity),
                row.dispersion.standard_distance_km,
                row.dispersion.area_km2,
                fmt_opt(row.dispersion.relative_standard_distance),
                match row.removed {
                    None => "",
                    Some(Removal::StandardDistance) => "standard_distance",
                    Some(Removal::RelativeStandardDistance) => "relative_standard_distance",
                    Some(Removal::Area) => "area",
                    #[allow(unreachable_patterns)]
                    Some(_) => "other",
                }
            )
        }),
    )?;
    #[cfg(feature = "lstm")]
    let classifier = match args.classify {
        Some(epochs) => {
            use permafrost_insar::cluster::lstm::{Dataset, LstmClassifier, LstmConfig};
            let classes: Vec<usize> = r.labels.iter().map(|&l| (l + 1) as usize).collect();
            let units: Vec<usize> = args
                .lstm_units
                .split(',')
                .map(|u| u.trim().parse::<usize>())
                .collect::<std::result::Result<_, _>>()
                .ok()
                .filter(|u: &Vec<usize>| u.len() == 2)
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "--lstm-units: expected two integers `H1,H2`, got `{}`",
                        args.lstm_units
                    ))
                })?;
            let cfg = LstmConfig {
                hidden: (units[0], units[1]),
                epochs,
                seed: args.seed,
                ..LstmConfig::default()
            };
            let (model, report) = LstmClassifier::train(&Dataset::new(x, &classes), &cfg)
                .map_err(|e| cluster_err("hotspots --classify", e))?;
            let path = args.out.join("classifier.safetensors");
            model
                .save(&path)
                .map_err(|e| cluster_err("hotspots --classify", e))?;
            Some(json!({
                "model_file": path,
                "epochs": epochs,
                "test_accuracy": report.test.accuracy,
                "test_macro_precision": report.test.macro_precision,
                "test_macro_recall": report.test.macro_recall,
                "test_macro_f1": report.test.macro_f1,
                "loss_history": report.loss_history,
            }))
        }
        None => None,
    };
    #[cfg(not(feature = "lstm"))]
    let classifier: Option<serde_json::Value> = None;
    let corr_len = r.covariogram.as_ref().and_then(|c| c.correlation_length_km);
    let n_noise = r.labels.iter().filter(|&&l| l < 0).count();
    if global.json {
        print_json(&json!({
            "labels_file": labels_csv,
            "labels_raster": labels_h5,
            "clusters_file": table_csv,
            "n_clusters": r.n_kept(),
            "n_removed": r.table.len() - r.n_kept(),
            "n_noise": n_noise,
            "n_skipped": series.n_skipped,
            "inertia": temporal.inertia,
            "correlation_length_km": corr_len,
            "classifier": classifier,
        }))
    } else {
        println!(
            "{} hotspots kept, {} widespread clusters removed (correlation length {}) → {}",
            r.n_kept(),
            r.table.len() - r.n_kept(),
            corr_len.map_or_else(|| "not estimated".into(), |l| format!("{l:.2} km")),
            args.out.display()
        );
        if let Some(c) = classifier {
            println!("classifier: {c}");
        }
        Ok(())
    }
}
