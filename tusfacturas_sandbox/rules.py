"""Request rules: what TusFacturas and AFIP/ARCA refuse, from the provider's docs.

Every rule names its source (``ref`` = the newest field reference,
``tusfacturas-api-current/api-factura-electronica-afip-facturacion-ventas/
referencia-api-afip-arca.md``; other pages by name). ``validate`` returns all
the errors of one request at once, as TusFacturas does.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from . import canned
from . import rules_special as special
from .cuit import is_valid_cuit
from .errors import (
    E_AMOUNT,
    E_BATCH,
    E_CLIENT,
    E_CODE,
    E_CURRENCY,
    E_CUSTOMER_FIELD,
    E_DATE,
    E_DATE_WINDOW,
    E_DESCRIPTION,
    E_DOC_NUMBER,
    E_DOC_TYPE,
    E_EXT_REF,
    E_EXT_REF_MISSING,
    E_IVA_CONDITION,
    E_LETTER,
    E_LETTER_M,
    E_LINE_FIELD,
    E_NO_LINES,
    E_PERIOD,
    E_POS,
    E_QUEUE,
    E_REQUEST,
    E_REQUIRED,
    E_TEXT,
    E_TOO_MANY_LINES,
    E_TOTAL,
    E_TYPE,
    E_VAT_RATE,
)
from .util import dec as _dec
from .util import is_fce
from .util import letter as _letter
from .util import parse_date as _parse_date
from .util import to_int as _int

CENT = Decimal("0.01")
MAX_LINES = 130  # ref: "El límite máximo de conceptos por comprobante es de 130"
EXT_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
# RG 5762/2025: from this date ARCA no longer authorises new Factura M (they
# become Factura A with a legend); notes of older M comprobantes still go.
FACTURA_M_END = date(2025, 12, 1)
# AFIP's window around today (ref, "FECHA"; ARCA's "CbteFch ... N-10 y N+10").
GOODS_DAYS, SERVICES_DAYS = 5, 10
SN = ("S", "N")


def row_text(index: int, text: str) -> str:
    """A refusal of one row of a lote, in the lotes page's words ("El
    comprobante enviado en la fila 1 (comenzando en 0) tiene ...")."""
    return f"El comprobante enviado en la fila {index} (comenzando en 0): {text}"


def _text(value) -> str:
    return "" if value is None else str(value)


def required(block: dict, keys, where: str) -> list[tuple]:
    """REQUERIDO fields: present and not empty (0 is a value)."""
    return [
        (E_REQUIRED, f"El campo {where}.{key} es requerido.")
        for key in keys
        if block.get(key) is None or _text(block.get(key)).strip() == ""
    ]


def max_len(block: dict, key: str, limit: int, where: str, code=E_REQUEST):
    if len(_text(block.get(key))) > limit:
        return [(code, f"El campo {where}.{key} supera los {limit} caracteres.")]
    return []


def one_of(block: dict, key: str, allowed, where: str, code=E_REQUEST):
    value = block.get(key)
    if value is None or _text(value).strip() == "":
        return []  # reported by ``required`` where it is required
    if _text(value).strip() not in allowed:
        return [(code, f"El valor '{value}' de {where}.{key} no es valido.")]
    return []


