#!/usr/bin/env bash
# Lint: ruff on all Python; pylint-odoo's mandatory checks on the addon.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$here"
status=0
"$VENV/bin/ruff" check . || status=1
"$VENV/bin/ruff" format --check . || status=1
if [ -x "$VENV/bin/pylint" ] && "$VENV/bin/python" -c "import pylint_odoo" 2>/dev/null; then
  # The checks OCA marks mandatory (their .pylintrc-mandatory), not the style ones.
  checks=attribute-deprecated,attribute-string-redundant,consider-merging-classes-inherited
  checks+=,development-status-allowed,external-request-timeout,invalid-commit
  checks+=,license-allowed,manifest-deprecated-key,manifest-required-key
  checks+=,method-compute,method-inverse,method-required-super,method-search
  checks+=,missing-return,print-used,sql-injection,translation-field
  checks+=,translation-positional-used,translation-contains-variable
  "$VENV/bin/pylint" --load-plugins=pylint_odoo --disable=all --enable="$checks" \
    --valid-odoo-versions=18.0 --score=n models wizards tests __init__.py __manifest__.py || status=1
fi
# Odoo exports translations with Babel's Python extractor, which silently
# drops a whole file it cannot read (an f-string inside _() does that).
"$VENV/bin/python" - models wizards tusfacturas <<'PYEOF' || status=1
import pathlib, sys
from babel.messages import extract
failed = False
for folder in sys.argv[1:]:
    for path in sorted(pathlib.Path(folder).rglob("*.py")):
        with path.open("rb") as source:
            try:
                list(extract.extract("python", source, options={"encoding": "UTF-8"}))
            except Exception as error:  # what Odoo's export would log and skip
                print(f"lint: translations cannot be extracted from {path}: {error!r}")
                failed = True
sys.exit(1 if failed else 0)
PYEOF
# The Odoo copy used in development is rebranded; its brand must never leak
# into the project (the pattern is split so this file does not match itself).
brand="qple""xity"
if grep -rIil "$brand" --exclude-dir=.venv --exclude-dir=.build --exclude-dir=.git . ; then
  echo "lint: the rebranded name must not appear: use upstream Odoo names"; status=1
fi
exit $status
