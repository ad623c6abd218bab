//! Hand-computed reference values (SCIENCE.md §1) for nine soils spanning
//! sand / clay, dry / saturated, frozen / thawed, and the three quartz
//! mappings. The arithmetic is written out in the comments; the digits were
//! evaluated with CPython 3 float arithmetic by
//! `xtask/reference/thermo-johansen/johansen_reference.py` (which also prints
//! every intermediate), but the test needs no Python.

use approx::assert_relative_eq;
use thermo_johansen::{Johansen, Params, Phase, QuartzMapping, Soil, Texture};

/// Expected intermediates of one evaluation.
struct Expected {
    porosity: f64,
    saturation: f64,
    quartz: f64,
    kappa_solids: f64,
    kappa_saturated: f64,
    kappa_dry: f64,
    texture: Texture,
    kersten: f64,
    kappa: f64,
}

fn check(model: &Johansen, soil: Soil, theta: f64, phase: Phase, e: &Expected) {
    let t = model.terms(&soil, theta, phase).unwrap();
    let tol = 1e-13;
    assert_relative_eq!(t.porosity, e.porosity, max_relative = tol);
    assert_relative_eq!(t.saturation, e.saturation, max_relative = tol);
    assert_relative_eq!(t.quartz, e.quartz, max_relative = tol);
    assert_relative_eq!(t.kappa_solids, e.kappa_solids, max_relative = tol);
    assert_relative_eq!(t.kappa_saturated, e.kappa_saturated, max_relative = tol);
    assert_relative_eq!(t.kappa_dry, e.kappa_dry, max_relative = tol);
    assert_eq!(t.texture, e.texture);
    assert_relative_eq!(t.kersten, e.kersten, max_relative = tol, epsilon = 1e-300);
    assert_relative_eq!(t.kappa, e.kappa, max_relative = tol);
    // The short form agrees with the terms.
    assert_eq!(model.conductivity(&soil, theta, phase).unwrap(), t.kappa);
}

/// S1 — dry sand, thawed. ρ_b = 1600, sand = 0.9, θ = 0.01.
/// φ = 1 − 1600/2650 = 0.396226415…; S_r = 0.01/φ = 0.0252381 ≤ 0.05 and sand
/// ≥ 0.5 (coarse) → Ke = 0. q = 0.9 > 0.2 → κ_o = 2:
/// κ_s = 7.7^0.9·2^0.1 = 6.2782941·1.0717735 = 6.7289090;
/// κ_sat = κ_s^(1−φ)·0.57^φ = 3.1614849·0.8003338 = 2.5302433;
/// κ_dry = (0.135·1600 + 64.7)/(2700 − 0.947·1600) = 280.7/1184.8 = 0.2369176.
/// κ = κ_dry (Ke = 0).
#[test]
fn s1_dry_sand_thawed() {
    check(
        &Johansen::default(),
        Soil::new(1600.0, 0.9),
        0.01,
        Phase::Thawed,
        &Expected {
            porosity: 0.39622641509433965,
            saturation: 0.025238095238095237,
            quartz: 0.9,
            kappa_solids: 6.728908956058172,
            kappa_saturated: 2.530243279431986,
            kappa_dry: 0.23691762322754892,
            texture: Texture::Coarse,
            kersten: 0.0,
            kappa: 0.23691762322754892,
        },
    );
}

/// S2 — saturated sand, thawed. Same soil as S1, θ = 0.45 > φ = 0.396 →
/// S_r clamped to 1 → Ke = 0.7·log10 1 + 1 = 1 → κ = κ_sat = 2.5302433.
#[test]
fn s2_saturated_sand_thawed() {
    check(
        &Johansen::default(),
        Soil::new(1600.0, 0.9),
        0.45,
        Phase::Thawed,
        &Expected {
            porosity: 0.39622641509433965,
            saturation: 1.0,
            quartz: 0.9,
            kappa_solids: 6.728908956058172,
            kappa_saturated: 2.530243279431986,
            kappa_dry: 0.23691762322754892,
            texture: Texture::Coarse,
            kersten: 1.0,
            kappa: 2.530243279431986,
        },
    );
}

