"""Both interface catalogs are complete and compile."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" / "translations.py")
assert spec
assert spec.loader
translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translations)


def test_every_interface_string_is_translated() -> None:
    template = translations.extract()
    assert len(template) > 50
    for locale in translations.LOCALES:
        assert translations.missing(template, translations.load(locale)) == [], locale


def test_missing_translation_is_detected() -> None:
    template = translations.extract()
    catalog = translations.load("ru")
    some_id = next(m.id for m in template if m.id)
    catalog.delete(some_id)
    assert some_id in translations.missing(template, catalog)
