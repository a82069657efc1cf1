"""Retraining the objection classifier: the F1 gate, activation, rollback, the model on every
finding, and model files that follow the database to another machine.

Training runs for real on a small slice of the shipped turns (a few seconds), with Russian
only; the English file is carried over from the model that was active.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from flask import Flask

from qa.cli import main
from qa.extensions import db
from qa.models import ObjectionModelVersion
from qa.services.calls import corrections, objection_models
from qa.services.calls.objections import analyse_call
from scoring.objections_model import MODEL_DIR, load_model
from scoring.training.train_objections import TRAINING_DIR
from tests.web import factories

SHIPPED_RU = load_model("ru", MODEL_DIR).version
SHIPPED_TEST = Path(__file__).parents[2] / "benchmarks" / "data" / "objections" / "test.ru.jsonl"


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def small_training(app: Flask, tmp_path: Path) -> Path:
    """Every 20th shipped Russian turn (about 80) as the whole training data."""
    folder = tmp_path / "training"
    folder.mkdir()
    lines = (TRAINING_DIR / "train.ru.jsonl").read_text("utf-8").splitlines()[::20]
    (folder / "train.ru.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    app.config["OBJECTION_TRAINING_DIR"] = str(folder)
    return folder


def _gate_on(app: Flask, path: Path) -> None:
    app.config["OBJECTION_TEST_SETS"] = {"ru": [str(path)]}


def _gate_on_one_rule_turn(app: Flask, small_training: Path) -> None:
    """A gate a rule decides alone: any candidate passes it."""
    turn = {"text": "дороговато будет", "labels": ["price"]}
    _gate_on(app, _write(small_training.parent / "gate.ru.jsonl", [turn]))


CORRECTION = {
    "id": "corr-1",
    "text": "маловато как-то, честно",
    "lang": "ru",
    "speaker": "customer",
    "labels": ["price"],
    "context": "могу дать скидку пять процентов",
}


def _train(corrections: list[dict] | None = None) -> ObjectionModelVersion:
    log = io.StringIO()
    version = objection_models.train(["ru"], lambda lang: list(corrections or []), log=log)
    version.log = log.getvalue()  # type: ignore[attr-defined]
    return version


def test_a_candidate_that_loses_f1_is_refused_and_the_active_model_stays(
    app: Flask, small_training: Path
) -> None:
    # 200 real test turns: a model trained on 80 turns cannot match the shipped one there.
    rows = [json.loads(line) for line in SHIPPED_TEST.read_text("utf-8").splitlines()[:200]]
    _gate_on(app, _write(small_training.parent / "gate.ru.jsonl", rows))

    version = _train([CORRECTION])

    assert version.status == "refused"
    assert objection_models.active_version() is None
    assert objection_models.active_model_dir() is None  # the shipped model still judges
    assert version.report["reasons"], version.report
    assert {(r["set"], r["lang"]) for r in version.report["reasons"]} == {("gate.ru.jsonl", "ru")}
    assert all(r["before"] - r["after"] > 0.01 for r in version.report["reasons"])
    assert "Refused" in version.log  # type: ignore[attr-defined]
    before = {s["lang"]: s["labels"] for s in version.report["before"]}
    after = {s["lang"]: s["labels"] for s in version.report["after"]}
    assert any(
        before["ru"][label]["f1"] - after["ru"][label]["f1"] > 0.01 for label in before["ru"]
    )


def test_a_candidate_that_holds_its_f1_is_activated_and_judges_new_calls(
    app: Flask, small_training: Path
) -> None:
    # Turns the rules decide (the classifier cannot change them): no F1 can drop.
    gate = _write(
        small_training.parent / "gate.ru.jsonl",
        [
            {"text": "это слишком дорого для нас", "labels": ["price"]},
            {"text": "нужного размера нет в наличии", "labels": ["assortment"]},
        ],
    )
    _gate_on(app, gate)

    version = _train([CORRECTION])

    assert version.status == "active", version.report
    assert version.corrections == {"ru": 1}
    assert version.versions["en"] == load_model("en", MODEL_DIR).version  # carried over
    assert version.versions["ru"] != SHIPPED_RU
    folder = objection_models.active_model_dir()
    assert folder is not None
    learnt = (folder / "corrections.ru.jsonl").read_text("utf-8")
    assert json.loads(learnt) == CORRECTION  # what it learnt from is kept beside the model

    call = factories.make_call(status="transcribed", language="ru")
    factories.make_segment(call, speaker="customer", text="Дорого это всё.")
    db.session.commit()
    findings = analyse_call(call)
    assert findings
    assert all(f.model_version == version.versions["ru"] for f in findings)


def test_rollback_to_the_shipped_model_and_back(
    app: Flask, small_training: Path, client, login
) -> None:
    _gate_on_one_rule_turn(app, small_training)
    first = _train()
    second = _train([CORRECTION])
    assert (first.status, second.status) == ("retired", "active")

    login.as_role("admin")
    page = client.get("/admin/objection-models").get_data(as_text=True)
    assert first.folder in page
    assert second.folder in page

    response = client.post("/admin/objection-models/activate", data={"version": "shipped"})
    assert response.status_code == 302
    assert objection_models.active_version() is None
    call = factories.make_call(status="transcribed", language="ru")
    factories.make_segment(call, speaker="customer", text="Дорого это всё.")
    db.session.commit()
    assert {f.model_version for f in analyse_call(call)} == {SHIPPED_RU}

    client.post("/admin/objection-models/activate", data={"version": str(first.id)})
    db.session.expire_all()
    assert objection_models.active_version().id == first.id
    assert db.session.get(ObjectionModelVersion, second.id).status == "retired"
    assert {f.model_version for f in analyse_call(call)} == {first.versions["ru"]}


def test_a_refused_version_cannot_be_activated(app: Flask, small_training: Path, client, login):
    rows = [json.loads(line) for line in SHIPPED_TEST.read_text("utf-8").splitlines()[:200]]
    _gate_on(app, _write(small_training.parent / "gate.ru.jsonl", rows))
    refused = _train()
    assert refused.status == "refused"

    login.as_role("admin")
    response = client.post(
        "/admin/objection-models/activate", data={"version": str(refused.id)},
        follow_redirects=True,
    )
    assert "scored worse" in response.get_data(as_text=True)
    assert objection_models.active_version() is None


@pytest.mark.parametrize("choice", ["", "latest", "-1", "1e3", "99999", "shipped\x00"])
def test_activating_nonsense_is_refused_with_a_message(app: Flask, client, login, choice):
    login.as_role("admin")
    response = client.post(
        "/admin/objection-models/activate", data={"version": choice}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 404)
    assert "Choose a model version" in html or "No such model version" in html
    assert objection_models.active_version() is None


def test_model_files_are_rebuilt_from_the_database_on_another_machine(
    app: Flask, small_training: Path
) -> None:
    _gate_on_one_rule_turn(app, small_training)
    version = _train()
    folder = objection_models.active_model_dir()
    shutil.rmtree(folder)  # a worker machine that has never seen this version
    rebuilt = objection_models.active_model_dir()
    assert rebuilt == folder
    assert load_model("ru", rebuilt).version == version.versions["ru"]


def test_the_cli_learns_accepted_corrections_lists_and_rolls_back(
    app: Flask, small_training: Path, runner
) -> None:
    _gate_on_one_rule_turn(app, small_training)
    reviewer = factories.make_user(role="reviewer")
    lead = factories.make_user(role="qa_lead")
    call = factories.make_call(status="transcribed", language="ru")
    factories.make_segment(call, speaker="agent", text="Могу дать скидку пять процентов.")
    answer = factories.make_segment(call, speaker="customer", text="Маловато как-то, честно.")
    rejected = factories.make_segment(call, speaker="customer", text="Ну, подумаю ещё.")
    db.session.commit()
    corrections.decide(
        corrections.mark_missed(answer, "price", words="Маловато", user=reviewer), True, "", lead
    )
    corrections.decide(
        corrections.mark_missed(rejected, "price", words="подумаю", user=reviewer), False, "", lead
    )
    db.session.commit()

    result = runner.invoke(main, ["train", "objections", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "training with 1 accepted corrections" in result.output
    assert "Activated version" in result.output
    learnt = objection_models.active_model_dir() / "corrections.ru.jsonl"
    rows = [json.loads(line) for line in learnt.read_text("utf-8").splitlines()]
    assert [(r["text"], r["labels"], r.get("context")) for r in rows] == [
        ("Маловато как-то, честно.", ["price"], "Могу дать скидку пять процентов.")
    ]
    listing = runner.invoke(main, ["train", "list"]).output
    assert "active" in listing
    assert "shipped" not in listing
    assert runner.invoke(main, ["train", "rollback", "shipped"]).exit_code == 0
    assert "shipped  active" in runner.invoke(main, ["train", "list"]).output
    bad = runner.invoke(main, ["train", "rollback", "newest"])
    assert bad.exit_code != 0
    assert "version id" in bad.output
