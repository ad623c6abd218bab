//! Manufactured solutions: planted clusters, hotspots, correlation lengths
//! and histogram geometries that the code must recover.

use cluster_ts::{
    covariogram, fit_histograms_wasserstein, pairwise_agreement, seed_runs, sweep_k,
    CorrelationParams, DtwDba, Euclidean, Geometry, HistogramBins, HotspotParams, KMeansParams,
    Pair, RandIndex, Removal, SdThreshold, Shape, SizeBounds, SizeMethod, SoftDtw,
    WassersteinOrder, WidespreadFilter,
};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn blobs(sizes: &[usize], centres: &[(f64, f64)], sd: f64, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n: usize = sizes.iter().sum();
    let mut x = Array2::zeros((n, 2));
    let mut truth = Vec::with_capacity(n);
    let mut i = 0;
    for (c, (&s, &(cx, cy))) in sizes.iter().zip(centres).enumerate() {
        for _ in 0..s {
            x[[i, 0]] = cx + sd * normal(&mut rng);
            x[[i, 1]] = cy + sd * normal(&mut rng);
            truth.push(c);
            i += 1;
        }
    }
    (x, truth)
}

fn same_partition(a: &[usize], b: &[usize]) -> bool {
    (RandIndex.agreement_of(a, b) - 1.0).abs() < 1e-12
}

trait AgreementOf {
    fn agreement_of(&self, a: &[usize], b: &[usize]) -> f64;
}
impl AgreementOf for RandIndex {
    fn agreement_of(&self, a: &[usize], b: &[usize]) -> f64 {
        use cluster_ts::Agreement;
        self.agreement(a, b)
    }
}

#[test]
fn dtw_and_softdtw_kmeans_recover_shapes_under_time_shifts() {
    // Group 0: a subsidence step at a random date; group 1: seasonal cycles
    // with random phase lags. Euclidean mixes shifts; DTW should not.
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let t = 40;
    let mut x = Array2::zeros((30, t));
    let mut truth = vec![];
    for i in 0..30 {
        let g = i % 2;
        let shift = rng.random_range(0..6) as f64;
        for j in 0..t {
            let tt = j as f64;
            x[[i, j]] = if g == 0 {
                if tt > 15.0 + shift {
                    -3.0
                } else {
                    0.0
                }
            } else {
                1.5 * ((tt - shift) * 2.0 * std::f64::consts::PI / 12.0).sin()
            } + 0.05 * normal(&mut rng);
        }
        truth.push(g);
    }
    let km = KMeansParams::new(2)
        .with_n_init(3)
        .with_seed(1)
        .build()
        .unwrap();
    let r = km.fit(x.view(), &DtwDba::default()).unwrap();
    assert!(same_partition(&r.labels, &truth), "{:?}", r.labels);
    let r = km.fit(x.view(), &SoftDtw::new(0.1)).unwrap();
    assert!(same_partition(&r.labels, &truth), "{:?}", r.labels);
}

#[test]
fn constrained_kmeans_balances_unequal_blobs() {
    let (x, _) = blobs(&[30, 10, 10], &[(0.0, 0.0), (8.0, 0.0), (0.0, 8.0)], 0.7, 5);
    let km = KMeansParams::new(3).with_n_init(3).build().unwrap();
    let free = km.fit(x.view(), &Euclidean).unwrap();
    let bounds = SizeBounds::new(15, 20).unwrap();
    for method in [SizeMethod::MinCostFlow, SizeMethod::GreedyRepair] {
        let r = km
            .fit_constrained(x.view(), &Euclidean, bounds, method)
            .unwrap();
        let mut sizes = [0usize; 3];
        for &l in &r.labels {
            sizes[l] += 1;
        }
        assert!(
            sizes.iter().all(|&s| (15..=20).contains(&s)),
            "{method:?}: {sizes:?}"
        );
        assert!(r.inertia >= free.inertia - 1e-9);
        if method == SizeMethod::MinCostFlow {
            for w in r.inertia_history.windows(2) {
                assert!(w[1] <= w[0] + 1e-9, "{:?}", r.inertia_history);
            }
        }
    }
}

