"""Sample request payloads the sandbox accepts (for tests and demos).

They carry every field the newest field reference marks REQUERIDO.
"""

from __future__ import annotations

from datetime import date

from .server import SANDBOX_CUIT


def line(description="Servicio de prueba", qty="2", price="100.00", rate="21"):
    return {
        "cantidad": qty,
        "afecta_stock": "N",
        "bonificacion_porcentaje": "0",
        "producto": {
            "descripcion": description,
            "unidad_bulto": "1",
            "lista_precios": "Lista API",
            "codigo": "SRV-1",
            "precio_unitario_sin_iva": price,
            "alicuota": rate,
            "unidad_medida": "7",
            "actualiza_precio": "N",
            "rg5329": "N",
        },
        "leyenda": "",
    }


def cliente_block(condicion_iva="CF", documento_tipo="DNI", documento_nro="12345678"):
    return {
        "documento_tipo": documento_tipo,
        "documento_nro": documento_nro,
        "razon_social": "Cliente de Prueba",
        "email": "",
        "domicilio": "Calle 123",
        "provincia": "2",
        "envia_por_mail": "N",
        "condicion_pago": "201",
        "condicion_iva": condicion_iva,
        "condicion_iva_operacion": condicion_iva,
        "codigo": "CLI-1",
        "rg5329": "N",
        "reclama_deuda": "N",
    }


def invoice_payload(  # noqa: PLR0917 - test helper
    tipo="FACTURA B",
    punto_venta=2,
    numero=None,
    condicion_iva="CF",
    lines=None,
    total=None,
    external_reference=None,
    documento_tipo="DNI",
    documento_nro="12345678",
    **comprobante,
):
    """A valid ``facturacion/nuevo`` payload (without credentials)."""
    lines = lines or [("Servicio de prueba", "2", "100.00", "21")]
    today = date.today().strftime("%d/%m/%Y")
    comp = {
        "fecha": today,
        "vencimiento": today,
        "periodo_facturado_desde": today,
        "periodo_facturado_hasta": today,
        "tipo": tipo,
        "operacion": "V",
        "idioma": "1",
        "punto_venta": str(punto_venta),
        "moneda": "PES",
        "cotizacion": "1",
        "rubro": "Servicios",
        "rubro_grupo_contable": "Servicios",
        "detalle": [line(*item) for item in lines],
        "total": total if total is not None else "242.00",
    }
    if numero is not None:
        comp["numero"] = str(numero)
    if external_reference:
        comp["external_reference"] = external_reference
    comp.update(comprobante)
    return {
        "cliente": cliente_block(condicion_iva, documento_tipo, documento_nro),
        "comprobante": comp,
    }


def associated(answer: dict, tipo="FACTURA B", fecha=None) -> dict:
    """The ``comprobantes_asociados`` item of an issue answer."""
    pv, numero = answer["comprobante_nro"].split("-")
    return {
        "tipo_comprobante": tipo,
        "punto_venta": str(int(pv)),
        "numero": str(int(numero)),
        "comprobante_fecha": fecha or date.today().strftime("%d/%m/%Y"),
        "cuit": SANDBOX_CUIT,
    }


def note_payload(answer: dict, tipo="NOTA DE CREDITO B", of="FACTURA B", **kwargs):
    """A credit/debit note of the comprobante ``answer`` describes."""
    return invoice_payload(
        tipo=tipo, comprobantes_asociados=[associated(answer, of)], **kwargs
    )
