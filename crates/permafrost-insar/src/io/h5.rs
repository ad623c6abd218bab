//! HDF5 datasets and attributes (MintPy files, MATLAB v7.3 files).

use std::collections::BTreeMap;
use std::path::Path;

use hdf5::types::{FixedAscii, FloatSize, IntSize, TypeDescriptor, VarLenAscii, VarLenUnicode};
use ndarray::ArrayD;

use super::attr::AttrValue;
use crate::error::{Error, Result};

/// One dataset of an HDF5 file, as listed by [`list_datasets`].
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetInfo {
    /// Full path inside the file, without the leading `/`.
    pub name: String,
    /// Shape as stored (C order).
    pub shape: Vec<usize>,
    /// Element type (`float32`, `S8`, `string`, `bool`, `compound`, …).
    pub dtype: String,
}

pub(crate) fn open(path: &Path) -> Result<hdf5::File> {
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    hdf5::File::open(path).map_err(|e| Error::format(path, format!("cannot open as HDF5: {e}")))
}

/// The short name of an HDF5 element type.
pub(crate) fn type_name(t: &TypeDescriptor) -> String {
    let int = |s: &IntSize| match s {
        IntSize::U1 => "8",
        IntSize::U2 => "16",
        IntSize::U4 => "32",
        IntSize::U8 => "64",
    };
    match t {
        TypeDescriptor::Integer(s) => format!("int{}", int(s)),
        TypeDescriptor::Unsigned(s) => format!("uint{}", int(s)),
        TypeDescriptor::Float(FloatSize::U4) => "float32".into(),
        TypeDescriptor::Float(FloatSize::U8) => "float64".into(),
        TypeDescriptor::Boolean => "bool".into(),
        TypeDescriptor::Enum(_) => "enum".into(),
        TypeDescriptor::Compound(c) => {
            let names: Vec<&str> = c.fields.iter().map(|f| f.name.as_str()).collect();
            if names == ["real", "imag"] || names == ["r", "i"] {
                "complex".into()
            } else {
                "compound".into()
            }
        }
        TypeDescriptor::FixedArray(inner, n) => format!("{}[{n}]", type_name(inner)),
        TypeDescriptor::FixedAscii(n) | TypeDescriptor::FixedUnicode(n) => format!("S{n}"),
        TypeDescriptor::VarLenArray(inner) => format!("vlen {}", type_name(inner)),
        TypeDescriptor::VarLenAscii | TypeDescriptor::VarLenUnicode => "string".into(),
        TypeDescriptor::Reference(_) => "reference".into(),
        #[allow(unreachable_patterns)]
        _ => "unknown".into(),
    }
}

fn dtype_of(ds: &hdf5::Dataset) -> String {
    ds.dtype()
        .and_then(|t| t.to_descriptor())
        .map(|d| type_name(&d))
        .unwrap_or_else(|_| "unknown".into())
}

/// Lists every dataset of the file, depth first in name order.
pub fn list_datasets(path: &Path) -> Result<Vec<DatasetInfo>> {
    let file = open(path)?;
    let mut out = Vec::new();
    visit(&file, "", &mut |full, group, name, kind| {
        if kind == hdf5::LocationType::Dataset {
            let ds = group.dataset(name)?;
            out.push(DatasetInfo {
                name: full.to_string(),
                shape: ds.shape(),
                dtype: dtype_of(&ds),
            });
        }
        Ok(true)
    })
    .map_err(|e| Error::format(path, e))?;
    Ok(out)
}

/// Visits the members of `group` depth first in name order, calling
/// `f(full_name, parent, name, kind)`; a group is entered when `f` returns true.
pub(crate) fn visit(
    group: &hdf5::Group,
    prefix: &str,
    f: &mut dyn FnMut(&str, &hdf5::Group, &str, hdf5::LocationType) -> hdf5::Result<bool>,
) -> hdf5::Result<()> {
    let mut names = group.member_names()?;
    names.sort();
    for name in names {
        let full = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = group.loc_type_by_name(&name)?;
        let enter = f(&full, group, &name, kind)?;
        if enter && kind == hdf5::LocationType::Group {
            visit(&group.group(&name)?, &full, f)?;
        }
    }
    Ok(())
}

fn dataset(file: &hdf5::File, path: &Path, name: &str) -> Result<hdf5::Dataset> {
    let trimmed = name.trim_start_matches('/');
    if !file.link_exists(trimmed) {
        let available = list_datasets(path)
            .map(|v| v.into_iter().map(|d| d.name).collect::<Vec<_>>())
            .unwrap_or_default();
        return Err(Error::missing(path, trimmed, available));
    }
    file.dataset(trimmed)
        .map_err(|e| Error::variable(path, trimmed, format!("not a dataset: {e}")))
}

