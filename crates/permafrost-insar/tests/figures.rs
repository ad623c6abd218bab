//! Figures and the HTML report: every figure kind renders a 1000 × 700 RGB
//! PNG (decoded here), planted values show up as their colours where they
//! should, bad input gives a clear error and writes nothing, `NaN`-only input
//! still renders, box statistics and colour maps agree with matplotlib
//! (reference values in `tests/data/figures_matplotlib.json`, written by
//! `xtask/reference/figures/make_references.py`), and the report embeds and
//! escapes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ndarray::Array2;
use permafrost_insar::figures::{self, box_stats, Colormap, MapStyle, Series};
use permafrost_insar::report::Report;
use proptest::prelude::*;

struct Png {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Png {
    fn count(&self, colour: [u8; 3]) -> usize {
        self.rgb.chunks_exact(3).filter(|p| *p == colour).count()
    }

    /// Mean row of the pixels of exactly `colour`.
    fn mean_row(&self, colour: [u8; 3]) -> f64 {
        let (mut sum, mut n) = (0.0, 0.0);
        for (k, p) in self.rgb.chunks_exact(3).enumerate() {
            if p == colour {
                sum += (k / self.width as usize) as f64;
                n += 1.0;
            }
        }
        sum / n
    }
}

fn decode(path: &Path) -> Png {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    Png {
        width: info.width,
        height: info.height,
        rgb: buf,
    }
}

fn assert_figure(path: &Path) -> Png {
    let png = decode(path);
    assert_eq!((png.width, png.height), (figures::WIDTH, figures::HEIGHT));
    assert_eq!((png.width, png.height), (1000, 700));
    // Not blank: some dark (text, axes) pixels.
    assert!(png.count([0, 0, 0]) > 500, "{} looks blank", path.display());
    png
}

/// No temporary files left in `dir`.
fn assert_clean(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        assert!(!name.contains(".tmp"), "temporary file left: {name}");
    }
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn style(colormap: Colormap, range: Option<(f64, f64)>) -> MapStyle {
    MapStyle {
        title: "planted".into(),
        units: "mm/yr".into(),
        colormap,
        range,
        pixel_size_m: Some(90.0),
    }
}

#[test]
fn map_draws_planted_values_north_up_and_nan_grey() {
    let dir = tempfile::tempdir().unwrap();
    // Top half 1, bottom half 0, one NaN column block.
    let data = Array2::from_shape_fn((60, 80), |(r, c)| {
        if c >= 70 {
            f64::NAN
        } else if r < 30 {
            1.0
        } else {
            0.0
        }
    });
    let path = dir.path().join("map.png");
    figures::map(
        &path,
        data.view(),
        &style(Colormap::Viridis, Some((0.0, 1.0))),
    )
    .unwrap();
    let png = assert_figure(&path);
    let (hi, lo) = (Colormap::Viridis.rgb(1.0), Colormap::Viridis.rgb(0.0));
    // The raster is several hundred pixels across: the planted colours fill
    // large areas (the colour bar holds only a few rows of each end colour).
    assert!(png.count(hi) > 20_000, "{}", png.count(hi));
    assert!(png.count(lo) > 20_000, "{}", png.count(lo));
    assert!(png.count([185, 185, 185]) > 5_000, "NaN grey");
    // Row 0 is at the top.
    assert!(png.mean_row(hi) < png.mean_row(lo));
    assert_clean(dir.path());
}

#[test]
fn map_range_defaults_to_percentiles_symmetric_for_diverging() {
    let dir = tempfile::tempdir().unwrap();
    // Values −1…3: the diverging range is symmetric, so 0 is white-ish
    // (the map's centre colour) and present in the raster.
    let data = Array2::from_shape_fn((50, 50), |(r, _)| if r < 25 { 0.0 } else { 3.0 });
    let path = dir.path().join("div.png");
    figures::map(&path, data.view(), &style(Colormap::Diverging, None)).unwrap();
    let png = assert_figure(&path);
    assert!(png.count(Colormap::Diverging.rgb(0.5)) > 20_000);
    assert!(png.count(Colormap::Diverging.rgb(1.0)) > 20_000);
}

#[test]
fn maps_without_finite_values_or_pixel_size_still_render() {
    let dir = tempfile::tempdir().unwrap();
    for (k, data) in [
        Array2::from_elem((10, 10), f64::NAN),
        Array2::from_elem((1, 1), 5.0),
        Array2::from_elem((3, 500), f64::INFINITY),
        Array2::from_shape_fn((700, 20), |(r, c)| (r * c) as f64),
    ]
    .iter()
    .enumerate()
    {
        let path = dir.path().join(format!("m{k}.png"));
        let mut s = style(Colormap::Terrain, None);
        s.pixel_size_m = if k % 2 == 0 { None } else { Some(30.0) };
        figures::map(&path, data.view(), &s).unwrap();
        assert_figure(&path);
    }
}

#[test]
fn map_errors_name_the_problem_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.png");
    let empty = Array2::<f64>::zeros((0, 5));
    let e = figures::map(&path, empty.view(), &style(Colormap::Viridis, None)).unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    let data = Array2::<f64>::zeros((5, 5));
    let e = figures::map(
        &path,
        data.view(),
        &style(Colormap::Viridis, Some((2.0, 1.0))),
    )
    .unwrap_err();
    assert!(e.to_string().contains("range"), "{e}");
    let mut s = style(Colormap::Viridis, None);
    s.pixel_size_m = Some(-3.0);
    let e = figures::map(&path, data.view(), &s).unwrap_err();
    assert!(e.to_string().contains("pixel size"), "{e}");
    let labels = Array2::<i64>::zeros((4, 0));
    let e = figures::labels_map(&path, labels.view(), "x", None).unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    assert!(!path.exists());
    // A missing output folder is named.
    let nowhere = dir.path().join("no/such/folder/map.png");
    let e = figures::map(&nowhere, data.view(), &style(Colormap::Viridis, None)).unwrap_err();
    assert!(e.to_string().contains("no/such/folder"), "{e}");
    assert_clean(dir.path());
}

