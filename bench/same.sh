#!/usr/bin/env bash
# The invariant of speed work: two builds give byte-identical JSON reports on every corpus of
# ../shared/corpus and on the bench tree (built by bench/run.sh). Not a test: it needs ../shared.
#
# usage: bench/same.sh OLD_BINARY NEW_BINARY [SHARED_DIR]
#   EXTRA="--config x.toml"  more arguments for both (default: --no-config)
#   SAME_OUT=dir             where the reports go (default target/bench/same; give each of
#                            several checkouts its own when target/bench is shared between them)
# Prints one line per corpus (findings, identical or not) and exits 1 when any report differs;
# the differing reports are kept in that folder. Then the bench's large file and the tree
# with `scope = "repo"` (hundreds of thousands of findings) are compared by SHA-256.
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2")
shared=$(realpath "${3:-../shared}")
cd "$(dirname "$0")/.."
out=${SAME_OUT:-target/bench/same}
mkdir -p "$out"
args=${EXTRA:---no-config}
status=0
for name in seeds xwlb xhmrdx xxsb xinmin bench-tree; do
  path="$shared/corpus/$name"
  [ "$name" = bench-tree ] && path=target/bench/tree
  [ -e "$path" ] || { echo "$name: missing ($path)"; continue; }
  # shellcheck disable=SC2086 # EXTRA is split into words on purpose
  "$old" check $args --format json "$path" > "$out/$name.old.json" 2> "$out/$name.old.err" || true
  # shellcheck disable=SC2086
  "$new" check $args --format json "$path" > "$out/$name.new.json" 2> "$out/$name.new.err" || true
  n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["diagnostics"]))' "$out/$name.old.json")
  if cmp -s "$out/$name.old.json" "$out/$name.new.json"; then
    echo "$name: identical ($n findings)"
    rm -f "$out/$name".*
  else
    echo "$name: DIFFERENT (old $n findings; see $out/$name.old.json and .new.json)"
    status=1
  fi
done
digest() { "$@" 2> /dev/null | sha256sum | cut -d' ' -f1; }
repo=$out/repo.toml
printf '[rules.duplicate-paragraph]\nscope = "repo"\n' > "$repo"
for what in big tree-repo; do
  case $what in
    big) set -- check --no-config --format json target/bench/big.txt ;;
    tree-repo) set -- check --config "$repo" --format json target/bench/tree ;;
  esac
  [ -e "${*: -1}" ] || { echo "$what: missing"; continue; }
  if [ "$(digest "$old" "$@")" = "$(digest "$new" "$@")" ]; then
    echo "$what: identical"
  else
    echo "$what: DIFFERENT"
    status=1
  fi
done
exit $status
