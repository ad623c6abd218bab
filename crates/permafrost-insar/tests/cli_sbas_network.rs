//! `sbas network`: pair lists, components and redundancy from a date list,
//! a text file with baselines, a MintPy `ifgramStack.h5` and a GeoTIFF
//! folder; checked against an independent enumeration of the rule, the
//! stack's own `bperp`, and bad input.

mod common;
use common::{cli_json as cli, testdata};

use std::path::Path;

use chrono::{Duration, NaiveDate};
use permafrost_insar::io::h5;

fn network(dates: &str, extra: &[&str], out: &Path) -> (bool, serde_json::Value, String) {
    let out = out.to_string_lossy().into_owned();
    let mut args = vec!["--json", "sbas", "network", "--dates", dates];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--out", &out]);
    cli(&args)
}

/// Rows of a CSV file (header dropped), split at commas.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .expect("csv")
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// 12-day dates with a 5-per-mille-irregular B⊥ history.
fn dates_and_bperp(n: usize) -> (Vec<NaiveDate>, Vec<f64>) {
    let t0 = NaiveDate::from_ymd_opt(2017, 1, 3).expect("date");
    let dates = (0..n).map(|i| t0 + Duration::days(12 * i as i64)).collect();
    let bperp = (0..n)
        .map(|i| 120.0 * ((i * 37 % 23) as f64 / 22.0 - 0.5))
        .collect();
    (dates, bperp)
}

/// The rule enumerated independently: (i, j, days) of every selected pair
/// and the number dropped by the |B⊥| limit.
fn expected_pairs(
    dates: &[NaiveDate],
    bperp: &[f64],
    max_days: i64,
    windows: &[(i64, i64)],
    max_bperp: Option<f64>,
) -> (Vec<(usize, usize, i64)>, usize) {
    let mut kept = Vec::new();
    let mut dropped = 0;
    for i in 0..dates.len() {
        for j in i + 1..dates.len() {
            let days = (dates[j] - dates[i]).num_days();
            let candidate = days <= max_days || windows.iter().any(|w| w.0 <= days && days <= w.1);
            if !candidate {
                continue;
            }
            if max_bperp.is_some_and(|b| (bperp[j] - bperp[i]).abs() > b) {
                dropped += 1;
            } else {
                kept.push((i, j, days));
            }
        }
    }
    (kept, dropped)
}

