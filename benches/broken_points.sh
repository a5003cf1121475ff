#!/usr/bin/env bash
# Bad input at scale: a 10 M-point dwellings CSV with a few broken rows, from the synthetic
# national dwellings (see BENCHMARKS.md, "With 8 M dwellings"). All data is synthetic.
#
#   benches/broken_points.sh NATIONAL.fgb OUT.csv
#
# Rows: the 8,045,580 national points, then the first 1,954,420 again (10,000,000 in all), with
# five broken rows at known feature indices: 1,000 (no coordinates), 2,500,000 (x is "nan"),
# 5,000,000 (lon/lat degrees in an RD file), 7,500,000 (far outside the Netherlands) and
# 9,999,999 (text instead of a number).
set -euo pipefail
in="$1"; out="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
ogr2ogr -f CSV "$tmp/all.csv" "$in" -lco GEOMETRY=AS_XY
{
  head -n 1 "$tmp/all.csv"
  tail -n +2 "$tmp/all.csv"
  sed -n '2,1954421p' "$tmp/all.csv"
} | awk -F, 'BEGIN { OFS = "," }
  NR == 1 { print; next }
  { i = NR - 2 }                       # feature index (0-based)
  i == 1000    { $1 = ""; $2 = "" }
  i == 2500000 { $1 = "nan" }
  i == 5000000 { $1 = "6.09"; $2 = "52.51" }
  i == 7500000 { $1 = "900000" }
  i == 9999999 { $2 = "onbekend" }
  { print }' > "$out"
echo "wrote $out: $(($(wc -l < "$out") - 1)) rows"
