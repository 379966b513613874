"""Normalisation of TusFacturas answers and formatting of request values.

TusFacturas answers with strings padded by spaces (``cae``, ``afip_qr``...),
dates as ``dd/mm/yyyy`` and numbers as strings or JSON numbers. The helpers
here turn an answer into plain Python values for an explicit set of keys,
and build the ``Comprobante`` value object the rest of the addon uses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

DATE_KEYS = frozenset(
    {
        "fecha",
        "vencimiento",
        "vencimiento_cae",
        "cae_vencimiento",
        "vencimiento_pago",
        "periodo_facturado_desde",
        "periodo_facturado_hasta",
        "comprobante_fecha",
        "fecha_desde",
        "fecha_hasta",
        "fecha_pago",
        "creado",
        "mantenimiento_hasta",
    }
)
DECIMAL_KEYS = frozenset(
    {
        "total",
        "bonificacion",
        "bonificacion_porcentaje",
        "percepciones_iibb",
        "percepciones_iva",
        "exentos",
        "nogravados",
        "impuestos_internos",
        "impuestos_internos_base",
        "impuestos_internos_alicuota",
        "cotizacion",
        "cantidad",
        "precio_unitario",
        "precio_unitario_sin_iva",
        "precio_total",
        "alicuota",
        "base_imponible",
        "importe",
        "subtotal_1",
        "subtotal_2",
        "subtotal_3",
        "iva_alicuota",
        "iva_alicuota_2",
        "iva_alicuota_3",
        "debe",
        "haber",
        "saldo",
        "resta_abonar_de_este_comprobante",
        "alicuota_percepcion",
        "alicuota_retencion",
    }
)
INT_KEYS = frozenset(
    {
        "numero",
        "punto_venta",
        "numero_desde",
        "numero_hasta",
        "procesados_cant",
        "mantenimiento",
    }
)

_DATE_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_DATETIME_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?$")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
_RTA_RE = re.compile(
    r"El comprobante\s+(?P<tipo>[A-Za-z ()]+?)\s+(?P<pv>\d{1,5})-(?P<nro>\d{1,8})\b"
)
_NRO_RE = re.compile(r"^(?P<pv>\d{1,5})-(?P<nro>\d{1,8})$")
CENT = Decimal("0.01")
# The docs' example of an unreal point of sale for tests ("un punto de venta
# (PDV) irreal (Ej: 679)"): TusFacturas answers it without a CAE.
TESTING_POINT_OF_SALE = 679


def parse_date(value: Any) -> date | datetime | Any | None:  # noqa: PLR0911
    """``dd/mm/yyyy`` -> date, ``dd/mm/yyyy HH:MM`` -> datetime, "" -> None.

    Anything else is returned unchanged.
    """
    if isinstance(value, date) or value is None:
        return value
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    match = _DATE_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _DATETIME_RE.match(text)
        if match:
            day, month, year, hour, minute = (int(g) for g in match.groups()[:5])
            second = int(match.group(6) or 0)
            return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return value
    return value


def to_decimal(value: Any) -> Decimal | Any | None:  # noqa: PLR0911
    """Numeric string / int / float -> Decimal; "" -> None; else unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if _NUMBER_RE.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # pragma: no cover - regex guards this
                return value
    return value


def to_int(value: Any) -> int | Any | None:
    """Numeric string ("00010") / int / integral float -> int; "" -> None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.lstrip("-").isdigit():
            return int(text)
    return value


def _normalize_value(key: str | None, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normalize_value(k, v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normalize_value(key, v) for v in value]
        if key == "errores":
            items = [v for v in items if not (isinstance(v, str) and not v)]
        return items
    if isinstance(value, str):
        value = value.strip()
    if key in DATE_KEYS:
        return parse_date(value)
    if key in INT_KEYS:
        return to_int(value)
    if key in DECIMAL_KEYS:
        return to_decimal(value)
    return value


def normalize_response(data: dict) -> dict:
    """Return a normalised deep copy of a TusFacturas answer.

    Strings are stripped; known date keys become ``date`` (or ``datetime``),
    known amount keys ``Decimal`` and known integer keys ``int``; empty
    strings in ``errores`` are dropped. Unknown keys are only stripped.
    """
    if not isinstance(data, dict):
        raise TypeError("A TusFacturas answer must be a JSON object")
    return _normalize_value(None, data)


def encode_text(text: str) -> str:
    """Escape a text for TusFacturas: ``%`` -> ``#&#``, line break -> ``#@#``."""
    if not text:
        return ""
    text = text.replace("%", "#&#")
    return text.replace("\r\n", "#@#").replace("\r", "#@#").replace("\n", "#@#")


