#!/usr/bin/env bash
# wijkbalans against GeoPandas + PySAL (peer.py) on the national data, same machine, same inputs.
#
#   benches/peer/compare.sh [RUNS]          # default 5; RUNS of each, alternating
#
# Generates the synthetic national data into benches/peer/data/ when it is missing (8,045,580
# dwellings, 2,500 sites; ~1 GB, gitignored), builds wijkbalans in release when the binary is
# missing, creates benches/peer/.venv with setup.sh when it is missing, then runs
#   wijkbalans analyse ... --permutations 999 --timings      and      peer.py ... --permutations 999
# one after the other RUNS times, each under /usr/bin/time -v (peak RSS, wall clock), and writes
# the per-stage medians, ratios and peak RSS to benches/peer/results.md (and prints them).
# Raw JSONs, time logs and a load log (sampled every 5 s) go to benches/peer/runs/<UTC stamp>/.
#
# Environment: WIJKBALANS (binary), PEER_AREAS (wijk layer), PEER_DATA (folder with woningen.fgb
# and sites.gpkg), PEER_PERMUTATIONS (999), PEER_ARGS (extra peer.py arguments, e.g.
# "--sample-every 10" on a machine that cannot hold 8 M points in GeoPandas).
set -euo pipefail

runs="${1:-5}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${WIJKBALANS:-$root/target/release/wijkbalans}"
areas="${PEER_AREAS:-$root/data/cbs-kwb-2022/wijken_nederland.geojson}"
data="${PEER_DATA:-$here/data}"
perms="${PEER_PERMUTATIONS:-999}"
peer_args="${PEER_ARGS:-}"
py="$here/.venv/bin/python"

case "$runs" in
    '' | *[!0-9]* | 0) echo "usage: $0 [RUNS >= 1]" >&2; exit 2 ;;
esac
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }

if [ ! -x "$bin" ]; then
    echo "compare.sh: building wijkbalans (release)" >&2
    (cd "$root" && cargo build --release)
fi
[ -x "$py" ] || "$here/setup.sh"

mkdir -p "$data"
if [ ! -s "$data/woningen.fgb" ]; then
    echo "compare.sh: generating 8 M synthetic dwellings into $data (about a minute)" >&2
    rm -f "$data/woningen.partial.fgb"
    "$bin" synth --areas "$areas" --dwellings-out "$data/woningen.partial.fgb"
    mv "$data/woningen.partial.fgb" "$data/woningen.fgb"
fi
if [ ! -s "$data/sites.gpkg" ]; then
    echo "compare.sh: generating 2,500 synthetic sites into $data" >&2
    rm -f "$data/sites.partial.gpkg"
    "$bin" synth --areas "$areas" --sites-out "$data/sites.partial.gpkg" --sites-count 2500
    mv "$data/sites.partial.gpkg" "$data/sites.gpkg"
fi

res="$here/runs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$res"
# A private copy of the binary: a rebuild of target/release during the series must not change
# what is measured halfway.
cp "$bin" "$res/wijkbalans"
wb="$res/wijkbalans"

{
    echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "runs=$runs"
    echo "permutations=$perms"
    echo "peer_args=$peer_args"
    echo "wijkbalans_version=$("$wb" --version 2>/dev/null || echo unknown)"
    echo "git_commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "git_dirty_files=$(git -C "$root" status --porcelain 2>/dev/null | wc -l)"
    echo "binary_mtime=$(date -u -r "$bin" +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores=$(nproc)"
    echo "mem_total_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
    echo "kernel=$(uname -sr)"
    echo "gdal_system=$(gdal-config --version 2>/dev/null || echo unknown)"
    echo "areas=$areas"
    echo "dwellings=$data/woningen.fgb"
    echo "sites=$data/sites.gpkg"
} >"$res/machine.txt"

# Load sampler: loadavg and the number of compiler processes of others on the machine.
(
    while :; do
        printf '%s %s %s %s\n' "$(date +%s)" "$(cut -d' ' -f1 /proc/loadavg)" \
            "$(pgrep -c -x rustc || true)" "$(pgrep -c -x cargo || true)"
        sleep 5
    done
) >"$res/load.log" 2>/dev/null &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT

# Both tools read the same 1 GB file from the page cache: it is read (untimed) right before
# every run, since a machine may page out cold file pages during the other tool's run (this
# one's kernel runs a DAMON "pageout" scheme: once warmed only at the start of the series,
# wijkbalans runs after a peer run read 100–200 MB from disk again).
warm() { cat "$data/woningen.fgb" "$data/sites.gpkg" "$areas" >/dev/null; }

stamp() { date +%s.%N; }
printf 'tool\trun\tstart\tend\texit\n' >"$res/runs.tsv"

for i in $(seq 1 "$runs"); do
    echo "compare.sh: run $i/$runs: wijkbalans" >&2
    warm
    t0=$(stamp)
    set +e
    /usr/bin/time -v -o "$res/wb_$i.time" "$wb" analyse --areas "$areas" \
        --dwellings "$data/woningen.fgb" --sites "$data/sites.gpkg" \
        --permutations "$perms" --timings "$res/wb_$i.json" --out "$res/wb_out" -q \
        >"$res/wb_$i.log" 2>&1
    rc=$?
    set -e
    printf 'wijkbalans\t%s\t%s\t%s\t%s\n' "$i" "$t0" "$(stamp)" "$rc" >>"$res/runs.tsv"

    echo "compare.sh: run $i/$runs: GeoPandas + PySAL" >&2
    warm
    t0=$(stamp)
    set +e
    # shellcheck disable=SC2086 # PEER_ARGS is a list of words
    /usr/bin/time -v -o "$res/peer_$i.time" "$py" "$here/peer.py" --areas "$areas" \
        --dwellings "$data/woningen.fgb" --sites "$data/sites.gpkg" \
        --permutations "$perms" --timings "$res/peer_$i.json" --out "$res/peer_out" \
        --check "$res/wb_out/areas.csv" $peer_args >"$res/peer_$i.log" 2>&1
    rc=$?
    set -e
    cp "$res/peer_out/peer_run.json" "$res/peer_run_$i.json" 2>/dev/null || true
    printf 'peer\t%s\t%s\t%s\t%s\n' "$i" "$t0" "$(stamp)" "$rc" >>"$res/runs.tsv"
done

kill "$sampler" 2>/dev/null || true
"$py" "$here/summarise.py" "$res" --out "$here/results.md"
echo "compare.sh: raw results in $res; table in $here/results.md" >&2
