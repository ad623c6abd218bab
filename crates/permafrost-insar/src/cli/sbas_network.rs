//! `sbas network --dates SPEC [--bperp SPEC] [--max-temporal-baseline DAYS]
//! [--window MIN-MAX …] [--max-bperp M] --out DIR`: small-baseline network
//! selection.
//!
//! Dates come from a comma list, a text/CSV file (one date per line, an
//! optional second column with the perpendicular baseline), a MintPy
//! `ifgramStack.h5` (its dates; per-date B⊥ from the interferograms' `bperp`
//! by least squares) or a folder / glob of GeoTIFF interferograms named with
//! date pairs. Writes `pairs.csv`, the MintPy-style `ifgram_list.txt` and
//! `dates.csv` (B⊥, redundancy and component of every date).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use permafrost_insar::io::{detect, h5, write_atomically, Format};
use permafrost_insar::sbas::{GapPolicy, InversionParams, Network, NetworkParams};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::sbas::{glob, pair_of};
use super::{ensure_dir, print_json, Global};

/// Which pair lists to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// `pairs.csv` only.
    Csv,
    /// MintPy-style `ifgram_list.txt` only.
    Mintpy,
    /// Both.
    Both,
}

#[derive(Debug, Args)]
pub(crate) struct NetworkArgs {
    /// Acquisition dates: a comma list (`20170103,20170115,…`), a text/CSV
    /// file (one `YYYYMMDD` or `YYYY-MM-DD` date per line, optional second
    /// column B⊥ in metres, `#` comments, an optional header line), a MintPy
    /// `ifgramStack.h5`, or a folder / glob of GeoTIFF interferograms named
    /// with `YYYYMMDD_YYYYMMDD`.
    #[arg(long)]
    dates: String,
    /// Per-date perpendicular baselines (m), a comma list or a file with
    /// one number per line, in the order of the sorted dates; overrides
    /// baselines found with the dates.
    #[arg(long)]
    bperp: Option<String>,
    /// Largest temporal baseline of a short pair, days.
    #[arg(long, default_value_t = 40)]
    max_temporal_baseline: u32,
    /// Inter-annual window `MIN-MAX` days (inclusive), repeatable; default
    /// 350-380 and 725-735.
    #[arg(long = "window")]
    windows: Vec<String>,
    /// No inter-annual windows (short pairs only).
    #[arg(long, conflicts_with = "windows")]
    no_windows: bool,
    /// Largest |B⊥| of a pair, m (needs baselines).
    #[arg(long)]
    max_bperp: Option<f64>,
    /// Pair lists to write.
    #[arg(long, value_enum, default_value = "both")]
    format: ListFormat,
    /// Exit with an error naming the gap when the network is disconnected
    /// (default: report the components and succeed).
    #[arg(long)]
    require_connected: bool,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// Parses `YYYYMMDD` or `YYYY-MM-DD`.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y%m%d")
        .ok()
        .filter(|_| s.len() == 8)
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

fn tokens(line: &str) -> Vec<&str> {
    line.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Dates (and baselines when every line has one) from a text/CSV file.
fn dates_from_text(path: &Path) -> Result<(Vec<NaiveDate>, Option<Vec<f64>>)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut dates = Vec::new();
    let mut bperp = Vec::new();
    let mut first_content = true;
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        let t = tokens(line);
        if t.is_empty() {
            continue;
        }
        let Some(d) = parse_date(t[0]) else {
            if first_content {
                // A header line such as `date,bperp`.
                first_content = false;
                continue;
            }
            return Err(Error::format(
                path,
                format!(
                    "line {}: `{}` is not a date (YYYYMMDD or YYYY-MM-DD)",
                    i + 1,
                    t[0]
                ),
            ));
        };
        first_content = false;
        dates.push(d);
        if let Some(b) = t.get(1) {
            let v: f64 = b
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    Error::format(
                        path,
                        format!(
                            "line {}: perpendicular baseline `{b}` is not a number",
                            i + 1
                        ),
                    )
                })?;
            bperp.push(v);
        }
    }
    if dates.is_empty() {
        return Err(Error::format(path, "no dates"));
    }
    let bperp = match bperp.len() {
        0 => None,
        n if n == dates.len() => Some(bperp),
        n => {
            return Err(Error::format(
                path,
                format!(
                    "{n} of {} lines give a perpendicular baseline: give one on every line or none",
                    dates.len()
                ),
            ))
        }
    };
    Ok((dates, bperp))
}

