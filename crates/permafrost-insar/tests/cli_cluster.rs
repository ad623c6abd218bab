//! `cluster kmeans|dbscan|histograms` and `hotspots` from the command line,
//! on planted data, plus bad inputs.

mod common;
use common::{cli_json as cli, native_io_turn};

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use ndarray::{Array2, Array3};
use permafrost_insar::cluster::synthetic::{hotspot_scene, SceneParams};
use permafrost_insar::io::nc::{NcData, NcWriter};
use permafrost_insar::io::{mat_v5, mintpy};

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// The `label` column of a label table.
fn labels(path: &Path) -> Vec<i64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let j = header
        .iter()
        .position(|&c| c == "label")
        .expect("label column");
    lines
        .map(|l| l.split(',').nth(j).unwrap().parse().unwrap())
        .collect()
}

/// True when `a` and `b` are the same partition (labels up to permutation).
fn same_partition(a: &[i64], b: &[i64]) -> bool {
    let mut ab = BTreeMap::new();
    let mut ba = BTreeMap::new();
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| *ab.entry(*x).or_insert(*y) == *y && *ba.entry(*y).or_insert(*x) == *x)
}

/// Three shapes of 20-date series, 12 rows each, interleaved.
fn planted_series() -> (Array2<f64>, Vec<i64>) {
    let x = Array2::from_shape_fn((36, 20), |(i, t)| {
        let t = t as f64;
        let e = 0.01 * ((i * 7 + t as usize * 3) % 11) as f64;
        match i % 3 {
            0 => -0.5 * t + e,
            1 => 3.0 * (t / 3.0).sin() + e,
            _ => 5.0 + e,
        }
    });
    (x, (0..36).map(|i| (i % 3) as i64).collect())
}

