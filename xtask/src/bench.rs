//! `cargo xtask bench [GROUP…]`: our command line against the tools
//! scientists use today, on the same inputs, in the same run.
//!
//! For every group a Python script under `xtask/bench/` generates the input
//! deterministically (`generate DIR`), runs the peer (`peer DIR`) and checks
//! that both sides agree (`compare DIR`); our side is a release build of the
//! `permafrost-insar` binary. Runs alternate (ours, peer, ours, peer, …);
//! the table reports median and min–max wall time and peak resident memory
//! (`/usr/bin/time`). A disagreement fails the run before any timing counts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo, have, output, workspace_root};

/// A benchmark group: the peer script and our command line (with `{dir}`
/// standing for the group's work folder).
struct Group {
    name: &'static str,
    what: &'static str,
    script: &'static str,
    ours: &'static [&'static str],
}

/// The groups, in report order. Each crate issue adds its own.
const GROUPS: &[Group] = &[];

fn venv(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(".bench/venv");
    let python = dir.join("bin/python");
    let requirements = root.join("xtask/bench/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let stamp = dir.join("requirements.installed");
    if python.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(python);
    }
    eprintln!(
        "xtask bench: creating {} with the pinned peers",
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
    crate::util::run(
        Command::new("python3").args(["-m", "venv"]).arg(&dir),
        "python3 -m venv",
    )?;
    crate::util::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "-q", "-r"])
            .arg(&requirements),
        "pip install -r xtask/bench/requirements.txt",
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// Wall seconds and peak resident kB of one run.
fn timed(cmd: &[String], dir: &Path) -> Result<(f64, u64), String> {
    let report = dir.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %M", "-o"])
        .arg(&report)
        .args(cmd)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", cmd.join(" ")))?;
    if !status.success() {
        return Err(format!("`{}` failed ({status})", cmd.join(" ")));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let last = text.lines().last().unwrap_or_default();
    let mut parts = last.split_whitespace();
    let secs = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(format!("bad time report `{last}`"))?;
    let kb = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or(format!("bad time report `{last}`"))?;
    Ok((secs, kb))
}

fn summary(xs: &mut [f64]) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let median = if n % 2 == 1 {
        xs[n / 2]
    } else {
        0.5 * (xs[n / 2 - 1] + xs[n / 2])
    };
    (median, xs[0], xs[n - 1])
}

pub(crate) fn run(names: &[&str], reps: usize) -> Result<(), String> {
    crate::deps::run(false)?;
    if !have("time") && !Path::new("/usr/bin/time").exists() {
        return Err("/usr/bin/time is missing (Debian package `time`)".into());
    }
    let root = workspace_root();
    let groups: Vec<&Group> = GROUPS
        .iter()
        .filter(|g| names.is_empty() || names.contains(&g.name))
        .collect();
    if let Some(unknown) = names.iter().find(|n| !GROUPS.iter().any(|g| g.name == **n)) {
        let known: Vec<&str> = GROUPS.iter().map(|g| g.name).collect();
        return Err(format!(
            "unknown bench group `{unknown}` (groups: {})",
            if known.is_empty() {
                "none yet".into()
            } else {
                known.join(", ")
            }
        ));
    }
    if groups.is_empty() {
        println!("xtask bench: no benchmark groups are defined yet; they arrive with their crates");
        return Ok(());
    }
    cargo(
        &["build", "--release", "--quiet", "-p", "permafrost-insar"],
        &[],
    )?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let ours_bin = target.join("release/permafrost-insar");
    let python = venv(&root)?;
    let mut rows = Vec::new();
    for g in groups {
        let dir = root.join(".bench").join(g.name);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let script = root.join("xtask/bench").join(g.script);
        let py = |verb: &str| -> Vec<String> {
            vec![
                python.display().to_string(),
                script.display().to_string(),
                verb.to_string(),
                dir.display().to_string(),
            ]
        };
        crate::util::run(
            Command::new(&python).arg(&script).arg("generate").arg(&dir),
            &format!("{} generate", g.script),
        )?;
        let ours: Vec<String> = std::iter::once(ours_bin.display().to_string())
            .chain(
                g.ours
                    .iter()
                    .map(|a| a.replace("{dir}", &dir.display().to_string())),
            )
            .collect();
        // One untimed pass each, then the equality check, then alternate.
        timed(&ours, &dir)?;
        timed(&py("peer"), &dir)?;
        crate::util::run(
            Command::new(&python).arg(&script).arg("compare").arg(&dir),
            &format!("{} compare", g.script),
        )
        .map_err(|e| format!("group {}: the two sides disagree: {e}", g.name))?;
        let (mut ot, mut pt, mut om, mut pm) = (Vec::new(), Vec::new(), 0u64, 0u64);
        for _ in 0..reps {
            let (t, m) = timed(&ours, &dir)?;
            ot.push(t);
            om = om.max(m);
            let (t, m) = timed(&py("peer"), &dir)?;
            pt.push(t);
            pm = pm.max(m);
        }
        let (o, omin, omax) = summary(&mut ot);
        let (p, pmin, pmax) = summary(&mut pt);
        let size = std::fs::read_to_string(dir.join("size.txt"))
            .unwrap_or_default()
            .trim()
            .to_string();
        rows.push(format!(
            "| {} | {} | {size} | {o:.3} ({omin:.3}–{omax:.3}) | {:.0} | {p:.3} ({pmin:.3}–{pmax:.3}) | {:.0} | {:.1}× |",
            g.name,
            g.what,
            om as f64 / 1024.0,
            pm as f64 / 1024.0,
            p / o
        ));
        eprintln!("xtask bench: {}: ours {o:.3} s, peer {p:.3} s", g.name);
    }
    let machine =
        output("sh", &["-c", "lscpu | grep 'Model name' | sed 's/.*: *//'"]).unwrap_or_default();
    let rustc = output("rustc", &["--version"]).unwrap_or_default();
    let pkgs = output(&python.display().to_string(), &["-m", "pip", "freeze"]).unwrap_or_default();
    let mut md =
        String::from("# Benchmarks\n\nGenerated by `cargo xtask bench`; do not edit by hand.\n\n");
    md.push_str(&format!(
        "Machine: {} ({} cores), {}. Repetitions: {reps}, alternating ours/peer after one untimed pass each; both sides produced the same answer within the group's tolerance before timing.\n\n",
        machine.trim(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rustc.trim()
    ));
    md.push_str("| group | what | input | ours: median (min–max) s | ours: peak MiB | peer: median (min–max) s | peer: peak MiB | speed-up |\n|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        md.push_str(&r);
        md.push('\n');
    }
    md.push_str("\nPeer packages:\n\n```\n");
    md.push_str(&pkgs);
    md.push_str("```\n");
    let path = root.join("docs/benchmarks.md");
    std::fs::write(&path, md).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("xtask bench: wrote {}", path.display());
    Ok(())
}
