//! Everything the facade writes reads back as written: GeoTIFF, CF-NetCDF
//! (packing, fill values, time units, strings), MintPy stacks and MATLAB v5.

mod common;
use common::native_io_turn;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ndarray::{Array1, Array2, Array3, ArrayD};
use permafrost_insar::io::cf_time::TimeUnits;
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::mintpy::{self, IfgramStack};
use permafrost_insar::io::nc::{self, NcData, NcFlavour, NcWriter};
use permafrost_insar::io::{self, describe, mat_v5, Format};
use proptest::prelude::*;

fn same_with_nan(a: &ArrayD<f64>, b: &ArrayD<f64>) -> bool {
    a.shape() == b.shape()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x.is_nan() && y.is_nan()) || x == y)
}

#[test]
fn geotiff_multiband_float64_with_nodata_crs_and_names() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("two.tif");
    let mut data =
        Array3::from_shape_fn((2, 4, 5), |(b, r, c)| (b * 100 + r * 10 + c) as f64 + 0.125);
    data[[1, 2, 3]] = f64::NAN;
    let raster = Raster {
        data,
        geotransform: [500_000.0, 30.0, 0.0, 4_000_000.0, 0.0, -30.0],
        crs_wkt: geotiff::wkt_from_epsg(32645).expect("EPSG:32645"),
        band_names: vec!["velocity".into(), "amplitude".into()],
    };
    geotiff::write_geotiff(&path, &raster, SampleType::Float64).expect("write");
    let back = geotiff::read_raster(&path).expect("read");
    assert!(same_with_nan(
        &back.data.clone().into_dyn(),
        &raster.data.clone().into_dyn()
    ));
    assert_eq!(back.geotransform, raster.geotransform);
    assert_eq!(back.band_names, raster.band_names);
    let info = describe(&path).expect("describe");
    assert_eq!(info.crs.and_then(|c| c.epsg), Some(32645));
    assert_eq!(info.variables[0].dtype, "float64");
    // A band by its description, through the generic reader.
    let amp = io::read_array(&path, Some("amplitude")).expect("by name");
    assert_eq!(amp[[0, 0]], 100.125);
    // No temporary files are left beside the output.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn geotiff_float32_rounds_to_single_precision() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one.tif");
    let band = Array2::from_shape_fn((3, 3), |(r, c)| 0.1 * (r * 3 + c) as f64);
    let raster = Raster::single(
        band.clone(),
        [92.0, 0.001, 0.0, 35.0, 0.0, -0.001],
        geotiff::wkt_from_epsg(4326).expect("wkt"),
    );
    geotiff::write_geotiff(&path, &raster, SampleType::Float32).expect("write");
    let back = io::read_array(&path, None).expect("read");
    for (x, y) in back.iter().zip(band.iter()) {
        assert_eq!(*x, f64::from(*y as f32));
    }
}

#[test]
fn netcdf_packed_fill_time_and_strings_roundtrip() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("packed.nc");
    let packed = Array2::from_shape_vec((2, 3), vec![-32767i16, 0, 1, 2, 100, -5]).expect("shape");
    let units = "hours since 1900-01-01 00:00:00.0";
    let t0 = NaiveDate::from_ymd_opt(2018, 10, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    let tu = TimeUnits::parse(units).expect("units");
    let mut w = NcWriter::new();
    w.dimension("time", 2)
        .dimension("x", 3)
        .variable(
            "time",
            &["time"],
            NcData::F64(Array1::from(vec![tu.encode(t0), tu.encode(t0) + 1.0]).into_dyn()),
        )
        .attr("time", "units", units)
        .variable("t2m", &["time", "x"], NcData::I16(packed.into_dyn()))
        .attr("t2m", "scale_factor", 0.5)
        .attr("t2m", "add_offset", 273.15)
        .attr("t2m", "_FillValue", -32767i16)
        .variable(
            "label",
            &["x"],
            NcData::Str(vec!["a".into(), "bb".into(), "ccc".into()]),
        )
        .global("Conventions", "CF-1.8");
    w.write(&path).expect("write");
    let v = nc::read_variable(&path, "t2m").expect("read");
    assert!(v.data[[0, 0]].is_nan());
    assert_eq!(v.data[[0, 1]], 273.15);
    assert_eq!(v.data[[1, 1]], 100.0 * 0.5 + 273.15);
    assert_eq!(v.data[[1, 2]], -2.5 + 273.15);
    let time = nc::read_time(&path).expect("time").expect("axis");
    assert_eq!(time.values[0], t0);
    assert_eq!(time.values[1], t0 + chrono::Duration::hours(1));
    assert_eq!(
        nc::read_strings(&path, "label").expect("strings"),
        ["a", "bb", "ccc"]
    );
    assert_eq!(describe(&path).expect("describe").format, Format::Netcdf4);
    // Blocks of rows decode like the whole variable; bad ranges name it.
    assert_eq!(nc::variable_shape(&path, "t2m").expect("shape"), [2, 3]);
    let row = nc::read_variable_rows(&path, "t2m", 1..2).expect("rows");
    assert_eq!(row.data.shape(), [1, 3]);
    assert!(same_with_nan(
        &row.data,
        &v.data.slice(ndarray::s![1..2, ..]).to_owned().into_dyn()
    ));
    for bad in [1..1, 1..3] {
        let e = nc::read_variable_rows(&path, "t2m", bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("t2m") && e.contains("rows"), "{e}");
    }
}

