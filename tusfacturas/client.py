"""HTTP client of the TusFacturas.app API v2.

Every request goes through :meth:`TusFacturasClient._post`, which adds the
credentials, applies the timeouts, classifies failures into the typed
errors of :mod:`.exceptions` (error answers of issuing requests through the
table of :mod:`.errors`) and normalises the answer. What was sent and what
came back (credentials removed) is kept in ``TusFacturasClient.exchanges``.
Read-only calls ("safe") are retried on connection errors and HTTP 5xx;
calls that issue or enqueue comprobantes are never retried: after an unknown
outcome the caller must look the comprobante up (by external reference)
before sending again.
"""

from __future__ import annotations

import json
import logging
import ssl
import time
from collections import deque
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.retry import Retry

from . import __version__
from .errors import (
    OUTCOME_UNKNOWN,
    REJECTED,
    REQUIRES_FCE_TEXT,
    classify,
    requires_fce,
)
from .exceptions import (
    TusFacturasAfipError,
    TusFacturasError,
    TusFacturasForbiddenURL,
    TusFacturasMaintenance,
    TusFacturasNotSent,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
    TusFacturasSeveralUnderReference,
)
from .normalize import Comprobante, format_date, normalize_response, parse_date
from .validation import validate_cuit

_logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://www.tusfacturas.app/app/api/v2"
# facturacion/lotes: "La cantidad maxima de requests (por lote) debe ser de
# 20" (the current page; older ones said 100). lotes_encola takes up to 100.
BATCH_LIMIT = 20
QUEUED_BATCH_LIMIT = 100
# HTTP statuses that say the request was not processed (transient).
NOT_PROCESSED_STATUSES = {408: "request timeout", 429: "too many requests"}
_NOT_FOUND_MARKERS = ("no existe", "no se han encontrado", "no se encontro")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# The official PDF may live on another host than the API (the docs' examples:
# www.tusfacturas.app, www.tusfacturas.com.ar, servicios.tusfacturas.app):
# HTTPS on these domains and their subdomains is accepted, plus the API's own
# origin and the origins given as ``pdf_hosts``. Nothing else is fetched.
PDF_DOMAINS = ("tusfacturas.app", "tusfacturas.com.ar")
PDF_MAX_BYTES = 20 * 1024 * 1024
PDF_MAX_REDIRECTS = 3
_CREDENTIAL_KEYS = ("apikey", "apitoken", "usertoken")
# What a clientes/afip-info answer holds when AFIP knows the CUIT.
_PADRON_DATA_KEYS = ("razon_social", "direccion", "localidad", "provincia", "estado")
_EXCERPT = 2000
EXCHANGES_KEPT = 20


def _default_user_agent() -> str:
    return f"l10n_ar_tusfacturas/{__version__} python-requests/{requests.__version__}"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _cause_chain(exc: BaseException):
    """Yield ``exc`` and everything it wraps (args, reason, cause, context)."""
    seen = set()
    todo = [exc]
    while todo:
        current = todo.pop()
        # Not an exception: None, or ssl.SSLError's ``reason`` (a string).
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.append(getattr(current, "reason", None))
        todo.append(current.__cause__)
        todo.append(current.__context__)
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))


def _is_not_sent(exc: requests.ConnectionError) -> bool:
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.ProxyError):
        return True
    chain = list(_cause_chain(exc))
    if isinstance(exc, requests.exceptions.SSLError):
        # urllib3 reports a TLS error the same way during the handshake and
        # while the answer is read; only a refused certificate is surely
        # before the request left.
        return any(isinstance(e, ssl.SSLCertVerificationError) for e in chain)
    if any(isinstance(e, ProtocolError) for e in chain):
        return False
    return any(isinstance(e, NewConnectionError | ConnectTimeoutError) for e in chain)


def _host_text(url: str) -> str:
    """Scheme, host and port of ``url``: what may be logged (no path, no query)."""
    scheme, host, port = _origin(url)
    return f"{scheme}://{host}:{port}" if host else "(no host)"


def _is_tusfacturas_https(url: str) -> bool:
    scheme, host, _port = _origin(url)
    return scheme == "https" and any(
        host == domain or host.endswith("." + domain) for domain in PDF_DOMAINS
    )


def _is_not_found(error: TusFacturasRejected) -> bool:
    text = " ".join(error.messages).lower()
    return any(marker in text for marker in _NOT_FOUND_MARKERS)


