//! The geodesic km grid: step lengths (checked with the inverse geodesic
//! problem), the covering rule, the cell order, and the 10 km grid of the
//! S-UPSCALE study itself.

use geographiclib_rs::{Geodesic, InverseGeodesic};
use upscale_dist::{BoundingBox, GeodesicGridParams, Grid};

fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let s: f64 = Geodesic::wgs84().inverse(lat1, lon1, lat2, lon2);
    s
}

#[test]
fn steps_are_resolution_km_along_meridian_and_parallel() {
    let bbox = BoundingBox::new(-134.5, -133.5, 68.6, 69.0).unwrap();
    let (lon_ref, lat_ref) = bbox.centre();
    let grid = GeodesicGridParams::new(10.0).build(&bbox).unwrap();
    for w in grid.lat_edges().windows(2) {
        let d = distance_m(w[0], lon_ref, w[1], lon_ref);
        assert!((d - 10_000.0).abs() < 1e-6, "meridian step {d} m");
    }
    // Eastward geodesics from the reference parallel: each step is 10 km
    // long from (lat_ref, edge) — the end point lies slightly south of the
    // parallel, so the distance along the parallel itself is a bit longer.
    let geod = Geodesic::wgs84();
    for w in grid.lon_edges().windows(2) {
        let (lat2, lon2): (f64, f64) = upscale_dist_direct(&geod, lat_ref, w[0], 90.0, 10_000.0);
        assert!((lon2 - w[1]).abs() < 1e-12);
        assert!(lat2 < lat_ref);
    }
    // The longitude step is the same everywhere (rotational symmetry).
    let steps: Vec<f64> = grid.lon_edges().windows(2).map(|w| w[1] - w[0]).collect();
    assert!(steps.iter().all(|s| (s - steps[0]).abs() < 1e-12));
}

fn upscale_dist_direct(g: &Geodesic, lat: f64, lon: f64, azi: f64, s: f64) -> (f64, f64) {
    use geographiclib_rs::DirectGeodesic;
    g.direct(lat, lon, azi, s)
}

#[test]
fn covering_rule() {
    let bbox = BoundingBox::new(10.0, 10.5, 45.0, 45.25).unwrap();
    let grid = GeodesicGridParams::new(10.0).build(&bbox).unwrap();
    for (edges, min, max) in [
        (grid.lon_edges(), 10.0, 10.5),
        (grid.lat_edges(), 45.0, 45.25),
    ] {
        let n = edges.len();
        assert_eq!(edges[0], min, "first edge at the box's minimum");
        assert!(edges[n - 1] > max, "last edge strictly beyond the maximum");
        assert!(edges[n - 2] <= max, "no cell entirely beyond the maximum");
    }
    // The box's corners, maximum included, fall in cells.
    assert_eq!(grid.locate(10.0, 45.0), Some(0));
    assert_eq!(grid.locate(10.5, 45.25), Some(grid.n_cells() - 1));
    // A degenerate box (one raster row/column) still gets one cell.
    let line = BoundingBox::new(10.0, 10.0, 45.0, 45.0).unwrap();
    let g = GeodesicGridParams::new(10.0).build(&line).unwrap();
    assert_eq!(g.shape(), (1, 1));
    assert_eq!(g.locate(10.0, 45.0), Some(0));
}

