#!/usr/bin/env bash
# `wijkbalans serve` in headless Chromium: click → verdict on screen for Zwolle and all NL
# wijken (median and p95 of real clicks, measured in the page), the server's peak RSS and a
# load test of 8 concurrent clients × 200 proposals (benches/serve_click.rs, BENCHMARKS.md).
# The server is the release binary; the driver (which only clicks and reads the page's own
# measurements) is built in the test profile.
#
#   benches/serve_click.sh [CLICKS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
WIJKBALANS_BIN=target/release/wijkbalans cargo test --quiet --bench serve_click -- --clicks "${1:-50}"
