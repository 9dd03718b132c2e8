#!/usr/bin/env bash
# Run the whole test suite (installs first if needed). Extra arguments go to pytest.
# The web page's browser tests need Debian's Chromium: install_browser.sh adds it once (and the
# tests skip, saying why, where it cannot be installed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh >/dev/null
scripts/install_browser.sh
exec .venv/bin/python -m pytest -q "$@"
