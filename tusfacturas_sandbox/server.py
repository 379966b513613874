"""The sandbox's HTTP side: the JSON API, the PDF host and the control API.

Two listeners, as in production where PDFs come from another host than the
API: the API (and the control API under ``/_sandbox/``) on ``host:port``, the
PDFs on ``pdf_origin`` (host ``localhost`` when the API is on ``127.0.0.1``,
another port).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import api, queue, tablas_referencia, webhooks
from .cuit import checked_cuit
from .facturacion import LOTES_ORDERS, LOTES_SHAPES
from .faults import AFIP_KINDS, PROCESS_FIRST, Fault, error_after_issue, make_fault
from .pdf import render_pdf
from .store import Account, SandboxState

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
ISSUING_ENDPOINTS = ("facturacion/nuevo", "facturacion/lotes")
_HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>The origin server did not answer.</p>"
    b"</body></html>"
)
# Cloudflare's page when the origin takes too long (the lotes page: "puedes
# obtener una respuesta de timeout (524)"; processing goes on behind it).
_CLOUDFLARE_524 = (
    b"<!DOCTYPE html><html><head><title>www.tusfacturas.app | 524: A timeout "
    b"occurred</title></head><body><h1>A timeout occurred</h1><p>Error code 524"
    b"</p><p>The origin web server timed out responding to this request.</p>"
    b"</body></html>"
)


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class _BaseHandler(BaseHTTPRequestHandler):
    server_version = "TusFacturasSandbox/2.0"
    protocol_version = "HTTP/1.0"

    @property
    def sandbox(self) -> SandboxServer:
        return self.server.sandbox

    def log_message(self, format, *args):
        _logger.debug("sandbox: " + format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            _logger.debug("sandbox: the client went away before the answer")

    def _wait_latency(self) -> None:
        """The network round trip the sandbox is told to emulate."""
        if self.sandbox.latency:
            time.sleep(self.sandbox.latency)

    def _send_json(self, status: int, data) -> None:
        body = json.dumps(data, default=_json_default).encode()
        self._send(status, body, "application/json; charset=utf-8")

    def _fault_before(self, fault: Fault) -> bool:
        """Apply a fault that acts before processing; True when answered."""
        if fault.kind == "latency":
            time.sleep(fault.seconds or 1.0)
            return False
        if fault.kind == "http_500":
            self._send(fault.status or 500, b"Internal Server Error", "text/plain")
        elif fault.kind == "html_error":
            self._send(fault.status or 200, _HTML_PAGE, "text/html; charset=utf-8")
        elif fault.kind == "maintenance":
            until = datetime.now() + timedelta(seconds=fault.seconds or 1800)
            self._send_json(
                200,
                {
                    "error": "S",
                    "mantenimiento": 1,
                    "mantenimiento_hasta": until.strftime("%d/%m/%Y %H:%M"),
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


class _PdfHandler(_BaseHandler):
    """The PDF host: ``GET /app/comprobantes/<token>.pdf``."""

    def do_GET(self):
        path = urlsplit(self.path).path
        if not (path.startswith(PDF_PREFIX) and path.endswith(".pdf")):
            self._send(404, b"Not Found", "text/plain")
            return
        state = self.sandbox.state
        self._wait_latency()
        token = path[len(PDF_PREFIX) : -len(".pdf")]
        state.log_request(PDF_ENDPOINT, {"pdf": token})
        fault = state.take_fault(PDF_ENDPOINT, exclude=AFIP_KINDS)
        if fault is not None and fault.endpoints is None:
            fault = None  # faults without endpoints target the JSON API only
        before = fault is not None and fault.kind not in PROCESS_FIRST
        if before and self._fault_before(fault):
            return
        found = state.find_pdf(token)
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


class _ApiHandler(_BaseHandler):
    """The JSON API (``/app/api/v2/...``) and the control API (``/_sandbox/``)."""

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_sandbox/requests":
            endpoint = (parse_qs(url.query).get("endpoint") or [""])[0]
            self._send_json(200, self.sandbox.requests_to(endpoint))
            return
        self._send(404, b"Not Found", "text/plain")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self):
        url = urlsplit(self.path)
        raw = self._read_body()
        if url.path.startswith("/_sandbox/"):
            self._control(url.path[len("/_sandbox/") :], raw)
            return
        endpoint = url.path[len(API_PREFIX) :].strip("/")
        if not url.path.startswith(API_PREFIX) or endpoint not in api.ENDPOINTS:
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
        self._answer(endpoint, body)

    def _answer(self, endpoint: str, body: dict) -> None:
        received = time.monotonic()  # the generation spacing counts arrivals
        sandbox = self.sandbox
        state = sandbox.state
        self._wait_latency()
        state.log_request(endpoint, body)
        fault = state.take_fault(endpoint, exclude=AFIP_KINDS)
        if fault is not None and fault.kind == "background_524":
            refusal = api.arrival_refusal(state, endpoint, body, received)
            if refusal is not None:
                self._send_json(200, refusal)
                return
            self._send(524, _CLOUDFLARE_524, "text/html; charset=UTF-8")
            self._process_later(fault.seconds or 1.0, endpoint, body)
            return
        after = fault is not None and fault.kind in PROCESS_FIRST
        if fault is not None and not after and self._fault_before(fault):
            return
        if sandbox.issue_delay and endpoint in ISSUING_ENDPOINTS:
            time.sleep(sandbox.issue_delay)
        answer = api.handle(
            state, endpoint, body, sandbox.pdf_origin, received=received
        )
        if not after:
            self._send_json(200, answer)
        elif fault.kind == "timeout_after_issue":
            time.sleep(fault.seconds or 2.0)
            self._send_json(200, answer)
        elif fault.kind == "invalid_json":
            data = json.dumps(answer, default=_json_default).encode()
            self._send(200, data[: max(len(data) // 2, 1)], "application/json")
        elif fault.kind == "afip_error_after_issue":
            self._send_json(200, error_after_issue(answer, fault))
        elif fault.kind == "timeout_524":
            time.sleep(fault.seconds or 0.0)
            self._send(524, _CLOUDFLARE_524, "text/html; charset=UTF-8")
        else:  # drop_after_issue
            self.close_connection = True

    def _process_later(self, seconds, endpoint, body) -> None:
        """TusFacturas goes on with a request its proxy gave up on (its
        arrival was already counted for the spacing)."""
        sandbox = self.sandbox
        timer = threading.Timer(
            seconds,
            api.handle,
            (sandbox.state, endpoint, body, sandbox.pdf_origin),
            {"spaced": False},
        )
        timer.daemon = True
        sandbox.later.append(timer)
        timer.start()

    def _control(self, action: str, raw: bytes) -> None:
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._send_json(400, {"error": "the body must be a JSON object"})
            return
        try:
            extra = self._control_action(action, data)
        except LookupError as exc:
            self._send_json(404, {"error": str(exc)})
            return
        except (KeyError, ValueError, TypeError) as exc:
            self._send_json(400, {"error": str(exc)})
            return
        self._send_json(200, {"ok": True, **extra})

    def _control_action(self, action: str, data: dict) -> dict:
        try:
            handler = CONTROL_ACTIONS[action]
        except KeyError:
            raise LookupError(f"unknown action {action!r}") from None
        return handler(self.sandbox, data) or {}


def _set_today(sandbox, data):
    day = data.get("date")
    sandbox.set_today(date.fromisoformat(day) if day else None)


# POST /_sandbox/<action>: what each does with the JSON body (an answer dict
# or None for a plain {"ok": true}).
CONTROL_ACTIONS = {
    "fault": lambda sandbox, data: sandbox.set_fault(
        data.get("kind", ""),
        endpoints=data.get("endpoints"),
        times=data.get("times", 1),
        seconds=data.get("seconds"),
        message=data.get("message"),
        status=data.get("status"),
        offset=data.get("offset", 0),
    ),
    "latency": lambda sandbox, data: sandbox.set_latency(data.get("seconds", 0)),
    "clear_faults": lambda sandbox, data: sandbox.clear_faults(),
    "reset": lambda sandbox, data: sandbox.reset(),
    "afip_status": lambda sandbox, data: sandbox.set_afip_status(
        str(data.get("facturacion", "OK"))
    ),
    "process_queue": lambda sandbox, data: {"processed": sandbox.process_queue()},
    "webhook": lambda sandbox, data: sandbox.set_webhook(
        data.get("url") or "", usertoken=data.get("usertoken")
    ),
    "deliver_webhooks": lambda sandbox, data: {"hooks": sandbox.deliver_webhooks()},
    "credentials": lambda sandbox, data: sandbox.add_credentials(
        data["apikey"],
        data["apitoken"],
        data["usertoken"],
        data["cuit"],
        testing=bool(data.get("testing")),
    ),
    "spacing": lambda sandbox, data: sandbox.set_generation_spacing(
        float(data.get("seconds") or 0)
    ),
    "today": _set_today,
    "outside_comprobante": lambda sandbox, data: sandbox.add_outside_comprobante(
        data["tipo"],
        int(data["punto_venta"]),
        int(data["numero"]),
        date.fromisoformat(data["fecha"]),
        moneda=data.get("moneda", "PES"),
        usertoken=data.get("usertoken"),
    ),
    "table": lambda sandbox, data: sandbox.set_table(data["table"], data.get("items")),
    "lotes_answer": lambda sandbox, data: sandbox.set_lotes_answer(
        shape=data.get("shape", "flat"), order=data.get("order", "request")
    ),
    "point_of_sale": lambda sandbox, data: sandbox.set_point_of_sale(
        int(data["punto_venta"]),
        products_only=bool(data.get("products_only")),
        usertoken=data.get("usertoken"),
    ),
}


def _listen(host, port, handler, sandbox, name):
    httpd = ThreadingHTTPServer((host, port), handler)
    httpd.daemon_threads = True
    httpd.sandbox = sandbox
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.1},
        name=f"tusfacturas-sandbox-{name}-{httpd.server_address[1]}",
        daemon=True,
    )
    thread.start()
    return httpd, thread


class SandboxServer:
    """The TusFacturas emulator: real HTTP servers on loopback ports.

    ``state_file``: keep the state in that JSON file (None: memory only);
    ``fresh``: start empty even if the file exists.
    """

    def __init__(  # noqa: PLR0917 - the command line's options
        self,
        host="127.0.0.1",
        port=0,
        credentials=None,
        issue_delay=0.0,
        state_file=None,
        fresh=False,
        pdf_port=0,
        latency=0.0,
    ):
        self.host = host
        self.port = port
        self.pdf_port = pdf_port
        self.pdf_host = "localhost" if host != "localhost" else "127.0.0.1"
        self.issue_delay = float(issue_delay or 0.0)
        self._start_latency = self.latency = float(latency or 0.0)
        self.state = SandboxState(state_file, fresh=fresh)
        self._listeners: list = []
        self.later: list[threading.Timer] = []  # requests processed later
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
        if self._listeners:
            return self
        api_httpd, api_thread = _listen(self.host, self.port, _ApiHandler, self, "api")
        self.port = api_httpd.server_address[1]
        pdf_httpd, pdf_thread = _listen(
            self.host, self.pdf_port, _PdfHandler, self, "pdf"
        )
        self.pdf_port = pdf_httpd.server_address[1]
        self._listeners = [(api_httpd, api_thread), (pdf_httpd, pdf_thread)]
        return self

    def stop(self) -> None:
        for httpd, thread in self._listeners:
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=5)
        self._listeners = []
        self._cancel_later()
        self.state.save()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def origin(self) -> str:
        """Where the API and the control API listen."""
        return f"http://{self.host}:{self.port}"

    @property
    def pdf_origin(self) -> str:
        """Where the PDFs are served: another host name and port than the API."""
        return f"http://{self.pdf_host}:{self.pdf_port}"

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
                cuit=checked_cuit(cuit),
                testing=bool(testing),
            )
        )
        self.state.save()

    def set_point_of_sale(self, punto_venta, *, products_only=False, usertoken=None):
        """Configure a CUIT + point of sale as TusFacturas' settings do.

        ``products_only``: the point of sale invoices products only, so the
        ``periodo_facturado_*`` fields are optional and the date window is
        AFIP's one for goods (N-5); otherwise both are those of services.
        """
        token = usertoken or SANDBOX_CREDENTIALS["usertoken"]
        self.state.set_pos(token, punto_venta, products_only=bool(products_only))
        self.state.save()

    def set_lotes_answer(self, shape="flat", order="request") -> None:
        """How ``facturacion/lotes`` answers until the next reset: ``shape``
        "flat" or "nested" (the docs' success example), ``order`` "request"
        or "reversed" (see :func:`facturacion.shape_lotes_answer`)."""
        if shape not in LOTES_SHAPES or order not in LOTES_ORDERS:
            raise ValueError(f"unknown lotes answer {shape!r} / {order!r}")
        with self.state.lock:
            self.state.lotes_shape, self.state.lotes_order = shape, order

    def set_today(self, day) -> None:
        """Judge dates as if requests were sent on ``day`` (None: the real day).

        AFIP's window (N-5 / N-10) is around the day a request is sent; tests of
        rules tied to a past date (e.g. the last Factura M) send "on" that day.
        """
        with self.state.lock:
            self.state.today = day

    def add_outside_comprobante(
        self, tipo, punto_venta, numero, fecha, *, moneda="PES", usertoken=None
    ) -> None:
        """State that ARCA authorised a comprobante not issued through TusFacturas
        (before the account used it, or from another system): a note may cite it
        as its comprobante asociado (ARCA checks its own records, error 10041).
        """
        token = usertoken or SANDBOX_CREDENTIALS["usertoken"]
        self.state.add_outside(token, tipo, punto_venta, numero, fecha, moneda=moneda)

    def set_table(self, name: str, items=None) -> None:
        """Serve ``items`` (``[{"id", "descripcion", ...}]``) for
        ``tablas_referencia/<name>``, as if TusFacturas had changed its table;
        None serves the documented table again (so does ``reset``)."""
        if name not in tablas_referencia.TABLES:
            raise LookupError(f"unknown reference table {name!r}")
        if items is not None and not (
            isinstance(items, list) and all(isinstance(i, dict) for i in items)
        ):
            raise ValueError("items must be a list of JSON objects")
        with self.state.lock:
            if items is None:
                self.state.table_overrides.pop(name, None)
            else:
                self.state.table_overrides[name] = [dict(item) for item in items]

    def set_fault(self, kind: str, *, endpoints=None, times=1, seconds=None,
                  message=None, status=None, offset=0) -> None:  # fmt: skip
        """Make the next ``times`` requests to ``endpoints`` (None: all) fail,
        after letting ``offset`` of them (comprobantes, for the AFIP kinds)
        through.

        Kinds are described in :mod:`tusfacturas_sandbox.faults`;
        ``times=None`` keeps the fault forever.
        """
        self.state.add_fault(
            make_fault(
                kind,
                endpoints=endpoints,
                times=times,
                seconds=seconds,
                message=message,
                status=status,
                offset=offset,
            )
        )

    def set_generation_spacing(self, seconds: float) -> None:
        """Refuse a generation request (``nuevo``, ``lotes`` and the queued
        ones) that reaches the sandbox less than ``seconds`` after the previous
        one of the same CUIT, as AFIP blocks such a CUIT (0: off, the default;
        a reset turns it off)."""
        with self.state.lock:
            self.state.generation_spacing = max(float(seconds or 0), 0.0)
            self.state.last_generation = {}

    def clear_faults(self) -> None:
        self.state.clear_faults()

    def set_latency(self, seconds) -> None:
        """Answer every request (API and PDF host) ``seconds`` late, as a
        network round trip to the real service would (0: at once)."""
        seconds = float(seconds or 0.0)
        if seconds < 0:
            raise ValueError("latency must be >= 0 seconds")
        self.latency = seconds

    def requests_to(self, endpoint: str) -> list[dict]:
        """Bodies received on ``endpoint`` (credentials removed), in order;
        ``comprobantes/pdf`` lists the PDF downloads (``{"pdf": token}``)."""
        return self.state.requests_to(endpoint)

    def requested_endpoints(self) -> list[str]:
        """Every request received (PDF downloads too), in order, by endpoint."""
        return self.state.requested_endpoints()

    def reset(self) -> None:
        """Forget comprobantes, numbering, faults, the log, incidents, POS
        settings and a latency set since the start (accounts and the CAE
        counter stay)."""
        self._cancel_later()
        self.state.reset()
        self.latency = self._start_latency
        self.state.save()

    def _cancel_later(self) -> None:
        """Requests still to be processed in background are dropped."""
        for timer in self.later:
            timer.cancel()
        self.later.clear()

    def set_afip_status(self, text: str) -> None:
        """What ``estado_servicios/alertas`` reports for AFIP ("OK" when fine)."""
        with self.state.lock:
            self.state.afip_status = text

    def set_webhook(self, url: str, usertoken=None) -> None:
        """The webhook URL of a CUIT/PDV (default account); "" removes it."""
        token = usertoken or SANDBOX_CREDENTIALS["usertoken"]
        with self.state.lock:
            if url:
                self.state.webhooks[token] = url
            else:
                self.state.webhooks.pop(token, None)

    def deliver_webhooks(self) -> list[dict]:
        """Send the waiting hooks now (see ``webhooks.deliver``)."""
        return webhooks.deliver(self.state)

    def process_queue(self, today=None) -> int:
        """Issue the queued comprobantes that are due; return how many."""
        done = queue.process_queue(self.state, today, origin=self.pdf_origin)
        self.state.save()
        return done
