"""scipy.stats.ks_2samp between every pair of the real PALSAR-2 annual
deformation files (../shared/data/real/palsar2_10km/), Band1 with the
_FillValue (0) dropped, for crates/permafrost-insar/tests/cli_stats.rs.

Run from the workspace root: python3 xtask/reference/io/palsar_ks_reference.py
"""
import itertools
import json
import pathlib
import platform

import netCDF4
import numpy as np
import scipy
from scipy import stats

REAL = pathlib.Path("../shared/data/real/palsar2_10km")
files = sorted(REAL.glob("PALSAR_*_10km.nc"))
values = {f.name: netCDF4.Dataset(f)["Band1"][:].compressed().astype(np.float64) for f in files}
cases = []
for a, b in itertools.combinations(sorted(values), 2):
    for method in ["auto", "exact", "asymp"]:
        r = stats.ks_2samp(values[a], values[b], method=method)
        cases.append({"a": a, "b": b, "method": method, "statistic": float(r.statistic),
                      "pvalue": float(r.pvalue), "n1": int(values[a].size), "n2": int(values[b].size)})
out = pathlib.Path("crates/permafrost-insar/tests/data/palsar_ks_scipy.json")
out.write_text(json.dumps({"source": "scipy.stats.ks_2samp",
                           "versions": {"python": platform.python_version(), "numpy": np.__version__,
                                        "scipy": scipy.__version__, "netCDF4": netCDF4.__version__},
                           "cases": cases}, indent=1) + "\n")
print(out, len(cases))
