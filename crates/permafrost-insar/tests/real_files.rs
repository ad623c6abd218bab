//! Every file of the shared real sample data is recognised and described
//! correctly, and its values decode as the data README and independent
//! readers say. Reference values were read with netCDF4-python 1.7.5.1
//! (netCDF-C 4.10.1) and h5py 3 on numpy 2.4 unless stated otherwise.

mod common;

use common::{close, real};
use permafrost_insar::io::{self, describe, nc, Format};

#[test]
fn palsar2_annual_deformation_netcdf3_curvilinear() {
    let Some(path) =
        real("palsar2_10km/PALSAR_20151016_20161014_vert_filt_900px_gcs_masked_clipped_10km.nc")
    else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Netcdf3);
    let band = info
        .variables
        .iter()
        .find(|v| v.name == "Band1")
        .expect("Band1 listed");
    assert_eq!(band.shape, vec![42, 28]);
    assert_eq!(band.dims, vec!["y", "x"]);
    assert_eq!(band.fill_value, Some(0.0));
    assert_eq!(info.crs.as_ref().and_then(|c| c.epsg), Some(4326));
    let v = nc::read_variable(&path, "Band1").expect("read Band1");
    // _FillValue 0.0 → NaN; 435 valid cells (netCDF4-python: Band1[:].count()).
    let valid: Vec<f64> = v.data.iter().copied().filter(|x| x.is_finite()).collect();
    assert_eq!(valid.len(), 435);
    let min = valid.iter().copied().fold(f64::INFINITY, f64::min);
    let max = valid.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mean = valid.iter().sum::<f64>() / valid.len() as f64;
    assert!(close(min, -0.041_594_527_661_800_385, 1e-7), "min {min}");
    assert!(close(max, 0.049_637_615_680_694_58, 1e-7), "max {max}");
    assert!(
        close(mean, -0.000_671_549_158_534_784_7, 1e-6),
        "mean {mean}"
    );
    match nc::read_lat_lon(&path).expect("lat/lon") {
        nc::LatLon::Curvilinear { lat, lon } => {
            assert_eq!(lat.shape(), &[42, 28]);
            assert!(close(lat[[0, 0]], 65.428_081, 1e-9));
            assert!(close(lon[[0, 0]], -136.612_436, 1e-9));
        }
        other => panic!("expected 2-D coordinates, got {other:?}"),
    }
}

#[test]
fn every_palsar_year_is_described() {
    for name in [
        "PALSAR_20151016_20161014_vert_filt_900px_gcs_masked_clipped_10km.nc",
        "PALSAR_20161014_20170901_vert_filt_900px_gcs_masked_clipped_10km.nc",
        "PALSAR_20170901_20180928_vert_filt_900px_gcs_masked_clipped_10km.nc",
    ] {
        let Some(path) = real(&format!("palsar2_10km/{name}")) else {
            return;
        };
        let info = describe(&path).expect("describe");
        let names: Vec<&str> = info.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["lon", "lat", "Band1"], "{name}");
    }
}

#[test]
fn era5_older_layout_packed_int16() {
    let Some(path) = real("era5/topopyscale_finse_SURF_201810.nc") else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Netcdf3);
    let t2m = info
        .variables
        .iter()
        .find(|v| v.name == "t2m")
        .expect("t2m");
    assert_eq!(
        (t2m.dtype.as_str(), t2m.shape.clone(), t2m.packed),
        ("int16", vec![744, 7, 10], true)
    );
    let time = info.time.expect("time axis");
    assert_eq!((time.variable.as_str(), time.n), ("time", 744));
    assert_eq!(time.first, "2018-10-01T00:00:00");
    assert_eq!(time.last, "2018-10-31T23:00:00");
    let v = nc::read_variable(&path, "t2m").expect("t2m");
    assert_eq!(v.dims, ["time", "latitude", "longitude"]);
    // netCDF4-python (auto mask and scale): t2m[0,0,0] and the extremes.
    assert!(close(v.data[[0, 0, 0]], 275.273_206_746_12, 1e-12));
    let max = v.data.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = v.data.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(close(max, 289.259_033_203_125, 1e-12) && close(min, 252.944_869_995_117_22, 1e-12));
    match nc::read_lat_lon(&path).expect("coordinates") {
        nc::LatLon::Regular { lat, lon } => {
            assert_eq!(lat, [61.25, 61.0, 60.75, 60.5, 60.25, 60.0, 59.75]); // descending
            assert_eq!(lon.len(), 10);
            assert!(close(lon[0], 6.5, 1e-12));
        }
        other => panic!("expected a regular grid, got {other:?}"),
    }
}

