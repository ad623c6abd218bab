//! Regridding onto a regular, curvilinear or point target.
//!
//! * [`RegridMethod::Nearest`]: the source cell whose centre is nearest by
//!   great-circle distance (`cdo remapnn`); ties go to the first source cell
//!   in row-major order.
//! * [`RegridMethod::InverseDistance`]: weights 1/dᵖ over the k nearest
//!   source centres (`cdo remapdis`: k = 4, p = 1); a source centre
//!   coinciding with the target (d < 1 mm) takes all the weight.
//! * [`RegridMethod::CellMean`]: the mean of the source values whose centres
//!   fall in the target cell. Regular targets: cells bounded half-way between
//!   centres (the outer ones extended by half a step; a single row or column
//!   spans all latitudes or longitudes). Curvilinear targets:
//!   the nearest target centre, within half the cell diagonal (√2/2 of the
//!   largest distance to a 4-neighbour centre). Point targets have no cells
//!   and are refused.
//!
//! `NaN` source values are left out and the remaining weights renormalised
//! (per time step); a target with no valid source is `NaN`, and so is a
//! nearest-neighbour target whose nearest source is `NaN`. Source centres
//! with non-finite coordinates are ignored.

use ndarray::{Array2, Array3, ArrayView2, ArrayView3, Axis};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::field::{Era5Field, Grid};
use crate::kdtree::{chord2_to_metres, unit_vector, KdTree};

/// How values are carried from the source to the target grid.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum RegridMethod {
    /// Nearest source centre (`cdo remapnn`).
    Nearest,
    /// Inverse-distance weighting of the `neighbours` nearest centres with
    /// weights 1/distance^`power` (`cdo remapdis`: 4 and 1).
    InverseDistance {
        /// Number of neighbours (≥ 1).
        neighbours: usize,
        /// Power of the distance (> 0).
        power: f64,
    },
    /// Mean of the source centres inside each target cell.
    CellMean,
}

impl RegridMethod {
    /// `cdo remapdis`: 4 neighbours, weights 1/d.
    pub const REMAPDIS: RegridMethod = RegridMethod::InverseDistance {
        neighbours: 4,
        power: 1.0,
    };

    fn validate(&self) -> Result<()> {
        if let RegridMethod::InverseDistance { neighbours, power } = *self {
            if neighbours == 0 {
                return Err(Error::invalid_parameter(
                    "neighbours",
                    neighbours,
                    "must be ≥ 1",
                ));
            }
            if !(power.is_finite() && power > 0.0) {
                return Err(Error::invalid_parameter(
                    "power",
                    power,
                    "must be finite and > 0",
                ));
            }
        }
        Ok(())
    }
}

/// Precomputed weights from a source grid to a target grid; apply them to
/// any number of fields on the source grid.
#[derive(Debug, Clone)]
pub struct Regridder {
    source_shape: (usize, usize),
    target_shape: (usize, usize),
    /// Per target cell (row-major): (source index row-major, weight).
    weights: Vec<Vec<(usize, f64)>>,
    method: RegridMethod,
}

impl Regridder {
    /// Computes the weights from `source` to `target`.
    pub fn new(source: &Grid, target: &Grid, method: RegridMethod) -> Result<Self> {
        method.validate()?;
        let src = source.centres();
        let tree = KdTree::new(
            src.iter()
                .enumerate()
                .filter(|(_, (la, lo))| la.is_finite() && lo.is_finite())
                .map(|(i, &(la, lo))| (i, unit_vector(la, lo)))
                .collect(),
        );
        if tree.is_empty() {
            return Err(Error::Empty {
                input: "source grid (no cell with finite coordinates)".into(),
            });
        }
        let tgt = target.centres();
        let weights = match method {
            RegridMethod::Nearest => knn_weights(&tree, &tgt, 1, 1.0),
            RegridMethod::InverseDistance { neighbours, power } => {
                knn_weights(&tree, &tgt, neighbours, power)
            }
            RegridMethod::CellMean => cell_mean_weights(&src, target)?,
        };
        Ok(Regridder {
            source_shape: source.shape(),
            target_shape: target.shape(),
            weights,
            method,
        })
    }

    /// Spatial shape `(rows, cols)` of the target.
    pub fn target_shape(&self) -> (usize, usize) {
        self.target_shape
    }

    /// The method.
    pub fn method(&self) -> RegridMethod {
        self.method
    }

    /// The source cells `(row, col)` and weights of target cell `(row, col)`
    /// (weights sum to 1; empty when the target gets no source).
    pub fn weights_of(&self, row: usize, col: usize) -> Vec<((usize, usize), f64)> {
        let w = &self.weights[row * self.target_shape.1 + col];
        w.iter()
            .map(|&(i, x)| ((i / self.source_shape.1, i % self.source_shape.1), x))
            .collect()
    }

