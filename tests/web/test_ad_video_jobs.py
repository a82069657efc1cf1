"""Ad video audits on the job queue: the upload answers at once, the state is polled, a worker
reads the video (real Whisper and Tesseract), a failed audit keeps the video for a retry, and a
refused upload leaves no file behind."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from flask import Flask
from huey import Huey

from qa import queue as queue_module
from qa.extensions import db
from qa.models import AdVideo
from qa.queue import make_huey
from qa.tasks import HueyJobQueue, audit_ad_video, transcribe_call
from tests.web.polling import wait_for
from transcription import default_cache_dir

VIDEOS = Path(__file__).resolve().parents[1] / "data" / "video"
QA = shutil.which("qa", path=str(Path(__file__).resolve().parents[2] / ".venv" / "bin")) or "qa"


def _file(name: str, data: bytes | None = None) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data if data is not None else (VIDEOS / name).read_bytes()), name


def _stored_files(app: Flask) -> list[Path]:
    folder = Path(app.config["RECORDINGS_DIR"]) / "ad-videos"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def held_queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Huey:
    """The app's queue port on a queue of the test's own that nothing consumes until the test
    runs its messages (the way a worker would), so the queued state can be seen."""
    held = make_huey(f"sqlite:///{tmp_path / 'held.sqlite3'}", f"held-{uuid.uuid4().hex[:8]}")
    held._registry.register(transcribe_call.task_class)
    held._registry.register(audit_ad_video.task_class)
    monkeypatch.setattr(queue_module, "_job_queue", HueyJobQueue(held))
    return held


def _run_queue(queue: Huey) -> int:
    """Execute every waiting message as a worker does; how many ran."""
    db.session.commit()  # the test's own session holds nothing while the "worker" writes
    ran = 0
    while (message := queue.dequeue()) is not None:
        queue.execute(message)
        ran += 1
    return ran


def test_upload_answers_at_once_and_the_page_polls_until_the_verdict(
    app: Flask, client, login, held_queue: Huey
) -> None:  # type: ignore[no-untyped-def]
    login.as_role("marketing")
    response = client.post(
        "/ads/videos",
        data={"files": [_file("ru_both.mp4")], "lang": "", "campaign_id": "0"},
        content_type="multipart/form-data",
    )
    video = db.session.scalars(db.select(AdVideo)).one()
    assert response.headers["Location"].endswith(f"/ads/videos/{video.id}")
    assert (video.audit_status, video.audits) == ("queued", [])
    page = client.get(f"/ads/videos/{video.id}").get_data(as_text=True)
    assert f'data-status-url="/ads/videos/{video.id}/status"' in page
    assert 'data-status="queued"' in page
    assert "Audit queued" in page
    assert "this page shows the verdict when it is done" in page
    assert "ad_video.js" in page
    assert "Audit again" not in page  # nothing to ask for while the audit waits
    assert client.get(f"/ads/videos/{video.id}/status").get_json() == {
        "id": video.id,
        "status": "queued",
        "error": None,
        "finished": False,
        "audits": 0,
    }
    listing = client.get("/ads/videos").get_data(as_text=True)
    assert 'class="badge text-bg-secondary ad-video-state"' in listing

    assert _run_queue(held_queue) == 1
    db.session.expire_all()
    assert video.audit_status == "done"
    assert len(video.audits) == 1
    assert video.audits[0].audited_by is not None  # who uploaded asked for the audit
    state = client.get(f"/ads/videos/{video.id}/status").get_json()
    assert (state["status"], state["finished"], state["audits"]) == ("done", True, 1)
    page = client.get(f"/ads/videos/{video.id}").get_data(as_text=True)
    assert 'class="table table-sm align-middle ad-video-verdict"' in page
    assert "Passed" in page
    assert "Audit again" in page

    # A re-audit goes through the queue too; a second copy of its message runs nothing.
    client.post(f"/ads/videos/{video.id}/reaudit", data={})
    db.session.expire_all()
    assert (video.audit_status, len(video.audits)) == ("queued", 1)
    held_queue.enqueue(audit_ad_video.s(video.id))
    assert _run_queue(held_queue) == 2
    db.session.expire_all()
    assert (video.audit_status, len(video.audits)) == ("done", 2)


def test_api_answers_202_with_a_url_that_gives_state_then_verdict(
    app: Flask, client, held_queue: Huey
) -> None:  # type: ignore[no-untyped-def]
    from qa.services.admin import api_tokens

    _row, plain = api_tokens.create_token("Agency", None)
    db.session.commit()
    auth = {"Authorization": f"Bearer {plain}"}
    response = client.post(
        "/api/v1/ad-videos",
        data={"file": _file("en_shown.webm"), "lang": "en"},
        content_type="multipart/form-data",
        headers=auth,
    )
    assert response.status_code == 202, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "queued"
    assert body["status_url"] == f"/api/v1/ad-videos/{body['id']}"
    assert response.headers["Location"].endswith(body["status_url"])
    waiting = client.get(body["status_url"], headers=auth).get_json()
    assert (waiting["status"], waiting["offer"], waiting["marking"]) == ("queued", None, None)
    _run_queue(held_queue)
    done = client.get(body["status_url"], headers=auth).get_json()
    assert (done["status"], done["error"]) == ("done", None)
    assert (done["offer"], done["deadline"], done["cta"]) == (True, True, True)
    assert done["marking"] == {"label": "present", "advertiser": "present", "erid": "missing"}


def test_failed_audit_keeps_file_and_row_with_the_reason_and_can_be_retried(
    app: Flask, client, login
) -> None:  # type: ignore[no-untyped-def]
    from qa.settings import SETTINGS_KEY

    login.as_role("marketing")
    app.config["WHISPER_MODEL"] = "no-such-model"
    app.extensions.pop(SETTINGS_KEY, None)
    client.post(
        "/ads/videos",
        data={"files": [_file("ru_spoken_marking.mkv")], "lang": "ru", "campaign_id": "0"},
        content_type="multipart/form-data",
    )
    video = db.session.scalars(db.select(AdVideo)).one()
    assert video.audit_status == "failed"
    assert "Unknown Whisper model 'no-such-model'" in (video.audit_error or "")
    assert video.audits == []
    assert len(_stored_files(app)) == 1
    page = client.get(f"/ads/videos/{video.id}").get_data(as_text=True)
    assert "Audit failed" in page
    assert "The audit failed; the video is kept and can be audited again." in page
    assert "no-such-model" in page
    assert "Audit again" in page
    assert client.get(f"/ads/videos/{video.id}/status").get_json()["finished"] is True

    app.config["WHISPER_MODEL"] = "base"
    app.extensions.pop(SETTINGS_KEY, None)
    client.post(f"/ads/videos/{video.id}/reaudit", data={})
    db.session.expire_all()
    assert (video.audit_status, video.audit_error, len(video.audits)) == ("done", None, 1)
    assert video.audits[0].result["marking"]["label"] == "only_spoken"


def test_refused_uploads_leave_no_file_on_disk(app: Flask, client, login) -> None:  # type: ignore[no-untyped-def]
    login.as_role("marketing")
    good = (VIDEOS / "ru_both.mp4").read_bytes()
    for name, data in [
        ("cut.mp4", good[:3000]),
        ("page.mp4", b"<!doctype html><html>ad</html>"),
        ("silent.mov", b"\x00" * 4096),
    ]:
        client.post(
            "/ads/videos",
            data={"files": [_file(name, data)], "lang": "", "campaign_id": "0"},
            content_type="multipart/form-data",
        )
    assert db.session.scalar(db.select(db.func.count(AdVideo.id))) == 0
    assert _stored_files(app) == []


def test_a_video_kept_once_is_not_removed_by_a_second_upload_that_fails(
    app: Flask, client, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A row that cannot be saved takes its new file with it, never a file another row uses."""
    from qa.services.errors import ValidationFailed
    from qa.services.marketing import ad_videos

    login.as_role("marketing")
    upload = {"lang": "", "campaign_id": "0"}
    client.post(
        "/ads/videos",
        data={"files": [_file("en_shown.webm")], **upload},
        content_type="multipart/form-data",
    )
    kept = _stored_files(app)
    assert len(kept) == 1

    def refuse(video: AdVideo, user: object) -> AdVideo:
        raise ValidationFailed("the queue refused it")

    monkeypatch.setattr(ad_videos, "queue_audit", refuse)
    for name in ("en_shown.webm", "ru_both.mp4"):  # the same content, then a new one
        client.post(
            "/ads/videos",
            data={"files": [_file(name)], **upload},
            content_type="multipart/form-data",
        )
    assert _stored_files(app) == kept
    assert db.session.scalar(db.select(db.func.count(AdVideo.id))) == 1