#[test]
fn text_file_with_baselines_matches_the_rule_enumerated_independently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (dates, bperp) = dates_and_bperp(95);
    // Unsorted on purpose, with a header and a comment.
    let mut text = String::from("date,bperp\n# acquisitions\n");
    for i in (0..dates.len()).rev() {
        text.push_str(&format!("{},{}\n", dates[i].format("%Y-%m-%d"), bperp[i]));
    }
    let file = dir.path().join("dates.csv");
    std::fs::write(&file, text).expect("write");
    let file = file.to_string_lossy().into_owned();

    for (name, extra, max_days, windows, max_b) in [
        ("defaults", vec![], 40, vec![(350, 380), (725, 735)], None),
        (
            "study",
            vec![
                "--max-temporal-baseline",
                "24",
                "--window",
                "355-365",
                "--window",
                "725-735",
                "--max-bperp",
                "45",
            ],
            24,
            vec![(355, 365), (725, 735)],
            Some(45.0),
        ),
        ("short only", vec!["--no-windows"], 40, vec![], None),
    ] {
        let out = dir.path().join(name.replace(' ', "_"));
        let (ok, v, err) = network(&file, &extra, &out);
        assert!(ok, "{name}: {err}");
        let (pairs, dropped) = expected_pairs(&dates, &bperp, max_days, &windows, max_b);
        assert_eq!(v["n_pairs"], pairs.len(), "{name}");
        assert_eq!(v["n_dropped"], dropped, "{name}");
        assert_eq!(v["n_dates"], dates.len());
        assert_eq!(v["source"], "text");
        // pairs.csv: the same pairs in the same order, with baselines.
        let rows = csv_rows(&out.join("pairs.csv"));
        assert_eq!(rows.len(), pairs.len(), "{name}");
        for (row, &(i, j, days)) in rows.iter().zip(&pairs) {
            assert_eq!(row[0], dates[i].format("%Y%m%d").to_string());
            assert_eq!(row[1], dates[j].format("%Y%m%d").to_string());
            assert_eq!(row[2].parse::<i64>().unwrap(), days);
            let b: f64 = row[3].parse().unwrap();
            assert!((b - (bperp[j] - bperp[i])).abs() < 1e-9, "{row:?}");
        }
        // MintPy-style list: one `YYYYMMDD_YYYYMMDD  Btemp  Bperp` line per pair.
        let txt = std::fs::read_to_string(out.join("ifgram_list.txt")).expect("txt");
        let lines: Vec<&str> = txt.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines.len(), pairs.len());
        for (line, &(i, j, days)) in lines.iter().zip(&pairs) {
            let t: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                t[0],
                format!(
                    "{}_{}",
                    dates[i].format("%Y%m%d"),
                    dates[j].format("%Y%m%d")
                )
            );
            assert_eq!(t[1].parse::<i64>().unwrap(), days);
            assert!((t[2].parse::<f64>().unwrap() - (bperp[j] - bperp[i])).abs() <= 0.051);
        }
        // Redundancy: interferograms per date, in JSON and dates.csv.
        let mut red = vec![0usize; dates.len()];
        for &(i, j, _) in &pairs {
            red[i] += 1;
            red[j] += 1;
        }
        let json_red: Vec<usize> = v["redundancy"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(json_red, red, "{name}");
        assert_eq!(v["min_redundancy"], *red.iter().min().unwrap());
        let drows = csv_rows(&out.join("dates.csv"));
        for (k, row) in drows.iter().enumerate() {
            assert_eq!(row[2].parse::<usize>().unwrap(), red[k]);
            assert!((row[1].parse::<f64>().unwrap() - bperp[k]).abs() < 1e-9);
        }
        assert_eq!(v["connected"], true, "{name}");
        assert_eq!(v["n_components"], 1);
        assert!(v["gap"].is_null());
        assert_eq!(v["outputs"].as_array().map(Vec::len), Some(3));
    }
}

#[test]
fn stack_and_geotiff_folder_give_the_stacks_dates_and_baselines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let stack = testdata("stack/ifgramStack.h5");
    let (ok, v, err) = network(&stack.to_string_lossy(), &[], &dir.path().join("h5"));
    assert!(ok, "{err}");
    assert_eq!(v["source"], "ifgramStack.h5");
    assert_eq!(v["n_dates"], 31);
    // Per-date B⊥ (least squares over the stack's pairs) reproduces the
    // stack's per-interferogram bperp (float32).
    let pairs = h5::read_strings(&stack, "date").expect("date");
    let bperp = h5::read_f64(&stack, "bperp").expect("bperp");
    let drows = csv_rows(&dir.path().join("h5/dates.csv"));
    let b_of = |d: &str| -> f64 {
        drows
            .iter()
            .find(|r| r[0] == d.trim())
            .map(|r| r[1].parse().unwrap())
            .unwrap_or_else(|| panic!("date {d}"))
    };
    assert_eq!(b_of(&pairs[0]), 0.0, "first date is the B⊥ reference");
    for (k, p) in pairs.chunks_exact(2).enumerate() {
        let d = b_of(&p[1]) - b_of(&p[0]);
        assert!((d - bperp[k]).abs() < 1e-3, "ifg {k}: {d} vs {}", bperp[k]);
    }
    let (ok, vt, err) = network(
        &testdata("stack/unw").to_string_lossy(),
        &[],
        &dir.path().join("tif"),
    );
    assert!(ok, "{err}");
    assert_eq!(vt["source"], "geotiff");
    assert_eq!(vt["dates"], v["dates"]);
    assert_eq!(vt["n_pairs"], v["n_pairs"]);
}

