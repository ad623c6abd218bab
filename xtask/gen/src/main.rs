//! Deterministic generators for `testdata/` and the demo scene. Started by
//! `cargo xtask fixtures` / `cargo xtask demo` once the native libraries are
//! installed; not a published crate.

mod compare;
mod fixtures;
mod rng;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fixtures") => match args.get(1) {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                if args.iter().any(|a| a == "--check") {
                    fixtures::check(&dir)
                } else {
                    fixtures::generate(&dir).map(|files| {
                        eprintln!(
                            "xtask-gen: wrote {} fixture files under {}",
                            files.len(),
                            dir.display()
                        );
                    })
                }
            }
            None => Err("usage: xtask-gen fixtures DIR [--check]".to_string()),
        },
        Some("demo") => {
            let dir = args
                .get(1)
                .map_or_else(|| PathBuf::from("demo"), PathBuf::from);
            demo(&dir, args.iter().any(|a| a == "--small"))
        }
        _ => Err(
            "usage: xtask-gen fixtures DIR [--check] | xtask-gen demo DIR [--small]".to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask-gen: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Generates the demo scene (`--small`: the 48 × 48 scene of the CI tests)
/// and writes the study files beside it.
fn demo(dir: &std::path::Path, small: bool) -> Result<(), String> {
    use permafrost_insar::demo::{generate, write_study_files, SceneParams};
    let t0 = std::time::Instant::now();
    let params = if small {
        SceneParams::small()
    } else {
        SceneParams::demo()
    };
    let scene = generate(dir, &params).map_err(|e| e.to_string())?;
    let studies = write_study_files(dir).map_err(|e| e.to_string())?;
    eprintln!(
        "xtask-gen: demo scene {}×{} pixels, {} dates, {} interferograms, {} files in {:.1} s; studies: {}",
        params.rows,
        params.cols,
        scene.dates.len(),
        scene.n_interferograms,
        scene.files.len(),
        t0.elapsed().as_secs_f64(),
        studies
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}