def text_key(text: Any) -> str:
    """``text`` upper-case, without accents or punctuation, single-spaced.

    For matching AFIP's spellings ("CORDOBA") to Odoo's names ("Córdoba").
    """
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^A-Za-z0-9]+", " ", ascii_text).upper().split())


def round_amount(value: Any) -> Decimal:
    """Round half-even to 2 decimals."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def format_amount(value: Any) -> str:
    """Format an amount as TusFacturas expects: ``"1234.50"``."""
    return format(round_amount(value), "f")


def format_date(value: date) -> str:
    """Format a date as ``dd/mm/yyyy``."""
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Comprobante:
    """An issued (or queued) comprobante, as TusFacturas describes it."""

    tipo: str
    punto_venta: int
    numero: int
    cae: str
    cae_due_date: date | None
    fecha: date | None
    total: Decimal | None
    afip_qr: str
    afip_codigo_barras: str
    pdf_url: str
    external_reference: str
    raw: dict = field(repr=False, compare=False)
    status: str = ""
    # AFIP/ARCA's observations: approved, but observed ("observaciones" in an
    # issue answer, "afip_observaciones" in a query). "" when none.
    observations: str = ""
    customer_document_type: str = ""
    customer_document_number: str = ""

    @property
    def is_pending(self) -> bool:
        """True while the comprobante waits in the asynchronous queue (or
        failed there: status "ENVIADO A PROCESAR - CON ERROR")."""
        status = (self.status or "").upper()
        if status:
            return status != "EMITIDO"
        return not self.numero

    @property
    def is_failed(self) -> bool:
        """True for a queued comprobante whose processing ended in error."""
        return "ERROR" in (self.status or "").upper()

    @property
    def is_issued(self) -> bool:
        """True when the comprobante exists at AFIP (or was issued in testing
        mode): neither queued nor failed, and numbered."""
        return not self.is_pending and bool(self.numero)

    @property
    def is_testing(self) -> bool:
        """True for an answer without a CAE that is not queued: what a testing
        point of sale answers. On a real point of sale the same shape means
        the CAE was not read (the caller verifies it instead)."""
        return not self.cae and not self.is_pending

    @property
    def document_number(self) -> str:
        """``PPPPP-NNNNNNNN`` as printed on the comprobante."""
        return f"{self.punto_venta:05d}-{self.numero:08d}"

    @classmethod
    def from_issue_response(cls, data: dict, request: dict | None = None):
        """Build from a ``facturacion/nuevo`` answer (or a ``lotes`` item).

        ``data`` must be normalised; ``request`` is the ``{"cliente",
        "comprobante"}`` payload that was sent, used for what the answer
        lacks (type, number, date, total).
        """
        sent = normalize_response(request or {}).get("comprobante") or {}
        tipo = str(data.get("comprobante_tipo") or "").strip()
        punto_venta = numero = None
        nro = _NRO_RE.match(str(data.get("comprobante_nro") or "").strip())
        if nro:
            punto_venta, numero = int(nro["pv"]), int(nro["nro"])
        rta = _RTA_RE.search(str(data.get("rta") or ""))
        if rta:
            tipo = tipo or rta["tipo"].strip()
            if numero is None:
                punto_venta, numero = int(rta["pv"]), int(rta["nro"])
        if not tipo:
            tipo = str(sent.get("tipo") or "")
        if punto_venta is None:
            punto_venta = _int_or_zero(sent.get("punto_venta"))
        if not numero:
            numero = _int_or_zero(sent.get("numero")) or (numero or 0)
        due = data.get("vencimiento_cae") or data.get("cae_vencimiento")
        cliente = normalize_response(request or {}).get("cliente") or {}
        return cls(
            tipo=tipo,
            punto_venta=punto_venta,
            numero=numero,
            cae=str(data.get("cae") or ""),
            cae_due_date=due if isinstance(due, date) else None,
            fecha=_as_date(data.get("fecha") or sent.get("fecha")),
            total=_as_decimal(data.get("total", sent.get("total"))),
            afip_qr=str(data.get("afip_qr") or ""),
            afip_codigo_barras=str(data.get("afip_codigo_barras") or ""),
            pdf_url=str(data.get("comprobante_pdf_url") or ""),
            external_reference=str(
                data.get("external_reference") or sent.get("external_reference") or ""
            ),
            raw=data,
            status=str(data.get("status") or ""),
            observations=observations_text(data.get("observaciones")),
            customer_document_type=str(cliente.get("documento_tipo") or ""),
            customer_document_number=str(cliente.get("documento_nro") or ""),
        )

    @classmethod
    def from_query_response(cls, data: dict):
        """Build from a ``consulta`` answer or a ``consulta_avanzada`` item.

        Both have the shape ``{"cliente": {...}, "comprobante": {...}}``;
        ``data`` must be normalised.
        """
        comp = data.get("comprobante") or {}
        cliente = data.get("cliente") or {}
        due = comp.get("vencimiento_cae")
        return cls(
            tipo=str(comp.get("tipo") or ""),
            punto_venta=_int_or_zero(comp.get("punto_venta")),
            numero=_int_or_zero(comp.get("numero")),
            cae=str(comp.get("cae") or ""),
            cae_due_date=due if isinstance(due, date) else None,
            fecha=_as_date(comp.get("fecha")),
            total=_as_decimal(comp.get("total")),
            afip_qr=str(comp.get("afip_qr") or ""),
            afip_codigo_barras=str(comp.get("afip_codigo_barras") or ""),
            pdf_url=str(comp.get("comprobante_pdf_url") or ""),
            external_reference=str(comp.get("external_reference") or "").strip(),
            raw=data,
            status=str(comp.get("status") or ""),
            observations=observations_text(
                comp.get("afip_observaciones") or comp.get("observaciones")
            ),
            customer_document_type=str(cliente.get("documento_tipo") or ""),
            customer_document_number=str(cliente.get("documento_nro") or ""),
        )

    def mismatches(self, payload: dict) -> list[tuple[str, str, str]]:
        """How this comprobante differs from the ``payload`` meant to issue it.

        Compares type (accent- and case-free), point of sale, total (to the
        cent) and the customer's document (digits); returns ``(field, found,
        expected)`` texts, empty when they agree. What the answer does not
        state is not compared.
        """
        sent = normalize_response(payload or {})
        comp, cliente = sent.get("comprobante") or {}, sent.get("cliente") or {}
        checks = [
            ("tipo", text_key(self.tipo), text_key(comp.get("tipo"))),
            ("punto_venta", str(self.punto_venta), str(comp.get("punto_venta"))),
            (
                "total",
                self.total is not None and format(round_amount(self.total), "f"),
                comp.get("total") is not None
                and format(round_amount(comp["total"]), "f"),
            ),
            (
                "documento_nro",
                _digits(self.customer_document_number),
                _digits(cliente.get("documento_nro")),
            ),
        ]
        return [
            (name, str(found), str(expected))
            for name, found, expected in checks
            if found and expected and found != expected
        ]


def observations_text(value: Any) -> str:
    """AFIP's observations as one text ("" when none); a list is joined."""
    if isinstance(value, list | tuple):
        value = "\n".join(str(v).strip() for v in value if str(v or "").strip())
    return str(value or "").strip()


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value or "")).lstrip("0")


def _int_or_zero(value: Any) -> int:
    value = to_int(value)
    return value if isinstance(value, int) else 0


def _as_date(value: Any) -> date | None:
    value = parse_date(value)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _as_decimal(value: Any) -> Decimal | None:
    value = to_decimal(value)
    return value if isinstance(value, Decimal) else None
