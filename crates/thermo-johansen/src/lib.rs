//! Soil thermal conductivity after Johansen (1975), Kersten numbers and the
//! Stefan thaw-depth solution, for single points and whole rasters.
//!
//! This crate is pure Rust and links no native library.
//!
//! # What this crate owns
//!
//! * Porosity and degree of saturation from dry bulk density and volumetric
//!   water content; quartz content from the sand fraction (mapping a parameter).
//! * Solid, saturated (thawed and frozen) and dry conductivities, the Kersten
//!   number variants (coarse / fine unfrozen soil, frozen soil) and the
//!   combined conductivity `κ = (κ_sat − κ_dry)·Ke + κ_dry` (Johansen 1975;
//!   Farouki 1981), hence the thawed / frozen ratio `κ_f/κ_t` the permafrost
//!   elevation-change model needs.
//! * The Stefan thaw depth, the seasonal subsidence of a uniformly wet active
//!   layer, and their inverse (the water content or thaw depth that explains a
//!   fitted seasonal amplitude) by fixed-point iteration.
//!
//! The formulas and their conventions are fixed in the workspace's
//! `SCIENCE.md` §1. Everything works element-wise on `ndarray` rasters with
//! `NaN` propagation and has a scalar form.
//!
//! *Status:* the workspace skeleton; the algorithms land with issue \[2\]
//! "thermo-johansen and era5-forcing".
