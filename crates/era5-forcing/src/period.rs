//! Period products: what the upscaling study (S-UPSCALE) correlates with
//! deformation, per grid cell over a period of whole days.
//!
//! | product | name | inputs | units | how |
//! |---|---|---|---|---|
//! | cumulative thawing degree days at the period end | `tdd_skt`, `tdd_stl1` … `tdd_stl4` | `skt`, `stl1` … `stl4` | °C·day | Σ over days of Σ max(T, 0)/steps per day |
//! | days with snow | `snow_days` | `sd` | day | days whose daily mean `sd` > threshold (0.01 m) |
//! | accumulated snowfall | `sf_sum` | `sf` | m | Σ of de-accumulated steps |
//! | daily-max runoff | `ro_daily_max` | `ro` | m day⁻¹ | max of daily totals |
//! | accumulated runoff | `ro_sum` | `ro` | m | Σ of daily totals |
//! | accumulated precipitation | `tp_sum` | `tp` | m | Σ of daily totals |
//! | time-mean soil water | `swvl1_mean`, `swvl4_mean` | `swvl1`, `swvl4` | m³ m⁻³ | mean of daily means (monthly input: weighted by days) |
//! | accumulated latent heat flux | `slhf_sum` | `slhf` | J m⁻² | Σ of daily totals |
//! | accumulated net radiation | `rnet_sum` | `ssr`, `str`, `sshf` | J m⁻² | Σ of daily totals of ssr + str + sshf |
//! | its positive part | `rnet_pos_sum` | `ssr`, `str`, `sshf` | J m⁻² | Σ over days of max(daily total, 0) |
//! | … with latent heat | `rnet_lh_sum` | + `slhf` | J m⁻² | Σ of ssr + str + sshf + slhf |
//! | its positive part | `rnet_lh_pos_sum` | + `slhf` | J m⁻² | Σ over days of max(daily total, 0) |
//!
//! ERA5 fluxes are positive downwards, so the net radiation is the energy
//! the surface gains. "Positive part" is taken day by day: the energy gained
//! on the days with a net gain. Every day of the period must be a complete
//! day of every input ([`Error::PeriodOutsideData`] otherwise); a `NaN` day
//! makes the cell `NaN`. Monthly input is accepted only by the time means.

use ndarray::{Array2, Axis, Zip};

use crate::daily::DailyParams;
use crate::error::{Error, Result};
use crate::field::{Era5Field, Grid};
use crate::time::{days_in_month, month_start, Period, TimeResolution};

/// The period products (see the module table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProductKind {
    /// Thawing degree days of skin temperature at the period end.
    TddSkt,
    /// Thawing degree days of soil level 1 (0–7 cm).
    TddStl1,
    /// Thawing degree days of soil level 2 (7–28 cm).
    TddStl2,
    /// Thawing degree days of soil level 3 (28–100 cm).
    TddStl3,
    /// Thawing degree days of soil level 4 (100–289 cm).
    TddStl4,
    /// Days with daily-mean snow depth above the threshold.
    SnowDays,
    /// Accumulated snowfall.
    Snowfall,
    /// Maximum daily runoff.
    RunoffDailyMax,
    /// Accumulated runoff.
    Runoff,
    /// Accumulated precipitation.
    Precipitation,
    /// Time-mean volumetric soil water, layer 1.
    Swvl1Mean,
    /// Time-mean volumetric soil water, layer 4.
    Swvl4Mean,
    /// Accumulated surface latent heat flux.
    LatentHeat,
    /// Accumulated net radiation ssr + str + sshf.
    NetRadiation,
    /// Σ of the positive daily net radiation ssr + str + sshf.
    NetRadiationPositive,
    /// Accumulated ssr + str + sshf + slhf.
    NetRadiationLatent,
    /// Σ of the positive daily ssr + str + sshf + slhf.
    NetRadiationLatentPositive,
}

impl ProductKind {
    /// Every product, in the order of the module table.
    pub const ALL: [ProductKind; 17] = [
        ProductKind::TddSkt,
        ProductKind::TddStl1,
        ProductKind::TddStl2,
        ProductKind::TddStl3,
        ProductKind::TddStl4,
        ProductKind::SnowDays,
        ProductKind::Snowfall,
        ProductKind::RunoffDailyMax,
        ProductKind::Runoff,
        ProductKind::Precipitation,
        ProductKind::Swvl1Mean,
        ProductKind::Swvl4Mean,
        ProductKind::LatentHeat,
        ProductKind::NetRadiation,
        ProductKind::NetRadiationPositive,
        ProductKind::NetRadiationLatent,
        ProductKind::NetRadiationLatentPositive,
    ];

