#!/usr/bin/env bash
# Time from a resize to the correct frame: the release binary in a real tmux, resized with
# `tmux resize-window` between 100x30 and 200x50 (N times, default 50), each time timed until
# `capture-pane` shows a frame laid out for the new size (footer's "? help" in the last column
# of the last row, the panes' bottom border in the last column three rows up, screen tabs in
# the header only below 160x40). Baselines measured in the same run, the same way:
#   - tmux alone: until tmux reports the new pane size (two tmux client round trips);
#   - a bash trap that clears the screen and prints `stty size` on SIGWINCH: when tmux has
#     delivered the signal (tmux batches pane resizes, so this is the floor for any program);
#   - less -M on a 100,000-line file: until its prompt says "lines 1-29/" (or "1-49/").
# Also: SIGTERM 100 ms after a resize -> process gone (10 samples).
# Prints a Markdown table (BENCHMARKS.md records it).
#
#   scripts/bench-resize.sh [N]        GAP=0 scripts/bench-resize.sh shows tmux's resize timer
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
n=${1:-50}
gap=${GAP:-0.3}
cargo build --release --quiet
bin="$PWD/target/release/beadboard"
tmp=$(mktemp -d)
sock="beadboard-bench-resize-$$"
sockets=()
cleanup() {
  for s in "${sockets[@]}"; do tmux -L "$s" kill-server 2>/dev/null || true; rm -f "/tmp/tmux-$(id -u)/$s"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
cp -r tests/fixtures/upstream/agentpair/home-agentpair "$tmp/ap"
cp -r tests/fixtures/examples/ntm "$tmp/ntm"
seq 1 100000 | sed 's/^/line /' > "$tmp/file.txt"

now_us() { echo $(( $(date +%s%N) / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
maxof() { sort -n | tail -1; }
ms() { awk '{printf "%.1f", $1/1000}'; }
capture() { tmux -L "$sock" capture-pane -p -t b 2>/dev/null || true; }

# beadboard's frame is laid out for $1 x $2.
dash_ok() {
  local w=$1 h=$2 lines
  mapfile -t lines < <(capture)
  [ "${#lines[@]}" -eq "$h" ] || return 1
  local footer=${lines[h-1]} border=${lines[h-3]} header=${lines[0]}
  [[ $footer == *"? help" && ${#footer} -eq $w ]] || return 1
  [[ ( $border == *┛ || $border == *┘ ) && ${#border} -eq $w ]] || return 1
  if [ "$w" -ge 160 ] && [ "$h" -ge 40 ]; then
    [[ $header != *"1 Runs"* ]]
  else
    [[ $header == *"3 Board" && ${#header} -eq $((w - 1)) ]]
  fi
}
winch_ok() { capture | grep -qx "size $2 $1"; }
less_ok() { capture | tail -1 | grep -q "lines 1-$(( $2 - 1 ))/"; }
tmux_ok() { [ "$(tmux -L "$sock" display-message -p -t b '#{pane_width}x#{pane_height}')" = "$1x$2" ]; }

start() { # command (each on a server of its own)
  tmux -L "$sock" kill-server 2>/dev/null || true
  sock="beadboard-bench-resize-$$-${#sockets[@]}"
  sockets+=("$sock")
  tmux -L "$sock" -f /dev/null new-session -d -s b -x 100 -y 30 "$1"
}

# Prints one line per resize: microseconds until check $1 accepts the new size. Each resize
# comes $gap s (default 0.3) after the last one's frame: tmux holds a pane's resize back by up
# to 250 ms when the previous one was that recent (its resize timer), for every program alike.
resizes() {
  local check=$1 i w h t0 deadline
  for ((i = 1; i <= n; i++)); do
    if ((i % 2)); then w=200 h=50; else w=100 h=30; fi
    sleep "$gap"
    t0=$(now_us)
    tmux -L "$sock" resize-window -t b -x "$w" -y "$h"
    deadline=$((t0 + 10000000))
    until "$check" "$w" "$h"; do
      [ "$(now_us)" -lt "$deadline" ] || { echo "no frame for ${w}x${h} after a resize:" >&2; capture >&2; exit 1; }
    done
    echo $(( $(now_us) - t0 ))
  done
}

wait_check() { # check w h
  local deadline=$(( $(now_us) + 10000000 ))
  until "$1" "$2" "$3"; do
    [ "$(now_us)" -lt "$deadline" ] || { echo "timed out waiting for the first frame" >&2; capture >&2; exit 1; }
    sleep 0.01
  done
}

pid_of() { # marker
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$bin" ] || continue
    tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qx "BEADBOARD_BENCH=$1" && { echo "${p#/proc/}"; return; }
  done
}

dash_cmd="env BEADBOARD_BENCH=$$ HOME=$tmp $bin --agentpair-dir $tmp/ap --ntm-dir $tmp/ntm"

start "$dash_cmd"
wait_check dash_ok 100 30
dash=$(resizes dash_ok)
pid=$(pid_of "$$")
[ -n "$pid" ] && [ -e "/proc/$pid" ] || { echo "beadboard did not survive the resizes" >&2; exit 1; }

start "sh -c 'cat > /dev/null'"
tmux_only=$(resizes tmux_ok)

cat > "$tmp/winch.sh" <<'SH'
trap 'clear; echo "size $(stty size)"' WINCH
while :; do sleep 10 & wait $!; done
SH
start "bash --norc --noprofile $tmp/winch.sh"
winch=$(resizes winch_ok)

start "less -M $tmp/file.txt"
wait_check less_ok 100 30
less_t=$(resizes less_ok)

# SIGTERM 100 ms after a resize -> process gone.
term=()
for i in 1 2 3 4 5 6 7 8 9 10; do
  start "$dash_cmd"
  wait_check dash_ok 100 30
  pid=$(pid_of "$$")
  tmux -L "$sock" resize-window -t b -x 200 -y 50
  sleep 0.1
  t0=$(now_us)
  kill -TERM "$pid"
  while [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
    [ $(( $(now_us) - t0 )) -lt 5000000 ] || { echo "still running 5 s after SIGTERM" >&2; exit 1; }
  done
  term+=($(( $(now_us) - t0 )))
done

row() { # label samples
  printf '| %s | %s ms | %s ms |\n' "$1" "$(median <<<"$2" | ms)" "$(maxof <<<"$2" | ms)"
}
echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $(uname -sr) · $(tmux -V) · $n resizes between 100x30 and 200x50, $gap s apart"
echo
echo "| resize → correct frame on screen | median | max |"
echo "|---|---|---|"
row "beadboard (release)" "$dash"
row "\`less -M\` on a 100,000-line file (baseline)" "$less_t"
row "a bash trap that prints \`stty size\` on SIGWINCH (baseline)" "$winch"
row "tmux alone: the new pane size reported (floor)" "$tmux_only"
echo
echo "| signal → process gone | median | max |"
echo "|---|---|---|"
printf '| SIGTERM 100 ms after a resize (10 samples) | %s ms | %s ms |\n' \
  "$(printf '%s\n' "${term[@]}" | median | ms)" "$(printf '%s\n' "${term[@]}" | maxof | ms)"
