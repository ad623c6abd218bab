#!/usr/bin/env python3
"""Reference values for crates/thermo-johansen/tests/reference_values.rs.

Plain-Python (no numpy) transcription of SCIENCE.md §1 (Johansen 1975 as used
by the S-PECM study), printing every intermediate with 17 significant digits so
that the literals in the Rust tests can be re-derived. Run:

    python3 xtask/reference/thermo-johansen/johansen_reference.py
"""
import math

KQ, KO, KO_LOW, KW, KI = 7.7, 2.0, 3.0, 0.57, 2.2
L, RHO_W, RHO_I, DAY = 3.34e5, 1000.0, 917.0, 86400.0


def quartz(sand, mapping):
    if mapping == "sand":
        return sand
    if mapping == "half":
        return 0.5 * sand
    if mapping == "capped":
        return min(0.8, 0.92 * sand)
    raise ValueError(mapping)


def terms(rho_b, sand, theta, frozen, mapping="sand", rho_s=2650.0, coarse_from=0.5):
    phi = 1.0 - rho_b / rho_s
    sr = min(max(theta / phi, 0.0), 1.0)
    q = quartz(sand, mapping)
    ko = KO_LOW if q <= 0.2 else KO
    ks = KQ**q * ko ** (1.0 - q)
    ksat = ks ** (1.0 - phi) * (KI if frozen else KW) ** phi
    kdry = (0.135 * rho_b + 64.7) / (2700.0 - 0.947 * rho_b)
    coarse = sand >= coarse_from
    if frozen:
        ke = sr
    elif coarse:
        ke = 0.0 if sr <= 0.05 else 0.7 * math.log10(sr) + 1.0
    else:
        ke = 0.0 if sr <= 0.1 else math.log10(sr) + 1.0
    k = (ksat - kdry) * ke + kdry if sr > 1e-5 else kdry
    return dict(phi=phi, sr=sr, q=q, ko=ko, ks=ks, ksat=ksat, kdry=kdry, ke=ke, k=k)


def stefan(kt, theta, ddt, n=1.0):
    z = math.sqrt(2.0 * kt * n * ddt * DAY / (RHO_W * L * theta))
    d = (RHO_W / RHO_I - 1.0) * theta * z
    return z, d


SOILS = [
    # name, rho_b, sand, theta, frozen, mapping
    ("S1 dry sand, thawed", 1600.0, 0.9, 0.01, False, "sand"),
    ("S2 saturated sand, thawed", 1600.0, 0.9, 0.45, False, "sand"),
    ("S3 moist sand, frozen", 1500.0, 0.8, 0.2, True, "sand"),
    ("S4 moist clay, thawed", 1300.0, 0.1, 0.3, False, "sand"),
    ("S5 saturated clay, frozen", 1300.0, 0.1, 0.55, True, "sand"),
    ("S6 dry loam, thawed (Sr<=0.1)", 1400.0, 0.4, 0.04, False, "sand"),
    ("S7 nearly dry silt, frozen (Sr<=1e-5)", 1350.0, 0.15, 2e-6, True, "sand"),
    ("S10 nearly dry silt, frozen (Sr>1e-5)", 1350.0, 0.15, 1e-5, True, "sand"),
    ("S8 organic loam, thawed, capped quartz", 900.0, 0.3, 0.4, False, "capped"),
    ("S9 moist sand, thawed, half-sand quartz", 1500.0, 0.8, 0.2, False, "half"),
]

if __name__ == "__main__":
    for name, rb, sand, th, fr, mp in SOILS:
        t = terms(rb, sand, th, fr, mp)
        print(name)
        for k, v in t.items():
            print(f"  {k:5s} = {v!r}")
    print("ratio kf/kt for rho_b=1300, sand=0.1, theta_t=0.3, theta_f=0.55:")
    kt = terms(1300.0, 0.1, 0.3, False)["k"]
    kf = terms(1300.0, 0.1, 0.55, True)["k"]
    print(f"  kt = {kt!r}\n  kf = {kf!r}\n  r  = {kf / kt!r}")
    z, d = stefan(kt, 0.3, 1500.0)
    print(f"Stefan S4, DDT=1500: Z = {z!r}, d = {d!r}")
    kt1 = terms(1600.0, 0.9, 0.45, False)["k"]
    z, d = stefan(kt1, 0.45, 900.0, 0.8)
    print(f"Stefan S2, DDT=900, n=0.8: Z = {z!r}, d = {d!r}")
    # inverse check: fine soil, theta just above the dry limit 0.1*phi
    t = terms(1300.0, 0.1, 0.06, False)
    z, d = stefan(t["k"], 0.06, 1200.0)
    print(f"Stefan S4 soil at theta=0.06, DDT=1200: k={t['k']!r} Z = {z!r}, d = {d!r}")
    # coarse gap for S1 soil (rho_b 1600, sand 0.9), DDT=1000
    t = terms(1600.0, 0.9, 0.0, False)
    th = 0.05 * t["phi"]
    kh = t["kdry"] + (t["ksat"] - t["kdry"]) * (0.7 * math.log10(0.05) + 1.0)
    f = 2.0 * 1000.0 * DAY / (RHO_W * L)
    c = RHO_W / RHO_I - 1.0
    print(f"coarse gap S1 DDT=1000: low = {c*math.sqrt(th*t['kdry']*f)!r}, high = {c*math.sqrt(th*kh*f)!r}")
    print(f"max amplitude S1 DDT=1000: {c*math.sqrt(t['phi']*t['ksat']*f)!r}")
    # check kdry <= ksat over the whole domain for rho_s = 2650
    worst = 1e9
    for i in range(1, 2650):
        for j in range(0, 101):
            for fr in (False, True):
                t = terms(float(i), j / 100.0, 0.1, fr)
                worst = min(worst, t["ksat"] - t["kdry"])
    print(f"min(ksat - kdry) over rho_b in [1,2649], sand in [0,1]: {worst!r}")