    /// The output variable name.
    pub fn name(&self) -> &'static str {
        use ProductKind as P;
        match self {
            P::TddSkt => "tdd_skt",
            P::TddStl1 => "tdd_stl1",
            P::TddStl2 => "tdd_stl2",
            P::TddStl3 => "tdd_stl3",
            P::TddStl4 => "tdd_stl4",
            P::SnowDays => "snow_days",
            P::Snowfall => "sf_sum",
            P::RunoffDailyMax => "ro_daily_max",
            P::Runoff => "ro_sum",
            P::Precipitation => "tp_sum",
            P::Swvl1Mean => "swvl1_mean",
            P::Swvl4Mean => "swvl4_mean",
            P::LatentHeat => "slhf_sum",
            P::NetRadiation => "rnet_sum",
            P::NetRadiationPositive => "rnet_pos_sum",
            P::NetRadiationLatent => "rnet_lh_sum",
            P::NetRadiationLatentPositive => "rnet_lh_pos_sum",
        }
    }

    /// A descriptive long name.
    pub fn long_name(&self) -> &'static str {
        use ProductKind as P;
        match self {
            P::TddSkt => "cumulative thawing degree days of skin temperature at the period end",
            P::TddStl1 => {
                "cumulative thawing degree days of soil temperature level 1 at the period end"
            }
            P::TddStl2 => {
                "cumulative thawing degree days of soil temperature level 2 at the period end"
            }
            P::TddStl3 => {
                "cumulative thawing degree days of soil temperature level 3 at the period end"
            }
            P::TddStl4 => {
                "cumulative thawing degree days of soil temperature level 4 at the period end"
            }
            P::SnowDays => "number of days with daily mean snow depth above the threshold",
            P::Snowfall => "accumulated snowfall",
            P::RunoffDailyMax => "maximum daily runoff",
            P::Runoff => "accumulated runoff",
            P::Precipitation => "accumulated total precipitation",
            P::Swvl1Mean => "time-mean volumetric soil water layer 1",
            P::Swvl4Mean => "time-mean volumetric soil water layer 4",
            P::LatentHeat => "accumulated surface latent heat flux",
            P::NetRadiation => "accumulated net radiation (ssr + str + sshf)",
            P::NetRadiationPositive => "sum of positive daily net radiation (ssr + str + sshf)",
            P::NetRadiationLatent => {
                "accumulated net radiation with latent heat (ssr + str + sshf + slhf)"
            }
            P::NetRadiationLatentPositive => {
                "sum of positive daily net radiation with latent heat (ssr + str + sshf + slhf)"
            }
        }
    }

    /// Units of the output.
    pub fn units(&self) -> &'static str {
        use ProductKind as P;
        match self {
            P::TddSkt | P::TddStl1 | P::TddStl2 | P::TddStl3 | P::TddStl4 => "degC day",
            P::SnowDays => "day",
            P::Snowfall | P::Runoff | P::Precipitation => "m",
            P::RunoffDailyMax => "m day-1",
            P::Swvl1Mean | P::Swvl4Mean => "m3 m-3",
            P::LatentHeat
            | P::NetRadiation
            | P::NetRadiationPositive
            | P::NetRadiationLatent
            | P::NetRadiationLatentPositive => "J m-2",
        }
    }

    /// The ERA5-Land variables (short names) the product needs.
    pub fn inputs(&self) -> &'static [&'static str] {
        use ProductKind as P;
        match self {
            P::TddSkt => &["skt"],
            P::TddStl1 => &["stl1"],
            P::TddStl2 => &["stl2"],
            P::TddStl3 => &["stl3"],
            P::TddStl4 => &["stl4"],
            P::SnowDays => &["sd"],
            P::Snowfall => &["sf"],
            P::RunoffDailyMax | P::Runoff => &["ro"],
            P::Precipitation => &["tp"],
            P::Swvl1Mean => &["swvl1"],
            P::Swvl4Mean => &["swvl4"],
            P::LatentHeat => &["slhf"],
            P::NetRadiation | P::NetRadiationPositive => &["ssr", "str", "sshf"],
            P::NetRadiationLatent | P::NetRadiationLatentPositive => {
                &["ssr", "str", "sshf", "slhf"]
            }
        }
    }

    fn cell_method(&self) -> &'static str {
        use ProductKind as P;
        match self {
            P::SnowDays => "time: count",
            P::RunoffDailyMax => "time: maximum (of daily sums)",
            P::Swvl1Mean | P::Swvl4Mean => "time: mean",
            _ => "time: sum",
        }
    }
}

/// Parameters of the period products.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `daily` | [`DailyParams::default`] | day boundaries, missing steps, accumulation convention |
/// | `snow_depth_threshold` | 0.01 m | a day has snow when its mean `sd` exceeds this |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodParams {
    daily: DailyParams,
    snow_depth_threshold: f64,
}

