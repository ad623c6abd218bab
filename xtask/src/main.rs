//! Developer tasks for the permafrost-insar workspace (`cargo xtask …`).
//!
//! xtask itself links no native library: it is what installs them. Work
//! that needs GDAL / netCDF / HDF5 (fixtures, the demo scene) runs in the
//! `xtask-gen` binary, started after `deps`.

mod bench;
mod ci;
mod demo;
mod deps;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  deps [--check]        check the native libraries (GDAL, netCDF, HDF5, PROJ,
                        LAPACK, pkg-config, clang) and install what is missing
                        with apt (sudo when not root); --check only reports
  ci                    everything CI runs: deps, fmt, clippy, tests, docs,
                        crate-dependency rules, fixtures --check, CLI smoke run
  fixtures [--check]    regenerate testdata/ from its fixed seed; --check fails
                        when a committed fixture differs from the generator
  demo                  bootstrap, build, and run the demo pipeline
  bench [GROUP…] [--reps N]
                        time our command line against the peer tools (MintPy,
                        scipy, scikit-learn, tslearn, xarray) on the same
                        inputs; writes docs/benchmarks.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let result = match args.first().map(String::as_str) {
        Some("deps") => deps::run(rest.contains(&"--check")),
        Some("ci") => ci::run(),
        Some("fixtures") => fixtures(rest.contains(&"--check")),
        Some("demo") => demo(),
        Some("bench") => {
            let reps = rest
                .iter()
                .position(|a| *a == "--reps")
                .and_then(|i| rest.get(i + 1))
                .map_or(Ok(5), |n| {
                    n.parse::<usize>()
                        .map_err(|_| format!("--reps {n}: not a number"))
                });
            let names: Vec<&str> = rest
                .iter()
                .enumerate()
                .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || rest[i - 1] != "--reps"))
                .map(|(_, a)| *a)
                .collect();
            reps.and_then(|r| bench::run(&names, r.max(1)))
        }
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask fixtures [--check]`.
pub(crate) fn fixtures(check: bool) -> Result<(), String> {
    deps::run(false)?;
    let root = util::workspace_root();
    let dir = root.join("testdata");
    let mut args = vec!["run", "--quiet", "-p", "xtask-gen", "--", "fixtures"];
    let dir_s = dir.to_string_lossy().into_owned();
    args.push(&dir_s);
    if check {
        args.push("--check");
    }
    util::cargo(&args, &[])
}

/// `cargo xtask demo`.
fn demo() -> Result<(), String> {
    demo::run()
}
