//! Raster maps: continuous values with a colour bar, and label rasters with a
//! legend. Both keep square pixels, put row 0 at the top (north up) and, when
//! the pixel size is known, use km axes with a scale bar and a north arrow.

use std::collections::BTreeMap;
use std::path::Path;

use ndarray::ArrayView2;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{
    fit_text, fmt_tick, invalid, nice_floor, nice_ticks, padded_range, quantile_sorted, render,
    sorted_finite, text, text_width, titled, Area, DrawResult, LABEL_SIZE, SMALL_SIZE, TICK_SIZE,
};
use super::colormap::categorical;
use super::{Colormap, MapStyle, HEIGHT, WIDTH};
use crate::Result;

/// Grey of `NaN` pixels.
const NAN_GREY: RGBColor = RGBColor(185, 185, 185);
/// Light grey of background / noise labels.
const BACKGROUND: RGBColor = RGBColor(225, 225, 225);

type MapChart<'a> =
    ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub(crate) fn map(path: &Path, data: ArrayView2<'_, f64>, style: &MapStyle) -> Result<()> {
    check_raster(data.dim(), "data")?;
    check_pixel_size(style.pixel_size_m)?;
    if let Some((lo, hi)) = style.range {
        if !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return Err(invalid(format!(
                "map `{}`: range ({lo}, {hi}) must be finite with min < max",
                style.title
            )));
        }
    }
    let finite = sorted_finite(data.iter().copied());
    let (lo, hi) = match style.range {
        Some(r) => r,
        None => {
            let (lo, hi) = (
                quantile_sorted(&finite, 0.02),
                quantile_sorted(&finite, 0.98),
            );
            let (lo, hi) = if style.colormap == Colormap::Diverging {
                let m = lo.abs().max(hi.abs());
                (-m, m)
            } else {
                (lo, hi)
            };
            padded_range(lo, hi)
        }
    };
    let cmap = style.colormap;
    render(path, (WIDTH, HEIGHT), |root| {
        let body = titled(root, &style.title)?;
        let (bw, bh) = body.dim_in_pixel();
        let side = 170;
        let (left, right) = body.split_horizontally(bw - side);
        let chart = map_frame(&left, data.dim(), style.pixel_size_m)?;
        let (rows, cols) = data.dim();
        draw_raster(&chart, rows, cols, |r, c| {
            let v = data[(r, c)];
            if v.is_nan() {
                NAN_GREY
            } else {
                cmap.color((v - lo) / (hi - lo))
            }
        })?;
        if finite.is_empty() {
            note(&chart, "no finite values")?;
        }
        decorations(&chart, cols, style.pixel_size_m)?;
        // Colour bar beside the map, as tall as the map (at least 260 px).
        let (top, bottom) = pixel_extent_y(&chart);
        let bar_h = (bottom - top).max(260) as u32;
        let bar_top = (top - 52).max(40) as u32;
        let bar_area = right.clone().shrink(
            (20, bar_top),
            (side - 20, bar_h.min(bh.saturating_sub(bar_top))),
        );
        colour_bar(&bar_area, cmap, (lo, hi), &style.units)?;
        if data.iter().any(|v| v.is_nan()) && !finite.is_empty() {
            // A NaN swatch below the bar.
            let y = (bar_top + bar_h.min(bh.saturating_sub(bar_top)) + 14) as i32;
            if y + 20 < bh as i32 {
                right.draw(&Rectangle::new([(20, y), (48, y + 18)], NAN_GREY.filled()))?;
                right.draw(&Rectangle::new(
                    [(20, y), (48, y + 18)],
                    BLACK.stroke_width(1),
                ))?;
                right.draw_text("no data", &text(SMALL_SIZE), (56, y + 1))?;
            }
        }
        Ok(())
    })
}

