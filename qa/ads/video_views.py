"""Ad videos on the ad-audit pages: batch upload, the verdict beside the player, re-audit."""

from flask import (
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from qa.ads import bp
from qa.ads.forms import ReauditForm, campaign_choices
from qa.ads.video_forms import VideoUploadForm
from qa.errors import back_on_error
from qa.extensions import db
from qa.models import AdVideo
from qa.roles import requires
from qa.services.errors import ValidationFailed
from qa.services.marketing import ad_video_jobs, ad_videos
from qa.services.marketing.campaigns import list_campaigns
from qa.services.validation import page_number, record_id
from qa.settings import settings

MIME_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
}


def _upload_form() -> VideoUploadForm:
    form = VideoUploadForm()
    form.campaign_id.choices = campaign_choices(list_campaigns(), _("No campaign"))
    return form


@bp.route("/videos", methods=["GET", "POST"])
@requires("ads")
def videos():  # type: ignore[no-untyped-def]
    """The videos audited so far, and the upload of new ones (several at a time)."""
    form = _upload_form()
    if request.method == "POST":
        back_on_error(url_for("ads.videos"))
        if not form.validate_on_submit():
            messages = [str(e) for errors in form.errors.values() for e in errors]
            raise ValidationFailed(
                "; ".join(messages) or _("The form could not be read; try again.")
            )
        campaign = ad_videos.campaign_by_id(form.campaign_id.data or None)
        files = [(f.stream, f.filename) for f in form.files.data if f]
        batch = ad_videos.upload_batch(files, current_user, campaign, form.lang.data or None)
        db.session.commit()
        for name, reason in batch.refused:
            flash(_("%(name)s was refused: %(reason)s", name=name, reason=reason), "danger")
        if batch.stored:
            flash(_("Videos saved, their audit queued: %(n)d.", n=len(batch.stored)), "success")
        if len(batch.stored) == 1 and not batch.refused:
            return redirect(url_for("ads.video_detail", video_id=batch.stored[0].id))
        return redirect(url_for("ads.videos"))
    pagination = ad_videos.list_videos(
        page_number(request.args.get("page")), current_app.config["PAGE_SIZE"]
    )
    cfg = settings()
    limits = {"mb": cfg.max_video_bytes // 1024**2, "minutes": int(cfg.max_video_seconds // 60)}
    return render_template("ads/videos.html", form=form, pagination=pagination, limits=limits)


@bp.route("/videos/<int:video_id>")
@requires("ads")
def video_detail(video_id: int):  # type: ignore[no-untyped-def]
    video = db.get_or_404(AdVideo, video_id)
    audit = ad_videos.find_audit(video, record_id(request.args.get("audit"), field="audit"))
    result = audit.result if audit else {}
    return render_template(
        "ads/video_detail.html",
        video=video,
        audit=audit,
        result=result,
        elements=ad_videos.ELEMENT_ORDER,
        moments=ad_videos.evidence_moments(result),
        reaudit_form=ReauditForm(),
    )


@bp.route("/videos/<int:video_id>/file")
@requires("ads")
def video_file(video_id: int):  # type: ignore[no-untyped-def]
    """The stored video, with range requests so the player can seek."""
    video = db.get_or_404(AdVideo, video_id)
    path = ad_videos.video_file(video)
    suffix = "." + path.rsplit(".", 1)[-1].lower()
    return send_file(
        path, mimetype=MIME_TYPES.get(suffix, "application/octet-stream"), conditional=True
    )


@bp.route("/videos/<int:video_id>/thumbnail")
@requires("ads")
def video_thumbnail(video_id: int):  # type: ignore[no-untyped-def]
    video = db.get_or_404(AdVideo, video_id)
    body = ad_videos.thumbnail(video, request.args.get("at", "0"))
    return Response(body, mimetype="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@bp.route("/videos/<int:video_id>/reaudit", methods=["POST"])
@requires("ads")
def video_reaudit(video_id: int):  # type: ignore[no-untyped-def]
    video = db.get_or_404(AdVideo, video_id)
    back_on_error(url_for("ads.video_detail", video_id=video.id))
    if ReauditForm().validate_on_submit():
        ad_videos.queue_audit(video, current_user)
        db.session.commit()
        flash(_("The audit with the current rules is queued."), "success")
    return redirect(url_for("ads.video_detail", video_id=video.id))


@bp.route("/videos/<int:video_id>/status")
@requires("ads")
def video_status(video_id: int):  # type: ignore[no-untyped-def]
    """The audit's state, for the video page to poll while it is queued or running."""
    return jsonify(ad_video_jobs.audit_state(db.get_or_404(AdVideo, video_id)))