#[test]
fn choose_k_finds_planted_number_of_blobs() {
    let (x, _) = blobs(
        &[40, 40, 40, 40],
        &[(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (10.0, 10.0)],
        0.8,
        11,
    );
    let ks: Vec<usize> = (1..=8).collect();
    let s = sweep_k(
        x.view(),
        &Euclidean,
        &ks,
        &KMeansParams::new(1).with_n_init(4),
        true,
    )
    .unwrap();
    assert_eq!(s.elbow, Some(4), "{:?}", s.inertias);
    assert_eq!(s.best_silhouette, Some(4), "{:?}", s.silhouettes);
    assert!(s.silhouettes[0].is_none());
}

#[test]
fn seed_stability_on_separated_blobs() {
    let (x, _) = blobs(&[25, 25, 25], &[(0.0, 0.0), (9.0, 0.0), (0.0, 9.0)], 0.6, 2);
    let runs = seed_runs(
        x.view(),
        &Euclidean,
        &KMeansParams::new(3).with_n_init(1),
        &[1, 2, 3, 4],
    )
    .unwrap();
    let agree = pairwise_agreement(&runs.labels, &RandIndex).unwrap();
    assert_eq!(agree.min, 1.0);
    // A closure hook works the same way (e.g. an ARI from geo-stats).
    let exact = |a: &[usize], b: &[usize]| RandIndex.agreement_of(a, b).floor();
    assert_eq!(pairwise_agreement(&runs.labels, &exact).unwrap().mean, 1.0);
}

fn gaussian_histogram(bins: &HistogramBins, mean: f64, sd: f64) -> Vec<f64> {
    // Exact bin masses of N(mean, sd) by a fine midpoint rule, normalised.
    let e = bins.edges();
    let mut h: Vec<f64> = e
        .windows(2)
        .map(|w| {
            let m = 200;
            (0..m)
                .map(|s| {
                    let x = w[0] + (s as f64 + 0.5) * (w[1] - w[0]) / m as f64;
                    (-(x - mean).powi(2) / (2.0 * sd * sd)).exp()
                })
                .sum::<f64>()
                / m as f64
        })
        .collect();
    let mass: f64 = h
        .iter()
        .zip(e.windows(2))
        .map(|(v, w)| v * (w[1] - w[0]))
        .sum();
    h.iter_mut().for_each(|v| *v /= mass);
    h
}

#[test]
fn w2_barycentre_of_shifted_gaussians_is_the_midway_gaussian() {
    let bins = HistogramBins::uniform(-0.1, 0.1, 80).unwrap();
    let nq = 2001;
    let q1 = bins
        .quantile_function(&gaussian_histogram(&bins, -0.04, 0.01), nq)
        .unwrap();
    let q2 = bins
        .quantile_function(&gaussian_histogram(&bins, 0.02, 0.01), nq)
        .unwrap();
    let mid: Vec<f64> = q1.iter().zip(&q2).map(|(a, b)| 0.5 * (a + b)).collect();
    let got = bins.histogram_from_quantiles(&mid);
    let want = gaussian_histogram(&bins, -0.01, 0.01);
    let err = got
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let peak = want.iter().copied().fold(0.0, f64::max);
    assert!(err < 0.02 * peak, "max error {err} vs peak {peak}");
    // The arithmetic mean of the histograms would be bimodal instead.
}

#[test]
fn wasserstein_kmeans_separates_locations_shape_distance_does_not() {
    let bins = HistogramBins::uniform(-0.1, 0.1, 40).unwrap();
    let mut rows = Vec::new();
    let mut truth = Vec::new();
    for i in 0..12 {
        let g = i % 2;
        let mean = if g == 0 { -0.05 } else { 0.05 } + 0.002 * (i as f64 - 6.0);
        rows.push(gaussian_histogram(&bins, mean, 0.01));
        truth.push(g);
    }
    let h = Array2::from_shape_vec((12, 40), rows.concat()).unwrap();
    let km = KMeansParams::new(2).with_n_init(3).build().unwrap();
    for order in [WassersteinOrder::W1, WassersteinOrder::W2] {
        let r = fit_histograms_wasserstein(h.view(), &bins, order, 501, &km).unwrap();
        assert!(
            same_partition(&r.kmeans.labels, &truth),
            "{order:?}: {:?}",
            r.kmeans.labels
        );
        // Centroid histograms are densities on the bins.
        for row in r.centroid_histograms.outer_iter() {
            let mass: f64 = row.iter().sum::<f64>() * 0.005;
            assert!((mass - 1.0).abs() < 1e-9);
        }
    }
    // The shape distance only sees bin heights: a Gaussian translated by a
    // whole number of bins is at distance ~0 from the original, although W2
    // between them is the translation (0.1).
    let left = gaussian_histogram(&bins, -0.05, 0.01);
    let right = gaussian_histogram(&bins, 0.05, 0.01);
    let d = Shape.distance(&left, &right);
    let d_wide = Shape.distance(&left, &gaussian_histogram(&bins, -0.05, 0.03));
    assert!(d < 1e-6 * d_wide, "{d} vs {d_wide}");
    let ql = bins.quantile_function(&left, 501).unwrap();
    let qr = bins.quantile_function(&right, 501).unwrap();
    let w2 = cluster_ts::wasserstein::wasserstein_quantiles(&ql, &qr, 2.0).unwrap();
    assert!((w2 - 0.1).abs() < 1e-3, "{w2}");
}

/// A scene on a 0.5 km planar grid: a stable background, two compact bowls
/// with distinct temporal signatures, and a widespread uplift strip.
#[test]
fn hotspot_workflow_keeps_bowls_and_removes_widespread_cluster() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let (nx, ny, t) = (60, 60, 24);
    let n = nx * ny;
    let mut coords = Array2::zeros((n, 2));
    let mut series = Array2::zeros((n, t));
    let mut temporal = vec![0usize; n];
    let mut velocity = vec![0.0; n];
    for iy in 0..ny {
        for ix in 0..nx {
            let i = iy * nx + ix;
            let (x, y) = (ix as f64 * 0.5, iy as f64 * 0.5);
            coords[[i, 0]] = x;
            coords[[i, 1]] = y;
            let bowl1 = ((x - 7.0).powi(2) + (y - 7.0).powi(2)).sqrt() < 2.0;
            let bowl2 = ((x - 22.0).powi(2) + (y - 20.0).powi(2)).sqrt() < 2.5;
            let scattered = !bowl1 && !bowl2 && y > 24.0;
            let (label, rate) = if bowl1 {
                (1, -0.004)
            } else if bowl2 {
                (2, -0.002)
            } else if scattered {
                (3, 0.001)
            } else {
                (0, 0.0)
            };
            temporal[i] = label;
            velocity[i] = rate * 30.0;
            for j in 0..t {
                series[[i, j]] = rate * j as f64 + 0.0005 * normal(&mut rng);
            }
        }
    }
    // eps 0.75 km: the 8 grid neighbours (0.5 and 0.71 km) are in reach.
    let params = HotspotParams::new(0.75, 5)
        .with_geometry(Geometry::PlanarKm)
        .with_filter(WidespreadFilter {
            max_standard_distance: SdThreshold::Km(4.0),
            ..WidespreadFilter::default()
        })
        .with_correlation(Some(CorrelationParams {
            n_pairs: 20_000,
            ..CorrelationParams::default()
        }));
    let hs = params.build().unwrap();
    let r = hs
        .run(series.view(), coords.view(), Some(&velocity), &temporal)
        .unwrap();
    let kept: Vec<_> = r.table.iter().filter(|row| row.removed.is_none()).collect();
    // The two bowls are kept, compact, with their planted velocities.
    let bowls: Vec<_> = kept
        .iter()
        .filter(|row| row.temporal_cluster == 1 || row.temporal_cluster == 2)
        .collect();
    assert_eq!(bowls.len(), 2, "{:#?}", r.table);
    for b in &bowls {
        let (cx, cy) = b.dispersion.centroid;
        let (want, v) = if b.temporal_cluster == 1 {
            ((7.0, 7.0), -0.12)
        } else {
            ((22.0, 20.0), -0.06)
        };
        assert!(
            (cx - want.0).abs() < 0.3 && (cy - want.1).abs() < 0.3,
            "{:?}",
            b.dispersion
        );
        assert!((b.mean_velocity.unwrap() - v).abs() < 1e-12);
        assert!(b.dispersion.standard_distance_km < 2.0);
    }
    // Background and the uplift strip span the scene and are removed.
    assert_eq!(r.table.len(), 4, "{:#?}", r.table);
    for row in &r.table {
        if row.temporal_cluster == 0 || row.temporal_cluster == 3 {
            assert_eq!(row.removed, Some(Removal::StandardDistance), "{row:?}");
            assert!(row.dispersion.standard_distance_km > 4.0);
        }
    }
    assert!(r
        .labels
        .iter()
        .zip(&temporal)
        .all(|(&l, &t)| (l >= 0) == (t == 1 || t == 2)));
    // Final labels: only kept clusters, renumbered from 0.
    let max_label = r.labels.iter().copied().max().unwrap();
    assert_eq!(max_label as usize + 1, r.n_kept());
    assert!(r.covariogram.is_some());
}

