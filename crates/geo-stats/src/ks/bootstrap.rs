//! Bootstrap Kolmogorov–Smirnov robustness test (S-UPSCALE).
//!
//! Each replicate draws `size` values from each sample (with replacement by
//! default), adds Gaussian measurement noise of standard deviation `σ` to
//! every drawn value, and runs [`ks_2samp`]. Replicate `r` uses its own
//! ChaCha8 stream (`seed`, stream `r`), so the replicates can run in
//! parallel and the result does not depend on the number of threads.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{check_sample, ks_2samp, Alternative, KsMethod, KsParams};
use crate::error::{GeoStatsError, Result};

/// How each replicate draws its values from a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resampling {
    /// Draw with replacement (the classical bootstrap). Default.
    #[default]
    WithReplacement,
    /// Draw a random subset without replacement (`size` must not exceed
    /// either sample).
    WithoutReplacement,
}

/// Parameters of [`ks_bootstrap`], built with [`KsBootstrapParams::new`]
/// and the `with_*` setters, then checked by [`KsBootstrapParams::validate`]
/// (which [`ks_bootstrap`] calls).
///
/// | field | default |
/// |---|---|
/// | `size` | `None` = the smaller sample size |
/// | `noise_sigma` | 0 (no measurement noise) |
/// | `replicates` | 1000 |
/// | `alpha` | 0.05 |
/// | `seed` | 0 |
/// | `resampling` | [`Resampling::WithReplacement`] |
/// | `ks` | [`KsParams::default`] (auto method, two-sided) |
#[derive(Debug, Clone, PartialEq)]
pub struct KsBootstrapParams {
    /// Values drawn from each sample per replicate (`None`: min(n1, n2)).
    pub size: Option<usize>,
    /// Standard deviation of the Gaussian noise added to each drawn value
    /// (in the unit of the data).
    pub noise_sigma: f64,
    /// Number of replicates R.
    pub replicates: usize,
    /// Significance level for the reported rejection fraction.
    pub alpha: f64,
    /// Seed of the ChaCha8 generator.
    pub seed: u64,
    /// How values are drawn.
    pub resampling: Resampling,
    /// The KS test run on each replicate.
    pub ks: KsParams,
}

impl Default for KsBootstrapParams {
    fn default() -> Self {
        Self {
            size: None,
            noise_sigma: 0.0,
            replicates: 1000,
            alpha: 0.05,
            seed: 0,
            resampling: Resampling::WithReplacement,
            ks: KsParams::default(),
        }
    }
}

impl KsBootstrapParams {
    /// The defaults (see the table on the type).
    pub fn new() -> Self {
        Self::default()
    }

    /// Values drawn from each sample per replicate.
    pub fn with_size(mut self, size: usize) -> Self {
        self.size = Some(size);
        self
    }

    /// Standard deviation of the added Gaussian measurement noise.
    pub fn with_noise_sigma(mut self, sigma: f64) -> Self {
        self.noise_sigma = sigma;
        self
    }

    /// Number of replicates.
    pub fn with_replicates(mut self, replicates: usize) -> Self {
        self.replicates = replicates;
        self
    }

    /// Significance level.
    pub fn with_alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Random seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Resampling scheme.
    pub fn with_resampling(mut self, resampling: Resampling) -> Self {
        self.resampling = resampling;
        self
    }

    /// KS method used on each replicate.
    pub fn with_method(mut self, method: KsMethod) -> Self {
        self.ks.method = method;
        self
    }

    /// Alternative hypothesis used on each replicate.
    pub fn with_alternative(mut self, alternative: Alternative) -> Self {
        self.ks.alternative = alternative;
        self
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        if !(self.noise_sigma >= 0.0 && self.noise_sigma.is_finite()) {
            return Err(GeoStatsError::invalid(
                "noise_sigma",
                self.noise_sigma,
                "must be finite and >= 0",
            ));
        }
        if self.replicates == 0 {
            return Err(GeoStatsError::invalid("replicates", 0, "must be >= 1"));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(GeoStatsError::invalid(
                "alpha",
                self.alpha,
                "must lie in (0, 1)",
            ));
        }
        if self.size == Some(0) {
            return Err(GeoStatsError::invalid("size", 0, "must be >= 1"));
        }
        Ok(())
    }
}

