#!/usr/bin/env bash
# What the browser tests need besides the Python packages:
# - Debian's Chromium, driven through Playwright (never Playwright's own browser download);
# - a local copy of MathJax 3 from the npm registry, which the tests serve in place of
#   the CDN copy the pages load, so that equations render on a machine without network
#   and the tests can check that every formula typesets.
# Installs what is missing when it may (as root, with apt-get and npm); otherwise says how.
set -euo pipefail
cd "$(dirname "$0")/.."
MATHJAX_VERSION=3.2.2
MATHJAX_DIR=.cache/mathjax

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

if [ ! -f "$MATHJAX_DIR/node_modules/mathjax/es5/tex-mml-chtml.js" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
      echo "The browser tests need npm to fetch MathJax: install Debian's 'npm' package." >&2
      exit 1
    fi
  fi
  mkdir -p "$MATHJAX_DIR"
  npm install --prefix "$MATHJAX_DIR" --no-audit --no-fund --silent "mathjax@$MATHJAX_VERSION"
fi
