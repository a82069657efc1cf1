"""The README's first command, after installation: migrate, load demo data, serve, stop.

`make test` (the second command) is what CI runs, so this covers `make serve`, the part of
`make run` that follows the install: it must migrate, load the demo, answer HTTP on 127.0.0.1,
and stop both the web server and the worker on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Runs the command with Ctrl-C's default action, as in a terminal: a runner that starts this
# suite in the background may have set SIGINT to "ignore", which children inherit. (Not a
# preexec_fn: running Python between fork and exec can deadlock a process with threads.)
_WITH_DEFAULT_SIGINT = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])",
]


@pytest.mark.slow
def test_make_serve_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "VENV": str(Path(sys.executable).parent.parent),
        "QA_INSTANCE_PATH": str(tmp_path / "instance"),
        "QA_PORT": str(port),
        "QA_QUEUE_NAME": f"quickstart-{port}",
    }
    env.pop("QA_QUEUE_URL", None)
    env.pop("QA_DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603 - fixed argument list, no outside input
        # The quickstart runs make from PATH, as a user would.
        [*_WITH_DEFAULT_SIGINT, "make", "--no-print-directory", "serve", f"VENV={env['VENV']}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as resp:  # noqa: S310
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "csrf_token" in body, "the server did not answer"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert "Password for all of them:" in output, output
    assert (tmp_path / "instance" / "qa.sqlite3").exists()
    assert (tmp_path / "instance" / "config.py").read_text().startswith("SECRET_KEY")
    # Ctrl-C stopped the server and the worker: nothing of this instance is left running.
    time.sleep(1)
    leftover = subprocess.run(  # noqa: S603 - fixed argument list, no outside input
        # pgrep comes from PATH (procps), like make above.
        ["pgrep", "-s", str(process.pid)], capture_output=True, text=True, check=False  # noqa: S607
    ).stdout
    assert leftover.strip() == "", leftover