#[test]
fn a_disconnected_selection_is_reported_or_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dates = "20170103,20170115,20170127,20170401,20170413";
    let (ok, v, err) = network(dates, &[], &dir.path().join("a"));
    assert!(ok, "{err}");
    assert_eq!(v["connected"], false);
    assert_eq!(v["n_components"], 2);
    assert_eq!(v["components"][0]["last"], "20170127");
    assert_eq!(v["components"][1]["first"], "20170401");
    assert!(
        v["gap"]
            .as_str()
            .unwrap()
            .contains("network splits between 2017-01-27 and 2017-04-01"),
        "{}",
        v["gap"]
    );
    assert!(err.contains("disconnected"), "{err}");
    let comps: Vec<String> = csv_rows(&dir.path().join("a/dates.csv"))
        .into_iter()
        .map(|r| r[3].clone())
        .collect();
    assert_eq!(comps, ["0", "0", "0", "1", "1"]);
    let (ok, _, err) = network(dates, &["--require-connected"], &dir.path().join("b"));
    assert!(!ok);
    assert!(
        err.contains("network splits between 2017-01-27 and 2017-04-01"),
        "{err}"
    );
    assert!(!dir.path().join("b/pairs.csv").exists());
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let bad_line = dir.path().join("bad.txt");
    std::fs::write(&bad_line, "20170103\n20170115\n2017-13-01\n").expect("write");
    let partial = dir.path().join("partial.txt");
    std::fs::write(&partial, "20170103 0.0\n20170115\n").expect("write");
    let tif_dir = dir.path().join("tifs");
    std::fs::create_dir(&tif_dir).expect("mkdir");
    std::fs::write(tif_dir.join("interferogram.tif"), b"not read").expect("write");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--dates".into(), bad_line.to_string_lossy().into_owned()],
            "line 3: `2017-13-01` is not a date",
        ),
        (
            vec!["--dates".into(), partial.to_string_lossy().into_owned()],
            "1 of 2 lines give a perpendicular baseline",
        ),
        (
            vec!["--dates".into(), "20170103,2017011".into()],
            "`2017011` is neither a file nor a date",
        ),
        (
            vec!["--dates".into(), "20170103,20170115,20170103".into()],
            "date 20170103 appears twice (entries 0 and 2)",
        ),
        (
            vec![
                "--dates".into(),
                "20170103,20170115".into(),
                "--bperp".into(),
                "0,1,2".into(),
            ],
            "3 perpendicular baselines for 2 dates",
        ),
        (
            vec![
                "--dates".into(),
                "20170103,20170115".into(),
                "--bperp".into(),
                "0,x".into(),
            ],
            "--bperp: value 1 `x` is not a finite number",
        ),
        (
            vec![
                "--dates".into(),
                "20170103,20170115".into(),
                "--max-bperp".into(),
                "100".into(),
            ],
            "--max-bperp needs perpendicular baselines",
        ),
        (
            vec![
                "--dates".into(),
                "20170103,20170115".into(),
                "--window".into(),
                "380-350".into(),
            ],
            "interannual_windows",
        ),
        (
            vec![
                "--dates".into(),
                "20170103,20170115".into(),
                "--window".into(),
                "year".into(),
            ],
            "--window `year`: expected MIN-MAX days",
        ),
        (
            vec!["--dates".into(), tif_dir.to_string_lossy().into_owned()],
            "no YYYYMMDD_YYYYMMDD pair",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["sbas".to_string(), "network".to_string()];
        all.extend(args.iter().cloned());
        all.extend(["--out".to_string(), out.to_string_lossy().into_owned()]);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let (ok, _, err) = cli(&refs);
        assert!(!ok, "{args:?} should fail");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
