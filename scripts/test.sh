#!/usr/bin/env bash
# Installs what the tests need and runs them all: npm packages, and, when run as root, the
# Debian peers of the interop tests (strongSwan 5.9, vpnc 0.5.3, tshark). Ends with one line
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi
if [ "$(id -u)" = 0 ]; then
  bash scripts/install-peers.sh || exit 1
fi
npm run -s build || exit 1

mkdir -p reports
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json "$@"
status=$?
node scripts/summary.mjs reports/vitest.json || status=1
exit $status
