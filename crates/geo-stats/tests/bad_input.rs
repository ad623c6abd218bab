//! Bad input gives errors that name what is wrong (never a panic).

use geo_stats::agreement::adjusted_rand_index;
use geo_stats::boxstats::{box_stats, BinSpec, BoxStatsParams};
use geo_stats::correlation::{correlation_matrix, fisher_z_average, pearson};
use geo_stats::discretize::{
    discretize, optimal_discretization, DiscretizationMethod, OptimalDiscretizationParams,
};
use geo_stats::geodetector::{GeodetectorParams, SingletonStrata, Strata};
use geo_stats::ks::{ks_2samp, ks_bootstrap, KsBootstrapParams, KsParams, Resampling};
use geo_stats::silhouette::silhouette_score;
use geo_stats::spatial::{empirical_variogram, standard_distance, VariogramParams};
use geo_stats::GeoStatsError;
use ndarray::{array, Array2};

fn gd() -> geo_stats::geodetector::Geodetector {
    GeodetectorParams::new().build().unwrap()
}

#[test]
fn empty_strata_and_inputs() {
    let empty: [&str; 0] = [];
    let e = Strata::from_labels(&empty).unwrap_err();
    assert!(matches!(e, GeoStatsError::EmptyInput { .. }), "{e}");
    assert!(e.to_string().contains("strata"), "{e}");
    let x = Strata::from_labels(&["a", "b"]).unwrap();
    let e = gd().factor(&[], &x).unwrap_err();
    assert_eq!(e, GeoStatsError::EmptyInput { what: "y".into() });
    let e = ks_2samp(&[], &[1.0], &KsParams::new()).unwrap_err();
    assert_eq!(e.to_string(), "sample 1 is empty");
}

