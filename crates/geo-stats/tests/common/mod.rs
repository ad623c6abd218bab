//! Shared helpers for the reference tests: JSON loading, tolerances, and the
//! deterministic sample generator of `make_references.py`.

#![allow(dead_code)]

use serde::Deserialize;
use serde_json::Value;
use std::path::PathBuf;

/// The package versions every reference file records.
#[derive(Debug, Deserialize)]
pub struct Versions {
    pub python: String,
    pub numpy: String,
    pub scipy: String,
    #[serde(rename = "scikit-learn")]
    pub scikit_learn: String,
    pub mpmath: String,
}

/// Loads `tests/data/<name>` (written by
/// `xtask/reference/geo-stats/make_references.py`).
pub fn load(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("valid JSON");
    let versions: Versions = serde_json::from_value(doc["versions"].clone())
        .unwrap_or_else(|e| panic!("{name} must record the package versions: {e}"));
    assert!(!versions.scipy.is_empty() && !versions.numpy.is_empty());
    doc
}

/// A number from JSON; `null` stands for NaN, `"inf"`/`"-inf"` for ±∞.
pub fn num(v: &Value) -> f64 {
    match v {
        Value::Null => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("not a number: {other}")),
    }
}

/// A vector of numbers from JSON.
pub fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(num)
        .collect()
}

/// A vector of integers from JSON.
pub fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| x.as_i64().expect("integer"))
        .collect()
}

/// Relative error with an absolute floor: |a − e| / max(|e|, floor).
/// NaN matches NaN exactly (error 0), otherwise NaN gives +inf.
pub fn rel_err(actual: f64, expected: f64, floor: f64) -> f64 {
    if expected.is_nan() || actual.is_nan() {
        return if expected.is_nan() && actual.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if actual == expected {
        return 0.0;
    }
    (actual - expected).abs() / expected.abs().max(floor)
}

/// Tracks the worst error over a set of cases and reports it.
pub struct Worst {
    pub label: &'static str,
    pub err: f64,
    pub at: String,
    pub count: usize,
}

impl Worst {
    pub fn new(label: &'static str) -> Self {
        Self {
            label,
            err: 0.0,
            at: String::new(),
            count: 0,
        }
    }

    pub fn update(&mut self, err: f64, at: impl FnOnce() -> String) {
        self.count += 1;
        if err > self.err || (err.is_nan() && !self.err.is_nan()) {
            self.err = err;
            self.at = at();
        }
    }

    /// Prints the worst error and asserts it is within `tol`.
    pub fn check(&self, tol: f64) {
        println!(
            "{}: {} cases, worst error {:.3e} (tolerance {:.0e}) at {}",
            self.label, self.count, self.err, tol, self.at
        );
        assert!(self.count > 0, "{}: no cases", self.label);
        assert!(
            self.err <= tol,
            "{}: worst error {:.3e} > {:.0e} at {}",
            self.label,
            self.err,
            tol,
            self.at
        );
    }
}

/// splitmix64, as in `make_references.py`.
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// Realises a generator spec `{seed, n, kind, loc, scale, round}` exactly as
/// the Python script does (only +, −, ×, ÷, floor and sqrt: bit-identical).
pub fn generate(spec: &Value) -> Vec<f64> {
    let seed = spec["seed"].as_u64().expect("seed");
    let n = spec["n"].as_u64().expect("n") as usize;
    let kind = spec["kind"].as_str().expect("kind");
    let loc = num(&spec["loc"]);
    let scale = num(&spec["scale"]);
    let round = spec["round"].as_i64().unwrap_or(0);
    let sqrt3 = 3f64.sqrt();
    let mut g = SplitMix::new(seed);
    (0..n)
        .map(|_| {
            let v = match kind {
                "uniform" => loc + scale * g.uniform(),
                "normalish" => {
                    let s = g.uniform() + g.uniform() + g.uniform() + g.uniform();
                    loc + scale * ((s - 2.0) * sqrt3)
                }
                other => panic!("unknown generator kind {other}"),
            };
            if round > 0 {
                let k = round as f64;
                (v * k).floor() / k
            } else {
                v
            }
        })
        .collect()
}

/// A sample given either inline (`[..]`) or as a generator spec (`{..}`).
pub fn sample(v: &Value) -> Vec<f64> {
    if v.is_array() {
        nums(v)
    } else {
        generate(v)
    }
}