def compute_total(comprobante: dict) -> list[Decimal]:
    """Totals that TusFacturas would accept for ``comprobante``.

    The provider's rounding page (redondeos.md): unit prices with 3 decimals,
    totals with 2, rounded half even; ARCA takes VAT per rate (AlicIva: a
    base and an amount per rate). So a line's net is cantidad *
    precio_unitario_sin_iva * (1 - bonificacion_porcentaje / 100), not
    rounded; per ``alicuota`` (exento -1 / no gravado -2: 0 %) the base is the
    sum of the nets and the VAT that sum times the rate, each rounded half
    even to cents; letter C prices are final (no VAT). The general
    ``bonificacion`` is a net amount that is taxed too: it is spread over the
    rates in proportion to their net (first candidate) or, as in the
    provider's own example, taxed at the highest rate (second candidate).
    Perceptions, ``tributos`` and ``impuestos_internos`` are added. No
    tolerance: the total sent must be one of these exactly.
    """
    tipo = str(comprobante.get("tipo") or "")
    letter = _letter(tipo)
    groups: dict[Decimal, Decimal] = {}
    for line in comprobante.get("detalle") or []:
        producto = line.get("producto") or {}
        qty = _dec(line.get("cantidad"), Decimal(0))
        price = _dec(producto.get("precio_unitario_sin_iva"), Decimal(0))
        discount = _dec(line.get("bonificacion_porcentaje"), Decimal(0))
        # Exento (-1), no gravado (-2) and 0 % are totalled apart (ARCA's
        # ImpOpEx, ImpTotConc and AlicIva 0 %), all without VAT.
        rate = _dec(producto.get("alicuota"), Decimal(0)) if letter != "C" else 0
        rate = Decimal(rate or 0)
        net = qty * price * (1 - discount / 100)
        groups[rate] = groups.get(rate, Decimal(0)) + net
    bonificacion = _dec(comprobante.get("bonificacion"), Decimal(0))
    net_total = sum(groups.values(), Decimal(0))
    extras = Decimal(0)
    for key in ("percepciones_iibb", "percepciones_iva", "impuestos_internos"):
        extras += _dec(comprobante.get(key), Decimal(0)) or 0
    for tributo in comprobante.get("tributos") or []:
        extras += _dec((tributo or {}).get("total"), Decimal(0)) or 0
    if not (bonificacion and net_total):
        return [_per_rate_total(groups) + extras]
    spread = {
        rate: net - bonificacion * net / net_total for rate, net in groups.items()
    }
    top = max(groups)
    at_top = dict(groups)
    at_top[top] -= bonificacion
    return [_per_rate_total(spread) + extras, _per_rate_total(at_top) + extras]


def _per_rate_total(groups: dict[Decimal, Decimal]) -> Decimal:
    """Each rate's base and VAT rounded half even to cents, then added."""
    total = Decimal(0)
    for rate, net in groups.items():
        total += _cents(net) + _cents(net * max(rate, Decimal(0)) / 100)
    return total


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


# -- entry points ----------------------------------------------------------
def validate(
    body: dict, *, state=None, account=None, queued=False, batch=False, today=None
) -> list[tuple]:
    """Data errors of one ``{"cliente", "comprobante"}`` request."""
    cliente = body.get("cliente")
    comp = body.get("comprobante")
    if not isinstance(cliente, dict) or not isinstance(comp, dict):
        return [
            (E_REQUEST, "El request debe contener los bloques cliente y comprobante.")
        ]
    tipo = _text(comp.get("tipo")).strip()
    if tipo not in canned.COMPROBANTE_CODES:
        return [(E_TYPE, f"El tipo de comprobante '{tipo}' no es valido.")]
    products_only = bool(
        state and account and state.products_only(account, comp.get("punto_venta"))
    )
    errors = _comprobante(comp, tipo, products_only=products_only)
    errors += _dates(comp, tipo, products_only=products_only)
    errors += _cliente(cliente, tipo)
    errors += _lines(comp)
    errors += _queue_fields(comp, queued=queued)
    errors += special.validate(
        comp, cliente, tipo, state=state, account=account, queued=queued, batch=batch
    )
    if not queued:
        errors += _afip_dates(
            comp, tipo, state, account, products_only=products_only, today=today
        )
    if not errors:
        errors += _total(comp, cliente)
    return errors


