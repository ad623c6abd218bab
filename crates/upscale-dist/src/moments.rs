//! Numerically stable running central moments up to order four, with the
//! one-value update of Welford (1962) / Terriberry (2007) and the pairwise
//! merge of Chan, Golub & LeVeque (1979) / Pébay (2008).
//!
//! The accumulator holds the count `n`, the mean and the centred sums
//! `M_k = Σ (x − mean)^k`, k = 2, 3, 4 — never raw power sums `Σ x^k`, whose
//! differences lose every significant digit once the mean is large compared
//! with the spread (a deformation field offset by 10⁶, say).
//!
//! The updates run on shifted data `y = x − K`, with `K` the first value the
//! accumulator saw (the classic shifted-data device): the running mean is
//! then of the size of the spread, not of the offset, and its rounding no
//! longer leaks into `M₃` and `M₄`. Plain Welford/Terriberry updates on a
//! sample with σ = 1 cm offset by 10⁶ lose about 1e-8 relative in skewness
//! and kurtosis (one ulp of 10⁶ is 1.2e-10, i.e. 1e-8 σ, per update); with
//! the shift, an offset that is exact in floating point leaves the shape
//! statistics bit for bit unchanged.

/// Running count, mean and centred sums of order 2–4.
///
/// Statistics (population definitions, as `scipy.stats` with `bias=True`):
///
/// * variance `M₂/n`, standard deviation its square root;
/// * skewness `(M₃/n) / (M₂/n)^{3/2}`;
/// * kurtosis (Pearson, **not** excess) `(M₄/n) / (M₂/n)²` — 3 for a normal
///   distribution.
///
/// Empty accumulators give `NaN` for everything; a zero variance gives
/// `NaN` skewness and kurtosis.
///
/// ```
/// use upscale_dist::Moments;
/// let xs = [1.0, 2.0, 4.0, 8.0];
/// let mut a = Moments::from_slice(&xs[..1]);
/// let b = Moments::from_slice(&xs[1..]);
/// a.merge(&b);
/// let all = Moments::from_slice(&xs);
/// assert_eq!(a.count(), 4);
/// assert!((a.mean() - 3.75).abs() < 1e-15);
/// assert!((a.kurtosis() - all.kurtosis()).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    n: u64,
    /// The shift `K` (the first value seen).
    shift: f64,
    /// Mean of `x − K`.
    mean: f64,
    m2: f64,
    m3: f64,
    m4: f64,
}

impl Moments {
    /// An empty accumulator.
    pub const fn new() -> Self {
        Moments {
            n: 0,
            shift: 0.0,
            mean: 0.0,
            m2: 0.0,
            m3: 0.0,
            m4: 0.0,
        }
    }

    /// The moments of a slice, by one-value updates in slice order.
    pub fn from_slice(values: &[f64]) -> Self {
        let mut m = Moments::new();
        values.iter().for_each(|&x| m.push(x));
        m
    }

    /// Adds one value (Terriberry's extension of Welford's update to the
    /// third and fourth centred sums).
    #[inline]
    pub fn push(&mut self, x: f64) {
        if self.n == 0 {
            self.shift = x;
        }
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = (x - self.shift) - self.mean;
        // 1/n does not depend on the data: off the critical path.
        let delta_n = delta * (1.0 / n);
        let delta_n2 = delta_n * delta_n;
        let term1 = delta * delta_n * n1;
        self.mean += delta_n;
        self.m4 += term1 * delta_n2 * (n * n - 3.0 * n + 3.0) + 6.0 * delta_n2 * self.m2
            - 4.0 * delta_n * self.m3;
        self.m3 += term1 * delta_n * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.m2 += term1;
    }

    /// Merges another accumulator into this one (Pébay 2008, eqs. 3.1–3.3;
    /// Chan et al. 1979 for the variance). The result is the moments of the
    /// concatenated samples up to rounding; `a.merge(b)` and `b.merge(a)`
    /// may differ in the last bits, so merge in a fixed order.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let na = self.n as f64;
        let nb = other.n as f64;
        let n = na + nb;
        // Means relative to this accumulator's shift.
        let delta = ((other.shift - self.shift) + other.mean) - self.mean;
        let delta2 = delta * delta;
        let delta_n = delta / n;
        let (m2a, m3a, m4a) = (self.m2, self.m3, self.m4);
        let (m2b, m3b, m4b) = (other.m2, other.m3, other.m4);

