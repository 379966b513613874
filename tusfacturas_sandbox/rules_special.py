"""Rules of the special blocks: notes, export (``fex``), FCE, ``tributos``."""

from __future__ import annotations

import re

from . import canned
from .errors import (
    E_AMOUNT,
    E_ASSOCIATED,
    E_DATE,
    E_EXPORT,
    E_FCE,
    E_REQUIRED,
    E_TRIBUTO,
)
from .util import dec, is_fce, is_note, letter, parse_date, to_int

MAX_ASSOCIATED = 10  # notes page: "Solo podras enviar hasta 10 comprobantes"
MAX_TRIBUTOS = 7  # ref: "El límite es de 7 percepciones por comprobante"
FCE_REGIME = "Factura de Crédito Electrónica MiPyMEs (FCE)"
CBU_RE = re.compile(r"^\d{22}$")
ALIAS_RE = re.compile(r"^[A-Za-z0-9.-]{6,20}$")
DESPACHO_RE = re.compile(r"^\d{5}[A-Z]{2}[A-Z0-9]{2}\d{6}[A-Z]$")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def validate(comp, cliente, tipo, *, state, account, queued, batch) -> list[tuple]:
    errors = _tributos(comp, tipo)
    errors += _rg5329(comp, cliente, tipo)
    errors += _notes(comp, tipo, state, account)
    if letter(tipo) == "E":
        errors += _export(comp, tipo, queued=queued, batch=batch)
    if is_fce(tipo):
        errors += _fce(comp, tipo)
    return errors


# -- tributos --------------------------------------------------------------
def _tributos(comp: dict, tipo: str) -> list[tuple]:
    """ref "tributos"; tablas tributos_percepciones_tipos / _regimenes."""
    tributos = comp.get("tributos")
    if tributos in (None, ""):
        return []
    if not isinstance(tributos, list):
        return [(E_TRIBUTO, "El bloque tributos debe ser una lista.")]
    if len(tributos) > MAX_TRIBUTOS:
        return [
            (E_TRIBUTO, f"Se permiten hasta {MAX_TRIBUTOS} tributos por comprobante.")
        ]
    types = {code for code, _name in canned.TRIBUTO_TYPES}
    regimes = {code: tipo_ for code, tipo_, _name in canned.TRIBUTO_REGIMES}
    errors = []
    for index, raw in enumerate(tributos, start=1):
        item = raw if isinstance(raw, dict) else {}
        kind, regime = _text(item.get("tipo")), _text(item.get("regimen"))
        if kind not in types:
            errors.append(
                (E_TRIBUTO, f"El tipo del tributo {index} ('{kind}') no es valido.")
            )
        if regime not in regimes:
            errors.append(
                (
                    E_TRIBUTO,
                    f"El regimen del tributo {index} ('{regime}') no es valido.",
                )
            )
        elif kind in types and regimes[regime] != kind:
            errors.append(
                (
                    E_TRIBUTO,
                    f"El regimen {regime} del tributo {index} no corresponde al tipo "
                    f"{kind}.",
                )
            )
        for key in ("base_imponible", "alicuota", "total"):
            value = dec(item.get(key))
            if value is None or (key != "alicuota" and value < 0):
                errors.append(
                    (E_AMOUNT, f"El campo {key} del tributo {index} no es valido.")
                )
    return errors


RG5329_REGIME = "3"  # tablas: "IVA - RG 5329"


def _rg5329(comp: dict, cliente: dict, tipo: str) -> list[tuple]:
    """2024-10 FAQ RG5329: the perception applies when the customer is
    marked, the product is marked and the comprobante is of type "A"; "debe
    ser enviada en el bloque tributos, teniendo en cuenta todas estas
    condiciones" (customer and products with "rg5329" S)."""
    tributos = comp.get("tributos")
    if not isinstance(tributos, list) or not any(
        isinstance(t, dict) and _text(t.get("regimen")) == RG5329_REGIME
        for t in tributos
    ):
        return []
    errors = []
    if letter(tipo) != "A":
        errors.append(
            (E_TRIBUTO, "La percepcion de IVA RG 5329 solo aplica a comprobantes A.")
        )
    if _text(cliente.get("rg5329")) != "S":
        errors.append(
            (
                E_TRIBUTO,
                "La percepcion de IVA RG 5329 requiere un cliente con rg5329 'S'.",
            )
        )
    lines = [line for line in comp.get("detalle") or [] if isinstance(line, dict)]
    products = [line.get("producto") for line in lines]
    if not any(isinstance(p, dict) and _text(p.get("rg5329")) == "S" for p in products):
        errors.append(
            (
                E_TRIBUTO,
                "La percepcion de IVA RG 5329 requiere productos con rg5329 'S'.",
            )
        )
    return errors