def validate_batch(items: list, *, state=None, account=None, today=None):
    """An instant lote (``facturacion/lotes`` page): one type, ascending numbers
    and dates, no E nor FCE, every request valid; one error refuses the lote."""
    errors = []
    first_type, last_number, last_date = None, 0, None
    for index, raw_item in enumerate(items):
        item = raw_item if isinstance(raw_item, dict) else {}
        comp = (
            item.get("comprobante") if isinstance(item.get("comprobante"), dict) else {}
        )
        tipo = _text(comp.get("tipo")).strip()
        first_type = first_type or tipo
        if tipo != first_type:
            errors.append(
                (
                    E_BATCH,
                    f"El comprobante enviado en la fila {index} "
                    "(comenzando en 0) tiene un tipo de comprobante diferente.",
                )
            )
        if _letter(tipo) == "E" or is_fce(tipo):
            errors.append(
                (
                    E_BATCH,
                    row_text(
                        index,
                        "no se permiten comprobantes de tipo E ni Factura de "
                        "credito electronica (FCE) en lotes.",
                    ),
                )
            )
        number, day = _int(comp.get("numero") or 0) or 0, _parse_date(comp.get("fecha"))
        if number and number <= last_number:
            errors.append(
                (
                    E_BATCH,
                    row_text(
                        index,
                        "los comprobantes deben enviarse ordenados por numero "
                        "ascendente.",
                    ),
                )
            )
        if day and last_date and day < last_date:
            errors.append(
                (
                    E_BATCH,
                    row_text(
                        index,
                        "los comprobantes deben enviarse ordenados por fecha "
                        "ascendente.",
                    ),
                )
            )
        last_number, last_date = number or last_number, day or last_date
        errors += [
            (code, row_text(index, text))
            for code, text in validate(
                item, state=state, account=account, batch=True, today=today
            )
        ]
    return errors


# -- comprobante -----------------------------------------------------------
COMPROBANTE_REQUIRED = (
    "fecha", "tipo", "operacion", "idioma", "punto_venta", "moneda", "cotizacion",
    "vencimiento", "rubro", "rubro_grupo_contable", "total",
)  # fmt: skip


def _comprobante(comp: dict, tipo: str, *, products_only: bool) -> list[tuple]:
    errors = required(comp, COMPROBANTE_REQUIRED, "comprobante")
    if not products_only:  # ref: period "Obligatorio para quienes facturen Servicios"
        errors += required(
            comp, ("periodo_facturado_desde", "periodo_facturado_hasta"), "comprobante"
        )
    errors += one_of(comp, "operacion", ("V",), "comprobante")
    errors += one_of(comp, "idioma", ("1", "2"), "comprobante")
    pv = _int(comp.get("punto_venta"))
    if comp.get("punto_venta") not in (None, "") and (
        pv is None or not 0 < pv <= 99999
    ):
        errors.append((E_POS, "El punto de venta es invalido"))
    numero = comp.get("numero")
    if numero not in (None, "") and (
        _int(numero) is None or not 0 <= _int(numero) <= 99999999
    ):
        errors.append(
            (E_REQUEST, "El numero de comprobante es invalido (hasta 8 digitos).")
        )
    for key, limit in (
        ("rubro", 255),
        ("rubro_grupo_contable", 255),
        ("leyenda_gral", 500),
        ("comentario", 255),
    ):
        errors += max_len(comp, key, limit, "comprobante")
    errors += escaped(comp.get("leyenda_gral"), "comprobante.leyenda_gral")
    errors += _currency(comp)
    errors += _amounts(comp)
    errors += _abono(comp)
    errors += _tags(comp)
    return errors


def escaped(value, where: str) -> list[tuple]:
    """ref: "%" must be sent as "#&#" and a line break as "#@#" (product
    descripcion and leyenda_gral, where the docs say so)."""
    text = _text(value)
    errors = []
    if "%" in text:
        errors.append(
            (E_TEXT, f"El campo {where} contiene '%': debe enviarse como #&#.")
        )
    if "\n" in text or "\r" in text:
        errors.append(
            (
                E_TEXT,
                f"El campo {where} contiene un salto de linea: debe enviarse como #@#.",
            )
        )
    return errors


