#!/usr/bin/env bash
# The address-index benchmark on a SYNTHETIC BAG of 10 M addresses (BENCHMARKS.md, "BAG
# address index"): generated (benches/bag_synthetic.py, seeded), written as a GeoPackage with
# a layer verblijfsobject as PDOK names it, then `cargo bench --bench bag` builds the index
# once, loads it from the cache, and looks up 10,000 addresses, under /usr/bin/time -v for
# the peak RSS. Everything is written under target/bag-bench/, or the folder BAG_BENCH_DIR
# names (1.3 GB of GeoPackage and 0.5 GB of index; not in the repository). The CSV the
# GeoPackage is made from is deleted once the GeoPackage is whole.
#
#   benches/bag_10m.sh [N]
#   BAG_BENCH_DIR=/tmp/bag10m benches/bag_10m.sh
set -euo pipefail
n="${1:-10000000}"
dir="${BAG_BENCH_DIR:-target/bag-bench}"
mkdir -p "$dir"
csv="$dir/bag_$n.csv"; gpkg="$dir/bag_$n.gpkg"
if [ ! -f "$gpkg" ]; then
  [ -f "$csv" ] || nice -n 10 python3 benches/bag_synthetic.py "$csv" "$n"
  nice -n 10 ogr2ogr -f GPKG "$gpkg" "$csv" -nln verblijfsobject -a_srs EPSG:28992 \
    -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y -oo KEEP_GEOM_COLUMNS=NO \
    -oo AUTODETECT_TYPE=NO -lco SPATIAL_INDEX=NO -gt 200000 --config OGR_SQLITE_SYNCHRONOUS OFF
  rm -f "$csv"
fi
cargo bench --bench bag --no-run
bin=$(ls -t target/release/deps/bag-* | grep -v '\.d$' | head -n 1)
WIJKBALANS_BAG_BENCH="$gpkg" /usr/bin/time -v "$bin" 2> "$dir/time.txt"
grep -E "Maximum resident|Elapsed|User time|System time" "$dir/time.txt"
