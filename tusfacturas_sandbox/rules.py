"""Request rules: what TusFacturas and AFIP refuse, from the provider's docs."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from . import canned
from .cuit import is_valid_cuit
from .errors import (
    E_AMOUNT,
    E_ASSOCIATED,
    E_BATCH,
    E_CLIENT,
    E_CODE,
    E_CURRENCY,
    E_DATE,
    E_DESCRIPTION,
    E_DOC_NUMBER,
    E_DOC_TYPE,
    E_EXPORT,
    E_EXT_REF,
    E_EXT_REF_MISSING,
    E_LETTER,
    E_NO_LINES,
    E_POS,
    E_QUEUE,
    E_REQUEST,
    E_TOO_MANY_LINES,
    E_TOTAL,
    E_TYPE,
    E_VAT_RATE,
)
from .util import dec as _dec
from .util import is_note as _is_note
from .util import letter as _letter
from .util import parse_date as _parse_date
from .util import to_int as _int

CENT = Decimal("0.01")
MAX_LINES = 130
MAX_ASSOCIATED = 10
EXT_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
TOTAL_TOLERANCE = Decimal("0.02")
padron = canned


def compute_total(comprobante: dict) -> list[Decimal]:
    """Totals that TusFacturas would accept for ``comprobante``.

    Lines: cantidad * precio_unitario_sin_iva * (1 - bonificacion_porcentaje
    / 100), plus VAT at ``alicuota`` (exento -1 / no gravado -2: 0 %) except
    for letter C, whose prices are final. The general ``bonificacion`` is a
    net amount that is taxed too: it is spread over the VAT rates in
    proportion to their net (first candidate) or, as in the provider's own
    example, taxed at the highest rate (second candidate). Perceptions,
    ``tributos`` and ``impuestos_internos`` are added.
    """
    tipo = str(comprobante.get("tipo") or "")
    letter = _letter(tipo)
    groups: dict[Decimal, Decimal] = {}
    for line in comprobante.get("detalle") or []:
        producto = line.get("producto") or {}
        qty = _dec(line.get("cantidad"), Decimal(0))
        price = _dec(producto.get("precio_unitario_sin_iva"), Decimal(0))
        discount = _dec(line.get("bonificacion_porcentaje"), Decimal(0))
        rate = _dec(producto.get("alicuota"), Decimal(0)) if letter != "C" else 0
        rate = max(Decimal(rate or 0), Decimal(0))
        net = qty * price * (1 - discount / 100)
        groups[rate] = groups.get(rate, Decimal(0)) + net
    net_total = sum(groups.values(), Decimal(0))
    gross = sum((net * (1 + rate / 100) for rate, net in groups.items()), Decimal(0))
    bonificacion = _dec(comprobante.get("bonificacion"), Decimal(0))
    extras = Decimal(0)
    for key in ("percepciones_iibb", "percepciones_iva", "impuestos_internos"):
        extras += _dec(comprobante.get(key), Decimal(0)) or 0
    for tributo in comprobante.get("tributos") or []:
        extras += _dec((tributo or {}).get("total"), Decimal(0)) or 0
    candidates = []
    if bonificacion and net_total:
        spread = sum(
            (
                bonificacion * net / net_total * (1 + rate / 100)
                for rate, net in groups.items()
            ),
            Decimal(0),
        )
        candidates.append(gross - spread + extras)
        top = max(groups) if groups else Decimal(0)
        candidates.append(gross - bonificacion * (1 + top / 100) + extras)
    else:
        candidates.append(gross - bonificacion + extras)
    return [c.quantize(CENT, rounding=ROUND_HALF_EVEN) for c in candidates]


def validate(
    body: dict, *, state=None, account=None, queued=False, batch=False
) -> list[tuple]:
    """Data errors of one ``{"cliente", "comprobante"}`` request."""
    errors: list[tuple] = []
    cliente = body.get("cliente")
    comp = body.get("comprobante")
    if not isinstance(cliente, dict) or not isinstance(comp, dict):
        return [
            (
                E_REQUEST,
                "El request debe contener los bloques cliente y comprobante.",
            )
        ]
    tipo = str(comp.get("tipo") or "").strip()
    if tipo not in padron.COMPROBANTE_CODES:
        errors.append((E_TYPE, f"El tipo de comprobante '{tipo}' no es valido."))
    letter = _letter(tipo)
    pv = _int(comp.get("punto_venta"))
    if pv is None or not 0 < pv <= 99999:
        errors.append((E_POS, "El punto de venta es invalido"))
    if _parse_date(comp.get("fecha")) is None:
        errors.append(
            (
                E_DATE,
                "La fecha del comprobante es invalida. Formato esperado: dd/mm/aaaa",
            )
        )
    for key in (
        "periodo_facturado_desde",
        "periodo_facturado_hasta",
        "vencimiento",
    ):
        if comp.get(key) and _parse_date(comp.get(key)) is None:
            errors.append(
                (
                    E_DATE,
                    f"El campo {key} es invalido. Formato esperado: dd/mm/aaaa",
                )
            )
    errors += _validate_cliente(cliente, tipo, letter)
    errors += _validate_lines(comp, letter)
    errors += _validate_notes(comp, tipo)
    errors += _validate_misc(comp, letter, queued=queued, batch=batch)
    if not errors:
        expected = compute_total(comp)
        sent = _dec(comp.get("total"))
        if sent is None:
            errors.append((E_AMOUNT, "El total enviado no es un numero valido."))
        elif all(abs(sent - e) > TOTAL_TOLERANCE for e in expected):
            errors.append(
                (
                    E_TOTAL,
                    f"El total enviado ({sent}) no coincide con la sumatoria de "
                    f"los conceptos ({expected[0]}).",
                )
            )
    return errors


def _valid_document(doc_type: str, number: str) -> bool:
    if doc_type in ("CUIT", "CUIL"):
        return is_valid_cuit(number)
    if doc_type == "DNI":
        return number.isdigit() and 6 <= len(number) <= 8
    return True


def _validate_cliente(cliente: dict, tipo: str, letter: str) -> list[tuple]:
    errors = []
    doc_type = str(cliente.get("documento_tipo") or "").strip().upper()
    number = str(cliente.get("documento_nro") or "").strip()
    if doc_type not in padron.DOCUMENT_CODES:
        errors.append((E_DOC_TYPE, "El tipo de documento enviado no es valido"))
    elif not _valid_document(doc_type, number):
        errors.append((E_DOC_NUMBER, "El Nro de documento enviado es invalido"))
    if errors:
        errors.append(
            (
                E_CLIENT,
                "Error al crear al cliente . No se podra generar el comprobante. "
                "Revise los datos enviados.",
            )
        )
    condition = str(cliente.get("condicion_iva") or "").strip().upper()
    allowed = padron.LETTERS_BY_IVA_CONDITION.get(condition)
    if allowed and letter in "ABM" and tipo and letter not in allowed:
        errors.append(
            (
                E_LETTER,
                "Para la condicion de IVA seleccionada no se permite realizar "
                f"comprobantes de tipo {letter}.",
            )
        )
    return errors


def _validate_lines(comp: dict, letter: str) -> list[tuple]:
    lines = comp.get("detalle")
    if not isinstance(lines, list) or not lines:
        return [(E_NO_LINES, "El comprobante debe contener al menos un concepto.")]
    if len(lines) > MAX_LINES:
        return [
            (
                E_TOO_MANY_LINES,
                f"El comprobante supera el maximo de {MAX_LINES} conceptos "
                f"(se enviaron {len(lines)}).",
            )
        ]
    errors = []
    rates = {Decimal(r) for r in padron.VAT_RATES}
    for index, line in enumerate(lines, start=1):
        producto = (line or {}).get("producto") if isinstance(line, dict) else None
        if not isinstance(producto, dict):
            errors.append((E_REQUEST, f"El concepto {index} no tiene producto."))
            continue
        description = str(producto.get("descripcion") or "")
        if not 4 <= len(description) <= 255:
            errors.append(
                (
                    E_DESCRIPTION,
                    f"La descripcion del producto del concepto {index} debe tener "
                    "entre 4 y 255 caracteres.",
                )
            )
        if len(str(producto.get("codigo") or "")) > 10:
            errors.append(
                (
                    E_CODE,
                    f"El codigo del producto del concepto {index} supera los 10 "
                    "caracteres.",
                )
            )
        if letter != "C" and _dec(producto.get("alicuota")) not in rates:
            errors.append(
                (
                    E_VAT_RATE,
                    f"La alicuota de IVA del concepto {index} "
                    f"('{producto.get('alicuota')}') no es valida.",
                )
            )
        for key, value in (
            ("cantidad", line.get("cantidad")),
            ("precio_unitario_sin_iva", producto.get("precio_unitario_sin_iva")),
        ):
            if _dec(value) is None:
                errors.append(
                    (E_AMOUNT, f"El campo {key} del concepto {index} no es valido.")
                )
        if (
            line.get("bonificacion_porcentaje") not in (None, "")
            and _dec(line.get("bonificacion_porcentaje")) is None
        ):
            errors.append(
                (E_AMOUNT, f"La bonificacion del concepto {index} no es valida.")
            )
    return errors


def _validate_notes(comp: dict, tipo: str) -> list[tuple]:
    if not _is_note(tipo):
        return []
    associated = comp.get("comprobantes_asociados")
    if not associated and isinstance(comp.get("fex"), dict):
        associated = comp["fex"].get("comprobantes_asociados")
    period = comp.get("comprobantes_asociados_periodo")
    if not associated and not period:
        return [
            (
                E_ASSOCIATED,
                "Las notas de credito y debito requieren informar los "
                "comprobantes asociados (comprobantes_asociados o "
                "comprobantes_asociados_periodo).",
            )
        ]
    errors = []
    if associated:
        if not isinstance(associated, list) or len(associated) > MAX_ASSOCIATED:
            return [(E_ASSOCIATED, "Solo se pueden asociar hasta 10 comprobantes.")]
        for index, raw_item in enumerate(associated, start=1):
            item = raw_item if isinstance(raw_item, dict) else {}
            kind = str(item.get("tipo_comprobante") or "").strip()
            if kind not in padron.COMPROBANTE_CODES:
                errors.append(
                    (
                        E_ASSOCIATED,
                        f"El tipo del comprobante asociado {index} no es valido.",
                    )
                )
            if (
                _int(item.get("punto_venta")) is None
                or _int(item.get("numero")) is None
            ):
                errors.append(
                    (
                        E_ASSOCIATED,
                        "El punto de venta o numero del comprobante asociado "
                        f"{index} no es valido.",
                    )
                )
            if item.get("comprobante_fecha") and not _parse_date(
                item.get("comprobante_fecha")
            ):
                errors.append(
                    (
                        E_DATE,
                        f"La fecha del comprobante asociado {index} es invalida.",
                    )
                )
    elif not isinstance(period, dict) or not (
        _parse_date(period.get("fecha_desde"))
        and _parse_date(period.get("fecha_hasta"))
    ):
        errors.append(
            (
                E_DATE,
                "El periodo de comprobantes asociados es invalido (dd/mm/aaaa).",
            )
        )
    return errors


def _validate_misc(  # noqa: PLR0912 - one check per documented rule
    comp: dict, letter: str, *, queued, batch
) -> list[tuple]:
    errors = []
    ext = comp.get("external_reference")
    if ext not in (None, "") and not EXT_REF_RE.match(str(ext)):
        errors.append(
            (
                E_EXT_REF,
                "La external reference enviada, posee caracteres no validos.",
            )
        )
    if queued and not ext:
        errors.append(
            (
                E_EXT_REF_MISSING,
                "El campo external_reference es obligatorio en la facturacion "
                "encolada.",
            )
        )
    if queued and _int(comp.get("numero") or 0) not in (0, None):
        errors.append(
            (E_QUEUE, "En la facturacion encolada el numero debe enviarse en 0.")
        )
    if letter == "E" and (queued or batch):
        errors.append(
            (E_EXPORT, "No se permiten comprobantes de tipo E en esta modalidad.")
        )
    if letter == "E" and not isinstance(comp.get("fex"), dict):
        errors.append((E_EXPORT, "Los comprobantes de tipo E requieren el bloque fex."))
    currency = str(comp.get("moneda") or "PES").strip()
    if currency not in padron.EXCHANGE_RATES:
        errors.append((E_CURRENCY, f"La moneda '{currency}' no es valida."))
    elif currency != "PES":
        rate = _dec(comp.get("cotizacion"))
        if rate is None or rate <= 0:
            errors.append((E_CURRENCY, "La cotizacion enviada no es valida."))
    tributos = comp.get("tributos") or []
    if not isinstance(tributos, list) or len(tributos) > 7:
        errors.append((E_AMOUNT, "Se permiten hasta 7 tributos por comprobante."))
    else:
        for tributo in tributos:
            if not isinstance(tributo, dict) or _dec(tributo.get("total")) is None:
                errors.append((E_AMOUNT, "El total de un tributo no es valido."))
    for key in (
        "bonificacion",
        "percepciones_iibb",
        "percepciones_iva",
        "impuestos_internos",
    ):
        if comp.get(key) not in (None, "") and _dec(comp.get(key)) is None:
            errors.append((E_AMOUNT, f"El campo {key} no es un numero valido."))
    return errors


def validate_batch(items: list, *, state=None, account=None) -> list[tuple]:
    """Errors of an instant lote: same type, no E nor FCE, each request valid."""
    errors = []
    first_type = None
    for index, raw_item in enumerate(items):
        item = raw_item if isinstance(raw_item, dict) else {}
        tipo = str((item.get("comprobante") or {}).get("tipo") or "").strip()
        first_type = first_type or tipo
        if tipo != first_type:
            errors.append(
                (
                    E_BATCH,
                    f"El comprobante enviado en la fila {index} (comenzando en 0) "
                    "tiene un tipo de comprobante diferente.",
                )
            )
        if "MiPyME" in tipo:
            errors.append(
                (E_BATCH, f"Fila {index}: no se permiten comprobantes FCE en lotes.")
            )
        errors += [
            (code, f"Fila {index}: {text}")
            for code, text in validate(item, state=state, account=account, batch=True)
        ]
    return errors
