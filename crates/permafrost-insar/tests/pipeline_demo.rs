//! The three acceptance checks of issue #10 on the smaller demo scene
//! (`SceneParams::small()`, the same generator as `cargo xtask demo`):
//! recovered linear rate within 1 mm/yr and seasonal amplitude within 5 mm
//! RMS of the planted truth, the geodetector ranks the planted controlling
//! factor first for each component, the hotspot study finds the three
//! hotspots; and re-runs skip unchanged stages.

mod common;
use common::native_io_turn;

use std::path::Path;

use permafrost_insar::demo::{self, SceneParams};
use permafrost_insar::io::geotiff;
use permafrost_insar::pipeline::{run_study, RunOptions};

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn small_demo_scene_recovers_the_truth() {
    let _io = native_io_turn();
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
    // q of every factor equals the independent numpy implementation
    // (xtask/reference/pipeline/make_references.py, numpy 2.4.6) on the
    // same table.
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("data/pipeline_small_reference.json")).unwrap();
    for resp in ["linear_rate", "seasonal_amplitude"] {
        let factors = gd[resp]["factors"].as_array().unwrap();
        assert_eq!(factors.len(), 7);
        assert_eq!(gd[resp]["n"], reference["n"]);
        for f in factors {
            let name = f["factor"].as_str().unwrap();
            let ours = f["q"].as_f64().unwrap();
            let theirs = reference["q"][resp][name].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() < 1e-9,
                "{resp} ~ {name}: {ours} vs numpy {theirs}"
            );
        }
    }

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
    let ran: Vec<&str> = from
        .stages
        .iter()
        .filter(|s| s.ran)
        .map(|s| s.name.as_str())
        .collect();
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

#[test]
fn small_demo_scene_upscaling_study_runs() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    demo::generate(dir.path(), &SceneParams::small()).unwrap();
    let files = demo::write_study_files(dir.path()).unwrap();
    run_study(
        &files[0],
        &RunOptions {
            from: None,
            progress: false,
        },
    )
    .unwrap();
    run_study(&files[1], &RunOptions::default()).unwrap();
    // The small scene is 4.3 km across: 0.5 km cells of > 20 pixels.
    let text = std::fs::read_to_string(&files[2])
        .unwrap()
        .replace("cell_km = 1.0", "cell_km = 0.5")
        .replace("min_count = 30", "min_count = 20");
    std::fs::write(&files[2], text).unwrap();
    let summary = run_study(&files[2], &RunOptions::default()).unwrap();
    let report = summary.report.expect("an HTML report");
    assert!(std::fs::metadata(&report).unwrap().len() > 10_000);
    let corr = json(
        &dir.path()
            .join("out/upscaling/correlation/correlation.json"),
    );
    let names: Vec<&str> = corr["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(names.contains(&"ground_ice"), "{names:?}");
    // Cell means of the rate correlate negatively with ground ice (the planted control).
    let i = names.iter().position(|n| *n == "ground_ice").unwrap();
    let r = corr["fisher_z_average"][0][i].as_f64().unwrap();
    assert!(
        r < -0.5,
        "r(rate, ground ice) = {r}; {}",
        corr["fisher_z_average"]
    );
}

#[test]
fn scene_and_study_do_not_depend_on_the_thread_count() {
    let _io = native_io_turn();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let dir = tempfile::tempdir().unwrap();
            let scene = demo::generate(dir.path(), &SceneParams::small()).unwrap();
            let stack = permafrost_insar::io::mintpy::read_ifgram_stack(
                &dir.path().join("inputs/ifgramStack.h5"),
            )
            .unwrap();
            let files = demo::write_study_files(dir.path()).unwrap();
            run_study(&files[0], &RunOptions::default()).unwrap();
            let rate =
                geotiff::read_raster(&dir.path().join("out/permafrost/pecm/linear_rate.tif"))
                    .unwrap();
            (
                scene.linear_rate,
                scene.seasonal_amplitude,
                stack.unwrap_phase,
                rate.data,
            )
        })
    };
    let (a, b) = (run(1), run(3));
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
    assert_eq!(a.2, b.2);
    // NaN-free rasters compare exactly.
    assert_eq!(a.3, b.3);
}
