#!/usr/bin/env bash
# Run Odoo with this addon on database $DB (default tusfacturas_dev) at
# http://localhost:8069, after starting the sandbox in the background.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
VENV="${VENV:-$here/.venv}"
DB="${DB:-tusfacturas_dev}"
mkdir -p "$here/.build/addons"
ln -sfn "$here" "$here/.build/addons/l10n_ar_tusfacturas"
( cd "$here" && "$VENV/bin/python" -m tusfacturas.sandbox --port 8070 ) &
trap 'kill $! 2>/dev/null' EXIT
"$VENV/bin/python" "$ODOO_PATH/odoo-bin" \
  --addons-path="$ODOO_PATH/addons,$here/.build/addons" \
  -d "$DB" -i l10n_ar_tusfacturas "$@"
