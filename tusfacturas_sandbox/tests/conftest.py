"""Fixtures: one in-process sandbox per session, reset for every test.

The sandbox's own tests talk plain HTTP (``requests``) to it: they never use
the addon's client, so they judge the sandbox alone.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
import requests

from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SandboxServer

# The repository root is the Odoo addon package, whose __init__ imports odoo
# models. pytest (8+) imports the __init__.py of every package above a test
# to look for setUpModule: register an empty package under the root's name
# so that it is never executed outside Odoo.
_ADDON_ROOT = Path(__file__).resolve().parents[2]
if (_ADDON_ROOT / "__init__.py").is_file() and _ADDON_ROOT.name not in sys.modules:
    _stub = types.ModuleType(_ADDON_ROOT.name)
    _stub.__path__ = [str(_ADDON_ROOT)]
    sys.modules[_ADDON_ROOT.name] = _stub


@pytest.fixture(scope="session")
def sandbox_server():
    server = SandboxServer().start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server):
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


@pytest.fixture
def call(sandbox):
    """``call("facturacion/nuevo", body)`` -> the JSON answer (HTTP 200 checked)."""
    session = requests.Session()

    def post(endpoint, body=None, server=None):
        target = server or sandbox
        body = {**SANDBOX_CREDENTIALS, **(body or {})}
        if isinstance(body.get("requests"), list):
            # The lotes pages: the credentials in every request too.
            credentials = {key: body[key] for key in SANDBOX_CREDENTIALS}
            body["requests"] = [
                {**credentials, **item} if isinstance(item, dict) else item
                for item in body["requests"]
            ]
        response = session.post(f"{target.url}/{endpoint}", json=body, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    yield post
    session.close()