# -- notes -----------------------------------------------------------------
def _associated_list(comp: dict, tipo: str):
    """E notes carry them inside ``fex`` (export page); the others at the top."""
    if letter(tipo) == "E":
        fex = comp.get("fex") if isinstance(comp.get("fex"), dict) else {}
        return fex.get("comprobantes_asociados")
    return comp.get("comprobantes_asociados")


def _notes(comp, tipo, state, account) -> list[tuple]:
    if not is_note(tipo):
        return []
    associated = _associated_list(comp, tipo)
    period = comp.get("comprobantes_asociados_periodo")
    errors = _notes_shape(associated, period, tipo)
    if errors:
        return errors
    if period:
        return _period(period)
    errors = []
    for index, raw in enumerate(associated, start=1):
        item = raw if isinstance(raw, dict) else {}
        errors += _associated(item, index, comp, tipo, state=state, account=account)
    return errors


def _notes_shape(associated, period, tipo) -> list[tuple]:
    """notes page: associated comprobantes or a period (A/B/C/M only), up to 10."""
    by_period_ok = letter(tipo) in "ABCM" and not is_fce(tipo)
    if period and not by_period_ok:
        return [
            (
                E_ASSOCIATED,
                "Las notas de credito/debito E y MiPyME (FCE) no pueden asociarse "
                "por periodo: informe el comprobante asociado.",
            )
        ]
    if not associated and not period:
        where = (
            "fex.comprobantes_asociados"
            if letter(tipo) == "E"
            else "comprobantes_asociados"
        )
        return [
            (
                E_ASSOCIATED,
                "Las notas de credito y debito requieren informar los comprobantes "
                f"asociados ({where} o comprobantes_asociados_periodo).",
            )
        ]
    if associated and period:
        return [
            (
                E_ASSOCIATED,
                "Informe comprobantes_asociados o comprobantes_asociados_periodo, "
                "no ambos.",
            )
        ]
    if not period and (
        not isinstance(associated, list) or len(associated) > MAX_ASSOCIATED
    ):
        return [(E_ASSOCIATED, "Solo se pueden asociar hasta 10 comprobantes.")]
    return []


def _period(period) -> list[tuple]:
    if not isinstance(period, dict):
        return [(E_DATE, "El periodo de comprobantes asociados es invalido.")]
    since, until = (
        parse_date(period.get("fecha_desde")),
        parse_date(period.get("fecha_hasta")),
    )
    if not (since and until):
        return [
            (E_DATE, "El periodo de comprobantes asociados es invalido (dd/mm/aaaa).")
        ]
    if since > until:
        return [
            (
                E_DATE,
                "La fecha_desde del periodo asociado es posterior a su fecha_hasta.",
            )
        ]
    return []


def _associated(item, index, comp, tipo, *, state, account) -> list[tuple]:
    """notes page: tipo, punto_venta, numero, cuit (the issuer's own),
    comprobante_fecha REQUERIDO; same currency, not later than the note;
    common ARCA errors: CbtesAsoc con tipo invalido (NC/ND MiPyME), 10041."""
    errors = [
        (E_REQUIRED, f"El campo {key} del comprobante asociado {index} es requerido.")
        for key in (
            "tipo_comprobante",
            "punto_venta",
            "numero",
            "comprobante_fecha",
            "cuit",
        )
        if _text(item.get(key)) == ""
    ]
    kind = _text(item.get("tipo_comprobante"))
    if kind and kind not in canned.COMPROBANTE_CODES:
        errors.append(
            (E_ASSOCIATED, f"El tipo del comprobante asociado {index} no es valido.")
        )
    elif kind and (is_fce(kind) != is_fce(tipo) or letter(kind) != letter(tipo)):
        errors.append(
            (
                E_ASSOCIATED,
                "ARCA: Campo CbtesAsoc con tipo invalido (comprobante asociado "
                f"{index}: {kind} para {tipo}).",
            )
        )
    pv, numero = to_int(item.get("punto_venta")), to_int(item.get("numero"))
    if _text(item.get("punto_venta")) and (pv is None or numero is None):
        errors.append(
            (
                E_ASSOCIATED,
                f"El punto de venta o numero del comprobante asociado {index} "
                "no es valido.",
            )
        )
    day = parse_date(item.get("comprobante_fecha"))
    note_day = parse_date(comp.get("fecha"))
    if _text(item.get("comprobante_fecha")) and day is None:
        errors.append(
            (
                E_DATE,
                f"La fecha del comprobante asociado {index} es invalida (dd/mm/aaaa).",
            )
        )
    elif day and note_day and day > note_day:
        errors.append(
            (
                E_DATE,
                f"El comprobante asociado {index} no posee una fecha valida: es "
                "posterior a la nota.",
            )
        )
    if (
        account is not None
        and _text(item.get("cuit"))
        and _text(item.get("cuit")) != account.cuit
    ):
        errors.append(
            (
                E_ASSOCIATED,
                f"El CUIT del comprobante asociado {index} debe ser el del emisor "
                f"({account.cuit}).",
            )
        )
    if errors or state is None or account is None:
        return errors
    return _associated_record(item, index, comp, state=state, account=account)


