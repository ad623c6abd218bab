//! A small k-d tree over unit vectors for nearest-neighbour searches on the
//! sphere (chord distance is monotonic in great-circle distance).

/// Mean Earth radius used for distances, m.
pub const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// Unit vector of a (lat, lon) in degrees.
pub(crate) fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

fn dist2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// Great-circle distance in metres from a squared chord on the unit sphere.
pub(crate) fn chord2_to_metres(c2: f64) -> f64 {
    2.0 * (c2.sqrt() / 2.0).min(1.0).asin() * EARTH_RADIUS_M
}

/// Great-circle distance between two points given in degrees, m (sphere of
/// radius [`EARTH_RADIUS_M`]).
pub fn great_circle_distance(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    chord2_to_metres(dist2(&unit_vector(lat1, lon1), &unit_vector(lat2, lon2)))
}

pub(crate) struct KdTree {
    points: Vec<[f64; 3]>,
    /// Original index of each point.
    ids: Vec<usize>,
}

impl KdTree {
    /// Builds a tree over `(id, point)` pairs.
    pub fn new(items: Vec<(usize, [f64; 3])>) -> Self {
        let mut items = items;
        build(&mut items, 0);
        KdTree {
            ids: items.iter().map(|x| x.0).collect(),
            points: items.into_iter().map(|x| x.1).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The `k` nearest points as `(squared chord, id)`, nearest first; ties
    /// broken by the smaller id.
    pub fn nearest(&self, q: &[f64; 3], k: usize) -> Vec<(f64, usize)> {
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        if k > 0 {
            self.search(0, self.points.len(), 0, q, k, &mut best);
        }
        best
    }

    fn search(
        &self,
        lo: usize,
        hi: usize,
        depth: usize,
        q: &[f64; 3],
        k: usize,
        best: &mut Vec<(f64, usize)>,
    ) {
        if lo >= hi {
            return;
        }
        let mid = lo + (hi - lo) / 2;
        let axis = depth % 3;
        let p = &self.points[mid];
        let cand = (dist2(p, q), self.ids[mid]);
        if best.len() < k || lt(cand, best[best.len() - 1]) {
            let pos = best.partition_point(|&b| lt(b, cand));
            best.insert(pos, cand);
            best.truncate(k);
        }
        let diff = q[axis] - p[axis];
        let (near, far) = if diff < 0.0 {
            ((lo, mid), (mid + 1, hi))
        } else {
            ((mid + 1, hi), (lo, mid))
        };
        self.search(near.0, near.1, depth + 1, q, k, best);
        if best.len() < k || diff * diff <= best[best.len() - 1].0 {
            self.search(far.0, far.1, depth + 1, q, k, best);
        }
    }
}

fn lt(a: (f64, usize), b: (f64, usize)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
}

fn build(items: &mut [(usize, [f64; 3])], depth: usize) {
    if items.len() <= 1 {
        return;
    }
    let axis = depth % 3;
    let mid = items.len() / 2;
    items.select_nth_unstable_by(mid, |a, b| {
        a.1[axis].total_cmp(&b.1[axis]).then(a.0.cmp(&b.0))
    });
    let (left, right) = items.split_at_mut(mid);
    build(left, depth + 1);
    build(&mut right[1..], depth + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_brute_force() {
        let pts: Vec<(usize, [f64; 3])> = (0..500)
            .map(|i| {
                let lat = ((i * 37) % 180) as f64 - 89.5;
                let lon = ((i * 113) % 360) as f64 - 180.0;
                (i, unit_vector(lat, lon))
            })
            .collect();
        let tree = KdTree::new(pts.clone());
        for qi in 0..50 {
            let q = unit_vector(qi as f64 * 3.1 - 80.0, qi as f64 * 7.3 - 170.0);
            let mut brute: Vec<(f64, usize)> =
                pts.iter().map(|(i, p)| (dist2(p, &q), *i)).collect();
            brute.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let got = tree.nearest(&q, 4);
            assert_eq!(got, brute[..4].to_vec());
        }
    }

    #[test]
    fn distance_of_one_degree_on_the_equator() {
        let d = great_circle_distance(0.0, 0.0, 0.0, 1.0);
        assert!((d - EARTH_RADIUS_M * 1f64.to_radians()).abs() < 1e-6);
    }
}
