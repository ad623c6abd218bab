//! Manufactured solutions: stacks built from a known time series, inverted,
//! compared with the truth; weighted solutions against an independent dense
//! solve of the normal equations.

mod common;

use approx::assert_abs_diff_eq;
use common::{default_network, regular_dates, synthetic, WAVELENGTH};
use insar_sbas::{phase_to_displacement, InversionParams, Norm, PixelStatus, Solver, Weighting};
use ndarray::{s, Array1, Array2, Array3};
use ndarray_linalg::Solve;

#[test]
fn noise_free_stack_is_recovered_by_every_method() {
    let net = default_network(&regular_dates(31, 12));
    let syn = synthetic(net.clone(), 3, 4, 0.0, 0.0, 1);
    for norm in [Norm::L2, Norm::L1] {
        for w in [
            Weighting::No,
            Weighting::Coherence,
            Weighting::Fisher,
            Weighting::Variance,
        ] {
            for solver in [Solver::Laplacian, Solver::Svd] {
                let ts = InversionParams::new()
                    .with_norm(norm)
                    .with_weighting(w)
                    .with_looks(9.0)
                    .with_solver(solver)
                    .build()
                    .unwrap()
                    .invert(&net, syn.phase.view(), Some(syn.coherence.view()))
                    .unwrap();
                let disp = ts.displacement(WAVELENGTH);
                for (a, b) in disp.iter().zip(syn.displacement.iter()) {
                    assert_abs_diff_eq!(a, b, epsilon = 1e-10);
                }
                for &t in ts.temporal_coherence.iter() {
                    assert_abs_diff_eq!(t, 1.0, epsilon = 1e-12);
                }
                for &r in ts.residual_rms.iter() {
                    assert!(r < 1e-9, "{norm} {w} {solver:?}: rms {r}");
                }
                assert!(ts.rank.iter().all(|&r| r as usize == net.n_dates() - 1));
                assert!(ts.n_used.iter().all(|&n| n as usize == net.n_pairs()));
                assert!(ts.components.iter().all(|&c| c == 1));
                assert_eq!(ts.count(PixelStatus::Inverted), 12);
            }
        }
    }
}

#[test]
fn f32_stacks_are_inverted_in_f64_and_returned_in_f32() {
    let net = default_network(&regular_dates(31, 12));
    let syn = synthetic(net.clone(), 2, 2, 0.0, 0.0, 2);
    let phase32 = syn.phase.mapv(|v| v as f32);
    let ts = InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, phase32.view(), None)
        .unwrap();
    let disp = ts.displacement(WAVELENGTH);
    for (a, b) in disp.iter().zip(syn.displacement.iter()) {
        // f32 phase of ~30 rad carries ~2e-6 rad rounding, ~1e-8 m.
        assert_abs_diff_eq!(f64::from(*a), *b, epsilon = 1e-7);
    }
}

#[test]
fn missing_values_are_dropped_per_pixel() {
    let net = default_network(&regular_dates(31, 12));
    let mut syn = synthetic(net.clone(), 3, 3, 0.0, 0.0, 3);
    // Knock out a different set of interferograms at each pixel.
    let mut n_nan = Array2::<u32>::zeros((3, 3));
    for k in 0..net.n_pairs() {
        for r in 0..3 {
            for c in 0..3 {
                if (k * 7 + r * 3 + c * 5) % 11 == 0 {
                    syn.phase[[k, r, c]] = f64::NAN;
                    n_nan[[r, c]] += 1;
                }
            }
        }
    }
    let ts = InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, syn.phase.view(), None)
        .unwrap();
    for r in 0..3 {
        for c in 0..3 {
            assert_eq!(ts.status[[r, c]], PixelStatus::Inverted);
            assert_eq!(
                ts.n_used[[r, c]] as usize,
                net.n_pairs() - n_nan[[r, c]] as usize
            );
        }
    }
    let disp = ts.displacement(WAVELENGTH);
    for (a, b) in disp.iter().zip(syn.displacement.iter()) {
        assert_abs_diff_eq!(a, b, epsilon = 1e-10);
    }
}

