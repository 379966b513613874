#!/usr/bin/env bash
# Step 1 of `make setup`: make sure an Odoo source tree is at ODOO_PATH.
# When there is none, fetch one: a shallow clone of branch ODOO_BRANCH (18.0)
# of ODOO_REPO_URL (the official repository unless overridden, e.g. a mirror
# or a local clone). Says what it did; fails with a clear message otherwise.
set -euo pipefail
source "$(dirname "$0")/env.sh"
ODOO_REPO_URL="${ODOO_REPO_URL:-https://github.com/odoo/odoo}"
ODOO_BRANCH="${ODOO_BRANCH:-18.0}"

die() { echo "setup: $*" >&2; exit 1; }

if [ -f "$ODOO_PATH/odoo-bin" ]; then
  exit 0  # already there (its version is checked by setup.sh)
fi
if [ -e "$ODOO_PATH" ] && [ -n "$(ls -A "$ODOO_PATH" 2>/dev/null)" ]; then
  die "ODOO_PATH=$ODOO_PATH exists but holds no odoo-bin: it is not an Odoo \
source tree. Point ODOO_PATH at an Odoo 18.0 checkout, or empty that folder \
and run make setup again to fetch one."
fi
command -v git >/dev/null \
  || die "no Odoo at ODOO_PATH=$ODOO_PATH, and git is missing to fetch one \
(apt-get install git)."

echo "setup: no Odoo at ODOO_PATH=$ODOO_PATH: fetching branch $ODOO_BRANCH of \
$ODOO_REPO_URL (shallow clone)..."
existed=
[ -e "$ODOO_PATH" ] && existed=1
mkdir -p "$(dirname "$ODOO_PATH")"
if ! git clone --quiet --depth 1 --single-branch --branch "$ODOO_BRANCH" \
     "$ODOO_REPO_URL" "$ODOO_PATH"; then
  [ -z "$existed" ] && rm -rf "$ODOO_PATH"
  die "could not fetch Odoo: git clone of branch $ODOO_BRANCH of $ODOO_REPO_URL \
into $ODOO_PATH failed (see git's message above). Without network access, put \
an Odoo 18.0 checkout at ODOO_PATH yourself, or set ODOO_REPO_URL to a \
reachable mirror or local clone."
fi
[ -f "$ODOO_PATH/odoo-bin" ] \
  || die "$ODOO_REPO_URL (branch $ODOO_BRANCH) has no odoo-bin: not an Odoo repository."
echo "setup: fetched Odoo $ODOO_BRANCH into $ODOO_PATH \
(commit $(git -C "$ODOO_PATH" rev-parse --short HEAD))."
