//! The supervised classifier of the hotspot study (feature `lstm`): a
//! bidirectional LSTM over each pixel's displacement series, with an
//! optional dense branch for static features, trained with Adam on the
//! cross-entropy of the hotspot labels.
//!
//! Architecture (Keras terms, as in S-HOTSPOT):
//!
//! ```text
//! series (t × 1) ─ Bidirectional(LSTM(h₁, return_sequences)) ─ Dropout(p)
//!                ─ Bidirectional(LSTM(h₂)) ─ Dropout(p) ─┐
//! static (s) ─ Dense(d, relu) ───────────────────────────┴ concat ─ Dense(classes) ─ softmax
//! ```
//!
//! with `h₁ = 128`, `h₂ = 64`, `p = 0.2`, `d = 32` by default. A
//! bidirectional layer is a forward LSTM and a second LSTM run on the
//! time-reversed sequence, their outputs concatenated. The network runs on
//! the CPU in `f32` with [candle](https://github.com/huggingface/candle)
//! (pure Rust). Series and static features are standardised with the
//! training set's mean and standard deviation (kept in the model).
//!
//! Reproducibility: the initial weights, the split, the batch order and the
//! dropout masks are all drawn from one seeded ChaCha8 generator, so a run
//! is repeatable for a given seed and thread count.
//!
//! The full-size run on the synthetic hotspot scene (acceptance 4 of issue
//! #8: labels of the hotspot workflow on [`crate::synthetic::hotspot_scene`],
//! 2 500 pixels × 30 dates, 4 classes, 20 % held out) is the ignored test
//! `lstm_full_size_on_hotspot_scene`:
//! `cargo test -p cluster-ts --features lstm --test lstm -- --ignored --nocapture`
//! (the dev profile builds candle at opt-level 2; that is where the time
//! goes). Measured on 2026-11-21 on the 2-core machine shared with other
//! builds (`/usr/bin/time -v`; wall times are contended, CPU times are the
//! better guide):
//!
//! | epochs | held-out accuracy | macro P / R / F1 | CPU time | wall |
//! |---|---|---|---|---|
//! | 10 | 1.000 | 1.000 / 1.000 / 1.000 | 501 s user | 22 min 52 s (heavily contended) |
//! | 3 (the test now) | 1.000 | 1.000 / 1.000 / 1.000 | 94 s (87 user + 7 sys) | 1 min 34 s (training 92.7 s) |
//!
//! The training loss falls from 0.30 to 0.006 within 3 epochs (the same
//! three values in both runs: training is repeatable for a seed). CI runs the
//! same pipeline with a small network (16/8 units, 30 × 30 scene) in
//! `small_bilstm_learns_hotspot_labels` (seconds).
//!
//! ```
//! use cluster_ts::lstm::{Dataset, LstmClassifier, LstmConfig};
//! use ndarray::Array2;
//! // Rising against falling series, 12 dates.
//! let x = Array2::from_shape_fn((40, 12), |(i, t)| if i % 2 == 0 { t as f64 } else { -(t as f64) });
//! let y: Vec<usize> = (0..40).map(|i| i % 2).collect();
//! let cfg = LstmConfig { hidden: (8, 4), dense_static: 0, epochs: 15, ..LstmConfig::default() };
//! let (model, report) = LstmClassifier::train(&Dataset::new(x.view(), &y), &cfg).unwrap();
//! assert!(report.test.accuracy >= 0.9, "{:?}", report.test);
//! assert_eq!(model.predict(x.view(), None).unwrap()[..4], [0, 1, 0, 1]);
//! ```

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{
    lstm, AdamW, LSTMConfig, Linear, Module, Optimizer, ParamsAdamW, VarBuilder, VarMap, LSTM, RNN,
};
use ndarray::{Array2, ArrayView2};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::classification::{classification_scores, ClassificationScores};
use crate::error::{Error, Result};

fn dl(e: candle_core::Error) -> Error {
    Error::Model {
        message: e.to_string(),
    }
}

