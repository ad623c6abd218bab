//! Results do not depend on the number of threads nor on the block size:
//! bit-for-bit identical outputs from pools of 1 and 3 threads.

mod common;

use common::{default_network, regular_dates, synthetic};
use insar_sbas::{InversionParams, Norm, TimeSeries, Weighting};

fn bits(ts: &TimeSeries<f64>) -> Vec<u64> {
    ts.phase
        .iter()
        .chain(ts.temporal_coherence.iter())
        .chain(ts.residual_rms.iter())
        .map(|v| v.to_bits())
        .chain(ts.rank.iter().map(|&v| u64::from(v)))
        .chain(ts.n_used.iter().map(|&v| u64::from(v)))
        .chain(ts.iterations.iter().map(|&v| u64::from(v)))
        .collect()
}

#[test]
fn identical_results_for_any_thread_count_and_block_size() {
    let net = default_network(&regular_dates(31, 12));
    let mut syn = synthetic(net.clone(), 9, 7, 0.4, 0.05, 21);
    // Missing values so that pixels have different validity patterns.
    for (i, v) in syn.phase.iter_mut().enumerate() {
        if i % 13 == 0 {
            *v = f64::NAN;
        }
    }
    let (net, syn) = (&net, &syn);
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let three = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    for (norm, w) in [
        (Norm::L2, Weighting::No),
        (Norm::L2, Weighting::Fisher),
        (Norm::L1, Weighting::Coherence),
    ] {
        let run = |block: usize| {
            let inv = InversionParams::new()
                .with_norm(norm)
                .with_weighting(w)
                .with_block_pixels(block)
                .build()
                .unwrap();
            move || {
                inv.invert(net, syn.phase.view(), Some(syn.coherence.view()))
                    .unwrap()
            }
        };
        let a = one.install(run(7));
        let b = three.install(run(7));
        let c = three.install(run(1000));
        assert!(bits(&a) == bits(&b), "{norm} {w}: 1 vs 3 threads");
        assert!(bits(&a) == bits(&c), "{norm} {w}: block sizes");
        assert_eq!(a.status, b.status);
    }
}
