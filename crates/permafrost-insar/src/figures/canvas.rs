//! The drawing surface shared by every figure: the bundled font, an RGB
//! buffer drawn by plotters, PNG encoding and the atomic write; plus small
//! layout helpers (percentiles, nice numbers, text fitting).

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::error::{Error, Result};
use crate::io::write_atomically;

/// The font family every figure uses (registered from the bundled TTF).
pub(crate) const FONT: &str = "sans-serif";
/// DejaVu Sans 2.37 (Bitstream Vera licence, see `assets/DejaVuSans-LICENSE.txt`).
static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// Font sizes in pixels (the figures are about 1000 × 700: these read like
/// 12–16 pt text on a 100 dpi print).
pub(crate) const TITLE_SIZE: f64 = 28.0;
pub(crate) const LABEL_SIZE: f64 = 21.0;
pub(crate) const TICK_SIZE: f64 = 17.0;
pub(crate) const SMALL_SIZE: f64 = 15.0;

/// The drawing area of a figure.
pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;
/// What drawing code returns: plotters' errors boxed.
pub(crate) type DrawResult = std::result::Result<(), Box<dyn std::error::Error>>;

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is bundled and checked by the tests; a failure here would
        // show as "font unavailable" drawing errors, not as a panic.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// A text style of the bundled font.
pub(crate) fn text(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

/// Renders a `size` figure with `draw` onto a white canvas and writes it as
/// PNG to `path` atomically.
pub(crate) fn render(
    path: &Path,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> DrawResult,
) -> Result<()> {
    register_font();
    let (w, h) = size;
    let mut buf = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        let drawn = root
            .fill(&WHITE)
            .map_err(|e| -> Box<dyn std::error::Error> { Box::new(e) })
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(|e| e.into()));
        drawn.map_err(|e| Error::format(path, format!("cannot draw the figure: {e}")))?;
    }
    write_atomically(path, |tmp| write_png(tmp, &buf, w, h))
}

/// Encodes an 8-bit RGB buffer as PNG.
fn write_png(path: &Path, rgb: &[u8], w: u32, h: u32) -> Result<()> {
    let file = File::create(path).map_err(|e| Error::io(path, e))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let fail = |e: png::EncodingError| Error::format(path, format!("cannot encode PNG: {e}"));
    let mut writer = encoder.write_header().map_err(fail)?;
    writer.write_image_data(rgb).map_err(fail)?;
    writer.finish().map_err(fail)
}

/// Draws `title` centred at the top of `area` and returns the area below it.
pub(crate) fn titled<'a>(
    area: &Area<'a>,
    title: &str,
) -> std::result::Result<Area<'a>, Box<dyn std::error::Error>> {
    let style = text(TITLE_SIZE).pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Top,
    ));
    let (w, _) = area.dim_in_pixel();
    let title = fit_text(area, title, &text(TITLE_SIZE), w.saturating_sub(20));
    area.draw_text(&title, &style, (w as i32 / 2, 12))?;
    Ok(area
        .clone()
        .shrink((0, 52), (w, area.dim_in_pixel().1.saturating_sub(52))))
}

/// `s` shortened with an ellipsis so that it is at most `max_px` wide.
pub(crate) fn fit_text(area: &Area<'_>, s: &str, style: &TextStyle<'_>, max_px: u32) -> String {
    let width = |t: &str| {
        area.estimate_text_size(t, style)
            .map(|(w, _)| w)
            .unwrap_or(0)
    };
    if width(s) <= max_px {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let t: String = chars[..n].iter().collect::<String>() + "…";
        if width(&t) <= max_px {
            return t;
        }
    }
    "…".to_string()
}

/// Width in pixels of `s` in `style`.
pub(crate) fn text_width(area: &Area<'_>, s: &str, style: &TextStyle<'_>) -> u32 {
    area.estimate_text_size(s, style)
        .map(|(w, _)| w)
        .unwrap_or(0)
}

