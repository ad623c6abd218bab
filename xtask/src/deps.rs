//! `cargo xtask deps`: the native libraries, checked with pkg-config and
//! installed with the system package manager when missing.

use std::process::Command;

use crate::util::{have, in_ci, output};

/// One native requirement: how to check it and which Debian package brings it.
struct Requirement {
    what: &'static str,
    check: Check,
    debian: &'static str,
    fedora: &'static str,
    brew: &'static str,
}

enum Check {
    /// A pkg-config module.
    PkgConfig(&'static str),
    /// A program on the PATH.
    Program(&'static str),
    /// libclang, found by `clang -print-file-name` or in the usual LLVM folders.
    Libclang,
    /// Python 3 able to create virtual environments (for `cargo xtask bench`).
    PythonVenv,
}

const REQUIREMENTS: &[Requirement] = &[
    Requirement {
        what: "pkg-config",
        check: Check::Program("pkg-config"),
        debian: "pkg-config",
        fedora: "pkgconf-pkg-config",
        brew: "pkg-config",
    },
    Requirement {
        what: "GDAL",
        check: Check::PkgConfig("gdal"),
        debian: "libgdal-dev",
        fedora: "gdal-devel",
        brew: "gdal",
    },
    Requirement {
        what: "netCDF",
        check: Check::PkgConfig("netcdf"),
        debian: "libnetcdf-dev",
        fedora: "netcdf-devel",
        brew: "netcdf",
    },
    Requirement {
        what: "HDF5",
        check: Check::PkgConfig("hdf5"),
        debian: "libhdf5-dev",
        fedora: "hdf5-devel",
        brew: "hdf5",
    },
    Requirement {
        what: "PROJ",
        check: Check::PkgConfig("proj"),
        debian: "libproj-dev",
        fedora: "proj-devel",
        brew: "proj",
    },
    Requirement {
        what: "LAPACK (OpenBLAS)",
        check: Check::PkgConfig("openblas"),
        debian: "libopenblas-dev",
        fedora: "openblas-devel",
        brew: "openblas",
    },
    Requirement {
        what: "clang",
        check: Check::Program("clang"),
        debian: "clang",
        fedora: "clang",
        brew: "llvm",
    },
    Requirement {
        what: "libclang",
        check: Check::Libclang,
        debian: "libclang-dev",
        fedora: "clang-devel",
        brew: "llvm",
    },
    // The peer benchmarks (`cargo xtask bench`, smoke-run by CI).
    Requirement {
        what: "GNU time",
        check: Check::Program("time"),
        debian: "time",
        fedora: "time",
        brew: "gnu-time",
    },
    Requirement {
        what: "Python 3 venv",
        check: Check::PythonVenv,
        debian: "python3-venv",
        fedora: "python3",
        brew: "python",
    },
];

fn present(req: &Requirement) -> bool {
    match req.check {
        Check::Program(p) => have(p),
        Check::PkgConfig(m) => {
            have("pkg-config") && output("pkg-config", &["--exists", m]).is_some()
        }
        Check::Libclang => libclang_present(),
        Check::PythonVenv => output("python3", &["-c", "import venv, ensurepip"]).is_some(),
    }
}

fn libclang_present() -> bool {
    if let Ok(dir) = std::env::var("LIBCLANG_PATH") {
        if std::path::Path::new(&dir).is_dir() {
            return true;
        }
    }
    let dirs = [
        "/usr/lib",
        "/usr/lib64",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/local/lib",
    ];
    let has_in = |dir: &std::path::Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                e.file_name().to_string_lossy().starts_with("libclang")
                    && e.file_name().to_string_lossy().contains(".so")
            })
        })
    };
    if dirs.iter().any(|d| has_in(std::path::Path::new(d))) {
        return true;
    }
    // Debian puts it under /usr/lib/llvm-N/lib.
    std::fs::read_dir("/usr/lib").is_ok_and(|entries| {
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("llvm-"))
            .any(|e| has_in(&e.path().join("lib")))
    })
}

fn version_of(req: &Requirement) -> String {
    match req.check {
        Check::PkgConfig(m) => output("pkg-config", &["--modversion", m])
            .map(|v| v.trim().to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Checks every requirement; installs the missing ones unless `check_only`.
pub(crate) fn run(check_only: bool) -> Result<(), String> {
    let missing: Vec<&Requirement> = REQUIREMENTS.iter().filter(|r| !present(r)).collect();
    if missing.is_empty() {
        let found: Vec<String> = REQUIREMENTS
            .iter()
            .map(|r| {
                let v = version_of(r);
                if v.is_empty() {
                    r.what.to_string()
                } else {
                    format!("{} {v}", r.what)
                }
            })
            .collect();
        eprintln!(
            "xtask deps: all native libraries present ({})",
            found.join(", ")
        );
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|r| r.what).collect();
    eprintln!("xtask deps: missing: {}", names.join(", "));
    if check_only {
        return Err(format!(
            "missing native libraries: {}; run `cargo xtask deps` to install them",
            names.join(", ")
        ));
    }
    if !have("apt-get") {
        return Err(manual_instructions(&missing));
    }
    let mut packages: Vec<&str> = missing.iter().map(|r| r.debian).collect();
    packages.dedup();
    install_with_apt(&packages)?;
    let still: Vec<&str> = REQUIREMENTS
        .iter()
        .filter(|r| !present(r))
        .map(|r| r.what)
        .collect();
    if !still.is_empty() {
        return Err(format!(
            "still missing after installing: {}",
            still.join(", ")
        ));
    }
    eprintln!("xtask deps: installed {}", packages.join(" "));
    Ok(())
}

fn install_with_apt(packages: &[&str]) -> Result<(), String> {
    let is_root = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let ci = in_ci();
    let prefix: Vec<&str> = if is_root {
        vec![]
    } else if have("sudo") {
        if ci {
            vec!["sudo", "-n"]
        } else {
            vec!["sudo"]
        }
    } else {
        return Err(format!(
            "not root and no sudo: install them yourself with\n  apt-get install {}",
            packages.join(" ")
        ));
    };
    // Non-interactive under CI or without a terminal; otherwise apt asks.
    let assume_yes = ci || !std::io::IsTerminal::is_terminal(&std::io::stdin());
    let apt = |args: &[&str]| -> Result<(), String> {
        let mut full: Vec<&str> = prefix.clone();
        full.extend(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        full.extend(args);
        eprintln!("xtask deps: running: {}", full.join(" "));
        let mut cmd = Command::new(full[0]);
        cmd.args(&full[1..]);
        crate::util::run(&mut cmd, &full.join(" "))
    };
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "--no-install-recommends", "-q"];
    if assume_yes {
        install.push("-y");
    }
    install.extend(packages);
    apt(&install)
}

fn manual_instructions(missing: &[&Requirement]) -> String {
    let join = |f: fn(&Requirement) -> &'static str| {
        let mut v: Vec<&str> = missing.iter().map(|r| f(r)).collect();
        v.dedup();
        v.join(" ")
    };
    format!(
        "no apt-get on this system; install the missing libraries with one of:\n  \
         Debian/Ubuntu: sudo apt-get install {}\n  \
         Fedora/RHEL:   sudo dnf install {}\n  \
         macOS:         brew install {}\n\
         then run the command again",
        join(|r| r.debian),
        join(|r| r.fedora),
        join(|r| r.brew)
    )
}
