//! `forcing era5 --input F… [--variable V,…] [--period START..END] --out F.nc`:
//! daily means and degree days from ERA5 / ERA5-Land files of either layout.

use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use ndarray::{Array1, Array2, Array3, ArrayD, Axis, IxDyn, Slice};
use permafrost_insar::forcing::daily::DailyParams;
use permafrost_insar::forcing::field::Grid;
use permafrost_insar::forcing::reader::{list_variables, read_fields, read_grid, ReadOptions};
use permafrost_insar::forcing::{
    period_product, Accumulation, Era5Field, Period, PeriodParams, ProductKind, TimeResolution,
    VariableKind,
};
use permafrost_insar::io::attr::AttrValue;
use permafrost_insar::io::nc::{quiet_hdf5, NcData, NcWriter};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Subcommand)]
pub(crate) enum ForcingCommand {
    /// Daily means, thawing / freezing degree days and period totals from ERA5(-Land).
    ///
    /// The inputs are read in blocks of `--block-rows` grid rows, so memory
    /// holds one block of hourly values per variable plus the daily outputs.
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
    /// Grid rows read per block (memory: 8 bytes × time steps × columns ×
    /// this, per variable).
    #[arg(long, default_value_t = 32)]
    block_rows: usize,
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

/// One output variable, filled block by block along `y`.
struct Output {
    name: String,
    dims: Vec<String>,
    attrs: Vec<(String, AttrValue)>,
    data: ArrayD<f64>,
}

/// The outputs in the order they were first written.
#[derive(Default)]
struct Outputs(Vec<Output>);

impl Outputs {
    /// Puts `block` (rows `rows` of the `y` dimension) into output `name`,
    /// creating it with `dims`, `attrs` and `total_rows` rows on first use.
    fn put(
        &mut self,
        name: &str,
        dims: &[&str],
        attrs: Vec<(&str, AttrValue)>,
        block: ArrayD<f64>,
        rows: &Range<usize>,
        total_rows: usize,
    ) -> Result<()> {
        let y = dims
            .iter()
            .position(|d| *d == "y")
            .ok_or_else(|| Error::Invalid(format!("forcing era5: `{name}` has no y dimension")))?;
        let i = match self.0.iter().position(|o| o.name == name) {
            Some(i) => i,
            None => {
                let mut shape = block.shape().to_vec();
                shape[y] = total_rows;
                self.0.push(Output {
                    name: name.to_string(),
                    dims: dims.iter().map(|d| d.to_string()).collect(),
                    attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                    data: ArrayD::from_elem(IxDyn(&shape), f64::NAN),
                });
                self.0.len() - 1
            }
        };
        let out = &mut self.0[i].data;
        let mut target = out.slice_axis_mut(Axis(y), Slice::from(rows.clone()));
        if target.shape() != block.shape() {
            return Err(Error::Shape {
                context: format!("forcing era5: block of `{name}`"),
                expected: target.shape().to_vec(),
                found: block.shape().to_vec(),
            });
        }
        target.assign(&block);
        Ok(())
    }

