"""Train the objection classifier: ``python -m scoring.training.train_objections``.

Reads every ``scoring/training/objections/train*.<lang>.jsonl``, adds ASR-style and joined
variants (seeded, so the result is reproducible), picks each label's threshold from
grouped cross-validation on the training turns together with the rules, and writes
``scoring/models/objections.<lang>.joblib``.

A training row may carry ``"context"``: the agent's turn just before the customer's. The
turn (and its ASR variants) is then analysed after that agent turn, as in a call: the
context lexicon's tags of the agent turn become features and its reply rules apply. The
agent turns of the files also train the role classifier (is this the seller speaking?),
used when a transcript does not say who speaks.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scoring.nlp import blank_pipeline
from scoring.objections_context import PREVIOUS_KEY, add_context
from scoring.objections_model import MODEL_DIR, ObjectionModel, doc_features_text, model_path
from scoring.objections_rules import OBJECTION_SPANS_KEY, add_objection_rules
from scoring.training.variants import Turn, asr_variant, joined_turns
from scoring.types import BUILTIN_LABELS

TRAINING_DIR = Path(__file__).parent / "objections"

# The whole training configuration; change it here so that a run is reproducible.
CONFIG: dict[str, Any] = {
    "seed": 13,
    "asr_variants_per_turn": 2,
    "joined_fraction": 0.3,
    "include_agent_turns": False,
    "char_ngrams": (2, 5),
    "lemma_ngrams": (1, 2),
    "min_df": 2,
    "C": 8.0,
    "class_weight": "balanced",
    "cv_folds": 5,
    "min_precision": 0.92,
    "role_C": 2.0,
    # Number runs as one placeholder in the features (tried on dev: fewer flags on numbers
    # read out, but lower recall on price turns with figures; the neutral-turn gate handles
    # numbers read out instead).
    "mask_numbers": False,
}


def load_turns(
    lang: str,
    directory: Path = TRAINING_DIR,
    contexts: dict[str, str] | None = None,
    extra: Sequence[Path] = (),
) -> tuple[list[Turn], list[Turn]]:
    """Return (customer turns, agent turns) from all training files of a language.

    The optional ``context`` of each row (the agent turn before it) goes into ``contexts``,
    keyed by the turn's id. ``extra`` names more files in the same format (such as the team's
    accepted corrections), read after the shipped ones.
    """
    customer: list[Turn] = []
    agent: list[Turn] = []
    seen: set[str] = set()
    files = sorted(directory.glob(f"train*.{lang}.jsonl"))
    if not files:
        raise SystemExit(f"no training files train*.{lang}.jsonl in {directory}")
    for path in [*files, *extra]:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                row = json.loads(raw)
                text, labels = row["text"], tuple(row.get("labels", ()))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise SystemExit(f"{where}: bad training line ({exc})") from exc
            if row.get("lang", lang) != lang or not isinstance(text, str) or not text.strip():
                raise SystemExit(f"{where}: wrong language or empty text")
            if set(labels) - set(BUILTIN_LABELS):
                raise SystemExit(f"{where}: unknown labels {labels}")
            turn_id = f"{path.stem}:{row.get('id', number)}"
            if turn_id in seen:
                raise SystemExit(f"{where}: duplicate id {row.get('id')}")
            seen.add(turn_id)
            context = row.get("context")
            if context is not None and not isinstance(context, str):
                raise SystemExit(f"{where}: context must be a string")
            if context and contexts is not None:
                contexts[turn_id] = context
            turn = Turn(turn_id, text, lang, tuple(sorted(labels, key=BUILTIN_LABELS.index)))
            (agent if row.get("speaker") == "agent" else customer).append(turn)
    return customer, agent


def expand(
    customer: Sequence[Turn], agent: Sequence[Turn], config: dict[str, Any]
) -> tuple[list[Turn], list[str]]:
    """Originals plus variants, and the group (original id) of each for grouped CV."""
    rng = random.Random(config["seed"])  # noqa: S311 - reproducible data, not security
    turns: list[Turn] = []
    groups: list[str] = []
    pool = [*customer, *(agent if config["include_agent_turns"] else ())]
    for turn in pool:
        turns.append(turn)
        groups.append(turn.id)
        for k in range(config["asr_variants_per_turn"]):
            text = asr_variant(turn.text, turn.lang, rng)
            turns.append(Turn(f"{turn.id}~asr{k}", text, turn.lang, turn.labels))
            groups.append(turn.id)
    for turn in joined_turns(customer, int(len(customer) * config["joined_fraction"]), rng):
        turns.append(turn)
        groups.append(turn.id)
    return turns, groups


def _new_model(lang: str, config: dict[str, Any]) -> ObjectionModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    return ObjectionModel(
        lang=lang,
        labels=BUILTIN_LABELS,
        char_vectorizer=TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(config["char_ngrams"]),
            min_df=config["min_df"],
            sublinear_tf=True,
            dtype=np.float32,
        ),
        lemma_vectorizer=TfidfVectorizer(
            analyzer="word",
            token_pattern=r"(?u)[\w%₽$€-]+",  # noqa: S106
            ngram_range=tuple(config["lemma_ngrams"]),
            min_df=config["min_df"],
            sublinear_tf=True,
            dtype=np.float32,
        ),
        classifiers={
            label: LogisticRegression(
                C=config["C"], class_weight=config["class_weight"], max_iter=5000
            )
            for label in BUILTIN_LABELS
        },
        thresholds={label: 0.5 for label in BUILTIN_LABELS},
    )


def fit(
    model: ObjectionModel, views: Sequence[tuple[str, str]], labels: Sequence[tuple[str, ...]]
) -> ObjectionModel:
    """Fit vectorizers and per-label classifiers in place."""
    model.char_vectorizer.fit([v[0] for v in views])
    model.lemma_vectorizer.fit([v[1] for v in views])
    x = model.matrix(views)
    for label in model.labels:
        y = np.array([label in ls for ls in labels], dtype=int)
        model.classifiers[label].fit(x, y)
    return model


def _analyse(nlp: Any, texts: Sequence[str], previous: Sequence[str | None]) -> list[Any]:
    """Run the pipeline (without the classifier) on turns, each after its agent turn if any."""
    docs = []
    for text, before in zip(texts, previous, strict=True):
        doc = nlp.make_doc(text)
        if before:
            doc.user_data[PREVIOUS_KEY] = before
        docs.append(doc)
    return list(nlp.pipe(docs, batch_size=256))


def _fit_role(
    model: ObjectionModel,
    nlp: Any,
    customer: Sequence[Turn],
    agent: Sequence[Turn],
    config: dict[str, Any],
) -> Any:
    """Logistic regression on the model's features: agent turn (1) or customer turn (0).

    None when the files have no agent turns (the role gate then relies on seller cues).
    """
    from sklearn.linear_model import LogisticRegression

    if not agent or not customer:
        return None

    rng = random.Random(config["seed"] + 1)  # noqa: S311 - reproducible data
    texts: list[str] = []
    y: list[int] = []
    for role, pool in ((0, customer), (1, agent)):
        for turn in pool:
            texts += [turn.text, asr_variant(turn.text, turn.lang, rng)]
            y += [role, role]
    docs = _analyse(nlp, texts, [None] * len(texts))
    x = model.matrix([doc_features_text(d, config["mask_numbers"]) for d in docs])
    classifier = LogisticRegression(C=config["role_C"], class_weight="balanced", max_iter=5000)
    return classifier.fit(x, np.array(y))


def pick_threshold(
    scores: np.ndarray, rule_hits: np.ndarray, truth: np.ndarray, min_precision: float
) -> float:
    """Highest-F1 threshold for "rule or score >= t" whose precision reaches min_precision."""
    best: tuple[float, float] = (-1.0, 0.5)
    fallback: tuple[float, float] = (-1.0, 0.5)
    for t in np.arange(0.20, 0.91, 0.01):
        predicted = rule_hits | (scores >= t)
        tp = float(np.sum(predicted & truth))
        precision = tp / max(float(np.sum(predicted)), 1.0)
        recall = tp / max(float(np.sum(truth)), 1.0)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        fallback = max(fallback, (f1, float(t)))
        if precision >= min_precision:
            best = max(best, (f1, float(t)))
    return round(best[1] if best[0] >= 0 else fallback[1], 2)


def train_language(
    lang: str,
    config: dict[str, Any],
    out_dir: Path | None,
    log: Any,
    data_dir: Path = TRAINING_DIR,
    extra: Sequence[Path] = (),
) -> ObjectionModel:
    """Train, choose thresholds by grouped CV, optionally save; return the model."""
    from sklearn.model_selection import GroupKFold

    started = time.perf_counter()
    contexts: dict[str, str] = {}
    customer, agent = load_turns(lang, data_dir, contexts, extra)
    turns, groups = expand(customer, agent, config)
    nlp = blank_pipeline(lang)
    add_objection_rules(nlp, lang)
    add_context(nlp, lang)
    docs = _analyse(nlp, [t.text for t in turns], [contexts.get(g) for g in groups])
    views = [doc_features_text(d, config["mask_numbers"]) for d in docs]
    labels = [t.labels for t in turns]
    rule_labels = [{s.label_ for s in d.spans[OBJECTION_SPANS_KEY]} for d in docs]
    # Thresholds are judged on customer turns only: agent turns never reach the classifier.
    agent_ids = {t.id for t in agent}
    judged = np.array(
        [
            not t.id.startswith("join-") and g not in agent_ids
            for t, g in zip(turns, groups, strict=True)
        ]
    )

    oof = {label: np.zeros(len(turns)) for label in BUILTIN_LABELS}
    for train_idx, test_idx in GroupKFold(n_splits=config["cv_folds"]).split(views, groups=groups):
        fold = fit(
            _new_model(lang, config),
            [views[i] for i in train_idx],
            [labels[i] for i in train_idx],
        )
        predicted = fold.predict([views[i] for i in test_idx])
        for row, i in zip(predicted, test_idx, strict=True):
            for label in BUILTIN_LABELS:
                oof[label][i] = row[label]

    model = fit(_new_model(lang, config), views, labels)
    # The agent turns given as context are seller speech too.
    seen_agent = {t.text for t in agent}
    agent_pool = [*agent]
    for turn_id, text in sorted(contexts.items()):
        if text not in seen_agent:
            seen_agent.add(text)
            agent_pool.append(Turn(f"{turn_id}~context", text, lang, ()))
    model.role_classifier = _fit_role(model, nlp, customer, agent_pool, config)
    for label in BUILTIN_LABELS:
        truth = np.array([label in ls for ls in labels])[judged]
        hits = np.array([label in r for r in rule_labels])[judged]
        model.thresholds[label] = pick_threshold(
            oof[label][judged], hits, truth, config["min_precision"]
        )
    model.meta = {
        "config": {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()},
        "customer_turns": len(customer),
        "agent_turns": len(agent),
        "training_items": len(turns),
        "turns_with_context": len(contexts),
        "features": int(model.matrix(views[:1]).shape[1]),
    }
    print(
        f"[{lang}] {len(customer)} customer + {len(agent)} agent turns -> {len(turns)} items, "
        f"{model.meta['features']} features, thresholds {model.thresholds}, "
        f"{time.perf_counter() - started:.1f}s",
        file=log,
    )
    if out_dir is not None:
        size = model.save(model_path(lang, out_dir))
        print(f"[{lang}] wrote {model_path(lang, out_dir)} ({size / 1024:.0f} KiB)", file=log)
    return model


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lang", choices=("ru", "en"), action="append", help="default: both")
    parser.add_argument("--out-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--data-dir", type=Path, default=TRAINING_DIR)
    parser.add_argument("--dry-run", action="store_true", help="train and report, write nothing")
    args = parser.parse_args(argv)
    for lang in args.lang or ["ru", "en"]:
        out_dir = None if args.dry_run else args.out_dir
        train_language(lang, dict(CONFIG), out_dir, sys.stderr, args.data_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
