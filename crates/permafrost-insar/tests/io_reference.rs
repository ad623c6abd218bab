//! MATLAB v5 files written by scipy.io.savemat (see
//! xtask/reference/io/make_mat_references.py; versions recorded in
//! tests/data/scipy_v5_expected.json) read back with scipy's values.

use std::path::PathBuf;

use permafrost_insar::io::{describe, mat_v5};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn scipy_written_mat_files_match_scipys_own_reading() {
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("scipy_v5_expected.json")).expect("json"),
    )
    .expect("parse");
    assert_eq!(expected["source"], "scipy.io.savemat");
    for file in ["scipy_v5_plain.mat", "scipy_v5_compressed.mat"] {
        let vars = mat_v5::read(&data(file)).expect(file);
        let mut checked = 0;
        for (name, want) in expected["numeric"].as_object().expect("numeric") {
            let var = vars
                .iter()
                .find(|v| &v.name == name)
                .unwrap_or_else(|| panic!("{file}: {name}"));
            let shape: Vec<usize> = want["shape"]
                .as_array()
                .expect("shape")
                .iter()
                .map(|x| x.as_u64().expect("dim") as usize)
                .collect();
            assert_eq!(var.dims, shape, "{file}: {name}");
            let values = var
                .values
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: {name} has values"));
            assert_eq!(values.shape(), shape.as_slice());
            for (got, w) in values
                .iter()
                .zip(want["values"].as_array().expect("values"))
            {
                match w.as_f64() {
                    Some(w) => assert_eq!(*got, w, "{file}: {name}"),
                    None => assert!(got.is_nan(), "{file}: {name}"),
                }
            }
            checked += 1;
        }
        assert!(
            checked >= 7,
            "{file}: only {checked} numeric variables compared"
        );
        let class = |n: &str| {
            vars.iter()
                .find(|v| v.name == n)
                .map(|v| (v.class.clone(), v.complex))
        };
        assert_eq!(class("mask"), Some(("logical".into(), false)));
        assert_eq!(class("name"), Some(("char".into(), false)));
        assert_eq!(class("info"), Some(("struct".into(), false)));
        assert_eq!(class("cells"), Some(("cell".into(), false)));
        assert_eq!(class("z"), Some(("double".into(), true)));
        assert_eq!(
            class("cube").map(|_| vars
                .iter()
                .find(|v| v.name == "cube")
                .map(|v| v.dims.clone())),
            Some(Some(vec![2, 3, 4]))
        );
        assert_eq!(describe(&data(file)).expect("describe").variables.len(), 12);
    }
}
