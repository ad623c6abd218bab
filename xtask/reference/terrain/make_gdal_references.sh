#!/usr/bin/env bash
# Reference rasters for the facade's terrain and alignment tests, made with
# GDAL's own command-line tools (Debian package gdal-bin). Run from the
# workspace root:  bash xtask/reference/terrain/make_gdal_references.sh
# The GDAL version used is written to VERSION.txt beside the outputs.
set -euo pipefail
REAL=../shared/data/real
OUT=crates/permafrost-insar/tests/data/gdal
mkdir -p "$OUT"
gdalinfo --version > "$OUT/VERSION.txt"

# 1. The Copernicus DEM reprojected to UTM 6N (30 m), then gdaldem slope and
#    aspect (Horn's method, the default) on it.
gdalwarp -q -overwrite -t_srs EPSG:32606 -tr 30 30 -r bilinear -dstnodata nan \
  -co COMPRESS=DEFLATE "$REAL/dem/cop30_healy_alaska.tif" "$OUT/dem_utm.tif"
gdaldem slope -q "$OUT/dem_utm.tif" "$OUT/dem_utm_slope.tif" -co COMPRESS=DEFLATE
gdaldem aspect -q "$OUT/dem_utm.tif" "$OUT/dem_utm_aspect.tif" -co COMPRESS=DEFLATE

# 2. Alignment: SoilGrids sand (UTM 48S, 100 m) onto a geographic target grid,
#    and the DEM onto a UTM grid, nearest and bilinear.
for r in near bilinear; do
  gdalwarp -q -overwrite -t_srs EPSG:4326 -te 101.7 -1.7 102.0 -1.45 -ts 240 200 -r $r \
    -dstnodata nan -ot Float64 -co COMPRESS=DEFLATE \
    "$REAL/soilgrids/lumens_bungo_sand_0-5cm_mean.tif" "$OUT/sand_to_wgs84_$r.tif"
  gdalwarp -q -overwrite -t_srs EPSG:32606 -te 388000 7082000 391000 7089000 -ts 120 175 -r $r \
    -dstnodata nan -ot Float64 -co COMPRESS=DEFLATE \
    "$REAL/dem/cop30_healy_alaska.tif" "$OUT/dem_to_utm_$r.tif"
done
ls -la "$OUT"
