//! The soil description of one point and the two enums that select formulas.

/// The static description of a soil at one point: what does not change
/// between the thaw and the freeze season.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Soil {
    /// Dry bulk density ρ_b in **kg m⁻³**, in (0, ρ_s). SoilGrids stores
    /// `bdod` in cg cm⁻³: multiply by 10 to get kg m⁻³.
    pub bulk_density: f64,
    /// Sand mass fraction of the fine earth, in \[0, 1\] (SoilGrids `sand`
    /// is in g kg⁻¹: divide by 1000).
    pub sand: f64,
}

impl Soil {
    /// A soil from its dry bulk density (kg m⁻³) and sand fraction (0–1).
    /// Values are checked where they are used, so that `NaN` (missing data)
    /// can flow through to `NaN` results.
    pub fn new(bulk_density: f64, sand: f64) -> Self {
        Soil { bulk_density, sand }
    }

    /// `true` when either input is `NaN` (missing).
    pub fn is_nan(&self) -> bool {
        self.bulk_density.is_nan() || self.sand.is_nan()
    }
}

/// Whether the pore water is liquid or ice; selects κ_w or κ_i in κ_sat and
/// the unfrozen or frozen Kersten number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Unfrozen soil (thaw season, κ_t).
    Thawed,
    /// Frozen soil (freeze season, κ_f).
    Frozen,
}

/// Coarse or fine soil, which selects the unfrozen Kersten number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Texture {
    /// Coarse soil: Ke = 0.7·log10 S_r + 1 (0 when S_r ≤ 0.05).
    Coarse,
    /// Fine soil: Ke = log10 S_r + 1 (0 when S_r ≤ 0.1).
    Fine,
}
