//! Adjusted Rand index, NMI and silhouette against scikit-learn 1.9
//! (tests/data/agreement.json). Tolerance: 1e-12 absolute for ARI, MI and
//! NMI; 1e-10 absolute for silhouette values (scikit-learn forms distances
//! as sqrt(|x|² − 2x·y + |y|²), this crate directly).

mod common;

use common::{ints, load, num, nums, Worst};
use geo_stats::agreement::{
    adjusted_rand_index, mutual_information, normalized_mutual_information,
};
use geo_stats::silhouette::{silhouette_samples, silhouette_score};
use ndarray::Array2;

#[test]
fn ari_and_nmi_match_sklearn() {
    let doc = load("agreement.json");
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 19);
    let mut ari = Worst::new("ARI");
    let mut nmi = Worst::new("NMI");
    let mut mi = Worst::new("MI");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let (a, b) = (ints(&c["a"]), ints(&c["b"]));
        ari.update(
            (adjusted_rand_index(&a, &b).unwrap() - num(&c["ari"])).abs(),
            || name.into(),
        );
        nmi.update(
            (normalized_mutual_information(&a, &b).unwrap() - num(&c["nmi"])).abs(),
            || name.into(),
        );
        mi.update(
            (mutual_information(&a, &b).unwrap() - num(&c["mi"])).abs(),
            || name.into(),
        );
    }
    ari.check(1e-12);
    nmi.check(1e-12);
    mi.check(1e-12);
}

#[test]
fn silhouette_matches_sklearn() {
    let doc = load("agreement.json");
    let cases = doc["silhouette"].as_array().unwrap();
    assert!(cases.len() >= 20);
    let mut score = Worst::new("silhouette score");
    let mut samples = Worst::new("silhouette samples");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let rows: Vec<Vec<f64>> = c["points"].as_array().unwrap().iter().map(nums).collect();
        let pts = Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j]);
        let labels = ints(&c["labels"]);
        let s = silhouette_score(pts.view(), &labels).unwrap();
        score.update((s - num(&c["score"])).abs(), || name.into());
        let ss = silhouette_samples(pts.view(), &labels).unwrap();
        for (g, w) in ss.iter().zip(nums(&c["samples"])) {
            samples.update((g - w).abs(), || name.into());
        }
    }
    score.check(1e-10);
    samples.check(1e-10);
}
