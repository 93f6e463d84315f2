#!/usr/bin/env bash
# Opening a legacy Gemini document over 256 MiB in the Transcript pane (issue 18): beadboard on
# that session alone (its own Gemini directory, a warm summary cache) until the document's last
# reply is on screen, beside `less +G`, `less -n +G` and `tail -c` on the same file in the same
# tmux harness, interleaved (scripts/bench-lib.sh `open_one`), with the peak memory (VmHWM) of
# beadboard and of `less` when the last reply is shown; and beadboard on a 1 MB document of
# the same layout, read whole, as the control (its own start and first screen). With BEFORE=<binary>, that build is
# started once on the same session and what it shows is printed.
#
#   BIN=target/release/beadboard [BEFORE=…] scripts/bench-legacy-gemini.sh DIR [SIZE_MB] [ROUNDS]
#
# DIR holds the generated document (scripts/bench-legacy-gemini.py; about SIZE_MB, default
# 400): put it under /tmp, never in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(realpath -m "$1"); size=${2:-400}; rounds=${3:-5}
bin=$(realpath "${BIN:-target/release/beadboard}")
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
doc=$(find "$data/gemini" -name 'session-*.json' 2>/dev/null | head -1)
[ -n "$doc" ] || doc=$(python3 scripts/bench-legacy-gemini.py "$data" "$size")
mkdir -p "$data/ap" "$data/ntm"
# The control: the same layout at 1 MB, read whole (beadboard's own start and first screen).
small="$data/small"
[ -d "$small/gemini" ] || python3 scripts/bench-legacy-gemini.py "$small" 1 > /dev/null
mkdir -p "$small/ap" "$small/ntm"
export BEADBOARD_CACHE_DIR="$data/cache"
solo() { local d=${2:-$data}; echo "$1 --agentpair-dir $d/ap --ntm-dir $d/ntm --gemini-dir $d/gemini --claude=off --codex=off --opencode=off"; }
cat "$doc" > /dev/null   # in the page cache, as for the others

# As open_one, also giving the pane's process's VmHWM (MiB) once the marker is shown.
open_hwm() { # command marker
  sock="beadboard-bench-$$-$RANDOM"; sockets+=("$sock")
  local t0 pane elapsed hwm; t0=$(ms)
  tmux -L "$sock" -f /dev/null new-session -d -s b -x 200 -y 50 "exec $1"
  until screen | grep -qF -- "$2"; do
    [ $(( $(ms) - t0 )) -lt 60000 ] || { echo "never showed the marker: $1" >&2; break; }
    sleep 0.002
  done
  elapsed=$(( $(ms) - t0 ))
  pane=$(tmux -L "$sock" display-message -p -t b '#{pane_pid}' 2>/dev/null || true)
  hwm=$(hwm_mib "$pane" 2>/dev/null || echo "?")
  [ -n "$pane" ] && { kill -KILL -- "-$pane" 2>/dev/null || kill -KILL "$pane" 2>/dev/null || true; }
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -f "/tmp/tmux-$(id -u)/$sock"
  echo "$elapsed $hwm"
}

# The summary cache filled once (listing a cold cache reads the whole document as a stream).
open_hwm "$(solo "$bin")" THE-LAST-LINE-MARK > /dev/null
open_hwm "$(solo "$bin" "$small")" THE-LAST-LINE-MARK > /dev/null
if [ -n "${BEFORE:-}" ]; then
  sock="beadboard-bench-$$-$RANDOM"; sockets+=("$sock")
  tmux -L "$sock" -f /dev/null new-session -d -s b -x 200 -y 50 "exec $(solo "$(realpath "$BEFORE")")"
  wait_for "bench222" 60000 || true
  sleep 3
  echo "before ($BEFORE), 3 s after its run is listed:"; screen
  tmux -L "$sock" kill-server 2>/dev/null || true
fi
bb=(); bbm=(); sm=(); smm=(); lg=(); lgm=(); ln=(); tl=()
for i in $(seq 1 "$rounds"); do
  read -r t m < <(open_hwm "$(solo "$bin")" THE-LAST-LINE-MARK); bb+=("$t"); bbm+=("$m")
  read -r t m < <(open_hwm "$(solo "$bin" "$small")" THE-LAST-LINE-MARK); sm+=("$t"); smm+=("$m")
  read -r t m < <(open_hwm "less +G $doc" THE-LAST-LINE-MARK); lg+=("$t"); lgm+=("$m")
  read -r t m < <(open_hwm "less -n +G $doc" THE-LAST-LINE-MARK); ln+=("$t")
  read -r t m < <(open_hwm "sh -c 'tail -c 2000 $doc; sleep 60'" THE-LAST-LINE-MARK); tl+=("$t")
done
med() { printf '%s\n' "$@" | median; }
echo "document: $(stat -c %s "$doc") bytes; rounds: $rounds; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "beadboard: ${bb[*]} ms (median $(med "${bb[@]}")); VmHWM ${bbm[*]} MiB (median $(med "${bbm[@]}"))"
echo "beadboard, the 1 MB control: ${sm[*]} ms (median $(med "${sm[@]}")); VmHWM ${smm[*]} MiB (median $(med "${smm[@]}"))"
echo "less +G: ${lg[*]} ms (median $(med "${lg[@]}")); VmHWM ${lgm[*]} MiB (median $(med "${lgm[@]}"))"
echo "less -n +G: ${ln[*]} ms (median $(med "${ln[@]}"))"
echo "tail -c 2000: ${tl[*]} ms (median $(med "${tl[@]}"))"
