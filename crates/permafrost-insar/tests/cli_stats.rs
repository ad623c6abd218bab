//! `stats ks`, `stats corr` and `geodetector` from the command line.

mod common;
use common::{cli_json as cli, real};

#[test]
fn ks_between_palsar_years_equals_scipy() {
    let Some(dir) = real("palsar2_10km") else {
        return;
    };
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/palsar_ks_scipy.json"),
        )
        .expect("json"),
    )
    .expect("parse");
    let cases = reference["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 9, "3 pairs × 3 methods");
    for case in cases {
        let spec = |k: &str| {
            format!(
                "{}:Band1",
                dir.join(case[k].as_str().expect("name")).display()
            )
        };
        let (ok, v, stderr) = cli(&[
            "--json",
            "stats",
            "ks",
            &spec("a"),
            &spec("b"),
            "--method",
            case["method"].as_str().expect("m"),
        ]);
        assert!(ok, "{stderr}");
        for (key, want) in [("statistic", "statistic"), ("pvalue", "pvalue")] {
            let (got, want) = (
                v[key].as_f64().expect("number"),
                case[want].as_f64().expect("number"),
            );
            assert!(
                (got - want).abs() <= 1e-10 * want.abs().max(1e-300),
                "{key}: {got} vs scipy {want} ({case})"
            );
        }
        assert_eq!(v["n1"], case["n1"]);
        assert_eq!(v["n2"], case["n2"]);
        let expected_method = if case["method"] == "asymp" {
            "asymp"
        } else {
            "exact"
        };
        assert_eq!(v["method"], expected_method);
    }
}

#[test]
fn geodetector_on_the_science_test_vector() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table = dir.path().join("t.csv");
    std::fs::write(&table, "y,x\n1,a\n2,b\n3,b\n4,b\n5,c\n6,c\n7,c\n").expect("write");
    let (ok, v, stderr) = cli(&[
        "--json",
        "geodetector",
        "--table",
        &table.to_string_lossy(),
        "--y",
        "y",
        "--x",
        "x",
    ]);
    assert!(ok, "{stderr}");
    // SCIENCE.md §7: q = 0.771429, p = 0.0793648 (single-observation strata dropped, σ² with N).
    let f = &v["factor"][0];
    assert_eq!(f["name"], "x");
    assert!((f["q"].as_f64().expect("q") - 0.771429).abs() < 5e-7, "{f}");
    assert!(
        (f["pvalue"].as_f64().expect("p") - 0.0793648).abs() < 5e-8,
        "{f}"
    );
}

#[test]
fn geodetector_discretises_continuous_factors_and_detects_interactions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table = dir.path().join("t.csv");
    // y depends on slope (continuous) and on vegetation (categorical) together.
    let mut text = String::from("y,slope,vegetation,noise\n");
    for i in 0..300 {
        let slope = (i % 30) as f64;
        let veg = ["meadow", "steppe", "barren"][i % 3];
        let y = (if slope > 15.0 { 10.0 } else { 0.0 })
            + (if veg == "barren" { 5.0 } else { 0.0 })
            + ((i * 7919) % 13) as f64 * 0.01;
        text.push_str(&format!("{y},{slope},{veg},{}\n", (i * 31) % 17));
    }
    std::fs::write(&table, text).expect("write");
    let t = table.to_string_lossy().into_owned();
    let (ok, v, stderr) = cli(&[
        "--json",
        "geodetector",
        "--table",
        &t,
        "--y",
        "y",
        "--x",
        "slope,vegetation,noise",
    ]);
    assert!(ok, "{stderr}");
    let q = |name: &str| {
        v["factor"]
            .as_array()
            .expect("factor")
            .iter()
            .find(|f| f["name"] == name)
            .and_then(|f| f["q"].as_f64())
            .expect(name)
    };
    assert!(
        q("slope") > 0.6 && q("vegetation") > 0.1 && q("noise") < 0.1,
        "{v}"
    );
    let d = v["discretization"].as_array().expect("discretization");
    assert_eq!(
        d.len(),
        2,
        "slope and noise are discretised, vegetation is not"
    );
    let inter = v["interaction"].as_array().expect("interaction");
    let sv = inter
        .iter()
        .find(|i| i["a"] == "slope" && i["b"] == "vegetation")
        .expect("pair");
    assert!(sv["q"].as_f64().expect("q") > q("slope"));
    let (ok, v, _) = cli(&[
        "--json",
        "geodetector",
        "--table",
        &t,
        "--y",
        "y",
        "--x",
        "slope",
        "--discretize",
        "equal:2",
    ]);
    assert!(ok);
    assert_eq!(v["discretization"][0]["classes"], 2);
    // Bad input: unknown column, a single stratum, bad discretisation.
    let (ok, _, stderr) = cli(&["geodetector", "--table", &t, "--y", "y", "--x", "aspect"]);
    assert!(
        !ok && stderr.contains("aspect") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let one = dir.path().join("one.csv");
    std::fs::write(&one, "y,x\n1,a\n2,a\n3,a\n").expect("write");
    let (ok, _, stderr) = cli(&[
        "geodetector",
        "--table",
        &one.to_string_lossy(),
        "--y",
        "y",
        "--x",
        "x",
    ]);
    assert!(!ok && stderr.lines().count() == 1, "{stderr}");
    let (ok, _, stderr) = cli(&[
        "geodetector",
        "--table",
        &t,
        "--y",
        "y",
        "--x",
        "slope",
        "--discretize",
        "fancy:3",
    ]);
    assert!(!ok && stderr.contains("fancy"), "{stderr}");
}

