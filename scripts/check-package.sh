#!/usr/bin/env bash
# CI: the npm package works on its own. Packs it, installs the tarball globally into a
# scratch prefix, runs `gomall --version` and `gomall db migrate --json` against a scratch
# database, then drops the database and the prefix.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d -t gomall-pack.XXXXXX)
database=gomall_pack_$$
trap 'mariadb -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT

npm pack --silent --pack-destination "$scratch" >/dev/null
# --ignore-scripts: a global install has no allowScripts; these are the same scripts
# package.json denies (esbuild's binary check, @scarf/scarf's telemetry).
npm install --global --prefix "$scratch/prefix" --ignore-scripts --no-audit --no-fund \
  "$scratch"/gomall-*.tgz >/dev/null
"$scratch/prefix/bin/gomall" --version
GOMALL_DATABASE__NAME=$database "$scratch/prefix/bin/gomall" db migrate --json
