#!/usr/bin/env python3
"""Reference values for the `cluster-ts` crate.

Writes JSON files into crates/cluster-ts/tests/data/ (run from the
repository root, or pass the output folder as the first argument):

* dbscan.json      sklearn.cluster.DBSCAN labels and core flags (blobs, moons,
                   exact ties at eps on an integer grid, 3-D blobs, haversine
                   on lon/lat points)
* kmeans.json      sklearn.cluster.KMeans inertia on blobs
* dtw.json         tslearn.metrics.dtw (with and without a Sakoe-Chiba radius)
* softdtw.json     tslearn.metrics.soft_dtw
* dba.json         tslearn.barycenters.dtw_barycenter_averaging from a given
                   initial barycentre, and softdtw_barycenter
* silhouette.json  sklearn.metrics.silhouette_score
* shape.json       scipy.stats.wasserstein_distance on histogram bin heights

Requirements: numpy, scipy, scikit-learn, tslearn (pip install scikit-learn
tslearn). Versions are recorded in every file.
"""
import json
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
import tslearn
from scipy.stats import wasserstein_distance
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics import silhouette_score
from tslearn.barycenters import dtw_barycenter_averaging, softdtw_barycenter
from tslearn.metrics import dtw, soft_dtw

EARTH_RADIUS_KM = 6371.0088

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
    "crates", "cluster-ts", "tests", "data")

VERSIONS = {
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "scikit-learn": sklearn.__version__,
    "tslearn": tslearn.__version__,
}


def dump(name, payload):
    payload = {"generator": "xtask/reference/cluster-ts/make_references.py",
               "versions": VERSIONS, **payload}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, indent=None, separators=(",", ":"))
        f.write("\n")


def tolist(a):
    return np.asarray(a).tolist()


# ---------------------------------------------------------------- DBSCAN
def dbscan_cases():
    cases = []

    def add(name, X, eps, min_samples, metric="euclidean", fit_X=None, fit_eps=None):
        db = DBSCAN(eps=fit_eps if fit_eps is not None else eps,
                    min_samples=min_samples, metric=metric)
        db.fit(fit_X if fit_X is not None else X)
        core = np.zeros(len(X), dtype=bool)
        core[db.core_sample_indices_] = True
        cases.append({
            "name": name, "metric": metric, "eps": eps,
            "min_samples": min_samples, "points": tolist(X),
            "labels": tolist(db.labels_), "core": tolist(core),
        })

    X, _ = make_blobs(n_samples=600, centers=4, cluster_std=0.9, random_state=0)
    add("blobs", X, 0.3, 5)
    add("blobs_loose", X, 0.6, 15)
    X, _ = make_moons(n_samples=500, noise=0.07, random_state=1)
    add("moons", X, 0.12, 4)
    rng = np.random.default_rng(3)
    # Integer grid: many pair distances exactly equal to eps (1, 2, 5).
    G = rng.integers(0, 25, size=(400, 2)).astype(float)
    add("ties_eps1", G, 1.0, 3)
    add("ties_eps2", G, 2.0, 9)
    add("ties_eps5", G, 5.0, 56)
    # Chains sharing border points between clusters (order of discovery).
    # Two plus-shaped clusters share the border point (1, 0); the cluster
    # whose first core point has the lower index claims it.
    plus = np.array([[2, 0], [3, 0], [2, 1], [2, -1], [0, 0], [-1, 0], [0, 1],
                     [0, -1], [9, 9], [1, 0], [20, 20]], float)
    add("border_order", plus, 1.0, 4)
    X3, _ = make_blobs(n_samples=500, centers=3, n_features=3, cluster_std=1.0, random_state=5)
    add("blobs3d", X3, 0.8, 6)
    # Haversine on (lon, lat) degrees: sklearn wants radians [lat, lon].
    centres = np.array([[91.5, 34.8], [92.1, 35.2], [92.105, 35.21], [93.0, 34.0]])
    pts = []
    for c in centres:
        pts.append(c + rng.normal(scale=0.015, size=(120, 2)))
    pts.append(np.column_stack([rng.uniform(91, 93.5, 60), rng.uniform(33.5, 35.5, 60)]))
    LL = np.vstack(pts)
    for eps_km, ms in [(1.0, 5), (2.5, 8)]:
        add(f"haversine_{eps_km}km", LL, eps_km, ms, metric="haversine",
            fit_X=np.radians(LL[:, ::-1]), fit_eps=eps_km / EARTH_RADIUS_KM)
    dump("dbscan.json", {"earth_radius_km": EARTH_RADIUS_KM, "cases": cases})


# ---------------------------------------------------------------- k-means
def kmeans_cases():
    cases = []
    for (n, centers, std, seed, k) in [(600, 4, 0.9, 0, 4), (400, 6, 1.5, 11, 6), (300, 3, 2.5, 4, 5)]:
        X, _ = make_blobs(n_samples=n, centers=centers, cluster_std=std, random_state=seed)
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        cases.append({"data": tolist(X), "k": k, "inertia": float(km.inertia_),
                      "sklearn_call": f"KMeans(n_clusters={k}, n_init=10, random_state=0)"})
    dump("kmeans.json", {"cases": cases})


# ---------------------------------------------------------------- DTW / soft-DTW
def series_pairs(rng):
    pairs = []
    for (m, n) in [(20, 20), (15, 22), (30, 12), (1, 5), (7, 7), (40, 40)]:
        a = np.cumsum(rng.normal(size=m))
        b = np.cumsum(rng.normal(size=n))
        pairs.append((a, b))
    return pairs


