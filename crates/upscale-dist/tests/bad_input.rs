//! Bad input: clear errors that name the input, or documented outcomes.

use ndarray::{array, Array2};
use upscale_dist::{
    parse_cdo_griddes, Aggregation, AggregationParams, BinningParams, BoundingBox, Error,
    GeodesicGridParams, Grid, HistogramBins, PointFilter,
};

fn unit_grid() -> Grid {
    Grid::from_edges(vec![0.0, 1.0, 2.0], vec![0.0, 1.0]).unwrap()
}

fn param_name(e: &Error) -> &'static str {
    match e {
        Error::InvalidParameter { name, .. } => name,
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

#[test]
fn histogram_range_and_bins() {
    // min ≥ max, zero bins, non-finite bounds: errors naming the parameter.
    let e = HistogramBins::new(0.05, 0.05, 50).unwrap_err();
    assert_eq!(param_name(&e), "histogram max");
    assert!(
        e.to_string().contains("must be > histogram min = 0.05"),
        "{e}"
    );
    assert_eq!(
        param_name(&HistogramBins::new(0.1, -0.1, 50).unwrap_err()),
        "histogram max"
    );
    assert_eq!(
        param_name(&HistogramBins::new(-0.1, 0.1, 0).unwrap_err()),
        "n_bins"
    );
    assert_eq!(
        param_name(&HistogramBins::new(f64::NAN, 0.1, 5).unwrap_err()),
        "histogram min"
    );
    assert_eq!(
        param_name(&HistogramBins::new(0.0, f64::INFINITY, 5).unwrap_err()),
        "histogram max"
    );
    // Through the binning builder, and chunk_size 0.
    let e = BinningParams::new(1.0, 0.0).build().unwrap_err();
    assert_eq!(param_name(&e), "histogram max");
    let e = BinningParams::new(0.0, 1.0)
        .with_bins(0)
        .build()
        .unwrap_err();
    assert_eq!(param_name(&e), "n_bins");
    let e = BinningParams::new(0.0, 1.0)
        .with_chunk_size(0)
        .build()
        .unwrap_err();
    assert_eq!(param_name(&e), "chunk_size");
    // Too many bins for a tiny range: edges would coincide.
    assert!(HistogramBins::new(1.0, 1.0 + 1e-15, 1000).is_err());
}

#[test]
fn filter_parameters() {
    assert_eq!(
        param_name(&PointFilter::new(0.5, -0.5, 1e-5).unwrap_err()),
        "filter max"
    );
    assert_eq!(
        param_name(&PointFilter::new(0.5, 0.5, 1e-5).unwrap_err()),
        "filter max"
    );
    assert_eq!(
        param_name(&PointFilter::new(f64::NAN, 0.5, 1e-5).unwrap_err()),
        "filter min"
    );
    assert_eq!(
        param_name(&PointFilter::new(-0.5, 0.5, -1.0).unwrap_err()),
        "filter near_zero"
    );
    // near_zero = 0 disables the rule but keeps the range.
    let f = PointFilter::new(-1.0, 1.0, 0.0).unwrap();
    assert!(f.keeps(0.0) && !f.keeps(1.5));
}

#[test]
fn grid_edges() {
    let e = Grid::from_edges(vec![0.0], vec![0.0, 1.0]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidEdges {
                axis: "longitude",
                ..
            }
        ),
        "{e:?}"
    );
    let e = Grid::from_edges(vec![0.0, 1.0, 1.0], vec![0.0, 1.0]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidEdges {
                axis: "longitude",
                index: 2,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("strictly increasing"));
    let e = Grid::from_edges(vec![0.0, 1.0], vec![0.0, f64::NAN]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidEdges {
                axis: "latitude",
                index: 1,
                ..
            }
        ),
        "{e:?}"
    );
    let e = Grid::from_edges(vec![0.0, 1.0], vec![89.0, 91.0]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidEdges {
                axis: "latitude",
                index: 1,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn bounding_boxes() {
    let e = BoundingBox::from_points(&[], &[]).unwrap_err();
    assert!(matches!(e, Error::EmptyInput { .. }), "{e:?}");
    let e = BoundingBox::from_points(&[f64::NAN, 1.0], &[1.0, f64::NAN]).unwrap_err();
    assert!(matches!(e, Error::EmptyInput { .. }), "{e:?}");
    let e = BoundingBox::from_points(&[1.0, 2.0], &[1.0]).unwrap_err();
    assert!(matches!(
        e,
        Error::LengthMismatch {
            input: "lats",
            found: 1,
            expected: 2,
            ..
        }
    ));
    let e = BoundingBox::from_axes(&[1.0], &[]).unwrap_err();
    assert!(
        matches!(e, Error::EmptyInput { input: "lats", .. }),
        "{e:?}"
    );
    assert_eq!(
        param_name(&BoundingBox::new(0.0, 1.0, 0.0, 95.0).unwrap_err()),
        "lat_max"
    );
    assert_eq!(
        param_name(&BoundingBox::new(2.0, 1.0, 0.0, 1.0).unwrap_err()),
        "lon_max"
    );
    // Non-finite pairs are skipped.
    let b = BoundingBox::from_points(&[f64::NAN, 1.0, 3.0], &[0.0, 2.0, 5.0]).unwrap();
    assert_eq!(
        (b.lon_min(), b.lon_max(), b.lat_min(), b.lat_max()),
        (1.0, 3.0, 2.0, 5.0)
    );
}

#[test]
fn geodesic_grid_parameters() {
    let bbox = BoundingBox::new(-134.5, -133.5, 68.6, 69.0).unwrap();
    for res in [0.0, -10.0, f64::NAN, f64::INFINITY] {
        let e = GeodesicGridParams::new(res).build(&bbox).unwrap_err();
        assert_eq!(param_name(&e), "resolution_km", "{res}");
    }
    // Too many cells: an error, not a runaway loop.
    let Err(e) = GeodesicGridParams::new(1e-4).build(&bbox) else {
        panic!("too many cells must be an error");
    };
    assert!(
        matches!(
            e,
            Error::GeodesicStep {
                axis: "latitude",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("max_cells_per_axis"), "{e}");
    let Err(e) = GeodesicGridParams::new(10.0)
        .with_max_cells_per_axis(3)
        .build(&bbox)
    else {
        panic!("too many cells must be an error");
    };
    assert!(e.to_string().contains("max_cells_per_axis"), "{e}");
    // Stepping north past the pole.
    let polar = BoundingBox::new(0.0, 1.0, 89.95, 90.0).unwrap();
    let e = GeodesicGridParams::new(10.0)
        .with_reference(0.5, 89.0)
        .build(&polar)
        .unwrap_err();
    assert!(e.to_string().contains("pole"), "{e}");
    // A step of half a great circle or more wraps the longitude.
    let south = BoundingBox::new(0.0, 1.0, -89.9, -89.8).unwrap();
    let e = GeodesicGridParams::new(20_500.0)
        .with_reference(0.5, 0.0)
        .build(&south)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::GeodesicStep {
                axis: "longitude",
                ..
            }
        ),
        "{e:?}"
    );
    // A reference latitude at the pole has no east direction.
    let e = GeodesicGridParams::new(10.0)
        .with_reference(0.0, 90.0)
        .build(&bbox)
        .unwrap_err();
    assert_eq!(param_name(&e), "reference lat");
    let e = GeodesicGridParams::new(10.0)
        .with_max_cells_per_axis(0)
        .build(&bbox)
        .unwrap_err();
    assert_eq!(param_name(&e), "max_cells_per_axis");
}

#[test]
fn push_length_mismatch_names_the_input() {
    let grid = unit_grid();
    let mut b = BinningParams::new(0.0, 1.0).build().unwrap().binner(&grid);
    let e = b.push_points(&[0.5, 0.5], &[0.5, 0.5], &[0.1]).unwrap_err();
    assert!(matches!(
        e,
        Error::LengthMismatch {
            input: "values",
            found: 1,
            expected: 2,
            ..
        }
    ));
    assert!(
        e.to_string()
            .contains("values has length 1, but lons has length 2"),
        "{e}"
    );
    let e = b.push_points(&[0.5], &[0.5, 0.5], &[0.1]).unwrap_err();
    assert!(matches!(e, Error::LengthMismatch { input: "lats", .. }));
    let v = Array2::<f64>::zeros((2, 3));
    let e = b
        .push_raster(&[0.1, 0.2], &[0.1, 0.2], v.view())
        .unwrap_err();
    assert!(matches!(
        e,
        Error::LengthMismatch {
            input: "lons",
            found: 2,
            expected: 3,
            ..
        }
    ));
    let e = b
        .push_raster(&[0.1, 0.2, 0.3], &[0.1], v.view())
        .unwrap_err();
    assert!(matches!(
        e,
        Error::LengthMismatch {
            input: "lats",
            found: 1,
            expected: 2,
            ..
        }
    ));
    // Nothing was binned by the failed pushes.
    assert_eq!(b.report().points_seen, 0);
}

#[test]
fn points_outside_the_grid_are_counted_not_errors() {
    let grid = unit_grid();
    let lons = [0.5, 2.0, -0.1, 1.5, f64::NAN, 0.5, 1.999_999];
    let lats = [0.5, 0.5, 0.5, 1.0, 0.5, f64::INFINITY, 0.999_999];
    let vals = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    let r = BinningParams::new(0.0, 1.0)
        .with_threshold(0)
        .build()
        .unwrap()
        .bin_points(&grid, &lons, &lats, &vals)
        .unwrap();
    // The last edge of each axis is exclusive; NaN/∞ coordinates are outside.
    assert_eq!(r.report.dropped_outside_grid, 5);
    assert_eq!(r.report.binned, 2);
    assert_eq!(r.counts.to_vec(), vec![1, 1]);
    assert_eq!(r.report.points_seen, 7);
}

#[test]
fn empty_input_is_a_documented_outcome() {
    // No push, or empty pushes: all counts 0, no valid cell, NaN statistics.
    let grid = unit_grid();
    let binning = BinningParams::new(-1.0, 1.0).build().unwrap();
    let mut b = binning.binner(&grid);
    b.push_points::<f64>(&[], &[], &[]).unwrap();
    b.push_raster(&[], &[], Array2::<f32>::zeros((0, 0)).view())
        .unwrap();
    let r = b.finish();
    assert_eq!(r.report, Default::default());
    assert!(r.counts.iter().all(|&c| c == 0));
    assert!(r.valid.iter().all(|&v| !v));
    assert!(r
        .mean
        .iter()
        .chain(&r.std)
        .chain(&r.kurtosis)
        .all(|v| v.is_nan()));
    assert!(r.density.iter().all(|v| v.is_nan()));
    assert!(r.valid_indices().is_empty());
    // All points filtered out: the same, with the drops reported.
    let r = binning.clone().binner(&grid).finish();
    assert_eq!(r.report.points_seen, 0);
    let r = BinningParams::new(-1.0, 1.0)
        .with_filter(Some(PointFilter::default()))
        .build()
        .unwrap()
        .bin_points(&grid, &[0.5, 0.5], &[0.5, 0.5], &[0.0, f64::NAN])
        .unwrap();
    assert_eq!(
        (
            r.report.dropped_by_filter,
            r.report.dropped_non_finite,
            r.report.binned
        ),
        (1, 1, 0)
    );
}

#[test]
fn threshold_is_strict_and_invalid_cells_are_nan() {
    let grid = unit_grid();
    let lons = [0.5; 6];
    let lats = [0.5; 6];
    let vals = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    let bin = |t| {
        BinningParams::new(0.0, 1.0)
            .with_threshold(t)
            .build()
            .unwrap()
            .bin_points(&grid, &lons, &lats, &vals)
            .unwrap()
    };
    let r = bin(6);
    assert_eq!(r.counts[0], 6);
    assert!(!r.valid[0], "count = threshold is not valid");
    assert!(r.mean[0].is_nan() && r.density.row(0).iter().all(|v| v.is_nan()));
    // The raw accumulator still has the statistics.
    assert!((r.moments[0].mean() - 0.35).abs() < 1e-15);
    let r = bin(5);
    assert!(r.valid[0]);
    assert!((r.mean[0] - 0.35).abs() < 1e-15);
    // Densities integrate to one over the range.
    let width = r.bins.width();
    let integral: f64 = r.density.row(0).iter().map(|d| d * width).sum();
    assert!((integral - 1.0).abs() < 1e-12);
}

#[test]
fn aggregation_errors_and_missing_values() {
    let grid = unit_grid();
    let e = AggregationParams::new()
        .with_method(Aggregation::InverseDistance { neighbours: 0 })
        .build()
        .unwrap_err();
    assert_eq!(param_name(&e), "neighbours");
    let agg = AggregationParams::new().build().unwrap();
    let v = array![[1.0, 2.0, 3.0]];
    let e = agg
        .aggregate_raster(&grid, &[0.1, 0.3, 0.2], &[0.5], v.view())
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonMonotoneAxis {
                input: "lons",
                index: 2,
                ..
            }
        ),
        "{e:?}"
    );
    let e = agg
        .aggregate_raster(&grid, &[0.1, f64::NAN, 0.2], &[0.5], v.view())
        .unwrap_err();
    assert!(matches!(
        e,
        Error::NonMonotoneAxis {
            input: "lons",
            index: 1,
            ..
        }
    ));
    let e = agg
        .aggregate_raster(&grid, &[], &[], Array2::<f64>::zeros((0, 0)).view())
        .unwrap_err();
    assert!(matches!(e, Error::EmptyInput { .. }));
    let e = agg
        .aggregate_points(&grid, &[0.1], &[0.1, 0.2], &[1.0])
        .unwrap_err();
    assert!(matches!(e, Error::LengthMismatch { input: "lats", .. }));
    // All neighbours missing: NaN (CDO: search first, then drop the missing).
    let all_nan = array![[f64::NAN, f64::NAN], [f64::NAN, f64::NAN]];
    let out = agg
        .aggregate_raster(&grid, &[0.4, 0.6], &[0.4, 0.6], all_nan.view())
        .unwrap();
    assert!(out.iter().all(|v| v.is_nan()));
}

#[test]
fn griddes_errors_name_the_line() {
    let e = parse_cdo_griddes("gridtype = unstructured\nxsize = 3\nysize = 1\n").unwrap_err();
    assert!(matches!(e, Error::Griddes { line: 1, .. }), "{e:?}");
    let e =
        parse_cdo_griddes("gridtype = lonlat\nxsize = 2\nysize = 1\nxvals = 1 2 3\nyvals = 0\n")
            .unwrap_err();
    assert!(matches!(e, Error::Griddes { line: 4, .. }), "{e:?}");
    assert!(
        e.to_string().contains("xvals has 3 values, 2 expected"),
        "{e}"
    );
    let e = parse_cdo_griddes("gridtype = lonlat\nxsize = 2\nysize = 1\nxvals = 1 x\nyvals = 0\n")
        .unwrap_err();
    assert!(
        e.to_string().contains("`x` in xvals is not a number"),
        "{e}"
    );
    let e = parse_cdo_griddes("gridtype = lonlat\nysize = 1\n").unwrap_err();
    assert!(e.to_string().contains("`xsize` is missing"), "{e}");
    // Latitudes north to south.
    let e = parse_cdo_griddes("gridtype = lonlat\nxsize = 1\nysize = 2\nxvals = 0\nyvals = 10 9\n")
        .unwrap_err();
    assert!(e.to_string().contains("north to south"), "{e}");
    // Curvilinear that is not rectilinear.
    let e = parse_cdo_griddes(
        "gridtype = curvilinear\nxsize = 2\nysize = 2\nxvals = 0 1 0.5 1\nyvals = 0 0 1 1\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("not rectilinear"), "{e}");
    // Bounds with a gap.
    let e = parse_cdo_griddes(
        "gridtype = lonlat\nxsize = 2\nysize = 1\nxvals = 0 1\nxbounds = -0.5 0.5 0.6 1.5\nyvals = 0\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("contiguous"), "{e}");
}
