#!/usr/bin/env bash
# The search part of scripts/bench-agents.sh (issue 18, item 7), on its own: `beadboard search`
# and the dashboard's `F` over the 20,000-run year and the month of agent sessions, with
# `grep -rlF` over the same files in the same loop (and, given BEADBOARD_BEFORE=<binary>,
# that binary too), rounds interleaved. Reads DATA_DIR (year/ and agents/, made by
# scripts/bench-agents.sh or `examples/bench_data.rs --year --agents`) and never writes there:
# the summary cache goes to a temporary directory.
#
#   BEADBOARD_BEFORE=/tmp/old-beadboard scripts/bench-agents-search.sh DATA_DIR [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?DATA_DIR}
rounds=${2:-5}
if [ -z "${bin:-}" ]; then
  cargo build --release --quiet
  bin="$PWD/target/release/beadboard"
fi
before=${BEADBOARD_BEFORE:-}
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh
ap="$data/year/agentpair"; ntm="$data/year/ntm"; agents="$data/agents"
ag=(--claude-dir "$agents/claude" --codex-dir "$agents/codex" --gemini-dir "$agents/gemini"
    --opencode-db "$agents/opencode/opencode.db")
cache=$(mktemp -d)
export BEADBOARD_CACHE_DIR="$cache"
trap 'cleanup; rm -f "$cpu_file"; rm -rf "$cache"' EXIT
sessions_bytes=$(find "$agents" -type f ! -name .complete -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
runs_bytes=$(find "$ap/runs" -name transcript.jsonl -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
corpus=$((sessions_bytes + runs_bytes))
find "$agents" "$ap" -type f -exec cat {} + > /dev/null   # warm the page cache (as for grep)
all() { echo "$1" --agentpair-dir "$ap" --ntm-dir "$ntm" "${ag[@]}"; }
# The summary caches, warm (as a second start finds them).
$(all "$bin") runs --json > /dev/null 2>&1 || true
[ -n "$before" ] && { $(all "$before") runs --json > /dev/null 2>&1 || true; }

# The same matches, before and after (the JSON lines, in order).
hits=$($(all "$bin") search needle-zebra-42 --json | tee "$cache/after.jsonl" | wc -l)
if [ -n "$before" ]; then
  $(all "$before") search needle-zebra-42 --json > "$cache/before.jsonl"
  cmp -s "$cache/before.jsonl" "$cache/after.jsonl" && same="identical" || same="DIFFERENT"
fi

s_wall=(); s_cpu=(); b_wall=(); b_cpu=(); g_wall=(); g_cpu=()
for i in $(seq 1 "$rounds"); do
  read -r w c < <(run_once $(all "$bin") search needle-zebra-42 --json); s_wall+=("$w"); s_cpu+=("$c")
  if [ -n "$before" ]; then
    read -r w c < <(run_once $(all "$before") search needle-zebra-42 --json); b_wall+=("$w"); b_cpu+=("$c")
  fi
  read -r w c < <(run_once sh -c "grep -rlF needle-zebra-42 $ap/runs $agents || true"); g_wall+=("$w"); g_cpu+=("$c")
done
grep_files=$(grep -rlF needle-zebra-42 "$ap/runs" "$agents" | wc -l || true)

# `F` in the dashboard, once every run and session is listed; then its peak memory.
f_one() { # binary -> "ms hwm line"
  local b=$1 t0 pid line
  bin=$b start_dash 200 50 --agentpair-dir "$ap" --ntm-dir "$ntm" "${ag[@]}"
  # (The title reads ` Runs 1/26,000`: the position, then the total.)
  wait_for "/26,000 · " 60000 || { tmux -L "$sock" kill-server; exit 1; }
  pid=$(bin=$b pid_of_dash)
  tmux -L "$sock" send-keys -t b F
  tmux -L "$sock" send-keys -t b -l needle-zebra-42
  t0=$(ms)
  tmux -L "$sock" send-keys -t b Enter
  until screen | grep -qE '✓ [0-9,]+ match(es)? in [0-9,]+ transcripts'; do
    [ $(( $(ms) - t0 )) -lt 60000 ] || { echo "F never finished" >&2; screen >&2; tmux -L "$sock" kill-server; exit 1; }
    sleep 0.002
  done
  local took=$(( $(ms) - t0 ))
  line=$(screen | grep -oE '✓ [0-9,]+ match(es)? in [0-9,]+ transcripts[^│┃]*' | head -1 | sed 's/ *$//')
  echo "$took $(hwm_mib "$pid") $line"
  tmux -L "$sock" send-keys -t b Escape; sleep 0.2; tmux -L "$sock" send-keys -t b q
}
f_ms=(); f_hwm=(); fb_ms=(); fb_hwm=(); fg=()
for i in $(seq 1 "$rounds"); do
  read -r t h f_line < <(f_one "$bin"); f_ms+=("$t"); f_hwm+=("$h")
  if [ -n "$before" ]; then
    read -r t h fb_line < <(f_one "$before"); fb_ms+=("$t"); fb_hwm+=("$h")
  fi
  fg+=("$(run_once sh -c "grep -rlF needle-zebra-42 $ap/runs $agents || true" | awk '{print $1}')")
done
med() { printf '%s\n' "$@" | median; }
rate() { awk -v s="$corpus" -v t="$1" 'BEGIN {printf "%.2f GB/s", s/1e9/(t/1000)}'; }

cat <<REPORT
Corpus: $(awk -v s="$corpus" 'BEGIN {printf "%.2f GB", s/1e9}') ($(awk -v s="$sessions_bytes" 'BEGIN {printf "%.2f GB", s/1e9}') of sessions). Medians of $rounds interleaved rounds; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
search --json: $(med "${s_wall[@]}") ms (CPU $(med "${s_cpu[@]}") ms) = $(rate "$(med "${s_wall[@]}")"), $hits matches
$( [ -n "$before" ] && echo "search --json, before: $(med "${b_wall[@]}") ms (CPU $(med "${b_cpu[@]}") ms); matches $same" )
grep -rlF (search loop): $(med "${g_wall[@]}") ms (CPU $(med "${g_cpu[@]}") ms) = $(rate "$(med "${g_wall[@]}")"), $grep_files files
F: $(med "${f_ms[@]}") ms = $(rate "$(med "${f_ms[@]}")"), VmHWM after $(med "${f_hwm[@]}") MiB ($f_line)
$( [ -n "$before" ] && echo "F, before: $(med "${fb_ms[@]}") ms, VmHWM after $(med "${fb_hwm[@]}") MiB ($fb_line)" )
grep -rlF (F loop): $(med "${fg[@]}") ms
REPORT
