"""Dispatch of one API call to its endpoint family, after authentication."""

from __future__ import annotations

from . import (
    clientes,
    consultas,
    estado_servicios,
    facturacion,
    queue,
    spacing,
    tablas_referencia,
)
from .errors import E_CREDENTIALS, ApiError, error_answer

ENDPOINTS = {
    **facturacion.ENDPOINTS,
    **queue.ENDPOINTS,
    **consultas.ENDPOINTS,
    **clientes.ENDPOINTS,
    **tablas_referencia.ENDPOINTS,
    **estado_servicios.ENDPOINTS,
}
CREDENTIALS_TEXT = (
    "Las credenciales de acceso (apikey, apitoken, usertoken) no son validas."
)


def authenticate(state, body: dict):
    account = state.accounts.get(str(body.get("usertoken") or ""))
    if (
        account is None
        or str(body.get("apitoken") or "") != account.apitoken
        or str(body.get("apikey") or "") != account.apikey
    ):
        raise ApiError([(E_CREDENTIALS, CREDENTIALS_TEXT)])
    return account


def handle(
    state, endpoint: str, body: dict, origin: str, *, received=None, spaced=True
):
    """Answer one API call; None when the endpoint does not exist.

    ``received``: when it arrived (``time.monotonic()``), for the spacing of
    generation requests; ``spaced`` False when that was checked on arrival
    (``arrival_refusal``) and the request is processed later.
    """
    function = ENDPOINTS.get(endpoint)
    if function is None:
        return None
    try:
        account = authenticate(state, body)
        if spaced:
            spacing.check(state, account, endpoint, received)
        return function(state, account, body, origin)
    except ApiError as error:
        return error_answer(error.errors, **error.extra)
    finally:
        state.save()


def arrival_refusal(state, endpoint: str, body: dict, received):
    """What is refused on arrival (credentials, the spacing of generation
    requests) for a request processed later; None when it is taken."""
    try:
        account = authenticate(state, body)
        spacing.check(state, account, endpoint, received)
    except ApiError as error:
        return error_answer(error.errors, **error.extra)
    return None
