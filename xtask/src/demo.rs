//! `cargo xtask demo`: bootstrap the native libraries, build the release
//! binaries, generate the demo scene into the git-ignored `demo/` folder
//! (`xtask-gen demo`, fixed seed), write the study files there, run them with
//! `permafrost-insar run`, and print where the outputs and reports are.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{deps, util};

/// The release target folder (respects `CARGO_TARGET_DIR`).
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(
            || root.join("target"),
            |p| if p.is_absolute() { p } else { root.join(p) },
        )
}

pub(crate) fn run() -> Result<(), String> {
    let t0 = Instant::now();
    deps::run(false)?;
    eprintln!("xtask demo: building the release binaries …");
    util::cargo(
        &[
            "build",
            "--release",
            "--quiet",
            "-p",
            "permafrost-insar",
            "-p",
            "xtask-gen",
            // The hotspot study's classifier stage (the LSTM).
            "--features",
            "permafrost-insar/lstm",
        ],
        &[],
    )?;
    let built = t0.elapsed().as_secs_f64();
    let root = util::workspace_root();
    let out = root.join("demo");
    let release = target_dir(&root).join("release");
    let gen = release.join("xtask-gen");
    let bin = release.join("permafrost-insar");
    eprintln!("xtask demo: generating the scene into {} …", out.display());
    util::run(
        Command::new(&gen).arg("demo").arg(&out).current_dir(&root),
        "xtask-gen demo",
    )?;
    let generated = t0.elapsed().as_secs_f64();
    for study in ["permafrost.toml", "hotspots.toml", "upscaling.toml"] {
        let path = out.join(study);
        if !path.exists() {
            continue;
        }
        eprintln!("xtask demo: permafrost-insar run {} …", path.display());
        util::run(
            Command::new(&bin).arg("run").arg(&path).current_dir(&root),
            &format!("permafrost-insar run {study}"),
        )?;
    }
    let total = t0.elapsed().as_secs_f64();
    println!(
        "\ndemo finished in {total:.0} s (build {built:.0} s, scene {:.0} s, studies {:.0} s)",
        generated - built,
        total - generated
    );
    println!("scene and truth: {}", out.display());
    for report in [
        "out/permafrost/report/report.html",
        "out/hotspots/report/report.html",
        "out/upscaling/report/report.html",
    ] {
        let p = out.join(report);
        if p.exists() {
            println!("report: {}", p.display());
        }
    }
    println!("outputs: {}", out.join("out").display());
    Ok(())
}
