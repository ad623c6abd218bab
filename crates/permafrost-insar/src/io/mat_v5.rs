//! MATLAB Level-5 MAT-files (v5/v6/v7, the `-v7` default of `save`): numeric,
//! logical and char arrays, including zlib-compressed elements.
//!
//! Layout (MathWorks, "MAT-File Format", 2021): a 128-byte header, then data
//! elements `(type: u32, nbytes: u32, data padded to 8 bytes)`, the small
//! element form packing `nbytes` into the upper half of the type word, and
//! `miCOMPRESSED` elements holding one zlib-deflated element.

use std::io::{Read, Write};
use std::path::Path;

use ndarray::{ArrayD, ArrayViewD, IxDyn, ShapeBuilder};

use super::atomic::write_atomically;
use crate::error::{Error, Result};

const MI_INT8: u32 = 1;
const MI_UINT8: u32 = 2;
const MI_INT16: u32 = 3;
const MI_UINT16: u32 = 4;
const MI_INT32: u32 = 5;
const MI_UINT32: u32 = 6;
const MI_SINGLE: u32 = 7;
const MI_DOUBLE: u32 = 9;
const MI_INT64: u32 = 12;
const MI_UINT64: u32 = 13;
const MI_MATRIX: u32 = 14;
const MI_COMPRESSED: u32 = 15;
const MI_UTF8: u32 = 16;
const MI_UTF16: u32 = 17;

/// A variable of a MAT-file.
#[derive(Debug, Clone, PartialEq)]
pub struct MatVariable {
    /// Variable name.
    pub name: String,
    /// MATLAB class (`double`, `single`, `int16`, `logical`, `char`, `cell`, `struct`, …).
    pub class: String,
    /// MATLAB dimensions (at least two).
    pub dims: Vec<usize>,
    /// Values in MATLAB orientation (`values[[i, j]]` is `M(i+1, j+1)`) for
    /// numeric, logical and char arrays; `None` for the other classes.
    /// Complex arrays keep their real part here.
    pub values: Option<ArrayD<f64>>,
    /// True for complex arrays.
    pub complex: bool,
}

fn class_name(code: u8) -> &'static str {
    match code {
        1 => "cell",
        2 => "struct",
        3 => "object",
        4 => "char",
        5 => "sparse",
        6 => "double",
        7 => "single",
        8 => "int8",
        9 => "uint8",
        10 => "int16",
        11 => "uint16",
        12 => "int32",
        13 => "uint32",
        14 => "int64",
        15 => "uint64",
        16 => "function",
        17 => "opaque",
        _ => "unknown",
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    big_endian: bool,
    /// Offset of `buf` in the file, for error messages (0 inside inflated data).
    base: usize,
    context: &'static str,
}

impl<'a> Reader<'a> {
    fn err(&self, path: &Path, what: impl std::fmt::Display) -> Error {
        Error::format(
            path,
            format!(
                "MAT-file {} at byte {}: {what}",
                self.context,
                self.base + self.pos
            ),
        )
    }

