//! `sbas invert --stack F [--coherence GLOB] [--ref-yx ROW,COL] --method
//! l2|wls|l1 [--weight coh|fim|var|no] --out DIR`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use ndarray::{Array2, Array3, Axis};
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::mintpy::{self, IfgramStack};
use permafrost_insar::io::{detect, Format};
use permafrost_insar::sbas::{
    mintpy_looks, subtract_reference, GapPolicy, InversionParams, Network, Norm, ReferencePoint,
    Weighting,
};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{ensure_dir, print_json, Global};

#[derive(Debug, Subcommand)]
pub(crate) enum SbasCommand {
    /// Time-series inversion of an interferogram stack.
    Invert(InvertArgs),
    /// Small-baseline network selection from dates (and B⊥): pair lists,
    /// components, redundancy.
    Network(super::sbas_network::NetworkArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Method {
    L2,
    Wls,
    L1,
}

#[derive(Debug, Args)]
pub(crate) struct InvertArgs {
    /// A MintPy `ifgramStack.h5`, or a folder / glob of unwrapped-phase
    /// GeoTIFFs named with `YYYYMMDD_YYYYMMDD` (or `-`).
    #[arg(long)]
    stack: String,
    /// Folder / glob of coherence GeoTIFFs matching the stack's pairs.
    #[arg(long)]
    coherence: Option<String>,
    /// Reference pixel `ROW,COL` (overrides the stack's REF_Y/REF_X).
    #[arg(long)]
    ref_yx: Option<String>,
    /// Inversion: minimum-norm L2, weighted L2, or L1 (IRLS).
    #[arg(long, value_enum, default_value = "l2")]
    method: Method,
    /// Weights for wls / l1: coh, fim, var, no.
    #[arg(long, default_value = "fim")]
    weight: String,
    /// Radar wavelength (m); required for GeoTIFF stacks without it.
    #[arg(long)]
    wavelength: Option<f64>,
    /// Disconnected networks: error (default), min-norm-velocity (MintPy),
    /// min-norm-phase, nsbas.
    #[arg(long, default_value = "error")]
    gap: String,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// Files matching a folder or a `*` glob, sorted.
pub(super) fn glob(spec: &str) -> Result<Vec<PathBuf>> {
    let p = Path::new(spec);
    let (dir, pattern) = if p.is_dir() {
        (p.to_path_buf(), "*.tif".to_string())
    } else {
        let dir = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        (
            dir,
            p.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let matches = |name: &str| {
        let mut rest = name;
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                let Some(r) = rest.strip_prefix(part) else {
                    return false;
                };
                rest = r;
            } else if i == parts.len() - 1 {
                return rest.ends_with(part);
            } else if let Some(k) = rest.find(part) {
                rest = &rest[k + part.len()..];
            } else {
                return false;
            }
        }
        rest.is_empty() || parts.len() > 1
    };
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|f| f.is_file() && f.file_name().is_some_and(|n| matches(&n.to_string_lossy())))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(Error::Invalid(format!("{spec}: no files match")));
    }
    Ok(out)
}

/// The `YYYYMMDD_YYYYMMDD` pair in a file name.
pub(super) fn pair_of(path: &Path) -> Option<(NaiveDate, NaiveDate)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let b = name.as_bytes();
    (0..b.len().saturating_sub(16)).find_map(|i| {
        let s = &name[i..i + 17];
        let (a, sep, c) = (&s[..8], s.as_bytes()[8], &s[9..]);
        if (sep == b'_' || sep == b'-') && a.bytes().chain(c.bytes()).all(|x| x.is_ascii_digit()) {
            Some((
                NaiveDate::parse_from_str(a, "%Y%m%d").ok()?,
                NaiveDate::parse_from_str(c, "%Y%m%d").ok()?,
            ))
        } else {
            None
        }
    })
}

