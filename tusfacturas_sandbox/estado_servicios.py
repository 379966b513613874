"""``estado_servicios/alertas``: TusFacturas' and AFIP's service status."""

from __future__ import annotations


def alertas(state, account, body, origin):
    """The docs' two answers: "error" N / "rta" OK / "facturacion" OK when AFIP
    works; during an incident "error" S / "rta" ERROR with the incident text
    in "facturacion" (and no "errores")."""
    if state.afip_status.strip().upper() != "OK":
        return {
            "error": "S",
            "errores": [],
            "facturacion": state.afip_status,
            "rta": "ERROR",
        }
    return {
        "error": "N",
        "errores": [""],
        "rta": "OK",
        "facturacion": "OK",
        "novedades": "Sandbox de TusFacturas: los comprobantes no tienen validez.",
    }


ENDPOINTS = {"estado_servicios/alertas": alertas}
