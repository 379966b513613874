#!/usr/bin/env bash
# One-command development setup: Odoo 18 at ODOO_PATH (fetched when absent),
# the system packages (as root), a virtualenv with Odoo, its requirements,
# this addon's requirements and the dev tools; checks PostgreSQL.
set -euo pipefail

source "$(dirname "$0")/env.sh"
PYTHON="${PYTHON:-python3}"

die() { echo "setup: $*" >&2; exit 1; }

# apt-get, waiting for another apt/dpkg run to release its lock (up to 5 min);
# the package lists are refreshed once per setup run.
apt_updated=
apt_install() {
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq)
  if [ -z "$apt_updated" ]; then
    "${apt[@]}" update || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "$@"
}

# 1. System packages: the libraries python-ldap and psycopg2 build against,
#    Chromium for the browser tours, wkhtmltopdf for Odoo's PDF reports.
missing=()
# need PACKAGE [COMMAND...]: missing unless installed, or one COMMAND is there
# (Chromium may come from another package or a snap).
need() {
  local pkg="$1" cmd
  shift
  dpkg -s "$pkg" >/dev/null 2>&1 && return 0
  for cmd in "$@"; do command -v "$cmd" >/dev/null && return 0; done
  missing+=("$pkg")
}
need libldap2-dev
need libsasl2-dev
need libpq-dev
need chromium chromium chromium-browser google-chrome
need wkhtmltopdf wkhtmltopdf
[ -f "$ODOO_PATH/odoo-bin" ] || need git git  # to fetch Odoo
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    apt_install "${missing[@]}" || die "could not install ${missing[*]} with apt-get."
  else
    die "missing system packages: ${missing[*]} (sudo apt-get install ${missing[*]})"
  fi
fi

# 2. Odoo 18 at ODOO_PATH: fetched (shallow clone of ODOO_REPO_URL) when absent.
bash "$here/scripts/fetch-odoo.sh"
serie=$(sed -n "s/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p" "$ODOO_PATH/odoo/release.py" 2>/dev/null || true)
[ "$serie" = "18.0" ] || die "ODOO_PATH=$ODOO_PATH holds Odoo '$serie', not 18.0. \
Point ODOO_PATH at an Odoo 18.0 checkout (or at an empty folder to fetch one)."

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
