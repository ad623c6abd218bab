//! Quality of a pixel's inversion from its interferogram residuals
//! eₖ = Δφₖ − (φ_secondary − φ_reference), over the interferograms used.

use crate::laplacian::NetworkData;

/// Temporal coherence and residual RMS of one pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Quality {
    /// |Σ exp(j·eₖ)| / M (Pepe & Lanari 2006; MintPy's `temporalCoherence`).
    pub temporal_coherence: f64,
    /// sqrt(Σ eₖ² / M), radians.
    pub residual_rms: f64,
}

/// Quality over the interferograms `rows` of `y`, with the phases `x`.
/// Residuals are unweighted, as in MintPy.
pub(crate) fn quality(net: &NetworkData, rows: &[usize], y: &[f64], x: &[f64]) -> Quality {
    let (mut re, mut im, mut sq) = (0.0, 0.0, 0.0);
    for &k in rows {
        let (a, b) = net.pairs[k];
        let e = y[k] - (x[b] - x[a]);
        let (s, c) = e.sin_cos();
        re += c;
        im += s;
        sq += e * e;
    }
    let m = rows.len() as f64;
    Quality {
        temporal_coherence: re.hypot(im) / m,
        residual_rms: (sq / m).sqrt(),
    }
}
