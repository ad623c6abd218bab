//! Results are identical for any number of threads.

use cluster_ts::{
    covariogram, CorrelationParams, DbscanParams, DtwDba, Euclidean, Geometry, KMeansParams,
    SoftDtw,
};
use ndarray::Array2;

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
}

fn series(n: usize, t: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, t), |(i, j)| {
        let phase = (i % 3) as f64;
        ((j as f64) / 3.0 + phase).sin() * (1.0 + 0.1 * (i % 7) as f64)
            + 0.01 * ((i * 31 + j * 17) % 13) as f64
    })
}

#[test]
fn kmeans_identical_for_one_and_four_threads() {
    let x = series(60, 16);
    let km = KMeansParams::new(3)
        .with_n_init(3)
        .with_seed(42)
        .build()
        .unwrap();
    for run in 0..3 {
        let (a, b) = match run {
            0 => (
                pool(1).install(|| km.fit(x.view(), &Euclidean).unwrap()),
                pool(4).install(|| km.fit(x.view(), &Euclidean).unwrap()),
            ),
            1 => (
                pool(1).install(|| km.fit(x.view(), &DtwDba::default().with_radius(2)).unwrap()),
                pool(4).install(|| km.fit(x.view(), &DtwDba::default().with_radius(2)).unwrap()),
            ),
            _ => (
                pool(1).install(|| km.fit(x.view(), &SoftDtw::new(0.5)).unwrap()),
                pool(4).install(|| km.fit(x.view(), &SoftDtw::new(0.5)).unwrap()),
            ),
        };
        // Bitwise equality on purpose: the same operations in the same order.
        assert_eq!(a, b, "run {run}");
    }
}

#[test]
fn dbscan_and_covariogram_identical_for_one_and_four_threads() {
    let pts = Array2::from_shape_fn((3000, 2), |(i, j)| {
        (((i * 7919 + j * 104729) % 1000) as f64) / 40.0
    });
    let db = DbscanParams::new(0.8).with_min_samples(4).build().unwrap();
    let a = pool(1).install(|| db.fit(pts.view()).unwrap());
    let b = pool(4).install(|| db.fit(pts.view()).unwrap());
    assert_eq!(a, b);
    let s = series(3000, 8);
    let p = CorrelationParams {
        n_pairs: 5000,
        ..CorrelationParams::default()
    };
    let ca = pool(1).install(|| covariogram(s.view(), pts.view(), Geometry::PlanarKm, &p).unwrap());
    let cb = pool(4).install(|| covariogram(s.view(), pts.view(), Geometry::PlanarKm, &p).unwrap());
    assert_eq!(format!("{ca:?}"), format!("{cb:?}"));
}
