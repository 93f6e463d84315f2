#!/usr/bin/env bash
# Idle CPU with 300 NTM sessions of 20 beads each (plus 400 runs over 10 repos, 4 of them
# active): the release dashboard on the newest session's board, and on the all-sessions board
# (S, Home, Enter: 6,000 cards), each in its own 200x50 tmux pane; the same dashboard on the
# same runs with one session of 20 beads, and with no sessions at all (controls: what the
# other 299 sessions cost is the difference from the first, the board's drawing from the
# second); beside
# `tail -f` and `less` on one of the stores and `watch -n 1 date` (a terminal program that
# redraws a clock once a second, as the dashboard does while times are on screen), all six
# measured over the same window. CPU time is utime+stime from
# /proc/<pid>/stat (every thread); the inotify watches are counted from /proc/<pid>/fdinfo.
# The data is generated in a temporary directory, removed at exit.
#
#   scripts/bench-idle-sessions.sh [SECONDS]     (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
cargo build --release --quiet --example bench_data
cargo build --release --quiet
bin="$PWD/target/release/beadboard"
work=$(mktemp -d)
sock="bb-idle-sessions-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
target/release/examples/bench_data "$work" --year --runs 400 --repos 10 --active 4 \
  --sessions 300 --beads 20 >&2
ap="$work/year/agentpair"; ntm="$work/year/ntm"
store=$(find "$ntm/sessions" -name assignments.json -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)   # the newest: the one the dashboard opens
export BEADBOARD_CACHE_DIR="$work/cache"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
screen() { tmux -L "$sock" capture-pane -p -t "$1" 2>/dev/null || true; }
wait_for() { # session text
  local deadline=$(( $(ms) + 60000 ))
  until screen "$1" | grep -qF -- "$2"; do
    [ "$(ms)" -lt "$deadline" ] || { echo "timed out waiting for: $2" >&2; screen "$1" >&2; exit 1; }
    sleep 0.05
  done
}
start() { # session command
  tmux -L "$sock" -f /dev/null new-session -d -s "$1" -x 200 -y 50 "exec $2"
}
pid_of() { tmux -L "$sock" list-panes -t "$1" -F '#{pane_pid}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
watches() { cat /proc/"$1"/fdinfo/* 2>/dev/null | grep -c '^inotify wd:' || true; }

dash="$bin --agentpair-dir $ap --ntm-dir $ntm"
mkdir -p "$work/no-ntm" "$work/one-ntm/sessions"
cp -r "$(dirname "$store")" "$work/one-ntm/sessions/"
start one "$dash"
start all "$dash"
start single "$bin --agentpair-dir $ap --ntm-dir $work/one-ntm"
start none "$bin --agentpair-dir $ap --ntm-dir $work/no-ntm"
start watch "watch -n 1 date"
start tail "tail -f $store"
start less "less $store"
wait_for one " 20 beads"
wait_for all " 20 beads"
tmux -L "$sock" send-keys -t all 3 S
wait_for all "all sessions (300)"
tmux -L "$sock" send-keys -t all Home Enter
wait_for all "Board all sessions (300)"
wait_for less "assignments.json"
wait_for none "no sessions"
wait_for single " 20 beads"
wait_for watch "date"
sleep 5   # let the start's reads finish: only idle time is measured
names=(one all single none tail less watch)
declare -A before pids
for n in "${names[@]}"; do pids[$n]=$(pid_of "$n"); before[$n]=$(ticks "${pids[$n]}"); done
sleep "$seconds"
hz=$(getconf CLK_TCK)
label() {
  case $1 in
    one) echo "beadboard, one session's board (20 cards)" ;;
    all) echo "beadboard, the all-sessions board (300 sessions, 6,000 cards)" ;;
    single) echo "beadboard, the same runs and only that one session (control)" ;;
    none) echo "beadboard, the same runs and no sessions (control)" ;;
    watch) echo "\`watch -n 1 date\` (baseline: a 1 Hz clock)" ;;
    tail) echo "\`tail -f\` on one store (baseline)" ;;
    less) echo "\`less\` on one store (baseline)" ;;
  esac
}
echo "| idle over ${seconds} s, 300 sessions of 20 beads, 200x50 tmux panes | CPU time | CPU use | inotify watches | RSS |"
echo "|---|---|---|---|---|"
for n in "${names[@]}"; do
  p=${pids[$n]}
  after=$(ticks "$p")
  rss=$(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$p/status")
  awk -v b="${before[$n]}" -v a="$after" -v t="$hz" -v s="$seconds" -v l="$(label "$n")" \
      -v w="$(watches "$p")" -v r="$rss" \
    'BEGIN { printf "| %s | %.2f s | %.3f %% | %s | %s |\n", l, (a - b) / t, 100 * (a - b) / t / s, w, r }'
done