#[test]
fn correlation_matrix_and_fisher_average() {
    let dir = tempfile::tempdir().expect("tempdir");
    let t = dir.path().join("c.csv");
    std::fs::write(&t, "a,b,c\n1,2,9\n2,4.1,7\n3,6.2,\n4,7.9,3\n5,10.1,2\n").expect("write");
    let s = t.to_string_lossy().into_owned();
    let (ok, v, stderr) = cli(&[
        "--json",
        "stats",
        "corr",
        "--input",
        &format!("{s}:a"),
        "--input",
        &format!("{s}:b"),
        "--input",
        &format!("{s}:c"),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["n"], 4, "the row with a blank is dropped list-wise");
    let r = v["matrix"][0][1].as_f64().expect("r");
    assert!(r > 0.99 && (v["matrix"][1][0].as_f64().expect("r") - r).abs() < 1e-15);
    assert!(v["matrix"][0][2].as_f64().expect("r") < -0.9);
    let (ok, v, stderr) = cli(&[
        "--json",
        "stats",
        "corr",
        "--fisher-average",
        "--input",
        &format!("x={s}:a,{s}:a"),
        "--input",
        &format!("y={s}:b,{s}:c"),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["variables"], serde_json::json!(["x", "y"]));
    assert_eq!(v["yearly"].as_array().map(Vec::len), Some(2));
    let (ok, _, stderr) = cli(&[
        "stats",
        "corr",
        "--fisher-average",
        "--input",
        &format!("x={s}:a,{s}:a"),
        "--input",
        &format!("y={s}:b"),
    ]);
    assert!(!ok && stderr.contains("years"), "{stderr}");
}

#[test]
fn geodetector_takes_a_factor_stack_and_a_raster() {
    use ndarray::{Array2, Array3};
    use permafrost_insar::io::geotiff::{self, Raster, SampleType};
    let dir = tempfile::tempdir().expect("tempdir");
    let wkt = geotiff::wkt_from_epsg(4326).expect("wkt");
    let gt = [92.0, 0.001, 0.0, 35.0, 0.0, -0.001];
    let slope = Array2::from_shape_fn((40, 50), |(r, c)| ((r * 3 + c) % 25) as f64);
    let mut y = slope.mapv(|s| if s > 12.0 { -0.03 } else { -0.01 });
    y[[0, 0]] = f64::NAN; // dropped list-wise
    let mut stack = Array3::zeros((2, 40, 50));
    stack.index_axis_mut(ndarray::Axis(0), 0).assign(&slope);
    stack
        .index_axis_mut(ndarray::Axis(0), 1)
        .assign(&Array2::from_shape_fn((40, 50), |(r, c)| {
            ((r * 7 + c * 11) % 9) as f64
        }));
    let y_path = dir.path().join("y.tif");
    let s_path = dir.path().join("stack.tif");
    geotiff::write_geotiff(
        &y_path,
        &Raster::single(y, gt, wkt.clone()),
        SampleType::Float32,
    )
    .expect("y");
    let raster = Raster {
        data: stack,
        geotransform: gt,
        crs_wkt: wkt,
        band_names: vec!["slope".into(), "texture".into()],
    };
    geotiff::write_geotiff(&s_path, &raster, SampleType::Float32).expect("stack");
    let (ok, v, stderr) = cli(&[
        "--json",
        "geodetector",
        "--raster",
        &y_path.to_string_lossy(),
        "--stack",
        &s_path.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["n"], 40 * 50 - 1);
    assert_eq!(v["factor"][0]["name"], "slope");
    assert!(v["factor"][0]["q"].as_f64().expect("q") > 0.99, "{v}");
    assert!(v["factor"][1]["q"].as_f64().expect("q") < 0.2, "{v}");
}

#[test]
fn geodetector_aligns_a_stack_on_another_grid() {
    use ndarray::{Array2, Array3};
    use permafrost_insar::io::geotiff::{self, Raster, SampleType};
    let dir = tempfile::tempdir().expect("tempdir");
    let wkt = geotiff::wkt_from_epsg(4326).expect("wkt");
    // Response on a 0.001° grid; factor stack on a 0.0005° grid covering it.
    let y = Array2::from_shape_fn((20, 20), |(r, _)| if r < 10 { -0.03 } else { -0.01 });
    let fine = Array2::from_shape_fn((40, 40), |(r, _)| if r < 20 { 1.0 } else { 2.0 });
    let y_path = dir.path().join("y.tif");
    let s_path = dir.path().join("s.tif");
    geotiff::write_geotiff(
        &y_path,
        &Raster::single(y, [92.0, 0.001, 0.0, 35.0, 0.0, -0.001], wkt.clone()),
        SampleType::Float32,
    )
    .expect("y");
    let stack = Raster {
        data: Array3::from_shape_fn((1, 40, 40), |(_, r, c)| fine[[r, c]]),
        geotransform: [92.0, 0.0005, 0.0, 35.0, 0.0, -0.0005],
        crs_wkt: wkt,
        band_names: vec!["ice".into()],
    };
    geotiff::write_geotiff(&s_path, &stack, SampleType::Float32).expect("stack");
    let (ok, v, stderr) = cli(&[
        "--json",
        "geodetector",
        "--raster",
        &y_path.to_string_lossy(),
        "--stack",
        &s_path.to_string_lossy(),
        "--categorical",
        "ice",
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["n"], 400);
    assert_eq!(v["factor"][0]["name"], "ice");
    assert!(
        (v["factor"][0]["q"].as_f64().expect("q") - 1.0).abs() < 1e-12,
        "{v}"
    );
}
