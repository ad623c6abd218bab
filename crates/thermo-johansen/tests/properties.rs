//! Property tests (proptest): bounds, monotonicity, inverse ∘ forward,
//! NaN propagation, raster == scalar.

use ndarray::Array2;
use proptest::prelude::*;
use thermo_johansen::{Johansen, Params, Phase, QuartzMapping, Soil, TextureRule};

fn quartz_mapping() -> impl Strategy<Value = QuartzMapping> {
    prop_oneof![
        Just(QuartzMapping::Sand),
        Just(QuartzMapping::HalfSand),
        Just(QuartzMapping::CAPPED),
        (0.0..=1.0f64).prop_map(QuartzMapping::Fixed),
    ]
}

fn texture_rule() -> impl Strategy<Value = TextureRule> {
    prop_oneof![
        (0.0..=1.0f64).prop_map(TextureRule::SandAtLeast),
        Just(TextureRule::AllCoarse),
        Just(TextureRule::AllFine),
    ]
}

/// Models over the parameter space (ρ_s = 2650, the default, or 2700).
fn model() -> impl Strategy<Value = Johansen> {
    (
        prop_oneof![Just(2650.0), Just(2700.0)],
        quartz_mapping(),
        texture_rule(),
        0.5..1.3f64,
    )
        .prop_map(|(rho_s, q, t, n)| {
            Params::new()
                .with_particle_density(rho_s)
                .with_quartz(q)
                .with_texture_rule(t)
                .with_n_factor(n)
                .build()
                .unwrap()
        })
}

/// Soils of the whole range of natural mineral and organic soils
/// (ρ_b from 200 to 2300 kg m⁻³).
fn soil() -> impl Strategy<Value = Soil> {
    (200.0..2300.0f64, 0.0..=1.0f64).prop_map(|(b, s)| Soil::new(b, s))
}

