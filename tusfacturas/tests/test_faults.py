"""Fault injection: how the client classifies every failure."""

from __future__ import annotations

import socket
import time
from datetime import datetime

import pytest
import requests

from tusfacturas import (
    TusFacturasMaintenance,
    TusFacturasNotSent,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
    TusFacturasTransportError,
)
from tusfacturas_sandbox import SandboxServer
from tusfacturas_sandbox.samples import invoice_payload


def test_latency_within_timeout(client, sandbox):
    sandbox.set_fault("latency", seconds=0.2, endpoints=["facturacion/numeracion"])
    start = time.monotonic()
    assert client.next_number("FACTURA B", 2) == 1
    assert time.monotonic() - start >= 0.2


def test_latency_beyond_read_timeout_on_safe_call(fast_client, sandbox):
    sandbox.set_fault("latency", seconds=0.8, times=None)
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        fast_client.next_number("FACTURA B", 2)
    assert info.value.code == "timeout" and info.value.outcome_unknown
    # A read-only call is retried: 1 try + 3 retries.
    assert len(sandbox.requests_to("facturacion/numeracion")) == 4


def test_lookups_wait_less_than_issuing(make_client, sandbox):
    """Issuing may take AFIP's time; a lookup gives up after lookup_timeout."""
    api = make_client(read_timeout=5, lookup_timeout=0.3, retries=0)
    sandbox.set_fault("latency", seconds=0.8, times=None)
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        api.next_number("FACTURA B", 2)
    assert info.value.code == "timeout"
    assert "within 0.3 seconds" in str(info.value)
    assert api.issue(invoice_payload()).numero == 1  # same latency, longer wait
    assert make_client(read_timeout=5, lookup_timeout=60).lookup_timeout == 5


def test_timeout_after_issue_then_lookup(fast_client, sandbox):
    sandbox.set_fault(
        "timeout_after_issue", seconds=1.0, endpoints=["facturacion/nuevo"]
    )
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        fast_client.issue(invoice_payload(external_reference="INV-T1"))
    assert info.value.code == "timeout"
    assert isinstance(info.value, TusFacturasTransportError)
    assert len(sandbox.requests_to("facturacion/nuevo")) == 1  # never retried
    found = fast_client.find_by_external_reference("INV-T1")
    assert found is not None and found.numero == 1 and len(found.cae) == 14
    assert fast_client.get_comprobante("FACTURA B", 2, 1).cae == found.cae


def test_http_500_safe_call_retried(client, sandbox):
    sandbox.set_fault("http_500", times=2, endpoints=["facturacion/numeracion"])
    assert client.next_number("FACTURA B", 2) == 1
    assert len(sandbox.requests_to("facturacion/numeracion")) == 3