        let m2 = m2a + m2b + delta2 * na * nb / n;
        let m3 = m3a
            + m3b
            + delta2 * delta_n * na * nb * (na - nb) / n
            + 3.0 * delta_n * (na * m2b - nb * m2a);
        let m4 = m4a
            + m4b
            + delta2 * delta_n * delta_n * na * nb * (na * na - na * nb + nb * nb) / n
            + 6.0 * delta_n * delta_n * (na * na * m2b + nb * nb * m2a)
            + 4.0 * delta_n * (na * m3b - nb * m3a);

        self.n += other.n;
        self.mean += delta_n * nb;
        self.m2 = m2;
        self.m3 = m3;
        self.m4 = m4;
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Mean (`NaN` when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.shift + self.mean
        }
    }

    /// The shift `K` the updates subtract (the first value pushed; 0 when
    /// empty).
    pub fn shift(&self) -> f64 {
        self.shift
    }

    /// The centred sum `M₂ = Σ (x − mean)²`.
    pub fn m2(&self) -> f64 {
        self.m2
    }

    /// The centred sum `M₃ = Σ (x − mean)³`.
    pub fn m3(&self) -> f64 {
        self.m3
    }

    /// The centred sum `M₄ = Σ (x − mean)⁴`.
    pub fn m4(&self) -> f64 {
        self.m4
    }

    /// Population variance `M₂/n` (`NaN` when empty).
    pub fn variance(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.m2 / self.n as f64
        }
    }

    /// Population standard deviation.
    pub fn std(&self) -> f64 {
        self.variance().sqrt()
    }

    /// Skewness `(M₃/n) / (M₂/n)^{3/2}` (`NaN` when empty or the variance
    /// is zero).
    pub fn skewness(&self) -> f64 {
        let var = self.variance();
        if var > 0.0 {
            (self.m3 / self.n as f64) / (var * var.sqrt())
        } else {
            f64::NAN
        }
    }

    /// Pearson kurtosis `(M₄/n) / (M₂/n)²` (not the excess; `NaN` when
    /// empty or the variance is zero).
    pub fn kurtosis(&self) -> f64 {
        let var = self.variance();
        if var > 0.0 {
            (self.m4 / self.n as f64) / (var * var)
        } else {
            f64::NAN
        }
    }
}

impl Extend<f64> for Moments {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, iter: I) {
        iter.into_iter().for_each(|x| self.push(x));
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Moments::new();
        m.extend(iter);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_pass(xs: &[f64]) -> (f64, f64, f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let c = |k: i32| xs.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / n;
        let (m2, m3, m4) = (c(2), c(3), c(4));
        (mean, m2, m3 / m2.powf(1.5), m4 / (m2 * m2))
    }

    #[test]
    fn push_matches_two_pass() {
        let xs: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1009) as f64 / 100.0 + (i as f64).sqrt())
            .collect();
        let m = Moments::from_slice(&xs);
        let (mean, var, skew, kurt) = two_pass(&xs);
        assert!((m.mean() - mean).abs() < 1e-13 * mean.abs());
        assert!((m.variance() - var).abs() < 1e-12 * var);
        assert!((m.skewness() - skew).abs() < 1e-11 * skew.abs().max(1.0));
        assert!((m.kurtosis() - kurt).abs() < 1e-11 * kurt);
    }

    #[test]
    fn merge_matches_whole() {
        let xs: Vec<f64> = (0..500).map(|i| ((i * 31) % 97) as f64 - 40.0).collect();
        let whole = Moments::from_slice(&xs);
        for split in [0, 1, 2, 250, 499, 500] {
            let mut a = Moments::from_slice(&xs[..split]);
            a.merge(&Moments::from_slice(&xs[split..]));
            assert_eq!(a.count(), 500);
            for (x, y) in [
                (a.mean(), whole.mean()),
                (a.variance(), whole.variance()),
                (a.skewness(), whole.skewness()),
                (a.kurtosis(), whole.kurtosis()),
            ] {
                assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{x} vs {y}");
            }
        }
    }

    #[test]
    fn degenerate() {
        let e = Moments::new();
        assert!(e.mean().is_nan() && e.std().is_nan() && e.kurtosis().is_nan());
        let c = Moments::from_slice(&[2.5; 10]);
        assert_eq!(c.mean(), 2.5);
        assert_eq!(c.std(), 0.0);
        assert!(c.skewness().is_nan() && c.kurtosis().is_nan());
    }
}
