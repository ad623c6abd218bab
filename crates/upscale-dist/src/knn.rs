//! k-nearest source points on the sphere: a windowed search on regular
//! rasters and a k-d tree for scattered points. Both return exactly the `k`
//! smallest `(haversine, index)` pairs, so ties go to the smaller source
//! index (as CDO's neighbour search does).

/// `sin²(d/2)` of the central angle `d` between two points, from latitudes
/// in radians (`cos φ` precomputed) and the longitude difference in radians.
#[inline]
pub(crate) fn haversine(phi1: f64, cos1: f64, phi2: f64, cos2: f64, dlambda: f64) -> f64 {
    let s = ((phi2 - phi1) * 0.5).sin();
    let t = (dlambda * 0.5).sin();
    s * s + cos1 * cos2 * t * t
}

/// The central angle (radians) of a haversine value.
#[inline]
pub(crate) fn central_angle(hav: f64) -> f64 {
    2.0 * hav.clamp(0.0, 1.0).sqrt().asin()
}

/// The k best `(hav, index)` so far, sorted ascending.
#[derive(Debug, Clone)]
pub(crate) struct Best {
    k: usize,
    items: Vec<(f64, usize)>,
}

impl Best {
    pub(crate) fn new(k: usize) -> Self {
        Best {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    fn clear(&mut self) {
        self.items.clear();
    }

    /// The current k-th key, or +∞ while fewer than k are held.
    #[inline]
    fn worst(&self) -> f64 {
        if self.items.len() < self.k {
            f64::INFINITY
        } else {
            self.items[self.k - 1].0
        }
    }

    #[inline]
    fn offer(&mut self, hav: f64, index: usize) {
        let full = self.items.len() == self.k;
        if full {
            let (wh, wi) = self.items[self.k - 1];
            if (hav, index) >= (wh, wi) {
                return;
            }
        }
        let pos = self.items.partition_point(|&(h, i)| (h, i) < (hav, index));
        self.items.insert(pos, (hav, index));
        if self.items.len() > self.k {
            self.items.pop();
        }
    }

    pub(crate) fn items(&self) -> &[(f64, usize)] {
        &self.items
    }
}

/// A regular raster's coordinate axes, prepared for neighbour search.
pub(crate) struct RasterAxes {
    /// Latitude of each row, radians (monotone).
    phi: Vec<f64>,
    cos_phi: Vec<f64>,
    /// Latitudes in degrees (for locating the nearest row).
    lat_deg: Vec<f64>,
    /// Longitude of each column, radians (monotone).
    lambda: Vec<f64>,
    lon_deg: Vec<f64>,
}

/// Index of the element of a strictly monotone axis nearest to `x`.
fn nearest_on_axis(axis: &[f64], x: f64) -> usize {
    let n = axis.len();
    let ascending = n < 2 || axis[1] > axis[0];
    let p = if ascending {
        axis.partition_point(|&a| a < x)
    } else {
        axis.partition_point(|&a| a > x)
    };
    if p == 0 {
        0
    } else if p >= n {
        n - 1
    } else if (axis[p] - x).abs() < (axis[p - 1] - x).abs() {
        p
    } else {
        p - 1
    }
}

/// Smallest |λ − λ0| modulo 360° over the closed interval between `a` and
/// `b` (degrees), in degrees within [0, 180].
fn min_wrapped_distance(a: f64, b: f64, lon0: f64) -> f64 {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    // Is some lon0 + 360k inside [lo, hi]?
    let k = ((lo - lon0) / 360.0).ceil();
    if lon0 + 360.0 * k <= hi {
        return 0.0;
    }
    let w = |x: f64| {
        let d = (x - lon0).rem_euclid(360.0);
        d.min(360.0 - d)
    };
    w(lo).min(w(hi))
}

/// Relative safety margin on the pruning bounds (rounding of the
/// trigonometry).
const SAFETY: f64 = 1e-9;

impl RasterAxes {
    pub(crate) fn new(lons: &[f64], lats: &[f64]) -> Self {
        let phi: Vec<f64> = lats.iter().map(|l| l.to_radians()).collect();
        RasterAxes {
            cos_phi: phi.iter().map(|p| p.cos()).collect(),
            phi,
            lat_deg: lats.to_vec(),
            lambda: lons.iter().map(|l| l.to_radians()).collect(),
            lon_deg: lons.to_vec(),
        }
    }

    /// The k nearest raster points (flat index `row * ncols + col`) of the
    /// target `(lon, lat)` in degrees.
    pub(crate) fn search(&self, lon: f64, lat: f64, best: &mut Best) {
        let (nrows, ncols) = (self.phi.len(), self.lambda.len());
        let (phi0, lam0) = (lat.to_radians(), lon.to_radians());
        let cos0 = phi0.cos();
        let r0 = nearest_on_axis(&self.lat_deg, lat);
        let c0 = nearest_on_axis(&self.lon_deg, lon);
        let mut w = 2usize;
        loop {
            best.clear();
            let (rlo, rhi) = (r0.saturating_sub(w), (r0 + w).min(nrows - 1));
            let (clo, chi) = (c0.saturating_sub(w), (c0 + w).min(ncols - 1));
            let mut cmin = f64::INFINITY;
            for r in rlo..=rhi {
                let (p, cp) = (self.phi[r], self.cos_phi[r]);
                cmin = cmin.min(cp);
                for c in clo..=chi {
                    let h = haversine(phi0, cos0, p, cp, self.lambda[c] - lam0);
                    best.offer(h, r * ncols + c);
                }
            }
            let whole = rlo == 0 && rhi == nrows - 1 && clo == 0 && chi == ncols - 1;
            if whole {
                return;
            }
            // Lower bound of the haversine of any point outside the window.
            let mut bound = f64::INFINITY;
            for r in [rlo.checked_sub(1), (rhi + 1 < nrows).then_some(rhi + 1)]
                .into_iter()
                .flatten()
            {
                let s = ((self.phi[r] - phi0) * 0.5).sin();
                bound = bound.min(s * s);
            }
            let mut dlon = f64::INFINITY;
            if clo > 0 {
                dlon = dlon.min(min_wrapped_distance(
                    self.lon_deg[0],
                    self.lon_deg[clo - 1],
                    lon,
                ));
            }
            if chi + 1 < ncols {
                dlon = dlon.min(min_wrapped_distance(
                    self.lon_deg[chi + 1],
                    self.lon_deg[ncols - 1],
                    lon,
                ));
            }
            if dlon.is_finite() {
                let t = (dlon.to_radians() * 0.5).sin();
                bound = bound.min(cos0 * cmin.max(0.0) * t * t);
            }
            if best.worst() < bound * (1.0 - SAFETY) {
                return;
            }
            w *= 2;
        }
    }
}

/// A k-d tree on unit vectors of scattered points.
pub(crate) struct KdTree {
    /// Source index of each tree slot.
    index: Vec<usize>,
    /// Latitude (radians), its cosine and longitude (radians), in tree order.
    phi: Vec<f64>,
    cos_phi: Vec<f64>,
    lambda: Vec<f64>,
    nodes: Vec<Node>,
}

struct Node {
    lo: usize,
    hi: usize,
    min: [f64; 3],
    max: [f64; 3],
    /// Children (`usize::MAX` for a leaf).
    left: usize,
    right: usize,
}

const LEAF: usize = 16;

fn unit(phi: f64, lambda: f64) -> [f64; 3] {
    let c = phi.cos();
    [c * lambda.cos(), c * lambda.sin(), phi.sin()]
}

impl KdTree {
    /// A tree of the points with finite coordinates (`(lon, lat)` degrees,
    /// with their source indices).
    pub(crate) fn new(points: Vec<(f64, f64, usize)>) -> Self {
        let mut items: Vec<([f64; 3], usize, f64, f64)> = points
            .into_iter()
            .map(|(lon, lat, i)| {
                let (p, l) = (lat.to_radians(), lon.to_radians());
                (unit(p, l), i, p, l)
            })
            .collect();
        let mut nodes = Vec::new();
        if !items.is_empty() {
            let n = items.len();
            build(&mut items, 0, n, &mut nodes);
        }
        KdTree {
            index: items.iter().map(|t| t.1).collect(),
            phi: items.iter().map(|t| t.2).collect(),
            cos_phi: items.iter().map(|t| t.2.cos()).collect(),
            lambda: items.iter().map(|t| t.3).collect(),
            nodes,
        }
    }

    /// The k nearest points of the target `(lon, lat)` in degrees.
    pub(crate) fn search(&self, lon: f64, lat: f64, best: &mut Best) {
        best.clear();
        if self.nodes.is_empty() {
            return;
        }
        let (phi0, lam0) = (lat.to_radians(), lon.to_radians());
        let cos0 = phi0.cos();
        let q = unit(phi0, lam0);
        let mut stack = vec![0usize];
        while let Some(id) = stack.pop() {
            let node = &self.nodes[id];
            let worst = best.worst();
            if worst.is_finite() {
                // Squared chord to the box, as a haversine (chord² = 4·hav).
                let d2: f64 = (0..3)
                    .map(|a| {
                        let d = (node.min[a] - q[a]).max(q[a] - node.max[a]).max(0.0);
                        d * d
                    })
                    .sum();
                let slack = worst * SAFETY + 1e-15 * (4.0 * worst).sqrt() + 1e-300;
                if 0.25 * d2 > worst + slack {
                    continue;
                }
            }
            if node.left == usize::MAX {
                for s in node.lo..node.hi {
                    let h = haversine(
                        phi0,
                        cos0,
                        self.phi[s],
                        self.cos_phi[s],
                        self.lambda[s] - lam0,
                    );
                    best.offer(h, self.index[s]);
                }
            } else {
                // Visit the nearer child first (pushed last).
                let (l, r) = (&self.nodes[node.left], &self.nodes[node.right]);
                let centre_dist = |n: &Node| -> f64 {
                    (0..3)
                        .map(|a| {
                            let c = 0.5 * (n.min[a] + n.max[a]);
                            (c - q[a]) * (c - q[a])
                        })
                        .sum()
                };
                if centre_dist(l) <= centre_dist(r) {
                    stack.push(node.right);
                    stack.push(node.left);
                } else {
                    stack.push(node.left);
                    stack.push(node.right);
                }
            }
        }
    }
}

type Item = ([f64; 3], usize, f64, f64);

fn build(items: &mut [Item], lo: usize, hi: usize, nodes: &mut Vec<Node>) -> usize {
    let mut min = [f64::INFINITY; 3];
    let mut max = [f64::NEG_INFINITY; 3];
    for it in &items[lo..hi] {
        for a in 0..3 {
            min[a] = min[a].min(it.0[a]);
            max[a] = max[a].max(it.0[a]);
        }
    }
    let id = nodes.len();
    nodes.push(Node {
        lo,
        hi,
        min,
        max,
        left: usize::MAX,
        right: usize::MAX,
    });
    if hi - lo > LEAF {
        let axis = (0..3)
            .max_by(|&a, &b| (max[a] - min[a]).total_cmp(&(max[b] - min[b])))
            .unwrap_or(0);
        let mid = (hi - lo) / 2;
        items[lo..hi].select_nth_unstable_by(mid, |x, y| {
            x.0[axis].total_cmp(&y.0[axis]).then(x.1.cmp(&y.1))
        });
        let left = build(items, lo, lo + mid, nodes);
        let right = build(items, lo + mid, hi, nodes);
        nodes[id].left = left;
        nodes[id].right = right;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(points: &[(f64, f64, usize)], lon: f64, lat: f64, k: usize) -> Vec<(f64, usize)> {
        let (p0, l0) = (lat.to_radians(), lon.to_radians());
        let mut v: Vec<(f64, usize)> = points
            .iter()
            .map(|&(lo, la, i)| {
                let p = la.to_radians();
                (haversine(p0, p0.cos(), p, p.cos(), lo.to_radians() - l0), i)
            })
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        v.truncate(k);
        v
    }

    #[test]
    fn raster_and_tree_match_brute_force() {
        // A raster with descending latitudes crossing the antimeridian in
        // unrolled longitudes, and targets inside and outside it.
        let lons: Vec<f64> = (0..37).map(|i| 170.0 + 0.37 * i as f64).collect();
        let lats: Vec<f64> = (0..23).map(|i| 70.0 - 0.21 * i as f64).collect();
        let mut pts = Vec::new();
        for (r, &la) in lats.iter().enumerate() {
            for (c, &lo) in lons.iter().enumerate() {
                pts.push((lo, la, r * lons.len() + c));
            }
        }
        let axes = RasterAxes::new(&lons, &lats);
        let tree = KdTree::new(pts.clone());
        let mut b1 = Best::new(4);
        let mut b2 = Best::new(4);
        for (lon, lat) in [
            (171.03, 68.0),
            (178.0, 66.0),
            (-178.0, 66.5),
            (160.0, 60.0),
            (183.0, 75.0),
            (lons[5], lats[7]),
            (0.5 * (lons[5] + lons[6]), 0.5 * (lats[7] + lats[8])),
        ] {
            let want = brute(&pts, lon, lat, 4);
            axes.search(lon, lat, &mut b1);
            tree.search(lon, lat, &mut b2);
            assert_eq!(b1.items(), &want[..], "raster at ({lon}, {lat})");
            assert_eq!(b2.items(), &want[..], "tree at ({lon}, {lat})");
        }
    }

    #[test]
    fn wrapped_distance() {
        assert_eq!(min_wrapped_distance(10.0, 20.0, 15.0), 0.0);
        assert_eq!(min_wrapped_distance(10.0, 20.0, 25.0), 5.0);
        assert_eq!(min_wrapped_distance(170.0, 175.0, -175.0), 10.0);
        assert_eq!(min_wrapped_distance(-10.0, 10.0, 360.0), 0.0);
    }
}
