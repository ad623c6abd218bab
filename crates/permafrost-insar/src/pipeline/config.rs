//! The study-file schema (see the module docs of [`crate::pipeline`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{Error, Result};

/// The 1-based line of byte offset `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The kind of a study.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyKind {
    /// SBAS → forcing → PECM → geodetector and box statistics.
    Permafrost,
    /// Upscale → histogram clustering → correlation → KS robustness.
    Upscaling,
    /// Time-series clustering → DBSCAN → dispersion filter → classifier.
    Hotspots,
}

impl StudyKind {
    /// `permafrost`, `upscaling` or `hotspots`.
    pub fn as_str(self) -> &'static str {
        match self {
            StudyKind::Permafrost => "permafrost",
            StudyKind::Upscaling => "upscaling",
            StudyKind::Hotspots => "hotspots",
        }
    }
}

/// A parsed study file.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one per run
pub enum Study {
    /// `kind = "permafrost"`.
    Permafrost(PermafrostStudy),
    /// `kind = "upscaling"`.
    Upscaling(UpscalingStudy),
    /// `kind = "hotspots"`.
    Hotspots(HotspotStudy),
}

/// Where a study file came from: its path, text and folder.
#[derive(Debug, Clone)]
pub struct Source {
    /// The study file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Its folder (paths in it are relative to this).
    pub dir: PathBuf,
}

impl Source {
    /// An error about key `key` whose value sits at `span`.
    pub fn error_at(
        &self,
        key: &str,
        span: std::ops::Range<usize>,
        message: impl std::fmt::Display,
    ) -> Error {
        Error::Invalid(format!(
            "{}: line {}: key `{key}`: {message}",
            self.path.display(),
            line_of(&self.text, span.start)
        ))
    }

    /// Resolves a path value relative to the study file, requiring the file
    /// to exist when `must_exist`.
    pub fn path(&self, key: &str, value: &Spanned<PathBuf>, must_exist: bool) -> Result<PathBuf> {
        let p = self.dir.join(value.get_ref());
        if must_exist && !p.exists() {
            return Err(self.error_at(
                key,
                value.span(),
                format!("input file {} does not exist", p.display()),
            ));
        }
        Ok(p)
    }
}

#[derive(Deserialize)]
struct KindOnly {
    kind: Option<Spanned<String>>,
}

fn parse<T: for<'de> Deserialize<'de>>(src: &Source) -> Result<T> {
    toml::from_str::<T>(&src.text).map_err(|e| {
        let line = e.span().map(|s| line_of(&src.text, s.start));
        let msg = e.message().replace('\n', " ");
        match line {
            Some(l) => Error::Invalid(format!("{}: line {l}: {msg}", src.path.display())),
            None => Error::Invalid(format!("{}: {msg}", src.path.display())),
        }
    })
}

impl Study {
    /// Reads and checks a study file (syntax, keys, types, input files,
    /// values).
    ///
    /// # Errors
    /// As the module docs say: the message names the file, the key and the
    /// line.
    pub fn load(path: &Path) -> Result<Study> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let src = Source {
            path: path.to_path_buf(),
            text,
            dir,
        };
        let kind: KindOnly = parse(&src)?;
        let Some(kind) = kind.kind else {
            return Err(Error::Invalid(format!(
                "{}: line 1: key `kind` is missing (permafrost, upscaling or hotspots)",
                src.path.display()
            )));
        };
        let study = match kind.get_ref().as_str() {
            "permafrost" => Study::Permafrost(PermafrostStudy {
                file: parse(&src)?,
                src,
            }),
            "upscaling" => Study::Upscaling(UpscalingStudy {
                file: parse(&src)?,
                src,
            }),
            "hotspots" => Study::Hotspots(HotspotStudy {
                file: parse(&src)?,
                src,
            }),
            other => {
                return Err(src.error_at(
                    "kind",
                    kind.span(),
                    format!("unknown study kind `{other}` (permafrost, upscaling or hotspots)"),
                ))
            }
        };
        study.check()?;
        Ok(study)
    }

    /// The kind.
    pub fn kind(&self) -> StudyKind {
        match self {
            Study::Permafrost(_) => StudyKind::Permafrost,
            Study::Upscaling(_) => StudyKind::Upscaling,
            Study::Hotspots(_) => StudyKind::Hotspots,
        }
    }

    fn source(&self) -> &Source {
        match self {
            Study::Permafrost(s) => &s.src,
            Study::Upscaling(s) => &s.src,
            Study::Hotspots(s) => &s.src,
        }
    }

    fn output(&self) -> Option<&PathBuf> {
        match self {
            Study::Permafrost(s) => s.file.output.as_ref(),
            Study::Upscaling(s) => s.file.output.as_ref(),
            Study::Hotspots(s) => s.file.output.as_ref(),
        }
    }

    /// The title (default: the file name).
    pub fn title(&self) -> String {
        let t = match self {
            Study::Permafrost(s) => s.file.title.clone(),
            Study::Upscaling(s) => s.file.title.clone(),
            Study::Hotspots(s) => s.file.title.clone(),
        };
        t.unwrap_or_else(|| {
            self.source()
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }

    /// The output folder (default `output/<file stem>` beside the file).
    pub fn output_dir(&self) -> PathBuf {
        let src = self.source();
        match self.output() {
            Some(o) => src.dir.join(o),
            None => src.dir.join("output").join(
                src.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "study".into()),
            ),
        }
    }

    fn check(&self) -> Result<()> {
        match self {
            Study::Permafrost(s) => s.check(),
            Study::Upscaling(s) => s.check(),
            Study::Hotspots(s) => s.check(),
        }
    }
}

