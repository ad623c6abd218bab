//! Merging fields along time, like `cdo mergetime`.

use chrono::NaiveDateTime;
use ndarray::{Array3, ArrayView2, Axis};

use crate::error::{Error, Result};
use crate::field::Era5Field;

/// Tolerance, in degrees, for two grids to count as the same.
pub const GRID_TOLERANCE_DEG: f64 = 1e-5;

/// A piece of a field whose time steps may be in any order (one file).
pub(crate) struct Chunk<'a> {
    pub times: &'a [NaiveDateTime],
    pub data: &'a Array3<f64>,
    pub quantum: f64,
    pub source: String,
}

/// Merges fields of one variable on one grid along time, like
/// `cdo mergetime`: the time steps of all inputs are sorted (inputs may come
/// in any order and overlap); a time step present more than once is kept
/// once when the copies agree within `max(atol, quantum of either input)`
/// everywhere (NaN equals NaN), and is an error naming the time, the cell
/// and both sources when they do not.
///
/// Metadata (long name, units, kind) come from the first input.
pub fn merge_time(fields: &[Era5Field], atol: f64) -> Result<Era5Field> {
    let Some(first) = fields.first() else {
        return Err(Error::Empty {
            input: "list of fields to merge".into(),
        });
    };
    if atol.is_nan() || atol < 0.0 {
        return Err(Error::invalid_parameter("atol", atol, "must be ≥ 0"));
    }
    for (i, f) in fields.iter().enumerate().skip(1) {
        if f.name != first.name {
            return Err(Error::Mismatch {
                context: format!(
                    "merging field {i} ({}) into `{}`",
                    f.source_label(),
                    first.name
                ),
                detail: format!("variable `{}` differs from `{}`", f.name, first.name),
            });
        }
        if f.units != first.units {
            return Err(Error::Mismatch {
                context: format!(
                    "merging field {i} ({}) into `{}`",
                    f.source_label(),
                    first.name
                ),
                detail: format!("units `{}` differ from `{}`", f.units, first.units),
            });
        }
    }
    let chunks: Vec<Chunk<'_>> = fields
        .iter()
        .map(|f| Chunk {
            times: &f.times,
            data: &f.data,
            quantum: f.quantum,
            source: f.source_label(),
        })
        .collect();
    let grids: Vec<_> = fields.iter().map(|f| &f.grid).collect();
    for (i, g) in grids.iter().enumerate().skip(1) {
        if !g.approx_eq(grids[0], GRID_TOLERANCE_DEG) {
            return Err(Error::Mismatch {
                context: format!("merging `{}`", first.name),
                detail: format!(
                    "the grid of {} differs from that of {}",
                    chunks[i].source, chunks[0].source
                ),
            });
        }
    }
    let (times, data) = merge_chunks(&first.name, &chunks, atol)?;
    let mut out = first.clone();
    out.times = times;
    out.data = data;
    out.quantum = fields.iter().map(|f| f.quantum).fold(0.0, f64::max);
    out.sources = fields.iter().flat_map(|f| f.sources.clone()).collect();
    Ok(out)
}

