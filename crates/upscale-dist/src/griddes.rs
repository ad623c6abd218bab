//! CDO grid descriptions (the text `cdo griddes` prints and `cdo remap…,
//! FILE` reads) of a [`Grid`], and back.
//!
//! Two forms describe the same grid:
//!
//! * `gridtype = lonlat`: 1-D `xvals`/`yvals` (cell centres) with
//!   `xbounds`/`ybounds` (two edges per cell) — exact for this crate's
//!   rectilinear grids, and what CDO itself prints for them;
//! * `gridtype = curvilinear`: 2-D `xvals`/`yvals` (one centre per cell,
//!   latitude outer) and four corners per cell in `xbounds`/`ybounds`,
//!   counter-clockwise from the south-west corner — the form S-UPSCALE
//!   wrote for its 10 km grid (its file had no bounds and, by an oversight,
//!   the cells' south-west corners as `xvals`/`yvals`; this crate writes the
//!   centres).
//!
//! Numbers are written with Rust's shortest round-trip formatting, so
//! [`parse_cdo_griddes`] gives back the same edges bit for bit.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::grid::Grid;

/// Which form of grid description to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GriddesKind {
    /// `gridtype = lonlat` with 1-D values and bounds.
    LonLat,
    /// `gridtype = curvilinear` with 2-D values and 4 corners per cell.
    Curvilinear,
}

const PER_LINE: usize = 6;

fn push_values(out: &mut String, key: &str, values: impl IntoIterator<Item = f64>) {
    let _ = write!(out, "{key:<9} =");
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 && i % PER_LINE == 0 {
            out.push_str("\n           ");
        }
        let _ = write!(out, " {v}");
    }
    out.push('\n');
}

fn push_kv(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "{key:<9} = {value}");
}

/// The CDO grid description of `grid`, as `cdo griddes` prints it
/// (`#`-comment header, `key = value` lines, long value lists wrapped).
///
/// ```
/// use upscale_dist::{cdo_griddes, parse_cdo_griddes, Grid, GriddesKind};
/// let grid = Grid::from_edges(vec![10.0, 10.5, 11.0], vec![60.0, 60.25])?;
/// let text = cdo_griddes(&grid, GriddesKind::LonLat);
/// assert!(text.contains("gridtype  = lonlat"));
/// assert!(text.contains("xvals     = 10.25 10.75"));
/// assert!(text.contains("xbounds   = 10 10.5 10.5 11"));
/// assert_eq!(parse_cdo_griddes(&text)?, grid);
/// let curv = cdo_griddes(&grid, GriddesKind::Curvilinear);
/// assert_eq!(parse_cdo_griddes(&curv)?, grid);
/// # Ok::<(), upscale_dist::Error>(())
/// ```
pub fn cdo_griddes(grid: &Grid, kind: GriddesKind) -> String {
    let (ny, nx) = grid.shape();
    let mut out = String::from("#\n# gridID 1\n#\n");
    let gridtype = match kind {
        GriddesKind::LonLat => "lonlat",
        GriddesKind::Curvilinear => "curvilinear",
    };
    push_kv(&mut out, "gridtype", gridtype);
    push_kv(&mut out, "gridsize", nx * ny);
    push_kv(&mut out, "xsize", nx);
    push_kv(&mut out, "ysize", ny);
    push_kv(&mut out, "xname", "lon");
    push_kv(&mut out, "xlongname", "\"longitude\"");
    push_kv(&mut out, "xunits", "\"degrees_east\"");
    push_kv(&mut out, "yname", "lat");
    push_kv(&mut out, "ylongname", "\"latitude\"");
    push_kv(&mut out, "yunits", "\"degrees_north\"");
    let (xe, ye) = (grid.lon_edges(), grid.lat_edges());
    let (xc, yc) = (grid.lon_centres(), grid.lat_centres());
    match kind {
        GriddesKind::LonLat => {
            push_values(&mut out, "xvals", xc.iter().copied());
            push_values(
                &mut out,
                "xbounds",
                (0..nx).flat_map(|i| [xe[i], xe[i + 1]]),
            );
            push_values(&mut out, "yvals", yc.iter().copied());
            push_values(
                &mut out,
                "ybounds",
                (0..ny).flat_map(|i| [ye[i], ye[i + 1]]),
            );
        }
        GriddesKind::Curvilinear => {
            push_kv(&mut out, "nvertex", 4);
            let cells = || (0..ny).flat_map(move |iy| (0..nx).map(move |ix| (iy, ix)));
            push_values(&mut out, "xvals", cells().map(|(_, ix)| xc[ix]));
            push_values(
                &mut out,
                "xbounds",
                cells().flat_map(|(_, ix)| [xe[ix], xe[ix + 1], xe[ix + 1], xe[ix]]),
            );
            push_values(&mut out, "yvals", cells().map(|(iy, _)| yc[iy]));
            push_values(
                &mut out,
                "ybounds",
                cells().flat_map(|(iy, _)| [ye[iy], ye[iy], ye[iy + 1], ye[iy + 1]]),
            );
        }
    }
    out
}