/// Hyper-parameters of [`LstmClassifier::train`].
#[derive(Debug, Clone, PartialEq)]
pub struct LstmConfig {
    /// Units of the two bidirectional layers, per direction (default (128, 64)).
    pub hidden: (usize, usize),
    /// Dropout after each recurrent layer (default 0.2).
    pub dropout: f64,
    /// Units of the dense static-feature branch (default 32; 0 = no
    /// branch even when static features are given).
    pub dense_static: usize,
    /// Adam learning rate (default 1e-3, Keras' default).
    pub learning_rate: f64,
    /// Passes over the training set (default 20).
    pub epochs: usize,
    /// Mini-batch size (default 32).
    pub batch_size: usize,
    /// Fraction of each class held out for testing (default 0.2).
    pub test_fraction: f64,
    /// Seed of the weights, split, batch order and dropout (default 0).
    pub seed: u64,
}

impl Default for LstmConfig {
    fn default() -> Self {
        Self {
            hidden: (128, 64),
            dropout: 0.2,
            dense_static: 32,
            learning_rate: 1e-3,
            epochs: 20,
            batch_size: 32,
            test_fraction: 0.2,
            seed: 0,
        }
    }
}

/// Labelled samples: series `(sample, date)`, optional static features
/// `(sample, feature)`, and classes `0..n_classes`.
#[derive(Debug, Clone)]
pub struct Dataset<'a> {
    /// Series, one per row.
    pub series: ArrayView2<'a, f64>,
    /// Static features, one row per sample.
    pub static_features: Option<ArrayView2<'a, f64>>,
    /// Class of each sample.
    pub labels: &'a [usize],
}

impl<'a> Dataset<'a> {
    /// Series and labels without static features.
    pub fn new(series: ArrayView2<'a, f64>, labels: &'a [usize]) -> Self {
        Self {
            series,
            static_features: None,
            labels,
        }
    }
    /// Adds static features.
    pub fn with_static(mut self, features: ArrayView2<'a, f64>) -> Self {
        self.static_features = Some(features);
        self
    }
}

/// What training reports.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainReport {
    /// Mean cross-entropy of each epoch over the training batches.
    pub loss_history: Vec<f64>,
    /// Indices of the held-out samples.
    pub test_indices: Vec<usize>,
    /// Scores on the held-out samples.
    pub test: ClassificationScores,
    /// Scores on the training samples (dropout off).
    pub train: ClassificationScores,
}

/// Sizes that define the network.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dims {
    n_dates: usize,
    n_static: usize,
    n_classes: usize,
    h1: usize,
    h2: usize,
    dense: usize,
}

struct Net {
    f1: LSTM,
    b1: LSTM,
    f2: LSTM,
    b2: LSTM,
    dense: Option<Linear>,
    out: Linear,
}

impl Net {
    fn new(d: &Dims, vb: &VarBuilder<'_>) -> candle_core::Result<Self> {
        let c = LSTMConfig::default();
        let dense = if d.n_static > 0 && d.dense > 0 {
            Some(candle_nn::linear(
                d.n_static,
                d.dense,
                vb.pp("dense_static"),
            )?)
        } else {
            None
        };
        let head = 2 * d.h2 + if dense.is_some() { d.dense } else { 0 };
        Ok(Self {
            f1: lstm(1, d.h1, c, vb.pp("l1_forward"))?,
            b1: lstm(1, d.h1, c, vb.pp("l1_backward"))?,
            f2: lstm(2 * d.h1, d.h2, c, vb.pp("l2_forward"))?,
            b2: lstm(2 * d.h1, d.h2, c, vb.pp("l2_backward"))?,
            dense,
            out: candle_nn::linear(head, d.n_classes, vb.pp("output"))?,
        })
    }

