"""Reference MATLAB v5 files written by scipy.io.savemat, for the facade's
MAT-file reader tests (crates/permafrost-insar/tests/io_reference.rs).

Run: python3 xtask/reference/io/make_mat_references.py
Writes crates/permafrost-insar/tests/data/scipy_v5_{plain,compressed}.mat and
scipy_v5_expected.json (values in MATLAB orientation, row-major, plus the
package versions used).
"""
import json
import pathlib
import platform

import numpy as np
import scipy
import scipy.io

OUT = pathlib.Path(__file__).resolve().parents[3] / "crates/permafrost-insar/tests/data"
OUT.mkdir(parents=True, exist_ok=True)

rng = np.random.default_rng(20240601)
variables = {
    "ts": rng.normal(size=(5, 7)),                       # double, pixel x date
    "vel": np.array([[-12.5], [3.25], [0.0], [np.nan], [7.0]]),
    "counts": np.array([[1, -2], [300, -32768]], dtype=np.int16),
    "mask": np.array([[True, False, True]]),            # logical
    "coh32": np.array([[0.5, 0.25], [0.125, 1.0]], dtype=np.float32),
    "code": np.array([[250, 3, 7]], dtype=np.uint8),
    "big": np.array([[2**40, -(2**40)]], dtype=np.int64),
    "cube": np.arange(24, dtype=np.float64).reshape(2, 3, 4),
    "name": "permafrost",                                # char
    "z": np.array([[1 + 2j, 3 - 4j]]),                  # complex double
    "info": {"a": 1.0, "b": "text"},                     # struct
    "cells": np.array([[1.0, "two"]], dtype=object),     # cell
}
for compress, tag in [(False, "plain"), (True, "compressed")]:
    scipy.io.savemat(OUT / f"scipy_v5_{tag}.mat", variables, do_compression=compress, oned_as="row")

expected = {
    "source": "scipy.io.savemat",
    "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
    "numeric": {},
    "classes": {},
}
loaded = scipy.io.loadmat(OUT / "scipy_v5_plain.mat")
for k in variables:
    v = loaded[k]
    expected["classes"][k] = {
        "shape": list(v.shape),
        "dtype": str(v.dtype),
    }
    if v.dtype.kind in "fiub" and v.dtype != object:
        expected["numeric"][k] = {
            "shape": list(v.shape),
            "values": [None if np.isnan(x) else float(x) for x in v.astype(np.float64).ravel(order="C")],
        }
(OUT / "scipy_v5_expected.json").write_text(json.dumps(expected, indent=1) + "\n")
print("wrote", OUT)
