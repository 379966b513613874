# Sourced by the other scripts: the locations every command agrees on.
# Nothing generated lives inside the addon folder (Odoo walks it, following
# symlinks, when it exports translations or loads the module).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo}"
home_dir="${HOME:-$(echo ~)}"  # bash falls back to the password database
CACHE_DIR="${L10N_AR_TUSFACTURAS_CACHE:-${XDG_CACHE_HOME:-$home_dir/.cache}/l10n_ar_tusfacturas}"
VENV="${VENV:-$CACHE_DIR/venv}"
PY="$VENV/bin/python"

# An addons folder holding only a link named like the addon (the clone's own
# folder name may differ).
make_addons_dir() {
  local dir="$1"
  mkdir -p "$dir"
  ln -sfn "$here" "$dir/l10n_ar_tusfacturas"
}
