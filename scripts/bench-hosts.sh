#!/usr/bin/env bash
# A host over real OpenSSH (issue 21): one `sshd -D` on 127.0.0.1 and a free port, with
# temporary host and client keys, known_hosts and ssh_config, and its own HOME (sshd's SetEnv),
# as tests/common/sshd.rs sets one up. Its HOME holds one agentpair run (api #2) and the example
# NTM store; this machine has no data of its own, so the dashboard's only run is the host's
# and its transcript pane follows it. Interleaved in each round, through the same sshd:
#   1. a line appended to the host's transcript -> on the dashboard's screen;
#   2. the same with `ssh h1 tail -f FILE` in a tmux pane (what one does by hand);
#   3. `ssh h1 cat FILE` (a connection and a read: what a poll over ssh costs each time);
#   4. `s` `y` on the host's card -> the host's store replaced on its disk (the open channel);
#   5. the same move by `beadboard start webapp BEAD --host h1` (a connection per move).
# Medians (wall ms, and CPU ms of the client processes where they are ours), load average.
#
#   scripts/bench-hosts.sh [ROUNDS]        (default 15; BEADBOARD_BIN: default the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
bin=${BEADBOARD_BIN:-$PWD/target/release/beadboard}
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 1; }
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || { echo "sshd is not installed (Debian: apt-get install openssh-server)" >&2; exit 1; }
source scripts/bench-lib.sh

lab=$(mktemp -d)
sshd_pid=""
stop_sshd() { # sshd and its connections (each leaves sshd's process group by setsid)
  [ -n "$sshd_pid" ] || return 0
  local kids; kids=$(descendants "$sshd_pid")
  kill -KILL "$sshd_pid" $kids 2>/dev/null || true
  wait "$sshd_pid" 2>/dev/null || true
  sshd_pid=""
}
descendants() { # pid: its descendants, from /proc/*/stat
  local all; all=$(for s in /proc/[0-9]*/stat; do sed -E 's/^([0-9]+) \(.*\) . ([0-9]+) .*/\1 \2/' "$s" 2>/dev/null; done)
  local found=("$1") i=0
  while [ "$i" -lt "${#found[@]}" ]; do
    found+=($(echo "$all" | awk -v p="${found[$i]}" '$2 == p {print $1}'))
    i=$((i + 1))
  done
  echo "${found[@]:1}"
}
trap 'cleanup; stop_sshd; rm -rf "$lab" "$cpu_file"' EXIT

# The host: keys, sshd_config, HOME and data; the client: ssh_config and known_hosts.
ssh-keygen -q -t ed25519 -N "" -C bench -f "$lab/client_key"
ssh-keygen -q -t ed25519 -N "" -C bench -f "$lab/host_key"
cp "$lab/client_key.pub" "$lab/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
home="$lab/h1-home"
mkdir -p "$home/.agentpair/runs/ea93126eefee3546" "$home/.ntm"
cp -r tests/fixtures/upstream/agentpair/home-agentpair/runs/ea93126eefee3546/2 "$home/.agentpair/runs/ea93126eefee3546/"
cp -r tests/fixtures/examples/ntm/. "$home/.ntm/"
transcript="$home/.agentpair/runs/ea93126eefee3546/2/transcript.jsonl"
store="$home/.ntm/sessions/webapp/assignments.json"
cp "$store" "$lab/store.orig"
cat >"$lab/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $lab/host_key
AuthorizedKeysFile $lab/authorized_keys
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
SetEnv HOME=$home XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache
EOF
cat >"$lab/ssh_config" <<EOF
Host h1
  HostName 127.0.0.1
  Port $port
  IdentityFile $lab/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $lab/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  LogLevel ERROR
EOF
echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$lab/host_key.pub")" >"$lab/known_hosts"
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
"$sshd" -D -e -f "$lab/sshd_config" 2>"$lab/sshd.log" &
sshd_pid=$!
deadline=$(( $(ms) + 20000 ))
until grep -q "Server listening" "$lab/sshd.log"; do
  [ "$(ms)" -lt "$deadline" ] || { cat "$lab/sshd.log" >&2; exit 1; }
  sleep 0.01
done
ssh_h1() { ssh -F "$lab/ssh_config" -o BatchMode=yes h1 "$@"; }
ssh_h1 true

# The client: no runs of its own, the host in its config; its own copy of the example store
# (the Board shows a host's cards under the sessions this machine has).
client="$lab/client-home"
mkdir -p "$client/.config/beadboard" "$client/ap" "$client/ntm"
cp -r tests/fixtures/examples/ntm/. "$client/ntm/"
printf '[[hosts]]\nname = "h1"\nssh_command = ["ssh", "-F", "%s"]\nbeadboard = "%s"\n' \
  "$lab/ssh_config" "$bin" >"$client/.config/beadboard/config.toml"
bb_env=(env -i PATH="$PATH" HOME="$client")
unset XDG_CONFIG_HOME XDG_CACHE_HOME BEADBOARD_CONFIG BEADBOARD_AGENTPAIR_DIR BEADBOARD_NTM_DIR

