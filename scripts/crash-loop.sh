#!/usr/bin/env bash
# The long crash-safety run: kills a store writer with SIGKILL at random points N times
# (default 500) and checks the store after each kill. The test suite runs a short version.
set -euo pipefail
cd "$(dirname "$0")/.."
BEADBOARD_CRASH_ITERATIONS=${1:-500} cargo test --release --test crash -- --nocapture crash_safety_under_sigkill