#[test]
fn single_stratum_is_rejected() {
    let y = [1.0, 2.0, 3.0, 4.0];
    let x = Strata::from_labels(&["a", "a", "a", "a"]).unwrap();
    let e = gd().factor(&y, &x).unwrap_err();
    assert_eq!(
        e,
        GeoStatsError::TooFewStrata {
            what: "x".into(),
            found: 1,
            needed: 2
        }
    );
    // Two strata, but one is a singleton that is dropped: one stratum left.
    let x = Strata::from_labels(&["a", "a", "a", "b"]).unwrap();
    let e = gd().factor(&y, &x).unwrap_err();
    assert!(
        matches!(e, GeoStatsError::TooFewStrata { found: 1, .. }),
        "{e}"
    );
    // Kept, it is fine.
    let keep = GeodetectorParams::new()
        .with_singletons(SingletonStrata::Keep)
        .build()
        .unwrap();
    assert!(keep.factor(&y, &x).is_ok());
    // Every observation its own stratum: no degrees of freedom.
    let x = Strata::from_codes(&[0, 1, 2, 3]).unwrap();
    let e = keep.factor(&y, &x).unwrap_err();
    assert!(
        matches!(
            e,
            GeoStatsError::TooFewSamples {
                found: 4,
                needed: 5,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn nan_only_and_non_finite_inputs() {
    let x = Strata::from_labels(&["a", "a", "b", "b"]).unwrap();
    let e = gd().factor(&[f64::NAN; 4], &x).unwrap_err();
    assert_eq!(e, GeoStatsError::AllNan { what: "y".into() });
    let e = gd()
        .factor(&[1.0, f64::INFINITY, 2.0, 3.0], &x)
        .unwrap_err();
    assert!(
        matches!(e, GeoStatsError::NonFinite { index: 1, .. }),
        "{e}"
    );
    assert_eq!(e.to_string(), "y[1] = inf is not finite");
    let e = ks_2samp(&[1.0, f64::NAN], &[1.0], &KsParams::new()).unwrap_err();
    assert_eq!(e.to_string(), "sample 1[1] = NaN is not finite");
    let e = ks_2samp(&[1.0], &[f64::NAN, f64::NAN], &KsParams::new()).unwrap_err();
    assert_eq!(
        e,
        GeoStatsError::AllNan {
            what: "sample 2".into()
        }
    );
    let e = pearson(&[f64::NAN; 3], &[1.0, 2.0, 3.0]).unwrap_err();
    assert_eq!(e, GeoStatsError::AllNan { what: "x".into() });
    let data = array![[1.0, f64::NAN], [2.0, f64::NAN], [3.0, f64::NAN]];
    let e = correlation_matrix(data.view()).unwrap_err();
    assert_eq!(
        e,
        GeoStatsError::AllNan {
            what: "column 1".into()
        }
    );
    let e = discretize(&[1.0, f64::NAN, 2.0], DiscretizationMethod::Quantile, 3).unwrap_err();
    assert!(
        matches!(e, GeoStatsError::NonFinite { index: 1, .. }),
        "{e}"
    );
    let e = box_stats(
        &[f64::NAN; 3],
        &[1.0, 2.0, 3.0],
        &BinSpec::Width {
            width: 1.0,
            origin: 0.0,
        },
        &BoxStatsParams::new(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        GeoStatsError::AllNan {
            what: "response".into()
        }
    );
}

#[test]
fn mismatched_lengths() {
    let x = Strata::from_labels(&["a", "a", "b"]).unwrap();
    let e = gd().factor(&[1.0, 2.0, 3.0, 4.0], &x).unwrap_err();
    assert_eq!(
        e,
        GeoStatsError::LengthMismatch {
            what: "x".into(),
            expected: 4,
            found: 3
        }
    );
    assert_eq!(
        e.to_string(),
        "x: length 3 does not match the expected length 4"
    );
    let a = Strata::from_labels(&["a", "b"]).unwrap();
    let b = Strata::from_labels(&["a", "b", "c"]).unwrap();
    assert!(matches!(
        a.overlay(&b).unwrap_err(),
        GeoStatsError::LengthMismatch { .. }
    ));
    assert!(matches!(
        pearson(&[1.0, 2.0], &[1.0]).unwrap_err(),
        GeoStatsError::LengthMismatch { .. }
    ));
    assert!(matches!(
        adjusted_rand_index(&[1, 2], &[1]).unwrap_err(),
        GeoStatsError::LengthMismatch { .. }
    ));
    let e = optimal_discretization(
        &[1.0, 2.0],
        &[1.0, 2.0, 3.0],
        &OptimalDiscretizationParams::new(),
    )
    .unwrap_err();
    assert!(matches!(e, GeoStatsError::LengthMismatch { .. }), "{e}");
    let e = empirical_variogram(&[0.0, 1.0], &[0.0], &[1.0, 2.0], &VariogramParams::new(1.0))
        .unwrap_err();
    assert!(matches!(e, GeoStatsError::LengthMismatch { .. }), "{e}");
    let pts = Array2::<f64>::zeros((4, 2));
    assert!(matches!(
        silhouette_score(pts.view(), &[0, 1]).unwrap_err(),
        GeoStatsError::LengthMismatch { .. }
    ));
}

#[test]
fn constant_response_and_degenerate_factors() {
    let x = Strata::from_labels(&["a", "a", "b", "b"]).unwrap();
    let e = gd().factor(&[2.0; 4], &x).unwrap_err();
    assert!(matches!(e, GeoStatsError::ConstantInput { .. }), "{e}");
    // A constant factor cannot be discretised into two classes.
    let e = optimal_discretization(
        &[1.0, 2.0, 3.0, 4.0],
        &[5.0; 4],
        &OptimalDiscretizationParams::new(),
    )
    .unwrap_err();
    assert!(matches!(e, GeoStatsError::TooFewStrata { .. }), "{e}");
    let pts = array![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]];
    let e = silhouette_score(pts.view(), &[0, 0, 0]).unwrap_err();
    assert!(
        matches!(e, GeoStatsError::InvalidParameter { name: "labels", .. }),
        "{e}"
    );
}

#[test]
fn invalid_parameters() {
    let e = GeodetectorParams::new()
        .with_interaction_tolerance(-1.0)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            GeoStatsError::InvalidParameter {
                name: "interaction_tolerance",
                ..
            }
        ),
        "{e}"
    );
    let e = discretize(&[1.0, 2.0], DiscretizationMethod::EqualInterval, 1).unwrap_err();
    assert!(
        matches!(
            e,
            GeoStatsError::InvalidParameter {
                name: "classes",
                ..
            }
        ),
        "{e}"
    );
    let p = OptimalDiscretizationParams::new().with_class_range(5, 3);
    assert!(matches!(
        p.validate().unwrap_err(),
        GeoStatsError::InvalidParameter {
            name: "max_classes",
            ..
        }
    ));
    let e = ks_bootstrap(
        &[1.0, 2.0],
        &[3.0],
        &KsBootstrapParams::new().with_replicates(0),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            GeoStatsError::InvalidParameter {
                name: "replicates",
                ..
            }
        ),
        "{e}"
    );
    let e = ks_bootstrap(
        &[1.0, 2.0],
        &[3.0],
        &KsBootstrapParams::new()
            .with_size(2)
            .with_resampling(Resampling::WithoutReplacement),
    )
    .unwrap_err();
    assert!(
        matches!(e, GeoStatsError::InvalidParameter { name: "size", .. }),
        "{e}"
    );
    let e = box_stats(
        &[1.0],
        &[1.0],
        &BinSpec::Edges(vec![1.0, 1.0]),
        &BoxStatsParams::new(),
    )
    .unwrap_err();
    assert!(matches!(e, GeoStatsError::InvalidParameter { .. }), "{e}");
    let e = box_stats(
        &[1.0],
        &[1.0],
        &BinSpec::Width {
            width: 0.0,
            origin: 0.0,
        },
        &BoxStatsParams::new(),
    )
    .unwrap_err();
    assert!(matches!(e, GeoStatsError::InvalidParameter { .. }), "{e}");
    let e = empirical_variogram(
        &[0.0, 1.0],
        &[0.0, 1.0],
        &[1.0, 2.0],
        &VariogramParams::new(-1.0),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            GeoStatsError::InvalidParameter {
                name: "bin_width",
                ..
            }
        ),
        "{e}"
    );
    let e = standard_distance(&[0.0, 1.0], &[0.0, 1.0], Some(&[0.0, 0.0])).unwrap_err();
    assert!(
        matches!(
            e,
            GeoStatsError::InvalidParameter {
                name: "weights",
                ..
            }
        ),
        "{e}"
    );
    assert!(fisher_z_average(&[]).is_err());
}
