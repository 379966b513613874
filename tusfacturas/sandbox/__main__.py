"""Run the TusFacturas sandbox in the foreground.

python -m tusfacturas.sandbox --host 127.0.0.1 --port 8070
"""

from __future__ import annotations

import argparse
import sys
import threading

from .server import SANDBOX_CREDENTIALS, SANDBOX_CUIT, SandboxServer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="TusFacturas API sandbox")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--testing", action="store_true", help="empty CAE mode")
    parser.add_argument(
        "--issue-delay", type=float, default=0.0, help="seconds per issued request"
    )
    args = parser.parse_args(argv)
    credentials = dict(SANDBOX_CREDENTIALS, cuit=SANDBOX_CUIT, testing=args.testing)
    server = SandboxServer(
        host=args.host,
        port=args.port,
        credentials=credentials,
        issue_delay=args.issue_delay,
    ).start()
    print(f"TusFacturas sandbox listening on {server.url}")
    print(f"  apikey    = {SANDBOX_CREDENTIALS['apikey']}")
    print(f"  apitoken  = {SANDBOX_CREDENTIALS['apitoken']}")
    print(f"  usertoken = {SANDBOX_CREDENTIALS['usertoken']}")
    print(f"  CUIT      = {SANDBOX_CUIT}")
    print(
        "Control API: POST /_sandbox/fault, /_sandbox/reset, /_sandbox/process_queue;"
    )
    print("             GET /_sandbox/requests?endpoint=facturacion/nuevo")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