fn default_radian() -> Spanned<String> {
    Spanned::new(0..0, "radian".into())
}
fn default_l2() -> Spanned<String> {
    Spanned::new(0..0, "l2".into())
}
fn default_fim() -> Spanned<String> {
    Spanned::new(0..0, "fim".into())
}
fn default_t() -> Spanned<String> {
    Spanned::new(0..0, "t".into())
}
fn default_degc() -> Spanned<String> {
    Spanned::new(0..0, "degC".into())
}
fn default_mm() -> Spanned<String> {
    Spanned::new(0..0, "mm".into())
}
fn default_m() -> Spanned<String> {
    Spanned::new(0..0, "m".into())
}
fn default_five() -> usize {
    5
}
fn default_quantile() -> Spanned<String> {
    Spanned::new(0..0, "quantile".into())
}

/// A permafrost study.
#[derive(Debug, Clone)]
pub struct PermafrostStudy {
    /// The file's content.
    pub file: PermafrostFile,
    /// Where it came from.
    pub src: Source,
}

/// The permafrost study file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PermafrostFile {
    /// `permafrost`.
    pub kind: String,
    /// Title of the report.
    pub title: Option<String>,
    /// Output folder.
    pub output: Option<PathBuf>,
    /// `[sbas]`.
    pub sbas: SbasSection,
    /// `[forcing]`.
    pub forcing: ForcingSection,
    /// `[pecm]`.
    pub pecm: PecmSection,
    /// `[statistics]`.
    pub statistics: StatisticsSection,
    /// `[report]`.
    #[serde(default)]
    pub report: ReportSection,
}

/// `[sbas]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SbasSection {
    /// MintPy `ifgramStack.h5`.
    pub stack: Spanned<PathBuf>,
    /// Units of the phase.
    #[serde(default = "default_radian")]
    pub units: Spanned<String>,
    /// l2 | wls | l1.
    #[serde(default = "default_l2")]
    pub method: Spanned<String>,
    /// coh | fim | var | no.
    #[serde(default = "default_fim")]
    pub weight: Spanned<String>,
    /// Reference pixel (row, col).
    pub reference: Option<Spanned<[usize; 2]>>,
}

/// `[forcing]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ForcingSection {
    /// Daily temperature NetCDF.
    pub temperature: Spanned<PathBuf>,
    /// Variable name.
    #[serde(default = "default_t")]
    pub variable: Spanned<String>,
    /// degC | K.
    #[serde(default = "default_degc")]
    pub units: Spanned<String>,
    /// Onset run length (days).
    #[serde(default = "default_five")]
    pub min_run_days: usize,
}

/// `[pecm]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PecmSection {
    /// Dry bulk density (kg m⁻³).
    pub bulk_density: Spanned<PathBuf>,
    /// Sand fraction.
    pub sand: Spanned<PathBuf>,
    /// Soil moisture (m³ m⁻³).
    pub soil_moisture: Spanned<PathBuf>,
    /// Output units: m | cm | mm.
    #[serde(default = "default_mm")]
    pub units: Spanned<String>,
}

/// `[statistics]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsSection {
    /// Strata per factor.
    #[serde(default = "default_five")]
    pub classes: usize,
    /// Discretisation method.
    #[serde(default = "default_quantile")]
    pub method: Spanned<String>,
    /// Leave out pixels whose PECM residual RMS exceeds this (in `pecm.units`).
    pub max_residual_rms: Option<f64>,
    /// Factor rasters by name.
    pub factors: Spanned<BTreeMap<String, Spanned<PathBuf>>>,
}

