#!/usr/bin/env bash
# End-to-end benchmarks of the real release binary in tmux, beside the baselines `tail -n 50`,
# `wc -l` and `jq` on the same 1 GB file. Prints a Markdown report (BENCHMARKS.md records it).
#
#   scripts/bench.sh [DATA_DIR]     (default: bench-data; generated on first use, ~6 GB with the
#                                    agent sessions: put it under /tmp and delete it afterwards)
#
# Measures: time until the last line of a 1 GB transcript is on screen, and peak memory;
# full-text search of it; first screen with 2,000 runs; append -> screen latency (50 samples);
# idle CPU over 10 s; board key -> transition durable on disk with 1,000 beads. Then a year of
# history (scripts/bench-year.sh): status, runs, search over 20,000 transcripts, sessions, the
# dashboard's first screen and memory with 20,000 runs; and opening the 1 GB transcript beside
# `less +G` and `lnav`. Then a month of agent sessions beside the year (scripts/bench-agents.sh):
# first screen and memory with 6,000 sessions and 20,000 runs, search and `F` beside `grep -rlF`,
# a 1 GB Claude session beside `less +G`, a 12 MB line, and a live append.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-bench-data}
cargo build --release --quiet --example bench_data
cargo build --release --quiet
bin="$PWD/target/release/beadboard"
big_file="$data/big-agentpair/runs/924c1e51c020e3b4/1/transcript.jsonl"
[ -f "$data/.big-size" ] && [ -f "$big_file" ] && truncate -s "$(cat "$data/.big-size")" "$big_file"
if [ ! -f "$big_file" ] || ! tail -c 200 "$big_file" | grep -q THE-LAST-LINE-MARKER; then
  rm -f "$data/.big-size"
  echo "generating $data (2,000 runs, a 1 GB transcript, stores of 1k and 10k beads)..." >&2
  target/release/examples/bench_data "$data" --runs 2000 --transcript-mb 1024 >&2
fi
big="$data/big-agentpair/runs/924c1e51c020e3b4/1/transcript.jsonl"
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

# The append test adds lines; put the file back as generated.
[ -f "$data/.big-size" ] || stat -c %s "$big" > "$data/.big-size"
truncate -s "$(cat "$data/.big-size")" "$big"
size=$(stat -c %s "$big")
cat "$big" > /dev/null   # warm the page cache
echo "# beadboard end-to-end benchmarks"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores · $(uname -sr) · transcript $(( size / 1048576 )) MiB, $(wc -l < "$big") lines"
echo

# Baselines on the same file.
tail_ms=$(for i in 1 2 3; do timed tail -n 50 "$big"; done | median)
wc_ms=$(for i in 1 2 3; do timed wc -l "$big"; done | median)
if command -v jq >/dev/null; then
  jq_ms=$(timed jq -c 'select((.content // "") | contains("needle-zebra"))' "$big")
  jq_rate=$(awk -v s="$size" -v t="$jq_ms" 'BEGIN {printf "%.0f MB/s", s/1e6/(t/1000)}')
else
  jq_ms="n/a"; jq_rate="jq not installed"
fi

# 1. Last lines of a 1 GB transcript on screen, and peak memory.
open_runs=()
hwm=""
for i in 1 2 3 4 5; do
  t0=$(ms)
  start_dash 200 50 --agentpair-dir "$data/big-agentpair" --ntm-dir "$data/ntm"
  wait_for "THE-LAST-LINE-MARKER"
  open_runs+=($(( $(ms) - t0 )))
  pid=$(pid_of_dash); hwm=$(hwm_mib "$pid")
done
open_ms=$(printf '%s\n' "${open_runs[@]}" | median)

# 2. Full-text search of the whole file (needle near the start; the scan covers all of it).
search_runs=()
for i in 1 2 3; do
  tmux -L "$sock" send-keys -t b 2
  tmux -L "$sock" send-keys -t b /
  tmux -L "$sock" send-keys -t b -l needle-zebra
  t0=$(ms)
  tmux -L "$sock" send-keys -t b Enter
  wait_for "1 match for"
  search_runs+=($(( $(ms) - t0 )))
  # Separately: ESC followed at once by a key reads as Alt+key in every terminal.
  tmux -L "$sock" send-keys -t b Escape; sleep 0.2; tmux -L "$sock" send-keys -t b G; sleep 0.2
done
search_ms=$(printf '%s\n' "${search_runs[@]}" | median)
search_rate=$(awk -v s="$size" -v t="$search_ms" 'BEGIN {printf "%.2f GB/s", s/1e9/(t/1000)}')
hwm_search=$(hwm_mib "$(pid_of_dash)")

# 3. Append -> on screen, 50 samples, while following the 1 GB transcript.
agentpair_line() { printf '{"type":"result","timestamp":"2026-11-22T10:00:00Z","run_id":1,"iteration":9,"agent":"codex","content":"%s"}\n' "$1"; }
append_latency "$big" 50 agentpair_line
lat_median=$(printf '%s\n' "${lat[@]}" | median)
lat_max=$(printf '%s\n' "${lat[@]}" | maxof)

