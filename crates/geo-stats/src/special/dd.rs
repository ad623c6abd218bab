//! A minimal double-double ("hi + lo") number, enough for the one-sided
//! Smirnov distribution (it follows the double-double arithmetic of
//! `xsf::cephes::kolmogorov.h`, which scipy uses).

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Dd {
    pub hi: f64,
    pub lo: f64,
}

#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    let e = (a - (s - bb)) + (b - bb);
    (s, e)
}

#[inline]
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let e = b - (s - a);
    (s, e)
}

#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let e = a.mul_add(b, -p);
    (p, e)
}

impl Dd {
    pub const fn new(x: f64) -> Self {
        Self { hi: x, lo: 0.0 }
    }

    fn renorm(hi: f64, lo: f64) -> Self {
        let (hi, lo) = quick_two_sum(hi, lo);
        Self { hi, lo }
    }

    pub fn add(self, o: Self) -> Self {
        let (s, e) = two_sum(self.hi, o.hi);
        let (t, f) = two_sum(self.lo, o.lo);
        let e = e + t;
        let (s, e) = quick_two_sum(s, e);
        let e = e + f;
        Self::renorm(s, e)
    }

    pub fn add_f64(self, b: f64) -> Self {
        let (s, e) = two_sum(self.hi, b);
        let e = e + self.lo;
        Self::renorm(s, e)
    }

    pub fn neg(self) -> Self {
        Self {
            hi: -self.hi,
            lo: -self.lo,
        }
    }

    pub fn sub(self, o: Self) -> Self {
        self.add(o.neg())
    }

    pub fn mul(self, o: Self) -> Self {
        let (p, e) = two_prod(self.hi, o.hi);
        let e = e + (self.hi * o.lo + self.lo * o.hi);
        Self::renorm(p, e)
    }

    pub fn mul_f64(self, b: f64) -> Self {
        let (p, e) = two_prod(self.hi, b);
        let e = e + self.lo * b;
        Self::renorm(p, e)
    }

    pub fn div_f64(self, b: f64) -> Self {
        let q1 = self.hi / b;
        let (p, e) = two_prod(q1, b);
        let (s, f) = two_sum(self.hi, -p);
        let f = f - e + self.lo;
        let q2 = (s + f) / b;
        Self::renorm(q1, q2)
    }

    pub fn div(self, o: Self) -> Self {
        let q1 = self.hi / o.hi;
        let r = self.sub(o.mul_f64(q1));
        let q2 = r.hi / o.hi;
        let r = r.sub(o.mul_f64(q2));
        let q3 = r.hi / o.hi;
        let (q1, q2) = quick_two_sum(q1, q2);
        Self { hi: q1, lo: q2 }.add_f64(q3)
    }

    pub fn to_f64(self) -> f64 {
        self.hi + self.lo
    }

    /// `self · 2^e`, exact unless the result leaves the normal range.
    pub fn ldexp(self, e: i64) -> Self {
        Self {
            hi: ldexp(self.hi, e),
            lo: ldexp(self.lo, e),
        }
    }

    /// Splits into a mantissa with `|hi|` in `[0.5, 1)` and a power of two.
    pub fn frexp(self) -> (Self, i64) {
        let (_, e) = frexp(self.hi);
        (self.ldexp(-e), e)
    }

    pub fn is_finite(self) -> bool {
        self.hi.is_finite()
    }
}

/// `x · 2^e` for any `e` (scaled in steps so intermediate powers never overflow).
pub(crate) fn ldexp(mut x: f64, mut e: i64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    while e > 1000 {
        x *= 2f64.powi(1000);
        e -= 1000;
        if !x.is_finite() {
            return x;
        }
    }
    while e < -1000 {
        x *= 2f64.powi(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * 2f64.powi(e as i32)
}

/// Mantissa in `[0.5, 1)` (in magnitude) and exponent with `x = m · 2^e`.
pub(crate) fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let e = exp - 1022;
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frexp_ldexp_round_trip() {
        for &x in &[1.0, 0.75, -3.5, 1e-310, 1e300, 123456.789] {
            let (m, e) = frexp(x);
            assert!((0.5..1.0).contains(&m.abs()), "{x}: {m}");
            assert_eq!(ldexp(m, e), x);
        }
    }

    #[test]
    fn double_double_division_is_accurate() {
        // 1/3 in double-double: 3 * (1/3) must be 1 to ~1e-32.
        let third = Dd::new(1.0).div_f64(3.0);
        let back = third.mul_f64(3.0).sub(Dd::new(1.0));
        assert!(back.to_f64().abs() < 1e-30);
        let q = Dd::new(2.0).div(Dd::new(7.0));
        assert!(q.mul_f64(7.0).sub(Dd::new(2.0)).to_f64().abs() < 1e-30);
    }
}