def _associated_record(item, index, comp, *, state, account) -> list[tuple]:
    """The associated comprobante exists at ARCA (issued here, or registered as
    issued outside TusFacturas), in the note's currency, on its date."""
    kind = _text(item.get("tipo_comprobante"))
    pv, numero = to_int(item.get("punto_venta")), to_int(item.get("numero"))
    day = parse_date(item.get("comprobante_fecha"))
    errors = []
    record = state.find_known(account, kind, pv, numero)
    if record is None:
        return [
            (
                E_ASSOCIATED,
                f"ARCA 10041: No existe el comprobante asociado {kind} "
                f"{pv:05d}-{numero:08d}.",
            )
        ]
    if _text(record.comprobante.get("moneda") or "PES") != _text(
        comp.get("moneda") or "PES"
    ):
        errors.append(
            (
                E_ASSOCIATED,
                f"El comprobante asociado {index} no esta en la moneda de la nota.",
            )
        )
    if record.fecha != day:
        errors.append(
            (
                E_DATE,
                f"La fecha informada del comprobante asociado {index} no es la "
                f"suya ({record.fecha:%d/%m/%Y}).",
            )
        )
    return errors


# -- export ----------------------------------------------------------------
def _export(comp: dict, tipo: str, *, queued: bool, batch: bool) -> list[tuple]:
    """Export page: ``fex`` REQUERIDO; only instant and individual; fecha_pago
    for invoices of tipo_exportacion 2 and 4; incoterms for goods (1) only;
    bonificacion, no gravados and internal taxes at 0, tributos empty."""
    if queued or batch:
        return [
            (
                E_EXPORT,
                "Los comprobantes E se emiten unicamente de manera instantanea "
                "e individual.",
            )
        ]
    fex = comp.get("fex")
    if not isinstance(fex, dict):
        return [(E_EXPORT, "Los comprobantes de tipo E requieren el bloque fex.")]
    errors = [
        (E_REQUIRED, f"El campo fex.{key} es requerido.")
        for key in ("tipo_exportacion", "pais_comprobante_id", "cliente_pais_cuit")
        if _text(fex.get(key)) == ""
    ]
    kind = _text(fex.get("tipo_exportacion"))
    if kind and kind not in ("1", "2", "4"):
        errors.append((E_EXPORT, "fex.tipo_exportacion debe ser 1, 2 o 4."))
    if (
        not is_note(tipo)
        and kind in ("2", "4")
        and parse_date(fex.get("fecha_pago")) is None
    ):
        errors.append(
            (
                E_EXPORT,
                "fex.fecha_pago (dd/mm/aaaa) es obligatorio para Facturas E de "
                "tipo_exportacion 2 o 4.",
            )
        )
    if kind == "1":
        errors += _export_goods(fex)
    if (
        _text(fex.get("cliente_pais_cuit"))
        and not _text(fex.get("cliente_pais_cuit")).isdigit()
    ):
        errors.append((E_EXPORT, "fex.cliente_pais_cuit debe ser numerico."))
    return errors + _export_amounts(comp)


