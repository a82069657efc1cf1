"""Keep the interface catalogs in step with the code.

    python scripts/translations.py update   # extract strings, update ru and en catalogs
    python scripts/translations.py missing  # list strings without a translation (exit 1 if any)

English is the source language: the en catalog repeats each string (so every language the
interface offers has a complete catalog); ru holds the translations.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "qa" / "translations"
LOCALES = ("ru", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHOD_MAP = [("qa/**.py", "python"), ("templates/**.html", "jinja2")]


def _directory_filter(dirpath: str) -> bool:
    # Babel skips folders starting with "_" by default, and so missed templates/_macros.
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def extract() -> Catalog:
    template = Catalog(project="qa-review")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, directory_filter=_directory_filter
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def catalog_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    with catalog_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def missing(template: Catalog, catalog: Catalog) -> list[str]:
    """Source strings with no (or a fuzzy, or an incomplete plural) translation."""
    gaps = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found else None
        complete = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if found is None or found.fuzzy or not complete:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def update() -> None:
    template = extract()
    for locale in LOCALES:
        catalog = load(locale)
        catalog.update(template, no_fuzzy_matching=True)
        if locale == "en":
            for message in catalog:
                if message.id and message.pluralizable and not all(message.string):
                    message.string = tuple(message.id)
                elif message.id and not message.string:
                    message.string = message.id
        with catalog_path(locale).open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
        print(f"{locale}: {len(missing(template, catalog))} missing")


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    if command == "update":
        update()
        return 0
    template = extract()
    status = 0
    for locale in LOCALES:
        gaps = missing(template, load(locale))
        for gap in gaps:
            print(f"{locale}: {gap!r}")
        status |= bool(gaps)
    return status


if __name__ == "__main__":
    sys.exit(main())
