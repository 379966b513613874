"""Fixtures: one in-process sandbox per session, reset for every test."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from tusfacturas import TusFacturasClient
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


def _make_client(sandbox, **kwargs):
    options = {
        "base_url": sandbox.url,
        "connect_timeout": 2.0,
        "read_timeout": 5.0,
        "retries": 3,
        "backoff_factor": 0,
        # The sandbox serves its PDFs from another host, as TusFacturas does.
        "pdf_hosts": [sandbox.pdf_origin],
    }
    options.update(kwargs)
    credentials = dict(SANDBOX_CREDENTIALS)
    for key in ("apikey", "apitoken", "usertoken"):
        if key in options:
            credentials[key] = options.pop(key)
    return TusFacturasClient(**credentials, **options)


@pytest.fixture
def client(sandbox):
    with _make_client(sandbox) as api:
        yield api


@pytest.fixture
def fast_client(sandbox):
    """A client with a short read timeout, for fault tests."""
    with _make_client(sandbox, read_timeout=0.5) as api:
        yield api


@pytest.fixture
def make_client(sandbox):
    """Factory: ``make_client(read_timeout=0.5, usertoken=...)``."""
    made = []

    def factory(**kwargs):
        api = _make_client(sandbox, **kwargs)
        made.append(api)
        return api

    yield factory
    for api in made:
        api.close()
