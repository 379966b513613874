"""Queries: ``facturacion/numeracion``, ``consulta``, ``consulta_avanzada``."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from . import canned
from .errors import E_DATE, E_EXT_REF, E_NOT_FOUND, E_POS, E_REQUEST, E_TYPE, ApiError
from .issuing import pdf_url
from .rules import CENT
from .store import STATUS_ISSUED, Record
from .util import dec, fmt, letter, num, parse_date, to_int


def _line(line: dict, tipo_letter: str) -> dict:
    producto = line.get("producto") or {}
    qty = dec(line.get("cantidad"), Decimal(0))
    price = dec(producto.get("precio_unitario_sin_iva"), Decimal(0))
    rate = dec(producto.get("alicuota"), Decimal(0)) or Decimal(0)
    if tipo_letter == "B":  # B prices are shown with VAT included
        price = price * (1 + max(rate, Decimal(0)) / 100)
    price = price.quantize(CENT, rounding=ROUND_HALF_EVEN)
    return {
        "cantidad": num(qty),
        "producto": {
            "descripcion": producto.get("descripcion", ""),
            "codigo": producto.get("codigo", ""),
            "precio_unitario": num(price),
            "alicuota": num(rate),
            "unidad_medida": producto.get("unidad_medida", ""),
            "precio_total": num((price * qty).quantize(CENT, rounding=ROUND_HALF_EVEN)),
        },
        "bonificacion_porcentaje": num(
            dec(line.get("bonificacion_porcentaje"), Decimal(0))
        ),
        "leyenda": line.get("leyenda", ""),
    }


def query_item(record: Record) -> dict:
    comp = record.comprobante
    issued = record.status == STATUS_ISSUED
    due_payment = parse_date(comp.get("vencimiento")) or record.fecha
    afip_notes = "; ".join(
        [*record.errors, record.observaciones]
        if record.observaciones
        else record.errors
    )
    item = {
        "fecha": fmt(record.fecha),
        "tipo": record.tipo,
        "moneda": comp.get("moneda", "PES"),
        "idioma": to_int(comp.get("idioma") or 1) or 1,
        "cotizacion": num(dec(comp.get("cotizacion"), Decimal(1))),
        "operacion": "V",
        "punto_venta": record.punto_venta,
        "numero": record.numero,
        "periodo_facturado_desde": comp.get("periodo_facturado_desde", ""),
        "periodo_facturado_hasta": comp.get("periodo_facturado_hasta", ""),
        "rubro": comp.get("rubro", ""),
        "rubro_grupo_contable": comp.get("rubro_grupo_contable", ""),
        "detalle": [
            _line(line, letter(record.tipo)) for line in comp.get("detalle") or []
        ],
        "bonificacion": num(dec(comp.get("bonificacion"), Decimal(0))),
        "leyenda_gral": comp.get("leyenda_gral", " ") or " ",
        "percepciones_iibb": num(dec(comp.get("percepciones_iibb"), Decimal(0))),
        "percepciones_iva": num(dec(comp.get("percepciones_iva"), Decimal(0))),
        "tributos": comp.get("tributos") or [],
        "impuestos_internos": num(dec(comp.get("impuestos_internos"), Decimal(0))),
        "total": num(record.total),
        "cae": f"{record.cae} ",
        "external_reference": record.external_reference,
        "comprobantes_asociados": comp.get("comprobantes_asociados") or [],
        "tags": comp.get("tags") or [],
        "ctacte_status": "IMPAGA",
        "status": record.status,
        "afip_codigo_barras": f"{record.barcode} " if record.barcode else "",
        "afip_observaciones": afip_notes,
        "afip_qr": f"{record.afip_qr} " if record.afip_qr else "",
        "vencimiento_cae": fmt(record.cae_due) if issued else "",
        "vencimiento_pago": fmt(due_payment),
        "comprobante_pdf_url": pdf_url(record),
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


def numeracion(state, account, body, origin):
    comp = body.get("comprobante") or {}
    tipo = str(comp.get("tipo") or "").strip()
    pv = to_int(comp.get("punto_venta"))
    errors = []
    if tipo not in canned.COMPROBANTE_CODES:
        errors.append((E_TYPE, f"El tipo de comprobante '{tipo}' no es valido."))
    if pv is None or not 0 < pv <= 99999:
        errors.append((E_POS, "El punto de venta es invalido"))
    if errors:
        raise ApiError(errors)
    with state.lock:
        number = state.next_number(account, tipo, pv)
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


def consulta(state, account, body, origin):
    comp = body.get("comprobante") or {}
    tipo = str(comp.get("tipo") or "").strip()
    pv = to_int(comp.get("punto_venta"))
    numero = to_int(comp.get("numero"))
    if pv is None or not 0 < pv <= 99999:
        raise ApiError([(E_POS, "El punto de venta es invalido")])
    with state.lock:
        record = state.find_issued(account, tipo, pv, numero)
        if record is not None:
            answer = {"error": "N", "errores": [""], "rta": "OK"}
            answer.update(query_item(record))
            return answer
    raise ApiError(
        [(E_NOT_FOUND, f"No existe el comprobante {pv:05d}-{(numero or 0):08d}.")]
    )


def _search(mine, kind, comp):
    if kind == "EXT_REF":
        ext = str(comp.get("external_reference") or "")
        if not ext:
            raise ApiError([(E_EXT_REF, "Debe indicar la external_reference.")])
        return [r for r in mine if r.external_reference == ext]
    if kind == "F":
        wanted = parse_date(comp.get("fecha"))
        if wanted is None:
            raise ApiError([(E_DATE, "La fecha es invalida. Formato: dd/mm/aaaa")])
        return [r for r in mine if r.fecha == wanted]
    if kind == "TN":
        tipo = str(comp.get("tipo") or "").strip()
        pv = to_int(comp.get("punto_venta"))
        low = to_int(comp.get("numero_desde") or 1) or 1
        high = to_int(comp.get("numero_hasta") or 99999999) or 99999999
        return [
            r
            for r in mine
            if r.tipo == tipo
            and r.punto_venta == pv
            and r.status == STATUS_ISSUED
            and low <= r.numero <= high
        ]
    raise ApiError([(E_REQUEST, "El tipo de busqueda no es valido (F, TN, EXT_REF).")])


def consulta_avanzada(state, account, body, origin):
    kind = str(body.get("busqueda_tipo") or "").strip().upper()
    comp = body.get("comprobante") or {}
    page = max(to_int(body.get("pagina") or 0) or 0, 0)
    limit = min(max(to_int(body.get("limite") or 1000) or 1000, 1), 1000)
    with state.lock:
        found = _search(state.mine(account), kind, comp)
        found.sort(key=lambda r: (r.fecha, r.seq), reverse=True)
        items = [query_item(r) for r in found[page * limit : (page + 1) * limit]]
    return {
        "rta": "OK",
        "error": "N",
        "total": len(found),
        "errores": [],
        "comprobantes": items,
    }


ENDPOINTS = {
    "facturacion/numeracion": numeracion,
    "facturacion/consulta": consulta,
    "facturacion/consulta_avanzada": consulta_avanzada,
}