#[test]
fn labels_map_colours_and_background() {
    let dir = tempfile::tempdir().unwrap();
    let labels = Array2::from_shape_fn((100, 120), |(r, c)| match (r / 50, c / 60) {
        (0, 0) => 0,
        (1, 1) => 7,
        _ => -1,
    });
    let path = dir.path().join("labels.png");
    figures::labels_map(&path, labels.view(), "hotspots", Some(90.0)).unwrap();
    let png = assert_figure(&path);
    // First and second categorical colours (Tableau 10) and the background.
    assert!(png.count([31, 119, 180]) > 10_000);
    assert!(png.count([255, 127, 14]) > 10_000);
    assert!(png.count([225, 225, 225]) > 20_000);
    // Many labels: the legend is shortened, nothing fails.
    let many = Array2::from_shape_fn((60, 60), |(r, c)| ((r / 6) * 10 + c / 6) as i64);
    let path = dir.path().join("many.png");
    figures::labels_map(&path, many.view(), "100 labels", None).unwrap();
    assert_figure(&path);
    // Only background.
    let none = Array2::from_elem((20, 20), -1i64);
    let path = dir.path().join("none.png");
    figures::labels_map(&path, none.view(), "nothing", None).unwrap();
    assert_figure(&path);
}

#[test]
fn boxplot_renders_and_checks_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let classes = strings(&[
        "0–5°",
        "5–10°",
        "a very long class name that cannot fit",
        "empty",
    ]);
    let groups = vec![
        (0..50).map(|i| i as f64 * 0.1).collect(),
        vec![1.0, 2.0, f64::NAN, 40.0],
        vec![-3.0; 10],
        vec![f64::NAN],
    ];
    let path = dir.path().join("box.png");
    figures::binned_boxplot(&path, "box", "slope (°)", "v (mm/yr)", &classes, &groups).unwrap();
    assert_figure(&path);
    let e = figures::binned_boxplot(&path, "box", "x", "y", &classes, &groups[..2]).unwrap_err();
    assert!(e.to_string().contains("4 classes but 2 groups"), "{e}");
    let e = figures::binned_boxplot(&path, "box", "x", "y", &[], &[]).unwrap_err();
    assert!(e.to_string().contains("no classes"), "{e}");
    // All NaN: renders with a note.
    let path = dir.path().join("box_nan.png");
    figures::binned_boxplot(&path, "nan", "x", "y", &classes, &vec![vec![f64::NAN]; 4]).unwrap();
    assert_figure(&path);
    // Many classes.
    let classes: Vec<String> = (0..40).map(|k| format!("class {k}")).collect();
    let groups: Vec<Vec<f64>> = (0..40).map(|k| vec![k as f64, k as f64 + 1.0]).collect();
    let path = dir.path().join("box_many.png");
    figures::binned_boxplot(&path, "many", "class", "value (m)", &classes, &groups).unwrap();
    assert_figure(&path);
}