    /// Logits `(batch, classes)`; `drop` gives dropout masks when training.
    fn forward(
        &self,
        x: &Tensor,
        s: Option<&Tensor>,
        drop: &mut Option<(&mut ChaCha8Rng, f64)>,
    ) -> candle_core::Result<Tensor> {
        let t = x.dim(1)?;
        let rev = Tensor::from_vec((0..t as u32).rev().collect::<Vec<_>>(), t, x.device())?;
        let xr = x.index_select(&rev, 1)?;
        let hf: Vec<Tensor> = self.f1.seq(x)?.iter().map(|s| s.h().clone()).collect();
        let mut hb: Vec<Tensor> = self.b1.seq(&xr)?.iter().map(|s| s.h().clone()).collect();
        hb.reverse();
        let seq1 = Tensor::cat(&[Tensor::stack(&hf, 1)?, Tensor::stack(&hb, 1)?], 2)?;
        let seq1 = dropout(&seq1, drop)?;
        let seq1r = seq1.index_select(&rev, 1)?;
        let last_f = self.f2.seq(&seq1)?.pop().map(|s| s.h().clone());
        let last_b = self.b2.seq(&seq1r)?.pop().map(|s| s.h().clone());
        let (Some(lf), Some(lb)) = (last_f, last_b) else {
            candle_core::bail!("empty sequence");
        };
        let mut feats = vec![lf, lb];
        let h = Tensor::cat(&feats, 1)?;
        let h = dropout(&h, drop)?;
        feats.clear();
        feats.push(h);
        if let (Some(dense), Some(s)) = (&self.dense, s) {
            feats.push(dense.forward(s)?.relu()?);
        }
        self.out.forward(&Tensor::cat(&feats, 1)?)
    }
}

/// Inverted dropout with a mask from the seeded generator (no-op when not
/// training).
fn dropout(x: &Tensor, drop: &mut Option<(&mut ChaCha8Rng, f64)>) -> candle_core::Result<Tensor> {
    match drop {
        Some((rng, p)) if *p > 0.0 => {
            let keep = 1.0 - *p;
            let n = x.elem_count();
            let mask: Vec<f32> = (0..n)
                .map(|_| {
                    if rng.random::<f64>() < keep {
                        (1.0 / keep) as f32
                    } else {
                        0.0
                    }
                })
                .collect();
            x.mul(&Tensor::from_vec(mask, x.shape(), x.device())?)
        }
        _ => Ok(x.clone()),
    }
}

/// A trained classifier (weights, sizes and the standardisation).
pub struct LstmClassifier {
    varmap: VarMap,
    net: Net,
    dims: Dims,
    dropout: f64,
    /// Series mean and standard deviation, then per static feature.
    norm: Vec<f64>,
}

impl std::fmt::Debug for LstmClassifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LstmClassifier")
            .field("dims", &self.dims)
            .field("dropout", &self.dropout)
            .finish_non_exhaustive()
    }
}

fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count().max(1) as f64;
    let m = values.clone().sum::<f64>() / n;
    let v = values.map(|x| (x - m) * (x - m)).sum::<f64>() / n;
    (m, if v > 0.0 { v.sqrt() } else { 1.0 })
}

fn check_finite(what: &'static str, a: ArrayView2<'_, f64>) -> Result<()> {
    for ((r, c), v) in a.indexed_iter() {
        if !v.is_finite() {
            return Err(Error::NonFinite {
                what,
                row: r,
                col: c,
                value: *v,
            });
        }
    }
    Ok(())
}

impl LstmClassifier {
    /// Number of classes the model predicts.
    pub fn n_classes(&self) -> usize {
        self.dims.n_classes
    }

    /// Number of dates of the series the model takes.
    pub fn n_dates(&self) -> usize {
        self.dims.n_dates
    }

    /// Number of static features the model takes (0: none).
    pub fn n_static(&self) -> usize {
        self.dims.n_static
    }

    fn build(
        dims: Dims,
        dropout: f64,
        norm: Vec<f64>,
        rng: Option<&mut ChaCha8Rng>,
    ) -> Result<Self> {
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let net = Net::new(&dims, &vb).map_err(dl)?;
        if let Some(rng) = rng {
            // Seeded Glorot-uniform weights (Keras' default), zero biases.
            let data = varmap.data().lock().map_err(|_| Error::Model {
                message: "weights lock poisoned".into(),
            })?;
            let mut names: Vec<&String> = data.keys().collect();
            names.sort();
            for name in names {
                let var = &data[name];
                let shape = var.shape().clone();
                let dims_v = shape.dims();
                let values: Vec<f32> = if dims_v.len() == 2 {
                    let limit = (6.0 / (dims_v[0] + dims_v[1]) as f64).sqrt();
                    (0..shape.elem_count())
                        .map(|_| ((rng.random::<f64>() * 2.0 - 1.0) * limit) as f32)
                        .collect()
                } else {
                    vec![0.0; shape.elem_count()]
                };
                var.set(&Tensor::from_vec(values, shape, &Device::Cpu).map_err(dl)?)
                    .map_err(dl)?;
            }
        }
        Ok(Self {
            varmap,
            net,
            dims,
            dropout,
            norm,
        })
    }

