//! `sbas invert` on the fixture stack: MintPy-layout outputs, the planted
//! velocity recovered, both input forms agreeing, and bad input.

mod common;
use common::{cli_json as cli, testdata};

use std::path::PathBuf;

use permafrost_insar::io::{geotiff, h5, nc};

#[test]
fn mintpy_stack_and_geotiff_stack_recover_the_planted_velocity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_h5 = dir.path().join("h5");
    let out_tif = dir.path().join("tif");
    let stack = testdata("stack/ifgramStack.h5")
        .to_string_lossy()
        .into_owned();
    let (ok, v, stderr) = cli(&[
        "--json",
        "sbas",
        "invert",
        "--stack",
        &stack,
        "--method",
        "l1",
        "--weight",
        "coh",
        "--out",
        &out_h5.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["n_ifgs"], 80);
    assert_eq!(v["n_pixels"], 180);
    assert_eq!(v["dates"].as_array().map(Vec::len), Some(31));
    let unw = format!("{}/*.unw.tif", testdata("stack/unw").display());
    let coh = testdata("stack/coh").to_string_lossy().into_owned();
    let (ok, _, stderr) = cli(&[
        "--json",
        "sbas",
        "invert",
        "--stack",
        &unw,
        "--coherence",
        &coh,
        "--wavelength",
        "0.05546576",
        "--ref-yx",
        "0,0",
        "--method",
        "l1",
        "--weight",
        "coh",
        "--out",
        &out_tif.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    let vel_a = h5::read_f64(&out_h5.join("velocity.h5"), "velocity").expect("velocity");
    let vel_b = h5::read_f64(&out_tif.join("velocity.h5"), "velocity").expect("velocity");
    assert_eq!(vel_a, vel_b, "both input forms give the same answer");
    let attrs = h5::read_attributes(&out_h5.join("timeseries.h5"), "").expect("attrs");
    assert_eq!(attrs["FILE_TYPE"].as_text(), Some("timeseries"));
    assert_eq!(
        h5::read_strings(&out_h5.join("timeseries.h5"), "date").expect("dates")[0],
        "20160610"
    );
    // Planted velocity (truth.nc) against the estimate; the seasonal term
    // over a 1.3-year span and the noise leave a few mm/yr.
    let truth = nc::read_variable(&testdata("stack/truth.nc"), "velocity")
        .expect("truth")
        .data;
    let mut worst = 0.0f64;
    for ((r, c), t) in truth
        .clone()
        .into_dimensionality::<ndarray::Ix2>()
        .expect("2-D")
        .indexed_iter()
    {
        if (r, c) != (0, 0) {
            worst = worst.max((vel_a[[r, c]] - t).abs());
        }
    }
    eprintln!("worst velocity error {:.2} mm/yr", worst * 1e3);
    assert!(worst < 0.01, "{worst}");
    assert!(
        out_tif.join("velocity.tif").exists() && out_h5.join("velocity.tif").exists(),
        "geocoded GeoTIFFs"
    );
}

#[test]
fn bad_sbas_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_string_lossy().into_owned();
    let unw = format!("{}/*.unw.tif", testdata("stack/unw").display());
    let (ok, _, stderr) = cli(&["sbas", "invert", "--stack", &unw, "--out", &out]);
    assert!(!ok && stderr.contains("--coherence"), "{stderr}");
    let (ok, _, stderr) = cli(&[
        "sbas",
        "invert",
        "--stack",
        &unw,
        "--coherence",
        &format!("{}/nothing*", dir.path().display()),
        "--out",
        &out,
    ]);
    assert!(!ok && stderr.contains("no files match"), "{stderr}");
    let stack = testdata("stack/ifgramStack.h5")
        .to_string_lossy()
        .into_owned();
    let (ok, _, stderr) = cli(&[
        "sbas", "invert", "--stack", &stack, "--ref-yx", "99,0", "--out", &out,
    ]);
    assert!(!ok && stderr.lines().count() == 1, "{stderr}");
    let (ok, _, stderr) = cli(&[
        "sbas", "invert", "--stack", &stack, "--method", "wls", "--weight", "heavy", "--out", &out,
    ]);
    assert!(!ok && stderr.contains("heavy"), "{stderr}");
}

/// `sbas invert` on MintPy's disconnected stack (two groups of dates, see
/// `tests/data/mintpy/README.md`): the default refuses naming the gap; the
/// minimum-norm options give MintPy's own solutions (MintPy 1.6.4 runs `-w
/// no` and `-w no --min-norm-phase` in `disconnected_mintpy.json`, 1e-4
/// rad); `nsbas` bridges the gap with a line and recovers the planted
/// linear velocity (RMS error 2.9 mm/yr, asserted < 3.5 mm/yr and below
/// the minimum-norm velocity solution's 4.1 mm/yr).
#[test]
fn disconnected_stack_follows_the_gap_option() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mintpy");
    let stack = data
        .join("disconnected_ifgramStack.h5")
        .to_string_lossy()
        .into_owned();
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data.join("disconnected_mintpy.json")).expect("json"),
    )
    .expect("valid json");
    let out = |name: &str| dir.path().join(name).to_string_lossy().into_owned();

    let (ok, _, stderr) = cli(&["sbas", "invert", "--stack", &stack, "--out", &out("e")]);
    assert!(!ok, "the default must refuse a disconnected network");
    assert!(
        stderr.contains("network splits between 2019-08-24 and 2019-11-12"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");

    let wavelength = json["wavelength"].as_f64().expect("wavelength");
    let to_rad = 4.0 * std::f64::consts::PI / wavelength;
    for (gap, run) in [
        ("min-norm-velocity", "no"),
        ("min-norm-phase", "no_min_norm_phase"),
    ] {
        let (ok, _, stderr) = cli(&[
            "sbas",
            "invert",
            "--stack",
            &stack,
            "--gap",
            gap,
            "--out",
            &out(gap),
        ]);
        assert!(ok, "{gap}: {stderr}");
        let ts = h5::read_f64(&dir.path().join(gap).join("timeseries.h5"), "timeseries")
            .expect("timeseries");
        let r = &json["runs"][run];
        let want: Vec<f64> = r["timeseries_m"]
            .as_array()
            .expect("values")
            .iter()
            .map(|v| v.as_f64().unwrap_or(f64::NAN))
            .collect();
        let num: Vec<u64> = r["num_inv_ifgram"]
            .as_array()
            .expect("num")
            .iter()
            .map(|v| v.as_u64().expect("int"))
            .collect();
        let (n, rows, cols) = (ts.shape()[0], ts.shape()[1], ts.shape()[2]);
        assert_eq!(want.len(), n * rows * cols);
        let mut max = 0.0f64;
        for px in 1..rows * cols {
            if num[px] == 0 {
                continue;
            }
            for d in 0..n {
                let got = ts[[d, px / cols, px % cols]];
                let diff = (got - want[d * rows * cols + px]).abs() * to_rad;
                assert!(diff <= 1e-4, "{gap}: pixel {px} date {d}: {diff} rad");
                max = max.max(diff);
            }
        }
        println!("--gap {gap}: max |Δ| vs MintPy {max:.2e} rad");
    }

    let (ok, _, stderr) = cli(&[
        "sbas",
        "invert",
        "--stack",
        &stack,
        "--gap",
        "nsbas",
        "--out",
        &out("nsbas"),
    ]);
    assert!(ok, "nsbas: {stderr}");
    // Planted: −0.02·(1 + row)/rows + 0.005·col m/yr (mintpy_reference.py),
    // relative to the reference pixel (0, 0); phase noise 0.3 rad over two
    // 3-month groups leaves a few mm/yr per pixel. The minimum-norm
    // velocity solution, which has no offset across the gap, is printed
    // for comparison.
    let velocity_rms = |name: &str| {
        let v =
            h5::read_f64(&dir.path().join(name).join("velocity.h5"), "velocity").expect("velocity");
        let (rows, cols) = (v.shape()[0], v.shape()[1]);
        let planted = |r: usize, c: usize| -0.02 * (1 + r) as f64 / rows as f64 + 0.005 * c as f64;
        let mut s = 0.0;
        for r in 0..rows {
            for c in 0..cols {
                s += (v[[r, c]] - (planted(r, c) - planted(0, 0))).powi(2);
            }
        }
        (s / (rows * cols) as f64).sqrt()
    };
    let nsbas = velocity_rms("nsbas");
    let min_norm = velocity_rms("min-norm-velocity");
    println!(
        "velocity RMS error: --gap nsbas {:.2} mm/yr, --gap min-norm-velocity {:.2} mm/yr",
        1e3 * nsbas,
        1e3 * min_norm
    );
    assert!(nsbas < 0.0035, "nsbas velocity RMS error {nsbas} m/yr");
    assert!(
        nsbas < min_norm,
        "nsbas {nsbas} vs min-norm {min_norm} m/yr"
    );
}

/// GeoTIFF stacks: coherence of another shape, or coherence for other
/// dates than the interferograms, are errors naming the file.
#[test]
fn geotiff_coherence_of_another_shape_or_other_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unw = format!("{}/*.unw.tif", testdata("stack/unw").display());
    let out = dir.path().join("out").to_string_lossy().into_owned();
    let first = std::fs::read_dir(testdata("stack/coh"))
        .expect("coh")
        .flatten()
        .map(|e| e.path())
        .min()
        .expect("a coherence file");
    let raster = geotiff::read_raster(&first).expect("coherence");
    let (rows, cols) = raster.shape();
    // Every coherence file with one column too many.
    let wide = dir.path().join("wide");
    std::fs::create_dir(&wide).expect("mkdir");
    for f in std::fs::read_dir(testdata("stack/coh"))
        .expect("coh")
        .flatten()
    {
        let r = geotiff::Raster::single(
            ndarray::Array2::from_elem((rows, cols + 1), 0.5),
            raster.geotransform,
            raster.crs_wkt.clone(),
        );
        geotiff::write_geotiff(&wide.join(f.file_name()), &r, geotiff::SampleType::Float32)
            .expect("write");
    }
    let (ok, _, stderr) = cli(&[
        "sbas",
        "invert",
        "--stack",
        &unw,
        "--coherence",
        &wide.to_string_lossy(),
        "--wavelength",
        "0.0555",
        "--out",
        &out,
    ]);
    assert!(!ok, "a coherence of another shape must be refused");
    assert!(stderr.contains("wide/2016"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    // Coherence files for all but the first date pair.
    let fewer = dir.path().join("fewer");
    std::fs::create_dir(&fewer).expect("mkdir");
    for f in std::fs::read_dir(testdata("stack/coh"))
        .expect("coh")
        .flatten()
    {
        if f.path() != first {
            std::fs::copy(f.path(), fewer.join(f.file_name())).expect("copy");
        }
    }
    let (ok, _, stderr) = cli(&[
        "sbas",
        "invert",
        "--stack",
        &unw,
        "--coherence",
        &fewer.to_string_lossy(),
        "--wavelength",
        "0.0555",
        "--out",
        &out,
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("no coherence file with the same date pair"),
        "{stderr}"
    );
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    assert!(stderr.contains(&name[..17]), "{stderr}");
}
