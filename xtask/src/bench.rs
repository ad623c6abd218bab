//! `cargo xtask bench [GROUP…] [--quick] [--reps N] [--threads N]`: our
//! command line against the tools scientists use today, on the same inputs,
//! in the same run.
//!
//! A group is a Python script `xtask/bench/<group>.py` with four verbs:
//!
//! * `generate DIR [--quick]` writes the inputs deterministically (tiny ones
//!   with `--quick`);
//! * `cases DIR` prints a JSON list of cases
//!   `{"case", "what", "input", "ours": [args…]}`, where `ours` are the
//!   arguments of our `permafrost-insar` binary with `{dir}` for DIR;
//! * `peer DIR CASE` runs the peer tool on the same inputs;
//! * `compare DIR CASE` exits non-zero when the two answers disagree beyond
//!   the case's tolerance, and prints a one-line verdict (e.g. the largest
//!   difference) that goes into the table.
//!
//! The stdout of each side is kept in `DIR/CASE.ours.out` and
//! `DIR/CASE.peer.out` (put `--json` in `ours` to compare our summary).
//!
//! Per case: one untimed pass of each side, the comparison (a disagreement
//! fails the run before any timing counts), then ours and the peer
//! alternate for `--reps` runs under `/usr/bin/time` (wall time and peak
//! resident memory). Both sides get the same thread count through
//! `--threads` and the RAYON/OMP/OpenBLAS/MKL variables. The group's table
//! replaces its section of `docs/benchmarks.md`; other groups' sections
//! stay. `--quick` (the CI smoke run) uses the debug binary, one repetition,
//! and writes its table under `.bench/quick/` instead of the docs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo, output, workspace_root};

/// Report order of the groups the issues ask for; other scripts follow
/// alphabetically.
const ORDER: &[&str] = &["sbas", "upscale", "cluster", "stats", "forcing"];

/// Options of one bench run.
pub(crate) struct Options {
    pub quick: bool,
    pub reps: usize,
    pub threads: usize,
}

/// One case of a group, as its script describes it.
struct Case {
    case: String,
    what: String,
    input: String,
    ours: Vec<String>,
}

/// The groups present under `xtask/bench/`, in report order.
fn groups(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("xtask/bench");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".py")
                .filter(|stem| !stem.starts_with('_'))
                .map(str::to_string)
        })
        .collect();
    let rank = |n: &str| ORDER.iter().position(|o| *o == n).unwrap_or(ORDER.len());
    names.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    Ok(names)
}

