#!/usr/bin/env bash
# The first screen (' Runs [1-9]' on screen) of BIN on year + 6,000 sessions, warm cache, 200x50; N rounds
#   BIN=path/to/beadboard DATA=bench-data N=7 scripts/bench-first-screen.sh (prints each round in ms, then the load)
bin=$(realpath "${BIN:-target/release/beadboard}"); n=${N:-7}; data=$(realpath "${DATA:-bench-data}")
ap=$data/year/agentpair; ntm=$data/year/ntm; ag=$data/agents; cache=$(mktemp -d)
args="--agentpair-dir $ap --ntm-dir $ntm --claude-dir $ag/claude --codex-dir $ag/codex --gemini-dir $ag/gemini --opencode-db $ag/opencode/opencode.db"
ms() { date +%s%3N; }
sock=first-$$
BEADBOARD_CACHE_DIR=$cache $bin $args runs >/dev/null 2>&1   # warm the cache
for i in $(seq $n); do
  tmux -L $sock kill-server 2>/dev/null
  t0=$(ms); tmux -L $sock -f /dev/null new-session -d -s b -x 200 -y 50 "BEADBOARD_CACHE_DIR=$cache $bin $args"
  until tmux -L $sock capture-pane -p -t b 2>/dev/null | grep -qE ' Runs [1-9]'; do sleep 0.002; done
  echo -n "$(( $(ms) - t0 )) "
  sleep 2; tmux -L $sock send-keys -t b q; sleep 0.5
done
echo " load $(cut -d' ' -f1-3 /proc/loadavg)"
tmux -L $sock kill-server 2>/dev/null
rm -rf "$cache"
