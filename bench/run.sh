#!/usr/bin/env bash
# Print every benchmark figure of bizops, one line each (see bench/README.md).
# Usage: bash bench/run.sh [N]   (N customers, default 100000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-.venv/bin/python}
exec "$PY" bench/targets.py "${1:-100000}" --runs "${RUNS:-5}"
