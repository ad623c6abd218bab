//! Interaction detector (Wang et al. 2010).

use super::{FactorDetection, Geodetector, Strata};
use crate::error::Result;

/// The five interaction types of Wang et al. (2010), with q₁ = q(X1),
/// q₂ = q(X2), q₁₂ = q(X1 ∩ X2) and the tolerance τ of
/// [`GeodetectorParams::with_interaction_tolerance`](super::GeodetectorParams::with_interaction_tolerance):
///
/// | kind | condition (checked in this order) |
/// |---|---|
/// | [`Independent`](Self::Independent) | \|q₁₂ − (q₁ + q₂)\| ≤ τ |
/// | [`EnhanceNonlinear`](Self::EnhanceNonlinear) | q₁₂ > q₁ + q₂ |
/// | [`EnhanceBi`](Self::EnhanceBi) | max(q₁, q₂) + τ < q₁₂ < q₁ + q₂ |
/// | [`WeakenUni`](Self::WeakenUni) | min(q₁, q₂) − τ ≤ q₁₂ ≤ max(q₁, q₂) + τ |
/// | [`WeakenNonlinear`](Self::WeakenNonlinear) | q₁₂ < min(q₁, q₂) − τ |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InteractionKind {
    /// q(X1∩X2) < min(q(X1), q(X2)).
    WeakenNonlinear,
    /// min(q(X1), q(X2)) ≤ q(X1∩X2) ≤ max(q(X1), q(X2)).
    WeakenUni,
    /// max(q(X1), q(X2)) < q(X1∩X2) < q(X1) + q(X2).
    EnhanceBi,
    /// q(X1∩X2) = q(X1) + q(X2) (within the tolerance).
    Independent,
    /// q(X1∩X2) > q(X1) + q(X2).
    EnhanceNonlinear,
}

impl InteractionKind {
    /// Classifies q₁₂ against q₁ and q₂ with tolerance `tol` (see the table
    /// on the type).
    pub fn classify(q1: f64, q2: f64, q12: f64, tol: f64) -> Self {
        let sum = q1 + q2;
        let (lo, hi) = if q1 <= q2 { (q1, q2) } else { (q2, q1) };
        if (q12 - sum).abs() <= tol {
            Self::Independent
        } else if q12 > sum {
            Self::EnhanceNonlinear
        } else if q12 > hi + tol {
            Self::EnhanceBi
        } else if q12 >= lo - tol {
            Self::WeakenUni
        } else {
            Self::WeakenNonlinear
        }
    }

    /// Snake-case name (`"weaken_nonlinear"`, `"weaken_uni"`, `"enhance_bi"`,
    /// `"independent"`, `"enhance_nonlinear"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::WeakenNonlinear => "weaken_nonlinear",
            Self::WeakenUni => "weaken_uni",
            Self::EnhanceBi => "enhance_bi",
            Self::Independent => "independent",
            Self::EnhanceNonlinear => "enhance_nonlinear",
        }
    }
}

/// Result of the interaction detector for one pair of factors.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionDetection {
    /// q(X1).
    pub q1: f64,
    /// q(X2).
    pub q2: f64,
    /// q(X1 ∩ X2), the q of the overlaid strata.
    pub q12: f64,
    /// The interaction type.
    pub kind: InteractionKind,
    /// The full factor detection of the overlay (its F test included).
    pub overlay: FactorDetection,
}

impl Geodetector {
    /// Interaction detector: q of the overlay of `x1` and `x2` compared with
    /// their individual q values.
    pub fn interaction(&self, y: &[f64], x1: &Strata, x2: &Strata) -> Result<InteractionDetection> {
        let f1 = self.factor_named(y, x1, "x1")?;
        let f2 = self.factor_named(y, x2, "x2")?;
        let both = x1.overlay(x2)?;
        let overlay = self.factor_named(y, &both, "x1 ∩ x2")?;
        let kind = InteractionKind::classify(f1.q, f2.q, overlay.q, self.interaction_tolerance);
        Ok(InteractionDetection {
            q1: f1.q,
            q2: f2.q,
            q12: overlay.q,
            kind,
            overlay,
        })
    }
}
