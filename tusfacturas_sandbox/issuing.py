"""Numbering and authorising a comprobante ("AFIP"), and the issue answer."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from . import canned
from .errors import E_AFIP, E_NUMBER, ApiError
from .faults import AFIP_DOWN_TEXT, OBSERVATION_TEXT
from .qr import qr_url
from .store import STATUS_ISSUED, Record
from .util import barcode, dec, fmt, is_fce, is_note, letter, parse_date, to_int

TESTING_POINT_OF_SALE = 679


def number_error(pv: int, sent: int, expected: int) -> tuple:
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


def requires_fce(body: dict) -> None:
    """ARCA refuses a plain invoice where an FCE is due, and TusFacturas says
    so in ``requiere_fec`` "SI" (facturacion page: "recibirás en la respuesta,
    el campo requiere_fec = 'SI'")."""
    comp, cliente = body["comprobante"], body["cliente"]
    tipo = comp["tipo"].strip()
    if is_fce(tipo) or is_note(tipo) or letter(tipo) not in "ABC":
        return
    minimum = canned.FCE_OBLIGED.get(str(cliente.get("documento_nro") or "").strip())
    if minimum is None or dec(comp.get("total"), Decimal(0)) < minimum:
        return
    raise ApiError(
        [
            (
                E_AFIP,
                " AFIP Factura electronica, rechazo el comprobante - ERROR: El "
                "receptor se encuentra obligado a recibir Factura de Credito "
                "Electronica MiPyMEs por el monto informado.",
            )
        ],
        requiere_fec="SI ",
    )


def new_record(state, account, body: dict, *, status: str) -> Record:
    comp = body["comprobante"]
    state.seq += 1
    state.touch()
    return Record(
        usertoken=account.usertoken,
        seq=state.seq,
        tipo=comp["tipo"].strip(),
        punto_venta=to_int(comp["punto_venta"]),
        numero=0,
        fecha=parse_date(comp["fecha"]),
        cliente=dict(body["cliente"]),
        comprobante=dict(comp),
        total=dec(comp.get("total"), Decimal(0)),
        external_reference=str(comp.get("external_reference") or ""),
        status=status,
    )


def issue(state, account, body: dict, origin: str, endpoint: str) -> Record:
    """Number, authorise and store one validated request (lock held)."""
    comp = body["comprobante"]
    tipo = comp["tipo"].strip()
    pv = to_int(comp["punto_venta"])
    expected = state.next_number(account, tipo, pv)
    sent = to_int(comp.get("numero") or 0) or 0
    if sent and sent != expected:
        raise ApiError([number_error(pv, sent, expected)])
    fault = state.take_fault(endpoint, kinds={"afip_reject"})
    if fault is not None:
        raise ApiError([(E_AFIP, fault.message or AFIP_DOWN_TEXT)])
    requires_fce(body)
    record = new_record(state, account, body, status=STATUS_ISSUED)
    record.numero = expected
    state.numbering[state.key(account, tipo, pv)] = expected
    authorise(state, account, record, origin, endpoint)
    state.records.append(record)
    return record


def observations(state, record: Record, endpoint: str) -> str:
    """AFIP's observaciones: a fault, or a customer AFIP knows as inactive."""
    fault = state.take_fault(endpoint, kinds={"afip_observation"})
    doc = str(record.cliente.get("documento_nro") or "").strip()
    inactive = canned.PADRON.get(doc, {}).get("estado") == "INACTIVO"
    if fault is None and not inactive:
        return ""
    return (fault and fault.message) or OBSERVATION_TEXT.format(doc=doc)


def authorise(state, account, record: Record, origin: str, endpoint: str) -> None:
    testing = account.testing or record.punto_venta == TESTING_POINT_OF_SALE
    tipo_code = canned.COMPROBANTE_CODES[record.tipo]
    record.status = STATUS_ISSUED
    record.pdf_token = secrets.token_hex(12)
    record.pdf_origin = origin
    state.touch()
    if testing:
        record.cae, record.cae_due, record.afip_qr, record.barcode = "", None, "", ""
        return
    record.cae = state.next_cae()
    record.cae_due = record.fecha + timedelta(days=10)
    record.observaciones = observations(state, record, endpoint)
    doc_type = str(record.cliente.get("documento_tipo") or "").upper()
    currency = str(record.comprobante.get("moneda") or "PES")
    rate = dec(record.comprobante.get("cotizacion"), Decimal(1)) or Decimal(1)
    record.afip_qr = qr_url(
        record,
        account.cuit,
        tipo_code,
        canned.DOCUMENT_CODES.get(doc_type),
        moneda=currency,
        ctz=rate if currency != "PES" else Decimal(1),
    )
    record.barcode = barcode(
        account.cuit, tipo_code, record.punto_venta, record.cae, record.cae_due
    )


def pdf_url(record: Record) -> str:
    if not record.pdf_token:
        return ""
    return f"{record.pdf_origin}/app/comprobantes/{record.pdf_token}.pdf"


def issue_answer(account, record: Record) -> dict:
    """The ``facturacion/nuevo`` answer for an issued or queued record."""
    due_payment = parse_date(record.comprobante.get("vencimiento")) or record.fecha
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
        "vencimiento_cae": fmt(record.cae_due) if issued else "01/01/2000",
        "vencimiento_pago": fmt(due_payment),
        "comprobante_pdf_url": pdf_url(record),
        "comprobante_ticket_url": "",
        "afip_qr": f"{record.afip_qr} " if record.afip_qr else "",
        "afip_codigo_barras": f"{record.barcode} " if record.barcode else "",
        "envio_x_mail": "N",
        "envio_x_mail_direcciones": "",
        "external_reference": record.external_reference,
        "comprobante_nro": number,
        "comprobante_tipo": record.tipo,
        "observaciones": record.observaciones,
        "micrositios": {"cliente": "", "descarga": ""},
    }