    /// Regrids one 2-D array `(row, col)` on the source grid.
    pub fn apply_2d(&self, data: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if data.dim() != self.source_shape {
            return Err(Error::shape(
                "data to regrid (row, col)",
                &[self.source_shape.0, self.source_shape.1],
                data.shape(),
            ));
        }
        let flat: Vec<f64> = data.iter().copied().collect();
        let nearest = matches!(self.method, RegridMethod::Nearest);
        let vals: Vec<f64> = self
            .weights
            .iter()
            .map(|w| {
                if nearest {
                    return w.first().map_or(f64::NAN, |&(i, _)| flat[i]);
                }
                let (mut s, mut ws) = (0.0, 0.0);
                for &(i, x) in w {
                    let v = flat[i];
                    if !v.is_nan() {
                        s += x * v;
                        ws += x;
                    }
                }
                if ws > 0.0 {
                    s / ws
                } else {
                    f64::NAN
                }
            })
            .collect();
        Array2::from_shape_vec(self.target_shape, vals).map_err(|e| Error::Mismatch {
            context: "regridding".into(),
            detail: e.to_string(),
        })
    }

    /// Regrids values `(time, row, col)`, time steps in parallel.
    pub fn apply(&self, data: ArrayView3<'_, f64>) -> Result<Array3<f64>> {
        let (nt, r, c) = data.dim();
        if (r, c) != self.source_shape {
            return Err(Error::shape(
                "data to regrid (time, row, col)",
                &[nt, self.source_shape.0, self.source_shape.1],
                data.shape(),
            ));
        }
        // Collect all results, then take the first error in time order
        // (rayon's short-circuiting collect would pick whichever came first).
        let steps: Vec<Result<Array2<f64>>> = (0..nt)
            .into_par_iter()
            .map(|t| self.apply_2d(data.index_axis(Axis(0), t)))
            .collect();
        let steps: Vec<Array2<f64>> = steps.into_iter().collect::<Result<_>>()?;
        let mut out = Array3::zeros((nt, self.target_shape.0, self.target_shape.1));
        for (t, s) in steps.into_iter().enumerate() {
            out.index_axis_mut(Axis(0), t).assign(&s);
        }
        Ok(out)
    }
}

/// Regrids a field onto `target` (metadata kept, grid replaced).
pub fn regrid_field(field: &Era5Field, target: &Grid, method: RegridMethod) -> Result<Era5Field> {
    let r = Regridder::new(&field.grid, target, method)?;
    let mut out = field.clone();
    out.data = r.apply(field.data.view())?;
    out.grid = target.clone();
    Ok(out)
}

fn knn_weights(
    tree: &KdTree,
    targets: &[(f64, f64)],
    k: usize,
    power: f64,
) -> Vec<Vec<(usize, f64)>> {
    targets
        .par_iter()
        .map(|&(la, lo)| {
            if !(la.is_finite() && lo.is_finite()) {
                return Vec::new();
            }
            let nn = tree.nearest(&unit_vector(la, lo), k);
            if k == 1 {
                return nn.into_iter().map(|(_, i)| (i, 1.0)).collect();
            }
            let d: Vec<f64> = nn.iter().map(|&(c2, _)| chord2_to_metres(c2)).collect();
            if d[0] < 1e-3 {
                return vec![(nn[0].1, 1.0)];
            }
            let w: Vec<f64> = d.iter().map(|x| x.powf(-power)).collect();
            let sum: f64 = w.iter().sum();
            nn.iter().zip(w).map(|(&(_, i), x)| (i, x / sum)).collect()
        })
        .collect()
}

/// Ascending cell edges from centres (half-way, outer ones extended); the
/// bool tells whether the centres were descending.
fn edges(centres: &[f64]) -> (Vec<f64>, bool) {
    let desc = centres.len() > 1 && centres[1] < centres[0];
    let c: Vec<f64> = if desc {
        centres.iter().rev().copied().collect()
    } else {
        centres.to_vec()
    };
    let n = c.len();
    let mut e = Vec::with_capacity(n + 1);
    if n == 1 {
        return (vec![f64::NEG_INFINITY, f64::INFINITY], desc);
    }
    e.push(c[0] - (c[1] - c[0]) / 2.0);
    for w in c.windows(2) {
        e.push((w[0] + w[1]) / 2.0);
    }
    e.push(c[n - 1] + (c[n - 1] - c[n - 2]) / 2.0);
    (e, desc)
}

fn bin(edges: &[f64], x: f64) -> Option<usize> {
    if !(x >= edges[0] && x < edges[edges.len() - 1]) {
        return None;
    }
    Some(edges.partition_point(|&e| e <= x) - 1)
}

