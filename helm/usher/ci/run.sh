#!/usr/bin/env bash
# The Helm chart's tests (helm/usher/ci/test_chart.py), offline, with Helm itself from
# helm-python-sdk: the Python packages pinned in requirements.txt are installed into
# target/chart-venv on first use, and again whenever requirements.txt changes (.ci/run installs
# them beforehand). The metric-name test runs target/debug/usher, built first if missing.
set -euo pipefail
cd "$(dirname "$0")/../../.."
here=helm/usher/ci
venv=${USHER_CHART_VENV:-target/chart-venv}

if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt" 2>/dev/null ||
  ! "$venv/bin/python" -c 'import helm_python, kubernetes_validate, jsonschema, yaml' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi
exec "$venv/bin/python" "$here/test_chart.py" "$@"
