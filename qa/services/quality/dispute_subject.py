"""What one kind of dispute subject says about itself: the facts the one dispute flow
(:mod:`qa.services.quality.disputes`) asks of a call review, a mystery-shop report or a pay
statement. The flow (window, reason, uniqueness, notifications, decision) is written once there;
a subject only answers these questions."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any

from qa.models import Dispute, User


class DisputeSubject(ABC):
    """One thing that may be disputed item by item. Subclasses answer each question."""

    deciders: frozenset[str] = frozenset()
    # Whether an upheld dispute changes a review's answers (a pay line is corrected by a new
    # statement version instead).
    changes_answers = False
    resolve_endpoint = "reviews.dispute_resolve"

    @abstractmethod
    def exists(self) -> bool:
        ...

    @abstractmethod
    def final_since(self) -> datetime | None:
        """When the subject became final (the dispute window opens), None if not yet."""

    @abstractmethod
    def may_raise(self, user: User) -> bool:
        ...

    @abstractmethod
    def check_visible(self, user: User) -> None:
        """NotFound where ``user`` may not learn the subject exists."""

    @abstractmethod
    def choices(self) -> list[tuple[str, str]]:
        """(key, text) of what may be disputed."""

    def default_key(self) -> str | None:
        return None

    @abstractmethod
    def unknown_item(self, key: object) -> str:
        ...

    @abstractmethod
    def refused(self) -> str:
        """Why ``may_raise`` said no."""

    @abstractmethod
    def key_of(self) -> dict[str, Any]:
        """The columns that point a :class:`Dispute` at this subject."""

    @abstractmethod
    def disputes_where(self) -> Any:
        """The condition selecting this subject's disputes."""

    @abstractmethod
    def link(self, dispute: Dispute, reader: User) -> str:
        """Where ``reader`` sees the dispute."""

    @abstractmethod
    def params(self, dispute: Dispute) -> dict[str, Any]:
        """What the notification texts name (rendered in the reader's language)."""

    def raised(self, dispute: Dispute, user: User) -> None:
        """After a dispute was saved (a shop becomes disputed); nothing by default."""
        return None

    def decided(self, dispute: Dispute, user: User) -> None:
        """After a dispute was decided (a shop becomes resolved with its last one); nothing by
        default."""
        return None
