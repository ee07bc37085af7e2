#!/usr/bin/env bash
# What the suite needs beyond Python packages: Chromium for the browser tests, a CJK font for PDFs,
# poppler for reading PDFs back, Pango for WeasyPrint. Installed when we are root with apt-get;
# otherwise each missing one is named on one line and the tests that need it skip, saying so.
set -uo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk\|noto serif cjk" || need+=(fonts-wqy-microhei)
# official letters are set in a CJK serif (GB/T 9704 仿宋/小标宋, falling back to Noto Serif CJK)
fc-list 2>/dev/null | grep -qi "noto serif cjk\|fangsong\|仿宋" || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pg_isready >/dev/null 2>&1 || need+=(postgresql-client)
ldconfig -p 2>/dev/null | grep -q libpangoft2 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#need[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing for the tests: ${need[*]}"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; then
    exit 0
  fi
  echo "SKIPPED: could not install ${need[*]} with apt-get; the tests that need them will skip"
else
  for package in "${need[@]}"; do
    echo "SKIPPED: ${package} is not installed and this is not root with apt-get; tests that need it skip (apt-get install ${package})"
  done
fi
exit 0
