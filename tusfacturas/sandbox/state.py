"""State and business rules of the TusFacturas sandbox.

``SandboxState.handle()`` answers one API call the way TusFacturas does:
same endpoints, same field names, same quirks (trailing spaces, dates as
``dd/mm/yyyy``, numbers as strings, HTTP 200 for business errors).
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from ..qr import build_qr_url
from ..validation import is_valid_cuit
from . import padron

CENT = Decimal("0.01")
MAX_LINES = 130
MAX_BATCH = 100
MAX_ASSOCIATED = 10
TESTING_POINT_OF_SALE = 679
EXT_REF_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4}$")

STATUS_ISSUED = "EMITIDO"
STATUS_ERROR = "ENVIADO A PROCESAR - CON ERROR"

# Error codes. TFC-8002, TFC-8004 and TFC-6001 are the documented ones; the
# others are sandbox codes in the same style.
E_CREDENTIALS = "TFC-1001"
E_CLIENT = "TFC-6001"
E_DOC_TYPE = "TFC-6002"
E_DOC_NUMBER = "TFC-6003"
E_ASSOCIATED = "TFC-7001"
E_NUMBER = "TFC-7002"
E_TOO_MANY_LINES = "TFC-7003"
E_DESCRIPTION = "TFC-7004"
E_CODE = "TFC-7005"
E_VAT_RATE = "TFC-7006"
E_DATE = "TFC-7007"
E_TOTAL = "TFC-7008"
E_TYPE = "TFC-7009"
E_POS = "TFC-7010"
E_CURRENCY = "TFC-7011"
E_EXPORT = "TFC-7012"
E_NO_LINES = "TFC-7013"
E_AMOUNT = "TFC-7014"
E_BATCH = "TFC-7015"
E_QUEUE = "TFC-7016"
E_NOT_FOUND = "TFC-7404"
E_AFIP = "TFC-9001"
E_PADRON = "TFC-9404"
E_EXT_REF_MISSING = "TFC-8001"
E_EXT_REF = "TFC-8002"
E_LETTER = "TFC-8004"
E_REQUEST = "TFC-1002"


class ApiError(Exception):
    """A business rejection: list of (code, text)."""

    def __init__(self, errors, **extra):
        super().__init__("; ".join(text for _code, text in errors))
        self.errors = list(errors)
        self.extra = extra


def error_answer(errors, **extra) -> dict:
    answer = {
        "error": "S",
        "errores": [text for _code, text in errors],
        "error_cod": [],
        "error_details": [{"code": code, "text": text} for code, text in errors],
    }
    answer.update(extra)
    return answer


@dataclass
class Account:
    apikey: str
    apitoken: str
    usertoken: str
    cuit: str
    testing: bool = False
    razon_social: str = "CUIT SANDBOX"


@dataclass
class Record:
    """A comprobante stored by the sandbox (issued, queued or in error)."""

    usertoken: str
    seq: int
    tipo: str
    punto_venta: int
    numero: int
    fecha: date
    cliente: dict
    comprobante: dict
    total: Decimal
    external_reference: str
    status: str
    cae: str = ""
    cae_due: date | None = None
    afip_qr: str = ""
    barcode: str = ""
    pdf_token: str = ""
    pdf_origin: str = ""
    errors: list = field(default_factory=list)
    observations: str = ""


@dataclass
class Fault:
    kind: str
    endpoints: frozenset | None
    remaining: int | None
    seconds: float | None
    message: str | None
    status: int | None


def _fmt(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _parse_date(value) -> date | None:
    text = str(value or "").strip()
    if not DATE_RE.match(text):
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def _dec(value, default=None) -> Decimal | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return None
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _letter(tipo: str) -> str:
    return tipo.strip()[-1:]


def _is_note(tipo: str) -> bool:
    return "NOTA DE CREDITO" in tipo or "NOTA DE DEBITO" in tipo


def _num(value: Decimal | None):
    """Decimal -> JSON number (as the consulta answers show)."""
    if value is None:
        return 0
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _barcode(cuit: str, tipo_code: int, pv: int, cae: str, due: date | None) -> str:
    digits = f"{cuit}{tipo_code:03d}{pv:05d}{cae}{due:%Y%m%d}" if due else ""
    if not digits:
        return ""
    odd = sum(int(d) for d in digits[0::2])
    even = sum(int(d) for d in digits[1::2])
    check = (10 - (odd * 3 + even) % 10) % 10
    return digits + str(check)


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


class SandboxState:
    """Everything the sandbox remembers; all access goes through ``lock``."""

    def __init__(self):
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        self.total_tolerance = Decimal("0.02")
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.numbering: dict[tuple, int] = {}
            self.records: list[Record] = []
            self.faults: list[Fault] = []
            self.request_log: list[tuple[str, dict]] = []
            self.seq = 0
            self.cae_counter = 0
            self.afip_status = "OK"

    # -- accounts, faults, log -------------------------------------------
    def add_account(self, account: Account) -> None:
        with self.lock:
            self.accounts[account.usertoken] = account

    def authenticate(self, body: dict) -> Account:
        account = self.accounts.get(str(body.get("usertoken") or ""))
        if (
            account is None
            or str(body.get("apitoken") or "") != account.apitoken
            or str(body.get("apikey") or "") != account.apikey
        ):
            raise ApiError(
                [
                    (
                        E_CREDENTIALS,
                        "Las credenciales de acceso (apikey, apitoken, usertoken) "
                        "no son validas.",
                    )
                ]
            )
        return account

    def log_request(self, endpoint: str, body: dict) -> None:
        clean = {
            k: v
            for k, v in (body or {}).items()
            if k not in ("apikey", "apitoken", "usertoken")
        }
        with self.lock:
            self.request_log.append((endpoint, clean))

    def requests_to(self, endpoint: str) -> list[dict]:
        endpoint = endpoint.strip("/")
        with self.lock:
            return [body for name, body in self.request_log if name == endpoint]

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults = []

    def take_fault(self, endpoint: str, kinds=None, exclude=()) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if kinds is not None and fault.kind not in kinds:
                    continue
                if fault.kind in exclude:
                    continue
                if fault.endpoints is not None and endpoint not in fault.endpoints:
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    # -- dispatch ------------------------------------------------------------
    def handle(self, endpoint: str, body: dict, origin: str) -> dict | None:
        """Answer one API call; None when the endpoint does not exist."""
        method = self.ENDPOINTS.get(endpoint)
        if method is None:
            return None
        try:
            account = self.authenticate(body)
            return getattr(self, method)(account, body, origin)
        except ApiError as error:
            return error_answer(error.errors, **error.extra)

    ENDPOINTS = {
        "facturacion/nuevo": "_nuevo",
        "facturacion/lotes": "_lotes",
        "facturacion/nuevo_encola": "_nuevo_encola",
        "facturacion/lotes_encola": "_lotes_encola",
        "facturacion/eliminar_encolado": "_eliminar_encolado",
        "facturacion/cambiar_fecha_encolado": "_cambiar_fecha_encolado",
        "facturacion/reenviar_encolado": "_reenviar_encolado",
        "facturacion/numeracion": "_numeracion",
        "facturacion/consulta": "_consulta",
        "facturacion/consulta_avanzada": "_consulta_avanzada",
        "estado_servicios/alertas": "_alertas",
        "clientes/afip-info": "_afip_info",
        "clientes/cuenta-corriente": "_cuenta_corriente",
        "clientes/arba-padron": "_arba_padron",
        "tablas_referencia/unidades_medida": "_unidades_medida",
        "tablas_referencia/paises": "_paises",
        "tablas_referencia/cuit_pais": "_cuit_pais",
        "tablas_referencia/incoterms": "_incoterms",
        "tablas_referencia/cotizacion": "_cotizacion",
    }

    # -- validation ----------------------------------------------------------
    def validate(self, body: dict, *, queued=False, batch=False) -> list[tuple]:
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
                    "La fecha del comprobante es invalida. Formato esperado: "
                    "dd/mm/aaaa",
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
        errors += self._validate_cliente(cliente, tipo, letter)
        errors += self._validate_lines(comp, letter)
        errors += self._validate_notes(comp, tipo)
        errors += self._validate_misc(comp, letter, queued=queued, batch=batch)
        if not errors:
            expected = compute_total(comp)
            sent = _dec(comp.get("total"))
            if sent is None:
                errors.append((E_AMOUNT, "El total enviado no es un numero valido."))
            elif all(abs(sent - e) > self.total_tolerance for e in expected):
                errors.append(
                    (
                        E_TOTAL,
                        f"El total enviado ({sent}) no coincide con la sumatoria de "
                        f"los conceptos ({expected[0]}).",
                    )
                )
        return errors

    @staticmethod
    def _valid_document(doc_type: str, number: str) -> bool:
        if doc_type in ("CUIT", "CUIL"):
            return is_valid_cuit(number)
        if doc_type == "DNI":
            return number.isdigit() and 6 <= len(number) <= 8
        return True

    def _validate_cliente(self, cliente: dict, tipo: str, letter: str) -> list[tuple]:
        errors = []
        doc_type = str(cliente.get("documento_tipo") or "").strip().upper()
        number = str(cliente.get("documento_nro") or "").strip()
        if doc_type not in padron.DOCUMENT_CODES:
            errors.append((E_DOC_TYPE, "El tipo de documento enviado no es valido"))
        elif not self._valid_document(doc_type, number):
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

    def _validate_lines(self, comp: dict, letter: str) -> list[tuple]:
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

    def _validate_notes(self, comp: dict, tipo: str) -> list[tuple]:
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
        self, comp: dict, letter: str, *, queued, batch
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
            errors.append(
                (E_EXPORT, "Los comprobantes de tipo E requieren el bloque fex.")
            )
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

    # -- issuing -------------------------------------------------------------
    def _key(self, account: Account, tipo: str, pv: int) -> tuple:
        return (account.usertoken, tipo, pv)

    def _next(self, account: Account, tipo: str, pv: int) -> int:
        return self.numbering.get(self._key(account, tipo, pv), 0) + 1

    def _number_error(self, tipo: str, pv: int, sent: int, expected: int) -> tuple:
        if sent < expected:
            text = (
                f"Ya existe un comprobante con el nro {pv:05d}-{sent:08d}. "
                f"El proximo numero disponible es: {pv:05d}-{expected:08d}"
            )
        else:
            text = (
                f"El numero de comprobante {pv:05d}-{sent:08d} no es correlativo. "
                f"El proximo numero disponible es: {pv:05d}-{expected:08d}"
            )
        return (E_NUMBER, text)

    def _afip_reject(self, endpoint: str) -> Fault | None:
        return self.take_fault(endpoint, kinds={"afip_reject"})

    def _issue(
        self, account: Account, body: dict, origin: str, endpoint: str
    ) -> Record:
        """Number, authorise and store one validated request (lock held)."""
        comp = body["comprobante"]
        tipo = comp["tipo"].strip()
        pv = _int(comp["punto_venta"])
        expected = self._next(account, tipo, pv)
        sent = _int(comp.get("numero") or 0) or 0
        if sent and sent != expected:
            raise ApiError([self._number_error(tipo, pv, sent, expected)])
        fault = self._afip_reject(endpoint)
        if fault is not None:
            raise ApiError(
                [
                    (
                        E_AFIP,
                        fault.message
                        or " AFIP Factura electronica, rechazo el comprobante - ERROR: "
                        "AFIP rechazo la generacion del comprobante Cod: 0",
                    )
                ]
            )
        record = self._new_record(account, body, status=STATUS_ISSUED)
        record.numero = expected
        self.numbering[self._key(account, tipo, pv)] = expected
        self._authorise(account, record, origin)
        observe = self.take_fault(endpoint, kinds={"afip_observe"})
        if observe is not None:
            record.observations = observe.message or (
                "AFIP genero el comprobante pero lo ha marcado como observado por "
                "los siguientes motivos: Observacion: Factura individual, DocTipo: "
                "80, DocNro 22222222222 no se encuentra inscripto en condicion "
                "ACTIVA en el impuesto (IVA). [ codigo: 10063 ]."
            )
        self.records.append(record)
        return record

    def _new_record(self, account: Account, body: dict, *, status: str) -> Record:
        comp = body["comprobante"]
        self.seq += 1
        return Record(
            usertoken=account.usertoken,
            seq=self.seq,
            tipo=comp["tipo"].strip(),
            punto_venta=_int(comp["punto_venta"]),
            numero=0,
            fecha=_parse_date(comp["fecha"]),
            cliente=dict(body["cliente"]),
            comprobante=dict(comp),
            total=_dec(comp.get("total"), Decimal(0)),
            external_reference=str(comp.get("external_reference") or ""),
            status=status,
        )

    def _authorise(self, account: Account, record: Record, origin: str) -> None:
        testing = account.testing or record.punto_venta == TESTING_POINT_OF_SALE
        tipo_code = padron.COMPROBANTE_CODES[record.tipo]
        record.status = STATUS_ISSUED
        record.pdf_token = secrets.token_hex(12)
        record.pdf_origin = origin
        if testing:
            record.cae, record.cae_due, record.afip_qr, record.barcode = (
                "",
                None,
                "",
                "",
            )
            return
        self.cae_counter += 1
        record.cae = f"7{self.cae_counter:013d}"
        record.cae_due = record.fecha + timedelta(days=10)
        doc_type = str(record.cliente.get("documento_tipo") or "").upper()
        doc_code = padron.DOCUMENT_CODES.get(doc_type)
        doc_nro = _int(record.cliente.get("documento_nro"))
        currency = str(record.comprobante.get("moneda") or "PES")
        rate = _dec(record.comprobante.get("cotizacion"), Decimal(1)) or Decimal(1)
        record.afip_qr = build_qr_url(
            fecha=record.fecha,
            cuit=account.cuit,
            pto_vta=record.punto_venta,
            tipo_cmp=tipo_code,
            nro_cmp=record.numero,
            importe=record.total,
            moneda=padron.AFIP_CURRENCY.get(currency, currency),
            ctz=rate if currency != "PES" else Decimal(1),
            tipo_doc_rec=doc_code if doc_nro is not None else None,
            nro_doc_rec=doc_nro if doc_code is not None else None,
            cod_aut=record.cae,
        )
        record.barcode = _barcode(
            account.cuit, tipo_code, record.punto_venta, record.cae, record.cae_due
        )

    def pdf_url(self, record: Record) -> str:
        if not record.pdf_token:
            return ""
        return f"{record.pdf_origin}/app/comprobantes/{record.pdf_token}.pdf"

    def find_pdf(self, token: str) -> tuple[Record, Account] | None:
        with self.lock:
            for record in self.records:
                if record.pdf_token and record.pdf_token == token:
                    return record, self.accounts.get(record.usertoken)
        return None

    def issue_answer(self, account: Account, record: Record) -> dict:
        """The ``facturacion/nuevo`` answer for an issued or queued record."""
        due_payment = _parse_date(record.comprobante.get("vencimiento")) or record.fecha
        number = f"{record.punto_venta:05d}-{record.numero:08d}"
        issued = record.status == STATUS_ISSUED
        return {
            "error": "N",
            "errores": [""],
            "error_cod": [],
            "error_details": [],
            "rta": (
                f"El comprobante {record.tipo} {number} ({account.razon_social}) "
                "se ha guardado correctamente"
                if issued
                else "El comprobante  se ha guardado correctamente "
            ),
            "cae": f"{record.cae} ",
            "requiere_fec": "NO ",
            "vencimiento_cae": _fmt(record.cae_due) if issued else "01/01/2000",
            "vencimiento_pago": _fmt(due_payment),
            "comprobante_pdf_url": self.pdf_url(record),
            "afip_qr": f"{record.afip_qr} " if record.afip_qr else "",
            "afip_codigo_barras": f"{record.barcode} " if record.barcode else "",
            "envio_x_mail": "N",
            "envio_x_mail_direcciones": "",
            "external_reference": record.external_reference,
            "comprobante_nro": number,
            "comprobante_tipo": record.tipo,
            "observaciones": record.observations,
            "micrositios": {"cliente": "", "descarga": ""},
        }

    def _nuevo(self, account, body, origin):
        errors = self.validate(body)
        if errors:
            raise ApiError(errors, external_reference=self._ext(body))
        with self.lock:
            try:
                record = self._issue(account, body, origin, "facturacion/nuevo")
            except ApiError as error:
                error.extra["external_reference"] = self._ext(body)
                raise
            return self.issue_answer(account, record)

    @staticmethod
    def _ext(body) -> str:
        comp = body.get("comprobante") if isinstance(body, dict) else None
        return str((comp or {}).get("external_reference") or "")

    def _batch_items(self, body) -> list:
        items = body.get("requests")
        if not isinstance(items, list) or not items:
            raise ApiError([(E_BATCH, "No se ha enviado ningun request a procesar.")])
        if len(items) > MAX_BATCH:
            raise ApiError(
                [
                    (
                        E_BATCH,
                        f"Esta enviando {len(items)} requests, cuando el limite "
                        f"permitido es {MAX_BATCH}. El lote no se procesara.",
                    )
                ],
                response=[],
            )
        return items

    def _lotes(self, account, body, origin):
        items = self._batch_items(body)
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
                    (
                        E_BATCH,
                        f"Fila {index}: no se permiten comprobantes FCE en lotes.",
                    )
                )
            errors += [
                (code, f"Fila {index}: {text}")
                for code, text in self.validate(item, batch=True)
            ]
        if errors:
            raise ApiError(errors)
        with self.lock:
            pv = _int(items[0]["comprobante"]["punto_venta"])
            expected = self._next(account, first_type, pv)
            for index, item in enumerate(items):
                sent = _int(item["comprobante"].get("numero") or 0) or 0
                if sent and sent != expected + index:
                    code, text = self._number_error(
                        first_type, pv, sent, expected + index
                    )
                    raise ApiError([(code, f"Fila {index}: {text}")])
            answers, failed = [], False
            for item in items:
                if failed:
                    answers.append(self._batch_rejection(item, None))
                    continue
                try:
                    record = self._issue(account, item, origin, "facturacion/lotes")
                except ApiError as error:
                    failed = True
                    answers.append(self._batch_rejection(item, error))
                else:
                    answer = self.issue_answer(account, record)
                    answer["cae_vencimiento"] = answer["vencimiento_cae"]
                    answers.append(answer)
        return {"error": "S" if failed else "N", "errores": [], "response": answers}

    def _batch_rejection(self, item, error) -> dict:
        texts = (
            [text for _c, text in error.errors]
            if error
            else [
                " AFIP Factura electronica, rechazo el comprobante - ERROR: AFIP "
                "rechazo la generacion del comprobante Cod: 0"
            ]
        )
        return {
            "error": "S",
            "errores": texts,
            "error_details": [{"code": E_AFIP, "text": t} for t in texts],
            "cae": "",
            "comprobante_nro": "",
            "external_reference": self._ext(item),
            "cae_vencimiento": "",
            "observaciones": "",
            "envio_x_mail": "",
            "envio_x_mail_direcciones": "",
        }

    # -- asynchronous queue --------------------------------------------------
    def _enqueue(self, account, item) -> dict:
        errors = self.validate(item, queued=True)
        if errors:
            return error_answer(errors, external_reference=self._ext(item))
        with self.lock:
            record = self._new_record(account, item, status="")
            record.status = f"APROBADO Y EN COLA. SE EMITE EL {_fmt(record.fecha)}"
            self.records.append(record)
            return self.issue_answer(account, record)

    def _nuevo_encola(self, account, body, origin):
        answer = self._enqueue(account, body)
        return answer

    def _lotes_encola(self, account, body, origin):
        items = self._batch_items(body)
        answers = [
            self._enqueue(account, i if isinstance(i, dict) else {}) for i in items
        ]
        accepted = sum(1 for a in answers if a["error"] == "N")
        if accepted == len(answers):
            return {"error": "N", "errores": [], "response": answers}
        summary = (
            f"Se enviaron a procesar: {len(answers)} requests y se aceptaron "
            f"procesar: {accepted}. "
        )
        if not accepted:
            raise ApiError(
                [
                    (
                        E_BATCH,
                        "El lote no se procesara ya que contiene errores en todos "
                        "sus requests. " + summary,
                    )
                ],
                response=[],
            )
        return {
            "error": "S",
            "errores": [
                "El lote se procesara parcialmente ya que contiene errores en alguno "
                "de sus requests. " + summary
            ],
            "error_cod": [],
            "error_details": [],
            "response": answers,
        }

    def _queued(self, account, ext, *, include_errors=True) -> list[Record]:
        return [
            r
            for r in self.records
            if r.usertoken == account.usertoken
            and r.external_reference == ext
            and r.status != STATUS_ISSUED
            and (include_errors or r.status != STATUS_ERROR)
        ]

    def _eliminar_encolado(self, account, body, origin):
        ext = str(body.get("external_reference") or "")
        wanted = _parse_date(body.get("fecha"))
        with self.lock:
            found = [
                r
                for r in self._queued(account, ext)
                if wanted is None or r.fecha == wanted
            ]
            if not found:
                raise ApiError(
                    [(E_NOT_FOUND, "No se han encontrado comprobantes.")],
                    procesados_cant=0,
                    procesados=[],
                )
            for record in found:
                self.records.remove(record)
        return {
            "error": "N",
            "errores": [],
            "procesados_cant": len(found),
            "procesados": [
                f"El comprobante {r.tipo} {r.punto_venta:05d}-00000000 se ha eliminado "
                "correctamente. "
                for r in found
            ],
        }

    def _cambiar_fecha_encolado(self, account, body, origin):
        ext = str(body.get("external_reference") or "")
        new_date = _parse_date(body.get("fecha"))
        if new_date is None:
            raise ApiError(
                [(E_DATE, "La fecha enviada es invalida. Formato: dd/mm/aaaa")]
            )
        with self.lock:
            found = self._queued(account, ext)
            if not found:
                raise ApiError([(E_NOT_FOUND, "No se han encontrado comprobantes.")])
            record = found[0]
            record.fecha = new_date
            record.comprobante["fecha"] = _fmt(new_date)
            if body.get("vencimiento"):
                record.comprobante["vencimiento"] = body["vencimiento"]
            if record.status != STATUS_ERROR:
                record.status = f"APROBADO Y EN COLA. SE EMITE EL {_fmt(new_date)}"
        return {"error": "N", "errores": []}

    def _reenviar_encolado(self, account, body, origin):
        ext = str(body.get("external_reference") or "")
        with self.lock:
            found = [r for r in self._queued(account, ext) if r.status == STATUS_ERROR]
            if not found:
                raise ApiError([(E_NOT_FOUND, "No se han encontrado comprobantes.")])
            found[0].status = f"APROBADO Y EN COLA. SE EMITE EL {_fmt(found[0].fecha)}"
            found[0].errors = []
        return {"error": "N", "errores": []}

    def process_queue(self, today: date | None = None, origin: str = "") -> int:
        """Issue every queued comprobante dated today or earlier; return count."""
        today = today or date.today()
        done = 0
        with self.lock:
            for record in sorted(self.records, key=lambda r: r.seq):
                if record.status in (STATUS_ISSUED, STATUS_ERROR):
                    continue
                if record.fecha > today:
                    continue
                account = self.accounts.get(record.usertoken)
                fault = self._afip_reject("facturacion/nuevo_encola")
                if fault is not None or account is None:
                    record.status = STATUS_ERROR
                    record.errors = [
                        (fault and fault.message)
                        or "AFIP rechazo la generacion del comprobante Cod: 0"
                    ]
                    continue
                key = self._key(account, record.tipo, record.punto_venta)
                record.numero = self.numbering.get(key, 0) + 1
                self.numbering[key] = record.numero
                self._authorise(account, record, origin)
                done += 1
        return done

    # -- queries -------------------------------------------------------------
    def query_item(self, record: Record) -> dict:
        comp = record.comprobante
        lines = []
        letter = _letter(record.tipo)
        for line in comp.get("detalle") or []:
            producto = line.get("producto") or {}
            qty = _dec(line.get("cantidad"), Decimal(0))
            price = _dec(producto.get("precio_unitario_sin_iva"), Decimal(0))
            rate = _dec(producto.get("alicuota"), Decimal(0)) or Decimal(0)
            if letter == "B":  # B prices are shown with VAT included
                price = price * (1 + max(rate, Decimal(0)) / 100)
            price = price.quantize(CENT, rounding=ROUND_HALF_EVEN)
            lines.append(
                {
                    "cantidad": _num(qty),
                    "producto": {
                        "descripcion": producto.get("descripcion", ""),
                        "codigo": producto.get("codigo", ""),
                        "precio_unitario": _num(price),
                        "alicuota": _num(rate),
                        "unidad_medida": producto.get("unidad_medida", ""),
                        "precio_total": _num(
                            (price * qty).quantize(CENT, rounding=ROUND_HALF_EVEN)
                        ),
                    },
                    "bonificacion_porcentaje": _num(
                        _dec(line.get("bonificacion_porcentaje"), Decimal(0))
                    ),
                    "leyenda": line.get("leyenda", ""),
                }
            )
        issued = record.status == STATUS_ISSUED
        due_payment = _parse_date(comp.get("vencimiento")) or record.fecha
        item = {
            "fecha": _fmt(record.fecha),
            "tipo": record.tipo,
            "moneda": comp.get("moneda", "PES"),
            "idioma": _int(comp.get("idioma") or 1) or 1,
            "cotizacion": _num(_dec(comp.get("cotizacion"), Decimal(1))),
            "operacion": "V",
            "punto_venta": record.punto_venta,
            "numero": record.numero,
            "periodo_facturado_desde": comp.get("periodo_facturado_desde", ""),
            "periodo_facturado_hasta": comp.get("periodo_facturado_hasta", ""),
            "rubro": comp.get("rubro", ""),
            "rubro_grupo_contable": comp.get("rubro_grupo_contable", ""),
            "detalle": lines,
            "bonificacion": _num(_dec(comp.get("bonificacion"), Decimal(0))),
            "leyenda_gral": comp.get("leyenda_gral", " ") or " ",
            "percepciones_iibb": _num(_dec(comp.get("percepciones_iibb"), Decimal(0))),
            "percepciones_iva": _num(_dec(comp.get("percepciones_iva"), Decimal(0))),
            "tributos": comp.get("tributos") or [],
            "impuestos_internos": _num(
                _dec(comp.get("impuestos_internos"), Decimal(0))
            ),
            "total": _num(record.total),
            "cae": f"{record.cae} ",
            "external_reference": record.external_reference,
            "comprobantes_asociados": comp.get("comprobantes_asociados") or [],
            "tags": comp.get("tags") or [],
            "ctacte_status": "IMPAGA",
            "status": record.status,
            "afip_codigo_barras": f"{record.barcode} " if record.barcode else "",
            "afip_observaciones": "; ".join(record.errors) or record.observations,
            "afip_qr": f"{record.afip_qr} " if record.afip_qr else "",
            "vencimiento_cae": _fmt(record.cae_due) if issued else "",
            "vencimiento_pago": _fmt(due_payment),
            "comprobante_pdf_url": self.pdf_url(record),
            "comprobante_ticket_url": "",
            "micrositios": {"cliente": "", "descarga": ""},
        }
        cliente = record.cliente
        return {
            "cliente": {
                "documento_tipo": cliente.get("documento_tipo", ""),
                "documento_nro": f"{cliente.get('documento_nro', '')} ",
                "razon_social": cliente.get("razon_social", ""),
                "email": cliente.get("email", ""),
                "domicilio": cliente.get("domicilio", ""),
            },
            "comprobante": item,
        }

    def _numeracion(self, account, body, origin):
        comp = body.get("comprobante") or {}
        tipo = str(comp.get("tipo") or "").strip()
        pv = _int(comp.get("punto_venta"))
        errors = []
        if tipo not in padron.COMPROBANTE_CODES:
            errors.append((E_TYPE, f"El tipo de comprobante '{tipo}' no es valido."))
        if pv is None or not 0 < pv <= 99999:
            errors.append((E_POS, "El punto de venta es invalido"))
        if errors:
            raise ApiError(errors)
        with self.lock:
            number = self._next(account, tipo, pv)
        return {
            "error": "N",
            "errores": [""],
            "rta": "OK",
            "comprobante": {
                "tipo": tipo,
                "operacion": "V",
                "punto_venta": str(pv),
                "numero": str(number),
            },
        }

    def _consulta(self, account, body, origin):
        comp = body.get("comprobante") or {}
        tipo = str(comp.get("tipo") or "").strip()
        pv = _int(comp.get("punto_venta"))
        numero = _int(comp.get("numero"))
        if pv is None or not 0 < pv <= 99999:
            raise ApiError([(E_POS, "El punto de venta es invalido")])
        with self.lock:
            for record in self.records:
                if (
                    record.usertoken == account.usertoken
                    and record.status == STATUS_ISSUED
                    and record.tipo == tipo
                    and record.punto_venta == pv
                    and record.numero == numero
                ):
                    answer = {"error": "N", "errores": [""], "rta": "OK"}
                    answer.update(self.query_item(record))
                    return answer
        raise ApiError(
            [(E_NOT_FOUND, f"No existe el comprobante {pv:05d}-{(numero or 0):08d}.")]
        )

    def _consulta_avanzada(self, account, body, origin):
        kind = str(body.get("busqueda_tipo") or "").strip().upper()
        comp = body.get("comprobante") or {}
        page = max(_int(body.get("pagina") or 0) or 0, 0)
        limit = _int(body.get("limite") or 1000) or 1000
        limit = min(max(limit, 1), 1000)
        with self.lock:
            mine = [r for r in self.records if r.usertoken == account.usertoken]
            if kind == "EXT_REF":
                ext = str(comp.get("external_reference") or "")
                if not ext:
                    raise ApiError([(E_EXT_REF, "Debe indicar la external_reference.")])
                found = [r for r in mine if r.external_reference == ext]
            elif kind == "F":
                wanted = _parse_date(comp.get("fecha"))
                if wanted is None:
                    raise ApiError(
                        [(E_DATE, "La fecha es invalida. Formato: dd/mm/aaaa")]
                    )
                found = [r for r in mine if r.fecha == wanted]
            elif kind == "TN":
                tipo = str(comp.get("tipo") or "").strip()
                pv = _int(comp.get("punto_venta"))
                low = _int(comp.get("numero_desde") or 1) or 1
                high = _int(comp.get("numero_hasta") or 99999999) or 99999999
                found = [
                    r
                    for r in mine
                    if r.tipo == tipo
                    and r.punto_venta == pv
                    and r.status == STATUS_ISSUED
                    and low <= r.numero <= high
                ]
            else:
                raise ApiError(
                    [(E_REQUEST, "El tipo de busqueda no es valido (F, TN, EXT_REF).")]
                )
            found.sort(key=lambda r: (r.fecha, r.seq), reverse=True)
            page_items = found[page * limit : (page + 1) * limit]
            items = [self.query_item(r) for r in page_items]
        return {
            "rta": "OK",
            "error": "N",
            "total": len(found),
            "errores": [],
            "comprobantes": items,
        }

    def _alertas(self, account, body, origin):
        return {
            "error": "N",
            "errores": [""],
            "rta": "OK",
            "facturacion": self.afip_status,
            "novedades": "Sandbox de TusFacturas: los comprobantes no tienen validez.",
        }

    def _cuit_from(self, body) -> str:
        cliente = body.get("cliente") or {}
        number = str(cliente.get("documento_nro") or "").strip()
        if not is_valid_cuit(number):
            raise ApiError([(E_DOC_NUMBER, "El Nro de documento enviado es invalido")])
        return number

    def _afip_info(self, account, body, origin):
        cuit = self._cuit_from(body)
        data = padron.PADRON.get(cuit)
        if data is None:
            raise ApiError([(E_PADRON, "AFIP: No existe persona con ese Id")])
        answer = {"error": "N", "errores": [""], "rta": "OK"}
        answer.update(data)
        return answer

    def _cuenta_corriente(self, account, body, origin):
        cliente = body.get("cliente") or {}
        number = str(cliente.get("documento_nro") or "").strip()
        if not number.isdigit():
            raise ApiError([(E_DOC_NUMBER, "El Nro de documento enviado es invalido")])
        results, balance = [], Decimal(0)
        with self.lock:
            records = [
                r
                for r in self.records
                if r.usertoken == account.usertoken
                and r.status == STATUS_ISSUED
                and str(r.cliente.get("documento_nro") or "").strip() == number
            ]
            for record in sorted(records, key=lambda r: (r.fecha, r.seq)):
                credit = "NOTA DE CREDITO" in record.tipo
                debe = Decimal(0) if credit else record.total
                haber = record.total if credit else Decimal(0)
                balance += debe - haber
                results.append(
                    {
                        "fecha": _fmt(record.fecha),
                        "concepto": f"{record.tipo} {record.punto_venta:05d}-"
                        f"{record.numero:08d} ({account.razon_social})",
                        "debe": _num(debe),
                        "haber": _num(haber),
                        "resta_abonar_de_este_comprobante": _num(debe),
                        "saldo": _num(balance),
                    }
                )
        return {"error": "N", "errores": [""], "rta": "OK", "resultados": results}

    def _arba_padron(self, account, body, origin):
        cuit = self._cuit_from(body)
        data = padron.ARBA.get(cuit)
        if data is None:
            raise ApiError(
                [(E_PADRON, "El CUIT enviado no se encuentra en el padron de ARBA.")]
            )
        answer = {"error": "N", "errores": [""], "rta": "OK"}
        answer.update(data)
        return answer

    @staticmethod
    def _items(rows) -> dict:
        return {
            "error": "N",
            "errores": [""],
            "rta": "OK",
            "items": [{"id": code, "descripcion": name} for code, name in rows],
        }

    def _unidades_medida(self, account, body, origin):
        return self._items(padron.UNITS_OF_MEASURE)

    def _paises(self, account, body, origin):
        return self._items(padron.COUNTRIES)

    def _cuit_pais(self, account, body, origin):
        return self._items(padron.COUNTRY_CUITS)

    def _incoterms(self, account, body, origin):
        return self._items(padron.INCOTERMS)

    def _cotizacion(self, account, body, origin):
        currency = str(body.get("moneda") or "DOL").strip()
        rate = padron.EXCHANGE_RATES.get(currency)
        if rate is None:
            raise ApiError([(E_CURRENCY, f"La moneda '{currency}' no es valida.")])
        return {"error": "N", "errores": [""], "cotizacion": f"{rate:.2f}"}
