#!/usr/bin/env bash
# Copy jieba's dictionary from the jieba-rs version in Cargo.lock to lints/segment/dict.txt
# (build.rs compiles it into the segmenter's FST). Run after updating jieba-rs, then run
# `cargo test segment` to check that segment::words still reads text as jieba does.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cargo metadata --format-version 1 --locked \
  | python3 -c 'import json, os, sys
m = json.load(sys.stdin)
print(next(os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"] == "jieba-rs"))')
cp "$dir/src/data/dict.txt" lints/segment/dict.txt
echo "lints/segment/dict.txt from $dir ($(wc -l < lints/segment/dict.txt) lines)"