def test_http_500_exhausts_retries(client, sandbox):
    sandbox.set_fault("http_500", times=None, endpoints=["estado_servicios/alertas"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.service_status()
    assert info.value.code == "http_error" and info.value.status_code == 500
    assert len(sandbox.requests_to("estado_servicios/alertas")) == 4


def test_http_500_issue_sent_once(client, sandbox):
    sandbox.set_fault("http_500", times=3)
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.issue(invoice_payload())
    assert info.value.code == "http_error" and info.value.status_code == 500
    assert len(sandbox.requests_to("facturacion/nuevo")) == 1


def test_http_500_batch_and_enqueue_sent_once(client, sandbox):
    sandbox.set_fault("http_500", times=None)
    with pytest.raises(TusFacturasOutcomeUnknown):
        client.issue_batch([invoice_payload()])
    with pytest.raises(TusFacturasOutcomeUnknown):
        client.enqueue(invoice_payload(external_reference="Q"))
    assert len(sandbox.requests_to("facturacion/lotes")) == 1
    assert len(sandbox.requests_to("facturacion/nuevo_encola")) == 1


def test_cloudflare_524_is_an_unknown_outcome(client, sandbox):
    """The lotes page: after a 524 the lote is still processed in background."""
    sandbox.set_fault("timeout_524", endpoints=["facturacion/lotes"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.issue_batch([invoice_payload(), invoice_payload()])
    assert info.value.code == "http_error" and info.value.status_code == 524
    assert len(sandbox.requests_to("facturacion/lotes")) == 1, "never retried"
    assert len(sandbox.state.records) == 2


@pytest.mark.parametrize(
    ("status", "code"), [(200, "invalid_response"), (502, "http_error")]
)
def test_html_error(client, sandbox, status, code):
    sandbox.set_fault("html_error", status=status, endpoints=["facturacion/nuevo"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.issue(invoice_payload())
    assert info.value.code == code
    assert sandbox.state.records == []  # the page came from a proxy


def test_invalid_json_after_issue(client, sandbox):
    sandbox.set_fault("invalid_json", endpoints=["facturacion/nuevo"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.issue(invoice_payload(external_reference="J1"))
    assert info.value.code == "invalid_response"
    assert client.find_by_external_reference("J1").numero == 1


def test_maintenance(client, sandbox):
    sandbox.set_fault("maintenance", seconds=3600)
    with pytest.raises(TusFacturasMaintenance) as info:
        client.issue(invoice_payload())
    error = info.value
    assert isinstance(error, TusFacturasRejected) and error.code == "maintenance"
    assert isinstance(error.until, datetime) and error.until > datetime.now()
    assert "mantenimiento" in error.messages[0]
    assert sandbox.state.records == []
    sandbox.set_fault("maintenance")
    with pytest.raises(TusFacturasMaintenance):
        client.get_comprobante("FACTURA B", 2, 1)


def test_drop_connection_before_processing(client, sandbox):
    sandbox.set_fault("drop_connection", endpoints=["facturacion/nuevo"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.issue(invoice_payload(external_reference="D1"))
    assert info.value.code == "connection"
    assert client.find_by_external_reference("D1") is None
    assert len(sandbox.requests_to("facturacion/nuevo")) == 1


def test_drop_after_issue(client, sandbox):
    sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.issue(invoice_payload(external_reference="D2"))
    assert info.value.code == "connection"
    assert client.find_by_external_reference("D2").numero == 1


def test_drop_connection_safe_call_retried(client, sandbox):
    sandbox.set_fault("drop_connection", times=1, endpoints=["facturacion/numeracion"])
    assert client.next_number("FACTURA B", 2) == 1
    assert len(sandbox.requests_to("facturacion/numeracion")) == 2


def test_faults_are_consumed_and_cleared(client, sandbox):
    sandbox.set_fault("http_500", times=1, endpoints=["facturacion/nuevo"])
    with pytest.raises(TusFacturasOutcomeUnknown):
        client.issue(invoice_payload())
    assert client.issue(invoice_payload()).numero == 1
    sandbox.set_fault("http_500", times=None, endpoints=["facturacion/nuevo"])
    sandbox.clear_faults()
    assert client.issue(invoice_payload()).numero == 2
    with pytest.raises(ValueError):
        sandbox.set_fault("no_such_fault")


def test_pdf_download_faults(client, sandbox):
    comp = client.issue(invoice_payload())
    sandbox.set_fault("html_error", endpoints=["comprobantes/pdf"])
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        client.download_pdf(comp.pdf_url)
    assert info.value.code == "invalid_response"
    assert client.download_pdf(comp.pdf_url).startswith(b"%PDF-")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_not_sent_when_nothing_listens(make_client, sandbox):
    port = _free_port()
    api = make_client(base_url=f"http://127.0.0.1:{port}/app/api/v2", retries=0)
    with pytest.raises(TusFacturasNotSent) as info:
        api.issue(invoice_payload())
    assert info.value.code == "not_sent" and not info.value.outcome_unknown
    with pytest.raises(TusFacturasNotSent):
        api.next_number("FACTURA B", 2)


def test_control_api_over_http(sandbox):
    base = sandbox.origin
    response = requests.post(
        f"{base}/_sandbox/fault",
        json={"kind": "http_500", "endpoints": ["facturacion/nuevo"], "times": 1},
        timeout=5,
    )
    assert response.json() == {"ok": True}
    assert (
        requests.post(
            f"{base}/_sandbox/fault", json={"kind": "x"}, timeout=5
        ).status_code
        == 400
    )
    assert len(sandbox.state.faults) == 1
    requests.post(f"{sandbox.url}/facturacion/nuevo", json={"a": 1}, timeout=5)
    logged = requests.get(
        f"{base}/_sandbox/requests", params={"endpoint": "facturacion/nuevo"}, timeout=5
    ).json()
    assert logged == [{"a": 1}]
    assert requests.post(f"{base}/_sandbox/reset", json={}, timeout=5).ok
    assert sandbox.requests_to("facturacion/nuevo") == []
    assert requests.post(
        f"{base}/_sandbox/process_queue", json={}, timeout=5
    ).json() == {
        "ok": True,
        "processed": 0,
    }


def test_sandbox_server_lifecycle():
    with SandboxServer(port=0) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.url.endswith("/app/api/v2")
    server.stop()  # idempotent