impl Default for PeriodParams {
    fn default() -> Self {
        PeriodParams {
            daily: DailyParams::default(),
            snow_depth_threshold: 0.01,
        }
    }
}

impl PeriodParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// Parameters of the daily statistics.
    #[must_use]
    pub fn with_daily(mut self, daily: DailyParams) -> Self {
        self.daily = daily;
        self
    }

    /// Snow-depth threshold, m (water equivalent for ERA5-Land `sd`).
    #[must_use]
    pub fn with_snow_depth_threshold(mut self, m: f64) -> Self {
        self.snow_depth_threshold = m;
        self
    }

    /// Validates the parameters.
    pub fn build(self) -> Result<Self> {
        if !(self.snow_depth_threshold.is_finite() && self.snow_depth_threshold >= 0.0) {
            return Err(Error::invalid_parameter(
                "snow_depth_threshold",
                self.snow_depth_threshold,
                "must be finite and ≥ 0",
            ));
        }
        self.daily.build()?;
        Ok(self)
    }

    /// Parameters of the daily statistics.
    pub fn daily(&self) -> DailyParams {
        self.daily
    }

    /// Snow-depth threshold, m.
    pub fn snow_depth_threshold(&self) -> f64 {
        self.snow_depth_threshold
    }
}

/// One period product on the inputs' grid.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodProduct {
    /// Which product.
    pub kind: ProductKind,
    /// Output variable name ([`ProductKind::name`]).
    pub name: String,
    /// Long name.
    pub long_name: String,
    /// Units.
    pub units: String,
    /// The period.
    pub period: Period,
    /// The grid (that of the inputs).
    pub grid: Grid,
    /// Values `(row, col)`.
    pub values: Array2<f64>,
    /// Attributes for the output file (`long_name`, `units`, `cell_methods`,
    /// `period_start`, `period_end`, `source_variables`, …).
    pub attributes: Vec<(String, String)>,
}

