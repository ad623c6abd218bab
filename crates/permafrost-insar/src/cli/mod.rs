//! Argument parsing, logging and the exit-status contract.

mod cluster;
mod factors;
mod forcing;
mod geodetector;
mod hotspots;
mod info;
mod mask;
mod pecm;
mod profile;
mod run;
mod sbas;
mod sbas_network;
mod stats;
mod terrain;
mod thermal;
mod upscale;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Permafrost InSAR toolkit: SBAS time series, permafrost deformation models,
/// upscaling, clustering and statistics.
#[derive(Debug, Parser)]
#[command(name = "permafrost-insar", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Print exactly one JSON object on stdout (logs stay on stderr).
    #[arg(long, global = true)]
    json: bool,
    /// Number of worker threads (default: all cores); results do not depend on it.
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Describe a file: format, variables, shapes, types, CRS, time axis.
    Info(info::InfoArgs),
    /// Slope and aspect of a DEM (Horn's method, metric spacing on geographic grids).
    Terrain(terrain::TerrainArgs),
    /// Align factor rasters onto a target grid and stack them with their names.
    Factors(factors::FactorsArgs),
    /// Build a keep-mask from class and threshold rasters and apply it to products.
    Mask(mask::MaskArgs),
    /// Swath profiles of rasters along a polyline (distance–value table).
    Profile(profile::ProfileArgs),
    /// Johansen thermal conductivities κ_t, κ_f and their ratio (numbers or rasters).
    Thermal(thermal::ThermalArgs),
    /// Statistics: two-sample KS tests and correlation matrices.
    #[command(subcommand)]
    Stats(stats::StatsCommand),
    /// Geographical detector: factor, interaction, risk and ecological detectors.
    Geodetector(geodetector::GeodetectorArgs),
    /// Geodesic km grid with per-cell histograms and moments of high-resolution fields.
    Upscale(upscale::UpscaleArgs),
    /// Small-baseline time series.
    #[command(subcommand)]
    Sbas(sbas::SbasCommand),
    /// Temperature forcing: ERA5 / ERA5-Land daily means and degree days.
    #[command(subcommand)]
    Forcing(forcing::ForcingCommand),
    /// Run a whole study (permafrost, upscaling, hotspots) from a TOML file.
    Run(run::RunArgs),
    /// Permafrost deformation model: linear rate and seasonal amplitude per pixel.
    #[command(subcommand)]
    Pecm(pecm::PecmCommand),
    /// Clustering: time-series k-means, DBSCAN on points, histogram k-means.
    #[command(subcommand)]
    Cluster(cluster::ClusterCommand),
    /// Deformation hotspots: temporal k-means, DBSCAN per cluster, widespread-cluster removal.
    Hotspots(hotspots::HotspotsArgs),
}

/// Options every command sees.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Global {
    pub json: bool,
}

/// Parses arguments, runs the command, and maps errors to one line on stderr
/// with a non-zero exit status.
pub(crate) fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    init_logging(cli.verbose, cli.quiet);
    permafrost_insar::progress::set_quiet(cli.quiet || cli.json);
    if let Some(n) = cli.threads {
        if n == 0 {
            return fail("--threads must be at least 1");
        }
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            return fail(&format!("--threads: {e}"));
        }
    }
    let global = Global { json: cli.json };
    let result = match cli.command {
        Command::Info(args) => info::run(&args, global),
        Command::Terrain(args) => terrain::run(&args, global),
        Command::Factors(args) => factors::run(&args, global),
        Command::Mask(args) => mask::run(&args, global),
        Command::Profile(args) => profile::run(&args, global),
        Command::Thermal(args) => thermal::run(&args, global),
        Command::Stats(cmd) => stats::run(&cmd, global),
        Command::Geodetector(args) => geodetector::run(&args, global),
        Command::Upscale(args) => upscale::run(&args, global),
        Command::Sbas(cmd) => sbas::run(&cmd, global),
        Command::Forcing(cmd) => forcing::run(&cmd, global),
        Command::Run(args) => run::run(&args, global),
        Command::Pecm(cmd) => pecm::run(&cmd, global),
        Command::Cluster(cmd) => cluster::run(&cmd, global),
        Command::Hotspots(args) => hotspots::run(&args, global),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(std::io::stderr(), "error: {line}");
    ExitCode::from(1)
}

fn init_logging(verbose: u8, quiet: bool) {
    let level = if quiet {
        log::LevelFilter::Error
    } else {
        match verbose {
            0 => log::LevelFilter::Warn,
            1 => log::LevelFilter::Info,
            _ => log::LevelFilter::Debug,
        }
    };
    let _ = env_logger::Builder::new()
        .filter_level(level)
        .parse_env("PERMAFROST_INSAR_LOG")
        .target(env_logger::Target::Stderr)
        .format_timestamp(None)
        .try_init();
}

/// Prints a JSON value as the single stdout object.
pub(crate) fn print_json(value: &serde_json::Value) -> permafrost_insar::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(|e| permafrost_insar::Error::Invalid(format!("cannot write JSON: {e}")))?;
    let _ = writeln!(out);
    Ok(())
}

/// Creates an output folder (and its parents) if missing.
pub(crate) fn ensure_dir(dir: &std::path::Path) -> permafrost_insar::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| permafrost_insar::Error::io(dir, e))
}
