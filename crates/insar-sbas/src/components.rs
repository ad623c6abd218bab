//! Connected components of a network (union–find) and a description of
//! where a disconnected network splits.

use chrono::NaiveDate;

/// Disjoint-set forest with path halving and union by size
/// (Tarjan 1975). Deterministic: the representative of a set is
/// independent of thread count and of anything but the union order.
#[derive(Debug, Clone)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub(crate) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }

    pub(crate) fn union(&mut self, a: usize, b: usize) {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if self.size[ra] < self.size[rb] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb] = ra as u32;
        self.size[ra] += self.size[rb];
    }
}

/// The connected components of a network: groups of dates joined by
/// interferograms. Components are ordered by their earliest date, and the
/// dates inside each by index, so the first component holds the first
/// (reference) date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component of each date.
    label: Vec<usize>,
    /// Date indices of each component, increasing.
    groups: Vec<Vec<usize>>,
}

impl Components {
    /// Components of `n_dates` dates joined by `pairs` (date indices).
    pub(crate) fn from_pairs(n_dates: usize, pairs: impl Iterator<Item = (usize, usize)>) -> Self {
        let mut uf = UnionFind::new(n_dates);
        for (a, b) in pairs {
            uf.union(a, b);
        }
        let mut root_label = vec![usize::MAX; n_dates];
        let mut label = vec![0; n_dates];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (d, l) in label.iter_mut().enumerate() {
            let r = uf.find(d);
            if root_label[r] == usize::MAX {
                root_label[r] = groups.len();
                groups.push(Vec::new());
            }
            *l = root_label[r];
            groups[*l].push(d);
        }
        Components { label, groups }
    }

    /// Number of components (1 for a connected network).
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// True when there are no dates at all.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// True when every date is joined to every other.
    pub fn is_connected(&self) -> bool {
        self.groups.len() <= 1
    }

    /// Component of date `d`.
    pub fn label(&self, d: usize) -> usize {
        self.label[d]
    }

    /// Component of every date.
    pub fn labels(&self) -> &[usize] {
        &self.label
    }

    /// Date indices of every component, earliest component first.
    pub fn groups(&self) -> &[Vec<usize>] {
        &self.groups
    }

    /// Describes where the network splits, in words: every boundary between
    /// consecutive dates that no interferogram spans ("network splits between
    /// 2017-03-02 and 2017-04-07"), and every group of dates that is not
    /// explained by such splits (an island inside the time span).
    pub fn describe(&self, dates: &[NaiveDate], pairs: &[(usize, usize)]) -> String {
        if self.is_connected() {
            return "network is connected".to_string();
        }
        let n = dates.len();
        // Pairs crossing each boundary between date i and i + 1.
        let mut delta = vec![0i64; n + 1];
        for &(a, b) in pairs {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            delta[lo] += 1;
            delta[hi] -= 1;
        }
        let mut splits = Vec::new();
        let mut crossing = 0i64;
        for (i, d) in delta.iter().enumerate().take(n - 1) {
            crossing += d;
            if crossing == 0 {
                splits.push(i);
            }
        }
        let mut parts: Vec<String> = splits
            .iter()
            .map(|&i| format!("network splits between {} and {}", dates[i], dates[i + 1]))
            .collect();
        if splits.len() + 1 < self.len() {
            // Islands: components that do not fill a whole segment between splits.
            let mut seg_start = vec![0usize; n];
            let mut s = 0;
            for (i, v) in seg_start.iter_mut().enumerate() {
                if i > 0 && splits.contains(&(i - 1)) {
                    s = i;
                }
                *v = s;
            }
            for g in &self.groups {
                let first = g[0];
                let last = *g.last().unwrap_or(&first);
                let seg = seg_start[first];
                let seg_end = (seg..n)
                    .find(|&i| i + 1 == n || seg_start[i + 1] != seg)
                    .unwrap_or(n - 1);
                if first == seg && last == seg_end && g.len() == seg_end - seg + 1 {
                    continue;
                }
                // Report only groups that do not hold the segment's first date.
                if first == seg {
                    continue;
                }
                parts.push(if g.len() == 1 {
                    format!("date {} is joined to no other date", dates[first])
                } else {
                    format!(
                        "the {} dates {} … {} form a separate group",
                        g.len(),
                        dates[first],
                        dates[last]
                    )
                });
            }
        }
        format!("{} components: {}", self.len(), parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(i: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2017, 1, 1).unwrap() + chrono::Duration::days(12 * i)
    }

    #[test]
    fn split_and_island_are_described() {
        let dates: Vec<_> = (0..6).map(d).collect();
        // 0-1, 1-2 | 3-5 with 4 isolated inside 3..5.
        let pairs = [(0, 1), (1, 2), (3, 5)];
        let c = Components::from_pairs(6, pairs.iter().copied());
        assert_eq!(c.len(), 3);
        let text = c.describe(&dates, &pairs);
        assert!(
            text.contains(&format!("network splits between {} and {}", d(2), d(3))),
            "{text}"
        );
        assert!(
            text.contains(&format!("date {} is joined to no other date", d(4))),
            "{text}"
        );
    }
}
