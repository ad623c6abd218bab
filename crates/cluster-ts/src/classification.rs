//! Scores of a classifier on labelled samples: accuracy and macro-averaged
//! precision, recall and F1 (scikit-learn's `accuracy_score` and
//! `precision_recall_fscore_support(average="macro", zero_division=0)`).

use ndarray::Array2;

use crate::error::{Error, Result};

/// Accuracy, macro precision / recall / F1 and the confusion matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassificationScores {
    /// Fraction of samples whose predicted class is the true one.
    pub accuracy: f64,
    /// Unweighted mean over classes of `TP / (TP + FP)` (0 for a class
    /// never predicted).
    pub macro_precision: f64,
    /// Unweighted mean over classes of `TP / (TP + FN)` (0 for a class
    /// absent from the truth).
    pub macro_recall: f64,
    /// Unweighted mean over classes of the per-class F1 (0 when precision
    /// and recall are both 0).
    pub macro_f1: f64,
    /// `confusion[[true, predicted]]` counts.
    pub confusion: Array2<usize>,
}

/// Scores of `predicted` against `truth` over the classes that occur in
/// either (scikit-learn's label set for macro averages).
///
/// ```
/// use cluster_ts::classification_scores;
/// let s = classification_scores(&[0, 0, 1, 1, 2, 2], &[0, 1, 1, 1, 2, 0]).unwrap();
/// assert!((s.accuracy - 4.0 / 6.0).abs() < 1e-15);
/// // sklearn: precision_recall_fscore_support(average="macro")
/// assert!((s.macro_precision - (0.5 + 2.0 / 3.0 + 1.0) / 3.0).abs() < 1e-15);
/// assert!((s.macro_recall - (0.5 + 1.0 + 0.5) / 3.0).abs() < 1e-15);
/// ```
///
/// Errors: different lengths, empty input.
pub fn classification_scores(truth: &[usize], predicted: &[usize]) -> Result<ClassificationScores> {
    if truth.is_empty() {
        return Err(Error::EmptyInput { what: "truth" });
    }
    if predicted.len() != truth.len() {
        return Err(Error::ShapeMismatch {
            what: "predicted",
            expected: truth.len(),
            found: predicted.len(),
        });
    }
    let k = truth.iter().chain(predicted).copied().max().unwrap_or(0) + 1;
    let mut confusion = Array2::zeros((k, k));
    for (&t, &p) in truth.iter().zip(predicted) {
        confusion[[t, p]] += 1;
    }
    let n = truth.len() as f64;
    let correct: usize = (0..k).map(|c| confusion[[c, c]]).sum();
    let (mut sp, mut sr, mut sf, mut classes) = (0.0, 0.0, 0.0, 0usize);
    for c in 0..k {
        let tp = confusion[[c, c]] as f64;
        let predicted_c: usize = confusion.column(c).sum();
        let true_c: usize = confusion.row(c).sum();
        if predicted_c == 0 && true_c == 0 {
            continue;
        }
        classes += 1;
        let p = if predicted_c > 0 {
            tp / predicted_c as f64
        } else {
            0.0
        };
        let r = if true_c > 0 { tp / true_c as f64 } else { 0.0 };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        sp += p;
        sr += r;
        sf += f;
    }
    let m = classes as f64;
    Ok(ClassificationScores {
        accuracy: correct as f64 / n,
        macro_precision: sp / m,
        macro_recall: sr / m,
        macro_f1: sf / m,
        confusion,
    })
}
