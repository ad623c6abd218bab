//! External reference values written by
//! `xtask/reference/cluster-ts/make_references.py` (versions recorded in
//! each JSON file: scikit-learn 1.9.1, tslearn 0.10.0, scipy 1.17.1).

use cluster_ts::metrics::{dtw, soft_dtw};
use cluster_ts::wasserstein::{wasserstein_1d, wasserstein_1d_weighted};
use cluster_ts::{
    dba, shape_distance, silhouette_score, softdtw_barycentre, softdtw_objective, DbscanMetric,
    DbscanParams, Euclidean, Init, KMeansParams,
};
use ndarray::Array2;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn vec_f(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn mat(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(vec_f).collect();
    let (n, d) = (rows.len(), rows[0].len());
    Array2::from_shape_vec((n, d), rows.concat()).unwrap()
}

fn radius(v: &Value) -> Option<usize> {
    v.as_u64().map(|r| r as usize)
}

#[test]
fn dbscan_labels_identical_to_sklearn() {
    let data = load("dbscan.json");
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let pts = mat(&case["points"]);
        let metric = match case["metric"].as_str().unwrap() {
            "euclidean" => DbscanMetric::Euclidean,
            "haversine" => DbscanMetric::HaversineKm,
            m => panic!("unknown metric {m}"),
        };
        let r = DbscanParams::new(case["eps"].as_f64().unwrap())
            .with_min_samples(case["min_samples"].as_u64().unwrap() as usize)
            .with_metric(metric)
            .build()
            .unwrap()
            .fit(pts.view())
            .unwrap();
        let labels: Vec<i64> = case["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        let core: Vec<bool> = case["core"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_bool().unwrap())
            .collect();
        assert_eq!(r.core, core, "{name}: core flags");
        assert_eq!(r.labels, labels, "{name}: labels");
    }
}

/// SplitMix64 uniforms in [0, 1) (top 53 bits), as the reference script.
fn splitmix64_uniforms(seed: u64, n: usize) -> Vec<f64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
        })
        .collect()
}

/// The reference script's `large_points` (same operations, same order).
fn large_points(n: usize, seed: u64) -> Array2<f64> {
    let u = splitmix64_uniforms(seed, 6 * n);
    let mut pts = Array2::zeros((n, 2));
    for i in 0..n {
        let u = &u[6 * i..6 * i + 6];
        if i % 10 == 9 {
            pts[[i, 0]] = u[0] * 100.0;
            pts[[i, 1]] = u[1] * 100.0;
        } else {
            let c = i % 8;
            let cx = 10.0 + 11.0 * c as f64;
            let cy = 20.0 + 7.0 * ((c * 3) % 8) as f64;
            pts[[i, 0]] = cx + 2.0 * (((u[0] + u[1]) + u[2]) - 1.5);
            pts[[i, 1]] = cy + 2.0 * (((u[3] + u[4]) + u[5]) - 1.5);
        }
    }
    pts
}

fn fnv1a64(labels: &[i64]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for l in labels {
        for b in l.to_le_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
    }
    h
}

/// DBSCAN on 10⁵ points: labels identical to scikit-learn's (checksum of
/// the whole label vector, sizes, noise and core counts).
#[test]
fn dbscan_1e5_points_identical_to_sklearn() {
    let data = load("dbscan_large.json");
    for case in data["cases"].as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as usize;
        let pts = large_points(n, case["seed"].as_u64().unwrap());
        assert_eq!(pts.slice(ndarray::s![..3, ..]), mat(&case["first_points"]));
        let eps = case["eps"].as_f64().unwrap();
        let r = DbscanParams::new(eps)
            .with_min_samples(case["min_samples"].as_u64().unwrap() as usize)
            .build()
            .unwrap()
            .fit(pts.view())
            .unwrap();
        let sizes: Vec<usize> = case["sizes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(
            r.n_noise(),
            case["n_noise"].as_u64().unwrap() as usize,
            "eps {eps}"
        );
        assert_eq!(r.cluster_sizes(), sizes, "eps {eps}");
        assert_eq!(
            r.core.iter().filter(|&&c| c).count(),
            case["n_core"].as_u64().unwrap() as usize
        );
        let want: u64 = case["fnv1a64"].as_str().unwrap().parse().unwrap();
        assert_eq!(fnv1a64(&r.labels), want, "eps {eps}: label checksum");
    }
}

