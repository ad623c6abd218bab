//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

/// `tests/data/<name>`.
pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// Parses a JSON file of `tests/data`.
pub fn load_json(name: &str) -> Value {
    let text = std::fs::read_to_string(data_path(name))
        .unwrap_or_else(|e| panic!("cannot read tests/data/{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/data/{name}: {e}"))
}

/// Little-endian f64 values of a binary file of `tests/data`.
pub fn load_f64le(name: &str) -> Vec<f64> {
    let bytes = std::fs::read(data_path(name))
        .unwrap_or_else(|e| panic!("cannot read tests/data/{name}: {e}"));
    assert_eq!(bytes.len() % 8, 0, "{name}: length is not a multiple of 8");
    bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect()
}

/// A JSON number, `null` meaning NaN.
pub fn f(v: &Value) -> f64 {
    if v.is_null() {
        f64::NAN
    } else {
        v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
    }
}

/// A JSON array of numbers (`null` = NaN).
pub fn fvec(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(f)
        .collect()
}

/// A JSON array of non-negative integers.
pub fn uvec(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_u64().unwrap_or_else(|| panic!("not an integer: {x}")))
        .collect()
}

/// `|a − b| ≤ rel·max(|a|, |b|)`, with NaN equal to NaN.
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= rel * a.abs().max(b.abs())
}

/// Asserts that two binning results are identical to the bit (NaN included).
pub fn assert_same_bits(a: &upscale_dist::BinnedCells, b: &upscale_dist::BinnedCells, what: &str) {
    let bits = |x: &ndarray::Array1<f64>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(a.shape, b.shape, "{what}: shape");
    assert_eq!(a.counts, b.counts, "{what}: counts");
    assert_eq!(a.valid, b.valid, "{what}: valid");
    assert_eq!(
        a.histogram_counts, b.histogram_counts,
        "{what}: histogram counts"
    );
    assert_eq!(
        a.histogram_totals, b.histogram_totals,
        "{what}: histogram totals"
    );
    assert_eq!(a.report, b.report, "{what}: report");
    assert_eq!(bits(&a.mean), bits(&b.mean), "{what}: mean");
    assert_eq!(bits(&a.std), bits(&b.std), "{what}: std");
    assert_eq!(bits(&a.skewness), bits(&b.skewness), "{what}: skewness");
    assert_eq!(bits(&a.kurtosis), bits(&b.kurtosis), "{what}: kurtosis");
    let dens = |x: &ndarray::Array2<f64>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(dens(&a.density), dens(&b.density), "{what}: density");
    let raw = |m: &[upscale_dist::Moments]| {
        m.iter()
            .map(|m| {
                (
                    m.count(),
                    m.mean().to_bits(),
                    m.m2().to_bits(),
                    m.m3().to_bits(),
                    m.m4().to_bits(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(raw(&a.moments), raw(&b.moments), "{what}: raw moments");
}
