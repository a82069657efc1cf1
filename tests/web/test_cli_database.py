"""A database that cannot be used ends a `qa` command with one clear line, not a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from qa import create_app
from qa.cli import main
from tests.web.test_worker import QA


def dead_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_on(url: str, tmp_path: Path) -> Flask:
    return create_app({
        "SECRET_KEY": "cli-test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "RECORDINGS_DIR": str(tmp_path / "recordings"),
    })


@pytest.fixture
def dead_database_url() -> str:
    pytest.importorskip("psycopg")
    return f"postgresql+psycopg://qa:secret@127.0.0.1:{dead_port()}/qa"


@pytest.mark.parametrize("command", [["worker"], ["db", "upgrade"], ["transcribe", "x.wav"]])
def test_an_unreachable_database_is_one_clear_line(
    command: list[str], dead_database_url: str, tmp_path: Path
) -> None:
    result = app_on(dead_database_url, tmp_path).test_cli_runner().invoke(main, command)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: Cannot use the database at postgresql+psycopg://qa:***@"
                               f"127.0.0.1:{dead_database_url.split(':')[3]}")
    assert "secret" not in result.output


def test_transcribe_before_the_database_is_migrated_says_what_to_run(tmp_path: Path) -> None:
    audio = tmp_path / "x.wav"
    audio.write_bytes(b"RIFF")
    app = app_on(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path)
    result = app.test_cli_runner().invoke(main, ["transcribe", str(audio)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: The database at sqlite:///{tmp_path / 'empty.sqlite3'} has no tables yet: "
        "run `qa db upgrade` first."
    ]


def test_the_console_script_prints_no_traceback(dead_database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "QA_DATABASE_URL": dead_database_url,
           "QA_INSTANCE_PATH": str(tmp_path / "instance")}
    done = subprocess.run(  # noqa: S603 - our own console script
        [QA, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: Cannot use the database at postgresql+psycopg://qa:***@")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
