#!/usr/bin/env bash
# The test command: lint, pytest on the plain-Python client and sandbox, then
# the addon's Odoo test suite on a fresh PostgreSQL database. Ends with one
# "N passed, N failed" line for the whole run; exits non-zero on any failure.
set -uo pipefail

source "$(dirname "$0")/env.sh"
build="$here/.build"  # reports and logs only
mkdir -p "$build"
addons="$(mktemp -d)"
trap 'rm -rf "$addons"' EXIT

die() { echo "test: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

[ -x "$PY" ] || die "no virtualenv at $VENV: run 'make setup' first."
[ -f "$ODOO_PATH/odoo-bin" ] || die "Odoo 18 not found at ODOO_PATH=$ODOO_PATH (see README)."
grep -q "^version_info = (18, 0," "$ODOO_PATH/odoo/release.py" \
  || die "ODOO_PATH=$ODOO_PATH is not Odoo 18.0."

status=0

# 1. Lint.
echo "== lint"
bash "$here/scripts/lint.sh" || { echo "test: lint failed"; status=1; }

# 2. pytest: the client against the sandbox over real HTTP; the setup scripts.
echo "== pytest"
"$PY" -m pytest -p no:cacheprovider --junitxml="$build/pytest.xml" \
  "$here/tusfacturas/tests" "$here/tusfacturas_sandbox/tests" "$here/scripts/tests"
pytest_rc=$?
read -r py_total py_failed py_skipped < <("$PY" - "$build/pytest.xml" <<'PYEOF'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 1, 0); raise SystemExit
suites = [root] if root.tag == "testsuite" else list(root)
get = lambda k: sum(int(s.get(k, 0)) for s in suites)
print(get("tests"), get("failures") + get("errors"), get("skipped"))
PYEOF
)
[ "$pytest_rc" -eq 0 ] && [ "$py_total" -gt 0 ] || status=1

# 3. Odoo: install the addon on a fresh database and run its tests.
echo "== odoo"
make_addons_dir "$addons"
db="tf_test_$$"
# The browser tours (HttpCase) need Odoo's HTTP server: on a free port, so a
# running Odoo (8069) does not make the suite fail.
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$build/odoo-test.log"
dropdb --if-exists "$db" 2>/dev/null
"$PY" "$ODOO_PATH/odoo-bin" \
  --addons-path="$ODOO_PATH/addons,$addons" \
  -d "$db" -i l10n_ar_tusfacturas --without-demo=all \
  --test-enable --test-tags "/l10n_ar_tusfacturas" \
  --stop-after-init --http-interface=127.0.0.1 --http-port="$port" \
  --log-level=info --max-cron-threads=0 2>&1 | tee "$log" \
  | grep -E "ERROR|FAIL|WARNING \S+ \S*l10n_ar_tusfacturas|odoo.tests.result"
odoo_rc=${PIPESTATUS[0]}
dropdb --if-exists "$db" 2>/dev/null

odoo_total=$(grep -oE "of [0-9]+ tests" "$log" | tail -1 | grep -oE "[0-9]+" || echo 0)
odoo_failed=$(grep -oE "[0-9]+ failed, [0-9]+ error\(s\)" "$log" | tail -1 \
  | awk '{print $1 + $3}' || echo 1)
odoo_total=${odoo_total:-0}; odoo_failed=${odoo_failed:-1}
if [ "$odoo_rc" -ne 0 ] || [ "$odoo_total" -eq 0 ] || [ "$odoo_failed" -ne 0 ]; then
  status=1
fi
# A skipped test of this addon is a failure: a tour skipped for want of
# Chromium or websocket-client proves nothing.
skipped=$(grep -cE "INFO \S+ odoo\.addons\.l10n_ar_tusfacturas\.tests\.\S+: skipped " "$log" || true)
if [ "${skipped:-0}" -gt 0 ]; then
  echo "test: $skipped Odoo test(s) of this addon were skipped (see $log):"
  grep -oE "skipped \S+ : .*" "$log" | sort | uniq -c
  odoo_failed=$(( odoo_failed + skipped ))
  status=1
fi
# The addon must install and run without errors or warnings of its own.
if grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|WARNING) \S+ \S*l10n_ar_tusfacturas" "$log" \
   | grep -vE "\.tests\.|odoo.tests.result" >/dev/null; then
  echo "test: the Odoo log has errors or warnings from this addon (see $log)"
  [ "$odoo_failed" -eq 0 ] && odoo_failed=1
  status=1
fi

passed=$(( py_total - py_failed - py_skipped + odoo_total - odoo_failed ))
failed=$(( py_failed + odoo_failed ))
echo "pytest: $py_total tests, $py_failed failed, $py_skipped skipped; odoo: $odoo_total tests, $odoo_failed failed"
echo "$passed passed, $failed failed"
exit $status