/// S3 — moist sand, frozen. ρ_b = 1500, sand = 0.8, θ = 0.2.
/// φ = 1 − 1500/2650 = 0.4339623; S_r = 0.2/φ = 0.4608696; frozen Ke = S_r.
/// κ_s = 7.7^0.8·2^0.2 = 5.1190878·1.1486984 = 5.8802878;
/// κ_sat(frozen) = κ_s^(1−φ)·2.2^φ = 2.7258919·1.4079866 = 3.8380193;
/// κ_dry = (202.5 + 64.7)/(2700 − 1420.5) = 267.2/1279.5 = 0.2088316;
/// κ = (3.8380193 − 0.2088316)·0.4608696 + 0.2088316 = 1.8814137.
#[test]
fn s3_moist_sand_frozen() {
    check(
        &Johansen::default(),
        Soil::new(1500.0, 0.8),
        0.2,
        Phase::Frozen,
        &Expected {
            porosity: 0.4339622641509434,
            saturation: 0.4608695652173913,
            quartz: 0.8,
            kappa_solids: 5.880287758301282,
            kappa_saturated: 3.838019276391624,
            kappa_dry: 0.20883157483391948,
            texture: Texture::Coarse,
            kersten: 0.4608695652173913,
            kappa: 1.8814137329431224,
        },
    );
}

/// S4 — moist clay, thawed. ρ_b = 1300, sand = 0.1 (fine), θ = 0.3.
/// φ = 1 − 1300/2650 = 0.5094340; S_r = 0.3/φ = 0.5888889;
/// fine Ke = log10 0.5888889 + 1 = −0.2299666 + 1 = 0.7700334.
/// q = 0.1 ≤ 0.2 → κ_o = 3: κ_s = 7.7^0.1·3^0.9 = 1.2264478·2.6878754 = 3.2965389;
/// κ_sat = κ_s^(1−φ)·0.57^φ = 1.7953195·0.7509904 = 1.3482677;
/// κ_dry = (175.5 + 64.7)/(2700 − 1231.1) = 240.2/1468.9 = 0.1635237;
/// κ = (1.3482677 − 0.1635237)·0.7700334 + 0.1635237 = 1.0758161.
#[test]
fn s4_moist_clay_thawed() {
    check(
        &Johansen::default(),
        Soil::new(1300.0, 0.1),
        0.3,
        Phase::Thawed,
        &Expected {
            porosity: 0.5094339622641509,
            saturation: 0.5888888888888889,
            quartz: 0.1,
            kappa_solids: 3.296538876236278,
            kappa_saturated: 1.3482676670815317,
            kappa_dry: 0.16352372523657158,
            texture: Texture::Fine,
            kersten: 0.7700333601614642,
            kappa: 1.0758160837063846,
        },
    );
}

/// S5 — saturated clay, frozen. Soil of S4, θ = 0.55 > φ → S_r = 1, Ke = 1;
/// κ = κ_sat(frozen) = κ_s^(1−φ)·2.2^φ = 1.7953195·1.4943136 = 2.6827704.
#[test]
fn s5_saturated_clay_frozen() {
    check(
        &Johansen::default(),
        Soil::new(1300.0, 0.1),
        0.55,
        Phase::Frozen,
        &Expected {
            porosity: 0.5094339622641509,
            saturation: 1.0,
            quartz: 0.1,
            kappa_solids: 3.296538876236278,
            kappa_saturated: 2.6827703780932173,
            kappa_dry: 0.16352372523657158,
            texture: Texture::Fine,
            kersten: 1.0,
            kappa: 2.6827703780932173,
        },
    );
}

/// S6 — dry loam, thawed, fine-soil dry branch. ρ_b = 1400, sand = 0.4
/// (fine), θ = 0.04. φ = 1 − 1400/2650 = 0.4716981; S_r = 0.04/φ = 0.0848 ≤ 0.1
/// → Ke = 0 → κ = κ_dry = (189 + 64.7)/(2700 − 1325.8) = 253.7/1374.2 = 0.1846165.
/// (q = 0.4: κ_s = 7.7^0.4·2^0.6 = 2.2625401·1.5157166 = 3.4293696;
/// κ_sat = 1.9175854·0.7670905 = 1.4709616.)
#[test]
fn s6_dry_loam_thawed() {
    check(
        &Johansen::default(),
        Soil::new(1400.0, 0.4),
        0.04,
        Phase::Thawed,
        &Expected {
            porosity: 0.4716981132075472,
            saturation: 0.0848,
            quartz: 0.4,
            kappa_solids: 3.4293695508945325,
            kappa_saturated: 1.4709616422870613,
            kappa_dry: 0.18461650414786784,
            texture: Texture::Fine,
            kersten: 0.0,
            kappa: 0.18461650414786784,
        },
    );
}

