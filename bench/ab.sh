#!/usr/bin/env bash
# A/B two newslint builds on this noisy shared machine: alternate their runs N times and print
# the minimum and median CPU (user + sys) and wall time of each. Alternating matters: the
# machine's speed drifts by 10-25 % within an hour, so two builds timed one after the other can
# differ by more than a change does. Not a test.
#
# usage: bench/ab.sh N "ARGS" OLD_BINARY NEW_BINARY
#   e.g. bench/ab.sh 5 "check target/bench/tree" /tmp/newslint-before target/release/newslint
# (build the corpora with bench/run.sh first; copy the old build before rebuilding)
set -euo pipefail
n=$1 args=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$n"); do
  k=0
  for b in "$@"; do
    # shellcheck disable=SC2086 # ARGS is split into words on purpose
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$b" $args > /dev/null 2>&1 || true
    # time prints "Command exited with non-zero status N" first when the run finds problems
    awk '/^[0-9]/ { printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/t" >> "$tmp/$k"
    k=$((k + 1))
  done
done
stats() { sort -n | awk '{ a[NR] = $1 } END { printf "min %.2f med %.2f", a[1], a[int((NR + 1) / 2)] }'; }
k=0
for b in "$@"; do
  printf "%s: cpu %s | wall %s\n" "$b" "$(cut -d' ' -f2 "$tmp/$k" | stats)" "$(cut -d' ' -f1 "$tmp/$k" | stats)"
  k=$((k + 1))
done