class TusFacturasClient:
    """Client of one TusFacturas CUIT account (apikey + apitoken + usertoken)."""

    def __init__(  # noqa: PLR0917 - public signature
        self,
        apikey,
        apitoken,
        usertoken,
        base_url=DEFAULT_BASE_URL,
        connect_timeout=10.0,
        read_timeout=120.0,
        lookup_timeout=30.0,
        retries=3,
        backoff_factor=0.5,
        user_agent=None,
        pdf_hosts=(),
    ):
        self._credentials = {
            "apikey": str(apikey or ""),
            "apitoken": str(apitoken or ""),
            "usertoken": str(usertoken or ""),
        }
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        # Read-only requests answer fast (and are retried): no need to wait
        # as long as for an issuing request, which AFIP may take 90 s to grant.
        self.lookup_timeout = min(float(lookup_timeout), self.read_timeout)
        self.user_agent = user_agent or _default_user_agent()
        # Extra origins ("http://localhost:8071") the PDF may come from: only for
        # a local sandbox serving PDFs apart from its API; empty in production.
        self.pdf_origins = frozenset(
            _origin(url) for url in pdf_hosts or () if _origin(url)[1]
        )
        # One dict per request sent since the last take_exchanges() (the last
        # EXCHANGES_KEPT only, so a long-lived client does not grow).
        self.exchanges: deque[dict] = deque(maxlen=EXCHANGES_KEPT)
        headers = {
            "User-Agent": self.user_agent,
            "Accept": "application/json",
        }
        retry = Retry(
            total=retries,
            backoff_factor=backoff_factor,
            status_forcelist=(500, 502, 503, 504),
            # POST is retried only on this session, used for read-only endpoints.
            allowed_methods=frozenset({"POST", "GET"}),
            raise_on_status=False,
        )
        self._safe_session = requests.Session()
        self._safe_session.headers.update(headers)
        self._safe_session.mount("https://", HTTPAdapter(max_retries=retry))
        self._safe_session.mount("http://", HTTPAdapter(max_retries=retry))
        self._unsafe_session = requests.Session()
        self._unsafe_session.headers.update(headers)
        self._unsafe_session.mount("https://", HTTPAdapter(max_retries=0))
        self._unsafe_session.mount("http://", HTTPAdapter(max_retries=0))

    def __repr__(self) -> str:
        return f"<TusFacturasClient base_url={self.base_url!r}>"

    def close(self) -> None:
        self._safe_session.close()
        self._unsafe_session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # ------------------------------------------------------------------
    # The choke point
    # ------------------------------------------------------------------
    def _read_timeout(self, safe: bool) -> float:
        return self.lookup_timeout if safe else self.read_timeout

    def _redact(self, text: str) -> str:
        for key in ("apitoken", "usertoken"):
            secret = self._credentials[key]
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return text

    def _send(self, method: str, url: str, *, safe: bool, label: str, **kwargs):
        session = self._safe_session if safe else self._unsafe_session
        start = time.monotonic()
        try:
            response = session.request(
                method,
                url,
                timeout=(self.connect_timeout, self._read_timeout(safe)),
                verify=True,
                allow_redirects=False,
                **kwargs,
            )
        except requests.ConnectionError as exc:
            duration = time.monotonic() - start
            _logger.debug("%s %s failed after %.3fs", method, label, duration)
            kind = type(exc).__name__
            if _is_not_sent(exc):
                raise TusFacturasNotSent(
                    f"Could not connect to TusFacturas ({label}): {kind}. "
                    "Nothing was sent; it is safe to try again.",
                    code="not_sent",
                ) from None
            if any(isinstance(e, ReadTimeoutError) for e in _cause_chain(exc)):
                raise TusFacturasOutcomeUnknown(
                    f"TusFacturas did not answer {label} within "
                    f"{self._read_timeout(safe):g} seconds; the request may have been "
                    "processed.",
                    code="timeout",
                ) from None
            raise TusFacturasOutcomeUnknown(
                f"The connection to TusFacturas was lost during {label} ({kind}); "
                "the request may have been processed.",
                code="connection",
            ) from None
        except requests.Timeout:
            duration = time.monotonic() - start
            _logger.debug("%s %s timed out after %.3fs", method, label, duration)
            raise TusFacturasOutcomeUnknown(
                f"TusFacturas did not answer {label} within "
                f"{self._read_timeout(safe):g} "
                "seconds; the request may have been processed.",
                code="timeout",
            ) from None
        except requests.RequestException as exc:
            raise TusFacturasOutcomeUnknown(
                f"The request {label} to TusFacturas failed ({type(exc).__name__}); "
                "it may have been processed.",
                code="connection",
            ) from None
        _logger.debug(
            "%s %s -> HTTP %s in %.3fs",
            method,
            label,
            response.status_code,
            time.monotonic() - start,
        )
        return response

    def _check_status(self, response, label: str) -> None:
        status = response.status_code
        if status >= 500:
            raise TusFacturasOutcomeUnknown(
                f"TusFacturas answered {label} with HTTP error {status}; "
                "the request may have been processed.",
                code="http_error",
                status_code=status,
            )
        if status in NOT_PROCESSED_STATUSES:
            # The docs' RATE LIMIT: 429 means too many requests per second;
            # 408: the server gave up receiving it. Not processed: try later.
            raise TusFacturasNotSent(
                f"TusFacturas did not process {label} (HTTP {status}: "
                f"{NOT_PROCESSED_STATUSES[status]}). Nothing was issued; it is "
                "safe to try again later.",
                code=f"http_{status}",
            )
        if status >= 400:
            raise TusFacturasRejected(
                [f"TusFacturas refused {label} with HTTP status {status}."],
                error_codes=[f"HTTP-{status}"],
                status_code=status,
            )
        if status >= 300 or status < 200:
            raise TusFacturasOutcomeUnknown(
                f"TusFacturas answered {label} with unexpected HTTP status {status}.",
                code="invalid_response",
                status_code=status,
            )

    def _post_raw(self, endpoint: str, body: dict, *, safe: bool) -> dict:
        """POST and return the normalised answer, without looking at ``error``."""
        endpoint = endpoint.strip("/")
        exchange = {"endpoint": endpoint, "request": _without_credentials(body)}
        self.exchanges.append(exchange)
        payload = self._with_credentials(body)
        try:
            response = self._send(
                "POST",
                f"{self.base_url}/{endpoint}",
                safe=safe,
                label=endpoint,
                json=payload,
            )
        except TusFacturasError as error:
            exchange["error"] = str(error)
            raise
        exchange["status"] = response.status_code
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            exchange["response"] = data  # redacted by take_exchanges()
        else:
            exchange["response_text"] = self._redact(response.text[:_EXCERPT])
        self._check_status(response, endpoint)
        if not isinstance(data, dict):
            raise TusFacturasOutcomeUnknown(
                f"TusFacturas answered {endpoint} with something that is not a JSON "
                "object (an HTML error page?); the request may have been processed.",
                code="invalid_response",
                status_code=response.status_code,
            )
        return normalize_response(data)

    def _with_credentials(self, body: dict) -> dict:
        """``body`` as sent: the credentials at its top and in every item of a
        lote's ``requests`` (``facturacion/lotes`` and ``lotes_encola``).

        The 2022 lotes page validates them per item: "Las credenciales de
        acceso enviadas en cada request deben corresponder con las suyas", and
        its example repeats "apitoken", "apikey" and "usertoken" inside each
        request. The current lotes pages say each "{objeto_comprobante}" "debe
        ser acorde a los siguientes tipos de comprobante a generar, incluyendo
        todos sus campos", and those pages' examples start with "usertoken",
        "apikey" and "apitoken". Never stored: see :func:`_without_credentials`.
        """
        payload = dict(body or {})
        items = payload.get("requests")
        if isinstance(items, list):
            payload["requests"] = [
                {**item, **self._credentials} if isinstance(item, dict) else item
                for item in items
            ]
        payload.update(self._credentials)
        return payload

    def _redact_answer(self, data: dict) -> dict:
        """``data`` without credential keys nor token values (a JSON copy)."""
        text = self._redact(json.dumps(_without_credentials(data), default=str))
        return json.loads(text)

    def take_exchanges(self) -> list[dict]:
        """What was sent and received since the last call (credentials removed).

        Each item: ``endpoint``, ``request`` (the body), and ``status`` plus
        ``response`` (the JSON answer as received) or ``response_text`` (an
        excerpt of a non-JSON answer), or ``error`` when nothing came back.
        """
        exchanges = list(self.exchanges)
        self.exchanges.clear()
        for exchange in exchanges:
            if "response" in exchange:
                exchange["response"] = self._redact_answer(exchange["response"])
        return exchanges

    def _raise_for_error(self, data: dict, *, issuing: bool = False) -> None:
        """Raise the typed error an ``error`` = "S" answer means.

        ``issuing``: the request could have issued a comprobante, so an answer
        that does not prove a refusal (ARCA to blame, or a failure nobody
        recognises without a TusFacturas validation code, see :mod:`.errors`)
        means the outcome is unknown.
        """
        if str(data.get("error") or "").upper() != "S":
            return
        messages = [self._redact(str(m)) for m in data.get("errores") or []]
        details = [d for d in data.get("error_details") or [] if isinstance(d, dict)]
        codes = [str(d.get("code")) for d in details if d.get("code")]
        extra = [REQUIRES_FCE_TEXT] if requires_fce(data) else []
        meaning = classify([*messages, *extra], codes)
        if (
            issuing
            and meaning.kind == OUTCOME_UNKNOWN
            and not data.get("mantenimiento")
        ):
            raise TusFacturasAfipError(
                messages,
                error_codes=codes,
                details=details,
                response=data,
                hints=meaning.hints,
            )
        if data.get("mantenimiento"):
            until = data.get("mantenimiento_hasta")
            until = parse_date(until) if isinstance(until, str) else until
            raise TusFacturasMaintenance(
                messages,
                until=until if hasattr(until, "hour") else None,
                error_codes=codes,
                details=details,
                response=data,
            )
        raise TusFacturasRejected(
            messages,
            error_codes=codes,
            details=details,
            response=data,
            hints=meaning.hints if meaning.kind == REJECTED else [],
            keys=meaning.keys if meaning.kind == REJECTED else [],
        )

    def _post(self, endpoint: str, body: dict, *, safe: bool, issuing=False) -> dict:
        """POST ``body`` (credentials added) and return the normalised answer.

        Raises :class:`TusFacturasRejected` (or ``TusFacturasMaintenance``)
        when the answer says ``error`` = "S" (``TusFacturasAfipError`` when
        ``issuing`` and ARCA is to blame), and a transport error otherwise.
        """
        data = self._post_raw(endpoint, body, safe=safe)
        self._raise_for_error(data, issuing=issuing)
        return data

    # ------------------------------------------------------------------
    # Issuing
    # ------------------------------------------------------------------
    def issue(self, payload: dict) -> Comprobante:
        """Issue one comprobante (``facturacion/nuevo``). Never retried."""
        data = self._post("facturacion/nuevo", payload, safe=False, issuing=True)
        return Comprobante.from_issue_response(data, payload)

    def issue_batch(self, comprobantes: list[dict]) -> list:
        """Issue up to 20 comprobantes of one type (``facturacion/lotes``).

        Returns one result per request, in the requests' order (answers are
        paired by ``external_reference``, see :func:`pair_answers`): a
        ``Comprobante`` for each accepted item, a ``TusFacturasRejected`` for
        each rejected one (``TusFacturasAfipError`` when ARCA is to blame: the
        outcome is unknown) and None for a request the answer does not account
        for (outcome unknown too). Raises ``TusFacturasRejected`` when the
        whole batch was refused.
        """
        items = self._check_batch(comprobantes, BATCH_LIMIT)
        data = self._post_raw("facturacion/lotes", {"requests": items}, safe=False)
        return self._batch_results(data, items)

    def _check_batch(self, comprobantes, limit: int) -> list[dict]:
        items = list(comprobantes or [])
        if not items:
            raise ValueError("A batch needs at least one comprobante.")
        if len(items) > limit:
            raise ValueError(
                f"A batch holds at most {limit} comprobantes, got {len(items)}."
            )
        return items

    def _batch_results(self, data: dict, items: list[dict]) -> list:
        answers = data.get("response")
        if str(data.get("error") or "").upper() == "S" and not answers:
            self._raise_for_error(data, issuing=True)
        if not isinstance(answers, list):
            raise TusFacturasOutcomeUnknown(
                "TusFacturas answered the batch without a list of results.",
                code="invalid_response",
            )
        results = []
        refused = False
        for request, answer in zip(items, pair_answers(answers, items), strict=True):
            if answer is None:
                results.append(None)  # not accounted for: outcome unknown
                continue
            if str(answer.get("error") or "").upper() != "S":
                results.append(Comprobante.from_issue_response(answer, request))
                continue
            # The docs: once one is refused, "ese comprobante y los siguientes
            # vendran rechazados" (their generic "Cod: 0" is a consequence).
            try:
                self._raise_for_error(answer, issuing=not refused)
            except (TusFacturasRejected, TusFacturasAfipError) as error:
                refused = refused or isinstance(error, TusFacturasRejected)
                results.append(error)
        return results

    # ------------------------------------------------------------------
    # Asynchronous queue
    # ------------------------------------------------------------------
    def enqueue(self, payload: dict) -> dict:
        """Queue one comprobante (``facturacion/nuevo_encola``). Never retried.

        The payload needs ``comprobante.external_reference`` and ``numero`` 0;
        the number and CAE are known later (``queue_status``).
        """
        comprobante = (payload or {}).get("comprobante") or {}
        if not str(comprobante.get("external_reference") or "").strip():
            raise ValueError("Queued comprobantes need an external_reference.")
        return self._post("facturacion/nuevo_encola", payload, safe=False)

    def enqueue_batch(self, comprobantes: list[dict]) -> list:
        """Queue up to 100 comprobantes (``facturacion/lotes_encola``).

        Returns, in the requests' order (:func:`pair_answers`), one normalised
        answer dict per accepted item, a ``TusFacturasRejected`` per refused
        one and None for a request the answer does not account for.
        """
        items = self._check_batch(comprobantes, QUEUED_BATCH_LIMIT)
        data = self._post_raw(
            "facturacion/lotes_encola", {"requests": items}, safe=False
        )
        answers = data.get("response")
        if str(data.get("error") or "").upper() == "S" and not answers:
            self._raise_for_error(data)
        results = []
        for answer in pair_answers(answers or [], items):
            if answer is None:
                results.append(None)  # not accounted for: outcome unknown
                continue
            try:
                self._raise_for_error(answer)
            except TusFacturasRejected as error:
                results.append(error)
            else:
                results.append(answer)
        return results

    def queue_status(self, external_reference: str) -> list[Comprobante]:
        """Every comprobante (queued or issued) with this external reference."""
        return self.search_comprobantes(external_reference=external_reference)

    def queue_delete(self, external_reference: str, fecha) -> dict:
        """Remove a queued comprobante (``facturacion/eliminar_encolado``);
        ``TusFacturasRejected`` unless every one under the reference went."""
        body = {"external_reference": external_reference, "fecha": _date_text(fecha)}
        data = self._post("facturacion/eliminar_encolado", body, safe=False)
        if str(data.get("error") or "").upper() == "PARCIAL":
            # Another comprobante under this reference could not be deleted
            # (the page's "éxito parcial"): it is still there, not a success.
            raise TusFacturasRejected(
                [self._redact(str(m)) for m in data.get("errores") or []],
                response=data,
            )
        return data

    def queue_change_date(self, external_reference: str, fecha, vencimiento) -> dict:
        """Change the date of a queued comprobante (``cambiar_fecha_encolado``)."""
        body = {
            "external_reference": external_reference,
            "fecha": _date_text(fecha),
            "vencimiento": _date_text(vencimiento),
        }
        return self._post("facturacion/cambiar_fecha_encolado", body, safe=False)

    def queue_retry(self, external_reference: str) -> dict:
        """Send a queued comprobante in error back to processing."""
        body = {"external_reference": external_reference}
        return self._post("facturacion/reenviar_encolado", body, safe=False)

    # ------------------------------------------------------------------
    # Queries (safe: retried)
    # ------------------------------------------------------------------
    def next_number(self, tipo: str, punto_venta: int) -> int:
        """The next number TusFacturas will give to ``tipo`` on ``punto_venta``."""
        body = {
            "comprobante": {
                "tipo": tipo,
                "operacion": "V",
                "punto_venta": str(int(punto_venta)),
            }
        }
        data = self._post("facturacion/numeracion", body, safe=True)
        numero = (data.get("comprobante") or {}).get("numero")
        if not isinstance(numero, int):
            raise TusFacturasOutcomeUnknown(
                "TusFacturas answered facturacion/numeracion without a number.",
                code="invalid_response",
            )
        return numero

    def get_comprobante(
        self, tipo: str, punto_venta: int, numero: int
    ) -> Comprobante | None:
        """The comprobante ``tipo`` ``punto_venta``-``numero``, or None."""
        body = {
            "comprobante": {
                "tipo": tipo,
                "operacion": "V",
                "punto_venta": str(int(punto_venta)),
                "numero": str(int(numero)),
            }
        }
        try:
            data = self._post("facturacion/consulta", body, safe=True)
        except TusFacturasMaintenance:
            raise
        except TusFacturasRejected as error:
            if _is_not_found(error):
                return None
            raise
        if not data.get("comprobante"):
            return None
        return Comprobante.from_query_response(data)

    def find_by_external_reference(self, external_reference: str) -> Comprobante | None:
        """The comprobante sent with exactly ``external_reference``, or None.

        An issued comprobante is preferred over a queued (or failed) one;
        check ``is_issued`` before adopting the result. Several issued ones
        raise :class:`TusFacturasSeveralUnderReference`: never silently one.
        """
        wanted = str(external_reference or "").strip()
        found = [
            c
            for c in self.search_comprobantes(external_reference=wanted)
            if wanted and c.external_reference == wanted
        ]
        if not found:
            return None
        issued = [c for c in found if not c.is_pending]
        if len(issued) > 1:
            raise TusFacturasSeveralUnderReference(
                wanted, [f"{c.tipo} {c.punto_venta:05d}-{c.numero:08d}" for c in issued]
            )
        return (issued or found)[0]

    def search_comprobantes(
        self, busqueda_tipo=None, *, pagina=0, limite=100, operacion="V", **criteria
    ) -> list[Comprobante]:
        """``facturacion/consulta_avanzada``.

        ``busqueda_tipo`` is "EXT_REF" (``external_reference=``), "F"
        (``fecha=``) or "TN" (``tipo=, punto_venta=, numero_desde=,
        numero_hasta=``); inferred from the criteria when omitted. Dates may
        be ``date`` objects.
        """
        if busqueda_tipo is None:
            if "external_reference" in criteria:
                busqueda_tipo = "EXT_REF"
            elif "fecha" in criteria:
                busqueda_tipo = "F"
            else:
                busqueda_tipo = "TN"
        comprobante = {"operacion": operacion}
        for key, value in criteria.items():
            text = format_date(value) if hasattr(value, "strftime") else value
            comprobante[key] = text if isinstance(text, str) else str(text)
        body = {
            "busqueda_tipo": busqueda_tipo,
            "pagina": int(pagina),
            "limite": int(limite),
            "comprobante": comprobante,
        }
        try:
            data = self._post("facturacion/consulta_avanzada", body, safe=True)
        except TusFacturasMaintenance:
            raise
        except TusFacturasRejected as error:
            if _is_not_found(error):
                return []
            raise
        items = data.get("comprobantes") or []
        return [
            Comprobante.from_query_response(i) for i in items if isinstance(i, dict)
        ]

    def service_status(self) -> dict:
        """``estado_servicios/alertas``: ``facturacion`` is "OK" when AFIP works.

        The docs' incident answer is ``"error": "S"`` with the incident in
        ``facturacion`` (``"rta": "ERROR"``): it is returned, not raised, so
        the caller shows the incident. An error without ``facturacion`` (bad
        credentials) or a maintenance window still raises.
        """
        data = self._post_raw("estado_servicios/alertas", {}, safe=True)
        incident = str(data.get("facturacion") or "").strip()
        if not incident or data.get("mantenimiento"):
            self._raise_for_error(data)
        return data

    def afip_info(self, cuit: str) -> dict:
        """Taxpayer data of ``cuit`` from the AFIP padrón (``clientes/afip-info``).

        A CUIT registered in no tax comes with its data and ``error`` "S" (the
        padrón page: "Si el CUIT no se encuentra inscripto en ningún impuesto,
        nuestra plataforma te devolverá los datos que ésta encuentra en AFIP,
        pero el campo "error" en "S", ya que no podemos determinar que la
        condición frente al IVA"): such an answer is returned, not raised, with
        ``error`` "S" and its ``errores``; the caller shows both. An error
        answer without data raises, as everywhere.
        """
        number = validate_cuit(cuit)
        body = {"cliente": {"documento_nro": number, "documento_tipo": "CUIT"}}
        data = self._post_raw("clientes/afip-info", body, safe=True)
        if data.get("mantenimiento") or not _has_padron_data(data):
            self._raise_for_error(data)
        return data

    def customer_account(self, documento_tipo: str, documento_nro) -> dict:
        """Current account of a customer (``clientes/cuenta-corriente``)."""
        body = {
            "cliente": {
                "documento_tipo": documento_tipo,
                "documento_nro": str(documento_nro),
            }
        }
        return self._post("clientes/cuenta-corriente", body, safe=True)

    def arba_padron(self, cuit: str) -> dict:
        """ARBA perception/retention rates of ``cuit`` (``clientes/arba-padron``)."""
        number = validate_cuit(cuit)
        body = {"cliente": {"documento_nro": number, "documento_tipo": "CUIT"}}
        return self._post("clientes/arba-padron", body, safe=True)

    def _table(self, name: str, *extra: str) -> list[dict]:
        """``tablas_referencia/<name>`` rows as ``{"code", "name"}`` plus the
        ``extra`` keys an item carries (as text)."""
        data = self._post(f"tablas_referencia/{name}", {}, safe=True)
        return [
            {
                "code": str(item.get("id", "")),
                "name": str(item.get("descripcion", "")),
                **{key: str(item[key]) for key in extra if item.get(key) is not None},
            }
            for item in data.get("items") or []
            if isinstance(item, dict)
        ]

    def units_of_measure(self) -> list[dict]:
        return self._table("unidades_medida")

    def countries(self) -> list[dict]:
        return self._table("paises")

    def country_cuits(self) -> list[dict]:
        return self._table("cuit_pais")

    def incoterms(self) -> list[dict]:
        return self._table("incoterms")

    def vat_rates(self) -> list[dict]:
        return self._table("alicuotas_iva")

    def iva_conditions(self) -> list[dict]:
        return self._table("condiciones_iva")

    def currencies(self) -> list[dict]:
        return self._table("monedas")

    def perception_types(self) -> list[dict]:
        return self._table("tributos_percepciones_tipos")

    def perception_regimes(self) -> list[dict]:
        """Rows also carry the regime's perception ``tipo`` when TusFacturas
        gives it (the docs list it, without the answer's shape)."""
        return self._table("tributos_percepciones_regimenes", "tipo")

    def exchange_rate(self, currency: str, fecha=None) -> Decimal:
        """AFIP exchange rate of ``currency`` (TusFacturas code, e.g. "DOL")."""
        body = {"moneda": currency}
        if fecha is not None:
            body["fecha"] = _date_text(fecha)
        data = self._post("tablas_referencia/cotizacion", body, safe=True)
        rate = data.get("cotizacion")
        if not isinstance(rate, Decimal):
            raise TusFacturasOutcomeUnknown(
                "TusFacturas answered tablas_referencia/cotizacion without a rate.",
                code="invalid_response",
            )
        return rate

    def consumer_final_cap(self) -> Decimal:
        """AFIP's current cap (ARS) for a sale to an unidentified consumidor
        final (``facturacion/topecf``); above it the customer must be named."""
        data = self._post("facturacion/topecf", {}, safe=True)
        try:
            amount = Decimal(str(data.get("monto")))
        except ArithmeticError:
            amount = None
        if amount is None or not amount.is_finite() or amount <= 0:
            raise TusFacturasOutcomeUnknown(
                "TusFacturas answered facturacion/topecf without an amount.",
                code="invalid_response",
            )
        return amount

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------
    def download_pdf(self, url: str) -> bytes:
        """Download a comprobante PDF from TusFacturas' own hosts.

        Accepted: HTTPS on :data:`PDF_DOMAINS` (and subdomains), the API's own
        origin, and the ``pdf_hosts`` origins. Redirects are followed (at most
        :data:`PDF_MAX_REDIRECTS`) only to such URLs. The answer must start
        with ``%PDF`` and hold at most :data:`PDF_MAX_BYTES`.
        """
        url = (url or "").strip()
        for _hop in range(PDF_MAX_REDIRECTS + 1):
            self._check_pdf_url(url)
            response = self._send(
                "GET", url, safe=True, label="comprobante PDF", stream=True
            )
            try:
                location = response.headers.get("Location")
                if response.is_redirect and location:
                    url = requests.compat.urljoin(url, location)
                    continue
                self._check_status(response, "comprobante PDF")
                return self._read_pdf(response)
            finally:
                response.close()
        raise TusFacturasOutcomeUnknown(
            "TusFacturas redirected the comprobante PDF too many times.",
            code="invalid_response",
        )

    def pdf_url_allowed(self, url: str) -> bool:
        """True when :meth:`download_pdf` may fetch ``url``."""
        origin = _origin(url)
        if not origin[1]:
            return False
        return (
            _is_tusfacturas_https(url)
            or origin == _origin(self.base_url)
            or origin in self.pdf_origins
        )

    def _check_pdf_url(self, url: str) -> None:
        if self.pdf_url_allowed(url):
            return
        host = _host_text(url)
        _logger.warning("TusFacturas: refused to download a PDF from %s", host)
        raise TusFacturasForbiddenURL(
            f"Refused to download the PDF from {host}: only HTTPS on "
            f"{', '.join(PDF_DOMAINS)} or the API's own host is accepted."
        )

    def _read_pdf(self, response) -> bytes:
        declared = response.headers.get("Content-Length") or ""
        if declared.isdigit() and int(declared) > PDF_MAX_BYTES:
            raise self._pdf_too_large()
        content = bytearray()
        for chunk in response.iter_content(chunk_size=64 * 1024):
            content += chunk
            if len(content) > PDF_MAX_BYTES:
                raise self._pdf_too_large()
        if not content.startswith(b"%PDF"):
            raise TusFacturasOutcomeUnknown(
                "TusFacturas did not return a PDF file for the comprobante.",
                code="invalid_response",
                status_code=response.status_code,
            )
        return bytes(content)

    @staticmethod
    def _pdf_too_large():
        return TusFacturasOutcomeUnknown(
            f"The comprobante PDF is larger than {PDF_MAX_BYTES // (1024 * 1024)} "
            "MB; it was not downloaded.",
            code="invalid_response",
        )


