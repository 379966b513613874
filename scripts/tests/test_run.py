"""`make run` (scripts/run.sh): the sandbox's numbering belongs to the database
(issue 17). A database created afresh numbers from 1, so the sandbox must
start empty whatever state an earlier database of that name, or of another
name, left; a database only updated keeps the numbers it already issued.

run.sh runs here with stand-ins for psql (which databases exist, whether the
addon is installed) and for the virtualenv's python: Odoo is never started
and the sandbox's arguments are recorded. The real sandbox is then started
with those arguments (on free ports) and asked which number it expects.
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tusfacturas_sandbox import SANDBOX_CREDENTIALS, SandboxServer
from tusfacturas_sandbox.samples import invoice_payload

SCRIPTS = Path(__file__).resolve().parents[1]
REPOSITORY = SCRIPTS.parent
DB = "tf_run_test"
# The sandbox started by a test: any free ports (the last --port given wins).
FREE_PORTS = ("--port", "0", "--pdf-port", "0")

FAKE_PSQL = """\
#!/usr/bin/env bash
# psql: the databases of $FAKE_DATABASES exist, the addon's state in them is
# $FAKE_ADDON_STATE; with $FAKE_PSQL_DOWN, PostgreSQL cannot be reached.
if [ -n "${FAKE_PSQL_DOWN:-}" ]; then
  echo "psql: error: connection to server failed" >&2
  exit 2
fi
sql="${!#}"
case $sql in
  *pg_database*)
    for db in $FAKE_DATABASES; do
      if [[ $sql == *"'$db'"* ]]; then echo 1; fi
    done ;;
  *ir_module_module*)
    if [ -n "$FAKE_ADDON_STATE" ]; then echo "$FAKE_ADDON_STATE"; fi ;;
esac
"""

FAKE_PYTHON = """\
#!/usr/bin/env bash
# The virtualenv's python: the sandbox's port is free; the sandbox records
# its arguments and waits to be stopped; Odoo records its arguments and ends.
case $1 in
  -) cat >/dev/null ;;
  -m)
    printf '%s\\n' "${@:3}" > "$FAKE_LOG/sandbox.tmp"
    mv "$FAKE_LOG/sandbox.tmp" "$FAKE_LOG/sandbox.args"
    exec sleep 60 ;;
  *)
    for _ in $(seq 100); do
      [ -e "$FAKE_LOG/sandbox.args" ] && break
      sleep 0.1
    done
    printf '%s\\n' "$@" -- >> "$FAKE_LOG/odoo.args" ;;
esac
"""


class Machine:
    """A home folder, stand-ins on PATH, and what run.sh made of them."""

    def __init__(self, root: Path):
        self.home = root / "home"
        self.log = root / "log"
        self.bin = root / "bin"
        self.venv = root / "venv"
        for folder in (self.home, self.log, self.bin, self.venv / "bin"):
            folder.mkdir(parents=True)
        for path, text in (
            (self.bin / "psql", FAKE_PSQL),
            (self.venv / "bin" / "python", FAKE_PYTHON),
        ):
            path.write_text(text)
            path.chmod(0o755)
        self.cache = self.home / ".cache" / "l10n_ar_tusfacturas"
        # Where `make sandbox` and run.sh kept the state before (shared).
        self.shared_state = self.cache / "sandbox-state.json"

    def state_of(self, db):
        return self.cache / "sandbox-states" / f"{db}.json"

    def run(self, databases=(), addon_state="", **env):
        """run.sh on database DB, PostgreSQL holding ``databases``."""
        for name in ("sandbox.args", "odoo.args"):
            (self.log / name).unlink(missing_ok=True)
        environ = {
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "HOME": str(self.home),
            "VENV": str(self.venv),
            "ODOO_PATH": str(self.home / "odoo"),
            "DB": DB,
            "FAKE_LOG": str(self.log),
            "FAKE_DATABASES": " ".join(databases),
            "FAKE_ADDON_STATE": addon_state,
            **env,
        }
        return subprocess.run(
            ["bash", str(SCRIPTS / "run.sh")],
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def sandbox_args(self):
        return (self.log / "sandbox.args").read_text().split("\n")[:-1]

    def odoo_module_option(self):
        install = (self.log / "odoo.args").read_text().split("\n--\n")[0].split("\n")
        return install[install.index("--stop-after-init") - 2 :][:2]


@pytest.fixture
def machine(tmp_path):
    return Machine(tmp_path)


def issue_numbers(state_file, count):
    """What an earlier sandbox left in ``state_file``: FACTURA B 1..count of
    point of sale 2."""
    with SandboxServer(state_file=state_file) as sandbox:
        for number in range(1, count + 1):
            answer = post(sandbox.url, "facturacion/nuevo", invoice_payload())
            assert answer["comprobante_nro"] == f"00002-{number:08d}", answer


def post(url, endpoint, body):
    response = requests.post(
        f"{url}/{endpoint}", json={**SANDBOX_CREDENTIALS, **body}, timeout=10
    )
    assert response.status_code == 200
    return response.json()


@contextmanager
def sandbox_started_with(machine, args):
    """``python -m tusfacturas_sandbox`` with run.sh's arguments, on free
    ports instead of 8070 and 8071, at home on ``machine`` (without --state
    it would use the default state file of the home folder)."""
    environ = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tusfacturas_sandbox", *args, *FREE_PORTS],
        cwd=REPOSITORY,
        env={**environ, "HOME": str(machine.home)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert "listening on " in first, first
        yield first.split("listening on ")[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def next_number(url):
    """The number the sandbox expects next for FACTURA B of point of sale 2."""
    body = {"comprobante": {"tipo": "FACTURA B", "punto_venta": 2}}
    return int(post(url, "facturacion/numeracion", body)["comprobante"]["numero"])


def first_confirm_gets_a_cae(machine):
    """The first comprobante a fresh database sends (number 1) is authorized
    by the sandbox run.sh started."""
    with sandbox_started_with(machine, machine.sandbox_args()) as url:
        assert next_number(url) == 1
        answer = post(url, "facturacion/nuevo", invoice_payload(numero=1))
        assert answer["error"] == "N", answer["errores"]
        assert answer["cae"].strip()


@pytest.mark.parametrize(
    ("databases", "addon_state"),
    [((), ""), ((DB,), ""), ((DB,), "uninstalled")],
    ids=["no database", "no Odoo in it yet", "addon not installed"],
)
def test_a_new_database_starts_the_sandbox_fresh(machine, databases, addon_state):
    """A database dropped and created again under the same name: the
    numbers its predecessor issued are forgotten; other databases' stay."""
    own, other = machine.state_of(DB), machine.state_of("another_db")
    issue_numbers(own, 2)
    issue_numbers(other, 3)
    issue_numbers(machine.shared_state, 4)
    kept = other.read_bytes(), machine.shared_state.read_bytes()
    result = machine.run(databases, addon_state)
    assert result.returncode == 0, result.stderr
    assert machine.sandbox_args() == ["--port", "8070", "--state", str(own), "--fresh"]
    assert machine.odoo_module_option() == ["-i", "l10n_ar_tusfacturas"]
    assert "(a new database)" in result.stdout
    assert not own.exists()
    assert (other.read_bytes(), machine.shared_state.read_bytes()) == kept
    first_confirm_gets_a_cae(machine)


