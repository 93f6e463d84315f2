#!/usr/bin/env python3
"""Makes the files of scripts/bench-streamed-search.sh in DIR (argument 1): a Codex rollout of
about 200 MB, compressed afterwards by the script, and a legacy Gemini document of about 200 MB,
with `needle-zebra-42` on a few lines (most at the end of multi-megabyte outputs)."""
import sys
import json, os, random
random.seed(7)
root = sys.argv[1]
# Codex rollout, ~200 MB decompressed: short turns and some multi-megabyte tool outputs.
day = f"{root}/codex/sessions/2026/08/20"
os.makedirs(day, exist_ok=True)
plain = f"{day}/rollout-2026-08-20T16-00-01-0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f.jsonl"
words = "the login test races the cookie write while the server restarts and logs".split()
def text(n): return " ".join(random.choice(words) for _ in range(n))
with open(plain, "w") as f:
    f.write(json.dumps({"timestamp":"2026-08-20T14:00:01.000Z","type":"session_meta","payload":{"id":"0198c7a2-5b1e-7c3d-9f10-2a4b6c8d0e1f","cwd":"/home/dev/webapp","source":"cli","base_instructions":{"text":text(30000)}}})+"\n")
    size, i = 0, 0
    while size < 200_000_000:
        i += 1
        ts = f"2026-08-20T14:{(i//60)%60:02d}:{i%60:02d}.000Z"
        if i % 400 == 0:
            out = text(random.randint(200_000, 600_000))
            if i % 2000 == 0: out += " needle-zebra-42"
            line = {"timestamp":ts,"type":"response_item","payload":{"type":"function_call_output","call_id":f"c{i}","output":out}}
        elif i % 3 == 0:
            line = {"timestamp":ts,"type":"event_msg","payload":{"type":"agent_message","message":text(60) + (" needle-zebra-42" if i % 5001 == 0 else "")}}
        elif i % 3 == 1:
            line = {"timestamp":ts,"type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":json.dumps({"cmd":"npm test -- " + text(5)}),"call_id":f"c{i}"}}
        else:
            line = {"timestamp":ts,"type":"response_item","payload":{"type":"function_call_output","call_id":f"c{i}","output":text(400)}}
        s = json.dumps(line) + "\n"
        size += len(s)
        f.write(s)
# Gemini legacy document, ~200 MB, one pretty-printed JSON object.
chats = f"{root}/gemini/tmp/bench/chats"
os.makedirs(chats, exist_ok=True)
with open(f"{root}/gemini/tmp/bench/.project_root", "w") as f: f.write("/home/dev/bench\n")
with open(f"{chats}/session-2026-07-01T09-00-bench111.json", "w") as f:
    f.write('{\n  "sessionId": "bench111-2222-4333-8444-555566667777",\n  "projectHash": "beef",\n  "startTime": "2026-07-01T09:00:00.000Z",\n  "lastUpdated": "2026-07-01T19:00:00.000Z",\n  "messages": [\n')
    size, i = 0, 0
    first = True
    while size < 200_000_000:
        i += 1
        ts = f"2026-07-01T{9 + (i//3600)%10:02d}:{(i//60)%60:02d}:{i%60:02d}.000Z"
        if i % 2 == 1:
            m = {"id": f"m{i}", "timestamp": ts, "type": "user", "content": [{"text": text(40) + (" needle-zebra-42" if i % 4001 == 0 else "")}]}
        else:
            body = text(random.randint(200_000, 500_000)) if i % 300 == 0 else text(300)
            m = {"id": f"m{i}", "timestamp": ts, "type": "gemini", "content": text(80),
                 "toolCalls": [{"id": f"t{i}", "name": "run_shell_command", "args": {"command": "npm test"}, "status": "success", "resultDisplay": body, "timestamp": ts}],
                 "tokens": {"input": 1200, "output": 40, "cached": 800, "thoughts": 0, "tool": 0, "total": 1240}, "model": "gemini-2.5-pro"}
        s = ("" if first else ",\n") + json.dumps(m, indent=2)
        first = False
        size += len(s)
        f.write(s)
    f.write("\n  ]\n}\n")
