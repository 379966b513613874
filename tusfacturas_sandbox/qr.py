"""The AFIP QR URL of an authorised comprobante (RG 4892), as AFIP defines it."""

from __future__ import annotations

import base64
import json
from decimal import Decimal

AFIP_QR_PREFIX = "https://www.afip.gob.ar/fe/qr/?p="


def _number(value):
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def qr_url(record, cuit: str, tipo_code: int, doc_code, *, moneda: str, ctz) -> str:
    """``https://www.afip.gob.ar/fe/qr/?p=<base64 JSON>`` for ``record``."""
    payload = {
        "ver": 1,
        "fecha": record.fecha.strftime("%Y-%m-%d"),
        "cuit": int(cuit),
        "ptoVta": int(record.punto_venta),
        "tipoCmp": int(tipo_code),
        "nroCmp": int(record.numero),
        "importe": _number(record.total),
        "moneda": moneda,
        "ctz": _number(ctz),
    }
    number = str(record.cliente.get("documento_nro") or "").strip()
    if doc_code is not None and number.isdigit():
        payload["tipoDocRec"] = int(doc_code)
        payload["nroDocRec"] = int(number)
    payload["tipoCodAut"] = "E"
    payload["codAut"] = int(record.cae)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return AFIP_QR_PREFIX + base64.b64encode(raw).decode()