/// Lloyd from the same initial centroids: the same labels and inertia
/// (1e-9 relative) as scikit-learn's `KMeans(algorithm="lloyd", n_init=1,
/// tol=0)`.
#[test]
fn kmeans_from_given_centroids_equals_sklearn_lloyd() {
    let data = load("kmeans_init.json");
    for case in data["cases"].as_array().unwrap() {
        let x = mat(&case["data"]);
        let init = mat(&case["init"]);
        let k = init.nrows();
        let r = KMeansParams::new(k)
            .with_init(Init::Given(init))
            .with_n_init(1)
            .with_tol(0.0)
            .with_max_iter(300)
            .build()
            .unwrap()
            .fit(x.view(), &Euclidean)
            .unwrap();
        let labels: Vec<usize> = case["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let want = case["inertia"].as_f64().unwrap();
        assert_eq!(r.labels, labels, "k = {k}");
        assert!(
            (r.inertia - want).abs() <= 1e-9 * want,
            "k = {k}: inertia {} vs sklearn {want}",
            r.inertia
        );
    }
}

#[test]
fn kmeans_reaches_sklearn_inertia() {
    let data = load("kmeans.json");
    for case in data["cases"].as_array().unwrap() {
        let x = mat(&case["data"]);
        let k = case["k"].as_u64().unwrap() as usize;
        let target = case["inertia"].as_f64().unwrap();
        let r = KMeansParams::new(k)
            .with_n_init(10)
            .with_seed(0)
            .build()
            .unwrap()
            .fit(x.view(), &Euclidean)
            .unwrap();
        eprintln!("k-means k = {k}: inertia {} (sklearn {target})", r.inertia);
        assert!(
            r.inertia <= target * (1.0 + 1e-9),
            "k = {k}: inertia {} vs sklearn {target}",
            r.inertia
        );
    }
}

#[test]
fn dtw_equals_tslearn() {
    let data = load("dtw.json");
    let mut worst: f64 = 0.0;
    for case in data["cases"].as_array().unwrap() {
        let (a, b) = (vec_f(&case["a"]), vec_f(&case["b"]));
        let want = case["dtw"].as_f64().unwrap();
        let got = dtw(&a, &b, radius(&case["radius"]));
        worst = worst.max((got - want).abs());
        assert!(
            (got - want).abs() <= 1e-9,
            "{got} vs {want} (radius {:?})",
            case["radius"]
        );
    }
    eprintln!("dtw: max |Δ| = {worst:e}");
}

#[test]
fn soft_dtw_equals_tslearn() {
    let data = load("softdtw.json");
    let mut worst: f64 = 0.0;
    for case in data["cases"].as_array().unwrap() {
        let (a, b) = (vec_f(&case["a"]), vec_f(&case["b"]));
        let gamma = case["gamma"].as_f64().unwrap();
        let want = case["soft_dtw"].as_f64().unwrap();
        let got = soft_dtw(&a, &b, gamma, radius(&case["radius"]));
        worst = worst.max((got - want).abs());
        assert!(
            (got - want).abs() <= 1e-9,
            "{got} vs {want} (gamma {gamma}, radius {:?})",
            case["radius"]
        );
    }
    eprintln!("soft-dtw: max |Δ| = {worst:e}");
}

#[test]
fn dba_equals_tslearn_from_same_init() {
    let data = load("dba.json");
    let x = mat(&data["series"]);
    let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
    let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
    let init = vec_f(&data["init"]);
    let mut worst: f64 = 0.0;
    for case in data["dba"].as_array().unwrap() {
        let want = vec_f(&case["barycentre"]);
        let r = dba(
            &refs,
            &init,
            case["max_iter"].as_u64().unwrap() as usize,
            case["tol"].as_f64().unwrap(),
            radius(&case["radius"]),
        );
        for (g, w) in r.barycentre.iter().zip(&want) {
            worst = worst.max((g - w).abs());
            assert!((g - w).abs() <= 1e-6, "{g} vs {w}: {case}");
        }
    }
    eprintln!("dba: max |Δ| = {worst:e}");
}

#[test]
fn softdtw_barycentre_at_least_as_good_as_tslearn() {
    let data = load("dba.json");
    let x = mat(&data["series"]);
    let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
    let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
    let init = vec_f(&data["init"]);
    for case in data["softdtw"].as_array().unwrap() {
        let gamma = case["gamma"].as_f64().unwrap();
        let want_obj = case["objective"].as_f64().unwrap();
        let want = vec_f(&case["barycentre"]);
        // Our objective at tslearn's barycentre equals tslearn's value.
        let (at_theirs, _) = softdtw_objective(&want, &refs, gamma, None);
        assert!((at_theirs - want_obj).abs() < 1e-9 * want_obj.abs().max(1.0));
        let r = softdtw_barycentre(&refs, &init, gamma, 200, 1e-9, None);
        assert!(
            r.objective <= want_obj + 1e-6 * want_obj.abs().max(1.0),
            "gamma {gamma}: {} vs tslearn {want_obj}",
            r.objective
        );
        // Against tslearn run to convergence (tol 1e-12): same minimiser.
        let conv_obj = case["converged_objective"].as_f64().unwrap();
        let conv = vec_f(&case["converged_barycentre"]);
        let dev = r
            .barycentre
            .iter()
            .zip(&conv)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        eprintln!(
            "soft-DTW barycentre gamma {gamma}: objective {} (tslearn {want_obj}, converged {conv_obj}), max |Δ| to converged = {dev:e}",
            r.objective
        );
        assert!((r.objective - conv_obj).abs() <= 1e-8 * conv_obj.abs().max(1.0));
        assert!(dev < 1e-3, "barycentres apart: {dev}");
    }
}

#[test]
fn silhouette_equals_sklearn() {
    let data = load("silhouette.json");
    for case in data["cases"].as_array().unwrap() {
        let x = mat(&case["data"]);
        let labels: Vec<i64> = case["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        let want = case["silhouette"].as_f64().unwrap();
        let got = silhouette_score(x.view(), &labels).unwrap();
        eprintln!("silhouette |Δ| = {:e}", (got - want).abs());
        assert!((got - want).abs() <= 1e-10, "{got} vs {want}");
    }
}

#[test]
fn shape_distance_equals_scipy() {
    let data = load("shape.json");
    for case in data["cases"].as_array().unwrap() {
        let (h1, h2) = (vec_f(&case["h1"]), vec_f(&case["h2"]));
        let want = case["wasserstein"].as_f64().unwrap();
        let got = shape_distance(&h1, &h2).unwrap();
        eprintln!("shape |Δ| = {:e}", (got - want).abs());
        assert!((got - want).abs() <= 1e-12, "{got} vs {want}");
    }
    let g = &data["general"];
    let (u, v) = (vec_f(&g["u"]), vec_f(&g["v"]));
    let (uw, vw) = (vec_f(&g["u_weights"]), vec_f(&g["v_weights"]));
    let d = wasserstein_1d(&u, &v).unwrap();
    assert!((d - g["wasserstein"].as_f64().unwrap()).abs() <= 1e-12);
    let dw = wasserstein_1d_weighted(&u, Some(&uw), &v, Some(&vw)).unwrap();
    assert!((dw - g["wasserstein_weighted"].as_f64().unwrap()).abs() <= 1e-12);
}

/// Accuracy and macro precision / recall / F1 equal scikit-learn's
/// (`precision_recall_fscore_support(average="macro", zero_division=0)`),
/// including a predicted class absent from the truth.
#[test]
fn classification_scores_equal_sklearn() {
    let data = load("classification.json");
    for (i, case) in data["cases"].as_array().unwrap().iter().enumerate() {
        let ints = |v: &Value| -> Vec<usize> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as usize)
                .collect()
        };
        let s =
            cluster_ts::classification_scores(&ints(&case["truth"]), &ints(&case["pred"])).unwrap();
        for (name, ours) in [
            ("accuracy", s.accuracy),
            ("precision", s.macro_precision),
            ("recall", s.macro_recall),
            ("f1", s.macro_f1),
        ] {
            let want = case[name].as_f64().unwrap();
            assert!(
                (ours - want).abs() < 1e-12,
                "case {i} {name}: {ours} vs {want}"
            );
        }
    }
}
