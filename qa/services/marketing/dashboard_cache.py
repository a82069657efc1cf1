"""The dashboard's expensive aggregates, kept per process until their tables change.

Lead counts, resistance, buyers, daily counts and call figures each walk the period's rows; they
are cached under the ``lead_figures`` data version (:mod:`qa.data_versions`), which every
committed write to leads, calls, findings, campaigns or transcript segments raises, from any
process. A process therefore computes each aggregate at most once per version, and the first
request after a write pays the full computation. Nothing that depends on today (prorated views
and spend) or on reviews, audits and settings is cached: those are read on every request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from qa import data_versions

GROUP = "lead_figures"
# A year's aggregates are a few hundred small rows (well under a megabyte): this many periods
# and campaigns' charts cover every user's recent choices at a few tens of megabytes at most.
MAX_ENTRIES = 64

T = TypeVar("T")
Version = tuple[str, int] | None

_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def version() -> Version:
    """The version to key this request's aggregates by (None: do not cache)."""
    return data_versions.current(GROUP)


def cached(version: Version, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s result for ``key`` at ``version``, from the cache when it has it.

    The value is shared by every request of the process until the version changes: callers
    read it and copy what they change (a deep copy of a year's figures cost more than reading
    them).
    """
    if version is None:
        return compute()
    full_key = (version, key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[full_key] = value
        # Older versions are never asked for again; they leave first as the oldest entries.
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value
