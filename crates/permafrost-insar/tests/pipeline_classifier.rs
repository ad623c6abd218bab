//! The hotspot study's `classifier` stage on the small demo scene
//! (`SceneParams::small()`): with the feature `lstm` a tiny bidirectional
//! LSTM learns the hotspot labels of the `cluster` stage (held-out accuracy
//! ≥ 0.9) and the report shows its scores; without the feature the stage
//! writes a note naming `--features lstm`. Both builds: stage caching, and
//! bad `[classifier]` values are clear errors.
//!
//! `cargo test -p permafrost-insar --features lstm --test pipeline_classifier`

mod common;
use common::native_io_turn;

use std::path::Path;

use permafrost_insar::demo::{self, SceneParams};
use permafrost_insar::pipeline::{run_study, RunOptions};

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A tiny model: 8/4 units, 80 pixels per class, 12 epochs, learning rate 0.01.
const TINY: &str = r#"[classifier]
epochs = 12
units = [8, 4]
dropout = 0.1
learning_rate = 0.01
max_samples_per_class = 80
test_fraction = 0.25
seed = 3
"#;

#[test]
fn classifier_stage_learns_the_hotspot_labels() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    demo::generate(dir.path(), &SceneParams::small()).unwrap();
    let files = demo::write_study_files(dir.path()).unwrap();
    run_study(&files[0], &RunOptions::default()).unwrap();
    let study = &files[1];
    let text = std::fs::read_to_string(study).unwrap();
    let start = text
        .find("[classifier]")
        .expect("demo study has [classifier]");
    let end = text.find("[report]").unwrap();
    let tiny = format!("{}{TINY}\n{}", &text[..start], &text[end..]);
    std::fs::write(study, &tiny).unwrap();

    let summary = run_study(study, &RunOptions::default()).unwrap();
    let ran: Vec<&str> = summary
        .stages
        .iter()
        .filter(|s| s.ran)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(ran, ["cluster", "classifier", "report"]);
    let stage = summary
        .stages
        .iter()
        .find(|s| s.name == "classifier")
        .unwrap();
    eprintln!(
        "classifier stage: {:.1} s (debug build), {:?}",
        stage.seconds, stage.note
    );
    let out = dir.path().join("out/hotspots");
    let c = json(&out.join("classifier/classifier.json"));
    let report = std::fs::read_to_string(out.join("report/report.html")).unwrap();
    assert!(report.contains("Hotspot classifier"));

    #[cfg(feature = "lstm")]
    {
        use permafrost_insar::cluster::lstm::LstmClassifier;
        use permafrost_insar::io::geotiff;
        assert_eq!(c["trained"], true, "{c}");
        let n_hot = json(&out.join("cluster/hotspots.json"))["n_hotspots"]
            .as_u64()
            .unwrap() as usize;
        assert!(n_hot >= 2, "{n_hot} hotspots");
        assert_eq!(c["n_classes"].as_u64().unwrap() as usize, n_hot + 1);
        let acc = c["test"]["accuracy"].as_f64().unwrap();
        let f1 = c["test"]["macro_f1"].as_f64().unwrap();
        eprintln!(
            "held-out accuracy {acc:.3}, macro F1 {f1:.3}, all pixels {}; per class {}",
            c["all_pixels"]["accuracy"], c["per_class"]
        );
        assert!(acc >= 0.9, "held-out accuracy {acc}");
        assert!((0.0..=1.0).contains(&f1));
        // Balanced subsample: at most 80 per class, each class in train and test.
        for k in c["per_class"].as_array().unwrap() {
            let sampled = k["train"].as_u64().unwrap() + k["test"].as_u64().unwrap();
            assert!(sampled <= 80, "{k}");
            assert!(k["train"].as_u64().unwrap() > 0 && k["test"].as_u64().unwrap() > 0);
            assert_eq!(sampled, k["pixels"].as_u64().unwrap().min(80), "{k}");
        }
        assert_eq!(c["loss_history"].as_array().unwrap().len(), 12);
        // The saved model predicts as many classes as were trained.
        let model = LstmClassifier::load(&out.join("classifier/classifier.safetensors")).unwrap();
        assert_eq!(model.n_classes(), n_hot + 1);
        // The predicted-label raster covers the scene: −1 or a hotspot id.
        let pred = geotiff::read_raster(&out.join("classifier/predicted_hotspots.tif")).unwrap();
        assert_eq!(pred.shape(), (48, 48));
        assert!(pred
            .data
            .iter()
            .all(|v| v.is_nan() || (*v >= -1.0 && *v < n_hot as f64 && v.fract() == 0.0)));
        assert!(report.contains("held-out"), "scores table in the report");
    }
    #[cfg(not(feature = "lstm"))]
    {
        assert_eq!(c["trained"], false, "{c}");
        assert!(
            c["note"].as_str().unwrap().contains("--features lstm"),
            "{c}"
        );
        assert!(report.contains("--features lstm"));
    }

    // Unchanged: every stage skipped. Classifier disabled: the cluster
    // stage is kept, the classifier (a note, no stale model) and the report
    // re-run.
    let again = run_study(study, &RunOptions::default()).unwrap();
    assert!(again.stages.iter().all(|s| !s.ran), "{:?}", again.stages);
    std::fs::write(
        study,
        tiny.replace("[classifier]\n", "[classifier]\nenabled = false\n"),
    )
    .unwrap();
    let changed = run_study(study, &RunOptions::default()).unwrap();
    let ran: Vec<&str> = changed
        .stages
        .iter()
        .filter(|s| s.ran)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(ran, ["classifier", "report"]);
    let c = json(&out.join("classifier/classifier.json"));
    assert_eq!(c["trained"], false);
    assert!(!out.join("classifier/classifier.safetensors").exists());

    // Bad values and unknown keys name the file, the key and the line.
    for (bad, key) in [
        ("dropout = 0.1", "dropout = 1.5"),
        ("units = [8, 4]", "units = [8, 0]"),
        ("test_fraction = 0.25", "test_fraction = 0.0"),
        ("epochs = 12", "epochs = 0"),
        ("seed = 3", "seed = 3\nlayers = 2"),
    ] {
        std::fs::write(study, tiny.replace(bad, key)).unwrap();
        let e = run_study(study, &RunOptions::default())
            .unwrap_err()
            .to_string();
        eprintln!("{e}");
        assert!(e.contains("hotspots.toml"), "{e}");
        assert!(e.contains("line "), "{e}");
        let name = key
            .split(" = ")
            .next()
            .unwrap()
            .rsplit('\n')
            .next()
            .unwrap();
        assert!(e.contains(name), "{e}");
    }
}
