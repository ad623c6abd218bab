//! `cargo xtask ci`: every check CI runs, in order, with timings.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::util::{cargo, cargo_bin, workspace_root};

/// Features that select one of several mutually exclusive LAPACK backends;
/// `--all-features` would switch them all on at once, which cannot link.
/// CI builds every other feature (and the default backend).
const EXCLUSIVE_FEATURES: &[&str] = &["netlib-system", "intel-mkl-static"];

/// Algorithm crates and the native libraries they must not pull in.
const ALGORITHM_CRATES: &[&str] = &[
    "thermo-johansen",
    "era5-forcing",
    "permafrost-pecm",
    "insar-sbas",
    "upscale-dist",
    "cluster-ts",
    "geo-stats",
];
const FORBIDDEN_IN_ALGORITHM_CRATES: &[&str] = &[
    "gdal",
    "gdal-sys",
    "proj",
    "proj-sys",
    "netcdf",
    "netcdf-sys",
    "hdf5-metno",
    "hdf5-metno-sys",
];

pub(crate) fn run() -> Result<(), String> {
    let started = Instant::now();
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut step = |name: &str, f: &mut dyn FnMut() -> Result<(), String>| -> Result<(), String> {
        eprintln!("\n==> xtask ci: {name}");
        let t = Instant::now();
        let r = f();
        timings.push((name.to_string(), t.elapsed().as_secs_f64()));
        r.map_err(|e| format!("{name}: {e}"))
    };
    step("deps", &mut || crate::deps::run(false))?;
    let features = all_features()?;
    let features = features.join(",");
    step("fmt", &mut || {
        cargo(&["fmt", "--all", "--", "--check"], &[])
    })?;
    step("clippy", &mut || {
        cargo(
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--features",
                &features,
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )
    })?;
    step("test", &mut || {
        cargo(&["test", "--workspace", "--features", &features], &[])
    })?;
    step("doc", &mut || {
        cargo(
            &["doc", "--workspace", "--no-deps", "--features", &features],
            &[("RUSTDOCFLAGS", "-D warnings")],
        )
    })?;
    step("crate-dependency rules", &mut dependency_rules)?;
    step("fixtures --check", &mut || crate::fixtures(true))?;
    step("CLI smoke run", &mut smoke)?;
    step("bench --quick (peer harness smoke run)", &mut || {
        let opts = crate::bench::Options {
            quick: true,
            reps: 1,
            threads: 2,
        };
        crate::bench::run(&[], &opts)
    })?;
    eprintln!(
        "\nxtask ci: all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    for (name, secs) in &timings {
        eprintln!("  {name:<24} {secs:>7.1} s");
    }
    Ok(())
}

/// `pkg/feature` for every feature of every workspace member, less the
/// mutually exclusive backends.
fn all_features() -> Result<Vec<String>, String> {
    let out = Command::new(cargo_bin())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata output: {e}"))?;
    let mut features = Vec::new();
    for pkg in meta["packages"].as_array().into_iter().flatten() {
        let name = pkg["name"].as_str().unwrap_or_default();
        for (feature, _) in pkg["features"].as_object().into_iter().flatten() {
            if feature != "default" && !EXCLUSIVE_FEATURES.contains(&feature.as_str()) {
                features.push(format!("{name}/{feature}"));
            }
        }
    }
    features.sort();
    Ok(features)
}

/// The algorithm crates link neither GDAL, PROJ, netCDF nor HDF5 (netCDF
/// only behind era5-forcing's `netcdf` feature).
fn dependency_rules() -> Result<(), String> {
    for krate in ALGORITHM_CRATES {
        let out = Command::new(cargo_bin())
            .args([
                "tree", "-p", krate, "-e", "normal", "--prefix", "none", "--format", "{p}",
            ])
            .current_dir(workspace_root())
            .output()
            .map_err(|e| format!("cargo tree: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "cargo tree -p {krate} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let bad: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| FORBIDDEN_IN_ALGORITHM_CRATES.contains(name))
            .collect();
        if !bad.is_empty() {
            return Err(format!(
                "{krate} depends on {} (algorithm crates must not link native I/O libraries)",
                bad.join(", ")
            ));
        }
        eprintln!("  {krate}: no GDAL, PROJ, netCDF or HDF5");
    }
    Ok(())
}

/// Runs `permafrost-insar info --json` on every fixture and real sample file,
/// checks the JSON, and checks that bad input fails with one line.
fn smoke() -> Result<(), String> {
    cargo(
        &[
            "build",
            "--quiet",
            "-p",
            "permafrost-insar",
            "--bin",
            "permafrost-insar",
        ],
        &[],
    )?;
    let root = workspace_root();
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let bin = target.join("debug").join("permafrost-insar");
    let mut files = Vec::new();
    collect_files(&root.join("testdata"), &mut files);
    let real = root.join("../shared/data/real");
    if real.is_dir() {
        collect_files(&real, &mut files);
    } else if crate::util::in_ci() {
        return Err(format!(
            "{} is missing (CI must have the shared sample data)",
            real.display()
        ));
    } else {
        eprintln!(
            "  note: {} not found; smoke run covers testdata/ only",
            real.display()
        );
    }
    files.retain(|f| f.extension().is_none_or(|e| e != "md" && e != "json"));
    let mut n = 0;
    for f in &files {
        let out = Command::new(&bin)
            .args(["info", "--json"])
            .arg(f)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        if !out.status.success() {
            return Err(format!(
                "info {} failed: {}",
                f.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("info --json {}: not one JSON object: {e}", f.display()))?;
        let vars = v["variables"].as_array().map_or(0, Vec::len);
        if v["format"].as_str().is_none() || vars == 0 {
            return Err(format!(
                "info --json {}: no format or no variables",
                f.display()
            ));
        }
        n += 1;
    }
    // Bad input: non-zero exit, one line on stderr naming the file.
    let bogus = std::env::temp_dir().join(format!("xtask-smoke-{}.nc", std::process::id()));
    std::fs::write(&bogus, b"CDF\x01 truncated").map_err(|e| e.to_string())?;
    let out = Command::new(&bin)
        .args(["info", "--json"])
        .arg(&bogus)
        .output()
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&bogus);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success()
        || stderr.trim().lines().count() != 1
        || !stderr.contains(&*bogus.to_string_lossy())
    {
        return Err(format!(
            "a truncated file must fail with one line naming it; got status {} and {stderr:?}",
            out.status
        ));
    }
    eprintln!("  info --json described {n} files; a truncated file failed cleanly");
    Ok(())
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_files(&p, out);
        } else {
            out.push(p);
        }
    }
}
