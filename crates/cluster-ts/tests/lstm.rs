//! The LSTM classifier (feature `lstm`) trained on the labels of the
//! hotspot workflow on the synthetic scene (issue #8, acceptance 4).
//!
//! The full-size run (BiLSTM 128/64, dropout 0.2, 50 × 50 scene) is
//! ignored in CI:
//! `cargo test -p cluster-ts --features lstm --release --test lstm -- --ignored --nocapture`.

use std::time::Instant;

use cluster_ts::lstm::{Dataset, LstmClassifier, LstmConfig};
use cluster_ts::synthetic::{hotspot_scene, Scene, SceneParams};
use cluster_ts::{Euclidean, Geometry, HotspotParams, KMeansParams, SdThreshold, WidespreadFilter};
use ndarray::Array2;

/// Hotspot workflow labels of the scene as classes: 0 = no hotspot,
/// 1..=3 = the kept hotspots.
fn hotspot_classes(scene: &Scene) -> Vec<usize> {
    let km = KMeansParams::new(5)
        .with_n_init(4)
        .with_seed(2)
        .build()
        .unwrap();
    let temporal = km.fit(scene.series.view(), &Euclidean).unwrap();
    let r = HotspotParams::new(0.75, 5)
        .with_geometry(Geometry::PlanarKm)
        .with_filter(WidespreadFilter {
            max_standard_distance: SdThreshold::Km(3.0),
            ..WidespreadFilter::default()
        })
        .with_correlation(None)
        .build()
        .unwrap()
        .run(
            scene.series.view(),
            scene.coords.view(),
            None,
            &temporal.labels,
        )
        .unwrap();
    assert_eq!(r.n_kept(), 3);
    r.labels.iter().map(|&l| (l + 1) as usize).collect()
}

#[test]
fn small_bilstm_learns_hotspot_labels() {
    let scene = hotspot_scene(&SceneParams {
        side: 30,
        ..SceneParams::default()
    });
    let y = hotspot_classes(&scene);
    let cfg = LstmConfig {
        hidden: (16, 8),
        epochs: 12,
        learning_rate: 5e-3,
        seed: 1,
        ..LstmConfig::default()
    };
    let t0 = Instant::now();
    let (model, report) =
        LstmClassifier::train(&Dataset::new(scene.series.view(), &y), &cfg).unwrap();
    eprintln!(
        "small model: {:.1} s, loss {:?}, test {:?}",
        t0.elapsed().as_secs_f64(),
        report.loss_history,
        report.test
    );
    assert!(report.test.accuracy >= 0.9, "{:?}", report.test);
    assert!(report.test.macro_recall >= 0.8, "{:?}", report.test);
    assert!(report.loss_history.last().unwrap() < &report.loss_history[0]);
    // Save / load: the same predictions.
    let dir = tempfile_dir();
    let path = dir.join("model.safetensors");
    model.save(&path).unwrap();
    let back = LstmClassifier::load(&path).unwrap();
    assert_eq!(back.n_classes(), 4);
    assert_eq!(
        back.predict(scene.series.view(), None).unwrap(),
        model.predict(scene.series.view(), None).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("cluster-ts-lstm-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn static_branch_carries_class_information_and_training_is_repeatable() {
    // Series are pure noise; the class is in the static feature only.
    let n = 120;
    let series = Array2::from_shape_fn((n, 6), |(i, t)| ((i * 31 + t * 17) % 13) as f64 / 13.0);
    let y: Vec<usize> = (0..n).map(|i| (i * 7 / 3) % 2).collect();
    let stat = Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { y[i] as f64 } else { 0.5 });
    let cfg = LstmConfig {
        hidden: (4, 4),
        dense_static: 4,
        epochs: 25,
        learning_rate: 1e-2,
        seed: 3,
        ..LstmConfig::default()
    };
    let data = Dataset::new(series.view(), &y).with_static(stat.view());
    let (model, report) = LstmClassifier::train(&data, &cfg).unwrap();
    assert!(report.test.accuracy >= 0.95, "{:?}", report.test);
    assert!(model.evaluate(&data).unwrap().accuracy >= 0.95);
    // Same seed → the same training.
    let (_, again) = LstmClassifier::train(&data, &cfg).unwrap();
    assert_eq!(again.loss_history, report.loss_history);
    // The model wants its static features back.
    assert!(model.predict(series.view(), None).is_err());
}

#[test]
fn bad_inputs_are_errors() {
    let x = Array2::from_shape_fn((10, 5), |(i, t)| (i + t) as f64);
    let y: Vec<usize> = (0..10).map(|i| i % 2).collect();
    let cfg = LstmConfig {
        hidden: (2, 2),
        epochs: 1,
        ..LstmConfig::default()
    };
    let mut bad = x.clone();
    bad[[3, 2]] = f64::NAN;
    let e = LstmClassifier::train(&Dataset::new(bad.view(), &y), &cfg).unwrap_err();
    assert!(
        e.to_string().contains("row 3") && e.to_string().contains("column 2"),
        "{e}"
    );
    let e = LstmClassifier::train(&Dataset::new(x.view(), &y[..9]), &cfg).unwrap_err();
    assert!(e.to_string().contains("labels"), "{e}");
    let e = LstmClassifier::train(&Dataset::new(x.view(), &[0; 10]), &cfg).unwrap_err();
    assert!(e.to_string().contains("two classes"), "{e}");
    let e = LstmClassifier::train(
        &Dataset::new(x.view(), &y),
        &LstmConfig {
            dropout: 1.0,
            ..cfg.clone()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("dropout"), "{e}");
    let (model, _) = LstmClassifier::train(&Dataset::new(x.view(), &y), &cfg).unwrap();
    let e = model
        .predict(Array2::zeros((2, 4)).view(), None)
        .unwrap_err();
    assert!(e.to_string().contains("dates"), "{e}");
    let dir = tempfile_dir();
    let junk = dir.join("junk.safetensors");
    std::fs::write(&junk, b"not a model").unwrap();
    let e = LstmClassifier::load(&junk).unwrap_err();
    assert!(e.to_string().contains("junk.safetensors"), "{e}");
}

/// Acceptance 4: the full-size classifier on the 50 × 50 scene.
#[test]
#[ignore = "full-size run (minutes on 2 cores); see the module docs for the command"]
fn lstm_full_size_on_hotspot_scene() {
    let scene = hotspot_scene(&SceneParams::default());
    let y = hotspot_classes(&scene);
    let cfg = LstmConfig {
        epochs: 3,
        seed: 1,
        ..LstmConfig::default()
    };
    let t0 = Instant::now();
    let (_, report) = LstmClassifier::train(&Dataset::new(scene.series.view(), &y), &cfg).unwrap();
    let secs = t0.elapsed().as_secs_f64();
    eprintln!(
        "full model (128/64, dropout 0.2, {} epochs): {secs:.1} s; loss {:?}; held-out accuracy {:.4}, macro precision {:.4}, recall {:.4}, F1 {:.4}",
        cfg.epochs,
        report.loss_history,
        report.test.accuracy,
        report.test.macro_precision,
        report.test.macro_recall,
        report.test.macro_f1
    );
    assert!(report.test.accuracy >= 0.9, "{:?}", report.test);
}
