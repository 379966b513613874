#!/usr/bin/env bash
# One-command development setup: a virtualenv with Odoo 18 (from ODOO_PATH),
# its requirements, this addon's requirements and the dev tools.
set -euo pipefail

source "$(dirname "$0")/env.sh"
PYTHON="${PYTHON:-python3}"

die() { echo "setup: $*" >&2; exit 1; }

# 1. Odoo 18 must be there: we never download it.
[ -f "$ODOO_PATH/odoo-bin" ] && [ -f "$ODOO_PATH/odoo/release.py" ] \
  || die "no Odoo source tree at ODOO_PATH=$ODOO_PATH (expected odoo-bin). \
Put an Odoo 18.0 checkout there or export ODOO_PATH."
serie=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p" "$ODOO_PATH/odoo/release.py")
[ "$serie" = "18.0" ] || die "ODOO_PATH=$ODOO_PATH holds Odoo '$serie', not 18.0."

# 2. System libraries that python-ldap and psycopg2 build against.
missing=()
for pkg in libldap2-dev libsasl2-dev libpq-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    die "missing system packages: ${missing[*]} (sudo apt-get install ${missing[*]})"
  fi
fi

# 3. The virtualenv. cbor2 5.4.2 (pinned by Odoo) only builds with setuptools<81.
[ -x "$VENV/bin/python" ] || { mkdir -p "$(dirname "$VENV")" && "$PYTHON" -m venv "$VENV"; }
export PIP_CONSTRAINT="$here/scripts/pip-constraints.txt"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/pip" install -q "setuptools<81" wheel
"$VENV/bin/pip" install -q -r "$ODOO_PATH/requirements.txt"
"$VENV/bin/pip" install -q --no-deps -e "$ODOO_PATH"
"$VENV/bin/pip" install -q -r "$here/requirements.txt" -r "$here/requirements-dev.txt"

# 4. PostgreSQL must answer: Odoo tests run on a fresh database.
if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  die "PostgreSQL is not reachable through the local socket as $(id -un). \
Start it (pg_ctlcluster <version> main start) and create a role for this user \
(createuser -s $(id -un))."
fi
echo "setup: ready (venv $VENV, Odoo $serie at $ODOO_PATH)"
