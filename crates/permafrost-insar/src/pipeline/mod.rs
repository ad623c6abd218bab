//! Whole studies from one TOML file: `permafrost-insar run STUDY.toml`.
//!
//! A study file names its kind, its inputs and its settings; [`run_study`]
//! runs its stages in order, each writing into its own folder under the
//! study's output folder, and skips a stage whose settings and inputs (size
//! and modification time of every input file, and the stamps of the stages
//! before it) have not changed since its last successful run (a stamp file
//! `.stamps/STAGE.json` per stage). [`RunOptions::from`] forces a re-run from
//! a stage on.
//!
//! Paths in a study file are relative to the study file's folder.
//!
//! ```no_run
//! use permafrost_insar::pipeline::{run_study, RunOptions};
//!
//! let summary = run_study(std::path::Path::new("demo/permafrost.toml"), &RunOptions::default())?;
//! for stage in &summary.stages {
//!     println!("{}: ran {} ({} files)", stage.name, stage.ran, stage.outputs.len());
//! }
//! println!("report: {:?}", summary.report);
//! # Ok::<(), permafrost_insar::Error>(())
//! ```
//!
//! # Errors name the file, the key and the line
//!
//! Unknown keys, missing keys, values of the wrong type, missing input files
//! and units that disagree with the data are errors naming the study file,
//! the key and its line, e.g.
//! `study.toml: line 7: key `sbas.units`: the stack ifgramStack.h5 is in radian, not mm`.
//!
//! # The three study kinds
//!
//! ## `kind = "permafrost"` (S-PECM): stages `sbas` → `forcing` → `pecm` → `statistics` → `report`
//!
//! ```toml
//! kind = "permafrost"
//! title = "Demo: permafrost deformation"   # optional (default: the file name)
//! output = "out/permafrost"                # optional (default: output/<file stem>)
//!
//! [sbas]
//! stack = "inputs/ifgramStack.h5"          # MintPy ifgramStack.h5 (required)
//! units = "radian"                         # units of unwrapPhase (default radian; checked against UNIT)
//! method = "l2"                            # l2 | wls | l1 (default l2)
//! weight = "fim"                           # coh | fim | var | no, for wls / l1 (default fim)
//! # reference = [3, 3]                     # row, col (default: the stack's REF_Y / REF_X)
//!
//! [forcing]
//! temperature = "inputs/temperature_daily.nc"  # daily temperature (time, lat, lon) NetCDF (required)
//! variable = "t"                           # default t
//! units = "degC"                           # degC | K (default degC; checked against the variable's units)
//! min_run_days = 5                         # onset run length (default 5)
//!
//! [pecm]
//! bulk_density = "inputs/factors/bulk_density.tif"    # kg m-3 (required)
//! sand = "inputs/factors/sand.tif"                    # fraction (required)
//! soil_moisture = "inputs/factors/soil_moisture.tif"  # m3 m-3, thaw and freeze season (required)
//! units = "mm"                             # units of the output rates / amplitudes: m | cm | mm (default mm)
//!
//! [statistics]
//! classes = 5                              # strata per factor (default 5)
//! method = "quantile"                      # equal | quantile | natural | geometric | sd (default quantile)
//! max_residual_rms = 6.0                   # leave out pixels the PECM does not explain (residual RMS in pecm.units; default: keep all)
//! [statistics.factors]                     # name = GeoTIFF on the stack's grid (at least one)
//! ground_ice = "inputs/factors/ground_ice.tif"
//! ndvi = "inputs/factors/ndvi.tif"
//!
//! [report]
//! pixels = [[10, 10], [30, 20]]            # time series shown with the fitted model (default: 3 chosen)
//! truth = "truth"                          # optional: folder with the demo truth (recovered-vs-true tables)
//! ```
//!
//! ## `kind = "hotspots"` (S-HOTSPOT): stages `cluster` → `classifier` → `report`
//!
//! The `classifier` stage trains the bidirectional LSTM of S-HOTSPOT
//! (`cluster_ts::lstm`) on the hotspot labels of the `cluster` stage (class 0
//! = background, class h + 1 = hotspot h) on a class-balanced random
//! subsample, and writes `classifier/classifier.safetensors`,
//! `classifier/classifier.json` (held-out accuracy, macro precision / recall /
//! F1, per-class counts, loss history) and `classifier/predicted_hotspots.tif`;
//! the report shows the scores. It needs the facade feature `lstm`
//! (`--features lstm`); without it the stage writes `classifier.json` with
//! `trained: false` and a note.
//!
//! ```toml
//! kind = "hotspots"
//! output = "out/hotspots"
//!
//! [input]
//! timeseries = "out/permafrost/sbas/timeseries.h5"   # MintPy timeseries.h5 (required)
//! units = "m"                              # default m (checked against UNIT)
//!
//! [cluster]
//! k = 5                                    # temporal clusters (default 5)
//! eps_px = 1.5                             # DBSCAN radius in pixels (default 1.5)
//! min_samples = 5                          # DBSCAN core size (default 5)
//! min_size = 10                            # smallest hotspot, pixels (default 10)
//! min_displacement = 0.02                  # contrast of a hotspot's mean series with the ground around it, in `units` (default 0.02)
//! max_standard_distance_km = 1.5           # dispersion filter: larger clusters are widespread, not hotspots (default 1.5)
//! max_area_km2 = 5.0                       # dispersion filter on the area (default 5)
//! seed = 1                                 # k-means seed (default 1)
//!
//! [classifier]                             # feature `lstm`
//! enabled = true                           # default true
//! epochs = 20                              # default 20
//! units = [128, 64]                        # units per direction of the two BiLSTM layers (default [128, 64])
//! dropout = 0.2                            # default 0.2
//! learning_rate = 0.001                    # Adam (default 0.001)
//! max_samples_per_class = 1000             # balanced random subsample with `seed` (default 1000)
//! test_fraction = 0.2                      # held out per class (default 0.2)
//! seed = 1                                 # subsample, weights, split, batch order (default 1)
//!
//! [report]
//! truth = "truth"                          # optional
//! ```
//!
//! ## `kind = "upscaling"` (S-UPSCALE): stages `upscale` → `cluster` → `correlation` → `report`
//!
//! ```toml
//! kind = "upscaling"
//! output = "out/upscaling"
//!
//! [input]
//! rates = "out/permafrost/pecm/linear_rate.tif"   # high-resolution field (required)
//! units = "mm/yr"                           # checked against the raster's unit (default: not checked)
//! era5 = "inputs/era5land_hourly.nc"        # hourly ERA5-Land (required)
//! exclude = "out/hotspots/cluster/hotspots.tif"   # optional: leave out pixels where this raster is >= 0
//! factors = { slope = "inputs/factors/slope.tif" }   # terrain / soil rasters on the same grid
//!
//! [upscale]
//! cell_km = 1.0                             # grid cell (default 1 km)
//! bins = 20                                 # histogram bins (default 20)
//! range = [-20.0, 0.0]                      # histogram range (required)
//! min_count = 30                            # a cell is valid with more pixels than this (default 30)
//!
//! [cluster]
//! k = 3                                     # histogram clusters (default 3)
//! seed = 1
//! ```