    fn take(&mut self, path: &Path, n: usize) -> Result<&'a [u8]> {
        if self
            .pos
            .checked_add(n)
            .is_none_or(|end| end > self.buf.len())
        {
            return Err(self.err(
                path,
                format!(
                    "truncated: needs {n} bytes, {} left",
                    self.buf.len() - self.pos
                ),
            ));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn u32(&mut self, path: &Path) -> Result<u32> {
        let b: [u8; 4] = self
            .take(path, 4)?
            .try_into()
            .map_err(|_| self.err(path, "short read"))?;
        Ok(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// Reads one element tag and its data; returns `(type, data)` and skips padding.
    fn element(&mut self, path: &Path, pad: bool) -> Result<(u32, &'a [u8])> {
        let word = self.u32(path)?;
        if word >> 16 != 0 {
            // Small data element: 4-byte tag, 4 bytes of data.
            let n = (word >> 16) as usize;
            let ty = word & 0xffff;
            if n > 4 {
                return Err(self.err(path, format!("small element claims {n} bytes")));
            }
            let data = self.take(path, 4)?;
            return Ok((ty, &data[..n]));
        }
        let n = self.u32(path)? as usize;
        let data = self.take(path, n)?;
        // Compressed elements are not padded (MATLAB and scipy agree).
        if pad && word != MI_COMPRESSED {
            let padding = (8 - n % 8) % 8;
            let padding = padding.min(self.buf.len() - self.pos);
            self.pos += padding;
        }
        Ok((word, data))
    }
}

fn numbers(path: &Path, ty: u32, data: &[u8], big_endian: bool) -> Result<Vec<f64>> {
    macro_rules! conv {
        ($t:ty, $n:expr) => {{
            let chunks = data.chunks_exact($n);
            if !chunks.remainder().is_empty() {
                return Err(Error::format(
                    path,
                    format!(
                        "MAT-file: {} bytes is not a whole number of {}-byte values",
                        data.len(),
                        $n
                    ),
                ));
            }
            chunks
                .map(|c| {
                    let arr: [u8; $n] = c.try_into().unwrap_or([0; $n]);
                    let v = if big_endian {
                        <$t>::from_be_bytes(arr)
                    } else {
                        <$t>::from_le_bytes(arr)
                    };
                    v as f64
                })
                .collect()
        }};
    }
    Ok(match ty {
        MI_INT8 => conv!(i8, 1),
        MI_UINT8 | MI_UTF8 => conv!(u8, 1),
        MI_INT16 => conv!(i16, 2),
        MI_UINT16 | MI_UTF16 => conv!(u16, 2),
        MI_INT32 => conv!(i32, 4),
        MI_UINT32 => conv!(u32, 4),
        MI_SINGLE => conv!(f32, 4),
        MI_DOUBLE => conv!(f64, 8),
        MI_INT64 => conv!(i64, 8),
        MI_UINT64 => conv!(u64, 8),
        other => {
            return Err(Error::format(
                path,
                format!("MAT-file: data type {other} is not numeric"),
            ))
        }
    })
}

/// Reads every top-level variable of a Level-5 MAT-file.
pub fn read(path: &Path) -> Result<Vec<MatVariable>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if bytes.len() < 128 || !bytes.starts_with(b"MATLAB") {
        return Err(Error::format(
            path,
            "not a MATLAB Level-5 MAT-file (header missing or truncated)",
        ));
    }
    let big_endian = match &bytes[126..128] {
        b"IM" => false,
        b"MI" => true,
        _ => return Err(Error::format(path, "MAT-file header: bad endian indicator")),
    };
    let mut top = Reader {
        buf: &bytes[128..],
        pos: 0,
        big_endian,
        base: 128,
        context: "element",
    };
    let mut out = Vec::new();
    while top.pos < top.buf.len() {
        let (ty, data) = top.element(path, true)?;
        match ty {
            MI_MATRIX => out.push(parse_matrix(
                path,
                data,
                big_endian,
                128 + top.pos - data.len(),
            )?),
            MI_COMPRESSED => {
                let mut inflated = Vec::new();
                flate2::read::ZlibDecoder::new(data)
                    .read_to_end(&mut inflated)
                    .map_err(|e| {
                        top.err(path, format!("compressed element does not inflate: {e}"))
                    })?;
                let mut inner = Reader {
                    buf: &inflated,
                    pos: 0,
                    big_endian,
                    base: 0,
                    context: "compressed element",
                };
                let (ity, idata) = inner.element(path, true)?;
                if ity == MI_MATRIX {
                    out.push(parse_matrix(path, idata, big_endian, 0)?);
                }
            }
            _ => {} // other top-level elements carry no variables
        }
    }
    Ok(out)
}

fn parse_matrix(path: &Path, data: &[u8], big_endian: bool, base: usize) -> Result<MatVariable> {
    let mut r = Reader {
        buf: data,
        pos: 0,
        big_endian,
        base,
        context: "matrix",
    };
    if data.is_empty() {
        // An empty miMATRIX is how MATLAB writes an empty array.
        return Ok(MatVariable {
            name: String::new(),
            class: "double".into(),
            dims: vec![0, 0],
            values: Some(ArrayD::zeros(IxDyn(&[0, 0]))),
            complex: false,
        });
    }
    let (fty, flags) = r.element(path, true)?;
    if fty != MI_UINT32 || flags.len() < 4 {
        return Err(r.err(path, "array flags missing"));
    }
    let word = numbers(path, MI_UINT32, &flags[..4], big_endian)?[0] as u32;
    let class_code = (word & 0xff) as u8;
    let complex = word & 0x0800 != 0;
    let logical = word & 0x0200 != 0;
    let (dty, dims_raw) = r.element(path, true)?;
    if dty != MI_INT32 {
        return Err(r.err(path, "dimensions missing"));
    }
    let dims_f = numbers(path, MI_INT32, dims_raw, big_endian)?;
    if dims_f.iter().any(|&d| d < 0.0) || dims_f.len() < 2 {
        return Err(r.err(path, format!("invalid dimensions {dims_f:?}")));
    }
    let dims: Vec<usize> = dims_f.iter().map(|&d| d as usize).collect();
    let (nty, name_raw) = r.element(path, true)?;
    if nty != MI_INT8 && nty != MI_UINT8 {
        return Err(r.err(path, "array name missing"));
    }
    let name = String::from_utf8_lossy(name_raw).into_owned();
    let class = if logical {
        "logical".to_string()
    } else {
        class_name(class_code).to_string()
    };
    let numeric = (4..=15).contains(&class_code) && class_code != 5;
    let values = if numeric {
        let (vty, raw) = r.element(path, true)?;
        let values = numbers(path, vty, raw, big_endian)?;
        let n: usize = dims.iter().product();
        if values.len() != n {
            return Err(Error::variable(
                path,
                &name,
                format!("{} values for dimensions {:?}", values.len(), dims),
            ));
        }
        Some(
            ArrayD::from_shape_vec(IxDyn(&dims).f(), values)
                .map_err(|e| Error::variable(path, &name, e))?
                .as_standard_layout()
                .into_owned(),
        )
    } else {
        None
    };
    Ok(MatVariable {
        name,
        class,
        dims,
        values,
        complex,
    })
}

/// Writes `double` arrays as a Level-5 MAT-file, atomically. Arrays are given
/// in MATLAB orientation; 1-D arrays become row vectors (as `scipy.io.savemat`
/// does). With `compress`, each variable is a zlib-compressed element.
pub fn write(path: &Path, vars: &[(&str, ArrayViewD<'_, f64>)], compress: bool) -> Result<()> {
    for (name, _) in vars {
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name.len() <= 63;
        if !valid {
            return Err(Error::Invalid(format!(
                "{}: `{name}` is not a valid MATLAB variable name",
                path.display()
            )));
        }
    }
    let mut out = Vec::new();
    let mut header = format!(
        "MATLAB 5.0 MAT-file, written by permafrost-insar {}",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes();
    header.resize(116, b' ');
    out.extend_from_slice(&header);
    out.extend_from_slice(&[0u8; 8]); // no subsystem data
    out.extend_from_slice(&0x0100u16.to_le_bytes());
    out.extend_from_slice(b"IM");
    for (name, a) in vars {
        let element = matrix_element(name, a);
        if compress {
            let mut enc =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(&element).map_err(|e| Error::io(path, e))?;
            let z = enc.finish().map_err(|e| Error::io(path, e))?;
            put_tag(&mut out, MI_COMPRESSED, z.len());
            out.extend_from_slice(&z);
        } else {
            out.extend_from_slice(&element);
        }
    }
    write_atomically(path, |tmp| {
        std::fs::write(tmp, &out).map_err(|e| Error::io(path, e))
    })
}

fn put_tag(out: &mut Vec<u8>, ty: u32, n: usize) {
    out.extend_from_slice(&ty.to_le_bytes());
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_element(out: &mut Vec<u8>, ty: u32, data: &[u8]) {
    put_tag(out, ty, data.len());
    out.extend_from_slice(data);
    out.resize(out.len() + (8 - data.len() % 8) % 8, 0);
}

fn matrix_element(name: &str, a: &ArrayViewD<'_, f64>) -> Vec<u8> {
    let dims: Vec<usize> = match a.ndim() {
        0 => vec![1, 1],
        1 => vec![1, a.len()],
        _ => a.shape().to_vec(),
    };
    let mut body = Vec::new();
    let mut flags = Vec::new();
    flags.extend_from_slice(&6u32.to_le_bytes()); // mxDOUBLE_CLASS
    flags.extend_from_slice(&0u32.to_le_bytes());
    put_element(&mut body, MI_UINT32, &flags);
    let dim_bytes: Vec<u8> = dims
        .iter()
        .flat_map(|&d| (d as i32).to_le_bytes())
        .collect();
    put_element(&mut body, MI_INT32, &dim_bytes);
    put_element(&mut body, MI_INT8, name.as_bytes());
    // Column-major order = row-major order of the axes reversed.
    let values: Vec<u8> = a
        .view()
        .reversed_axes()
        .iter()
        .flat_map(|x| x.to_le_bytes())
        .collect();
    put_element(&mut body, MI_DOUBLE, &values);
    let mut element = Vec::with_capacity(body.len() + 8);
    put_tag(&mut element, MI_MATRIX, body.len());
    element.extend_from_slice(&body);
    element
}
