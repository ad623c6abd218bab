//! Masks: from categorical rasters (water, glacier, "not permafrost") and
//! from thresholds (coherence, temporal coherence), combined by logical AND,
//! and applied to products (masked cells become `NaN`).

use ndarray::{Array2, ArrayView2, Zip};

use crate::error::{Error, Result};

/// One rule of a mask. A cell is kept when every rule keeps it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MaskRule {
    /// Drop cells whose class is one of these values (`NaN` = no class
    /// information: kept).
    ExcludeClasses(Vec<f64>),
    /// Keep cells with value ≥ this (`NaN` = unknown: dropped).
    Min(f64),
    /// Keep cells with value ≤ this (`NaN` = unknown: dropped).
    Max(f64),
}

impl MaskRule {
    fn keeps(&self, v: f64) -> bool {
        match self {
            MaskRule::ExcludeClasses(classes) => v.is_nan() || !classes.contains(&v),
            MaskRule::Min(t) => v >= *t,
            MaskRule::Max(t) => v <= *t,
        }
    }
}

/// Combines `(layer, rule)` pairs on one grid into a keep-mask (`true` = keep).
pub fn build_mask(layers: &[(ArrayView2<'_, f64>, MaskRule)]) -> Result<Array2<bool>> {
    let Some((first, _)) = layers.first() else {
        return Err(Error::Invalid("mask: no layers given".into()));
    };
    let shape = first.dim();
    let mut keep = Array2::from_elem(shape, true);
    for (i, (layer, rule)) in layers.iter().enumerate() {
        if layer.dim() != shape {
            return Err(Error::Shape {
                context: format!("mask layer {}", i + 1),
                expected: vec![shape.0, shape.1],
                found: vec![layer.dim().0, layer.dim().1],
            });
        }
        Zip::from(&mut keep)
            .and(layer)
            .for_each(|k, &v| *k &= rule.keeps(v));
    }
    Ok(keep)
}

/// Sets masked cells of `product` to `NaN`.
pub fn apply_mask(product: &mut Array2<f64>, keep: &Array2<bool>) -> Result<()> {
    if product.dim() != keep.dim() {
        return Err(Error::Shape {
            context: "masked product".into(),
            expected: vec![keep.dim().0, keep.dim().1],
            found: vec![product.dim().0, product.dim().1],
        });
    }
    Zip::from(product).and(keep).for_each(|p, &k| {
        if !k {
            *p = f64::NAN;
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr2;

    #[test]
    fn rules_combine_with_and() {
        let classes = arr2(&[[1.0, 2.0], [f64::NAN, 3.0]]);
        let coherence = arr2(&[[0.9, 0.9], [0.9, f64::NAN]]);
        let keep = build_mask(&[
            (classes.view(), MaskRule::ExcludeClasses(vec![2.0])),
            (coherence.view(), MaskRule::Min(0.7)),
        ])
        .expect("mask");
        assert_eq!(keep, arr2(&[[true, false], [true, false]]));
        let mut product = arr2(&[[1.0, 2.0], [3.0, 4.0]]);
        apply_mask(&mut product, &keep).expect("apply");
        assert!(product[[0, 1]].is_nan() && product[[1, 1]].is_nan() && product[[1, 0]] == 3.0);
        let wrong = arr2(&[[1.0]]);
        assert!(build_mask(&[
            (classes.view(), MaskRule::Max(1.0)),
            (wrong.view(), MaskRule::Max(1.0))
        ])
        .is_err());
    }
}
