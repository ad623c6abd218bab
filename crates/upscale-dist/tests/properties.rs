//! Properties (proptest): merged moments equal the moments of the whole;
//! histogram counts add up to the points inside the grid and the range;
//! binning ignores how the input is cut; bins and cells follow their
//! half-open definitions; the geodesic grid covers its box.

mod common;

use common::assert_same_bits;
use proptest::prelude::*;
use upscale_dist::{BinningParams, BoundingBox, GeodesicGridParams, Grid, HistogramBins, Moments};

fn rel_close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Merging the moments of consecutive pieces (Pébay) gives the moments
    /// of the whole sample, offset or not.
    #[test]
    fn merged_pieces_equal_the_whole(
        xs in prop::collection::vec(-1.0e3..1.0e3f64, 2..300),
        cuts in prop::collection::vec(0usize..300, 0..6),
        offset in prop::sample::select(vec![0.0, 1.0e6, -3.5e4]),
    ) {
        let xs: Vec<f64> = xs.iter().map(|x| x + offset).collect();
        let whole = Moments::from_slice(&xs);
        prop_assume!(whole.variance() > 1e-3);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (xs.len() + 1)).collect();
        cuts.push(0);
        cuts.push(xs.len());
        cuts.sort_unstable();
        let mut merged = Moments::new();
        for w in cuts.windows(2) {
            merged.merge(&Moments::from_slice(&xs[w[0]..w[1]]));
        }
        prop_assert_eq!(merged.count(), whole.count());
        prop_assert!((merged.mean() - whole.mean()).abs() <= 1e-12 * (offset.abs() + 1e3));
        prop_assert!(rel_close(merged.std(), whole.std(), 1e-9));
        prop_assert!((merged.skewness() - whole.skewness()).abs() <= 1e-9);
        prop_assert!(rel_close(merged.kurtosis(), whole.kurtosis(), 1e-9));
    }

    /// `bin_of` is the half-open bin of the numpy edges (last bin closed).
    #[test]
    fn bin_of_follows_the_edges(
        min in -100.0..100.0f64,
        width in 1e-6..50.0f64,
        n in 1usize..200,
        xs in prop::collection::vec(-0.1..1.1f64, 1..50),
    ) {
        let max = min + width;
        let bins = HistogramBins::new(min, max, n).unwrap();
        let e = bins.edges();
        let mut probes: Vec<f64> = xs.iter().map(|t| min + t * width).collect();
        // Every edge and its neighbours in floating point.
        for &edge in e {
            probes.extend([edge, edge.next_down(), edge.next_up()]);
        }
        for x in probes {
            let naive = if x < min || x > max {
                None
            } else if x == max {
                Some(n - 1)
            } else {
                Some(e.partition_point(|&b| b <= x) - 1)
            };
            prop_assert_eq!(bins.bin_of(x), naive, "x = {}", x);
        }
    }

    /// Histogram counts of all cells add up to the points inside the grid
    /// and the histogram range; counts to the points inside the grid; the
    /// report's accounting closes; each cell's counts match a direct count.
    #[test]
    fn counts_add_up(
        lon_cuts in prop::collection::btree_set(1u32..400, 0..5),
        lat_cuts in prop::collection::btree_set(1u32..300, 0..4),
        pts in prop::collection::vec((-1.0..5.0f64, -1.0..4.0f64, -2.0..2.0f64), 0..400),
        chunk in 1usize..64,
    ) {
        let mut lon_edges = vec![0.0];
        lon_edges.extend(lon_cuts.iter().map(|&c| c as f64 / 100.0));
        lon_edges.push(4.0);
        let mut lat_edges = vec![0.0];
        lat_edges.extend(lat_cuts.iter().map(|&c| c as f64 / 100.0));
        lat_edges.push(3.0);
        let grid = Grid::from_edges(lon_edges.clone(), lat_edges.clone()).unwrap();
        let (lons, (lats, vals)): (Vec<f64>, (Vec<f64>, Vec<f64>)) =
            pts.iter().map(|&(a, b, c)| (a, (b, c))).unzip();
        let r = BinningParams::new(-1.0, 1.0)
            .with_bins(7)
            .with_chunk_size(chunk)
            .build()
            .unwrap()
            .bin_points(&grid, &lons, &lats, &vals)
            .unwrap();
        let naive_cell = |lon: f64, lat: f64| -> Option<usize> {
            let ix = lon_edges.partition_point(|&e| e <= lon).checked_sub(1)?;
            let iy = lat_edges.partition_point(|&e| e <= lat).checked_sub(1)?;
            (ix < lon_edges.len() - 1 && iy < lat_edges.len() - 1)
                .then(|| iy * (lon_edges.len() - 1) + ix)
        };
        let mut counts = vec![0u64; grid.n_cells()];
        let mut in_range = 0u64;
        for ((&lo, &la), &v) in lons.iter().zip(&lats).zip(&vals) {
            if let Some(c) = naive_cell(lo, la) {
                counts[c] += 1;
                if (-1.0..=1.0).contains(&v) {
                    in_range += 1;
                }
            }
        }
        prop_assert_eq!(r.counts.to_vec(), counts);
        prop_assert_eq!(r.histogram_counts.sum(), in_range);
        prop_assert_eq!(r.histogram_totals.sum(), in_range);
        prop_assert!(r.histogram_totals.iter().zip(&r.counts).all(|(t, c)| t <= c));
        let rep = r.report;
        prop_assert_eq!(rep.points_seen, pts.len() as u64);
        prop_assert_eq!(
            rep.points_seen,
            rep.binned + rep.dropped_non_finite + rep.dropped_by_filter + rep.dropped_outside_grid
        );
        prop_assert_eq!(rep.binned - rep.outside_histogram, in_range);
    }

    /// However the points are cut into pushes and chunks, the result is the
    /// same to the bit.
    #[test]
    fn cutting_the_input_changes_nothing(
        pts in prop::collection::vec((0.0..2.0f64, 0.0..1.0f64, -1.0..1.0f64), 1..300),
        cuts in prop::collection::vec(0usize..300, 0..5),
        chunk in 1usize..50,
    ) {
        let grid = Grid::from_edges(vec![0.0, 0.7, 2.0], vec![0.0, 0.4, 1.0]).unwrap();
        let (lons, (lats, vals)): (Vec<f64>, (Vec<f64>, Vec<f64>)) =
            pts.iter().map(|&(a, b, c)| (a, (b, c + 1000.0))).unzip();
        let params = |c| BinningParams::new(999.0, 1001.0).with_threshold(3).with_chunk_size(c).build().unwrap();
        let whole = params(1 << 20).bin_points(&grid, &lons, &lats, &vals).unwrap();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (pts.len() + 1)).collect();
        cuts.push(0);
        cuts.push(pts.len());
        cuts.sort_unstable();
        let mut b = params(chunk).binner(&grid);
        for w in cuts.windows(2) {
            b.push_points(&lons[w[0]..w[1]], &lats[w[0]..w[1]], &vals[w[0]..w[1]]).unwrap();
        }
        assert_same_bits(&b.finish(), &whole, "cut input");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// The geodesic grid starts at the box's minimum and ends at the first
    /// edge beyond its maximum, with strictly increasing edges.
    #[test]
    fn geodesic_grid_covers_its_box(
        lon0 in -179.0..179.0f64,
        lat0 in -80.0..79.0f64,
        dlon in 0.0..1.5f64,
        dlat in 0.0..1.0f64,
        res in 2.0..60.0f64,
    ) {
        let bbox = BoundingBox::new(lon0, lon0 + dlon, lat0, lat0 + dlat).unwrap();
        let grid = GeodesicGridParams::new(res).build(&bbox).unwrap();
        for (edges, min, max) in [
            (grid.lon_edges(), bbox.lon_min(), bbox.lon_max()),
            (grid.lat_edges(), bbox.lat_min(), bbox.lat_max()),
        ] {
            let n = edges.len();
            prop_assert_eq!(edges[0], min);
            prop_assert!(edges[n - 1] > max);
            prop_assert!(edges[n - 2] <= max);
            prop_assert!(edges.windows(2).all(|w| w[1] > w[0]));
        }
        prop_assert_eq!(grid.locate(bbox.lon_max(), bbox.lat_max()), Some(grid.n_cells() - 1));
    }
}
