#!/usr/bin/env bash
# The browser tests drive a real Chromium. Install Debian's if it is missing (needs root or sudo).
set -euo pipefail
browser="${TP_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ] || command -v "$browser" >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
else
  echo "Chromium is needed for the browser tests: install it and set TP_CHROMIUM to its path." >&2
  exit 1
fi
