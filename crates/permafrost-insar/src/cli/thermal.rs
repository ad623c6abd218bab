//! `thermal --bulk-density R --sand R --theta-thaw R --theta-freeze R --out DIR`:
//! Johansen κ_t, κ_f and κ_f/κ_t as rasters (any input may be a number).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use ndarray::Array2;
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::{read_array, write_atomically, VarSpec};
use permafrost_insar::thermo::{Field, Params, QuartzMapping, Soil, TextureRule};
use permafrost_insar::{Error, Result};
use serde_json::json;

use super::{ensure_dir, print_json, Global};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DensityUnits {
    /// kg m⁻³ (the model's unit).
    #[value(name = "kg/m3")]
    KgM3,
    /// g cm⁻³ (×1000).
    #[value(name = "g/cm3")]
    GCm3,
    /// cg cm⁻³, as SoilGrids `bdod` (×10).
    #[value(name = "cg/cm3")]
    CgCm3,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SandUnits {
    /// Fraction 0–1 (the model's unit).
    Fraction,
    /// Percent.
    Percent,
    /// g kg⁻¹, as SoilGrids `sand`.
    #[value(name = "g/kg")]
    GKg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Quartz {
    /// q = sand.
    Sand,
    /// q = 0.5·sand.
    HalfSand,
    /// q = min(0.8, 0.92·sand).
    Capped,
}

#[derive(Debug, Args)]
pub(crate) struct ThermalArgs {
    /// Dry bulk density: a number or a raster (`FILE` or `FILE:VAR`).
    #[arg(long, allow_hyphen_values = true)]
    bulk_density: String,
    /// Sand content: a number or a raster.
    #[arg(long, allow_hyphen_values = true)]
    sand: String,
    /// Volumetric water content of the thaw season (m³ m⁻³): a number or a raster.
    #[arg(long, allow_hyphen_values = true)]
    theta_thaw: String,
    /// Volumetric water content of the freeze season (m³ m⁻³): a number or a raster.
    #[arg(long, allow_hyphen_values = true)]
    theta_freeze: String,
    /// Units of --bulk-density.
    #[arg(long, value_enum, default_value = "kg/m3")]
    bulk_density_units: DensityUnits,
    /// Units of --sand.
    #[arg(long, value_enum, default_value = "fraction")]
    sand_units: SandUnits,
    /// Quartz content from sand.
    #[arg(long, value_enum, default_value = "sand")]
    quartz: Quartz,
    /// Particle density ρ_s (kg m⁻³).
    #[arg(long, default_value_t = 2650.0)]
    particle_density: f64,
    /// Sand fraction from which a soil counts as coarse.
    #[arg(long, default_value_t = 0.5)]
    coarse_from: f64,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// A number, or a raster (with the grid of the first raster seen).
enum Input {
    Number(f64),
    Raster(Array2<f64>),
}

fn field(i: &Input) -> Field<'_, f64> {
    match i {
        Input::Number(x) => Field::Scalar(*x),
        Input::Raster(a) => Field::Raster(a.view()),
    }
}

fn read_input(flag: &str, s: &str, scale: f64, grid: &mut Option<Raster>) -> Result<Input> {
    if let Ok(x) = s.trim().parse::<f64>() {
        return Ok(Input::Number(x * scale));
    }
    let spec = VarSpec::parse(s);
    let values = read_array(&spec.path, spec.variable.as_deref())?;
    let values = values
        .into_dimensionality::<ndarray::Ix2>()
        .map_err(|_| Error::Invalid(format!("--{flag} {s}: expected a 2-D raster")))?;
    if grid.is_none() {
        if let Ok(r) = geotiff::read_raster(&spec.path) {
            *grid = Some(r);
        }
    }
    Ok(Input::Raster(values.mapv(|v| v * scale)))
}

pub(crate) fn run(args: &ThermalArgs, global: Global) -> Result<()> {
    let quartz = match args.quartz {
        Quartz::Sand => QuartzMapping::Sand,
        Quartz::HalfSand => QuartzMapping::HalfSand,
        Quartz::Capped => QuartzMapping::CAPPED,
    };
    let model = Params::new()
        .with_particle_density(args.particle_density)
        .with_quartz(quartz)
        .with_texture_rule(TextureRule::SandAtLeast(args.coarse_from))
        .build()
        .map_err(|e| Error::Invalid(format!("thermal: {e}")))?;
    let rho_scale = match args.bulk_density_units {
        DensityUnits::KgM3 => 1.0,
        DensityUnits::GCm3 => 1000.0,
        DensityUnits::CgCm3 => 10.0,
    };
    let sand_scale = match args.sand_units {
        SandUnits::Fraction => 1.0,
        SandUnits::Percent => 0.01,
        SandUnits::GKg => 0.001,
    };
    let mut grid = None;
    let inputs = [
        read_input("bulk-density", &args.bulk_density, rho_scale, &mut grid)?,
        read_input("sand", &args.sand, sand_scale, &mut grid)?,
        read_input("theta-thaw", &args.theta_thaw, 1.0, &mut grid)?,
        read_input("theta-freeze", &args.theta_freeze, 1.0, &mut grid)?,
    ];
    ensure_dir(&args.out)?;
    let thermo_err = |e: permafrost_insar::thermo::Error| Error::Invalid(format!("thermal: {e}"));
    if let [Input::Number(rho), Input::Number(sand), Input::Number(tt), Input::Number(tf)] = inputs
    {
        let k = model
            .conductivities(
                &Soil {
                    bulk_density: rho,
                    sand,
                },
                tt,
                tf,
            )
            .map_err(thermo_err)?;
        let path = args.out.join("thermal.csv");
        let text = format!(
            "kappa_thaw,kappa_freeze,ratio\n{},{},{}\n",
            k.thawed, k.frozen, k.ratio
        );
        write_atomically(&path, |tmp| {
            std::fs::write(tmp, &text).map_err(|e| Error::io(&path, e))
        })?;
        return if global.json {
            print_json(&json!({
                "outputs": [path.display().to_string()],
                "kappa_thaw": k.thawed,
                "kappa_freeze": k.frozen,
                "ratio": k.ratio,
            }))
        } else {
            println!(
                "κ_t = {} W/m/K, κ_f = {} W/m/K, κ_f/κ_t = {}",
                k.thawed, k.frozen, k.ratio
            );
            Ok(())
        };
    }
    let out = model
        .conductivities_raster(
            field(&inputs[0]),
            field(&inputs[1]),
            field(&inputs[2]),
            field(&inputs[3]),
        )
        .map_err(thermo_err)?;
    let (gt, wkt) = grid.map_or(([0.0, 1.0, 0.0, 0.0, 0.0, 1.0], String::new()), |g| {
        (g.geotransform, g.crs_wkt)
    });
    let mut outputs = Vec::new();
    for (name, values, long) in [
        ("kappa_thaw", &out.thawed, "thawed conductivity (W m-1 K-1)"),
        (
            "kappa_freeze",
            &out.frozen,
            "frozen conductivity (W m-1 K-1)",
        ),
        ("kappa_ratio", &out.ratio, "kappa_freeze / kappa_thaw"),
    ] {
        let mut r = Raster::single(values.clone(), gt, wkt.clone());
        r.band_names = vec![long.to_string()];
        let path = args.out.join(format!("{name}.tif"));
        geotiff::write_geotiff(&path, &r, SampleType::Float32)?;
        outputs.push(path.display().to_string());
    }
    if global.json {
        print_json(&json!({ "outputs": outputs }))
    } else {
        println!("wrote {}", outputs.join(", "));
        Ok(())
    }
}
