//! Acceptance: bad input gives clear errors (naming the input, index or
//! value) or documented `NaN` outputs.

mod common;

use chrono::NaiveDate;
use common::{default_network, regular_dates, synthetic};
use insar_sbas::{
    deramp, mask_low_coherence, subtract_delay, subtract_reference, DelayUnit, Error,
    InversionParams, Network, NetworkParams, PixelStatus, Ramp, ReferencePoint, Weighting,
};
use ndarray::{Array2, Array3};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn dates_that_do_not_match_the_stack() {
    let dates = vec![d("2017-01-01"), d("2017-01-13"), d("2017-01-25")];
    // A pair date that is not an acquisition date.
    let e = Network::from_date_pairs(
        &dates,
        &[
            (d("2017-01-01"), d("2017-01-13")),
            (d("2017-01-13"), d("2017-01-26")),
        ],
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::UnknownDate {
            pair: 1,
            date: d("2017-01-26"),
            n_dates: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "pair 1: date 2017-01-26 is not among the 3 acquisition dates"
    );
    // Unsorted dates.
    let e = Network::from_date_pairs(&[d("2017-01-13"), d("2017-01-01")], &[]).unwrap_err();
    assert!(
        e.to_string().contains("date 1 (2017-01-01) is not after"),
        "{e}"
    );
    // A stack with more interferograms than the network has pairs.
    let net = default_network(&regular_dates(10, 12));
    let stack = Array3::<f64>::zeros((net.n_pairs() + 1, 2, 2));
    let e = InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, stack.view(), None)
        .unwrap_err();
    match &e {
        Error::ShapeMismatch {
            input,
            found,
            expected,
            ..
        } => {
            assert_eq!(*input, "phase");
            assert_eq!(found[0], net.n_pairs() + 1);
            assert_eq!(expected[0], net.n_pairs());
        }
        other => panic!("{other}"),
    }
    // One pixel with a phase vector of the wrong length.
    let e = InversionParams::new()
        .build()
        .unwrap()
        .invert_pixel(&net, &[0.0; 3], None)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::LengthMismatch {
                input: "phase",
                found: 3,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn coherence_of_another_shape_or_missing() {
    let net = default_network(&regular_dates(10, 12));
    let syn = synthetic(net.clone(), 2, 3, 0.1, 0.0, 1);
    let inv = InversionParams::new()
        .with_weighting(Weighting::Fisher)
        .build()
        .unwrap();
    let coh = Array3::<f64>::from_elem((net.n_pairs(), 3, 2), 0.5);
    let e = inv
        .invert(&net, syn.phase.view(), Some(coh.view()))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "coherence has shape [{m}, 3, 2], but [{m}, 2, 3] is needed (the shape of the phase stack)",
            m = net.n_pairs()
        )
    );
    let e = inv.invert(&net, syn.phase.view(), None).unwrap_err();
    assert_eq!(e, Error::MissingCoherence { weighting: "fim" });
    // Unweighted inversions ignore the coherence, whatever its shape.
    assert!(InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, syn.phase.view(), Some(coh.view()))
        .is_ok());
    let e = mask_low_coherence(syn.phase.clone().view_mut(), coh.view(), 0.3).unwrap_err();
    assert!(matches!(
        e,
        Error::ShapeMismatch {
            input: "coherence",
            ..
        }
    ));
}

#[test]
fn all_nan_pixels_give_documented_nan_outputs() {
    let net = default_network(&regular_dates(10, 12));
    let mut syn = synthetic(net.clone(), 2, 2, 0.1, 0.0, 2);
    syn.phase.slice_mut(ndarray::s![.., 1, 0]).fill(f64::NAN);
    for w in [Weighting::No, Weighting::Variance] {
        let ts = InversionParams::new()
            .with_weighting(w)
            .build()
            .unwrap()
            .invert(&net, syn.phase.view(), Some(syn.coherence.view()))
            .unwrap();
        assert_eq!(ts.status[[1, 0]], PixelStatus::NoData);
        assert!(ts
            .phase
            .slice(ndarray::s![.., 1, 0])
            .iter()
            .all(|v| v.is_nan()));
        assert!(ts.temporal_coherence[[1, 0]].is_nan());
        assert!(ts.residual_rms[[1, 0]].is_nan());
        assert_eq!(
            (ts.n_used[[1, 0]], ts.rank[[1, 0]], ts.components[[1, 0]]),
            (0, 0, 0)
        );
        assert_eq!(ts.count(PixelStatus::Inverted), 3);
        assert_eq!(ts.count(PixelStatus::NoData), 1);
    }
}

