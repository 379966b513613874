"""`make setup` on a machine without Odoo: it fetches a shallow clone of the
Odoo 18.0 branch from ODOO_REPO_URL, and fails clearly when it cannot.

The official repository cannot be reached from here: a tiny local git
repository shaped like Odoo (odoo-bin, odoo/release.py) stands in for it.
"""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1]
RELEASE = "version_info = ({major}, 0, 0, FINAL, 0, '')\n"


def git(*args, cwd=None):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def make_odoo_repo(path, major=18, branch="18.0"):
    """A repository holding the two files setup looks at, on ``branch``,
    with two commits (a shallow clone keeps only the last)."""
    path.mkdir()
    git("init", "-q", "-b", branch, cwd=path)
    (path / "odoo").mkdir()
    (path / "odoo" / "release.py").write_text(RELEASE.format(major=major))
    (path / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    for message in ("first", "second"):
        (path / "README").write_text(message)
        git("add", "-A", cwd=path)
        git(
            "-c", "user.name=t", "-c", "user.email=t@example.com",
            "commit", "-q", "-m", message, cwd=path,
        )  # fmt: skip
    return f"file://{path}"


def run(script, tmp_path, **env):
    environ = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "VENV": str(tmp_path / "venv"),  # never the shared one
        **env,
    }
    return subprocess.run(
        ["bash", str(SCRIPTS / script)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_fetches_a_shallow_clone_of_the_18_branch(tmp_path):
    url = make_odoo_repo(tmp_path / "upstream")
    target = tmp_path / "src" / "odoo"
    result = run("fetch-odoo.sh", tmp_path, ODOO_PATH=str(target), ODOO_REPO_URL=url)
    assert result.returncode == 0, result.stderr
    assert "no Odoo at ODOO_PATH" in result.stdout
    assert "fetched Odoo 18.0 into" in result.stdout
    assert (target / "odoo-bin").is_file()
    assert "version_info = (18, 0" in (target / "odoo" / "release.py").read_text()
    assert git("rev-parse", "--is-shallow-repository", cwd=target) == "true"
    assert git("rev-list", "--count", "HEAD", cwd=target) == "1"
    assert git("rev-parse", "--abbrev-ref", "HEAD", cwd=target) == "18.0"


def test_an_existing_tree_is_left_alone(tmp_path):
    url = make_odoo_repo(tmp_path / "upstream")
    target = tmp_path / "odoo"
    run("fetch-odoo.sh", tmp_path, ODOO_PATH=str(target), ODOO_REPO_URL=url)
    head = git("rev-parse", "HEAD", cwd=target)
    result = run(
        "fetch-odoo.sh",
        tmp_path,
        ODOO_PATH=str(target),
        ODOO_REPO_URL="file:///nowhere",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert git("rev-parse", "HEAD", cwd=target) == head


def test_unreachable_repository_fails_clearly_and_leaves_nothing(tmp_path):
    target = tmp_path / "odoo"
    result = run(
        "fetch-odoo.sh",
        tmp_path,
        ODOO_PATH=str(target),
        ODOO_REPO_URL=f"file://{tmp_path}/no-such-repo",
    )
    assert result.returncode != 0
    assert "could not fetch Odoo" in result.stderr
    assert "ODOO_REPO_URL" in result.stderr
    assert not target.exists()


def test_a_folder_that_is_not_odoo_is_refused(tmp_path):
    target = tmp_path / "odoo"
    target.mkdir()
    (target / "something").write_text("x")
    result = run("fetch-odoo.sh", tmp_path, ODOO_PATH=str(target))
    assert result.returncode != 0
    assert "not an Odoo" in result.stderr
    assert (target / "something").exists()


@pytest.mark.parametrize("major", [17])
def test_setup_fetches_then_refuses_another_version(tmp_path, major):
    """setup.sh runs the fetch first; a tree that is not 18.0 stops it before
    anything is installed."""
    url = make_odoo_repo(tmp_path / "upstream", major=major)
    target = tmp_path / "odoo"
    result = run("setup.sh", tmp_path, ODOO_PATH=str(target), ODOO_REPO_URL=url)
    assert result.returncode != 0
    assert "fetched Odoo 18.0 into" in result.stdout
    assert f"holds Odoo '{major}.0', not 18.0" in result.stderr
    assert not (tmp_path / "venv").exists()
