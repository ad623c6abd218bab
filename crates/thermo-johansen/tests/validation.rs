//! Input validation: out-of-range values are errors naming the input, the
//! value and (for rasters) the pixel; NaN is missing data, not an error.

use ndarray::{array, Array2};
use thermo_johansen::{Error, Johansen, Params, Phase, Soil};

fn out_of_range(e: Error) -> (&'static str, f64, Option<(usize, usize)>) {
    match e {
        Error::OutOfRange {
            input,
            value,
            index,
            ..
        } => (input, value, index),
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

#[test]
fn scalar_inputs_out_of_range_are_named() {
    let m = Johansen::default();
    let cases: [(Soil, f64, &str, f64); 8] = [
        (Soil::new(0.0, 0.5), 0.2, "bulk_density", 0.0),
        (Soil::new(-10.0, 0.5), 0.2, "bulk_density", -10.0),
        (Soil::new(2650.0, 0.5), 0.2, "bulk_density", 2650.0),
        // SoilGrids cg cm⁻³ not multiplied by 10 is fine (130 kg m⁻³ is
        // legal, if implausible), but ×100 is not.
        (Soil::new(13_000.0, 0.5), 0.2, "bulk_density", 13_000.0),
        (Soil::new(1300.0, -0.01), 0.2, "sand", -0.01),
        (Soil::new(1300.0, 350.0), 0.2, "sand", 350.0),
        (Soil::new(1300.0, 0.5), -0.1, "theta", -0.1),
        (
            Soil::new(1300.0, 0.5),
            f64::INFINITY,
            "theta",
            f64::INFINITY,
        ),
    ];
    for (soil, theta, name, value) in cases {
        let e = m.conductivity(&soil, theta, Phase::Thawed).unwrap_err();
        let msg = e.to_string();
        let (input, v, index) = out_of_range(e);
        assert_eq!(input, name);
        assert_eq!(v, value);
        assert_eq!(index, None);
        assert!(msg.starts_with(&format!("{name} = {value}")), "{msg}");
    }
    let e = m
        .conductivities(&Soil::new(1300.0, 0.5), 0.2, -1.0)
        .unwrap_err();
    assert_eq!(out_of_range(e).0, "theta_freeze");
    let e = m
        .conductivities(&Soil::new(1300.0, 0.5), -1.0, 0.2)
        .unwrap_err();
    assert_eq!(out_of_range(e).0, "theta_thaw");
    let e = m.stefan(&Soil::new(1300.0, 0.5), 0.2, -5.0).unwrap_err();
    assert_eq!(out_of_range(e).0, "ddt");
    let e = m
        .invert_subsidence(&Soil::new(1300.0, 0.5), -0.01, 1000.0)
        .unwrap_err();
    assert_eq!(out_of_range(e).0, "amplitude");
    let e = m
        .invert_subsidence(&Soil::new(1300.0, 0.5), 0.01, 0.0)
        .unwrap_err();
    assert_eq!(out_of_range(e).0, "ddt");
    assert!(m.porosity(2700.0).is_err());
}

#[test]
fn bulk_density_bound_follows_particle_density() {
    let clm = Params::new().with_particle_density(2700.0).build().unwrap();
    let soil = Soil::new(2680.0, 0.5);
    assert!(clm.conductivity(&soil, 0.01, Phase::Frozen).is_ok());
    assert!(Johansen::default()
        .conductivity(&soil, 0.01, Phase::Frozen)
        .is_err());
}

#[test]
fn edge_values_are_accepted() {
    let m = Johansen::default();
    for sand in [0.0, 1.0] {
        assert!(m
            .conductivity(&Soil::new(1300.0, sand), 0.0, Phase::Thawed)
            .is_ok());
    }
    // θ above the porosity means saturated (S_r clamped to 1).
    let k_sat = m
        .conductivity(&Soil::new(1300.0, 0.2), 0.9, Phase::Thawed)
        .unwrap();
    let t = m
        .terms(&Soil::new(1300.0, 0.2), 0.9, Phase::Thawed)
        .unwrap();
    assert!((k_sat - t.kappa_saturated).abs() <= 1e-15 * k_sat);
}

#[test]
fn stefan_limits() {
    let m = Johansen::default();
    let soil = Soil::new(1300.0, 0.2);
    let no_thaw = m.stefan(&soil, 0.3, 0.0).unwrap();
    assert_eq!((no_thaw.thaw_depth, no_thaw.subsidence), (0.0, 0.0));
    let dry = m.stefan(&soil, 0.0, 1000.0).unwrap();
    assert_eq!(dry.thaw_depth, f64::INFINITY);
    assert_eq!(dry.subsidence, 0.0);
    let zero = m.invert_subsidence(&soil, 0.0, 1000.0).unwrap();
    assert_eq!(zero.theta, 0.0);
    assert_eq!(zero.thaw_depth, f64::INFINITY);
    assert_eq!(zero.iterations, 0);
    // thaw_depth_from_subsidence is the plain inverse of d = (ρ_w/ρ_i − 1)·θ·Z.
    let z = thermo_johansen::stefan::thaw_depth_from_subsidence(0.03, 0.3);
    assert!((z - 0.03 / ((1000.0 / 917.0 - 1.0) * 0.3)).abs() < 1e-15);
}

#[test]
fn not_converged_is_reported_with_the_amplitude() {
    // One iteration cannot reach 1e-12 from the dry end of the bracket.
    let m = Params::new().with_max_iterations(1).build().unwrap();
    let e = m
        .invert_subsidence(&Soil::new(1300.0, 0.1), 0.0453, 1500.0)
        .unwrap_err();
    match &e {
        Error::NotConverged {
            amplitude,
            iterations,
            ..
        } => assert_eq!((*amplitude, *iterations), (0.0453, 1)),
        other => panic!("expected NotConverged, got {other:?}"),
    }
    assert!(e.to_string().contains("amplitude = 0.0453"), "{e}");
}

#[test]
fn raster_error_names_first_offending_pixel() {
    let m = Johansen::default();
    let bulk = array![[1300.0, 1400.0, 1500.0], [1300.0, 1400.0, 1500.0]];
    let sand = array![[0.1, 0.2, 0.3], [0.4, 1.5, 0.6]];
    let theta = array![[0.1, 0.2, 0.3], [0.3, 0.2, -0.5]];
    let e = m
        .conductivity_raster(&bulk, &sand, &theta, Phase::Thawed)
        .unwrap_err();
    let msg = e.to_string();
    assert_eq!(out_of_range(e), ("sand", 1.5, Some((1, 1))));
    assert!(msg.contains("sand = 1.5 at (row 1, col 1)"), "{msg}");
    // The parallel and serial forms report the same pixel.
    let serial = Params::new().with_parallel(false).build().unwrap();
    let e = serial
        .conductivity_raster(&bulk, &sand, &theta, Phase::Thawed)
        .unwrap_err();
    assert_eq!(e.index(), Some((1, 1)));
    // The inverse too.
    let amp = array![[0.01, 0.5], [0.01, 0.01]];
    let e = m
        .invert_subsidence_raster(1300.0, 0.1, &amp, 1000.0)
        .unwrap_err();
    assert!(matches!(
        e,
        Error::AmplitudeTooLarge {
            index: Some((0, 1)),
            ..
        }
    ));
}

#[test]
fn raster_shapes() {
    let m = Johansen::default();
    let a = Array2::from_elem((2, 3), 1300.0);
    let b = Array2::from_elem((3, 2), 0.2);
    let e = m
        .conductivity_raster(&a, 0.5, &b, Phase::Thawed)
        .unwrap_err();
    assert_eq!(
        e,
        Error::ShapeMismatch {
            input: "theta",
            found: (3, 2),
            reference: "bulk_density",
            expected: (2, 3),
        }
    );
    let e = m
        .conductivity_raster(1300.0, 0.5, 0.2, Phase::Thawed)
        .unwrap_err();
    assert!(matches!(e, Error::NoRaster { .. }));
    // Empty rasters give empty results.
    let empty = Array2::<f64>::zeros((0, 4));
    let k = m
        .conductivity_raster(&empty, 0.5, 0.2, Phase::Thawed)
        .unwrap();
    assert_eq!(k.dim(), (0, 4));
    let empty = Array2::<f64>::zeros((3, 0));
    let k = m.conductivities_raster(&empty, 0.5, 0.2, 0.3).unwrap();
    assert_eq!(k.ratio.dim(), (3, 0));
}

#[test]
fn f32_rasters_round_the_f64_result() {
    let m = Johansen::default();
    let bulk = array![[1300.0f32, 1600.0], [900.0, f32::NAN]];
    let theta = array![[0.3f32, 0.45], [0.4, 0.2]];
    let k = m
        .conductivity_raster(bulk.view(), 0.3f32, theta.view(), Phase::Frozen)
        .unwrap();
    for ((r, c), &v) in k.indexed_iter() {
        let s = m
            .conductivity(
                &Soil::new(f64::from(bulk[[r, c]]), 0.3),
                f64::from(theta[[r, c]]),
                Phase::Frozen,
            )
            .unwrap();
        assert!(v.to_bits() == (s as f32).to_bits(), "({r}, {c})");
    }
    assert!(k[[1, 1]].is_nan());
}
