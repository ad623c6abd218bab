//! `stats ks A B` and `stats corr --input A --input B … [--fisher-average]`.

use clap::{Args, Subcommand, ValueEnum};
use ndarray::Array2;
use permafrost_insar::io::{read_array, VarSpec};
use permafrost_insar::stats::correlation::{correlation_matrix, fisher_z_average_matrices};
use permafrost_insar::stats::ks::{ks_2samp, KsMethod, KsParams};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Subcommand)]
pub(crate) enum StatsCommand {
    /// Two-sample Kolmogorov–Smirnov test (as scipy.stats.ks_2samp).
    Ks(KsArgs),
    /// Pearson correlation matrix with list-wise NaN removal.
    Corr(CorrArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Method {
    Auto,
    Exact,
    Asymp,
}

#[derive(Debug, Args)]
pub(crate) struct KsArgs {
    /// First sample: `FILE.nc:VAR`, a GeoTIFF (`FILE.tif[:band_N]`), or `FILE.csv:COLUMN`.
    a: String,
    /// Second sample.
    b: String,
    /// p-value method (scipy's `method`).
    #[arg(long, value_enum, default_value = "auto")]
    method: Method,
}

#[derive(Debug, Args)]
pub(crate) struct CorrArgs {
    /// `NAME=SPEC` or `SPEC` (a variable, raster or CSV column); with
    /// `--fisher-average`, `NAME=SPEC,SPEC,…` with one SPEC per year.
    #[arg(long = "input", required = true)]
    inputs: Vec<String>,
    /// Average the yearly correlations with Fisher-z weights max(n − 3, 1).
    #[arg(long)]
    fisher_average: bool,
}

/// The values of a sample spec, flattened, with NaN (fill values) dropped
/// when `drop_nan`.
fn sample(spec: &str, drop_nan: bool) -> Result<Vec<f64>> {
    let v = VarSpec::parse(spec);
    let a = read_array(&v.path, v.variable.as_deref())?;
    Ok(a.iter()
        .copied()
        .filter(|x| !drop_nan || x.is_finite())
        .collect())
}

fn stats_err(e: permafrost_insar::stats::GeoStatsError) -> Error {
    Error::Invalid(format!("stats: {e}"))
}

pub(crate) fn run(cmd: &StatsCommand, global: Global) -> Result<()> {
    match cmd {
        StatsCommand::Ks(args) => ks(args, global),
        StatsCommand::Corr(args) => corr(args, global),
    }
}

fn ks(args: &KsArgs, global: Global) -> Result<()> {
    let x = sample(&args.a, true)?;
    let y = sample(&args.b, true)?;
    for (spec, s) in [(&args.a, &x), (&args.b, &y)] {
        if s.is_empty() {
            return Err(Error::Invalid(format!("{spec}: no finite values")));
        }
    }
    let method = match args.method {
        Method::Auto => KsMethod::Auto,
        Method::Exact => KsMethod::Exact,
        Method::Asymp => KsMethod::Asymptotic,
    };
    let r = ks_2samp(&x, &y, &KsParams::new().with_method(method)).map_err(stats_err)?;
    if global.json {
        print_json(&json!({
            "statistic": r.statistic,
            "pvalue": r.p_value,
            "n1": x.len(),
            "n2": y.len(),
            "method": r.method.as_str(),
            "fell_back_to_asymp": r.fell_back,
        }))
    } else {
        println!(
            "D = {}, p = {} ({}; n1 = {}, n2 = {})",
            r.statistic,
            r.p_value,
            r.method.as_str(),
            x.len(),
            y.len()
        );
        Ok(())
    }
}

fn corr(args: &CorrArgs, global: Global) -> Result<()> {
    let mut names = Vec::new();
    let mut years: Vec<Vec<Vec<f64>>> = Vec::new(); // [year][variable][value]
    for (i, s) in args.inputs.iter().enumerate() {
        let (name, specs) = match s.split_once('=') {
            Some((n, rest)) if !n.contains('/') && !n.is_empty() => (n.to_string(), rest),
            _ => (format!("var{}", i + 1), s.as_str()),
        };
        let specs: Vec<&str> = if args.fisher_average {
            specs.split(',').collect()
        } else {
            vec![specs]
        };
        if years.is_empty() {
            years = vec![Vec::new(); specs.len()];
        } else if specs.len() != years.len() {
            return Err(Error::Invalid(format!(
                "--input {name}: {} years, the first input has {}",
                specs.len(),
                years.len()
            )));
        }
        for (k, spec) in specs.iter().enumerate() {
            years[k].push(sample(spec, false)?);
        }
        names.push(name);
    }
    if names.len() < 2 {
        return Err(Error::Invalid(
            "stats corr: give at least two --input".into(),
        ));
    }
    let mut matrices = Vec::new();
    for (k, vars) in years.iter().enumerate() {
        let n = vars[0].len();
        if let Some((j, v)) = vars.iter().enumerate().find(|(_, v)| v.len() != n) {
            return Err(Error::Shape {
                context: format!(
                    "stats corr: `{}` (year {}) against `{}`",
                    names[j],
                    k + 1,
                    names[0]
                ),
                expected: vec![n],
                found: vec![v.len()],
            });
        }
        let data = Array2::from_shape_fn((n, vars.len()), |(r, c)| vars[c][r]);
        matrices.push(correlation_matrix(data.view()).map_err(stats_err)?);
    }
    let rows = |a: &Array2<f64>| -> Vec<Vec<f64>> { a.outer_iter().map(|r| r.to_vec()).collect() };
    let value = if args.fisher_average {
        let avg = fisher_z_average_matrices(&matrices).map_err(stats_err)?;
        json!({
            "variables": names,
            "matrix": rows(&avg),
            "n": matrices.iter().map(|m| m.n).collect::<Vec<_>>(),
            "pvalues": matrices.iter().map(|m| rows(&m.p_values)).collect::<Vec<_>>(),
            "yearly": matrices.iter().map(|m| rows(&m.r)).collect::<Vec<_>>(),
        })
    } else {
        json!({
            "variables": names,
            "matrix": rows(&matrices[0].r),
            "n": matrices[0].n,
            "pvalues": rows(&matrices[0].p_values),
        })
    };
    if global.json {
        print_json(&value)
    } else {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        Ok(())
    }
}