# 4. Idle CPU over 10 s (nothing changing; an active run keeps a 1 Hz clock).
pid=$(pid_of_dash)
sleep 1
c0=$(cpu_ticks "$pid"); sleep 10; c1=$(cpu_ticks "$pid")
idle=$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f%%", d/hz/10*100}')
tmux -L "$sock" send-keys -t b q

# 5. First screen with 2,000 runs.
runs=()
for i in 1 2 3 4 5; do
  t0=$(ms)
  start_dash 200 50 --agentpair-dir "$data/agentpair" --ntm-dir "$data/ntm"
  wait_total 2,000 20000
  runs+=($(( $(ms) - t0 )))
done
runs_ms=$(printf '%s\n' "${runs[@]}" | median)
tmux -L "$sock" send-keys -t b q

# 6. Board key -> transition durable on disk, 1,000 beads. Timed from sending the key until the
#    store file has been replaced (polled with bash's built-in -nt: no process per check); the
#    tmux client's own round trip is measured separately and reported beside it.
ntm1k=$(mktemp -d)
mkdir -p "$ntm1k/sessions"
ref=$(mktemp)
trans=()
for i in 1 2 3 4 5 6 7; do
  # The last round's dashboard may still be finishing its write (history after the store):
  # it is stopped and gone before its session directory is replaced.
  tmux -L "$sock" kill-server 2>/dev/null || true
  deadline=$(( $(ms) + 5000 ))
  while [ -n "$(pid_of_dash)" ] && [ "$(ms)" -lt "$deadline" ]; do sleep 0.01; done
  rm -rf "$ntm1k/sessions/bench1k"; cp -r "$data/ntm/sessions/bench1k" "$ntm1k/sessions/"
  store="$ntm1k/sessions/bench1k/assignments.json"
  start_dash 200 50 --agentpair-dir "$data/agentpair" --ntm-dir "$ntm1k"
  wait_for "bench1k"
  tmux -L "$sock" send-keys -t b 3
  wait_for "○ assigned 250"
  sleep 0.3
  touch "$ref"; sleep 0.02
  t0=$(date +%s%N)
  tmux -L "$sock" send-keys -t b s
  deadline=$(( $(ms) + 5000 ))
  until [ "$store" -nt "$ref" ]; do
    [ "$(ms)" -lt "$deadline" ] || { echo "the transition never reached the disk" >&2; exit 1; }
  done
  trans+=($(( ($(date +%s%N) - t0) / 1000000 )))
  grep -q '"status": "working"' "$store" || { echo "the key did not start a bead" >&2; exit 1; }
done
client=()
for i in 1 2 3 4 5 6 7; do
  t0=$(date +%s%N); tmux -L "$sock" display-message -p -t b x >/dev/null; client+=($(( ($(date +%s%N) - t0) / 1000000 )))
done
rm -rf "$ntm1k" "$ref"
trans_ms=$(printf '%s\n' "${trans[@]}" | median)
client_ms=$(printf '%s\n' "${client[@]}" | median)

cat <<REPORT
| measurement | beadboard | target | baseline |
|---|---|---|---|
| last lines of a 1 GB transcript on screen (from start, median of 5) | ${open_ms} ms | < 1000 ms | \`tail -n 50\`: ${tail_ms} ms |
| peak memory (VmHWM) after opening it / after searching all of it | ${hwm} MiB / ${hwm_search} MiB | < 100 MiB | |
| full-text search of the 1 GB transcript (median of 3) | ${search_ms} ms = ${search_rate} | ≥ 1 GB/s | \`wc -l\`: ${wc_ms} ms; \`jq\` filter: ${jq_ms} ms (${jq_rate}) |
| append → on screen (50 samples) | median ${lat_median} ms, max ${lat_max} ms | < 50 ms, < 200 ms | |
| idle CPU over 10 s | ${idle} | < 1% | |
| first screen with 2,000 runs (median of 5) | ${runs_ms} ms | < 1000 ms | |
| board key → transition durable on disk, 1,000 beads (median of 7, tmux client round trip ${client_ms} ms included) | ${trans_ms} ms | < 10 ms | |

Ratios: search takes $(awk -v a="$search_ms" -v b="$wc_ms" 'BEGIN {printf "%.1f", a/b}')× the time of \`wc -l\`; opening at the end takes $(awk -v a="$open_ms" -v b="$tail_ms" 'BEGIN {printf "%.0f", a/(b>0?b:1)}')× the time of \`tail -n 50\` (which prints no screen).
REPORT

# shellcheck source=scripts/bench-year.sh
. scripts/bench-year.sh
# shellcheck source=scripts/bench-agents.sh
. scripts/bench-agents.sh