/// One `key = values` entry of a description.
struct Entry {
    key: String,
    line: usize,
    text: String,
}

fn entries(text: &str) -> Result<Vec<Entry>> {
    let mut out: Vec<Entry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            out.push(Entry {
                key: k.trim().to_ascii_lowercase(),
                line: i + 1,
                text: v.trim().to_string(),
            });
        } else if let Some(last) = out.last_mut() {
            last.text.push(' ');
            last.text.push_str(line);
        } else {
            return Err(Error::griddes(
                i + 1,
                format!("expected `key = value`, found `{line}`"),
            ));
        }
    }
    Ok(out)
}

fn find<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.key == key)
}

fn numbers(e: &Entry) -> Result<Vec<f64>> {
    e.text
        .split_whitespace()
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| Error::griddes(e.line, format!("`{t}` in {} is not a number", e.key)))
        })
        .collect()
}

fn size(entries: &[Entry], key: &str) -> Result<usize> {
    let e = find(entries, key).ok_or_else(|| Error::griddes(0, format!("`{key}` is missing")))?;
    e.text
        .parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            Error::griddes(
                e.line,
                format!("{key} = `{}` is not a positive integer", e.text),
            )
        })
}

/// Edges from centres: midpoints, half a step beyond the ends (CDO's rule
/// when a description has no bounds).
fn edges_from_centres(c: &[f64]) -> Vec<f64> {
    let n = c.len();
    if n == 1 {
        return vec![c[0] - 0.5, c[0] + 0.5];
    }
    let mut e = Vec::with_capacity(n + 1);
    e.push(c[0] - 0.5 * (c[1] - c[0]));
    e.extend(c.windows(2).map(|w| 0.5 * (w[0] + w[1])));
    e.push(c[n - 1] + 0.5 * (c[n - 1] - c[n - 2]));
    e
}

/// Edges from per-cell `[lower, upper]` pairs, which must be contiguous;
/// in the description's order (decreasing when the cells run that way).
fn edges_from_pairs(key: &str, line: usize, pairs: &[(f64, f64)]) -> Result<Vec<f64>> {
    let cells: Vec<(f64, f64)> = pairs.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let descending = cells.len() >= 2 && cells[1].0 < cells[0].0;
    let mut e = vec![if descending { cells[0].1 } else { cells[0].0 }];
    for (i, &(lo, hi)) in cells.iter().enumerate() {
        let (start, end) = if descending { (hi, lo) } else { (lo, hi) };
        let prev = e[e.len() - 1];
        if start != prev {
            return Err(Error::griddes(
                line,
                format!(
                    "{key}: cell {i} starts at {start}, but the previous cell ends at {prev} \
                     (bounds must be contiguous)"
                ),
            ));
        }
        e.push(end);
    }
    Ok(e)
}