/// S7 — nearly dry silt, frozen, the S_r ≤ 1e-5 branch. ρ_b = 1350,
/// sand = 0.15, θ = 2e-6. φ = 1 − 1350/2650 = 0.4905660; S_r = 2e-6/φ =
/// 4.0769e-6 ≤ 1e-5 → κ = κ_dry = (182.25 + 64.7)/(2700 − 1278.45) =
/// 246.95/1421.55 = 0.1737188, although Ke = S_r = 4.08e-6 (without the
/// branch κ would be κ_dry + 2.595·4.08e-6 = 0.1737294).
/// q = 0.15 ≤ 0.2 → κ_o = 3: κ_s = 7.7^0.15·3^0.85 = 1.3582309·2.5442107 =
/// 3.4556255; κ_sat(frozen) = 1.8808050·1.4722479 = 2.7690112.
#[test]
fn s7_nearly_dry_silt_frozen_below_branch() {
    check(
        &Johansen::default(),
        Soil::new(1350.0, 0.15),
        2e-6,
        Phase::Frozen,
        &Expected {
            porosity: 0.49056603773584906,
            saturation: 4.076923076923076e-6,
            quartz: 0.15,
            kappa_solids: 3.455625541105229,
            kappa_saturated: 2.769011221488128,
            kappa_dry: 0.1737188280398157,
            texture: Texture::Fine,
            kersten: 4.076923076923076e-6,
            kappa: 0.1737188280398157,
        },
    );
}

/// S7b — same soil, θ = 1e-5: S_r = 2.0385e-5 > 1e-5 →
/// κ = (2.7690112 − 0.1737188)·2.0385e-5 + 0.1737188 = 0.1737717.
#[test]
fn s7b_nearly_dry_silt_frozen_above_branch() {
    check(
        &Johansen::default(),
        Soil::new(1350.0, 0.15),
        1e-5,
        Phase::Frozen,
        &Expected {
            porosity: 0.49056603773584906,
            saturation: 2.0384615384615387e-5,
            quartz: 0.15,
            kappa_solids: 3.455625541105229,
            kappa_saturated: 2.769011221488128,
            kappa_dry: 0.1737188280398157,
            texture: Texture::Fine,
            kersten: 2.0384615384615387e-5,
            kappa: 0.17377173207706675,
        },
    );
}

/// S8 — organic loam, thawed, capped quartz q = min(0.8, 0.92·0.3) = 0.276.
/// ρ_b = 900, sand = 0.3 (fine), θ = 0.4. φ = 1 − 900/2650 = 0.6603774;
/// S_r = 0.4/φ = 0.6057143; Ke = log10 0.6057143 + 1 = 0.7822678.
/// κ_o = 2: κ_s = 7.7^0.276·2^0.724 = 1.7565942·1.6517553 = 2.9014638;
/// κ_sat = 1.4358705·0.6898986 = 0.9906051;
/// κ_dry = (121.5 + 64.7)/(2700 − 852.3) = 186.2/1847.7 = 0.1007739;
/// κ = (0.9906051 − 0.1007739)·0.7822678 + 0.1007739 = 0.7968602.
#[test]
fn s8_organic_loam_capped_quartz() {
    let model = Params::new()
        .with_quartz(QuartzMapping::CAPPED)
        .build()
        .unwrap();
    check(
        &model,
        Soil::new(900.0, 0.3),
        0.4,
        Phase::Thawed,
        &Expected {
            porosity: 0.6603773584905661,
            saturation: 0.6057142857142856,
            quartz: 0.276,
            kappa_solids: 2.9014638035552323,
            kappa_saturated: 0.9906050620413961,
            kappa_dry: 0.10077393516263464,
            texture: Texture::Fine,
            kersten: 0.7822678165784758,
            kappa: 0.796860187909648,
        },
    );
}

/// S9 — moist sand, thawed, q = 0.5·sand = 0.4 (sand 0.8 stays coarse).
/// ρ_b = 1500, θ = 0.2: φ = 0.4339623, S_r = 0.4608696;
/// Ke = 0.7·log10 0.4608696 + 1 = 0.7·(−0.3364220) + 1 = 0.7645046;
/// κ_s = 7.7^0.4·2^0.6 = 3.4293696; κ_sat = 2.0088684·0.7835359 = 1.5740205;
/// κ_dry = 0.2088316 (as S3);
/// κ = (1.5740205 − 0.2088316)·0.7645046 + 0.2088316 = 1.2525248.
#[test]
fn s9_moist_sand_half_sand_quartz() {
    let model = Params::new()
        .with_quartz(QuartzMapping::HalfSand)
        .build()
        .unwrap();
    check(
        &model,
        Soil::new(1500.0, 0.8),
        0.2,
        Phase::Thawed,
        &Expected {
            porosity: 0.4339622641509434,
            saturation: 0.4608695652173913,
            quartz: 0.4,
            kappa_solids: 3.4293695508945325,
            kappa_saturated: 1.5740204956660848,
            kappa_dry: 0.20883157483391948,
            texture: Texture::Coarse,
            kersten: 0.7645046204730241,
            kappa: 1.2525248126286914,
        },
    );
}