/// `[report]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Pixels (row, col) whose time series are drawn.
    #[serde(default)]
    pub pixels: Vec<[usize; 2]>,
    /// Folder of the demo truth.
    pub truth: Option<Spanned<PathBuf>>,
}

/// Output-unit scale from metres.
pub(crate) fn length_scale(units: &str) -> Option<f64> {
    match units {
        "m" => Some(1.0),
        "cm" => Some(100.0),
        "mm" => Some(1000.0),
        _ => None,
    }
}

/// True when a temperature unit string means °C (`want = "degC"`) or K.
pub(crate) fn temperature_units_match(want: &str, found: &str) -> bool {
    let found = found.trim();
    match want {
        "degC" => [
            "degC",
            "°C",
            "C",
            "celsius",
            "Celsius",
            "degree_Celsius",
            "degrees_Celsius",
            "deg_C",
        ]
        .contains(&found),
        _ => ["K", "kelvin", "Kelvin"].contains(&found),
    }
}

impl PermafrostStudy {
    /// Declared units against the data's: the stack's `UNIT` attribute and
    /// the temperature variable's `units`.
    fn check_units(&self) -> Result<()> {
        let f = &self.file;
        let s = &self.src;
        let stack = s.path("sbas.stack", &f.sbas.stack, true)?;
        let attrs = crate::io::h5::read_attributes(&stack, "/")?;
        if let Some(unit) = attrs.get("UNIT") {
            let unit = unit
                .as_text()
                .map_or_else(|| unit.display(), str::to_string);
            if unit.trim() != f.sbas.units.get_ref() {
                return Err(s.error_at(
                    "sbas.units",
                    f.sbas.units.span(),
                    format!(
                        "`{}` does not match the stack {}, whose phase is in `{}`",
                        f.sbas.units.get_ref(),
                        stack.display(),
                        unit.trim()
                    ),
                ));
            }
        }
        let t = s.path("forcing.temperature", &f.forcing.temperature, true)?;
        let var = crate::io::nc::read_variable(&t, f.forcing.variable.get_ref())
            .map_err(|e| s.error_at("forcing.variable", f.forcing.variable.span(), e))?;
        let found = var.units().unwrap_or("").to_string();
        if !temperature_units_match(f.forcing.units.get_ref(), &found) {
            return Err(s.error_at(
                "forcing.units",
                f.forcing.units.span(),
                format!(
                    "`{}` does not match {}:{}, which is in `{found}`",
                    f.forcing.units.get_ref(),
                    t.display(),
                    f.forcing.variable.get_ref()
                ),
            ));
        }
        Ok(())
    }

    fn check(&self) -> Result<()> {
        let f = &self.file;
        let s = &self.src;
        s.path("sbas.stack", &f.sbas.stack, true)?;
        s.path("forcing.temperature", &f.forcing.temperature, true)?;
        s.path("pecm.bulk_density", &f.pecm.bulk_density, true)?;
        s.path("pecm.sand", &f.pecm.sand, true)?;
        s.path("pecm.soil_moisture", &f.pecm.soil_moisture, true)?;
        for (name, p) in f.statistics.factors.get_ref() {
            s.path(&format!("statistics.factors.{name}"), p, true)?;
        }
        if f.statistics.factors.get_ref().is_empty() {
            return Err(s.error_at(
                "statistics.factors",
                f.statistics.factors.span(),
                "at least one factor raster is needed",
            ));
        }
        if let Some(t) = &f.report.truth {
            s.path("report.truth", t, true)?;
        }
        self.check_units()?;
        if !["l2", "wls", "l1"].contains(&f.sbas.method.get_ref().as_str()) {
            return Err(s.error_at(
                "sbas.method",
                f.sbas.method.span(),
                format!("`{}`: expected l2, wls or l1", f.sbas.method.get_ref()),
            ));
        }
        if !["coh", "fim", "var", "no"].contains(&f.sbas.weight.get_ref().as_str()) {
            return Err(s.error_at(
                "sbas.weight",
                f.sbas.weight.span(),
                format!(
                    "`{}`: expected coh, fim, var or no",
                    f.sbas.weight.get_ref()
                ),
            ));
        }
        if !["degC", "K"].contains(&f.forcing.units.get_ref().as_str()) {
            return Err(s.error_at(
                "forcing.units",
                f.forcing.units.span(),
                format!("`{}`: expected degC or K", f.forcing.units.get_ref()),
            ));
        }
        if length_scale(f.pecm.units.get_ref()).is_none() {
            return Err(s.error_at(
                "pecm.units",
                f.pecm.units.span(),
                format!("`{}`: expected m, cm or mm", f.pecm.units.get_ref()),
            ));
        }
        if geo_stats::discretize::DiscretizationMethod::parse(f.statistics.method.get_ref())
            .is_none()
        {
            return Err(s.error_at(
                "statistics.method",
                f.statistics.method.span(),
                format!(
                    "`{}`: expected equal, quantile, natural, geometric or sd",
                    f.statistics.method.get_ref()
                ),
            ));
        }
        Ok(())
    }
}

