//! The committed fixtures agree with each other and with their truth: the
//! GeoTIFF and MintPy copies of the stack hold the same numbers, the phase
//! at the reference pixel is exactly −4π/λ times the planted displacement,
//! both ERA5 layouts decode to the same fields, and the MATLAB export
//! carries the truth.

mod common;
use common::{close, native_io_turn, testdata};

use std::f64::consts::PI;

use chrono::NaiveDate;
use ndarray::Axis;
use permafrost_insar::io::{self, mat_v5, mintpy, nc};

#[test]
fn stack_geotiffs_and_mintpy_stack_agree() {
    let _io = native_io_turn();
    let stack = mintpy::read_ifgram_stack(&testdata("stack/ifgramStack.h5")).expect("stack");
    assert_eq!(stack.len(), 80);
    assert_eq!(stack.unwrap_phase.dim(), (80, 12, 15));
    let wavelength: f64 = stack.attributes["WAVELENGTH"].parse().expect("number");
    assert!(close(wavelength, 0.055_465_76, 1e-12));
    // Sentinel-1 schedule: 24 days in 2016, 12 days from 2017.
    let (a, b) = stack.date_pairs[0];
    assert_eq!(
        (a, b),
        (
            NaiveDate::from_ymd_opt(2016, 6, 10).expect("d"),
            NaiveDate::from_ymd_opt(2016, 7, 4).expect("d")
        )
    );
    let dts: Vec<i64> = stack
        .date_pairs
        .iter()
        .map(|(a, b)| (*b - *a).num_days())
        .collect();
    assert!(dts.iter().all(|&d| d <= 40 || (350..=380).contains(&d)));
    assert!(
        dts.iter().any(|&d| (350..=380).contains(&d)),
        "inter-annual pairs present"
    );
    for (k, (a, b)) in stack.date_pairs.iter().enumerate().step_by(9) {
        let name = format!("{}_{}", a.format("%Y%m%d"), b.format("%Y%m%d"));
        let unw =
            io::read_array(&testdata(&format!("stack/unw/{name}.unw.tif")), None).expect("unw");
        let coh =
            io::read_array(&testdata(&format!("stack/coh/{name}.coh.tif")), None).expect("coh");
        let h5 = stack
            .unwrap_phase
            .index_axis(Axis(0), k)
            .mapv(f64::from)
            .into_dyn();
        assert_eq!(unw, h5, "{name}");
        assert_eq!(
            coh,
            stack
                .coherence
                .index_axis(Axis(0), k)
                .mapv(f64::from)
                .into_dyn()
        );
    }
}

#[test]
fn phase_at_the_reference_pixel_is_the_planted_displacement() {
    let _io = native_io_turn();
    let truth = testdata("stack/truth.nc");
    let disp = nc::read_variable(&truth, "displacement")
        .expect("displacement")
        .data;
    let time = nc::read_time(&truth).expect("time").expect("axis");
    let stack = mintpy::read_ifgram_stack(&testdata("stack/ifgramStack.h5")).expect("stack");
    let index = |d: NaiveDate| {
        time.values
            .iter()
            .position(|t| t.date() == d)
            .expect("date in truth")
    };
    let to_phase = -4.0 * PI / 0.055_465_76;
    let errors = nc::read_variable(&truth, "unwrapping_error_cycles")
        .expect("errors")
        .data;
    let mut checked = 0;
    for (k, &(a, b)) in stack.date_pairs.iter().enumerate() {
        let (i, j) = (index(a), index(b));
        // Pixel (0, 0) is noise-free and the reference; the truth vanishes there.
        assert_eq!(disp[[j, 0, 0]], 0.0);
        // Elsewhere the phase is the planted one plus noise plus whole cycles.
        let (r, c) = (8, 10);
        let planted = to_phase * (disp[[j, r, c]] - disp[[i, r, c]]) + 2.0 * PI * errors[[k, r, c]];
        let got = f64::from(stack.unwrap_phase[[k, r, c]]);
        assert!((got - planted).abs() < 2.5, "ifg {k}: {got} vs {planted}");
        checked += 1;
    }
    assert_eq!(checked, 80);
    assert_eq!(errors.iter().filter(|&&e| e != 0.0).count(), 2 * 3 * 4);
}

#[test]
fn both_era5_layouts_decode_to_the_same_fields() {
    let _io = native_io_turn();
    let old = testdata("era5/era5land_old_layout.nc");
    let new = testdata("era5/era5land_new_layout.nc");
    let t_old = nc::read_time(&old).expect("time").expect("axis");
    let t_new = nc::read_time(&new).expect("time").expect("axis");
    assert_eq!(t_old.variable, "time");
    assert_eq!(t_new.variable, "valid_time");
    assert_eq!(t_old.values, t_new.values);
    for var in ["t2m", "skt", "tp"] {
        let a = nc::read_variable(&old, var).expect("old");
        let b = nc::read_variable(&new, var).expect("new");
        let scale = a.attributes["scale_factor"].as_f64().expect("packed");
        assert_eq!(a.data.shape(), b.data.shape());
        for (x, y) in a.data.iter().zip(b.data.iter()) {
            if x.is_nan() || y.is_nan() {
                assert!(
                    x.is_nan() && y.is_nan(),
                    "{var}: missing in one layout only"
                );
            } else {
                // Packing rounds to half a step; float32 storage adds ~1e-5 K.
                assert!(
                    (x - y).abs() <= scale / 2.0 + 1e-4 * y.abs().max(1.0) * 1e-1,
                    "{var}: {x} vs {y}"
                );
            }
        }
    }
    let (nc::LatLon::Regular { lon: lon_old, lat }, nc::LatLon::Regular { lon: lon_new, .. }) = (
        nc::read_lat_lon(&old).expect("old"),
        nc::read_lat_lon(&new).expect("new"),
    ) else {
        panic!("regular grids expected");
    };
    assert!(lat.windows(2).all(|w| w[0] > w[1]), "latitude descends");
    for (a, b) in lon_old.iter().zip(&lon_new) {
        assert!(close(*a - 360.0, *b, 1e-6), "0…360 vs −180…180");
    }
}

#[test]
fn matlab_export_carries_the_truth() {
    let _io = native_io_turn();
    let vars = mat_v5::read(&testdata("mat/timeseries_v5.mat")).expect("read");
    let get = |n: &str| {
        vars.iter()
            .find(|v| v.name == n)
            .and_then(|v| v.values.clone())
            .expect(n)
    };
    let ts = get("ts");
    let vel = get("vel");
    assert_eq!(ts.shape(), &[180, 31]);
    let truth = nc::read_variable(&testdata("stack/truth.nc"), "velocity")
        .expect("velocity")
        .data;
    for p in [0usize, 17, 179] {
        assert!(close(vel[[p, 0]], truth[[p / 15, p % 15]] * 1e3, 1e-12));
    }
    let dates = get("dates");
    assert_eq!(dates[[0, 0]], 736_491.0, "datenum(2016,6,10)");
    let small = mat_v5::read(&testdata("mat/small_uncompressed_v5.mat")).expect("read");
    assert_eq!(
        small[0].values.clone().expect("M"),
        ndarray::arr2(&[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).into_dyn()
    );
}