def flatten_answers(answers) -> list[dict]:
    """The items of a ``lotes`` answer as one flat list.

    The docs show both shapes: the partial-failure example lists the items
    in ``response``; the success example nests them one level deeper, in the
    ``response`` of a wrapper item that has no ``cae`` nor ``comprobante_nro``.
    """
    flat = []
    for answer in answers or []:
        if not isinstance(answer, dict):
            continue
        inner = answer.get("response")
        wrapper = not answer.get("cae") and not answer.get("comprobante_nro")
        if wrapper and isinstance(inner, list):
            flat.extend(flatten_answers(inner))
        else:
            flat.append(answer)
    return flat


def pair_answers(answers, items: list[dict]) -> list[dict | None]:
    """Each request's answer, in the requests' order (None: not answered).

    The docs do not promise the answer keeps the requests' order (the queued
    lotes answer a failed row 0 last), so an answer goes to the request with
    its ``external_reference``; only an answer without one is taken by its
    position. An answer whose reference matches no request is not used: the
    request it may belong to stays unanswered, its outcome unknown.
    """
    wanted = {}
    for index, item in enumerate(items):
        reference = _reference((item or {}).get("comprobante"))
        if reference:
            wanted.setdefault(reference, index)
    paired: list[dict | None] = [None] * len(items)
    for position, answer in enumerate(flatten_answers(answers)):
        reference = _reference(answer)
        index = wanted.get(reference) if reference else position
        if index is None:
            _logger.warning(
                "TusFacturas answered a lote with an external reference that "
                "matches none of its requests; their outcome is unknown."
            )
            continue
        if index < len(items) and paired[index] is None:
            paired[index] = answer
    return paired


def _has_padron_data(data: dict) -> bool:
    """The ``clientes/afip-info`` answer carries a taxpayer's data."""
    return any(str(data.get(key) or "").strip() for key in _PADRON_DATA_KEYS)


def _reference(data) -> str:
    return str((data or {}).get("external_reference") or "").strip()


def _without_credentials(data) -> dict:
    """``data`` without the credential keys, at its top and in the items of a
    lote's ``requests`` (where :meth:`TusFacturasClient._with_credentials`
    puts them too)."""
    clean = {
        key: value
        for key, value in dict(data or {}).items()
        if key not in _CREDENTIAL_KEYS
    }
    items = clean.get("requests")
    if isinstance(items, list):
        clean["requests"] = [
            _without_credentials(item) if isinstance(item, dict) else item
            for item in items
        ]
    return clean


def _date_text(value) -> str:
    if hasattr(value, "strftime"):
        return format_date(value)
    return str(value or "")


__all__ = [
    "BATCH_LIMIT",
    "DEFAULT_BASE_URL",
    "QUEUED_BATCH_LIMIT",
    "TusFacturasClient",
    "TusFacturasError",
]
