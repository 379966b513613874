#!/usr/bin/env bash
# Refresh i18n/l10n_ar_tusfacturas.pot from the code and views, and merge it
# into every i18n/*.po (new strings come untranslated: translate them, then
# `msgfmt --check` must stay clean). Needs PostgreSQL and `make setup`.
set -euo pipefail
source "$(dirname "$0")/env.sh"
work="$(mktemp -d)"
db="tf_i18n_$$"
trap 'rm -rf "$work"; dropdb --if-exists "$db" 2>/dev/null' EXIT

# Export from a copy without .git/.build (Odoo walks the addon's folders).
mkdir -p "$work/addons/l10n_ar_tusfacturas"
rsync -a --exclude .git --exclude .build "$here/" "$work/addons/l10n_ar_tusfacturas/"
odoo=("$PY" "$ODOO_PATH/odoo-bin" --addons-path="$ODOO_PATH/addons,$work/addons"
      -d "$db" --no-http --stop-after-init --log-level=warn)
"${odoo[@]}" -i l10n_ar_tusfacturas --without-demo=all
"${odoo[@]}" --i18n-export="$work/new.pot" --modules=l10n_ar_tusfacturas

# Upstream's header names "Odoo Server" whatever the copy's branding says.
sed -E 's/^("Project-Id-Version: )[A-Za-z]+ Server/\1Odoo Server/;
        s/^(# Translation of )[A-Za-z]+ Server/\1Odoo Server/' \
  "$work/new.pot" > "$here/i18n/l10n_ar_tusfacturas.pot"
for po in "$here"/i18n/*.po; do
  msgmerge --quiet --no-fuzzy-matching -U --backup=none "$po" "$here/i18n/l10n_ar_tusfacturas.pot"
  msgattrib --no-obsolete -o "$po" "$po"
  echo "$po: $(msgattrib --untranslated "$po" | grep -c '^msgid' || true) untranslated"
done