/// The `p`-quantile (0…1) of sorted finite values, linear interpolation
/// between order statistics (numpy's default).
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let x = p.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let i = x.floor() as usize;
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + (sorted[j] - sorted[i]) * (x - i as f64)
}

/// The finite values of `values`, sorted.
pub(crate) fn sorted_finite(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// A range that is never empty: equal ends are widened.
pub(crate) fn padded_range(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi > lo {
        (lo, hi)
    } else {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - d, hi + d)
    }
}

/// The largest "nice" number (1, 2 or 5 × 10^k) not above `x` (> 0).
pub(crate) fn nice_floor(x: f64) -> f64 {
    let k = x.log10().floor();
    let base = 10f64.powf(k);
    let m = x / base;
    let nice = if m >= 5.0 {
        5.0
    } else if m >= 2.0 {
        2.0
    } else {
        1.0
    };
    nice * base
}

/// An empty-input error naming the argument.
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::Invalid(message.into())
}

/// A tick label for `v` on an axis spanning `span`: as many decimals as the
/// tick spacing needs, no `-0`.
pub(crate) fn fmt_tick(v: f64, span: f64) -> String {
    let step = if span.is_finite() && span > 0.0 {
        nice_floor(span / 6.0)
    } else {
        1.0
    };
    let big = v.abs().max(span.abs());
    if big >= 1e7 || (big > 0.0 && big < 1e-4) {
        return format!("{v:.2e}");
    }
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// About `target` nice tick values (1, 2, 5 × 10^k apart) inside `[lo, hi]`.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo && (hi - lo).is_finite()) {
        return Vec::new();
    }
    let raw = (hi - lo) / target.max(2) as f64;
    let count = |step: f64| ((hi / step + 1e-9).floor() - (lo / step - 1e-9).ceil() + 1.0) as i64;
    let small = nice_floor(raw);
    let large = nice_floor(raw * 2.5 + 1e-12).max(small * 2.0);
    let step = if (count(small) - target as i64).abs() <= (count(large) - target as i64).abs() {
        small
    } else {
        large
    };
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear() {
        // numpy.percentile([1, 2, 3, 4, 10], [2, 25, 50, 98]) = 1.08, 2, 3, 9.52
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_sorted(&v, 0.02) - 1.08).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.25) - 2.0).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.5) - 3.0).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.98) - 9.52).abs() < 1e-12);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_floor(7.3), 5.0);
        assert_eq!(nice_floor(3400.0), 2000.0);
        assert_eq!(nice_floor(0.0123), 0.01);
    }

    #[test]
    fn ticks_and_labels() {
        let close = |a: Vec<f64>, b: &[f64]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
        };
        let t = nice_ticks(-9.3, 9.3, 7);
        assert!(close(t, &[-8.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]));
        assert!(close(
            nice_ticks(0.0, 1.0, 7),
            &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        ));
        assert!(close(
            nice_ticks(-1.0, 1.0, 7),
            &[-1.0, -0.5, 0.0, 0.5, 1.0]
        ));
        assert!(nice_ticks(1.0, 1.0, 7).is_empty());
        assert_eq!(fmt_tick(0.30000000000000004, 1.0), "0.3");
        assert_eq!(fmt_tick(-0.0001, 1.0), "0.0");
        assert_eq!(fmt_tick(1500.0, 4000.0), "1500");
        assert_eq!(fmt_tick(3e12, 1e13), "3.00e12");
        assert!(nice_ticks(-1e308, 1e308, 7).is_empty());
    }

    #[test]
    fn map_range_percentiles_match_numpy() {
        // numpy.percentile(x, [2, 98]) written by
        // xtask/reference/figures/make_references.py (versions in the file).
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/data/figures_matplotlib.json")).unwrap();
        for b in doc["boxes"].as_array().unwrap() {
            let x: Vec<f64> = b["x"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let v = sorted_finite(x);
            for (p, key) in [(0.02, "p2"), (0.98, "p98")] {
                let want = b[key].as_f64().unwrap();
                assert!(
                    (quantile_sorted(&v, p) - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "{key}"
                );
            }
        }
    }
}
