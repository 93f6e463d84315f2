#!/usr/bin/env bash
# Peak memory (VmHWM) of the dashboard on the year (20,000 runs) + 6,000 agent sessions:
# cold cache start (cache dir emptied) peak after all listed+5s, warm start listed+5s, after F.
#   BIN=path/to/beadboard DATA=bench-data ROUNDS=3 scripts/bench-peak-memory.sh
# (DATA: what `examples/bench_data.rs --year` and `--agents` generate; see scripts/bench-agents.sh)
set -uo pipefail
bin=$(realpath "${BIN:-target/release/beadboard}")
data=$(realpath "${DATA:-bench-data}")
rounds=${ROUNDS:-3}
cache=$(mktemp -d /tmp/memcache.XXXX)
ap=$data/year/agentpair; ntm=$data/year/ntm; ag=$data/agents
args="--agentpair-dir $ap --ntm-dir $ntm --claude-dir $ag/claude --codex-dir $ag/codex --gemini-dir $ag/gemini --opencode-db $ag/opencode/opencode.db"
sock=mem-$$
ms() { date +%s%3N; }
screen() { tmux -L $sock capture-pane -p -t b 2>/dev/null; }
waitre() { local d=$(( $(ms) + ${2:-90000} )); until screen | grep -qE -- "$1"; do [ "$(ms)" -lt $d ] || { echo "timeout: $1" >&2; screen >&2; return 1; }; sleep 0.05; done; }
pidof_dash() { for p in /proc/[0-9]*; do [ "$(readlink $p/exe 2>/dev/null)" = "$bin" ] || continue; tr '\0' '\n' < $p/environ 2>/dev/null | grep -qx "MEMSOCK=$sock" && { echo ${p#/proc/}; return; }; done; }
hwm() { awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/$1/status; }
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$1/status; }
start() { tmux -L $sock kill-server 2>/dev/null; tmux -L $sock -f /dev/null new-session -d -s b -x 200 -y 50 "MEMSOCK=$sock BEADBOARD_CACHE_DIR=$cache $bin $args"; }
for r in $(seq $rounds); do
  for mode in cold warm; do
    [ $mode = cold ] && rm -rf "$cache"/*
    t0=$(ms); start
    waitre ' Runs [1-9]' || exit 1
    first=$(( $(ms) - t0 ))
    waitre '26,000' 120000 || exit 1
    sleep 5; pid=$(pidof_dash)
    l=$(hwm $pid); lr=$(rss $pid)
    if [ $mode = warm ]; then
      tmux -L $sock send-keys -t b F; tmux -L $sock send-keys -t b -l needle-zebra-42; tmux -L $sock send-keys -t b Enter
      waitre '✓ [0-9,]+ match' 120000 || exit 1
      f=$(hwm $pid); fr=$(rss $pid)
      tmux -L $sock send-keys -t b Escape
    else f=-; fr=-; fi
    echo "round $r $mode: first ${first} ms  listed+5s HWM $l MiB (RSS $lr)  after F HWM $f MiB (RSS $fr)  load $(cut -d' ' -f1 /proc/loadavg)"
    tmux -L $sock send-keys -t b q; sleep 1
  done
done
tmux -L $sock kill-server 2>/dev/null; rm -rf "$cache"