/// Reads a numeric (or boolean) dataset as `f64`.
pub fn read_f64(path: &Path, name: &str) -> Result<ArrayD<f64>> {
    let file = open(path)?;
    let ds = dataset(&file, path, name)?;
    let desc = ds
        .dtype()
        .and_then(|t| t.to_descriptor())
        .map_err(|e| Error::variable(path, name, format!("unreadable type: {e}")))?;
    match desc {
        TypeDescriptor::Integer(_) | TypeDescriptor::Unsigned(_) | TypeDescriptor::Float(_) => ds
            .read_dyn::<f64>()
            .map_err(|e| Error::variable(path, name, format!("cannot read: {e}"))),
        TypeDescriptor::Boolean => ds
            .read_dyn::<bool>()
            .map(|a| a.mapv(|b| if b { 1.0 } else { 0.0 }))
            .map_err(|e| Error::variable(path, name, format!("cannot read: {e}"))),
        other => Err(Error::variable(
            path,
            name,
            format!("is of type {}, not numeric", type_name(&other)),
        )),
    }
}

/// Reads a dataset of strings (fixed-length or variable-length), flattened.
pub fn read_strings(path: &Path, name: &str) -> Result<Vec<String>> {
    let file = open(path)?;
    let ds = dataset(&file, path, name)?;
    let desc = ds
        .dtype()
        .and_then(|t| t.to_descriptor())
        .map_err(|e| Error::variable(path, name, format!("unreadable type: {e}")))?;
    match read_texts(&ds, &desc) {
        Some(texts) => {
            texts.map_err(|e| Error::variable(path, name, format!("cannot read strings: {e}")))
        }
        None => Err(Error::variable(
            path,
            name,
            format!("is of type {}, not strings", type_name(&desc)),
        )),
    }
}

/// Reads a dataset's or attribute's strings, fixed- or variable-length;
/// `None` when the element type is not a string type.
fn read_texts(c: &hdf5::Container, desc: &TypeDescriptor) -> Option<hdf5::Result<Vec<String>>> {
    fn all<T: hdf5::H5Type>(
        c: &hdf5::Container,
        text: fn(&T) -> &str,
    ) -> hdf5::Result<Vec<String>> {
        Ok(c.read_raw::<T>()?
            .iter()
            .map(|s| text(s).to_string())
            .collect())
    }
    Some(match desc {
        // HDF5 converts between fixed lengths, padding or truncating.
        TypeDescriptor::FixedAscii(n) | TypeDescriptor::FixedUnicode(n) if *n <= 64 => {
            all::<FixedAscii<64>>(c, FixedAscii::as_str)
        }
        TypeDescriptor::FixedAscii(n) | TypeDescriptor::FixedUnicode(n) if *n <= 4096 => {
            all::<FixedAscii<4096>>(c, FixedAscii::as_str)
        }
        TypeDescriptor::VarLenAscii => all::<VarLenAscii>(c, VarLenAscii::as_str),
        TypeDescriptor::VarLenUnicode => all::<VarLenUnicode>(c, VarLenUnicode::as_str),
        _ => return None,
    })
}

/// Reads the attributes of the root group (`""` or `"/"`) or of a dataset or group.
pub fn read_attributes(path: &Path, object: &str) -> Result<BTreeMap<String, AttrValue>> {
    let file = open(path)?;
    let object = object.trim_start_matches('/');
    let loc: hdf5::Location = if object.is_empty() {
        (**file).clone()
    } else if !file.link_exists(object) {
        return Err(Error::missing(path, object, Vec::<String>::new()));
    } else {
        match file.loc_type_by_name(object) {
            Ok(hdf5::LocationType::Group) => {
                let g = file
                    .group(object)
                    .map_err(|e| Error::variable(path, object, e))?;
                (*g).clone()
            }
            _ => {
                let d = file
                    .dataset(object)
                    .map_err(|e| Error::variable(path, object, e))?;
                (**d).clone()
            }
        }
    };
    attributes_of(&loc).map_err(|e| Error::variable(path, object, format!("attributes: {e}")))
}

pub(crate) fn attributes_of(loc: &hdf5::Location) -> hdf5::Result<BTreeMap<String, AttrValue>> {
    let mut out = BTreeMap::new();
    for name in loc.attr_names()? {
        let attr = loc.attr(&name)?;
        if let Some(v) = read_attr(&attr) {
            out.insert(name, v);
        }
    }
    Ok(out)
}

/// Converts one attribute; types with no sensible text or number form are skipped.
fn read_attr(attr: &hdf5::Attribute) -> Option<AttrValue> {
    let desc = attr.dtype().ok()?.to_descriptor().ok()?;
    let texts = |v: Vec<String>| {
        if attr.is_scalar() && v.len() == 1 {
            AttrValue::Text(v.into_iter().next().unwrap_or_default())
        } else {
            AttrValue::Texts(v)
        }
    };
    match desc {
        TypeDescriptor::Integer(_) | TypeDescriptor::Unsigned(_) | TypeDescriptor::Float(_) => {
            attr.read_raw::<f64>().ok().map(AttrValue::Numbers)
        }
        TypeDescriptor::Boolean => attr
            .read_raw::<bool>()
            .ok()
            .map(|v| AttrValue::Numbers(v.into_iter().map(|b| f64::from(u8::from(b))).collect())),
        other => read_texts(attr, &other).and_then(Result::ok).map(texts),
    }
}
