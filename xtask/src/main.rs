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
  bench [GROUP…] [--quick] [--reps N] [--threads N]
                        time our command line against the peer tools (MintPy,
                        scipy, scikit-learn, tslearn, xarray) on the same
                        inputs, after checking both give the same answer;
                        writes docs/benchmarks.md (groups: the scripts in
                        xtask/bench/). --quick: tiny inputs, debug build, one
                        repetition, no docs (the CI smoke run)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    let result = match args.first().map(String::as_str) {
        Some("deps") => deps::run(rest.contains(&"--check")),
        Some("ci") => ci::run(),
        Some("fixtures") => fixtures(rest.contains(&"--check")),
        Some("demo") => demo(),
        Some("bench") => bench_args(&rest).and_then(|(names, opts)| bench::run(&names, &opts)),
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

/// Parses `bench [GROUP…] [--quick] [--reps N] [--threads N]`.
fn bench_args<'a>(rest: &[&'a str]) -> Result<(Vec<&'a str>, bench::Options), String> {
    let mut names = Vec::new();
    let mut opts = bench::Options {
        quick: false,
        reps: 5,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut it = rest.iter();
    while let Some(&arg) = it.next() {
        let mut number = |flag: &str| -> Result<usize, String> {
            let v = it.next().ok_or(format!("{flag} needs a number"))?;
            match v.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(format!("{flag} {v}: not a positive number")),
            }
        };
        match arg {
            "--quick" => opts.quick = true,
            "--reps" => opts.reps = number("--reps")?,
            "--threads" => opts.threads = number("--threads")?,
            flag if flag.starts_with("--") => {
                return Err(format!("bench: unknown option `{flag}`"))
            }
            name => names.push(name),
        }
    }
    if opts.quick {
        opts.reps = 1;
    }
    Ok((names, opts))
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
