//! `forcing era5 --input F… [--variable V,…] [--period START..END] --out F.nc`:
//! daily means and degree days from ERA5 / ERA5-Land files of either layout.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use ndarray::{Array1, Array2, Array3, Axis};
use permafrost_insar::forcing::daily::DailyParams;
use permafrost_insar::forcing::field::Grid;
use permafrost_insar::forcing::reader::{list_variables, read_fields, ReadOptions};
use permafrost_insar::forcing::{
    period_product, Accumulation, Era5Field, Period, PeriodParams, ProductKind, TimeResolution,
    VariableKind,
};
use permafrost_insar::io::nc::{quiet_hdf5, NcData, NcWriter};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Subcommand)]
pub(crate) enum ForcingCommand {
    /// Daily means, thawing / freezing degree days and period totals from ERA5(-Land).
    ///
    /// Each variable is held in memory whole, 8 bytes per time step and cell
    /// (a year of hourly data on 500 × 500 cells is 17.5 GB): split a
    /// continental region into tiles.
    Era5(Era5Args),
    /// Thaw/freeze onsets, permafrost years, ADDT/ADDF on SAR dates and max
    /// DDT/DDF from MODIS LST files or a daily temperature NetCDF.
    Lst(lst::LstArgs),
}

#[path = "forcing_lst.rs"]
mod lst;

#[derive(Debug, Args)]
pub(crate) struct Era5Args {
    /// ERA5 / ERA5-Land NetCDF files (either layout), merged along time.
    #[arg(long = "input", required = true, num_args = 1..)]
    inputs: Vec<PathBuf>,
    /// Variables to process (default: every data variable of the first file).
    #[arg(long, value_delimiter = ',')]
    variable: Vec<String>,
    /// Days to keep, `YYYY-MM-DD..YYYY-MM-DD` (both included).
    #[arg(long)]
    period: Option<String>,
    /// Accumulated variables hold per-step values (ERA5 single levels), not
    /// totals since 00 UTC (ERA5-Land).
    #[arg(long)]
    per_step: bool,
    /// Output CF-NetCDF.
    #[arg(long)]
    out: PathBuf,
}

fn f_err(e: permafrost_insar::forcing::Error) -> Error {
    Error::Invalid(format!("forcing era5: {e}"))
}

fn month_end(m0: NaiveDate) -> NaiveDate {
    let next = m0.checked_add_months(chrono::Months::new(1)).unwrap_or(m0);
    next.pred_opt().unwrap_or(m0)
}

fn lat_lon(grid: &Grid, rows: usize, cols: usize) -> Result<(Array2<f64>, Array2<f64>)> {
    Ok(match grid {
        Grid::Regular { lat, lon } => (
            Array2::from_shape_fn((rows, cols), |(r, _)| lat[r]),
            Array2::from_shape_fn((rows, cols), |(_, c)| lon[c]),
        ),
        Grid::Curvilinear { lat, lon } => (lat.clone(), lon.clone()),
        Grid::Points { lat, lon } => (
            Array2::from_shape_fn((rows, cols), |(_, c)| lat[c]),
            Array2::from_shape_fn((rows, cols), |(_, c)| lon[c]),
        ),
        _ => return Err(Error::Invalid("forcing era5: unsupported grid".into())),
    })
}

fn parse_period(s: &str) -> Result<(NaiveDate, NaiveDate)> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| Error::Invalid(format!("--period `{s}`: expected START..END")))?;
    let d = |x: &str| {
        NaiveDate::parse_from_str(x.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Invalid(format!("--period `{s}`: `{x}` is not YYYY-MM-DD")))
    };
    let (a, b) = (d(a)?, d(b)?);
    if b < a {
        return Err(Error::Invalid(format!(
            "--period `{s}`: the end is before the start"
        )));
    }
    Ok((a, b))
}

