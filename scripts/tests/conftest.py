"""The repository root is the Odoo addon package, whose __init__ imports odoo
models: register an empty package under its name so that pytest never runs
it (as tusfacturas/tests/conftest.py does)."""

import sys
import types
from pathlib import Path

_ADDON_ROOT = Path(__file__).resolve().parents[2]
if (_ADDON_ROOT / "__init__.py").is_file() and _ADDON_ROOT.name not in sys.modules:
    _stub = types.ModuleType(_ADDON_ROOT.name)
    _stub.__path__ = [str(_ADDON_ROOT)]
    sys.modules[_ADDON_ROOT.name] = _stub
