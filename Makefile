# Entry points; see README.md. ODOO_PATH defaults to /opt/odoo.
ODOO_PATH ?= /opt/odoo
export ODOO_PATH

.PHONY: setup test lint sandbox run bench bench-odoo i18n screenshots

setup:  ## virtualenv with Odoo 18, its requirements and the dev tools
	bash scripts/setup.sh

test:  ## lint + pytest + the Odoo test suite on a fresh database
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

sandbox:  ## the local TusFacturas emulator on http://127.0.0.1:8070
	bash -c 'source scripts/env.sh && "$$PY" -m tusfacturas_sandbox --host 127.0.0.1 --port 8070'

run:  ## Odoo with this addon (demo data points at the sandbox)
	bash scripts/run.sh

bench:  ## client overhead against a bare HTTP round trip (ratios)
	bash -c 'source scripts/env.sh && "$$PY" -m tusfacturas.bench'

bench-odoo:  ## posting in Odoo: plain vs. through TusFacturas (ratio)
	bash scripts/bench-odoo.sh

i18n:  ## refresh the .pot from code and views and merge it into i18n/*.po
	bash scripts/i18n.sh

screenshots:  ## the README's pictures of the real UI, into doc/screenshots/
	bash scripts/screenshots.sh
