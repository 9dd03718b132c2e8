#!/usr/bin/env bash
# Install what scripts/make_heldout.py needs to render held-out sets: Debian font packages (sans,
# serif, mono, condensed and UI faces, so that pages are not all DejaVu) and, in the virtualenv,
# Faker and presidio-evaluator's data files. Only the benchmark generator needs these; the service
# does not. Idempotent: what is already installed is skipped, and nothing is printed then.
# Run scripts/install.sh first (it creates the virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

# Each of these exists in Debian 12 (bookworm). make_heldout.py uses whichever faces it finds and
# falls back on DejaVu (always there with Tesseract's dependencies).
fonts="fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-liberation2 fonts-freefont-ttf fonts-urw-base35
  fonts-crosextra-carlito fonts-crosextra-caladea fonts-croscore fonts-noto-core fonts-noto-mono
  fonts-open-sans fonts-roboto-unhinted fonts-lato fonts-cantarell fonts-inter fonts-hack fonts-go
  fonts-linuxlibertine fonts-ebgaramond fonts-jetbrains-mono"

missing=""
for package in $fonts; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null; then
    echo "Installing fonts for the held-out generator:$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "install_bench.sh: no apt-get here; make_heldout.py will use the fonts it finds (DejaVu at least)" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "install_bench.sh: no virtualenv at $VENV; run scripts/install.sh first" >&2
  exit 1
fi
"$VENV/bin/python" -c 'import faker' 2>/dev/null || "$VENV/bin/python" -m pip install -q "faker==40.54.0"
# --no-deps: only the templates and CSV files inside the package are read (not transformers & co).
"$VENV/bin/python" -m pip show -q presidio-evaluator >/dev/null 2>&1 \
  || "$VENV/bin/python" -m pip install -q --no-deps "presidio-evaluator==0.3.2"
