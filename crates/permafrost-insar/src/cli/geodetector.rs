//! `geodetector --table F.csv --y COL --x C1,C2,… [--discretize METHOD:K|optimal]`
//! or `geodetector --raster Y.tif --stack FACTORS.tif`: factor, interaction,
//! risk and ecological detectors.

use std::path::PathBuf;

use clap::Args;
use permafrost_insar::io::geotiff;
use permafrost_insar::io::table::{parse_cell, Table};
use permafrost_insar::io::warp::{self, Resampling, TargetGrid};
use permafrost_insar::stats::discretize::{
    discretize, optimal_discretization, DiscretizationMethod, OptimalDiscretizationParams,
};
use permafrost_insar::stats::geodetector::{GeodetectorParams, Strata};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct GeodetectorArgs {
    /// A CSV table with the response and the factors as columns.
    #[arg(long, conflicts_with_all = ["raster", "stack"])]
    table: Option<PathBuf>,
    /// Response column (with --table).
    #[arg(long)]
    y: Option<String>,
    /// Factor columns (with --table), comma separated.
    #[arg(long, value_delimiter = ',')]
    x: Vec<String>,
    /// The response raster (band 1), e.g. a deformation map.
    #[arg(long, requires = "stack")]
    raster: Option<PathBuf>,
    /// A factor stack (one band per factor, named by its description), as
    /// written by `factors`; aligned onto the response's grid (nearest) when
    /// the grids differ.
    #[arg(long, requires = "raster")]
    stack: Option<PathBuf>,
    /// Discretisation of continuous factors: `METHOD:K` (equal, quantile,
    /// natural, geometric, sd) or `optimal` (best q over methods × 3–15 classes).
    #[arg(long, default_value = "optimal")]
    discretize: String,
    /// Factors to use as categories as they are (never discretised).
    #[arg(long, value_delimiter = ',')]
    categorical: Vec<String>,
}

/// A factor column: text categories or numbers.
enum Column {
    Text(Vec<String>),
    Numbers(Vec<f64>),
}

fn geo(e: permafrost_insar::stats::GeoStatsError) -> Error {
    Error::Invalid(format!("geodetector: {e}"))
}

/// The response and the named factor columns, row-aligned.
type Loaded = (Vec<f64>, Vec<(String, Column)>);

/// Reads the response and factors, list-wise dropping rows with a missing value.
fn load(args: &GeodetectorArgs) -> Result<Loaded> {
    let (y, factors): (Vec<f64>, Vec<(String, Column)>) = if let Some(path) = &args.table {
        let t = Table::read(path)?;
        let ycol = args
            .y
            .as_deref()
            .ok_or_else(|| Error::Invalid("geodetector: --table needs --y".into()))?;
        if args.x.is_empty() {
            return Err(Error::Invalid("geodetector: --table needs --x".into()));
        }
        let y = t.numeric_column(path, ycol)?;
        let mut factors = Vec::new();
        for name in &args.x {
            let j = t.column_index(path, name)?;
            let col = if t.is_numeric(j) {
                Column::Numbers(t.numeric_column(path, name)?)
            } else {
                Column::Text(t.rows.iter().map(|r| r[j].clone()).collect())
            };
            factors.push((name.clone(), col));
        }
        (y, factors)
    } else if let (Some(raster), Some(stack)) = (&args.raster, &args.stack) {
        let y = geotiff::read_raster(raster)?;
        let mut s = geotiff::read_raster(stack)?;
        let target = TargetGrid::of(&y);
        if TargetGrid::of(&s) != target {
            // Align the factors onto the response's grid (nearest keeps
            // categorical factors intact; run `factors` first for other choices).
            log::info!(
                "aligning {} onto the grid of {} (nearest)",
                stack.display(),
                raster.display()
            );
            let names = s.band_names.clone();
            s = warp::warp_to(stack, &target, Resampling::Nearest)?;
            s.band_names = names;
        }
        let factors = (0..s.data.shape()[0])
            .map(|b| {
                let name = if s.band_names[b].is_empty() {
                    format!("band_{}", b + 1)
                } else {
                    s.band_names[b].clone()
                };
                (name, Column::Numbers(s.band(b).iter().copied().collect()))
            })
            .collect();
        (y.band(0).iter().copied().collect(), factors)
    } else {
        return Err(Error::Invalid(
            "geodetector: give --table with --y/--x, or --raster with --stack".into(),
        ));
    };
    let keep: Vec<bool> = (0..y.len())
        .map(|i| {
            y[i].is_finite()
                && factors.iter().all(|(_, c)| match c {
                    Column::Numbers(v) => v[i].is_finite(),
                    Column::Text(v) => {
                        !v[i].trim().is_empty() && parse_cell(&v[i]).is_none_or(|x| !x.is_nan())
                    }
                })
        })
        .collect();
    let pick = |v: &[f64]| {
        v.iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| *x)
            .collect::<Vec<_>>()
    };
    let y2 = pick(&y);
    if y2.is_empty() {
        return Err(Error::Invalid(
            "geodetector: no row has a response and every factor".into(),
        ));
    }
    let factors = factors
        .into_iter()
        .map(|(n, c)| {
            let c = match c {
                Column::Numbers(v) => Column::Numbers(pick(&v)),
                Column::Text(v) => Column::Text(
                    v.into_iter()
                        .zip(&keep)
                        .filter(|(_, k)| **k)
                        .map(|(x, _)| x)
                        .collect(),
                ),
            };
            (n, c)
        })
        .collect();
    Ok((y2, factors))
}

