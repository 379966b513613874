#!/usr/bin/env bash
# Run Odoo with this addon on database $DB (default tusfacturas_dev) at
# http://localhost:8069, after starting the sandbox in the background.
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="${DB:-tusfacturas_dev}"
make_addons_dir "$CACHE_DIR/addons"
( cd "$here" && "$PY" -m tusfacturas_sandbox --port 8070 ) &
trap 'kill $! 2>/dev/null' EXIT
"$PY" "$ODOO_PATH/odoo-bin" \
  --addons-path="$ODOO_PATH/addons,$CACHE_DIR/addons" \
  -d "$DB" -i l10n_ar_tusfacturas "$@"
