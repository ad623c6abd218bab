//! `run STUDY.toml [--from STAGE]`: a whole study from one file (schema in
//! `permafrost_insar::pipeline`).

use std::path::PathBuf;

use clap::Args;
use permafrost_insar::pipeline::{run_study, RunOptions};
use permafrost_insar::Result;
use serde_json::json;

use super::{print_json, Global};

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The study file (TOML; kind = permafrost | upscaling | hotspots).
    study: PathBuf,
    /// Re-run from this stage on, even when its inputs are unchanged.
    #[arg(long, value_name = "STAGE")]
    from: Option<String>,
}

pub(crate) fn run(args: &RunArgs, global: Global) -> Result<()> {
    let summary = run_study(
        &args.study,
        &RunOptions {
            from: args.from.clone(),
            progress: !global.json,
        },
    )?;
    if global.json {
        return print_json(&json!({
            "study": args.study.display().to_string(),
            "kind": summary.kind.as_str(),
            "output_dir": summary.output_dir.display().to_string(),
            "report": summary.report.as_ref().map(|p| p.display().to_string()),
            "stages": summary.stages.iter().map(|s| json!({
                "name": s.name, "ran": s.ran, "seconds": s.seconds, "note": s.note,
                "outputs": s.outputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "outputs": summary.outputs().iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        }));
    }
    println!(
        "{} study {} → {}",
        summary.kind.as_str(),
        args.study.display(),
        summary.output_dir.display()
    );
    for s in &summary.stages {
        let state = if s.ran {
            format!("ran in {:.1} s", s.seconds)
        } else {
            "up to date".to_string()
        };
        println!(
            "  {:<12} {state}{}",
            s.name,
            s.note
                .as_ref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        );
        for o in &s.outputs {
            println!("      {}", o.display());
        }
    }
    if let Some(r) = &summary.report {
        println!("report: {}", r.display());
    }
    Ok(())
}
