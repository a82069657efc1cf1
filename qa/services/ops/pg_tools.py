"""PostgreSQL's pg_dump and pg_restore: finding a version that fits the server, and running them.

pg_dump refuses a server newer than itself, and pg_restore cannot read an archive written by a
newer pg_dump, so the programs on PATH and under ``/usr/lib/postgresql/<major>/bin`` (Debian's
side-by-side versions) are compared and the oldest one that is new enough is used.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess  # noqa: S404 - runs the PostgreSQL client programs, no shell
from dataclasses import dataclass

from sqlalchemy.engine import URL, make_url

from qa.services.errors import ServiceError

DEBIAN_BIN = "/usr/lib/postgresql/*/bin"
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class ToolMissing(ServiceError):
    """The PostgreSQL client program needed is absent or too old."""


@dataclass(frozen=True)
class Tool:
    path: str
    major: int
    version: str


def _version(path: str) -> Tool | None:
    try:
        out = subprocess.run(  # noqa: S603 - a fixed argument list
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out)
    if not match:
        return None
    return Tool(path=path, major=int(match.group(1)), version=match.group(0).split()[-1])


def candidates(program: str) -> list[Tool]:
    """Every runnable ``program`` on PATH or in Debian's per-version folders."""
    paths = [shutil.which(program) or ""]
    paths += sorted(glob.glob(os.path.join(DEBIAN_BIN, program)))
    found: dict[str, Tool] = {}
    for path in paths:
        if path and os.access(path, os.X_OK):
            real = os.path.realpath(path)
            tool = _version(path)
            if tool and real not in found:
                found[real] = tool
    return sorted(found.values(), key=lambda tool: tool.major)


def find(program: str, at_least: int, why: str) -> Tool:
    """The oldest ``program`` whose major version is ``at_least`` or newer."""
    tools = candidates(program)
    if not tools:
        raise ToolMissing(
            f"{program} was not found on PATH or in {DEBIAN_BIN}: install the PostgreSQL "
            f"client programs (Debian: postgresql-client-{at_least})."
        )
    for tool in tools:
        if tool.major >= at_least:
            return tool
    have = ", ".join(f"{t.version} ({t.path})" for t in tools)
    raise ToolMissing(
        f"{program} {at_least} or newer is needed ({why}); found only {have}: install "
        f"postgresql-client-{at_least} or put a newer {program} on PATH."
    )


def server_major(version_num: int) -> int:
    """Major version from ``server_version_num`` (150020 -> 15)."""
    return version_num // 10000 if version_num >= 100000 else version_num // 100


def connection(url: str | URL) -> tuple[str, dict[str, str]]:
    """A libpq ``--dbname`` URI without the password, and the environment that carries it."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    dbname = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False
    )
    return dbname, env


def run(args: list[str], env: dict[str, str], what: str) -> str:
    """Run a client program and return its output; ServiceError with its last lines when it
    fails."""
    try:
        done = subprocess.run(  # noqa: S603 - arguments, not a shell line
            args, capture_output=True, text=True, env=env, check=False
        )
    except OSError as exc:
        raise ServiceError(f"{what} could not start: {exc}") from None
    if done.returncode != 0:
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise ServiceError(f"{what} failed (exit {done.returncode}): {tail}")
    return done.stdout
