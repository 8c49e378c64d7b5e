#!/usr/bin/env bash
# Benchmark newslint against ripgrep, typos and autocorrect (each when installed) on corpora built
# deterministically from ../shared/corpus. Not a test: timings depend on the machine.
#
# usage: bench/run.sh [SHARED_DIR]     (default ../shared; builds target/release/newslint)
#
# Corpora (in target/bench/, built once):
#   small  2,000 files, each 8 xwlb stories joined (~24 MB)
#   tree   20,000 files, each 8 xwlb stories joined (~250 MB)
#   big    one file of ~100 MB (xwlb stories joined)
#   one    seed page 001 (18 KB): a single article, process start and pack loading included
set -euo pipefail
shared=$(realpath "${1:-../shared}")
cd "$(dirname "$0")/.."
cargo build --release --quiet
nl=$(realpath target/release/newslint)
out=target/bench
mkdir -p "$out"

python3 - "$shared" "$out" <<'PY'
import os, sys
shared, out = sys.argv[1], sys.argv[2]
root = os.path.join(shared, "corpus", "xwlb")
stories = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".txt"))
texts = [open(p, encoding="utf-8").read() for p in stories]
def tree(name, n):
    d = os.path.join(out, name)
    if os.path.isdir(d) and len(os.listdir(d)) >= n // 100:
        return
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        sub = os.path.join(d, f"{i // 100:03}")
        os.makedirs(sub, exist_ok=True)
        body = "\n\n".join(texts[(8 * i + k) % len(texts)] for k in range(8))
        with open(os.path.join(sub, f"{i:05}.txt"), "w", encoding="utf-8") as f:
            f.write(body)
tree("small", 2000)
tree("tree", 20000)
big = os.path.join(out, "big.txt")
if not os.path.exists(big):
    with open(big, "w", encoding="utf-8") as f:
        size, i = 0, 0
        while size < 100 * 1024 * 1024:
            t = texts[i % len(texts)] + "\n\n"
            f.write(t); size += len(t.encode()); i += 1
PY
cp "$shared/corpus/seeds/001_09808162e94c1a38.txt" "$out/one.txt"

mb() { du -sb "$1" | awk '{printf "%.1f", $1/1e6}'; }
# time_cmd LABEL CORPUS CMD...: prints wall, user+sys CPU, peak RSS (KiB)
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" > /dev/null 2>&1 || true
  tail -1 "$out/time.txt"
}
rg=$(command -v rg || true)
typos=$(command -v typos || true)
ac=$(command -v autocorrect || ls node_modules/.bin/autocorrect 2>/dev/null || ls /tmp/peers/node_modules/.bin/autocorrect 2>/dev/null || true)

printf "machine: %s, %s cores, %s\n\n" "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf "| corpus | MB | tool | wall s | CPU s | MB/s | × ripgrep | peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n"
for corpus in small tree big; do
  path="$out/$corpus"; [ "$corpus" = big ] && path="$out/big.txt"
  size=$(mb "$path")
  rgwall=""
  if [ -n "$rg" ]; then
    read -r w u s m < <(measure "$rg" -c 的 "$path")
    rgwall=$w
    printf "| %s | %s | ripgrep | %s | %.2f | %.0f | 1.0 | %.0f |\n" "$corpus" "$size" "$w" "$(echo "$u + $s" | bc)" "$(echo "$size / $w" | bc -l)" "$(echo "$m / 1024" | bc -l)"
  fi
  read -r w u s m < <(measure "$nl" check --no-config --format short "$path")
  ratio=$([ -n "$rgwall" ] && echo "$w / $rgwall" | bc -l || echo 0)
  printf "| %s | %s | newslint | %s | %.2f | %.0f | %.1f | %.0f |\n" "$corpus" "$size" "$w" "$(echo "$u + $s" | bc)" "$(echo "$size / $w" | bc -l)" "$ratio" "$(echo "$m / 1024" | bc -l)"
  if [ -n "$typos" ]; then
    read -r w u s m < <(measure "$typos" "$path")
    printf "| %s | %s | typos | %s | %.2f | %.0f | %.1f | %.0f |\n" "$corpus" "$size" "$w" "$(echo "$u + $s" | bc)" "$(echo "$size / $w" | bc -l)" "$(echo "$w / ${rgwall:-1}" | bc -l)" "$(echo "$m / 1024" | bc -l)"
  fi
  if [ -n "$ac" ] && [ "$corpus" != tree ]; then
    read -r w u s m < <(measure "$ac" --lint "$path")
    printf "| %s | %s | autocorrect | %s | %.2f | %.1f | %.1f | %.0f |\n" "$corpus" "$size" "$w" "$(echo "$u + $s" | bc)" "$(echo "$size / $w" | bc -l)" "$(echo "$w / ${rgwall:-1}" | bc -l)" "$(echo "$m / 1024" | bc -l)"
  fi
done
# One article, 20 runs: process start, config and pack loading included.
start=$(date +%s.%N)
for _ in $(seq 20); do "$nl" check --no-config --format short "$out/one.txt" > /dev/null || true; done
end=$(date +%s.%N)
printf "\none 18 KB article: %.1f ms per run (mean of 20, process start included)\n" "$(echo "($end - $start) * 1000 / 20" | bc -l)"