/// κ_f/κ_t for the clay of S4/S5: 2.6827704/1.0758161 = 2.4937073.
#[test]
fn ratio_thawed_frozen_clay() {
    let k = Johansen::default()
        .conductivities(&Soil::new(1300.0, 0.1), 0.3, 0.55)
        .unwrap();
    assert_relative_eq!(k.thawed, 1.0758160837063846, max_relative = 1e-13);
    assert_relative_eq!(k.frozen, 2.6827703780932173, max_relative = 1e-13);
    assert_relative_eq!(k.ratio, 2.4937072597488776, max_relative = 1e-13);
}

/// The particle density is a parameter: with ρ_s = 2700 (CLM), the clay of S4
/// has φ = 1 − 1300/2700 = 0.5185185 and S_r = 0.3/φ = 0.5785714.
#[test]
fn particle_density_parameter_changes_porosity() {
    let model = Params::new().with_particle_density(2700.0).build().unwrap();
    let t = model
        .terms(&Soil::new(1300.0, 0.1), 0.3, Phase::Thawed)
        .unwrap();
    assert_relative_eq!(t.porosity, 1.0 - 1300.0 / 2700.0, max_relative = 1e-15);
    assert_relative_eq!(
        t.saturation,
        0.3 / (1.0 - 1300.0 / 2700.0),
        max_relative = 1e-15
    );
}

/// A texture rule that makes the S4 clay coarse changes its Kersten number:
/// Ke = 0.7·log10 0.5888889 + 1 = 0.7·(−0.2299666) + 1 = 0.8390233.
#[test]
fn texture_rule_parameter_selects_kersten() {
    let model = Params::new()
        .with_texture_rule(thermo_johansen::TextureRule::AllCoarse)
        .build()
        .unwrap();
    let t = model
        .terms(&Soil::new(1300.0, 0.1), 0.3, Phase::Thawed)
        .unwrap();
    assert_eq!(t.texture, Texture::Coarse);
    assert_relative_eq!(
        t.kersten,
        0.7 * (-0.2299666398385358) + 1.0,
        max_relative = 1e-13
    );
}

/// Stefan, S4 clay, θ = 0.3, DDT = 1500 °C·day, n_t = 1:
/// Z = sqrt(2·1.0758161·1500·86400/(1000·3.34e5·0.3)) = sqrt(2.7829490) = 1.6682174 m;
/// d = (1000/917 − 1)·0.3·Z = 0.0905125·0.3·1.6682174 = 0.0452984 m.
#[test]
fn stefan_clay() {
    let s = Johansen::default()
        .stefan(&Soil::new(1300.0, 0.1), 0.3, 1500.0)
        .unwrap();
    assert_relative_eq!(s.kappa_thawed, 1.0758160837063846, max_relative = 1e-13);
    assert_relative_eq!(s.thaw_depth, 1.6682174289302267, max_relative = 1e-13);
    assert_relative_eq!(s.subsidence, 0.04529837947694942, max_relative = 1e-13);
}

/// Stefan, S2 saturated sand, θ = 0.45, DDT = 900, n_t = 0.8:
/// Z = sqrt(2·2.5302433·0.8·900·86400/(1000·3.34e5·0.45)) = 1.4472374 m;
/// d = 0.0905125·0.45·1.4472374 = 0.0589469 m.
#[test]
fn stefan_saturated_sand_with_n_factor() {
    let model = Params::new().with_n_factor(0.8).build().unwrap();
    let s = model.stefan(&Soil::new(1600.0, 0.9), 0.45, 900.0).unwrap();
    assert_relative_eq!(s.thaw_depth, 1.4472373660546003, max_relative = 1e-13);
    assert_relative_eq!(s.subsidence, 0.058946909075397264, max_relative = 1e-13);
}

