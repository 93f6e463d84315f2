#!/usr/bin/env bash
# `beadboard transcript` of a 1 GiB run (issue 20): the ignored test
# `cli_stream::a_1_gib_transcript_streams_in_bounded_memory` generates the run (in release) and
# checks that text and --json print in bounded memory and that `-n 3` reads only the file's
# end; then each form is measured with /usr/bin/time -v (wall time, peak RSS) beside `tail -n 3`,
# `less +G` and `less -n +G` (in a pseudo-terminal, quitting at the end) and `cat` on the same file, in the same
# run and page cache. Prints a Markdown table (BENCHMARKS.md records it).
#
#   scripts/bench-transcript-cli.sh [DATA_DIR]     (default: bench-data/transcript-cli, ~1 GiB)
#
# BEADBOARD_BEFORE=/path/to/an/older/beadboard adds its rows (text and --json) for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-bench-data/transcript-cli}
mkdir -p "$data"
data=$(cd "$data" && pwd)
log="$data/test.log"
BEADBOARD_BENCH_DIR="$data" cargo test --release --quiet --test cli_stream -- \
  --ignored --nocapture --exact a_1_gib_transcript_streams_in_bounded_memory >"$log" 2>&1 || {
  cat "$log" >&2
  exit 1
}
bin="$PWD/target/release/beadboard"
file=$(grep -m1 '/transcript.jsonl$' "$log")
ref=$(grep -m1 -E '^[0-9a-f]{16}/[0-9]+$' "$log")
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
run() { # label command...: one row, from /usr/bin/time -v
  local label=$1
  shift
  /usr/bin/time -v -o "$home/time" "$@" >/dev/null 2>/dev/null
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$home/time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$home/time")
  printf '| %s | %s | %s MiB |\n' "$label" "$wall" "$((rss / 1024))"
}
bb() { env -i PATH="$PATH" HOME="$home" BEADBOARD_AGENTPAIR_DIR="$data/ap" "$bin" "$@"; }
export -f bb
export bin home data
cat "$file" >/dev/null # the page cache holds the file for every row alike
echo "1 GiB transcript: $(stat -c %s "$file") bytes, $(wc -l <"$file") lines; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo '| command | wall time | peak RSS |'
echo '| --- | --- | --- |'
if [[ -n ${BEADBOARD_BEFORE:-} ]]; then
  before() { env -i PATH="$PATH" HOME="$home" BEADBOARD_AGENTPAIR_DIR="$data/ap" "$BEADBOARD_BEFORE" "$@"; }
  export -f before
  export BEADBOARD_BEFORE
  run "\`beadboard transcript RUN\` (text), before" bash -c 'before transcript "$0"' "$ref"
  run "\`beadboard transcript RUN --json\`, before" bash -c 'before transcript "$0" --json' "$ref"
fi
run "\`beadboard transcript RUN\` (text)" bash -c 'bb transcript "$0"' "$ref"
run "\`beadboard transcript RUN --json\`" bash -c 'bb transcript "$0" --json' "$ref"
run "\`beadboard transcript RUN -n 3\`" bash -c 'bb transcript "$0" -n 3' "$ref"
run "\`beadboard transcript RUN -n 3 --json\`" bash -c 'bb transcript "$0" -n 3 --json' "$ref"
run "\`tail -n 3\`" tail -n 3 "$file"
run "\`less +G\` (to the end and quit, in a terminal)" bash -c 'printf q | script -qfec "less +G $0" /dev/null' "$file"
run "\`less -n +G\` (the same without line numbers)" bash -c 'printf q | script -qfec "less -n +G $0" /dev/null' "$file"
run "\`cat\`" cat "$file"
echo
grep -E '^transcript ' "$log" | sed 's/^/    /'