/// Sorts the time steps of all chunks (same spatial shape), dropping
/// agreeing duplicates and refusing conflicting ones.
pub(crate) fn merge_chunks(
    variable: &str,
    chunks: &[Chunk<'_>],
    atol: f64,
) -> Result<(Vec<NaiveDateTime>, Array3<f64>)> {
    let Some(c0) = chunks.first() else {
        return Err(Error::Empty {
            input: format!("`{variable}`: list of inputs"),
        });
    };
    let (_, rows, cols) = c0.data.dim();
    for c in chunks {
        let (nt, r, cc) = c.data.dim();
        if (r, cc) != (rows, cols) || nt != c.times.len() {
            return Err(Error::shape(
                format!("`{variable}` from {}", c.source),
                &[c.times.len(), rows, cols],
                c.data.shape(),
            ));
        }
    }
    // (time, chunk, step), sorted stably: the first source wins ties.
    let mut order: Vec<(NaiveDateTime, usize, usize)> = chunks
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| c.times.iter().enumerate().map(move |(s, &t)| (t, ci, s)))
        .collect();
    order.sort();
    let mut kept: Vec<(NaiveDateTime, usize, usize)> = Vec::with_capacity(order.len());
    for &(t, ci, s) in &order {
        if let Some(&(tk, ck, sk)) = kept.last() {
            if tk == t {
                let a = chunks[ck].data.index_axis(Axis(0), sk);
                let b = chunks[ci].data.index_axis(Axis(0), s);
                let tol = atol.max(chunks[ck].quantum).max(chunks[ci].quantum);
                if let Some((row, col, x, y)) = first_difference(a, b, tol) {
                    return Err(Error::ConflictingDuplicate {
                        variable: variable.to_string(),
                        time: t,
                        first: x,
                        second: y,
                        row,
                        col,
                        first_source: chunks[ck].source.clone(),
                        second_source: chunks[ci].source.clone(),
                    });
                }
                continue;
            }
        }
        kept.push((t, ci, s));
    }
    let mut data = Array3::<f64>::zeros((kept.len(), rows, cols));
    for (k, &(_, ci, s)) in kept.iter().enumerate() {
        data.index_axis_mut(Axis(0), k)
            .assign(&chunks[ci].data.index_axis(Axis(0), s));
    }
    Ok((kept.into_iter().map(|(t, _, _)| t).collect(), data))
}

fn first_difference(
    a: ArrayView2<'_, f64>,
    b: ArrayView2<'_, f64>,
    tol: f64,
) -> Option<(usize, usize, f64, f64)> {
    a.indexed_iter()
        .zip(b.iter())
        .find(|&((_, &x), &y)| {
            let same = (x.is_nan() && y.is_nan()) || (x - y).abs() <= tol;
            !same
        })
        .map(|(((r, c), &x), &y)| (r, c, x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Grid;
    use chrono::NaiveDate;

    fn t(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2020, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            + chrono::TimeDelta::hours(i64::from(h))
    }

    fn field(hours: &[u32], f: impl Fn(u32) -> f64) -> Era5Field {
        let grid = Grid::regular(vec![0.0], vec![0.0, 1.0]).unwrap();
        let times: Vec<_> = hours.iter().map(|&h| t(h)).collect();
        let data = Array3::from_shape_fn((hours.len(), 1, 2), |(i, _, c)| f(hours[i]) + c as f64);
        Era5Field::new("t2m", "degC", times, grid, data).unwrap()
    }

    #[test]
    fn merges_unordered_overlapping_inputs() {
        let a = field(&[3, 4, 5], f64::from);
        let b = field(&[0, 1, 2, 3], f64::from);
        let m = merge_time(&[a, b], 0.0).unwrap();
        assert_eq!(m.times, (0..6).map(t).collect::<Vec<_>>());
        assert_eq!(m.data[[4, 0, 1]], 5.0);
    }

    #[test]
    fn conflicting_duplicate_names_the_time() {
        let a = field(&[0, 1], f64::from);
        let b = field(&[1, 2], |h| f64::from(h) + 0.5);
        let e = merge_time(&[a, b], 1e-3).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("2020-01-01 01:00:00"), "{msg}");
        assert!(matches!(
            e,
            Error::ConflictingDuplicate { row: 0, col: 0, .. }
        ));
    }

    #[test]
    fn refuses_other_grids_and_names() {
        let a = field(&[0], f64::from);
        let mut b = field(&[1], f64::from);
        b.grid = Grid::regular(vec![0.5], vec![0.0, 1.0]).unwrap();
        assert!(matches!(
            merge_time(&[a.clone(), b], 0.0),
            Err(Error::Mismatch { .. })
        ));
        let mut c = field(&[1], f64::from);
        c.name = "skt".into();
        assert!(merge_time(&[a, c], 0.0).is_err());
    }
}
