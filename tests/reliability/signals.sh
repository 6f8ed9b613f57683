#!/usr/bin/env bash
# Workers never outlive their parent, and signals stop a run cleanly.
#   signals.sh SCSIM LONG_CONFIG OUT_DIR
# 1. SIGKILL on the parent: its workers die too (PR_SET_PDEATHSIG), instead of
#    running on under PID 1.
# 2. SIGHUP (terminal closed) stops a run like SIGTERM: exit 130, no worker left.
# 3. A worker killed from outside fails the run (exit 1), naming the signal.
set -uo pipefail
scsim="$1"; config="$2"; out="$3"
rm -rf "$out"; mkdir -p "$out"
status=0
fail() { echo "FAIL: $*"; status=1; }

# Workers of process $1, waiting up to 10 s for at least one to appear.
workers_of() {
  local parent="$1" kids=""
  for _ in $(seq 100); do
    kids=$(pgrep -P "$parent" || true)
    [ -n "$kids" ] && break
    sleep 0.1
  done
  echo $kids  # one line
}
# True when no process in the list is alive (zombies count as dead).
all_dead() {
  local pid state
  for pid in "$@"; do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [ -n "$state" ] && [ "$state" != "Z" ] && return 1
  done
  return 0
}
wait_dead() {
  for _ in $(seq 50); do all_dead "$@" && return 0; sleep 0.1; done
  return 1
}

# A long run: 40 replications of a 1,000,000-day tandem line, 2 at a time.
long_run() { "$scsim" run "$config" --set horizon_days=1000000 -r 40 -j 2 -o "$out/$1" >/dev/null 2>"$out/$1.err" & }

long_run kill
parent=$!
kids=$(workers_of "$parent")
[ -z "$kids" ] && fail "no workers started"
# Stopped workers cannot finish on their own: only dying with the parent ends them.
# shellcheck disable=SC2086
kill -STOP $kids
kill -KILL "$parent"; wait "$parent" 2>/dev/null
# shellcheck disable=SC2086
if ! wait_dead $kids; then
  fail "workers $kids outlived their SIGKILLed parent"
  kill -KILL $kids 2>/dev/null
fi

long_run hup
parent=$!
kids=$(workers_of "$parent")
kill -HUP "$parent"; wait "$parent"; code=$?
[ "$code" -eq 130 ] || fail "SIGHUP: exit $code, expected 130"
grep -q "interrupted" "$out/hup.err" || fail "SIGHUP: no 'interrupted' message: $(cat "$out/hup.err")"
# shellcheck disable=SC2086
wait_dead $kids || fail "workers $kids outlived a SIGHUPed run"

long_run worker
parent=$!
kids=$(workers_of "$parent")
kill -KILL $(head -1 <<<"$kids")
wait "$parent"; code=$?
[ "$code" -eq 1 ] || fail "killed worker: exit $code, expected 1"
grep -Eq "^scsim: error: replication [0-9]+ failed: its worker killed by signal 9$" "$out/worker.err" ||
  fail "killed worker: message was: $(cat "$out/worker.err")"
exit "$status"
