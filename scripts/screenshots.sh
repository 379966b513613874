#!/usr/bin/env bash
# `make screenshots`: pictures of the real UI (headless Chromium, sandbox on
# loopback) into doc/screenshots/, on a fresh database. Not part of make test.
set -uo pipefail
source "$(dirname "$0")/env.sh"
addons="$(mktemp -d)"
db="tf_shots_$$"
log="$addons/screenshots.log"
trap 'rm -rf "$addons"; dropdb --if-exists "$db" 2>/dev/null' EXIT
make_addons_dir "$addons"
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$addons" \
  -d "$db" -i l10n_ar_tusfacturas --without-demo=all \
  --test-enable --test-tags tusfacturas_screenshots --stop-after-init \
  --http-interface=127.0.0.1 --http-port="$port" --log-level=info \
  --max-cron-threads=0 > "$log" 2>&1
if ! grep -qE "odoo.tests.result: 0 failed, 0 error\(s\) of [1-9]" "$log"; then
  grep -E "ERROR|FAIL|Error" "$log" | tail -20
  echo "screenshots: failed (log above)"; exit 1
fi
ls -1 "$here"/doc/screenshots/*.png
