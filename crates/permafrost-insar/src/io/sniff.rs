//! Recognising a file's format by its content (magic bytes), not its name.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// File formats the facade reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Format {
    /// TIFF / BigTIFF (GeoTIFF), read through GDAL.
    Geotiff,
    /// NetCDF classic, 64-bit offset or CDF-5 (`CDF\x01`, `\x02`, `\x05`).
    Netcdf3,
    /// NetCDF-4: an HDF5 file written by the netCDF library.
    Netcdf4,
    /// A plain HDF5 file (MintPy stacks and products among them).
    Hdf5,
    /// MATLAB v7.3: HDF5 behind a 512-byte MATLAB header.
    #[serde(rename = "matlab-v7.3")]
    MatlabV73,
    /// MATLAB Level 5 (v5, v6, v7) MAT-file.
    MatlabV5,
    /// HDF4 (MODIS products), read through GDAL.
    Hdf4,
    /// A comma-separated text table with a header line.
    Csv,
}

impl Format {
    /// The name used in command output (`geotiff`, `netcdf4`, `matlab-v7.3`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Geotiff => "geotiff",
            Format::Netcdf3 => "netcdf3",
            Format::Netcdf4 => "netcdf4",
            Format::Hdf5 => "hdf5",
            Format::MatlabV73 => "matlab-v7.3",
            Format::MatlabV5 => "matlab-v5",
            Format::Hdf4 => "hdf4",
            Format::Csv => "csv",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

const HDF5_MAGIC: &[u8; 8] = b"\x89HDF\r\n\x1a\n";

/// Detects the format of `path` from its first bytes.
///
/// HDF5 files are told apart further: a MATLAB header makes it MATLAB v7.3,
/// the netCDF library's `_NCProperties` attribute (or its dimension scales)
/// makes it NetCDF-4, anything else is plain HDF5.
pub fn detect(path: &Path) -> Result<Format> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(4096);
    file.by_ref()
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    if head.is_empty() {
        return Err(Error::format(path, "empty file"));
    }
    if let Some(format) = detect_bytes(&head) {
        if format == Format::Hdf5 && is_netcdf4(path) {
            return Ok(Format::Netcdf4);
        }
        return Ok(format);
    }
    Err(Error::format(
        path,
        "not a recognised format (expected GeoTIFF, NetCDF, HDF5, MATLAB .mat, HDF4 or CSV)",
    ))
}

/// Format from the leading bytes alone (NetCDF-4 is reported as HDF5).
pub fn detect_bytes(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"II*\0")
        || head.starts_with(b"MM\0*")
        || head.starts_with(b"II+\0")
        || head.starts_with(b"MM\0+")
    {
        return Some(Format::Geotiff);
    }
    if head.len() >= 4 && &head[..3] == b"CDF" && matches!(head[3], 1 | 2 | 5) {
        return Some(Format::Netcdf3);
    }
    if head.starts_with(b"\x0e\x03\x13\x01") {
        return Some(Format::Hdf4);
    }
    if head.starts_with(b"MATLAB") && head.len() >= 128 {
        // A v7.3 file is HDF5 with its superblock at offset 512.
        if head.len() >= 520 && &head[512..520] == HDF5_MAGIC {
            return Some(Format::MatlabV73);
        }
        let version = &head[124..126];
        let endian = &head[126..128];
        if (endian == b"IM" && version == [0x00, 0x01])
            || (endian == b"MI" && version == [0x01, 0x00])
        {
            return Some(Format::MatlabV5);
        }
    }
    // The HDF5 superblock may sit at 0, 512, 1024, 2048, … (a user block).
    let mut offset = 0usize;
    while offset + 8 <= head.len() {
        if &head[offset..offset + 8] == HDF5_MAGIC {
            return Some(Format::Hdf5);
        }
        offset = if offset == 0 { 512 } else { offset * 2 };
    }
    if looks_like_csv(head) {
        return Some(Format::Csv);
    }
    None
}

fn looks_like_csv(head: &[u8]) -> bool {
    // Text (the cut may fall inside a UTF-8 sequence), with a header line that
    // has at least two comma-separated fields.
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    if text.contains('\0') {
        return false;
    }
    let first = text.lines().next().unwrap_or_default();
    first.split(',').filter(|f| !f.trim().is_empty()).count() >= 2
}

/// True when an HDF5 file carries the netCDF library's marks.
fn is_netcdf4(path: &Path) -> bool {
    let Ok(file) = hdf5::File::open(path) else {
        return false;
    };
    if file.attr_names().is_ok_and(|names| {
        names
            .iter()
            .any(|n| n == "_NCProperties" || n == "_nc3_strict")
    }) {
        return true;
    }
    // Files written by older netCDF versions: dimension scales on datasets.
    file.datasets().is_ok_and(|ds| {
        ds.iter().any(|d| {
            d.attr_names().is_ok_and(|names| {
                names
                    .iter()
                    .any(|n| n == "DIMENSION_LIST" || n == "_Netcdf4Dimid" || n == "CLASS")
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(detect_bytes(b"II*\0rest"), Some(Format::Geotiff));
        assert_eq!(detect_bytes(b"MM\0*rest"), Some(Format::Geotiff));
        assert_eq!(detect_bytes(b"CDF\x01...."), Some(Format::Netcdf3));
        assert_eq!(detect_bytes(b"CDF\x02...."), Some(Format::Netcdf3));
        assert_eq!(detect_bytes(b"CDF\x03...."), None);
        assert_eq!(detect_bytes(b"\x89HDF\r\n\x1a\n..."), Some(Format::Hdf5));
        assert_eq!(detect_bytes(b"\x0e\x03\x13\x01...."), Some(Format::Hdf4));
        assert_eq!(detect_bytes(b"ID,LAT,LON\nU1,1,2\n"), Some(Format::Csv));
        assert_eq!(detect_bytes(b"just some words\n"), None);
        assert_eq!(detect_bytes(b"\0\0\0\0"), None);
    }

    #[test]
    fn hdf5_behind_a_user_block() {
        let mut head = vec![b' '; 1100];
        head[1024..1032].copy_from_slice(HDF5_MAGIC);
        head[0] = 0xff; // not text
        assert_eq!(detect_bytes(&head), Some(Format::Hdf5));
    }

    #[test]
    fn matlab_headers() {
        let mut v5 = vec![b' '; 128];
        v5[..6].copy_from_slice(b"MATLAB");
        v5[124..126].copy_from_slice(&[0x00, 0x01]);
        v5[126..128].copy_from_slice(b"IM");
        assert_eq!(detect_bytes(&v5), Some(Format::MatlabV5));
        let mut v73 = vec![0u8; 600];
        v73[..6].copy_from_slice(b"MATLAB");
        v73[512..520].copy_from_slice(HDF5_MAGIC);
        assert_eq!(detect_bytes(&v73), Some(Format::MatlabV73));
    }
}