/// A hotspot study.
#[derive(Debug, Clone)]
pub struct HotspotStudy {
    /// The file's content.
    pub file: HotspotFile,
    /// Where it came from.
    pub src: Source,
}

/// The hotspot study file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HotspotFile {
    /// `hotspots`.
    pub kind: String,
    /// Title of the report.
    pub title: Option<String>,
    /// Output folder.
    pub output: Option<PathBuf>,
    /// `[input]`.
    pub input: HotspotInput,
    /// `[cluster]`.
    #[serde(default)]
    pub cluster: HotspotCluster,
    /// `[classifier]`.
    #[serde(default)]
    pub classifier: HotspotClassifier,
    /// `[report]`.
    #[serde(default)]
    pub report: ReportSection,
}

/// `[input]` of a hotspot study.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HotspotInput {
    /// MintPy `timeseries.h5`.
    pub timeseries: Spanned<PathBuf>,
    /// Units of the series.
    #[serde(default = "default_m")]
    pub units: Spanned<String>,
}

/// `[cluster]` of a hotspot study.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HotspotCluster {
    /// Temporal clusters.
    pub k: usize,
    /// DBSCAN radius (pixels).
    pub eps_px: f64,
    /// DBSCAN core size.
    pub min_samples: usize,
    /// Smallest hotspot (pixels).
    pub min_size: usize,
    /// Minimum contrast (max |difference| over dates) between a hotspot's
    /// mean series and the mean series of the ground around it.
    pub min_displacement: f64,
    /// Largest standard distance of a hotspot (km).
    pub max_standard_distance_km: f64,
    /// Largest area of a hotspot (km²).
    pub max_area_km2: f64,
    /// k-means seed.
    pub seed: u64,
}

impl Default for HotspotCluster {
    fn default() -> Self {
        HotspotCluster {
            k: 5,
            eps_px: 1.5,
            min_samples: 5,
            min_size: 10,
            min_displacement: 0.02,
            max_standard_distance_km: 1.5,
            max_area_km2: 5.0,
            seed: 1,
        }
    }
}

/// `[classifier]` of a hotspot study: the bidirectional LSTM trained on
/// the hotspot labels of the `cluster` stage (needs the facade feature
/// `lstm`; without it the stage is skipped with a note).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HotspotClassifier {
    /// Train the classifier (default true).
    pub enabled: bool,
    /// Passes over the training set (default 20).
    pub epochs: usize,
    /// Units per direction of the two bidirectional layers (default [128, 64]).
    pub units: [usize; 2],
    /// Dropout after each recurrent layer (default 0.2).
    pub dropout: f64,
    /// Adam learning rate (default 0.001, Keras' default).
    pub learning_rate: f64,
    /// At most this many pixels per class (background and each hotspot),
    /// drawn at random with `seed` (default 1000).
    pub max_samples_per_class: usize,
    /// Fraction of each class held out for the scores (default 0.2).
    pub test_fraction: f64,
    /// Seed of the subsample, the weights, the split and the batch order
    /// (default 1).
    pub seed: u64,
}

impl Default for HotspotClassifier {
    fn default() -> Self {
        HotspotClassifier {
            enabled: true,
            epochs: 20,
            units: [128, 64],
            dropout: 0.2,
            learning_rate: 1e-3,
            max_samples_per_class: 1000,
            test_fraction: 0.2,
            seed: 1,
        }
    }
}

impl HotspotClassifier {
    /// Checks the values; `src` locates the `[classifier]` table.
    fn check(&self, src: &Source) -> Result<()> {
        let at = src.text.find("[classifier]").unwrap_or(0);
        let bad = |key: &str, msg: String| Err(src.error_at(key, at..at, msg));
        if self.epochs == 0 {
            return bad("classifier.epochs", "must be ≥ 1".into());
        }
        if self.units.contains(&0) {
            return bad(
                "classifier.units",
                format!("{:?}: units must be ≥ 1", self.units),
            );
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return bad(
                "classifier.dropout",
                format!("{}: must be in [0, 1)", self.dropout),
            );
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return bad(
                "classifier.learning_rate",
                format!("{}: must be > 0", self.learning_rate),
            );
        }
        if !(self.test_fraction > 0.0 && self.test_fraction < 1.0) {
            return bad(
                "classifier.test_fraction",
                format!("{}: must be in (0, 1)", self.test_fraction),
            );
        }
        if self.max_samples_per_class < 2 {
            return bad(
                "classifier.max_samples_per_class",
                format!("{}: must be ≥ 2", self.max_samples_per_class),
            );
        }
        Ok(())
    }
}