#[test]
fn era5_newer_layout_with_integer_date_axis() {
    let Some(path) = real("era5/permafrost_usecase_era5_2010.nc") else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Netcdf4);
    let time = info.time.expect("time axis from `date`");
    assert_eq!(
        (time.variable.as_str(), time.units.as_str(), time.n),
        ("date", "YYYYMMDD", 120)
    );
    assert_eq!(
        (time.first.as_str(), time.last.as_str()),
        ("2010-01-01T00:00:00", "2019-12-01T00:00:00")
    );
    let expver = info
        .variables
        .iter()
        .find(|v| v.name == "expver")
        .expect("expver");
    assert_eq!(expver.dtype, "string");
    assert_eq!(
        nc::read_strings(&path, "expver").expect("expver")[..2],
        ["0001", "0001"]
    );
    let t2m = nc::read_variable(&path, "t2m").expect("t2m");
    assert_eq!(t2m.data.shape(), &[120, 2, 2]);
    assert!(close(t2m.data[[0, 0, 0]], 251.071_289_062_5, 1e-12));
    let mean = t2m.data.iter().sum::<f64>() / t2m.data.len() as f64;
    assert!(close(mean, 269.992_889_404_296_9, 1e-6), "mean {mean}");
}

#[test]
fn era5_land_point_series_with_mjd_time() {
    let Some(path) = real("era5/qa4sm_ERA5_LAND_V20190904_cell0165.nc") else {
        return;
    };
    let info = describe(&path).expect("describe");
    let time = info.time.expect("time");
    assert_eq!((time.n, time.first.as_str()), (730, "2017-01-01T06:00:00"));
    assert_eq!(time.last, "2018-12-31T06:00:00");
    assert!(info
        .dimensions
        .iter()
        .any(|d| d.name == "time" && d.unlimited));
    let stl1 = nc::read_variable(&path, "stl1").expect("stl1");
    assert_eq!(stl1.dims, ["locations", "time"]); // (locations, time) order
    assert!(close(stl1.data[[0, 0]], 293.392_974_853_515_6, 1e-12));
}

#[test]
fn matlab_v73_transposed_storage() {
    let Some(path) = real("mat/mat73_testfile1_v73.mat") else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::MatlabV73);
    let arr = info
        .variables
        .iter()
        .find(|v| v.name == "data/arr_two_three")
        .expect("listed");
    assert_eq!(
        (arr.shape.clone(), arr.dtype.as_str()),
        (vec![3, 2], "double")
    );
    let a = io::read_array(&path, Some("data/arr_two_three")).expect("read");
    assert_eq!(
        a,
        ndarray::arr2(&[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]).into_dyn()
    );
    let row = io::read_array(&path, Some("data/arr_double")).expect("read");
    assert_eq!(row, ndarray::arr2(&[[1.1, 1.2, 0.3]]).into_dyn());
    let single = io::read_array(&path, Some("data/arr_float")).expect("single");
    assert_eq!(single.shape(), &[2, 3]);
    let nan = io::read_array(&path, Some("data/arr_nan")).expect("nan");
    assert!(nan.iter().any(|x| x.is_nan()));
    let class = |n: &str| {
        info.variables
            .iter()
            .find(|v| v.name == n)
            .map(|v| v.dtype.clone())
    };
    assert_eq!(class("data/cell_").as_deref(), Some("cell"));
    assert_eq!(class("data/complex_").as_deref(), Some("complex double"));
    assert_eq!(class("data/sparse_").as_deref(), Some("sparse double"));
    assert!(info.variables.iter().all(|v| !v.name.starts_with('#')));
    let e = io::read_array(&path, Some("data/cell_")).expect_err("cells are not numbers");
    assert!(e.to_string().contains("cell"), "{e}");
}