/// Inverse of the two Stefan cases, and of a fine soil just above its dry
/// limit (θ = 0.06, S_r = 0.1178, where the plain fixed point would diverge:
/// elasticity (1.3483 − 0.1635)/(ln 10·0.2477) ≈ 2.1 > 1).
#[test]
fn inverse_recovers_reference_states() {
    let model = Johansen::default();
    let inv = model
        .invert_subsidence(&Soil::new(1300.0, 0.1), 0.04529837947694942, 1500.0)
        .unwrap();
    assert_relative_eq!(inv.theta, 0.3, max_relative = 1e-12);
    assert_relative_eq!(inv.thaw_depth, 1.6682174289302267, max_relative = 1e-12);
    assert_relative_eq!(inv.kappa_thawed, 1.0758160837063846, max_relative = 1e-12);

    // d = 0.0089461… for θ = 0.06 after DDT = 1200: Z = 1.6009963 m,
    // κ_t = 0.2477156 (Ke = log10(0.06/0.5094340) + 1 = 0.0711).
    let inv = model
        .invert_subsidence(&Soil::new(1300.0, 0.1), 0.008694614359894956, 1200.0)
        .unwrap();
    assert_relative_eq!(inv.theta, 0.06, max_relative = 1e-12);
    assert_relative_eq!(inv.thaw_depth, 1.6009962586392932, max_relative = 1e-12);
    assert_relative_eq!(inv.kappa_thawed, 0.24771560553794067, max_relative = 1e-12);
    assert!(
        inv.iterations > 1 && inv.iterations < 20,
        "{}",
        inv.iterations
    );

    // The S2 sand at θ = φ (saturated, the largest explainable amplitude):
    // θ = 0.45 of the forward case exceeds φ = 0.396, so its amplitude is not
    // explainable by θ ≤ φ; θ = φ itself is recovered exactly.
    let model = Params::new().with_n_factor(0.8).build().unwrap();
    let sand = Soil::new(1600.0, 0.9);
    let phi = 1.0 - 1600.0 / 2650.0;
    let d = model.stefan(&sand, phi, 900.0).unwrap().subsidence;
    let inv = model.invert_subsidence(&sand, d, 900.0).unwrap();
    assert_eq!(inv.theta, phi, "saturated end: θ = φ");
    assert!(model
        .invert_subsidence(&sand, 0.058946909075397264, 900.0)
        .is_err());
}

/// Amplitudes no θ ∈ (0, φ] explains, for the S1 sand after DDT = 1000:
/// the largest is d(φ) = 0.0905125·sqrt(φ·κ_sat·2·1000·86400/(1000·3.34e5))
/// = 0.0651869 m; the Kersten jump at S_r = 0.05 leaves
/// (0.0044603 m, 0.0060899 m) unexplained.
#[test]
fn inverse_reports_unexplainable_amplitudes() {
    use thermo_johansen::Error;
    let model = Johansen::default();
    let sand = Soil::new(1600.0, 0.9);
    match model.invert_subsidence(&sand, 0.07, 1000.0) {
        Err(Error::AmplitudeTooLarge {
            amplitude,
            max_amplitude,
            ..
        }) => {
            assert_eq!(amplitude, 0.07);
            assert_relative_eq!(max_amplitude, 0.06518688747120428, max_relative = 1e-13);
        }
        other => panic!("expected AmplitudeTooLarge, got {other:?}"),
    }
    match model.invert_subsidence(&sand, 0.005, 1000.0) {
        Err(Error::AmplitudeInKerstenGap { low, high, .. }) => {
            assert_relative_eq!(low, 0.004460286857258671, max_relative = 1e-13);
            assert_relative_eq!(high, 0.006089895467922718, max_relative = 1e-13);
        }
        other => panic!("expected AmplitudeInKerstenGap, got {other:?}"),
    }
    let e = model.invert_subsidence(&sand, 0.07, 1000.0).unwrap_err();
    assert!(e.to_string().contains("amplitude = 0.07"), "{e}");
    // Just below and above the gap there are solutions.
    let below = model.invert_subsidence(&sand, 0.0044, 1000.0).unwrap();
    assert!(below.saturation < 0.05);
    let above = model.invert_subsidence(&sand, 0.0061, 1000.0).unwrap();
    assert!(above.saturation > 0.05);
    // With OnNoSolution::Nan the same amplitudes give NaN.
    let lenient = Params::new()
        .with_on_no_solution(thermo_johansen::OnNoSolution::Nan)
        .build()
        .unwrap();
    assert!(lenient
        .invert_subsidence(&sand, 0.07, 1000.0)
        .unwrap()
        .theta
        .is_nan());
    assert!(lenient
        .invert_subsidence(&sand, 0.005, 1000.0)
        .unwrap()
        .theta
        .is_nan());
}
