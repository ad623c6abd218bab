//! CDO grid descriptions: the text layout `cdo griddes` prints, bit-exact
//! round trips, and reading descriptions written by hand or by CDO.

use upscale_dist::{
    cdo_griddes, parse_cdo_griddes, BoundingBox, GeodesicGridParams, Grid, GriddesKind,
};

fn values_of(text: &str, key: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('=') {
            inside = k.trim() == key;
            if inside {
                out.extend(v.split_whitespace().map(|t| t.parse::<f64>().unwrap()));
            }
        } else if inside {
            out.extend(line.split_whitespace().map(|t| t.parse::<f64>().unwrap()));
        }
    }
    out
}

fn key_value(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
        .unwrap_or_else(|| panic!("{key} missing"))
}

#[test]
fn geodesic_grid_round_trips_bit_for_bit() {
    let bbox = BoundingBox::new(-134.5, -133.5, 68.6, 69.0).unwrap();
    let grid = GeodesicGridParams::new(10.0).build(&bbox).unwrap();
    for kind in [GriddesKind::LonLat, GriddesKind::Curvilinear] {
        let text = cdo_griddes(&grid, kind);
        let back = parse_cdo_griddes(&text).unwrap();
        assert_eq!(back.lon_edges(), grid.lon_edges(), "{kind:?}");
        assert_eq!(back.lat_edges(), grid.lat_edges(), "{kind:?}");
    }
}

#[test]
fn lonlat_layout() {
    let grid = Grid::from_edges(vec![0.0, 1.0, 3.0], vec![-1.0, 0.0, 0.5, 2.0]).unwrap();
    let t = cdo_griddes(&grid, GriddesKind::LonLat);
    assert!(t.starts_with("#\n# gridID 1\n#\n"));
    assert_eq!(key_value(&t, "gridtype"), "lonlat");
    assert_eq!(key_value(&t, "gridsize"), "6");
    assert_eq!(key_value(&t, "xsize"), "2");
    assert_eq!(key_value(&t, "ysize"), "3");
    assert_eq!(key_value(&t, "xunits"), "\"degrees_east\"");
    assert_eq!(values_of(&t, "xvals"), vec![0.5, 2.0]);
    assert_eq!(values_of(&t, "xbounds"), vec![0.0, 1.0, 1.0, 3.0]);
    assert_eq!(values_of(&t, "yvals"), vec![-0.5, 0.25, 1.25]);
    assert_eq!(
        values_of(&t, "ybounds"),
        vec![-1.0, 0.0, 0.0, 0.5, 0.5, 2.0]
    );
    // `key     = value`: keys padded to 9 characters as cdo prints them.
    assert!(t.contains("\nxsize     = 2\n"), "{t}");
}

#[test]
fn curvilinear_layout() {
    let grid = Grid::from_edges(vec![0.0, 1.0, 3.0], vec![-1.0, 0.0, 0.5]).unwrap();
    let t = cdo_griddes(&grid, GriddesKind::Curvilinear);
    assert_eq!(key_value(&t, "gridtype"), "curvilinear");
    assert_eq!(key_value(&t, "nvertex"), "4");
    // Latitude outer, longitude inner.
    assert_eq!(values_of(&t, "xvals"), vec![0.5, 2.0, 0.5, 2.0]);
    assert_eq!(values_of(&t, "yvals"), vec![-0.5, -0.5, 0.25, 0.25]);
    // Corners counter-clockwise from the south-west.
    let xb = values_of(&t, "xbounds");
    let yb = values_of(&t, "ybounds");
    assert_eq!(&xb[4..8], &[1.0, 3.0, 3.0, 1.0]);
    assert_eq!(&yb[4..8], &[-1.0, -1.0, 0.0, 0.0]);
    assert_eq!(xb.len(), 16);
    // Long lists wrap onto continuation lines.
    let big = Grid::from_edges((0..=20).map(f64::from).collect(), vec![0.0, 1.0]).unwrap();
    let t = cdo_griddes(&big, GriddesKind::Curvilinear);
    assert!(t
        .lines()
        .any(|l| l.starts_with("           ") && !l.contains('=')));
    assert_eq!(values_of(&t, "xbounds").len(), 80);
}

#[test]
fn reads_descriptions_without_bounds() {
    // xfirst/xinc form, as written by hand for `cdo remapdis,grid.txt`.
    let g = parse_cdo_griddes(
        "# a 10 x 5 grid\ngridtype = lonlat\nxsize = 10\nysize = 5\nxfirst = -10.0\nxinc = 0.5\nyfirst = 60\nyinc = 0.25\n",
    )
    .unwrap();
    assert_eq!(g.shape(), (5, 10));
    assert_eq!(g.lon_edges()[0], -10.25);
    assert_eq!(g.lon_centres()[9], -5.5);
    assert_eq!(g.lat_edges()[5], 61.125);
    // S-UPSCALE's own form: curvilinear, 2-D xvals/yvals only, 6 decimals.
    let g = parse_cdo_griddes(
        "gridtype = curvilinear\nxsize = 3\nysize = 2\ngridsize = 6\n\
         xvals = -136.612436 -136.380264 -136.148093 -136.612436 -136.380264 -136.148093\n\
         yvals = 65.428081 65.428081 65.428081 65.517767 65.517767 65.517767\n",
    )
    .unwrap();
    assert_eq!(g.shape(), (2, 3));
    // Centres are recomputed as midpoints of the derived edges: equal to the
    // given ones where the spacing is uniform, within 1e-6° here.
    assert!((g.lon_centres()[1] - -136.380264).abs() < 1e-6);
    assert!((g.lat_edges()[1] - 0.5 * (65.428081 + 65.517767)).abs() < 1e-12);
}
