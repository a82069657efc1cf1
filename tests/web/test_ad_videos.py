"""Ad videos on the ad-audit pages: batch upload, refusals, the verdict, re-audit, campaigns."""

from __future__ import annotations

import io
from pathlib import Path

from qa.extensions import db
from qa.models import AdVideo, AdVideoAudit
from tests.web import factories

VIDEOS = Path(__file__).resolve().parents[1] / "data" / "video"


def _file(name: str, data: bytes | None = None) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data if data is not None else (VIDEOS / name).read_bytes()), name


def test_batch_upload_audits_good_videos_and_names_refused_ones(client, login) -> None:  # type: ignore[no-untyped-def]
    login.as_role("marketing")
    campaign = factories.make_campaign(name="Зимняя распродажа")
    db.session.commit()
    response = client.post(
        "/ads/videos",
        data={
            "files": [
                _file("ru_both.mp4"),
                _file("page.mp4", b"<!doctype html><html>not a video</html>"),
                _file("notes.txt", b"hello"),
            ],
            "campaign_id": str(campaign.id),
            "lang": "",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "page.mp4" in page
    assert "not a readable video file" in page
    assert "notes.txt is not a video file name" in page
    video = db.session.scalars(db.select(AdVideo)).one()
    assert video.campaign_id == campaign.id
    audit = video.latest_audit
    assert audit is not None
    assert (audit.has_offer, audit.has_deadline, audit.has_cta) == (True, True, True)
    assert audit.marking_complete is True
    assert {e["source"] for e in audit.result["evidence"] if e["element"] == "offer"} == {
        "speech",
        "screen",
    }

    detail = client.get(f"/ads/videos/{video.id}").get_data(as_text=True)
    assert f'src="/ads/videos/{video.id}/file"' in detail
    assert 'class="btn btn-link btn-sm p-0 me-2 ad-video-evidence" data-seek="' in detail
    assert f"/ads/videos/{video.id}/thumbnail?at=" in detail
    # The campaign lists its videos.
    assert "ru_both.mp4" in client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)

    served = client.get(f"/ads/videos/{video.id}/file", headers={"Range": "bytes=0-99"})
    assert served.status_code == 206
    assert served.headers["Content-Type"] == "video/mp4"
    assert len(served.data) == 100
    thumb = client.get(f"/ads/videos/{video.id}/thumbnail?at=2.0")
    assert thumb.status_code == 200
    assert thumb.data[:3] == b"\xff\xd8\xff"
    assert client.get(f"/ads/videos/{video.id}/thumbnail?at=500").status_code == 404
    assert client.get(f"/ads/videos/{video.id}/thumbnail?at=abc").status_code == 400


def test_reaudit_keeps_history(client, login) -> None:  # type: ignore[no-untyped-def]
    login.as_role("marketing")
    response = client.post(
        "/ads/videos",
        data={"files": [_file("ru_spoken_marking.mkv")], "lang": "ru", "campaign_id": "0"},
        content_type="multipart/form-data",
    )
    video = db.session.scalars(db.select(AdVideo)).one()
    assert response.headers["Location"].endswith(f"/ads/videos/{video.id}")
    client.post(f"/ads/videos/{video.id}/reaudit", data={})
    audits = db.session.scalars(db.select(AdVideoAudit)).all()
    assert len(audits) == 2
    assert all(a.deadline_expired for a in audits)
    page = client.get(f"/ads/videos/{video.id}?audit={audits[0].id}").get_data(as_text=True)
    assert "You are looking at an earlier audit" in page
    assert "Only spoken" in page


def test_api_pushes_a_video_and_refuses_a_bad_one(client, app) -> None:  # type: ignore[no-untyped-def]
    from qa.services.admin import api_tokens

    _row, plain = api_tokens.create_token("Agency", None)
    factories.make_campaign(name="Весна")
    db.session.commit()
    auth = {"Authorization": f"Bearer {plain}"}
    response = client.post(
        "/api/v1/ad-videos",
        data={"file": _file("en_shown.webm"), "campaign": "весна", "lang": "en"},
        content_type="multipart/form-data",
        headers=auth,
    )
    assert response.status_code == 202, response.get_data(as_text=True)
    queued = response.get_json()
    # The queue runs immediately in tests: the status URL already gives the verdict.
    body = client.get(queued["status_url"], headers=auth).get_json()
    assert (body["status"], body["error"]) == ("done", None)
    assert (body["offer"], body["deadline"], body["cta"]) == (True, True, True)
    assert body["marking"] == {"label": "present", "advertiser": "present", "erid": "missing"}
    assert body["campaign_id"] is not None
    again = client.get(f"/api/v1/ad-videos/{body['id']}", headers=auth)
    assert again.get_json() == body
    refused = client.post(
        "/api/v1/ad-videos",
        data={"file": _file("ad.mp4", b"PK\x03\x04 not a video")},
        content_type="multipart/form-data",
        headers=auth,
    )
    assert refused.status_code == 400
    assert "ad.mp4 is not a readable video file" in refused.get_json()["message"]
    assert db.session.scalar(db.select(db.func.count(AdVideo.id))) == 1


def test_online_text_ad_is_audited_for_its_marking_now_and_on_reaudit(client, login) -> None:  # type: ignore[no-untyped-def]
    from qa.models import AdText

    login.as_role("marketing")
    text = "Скидка 20% на всё до 31 декабря. Звоните! Реклама. ООО «Ромашка»"
    response = client.post(
        "/ads/new",
        data={"text": text, "campaign_id": "0", "lang": "ru", "online": "y"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Marking of an online ad" in page
    assert "No ERID token from the ad register" not in page  # explanations speak the ad's language
    assert "Нет токена ERID из реестра рекламы" in page
    ad = db.session.scalars(db.select(AdText)).one()
    marking = ad.latest_audit.result["marking"]
    assert [marking[name]["present"] for name in ("label", "advertiser", "erid")] == [
        True,
        True,
        False,
    ]
    client.post(f"/ads/{ad.id}/reaudit", data={})
    db.session.refresh(ad)
    assert len(ad.audits) == 2
    assert ad.audits[-1].result["marking"]["erid"]["present"] is False
    # Not marked as online: no marking checked, none shown.
    plain = client.post(
        "/ads/new", data={"text": text, "campaign_id": "0", "lang": "ru"}, follow_redirects=True
    )
    assert "Marking of an online ad" not in plain.get_data(as_text=True)
    live = client.post("/ads/check", json={"text": text, "lang": "ru", "online": True})
    assert live.get_json()["result"]["marking"]["label"]["present"] is True
    assert client.post("/ads/check", json={"text": text}).get_json()["result"]["marking"] is None
