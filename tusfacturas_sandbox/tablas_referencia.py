"""``tablas_referencia/*``: TusFacturas' reference tables, canned from its docs.

Answer shape (documented on ``tablas_referencia/incoterms``): ``{"error": "N",
"errores": [""], "items": [{"id": ..., "descripcion": ...}]}``. The regimes of
``tributos_percepciones_regimenes`` also carry their ``tipo``. The cap of a sale
to an unidentified consumidor final is ``facturacion/topecf`` (``{"error": "N",
"errores": [], "monto": ...}``). ``SandboxServer.set_table`` replaces a table's
items, as if TusFacturas had changed it.
"""

from __future__ import annotations

from datetime import date

from . import canned
from .errors import E_CURRENCY, ApiError
from .util import parse_date


def _items(rows) -> dict:
    return {
        "error": "N",
        "errores": [""],
        "rta": "OK",
        "items": [{"id": code, "descripcion": name} for code, name in rows],
    }


def _overridable(name, canned_answer):
    """Serve the items set with ``SandboxServer.set_table(name, items)``, if any."""

    def answer(state, account, body, origin):
        with state.lock:
            items = state.table_overrides.get(name)
        if items is None:
            return canned_answer(state, account, body, origin)
        return {"error": "N", "errores": [""], "rta": "OK", "items": items}

    return answer


def _table(rows):
    def answer(state, account, body, origin):
        return _items(rows)

    return answer


def tributos_regimenes(state, account, body, origin):
    answer = _items((code, name) for code, _tipo, name in canned.TRIBUTO_REGIMES)
    for item, (_code, tipo, _name) in zip(
        answer["items"], canned.TRIBUTO_REGIMES, strict=True
    ):
        item["tipo"] = tipo
    return answer


def cotizacion(state, account, body, origin):
    currency = str(body.get("moneda") or "DOL").strip()
    rate = canned.EXCHANGE_RATES.get(currency)
    if rate is None:
        raise ApiError([(E_CURRENCY, f"La moneda '{currency}' no es valida.")])
    # 2024-10 cotizacion page: "no podrás consultar mas de 2 meses atras".
    day = parse_date(body.get("fecha")) if body.get("fecha") else None
    if day is not None and day < months_back(state.today or date.today(), 2):
        raise ApiError(
            [(E_CURRENCY, "No se puede consultar una cotizacion de mas de 2 meses.")]
        )
    return {"error": "N", "errores": [""], "cotizacion": f"{rate:.2f}"}


def months_back(day: date, months: int) -> date:
    """``day`` ``months`` calendar months earlier (the last day if shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in range(day.day, 0, -1):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def topecf(state, account, body, origin):
    return {"error": "N", "errores": [], "monto": canned.CONSUMIDOR_FINAL_CAP}


TABLES = {
    "unidades_medida": _table(canned.UNITS_OF_MEASURE),
    "paises": _table(canned.COUNTRIES),
    "cuit_pais": _table(canned.COUNTRY_CUITS),
    "incoterms": _table(canned.INCOTERMS),
    "alicuotas_iva": _table(canned.VAT_RATES_TABLE),
    "condiciones_iva": _table(canned.IVA_CONDITIONS),
    "monedas": _table(canned.CURRENCIES),
    "tributos_percepciones_tipos": _table(canned.TRIBUTO_TYPES),
    "tributos_percepciones_regimenes": tributos_regimenes,
}

ENDPOINTS = {
    **{
        f"tablas_referencia/{name}": _overridable(name, answer)
        for name, answer in TABLES.items()
    },
    "tablas_referencia/cotizacion": cotizacion,
    "facturacion/topecf": topecf,
}
