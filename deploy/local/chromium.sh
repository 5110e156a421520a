#!/usr/bin/env bash
# Headless Chromium from Debian's packages, for the browser test of the impact report
# (tests/integration/test_feedback_report_in_chromium.py). Installs it with apt-get when absent;
# the test fails (never skips) without it. Needs root or sudo on a Debian/Ubuntu machine.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null || echo present) at $(command -v chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "chromium: not installed; run as root: apt-get install -y chromium" >&2; exit 1; }
  SUDO=sudo
fi
echo "chromium: installing Debian's chromium package"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
echo "chromium: $(chromium --version) at $(command -v chromium)"
