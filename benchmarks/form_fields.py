"""What the simulated users read from pages: the CSRF token and a form's fields.

Shared by ``locustfile_qa.py`` and ``profile_pages.py`` (which must not import locust: it
patches the standard library for gevent).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class FormFields(HTMLParser):
    """The fields of the form with id ``form_id``: hidden values, radio groups, textareas."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.action: str | None = None
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside, self.found, self.action = True, True, a.get("action")
        elif self.inside and tag == "input" and a.get("name"):
            if a.get("type") == "hidden":
                self.hidden[a["name"]] = a.get("value", "")
            elif a.get("type") == "radio":
                self.radios.setdefault(a["name"], []).append(a.get("value", ""))
        elif self.inside and tag == "textarea" and a.get("name"):
            self.texts.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