fn read_geotiff_stack(args: &InvertArgs) -> Result<(IfgramStack, [f64; 6], String)> {
    let files = glob(&args.stack)?;
    let coh_files = match &args.coherence {
        Some(c) => glob(c)?,
        None => {
            return Err(Error::Invalid(
                "sbas invert: a GeoTIFF stack needs --coherence".into(),
            ))
        }
    };
    let mut pairs = Vec::new();
    let mut phase = Vec::new();
    let mut coh = Vec::new();
    let mut grid: Option<Raster> = None;
    for f in &files {
        let pair = pair_of(f)
            .ok_or_else(|| Error::format(f, "no YYYYMMDD_YYYYMMDD pair in the file name"))?;
        let c = coh_files
            .iter()
            .find(|c| pair_of(c) == Some(pair))
            .ok_or_else(|| Error::format(f, "no coherence file with the same date pair"))?;
        let r = geotiff::read_raster(f)?;
        let rc = geotiff::read_raster(c)?;
        if let Some(g) = &grid {
            if r.shape() != g.shape() || rc.shape() != g.shape() {
                return Err(Error::Shape {
                    context: format!("sbas invert: {} / {}", f.display(), c.display()),
                    expected: vec![g.shape().0, g.shape().1],
                    found: vec![r.shape().0, r.shape().1],
                });
            }
        }
        phase.push(r.band(0).mapv(|x| x as f32));
        coh.push(rc.band(0).mapv(|x| x as f32));
        pairs.push(pair);
        if grid.is_none() {
            grid = Some(r);
        }
    }
    let grid = grid.ok_or_else(|| Error::Invalid("sbas invert: empty stack".into()))?;
    let stack3 = |v: Vec<Array2<f32>>| -> Result<Array3<f32>> {
        let views: Vec<_> = v.iter().map(|a| a.view()).collect();
        ndarray::stack(Axis(0), &views).map_err(|e| Error::Invalid(format!("sbas invert: {e}")))
    };
    let n = pairs.len();
    let stack = IfgramStack {
        date_pairs: pairs,
        unwrap_phase: stack3(phase)?,
        coherence: stack3(coh)?,
        bperp: vec![0.0; n],
        keep: vec![true; n],
        attributes: BTreeMap::new(),
    };
    Ok((stack, grid.geotransform, grid.crs_wkt))
}

fn sbas_err(e: permafrost_insar::sbas::Error) -> Error {
    Error::Invalid(format!("sbas invert: {e}"))
}

