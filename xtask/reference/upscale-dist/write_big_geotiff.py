#!/usr/bin/env python3
"""Writes a 10^8-pixel (10 000 × 10 000) Float32 EPSG:4326 GeoTIFF block by
block (never more than one block of 500 rows in memory), for the memory
measurement of `permafrost-insar upscale` documented in
crates/upscale-dist/src/lib.rs (acceptance 3 of issue #7):

    python3 xtask/reference/upscale-dist/write_big_geotiff.py /tmp/big.tif
    /usr/bin/time -v target/release/permafrost-insar upscale \
        --input /tmp/big.tif --range -0.05,0.05 --out /tmp/big.nc

The field covers 10° × 4° at 64–68° N (about 2000 cells of 10 km, ~50 000
points each): a smooth trend plus deterministic noise (numpy PCG64, seed 7),
5 % zeros (the products' fill value). Needs rasterio (1.4.4 used).
"""
import sys

import numpy as np
import rasterio
from rasterio.transform import from_origin

N = 10_000
BLOCK = 500


def main(path):
    rng = np.random.default_rng(7)
    profile = dict(driver="GTiff", width=N, height=N, count=1, dtype="float32",
                   crs="EPSG:4326", transform=from_origin(-150.0, 68.0, 10.0 / N, 4.0 / N),
                   tiled=True, blockxsize=512, blockysize=512, BIGTIFF="IF_SAFER")
    cols = np.arange(N)
    with rasterio.open(path, "w", **profile) as ds:
        for r0 in range(0, N, BLOCK):
            rows = np.arange(r0, r0 + BLOCK)[:, None]
            v = -0.02 + 1e-6 * rows + 2e-6 * cols[None, :] * 0.5
            v = v + 0.01 * rng.standard_normal((BLOCK, N))
            v[rng.random((BLOCK, N)) < 0.05] = 0.0
            ds.write(v.astype(np.float32), 1, window=((r0, r0 + BLOCK), (0, N)))
    print(f"wrote {path}: {N} x {N} = {N * N:,} pixels")


if __name__ == "__main__":
    main(sys.argv[1])
