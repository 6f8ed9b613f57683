#!/usr/bin/env bash
# --mpi (issue 11): `mpirun -np 2 scsim VERB ... --mpi` writes every output
# file (all but run_info.json) byte-identical to one process running the same
# command; a replication that fails on a rank fails the whole job with a
# message naming the replication and the rank, exit 1, and nothing written.
#   mpi.sh SCSIM VERB ARGS...
# OpenMPI as root needs --allow-run-as-root; --oversubscribe lets 2 ranks run
# on a 1-core machine.
set -uo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SCSIM VERB ARGS..." >&2
  exit 2
fi
scsim="$1"; shift
mpirun=(mpirun --allow-run-as-root --oversubscribe -np 2)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$scsim" "$@" -r 5 -q -o "$work/one" >"$work/one.log" 2>&1 || { echo "one process failed:"; cat "$work/one.log"; exit 1; }
"${mpirun[@]}" "$scsim" "$@" -r 5 -q --mpi -o "$work/ranks" >"$work/ranks.log" 2>&1 || {
  echo "mpirun failed:"; cat "$work/ranks.log"; exit 1; }
# Only rank 0 prints: the printed summary is the single process's, but for the timing line.
# Printed output, less the wall-clock times and AddressSanitizer's notice about SimGrid's stack switching
# (asan preset), which names process ids.
printed() {
  grep -v -e '^wrote' -e 's)$' -e 'ASan is ignoring requested __asan_handle_no_return' \
    -e '^False positive error reports may follow' -e '^For details see https://github.com/google/sanitizers/issues/189' "$1"
}
if ! diff <(printed "$work/one.log") <(printed "$work/ranks.log"); then
  echo "mpirun printed something else than one process (>)"; exit 1
fi

status=0
files=$(cd "$work/one" && find . -type f ! -name run_info.json | sort)
[ -n "$files" ] || { echo "one process wrote no files"; exit 1; }
[ "$files" = "$(cd "$work/ranks" && find . -type f ! -name run_info.json | sort)" ] || { echo "different sets of files"; status=1; }
for f in $files; do
  cmp "$work/one/$f" "$work/ranks/$f" || { echo "$f differs between one process and 2 MPI ranks"; status=1; }
done

# Replication 3 runs on rank 1 (i mod 2): its worker is killed.
SCSIM_TEST_KILL_REPLICATION=3 "${mpirun[@]}" -x SCSIM_TEST_KILL_REPLICATION "$scsim" "$@" -r 5 -q --mpi \
  -o "$work/failed" >"$work/failed.log" 2>&1
code=$?
want="scsim: error: replication 3 failed: its worker killed by signal 9 (on MPI rank 1 of 2, host $(hostname))"
if [ "$code" -ne 1 ] || ! grep -qxF "$want" "$work/failed.log"; then
  echo "a failing rank: exit $code (want 1), output:"; cat "$work/failed.log"; echo "want the line: $want"; status=1
fi
if [ -e "$work/failed" ] || ls "$work" | grep -q -e 'failed\.tmp-' -e 'failed\.old-'; then echo "a failed MPI run wrote $(ls "$work")"; status=1; fi

[ "$status" -eq 0 ] && echo "identical on 2 ranks:" $files "; a failing rank reported"
exit "$status"