#[test]
fn q_bars_render_and_check_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let names = strings(&["NDVI", "ground ice", "slope", "aspect"]);
    let path = dir.path().join("q.png");
    figures::q_bars(
        &path,
        "q",
        &names,
        &[0.3, 0.5, f64::NAN, 0.01],
        &[true, true, false, false],
    )
    .unwrap();
    assert_figure(&path);
    let path = dir.path().join("q0.png");
    figures::q_bars(&path, "q", &names, &[0.0; 4], &[false; 4]).unwrap();
    assert_figure(&path);
    let e = figures::q_bars(&path, "q", &names, &[0.3], &[true; 4]).unwrap_err();
    assert!(e.to_string().contains("4 names, 1 q values"), "{e}");
    let e = figures::q_bars(&path, "q", &[], &[], &[]).unwrap_err();
    assert!(e.to_string().contains("no factors"), "{e}");
}

#[test]
fn correlation_heatmap_colours_lower_triangle() {
    let dir = tempfile::tempdir().unwrap();
    let names = strings(&["a", "b", "c"]);
    // Off-diagonal −1 in the lower triangle, +1 on the diagonal; the upper
    // triangle holds 0 (white-ish) and must not be drawn.
    let m = Array2::from_shape_fn((3, 3), |(i, j)| match i.cmp(&j) {
        std::cmp::Ordering::Equal => 1.0,
        std::cmp::Ordering::Greater => -1.0,
        std::cmp::Ordering::Less => 0.0,
    });
    let path = dir.path().join("corr.png");
    figures::correlation_heatmap(&path, "corr", &names, m.view()).unwrap();
    let png = assert_figure(&path);
    let (red, blue, white) = (
        Colormap::Diverging.rgb(1.0),
        Colormap::Diverging.rgb(0.0),
        Colormap::Diverging.rgb(0.5),
    );
    // 3 diagonal and 3 lower cells of equal size (minus printed values).
    let (r, b) = (png.count(red) as f64, png.count(blue) as f64);
    assert!(r > 10_000.0 && b > 10_000.0, "{r} {b}");
    assert!((r / b - 1.0).abs() < 0.2, "{r} {b}");
    // The upper triangle is not drawn: its white would be ~3 cells large.
    assert!((png.count(white) as f64) < 0.2 * r);
    let e = figures::correlation_heatmap(&path, "corr", &names, Array2::zeros((3, 2)).view())
        .unwrap_err();
    assert!(e.to_string().contains("3 × 3"), "{e}");
    let path = dir.path().join("corr_nan.png");
    figures::correlation_heatmap(
        &path,
        "nan",
        &names[..1],
        Array2::from_elem((1, 1), f64::NAN).view(),
    )
    .unwrap();
    assert_figure(&path);
    let many: Vec<String> = (0..30).map(|k| format!("factor number {k}")).collect();
    let path = dir.path().join("corr_many.png");
    figures::correlation_heatmap(
        &path,
        "many",
        &many,
        Array2::from_elem((30, 30), 0.3).view(),
    )
    .unwrap();
    assert_figure(&path);
}

