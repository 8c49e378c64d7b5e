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

# autocorrect lints only file types it knows (it skips .txt) and honours this repository's
# .gitignore (which ignores target/): give it the same files as .md, outside the repository,
# through hard links where the file system allows.
md=${NEWSLINT_BENCH_MD:-${TMPDIR:-/tmp}/newslint-bench-md}
python3 - "$out" "$md" <<'PY'
import os, shutil, sys
out, md = sys.argv[1], sys.argv[2]
def link(a, b):
    try:
        os.link(a, b)
    except OSError:
        shutil.copyfile(a, b)
for name in ("small", "tree"):
    src, dst = os.path.join(out, name), os.path.join(md, name)
    if os.path.isdir(dst):
        continue
    for d, _, fs in os.walk(src):
        rel = os.path.relpath(d, src)
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for f in fs:
            link(os.path.join(d, f), os.path.join(dst, rel, f[:-4] + ".md"))
big = os.path.join(md, "big.md")
if not os.path.exists(big):
    os.makedirs(md, exist_ok=True)
    link(os.path.join(out, "big.txt"), big)
PY

mb() { du -sbL "$1" | awk '{printf "%.1f", $1/1e6}'; }
# measure CMD...: best of 3 runs (the machine may be shared): wall, user+sys CPU, peak RSS (KiB)
measure() {
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$@" > /dev/null 2>&1 || true
    local line; line=$(tail -1 "$out/time.txt")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best=$line
    fi
  done
  echo "$best"
}
row() { # row CORPUS MB TOOL WALL USER SYS RSS RGWALL
  printf "| %s | %s | %s | %s | %.2f | %.0f | %s | %.0f |\n" "$1" "$2" "$3" "$4" "$(echo "$5 + $6" | bc)" \
    "$(echo "$2 / $4" | bc -l)" "$([ -n "$8" ] && printf "%.1f" "$(echo "$4 / $8" | bc -l)" || echo "–")" "$(echo "$7 / 1024" | bc -l)"
}
rg=$(command -v rg || true)
typos=${TYPOS:-$(command -v typos || ls /tmp/peers/typos/bin/typos 2>/dev/null || true)}
ac=${AUTOCORRECT:-$(command -v autocorrect || ls node_modules/.bin/autocorrect 2>/dev/null || ls /tmp/peers/node_modules/.bin/autocorrect 2>/dev/null || true)}

printf "machine: %s, %s cores, %s; %s\n\n" "$(uname -m)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(date -u +%F)"
printf "| corpus | MB | tool | wall s | CPU s | MB/s | × ripgrep | peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n"
for corpus in small tree big; do
  path="$out/$corpus"; [ "$corpus" = big ] && path="$out/big.txt"
  mdpath="$md/$corpus"; [ "$corpus" = big ] && mdpath="$md/big.md"
  size=$(mb "$path")
  find "$path" -type f -exec cat {} + > /dev/null # warm the page cache: all tools read from memory
  rgwall=""
  if [ -n "$rg" ]; then
    read -r w u s m < <(measure "$rg" -c 的 "$path")
    rgwall=$w
    row "$corpus" "$size" ripgrep "$w" "$u" "$s" "$m" "$rgwall"
  fi
  read -r w u s m < <(measure "$nl" check --no-config --format short "$path")
  row "$corpus" "$size" newslint "$w" "$u" "$s" "$m" "$rgwall"
  if [ -n "$typos" ]; then
    read -r w u s m < <(measure "$typos" "$path")
    row "$corpus" "$size" typos "$w" "$u" "$s" "$m" "$rgwall"
  fi
  if [ -n "$ac" ]; then
    read -r w u s m < <(measure "$ac" --lint "$mdpath")
    row "$corpus" "$size" "autocorrect (.md)" "$w" "$u" "$s" "$m" "$rgwall"
  fi
done
# One article: process start, config and pack loading included; mean of 50 runs.
start=$(date +%s.%N)
for _ in $(seq 50); do "$nl" check --no-config --format short "$out/one.txt" > /dev/null || true; done
end=$(date +%s.%N)
printf "\none 18 KB article: %.1f ms per run (mean of 50, process start included)\n" "$(echo "($end - $start) * 1000 / 50" | bc -l)"
