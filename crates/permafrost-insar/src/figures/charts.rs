//! Charts: box plots, q bars, correlation heat map, histograms / CDF and time
//! series.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use ndarray::ArrayView2;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::canvas::{
    fit_text, fmt_tick, invalid, padded_range, quantile_sorted, render, sorted_finite, text,
    text_width, titled, Area, DrawResult, LABEL_SIZE, SMALL_SIZE, TICK_SIZE,
};
use super::colormap::categorical;
use super::maps::colour_bar;
use super::{Colormap, Series, HEIGHT, WIDTH};
use crate::Result;

type Chart<'a> = ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

const BOX_FILL: RGBColor = RGBColor(158, 202, 225);
const BOX_EDGE: RGBColor = RGBColor(33, 84, 140);
const GRID: RGBColor = RGBColor(225, 225, 225);
const PALE: RGBColor = RGBColor(214, 222, 232);

/// Box-plot statistics of one group, as [`binned_boxplot`](super::binned_boxplot)
/// draws them (Tukey's box plot, as `matplotlib.cbook.boxplot_stats(whis=1.5)`).
#[derive(Debug, Clone, PartialEq)]
pub struct BoxStats {
    /// Number of finite values.
    pub n: usize,
    /// First quartile (numpy's linear percentile).
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Lower whisker: the smallest value ≥ q1 − 1.5 IQR.
    pub low: f64,
    /// Upper whisker: the largest value ≤ q3 + 1.5 IQR.
    pub high: f64,
    /// Values outside the whiskers, ascending.
    pub outliers: Vec<f64>,
}

