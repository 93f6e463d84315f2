# A year of history (sourced by scripts/bench.sh, which defines bin, data, ms, median, screen,
# wait_for, start_dash, pid_of_dash, hwm_mib): 20,000 runs over 40 repos (20 active) and 300
# NTM sessions of 20 beads. Headless commands and the dashboard's first screen beside `find`,
# `grep -r` and `wc -l` over the same tree; then opening a 1 GiB transcript in beadboard, `less
# +G` and `lnav` in the same tmux harness, interleaved round by round.

year="$data/year"
if [ ! -f "$year/ntm/sessions/proj-299/assignments.json" ]; then
  echo "generating $year (20,000 runs, 300 sessions)..." >&2
  target/release/examples/bench_data "$data" --year >&2
fi
ap="$year/agentpair"; ntm="$year/ntm"
cache="$data/cache"   # the summary cache, kept apart from ~/.cache
export BEADBOARD_CACHE_DIR="$(realpath -m "$cache")"
corpus=$(find "$ap/runs" -name transcript.jsonl -printf '%s\n' | awk '{s+=$1} END {print s}')
find "$ap" "$ntm" -type f -exec cat {} + > /dev/null   # warm the page cache, as for the 1 GB file

bb=("$bin" --agentpair-dir "$ap" --ntm-dir "$ntm")

rm -rf "$cache"
status_cold=$(run_once "${bb[@]}" status | awk '{print $1}')
rm -rf "$cache"
runs_cold=$(run_once "${bb[@]}" runs --json | awk '{print $1}')
status_ms=$(five "${bb[@]}" status)
runs_ms=$(five "${bb[@]}" runs --json)
search_ms=$(five "${bb[@]}" search needle-zebra-42 --json)
search_wall=${search_ms%% ms*}
search_rate=$(awk -v s="$corpus" -v t="$search_wall" 'BEGIN {printf "%.2f GB/s", s/1e9/(t/1000)}')
hits=$("${bb[@]}" search needle-zebra-42 --json | wc -l)
sessions_ms=$(five "${bb[@]}" sessions --json)
find_ms=$(five find "$ap/runs" -name manifest.json -printf '%T@ %p\n')
grep_ms=$(five sh -c "grep -rlF needle-zebra-42 $ap/runs || true")
grep_wall=${grep_ms%% ms*}
grep_rate=$(awk -v s="$corpus" -v t="$grep_wall" 'BEGIN {printf "%.2f GB/s", s/1e9/(t/1000)}')
wc_ms=$(five sh -c "cat $ntm/sessions/*/assignments.json | wc -l")

# The dashboard's first screen with 20,000 runs (the Runs pane lists runs), and its peak memory
# then and after 3 s.
dash=()
for i in 1 2 3 4 5; do
  t0=$(ms)
  start_dash 200 50 --agentpair-dir "$ap" --ntm-dir "$ntm"
  until screen | grep -qE ' Runs [1-9]'; do
    [ $(( $(ms) - t0 )) -lt 60000 ] || { echo "the dashboard never listed runs" >&2; screen >&2; exit 1; }
    sleep 0.002
  done
  dash+=($(( $(ms) - t0 )))
  pid=$(pid_of_dash); dash_hwm=$(hwm_mib "$pid")
done
dash_ms=$(printf '%s\n' "${dash[@]}" | median)
sleep 3
dash_hwm_later=$(hwm_mib "$(pid_of_dash)")
tmux -L "$sock" send-keys -t b q

# Opening a 1 GiB transcript: beadboard (on its run alone, no stores), `less +G`, `lnav`; the
# time until the last line is on screen, interleaved so all three see the same machine.
command -v lnav >/dev/null || apt-get install -y lnav >/dev/null 2>&1 || true
empty_ntm=$(mktemp -d)
o_bb=(); o_less=(); o_lnav=(); o_tail=()
for i in 1 2 3 4 5 6 7; do
  o_bb+=($(open_one "$bin --agentpair-dir $data/big-agentpair --ntm-dir $empty_ntm"))
  o_less+=($(open_one "less +G $big"))
  o_tail+=($(open_one "sh -c 'tail -c 300 $big; sleep 60'"))
  if command -v lnav >/dev/null; then o_lnav+=($(open_one "lnav $big")); fi
done
tmux -L "$sock" kill-server 2>/dev/null || true
rm -rf "$empty_ntm"
ob=$(printf '%s\n' "${o_bb[@]}" | median)
ol=$(printf '%s\n' "${o_less[@]}" | median)
ot=$(printf '%s\n' "${o_tail[@]}" | median)
on=$( [ ${#o_lnav[@]} -gt 0 ] && printf '%s\n' "${o_lnav[@]}" | median || echo "n/a")

cat <<REPORT

## A year of history: 20,000 runs over 40 repos (20 active), 300 sessions of 20 beads

Transcripts: $(awk -v s="$corpus" 'BEGIN {printf "%.0f MB", s/1e6}') in 20,000 files. Medians of 5 (wall clock, and CPU time summed over threads); the summary cache warm unless marked cold. Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg).

| measurement | beadboard | goal | baseline (same tree, same run) |
|---|---|---|---|
| \`beadboard status\` | ${status_ms}; cold cache ${status_cold} ms | < 300 ms | \`find runs -name manifest.json -printf\`: ${find_ms} |
| \`beadboard runs --json\` (active and 5 recent) | ${runs_ms}; cold cache ${runs_cold} ms | < 200 ms | same \`find\`: ${find_ms} |
| \`beadboard search needle-zebra-42 --json\` (${hits} matches) | ${search_ms} = ${search_rate} | < 1 s, ≥ 1 GB/s | \`grep -rlF\`: ${grep_ms} = ${grep_rate} |
| \`beadboard sessions --json\` (300 sessions with counts) | ${sessions_ms} | fast | \`cat sessions/*/assignments.json \| wc -l\`: ${wc_ms} |
| dashboard: first screen with runs listed (median of 5) | ${dash_ms} ms | < 300 ms | |
| dashboard: peak memory (VmHWM) at the first screen / 3 s later | ${dash_hwm} MiB / ${dash_hwm_later} MiB | < 48 MiB | |

## Opening a 1 GiB transcript (same tmux harness, 7 interleaved rounds, medians)

| program | last line on screen |
|---|---|
| beadboard (the run alone, no stores) | ${ob} ms |
| \`less +G\` | ${ol} ms |
| \`lnav\` | ${on} ms |
| \`tail -c 300\` (the harness's own cost: tmux starts, prints, is captured) | ${ot} ms |

Ratio beadboard / less: $(awk -v a="$ob" -v b="$ol" 'BEGIN {printf "%.2f", a/b}').
REPORT
