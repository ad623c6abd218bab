//! Interferogram weights from spatial coherence, as MintPy's
//! `mintpy/simulation/decorrelation.py::coherence2weight` (version 1.6).
//!
//! Before any weight function γ is floored at ε = 0.05 (`NaN` coherence
//! counts as ε, as in MintPy), and the number of looks L is rounded to an
//! integer ≥ 1.
//!
//! | weighting | MintPy | weight |
//! |---|---|---|
//! | [`Weighting::No`] | `no` | 1 |
//! | [`Weighting::Coherence`] | `coh` | γ |
//! | [`Weighting::Fisher`] | `fim` | 2Lγ²/(1 − γ²), γ capped at 0.999 (Seymour & Cumming 1994) |
//! | [`Weighting::Variance`] | `var` | 1/σ²_φ(γ, L), the variance of the distributed-scatterer phase PDF (Tough et al. 1995, eq. 66; Hanssen 2001, eq. 4.2.23), L capped at 80, tabulated every 0.005 in γ as MintPy |

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Coherence floor ε applied before every weight function (MintPy's
/// `epsilon=5e-2`).
pub const COHERENCE_FLOOR: f64 = 0.05;

/// How interferograms are weighted from their coherence γ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Weighting {
    /// Unweighted (MintPy `no`), the default.
    #[default]
    No,
    /// w = γ (MintPy `coh`).
    Coherence,
    /// Fisher information index w = 2Lγ²/(1 − γ²) (MintPy `fim`).
    Fisher,
    /// Inverse phase variance of distributed scatterers (MintPy `var`).
    Variance,
}

impl Weighting {
    /// MintPy's name of the weighting (`no`, `coh`, `fim`, `var`).
    pub fn mintpy_name(&self) -> &'static str {
        match self {
            Weighting::No => "no",
            Weighting::Coherence => "coh",
            Weighting::Fisher => "fim",
            Weighting::Variance => "var",
        }
    }
}

impl fmt::Display for Weighting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mintpy_name())
    }
}

impl FromStr for Weighting {
    type Err = Error;

    /// Parses MintPy's names `no`, `coh`, `fim`, `var` (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "no" | "sbas" | "uniform" => Ok(Weighting::No),
            "coh" | "coherence" => Ok(Weighting::Coherence),
            "fim" | "fisher" => Ok(Weighting::Fisher),
            "var" | "variance" => Ok(Weighting::Variance),
            _ => Err(Error::invalid_parameter(
                "weighting",
                s,
                "one of `no`, `coh`, `fim`, `var`",
            )),
        }
    }
}

/// Number of looks as MintPy derives it without `NCORRLOOKS`: the product of
/// azimuth and range looks divided by 1.94 (Sentinel-1 IW resolution over
/// pixel size).
pub fn mintpy_looks(azimuth_looks: f64, range_looks: f64) -> f64 {
    azimuth_looks * range_looks / 1.94
}

/// A weighting with its number of looks, ready to convert coherence.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightModel {
    weighting: Weighting,
    looks: u32,
    variance_table: Vec<f64>,
}

const VAR_STEP: f64 = 0.005;
const VAR_TABLE_LEN: usize = 200;
const FISHER_CAP: f64 = 1.0 - 1e-3;
const VAR_MAX_LOOKS: u32 = 80;

impl WeightModel {
    /// A model for `weighting` with `looks` (rounded to the nearest integer,
    /// at least 1, as MintPy).
    pub fn new(weighting: Weighting, looks: f64) -> Result<WeightModel> {
        if !(looks.is_finite() && looks > 0.0) {
            return Err(Error::invalid_parameter(
                "looks",
                looks,
                "must be finite and > 0",
            ));
        }
        let looks = (looks.round_ties_even() as u32).max(1);
        let variance_table = if weighting == Weighting::Variance {
            phase_variance_table(looks.min(VAR_MAX_LOOKS))
        } else {
            Vec::new()
        };
        Ok(WeightModel {
            weighting,
            looks,
            variance_table,
        })
    }

    /// The weighting.
    pub fn weighting(&self) -> Weighting {
        self.weighting
    }

    /// The integer number of looks used.
    pub fn looks(&self) -> u32 {
        self.looks
    }

    /// The weight of an interferogram with coherence `gamma`.
    pub fn weight(&self, gamma: f64) -> f64 {
        let g = if gamma.is_nan() || gamma < COHERENCE_FLOOR {
            COHERENCE_FLOOR
        } else {
            gamma
        };
        match self.weighting {
            Weighting::No => 1.0,
            Weighting::Coherence => g,
            Weighting::Fisher => {
                let g = g.min(FISHER_CAP);
                2.0 * f64::from(self.looks) * g * g / (1.0 - g * g)
            }
            Weighting::Variance => {
                let lo = VAR_STEP / 2.0;
                let hi = 1.0 - VAR_STEP / 2.0;
                let g = g.clamp(lo, hi);
                let idx = (((g - lo) / VAR_STEP) as usize).min(VAR_TABLE_LEN - 1);
                1.0 / self.variance_table[idx]
            }
        }
    }
}