/// The box-plot statistics of the finite values of `values`; `None` when
/// there are none.
pub fn box_stats(values: &[f64]) -> Option<BoxStats> {
    let v = sorted_finite(values.iter().copied());
    if v.is_empty() {
        return None;
    }
    let (q1, median, q3) = (
        quantile_sorted(&v, 0.25),
        quantile_sorted(&v, 0.5),
        quantile_sorted(&v, 0.75),
    );
    let iqr = q3 - q1;
    let (lo_fence, hi_fence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let low = v.iter().copied().find(|&x| x >= lo_fence).unwrap_or(q1);
    let high = v
        .iter()
        .rev()
        .copied()
        .find(|&x| x <= hi_fence)
        .unwrap_or(q3);
    let outliers = v.iter().copied().filter(|&x| x < low || x > high).collect();
    Some(BoxStats {
        n: v.len(),
        q1,
        median,
        q3,
        low,
        high,
        outliers,
    })
}

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
    let stats: Vec<Option<BoxStats>> = groups.iter().map(|g| box_stats(g)).collect();
    let all: Vec<f64> = stats
        .iter()
        .flatten()
        .flat_map(|s| {
            [s.low, s.high]
                .into_iter()
                .chain(s.outliers.iter().copied())
        })
        .collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = padded_range(lo, hi);
    let pad = (hi - lo) * 0.05;
    let n = classes.len();
    let n_texts: Vec<String> = stats
        .iter()
        .map(|s| format!("n={}", s.as_ref().map_or(0, |s| s.n)))
        .collect();
    render(path, (WIDTH, HEIGHT), |root| {
        let body = titled(root, title)?;
        let (bw, _) = body.dim_in_pixel();
        let plot_w = bw.saturating_sub(100 + 30);
        let labels = CategoryLabels::fit(&body, classes, plot_w as f64 / n as f64);
        // Room at the top for the n labels: written across when they fit
        // their slot, upwards otherwise.
        let widest_n = n_texts
            .iter()
            .map(|t| text_width(root, t, &text(SMALL_SIZE)))
            .max()
            .unwrap_or(0);
        let n_rotated = widest_n as f64 > labels.slot_px - 4.0;
        let headroom = if n_rotated { 0.22 } else { 0.12 };
        let (y0, y1) = (lo - pad, hi + (hi - lo) * headroom);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(16)
            .margin_right(30)
            .margin_top(6)
            .x_label_area_size(labels.height + 44)
            .y_label_area_size(100)
            .build_cartesian_2d(0.0..n as f64, y0..y1)?;
        let span = y1 - y0;
        // No tick labels in the band of the n labels.
        let band = hi + (hi - lo) * 0.04;
        let fy = move |v: &f64| {
            if *v > band {
                String::new()
            } else {
                fmt_tick(*v, span)
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&fy)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .label_style(text(TICK_SIZE))
            .axis_desc_style(text(LABEL_SIZE))
            .x_desc(x_label)
            .y_desc(y_label)
            .draw()?;
        // A clean band for the n labels (the grid stops below it).
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, band), (n as f64, y1)],
            WHITE.filled(),
        )))?;
        let half = 0.3;
        for (i, s) in stats.iter().enumerate() {
            let x = i as f64 + 0.5;
            let (px, py) = chart.backend_coord(&(x, y1));
            if n_rotated {
                let step = ((SMALL_SIZE + 3.0) / labels.slot_px).ceil().max(1.0) as usize;
                if i % step == 0 {
                    let style = text(SMALL_SIZE)
                        .pos(Pos::new(HPos::Right, VPos::Center))
                        .transform(FontTransform::Rotate270);
                    root.draw_text(&n_texts[i], &style, (px, py + 4))?;
                }
            } else {
                let style = text(SMALL_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
                root.draw_text(&n_texts[i], &style, (px, py + 4))?;
            }
            let Some(s) = s else { continue };
            chart.draw_series([
                PathElement::new(vec![(x, s.low), (x, s.q1)], BLACK.stroke_width(1)),
                PathElement::new(vec![(x, s.q3), (x, s.high)], BLACK.stroke_width(1)),
                PathElement::new(
                    vec![(x - half / 2.0, s.low), (x + half / 2.0, s.low)],
                    BLACK.stroke_width(1),
                ),
                PathElement::new(
                    vec![(x - half / 2.0, s.high), (x + half / 2.0, s.high)],
                    BLACK.stroke_width(1),
                ),
            ])?;
            chart.draw_series([
                Rectangle::new([(x - half, s.q1), (x + half, s.q3)], BOX_FILL.filled()),
                Rectangle::new(
                    [(x - half, s.q1), (x + half, s.q3)],
                    BOX_EDGE.stroke_width(1),
                ),
            ])?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x - half, s.median), (x + half, s.median)],
                RGBColor(200, 30, 30).stroke_width(3),
            )))?;
            chart.draw_series(
                s.outliers
                    .iter()
                    .map(|&v| Circle::new((x, v), 2, BLACK.stroke_width(1))),
            )?;
        }
        if stats.iter().all(Option::is_none) {
            let (px, py) = chart.backend_coord(&(n as f64 / 2.0, (y0 + y1) / 2.0));
            let style = text(LABEL_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
            root.draw_text("no finite values", &style, (px, py))?;
        }
        let y_axis = chart.backend_coord(&(0.0, y0)).1;
        labels.draw(
            root,
            |i| chart.backend_coord(&(i as f64 + 0.5, y0)).0,
            y_axis + 8,
        )?;
        Ok(())
    })
}

/// Category names under an axis: horizontal when they fit their slot,
/// otherwise rotated to read upwards (and shortened to at most 190 px).
struct CategoryLabels {
    names: Vec<String>,
    rotated: bool,
    height: u32,
    slot_px: f64,
}

impl CategoryLabels {
    fn fit(area: &Area<'_>, names: &[String], slot_px: f64) -> Self {
        let style = text(TICK_SIZE);
        let widest = names
            .iter()
            .map(|s| text_width(area, s, &style))
            .max()
            .unwrap_or(0);
        if (widest as f64) <= slot_px - 8.0 {
            return CategoryLabels {
                names: names.to_vec(),
                rotated: false,
                height: 26,
                slot_px,
            };
        }
        let names: Vec<String> = names
            .iter()
            .map(|s| fit_text(area, s, &style, 190))
            .collect();
        let widest = names
            .iter()
            .map(|s| text_width(area, s, &style))
            .max()
            .unwrap_or(0);
        CategoryLabels {
            names,
            rotated: true,
            height: widest + 12,
            slot_px,
        }
    }

