//! Acceptance 4 of issue #10: a broken study file (unknown key, missing
//! input, wrong units, bad value) gives an error naming the key or file and
//! the line — from the library and, as one line, from the command line.

mod common;
use common::native_io_turn;

use std::path::Path;
use std::process::Command;

use permafrost_insar::demo::{self, SceneParams, PERMAFROST_STUDY};
use permafrost_insar::pipeline::{run_study, RunOptions};

/// The demo study with `old` replaced by `new`, written as `name`.
fn variant(dir: &Path, name: &str, old: &str, new: &str) -> std::path::PathBuf {
    assert!(PERMAFROST_STUDY.contains(old), "{old}");
    let text = PERMAFROST_STUDY.replacen(old, new, 1);
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// 1-based line of the first occurrence of `needle` in the demo study after replacement.
fn line(old: &str, new: &str, needle: &str) -> usize {
    let text = PERMAFROST_STUDY.replacen(old, new, 1);
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn error(path: &Path) -> String {
    run_study(path, &RunOptions::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn broken_study_files_name_key_file_and_line() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    demo::generate(dir.path(), &SceneParams::small()).unwrap();

    // Unknown key.
    let (old, new) = ("method = \"l2\"", "method = \"l2\"\ncolour = \"red\"");
    let p = variant(dir.path(), "unknown.toml", old, new);
    let e = error(&p);
    let l = line(old, new, "colour");
    assert!(
        e.contains("unknown.toml") && e.contains(&format!("line {l}")) && e.contains("colour"),
        "{e}"
    );

    // Missing input file.
    let (old, new) = (
        "inputs/factors/sand.tif\"\nsoil",
        "inputs/factors/no_sand.tif\"\nsoil",
    );
    let p = variant(dir.path(), "missing.toml", old, new);
    let e = error(&p);
    let l = line(old, new, "no_sand");
    assert!(
        e.contains("missing.toml")
            && e.contains(&format!("line {l}"))
            && e.contains("pecm.sand")
            && e.contains("no_sand.tif"),
        "{e}"
    );

    // Wrong units: the stack's phase is in radian, the temperature in degC.
    let (old, new) = ("units = \"radian\"", "units = \"mm\"");
    let p = variant(dir.path(), "units.toml", old, new);
    let e = error(&p);
    let l = line(old, new, "units = \"mm\"");
    assert!(
        e.contains(&format!("line {l}")) && e.contains("sbas.units") && e.contains("radian"),
        "{e}"
    );
    let (old, new) = ("units = \"degC\"", "units = \"K\"");
    let p = variant(dir.path(), "kelvin.toml", old, new);
    let e = error(&p);
    let l = line(old, new, "units = \"K\"");
    assert!(
        e.contains(&format!("line {l}")) && e.contains("forcing.units") && e.contains("degC"),
        "{e}"
    );

    // Wrong type and a missing section.
    let (old, new) = ("classes = 5", "classes = \"five\"");
    let p = variant(dir.path(), "type.toml", old, new);
    let e = error(&p);
    assert!(
        e.contains(&format!("line {}", line(old, new, "five"))),
        "{e}"
    );
    let (old, new) = ("kind = \"permafrost\"", "kind = \"glacier\"");
    let p = variant(dir.path(), "kind.toml", old, new);
    let e = error(&p);
    assert!(e.contains("line 2") && e.contains("glacier"), "{e}");

    // The command line prints one line naming the file, key and line; exit 1.
    let p = variant(
        dir.path(),
        "cli.toml",
        "units = \"radian\"",
        "units = \"mm\"",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_permafrost-insar"))
        .args(["run", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cli.toml") && stderr.contains("sbas.units") && stderr.contains("line "),
        "{stderr}"
    );

    // An unknown --from stage.
    let p = dir.path().join("ok.toml");
    std::fs::write(&p, PERMAFROST_STUDY).unwrap();
    let e = run_study(
        &p,
        &RunOptions {
            from: Some("sbsa".into()),
            progress: false,
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("sbsa") && e.contains("sbas, forcing, pecm"),
        "{e}"
    );
}

#[test]
fn run_command_json_lists_outputs_and_skips_on_rerun() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    demo::generate(dir.path(), &SceneParams::small()).unwrap();
    let files = demo::write_study_files(dir.path()).unwrap();
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_permafrost-insar"))
            .args(["--json", "run", files[0].to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let first = run();
    assert_eq!(first["kind"], "permafrost");
    let outputs = first["outputs"].as_array().unwrap();
    assert!(outputs.len() > 20, "{first}");
    for o in outputs {
        assert!(Path::new(o.as_str().unwrap()).exists(), "{o}");
    }
    assert!(first["report"].as_str().unwrap().ends_with("report.html"));
    assert!(first["stages"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["ran"] == true));
    let second = run();
    assert!(
        second["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ran"] == false),
        "{second}"
    );
    assert_eq!(second["outputs"], first["outputs"]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// One small scene shared by the cases.
    fn scene() -> &'static Path {
        static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
        DIR.get_or_init(|| {
            let d = tempfile::tempdir().unwrap();
            demo::generate(d.path(), &SceneParams::small()).unwrap();
            d
        })
        .path()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// An unknown key after any `key = value` line of the demo study is
        /// reported with its own line number and name (in the free-form
        /// `[statistics.factors]` table it names a factor file that does not
        /// exist, reported the same way).
        #[test]
        fn unknown_key_anywhere_is_reported_with_its_line(pick in 0usize..1000, name in "[a-z]{3,8}_x") {
            let _io = native_io_turn();
            let lines: Vec<&str> = PERMAFROST_STUDY.lines().collect();
            let kv: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.contains(" = ") && !l.starts_with('#'))
                .map(|(i, _)| i)
                .collect();
            let after = kv[pick % kv.len()];
            let mut out: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            out.insert(after + 1, format!("{name} = \"inputs/{name}.tif\""));
            let p = scene().join(format!("study_{pick}_{name}.toml"));
            std::fs::write(&p, out.join("\n")).unwrap();
            let e = run_study(&p, &RunOptions::default()).unwrap_err().to_string();
            let expected_line = format!("line {}", after + 2);
            prop_assert!(e.contains(&expected_line) && e.contains(&name), "{}", e);
        }
    }
}
