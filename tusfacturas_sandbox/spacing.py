"""The one-minute rule: generation requests of one CUIT must be spaced.

Seed ``tusfacturas-api-intro.md``, "Tené en cuenta éstas cosas", point 2:
"cada request que hagas para generar comprobantes, debe tener una diferencia
de tiempo de 1 minuto, ya que sino la misma AFIP te bloquea el CUIT y no
podrás emitir comprobantes por unos minutos". Off unless a spacing is set
(``SandboxServer.set_generation_spacing``), so that other tests send freely.
Measured on arrival with the sandbox's own clock; a refused request counts as
a request too (the block goes on while the client keeps trying).
"""

from __future__ import annotations

import time

from .errors import E_SPACING, ApiError

GENERATION_ENDPOINTS = frozenset(
    {
        "facturacion/nuevo",
        "facturacion/lotes",
        "facturacion/nuevo_encola",
        "facturacion/lotes_encola",
    }
)


def blocked_text(cuit: str, seconds: float) -> str:
    return (
        f"AFIP ha bloqueado el CUIT {cuit}: cada request para generar "
        f"comprobantes debe tener una diferencia de tiempo de {seconds:g} "
        "segundos. No podra emitir comprobantes por unos minutos."
    )


def check(state, account, endpoint: str, received=None) -> None:
    """Raise the refusal when ``account``'s CUIT sent a generation request
    less than the spacing ago; remember this one either way."""
    if endpoint not in GENERATION_ENDPOINTS:
        return
    now = time.monotonic() if received is None else received
    with state.lock:
        seconds = state.generation_spacing
        if not seconds:
            return
        last = state.last_generation.get(account.cuit)
        state.last_generation[account.cuit] = max(now, last or now)
    if last is not None and now - last < seconds:
        raise ApiError([(E_SPACING, blocked_text(account.cuit, seconds))])
