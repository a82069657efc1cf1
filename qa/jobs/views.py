"""Transcription jobs for QA leads: queue depth, running and failed jobs, throughput, actions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from qa.errors import back_on_error
from qa.extensions import db
from qa.jobs import bp
from qa.jobs.forms import JobActionForm, JobFilterForm
from qa.models import TranscriptionJob
from qa.roles import requires
from qa.services.calls import job_overview
from qa.services.calls.jobs import cancel_job, retry_job
from qa.services.validation import page_number
from qa.urls import safe_next


@bp.route("/")
@requires("jobs")
def index():  # type: ignore[no-untyped-def]
    form = JobFilterForm(request.args)
    status = form.status.data if form.validate() else None
    pagination = job_overview.page_of_jobs(status, page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v and not form.errors}
    return render_template(
        "jobs/index.html",
        form=form,
        overview=job_overview.job_overview(),
        pagination=pagination,
        args=args,
        action_form=JobActionForm(),
        next_url=request.full_path,
    ), (400 if form.errors else 200)


def _back() -> str:
    return safe_next(request.form.get("next")) or url_for("jobs.index")


@bp.route("/<int:job_id>/cancel", methods=["POST"])
@requires("jobs")
def cancel(job_id: int):  # type: ignore[no-untyped-def]
    job = db.get_or_404(TranscriptionJob, job_id)
    back_on_error(_back())
    if JobActionForm().validate_on_submit():
        cancel_job(job)
        db.session.commit()
        flash(_("Job #%(id)d cancelled.", id=job.id), "success")
    return redirect(_back())


@bp.route("/<int:job_id>/retry", methods=["POST"])
@requires("jobs")
def retry(job_id: int):  # type: ignore[no-untyped-def]
    job = db.get_or_404(TranscriptionJob, job_id)
    back_on_error(_back())
    if JobActionForm().validate_on_submit():
        again = retry_job(job)
        db.session.commit()
        if again.id == job.id:
            flash(_("Job #%(id)d sent to the queue again.", id=job.id), "success")
        else:
            flash(_("Job #%(id)d queued to run the call again.", id=again.id), "success")
    return redirect(_back())
