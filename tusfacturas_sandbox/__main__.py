"""Run the TusFacturas sandbox in the foreground.

python -m tusfacturas_sandbox --host 127.0.0.1 --port 8070 [--state FILE] [--fresh]
"""

from __future__ import annotations

import argparse
import sys
import threading

from .server import SANDBOX_CREDENTIALS, SANDBOX_CUIT, SandboxServer
from .store import default_state_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="TusFacturas API sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument(
        "--pdf-port", type=int, default=None, help="PDF host port (default: port+1)"
    )
    parser.add_argument("--testing", action="store_true", help="empty CAE mode")
    parser.add_argument(
        "--issue-delay", type=float, default=0.0, help="seconds per issued request"
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="seconds added to every request (a network round trip)",
    )
    parser.add_argument(
        "--state",
        default=str(default_state_path()),
        help="JSON file keeping accounts, numbering, comprobantes and the queue",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="start empty (overwrites --state)"
    )
    args = parser.parse_args(argv)
    credentials = dict(SANDBOX_CREDENTIALS, cuit=SANDBOX_CUIT, testing=args.testing)
    server = SandboxServer(
        host=args.host,
        port=args.port,
        pdf_port=args.port + 1 if args.pdf_port is None else args.pdf_port,
        credentials=credentials,
        issue_delay=args.issue_delay,
        latency=args.latency,
        state_file=args.state,
        fresh=args.fresh,
    ).start()
    out = sys.stdout
    out.write(f"TusFacturas sandbox listening on {server.url}\n")
    out.write(f"  PDFs from {server.pdf_origin}\n")
    out.write(f"  state     = {args.state}{' (fresh)' if args.fresh else ''}\n")
    for key in ("apikey", "apitoken", "usertoken"):
        out.write(f"  {key:<9} = {SANDBOX_CREDENTIALS[key]}\n")
    out.write(f"  CUIT      = {SANDBOX_CUIT}\n")
    out.write(
        "Control API: POST /_sandbox/fault, /_sandbox/reset, /_sandbox/process_queue,"
        " /_sandbox/point_of_sale, /_sandbox/latency;\n"
        "             GET /_sandbox/requests?endpoint=facturacion/nuevo\n"
    )
    out.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
