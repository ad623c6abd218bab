//! Bad input never panics: the command line exits non-zero with one line on
//! stderr that names the file (and variable) and says what is wrong.

mod common;
use common::{cli_text as cli, native_io_turn, testdata};

use std::path::{Path, PathBuf};

use ndarray::{Array3, ArrayD};
use permafrost_insar::io::mintpy::IfgramStack;
use permafrost_insar::io::nc::{NcData, NcWriter};
use permafrost_insar::Error;

/// Asserts a clean failure whose single stderr line contains every `needle`.
fn fails_cleanly(args: &[&str], needles: &[&str]) {
    let (ok, stdout, stderr) = cli(args);
    assert!(!ok, "{args:?} should fail; stdout: {stdout}");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    let lines: Vec<&str> = stderr.trim().lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{args:?}: expected one line, got {stderr:?}"
    );
    assert!(lines[0].starts_with("error: "), "{stderr}");
    for n in needles {
        assert!(
            lines[0].contains(n),
            "{args:?}: `{n}` not in {:?}",
            lines[0]
        );
    }
    assert!(
        stdout.is_empty(),
        "{args:?}: nothing on stdout on failure, got {stdout:?}"
    );
}

fn truncated_copy(src: &Path, dir: &Path, keep: usize) -> PathBuf {
    let bytes = std::fs::read(src).expect("read fixture");
    let dst = dir.join(src.file_name().expect("name"));
    std::fs::write(&dst, &bytes[..keep.min(bytes.len() / 2)]).expect("write");
    dst
}

#[test]
fn truncated_files_of_every_format() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        ("stack/unw/20160610_20160704.unw.tif", 200, "band_1"),
        ("era5/era5land_old_layout.nc", 3000, "t2m"),
        ("era5/era5land_new_layout.nc", 4000, "t2m"),
        ("stack/ifgramStack.h5", 5000, "unwrapPhase"),
        ("mat/timeseries_v5.mat", 3000, "ts"),
        ("mat/small_uncompressed_v5.mat", 200, "M"),
    ];
    for (rel, keep, var) in cases {
        let bad = truncated_copy(&testdata(rel), dir.path(), keep);
        let p = bad.to_string_lossy().into_owned();
        // Describing or reading the data must fail (a truncated header may
        // still describe; the values cannot be read).
        let (ok_describe, _, stderr) = cli(&["info", "--json", &p]);
        assert!(!stderr.contains("panicked"), "{rel}: {stderr}");
        if ok_describe {
            fails_cleanly(&["info", "--json", &format!("{p}:{var}")], &[&p]);
        } else {
            fails_cleanly(&["info", "--json", &p], &[&p]);
        }
    }
}

#[test]
fn wrong_kind_empty_missing_and_folders() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = dir.path().join("looks_like.nc");
    std::fs::write(&text, "this is not a NetCDF file\n").expect("write");
    let png = dir.path().join("image.tif");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let empty = dir.path().join("empty.h5");
    std::fs::write(&empty, b"").expect("write");
    let s = |p: &Path| p.to_string_lossy().into_owned();
    fails_cleanly(
        &["info", &s(&text)],
        &[&s(&text), "not a recognised format"],
    );
    fails_cleanly(
        &["info", "--json", &s(&png)],
        &[&s(&png), "not a recognised format"],
    );
    fails_cleanly(&["info", &s(&empty)], &[&s(&empty), "empty file"]);
    let missing = dir.path().join("missing.nc");
    fails_cleanly(&["info", &s(&missing)], &[&s(&missing)]);
    fails_cleanly(&["info", &s(dir.path())], &["folder"]);
}

#[test]
fn missing_variable_names_what_is_available() {
    let _io = native_io_turn();
    let truth = testdata("stack/truth.nc").to_string_lossy().into_owned();
    fails_cleanly(
        &["info", &format!("{truth}:velocty")],
        &[&truth, "velocty", "velocity"],
    );
    let stack = testdata("stack/ifgramStack.h5")
        .to_string_lossy()
        .into_owned();
    fails_cleanly(
        &["info", &format!("{stack}:phase")],
        &[&stack, "phase", "unwrapPhase"],
    );
    let tif = testdata("stack/coh/20160610_20160704.coh.tif")
        .to_string_lossy()
        .into_owned();
    fails_cleanly(&["info", &format!("{tif}:band_2")], &[&tif, "band_2"]);
    let mat = testdata("mat/timeseries_v5.mat")
        .to_string_lossy()
        .into_owned();
    fails_cleanly(
        &["info", &format!("{mat}:velocity")],
        &[&mat, "velocity", "vel"],
    );
    // A string variable asked for as numbers.
    let era5 = testdata("era5/era5land_new_layout.nc")
        .to_string_lossy()
        .into_owned();
    fails_cleanly(
        &["info", &format!("{era5}:expver")],
        &[&era5, "expver", "not numeric"],
    );
}

#[test]
fn bad_arguments() {
    let _io = native_io_turn();
    fails_cleanly(&["--threads", "0", "info", "x"], &["--threads"]);
    let (ok, _, stderr) = cli(&["info"]);
    assert!(!ok && !stderr.contains("panicked"));
    let (ok, _, _) = cli(&["no-such-command"]);
    assert!(!ok);
}

#[test]
fn mismatched_shapes_are_errors_naming_the_variable() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("x.nc");
    let mut w = NcWriter::new();
    w.dimension("y", 2).dimension("x", 3).variable(
        "v",
        &["y", "x"],
        NcData::F64(ArrayD::zeros(vec![3, 2])),
    );
    match w.write(&path) {
        Err(Error::Shape {
            context,
            expected,
            found,
        }) => {
            assert!(
                context.contains("`v`") && context.contains("x.nc"),
                "{context}"
            );
            assert_eq!((expected, found), (vec![2, 3], vec![3, 2]));
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    assert!(!path.exists());
    let mut w = NcWriter::new();
    w.dimension("y", 2)
        .variable("v", &["y", "t"], NcData::F64(ArrayD::zeros(vec![2, 2])));
    let e = w.write(&path).expect_err("unknown dimension");
    assert!(e.to_string().contains("unknown dimension `t`"), "{e}");

    let stack = IfgramStack {
        date_pairs: vec![],
        unwrap_phase: Array3::zeros((1, 2, 2)),
        coherence: Array3::zeros((1, 2, 2)),
        bperp: vec![0.0],
        keep: vec![true],
        attributes: Default::default(),
    };
    let e = permafrost_insar::io::mintpy::write_ifgram_stack(&dir.path().join("s.h5"), &stack)
        .expect_err("mismatch");
    assert!(e.to_string().contains("unwrapPhase"), "{e}");
}

#[test]
fn netcdf3_missing_only_its_last_bytes_is_caught() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let src = testdata("era5/era5land_old_layout.nc");
    let bytes = std::fs::read(&src).expect("read");
    let bad = dir.path().join("cut.nc");
    std::fs::write(&bad, &bytes[..bytes.len() - 100]).expect("write");
    let p = bad.to_string_lossy().into_owned();
    fails_cleanly(&["info", &format!("{p}:tp")], &[&p, "truncated"]);
}
