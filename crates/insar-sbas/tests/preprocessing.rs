//! Referencing, masking, deramping and delay subtraction.

mod common;

use approx::assert_abs_diff_eq;
use common::{default_network, regular_dates, WAVELENGTH};
use insar_sbas::{
    deramp, mask_low_coherence, phase_to_displacement, subtract_delay, subtract_reference,
    subtract_reference_mintpy, DelayUnit, InversionParams, Ramp, ReferencePoint,
};
use ndarray::{Array2, Array3};

#[test]
fn reference_pixel_and_window() {
    let mut s = Array3::from_shape_fn((2, 3, 4), |(k, r, c)| (k * 100 + r * 10 + c) as f64);
    s[[1, 0, 0]] = f64::NAN;
    let v = subtract_reference(s.view_mut(), ReferencePoint::Pixel { row: 1, col: 2 }).unwrap();
    assert_eq!(v, vec![12.0, 112.0]);
    assert_eq!(s[[0, 1, 2]], 0.0);
    assert_eq!(s[[1, 2, 3]], 11.0);
    assert!(s[[1, 0, 0]].is_nan());
    // Window (clipped at the corner, NaN skipped): mean of (0,0),(0,1),(1,0),(1,1).
    let mut s = Array3::from_shape_fn((1, 3, 4), |(_, r, c)| (r * 10 + c) as f64);
    s[[0, 1, 1]] = f64::NAN;
    let v = subtract_reference(
        s.view_mut(),
        ReferencePoint::Window {
            row: 0,
            col: 0,
            half_size: 1,
        },
    )
    .unwrap();
    assert_abs_diff_eq!(v[0], (0.0 + 1.0 + 10.0) / 3.0, epsilon = 1e-12);
}

#[test]
fn mintpy_reference_turns_zeros_into_no_data() {
    let mut s = Array3::<f32>::from_shape_vec((1, 1, 4), vec![2.0, 0.0, 5.0, 2.0]).unwrap();
    let v = subtract_reference_mintpy(s.view_mut(), 0, 3).unwrap();
    assert_eq!(v, vec![2.0]);
    // 2 − 2 = 0 → NaN (the reference pixel itself too); an exact zero stays
    // unreferenced and becomes NaN; 5 − 2 = 3.
    assert!(s[[0, 0, 0]].is_nan() && s[[0, 0, 1]].is_nan() && s[[0, 0, 3]].is_nan());
    assert_eq!(s[[0, 0, 2]], 3.0);
}

#[test]
fn low_coherence_is_masked() {
    let mut p = Array3::from_elem((2, 2, 2), 1.0);
    let mut c = Array3::from_elem((2, 2, 2), 0.8);
    c[[0, 1, 1]] = 0.2;
    c[[1, 0, 0]] = f64::NAN;
    let n = mask_low_coherence(p.view_mut(), c.view(), 0.4).unwrap();
    assert_eq!(n, 2);
    assert!(p[[0, 1, 1]].is_nan() && p[[1, 0, 0]].is_nan());
    assert_eq!(p[[0, 0, 0]], 1.0);
}

#[test]
fn ramps_are_removed_on_the_mask_only() {
    let (rows, cols) = (20, 30);
    let mut s = Array3::from_shape_fn((2, rows, cols), |(k, r, c)| {
        let (x, y) = (c as f64, r as f64);
        if k == 0 {
            0.3 + 0.02 * x - 0.05 * y
        } else {
            -1.0 + 0.01 * x + 0.002 * x * x - 0.001 * x * y + 0.003 * y * y
        }
    });
    // A local signal the mask excludes.
    let mut mask = Array2::from_elem((rows, cols), true);
    for r in 5..9 {
        for c in 10..14 {
            s[[0, r, c]] += 2.0;
            s[[1, r, c]] += 2.0;
            mask[[r, c]] = false;
        }
    }
    s[[1, 0, 0]] = f64::NAN;
    let mut quad = s.clone();
    let coef = deramp(quad.view_mut(), Some(mask.view()), Ramp::Quadratic).unwrap();
    assert_eq!(coef.dim(), (2, 6));
    for ((k, r, c), &v) in quad.indexed_iter() {
        if (k, r, c) == (1, 0, 0) {
            assert!(v.is_nan());
            continue;
        }
        let want = if mask[[r, c]] { 0.0 } else { 2.0 };
        assert_abs_diff_eq!(v, want, epsilon = 1e-9);
    }
    // A plane removes interferogram 0 exactly but not the curvature of 1.
    let mut plane = s.clone();
    deramp(plane.view_mut(), Some(mask.view()), Ramp::Plane).unwrap();
    assert_abs_diff_eq!(plane[[0, 19, 29]], 0.0, epsilon = 1e-9);
    assert!(plane[[1, 19, 29]].abs() > 0.1);
}

#[test]
fn delay_stack_is_subtracted_with_the_right_sign() {
    let net = default_network(&regular_dates(5, 12));
    let (rows, cols) = (2, 2);
    // A delay history per date (metres, time-series convention) that
    // masquerades as displacement.
    let delay_m = Array3::from_shape_fn((net.n_dates(), rows, cols), |(d, r, _)| {
        0.004 * d as f64 * (1.0 + r as f64)
    });
    let to_phase = 1.0 / phase_to_displacement(WAVELENGTH);
    let mut stack = Array3::zeros((net.n_pairs(), rows, cols));
    for (k, p) in net.pairs().iter().enumerate() {
        for r in 0..rows {
            for c in 0..cols {
                stack[[k, r, c]] =
                    to_phase * (delay_m[[p.secondary, r, c]] - delay_m[[p.reference, r, c]]);
            }
        }
    }
    let mut m = stack.clone();
    subtract_delay(
        m.view_mut(),
        &net,
        delay_m.view(),
        DelayUnit::Metres {
            wavelength_m: WAVELENGTH,
        },
    )
    .unwrap();
    assert!(m.iter().all(|v| v.abs() < 1e-12));
    // The same in radians.
    let delay_rad = delay_m.mapv(|v| v * to_phase);
    let mut r = stack.clone();
    subtract_delay(r.view_mut(), &net, delay_rad.view(), DelayUnit::Radians).unwrap();
    assert!(r.iter().all(|v| v.abs() < 1e-12));
    // Without the correction the inversion would report the delay as motion.
    let ts = InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, stack.view(), None)
        .unwrap();
    assert_abs_diff_eq!(
        ts.displacement(WAVELENGTH)[[4, 1, 0]],
        0.032,
        epsilon = 1e-12
    );
}
