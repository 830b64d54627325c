#!/usr/bin/env bash
# `npm run setup`: everything a fresh clone needs — npm packages (install scripts limited to the
# package.json allowScripts list), Debian's Chromium for the dashboard's browser tests, and the Python
# SDK's virtualenv (infra/local/setup-python.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

npm ci --loglevel=warn

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo 'Installing Chromium from Debian (browser for the dashboard e2e tests)...'
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo 'Note: /usr/bin/chromium is missing; the dashboard e2e tests need it (apt-get install chromium).' >&2
  fi
fi

bash infra/local/setup-python.sh
