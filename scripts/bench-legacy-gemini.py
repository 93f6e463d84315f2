#!/usr/bin/env python3
"""Makes a legacy Gemini conversation (`session-….json`, one JSON document, laid out as Gemini
CLI before v0.39 wrote it: `JSON.stringify(conversation, null, 2)`) of about SIZE_MB megabytes
(argument 2, default 400) under DIR (argument 1): `DIR/gemini/tmp/bench/chats/`. Short turns,
and a multi-hundred-kilobyte tool output every 300 messages; the last reply holds
THE-LAST-LINE-MARKER."""
import sys, json, os, random
random.seed(11)
root = sys.argv[1]
target = int(sys.argv[2] if len(sys.argv) > 2 else 400) * 1_000_000
words = "the login test races the cookie write while the server restarts and logs".split()
def text(n): return " ".join(random.choice(words) for _ in range(n))
chats = f"{root}/gemini/tmp/bench/chats"
os.makedirs(chats, exist_ok=True)
with open(f"{root}/gemini/tmp/bench/.project_root", "w") as f: f.write("/home/dev/bench\n")
def message(i, last=False):
    ts = f"2026-07-01T{9 + (i//3600)%10:02d}:{(i//60)%60:02d}:{i%60:02d}.000Z"
    if i % 2 == 1 and not last:
        return {"id": f"m{i}", "timestamp": ts, "type": "user", "content": text(40)}
    body = text(random.randint(40_000, 100_000)) if i % 300 == 0 else text(300)
    return {"id": f"m{i}", "timestamp": ts, "type": "gemini",
            "content": "THE-LAST-LINE-MARKER " + text(8) if last else text(80),
            "toolCalls": [] if last else [{"id": f"t{i}", "name": "run_shell_command", "args": {"command": "npm test"},
                           "status": "success", "resultDisplay": body, "timestamp": ts}],
            "tokens": {"input": 1200, "output": 40, "cached": 800, "thoughts": 0, "tool": 0, "total": 1240},
            "model": "gemini-2.5-pro"}
def indented(m): return "\n".join("    " + l for l in json.dumps(m, indent=2).split("\n"))
path = f"{chats}/session-2026-07-01T09-00-bench222.json"
with open(path, "w") as f:
    f.write('{\n  "sessionId": "bench222-2222-4333-8444-555566667777",\n  "projectHash": "beef",\n'
            '  "startTime": "2026-07-01T09:00:00.000Z",\n  "lastUpdated": "2026-07-01T19:00:00.000Z",\n'
            '  "messages": [\n')
    size, i = 0, 0
    while size < target:
        i += 1
        s = ("" if i == 1 else ",\n") + indented(message(i))
        size += len(s)
        f.write(s)
    f.write(",\n" + indented(message(i + 1, last=True)) + "\n  ]\n}")
print(path)
