#!/usr/bin/env bash
# Install Debian's Chromium for the web page's end-to-end tests (tests/web), if it is missing.
# Only the tests need it: the service and the page work without it. Idempotent; prints nothing when
# Chromium is already there. Playwright itself comes with the dev extra (pip); it drives this
# Chromium through executable_path and never downloads a browser of its own.
# Set REDACTOR_SKIP_BROWSER=1 to skip (the e2e tests then skip, saying why).
set -euo pipefail

[ "${REDACTOR_SKIP_BROWSER:-0}" = 1 ] && exit 0
for candidate in "${REDACTOR_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  [ -n "$candidate" ] && [ -x "$candidate" ] && exit 0
done
if ! command -v apt-get >/dev/null; then
  echo "install_browser.sh: no apt-get here; install Chromium yourself for tests/web (they skip without it)" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "Installing Chromium for the web page's end-to-end tests"
$SUDO apt-get update -qq
if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
  echo "install_browser.sh: could not install chromium; tests/web will skip" >&2
fi
exit 0