    fn draw(&self, root: &Area<'_>, x_of: impl Fn(usize) -> i32, y: i32) -> DrawResult {
        for (i, name) in self.names.iter().enumerate() {
            let x = x_of(i);
            if self.rotated {
                // Every label fits its slot across (one text height), so only
                // thin slots need thinning out.
                let step = ((TICK_SIZE + 4.0) / self.slot_px).ceil().max(1.0) as usize;
                if i % step != 0 {
                    continue;
                }
                let style = text(TICK_SIZE)
                    .pos(Pos::new(HPos::Right, VPos::Center))
                    .transform(FontTransform::Rotate270);
                root.draw_text(name, &style, (x, y))?;
            } else {
                let style = text(TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
                root.draw_text(name, &style, (x, y))?;
            }
        }
        Ok(())
    }
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
    // Sorted descending; NaN last.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (q[a], q[b]);
        match (x.is_nan(), y.is_nan()) {
            (true, true) => a.cmp(&b),
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) => y.total_cmp(&x).then(a.cmp(&b)),
        }
    });
    let q_max = q
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let x_max = if q_max > 0.0 {
        (q_max * 1.2).min(1.0).max(q_max * 1.12)
    } else {
        1.0
    };
    let n = names.len();
    render(path, (WIDTH, HEIGHT), |root| {
        let body = titled(root, title)?;
        let (bw, bh) = body.dim_in_pixel();
        let (plot, legend) = body.split_vertically(bh - 44);
        let style = text(TICK_SIZE);
        let shown: Vec<String> = order
            .iter()
            .map(|&i| fit_text(root, &names[i], &style, 300))
            .collect();
        let label_w = shown
            .iter()
            .map(|s| text_width(root, s, &style))
            .max()
            .unwrap_or(0)
            + 24;
        let mut chart = ChartBuilder::on(&plot)
            .margin_right(40)
            .margin_top(6)
            .x_label_area_size(64)
            .y_label_area_size(label_w)
            .build_cartesian_2d(0.0..x_max, 0.0..n as f64)?;
        let fx = move |v: &f64| fmt_tick(*v, x_max);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(8)
            .x_label_formatter(&fx)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .label_style(text(TICK_SIZE))
            .axis_desc_style(text(LABEL_SIZE))
            .x_desc("q statistic (share of variance explained, 0–1)")
            .draw()?;
        for (rank, &i) in order.iter().enumerate() {
            // Largest at the top.
            let y_mid = n as f64 - rank as f64 - 0.5;
            let (ya, yb) = (y_mid - 0.32, y_mid + 0.32);
            let v = if q[i].is_finite() {
                q[i].clamp(0.0, x_max)
            } else {
                0.0
            };
            if significant[i] {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, ya), (v, yb)],
                    BOX_EDGE.filled(),
                )))?;
            } else {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, ya), (v, yb)],
                    PALE.filled(),
                )))?;
                let (p0, p1) = (
                    chart.backend_coord(&(0.0, yb)),
                    chart.backend_coord(&(v, ya)),
                );
                hatch(root, p0, p1, RGBColor(120, 135, 155))?;
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, ya), (v, yb)],
                    RGBColor(120, 135, 155).stroke_width(1),
                )))?;
            }
            let (px, py) = chart.backend_coord(&(v, y_mid));
            let value = if q[i].is_finite() {
                format!("{:.3}", q[i])
            } else {
                "n/a".to_string()
            };
            let vstyle = text(SMALL_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw_text(&value, &vstyle, (px + 6, py))?;
            let (lx, ly) = chart.backend_coord(&(0.0, y_mid));
            let lstyle = text(TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw_text(&shown[rank], &lstyle, (lx - 10, ly))?;
        }
        // Legend under the plot.
        let (lw, _) = legend.dim_in_pixel();
        let entries = [("significant", true), ("not significant", false)];
        let widths: Vec<i32> = entries
            .iter()
            .map(|(s, _)| 30 + text_width(&legend, s, &text(TICK_SIZE)) as i32)
            .collect();
        let total: i32 = widths.iter().sum::<i32>() + 30;
        let mut x = (lw as i32 - total) / 2;
        let _ = bw;
        for ((label, sig), w) in entries.iter().zip(&widths) {
            let (a, b) = ((x, 12), (x + 22, 30));
            if *sig {
                legend.draw(&Rectangle::new([a, b], BOX_EDGE.filled()))?;
            } else {
                legend.draw(&Rectangle::new([a, b], PALE.filled()))?;
                let (ox, oy) = legend.get_base_pixel();
                hatch(
                    root,
                    (a.0 + ox, a.1 + oy),
                    (b.0 + ox, b.1 + oy),
                    RGBColor(120, 135, 155),
                )?;
                legend.draw(&Rectangle::new(
                    [a, b],
                    RGBColor(120, 135, 155).stroke_width(1),
                ))?;
            }
            let style = text(TICK_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
            legend.draw_text(label, &style, (x + 28, 21))?;
            x += w + 30;
        }
        Ok(())
    })
}

