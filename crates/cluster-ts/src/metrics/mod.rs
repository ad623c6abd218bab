//! Elastic distances between univariate time series: DTW with an optional
//! Sakoe–Chiba band and soft-DTW with its gradient.
//!
//! Both follow tslearn's definitions exactly (same band shape for series of
//! unequal length, same recursion order), so values agree with
//! `tslearn.metrics.dtw` and `tslearn.metrics.soft_dtw` to rounding.

mod dtw;
mod softdtw;

pub use dtw::{dtw, dtw_path, dtw_squared};
pub use softdtw::{soft_dtw, soft_dtw_with_gradient};

/// Column range `[lo, hi)` of row `i` admitted in an `m × n` cost matrix.
///
/// Without a radius every column is admitted. With a Sakoe–Chiba radius `r`
/// the band is tslearn's `sakoe_chiba_mask`: for equal lengths
/// `|i − j| ≤ r`; for unequal lengths the band is widened by the length
/// difference on the side of the longer series.
#[inline]
pub(crate) fn band_range(i: usize, m: usize, n: usize, radius: Option<usize>) -> (usize, usize) {
    match radius {
        None => (0, n),
        Some(r) => {
            if m <= n {
                let width = n - m + r;
                (i.saturating_sub(r), n.min(i + width + 1))
            } else {
                let width = m - n + r;
                (i.saturating_sub(width), n.min(i + r + 1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::band_range;

    #[test]
    fn band_matches_tslearn_mask_doc_example() {
        // tslearn: sakoe_chiba_mask(4, 4, radius=2)
        let expect = [(0, 3), (0, 4), (0, 4), (1, 4)];
        for (i, e) in expect.iter().enumerate() {
            assert_eq!(band_range(i, 4, 4, Some(2)), *e);
        }
    }

    #[test]
    fn band_unequal_lengths() {
        // m > n: column j admits rows j-r ..= j+(m-n+r)
        let (m, n, r) = (6, 3, 1);
        for i in 0..m {
            let (lo, hi) = band_range(i, m, n, Some(r));
            for j in 0..n {
                let lower = j.saturating_sub(r);
                let upper = (m - 1).min(j + (m - n + r));
                let admitted = i >= lower && i <= upper;
                assert_eq!(admitted, j >= lo && j < hi, "i={i} j={j}");
            }
        }
    }
}
