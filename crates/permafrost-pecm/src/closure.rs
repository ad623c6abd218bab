//! Per-cycle closure of the PECM seasonal index.
//!
//! The index I(τ) = −max(0, √ADDT(τ) − √(r·ADDF(τ))) of a cycle is back at
//! 0 at the cycle's end (the next thaw onset) exactly when
//! r·ADDF_end ≥ ADDT_end. With the Johansen ratio r₀ = κ_f/κ_t this may
//! fail (the study's "Iτ,max larger than zero"); the cycle then uses the
//! smallest ratio that closes it, r = ADDT_end/ADDF_end, so that the index's
//! maximum at the end of the cycle is exactly 0. In short
//! r = max(r₀, ADDT_end/ADDF_end) per cycle; [`Closure::adjusted`] records
//! which cycles needed it.
//!
//! The study's text is garbled at this point; SCIENCE.md §3 reads "the
//! composite index is set to zero when the active layer is totally frozen"
//! and "κ_f/κ_t is adjusted so that the index maximum is zero" this way.
//! Floating point: the adjusted ratio is the smallest `f64` not below
//! ADDT_end/ADDF_end for which `r * addf_end >= addt_end` holds, so the
//! index evaluates to exactly 0.0 at the end of every closed cycle.

/// The ratio r used for one cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Closure {
    /// The ratio r (κ_f/κ_t or its adjusted value).
    pub ratio: f64,
    /// Whether r₀ did not close the cycle and r was raised to
    /// ADDT_end/ADDF_end.
    pub adjusted: bool,
}

/// The ratio that closes a complete cycle: r₀ when `r0 * addf_end >=
/// addt_end`, otherwise ADDT_end/ADDF_end (nudged up by whole ulps until the
/// closure holds exactly in floating point). `None` when no ratio closes it
/// (thawing degree days but no freezing degree days).
///
/// ```
/// use permafrost_pecm::closing_ratio;
/// let c = closing_ratio(0.5, 1200.0, 1800.0).unwrap();
/// assert_eq!((c.ratio, c.adjusted), (1200.0 / 1800.0, true));
/// assert!(c.ratio * 1800.0 >= 1200.0);
/// let c = closing_ratio(1.2, 1200.0, 1800.0).unwrap();
/// assert_eq!((c.ratio, c.adjusted), (1.2, false));
/// assert!(closing_ratio(1.2, 1200.0, 0.0).is_none());
/// ```
pub fn closing_ratio(r0: f64, addt_end: f64, addf_end: f64) -> Option<Closure> {
    if addt_end <= 0.0 || r0 * addf_end >= addt_end {
        return Some(Closure {
            ratio: r0,
            adjusted: false,
        });
    }
    if addf_end <= 0.0 {
        return None;
    }
    let mut r = addt_end / addf_end;
    while r * addf_end < addt_end {
        // r is positive and finite: the next representable value up.
        r = f64::from_bits(r.to_bits() + 1);
    }
    Some(Closure {
        ratio: r,
        adjusted: true,
    })
}

/// The PECM index −max(0, √A − √(r·F)) of one sample, returning +0.0 (not
/// −0.0) when closed.
#[inline]
pub(crate) fn pecm_value(addt: f64, addf: f64, ratio: f64) -> f64 {
    let x = addt.sqrt() - (ratio * addf).sqrt();
    if x > 0.0 {
        -x
    } else if x.is_nan() {
        f64::NAN
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusted_ratio_closes_exactly_and_is_minimal() {
        for (a, f) in [
            (1234.567, 2345.678),
            (0.1, 0.3),
            (1e4, 3.0),
            (977.0, 1003.3),
        ] {
            let c = closing_ratio(1e-3, a, f).unwrap();
            assert!(c.adjusted);
            assert_eq!(pecm_value(a, f, c.ratio), 0.0);
            let below = f64::from_bits(c.ratio.to_bits() - 1);
            assert!(below * f < a || below < a / f);
        }
    }

    #[test]
    fn no_thaw_needs_no_adjustment() {
        let c = closing_ratio(0.7, 0.0, 0.0).unwrap();
        assert_eq!((c.ratio, c.adjusted), (0.7, false));
    }
}