#[test]
fn histograms_cdf_render_and_check_bins() {
    let dir = tempfile::tempdir().unwrap();
    let edges: Vec<f64> = (0..=10).map(f64::from).collect();
    let groups = vec![
        ("a".to_string(), vec![1.0; 10]),
        ("b".to_string(), (0..10).map(f64::from).collect()),
        ("empty".to_string(), vec![0.0; 10]),
    ];
    let path = dir.path().join("hist.png");
    figures::histograms_cdf(&path, "h", "rate (mm/yr)", &edges, &groups).unwrap();
    let png = assert_figure(&path);
    assert!(png.count([31, 119, 180]) > 200, "first group's lines");
    let e = figures::histograms_cdf(&path, "h", "x", &edges[..1], &groups).unwrap_err();
    assert!(e.to_string().contains("at least 2 bin edges"), "{e}");
    let e = figures::histograms_cdf(&path, "h", "x", &[0.0, 2.0, 1.0], &groups).unwrap_err();
    assert!(e.to_string().contains("increasing"), "{e}");
    let e = figures::histograms_cdf(&path, "h", "x", &edges[..5], &groups).unwrap_err();
    assert!(
        e.to_string().contains("group `a` has 10 values for 4 bins"),
        "{e}"
    );
    let bad = vec![("neg".to_string(), vec![-1.0; 10])];
    let e = figures::histograms_cdf(&path, "h", "x", &edges, &bad).unwrap_err();
    assert!(e.to_string().contains("group `neg`, bin 0"), "{e}");
    let e = figures::histograms_cdf(&path, "h", "x", &edges, &[]).unwrap_err();
    assert!(e.to_string().contains("no groups"), "{e}");
}

#[test]
fn time_series_render_and_check_lengths() {
    let dir = tempfile::tempdir().unwrap();
    let start = NaiveDate::from_ymd_opt(2014, 10, 3).unwrap();
    let dates: Vec<NaiveDate> = (0..100)
        .map(|k| start + chrono::Duration::days(24 * k))
        .collect();
    let series = vec![
        Series {
            name: "pixel (3, 4)".into(),
            observed: (0..100)
                .map(|k| {
                    if k % 10 == 0 {
                        f64::NAN
                    } else {
                        -0.1 * k as f64
                    }
                })
                .collect(),
            fitted: Some((0..100).map(|k| -0.1 * k as f64).collect()),
        },
        Series {
            name: "observed only".into(),
            observed: vec![f64::NAN; 100],
            fitted: None,
        },
    ];
    let path = dir.path().join("ts.png");
    figures::time_series(&path, "ts", "LOS (mm)", &dates, &series).unwrap();
    let png = assert_figure(&path);
    assert!(png.count([31, 119, 180]) > 500, "first series");
    // One date, all NaN.
    let one = vec![Series {
        name: "x".into(),
        observed: vec![f64::NAN],
        fitted: Some(vec![f64::NAN]),
    }];
    let path = dir.path().join("ts1.png");
    figures::time_series(&path, "one", "y (m)", &dates[..1], &one).unwrap();
    assert_figure(&path);
    let e = figures::time_series(&path, "ts", "y", &dates[..5], &series).unwrap_err();
    assert!(
        e.to_string().contains("100 observations for 5 dates"),
        "{e}"
    );
    let e = figures::time_series(&path, "ts", "y", &[], &series).unwrap_err();
    assert!(e.to_string().contains("no dates"), "{e}");
    let e = figures::time_series(&path, "ts", "y", &dates, &[]).unwrap_err();
    assert!(e.to_string().contains("no series"), "{e}");
}

#[test]
fn existing_figures_are_replaced_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fig.png");
    std::fs::write(&path, b"old").unwrap();
    let data = Array2::from_elem((5, 5), 1.0);
    // A failing call leaves the old file as it was.
    let bad = Array2::<f64>::zeros((0, 0));
    assert!(figures::map(&path, bad.view(), &style(Colormap::Viridis, None)).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    figures::map(&path, data.view(), &style(Colormap::Viridis, None)).unwrap();
    assert_figure(&path);
    assert_clean(dir.path());
}

// ---------------------------------------------------------------- reference