#[test]
fn correlation_length_of_exponential_field() {
    // Ornstein–Uhlenbeck along a 400 km line: Cov(h) = exp(−h/L), L = 10 km,
    // independent at each date.
    let (n, t, dx, l) = (800, 120, 0.5, 10.0_f64);
    let rho: f64 = (-dx / l).exp();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut series = Array2::zeros((n, t));
    for j in 0..t {
        let mut v = normal(&mut rng);
        for i in 0..n {
            if i > 0 {
                v = rho * v + (1.0 - rho * rho).sqrt() * normal(&mut rng);
            }
            series[[i, j]] = v;
        }
    }
    let coords = Array2::from_shape_fn((n, 2), |(i, c)| if c == 0 { i as f64 * dx } else { 0.0 });
    let p = CorrelationParams {
        n_pairs: 200_000,
        max_distance_km: Some(60.0),
        ..CorrelationParams::default()
    };
    let c = covariogram(series.view(), coords.view(), Geometry::PlanarKm, &p).unwrap();
    let len = c.correlation_length_km.unwrap();
    eprintln!("correlation length {len:.2} km (planted L = 10 km)");
    // 1/e of the first bin (centre 1.5 km) is reached near 1.5 + L km,
    // slightly earlier because each date is demeaned over the scene.
    assert!((8.0..14.0).contains(&len), "{len} km; {:?}", c.covariance);
    assert!((c.variance - 1.0).abs() < 0.15, "{}", c.variance);
}