fn find<'a>(
    kind: ProductKind,
    fields: &'a [Era5Field],
    name: &'static str,
) -> Result<&'a Era5Field> {
    fields
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| Error::MissingInput {
            product: kind.name(),
            variable: name,
            available: fields
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Computes one period product from the fields it needs (found by name in
/// `fields`, all on one grid).
pub fn period_product(
    kind: ProductKind,
    fields: &[Era5Field],
    period: &Period,
    params: &PeriodParams,
) -> Result<PeriodProduct> {
    let params = params.build()?;
    let daily = params.daily;
    let inputs: Vec<&Era5Field> = kind
        .inputs()
        .iter()
        .map(|n| find(kind, fields, n))
        .collect::<Result<_>>()?;
    let grid = inputs[0].grid.clone();
    for f in &inputs[1..] {
        if !f.grid.approx_eq(&grid, crate::merge::GRID_TOLERANCE_DEG) {
            return Err(Error::Mismatch {
                context: format!("product `{}`", kind.name()),
                detail: format!(
                    "`{}` and `{}` are on different grids",
                    inputs[0].name, f.name
                ),
            });
        }
    }
    let (rows, cols) = grid.shape();
    use ProductKind as P;
    let values = match kind {
        P::TddSkt | P::TddStl1 | P::TddStl2 | P::TddStl3 | P::TddStl4 => {
            let dd = inputs[0].daily_degree_days(&daily)?;
            let mut s = crate::daily::DailySeries {
                name: inputs[0].name.clone(),
                units: "degC day".into(),
                dates: dd.dates,
                values: dd.thawing,
                complete: dd.complete,
            };
            let range = s.period_indices(period)?;
            s.values.slice_axis_inplace(Axis(0), range.into());
            s.values.sum_axis(Axis(0))
        }
        P::SnowDays => {
            let d = inputs[0].daily_mean(&daily)?;
            let range = d.period_indices(period)?;
            let thr = params.snow_depth_threshold;
            let sel = d.values.slice_axis(Axis(0), range.into());
            sel.map_axis(Axis(0), |v| {
                v.iter().fold(0.0, |acc, &x| {
                    if x.is_nan() {
                        f64::NAN
                    } else {
                        acc + f64::from(u8::from(x > thr))
                    }
                })
            })
        }
        P::Snowfall | P::Runoff | P::Precipitation | P::LatentHeat => {
            let d = inputs[0].daily_total(&daily)?;
            let range = d.period_indices(period)?;
            d.values.slice_axis(Axis(0), range.into()).sum_axis(Axis(0))
        }
        P::RunoffDailyMax => {
            let d = inputs[0].daily_total(&daily)?;
            let range = d.period_indices(period)?;
            d.values
                .slice_axis(Axis(0), range.into())
                .map_axis(Axis(0), |v| {
                    v.iter().fold(f64::NEG_INFINITY, |m, &x| {
                        if x.is_nan() || m.is_nan() {
                            f64::NAN
                        } else {
                            m.max(x)
                        }
                    })
                })
        }
        P::Swvl1Mean | P::Swvl4Mean => time_mean(inputs[0], period, &daily)?,
        P::NetRadiation
        | P::NetRadiationPositive
        | P::NetRadiationLatent
        | P::NetRadiationLatentPositive => {
            let mut total: Option<ndarray::Array3<f64>> = None;
            for f in &inputs {
                let d = f.daily_total(&daily)?;
                let range = d.period_indices(period)?;
                let sel = d.values.slice_axis(Axis(0), range.into()).to_owned();
                total = Some(match total {
                    None => sel,
                    Some(t) => t + sel,
                });
            }
            let total = total.unwrap_or_else(|| ndarray::Array3::zeros((0, rows, cols)));
            let positive = matches!(
                kind,
                P::NetRadiationPositive | P::NetRadiationLatentPositive
            );
            if positive {
                total.mapv(positive_part).sum_axis(Axis(0))
            } else {
                total.sum_axis(Axis(0))
            }
        }
    };
    let mut attributes = vec![
        ("long_name".to_string(), kind.long_name().to_string()),
        ("units".to_string(), kind.units().to_string()),
        ("cell_methods".to_string(), kind.cell_method().to_string()),
        ("period_start".to_string(), period.start().to_string()),
        ("period_end".to_string(), period.end().to_string()),
        ("source_variables".to_string(), kind.inputs().join(",")),
    ];
    if kind == P::SnowDays {
        attributes.push((
            "snow_depth_threshold_m".into(),
            params.snow_depth_threshold.to_string(),
        ));
    }
    Ok(PeriodProduct {
        kind,
        name: kind.name().to_string(),
        long_name: kind.long_name().to_string(),
        units: kind.units().to_string(),
        period: *period,
        grid,
        values,
        attributes,
    })
}

/// Every product whose inputs are all among `fields`, in the order of
/// [`ProductKind::ALL`]. An error when none is computable, or when a
/// computable one fails (e.g. the period is outside the data).
pub fn period_products(
    fields: &[Era5Field],
    period: &Period,
    params: &PeriodParams,
) -> Result<Vec<PeriodProduct>> {
    let have = |n: &&str| fields.iter().any(|f| f.name == *n);
    let kinds: Vec<ProductKind> = ProductKind::ALL
        .into_iter()
        .filter(|k| k.inputs().iter().all(have))
        .collect();
    if kinds.is_empty() {
        return Err(Error::Empty {
            input: format!(
                "set of period products computable from the variables ({})",
                fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    kinds
        .into_iter()
        .map(|k| period_product(k, fields, period, params))
        .collect()
}

/// max(x, 0), keeping `NaN`.
fn positive_part(x: f64) -> f64 {
    if x.is_nan() {
        x
    } else {
        x.max(0.0)
    }
}

/// Time mean over the period: of daily means for sub-daily/daily input,
/// of monthly values weighted by their days in the period for monthly input.
fn time_mean(field: &Era5Field, period: &Period, daily: &DailyParams) -> Result<Array2<f64>> {
    if field.resolution()? != TimeResolution::Monthly {
        let d = field.daily_mean(daily)?;
        let range = d.period_indices(period)?;
        let n = range.len() as f64;
        return Ok(d.values.slice_axis(Axis(0), range.into()).sum_axis(Axis(0)) / n);
    }
    let (_, rows, cols) = field.data.dim();
    let mut acc = Array2::<f64>::zeros((rows, cols));
    let mut covered = 0i64;
    for (i, t) in field.times.iter().enumerate() {
        let m0 = month_start(t.date());
        let m1 = m0 + chrono::TimeDelta::days(days_in_month(m0) - 1);
        let a = m0.max(period.start());
        let b = m1.min(period.end());
        if b < a {
            continue;
        }
        let w = (b - a).num_days() + 1;
        covered += w;
        Zip::from(&mut acc)
            .and(&field.data.index_axis(Axis(0), i))
            .for_each(|s, &x| *s += w as f64 * x);
    }
    if covered != period.days() as i64 {
        let first = field.times.first().map(|t| month_start(t.date()));
        let last = field.times.last().map(|t| {
            let m = month_start(t.date());
            m + chrono::TimeDelta::days(days_in_month(m) - 1)
        });
        return Err(Error::PeriodOutsideData {
            input: format!("`{}`", field.name),
            start: period.start(),
            end: period.end(),
            covered: match (first, last) {
                (Some(a), Some(b)) => format!("{a} .. {b} (monthly, possibly with gaps)"),
                _ => "none".into(),
            },
        });
    }
    Ok(acc / covered as f64)
}