    fn inputs(
        &self,
        series: ArrayView2<'_, f64>,
        stat: Option<ArrayView2<'_, f64>>,
        rows: &[usize],
    ) -> Result<(Tensor, Option<Tensor>)> {
        let t = self.dims.n_dates;
        let (m, sd) = (self.norm[0], self.norm[1]);
        let mut xs = Vec::with_capacity(rows.len() * t);
        for &i in rows {
            xs.extend(series.row(i).iter().map(|&v| ((v - m) / sd) as f32));
        }
        let x = Tensor::from_vec(xs, (rows.len(), t, 1), &Device::Cpu).map_err(dl)?;
        let s = match (stat, self.net.dense.is_some()) {
            (Some(st), true) => {
                let ns = self.dims.n_static;
                let mut v = Vec::with_capacity(rows.len() * ns);
                for &i in rows {
                    for j in 0..ns {
                        v.push(((st[[i, j]] - self.norm[2 + j]) / self.norm[2 + ns + j]) as f32);
                    }
                }
                Some(Tensor::from_vec(v, (rows.len(), ns), &Device::Cpu).map_err(dl)?)
            }
            _ => None,
        };
        Ok((x, s))
    }

    fn check_inputs(
        &self,
        series: ArrayView2<'_, f64>,
        stat: Option<ArrayView2<'_, f64>>,
    ) -> Result<()> {
        if series.ncols() != self.dims.n_dates {
            return Err(Error::ShapeMismatch {
                what: "series dates",
                expected: self.dims.n_dates,
                found: series.ncols(),
            });
        }
        check_finite("series", series)?;
        if self.dims.n_static > 0 && self.net.dense.is_some() {
            let Some(st) = stat else {
                return Err(Error::InvalidParameter {
                    name: "static_features",
                    value: "missing".into(),
                    reason: "the model was trained with static features",
                });
            };
            if st.ncols() != self.dims.n_static || st.nrows() != series.nrows() {
                return Err(Error::ShapeMismatch {
                    what: "static_features",
                    expected: self.dims.n_static,
                    found: st.ncols(),
                });
            }
            check_finite("static_features", st)?;
        }
        Ok(())
    }

