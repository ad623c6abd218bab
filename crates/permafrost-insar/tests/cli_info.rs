//! `permafrost-insar info --json`: one JSON object on stdout with the keys
//! CLI.md fixes, for every fixture and real sample file.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{real, testdata};

fn info_json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_permafrost-insar"))
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not one JSON object: {e}"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_none_or(|x| x != "md") {
            out.push(p);
        }
    }
}

#[test]
fn every_fixture_and_real_file_is_described() {
    let mut all = Vec::new();
    files(&testdata(""), &mut all);
    if let Some(dir) = real("") {
        files(&dir, &mut all);
    }
    assert!(all.len() > 150);
    for f in all.iter().filter(|f| {
        !f.to_string_lossy().contains("/unw/2017") && !f.to_string_lossy().contains("/coh/2017")
    }) {
        let p = f.to_string_lossy();
        let v = info_json(&["info", "--json", &p]);
        assert!(v["format"].is_string(), "{p}");
        let vars = v["variables"]
            .as_array()
            .unwrap_or_else(|| panic!("{p}: variables"));
        assert!(!vars.is_empty(), "{p}");
        for var in vars {
            assert!(
                var["name"].is_string() && var["shape"].is_array() && var["dtype"].is_string(),
                "{p}: {var}"
            );
        }
    }
}

#[test]
fn formats_by_content_not_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let disguised = dir.path().join("actually_a_geotiff.nc");
    std::fs::copy(testdata("stack/coh/20160610_20160704.coh.tif"), &disguised).expect("copy");
    let v = info_json(&["info", "--json", &disguised.to_string_lossy()]);
    assert_eq!(v["format"], "geotiff");
    let v = info_json(&[
        "--json",
        "info",
        &testdata("stack/ifgramStack.h5").to_string_lossy(),
    ]);
    assert_eq!(v["format"], "hdf5");
    assert_eq!(v["time"]["n"], 31);
    assert_eq!(v["attributes"]["FILE_TYPE"], "ifgramStack");
}

#[test]
fn variable_statistics_and_threads() {
    let spec = format!(
        "{}:t2m",
        testdata("era5/era5land_old_layout.nc").to_string_lossy()
    );
    let a = info_json(&["info", "--json", "--threads", "1", &spec]);
    let b = info_json(&["info", "--json", "--threads", "2", &spec]);
    assert_eq!(a, b, "results do not depend on the thread count");
    assert_eq!(a["stats"]["n"], 72 * 4 * 5);
    assert_eq!(a["stats"]["n_missing"], 1);
    assert_eq!(a["variables"].as_array().map(Vec::len), Some(1));
    // NaN is written as null.
    let v = info_json(&[
        "info",
        "--json",
        &testdata("stack/coh/20160610_20160704.coh.tif").to_string_lossy(),
    ]);
    assert!(v["variables"][0]["fill_value"].is_null());
}
