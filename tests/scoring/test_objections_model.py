"""The shipped classifier and the training command that makes it."""

import io
import json
import random
from pathlib import Path

import joblib
import pytest

from scoring.objections_model import ModelError, load_model, model_path
from scoring.training.train_objections import CONFIG, load_turns, main, train_language
from scoring.training.variants import Turn, asr_variant, joined_turns


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_shipped_model_is_small_and_has_thresholds(lang: str) -> None:
    path = model_path(lang)
    assert path.stat().st_size < 2 * 1024 * 1024
    model = load_model(lang)
    assert model.labels == ("price", "assortment")
    assert all(0.2 <= t <= 0.9 for t in model.thresholds.values())
    assert model.meta["customer_turns"] >= 1500


def test_model_from_another_sklearn_is_refused_with_advice(tmp_path: Path) -> None:
    payload = joblib.load(model_path("en"))
    payload["sklearn"] = "0.0.1"
    joblib.dump(payload, tmp_path / "objections.en.joblib")
    with pytest.raises(ModelError, match=r"scikit-learn 0\.0\.1 .*train_objections"):
        load_model("en", tmp_path)
    with pytest.raises(ModelError, match="is missing"):
        load_model("ru", tmp_path)


def test_training_data_is_valid_and_large_enough() -> None:
    total = 0
    for lang in ("ru", "en"):
        customer, agent = load_turns(lang)
        total += len(customer) + len(agent)
        assert all(set(t.labels) <= {"price", "assortment"} for t in customer)
        assert all(t.labels == () for t in agent)
    assert total >= 3500


def test_asr_variants_keep_words_and_are_seeded() -> None:
    text = "Скидку дадите? Сейчас у вас дороговато, конечно."
    first = asr_variant(text, "ru", random.Random(1))  # noqa: S311
    assert first == asr_variant(text, "ru", random.Random(1))  # noqa: S311
    assert first == first.lower()
    assert len(first.split()) >= 6
    turns = [Turn("a", "дорого", "ru", ("price",)), Turn("b", "синего нет", "ru", ("assortment",))]
    joined = joined_turns(turns, 3, random.Random(2))  # noqa: S311
    assert {t.labels for t in joined} == {("price", "assortment")}


@pytest.mark.slow
def test_training_command_writes_a_loadable_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    rows = [
        ("дорого", ["price"]),
        ("дороговато для меня", ["price"]),
        ("не потяну такую сумму", ["price"]),
        ("скидку сделаете?", ["price"]),
        ("у них дешевле", ["price"]),
        ("ценник кусается", ["price"]),
        ("синего нет", ["assortment"]),
        ("размер закончился", ["assortment"]),
        ("выбор маленький", ["assortment"]),
        ("нету нужной модели", ["assortment"]),
        ("под заказ ждать месяц, не подходит", ["assortment"]),
        ("а чёрного нету?", ["assortment"]),
        ("сколько стоит?", []),
        ("в наличии есть?", []),
        ("спасибо, беру", []),
        ("подумаю", []),
        ("какие цвета есть?", []),
        ("доставка когда?", []),
        ("цена нормальная", []),
        ("выбор отличный", []),
    ]
    with (data / "train.ru.jsonl").open("w", encoding="utf-8") as f:
        for i, (text, labels) in enumerate(rows):
            row = {
                "id": f"t{i}",
                "text": text,
                "lang": "ru",
                "speaker": "customer",
                "labels": labels,
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    out = tmp_path / "models"
    assert main(["--lang", "ru", "--data-dir", str(data), "--out-dir", str(out)]) == 0
    model = load_model("ru", out)
    assert model.meta["customer_turns"] == len(rows)
    assert set(model.thresholds) == {"price", "assortment"}
    again = train_language("ru", dict(CONFIG), tmp_path / "again", io.StringIO(), data)
    assert again.thresholds == model.thresholds
    assert (tmp_path / "again" / "objections.ru.joblib").read_bytes() == model_path(
        "ru", out
    ).read_bytes()


def test_bad_training_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "train.en.jsonl").write_text(
        '{"id": "1", "text": "too pricey", "labels": ["price"]}\n'
        '{"id": "2", "text": "x", "labels": ["cost"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match=r"train\.en\.jsonl:2: unknown labels"):
        load_turns("en", tmp_path)
