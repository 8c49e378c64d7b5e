#!/usr/bin/env bash
# How long `--fix` takes against linting alone, on one large file made of real pages with their
# defects (the three seed pages of ../shared/corpus/seeds, repeated to ~30 MB). Issue 16's goal:
# fixing takes no more than twice the lint. Not a test: timings depend on the machine.
#
# usage: bench/fix.sh [SHARED_DIR] [N]     (default ../shared, N = 5 alternating runs)
# Prints min and median CPU (user + sys) and wall time of `check` and of `check --fix` (each
# --fix run on a fresh copy), their ratio, and the fix phase's share from one `--timings` run.
# With CALLGRIND=1 it also counts instructions of both on a ~3 MB file (repeatable whatever
# else the machine is doing; valgrind must be installed).
set -euo pipefail
shared=$(realpath "${1:-../shared}")
n=${2:-5}
cd "$(dirname "$0")/.."
cargo build --release --quiet
nl=$(realpath target/release/newslint)
out=target/bench
mkdir -p "$out"
python3 - "$shared" "$out" <<'PY'
import os, sys
shared, out = sys.argv[1], sys.argv[2]
seeds = sorted(os.path.join(shared, "corpus", "seeds", f)
               for f in os.listdir(os.path.join(shared, "corpus", "seeds")) if f.endswith(".txt"))
texts = [open(p, encoding="utf-8").read() for p in seeds]
for name, limit in (("fix30.txt", 30_000_000), ("fix3.txt", 3_000_000)):
    path = os.path.join(out, name)
    if os.path.exists(path):
        continue
    with open(path, "w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < limit:
            t = texts[i % len(texts)] + "\n\n"
            f.write(t); size += len(t.encode()); i += 1
PY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() { # label, then the command; appends "wall cpu" to $tmp/label
  local label=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" > /dev/null 2>&1 || true
  awk '/^[0-9]/ { printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/t" >> "$tmp/$label"
}
for _ in $(seq "$n"); do
  run lint "$nl" check --no-config --format short "$out/fix30.txt"
  cp "$out/fix30.txt" "$tmp/copy.txt"
  run fix "$nl" check --no-config --format short --fix "$tmp/copy.txt"
done
stats() { sort -n | awk '{ a[NR] = $1 } END { printf "min %.2f med %.2f", a[1], a[int((NR + 1) / 2)] }'; }
min() { sort -n | head -1; }
echo "file: $out/fix30.txt ($(du -b "$out/fix30.txt" | cut -f1) bytes), $n alternating runs"
for l in lint fix; do
  printf "%-5s cpu %s | wall %s\n" "$l" "$(cut -d' ' -f2 "$tmp/$l" | stats)" "$(cut -d' ' -f1 "$tmp/$l" | stats)"
done
awk -v a="$(cut -d' ' -f2 "$tmp/lint" | min)" -v b="$(cut -d' ' -f2 "$tmp/fix" | min)" \
  'BEGIN { printf "fix / lint, minimum CPU: %.2f\n", b / a }'
cp "$out/fix30.txt" "$tmp/copy.txt"
echo "one --fix --timings run:"
"$nl" check --no-config --format short --fix --timings "$tmp/copy.txt" 2>&1 >/dev/null | sed -n '2,9p'
if [ "${CALLGRIND:-0}" = 1 ]; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
    | awk '/Collected/ { print $4 }'; }
  a=$(count "$nl" check --no-config --format short "$out/fix3.txt")
  cp "$out/fix3.txt" "$tmp/copy3.txt"
  b=$(count "$nl" check --no-config --format short --fix "$tmp/copy3.txt")
  echo "instructions on $out/fix3.txt: lint $a, fix $b, ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')"
fi