/// Dates and per-date B⊥ of a MintPy `ifgramStack.h5`.
fn dates_from_stack(path: &Path) -> Result<(Vec<NaiveDate>, Option<Vec<f64>>)> {
    let raw = h5::read_strings(path, "date")?;
    if raw.is_empty() || raw.len() % 2 != 0 {
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
    let pairs = raw
        .chunks_exact(2)
        .map(|p| Ok((parse(&p[0])?, parse(&p[1])?)))
        .collect::<Result<Vec<_>>>()?;
    let network = Network::from_pairs(&pairs)
        .map_err(|e| Error::variable(path, "date", format!("bad date pairs: {e}")))?;
    let bperp = match h5::read_f64(path, "bperp") {
        Ok(b) => Some(b.iter().copied().collect::<Vec<f64>>()),
        Err(Error::MissingVariable { .. }) => None,
        Err(e) => return Err(e),
    };
    let per_date = match bperp {
        Some(b) if b.len() != pairs.len() => {
            return Err(Error::variable(
                path,
                "bperp",
                format!("{} values for {} interferograms", b.len(), pairs.len()),
            ))
        }
        // Per-date baselines relative to the first date: the minimum-norm
        // least-squares solution of B⊥(secondary) − B⊥(reference) = bperp,
        // ordered as the network's pairs.
        Some(b) => {
            let values: Vec<f64> = network
                .date_pairs()
                .iter()
                .map(|dp| {
                    pairs
                        .iter()
                        .zip(&b)
                        .find_map(|(p, &v)| {
                            if p == dp {
                                Some(v)
                            } else if (p.1, p.0) == *dp {
                                Some(-v)
                            } else {
                                None
                            }
                        })
                        .unwrap_or(f64::NAN)
                })
                .collect();
            let sol = InversionParams::new()
                .with_gap_policy(GapPolicy::MinNormPhase)
                .build()
                .and_then(|inv| inv.invert_pixel(&network, &values, None))
                .map_err(|e| Error::variable(path, "bperp", e))?;
            Some(sol.phase)
        }
        None => None,
    };
    Ok((network.dates().to_vec(), per_date))
}

/// Dates of the interferograms in a folder / glob of GeoTIFFs.
fn dates_from_geotiffs(spec: &str) -> Result<Vec<NaiveDate>> {
    let mut dates = Vec::new();
    for f in glob(spec)? {
        let (a, b) = pair_of(&f)
            .ok_or_else(|| Error::format(&f, "no YYYYMMDD_YYYYMMDD pair in the file name"))?;
        dates.push(a);
        dates.push(b);
    }
    dates.sort();
    dates.dedup();
    Ok(dates)
}

/// Dates, per-date B⊥ when known, and where they came from.
type DateSource = (Vec<NaiveDate>, Option<Vec<f64>>, &'static str);

fn read_dates(spec: &str) -> Result<DateSource> {
    let p = Path::new(spec);
    if p.is_file() {
        if matches!(detect(p), Ok(Format::Hdf5)) {
            let (d, b) = dates_from_stack(p)?;
            return Ok((d, b, "ifgramStack.h5"));
        }
        let (d, b) = dates_from_text(p)?;
        return Ok((d, b, "text"));
    }
    if p.is_dir() || spec.contains('*') {
        return Ok((dates_from_geotiffs(spec)?, None, "geotiff"));
    }
    let dates = tokens(spec)
        .iter()
        .map(|t| {
            parse_date(t).ok_or_else(|| {
                Error::Invalid(format!(
                    "--dates: `{t}` is neither a file nor a date (YYYYMMDD or YYYY-MM-DD)"
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((dates, None, "list"))
}

fn read_bperp(spec: &str) -> Result<Vec<f64>> {
    let p = Path::new(spec);
    let (text, origin) = if p.is_file() {
        (
            std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?,
            p.display().to_string(),
        )
    } else {
        (spec.to_string(), "--bperp".to_string())
    };
    let mut out = Vec::new();
    for line in text.lines() {
        for t in tokens(line.split('#').next().unwrap_or("")) {
            let v: f64 = t
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| {
                    Error::Invalid(format!(
                        "{origin}: value {} `{t}` is not a finite number",
                        out.len()
                    ))
                })?;
            out.push(v);
        }
    }
    Ok(out)
}

fn parse_window(s: &str) -> Result<(u32, u32)> {
    s.split_once(['-', ':', ','])
        .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
        .ok_or_else(|| Error::Invalid(format!("--window `{s}`: expected MIN-MAX days")))
}

fn sbas_err(e: permafrost_insar::sbas::Error) -> Error {
    Error::Invalid(format!("sbas network: {e}"))
}

fn write_text(path: &Path, text: &str) -> Result<()> {
    write_atomically(path, |tmp| {
        std::fs::write(tmp, text).map_err(|e| Error::io(tmp, e))
    })
}

pub(crate) fn run(args: &NetworkArgs, global: Global) -> Result<()> {
    let (dates, found_bperp, source) = read_dates(&args.dates)?;
    let bperp = match &args.bperp {
        Some(spec) => Some(read_bperp(spec)?),
        None => found_bperp,
    };
    if let Some(b) = &bperp {
        if b.len() != dates.len() {
            return Err(Error::Invalid(format!(
                "{}: {} perpendicular baselines for {} dates",
                args.bperp.as_deref().unwrap_or(&args.dates),
                b.len(),
                dates.len()
            )));
        }
    }
    // Sort by date (baselines travel along); duplicates are an error.
    let mut order: Vec<usize> = (0..dates.len()).collect();
    order.sort_by_key(|&i| dates[i]);
    if let Some(w) = order.windows(2).find(|w| dates[w[0]] == dates[w[1]]) {
        return Err(Error::Invalid(format!(
            "{}: date {} appears twice (entries {} and {})",
            args.dates,
            dates[w[0]].format("%Y%m%d"),
            w[0].min(w[1]),
            w[0].max(w[1])
        )));
    }
    let sorted: Vec<NaiveDate> = order.iter().map(|&i| dates[i]).collect();
    let bperp: Option<Vec<f64>> = bperp.map(|b| order.iter().map(|&i| b[i]).collect());
    if args.max_bperp.is_some() && bperp.is_none() {
        return Err(Error::Invalid(format!(
            "--max-bperp needs perpendicular baselines: {} has none; give --bperp",
            args.dates
        )));
    }
    let windows = if args.no_windows {
        Vec::new()
    } else if args.windows.is_empty() {
        NetworkParams::new().interannual_windows().to_vec()
    } else {
        args.windows
            .iter()
            .map(|w| parse_window(w))
            .collect::<Result<Vec<_>>>()?
    };
    let rule = NetworkParams::new()
        .with_max_temporal_baseline_days(args.max_temporal_baseline)
        .with_interannual_windows(windows.clone())
        .with_max_perp_baseline_m(args.max_bperp)
        .build()
        .map_err(sbas_err)?;
    let sel = rule.select(&sorted, bperp.as_deref()).map_err(sbas_err)?;
    let net = &sel.network;
    let gap = (!sel.components.is_connected()).then(|| {
        let pairs: Vec<(usize, usize)> = net
            .pairs()
            .iter()
            .map(|p| (p.reference, p.secondary))
            .collect();
        sel.components.describe(&sorted, &pairs)
    });
    if let Some(g) = &gap {
        if args.require_connected {
            return Err(Error::Invalid(format!(
                "sbas network: the selected network is disconnected ({g}); widen \
                 --max-temporal-baseline or the windows, or drop --require-connected"
            )));
        }
        eprintln!("warning: the selected network is disconnected: {g}");
    }
    let ymd = |d: NaiveDate| d.format("%Y%m%d").to_string();
    let b_of = |i: usize| bperp.as_ref().map_or(f64::NAN, |b| b[i]);
    let fmt_b = |v: f64| {
        if v.is_finite() {
            format!("{v}")
        } else {
            String::new()
        }
    };

    ensure_dir(&args.out)?;
    let mut outputs = Vec::new();
    if matches!(args.format, ListFormat::Csv | ListFormat::Both) {
        let mut csv =
            String::from("reference,secondary,temporal_baseline_days,perp_baseline_m,component\n");
        for p in net.pairs() {
            let _ = writeln!(
                csv,
                "{},{},{},{},{}",
                ymd(sorted[p.reference]),
                ymd(sorted[p.secondary]),
                (sorted[p.secondary] - sorted[p.reference]).num_days(),
                fmt_b(b_of(p.secondary) - b_of(p.reference)),
                sel.components.label(p.reference)
            );
        }
        let path = args.out.join("pairs.csv");
        write_text(&path, &csv)?;
        outputs.push(path.display().to_string());
    }
    if matches!(args.format, ListFormat::Mintpy | ListFormat::Both) {
        // As MintPy's select_network.py (`write_ifgram_list`), with 8-digit
        // dates joined by `_` as MintPy 1.6 names its date12.
        let mut txt = String::from(
            "#Interferograms configuration generated by permafrost-insar sbas network\n\
             #   Date12            Btemp(days)    Bperp(m)\n",
        );
        for p in net.pairs() {
            let bp = b_of(p.secondary) - b_of(p.reference);
            let _ = writeln!(
                txt,
                "{}_{}   {:6}         {:6.1}",
                ymd(sorted[p.reference]),
                ymd(sorted[p.secondary]),
                (sorted[p.secondary] - sorted[p.reference]).num_days(),
                if bp.is_finite() { bp } else { 0.0 }
            );
        }
        let path = args.out.join("ifgram_list.txt");
        write_text(&path, &txt)?;
        outputs.push(path.display().to_string());
    }
    let mut dcsv = String::from("date,perp_baseline_m,redundancy,component\n");
    for (i, d) in sorted.iter().enumerate() {
        let _ = writeln!(
            dcsv,
            "{},{},{},{}",
            ymd(*d),
            fmt_b(b_of(i)),
            sel.redundancy[i],
            sel.components.label(i)
        );
    }
    let dpath = args.out.join("dates.csv");
    write_text(&dpath, &dcsv)?;
    outputs.push(dpath.display().to_string());

    let min_red = sel.redundancy.iter().copied().min().unwrap_or(0);
    if global.json {
        print_json(&json!({
            "source": source,
            "n_dates": sorted.len(),
            "n_pairs": net.n_pairs(),
            "n_dropped": sel.dropped.len(),
            "max_temporal_baseline_days": args.max_temporal_baseline,
            "interannual_windows_days": windows.iter().map(|w| [w.0, w.1]).collect::<Vec<_>>(),
            "max_perp_baseline_m": args.max_bperp,
            "connected": gap.is_none(),
            "n_components": sel.components.len(),
            "components": sel.components.groups().iter().map(|g| json!({
                "first": ymd(sorted[g[0]]),
                "last": ymd(sorted[*g.last().unwrap_or(&g[0])]),
                "n_dates": g.len(),
            })).collect::<Vec<_>>(),
            "gap": gap,
            "redundancy": sel.redundancy,
            "min_redundancy": min_red,
            "dates": sorted.iter().map(|d| ymd(*d)).collect::<Vec<_>>(),
            "outputs": outputs,
        }))
    } else {
        println!(
            "{} pairs over {} dates ({} component{}, redundancy ≥ {}, {} dropped by |B⊥|); wrote {}",
            net.n_pairs(),
            sorted.len(),
            sel.components.len(),
            if sel.components.len() == 1 { "" } else { "s" },
            min_red,
            sel.dropped.len(),
            outputs.join(", ")
        );
        Ok(())
    }
}