/// Diagonal hatching inside the pixel rectangle spanned by `a` and `b`.
fn hatch(root: &Area<'_>, a: (i32, i32), b: (i32, i32), colour: RGBColor) -> DrawResult {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let spacing = 8;
    // Lines x − y = c, clipped to the rectangle.
    let mut c = x0 - y1;
    while c <= x1 - y0 {
        let xa = (y0 + c).max(x0);
        let xb = (y1 + c).min(x1);
        if xb > xa {
            root.draw(&PathElement::new(
                vec![(xa, xa - c), (xb, xb - c)],
                colour.stroke_width(1),
            ))?;
        }
        c += spacing;
    }
    Ok(())
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
        let body = titled(root, title)?;
        let (bw, bh) = body.dim_in_pixel();
        let side = 150;
        let (grid, bar) = body.split_horizontally(bw - side);
        let (gw, gh) = grid.dim_in_pixel();
        let style = text(TICK_SIZE);
        let row_names: Vec<String> = names
            .iter()
            .map(|s| fit_text(root, s, &style, 230))
            .collect();
        let left = row_names
            .iter()
            .map(|s| text_width(root, s, &style))
            .max()
            .unwrap_or(0)
            + 16;
        // Try the column names horizontally first; if they do not fit, rotate.
        let avail_w = gw.saturating_sub(left + 20) as f64;
        let horizontal_cell = (avail_w / n as f64).min((gh.saturating_sub(40)) as f64 / n as f64);
        let labels = CategoryLabels::fit(root, names, horizontal_cell);
        let bottom = labels.height + 14;
        let cell = (avail_w / n as f64)
            .min(gh.saturating_sub(bottom + 10) as f64 / n as f64)
            .floor()
            .max(4.0) as i32;
        let (gx, gy) = grid.get_base_pixel();
        let x0 = gx + left as i32 + ((avail_w as i32 - cell * n as i32) / 2).max(0);
        let y0 = gy + 6;
        let show_values = cell >= 30;
        let value_size = (cell as f64 * 0.34).clamp(10.0, TICK_SIZE);
        for i in 0..n {
            for j in 0..=i {
                let r = matrix[(i, j)];
                let (a, b) = (
                    (x0 + j as i32 * cell, y0 + i as i32 * cell),
                    (x0 + (j as i32 + 1) * cell, y0 + (i as i32 + 1) * cell),
                );
                let fill = if r.is_finite() {
                    Colormap::Diverging.color((r.clamp(-1.0, 1.0) + 1.0) / 2.0)
                } else {
                    RGBColor(185, 185, 185)
                };
                root.draw(&Rectangle::new([a, b], fill.filled()))?;
                root.draw(&Rectangle::new([a, b], WHITE.stroke_width(1)))?;
                if show_values {
                    let s = if r.is_finite() {
                        format!("{r:.2}")
                    } else {
                        "–".to_string()
                    };
                    let colour = if r.is_finite() && r.abs() > 0.6 {
                        WHITE
                    } else {
                        BLACK
                    };
                    let vs = (FONT_NAME, value_size)
                        .into_font()
                        .color(&colour)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    root.draw_text(&s, &vs, ((a.0 + b.0) / 2, (a.1 + b.1) / 2))?;
                }
            }
            let ls = text(TICK_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw_text(
                &row_names[i],
                &ls,
                (x0 - 8, y0 + i as i32 * cell + cell / 2),
            )?;
        }
        labels.draw(
            root,
            |j| x0 + j as i32 * cell + cell / 2,
            y0 + n as i32 * cell + 8,
        )?;
        let bar_h = (cell * n as i32).max(260).min(bh as i32 - 10) as u32;
        let bar_area = bar.clone().shrink((20, 0), (side - 20, bar_h));
        colour_bar(&bar_area, Colormap::Diverging, (-1.0, 1.0), "Pearson r")?;
        Ok(())
    })
}

