#!/bin/sh
# A host's search cancelled (`cancel` on the channel) beside the same search left to finish and
# `grep -rF` over the same transcripts, rounds interleaved (see bench-host-cancel.py).
# Usage: BIN=target/release/beadboard scripts/bench-host-cancel.sh DATA [PATTERN] [CANCEL_MS] [ROUNDS]
#   DATA: the year of history (its agentpair/ and ntm/), e.g. /work/bench-data/year.
#   AGENTS=<dir>: a month of agent sessions searched too (and grepped), e.g. /work/bench-data/agents.
set -eu
DATA=$1
PATTERN=${2:-needle-zebra-42}
CANCEL_MS=${3:-200}
ROUNDS=${4:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
: "${BEADBOARD_CACHE_DIR:=$(mktemp -d)}"
export BEADBOARD_CACHE_DIR
round=1
while [ "$round" -le "$ROUNDS" ]; do
  python3 "$HERE/bench-host-cancel.py" "$BIN" "$DATA" "$PATTERN" "$CANCEL_MS" 1
  /usr/bin/time -f "grep -rF: %e s, CPU %U+%S s" sh -c "grep -rF '$PATTERN' '$DATA/agentpair' ${AGENTS:-} | wc -l"
  round=$((round + 1))
done
