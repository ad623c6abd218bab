//! Colour maps: perceptual Viridis, a blue–white–red diverging map and a
//! terrain map, as piecewise-linear interpolation between anchor colours.

use plotters::style::RGBColor;

/// A colour map for continuous values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colormap {
    /// Perceptually uniform dark blue → green → yellow (matplotlib's viridis).
    #[default]
    Viridis,
    /// Blue → white → red, symmetric about 0 (ColorBrewer RdBu, reversed):
    /// for signed quantities such as deformation rates or correlations.
    Diverging,
    /// Green → yellow → brown → white, for elevations.
    Terrain,
}

// Viridis sampled at 17 evenly spaced points (matplotlib 3.11.2
// `colormaps["viridis"](k / 16)`, rounded to 8 bits).
const VIRIDIS: [(u8, u8, u8); 17] = [
    (68, 1, 84),
    (72, 24, 106),
    (71, 45, 123),
    (66, 64, 134),
    (59, 82, 139),
    (51, 99, 141),
    (44, 114, 142),
    (38, 130, 142),
    (33, 145, 140),
    (31, 160, 136),
    (40, 174, 128),
    (63, 188, 115),
    (94, 201, 98),
    (132, 212, 75),
    (173, 220, 48),
    (216, 226, 25),
    (253, 231, 37),
];
// ColorBrewer RdBu (11 classes) reversed: blue for negative, red for positive.
const DIVERGING: [(u8, u8, u8); 11] = [
    (5, 48, 97),
    (33, 102, 172),
    (67, 147, 195),
    (146, 197, 222),
    (209, 229, 240),
    (247, 247, 247),
    (253, 219, 199),
    (244, 165, 130),
    (214, 96, 77),
    (178, 24, 43),
    (103, 0, 31),
];
// A terrain ramp in the spirit of matplotlib's `terrain` (without the sea).
const TERRAIN: [(u8, u8, u8); 6] = [
    (0, 153, 102),
    (102, 204, 102),
    (230, 220, 120),
    (170, 140, 90),
    (140, 110, 100),
    (255, 255, 255),
];

impl Colormap {
    /// The 8-bit RGB colour at `t` in `[0, 1]` (clamped; `NaN` gives the
    /// low end), interpolated linearly between the map's anchor colours.
    pub fn rgb(self, t: f64) -> [u8; 3] {
        let RGBColor(r, g, b) = self.color(t);
        [r, g, b]
    }

    /// [`Colormap::rgb`] as a plotters colour.
    pub(crate) fn color(self, t: f64) -> RGBColor {
        let anchors: &[(u8, u8, u8)] = match self {
            Colormap::Viridis => &VIRIDIS,
            Colormap::Diverging => &DIVERGING,
            Colormap::Terrain => &TERRAIN,
        };
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let x = t * (anchors.len() - 1) as f64;
        let i = (x.floor() as usize).min(anchors.len() - 2);
        let f = x - i as f64;
        let (a, b) = (anchors[i], anchors[i + 1]);
        let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
        RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// A categorical palette (Tableau 10, then a second lighter set), cycled.
pub(crate) fn categorical(i: usize) -> RGBColor {
    const PALETTE: [(u8, u8, u8); 20] = [
        (31, 119, 180),
        (255, 127, 14),
        (44, 160, 44),
        (214, 39, 40),
        (148, 103, 189),
        (140, 86, 75),
        (227, 119, 194),
        (127, 127, 127),
        (188, 189, 34),
        (23, 190, 207),
        (174, 199, 232),
        (255, 187, 120),
        (152, 223, 138),
        (255, 152, 150),
        (197, 176, 213),
        (196, 156, 148),
        (247, 182, 210),
        (199, 199, 199),
        (219, 219, 141),
        (158, 218, 229),
    ];
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_middle() {
        assert_eq!(Colormap::Viridis.color(0.0), RGBColor(68, 1, 84));
        assert_eq!(Colormap::Viridis.color(1.0), RGBColor(253, 231, 37));
        assert_eq!(Colormap::Diverging.color(0.5), RGBColor(247, 247, 247));
        assert_eq!(Colormap::Terrain.color(2.0), RGBColor(255, 255, 255));
        assert_eq!(Colormap::Viridis.color(f64::NAN), RGBColor(68, 1, 84));
    }
}