fn write_series_csv(path: &Path, x: &Array2<f64>) {
    let mut text = (0..x.ncols())
        .map(|j| format!("d{j}"))
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for row in x.outer_iter() {
        text.push_str(
            &row.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(","),
        );
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn kmeans_on_csv_and_matlab_recovers_planted_groups() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let (x, truth) = planted_series();
    let csv = dir.path().join("series.csv");
    write_series_csv(&csv, &x);
    for metric in ["euclidean", "dtw", "softdtw"] {
        let out = dir.path().join(format!("labels_{metric}.csv"));
        let (ok, v, err) = cli(&[
            "--json",
            "cluster",
            "kmeans",
            "--series",
            &s(&csv),
            "--k",
            "3",
            "--metric",
            metric,
            "--n-init",
            "3",
            "--seed",
            "4",
            "--out",
            &s(&out),
        ]);
        assert!(ok, "{metric}: {err}");
        assert_eq!(v["n_clusters"], 3);
        assert!(v["inertia"].as_f64().unwrap().is_finite());
        assert_eq!(v["labels_file"], s(&out));
        assert!(same_partition(&labels(&out), &truth), "{metric}");
    }
    // The same matrix from a MATLAB v5 file.
    let mat = dir.path().join("series.mat");
    mat_v5::write(&mat, &[("X", x.view().into_dyn())], true).unwrap();
    let out = dir.path().join("labels_mat.csv");
    let (ok, _, err) = cli(&[
        "cluster",
        "kmeans",
        "--series",
        &format!("{}:X", s(&mat)),
        "--k",
        "3",
        "--n-init",
        "3",
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{err}");
    assert!(same_partition(&labels(&out), &truth));
    // Given initial centroids: one series of each group → exact groups.
    let init = dir.path().join("init.csv");
    write_series_csv(&init, &x.select(ndarray::Axis(0), &[0, 1, 2]));
    let out = dir.path().join("labels_init.csv");
    let (ok, v, err) = cli(&[
        "--json",
        "cluster",
        "kmeans",
        "--series",
        &s(&csv),
        "--k",
        "3",
        "--init-centroids",
        &s(&init),
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{err}");
    assert_eq!(labels(&out), truth);
    assert_eq!(v["converged"], true);
}

/// The synthetic hotspot scene as a MintPy `timeseries.h5` (planar grid,
/// no geocoding), with one NaN pixel.
fn scene_h5(path: &Path) -> (Vec<usize>, usize) {
    let scene = hotspot_scene(&SceneParams::default());
    let side = 50;
    let nt = scene.days.len();
    let mut cube = Array3::<f32>::zeros((nt, side, side));
    for i in 0..side * side {
        for t in 0..nt {
            cube[[t, i / side, i % side]] = scene.series[[i, t]] as f32;
        }
    }
    cube[[3, 0, 0]] = f32::NAN;
    let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates: Vec<NaiveDate> = scene
        .days
        .iter()
        .map(|&d| d0 + chrono::Days::new(d as u64))
        .collect();
    mintpy::write_timeseries(path, &dates, &cube, &BTreeMap::new()).unwrap();
    (scene.class, side)
}

#[test]
fn kmeans_and_hotspots_on_timeseries_h5() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let ts = dir.path().join("timeseries.h5");
    let (class, _) = scene_h5(&ts);
    let out = dir.path().join("labels.csv");
    let (ok, v, err) = cli(&[
        "--json",
        "cluster",
        "kmeans",
        "--series",
        &s(&ts),
        "--k",
        "5",
        "--n-init",
        "4",
        "--seed",
        "2",
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{err}");
    assert_eq!(v["n_skipped"], 1);
    assert_eq!(v["n_series"], 2499);
    let l = labels(&out);
    let truth: Vec<i64> = class[1..].iter().map(|&c| c as i64).collect();
    assert!(same_partition(&l, &truth));

    let hot = dir.path().join("hot");
    let (ok, v, err) = cli(&[
        "--json",
        "hotspots",
        "--timeseries",
        &s(&ts),
        "--k",
        "5",
        "--seed",
        "2",
        "--eps-km",
        "0.75",
        "--pixel-km",
        "0.5",
        "--max-sd-km",
        "3",
        "--out",
        &s(&hot),
    ]);
    assert!(ok, "{err}");
    assert_eq!(v["n_clusters"], 3, "{v}");
    assert!(v["n_removed"].as_u64().unwrap() >= 2);
    let l = labels(&hot.join("labels.csv"));
    // Every kept pixel is a hotspot pixel; each hotspot ≥ 90 % kept.
    for (i, &lab) in l.iter().enumerate() {
        let c = class[i + 1];
        assert_eq!(lab >= 0, c >= 2, "pixel {} class {c} label {lab}", i + 1);
    }
    let table = std::fs::read_to_string(hot.join("clusters.csv")).unwrap();
    assert!(table
        .lines()
        .next()
        .unwrap()
        .contains("standard_distance_km"));
    assert!(table.contains("standard_distance"));
    assert!(hot.join("labels.h5").is_file());
    // Without geocoding and without --pixel-km: a clear error.
    let (ok, _, err) = cli(&[
        "hotspots",
        "--timeseries",
        &s(&ts),
        "--k",
        "5",
        "--eps-km",
        "0.75",
        "--out",
        &s(&hot),
    ]);
    assert!(!ok);
    assert!(
        err.contains("--pixel-km") && err.contains("timeseries.h5"),
        "{err}"
    );
}

#[test]
fn dbscan_on_point_table_finds_blobs_and_noise() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,east,north\n");
    let mut truth = Vec::new();
    for (b, (cx, cy)) in [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)].iter().enumerate() {
        for i in 0..25 {
            let a = i as f64 * 0.7;
            let r = 0.1 * (i % 5) as f64;
            text.push_str(&format!(
                "p{b}_{i},{},{}\n",
                cx + r * a.cos(),
                cy + r * a.sin()
            ));
            truth.push(b as i64);
        }
    }
    for (i, (x, y)) in [(5.0, 5.0), (-6.0, 3.0), (20.0, 20.0)].iter().enumerate() {
        text.push_str(&format!("n{i},{x},{y}\n"));
        truth.push(-1);
    }
    let pts = dir.path().join("points.csv");
    std::fs::write(&pts, text).unwrap();
    let out = dir.path().join("db.csv");
    let (ok, v, err) = cli(&[
        "--json",
        "cluster",
        "dbscan",
        "--points",
        &s(&pts),
        "--x",
        "east",
        "--y",
        "north",
        "--eps",
        "0.5",
        "--min-samples",
        "4",
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{err}");
    assert_eq!(v["n_clusters"], 3);
    assert_eq!(v["n_noise"], 3);
    let l = labels(&out);
    assert_eq!(
        l, truth,
        "clusters numbered in order of discovery, noise −1"
    );
    // Haversine on lon/lat in km: the same blobs scaled to ~1 km apart.
    let (ok, v, err) = cli(&[
        "--json",
        "cluster",
        "dbscan",
        "--points",
        &s(&pts),
        "--x",
        "east",
        "--y",
        "north",
        "--eps",
        "60",
        "--min-samples",
        "4",
        "--metric",
        "haversine",
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{err}");
    assert_eq!(v["n_clusters"], 3);
}

#[test]
fn histograms_from_upscale_layout() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let (ny, nx, nb) = (4, 5, 20);
    let edges: Vec<f64> = (0..=nb).map(|i| -1.0 + 0.1 * i as f64).collect();
    let mut h = ndarray::Array3::<f64>::zeros((ny, nx, nb));
    let mut valid = Array2::<i32>::ones((ny, nx));
    valid[[0, 0]] = 0;
    let mut truth = Vec::new();
    for r in 0..ny {
        for c in 0..nx {
            // Left half: mass on bins 2–4; right half: on bins 14–16.
            let lo = if c < 2 { 2 } else { 14 };
            for b in lo..lo + 3 {
                h[[r, c, b]] = 1.0 / 0.3 * [0.25, 0.5, 0.25][b - lo];
            }
            if valid[[r, c]] == 1 {
                truth.push(i64::from(c >= 2));
            }
        }
    }
    h[[0, 0, 0]] = f64::NAN; // invalid cell: ignored
    let nc = dir.path().join("upscale.nc");
    let mut w = NcWriter::new();
    w.dimension("y", ny)
        .dimension("x", nx)
        .dimension("bin", nb)
        .dimension("bin_edge", nb + 1)
        .variable(
            "bin_edges",
            &["bin_edge"],
            NcData::F64(ndarray::Array1::from(edges).into_dyn()),
        )
        .variable("valid", &["y", "x"], NcData::I32(valid.into_dyn()))
        .variable(
            "histogram",
            &["y", "x", "bin"],
            NcData::F64(h.clone().into_dyn()),
        );
    w.write(&nc).unwrap();
    for distance in ["wasserstein", "euclidean"] {
        let out = dir.path().join(format!("h_{distance}.csv"));
        let (ok, v, err) = cli(&[
            "--json",
            "cluster",
            "histograms",
            "--input",
            &s(&nc),
            "--k",
            "2",
            "--distance",
            distance,
            "--out",
            &s(&out),
        ]);
        assert!(ok, "{distance}: {err}");
        assert_eq!(v["n_cells"], 19);
        assert!(same_partition(&labels(&out), &truth), "{distance}");
    }
    // The shape distance cannot tell translated copies apart: one cluster
    // holds (almost) everything, with zero inertia.
    let out = dir.path().join("h_shape.nc");
    let (ok, v, err) = cli(&[
        "--json",
        "cluster",
        "histograms",
        "--input",
        &s(&nc),
        "--k",
        "2",
        "--distance",
        "shape",
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{err}");
    assert!(v["inertia"].as_f64().unwrap() < 1e-12);
    let grid = permafrost_insar::io::read_array(&out, Some("label")).unwrap();
    assert_eq!(grid[[0, 0]], -1.0);
}

#[test]
fn bad_inputs_give_one_line_errors() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.csv");
    // Non-numeric cell in a series table.
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "a,b\n1,2\n3,x\n").unwrap();
    let (ok, _, err) = cli(&[
        "cluster",
        "kmeans",
        "--series",
        &s(&csv),
        "--k",
        "1",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(
        err.contains("bad.csv") && err.contains("row 2") && err.contains('b'),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
    // NaN in a series: named by row and column.
    std::fs::write(&csv, "a,b\n1,2\n3,\n").unwrap();
    let (ok, _, err) = cli(&[
        "cluster",
        "kmeans",
        "--series",
        &s(&csv),
        "--k",
        "1",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(err.contains("bad.csv") && err.contains("row 1"), "{err}");
    // k larger than the number of series.
    std::fs::write(&csv, "a,b\n1,2\n3,4\n").unwrap();
    let (ok, _, err) = cli(&[
        "cluster",
        "kmeans",
        "--series",
        &s(&csv),
        "--k",
        "5",
        "--out",
        &s(&out),
    ]);
    assert!(!ok, "{err}");
    assert!(!out.exists());
    // Missing column and missing coordinate in DBSCAN.
    std::fs::write(&csv, "x,y\n1,2\n3,\n").unwrap();
    let (ok, _, err) = cli(&[
        "cluster",
        "dbscan",
        "--points",
        &s(&csv),
        "--x",
        "x",
        "--y",
        "lat",
        "--eps",
        "1",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(err.contains("lat"), "{err}");
    let (ok, _, err) = cli(&[
        "cluster",
        "dbscan",
        "--points",
        &s(&csv),
        "--x",
        "x",
        "--y",
        "y",
        "--eps",
        "1",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(err.contains("row 2") && err.contains('y'), "{err}");
    let (ok, _, err) = cli(&[
        "cluster",
        "dbscan",
        "--points",
        &s(&csv),
        "--x",
        "x",
        "--y",
        "x",
        "--eps",
        "-1",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(err.contains("eps"), "{err}");
    // A MAT-file without a variable name.
    let mat = dir.path().join("m.mat");
    mat_v5::write(
        &mat,
        &[("X", Array2::<f64>::zeros((3, 2)).view().into_dyn())],
        false,
    )
    .unwrap();
    let (ok, _, err) = cli(&[
        "cluster",
        "kmeans",
        "--series",
        &s(&mat),
        "--k",
        "1",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(err.contains(":VAR"), "{err}");
    // Histograms: a file without the upscale variables.
    let (ok, _, err) = cli(&[
        "cluster",
        "histograms",
        "--input",
        &s(&csv),
        "--k",
        "2",
        "--out",
        &s(&out),
    ]);
    assert!(!ok);
    assert!(!err.is_empty());
    assert!(!out.exists());
}

/// `hotspots --classify` (feature `lstm`): a small network trained on the
/// hotspot labels of the scene, its scores in the JSON and the model file.
#[cfg(feature = "lstm")]
#[test]
fn hotspots_classify_trains_lstm() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let ts = dir.path().join("timeseries.h5");
    scene_h5(&ts);
    let hot = dir.path().join("hot");
    let (ok, v, err) = cli(&[
        "--json",
        "hotspots",
        "--timeseries",
        &s(&ts),
        "--k",
        "5",
        "--seed",
        "2",
        "--eps-km",
        "0.75",
        "--pixel-km",
        "0.5",
        "--max-sd-km",
        "3",
        "--classify",
        "2",
        "--lstm-units",
        "8,4",
        "--out",
        &s(&hot),
    ]);
    assert!(ok, "{err}");
    let c = &v["classifier"];
    assert!(c["test_accuracy"].as_f64().unwrap() >= 0.9, "{v}");
    assert!(hot.join("classifier.safetensors").is_file());
    let (ok, _, err) = cli(&[
        "hotspots",
        "--timeseries",
        &s(&ts),
        "--k",
        "5",
        "--eps-km",
        "0.75",
        "--pixel-km",
        "0.5",
        "--max-sd-km",
        "3",
        "--classify",
        "1",
        "--lstm-units",
        "8",
        "--out",
        &s(&hot),
    ]);
    assert!(!ok);
    assert!(err.contains("--lstm-units"), "{err}");
}