use super::canvas::FONT as FONT_NAME;

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
        if let Some(k) = w.iter().position(|&x| x < 0.0 || x.is_infinite()) {
            return Err(invalid(format!(
                "histograms `{title}`: group `{name}`, bin {k}: weight {} is negative or infinite",
                w[k]
            )));
        }
    }
    // Density and CDF per group (NaN weights count as 0).
    let curves: Vec<Option<(Vec<f64>, Vec<f64>)>> = groups
        .iter()
        .map(|(_, w)| {
            let w: Vec<f64> = w
                .iter()
                .map(|&x| if x.is_nan() { 0.0 } else { x })
                .collect();
            let total: f64 = w.iter().sum();
            if total <= 0.0 {
                return None;
            }
            let density = (0..bins)
                .map(|k| w[k] / (total * (bin_edges[k + 1] - bin_edges[k])))
                .collect();
            let mut acc = 0.0;
            let cdf = w
                .iter()
                .map(|x| {
                    acc += x;
                    acc / total
                })
                .collect();
            Some((density, cdf))
        })
        .collect();
    let d_max = curves
        .iter()
        .flatten()
        .flat_map(|(d, _)| d.iter().copied())
        .fold(0.0, f64::max);
    let d_max = if d_max > 0.0 { d_max * 1.08 } else { 1.0 };
    let (x0, x1) = (bin_edges[0], bin_edges[bins]);
    let density_label = match unit_of(x_label) {
        Some(u) => format!("density (per {u})"),
        None => "density (per unit of x)".to_string(),
    };
    render(path, (WIDTH, HEIGHT), |root| {
        let body = titled(root, title)?;
        let entries: Vec<LegendEntry> = groups
            .iter()
            .zip(&curves)
            .enumerate()
            .map(|(i, ((name, _), c))| LegendEntry {
                colour: categorical(i),
                label: if c.is_some() {
                    name.clone()
                } else {
                    format!("{name} (empty)")
                },
                line: true,
                point: false,
            })
            .collect();
        let (bw, bh) = body.dim_in_pixel();
        let entries = limit_legend(root, entries, bw - 40, 4);
        let legend_h = legend_height(root, &entries, bw - 40);
        let (plots, legend) = body.split_vertically(bh - legend_h);
        let (pw, _) = plots.dim_in_pixel();
        let (left, right) = plots.split_horizontally(pw / 2);
        let span = x1 - x0;
        let fx = move |v: &f64| fmt_tick(*v, span);
        let fd = move |v: &f64| fmt_tick(*v, d_max);
        let fc = move |v: &f64| fmt_tick(*v, 1.0);
        let mut dchart = ChartBuilder::on(&left)
            .margin_left(16)
            .margin_right(24)
            .margin_top(8)
            .x_label_area_size(64)
            .y_label_area_size(92)
            .build_cartesian_2d(x0..x1, 0.0..d_max)?;
        styled_mesh(&mut dchart, x_label, &density_label, &fx, &fd)?;
        let mut cchart = ChartBuilder::on(&right)
            .margin_left(8)
            .margin_right(24)
            .margin_top(8)
            .x_label_area_size(64)
            .y_label_area_size(84)
            .build_cartesian_2d(x0..x1, 0.0..1.02)?;
        styled_mesh(&mut cchart, x_label, "cumulative fraction (–)", &fx, &fc)?;
        for (i, c) in curves.iter().enumerate() {
            let Some((density, cdf)) = c else { continue };
            let colour = categorical(i);
            let mut steps = Vec::with_capacity(2 * bins);
            for k in 0..bins {
                steps.push((bin_edges[k], density[k]));
                steps.push((bin_edges[k + 1], density[k]));
            }
            dchart.draw_series(std::iter::once(PathElement::new(
                steps,
                colour.stroke_width(2),
            )))?;
            let mut line = vec![(bin_edges[0], 0.0)];
            line.extend((0..bins).map(|k| (bin_edges[k + 1], cdf[k])));
            cchart.draw_series(std::iter::once(PathElement::new(
                line,
                colour.stroke_width(2),
            )))?;
        }
        if curves.iter().all(Option::is_none) {
            let (px, py) = dchart.backend_coord(&((x0 + x1) / 2.0, d_max / 2.0));
            let style = text(LABEL_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
            root.draw_text("all groups empty", &style, (px, py))?;
        }
        draw_legend(&legend, &entries)?;
        Ok(())
    })
}