pub(crate) fn labels_map(
    path: &Path,
    labels: ArrayView2<'_, i64>,
    title: &str,
    pixel_size_m: Option<f64>,
) -> Result<()> {
    check_raster(labels.dim(), "labels")?;
    check_pixel_size(pixel_size_m)?;
    // Pixel count per label; negative labels are background.
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    let mut n_background = 0usize;
    for &l in labels.iter() {
        if l < 0 {
            n_background += 1;
        } else {
            *counts.entry(l).or_default() += 1;
        }
    }
    let colour_of: BTreeMap<i64, RGBColor> = counts
        .keys()
        .enumerate()
        .map(|(i, &l)| (l, categorical(i)))
        .collect();
    render(path, (WIDTH, HEIGHT), |root| {
        let body = titled(root, title)?;
        let (bw, _) = body.dim_in_pixel();
        let side = 270;
        let (left, right) = body.split_horizontally(bw - side);
        let chart = map_frame(&left, labels.dim(), pixel_size_m)?;
        let (rows, cols) = labels.dim();
        draw_raster(&chart, rows, cols, |r, c| {
            let l = labels[(r, c)];
            if l < 0 {
                BACKGROUND
            } else {
                colour_of[&l]
            }
        })?;
        if counts.is_empty() {
            note(&chart, "no labelled pixels")?;
        }
        decorations(&chart, cols, pixel_size_m)?;
        // Legend.
        let (top, bottom) = pixel_extent_y(&chart);
        let mut entries: Vec<(RGBColor, String, String)> = Vec::new();
        if n_background > 0 {
            entries.push((
                BACKGROUND,
                "background".into(),
                format!("{n_background} px"),
            ));
        }
        for (l, n) in &counts {
            entries.push((colour_of[l], format!("label {l}"), format!("{n} px")));
        }
        let line = 26;
        let y0 = (top - 52).max(10) + 36;
        let room = ((bottom - 52).max(y0 + 10 * line) - y0) / line;
        let room = room.max(3) as usize;
        let total = entries.len();
        if total > room {
            entries.truncate(room - 1);
            let more = format!("… {} more", total - (room - 1));
            entries.push((WHITE, more, String::new()));
        }
        right.draw_text("labels", &text(LABEL_SIZE), (16, y0 - 36))?;
        let left_mid = text(TICK_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
        let right_mid = text(SMALL_SIZE).pos(Pos::new(HPos::Right, VPos::Center));
        for (k, (colour, name, count)) in entries.iter().enumerate() {
            let y = y0 + k as i32 * line;
            if *colour != WHITE {
                right.draw(&Rectangle::new([(16, y), (38, y + 18)], colour.filled()))?;
                right.draw(&Rectangle::new(
                    [(16, y), (38, y + 18)],
                    BLACK.stroke_width(1),
                ))?;
            }
            let name = fit_text(&right, name, &text(TICK_SIZE), side - 150);
            right.draw_text(&name, &left_mid, (46, y + 9))?;
            right.draw_text(count, &right_mid, (side as i32 - 14, y + 9))?;
        }
        Ok(())
    })
}

/// Lays out square pixels in `area` and draws the axes; returns the chart
/// whose plotting area is exactly the raster.
fn map_frame<'a>(
    area: &Area<'a>,
    (rows, cols): (usize, usize),
    pixel_size_m: Option<f64>,
) -> std::result::Result<MapChart<'a>, Box<dyn std::error::Error>> {
    let (aw, ah) = area.dim_in_pixel();
    let (y_lab, x_lab, top, right) = (90u32, 70u32, 10u32, 20u32);
    let max_w = aw.saturating_sub(y_lab + right).max(10) as f64;
    let max_h = ah.saturating_sub(x_lab + top).max(10) as f64;
    let scale = (max_w / cols as f64).min(max_h / rows as f64);
    // Square pixels, except that a very thin raster is stretched to at
    // least 200 px across (the axes keep their true units).
    let min_side = 200u32;
    let pw = ((cols as f64 * scale).round() as u32).clamp(min_side.min(max_w as u32), max_w as u32);
    let ph = ((rows as f64 * scale).round() as u32).clamp(min_side.min(max_h as u32), max_h as u32);
    let x0 = (aw.saturating_sub(y_lab + pw + right) / 2).max(12);
    let pw = pw.min(aw.saturating_sub(x0 + y_lab + right).max(1));
    // Centred vertically in the space below the title.
    let y0 = top + ah.saturating_sub(top + ph + x_lab) / 2;
    let sub = area.clone().shrink((x0, y0), (y_lab + pw, ph + x_lab));
    let (x_range, y_range, x_desc, y_desc) = match pixel_size_m {
        Some(p) => (
            0.0..cols as f64 * p / 1000.0,
            0.0..rows as f64 * p / 1000.0,
            "distance east (km)",
            "distance north (km)",
        ),
        // Rows counted downwards: the axis runs over −rows…0 and prints |y|.
        None => (
            0.0..cols as f64,
            -(rows as f64)..0.0,
            "column (pixel)",
            "row (pixel)",
        ),
    };
    let mut chart = ChartBuilder::on(&sub)
        .margin(0)
        .x_label_area_size(x_lab)
        .y_label_area_size(y_lab)
        .build_cartesian_2d(x_range.clone(), y_range.clone())?;
    let x_span = x_range.end - x_range.start;
    let y_span = y_range.end - y_range.start;
    let fx = move |v: &f64| fmt_tick(*v, x_span);
    let fy = move |v: &f64| fmt_tick(v.abs(), y_span);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(7)
        .y_labels(7)
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .label_style(text(TICK_SIZE))
        .axis_desc_style(text(LABEL_SIZE))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(chart)
}

