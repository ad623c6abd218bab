//! Small-baseline (SBAS) InSAR: interferogram networks and the time-series
//! inversion of unwrapped interferograms into displacement histories.
//!
//! # What this crate owns
//!
//! * Network selection from acquisition dates (and perpendicular baselines):
//!   short temporal baselines plus inter-annual windows, connected components,
//!   per-date redundancy (Berardino et al. 2002).
//! * Design matrices in phase and velocity form with MintPy's sign
//!   conventions (Yunjun et al. 2019).
//! * Inversions per pixel: L2 minimum norm, weighted L2 (`coh`, `fim`, `var`,
//!   `no` weights), L1 by iteratively reweighted least squares, explicit
//!   handling of disconnected networks (minimum norm or NSBAS bridging).
//! * Quality: temporal coherence, residual RMS, rank, interferograms used;
//!   referencing, deramping and delay-stack subtraction.
//!
//! Linear algebra goes through `ndarray-linalg` with **no** LAPACK backend
//! selected here: the application (or the facade's features) chooses one.
//!
//! *Status:* workspace skeleton; the API above is being built under the
//! issue "\[2\] insar-sbas".
