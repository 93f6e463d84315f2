# Helpers shared by the end-to-end benchmarks (sourced by scripts/bench.sh and, run on its
# own, scripts/bench-agents.sh): the tmux harness, medians, memory and CPU from /proc, and
# timing a command's wall clock and CPU. Expects $bin (the release binary).

sock="beadboard-bench-$$"
sockets=()
cleanup() { for s in "${sockets[@]}"; do tmux -L "$s" kill-server 2>/dev/null || true; rm -f "/tmp/tmux-$(id -u)/$s"; done; }

ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
maxof() { sort -n | tail -1; }
screen() { tmux -L "$sock" capture-pane -p -t b 2>/dev/null || true; }
wait_for() { # text [timeout-ms]
  local deadline=$(( $(ms) + ${2:-20000} ))
  until screen | grep -qF -- "$1"; do
    [ "$(ms)" -lt "$deadline" ] || { echo "timed out waiting for: $1" >&2; screen >&2; return 1; }
    sleep 0.002
  done
}
# Waits until the Runs pane's title gives the total (` Runs 20,000 ` or, once the list is longer
# than the pane, ` Runs 1/20,000 `).
wait_total() { # total-with-commas timeout-ms
  local t0; t0=$(ms)
  until screen | grep -qE " Runs ([0-9,]+/)?$1 "; do
    [ $(( $(ms) - t0 )) -lt "$2" ] || { echo "timed out waiting for $1 runs" >&2; screen >&2; return 1; }
    sleep 0.01
  done
}
start_dash() { # width height args...
  local w=$1 h=$2; shift 2
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -f "/tmp/tmux-$(id -u)/$sock"
  sock="beadboard-bench-$$-$RANDOM"
  sockets+=("$sock")
  tmux -L "$sock" -f /dev/null new-session -d -s b -x "$w" -y "$h" "BEADBOARD_BENCH=$sock $bin $*"
}
pid_of_dash() {
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$bin" ] || continue
    tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qx "BEADBOARD_BENCH=$sock" && { echo "${p#/proc/}"; return; }
  done
}
hwm_mib() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
timed() { local t0; t0=$(ms); "$@" >/dev/null 2>&1; echo $(( $(ms) - t0 )); }

# `wall_ms cpu_ms` of one run of a command (output discarded).
cpu_file=$(mktemp)
trap 'cleanup; rm -f "$cpu_file"' EXIT
run_once() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$cpu_file" -f "%U %S" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(awk '{printf "%d", ($1 + $2) * 1000}' "$cpu_file")"
}
# "median wall (median cpu)" over 5 runs.
five() {
  local out; out=$(for i in 1 2 3 4 5; do run_once "$@"; done)
  echo "$(echo "$out" | awk '{print $1}' | median) ms (CPU $(echo "$out" | awk '{print $2}' | median) ms)"
}

# Milliseconds from starting `command` in a fresh 200x50 tmux pane until `marker` is on screen
# (60 s at most). `less +G` goes on counting lines, and `lnav` indexing, after the screen is
# drawn, and neither notices the hangup at once: the pane's process group is killed (by its id)
# after each round.
open_one() { # command [marker]
  local marker=${2:-THE-LAST-LINE-MARKER}
  sock="beadboard-bench-$$-$RANDOM"
  sockets+=("$sock")
  local t0 pane elapsed; t0=$(ms)
  tmux -L "$sock" -f /dev/null new-session -d -s b -x 200 -y 50 "exec $1"
  until screen | grep -qF -- "$marker"; do
    [ $(( $(ms) - t0 )) -lt 60000 ] || { echo "never showed the last line: $1" >&2; break; }
    sleep 0.002
  done
  elapsed=$(( $(ms) - t0 ))
  pane=$(tmux -L "$sock" display-message -p -t b '#{pane_pid}' 2>/dev/null || true)
  [ -n "$pane" ] && { kill -KILL -- "-$pane" 2>/dev/null || kill -KILL "$pane" 2>/dev/null || true; }
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -f "/tmp/tmux-$(id -u)/$sock"
  echo "$elapsed"
}

# Milliseconds from appending a line to `file` until it is on the dashboard's screen, one per
# sample, into the array `lat`; `make_line` prints the line for a marker. The file is cut back
# to its size afterwards.
append_latency() { # file samples make_line
  local file=$1 samples=$2 make=$3 size marker t0 i
  size=$(stat -c %s "$file")
  lat=()
  for i in $(seq 1 "$samples"); do
    marker="appended-line-$i-$RANDOM"
    t0=$(date +%s%N)
    "$make" "$marker" >> "$file"
    wait_for "$marker" 5000
    lat+=($(( ($(date +%s%N) - t0) / 1000000 )))
  done
  truncate -s "$size" "$file"
}
