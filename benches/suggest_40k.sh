#!/usr/bin/env bash
# `suggest` on the shipped Zwolle data with more than 40,000 candidates: the centres of the
# 23 m grid cells that hold a (synthetic) dwelling, 12 places beschermd thuis, every output
# format of the default run (GeoJSON and CSV). Prints wall time, CPU time and peak RSS of each
# run (GNU time) and the load average, since the machine may be shared (see BENCHMARKS.md).
#
#   cargo build --release && benches/suggest_40k.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
bin=target/release/wijkbalans
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
  /usr/bin/time -f "run $i: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
    "$bin" suggest -q --units 12 --group beschermd_thuis --grid 23 --out "$out"
done
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["suggest"]; print("candidates:", s["evaluated"] + s["outside_every_area"])' "$out/run.json"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
