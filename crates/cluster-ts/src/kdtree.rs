//! A static k-d tree (Bentley 1975) for fixed-radius neighbour queries.
//!
//! Nodes split at the median of the dimension with the largest spread;
//! leaves hold at most [`LEAF_SIZE`] points; every node keeps its bounding
//! box, and a query skips nodes whose box is farther than the radius.
//! Squared distances are summed dimension by dimension in order, the same
//! arithmetic as scikit-learn's `KDTree` leaf test, so points at exactly the
//! radius are treated identically (`d² ≤ r²`).

/// Maximum points in a leaf.
pub(crate) const LEAF_SIZE: usize = 32;

#[derive(Debug, Clone)]
struct Node {
    start: usize,
    end: usize,
    /// Children (left, right) or `None` for a leaf.
    children: Option<(usize, usize)>,
}

/// The tree over `n` points of dimension `dim`.
#[derive(Debug, Clone)]
pub(crate) struct KdTree {
    dim: usize,
    /// Coordinates in tree order, `n × dim`.
    data: Vec<f64>,
    /// Original index of each point in tree order.
    index: Vec<usize>,
    nodes: Vec<Node>,
    /// Bounding boxes: `lo[node·dim + j]`, `hi[node·dim + j]`.
    lo: Vec<f64>,
    hi: Vec<f64>,
}

impl KdTree {
    /// Builds the tree from row-major `points` (`n × dim`).
    pub(crate) fn new(points: &[f64], dim: usize) -> Self {
        let n = points.len().checked_div(dim).unwrap_or(0);
        let mut index: Vec<usize> = (0..n).collect();
        let mut nodes = Vec::new();
        let mut lo = Vec::new();
        let mut hi = Vec::new();
        if n > 0 {
            build(points, dim, &mut index, 0, n, &mut nodes, &mut lo, &mut hi);
        }
        let mut data = Vec::with_capacity(n * dim);
        for &i in &index {
            data.extend_from_slice(&points[i * dim..(i + 1) * dim]);
        }
        Self {
            dim,
            data,
            index,
            nodes,
            lo,
            hi,
        }
    }

    /// (`n` must fit in `u32`; `stack` is scratch space.)
    ///
    /// Original indices of the points `p` with `‖p − pt‖² ≤ r2` (computed
    /// as `Σ_j (pt_j − p_j)²`) for which `accept(index, d²)` also holds,
    /// appended to `out` in ascending order.
    pub(crate) fn within(
        &self,
        pt: &[f64],
        r2: f64,
        out: &mut Vec<u32>,
        stack: &mut Vec<usize>,
        accept: impl Fn(usize, f64) -> bool,
    ) {
        let start = out.len();
        if !self.nodes.is_empty() {
            stack.clear();
            stack.push(0);
            while let Some(id) = stack.pop() {
                if self.box_dist2(id, pt) > r2 {
                    continue;
                }
                let node = &self.nodes[id];
                match node.children {
                    Some((l, r)) => {
                        stack.push(r);
                        stack.push(l);
                    }
                    None => {
                        for pos in node.start..node.end {
                            let p = &self.data[pos * self.dim..(pos + 1) * self.dim];
                            let mut d2 = 0.0;
                            for j in 0..self.dim {
                                let t = pt[j] - p[j];
                                d2 += t * t;
                            }
                            let i = self.index[pos];
                            if d2 <= r2 && accept(i, d2) {
                                out.push(i as u32);
                            }
                        }
                    }
                }
            }
        }
        out[start..].sort_unstable();
    }

    fn box_dist2(&self, id: usize, pt: &[f64]) -> f64 {
        let mut d2 = 0.0;
        for (j, &x) in pt.iter().enumerate().take(self.dim) {
            let lo = self.lo[id * self.dim + j];
            let hi = self.hi[id * self.dim + j];
            let t = if x < lo {
                lo - x
            } else if x > hi {
                x - hi
            } else {
                0.0
            };
            d2 += t * t;
        }
        d2
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    points: &[f64],
    dim: usize,
    index: &mut [usize],
    start: usize,
    end: usize,
    nodes: &mut Vec<Node>,
    lo: &mut Vec<f64>,
    hi: &mut Vec<f64>,
) -> usize {
    let id = nodes.len();
    nodes.push(Node {
        start,
        end,
        children: None,
    });
    let mut blo = vec![f64::INFINITY; dim];
    let mut bhi = vec![f64::NEG_INFINITY; dim];
    for &i in &index[start..end] {
        for j in 0..dim {
            let v = points[i * dim + j];
            blo[j] = blo[j].min(v);
            bhi[j] = bhi[j].max(v);
        }
    }
    lo.extend_from_slice(&blo);
    hi.extend_from_slice(&bhi);
    if end - start <= LEAF_SIZE {
        return id;
    }
    let mut split = 0;
    for j in 1..dim {
        if bhi[j] - blo[j] > bhi[split] - blo[split] {
            split = j;
        }
    }
    if bhi[split] - blo[split] <= 0.0 {
        // All points identical: keep one (large) leaf.
        return id;
    }
    let mid = start + (end - start) / 2;
    index[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
        points[a * dim + split]
            .total_cmp(&points[b * dim + split])
            .then(a.cmp(&b))
    });
    let l = build(points, dim, index, start, mid, nodes, lo, hi);
    let r = build(points, dim, index, mid, end, nodes, lo, hi);
    nodes[id].children = Some((l, r));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_brute_force() {
        let mut s = 7u64;
        let mut rnd = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((s >> 11) as f64) / ((1u64 << 53) as f64)
        };
        let n = 700;
        let pts: Vec<f64> = (0..2 * n).map(|_| (rnd() * 20.0).floor()).collect();
        let tree = KdTree::new(&pts, 2);
        for q in (0..n).step_by(7) {
            let pt = &pts[2 * q..2 * q + 2];
            let mut got = Vec::new();
            tree.within(pt, 4.0, &mut got, &mut Vec::new(), |_, _| true);
            let want: Vec<u32> = (0..n as u32)
                .filter(|&i| {
                    let i = i as usize;
                    let dx = pt[0] - pts[2 * i];
                    let dy = pt[1] - pts[2 * i + 1];
                    dx * dx + dy * dy <= 4.0
                })
                .collect();
            assert_eq!(got, want);
        }
    }
}
