"""Reading a scorecard form's answers: one check for submitted reviews and saved drafts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text
from scoring.scorecard import ScorecardError, ScorecardItem, normalize_answer

MAX_COMMENT = 5000
MAX_ITEM_COMMENT = 2000


class MissingAnswers(ValidationFailed):
    """Items were left unanswered; ``keys`` names them (the form marks them)."""

    def __init__(self, message: str, keys: list[str]) -> None:
        super().__init__(message)
        self.keys = keys


def collect_answers(
    items: list[ScorecardItem],
    values: Mapping[str, Any],
    comments: Mapping[str, str],
    *,
    partial: bool = False,
) -> dict[str, dict[str, Any]]:
    """{item key: {"value", "comment"}} from the form's fields; every problem named at once.

    ``partial`` (a draft): an unanswered item is left out instead of refused.
    """
    stored: dict[str, dict[str, Any]] = {}
    problems = []
    missing = []
    for item in items:
        raw = values.get(item.key)
        entry: dict[str, Any] = {}
        if raw is None or raw == "":
            if not partial:
                missing.append(item.key)
                problems.append(_("%(item)s: choose an answer", item=item.text))
        else:
            try:
                entry["value"] = normalize_answer(item, raw)
            except ScorecardError as exc:
                problems.append(str(exc))
        try:
            comment = clean_text(
                comments.get(item.key),
                field=item.text,
                max_length=MAX_ITEM_COMMENT,
                multiline=True,
            )
        except ValidationFailed as exc:
            problems.append(str(exc))
            continue
        if comment:
            entry["comment"] = comment
        if entry:
            stored[item.key] = entry
    if problems:
        if missing:
            raise MissingAnswers("; ".join(problems), missing)
        raise ValidationFailed("; ".join(problems))
    return stored


def clean_overall_comment(comment: str | None) -> str | None:
    return clean_text(comment, field=_("Overall comment"), max_length=MAX_COMMENT, multiline=True)
