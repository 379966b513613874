#!/usr/bin/env bash
# Run Odoo with this addon on database $DB (default tusfacturas_dev, with demo
# data) at http://localhost:$PORT (default 8069), after starting the sandbox
# on http://127.0.0.1:8070 in the background. Ctrl-C stops both.
set -euo pipefail
source "$(dirname "$0")/env.sh"
DB="${DB:-tusfacturas_dev}"
PORT="${PORT:-8069}"
SANDBOX_PORT=8070  # the demo company's API URL points here

# One addons folder per clone (keyed on its path), so that two clones running
# in turn do not re-point each other's link.
clone_key=$(printf '%s' "$here" | sha1sum | cut -c1-12)
addons="$CACHE_DIR/addons-$clone_key"
make_addons_dir "$addons"

# The addon's state in database $1: "installed", another state, or nothing (no
# such database, or no Odoo in it yet). Fails when PostgreSQL cannot be asked:
# that says nothing about the database, whose sandbox state must be kept.
addon_state() {
  local found
  found=$(psql -d postgres -XtAc \
    "SELECT 1 FROM pg_database WHERE datname = '${1//\'/\'\'}'") || return 1
  [ -n "$found" ] || return 0
  psql -d "$1" -XtAc \
    "SELECT state FROM ir_module_module WHERE name = 'l10n_ar_tusfacturas'" \
    2>/dev/null || true
}
if ! state=$(addon_state "$DB"); then
  echo "run: cannot ask PostgreSQL whether database $DB exists." >&2
  exit 1
fi
# -i only creates: on an existing database -u applies changed views and data.
if [ "$state" = "installed" ]; then
  module_option=(-u l10n_ar_tusfacturas)
else
  module_option=(-i l10n_ar_tusfacturas)
fi

if ! "$PY" - "$SANDBOX_PORT" <<'PYEOF'
import socket, sys
with socket.socket() as s:
    sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) else 1)
PYEOF
then
  echo "run: port $SANDBOX_PORT is busy (another sandbox or 'make run'?)." >&2
  exit 1
fi

sandbox_pid=
stop_sandbox() {
  local rc=$?
  # A background job of a script ignores SIGINT: stop it explicitly.
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  fi
  exit "$rc"
}
trap stop_sandbox EXIT
# Ctrl-C reaches Odoo as well, which stops by itself: wait for it.
trap ':' INT
trap 'exit 143' TERM

# The sandbox's numbering belongs to the database: one state file each. A
# database the addon is installed into now numbers from 1, so its sandbox
# starts empty (the file removed too: a sandbox stopped before any request
# would leave it as it was); one where the addon was installed keeps its
# numbers (also when an update was interrupted). Before the states were kept
# per database, `make run` shared the sandbox's default one: the first run
# that keeps them so, on an installed database, goes on from a copy of it.
states_dir="$CACHE_DIR/sandbox-states"
sandbox_state="$states_dir/${DB//[^A-Za-z0-9_.-]/_}.json"
shared_state="${XDG_CACHE_HOME:-$home_dir/.cache}/l10n_ar_tusfacturas/sandbox-state.json"
case $state in
  installed | "to upgrade" | "to remove")
    if [ ! -d "$states_dir" ] && [ -f "$shared_state" ]; then
      mkdir -p "$states_dir"
      cp "$shared_state" "$sandbox_state"
    fi
    sandbox_args=(--state "$sandbox_state")
    state_note="kept in $sandbox_state"
    ;;
  *)
    rm -f "$sandbox_state"
    sandbox_args=(--state "$sandbox_state" --fresh)
    state_note="new (a new database), in $sandbox_state"
    ;;
esac
mkdir -p "$states_dir"
( cd "$here" && exec "$PY" -m tusfacturas_sandbox --port "$SANDBOX_PORT" \
    "${sandbox_args[@]}" ) &
sandbox_pid=$!
echo "run: sandbox on http://127.0.0.1:$SANDBOX_PORT (pid $sandbox_pid), numbering $state_note."

odoo=("$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$addons"
      -d "$DB" --db-filter="^${DB}\$" --http-port="$PORT")
# Install or update first, then serve: a page asked for during the install
# would wait past Odoo's time limit and make it restart.
echo "run: Odoo ${module_option[*]} on database $DB (the first time takes minutes)."
"${odoo[@]}" "${module_option[@]}" --stop-after-init --no-http "$@"
printf '\nrun: log in at http://localhost:%s/web/login?db=%s as admin / admin\n' \
  "$PORT" "$DB"
printf '     (company "(AR) Responsable Inscripto", issuing through the sandbox;\n'
printf '     Invoicing > Customers > Invoices has drafts to confirm).\n'
printf '     Ctrl-C stops Odoo and the sandbox.\n\n'
rc=0
"${odoo[@]}" "$@" || rc=$?
# Odoo ends with 143 after a Ctrl-C it handled itself.
case $rc in
  0 | 130 | 143) echo "run: stopped." ;;
  *) exit "$rc" ;;
esac
