"""The AFIP QR code printed on electronic comprobantes (RG 4892).

The QR encodes ``https://www.afip.gob.ar/fe/qr/?p=<base64 of a JSON>``.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from datetime import date
from decimal import Decimal

import qrcode
from qrcode.image.pil import PilImage

AFIP_QR_URL = "https://www.afip.gob.ar/fe/qr/"
_PREFIX = AFIP_QR_URL + "?p="


def _number(value) -> int | float:
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def build_qr_url(
    *,
    fecha: date,
    cuit: int | str,
    pto_vta: int,
    tipo_cmp: int,
    nro_cmp: int,
    importe: Decimal,
    moneda: str,
    ctz: Decimal,
    tipo_doc_rec: int | None,
    nro_doc_rec: int | None,
    cod_aut: int | str,
    tipo_cod_aut: str = "E",
) -> str:
    """Return the AFIP QR URL for one comprobante."""
    payload = {
        "ver": 1,
        "fecha": fecha.strftime("%Y-%m-%d"),
        "cuit": int(cuit),
        "ptoVta": int(pto_vta),
        "tipoCmp": int(tipo_cmp),
        "nroCmp": int(nro_cmp),
        "importe": _number(importe),
        "moneda": moneda,
        "ctz": _number(ctz),
    }
    if tipo_doc_rec is not None and nro_doc_rec is not None:
        payload["tipoDocRec"] = int(tipo_doc_rec)
        payload["nroDocRec"] = int(nro_doc_rec)
    payload["tipoCodAut"] = tipo_cod_aut
    payload["codAut"] = int(cod_aut)
    data = json.dumps(payload, separators=(",", ":")).encode()
    return _PREFIX + base64.b64encode(data).decode("ascii")


def parse_qr_url(url: str) -> dict:
    """Decode an AFIP QR URL into its JSON fields; ``ValueError`` otherwise."""
    text = (url or "").strip()
    if not text.startswith(_PREFIX):
        raise ValueError(f"Not an AFIP QR URL: {text[:60]!r}")
    encoded = text[len(_PREFIX) :]
    encoded += "=" * (-len(encoded) % 4)
    try:
        payload = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(
            f"The AFIP QR payload is not valid base64 JSON: {exc}"
        ) from None
    if not isinstance(payload, dict) or "ver" not in payload:
        raise ValueError("The AFIP QR payload is not an AFIP QR JSON object")
    return payload


def qr_png(url: str) -> bytes:
    """Draw ``url`` as a QR code and return PNG bytes."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=4
    )
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