def _currency(comp: dict) -> list[tuple]:
    """ref + tablas de referencia "Monedas"; datos_informativos.paga_misma_moneda."""
    currency = _text(comp.get("moneda")).strip()
    codes = {code for code, _name in canned.CURRENCIES}
    if currency and currency not in codes:
        return [(E_CURRENCY, f"La moneda '{currency}' no es valida.")]
    errors = []
    rate = _dec(comp.get("cotizacion"))
    if currency and currency != "PES" and (rate is None or rate <= 0):
        errors.append((E_CURRENCY, "La cotizacion enviada no es valida."))
    info = comp.get("datos_informativos")
    if info is not None:
        if not isinstance(info, dict):
            return [*errors, (E_REQUEST, "El bloque datos_informativos es invalido.")]
        errors += one_of(info, "paga_misma_moneda", SN, "datos_informativos")
        if _text(info.get("paga_misma_moneda")) == "S" and currency == "PES":
            errors.append(
                (
                    E_CURRENCY,
                    "paga_misma_moneda 'S' requiere una moneda distinta del peso.",
                )
            )
        # ref: "la cotización debe ser la oficial provista por AFIP/ARCA" (the
        # rate tablas_referencia/cotizacion gives).
        official = canned.EXCHANGE_RATES.get(currency)
        pays = _text(info.get("paga_misma_moneda")) == "S"
        if pays and currency != "PES" and official and rate != official:
            errors.append(
                (
                    E_CURRENCY,
                    f"paga_misma_moneda 'S' requiere la cotizacion oficial de "
                    f"AFIP/ARCA ({official}), se envio {rate}.",
                )
            )
    return errors


AMOUNT_KEYS = (
    "bonificacion", "impuestos_internos", "impuestos_internos_base",
    "impuestos_internos_alicuota", "percepciones_iibb", "percepciones_iva", "exentos",
)  # fmt: skip


def _amounts(comp: dict) -> list[tuple]:
    errors = []
    for key in AMOUNT_KEYS:
        value = comp.get(key)
        if value not in (None, "") and (_dec(value) is None or _dec(value) < 0):
            errors.append(
                (E_AMOUNT, f"El campo comprobante.{key} debe ser un numero positivo.")
            )
    total = comp.get("total")
    if total not in (None, "") and (_dec(total) is None or _dec(total) < 0):
        errors.append((E_AMOUNT, "El total enviado no es un numero valido."))
    return errors


def _abono(comp: dict) -> list[tuple]:
    errors = one_of(comp, "abono", SN, "comprobante")
    if _text(comp.get("abono")) == "S":
        errors += required(
            comp,
            ("abono_frecuencia", "abono_hasta", "abono_actualiza_precios"),
            "comprobante",
        )
        if comp.get("abono_hasta") and not re.match(
            r"^\d{2}/\d{4}$", _text(comp["abono_hasta"])
        ):
            errors.append(
                (E_DATE, "El campo abono_hasta debe tener el formato mm/aaaa.")
            )
        errors += one_of(comp, "abono_actualiza_precios", SN, "comprobante")
    return errors


def _tags(comp: dict) -> list[tuple]:
    tags = comp.get("tags")
    if tags is None:
        return []
    if (
        not isinstance(tags, list)
        or len(tags) > 50
        or any(len(_text(t)) > 255 for t in tags)
    ):
        return [(E_REQUEST, "Se permiten hasta 50 tags de hasta 255 caracteres.")]
    return []


