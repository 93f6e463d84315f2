#!/usr/bin/env python3
"""A host's search cancelled on its channel: `beadboard serve --stdio` (BIN, argument 1) over
the year of history (DATA, argument 2: its agentpair/ and ntm/), driven by hand as a client
would. Each round, on one channel, once the snapshot is in: a full search of PATTERN (argument
3) to its end, then the same search cancelled CANCEL_MS (argument 4) after it was asked. Says,
for each, the wall time from the ask (and from the cancel) to the search's end, and the host's
CPU (user+sys of the serve process, from /proc, 10 ms ticks) from the ask to the end, with the
transcripts searched. Rounds: argument 5 (3). AGENTS=<dir> searches that month of agent
sessions too (its claude/, codex/, gemini/ and opencode/opencode.db); without it they are off."""
import json
import os
import subprocess
import sys
import time

BIN, DATA, PATTERN = sys.argv[1], sys.argv[2], sys.argv[3]
CANCEL_MS = int(sys.argv[4])
ROUNDS = int(sys.argv[5]) if len(sys.argv) > 5 else 3
TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    """The process's user+sys CPU so far, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def frames(out):
    for line in out:
        yield json.loads(line)


def search(p, it, sid, cancel_ms):
    """Asks search `sid`, cancelling it after `cancel_ms` (None: never); its figures."""
    c0, t0 = cpu(p.pid), time.monotonic()
    p.stdin.write(json.dumps({"request": "search", "id": sid, "pattern": PATTERN}) + "\n")
    p.stdin.flush()
    cancel_at = None
    if cancel_ms is not None:
        # The frames are read after the cancel: until then the host writes into the pipe
        # (64 KiB), enough for a rare pattern's matches.
        time.sleep(cancel_ms / 1000)
        cancel_at = time.monotonic()
        p.stdin.write(json.dumps({"request": "cancel", "id": sid}) + "\n")
        p.stdin.flush()
    for f in it:
        if f.get("frame") == "search_end" and f.get("id") == sid:
            t1 = time.monotonic()
            c1 = cpu(p.pid)
            d = f["done"]
            return {
                "wall_ms": (t1 - t0) * 1000,
                "after_cancel_ms": None if cancel_at is None else (t1 - cancel_at) * 1000,
                "cpu_s": c1 - c0,
                "files": d["files"],
                "total": d.get("total", 0),
                "hits": d["hits"],
                "cancelled": d.get("cancelled", False),
            }
    raise SystemExit("the channel ended")


def main():
    env = dict(os.environ)
    agents = os.environ.get("AGENTS")
    sessions = ["--claude=off", "--codex=off", "--gemini=off", "--opencode=off"]
    if agents:
        sessions = ["--claude-dir", f"{agents}/claude", "--codex-dir", f"{agents}/codex",
                    "--gemini-dir", f"{agents}/gemini", "--opencode-db",
                    f"{agents}/opencode/opencode.db"]
    args = [BIN, "--agentpair-dir", f"{DATA}/agentpair", "--ntm-dir", f"{DATA}/ntm",
            *sessions, "serve", "--stdio", "--heartbeat-ms", "3600000"]
    p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, env=env)
    it = frames(p.stdout)
    for f in it:
        if f.get("frame") == "snapshot":
            break
    sid = 1
    for r in range(ROUNDS):
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        full = search(p, it, sid, None)
        cut = search(p, it, sid + 1, CANCEL_MS)
        sid += 2
        print(json.dumps({"round": r + 1, "load": load, "full": full, "cancelled": cut}))
        sys.stdout.flush()
    p.stdin.close()
    p.wait()


main()
