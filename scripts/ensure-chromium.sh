#!/usr/bin/env bash
# Installs Debian's chromium for the Swagger UI browser test (test/integration/swagger-ui.test.ts)
# when it is missing. Safe to run again and again: does nothing once /usr/bin/chromium exists.
# Quiet on success; on failure prints apt's output and exits non-zero.
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; run as root or: apt-get install chromium" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "ensure-chromium: installing chromium"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-chromium: apt-get could not install chromium" >&2
  exit 1
fi
