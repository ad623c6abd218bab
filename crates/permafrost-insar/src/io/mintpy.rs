//! MintPy HDF5 layouts: `ifgramStack.h5` (read and write).
//!
//! Layout as in MintPy 1.6 (`mintpy/objects/stack.py`): datasets
//! `unwrapPhase`, `coherence`, `connectComponent` with axes
//! `(ifgram, row, col)`, `date` as `(ifgram, 2)` fixed-length `|S8` strings,
//! `bperp`, `dropIfgram`, and every metadata item as a string attribute of
//! the root group.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use chrono::NaiveDate;
use hdf5::types::{FixedAscii, VarLenUnicode};
use ndarray::{Array1, Array2, Array3, Ix3};

use super::atomic::write_atomically;
use super::h5;
use crate::error::{Error, Result};

/// An interferogram stack in MintPy's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct IfgramStack {
    /// `(reference, secondary)` date of each interferogram.
    pub date_pairs: Vec<(NaiveDate, NaiveDate)>,
    /// Unwrapped phase (radians), axes `(ifgram, row, col)`.
    pub unwrap_phase: Array3<f32>,
    /// Spatial coherence (0–1), same axes.
    pub coherence: Array3<f32>,
    /// Perpendicular baseline of each interferogram (m).
    pub bperp: Vec<f32>,
    /// MintPy's `dropIfgram`: `true` means the interferogram is *kept*.
    pub keep: Vec<bool>,
    /// Root attributes (MintPy metadata), all as text.
    pub attributes: BTreeMap<String, String>,
}

impl IfgramStack {
    /// Number of interferograms.
    pub fn len(&self) -> usize {
        self.date_pairs.len()
    }

    /// True when there is no interferogram.
    pub fn is_empty(&self) -> bool {
        self.date_pairs.is_empty()
    }

    /// Checks that every array agrees with the number of interferograms.
    pub fn validate(&self, context: &str) -> Result<()> {
        let n = self.len();
        let (m, rows, cols) = self.unwrap_phase.dim();
        let shape_err = |what: &str, expected: Vec<usize>, found: Vec<usize>| Error::Shape {
            context: format!("{context}: {what}"),
            expected,
            found,
        };
        if m != n {
            return Err(shape_err(
                "unwrapPhase",
                vec![n, rows, cols],
                vec![m, rows, cols],
            ));
        }
        if self.coherence.dim() != (n, rows, cols) {
            return Err(shape_err(
                "coherence",
                vec![n, rows, cols],
                self.coherence.shape().to_vec(),
            ));
        }
        if self.bperp.len() != n {
            return Err(shape_err("bperp", vec![n], vec![self.bperp.len()]));
        }
        if self.keep.len() != n {
            return Err(shape_err("dropIfgram", vec![n], vec![self.keep.len()]));
        }
        Ok(())
    }
}

/// Reads a MintPy `ifgramStack.h5`.
pub fn read_ifgram_stack(path: &Path) -> Result<IfgramStack> {
    let attrs = h5::read_attributes(path, "")?;
    let attributes: BTreeMap<String, String> =
        attrs.into_iter().map(|(k, v)| (k, v.display())).collect();
    match attributes.get("FILE_TYPE").map(String::as_str) {
        Some("ifgramStack") => {}
        other => {
            return Err(Error::format(
                path,
                format!(
                    "not a MintPy ifgramStack (FILE_TYPE = {})",
                    other.unwrap_or("missing")
                ),
            ))
        }
    }
    let dates = h5::read_strings(path, "date")?;
    if dates.len() % 2 != 0 {
        return Err(Error::variable(
            path,
            "date",
            "expected (ifgram, 2) date pairs",
        ));
    }
    let parse = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y%m%d")
            .map_err(|_| Error::variable(path, "date", format!("`{s}` is not YYYYMMDD")))
    };
    let date_pairs = dates
        .chunks_exact(2)
        .map(|p| Ok((parse(&p[0])?, parse(&p[1])?)))
        .collect::<Result<Vec<_>>>()?;
    let to3 = |name: &str| -> Result<Array3<f32>> {
        h5::read_f64(path, name)?
            .mapv(|x| x as f32)
            .into_dimensionality::<Ix3>()
            .map_err(|_| Error::variable(path, name, "expected 3 dimensions (ifgram, row, col)"))
    };
    let unwrap_phase = to3("unwrapPhase")?;
    let coherence = to3("coherence")?;
    let n = date_pairs.len();
    let bperp = match h5::read_f64(path, "bperp") {
        Ok(b) => b.iter().map(|&x| x as f32).collect(),
        Err(Error::MissingVariable { .. }) => vec![0.0; n],
        Err(e) => return Err(e),
    };
    let keep = match h5::read_f64(path, "dropIfgram") {
        Ok(b) => b.iter().map(|&x| x != 0.0).collect(),
        Err(Error::MissingVariable { .. }) => vec![true; n],
        Err(e) => return Err(e),
    };
    let stack = IfgramStack {
        date_pairs,
        unwrap_phase,
        coherence,
        bperp,
        keep,
        attributes,
    };
    stack.validate(&path.display().to_string())?;
    Ok(stack)
}

/// Writes a MintPy `ifgramStack.h5` atomically. `FILE_TYPE`, `LENGTH` and
/// `WIDTH` are set from the data; other attributes are written as given.
pub fn write_ifgram_stack(path: &Path, stack: &IfgramStack) -> Result<()> {
    stack.validate(&path.display().to_string())?;
    write_atomically(path, |tmp| {
        write_stack_to(tmp, stack)
            .map_err(|e| Error::format(path, format!("cannot write ifgramStack: {e}")))
    })
}

