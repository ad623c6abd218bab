//! The report stage: tables (and, with the figures module, figures and the
//! HTML report).

use serde_json::json;

use super::config::PermafrostStudy;
use super::permafrost::{read_band, write_json, Grid};
use super::{Context, StageResult};
use crate::error::Result;
use crate::io::geotiff;

/// Recovered-vs-true errors of the permafrost study against a truth folder
/// (`linear_rate.tif`, `seasonal_amplitude.tif` in m, `hotspots.tif`):
/// RMS and max |error| over pixels outside the hotspots, in the study's units.
pub(crate) fn truth_errors(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<Option<serde_json::Value>> {
    let Some(t) = &s.file.report.truth else {
        return Ok(None);
    };
    let truth = s.src.path("report.truth", t, true)?;
    let pecm = ctx.out.join("pecm");
    let rate = geotiff::read_raster(&pecm.join("linear_rate.tif"))?;
    let grid = Grid { gt: rate.geotransform, wkt: rate.crs_wkt.clone(), rows: rate.shape().0, cols: rate.shape().1 };
    let scale = super::config::length_scale(s.file.pecm.units.get_ref()).unwrap_or(1.0);
    let hot = read_band(&truth.join("hotspots.tif"), &grid, "truth hotspots")?;
    let mut out = serde_json::Map::new();
    for (name, units) in [("linear_rate", format!("{}/yr", s.file.pecm.units.get_ref())), ("seasonal_amplitude", s.file.pecm.units.get_ref().clone())] {
        let rec = read_band(&pecm.join(format!("{name}.tif")), &grid, name)?;
        let tru = read_band(&truth.join(format!("{name}.tif")), &grid, &format!("truth {name}"))? * scale;
        let errs: Vec<f64> = rec
            .iter()
            .zip(tru.iter())
            .zip(hot.iter())
            .filter(|((_, _), h)| **h < 0.0)
            .map(|((a, b), _)| a - b)
            .collect();
        let finite: Vec<f64> = errs.iter().copied().filter(|e| e.is_finite()).collect();
        let n = finite.len().max(1) as f64;
        let rms = (finite.iter().map(|e| e * e).sum::<f64>() / n).sqrt();
        let bias = finite.iter().sum::<f64>() / n;
        let max = finite.iter().fold(0.0_f64, |m, e| m.max(e.abs()));
        out.insert(name.to_string(), json!({
            "units": units, "n": finite.len(), "n_not_fitted": errs.len() - finite.len(),
            "rms": rms, "bias": bias, "max_abs": max,
        }));
    }
    Ok(Some(serde_json::Value::Object(out)))
}

pub(crate) fn permafrost(s: &PermafrostStudy, ctx: &Context<'_>) -> Result<StageResult> {
    let dir = ctx.stage_dir("report")?;
    let mut outputs = Vec::new();
    let mut note = None;
    if let Some(errors) = truth_errors(s, ctx)? {
        note = Some(format!(
            "recovered vs true (outside hotspots): linear rate RMS {:.3} {}, seasonal amplitude RMS {:.3} {}",
            errors["linear_rate"]["rms"].as_f64().unwrap_or(f64::NAN),
            errors["linear_rate"]["units"].as_str().unwrap_or(""),
            errors["seasonal_amplitude"]["rms"].as_f64().unwrap_or(f64::NAN),
            errors["seasonal_amplitude"]["units"].as_str().unwrap_or(""),
        ));
        outputs.push(write_json(&dir.join("truth_errors.json"), &errors)?);
    }
    Ok(StageResult { outputs, note })
}
