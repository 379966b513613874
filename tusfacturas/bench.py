"""Benchmark: what the client adds on top of the HTTP round trip.

Runs, in one process and one run (ratios are what matter on a noisy machine):
- a bare ``requests`` POST to the sandbox's numeracion endpoint;
- the same through ``TusFacturasClient.next_number`` (body building, retry
  adapter, normalisation);
- ``TusFacturasClient.issue`` of a 40-line comprobante (payload validation and
  answer normalisation, the sandbox's own checks included).

Usage: python -m tusfacturas.bench [--rounds N]
"""

import argparse
import time

import requests

from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SandboxServer
from tusfacturas_sandbox.samples import invoice_payload

from .client import TusFacturasClient


def _timed(function, rounds):
    start = time.perf_counter()
    for index in range(rounds):
        function(index)
    return (time.perf_counter() - start) / rounds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args(argv).rounds
    with SandboxServer() as sandbox:
        client = TusFacturasClient(**SANDBOX_CREDENTIALS, base_url=sandbox.url)
        session = requests.Session()
        body = {
            **SANDBOX_CREDENTIALS,
            "comprobante": {"tipo": "FACTURA B", "punto_venta": 2, "operacion": "V"},
        }
        url = f"{sandbox.url}/facturacion/numeracion"
        bare = _timed(
            lambda _i: session.post(url, json=body, timeout=10).json(), rounds
        )
        wrapped = _timed(lambda _i: client.next_number("FACTURA B", 2), rounds)
        lines = [(f"Producto {n:03d}", "1", "10.00", "21") for n in range(40)]
        issue = _timed(
            lambda i: client.issue(
                invoice_payload(lines=lines, numero=i + 1, total="484.00")
            ),
            max(rounds // 4, 1),
        )
    print(f"bare requests POST     {bare * 1000:8.2f} ms")
    print(
        f"client.next_number     {wrapped * 1000:8.2f} ms  ratio {wrapped / bare:5.2f}"
    )
    print(f"client.issue 40 lines  {issue * 1000:8.2f} ms  ratio {issue / bare:5.2f}")


if __name__ == "__main__":
    main()