/// The virtual environment with the pinned peers: `$PERMAFROST_BENCH_VENV`
/// or `.bench/venv`, rebuilt when `requirements.txt` changes.
fn venv(root: &Path) -> Result<PathBuf, String> {
    let dir = std::env::var_os("PERMAFROST_BENCH_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".bench/venv"));
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
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
        "pip install -r xtask/bench/requirements.txt",
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// The same thread count for both sides.
fn thread_env(cmd: &mut Command, threads: usize) {
    let n = threads.to_string();
    for var in [
        "RAYON_NUM_THREADS",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "NUMBA_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    ] {
        cmd.env(var, &n);
    }
}

/// Wall seconds and peak resident kB of one run.
/// The command's stdout goes to `stdout` (our `--json` summary, for `compare`).
fn timed(cmd: &[String], dir: &Path, threads: usize, stdout: &Path) -> Result<(f64, u64), String> {
    let report = dir.join("time.txt");
    let out = std::fs::File::create(stdout).map_err(|e| format!("{}: {e}", stdout.display()))?;
    let mut command = Command::new("/usr/bin/time");
    command
        .args(["-f", "%e %M", "-o"])
        .arg(&report)
        .args(cmd)
        .stdout(out);
    thread_env(&mut command, threads);
    let status = command
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

/// Median, min and max.
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

/// Runs `python script verb DIR [extra…]`, returning stdout.
fn script(
    python: &Path,
    script: &Path,
    verb: &str,
    dir: &Path,
    extra: &[&str],
    threads: usize,
) -> Result<String, String> {
    let mut cmd = Command::new(python);
    cmd.arg(script).arg(verb).arg(dir).args(extra);
    cmd.stderr(std::process::Stdio::inherit());
    thread_env(&mut cmd, threads);
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        let stdout = String::from_utf8_lossy(&out.stdout);
        return Err(format!(
            "`{} {verb} {} {}` failed ({}){}",
            script.display(),
            dir.display(),
            extra.join(" "),
            out.status,
            if stdout.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", stdout.trim())
            }
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Parses the `cases` JSON of a group.
fn parse_cases(group: &str, text: &str) -> Result<Vec<Case>, String> {
    let value: serde_json::Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("group {group}: `cases` printed no JSON list: {e}"))?;
    let list = value
        .as_array()
        .ok_or(format!("group {group}: `cases` must print a JSON list"))?;
    let mut cases = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let field = |k: &str| -> Result<String, String> {
            c[k].as_str()
                .map(str::to_string)
                .ok_or(format!("group {group}: case {i} has no string `{k}`"))
        };
        let ours = c["ours"]
            .as_array()
            .ok_or(format!("group {group}: case {i} has no `ours` list"))?
            .iter()
            .map(|a| {
                a.as_str().map(str::to_string).ok_or(format!(
                    "group {group}: case {i}: `ours` holds a non-string"
                ))
            })
            .collect::<Result<Vec<_>, _>>()?;
        cases.push(Case {
            case: field("case")?,
            what: field("what")?,
            input: field("input").unwrap_or_default(),
            ours,
        });
    }
    if cases.is_empty() {
        return Err(format!("group {group}: no cases"));
    }
    Ok(cases)
}

/// The installed versions of the pinned peer packages, `name==version, …`.
fn peer_versions(root: &Path, python: &Path) -> String {
    let pins = output(
        &python.display().to_string(),
        &["-m", "pip", "freeze", "--disable-pip-version-check"],
    )
    .unwrap_or_default();
    let pinned =
        std::fs::read_to_string(root.join("xtask/bench/requirements.txt")).unwrap_or_default();
    let wanted: Vec<String> = pinned
        .lines()
        .filter_map(|l| l.split("==").next())
        .map(|n| n.trim().to_lowercase().replace('_', "-"))
        .filter(|n| !n.is_empty() && !n.starts_with('#'))
        .collect();
    let versions: Vec<&str> = pins
        .lines()
        .filter(|l| {
            l.split("==")
                .next()
                .is_some_and(|n| wanted.contains(&n.trim().to_lowercase().replace('_', "-")))
        })
        .collect();
    versions.join(", ")
}

/// Runs one group and returns its Markdown section.
fn run_group(
    name: &str,
    root: &Path,
    python: &Path,
    ours_bin: &Path,
    versions: &str,
    opts: &Options,
) -> Result<String, String> {
    let dir = if opts.quick {
        root.join(".bench/quick").join(name)
    } else {
        root.join(".bench").join(name)
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let script_path = root.join("xtask/bench").join(format!("{name}.py"));
    eprintln!("xtask bench: {name}: generating inputs");
    let generate_extra: &[&str] = if opts.quick { &["--quick"] } else { &[] };
    script(
        python,
        &script_path,
        "generate",
        &dir,
        generate_extra,
        opts.threads,
    )?;
    let cases = parse_cases(
        name,
        &script(python, &script_path, "cases", &dir, &[], opts.threads)?,
    )?;
    let dir_s = dir.display().to_string();
    let threads_s = opts.threads.to_string();
    let mut rows = Vec::new();
    for case in &cases {
        let ours: Vec<String> = std::iter::once(ours_bin.display().to_string())
            .chain(case.ours.iter().map(|a| a.replace("{dir}", &dir_s)))
            .chain(["--threads".to_string(), threads_s.clone()])
            .collect();
        let peer: Vec<String> = vec![
            python.display().to_string(),
            script_path.display().to_string(),
            "peer".into(),
            dir_s.clone(),
            case.case.clone(),
        ];
        let ours_out = dir.join(format!("{}.ours.out", case.case));
        let peer_out = dir.join(format!("{}.peer.out", case.case));
        // One untimed pass each (file caches warm for both), then the check.
        timed(&ours, &dir, opts.threads, &ours_out)
            .map_err(|e| format!("{name}/{}: ours: {e}", case.case))?;
        timed(&peer, &dir, opts.threads, &peer_out)
            .map_err(|e| format!("{name}/{}: peer: {e}", case.case))?;
        let verdict = script(
            python,
            &script_path,
            "compare",
            &dir,
            &[case.case.as_str()],
            opts.threads,
        )
        .map_err(|e| {
            format!(
                "group {name}, case {}: the two sides disagree: {e}",
                case.case
            )
        })?;
        eprintln!(
            "xtask bench: {name}/{}: same answer ({})",
            case.case,
            verdict.trim()
        );
        let (mut ot, mut pt, mut om, mut pm) = (Vec::new(), Vec::new(), 0u64, 0u64);
        for _ in 0..opts.reps {
            let (t, m) = timed(&ours, &dir, opts.threads, &ours_out)?;
            ot.push(t);
            om = om.max(m);
            let (t, m) = timed(&peer, &dir, opts.threads, &peer_out)?;
            pt.push(t);
            pm = pm.max(m);
        }
        let (o, omin, omax) = summary(&mut ot);
        let (p, pmin, pmax) = summary(&mut pt);
        let ratio = if o > 0.0 {
            format!("{:.1}×", p / o)
        } else {
            "n/a (below timer resolution)".into()
        };
        eprintln!(
            "xtask bench: {name}/{}: ours {o:.3} s, peer {p:.3} s",
            case.case
        );
        rows.push(format!(
            "| {} | {} | {} | {o:.2} ({omin:.2}–{omax:.2}) | {:.0} | {p:.2} ({pmin:.2}–{pmax:.2}) | {:.0} | {ratio} | {} |",
            case.case,
            case.what,
            case.input,
            om as f64 / 1024.0,
            pm as f64 / 1024.0,
            verdict.trim().replace('|', "\\|").replace('\n', " "),
        ));
    }
    let machine =
        output("sh", &["-c", "lscpu | grep 'Model name' | sed 's/.*: *//'"]).unwrap_or_default();
    let rustc = output("rustc", &["--version"]).unwrap_or_default();
    let date = output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    let mut md = format!("## {name}\n\n");
    md.push_str(&format!(
        "Run {} on {} ({} cores visible), {}; both sides limited to {} thread(s); {} repetition(s) alternating ours/peer after one untimed pass each.\n\n",
        date.trim(),
        machine.trim(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        rustc.trim(),
        opts.threads,
        opts.reps,
    ));
    md.push_str(&format!("Peers: {versions}.\n\n"));
    md.push_str("| case | what | input | ours: median (min–max) s | ours: peak MiB | peer: median (min–max) s | peer: peak MiB | speed-up | agreement |\n|---|---|---|---|---|---|---|---|---|\n");
    for r in rows {
        md.push_str(&r);
        md.push('\n');
    }
    Ok(md)
}

/// Replaces (or appends) the section of `name` in the report, between
/// `<!-- group:NAME -->` markers.
fn splice(report: &str, name: &str, section: &str) -> String {
    let open = format!("<!-- group:{name} -->");
    let close = format!("<!-- /group:{name} -->");
    let block = format!("{open}\n{section}{close}\n");
    match (report.find(&open), report.find(&close)) {
        (Some(a), Some(b)) if b > a => {
            let end = b + close.len();
            let end = if report[end..].starts_with('\n') {
                end + 1
            } else {
                end
            };
            format!("{}{block}{}", &report[..a], &report[end..])
        }
        _ => {
            let mut s = report.to_string();
            if !s.ends_with("\n\n") {
                s.push('\n');
            }
            s.push_str(&block);
            s
        }
    }
}

const HEADER: &str = "# Benchmarks\n\nGenerated by `cargo xtask bench`; do not edit by hand. Each group compares the whole `permafrost-insar` process with the peer tool's whole Python process on the same generated inputs (wall time and peak resident memory by `/usr/bin/time`); a group's table is only written after both sides produced the same answer within the stated tolerance. Peer package versions are pinned in `xtask/bench/requirements.txt`.\n\n";

pub(crate) fn run(names: &[&str], opts: &Options) -> Result<(), String> {
    crate::deps::run(false)?;
    if !Path::new("/usr/bin/time").exists() {
        return Err("/usr/bin/time is missing (Debian package `time`)".into());
    }
    let root = workspace_root();
    let known = groups(&root)?;
    if let Some(unknown) = names.iter().find(|n| !known.iter().any(|g| g == *n)) {
        return Err(format!(
            "unknown bench group `{unknown}` (groups: {})",
            if known.is_empty() {
                "none yet".into()
            } else {
                known.join(", ")
            }
        ));
    }
    let selected: Vec<&String> = known
        .iter()
        .filter(|g| names.is_empty() || names.contains(&g.as_str()))
        .collect();
    if selected.is_empty() {
        println!("xtask bench: no benchmark groups under xtask/bench/");
        return Ok(());
    }
    let profile = if opts.quick { "debug" } else { "release" };
    let mut build = vec![
        "build",
        "--quiet",
        "-p",
        "permafrost-insar",
        "--bin",
        "permafrost-insar",
    ];
    if !opts.quick {
        build.push("--release");
    }
    cargo(&build, &[])?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let ours_bin = target.join(profile).join("permafrost-insar");
    let python = venv(&root)?;
    let report_path = if opts.quick {
        root.join(".bench/quick/benchmarks.md")
    } else {
        root.join("docs/benchmarks.md")
    };
    let mut report = std::fs::read_to_string(&report_path)
        .ok()
        .filter(|s| s.starts_with("# Benchmarks"))
        .unwrap_or_default();
    if let Some(i) = report.find("<!-- group:") {
        report = format!("{HEADER}{}", &report[i..]);
    } else {
        report = HEADER.to_string();
    }
    let versions = peer_versions(&root, &python);
    for name in selected {
        let section = run_group(name, &root, &python, &ours_bin, &versions, opts)?;
        report = splice(&report, name, &section);
        // Written after every group, so a later failure keeps earlier tables.
        if let Some(parent) = report_path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        let tmp = report_path.with_extension("md.tmp");
        std::fs::write(&tmp, &report).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &report_path)
            .map_err(|e| format!("{}: {e}", report_path.display()))?;
    }
    println!("xtask bench: wrote {}", report_path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn splice_replaces_only_its_group() {
        let a = splice("# B\n\n", "sbas", "S1\n");
        let b = splice(&a, "upscale", "U1\n");
        let c = splice(&b, "sbas", "S2\n");
        assert!(c.contains("S2") && !c.contains("S1") && c.contains("U1"));
        assert!(c.find("S2") < c.find("U1"));
    }
}