#[test]
fn copernicus_dem_geotiff() {
    let Some(path) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Geotiff);
    assert_eq!(info.variables[0].shape, vec![288, 288]);
    assert_eq!(info.variables[0].dtype, "float32");
    assert_eq!(info.crs.as_ref().and_then(|c| c.epsg), Some(4326));
    let gt = info.geotransform.expect("geotransform");
    assert!(close(gt[1], 1.0 / 3600.0, 1e-9) && close(gt[5], -1.0 / 3600.0, 1e-9));
    let dem = io::read_array(&path, None).expect("read");
    let min = dem.iter().copied().fold(f64::INFINITY, f64::min);
    let max = dem.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Data README: 578–1038 m.
    assert!(
        (578.0..579.0).contains(&min) && (1037.0..=1038.5).contains(&max),
        "{min} {max}"
    );
}

#[test]
fn modis_lst_hdf4_through_gdal() {
    let Some(path) = real("modis/MOD11A1.A2021227.h11v05.061.2021228105320.hdf") else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Hdf4);
    let lst = info
        .variables
        .iter()
        .find(|v| v.name == "LST_Day_1km")
        .expect("LST_Day_1km");
    assert_eq!(
        (lst.shape.clone(), lst.dtype.as_str(), lst.packed),
        (vec![1200, 1200], "uint16", true)
    );
    assert_eq!(lst.fill_value, Some(0.0));
    assert!(info
        .crs
        .as_ref()
        .and_then(|c| c.wkt.as_deref())
        .is_some_and(|w| w.contains("Sinusoidal")));
    let values = io::read_array(&path, Some("LST_Day_1km")).expect("read");
    let valid: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    assert!(
        !valid.is_empty() && valid.len() < values.len(),
        "fill 0 must become NaN"
    );
    // Scale 0.02 K applied: land-surface temperatures in kelvin.
    assert!(valid.iter().all(|&k| (200.0..350.0).contains(&k)));
}

#[test]
fn soilgrids_utm_geotiffs() {
    for name in [
        "lumens_bungo_sand_0-5cm_mean.tif",
        "lumens_bungo_clay_0-5cm_mean.tif",
    ] {
        let Some(path) = real(&format!("soilgrids/{name}")) else {
            return;
        };
        let info = describe(&path).expect("describe");
        assert_eq!(info.variables[0].shape, vec![866, 1198]);
        assert_eq!(
            info.crs.as_ref().and_then(|c| c.epsg),
            Some(32748),
            "UTM 48S"
        );
        let v = io::read_array(&path, None).expect("read");
        assert!(
            v.iter()
                .filter(|x| x.is_finite())
                .all(|&p| (0.0..=100.0).contains(&p)),
            "percent"
        );
    }
}

#[test]
fn calm_active_layer_table() {
    let Some(path) = real("alt/calm_alt_summary.csv") else {
        return;
    };
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Csv);
    assert_eq!(info.variables.len(), 3 + 32); // ID, LAT, LON, 1990…2021
    assert_eq!(info.variables[0].dtype, "string");
    assert!(info.variables.iter().all(|v| v.shape == [124]));
    let y1993 = io::read_array(&path, Some("1993")).expect("column");
    assert_eq!(y1993[[0]], 30.0); // U1, 1993
    let y1990 = io::read_array(&path, Some("1990")).expect("column");
    assert!(y1990[[0]].is_nan(), "blank cells are missing");
}