#[test]
fn cell_order_is_latitude_outer_longitude_inner() {
    let grid = Grid::from_edges(vec![0.0, 1.0, 2.0, 3.0], vec![10.0, 11.0, 12.0]).unwrap();
    assert_eq!(grid.shape(), (2, 3));
    let cells: Vec<(f64, f64, f64, f64)> = grid
        .cells()
        .map(|c| (c.lon_min, c.lon_max, c.lat_min, c.lat_max))
        .collect();
    // S-UPSCALE's create_km_grid: for i in lat: for j in lon: (lon_j, lon_j+1, lat_i, lat_i+1).
    let mut expected = Vec::new();
    for i in 0..2 {
        for j in 0..3 {
            expected.push((j as f64, j as f64 + 1.0, 10.0 + i as f64, 11.0 + i as f64));
        }
    }
    assert_eq!(cells, expected);
    for c in grid.cells() {
        let (lon, lat) = c.centre();
        assert_eq!(grid.locate(lon, lat), Some(c.index));
        assert_eq!(c.index, c.iy * 3 + c.ix);
    }
    assert_eq!(grid.lon_bounds().row(2).to_vec(), vec![2.0, 3.0]);
    assert_eq!(grid.lat_bounds().shape(), &[2, 2]);
    let (lon2, lat2) = grid.centres_2d();
    assert_eq!((lon2[[1, 2]], lat2[[1, 2]]), (2.5, 11.5));
}

/// The 10 km grid S-UPSCALE produced for the Mackenzie River Delta: the
/// coordinates of `PALSAR_20151016_20161014_vert_filt_900px_gcs_masked_
/// clipped_10km.nc` (anALPAKKA/permafrostdeformstat @ 06a83c3,
/// `SampleData/MRD/`, in `shared/data/real/palsar2_10km/`), read with
/// `ncdump -v lat,lon`: `lat[:, 0]` and `lon[0, :]`, printed with 6
/// decimals. The study wrote each cell's south-west corner as its
/// coordinate, so these are the grid's edges. Stepping from the first
/// edge reproduces them: latitude with no free parameter; longitude with
/// the reference latitude 67.305797° (the mean latitude of the study's
/// high-resolution raster, which is not in the sample; it is the value
/// that reproduces the mean longitude step, so only the uniformity of
/// the 27 steps is tested there).
#[test]
fn reproduces_the_study_10km_grid() {
    const LAT: [f64; 42] = [
        65.428081, 65.517767, 65.607452, 65.697136, 65.78682, 65.876502, 65.966183, 66.055863,
        66.145542, 66.235219, 66.324896, 66.414572, 66.504247, 66.593921, 66.683593, 66.773265,
        66.862936, 66.952605, 67.042274, 67.131941, 67.221608, 67.311273, 67.400938, 67.490601,
        67.580264, 67.669926, 67.759586, 67.849246, 67.938904, 68.028562, 68.118218, 68.207874,
        68.297528, 68.387182, 68.476835, 68.566487, 68.656137, 68.745787, 68.835436, 68.925084,
        69.014731, 69.104377,
    ];
    const LON: [f64; 28] = [
        -136.612436,
        -136.380264,
        -136.148093,
        -135.915921,
        -135.683749,
        -135.451577,
        -135.219405,
        -134.987234,
        -134.755062,
        -134.52289,
        -134.290718,
        -134.058547,
        -133.826375,
        -133.594203,
        -133.362031,
        -133.12986,
        -132.897688,
        -132.665516,
        -132.433344,
        -132.201173,
        -131.969001,
        -131.736829,
        -131.504657,
        -131.272485,
        -131.040314,
        -130.808142,
        -130.57597,
        -130.343798,
    ];
    // A box from the first printed edge to just short of the last one: the
    // covering rule then ends exactly on the last printed edge.
    let bbox = BoundingBox::new(LON[0], LON[27] - 1e-4, LAT[0], LAT[41] - 1e-4).unwrap();
    let grid = GeodesicGridParams::new(10.0)
        .with_reference(-133.478117, 67.305797)
        .build(&bbox)
        .unwrap();
    assert_eq!(grid.lat_edges().len(), 42);
    assert_eq!(grid.lon_edges().len(), 28);
    let worst_lat = LAT
        .iter()
        .zip(grid.lat_edges())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let worst_lon = LON
        .iter()
        .zip(grid.lon_edges())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    // 6-decimal printing: ±5e-7 each, plus the rounded first edge.
    assert!(worst_lat < 1.5e-6, "latitude edges differ by {worst_lat}°");
    assert!(worst_lon < 1.5e-6, "longitude edges differ by {worst_lon}°");
}
