"""Commands that work through stored calls: a line per call, the problems at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import click

from qa.models import Call
from qa.services.calls.each_call import each_call

T = TypeVar("T")


class EachCall:
    """Runs ``work`` on each call found; ``problems`` collects the calls that could not be done."""

    def __init__(self, asked: Iterable[int], found: list[int]) -> None:
        self.found = found
        self.problems = [
            f"call #{n}: no such call or no transcript yet" for n in asked if n not in found
        ]
        self.done = 0

    def run(self, work: Callable[[Call], T]) -> Iterator[tuple[int, T]]:
        """Yield ``(call id, result)`` for each call whose work was committed."""
        for outcome in each_call(self.found, work):
            if outcome.error is not None:
                error = outcome.error
                self.problems.append(f"call #{outcome.call_id}: {type(error).__name__}: {error}")
                continue
            self.done += 1
            yield outcome.call_id, outcome.result  # type: ignore[misc]

    def finish(self, summary: str) -> None:
        """Print the summary, then the problems (exit status 1 when there are any)."""
        click.echo(summary)
        if self.problems:
            for problem in self.problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(1)
