//! Memory is bounded by the chunk size and the number of cells, not by the
//! number of points: 10⁸ points streamed in pushes of 10⁶ through a binner
//! with the default chunks (2¹⁸ points) keep the peak resident set near its
//! start.
//!
//! Ignored by default (it takes tens of seconds); run it with
//! `cargo test -p upscale-dist --release --test memory -- --ignored --nocapture`.
//! Linux only (reads `VmHWM` from `/proc/self/status`).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use upscale_dist::{BinningParams, Grid};

fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
#[ignore = "streams 10^8 points; run with --release --ignored"]
fn hundred_million_points_in_bounded_memory() {
    const TOTAL: usize = 100_000_000;
    const PUSH: usize = 1_000_000;
    // 100 × 100 cells, 50 bins: 10⁴ cells × 456 B ≈ 4.6 MB of accumulators.
    let grid = Grid::from_edges(
        (0..=100).map(|i| -140.0 + 0.25 * i as f64).collect(),
        (0..=100).map(|i| 60.0 + 0.09 * i as f64).collect(),
    )
    .unwrap();
    let binning = BinningParams::new(-0.05, 0.05).build().unwrap();
    let mut binner = binning.binner(&grid);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let (mut lon, mut lat, mut val) = (vec![0.0; PUSH], vec![0.0; PUSH], vec![0.0f32; PUSH]);
    let before = peak_rss_kib();
    let start = std::time::Instant::now();
    let mut gen_time = 0.0;
    for _ in 0..TOTAL / PUSH {
        let t = std::time::Instant::now();
        for i in 0..PUSH {
            lon[i] = rng.random_range(-140.0..-115.0);
            lat[i] = rng.random_range(60.0..69.0);
            val[i] = rng.random_range(-0.06..0.06f32);
        }
        gen_time += t.elapsed().as_secs_f64();
        binner.push_points(&lon, &lat, &val).unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64() - gen_time;
    let r = binner.finish();
    let after = peak_rss_kib();
    assert_eq!(r.report.points_seen, TOTAL as u64);
    assert_eq!(r.counts.sum(), TOTAL as u64);
    println!(
        "10^8 points: binning {:.1} s ({:.1} M points/s, {} rayon threads); peak RSS {:?} KiB before, {:?} KiB after",
        elapsed,
        TOTAL as f64 / elapsed / 1e6,
        rayon::current_num_threads(),
        before,
        after
    );
    if let (Some(b), Some(a)) = (before, after) {
        // The push buffers (20 MB), chunk buffers (20 B × 2¹⁸) and the
        // accumulators: tens of MiB, against 2 GB for the 10⁸ points.
        assert!(a - b < 200 * 1024, "peak RSS grew by {} KiB", a - b);
    }
}