@pytest.mark.parametrize("addon_state", ["installed", "to upgrade"])
def test_an_existing_database_keeps_its_state(machine, addon_state):
    """Updated (or after an interrupted update): the sandbox goes on from
    the numbers this database issued, not from another database's."""
    own = machine.state_of(DB)
    issue_numbers(own, 2)
    issue_numbers(machine.state_of("another_db"), 5)
    issue_numbers(machine.shared_state, 7)
    result = machine.run([DB], addon_state)
    assert result.returncode == 0, result.stderr
    assert machine.sandbox_args() == ["--port", "8070", "--state", str(own)]
    if addon_state == "installed":
        assert machine.odoo_module_option() == ["-u", "l10n_ar_tusfacturas"]
    with sandbox_started_with(machine, machine.sandbox_args()) as url:
        assert next_number(url) == 3


def test_a_new_database_left_before_any_request_starts_from_1_again(machine):
    """Installed, then stopped before anything was confirmed: the sandbox
    never wrote its fresh state, yet the next run (an update) must find
    neither the numbers of the database that had the name before nor those
    of the state all databases shared before."""
    own = machine.state_of(DB)
    issue_numbers(own, 2)
    issue_numbers(machine.shared_state, 4)
    assert machine.run([]).returncode == 0
    result = machine.run([DB], "installed")
    assert result.returncode == 0, result.stderr
    assert "--fresh" not in machine.sandbox_args()
    first_confirm_gets_a_cae(machine)


def test_a_database_from_before_takes_over_the_shared_state(machine):
    """A database `make run` created when every database shared the
    sandbox's default state: the first run keeping a state per database
    goes on from a copy of it (left in place); later ones never look at it."""
    issue_numbers(machine.shared_state, 4)
    shared = machine.shared_state.read_bytes()
    result = machine.run([DB], "installed")
    assert result.returncode == 0, result.stderr
    own = machine.state_of(DB)
    assert machine.sandbox_args() == ["--port", "8070", "--state", str(own)]
    assert own.read_bytes() == shared == machine.shared_state.read_bytes()
    with sandbox_started_with(machine, machine.sandbox_args()) as url:
        assert next_number(url) == 5
    result = machine.run([DB, "another_db"], "installed", DB="another_db")
    assert result.returncode == 0, result.stderr
    assert not machine.state_of("another_db").exists()
    first_confirm_gets_a_cae(machine)


def test_postgresql_unreachable_touches_no_state(machine):
    """Whether the database exists is unknown: nothing is started and its
    numbers are not thrown away."""
    own = machine.state_of(DB)
    issue_numbers(own, 2)
    before = own.read_bytes()
    result = machine.run([DB], "installed", FAKE_PSQL_DOWN="1")
    assert result.returncode != 0
    assert f"cannot ask PostgreSQL whether database {DB} exists" in result.stderr
    assert not (machine.log / "sandbox.args").exists()
    assert not (machine.log / "odoo.args").exists()
    assert own.read_bytes() == before


def test_the_state_file_name_is_made_of_the_database_name(machine):
    """One file per database, named after it (characters a file name would
    not take replaced)."""
    result = machine.run([], DB="demo db/1")
    assert result.returncode == 0, result.stderr
    state = machine.cache / "sandbox-states" / "demo_db_1.json"
    assert machine.sandbox_args()[2:] == ["--state", str(state), "--fresh"]