    /// Trains on a stratified `1 − test_fraction` of `data` and scores the
    /// held-out rest.
    ///
    /// Errors: empty or non-finite inputs, mismatched lengths, fewer than
    /// two classes, invalid hyper-parameters.
    pub fn train(data: &Dataset<'_>, cfg: &LstmConfig) -> Result<(Self, TrainReport)> {
        let n = data.series.nrows();
        let t = data.series.ncols();
        if n == 0 || t == 0 {
            return Err(Error::EmptyInput { what: "series" });
        }
        if data.labels.len() != n {
            return Err(Error::ShapeMismatch {
                what: "labels",
                expected: n,
                found: data.labels.len(),
            });
        }
        check_finite("series", data.series)?;
        if let Some(st) = data.static_features {
            if st.nrows() != n {
                return Err(Error::ShapeMismatch {
                    what: "static_features",
                    expected: n,
                    found: st.nrows(),
                });
            }
            check_finite("static_features", st)?;
        }
        let invalid = |name: &'static str, value: String, reason: &'static str| {
            Err(Error::InvalidParameter {
                name,
                value,
                reason,
            })
        };
        if cfg.hidden.0 == 0 || cfg.hidden.1 == 0 {
            return invalid("hidden", format!("{:?}", cfg.hidden), "units must be ≥ 1");
        }
        if !(0.0..1.0).contains(&cfg.dropout) {
            return invalid("dropout", cfg.dropout.to_string(), "must be in [0, 1)");
        }
        if !(cfg.learning_rate > 0.0 && cfg.learning_rate.is_finite()) {
            return invalid(
                "learning_rate",
                cfg.learning_rate.to_string(),
                "must be > 0",
            );
        }
        if cfg.epochs == 0 || cfg.batch_size == 0 {
            return invalid(
                "epochs/batch_size",
                format!("{}/{}", cfg.epochs, cfg.batch_size),
                "must be ≥ 1",
            );
        }
        if !(0.0..1.0).contains(&cfg.test_fraction) || cfg.test_fraction.is_nan() {
            return invalid(
                "test_fraction",
                cfg.test_fraction.to_string(),
                "must be in [0, 1)",
            );
        }
        let n_classes = data.labels.iter().copied().max().unwrap_or(0) + 1;
        if n_classes < 2 {
            return invalid("labels", "one class".into(), "need at least two classes");
        }
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        // Stratified split.
        let mut test = Vec::new();
        let mut train = Vec::new();
        for c in 0..n_classes {
            let mut members: Vec<usize> = (0..n).filter(|&i| data.labels[i] == c).collect();
            members.shuffle(&mut rng);
            let k = (cfg.test_fraction * members.len() as f64).round() as usize;
            test.extend_from_slice(&members[..k]);
            train.extend_from_slice(&members[k..]);
        }
        test.sort_unstable();
        train.sort_unstable();
        if train.is_empty() {
            return Err(Error::EmptyInput {
                what: "training set",
            });
        }
        // Standardisation from the training rows.
        let (m, sd) = mean_sd(train.iter().flat_map(|&i| data.series.row(i).to_vec()));
        let mut norm = vec![m, sd];
        let n_static = data.static_features.map_or(0, |s| s.ncols());
        if let Some(st) = data.static_features {
            let stats: Vec<(f64, f64)> = (0..n_static)
                .map(|j| mean_sd(train.iter().map(|&i| st[[i, j]])))
                .collect();
            norm.extend(stats.iter().map(|s| s.0));
            norm.extend(stats.iter().map(|s| s.1));
        }
        let dims = Dims {
            n_dates: t,
            n_static,
            n_classes,
            h1: cfg.hidden.0,
            h2: cfg.hidden.1,
            dense: cfg.dense_static,
        };
        let model = Self::build(dims, cfg.dropout, norm, Some(&mut rng))?;
        let mut opt = AdamW::new(
            model.varmap.all_vars(),
            ParamsAdamW {
                lr: cfg.learning_rate,
                weight_decay: 0.0,
                ..ParamsAdamW::default()
            },
        )
        .map_err(dl)?;
        let mut loss_history = Vec::with_capacity(cfg.epochs);
        let mut order = train.clone();
        for _ in 0..cfg.epochs {
            order.shuffle(&mut rng);
            let (mut total, mut batches) = (0.0, 0usize);
            for batch in order.chunks(cfg.batch_size) {
                let (x, s) = model.inputs(data.series, data.static_features, batch)?;
                let y: Vec<u32> = batch.iter().map(|&i| data.labels[i] as u32).collect();
                let y = Tensor::from_vec(y, batch.len(), &Device::Cpu).map_err(dl)?;
                let mut drop = Some((&mut rng, cfg.dropout));
                let logits = model.net.forward(&x, s.as_ref(), &mut drop).map_err(dl)?;
                let loss = candle_nn::loss::cross_entropy(&logits, &y).map_err(dl)?;
                opt.backward_step(&loss).map_err(dl)?;
                total += f64::from(loss.to_scalar::<f32>().map_err(dl)?);
                batches += 1;
            }
            loss_history.push(total / batches as f64);
        }
        let score = |rows: &[usize]| -> Result<ClassificationScores> {
            if rows.is_empty() {
                return Ok(ClassificationScores {
                    accuracy: f64::NAN,
                    macro_precision: f64::NAN,
                    macro_recall: f64::NAN,
                    macro_f1: f64::NAN,
                    confusion: Array2::zeros((n_classes, n_classes)),
                });
            }
            let pred = model.predict_rows(data.series, data.static_features, rows)?;
            let truth: Vec<usize> = rows.iter().map(|&i| data.labels[i]).collect();
            classification_scores(&truth, &pred)
        };
        let report = TrainReport {
            loss_history,
            test: score(&test)?,
            train: score(&train)?,
            test_indices: test,
        };
        Ok((model, report))
    }

    fn predict_rows(
        &self,
        series: ArrayView2<'_, f64>,
        stat: Option<ArrayView2<'_, f64>>,
        rows: &[usize],
    ) -> Result<Vec<usize>> {
        let mut out = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(256) {
            let (x, s) = self.inputs(series, stat, chunk)?;
            let logits = self.net.forward(&x, s.as_ref(), &mut None).map_err(dl)?;
            let am = logits.argmax(1).map_err(dl)?.to_vec1::<u32>().map_err(dl)?;
            out.extend(am.into_iter().map(|c| c as usize));
        }
        Ok(out)
    }

