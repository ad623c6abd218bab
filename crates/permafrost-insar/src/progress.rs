//! Progress bars for long stages and the summary printed at the end of a run.
//!
//! Bars go to stderr and are hidden when stderr is not a terminal (logs, CI,
//! pipes) or after [`set_quiet`]`(true)` (the command line does this for
//! `--quiet` and `--json`). A bar is cheap to update from many threads
//! ([`Progress`] is `Send + Sync`; [`Progress::inc`] takes `&self`).
//!
//! # Example
//!
//! ```
//! use permafrost_insar::progress;
//!
//! let bar = progress::stage("invert", 100);
//! for _ in 0..100 {
//!     bar.inc(1);
//! }
//! let took = bar.finish();
//!
//! let mut summary = progress::Summary::new("demo");
//! summary.stage("invert", took);
//! summary.output("report", "out/report.html");
//! assert!(summary.render().contains("out/report.html"));
//! ```

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Hides every progress bar and the summary (for `--quiet` and `--json`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether [`set_quiet`]`(true)` was called.
pub fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether bars are drawn: not quiet and stderr is a terminal.
pub fn bars_visible() -> bool {
    !is_quiet() && std::io::stderr().is_terminal()
}

/// A progress bar for one stage; see [`stage`].
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
}

/// Starts a bar named `name` over `len` steps (`len == 0`: a spinner for a
/// stage whose length is unknown).
pub fn stage(name: &str, len: u64) -> Progress {
    let target = if bars_visible() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = if len == 0 {
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>14} {spinner} {elapsed:>4} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        let bar = ProgressBar::with_draw_target(Some(len), target);
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix:>14} [{bar:36}] {pos}/{len} {elapsed:>4} (eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    };
    bar.set_prefix(name.to_string());
    Progress {
        bar,
        start: Instant::now(),
    }
}

impl Progress {
    /// Advances by `n` steps.
    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
    }

    /// A short message after the bar (e.g. the current file).
    pub fn set_message(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }

    /// Time since the stage started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Ends the stage (the bar stays, marked done with its time) and returns
    /// how long it took.
    pub fn finish(self) -> Duration {
        let took = self.start.elapsed();
        if let Some(len) = self.bar.length() {
            self.bar.set_position(len);
        }
        self.bar
            .finish_with_message(format!("done in {}", human(took)));
        took
    }
}

/// What a run did: stage times and the outputs it wrote, printed at the end.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    title: String,
    stages: Vec<(String, Duration)>,
    outputs: Vec<(String, PathBuf)>,
}

impl Summary {
    /// An empty summary headed `title`.
    pub fn new(title: &str) -> Self {
        Summary {
            title: title.to_string(),
            ..Default::default()
        }
    }

    /// Records a stage and its duration.
    pub fn stage(&mut self, name: &str, took: Duration) {
        self.stages.push((name.to_string(), took));
    }

    /// Records an output file or folder.
    pub fn output(&mut self, label: &str, path: impl AsRef<Path>) {
        self.outputs
            .push((label.to_string(), path.as_ref().to_path_buf()));
    }

    /// The summary as aligned plain text.
    pub fn render(&self) -> String {
        let mut s = format!("{}\n", self.title);
        let w = self
            .stages
            .iter()
            .map(|(n, _)| n.chars().count())
            .chain(self.outputs.iter().map(|(n, _)| n.chars().count()))
            .max()
            .unwrap_or(0);
        if !self.stages.is_empty() {
            let total: Duration = self.stages.iter().map(|(_, d)| *d).sum();
            s.push_str("  stages:\n");
            for (name, took) in &self.stages {
                s.push_str(&format!("    {name:<w$}  {}\n", human(*took)));
            }
            s.push_str(&format!("    {:<w$}  {}\n", "total", human(total)));
        }
        if !self.outputs.is_empty() {
            s.push_str("  outputs:\n");
            for (label, path) in &self.outputs {
                s.push_str(&format!("    {label:<w$}  {}\n", path.display()));
            }
        }
        s
    }

    /// Prints [`Summary::render`] on stderr unless quiet.
    pub fn print(&self) {
        if !is_quiet() {
            eprint!("{}", self.render());
        }
    }
}

/// `1.2 s`, `3 min 05 s`.
fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        let m = (s / 60.0).floor();
        format!("{m:.0} min {:02.0} s", s - 60.0 * m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(human(Duration::from_millis(1234)), "1.2 s");
        assert_eq!(human(Duration::from_secs(185)), "3 min 05 s");
    }

    #[test]
    fn summary_lists_stages_and_outputs() {
        let mut s = Summary::new("demo");
        s.stage("sbas", Duration::from_secs(2));
        s.stage("pecm", Duration::from_secs(1));
        s.output("report", "out/report.html");
        let text = s.render();
        assert!(text.contains("sbas"));
        assert!(text
            .lines()
            .any(|l| l.contains("total") && l.ends_with("3.0 s")));
        assert!(text.contains("out/report.html"));
    }
}