/// Reads a CDO grid description of a rectilinear longitude–latitude grid:
/// `gridtype = lonlat` (with `xvals`/`yvals` or `xfirst`/`xinc`/`yfirst`/
/// `yinc`, and optional `xbounds`/`ybounds`) or `gridtype = curvilinear`
/// whose longitudes depend only on the column and latitudes only on the row.
/// Without bounds, edges are the midpoints of the centres, extended half a
/// step at both ends (the grid's centres, the midpoints of those edges, then
/// differ from the given ones where the spacing is not uniform).
///
/// Errors ([`Error::Griddes`], naming the line): another grid type, missing
/// or malformed keys, wrong value counts, a curvilinear grid that is not
/// rectilinear, non-contiguous bounds, or latitudes running north to south
/// (the crate's cell order is south to north: flip such a grid first).
pub fn parse_cdo_griddes(text: &str) -> Result<Grid> {
    let es = entries(text)?;
    let gt = find(&es, "gridtype").ok_or_else(|| Error::griddes(0, "`gridtype` is missing"))?;
    let (nx, ny) = (size(&es, "xsize")?, size(&es, "ysize")?);
    let get = |key: &str, want: usize| -> Result<Option<(usize, Vec<f64>)>> {
        match find(&es, key) {
            None => Ok(None),
            Some(e) => {
                let v = numbers(e)?;
                if v.len() != want {
                    return Err(Error::griddes(
                        e.line,
                        format!("{key} has {} values, {want} expected", v.len()),
                    ));
                }
                Ok(Some((e.line, v)))
            }
        }
    };
    let (lon_edges, lat_edges) = match gt.text.as_str() {
        "lonlat" | "gaussian" => {
            let axis = |v: &str, n: usize| -> Result<Vec<f64>> {
                let vals_key = format!("{v}vals");
                let bounds_key = format!("{v}bounds");
                let centres = match get(&vals_key, n)? {
                    Some((_, c)) => c,
                    None => {
                        let first = get(&format!("{v}first"), 1)?;
                        let inc = get(&format!("{v}inc"), 1)?;
                        match (first, inc) {
                            (Some((_, f)), Some((_, d))) => {
                                (0..n).map(|i| f[0] + i as f64 * d[0]).collect()
                            }
                            (Some((_, f)), None) if n == 1 => vec![f[0]],
                            _ => {
                                return Err(Error::griddes(
                                    0,
                                    format!("neither {vals_key} nor {v}first/{v}inc is given"),
                                ))
                            }
                        }
                    }
                };
                match get(&bounds_key, 2 * n)? {
                    Some((line, b)) => {
                        let pairs: Vec<(f64, f64)> =
                            b.chunks_exact(2).map(|p| (p[0], p[1])).collect();
                        edges_from_pairs(&bounds_key, line, &pairs)
                    }
                    None => Ok(edges_from_centres(&centres)),
                }
            };
            (axis("x", nx)?, axis("y", ny)?)
        }
        "curvilinear" => {
            let n = nx * ny;
            let (xl, xv) =
                get("xvals", n)?.ok_or_else(|| Error::griddes(0, "`xvals` is missing"))?;
            let (yl, yv) =
                get("yvals", n)?.ok_or_else(|| Error::griddes(0, "`yvals` is missing"))?;
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
            for iy in 0..ny {
                for ix in 0..nx {
                    let k = iy * nx + ix;
                    if !close(xv[k], xv[ix]) {
                        return Err(Error::griddes(xl, format!("xvals is not rectilinear: cell (row {iy}, col {ix}) has longitude {} but row 0 has {}", xv[k], xv[ix])));
                    }
                    if !close(yv[k], yv[iy * nx]) {
                        return Err(Error::griddes(yl, format!("yvals is not rectilinear: cell (row {iy}, col {ix}) has latitude {} but col 0 has {}", yv[k], yv[iy * nx])));
                    }
                }
            }
            let xc: Vec<f64> = xv[..nx].to_vec();
            let yc: Vec<f64> = (0..ny).map(|iy| yv[iy * nx]).collect();
            let corners =
                |key: &str, pick: &dyn Fn(usize) -> usize, m: usize| -> Result<Option<Vec<f64>>> {
                    match get(key, 4 * n)? {
                        None => Ok(None),
                        Some((line, b)) => {
                            let pairs: Vec<(f64, f64)> = (0..m)
                                .map(|i| {
                                    let c = &b[4 * pick(i)..4 * pick(i) + 4];
                                    let lo = c.iter().copied().fold(f64::INFINITY, f64::min);
                                    let hi = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                                    (lo, hi)
                                })
                                .collect();
                            edges_from_pairs(key, line, &pairs).map(Some)
                        }
                    }
                };
            let xe = corners("xbounds", &|ix| ix, nx)?.unwrap_or_else(|| edges_from_centres(&xc));
            let ye =
                corners("ybounds", &|iy| iy * nx, ny)?.unwrap_or_else(|| edges_from_centres(&yc));
            (xe, ye)
        }
        other => {
            return Err(Error::griddes(
                gt.line,
                format!(
                    "gridtype `{other}` is not supported (lonlat or rectilinear curvilinear only)"
                ),
            ))
        }
    };
    if lat_edges.len() >= 2 && lat_edges[lat_edges.len() - 1] < lat_edges[0] {
        return Err(Error::griddes(
            0,
            "latitudes run north to south; this crate's grids run south to north (flip the grid)",
        ));
    }
    if lon_edges.len() >= 2 && lon_edges[lon_edges.len() - 1] < lon_edges[0] {
        return Err(Error::griddes(
            0,
            "longitudes decrease; they must run west to east",
        ));
    }
    Grid::from_edges(lon_edges, lat_edges)
}
