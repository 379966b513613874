"""A local emulator of the TusFacturas.app API: an independent, strict judge.

Written from the provider's docs, it imports nothing from the addon's client
(``tusfacturas``). See ``README.md`` beside this file for the endpoints, the
faults, the control API and every rule with its doc source.

``python -m tusfacturas_sandbox --host 127.0.0.1 --port 8070`` runs it alone
(state kept in ``~/.cache/l10n_ar_tusfacturas/sandbox-state.json``);
``SandboxServer().start()`` runs it in-process (memory only) for tests.
"""

from .faults import FAULT_KINDS
from .rules import compute_total
from .server import SANDBOX_CREDENTIALS, SANDBOX_CUIT, SandboxServer
from .store import SandboxState, default_state_path

__all__ = [
    "FAULT_KINDS",
    "SANDBOX_CREDENTIALS",
    "SANDBOX_CUIT",
    "SandboxServer",
    "SandboxState",
    "compute_total",
    "default_state_path",
]