    /// Predicted class of each series (rows of `series`; `static_features`
    /// required when the model was trained with them).
    pub fn predict(
        &self,
        series: ArrayView2<'_, f64>,
        static_features: Option<ArrayView2<'_, f64>>,
    ) -> Result<Vec<usize>> {
        self.check_inputs(series, static_features)?;
        let rows: Vec<usize> = (0..series.nrows()).collect();
        self.predict_rows(series, static_features, &rows)
    }

    /// Scores of the model on labelled samples.
    pub fn evaluate(&self, data: &Dataset<'_>) -> Result<ClassificationScores> {
        let pred = self.predict(data.series, data.static_features)?;
        classification_scores(data.labels, &pred)
    }

    /// Saves weights, sizes and standardisation as one safetensors file
    /// (written to a temporary file, then renamed).
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |e: candle_core::Error| Error::Model {
            message: format!("{}: {e}", path.display()),
        };
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        {
            let data = self.varmap.data().lock().map_err(|_| Error::Model {
                message: "weights lock poisoned".into(),
            })?;
            for (k, v) in data.iter() {
                tensors.insert(k.clone(), v.as_tensor().clone());
            }
        }
        let d = &self.dims;
        let dims = vec![d.n_dates, d.n_static, d.n_classes, d.h1, d.h2, d.dense]
            .into_iter()
            .map(|v| v as u32)
            .collect::<Vec<_>>();
        tensors.insert(
            "meta.dims".into(),
            Tensor::new(dims, &Device::Cpu).map_err(io)?,
        );
        tensors.insert(
            "meta.norm".into(),
            Tensor::new(self.norm.clone(), &Device::Cpu).map_err(io)?,
        );
        tensors.insert(
            "meta.dropout".into(),
            Tensor::new(vec![self.dropout], &Device::Cpu).map_err(io)?,
        );
        let tmp = path.with_extension("safetensors.tmp");
        candle_core::safetensors::save(&tensors, &tmp).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(|e| Error::Model {
            message: format!("{}: {e}", path.display()),
        })
    }

    /// Loads a model written by [`LstmClassifier::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let bad = |m: String| Error::Model {
            message: format!("{}: {m}", path.display()),
        };
        let tensors =
            candle_core::safetensors::load(path, &Device::Cpu).map_err(|e| bad(e.to_string()))?;
        let get = |k: &str| {
            tensors
                .get(k)
                .ok_or_else(|| bad(format!("no tensor `{k}`")))
        };
        let dims: Vec<u32> = get("meta.dims")?
            .to_vec1()
            .map_err(|e| bad(e.to_string()))?;
        if dims.len() != 6 {
            return Err(bad(format!(
                "meta.dims has {} entries, expected 6",
                dims.len()
            )));
        }
        let norm: Vec<f64> = get("meta.norm")?
            .to_vec1()
            .map_err(|e| bad(e.to_string()))?;
        let dropout: Vec<f64> = get("meta.dropout")?
            .to_vec1()
            .map_err(|e| bad(e.to_string()))?;
        let d = Dims {
            n_dates: dims[0] as usize,
            n_static: dims[1] as usize,
            n_classes: dims[2] as usize,
            h1: dims[3] as usize,
            h2: dims[4] as usize,
            dense: dims[5] as usize,
        };
        if norm.len() != 2 + 2 * d.n_static {
            return Err(bad(format!("meta.norm has {} entries", norm.len())));
        }
        let model = Self::build(d, dropout.first().copied().unwrap_or(0.0), norm, None)?;
        {
            let data = model.varmap.data().lock().map_err(|_| bad("lock".into()))?;
            for (k, var) in data.iter() {
                let t = get(k)?;
                if t.shape() != var.shape() {
                    return Err(bad(format!(
                        "tensor `{k}` has shape {:?}, expected {:?}",
                        t.shape(),
                        var.shape()
                    )));
                }
                Var::set(var, t).map_err(|e| bad(e.to_string()))?;
            }
        }
        Ok(model)
    }
}