/// Fills the plotting area pixel by pixel (nearest raster cell).
fn draw_raster(
    chart: &MapChart<'_>,
    rows: usize,
    cols: usize,
    colour: impl Fn(usize, usize) -> RGBColor,
) -> DrawResult {
    let area = chart.plotting_area().strip_coord_spec();
    let (pw, ph) = area.dim_in_pixel();
    let mut buf = vec![0u8; pw as usize * ph as usize * 3];
    let col_of: Vec<usize> = (0..pw as usize)
        .map(|x| ((x * cols) / pw as usize).min(cols - 1))
        .collect();
    for y in 0..ph as usize {
        let r = ((y * rows) / ph as usize).min(rows - 1);
        for (x, &c) in col_of.iter().enumerate() {
            let RGBColor(red, green, blue) = colour(r, c);
            let k = (y * pw as usize + x) * 3;
            buf[k] = red;
            buf[k + 1] = green;
            buf[k + 2] = blue;
        }
    }
    let image = BitMapElement::with_owned_buffer((0, 0), (pw, ph), buf)
        .ok_or("raster buffer has the wrong size")?;
    area.draw(&image)?;
    area.draw(&Rectangle::new(
        [(0, 0), (pw as i32 - 1, ph as i32 - 1)],
        BLACK.stroke_width(1),
    ))?;
    Ok(())
}

