#!/bin/sh
# Searching a 200 MB `.jsonl.zst` rollout and a 200 MB legacy Gemini document (issue 18):
# `beadboard search` (BIN) and, given BEFORE=<binary>, an older build, beside `zstdcat | grep`
# and `grep` on the same files, rounds interleaved, peak RSS and times from /usr/bin/time.
# Usage: BIN=target/release/beadboard [BEFORE=…] scripts/bench-streamed-search.sh DIR [ROUNDS]
set -eu
DIR=$1
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
Z=$DIR/codex/sessions/2026/08/20/rollout-2026-08-20T16-00-01-0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f.jsonl.zst
J=$DIR/gemini/tmp/bench/chats/session-2026-07-01T09-00-bench111.json
if [ ! -f "$Z" ]; then
  python3 "$HERE/bench-streamed-search.py" "$DIR"
  zstd -q -3 --rm "${Z%.zst}"
fi
mkdir -p "$DIR/empty/ap" "$DIR/empty/ntm" "$DIR/home" "$DIR/cache"
export HOME=$DIR/home BEADBOARD_CACHE_DIR=$DIR/cache
BASE="--agentpair-dir $DIR/empty/ap --ntm-dir $DIR/empty/ntm --claude=off --opencode=off"
COD="$BASE --gemini=off --codex-dir $DIR/codex"
GEM="$BASE --codex=off --gemini-dir $DIR/gemini"
T='%e s, CPU %U+%S s, %M KB'
round=1
while [ "$round" -le "$ROUNDS" ]; do
  echo "round $round, load $(cut -d' ' -f1 /proc/loadavg)"
  for b in "$BIN" ${BEFORE:-}; do
    /usr/bin/time -f "zst $b: $T" "$b" search needle-zebra-42 $COD | wc -l
  done
  /usr/bin/time -f "zst zstdcat|grep: $T" sh -c "zstdcat '$Z' | grep -c needle-zebra-42"
  for b in "$BIN" ${BEFORE:-}; do
    /usr/bin/time -f "json $b: $T" "$b" search needle-zebra-42 $GEM | wc -l
  done
  /usr/bin/time -f "json grep: $T" grep -c needle-zebra-42 "$J"
  round=$((round + 1))
done