/// Natural log of the gamma function, Lanczos approximation (g = 7, n = 9),
/// relative accuracy ~1e-15 for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Phase variance of distributed scatterers on MintPy's table of 200
/// coherences (0.0025, 0.0075, …, 0.9975), integrating the phase PDF on 200
/// phases in [−π, π] (`phase_variance_ds`).
fn phase_variance_table(looks: u32) -> Vec<f64> {
    let n = VAR_TABLE_LEN;
    let l = f64::from(looks);
    let phi_step = 2.0 * PI / n as f64;
    // np.linspace(-pi, pi, n)
    let phi: Vec<f64> = (0..n)
        .map(|i| -PI + 2.0 * PI * i as f64 / (n - 1) as f64)
        .collect();
    // B = Γ(2L−1) / (Γ(L)² 2^(2(L−1)))
    let b = (ln_gamma(2.0 * l - 1.0) - 2.0 * ln_gamma(l) - 2.0 * (l - 1.0) * 2f64.ln()).exp();
    // D_r prefactors Γ(L−½)/Γ(L−½−r) · Γ(L−1−r)/Γ(L−1), r = 0 … L−2.
    let d_pre: Vec<f64> = (0..looks.saturating_sub(1))
        .map(|r| {
            let r = f64::from(r);
            (ln_gamma(l - 0.5) - ln_gamma(l - 0.5 - r) + ln_gamma(l - 1.0 - r) - ln_gamma(l - 1.0))
                .exp()
        })
        .collect();
    let mut var: Vec<f64> = (0..n)
        .map(|i| {
            let coh = VAR_STEP * (i + 1) as f64 - VAR_STEP / 2.0;
            let a = (1.0 - coh * coh).powf(l) / (2.0 * PI);
            phi.iter()
                .map(|&p| {
                    let beta = coh * p.cos();
                    let omb = 1.0 - beta * beta;
                    let c = (2.0 * l - 1.0) * beta / omb.powf(l + 0.5) * (PI / 2.0 + beta.asin())
                        + 1.0 / omb.powf(l);
                    let mut sum_d = 0.0;
                    if looks > 1 {
                        for (r, pre) in d_pre.iter().enumerate() {
                            let r = r as f64;
                            sum_d +=
                                pre * (1.0 + (2.0 * r + 1.0) * beta * beta) / omb.powf(r + 2.0);
                        }
                        sum_d /= 2.0 * (l - 1.0);
                    }
                    let pdf = a * (b * c + sum_d);
                    p * p * pdf * phi_step
                })
                .sum::<f64>()
        })
        .collect();
    // Non-positive variances (γ → 1) take the smallest positive one.
    let min_pos = var
        .iter()
        .copied()
        .filter(|&v| v > 0.0)
        .fold(f64::INFINITY, f64::min);
    for v in &mut var {
        if *v <= 0.0 {
            *v = if min_pos.is_finite() {
                min_pos
            } else {
                f64::EPSILON
            };
        }
    }
    var
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn ln_gamma_matches_factorials() {
        assert_relative_eq!(ln_gamma(1.0), 0.0, epsilon = 1e-14);
        assert_relative_eq!(ln_gamma(5.0), 24f64.ln(), max_relative = 1e-14);
        assert_relative_eq!(ln_gamma(0.5), PI.sqrt().ln(), max_relative = 1e-14);
        assert_relative_eq!(
            ln_gamma(159.0),
            (1..159).map(|k| (k as f64).ln()).sum::<f64>(),
            max_relative = 1e-13
        );
    }

    #[test]
    fn fisher_and_coherence_follow_mintpy() {
        let fim = WeightModel::new(Weighting::Fisher, 51.5).unwrap();
        assert_eq!(fim.looks(), 52);
        assert_relative_eq!(
            fim.weight(0.5),
            2.0 * 52.0 * 0.25 / 0.75,
            max_relative = 1e-15
        );
        assert_relative_eq!(
            fim.weight(1.0),
            2.0 * 52.0 * 0.999f64.powi(2) / (1.0 - 0.999f64.powi(2)),
            max_relative = 1e-12
        );
        let coh = WeightModel::new(Weighting::Coherence, 1.0).unwrap();
        assert_eq!(coh.weight(0.01), COHERENCE_FLOOR);
        assert_eq!(coh.weight(f64::NAN), COHERENCE_FLOOR);
        assert_eq!(coh.weight(0.7), 0.7);
    }

    #[test]
    fn variance_decreases_with_coherence_and_looks() {
        let v1 = WeightModel::new(Weighting::Variance, 1.0).unwrap();
        let v20 = WeightModel::new(Weighting::Variance, 20.0).unwrap();
        // Weight (inverse variance) grows with γ and with L.
        assert!(v1.weight(0.3) < v1.weight(0.6));
        assert!(v1.weight(0.6) < v1.weight(0.9));
        assert!(v1.weight(0.6) < v20.weight(0.6));
        // Zero coherence: uniform phase, variance π²/3.
        let var0 = 1.0 / v1.weight(0.0);
        assert_relative_eq!(var0, PI * PI / 3.0, max_relative = 0.05);
    }
}
