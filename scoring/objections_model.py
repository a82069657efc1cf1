"""Learned layer of the objection detector: char n-gram TF-IDF + logistic regression per label.

The model is trained by ``python -m scoring.training.train_objections`` and ships as
``scoring/models/objections.<lang>.joblib``. It is a pickle, so it loads only with the
scikit-learn version that wrote it (pinned exactly in pyproject).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

__all__ = [
    "AGENT_SCORE_KEY",
    "MODEL_DIR",
    "ModelError",
    "ObjectionModel",
    "doc_features_text",
    "load_model",
    "model_path",
]

MODEL_DIR = Path(__file__).parent / "models"
FORMAT_VERSION = 2

AGENT_SCORE_KEY = "qa_agent_score"

_SPACES = re.compile(r"\s+")


class ModelError(RuntimeError):
    """The shipped model is missing or cannot be loaded."""


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("ё", "е")).strip()


# Numbers read out (phone numbers, mileage, prices, dates) say nothing about an objection by
# their value; a model trained with ``mask_numbers`` sees each run of them as one placeholder.
NUMBER_MARK = "0"
CONTEXT_KEY = "qa_context"


def _has_digit(token: Any) -> bool:
    return any(c.isdigit() for c in token.text)


def _is_number(token: Any) -> bool:
    return bool(token.like_num) or _has_digit(token)


def doc_features_text(doc: Doc | Span, mask_numbers: bool = False) -> tuple[str, str]:
    """Return the two views the model reads: normalised text and the lemma sequence.

    With ``mask_numbers`` (a training option, stored in the model) each run of number
    words becomes one placeholder; the lemma view starts with ``ctx_<tag>`` tokens for
    the tags of the agent turn before this one (``doc.user_data["qa_context"]``).
    """
    words: list[str] = []
    lemmas: list[str] = []
    previous_number = False
    for token in doc:
        number = mask_numbers and _is_number(token)
        if number and previous_number:
            continue
        previous_number = number
        words.append(NUMBER_MARK if number else token.text)
        lemmas.append(NUMBER_MARK if number else token.lemma_)
    owner = doc.doc if isinstance(doc, Span) else doc
    tags = owner.user_data.get(CONTEXT_KEY) or ()
    prefix = " ".join(f"ctx_{tag}" for tag in tags)
    return _normalise(" ".join(words)), _normalise(f"{prefix} {' '.join(lemmas)}")


@dataclass
class ObjectionModel:
    """Per-label linear classifiers over char n-grams of the text and word n-grams of lemmas."""

    lang: str
    labels: tuple[str, ...]
    char_vectorizer: Any
    lemma_vectorizer: Any
    classifiers: dict[str, Any]
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    # Probability that a turn is the seller's (trained on the agent turns of the training
    # files); used only when the transcript does not say who speaks. None in older models.
    role_classifier: Any = None
    # Short content hash of the file the model was loaded from; recorded on every finding.
    version: str = ""

    @property
    def mask_numbers(self) -> bool:
        """Whether the model was trained with number runs masked (see doc_features_text)."""
        return bool(self.meta.get("config", {}).get("mask_numbers", False))

    def views(self, docs: Sequence[Doc | Span]) -> list[tuple[str, str]]:
        """The model's two views of each doc or span."""
        return [doc_features_text(d, self.mask_numbers) for d in docs]

    def matrix(self, views: Sequence[tuple[str, str]]) -> Any:
        """Feature matrix for (text, lemmas) pairs."""
        from scipy.sparse import hstack

        texts = [v[0] for v in views]
        lemmas = [v[1] for v in views]
        return hstack(
            [self.char_vectorizer.transform(texts), self.lemma_vectorizer.transform(lemmas)]
        ).tocsr()

    def predict(self, views: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        """Probability of each label for each (text, lemmas) pair."""
        if not views:
            return []
        return self.predict_matrix(self.matrix(views))

    def predict_matrix(self, x: Any) -> list[dict[str, float]]:
        """Probability of each label for each row of a feature matrix."""
        columns = {
            label: np.asarray(self.classifiers[label].predict_proba(x)[:, 1], dtype=float)
            for label in self.labels
        }
        return [
            {label: float(columns[label][i]) for label in self.labels} for i in range(x.shape[0])
        ]

    def agent_scores(self, x: Any) -> list[float]:
        """Probability that each row of a feature matrix is a seller's turn (0: no role model)."""
        if self.role_classifier is None:
            return [0.0] * x.shape[0]
        return [float(p) for p in self.role_classifier.predict_proba(x)[:, 1]]

    def save(self, path: Path) -> int:
        """Write the model (compressed pickle); return its size in bytes."""
        import joblib
        import sklearn

        payload = {
            "format": FORMAT_VERSION,
            "sklearn": sklearn.__version__,
            "lang": self.lang,
            "labels": self.labels,
            "char_vectorizer": self.char_vectorizer,
            "lemma_vectorizer": self.lemma_vectorizer,
            "classifiers": self.classifiers,
            "thresholds": self.thresholds,
            "meta": self.meta,
            "role_classifier": self.role_classifier,
        }
        for vectorizer in (self.char_vectorizer, self.lemma_vectorizer):
            # Introspection/cache attributes that differ between runs (a set, an object id);
            # dropping them keeps the shipped file byte-for-byte reproducible.
            vectorizer.stop_words_ = None
            vars(vectorizer).pop("_stop_words_id", None)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(payload, path, compress=("xz", 6))
        return path.stat().st_size


def model_path(lang: str, directory: Path = MODEL_DIR) -> Path:
    """Where the shipped model for a language lives."""
    return directory / f"objections.{lang}.joblib"


@lru_cache(maxsize=4)
def load_model(lang: str, directory: Path = MODEL_DIR) -> ObjectionModel:
    """Load the trained model for "ru" or "en" (cached)."""
    import joblib
    import sklearn

    path = model_path(lang, directory)
    if not path.is_file():
        raise ModelError(
            f"objection model {path} is missing; train it with "
            "`python -m scoring.training.train_objections`"
        )
    raw = path.read_bytes()
    payload = joblib.load(io.BytesIO(raw))
    if payload.get("format") != FORMAT_VERSION or payload.get("sklearn") != sklearn.__version__:
        raise ModelError(
            f"objection model {path.name} was written by scikit-learn {payload.get('sklearn')} "
            f"(format {payload.get('format')}); this is scikit-learn {sklearn.__version__}. "
            "Install the pinned version or retrain with "
            "`python -m scoring.training.train_objections`"
        )
    return ObjectionModel(
        lang=payload["lang"],
        labels=tuple(payload["labels"]),
        char_vectorizer=payload["char_vectorizer"],
        lemma_vectorizer=payload["lemma_vectorizer"],
        classifiers=payload["classifiers"],
        thresholds=dict(payload["thresholds"]),
        meta=dict(payload["meta"]),
        role_classifier=payload.get("role_classifier"),
        version=hashlib.sha256(raw).hexdigest()[:12],
    )


class ObjectionClassifier:
    """spaCy component: writes label probabilities into ``doc.cats``."""

    def __init__(self, model: ObjectionModel) -> None:
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        return self._score([doc])[0]

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Score documents in batches (one sparse matrix per batch)."""
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        x = self.model.matrix(self.model.views(docs))
        scores = self.model.predict_matrix(x)
        agent = self.model.agent_scores(x)
        for doc, cats, role in zip(docs, scores, agent, strict=True):
            doc.cats.update(cats)
            doc.user_data[AGENT_SCORE_KEY] = role
        return docs


@Language.factory("qa_objection_classifier", default_config={"lang": "ru", "model_dir": ""})
def _make_classifier(nlp: Language, name: str, lang: str, model_dir: str) -> ObjectionClassifier:
    return ObjectionClassifier(load_model(lang, Path(model_dir) if model_dir else MODEL_DIR))