pub(crate) fn run(cmd: &SbasCommand, global: Global) -> Result<()> {
    let args = match cmd {
        SbasCommand::Invert(args) => args,
        SbasCommand::Network(args) => return super::sbas_network::run(args, global),
    };
    let path = Path::new(&args.stack);
    let (stack, geo) = if path.is_file() && matches!(detect(path)?, Format::Hdf5) {
        (mintpy::read_ifgram_stack(path)?, None)
    } else {
        let (s, gt, wkt) = read_geotiff_stack(args)?;
        (s, Some((gt, wkt)))
    };
    // MintPy keeps interferograms flagged in dropIfgram out of the inversion.
    let keep: Vec<usize> = (0..stack.len()).filter(|&k| stack.keep[k]).collect();
    let pairs: Vec<(NaiveDate, NaiveDate)> = keep.iter().map(|&k| stack.date_pairs[k]).collect();
    let mut phase = stack.unwrap_phase.select(Axis(0), &keep);
    let coherence = stack.coherence.select(Axis(0), &keep);
    let attr_f64 = |k: &str| {
        stack
            .attributes
            .get(k)
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    let wavelength = args
        .wavelength
        .or_else(|| attr_f64("WAVELENGTH"))
        .ok_or_else(|| {
            Error::Invalid(format!(
                "{}: no WAVELENGTH attribute; give --wavelength",
                args.stack
            ))
        })?;
    let reference = match &args.ref_yx {
        Some(s) => {
            let (r, c) = s
                .split_once(',')
                .and_then(|(r, c)| {
                    Some((
                        r.trim().parse::<usize>().ok()?,
                        c.trim().parse::<usize>().ok()?,
                    ))
                })
                .ok_or_else(|| Error::Invalid(format!("--ref-yx `{s}`: expected ROW,COL")))?;
            Some((r, c))
        }
        None => match (attr_f64("REF_Y"), attr_f64("REF_X")) {
            (Some(r), Some(c)) => Some((r as usize, c as usize)),
            _ => None,
        },
    };
    if let Some((row, col)) = reference {
        subtract_reference(phase.view_mut(), ReferencePoint::Pixel { row, col })
            .map_err(sbas_err)?;
    }
    let network = Network::from_pairs(&pairs).map_err(sbas_err)?;
    let weighting: Weighting = match args.method {
        Method::L2 => Weighting::No,
        _ => args.weight.parse().map_err(sbas_err)?,
    };
    let norm = if matches!(args.method, Method::L1) {
        Norm::L1
    } else {
        Norm::L2
    };
    let gap: GapPolicy = args.gap.parse().map_err(sbas_err)?;
    let looks = match (attr_f64("ALOOKS"), attr_f64("RLOOKS")) {
        (Some(a), Some(r)) => mintpy_looks(a, r),
        _ => 1.0,
    };
    let inverter = InversionParams::new()
        .with_weighting(weighting)
        .with_norm(norm)
        .with_gap_policy(gap)
        .with_looks(looks)
        .build()
        .map_err(sbas_err)?;
    let ts = inverter
        .invert(&network, phase.view(), Some(coherence.view()))
        .map_err(sbas_err)?;
    let disp = ts.displacement(wavelength).mapv(f64::from);
    // Velocity: least-squares slope of displacement against time (m/yr).
    let t: Vec<f64> = ts
        .dates
        .iter()
        .map(|d| (*d - ts.dates[0]).num_days() as f64 / 365.25)
        .collect();
    let (_, rows, cols) = disp.dim();
    let velocity = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let pts: Vec<(f64, f64)> = t
            .iter()
            .zip(disp.slice(ndarray::s![.., r, c]))
            .filter(|(_, y)| y.is_finite())
            .map(|(x, y)| (*x, *y))
            .collect();
        if pts.len() < 2 {
            return f64::NAN;
        }
        let n = pts.len() as f64;
        let (mx, my) = (
            pts.iter().map(|p| p.0).sum::<f64>() / n,
            pts.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        sxy / sxx
    });
    ensure_dir(&args.out)?;
    let mut attrs = stack.attributes.clone();
    attrs.remove("FILE_TYPE");
    attrs.insert("WAVELENGTH".into(), format!("{wavelength}"));
    if let Some((r, c)) = reference {
        attrs.insert("REF_Y".into(), r.to_string());
        attrs.insert("REF_X".into(), c.to_string());
    }
    attrs.insert("REF_DATE".into(), ts.dates[0].format("%Y%m%d").to_string());
    let ts_path = args.out.join("timeseries.h5");
    mintpy::write_timeseries(&ts_path, &ts.dates, &disp.mapv(|x| x as f32), &attrs)?;
    let vel_path = args.out.join("velocity.h5");
    mintpy::write_single(
        &vel_path,
        "velocity",
        &velocity.mapv(|x| x as f32),
        "m/year",
        &attrs,
    )?;
    let tc_path = args.out.join("temporalCoherence.h5");
    let tcoh = ts.temporal_coherence.clone();
    mintpy::write_single(&tc_path, "temporalCoherence", &tcoh, "1", &attrs)?;
    let mut outputs = vec![
        ts_path.display().to_string(),
        vel_path.display().to_string(),
        tc_path.display().to_string(),
    ];
    let geo = geo.or_else(|| {
        let (x0, dx, y0, dy) = (
            attr_f64("X_FIRST")?,
            attr_f64("X_STEP")?,
            attr_f64("Y_FIRST")?,
            attr_f64("Y_STEP")?,
        );
        let epsg = attr_f64("EPSG").map_or(4326, |e| e as u32);
        Some((
            [x0, dx, 0.0, y0, 0.0, dy],
            geotiff::wkt_from_epsg(epsg).ok()?,
        ))
    });
    if let Some((gt, wkt)) = geo {
        for (name, values) in [
            ("velocity", velocity.clone()),
            ("temporal_coherence", ts.temporal_coherence.mapv(f64::from)),
        ] {
            let p = args.out.join(format!("{name}.tif"));
            geotiff::write_geotiff(
                &p,
                &Raster::single(values, gt, wkt.clone()),
                SampleType::Float32,
            )?;
            outputs.push(p.display().to_string());
        }
    }
    if global.json {
        print_json(&json!({
            "dates": ts.dates.iter().map(|d| d.format("%Y%m%d").to_string()).collect::<Vec<_>>(),
            "n_ifgs": pairs.len(),
            "n_pixels": rows * cols,
            "outputs": outputs,
        }))
    } else {
        println!(
            "inverted {} interferograms over {} dates; wrote {}",
            pairs.len(),
            ts.dates.len(),
            outputs.join(", ")
        );
        Ok(())
    }
}
