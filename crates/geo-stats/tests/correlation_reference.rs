//! Pearson correlation against scipy 1.17 `pearsonr`, and the Fisher-z
//! average against its formula (tests/data/correlation.json).
//!
//! Tolerances: r 1e-12 absolute; p-value 1e-10 relative (floor 1e-300);
//! matrices the same entry by entry; Fisher-z mean 1e-12 absolute.

mod common;

use common::{load, num, nums, rel_err, sample, Worst};
use geo_stats::correlation::{correlation_matrix, fisher_z_average, pearson};
use ndarray::Array2;

#[test]
fn pearson_matches_scipy() {
    let doc = load("correlation.json");
    let cases = doc["cases"].as_array().unwrap();
    let mut r_err = Worst::new("pearson r");
    let mut p_err = Worst::new("pearson p");
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let res = pearson(&sample(&c["x"]), &sample(&c["y"])).unwrap();
        assert_eq!(res.n as u64, c["n"].as_u64().unwrap(), "{name}");
        let (wr, wp) = (num(&c["r"]), num(&c["pvalue"]));
        let er = if wr.is_nan() && res.r.is_nan() {
            0.0
        } else {
            (res.r - wr).abs()
        };
        r_err.update(er, || name.to_string());
        p_err.update(rel_err(res.p_value, wp, 1e-300), || {
            format!("{name}: {:e} vs {wp:e}", res.p_value)
        });
    }
    r_err.check(1e-12);
    p_err.check(1e-10);
}

#[test]
fn correlation_matrix_matches_scipy_listwise() {
    let doc = load("correlation.json");
    let mut r_err = Worst::new("matrix r");
    let mut p_err = Worst::new("matrix p");
    for m in doc["matrices"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        let rows: Vec<Vec<f64>> = m["data"].as_array().unwrap().iter().map(nums).collect();
        let (nr, nc) = (rows.len(), rows[0].len());
        let data = Array2::from_shape_fn((nr, nc), |(i, j)| rows[i][j]);
        let res = correlation_matrix(data.view()).unwrap();
        assert_eq!(res.n as u64, m["n"].as_u64().unwrap(), "{name}");
        let wr: Vec<Vec<f64>> = m["r"].as_array().unwrap().iter().map(nums).collect();
        let wp: Vec<Vec<f64>> = m["pvalues"].as_array().unwrap().iter().map(nums).collect();
        for a in 0..nc {
            for b in 0..nc {
                r_err.update((res.r[[a, b]] - wr[a][b]).abs(), || {
                    format!("{name} [{a},{b}]")
                });
                if a != b {
                    p_err.update(rel_err(res.p_values[[a, b]], wp[a][b], 1e-300), || {
                        format!("{name} [{a},{b}]")
                    });
                }
            }
        }
    }
    r_err.check(1e-12);
    p_err.check(1e-10);
}

#[test]
fn fisher_z_average_matches_formula() {
    let doc = load("correlation.json");
    let mut worst = Worst::new("fisher mean r");
    for (i, c) in doc["fisher"].as_array().unwrap().iter().enumerate() {
        let rs = nums(&c["r"]);
        let ns: Vec<usize> = c["n"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let items: Vec<(f64, usize)> = rs.into_iter().zip(ns).collect();
        let got = fisher_z_average(&items).unwrap();
        worst.update((got - num(&c["mean_r"])).abs(), || format!("case {i}"));
    }
    worst.check(1e-12);
}
