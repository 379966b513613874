#!/usr/bin/env bash
# Benchmarks in Odoo on a fresh database, sandbox on loopback: posting plain
# l10n_ar vs. through TusFacturas (ratio over paired postings, SQL queries
# added for 1 and 50 lines, requests per posting, time added by a 200 ms
# latency per request), a lote of 20 and a queue of 100 (prepare, send,
# store), and queue-mode throughput per CUIT with a shortened spacing
# (fraction of the ceiling). Prints the "bench:" lines.
set -uo pipefail
source "$(dirname "$0")/env.sh"
addons="$(mktemp -d)"
db="tf_bench_$$"
log="$addons/bench.log"
trap 'rm -rf "$addons"; dropdb --if-exists "$db" 2>/dev/null' EXIT
make_addons_dir "$addons"
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$addons" \
  -d "$db" -i l10n_ar_tusfacturas --without-demo=all \
  --test-enable --test-tags tusfacturas_bench --stop-after-init \
  --no-http --http-port="$port" --log-level=info --max-cron-threads=0 > "$log" 2>&1
grep -oE "bench: .*" "$log" || { tail -30 "$log"; exit 1; }
