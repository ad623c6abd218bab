//! The three acceptance checks of issue #10 on the smaller demo scene
//! (`SceneParams::small()`, the same generator as `cargo xtask demo`):
//! recovered linear rate within 1 mm/yr and seasonal amplitude within 5 mm
//! RMS of the planted truth, the geodetector ranks the planted controlling
//! factor first for each component, the hotspot study finds the three
//! hotspots; and re-runs skip unchanged stages.

use std::path::Path;

use permafrost_insar::demo::{self, SceneParams};
use permafrost_insar::io::geotiff;
use permafrost_insar::pipeline::{run_study, RunOptions};

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn small_demo_scene_recovers_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let scene = demo::generate(dir.path(), &SceneParams::small()).unwrap();
    assert!(scene.n_interferograms > 200, "{}", scene.n_interferograms);
    let files = demo::write_study_files(dir.path()).unwrap();

    // Permafrost study.
    let summary = run_study(&files[0], &RunOptions::default()).unwrap();
    assert!(summary.stages.iter().all(|s| s.ran));
    let out = dir.path().join("out/permafrost");
    let errors = json(&out.join("report/truth_errors.json"));
    let rate_rms = errors["linear_rate"]["rms"].as_f64().unwrap();
    let amp_rms = errors["seasonal_amplitude"]["rms"].as_f64().unwrap();
    eprintln!("linear rate RMS error {rate_rms:.3} mm/yr, seasonal amplitude RMS error {amp_rms:.3} mm; {errors}");
    assert_eq!(errors["linear_rate"]["n_not_fitted"], 0);
    assert!(rate_rms < 1.0, "linear rate RMS error {rate_rms} mm/yr");
    assert!(amp_rms < 5.0, "seasonal amplitude RMS error {amp_rms} mm");

    let gd = json(&out.join("statistics/geodetector.json"));
    eprintln!("{gd}");
    assert_eq!(gd["linear_rate"]["first"], demo::RATE_FACTOR);
    assert_eq!(gd["seasonal_amplitude"]["first"], demo::AMPLITUDE_FACTOR);

    // The recovered rate raster is in mm/yr on the scene grid.
    let rate = geotiff::read_raster(&out.join("pecm/linear_rate.tif")).unwrap();
    assert_eq!(rate.shape(), (48, 48));

    // Re-running skips every stage; --from pecm re-runs pecm and later.
    let again = run_study(&files[0], &RunOptions::default()).unwrap();
    assert!(again.stages.iter().all(|s| !s.ran), "{:?}", again.stages);
    let from = run_study(
        &files[0],
        &RunOptions {
            from: Some("pecm".into()),
            progress: false,
        },
    )
    .unwrap();
    let ran: Vec<&str> = from.stages.iter().filter(|s| s.ran).map(|s| s.name.as_str()).collect();
    assert_eq!(ran, ["pecm", "statistics", "report"]);

    // Hotspot study.
    run_study(&files[1], &RunOptions::default()).unwrap();
    let hot = json(&dir.path().join("out/hotspots/report/truth_errors.json"));
    eprintln!("{hot}");
    assert_eq!(hot["found_hotspots"], 3);
    for m in hot["matches"].as_array().unwrap() {
        assert!(m["recall"].as_f64().unwrap() > 0.5, "{m}");
    }
}