/// Result of [`ks_bootstrap`].
#[derive(Debug, Clone, PartialEq)]
pub struct KsBootstrap {
    /// Mean p-value over the replicates.
    pub mean_p_value: f64,
    /// Fraction of replicates with p < α.
    pub fraction_below_alpha: f64,
    /// The α used.
    pub alpha: f64,
    /// Values drawn per sample and replicate.
    pub size: usize,
    /// p-value of each replicate, in replicate order.
    pub p_values: Vec<f64>,
    /// KS statistic of each replicate, in replicate order.
    pub statistics: Vec<f64>,
}

/// Standard normal deviate by the Marsaglia polar method.
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * s.ln() / s).sqrt();
        }
    }
}

fn draw(
    rng: &mut ChaCha8Rng,
    data: &[f64],
    size: usize,
    resampling: Resampling,
    sigma: f64,
) -> Vec<f64> {
    let mut out: Vec<f64> = match resampling {
        Resampling::WithReplacement => (0..size)
            .map(|_| data[rng.random_range(0..data.len())])
            .collect(),
        Resampling::WithoutReplacement => {
            let mut idx: Vec<usize> = (0..data.len()).collect();
            for i in 0..size {
                let j = rng.random_range(i..idx.len());
                idx.swap(i, j);
            }
            idx[..size].iter().map(|&i| data[i]).collect()
        }
    };
    if sigma > 0.0 {
        for v in out.iter_mut() {
            *v += sigma * standard_normal(rng);
        }
    }
    out
}

/// Bootstrap KS test: R replicates of resampled, noise-perturbed samples;
/// reports the mean p-value and the fraction of p-values below α.
///
/// ```
/// use geo_stats::ks::{ks_bootstrap, KsBootstrapParams};
/// let a: Vec<f64> = (0..200).map(|i| (i as f64 * 0.37).sin()).collect();
/// let b: Vec<f64> = (0..300).map(|i| (i as f64 * 0.21).sin()).collect();
/// let params = KsBootstrapParams::new().with_replicates(50).with_noise_sigma(0.01).with_seed(7);
/// let r = ks_bootstrap(&a, &b, &params).unwrap();
/// assert_eq!(r.p_values.len(), 50);
/// assert!((0.0..=1.0).contains(&r.fraction_below_alpha));
/// ```
pub fn ks_bootstrap(x: &[f64], y: &[f64], params: &KsBootstrapParams) -> Result<KsBootstrap> {
    params.validate()?;
    check_sample("sample 1", x)?;
    check_sample("sample 2", y)?;
    let size = params.size.unwrap_or(x.len().min(y.len()));
    if params.resampling == Resampling::WithoutReplacement && size > x.len().min(y.len()) {
        return Err(GeoStatsError::invalid(
            "size",
            size,
            "exceeds the smaller sample; use resampling with replacement",
        ));
    }
    let results: Vec<Result<(f64, f64)>> = (0..params.replicates)
        .into_par_iter()
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
            rng.set_stream(r as u64);
            let a = draw(&mut rng, x, size, params.resampling, params.noise_sigma);
            let b = draw(&mut rng, y, size, params.resampling, params.noise_sigma);
            let res = ks_2samp(&a, &b, &params.ks)?;
            Ok((res.statistic, res.p_value))
        })
        .collect();
    let mut statistics = Vec::with_capacity(results.len());
    let mut p_values = Vec::with_capacity(results.len());
    for r in results {
        let (d, p) = r?;
        statistics.push(d);
        p_values.push(p);
    }
    let n = p_values.len() as f64;
    let mean_p_value = p_values.iter().sum::<f64>() / n;
    let fraction_below_alpha = p_values.iter().filter(|&&p| p < params.alpha).count() as f64 / n;
    Ok(KsBootstrap {
        mean_p_value,
        fraction_below_alpha,
        alpha: params.alpha,
        size,
        p_values,
        statistics,
    })
}
