#!/usr/bin/env bash
# Benchmark newslint against ripgrep, typos and autocorrect (each when installed) on corpora built
# deterministically from ../shared/corpus. Not a test: timings depend on the machine.
#
# usage: bench/run.sh [SHARED_DIR]     (default ../shared)
#   NEWSLINT=path   measure this binary instead of building target/release/newslint
#   BEFORE=path     also measure this newslint (an older build), in the same rounds
#   RUNS=N          alternating rounds per corpus (default 5); medians are printed
#   TYPOS=, AUTOCORRECT=  peers' binaries when not on PATH or in /tmp/peers
#
# Each round runs every tool once on the corpus, one after the other, so that all of them see
# the same state of a shared machine (whose speed drifts by 10-25 % within an hour); the table
# has each tool's median wall and CPU time and its largest peak RSS over the rounds.
#
# Corpora (in target/bench/, built once):
#   small  2,000 files, each 8 xwlb stories joined (~24 MB)
#   tree   20,000 files, each 8 xwlb stories joined (~250 MB)
#   big    one file of ~100 MB (xwlb stories joined)
#   one    seed page 001 (18 KB): a single article, process start and pack loading included
set -euo pipefail
shared=$(realpath "${1:-../shared}")
cd "$(dirname "$0")/.."
if [ -n "${NEWSLINT:-}" ]; then
  nl=$(realpath "$NEWSLINT")
else
  cargo build --release --quiet
  nl=$(realpath target/release/newslint)
fi
runs=${RUNS:-5}
before=${BEFORE:+$(realpath "$BEFORE")}
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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# once LABEL CMD...: one run, appending "wall cpu rss_kib" to $tmp/LABEL
once() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$tmp/time.txt" "$@" > /dev/null 2>&1 || true
  # time prints "Command exited with non-zero status N" first when the run finds problems
  awk '/^[0-9]/ { printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$tmp/time.txt" >> "$tmp/$label"
}
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
row() { # row CORPUS MB TOOL LABEL RGWALL: medians of wall and CPU, largest RSS
  local f=$tmp/$4 w c m
  w=$(cut -d' ' -f1 "$f" | med); c=$(cut -d' ' -f2 "$f" | med); m=$(cut -d' ' -f3 "$f" | sort -n | tail -1)
  printf "| %s | %s | %s | %s | %.2f | %.0f | %s | %.0f |\n" "$1" "$2" "$3" "$w" "$c" \
    "$(echo "$2 / $w" | bc -l)" "$([ -n "$5" ] && printf "%.1f" "$(echo "$w / $5" | bc -l)" || echo "–")" "$(echo "$m / 1024" | bc -l)"
}
rg=$(command -v rg || true)
typos=${TYPOS:-$(command -v typos || ls /tmp/peers/typos/bin/typos 2>/dev/null || true)}
ac=${AUTOCORRECT:-$(command -v autocorrect || ls node_modules/.bin/autocorrect 2>/dev/null || ls /tmp/peers/node_modules/.bin/autocorrect 2>/dev/null || true)}
# A peer named but not there (TYPOS=none, AUTOCORRECT=none) is left out.
[ -x "$typos" ] || typos=""
[ -x "$ac" ] || ac=""

printf "machine: %s, %s cores, %s; %s; newslint %s; %s alternating rounds, medians\n\n" "$(uname -m)" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(date -u '+%F %H:%M UTC')" "$nl" "$runs"
printf "| corpus | MB | tool | wall s | CPU s | MB/s | × ripgrep | peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n"
for corpus in small tree big; do
  path="$out/$corpus"; [ "$corpus" = big ] && path="$out/big.txt"
  mdpath="$md/$corpus"; [ "$corpus" = big ] && mdpath="$md/big.md"
  size=$(mb "$path")
  find "$path" -type f -exec cat {} + > /dev/null # warm the page cache: all tools read from memory
  rm -f "$tmp"/rg "$tmp"/nl "$tmp"/before "$tmp"/typos "$tmp"/ac
  for _ in $(seq "$runs"); do
    if [ -n "$rg" ]; then once rg "$rg" -c 的 "$path"; fi
    if [ -n "$before" ]; then once before "$before" check --no-config --format short "$path"; fi
    once nl "$nl" check --no-config --format short "$path"
    if [ -n "$typos" ]; then once typos "$typos" "$path"; fi
    # autocorrect takes ten times longer than the others: one run a corpus
    if [ -n "$ac" ] && [ ! -s "$tmp/ac" ]; then once ac "$ac" --lint "$mdpath"; fi
  done
  rgwall=""
  if [ -n "$rg" ]; then
    rgwall=$(cut -d' ' -f1 "$tmp/rg" | med)
    row "$corpus" "$size" ripgrep rg "$rgwall"
  fi
  if [ -n "$before" ]; then row "$corpus" "$size" "newslint (before)" before "$rgwall"; fi
  row "$corpus" "$size" newslint nl "$rgwall"
  if [ -n "$typos" ]; then row "$corpus" "$size" typos typos "$rgwall"; fi
  if [ -n "$ac" ]; then row "$corpus" "$size" "autocorrect (.md, 1 run)" ac "$rgwall"; fi
done
# One article: process start, config and pack loading included; mean of 50 runs of each tool,
# alternating in blocks of 10.
mean_ms() { # LABEL CMD...: appends the seconds of 10 runs to $tmp/LABEL
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  for _ in $(seq 10); do "$@" > /dev/null 2>&1 || true; done
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >> "$tmp/$label"
}
rm -f "$tmp/one_nl" "$tmp/one_before" "$tmp/one_typos"
for _ in 1 2 3 4 5; do
  if [ -n "$before" ]; then mean_ms one_before "$before" check --no-config --format short "$out/one.txt"; fi
  mean_ms one_nl "$nl" check --no-config --format short "$out/one.txt"
  if [ -n "$typos" ]; then mean_ms one_typos "$typos" "$out/one.txt"; fi
done
ms() { awk '{ s += $1 } END { printf "%.1f", s * 1000 / (NR * 10) }' "$tmp/$1"; }
printf "\none 18 KB article: newslint %s ms per run" "$(ms one_nl)"
if [ -n "$before" ]; then printf " (before: %s ms)" "$(ms one_before)"; fi
if [ -n "$typos" ]; then printf ", typos %s ms" "$(ms one_typos)"; fi
printf " (mean of 50 each, alternating, process start included)\n"