/// The text inside the last parentheses of an axis label: `rate (mm/yr)` → `mm/yr`.
fn unit_of(label: &str) -> Option<String> {
    let open = label.rfind('(')?;
    let close = label[open..].find(')')? + open;
    let u = label[open + 1..close].trim();
    (!u.is_empty()).then(|| u.to_string())
}

fn styled_mesh(
    chart: &mut Chart<'_>,
    x_desc: &str,
    y_desc: &str,
    fx: &dyn Fn(&f64) -> String,
    fy: &dyn Fn(&f64) -> String,
) -> DrawResult {
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(7)
        .x_label_formatter(fx)
        .y_label_formatter(fy)
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style(text(TICK_SIZE))
        .axis_desc_style(text(LABEL_SIZE))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(())
}

/// One legend entry: a line and/or a point in a colour, and a label.
struct LegendEntry {
    colour: RGBColor,
    label: String,
    line: bool,
    point: bool,
}

const LEGEND_LINE: i32 = 26;

/// Places the entries left to right, wrapping; returns (x, row) per entry.
fn legend_layout(area: &Area<'_>, entries: &[LegendEntry], width: u32) -> Vec<(i32, i32)> {
    let mut out = Vec::with_capacity(entries.len());
    let (mut x, mut row) = (0i32, 0i32);
    for e in entries {
        let label = fit_text(area, &e.label, &text(TICK_SIZE), width.saturating_sub(60));
        let w = 36 + text_width(area, &label, &text(TICK_SIZE)) as i32 + 28;
        if x > 0 && x + w > width as i32 {
            x = 0;
            row += 1;
        }
        out.push((x, row));
        x += w;
    }
    out
}

/// Keeps the entries that fit in `max_rows` rows, the last one replaced by
/// "… N more" when some are left out.
fn limit_legend(
    area: &Area<'_>,
    mut entries: Vec<LegendEntry>,
    width: u32,
    max_rows: i32,
) -> Vec<LegendEntry> {
    let layout = legend_layout(area, &entries, width);
    if layout.last().is_none_or(|p| p.1 < max_rows) {
        return entries;
    }
    let fits = layout.iter().filter(|p| p.1 < max_rows).count();
    let keep = fits.saturating_sub(1);
    let more = entries.len() - keep;
    entries.truncate(keep);
    entries.push(LegendEntry {
        colour: BLACK,
        label: format!("… {more} more"),
        line: false,
        point: false,
    });
    entries
}

