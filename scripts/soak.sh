#!/usr/bin/env bash
# Soak: `beadboard demo --speed 50` (about 8 simulated hours in 10 minutes) in a 200x50 tmux
# pane, and `beadboard watch --json` on the same sandbox beside it (its lines to a file), for
# N minutes (default 10). Each minute: both processes' resident memory (VmRSS) and the CPU
# time they used that minute (utime + stime, from /proc), the runs and agent sessions on disk
# and the watch's lines so far. The demo's CPU is split by thread: its simulator (the thread
# named `demo-simulator`; in older builds, the one unnamed thread beside the main one) writes
# the sandbox and is not the dashboard; "dashboard" is the rest of the process (the event
# loop, its workers, notify's thread and the short-lived job threads, whose time the process
# keeps after they end), and "loop" the main thread alone. Prints a Markdown table and the
# load average at the end; BENCHMARKS.md keeps the figures.
#   scripts/soak.sh [minutes] [speed] [seed]   (BEADBOARD_BIN=path: another build)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
speed=${2:-50}
seed=${3:-7}
bin=${BEADBOARD_BIN:-$PWD/target/release/beadboard}
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
sock=bb-soak-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/tmp"
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The simulator thread's id: named `demo-simulator`, or (older builds) the thread that has the
# process's own name and is not the main thread.
simulator_tid() {
  local t name main
  main=$(cat "/proc/$1/comm")
  for t in /proc/"$1"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    if [ "$name" = demo-simulator ] || { [ "$name" = "$main" ] && [ "${t##*/}" != "$1" ]; }; then
      echo "${t##*/}"
      return
    fi
  done
}
thread_cpu() { awk '{print $14 + $15}' "/proc/$1/task/$2/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# Waits up to 30 s for a shell test to pass.
wait_for() {
  local i
  for i in $(seq 300); do
    if eval "$1"; then return 0; fi
    sleep 0.1
  done
  echo "soak: timed out waiting for: $1" >&2
  exit 1
}

# `exec`, so the pane's process is beadboard itself.
tmux -L "$sock" new-session -d -s demo -x 200 -y 50 \
  "exec env HOME=$work/home TMPDIR=$work/tmp $bin demo --speed $speed --seed $seed"
demo=$(tmux -L "$sock" list-panes -t demo -F '#{pane_pid}')
wait_for "compgen -G '$work/tmp/beadboard-demo-*/agentpair/runs' >/dev/null"
sandbox=$(compgen -G "$work/tmp/beadboard-demo-*" | head -1)
tmux -L "$sock" new-session -d -s watch -x 200 -y 50 \
  "exec env HOME=$work/home $bin --agentpair-dir $sandbox/agentpair --ntm-dir $sandbox/ntm \
   --beads $sandbox/.beads/issues.jsonl watch --json > $work/watch.jsonl"
watch=$(tmux -L "$sock" list-panes -t watch -F '#{pane_pid}')
wait_for "[ -s $work/watch.jsonl ] || [ \$(cpu $watch) -gt 0 ]"

runs() { find "$sandbox/agentpair/runs" -mindepth 3 -maxdepth 3 -name manifest.json | wc -l; }
# Agent session files (Claude Code's and Codex's), each a run of the dashboard too.
sessions() { find "$sandbox/claude" "$sandbox/codex" -name '*.jsonl' 2>/dev/null | wc -l; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
pct() { awk -v d="$1" -v t="$ticks" 'BEGIN { printf "%.1f", 100 * d / t / 60 }'; }

# The simulator thread starts once the sandbox is made and its first runs started.
wait_for "[ -n \"\$(simulator_tid $demo)\" ]"
sim=$(simulator_tid "$demo")
echo "| minute | runs | sessions | demo RSS MiB | dashboard CPU % | loop CPU % | simulator CPU % | watch RSS MiB | watch CPU % | watch lines |"
echo "|---|---|---|---|---|---|---|---|---|---|"
d0=$(cpu "$demo"); s0=$(thread_cpu "$demo" "$sim"); l0=$(thread_cpu "$demo" "$demo"); w0=$(cpu "$watch")
echo "| 0 | $(runs) | $(sessions) | $(mib "$(rss_kib "$demo")") | | | | $(mib "$(rss_kib "$watch")") | | $(wc -l < "$work/watch.jsonl") |"
for m in $(seq "$minutes"); do
  sleep 60
  d1=$(cpu "$demo"); s1=$(thread_cpu "$demo" "$sim"); l1=$(thread_cpu "$demo" "$demo"); w1=$(cpu "$watch")
  echo "| $m | $(runs) | $(sessions) | $(mib "$(rss_kib "$demo")") | $(pct $((d1 - d0 - (s1 - s0)))) |" \
    "$(pct $((l1 - l0))) | $(pct $((s1 - s0))) | $(mib "$(rss_kib "$watch")") | $(pct $((w1 - w0))) |" \
    "$(wc -l < "$work/watch.jsonl") |"
  d0=$d1; s0=$s1; l0=$l1; w0=$w1
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
tmux -L "$sock" send-keys -t demo q
# Gone, or a zombie: once its pane closes, tmux may exit too, and the process left unreaped
# belongs to this machine's init (in a container, one that may take seconds to reap it).
exited() { [ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
wait_for "exited $demo"