impl HotspotStudy {
    fn check(&self) -> Result<()> {
        let f = &self.file;
        f.classifier.check(&self.src)?;
        self.src
            .path("input.timeseries", &f.input.timeseries, true)?;
        if let Some(t) = &f.report.truth {
            self.src.path("report.truth", t, true)?;
        }
        if length_scale(f.input.units.get_ref()).is_none() {
            return Err(self.src.error_at(
                "input.units",
                f.input.units.span(),
                format!("`{}`: expected m, cm or mm", f.input.units.get_ref()),
            ));
        }
        let ts = self
            .src
            .path("input.timeseries", &f.input.timeseries, true)?;
        let attrs = crate::io::h5::read_attributes(&ts, "/")?;
        if let Some(unit) = attrs.get("UNIT") {
            let unit = unit
                .as_text()
                .map_or_else(|| unit.display(), str::to_string);
            if unit.trim() != f.input.units.get_ref() {
                return Err(self.src.error_at(
                    "input.units",
                    f.input.units.span(),
                    format!(
                        "`{}` does not match {}, which is in `{}`",
                        f.input.units.get_ref(),
                        ts.display(),
                        unit.trim()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// An upscaling study.
#[derive(Debug, Clone)]
pub struct UpscalingStudy {
    /// The file's content.
    pub file: UpscalingFile,
    /// Where it came from.
    pub src: Source,
}

/// The upscaling study file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UpscalingFile {
    /// `upscaling`.
    pub kind: String,
    /// Title of the report.
    pub title: Option<String>,
    /// Output folder.
    pub output: Option<PathBuf>,
    /// `[input]`.
    pub input: UpscalingInput,
    /// `[upscale]`.
    pub upscale: UpscaleSection,
    /// `[cluster]`.
    #[serde(default)]
    pub cluster: UpscaleCluster,
}

/// `[input]` of an upscaling study.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UpscalingInput {
    /// High-resolution field (GeoTIFF).
    pub rates: Spanned<PathBuf>,
    /// Expected unit of the field.
    pub units: Option<Spanned<String>>,
    /// Hourly ERA5-Land NetCDF.
    pub era5: Spanned<PathBuf>,
    /// Pixels where this raster is ≥ 0 are left out (e.g. a hotspot study's
    /// `hotspots.tif`).
    pub exclude: Option<Spanned<PathBuf>>,
    /// Factor rasters on the field's grid.
    #[serde(default)]
    pub factors: BTreeMap<String, Spanned<PathBuf>>,
}

/// `[upscale]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UpscaleSection {
    /// Cell size (km).
    #[serde(default = "default_cell_km")]
    pub cell_km: f64,
    /// Histogram bins.
    #[serde(default = "default_bins")]
    pub bins: usize,
    /// Histogram range.
    pub range: Spanned<[f64; 2]>,
    /// A cell is valid with more than this many pixels.
    #[serde(default = "default_min_count")]
    pub min_count: u64,
}

fn default_min_count() -> u64 {
    30
}

fn default_cell_km() -> f64 {
    1.0
}
fn default_bins() -> usize {
    20
}

/// `[cluster]` of an upscaling study.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct UpscaleCluster {
    /// Histogram clusters.
    pub k: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for UpscaleCluster {
    fn default() -> Self {
        UpscaleCluster { k: 3, seed: 1 }
    }
}

impl UpscalingStudy {
    fn check(&self) -> Result<()> {
        let f = &self.file;
        self.src.path("input.rates", &f.input.rates, true)?;
        self.src.path("input.era5", &f.input.era5, true)?;
        if let Some(x) = &f.input.exclude {
            self.src.path("input.exclude", x, true)?;
        }
        for (name, p) in &f.input.factors {
            self.src.path(&format!("input.factors.{name}"), p, true)?;
        }
        let [lo, hi] = *f.upscale.range.get_ref();
        if lo.partial_cmp(&hi) != Some(std::cmp::Ordering::Less) {
            return Err(self.src.error_at(
                "upscale.range",
                f.upscale.range.span(),
                "expected [MIN, MAX] with MIN < MAX",
            ));
        }
        Ok(())
    }
}