def _export_amounts(comp: dict) -> list[tuple]:
    """Export page: tributos empty; bonificacion, no gravados, internal taxes 0."""
    errors = []
    if comp.get("tributos"):
        errors.append(
            (
                E_EXPORT,
                "Los comprobantes E no admiten tributos: el bloque debe enviarse "
                "vacio.",
            )
        )
    # The newest page lists bonificacion, no gravados and impuestos internos
    # (the 2022 one also exentos: the newest wins, exentos are allowed).
    for key in ("bonificacion", "impuestos_internos"):
        if (dec(comp.get(key)) or 0) != 0:
            errors.append(
                (
                    E_EXPORT,
                    f"En los comprobantes E el campo {key} debe enviarse en cero.",
                )
            )
    for index, line in enumerate(comp.get("detalle") or [], start=1):
        producto = (line or {}).get("producto") if isinstance(line, dict) else None
        if isinstance(producto, dict) and dec(producto.get("alicuota")) == -2:
            errors.append(
                (
                    E_EXPORT,
                    f"Concepto {index}: en los comprobantes E los no gravados "
                    "deben enviarse en cero (alicuota -2 no admitida).",
                )
            )
        if (
            isinstance(producto, dict)
            and (dec(producto.get("impuestos_internos_alicuota")) or 0) != 0
        ):
            errors.append(
                (
                    E_EXPORT,
                    f"Concepto {index}: los comprobantes E no admiten impuestos "
                    "internos.",
                )
            )
    return errors


def _export_goods(fex: dict) -> list[tuple]:
    errors = []
    incoterm = _text(fex.get("incoterms_tipo_id"))
    if not incoterm:
        errors.append(
            (
                E_REQUIRED,
                "El campo fex.incoterms_tipo_id es requerido para la exportacion "
                "de bienes.",
            )
        )
    elif incoterm not in {code for code, _name in canned.INCOTERMS}:
        errors.append((E_EXPORT, f"El incoterm '{incoterm}' no es valido."))
    has_permits = _text(fex.get("permisos_tiene"))
    if has_permits not in ("S", "N"):
        errors.append(
            (E_EXPORT, "fex.permisos_tiene debe ser S o N en la exportacion de bienes.")
        )
    permits = fex.get("permisos") or []
    if has_permits != "S" and permits:
        errors.append(
            (E_EXPORT, "Solo deben enviarse permisos cuando permisos_tiene es S.")
        )
    for index, permit in enumerate(
        permits if isinstance(permits, list) else [], start=1
    ):
        code = (
            _text((permit or {}).get("codigo_despacho"))
            if isinstance(permit, dict)
            else ""
        )
        if not DESPACHO_RE.match(code):
            errors.append(
                (
                    E_EXPORT,
                    f"El codigo_despacho del permiso {index} no tiene el formato "
                    "99999AAXX999999A.",
                )
            )
    return errors


# -- FCE -------------------------------------------------------------------
def _fce(comp: dict, tipo: str) -> list[tuple]:
    """FCE page: rg_especiales of the FCE regime; invoices: CBU (2101, 22
    digits) or its alias (2102, 6-20 chars) and 27 (SCA/ADC); notes: 22 (S/N),
    no CBU required."""
    special = comp.get("rg_especiales")
    if not isinstance(special, dict) or _text(special.get("regimen")) != FCE_REGIME:
        return [
            (
                E_FCE,
                "Los comprobantes MiPyME (FCE) requieren rg_especiales con el "
                f"regimen '{FCE_REGIME}'.",
            )
        ]
    data = {}
    for item in special.get("datos") or []:
        if isinstance(item, dict) and _text(item.get("valor")):
            data[_text(item.get("id"))] = _text(item.get("valor"))
    errors = []
    if "2101" in data and not CBU_RE.match(data["2101"]):
        errors.append(
            (
                E_FCE,
                "El dato 2101 (CBU del emisor) debe ser un CBU de 22 digitos; "
                "para un alias use el dato 2102.",
            )
        )
    if "2102" in data and not ALIAS_RE.match(data["2102"]):
        errors.append(
            (
                E_FCE,
                "El dato 2102 (alias del CBU) debe tener de 6 a 20 caracteres: "
                "letras, numeros, punto o guion.",
            )
        )
    if is_note(tipo):
        if data.get("22") not in ("S", "N"):
            errors.append(
                (
                    E_FCE,
                    "Las notas MiPyME (FCE) requieren el dato 22 (Anulacion) con "
                    "S o N.",
                )
            )
        return errors
    if "2101" not in data and "2102" not in data:
        errors.append(
            (
                E_FCE,
                "ARCA: Si informa comprobante MiPyMEs (FCE) del tipo Factura, "
                "es obligatorio informar el CBU (2101) o su alias (2102).",
            )
        )
    if data.get("27") not in ("SCA", "ADC"):
        errors.append(
            (
                E_FCE,
                "Las Facturas MiPyME (FCE) requieren el dato 27 (Referencia de "
                "transferencia) con SCA o ADC.",
            )
        )
    return errors