pub(crate) fn run(args: &GeodetectorArgs, global: Global) -> Result<()> {
    let (y, factors) = load(args)?;
    let gd = GeodetectorParams::new().build().map_err(geo)?;
    let mut strata = Vec::new();
    let mut discretization = Vec::new();
    for (name, col) in &factors {
        let s = match col {
            Column::Text(v) => Strata::from_labels(v).map_err(geo)?,
            Column::Numbers(v) if args.categorical.contains(name) => {
                let labels: Vec<String> = v.iter().map(|x| format!("{x}")).collect();
                Strata::from_labels(&labels).map_err(geo)?
            }
            Column::Numbers(v) => {
                let (classes, method, k) = if args.discretize == "optimal" {
                    let o = optimal_discretization(&y, v, &OptimalDiscretizationParams::new())
                        .map_err(geo)?;
                    (o.classes, o.breaks.method, o.breaks.n_classes())
                } else {
                    let (m, k) = args
                        .discretize
                        .split_once(':')
                        .and_then(|(m, k)| {
                            Some((DiscretizationMethod::parse(m)?, k.parse::<usize>().ok()?))
                        })
                        .ok_or_else(|| {
                            Error::Invalid(format!(
                                "--discretize `{}`: expected METHOD:K or optimal",
                                args.discretize
                            ))
                        })?;
                    let d = discretize(v, m, k).map_err(geo)?;
                    let n = d.breaks.n_classes();
                    (d.classes, m, n)
                };
                let s = Strata::from_codes(&classes).map_err(geo)?;
                let q = gd.factor(&y, &s).map_err(geo)?.q;
                discretization
                    .push(json!({"name": name, "method": method.as_str(), "classes": k, "q": q}));
                s
            }
        };
        strata.push((name.clone(), s));
    }
    let mut factor = Vec::new();
    let mut risk = Vec::new();
    for (name, s) in &strata {
        let f = gd
            .factor(&y, s)
            .map_err(|e| Error::Invalid(format!("geodetector: factor `{name}`: {e}")))?;
        factor.push(json!({"name": name, "q": f.q, "pvalue": f.p_value, "f_statistic": f.f_statistic, "n": f.n, "strata": f.n_strata}));
        let r = gd
            .risk(&y, s)
            .map_err(|e| Error::Invalid(format!("geodetector: risk `{name}`: {e}")))?;
        let pairs: Vec<_> = r
            .pairs
            .iter()
            .map(|p| json!({"a": s.labels()[p.a], "b": s.labels()[p.b], "t": p.t_statistic, "df": p.df, "pvalue": p.p_value}))
            .collect();
        risk.push(json!({"name": name, "pairs": pairs}));
    }
    let mut interaction = Vec::new();
    let mut ecological = Vec::new();
    for i in 0..strata.len() {
        for j in i + 1..strata.len() {
            let (a, sa) = &strata[i];
            let (b, sb) = &strata[j];
            let it = gd.interaction(&y, sa, sb).map_err(geo)?;
            interaction.push(json!({"a": a, "b": b, "q": it.q12, "kind": it.kind.as_str()}));
            let e = gd.ecological(&y, sa, sb).map_err(geo)?;
            ecological
                .push(json!({"a": a, "b": b, "f_statistic": e.f_statistic, "pvalue": e.p_value}));
        }
    }
    let value = json!({
        "n": y.len(),
        "factor": factor,
        "interaction": interaction,
        "discretization": discretization,
        "risk": risk,
        "ecological": ecological,
    });
    if global.json {
        print_json(&value)
    } else {
        for f in value["factor"].as_array().into_iter().flatten() {
            println!(
                "{:<20} q = {:.6}  p = {:.3e}",
                f["name"].as_str().unwrap_or(""),
                f["q"].as_f64().unwrap_or(f64::NAN),
                f["pvalue"].as_f64().unwrap_or(f64::NAN)
            );
        }
        Ok(())
    }
}