mod config;
mod hotspots;
mod permafrost;
mod report;
mod stamp;
mod upscaling;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use config::{line_of, Study, StudyKind};

use crate::error::{Error, Result};

/// How [`run_study`] runs.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Force a re-run from this stage on (and of every later stage).
    pub from: Option<String>,
    /// Print progress on stderr.
    pub progress: bool,
}

/// What one stage did.
#[derive(Debug, Clone)]
pub struct StageOutcome {
    /// The stage name.
    pub name: String,
    /// False when it was skipped (stamp unchanged).
    pub ran: bool,
    /// Seconds it took (0 when skipped).
    pub seconds: f64,
    /// Files it wrote (or had written).
    pub outputs: Vec<PathBuf>,
    /// A remark (e.g. why a stage was skipped).
    pub note: Option<String>,
}

/// What [`run_study`] did.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The study kind.
    pub kind: StudyKind,
    /// The output folder.
    pub output_dir: PathBuf,
    /// Stages in order.
    pub stages: Vec<StageOutcome>,
    /// The HTML report, when the study wrote one.
    pub report: Option<PathBuf>,
}

impl RunSummary {
    /// Every output file, in stage order.
    pub fn outputs(&self) -> Vec<PathBuf> {
        self.stages.iter().flat_map(|s| s.outputs.clone()).collect()
    }
}

/// The stage names of a study kind, in order.
pub fn stages(kind: StudyKind) -> &'static [&'static str] {
    match kind {
        StudyKind::Permafrost => &["sbas", "forcing", "pecm", "statistics", "report"],
        StudyKind::Hotspots => &["cluster", "classifier", "report"],
        StudyKind::Upscaling => &["upscale", "cluster", "correlation", "report"],
    }
}