fn write_stack_to(tmp: &Path, stack: &IfgramStack) -> hdf5::Result<()> {
    let file = hdf5::File::create(tmp)?;
    let (_, rows, cols) = stack.unwrap_phase.dim();
    let mut attrs = stack.attributes.clone();
    attrs.insert("FILE_TYPE".into(), "ifgramStack".into());
    attrs.insert("LENGTH".into(), rows.to_string());
    attrs.insert("WIDTH".into(), cols.to_string());
    for (k, v) in &attrs {
        write_str_attr(&file, k, v)?;
    }
    file.new_dataset_builder()
        .with_data(&stack.unwrap_phase)
        .create("unwrapPhase")?;
    file.new_dataset_builder()
        .with_data(&stack.coherence)
        .create("coherence")?;
    let mut dates = Array2::<FixedAscii<8>>::from_elem((stack.len(), 2), FixedAscii::new());
    for (i, (a, b)) in stack.date_pairs.iter().enumerate() {
        dates[[i, 0]] = fixed8(a)?;
        dates[[i, 1]] = fixed8(b)?;
    }
    file.new_dataset_builder()
        .with_data(&dates)
        .create("date")?;
    file.new_dataset_builder()
        .with_data(&Array1::from(stack.bperp.clone()))
        .create("bperp")?;
    file.new_dataset_builder()
        .with_data(&Array1::from(stack.keep.clone()))
        .create("dropIfgram")?;
    file.close()?;
    Ok(())
}

fn fixed8(d: &NaiveDate) -> hdf5::Result<FixedAscii<8>> {
    FixedAscii::<8>::from_ascii(d.format("%Y%m%d").to_string().as_bytes())
        .map_err(|e| hdf5::Error::from(e.to_string()))
}

/// Writes a scalar variable-length UTF-8 string attribute (what h5py writes
/// for `str` values, and what MintPy reads back as text).
pub(crate) fn write_str_attr(loc: &hdf5::Location, key: &str, value: &str) -> hdf5::Result<()> {
    let v = VarLenUnicode::from_str(value).map_err(|e| hdf5::Error::from(e.to_string()))?;
    loc.new_attr::<VarLenUnicode>()
        .create(key)?
        .write_scalar(&v)
}

/// Writes a MintPy `timeseries.h5`: `/timeseries` (date, row, col) in
/// metres, `/date` as `|S8` `YYYYMMDD`, `/bperp`, and the attributes
/// (`FILE_TYPE = timeseries`, `UNIT = m`, `LENGTH`, `WIDTH` set here).
pub fn write_timeseries(
    path: &Path,
    dates: &[NaiveDate],
    timeseries: &Array3<f32>,
    attributes: &BTreeMap<String, String>,
) -> Result<()> {
    let (n, rows, cols) = timeseries.dim();
    if n != dates.len() {
        return Err(Error::Shape {
            context: format!("{}: timeseries against dates", path.display()),
            expected: vec![dates.len(), rows, cols],
            found: vec![n, rows, cols],
        });
    }
    write_atomically(path, |tmp| {
        let inner = || -> hdf5::Result<()> {
            let file = hdf5::File::create(tmp)?;
            let mut attrs = attributes.clone();
            attrs.insert("FILE_TYPE".into(), "timeseries".into());
            attrs.insert("UNIT".into(), "m".into());
            attrs.insert("LENGTH".into(), rows.to_string());
            attrs.insert("WIDTH".into(), cols.to_string());
            for (k, v) in &attrs {
                write_str_attr(&file, k, v)?;
            }
            file.new_dataset_builder()
                .with_data(timeseries)
                .create("timeseries")?;
            let d: Vec<FixedAscii<8>> = dates.iter().map(fixed8).collect::<hdf5::Result<_>>()?;
            file.new_dataset_builder()
                .with_data(&Array1::from(d))
                .create("date")?;
            file.new_dataset_builder()
                .with_data(&Array1::<f32>::zeros(n))
                .create("bperp")?;
            file.close()
        };
        inner().map_err(|e| Error::format(path, format!("cannot write timeseries: {e}")))
    })
}

/// Writes a single-dataset MintPy file such as `velocity.h5` (`velocity`,
/// m/yr) or `temporalCoherence.h5`, with `FILE_TYPE` = the dataset name.
pub fn write_single(
    path: &Path,
    dataset: &str,
    values: &Array2<f32>,
    unit: &str,
    attributes: &BTreeMap<String, String>,
) -> Result<()> {
    let (rows, cols) = values.dim();
    write_atomically(path, |tmp| {
        let inner = || -> hdf5::Result<()> {
            let file = hdf5::File::create(tmp)?;
            let mut attrs = attributes.clone();
            attrs.insert("FILE_TYPE".into(), dataset.into());
            attrs.insert("UNIT".into(), unit.into());
            attrs.insert("LENGTH".into(), rows.to_string());
            attrs.insert("WIDTH".into(), cols.to_string());
            for (k, v) in &attrs {
                write_str_attr(&file, k, v)?;
            }
            file.new_dataset_builder()
                .with_data(values)
                .create(dataset)?;
            file.close()
        };
        inner().map_err(|e| Error::format(path, format!("cannot write {dataset}: {e}")))
    })
}
