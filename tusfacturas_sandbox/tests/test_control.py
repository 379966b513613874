"""The sandbox's own controls: the emulated network latency and the request
log that tests count requests with."""

from __future__ import annotations

import time

import requests

from tusfacturas_sandbox.samples import invoice_payload


def test_latency_delays_every_request_and_the_log_counts_them(call, sandbox):
    sandbox.set_latency(0.2)
    start = time.monotonic()
    answer = call("facturacion/nuevo", invoice_payload())
    pdf = requests.get(answer["comprobante_pdf_url"], timeout=5)
    elapsed = time.monotonic() - start
    assert answer["error"] == "N", answer["errores"]
    assert pdf.content.startswith(b"%PDF-")
    # A lower bound only: two requests, each answered 200 ms late.
    assert elapsed >= 0.4
    assert sandbox.requested_endpoints() == ["facturacion/nuevo", "comprobantes/pdf"]
    (download,) = sandbox.requests_to("comprobantes/pdf")
    assert answer["comprobante_pdf_url"].endswith(f"/{download['pdf']}.pdf")


def test_latency_set_through_the_control_api_until_a_reset(sandbox):
    def control(seconds):
        return requests.post(
            f"{sandbox.origin}/_sandbox/latency", json={"seconds": seconds}, timeout=5
        )

    assert control(0.3).status_code == 200
    assert sandbox.latency == 0.3
    assert control(-1).status_code == 400
    assert sandbox.latency == 0.3
    sandbox.reset()
    assert sandbox.latency == 0.0
    assert sandbox.requested_endpoints() == []
