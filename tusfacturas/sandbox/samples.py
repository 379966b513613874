"""Sample request payloads accepted by the sandbox (for tests and demos)."""

from __future__ import annotations

from datetime import date


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
    detalle = [
        {
            "cantidad": qty,
            "afecta_stock": "N",
            "bonificacion_porcentaje": "0",
            "producto": {
                "descripcion": description,
                "unidad_bulto": "1",
                "lista_precios": "Lista API",
                "codigo": "",
                "precio_unitario_sin_iva": price,
                "alicuota": rate,
                "unidad_medida": "7",
            },
            "leyenda": "",
        }
        for description, qty, price, rate in lines
    ]
    comp = {
        "fecha": date.today().strftime("%d/%m/%Y"),
        "tipo": tipo,
        "operacion": "V",
        "idioma": "1",
        "punto_venta": str(punto_venta),
        "moneda": "PES",
        "cotizacion": "1",
        "rubro": "Servicios",
        "rubro_grupo_contable": "Servicios",
        "detalle": detalle,
        "total": total if total is not None else "242.00",
    }
    if numero is not None:
        comp["numero"] = str(numero)
    if external_reference:
        comp["external_reference"] = external_reference
    comp.update(comprobante)
    return {
        "cliente": {
            "documento_tipo": documento_tipo,
            "documento_nro": documento_nro,
            "razon_social": "Cliente de Prueba",
            "email": "",
            "domicilio": "Calle 123",
            "provincia": "2",
            "envia_por_mail": "N",
            "condicion_pago": "201",
            "condicion_iva": condicion_iva,
            "reclama_deuda": "N",
        },
        "comprobante": comp,
    }