fn reference() -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/figures_matplotlib.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn box_stats_match_matplotlib() {
    let doc = reference();
    let boxes = doc["boxes"].as_array().unwrap();
    assert!(boxes.len() >= 5);
    for b in boxes {
        let name = b["name"].as_str().unwrap();
        let s = box_stats(&floats(&b["x"])).unwrap();
        for (ours, key) in [
            (s.q1, "q1"),
            (s.median, "median"),
            (s.q3, "q3"),
            (s.low, "whislo"),
            (s.high, "whishi"),
        ] {
            let theirs = b[key].as_f64().unwrap();
            assert!(
                (ours - theirs).abs() <= 1e-9 * theirs.abs().max(1.0),
                "{name} {key}: {ours} vs {theirs}"
            );
        }
        assert_eq!(s.outliers, floats(&b["fliers"]), "{name} fliers");
        assert_eq!(s.n, b["x"].as_array().unwrap().len());
    }
}

#[test]
fn colormaps_match_matplotlib_within_four_levels() {
    let doc = reference();
    for (ours, key) in [
        (Colormap::Viridis, "viridis"),
        (Colormap::Diverging, "diverging"),
    ] {
        let c = &doc["colormaps"][key];
        for (t, rgb) in floats(&c["t"]).iter().zip(c["rgb"].as_array().unwrap()) {
            let want: Vec<i64> = rgb
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            let got = ours.rgb(*t);
            for k in 0..3 {
                assert!(
                    (got[k] as i64 - want[k]).abs() <= 4,
                    "{key} at {t}: {got:?} vs {want:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------- report

/// Decodes standard base64 (for checking the embedded figure).
fn unbase64(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let n = chunk.iter().filter(|&&c| c != b'=').count();
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = if c == b'=' { 0 } else { value(c) as u32 };
            acc |= v << (18 - 6 * i);
        }
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&bytes[..n - 1]);
    }
    out
}

#[test]
fn report_embeds_figures_and_escapes_text() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("fig.png");
    figures::map(
        &png,
        Array2::from_elem((4, 4), 1.0).view(),
        &style(Colormap::Viridis, None),
    )
    .unwrap();
    let mut report = Report::new("Study <b>demo</b>");
    report.section("Results & <script>alert(1)</script>");
    report.paragraph("first paragraph\n\nsecond \"quoted\" one");
    report.figure(&png, "rate <map>").unwrap();
    report.table(
        &["name", "value"],
        &[
            vec!["<i>x</i>".into(), "1.5".into()],
            vec!["short row".into()],
        ],
    );
    let out = dir.path().join("report.html");
    report.write(&out).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>demo"));
    assert!(!html.contains("<i>x"));
    assert!(html.contains("Results &amp; &lt;script&gt;"));
    assert!(html.contains("<p>second &quot;quoted&quot; one</p>"));
    assert!(html.contains("<td class=\"num\">1.5</td>"));
    assert!(html.contains("rate &lt;map&gt;"));
    // The embedded figure decodes to the PNG's bytes.
    let start = html.find("data:image/png;base64,").unwrap() + "data:image/png;base64,".len();
    let end = start + html[start..].find('"').unwrap();
    assert_eq!(unbase64(&html[start..end]), std::fs::read(&png).unwrap());
    // Self-contained: no references to other files.
    assert!(!html.contains("src=\"fig.png\""));
    assert_clean(dir.path());
}

#[test]
fn report_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut report = Report::new("r");
    let missing = dir.path().join("missing.png");
    let e = report.figure(&missing, "x").unwrap_err();
    assert!(e.to_string().contains("missing.png"), "{e}");
    let not_png = dir.path().join("not.png");
    std::fs::write(&not_png, "GIF89a").unwrap();
    let e = report.figure(&not_png, "x").unwrap_err();
    assert!(
        e.to_string().contains("not.png") && e.to_string().contains("not a PNG"),
        "{e}"
    );
    let e = report
        .write(&dir.path().join("no/dir/report.html"))
        .unwrap_err();
    assert!(e.to_string().contains("no/dir"), "{e}");
}

