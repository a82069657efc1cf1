"""Scorecard templates and their versions.

Versioning: a version that any review or calibration session uses is frozen. Saving a template
whose latest version is in use creates a new version; old reviews keep theirs. While the latest
version is still unused (a template being drafted) it is updated in place, so drafting does not
leave a trail of versions nobody scored with. Saving an unchanged definition changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from qa.extensions import db
from qa.models import CalibrationSession, Review, ScorecardTemplate, ScorecardVersion, User
from qa.services.admin import audit
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text, json_within_limits
from scoring.scorecard import ScorecardDefinition, ScorecardError

# A definition is an object of sections of items of plain values: five levels. The limits
# leave room for that and refuse, before parsing, what would only exhaust the parser.
MAX_DEFINITION_DEPTH = 8
MAX_DEFINITION_CHARS = 200_000

STARTER_DEFINITION: dict[str, Any] = {
    "sections": [
        {
            "title": "",
            "items": [
                {"key": "item_1", "text": "", "type": "yes_no", "weight": 1, "critical": False,
                 "guidance": ""}
            ],
        }
    ]
}


def list_templates() -> list[ScorecardTemplate]:
    """All templates, active first, then by name."""
    query = select(ScorecardTemplate).order_by(
        ScorecardTemplate.active.desc(), ScorecardTemplate.name, ScorecardTemplate.id
    )
    return list(db.session.scalars(query))


def active_templates() -> list[ScorecardTemplate]:
    """Templates reviewers may score new reviews with (those with at least one version)."""
    return [t for t in list_templates() if t.active and t.current is not None]


def parse_definition(raw: str | Mapping[str, Any]) -> dict[str, Any]:
    """Validate a definition given as JSON text or a mapping; fill blank item keys."""
    field = _("Scorecard")
    json_within_limits(
        raw, field=field, max_depth=MAX_DEFINITION_DEPTH, max_chars=MAX_DEFINITION_CHARS
    )
    if isinstance(raw, str):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                _("The scorecard is not valid JSON: %(error)s", error=exc.msg)
            ) from exc
    else:
        data = dict(raw)
    _fill_keys(data)
    try:
        return ScorecardDefinition.from_dict(data).to_dict()
    except ScorecardError as exc:
        raise ValidationFailed(_("Scorecard: %(problem)s", problem=str(exc))) from exc


def _fill_keys(data: Any) -> None:
    """Give items without a key one that is unique in the definition ("item_N")."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return
    items = [
        item
        for section in data["sections"]
        if isinstance(section, dict) and isinstance(section.get("items"), list)
        for item in section["items"]
        if isinstance(item, dict)
    ]
    used = {item.get("key") for item in items}
    counter = 1
    for item in items:
        if item.get("key") in (None, ""):
            while f"item_{counter}" in used:
                counter += 1
            item["key"] = f"item_{counter}"
            used.add(item["key"])


def _normalised(stored: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return ScorecardDefinition.from_dict(stored, check_limits=False).to_dict()
    except ScorecardError:
        return None


def definition_of(version: ScorecardVersion) -> ScorecardDefinition:
    """The parsed definition of a stored version (stored before a limit existed or not)."""
    return ScorecardDefinition.from_dict(version.definition, check_limits=False)


def version_in_use(version: ScorecardVersion) -> bool:
    """True when a review or a calibration session points at this version."""
    used_by_review = exists().where(Review.scorecard_version_id == version.id)
    used_by_session = exists().where(CalibrationSession.scorecard_version_id == version.id)
    return bool(db.session.scalar(select(used_by_review | used_by_session)))


def review_counts(template: ScorecardTemplate) -> dict[int, int]:
    """Number of reviews per version id of a template."""
    query = (
        select(Review.scorecard_version_id, func.count(Review.id))
        .join(ScorecardVersion, ScorecardVersion.id == Review.scorecard_version_id)
        .where(ScorecardVersion.template_id == template.id)
        .group_by(Review.scorecard_version_id)
    )
    return {version_id: count for version_id, count in db.session.execute(query).all()}


def _clean_name(name: str) -> str:
    if not (name or "").strip():
        raise ValidationFailed(_("The scorecard needs a name."))
    return clean_text(name, field=_("Name"), max_length=200, required=True) or ""


def _clean_description(description: str | None) -> str:
    return clean_text(description, field=_("Description"), max_length=2000, multiline=True) or ""


def _clean_language(language: str | None) -> str | None:
    """The language a template is written in: one of the app's, or None (not said)."""
    if language in (None, ""):
        return None
    if language not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(_("Unknown language: %(codes)s", codes=str(language)[:20]))
    return language


def create_template(
    name: str,
    description: str | None,
    definition: str | Mapping[str, Any],
    user: User | None,
    *,
    language: str | None = None,
) -> ScorecardTemplate:
    """A new template with its first version."""
    clean_text(description, field=_("Description"), max_length=2000, multiline=True)
    parsed = parse_definition(definition)
    template = ScorecardTemplate(
        name=_clean_name(name),
        description=_clean_description(description),
        language=_clean_language(language),
    )
    template.versions.append(
        ScorecardVersion(number=1, definition=parsed, created_by_id=user.id if user else None)
    )
    db.session.add(template)
    db.session.flush()
    audit.record("create", "scorecard", template.id, template.name)
    return template


def update_template(
    template: ScorecardTemplate,
    *,
    name: str,
    description: str | None,
    active: bool,
    definition: str | Mapping[str, Any],
    user: User | None,
    language: str | None = None,
) -> ScorecardVersion | None:
    """Save a template; returns the version that was created or changed (None if unchanged)."""
    version = _save_template(
        template,
        name=name,
        description=description,
        active=active,
        definition=definition,
        user=user,
        language=language,
    )
    audit.record(
        "update",
        "scorecard",
        template.id,
        template.name,
        active=active,
        version=version.number if version is not None else None,
    )
    return version


def _save_template(
    template: ScorecardTemplate,
    *,
    name: str,
    description: str | None,
    active: bool,
    definition: str | Mapping[str, Any],
    user: User | None,
    language: str | None,
) -> ScorecardVersion | None:
    clean_text(description, field=_("Description"), max_length=2000, multiline=True)
    parsed = parse_definition(definition)
    template.language = _clean_language(language)
    template.name = _clean_name(name)
    template.description = _clean_description(description)
    template.active = active
    latest = template.current
    if latest is not None and _normalised(latest.definition) == parsed:
        db.session.flush()
        return None
    if latest is not None and not version_in_use(latest):
        latest.definition = parsed
        latest.created_by_id = user.id if user else latest.created_by_id
        db.session.flush()
        return latest
    version = ScorecardVersion(
        number=(latest.number + 1) if latest else 1,
        definition=parsed,
        created_by_id=user.id if user else None,
    )
    template.versions.append(version)
    db.session.flush()
    return version
