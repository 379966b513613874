"""A local HTTP emulator of the TusFacturas API, with fault injection."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..validation import validate_cuit
from .pdf import render_pdf
from .state import Account, Fault, SandboxState

_logger = logging.getLogger(__name__)

API_PREFIX = "/app/api/v2/"
PDF_PREFIX = "/app/comprobantes/"
PDF_ENDPOINT = "comprobantes/pdf"
SANDBOX_CUIT = "30111111118"
SANDBOX_CREDENTIALS = {
    "apikey": "1111",
    "apitoken": "sandbox-apitoken",
    "usertoken": "sandbox-usertoken",
}
FAULT_KINDS = frozenset(
    {
        "latency",
        "timeout_after_issue",
        "http_500",
        "html_error",
        "invalid_json",
        "maintenance",
        "drop_connection",
        "drop_after_issue",
        "afip_reject",
        "afip_observe",
    }
)
# Faults applied by the state while issuing, not by the HTTP handler.
_STATE_FAULTS = frozenset({"afip_reject", "afip_observe"})
# Faults after which the request has been processed (the comprobante exists).
_PROCESS_FIRST = frozenset({"timeout_after_issue", "invalid_json", "drop_after_issue"})
_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>The origin server did not answer.</p>"
    b"</body></html>"
)


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class _Handler(BaseHTTPRequestHandler):
    server_version = "TusFacturasSandbox/1.0"
    protocol_version = "HTTP/1.0"

    @property
    def sandbox(self) -> SandboxServer:
        return self.server.sandbox

    def log_message(self, format, *args):
        _logger.debug("sandbox: " + format, *args)

    def _origin(self) -> str:
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address)
        return f"http://{host}"

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            _logger.debug("sandbox: the client went away before the answer")

    def _send_json(self, status: int, data) -> None:
        body = json.dumps(data, default=_json_default).encode()
        self._send(status, body, "application/json; charset=utf-8")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- GET -----------------------------------------------------------------
    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_sandbox/requests":
            endpoint = (parse_qs(url.query).get("endpoint") or [""])[0]
            self._send_json(200, self.sandbox.requests_to(endpoint))
            return
        if url.path.startswith(PDF_PREFIX) and url.path.endswith(".pdf"):
            token = url.path[len(PDF_PREFIX) : -len(".pdf")]
            fault = self.sandbox.state.take_fault(PDF_ENDPOINT, exclude=_STATE_FAULTS)
            if fault is not None and fault.endpoints is None:
                fault = None  # faults without endpoints target the JSON API only
            if fault is not None and self._fault_before(fault):
                return
            found = self.sandbox.state.find_pdf(token)
            if found is None:
                self._send(404, b"Not Found", "text/plain")
                return
            record, account = found
            lines = [
                "TusFacturas sandbox - comprobante sin validez fiscal",
                f"{record.tipo} {record.punto_venta:05d}-{record.numero:08d}",
                f"Fecha: {record.fecha:%d/%m/%Y}",
                f"CUIT emisor: {account.cuit if account else ''}",
                f"Cliente: {record.cliente.get('razon_social', '')}",
                f"Total: {record.total}",
                f"CAE: {record.cae or '(testing)'}",
            ]
            self._send(200, render_pdf(lines), "application/pdf")
            return
        self._send(404, b"Not Found", "text/plain")

    # -- POST ----------------------------------------------------------------
    def do_POST(self):
        url = urlsplit(self.path)
        raw = self._read_body()
        if url.path.startswith("/_sandbox/"):
            self._control(url.path[len("/_sandbox/") :], raw)
            return
        if not url.path.startswith(API_PREFIX):
            self._send(404, b"Not Found", "text/plain")
            return
        endpoint = url.path[len(API_PREFIX) :].strip("/")
        if endpoint not in SandboxState.ENDPOINTS:
            self._send(404, b"Not Found", "text/plain")
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._send(
                400, b"Bad Request: the body must be a JSON object", "text/plain"
            )
            return
        state = self.sandbox.state
        state.log_request(endpoint, body)
        fault = state.take_fault(endpoint, exclude=_STATE_FAULTS)
        before = fault is not None and fault.kind not in _PROCESS_FIRST
        if before and self._fault_before(fault):
            return
        if self.sandbox.issue_delay and endpoint in (
            "facturacion/nuevo",
            "facturacion/lotes",
        ):
            time.sleep(self.sandbox.issue_delay)
        answer = state.handle(endpoint, body, self.sandbox.pdf_origin or self._origin())
        if fault is not None and fault.kind in _PROCESS_FIRST:
            self._fault_after(fault, answer)
            return
        self._send_json(200, answer)

    def _fault_before(self, fault: Fault) -> bool:
        """Apply a fault that acts before processing; True when answered."""
        if fault.kind == "latency":
            time.sleep(fault.seconds or 1.0)
            return False
        if fault.kind == "http_500":
            self._send(
                fault.status or 500,
                b"Internal Server Error",
                "text/plain; charset=utf-8",
            )
        elif fault.kind == "html_error":
            self._send(fault.status or 200, _HTML_PAGE, "text/html; charset=utf-8")
        elif fault.kind == "maintenance":
            until = datetime.now() + timedelta(seconds=fault.seconds or 1800)
            until_text = until.strftime("%d/%m/%Y %H:%M")
            self._send_json(
                200,
                {
                    "error": "S",
                    "mantenimiento": 1,
                    "mantenimiento_hasta": until_text,
                    "errores": [
                        fault.message
                        or "Estaremos realizando tareas de mantenimiento hasta las "
                        f"{until:%H:%M}"
                    ],
                },
            )
        elif fault.kind == "drop_connection":
            self.close_connection = True
        return True

    def _fault_after(self, fault: Fault, answer: dict) -> None:
        """Apply a fault that acts after the request was processed."""
        if fault.kind == "timeout_after_issue":
            time.sleep(fault.seconds or 2.0)
            self._send_json(200, answer)
        elif fault.kind == "invalid_json":
            body = json.dumps(answer, default=_json_default).encode()
            self._send(200, body[: max(len(body) // 2, 1)], "application/json")
        elif fault.kind == "drop_after_issue":
            self.close_connection = True

    # -- control API ---------------------------------------------------------
    def _control(self, action: str, raw: bytes) -> None:
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._send_json(400, {"error": "the body must be a JSON object"})
            return
        try:
            if action == "fault":
                self.sandbox.set_fault(
                    data.get("kind", ""),
                    endpoints=data.get("endpoints"),
                    times=data.get("times", 1),
                    seconds=data.get("seconds"),
                    message=data.get("message"),
                    status=data.get("status"),
                )
            elif action == "clear_faults":
                self.sandbox.clear_faults()
            elif action == "reset":
                self.sandbox.reset()
            elif action == "afip_status":
                self.sandbox.set_afip_status(str(data.get("facturacion", "OK")))
            elif action == "process_queue":
                count = self.sandbox.process_queue()
                self._send_json(200, {"ok": True, "processed": count})
                return
            elif action == "credentials":
                self.sandbox.add_credentials(
                    data["apikey"],
                    data["apitoken"],
                    data["usertoken"],
                    data["cuit"],
                    testing=bool(data.get("testing")),
                )
            else:
                self._send_json(404, {"error": f"unknown action {action!r}"})
                return
        except (KeyError, ValueError, TypeError) as exc:
            self._send_json(400, {"error": str(exc)})
            return
        self._send_json(200, {"ok": True})


class SandboxServer:
    """The TusFacturas emulator: a real HTTP server on a loopback port."""

    def __init__(self, host="127.0.0.1", port=0, credentials=None, issue_delay=0.0):
        self.host = host
        self.port = port
        self.issue_delay = float(issue_delay or 0.0)
        # Origin of the PDF links ("http://localhost:<port>": another host than
        # the API's 127.0.0.1, like TusFacturas' own); None: the request's host.
        self.pdf_origin: str | None = None
        self.state = SandboxState()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        if credentials is None:
            credentials = [dict(SANDBOX_CREDENTIALS, cuit=SANDBOX_CUIT)]
        elif isinstance(credentials, dict):
            credentials = [credentials]
        for item in credentials:
            self.add_credentials(
                item["apikey"],
                item["apitoken"],
                item["usertoken"],
                item.get("cuit", SANDBOX_CUIT),
                testing=bool(item.get("testing", False)),
            )

    # -- lifecycle -----------------------------------------------------------
    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        httpd = ThreadingHTTPServer((self.host, self.port), _Handler)
        httpd.daemon_threads = True
        httpd.sandbox = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"tusfacturas-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """Base URL to give to ``TusFacturasClient(base_url=...)``."""
        return f"{self.origin}/app/api/v2"

    # -- configuration -------------------------------------------------------
    def add_credentials(self, apikey, apitoken, usertoken, cuit, testing=False):
        """Register a CUIT account; ``testing`` answers with an empty CAE."""
        self.state.add_account(
            Account(
                apikey=str(apikey),
                apitoken=str(apitoken),
                usertoken=str(usertoken),
                cuit=validate_cuit(cuit),
                testing=bool(testing),
            )
        )

    def set_fault(
        self,
        kind: str,
        *,
        endpoints=None,
        times=1,
        seconds=None,
        message=None,
        status=None,
    ) -> None:
        """Make the next ``times`` requests to ``endpoints`` (None: all) fail.

        Kinds: ``latency`` (sleep ``seconds`` then answer), ``timeout_after_issue``
        (process, then sleep ``seconds`` before answering), ``http_500`` (not
        processed), ``html_error`` (an HTML page, HTTP 200 or ``status``; not
        processed), ``invalid_json`` (processed, truncated JSON),
        ``maintenance`` (documented maintenance answer; ``seconds`` until the
        end), ``drop_connection`` (close without answer, not processed),
        ``drop_after_issue`` (processed, then close without answer) and
        ``afip_reject`` (the next ``times`` comprobantes are rejected by
        "AFIP", including queued ones when the queue is processed) and
        ``afip_observe`` (the next ``times`` comprobantes are approved but
        observed by "AFIP": ``message`` in ``observaciones``).
        ``times=None`` keeps the fault forever.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"Unknown fault kind {kind!r}")
        if isinstance(endpoints, str):
            endpoints = [endpoints]
        self.state.add_fault(
            Fault(
                kind=kind,
                endpoints=(
                    frozenset(e.strip("/") for e in endpoints)
                    if endpoints is not None
                    else None
                ),
                remaining=None if times is None else int(times),
                seconds=None if seconds is None else float(seconds),
                message=message,
                status=None if status is None else int(status),
            )
        )

    def clear_faults(self) -> None:
        self.state.clear_faults()

    def requests_to(self, endpoint: str) -> list[dict]:
        """Bodies received on ``endpoint`` (credentials removed), in order."""
        return self.state.requests_to(endpoint)

    def reset(self) -> None:
        """Forget comprobantes, numbering, faults, the request log and incidents."""
        self.state.reset()

    def set_afip_status(self, text: str) -> None:
        """What ``estado_servicios/alertas`` reports for AFIP ("OK" when fine)."""
        with self.state.lock:
            self.state.afip_status = text

    def process_queue(self, today=None) -> int:
        """Issue the queued comprobantes that are due; return how many."""
        return self.state.process_queue(today, origin=self.origin)