#[test]
fn netcdf3_classic_flavour() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("classic.nc");
    let mut w = NcWriter::new();
    w.flavour(NcFlavour::Classic64)
        .dimension("y", 2)
        .variable(
            "v",
            &["y"],
            NcData::F32(Array1::from(vec![1.5f32, f32::NAN]).into_dyn()),
        )
        .attr("v", "_FillValue", f32::NAN);
    w.write(&path).expect("write");
    assert_eq!(describe(&path).expect("describe").format, Format::Netcdf3);
    let v = nc::read_variable(&path, "v").expect("read");
    assert_eq!(v.data[[0]], 1.5);
    assert!(v.data[[1]].is_nan());
}

#[test]
fn mintpy_ifgram_stack_roundtrip() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ifgramStack.h5");
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
    let mut attributes = BTreeMap::new();
    attributes.insert("WAVELENGTH".to_string(), "0.05546576".to_string());
    attributes.insert("REF_Y".to_string(), "1".to_string());
    let stack = IfgramStack {
        date_pairs: vec![
            (d(2017, 1, 1), d(2017, 1, 13)),
            (d(2017, 1, 13), d(2017, 1, 25)),
        ],
        unwrap_phase: Array3::from_shape_fn((2, 3, 4), |(k, r, c)| (k + r + c) as f32 * 0.5),
        coherence: Array3::from_elem((2, 3, 4), 0.75),
        bperp: vec![12.5, -30.0],
        keep: vec![true, false],
        attributes,
    };
    mintpy::write_ifgram_stack(&path, &stack).expect("write");
    let back = mintpy::read_ifgram_stack(&path).expect("read");
    assert_eq!(back.date_pairs, stack.date_pairs);
    assert_eq!(back.unwrap_phase, stack.unwrap_phase);
    assert_eq!(back.coherence, stack.coherence);
    assert_eq!(back.bperp, stack.bperp);
    assert_eq!(back.keep, stack.keep);
    assert_eq!(back.attributes["FILE_TYPE"], "ifgramStack");
    assert_eq!(back.attributes["LENGTH"], "3");
    assert_eq!(back.attributes["WIDTH"], "4");
    assert_eq!(back.attributes["WAVELENGTH"], "0.05546576");
    let info = describe(&path).expect("describe");
    assert_eq!(info.format, Format::Hdf5);
    let date = info
        .variables
        .iter()
        .find(|v| v.name == "date")
        .expect("date");
    assert_eq!(
        (date.dtype.as_str(), date.shape.clone()),
        ("S8", vec![2, 2])
    );
    assert_eq!(info.time.map(|t| t.n), Some(3));
}

#[test]
fn matlab_v5_roundtrip_both_encodings() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Array2::from_shape_fn((3, 4), |(r, c)| (r * 4 + c) as f64 - 2.5);
    let v = Array1::from(vec![1.0, f64::NAN, -3.0]);
    for compress in [false, true] {
        let path = dir.path().join(format!("m{compress}.mat"));
        mat_v5::write(
            &path,
            &[("M", m.view().into_dyn()), ("v", v.view().into_dyn())],
            compress,
        )
        .expect("write");
        let vars = mat_v5::read(&path).expect("read");
        assert_eq!(vars[0].name, "M");
        assert_eq!(vars[0].dims, [3, 4]);
        assert_eq!(
            vars[0].values.as_ref().expect("values"),
            &m.clone().into_dyn()
        );
        assert_eq!(vars[1].dims, [1, 3], "1-D arrays are row vectors");
        assert!(same_with_nan(
            vars[1].values.as_ref().expect("values"),
            &v.clone().insert_axis(ndarray::Axis(0)).into_dyn()
        ));
        assert_eq!(describe(&path).expect("describe").format, Format::MatlabV5);
    }
}

#[test]
fn atomic_write_keeps_the_old_file_when_writing_fails() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.nc");
    std::fs::write(&path, b"previous").expect("seed");
    let mut w = NcWriter::new();
    // A shape mismatch is caught before anything is written …
    w.dimension("x", 3)
        .variable("v", &["x"], NcData::F64(ArrayD::zeros(vec![4])));
    assert!(w.write(&path).is_err());
    // … and a failure inside the library leaves no partial file either.
    let mut w = NcWriter::new();
    w.flavour(NcFlavour::Classic64).dimension("x", 1).variable(
        "s",
        &["x"],
        NcData::Str(vec!["a".into()]),
    );
    assert!(w.write(&path).is_err());
    assert_eq!(std::fs::read(&path).expect("read"), b"previous");
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn matlab_v5_roundtrip_any_matrix(rows in 1usize..6, cols in 1usize..6, seed in any::<u64>(), compress in any::<bool>()) {
        let _io = native_io_turn();
        let m = Array2::from_shape_fn((rows, cols), |(r, c)| ((seed.wrapping_mul(31).wrapping_add((r * 7 + c) as u64) % 1000) as f64 - 500.0) / 7.0);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.mat");
        mat_v5::write(&path, &[("A", m.view().into_dyn())], compress).expect("write");
        let back = mat_v5::read(&path).expect("read");
        prop_assert_eq!(back[0].values.as_ref().expect("values"), &m.into_dyn());
    }

    #[test]
    fn cf_time_encode_decode(hours in 0i64..2_000_000, units in prop::sample::select(vec![
        "hours since 1900-01-01 00:00:00.0", "seconds since 1970-01-01", "days since 1858-11-17 00:00:00", "minutes since 2000-01-01T00:00:00Z",
    ])) {
        let _io = native_io_turn();
        let tu = TimeUnits::parse(units).expect("units");
        let t = NaiveDate::from_ymd_opt(1900, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("date") + chrono::Duration::hours(hours);
        prop_assert_eq!(tu.decode(tu.encode(t)), Some(t));
    }
}
