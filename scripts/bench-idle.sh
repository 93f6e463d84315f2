#!/usr/bin/env bash
# Idle CPU: the dashboard on a copy of the test fixtures (runs, a board, relative times on
# screen, so the clock ticks every second), in a 200x50 tmux pane with nothing changing, for
# 60 s; CPU time from /proc beside `watch -n 1 date` (a terminal program that redraws a clock
# once a second) measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bin=target/release/beadboard
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
trap 'tmux -L bb-idle kill-server 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/ap/runs" "$work/ntm"
cp -r tests/fixtures/upstream/agentpair/home-agentpair/runs/* "$work/ap/runs/"
cp -r tests/fixtures/examples/ntm/* "$work/ntm/"
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() { # name, command
  tmux -L bb-idle new-session -d -s "$1" -x 200 -y 50 "$2"
  sleep 3
  local pid
  pid=$(tmux -L bb-idle list-panes -t "$1" -F '#{pane_pid}')
  # The pane runs the command through a shell only when it has arguments; find the child.
  local child
  child=$(pgrep -P "$pid" | head -1 || true)
  [ -n "$child" ] && pid=$child
  local before after
  before=$(cpu "$pid")
  sleep "$seconds"
  after=$(cpu "$pid")
  awk -v b="$before" -v a="$after" -v t="$ticks" -v s="$seconds" -v n="$1" \
    'BEGIN { printf "| %s | %.2f s | %.3f %% |\n", n, (a - b) / t, 100 * (a - b) / t / s }'
  tmux -L bb-idle kill-session -t "$1"
}
echo "| program (idle, ${seconds} s, 200x50 tmux pane) | CPU time | CPU use |"
echo "|---|---|---|"
measure beadboard "env BEADBOARD_AGENTPAIR_DIR=$work/ap BEADBOARD_NTM_DIR=$work/ntm HOME=$work $PWD/$bin"
measure watch-date "watch -n 1 date"