/// Scale bar (lower left) and north arrow (upper right) when the pixel size
/// is known.
fn decorations(chart: &MapChart<'_>, cols: usize, pixel_size_m: Option<f64>) -> DrawResult {
    let Some(p) = pixel_size_m else {
        return Ok(());
    };
    let area = chart.plotting_area().strip_coord_spec();
    let (pw, ph) = area.dim_in_pixel();
    let (pw, ph) = (pw as i32, ph as i32);
    // Scale bar: a nice length near a quarter of the map width.
    let width_m = cols as f64 * p;
    let length_m = nice_floor(width_m / 4.0);
    let bar_px = ((length_m / width_m) * pw as f64).round() as i32;
    let label = if length_m >= 1000.0 {
        format!("{} km", length_m / 1000.0)
    } else {
        format!("{length_m} m")
    };
    let label_w = text_width(&area, &label, &text(SMALL_SIZE)) as i32;
    if ph > 70 && bar_px > 4 {
        let box_w = bar_px.max(label_w) + 20;
        let (bx, by) = (8, ph - 52);
        area.draw(&Rectangle::new(
            [(bx, by), (bx + box_w, ph - 8)],
            WHITE.mix(0.85).filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(bx, by), (bx + box_w, ph - 8)],
            BLACK.stroke_width(1),
        ))?;
        let x0 = bx + (box_w - bar_px) / 2;
        let y = ph - 24;
        for k in 0..4 {
            let xa = x0 + k * bar_px / 4;
            let xb = x0 + (k + 1) * bar_px / 4;
            let fill = if k % 2 == 0 { BLACK } else { WHITE };
            area.draw(&Rectangle::new([(xa, y), (xb, y + 8)], fill.filled()))?;
        }
        area.draw(&Rectangle::new(
            [(x0, y), (x0 + bar_px, y + 8)],
            BLACK.stroke_width(1),
        ))?;
        let style = text(SMALL_SIZE).pos(Pos::new(HPos::Center, VPos::Bottom));
        area.draw_text(&label, &style, (bx + box_w / 2, y - 3))?;
    }
    // North arrow.
    if pw > 80 && ph > 80 {
        let (cx, ty) = (pw - 26, 10);
        area.draw(&Rectangle::new(
            [(cx - 16, ty), (cx + 16, ty + 52)],
            WHITE.mix(0.85).filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(cx - 16, ty), (cx + 16, ty + 52)],
            BLACK.stroke_width(1),
        ))?;
        area.draw(&Polygon::new(
            vec![
                (cx, ty + 24),
                (cx - 8, ty + 46),
                (cx, ty + 40),
                (cx + 8, ty + 46),
            ],
            BLACK.filled(),
        ))?;
        let style = text(SMALL_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text("N", &style, (cx, ty + 3))?;
    }
    Ok(())
}

/// A centred note on the map (e.g. "no finite values").
fn note(chart: &MapChart<'_>, message: &str) -> DrawResult {
    let area = chart.plotting_area().strip_coord_spec();
    let (pw, ph) = area.dim_in_pixel();
    let style = text(LABEL_SIZE).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(message, &style, (pw as i32 / 2, ph as i32 / 2))?;
    Ok(())
}

/// Top and bottom pixel rows of the plotting area (in the figure's pixels).
fn pixel_extent_y(chart: &MapChart<'_>) -> (i32, i32) {
    let (_, y) = chart.plotting_area().get_pixel_range();
    (y.start, y.end)
}

/// A vertical colour bar over `(lo, hi)` with ticks and the units above it.
pub(crate) fn colour_bar(
    area: &Area<'_>,
    cmap: Colormap,
    (lo, hi): (f64, f64),
    units: &str,
) -> DrawResult {
    let (w, h) = area.dim_in_pixel();
    let units = fit_text(area, units, &text(LABEL_SIZE), w.saturating_sub(4));
    area.draw_text(&units, &text(LABEL_SIZE), (0, 0))?;
    let (x0, x1) = (0i32, 28i32);
    let (top, bottom) = (40i32, h as i32 - 6);
    if bottom <= top + 10 {
        return Ok(());
    }
    let span = hi - lo;
    let to_y = |v: f64| bottom as f64 - (v - lo) / span * (bottom - top) as f64;
    for y in top..=bottom {
        let t = (bottom - y) as f64 / (bottom - top) as f64;
        area.draw(&PathElement::new(vec![(x0, y), (x1, y)], cmap.color(t)))?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        BLACK.stroke_width(1),
    ))?;
    let style = text(TICK_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    for v in nice_ticks(lo, hi, 7) {
        let y = to_y(v).round() as i32;
        area.draw(&PathElement::new(vec![(x1, y), (x1 + 6, y)], BLACK))?;
        area.draw_text(&fmt_tick(v, span), &style, (x1 + 10, y))?;
    }
    Ok(())
}

fn check_raster((rows, cols): (usize, usize), what: &str) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(invalid(format!(
            "map: `{what}` is empty ({rows} rows × {cols} columns)"
        )));
    }
    Ok(())
}

fn check_pixel_size(pixel_size_m: Option<f64>) -> Result<()> {
    match pixel_size_m {
        Some(p) if !(p.is_finite() && p > 0.0) => Err(invalid(format!(
            "map: pixel size {p} m must be positive and finite"
        ))),
        _ => Ok(()),
    }
}
