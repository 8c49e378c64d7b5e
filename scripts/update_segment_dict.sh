#!/usr/bin/env bash
# Copy jieba's dictionary and part-of-speech HMM from the jieba-rs version in Cargo.lock to
# lints/segment/dict.txt and posseg.txt (build.rs compiles them into the segmenter's FST and
# HMM tables). Run after updating jieba-rs, then run `cargo test segment` to check that
# segment::words, segment::tag and the HMM's guesses still read text as jieba does.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(cargo metadata --format-version 1 --locked \
  | python3 -c 'import json, os, sys
m = json.load(sys.stdin)
print(next(os.path.dirname(p["manifest_path"]) for p in m["packages"] if p["name"] == "jieba-rs"))')
cp "$dir/src/data/dict.txt" lints/segment/dict.txt
cp "$dir/src/data/posseg.txt" lints/segment/posseg.txt
echo "lints/segment/dict.txt from $dir ($(wc -l < lints/segment/dict.txt) lines)"
echo "lints/segment/posseg.txt from $dir ($(wc -l < lints/segment/posseg.txt) lines)"
