"""Local emulator of the TusFacturas.app API (``python -m tusfacturas.sandbox``)."""

from .server import (
    FAULT_KINDS,
    SANDBOX_CREDENTIALS,
    SANDBOX_CUIT,
    SandboxServer,
)
from .state import SandboxState, compute_total

__all__ = [
    "FAULT_KINDS",
    "SANDBOX_CREDENTIALS",
    "SANDBOX_CUIT",
    "SandboxServer",
    "SandboxState",
    "compute_total",
]
