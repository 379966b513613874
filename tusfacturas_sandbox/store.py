"""What the sandbox remembers: accounts, points of sale, numbering, comprobantes.

In memory by default; with a state file (the command line's default) every
change is written at once, atomically (a temporary file renamed over the old
one), so a restart keeps the numbering, the comprobantes, the queue and the
CAE counter: a CAE is never given twice, across restarts too.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from .faults import Fault

STATE_VERSION = 1
STATUS_ISSUED = "EMITIDO"
STATUS_ERROR = "ENVIADO A PROCESAR - CON ERROR"


CREDENTIAL_KEYS = ("apikey", "apitoken", "usertoken")


def _without_credentials(body) -> dict:
    """A logged body: no credentials, at its top nor in a lote's requests."""
    clean = {k: v for k, v in dict(body or {}).items() if k not in CREDENTIAL_KEYS}
    if isinstance(clean.get("requests"), list):
        clean["requests"] = [
            _without_credentials(item) if isinstance(item, dict) else item
            for item in clean["requests"]
        ]
    return clean


def default_state_path() -> Path:
    """``${XDG_CACHE_HOME:-~/.cache}/l10n_ar_tusfacturas/sandbox-state.json``."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(cache) / "l10n_ar_tusfacturas" / "sandbox-state.json"


@dataclass
class Account:
    apikey: str
    apitoken: str
    usertoken: str
    cuit: str
    testing: bool = False
    razon_social: str = "CUIT SANDBOX"


@dataclass
class Record:
    """A comprobante stored by the sandbox (issued, queued or in error)."""

    usertoken: str
    seq: int
    tipo: str
    punto_venta: int
    numero: int
    fecha: date
    cliente: dict
    comprobante: dict
    total: Decimal
    external_reference: str
    status: str
    cae: str = ""
    cae_due: date | None = None
    afip_qr: str = ""
    barcode: str = ""
    pdf_token: str = ""
    pdf_origin: str = ""
    errors: list = field(default_factory=list)
    observaciones: str = ""

    def to_json(self) -> dict:
        data = asdict(self)
        data["fecha"] = self.fecha.isoformat()
        data["cae_due"] = self.cae_due.isoformat() if self.cae_due else None
        data["total"] = str(self.total)
        return data

    @classmethod
    def from_json(cls, data: dict) -> Record:
        data = dict(data)
        data["fecha"] = date.fromisoformat(data["fecha"])
        due = data.get("cae_due")
        data["cae_due"] = date.fromisoformat(due) if due else None
        data["total"] = Decimal(data["total"])
        return cls(**data)


class SandboxState:
    """Everything the sandbox remembers; all access goes through ``lock``."""

    def __init__(self, path: str | os.PathLike | None = None, fresh: bool = False):
        self.lock = threading.RLock()
        self.path = Path(path) if path else None
        self.accounts: dict[str, Account] = {}
        self.cae_counter = 0
        self._version = 0
        self._saved_version = 0
        self.reset(keep_counter=False)
        if self.path is not None and not fresh and self.path.is_file():
            self._load()

    # -- lifecycle -----------------------------------------------------------
    def reset(self, keep_counter: bool = True) -> None:
        """Forget comprobantes, numbering, faults, log, incidents, POS settings.

        The CAE counter is kept: a CAE given before a reset is never given again.
        """
        with self.lock:
            self.numbering: dict[tuple, int] = {}
            self.records: list[Record] = []
            self.faults: list[Fault] = []
            self.request_log: list[tuple[str, dict]] = []
            self.pos_settings: dict[tuple, dict] = {}
            # Comprobantes ARCA knows that were not issued through TusFacturas
            # (before the account used it, or elsewhere): notes may cite them.
            self.outside: dict[tuple, SimpleNamespace] = {}
            self.today: date | None = None  # the day requests are sent (None: real)
            self.seq = 0
            self.afip_status = "OK"
            # tablas_referencia/<name> -> items served instead of the canned ones
            # (a table changed on TusFacturas' side).
            self.table_overrides: dict[str, list[dict]] = {}
            # Seconds between generation requests of one CUIT (0: not checked)
            # and when each CUIT's last one arrived (time.monotonic()).
            self.generation_spacing = 0.0
            self.last_generation: dict[str, float] = {}
            # Webhooks (memory only): URL per usertoken, hooks not yet sent.
            self.webhooks: dict[str, str] = {}
            self.outbox: list[dict] = []
            self.hook_seq = 0
            # How facturacion/lotes answers: both shapes and orders the docs
            # allow (see facturacion.shape_lotes_answer).
            self.lotes_shape = "flat"
            self.lotes_order = "request"
            if not keep_counter:
                self.cae_counter = 0
            self.touch()

    def touch(self) -> None:
        """Mark the state changed (saved by ``save``)."""
        self._version += 1

    def next_cae(self) -> str:
        """A 14-digit CAE never given before (time-based, then increasing)."""
        with self.lock:
            now = int(time.time() * 1000) % 10**13
            self.cae_counter = max(self.cae_counter + 1, now)
            self.touch()
            return f"7{self.cae_counter:013d}"

    # -- persistence ---------------------------------------------------------
    def to_json(self) -> dict:
        with self.lock:
            return {
                "version": STATE_VERSION,
                "saved_at": datetime.now().isoformat(timespec="seconds"),
                "accounts": [asdict(a) for a in self.accounts.values()],
                "numbering": [[*key, value] for key, value in self.numbering.items()],
                "records": [r.to_json() for r in self.records],
                "pos_settings": [
                    [*key, value] for key, value in self.pos_settings.items()
                ],
                "seq": self.seq,
                "cae_counter": self.cae_counter,
            }

    def _load(self) -> None:
        data = json.loads(self.path.read_text(encoding="utf-8"))
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"{self.path}: unknown sandbox state version")
        with self.lock:
            for item in data.get("accounts", []):
                self.accounts[item["usertoken"]] = Account(**item)
            self.numbering = {
                (u, t, int(pv)): int(n) for u, t, pv, n in data.get("numbering", [])
            }
            self.records = [Record.from_json(r) for r in data.get("records", [])]
            self.pos_settings = {
                (u, int(pv)): dict(v) for u, pv, v in data.get("pos_settings", [])
            }
            self.seq = int(data.get("seq", 0))
            self.cae_counter = int(data.get("cae_counter", 0))
            self._saved_version = self._version

    def save(self) -> None:
        """Write the state file atomically when something changed."""
        if self.path is None:
            return
        with self.lock:
            if self._version == self._saved_version:
                return
            data = self.to_json()
            version = self._version
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(
                dir=self.path.parent, prefix=".sandbox-state-", suffix=".tmp"
            )
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(data, stream, ensure_ascii=False, indent=1)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self._saved_version = version

    # -- accounts and points of sale ----------------------------------------
    def add_account(self, account: Account) -> None:
        with self.lock:
            self.accounts[account.usertoken] = account
            self.touch()

    def set_pos(self, usertoken: str, punto_venta: int, **settings) -> None:
        with self.lock:
            key = (usertoken, int(punto_venta))
            self.pos_settings.setdefault(key, {}).update(settings)
            self.touch()

    def products_only(self, account: Account, punto_venta) -> bool:
        """Whether the CUIT + point of sale is set as invoicing products only."""
        try:
            key = (account.usertoken, int(punto_venta))
        except (TypeError, ValueError):
            return False
        return bool(self.pos_settings.get(key, {}).get("products_only"))

    # -- request log and faults ---------------------------------------------
    def log_request(self, endpoint: str, body: dict) -> None:
        clean = _without_credentials(body)
        with self.lock:
            self.request_log.append((endpoint, clean))

    def requests_to(self, endpoint: str) -> list[dict]:
        endpoint = endpoint.strip("/")
        with self.lock:
            return [body for name, body in self.request_log if name == endpoint]

    def requested_endpoints(self) -> list[str]:
        with self.lock:
            return [name for name, _body in self.request_log]

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults = []

    def take_fault(self, endpoint: str, kinds=None, exclude=()) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if kinds is not None and fault.kind not in kinds:
                    continue
                if fault.kind in exclude:
                    continue
                if fault.endpoints is not None and endpoint not in fault.endpoints:
                    continue
                if fault.offset > 0:
                    fault.offset -= 1  # this one goes through untouched
                    return None
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    # -- numbering and records ----------------------------------------------
    @staticmethod
    def key(account: Account, tipo: str, pv: int) -> tuple:
        return (account.usertoken, tipo, pv)

    def next_number(self, account: Account, tipo: str, pv: int) -> int:
        return self.numbering.get(self.key(account, tipo, pv), 0) + 1

    def mine(self, account: Account) -> list[Record]:
        return [r for r in self.records if r.usertoken == account.usertoken]

    def find_issued(self, account, tipo, pv, numero) -> Record | None:
        for record in self.records:
            if (
                record.usertoken == account.usertoken
                and record.status == STATUS_ISSUED
                and record.tipo == tipo
                and record.punto_venta == pv
                and record.numero == numero
            ):
                return record
        return None

    def add_outside(self, usertoken, tipo, pv, numero, fecha, *, moneda) -> None:
        """Record a comprobante ARCA authorised outside TusFacturas."""
        with self.lock:
            self.outside[(usertoken, tipo, int(pv), int(numero))] = SimpleNamespace(
                fecha=fecha, comprobante={"moneda": moneda}
            )

    def find_known(self, account, tipo, pv, numero):
        """An issued record, or one ARCA knows from outside TusFacturas."""
        record = self.find_issued(account, tipo, pv, numero)
        if record is None:
            record = self.outside.get((account.usertoken, tipo, pv, numero))
        return record

    def last_issued_date(self, account: Account, pv: int) -> date | None:
        """The latest date issued on the point of sale (any type)."""
        dates = [
            r.fecha
            for r in self.records
            if r.usertoken == account.usertoken
            and r.punto_venta == pv
            and r.status == STATUS_ISSUED
        ]
        return max(dates) if dates else None

    def find_pdf(self, token: str) -> tuple[Record, Account | None] | None:
        with self.lock:
            for record in self.records:
                if record.pdf_token and record.pdf_token == token:
                    return record, self.accounts.get(record.usertoken)
        return None
