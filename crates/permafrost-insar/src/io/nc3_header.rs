//! The NetCDF classic header (CDF-1, CDF-2, CDF-5), read far enough to know
//! how long the file must be. netCDF-C happily returns zeros for data beyond
//! the end of a truncated classic file; this check turns that into an error.
//!
//! Format: "NetCDF Classic and 64-bit Offset Format" (Unidata, NetCDF Users
//! Guide, file format specification), all integers big-endian.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    /// CDF-5 uses 64-bit counts.
    wide: bool,
}

impl Cursor<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u32(&mut self) -> Option<u64> {
        self.bytes(4)
            .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
    }
    fn u64(&mut self) -> Option<u64> {
        self.bytes(8)
            .map(|b| u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
    }
    fn count(&mut self) -> Option<u64> {
        if self.wide {
            self.u64()
        } else {
            self.u32()
        }
    }
    fn name(&mut self) -> Option<()> {
        let n = usize::try_from(self.count()?).ok()?;
        self.bytes(n.checked_add(3)? / 4 * 4).map(|_| ())
    }
}

fn type_size(t: u64) -> Option<u64> {
    Some(match t {
        1 | 2 | 7 => 1,
        3 | 8 => 2,
        4 | 5 | 9 => 4,
        6 | 10 | 11 => 8,
        _ => return None,
    })
}

/// Parses the header and returns the file length its variables imply.
fn expected_len(buf: &[u8]) -> Option<u64> {
    let version = *buf.get(3)?;
    let mut c = Cursor {
        buf,
        pos: 4,
        wide: version == 5,
    };
    let numrecs = c.count()?;
    let streaming = if c.wide {
        numrecs == u64::MAX
    } else {
        numrecs == u64::from(u32::MAX)
    };
    // Dimensions.
    let mut dims = Vec::new();
    let tag = c.u32()?;
    let n = c.count()?;
    if tag == 0x0A {
        for _ in 0..n {
            c.name()?;
            dims.push(c.count()?);
        }
    }
    // Global attributes.
    skip_attributes(&mut c)?;
    // Variables.
    let tag = c.u32()?;
    let n = c.count()?;
    let mut end = c.pos as u64;
    let (mut rec_begin, mut rec_size, mut n_rec) = (u64::MAX, 0u64, 0u64);
    if tag == 0x0B {
        for _ in 0..n {
            c.name()?;
            let ndims = c.count()?;
            let mut first_dim_len = None;
            for k in 0..ndims {
                let id = usize::try_from(c.count()?).ok()?;
                if k == 0 {
                    first_dim_len = Some(*dims.get(id)?);
                }
            }
            skip_attributes(&mut c)?;
            let _nc_type = c.u32()?;
            let vsize = c.count()?;
            let begin = if version == 1 { c.u32()? } else { c.u64()? };
            if first_dim_len == Some(0) {
                rec_begin = rec_begin.min(begin);
                rec_size = rec_size.checked_add(vsize)?;
                n_rec += 1;
            } else {
                end = end.max(begin.checked_add(vsize)?);
            }
        }
    }
    if n_rec > 0 && !streaming {
        end = end.max(rec_begin.checked_add(numrecs.checked_mul(rec_size)?)?);
    }
    Some(end)
}

fn skip_attributes(c: &mut Cursor<'_>) -> Option<()> {
    let tag = c.u32()?;
    let n = c.count()?;
    if tag == 0x0C {
        for _ in 0..n {
            c.name()?;
            let t = c.u32()?;
            let nelems = c.count()?;
            let len = nelems.checked_mul(type_size(t)?)?;
            let padded = usize::try_from(len.checked_add(3)? / 4 * 4).ok()?;
            c.bytes(padded)?;
        }
    }
    Some(())
}

/// Fails when a classic NetCDF file is shorter than its header says (or the
/// header itself is cut off). Other files pass unchecked.
pub(crate) fn check_length(path: &Path) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || &magic[..3] != b"CDF" {
        return Ok(());
    }
    // Headers are small; read up to 16 MiB of it.
    let mut buf = magic.to_vec();
    file.take(16 << 20)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, e))?;
    match expected_len(&buf) {
        None => Err(Error::format(
            path,
            "truncated or corrupt NetCDF classic header",
        )),
        // The padding after the last variable may be missing.
        Some(expected) if len + 3 < expected => Err(Error::format(
            path,
            format!("truncated: the NetCDF header describes {expected} bytes, the file has {len}"),
        )),
        Some(_) => Ok(()),
    }
}