def dtw_cases():
    rng = np.random.default_rng(7)
    cases = []
    for a, b in series_pairs(rng):
        for r in [None, 0, 1, 3, 10]:
            if r is None:
                v = dtw(a, b)
            else:
                v = dtw(a, b, global_constraint="sakoe_chiba", sakoe_chiba_radius=r)
            cases.append({"a": tolist(a), "b": tolist(b), "radius": r, "dtw": float(v)})
    dump("dtw.json", {"cases": cases})


def softdtw_cases():
    rng = np.random.default_rng(8)
    cases = []
    for a, b in series_pairs(rng):
        for gamma in [0.01, 0.1, 1.0, 10.0]:
            for r in [None, 2]:
                if r is None:
                    v = soft_dtw(a, b, gamma=gamma)
                else:
                    v = soft_dtw(a, b, gamma=gamma, global_constraint="sakoe_chiba",
                                 sakoe_chiba_radius=r)
                cases.append({"a": tolist(a), "b": tolist(b), "gamma": gamma,
                              "radius": r, "soft_dtw": float(v)})
    dump("softdtw.json", {"cases": cases})


# ---------------------------------------------------------------- barycentres
def barycentre_cases():
    rng = np.random.default_rng(9)
    t = np.linspace(0, 1, 30)
    X = np.array([np.sin(2 * np.pi * (t - s)) * (1 + 0.2 * rng.normal())
                  + 0.1 * rng.normal(size=t.size) for s in rng.uniform(-0.15, 0.15, 8)])
    init = X.mean(axis=0) + 0.05 * rng.normal(size=t.size)
    dba_cases = []
    for r in [None, 1]:
        # tslearn's DBA hands metric_params to a numba function that expects
        # the integer constraint code: a string "sakoe_chiba" is silently
        # ignored there, a bare radius selects the Sakoe-Chiba band.
        mp = None if r is None else {"sakoe_chiba_radius": r}
        for max_iter in [1, 5, 30]:
            bary = dtw_barycenter_averaging(X, init_barycenter=init.reshape(-1, 1),
                                            max_iter=max_iter, tol=1e-5, metric_params=mp)
            dba_cases.append({"radius": r, "max_iter": max_iter, "tol": 1e-5,
                              "barycentre": tolist(bary.ravel())})
    sdtw_cases = []
    for gamma in [0.1, 1.0]:
        bary = softdtw_barycenter(X, gamma=gamma, max_iter=100, tol=1e-3, init=init.reshape(-1, 1))
        obj = float(sum(soft_dtw(bary.ravel(), x, gamma=gamma) for x in X))
        # The same run to (near) convergence.
        conv = softdtw_barycenter(X, gamma=gamma, max_iter=2000, tol=1e-12, init=init.reshape(-1, 1))
        conv_obj = float(sum(soft_dtw(conv.ravel(), x, gamma=gamma) for x in X))
        sdtw_cases.append({"gamma": gamma, "max_iter": 100, "tol": 1e-3,
                           "barycentre": tolist(bary.ravel()), "objective": obj,
                           "converged_barycentre": tolist(conv.ravel()),
                           "converged_objective": conv_obj})
    dump("dba.json", {"series": tolist(X), "init": tolist(init),
                      "dba": dba_cases, "softdtw": sdtw_cases})


# ---------------------------------------------------------------- silhouette
def silhouette_cases():
    cases = []
    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=1.2, random_state=2)
    X = X - X.mean(axis=0)
    labels = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(X)
    cases.append({"data": tolist(X), "labels": tolist(labels),
                  "silhouette": float(silhouette_score(X, labels))})
    rng = np.random.default_rng(4)
    Y = rng.normal(size=(80, 4))
    lab = rng.integers(0, 5, size=80)
    lab[7] = 9  # a singleton cluster (its silhouette is 0)
    cases.append({"data": tolist(Y), "labels": tolist(lab),
                  "silhouette": float(silhouette_score(Y, lab))})
    dump("silhouette.json", {"cases": cases})


# ---------------------------------------------------------------- shape distance
def shape_cases():
    rng = np.random.default_rng(5)
    cases = []
    edges = np.linspace(-0.1, 0.05, 31)
    width = edges[1] - edges[0]
    for i in range(12):
        a = rng.normal(-0.02 - 0.01 * rng.uniform(), 0.01 + 0.01 * rng.uniform(), 5000)
        b = rng.normal(-0.03, 0.015, 4000 + 100 * i)
        ha = np.histogram(a, bins=edges)[0]
        hb = np.histogram(b, bins=edges)[0]
        da = ha / ha.sum() / width
        dbb = hb / hb.sum() / width
        cases.append({"h1": tolist(da), "h2": tolist(dbb),
                      "wasserstein": float(wasserstein_distance(da, dbb))})
    # Unequal lengths and weights (the general scipy form).
    u = rng.normal(size=17)
    v = rng.normal(1.0, 2.0, size=9)
    uw = rng.uniform(0.1, 2.0, size=17)
    vw = rng.uniform(0.1, 2.0, size=9)
    weighted = {"u": tolist(u), "v": tolist(v), "u_weights": tolist(uw), "v_weights": tolist(vw),
                "wasserstein": float(wasserstein_distance(u, v)),
                "wasserstein_weighted": float(wasserstein_distance(u, v, uw, vw))}
    dump("shape.json", {"edges": tolist(edges), "cases": cases, "general": weighted})


if __name__ == "__main__":
    dbscan_cases()
    kmeans_cases()
    dtw_cases()
    softdtw_cases()
    barycentre_cases()
    silhouette_cases()
    shape_cases()
    print("wrote", os.path.abspath(OUT))