@pytest.mark.slow
def test_a_worker_process_runs_the_audit(app: Flask, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A real `qa worker` on the SQLite queue reads the video (Whisper and Tesseract)."""
    from qa.services.marketing import ad_videos

    url, name = f"sqlite:///{tmp_path / 'queue.sqlite3'}", f"qa-test-{uuid.uuid4().hex[:10]}"
    queue = make_huey(url, name)
    queue._registry.register(audit_ad_video.task_class)
    monkeypatch.setattr(queue_module, "_job_queue", HueyJobQueue(queue))
    with open(VIDEOS / "ru_spoken_marking.mkv", "rb") as handle:
        video = ad_videos.upload(handle, "ru_spoken_marking.mkv", None, None, "ru")
    db.session.commit()
    video_id = video.id
    assert video.audit_status == "queued"

    logs = tmp_path / "worker.log"
    env = {
        **os.environ,
        "QA_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "QA_QUEUE_URL": url,
        "QA_QUEUE_NAME": name,
        "QA_INSTANCE_PATH": str(tmp_path / "instance"),
        "QA_SECRET_KEY": "worker-test-secret",
        "QA_RECORDINGS_DIR": app.config["RECORDINGS_DIR"],
        "QA_MODEL_CACHE_DIR": str(default_cache_dir()),
    }

    class Output:
        def output(self) -> str:
            return logs.read_text(errors="replace")[-4000:] if logs.exists() else ""

    with open(logs, "wb") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own console script
            [QA, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        done = wait_for(
            lambda: (
                (v := db.session.get(AdVideo, video_id))
                and v.audit_status in ("done", "failed")
                and v
            ),
            300,
            "the worker to audit the video",
            Output(),
        )
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    assert (done.audit_status, done.audit_error) == ("done", None), Output().output()
    audit = done.latest_audit
    assert audit is not None
    assert audit.result["marking"]["label"] == "only_spoken"
    assert {e["source"] for e in audit.result["evidence"]} >= {"speech"}


def test_the_page_shows_a_deadline_from_both_sources_and_an_erid_only_said(
    app: Flask, client, login
) -> None:  # type: ignore[no-untyped-def]
    login.as_role("marketing")
    for name, lang in (("ru_deadline_both.mp4", "ru"), ("en_erid_spoken.mp4", "en")):
        client.post(
            "/ads/videos",
            data={"files": [_file(name)], "lang": lang, "campaign_id": "0"},
            content_type="multipart/form-data",
        )
    both, spoken = db.session.scalars(db.select(AdVideo).order_by(AdVideo.id)).all()
    assert (both.audit_status, spoken.audit_status) == ("done", "done")
    deadline = {
        e["source"] for e in both.latest_audit.result["evidence"] if e["element"] == "deadline"
    }
    assert deadline == {"speech", "screen"}
    assert both.latest_audit.has_deadline is True
    page = client.get(f"/ads/videos/{both.id}").get_data(as_text=True)
    row = page[page.index('data-element="deadline"') :]
    row = row[: row.index("</tr>")]
    assert row.count("ad-video-evidence") == 2
    assert "Speech" in row
    assert "On screen" in row

    assert spoken.latest_audit.result["marking"] == {
        "label": "present",
        "advertiser": "present",
        "erid": "only_spoken",
    }
    assert spoken.latest_audit.marking_complete is False
    page = client.get(f"/ads/videos/{spoken.id}").get_data(as_text=True)
    row = page[page.index('data-element="erid"') :]
    row = row[: row.index("</tr>")]
    assert "Only spoken" in row
    assert "erid: AB123456" in row