fn legend_height(area: &Area<'_>, entries: &[LegendEntry], width: u32) -> u32 {
    let rows = legend_layout(area, entries, width)
        .last()
        .map_or(0, |p| p.1 + 1);
    (rows * LEGEND_LINE + 14) as u32
}

/// Draws the legend centred in `area` (rows of entries).
fn draw_legend(area: &Area<'_>, entries: &[LegendEntry]) -> DrawResult {
    let (w, _) = area.dim_in_pixel();
    let width = w.saturating_sub(40);
    let layout = legend_layout(area, entries, width);
    let style = text(TICK_SIZE);
    let rows = layout.last().map_or(0, |p| p.1 + 1);
    for row in 0..rows {
        let members: Vec<usize> = (0..entries.len()).filter(|&k| layout[k].1 == row).collect();
        let end = members
            .iter()
            .map(|&k| {
                let label = fit_text(area, &entries[k].label, &style, width.saturating_sub(60));
                layout[k].0 + 36 + text_width(area, &label, &style) as i32
            })
            .max()
            .unwrap_or(0);
        let shift = (w as i32 - end) / 2;
        for &k in &members {
            let e = &entries[k];
            let x = layout[k].0 + shift;
            let y = 8 + row * LEGEND_LINE + 10;
            if e.line {
                area.draw(&PathElement::new(
                    vec![(x, y), (x + 28, y)],
                    e.colour.stroke_width(2),
                ))?;
            }
            if e.point {
                area.draw(&Circle::new((x + 14, y), 4, e.colour.filled()))?;
            }
            let label = fit_text(area, &e.label, &style, width.saturating_sub(60));
            let ls = text(TICK_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text(&label, &ls, (x + 36, y))?;
        }
    }
    Ok(())
}

pub(crate) fn time_series(
    path: &Path,
    title: &str,
    y_label: &str,
    dates: &[NaiveDate],
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
    let first = *dates.iter().min().unwrap_or(&dates[0]);
    let last = *dates.iter().max().unwrap_or(&dates[0]);
    let day = |d: &NaiveDate| (*d - first).num_days() as f64;
    let span_days = day(&last).max(1.0);
    let (x0, x1) = (-0.02 * span_days, span_days * 1.02);
    let values = series
        .iter()
        .flat_map(|s| s.observed.iter().chain(s.fitted.iter().flatten()).copied());
    let v = sorted_finite(values);
    let (lo, hi) = padded_range(
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN),
    );
    let pad = (hi - lo) * 0.06;
    let (y0, y1) = (lo - pad, hi + pad);
    render(path, (WIDTH, HEIGHT), |root| {
        let body = titled(root, title)?;
        let mut entries: Vec<LegendEntry> = series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendEntry {
                colour: categorical(i),
                label: s.name.clone(),
                line: s.fitted.is_some(),
                point: true,
            })
            .collect();
        if series.iter().any(|s| s.fitted.is_some()) {
            entries.push(LegendEntry {
                colour: RGBColor(90, 90, 90),
                label: "points: observed, lines: fitted".into(),
                line: false,
                point: false,
            });
        }
        let (bw, bh) = body.dim_in_pixel();
        let entries = limit_legend(root, entries, bw - 40, 4);
        let legend_h = legend_height(root, &entries, bw - 40);
        let (plot, legend) = body.split_vertically(bh - legend_h);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(16)
            .margin_right(30)
            .margin_top(8)
            .x_label_area_size(64)
            .y_label_area_size(100)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let span = y1 - y0;
        let fy = move |v: &f64| fmt_tick(*v, span);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&fy)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .label_style(text(TICK_SIZE))
            .axis_desc_style(text(LABEL_SIZE))
            .x_desc("date")
            .y_desc(y_label)
            .draw()?;
        // Date ticks: years, or months for short spans.
        let ticks = date_ticks(first, last);
        for (d, label) in &ticks {
            let x = day(d);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, y0), (x, y1)],
                GRID,
            )))?;
            let (px, py) = chart.backend_coord(&(x, y0));
            root.draw(&PathElement::new(vec![(px, py), (px, py + 5)], BLACK))?;
            let style = text(TICK_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw_text(label, &style, (px, py + 8))?;
        }
        for (i, s) in series.iter().enumerate() {
            let colour = categorical(i);
            if let Some(f) = &s.fitted {
                for segment in finite_runs(dates, f, &day) {
                    chart.draw_series(std::iter::once(PathElement::new(
                        segment,
                        colour.stroke_width(2),
                    )))?;
                }
            }
            chart.draw_series(
                dates
                    .iter()
                    .zip(&s.observed)
                    .filter(|(_, v)| v.is_finite())
                    .map(|(d, &v)| Circle::new((day(d), v), 3, colour.filled())),
            )?;
        }
        if v.is_empty() {
            let (px, py) = chart.backend_coord(&((x0 + x1) / 2.0, (y0 + y1) / 2.0));
            let style = text(LABEL_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
            root.draw_text("no finite values", &style, (px, py))?;
        }
        draw_legend(&legend, &entries)?;
        Ok(())
    })
}

