#!/usr/bin/env bash
# What the browser tests need besides the Python packages:
# - Debian's Chromium, driven through Playwright (never Playwright's own browser download);
# (MathJax comes with the book itself: tools/booktools/sphinx_ext.py serves it from _static.)
# Installs what is missing when it may (as root, with apt-get and npm); otherwise says how.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: install Debian's 'chromium' package." >&2
    exit 1
  fi
fi
