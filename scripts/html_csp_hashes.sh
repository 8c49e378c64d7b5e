#!/usr/bin/env bash
# Rewrite the Content-Security-Policy hashes in crates/newslint-core/src/report/html.rs after html.css, html.js or
# html-errors.js changed (tests/html.rs checks them and fails until this has been run).
set -euo pipefail
cd "$(dirname "$0")/.."
set_hash() { # CONSTANT FILE
  local h
  h=$(openssl dgst -sha256 -binary "crates/newslint-core/src/report/$2" | base64)
  sed -i "s|^pub const $1: &str = \"'sha256-[^']*'\";|pub const $1: \&str = \"'sha256-$h'\";|" crates/newslint-core/src/report/html.rs
  grep -q "^pub const $1: &str = \"'sha256-$h'\";" crates/newslint-core/src/report/html.rs || { echo "failed to set $1" >&2; exit 1; }
  echo "$1 = sha256-$h"
}
set_hash STYLE_HASH html.css
set_hash SCRIPT_HASH html.js
set_hash ERROR_SCRIPT_HASH html-errors.js
