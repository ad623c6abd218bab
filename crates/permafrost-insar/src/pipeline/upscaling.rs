//! The upscaling study (upscale → histogram clustering → correlation → KS).

use super::config::UpscalingStudy;
use super::{Context, StageResult, StageSpec};
use crate::error::{Error, Result};

pub(crate) fn stage_spec(_s: &UpscalingStudy, _ctx: &Context<'_>, _name: &str) -> Result<StageSpec> {
    Err(Error::Invalid(
        "upscaling studies do not run yet in this version (the stages land with issue #10's second part)".into(),
    ))
}

pub(crate) fn run_stage(_s: &UpscalingStudy, _ctx: &Context<'_>, _name: &str) -> Result<StageResult> {
    Err(Error::Invalid("upscaling studies do not run yet in this version".into()))
}
