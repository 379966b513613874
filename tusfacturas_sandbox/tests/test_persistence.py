"""The state file: a restarted sandbox keeps numbering, comprobantes and CAEs."""

from __future__ import annotations

import json

import requests

from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SandboxServer
from tusfacturas_sandbox.samples import invoice_payload, note_payload


def _post(server, endpoint, body):
    response = requests.post(
        f"{server.url}/{endpoint}", json={**SANDBOX_CREDENTIALS, **body}, timeout=10
    )
    assert response.status_code == 200
    return response.json()


def test_restart_keeps_numbering_and_caes_distinct(tmp_path):
    state = tmp_path / "state.json"
    with SandboxServer(state_file=state) as first:
        invoice = _post(first, "facturacion/nuevo", invoice_payload())
        assert invoice["error"] == "N", invoice["errores"]
    saved = json.loads(state.read_text())
    assert len(saved["records"]) == 1 and saved["numbering"]
    with SandboxServer(state_file=state) as second:
        again = _post(second, "facturacion/nuevo", invoice_payload())
        assert again["error"] == "N", again["errores"]
        assert again["comprobante_nro"] == "00002-00000002"
        note = _post(second, "facturacion/nuevo", note_payload(invoice))
        assert note["error"] == "N", note["errores"]
        caes = {invoice["cae"], again["cae"], note["cae"]}
        assert len(caes) == 3
        found = _post(
            second,
            "facturacion/consulta",
            {"comprobante": {"tipo": "FACTURA B", "punto_venta": 2, "numero": 1}},
        )
        assert found["comprobante"]["cae"] == invoice["cae"]


def test_fresh_starts_empty_but_never_repeats_a_cae(tmp_path):
    state = tmp_path / "state.json"
    with SandboxServer(state_file=state) as first:
        invoice = _post(first, "facturacion/nuevo", invoice_payload())
    with SandboxServer(state_file=state, fresh=True) as second:
        again = _post(second, "facturacion/nuevo", invoice_payload())
        assert again["comprobante_nro"] == "00002-00000001"
        assert again["cae"] != invoice["cae"]
    assert len(json.loads(state.read_text())["records"]) == 1


def test_queue_survives_a_restart(tmp_path):
    state = tmp_path / "state.json"
    with SandboxServer(state_file=state) as first:
        body = invoice_payload(numero=0, external_reference="queued-1")
        assert _post(first, "facturacion/nuevo_encola", body)["error"] == "N"
    with SandboxServer(state_file=state) as second:
        assert second.process_queue() == 1
        found = _post(
            second,
            "facturacion/consulta_avanzada",
            {
                "busqueda_tipo": "EXT_REF",
                "comprobante": {"external_reference": "queued-1"},
            },
        )
        assert found["comprobantes"][0]["comprobante"]["status"] == "EMITIDO"


def test_in_process_servers_stay_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with SandboxServer() as server:
        assert _post(server, "facturacion/nuevo", invoice_payload())["error"] == "N"
    assert list(tmp_path.iterdir()) == []
