#!/usr/bin/env bash
# `wijkbalans serve` in headless Chromium: click → verdict on screen for Zwolle and all NL
# wijken (median and p95 of real clicks, measured in the page), the server's peak RSS and a
# load test of 8 concurrent clients × 200 proposals (benches/serve_click.rs, BENCHMARKS.md).
#
#   benches/serve_click.sh [CLICKS]
set -euo pipefail
cd "$(dirname "$0")/.."
nice -n 10 cargo bench --bench serve_click -- --clicks "${1:-50}"
