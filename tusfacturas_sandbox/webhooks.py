"""Webhooks of the asynchronous queue (``webhooks-notificaciones.md``).

Every event of a queued comprobante (encolado, emitido, error, eliminado,
cambio_fecha) is a ``POST`` of a small JSON to the URL set for the CUIT/PDV
(here: per usertoken, ``SandboxServer.set_webhook``), with the User-Agent
``TusFacturasAPP-webhook/1.0``. The hook carries no comprobante data: the
receiver must ask ``consulta_avanzada`` by external reference. A hook not
answered with HTTP 200 is sent again (``intento`` + 1).

Events wait in an outbox and leave when ``deliver`` is called (the control
API's ``deliver_webhooks``): the real service sends them from its own worker,
never inside the API request, and tests decide when they arrive. Neither
the URLs nor the outbox are persisted.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime

USER_AGENT = "TusFacturasAPP-webhook/1.0"
EVENTS = ("encolado", "emitido", "error", "eliminado", "cambio_fecha", "test")
# The docs: 20 s for the first send, 5 s for the retries.
FIRST_TIMEOUT = 20
RETRY_TIMEOUT = 5


def emit(state, record, event: str, msg=None) -> None:
    """Queue the hook of ``event`` for ``record`` (state lock held)."""
    url = state.webhooks.get(record.usertoken)
    if not url:
        return
    state.hook_seq += 1
    state.outbox.append(
        {
            "url": url,
            "body": {
                "creado": datetime.now().strftime("%d/%m/%Y %H:%M:%S"),
                "evento": event,
                "recurso": "facturacion",
                "external_reference": record.external_reference,
                "intento": 1,
                "msg": list(msg or []),
                "hook_id": f"hook-{state.hook_seq}",
            },
        }
    )


def deliver(state) -> list[dict]:
    """Send every waiting hook once; return ``{"evento", "external_reference",
    "status"}`` per hook (status 0: unreachable). Hooks answered otherwise
    than 200 stay in the outbox with ``intento`` + 1."""
    with state.lock:
        outbox, state.outbox = state.outbox, []
    sent, again = [], []
    for hook in outbox:
        status = _post(hook)
        body = hook["body"]
        sent.append(
            {
                "evento": body["evento"],
                "external_reference": body["external_reference"],
                "status": status,
            }
        )
        if status != 200:
            body["intento"] += 1
            again.append(hook)
    with state.lock:
        state.outbox[:0] = again
    return sent


def _post(hook) -> int:
    body = hook["body"]
    request = urllib.request.Request(
        hook["url"],
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        method="POST",
    )
    timeout = FIRST_TIMEOUT if body["intento"] == 1 else RETRY_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0
