"""Train the personal-data token classifier: ``python -m privacy.training.train_ner``.

Reads every labelled turn in ``benchmarks/data/pii/*.<lang>.jsonl`` (the development sets,
each written from ``pii-rules.md``), keeps the PERSON, ADDRESS and BIRTHDATE spans, trains a
spaCy NER pipeline from a blank one with the settings below, and writes it to
``privacy/models/ner.<lang>``. The rules keep the numbers and e-mails: they check digits and
checksums, which a token classifier cannot.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from privacy.model import MODEL_DIR, MODEL_TYPES, model_path
from privacy.training.labels import labelled_spans

DATA_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "pii"

# The whole training configuration; change it here so that a run is reproducible.
CONFIG: dict[str, Any] = {
    "seed": 1,
    "max_steps": 3000,
    "width": 64,  # 96 was no better on held-out sets, and a third slower
    "depth": 4,
    "embed_rows": [2000, 1000, 1000, 1000],  # NORM, PREFIX, SUFFIX, SHAPE
}


def gold_entities(row: dict[str, Any]) -> list[tuple[int, int, str]]:
    """The row's PERSON, ADDRESS and BIRTHDATE spans as (start, end, type)."""
    return [(start, end, kind) for kind, start, end in labelled_spans(row) if kind in MODEL_TYPES]


def build_docbin(lang: str, files: list[Path], out: Path) -> int:
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank(lang)
    docs = DocBin()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            doc = nlp.make_doc(row["text"])
            ents = [
                doc.char_span(start, end, label=kind, alignment_mode="expand")
                for start, end, kind in gold_entities(row)
            ]
            doc.ents = filter_spans([e for e in ents if e is not None])
            docs.add(doc)
    docs.to_disk(out)
    return len(docs)


def train(lang: str, files: list[Path], output: Path, config: dict[str, Any] = CONFIG) -> int:
    """Train on ``files`` and write the pipeline to ``output``; returns the number of turns."""
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train as spacy_train

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        turns = build_docbin(lang, files, folder / "train.spacy")
        settings = init_config(lang=lang, pipeline=["ner"], optimize="efficiency")
        settings.to_disk(folder / "config.cfg")
        overrides = {
            "paths.train": str(folder / "train.spacy"),
            # spaCy wants an evaluation set; the training turns only serve its log.
            "paths.dev": str(folder / "train.spacy"),
            "system.seed": config["seed"],
            "training.max_steps": config["max_steps"],
            "training.eval_frequency": config["max_steps"],
            "components.tok2vec.model.encode.width": config["width"],
            "components.tok2vec.model.encode.depth": config["depth"],
            "components.tok2vec.model.embed.rows": config["embed_rows"],
        }
        spacy_train(folder / "config.cfg", folder / "out", overrides=overrides)
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(folder / "out" / "model-last", output)
    _forget_training_paths(output)
    return turns


def _forget_training_paths(pipeline: Path) -> None:
    """The pipeline's config names the temporary training files; it ships without them."""
    from spacy.util import load_config

    config = load_config(pipeline / "config.cfg")
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    config.to_disk(pipeline / "config.cfg")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("ru", "en"), action="append")
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    args = parser.parse_args(argv)
    for lang in args.lang or ["ru", "en"]:
        files = sorted(args.data.glob(f"*.{lang}.jsonl"))
        if not files:
            print(f"no {lang} training files in {args.data}", file=sys.stderr)
            return 1
        turns = train(lang, files, model_path(lang, args.out))
        print(f"{lang}: {turns} turns from {len(files)} files -> {model_path(lang, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