/// Weighted least squares against a dense (AᵀWA)⁻¹AᵀWy from the phase
/// design matrix, for noisy data where the weights matter.
#[test]
fn weighted_solution_matches_dense_normal_equations() {
    let net = default_network(&regular_dates(25, 12));
    let syn = synthetic(net.clone(), 1, 2, 0.6, 0.0, 4);
    let a = net.phase_design();
    for (w, looks) in [
        (Weighting::No, 1.0),
        (Weighting::Coherence, 1.0),
        (Weighting::Fisher, 20.0),
        (Weighting::Variance, 20.0),
    ] {
        let inv = InversionParams::new()
            .with_weighting(w)
            .with_looks(looks)
            .build()
            .unwrap();
        let ts = inv
            .invert(&net, syn.phase.view(), Some(syn.coherence.view()))
            .unwrap();
        for c in 0..2 {
            let y = syn.phase.slice(s![.., 0, c]).to_owned();
            let wt: Array1<f64> = syn
                .coherence
                .slice(s![.., 0, c])
                .mapv(|g| inv.weight_model().weight(g));
            let aw = &a * &wt.view().insert_axis(ndarray::Axis(1));
            let n: Array2<f64> = a.t().dot(&aw);
            let rhs: Array1<f64> = aw.t().dot(&y);
            let x = n.solve(&rhs).unwrap();
            for d in 1..net.n_dates() {
                assert_abs_diff_eq!(ts.phase[[d, 0, c]], x[d - 1], epsilon = 1e-9);
            }
            // The residuals the quality is computed from.
            let ax: Array1<f64> = a.dot(&x);
            let e = &y - &ax;
            let m = e.len() as f64;
            let (re, im) = e
                .iter()
                .fold((0.0, 0.0), |(re, im), v| (re + v.cos(), im + v.sin()));
            assert_abs_diff_eq!(
                ts.temporal_coherence[[0, c]],
                (re * re + im * im).sqrt() / m,
                epsilon = 1e-12
            );
            assert_abs_diff_eq!(
                ts.residual_rms[[0, c]],
                (e.mapv(|v| v * v).sum() / m).sqrt(),
                epsilon = 1e-12
            );
        }
        // Weights matter: the unweighted and weighted answers differ here.
        if w != Weighting::No {
            let plain = InversionParams::new()
                .build()
                .unwrap()
                .invert(&net, syn.phase.view(), None)
                .unwrap();
            let diff = (&plain.phase - &ts.phase).mapv(f64::abs).sum();
            assert!(diff > 1e-3, "{w}: weights had no effect");
        }
    }
}

#[test]
fn raster_inversion_equals_pixel_inversion() {
    let net = default_network(&regular_dates(31, 12));
    let mut syn = synthetic(net.clone(), 2, 3, 0.4, 0.03, 5);
    syn.phase[[4, 1, 1]] = f64::NAN;
    syn.phase[[9, 0, 2]] = f64::NAN;
    for norm in [Norm::L2, Norm::L1] {
        let inv = InversionParams::new()
            .with_norm(norm)
            .with_weighting(Weighting::Coherence)
            .build()
            .unwrap();
        let ts = inv
            .invert(&net, syn.phase.view(), Some(syn.coherence.view()))
            .unwrap();
        for r in 0..2 {
            for c in 0..3 {
                let y = syn.phase.slice(s![.., r, c]).to_vec();
                let g = syn.coherence.slice(s![.., r, c]).to_vec();
                let p = inv.invert_pixel(&net, &y, Some(&g)).unwrap();
                for d in 0..net.n_dates() {
                    assert_abs_diff_eq!(ts.phase[[d, r, c]], p.phase[d], epsilon = 1e-12);
                }
                assert_eq!(ts.iterations[[r, c]] as usize, p.iterations);
                assert_eq!(ts.status[[r, c]], p.status);
            }
        }
    }
}

#[test]
fn displacement_uses_mintpy_sign() {
    // Positive phase change = motion away from the satellite = negative LOS.
    let f = phase_to_displacement(WAVELENGTH);
    assert!(f < 0.0);
    assert_abs_diff_eq!(
        f,
        -WAVELENGTH / (4.0 * std::f64::consts::PI),
        epsilon = 1e-18
    );
    let net = default_network(&regular_dates(3, 12));
    let mut phase = Array3::<f64>::zeros((net.n_pairs(), 1, 1));
    for (k, p) in net.pairs().iter().enumerate() {
        phase[[k, 0, 0]] = (p.secondary - p.reference) as f64; // +1 rad per date
    }
    let ts = InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, phase.view(), None)
        .unwrap();
    assert_abs_diff_eq!(ts.phase[[2, 0, 0]], 2.0, epsilon = 1e-12);
    assert_abs_diff_eq!(
        ts.displacement(WAVELENGTH)[[2, 0, 0]],
        2.0 * f,
        epsilon = 1e-15
    );
}
