//! Bad input gives errors that name the input, index and value.

use cluster_ts::metrics::dtw;
use cluster_ts::{
    assign_with_sizes, silhouette_score, DbscanMetric, DbscanParams, DtwDba, Error, Euclidean,
    HistogramBins, HotspotParams, Init, KMeansParams, SizeBounds, SizeMethod,
};
use ndarray::{array, Array2};

#[test]
fn kmeans_k_greater_than_n() {
    let x = array![[0.0, 1.0], [1.0, 2.0]];
    let e = KMeansParams::new(3)
        .build()
        .unwrap()
        .fit(x.view(), &Euclidean)
        .unwrap_err();
    assert_eq!(
        e,
        Error::TooManyClusters {
            what: "data",
            k: 3,
            n: 2
        }
    );
    assert!(e.to_string().contains("k = 3"));
}

#[test]
fn kmeans_empty_input() {
    let x = Array2::<f64>::zeros((0, 4));
    let e = KMeansParams::new(1)
        .build()
        .unwrap()
        .fit(x.view(), &Euclidean)
        .unwrap_err();
    assert!(matches!(e, Error::EmptyInput { what: "data" }));
}

#[test]
fn kmeans_nan_series_names_row_and_date() {
    let mut x = Array2::from_shape_fn((5, 6), |(i, j)| (i + j) as f64);
    x[[3, 4]] = f64::NAN;
    let e = KMeansParams::new(2)
        .build()
        .unwrap()
        .fit(x.view(), &DtwDba::default())
        .unwrap_err();
    match e {
        Error::NonFinite {
            what,
            row,
            col,
            value,
        } => {
            assert_eq!((what, row, col), ("data", 3, 4));
            assert!(value.is_nan());
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn kmeans_bad_parameters() {
    assert!(matches!(
        KMeansParams::new(0).build(),
        Err(Error::InvalidParameter { name: "k", .. })
    ));
    assert!(matches!(
        KMeansParams::new(2).with_n_init(0).build(),
        Err(Error::InvalidParameter { name: "n_init", .. })
    ));
    assert!(matches!(
        KMeansParams::new(2).with_tol(f64::NAN).build(),
        Err(Error::InvalidParameter { name: "tol", .. })
    ));
    assert!(KMeansParams::new(2)
        .with_init(Init::Given(Array2::zeros((3, 2))))
        .build()
        .is_err());
    let km = KMeansParams::new(2)
        .with_init(Init::Given(Array2::zeros((2, 3))))
        .with_n_init(1)
        .build()
        .unwrap();
    assert!(matches!(
        km.fit(Array2::zeros((4, 2)).view(), &Euclidean),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn dbscan_eps_must_be_positive() {
    for eps in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = DbscanParams::new(eps).build().unwrap_err();
        assert!(
            matches!(e, Error::InvalidParameter { name: "eps", .. }),
            "{eps}: {e:?}"
        );
    }
    assert!(matches!(
        DbscanParams::new(1.0).with_min_samples(0).build(),
        Err(Error::InvalidParameter {
            name: "min_samples",
            ..
        })
    ));
}

#[test]
fn dbscan_bad_points() {
    let db = DbscanParams::new(1.0).build().unwrap();
    assert!(matches!(
        db.fit(Array2::zeros((0, 2)).view()),
        Err(Error::EmptyInput { .. })
    ));
    let x = array![[0.0, 0.0], [f64::INFINITY, 1.0]];
    assert!(matches!(
        db.fit(x.view()),
        Err(Error::NonFinite { row: 1, col: 0, .. })
    ));
    let hv = DbscanParams::new(1.0)
        .with_metric(DbscanMetric::HaversineKm)
        .build()
        .unwrap();
    assert!(matches!(
        hv.fit(Array2::zeros((3, 3)).view()),
        Err(Error::ShapeMismatch { .. })
    ));
    let e = hv.fit(array![[10.0, 95.0]].view()).unwrap_err();
    assert!(e.to_string().contains("latitude 95"), "{e}");
}

#[test]
fn size_bounds_errors() {
    let e = SizeBounds::new(5, 3).unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidParameter {
            name: "min_size",
            ..
        }
    ));
    assert!(e.to_string().contains("5 (max_size = 3)"));
    let c = Array2::<f64>::zeros((10, 3));
    let e = assign_with_sizes(
        c.view(),
        SizeBounds::new(4, 5).unwrap(),
        SizeMethod::MinCostFlow,
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::InfeasibleSizes {
            n: 10,
            k: 3,
            min_size: 4,
            max_size: 5
        }
    );
    let e = assign_with_sizes(
        c.view(),
        SizeBounds::new(0, 3).unwrap(),
        SizeMethod::GreedyRepair,
    )
    .unwrap_err();
    assert!(matches!(e, Error::InfeasibleSizes { .. }));
    let mut c = Array2::<f64>::zeros((4, 2));
    c[[2, 1]] = f64::NAN;
    assert!(matches!(
        assign_with_sizes(
            c.view(),
            SizeBounds::new(1, 3).unwrap(),
            SizeMethod::MinCostFlow
        ),
        Err(Error::NonFinite {
            what: "costs",
            row: 2,
            col: 1,
            ..
        })
    ));
    let km = KMeansParams::new(2).build().unwrap();
    assert!(km
        .fit_constrained(
            Array2::zeros((5, 1)).view(),
            &Euclidean,
            SizeBounds::new(3, 4).unwrap(),
            SizeMethod::MinCostFlow
        )
        .is_err());
}

#[test]
fn silhouette_label_errors() {
    let x = array![[0.0], [1.0], [2.0]];
    assert!(matches!(
        silhouette_score(x.view(), &[0, 0, 0]),
        Err(Error::InvalidLabels { .. })
    ));
    assert!(matches!(
        silhouette_score(x.view(), &[0, 1, 2]),
        Err(Error::InvalidLabels { .. })
    ));
    assert!(matches!(
        silhouette_score(x.view(), &[0, 1]),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn histogram_and_hotspot_errors() {
    assert!(HistogramBins::new(vec![0.0, 1.0, 0.5]).is_err());
    let bins = HistogramBins::uniform(0.0, 1.0, 2).unwrap();
    let h = array![[1.0, 1.0], [f64::NAN, 1.0]];
    assert!(matches!(
        bins.quantile_functions(h.view(), 11),
        Err(Error::NonFinite { row: 1, col: 0, .. })
    ));
    assert!(HotspotParams::new(0.0, 5).build().is_err());
    let hs = HotspotParams::new(1.0, 2).build().unwrap();
    let series = Array2::<f64>::zeros((3, 4));
    let coords = Array2::<f64>::zeros((2, 2));
    assert!(matches!(
        hs.run(series.view(), coords.view(), None, &[0, 0, 0]),
        Err(Error::ShapeMismatch { .. })
    ));
    let coords = Array2::<f64>::zeros((3, 2));
    assert!(matches!(
        hs.run(series.view(), coords.view(), None, &[0, 0]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        hs.run(
            series.view(),
            coords.view(),
            Some(&[1.0, f64::NAN, 0.0]),
            &[0, 0, 0]
        ),
        Err(Error::NonFinite {
            what: "velocity",
            col: 1,
            ..
        })
    ));
}

#[test]
fn dtw_of_empty_series_is_infinite() {
    assert!(dtw(&[], &[1.0], None).is_infinite());
}
