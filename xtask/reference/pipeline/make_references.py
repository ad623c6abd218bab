#!/usr/bin/env python3
"""Reference values for the permafrost study pipeline on the small demo scene.

An independent numpy implementation of the statistics stage: quantile strata
(numpy type-7 quantiles, class = number of interior breaks strictly below the
value) and the geographical detector's q = 1 - SSW/SST of the PECM linear
rate and seasonal amplitude for every factor, plus numpy Pearson r between
the responses and the factors. Input: the table the statistics stage writes
(`statistics/table.csv`) for the 48 x 48 scene of the CI tests:

    cargo build -p permafrost-insar -p xtask-gen
    target/debug/xtask-gen demo /tmp/small --small
    target/debug/permafrost-insar run /tmp/small/permafrost.toml
    python3 xtask/reference/pipeline/make_references.py /tmp/small/out/permafrost/statistics/table.csv

Writes crates/permafrost-insar/tests/data/pipeline_small_reference.json with
the package versions. The Rust test (tests/pipeline_demo.rs) reads it; it
never runs Python. Regenerate when the demo generator changes.
"""

import json
import platform
import sys
from pathlib import Path

import numpy as np

CLASSES = 5


def q_statistic(y, x, k):
    interior = np.quantile(x, np.arange(1, k) / k)  # type 7 ("linear")
    codes = np.searchsorted(interior, x, side="left")
    sst = np.sum((y - y.mean()) ** 2)
    ssw = 0.0
    for c in np.unique(codes):
        yc = y[codes == c]
        ssw += np.sum((yc - yc.mean()) ** 2)
    return 1.0 - ssw / sst, [int(np.sum(codes == c)) for c in range(k)]


def main():
    table = Path(sys.argv[1])
    header = table.read_text().splitlines()[0].split(",")
    data = np.loadtxt(table, delimiter=",", skiprows=1)
    cols = {name: data[:, i] for i, name in enumerate(header)}
    factors = header[4:]
    out = {
        "source": "xtask/reference/pipeline/make_references.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "n": int(data.shape[0]),
        "classes": CLASSES,
        "q": {},
        "pearson": {},
    }
    for resp in ["linear_rate", "seasonal_amplitude"]:
        y = cols[resp]
        out["q"][resp] = {}
        out["pearson"][resp] = {}
        for f in factors:
            q, counts = q_statistic(y, cols[f], CLASSES)
            out["q"][resp][f] = q
            out["pearson"][resp][f] = float(np.corrcoef(y, cols[f])[0, 1])
    dest = Path(__file__).resolve().parents[3] / "crates/permafrost-insar/tests/data/pipeline_small_reference.json"
    dest.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {dest}")
    for resp, qs in out["q"].items():
        print(resp, sorted(qs.items(), key=lambda kv: -kv[1])[:3])


if __name__ == "__main__":
    main()
