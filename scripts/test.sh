#!/usr/bin/env bash
# Installs what the tests need and runs them all: lint, unit, AppTest, browser.
# Debian's chromium and the DejaVu fonts (the PDF report's Cyrillic) are installed with apt when missing
# (run as root, or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi
python3 -m pip install --quiet -r requirements-dev.txt
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m pytest -n 2 "$@"
