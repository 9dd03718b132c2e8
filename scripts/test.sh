#!/usr/bin/env bash
# Run the whole test suite (installs first if needed). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh >/dev/null
exec .venv/bin/python -m pytest -q "$@"
