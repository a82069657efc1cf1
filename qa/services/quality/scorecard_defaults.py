"""Which scorecard a call is reviewed with by default: per agent team, else per call language.

A scorecard admin makes a template the default for languages ("ru", "en") and for agent teams
(``Agent.team``). For a call, the team's default wins over the language's; a default written in
another language than the call's is never used (an English card never lands on a Russian call).
A call of unknown language gets a language default only when one template is the default for
every language. A call without a default that fits gets no scorecard: the reviewer picks one
of the templates that fit its language.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, Call, ScorecardDefault, ScorecardTemplate
from qa.services.errors import ValidationFailed
from qa.services.quality.scorecards import active_templates
from qa.services.validation import clean_text

LANGUAGE_NAMES = {"ru": _l("Russian"), "en": _l("English")}


def language_name(code: str | None) -> str:
    """How a language code reads on a page ("Russian"); an unknown code as it is."""
    return str(LANGUAGE_NAMES.get(code or "", code or "–"))


def languages() -> tuple[str, ...]:
    """The languages calls and scorecards are in."""
    return tuple(current_app.config["LANGUAGES"])


def teams() -> list[str]:
    """Agent teams, as typed on the agents, plus teams that still have a default."""
    named = db.session.scalars(select(Agent.team).where(Agent.team.is_not(None)).distinct())
    with_default = db.session.scalars(
        select(ScorecardDefault.value).where(ScorecardDefault.kind == "team")
    )
    return sorted({t for t in (*named, *with_default) if t and t.strip()})


def fits(template: ScorecardTemplate, language: str | None) -> bool:
    """A template may score a call in ``language`` (either language unknown: it may)."""
    return template.language is None or language is None or template.language == language


def _usable(template: ScorecardTemplate | None, language: str | None) -> bool:
    return (
        template is not None
        and template.active
        and template.current is not None
        and fits(template, language)
    )


def _default(kind: str, value: str | None) -> ScorecardTemplate | None:
    if not value:
        return None
    row = db.session.scalar(
        select(ScorecardDefault).where(
            ScorecardDefault.kind == kind, ScorecardDefault.value == value
        )
    )
    return row.template if row is not None else None


def default_template(call: Call) -> ScorecardTemplate | None:
    """The call's default scorecard: its agent's team's, else its language's, else None."""
    team = call.agent.team if call.agent is not None else None
    for template in (_default("team", team), _language_default(call.language)):
        if _usable(template, call.language):
            return template
    return None


def _language_default(language: str | None) -> ScorecardTemplate | None:
    """The language's default; for a call of unknown language, the one template that is the
    default for every language (whichever it is in, that card fits), else None."""
    if language is not None:
        return _default("language", language)
    found = {_default("language", code) for code in languages()}
    return found.pop() if len(found) == 1 else None


def templates_for(call: Call | None) -> list[ScorecardTemplate]:
    """Active templates a reviewer may choose for the call: those that fit its language."""
    language = call.language if call is not None else None
    return [t for t in active_templates() if fits(t, language)]


def set_defaults(
    template: ScorecardTemplate, *, language_codes: Iterable[str], team_names: Iterable[str]
) -> None:
    """Make ``template`` the default for exactly these languages and teams.

    A language or team that had another template's default moves to this one.
    """
    wanted_languages = list(dict.fromkeys(language_codes))
    unknown = [code for code in wanted_languages if code not in languages()]
    if unknown:
        raise ValidationFailed(_("Unknown language: %(codes)s", codes=", ".join(unknown)))
    clash = [code for code in wanted_languages if template.language not in (None, code)]
    if clash:
        raise ValidationFailed(
            _("A scorecard in one language cannot be the default for calls in another.")
        )
    wanted_teams = list(
        dict.fromkeys(
            clean_text(name, field=_("Team"), max_length=120, required=True) or ""
            for name in team_names
        )
    )
    wanted = {("language", code) for code in wanted_languages} | {
        ("team", name) for name in wanted_teams
    }
    for row in list(template.defaults):
        if (row.kind, row.value) not in wanted:
            template.defaults.remove(row)
    have = {(row.kind, row.value) for row in template.defaults}
    for kind, value in sorted(wanted - have):
        taken = db.session.scalar(
            select(ScorecardDefault).where(
                ScorecardDefault.kind == kind, ScorecardDefault.value == value
            )
        )
        if taken is not None:
            taken.template.defaults.remove(taken)
            db.session.flush()
        template.defaults.append(ScorecardDefault(kind=kind, value=value))
    db.session.flush()


def default_values(template: ScorecardTemplate, kind: str) -> list[str]:
    """The languages or teams ``template`` is the default for."""
    return sorted(row.value for row in template.defaults if row.kind == kind)
