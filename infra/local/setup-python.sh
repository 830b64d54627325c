#!/usr/bin/env bash
# Part of `npm run setup`: a virtualenv for the Python SDK (sdk/python/.venv) with its test
# dependencies and the SDK itself, editable. A venv, so it also works where the system Python is
# "externally managed" (Debian), and as root without touching the system's packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=sdk/python/.venv

if ! command -v python3 >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
  else
    echo 'python3 is missing: the SDK tests need Python >= 3.9 with venv.' >&2
    exit 1
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo 'Installing python3-venv from Debian (for the SDK tests)...'
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$VENV"
    else
      echo 'python3 -m venv failed: install your distribution'"'"'s python3-venv package.' >&2
      exit 1
    fi
  fi
fi
# One retry per index, not pip's five with backoff: where an index is unreachable (a closed network
# with a local mirror configured as an extra index) each package otherwise waits out every retry, which
# made this step take minutes instead of seconds. A PIP_RETRIES set by the caller wins.
export PIP_RETRIES="${PIP_RETRIES:-1}"
echo 'Installing the Python SDK and its test dependencies into sdk/python/.venv...'
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r sdk/python/requirements-test.txt
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e sdk/python
