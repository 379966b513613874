"""Webhooks of the asynchronous queue (webhooks-notificaciones.md): one hook
per comprobante and event, a small JSON without the comprobante's data, the
documented User-Agent, sent again until answered with HTTP 200."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tusfacturas_sandbox.webhooks import USER_AGENT

from .test_rules import accepted, d, queued


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append((self.headers["User-Agent"], body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def receiver():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    httpd.received, httpd.status = [], 200
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _url(receiver):
    return f"http://127.0.0.1:{receiver.server_address[1]}/hook"


def test_hooks_follow_the_queue_events(call, sandbox, receiver):
    sandbox.set_webhook(_url(receiver))
    accepted(call("facturacion/nuevo_encola", queued("w-1")))
    accepted(call("facturacion/nuevo_encola", queued("w-2", 1)))
    sandbox.process_queue()
    call(
        "facturacion/cambiar_fecha_encolado",
        {"external_reference": "w-2", "fecha": d(2)},
    )
    call("facturacion/eliminar_encolado", {"external_reference": "w-2"})
    hooks = sandbox.deliver_webhooks()
    assert [(h["evento"], h["external_reference"]) for h in hooks] == [
        ("encolado", "w-1"),
        ("encolado", "w-2"),
        ("emitido", "w-1"),
        ("cambio_fecha", "w-2"),
        ("eliminado", "w-2"),
    ]
    assert {h["status"] for h in hooks} == {200}
    agent, body = receiver.received[2]
    assert agent == USER_AGENT
    # Only the event: the data is asked with consulta_avanzada.
    assert set(body) == {
        "creado",
        "evento",
        "recurso",
        "external_reference",
        "intento",
        "msg",
        "hook_id",
    }
    assert body["recurso"] == "facturacion" and body["intento"] == 1
    assert sandbox.deliver_webhooks() == []


def test_error_hook_carries_the_messages(call, sandbox, receiver):
    sandbox.set_webhook(_url(receiver))
    accepted(call("facturacion/nuevo_encola", queued("w-3")))
    sandbox.set_fault(
        "afip_reject",
        endpoints=["facturacion/nuevo_encola"],
        message="AFIP rechazo el comprobante. Cod: 10016",
    )
    sandbox.process_queue()
    sandbox.deliver_webhooks()
    event, body = receiver.received[-1][1]["evento"], receiver.received[-1][1]
    assert event == "error" and "10016" in body["msg"][0]


def test_unanswered_hook_is_sent_again(call, sandbox, receiver):
    sandbox.set_webhook(_url(receiver))
    receiver.status = 500
    accepted(call("facturacion/nuevo_encola", queued("w-4")))
    assert [h["status"] for h in sandbox.deliver_webhooks()] == [500]
    receiver.status = 200
    assert [h["status"] for h in sandbox.deliver_webhooks()] == [200]
    assert [body["intento"] for _agent, body in receiver.received] == [1, 2]


def test_no_url_no_hooks(call, sandbox):
    accepted(call("facturacion/nuevo_encola", queued("w-5")))
    assert sandbox.deliver_webhooks() == []
