"""Work through stored calls one at a time: each call commits on its own, and a call that fails
is rolled back and reported while the others go on (commands and background tasks alike)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from qa.extensions import db
from qa.models import Call

T = TypeVar("T")


class Outcome(Generic[T]):
    """What the work gave for one call, or the exception that rolled it back."""

    __slots__ = ("call_id", "error", "result")

    def __init__(self, call_id: int, result: T | None, error: Exception | None) -> None:
        self.call_id = call_id
        self.result = result
        self.error = error


def each_call(call_ids: Iterable[int], work: Callable[[Call], T]) -> Iterator[Outcome[T]]:
    """Run ``work`` on each stored call and commit it; a failure is rolled back and yielded."""
    for call_id in call_ids:
        call = db.session.get(Call, call_id)
        if call is None:
            continue  # deleted meanwhile
        try:
            result = work(call)
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - one bad call must not stop the rest
            db.session.rollback()
            yield Outcome(call_id, None, exc)
            continue
        yield Outcome(call_id, result, None)