pub(crate) fn run(cmd: &ForcingCommand, global: Global) -> Result<()> {
    let args = match cmd {
        ForcingCommand::Era5(args) => args,
        ForcingCommand::Lst(args) => return lst::run(args, global),
    };
    quiet_hdf5();
    let variables: Vec<String> = if args.variable.is_empty() {
        list_variables(&args.inputs[0])
            .map_err(f_err)?
            .into_iter()
            .map(|v| v.name)
            .collect()
    } else {
        args.variable.clone()
    };
    if variables.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: no data variables with a time axis",
            args.inputs[0].display()
        )));
    }
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let params = DailyParams::new().with_accumulation(if args.per_step {
        Accumulation::PerStep
    } else {
        Accumulation::SinceMidnight
    });
    let mut w = NcWriter::new();
    let mut days: Option<Vec<NaiveDate>> = None;
    let mut months: Option<Vec<NaiveDate>> = None;
    let mut written = Vec::new();
    let mut grid_done = false;
    let mut fields: Vec<Era5Field> = Vec::with_capacity(variables.len());
    // The span of complete days every variable covers: the default period of
    // the period products.
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    for var in &variables {
        let field = read_fields(&args.inputs, var, &ReadOptions::new()).map_err(f_err)?;
        let (_, rows, cols) = field.data.dim();
        if !grid_done {
            w.dimension("y", rows).dimension("x", cols);
            let (lat, lon) = lat_lon(&field.grid, rows, cols)?;
            w.variable("lat", &["y", "x"], NcData::F64(lat.into_dyn()))
                .attr("lat", "units", "degrees_north")
                .attr("lat", "standard_name", "latitude")
                .variable("lon", &["y", "x"], NcData::F64(lon.into_dyn()))
                .attr("lon", "units", "degrees_east")
                .attr("lon", "standard_name", "longitude");
            grid_done = true;
        }
        if field.resolution().map_err(f_err)? == TimeResolution::Monthly {
            // Monthly input: no daily values exist; the monthly means pass
            // through, and only the period products that accept monthly
            // input (time means) can use it.
            let mm = field.monthly_mean(&params).map_err(f_err)?;
            let keep: Vec<usize> = (0..mm.months.len())
                .filter(|&i| {
                    let m0 = mm.months[i];
                    let m1 = month_end(m0);
                    period.is_none_or(|(a, b)| m1 >= a && m0 <= b)
                })
                .collect();
            if keep.is_empty() {
                return Err(Error::Invalid(format!(
                    "forcing era5: `{var}`: the period {} has no month in the data ({} to {})",
                    args.period.as_deref().unwrap_or(""),
                    mm.months.first().map_or(String::new(), ToString::to_string),
                    mm.months
                        .last()
                        .map(|m| month_end(*m))
                        .map_or(String::new(), |d| d.to_string())
                )));
            }
            let sel: Vec<NaiveDate> = keep.iter().map(|&i| mm.months[i]).collect();
            let (dim, new_dim) = match &months {
                None => {
                    months = Some(sel.clone());
                    ("month".to_string(), true)
                }
                Some(m) if *m == sel => ("month".to_string(), false),
                Some(_) => (format!("month_{var}"), true),
            };
            if new_dim {
                w.dimension(&dim, sel.len());
                w.variable(
                    &dim,
                    &[&dim],
                    NcData::F64(
                        Array1::from_iter(sel.iter().map(|d| (*d - epoch).num_days() as f64))
                            .into_dyn(),
                    ),
                )
                .attr(&dim, "units", "days since 1970-01-01")
                .attr(&dim, "calendar", "standard")
                .attr(&dim, "long_name", "first day of the month");
            }
            let name = format!("{var}_monthly_mean");
            w.variable(
                &name,
                &[&dim, "y", "x"],
                NcData::F64(mm.values.select(Axis(0), &keep).into_dyn()),
            )
            .attr(&name, "units", field.units.as_str())
            .attr(
                &name,
                "long_name",
                format!("monthly mean of {}", field.long_name),
            )
            .attr(&name, "_FillValue", f64::NAN);
            written.push(name);
            let (a, b) = (mm.months[0], month_end(mm.months[mm.months.len() - 1]));
            span = Some(span.map_or((a, b), |(x, y)| (x.max(a), y.min(b))));
            fields.push(field);
            continue;
        }
        // Accumulated variables (precipitation, radiation, …) get daily
        // totals; everything else daily means.
        let accumulated = matches!(field.kind, VariableKind::Accumulated);
        let daily = if accumulated {
            field.daily_total(&params)
        } else {
            field.daily_mean(&params)
        }
        .map_err(f_err)?;
        if let (Some(a), Some(b)) = (
            daily.complete.iter().position(|&c| c),
            daily.complete.iter().rposition(|&c| c),
        ) {
            let (a, b) = (daily.dates[a], daily.dates[b]);
            span = Some(span.map_or((a, b), |(x, y)| (x.max(a), y.min(b))));
        }
        let keep: Vec<usize> = (0..daily.dates.len())
            .filter(|&i| period.is_none_or(|(a, b)| daily.dates[i] >= a && daily.dates[i] <= b))
            .collect();
        if keep.is_empty() {
            return Err(Error::Invalid(format!(
                "forcing era5: `{var}`: the period {} has no day in the data ({} to {})",
                args.period.as_deref().unwrap_or(""),
                daily
                    .dates
                    .first()
                    .map_or(String::new(), ToString::to_string),
                daily
                    .dates
                    .last()
                    .map_or(String::new(), ToString::to_string)
            )));
        }
        let dates: Vec<NaiveDate> = keep.iter().map(|&i| daily.dates[i]).collect();
        // Daily totals of accumulated variables can cover other days than
        // daily means (the 00 UTC value closes the previous day): such a
        // variable gets its own time axis `time_<var>`.
        let (time_dim, new_dim) = match &days {
            None => {
                days = Some(dates.clone());
                ("time".to_string(), true)
            }
            Some(d) if *d == dates => ("time".to_string(), false),
            Some(_) => (format!("time_{var}"), true),
        };
        if new_dim {
            w.dimension(&time_dim, dates.len());
            w.variable(
                &time_dim,
                &[&time_dim],
                NcData::F64(
                    Array1::from_iter(dates.iter().map(|d| (*d - epoch).num_days() as f64))
                        .into_dyn(),
                ),
            )
            .attr(&time_dim, "units", "days since 1970-01-01")
            .attr(&time_dim, "calendar", "standard");
        }
        let pick = |a: &Array3<f64>| a.select(Axis(0), &keep);
        let (suffix, what) = if accumulated {
            ("daily_total", "daily total")
        } else {
            ("daily_mean", "daily mean")
        };
        let name = format!("{var}_{suffix}");
        w.variable(
            &name,
            &[&time_dim, "y", "x"],
            NcData::F64(pick(&daily.values).into_dyn()),
        )
        .attr(&name, "units", daily.units.as_str())
        .attr(&name, "long_name", format!("{what} of {}", field.long_name))
        .attr(&name, "_FillValue", f64::NAN);
        written.push(name);
        if field.units == "degC" {
            let dd = field.daily_degree_days(&params).map_err(f_err)?;
            let tdd = pick(&dd.thawing);
            let fdd = pick(&dd.freezing);
            let total = tdd.sum_axis(Axis(0));
            for (suffix, values, long) in [
                ("tdd", tdd, "thawing degree days Σmax(T,0)/24"),
                ("fdd", fdd, "freezing degree days Σmax(−T,0)/24"),
            ] {
                let n = format!("{var}_{suffix}");
                w.variable(&n, &[&time_dim, "y", "x"], NcData::F64(values.into_dyn()))
                    .attr(&n, "units", "degC day")
                    .attr(&n, "long_name", format!("daily {long}"))
                    .attr(&n, "_FillValue", f64::NAN);
                written.push(n);
            }
            let n = format!("{var}_tdd_period");
            w.variable(&n, &["y", "x"], NcData::F64(total.into_dyn()))
                .attr(&n, "units", "degC day")
                .attr(
                    &n,
                    "long_name",
                    "cumulative thawing degree days at the end of the period",
                )
                .attr(&n, "_FillValue", f64::NAN);
            written.push(n);
        }
        fields.push(field);
    }
    // Period products (SCIENCE.md §2) of every kind whose inputs are here,
    // over --period or else the complete days all variables cover.
    let computable = ProductKind::ALL
        .iter()
        .any(|k| k.inputs().iter().all(|n| variables.iter().any(|v| v == n)));
    let mut products = Vec::new();
    let product_period = match (period, span) {
        (Some((a, b)), _) => Some((a, b)),
        (None, Some((a, b))) if a <= b => Some((a, b)),
        _ => None,
    };
    if computable {
        let Some((a, b)) = product_period else {
            return Err(Error::Invalid(format!(
                "forcing era5: the variables ({}) have no complete day in common for the period products; give --period",
                variables.join(", ")
            )));
        };
        let p = Period::new(a, b).map_err(f_err)?;
        let pp = PeriodParams::new().with_daily(params);
        // Every product whose inputs are all here (as `period_products`),
        // one at a time so that an error names its product.
        let kinds = ProductKind::ALL.into_iter().filter(|k| {
            k.inputs()
                .iter()
                .all(|n| fields.iter().any(|f| f.name == *n))
        });
        for kind in kinds {
            let prod = period_product(kind, &fields, &p, &pp).map_err(|e| {
                Error::Invalid(format!(
                    "forcing era5: period product `{}` ({}): {e}",
                    kind.name(),
                    kind.long_name()
                ))
            })?;
            w.variable(&prod.name, &["y", "x"], NcData::F64(prod.values.into_dyn()));
            for (k, v) in &prod.attributes {
                w.attr(&prod.name, k, v.as_str());
            }
            w.attr(&prod.name, "_FillValue", f64::NAN);
            written.push(prod.name.clone());
            products.push(prod.name);
        }
        w.global("period_start", a.to_string())
            .global("period_end", b.to_string());
    }
    w.global("Conventions", "CF-1.8")
        .global("source", "permafrost-insar forcing era5");
    w.write(&args.out)?;
    let n_days = days.as_ref().map_or(0, Vec::len);
    if global.json {
        print_json(&json!({
            "variables": variables,
            "written": written,
            "days": n_days,
            "first_day": days.as_ref().and_then(|d| d.first()).map(ToString::to_string),
            "last_day": days.as_ref().and_then(|d| d.last()).map(ToString::to_string),
            "outputs": [args.out.display().to_string()],
            "months": months.as_ref().map_or(0, Vec::len),
            "period_products": products,
            "period": product_period.filter(|_| computable).map(|(a, b)| [a.to_string(), b.to_string()]),
        }))
    } else {
        println!(
            "{n_days} days of {}; wrote {}",
            variables.join(", "),
            args.out.display()
        );
        Ok(())
    }
}