def _queue_fields(comp: dict, *, queued: bool) -> list[tuple]:
    """ref external_reference; async FAQ: queued comprobantes go with numero 0."""
    errors = []
    ext = comp.get("external_reference")
    if ext not in (None, "") and not EXT_REF_RE.match(_text(ext)):
        errors.append(
            (E_EXT_REF, "La external reference enviada, posee caracteres no validos.")
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
    return errors


# -- dates -----------------------------------------------------------------
def _dates(comp: dict, tipo: str, *, products_only: bool) -> list[tuple]:
    errors = []
    for key in (
        "fecha",
        "vencimiento",
        "periodo_facturado_desde",
        "periodo_facturado_hasta",
    ):
        if comp.get(key) not in (None, "") and _parse_date(comp.get(key)) is None:
            errors.append(
                (E_DATE, f"El campo {key} es invalido. Formato esperado: dd/mm/aaaa")
            )
    fecha = _parse_date(comp.get("fecha"))
    due = _parse_date(comp.get("vencimiento"))
    if fecha and due and due < fecha:  # ARCA 10036 (facturacion asincronica page)
        errors.append(
            (
                E_DATE,
                "El campo FchVtoPago (vencimiento) no puede ser anterior a la "
                "fecha del comprobante.",
            )
        )
    since = _parse_date(comp.get("periodo_facturado_desde"))
    until = _parse_date(comp.get("periodo_facturado_hasta"))
    if since and until and since > until:  # errores comunes de ARCA
        errors.append((E_PERIOD, "FchServDesde no puede ser posterior a FchServHasta."))
    if tipo == "FACTURA M" and fecha and fecha >= FACTURA_M_END:
        errors.append(
            (
                E_LETTER_M,
                "ARCA: desde el 01/12/2025 (RG 5762/2025) no se autorizan Facturas "
                "M; emita una Factura A con la leyenda correspondiente.",
            )
        )
    return errors


def _afip_dates(comp, tipo, state, account, *, products_only, today) -> list:
    """AFIP's window (N-5 goods / N-10 services, same forward) and no date
    before the last one issued on the point of sale (ref, "FECHA")."""
    fecha = _parse_date(comp.get("fecha"))
    if fecha is None:
        return []
    today = today or (state.today if state else None) or date.today()
    goods = products_only
    fex = comp.get("fex") if isinstance(comp.get("fex"), dict) else None
    if _letter(tipo) == "E" and fex is not None:
        goods = _text(fex.get("tipo_exportacion")).strip() == "1"
    days = GOODS_DAYS if goods else SERVICES_DAYS
    errors = []
    if not today - timedelta(days=days) <= fecha <= today + timedelta(days=days):
        errors.append(
            (
                E_DATE_WINDOW,
                f"Campo CbteFch debe estar comprendido en el rango N-{days} y "
                f"N+{days}, siendo N la fecha de envio del pedido de autorizacion.",
            )
        )
    pv = _int(comp.get("punto_venta"))
    last = state.last_issued_date(account, pv) if state and account and pv else None
    if last and fecha < last:
        errors.append(
            (
                E_DATE_WINDOW,
                "El numero o fecha del comprobante no se corresponde con el ultimo "
                f"a autorizar: ya se emitio un comprobante con fecha {last:%d/%m/%Y} "
                "en el punto de venta.",
            )
        )
    return errors


# -- cliente ---------------------------------------------------------------
CLIENTE_REQUIRED = (
    "documento_tipo", "documento_nro", "razon_social", "domicilio", "provincia",
    "envia_por_mail", "condicion_pago", "condicion_iva", "codigo", "rg5329",
)  # fmt: skip


def _cliente(cliente: dict, tipo: str) -> list[tuple]:
    errors = _document(cliente)
    if errors:  # the documented companion of a bad document (TFC-6001)
        errors.append(
            (
                E_CLIENT,
                "Error al crear al cliente . No se podra generar el comprobante. "
                "Revise los datos enviados.",
            )
        )
    errors += required(
        cliente,
        tuple(
            k for k in CLIENTE_REQUIRED if k not in ("documento_tipo", "documento_nro")
        ),
        "cliente",
    )
    for key, limit in (
        ("razon_social", 255),
        ("domicilio", 255),
        ("email", 255),
        ("codigo", 50),
        ("nombre_fantasia", 255),
        ("condicion_pago_otra", 100),
    ):
        errors += max_len(cliente, key, limit, "cliente", E_CUSTOMER_FIELD)
    emails = [e for e in _text(cliente.get("email")).split(",") if e.strip()]
    if len(emails) > 15:
        errors.append(
            (
                E_CUSTOMER_FIELD,
                "Se permiten como maximo 15 direcciones de email separadas por coma.",
            )
        )
    errors += one_of(
        cliente, "provincia", canned.PROVINCES, "cliente", E_CUSTOMER_FIELD
    )
    errors += one_of(
        cliente, "condicion_pago", canned.SALE_CONDITIONS, "cliente", E_CUSTOMER_FIELD
    )
    if _text(cliente.get("condicion_pago")).strip() == "214":
        errors += required(cliente, ("condicion_pago_otra",), "cliente")
    for key in ("envia_por_mail", "rg5329", "reclama_deuda"):
        errors += one_of(cliente, key, SN, "cliente", E_CUSTOMER_FIELD)
    return errors + _reminders(cliente) + _iva_condition(cliente, tipo)


def _reminders(cliente: dict) -> list[tuple]:
    """ref (cliente): with the payment reminder on, "se debe indicar" how many
    days after the due date it starts (reclama_deuda_dias) and every how many
    days it repeats (reclama_deuda_repite_dias), "un valor numérico"."""
    if _text(cliente.get("reclama_deuda")).strip() != "S":
        return []
    return [
        (E_CUSTOMER_FIELD, f"El campo cliente.{key} debe ser un numero de dias.")
        for key in ("reclama_deuda_dias", "reclama_deuda_repite_dias")
        if _int(cliente.get(key)) is None or _int(cliente.get(key)) < 1
    ]


def _document(cliente: dict) -> list[tuple]:
    """ref: documento_tipo from the table; documento_nro "Campo numérico, sin
    puntos ni guiones" (passports too: "AFIP/ARCA sólo permite el envío de
    números"); CUIT/CUIL with their check digit. The DNI length (6 to 8
    digits) is not in TusFacturas' docs (their own example sends a 10-digit
    DNI): it is ARCA's DNI numbering, kept so the sandbox stays strict."""
    doc_type = _text(cliente.get("documento_tipo")).strip().upper()
    number = _text(cliente.get("documento_nro")).strip()
    if doc_type not in canned.DOCUMENT_CODES:
        return [(E_DOC_TYPE, "El tipo de documento enviado no es valido")]
    bad = (
        not number.isdigit()
        or (doc_type in ("CUIT", "CUIL") and not is_valid_cuit(number))
        or (doc_type == "DNI" and not 6 <= len(number) <= 8)
    )
    return [(E_DOC_NUMBER, "El Nro de documento enviado es invalido")] if bad else []


def _iva_condition(cliente: dict, tipo: str) -> list[tuple]:
    """tablas "Condiciones frente al IVA"; RG 5616 condicion_iva_operacion
    (optional: "De no enviarse ... se enviará lo que se especifique en
    condicion_iva"), which decides the letters the operation may have."""
    codes = {code for code, _name in canned.IVA_CONDITIONS}
    errors = []
    for key in ("condicion_iva", "condicion_iva_operacion"):
        errors += one_of(cliente, key, codes, "cliente", E_IVA_CONDITION)
    if errors:
        return errors
    condition = (
        _text(cliente.get("condicion_iva_operacion") or cliente.get("condicion_iva"))
        .strip()
        .upper()
    )
    allowed = canned.LETTERS_BY_IVA_CONDITION.get(condition)
    letter = _letter(tipo)
    if allowed and letter in "ABME" and letter not in allowed:
        errors.append(
            (
                E_LETTER,
                "Para la condicion de IVA seleccionada no se permite realizar "
                f"comprobantes de tipo {letter}.",
            )
        )
    return errors


# -- detalle ---------------------------------------------------------------
PRODUCT_REQUIRED = (
    "descripcion", "unidad_bulto", "lista_precios", "precio_unitario_sin_iva",
    "alicuota", "unidad_medida", "actualiza_precio", "rg5329",
)  # fmt: skip


def _lines(comp: dict) -> list[tuple]:
    lines = comp.get("detalle")
    if not isinstance(lines, list) or not lines:
        return [(E_NO_LINES, "El comprobante debe contener al menos un concepto.")]
    if len(lines) > MAX_LINES:
        return [
            (
                E_TOO_MANY_LINES,
                f"El comprobante supera el maximo de {MAX_LINES} conceptos (se "
                f"enviaron {len(lines)}).",
            )
        ]
    errors = []
    for index, line in enumerate(lines, start=1):
        producto = line.get("producto") if isinstance(line, dict) else None
        if not isinstance(producto, dict):
            errors.append((E_REQUEST, f"El concepto {index} no tiene producto."))
            continue
        errors += _line(line, index) + _product(producto, index)
    return errors


def _line(line: dict, index: int) -> list[tuple]:
    where = f"detalle[{index}]"
    errors = required(line, ("cantidad", "afecta_stock"), where)
    errors += one_of(line, "afecta_stock", SN, where, E_LINE_FIELD)
    qty = _dec(line.get("cantidad"))
    if line.get("cantidad") not in (None, "") and (qty is None or qty <= 0):
        errors.append(
            (E_AMOUNT, f"El campo cantidad del concepto {index} no es valido.")
        )
    discount = line.get("bonificacion_porcentaje")
    if discount not in (None, "") and (
        _dec(discount) is None or not 0 <= _dec(discount) <= 100
    ):
        errors.append((E_AMOUNT, f"La bonificacion del concepto {index} no es valida."))
    return errors + max_len(line, "leyenda", 1000, where, E_LINE_FIELD)


def _product(producto: dict, index: int) -> list[tuple]:
    where = f"detalle[{index}].producto"
    errors = required(producto, PRODUCT_REQUIRED, where)
    if "codigo" not in producto:  # REQUERIDO; the docs' own examples send ""
        errors.append((E_REQUIRED, f"El campo {where}.codigo es requerido."))
    description = _text(producto.get("descripcion"))
    if description and not 4 <= len(description) <= 255:
        errors.append(
            (
                E_DESCRIPTION,
                f"La descripcion del producto del concepto {index} debe tener "
                "entre 4 y 255 caracteres.",
            )
        )
    errors += escaped(description, f"{where}.descripcion")
    if len(_text(producto.get("codigo"))) > 50:
        errors.append(
            (
                E_CODE,
                f"El codigo del producto del concepto {index} supera los 50 "
                "caracteres.",
            )
        )
    price_list = _text(producto.get("lista_precios"))
    if price_list and not 4 <= len(price_list) <= 255:
        errors.append(
            (
                E_LINE_FIELD,
                f"La lista de precios del concepto {index} debe tener entre 4 "
                "y 255 caracteres.",
            )
        )
    return errors + _product_values(producto, index, where)


def _product_values(producto: dict, index: int, where: str) -> list[tuple]:
    errors = []
    bulk = _int(producto.get("unidad_bulto"))
    if producto.get("unidad_bulto") not in (None, "") and (bulk is None or bulk < 1):
        errors.append(
            (
                E_LINE_FIELD,
                f"unidad_bulto del concepto {index} debe ser un entero mayor o "
                "igual a 1.",
            )
        )
    if producto.get("alicuota") not in (None, "") and _dec(
        producto.get("alicuota")
    ) not in {Decimal(r) for r in canned.VAT_RATES}:
        errors.append(
            (
                E_VAT_RATE,
                f"La alicuota de IVA del concepto {index} "
                f"('{producto.get('alicuota')}') "
                "no es valida.",
            )
        )
    price = _dec(producto.get("precio_unitario_sin_iva"))
    # redondeos.md: unit prices are handled with 3 decimals.
    if producto.get("precio_unitario_sin_iva") not in (None, "") and (
        price is None or price < 0 or price.as_tuple().exponent < -3
    ):
        errors.append(
            (
                E_AMOUNT,
                f"El campo precio_unitario_sin_iva del concepto {index} no es valido.",
            )
        )
    errors += one_of(producto, "unidad_medida", canned.UNIT_CODES, where, E_LINE_FIELD)
    for key in ("actualiza_precio", "rg5329"):
        errors += one_of(producto, key, SN, where, E_LINE_FIELD)
    if (
        _text(producto.get("rg5329")) == "S"
        and _text(producto.get("actualiza_precio")) != "S"
    ):
        errors.append(
            (
                E_LINE_FIELD,
                f"Concepto {index}: con rg5329 'S' debe enviarse actualiza_precio 'S'.",
            )
        )
    return errors


# -- total -----------------------------------------------------------------
def _total(comp: dict, cliente: dict) -> list[tuple]:
    expected = compute_total(comp)
    sent = _dec(comp.get("total"))
    if sent not in expected:
        return [
            (
                E_TOTAL,
                f"El total enviado ({sent}) no coincide con la sumatoria de los "
                f"conceptos ({expected[0]}).",
            )
        ]
    unidentified = _text(cliente.get("documento_tipo")).strip().upper() == "OTRO"
    if unidentified and sent > canned.CONSUMIDOR_FINAL_CAP:  # facturacion/topecf
        return [
            (
                E_CUSTOMER_FIELD,
                f"El total supera el tope de {canned.CONSUMIDOR_FINAL_CAP} para "
                "comprobantes a consumidor final sin identificar (consulte "
                "facturacion/topecf).",
            )
        ]
    return []
