#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry (versions pinned below).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund \
  bootstrap@5.3.9 htmx.org@2.0.11 leaflet@1.9.4 chart.js@4.6.1 bootstrap-icons@1.13.2 >/dev/null)
N="$tmp/node_modules"; V=moulin/static/vendor
mkdir -p $V/bootstrap $V/htmx $V/leaflet/images $V/chartjs $V/bootstrap-icons/fonts
cp $N/bootstrap/dist/css/bootstrap.min.css $N/bootstrap/dist/js/bootstrap.bundle.min.js $N/bootstrap/LICENSE $V/bootstrap/
cp $N/htmx.org/dist/htmx.min.js $N/htmx.org/LICENSE $V/htmx/
cp $N/leaflet/dist/leaflet.js $N/leaflet/dist/leaflet.css $N/leaflet/LICENSE $V/leaflet/
cp $N/leaflet/dist/images/* $V/leaflet/images/
cp $N/chart.js/dist/chart.umd.min.js $N/chart.js/LICENSE.md $V/chartjs/
cp $N/bootstrap-icons/font/bootstrap-icons.min.css $N/bootstrap-icons/LICENSE $V/bootstrap-icons/
cp $N/bootstrap-icons/font/fonts/* $V/bootstrap-icons/fonts/
sed -i 's#/\*\# sourceMappingURL=.*\*/##; s#//\# sourceMappingURL=.*##' $V/*/*.css $V/*/*.js
echo "Vendored assets refreshed in $V"
