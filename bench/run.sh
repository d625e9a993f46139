#!/usr/bin/env bash
# Print every benchmark figure of bizops, one line each (see bench/README.md).
# Usage: bash bench/run.sh [N] [--pg URL] [--million] [--skip-import]
#   N customers, default 100000; RUNS=5 runs per figure (medians).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-.venv/bin/python}
N=100000
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    N=$1
    shift
fi
exec "$PY" -u bench/targets.py "$N" --runs "${RUNS:-5}" "$@"