/// Runs of consecutive finite values as polylines (a `NaN` breaks the line).
fn finite_runs(
    dates: &[NaiveDate],
    values: &[f64],
    day: &dyn Fn(&NaiveDate) -> f64,
) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for (d, &v) in dates.iter().zip(values) {
        if v.is_finite() {
            current.push((day(d), v));
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Tick dates with labels: 1 January of each year (every k-th year for long
/// spans) or the first of every m-th month for spans under two years.
fn date_ticks(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, String)> {
    let days = (last - first).num_days();
    let mut ticks = Vec::new();
    if days > 730 {
        let years = (last.year() - first.year()).max(1);
        let every = [1, 2, 5, 10, 20, 50, 100]
            .into_iter()
            .find(|k| years / k <= 10)
            .unwrap_or(100);
        for y in first.year()..=last.year() + 1 {
            if y % every != 0 {
                continue;
            }
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                if d >= first && d <= last {
                    ticks.push((d, y.to_string()));
                }
            }
        }
    } else {
        let months = (days / 30).max(1);
        let every = [1, 2, 3, 6]
            .into_iter()
            .find(|k| months / k <= 8)
            .unwrap_or(6) as u32;
        let (mut y, mut m) = (first.year(), first.month());
        loop {
            if let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) {
                if d > last {
                    break;
                }
                if d >= first && (m - 1) % every == 0 {
                    ticks.push((d, d.format("%Y-%m").to_string()));
                }
            }
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_stats_match_numpy_and_matplotlib() {
        // numpy.percentile(x, [25, 50, 75]) for x = 1..=9 plus 30:
        // 3.25, 5.5, 7.75; IQR 4.5, upper fence 14.5 → whisker 9, outlier 30.
        let mut x: Vec<f64> = (1..=9).map(f64::from).collect();
        x.push(30.0);
        x.push(f64::NAN);
        let s = box_stats(&x).unwrap();
        assert_eq!(s.n, 10);
        assert!((s.q1 - 3.25).abs() < 1e-12);
        assert!((s.median - 5.5).abs() < 1e-12);
        assert!((s.q3 - 7.75).abs() < 1e-12);
        assert_eq!((s.low, s.high), (1.0, 9.0));
        assert_eq!(s.outliers, vec![30.0]);
        assert!(box_stats(&[f64::NAN]).is_none());
    }

    #[test]
    fn units_from_labels() {
        assert_eq!(unit_of("linear rate v (mm/yr)").as_deref(), Some("mm/yr"));
        assert_eq!(unit_of("slope"), None);
    }

    #[test]
    fn date_ticks_years_and_months() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let t = date_ticks(d(2014, 10, 3), d(2019, 12, 20));
        let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2015", "2016", "2017", "2018", "2019"]);
        let t = date_ticks(d(2018, 5, 3), d(2018, 10, 20));
        assert_eq!(t.first().unwrap().1, "2018-06");
    }
}
