#!/usr/bin/env bash
# Captures text screenshots of the real program in tmux, from `beadboard demo`, into
# assets/screenshots/. Run after UI changes: scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/beadboard"
out="assets/screenshots"
mkdir -p "$out"

capture() { # name width height keys...
  local name=$1 w=$2 h=$3; shift 3
  local sock="beadboard-shots-$$-$name"
  tmux -L "$sock" -f /dev/null new-session -d -s shot -x "$w" -y "$h" "TZ=UTC $bin demo --seed 42 --speed 2"
  # Wait until the demo has runs on screen, then let it move for a while.
  for _ in $(seq 100); do
    tmux -L "$sock" capture-pane -p -t shot | grep -q "working" && break
    sleep 0.05
  done
  sleep 4
  for k in "$@"; do tmux -L "$sock" send-keys -t shot "$k"; sleep 0.4; done
  tmux -L "$sock" capture-pane -p -t shot | sed -e 's/[[:space:]]*$//' -e 's#/tmp/beadboard-demo-[A-Za-z0-9-]*#/tmp/beadboard-demo-XXXXXX#g' > "$out/$name.txt"
  tmux -L "$sock" send-keys -t shot q
  sleep 0.3
  tmux -L "$sock" kill-server 2>/dev/null || true
  echo "wrote $out/$name.txt"
}

capture wide-200x50 200 50
capture medium-120x30 120 30
capture medium-120x40 120 40
capture sidebar-64x45 64 45
capture sidebar-board-64x45 64 45 3 l l
capture sidebar-transcript-80x50 80 50 Enter
capture runs-80x24 80 24
capture transcript-80x24 80 24 Enter
capture board-80x24 80 24 3
capture help-80x24 80 24 '?'
capture attention-120x30 120 30 i
capture card-120x30 120 30 3 l l Enter
capture assign-120x30 120 30 3 h h h h h h g n