fn cell_mean_weights(src: &[(f64, f64)], target: &Grid) -> Result<Vec<Vec<(usize, f64)>>> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); target.len()];
    match target {
        Grid::Regular { lat, lon } => {
            let (le, ldesc) = edges(lat);
            let (oe, odesc) = edges(lon);
            let (nr, nc) = (lat.len(), lon.len());
            for (i, &(la, lo)) in src.iter().enumerate() {
                if !(la.is_finite() && lo.is_finite()) {
                    continue;
                }
                let lo = if oe[0].is_finite() {
                    oe[0] + (lo - oe[0]).rem_euclid(360.0)
                } else {
                    lo
                };
                if let (Some(r), Some(c)) = (bin(&le, la), bin(&oe, lo)) {
                    let r = if ldesc { nr - 1 - r } else { r };
                    let c = if odesc { nc - 1 - c } else { c };
                    members[r * nc + c].push(i);
                }
            }
        }
        Grid::Curvilinear { lat, lon } => {
            let (nr, nc) = lat.dim();
            let mut items = Vec::new();
            let mut radius = vec![0.0f64; nr * nc];
            for r in 0..nr {
                for c in 0..nc {
                    let (la, lo) = (lat[[r, c]], lon[[r, c]]);
                    if !(la.is_finite() && lo.is_finite()) {
                        continue;
                    }
                    items.push((r * nc + c, unit_vector(la, lo)));
                    let mut m: f64 = 0.0;
                    let nbrs = [
                        (r.wrapping_sub(1), c),
                        (r + 1, c),
                        (r, c.wrapping_sub(1)),
                        (r, c + 1),
                    ];
                    for (rr, cc) in nbrs {
                        if rr < nr
                            && cc < nc
                            && lat[[rr, cc]].is_finite()
                            && lon[[rr, cc]].is_finite()
                        {
                            m = m.max(crate::kdtree::great_circle_distance(
                                la,
                                lo,
                                lat[[rr, cc]],
                                lon[[rr, cc]],
                            ));
                        }
                    }
                    radius[r * nc + c] = if m > 0.0 {
                        m * std::f64::consts::FRAC_1_SQRT_2
                    } else {
                        f64::INFINITY
                    };
                }
            }
            let tree = KdTree::new(items);
            if !tree.is_empty() {
                for (i, &(la, lo)) in src.iter().enumerate() {
                    if !(la.is_finite() && lo.is_finite()) {
                        continue;
                    }
                    if let Some(&(c2, t)) = tree.nearest(&unit_vector(la, lo), 1).first() {
                        if chord2_to_metres(c2) <= radius[t] {
                            members[t].push(i);
                        }
                    }
                }
            }
        }
        Grid::Points { .. } => {
            return Err(Error::invalid_parameter(
                "method",
                RegridMethod::CellMean,
                "cell means need a regular or curvilinear target; point targets have no cells",
            ))
        }
    }
    Ok(members
        .into_iter()
        .map(|m| {
            let w = 1.0 / m.len().max(1) as f64;
            m.into_iter().map(|i| (i, w)).collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn nearest_idw_and_cell_mean_on_a_small_grid() {
        let src = Grid::regular(vec![0.0, 1.0], vec![0.0, 1.0]).unwrap();
        let data = array![[1.0, 2.0], [3.0, 4.0]];
        let tgt = Grid::points(vec![0.4, 0.5], vec![0.4, 0.5]).unwrap();
        let nn = Regridder::new(&src, &tgt, RegridMethod::Nearest).unwrap();
        // (0.5, 0.5) is nearer the latitude-1 centres on the sphere
        // (meridians converge), the first of which holds 3.
        assert_eq!(nn.apply_2d(data.view()).unwrap(), array![[1.0, 3.0]]);
        let idw = Regridder::new(&src, &tgt, RegridMethod::REMAPDIS).unwrap();
        let v = idw.apply_2d(data.view()).unwrap();
        assert!((v[[0, 1]] - 2.5).abs() < 1e-3, "{v}"); // centre: equal distances (almost)
        let coarse = Grid::regular(vec![0.5], vec![0.5]).unwrap();
        let cm = Regridder::new(&src, &coarse, RegridMethod::CellMean).unwrap();
        assert_eq!(cm.apply_2d(data.view()).unwrap(), array![[2.5]]);
    }

    #[test]
    fn nan_sources_are_left_out() {
        let src = Grid::regular(vec![0.0, 1.0], vec![0.0, 1.0]).unwrap();
        let data = array![[f64::NAN, 2.0], [2.0, 2.0]];
        let coarse = Grid::regular(vec![0.5], vec![0.5]).unwrap();
        let cm = Regridder::new(&src, &coarse, RegridMethod::CellMean).unwrap();
        assert_eq!(cm.apply_2d(data.view()).unwrap(), array![[2.0]]);
        let pts = Grid::points(vec![0.0], vec![0.0]).unwrap();
        assert!(Regridder::new(&src, &pts, RegridMethod::CellMean).is_err());
    }
}
