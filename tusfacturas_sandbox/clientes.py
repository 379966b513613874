"""Customers: the AFIP padrón, the cuenta corriente and ARBA's padrón."""

from __future__ import annotations

from decimal import Decimal

from . import canned
from .cuit import is_valid_cuit
from .errors import E_DOC_NUMBER, E_DOC_TYPE, E_PADRON, ApiError, error_answer
from .store import STATUS_ISSUED
from .util import fmt, num


def _cuit_from(body) -> str:
    cliente = body.get("cliente") or {}
    number = str(cliente.get("documento_nro") or "").strip()
    if not is_valid_cuit(number):
        raise ApiError([(E_DOC_NUMBER, "El Nro de documento enviado es invalido")])
    return number


def afip_info(state, account, body, origin):
    cuit = _cuit_from(body)
    if cuit in canned.PADRON_NO_TAX:
        # The page: its data, but "error" "S" (no VAT condition to tell).
        return {
            **error_answer([("", canned.PADRON_NO_TAX_TEXT)]),
            **canned.PADRON_NO_TAX[cuit],
        }
    data = canned.PADRON.get(cuit)
    if data is None:
        raise ApiError([(E_PADRON, "AFIP: No existe persona con ese Id")])
    return {"error": "N", "errores": [""], "rta": "OK", **data}


def cuenta_corriente(state, account, body, origin):
    cliente = body.get("cliente") or {}
    # cuenta-corriente page: "documento_tipo — Valores Permitidos: CUIT".
    if str(cliente.get("documento_tipo") or "").strip().upper() != "CUIT":
        raise ApiError([(E_DOC_TYPE, "El tipo de documento debe ser CUIT.")])
    number = str(cliente.get("documento_nro") or "").strip()
    if not number.isdigit():
        raise ApiError([(E_DOC_NUMBER, "El Nro de documento enviado es invalido")])
    results, balance = [], Decimal(0)
    with state.lock:
        records = [
            r
            for r in state.mine(account)
            if r.status == STATUS_ISSUED
            and str(r.cliente.get("documento_nro") or "").strip() == number
        ]
        for record in sorted(records, key=lambda r: (r.fecha, r.seq)):
            credit = "NOTA DE CREDITO" in record.tipo
            debe = Decimal(0) if credit else record.total
            haber = record.total if credit else Decimal(0)
            balance += debe - haber
            results.append(
                {
                    "fecha": fmt(record.fecha),
                    "concepto": f"{record.tipo} {record.punto_venta:05d}-"
                    f"{record.numero:08d} ({account.razon_social})",
                    "debe": num(debe),
                    "haber": num(haber),
                    "resta_abonar_de_este_comprobante": num(debe),
                    "saldo": num(balance),
                }
            )
    return {"error": "N", "errores": [""], "rta": "OK", "resultados": results}


def arba_padron(state, account, body, origin):
    data = canned.ARBA.get(_cuit_from(body))
    if data is None:
        raise ApiError(
            [(E_PADRON, "El CUIT enviado no se encuentra en el padron de ARBA.")]
        )
    return {"error": "N", "errores": [""], "rta": "OK", **data}


ENDPOINTS = {
    "clientes/afip-info": afip_info,
    "clientes/cuenta-corriente": cuenta_corriente,
    "clientes/arba-padron": arba_padron,
}
