"""``estado_servicios/alertas``: TusFacturas' and AFIP's service status."""

from __future__ import annotations


def alertas(state, account, body, origin):
    return {
        "error": "N",
        "errores": [""],
        "rta": "OK",
        "facturacion": state.afip_status,
        "novedades": "Sandbox de TusFacturas: los comprobantes no tienen validez.",
    }


ENDPOINTS = {"estado_servicios/alertas": alertas}