line() { printf '{"type":"result","timestamp":"2026-11-22T16:00:00Z","run_id":2,"iteration":2,"agent":"codex","content":"%s"}\n' "$1"; }
size=$(stat -c %s "$transcript")
dash_lat=(); tail_lat=(); cat_wall=(); cat_cpu=(); key_lat=(); cli_wall=(); cli_cpu=()
tail_sock=""
for r in $(seq 1 "$rounds"); do
  # 1. The dashboard (its tmux server, and so the dashboard, gets the client's HOME), following
  #    the host's run.
  HOME="$client" start_dash 200 50 --agentpair-dir "$client/ap" --ntm-dir "$client/ntm"
  wait_for "h1    api #2" 30000
  tmux -L "$sock" send-keys -t b Enter
  wait_for "following" 30000
  marker="appended-$r-$RANDOM"
  t0=$(date +%s%N); line "$marker" >>"$transcript"; wait_for "$marker" 10000
  dash_lat+=($(( ($(date +%s%N) - t0) / 1000000 )))
  # 4. A key on the host's card until the host's store is replaced on its disk.
  tmux -L "$sock" send-keys -t b 3
  wait_for "h1:wa-9p4e"
  until screen | grep -qE "▌(⚑ )?h1:wa-9p4e"; do
    before=$(screen); tmux -L "$sock" send-keys -t b j
    deadline=$(( $(ms) + 5000 ))
    while [ "$(screen)" = "$before" ] && [ "$(ms)" -lt "$deadline" ]; do sleep 0.005; done
  done
  tmux -L "$sock" send-keys -t b s
  wait_for "Start h1:wa-9p4e on h1?"
  touch -d '1 minute ago' "$store"; touch "$lab/ref"
  t0=$(date +%s%N)
  tmux -L "$sock" send-keys -t b y
  deadline=$(( $(ms) + 20000 ))
  until [ "$store" -nt "$lab/ref" ] && grep -q '"status": "working"' "$store"; do
    [ "$(ms)" -lt "$deadline" ] || { echo "the move never reached the host's disk" >&2; screen >&2; exit 1; }
  done
  key_lat+=($(( ($(date +%s%N) - t0) / 1000000 )))
  wait_for "✓ h1: wa-9p4e"
  tmux -L "$sock" send-keys -t b q
  tmux -L "$sock" kill-server 2>/dev/null || true
  cp "$lab/store.orig" "$store"
  # 5. The same move by the headless command, one connection for it.
  out=$(run_once "${bb_env[@]}" "$bin" start webapp wa-9p4e --host h1)
  cli_wall+=(${out% *}); cli_cpu+=(${out#* })
  grep -q '"status": "working"' "$store" || { echo "beadboard start --host did not move it" >&2; exit 1; }
  cp "$lab/store.orig" "$store"
  # 2. `ssh h1 tail -f` in a pane.
  sock="beadboard-bench-$$-tail-$r"; sockets+=("$sock")
  tmux -L "$sock" -f /dev/null new-session -d -s b -x 200 -y 50 \
    "ssh -F '$lab/ssh_config' -o BatchMode=yes h1 tail -n 1 -f '$transcript'"
  wait_for "run_id" 20000
  marker="tailed-$r-$RANDOM"
  t0=$(date +%s%N); line "$marker" >>"$transcript"; wait_for "$marker" 10000
  tail_lat+=($(( ($(date +%s%N) - t0) / 1000000 )))
  tmux -L "$sock" kill-server 2>/dev/null || true
  # 3. `ssh h1 cat FILE`.
  out=$(run_once ssh -F "$lab/ssh_config" -o BatchMode=yes h1 cat "$transcript")
  cat_wall+=(${out% *}); cat_cpu+=(${out#* })
  truncate -s "$size" "$transcript"
done

med() { printf '%s\n' "$@" | median; }
echo "One host over OpenSSH on 127.0.0.1, $rounds rounds interleaved; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo '| what | median | CPU (client) |'
echo '| --- | --- | --- |'
echo "| a line appended on the host -> on the dashboard's screen (transcript pane following the host's run) | $(med "${dash_lat[@]}") ms | |"
echo "| the same line -> on screen through \`ssh h1 tail -f FILE\` in a pane | $(med "${tail_lat[@]}") ms | |"
echo "| \`ssh h1 cat FILE\` (one connection, one read) | $(med "${cat_wall[@]}") ms | $(med "${cat_cpu[@]}") ms |"
echo "| \`s\` \`y\` on the host's card -> the host's store replaced on its disk (open channel) | $(med "${key_lat[@]}") ms | |"
echo "| \`beadboard start webapp BEAD --host h1\` (its own connection), whole command | $(med "${cli_wall[@]}") ms | $(med "${cli_cpu[@]}") ms |"
echo
echo "samples (ms): dashboard ${dash_lat[*]}; tail -f ${tail_lat[*]}; cat ${cat_wall[*]}; key ${key_lat[*]}; start --host ${cli_wall[*]}"
