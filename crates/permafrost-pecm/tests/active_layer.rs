//! The active-layer check: the real CALM summary table, and the Eq. 8
//! calibration with block averages on a synthetic amplitude raster.

mod common;

use common::{real, Gauss};
use ndarray::Array2;
use permafrost_pecm::{
    alt_agreement, block_average, calibrate_alt_layers, read_station_table,
    read_station_table_path, BlockParams, CoordinateCheck, CoordinateFlag, Error, GeoGrid, GridCrs,
    Layer,
};

#[test]
fn reads_the_real_calm_table() {
    let Some(path) = real("alt/calm_alt_summary.csv") else {
        return;
    };
    let table = read_station_table_path(&path, &CoordinateCheck::new()).unwrap();
    assert_eq!(table.stations.len(), 124);
    assert_eq!(table.years, (1990..=2021).collect::<Vec<_>>());
    let u1 = table.get("U1").unwrap();
    assert_eq!((u1.lat, u1.lon), (71.32, -156.60));
    assert_eq!(u1.alt_cm(1993), Some(30.0));
    assert_eq!(u1.alt_cm(1990), None, "blank cells are missing");
    assert_eq!(u1.alt_m(2021), Some(0.31));
    // U3 2008 is written "49" (no decimals) in the file.
    assert_eq!(table.get("U3").unwrap().alt_cm(2008), Some(49.0));
    // R36 sits at 9.17° N among the Kolyma sites: flagged, and the only one.
    let r36 = table.get("R36").unwrap();
    assert_eq!(
        r36.flag,
        Some(CoordinateFlag::ImplausibleLatitude {
            min_abs_latitude: 25.0
        })
    );
    let flagged: Vec<&str> = table.flagged().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(flagged, vec!["R36"]);
    assert_eq!(table.plausible().len(), 123);
    // Its values are kept.
    assert_eq!(r36.alt_cm(2005), Some(38.0));
    // A stricter band would flag the Kamchatka sites too.
    let strict =
        read_station_table_path(&path, &CoordinateCheck::new().with_min_abs_latitude(60.0))
            .unwrap();
    assert!(strict.get("R30A").unwrap().flag.is_some());
}

#[test]
fn missing_file_is_a_clear_error() {
    let err =
        read_station_table_path("/nonexistent/calm.csv", &CoordinateCheck::new()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/calm.csv"), "{err}");
    let err = read_station_table(
        "ID,LAT,LON\n".as_bytes(),
        &CoordinateCheck::new().with_min_abs_latitude(120.0),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidParameter {
                name: "min_abs_latitude",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn calibration_explains_amplitudes_that_follow_water_content() {
    // 30 stations on a projected grid of 30 m pixels; the seasonal
    // amplitude follows ALT·VWC (the thaw settlement of the water in the
    // active layer). Against raw ALT the fit is poor; against Eq. 8's
    // calibrated ALT it is good — as in the study (RMSE 9 → 3 mm).
    let grid = GeoGrid {
        x0: 0.0,
        dx: 30.0,
        y0: 30_000.0,
        dy: -30.0,
        crs: GridCrs::Projected,
    };
    let mut amp = Array2::from_elem((1000, 1000), f64::NAN);
    let mut sig = Array2::from_elem((1000, 1000), 0.002);
    let mut g = Gauss::new(77);
    let (mut alts, mut cals, mut blocks) = (Vec::new(), Vec::new(), Vec::new());
    for s in 0..30 {
        let alt = 1.2 + 2.5 * g.uniform();
        let wet = 0.15 + 0.3 * g.uniform();
        let layers = [
            Layer {
                top: 0.0,
                bottom: 0.5,
                vwc: wet + 0.05,
            },
            Layer {
                top: 0.5,
                bottom: 1.5,
                vwc: wet,
            },
            Layer {
                top: 1.5,
                bottom: 6.0,
                vwc: wet - 0.05,
            },
        ];
        let cal = calibrate_alt_layers(alt, &layers).unwrap();
        // 10 mm of seasonal amplitude per metre of calibrated ALT.
        let a = 0.010 * cal;
        let (r, c) = (100 + 25 * (s / 6), 100 + 150 * (s % 6));
        for dr in 0..8 {
            for dc in 0..8 {
                amp[[r + dr, c + dc]] = a + 0.002 * g.next();
                sig[[r + dr, c + dc]] = 0.002;
            }
        }
        let (x, y) = grid.center(r + 4, c + 4);
        let (x, y) = (x - 15.0, y + 15.0); // the corner shared by 4 central pixels
        let b = block_average(
            amp.view(),
            Some(sig.view()),
            &grid,
            x,
            y,
            &BlockParams::new(),
        )
        .unwrap()
        .unwrap();
        // 200 m block, 30 m pixels: centres within ±100 m → 6 × 6 (all inside the 8 × 8 patch).
        assert_eq!(b.n_pixels, 36);
        assert!((b.sigma - 0.002 / 6.0).abs() < 1e-12);
        alts.push(alt);
        cals.push(cal);
        blocks.push(b.value);
    }
    let raw = alt_agreement(&alts, &blocks).unwrap();
    let cal = alt_agreement(&cals, &blocks).unwrap();
    assert_eq!(cal.n, 30);
    assert!(cal.r2 > 0.99, "{cal:?}");
    assert!((cal.slope - 0.010).abs() < 5e-4, "{cal:?}");
    assert!(cal.rmse < 0.001);
    assert!(
        raw.r2 < 0.9 && raw.rmse > 2.0 * cal.rmse,
        "{raw:?} vs {cal:?}"
    );
}
