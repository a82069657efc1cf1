import io
import json
import os

from flask import (
    Response,
    abort,
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
from qa.ads.forms import (
    AdBatchForm,
    AdCheckForm,
    AdFilterForm,
    AdMarkForm,
    ReauditForm,
    campaign_choices,
)
from qa.ads.highlight import audit_view
from qa.errors import back_on_error, show_form_on_error
from qa.extensions import db
from qa.models import AdAudit, AdText
from qa.roles import requires
from qa.services.errors import NotFound, ValidationFailed
from qa.services.marketing import ad_marks
from qa.services.marketing import ads as ad_service
from qa.services.marketing.campaigns import list_campaigns
from qa.services.tabular import parse_table, read_upload
from qa.services.validation import page_number, record_id

DOWNLOAD_TYPES = {
    # Werkzeug adds "; charset=utf-8" to text/* types.
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _batches_dir() -> str:
    return os.path.join(current_app.instance_path, "ad-batches")


@bp.route("/")
@requires("ads")
def index():  # type: ignore[no-untyped-def]
    form = AdFilterForm(formdata=request.args)
    form.campaign.choices = campaign_choices(list_campaigns(), _("All campaigns"))
    filters = ad_service.AdFilters()
    if form.validate():
        filters = ad_service.AdFilters(
            campaign_id=form.campaign.data or None,
            status=form.status.data or None,
            missing=form.missing.data or None,
        )
    page = page_number(request.args.get("page"))
    pagination = ad_service.list_ad_texts(page, current_app.config["PAGE_SIZE"], filters)
    return render_template(
        "ads/index.html",
        pagination=pagination,
        filter_form=form,
        filter_args={k: v for k, v in vars(filters).items() if v},
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("ads")
def new():  # type: ignore[no-untyped-def]
    """Paste a text, audit it, store it, and show the verdict."""
    form = AdCheckForm()
    form.campaign_id.choices = campaign_choices(list_campaigns(), _("No campaign"))
    page = show_form_on_error(lambda: render_template("ads/new.html", form=form))
    if request.method == "GET":
        source_id = record_id(request.args.get("from"), field="from")
        if source_id:
            source = db.get_or_404(AdText, source_id)
            form.text.data, form.lang.data = source.text, source.lang or ""
            form.campaign_id.data = source.campaign_id or 0
        else:
            form.campaign_id.data = record_id(request.args.get("campaign"), field="campaign") or 0
    if form.validate_on_submit():
        ad_text = ad_service.audit_text(
            form.text.data or "",
            campaign_id=form.campaign_id.data or None,
            lang=form.lang.data or None,
            user=current_user,
            online=bool(form.online.data),
        )
        db.session.commit()
        flash(_("Audited and saved."), "success")
        return redirect(url_for("ads.detail", ad_id=ad_text.id))
    return page(), (400 if form.errors else 200)


@bp.route("/check", methods=["POST"])
@requires("ads")
def check():  # type: ignore[no-untyped-def]
    """Live check while typing: the verdict as HTML (escaped server-side) and JSON; not stored."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        return jsonify(error=_("Send JSON with a text field.")), 400
    lang = payload.get("lang") if isinstance(payload.get("lang"), str) else None
    if not payload["text"].strip():
        return jsonify(html="", result=None)
    campaign = ad_service.campaign_for_check(payload.get("campaign_id"))
    online = payload.get("online") is True
    result = ad_service.check_text(payload["text"], lang or None, campaign=campaign, online=online)
    view = audit_view(ad_service.clean_text(payload["text"]), result.to_dict())
    html = render_template("ads/_verdict.html", view=view)
    return jsonify(html=html, result=result.to_dict())


@bp.route("/<int:ad_id>")
@requires("ads")
def detail(ad_id: int):  # type: ignore[no-untyped-def]
    ad_text = db.get_or_404(AdText, ad_id)
    wanted = record_id(request.args.get("audit"), field="audit")
    audit = next((a for a in ad_text.audits if a.id == wanted), None) or ad_text.latest_audit
    view = audit_view(ad_text.text, audit.result) if audit else None
    return render_template(
        "ads/detail.html",
        ad=ad_text,
        audit=audit,
        view=view,
        reaudit_form=ReauditForm(),
        mark_form=AdMarkForm(formdata=None),
    )


@bp.route("/<int:ad_id>/audits/<int:audit_id>/marks", methods=["POST"])
@requires("ads")
def mark(ad_id: int, audit_id: int):  # type: ignore[no-untyped-def]
    """Mark an element verdict of one audit as wrong, or an element as missed."""
    ad_text = db.get_or_404(AdText, ad_id)
    audit = db.get_or_404(AdAudit, audit_id)
    if audit.ad_text_id != ad_text.id:
        abort(404)
    back = url_for("ads.detail", ad_id=ad_text.id, audit=audit.id, _anchor="audit-marks")
    back_on_error(back)
    form = AdMarkForm()
    if not form.validate_on_submit():
        messages = [str(e) for errors in form.errors.values() for e in errors]
        raise ValidationFailed("; ".join(messages) or _("The form could not be read; try again."))
    ad_marks.mark_audit(audit, form.element.data, form.kind.data, form.note.data, current_user)
    db.session.commit()
    flash(_("Mark saved. Thank you: it goes into the next round of the rules."), "success")
    return redirect(back)


@bp.route("/marks")
@requires("ads")
def marks():  # type: ignore[no-untyped-def]
    pagination = ad_marks.list_marks(page_number(request.args.get("page")))
    return render_template("ads/marks.html", pagination=pagination)


@bp.route("/marks.jsonl")
@requires("ads")
def marks_export():  # type: ignore[no-untyped-def]
    """Every mark with its ad text and verdict, one JSON object per line."""
    body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ad_marks.mark_rows())
    return Response(
        body,
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="ad-audit-marks.jsonl"'},
    )


@bp.route("/<int:ad_id>/reaudit", methods=["POST"])
@requires("ads")
def reaudit(ad_id: int):  # type: ignore[no-untyped-def]
    ad_text = db.get_or_404(AdText, ad_id)
    back_on_error(url_for("ads.detail", ad_id=ad_text.id))
    if ReauditForm().validate_on_submit():
        ad_service.reaudit(ad_text, current_user)
        db.session.commit()
        flash(_("Audited again with the current rules."), "success")
    return redirect(url_for("ads.detail", ad_id=ad_text.id))


@bp.route("/batch", methods=["GET", "POST"])
@requires("ads")
def batch():  # type: ignore[no-untyped-def]
    """Upload a CSV or XLSX of ads; every good row is audited and stored."""
    form = AdBatchForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            for error in form.file.errors:
                flash(str(error), "danger")
            return redirect(url_for("ads.batch"))
        filename = form.file.data.filename or ""
        directory = _batches_dir()
        try:
            data = read_upload(form.file.data.stream)
        except ValidationFailed as exc:
            flash(str(exc), "danger")
            return redirect(url_for("ads.batch"))
        online = bool(form.online.data)
        digest = ad_service.upload_digest(data, current_user, online)
        earlier = ad_service.claim_upload(directory, digest)
        if earlier == "":
            flash(_("This file is already being audited; open its results in a moment."), "info")
            return redirect(url_for("ads.batch"))
        if earlier:
            flash(_("This file was audited a moment ago; here are its results."), "info")
            return redirect(url_for("ads.batch_results", token=earlier))
        try:
            table = parse_table(data, filename, multiline=ad_service.TEXT_COLUMNS)
            report = ad_service.audit_batch(table, current_user, online=online)
            report.filename = filename
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            ad_service.release_upload(directory, digest)
            flash(str(exc), "danger")
            return redirect(url_for("ads.batch"))
        except BaseException:
            db.session.rollback()
            ad_service.release_upload(directory, digest)
            raise
        token = ad_service.save_batch(report, directory)
        ad_service.record_upload(directory, digest, token)
        flash(
            _(
                "Audited and saved: %(audited)d. Rows refused: %(failed)d.",
                audited=report.audited,
                failed=report.failed,
            ),
            "success" if not report.failed else "warning",
        )
        return redirect(url_for("ads.batch_results", token=token))
    return render_template(
        "ads/batch.html",
        form=form,
        max_rows=ad_service.MAX_BATCH_ROWS,
        max_chars=ad_service.MAX_AD_CHARS,
    )


@bp.route("/batch/<token>")
@requires("ads")
def batch_results(token: str):  # type: ignore[no-untyped-def]
    try:
        report = ad_service.load_batch(_batches_dir(), token)
    except NotFound:
        abort(404)
    return render_template("ads/batch_results.html", report=report, token=token)


@bp.route("/batch/<token>/results.<fmt>")
@requires("ads")
def batch_download(token: str, fmt: str):  # type: ignore[no-untyped-def]
    if fmt not in DOWNLOAD_TYPES:
        abort(404)
    try:
        report = ad_service.load_batch(_batches_dir(), token)
    except NotFound:
        abort(404)
    body = ad_service.batch_csv(report) if fmt == "csv" else ad_service.batch_xlsx(report)
    stem = os.path.splitext(os.path.basename(report.filename))[0] or "ads"
    return send_file(
        io.BytesIO(body),
        mimetype=DOWNLOAD_TYPES[fmt],
        as_attachment=True,
        download_name=f"{stem}-audit.{fmt}",
    )
