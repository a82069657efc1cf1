"""Versions of the objection classifier: retraining with the team's corrections, the F1 gate,
activation and rollback.

The shipped model (``scoring/models``) judges calls until a retrained version is activated.
Versions live in the database (model bytes included), so every worker machine loads the same
model: each writes the files into its local model cache the first time it needs them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import ObjectionModelFile, ObjectionModelVersion
from qa.models._base import utcnow
from qa.models.objection_model import ACTIVE, REFUSED, RETIRED
from qa.services.errors import NotFound, ValidationFailed
from scoring.nlp import SUPPORTED_LANGS
from scoring.objections_model import MODEL_DIR, model_path

REPO_ROOT = Path(__file__).resolve().parents[3]
SHIPPED_TEST_SETS = (
    REPO_ROOT / "benchmarks" / "data" / "objections" / "test.{lang}.jsonl",
    REPO_ROOT / "benchmarks" / "data" / "calls" / "test.{lang}.jsonl",
    REPO_ROOT / "benchmarks" / "data" / "utterances" / "test.{lang}.jsonl",
)

CorrectionRows = Callable[[str], list[dict[str, Any]]]


def active_version() -> ObjectionModelVersion | None:
    return db.session.scalar(
        select(ObjectionModelVersion).where(ObjectionModelVersion.status == ACTIVE)
    )


def list_versions() -> list[ObjectionModelVersion]:
    return list(
        db.session.scalars(select(ObjectionModelVersion).order_by(ObjectionModelVersion.id.desc()))
    )


def _cache_root() -> Path:
    return Path(current_app.config["MODEL_CACHE_DIR"]) / "objections"


def materialise(version: ObjectionModelVersion) -> Path:
    """The local folder holding this version's model files, written from the database if
    missing or different (another machine may have trained it)."""
    folder = _cache_root() / version.folder
    for row in version.files:
        path = model_path(row.lang, folder)
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed, so a worker never loads half a file.
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
            handle.write(row.data)
        Path(handle.name).replace(path)
    return folder


def active_model_dir() -> Path | None:
    """Folder of the active retrained model, or None for the shipped one."""
    version = active_version()
    return None if version is None else materialise(version)


def _test_sets(lang: str) -> list[Path]:
    configured = current_app.config.get("OBJECTION_TEST_SETS") or {}
    if configured:
        return [Path(p) for p in configured.get(lang, [])]
    paths = [Path(str(p).format(lang=lang)) for p in SHIPPED_TEST_SETS]
    return [p for p in paths if p.is_file()]


def _training_dir() -> Path | None:
    configured = current_app.config.get("OBJECTION_TRAINING_DIR")
    return Path(configured) if configured else None


def _score(lang: str, model_dir: Path | None) -> list[Any]:
    from scoring.training.evaluation import load_set, score_set

    return [
        score_set(path.name, load_set(path), lang, model_dir=model_dir) for path in _test_sets(lang)
    ]


def train(
    langs: Sequence[str],
    correction_rows: CorrectionRows,
    *,
    created_by_id: int | None = None,
    log: TextIO,
) -> ObjectionModelVersion:
    """Retrain ``langs`` on the shipped turns plus accepted corrections; keep the result.

    The candidate replaces the active model only when no label's F1 on any test set drops by
    more than one point; otherwise it is stored as refused, with the reasons in its report.
    Languages not retrained keep the active model's file.
    """
    from scoring.training.evaluation import regressions
    from scoring.training.train_objections import CONFIG, TRAINING_DIR, train_language

    unknown = set(langs) - set(SUPPORTED_LANGS)
    if unknown or not langs:
        raise ValidationFailed(
            _("Choose languages among: %(langs)s.", langs=", ".join(SUPPORTED_LANGS))
        )
    current = active_version()
    current_dir = None if current is None else materialise(current)
    folder = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    work = _cache_root() / folder
    work.mkdir(parents=True)
    corrections: dict[str, int] = {}
    before: list[Any] = []
    after: list[Any] = []
    try:
        for lang in SUPPORTED_LANGS:
            if lang not in langs:
                shutil.copyfile(model_path(lang, current_dir or MODEL_DIR), model_path(lang, work))
                continue
            rows = correction_rows(lang)
            corrections[lang] = len(rows)
            extra = work / f"corrections.{lang}.jsonl"
            extra.write_text(
                "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                encoding="utf-8",
            )
            print(f"[{lang}] training with {len(rows)} accepted corrections", file=log)
            train_language(lang, dict(CONFIG), work, log, _training_dir() or TRAINING_DIR, [extra])
            before += _score(lang, current_dir)
            after += _score(lang, work)
        reasons = regressions(before, after)
        version = ObjectionModelVersion(
            folder=folder,
            status=REFUSED if reasons else ACTIVE,
            corrections=corrections,
            report={
                "before": [s.as_dict() for s in before],
                "after": [s.as_dict() for s in after],
                "reasons": reasons,
                "based_on": None if current is None else current.folder,
            },
            created_by_id=created_by_id,
        )
        for lang in SUPPORTED_LANGS:
            data = model_path(lang, work).read_bytes()
            version.files.append(
                ObjectionModelFile(lang=lang, sha256=hashlib.sha256(data).hexdigest(), data=data)
            )
        version.versions = {f.lang: f.sha256[:12] for f in version.files}
        if not reasons:
            _make_active(version)
        db.session.add(version)
        db.session.commit()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _print_report(version, before, after, log)
    return version


def _print_report(
    version: ObjectionModelVersion, before: Iterable[Any], after: Iterable[Any], log: TextIO
) -> None:
    from scoring.training.evaluation import describe_regression

    old = {(s.name, s.lang, label): v.f1 for s in before for label, v in s.labels.items()}
    for score in after:
        for label, value in score.labels.items():
            previous = old.get((score.name, score.lang, label), float("nan"))
            print(
                f"{score.name} [{score.lang}] {label}: F1 {previous:.3f} -> {value.f1:.3f}",
                file=log,
            )
    if version.status == REFUSED:
        print("Refused: the active model stays. Reasons:", file=log)
        for reason in version.report["reasons"]:
            print(f"  {describe_regression(reason)}", file=log)
    else:
        print(f"Activated version {version.folder} ({version.versions})", file=log)


def _make_active(version: ObjectionModelVersion | None) -> None:
    for row in db.session.scalars(
        select(ObjectionModelVersion).where(ObjectionModelVersion.status == ACTIVE)
    ):
        if row is not version:
            row.status = RETIRED
    if version is not None:
        version.status = ACTIVE
        version.activated_at = utcnow()


def activate(version_id: int | None) -> ObjectionModelVersion | None:
    """Make an earlier version judge calls again (a rollback), or the shipped model with None.

    A version the gate refused never judges calls: it is kept only for its report.
    """
    version = None
    if version_id is not None:
        version = db.session.get(ObjectionModelVersion, version_id)
        if version is None:
            raise NotFound(_("No such model version."))
        if version.status == REFUSED:
            raise ValidationFailed(
                _(
                    "This version scored worse than the model it was meant to replace; "
                    "it cannot be activated."
                )
            )
    _make_active(version)
    db.session.commit()
    if version is not None:
        materialise(version)
    return version