/// Runs a study file.
///
/// # Errors
/// A study file that does not parse or names missing inputs (the message
/// names the file, key and line), an unknown `--from` stage, and any error
/// of a stage (naming the file it was reading or writing).
pub fn run_study(path: &Path, options: &RunOptions) -> Result<RunSummary> {
    let study = Study::load(path)?;
    let kind = study.kind();
    let names = stages(kind);
    let from = match &options.from {
        Some(f) => Some(names.iter().position(|n| n == f).ok_or_else(|| {
            Error::Invalid(format!(
                "--from {f}: not a stage of a {} study (stages: {})",
                kind.as_str(),
                names.join(", ")
            ))
        })?),
        None => None,
    };
    let out = study.output_dir();
    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
    let ctx = Context {
        study: &study,
        out: out.clone(),
        progress: options.progress,
    };
    let mut outcomes = Vec::new();
    let mut previous = String::new();
    let mut forced = false;
    for (i, name) in names.iter().enumerate() {
        forced |= from == Some(i);
        let spec = match &study {
            Study::Permafrost(s) => permafrost::stage_spec(s, &ctx, name)?,
            Study::Hotspots(s) => hotspots::stage_spec(s, &ctx, name)?,
            Study::Upscaling(s) => upscaling::stage_spec(s, &ctx, name)?,
        };
        let stamp = stamp::Stamp::new(name, &spec.settings, &spec.inputs, &previous)?;
        let stamp_path = out.join(".stamps").join(format!("{name}.json"));
        if !forced && stamp.matches(&stamp_path) {
            if options.progress {
                eprintln!("[{}/{}] {name}: up to date, skipped", i + 1, names.len());
            }
            outcomes.push(StageOutcome {
                name: (*name).to_string(),
                ran: false,
                seconds: 0.0,
                outputs: stamp::recorded_outputs(&stamp_path),
                note: Some("inputs and settings unchanged".into()),
            });
            previous = stamp.digest();
            continue;
        }
        if options.progress {
            eprintln!("[{}/{}] {name} …", i + 1, names.len());
        }
        let t0 = Instant::now();
        let result = match &study {
            Study::Permafrost(s) => permafrost::run_stage(s, &ctx, name)?,
            Study::Hotspots(s) => hotspots::run_stage(s, &ctx, name)?,
            Study::Upscaling(s) => upscaling::run_stage(s, &ctx, name)?,
        };
        let seconds = t0.elapsed().as_secs_f64();
        if options.progress {
            eprintln!(
                "[{}/{}] {name}: done in {seconds:.1} s ({} files)",
                i + 1,
                names.len(),
                result.outputs.len()
            );
        }
        stamp.write(&stamp_path, &result.outputs)?;
        previous = stamp.digest();
        // A stage that ran invalidates the later ones' stamps through `previous`.
        outcomes.push(StageOutcome {
            name: (*name).to_string(),
            ran: true,
            seconds,
            outputs: result.outputs,
            note: result.note,
        });
    }
    let report = outcomes
        .iter()
        .flat_map(|o| o.outputs.iter())
        .find(|p| p.extension().is_some_and(|e| e == "html"))
        .cloned();
    Ok(RunSummary {
        kind,
        output_dir: out,
        stages: outcomes,
        report,
    })
}

/// Shared state of a run.
pub(crate) struct Context<'a> {
    pub study: &'a Study,
    pub out: PathBuf,
    pub progress: bool,
}

impl Context<'_> {
    /// The stage folder (created).
    pub fn stage_dir(&self, name: &str) -> Result<PathBuf> {
        let d = self.out.join(name);
        std::fs::create_dir_all(&d).map_err(|e| Error::io(&d, e))?;
        Ok(d)
    }
}

/// What a stage depends on: its settings (as JSON) and its input files.
pub(crate) struct StageSpec {
    pub settings: serde_json::Value,
    pub inputs: Vec<PathBuf>,
}

/// What a stage produced.
pub(crate) struct StageResult {
    pub outputs: Vec<PathBuf>,
    pub note: Option<String>,
}

/// A progress bar over `total` items (rows, cells) of a stage, through
/// [`crate::progress`] (hidden when stderr is not a terminal).
pub(crate) struct Progress {
    bar: Option<crate::progress::Progress>,
    done: usize,
}

impl Progress {
    pub fn new(label: &str, total: usize, enabled: bool) -> Self {
        Progress {
            bar: enabled.then(|| crate::progress::stage(label, total as u64)),
            done: 0,
        }
    }

    /// Reports `done` of `total`.
    pub fn set(&mut self, done: usize) {
        if let Some(b) = &self.bar {
            b.inc(done.saturating_sub(self.done) as u64);
        }
        self.done = done;
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish();
        }
    }
}
