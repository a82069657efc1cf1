"""Commands that work through stored calls one at a time: each call commits on its own, and a
call that fails is rolled back and reported while the others go on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import click

from qa.extensions import db
from qa.models import Call

T = TypeVar("T")


class EachCall:
    """Runs ``work`` on each call; ``problems`` collects the calls that could not be done."""

    def __init__(self, asked: Iterable[int], found: list[int]) -> None:
        self.found = found
        self.problems = [
            f"call #{n}: no such call or no transcript yet" for n in asked if n not in found
        ]
        self.done = 0

    def run(self, work: Callable[[Call], T]) -> Iterator[tuple[int, T]]:
        """Yield ``(call id, result)`` for each call whose work was committed."""
        for call_id in self.found:
            call = db.session.get(Call, call_id)
            try:
                result = work(call)  # type: ignore[arg-type]
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - one bad call must not stop the rest
                db.session.rollback()
                self.problems.append(f"call #{call_id}: {type(exc).__name__}: {exc}")
                continue
            self.done += 1
            yield call_id, result

    def finish(self, summary: str) -> None:
        """Print the summary, then the problems (exit status 1 when there are any)."""
        click.echo(summary)
        if self.problems:
            for problem in self.problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(1)
