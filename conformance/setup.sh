#!/usr/bin/env bash
# Installs the real framework apps of conformance/ with pinned versions, idempotently:
#   one Python virtual environment per conformance/python/requirements-NAME.txt, at
#   target/conformance/venv-NAME, rebuilt only when missing or when that file changed;
#   conformance/node's package.json and package-lock.json copied to target/conformance/node
#   and installed there with `npm ci`, again only when missing or changed.
# Nothing is installed outside target/conformance. Needs python3 (with venv) and npm.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/target/conformance"
mkdir -p "$target"

digest() { cat "$@" | sha256sum | cut -d' ' -f1; }

for requirements in "$root"/conformance/python/requirements-*.txt; do
  name="$(basename "$requirements" .txt)"
  name="${name#requirements-}"
  venv="$target/venv-$name"
  want="$(digest "$requirements")"
  if [[ -x "$venv/bin/python" && "$(cat "$venv/.requirements.sha256" 2>/dev/null)" == "$want" ]]; then
    echo "conformance: venv-$name up to date"
    continue
  fi
  start=$SECONDS
  rm -rf "$venv"
  python3 -m venv "$venv"
  # Every package is pinned in the file, transitive ones too: --no-deps installs exactly it.
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  "$venv/bin/pip" check --disable-pip-version-check >/dev/null
  echo "$want" >"$venv/.requirements.sha256"
  echo "conformance: venv-$name installed in $((SECONDS - start)) s"
done

node="$target/node"
want="$(digest "$root/conformance/node/package.json" "$root/conformance/node/package-lock.json")"
if [[ -d "$node/node_modules" && "$(cat "$node/.lock.sha256" 2>/dev/null)" == "$want" ]]; then
  echo "conformance: node up to date"
else
  start=$SECONDS
  mkdir -p "$node"
  cp "$root/conformance/node/package.json" "$root/conformance/node/package-lock.json" "$node/"
  (cd "$node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$node/.lock.sha256"
  echo "conformance: node installed in $((SECONDS - start)) s"
fi
