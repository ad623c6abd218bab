//! Kersten numbers Ke(S_r) after Johansen (1975), as in SCIENCE.md §1.
//!
//! These are the bare formulas: no range check, `NaN` in gives `NaN` out.

use crate::soil::{Phase, Texture};

/// Degree of saturation at or below which the unfrozen coarse-soil Kersten
/// number is 0.
pub const COARSE_DRY_LIMIT: f64 = 0.05;

/// Degree of saturation at or below which the unfrozen fine-soil Kersten
/// number is 0.
pub const FINE_DRY_LIMIT: f64 = 0.1;

/// Unfrozen coarse soil: Ke = 0.7·log10 S_r + 1, and 0 when S_r ≤ 0.05.
///
/// Note the jump at S_r = 0.05, from 0 to 0.7·log10 0.05 + 1 ≈ 0.0893.
pub fn unfrozen_coarse(saturation: f64) -> f64 {
    if saturation <= COARSE_DRY_LIMIT {
        0.0
    } else {
        0.7 * saturation.log10() + 1.0
    }
}

/// Unfrozen fine soil: Ke = log10 S_r + 1, and 0 when S_r ≤ 0.1 (continuous).
pub fn unfrozen_fine(saturation: f64) -> f64 {
    if saturation <= FINE_DRY_LIMIT {
        0.0
    } else {
        saturation.log10() + 1.0
    }
}

/// Frozen soil: Ke = S_r.
pub fn frozen(saturation: f64) -> f64 {
    saturation
}

/// The Kersten number for a phase and texture (texture matters only for
/// unfrozen soil).
pub fn kersten(saturation: f64, phase: Phase, texture: Texture) -> f64 {
    match (phase, texture) {
        (Phase::Frozen, _) => frozen(saturation),
        (Phase::Thawed, Texture::Coarse) => unfrozen_coarse(saturation),
        (Phase::Thawed, Texture::Fine) => unfrozen_fine(saturation),
    }
}

/// The slope dKe/d(ln S_r) of the unfrozen Kersten number in its wet branch
/// (0.7/ln 10 for coarse, 1/ln 10 for fine soil); used by the inverse.
pub(crate) fn unfrozen_log_slope(texture: Texture) -> f64 {
    match texture {
        Texture::Coarse => 0.7 / std::f64::consts::LN_10,
        Texture::Fine => 1.0 / std::f64::consts::LN_10,
    }
}

/// The saturation at or below which the unfrozen Kersten number is 0.
pub(crate) fn unfrozen_dry_limit(texture: Texture) -> f64 {
    match texture {
        Texture::Coarse => COARSE_DRY_LIMIT,
        Texture::Fine => FINE_DRY_LIMIT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn branches_and_limits() {
        assert_eq!(unfrozen_coarse(0.05), 0.0);
        assert_relative_eq!(unfrozen_coarse(0.0501), 0.7 * 0.0501f64.log10() + 1.0);
        assert_relative_eq!(unfrozen_coarse(1.0), 1.0);
        assert_eq!(unfrozen_fine(0.1), 0.0);
        assert_relative_eq!(unfrozen_fine(0.5), 0.5f64.log10() + 1.0);
        assert_relative_eq!(unfrozen_fine(1.0), 1.0);
        assert_relative_eq!(frozen(0.37), 0.37);
        assert!(unfrozen_coarse(f64::NAN).is_nan());
        assert!(unfrozen_fine(f64::NAN).is_nan());
        assert!(frozen(f64::NAN).is_nan());
    }
}
