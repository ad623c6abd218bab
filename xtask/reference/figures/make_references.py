#!/usr/bin/env python3
"""Reference values for the facade's figures (`permafrost_insar::figures`).

Writes crates/permafrost-insar/tests/data/figures_matplotlib.json with the
package versions that produced it. The Rust test (tests/figures.rs) reads the
file; it never runs Python.

    python3 xtask/reference/figures/make_references.py

Requirements: numpy, matplotlib.

* box-plot statistics: matplotlib.cbook.boxplot_stats(x, whis=1.5) (Tukey
  whiskers, numpy's linear percentiles) on small hand-made samples;
* map colour-bar range: numpy.percentile(x, [2, 98]) (linear);
* colour maps: matplotlib's `viridis` at 9 and `RdBu_r` at 11 evenly spaced
  points (the anchors our piecewise-linear maps interpolate), and both at a
  few points in between (where our interpolation may differ by a few units).
"""

import json
import platform
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import cbook, colormaps

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
OUT = ROOT / "crates" / "permafrost-insar" / "tests" / "data" / "figures_matplotlib.json"


def samples():
    rng = np.random.default_rng(20261121)
    return {
        "one_to_nine_and_30": [float(v) for v in list(range(1, 10)) + [30]],
        "single": [4.5],
        "two": [1.0, 3.0],
        "normal_with_outliers": [float(v) for v in np.round(rng.normal(-3.0, 2.0, 57), 6)] + [25.0, -40.0],
        "skewed": [float(v) for v in np.round(rng.exponential(4.0, 101), 6)],
        "ties": [2.0, 2.0, 2.0, 2.0, 5.0, 5.0, 9.0, -7.0],
    }


def main():
    boxes = []
    for name, x in samples().items():
        s = cbook.boxplot_stats(np.array(x), whis=1.5)[0]
        p2, p98 = np.percentile(np.array(x), [2, 98])
        boxes.append(
            {
                "name": name,
                "x": x,
                "q1": float(s["q1"]),
                "median": float(s["med"]),
                "q3": float(s["q3"]),
                "whislo": float(s["whislo"]),
                "whishi": float(s["whishi"]),
                "fliers": sorted(float(v) for v in s["fliers"]),
                "p2": float(p2),
                "p98": float(p98),
            }
        )
    cmaps = {}
    for ours, theirs in [("viridis", "viridis"), ("diverging", "RdBu_r")]:
        cm = colormaps[theirs]
        ts = [0.0, 0.05, 0.1, 0.25, 0.33, 0.5, 0.61, 0.75, 0.9, 1.0]
        cmaps[ours] = {
            "matplotlib_name": theirs,
            "t": ts,
            "rgb": [[round(255 * c) for c in cm(t)[:3]] for t in ts],
        }
    doc = {
        "source": "matplotlib.cbook.boxplot_stats(whis=1.5), numpy.percentile (linear), matplotlib colormaps",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "matplotlib": matplotlib.__version__,
        },
        "boxes": boxes,
        "colormaps": cmaps,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
