//! MATLAB v7.3 MAT-files: HDF5 with MATLAB's conventions.
//!
//! MATLAB stores arrays column-major, so HDF5 sees every array with its
//! dimensions reversed; each dataset carries a `MATLAB_class` attribute, and
//! structs are groups. Cells, strings and objects live behind references in
//! `#refs#` and are listed but not decoded.

use std::path::Path;

use ndarray::ArrayD;

use super::attr::AttrValue;
use super::h5;
use super::mat_v5::MatVariable;
use crate::error::{Error, Result};

fn matlab_class(loc: &hdf5::Location) -> Option<String> {
    h5::attributes_of(loc)
        .ok()?
        .get("MATLAB_class")
        .and_then(AttrValue::as_text)
        .map(str::to_string)
}

/// Lists the variables of a v7.3 file (struct fields as `struct/field`), with
/// MATLAB's dimensions and class; values are not read (see [`read_array`]).
pub fn list(path: &Path) -> Result<Vec<MatVariable>> {
    let file = h5::open(path)?;
    let mut out = Vec::new();
    h5::visit(&file, "", &mut |full, group, name, kind| {
        if name.starts_with('#') {
            return Ok(false); // #refs#, #subsystem#: storage behind references
        }
        match kind {
            hdf5::LocationType::Dataset => out.push(dataset_variable(full, &group.dataset(name)?)?),
            hdf5::LocationType::Group => {
                let g = group.group(name)?;
                let class = matlab_class(&g).unwrap_or_else(|| "struct".into());
                if class == "struct" {
                    return Ok(true);
                }
                out.push(sparse_variable(full, &g, &class)?);
            }
            _ => {}
        }
        Ok(false)
    })
    .map_err(|e| Error::format(path, e))?;
    Ok(out)
}

fn dataset_variable(full: &str, ds: &hdf5::Dataset) -> hdf5::Result<MatVariable> {
    let attrs = h5::attributes_of(ds)?;
    let class = attrs
        .get("MATLAB_class")
        .and_then(AttrValue::as_text)
        .unwrap_or("unknown")
        .to_string();
    let dims = if attrs.contains_key("MATLAB_empty") {
        // An empty array stores its dimensions as the data.
        ds.read_raw::<u64>()
            .map(|v| v.into_iter().map(|d| d as usize).collect())
            .unwrap_or_else(|_| vec![0, 0])
    } else {
        let mut d = ds.shape();
        d.reverse();
        if d.len() == 1 {
            d.push(1);
        }
        d
    };
    let complex = ds
        .dtype()
        .and_then(|t| t.to_descriptor())
        .is_ok_and(|t| h5::type_name(&t) == "complex");
    Ok(MatVariable {
        name: full.to_string(),
        class,
        dims,
        values: None,
        complex,
    })
}

/// Sparse matrices: a group with `data`/`ir`/`jc` and the row count.
fn sparse_variable(full: &str, g: &hdf5::Group, class: &str) -> hdf5::Result<MatVariable> {
    let rows = h5::attributes_of(g)?
        .get("MATLAB_sparse")
        .and_then(AttrValue::as_f64)
        .unwrap_or(0.0) as usize;
    let cols = g
        .dataset("jc")
        .map(|d| d.size().saturating_sub(1))
        .unwrap_or(0);
    Ok(MatVariable {
        name: full.to_string(),
        class: format!("sparse {class}"),
        dims: vec![rows, cols],
        values: None,
        complex: false,
    })
}

/// Reads a numeric, logical or char array of a v7.3 file in MATLAB
/// orientation: `a[[i, j]]` is `M(i+1, j+1)` (the HDF5 storage is transposed
/// back).
pub fn read_array(path: &Path, name: &str) -> Result<ArrayD<f64>> {
    let name = name.trim_start_matches('/');
    let vars = list(path)?;
    let Some(var) = vars.iter().find(|v| v.name == name) else {
        return Err(Error::missing(
            path,
            name,
            vars.iter().map(|v| v.name.as_str()),
        ));
    };
    let readable = matches!(
        var.class.as_str(),
        "double"
            | "single"
            | "int8"
            | "uint8"
            | "int16"
            | "uint16"
            | "int32"
            | "uint32"
            | "int64"
            | "uint64"
            | "logical"
            | "char"
    );
    if !readable || var.complex {
        return Err(Error::variable(
            path,
            name,
            format!(
                "MATLAB class `{}`{} cannot be read as numbers",
                var.class,
                if var.complex { " (complex)" } else { "" }
            ),
        ));
    }
    if var.dims.contains(&0) {
        return Ok(ArrayD::zeros(var.dims.clone()));
    }
    let stored = h5::read_f64(path, name)?;
    let matlab = stored.reversed_axes();
    let matlab = if matlab.ndim() == 1 {
        matlab.insert_axis(ndarray::Axis(1))
    } else {
        matlab
    };
    Ok(matlab.as_standard_layout().into_owned())
}