    fn names(&self) -> Vec<String> {
        self.0.iter().map(|o| o.name.clone()).collect()
    }
}

/// A time axis of the output: its dimension name, whether this variable
/// created it, and its days (first days of months for monthly data).
fn time_axis(
    axes: &mut Vec<(String, Vec<NaiveDate>)>,
    base: &str,
    var: &str,
    dates: &[NaiveDate],
) -> (String, bool) {
    if let Some((name, _)) = axes.iter().find(|(_, d)| d == dates) {
        return (name.clone(), false);
    }
    let name = if axes.iter().any(|(n, _)| n == base) {
        format!("{base}_{var}")
    } else {
        base.to_string()
    };
    axes.push((name.clone(), dates.to_vec()));
    (name, true)
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
    if args.block_rows == 0 {
        return Err(Error::Invalid("--block-rows must be at least 1".into()));
    }
    let period = args.period.as_deref().map(parse_period).transpose()?;
    let params = DailyParams::new().with_accumulation(if args.per_step {
        Accumulation::PerStep
    } else {
        Accumulation::SinceMidnight
    });
    // The grid from the coordinates; the values are read in blocks of rows.
    let grid = read_grid(&args.inputs[0], &variables[0]).map_err(f_err)?;
    let (rows, cols) = grid.shape();
    let mut w = NcWriter::new();
    w.dimension("y", rows).dimension("x", cols);
    let (lat, lon) = lat_lon(&grid, rows, cols)?;
    w.variable("lat", &["y", "x"], NcData::F64(lat.into_dyn()))
        .attr("lat", "units", "degrees_north")
        .attr("lat", "standard_name", "latitude")
        .variable("lon", &["y", "x"], NcData::F64(lon.into_dyn()))
        .attr("lon", "units", "degrees_east")
        .attr("lon", "standard_name", "longitude");
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut outputs = Outputs::default();
    // Daily ("time") and monthly ("month") axes, in order of creation.
    let mut day_axes: Vec<(String, Vec<NaiveDate>)> = Vec::new();
    let mut month_axes: Vec<(String, Vec<NaiveDate>)> = Vec::new();
    // The span of complete days every variable covers: the default period of
    // the period products (set by the first block; time is the same in all).
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    let computable = ProductKind::ALL
        .iter()
        .any(|k| k.inputs().iter().all(|n| variables.iter().any(|v| v == n)));
    let mut product_period: Option<(NaiveDate, NaiveDate)> = None;
    let mut products = Vec::new();
    for r0 in (0..rows).step_by(args.block_rows) {
        let block = r0..(r0 + args.block_rows).min(rows);
        let first = r0 == 0;
        let options = ReadOptions::new().with_rows(block.clone());
        let mut fields: Vec<Era5Field> = Vec::with_capacity(variables.len());
        for var in &variables {
            let field = read_fields(&args.inputs, var, &options).map_err(f_err)?;
            if field.grid.shape().1 != cols {
                return Err(Error::Invalid(format!(
                    "forcing era5: `{var}` has {} columns, `{}` {cols}",
                    field.grid.shape().1,
                    variables[0]
                )));
            }
            if field.resolution().map_err(f_err)? == TimeResolution::Monthly {
                // Monthly input: no daily values exist; the monthly means
                // pass through, and only the period products that accept
                // monthly input (time means) can use it.
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
                let (dim, new_dim) = time_axis(&mut month_axes, "month", var, &sel);
                if new_dim {
                    if !first {
                        return Err(Error::Invalid(format!(
                            "forcing era5: `{var}`: rows {block:?} have other months than the first rows"
                        )));
                    }
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
                outputs.put(
                    &format!("{var}_monthly_mean"),
                    &[&dim, "y", "x"],
                    vec![
                        ("units", field.units.as_str().into()),
                        (
                            "long_name",
                            format!("monthly mean of {}", field.long_name).into(),
                        ),
                        ("_FillValue", f64::NAN.into()),
                    ],
                    mm.values.select(Axis(0), &keep).into_dyn(),
                    &block,
                    rows,
                )?;
                if first {
                    let (a, b) = (mm.months[0], month_end(mm.months[mm.months.len() - 1]));
                    span = Some(span.map_or((a, b), |(x, y)| (x.max(a), y.min(b))));
                }
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
            if first {
                if let (Some(a), Some(b)) = (
                    daily.complete.iter().position(|&c| c),
                    daily.complete.iter().rposition(|&c| c),
                ) {
                    let (a, b) = (daily.dates[a], daily.dates[b]);
                    span = Some(span.map_or((a, b), |(x, y)| (x.max(a), y.min(b))));
                }
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
            let (time_dim, new_dim) = time_axis(&mut day_axes, "time", var, &dates);
            if new_dim {
                if !first {
                    return Err(Error::Invalid(format!(
                        "forcing era5: `{var}`: rows {block:?} have other days than the first rows"
                    )));
                }
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
            outputs.put(
                &format!("{var}_{suffix}"),
                &[&time_dim, "y", "x"],
                vec![
                    ("units", daily.units.as_str().into()),
                    ("long_name", format!("{what} of {}", field.long_name).into()),
                    ("_FillValue", f64::NAN.into()),
                ],
                pick(&daily.values).into_dyn(),
                &block,
                rows,
            )?;
            if field.units == "degC" {
                let dd = field.daily_degree_days(&params).map_err(f_err)?;
                let tdd = pick(&dd.thawing);
                let fdd = pick(&dd.freezing);
                let total = tdd.sum_axis(Axis(0));
                for (suffix, values, long) in [
                    ("tdd", tdd, "thawing degree days Σmax(T,0)/24"),
                    ("fdd", fdd, "freezing degree days Σmax(−T,0)/24"),
                ] {
                    outputs.put(
                        &format!("{var}_{suffix}"),
                        &[&time_dim, "y", "x"],
                        vec![
                            ("units", "degC day".into()),
                            ("long_name", format!("daily {long}").into()),
                            ("_FillValue", f64::NAN.into()),
                        ],
                        values.into_dyn(),
                        &block,
                        rows,
                    )?;
                }
                outputs.put(
                    &format!("{var}_tdd_period"),
                    &["y", "x"],
                    vec![
                        ("units", "degC day".into()),
                        (
                            "long_name",
                            "cumulative thawing degree days at the end of the period".into(),
                        ),
                        ("_FillValue", f64::NAN.into()),
                    ],
                    total.into_dyn(),
                    &block,
                    rows,
                )?;
            }
            fields.push(field);
        }
        // Period products (SCIENCE.md §2) of every kind whose inputs are
        // here, over --period or else the complete days all variables cover.
        if !computable {
            continue;
        }
        if first {
            product_period = match (period, span) {
                (Some((a, b)), _) => Some((a, b)),
                (None, Some((a, b))) if a <= b => Some((a, b)),
                _ => None,
            };
        }
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
            let mut attrs: Vec<(&str, AttrValue)> = prod
                .attributes
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str().into()))
                .collect();
            attrs.push(("_FillValue", f64::NAN.into()));
            outputs.put(
                &prod.name,
                &["y", "x"],
                attrs,
                prod.values.into_dyn(),
                &block,
                rows,
            )?;
            if first {
                products.push(prod.name);
            }
        }
    }
    let written = outputs.names();
    for o in outputs.0 {
        let dims: Vec<&str> = o.dims.iter().map(String::as_str).collect();
        w.variable(&o.name, &dims, NcData::F64(o.data));
        for (k, v) in o.attrs {
            w.attr(&o.name, &k, v);
        }
    }
    if let (true, Some((a, b))) = (computable, product_period) {
        w.global("period_start", a.to_string())
            .global("period_end", b.to_string());
    }
    w.global("Conventions", "CF-1.8")
        .global("source", "permafrost-insar forcing era5");
    w.write(&args.out)?;
    let days = day_axes.first().map(|(_, d)| d);
    let months = month_axes.first().map(|(_, d)| d);
    let n_days = days.map_or(0, Vec::len);
    if global.json {
        print_json(&json!({
            "variables": variables,
            "written": written,
            "days": n_days,
            "first_day": days.and_then(|d| d.first()).map(ToString::to_string),
            "last_day": days.and_then(|d| d.last()).map(ToString::to_string),
            "outputs": [args.out.display().to_string()],
            "months": months.map_or(0, Vec::len),
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