#[test]
fn invalid_parameters_are_named() {
    let e = InversionParams::new().with_rcond(1.5).build().unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "rcond", .. }),
        "{e}"
    );
    let e = InversionParams::new()
        .with_looks(f64::NAN)
        .build()
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidParameter { name: "looks", .. }),
        "{e}"
    );
    let e = InversionParams::new()
        .with_irls_epsilon(0.0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "irls_epsilon",
                ..
            }
        ),
        "{e}"
    );
    let e = InversionParams::new()
        .with_block_pixels(0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidParameter {
                name: "block_pixels",
                ..
            }
        ),
        "{e}"
    );
    let e = "huber".parse::<Weighting>().unwrap_err();
    assert!(e.to_string().contains("`no`, `coh`, `fim`, `var`"), "{e}");
    let e = NetworkParams::new()
        .with_max_perp_baseline_m(Some(-3.0))
        .build()
        .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidParameter {
            name: "max_perp_baseline_m",
            ..
        }
    ));
    let rule = NetworkParams::new().build().unwrap();
    let dates = regular_dates(5, 12);
    let e = rule.select(&dates, Some(&[0.0; 4])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "perp_baselines_m has 4 values, but 5 are needed (one baseline per date)"
    );
    let e = rule
        .select(&dates, Some(&[0.0, 1.0, f64::NAN, 2.0, 3.0]))
        .unwrap_err();
    assert!(matches!(
        e,
        Error::NonFinite {
            input: "perp_baselines_m",
            index: 2,
            ..
        }
    ));
    let e = rule.select(&dates[..1], None).unwrap_err();
    assert!(matches!(e, Error::TooFewDates { found: 1, .. }));
}

#[test]
fn preparation_errors_name_the_interferogram() {
    let net = default_network(&regular_dates(6, 12));
    let mut stack = Array3::<f32>::from_elem((net.n_pairs(), 4, 5), 1.0);
    stack[[2, 1, 1]] = f32::NAN;
    let e =
        subtract_reference(stack.view_mut(), ReferencePoint::Pixel { row: 1, col: 1 }).unwrap_err();
    assert_eq!(
        e.to_string(),
        "interferogram 2: the reference pixel at (row 1, col 1) has no valid value"
    );
    assert_eq!(stack[[0, 0, 0]], 1.0, "stack unchanged after an error");
    let e =
        subtract_reference(stack.view_mut(), ReferencePoint::Pixel { row: 4, col: 0 }).unwrap_err();
    assert!(matches!(
        e,
        Error::ReferenceOutOfBounds {
            row: 4,
            rows: 4,
            ..
        }
    ));
    // A window survives one missing pixel.
    assert!(subtract_reference(
        stack.view_mut(),
        ReferencePoint::Window {
            row: 1,
            col: 1,
            half_size: 1
        }
    )
    .is_ok());

    let mut mask = Array2::from_elem((4, 5), false);
    mask[[0, 0]] = true;
    mask[[0, 1]] = true;
    let e = deramp(stack.view_mut(), Some(mask.view()), Ramp::Plane).unwrap_err();
    assert_eq!(
        e.to_string(),
        "interferogram 0: 2 valid pixels on the mask, at least 3 are needed to fit a plane ramp"
    );
    let e = deramp(
        stack.view_mut(),
        Some(Array2::from_elem((5, 4), true).view()),
        Ramp::Plane,
    )
    .unwrap_err();
    assert!(matches!(e, Error::ShapeMismatch { input: "mask", .. }));

    let delay = Array3::<f32>::zeros((net.n_dates() + 1, 4, 5));
    let e = subtract_delay(stack.view_mut(), &net, delay.view(), DelayUnit::Radians).unwrap_err();
    assert!(
        matches!(e, Error::ShapeMismatch { input: "delay", .. }),
        "{e}"
    );
}

#[test]
fn low_redundancy_pixels_are_reported() {
    let net = default_network(&regular_dates(10, 12));
    let mut syn = synthetic(net.clone(), 1, 2, 0.1, 0.0, 3);
    // Every interferogram touching date 4 is missing at pixel (0, 1).
    for (k, p) in net.pairs().iter().enumerate() {
        if p.reference == 4 || p.secondary == 4 {
            syn.phase[[k, 0, 1]] = f64::NAN;
        }
    }
    let ts = InversionParams::new()
        .build()
        .unwrap()
        .invert(&net, syn.phase.view(), None)
        .unwrap();
    assert_eq!(ts.status[[0, 0]], PixelStatus::Inverted);
    assert_eq!(ts.status[[0, 1]], PixelStatus::LowRedundancy);
    assert!(ts.phase[[5, 0, 1]].is_nan());
    assert_eq!(ts.n_used[[0, 1]], 0);
}