fn phase() -> impl Strategy<Value = Phase> {
    prop_oneof![Just(Phase::Thawed), Just(Phase::Frozen)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// κ_dry ≤ κ ≤ κ_sat for every soil, water content and phase.
    #[test]
    fn kappa_between_dry_and_saturated(
        m in model(), s in soil(), theta in 0.0..1.0f64, ph in phase()
    ) {
        let t = m.terms(&s, theta, ph).unwrap();
        prop_assert!(t.kappa_dry <= t.kappa_saturated, "{t:?}");
        prop_assert!(t.kappa >= t.kappa_dry * (1.0 - 1e-15), "{t:?}");
        prop_assert!(t.kappa <= t.kappa_saturated * (1.0 + 1e-15), "{t:?}");
        prop_assert!((0.0..=1.0).contains(&t.kersten) || t.saturation <= 1e-5, "{t:?}");
    }

    /// κ is non-decreasing in S_r (hence in θ) for both phases.
    #[test]
    fn kappa_monotone_in_saturation(
        m in model(), s in soil(), a in 0.0..1.0f64, b in 0.0..1.0f64, ph in phase()
    ) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let k_lo = m.conductivity(&s, lo, ph).unwrap();
        let k_hi = m.conductivity(&s, hi, ph).unwrap();
        prop_assert!(k_lo <= k_hi, "θ {lo} → {k_lo}, θ {hi} → {k_hi}");
    }

    /// Frozen soil conducts at least as well as thawed soil at the same θ
    /// whenever the soil is wet enough for both Kersten numbers to count.
    #[test]
    fn saturated_frozen_exceeds_saturated_thawed(m in model(), s in soil()) {
        let phi = m.porosity(s.bulk_density).unwrap();
        let k = m.conductivities(&s, phi, phi).unwrap();
        prop_assert!(k.frozen > k.thawed && k.ratio > 1.0, "{k:?}");
    }

    /// inverse ∘ forward = identity within 1e-9 for θ ∈ (0, φ].
    #[test]
    fn inverse_of_forward_is_identity(
        m in model(), s in soil(), fraction in 1e-4..=1.0f64, ddt in 10.0..5000.0f64
    ) {
        let phi = m.porosity(s.bulk_density).unwrap();
        let theta = fraction * phi;
        let fwd = m.stefan(&s, theta, ddt).unwrap();
        let inv = m.invert_subsidence(&s, fwd.subsidence, ddt).unwrap();
        prop_assert!((inv.theta - theta).abs() <= 1e-9, "θ {theta} → {}", inv.theta);
        prop_assert!(
            (inv.thaw_depth - fwd.thaw_depth).abs() <= 1e-9 * fwd.thaw_depth.max(1.0),
            "Z {} → {}", fwd.thaw_depth, inv.thaw_depth
        );
        prop_assert!((inv.kappa_thawed - fwd.kappa_thawed).abs() <= 1e-9);
        prop_assert!(inv.iterations <= 30, "{} iterations", inv.iterations);
    }

    /// forward ∘ inverse = identity: any amplitude the inverse explains is
    /// reproduced by the forward model.
    #[test]
    fn forward_of_inverse_reproduces_amplitude(
        m in model(), s in soil(), amplitude in 1e-4..0.2f64, ddt in 10.0..5000.0f64
    ) {
        if let Ok(inv) = m.invert_subsidence(&s, amplitude, ddt) {
            let phi = m.porosity(s.bulk_density).unwrap();
            prop_assert!(inv.theta > 0.0 && inv.theta <= phi);
            let fwd = m.stefan(&s, inv.theta, ddt).unwrap();
            prop_assert!((fwd.subsidence - amplitude).abs() <= 1e-12 * amplitude.max(1e-3));
        }
    }

    /// A NaN in any input gives NaN in every output, never an error.
    #[test]
    fn nan_propagates(
        m in model(), s in soil(), theta in 0.0..0.5f64, ddt in 10.0..3000.0f64,
        which in 0usize..4
    ) {
        let mut x = [s.bulk_density, s.sand, theta, ddt];
        x[which] = f64::NAN;
        let soil = Soil::new(x[0], x[1]);
        if which < 3 {
            prop_assert!(m.conductivity(&soil, x[2], Phase::Thawed).unwrap().is_nan());
            prop_assert!(m.conductivity(&soil, x[2], Phase::Frozen).unwrap().is_nan());
            let k = m.conductivities(&soil, x[2], x[2]).unwrap();
            prop_assert!(k.thawed.is_nan() && k.frozen.is_nan() && k.ratio.is_nan());
        }
        let f = m.stefan(&soil, x[2], x[3]).unwrap();
        prop_assert!(f.thaw_depth.is_nan() && f.subsidence.is_nan());
        // For the inverse the third input is the amplitude.
        let inv = m.invert_subsidence(&soil, x[2] * 0.1, x[3]).unwrap();
        prop_assert!(inv.theta.is_nan() && inv.thaw_depth.is_nan() && inv.kappa_thawed.is_nan());
    }

    /// Raster results equal the scalar results element by element, serial
    /// and parallel alike, with NaN pixels mixed in and a broadcast scalar.
    #[test]
    fn raster_equals_scalar(
        m in model(),
        rows in 1usize..6, cols in 1usize..7,
        seed in proptest::collection::vec((200.0..2300.0f64, 0.0..=1.0f64, 0.0..0.6f64, 0.0..0.6f64), 42),
        nan_at in 0usize..42,
        ddt in 100.0..3000.0f64,
    ) {
        let n = rows * cols;
        let pick = |f: fn(&(f64, f64, f64, f64)) -> f64| {
            let mut v: Vec<f64> = seed[..n].iter().map(f).collect();
            if nan_at < n { v[nan_at] = f64::NAN; }
            Array2::from_shape_vec((rows, cols), v).unwrap()
        };
        let bulk = pick(|s| s.0);
        let sand = pick(|s| s.1);
        let tt = pick(|s| s.2);
        let tf = pick(|s| s.3);
        let serial = Params::clone(m.params()).with_parallel(false).build().unwrap();
        let parallel = Params::clone(m.params()).with_parallel(true).build().unwrap();
        let ks = serial.conductivities_raster(&bulk, &sand, &tt, &tf).unwrap();
        let kp = parallel.conductivities_raster(&bulk, &sand, &tt, &tf).unwrap();
        let st = parallel.stefan_raster(&bulk, &sand, &tt, ddt).unwrap();
        let kf = parallel.conductivity_raster(&bulk, &sand, &tf, Phase::Frozen).unwrap();
        for r in 0..rows {
            for c in 0..cols {
                let soil = Soil::new(bulk[[r, c]], sand[[r, c]]);
                let k = m.conductivities(&soil, tt[[r, c]], tf[[r, c]]).unwrap();
                for (raster, scalar) in [
                    (ks.thawed[[r, c]], k.thawed), (ks.frozen[[r, c]], k.frozen),
                    (ks.ratio[[r, c]], k.ratio), (kp.thawed[[r, c]], k.thawed),
                    (kp.frozen[[r, c]], k.frozen), (kp.ratio[[r, c]], k.ratio),
                    (kf[[r, c]], k.frozen),
                ] {
                    prop_assert!(raster.to_bits() == scalar.to_bits(), "({r}, {c}): {raster} vs {scalar}");
                }
                let s = m.stefan(&soil, tt[[r, c]], ddt).unwrap();
                prop_assert!(st.thaw_depth[[r, c]].to_bits() == s.thaw_depth.to_bits());
                prop_assert!(st.subsidence[[r, c]].to_bits() == s.subsidence.to_bits());
            }
        }
        // The inverse raster (unexplainable pixels as NaN) equals the scalar inverse.
        let lenient = Params::clone(m.params())
            .with_on_no_solution(thermo_johansen::OnNoSolution::Nan)
            .build()
            .unwrap();
        let amp = st.subsidence.mapv(|d| d * 0.9);
        let inv = lenient.invert_subsidence_raster(&bulk, &sand, &amp, ddt).unwrap();
        for ((r, c), &theta) in inv.theta.indexed_iter() {
            let x = lenient
                .invert_subsidence(&Soil::new(bulk[[r, c]], sand[[r, c]]), amp[[r, c]], ddt)
                .unwrap();
            prop_assert!(theta.to_bits() == x.theta.to_bits());
            prop_assert!(inv.thaw_depth[[r, c]].to_bits() == x.thaw_depth.to_bits());
        }
    }
}
