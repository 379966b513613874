"""Small parsing and formatting helpers shared by the endpoint modules."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def fmt(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(value) -> date | None:
    text = str(value or "").strip()
    if not DATE_RE.match(text):
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def dec(value, default=None) -> Decimal | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return None
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def to_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def letter(tipo: str) -> str:
    return tipo.strip()[-1:]


def is_note(tipo: str) -> bool:
    return "NOTA DE CREDITO" in tipo or "NOTA DE DEBITO" in tipo


def is_fce(tipo: str) -> bool:
    return "MiPyME" in tipo


def num(value: Decimal | None):
    """Decimal -> JSON number (as the consulta answers show)."""
    if value is None:
        return 0
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def barcode(cuit: str, tipo_code: int, pv: int, cae: str, due: date | None) -> str:
    if not due:
        return ""
    digits = f"{cuit}{tipo_code:03d}{pv:05d}{cae}{due:%Y%m%d}"
    odd = sum(int(d) for d in digits[0::2])
    even = sum(int(d) for d in digits[1::2])
    check = (10 - (odd * 3 + even) % 10) % 10
    return digits + str(check)


def ext_ref(body) -> str:
    comp = body.get("comprobante") if isinstance(body, dict) else None
    return (
        str((comp or {}).get("external_reference") or "")
        if isinstance(comp, dict)
        else ""
    )