// ---------------------------------------------------------------- properties

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -1e3f64..1e3,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(1e300),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn any_raster_renders(
        rows in 1usize..40,
        cols in 1usize..40,
        values in proptest::collection::vec(value(), 1600),
        cmap in prop_oneof![Just(Colormap::Viridis), Just(Colormap::Diverging), Just(Colormap::Terrain)],
        pixel in proptest::option::of(1.0f64..5000.0),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let data = Array2::from_shape_fn((rows, cols), |(r, c)| values[r * 40 + c]);
        let path = dir.path().join("p.png");
        let s = MapStyle { title: "p".into(), units: "u".into(), colormap: cmap, range: None, pixel_size_m: pixel };
        figures::map(&path, data.view(), &s).unwrap();
        let png = decode(&path);
        prop_assert_eq!((png.width, png.height), (1000, 700));
    }

    #[test]
    fn any_box_groups_render(
        groups in proptest::collection::vec(proptest::collection::vec(value(), 0..30), 1..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let classes: Vec<String> = (0..groups.len()).map(|k| format!("c{k}")).collect();
        let path = dir.path().join("b.png");
        figures::binned_boxplot(&path, "b", "x", "y (m)", &classes, &groups).unwrap();
        let png = decode(&path);
        prop_assert_eq!((png.width, png.height), (1000, 700));
    }

    #[test]
    fn report_text_is_always_escaped(text in "[a-z <>&\"'/]{0,40}") {
        let mut report = Report::new(&text);
        report.section(&text);
        report.paragraph(&text);
        report.table(&[text.as_str()], &[vec![text.clone()]]);
        let html = report.to_html();
        // Every '<' in the document opens one of the report's own tags.
        let allowed = [
            "<!DOCTYPE", "<html", "</html", "<head", "</head", "<meta", "<title", "</title",
            "<style", "</style", "<body", "</body", "<h1", "</h1", "<h2", "</h2", "<p>", "</p>",
            "<table", "</table", "<thead", "</thead", "<tbody", "</tbody", "<tr", "</tr", "<th",
            "</th", "<td", "</td",
        ];
        for (i, _) in html.match_indices('<') {
            prop_assert!(allowed.iter().any(|t| html[i..].starts_with(t)), "stray '<' at {}", &html[i..]);
        }
    }
}

#[test]
fn crowded_and_extreme_inputs_render() {
    let dir = tempfile::tempdir().unwrap();
    // Rasters of extreme aspect ratio.
    for (k, shape) in [(1, 5000), (5000, 1), (2, 3)].into_iter().enumerate() {
        let data = Array2::from_shape_fn(shape, |(r, c)| (r + c) as f64);
        let path = dir.path().join(format!("aspect{k}.png"));
        figures::map(&path, data.view(), &style(Colormap::Viridis, None)).unwrap();
        assert_figure(&path);
        let labels = Array2::from_shape_fn(shape, |(r, c)| ((r + c) % 3) as i64 - 1);
        let path = dir.path().join(format!("labels{k}.png"));
        figures::labels_map(&path, labels.view(), "aspect", Some(10.0)).unwrap();
        assert_figure(&path);
    }
    // Huge values: tick labels switch to scientific notation.
    let data = Array2::from_shape_fn((10, 10), |(r, _)| r as f64 * 1e12);
    let path = dir.path().join("huge.png");
    figures::map(&path, data.view(), &style(Colormap::Viridis, None)).unwrap();
    assert_figure(&path);
    // 60 histogram groups and 50 series: the legend is shortened.
    let edges = [0.0, 1.0, 2.0];
    let groups: Vec<(String, Vec<f64>)> = (0..60)
        .map(|k| (format!("cluster with a long name {k}"), vec![1.0, k as f64]))
        .collect();
    let path = dir.path().join("hist60.png");
    figures::histograms_cdf(&path, "60", "x (m)", &edges, &groups).unwrap();
    assert_figure(&path);
    let dates: Vec<NaiveDate> = (1..=12)
        .map(|m| NaiveDate::from_ymd_opt(2019, m, 1).unwrap())
        .collect();
    let series: Vec<Series> = (0..50)
        .map(|k| Series {
            name: format!("pixel ({k}, {k})"),
            observed: (0..12).map(|i| (i * k) as f64).collect(),
            fitted: None,
        })
        .collect();
    let path = dir.path().join("ts50.png");
    figures::time_series(&path, "50", "y (mm)", &dates, &series).unwrap();
    assert_figure(&path);
}
